"""Factories for tests; reference data (regions, industries) comes from the real fixtures."""

from __future__ import annotations

import random

import factory

from campaign.models import Industry, Region, User
from demo.credit_codes import make_credit_code
from enterprises.models import Enterprise

_rng = random.Random(7)
PASSWORD = "test-pass-2020"


def region(code: str, level: str = "county") -> Region:
    return Region.objects.get(code=code, level=level)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.LazyAttribute(lambda o: f"测试{o.username}")
    role = User.Role.COUNTY
    password = factory.django.Password(PASSWORD)


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    credit_code = factory.LazyAttribute(lambda o: make_credit_code(_rng, o.county.code))
    name = factory.Sequence(lambda n: f"测试化工有限公司{n:04d}")
    county = factory.LazyFunction(lambda: region("410105"))
    city = factory.LazyAttribute(lambda o: o.county.parent)
    address = "测试路 1 号"
    industry = factory.LazyFunction(lambda: Industry.objects.get(code="2614"))
    legal_representative = "张三"
    contact_phone = "13812345678"
