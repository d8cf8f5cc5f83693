"""Excel of stage 5: the rounds and a round's sample."""

from __future__ import annotations

from typing import IO

from django.utils import timezone

from campaign import excel
from crosscheck.models import VerificationRound


def _time(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def rounds_workbook(rows) -> IO[bytes]:
    data = (
        [
            r.title,
            r.get_level_display(),
            r.city.name if r.city else "河南省",
            r.get_status_display(),
            f"{r.share * 100:g}%",
            r.minimum,
            r.sampled,
            _time(r.release_at),
            r.ends_on.isoformat(),
        ]
        for r in rows.iterator(chunk_size=500)
    )
    headers = ["名称", "层级", "组织方", "状态", "每市抽取比例", "每市最少", "抽取单位数"]
    headers += ["样本发布时间", "核查截止日期"]
    return excel.write_rows("异地核查轮次", headers, data)


def sample_workbook(row: VerificationRound, units) -> IO[bytes]:
    draw = row.draw
    data = (
        [
            u.position,
            u.city.name,
            u.county.name,
            u.enterprise.name,
            u.enterprise.credit_code,
            u.stratum,
            u.signal_labels,
            u.weight,
        ]
        for u in units.iterator(chunk_size=1000)
    )
    headers = ["序号", "省辖市", "县（区）", "单位名称", "统一社会信用代码", "行业大类"]
    headers += ["风险信号", "权重"]
    caption = (
        f"{row.title}　随机种子 {draw.seed}　抽样框 {draw.frame_size} 家　"
        f"摘要 {draw.frame_digest}　抽取时间 {_time(draw.drawn_at)}　见证人 {draw.witnesses}"
    )
    return excel.write_rows("核查样本", headers, data, caption=caption)


def accountability_workbook(rows) -> IO[bytes]:
    data = (
        [
            a.person.full_name or a.person.username,
            a.get_capacity_display(),
            a.city.name,
            a.county.name if a.county else "",
            a.finding.record.unit.enterprise.name,
            a.finding.get_code_display(),
            a.facts,
            a.get_proposed_display(),
            a.response_due.isoformat(),
            a.response,
            a.get_decision_display() if a.decision else "",
            a.decision_note,
            a.get_status_display(),
        ]
        for a in rows.iterator(chunk_size=1000)
    )
    headers = ["责任人", "职责", "所在市", "所在县（区）", "核查单位", "核查结论", "问题事实"]
    headers += ["建议问责方式", "反馈期限", "市局反馈", "问责决定", "决定说明", "状态"]
    return excel.write_rows("问责记录", headers, data)
