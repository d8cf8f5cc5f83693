"""Stage 1 API: catalogue, self-checks with pdf_url and region codes, filing and return, problems."""

import datetime as dt

from django.urls import reverse
from rest_framework.test import APIClient

from inspections.models import Problem
from inspections.services import selfcheck as services
from tests import org_factories
from tests.inspections.factories import use_catalogue


def api_for(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def submitted(cast, noncompliant=True):
    sc = services.self_check_open(
        actor=cast.enterprise_user, enterprise=cast.ent, campaign=org_factories.campaign()
    )
    services.self_check_save_header(
        actor=cast.enterprise_user,
        self_check=sc,
        values={
            "filler_name": "吴华",
            "filled_on": dt.date(2020, 4, 20),
            "env_manager": "吴华",
            "env_manager_phone": "0371-66309206",
            "declaration": True,
        },
    )
    for i, answer in enumerate(sc.answers.all()):
        values = {"result": "compliant"}
        if noncompliant and i == 0:
            values = {
                "result": "noncompliant",
                "problem": "问题",
                "measure": "措施",
                "deadline": dt.date(2020, 6, 1),
                "responsible": "吴华",
            }
        services.self_check_save_answer(actor=cast.enterprise_user, answer=answer, values=values)
    return services.self_check_submit(actor=cast.enterprise_user, self_check=sc)


def test_catalogue_api_filters_by_version(cast):
    use_catalogue()
    body = (
        api_for(cast.enterprise_user).get(reverse("check-item-list"), {"version": "test-v1"}).json()
    )
    assert body["count"] == 6 and {r["area"] for r in body["results"]} >= {"management", "legal"}


def test_file_through_the_api_then_problems_carry_region_codes(cast):
    use_catalogue()
    sc = submitted(cast)
    body = api_for(cast.enterprise_user).get(reverse("self-check-detail", args=[sc.pk])).json()
    assert (
        body["county_code"] == "410105" and body["city_code"] == "4101" and body["pdf_url"] is None
    )
    assert len(body["answers"]) == sc.answers.count()
    listed = api_for(cast.county).get(reverse("self-check-list")).json()["results"]
    assert [r["id"] for r in listed] == [sc.pk] and "answers" not in listed[0]
    url = reverse("api-self-check-file", args=[sc.pk])
    assert (
        api_for(cast.enterprise_user).post(url, {"confirm": True}, format="json").status_code == 403
    )
    assert api_for(cast.other_county).post(url, {"confirm": True}, format="json").status_code == 404
    response = api_for(cast.county).post(url, {}, format="json")
    assert response.status_code == 400 and "confirm" in response.json()
    response = api_for(cast.county).post(
        url, {"confirm": True, "comment": "同意备案"}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == "filed"
    assert response.json()["pdf_url"] == reverse("inspections:self-check-pdf", args=[sc.pk])
    problems = api_for(cast.city).get(reverse("problem-list")).json()
    assert problems["count"] == 1 and problems["results"][0]["self_found"] is True
    assert problems["results"][0]["county_code"] == "410105"
    assert api_for(cast.other_city).get(reverse("problem-list")).json()["count"] == 0
    assert Problem.objects.count() == 1


def test_return_through_the_api_needs_a_reason(cast):
    use_catalogue()
    sc = submitted(cast, noncompliant=False)
    url = reverse("api-self-check-return", args=[sc.pk])
    response = api_for(cast.county).post(url, {}, format="json")
    assert response.status_code == 400 and "退回原因" in str(response.json())
    response = api_for(cast.county).post(url, {"comment": "请补充"}, format="json")
    assert response.json()["status"] == "returned" and response.json()["review_comment"] == "请补充"
