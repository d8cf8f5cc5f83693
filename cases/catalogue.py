"""Loads the violation catalogue (`fixtures/violation-types.json`): new codes are added, known ones
updated to the file, nothing deleted (a type cases point at stays)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from django.conf import settings

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "violation-types.json"


def load_violation_types(model=None) -> int:
    """Upsert every type of the fixture; `model` is the historical model in a migration."""
    if model is None:
        from cases.models import ViolationType as model
    rows = json.loads(FIXTURE.read_text(encoding="utf-8"))
    for row in rows:
        code = row.pop("code")
        for name in ("rate_min", "rate_max"):
            if row[name] is not None:
                row[name] = Decimal(str(row[name]))
        model.objects.update_or_create(code=code, defaults=row)
    return len(rows)
