"""Synthetic data at the size of a real province, for benchmarks: `generate_scale --factor F`.

Factor 1 is Henan at the end of 2020 (facts.md §3.2): about 130,000 discharging units (20,000
permit holders and 106,000 registered small sources), 5,000 key units, each with a self-check,
50,000 inspections and about 250,000 problems. Everything is drawn from one seeded generator
and written with bulk inserts (no signals, no audit rows: this is not anyone's history).
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
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from campaign import counting
from campaign.models import Industry, Region, User
from demo.campaign import campaign_2020
from demo.credit_codes import make_credit_code
from demo.names import GIVEN, SURNAMES, WORDS
from enterprises.models import Enterprise
from inspections.applicability import applicable_items
from inspections.catalogue import catalogue_use_for_campaign, load_catalogue
from inspections.models import (
    CheckItem,
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


def holds_data() -> bool:
    """Anything beyond the reference data: registry, cases, a campaign, accounts, grants."""
    from django.conf import settings

    from campaign.models import AccessGrant, Campaign

    # django-guardian's anonymous user comes with every migrated database
    anonymous = getattr(settings, "ANONYMOUS_USER_NAME", "AnonymousUser")
    people = User.objects.exclude(is_superuser=True).exclude(username=anonymous)
    return people.exists() or any(
        model.objects.exists()
        for model in (Enterprise, SelfCheck, Inspection, Problem, Campaign, AccessGrant)
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


def _insert(model, rows: list[dict]) -> None:
    """Plain multi-row INSERTs of ready column values.

    At this size bulk_create spends most of its time building and compiling model instances;
    rows that need no primary key back are written this way (4-5× faster).
    """
    if not rows:
        return
    meta, ops = model._meta, connection.ops
    names = list(rows[0])
    columns = ", ".join(ops.quote_name(meta.get_field(n).column) for n in names)
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

    values = [tuple(adapt(row[n]) for n in names) for row in rows]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            from psycopg2.extras import execute_values

            execute_values(
                cursor.cursor, f"INSERT INTO {table} ({columns}) VALUES %s", values, page_size=2000
            )
        else:
            marks = ", ".join(["%s"] * len(names))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", values)


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
        self.factor, self.rng, self.log = factor, random.Random(seed), log
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
            self._first_events()
        return self.summary

    def _first_events(self) -> None:
        """Each problem's and self-check's history starts with one event in its present status
        (the generated rows are a snapshot, not replayed steps): "as of" reads need a start.

        First, a unit inspected twice on one item has one primary problem: the later findings
        become its confirmations, as the ledger service would have recorded them."""
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
    def _user(self, username: str, role: str, region: Region | None, unit: str) -> User:
        return User(
            username=username,
            password=self.password,
            role=role,
            region=region,
            full_name=_name(self.rng),
            unit=unit,
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
                )
                for i in range(1, INSPECTORS_PER_COUNTY + 1)
            ]
        User.objects.bulk_create(users, batch_size=BATCH)
        self.inspectors: dict[int, list[User]] = {}
        for user in User.objects.filter(username__startswith=f"{PREFIX}county-"):
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
