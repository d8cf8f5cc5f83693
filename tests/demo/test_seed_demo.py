"""The demo data: complete, idempotent, and never written with DEBUG off unless forced."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from campaign import access
from campaign.models import Campaign, Region, User
from enterprises.models import Enterprise


def test_seed_is_complete_and_idempotent(db):
    call_command("seed_demo", "--force", verbosity=0)
    counts = Enterprise.objects.count(), User.objects.count(), Campaign.objects.count()
    call_command("seed_demo", "--force", verbosity=0)
    assert (Enterprise.objects.count(), User.objects.count(), Campaign.objects.count()) == counts

    every_city = set(Region.objects.filter(level="city").values_list("pk", flat=True))
    assert set(Enterprise.objects.values_list("city_id", flat=True)) == every_city
    campaign = Campaign.objects.get(is_current=True)
    assert campaign.windows.filter(city__isnull=True).count() == 7
    assert list(
        campaign.windows.filter(city__isnull=False).values_list("city__code", flat=True)
    ) == ["4101"]
    for username in [
        "admin",
        "province",
        "zhengzhou",
        "luoyang",
        "jinshui",
        "jianxi",
        "expert",
        "patrol",
        "ent-zz",
        "ent-ly",
    ]:
        assert User.objects.get(username=username).check_password("demo-pass-2020")
    ent_zz = User.objects.get(username="ent-zz")
    assert list(ent_zz.enterprises.values_list("county__code", flat=True)) == ["410105"]
    ent_ly = User.objects.get(username="ent-ly")
    assert list(ent_ly.enterprises.values_list("county__code", flat=True)) == ["410305"]
    expert = User.objects.get(username="expert")
    assert access.visible(expert, Enterprise.objects.all()).count() == 1
    assert expert.industries.filter(code="26").exists()
    for enterprise in Enterprise.objects.all():
        enterprise.full_clean()  # valid credit codes, phones and key-unit rules


def test_seed_refuses_without_debug_unless_forced(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", verbosity=0)
