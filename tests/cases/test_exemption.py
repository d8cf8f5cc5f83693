"""免予处罚: the enterprise's 承诺书, then the on-site follow-up check (免罚不免责)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.urls import reverse

from cases.models import Path
from cases.services import classification as services
from inspections.models import Problem
from tests.cases import factories as f

PDF = b"%PDF-1.4 commitment"


def at(day: str):
    moment = dt.datetime.fromisoformat(day).replace(hour=10, tzinfo=ZoneInfo("Asia/Shanghai"))
    return time_machine.travel(moment, tick=False)


def exempt(cast):
    problem = f.problem(cast, code="HF-01", severity="minor")
    return services.classify(
        actor=cast.county, problems=[problem], path=Path.EXEMPT, reason="首违轻微"
    )[0]


@pytest.mark.django_db
def test_commitment_then_follow_up_closes_the_problem(cast):
    with at("2026-09-01"):
        c = exempt(cast)
        with pytest.raises(ValidationError, match="扫描件"):
            services.exemption_commitment(
                actor=cast.county, classification=c, signed_on=dt.date(2026, 9, 1)
            )
        with pytest.raises(ValidationError, match="文件类型"):
            services.exemption_commitment(
                actor=cast.county,
                classification=c,
                signed_on=dt.date(2026, 9, 1),
                file=SimpleUploadedFile("a.txt", b"not a scan"),
            )
        with pytest.raises(ValidationError, match="尚未收到承诺书"):
            services.exemption_follow_up(
                actor=cast.county,
                classification=c,
                on=dt.date(2026, 9, 1),
                passed=True,
                result="已改正",
            )
        c = services.exemption_commitment(
            actor=cast.county,
            classification=c,
            signed_on=dt.date(2026, 9, 1),
            file=SimpleUploadedFile("承诺书.pdf", PDF),
        )
        assert c.follow_up_due == dt.date(2026, 10, 8)  # 30 days: 10-01 falls in 国庆
    with at("2026-09-20"):
        services.exemption_follow_up(
            actor=cast.county,
            classification=c,
            on=dt.date(2026, 9, 20),
            passed=True,
            result="已补办环评登记表备案",
        )
    problem = c.problem
    problem.refresh_from_db()
    assert problem.status == Problem.Status.CLOSED
    assert problem.events.last().ref == c
    with pytest.raises(Http404):
        services.exemption_follow_up(
            actor=cast.other_county,
            classification=c,
            on=dt.date(2026, 9, 20),
            passed=True,
            result="x",
        )


@pytest.mark.django_db
def test_the_page_takes_the_scan_and_the_check(client, cast):
    with at("2026-09-01"):
        c = exempt(cast)
        client.force_login(cast.county)
        page = client.get(reverse("cases:classification", args=[c.pk]))
        assert "尚未收到承诺书" in page.content.decode()
        refused = client.post(reverse("cases:commitment", args=[c.pk]), {"signed_on": "2026-09-01"})
        assert refused.status_code == 400 and "扫描件" in refused.content.decode()
        done = client.post(
            reverse("cases:commitment", args=[c.pk]),
            {"signed_on": "2026-09-01", "file": SimpleUploadedFile("c.pdf", PDF)},
            follow=True,
        )
        assert "请于 2026-10-08 前现场复查" in done.content.decode()
        failed = client.post(
            reverse("cases:follow-up", args=[c.pk]),
            {"on": "2026-09-01", "passed": "no", "result": "未整改"},
            follow=True,
        )
        assert "请登记案件依法处理" in failed.content.decode()
    c.problem.refresh_from_db()
    assert c.problem.status == Problem.Status.HANDLING
