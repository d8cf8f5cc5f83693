"""The 2020 campaign and its stage windows, shared by the demo data and the scale data."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from campaign.models import Campaign, StageWindow

SHANGHAI = ZoneInfo("Asia/Shanghai")
S = StageWindow.Stage
WINDOWS_2020 = [
    (S.SELF_CHECK, (4, 1), (4, 30)),
    (S.INSPECTION, (4, 20), (6, 15)),
    (S.HANDLING, (5, 1), (7, 31)),
    (S.RECTIFICATION, (4, 1), (7, 31)),
    (S.CROSSCHECK, (8, 1), (9, 30)),
    (S.OUTCOME, (10, 1), (12, 31)),
    (S.NON_KEY, (5, 1), (10, 31)),
]


def campaign_2020() -> Campaign:
    campaign, _ = Campaign.objects.get_or_create(
        year=2020,
        defaults={
            "name": "2020 年度排污单位一体化专项执法行动",
            "is_current": True,
            "liaison_deadline": dt.datetime(2020, 4, 15, 23, 59, tzinfo=SHANGHAI),
            "complaint_phone": "0371-66309206",
            "complaint_email": "sqzxxd@163.com",
        },
    )
    for stage, (m1, d1), (m2, d2) in WINDOWS_2020:
        StageWindow.objects.update_or_create(
            campaign=campaign,
            stage=stage,
            city=None,
            defaults={"starts_on": dt.date(2020, m1, d1), "ends_on": dt.date(2020, m2, d2)},
        )
    return campaign
