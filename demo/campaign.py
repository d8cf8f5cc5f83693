"""The campaigns of the demo and the scale data.

The demo runs a campaign placed around today, so that a newcomer sees a campaign in progress: the
self-check finished two weeks ago, the on-site inspection is under way, case handling and
rectification have started, the cross-region verification and the credit rating lie ahead. The scale
data (`generate_scale`) keeps the 2020 campaign, Henan's real year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
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
# the live campaign's windows, in days from today: the same order and overlaps as the 2020 plan
WINDOWS_LIVE = [
    (S.SELF_CHECK, -45, -15),
    (S.INSPECTION, -20, 40),
    (S.HANDLING, -10, 80),
    (S.RECTIFICATION, -45, 80),
    (S.CROSSCHECK, 81, 140),
    (S.OUTCOME, 141, 230),
    (S.NON_KEY, -10, 170),
]


def campaign_2020() -> Campaign:
    campaign, _ = Campaign.objects.get_or_create(
        year=2020,
        defaults={
            "name": "2020 年度排污单位一体化专项执法行动",
            "is_current": not Campaign.objects.filter(is_current=True).exists(),
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


@dataclass(frozen=True)
class Timeline:
    """The live campaign's calendar, for placing every demo record on it."""

    campaign: Campaign
    today: dt.date

    def starts(self, stage: str) -> dt.date:
        return self._window(stage).starts_on

    def ends(self, stage: str) -> dt.date:
        return self._window(stage).ends_on

    def _window(self, stage: str) -> StageWindow:
        return StageWindow.objects.get(campaign=self.campaign, stage=stage, city=None)

    def day(self, offset: int) -> dt.date:
        """A day counted from today (negative: in the past)."""
        return self.today + dt.timedelta(days=offset)

    def at(self, offset: int, hour: int = 10, minute: int = 0) -> dt.datetime:
        """A moment on a day counted from today, Beijing time."""
        return dt.datetime.combine(self.day(offset), dt.time(hour, minute), tzinfo=SHANGHAI)


def campaign_live(today: dt.date) -> Timeline:
    """This year's campaign, current, its windows around `today` (kept if it exists already)."""
    first = today + dt.timedelta(days=WINDOWS_LIVE[0][1])
    campaign = Campaign.objects.filter(year=first.year).first()
    if campaign is None:
        Campaign.objects.filter(is_current=True).update(is_current=False)
        campaign = Campaign.objects.create(
            year=first.year,
            name=f"{first.year} 年度排污单位一体化专项执法行动",
            is_current=True,
            liaison_deadline=dt.datetime.combine(
                first - dt.timedelta(days=5), dt.time(23, 59), tzinfo=SHANGHAI
            ),
            complaint_phone="0371-66309206",
            complaint_email="sqzxxd@163.com",
        )
        for stage, start, end in WINDOWS_LIVE:
            StageWindow.objects.create(
                campaign=campaign,
                stage=stage,
                city=None,
                starts_on=today + dt.timedelta(days=start),
                ends_on=today + dt.timedelta(days=end),
            )
        return Timeline(campaign=campaign, today=today)
    if not campaign.is_current:
        Campaign.objects.filter(is_current=True).update(is_current=False)
        Campaign.objects.filter(pk=campaign.pk).update(is_current=True)
        campaign.refresh_from_db()
    # seeded on an earlier day: records keep their places around the day the calendar was set
    self_check = StageWindow.objects.filter(
        campaign=campaign, stage=S.SELF_CHECK, city=None
    ).first()
    if self_check is None:
        return Timeline(campaign=campaign, today=today)
    anchor = self_check.starts_on - dt.timedelta(days=WINDOWS_LIVE[0][1])
    return Timeline(campaign=campaign, today=anchor)
