"""Classification (分类处置): a bureau puts each primary problem of the ledger on one path.

The system suggests a path from the problem's kind, severity, whether the enterprise found it
itself and whether it is being rectified (`suggest`); the bureau decides with a reason. A violation
path opens the problem's own case (逐个立案); guidance and exemption stay with the ledger and the
combined notice. The problem moves through the ledger service, naming the classification.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from campaign import access
from campaign.models import User
from campaign.validators import check_text
from cases.models import CASE_PATHS, Case, Classification, Path
from cases.services import case as case_services
from inspections.models import Problem, ProblemKind
from inspections.services import ledger

P = Problem.Status
# the violation groups in which a grave case suggests a transfer (detention: 环保法 art. 63;
# crime: 两高解释) rather than a fine alone
TRANSFER_GROUPS = {"EVADE", "HW"}


def suggest(problem: Problem, violation_group: str = "") -> tuple[str, str]:
    """The path the plan (四(三)) points to for this problem, and why, in one line."""
    if problem.kind != ProblemKind.VIOLATION:
        return Path.GUIDANCE, "管理制度问题或安全隐患：行政指导，督促整改"
    rectifying = problem.status == P.RECTIFYING
    if problem.severity == Problem.Severity.GRAVE:
        if violation_group in TRANSFER_GROUPS:
            return Path.TRANSFER, "严重的逃避监管或危险废物违法：涉嫌行政拘留或犯罪，移送"
        return Path.STRICT, "情节严重：依法严格处理"
    if problem.severity == Problem.Severity.MINOR and problem.self_found and rectifying:
        return Path.EXEMPT, "情节轻微、企业自查发现并正在整改：可免予处罚（承诺书并复查）"
    if problem.self_found and rectifying:
        return Path.LENIENT, "企业自查发现并正在整改、风险可控：从轻或减轻处罚"
    if problem.severity == Problem.Severity.MINOR:
        return Path.LENIENT, "情节较轻：从轻或减轻处罚"
    return Path.STRICT, "依法处理"


def suggestion_for(problem: Problem) -> tuple[str, str]:
    vtype = case_services.suggest_violation_type(problem) if problem.kind == "violation" else None
    return suggest(problem, vtype.group if vtype else "")


def suggestions_for(problems) -> list[tuple[str, str]]:
    """`suggestion_for` for a page of problems, reading the catalogue once (not once a row)."""
    from cases.models import ViolationType

    groups: dict[str, str] = {}
    for vtype in ViolationType.objects.order_by("code"):
        for code in vtype.item_codes:
            groups.setdefault(code, vtype.group)
    return [
        suggest(p, groups.get(p.item.code, "") if p.kind == ProblemKind.VIOLATION else "")
        for p in problems
    ]


@transaction.atomic
def classify(
    *,
    actor: User,
    problems: Iterable[Problem],
    path: str,
    reason: str,
    investigators: Iterable[User] = (),
) -> list[Classification]:
    """Put each of `problems` on `path` with the bureau's reason; a violation path opens one case
    per problem (逐个立案). All or nothing: one refused problem refuses the whole batch."""
    if not actor.has_perm("cases.handle_case"):
        raise PermissionDenied("您的角色不能办理案件。")
    if path not in Path.values:
        raise ValidationError({"path": "请选择处置方式。"})
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "请写明处置理由。"})
    check_text(Classification, {"reason": reason})
    problems = list(problems)
    if not problems:
        raise ValidationError({"problems": "请至少选择一个问题。"})
    ids = [p.pk for p in problems]
    rows = list(
        access.visible(actor, Problem.objects.select_for_update().filter(pk__in=ids))
        .select_related("item", "enterprise", "county")
        .order_by("pk")
    )
    if len(rows) != len(set(ids)):
        raise ValidationError({"problems": "所选问题不存在或不在您的管辖范围内。"})
    investigators = list(investigators)
    made = []
    for problem in rows:
        made.append(_classify_one(actor, problem, path, reason, investigators))
    return made


def _classify_one(actor, problem, path, reason, investigators) -> Classification:
    label = f"问题“{problem.item.title}”（{problem.enterprise.name}）"
    if not access.region_in_reach(actor, problem.county):
        raise ValidationError({"problems": f"{label}不在您的办理范围内。"})
    if problem.primary_id is not None:
        raise ValidationError({"problems": f"{label}是确认记录，请对其主问题分类。"})
    if problem.status not in (P.OPEN, P.RECTIFYING):
        raise ValidationError(
            {"problems": f"{label}当前为“{problem.get_status_display()}”，不能分类。"}
        )
    if Classification.objects.filter(problem=problem).exists():
        raise ValidationError({"problems": f"{label}已分类。"})
    if path != Path.GUIDANCE and problem.kind != ProblemKind.VIOLATION:
        raise ValidationError(
            {"path": f"{label}不是环境违法问题，只能行政指导；如确属违法，请先更正问题类型。"}
        )
    suggested, why = suggestion_for(problem)
    classification = Classification.objects.create(
        problem=problem,
        enterprise=problem.enterprise,
        county_id=problem.county_id,
        city_id=problem.city_id,
        path=path,
        suggested_path=suggested,
        suggestion=why,
        reason=reason,
        classified_by=actor,
    )
    note = f"分类处置：{Path(path).label}"
    if path in CASE_PATHS:
        vtype = case_services.suggest_violation_type(problem)
        case_services.case_open(
            actor=actor,
            enterprise=problem.enterprise,
            title=f"涉嫌{vtype.name if vtype else problem.item.title}案",
            source=Case.Source.LEDGER,
            discovered_on=timezone.localdate(problem.found_at),
            facts=problem.description,
            violation_type=vtype,
            path=path,
            problems=[problem],
            investigators=investigators,
            campaign=problem.campaign,
        )
    elif problem.status == P.OPEN:
        ledger.problem_transition(
            actor=actor, problem=problem, to=P.HANDLING, note=note, ref=classification
        )
    return classification


# --- 免予处罚: the 承诺书 and the follow-up check (免罚不免责) --------------------------------

COMMITMENT_TYPES = ("application/pdf", "image/jpeg", "image/png")
COMMITMENT_MAX_BYTES = 10 * 1024 * 1024
FOLLOW_UP_DAYS = 30  # the bureau's own default; the procedure (豫环办〔2021〕68号) sets none


def _exemption(actor: User, classification: Classification) -> Classification:
    if not actor.has_perm("cases.handle_case"):
        raise PermissionDenied("您的角色不能办理案件。")
    found = access.get_visible_or_404(
        actor,
        Classification.objects.select_for_update().select_related("county", "problem"),
        pk=classification.pk,
    )
    if not access.region_in_reach(actor, found.county):
        raise PermissionDenied("该问题不在您的办理范围内。")
    if found.path != Path.EXEMPT:
        raise ValidationError("只有免予处罚的问题需要承诺书和复查。")
    return found


@transaction.atomic
def exemption_commitment(
    *,
    actor: User,
    classification: Classification,
    signed_on,
    file=None,
    follow_up_due=None,
) -> Classification:
    """The enterprise signed its 承诺书 (uploaded as a scan); the follow-up check falls due."""
    from campaign.uploads import validate_upload
    from campaign.workdays import WorkingCalendar

    classification = _exemption(actor, classification)
    today = timezone.localdate()
    if signed_on is None or signed_on > today:
        raise ValidationError({"signed_on": "请填写承诺书签署日期（不晚于今天）。"})
    if file is None and not classification.commitment_file:
        raise ValidationError({"file": "请上传承诺书扫描件（PDF 或照片）。"})
    if file is not None:
        try:
            validate_upload(file, allowed=COMMITMENT_TYPES, max_bytes=COMMITMENT_MAX_BYTES)
        except ValidationError as exc:
            raise ValidationError({"file": exc.messages}) from exc
        classification.commitment_file.save(file.name, file, save=False)
    due = follow_up_due or WorkingCalendar().add_days(signed_on, FOLLOW_UP_DAYS).date
    if due < signed_on:
        raise ValidationError({"follow_up_due": "复查期限不能早于承诺书签署日期。"})
    classification.commitment_signed_on = signed_on
    classification.follow_up_due = due
    classification.save(update_fields=["commitment_signed_on", "commitment_file", "follow_up_due"])
    return classification


@transaction.atomic
def exemption_follow_up(
    *, actor: User, classification: Classification, on, passed: bool, result: str
) -> Classification:
    """The on-site follow-up check: corrected as promised closes the problem (免予处罚); not
    corrected leaves it open for a case (the bureau registers one)."""
    classification = _exemption(actor, classification)
    if classification.commitment_signed_on is None:
        raise ValidationError("尚未收到承诺书，不能复查。")
    if classification.followed_up_on is not None:
        raise ValidationError("已复查。")
    result = result.strip()
    if not result:
        raise ValidationError({"result": "请填写复查情况。"})
    check_text(Classification, {"follow_up_result": result})
    if on is None or on > timezone.localdate() or on < classification.commitment_signed_on:
        raise ValidationError({"on": "复查日期须在承诺书签署之后、不晚于今天。"})
    classification.followed_up_on = on
    classification.follow_up_passed = passed
    classification.follow_up_result = result
    classification.save(update_fields=["followed_up_on", "follow_up_passed", "follow_up_result"])
    problem = classification.problem
    if passed and problem.status == P.HANDLING:
        ledger.problem_transition(
            actor=actor,
            problem=problem,
            to=P.CLOSED,
            note=f"免予处罚，复查已按承诺改正：{result}"[:500],
            ref=classification,
        )
    return classification
