"""Demo data for stage 2: inspections planned, in progress, postponed, submitted (one late)."""

from __future__ import annotations

import datetime as dt

from campaign.models import User
from demo.campaign import Timeline
from enterprises.models import Enterprise
from inspections.models import Inspection, SelfCheck
from inspections.services import onsite


def _signature() -> str:
    """A hand-drawn-looking stroke as the signature pad would send it (PNG data URL)."""
    import base64
    import io
    import math

    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (300, 100), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    points = [(20 + x * 2.6, 55 + 22 * math.sin(x / 9) * math.cos(x / 23)) for x in range(100)]
    draw.line(points, fill=(0, 0, 0, 255), width=4)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


SIGNATURE = _signature()


def seed(timeline: Timeline, users: dict[str, User]) -> None:
    """The inspection stage began three weeks ago: visits done, one today, more planned."""
    campaign = timeline.campaign
    if Inspection.objects.filter(campaign=campaign).exists():
        return
    lead, second, expert = users["jinshui"], users["jinshui-2"], users["expert"]
    today = timeline.today
    ent_zz = Enterprise.objects.get(users__username="ent-zz")

    def plan(unit, day, experts=()):
        return onsite.inspection_plan(
            actor=lead,
            campaign=campaign,
            enterprise=unit,
            planned_on=day,
            source=Inspection.Source.SPECIAL,
            lead=lead,
            inspectors=[second],
            experts=list(experts),
        )

    # planned for tomorrow at ent-zz's unit, with the chemical expert: try it on a phone
    plan(ent_zz, today + dt.timedelta(days=1), experts=[expert])
    # an earlier visit to the same unit, signed on site and submitted: ent-zz reads its copy
    # (read-only, with the PDF); tomorrow's visit stays unannounced to it
    earlier = plan(ent_zz, timeline.day(-16))
    _complete(earlier, lead, second, at=timeline.at(-16, 9), problems=False)
    onsite.inspection_submit(actor=lead, inspection=earlier, at=timeline.at(-16, 15, 20))
    filed = SelfCheck.objects.filter(
        campaign=campaign, status="filed", enterprise__county__code="410105"
    ).first()
    if filed is None:
        return
    # submitted the same day, confirming a self-found problem and finding a new one
    done = plan(filed.enterprise, timeline.day(-12))
    _complete(done, lead, second, at=timeline.at(-12, 9, 30))
    onsite.inspection_submit(actor=lead, inspection=done, at=timeline.at(-12, 17, 5))
    # submitted the next day, with the reason
    others = list(
        Enterprise.objects.filter(county__code="410105").exclude(
            pk__in=[ent_zz.pk, filed.enterprise_id]
        )
    )
    if others:
        late = plan(others[0], timeline.day(-5))
        _complete(late, lead, second, at=timeline.at(-5, 14), problems=False)
        onsite.inspection_submit(
            actor=lead,
            inspection=late,
            late_reason="现场无移动网络信号，次日回单位后上传。",
            at=timeline.at(-4, 9, 10),
        )
    # the city bureau's own team, started on site today and half filled
    city_lead = users["zhengzhou"]
    elsewhere = Enterprise.objects.filter(city__code="4101", city__level="city").exclude(
        county__code="410105"
    )
    unit = elsewhere.order_by("pk").first()
    if unit is not None:
        ongoing = onsite.inspection_plan(
            actor=city_lead,
            campaign=campaign,
            enterprise=unit,
            planned_on=today,
            source=Inspection.Source.DOUBLE_RANDOM,
            lead=city_lead,
            inspectors=[second],
        )
        onsite.inspection_start(actor=city_lead, inspection=ongoing)
        for finding in list(ongoing.findings.all())[:10]:
            onsite.finding_save(
                actor=city_lead, finding=finding, values={"result": "ok"}, revision=finding.revision
            )
    if len(others) > 1:
        stopped = plan(others[1], today)
        onsite.inspection_postpone(
            actor=lead,
            inspection=stopped,
            new_date=today + dt.timedelta(days=30),
            reason="企业因设备检修全面停产，现场核实停产记录和电表读数，改期检查。",
        )


def _complete(
    inspection: Inspection, lead: User, second: User, *, at: dt.datetime, problems: bool = True
) -> None:
    onsite.inspection_start(actor=lead, inspection=inspection, at=at)
    self_found = {p.item_id for p in inspection.enterprise.problems.filter(self_found=True)}
    first_new = True
    for finding in inspection.findings.select_related("item"):
        values = {"result": "ok", "note": "现场核查，符合要求。"}
        if problems and finding.item_id in self_found:
            values = {
                "result": "problem",
                "description": "企业自查已报告，现场核实问题属实，尚未整改完毕。",
                "severity": "minor",
            }
        elif (
            problems
            and first_new
            and finding.item.area == "facilities"
            and finding.item.problem_kind == "violation"
        ):
            values = {
                "result": "problem",
                "description": "废气治理设施未正常运行，现场风机停机。",
                "severity": "serious",
                "sampling_numbers": f"ZZJS-{at:%Y-%m%d}-01",
            }
            first_new = False
        onsite.finding_save(actor=lead, finding=finding, values=values, revision=finding.revision)
    inspection.refresh_from_db()
    onsite.header_save(
        actor=lead,
        inspection=inspection,
        revision=inspection.revision,
        values={
            "ended_at": at + dt.timedelta(hours=2, minutes=30),
            "representative_name": "吴华",
            "recorder": second,
            "representative_position": "环保负责人",
            "representative_statement": "对检查结果无异议。",
            "summary": "发现问题已当场告知企业。" if problems else "未发现问题。",
            "suggestion": Inspection.Suggestion.CASE if problems else Inspection.Suggestion.NONE,
        },
    )
    onsite.inspection_sign(
        actor=lead, inspection=inspection, signature=SIGNATURE, for_representative=True
    )
    onsite.inspection_sign(actor=lead, inspection=inspection, signature=SIGNATURE)
    onsite.inspection_sign(actor=second, inspection=inspection, signature=SIGNATURE)
