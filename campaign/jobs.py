"""The kinds of background job and how a running job reports its progress.

Each app declares its long work in its own `jobs.py` with `@job_kind(...)`; the kinds are found when
the apps are ready (campaign looks for every app's `jobs` module, so it never imports the apps
above it). A kind's function receives the job (its `created_by` is the actor every read goes
through, as in the request) and a `Progress`, and returns a `JobResult`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any, TypeVar

from django.http import QueryDict
from django.utils import timezone

if TYPE_CHECKING:
    from campaign.models import Job

T = TypeVar("T")


@dataclass(frozen=True)
class JobResult:
    """What a finished job leaves: a file to download and/or a page to open, and a sentence."""

    message: str
    file: IO[bytes] | None = None
    filename: str = ""
    url: str = ""
    # the work ran but its outcome is a refusal (an import whose rows did not pass): the job is
    # shown as failed, with the page that names every error
    failed: bool = False


@dataclass(frozen=True)
class JobKind:
    key: str
    label: str
    run: Callable[[Job, Progress], JobResult]
    permission: str = ""  # the role permission the page or API behind it requires
    # checks the parameters when the job is started (raises ValidationError), so a bad filter is
    # refused at once rather than by a failed job
    validate: Callable[[Any, dict], None] | None = None
    needs_file: bool = False  # an import: the job reads the file uploaded with it


KINDS: dict[str, JobKind] = {}


def job_kind(
    key: str,
    label: str,
    *,
    permission: str = "",
    validate: Callable[[Any, dict], None] | None = None,
    needs_file: bool = False,
):
    """Register the function that does one kind of job."""

    def register(run: Callable[[Job, Progress], JobResult]):
        KINDS[key] = JobKind(key, label, run, permission, validate, needs_file)
        return run

    return register


def kind(key: str) -> JobKind:
    try:
        return KINDS[key]
    except KeyError as exc:
        from django.core.exceptions import ValidationError

        raise ValidationError({"kind": f"没有“{key}”这类任务。"}) from exc


class Progress:
    """Rows done of rows total, written to the job row at most about once a second (a worker
    writing a row per line would spend its time on bookkeeping); each write is also a heartbeat."""

    INTERVAL = 1.0

    def __init__(self, job: Job):
        self.job = job
        self._last = 0.0

    def total(self, total: int | None) -> None:
        self.job.total = total
        self._write(force=True)

    def advance(self, done: int, *, force: bool = False) -> None:
        self.job.done = done
        self._write(force=force)

    def iterate(self, rows: Iterable[T], *, start: int = 0) -> Iterator[T]:
        """Yield `rows`, counting them as done."""
        done = start
        for row in rows:
            yield row
            done += 1
            if done % 200 == 0:
                self.advance(done)
        self.advance(done, force=True)

    def _write(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last < self.INTERVAL:
            return
        self._last = now
        type(self.job).objects.filter(pk=self.job.pk).update(
            done=self.job.done, total=self.job.total, heartbeat_at=timezone.now()
        )


class JobRequest:
    """What a FilterSet reads from a request (the user and the query), for a job that filters as the
    page did."""

    def __init__(self, user: Any, params: dict[str, list[str]]):
        self.user = user
        self.GET = as_query(params)


def query_params(query: QueryDict) -> dict[str, list[str]]:
    """A page's query string as a job keeps it (JSON), without the page number."""
    return {key: values for key, values in query.lists() if key != "page"}


def as_query(params: dict[str, Any]) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, values in params.items():
        query.setlist(key, [str(v) for v in (values if isinstance(values, list) else [values])])
    return query


def filtered(filterset_class, job: Job, queryset):
    """The job's rows, filtered as the page that started it filtered them, by the same FilterSet
    under the same user."""
    request = JobRequest(job.created_by, job.params)
    return filterset_class(request.GET, queryset=queryset, request=request).qs


def export_rows(job: Job, progress: Progress, rows, write, *, done: str, name: str) -> JobResult:
    """An export job's common course: count the rows, write them through `write` (a workbook
    builder taking an iterable) as they are counted, and name the file with the time."""
    progress.total(rows.count())
    workbook = write(progress.iterate(rows.iterator(chunk_size=1000)))
    return JobResult(done.format(n=job.done), file=workbook, filename=stamped(name))


def stamped(name: str) -> str:
    """A result file's name: what it is and when it was made (Beijing time)."""
    return f"{name}-{timezone.localtime():%Y%m%d-%H%M}.xlsx"


def filters_validator(filterset_class):
    """A `validate` for an export kind: the filters must be ones the list's FilterSet accepts
    (a county out of reach, a malformed date) before the job is started."""

    def validate(actor: Any, params: dict) -> None:
        from django.core.exceptions import ValidationError

        request = JobRequest(actor, params)
        model = filterset_class._meta.model
        filterset = filterset_class(
            request.GET, queryset=model._default_manager.none(), request=request
        )
        if not filterset.is_valid():
            raise ValidationError(
                {name: [str(e) for e in errors] for name, errors in filterset.errors.items()}
            )

    return validate
