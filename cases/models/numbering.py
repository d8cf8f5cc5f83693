"""文号: each bureau numbers its documents per kind and year without gaps."""

from __future__ import annotations

from django.db import models

from campaign.access import AccessPaths
from campaign.models import Region


class DocumentCounter(models.Model):
    """The last number a bureau gave to a kind of document in a year. A number is taken inside the
    transaction that issues the document (row lock), so a refused issue leaves no gap."""

    class Kind(models.TextChoices):
        NOTICE = "罚告", "行政处罚事先（听证）告知书"
        DECISION = "罚决", "行政处罚决定书"
        ORDER = "责改", "责令改正违法行为决定书"
        HEARING = "听通", "听证通知书"
        FILING = "立", "立案审批表"
        TRANSFER = "移", "案件移送书"

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField("文书", max_length=4, choices=Kind.choices)
    last = models.PositiveIntegerField("已用至", default=0)

    access_paths = AccessPaths(county="region", city="region")

    class Meta:
        verbose_name = verbose_name_plural = "文书编号"
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "kind"], name="document_counter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region.name} {self.year} {self.kind}：{self.last}"
