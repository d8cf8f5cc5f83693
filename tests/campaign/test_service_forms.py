"""The one form-view base: a service's refusal lands on the form, never as a server error."""

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse

from campaign.views import add_service_errors
from tests.enterprises.test_views import form_data
from tests.factories import region


class _Form(forms.Form):
    name = forms.CharField()


def test_a_service_error_on_a_shown_field_stays_beside_it_and_others_go_above():
    form = _Form({"name": "甲"})
    assert form.is_valid()
    add_service_errors(
        form, ValidationError({"name": "名称已被使用。", "county": "不在您的管辖范围内。"})
    )
    assert form.errors["name"] == ["名称已被使用。"]
    # the form has no county field: the message is shown above the form instead of a 500
    assert form.non_field_errors() == ["不在您的管辖范围内。"]
    plain = _Form({"name": "乙"})
    plain.is_valid()
    add_service_errors(plain, ValidationError("只能关联企业用户账号。"))
    assert plain.non_field_errors() == ["只能关联企业用户账号。"]


def test_a_refused_update_shows_the_reason_beside_the_field_with_what_was_typed(client, cast):
    client.force_login(cast.county)
    response = client.post(
        reverse("enterprises:update", args=[cast.ent.pk]),
        form_data(cast.ent, county=region("410305").pk, name="刚输入的名称"),
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors.get("county") and 'value="刚输入的名称"' in response.content.decode()
    cast.ent.refresh_from_db()
    assert cast.ent.name == "金水测试化工有限公司"
