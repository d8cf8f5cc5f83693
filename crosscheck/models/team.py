"""The teams of a round: the replayable team draw, its teams and members, and the conflicts people
declare with units (回避).

The team draw keeps, like the sample's, everything needed to replay it: the pool (every eligible
person with their city, county, industries and whether they may lead), the targets (each with the
industries of its units and who must stay away from them), the rule, the seed, a digest, the time,
who drew and the witnesses. Each member holds a `campaign.Assignment` (the integrity commitment
before, the integrity self-check after) and, once the commitment is signed, time-boxed grants on
the team's sampled units only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from campaign.access import AccessPaths
from campaign.models import Assignment, Region
from crosscheck.models.round import VerificationRound


class ConflictDeclaration(models.Model):
    """A person declares a conflict of interest with a unit (relatives, former employer …), named by
    its credit code so that declaring never tells whether the unit is on file."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="申报人",
        on_delete=models.PROTECT,
        related_name="conflict_declarations",
    )
    credit_code = models.CharField("统一社会信用代码", max_length=18)
    unit_name = models.CharField("单位名称", max_length=200)
    reason = models.CharField("回避事由", max_length=200)
    declared_at = models.DateTimeField("申报时间", auto_now_add=True)

    access_paths = AccessPaths(owner="user")

    class Meta:
        verbose_name = verbose_name_plural = "回避申报"
        ordering = ["-declared_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "credit_code"], name="one_declaration_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.user} 回避 {self.unit_name}"


class TeamDraw(models.Model):
    round = models.OneToOneField(
        VerificationRound,
        verbose_name="核查轮次",
        on_delete=models.PROTECT,
        related_name="team_draw",
    )
    seed = models.CharField("随机种子", max_length=64)
    # [[user id, kind, city, county, [industries], may lead], …] by user id
    pool = models.JSONField("人员库")
    # [[target code, [industries], [user ids kept away]], …] by code
    targets = models.JSONField("核查对象")
    rule = models.JSONField("编组规则")
    digest = models.CharField("摘要（SHA-256）", max_length=64)
    drawn_at = models.DateTimeField("编组时间")
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="编组人", on_delete=models.PROTECT, related_name="+"
    )
    witnesses = models.CharField("见证人", max_length=200)

    access_paths = AccessPaths(city="round__city", enterprise_users=False)

    class Meta:
        verbose_name = verbose_name_plural = "核查组随机编组记录"

    def __str__(self) -> str:
        return f"{self.round} 编组记录"


class Team(models.Model):
    round = models.ForeignKey(VerificationRound, on_delete=models.CASCADE, related_name="teams")
    number = models.PositiveSmallIntegerField("组号")
    # the city visited (a city round: the county, its city here too)
    target_city = models.ForeignKey(
        Region, verbose_name="核查市", on_delete=models.PROTECT, related_name="+"
    )
    target_county = models.ForeignKey(
        Region,
        verbose_name="核查县（区）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    access_paths = AccessPaths(city="round__city", enterprise_users=False)

    class Meta:
        verbose_name = verbose_name_plural = "核查组"
        ordering = ["round", "number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "number"], name="one_team_number_per_round")
        ]

    def __str__(self) -> str:
        target = self.target_county or self.target_city
        return f"第 {self.number} 组（{target.name}）"


class TeamMember(models.Model):
    class Role(models.TextChoices):
        LEADER = "leader", "组长"
        OFFICER = "officer", "组员（执法能手）"
        EXPERT = "expert", "专家"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="成员",
        on_delete=models.PROTECT,
        related_name="verification_teams",
    )
    role = models.CharField("职责", max_length=10, choices=Role.choices)
    assignment = models.OneToOneField(
        Assignment,
        verbose_name="异地执法任务",
        on_delete=models.PROTECT,
        related_name="team_member",
    )

    # the organiser, and the member their own row
    access_paths = AccessPaths(city="team__round__city", owner="user", enterprise_users=False)

    class Meta:
        verbose_name = verbose_name_plural = "核查组成员"
        ordering = ["team", "pk"]  # the leader first, as drawn
        constraints = [
            # one person, one team per round (the round is the team's: enforced by the draw)
            models.UniqueConstraint(fields=["team", "user"], name="one_membership_per_team"),
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.get_role_display()} {self.user}"
