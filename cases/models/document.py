"""The documents a case issues (文书) and their service (送达): each document is numbered once,
frozen when issued, and printed from what was frozen."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from campaign.access import AccessPaths
from cases.models.case import Case
from cases.models.notice import Notice
from enterprises.models import Enterprise
from inspections.models.base import region_fields


class CaseDocument(models.Model):
    """One document of a case as issued: its 文号 (taken without gaps per bureau, kind and year),
    the date, who issued it and a frozen snapshot (`content`) of every field it prints, so a
    reprint years later is the document that was served.

    The decisions, orders and hearing notices are served on the party and its users see them once
    served; the approval forms (立案审批表, 结案审批表) are the bureau's own, and the transfer letter
    goes to the police or prosecutor, not to the party."""

    class Kind(models.TextChoices):
        FILING = "filing", "立案审批表"
        ORDER = "order", "责令改正违法行为决定书"
        HEARING_NOTICE = "hearing_notice", "听证通知书"
        DECISION = "decision", "行政处罚决定书"
        CLOSING = "closing", "结案审批表"
        TRANSFER = "transfer", "案件移送书"

    # served on the party: its users see them once served
    SERVED_ON_PARTY = (Kind.ORDER, Kind.HEARING_NOTICE, Kind.DECISION)
    # the bureau's internal forms: no 文号 (they carry the case's number), never served
    INTERNAL = (Kind.FILING, Kind.CLOSING)
    # at most one per case
    ONCE = (Kind.FILING, Kind.DECISION, Kind.CLOSING)

    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.CharField("文书", max_length=16, choices=Kind.choices)
    number = models.CharField("文号", max_length=60, blank=True)
    issued_on = models.DateField("文书日期")
    content = models.JSONField("文书内容（签发时固定）", default=dict)
    # the first service on the party (a document may be served again, e.g. after a failed try)
    served_on = models.DateField("送达日期", null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="签发人", on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField("签发时间", auto_now_add=True)

    access_paths = AccessPaths(
        county="case__county",
        city="case__city",
        enterprise="case__enterprise",
        enterprise_users=Q(kind__in=SERVED_ON_PARTY, served_on__isnull=False),
    )

    class Meta:
        verbose_name = verbose_name_plural = "案件文书"
        ordering = ["issued_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["number"], condition=~Q(number=""), name="case_document_number_unique"
            ),
            models.UniqueConstraint(
                fields=["case", "kind"],
                condition=Q(kind__in=["filing", "decision", "closing"]),
                name="case_document_once_per_case",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["filing", "closing"]) | Q(number=""),
                name="case_document_internal_unnumbered",
            ),
        ]
        indexes = [models.Index(fields=["case", "kind"], name="case_document_case_kind_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number or self.case_id}"

    @property
    def is_internal(self) -> bool:
        return self.kind in self.INTERNAL

    @property
    def is_served_on_party(self) -> bool:
        return self.kind in self.SERVED_ON_PARTY


class ServiceRecord(models.Model):
    """One service (送达) of a document or of a combined notice, as its 送达回证 prints it: method,
    date, who signed, and for 留置送达 the refusal and the witnesses. County, city and party are
    copied when it is recorded (the record keeps its place in history)."""

    document = models.ForeignKey(
        CaseDocument,
        verbose_name="送达文书",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_records",
    )
    notice = models.ForeignKey(
        Notice,
        verbose_name="送达的告知书",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_records",
    )
    county, city = region_fields()
    enterprise = models.ForeignKey(
        Enterprise, verbose_name="受送达人", on_delete=models.PROTECT, related_name="+"
    )
    method = models.CharField("送达方式", max_length=12, choices=Notice.Method.choices)
    served_on = models.DateField("送达时间")
    address = models.CharField("送达地址", max_length=300, blank=True)
    recipient = models.CharField("签收人", max_length=50, blank=True)
    refusal = models.CharField("拒收事由", max_length=200, blank=True)
    witnesses = models.CharField("见证人", max_length=200, blank=True)
    # the two officers who served it (names as printed, frozen)
    servers = models.JSONField("送达人", default=list, blank=True)
    note = models.CharField("备注", max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    # the party sees how what was served on it was served; never the internal forms' (none exist)
    # nor the transfer letter's
    access_paths = AccessPaths(
        county="county",
        city="city",
        enterprise="enterprise",
        enterprise_users=Q(document__kind__in=CaseDocument.SERVED_ON_PARTY)
        | Q(notice__status="served"),
    )

    class Meta:
        verbose_name = verbose_name_plural = "送达回证"
        ordering = ["served_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(document__isnull=False, notice__isnull=True)
                | Q(document__isnull=True, notice__isnull=False),
                name="service_record_document_or_notice",
            ),
            # 留置送达 only with the refusal and a witness (or the photo/video noted)
            models.CheckConstraint(
                condition=~Q(method="left") | (~Q(refusal="") & ~Q(witnesses="")),
                name="service_record_left_has_refusal",
            ),
        ]

    def __str__(self) -> str:
        return f"送达回证 {self.served_on:%Y-%m-%d}（{self.get_method_display()}）"

    @property
    def served(self) -> CaseDocument | Notice:
        return self.document if self.document_id else self.notice
