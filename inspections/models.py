"""The check-item catalogue, the enterprise self-check table (附件2), evidence and the problem ledger.

The same catalogue serves the self-check and the on-site record (附件3), so
what an enterprise declared can be compared item by item with what the
inspectors found. A campaign freezes the catalogue version it uses.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from campaign.access import AccessPaths
from campaign.models import Campaign, Region
from campaign.transitions import StatusEvent
from enterprises.models import Enterprise

# records that keep their place in history: their own county and city, stored when recorded
RECORD_PATHS = AccessPaths(county="county", city="city", enterprise="enterprise")


def region_fields() -> tuple[models.ForeignKey, models.ForeignKey]:
    """The county and city a record belongs to, copied from its enterprise when it is recorded,
    so that a unit moved to another county later does not move its history."""
    return (
        models.ForeignKey(
            Region, verbose_name="所属县（市、区）", on_delete=models.PROTECT, related_name="+"
        ),
        models.ForeignKey(
            Region, verbose_name="所属省辖市", on_delete=models.PROTECT, related_name="+"
        ),
    )


class Area(models.TextChoices):
    """The plan's five areas of an inspection (三、主要内容)."""

    MANAGEMENT = "management", "生态环境保护管理制度及落实情况"
    LEGAL = "legal", "排污单位环保主体合法性"
    FACILITIES = "facilities", "污染防治设施建设及运行"
    MOBILE = "mobile", "道路移动源管理情况"
    OTHER = "other", "排污单位其他守法情况"


class ProblemKind(models.TextChoices):
    MANAGEMENT = "management", "管理制度问题"
    VIOLATION = "violation", "环境违法"
    HAZARD = "hazard", "安全隐患"


class CatalogueVersion(models.Model):
    """One version of the check-item catalogue; frozen once a campaign uses it."""

    code = models.CharField("版本号", max_length=20, unique=True)
    name = models.CharField("名称", max_length=100)
    frozen_at = models.DateTimeField("冻结时间", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    access_paths = AccessPaths(public=True)

    class Meta:
        verbose_name = verbose_name_plural = "检查项目目录版本"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None


class CampaignCatalogue(models.Model):
    """Which catalogue version a campaign uses (frozen with it)."""

    campaign = models.OneToOneField(Campaign, on_delete=models.PROTECT, related_name="catalogue")
    version = models.ForeignKey(
        CatalogueVersion, on_delete=models.PROTECT, related_name="campaigns"
    )

    access_paths = AccessPaths(public=True)

    class Meta:
        verbose_name = verbose_name_plural = "年度检查目录"

    def __str__(self) -> str:
        return f"{self.campaign}：{self.version}"


class CheckItem(models.Model):
    """One item of the catalogue with what to check, the standard, the law, and when it applies."""

    version = models.ForeignKey(CatalogueVersion, on_delete=models.CASCADE, related_name="items")
    area = models.CharField("检查内容", max_length=20, choices=Area.choices)
    code = models.CharField("编号", max_length=10)
    order = models.PositiveSmallIntegerField("排序", default=0)
    title = models.CharField("检查项目", max_length=200)
    points = models.TextField("检查要点")
    standard = models.TextField("检查标准")
    legal_basis = models.TextField("法律依据", blank=True)
    problem_kind = models.CharField(
        "不符合时的问题类型", max_length=20, choices=ProblemKind.choices
    )
    # applicability, decided from the enterprise's registry data (empty = every enterprise)
    industry_prefixes = models.JSONField("适用行业代码（前缀）", default=list, blank=True)
    key_types = models.JSONField("适用重点排污单位类别", default=list, blank=True)
    key_unit_only = models.BooleanField("仅重点排污单位", default=False)
    hazardous_waste = models.BooleanField("仅产生危险废物的单位", default=False)
    auto_monitoring = models.BooleanField("仅安装自动监控的单位", default=False)
    tailings_pond = models.BooleanField("仅有尾矿库的单位", default=False)
    radiation = models.BooleanField("仅使用放射源或射线装置的单位", default=False)
    permit_classes = models.JSONField("适用排污许可管理类别", default=list, blank=True)

    access_paths = AccessPaths(public=True)

    class Meta:
        verbose_name = verbose_name_plural = "检查项目"
        ordering = ["version", "area", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="check_item_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Evidence(models.Model):
    """A photo or document about one enterprise, attached to answers and problems."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField("文件", upload_to="evidence/%Y/%m/")
    original_name = models.CharField("文件名", max_length=255)
    content_type = models.CharField("类型", max_length=50)
    size = models.PositiveIntegerField("大小")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    # from the photo's own metadata when the device kept it (EXIF), never from the upload time
    taken_at = models.DateTimeField("拍摄时间", null=True, blank=True)
    latitude = models.DecimalField(
        "拍摄纬度", max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        "拍摄经度", max_digits=9, decimal_places=6, null=True, blank=True
    )

    # visible exactly where a record it belongs to is: its self-check answer, record line, problem
    access_paths = AccessPaths(via=("self_check_answers", "findings", "problems"))

    class Meta:
        verbose_name = verbose_name_plural = "证据材料"
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class SelfCheck(models.Model):
    """An enterprise's 排污单位自查情况表 (附件2) for one campaign."""

    class Status(models.TextChoices):
        DRAFT = "draft", "填写中"
        SUBMITTED = "submitted", "已提交，待备案"
        FILED = "filed", "已备案"
        RETURNED = "returned", "已退回，待修改"

    TRANSITIONS = {
        Status.DRAFT: {Status.SUBMITTED},
        Status.SUBMITTED: {Status.FILED, Status.RETURNED},
        Status.RETURNED: {Status.SUBMITTED},
        Status.FILED: set(),
    }
    STATUS_EVENTS = "events"

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="self_checks")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="self_checks")
    county, city = region_fields()
    version = models.ForeignKey(CatalogueVersion, on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT)
    filler_name = models.CharField("填表人", max_length=30, blank=True)
    filled_on = models.DateField("自查日期", null=True, blank=True)
    env_manager = models.CharField("环保负责人", max_length=30, blank=True)
    env_manager_phone = models.CharField("环保负责人电话", max_length=30, blank=True)
    declaration = models.BooleanField("承诺所填内容真实、准确、完整", default=False)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    is_late = models.BooleanField("逾期提交", default=False)
    reviewed_at = models.DateTimeField("备案/退回时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_comment = models.TextField("审核意见", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    access_paths = RECORD_PATHS

    class Meta:
        verbose_name = verbose_name_plural = "排污单位自查情况表"
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "enterprise"], name="one_self_check_per_campaign"
            )
        ]
        indexes = [
            models.Index(fields=["campaign", "status"], name="selfcheck_campaign_status_idx"),
            models.Index(
                fields=["campaign", "county", "status"], name="selfcheck_county_status_idx"
            ),
            models.Index(fields=["campaign", "city", "status"], name="selfcheck_city_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise.name} 自查情况表"


class SelfCheckEvent(StatusEvent):
    """Submission, filing and return of a table, as they happened."""

    self_check = models.ForeignKey(SelfCheck, on_delete=models.CASCADE, related_name="events")
    RECORD = "self_check"

    access_paths = AccessPaths(
        county="self_check__county", city="self_check__city", enterprise="self_check__enterprise"
    )

    class Meta(StatusEvent.Meta):
        verbose_name = verbose_name_plural = "自查表状态记录"

    def __str__(self) -> str:
        return f"{self.self_check} {self.from_status}→{self.to_status}"


class SelfCheckAnswer(models.Model):
    class Result(models.TextChoices):
        COMPLIANT = "compliant", "符合"
        NONCOMPLIANT = "noncompliant", "不符合"
        NOT_APPLICABLE = "na", "不涉及"

    self_check = models.ForeignKey(SelfCheck, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(CheckItem, on_delete=models.PROTECT, related_name="+")
    result = models.CharField("自查结果", max_length=20, choices=Result.choices, blank=True)
    problem = models.TextField("存在问题", blank=True)
    measure = models.TextField("整改措施", blank=True)
    deadline = models.DateField("整改时限", null=True, blank=True)
    responsible = models.CharField("责任人", max_length=30, blank=True)
    evidence = models.ManyToManyField(Evidence, blank=True, related_name="self_check_answers")
    updated_at = models.DateTimeField(auto_now=True)

    access_paths = AccessPaths(
        county="self_check__county", city="self_check__city", enterprise="self_check__enterprise"
    )

    class Meta:
        verbose_name = verbose_name_plural = "自查项目"
        ordering = ["item__area", "item__order"]
        constraints = [
            models.UniqueConstraint(fields=["self_check", "item"], name="one_answer_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.item.code} {self.get_result_display()}"

    def missing(self, *, today=None) -> list[str]:
        """What an answer lacks before the table can be submitted (empty when complete)."""
        if not self.result:
            return ["未选择自查结果"]
        if self.result != self.Result.NONCOMPLIANT:
            return []
        lacks = []
        if not self.problem.strip():
            lacks.append("未填写存在问题")
        if not self.measure.strip():
            lacks.append("未填写整改措施")
        if not self.deadline:
            lacks.append("未填写整改时限")
        if not self.responsible.strip():
            lacks.append("未填写责任人")
        return lacks


class SelfCheckSubmission(models.Model):
    """Every submitted version of a table, kept as it was, with the review it got."""

    self_check = models.ForeignKey(SelfCheck, on_delete=models.CASCADE, related_name="submissions")
    number = models.PositiveSmallIntegerField("第几次提交")
    snapshot = models.JSONField("提交内容")
    submitted_at = models.DateTimeField("提交时间")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    is_late = models.BooleanField("逾期", default=False)
    outcome = models.CharField("审核结果", max_length=20, blank=True)  # filed / returned
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    comment = models.TextField("审核意见", blank=True)

    access_paths = AccessPaths(
        county="self_check__county", city="self_check__city", enterprise="self_check__enterprise"
    )

    class Meta:
        verbose_name = verbose_name_plural = "自查表提交记录"
        ordering = ["self_check", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["self_check", "number"], name="submission_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.self_check} 第 {self.number} 次提交"


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
        Status.MERGED: set(),
        Status.WITHDRAWN: {Status.OPEN},
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

    access_paths = AccessPaths(
        county="problem__county", city="problem__city", enterprise="problem__enterprise"
    )

    class Meta(StatusEvent.Meta):
        verbose_name = verbose_name_plural = "问题状态记录"
        indexes = [models.Index(fields=["problem", "at"], name="problem_event_at_idx")]

    def __str__(self) -> str:
        return f"{self.problem_id} {self.from_status}→{self.to_status}"


# the enterprise signed its record on site and is entitled to a copy: its users see their own
# unit's records once submitted (read-only, with photos and the PDF), never a planned visit
INSPECTION_PATHS = AccessPaths(
    county="county",
    city="city",
    enterprise="enterprise",
    enterprise_users=models.Q(status="submitted"),
)


class Inspection(models.Model):
    """A planned on-site inspection and its record form (附件3 一体化执法现场检查记录表)."""

    class Status(models.TextChoices):
        PLANNED = "planned", "已计划"
        IN_PROGRESS = "in_progress", "检查中"
        POSTPONED = "postponed", "停产延期（待检查）"
        SUBMITTED = "submitted", "已提交"

    TRANSITIONS = {
        Status.PLANNED: {Status.IN_PROGRESS, Status.POSTPONED},
        Status.IN_PROGRESS: {Status.SUBMITTED, Status.POSTPONED},
        Status.POSTPONED: {Status.IN_PROGRESS, Status.POSTPONED},
        Status.SUBMITTED: set(),
    }
    STATUS_EVENTS = "events"

    class Source(models.TextChoices):
        DOUBLE_RANDOM = "double_random", "双随机"
        SPECIAL = "special", "专项检查"
        COMPLAINT = "complaint", "投诉举报"
        PETITION = "petition", "信访转办"
        OTHER = "other", "其他"

    class Suggestion(models.TextChoices):
        NONE = "none", "未发现问题，无需处理"
        GUIDANCE = "guidance", "行政指导"
        CORRECT = "correct", "责令改正"
        CASE = "case", "建议立案"
        TRANSFER = "transfer", "建议移送"

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="inspections")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="inspections")
    county, city = region_fields()
    version = models.ForeignKey(CatalogueVersion, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(
        "检查来源", max_length=20, choices=Source.choices, default=Source.SPECIAL
    )
    planned_on = models.DateField("计划检查日期")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.PLANNED)
    started_at = models.DateTimeField("检查开始时间", null=True, blank=True)
    ended_at = models.DateTimeField("检查结束时间", null=True, blank=True)
    place = models.CharField("检查地点", max_length=200, blank=True)
    recorder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="记录人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    representative_name = models.CharField("企业现场负责人", max_length=30, blank=True)
    representative_position = models.CharField("职务", max_length=50, blank=True)
    representative_statement = models.TextField("企业陈述", blank=True)
    representative_signature = models.TextField("企业现场负责人签名", blank=True)  # PNG data URL
    representative_signed_at = models.DateTimeField("签名时间", null=True, blank=True)
    summary = models.TextField("问题汇总", blank=True)
    suggestion = models.CharField(
        "初步处理意见", max_length=20, choices=Suggestion.choices, blank=True
    )
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_late = models.BooleanField("非当日上传", default=False)
    late_reason = models.TextField("延迟上传原因", blank=True)
    original = models.JSONField("提交时的原始记录", null=True, blank=True)
    revision = models.PositiveIntegerField("修订号", default=0)  # optimistic lock for the header
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    access_paths = INSPECTION_PATHS

    class Meta:
        verbose_name = verbose_name_plural = "现场检查"
        ordering = ["-planned_on", "-pk"]
        indexes = [
            models.Index(fields=["campaign", "status"], name="inspection_campaign_status_idx"),
            # the list's order (either direction) without sorting the table
            models.Index(fields=["planned_on", "id"], name="inspection_planned_idx"),
            models.Index(
                fields=["campaign", "planned_on", "id"], name="inspection_campaign_plan_idx"
            ),
            models.Index(fields=["county", "planned_on", "id"], name="inspection_county_plan_idx"),
            models.Index(fields=["city", "planned_on", "id"], name="inspection_city_plan_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise.name} 现场检查（{self.planned_on:%Y-%m-%d}）"

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.SUBMITTED


class InspectionMember(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", "主办人"
        INSPECTOR = "inspector", "协办人"
        EXPERT = "expert", "专家"

    # who writes and signs the record: law-enforcement staff; experts advise and do not sign
    # (the recorder, 记录人, is one of these, named on the record's header)
    SIGNERS = (Role.LEAD, Role.INSPECTOR)

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="inspection_roles"
    )
    role = models.CharField("职责", max_length=20, choices=Role.choices)
    signature = models.TextField("签名", blank=True)  # PNG data URL
    signed_at = models.DateTimeField("签名时间", null=True, blank=True)

    access_paths = AccessPaths(
        county="inspection__county",
        city="inspection__city",
        enterprise="inspection__enterprise",
        enterprise_users=models.Q(inspection__status="submitted"),
        grant_via=("inspection",),
    )

    class Meta:
        verbose_name = verbose_name_plural = "检查组成员"
        ordering = ["inspection", "role", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "user"], name="one_role_per_inspection")
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.user}"


class InspectionFinding(models.Model):
    """One catalogue item on the record form: 未发现问题 / 发现问题 / 不涉及, with the problem's details."""

    class Result(models.TextChoices):
        OK = "ok", "未发现问题"
        PROBLEM = "problem", "发现问题"
        NOT_APPLICABLE = "na", "不涉及"

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    item = models.ForeignKey(CheckItem, on_delete=models.PROTECT, related_name="+")
    result = models.CharField("检查结果", max_length=10, choices=Result.choices, blank=True)
    note = models.TextField("检查情况", blank=True)
    description = models.TextField("问题描述", blank=True)
    kind = models.CharField("问题类型", max_length=20, choices=ProblemKind.choices, blank=True)
    severity = models.CharField(
        "严重程度", max_length=10, choices=Problem.Severity.choices, blank=True
    )
    legal_basis = models.TextField("法律依据", blank=True)
    sampling_numbers = models.CharField("采样编号", max_length=200, blank=True)
    evidence = models.ManyToManyField(Evidence, blank=True, related_name="findings")
    revision = models.PositiveIntegerField(
        default=0
    )  # two inspectors never overwrite each other silently
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    access_paths = AccessPaths(
        county="inspection__county",
        city="inspection__city",
        enterprise="inspection__enterprise",
        enterprise_users=models.Q(inspection__status="submitted"),
        grant_via=("inspection",),
    )

    class Meta:
        verbose_name = verbose_name_plural = "检查项目结果"
        ordering = ["item__area", "item__order"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "item"], name="one_finding_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.item.code} {self.get_result_display()}"

    def missing(self) -> list[str]:
        if not self.result:
            return ["未选择检查结果"]
        if self.result != self.Result.PROBLEM:
            return []
        return [
            text
            for field, text in (
                ("description", "未填写问题描述"),
                ("kind", "未选择问题类型"),
                ("severity", "未选择严重程度"),
            )
            if not getattr(self, field)
        ]


class InspectionEvent(StatusEvent):
    """Every step of an inspection, kept forever: status changes (planned, started, postponed for
    stopped production, submitted) and amendments of a submitted record (status unchanged)."""

    class Kind(models.TextChoices):
        PLANNED = "planned", "制定计划"
        STARTED = "started", "开始检查"
        POSTPONED = "postponed", "停产延期"
        SUBMITTED = "submitted", "提交记录"
        AMENDED = "amended", "更正记录"

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="events")
    RECORD = "inspection"
    kind = models.CharField("事项", max_length=20, choices=Kind.choices)
    changes = models.JSONField("更改内容", default=dict, blank=True)

    # the bureau's own steps (postponements, amendments): not shown to the enterprise
    access_paths = AccessPaths(
        county="inspection__county",
        city="inspection__city",
        enterprise="inspection__enterprise",
        enterprise_users=False,
        grant_via=("inspection",),
    )

    class Meta(StatusEvent.Meta):
        verbose_name = verbose_name_plural = "检查记录事件"

    def __str__(self) -> str:
        return f"{self.inspection} {self.get_kind_display()}"
