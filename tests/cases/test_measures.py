"""Special measures and transfers, each with its clock on the case (facts §3)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from cases.models import Case, Measure
from cases.services import case as case_services
from cases.services import measure as measures
from tests.cases import factories as f

K = Measure.Kind
S = Case.Status


def at(day: str):
    moment = dt.datetime.fromisoformat(day).replace(hour=10, tzinfo=ZoneInfo("Asia/Shanghai"))
    return time_machine.travel(moment, tick=False)


def filed(cast, on="2026-09-01") -> Case:
    with at(on):
        case = f.case(cast)
        case_services.case_step(actor=f.staff("js-head", head=True), case=case, to=S.INVESTIGATING)
    case.refresh_from_db()
    return case


def due(case: Case, name: str, measure: Measure) -> dt.date:
    return case.deadlines.get(key=f"{name}:{measure.pk}").due_date


@pytest.mark.django_db
def test_seal_runs_thirty_days_with_one_extension_and_a_lifting(cast):
    case = filed(cast)
    head = f.staff("js-head", head=True)
    with at("2026-09-02"):
        with pytest.raises(PermissionDenied, match="负责人"):
            measures.measure_start(actor=cast.county, case=case, kind=K.SEAL, detail="危废暂存桶")
        seal = measures.measure_start(actor=head, case=case, kind=K.SEAL, detail="危废暂存桶 12 只")
        deadline = case.deadlines.get(key=f"seal_end:{seal.pk}")
        assert (deadline.length, deadline.unit, deadline.due_date) == (
            30,
            "d",
            dt.date(2026, 10, 8),
        )
        assert "第二十五条" in deadline.basis  # 10-02 falls in the National Day holiday: rolls on
        assert [a for a, _ in measures.actions_for(seal, cast.county)] == []
        assert "extend" in [a for a, _ in measures.actions_for(seal, head)]
        measures.measure_act(actor=head, measure=seal, action="extend", note="检测尚未完成")
        assert due(case, "seal_end", seal) == dt.date(2026, 11, 2)  # 60 days: 11-01 is a Sunday
        with pytest.raises(ValidationError, match="还不能办理"):
            measures.measure_act(actor=head, measure=seal, action="extend")
    with at("2026-10-20"):
        measures.measure_act(actor=head, measure=seal, action="lift", note="整改完成")
        seal.refresh_from_db()
        assert seal.status == Measure.Status.ENDED and seal.ended_on == dt.date(2026, 10, 20)
        assert due(case, "seal_lift_service", seal) == dt.date(2026, 10, 23)  # 3 working days
        assert [a for a, _ in measures.actions_for(seal, cast.county)] == ["lift_served"]
        measures.measure_act(actor=cast.county, measure=seal, action="lift_served")
    assert not case.deadlines.filter(done_on__isnull=True, key__endswith=f":{seal.pk}").exists()


@pytest.mark.django_db
def test_daily_penalty_counts_days_from_the_day_after_service_to_the_recheck(cast):
    case = filed(cast)
    with at("2026-09-01"), pytest.raises(ValidationError, match="作出行政处罚决定之后"):
        measures.measure_start(actor=cast.county, case=case, kind=K.DAILY)
    case.decided_on, case.fine = dt.date(2026, 9, 1), 100_000
    case.save(update_fields=["decided_on", "fine"])
    with at("2026-09-03"):
        daily = measures.measure_start(actor=cast.county, case=case, kind=K.DAILY)
        assert daily.original_fine == 100_000
        assert due(case, "daily_recheck", daily) == dt.date(2026, 10, 8)  # 10-03 → after 国庆
    with at("2026-09-20"):
        measures.measure_act(actor=cast.county, measure=daily, action="recheck", refused=True)
        daily.refresh_from_db()
        # 09-04 … 09-20: 17 days at the original fine a day (令28号 arts. 17, 19)
        assert (daily.total_days, daily.total_amount) == (17, 1_700_000)
        measures.measure_act(actor=cast.county, measure=daily, action="new_order")
    with at("2026-09-30"):
        measures.measure_act(actor=cast.county, measure=daily, action="recheck", refused=True)
        daily.refresh_from_db()
        assert (daily.total_days, daily.total_amount) == (27, 2_700_000)
        measures.measure_act(actor=cast.county, measure=daily, action="new_order")
    with at("2026-10-12"):
        measures.measure_act(actor=cast.county, measure=daily, action="recheck", refused=False)
        daily.refresh_from_db()
        assert daily.status == Measure.Status.ENDED and daily.total_days == 27
        assert [c.days for c in daily.cycles.all()] == [17, 10, 0]


@pytest.mark.django_db
def test_restriction_plan_completion_and_the_check_after(cast):
    case = filed(cast)
    head = f.staff("js-head", head=True)
    with at("2026-09-01"):
        restrict = measures.measure_start(actor=head, case=case, kind=K.RESTRICT, detail="限产 50%")
        plan = case.deadlines.get(key=f"restrict_plan:{restrict.pk}")
        assert (plan.against, plan.unit, plan.length) == ("party", "wd", 15)
        assert plan.due_date == dt.date(2026, 9, 21)  # 15 working days, Sunday 09-20 worked
        assert due(case, "restrict_end", restrict) == dt.date(2026, 12, 1)  # 3 months
    with at("2026-09-10"):
        measures.measure_act(actor=cast.county, measure=restrict, action="plan_filed")
    with at("2026-11-02"):
        measures.measure_act(actor=cast.county, measure=restrict, action="completion_filed")
        restrict.refresh_from_db()
        assert restrict.status == Measure.Status.ENDED  # lifted on the filing day (art. 17)
        assert due(case, "restrict_followup", restrict) == dt.date(2026, 12, 2)


@pytest.mark.django_db
def test_criminal_transfer_is_approved_in_three_days_and_handed_over_within_24_hours(cast):
    case = filed(cast)
    head = f.staff("js-head", head=True)
    with at("2026-09-04"):  # Fri
        crime = measures.measure_start(
            actor=cast.county, case=case, kind=K.CRIME, detail="倾倒危废 5 吨"
        )
        assert due(case, "crime_approval", crime) == dt.date(2026, 9, 7)  # Mon (09-07)
        with pytest.raises(ValidationError, match="还不能办理"):
            measures.measure_act(actor=cast.county, measure=crime, action="handed_over")
        measures.measure_act(actor=head, measure=crime, action="approve")
        handover = case.deadlines.get(key=f"crime_handover:{crime.pk}")
        assert (handover.unit, handover.length, handover.due_date) == ("h", 24, dt.date(2026, 9, 5))
        measures.measure_act(actor=cast.county, measure=crime, action="handed_over")
    crime.refresh_from_db()
    assert crime.status == Measure.Status.ENDED


@pytest.mark.django_db
def test_measures_stay_in_scope_and_cancelling_needs_a_reason(cast):
    case = filed(cast)
    head = f.staff("js-head", head=True)
    with at("2026-09-02"):
        with pytest.raises(Http404):
            measures.measure_start(actor=cast.other_county, case=case, kind=K.CRIME)
        seal = measures.measure_start(actor=head, case=case, kind=K.SEAL)
        with pytest.raises(Http404):
            measures.measure_act(actor=cast.other_county, measure=seal, action="lift")
        with pytest.raises(ValidationError, match="理由"):
            measures.measure_act(actor=head, measure=seal, action="cancel")
        measures.measure_act(actor=head, measure=seal, action="cancel", note="决定有误")
    seal.refresh_from_db()
    assert seal.status == Measure.Status.CANCELLED
    assert not case.deadlines.filter(key__endswith=f":{seal.pk}", done_on__isnull=True).exists()


@pytest.mark.django_db
def test_the_five_kinds_count_cases_per_city_once_each(client, cast):
    from django.urls import reverse

    from tests.xlsx import rows

    case = filed(cast)
    head = f.staff("js-head", head=True)
    with at("2026-09-02"):
        seal = measures.measure_start(actor=head, case=case, kind=K.SEAL)
        measures.measure_act(actor=head, measure=seal, action="lift")
        measures.measure_start(actor=head, case=case, kind=K.SEAL)  # a second seal: still 1 case
        measures.measure_start(actor=head, case=case, kind=K.SUSPEND)
        crime = measures.measure_start(actor=cast.county, case=case, kind=K.CRIME)
        measures.measure_act(actor=head, measure=crime, action="cancel", note="不构成犯罪")
    case.fine, case.decided_on = 150_000, dt.date(2026, 9, 2)
    case.save(update_fields=["fine", "decided_on"])
    client.force_login(cast.city)
    page = client.get(reverse("cases:five-kinds")).content.decode()
    assert "郑州市" in page
    sheet = rows(client.get(reverse("cases:five-kinds-export")))
    assert sheet[0][:4] == ("省辖市", "立案", "作出决定", "罚款（万元）")
    zhengzhou = next(r for r in sheet if r[0] == "郑州市")
    # opened, decided, 15万, 按日 0, 查封 1, 限产停产 1, 拘留 0, 涉罪 0 (cancelled)
    assert zhengzhou[1:] == (1, 1, 15, 0, 1, 1, 0, 0)
    assert sheet[-1][0] == "合计" and sheet[-1][1:] == zhengzhou[1:]
    client.force_login(cast.other_city)
    assert "郑州市" not in client.get(reverse("cases:five-kinds")).content.decode()


@pytest.mark.django_db
def test_the_case_list_filters_by_measure_and_by_what_falls_due(client, cast):
    from django.urls import reverse

    case = filed(cast)
    with at("2026-09-02"):
        measures.measure_start(actor=f.staff("js-head", head=True), case=case, kind=K.SEAL)
        client.force_login(cast.county)
        assert case.title in client.get(reverse("cases:list"), {"measure": "seal"}).content.decode()
        assert client.get("/api/v1/cases/", {"measure": "restrict"}).json()["count"] == 0
        # the seal's 30 days end on 10-08: not within 5 working days, within 30
        assert client.get("/api/v1/cases/", {"due_within": 5}).json()["count"] == 0
        assert client.get("/api/v1/cases/", {"due_within": 30}).json()["count"] == 1
