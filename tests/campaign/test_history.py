"""The change history reads as a user expects: Chinese field names, names not ids, 是/否, dates in
Chinese, and none of what is no user's business (signature images as text, the kept original as
JSON, no-op saves, relation reprs, bookkeeping fields)."""

import re

from django.urls import reverse

from campaign.history import history_rows
from inspections.services import onsite
from tests.inspections import factories as stage1
from tests.inspections.test_onsite import complete


def _texts(obj) -> list[str]:
    return [
        text
        for row in history_rows(obj)
        for change in row.changes
        for text in (change.field, change.before, change.after)
    ]


def test_an_inspections_history_is_readable(cast):
    record = onsite.inspection_submit(
        actor=cast.county, inspection=complete(cast, stage1.inspection(cast))
    )
    texts = _texts(record)
    assert texts, "the history has rows"
    fields = {row.changes[i].field for row in history_rows(record) for i in range(len(row.changes))}
    assert all(re.search(r"[\u4e00-\u9fff]", f) for f in fields), fields
    assert not any("data:image" in t or t.startswith("{") or t.endswith(".None") for t in texts)
    assert "（已签名）" in texts and "（已保存，可在页面查看）" in texts
    assert "修订号" not in fields and "ID" not in fields
    for row in history_rows(record):
        for change in row.changes:
            assert change.before != change.after, change  # no 10:06 → 10:06
    assert "测试js2" in texts  # the recorder by name, not by id


def test_the_original_page_shows_the_record_as_submitted_and_marks_amended_lines(client, cast):
    record = onsite.inspection_submit(
        actor=cast.county, inspection=complete(cast, stage1.inspection(cast))
    )
    line = record.findings.get(item__code="HF-01")
    onsite.inspection_amend(
        actor=cast.county,
        inspection=record,
        finding=line,
        values={"description": "更正后的描述"},
        reason="笔误",
    )
    client.force_login(cast.county)
    page = client.get(reverse("inspections:inspection-original", args=[record.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and "排污许可证过期仍在排污" in text and "已更正" in text
    assert "更正后的描述" not in text
    record_page = client.get(reverse("inspections:inspection", args=[record.pk])).content.decode()
    assert "问题描述：排污许可证过期仍在排污 → 更正后的描述" in record_page  # the event, readable
    assert "{" not in record_page.split("记录事件")[1].split("</section>")[0]
