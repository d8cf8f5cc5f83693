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
            r.share_label,
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


SUMMARY_ACCOUNT = [("proposed", "待反馈"), ("responded", "已反馈"), ("decided", "已决定")]


def summary_headers() -> list[str]:
    from crosscheck.models import Finding

    headers = ["省辖市", "抽取单位", "已核查（签署）"]
    headers += [label for _, label in Finding.Code.choices]
    headers += [f"问责{label}" for _, label in SUMMARY_ACCOUNT]
    return headers


def summary_line(name: str, r: dict) -> list:
    from crosscheck.models import Finding

    line = [name, r["sampled"], r["verified"]]
    line += [r["codes"].get(code, 0) for code, _ in Finding.Code.choices]
    line += [r["accountability"].get(status, 0) for status, _ in SUMMARY_ACCOUNT]
    return line


def summary_workbook(row: VerificationRound, rows: list[dict], total: dict) -> IO[bytes]:
    data = [summary_line(r["name"], r) for r in rows] + [summary_line("合计", total)]
    return excel.write_rows("核查汇总", summary_headers(), data, caption=f"{row.title} 分市汇总")


def summary_pdf(row: VerificationRound, rows: list[dict], total: dict, *, printed_by) -> bytes:
    from django.template.loader import render_to_string
    from weasyprint import HTML

    html = render_to_string(
        "crosscheck/summary_pdf.html",
        {
            "round": row,
            "headers": summary_headers(),
            "lines": [summary_line(r["name"], r) for r in rows] + [summary_line("合计", total)],
            "printed_at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
            "printed_by": printed_by,
        },
    )
    return HTML(string=html).write_pdf()


def record_pdf(record, findings, signatures, *, printed_by) -> bytes:
    from django.template.loader import render_to_string
    from weasyprint import HTML

    html = render_to_string(
        "crosscheck/record_pdf.html",
        {
            "record": record,
            "unit": record.unit,
            "findings": findings,
            "signatures": signatures,
            "printed_at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
            "printed_by": printed_by,
        },
    )
    return HTML(string=html).write_pdf()


def findings_workbook(rows) -> IO[bytes]:
    data = (
        [
            f.record.unit.city.name,
            f.record.unit.county.name,
            f.record.unit.enterprise.name,
            f.number,
            f.get_code_display(),
            f.description,
            str(f.about or ""),
            "、".join(
                f"{p.user.full_name or p.user.username}（{p.get_capacity_display()}）"
                for p in f.people.all()
            ),
            f.record.get_status_display(),
        ]
        for f in rows.iterator(chunk_size=1000)
    )
    headers = ["省辖市", "县（区）", "核查单位", "序号", "核查结论", "具体情况", "针对的记录"]
    headers += ["责任人", "核查情况表"]
    return excel.write_rows("核查发现", headers, data)


def sampled_workbook(units) -> IO[bytes]:
    data = (
        [
            u.draw.round.title,
            u.city.name,
            u.county.name,
            u.enterprise.name,
            u.enterprise.credit_code,
            u.signal_labels,
        ]
        for u in units.iterator(chunk_size=1000)
    )
    headers = ["核查轮次", "省辖市", "县（区）", "单位名称", "统一社会信用代码", "风险信号"]
    return excel.write_rows("被抽取单位", headers, data)
