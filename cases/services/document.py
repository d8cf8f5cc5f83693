"""The documents a case issues (文书) and their service (送达).

`document_issue` checks that the case is at a step where the document makes sense, takes its 文号
inside the issuing transaction (`next_number`: a refused issue gives its number back, so numbers
run without gaps per bureau, kind and year) and freezes every printed field in `content`: a
reprint never changes after issue, whatever happens to the case later. The approval forms
(立案审批表, 结案审批表) take no 文号; they carry the case's number.

`document_serve` records one service (送达回证) with the same rules as `notice_serve`. It never
moves the case: the bureau still takes the 决定书已送达 step (`case_step`), which starts the
payment clock. `notice_service_record` records the 送达回证 of a served combined notice.

The reads (`document_list`, `case_documents`, `party_deadlines`) start from the access policy.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from campaign import access
from campaign.models import Region, User
from campaign.validators import check_text
from campaign.workdays import WorkingCalendar
from cases.discretion import yuan_in_words
from cases.exports import bureau_name
from cases.models import (
    Case,
    CaseDocument,
    Deadline,
    Measure,
    Notice,
    NoticeItem,
    Reply,
    ServiceRecord,
)
from cases.rules import Against, Clock, Unit
from cases.services.case import _date
from cases.services.numbering import next_number

K = CaseDocument.Kind
S = Case.Status
M = Notice.Method

# the DocumentCounter kind each numbered document takes its 文号 from
COUNTER_KIND = {K.ORDER: "责改", K.HEARING_NOTICE: "听通", K.DECISION: "罚决", K.TRANSFER: "移"}

# what the handler may give for each kind (everything else is read from the case)
FIELDS: dict[str, tuple[str, ...]] = {
    K.FILING: ("opinion",),
    K.ORDER: ("facts", "evidence", "correction", "correct_by", "government", "court"),
    K.HEARING_NOTICE: (
        "hearing_on",
        "hearing_time",
        "hearing_place",
        "hearing_host",
        "contact",
    ),
    K.DECISION: (
        "facts",
        "evidence",
        "bank_name",
        "bank_account_name",
        "bank_account",
        "government",
        "court",
    ),
    K.CLOSING: ("summary", "result", "litigation", "execution", "note"),
    K.TRANSFER: ("receiver", "procuratorate", "reason", "materials"),
}
REQUIRED = {
    K.ORDER: ("correction",),
    K.HEARING_NOTICE: ("hearing_on", "hearing_place"),
}
DATES = {"correct_by", "hearing_on"}
# texts printed in a line (the others may run over several paragraphs)
SHORT = {
    "hearing_time",
    "hearing_place",
    "hearing_host",
    "contact",
    "bank_name",
    "bank_account_name",
    "bank_account",
    "government",
    "court",
    "receiver",
    "procuratorate",
}
LABELS = {
    "opinion": "承办人意见",
    "facts": "违法事实",
    "evidence": "证据",
    "correction": "责令改正的内容",
    "correct_by": "改正期限",
    "government": "行政复议机关",
    "court": "人民法院",
    "hearing_on": "听证日期",
    "hearing_time": "听证时间",
    "hearing_place": "听证地点",
    "hearing_host": "听证主持人",
    "contact": "联系人及电话",
    "bank_name": "收款银行",
    "bank_account_name": "户名",
    "bank_account": "账号",
    "summary": "简要案情及查处经过",
    "result": "处理依据及结果",
    "litigation": "行政复议、行政诉讼情况",
    "execution": "处罚执行情况及罚没财物处置情况",
    "note": "备注",
    "receiver": "移送机关",
    "procuratorate": "抄送检察机关",
    "reason": "移送理由",
    "materials": "移送材料",
}
SHORT_MAX, LONG_MAX = 200, 5000

# where the payment goes is the bureau's to fill in (its non-tax revenue account)
BANK_PLACEHOLDER = "（由执法机关填写）"
NO_LITIGATION = "当事人在法定期限内未申请行政复议，未提起行政诉讼。"


def _require_handler(actor: User) -> None:
    if not actor.has_perm("cases.handle_case"):
        raise PermissionDenied("您的角色不能办理案件。")


def _day(value: dt.date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def _chinese(n: int) -> str:
    """A period as documents write it: 15 → 十五, 60 → 六十 (below a hundred)."""
    digits = "零一二三四五六七八九"
    tens, ones = divmod(n, 10)
    if not tens:
        return digits[ones]
    return f"{digits[tens] if tens > 1 else ''}十{digits[ones] if ones else ''}"


def _person(user: User) -> str:
    return user.full_name or user.username


def _transfer_measure(case: Case) -> Measure | None:
    return (
        case.measures.filter(kind__in=(Measure.Kind.CRIME, Measure.Kind.DETENTION))
        .exclude(status=Measure.Status.CANCELLED)
        .order_by("-started_on", "-pk")
        .first()
    )


def issue_refusal(case: Case, kind: str) -> str | None:
    """Why the case is not at a step where this document makes sense (None: it is)."""
    if kind not in K.values:
        return "请选择文书种类。"
    label = K(kind).label
    if kind in CaseDocument.ONCE and case.documents.filter(kind=kind).exists():
        return f"本案已签发{label}。"
    now = f"案件当前为“{case.get_status_display()}”"
    if kind == K.FILING and case.status in (S.NOT_FILED, S.REVOKED):
        return f"{now}，不能填制{label}。"
    if kind == K.ORDER and (case.filed_on is None or case.is_finished):
        return f"{now}，{label}须在立案后、结案前签发。"
    if kind == K.HEARING_NOTICE and case.status != S.HEARING:
        return f"{now}，当事人申请听证后才能签发{label}。"
    if kind == K.DECISION:
        if case.status not in (S.DECIDED, S.EXECUTING, S.CLOSING, S.CLOSED):
            return f"{now}，作出处罚决定后才能签发{label}。"
        if case.fine is None:
            return f"本案尚未确定罚款金额，不能签发{label}。"
    if kind == K.CLOSING and case.status not in (S.CLOSING, S.CLOSED):
        return f"{now}，申请结案后才能填制{label}。"
    if kind == K.TRANSFER and case.is_finished:
        return f"{now}，不能签发{label}。"
    if kind == K.TRANSFER and _transfer_measure(case) is None:
        return "本案未决定移送公安机关行政拘留或移送涉嫌环境犯罪，不能签发案件移送书。"
    return None


def kinds_for(case: Case, user: User) -> list[tuple[str, str]]:
    """The documents this user may issue on the case now: (kind, label)."""
    if not user.has_perm("cases.handle_case"):
        return []
    return [(kind, label) for kind, label in K.choices if issue_refusal(case, kind) is None]


def _clean_fields(kind: str, fields: dict[str, Any]) -> dict[str, Any]:
    allowed = FIELDS[kind]
    unknown = sorted(set(fields) - set(allowed) - {k for k, v in fields.items() if not v})
    if unknown:
        raise ValidationError(f"{K(kind).label}没有这些内容：{'、'.join(unknown)}。")
    clean: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name in allowed:
        value = fields.get(name)
        if name in DATES:
            if value not in (None, "") and not isinstance(value, dt.date):
                errors[name] = f"{LABELS[name]}须为日期。"
            clean[name] = value or None
            continue
        value = (value or "").strip() if isinstance(value, str) or value is None else str(value)
        limit = SHORT_MAX if name in SHORT else LONG_MAX
        if "\x00" in value:
            errors[name] = f"{LABELS[name]}含有无效的空字符，请删除后重试。"
        elif len(value) > limit:
            errors[name] = f"{LABELS[name]}最多 {limit} 个字（现为 {len(value)} 个）。"
        clean[name] = value
    for name in REQUIRED.get(kind, ()):
        if not clean.get(name) and name not in errors:
            errors[name] = f"请填写{LABELS[name]}。"
    if errors:
        raise ValidationError(errors)
    return clean


def _hearing_earliest(clock: Clock, served_on: dt.date) -> dt.date:
    """The first day a hearing may be held when its notice is served on `served_on`."""
    calendar = WorkingCalendar()
    if clock.unit == Unit.WORKING_DAYS:
        return calendar.add_working_days(served_on, clock.length).date
    return served_on + dt.timedelta(days=clock.length)


def _check_hearing_date(case: Case, hearing_on: dt.date, notified_on: dt.date, field: str):
    clock = case.rule_set.clock("hearing_notice")
    earliest = _hearing_earliest(clock, notified_on)
    if hearing_on < earliest:
        raise ValidationError(
            {
                field: f"应当在举行听证的{clock.period}前通知当事人（{clock.basis}）："
                f"{notified_on:%Y-%m-%d}通知的，听证日期不能早于 {earliest:%Y-%m-%d}。"
            }
        )


# --- what each document prints -------------------------------------------------------------


def _court(county: Region, city: Region) -> str:
    return (
        f"{county.name}人民法院"
        if county.name == city.name
        else f"{city.name}{county.name}人民法院"
    )


def _police(county: Region, city: Region) -> str:
    if county.name.endswith("区") and county.name != city.name:
        return f"{city.name}公安局{county.name[:-1]}分局"
    return f"{county.name}公安局"


def _procuratorate(county: Region, city: Region) -> str:
    if county.name == city.name:
        return f"{county.name}人民检察院"
    return f"{city.name}{county.name}人民检察院"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _evidence(case: Case, given: str) -> list[str]:
    """The evidence list as the handler wrote it (one item a line), else what the ledger holds:
    each of the case's problems as found on site."""
    if given:
        return _lines(given)
    return [
        f"{_day(timezone.localdate(link.problem.found_at))}现场检查发现：{link.problem.description}"
        for link in case.case_problems.select_related("problem").order_by("problem__found_at")
    ]


def _common(case: Case, kind: str, number: str, on: dt.date) -> dict[str, Any]:
    enterprise = case.enterprise
    vtype = case.violation_type
    return {
        "kind": kind,
        "title": K(kind).label,
        "number": number,
        "date": _day(on),
        "bureau": bureau_name(case.county, case.city),
        "case": {
            "id": case.pk,
            "title": case.title,
            "source": case.get_source_display(),
            "discovered_on": _day(case.discovered_on),
            "filed_on": _day(case.filed_on),
            "violation": vtype.name if vtype else "",
            "violated": vtype.violated if vtype else "",
            "punished": vtype.punished if vtype else "",
            "range_text": vtype.range_text if vtype else "",
        },
        "party": {
            "name": enterprise.name,
            "credit_code": enterprise.credit_code,
            "legal_representative": enterprise.legal_representative,
            "address": f"{case.city.name}{case.county.name}{enterprise.address}",
            "contact": enterprise.contact_person,
            "phone": enterprise.contact_phone,
        },
    }


def defaults_for(case: Case) -> dict[str, str]:
    """What a document prints where the handler leaves a field empty (shown as placeholders)."""
    return {
        "government": f"{case.city.name}人民政府",
        "court": _court(case.county, case.city),
        "receiver": _police(case.county, case.city),
        "procuratorate": _procuratorate(case.county, case.city),
        "bank_name": BANK_PLACEHOLDER,
        "bank_account_name": BANK_PLACEHOLDER,
        "bank_account": BANK_PLACEHOLDER,
        "litigation": NO_LITIGATION,
    }


def _remedies(case: Case, fields: dict[str, Any]) -> dict[str, str]:
    defaults = defaults_for(case)
    return {
        "government": fields.get("government") or defaults["government"],
        "court": fields.get("court") or defaults["court"],
    }


def _investigators(case: Case) -> list[str]:
    return [
        f"{_person(p)}（执法证号 {p.badge_no or '无'}）" for p in case.investigators.order_by("pk")
    ]


def _approval(case: Case, to: str) -> dict[str, str]:
    """Who approved the step to `to` and when (blank until approved: signed by hand)."""
    event = case.events.filter(to_status=to).select_related("by").order_by("-at", "-pk").first()
    if event is None:
        return {"by": "", "on": "", "note": ""}
    return {
        "by": _person(event.by) if event.by else "",
        "on": _day(event.at.date()),
        "note": event.note,
    }


def _notice_of(case: Case) -> Notice | None:
    items = NoticeItem.objects.filter(case=case, notice__status=Notice.Status.SERVED)
    found = items.select_related("notice").order_by("-notice__served_on", "-pk").first()
    return found.notice if found else None


def _filing(case: Case, fields: dict[str, Any]) -> dict[str, Any]:
    vtype = case.violation_type
    suspected = f"涉嫌{vtype.name}" if vtype else f"涉嫌{case.title}"
    return {
        "facts": case.facts or case.title,
        "investigators": _investigators(case),
        "opinion": fields["opinion"]
        or f"经初步核查，当事人{suspected}，符合立案条件，建议立案调查。",
        "approval": _approval(case, S.INVESTIGATING),
    }


def _order(case: Case, fields: dict[str, Any]) -> dict[str, Any]:
    vtype = case.violation_type
    correct_by = fields["correct_by"]
    return {
        "facts": fields["facts"] or case.facts or case.title,
        "evidence": _evidence(case, fields["evidence"]),
        "correction": _lines(fields["correction"]),
        "correct_by": f"{_day(correct_by)}前" if correct_by else "收到本决定书后立即",
        # the date itself, for the rectification item that takes this order as its requirement
        "correct_by_date": correct_by.isoformat() if correct_by else "",
        # 按日连续处罚 (环境保护法 art. 59) where the violation allows it
        "daily_warning": bool(vtype and "daily" in (vtype.measures or [])),
        **_remedies(case, fields),
    }


def _hearing_notice(case: Case, fields: dict[str, Any], on: dt.date) -> dict[str, Any]:
    hearing_on: dt.date = fields["hearing_on"]
    _check_hearing_date(case, hearing_on, on, "hearing_on")
    notice = _notice_of(case)
    request = (
        Reply.objects.filter(notice=notice, kind=Reply.Kind.HEARING)
        .order_by("submitted_at")
        .first()
        if notice
        else None
    )
    clock = case.rule_set.clock("hearing_notice")
    return {
        "hearing_on": _day(hearing_on),
        "hearing_on_iso": hearing_on.isoformat(),
        "hearing_time": fields["hearing_time"],
        "hearing_place": fields["hearing_place"],
        "hearing_host": fields["hearing_host"],
        "contact": fields["contact"],
        "requested_on": _day(request.submitted_at.date()) if request else "",
        "notice_number": notice.number if notice else "",
        "clock": {"period": clock.period, "basis": clock.basis},
    }


def _decision(case: Case, fields: dict[str, Any]) -> dict[str, Any]:
    rules = case.rule_set
    notice = _notice_of(case)
    kinds = (
        set(Reply.objects.filter(notice=notice).values_list("kind", flat=True)) if notice else set()
    )
    heard = case.events.filter(to_status=S.HEARING).exists()
    record = case.discretion_records.filter(current=True).first()
    fine = case.fine or 0
    payment = rules.clock("payment")
    evidence = _evidence(case, fields["evidence"])
    if not evidence:
        raise ValidationError({"evidence": "请列明证明违法事实的证据（每行一项）。"})
    return {
        "facts": fields["facts"] or case.facts or case.title,
        "evidence": evidence,
        "penalty_text": case.violation_type.penalty_text if case.violation_type else "",
        "discretion": list(record.lines) if record else [],
        "notice": {
            "number": notice.number,
            "served_on": _day(notice.served_on),
            "hearing_right": notice.hearing_right,
        }
        if notice
        else None,
        "statement_used": Reply.Kind.STATEMENT in kinds,
        "hearing_used": Reply.Kind.HEARING in kinds or heard,
        "hearing_held": heard,
        "decided_on": _day(case.decided_on),
        "fine": fine,
        "fine_figures": f"{fine:,}",
        "fine_words": yuan_in_words(fine),
        "payment": {"days": _chinese(payment.length), "basis": payment.basis},
        "bank_name": fields["bank_name"] or BANK_PLACEHOLDER,
        "bank_account_name": fields["bank_account_name"] or BANK_PLACEHOLDER,
        "bank_account": fields["bank_account"] or BANK_PLACEHOLDER,
        **_remedies(case, fields),
    }


def _closing(case: Case, fields: dict[str, Any]) -> dict[str, Any]:
    decision = case.documents.filter(kind=K.DECISION).first()
    steps = [
        f"{_day(case.filed_on)}立案" if case.filed_on else "",
        f"{_day(case.notified_on)}送达事先告知书" if case.notified_on else "",
        f"{_day(case.decided_on)}作出处理决定" if case.decided_on else "",
        f"{_day(case.served_on)}送达处罚决定书" if case.served_on else "",
    ]
    summary = fields["summary"] or "；".join([case.facts or case.title, *[s for s in steps if s]])
    vtype = case.violation_type
    if fields["result"]:
        result = fields["result"]
    elif case.fine:
        basis = f"依据{vtype.punished}，" if vtype else ""
        result = f"{basis}处罚款人民币{case.fine:,}元（{yuan_in_words(case.fine)}）。"
    elif case.events.filter(to_status=S.NO_PENALTY).exists():
        result = "不予行政处罚。"
    else:
        result = ""
    payment = case.deadlines.filter(key="payment").first()
    execution = fields["execution"] or (
        f"{payment.done_note}（{_day(payment.done_on)}）" if payment and payment.done_on else ""
    )
    return {
        "reviewer": f"{_person(case.reviewer)}（执法证号 {case.reviewer.badge_no or '无'}）"
        if case.reviewer
        else "",
        "investigators": _investigators(case),
        "decision_number": decision.number if decision else "",
        "summary": summary,
        "result": result,
        "litigation": fields["litigation"] or NO_LITIGATION,
        "execution": execution,
        "note": fields["note"],
        "approval": _approval(case, S.CLOSED),
    }


_TRANSFER_BASIS = {
    Measure.Kind.DETENTION: (
        "《中华人民共和国环境保护法》第六十三条和《行政主管部门移送适用行政拘留环境违法案件暂行办法》",
        "依法决定是否予以行政拘留",
        [
            "案件移送审批单",
            "案件调查报告",
            "涉案证据材料",
            "涉案物品清单",
            "行政处罚决定书",
        ],
    ),
    Measure.Kind.CRIME: (
        "《行政执法机关移送涉嫌犯罪案件的规定》和《环境保护行政执法与刑事司法衔接工作办法》",
        "依法审查，决定是否立案侦查",
        [
            "涉嫌犯罪案件情况的调查报告",
            "涉案物品清单",
            "有关检验报告或者鉴定结论",
            "其他有关涉嫌犯罪的材料",
        ],
    ),
}


def _transfer(case: Case, fields: dict[str, Any]) -> dict[str, Any]:
    measure = _transfer_measure(case)
    if measure is None:  # checked before the number was taken; kept for safety
        raise ValidationError({"kind": "本案没有移送决定。"})
    basis, ask, materials = _TRANSFER_BASIS[measure.kind]
    crime = measure.kind == Measure.Kind.CRIME
    return {
        "measure": measure.get_kind_display(),
        "crime": crime,
        "receiver": fields["receiver"] or _police(case.county, case.city),
        "procuratorate": fields["procuratorate"] or _procuratorate(case.county, case.city)
        if crime
        else "",
        "persons": measure.detail,
        "facts": case.facts or case.title,
        "reason": fields["reason"],
        "basis": basis,
        "ask": ask,
        "materials": _lines(fields["materials"]) or materials,
    }


_CONTENT: dict[str, Callable[..., dict[str, Any]]] = {
    K.FILING: lambda case, fields, on: _filing(case, fields),
    K.ORDER: lambda case, fields, on: _order(case, fields),
    K.HEARING_NOTICE: _hearing_notice,
    K.DECISION: lambda case, fields, on: _decision(case, fields),
    K.CLOSING: lambda case, fields, on: _closing(case, fields),
    K.TRANSFER: lambda case, fields, on: _transfer(case, fields),
}


def freeze(case: Case, kind: str, number: str, on: dt.date, fields: dict[str, Any]) -> dict:
    """Every field the document prints, as text, at the moment it is issued."""
    return {**_common(case, kind, number, on), **_CONTENT[kind](case, fields, on)}


# --- the writes ----------------------------------------------------------------------------


def _case_for(actor: User, case: Case) -> Case:
    case = access.get_visible_or_404(
        actor,
        Case.objects.select_for_update(of=("self",)).select_related(
            "enterprise", "county", "city", "violation_type", "reviewer"
        ),
        pk=case.pk,
    )
    if not access.region_in_reach(actor, case.county):
        raise PermissionDenied("该案件不在您的办理范围内。")
    return case


@transaction.atomic
def document_issue(
    *, actor: User, case: Case, kind: str, on: dt.date | None = None, **fields: Any
) -> CaseDocument:
    """Issue one document of the case: checked against the case's step, numbered (the approval
    forms take none) and frozen. Refusals are Chinese ValidationErrors naming the field."""
    _require_handler(actor)
    case = _case_for(actor, case)
    if reason := issue_refusal(case, kind):
        raise ValidationError({"kind": reason})
    clean = _clean_fields(kind, fields)
    on = _date(on, "on", not_before=case.discovered_on)
    number = (
        ""
        if kind in CaseDocument.INTERNAL
        else next_number(case.county, on.year, COUNTER_KIND[kind])
    )
    # the content is built after the number is taken: a refusal from here on gives it back too
    content = freeze(case, kind, number, on, clean)
    return CaseDocument.objects.create(
        case=case, kind=kind, number=number, issued_on=on, content=content, issued_by=actor
    )


def _check_service(
    method: str, recipient: str, refusal_text: str, witnesses: str
) -> tuple[str, str, str]:
    if method not in M.values:
        raise ValidationError({"method": "请选择送达方式。"})
    recipient, refusal_text, witnesses = recipient.strip(), refusal_text.strip(), witnesses.strip()
    check_text(
        ServiceRecord,
        {"recipient": recipient, "refusal": refusal_text, "witnesses": witnesses},
    )
    if method == M.LEFT:
        errors = {}
        if not refusal_text:
            errors["refusal"] = "留置送达须写明拒收事由。"
        if not witnesses:
            errors["witnesses"] = "留置送达须写明见证人（无见证人的，写明已拍照、录像记录）。"
        if errors:
            raise ValidationError(errors)
    if method in (M.DIRECT, M.ENTRUSTED) and not recipient:
        raise ValidationError({"recipient": "请填写签收人。"})
    return recipient, refusal_text, witnesses


def _servers(case: Case | None, fallback: User) -> list[str]:
    people = list(case.investigators.order_by("pk")[:2]) if case else []
    return [_person(p) for p in people] or [_person(fallback)]


@transaction.atomic
def document_serve(
    *,
    actor: User,
    document: CaseDocument,
    served_on: dt.date,
    method: str,
    recipient: str = "",
    refusal: str = "",
    witnesses: str = "",
    address: str = "",
    note: str = "",
) -> ServiceRecord:
    """Record one service of the document (its 送达回证). The case's step is not changed here: a
    served decision is marked 决定书已送达 by the case step, which starts the payment clock."""
    _require_handler(actor)
    document = access.get_visible_or_404(
        actor,
        CaseDocument.objects.select_for_update(of=("self",)).select_related(
            "case", "case__enterprise", "case__county", "case__city"
        ),
        pk=document.pk,
    )
    case = document.case
    if not access.region_in_reach(actor, case.county):
        raise PermissionDenied("该文书不在您的办理范围内。")
    if document.is_internal:
        raise ValidationError(f"{document.get_kind_display()}是内部审批文书，无需送达。")
    recipient, refusal, witnesses = _check_service(method, recipient, refusal, witnesses)
    address, note = address.strip(), note.strip()
    check_text(ServiceRecord, {"address": address, "note": note})
    served_on = _date(served_on, "served_on", not_before=document.issued_on)
    if document.kind == K.HEARING_NOTICE:
        hearing_on = dt.date.fromisoformat(document.content["hearing_on_iso"])
        _check_hearing_date(case, hearing_on, served_on, "served_on")
    party = case.enterprise
    record = ServiceRecord.objects.create(
        document=document,
        county_id=case.county_id,
        city_id=case.city_id,
        enterprise=party,
        method=method,
        served_on=served_on,
        address=address or document.content.get("party", {}).get("address", party.address),
        recipient=recipient,
        refusal=refusal,
        witnesses=witnesses,
        servers=_servers(case, actor),
        note=note,
        recorded_by=actor,
    )
    if document.served_on is None or served_on < document.served_on:
        document.served_on = served_on
        document.save(update_fields=["served_on"])
    return record


@transaction.atomic
def notice_service_record(
    *, actor: User, notice: Notice, witnesses: str = "", address: str = "", note: str = ""
) -> ServiceRecord:
    """The 送达回证 of a served combined notice, from the service `notice_serve` recorded."""
    _require_handler(actor)
    notice = access.get_visible_or_404(
        actor,
        Notice.objects.select_for_update(of=("self",)).select_related(
            "enterprise", "county", "city", "drafted_by"
        ),
        pk=notice.pk,
    )
    if not access.region_in_reach(actor, notice.county):
        raise PermissionDenied("该告知书不在您的办理范围内。")
    if notice.status != Notice.Status.SERVED:
        raise ValidationError("告知书尚未送达。")
    if notice.service_records.exists():
        raise ValidationError("该告知书已登记送达回证。")
    recipient, refusal, witnesses = _check_service(
        notice.method, notice.recipient, notice.refusal, witnesses
    )
    address, note = address.strip(), note.strip()
    check_text(ServiceRecord, {"address": address, "note": note})
    item = notice.items.filter(case__isnull=False).select_related("case").order_by("order").first()
    party = notice.enterprise
    return ServiceRecord.objects.create(
        notice=notice,
        county_id=notice.county_id,
        city_id=notice.city_id,
        enterprise=party,
        method=notice.method,
        served_on=notice.served_on,
        address=address or f"{notice.city.name}{notice.county.name}{party.address}",
        recipient=recipient,
        refusal=refusal,
        witnesses=witnesses,
        servers=_servers(item.case if item else None, notice.drafted_by),
        note=note,
        recorded_by=actor,
    )


# --- the reads -----------------------------------------------------------------------------


def _records(user: User) -> Prefetch:
    return Prefetch(
        "service_records",
        queryset=access.visible(user, ServiceRecord.objects.order_by("served_on", "pk")),
    )


def document_list(*, user: User) -> QuerySet[CaseDocument]:
    """The documents this user sees (an enterprise: those served on it), newest first, with the
    service records the user sees."""
    return (
        access.visible(user, CaseDocument.objects.all())
        .select_related("case", "case__enterprise", "case__county")
        .prefetch_related(_records(user))
        .order_by("-issued_on", "-pk")
    )


def document_get(*, user: User, pk: int) -> CaseDocument:
    return access.get_visible_or_404(
        user,
        CaseDocument.objects.select_related("case", "case__enterprise").prefetch_related(
            _records(user)
        ),
        pk=pk,
    )


def case_documents(*, user: User, case: Case) -> list[CaseDocument]:
    return list(
        access.visible(user, CaseDocument.objects.filter(case=case))
        .select_related("issued_by")
        .prefetch_related(_records(user))
        .order_by("issued_on", "pk")
    )


def case_notice_records(*, user: User, case: Case) -> list[tuple[Notice, list[ServiceRecord]]]:
    """The case's served notices, each with its 送达回证 (if recorded)."""
    notices = (
        access.visible(user, Notice.objects.filter(items__case=case, status=Notice.Status.SERVED))
        .distinct()
        .prefetch_related(_records(user))
        .order_by("served_on", "pk")
    )
    return [(n, list(n.service_records.all())) for n in notices]


def party_deadlines(documents: Iterable[CaseDocument]) -> dict[int, list[Deadline]]:
    """The clocks that run against the party (payment, 整改方案, its answer windows) of the cases
    these documents belong to, by case.

    Read through the documents, not the deadlines' own path: a party does not see the bureau's
    clocks (Deadline is bureau-only), but the windows running against it are part of what was
    served on it, so they are visible exactly where one of its served documents is."""
    cases = {d.case_id for d in documents}
    found: dict[int, list[Deadline]] = defaultdict(list)
    for deadline in Deadline.objects.filter(case_id__in=cases, against=Against.PARTY).order_by(
        "due_date", "pk"
    ):
        found[deadline.case_id].append(deadline)
    return dict(found)
