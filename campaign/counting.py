"""Exact counts of long lists, cached until a table they read is written.

Counting every row a provincial user may see (a quarter of a million problems) costs more than
showing the page; the number only changes when one of the tables in its query is written. Every
INSERT, UPDATE or DELETE that goes through Django's database connection bumps a version per
table: at once in autocommit, and once per table at commit inside a transaction (other processes
see nothing of it before; a count they cached meanwhile carries the old version, and counts are
never cached inside a transaction). A cached count is keyed by its SQL and the versions of the
tables it reads, and lives at most COUNT_TTL. Writes that bypass the connection (raw driver
cursors) call `forget_all()`.
"""

from __future__ import annotations

import hashlib
import logging
import re

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.utils.functional import cached_property

logger = logging.getLogger(__name__)
COUNT_TTL = 600
# SQLite adds many-to-many links with INSERT OR IGNORE; PostgreSQL with INSERT … ON CONFLICT
_WRITE = re.compile(
    r"^\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)"
    r'\s+"([^"]+)"',
    re.I,
)
_READ = re.compile(r'(?:FROM|JOIN)\s+"([^"]+)"', re.I)
_EPOCH = "count:epoch"


def _version_key(table: str) -> str:
    return f"count:v:{table}"


def _bump(tables) -> None:
    try:
        backend = caches["default"]
        if isinstance(backend, RedisCache):
            # one round trip for all tables (Django's incr asks whether the key exists first);
            # INCR of a missing key starts it at 1, as the first write since the cache started
            pipeline = backend._cache.get_client(write=True).pipeline(transaction=False)
            for table in tables:
                pipeline.incr(backend.make_and_validate_key(_version_key(table)))
            pipeline.execute()
            return
        for table in tables:
            try:
                cache.incr(_version_key(table))
            except ValueError:  # first write since the cache started
                cache.set(_version_key(table), 1, None)
    except Exception:  # the cache is down: the write must not fail for a page count
        logger.warning("count cache: could not mark %s as written", tables, exc_info=True)


class _BumpAtCommit:
    """The tables a transaction (at one savepoint level) wrote, bumped once each at its commit
    (a bump per statement cost 40 % of a bulk 登记造册)."""

    def __init__(self):
        self.tables: set[str] = set()

    def __call__(self) -> None:
        _bump(sorted(self.tables))


def _bump_at_commit(connection, table: str) -> None:
    level = set(connection.savepoint_ids)
    for sids, func, _robust in reversed(connection.run_on_commit):
        # a rolled-back savepoint takes its callbacks with it; one registered at this very level
        # is still pending and will cover this write
        if isinstance(func, _BumpAtCommit) and sids == level:
            func.tables.add(table)
            return
    pending = _BumpAtCommit()
    pending.tables.add(table)
    transaction.on_commit(pending, using=connection.alias)


def watch_writes(execute, sql, params, many, context):
    """A database execute wrapper: note which table a write touches."""
    match = _WRITE.match(sql) if isinstance(sql, str) else None
    result = execute(sql, params, many, context)
    if match:
        connection = context["connection"]
        if connection.in_atomic_block:
            _bump_at_commit(connection, match.group(1))
        else:
            _bump([match.group(1)])
    return result


def install(connection, **_kwargs) -> None:
    """`connection_created` receiver: every connection watches its writes, once."""
    if watch_writes not in connection.execute_wrappers:
        # first, so that a `with connection.execute_wrapper(...)` block popping its own keeps it
        connection.execute_wrappers.insert(0, watch_writes)


def forget_all() -> None:
    try:
        try:
            cache.incr(_EPOCH)
        except ValueError:
            cache.set(_EPOCH, 1, None)
    except Exception:
        logger.warning("count cache: could not forget cached counts", exc_info=True)


def _usable(queryset: QuerySet) -> bool:
    """Cache only where every process sees the same versions (a shared cache, COUNT_CACHE on),
    and never a count taken inside a transaction (it may see its own uncommitted rows)."""
    from django.db import connections

    return settings.COUNT_CACHE and not connections[queryset.db].in_atomic_block


def count(queryset: QuerySet) -> int:
    """queryset.count(), from the cache while no table it reads has been written."""
    if not _usable(queryset):
        return queryset.count()
    compiler = queryset.query.get_compiler(queryset.db)
    try:
        sql, params = compiler.as_sql()
    except Exception:  # an empty result and other queries that do not compile: just count
        return queryset.count()
    try:
        return _cached(queryset, sql, params)
    except Exception:  # the cache is down (or the count failed): count directly
        logger.warning("count cache unavailable", exc_info=True)
        return queryset.count()


def rows(queryset: QuerySet) -> list:
    """list(queryset) of a small summary (values/annotate), cached like a count."""
    if not _usable(queryset):
        return list(queryset)
    compiler = queryset.query.get_compiler(queryset.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:  # an empty scope: nothing to read, nothing worth a log line
        return []
    except Exception:  # a query that does not compile to one statement: read it directly
        return list(queryset)
    try:
        return _cached(queryset, sql, params, lambda: list(queryset), prefix="rows")
    except Exception:  # the cache is down (or the read failed): read directly
        logger.warning("count cache unavailable", exc_info=True)
        return list(queryset)


def _cached(queryset: QuerySet, sql: str, params, compute=None, prefix="count") -> int:
    tables = sorted(set(_READ.findall(sql)))
    keys = [_EPOCH, *(_version_key(t) for t in tables)]
    versions = cache.get_many(keys)
    stamp = "|".join(f"{k}={versions.get(k, 0)}" for k in keys)
    database = settings.DATABASES[queryset.db]["NAME"]  # two sites may share one Redis
    digest = hashlib.sha256(f"{database}|{sql}|{params!r}|{stamp}".encode()).hexdigest()
    key = f"{prefix}:{digest}"
    cached = cache.get(key)
    if cached is None:
        cached = compute() if compute else queryset.count()
        cache.set(key, cached, COUNT_TTL)
    return cached


class CountCachedPaginator(Paginator):
    """Django's paginator with the cached exact count (pages, API lists alike)."""

    @cached_property
    def count(self) -> int:
        if isinstance(self.object_list, QuerySet):
            return count(self.object_list)
        return super().count
