"""The verification record of a sampled unit (核查情况表), its findings with the people they name,
the team's signatures, and the accountability (问责) each named person's finding opens.

A team member writes the record while the round runs (their grant on the unit is the key); each
finding carries one of the outcome codes, points at the record it is about (a self-check, an
inspection, a case, a rectification item or a problem of the ledger) and names who was
responsible. A new problem enters the ledger (source 异地核查). When every member has signed, the
record is final and every named person gets an accountability record: the facts, the proposed
measure, the city's response within a number of working days, the province's decision.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from campaign.access import AccessPaths
from campaign.models import Region
from campaign.transitions import StatusEvent
from cases.models import Case
from crosscheck.models.round import SampledUnit
from crosscheck.models.team import Team, TeamMember
from inspections.models import Inspection, Problem, SelfCheck
from rectification.models import RectificationItem


class VerificationRecord(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "填写中"
        SIGNED = "signed", "已签署"

    TRANSITIONS = {Status.DRAFT: {Status.SIGNED}}
    STATUS_EVENTS = "events"

    unit = models.OneToOneField(
        SampledUnit, verbose_name="核查单位", on_delete=models.PROTECT, related_name="record"
    )
    team = models.ForeignKey(
        Team, verbose_name="核查组", on_delete=models.PROTECT, related_name="records"
    )
    summary = models.TextField("核查情况", blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="填写人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    signed_at = models.DateTimeField("签署完成时间", null=True, blank=True)

    # the organiser; the team through its grant on the sampled unit (not any grant on the
    # enterprise: an expert of an inspection never sees the verification; never the unit itself)
    access_paths = AccessPaths(
        city="team__round__city", enterprise_users=False, grant_via=("unit",)
    )

    class Meta:
        verbose_name = verbose_name_plural = "核查情况表"
        ordering = ["team", "unit__position"]

    def __str__(self) -> str:
        return f"核查情况表：{self.unit.enterprise.name}"


class RecordEvent(StatusEvent):
    record = models.ForeignKey(VerificationRecord, on_delete=models.CASCADE, related_name="events")
    RECORD = "record"

    access_paths = AccessPaths(
        city="record__team__round__city", enterprise_users=False, grant_via=("record__unit",)
    )

    class Meta(StatusEvent.Meta):
        verbose_name = verbose_name_plural = "核查情况表记录"


class Finding(models.Model):
    class Code(models.TextChoices):
        MISSED_SERIOUS = "missed_serious", "应发现未发现严重违法问题"
        NOT_FILED = "not_filed", "应立案未立案"
        NOT_RECTIFIED_IN_TIME = "not_rectified", "未按期整改"
        FAKE_RECTIFICATION = "fake_rectification", "虚假整改"
        LENIENT = "lenient", "宽松软"
        NEW_PROBLEM = "new_problem", "新发现问题"
        OK = "ok", "未发现问题"

    # a problem the team saw itself: it enters the ledger
    RECORDS_PROBLEM = {Code.MISSED_SERIOUS, Code.NEW_PROBLEM}

    record = models.ForeignKey(
        VerificationRecord, on_delete=models.CASCADE, related_name="findings"
    )
    number = models.PositiveSmallIntegerField("序号")
    code = models.CharField("核查结论", max_length=20, choices=Code.choices)
    description = models.TextField("具体情况")
    # the record it is about (at most one)
    self_check = models.ForeignKey(
        SelfCheck,
        verbose_name="企业自查表",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    inspection = models.ForeignKey(
        Inspection,
        verbose_name="现场检查记录",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    case = models.ForeignKey(
        Case, verbose_name="案件", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(
        RectificationItem,
        verbose_name="整改事项",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    problem = models.ForeignKey(
        Problem,
        verbose_name="问题（台账）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="verification_findings",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    access_paths = AccessPaths(
        city="record__team__round__city", enterprise_users=False, grant_via=("record__unit",)
    )

    class Meta:
        verbose_name = verbose_name_plural = "核查发现"
        ordering = ["record", "number"]
        constraints = [
            models.UniqueConstraint(fields=["record", "number"], name="one_finding_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.get_code_display()}"

    @property
    def about(self):
        return self.self_check or self.inspection or self.case or self.item or self.problem


class Capacity(models.TextChoices):
    LEAD = "lead", "检查主办人"
    INSPECTOR = "inspector", "检查协办人"
    HANDLER = "handler", "案件承办人"
    REVIEWER = "reviewer", "案件审查人"
    APPROVER = "approver", "审批负责人"
    SUPERVISOR = "supervisor", "整改监督人"
    CHECKER = "checker", "销号核查人"


class FindingPerson(models.Model):
    """A person a finding names as responsible, in a capacity."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="people")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="责任人", on_delete=models.PROTECT, related_name="+"
    )
    capacity = models.CharField("职责", max_length=20, choices=Capacity.choices)

    access_paths = AccessPaths(
        city="finding__record__team__round__city",
        enterprise_users=False,
        grant_via=("finding__record__unit",),
    )

    class Meta:
        verbose_name = verbose_name_plural = "核查发现责任人"
        constraints = [
            models.UniqueConstraint(fields=["finding", "user"], name="one_person_per_finding"),
        ]

    def __str__(self) -> str:
        return f"{self.get_capacity_display()} {self.user}"


class RecordSignature(models.Model):
    record = models.ForeignKey(
        VerificationRecord, on_delete=models.CASCADE, related_name="signatures"
    )
    member = models.ForeignKey(TeamMember, on_delete=models.PROTECT, related_name="+")
    signature = models.TextField("签名")  # PNG data URL
    signed_at = models.DateTimeField("签名时间")

    access_paths = AccessPaths(
        city="record__team__round__city", enterprise_users=False, grant_via=("record__unit",)
    )

    class Meta:
        verbose_name = verbose_name_plural = "核查情况表签名"
        constraints = [
            models.UniqueConstraint(fields=["record", "member"], name="one_signature_per_member"),
        ]

    def __str__(self) -> str:
        return f"{self.member} 签名"


class Accountability(models.Model):
    """问责: one per person a signed finding names."""

    class Measure(models.TextChoices):
        TALK = "talk", "谈话提醒"
        CRITICISM = "criticism", "批评教育"
        NOTICE = "notice", "通报批评"
        ADMONISH = "admonish", "诫勉"
        TRANSFER = "transfer", "移交纪检监察机关"

    class Decision(models.TextChoices):
        TALK = "talk", "谈话提醒"
        CRITICISM = "criticism", "批评教育"
        NOTICE = "notice", "通报批评"
        ADMONISH = "admonish", "诫勉"
        TRANSFER = "transfer", "移交纪检监察机关"
        NONE = "none", "不予问责"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "待市局反馈"
        RESPONDED = "responded", "市局已反馈"
        DECIDED = "decided", "已决定"

    TRANSITIONS = {
        Status.PROPOSED: {Status.RESPONDED, Status.DECIDED},
        Status.RESPONDED: {Status.DECIDED},
    }
    STATUS_EVENTS = "events"

    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="accountabilities")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="责任人",
        on_delete=models.PROTECT,
        related_name="accountabilities",
    )
    capacity = models.CharField("职责", max_length=20, choices=Capacity.choices)
    # where the person works: the city answers for them
    city = models.ForeignKey(
        Region, verbose_name="所在市", on_delete=models.PROTECT, related_name="+"
    )
    county = models.ForeignKey(
        Region,
        verbose_name="所在县（区）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    facts = models.TextField("问题事实")
    proposed = models.CharField("建议问责方式", max_length=20, choices=Measure.choices)
    response_due = models.DateField("反馈期限")
    response_due_years_missing = models.CharField(
        "期限计算缺少节假日数据的年份", max_length=50, blank=True
    )
    response = models.TextField("市局反馈", blank=True)
    responded_at = models.DateTimeField("反馈时间", null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField("问责决定", max_length=20, choices=Decision.choices, blank=True)
    decision_note = models.TextField("决定说明", blank=True)
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # concerns integrity (a transfer to the discipline inspectors, proposed or decided): the patrol
    # group sees it
    integrity = models.BooleanField("涉及廉洁问题", default=False)
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    access_paths = AccessPaths(
        city="city",
        owner="person",
        enterprise_users=False,
        enterprise_grants=False,
        rows_for=(("patrol", Q(integrity=True)),),
    )

    class Meta:
        verbose_name = verbose_name_plural = "问责记录"
        ordering = ["response_due", "pk"]
        permissions = [
            ("respond_accountability", "反馈问责记录（市局）"),
            ("decide_accountability", "作出问责决定（省级）"),
        ]

    def __str__(self) -> str:
        return f"问责：{self.person}（{self.get_capacity_display()}）"


class AccountabilityEvent(StatusEvent):
    accountability = models.ForeignKey(
        Accountability, on_delete=models.CASCADE, related_name="events"
    )
    RECORD = "accountability"

    access_paths = AccessPaths(
        city="accountability__city",
        owner="accountability__person",
        enterprise_users=False,
        enterprise_grants=False,
        rows_for=(("patrol", Q(accountability__integrity=True)),),
    )

    class Meta(StatusEvent.Meta):
        verbose_name = verbose_name_plural = "问责记录变更"
