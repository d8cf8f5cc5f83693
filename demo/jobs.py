"""Demo data for background jobs: under 我的任务, the province's finished ledger export (to download)
and a 金水 census import that was refused with its bad row named (金水's finished 登记造册 is
seeded with stage 4)."""

from __future__ import annotations

import io
import random

from openpyxl import Workbook

from campaign.models import Job, User
from campaign.services import jobs as services
from demo.credit_codes import make_credit_code
from enterprises.importing import COLUMNS


def seed(users: dict[str, User]) -> None:
    if Job.objects.filter(kind__in=("problems.export", "enterprises.import")).exists():
        return
    export = services.job_start(actor=users["province"], kind="problems.export", params={})
    services.job_run(export.pk)  # here, not on commit: the demo shows it finished
    refused = services.job_start(
        actor=users["jinshui"],
        kind="enterprises.import",
        params={"list_kind": "census"},
        upload=_census_list(),
        upload_name="金水区污染源普查清单.xlsx",
    )
    services.job_run(refused.pk)


def _census_list() -> io.BytesIO:
    """Two units of a census list; the second lies in 涧西区, outside 金水's reach."""
    rng = random.Random(2026)
    workbook = Workbook()
    sheet = workbook.active
    required = [c for c in COLUMNS if c.required]
    sheet.append([c.header for c in required])
    for county, name in (("410105", "郑州金水普查示例厂"), ("410305", "洛阳涧西普查示例厂")):
        values = {
            "credit_code": make_credit_code(rng, county),
            "name": name,
            "county": county,
            "address": f"{name}厂区",
            "industry": "2614",
            "is_key_unit": "否",
            "legal_representative": "张建国",
            "contact_phone": "0371-66309206",
        }
        sheet.append([values.get(c.field, "") for c in required])
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    return out
