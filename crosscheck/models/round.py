"""A verification round (核查轮次) and its sample.

The province opens a round for the key units of every city (a city, one for its own non-key
units), sets the rule and draws once. The draw keeps everything needed to replay it: the seed, the
frame (every candidate unit with its city, industry stratum and risk signals, in a fixed order), a
SHA-256 digest of that frame, the rule, the time and the witnesses. The sample is confidential:
until the round's release time only province-wide users see it (`AccessPaths.embargo`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from campaign.access import AccessPaths
from campaign.models import Campaign, Region
from campaign.transitions import StatusEvent
from crosscheck.sampling import SIGNALS
from enterprises.models import Enterprise


class VerificationRound(models.Model):
    class Level(models.TextChoices):
        PROVINCE = "province", "省级（重点排污单位）"
        CITY = "city", "市级（非重点排污单位）"

    class Status(models.TextChoices):
        DRAFT = "draft", "待抽取"
        DRAWN = "drawn", "已抽取"
        CLOSED = "closed", "已结束"

    # released is a time, not a step: the sample opens by itself at `release_at`
    TRANSITIONS = {Status.DRAFT: {Status.DRAWN}, Status.DRAWN: {Status.CLOSED}}
    STATUS_EVENTS = "events"

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="verification_rounds"
    )
    level = models.CharField("层级", max_length=10, choices=Level.choices)
    # a city's own round; empty for the province's
    city = models.ForeignKey(
        Region,
        verbose_name="组织市",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField("名称", max_length=100)
    share = models.DecimalField("每市抽取比例", max_digits=4, decimal_places=3)
    minimum = models.PositiveSmallIntegerField("每市最少抽取（家）")
    # extra weight of each risk signal (crosscheck.sampling.SIGNALS), and what "many" problems is
    weights = models.JSONField("风险加权", default=dict, blank=True)
    many_problems = models.PositiveSmallIntegerField("问题较多（个及以上）", default=5)
    release_at = models.DateTimeField("样本发布时间")
    ends_on = models.DateField("核查截止日期")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    # closed before its last day: the members' grants and writing stop then
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    # the province's round: province-wide users only; a city's round: that city too
    access_paths = AccessPaths(city="city", enterprise_users=False)

    class Meta:
        verbose_name = verbose_name_plural = "异地核查轮次"
        ordering = ["-created_at", "-pk"]
        permissions = [("draw_sample", "抽取核查样本、复核抽取")]

    def __str__(self) -> str:
        return self.title

    @property
    def share_label(self) -> str:
        """The share as people write it: 10%, 12.5%."""
        return f"{(self.share * 100).normalize():f}%"

    @property
    def released(self) -> bool:
        return self.release_at <= timezone.now()


class RoundEvent(StatusEvent):
    round = models.ForeignKey(VerificationRound, on_delete=models.CASCADE, related_name="events")
    RECORD = "round"

    access_paths = AccessPaths(city="round__city", enterprise_users=False)

    class Meta(StatusEvent.Meta):
        verbose_name = verbose_name_plural = "核查轮次记录"


class SampleDraw(models.Model):
    """The one draw of a round, with all it takes to replay it."""

    round = models.OneToOneField(
        VerificationRound, verbose_name="核查轮次", on_delete=models.PROTECT, related_name="draw"
    )
    seed = models.CharField("随机种子", max_length=64)
    # [[enterprise id, city code, stratum, [signals]], …] in the frame's fixed order
    frame = models.JSONField("抽样框")
    frame_size = models.PositiveIntegerField("抽样框单位数")
    frame_digest = models.CharField("抽样框摘要（SHA-256）", max_length=64)
    rule = models.JSONField("抽取规则")
    drawn_at = models.DateTimeField("抽取时间")
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="抽取人", on_delete=models.PROTECT, related_name="+"
    )
    witnesses = models.CharField("见证人", max_length=200)

    access_paths = AccessPaths(city="round__city", enterprise_users=False)

    class Meta:
        verbose_name = verbose_name_plural = "核查样本抽取记录"

    def __str__(self) -> str:
        return f"{self.round} 抽取记录"


class SampledUnit(models.Model):
    """A unit drawn, in the order it was drawn (by city, stratum, draw)."""

    draw = models.ForeignKey(SampleDraw, on_delete=models.CASCADE, related_name="units")
    position = models.PositiveIntegerField("序号")
    enterprise = models.ForeignKey(
        Enterprise, verbose_name="单位", on_delete=models.PROTECT, related_name="samplings"
    )
    city = models.ForeignKey(
        Region, verbose_name="省辖市", on_delete=models.PROTECT, related_name="+"
    )
    county = models.ForeignKey(
        Region, verbose_name="县（市、区）", on_delete=models.PROTECT, related_name="+"
    )
    stratum = models.CharField("行业大类", max_length=4, blank=True)
    signals = models.JSONField("风险信号", default=list, blank=True)
    weight = models.PositiveSmallIntegerField("权重")
    release_at = models.DateTimeField("发布时间")  # the round's, copied: the embargo reads it

    # the target's city and county see it once released, a city its own round's at once, a team
    # member once signed (their grant on this row); never the unit itself (unannounced)
    access_paths = AccessPaths(
        city="city",
        county="county",
        enterprise_users=False,
        embargo="release_at",
        organiser="draw__round__city",
    )

    class Meta:
        verbose_name = verbose_name_plural = "核查样本单位"
        ordering = ["draw", "position"]
        constraints = [
            models.UniqueConstraint(fields=["draw", "enterprise"], name="one_sampling_per_draw"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.enterprise.name}"

    @property
    def signal_labels(self) -> str:
        return "、".join(SIGNALS.get(s, s) for s in self.signals)


class DrawReplay(models.Model):
    """Someone pressed 复核抽取: was the same sample (or the same teams) drawn again, and is the
    frame (the pool and targets) unchanged?"""

    class Kind(models.TextChoices):
        SAMPLE = "sample", "样本"
        TEAMS = "teams", "编组"

    kind = models.CharField("复核对象", max_length=10, choices=Kind.choices, default=Kind.SAMPLE)
    draw = models.ForeignKey(SampleDraw, on_delete=models.CASCADE, related_name="replays")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="复核人", on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("复核时间", auto_now_add=True)
    sample_same = models.BooleanField("样本一致")
    frame_same = models.BooleanField("抽样框未变")
    frame_digest = models.CharField("当前抽样框摘要", max_length=64)
    changes = models.JSONField("抽样框变化", default=dict, blank=True)

    access_paths = AccessPaths(city="draw__round__city", enterprise_users=False)

    class Meta:
        verbose_name = verbose_name_plural = "复核抽取记录"
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.draw} 复核 {self.at:%Y-%m-%d %H:%M}"
