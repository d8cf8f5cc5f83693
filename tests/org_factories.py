"""Objects of the campaign organisation placed relative to the shared cast (金水区, 郑州市)."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from campaign.models import (
    Assignment,
    Campaign,
    Complaint,
    ComplaintAttachment,
    IntegrityCommitment,
    IntegrityDocument,
    LiaisonPerson,
    LiaisonTable,
    PoolImport,
    PoolMembership,
    Region,
    RosterGroup,
    RosterMember,
    StageWindow,
)


def campaign(cast=None) -> Campaign:
    obj, _ = Campaign.objects.get_or_create(
        year=2020,
        defaults={
            "name": "2020 年度测试行动",
            "is_current": True,
            "liaison_deadline": timezone.make_aware(dt.datetime(2020, 4, 15, 23, 59)),
        },
    )
    for stage, _label in StageWindow.Stage.choices:
        StageWindow.objects.get_or_create(
            campaign=obj,
            stage=stage,
            city=None,
            defaults={"starts_on": dt.date(2020, 4, 1), "ends_on": dt.date(2020, 12, 31)},
        )
    return obj


def city_window(cast) -> StageWindow:
    return StageWindow.objects.create(
        campaign=campaign(),
        stage=StageWindow.Stage.INSPECTION,
        city=Region.objects.get(level="city", code="4101"),
        starts_on=dt.date(2020, 5, 6),
        ends_on=dt.date(2020, 7, 17),
    )


def document(cast) -> IntegrityDocument:
    return IntegrityDocument.objects.create(
        campaign=campaign(),
        kind=IntegrityDocument.Kind.COMMITMENT,
        version=1,
        title="矩阵测试承诺书",
        body="承诺遵守廉洁纪律。",
        published_by=cast.admin,
    )


def roster_group(cast) -> RosterGroup:
    return RosterGroup.objects.create(
        campaign=campaign(),
        kind=RosterGroup.Kind.WORKING_GROUP,
        name="矩阵测试组",
        duties="测试职责",
    )


def roster_member(cast) -> RosterMember:
    return RosterMember.objects.create(
        group=roster_group(cast), name="矩阵成员", position=RosterMember.Position.MEMBER
    )


def pool_membership(cast) -> PoolMembership:
    return PoolMembership.objects.create(
        campaign=campaign(),
        pool=PoolMembership.Pool.INSPECTORS,
        user=cast.county,
        added_by=cast.admin,
    )


def pool_import(cast) -> PoolImport:
    return PoolImport.objects.create(
        campaign=campaign(),
        pool=PoolMembership.Pool.SKILLED,
        original_name="矩阵人员库.xlsx",
        status=PoolImport.Status.FAILED,
        created_by=cast.admin,
    )


def liaison_table(cast) -> LiaisonTable:
    table = LiaisonTable.objects.create(
        campaign=campaign(),
        city=Region.objects.get(level="city", code="4101"),
        submitted_at=timezone.now(),
        submitted_by=cast.city,
    )
    LiaisonPerson.objects.create(
        table=table,
        name="矩阵联络员",
        unit_position="郑州市生态环境局",
        duty=LiaisonPerson.Duty.CONTACT,
        office_phone="0371-67181234",
        mobile="13903711234",
        email="a@example.cn",
    )
    return table


def assignment(cast) -> Assignment:
    today = timezone.localdate()
    return Assignment.objects.create(
        campaign=campaign(),
        user=cast.county,
        title="矩阵测试任务",
        destination=Region.objects.get(level="city", code="4103"),
        starts_on=today + dt.timedelta(days=3),
        ends_on=today + dt.timedelta(days=9),
        created_by=cast.province,
    )


def commitment(cast) -> IntegrityCommitment:
    return IntegrityCommitment.objects.create(
        assignment=assignment(cast),
        document=document(cast),
        signed_name="矩阵签名",
        signed_at=timezone.now(),
    )


def complaint(cast) -> Complaint:
    return Complaint.objects.create(
        campaign=campaign(),
        tracking_code="MATRIXCODE23",
        accused="矩阵被举报人",
        place="郑州",
        happened_on=dt.date(2020, 6, 1),
        description="测试举报",
        reporter_name="举报人甲",
        reporter_contact="13800000000",
    )


def complaint_attachment(cast) -> ComplaintAttachment:
    return ComplaintAttachment.objects.create(
        complaint=complaint(cast),
        file=ContentFile(b"%PDF-1.4 test", name="a.pdf"),
        original_name="矩阵附件.pdf",
        content_type="application/pdf",
        size=13,
    )
