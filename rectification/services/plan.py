"""一企一案: building the plans, editing an item, and the enterprise's side (progress, evidence,
applying for 销号, asking for more time). Every write is one transaction; every status change goes
through `campaign.transitions`, every problem change through the ledger service."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from campaign import access, resumable, transitions
from campaign.jobs import Progress
from campaign.models import Campaign, Region, User
from campaign.selectors.calendar import campaign_current
from campaign.uploads import validate_upload
from campaign.validators import check_text
from cases.models import Case, CaseDocument, CaseProblem, Classification, Path
from enterprises.models import Enterprise
from inspections.models import Problem
from inspections.selectors.onsite import plannable_inspectors
from inspections.services import evidence as evidence_service
from inspections.services import ledger
from rectification.models import (
    Extension,
    ItemEvidence,
    ItemMeasure,
    Milestone,
    ProgressReport,
    RectificationItem,
    RectificationPlan,
)

P = Problem.Status
S = RectificationItem.Status


# --- who may write -------------------------------------------------------------------------


def require_bureau(actor: User) -> None:
    if not actor.has_perm("rectification.handle_rectification"):
        raise PermissionDenied("您的角色不能指导整改或核查销号。")


def _require_reporter(actor: User) -> None:
    if not (
        actor.has_perm("rectification.report_rectification")
        or actor.has_perm("rectification.handle_rectification")
    ):
        raise PermissionDenied("您的角色不能报送整改情况。")


def _in_reach(actor: User, plan: RectificationPlan) -> None:
    """A bureau writes only in its own region (a grant to read is not a right to write)."""
    if actor.has_perm("rectification.handle_rectification") and not access.region_in_reach(
        actor, plan.county
    ):
        raise PermissionDenied("该整改方案不在您的管辖范围内。")


def locked_item(actor: User, item: RectificationItem | int) -> RectificationItem:
    """The item, locked, if the actor may see it (404 otherwise) and write to it.

    One lock order for stages 3 and 4: the problem first, then its item (a case step locks the
    problem and then, through the ledger's signal, the item)."""
    pk = item.pk if isinstance(item, RectificationItem) else item
    seen = access.get_visible_or_404(actor, RectificationItem.objects.only("problem_id"), pk=pk)
    Problem.objects.select_for_update().filter(pk=seen.problem_id).first()
    found = access.get_visible_or_404(
        actor,
        RectificationItem.objects.select_for_update(of=("self",)).select_related(
            "plan", "plan__enterprise", "plan__county", "problem", "problem__item"
        ),
        pk=pk,
    )
    _in_reach(actor, found.plan)
    return found


def _is_enterprise(actor: User) -> bool:
    return actor.has_perm("rectification.report_rectification") and not actor.has_perm(
        "rectification.handle_rectification"
    )


# --- building the plans --------------------------------------------------------------------


def _facility_task(problem: Problem) -> bool:
    return problem.item.code in settings.RECTIFICATION_FACILITY_ITEMS


def _default_requirement(problem: Problem) -> str:
    standard = problem.item.standard.strip()
    return f"按要求完成整改，达到：{standard}" if standard else "按要求完成整改。"


def live_cases(problem: Problem):
    return Case.objects.filter(case_problems__problem=problem).exclude(status__in=Case.FINISHED)


def _order_of(problem: Problem) -> CaseDocument | None:
    """The latest 责令改正违法行为决定书 of a case on this problem (revoked cases do not count)."""
    return _orders_of([problem.pk]).get(problem.pk)


def _orders_of(problem_ids: Sequence[int]) -> dict[int, CaseDocument]:
    """`_order_of` for many problems in two queries (a unit's whole plan at once)."""
    cases: dict[int, list[int]] = {}
    links = CaseProblem.objects.filter(problem_id__in=problem_ids).exclude(
        case__status=Case.Status.REVOKED
    )
    for problem_id, case_id in links.values_list("problem_id", "case_id"):
        cases.setdefault(case_id, []).append(problem_id)
    if not cases:
        return {}
    orders: dict[int, CaseDocument] = {}
    documents = CaseDocument.objects.filter(
        case_id__in=list(cases), kind=CaseDocument.Kind.ORDER
    ).order_by("-issued_on", "-pk")
    for document in documents:
        for problem_id in cases[document.case_id]:
            orders.setdefault(problem_id, document)  # the first is the latest
    return orders


def _apply_order(item: RectificationItem, document: CaseDocument, actor: User | None) -> bool:
    """A case's 责令改正 order becomes the item's requirement (and its date the deadline where the
    item has none). Returns whether anything changed."""
    lines = document.content.get("correction") or []
    text = "\n".join(str(line) for line in lines).strip()
    source = f"《责令改正违法行为决定书》{document.number}"
    if not text or item.requirement_source == source:
        return False
    item.requirement = text
    item.requirement_source = source
    fields = ["requirement", "requirement_source", "updated_at"]
    correct_by = document.content.get("correct_by_date")
    if correct_by and item.deadline is None:
        item.deadline = item.original_deadline = dt.date.fromisoformat(correct_by)
        fields += ["deadline", "original_deadline"]
    item.save(update_fields=fields)
    item.events.create(
        from_status=item.status,
        to_status=item.status,
        by=actor,
        note=f"整改要求按{source}确定",
    )
    return True


def _follow(item: RectificationItem, actor: User | None, note: str) -> None:
    """The problem enters rectification with its item: a recorded problem, or one the bureau
    guides (行政指导) without a live case. A problem in a case stays with the case until it closes;
    a 免予处罚 problem stays with its follow-up check (stage 3 closes it)."""
    problem = item.problem
    if problem.status == P.OPEN:
        ledger.problem_transition(
            actor=actor, problem=problem, to=P.RECTIFYING, note=note, ref=item
        )
    elif problem.status == P.HANDLING and not live_cases(problem).exists():
        path = Classification.objects.filter(problem=problem).values_list("path", flat=True).first()
        if path == Path.GUIDANCE:
            ledger.problem_transition(
                actor=actor, problem=problem, to=P.RECTIFYING, note=note, ref=item
            )


def _default_supervisor(plan: RectificationPlan) -> User | None:
    """The officer who registered the plan supervises its items until the bureau names another
    (so an overdue item always reaches someone's home page)."""
    builder = plan.created_by
    return builder if builder.badge_no and builder.role != User.Role.ENTERPRISE else None


def _add_item(
    plan: RectificationPlan,
    problem: Problem,
    actor: User | None,
    number: int,
    order: CaseDocument | None,
):
    item = RectificationItem.objects.create(
        plan=plan,
        problem=problem,
        number=number,
        supervisor=_default_supervisor(plan),
        requirement=_default_requirement(problem),
        responsible=problem.responsible,
        deadline=problem.deadline,
        original_deadline=problem.deadline,
        facility_task=_facility_task(problem),
    )
    transitions.record_created(item, actor=actor, note="列入一企一案整改方案")
    if problem.measure.strip():
        ItemMeasure.objects.create(item=item, number=1, text=problem.measure.strip())
    if order is not None:
        _apply_order(item, order, actor)
    _follow(item, actor, "列入一企一案整改方案")
    return item


def _candidates(campaign: Campaign, enterprise: Enterprise):
    """Open primary problems of the enterprise not yet in an item (confirmations never are)."""
    return (
        Problem.objects.filter(
            campaign=campaign,
            enterprise=enterprise,
            primary__isnull=True,
            status__in=Problem.ACTIVE,
            rectification_item__isnull=True,
        )
        .select_related("item")
        .order_by("found_at", "pk")
    )


def _gather(plan: RectificationPlan, actor: User | None) -> list[RectificationItem]:
    # the plan row locked: items are numbered one after another, whoever gathers
    RectificationPlan.objects.select_for_update().filter(pk=plan.pk).first()
    number = plan.items.aggregate(n=Max("number"))["n"] or 0
    added = []
    candidates = list(_candidates(plan.campaign, plan.enterprise))
    orders = _orders_of([problem.pk for problem in candidates])
    for problem in candidates:
        number += 1
        added.append(_add_item(plan, problem, actor, number, orders.get(problem.pk)))
    return added


@transaction.atomic
def plan_build(
    *, actor: User, enterprise: Enterprise, campaign: Campaign | None = None
) -> RectificationPlan:
    """登记造册: the enterprise's plan for the campaign (made once), gathering every open primary
    problem not yet in it. Building it again only adds what was recorded since."""
    return _build(actor, enterprise, campaign)[0]


def _build(
    actor: User, enterprise: Enterprise, campaign: Campaign | None
) -> tuple[RectificationPlan, bool, int]:
    """The plan, whether it was made now, and how many items were added."""
    require_bureau(actor)
    if not access.region_in_reach(actor, enterprise.county):
        raise ValidationError({"enterprise": "该企业不在您的管辖范围内。"})
    campaign = campaign or campaign_current()
    if campaign is None:
        raise ValidationError("尚未设置执法行动年度。")
    # one builder per enterprise at a time (and the ledger's recorder takes the same lock)
    Enterprise.objects.select_for_update().filter(pk=enterprise.pk).first()
    plan, created = RectificationPlan.objects.get_or_create(
        campaign=campaign,
        enterprise=enterprise,
        defaults={
            "county_id": enterprise.county_id,
            "city_id": enterprise.city_id,
            "created_by": actor,
        },
    )
    return plan, created, len(_gather(plan, actor))


def plans_build(
    *,
    actor: User,
    region: Region,
    campaign: Campaign | None = None,
    progress: Progress | None = None,
) -> dict:
    """Build the plans of every enterprise of a region that has open problems (one transaction per
    enterprise, so a refusal of one leaves the others built; a background job, see `jobs`, shows
    the units done). Returns the counts."""
    require_bureau(actor)
    if not access.region_in_reach(actor, region):
        raise ValidationError({"region": "该地区不在您的管辖范围内。"})
    campaign = campaign or campaign_current()
    if campaign is None:
        raise ValidationError("尚未设置执法行动年度。")
    region_filter = {"city": region} if region.level == Region.Level.CITY else {"county": region}
    if region.level == Region.Level.PROVINCE:
        region_filter = {}
    enterprise_ids = (
        Problem.objects.filter(
            campaign=campaign,
            primary__isnull=True,
            status__in=Problem.ACTIVE,
            rectification_item__isnull=True,
            **region_filter,
        )
        .values_list("enterprise_id", flat=True)
        .order_by()  # the ledger's default order would join the DISTINCT
        .distinct()
    )
    plans = items = 0
    skipped = []
    units = list(Enterprise.objects.filter(pk__in=list(enterprise_ids)).order_by("pk"))
    if progress is not None:
        progress.total(len(units))
        units = progress.iterate(units)
    for enterprise in units:
        if not access.region_in_reach(actor, enterprise.county):
            # a unit moved out of the region since its problems were found: its new bureau builds
            skipped.append(enterprise.name)
            continue
        with transaction.atomic():
            _, created, added = _build(actor, enterprise, campaign)
            plans += created
            items += added
    return {"plans": plans, "items": items, "skipped": skipped}


def own_region(actor: User) -> Region:
    """The region a bureau registers in one go: its own county or city. The province does not
    build for the whole province at once: each city and county registers its own units (seed
    plan 四(四))."""
    require_bureau(actor)
    region = actor.region
    if region is None or region.level not in (Region.Level.CITY, Region.Level.COUNTY):
        raise ValidationError("全省范围请由各市、县（区）生态环境部门分别登记造册，或逐家登记。")
    return region


def plans_build_mine(*, actor: User, progress: Progress | None = None) -> dict:
    """登记造册 for the actor's own county or city."""
    return plans_build(actor=actor, region=own_region(actor), progress=progress)


# --- the ledger tells the plan ---------------------------------------------------------------


def on_problem_changed(
    sender: Any,
    *,
    problem: Problem,
    from_status: str,
    to_status: str,
    ref: Any,
    actor: User | None,
    **kwargs: Any,
) -> None:
    """Keep the plan in step with the ledger (runs inside the ledger's transaction): a problem
    recorded later joins its enterprise's plan; a problem closed or withdrawn by another route
    closes or withdraws its item; a case handing its problem over sets the item's requirement."""
    if isinstance(ref, RectificationItem):
        return  # our own step
    if not from_status:
        if problem.primary_id is None and to_status in Problem.ACTIVE:
            plan = RectificationPlan.objects.filter(
                campaign_id=problem.campaign_id, enterprise_id=problem.enterprise_id
            ).first()
            if plan is not None:
                _gather(plan, actor)
        return
    item = RectificationItem.objects.select_for_update().filter(problem=problem).first()
    if item is None:
        if problem.primary_id is None and to_status in Problem.ACTIVE:
            # restored or reopened before it was ever in a plan: it joins one now
            plan = RectificationPlan.objects.filter(
                campaign_id=problem.campaign_id, enterprise_id=problem.enterprise_id
            ).first()
            if plan is not None:
                _gather(plan, actor)
        return
    why = f"问题{Problem.Status(to_status).label}（{_ref_label(ref)}）"
    if to_status == P.CLOSED and item.status in RectificationItem.OPEN:
        transitions.transition(
            item, S.CLOSED, actor=actor, note=why, values={"closed_on": timezone.localdate()}
        )
        extensions_end(item, actor, "整改事项已销号")
    elif to_status == P.WITHDRAWN and item.status in RectificationItem.OPEN:
        transitions.transition(item, S.CANCELLED, actor=actor, note=why)
        extensions_end(item, actor, "问题已撤销")
    elif to_status == P.OPEN and item.status == S.CANCELLED:
        transitions.transition(item, S.NOT_STARTED, actor=actor, note="问题已恢复")
        _follow(item, actor, "问题已恢复，继续整改")
    elif to_status == P.RECTIFYING and isinstance(ref, Case):
        if (order := _order_of(problem)) is not None:
            _apply_order(item, order, actor)
    elif to_status == P.RECTIFYING and item.status == S.CLOSED:
        # reopened (stage 5 found the rectification missing or false)
        transitions.transition(item, S.IN_PROGRESS, actor=actor, note=why)


def on_order_issued(document: CaseDocument, actor: User | None) -> None:
    """A 责令改正 order issued on a case whose problems are already in plans."""
    for item in RectificationItem.objects.filter(
        problem__case_links__case=document.case
    ).select_related("problem"):
        if item.status in RectificationItem.OPEN:
            _apply_order(item, document, actor)


def _ref_label(ref: Any) -> str:
    """Which stage moved it, without the record itself (the enterprise reads the item's history;
    a case's title or a classification path is the bureau's)."""
    if ref is None:
        return "问题台账"
    return str(ref._meta.verbose_name)


def extensions_end(item: RectificationItem, actor: User | None, why: str) -> None:
    """A request still waiting when its item closes or is withdrawn is answered, not left open."""
    for waiting in item.extensions.select_for_update().filter(status=Extension.Status.REQUESTED):
        transitions.transition(
            waiting,
            Extension.Status.REFUSED,
            actor=actor,
            note=why,
            values={"decision_note": why},
        )


# --- editing an item -----------------------------------------------------------------------


def parse_day(value: Any, field: str, label: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise ValidationError({field: f"{label}不是有效的日期（年-月-日）。"}) from exc


def _not_before_found(item: RectificationItem, day: dt.date | None, field: str, label: str):
    found = timezone.localdate(item.problem.found_at)
    if day is not None and day < found:
        raise ValidationError(
            {field: f"{label}（{day:%Y-%m-%d}）不能早于问题发现日期（{found:%Y-%m-%d}）。"}
        )


def _funds(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({"funds": "整改资金须为数字（万元）。"}) from exc
    if amount < 0 or amount >= Decimal("10000000000"):
        raise ValidationError({"funds": "整改资金须为不小于 0 的金额（万元）。"})
    return amount


@transaction.atomic
def item_update(
    *,
    actor: User,
    item: RectificationItem,
    values: dict[str, Any],
    measures: Sequence[str] | None = None,
    milestones: Sequence[tuple[str, Any]] | None = None,
) -> RectificationItem:
    """Edit the plan of one item. The bureau sets the requirement, deadline, supervisor and
    whether it is a 攻坚 facility task; the enterprise (its 整改方案) and the bureau the measures,
    milestones, funds and responsible person. Measures and milestones are given whole, in order;
    a measure already done keeps its date when its text stays."""
    _require_reporter(actor)
    item = locked_item(actor, item)
    if item.status in (S.CLOSED, S.CANCELLED):
        raise ValidationError(f"该整改事项{item.get_status_display()}，不能修改。")
    bureau_only = {"requirement", "deadline", "supervisor", "facility_task"}
    shared = {"funds", "responsible", "responsible_phone", "progress"}
    allowed = shared if _is_enterprise(actor) else shared | bureau_only
    unknown = set(values) - allowed
    if unknown:
        raise PermissionDenied("企业只能填写整改措施、进度节点、资金和责任人。")
    clean: dict[str, Any] = {}
    for name in ("requirement", "responsible", "responsible_phone", "progress"):
        if name in values:
            clean[name] = str(values[name] or "").strip()
    if "requirement" in clean and not clean["requirement"]:
        raise ValidationError({"requirement": "请填写整改要求。"})
    check_text(RectificationItem, clean)
    if "funds" in values:
        clean["funds"] = _funds(values["funds"])
    if "deadline" in values:
        deadline = parse_day(values["deadline"], "deadline", "整改时限")
        _not_before_found(item, deadline, "deadline", "整改时限")
        clean["deadline"] = deadline
        if item.original_deadline is None:
            clean["original_deadline"] = deadline
    if "supervisor" in values:
        supervisor = values["supervisor"]
        if (
            supervisor is not None
            and not plannable_inspectors(user=actor).filter(pk=supervisor.pk).exists()
        ):
            raise ValidationError({"supervisor": f"{supervisor} 不是您可以指派的执法人员。"})
        if supervisor is not None and not access.region_in_reach(supervisor, item.plan.county):
            raise ValidationError(
                {"supervisor": f"{supervisor} 不管辖{item.plan.county.name}，不能监管该事项。"}
            )
        clean["supervisor"] = supervisor
    if "facility_task" in values:
        clean["facility_task"] = bool(values["facility_task"])
    if measures is not None:
        _set_measures(item, measures)
    if milestones is not None:
        _set_milestones(item, milestones)
    changed = [name for name, value in clean.items() if getattr(item, name) != value]
    for name in changed:
        setattr(item, name, clean[name])
    if changed:
        item.save(update_fields=[*changed, "updated_at"])
    if (
        "deadline" in changed
        and item.status == S.OVERDUE
        and item.deadline
        and (item.deadline >= timezone.localdate())
    ):
        _no_longer_overdue(item, actor, f"整改时限调整为 {item.deadline:%Y-%m-%d}")
    return item


def _no_longer_overdue(item: RectificationItem, actor: User, note: str) -> None:
    item.overdue_since = None
    item.escalated_on = None
    item.save(update_fields=["overdue_since", "escalated_on", "updated_at"])
    transitions.transition(item, S.IN_PROGRESS, actor=actor, note=note)


def _set_measures(item: RectificationItem, measures: Sequence[str]) -> None:
    texts = [str(text or "").strip() for text in measures]
    for number, text in enumerate(texts, 1):
        if not text:
            raise ValidationError({"measures": f"第 {number} 条整改措施为空：请填写或删除该条。"})
        check_text(ItemMeasure, {"text": text})
    existing = {m.number: m for m in item.measures.all()}
    for number, text in enumerate(texts, 1):
        measure = existing.pop(number, None)
        if measure is None:
            ItemMeasure.objects.create(item=item, number=number, text=text)
        elif measure.text != text:
            measure.text = text
            measure.done_on = None  # a changed measure is not done yet
            measure.save(update_fields=["text", "done_on"])
    for measure in existing.values():
        measure.delete()


def _set_milestones(item: RectificationItem, milestones: Sequence[tuple[str, Any]]) -> None:
    rows = []
    for number, (title, due) in enumerate(milestones, 1):
        title = str(title or "").strip()
        due_on = parse_day(due, "milestones", f"第 {number} 个进度节点的日期")
        if not title or due_on is None:
            raise ValidationError(
                {"milestones": f"第 {number} 个进度节点须同时填写内容和计划完成日期。"}
            )
        _not_before_found(item, due_on, "milestones", f"第 {number} 个进度节点的日期")
        check_text(Milestone, {"title": title})
        rows.append((number, title, due_on))
    existing = {m.number: m for m in item.milestones.all()}
    for number, title, due_on in rows:
        milestone = existing.pop(number, None)
        if milestone is None:
            Milestone.objects.create(item=item, number=number, title=title, due_on=due_on)
        elif (milestone.title, milestone.due_on) != (title, due_on):
            milestone.title, milestone.due_on = title, due_on
            milestone.save(update_fields=["title", "due_on"])
    for milestone in existing.values():
        if milestone.reports.exists():
            raise ValidationError(
                {"milestones": f"进度节点“{milestone.title}”已有进展报送，不能删除。"}
            )
        milestone.delete()


@transaction.atomic
def measure_done(
    *, actor: User, item: RectificationItem, measure: ItemMeasure, done_on: Any
) -> ItemMeasure:
    """Mark one measure done (or not done, with no date)."""
    _require_reporter(actor)
    item = locked_item(actor, item)
    _writable(item)
    if measure.item_id != item.pk:
        raise ValidationError({"measure": "该整改措施不属于本事项。"})
    day = parse_day(done_on, "done_on", "完成日期")
    _not_before_found(item, day, "done_on", "完成日期")
    if day is not None and day > timezone.localdate():
        raise ValidationError({"done_on": "完成日期不能晚于今天。"})
    measure.done_on = day
    measure.save(update_fields=["done_on"])
    _start(item, actor, "措施完成")
    return measure


# --- the enterprise's side -----------------------------------------------------------------


def _start(item: RectificationItem, actor: User, note: str) -> None:
    """Work reported on an item not started, or returned, puts it in progress."""
    if item.status in (S.NOT_STARTED, S.RETURNED):
        transitions.transition(item, S.IN_PROGRESS, actor=actor, note=note)
        _follow(item, actor, "企业开始整改")


# what each kind of evidence must be, by content
KIND_TYPES = {
    ItemEvidence.Kind.PHOTO: ("image/jpeg", "image/png"),
    ItemEvidence.Kind.MONITORING: ("application/pdf",),
    ItemEvidence.Kind.ACCEPTANCE: ("application/pdf",),
    ItemEvidence.Kind.OTHER: evidence_service.EVIDENCE_TYPES,
}
EARLIEST_PHOTO = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def _attach(
    actor: User,
    item: RectificationItem,
    uploads: Iterable[tuple[str, UploadedFile, dict]],
    report: ProgressReport | None = None,
    *,
    strict_meta: bool = True,
) -> list[ItemEvidence]:
    """Every file checked before any is stored (a refusal leaves no file behind)."""
    checked = []
    for kind, upload, meta in uploads:
        if kind not in ItemEvidence.Kind.values:
            raise ValidationError({"kind": "请选择材料类别。"})
        note = str(meta.get("note") or "").strip()
        check_text(ItemEvidence, {"note": note})
        try:
            found = validate_upload(
                upload,
                allowed=evidence_service.EVIDENCE_TYPES,
                max_bytes=evidence_service.MAX_EVIDENCE_BYTES,
            )
        except ValidationError as exc:
            raise ValidationError({"file": exc.messages}) from exc
        if found not in KIND_TYPES[kind]:
            if kind == ItemEvidence.Kind.PHOTO:
                message = f"“{upload.name}”不是照片：整改照片须为 JPG 或 PNG。"
            else:
                message = (
                    f"“{upload.name}”不是 PDF：{ItemEvidence.Kind(kind).label}须上传 PDF 文件。"
                )
            raise ValidationError({"file": message})
        checked.append((kind, upload, _photo_place(meta, strict=strict_meta), note))
    added = []
    for kind, upload, place, note in checked:
        evidence = evidence_service.evidence_add(
            actor=actor, enterprise=item.plan.enterprise, upload=upload
        )
        if place:
            for name, value in place.items():
                setattr(evidence, name, value)
            evidence.save(update_fields=list(place))
        added.append(
            ItemEvidence.objects.create(
                item=item, evidence=evidence, kind=kind, report=report, note=note, added_by=actor
            )
        )
    return added


def _photo_place(meta: dict, *, strict: bool) -> dict:
    """The photo's own time and place (EXIF, read on the phone), as sent. From the API a value
    that is not one is refused, naming it; from the page's hidden fields (a camera whose clock was
    never set writes 0000:00:00) it is left out and the photo still goes."""
    place: dict = {}
    errors: dict = {}
    taken = meta.get("taken_at")
    if taken:
        try:
            when = dt.datetime.fromisoformat(str(taken))
            when = when if timezone.is_aware(when) else timezone.make_aware(when)
            if not EARLIEST_PHOTO <= when <= timezone.now() + dt.timedelta(days=1):
                raise ValueError
            place["taken_at"] = when
        except (ValueError, OverflowError):
            errors["taken_at"] = "拍摄时间不正确（应为 2000 年以后、不晚于今天）。"
    for name, low, high in (("latitude", -90, 90), ("longitude", -180, 180)):
        if meta.get(name) in (None, ""):
            continue
        try:
            value = Decimal(str(meta[name]))
            if not value.is_finite() or not low <= value <= high:
                raise ValueError
            place[name] = value.quantize(Decimal("0.000001"))
        except (InvalidOperation, ValueError):
            errors[name] = (
                f"拍摄位置不正确（{'纬度' if name == 'latitude' else '经度'}应在 {low} 到 {high} 之间）。"
            )
    if errors and strict:
        raise ValidationError(errors)
    return {k: v for k, v in place.items() if k not in errors}


@transaction.atomic
def evidence_attach(
    *,
    actor: User,
    item: RectificationItem,
    kind: str,
    upload: UploadedFile | None = None,
    upload_id: int | None = None,
    meta: dict | None = None,
    strict_meta: bool = True,
) -> ItemEvidence:
    """One evidence file for an item, checked by content (a photo must be an image, a monitoring
    report or acceptance document a PDF): sent with the form, or sent before in resumable pieces
    (`upload_id`, see `campaign.resumable`), taken in this transaction so a refusal keeps it."""
    _require_reporter(actor)
    item = locked_item(actor, item)
    _writable(item)
    if upload is None and upload_id is None:
        raise ValidationError({"file": "请选择要上传的文件。"})
    if upload is None:
        try:
            taken = resumable.upload_take(actor=actor, upload_id=upload_id)
        except ValidationError as exc:
            raise ValidationError({"file": exc.messages}) from exc
        with taken:
            (added,) = _attach(actor, item, [(kind, taken, meta or {})], strict_meta=strict_meta)
    else:
        (added,) = _attach(actor, item, [(kind, upload, meta or {})], strict_meta=strict_meta)
    _start(item, actor, "上传佐证材料")
    return added


def _writable(item: RectificationItem) -> None:
    if item.status in (S.CLOSED, S.CANCELLED):
        raise ValidationError(f"该整改事项{item.get_status_display()}，不能再报送。")


@transaction.atomic
def progress_report(
    *,
    actor: User,
    item: RectificationItem,
    text: str,
    on: Any = None,
    milestone: Milestone | None = None,
    milestone_done: bool = False,
    uploads: Iterable[tuple[str, UploadedFile, dict]] = (),
) -> ProgressReport:
    """The enterprise reports progress, on one milestone or the whole item, with evidence."""
    _require_reporter(actor)
    item = locked_item(actor, item)
    _writable(item)
    text = str(text or "").strip()
    if not text:
        raise ValidationError({"text": "请填写进展情况。"})
    check_text(ProgressReport, {"text": text})
    day = parse_day(on, "on", "进展日期") or timezone.localdate()
    _not_before_found(item, day, "on", "进展日期")
    if day > timezone.localdate():
        raise ValidationError({"on": "进展日期不能晚于今天。"})
    if milestone is not None and milestone.item_id != item.pk:
        raise ValidationError({"milestone": "该进度节点不属于本事项。"})
    if milestone_done and milestone is None:
        raise ValidationError({"milestone": "请选择已完成的进度节点。"})
    report = ProgressReport.objects.create(
        item=item, milestone=milestone, on=day, text=text, milestone_done=milestone_done, by=actor
    )
    _attach(actor, item, uploads, report=report)
    if milestone_done:
        milestone.done_on = day
        milestone.save(update_fields=["done_on"])
    item.progress = text
    item.save(update_fields=["progress", "updated_at"])
    _start(item, actor, "报送整改进展")
    return report


@transaction.atomic
def item_apply(
    *, actor: User, item: RectificationItem, note: str = "", expected: str | None = None
) -> RectificationItem:
    """申请销号: the enterprise says the item is done; evidence must be attached."""
    _require_reporter(actor)
    item = locked_item(actor, item)
    if item.status not in RectificationItem.WORKING:
        raise ValidationError(f"该整改事项当前为“{item.get_status_display()}”，不能申请销号。")
    if not item.evidence.exists():
        raise ValidationError(
            {"evidence": "申请销号前请上传整改佐证材料（照片、监测报告或验收文件）。"}
        )
    note = str(note or "").strip()
    check_text(RectificationItem, {"progress": note})
    transitions.transition(
        item,
        S.APPLIED,
        actor=actor,
        note=note or "申请销号",
        values={"applied_at": timezone.now()},
        expected=expected,
    )
    if item.problem.status == P.RECTIFYING:
        ledger.problem_transition(
            actor=actor, problem=item.problem, to=P.VERIFYING, note="企业申请销号", ref=item
        )
    return item


@transaction.atomic
def extension_request(
    *, actor: User, item: RectificationItem, reason: str, deadline: Any
) -> Extension:
    """The enterprise asks for more time, with a reason; one request waits at a time."""
    _require_reporter(actor)
    item = locked_item(actor, item)
    if item.status not in RectificationItem.WORKING:
        raise ValidationError(f"该整改事项当前为“{item.get_status_display()}”，不能申请延期。")
    reason = str(reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写延期理由。"})
    check_text(Extension, {"reason": reason})
    day = parse_day(deadline, "deadline", "申请延至")
    if day is None:
        raise ValidationError({"deadline": "请填写申请延至的日期。"})
    if day <= max(item.deadline or timezone.localdate(), timezone.localdate()):
        raise ValidationError({"deadline": "申请延至的日期须晚于现整改时限和今天。"})
    if item.extensions.filter(status=Extension.Status.REQUESTED).exists():
        raise ValidationError("已有一项延期申请待审核，请等待审核结果。")
    extension = Extension.objects.create(
        item=item,
        reason=reason,
        requested_deadline=day,
        previous_deadline=item.deadline,
        requested_by=actor,
    )
    transitions.record_created(extension, actor=actor, note=reason)
    return extension


@transaction.atomic
def extension_decide(
    *,
    actor: User,
    extension: Extension,
    grant: bool,
    note: str = "",
    deadline: Any = None,
) -> Extension:
    """The bureau grants (to the requested date, or another it sets) or refuses; both are kept in
    the item's history. A granted extension gives an overdue item back its work."""
    require_bureau(actor)
    item = locked_item(actor, extension.item_id)
    extension = Extension.objects.select_for_update().get(pk=extension.pk, item=item)
    if extension.status != Extension.Status.REQUESTED:
        raise ValidationError(f"该延期申请已{extension.get_status_display()}。")
    if item.status not in RectificationItem.WORKING:
        raise ValidationError(f"该整改事项当前为“{item.get_status_display()}”，无需审核延期。")
    note = str(note or "").strip()
    if not grant and not note:
        raise ValidationError({"note": "不同意延期，请写明理由（企业可见）。"})
    check_text(Extension, {"decision_note": note})
    if grant:
        day = parse_day(deadline, "deadline", "同意延至") or extension.requested_deadline
        if item.deadline and day <= item.deadline:
            raise ValidationError({"deadline": "同意延至的日期须晚于现整改时限。"})
        transitions.transition(
            extension,
            Extension.Status.GRANTED,
            actor=actor,
            note=note,
            values={"granted_deadline": day, "decision_note": note},
        )
        old = item.deadline
        item.deadline = day
        item.overdue_since = None
        item.escalated_on = None
        item.save(update_fields=["deadline", "overdue_since", "escalated_on", "updated_at"])
        text = (
            f"同意延期：整改时限由 {old:%Y-%m-%d} 延至 {day:%Y-%m-%d}"
            if old
            else (f"同意延期至 {day:%Y-%m-%d}")
        )
        if item.status == S.OVERDUE:
            transitions.transition(item, S.IN_PROGRESS, actor=actor, note=text)
        else:
            item.events.create(from_status=item.status, to_status=item.status, by=actor, note=text)
    else:
        transitions.transition(
            extension,
            Extension.Status.REFUSED,
            actor=actor,
            note=note,
            values={"decision_note": note},
        )
        item.events.create(
            from_status=item.status, to_status=item.status, by=actor, note=f"不同意延期：{note}"
        )
    return extension
