"""The same-rows floor of the page benchmarks: what a list costs with the least code that shows it.

Each floor fetches the rows its list shows (the first page of 50, in the user's scope, in the same
order, with the total) in ONE raw SQL statement: the page's 50 ids are picked first, in the list's
own order, and only those 50 rows are joined to their unit, regions, item and team (json_agg
subqueries); the total is a COUNT(*) subquery of the same statement. (`COUNT(*) OVER ()` on the
page's query was tried first: the window must read every row in scope in the list's order before
the LIMIT, 360 ms for the province's 130,000 units against 20 ms with the count on its own, which
PostgreSQL answers from an index alone.) A page is then rendered by the same
template with the same context keys as the real view, the rows being plain nested dicts shaped for
the template's lookups (`e.city.name`, `p.get_status_display`, `i.members.all`); an API list is a
plain dict build with the serializer's field names, in DRF's page shape, as a JsonResponse.

What the floors leave out, on purpose:
- query parameters (filters, page numbers): the benchmark opens page 1 of each list unfiltered
  (到期提醒 with `?within=`, every open clock: its form and links show it, the rows do not
  depend on it);
- object grants: the scale users hold none (the real lists still ask, one query);
- panels of other reads: the inspection list's per-county progress table (`by_county`), the
  self-check list's stage window (`window`) and 到期提醒's reminders written today (`reminders`)
  are passed empty; `mine` is empty (bureau users have no units of their own);
- the count cache: the floor counts its rows every time, where the real lists read a cached count
  (campaign.counting) — for a provincial user that count is most of the floor's time (the
  province's 240,000 problems: about 100 ms).

Only province-, city- and county-level users have a floor (the three users of the benchmark).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from campaign import access
from campaign.views import AuthenticatedMixin
from campaign.workdays import Due
from cases.filters import CaseFilter, DeadlineFilter
from cases.models import Case, Deadline, Path
from cases.rules import Against, Unit
from enterprises.models import Enterprise
from inspections.filters import InspectionFilter, ProblemFilter, SelfCheckFilter
from inspections.models import Inspection, Problem, ProblemKind, SelfCheck

PAGE_SIZE = 50

# the current campaign as `calendar_selectors.campaign_current()` picks it: the current one,
# else the newest
CURRENT_CAMPAIGN = (
    "SELECT id, year FROM campaign_campaign ORDER BY is_current DESC, year DESC LIMIT 1"
)


def _scope(user: Any, alias: str) -> tuple[str, list]:
    """The access policy's region reach as a WHERE condition on the row's own region columns."""
    reach = access.jurisdiction(user)
    if reach.reach is access.Reach.ALL:
        return "TRUE", []
    if reach.reach is access.Reach.CITY:
        return f"{alias}.city_id = %s", [reach.region_id]
    if reach.reach is access.Reach.COUNTY:
        return f"{alias}.county_id = %s", [reach.region_id]
    raise Http404("The same-rows floor serves province, city and county users only.")


def _fetch(sql: str, params: list) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column.name for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _total(rows: list[dict]) -> int:
    return rows[0]["total"] if rows else 0


def _page(objects: list, total: int) -> Page:
    """Page 1 of a paginator that knows the real total (the rows are page 1 already)."""
    paginator = Paginator(objects, PAGE_SIZE)
    paginator.count = total  # a cached_property: set here, never computed from the 50 rows
    return paginator.page(1)


def _when(value):
    """A datetime as DRF writes it: ISO 8601 in the current time zone (Asia/Shanghai)."""
    if value is None:
        return None
    text = timezone.localtime(value).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _day(value):
    return value.isoformat() if value is not None else None


def _decimal(value):
    return str(value) if value is not None else None


def _api(request: HttpRequest, path: str, results: list[dict], total: int) -> JsonResponse:
    """DRF's page shape, written compactly and without ASCII escapes as its JSONRenderer does."""
    more = total > PAGE_SIZE
    return JsonResponse(
        {
            "count": total,
            "next": request.build_absolute_uri(path) + "?page=2" if more else None,
            "previous": None,
            "results": results,
        },
        json_dumps_params={"ensure_ascii": False, "separators": (",", ":")},
    )


def _url(name: str) -> Callable[[int], str]:
    """A detail address per row without resolving the pattern again for each one."""
    marker = 987654321
    pattern = reverse(name, args=[marker]).replace(str(marker), "{}")
    return pattern.format


# --- 排污单位 ------------------------------------------------------------------------------

ENTERPRISES = """
WITH page AS (
    -- the row number keeps the order of the list's ties (units of one name in one county)
    SELECT e.id, ROW_NUMBER() OVER (ORDER BY e.city_id, e.county_id, e.name) AS n
    FROM enterprises_enterprise e
    WHERE {scope}
    ORDER BY e.city_id, e.county_id, e.name
    LIMIT 50
)
SELECT e.*, co.code AS county_code, co.name AS county_name, ci.code AS city_code,
       ci.name AS city_name, ind.code AS industry_code, ind.name AS industry_name,
       (SELECT COUNT(*) FROM enterprises_enterprise e WHERE {scope}) AS total
FROM page
JOIN enterprises_enterprise e ON e.id = page.id
JOIN campaign_region co ON co.id = e.county_id
JOIN campaign_region ci ON ci.id = e.city_id
JOIN campaign_industry ind ON ind.id = e.industry_id
ORDER BY page.n
"""


def _filter_form(filterset_class, model, request: HttpRequest):
    """The list's filter form as its view builds it (the region pickers are two small queries)."""
    return filterset_class(request.GET, queryset=model.objects.none(), request=request)


def _enterprise_rows(user) -> list[dict]:
    scope, params = _scope(user, "e")
    return _fetch(ENTERPRISES.format(scope=scope), params * 2)


class EnterprisesPage(AuthenticatedMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        from enterprises.filters import EnterpriseFilter

        rows = _enterprise_rows(request.user)
        objects = [
            {
                "pk": r["id"],
                "name": r["name"],
                "credit_code": r["credit_code"],
                "city": {"name": r["city_name"]},
                "county": {"name": r["county_name"]},
                "industry": {"name": r["industry_name"]},
                "is_key_unit": r["is_key_unit"],
                "in_yellow_river_basin": r["in_yellow_river_basin"],
            }
            for r in rows
        ]
        # the filter form as the view builds it (its region choices are two small queries)
        filterset = EnterpriseFilter(
            request.GET, queryset=Enterprise.objects.none(), request=request
        )
        return render(
            request,
            "enterprises/list.html",
            {
                "filter": filterset,
                "page": _page(objects, _total(rows)),
                "query": "",
                "can_add": request.user.has_perm("enterprises.add_enterprise"),
                "can_import": request.user.has_perm("enterprises.import_enterprise"),
            },
        )


class EnterprisesApi(AuthenticatedMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        rows = _enterprise_rows(request.user)
        detail = _url("enterprises:detail")
        results = [
            {
                "id": r["id"],
                "credit_code": r["credit_code"],
                "name": r["name"],
                "county_code": r["county_code"],
                "county_name": r["county_name"],
                "city_code": r["city_code"],
                "city_name": r["city_name"],
                "address": r["address"],
                "longitude": _decimal(r["longitude"]),
                "latitude": _decimal(r["latitude"]),
                "industry_code": r["industry_code"],
                "industry_name": r["industry_name"],
                "is_key_unit": r["is_key_unit"],
                "key_types": [label for field, label in Enterprise.KEY_TYPES if r[field]],
                "in_yellow_river_basin": r["in_yellow_river_basin"],
                "in_census": r["in_census"],
                "permit_class": r["permit_class"],
                "has_hazardous_waste": r["has_hazardous_waste"],
                "has_tailings_pond": r["has_tailings_pond"],
                "has_radiation": r["has_radiation"],
                "permit_no": r["permit_no"],
                "permit_valid_until": _day(r["permit_valid_until"]),
                "auto_monitoring_installed": r["auto_monitoring_installed"],
                "auto_monitoring_connected": r["auto_monitoring_connected"],
                "legal_representative": r["legal_representative"],
                "contact_person": r["contact_person"],
                "contact_phone": r["contact_phone"],
                "web_url": detail(r["id"]),
                "updated_at": _when(r["updated_at"]),
            }
            for r in rows
        ]
        return _api(request, "/api/v1/enterprises/", results, _total(rows))


# --- 企业自查 ------------------------------------------------------------------------------

# the page: the current campaign, key units first, then by city, county and unit name
SELF_CHECKS_PAGE = f"""
WITH cur AS ({CURRENT_CAMPAIGN}),
page AS (
    SELECT sc.id,
           ROW_NUMBER() OVER (
               ORDER BY e.is_key_unit DESC, sc.city_id, sc.county_id, e.name
           ) AS n
    FROM inspections_selfcheck sc
    JOIN enterprises_enterprise e ON e.id = sc.enterprise_id
    WHERE sc.campaign_id = (SELECT id FROM cur) AND {{scope}}
    ORDER BY e.is_key_unit DESC, sc.city_id, sc.county_id, e.name
    LIMIT 50
)
SELECT sc.id, sc.status, sc.submitted_at, sc.is_late, e.name AS enterprise_name,
       e.is_key_unit, ci.name AS city_name, co.name AS county_name,
       (SELECT COUNT(*) FROM inspections_selfcheck sc
        WHERE sc.campaign_id = (SELECT id FROM cur) AND {{scope}}) AS total,
       (SELECT year FROM cur) AS campaign_year
FROM page
JOIN inspections_selfcheck sc ON sc.id = page.id
JOIN enterprises_enterprise e ON e.id = sc.enterprise_id
JOIN campaign_region ci ON ci.id = sc.city_id
JOIN campaign_region co ON co.id = sc.county_id
ORDER BY page.n
"""

# the API: every campaign, most recently changed first
SELF_CHECKS_API = """
WITH page AS (
    SELECT sc.id FROM inspections_selfcheck sc WHERE {scope} ORDER BY sc.updated_at DESC LIMIT 50
)
SELECT sc.id, sc.status, sc.filler_name, sc.filled_on, sc.env_manager, sc.env_manager_phone,
       sc.submitted_at, sc.is_late, sc.reviewed_at, sc.review_comment,
       e.name AS enterprise_name, e.credit_code, co.code AS county_code, ci.code AS city_code,
       v.code AS catalogue_version,
       (SELECT COUNT(*) FROM inspections_selfcheck sc WHERE {scope}) AS total
FROM page
JOIN inspections_selfcheck sc ON sc.id = page.id
JOIN enterprises_enterprise e ON e.id = sc.enterprise_id
JOIN campaign_region co ON co.id = sc.county_id
JOIN campaign_region ci ON ci.id = sc.city_id
JOIN inspections_catalogueversion v ON v.id = sc.version_id
ORDER BY sc.updated_at DESC
"""

SELF_CHECK_STATUS = dict(SelfCheck.Status.choices)


class SelfChecksPage(AuthenticatedMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        scope, params = _scope(request.user, "sc")
        rows = _fetch(SELF_CHECKS_PAGE.format(scope=scope), params * 2)
        objects = [
            {
                "pk": r["id"],
                "status": r["status"],
                "get_status_display": SELF_CHECK_STATUS.get(r["status"], r["status"]),
                "submitted_at": r["submitted_at"],
                "is_late": r["is_late"],
                "enterprise": {"name": r["enterprise_name"], "is_key_unit": r["is_key_unit"]},
                "city": {"name": r["city_name"]},
                "county": {"name": r["county_name"]},
            }
            for r in rows
        ]
        return render(
            request,
            "inspections/self_checks.html",
            {
                "filter": _filter_form(SelfCheckFilter, SelfCheck, request),
                "campaign": {"year": rows[0]["campaign_year"]} if rows else None,
                "page": _page(objects, _total(rows)),
                "status": "",
                "statuses": SelfCheck.Status.choices,
                "mine": [],  # bureau users have no units of their own
                "can_review": request.user.has_perm("inspections.review_selfcheck"),
                "query": "",
                "window": None,  # the stage window is another read: left out of the floor
            },
        )


class SelfChecksApi(AuthenticatedMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        scope, params = _scope(request.user, "sc")
        rows = _fetch(SELF_CHECKS_API.format(scope=scope), params * 2)
        pdf = _url("inspections:self-check-pdf")
        filed = SelfCheck.Status.FILED
        results = [
            {
                "id": r["id"],
                "enterprise_name": r["enterprise_name"],
                "credit_code": r["credit_code"],
                "county_code": r["county_code"],
                "city_code": r["city_code"],
                "catalogue_version": r["catalogue_version"],
                "status": r["status"],
                "filler_name": r["filler_name"],
                "filled_on": _day(r["filled_on"]),
                "env_manager": r["env_manager"],
                "env_manager_phone": r["env_manager_phone"],
                "submitted_at": _when(r["submitted_at"]),
                "is_late": r["is_late"],
                "reviewed_at": _when(r["reviewed_at"]),
                "review_comment": r["review_comment"],
                "pdf_url": pdf(r["id"]) if r["status"] == filed else None,
            }
            for r in rows
        ]
        return _api(request, "/api/v1/self-checks/", results, _total(rows))


# --- 现场检查 ------------------------------------------------------------------------------

# the page: the current campaign, earliest planned first; the team in the model's order
INSPECTIONS_PAGE = f"""
WITH cur AS ({CURRENT_CAMPAIGN}),
page AS (
    SELECT i.id
    FROM inspections_inspection i
    WHERE i.campaign_id = (SELECT id FROM cur) AND {{scope}}
    ORDER BY i.planned_on, i.id
    LIMIT 50
)
SELECT i.id, i.planned_on, i.source, i.status, i.is_late, e.name AS enterprise_name,
       co.name AS county_name,
       (SELECT COUNT(*) FROM inspections_inspection i
        WHERE i.campaign_id = (SELECT id FROM cur) AND {{scope}}) AS total,
       (SELECT COALESCE(json_agg(json_build_object(
                    'role', m.role, 'user', json_build_object('full_name', u.full_name))
                ORDER BY m.role, m.id), '[]')
        FROM inspections_inspectionmember m JOIN campaign_user u ON u.id = m.user_id
        WHERE m.inspection_id = i.id) AS members
FROM page
JOIN inspections_inspection i ON i.id = page.id
JOIN enterprises_enterprise e ON e.id = i.enterprise_id
JOIN campaign_region co ON co.id = i.county_id
ORDER BY i.planned_on, i.id
"""

# the API: every campaign, latest planned first
INSPECTIONS_API = """
WITH page AS (
    SELECT i.id FROM inspections_inspection i
    WHERE {scope}
    ORDER BY i.planned_on DESC, i.id DESC
    LIMIT 50
)
SELECT i.id, i.source, i.planned_on, i.status, i.started_at, i.ended_at, i.place,
       i.representative_name, i.summary, i.suggestion, i.submitted_at, i.is_late,
       i.late_reason, i.revision, e.name AS enterprise_name, e.credit_code,
       co.code AS county_code, ci.code AS city_code,
       (SELECT COUNT(*) FROM inspections_inspection i WHERE {scope}) AS total,
       (SELECT COALESCE(json_agg(json_build_object(
                    'name', u.full_name, 'role', m.role, 'badge_no', u.badge_no,
                    'signed', m.signed_at IS NOT NULL)
                ORDER BY m.role, m.id), '[]')
        FROM inspections_inspectionmember m JOIN campaign_user u ON u.id = m.user_id
        WHERE m.inspection_id = i.id) AS team
FROM page
JOIN inspections_inspection i ON i.id = page.id
JOIN enterprises_enterprise e ON e.id = i.enterprise_id
JOIN campaign_region co ON co.id = i.county_id
JOIN campaign_region ci ON ci.id = i.city_id
ORDER BY i.planned_on DESC, i.id DESC
"""

INSPECTION_STATUS = dict(Inspection.Status.choices)
INSPECTION_SOURCE = dict(Inspection.Source.choices)


class InspectionsPage(AuthenticatedMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        scope, params = _scope(request.user, "i")
        rows = _fetch(INSPECTIONS_PAGE.format(scope=scope), params * 2)
        objects = [
            {
                "pk": r["id"],
                "planned_on": r["planned_on"],
                "enterprise": {"name": r["enterprise_name"]},
                "county": {"name": r["county_name"]},
                "get_source_display": INSPECTION_SOURCE.get(r["source"], r["source"]),
                "members": {"all": r["members"]},
                "get_status_display": INSPECTION_STATUS.get(r["status"], r["status"]),
                "is_late": r["is_late"],
            }
            for r in rows
        ]
        return render(
            request,
            "inspections/inspections.html",
            {
                "filter": _filter_form(InspectionFilter, Inspection, request),
                "page": _page(objects, _total(rows)),
                "status": "",
                "statuses": Inspection.Status.choices,
                # the per-county progress table is another read: left out of the floor
                "by_county": [],
                "can_plan": request.user.has_perm("inspections.plan_inspection"),
                "query": "",
                "today": timezone.localdate(),
            },
        )


class InspectionsApi(AuthenticatedMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        scope, params = _scope(request.user, "i")
        rows = _fetch(INSPECTIONS_API.format(scope=scope), params * 2)
        pdf = _url("inspections:inspection-pdf")
        submitted = Inspection.Status.SUBMITTED
        results = [
            {
                "id": r["id"],
                "enterprise_name": r["enterprise_name"],
                "credit_code": r["credit_code"],
                "county_code": r["county_code"],
                "city_code": r["city_code"],
                "source": r["source"],
                "planned_on": _day(r["planned_on"]),
                "status": r["status"],
                "started_at": _when(r["started_at"]),
                "ended_at": _when(r["ended_at"]),
                "place": r["place"],
                "representative_name": r["representative_name"],
                "summary": r["summary"],
                "suggestion": r["suggestion"],
                "submitted_at": _when(r["submitted_at"]),
                "is_late": r["is_late"],
                "late_reason": r["late_reason"],
                "revision": r["revision"],
                "team": r["team"],
                "pdf_url": pdf(r["id"]) if r["status"] == submitted else None,
            }
            for r in rows
        ]
        return _api(request, "/api/v1/inspections/", results, _total(rows))


# --- 问题台账 ------------------------------------------------------------------------------

# primaries only, withdrawn ones left out (ProblemFilter), newest first; each with the sources
# (page) or ids (API) of its confirmations in the user's scope, newest first
PROBLEMS = """
WITH page AS (
    SELECT p.id
    FROM inspections_problem p
    WHERE p.primary_id IS NULL AND p.status = ANY(%s) AND {scope}
    ORDER BY p.found_at DESC, p.id DESC
    LIMIT 50
)
SELECT p.id, p.enterprise_id, p.source, p.self_found, p.kind, p.severity, p.description,
       p.measure, p.deadline,
       p.responsible, p.status, p.found_at, e.name AS enterprise_name, co.code AS county_code,
       co.name AS county_name, ci.code AS city_code, it.code AS item_code,
       it.title AS item_title,
       (SELECT COUNT(*) FROM inspections_problem p
        WHERE p.primary_id IS NULL AND p.status = ANY(%s) AND {scope}) AS total,
       (SELECT COALESCE(json_agg(c.{confirmation} ORDER BY c.found_at DESC, c.id DESC), '[]')
        FROM inspections_problem c
        WHERE c.primary_id = p.id AND {confirmation_scope}) AS confirmations
FROM page
JOIN inspections_problem p ON p.id = page.id
JOIN enterprises_enterprise e ON e.id = p.enterprise_id
JOIN campaign_region co ON co.id = p.county_id
JOIN campaign_region ci ON ci.id = p.city_id
JOIN inspections_checkitem it ON it.id = p.item_id
ORDER BY p.found_at DESC, p.id DESC
"""

COUNTED = [str(status) for status in Problem.COUNTED]
PROBLEM_SOURCE = dict(Problem.Source.choices)
PROBLEM_KIND = dict(ProblemKind.choices)
PROBLEM_STATUS = dict(Problem.Status.choices)


def _problem_rows(user, confirmation: str) -> list[dict]:
    scope, params = _scope(user, "p")
    confirmation_scope, confirmation_params = _scope(user, "c")
    sql = PROBLEMS.format(
        scope=scope, confirmation=confirmation, confirmation_scope=confirmation_scope
    )
    return _fetch(sql, [COUNTED, *params, COUNTED, *params, *confirmation_params])


class ProblemsPage(AuthenticatedMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        rows = _problem_rows(request.user, "source")
        objects = [
            {
                "pk": r["id"],
                "enterprise_id": r["enterprise_id"],
                "enterprise": {"name": r["enterprise_name"]},
                "county": {"name": r["county_name"]},
                "item": {"code": r["item_code"], "title": r["item_title"]},
                "description": r["description"],
                "get_source_display": PROBLEM_SOURCE.get(r["source"], r["source"]),
                "self_found": r["self_found"],
                "confirmations": {
                    "all": [
                        {"get_source_display": PROBLEM_SOURCE.get(s, s)} for s in r["confirmations"]
                    ]
                },
                "get_kind_display": PROBLEM_KIND.get(r["kind"], r["kind"]),
                "get_status_display": PROBLEM_STATUS.get(r["status"], r["status"]),
            }
            for r in rows
        ]
        return render(
            request,
            "inspections/problems.html",
            {
                "filter": _filter_form(ProblemFilter, Problem, request),
                "narrowed": [],  # no filter from 问题统计 on the benchmark's requests
                "page": _page(objects, _total(rows)),
                "query": "",
                "sources": Problem.Source.choices,
                "kinds": Problem._meta.get_field("kind").choices,
                "statuses": [(s, Problem.Status(s).label) for s in Problem.Status if s != "merged"],
            },
        )


class ProblemsApi(AuthenticatedMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        rows = _problem_rows(request.user, "id")
        results = [
            {
                "id": r["id"],
                "enterprise_name": r["enterprise_name"],
                "county_code": r["county_code"],
                "city_code": r["city_code"],
                "item_code": r["item_code"],
                "source": r["source"],
                "self_found": r["self_found"],
                "kind": r["kind"],
                "severity": r["severity"],
                "description": r["description"],
                "measure": r["measure"],
                "deadline": _day(r["deadline"]),
                "responsible": r["responsible"],
                "status": r["status"],
                "found_at": _when(r["found_at"]),
                "confirmations": r["confirmations"],
            }
            for r in rows
        ]
        return _api(request, "/api/v1/problems/", results, _total(rows))


# --- 案件 and 到期提醒 (stage 3) ------------------------------------------------------------

# every campaign's cases, newest registered first; 有逾期期限 as the selector's EXISTS
CASES = """
WITH page AS (
    SELECT c.id FROM cases_case c WHERE {scope} ORDER BY c.opened_at DESC, c.id DESC LIMIT 50
)
SELECT c.id, c.title, c.path, c.source, c.status, c.discovered_on, c.filed_on, c.rules,
       c.proposed_fine, c.fine, c.decided_on, c.served_on, c.closed_on,
       e.name AS enterprise_name, co.code AS county_code, co.name AS county_name,
       vt.code AS violation_type_code,
       EXISTS (SELECT 1 FROM cases_deadline d
               WHERE d.case_id = c.id AND d.done_on IS NULL AND d.against = 'bureau'
                 AND d.due_date < %s) AS has_overdue,
       (SELECT COUNT(*) FROM cases_case c WHERE {scope}) AS total
FROM page
JOIN cases_case c ON c.id = page.id
JOIN enterprises_enterprise e ON e.id = c.enterprise_id
JOIN campaign_region co ON co.id = c.county_id
LEFT JOIN cases_violationtype vt ON vt.id = c.violation_type_id
ORDER BY c.opened_at DESC, c.id DESC
"""

CASE_STATUS = dict(Case.Status.choices)
CASE_PATH = dict(Path.choices)


def _case_rows(user) -> list[dict]:
    scope, params = _scope(user, "c")
    return _fetch(CASES.format(scope=scope), [*params, timezone.localdate(), *params])


class CasesPage(AuthenticatedMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        rows = _case_rows(request.user)
        objects = [
            {
                "pk": r["id"],
                "has_overdue": r["has_overdue"],
                "enterprise": {"name": r["enterprise_name"]},
                "county": {"name": r["county_name"]},
                "title": r["title"],
                "violation_type": {"code": r["violation_type_code"]}
                if r["violation_type_code"]
                else None,
                "get_path_display": CASE_PATH.get(r["path"], r["path"]),
                "filed_on": r["filed_on"],
                "get_status_display": CASE_STATUS.get(r["status"], r["status"]),
                "fine": r["fine"],
                "proposed_fine": r["proposed_fine"],
            }
            for r in rows
        ]
        return render(
            request,
            "cases/cases.html",
            {
                "filter": _filter_form(CaseFilter, Case, request),
                "page": _page(objects, _total(rows)),
                "query": "",
            },
        )


class CasesApi(AuthenticatedMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        rows = _case_rows(request.user)
        results = [
            {
                "id": r["id"],
                "enterprise_name": r["enterprise_name"],
                "county_code": r["county_code"],
                "title": r["title"],
                "violation_type_code": r["violation_type_code"],
                "path": r["path"],
                "source": r["source"],
                "discovered_on": _day(r["discovered_on"]),
                "filed_on": _day(r["filed_on"]),
                "rules": r["rules"],
                "status": r["status"],
                "proposed_fine": r["proposed_fine"],
                "fine": r["fine"],
                "decided_on": _day(r["decided_on"]),
                "served_on": _day(r["served_on"]),
                "closed_on": _day(r["closed_on"]),
            }
            for r in rows
        ]
        return _api(request, "/api/v1/cases/", results, _total(rows))


# the open clocks of the cases in scope that are not finished, soonest first
DEADLINES = """
WITH page AS (
    SELECT d.id
    FROM cases_deadline d JOIN cases_case c ON c.id = d.case_id
    WHERE d.done_on IS NULL AND c.status <> ALL(%s) AND {scope}
    ORDER BY d.due_date, d.id
    LIMIT 50
)
SELECT d.id, d.case_id, d.key, d.label, d.basis, d.unit, d.length, d.extension, d.against,
       d.start_event, d.start_date, d.due_date, d.unknown_years, d.calendar_version, d.done_on,
       d.done_note, c.title AS case_title, c.status AS case_status,
       e.name AS enterprise_name, co.name AS county_name,
       (SELECT COUNT(*) FROM cases_deadline d JOIN cases_case c ON c.id = d.case_id
        WHERE d.done_on IS NULL AND c.status <> ALL(%s) AND {scope}) AS total
FROM page
JOIN cases_deadline d ON d.id = page.id
JOIN cases_case c ON c.id = d.case_id
JOIN enterprises_enterprise e ON e.id = c.enterprise_id
JOIN campaign_region co ON co.id = c.county_id
ORDER BY d.due_date, d.id
"""

FINISHED = [str(status) for status in Case.FINISHED]
AGAINST = dict(Against.CHOICES)


def _deadline_rows(user) -> list[dict]:
    scope, params = _scope(user, "c")
    return _fetch(DEADLINES.format(scope=scope), [FINISHED, *params, FINISHED, *params])


def _years(r: dict) -> list[int]:
    # Django's connection hands jsonb over as text (its JSONField decodes it)
    value = r["unknown_years"]
    return json.loads(value) if isinstance(value, str) else value


def _period(r: dict) -> str:
    unit = Unit.LABELS[r["unit"]]
    text = f"{r['length']}{unit}"
    return f"{text}（已延长{r['extension']}{unit}）" if r["extension"] else text


def _overdue(r: dict, today) -> bool:
    return r["done_on"] is None and r["due_date"] < today and r["against"] == Against.BUREAU


class DeadlinesPage(AuthenticatedMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        rows = _deadline_rows(request.user)
        today = timezone.localdate()
        objects = [
            {
                "pk": r["id"],
                "case_id": r["case_id"],
                "due_date": r["due_date"],
                "done_on": r["done_on"],
                "warning": Due(r["due_date"], tuple(_years(r))).warning,
                "label": r["label"],
                "get_against_display": AGAINST.get(r["against"], r["against"]),
                "case": {
                    "title": r["case_title"],
                    "enterprise": {"name": r["enterprise_name"]},
                    "county": {"name": r["county_name"]},
                    "get_status_display": CASE_STATUS.get(r["case_status"], r["case_status"]),
                },
                "period": _period(r),
                "basis": r["basis"],
                "start_event": r["start_event"],
                "start_date": r["start_date"],
            }
            for r in rows
        ]
        query = request.GET.copy()
        query.pop("page", None)
        return render(
            request,
            "cases/deadlines.html",
            {
                "filter": _filter_form(DeadlineFilter, Deadline, request),
                "page": _page(objects, _total(rows)),
                "rows": [(d, _overdue(r, today)) for d, r in zip(objects, rows, strict=True)],
                "query": query.urlencode(),
                "today": today,
                "reminders": [],  # today's reminders are another read: left out of the floor
            },
        )


class DeadlinesApi(AuthenticatedMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        rows = _deadline_rows(request.user)
        today = timezone.localdate()
        results = [
            {
                "case": r["case_id"],
                "case_title": r["case_title"],
                "enterprise_name": r["enterprise_name"],
                "key": r["key"],
                "label": r["label"],
                "basis": r["basis"],
                "unit": r["unit"],
                "length": r["length"],
                "extension": r["extension"],
                "against": r["against"],
                "start_event": r["start_event"],
                "start_date": _day(r["start_date"]),
                "due_date": _day(r["due_date"]),
                "unknown_years": _years(r),
                "warning": Due(r["due_date"], tuple(_years(r))).warning,
                "calendar_version": r["calendar_version"],
                "done_on": _day(r["done_on"]),
                "done_note": r["done_note"],
                "overdue": _overdue(r, today),
            }
            for r in rows
        ]
        return _api(request, "/api/v1/case-deadlines/", results, _total(rows))


# name → (view, the list it stands for); the benchmark and its test read this table
FLOORS: dict[str, tuple[type[View], str]] = {
    "enterprises": (EnterprisesPage, "/enterprises/"),
    "enterprises-api": (EnterprisesApi, "/api/v1/enterprises/"),
    "self-checks": (SelfChecksPage, "/self-checks/"),
    "self-checks-api": (SelfChecksApi, "/api/v1/self-checks/"),
    "inspections": (InspectionsPage, "/inspections/"),
    "inspections-api": (InspectionsApi, "/api/v1/inspections/"),
    "problems": (ProblemsPage, "/problems/"),
    "problems-api": (ProblemsApi, "/api/v1/problems/"),
    "cases": (CasesPage, "/cases/"),
    "cases-api": (CasesApi, "/api/v1/cases/"),
    # ?within= (empty): every open clock, not the default five working days
    "case-deadlines": (DeadlinesPage, "/cases/deadlines/?within="),
    "case-deadlines-api": (DeadlinesApi, "/api/v1/case-deadlines/"),
}


def floor_path(name: str) -> str:
    return f"/bench/rows/{name}/"


def floor_url(name: str) -> str:
    """The floor's address with its list's query (the same filter form, the same links)."""
    _view, url = FLOORS[name]
    return floor_path(name) + (url[url.index("?") :] if "?" in url else "")
