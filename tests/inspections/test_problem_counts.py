"""问题统计: problems per county (or city) × area and status, in the user's reach only."""

import pytest
from django.urls import reverse
from django.utils import timezone

from campaign.models import Campaign
from inspections.models import Area
from inspections.selectors import ledger as selectors
from tests import org_factories
from tests.factories import EnterpriseFactory, region
from tests.inspections.factories import record_problem, use_catalogue
from tests.xlsx import read_xlsx, response_bytes


@pytest.fixture
def ledger(cast):
    """金水: 3 problems (2 legal, 1 facilities), 涧西: 1, 中原区 (郑州): 1, another campaign: 1."""
    version = use_catalogue()
    items = {i.code: i for i in version.items.all()}
    campaign = org_factories.campaign()
    zhongyuan = EnterpriseFactory(county=region("410102"))

    def add(enterprise, code, status=None, self_found=False, on=campaign):
        return record_problem(
            enterprise,
            items[code],
            campaign=on,
            status=status,
            self_found=self_found,
            kind="violation",
            description="统计用问题",
            found_by=cast.county,
        )

    add(cast.ent, "HF-01", self_found=True)  # 整改中
    confirmation = add(cast.ent, "HF-01")  # the inspection confirms it: counted once
    assert confirmation.status == "merged"
    add(cast.ent, "SS-01", status="closed")
    add(cast.ent, "GL-01")
    add(cast.other_ent, "GL-01")
    add(zhongyuan, "HF-01")
    last_year = Campaign.objects.create(
        year=2021,
        name="2021 年度测试行动",
        is_current=False,
        liaison_deadline=timezone.now(),
    )
    add(cast.ent, "GL-01", on=last_year)
    return campaign


def _figures(rows):
    return {
        r.region.name: (r.total, r.by_area.get("legal", 0), r.by_status.get("open", 0))
        for r in rows
    }


def test_counts_per_county_area_and_status(cast, ledger):
    rows, total = selectors.problem_counts(user=cast.province, campaign=ledger)
    assert _figures(rows) == {"金水区": (3, 1, 1), "中原区": (1, 1, 1), "涧西区": (1, 0, 1)}
    assert [r.region.code for r in rows] == sorted(r.region.code for r in rows)
    jinshui = next(r for r in rows if r.region.name == "金水区")
    assert jinshui.area_counts == [1, 1, 1, 0, 0]
    # open, handling, rectifying, verifying, closed: the confirmation is in none
    assert jinshui.status_counts == [1, 0, 1, 0, 1]
    assert jinshui.self_found == 1
    assert total.total == 5 and total.self_found == 1
    assert total.area_counts == [2, 2, 1, 0, 0]


def test_counts_by_city_and_in_reach_only(cast, ledger):
    rows, _ = selectors.problem_counts(user=cast.province, campaign=ledger, by="city")
    assert {r.region.name: r.total for r in rows} == {"郑州市": 4, "洛阳市": 1}
    rows, total = selectors.problem_counts(user=cast.city, campaign=ledger)
    assert _figures(rows) == {"金水区": (3, 1, 1), "中原区": (1, 1, 1)}
    assert total.total == 4
    rows, total = selectors.problem_counts(user=cast.county, campaign=ledger)
    assert _figures(rows) == {"金水区": (3, 1, 1)}
    rows, total = selectors.problem_counts(user=cast.enterprise_user, campaign=ledger)
    assert [r.region.name for r in rows] == ["金水区"] and total.total == 3
    rows, total = selectors.problem_counts(user=cast.patrol, campaign=ledger)
    assert rows == [] and total.total == 0


def test_page_export_and_the_figures_open_the_list(client, cast, ledger):
    client.force_login(cast.city)
    page = client.get(reverse("inspections:problem-counts")).content.decode()
    assert "金水区" in page and "中原区" in page and "涧西区" not in page
    # short headings (the table fits 1366 px), the plan's full name on hover
    assert f'<th title="{Area.LEGAL.label}">主体合法性</th>' in page
    link = f"{reverse('inspections:problems')}?campaign=2020&county=410105&area=legal"
    assert link in page
    query = {"campaign": "2020", "county": "410105", "area": "legal"}
    listed = client.get(reverse("inspections:problems"), query)
    assert listed.context["page"].paginator.count == 1  # the confirmation shows under it
    assert "仅显示：2020 年度，金水区，" + Area.LEGAL.label in listed.content.decode()
    # the total of a county opens exactly the problems it counts (not last year's)
    total = client.get(reverse("inspections:problems"), {"campaign": "2020", "county": "410105"})
    assert total.context["page"].paginator.count == 3
    by_city = client.get(reverse("inspections:problems"), {"city": "4101"})
    assert by_city.context["page"].paginator.count == 5  # this campaign's 4 and last year's

    response = client.get(reverse("inspections:problem-counts-export"), {"by": "city"})
    rows = read_xlsx(response_bytes(response))
    assert rows[0][:3] == ("市", "县（区）", Area.MANAGEMENT.label)
    assert rows[1][0] == "郑州市" and rows[1][7] == 4
    assert rows[-1][0] == "合计" and rows[-1][7] == 4
    assert len(rows) == 3


def test_ledger_export_writes_labels_and_stays_in_reach(client, cast, ledger):
    client.force_login(cast.city)
    rows = read_xlsx(response_bytes(client.get(reverse("inspections:problems-export"))))
    assert rows[0][:3] == ("单位名称", "市", "县（区）")
    body = rows[1:]
    assert len(body) == 5  # 郑州's four of this year and one of last year; none of 洛阳
    assert {r[1] for r in body} == {"郑州市"}
    assert {r[2] for r in body} == {"金水区", "中原区"}
    self_found = next(r for r in body if r[6] == "是")
    assert (self_found[5], self_found[7], self_found[12]) == ("企业自查", "环境违法", "整改中")
    assert all(r[8] == "一般" for r in body)
    assert all(len(r[13]) == 16 for r in body)  # 发现时间 as YYYY-MM-DD HH:MM, Beijing time


def test_the_page_its_export_and_the_api_take_the_same_filters(client, cast, ledger):
    client.force_login(cast.city)
    query = {"campaign": "2020", "county": "410105", "status": "closed"}
    page = client.get(reverse("inspections:problems"), query)
    assert page.context["page"].paginator.count == 1
    rows = read_xlsx(response_bytes(client.get(reverse("inspections:problems-export"), query)))
    assert len(rows) == 2  # the header and the one closed problem
    api = client.get("/api/v1/problems/", query).json()
    assert api["count"] == 1 and api["results"][0]["status"] == "closed"
    # a value the filter does not know narrows nothing away and breaks nothing
    assert client.get(reverse("inspections:problems"), {"status": "bogus"}).status_code == 200
