"""指导: the bureau's guidance visits and 环保知识进企业 trainings, recorded against plans."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from campaign.access import AccessPaths
from campaign.models import Campaign
from enterprises.models import Enterprise
from inspections.models.base import region_fields
from rectification.models.plan import RectificationPlan


class GuidanceActivity(models.Model):
    """A guidance visit to one enterprise, or a training (环保知识进企业) for several."""

    class Kind(models.TextChoices):
        VISIT = "visit", "帮扶指导"
        TRAINING = "training", "环保知识进企业"

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="+")
    # the bureau that held it
    county, city = region_fields()
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    held_on = models.DateField("日期")
    topic = models.CharField("主题", max_length=200)
    enterprises = models.ManyToManyField(
        Enterprise, verbose_name="参加企业", related_name="guidance_activities"
    )
    plans = models.ManyToManyField(
        RectificationPlan, verbose_name="关联整改方案", blank=True, related_name="guidance"
    )
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="指导人员", related_name="+"
    )
    attendees = models.PositiveIntegerField("参加人数")
    attendee_names = models.TextField("参加人员", blank=True)
    material = models.FileField("培训材料", upload_to="guidance/%Y/%m/", blank=True)
    material_name = models.CharField("材料文件名", max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    access_paths = AccessPaths(county="county", city="city")

    class Meta:
        verbose_name = verbose_name_plural = "帮扶指导与培训"
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on:%Y-%m-%d} {self.topic}"
