"""Every routed page and API endpoint × every role × in scope / out of scope × read / write.

The endpoints are not listed here: they are read from the URL configuration.
Each view declares how it is reached (`access`: public, authenticated or
scoped) and, when scoped, its model; this test fails for a route that
declares nothing, and for a scoped model with no spec below. The expected
visibility in each spec is written from the design (who should see a unit in
金水区), not computed by the policy under test.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook

from campaign.models import (
    Assignment,
    Campaign,
    Complaint,
    ComplaintAttachment,
    IntegrityCommitment,
    IntegrityDocument,
    Job,
    LiaisonTable,
    PoolImport,
    PoolMembership,
    ResumableUpload,
    RosterGroup,
    RosterMember,
    StageWindow,
    User,
)
from cases.models import (
    Case,
    CaseDocument,
    CaseEvent,
    Classification,
    Deadline,
    Measure,
    MeasureEvent,
    Notice,
    Reply,
    ServiceRecord,
)
from crosscheck.models import (
    Accountability,
    ConflictDeclaration,
    DrawReplay,
    Finding,
    FindingPerson,
    RecordSignature,
    SampleDraw,
    SampledUnit,
    Team,
    TeamMember,
    VerificationRecord,
    VerificationRound,
)
from enterprises.models import Enterprise, EnterpriseImport
from inspections.models import (
    CheckItem,
    Evidence,
    Inspection,
    InspectionFinding,
    Problem,
    SelfCheck,
    SelfCheckAnswer,
)
from rectification.models import (
    Extension,
    FacilityProposal,
    GuidanceActivity,
    ItemCheck,
    ItemEvent,
    ItemEvidence,
    ProgressReport,
    RectificationItem,
    RectificationPlan,
)
from tests import org_factories as org
from tests.cases import factories as stage3
from tests.crosscheck import factories as stage5
from tests.factories import PASSWORD
from tests.inspections import factories as stage1
from tests.rectification import factories as stage4

EVERYONE = {
    "admin",
    "province",
    "city",
    "other_city",
    "county",
    "other_county",
    "expert",
    "enterprise",
    "other_enterprise",
    "patrol",
}
ENTERPRISE_READERS = {"admin", "province", "city", "county", "enterprise"}
ROLES = [
    "admin",
    "province",
    "city",
    "other_city",
    "county",
    "other_county",
    "expert",
    "enterprise",
    "other_enterprise",
    "patrol",
]


@dataclass
class Spec:
    make: Any  # cast -> object placed in 金水区 / owned by the 金水 cast
    marker: Any  # object -> text that identifies it in a list, export or API answer
    readers: set[str]
    writers: set[str]
    # roles that hold the role permission and see the object, but may not change this one (403)
    refused_writers: frozenset[str] = frozenset()


BUREAUS = {"admin", "province", "city", "county"}


def _classification(cast):
    from cases.models import Path
    from cases.services.classification import classify

    gap = stage3.problem(cast, code="GL-01")
    return classify(actor=cast.county, problems=[gap], path=Path.GUIDANCE, reason="矩阵分类理由")[0]


def _deadline(cast):
    import datetime as dt

    from django.utils import timezone

    # discovered 14 days ago: its 立案 clock falls due within the reminder list's default horizon
    case = stage3.case(cast, discovered_on=timezone.localdate() - dt.timedelta(days=14))
    case.title = "矩阵期限案件"
    case.save(update_fields=["title"])
    return case.deadlines.get(key="filing")


def _today() -> str:
    from django.utils import timezone

    return timezone.localdate().isoformat()


def _restriction(cast):
    from cases.services.measure import measure_start

    case = _case_investigating(cast)
    return measure_start(
        actor=User.objects.get(username="js-head"),
        case=case,
        kind="restrict",
        detail="矩阵限产范围",
    )


def _exemption(cast):
    from cases.services.classification import classify

    problem = stage3.problem(cast, code="HF-01", severity="minor")
    return classify(actor=cast.county, problems=[problem], path="exempt", reason="矩阵免罚")[0]


def _committed_exemption(cast):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from cases.services.classification import exemption_commitment

    return exemption_commitment(
        actor=cast.county,
        classification=_exemption(cast),
        signed_on=timezone.localdate(),
        file=SimpleUploadedFile("c.pdf", b"%PDF-1.4 matrix"),
    )


def _commitment_body(o) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"signed_on": _today(), "file": SimpleUploadedFile("c.pdf", b"%PDF-1.4 matrix")}


def _issued_order(cast):
    from cases.services.document import document_issue

    return document_issue(
        actor=cast.county, case=_case_investigating(cast), kind="order", correction="矩阵责令改正"
    )


def _served_order(cast):
    from django.utils import timezone

    from cases.services.document import document_serve

    order = _issued_order(cast)
    document_serve(
        actor=cast.county,
        document=order,
        served_on=timezone.localdate(),
        method="direct",
        recipient="矩阵签收人",
    )
    order.refresh_from_db()
    return order


def _reviewed_case(cast):
    from cases.services.case import case_step

    case = _case_investigating(cast)
    case_step(
        actor=cast.county,
        case=case,
        to="reviewing",
        report="矩阵调查报告",
        reviewer=User.objects.get(username="js-review"),
        proposed_fine=50_000,
    )
    case.refresh_from_db()
    return case


def _draft_notice(cast):
    from cases.services.notice import notice_draft

    _reviewed_case(cast)
    return notice_draft(actor=cast.county, enterprise=cast.ent)


def _served_notice(cast):
    from django.utils import timezone

    from cases.services.notice import notice_serve

    return notice_serve(
        actor=cast.county,
        notice=_draft_notice(cast),
        served_on=timezone.localdate(),
        method="direct",
        recipient="矩阵签收人",
    )


def _case_investigating(cast):
    from cases.services.case import case_step

    case = stage3.case(cast)
    case_step(actor=stage3.staff("js-head", head=True), case=case, to="investigating")
    stage3.staff("js-review")
    case.refresh_from_db()
    return case


def _job(cast):
    from django.core.files.base import ContentFile

    job = Job.objects.create(
        kind="enterprises.export",
        title="导出排污单位名单-matrix",
        status="done",
        created_by=cast.county,
        result_name="matrix.xlsx",
    )
    job.result_file.save("matrix.xlsx", ContentFile(b"PK\x03\x04matrix"))
    return job


def _resumable_upload(cast):
    from campaign import resumable

    return resumable.upload_start(
        actor=cast.county, name="验收报告-matrix.pdf", size=100, content_type="application/pdf"
    )


def _upload_piece(o) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"offset": 0, "chunk": SimpleUploadedFile("piece", b"%PDF-1.4 matrix")}


SPECS: dict[type, Spec] = {
    Enterprise: Spec(
        make=lambda cast: cast.ent,
        marker=lambda obj: obj.credit_code,
        readers={"admin", "province", "city", "county", "enterprise"},
        writers={"admin", "province", "city", "county"},
    ),
    # a background job and its file: the person who started it, nobody else (the province neither)
    Job: Spec(
        make=lambda cast: _job(cast),
        marker=lambda obj: obj.title,
        readers={"county"},
        writers=set(),
    ),
    # a resumable upload (a large file in pieces): its owner, nobody else (the province neither)
    ResumableUpload: Spec(
        make=_resumable_upload,
        marker=lambda obj: obj.name,
        readers={"county"},
        writers={"county"},
    ),
    EnterpriseImport: Spec(
        make=lambda cast: EnterpriseImport.objects.create(
            list_kind="key_units",
            original_name="金水区重点名录-matrix.xlsx",
            status="failed",
            created_by=cast.county,
        ),
        marker=lambda obj: obj.original_name,
        readers={"admin", "province", "county"},
        writers=set(),
    ),
    # the campaign calendar is for everyone to read; a city's own window is changed by the
    # administrators and by that city
    StageWindow: Spec(
        make=org.city_window,
        marker=lambda o: "2020-07-17",
        readers=EVERYONE,
        writers={"admin", "city"},
        refused_writers=frozenset({"other_city"}),
    ),
    Campaign: Spec(make=org.campaign, marker=lambda o: o.name, readers=EVERYONE, writers=set()),
    IntegrityDocument: Spec(
        make=org.document, marker=lambda o: o.title, readers=EVERYONE, writers=set()
    ),
    # the task-force roster: administrators manage it, provincial staff read it
    RosterGroup: Spec(
        make=org.roster_group,
        marker=lambda o: o.name,
        readers={"admin", "province"},
        writers={"admin"},
    ),
    RosterMember: Spec(
        make=org.roster_member,
        marker=lambda o: o.name,
        readers={"admin", "province"},
        writers={"admin"},
    ),
    # pools and people: province-wide roles, and each person their own entry
    PoolMembership: Spec(
        make=org.pool_membership,
        marker=lambda o: o.user.full_name,
        readers={"admin", "province", "county"},
        writers={"admin"},
    ),
    PoolImport: Spec(
        make=org.pool_import,
        marker=lambda o: o.original_name,
        readers={"admin", "province"},
        writers=set(),
    ),
    User: Spec(
        make=lambda cast: cast.county,
        marker=lambda o: o.full_name,
        readers={"admin", "province", "county"},
        writers={"admin"},
    ),
    # a city's liaison table: that city and the province
    LiaisonTable: Spec(
        make=org.liaison_table,
        marker=lambda o: "矩阵联络员",
        readers={"admin", "province", "city"},
        writers=set(),
    ),
    # a cross-region assignment of the 金水 inspector: the person, the province, the patrol group
    Assignment: Spec(
        make=org.assignment,
        marker=lambda o: o.title,
        readers={"admin", "province", "county", "patrol"},
        writers={"county"},
    ),
    IntegrityCommitment: Spec(
        make=org.commitment,
        marker=lambda o: "矩阵签名",
        readers={"admin", "province", "county", "patrol"},
        writers=set(),
    ),
    # complaints: the patrol group handles them; the province follows them without the reporter
    Complaint: Spec(
        make=org.complaint,
        marker=lambda o: o.accused,
        readers={"patrol", "province"},
        writers={"patrol"},
    ),
    # stage 1: an enterprise's table, its items, evidence and problems go where the enterprise goes
    SelfCheck: Spec(
        make=stage1.self_check,
        marker=lambda o: o.enterprise.name,
        readers=ENTERPRISE_READERS,
        writers=set(),
    ),
    SelfCheckAnswer: Spec(
        make=stage1.answer, marker=lambda o: o.item.title, readers=ENTERPRISE_READERS, writers=set()
    ),
    Evidence: Spec(
        make=stage1.evidence,
        marker=lambda o: o.original_name,
        readers=ENTERPRISE_READERS,
        writers=set(),
    ),
    Problem: Spec(
        make=stage1.problem,
        marker=lambda o: o.description,
        readers=ENTERPRISE_READERS,
        writers=set(),
    ),
    # stage 2: an inspection in 金水 — the bureaus above it, and the expert on its team (object grant);
    # the 金水 inspector leads it, so only they write without a role permission
    Inspection: Spec(
        make=lambda cast: stage1.inspection(cast, with_expert=True),
        marker=lambda o: o.enterprise.name,
        readers={"admin", "province", "city", "county", "expert"},
        writers={"county"},
    ),
    InspectionFinding: Spec(
        make=stage1.finding,
        marker=lambda o: o.item.title,
        readers={"admin", "province", "city", "county"},
        writers={"county"},
    ),
    CheckItem: Spec(
        make=stage1.check_item, marker=lambda o: o.title, readers=EVERYONE, writers=set()
    ),
    # stage 3: a case of the 金水 unit — the bureaus above it; never the enterprise (it sees what is
    # served on it), the patrol group or an expert
    Case: Spec(
        make=lambda cast: stage3.case(cast),
        marker=lambda o: o.title,
        readers=BUREAUS,
        writers={"county", "city", "province"},
    ),
    Classification: Spec(
        make=lambda cast: _classification(cast),
        marker=lambda o: o.reason,
        readers=BUREAUS,
        writers=set(),
    ),
    # a served notice: the bureaus above the unit, and the unit itself (a draft it does not see)
    Notice: Spec(
        make=lambda cast: _served_notice(cast),
        marker=lambda o: o.number,
        readers=BUREAUS | {"enterprise"},
        writers=set(),
    ),
    Measure: Spec(
        make=lambda cast: _restriction(cast),
        marker=lambda o: o.detail,
        readers=BUREAUS,
        writers=set(),
    ),
    # a document served on the 金水 unit: the bureaus above it and the unit itself (never the
    # internal forms, the transfer letter, or anything not yet served on it)
    CaseDocument: Spec(
        make=lambda cast: _served_order(cast),
        marker=lambda o: o.number,
        readers=BUREAUS | {"enterprise"},
        writers=set(),
    ),
    ServiceRecord: Spec(
        make=lambda cast: _served_order(cast).service_records.get(),
        marker=lambda o: o.recipient,
        readers=BUREAUS | {"enterprise"},
        writers=set(),
    ),
    Deadline: Spec(
        make=lambda cast: _deadline(cast),
        marker=lambda o: o.case.title,
        readers=BUREAUS,
        writers=set(),
    ),
    # stage 4: the 金水 unit's plan — the bureaus above it and the unit itself; the bureaus write,
    # the unit writes on its own items (progress, evidence, 申请销号, 延期); never the expert or patrol
    RectificationPlan: Spec(
        make=lambda cast: stage4.plan(cast),
        marker=lambda o: o.enterprise.name,
        readers=BUREAUS | {"enterprise"},
        writers={"county", "city", "province"},
    ),
    RectificationItem: Spec(
        make=stage4.item,
        marker=lambda o: o.problem.description,
        readers=BUREAUS | {"enterprise"},
        writers={"county", "city", "province", "enterprise"},
    ),
    Extension: Spec(
        make=stage4.extension,
        marker=lambda o: o.reason,
        readers=BUREAUS | {"enterprise"},
        writers={"county", "city", "province"},
    ),
    # the bureau's own: a proposal to handle an unfinished task as "facility not built", a training
    FacilityProposal: Spec(
        make=stage4.proposal,
        marker=lambda o: o.item.problem.description,
        readers=BUREAUS,
        writers={"county", "city", "province"},
    ),
    GuidanceActivity: Spec(
        make=stage4.guidance,
        marker=lambda o: o.topic,
        readers=BUREAUS,
        writers={"county", "city", "province"},
    ),
    # stage 5: the province's round and its sample are the province's until the release (the
    # embargo's opening to the target city and county is tested with the round)
    VerificationRound: Spec(
        make=stage5.drawn_round,
        marker=lambda o: o.title,
        readers={"admin", "province"},
        writers={"province"},
    ),
    # a member's own places in teams (the page shows the user's own rows only)
    TeamMember: Spec(
        make=stage5.team_member,
        marker=lambda o: o.team.round.title,
        readers={"admin", "province"},
        writers=set(),
    ),
    # a conflict is its declarer's; the province reads them all (the team draw reads them too)
    ConflictDeclaration: Spec(
        make=stage5.conflict,
        marker=lambda o: o.unit_name,
        readers={"province", "county"},
        writers=set(),
    ),
    # a sampled unit once released: the province, the unit's city and county, and the team member
    # `jx` (涧西) through the grant signing the commitment gave; never the unit itself
    SampledUnit: Spec(
        make=stage5.member_unit,
        marker=lambda o: o.enterprise.name,
        readers={"admin", "province", "city", "county", "other_county"},
        writers=set(),
    ),
    # the record and its findings: the province and the team (a province round has no organiser city)
    VerificationRecord: Spec(
        make=stage5.member_record,
        marker=lambda o: o.unit.enterprise.name,
        readers={"admin", "province", "other_county"},
        writers=set(),
    ),
    Finding: Spec(
        make=stage5.member_finding,
        marker=lambda o: o.description,
        readers={"admin", "province", "other_county"},
        writers=set(),
    ),
    # accountability of js (金水): the province, 郑州 answering for its person, js themself
    Accountability: Spec(
        make=stage5.accountability,
        marker=lambda o: o.person.full_name,
        readers={"admin", "province", "city", "county"},
        writers={"city", "province"},
        refused_writers=frozenset({"county"}),
    ),
    ComplaintAttachment: Spec(
        make=org.complaint_attachment,
        marker=lambda o: o.original_name,
        readers={"patrol"},
        writers=set(),
    ),
}


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str
    view: Any
    actions: dict[str, str] | None  # DRF viewset method → action
    kwargs: tuple[str, ...]

    @property
    def access(self) -> str | None:
        return getattr(self.view, "access", None)

    @property
    def model(self):
        model = getattr(self.view, "scoped_model", None)
        if model is None and getattr(self.view, "queryset", None) is not None:
            model = self.view.queryset.model
        return model

    @property
    def is_api(self) -> bool:
        return self.actions is not None or self.pattern.startswith("api/")

    def methods(self) -> set[str]:
        if self.actions is not None:
            return set(self.actions)
        allowed = getattr(self.view, "http_method_names", ())
        return {
            m
            for m in ("get", "post", "put", "patch", "delete")
            if hasattr(self.view, m) and m in allowed
        }


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue  # the admin site is covered by test_admin_is_for_administrators_only
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}{entry.namespace}:"
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            callback = entry.callback
            view = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
            kwargs = tuple(sorted(set(entry.pattern.regex.groupindex) - {"format"}))
            yield Route(
                name=f"{namespace}{entry.name}" if entry.name else "",
                pattern=prefix + str(entry.pattern),
                view=view,
                actions=getattr(callback, "actions", None),
                kwargs=kwargs,
            )


def routes() -> list[Route]:
    seen, found = set(), []
    for route in _walk(get_resolver().url_patterns):
        if "(?P<format>" in route.pattern:  # DRF's .json twins of the same endpoint
            continue
        key = (route.name, route.kwargs)
        if key not in seen:
            seen.add(key)
            found.append(route)
    return found


ALL_ROUTES = routes()


def test_every_route_declares_how_it_is_reached():
    undeclared = [
        r.pattern for r in ALL_ROUTES if r.access not in ("public", "authenticated", "scoped")
    ]
    assert not undeclared, f"routes without an `access` declaration: {undeclared}"
    unnamed = [r.pattern for r in ALL_ROUTES if not r.name]
    assert not unnamed, f"routes without a name: {unnamed}"
    unspecified = [r.pattern for r in ALL_ROUTES if r.access == "scoped" and r.model not in SPECS]
    assert not unspecified, f"scoped routes whose model has no matrix spec: {unspecified}"


def test_matrix_covers_the_known_endpoints():
    names = {r.name for r in ALL_ROUTES}
    # a guard against the walk silently finding nothing
    assert {
        "enterprises:list",
        "enterprises:detail",
        "enterprise-list",
        "enterprise-detail",
        "home",
        "healthz",
        "api-token",
    } <= names


def _contains(response, marker: str) -> bool:
    content_type = response.get("Content-Type", "")
    if "spreadsheetml" in content_type:
        body = b"".join(response.streaming_content) if response.streaming else response.content
        workbook = load_workbook(io.BytesIO(body), read_only=True)
        return any(
            marker == str(cell)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
        )
    return marker in response.content.decode()


def _url(route: Route, obj=None) -> str:
    kwargs = {}
    for key in route.kwargs:
        if obj is None:
            raise AssertionError(f"{route.pattern} needs an object for {key}")
        kwargs[key] = getattr(obj, key) if key != "pk" else obj.pk
    return reverse(route.name, kwargs=kwargs)


def _reference_object(route: Route):
    # non-scoped detail routes (reference data): any row will do
    return route.view.queryset.model.objects.order_by("pk").first()


def _read_status_ok(route: Route, user) -> int:
    needed = getattr(route.view, "required_permission", None)
    return 403 if needed and not user.has_perm(needed) else 200


@pytest.mark.parametrize(
    "route", [r for r in ALL_ROUTES if "get" in r.methods()], ids=lambda r: r.name
)
def test_anonymous_is_refused_everything_but_public_pages(client, cast, route):
    obj = None
    if route.kwargs:
        obj = (
            SPECS[route.model].make(cast) if route.access == "scoped" else _reference_object(route)
        )
    response = client.get(_url(route, obj))
    if route.access == "public":
        assert response.status_code in (200, 405)
    elif route.is_api:
        assert response.status_code in (401, 403)
    else:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "route", [r for r in ALL_ROUTES if "get" in r.methods()], ids=lambda r: r.name
)
def test_read(client, cast, role, route):
    user = cast.by_role()[role]
    client.force_login(user)
    if route.access in ("public", "authenticated"):
        obj = _reference_object(route) if route.kwargs else None
        response = client.get(_url(route, obj))
        if route.access == "authenticated":
            assert response.status_code == _read_status_ok(route, user), (role, route.name)
        else:  # public: the login page sends a signed-in user home; logout wants POST
            assert response.status_code in (200, 302, 405), (role, route.name)
        return

    spec = SPECS[route.model]
    obj = spec.make(cast)
    sees = role in spec.readers
    if route.kwargs:  # one object: in scope → 200, out of scope → 404, whatever the role
        response = client.get(_url(route, obj))
        # a role without the permission is refused before any object is looked up (reveals nothing)
        expected = _read_status_ok(route, user)
        if expected == 200 and not sees:
            expected = 404
        assert response.status_code == expected, (role, route.name, response.status_code)
        return
    # a list, export or page of lists: the object is in it exactly for its readers
    response = client.get(_url(route))
    expected = _read_status_ok(route, user)
    assert response.status_code == expected, (role, route.name, response.status_code)
    if expected == 200 and getattr(route.view, "shows_rows", True):
        assert _contains(response, spec.marker(obj)) == sees, (role, route.name)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "route",
    [
        r
        for r in ALL_ROUTES
        if r.methods() & {"post", "put", "patch", "delete"} and r.access != "public"
    ],
    ids=lambda r: r.name,
)
def test_write(client, cast, role, route):
    """An empty write: out of scope → 404; no role permission → 403; allowed → a validation answer."""
    user = cast.by_role()[role]
    client.force_login(user)
    needed = getattr(route.view, "required_permission", None)
    method = "post" if "post" in route.methods() else sorted(route.methods() - {"get"})[0]
    if route.kwargs and route.access == "scoped":
        spec = SPECS[route.model]
        obj = spec.make(cast)
        response = getattr(client, method)(_url(route, obj), {})
        if needed and not user.has_perm(needed):
            assert response.status_code == 403
        elif role not in spec.readers:
            assert response.status_code == 404
        elif role in spec.refused_writers:
            assert response.status_code == 403
        elif needed or role in spec.writers:
            assert response.status_code == 400  # the empty form is rejected, nothing saved
        else:
            assert response.status_code in (403, 404)
        return
    obj = _reference_object(route) if route.kwargs else None
    response = getattr(client, method)(_url(route, obj), {})
    if needed and not user.has_perm(needed):
        assert response.status_code == 403
    else:
        assert response.status_code in (400, 405), (role, route.name, response.status_code)


@pytest.mark.parametrize(
    "route",
    [
        r
        for r in ALL_ROUTES
        if r.access == "scoped"
        and r.actions is None
        and hasattr(r.view, "get")
        and "get" not in r.methods()
    ],
    ids=lambda r: r.name,
)
def test_step_routes_answer_post_only(client, cast, route):
    """A step (submit, sign, file …) is never the record's page served at the step's address."""
    spec = SPECS[route.model]
    needed = getattr(route.view, "required_permission", None)
    users = cast.by_role()
    # someone who may take the step: the method is what is refused, nothing else
    allowed = [users[r] for r in sorted(spec.readers) if not needed or users[r].has_perm(needed)]
    client.force_login(allowed[0])
    obj = spec.make(cast) if route.kwargs else None
    assert client.get(_url(route, obj)).status_code == 405


@pytest.mark.parametrize("role", ROLES)
def test_admin_is_for_administrators_only(client, cast, role):
    user = cast.by_role()[role]
    user.is_staff = role == "admin"
    user.save()
    client.force_login(user)
    response = client.get(reverse("admin:index"))
    if role == "admin":
        assert response.status_code == 200
    else:
        assert response.status_code == 302 and re.search(r"/admin/login/", response["Location"])


# --- valid writes against targets out of reach -----------------------------------------------
# An empty form proves little: a view could check the input before the scope. These post what a
# writer would post, with the target in a state where the step would succeed for its writer, and
# assert that everyone else is refused (out of scope 404, no right 403) and nothing changed.


def _draft_check(cast):
    check = stage1.self_check(cast)
    SelfCheck.objects.filter(pk=check.pk).update(status="draft")
    return SelfCheck.objects.get(pk=check.pk)


def _started(cast):
    return stage1.finding(cast).inspection


def _future() -> str:
    import datetime as dt

    from django.utils import timezone

    return str(timezone.localdate() + dt.timedelta(days=7))


PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 100


def _png() -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"file": SimpleUploadedFile("越权.png", PNG, content_type="image/png")}


def _draft_answer(cast):
    return _draft_check(cast).answers.first()


def _complete_draft(cast):
    """A draft table its enterprise could submit right now."""
    import datetime as dt

    check = _draft_check(cast)
    SelfCheck.objects.filter(pk=check.pk).update(
        filled_on=dt.date(2020, 4, 20),
        env_manager="吴华",
        env_manager_phone="13812345678",
        declaration=True,
    )
    return SelfCheck.objects.get(pk=check.pk)


def _ready_record(cast):
    """An inspection in progress with every line, the header and every signature: submittable."""
    from tests.inspections.test_onsite import complete

    return complete(cast, stage1.inspection(cast))


def _submitted_problem_line(cast):
    from inspections.services import onsite

    record = onsite.inspection_submit(actor=cast.county, inspection=_ready_record(cast))
    return record.findings.get(result="problem")


def _assignment_to_sign(cast):
    org.document(cast)  # the year's commitment text is published
    return org.assignment(cast)


def _finished_assignment(cast):
    """A signed cross-region task that has ended: its person may now file the self-check."""
    import datetime as dt

    from django.utils import timezone

    commitment = org.commitment(cast)
    ended = timezone.localdate() - dt.timedelta(days=1)
    type(commitment.assignment).objects.filter(pk=commitment.assignment_id).update(
        starts_on=ended - dt.timedelta(days=5), ends_on=ended
    )
    return type(commitment.assignment).objects.get(pk=commitment.assignment_id)


def _self_check_items(o) -> dict:
    from campaign.models.integrity import SELF_CHECK_ITEMS

    return {f"{key}_ok": "yes" for key, _label in SELF_CHECK_ITEMS}


VALID_WRITES: dict[str, tuple[Any, Any, bool]] = {
    # route: (make the target, the body a writer would post, JSON?)
    "inspections:self-check-header": (
        _draft_check,
        lambda o: {"filler_name": "越权改写", "env_manager": "越权", "declaration": "on"},
        False,
    ),
    "inspections:self-check-file": (
        stage1.self_check,
        lambda o: {"confirm": "yes", "comment": "越权备案"},
        False,
    ),
    "inspections:self-check-return": (
        stage1.self_check,
        lambda o: {"comment": "越权退回"},
        False,
    ),
    "inspections:answer-save": (
        lambda cast: _draft_check(cast).answers.first(),
        lambda o: {f"a{o.pk}-result": "noncompliant", f"a{o.pk}-problem": "越权"},
        False,
    ),
    "inspections:inspection-start": (
        lambda cast: stage1.inspection(cast),
        lambda o: {"confirm": "yes"},
        False,
    ),
    "inspections:inspection-header": (
        _started,
        lambda o: {"revision": o.revision, "place": "越权改写的地点"},
        False,
    ),
    "inspections:inspection-postpone": (
        lambda cast: stage1.inspection(cast),
        lambda o: {"reason": "越权改期", "new_date": _future()},
        False,
    ),
    "inspections:finding-save": (
        stage1.finding,
        lambda o: {f"f{o.pk}-result": "ok", f"f{o.pk}-revision": o.revision},
        False,
    ),
    "api-finding-save": (
        stage1.finding,
        lambda o: {"revision": o.revision, "result": "ok", "note": "越权"},
        True,
    ),
    "api-inspection-header": (
        _started,
        lambda o: {"revision": o.revision, "place": "越权改写的地点"},
        True,
    ),
    "api-inspection-sign": (
        _started,
        lambda o: {"who": "me", "signature": stage1.SIGNATURE},
        True,
    ),
    # the other inspector signing on the holder's phone, with a (right) password
    "inspections:inspection-sign": (
        _started,
        lambda o: {
            "who": "me",
            "signature": stage1.SIGNATURE,
            "signer": User.objects.get(username="js2").pk,
            "signer_password": PASSWORD,
        },
        False,
    ),
    "api-answer-save": (
        lambda cast: _draft_check(cast).answers.first(),
        lambda o: {"result": "noncompliant", "problem": "越权"},
        True,
    ),
    "api-self-check-file": (stage1.self_check, lambda o: {"confirm": True}, True),
    "api-self-check-return": (stage1.self_check, lambda o: {"comment": "越权退回"}, True),
    "campaign:complaint-transition": (
        org.complaint,
        lambda o: {"to_status": "investigating", "note": "越权办理"},
        False,
    ),
    # files: multipart posts of a real image
    "inspections:answer-evidence": (_draft_answer, lambda o: _png(), False),
    "api-answer-evidence": (_draft_answer, lambda o: _png(), False),
    "inspections:finding-evidence": (stage1.finding, lambda o: _png(), False),
    "api-finding-evidence": (stage1.finding, lambda o: _png(), False),
    # the steps that lock or correct a record
    "inspections:self-check-open": (
        lambda cast: cast.ent,
        lambda o: {"campaign": str(org.campaign().year)},
        False,
    ),
    "inspections:self-check-submit": (_complete_draft, lambda o: {}, False),
    "inspections:inspection-submit": (_ready_record, lambda o: {"late_reason": "越权提交"}, False),
    "api-inspection-submit": (
        _ready_record,
        lambda o: {"confirm": True, "late_reason": "越权提交"},
        True,
    ),
    "inspections:finding-amend": (
        _submitted_problem_line,
        lambda o: {"reason": "越权更正", "description": "越权改写的问题"},
        False,
    ),
    "api-finding-amend": (
        _submitted_problem_line,
        lambda o: {"reason": "越权更正", "description": "越权改写的问题"},
        True,
    ),
    # the registry and the organisation
    "enterprises:update": (
        lambda cast: cast.ent,
        lambda o: _enterprise_form(o, name="越权改写的名称"),
        False,
    ),
    "campaign:city-window-delete": (org.city_window, lambda o: {"confirm": "yes"}, False),
    "campaign:pool-remove": (org.pool_membership, lambda o: {"confirm": "yes"}, False),
    "campaign:person-pool-add": (
        lambda cast: cast.county,
        lambda o: {"pool": "inspectors", "note": "越权入库"},
        False,
    ),
    "campaign:roster-duties": (org.roster_group, lambda o: {"duties": "越权改写的职责"}, False),
    "campaign:roster-member-add": (
        org.roster_group,
        lambda o: {"name": "越权成员", "position": "member", "unit": "越权单位"},
        False,
    ),
    "campaign:roster-member-delete": (org.roster_member, lambda o: {"confirm": "yes"}, False),
    "campaign:assignment-sign": (
        _assignment_to_sign,
        lambda o: {"agree": "on", "signed_name": o.user.full_name},
        False,
    ),
    "campaign:assignment-self-check": (_finished_assignment, _self_check_items, False),
    "cases:step": (
        _case_investigating,
        lambda o: {
            "to": "reviewing",
            "expected": "investigating",
            "report": "越权提交的调查报告",
            "reviewer": User.objects.get(username="js-review").pk,
        },
        False,
    ),
    "cases:notice-draft": (_reviewed_case, lambda o: {}, False),
    "cases:notice-serve": (
        _draft_notice,
        lambda o: {"served_on": _today(), "method": "direct", "recipient": "越权签收"},
        False,
    ),
    "api-notice-serve": (
        _draft_notice,
        lambda o: {"served_on": _today(), "method": "direct", "recipient": "越权签收"},
        True,
    ),
    "cases:notice-withdraw": (_draft_notice, lambda o: {"reason": "越权撤回"}, False),
    "cases:notice-reply": (
        _served_notice,
        lambda o: {"kind": "statement", "text": "越权陈述"},
        False,
    ),
    "api-notice-reply": (
        _served_notice,
        lambda o: {"kind": "statement", "text": "越权陈述"},
        True,
    ),
    "cases:discretion": (
        _case_investigating,
        lambda o: {"factor_eia_document": "2", "factor_eia_progress": "3", "base": "2000000"},
        False,
    ),
    "cases:document-issue": (
        _case_investigating,
        lambda o: {"kind": "order", "on": _today(), "correction": "越权责令改正"},
        False,
    ),
    "api-document-issue": (
        _case_investigating,
        lambda o: {"kind": "order", "correction": "越权责令改正"},
        True,
    ),
    "cases:document-serve": (
        _issued_order,
        lambda o: {"served_on": _today(), "method": "direct", "recipient": "越权签收"},
        False,
    ),
    "api-document-serve": (
        _issued_order,
        lambda o: {"served_on": _today(), "method": "direct", "recipient": "越权签收"},
        True,
    ),
    "cases:notice-service-record": (
        _served_notice,
        lambda o: {"confirm": "on", "witnesses": "越权见证"},
        False,
    ),
    "cases:commitment": (_exemption, _commitment_body, False),
    "cases:follow-up": (
        _committed_exemption,
        lambda o: {"on": _today(), "passed": "yes", "result": "越权复查"},
        False,
    ),
    "cases:measure-start": (
        _case_investigating,
        lambda o: {"kind": "crime", "detail": "越权移送"},
        False,
    ),
    "api-measure-start": (
        _case_investigating,
        lambda o: {"kind": "crime", "detail": "越权移送"},
        True,
    ),
    "cases:measure-act": (_restriction, lambda o: {"action": "plan_filed"}, False),
    "api-measure-act": (_restriction, lambda o: {"action": "plan_filed"}, True),
    "api-case-step": (
        _case_investigating,
        lambda o: {
            "to": "reviewing",
            "expected": "investigating",
            "report": "越权提交的调查报告",
            "reviewer": "js-review",
        },
        True,
    ),
    "rectification:item-edit": (
        stage4.item,
        lambda o: {"requirement": "越权改写的要求", "measures": "越权措施", "milestones": ""},
        False,
    ),
    "rectification:measure-done": (
        stage4.item_with_measure,
        lambda o: {"measure": o.measures.get().pk, "done_on": _today()},
        False,
    ),
    "rectification:progress": (
        stage4.item,
        lambda o: {"text": "越权报送的进展", "kind": "photo"},
        False,
    ),
    "rectification:evidence": (
        stage4.item,
        lambda o: {"kind": "photo", "file": stage4.jpeg("越权.jpg")},
        False,
    ),
    "rectification:apply": (stage4.applicable_item, lambda o: {"note": "越权申请销号"}, False),
    "rectification:extension": (
        stage4.item,
        lambda o: {"deadline": _future(), "reason": "越权申请延期"},
        False,
    ),
    "rectification:check": (
        stage4.applied_item,
        lambda o: {
            "method": "paper",
            "checked_on": _today(),
            "officers": [User.objects.get(username="js").pk, stage4.staff("js2").pk],
            "conclusion": "越权核查",
            "close": "0",
            "reason": "越权退回",
        },
        False,
    ),
    "rectification:extension-decide": (
        stage4.extension,
        lambda o: {"grant": "0", "note": "越权不同意"},
        False,
    ),
    "rectification:proposal-decide": (
        stage4.proposal,
        lambda o: {"confirm": "0", "note": "越权不予处理"},
        False,
    ),
    "api-rectification-item-plan": (
        stage4.item,
        lambda o: {"requirement": "越权改写的要求", "measures": ["越权措施"]},
        True,
    ),
    "api-rectification-measure-done": (
        stage4.item_with_measure,
        lambda o: {"measure": o.measures.get().pk, "done_on": _today()},
        True,
    ),
    "api-rectification-progress": (
        stage4.item,
        lambda o: {"text": "越权报送的进展", "kind": "photo", "files": [stage4.jpeg("越权.jpg")]},
        False,
    ),
    "api-rectification-evidence": (
        stage4.item,
        lambda o: {"kind": "photo", "file": stage4.jpeg("越权.jpg")},
        False,
    ),
    "api-rectification-apply": (
        stage4.applicable_item,
        lambda o: {"note": "越权申请销号", "expected": o.status},
        True,
    ),
    "api-rectification-extension": (
        stage4.item,
        lambda o: {"deadline": _future(), "reason": "越权申请延期"},
        True,
    ),
    "api-rectification-check": (
        stage4.applied_item,
        lambda o: {
            "method": "paper",
            "checked_on": _today(),
            "officers": ["js", stage4.staff("js2").username],
            "conclusion": "越权核查",
            "close": False,
            "reason": "越权退回",
            "expected": "applied",
        },
        True,
    ),
    "api-rectification-extension-decide": (
        stage4.extension,
        lambda o: {"grant": False, "note": "越权不同意"},
        True,
    ),
    "api-rectification-proposal-decide": (
        stage4.proposal,
        lambda o: {"confirm": False, "note": "越权不予处理"},
        True,
    ),
    "crosscheck:draw": (stage5.draft_round, lambda o: {"witnesses": "越权见证"}, False),
    "api-verification-round-draw": (
        stage5.draft_round,
        lambda o: {"witnesses": "越权见证"},
        True,
    ),
    "crosscheck:team-draw": (
        stage5.pooled_round,
        lambda o: {"officers": 2, "experts": 1, "witnesses": "越权见证"},
        False,
    ),
    "crosscheck:team-replay": (
        stage5.teamed_round,
        lambda o: {"digest": o.team_draw.digest},
        False,
    ),
    "api-verification-team-draw": (
        stage5.pooled_round,
        lambda o: {"officers": 2, "experts": 1, "witnesses": "越权见证"},
        True,
    ),
    "api-verification-team-replay": (
        stage5.teamed_round,
        lambda o: {"digest": o.team_draw.digest},
        True,
    ),
    "crosscheck:finding-add": (
        stage5.member_unit,
        lambda o: {"code": "ok", "description": "越权记录的发现"},
        False,
    ),
    "api-verification-finding-add": (
        stage5.member_unit,
        lambda o: {"code": "ok", "description": "越权记录的发现"},
        True,
    ),
    "crosscheck:finding-delete": (stage5.member_finding, lambda o: {"confirm": "yes"}, False),
    "crosscheck:record-sign": (
        stage5.member_record,
        lambda o: {"summary": "越权签名", "signature": stage5.SIGNATURE},
        False,
    ),
    "api-verification-record-sign": (
        stage5.member_record,
        lambda o: {"summary": "越权签名", "signature": stage5.SIGNATURE},
        True,
    ),
    "crosscheck:accountability-respond": (
        stage5.accountability,
        lambda o: {"response": "越权反馈"},
        False,
    ),
    "api-accountability-respond": (
        stage5.accountability,
        lambda o: {"response": "越权反馈"},
        True,
    ),
    "crosscheck:accountability-decide": (
        stage5.answered_accountability,
        lambda o: {"decision": "none", "note": "越权不予问责"},
        False,
    ),
    "api-accountability-decide": (
        stage5.answered_accountability,
        lambda o: {"decision": "none", "note": "越权不予问责"},
        True,
    ),
    "crosscheck:replay": (stage5.drawn_round, lambda o: {"digest": o.draw.frame_digest}, False),
    "crosscheck:reschedule": (stage5.draft_round, lambda o: stage5.reschedule_body(), False),
    "api-verification-round-reschedule": (
        stage5.draft_round,
        lambda o: stage5.reschedule_body(),
        True,
    ),
    "crosscheck:close": (
        stage5.drawn_round,
        lambda o: {"note": "越权结束", "confirm": "yes"},
        False,
    ),
    "api-verification-round-close": (
        stage5.drawn_round,
        lambda o: {"note": "越权结束", "confirm": True},
        True,
    ),
    "api-verification-round-replay": (
        stage5.drawn_round,
        lambda o: {"frame_digest": o.draw.frame_digest},
        True,
    ),
    # the multipart form of a piece (PATCH sends the same raw): the owner's first 15 bytes
    "api-upload": (
        _resumable_upload,
        _upload_piece,
        False,
    ),
}


def _enterprise_form(enterprise, **changes) -> dict:
    from tests.enterprises.test_views import form_data

    return form_data(enterprise, **changes)


def test_every_scoped_write_is_posted_validly_from_outside():
    """A new step on a record joins the valid-write matrix (an empty post proves little)."""
    missing = [
        r.name
        for r in ALL_ROUTES
        if r.access == "scoped"
        and r.kwargs
        and r.methods() & {"post", "put", "patch", "delete"}
        and r.name not in VALID_WRITES
    ]
    assert not missing, f"scoped write routes without a valid body in VALID_WRITES: {missing}"


def _state(obj) -> dict:
    from django.forms.models import model_to_dict

    from inspections.models import InspectionEvent, InspectionMember, ProblemEvent

    fresh = type(obj).objects.get(pk=obj.pk)
    from campaign.models import IntegrityCommitment, IntegritySelfCheck
    from inspections.models import SelfCheckEvent

    counts = {
        m.__name__: m.objects.count()
        for m in (
            Problem,
            ProblemEvent,
            Evidence,
            InspectionEvent,
            Inspection,
            SelfCheck,
            SelfCheckEvent,
            PoolMembership,
            RosterMember,
            StageWindow,
            IntegrityCommitment,
            IntegritySelfCheck,
            Notice,
            Reply,
            CaseEvent,
            Measure,
            MeasureEvent,
            CaseDocument,
            ServiceRecord,
            RectificationPlan,
            RectificationItem,
            ItemEvent,
            ProgressReport,
            ItemEvidence,
            Extension,
            ItemCheck,
            FacilityProposal,
            SampleDraw,
            SampledUnit,
            DrawReplay,
            Team,
            TeamMember,
            ConflictDeclaration,
            VerificationRecord,
            Finding,
            FindingPerson,
            RecordSignature,
            Accountability,
        )
    }
    # signatures live on the team's rows: a signature written from outside shows here
    signed = sorted(InspectionMember.objects.exclude(signature="").values_list("pk", "signed_at"))
    return {"row": model_to_dict(fresh), "counts": counts, "signed": signed}


def _may_write(route: Route, spec: Spec, role: str, user) -> bool:
    needed = getattr(route.view, "required_permission", None)
    if needed:
        return user.has_perm(needed) and role in spec.readers
    return role in spec.writers


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route_name", sorted(VALID_WRITES))
def test_a_valid_write_from_outside_changes_nothing(client, cast, role, route_name):
    route = next(r for r in ALL_ROUTES if r.name == route_name)
    spec = SPECS[route.model]
    make, body, as_json = VALID_WRITES[route_name]
    obj = make(cast)
    user = cast.by_role()[role]
    if _may_write(route, spec, role, user):
        return  # the writers' own journeys are tested with their features
    client.force_login(user)
    before = _state(obj)
    payload = body(obj)
    if as_json:
        response = client.post(_url(route, obj), payload, content_type="application/json")
    else:
        response = client.post(_url(route, obj), payload)
    assert response.status_code in (403, 404), (role, route_name, response.status_code)
    assert _state(obj) == before, (role, route_name)


WRITER = {
    "inspections:self-check-header": "enterprise",
    "inspections:answer-save": "enterprise",
    "api-answer-save": "enterprise",
    "inspections:answer-evidence": "enterprise",
    "api-answer-evidence": "enterprise",
    "inspections:self-check-open": "enterprise",
    "inspections:self-check-submit": "enterprise",
    "campaign:city-window-delete": "city",
    "campaign:pool-remove": "admin",
    "campaign:person-pool-add": "admin",
    "campaign:roster-duties": "admin",
    "campaign:roster-member-add": "admin",
    "campaign:roster-member-delete": "admin",
    "campaign:complaint-transition": "patrol",
    "cases:notice-reply": "enterprise",
    "api-notice-reply": "enterprise",
    "crosscheck:draw": "province",
    "api-verification-round-draw": "province",
    "crosscheck:replay": "province",
    "crosscheck:reschedule": "province",
    "api-verification-round-reschedule": "province",
    "crosscheck:close": "province",
    "api-verification-round-close": "province",
    "crosscheck:team-draw": "province",
    "crosscheck:finding-add": "other_county",
    "api-verification-finding-add": "other_county",
    "crosscheck:finding-delete": "other_county",
    "crosscheck:record-sign": "other_county",
    "api-verification-record-sign": "other_county",
    "crosscheck:accountability-respond": "city",
    "api-accountability-respond": "city",
    "crosscheck:accountability-decide": "province",
    "api-accountability-decide": "province",
    "api-verification-team-draw": "province",
    "api-verification-team-replay": "province",
    "crosscheck:team-replay": "province",
    "api-verification-round-replay": "province",
}


@pytest.mark.parametrize("route_name", sorted(VALID_WRITES))
def test_the_valid_writes_are_accepted_from_their_writer(client, cast, route_name):
    """The bodies above are what a writer posts: from the writer they go through (so a refusal
    from anyone else is the scope speaking, not a bad body)."""
    route = next(r for r in ALL_ROUTES if r.name == route_name)
    make, body, as_json = VALID_WRITES[route_name]
    obj = make(cast)
    client.force_login(cast.by_role()[WRITER.get(route_name, "county")])
    if as_json:
        response = client.post(_url(route, obj), body(obj), content_type="application/json")
    else:
        response = client.post(_url(route, obj), body(obj))
    assert response.status_code in (200, 201, 302), (route_name, response.status_code)


# --- creates that name something out of the creator's reach ---------------------------------------


def _plan_body(cast, *, enterprise, second: str) -> dict:
    return {
        "enterprise": enterprise.pk,
        "planned_on": "2020-05-20",
        "source": "special",
        "lead": cast.county.pk,
        "inspectors": [User.objects.get(username=second).pk],
    }


OUT_OF_REACH_CREATES: dict[str, Any] = {
    # route: (creator role, body naming an out-of-reach object, model whose rows must not grow)
    "inspections:inspection-plan": lambda cast: (
        _plan_body(cast, enterprise=cast.other_ent, second="js2"),
        False,
        Inspection,
    ),
    "api-inspection-plan": lambda cast: (
        {
            "enterprise": cast.ent.pk,
            "planned_on": "2020-05-20",
            "source": "special",
            "lead": "js",
            "inspectors": ["jx"],  # a 涧西 inspector on a 金水 team
        },
        True,
        Inspection,
    ),
    "cases:open": lambda cast: (
        {
            "enterprise": cast.other_ent.pk,
            "title": "越权登记的案件",
            "source": "other",
            "path": "strict",
            "discovered_on": "2020-05-20",
        },
        False,
        Case,
    ),
    "cases:classify": lambda cast: (
        {
            "problems": [stage3.problem(cast, enterprise=cast.other_ent).pk],
            "path": "guidance",
            "reason": "越权分类",
        },
        False,
        Classification,
    ),
    "api-classify": lambda cast: (
        {
            "problems": [stage3.problem(cast, enterprise=cast.other_ent).pk],
            "path": "guidance",
            "reason": "越权分类",
        },
        True,
        Classification,
    ),
    "api-notice-draft": lambda cast: ({"enterprise": cast.other_ent.pk}, True, Notice),
    "rectification:build": lambda cast: (
        {"enterprise": stage4.problem(cast, enterprise=cast.other_ent).enterprise_id},
        False,
        RectificationPlan,
    ),
    "rectification:guidance-new": lambda cast: (
        {
            "kind": "training",
            "held_on": "2020-05-20",
            "topic": "越权培训",
            "enterprises": [cast.other_ent.pk],
            "officers": [cast.county.pk],
            "attendees": 5,
        },
        False,
        GuidanceActivity,
    ),
    "enterprises:create": lambda cast: (
        _enterprise_form(cast.other_ent, credit_code="91410105MA44AB1234", name="越权新增单位"),
        False,
        Enterprise,
    ),
}


@pytest.mark.parametrize("route_name", sorted(OUT_OF_REACH_CREATES))
def test_a_create_naming_something_out_of_reach_creates_nothing(client, cast, route_name):
    from tests.inspections import factories as stage1_factories

    stage1_factories.inspection(cast)  # the catalogue and the second 金水 inspector
    # the 涧西 inspector holds a badge: refused for where they work, not for lacking one
    User.objects.filter(pk=cast.other_county.pk).update(badge_no="41030520009")
    body, as_json, model = OUT_OF_REACH_CREATES[route_name](cast)
    before = model.objects.count()
    client.force_login(cast.county)
    url = reverse(route_name)
    if as_json:
        response = client.post(url, body, content_type="application/json")
    else:
        response = client.post(url, body)
    assert response.status_code == 400, (route_name, response.status_code)
    assert model.objects.count() == before
