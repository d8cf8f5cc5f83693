"""Widgets that write long choice lists themselves keep Django's markup."""


def test_quick_select_writes_what_select_renders(reference_data):
    """The long region lists are written in Python; the markup is Django's Select's own."""
    from django import forms
    from django.test.html import parse_html

    from campaign.models import Region
    from campaign.widgets import QuickSelect

    def field(widget):
        return forms.ModelChoiceField(
            queryset=Region.objects.filter(level="county").order_by("code"),
            to_field_name="code",
            widget=widget,
            label="区县",
        )

    class Plain(forms.Form):
        county = field(forms.Select)

    class Quick(forms.Form):
        county = field(QuickSelect)

    for data in ({}, {"county": "410105"}, {"county": "<none>"}):
        plain, quick = Plain(data or None), Quick(data or None)
        assert parse_html(str(quick["county"])) == parse_html(str(plain["county"]))
        assert "金水区" in str(quick["county"])
    assert 'value="410105" selected' in str(Quick({"county": "410105"})["county"])
