"""What a review of stage 4 found, held: photo metadata that is not one, writes on a closed item,
an overdue item given a new deadline, a unit moved away, a supervisor out of the item's region,
a problem restored after the plan was made, and the bureau's flag kept from the enterprise."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from campaign.models import Region
from inspections.models import Evidence, Problem
from inspections.services import ledger
from rectification.models import Extension, RectificationItem
from rectification.services import plan as services
from rectification.services import verification
from tests.rectification import factories as f

S = RectificationItem.Status


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("meta", "field"),
    [
        ({"latitude": "NaN"}, "latitude"),
        ({"longitude": "Infinity"}, "longitude"),
        ({"latitude": "95"}, "latitude"),
        ({"taken_at": "0001-01-01T00:00:00"}, "taken_at"),
        ({"taken_at": "0000:00:00 00:00:00"}, "taken_at"),
    ],
)
def test_photo_metadata_that_is_not_one_is_refused_by_name_or_left_out(cast, meta, field):
    item = f.item(cast)
    with pytest.raises(ValidationError) as error:
        services.evidence_attach(
            actor=cast.enterprise_user, item=item, kind="photo", upload=f.jpeg(), meta=meta
        )
    assert field in error.value.message_dict
    assert not Evidence.objects.exists()
    # from the page's hidden fields (the phone's EXIF) the photo still goes, without it
    stored = services.evidence_attach(
        actor=cast.enterprise_user,
        item=item,
        kind="photo",
        upload=f.jpeg(),
        meta=meta,
        strict_meta=False,
    )
    assert getattr(stored.evidence, field) is None


@pytest.mark.django_db
def test_a_closed_item_takes_no_more_writes_and_its_waiting_request_is_answered(cast):
    item = f.item_with_measure(cast)
    measure = item.measures.get()
    request = services.extension_request(
        actor=cast.enterprise_user,
        item=item,
        reason="等待设备",
        deadline=timezone.localdate() + dt.timedelta(days=30),
    )
    verification.item_check(
        actor=cast.county,
        item=item,
        method="paper",
        checked_on=timezone.localdate(),
        officers=[cast.county, f.staff("js2")],
        conclusion="企业已关停该生产线",
        close=True,
        reason="生产线已拆除，无需整改",
    )
    request.refresh_from_db()
    assert request.status == Extension.Status.REFUSED and "销号" in request.decision_note
    with pytest.raises(ValidationError):
        services.measure_done(actor=cast.enterprise_user, item=item, measure=measure, done_on=None)
    with pytest.raises(ValidationError):
        services.extension_decide(actor=cast.county, extension=request, grant=True)


@pytest.mark.django_db
def test_a_new_deadline_gives_an_overdue_item_back_its_work(cast):
    item = f.item(cast)
    today = timezone.localdate()
    found = timezone.localdate(item.problem.found_at)
    services.item_update(actor=cast.county, item=item, values={"deadline": found})
    verification.overdue_run(found + dt.timedelta(days=30))
    item.refresh_from_db()
    assert item.status == S.OVERDUE and item.overdue_since is not None
    services.item_update(
        actor=cast.county, item=item, values={"deadline": today + dt.timedelta(days=10)}
    )
    item.refresh_from_db()
    assert item.status == S.IN_PROGRESS and item.overdue_since is None
    assert item.escalated_on is None


@pytest.mark.django_db
def test_an_item_marked_late_is_escalated_from_the_day_it_was_marked(cast):
    item = f.item(cast)
    found = timezone.localdate(item.problem.found_at)
    services.item_update(actor=cast.county, item=item, values={"deadline": found})
    marked_on = found + dt.timedelta(days=40)
    assert verification.overdue_run(marked_on) == {"overdue": 1, "escalated": 0, "proposed": 0}
    item.refresh_from_db()
    assert item.overdue_since == marked_on


@pytest.mark.django_db
def test_a_unit_moved_away_is_skipped_not_blocking_the_region(cast):
    f.problem(cast, code="GL-01")
    moved = f.problem(cast, code="GL-02", enterprise=cast.other_ent)
    # the 涧西 unit's problem was recorded in 金水 (before it moved away)
    Problem.objects.filter(pk=moved.pk).update(county=cast.ent.county, city=cast.ent.city)
    made = services.plans_build(actor=cast.county, region=Region.objects.get(code="410105"))
    assert made["plans"] == 1 and made["skipped"] == [cast.other_ent.name]


@pytest.mark.django_db
def test_the_supervisor_must_reach_the_items_county_and_defaults_to_the_builder(cast):
    item = f.item(cast)
    assert item.supervisor == cast.county  # who registered the plan
    jianxi = f.staff("jx9", county="410305")
    with pytest.raises(ValidationError) as error:
        services.item_update(actor=cast.province, item=item, values={"supervisor": jianxi})
    assert "不能监管" in str(error.value)


@pytest.mark.django_db
def test_a_problem_restored_after_the_plan_was_made_joins_it(cast):
    withdrawn = f.problem(cast, code="GL-02")
    ledger.problem_transition(actor=cast.county, problem=withdrawn, to="withdrawn", note="误录")
    plan = f.plan(cast, "GL-01")
    assert plan.items.count() == 1
    ledger.problem_transition(actor=cast.county, problem=withdrawn, to="open", note="恢复")
    assert plan.items.count() == 2
    assert Problem.objects.get(pk=withdrawn.pk).status == Problem.Status.RECTIFYING


@pytest.mark.django_db
def test_the_bureaus_flag_is_kept_from_the_enterprise(client, cast):
    item = f.item(cast)
    verification.item_check(
        actor=cast.county,
        item=item,
        method="paper",
        checked_on=timezone.localdate(),
        officers=[cast.county, f.staff("js2")],
        conclusion="书面核查",
        close=True,
        reason="内部理由：先行销号",
    )
    client.force_login(cast.enterprise_user)
    page = client.get(reverse("rectification:item", args=[item.pk])).content.decode()
    assert "内部理由" not in page and "未满足条件销号" not in page
    listed = client.get(reverse("rectification:items") + "?closing_flagged=false")
    assert "共 1 项" in listed.content.decode()  # the filter says nothing either way
    export = client.get(reverse("rectification:items-export"))
    rows = list(load_workbook(io.BytesIO(b"".join(export.streaming_content))).active.values)
    assert not any("内部理由" in str(cell) for row in rows for cell in row)
    assert client.get(f"/api/v1/rectification-items/{item.pk}/").json()["closing_flagged"] is None
    client.force_login(cast.county)
    assert client.get(f"/api/v1/rectification-items/{item.pk}/").json()["closing_flagged"] is True
