"""The check-item catalogue, the enterprise self-check table (附件2), evidence and the problem ledger.

The same catalogue serves the self-check and the on-site record (附件3), so
what an enterprise declared can be compared item by item with what the
inspectors found. A campaign freezes the catalogue version it uses.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from campaign.access import AccessPaths
from campaign.models import Campaign
from enterprises.models import Enterprise

ENTERPRISE_PATHS = AccessPaths(
    county="enterprise__county", city="enterprise__city", enterprise="enterprise"
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

    access_paths = ENTERPRISE_PATHS

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

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="self_checks")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="self_checks")
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

    access_paths = ENTERPRISE_PATHS

    class Meta:
        verbose_name = verbose_name_plural = "排污单位自查情况表"
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "enterprise"], name="one_self_check_per_campaign"
            )
        ]
        indexes = [
            models.Index(fields=["campaign", "status"], name="selfcheck_campaign_status_idx")
        ]

    def __str__(self) -> str:
        return f"{self.enterprise.name} 自查情况表"


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
        county="self_check__enterprise__county",
        city="self_check__enterprise__city",
        enterprise="self_check__enterprise",
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
        county="self_check__enterprise__county",
        city="self_check__enterprise__city",
        enterprise="self_check__enterprise",
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

    Later stages link to it (the inspection that found or confirmed it, the
    case that handles it, the rectification item that closes it).
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
        RECTIFYING = "rectifying", "整改中"
        CLOSED = "closed", "已销号"

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="problems")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="problems")
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
    measure = models.TextField("整改措施", blank=True)
    deadline = models.DateField("整改时限", null=True, blank=True)
    responsible = models.CharField("责任人", max_length=30, blank=True)
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
    # the self-found problem an inspection confirmed, so nothing is counted twice
    same_as = models.ForeignKey(
        "self",
        verbose_name="同一问题（自查已报）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="confirmations",
    )

    access_paths = ENTERPRISE_PATHS

    class Meta:
        verbose_name = verbose_name_plural = "问题台账"
        ordering = ["-found_at", "-pk"]
        indexes = [
            models.Index(fields=["campaign", "status"], name="problem_campaign_status_idx"),
            models.Index(fields=["enterprise", "item"], name="problem_enterprise_item_idx"),
            # the ledger's order, newest first: a page is an index range, not a sort of the table
            models.Index(fields=["found_at", "id"], name="problem_found_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise.name}：{self.item.code} {self.description[:30]}"


INSPECTION_PATHS = AccessPaths(county="enterprise__county", city="enterprise__city")


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
        RECORDER = "recorder", "记录人"

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="inspection_roles"
    )
    role = models.CharField("职责", max_length=20, choices=Role.choices)
    signature = models.TextField("签名", blank=True)  # PNG data URL
    signed_at = models.DateTimeField("签名时间", null=True, blank=True)

    access_paths = AccessPaths(
        county="inspection__enterprise__county",
        city="inspection__enterprise__city",
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
        county="inspection__enterprise__county",
        city="inspection__enterprise__city",
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


class InspectionEvent(models.Model):
    """Postponements (停产), amendments of a submitted record and other transitions, kept forever."""

    class Kind(models.TextChoices):
        PLANNED = "planned", "制定计划"
        STARTED = "started", "开始检查"
        POSTPONED = "postponed", "停产延期"
        SUBMITTED = "submitted", "提交记录"
        AMENDED = "amended", "更正记录"

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    note = models.TextField(blank=True)
    changes = models.JSONField(default=dict, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    access_paths = AccessPaths(
        county="inspection__enterprise__county",
        city="inspection__enterprise__city",
        grant_via=("inspection",),
    )

    class Meta:
        verbose_name = verbose_name_plural = "检查记录事件"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.inspection} {self.get_kind_display()}"
