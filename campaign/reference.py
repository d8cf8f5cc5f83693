"""Loading reference data (regions, industries) from the CSV files in fixtures/.

Idempotent: rows are matched by code and only changed rows are written, so
running it again (every `make run`, every test session) costs little.
"""

from __future__ import annotations

import csv
from pathlib import Path

from auditlog.context import disable_auditlog
from django.conf import settings
from django.db import transaction

from campaign.models import Industry, Region

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
REGIONS_CSV = FIXTURES / "regions-henan-2020.csv"
INDUSTRIES_CSV = FIXTURES / "industries.csv"

# 济源 sits under the statistical grouping 4190 in the code list; the campaign
# addresses it as the 18th city-level unit ("各省辖市、济源示范区").
JIYUAN_CODE = "419001"
JIYUAN_CITY_NAME = "济源示范区"
GROUPING_KIND = "grouping"


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _upsert(model, key: dict, values: dict) -> tuple[object, bool]:
    obj = model.objects.filter(**key).first()
    if obj is None:
        return model.objects.create(**key, **values), True
    changed = [k for k, v in values.items() if getattr(obj, k) != v]
    for k in changed:
        setattr(obj, k, values[k])
    if changed:
        obj.save(update_fields=changed)
    return obj, False


@transaction.atomic
def load_regions(path: Path = REGIONS_CSV) -> int:
    rows = _read(path)
    created = 0
    by_code: dict[tuple[str, str], Region] = {}
    province = None
    for level in ("province", "city", "county"):
        for row in rows:
            if row["level"] != level or row["kind"] == GROUPING_KIND:
                continue
            parent = None
            if level == "city":
                parent = province
            elif level == "county":
                parent = by_code.get(("city", row["parent_code"]))
                if row["code"] == JIYUAN_CODE:
                    jiyuan_city, was_created = _upsert(
                        Region,
                        {"level": "city", "code": JIYUAN_CODE},
                        {
                            "name": JIYUAN_CITY_NAME,
                            "kind": Region.Kind.DIVISION,
                            "parent": province,
                        },
                    )
                    created += was_created
                    by_code[("city", JIYUAN_CODE)] = jiyuan_city
                    parent = jiyuan_city
            obj, was_created = _upsert(
                Region,
                {"level": level, "code": row["code"]},
                {"name": row["name"], "kind": row["kind"], "parent": parent},
            )
            created += was_created
            by_code[(level, row["code"])] = obj
            if level == "province":
                province = obj
    return created


@transaction.atomic
def load_industries(path: Path = INDUSTRIES_CSV) -> int:
    rows = _read(path)
    existing = {i.code: i for i in Industry.objects.all()}
    created = 0
    for row in rows:  # parents come before children in the file
        parent = existing.get(row["parent_code"]) if row["parent_code"] else None
        current = existing.get(row["code"])
        values = {"name": row["name"], "level": row["level"], "parent": parent}
        if current is None:
            existing[row["code"]] = Industry.objects.create(code=row["code"], **values)
            created += 1
        elif any(getattr(current, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(current, k, v)
            current.save()
    return created


def load_all() -> dict[str, int]:
    # The published code lists themselves are the record of these rows; an audit entry per
    # row of a bulk load would only bury the edits administrators make later (those are logged).
    with disable_auditlog():
        return {"regions": load_regions(), "industries": load_industries()}
