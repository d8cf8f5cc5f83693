"""Forms of stage 5: a round's rule and draws, conflicts, findings, signatures, accountability."""

from __future__ import annotations

from django import forms

from campaign import access
from campaign.models import User
from cases.models import Case
from crosscheck import sampling
from crosscheck.models import Accountability, Capacity, Finding, SampledUnit, VerificationRound
from crosscheck.services import record as record_services
from crosscheck.services.round import WEIGHT_MAX
from inspections.catalogue import catalogue_for
from inspections.models import CheckItem, Inspection, Problem, SelfCheck
from rectification.models import RectificationItem

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
L = VerificationRound.Level


class RoundForm(forms.Form):
    level = forms.ChoiceField(label="层级", choices=L.choices)
    title = forms.CharField(label="名称", max_length=100)
    share = forms.CharField(
        label="每市抽取比例", max_length=10, initial="0.1", help_text="如 0.1 或 10%"
    )
    minimum = forms.IntegerField(label="每市最少抽取（家）", min_value=1, max_value=1000, initial=3)
    many_problems = forms.IntegerField(
        label="“问题较多”指问题数达到（个）", min_value=1, max_value=1000, initial=5
    )
    release_at = forms.DateTimeField(
        label="样本发布时间", widget=DATETIME, help_text="此前样本仅组织方可见"
    )
    ends_on = forms.DateField(label="核查截止日期", widget=DATE)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        # the province organises the key units' round, a city its non-key units'
        province = access.jurisdiction(user).reach is access.Reach.ALL
        self.fields["level"].choices = [L.choices[0] if province else L.choices[1]]
        self.fields["level"].initial = L.PROVINCE if province else L.CITY
        for signal, label in sampling.SIGNALS.items():
            self.fields[f"weight_{signal}"] = forms.IntegerField(
                label=f"风险加权：{label}",
                min_value=0,
                max_value=WEIGHT_MAX,
                initial=0,
                required=False,
                help_text="每项信号在基础权重 1 上加的权重（0 为不加权）",
            )

    def service_values(self) -> dict:
        data = dict(self.cleaned_data)
        data["weights"] = {signal: data.pop(f"weight_{signal}") or 0 for signal in sampling.SIGNALS}
        return data


class DrawForm(forms.Form):
    witnesses = forms.CharField(
        label="见证人", max_length=200, help_text="在场见证抽取的人员姓名、单位"
    )
    seed = forms.CharField(
        label="随机种子",
        max_length=64,
        required=False,
        help_text="可填公开的随机数（如当日彩票开奖号码）；不填由系统生成",
    )
    release_now = forms.BooleanField(
        label="样本发布时间已过：确认抽取后立即对被核查市县公开",
        required=False,
    )

    def __init__(self, *args, released: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not released:  # asked only when the release time has passed
            del self.fields["release_now"]


class RescheduleForm(forms.Form):
    release_at = forms.DateTimeField(label="样本发布时间", widget=DATETIME)
    ends_on = forms.DateField(label="核查截止日期", widget=DATE)


class CloseForm(forms.Form):
    note = forms.CharField(
        label="说明",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="如：各组均已完成核查，提前结束",
    )


class TeamDrawForm(forms.Form):
    officers = forms.IntegerField(
        label="每组执法能手（含组长）", min_value=2, max_value=8, initial=2
    )
    experts = forms.IntegerField(label="每组专家", min_value=1, max_value=5, initial=1)
    witnesses = forms.CharField(
        label="见证人", max_length=200, help_text="在场见证编组的人员姓名、单位"
    )
    seed = forms.CharField(
        label="随机种子", max_length=64, required=False, help_text="不填由系统生成"
    )


class ConflictForm(forms.Form):
    credit_code = forms.CharField(label="统一社会信用代码", max_length=30)
    unit_name = forms.CharField(label="单位名称", max_length=200)
    reason = forms.CharField(
        label="回避事由", max_length=200, help_text="如：近亲属在该单位任职、曾在该单位工作"
    )


class FindingForm(forms.Form):
    """A finding on a unit's record: its code, what it is about (one of the unit's own records),
    who is responsible (those who handled the unit, in that capacity) and, for a problem the team
    found itself, the check item it breaches."""

    code = forms.ChoiceField(label="核查结论", choices=Finding.Code.choices)
    description = forms.CharField(label="具体情况", widget=forms.Textarea(attrs={"rows": 3}))
    about = forms.ChoiceField(label="针对的记录", required=False)
    people = forms.MultipleChoiceField(
        label="责任人", required=False, help_text="经办过该单位的人员及其职责"
    )
    check_item = forms.ModelChoiceField(
        label="对应检查项目（新发现问题）", queryset=CheckItem.objects.none(), required=False
    )
    severity = forms.ChoiceField(
        label="严重程度（新发现问题）",
        choices=[("", "—"), *Problem.Severity.choices],
        required=False,
    )

    def __init__(self, *args, unit: SampledUnit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["about"].choices = [("", "—"), *record_choices(unit.enterprise_id)]
        people = record_services.handlers(unit.enterprise_id)
        names = dict(User.objects.filter(pk__in=people).values_list("pk", "full_name"))
        self.fields["people"].choices = [
            (f"{pk}:{capacity}", f"{names.get(pk, pk)}（{Capacity(capacity).label}）")
            for pk in sorted(people)
            for capacity in sorted(people[pk])
        ]
        version = catalogue_for(unit.draw.round.campaign)
        self.fields["check_item"].queryset = (
            version.items.order_by("order") if version else CheckItem.objects.none()
        )

    def service_values(self) -> dict:
        data = self.cleaned_data
        about = {}
        if data["about"]:
            field, _, pk = data["about"].partition(":")
            about = {field: int(pk)}
        people = []
        for value in data["people"]:
            pk, _, capacity = value.partition(":")
            people.append((int(pk), capacity))
        return {
            "code": data["code"],
            "description": data["description"],
            "about": about,
            "people": people,
            "check_item": data["check_item"],
            "severity": data["severity"],
        }


def record_choices(enterprise_id: int) -> list[tuple[str, str]]:
    """The unit's own records a finding may point at, newest first within each kind."""
    choices = []
    for s in SelfCheck.objects.filter(enterprise=enterprise_id).order_by("-pk")[:5]:
        choices.append((f"self_check:{s.pk}", f"企业自查表（{s.get_status_display()}）"))
    for i in Inspection.objects.filter(enterprise=enterprise_id).order_by("-planned_on")[:10]:
        choices.append((f"inspection:{i.pk}", f"现场检查 {i.planned_on:%Y-%m-%d}"))
    for c in Case.objects.filter(enterprise=enterprise_id).order_by("-pk")[:10]:
        choices.append((f"case:{c.pk}", f"案件：{c.title}（{c.get_status_display()}）"))
    items = RectificationItem.objects.filter(plan__enterprise=enterprise_id).select_related(
        "problem"
    )
    for it in items.order_by("number")[:20]:
        choices.append((f"item:{it.pk}", f"整改事项 {it.number}：{it.problem.description[:30]}"))
    problems = Problem.objects.filter(enterprise=enterprise_id, primary__isnull=True)
    for p in problems.order_by("-found_at")[:20]:
        choices.append((f"problem:{p.pk}", f"问题：{p.description[:30]}"))
    return choices


class SignForm(forms.Form):
    summary = forms.CharField(
        label="核查情况（总体）", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    signature = forms.CharField(widget=forms.HiddenInput)


class RespondForm(forms.Form):
    response = forms.CharField(
        label="市局反馈（调查核实情况及处理意见）", widget=forms.Textarea(attrs={"rows": 4})
    )


class DecideForm(forms.Form):
    decision = forms.ChoiceField(label="问责决定", choices=Accountability.Decision.choices)
    note = forms.CharField(
        label="决定说明", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
