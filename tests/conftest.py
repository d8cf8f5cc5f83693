"""The shared cast and the rules for service-backed tests.

Service-backed tests (marker `service`) need PostgreSQL, Redis or a Celery
worker. Locally, without them, they are skipped; with REQUIRE_SERVICES=1
(CI) a missing service is a failure, never a skip.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest
from django.core.management import call_command

from campaign.models import Region, User
from enterprises.models import Enterprise
from tests import org_factories
from tests.factories import EnterpriseFactory, UserFactory, region

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_reference_data", verbosity=0)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files of a test go to its own folder, never into the working tree."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Cached counts and other cache entries never outlive the test (and its rolled-back rows)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def reference_data(db):
    """Regions and industries; loaded again after a transactional test has flushed the tables."""
    if not Region.objects.exists():
        call_command("load_reference_data", verbosity=0)


def need_service(available: bool, what: str) -> None:
    """Skip locally when a service is missing; fail in CI."""
    if available:
        return
    if REQUIRE_SERVICES:
        pytest.fail(f"{what} is required in CI (REQUIRE_SERVICES=1) but is not available")
    pytest.skip(f"{what} not configured")


def pytest_collection_modifyitems(config, items):
    os.environ.setdefault(
        "DJANGO_ALLOW_ASYNC_UNSAFE", "true"
    )  # Playwright's sync API beside Django


@dataclass
class Cast:
    admin: User
    province: User
    city: User  # 郑州市
    other_city: User  # 洛阳市
    county: User  # 金水区
    other_county: User  # 涧西区
    expert: User
    enterprise_user: User  # of `ent`
    other_enterprise_user: User  # of `other_ent`
    patrol: User
    ent: Enterprise  # in 金水区, 郑州市
    other_ent: Enterprise  # in 涧西区, 洛阳市

    def by_role(self) -> dict[str, User]:
        return {
            "admin": self.admin,
            "province": self.province,
            "city": self.city,
            "other_city": self.other_city,
            "county": self.county,
            "other_county": self.other_county,
            "expert": self.expert,
            "enterprise": self.enterprise_user,
            "other_enterprise": self.other_enterprise_user,
            "patrol": self.patrol,
        }


@pytest.fixture
def cast(reference_data) -> Cast:
    R = User.Role
    org_factories.campaign()  # the cast works inside the 2020 campaign
    ent = EnterpriseFactory(county=region("410105"), name="金水测试化工有限公司")
    other_ent = EnterpriseFactory(county=region("410305"), name="涧西测试化工有限公司")
    enterprise_user = UserFactory(username="ent-a", role=R.ENTERPRISE)
    other_enterprise_user = UserFactory(username="ent-b", role=R.ENTERPRISE)
    ent.users.add(enterprise_user)
    other_ent.users.add(other_enterprise_user)
    return Cast(
        admin=UserFactory(username="admin-a", role=R.ADMIN),
        province=UserFactory(username="prov", role=R.PROVINCE),
        city=UserFactory(username="zz", role=R.CITY, region=region("4101", "city")),
        other_city=UserFactory(username="ly", role=R.CITY, region=region("4103", "city")),
        county=UserFactory(
            username="js", role=R.COUNTY, region=region("410105"), badge_no="41010520001"
        ),
        other_county=UserFactory(username="jx", role=R.COUNTY, region=region("410305")),
        expert=UserFactory(username="exp", role=R.EXPERT),
        enterprise_user=enterprise_user,
        other_enterprise_user=other_enterprise_user,
        patrol=UserFactory(username="pat", role=R.PATROL),
        ent=ent,
        other_ent=other_ent,
    )


_skipped: list[str] = []


def pytest_runtest_logreport(report):
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    # In CI every test must really run: a skip there means a service or browser was missing.
    if REQUIRE_SERVICES and _skipped:
        print(f"\nREQUIRE_SERVICES=1 but {len(_skipped)} test(s) were skipped: {_skipped[:10]}")
        session.exitstatus = 1
