"""Who sees an inspection record and its photos, who may be put on a team, and what figures say.

The enterprise signed its record on site: its users see their own unit's submitted records,
read-only, with photos and the PDF, and nothing of a planned (unannounced) visit or of other
units. Evidence is visible exactly where the record it belongs to is.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaign import access
from campaign.services import grant_object_access
from inspections.models import Evidence, Inspection
from inspections.selectors import onsite as selectors
from inspections.services import onsite
from tests.factories import UserFactory, region
from tests.inspections.factories import inspection, use_catalogue
from tests.inspections.test_onsite import complete

pytestmark = pytest.mark.django_db


def _photo(cast, finding):
    evidence = Evidence.objects.create(
        enterprise=cast.ent,
        file=ContentFile(b"\x89PNG\r\n\x1a\n" + b"0" * 64, name="p.png"),
        original_name="现场照片.png",
        content_type="image/png",
        size=72,
        uploaded_by=cast.county,
    )
    finding.evidence.add(evidence)
    return evidence


@pytest.fixture
def planned(cast):
    use_catalogue()
    return inspection(cast, with_expert=True)


def test_enterprise_sees_its_submitted_record_with_photos_and_pdf(client, cast, planned):
    client.force_login(cast.enterprise_user)
    # while the visit is planned or under way the enterprise sees nothing of it
    assert client.get(reverse("inspections:inspection", args=[planned.pk])).status_code == 404
    record = complete(cast, planned)
    photo = _photo(cast, planned.findings.get(item__code="HF-01"))
    assert client.get(reverse("inspections:inspection", args=[planned.pk])).status_code == 404
    assert client.get(reverse("inspections:evidence", args=[photo.pk])).status_code == 404
    onsite.inspection_submit(actor=cast.county, inspection=record)
    page = client.get(reverse("inspections:inspection", args=[planned.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    # read-only: no form posts to the record, no signature pad, no internal steps
    assert "inspection-header" not in body and "sign-form" not in body
    assert reverse("inspections:finding-save", args=[planned.findings.first().pk]) not in body
    assert "记录事件" not in body
    assert client.get(reverse("inspections:evidence", args=[photo.pk])).status_code == 200
    pdf = client.get(reverse("inspections:inspection-pdf", args=[planned.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    # and nothing of another unit's record
    client.force_login(cast.other_enterprise_user)
    assert client.get(reverse("inspections:inspection", args=[planned.pk])).status_code == 404
    assert client.get(reverse("inspections:evidence", args=[photo.pk])).status_code == 404


def test_expert_granted_an_inspection_sees_its_photos(client, cast, planned):
    onsite.inspection_start(actor=cast.county, inspection=planned)
    photo = _photo(cast, planned.findings.get(item__code="HF-01"))
    client.force_login(cast.expert)
    assert client.get(reverse("inspections:evidence", args=[photo.pk])).status_code == 200
    # a photo of another inspection is not opened by this grant
    other = Evidence.objects.create(
        enterprise=cast.ent,
        file=ContentFile(b"%PDF-1.4", name="o.pdf"),
        original_name="o.pdf",
        content_type="application/pdf",
        size=8,
        uploaded_by=cast.enterprise_user,
    )
    assert client.get(reverse("inspections:evidence", args=[other.pk])).status_code == 404


def test_experts_advise_and_do_not_sign(client, cast, planned):
    onsite.inspection_start(actor=cast.county, inspection=planned)
    client.force_login(cast.expert)
    body = client.get(reverse("inspections:inspection", args=[planned.pk])).content.decode()
    assert "sign-form" not in body
    response = client.post(
        reverse("inspections:inspection-sign", args=[planned.pk]), {"who": "me", "signature": "x"}
    )
    assert response.status_code == 403


def test_action_routes_answer_post_only(client, cast, planned):
    client.force_login(cast.county)
    for name in ("start", "header", "sign", "submit", "postpone"):
        url = reverse(f"inspections:inspection-{name}", args=[planned.pk])
        assert client.get(url).status_code == 405, name


def test_team_members_must_be_in_the_planners_reach(cast):
    use_catalogue()
    luoyang = UserFactory(role="county", region=region("410305"), badge_no="41030500009")
    with pytest.raises(ValidationError, match="不在您可以安排的执法人员范围内"):
        onsite.inspection_plan(
            actor=cast.county,
            campaign=planned_campaign(),
            enterprise=cast.ent,
            planned_on=timezone.localdate() + dt.timedelta(days=1),
            source="special",
            lead=cast.county,
            inspectors=[luoyang],
        )
    assert not Inspection.objects.exists()


def planned_campaign():
    from tests import org_factories

    return org_factories.campaign()


def test_plan_api_never_tells_which_accounts_exist(client, cast):
    use_catalogue()
    UserFactory(username="ly-inspector", role="county", region=region("410305"), badge_no="1")
    client.force_login(cast.county)
    body = {
        "enterprise": cast.ent.pk,
        "planned_on": str(timezone.localdate() + dt.timedelta(days=1)),
        "source": "special",
        "lead": cast.county.username,
    }
    answers = []
    for name in ("ly-inspector", "no-such-account"):
        response = client.post(
            reverse("api-inspection-plan"),
            {**body, "inspectors": [name]},
            content_type="application/json",
        )
        assert response.status_code == 400
        answers.append(response.json()["detail"][0].replace(name, "NAME"))
    assert answers[0] == answers[1]
    assert not Inspection.objects.exists()


def test_progress_figures_come_from_records_the_user_may_open(cast, planned):
    cast.ent.is_key_unit = True
    cast.ent.save()
    campaign = planned.campaign
    [own] = selectors.key_unit_progress(user=cast.enterprise_user, campaign=campaign)
    assert (own.total, own.planned, own.unplanned) == (1, 0, 1)  # the visit is unannounced
    [county] = selectors.key_unit_progress(user=cast.county, campaign=campaign)
    assert (county.total, county.planned, county.unplanned) == (1, 1, 0)


def test_active_grants_are_read_once_per_request(client, cast, planned):
    grant_object_access(
        user=cast.expert,
        obj=cast.ent,
        granted_by=cast.province,
        ends_at=timezone.now() + dt.timedelta(days=1),
        reason="核查",
    )
    client.force_login(cast.expert)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("inspections:inspection", args=[planned.pk])).status_code == 200
    reads = [q["sql"] for q in queries if 'FROM "campaign_accessgrant"' in q["sql"]]
    assert len(reads) == 1, reads


def test_a_grant_on_the_enterprise_opens_what_its_own_users_do_not_see(cast, planned):
    visitor = UserFactory(role="expert", username="visitor")
    assert not access.visible(visitor, Inspection.objects.all()).exists()
    grant_object_access(
        user=visitor,
        obj=cast.ent,
        granted_by=cast.province,
        ends_at=timezone.now() + dt.timedelta(days=1),
        reason="异地核查",
    )
    # the visiting team sees the planned visit and its internal steps; the enterprise does not
    assert access.visible(visitor, Inspection.objects.all()).get() == planned
    assert access.visible(visitor, planned.events.all()).exists()
    assert not access.visible(cast.enterprise_user, Inspection.objects.all()).exists()
    assert not access.visible(cast.enterprise_user, planned.events.all()).exists()
