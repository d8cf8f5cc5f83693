"""一企一案: one plan per enterprise gathering every open primary problem once; the enterprise's
progress, evidence, 申请销号 and 延期; the problem following through the ledger."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone

from cases.models import Path
from cases.services import classification
from inspections.models import Problem
from rectification.models import Extension, RectificationItem, RectificationPlan
from rectification.services import plan as services
from tests.rectification import factories as f

P = Problem.Status
S = RectificationItem.Status


@pytest.mark.django_db
def test_one_plan_gathers_every_open_primary_once(cast):
    first = f.problem(cast, code="GL-01", responsible="张三", measure="")
    second = f.problem(cast, code="SS-28")
    confirmation = f.problem(cast, code="GL-01", source="crosscheck")
    assert confirmation.status == P.MERGED
    other = f.problem(cast, code="GL-02", enterprise=cast.other_ent)
    plan = services.plan_build(actor=cast.county, enterprise=cast.ent)
    again = services.plan_build(actor=cast.county, enterprise=cast.ent)
    assert again == plan and RectificationPlan.objects.count() == 1
    items = list(plan.items.order_by("number"))
    assert [i.problem for i in items] == [first, second]  # the confirmation is not a second item
    assert [i.number for i in items] == [1, 2]
    assert items[0].responsible == "张三"
    assert items[1].facility_task is True and items[0].facility_task is False
    assert not RectificationItem.objects.filter(problem=other).exists()
    for problem in (first, second):
        problem.refresh_from_db()
        assert problem.status == P.RECTIFYING
        assert problem.events.last().ref == problem.rectification_item
    assert plan.county == cast.ent.county


@pytest.mark.django_db
def test_a_problem_recorded_later_joins_the_same_plan(cast):
    plan = f.plan(cast, "GL-01")
    later = f.problem(cast, code="GL-02")
    again = f.problem(cast, code="GL-02", source="complaint")  # a confirmation: not an item
    later = Problem.objects.get(pk=later.pk)
    assert later.rectification_item.plan == plan
    assert later.rectification_item.number == 2
    assert not RectificationItem.objects.filter(problem=again).exists()
    later.refresh_from_db()
    assert later.status == P.RECTIFYING


@pytest.mark.django_db
def test_only_a_bureau_in_reach_builds_a_plan(cast):
    f.problem(cast, code="GL-01")
    with pytest.raises(ValidationError):
        services.plan_build(actor=cast.other_county, enterprise=cast.ent)
    with pytest.raises(PermissionDenied):
        services.plan_build(actor=cast.enterprise_user, enterprise=cast.ent)
    assert not RectificationPlan.objects.exists()


@pytest.mark.django_db
def test_a_problem_in_a_case_stays_with_the_case_until_it_closes(cast):
    problem = f.problem(cast, code="HF-01")
    classification.classify(
        actor=cast.county,
        problems=[problem],
        path=Path.STRICT,
        reason="查实",
        investigators=[cast.county, f.staff("js2")],
    )
    plan = services.plan_build(actor=cast.county, enterprise=cast.ent)
    item = plan.items.get()
    problem.refresh_from_db()
    assert problem.status == P.HANDLING  # the case has it
    assert item.status == S.NOT_STARTED


@pytest.mark.django_db
def test_a_guided_problem_enters_rectification_with_its_item(cast):
    problem = f.problem(cast, code="GL-01")
    classification.classify(
        actor=cast.county, problems=[problem], path=Path.GUIDANCE, reason="指导"
    )
    problem.refresh_from_db()
    assert problem.status == P.HANDLING
    f.plan(cast, "GL-03")
    problem.refresh_from_db()
    assert problem.status == P.RECTIFYING


@pytest.mark.django_db
def test_the_bureau_edits_the_plan_and_bad_input_is_named(cast):
    plan = f.plan(cast)
    item = plan.items.get()
    supervisor = cast.county
    today = timezone.localdate()
    services.item_update(
        actor=cast.county,
        item=item,
        values={
            "requirement": "完善设施管理制度",
            "deadline": (today + dt.timedelta(60)).isoformat(),
            "funds": "12.5",
            "supervisor": supervisor,
        },
        measures=["制定制度", "组织培训"],
        milestones=[("制度印发", today + dt.timedelta(20)), ("培训完成", today + dt.timedelta(40))],
    )
    item.refresh_from_db()
    assert item.deadline == today + dt.timedelta(60) == item.original_deadline
    assert str(item.funds) == "12.50" and item.supervisor == supervisor
    assert [m.text for m in item.measures.all()] == ["制定制度", "组织培训"]
    assert [m.title for m in item.milestones.all()] == ["制度印发", "培训完成"]
    found = timezone.localdate(item.problem.found_at)
    with pytest.raises(ValidationError) as error:
        services.item_update(actor=cast.county, item=item, values={}, measures=["制定制度", " "])
    assert "第 2 条整改措施为空" in str(error.value)
    with pytest.raises(ValidationError) as error:
        services.item_update(
            actor=cast.county, item=item, values={"deadline": found - dt.timedelta(days=1)}
        )
    assert "不能早于问题发现日期" in str(error.value)
    with pytest.raises(ValidationError):
        services.item_update(actor=cast.county, item=item, values={"funds": "-1"})
    with pytest.raises(ValidationError):
        services.item_update(actor=cast.county, item=item, values={}, milestones=[("节点", "")])
    # nothing of the refused edits was written
    assert item.measures.count() == 2 and item.milestones.count() == 2
    # the enterprise writes its 整改方案 but not the bureau's requirement
    services.item_update(
        actor=cast.enterprise_user, item=item, values={"responsible": "李四"}, measures=["制定制度"]
    )
    with pytest.raises(PermissionDenied):
        services.item_update(actor=cast.enterprise_user, item=item, values={"requirement": "无"})
    # another county's bureau and another enterprise cannot reach it
    with pytest.raises(Http404):
        services.item_update(actor=cast.other_county, item=item, values={"responsible": "x"})
    with pytest.raises(Http404):
        services.item_update(
            actor=cast.other_enterprise_user, item=item, values={"responsible": "x"}
        )


@pytest.mark.django_db
def test_the_enterprise_reports_progress_with_evidence_and_applies(cast):
    plan = f.plan(cast)
    item = plan.items.get()
    services.item_update(
        actor=cast.county, item=item, values={}, milestones=[("设备到货", timezone.localdate())]
    )
    milestone = item.milestones.get()
    with pytest.raises(ValidationError) as error:
        services.item_apply(actor=cast.enterprise_user, item=item)
    assert "佐证材料" in str(error.value)
    report = services.progress_report(
        actor=cast.enterprise_user,
        item=item,
        text="设备已到货安装",
        milestone=milestone,
        milestone_done=True,
        uploads=[
            (
                "photo",
                f.jpeg(),
                {"taken_at": "2020-07-01T10:00:00", "latitude": "34.75", "longitude": "113.62"},
            )
        ],
    )
    item.refresh_from_db()
    milestone.refresh_from_db()
    assert item.status == S.IN_PROGRESS and item.progress == "设备已到货安装"
    assert milestone.done_on == report.on
    evidence = item.evidence.get()
    assert evidence.report == report and str(evidence.evidence.latitude) == "34.750000"
    assert evidence.evidence.taken_at is not None
    services.item_apply(actor=cast.enterprise_user, item=item, expected=S.IN_PROGRESS)
    item.refresh_from_db()
    item.problem.refresh_from_db()
    assert item.status == S.APPLIED and item.applied_at is not None
    assert item.problem.status == P.VERIFYING


@pytest.mark.django_db
def test_evidence_must_be_what_it_claims(cast):
    item = f.plan(cast).items.get()
    fake = SimpleUploadedFile("照片.jpg", b"not really a jpeg", content_type="image/jpeg")
    with pytest.raises(ValidationError) as error:
        services.evidence_attach(actor=cast.enterprise_user, item=item, kind="photo", upload=fake)
    assert "照片.jpg" in str(error.value)
    with pytest.raises(ValidationError) as error:
        services.evidence_attach(
            actor=cast.enterprise_user, item=item, kind="monitoring", upload=f.jpeg()
        )
    assert "须上传 PDF" in str(error.value)
    with pytest.raises(ValidationError):
        services.evidence_attach(
            actor=cast.enterprise_user, item=item, kind="photo", upload=f.pdf()
        )
    assert item.evidence.count() == 0
    item.refresh_from_db()
    assert item.status == S.NOT_STARTED  # a refused upload starts nothing


@pytest.mark.django_db
def test_an_extension_is_asked_with_a_reason_and_decided_by_the_bureau(cast):
    item = f.plan(cast).items.get()
    today = timezone.localdate()
    services.item_update(actor=cast.county, item=item, values={"deadline": today})
    with pytest.raises(ValidationError):
        services.extension_request(
            actor=cast.enterprise_user, item=item, reason="", deadline=today + dt.timedelta(30)
        )
    with pytest.raises(ValidationError):
        services.extension_request(
            actor=cast.enterprise_user, item=item, reason="设备未到", deadline=today
        )
    first = services.extension_request(
        actor=cast.enterprise_user,
        item=item,
        reason="设备未到货",
        deadline=today + dt.timedelta(30),
    )
    with pytest.raises(ValidationError):
        services.extension_request(
            actor=cast.enterprise_user, item=item, reason="再次", deadline=today + dt.timedelta(40)
        )
    with pytest.raises(PermissionDenied):
        services.extension_decide(actor=cast.enterprise_user, extension=first, grant=True)
    with pytest.raises(ValidationError):
        services.extension_decide(actor=cast.county, extension=first, grant=False, note="")
    services.extension_decide(actor=cast.county, extension=first, grant=True, note="情况属实")
    item.refresh_from_db()
    first.refresh_from_db()
    assert first.status == Extension.Status.GRANTED
    assert item.deadline == today + dt.timedelta(30) and item.original_deadline == today
    assert "同意延期" in item.events.last().note
    second = services.extension_request(
        actor=cast.enterprise_user, item=item, reason="再延", deadline=today + dt.timedelta(60)
    )
    services.extension_decide(actor=cast.county, extension=second, grant=False, note="理由不充分")
    item.refresh_from_db()
    assert item.deadline == today + dt.timedelta(30)
    assert item.events.last().note == "不同意延期：理由不充分"


@pytest.mark.django_db
def test_a_problem_closed_by_another_route_closes_its_item(cast):
    problem = f.problem(cast, code="HF-01", severity="minor")
    (made,) = classification.classify(
        actor=cast.county, problems=[problem], path=Path.EXEMPT, reason="首违轻微并已改正"
    )
    item = services.plan_build(actor=cast.county, enterprise=cast.ent).items.get()
    assert item.problem.status == P.HANDLING  # the 免罚 follow-up decides it, not the plan
    today = timezone.localdate()
    classification.exemption_commitment(
        actor=cast.county, classification=made, signed_on=today, file=f.pdf("承诺书.pdf")
    )
    classification.exemption_follow_up(
        actor=cast.county, classification=made, on=today, passed=True, result="已按承诺改正"
    )
    item.refresh_from_db()
    assert item.status == S.CLOSED and item.closed_on == today
    assert "免予处罚" in item.events.last().note or "已销号" in item.events.last().note
