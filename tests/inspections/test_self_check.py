"""Stage 1: applicability, drafts, submission checks, filing/return, late marking, problems, versioning."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from campaign.models import StageWindow
from inspections import catalogue
from inspections.applicability import item_applies
from inspections.models import CheckItem, Problem, SelfCheck
from inspections.services import selfcheck as services
from tests import org_factories
from tests.inspections.factories import make_catalogue, use_catalogue

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 200


@pytest.fixture
def version(cast):
    return use_catalogue()


def fill_header(actor, sc):
    return services.self_check_save_header(
        actor=actor,
        self_check=sc,
        values={
            "filler_name": "吴华",
            "filled_on": dt.date(2020, 4, 20),
            "env_manager": "吴华",
            "env_manager_phone": "13812345678",
            "declaration": True,
        },
    )


def answer_all(actor, sc, result="compliant"):
    for answer in sc.answers.all():
        services.self_check_save_answer(actor=actor, answer=answer, values={"result": result})


def test_applicability_from_registry_data(cast, version):
    ent = cast.ent  # 2614 chemical, not key, no hazardous waste, no monitoring
    codes = {i.code for i in version.items.all() if item_applies(i, ent)}
    assert codes == {"GL-01", "HF-01", "SS-02"}
    ent.has_hazardous_waste = ent.auto_monitoring_installed = True
    ent.is_key_unit = ent.key_air = True
    assert {i.code for i in version.items.all() if item_applies(i, ent)} == {
        "GL-01",
        "HF-01",
        "SS-01",
        "SS-02",
        "SS-03",
        "YD-01",
    }
    ent.is_key_unit, ent.key_air, ent.key_water = True, False, True
    assert not item_applies(CheckItem.objects.get(version=version, code="YD-01"), ent)


def test_only_the_enterprises_own_user_fills(cast, version):
    campaign = org_factories.campaign()
    with pytest.raises(PermissionDenied):
        services.self_check_open(
            actor=cast.other_enterprise_user, enterprise=cast.ent, campaign=campaign
        )
    with pytest.raises(PermissionDenied):
        services.self_check_open(actor=cast.county, enterprise=cast.ent, campaign=campaign)
    sc = services.self_check_open(
        actor=cast.enterprise_user, enterprise=cast.ent, campaign=campaign
    )
    assert sorted(sc.answers.values_list("item__code", flat=True)) == ["GL-01", "HF-01", "SS-02"]
    assert (
        services.self_check_open(actor=cast.enterprise_user, enterprise=cast.ent, campaign=campaign)
        == sc
    )


def test_submission_lists_exactly_what_is_missing(cast, version):
    sc = services.self_check_open(
        actor=cast.enterprise_user, enterprise=cast.ent, campaign=org_factories.campaign()
    )
    hf = sc.answers.get(item__code="HF-01")
    services.self_check_save_answer(
        actor=cast.enterprise_user,
        answer=hf,
        values={"result": "noncompliant", "problem": "许可证过期"},
    )
    with pytest.raises(ValidationError) as excinfo:
        services.self_check_submit(actor=cast.enterprise_user, self_check=sc)
    missing = excinfo.value.messages
    assert "表头：未填写自查日期" in missing and "未勾选如实填报承诺" in missing
    assert "GL-01 环保责任制：未选择自查结果" in missing
    assert (
        "HF-01 排污许可证：未填写整改措施" in missing
        and "HF-01 排污许可证：未填写责任人" in missing
    )
    assert not any("许可证过期" in m or "未填写存在问题" in m for m in missing)
    assert SelfCheck.objects.get(pk=sc.pk).status == "draft"


def test_full_cycle_return_resubmit_file_and_problem(cast, version):
    campaign = org_factories.campaign()
    sc = services.self_check_open(
        actor=cast.enterprise_user, enterprise=cast.ent, campaign=campaign
    )
    fill_header(cast.enterprise_user, sc)
    answer_all(cast.enterprise_user, sc)
    hf = sc.answers.get(item__code="HF-01")
    services.self_check_save_answer(
        actor=cast.enterprise_user,
        answer=hf,
        values={
            "result": "noncompliant",
            "problem": "排污许可证已于 2020 年 3 月到期未延续",
            "measure": "申请延续",
            "deadline": dt.date(2020, 6, 30),
            "responsible": "吴华",
        },
    )
    photo = SimpleUploadedFile("许可证.png", PNG, content_type="image/png")
    evidence = services.self_check_add_evidence(actor=cast.enterprise_user, answer=hf, upload=photo)
    services.self_check_submit(actor=cast.enterprise_user, self_check=sc)
    with pytest.raises(ValidationError):  # a submitted table is not edited
        services.self_check_save_answer(
            actor=cast.enterprise_user, answer=hf, values={"result": "compliant"}
        )
    with pytest.raises(PermissionDenied):
        services.self_check_file(actor=cast.other_county, self_check=sc)
    with pytest.raises(ValidationError, match="退回原因"):
        services.self_check_return(actor=cast.county, self_check=sc, comment=" ")
    services.self_check_return(actor=cast.county, self_check=sc, comment="请补充整改措施的具体内容")
    assert SelfCheck.objects.get(pk=sc.pk).status == "returned" and not Problem.objects.exists()
    services.self_check_save_answer(
        actor=cast.enterprise_user,
        answer=hf,
        values={
            "result": "noncompliant",
            "problem": "排污许可证已于 2020 年 3 月到期未延续",
            "measure": "5 月 10 日前向市局提交延续申请",
            "deadline": dt.date(2020, 6, 30),
            "responsible": "吴华",
        },
    )
    services.self_check_submit(actor=cast.enterprise_user, self_check=sc)
    services.self_check_file(actor=cast.county, self_check=sc)
    sc = SelfCheck.objects.get(pk=sc.pk)
    assert sc.status == "filed" and sc.reviewed_by == cast.county
    submissions = list(sc.submissions.order_by("number"))
    assert [s.outcome for s in submissions] == ["returned", "filed"]
    assert (
        submissions[0].snapshot["answers"][1]["measure"] == "申请延续"
    )  # every version kept as it was
    problem = Problem.objects.get()
    assert problem.source == "self_check" and problem.self_found and problem.kind == "violation"
    assert problem.measure.startswith("5 月 10 日") and list(problem.evidence.all()) == [evidence]
    assert problem.enterprise == cast.ent and problem.item.code == "HF-01"
    services_file_again = pytest.raises(ValidationError)
    with services_file_again:
        services.self_check_file(actor=cast.county, self_check=sc)
    assert Problem.objects.count() == 1


def test_late_submission_is_accepted_and_marked(cast, version):
    campaign = org_factories.campaign()
    StageWindow.objects.filter(campaign=campaign, stage="self_check", city__isnull=True).update(
        starts_on=dt.date(2020, 4, 1), ends_on=dt.date(2020, 4, 30)
    )
    sc = services.self_check_open(
        actor=cast.enterprise_user, enterprise=cast.ent, campaign=campaign
    )
    fill_header(cast.enterprise_user, sc)
    answer_all(cast.enterprise_user, sc, result="na")
    sc = services.self_check_submit(
        actor=cast.enterprise_user,
        self_check=sc,
        at=timezone.make_aware(dt.datetime(2020, 5, 3, 9, 0)),
    )
    assert sc.status == "submitted" and sc.is_late and sc.submissions.get().is_late


def test_catalogue_versions_freeze(cast):
    version = make_catalogue("v-a")
    catalogue.catalogue_use_for_campaign(campaign=org_factories.campaign(), version=version)
    version.refresh_from_db()
    assert version.is_frozen
    copy = catalogue.catalogue_copy(source=version, code="v-b", name="修订版")
    assert copy.items.count() == version.items.count() and not copy.is_frozen
    with pytest.raises(ValidationError):
        catalogue.catalogue_use_for_campaign(campaign=org_factories.campaign(), version=copy)


def test_the_real_catalogue_covers_the_five_areas(db):
    version = catalogue.load_catalogue(code="fixture-check")
    areas = set(version.items.values_list("area", flat=True))
    assert version.items.count() >= 60
    assert areas == {"management", "legal", "facilities", "mobile", "other"}
    assert catalogue.load_catalogue(code="fixture-check").items.count() == version.items.count()


def test_pages_fill_submit_file_and_pdf(client, cast, version):
    campaign = org_factories.campaign()
    client.force_login(cast.enterprise_user)
    response = client.post(
        reverse("inspections:self-check-open", args=[cast.ent.pk]), {"campaign": campaign.year}
    )
    sc = SelfCheck.objects.get()
    assert response.status_code == 302
    for answer in sc.answers.all():
        # as the page's script saves an item: JSON to the API with the browser's session
        data = {"result": "compliant"}
        if answer.item.code == "GL-01":
            data = {
                "result": "noncompliant",
                "problem": "未建立环保责任制",
                "measure": "制定并发布环保责任制",
                "deadline": "2020-05-31",
                "responsible": "吴华",
            }
        response = client.post(
            reverse("api-answer-save", args=[answer.pk]), data, content_type="application/json"
        )
        assert response.status_code == 200 and response.json()["missing"] == []
    bad = client.post(
        reverse("api-answer-save", args=[sc.answers.first().pk]),
        {},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "请选择自查结果" in str(bad.json()["result"])
    response = client.post(reverse("inspections:self-check-submit", args=[sc.pk]))
    assert response.status_code == 400 and "未勾选如实填报承诺" in response.content.decode()
    client.post(
        reverse("inspections:self-check-header", args=[sc.pk]),
        {
            "filler_name": "吴华",
            "filled_on": "2020-04-20",
            "env_manager": "吴华",
            "env_manager_phone": "13812345678",
            "declaration": "on",
        },
    )
    assert client.post(reverse("inspections:self-check-submit", args=[sc.pk])).status_code == 302
    client.force_login(cast.county)
    assert client.post(reverse("inspections:self-check-file", args=[sc.pk]), {}).status_code == 400
    assert (
        client.post(
            reverse("inspections:self-check-file", args=[sc.pk]), {"confirm": "yes"}
        ).status_code
        == 302
    )
    problem = Problem.objects.get()
    assert "未建立环保责任制" in client.get(reverse("inspections:problems")).content.decode()
    pdf = client.get(reverse("inspections:self-check-pdf", args=[sc.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    text = "".join(text.split())  # the title is letter-spaced
    assert "排污单位自查情况表" in text and "未建立环保责任制" in text and cast.ent.name in text
    # out of scope: another county, another enterprise
    client.force_login(cast.other_county)
    assert client.get(reverse("inspections:self-check", args=[sc.pk])).status_code == 404
    assert client.get(reverse("inspections:problem", args=[problem.pk])).status_code == 404
    client.force_login(cast.other_enterprise_user)
    assert client.get(reverse("inspections:self-check-pdf", args=[sc.pk])).status_code == 404


def test_coverage_counts_are_scoped_and_right(client, cast, version):
    from tests.factories import EnterpriseFactory, region

    campaign = org_factories.campaign()
    EnterpriseFactory(county=region("410105"), is_key_unit=True, key_air=True, name="金水重点厂")
    EnterpriseFactory(county=region("410103"), name="二七某厂")
    sc = services.self_check_open(
        actor=cast.enterprise_user, enterprise=cast.ent, campaign=campaign
    )
    fill_header(cast.enterprise_user, sc)
    answer_all(cast.enterprise_user, sc)
    services.self_check_submit(
        actor=cast.enterprise_user, self_check=sc, at=timezone.make_aware(dt.datetime(2021, 1, 5))
    )
    rows = {
        r.region.code: r
        for r in __import__("inspections.selectors.selfcheck", fromlist=["x"]).coverage(
            user=cast.city, campaign=campaign
        )
    }
    assert set(rows) == {"410105", "410103"}  # 郑州 only: no 涧西 row for the city
    jinshui = rows["410105"]
    assert (jinshui.expected, jinshui.expected_key, jinshui.submitted, jinshui.not_submitted) == (
        2,
        1,
        1,
        1,
    )
    assert jinshui.counts["late"] == 1
    client.force_login(cast.city)
    page = client.get(reverse("inspections:coverage")).content.decode()
    total = page.split('data-testid="coverage-total">')[1].split("</tr>")[0]
    assert "<th>3（1/2）</th><th>1</th>" in total  # 金水 2 + 二七 1 expected, 1 submitted
    from tests.xlsx import rows as xlsx_rows

    sheet = [list(row) for row in xlsx_rows(client.get(reverse("inspections:coverage-export")))]
    assert sheet[0][:3] == ["市", "县（区）", "应自查"]
    # in code order: 二七 (410103), 金水 (410105), then the total
    assert [row[:6] for row in sheet[1:]] == [
        ["郑州市", "二七区", 1, 0, 1, 0],
        ["郑州市", "金水区", 2, 1, 1, 1],
        ["合计", None, 3, 1, 2, 1],
    ]
    client.force_login(cast.county)
    page = client.get(reverse("inspections:coverage")).content.decode()
    assert "金水区" in page and "二七区" not in page and "涧西区" not in page
    assert "coverage-total" not in page  # one row: no total to add
    sheet = xlsx_rows(client.get(reverse("inspections:coverage-export")))
    assert [row[1] for row in sheet[1:-1]] == ["金水区"]
    missing = client.get(reverse("inspections:missing")).content.decode()
    assert "金水重点厂" in missing and cast.ent.name not in missing and "二七某厂" not in missing


def test_gaps_link_to_their_items_in_the_forms_order_and_the_pdf_follows_it(client, cast):
    import re

    from inspections.models import Area, SelfCheck
    from tests.inspections import factories as stage1

    check = stage1.self_check(cast)
    SelfCheck.objects.filter(pk=check.pk).update(status="draft")
    check.answers.update(result="")
    client.force_login(cast.enterprise_user)
    response = client.post(reverse("inspections:self-check-submit", args=[check.pk]))
    page = response.content.decode()
    assert response.status_code == 400
    gaps = page[page.index('data-testid="missing"') :].split("</ul>")[0]
    anchors = re.findall(r'href="#item-(\d+)"', gaps)
    answers = {a.pk: a for a in check.answers.select_related("item")}
    assert anchors and all(int(pk) in answers for pk in anchors)
    areas = [Area.values.index(answers[int(pk)].item.area) for pk in anchors]
    assert areas == sorted(areas)  # the plan's order of areas, as the form shows them
    assert 'href="#header"' in gaps  # the header's gaps link to the header
    # the sections on the page follow the plan's order of the areas
    headings = re.findall(r'<div class="section-head"><h2>([^<]+)</h2>', page)
    labels = [label for label in Area.labels if label in headings]
    assert headings and headings == labels
    ordered = [a.item.area for a in check.answers.all()]
    assert [Area.values.index(a) for a in ordered] == sorted(Area.values.index(a) for a in ordered)
