"""Synthetic data at the size of a real province, for benchmarks: `generate_scale --factor F`.

Factor 1 is Henan at the end of 2020 (facts.md §3.2): about 130,000 discharging units (20,000
permit holders and 106,000 registered small sources), 5,000 key units, each with a self-check,
50,000 inspections, about 250,000 problems, about 15,000 cases with their clocks, and a
rectification plan (一企一案) per unit with problems, an item per problem. Everything
is drawn from one seeded generator and written with bulk inserts (no signals, no audit rows: this
is not anyone's history).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import math
import random
import struct
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from campaign import counting
from campaign.models import Industry, PoolMembership, Region, User
from campaign.workdays import Due, WorkingCalendar, package_years
from cases import rules as case_rules
from cases.catalogue import load_violation_types
from cases.models import (
    CASE_PATHS,
    Case,
    CaseEvent,
    CasePause,
    CaseProblem,
    Classification,
    Deadline,
    Path,
    ViolationType,
)
from cases.services.case import STEPS
from cases.services.classification import suggest
from demo.campaign import campaign_2020
from demo.credit_codes import make_credit_code
from demo.names import GIVEN, SURNAMES, WORDS
from enterprises.models import Enterprise
from inspections.applicability import applicable_items
from inspections.catalogue import catalogue_use_for_campaign, load_catalogue
from inspections.models import (
    CheckItem,
    Evidence,
    Inspection,
    InspectionEvent,
    InspectionFinding,
    InspectionMember,
    Problem,
    ProblemEvent,
    SelfCheck,
    SelfCheckAnswer,
    SelfCheckEvent,
    SelfCheckSubmission,
)
from inspections.services.onsite import FINDING_FIELDS
from rectification.models import (
    ItemEvent,
    ItemEvidence,
    ItemMeasure,
    Milestone,
    RectificationItem,
    RectificationPlan,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
PASSWORD = "demo-pass-2020"
PREFIX = "scale-"  # every generated account starts with it

# sizes at factor 1
ENTERPRISES = 130_000
KEY_UNITS = 5_000
PERMIT_HOLDERS = 20_000
INSPECTIONS = 50_000
INSPECTORS_PER_COUNTY = 3
PROBLEMS_PER_INSPECTION = 5.8  # with the self-found ones, about 250,000 problems at factor 1
SELF_FOUND_PER_CHECK = 4
CASES = 15_000  # a year's cases in Henan's order of magnitude
SKILLED_PER_COUNTY = (
    2  # 执法能手 (stage 5): the first inspectors of every county, the first may lead
)
EXPERTS = 200  # the expert pool, each knowing one to three discharging industries
GUIDANCE_SHARE = 0.2  # of the management gaps and hazards: classified 行政指导
AS_OF = dt.date(2020, 12, 31)  # the cases' steps are dated up to the end of the campaign year
BATCH = 5_000

# divisions of GB/T 4754-2017 that discharge: husbandry, mining, manufacturing, utilities,
# environmental management, hospitals
DISCHARGING_DIVISIONS = {"03", *(f"{n:02d}" for n in range(6, 47)), "77", "84"}


class DatabaseNotEmpty(Exception):
    """The database already holds registry or case data: scale data is never mixed into it."""


@dataclass
class Summary:
    enterprises: int = 0
    key_units: int = 0
    users: int = 0
    self_checks: int = 0
    answers: int = 0
    inspections: int = 0
    findings: int = 0
    problems: int = 0
    cases: int = 0
    classifications: int = 0
    deadlines: int = 0
    plans: int = 0
    items: int = 0
    skilled: int = 0
    experts: int = 0


def holds_data() -> bool:
    """Anything beyond the reference data: registry, cases, a campaign, accounts, grants."""
    from django.conf import settings

    from campaign.models import AccessGrant, Campaign

    # django-guardian's anonymous user comes with every migrated database
    anonymous = getattr(settings, "ANONYMOUS_USER_NAME", "AnonymousUser")
    people = User.objects.exclude(is_superuser=True).exclude(username=anonymous)
    return people.exists() or any(
        model.objects.exists()
        for model in (Enterprise, SelfCheck, Inspection, Problem, Case, Campaign, AccessGrant)
    )


def generate(
    *, factor: float, seed: int = 2020, log: Callable[[str], None] = lambda _m: None
) -> Summary:
    if holds_data():
        raise DatabaseNotEmpty
    summary = _Generator(factor, seed, log).run()
    counting.forget_all()  # rows written past Django's connection wrappers: no cached count holds
    return summary


def _name(rng: random.Random, size: int = 3) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(size - 1))


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


def _signature_png(rng: random.Random) -> str:
    """A hand-drawn-looking stroke as a PNG data URL, the size of a real pad signature."""
    width, height = 300, 100
    rows = [bytearray(b"\xff" * width) for _ in range(height)]
    phase, amplitude = rng.random() * 6, 20 + rng.random() * 15
    for x in range(10, width - 10):
        y = int(height / 2 + amplitude * math.sin(x / 17 + phase) * math.cos(x / 41))
        for dy in (-1, 0, 1):
            rows[max(0, min(height - 1, y + dy))][x] = 0
    raw = b"".join(b"\x00" + bytes(row) for row in rows)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )
    return "data:image/png;base64," + base64.b64encode(png).decode()


def _insert(model, rows: list[dict], *, returning: bool = False) -> list[int]:
    """Plain multi-row INSERTs of ready column values; the new ids, in order, if `returning`.

    At this size bulk_create spends most of its time building and compiling model instances
    (4-5× slower). Columns the rows leave out take the model field's default (or NULL, or "").
    """
    if not rows:
        return []
    meta, ops = model._meta, connection.ops
    names = list(rows[0])
    # columns the rows leave out take the model's default, so a field added later (with a
    # default, blank or null) does not break the generator
    given = {meta.get_field(n).attname for n in names}
    defaults = {}
    for field in meta.concrete_fields:
        if field.primary_key or field.attname in given:
            continue
        if field.has_default():
            defaults[field.attname] = field.get_default()
        elif field.null:
            defaults[field.attname] = None
        elif field.empty_strings_allowed:
            defaults[field.attname] = ""
        else:
            raise ValueError(f"{meta.label}.{field.name} has no default: the rows must name it")
    columns = ", ".join(ops.quote_name(meta.get_field(n).column) for n in [*names, *defaults])
    table = ops.quote_name(meta.db_table)

    def adapt(value):
        if isinstance(value, dt.datetime):
            return ops.adapt_datetimefield_value(value)
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, dict | list):
            return json.dumps(value, ensure_ascii=False)
        if isinstance(value, Decimal):
            return str(value)
        return value

    rest = tuple(adapt(value) for value in defaults.values())
    values = [tuple(adapt(row[n]) for n in names) + rest for row in rows]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            from psycopg2.extras import execute_values

            sql = f"INSERT INTO {table} ({columns}) VALUES %s"
            if not returning:
                execute_values(cursor.cursor, sql, values, page_size=2000)
                return []
            # one page: PostgreSQL returns the ids in the order of the VALUES list
            found = execute_values(
                cursor.cursor, sql + " RETURNING id", values, page_size=len(values), fetch=True
            )
            return [row[0] for row in found]
        marks = ", ".join(["%s"] * (len(names) + len(rest)))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
        if not returning:
            cursor.executemany(sql, values)
            return []
        ids = []
        for value in values:
            cursor.execute(sql, value)
            ids.append(cursor.lastrowid)
        return ids


def _batches(items: Iterator, size: int = BATCH) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


class _Generator:
    def __init__(self, factor: float, seed: int, log: Callable[[str], None]):
        self.factor, self.rng, self.log, self.seed = factor, random.Random(seed), log, seed
        self.summary = Summary()
        self.password = make_password(PASSWORD)

    def n(self, base: int) -> int:
        return max(1, round(base * self.factor))

    def run(self) -> Summary:
        self.campaign = campaign_2020()
        version = load_catalogue()
        catalogue_use_for_campaign(campaign=self.campaign, version=version)
        self.version = version
        self.items = list(CheckItem.objects.filter(version=version).order_by("area", "order"))
        self.codes = {item.pk: item.code for item in self.items}
        self.kinds = {item.pk: item.problem_kind or "violation" for item in self.items}
        self.counties = list(
            Region.objects.filter(level=Region.Level.COUNTY, kind=Region.Kind.DIVISION).order_by(
                "code"
            )
        )
        self.industries = [
            i
            for i in Industry.objects.filter(level=Industry.Level.CLASS).order_by("code")
            if i.code[:2] in DISCHARGING_DIVISIONS
        ]
        with transaction.atomic():
            self._users()
            self._enterprises()
        with transaction.atomic():
            self._self_checks()
        with transaction.atomic():
            self._inspections()
        with transaction.atomic():
            self._merge_confirmations()
        with transaction.atomic():
            self._cases()
        with transaction.atomic():
            self._first_events()
        # after the first events: the problems it moves get their step, naming the item
        _Rectification(self.campaign, self.inspectors, self.summary, self.seed, self.log).run()
        with transaction.atomic():
            _pools(self.campaign, self.inspectors, self.summary, self.seed, self.password)
        self.log(f"执法能手 {self.summary.skilled} 人，专家 {self.summary.experts} 人")
        return self.summary

    def _merge_confirmations(self) -> None:
        """A unit inspected twice on one item has one primary problem: the later findings become
        its confirmations, as the ledger service would have recorded them."""
        table = connection.ops.quote_name(Problem._meta.db_table)
        same = (
            f"SELECT MIN(p2.id) FROM {table} p2 WHERE p2.campaign_id = {table}.campaign_id "
            f"AND p2.enterprise_id = {table}.enterprise_id AND p2.item_id = {table}.item_id "
            "AND p2.primary_id IS NULL AND p2.status IN ('open', 'rectifying')"
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET status = 'merged', primary_id = ({same}) "
                "WHERE primary_id IS NULL AND status IN ('open', 'rectifying') "
                f"AND id > ({same})"
            )

    def _first_events(self) -> None:
        """Each problem's and self-check's history starts with one event in its present status
        (the generated rows are a snapshot, not replayed steps): "as of" reads need a start."""
        with connection.cursor() as cursor:
            for event, parent, column, at in (
                (ProblemEvent, Problem, "problem_id", "recorded_at"),
                (SelfCheckEvent, SelfCheck, "self_check_id", "created_at"),
            ):
                cursor.execute(
                    f"INSERT INTO {event._meta.db_table} "
                    f"({column}, from_status, to_status, at, note) "
                    f"SELECT id, '', status, {at}, '' FROM {parent._meta.db_table}"
                )
        counting.forget_all()

    # --- accounts -------------------------------------------------------------------
    def _user(
        self, username: str, role: str, region: Region | None, unit: str, badge: str = ""
    ) -> User:
        return User(
            username=username,
            password=self.password,
            role=role,
            region=region,
            full_name=_name(self.rng),
            unit=unit,
            badge_no=badge,
        )

    def _users(self) -> None:
        cities = {c.pk: c for c in Region.objects.filter(level=Region.Level.CITY)}
        users = [self._user(f"{PREFIX}province", User.Role.PROVINCE, None, "省生态环境执法监督局")]
        users += [
            self._user(f"{PREFIX}city-{c.code}", User.Role.CITY, c, f"{c.name}生态环境局 执法支队")
            for c in cities.values()
        ]
        for county in self.counties:
            users += [
                self._user(
                    f"{PREFIX}county-{county.code}-{i}",
                    User.Role.COUNTY,
                    county,
                    f"{cities[county.parent_id].name}生态环境局{county.name}分局",
                    # 执法证号: a case is filed only with two certified investigators
                    badge=f"{county.code}2{i:04d}",
                )
                for i in range(1, INSPECTORS_PER_COUNTY + 1)
            ]
        User.objects.bulk_create(users, batch_size=BATCH)
        self.inspectors: dict[int, list[User]] = {}
        for user in User.objects.filter(username__startswith=f"{PREFIX}county-").order_by("pk"):
            self.inspectors.setdefault(user.region_id, []).append(user)
        self.summary.users += len(users)
        self.log(f"账号 {len(users)} 个")

    # --- the registry ------------------------------------------------------------------
    def _enterprises(self) -> None:
        rng, total = self.rng, self.n(ENTERPRISES)
        weights = [0.4 + rng.random() * 1.2 for _ in self.counties]
        counties = rng.choices(self.counties, weights=weights, k=total)
        key_flags = [True] * self.n(KEY_UNITS) + [False] * (total - self.n(KEY_UNITS))
        rng.shuffle(key_flags)
        holders = self.n(PERMIT_HOLDERS) - self.n(KEY_UNITS)
        codes: set[str] = set()

        now = timezone.now()

        def build(index: int) -> dict:
            county, is_key = counties[index], key_flags[index]
            while (code := make_credit_code(rng, county.code)) in codes:
                pass
            codes.add(code)
            industry = rng.choice(self.industries)
            division = industry.code[:2]
            if is_key:
                permit = "key"
            else:
                permit = "simplified" if rng.random() < holders / total else "registration"
            installed = is_key and rng.random() < 0.8
            return dict(
                credit_code=code,
                name=f"{county.name[:2]}{rng.choice(WORDS)}{industry.name[:8]}有限公司",
                county_id=county.pk,
                city_id=county.parent_id,
                address=f"{county.name}{rng.choice(WORDS)}路{rng.randint(1, 399)}号",
                longitude=Decimal("113.6") + Decimal(rng.randint(-250000, 250000)) / 100000,
                latitude=Decimal("33.9") + Decimal(rng.randint(-200000, 200000)) / 100000,
                industry_id=industry.pk,
                is_key_unit=is_key,
                key_water=is_key and rng.random() < 0.5,
                key_air=is_key and rng.random() < 0.6,
                key_soil=is_key and rng.random() < 0.2,
                key_noise=is_key and rng.random() < 0.1,
                key_risk=is_key and rng.random() < 0.3,
                in_yellow_river_basin=rng.random() < 0.3,
                in_census=rng.random() < 0.8,
                permit_class=permit,
                has_hazardous_waste=division in {"25", "26", "27", "32", "33", "77", "84"},
                has_tailings_pond=division in {"08", "09", "32"} and rng.random() < 0.3,
                has_radiation=division in {"27", "84"} and rng.random() < 0.3,
                permit_no=f"{code}001{'P' if permit != 'registration' else 'W'}",
                permit_valid_until=dt.date(2021 + rng.randint(0, 4), rng.randint(1, 12), 28),
                auto_monitoring_installed=installed,
                auto_monitoring_connected=installed and rng.random() < 0.9,
                legal_representative=_name(rng),
                contact_person=_name(rng, 2),
                contact_phone=f"13{rng.randint(5, 9)}{rng.randint(10000000, 99999999)}",
                created_at=now,
                updated_at=now,
            )

        for batch in _batches(build(i) for i in range(total)):
            _insert(Enterprise, batch)
        self.summary.enterprises = total
        self.summary.key_units = self.n(KEY_UNITS)
        self.log(f"排污单位 {total} 家，其中重点排污单位 {self.n(KEY_UNITS)} 家")

    def _profile_items(self, enterprise: Enterprise, cache: dict) -> list[CheckItem]:
        """Applicable items depend on a few registry fields only: compute once per profile."""
        key = (
            enterprise.industry.code,
            enterprise.is_key_unit,
            enterprise.key_water,
            enterprise.key_air,
            enterprise.key_soil,
            enterprise.key_noise,
            enterprise.key_risk,
            enterprise.has_hazardous_waste,
            enterprise.auto_monitoring_installed,
            enterprise.has_tailings_pond,
            enterprise.has_radiation,
            enterprise.permit_class,
        )
        if key not in cache:
            cache[key] = applicable_items(self.items, enterprise)
        return cache[key]

    # --- stage 1: a self-check per key unit ------------------------------------------------
    def _self_checks(self) -> None:
        rng, cache, now = self.rng, {}, timezone.now()
        units = list(
            Enterprise.objects.filter(is_key_unit=True).select_related("industry").order_by("pk")
        )
        owners = [
            User(
                username=f"{PREFIX}ent-{unit.pk}",
                password=self.password,
                role=User.Role.ENTERPRISE,
                full_name=unit.contact_person,
                unit=f"{unit.name} 环保负责人",
            )
            for unit in units
        ]
        User.objects.bulk_create(owners, batch_size=BATCH)
        _insert(
            Enterprise.users.through,
            [
                {"enterprise_id": unit.pk, "user_id": owner.pk}
                for unit, owner in zip(units, owners, strict=True)
            ],
        )
        self.summary.users += len(owners)
        S = SelfCheck.Status
        for chunk in _batches(zip(units, owners, strict=True), 1_000):
            checks = []
            for unit, owner in chunk:
                status = rng.choices(
                    [S.FILED, S.SUBMITTED, S.RETURNED, S.DRAFT], weights=[70, 15, 5, 10]
                )[0]
                day = dt.date(2020, 4, 1) + dt.timedelta(days=rng.randint(0, 36))
                submitted = status != S.DRAFT
                reviewed = status in (S.FILED, S.RETURNED)
                reviewer = rng.choice(self.inspectors[unit.county_id])
                check = SelfCheck(
                    campaign=self.campaign,
                    enterprise_id=unit.pk,
                    county_id=unit.county_id,
                    city_id=unit.city_id,
                    version=self.version,
                    status=status,
                    filler_name=owner.full_name,
                    filled_on=day,
                    env_manager=unit.contact_person,
                    env_manager_phone=unit.contact_phone,
                    declaration=submitted,
                    submitted_at=_at(day, 16) if submitted else None,
                    is_late=submitted and day > dt.date(2020, 4, 30),
                    reviewed_at=_at(day + dt.timedelta(days=3), 10) if reviewed else None,
                    reviewed_by=reviewer if reviewed else None,
                    review_comment="材料齐全，予以备案。"
                    if status == S.FILED
                    else ("整改措施过于笼统，请重新提交。" if reviewed else ""),
                )
                check.unit, check.owner = unit, owner
                checks.append(check)
            SelfCheck.objects.bulk_create(checks)
            answers, submissions = [], []
            for check in checks:
                lines = []
                for item in self._profile_items(check.unit, cache):
                    result = rng.choices(["compliant", "noncompliant", "na"], [88, 7, 5])[0]
                    if check.status == S.DRAFT and rng.random() < 0.5:
                        result = ""
                    bad = result == "noncompliant"
                    lines.append(
                        {
                            "self_check_id": check.pk,
                            "item_id": item.pk,
                            "result": result,
                            "problem": f"{item.title}：存在不足，正在整改。" if bad else "",
                            "measure": "制定整改方案，明确专人负责，按期完成并报县局备案。"
                            if bad
                            else "",
                            "deadline": dt.date(2020, 7, 31) if bad else None,
                            "responsible": check.unit.legal_representative if bad else "",
                            "updated_at": now,
                        }
                    )
                answers += lines
                if check.status == S.DRAFT:
                    continue
                snapshot = {
                    "header": {
                        "filler_name": check.filler_name,
                        "filled_on": str(check.filled_on),
                        "env_manager": check.env_manager,
                        "env_manager_phone": check.env_manager_phone,
                    },
                    "answers": [
                        {
                            "item": self.codes[a["item_id"]],
                            "result": a["result"],
                            "problem": a["problem"],
                            "measure": a["measure"],
                            "deadline": str(a["deadline"] or ""),
                            "responsible": a["responsible"],
                            "evidence": [],
                        }
                        for a in lines
                    ],
                }
                outcome = {S.FILED: "filed", S.RETURNED: "returned"}.get(check.status, "")
                submissions.append(
                    SelfCheckSubmission(
                        self_check=check,
                        number=1,
                        snapshot=snapshot,
                        submitted_at=check.submitted_at,
                        submitted_by=check.owner,
                        is_late=check.is_late,
                        outcome=outcome,
                        reviewed_at=check.reviewed_at,
                        reviewed_by=check.reviewed_by,
                        comment=check.review_comment,
                    )
                )
            for batch in _batches(iter(answers)):
                _insert(SelfCheckAnswer, batch)
            SelfCheckSubmission.objects.bulk_create(submissions, batch_size=BATCH)
            # 备案 puts every 不符合 item of a filed table into the ledger as a self-found problem
            filed = {c.pk: c for c in checks if c.status == S.FILED}
            problems = []
            for answer in SelfCheckAnswer.objects.filter(
                self_check__in=list(filed), result="noncompliant"
            ).values("pk", "self_check_id", "item_id", "problem", "measure", "deadline"):
                check = filed[answer["self_check_id"]]
                problems.append(
                    {
                        **self._problem_defaults(now),
                        "enterprise_id": check.enterprise_id,
                        "county_id": check.unit.county_id,
                        "city_id": check.unit.city_id,
                        "item_id": answer["item_id"],
                        "source": Problem.Source.SELF_CHECK,
                        "self_found": True,
                        "kind": self.kinds[answer["item_id"]],
                        "description": answer["problem"],
                        "measure": answer["measure"],
                        "deadline": answer["deadline"],
                        "responsible": check.unit.legal_representative,
                        "found_by_id": check.owner.pk,
                        "found_at": check.submitted_at,
                        "self_check_answer_id": answer["pk"],
                        "status": Problem.Status.RECTIFYING,
                    }
                )
            _insert(Problem, problems)
            self.summary.self_checks += len(checks)
            self.summary.answers += len(answers)
            self.summary.problems += len(problems)
        self.log(
            f"自查表 {self.summary.self_checks} 份，自查项 {self.summary.answers} 条，"
            f"自查发现问题 {self.summary.problems} 个"
        )

    def _problem_defaults(self, now: dt.datetime) -> dict:
        return {
            "campaign_id": self.campaign.pk,
            "self_found": False,
            "severity": Problem.Severity.MINOR,
            "measure": "",
            "deadline": None,
            "responsible": "",
            "recorded_at": now,
            "self_check_answer_id": None,
            "inspection_id": None,
            "legal_basis": "",
            "sampling_numbers": "",
            "primary_id": None,
        }

    # --- stage 2: inspections, their record forms and the problems they found -------------
    def _inspections(self) -> None:
        rng, cache, now = self.rng, {}, timezone.now()
        total = self.n(INSPECTIONS)
        key_ids = list(
            Enterprise.objects.filter(is_key_unit=True).order_by("pk").values_list("pk", flat=True)
        )
        other_ids = list(
            Enterprise.objects.filter(is_key_unit=False).order_by("pk").values_list("pk", flat=True)
        )
        # every key unit at least once (the plan's 全覆盖), the rest drawn at random (双随机)
        targets = key_ids + rng.sample(key_ids, min(len(key_ids), total // 10))
        targets += rng.sample(other_ids, max(0, min(len(other_ids), total - len(targets))))
        targets = targets[:total]
        rng.shuffle(targets)
        self_found = dict(
            (
                ((e, i), pk)
                for pk, e, i in Problem.objects.filter(self_found=True).values_list(
                    "pk", "enterprise_id", "item_id"
                )
            )
        )
        signatures = [_signature_png(rng) for _ in range(20)]
        I = Inspection.Status  # noqa: E741
        for chunk in _batches(iter(targets), 1_000):
            units = Enterprise.objects.select_related("industry").in_bulk(chunk)
            inspections = []
            for pk in chunk:
                unit = units[pk]
                status = rng.choices(
                    [I.SUBMITTED, I.IN_PROGRESS, I.PLANNED, I.POSTPONED], weights=[80, 3, 14, 3]
                )[0]
                day = dt.date(2020, 4, 20) + dt.timedelta(days=rng.randint(0, 56))
                lead, member = rng.sample(self.inspectors[unit.county_id], 2)
                started = status in (I.SUBMITTED, I.IN_PROGRESS)
                submitted = status == I.SUBMITTED
                inspection = Inspection(
                    campaign=self.campaign,
                    enterprise_id=pk,
                    county_id=unit.county_id,
                    city_id=unit.city_id,
                    version=self.version,
                    source=rng.choices(
                        ["double_random", "special", "complaint", "petition"], [60, 30, 7, 3]
                    )[0],
                    planned_on=day,
                    status=status,
                    started_at=_at(day, 9, rng.randint(0, 59)) if started else None,
                    ended_at=_at(day, 11, rng.randint(0, 59)) if submitted else None,
                    place=unit.address if started else "",
                    recorder=member if started else None,
                    representative_name=unit.contact_person if submitted else "",
                    representative_position="环保负责人" if submitted else "",
                    representative_statement="对检查记录无异议。" if submitted else "",
                    representative_signature=rng.choice(signatures) if submitted else "",
                    representative_signed_at=_at(day, 11, 30) if submitted else None,
                    created_by=lead,
                )
                inspection.unit, inspection.lead, inspection.member = unit, lead, member
                inspection.lines = self._findings(inspection, cache, now)
                if submitted:
                    self._submitted(inspection)
                inspections.append(inspection)
            Inspection.objects.bulk_create(inspections)
            members, events, findings, problems = [], [], [], []
            for inspection in inspections:
                submitted = inspection.status == I.SUBMITTED
                lead = inspection.lead
                for user, role in ((lead, "lead"), (inspection.member, "inspector")):
                    members.append(
                        {
                            "inspection_id": inspection.pk,
                            "user_id": user.pk,
                            "role": role,
                            "signature": rng.choice(signatures) if submitted else "",
                            "signed_at": inspection.representative_signed_at,
                        }
                    )
                steps = [("planned", "planned")]
                if inspection.status == I.POSTPONED:
                    steps.append(("postponed", "postponed"))
                if inspection.started_at:
                    steps.append(("started", "in_progress"))
                if submitted:
                    steps.append(("submitted", "submitted"))
                events += [
                    {
                        "inspection_id": inspection.pk,
                        "kind": kind,
                        "from_status": steps[n - 1][1] if n else "",
                        "to_status": status,
                        "note": "企业停产" if kind == "postponed" else "",
                        "changes": {},
                        "by_id": lead.pk,
                        "at": now,
                    }
                    for n, (kind, status) in enumerate(steps)
                ]
                for line in inspection.lines:
                    line["inspection_id"] = inspection.pk
                    findings.append(line)
                    if not submitted or line["result"] != "problem":
                        continue
                    primary = self_found.get((inspection.enterprise_id, line["item_id"]))
                    problems.append(
                        {
                            **self._problem_defaults(now),
                            "enterprise_id": inspection.enterprise_id,
                            "county_id": inspection.unit.county_id,
                            "city_id": inspection.unit.city_id,
                            "item_id": line["item_id"],
                            "source": Problem.Source.INSPECTION,
                            "kind": line["kind"],
                            "severity": line["severity"],
                            "description": line["description"],
                            "legal_basis": line["legal_basis"],
                            "found_by_id": lead.pk,
                            "found_at": inspection.started_at,
                            "inspection_id": inspection.pk,
                            # an inspection confirming a self-found problem is not a second one
                            "primary_id": primary,
                            "status": "merged"
                            if primary
                            else rng.choices(["open", "rectifying", "closed"], [50, 35, 15])[0],
                        }
                    )
            _insert(InspectionMember, members)
            _insert(InspectionEvent, events)
            for batch in _batches(iter(findings)):
                _insert(InspectionFinding, batch)
            for batch in _batches(iter(problems)):
                _insert(Problem, batch)
            self.summary.inspections += len(inspections)
            self.summary.findings += len(findings)
            self.summary.problems += len(problems)
            if self.summary.inspections % 10_000 < 1_000 or self.summary.inspections == total:
                self.log(
                    f"现场检查 {self.summary.inspections}/{total}，"
                    f"检查项目结果 {self.summary.findings} 条，问题累计 {self.summary.problems} 个"
                )

    def _findings(self, inspection: Inspection, cache: dict, now: dt.datetime) -> list[dict]:
        """The record form's lines: every applicable item, a few of them problems."""
        if inspection.started_at is None:
            return []
        rng = self.rng
        items = self._profile_items(inspection.unit, cache)
        wanted = min(len(items), max(0, round(rng.gauss(PROBLEMS_PER_INSPECTION, 2))))
        problem_items = set(rng.sample(range(len(items)), wanted))
        lines = []
        for index, item in enumerate(items):
            line = {
                "item_id": item.pk,
                "result": rng.choices(["ok", "na"], [92, 8])[0],
                "note": "",
                "description": "",
                "kind": "",
                "severity": "",
                "legal_basis": "",
                "sampling_numbers": "",
                "revision": 1,
                "updated_by_id": inspection.member.pk,
                "updated_at": now,
            }
            if index in problem_items:
                line.update(
                    result="problem",
                    description=f"{item.title}：现场检查发现不符合要求。",
                    kind=item.problem_kind or "violation",
                    severity=rng.choices(["minor", "serious", "grave"], [70, 25, 5])[0],
                    legal_basis=item.legal_basis,
                    note="现场查看并拍照取证。",
                )
            if inspection.status == Inspection.Status.IN_PROGRESS and rng.random() < 0.4:
                line["result"] = ""
            lines.append(line)
        return lines

    def _submitted(self, inspection: Inspection) -> None:
        """What submitting fills in: the summary, the suggestion and the frozen original."""
        lines = inspection.lines
        inspection.summary = "；".join(f["description"] for f in lines if f["description"])[:2000]
        inspection.suggestion = "correct" if inspection.summary else "none"
        inspection.submitted_at = _at(inspection.started_at.date(), 17)
        inspection.submitted_by = inspection.lead
        inspection.original = {
            "header": {
                "started_at": inspection.started_at.isoformat(),
                "ended_at": inspection.ended_at.isoformat(),
                "place": inspection.place,
                "recorder": inspection.member.pk,
                "representative_name": inspection.representative_name,
                "representative_position": inspection.representative_position,
                "representative_statement": inspection.representative_statement,
                "summary": inspection.summary,
                "suggestion": inspection.suggestion,
            },
            "findings": {
                self.codes[f["item_id"]]: {name: f[name] for name in FINDING_FIELDS} for f in lines
            },
        }

    # --- stage 3: classification, cases and their clocks --------------------------------------
    def _cases(self) -> None:
        """About 15,000 cases of the campaign's violations, each on one primary problem, at every
        step of the procedure as of the end of 2020, with the events of the steps taken, the
        pauses, and every clock computed on the working calendar as `cases.clocks` computes it;
        and a share of the management gaps and hazards classified 行政指导."""
        rng = self.rng
        load_violation_types()
        self.vtypes = self._violation_types()
        self.calendar = _quick(WorkingCalendar())
        self.today = timezone.localdate()  # an open pause runs up to today, as the clocks count
        self.rule_set = case_rules.BY_KEY["2010"]  # 行政处罚法 2017 + 令8号: the 2020 campaign's
        S = Case.Status
        open_statuses = [Problem.Status.OPEN, Problem.Status.RECTIFYING]
        candidates = list(
            Problem.objects.filter(
                campaign=self.campaign,
                primary__isnull=True,
                kind="violation",
                status__in=open_statuses,
            )
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        chosen = sorted(rng.sample(candidates, min(len(candidates), self.n(CASES))))
        del candidates
        # every step and branch at least once, then as a province's cases stand at the year's end
        weights = {
            S.FILING: 2,
            S.NOT_FILED: 4,
            S.INVESTIGATING: 7,
            S.SUSPENDED: 2,
            S.REVIEWING: 5,
            S.LEGAL_REVIEW: 2,
            S.NOTIFIED: 5,
            S.HEARING: 1,
            S.DISCUSSION: 2,
            S.DECIDED: 3,
            S.EXECUTING: 10,
            S.NO_PENALTY: 3,
            S.TRANSFERRED: 3,
            S.CLOSING: 4,
            S.CLOSED: 45,
            S.REVOKED: 2,
        }
        assert set(weights) == set(S), "a status without a weight"
        statuses = list(weights)
        rng.shuffle(statuses)
        statuses += rng.choices(list(weights), list(weights.values()), k=len(chosen))
        fields = (
            "pk",
            "enterprise_id",
            "county_id",
            "city_id",
            "item__code",
            "kind",
            "severity",
            "self_found",
            "status",
            "found_at",
            "description",
        )
        for index, chunk in enumerate(_batches(iter(chosen), 1_000)):
            problems = list(Problem.objects.filter(pk__in=chunk).order_by("pk").values(*fields))
            start = index * 1_000
            self._case_chunk(problems, statuses[start : start + len(problems)])
        self._guidance()
        self.log(
            f"案件 {self.summary.cases} 件，分类处置 {self.summary.classifications} 条，"
            f"办案期限 {self.summary.deadlines} 项"
        )

    def _violation_types(self) -> dict[str, ViolationType]:
        """The catalogue's type for each check item: the type naming the item (as
        `suggest_violation_type` finds it), else one naming an item of the same part."""
        types = list(ViolationType.objects.order_by("code"))
        found: dict[str, ViolationType] = {}
        for item in self.items:
            named = [t for t in types if item.code in t.item_codes]
            if not named:
                prefix = item.code.split("-")[0] + "-"
                named = [t for t in types if any(c.startswith(prefix) for c in t.item_codes)]
            found[item.code] = named[0] if named else self.rng.choice(types)
        return found

    def _fine(self, vtype: ViolationType, path: str) -> int:
        low, high = vtype.fine_min or 10_000, vtype.fine_max or 500_000
        if vtype.basis != ViolationType.Basis.AMOUNT:
            low, high = 50_000, 500_000
        low = min(low, high)
        if path == Path.LENIENT:  # 从轻: the lower part of the range
            high = max(low, (low + high) // 2)
        return round(self.rng.randint(low, high), -3)

    def _route(self, status: str) -> tuple[list[str], dict]:
        """The statuses a case went through to reach `status`, and its flags."""
        S, rng = Case.Status, self.rng
        flags = {
            "needs_legal_review": status == S.LEGAL_REVIEW or rng.random() < 0.25,
            "major": status == S.DISCUSSION or rng.random() < 0.1,
            "hearing": status == S.HEARING or rng.random() < 0.1,
        }
        if status == S.FILING:
            return [S.FILING], flags
        if status == S.NOT_FILED:
            return [S.FILING, S.NOT_FILED], flags
        route = [S.FILING, S.INVESTIGATING]
        if status in (S.SUSPENDED, S.TRANSFERRED, S.REVOKED):
            return [*route, status], flags
        if status == S.INVESTIGATING:
            return route, flags
        route.append(S.REVIEWING)
        if status == S.REVIEWING:
            return route, flags
        if flags["needs_legal_review"]:
            route.append(S.LEGAL_REVIEW)
        if status == S.LEGAL_REVIEW:
            return route, flags
        if status == S.NO_PENALTY or (status == S.CLOSED and rng.random() < 0.1):
            flags["hearing"] = flags["major"] = False
            route.append(S.NO_PENALTY)
            if status == S.CLOSED:
                route += [S.CLOSING, S.CLOSED]
            return route, flags
        route.append(S.NOTIFIED)
        if status == S.NOTIFIED:
            return route, flags
        later = [S.HEARING] if flags["hearing"] else []
        later += [S.DISCUSSION] if flags["major"] else []
        later += [S.DECIDED, S.EXECUTING, S.CLOSING, S.CLOSED]
        return [*route, *later[: later.index(status) + 1]], flags

    # days from the step before: (least, most); the last step of a case may come later (up to
    # AS_OF) unless a statutory window holds it
    GAPS = {
        "reviewing": (20, 50),
        "legal_review": (3, 10),
        "notified": (5, 20),
        "hearing": (1, 3),
        "discussion": (5, 15),
        "decided": (5, 15),
        "executing": (1, 7),
        "closing": (15, 45),
        "closed": (3, 15),
        "no_penalty": (5, 20),
        "suspended": (10, 40),
        "transferred": (10, 40),
        "revoked": (10, 60),
    }
    HELD = {"investigating", "not_filed", "hearing", "executing"}

    def _dates(self, route: list[str], discovered: dt.date) -> dict[str, dt.date]:
        S, rng = Case.Status, self.rng
        dates = {S.FILING: discovered}
        day = discovered
        for step in route[1:]:
            last = step == route[-1]
            if step in (S.INVESTIGATING, S.NOT_FILED):  # 立案 within 7 working days of discovery
                day = self.calendar.add_working_days(discovered, rng.randint(1, 7)).date
            else:
                least, most = self.GAPS[step]
                if last and step not in self.HELD:
                    most = max(most, (AS_OF - day).days)
                day = day + dt.timedelta(days=rng.randint(least, max(least, most)))
                if step == S.DECIDED:  # not before the 陈述申辩 window ran out
                    statement = self._clock_due("statement", dates[S.NOTIFIED], [])
                    day = max(day, statement.date + dt.timedelta(days=1))
            day = min(day, max(AS_OF, dates[S.FILING]))
            dates[step] = day
        return dates

    def _clock_due(self, key: str, start: dt.date, paused: list) -> Due:
        """A clock's last day as `cases.clocks` computes it, on the one calendar."""
        clock, calendar = self.rule_set.clock(key), self.calendar
        paused = paused if clock.pausable else []
        if clock.unit == case_rules.Unit.WORKING_DAYS:
            return calendar.add_working_days(start, clock.length, paused=paused)
        if clock.unit == case_rules.Unit.MONTHS:
            return calendar.add_days(start, months=clock.length, paused=paused)
        if clock.unit == case_rules.Unit.HOURS:
            return Due(start + dt.timedelta(days=-(-clock.length // 24)))
        return calendar.add_days(start, clock.length, paused=paused)

    def _case_chunk(self, problems: list[dict], statuses: list[str]) -> None:
        S, rng, now = Case.Status, self.rng, timezone.now()
        threshold = self.rule_set.hearing_fine_threshold
        cases, plans = [], []
        for problem, status in zip(problems, statuses, strict=True):
            vtype = self.vtypes[problem["item__code"]]
            suggested, why = suggest(_facts(problem), vtype.group)
            path = suggested if suggested in CASE_PATHS and rng.random() < 0.85 else None
            path = path or rng.choices(CASE_PATHS, [40, 55, 5])[0]
            if status == S.TRANSFERRED:
                path = Path.TRANSFER
            route, flags = self._route(status)
            discovered = timezone.localdate(problem["found_at"])
            dates = self._dates(route, discovered)
            investigators = rng.sample(self.inspectors[problem["county_id"]], 2)
            reviewer = next(
                u for u in self.inspectors[problem["county_id"]] if u not in investigators
            )
            reached = set(route)
            proposed = self._fine(vtype, path) if S.REVIEWING in reached else None
            if flags["hearing"] and proposed is not None:
                proposed = max(proposed, threshold)
            fine = None
            if S.DECIDED in reached:
                fine = proposed if rng.random() < 0.8 else int(round(proposed * 0.8, -3))
            decided = dates.get(S.DECIDED) or dates.get(S.NO_PENALTY)
            cases.append(
                {
                    "campaign_id": self.campaign.pk,
                    "enterprise_id": problem["enterprise_id"],
                    "county_id": problem["county_id"],
                    "city_id": problem["city_id"],
                    "title": f"涉嫌{vtype.name}案",
                    "violation_type_id": vtype.pk,
                    "path": path,
                    "source": Case.Source.LEDGER,
                    "facts": problem["description"],
                    "discovered_on": discovered,
                    "filed_on": dates.get(S.INVESTIGATING),
                    "rules": self.rule_set.key,
                    "reviewer_id": reviewer.pk if S.REVIEWING in reached else None,
                    "needs_legal_review": flags["needs_legal_review"],
                    "major": flags["major"],
                    "status": status,
                    "suspended_from": S.INVESTIGATING if status == S.SUSPENDED else "",
                    "report": f"经调查核实：{problem['description']}证据确凿，建议{Path(path).label}。"
                    if S.REVIEWING in reached
                    else "",
                    "review_opinion": "违法事实清楚，证据充分，送法制审核。"
                    if S.LEGAL_REVIEW in reached
                    else "",
                    "proposed_fine": proposed,
                    "fine": fine,
                    "notified_on": dates.get(S.NOTIFIED),
                    "decided_on": decided,
                    "served_on": dates.get(S.EXECUTING),
                    "closed_on": dates.get(S.CLOSED),
                    "opened_by_id": investigators[0].pk,
                    "opened_at": _at(discovered, 16, rng.randint(0, 59)),
                    "updated_at": now,
                }
            )
            plans.append((problem, route, dates, investigators, reviewer, path, suggested, why))
        ids = _insert(Case, cases, returning=True)
        links, people, events, pauses, deadlines, classified, moved = [], [], [], [], [], [], []
        for case_id, case, plan in zip(ids, cases, plans, strict=True):
            problem, route, dates, investigators, reviewer, path, suggested, why = plan
            links.append({"case_id": case_id, "problem_id": problem["pk"]})
            people += [{"case_id": case_id, "user_id": u.pk} for u in investigators]
            events += self._case_events(case_id, route, dates, investigators[0], reviewer)
            case_pauses = self._case_pauses(case_id, route, dates)
            pauses += case_pauses
            deadlines += self._case_deadlines(case_id, case, dates, case_pauses)
            classified.append(
                {
                    "problem_id": problem["pk"],
                    "enterprise_id": problem["enterprise_id"],
                    "county_id": problem["county_id"],
                    "city_id": problem["city_id"],
                    "path": path,
                    "suggested_path": suggested,
                    "suggestion": why,
                    "reason": f"经审查，{Path(path).label}，逐个立案。",
                    "classified_by_id": investigators[0].pk,
                    "classified_at": case["opened_at"],
                }
            )
            # the case's problems: 处理中 while it runs; 结案 hands them to rectification (or
            # closes them), 不予立案 and 撤销 back to rectification
            to = Problem.Status.HANDLING
            if case["status"] == S.CLOSED:
                to = rng.choices([Problem.Status.RECTIFYING, Problem.Status.CLOSED], [80, 20])[0]
            elif case["status"] in (S.NOT_FILED, S.REVOKED):
                to = Problem.Status.RECTIFYING
            moved.append((problem["pk"], str(to)))
        _insert(CaseProblem, links)
        _insert(Case.investigators.through, people)
        _insert(CaseEvent, events)
        _insert(CasePause, pauses)
        _insert(Deadline, deadlines)
        _insert(Classification, classified)
        _set_problem_statuses(moved)
        self.summary.cases += len(ids)
        self.summary.classifications += len(classified)
        self.summary.deadlines += len(deadlines)

    def _case_events(self, case_id, route, dates, investigator, reviewer) -> list[dict]:
        rows = []
        for n, step in enumerate(route):
            if n == 0:
                note = "登记案件，待立案审批"
            elif step == Case.Status.NOTIFIED:
                note = "送达事先告知书"
            else:
                note = STEPS[(route[n - 1], step)][0]
            who = STEPS.get((route[n - 1], step), ("", ""))[1] if n else ""
            rows.append(
                {
                    "case_id": case_id,
                    "from_status": route[n - 1] if n else "",
                    "to_status": step,
                    "by_id": (reviewer if who == "reviewer" else investigator).pk,
                    "at": _at(dates[step], 9 + n),
                    "note": note,
                }
            )
        return rows

    def _case_pauses(self, case_id, route, dates) -> list[dict]:
        """中止, 移送 and 听证: the decision clock does not run (ended by the next step, if any)."""
        S, K = Case.Status, CasePause.Kind
        kinds = {S.SUSPENDED: K.SUSPENSION, S.TRANSFERRED: K.TRANSFER, S.HEARING: K.HEARING}
        rows = []
        for n, step in enumerate(route):
            if step not in kinds:
                continue
            after = route[n + 1] if n + 1 < len(route) else None
            rows.append(
                {
                    "case_id": case_id,
                    "kind": kinds[step],
                    "started_on": dates[step],
                    "ended_on": max(dates[after], dates[step]) if after else None,
                    "note": "",
                }
            )
        return rows

    def _case_deadlines(self, case_id, case, dates, pauses) -> list[dict]:
        """The clocks the steps started and ended, as `cases.services.case` starts and ends them
        (`cases.clocks`: due dates on the working calendar, pauses left out)."""
        S, now = Case.Status, timezone.now()
        # CasePause.days(): up to the day before it ended, or up to today while it lasts
        paused = [
            (
                p["started_on"],
                p["ended_on"] - dt.timedelta(days=1) if p["ended_on"] else self.today,
            )
            for p in pauses
        ]
        ended = {
            S.CLOSED: "已结案",
            S.NOT_FILED: "不予立案",
            S.REVOKED: "已撤销",
        }.get(case["status"])
        clocks: list[tuple[str, dt.date, tuple[dt.date, str] | None]] = []

        def done(status, note):
            return (dates[status], note) if status in dates else None

        filed, decided = dates.get(S.INVESTIGATING), dates.get(S.DECIDED)
        clocks.append(("filing", case["discovered_on"], done(S.INVESTIGATING, "已立案")))
        if filed:
            clocks.append(
                ("decision", filed, done(S.DECIDED, "已作出决定") or done(S.NO_PENALTY, "不予处罚"))
            )
        if S.NOTIFIED in dates:
            statement_done = done(S.DECIDED, "已作出决定")
            clocks.append(("statement", dates[S.NOTIFIED], statement_done))
            threshold = self.rule_set.hearing_fine_threshold
            if (case["proposed_fine"] or 0) >= threshold or S.HEARING in dates:
                clocks.append(
                    (
                        "hearing_request",
                        dates[S.NOTIFIED],
                        done(S.HEARING, "当事人申请听证") or statement_done,
                    )
                )
        if decided:
            clocks.append(("service", decided, done(S.EXECUTING, "已送达")))
            if S.EXECUTING in dates and case["fine"]:
                clocks.append(("payment", dates[S.EXECUTING], done(S.CLOSING, "执行完毕")))
        rows = []
        for key, start, finished in clocks:
            if finished is None and ended:  # a finished case leaves no clock running
                finished = (dates[case["status"]], ended)
            clock = self.rule_set.clock(key)
            due = self._clock_due(key, start, paused)
            rows.append(
                {
                    "case_id": case_id,
                    "key": key,
                    "label": clock.label,
                    "basis": clock.basis,
                    "unit": clock.unit,
                    "length": clock.length,
                    "extension": 0,
                    "against": clock.against,
                    "start_event": clock.start_event,
                    "start_date": start,
                    "due_date": due.date,
                    "pausable": clock.pausable,
                    "unknown_years": list(due.unknown_years),
                    "calendar_version": self.calendar.version,
                    "computed_at": now,
                    "done_on": finished[0] if finished else None,
                    "done_note": finished[1] if finished else "",
                }
            )
        return rows

    def _guidance(self) -> None:
        """A share of the management gaps and hazards classified 行政指导: the open ones move to
        处理中 (the enterprise's rectification stays as it is)."""
        rng = self.rng
        candidates = list(
            Problem.objects.filter(
                campaign=self.campaign,
                primary__isnull=True,
                status__in=[Problem.Status.OPEN, Problem.Status.RECTIFYING],
            )
            .exclude(kind="violation")
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        chosen = sorted(rng.sample(candidates, round(len(candidates) * GUIDANCE_SHARE)))
        del candidates
        for chunk in _batches(iter(chosen)):
            rows, moved = [], []
            problems = Problem.objects.filter(pk__in=chunk).order_by("pk")
            for p in problems.values(
                "pk", "enterprise_id", "county_id", "city_id", "status", "found_at"
            ):
                inspector = rng.choice(self.inspectors[p["county_id"]])
                found = timezone.localdate(p["found_at"])
                rows.append(
                    {
                        "problem_id": p["pk"],
                        "enterprise_id": p["enterprise_id"],
                        "county_id": p["county_id"],
                        "city_id": p["city_id"],
                        "path": Path.GUIDANCE,
                        "suggested_path": Path.GUIDANCE,
                        "suggestion": "管理制度问题或安全隐患：行政指导，督促整改",
                        "reason": "管理制度不健全，行政指导，督促限期整改。",
                        "classified_by_id": inspector.pk,
                        "classified_at": _at(found + dt.timedelta(days=rng.randint(3, 30)), 15),
                    }
                )
                if p["status"] == Problem.Status.OPEN:
                    moved.append((p["pk"], str(Problem.Status.HANDLING)))
            _insert(Classification, rows)
            _set_problem_statuses(moved)
            self.summary.classifications += len(rows)


def _quick(calendar: WorkingCalendar) -> WorkingCalendar:
    """The calendar with its answers kept for the years the package knows: chinesecalendar
    checks every date against its whole table (a third of the cases' time at factor 1). Other
    years are asked each time: they note the year without data on the way."""
    asked, known, days = calendar.is_working_day, package_years(), {}

    def is_working_day(day: dt.date) -> bool:
        if day.year not in known:
            return asked(day)
        if day not in days:
            days[day] = asked(day)
        return days[day]

    calendar.is_working_day = is_working_day
    return calendar


def _facts(row: dict) -> SimpleNamespace:
    """What the classification suggestion reads of a problem, from a `values()` row."""
    return SimpleNamespace(**{k: row[k] for k in ("kind", "severity", "self_found", "status")})


def _set_problem_statuses(moved: list[tuple[int, str]]) -> None:
    """The problems of new cases and classifications in the status the ledger would have moved
    them to, in one statement (their first event, written after, starts there)."""
    if not moved:
        return
    table = connection.ops.quote_name(Problem._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            from psycopg2.extras import execute_values

            execute_values(
                cursor.cursor,
                f"UPDATE {table} SET status = v.status FROM (VALUES %s) AS v (id, status) "
                f"WHERE {table}.id = v.id",
                moved,
                page_size=len(moved),
            )
        else:
            cursor.executemany(
                f"UPDATE {table} SET status = %s WHERE id = %s", [(s, pk) for pk, s in moved]
            )


# --- stage 4: 一企一案 plans and their items --------------------------------------------------

# where an item still being rectified stands as the year ends (a problem in a case stays with
# its case: not started; a closed problem's item is closed)
WORK_WEIGHTS = {
    RectificationItem.Status.IN_PROGRESS: 45,
    RectificationItem.Status.NOT_STARTED: 15,
    RectificationItem.Status.OVERDUE: 20,
    RectificationItem.Status.APPLIED: 20,
}
MEASURE_TEXTS = [
    "制定整改方案，明确专人负责，按期完成并报县局备案。",
    "更换破损滤袋，修复收尘管道，确保除尘设施正常运行。",
    "完善危险废物贮存间防渗、标识和台账，规范转移联单。",
    "修订环境管理制度和操作规程，组织全员培训并考核。",
    "委托有资质单位开展自行监测，按规定公开监测数据。",
    "对雨污管网进行排查改造，实现雨污分流。",
    "完善在线监测设备运维记录，定期比对校准。",
    "开展突发环境事件风险评估，修订应急预案并备案。",
]
MILESTONE_TITLES = ["完成整改方案编制", "设备采购到位", "施工安装完成", "调试运行并自主验收"]
RECTIFICATION_CHUNK = 2_000  # units per transaction


def complete(*, seed: int = 2020, log: Callable[[str], None] = lambda _m: None) -> Summary:
    """Add to a database generated before a stage existed what that stage writes, as the full
    generation would have (stage 4's plans, stage 5's pools; each its own seeded stream): nothing
    if already there."""
    if not User.objects.filter(username=f"{PREFIX}province").exists():
        raise DatabaseNotEmpty  # not scale data: never mixed into it
    summary = Summary()
    campaign = campaign_2020()
    inspectors: dict[int, list[User]] = {}
    for user in User.objects.filter(username__startswith=f"{PREFIX}county-").order_by("pk"):
        inspectors.setdefault(user.region_id, []).append(user)
    if not RectificationPlan.objects.filter(campaign=campaign).exists():
        _Rectification(campaign, inspectors, summary, seed, log).run()
    if not PoolMembership.objects.filter(campaign=campaign).exists():
        with transaction.atomic():
            _pools(campaign, inspectors, summary, seed, make_password(PASSWORD))
        log(f"执法能手 {summary.skilled} 人，专家 {summary.experts} 人")
    counting.forget_all()
    return summary


def _pools(campaign, inspectors, summary: Summary, seed: int, password: str) -> None:
    """Stage 5's pools: the first `SKILLED_PER_COUNTY` inspectors of every county (certified; the
    first may lead) in the 执法能手 pool, and `EXPERTS` experts of the discharging industries."""
    rng = random.Random(seed * 10 + 5)
    added_by = User.objects.get(username=f"{PREFIX}province")
    Pool = PoolMembership.Pool
    rows = [
        {
            "campaign_id": campaign.pk,
            "pool": Pool.SKILLED,
            "user_id": user.pk,
            "lead_qualified": i == 0,
            "added_by_id": added_by.pk,
            "added_at": timezone.now(),
        }
        for region in sorted(inspectors)
        for i, user in enumerate(inspectors[region][:SKILLED_PER_COUNTY])
    ]
    summary.skilled = len(rows)
    experts = [
        User(
            username=f"{PREFIX}expert-{k}",
            password=password,
            role=User.Role.EXPERT,
            full_name=_name(rng),
            unit="河南省生态环境执法专家库",
        )
        for k in range(1, EXPERTS + 1)
    ]
    User.objects.bulk_create(experts)
    fields = [
        pk
        for pk, code in Industry.objects.filter(level=Industry.Level.CLASS)
        .order_by("code")
        .values_list("pk", "code")
        if code[:2] in DISCHARGING_DIVISIONS
    ]
    known = [
        {"user_id": expert.pk, "industry_id": pk}
        for expert in experts
        for pk in rng.sample(fields, rng.randint(1, 3))
    ]
    _insert(User.industries.through, known)
    rows += [
        {
            "campaign_id": campaign.pk,
            "pool": Pool.EXPERTS,
            "user_id": expert.pk,
            "lead_qualified": False,
            "added_by_id": added_by.pk,
            "added_at": timezone.now(),
        }
        for expert in experts
    ]
    _insert(PoolMembership, rows)
    summary.experts = len(experts)
    summary.users += len(experts)


class _Rectification:
    """A plan per unit with primary problems (active or closed) and an item per problem, as the
    plans stand at the end of 2020: a closed problem's item closed (applied, checked, 销号); a
    problem in a case not started; the others in progress, not started, overdue (deadline past,
    some escalated to the city) or applied for 销号 (their problem 待销号核验). Each item with 1-3
    measures, 0-2 milestones, its supervisor among the county's inspectors, an event per step
    (from its creation), a photo when applied. The problems the plans move (an open one, or one
    under 行政指导, to 整改中; an applied one's to 待销号核验) get the ledger's event naming the item.
    Only unclassified problems are applied for in the data: a problem in a case or under guidance
    keeps the history stage 3 gave it."""

    S = RectificationItem.Status

    def __init__(self, campaign, inspectors, summary: Summary, seed: int, log):
        self.campaign, self.inspectors, self.summary, self.log = campaign, inspectors, summary, log
        # its own stream: the same rows whether written with the rest or added later (complete)
        self.rng = random.Random(seed * 10 + 4)
        self.item_type = ContentType.objects.get_for_model(RectificationItem).pk
        self.check_items = {
            pk: (code, standard.strip())
            for pk, code, standard in CheckItem.objects.values_list("pk", "code", "standard")
        }
        self.facility = set(settings.RECTIFICATION_FACILITY_ITEMS)
        self.now = timezone.now()

    def run(self) -> None:
        units = list(
            self._problems()
            .order_by("enterprise_id")
            .values_list("enterprise_id", flat=True)
            .distinct()
        )
        for chunk in _batches(iter(units), RECTIFICATION_CHUNK):
            with transaction.atomic():
                self._chunk(chunk)
        self.log(f"整改方案 {self.summary.plans} 个，整改事项 {self.summary.items} 项")

    def _problems(self):
        return Problem.objects.filter(
            campaign=self.campaign,
            primary__isnull=True,
            status__in=Problem.COUNTED,
            rectification_item__isnull=True,
        )

    def _between(self, first: dt.date, last: dt.date) -> dt.date:
        return first + dt.timedelta(days=self.rng.randint(0, max(0, (last - first).days)))

    def _chunk(self, unit_ids: list[int]) -> None:
        rng = self.rng
        rows = list(
            self._problems()
            .filter(enterprise_id__in=unit_ids)
            .order_by("enterprise_id", "found_at", "pk")
            .values_list(
                "pk",
                "enterprise_id",
                "county_id",
                "city_id",
                "item_id",
                "status",
                "found_at",
                "measure",
                "responsible",
                "classification__path",
            )
        )
        units = {
            pk: (legal, phone)
            for pk, legal, phone in Enterprise.objects.filter(pk__in=unit_ids).values_list(
                "pk", "legal_representative", "contact_phone"
            )
        }
        owners: dict[int, int] = {}
        for unit, user in (
            Enterprise.users.through.objects.filter(enterprise_id__in=unit_ids)
            .order_by("pk")
            .values_list("enterprise_id", "user_id")
        ):
            owners.setdefault(unit, user)
        by_unit: dict[int, list[tuple]] = {}
        for row in rows:
            by_unit.setdefault(row[1], []).append(row)
        plans, drafts = [], []
        for unit, problems in by_unit.items():
            county, city = problems[0][2], problems[0][3]
            found = max(timezone.localdate(row[6]) for row in problems)
            day = found + dt.timedelta(days=rng.randint(5, 30))
            creator = rng.choice(self.inspectors[county]).pk
            plans.append(
                {
                    "campaign_id": self.campaign.pk,
                    "enterprise_id": unit,
                    "county_id": county,
                    "city_id": city,
                    "created_by_id": creator,
                    "created_at": _at(day, 10, rng.randint(0, 59)),
                    "note": "",
                }
            )
            drafts.append((day, creator, problems))
        plan_ids = _insert(RectificationPlan, plans, returning=True)
        items, plans_of = [], []
        for plan_id, (day, creator, problems) in zip(plan_ids, drafts, strict=True):
            for number, row in enumerate(problems, 1):
                items.append(self._item(plan_id, number, day, creator, row, units, owners))
                plans_of.append(row)
        extras = [item.pop("_") for item in items]
        item_ids = _insert(RectificationItem, items, returning=True)
        measures, milestones, events, problem_events, moved, photos = [], [], [], [], [], []
        for item_id, extra, row in zip(item_ids, extras, plans_of, strict=True):
            for number, (text, done) in enumerate(extra["measures"], 1):
                measures.append(
                    {"item_id": item_id, "number": number, "text": text, "done_on": done}
                )
            for number, (title, due, done) in enumerate(extra["milestones"], 1):
                milestones.append(
                    {
                        "item_id": item_id,
                        "number": number,
                        "title": title,
                        "due_on": due,
                        "done_on": done,
                    }
                )
            before = ""
            for to, at, by, note in extra["steps"]:
                events.append(
                    {
                        "item_id": item_id,
                        "from_status": before,
                        "to_status": to,
                        "by_id": by,
                        "at": at,
                        "note": note,
                    }
                )
                before = to
            # the ledger's steps, after the problem's first event (recorded when generated)
            status = row[5]
            for n, (to, by, note) in enumerate(extra["problem_steps"], 1):
                problem_events.append(
                    {
                        "problem_id": row[0],
                        "from_status": status,
                        "to_status": to,
                        "by_id": by,
                        "at": self.now + dt.timedelta(seconds=n),
                        "note": note,
                        "ref_type_id": self.item_type,
                        "ref_id": item_id,
                    }
                )
                status = to
            if status != row[5]:
                moved.append((row[0], str(status)))
            if extra["photo"]:
                photos.append((item_id, row[1], *extra["photo"]))
        _insert(ItemMeasure, measures)
        _insert(Milestone, milestones)
        for batch in _batches(iter(events)):
            _insert(ItemEvent, batch)
        _insert(ProblemEvent, problem_events)
        _set_problem_statuses(moved)
        self._photos(photos)
        self.summary.plans += len(plan_ids)
        self.summary.items += len(item_ids)

    def _item(self, plan_id, number, day, creator, row, units, owners) -> dict:
        S, P, rng = self.S, Problem.Status, self.rng
        _pk, unit, county, _city, check_item, status, _found, measure, responsible, path = row
        code, standard = self.check_items[check_item]
        if status == P.CLOSED:
            fate = S.CLOSED
        elif status == P.HANDLING and path != Path.GUIDANCE:
            fate = S.NOT_STARTED  # the case decides first
        else:
            fate = rng.choices(list(WORK_WEIGHTS), list(WORK_WEIGHTS.values()))[0]
            if fate == S.APPLIED and path is not None:
                fate = S.IN_PROGRESS
        supervisor = rng.choice(self.inspectors[county]).pk
        owner = owners.get(unit)
        legal, phone = units[unit]
        applied_day = closed_on = overdue_since = escalated_on = None
        if fate == S.CLOSED:
            closed_on = self._between(
                day + dt.timedelta(days=15), min(AS_OF, day + dt.timedelta(days=150))
            )
            applied_day = max(
                day + dt.timedelta(days=2), closed_on - dt.timedelta(days=rng.randint(3, 12))
            )
            deadline = self._between(closed_on, closed_on + dt.timedelta(days=60))
        elif fate == S.OVERDUE:
            deadline = self._between(day + dt.timedelta(days=20), AS_OF - dt.timedelta(days=20))
            overdue_since = deadline + dt.timedelta(days=1)
            late = overdue_since + dt.timedelta(days=rng.randint(7, 20))
            escalated_on = late if rng.random() < 0.3 and late <= AS_OF else None
        elif fate == S.APPLIED:
            applied_day = self._between(AS_OF - dt.timedelta(days=40), AS_OF - dt.timedelta(days=1))
            deadline = self._between(applied_day, AS_OF + dt.timedelta(days=90))
        else:
            deadline = self._between(AS_OF + dt.timedelta(days=1), dt.date(2021, 3, 31))
        limit = applied_day or overdue_since or AS_OF
        started = self._between(
            day + dt.timedelta(days=1),
            max(
                day + dt.timedelta(days=1),
                min(day + dt.timedelta(days=40), limit - dt.timedelta(days=1)),
            ),
        )
        # the steps the item took, from its creation
        steps = [(S.NOT_STARTED, _at(day, 10, rng.randint(0, 59)), creator, "列入一企一案整改方案")]
        if fate in (S.IN_PROGRESS, S.APPLIED, S.CLOSED) or (
            fate == S.OVERDUE and rng.random() < 0.6
        ):
            steps.append(
                (S.IN_PROGRESS, _at(started, 9, rng.randint(0, 59)), owner, "报送整改进展")
            )
        if fate == S.OVERDUE:
            steps.append((S.OVERDUE, _at(overdue_since, 1), None, "逾期未完成整改"))
        applied_at = _at(applied_day, 15, rng.randint(0, 59)) if applied_day else None
        if applied_at:
            steps.append((S.APPLIED, applied_at, owner, "申请销号"))
        if fate == S.CLOSED:
            steps.append(
                (S.CLOSED, _at(closed_on, 16, rng.randint(0, 59)), supervisor, "核查通过，予以销号")
            )
        problem_steps = []
        if status == P.OPEN or (status == P.HANDLING and path == Path.GUIDANCE):
            problem_steps.append((P.RECTIFYING, creator, "列入一企一案整改方案"))
        if fate == S.APPLIED:
            problem_steps.append((P.VERIFYING, owner, "企业申请销号"))
        # measures: the problem's own first, then the plan's; done as far as the item got
        texts = [measure.strip()] if measure.strip() else []
        texts += rng.sample(MEASURE_TEXTS, 3)
        texts = list(dict.fromkeys(texts))[: rng.randint(1, 3)]
        if fate in (S.APPLIED, S.CLOSED):
            done = len(texts)
        elif fate in (S.IN_PROGRESS, S.OVERDUE):
            done = rng.randint(0, len(texts) - 1)
        else:
            done = 0
        last = applied_day or overdue_since or AS_OF
        measures = [
            (text, self._between(started, max(started, last)) if n < done else None)
            for n, text in enumerate(texts)
        ]
        dues = sorted(
            self._between(day + dt.timedelta(days=10), max(day + dt.timedelta(days=10), deadline))
            for _ in range(rng.randint(0, 2))
        )
        milestones = []
        for title, due in zip(MILESTONE_TITLES, dues, strict=False):
            if fate in (S.APPLIED, S.CLOSED):
                finished = min(due, applied_day)
            elif fate != S.NOT_STARTED and due < AS_OF and rng.random() < 0.6:
                finished = max(started, due - dt.timedelta(days=rng.randint(0, 5)))
            else:
                finished = None
            milestones.append((title, due, finished))
        progress = {
            S.IN_PROGRESS: f"正在按整改方案推进，已完成 {done} 项措施。",
            S.OVERDUE: f"已完成 {done} 项措施，未能按期完成。",
            S.APPLIED: "整改措施已全部完成，已上传整改照片，申请销号。",
            S.CLOSED: "整改措施已全部完成，经核查予以销号。",
        }.get(fate, "")
        photo = None
        if applied_day:
            photo = (owner or supervisor, applied_day, rng.randint(80_000, 400_000))
        funds = Decimal(rng.randint(5, 20_000)) / 100 if rng.random() < 0.6 else None
        return {
            "plan_id": plan_id,
            "problem_id": row[0],
            "number": number,
            "requirement": f"按要求完成整改，达到：{standard}" if standard else "按要求完成整改。",
            "requirement_source": "",
            "funds": funds,
            "responsible": responsible or legal,
            "responsible_phone": phone,
            "supervisor_id": supervisor,
            "deadline": deadline,
            "original_deadline": deadline,
            "facility_task": code in self.facility,
            "status": fate,
            "progress": progress,
            "applied_at": applied_at,
            "closed_on": closed_on,
            "return_reason": "",
            "closing_flagged": False,
            "overdue_since": overdue_since,
            "escalated_on": escalated_on,
            "created_at": steps[0][1],
            "updated_at": steps[-1][1],
            "_": {
                "measures": measures,
                "milestones": milestones,
                "steps": steps,
                "problem_steps": problem_steps,
                "photo": photo,
            },
        }

    def _photos(self, photos: list[tuple]) -> None:
        """The photo an applied item carries (the file itself is not written: benchmarks only)."""
        for batch in _batches(iter(photos)):
            rows = [
                {
                    "enterprise_id": unit,
                    "file": f"evidence/{day:%Y/%m}/scale-rect-{item_id}.jpg",
                    "original_name": "整改后现场照片.jpg",
                    "content_type": "image/jpeg",
                    "size": size,
                    "uploaded_by_id": by,
                    "uploaded_at": _at(day, 14),
                    "taken_at": _at(day, 11),
                }
                for item_id, unit, by, day, size in batch
            ]
            ids = _insert(Evidence, rows, returning=True)
            _insert(
                ItemEvidence,
                [
                    {
                        "item_id": item_id,
                        "evidence_id": evidence_id,
                        "kind": ItemEvidence.Kind.PHOTO,
                        "note": "",
                        "added_by_id": by,
                        "added_at": _at(day, 14),
                    }
                    for (item_id, _unit, by, day, _size), evidence_id in zip(
                        batch, ids, strict=True
                    )
                ],
            )
