"""A round in the browser's forms and through the API: the rule set on a page, the draw before
witnesses, 复核抽取 with its answer, the sample as Excel; refusals keep what was typed."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from crosscheck.models import DrawReplay, SampledUnit, VerificationRound
from crosscheck.services import round as services
from tests.crosscheck import factories as f

S = VerificationRound.Status


def _rule(**extra) -> dict:
    later = timezone.localtime() + dt.timedelta(days=3)
    return {
        "level": "province",
        "title": "2020 年省级异地交叉核查",
        "share": "10%",
        "minimum": 2,
        "many_problems": 5,
        "weight_violation_without_case": 3,
        "release_at": later.strftime("%Y-%m-%dT%H:%M"),
        "ends_on": (later.date() + dt.timedelta(days=30)).isoformat(),
    } | extra


@pytest.mark.django_db
def test_the_province_sets_the_rule_draws_and_replays_on_the_page(client, cast):
    f.key_units("410105", 6)
    f.key_units("410305", 2)
    client.force_login(cast.province)
    bad = client.post(reverse("crosscheck:round-new"), _rule(share="二成"))
    assert bad.status_code == 400
    assert "抽取比例" in bad.content.decode() and "2020 年省级异地交叉核查" in bad.content.decode()
    assert not VerificationRound.objects.exists()

    made = client.post(reverse("crosscheck:round-new"), _rule())
    row = VerificationRound.objects.get()
    assert made["Location"] == reverse("crosscheck:round", args=[row.pk])
    assert row.weights == {"violation_without_case": 3} and str(row.share) == "0.100"

    no_witness = client.post(reverse("crosscheck:draw", args=[row.pk]), {"seed": "2020"})
    assert no_witness.status_code == 400 and "见证人" in no_witness.content.decode()
    drawn = client.post(
        reverse("crosscheck:draw", args=[row.pk]), {"witnesses": "省纪检组 王某", "seed": "2020"}
    )
    assert drawn.status_code == 302
    page = client.get(reverse("crosscheck:round", args=[row.pk])).content.decode()
    assert "已抽取 4 家（抽样框 8 家），随机种子 2020" in page
    assert row.draw.frame_digest in page and page.count('data-testid="sample-table"') == 1

    replayed = client.post(
        reverse("crosscheck:replay", args=[row.pk]), {"digest": row.draw.frame_digest}, follow=True
    )
    assert "复核一致：重抽样本与存档相同，抽样框未变。" in replayed.content.decode()
    f.key_units("410305", 1)
    again = client.post(
        reverse("crosscheck:replay", args=[row.pk]), {"digest": row.draw.frame_digest}, follow=True
    )
    assert "当前的抽样框与抽取时不同（新增 1 家）" in again.content.decode()
    assert list(DrawReplay.objects.values_list("frame_same", flat=True)) == [False, True]

    export = client.get(reverse("crosscheck:sample-export", args=[row.pk]) + "?city=4103")
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert [r[1] for r in rows] == ["洛阳市"] * 2
    assert "随机种子 2020" in sheet["A1"].value


@pytest.mark.django_db
def test_before_the_release_a_city_finds_neither_the_round_nor_its_units(client, cast):
    row = f.drawn_round(cast)
    client.force_login(cast.city)
    assert client.get(reverse("crosscheck:round", args=[row.pk])).status_code == 404
    assert row.title not in client.get(reverse("crosscheck:rounds")).content.decode()
    api = client.get(reverse("api-verification-round-sample", args=[row.pk]))
    assert api.status_code == 404
    client.force_login(cast.county)
    assert client.get(reverse("crosscheck:rounds")).status_code == 403


@pytest.mark.django_db
def test_the_api_opens_draws_and_replays_a_round(client, cast):
    f.key_units("410105", 5)
    client.force_login(cast.province)
    later = timezone.now() + dt.timedelta(days=2)
    body = {
        "level": "province",
        "title": "接口核查轮次",
        "share": "0.2",
        "minimum": 2,
        "weights": {"many_problems": 2},
        "release_at": later.isoformat(),
        "ends_on": (later.date() + dt.timedelta(days=20)).isoformat(),
    }
    bad = client.post(
        reverse("api-verification-round-open"), body | {"minimum": 0}, "application/json"
    )
    assert bad.status_code == 400 and "minimum" in bad.json()
    made = client.post(reverse("api-verification-round-open"), body, "application/json")
    assert made.status_code == 201 and made.json()["status"] == S.DRAFT
    pk = made.json()["id"]
    drawn = client.post(
        reverse("api-verification-round-draw", args=[pk]), {"witnesses": "甲"}, "application/json"
    )
    assert drawn.status_code == 201
    draw = drawn.json()["draw"]
    assert draw["frame_size"] == 5 and len(draw["frame_digest"]) == 64
    sample = client.get(reverse("api-verification-round-sample", args=[pk])).json()
    assert sample["count"] == SampledUnit.objects.count() == 2
    wrong = client.post(
        reverse("api-verification-round-replay", args=[pk]),
        {"frame_digest": "0" * 64},
        "application/json",
    )
    assert wrong.status_code == 400 and "frame_digest" in wrong.json()
    replay = client.post(
        reverse("api-verification-round-replay", args=[pk]),
        {"frame_digest": draw["frame_digest"]},
        "application/json",
    )
    assert replay.status_code == 201 and replay.json()["sample_same"] is True


@pytest.mark.django_db
def test_the_round_pages_queries_do_not_grow_with_the_sample(client, cast):
    client.force_login(cast.province)

    def queries(units: int) -> int:
        f.key_units("410105", units)
        row = f.province_round(cast, title=f"轮次 {units}", share="1", minimum=1)
        services.sample_draw(actor=cast.province, row=row, witnesses="甲")
        urls = [
            reverse("crosscheck:round", args=[row.pk]),
            reverse("crosscheck:rounds"),
            reverse("api-verification-round-sample", args=[row.pk]),
        ]
        with CaptureQueriesContext(connection) as seen:
            for url in urls:
                assert client.get(url).status_code == 200
        return len(seen)

    assert queries(2) == queries(12)
