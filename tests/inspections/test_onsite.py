"""Stage 2: team rules, expert grants, the record form, same-day rule, postponement, locking and
amendment, conflicts between two inspectors, the self-check comparison, problems into the ledger, PDF."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from campaign import access
from campaign.models import User
from inspections.models import Inspection, Problem
from inspections.selectors import ledger as selectors
from inspections.services import onsite
from inspections.services import selfcheck as stage1_services
from tests import org_factories
from tests.factories import UserFactory, region
from tests.inspections.factories import SIGNATURE, inspection, record_problem, use_catalogue


@pytest.fixture
def planned(cast):
    use_catalogue()
    return inspection(cast, with_expert=True)


def complete(cast, planned, *, problem_item="HF-01"):
    onsite.inspection_start(actor=cast.county, inspection=planned)
    for f in planned.findings.select_related("item"):
        values = {"result": "ok"}
        if f.item.code == problem_item:
            values = {
                "result": "problem",
                "description": "排污许可证过期仍在排污",
                "severity": "serious",
            }
        onsite.finding_save(actor=cast.county, finding=f, values=values, revision=f.revision)
    planned.refresh_from_db()
    onsite.header_save(
        actor=cast.county,
        inspection=planned,
        revision=planned.revision,
        values={
            "ended_at": planned.started_at + dt.timedelta(hours=2),
            "representative_name": "吴华",
            "recorder": User.objects.get(username="js2"),
            "suggestion": "case",
        },
    )
    onsite.inspection_sign(
        actor=cast.county, inspection=planned, signature=SIGNATURE, for_representative=True
    )
    for member in planned.members.exclude(role="expert"):
        onsite.inspection_sign(actor=member.user, inspection=planned, signature=SIGNATURE)
    return Inspection.objects.get(pk=planned.pk)


def test_team_needs_two_badged_inspectors(cast):
    use_catalogue()
    campaign = org_factories.campaign()
    with pytest.raises(ValidationError, match="至少由两名执法人员"):
        onsite.inspection_plan(
            actor=cast.county,
            campaign=campaign,
            enterprise=cast.ent,
            planned_on=dt.date(2020, 5, 1),
            source="special",
            lead=cast.county,
            inspectors=[],
        )
    nobadge = UserFactory(username="nb", role="county", region=region("410105"))
    with pytest.raises(ValidationError, match="没有登记执法证号"):
        onsite.inspection_plan(
            actor=cast.county,
            campaign=campaign,
            enterprise=cast.ent,
            planned_on=dt.date(2020, 5, 1),
            source="special",
            lead=cast.county,
            inspectors=[nobadge],
        )
    with pytest.raises(PermissionDenied):
        onsite.inspection_plan(
            actor=cast.other_county,
            campaign=campaign,
            enterprise=cast.ent,
            planned_on=dt.date(2020, 5, 1),
            source="special",
            lead=cast.county,
            inspectors=[nobadge],
        )


def test_the_expert_sees_exactly_the_inspections_they_are_on(cast, planned):
    expert = User.objects.get(pk=cast.expert.pk)
    assert list(access.visible(expert, Inspection.objects.all())) == [planned]
    other = inspection(cast, with_expert=False)
    assert other not in access.visible(
        User.objects.get(pk=cast.expert.pk), Inspection.objects.all()
    )
    onsite.inspection_start(actor=cast.county, inspection=planned)
    assert (
        access.visible(User.objects.get(pk=cast.expert.pk), planned.findings.all()).count()
        == planned.findings.count()
    )
    with pytest.raises(PermissionDenied):  # experts advise; inspectors write the record
        f = planned.findings.first()
        onsite.finding_save(
            actor=cast.expert, finding=f, values={"result": "ok"}, revision=f.revision
        )


def test_two_inspectors_never_overwrite_each_other_silently(cast, planned):
    onsite.inspection_start(actor=cast.county, inspection=planned)
    second = User.objects.get(username="js2")
    f = planned.findings.first()
    onsite.finding_save(
        actor=second, finding=f, values={"result": "problem", "description": "A"}, revision=0
    )
    with pytest.raises(onsite.Conflict) as conflict:
        onsite.finding_save(actor=cast.county, finding=f, values={"result": "ok"}, revision=0)
    assert conflict.value.current["description"] == "A" and conflict.value.current["revision"] == 1
    onsite.finding_save(
        actor=cast.county, finding=f, values={"result": "ok"}, revision=1
    )  # after looking


def test_submission_same_day_late_reason_lock_and_ledger_link(cast, planned):
    # the enterprise had reported the same item itself: the inspection confirms it, it is not counted twice
    self_found = record_problem(
        cast.ent,
        planned.version.items.get(code="HF-01"),
        campaign=planned.campaign,
        self_found=True,
        kind="violation",
        description="自查：许可证过期",
    )
    record = complete(cast, planned)
    with pytest.raises(ValidationError, match="延迟上传原因"):
        onsite.inspection_submit(
            actor=cast.county, inspection=record, at=record.started_at + dt.timedelta(days=1)
        )
    record = onsite.inspection_submit(
        actor=cast.county,
        inspection=record,
        late_reason="现场无网络，次日上传",
        at=record.started_at + dt.timedelta(days=1),
    )
    assert (
        record.status == "submitted"
        and record.is_late
        and record.original["findings"]["HF-01"]["result"] == "problem"
    )
    problem = Problem.objects.get(inspection=record)
    assert (
        problem.primary == self_found
        and problem.status == "merged"
        and problem.source == "inspection"
        and problem.severity == "serious"
    )
    # one problem in the ledger, its confirmation shown under it
    assert list(selectors.problem_list(user=cast.county)) == [self_found]
    assert list(self_found.confirmations.all()) == [problem]
    f = record.findings.get(item__code="HF-01")
    with pytest.raises(ValidationError, match="锁定"):
        onsite.finding_save(
            actor=cast.county, finding=f, values={"result": "ok"}, revision=f.revision
        )
    with pytest.raises(ValidationError, match="更正原因"):
        onsite.inspection_amend(
            actor=cast.county,
            inspection=record,
            finding=f,
            values={"description": "更正"},
            reason="",
        )
    onsite.inspection_amend(
        actor=cast.county,
        inspection=record,
        finding=f,
        values={"description": "排污许可证于 2020 年 3 月过期"},
        reason="笔误",
    )
    record.refresh_from_db()
    assert (
        record.original["findings"]["HF-01"]["description"] == "排污许可证过期仍在排污"
    )  # original kept
    assert Problem.objects.get(inspection=record).description == "排污许可证于 2020 年 3 月过期"
    assert record.events.filter(kind="amended").get().note == "笔误"


def test_same_day_submission_is_not_late(cast, planned):
    import time_machine

    # the visit starts at nine in the morning (Beijing) of the planned day, whenever the test runs
    morning = timezone.make_aware(dt.datetime.combine(planned.planned_on, dt.time(9)))
    with time_machine.travel(morning, tick=False):
        record = complete(cast, planned)
        record = onsite.inspection_submit(
            actor=cast.county, inspection=record, at=record.started_at + dt.timedelta(hours=3)
        )
    assert not record.is_late


def test_missing_signatures_and_problems_are_listed(cast, planned):
    onsite.inspection_start(actor=cast.county, inspection=planned)
    f = planned.findings.get(item__code="HF-01")
    onsite.finding_save(actor=cast.county, finding=f, values={"result": "problem"}, revision=0)
    with pytest.raises(ValidationError) as excinfo:
        onsite.inspection_submit(actor=cast.county, inspection=planned)
    text = " ".join(excinfo.value.messages)
    assert "HF-01 排污许可证：未填写问题描述" in text and "企业现场负责人未签名" in text
    assert "执法人员未签名" in text and "初步处理意见" in text


def test_stopped_production_is_postponed_never_done(cast, planned):
    with pytest.raises(ValidationError):
        onsite.inspection_postpone(
            actor=cast.county, inspection=planned, reason="停产", new_date=timezone.localdate()
        )
    new_date = timezone.localdate() + dt.timedelta(days=20)
    record = onsite.inspection_postpone(
        actor=cast.county,
        inspection=planned,
        reason="企业因检修停产，经核实停产日志",
        new_date=new_date,
    )
    assert record.status == "postponed" and record.planned_on == new_date
    assert not Inspection.objects.filter(status="submitted").exists()
    onsite.inspection_start(actor=cast.county, inspection=record)  # back on the new date
    assert Inspection.objects.get(pk=record.pk).status == "in_progress"


def test_record_page_marks_where_the_self_check_said_compliant(client, cast, planned):
    sc = stage1_services.self_check_open(
        actor=cast.enterprise_user, enterprise=cast.ent, campaign=planned.campaign
    )
    for a in sc.answers.all():
        stage1_services.self_check_save_answer(
            actor=cast.enterprise_user, answer=a, values={"result": "compliant"}
        )
    onsite.inspection_start(actor=cast.county, inspection=planned)
    f = planned.findings.get(item__code="HF-01")
    onsite.finding_save(
        actor=cast.county, finding=f, values={"result": "problem", "description": "x"}, revision=0
    )
    client.force_login(cast.county)
    page = client.get(reverse("inspections:inspection", args=[planned.pk])).content.decode()
    assert "企业自查：符合，检查发现问题" in page


def test_conflict_answer_over_http_and_pdf(client, cast, planned):
    record = complete(cast, planned)
    onsite.inspection_submit(actor=cast.county, inspection=record)
    client.force_login(cast.city)
    pdf = client.get(reverse("inspections:inspection-pdf", args=[record.pk]))
    from pypdf import PdfReader

    text = "".join(
        "".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf.content)).pages
    )
    assert (
        "一体化执法现场检查记录表" in text
        and "排污许可证过期仍在排污" in text
        and "41010520001" in text
    )
    client.force_login(cast.other_county)
    assert client.get(reverse("inspections:inspection", args=[record.pk])).status_code == 404


def test_finding_endpoint_returns_409_with_the_other_version(client, cast, planned):
    onsite.inspection_start(actor=cast.county, inspection=planned)
    f = planned.findings.first()
    onsite.finding_save(
        actor=User.objects.get(username="js2"), finding=f, values={"result": "na"}, revision=0
    )
    client.force_login(cast.county)
    # the page's script saves through the API with the browser's session
    response = client.post(
        reverse("api-finding-save", args=[f.pk]),
        {"revision": 0, "result": "ok"},
        content_type="application/json",
    )
    body = response.json()
    assert response.status_code == 409 and body["current"]["result"] == "na"
    assert body["current"]["updated_by"] == "测试js2" and body["current"]["revision"] == 1
    # a plain form post (no script) says so on the page and keeps the other version
    page = client.post(
        reverse("inspections:finding-save", args=[f.pk]),
        {f"f{f.pk}-revision": "0", f"f{f.pk}-result": "ok"},
        follow=True,
    )
    assert "已被其他检查人员修改" in page.content.decode()
    f.refresh_from_db()
    assert f.result == "na"


def test_plan_page_offers_key_units_first_and_matching_experts(client, cast):
    from campaign.models import Industry
    from tests.factories import EnterpriseFactory

    use_catalogue()
    EnterpriseFactory(county=region("410105"), name="甲普通厂")
    key = EnterpriseFactory(
        county=region("410105"), name="乙重点厂", is_key_unit=True, key_air=True
    )
    cast.expert.industries.add(Industry.objects.get(code="26"))
    UserFactory(
        username="js2",
        role="county",
        region=region("410105"),
        badge_no="41010520002",
        full_name="测试js2",
    )
    client.force_login(cast.county)
    page = client.get(
        reverse("inspections:inspection-plan"), {"enterprise": cast.ent.pk}
    ).content.decode()
    assert page.index("乙重点厂") < page.index("甲普通厂") and "【行业匹配】测试exp" in page
    assert "涧西测试化工有限公司" not in page
    second = User.objects.get(username="js2")
    response = client.post(
        reverse("inspections:inspection-plan"),
        {
            "enterprise": key.pk,
            "planned_on": "2020-05-20",
            "source": "special",
            "lead": cast.county.pk,
            "inspectors": [cast.county.pk],
        },
    )
    assert response.status_code == 400 and "至少由两名执法人员" in response.content.decode()
    response = client.post(
        reverse("inspections:inspection-plan"),
        {
            "enterprise": key.pk,
            "planned_on": "2020-05-20",
            "source": "special",
            "lead": cast.county.pk,
            "inspectors": [second.pk],
            "experts": [cast.expert.pk],
        },
    )
    import re

    errors = re.findall(r'class="error[s]?"[^>]*>(.*?)</', response.content.decode(), re.S)
    assert response.status_code == 302, errors
    planned = Inspection.objects.get(enterprise=key)
    assert set(planned.members.values_list("role", flat=True)) == {"lead", "inspector", "expert"}
    progress = client.get(reverse("inspections:inspections")).content.decode()
    assert "重点排污单位检查进度" in progress


WIDGET_MARKUP = """{{ form.revision }}{{ form.result }}
      <div class="field"><label for="{{ form.note.id_for_label }}">检查情况</label>{{ form.note }}</div>
      <div class="nc-fields form-grid">
        <div class="field"><label for="{{ form.description.id_for_label }}">问题描述</label>{{ form.description }}</div>
        <div class="field"><label for="{{ form.kind.id_for_label }}">问题类型</label>{{ form.kind }}</div>
        <div class="field"><label for="{{ form.severity.id_for_label }}">严重程度</label>{{ form.severity }}</div>
        <div class="field"><label for="{{ form.legal_basis.id_for_label }}">法律依据</label>{{ form.legal_basis }}</div>
        <div class="field"><label for="{{ form.sampling_numbers.id_for_label }}">采样编号</label>{{ form.sampling_numbers }}</div>
      </div>"""


@pytest.mark.parametrize(
    "values",
    [
        {},
        {"result": "ok", "note": "正常 <运行> & 记录"},
        {
            "result": "problem",
            "description": "超标排放\n第二行",
            "kind": "violation",
            "severity": "grave",
            "legal_basis": "《大气污染防治法》第九十九条",
            "sampling_numbers": 'S-01, S-"02"',
        },
    ],
)
def test_record_lines_are_written_as_the_form_would_render_them(cast, planned, values):
    """The record form writes its ~50 lines out by hand (speed); the markup is the form's own."""
    from django.template import Context, Template
    from django.template.loader import render_to_string
    from django.test.html import parse_html

    from inspections.forms.onsite import FindingForm

    onsite.inspection_start(actor=cast.county, inspection=planned)
    finding = planned.findings.first()
    for name, value in values.items():
        setattr(finding, name, value)
    finding.revision = 3
    form = FindingForm(instance=finding, prefix=f"f{finding.pk}", initial={"revision": 3})
    expected = Template(WIDGET_MARKUP).render(Context({"form": form}))
    written = render_to_string(
        "inspections/_finding_fields.html",
        {
            "f": finding,
            "result_choices": FindingForm.base_fields["result"].choices,
            "kind_choices": FindingForm.base_fields["kind"].choices,
            "severity_choices": FindingForm.base_fields["severity"].choices,
        },
    )
    assert parse_html(written) == parse_html(expected)


def test_a_line_wrongly_marked_is_corrected_after_locking_and_the_ledger_follows(
    client, cast, planned
):
    record = onsite.inspection_submit(actor=cast.county, inspection=complete(cast, planned))
    missed = record.findings.exclude(item__code="HF-01").select_related("item").first()
    assert missed.result == "ok"
    with pytest.raises(ValidationError, match="须填写完整"):
        onsite.inspection_amend(
            actor=cast.county,
            inspection=record,
            finding=missed,
            values={"result": "problem"},
            reason="漏记",
        )
    # through the page, as the lead does it: 未发现问题 → 发现问题 with the description
    client.force_login(cast.county)
    response = client.post(
        reverse("inspections:finding-amend", args=[missed.pk]),
        {
            "result": "problem",
            "severity": "minor",
            "description": "危废贮存场所未设置标识",
            "reason": "现场已发现，录入时误选“未发现问题”",
        },
    )
    assert response.status_code == 302
    added = Problem.objects.get(inspection=record, item=missed.item)
    assert added.status == "open" and added.description == "危废贮存场所未设置标识"
    assert added.found_at == record.started_at  # found on the day of the visit
    # the other way: a line wrongly marked 发现问题 leaves the ledger, with the reason
    wrong = record.findings.get(item__code="HF-01")
    onsite.inspection_amend(
        actor=cast.county,
        inspection=record,
        finding=wrong,
        values={"result": "ok"},
        reason="复核许可证在有效期内",
    )
    gone = Problem.objects.get(inspection=record, item=wrong.item)
    assert gone.status == "withdrawn"
    assert gone.events.latest("at").note == "现场检查记录更正：复核许可证在有效期内"
    assert record.original["findings"]["HF-01"]["result"] == "problem"  # original kept
    from inspections.filters import ProblemFilter

    listed = ProblemFilter({}, queryset=selectors.problem_list(user=cast.county)).qs
    assert list(listed) == [added]  # the ledger list, as the page shows it


def test_the_planned_place_names_city_and_county_once():
    from types import SimpleNamespace

    from inspections.services.onsite import full_address

    def unit(address):
        return SimpleNamespace(
            address=address,
            city=SimpleNamespace(name="郑州市"),
            county=SimpleNamespace(name="金水区"),
        )

    assert full_address(unit("郑州市金水区中原路257号")) == "郑州市金水区中原路257号"
    assert full_address(unit("金水区中原路1号")) == "郑州市金水区中原路1号"
    assert full_address(unit("中原路2号")) == "郑州市金水区中原路2号"
    assert full_address(unit("郑州市中原路9号")) == "郑州市金水区中原路9号"
