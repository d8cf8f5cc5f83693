"""The problem ledger (问题台账): problems and their events, the hinge every stage attaches to."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from campaign.access import AccessPaths
from campaign.models import Campaign
from campaign.transitions import StatusEvent
from enterprises.models import Enterprise
from inspections.models.base import RECORD_PATHS, region_fields
from inspections.models.catalogue import CheckItem, ProblemKind
from inspections.models.evidence import Evidence
from inspections.models.selfcheck import SelfCheckAnswer


class Problem(models.Model):
    """One problem in the ledger (问题台账): one enterprise, one check item, traceable to closure.

    The lifecycle is the same for all six stages (docs/architecture.md, "The problem's life"):
    recorded → in handling (stage 3) ⇄ rectifying (stage 4) → awaiting verification → closed (销号);
    a closed problem reopens when a verification finds the rectification missing or false; a
    problem found again is recorded as a confirmation of its primary (status 已并入) and is
    never counted on its own. Every change goes through `inspections.services.ledger`, which
    writes a `ProblemEvent` with each one; higher apps point at problems, never the reverse.
    """

    class Source(models.TextChoices):
        SELF_CHECK = "self_check", "企业自查"
        INSPECTION = "inspection", "现场检查"
        CROSSCHECK = "crosscheck", "异地核查"
        COMPLAINT = "complaint", "举报投诉"
        MONITORING = "monitoring", "在线监控超标"
        # an unfinished 攻坚 facility task handled as "facility not built" (stage 4)
        RECTIFICATION = "rectification", "整改逾期"

    class Severity(models.TextChoices):
        MINOR = "minor", "一般"
        SERIOUS = "serious", "较重"
        GRAVE = "grave", "严重"

    class Status(models.TextChoices):
        OPEN = "open", "待处理"
        HANDLING = "handling", "处理中"
        RECTIFYING = "rectifying", "整改中"
        VERIFYING = "verifying", "待销号核验"
        CLOSED = "closed", "已销号"
        MERGED = "merged", "已并入主问题"
        WITHDRAWN = "withdrawn", "已撤销"

    TRANSITIONS = {
        # stage 3 classifies (handling), stage 4 rectifies; a withdrawn record was not a problem
        Status.OPEN: {Status.HANDLING, Status.RECTIFYING, Status.WITHDRAWN},
        # a case decided with 责令改正 hands over to rectification; 不予处罚 may close at once
        Status.HANDLING: {Status.RECTIFYING, Status.CLOSED, Status.WITHDRAWN},
        # a self-found problem under rectification can still be put into a case
        Status.RECTIFYING: {Status.HANDLING, Status.VERIFYING},
        Status.VERIFYING: {Status.CLOSED, Status.RECTIFYING},
        # a verification finding rectification missing or false reopens it (stage 5)
        Status.CLOSED: {Status.RECTIFYING},
        # a confirmation recorded by mistake (an amended inspection line) is withdrawn
        Status.MERGED: {Status.WITHDRAWN},
        # restored as what it was: a primary opens again, a confirmation is merged again
        Status.WITHDRAWN: {Status.OPEN, Status.MERGED},
    }
    # found by the bureau: open; self-found with a declared measure: rectifying; found again: merged
    INITIAL = {Status.OPEN, Status.RECTIFYING, Status.MERGED}
    STATUS_EVENTS = "events"
    # statuses of a problem still to be dealt with (what "open problems" means in every figure)
    ACTIVE = (Status.OPEN, Status.HANDLING, Status.RECTIFYING, Status.VERIFYING)
    # what every figure counts: primaries that are real problems (not merged, not withdrawn)
    COUNTED = (*ACTIVE, Status.CLOSED)

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="problems")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="problems")
    county, city = region_fields()
    item = models.ForeignKey(
        CheckItem, verbose_name="检查项目", on_delete=models.PROTECT, related_name="problems"
    )
    source = models.CharField("发现途径", max_length=20, choices=Source.choices)
    self_found = models.BooleanField("企业自查发现", default=False)
    kind = models.CharField("问题类型", max_length=20, choices=ProblemKind.choices)
    severity = models.CharField(
        "严重程度", max_length=10, choices=Severity.choices, default=Severity.MINOR
    )
    description = models.TextField("问题描述")
    # what the enterprise declared in its self-check; the rectification item is what is tracked
    measure = models.TextField("企业申报的整改措施", blank=True)
    deadline = models.DateField("企业申报的整改时限", null=True, blank=True)
    responsible = models.CharField("企业申报的责任人", max_length=30, blank=True)
    evidence = models.ManyToManyField(Evidence, blank=True, related_name="problems")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.OPEN)
    found_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发现人",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    found_at = models.DateTimeField("发现时间")
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)
    self_check_answer = models.OneToOneField(
        SelfCheckAnswer,
        verbose_name="自查项目",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problem_record",
    )
    inspection = models.ForeignKey(
        "Inspection",
        verbose_name="现场检查",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
    )
    legal_basis = models.TextField("法律依据", blank=True)
    sampling_numbers = models.CharField("采样编号", max_length=200, blank=True)
    # the problem of the same enterprise and item recorded first: this one only confirms it
    primary = models.ForeignKey(
        "self",
        verbose_name="主问题（已登记的同一问题）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="confirmations",
    )

    access_paths = RECORD_PATHS

    class Meta:
        verbose_name = verbose_name_plural = "问题台账"
        ordering = ["-found_at", "-pk"]
        indexes = [
            models.Index(fields=["campaign", "status"], name="problem_campaign_status_idx"),
            models.Index(fields=["campaign", "county", "status"], name="problem_county_status_idx"),
            models.Index(fields=["campaign", "city", "status"], name="problem_city_status_idx"),
            models.Index(fields=["enterprise", "item"], name="problem_enterprise_item_idx"),
            # the ledger's order, newest first: a page is an index range, not a sort of the table
            models.Index(fields=["found_at", "id"], name="problem_found_idx"),
            models.Index(fields=["county", "found_at", "id"], name="problem_county_found_idx"),
            models.Index(fields=["city", "found_at", "id"], name="problem_city_found_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise.name}：{self.item.code} {self.description[:30]}"

    @property
    def is_primary(self) -> bool:
        return self.primary_id is None


class ProblemEvent(StatusEvent):
    """One change of a problem, with the stage record that caused it (self-check, inspection, case,
    rectification item, verification finding): the ledger can be read as of any past moment."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="events")
    RECORD = "problem"
    # higher apps' records are referred to generically: the ledger never imports them
    ref_type = models.ForeignKey(
        ContentType,
        verbose_name="来源记录类型",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    ref_id = models.PositiveBigIntegerField("来源记录编号", null=True, blank=True)
    ref = GenericForeignKey("ref_type", "ref_id")

    # the bureau's notes on how it handles a problem are not shown to the enterprise
    access_paths = AccessPaths(
        county="problem__county",
        city="problem__city",
        enterprise="problem__enterprise",
        enterprise_users=False,
    )

    class Meta(StatusEvent.Meta):
        verbose_name = verbose_name_plural = "问题状态记录"
        indexes = [models.Index(fields=["problem", "at"], name="problem_event_at_idx")]

    def __str__(self) -> str:
        return f"{self.problem_id} {self.from_status}→{self.to_status}"
