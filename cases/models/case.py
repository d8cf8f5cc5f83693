"""A case (案件): one violation, its legal steps, its pauses and its statutory clocks."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from campaign.access import AccessPaths
from campaign.models import Campaign
from campaign.transitions import StatusEvent
from cases import rules
from cases.models.catalogue import ViolationType
from cases.models.classification import Path
from enterprises.models import Enterprise
from inspections.models import Problem
from inspections.models.base import region_fields

# the bureau's records: never the enterprise's users (they see what is served on them); a
# grant on the enterprise (a stage-5 verification team) opens them
BUREAU_ONLY = AccessPaths(
    county="county", city="city", enterprise="enterprise", enterprise_users=False
)


class Case(models.Model):
    """One case (逐个立案: one violation per case; a case may group that violation's problems).

    The steps follow 环境行政处罚办法 and 行政处罚法: 立案审批 → 调查取证 → 案件审查 (by someone who did
    not investigate: 查处分离) → 法制审核 where required → 事先（听证）告知 → 听证 if asked →
    集体讨论 for major cases → 处罚决定 → 送达 → 执行 → 结案审批; with the branches 不予立案, 中止/恢复
    (paused time does not run), 不予处罚, 移送涉嫌犯罪 and 撤销. Every move is a `transition`;
    each step's clock is a `Deadline` row.
    """

    class Status(models.TextChoices):
        FILING = "filing", "立案审批"
        NOT_FILED = "not_filed", "不予立案"
        INVESTIGATING = "investigating", "调查取证"
        SUSPENDED = "suspended", "中止调查"
        REVIEWING = "reviewing", "案件审查"
        LEGAL_REVIEW = "legal_review", "法制审核"
        NOTIFIED = "notified", "事先告知"
        HEARING = "hearing", "听证"
        DISCUSSION = "discussion", "集体讨论"
        DECIDED = "decided", "处罚决定（待送达）"
        EXECUTING = "executing", "执行"
        NO_PENALTY = "no_penalty", "不予处罚"
        TRANSFERRED = "transferred", "移送涉嫌犯罪"
        CLOSING = "closing", "结案审批"
        CLOSED = "closed", "已结案"
        REVOKED = "revoked", "已撤销"

    S = Status
    TRANSITIONS = {
        S.FILING: {S.INVESTIGATING, S.NOT_FILED},
        S.INVESTIGATING: {S.REVIEWING, S.SUSPENDED, S.TRANSFERRED, S.REVOKED},
        # resumed to where it was suspended (the service checks which)
        S.SUSPENDED: {S.INVESTIGATING, S.REVIEWING},
        # the reviewer returns a case for more investigation, or sends it on
        S.REVIEWING: {
            S.INVESTIGATING,
            S.SUSPENDED,
            S.LEGAL_REVIEW,
            S.NOTIFIED,
            S.NO_PENALTY,
            S.TRANSFERRED,
            S.REVOKED,
        },
        S.LEGAL_REVIEW: {S.REVIEWING, S.NOTIFIED, S.NO_PENALTY},
        S.NOTIFIED: {S.HEARING, S.DISCUSSION, S.DECIDED, S.NO_PENALTY, S.REVOKED},
        S.HEARING: {S.DISCUSSION, S.DECIDED, S.NO_PENALTY},
        S.DISCUSSION: {S.DECIDED, S.NO_PENALTY},
        S.DECIDED: {S.EXECUTING, S.REVOKED},
        S.EXECUTING: {S.CLOSING, S.REVOKED},
        S.NO_PENALTY: {S.CLOSING},
        # the police or prosecutor declined or returned it: the bureau goes on, or closes it
        S.TRANSFERRED: {S.INVESTIGATING, S.REVIEWING, S.CLOSING},
        S.CLOSING: {S.CLOSED, S.EXECUTING},
        S.CLOSED: set(),
        S.NOT_FILED: set(),
        S.REVOKED: set(),
    }
    STATUS_EVENTS = "events"
    FINISHED = (S.CLOSED, S.NOT_FILED, S.REVOKED)
    # the steps that need the bureau's 负责人 (a capability of a user, not a role)
    APPROVED_STEPS = {
        (S.FILING, S.INVESTIGATING),
        (S.FILING, S.NOT_FILED),
        (S.INVESTIGATING, S.SUSPENDED),
        (S.REVIEWING, S.SUSPENDED),
        (S.INVESTIGATING, S.TRANSFERRED),
        (S.REVIEWING, S.TRANSFERRED),
        (S.NOTIFIED, S.DECIDED),
        (S.HEARING, S.DECIDED),
        (S.DISCUSSION, S.DECIDED),
        (S.REVIEWING, S.NO_PENALTY),
        (S.LEGAL_REVIEW, S.NO_PENALTY),
        (S.NOTIFIED, S.NO_PENALTY),
        (S.HEARING, S.NO_PENALTY),
        (S.DISCUSSION, S.NO_PENALTY),
        (S.CLOSING, S.CLOSED),
        (S.INVESTIGATING, S.REVOKED),
        (S.REVIEWING, S.REVOKED),
        (S.NOTIFIED, S.REVOKED),
        (S.DECIDED, S.REVOKED),
        (S.EXECUTING, S.REVOKED),
    }

    class Source(models.TextChoices):
        LEDGER = "ledger", "问题台账"
        COMPLAINT = "complaint", "举报投诉"
        MONITORING = "monitoring", "在线监控超标"
        OTHER = "other", "其他"

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="cases")
    enterprise = models.ForeignKey(
        Enterprise, verbose_name="当事人", on_delete=models.PROTECT, related_name="cases"
    )
    county, city = region_fields()
    title = models.CharField("案由", max_length=200)
    violation_type = models.ForeignKey(
        ViolationType,
        verbose_name="违法行为类型",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    path = models.CharField("处置方式", max_length=10, choices=Path.choices, default=Path.STRICT)
    source = models.CharField("案件来源", max_length=12, choices=Source.choices)
    facts = models.TextField("违法事实", blank=True)
    discovered_on = models.DateField("发现违法行为日期")
    filed_on = models.DateField("立案日期", null=True, blank=True)
    rules = models.CharField("适用程序规定", max_length=8, choices=rules.CHOICES)
    investigators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="承办人员", related_name="investigated_cases"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="案件审查人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    needs_legal_review = models.BooleanField("需法制审核", default=False)
    major = models.BooleanField("重大案件（需集体讨论）", default=False)
    status = models.CharField("办理环节", max_length=15, choices=Status.choices, default=S.FILING)
    # where a suspended case resumes
    suspended_from = models.CharField(
        "中止前环节", max_length=15, choices=Status.choices, blank=True
    )
    report = models.TextField("调查报告", blank=True)
    review_opinion = models.TextField("审查意见", blank=True)
    proposed_fine = models.PositiveBigIntegerField("拟处罚款（元）", null=True, blank=True)
    fine = models.PositiveBigIntegerField("罚款（元）", null=True, blank=True)
    notified_on = models.DateField("告知书送达日期", null=True, blank=True)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    served_on = models.DateField("决定书送达日期", null=True, blank=True)
    closed_on = models.DateField("结案日期", null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    access_paths = BUREAU_ONLY

    class Meta:
        verbose_name = verbose_name_plural = "案件"
        ordering = ["-opened_at", "-pk"]
        permissions = [("handle_case", "办理案件")]
        indexes = [
            models.Index(fields=["campaign", "county", "status"], name="case_county_status_idx"),
            models.Index(fields=["campaign", "city", "status"], name="case_city_status_idx"),
            models.Index(fields=["opened_at", "id"], name="case_opened_idx"),
            models.Index(fields=["county", "opened_at", "id"], name="case_county_opened_idx"),
            models.Index(fields=["city", "opened_at", "id"], name="case_city_opened_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise.name}：{self.title}"

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def rule_set(self) -> rules.RuleSet:
        return rules.BY_KEY[self.rules]


class CaseEvent(StatusEvent):
    """One step of a case: from, to, who, when, and the note (reason, opinion)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    RECORD = "case"

    access_paths = AccessPaths(
        county="case__county",
        city="case__city",
        enterprise="case__enterprise",
        enterprise_users=False,
    )

    class Meta(StatusEvent.Meta):
        verbose_name = verbose_name_plural = "案件办理记录"


class CaseProblem(models.Model):
    """A problem of the ledger handled in a case (a problem is in at most one live case)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="case_problems")
    problem = models.ForeignKey(
        Problem, verbose_name="问题", on_delete=models.PROTECT, related_name="case_links"
    )

    access_paths = AccessPaths(
        county="case__county",
        city="case__city",
        enterprise="case__enterprise",
        enterprise_users=False,
    )

    class Meta:
        verbose_name = verbose_name_plural = "案件涉及问题"
        constraints = [
            models.UniqueConstraint(fields=["case", "problem"], name="case_problem_unique")
        ]

    def __str__(self) -> str:
        return f"{self.case_id}：{self.problem_id}"


class CasePause(models.Model):
    """An interval in which the decision clock does not run (中止, 听证, 监测鉴定, 移送)."""

    class Kind(models.TextChoices):
        SUSPENSION = "suspension", "中止调查"
        HEARING = "hearing", "听证"
        TESTING = "testing", "监测、检测、鉴定"
        TRANSFER = "transfer", "移送涉嫌犯罪"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="pauses")
    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    started_on = models.DateField("起始日期")
    ended_on = models.DateField("结束日期", null=True, blank=True)
    note = models.TextField("说明", blank=True)

    access_paths = CaseEvent.access_paths

    class Meta:
        verbose_name = verbose_name_plural = "不计入办案期限的期间"
        ordering = ["started_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_on:%Y-%m-%d}起"

    def days(self, today: dt.date) -> tuple[dt.date, dt.date]:
        """The first and last day on which the clock does not run: up to the day before it ended,
        or up to today while it lasts."""
        if self.ended_on is None:
            return self.started_on, today
        return self.started_on, self.ended_on - dt.timedelta(days=1)


class Deadline(models.Model):
    """One statutory clock of a case, as computed: basis, unit, length, start, due date, and the
    calendar it was computed on (so a calendar update can find what to recompute)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deadlines")
    key = models.CharField("期限", max_length=40)
    label = models.CharField("事项", max_length=50)
    basis = models.CharField("依据", max_length=300)
    unit = models.CharField("计算单位", max_length=2, choices=rules.Unit.CHOICES)
    length = models.PositiveSmallIntegerField("期间")
    extension = models.PositiveSmallIntegerField("延长", default=0)
    against = models.CharField("期限对象", max_length=8, choices=rules.Against.CHOICES)
    start_event = models.CharField("起算事件", max_length=50)
    start_date = models.DateField("起算日")
    due_date = models.DateField("届满日")
    pausable = models.BooleanField("扣除中止等期间", default=False)
    # years the due date was computed through without holiday data (shown as a warning)
    unknown_years = models.JSONField("缺少节假日数据的年份", default=list, blank=True)
    calendar_version = models.CharField("日历数据版本", max_length=100)
    computed_at = models.DateTimeField("计算时间", default=timezone.now)
    done_on = models.DateField("完成日期", null=True, blank=True)
    done_note = models.CharField("完成情况", max_length=100, blank=True)

    access_paths = CaseEvent.access_paths

    class Meta:
        verbose_name = verbose_name_plural = "办案期限"
        ordering = ["due_date", "pk"]
        constraints = [models.UniqueConstraint(fields=["case", "key"], name="deadline_unique")]
        indexes = [
            models.Index(fields=["done_on", "due_date"], name="deadline_open_due_idx"),
            # 到期提醒's order over the open clocks: an index range, not a sort of them all
            models.Index(
                fields=["due_date", "id"],
                condition=models.Q(done_on__isnull=True),
                name="deadline_open_order_idx",
            ),
            # the case list's 有逾期期限 (an EXISTS per row)
            models.Index(
                fields=["case", "due_date"],
                condition=models.Q(done_on__isnull=True, against="bureau"),
                name="deadline_case_open_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label}：{self.due_date:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.done_on is None

    def is_overdue(self, today: dt.date) -> bool:
        """The bureau missed its own clock. A party's window that ran out has lapsed (已届满):
        the party lost the step, nobody is late."""
        return (
            self.done_on is None and self.due_date < today and self.against == rules.Against.BUREAU
        )

    def has_lapsed(self, today: dt.date) -> bool:
        return (
            self.done_on is None and self.due_date < today and self.against == rules.Against.PARTY
        )

    @property
    def period(self) -> str:
        text = f"{self.length}{rules.Unit.LABELS[self.unit]}"
        return (
            f"{text}（已延长{self.extension}{rules.Unit.LABELS[self.unit]}）"
            if self.extension
            else text
        )

    @property
    def warning(self) -> str:
        from campaign.workdays import Due

        return Due(self.due_date, tuple(self.unknown_years)).warning


class DeadlineReminder(models.Model):
    """A reminder the daily job wrote for an open clock: once when it comes within the reminder
    horizon, once when it is overdue."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", "即将到期"
        OVERDUE = "overdue", "已逾期"

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField("提醒类型", max_length=10, choices=Kind.choices)
    written_on = models.DateField("提醒日期")

    access_paths = AccessPaths(
        county="deadline__case__county",
        city="deadline__case__city",
        enterprise="deadline__case__enterprise",
        enterprise_users=False,
    )

    class Meta:
        verbose_name = verbose_name_plural = "期限提醒"
        ordering = ["-written_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["deadline", "kind"], name="deadline_reminder_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.deadline}"
