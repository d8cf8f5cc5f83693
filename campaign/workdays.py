"""The Chinese working calendar behind one small interface, for every statutory clock.

Working days skip weekends and statutory holidays and count the 调休 Saturdays and Sundays that are
worked. The data come from the `chinesecalendar` package for the years it knows (it is updated once
a year, after the State Council's notice) and, for a year it does not know yet, from the dates an
administrator entered (`HolidayYear`). A year known to neither is counted on weekends alone and
every date computed through it says so (`Due.unknown_years`): never a silent guess, never a crash.

Periods (行政处罚法 art. 85, 民法典 arts. 201–203): the start day is not counted; a natural-day
period whose last day is a rest day runs to the next working day; paused intervals (中止) do not
run.
"""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
import functools
import importlib.metadata
from collections.abc import Iterable
from dataclasses import dataclass, field

import chinese_calendar
import django.dispatch

# sent (after commit) when an administrator enters or corrects a year's holidays: the apps whose
# deadlines were computed on the working calendar recompute them (campaign imports none of them)
calendar_changed = django.dispatch.Signal()

ONE_DAY = dt.timedelta(days=1)
Pause = tuple[dt.date, dt.date]  # first and last day on which time does not run, inclusive


@dataclass(frozen=True)
class Due:
    """A computed last day, and the years it was computed through without holiday data."""

    date: dt.date
    unknown_years: tuple[int, ...] = ()

    @property
    def certain(self) -> bool:
        return not self.unknown_years

    @property
    def warning(self) -> str:
        if self.certain:
            return ""
        years = "、".join(str(y) for y in self.unknown_years)
        return (
            f"系统尚无 {years} 年的法定节假日和调休安排，该期限暂按周末和固定日期的节日推算，"
            "可能不准确。"
        )


@functools.cache
def package_years() -> range:
    """The years the installed chinesecalendar knows."""
    years = {day.year for day in chinese_calendar.holidays}
    return range(min(years), max(years) + 1)


@functools.cache
def package_version() -> str:
    return importlib.metadata.version("chinesecalendar")


# the statutory holidays with a fixed date (全国年节及纪念日放假办法): a year without data still
# does not count them as working days
FIXED_HOLIDAYS = {(1, 1), (5, 1), (10, 1), (10, 2), (10, 3)}


@dataclass
class WorkingCalendar:
    """Reads the entered dates once; one instance serves a whole recomputation."""

    _entered: dict[dt.date, bool] | None = None  # date → worked, as administrators entered them
    _entered_years: set[int] = field(default_factory=set)
    unknown: set[int] = field(default_factory=set)  # years met so far without data

    def _load(self) -> dict[dt.date, bool]:
        if self._entered is None:
            from campaign.models import HolidayDate, HolidayYear

            self._entered_years = set(HolidayYear.objects.values_list("year", flat=True))
            self._entered = {
                d: kind == HolidayDate.Kind.WORKDAY
                for d, kind in HolidayDate.objects.values_list("date", "kind")
            }
        return self._entered

    def is_known(self, year: int) -> bool:
        self._load()
        return year in package_years() or year in self._entered_years

    def is_working_day(self, day: dt.date) -> bool:
        entered = self._load()
        if day in entered:  # a notice's own dates (one may reach into the year before)
            return entered[day]
        if day.year in package_years():
            return chinese_calendar.is_workday(day)
        if day.year not in self._entered_years:
            self.unknown.add(day.year)
            return day.weekday() < 5 and (day.month, day.day) not in FIXED_HOLIDAYS
        return day.weekday() < 5

    def _due(self, day: dt.date) -> Due:
        found, self.unknown = tuple(sorted(self.unknown)), set()
        return Due(day, found)

    def add_working_days(self, start: dt.date, days: int, *, paused: Iterable[Pause] = ()) -> Due:
        """The `days`-th working day after `start` (a working day paused does not count)."""
        pauses = list(paused)
        self.unknown = set()
        day, counted = start, 0
        while counted < days:
            day += ONE_DAY
            if self.is_working_day(day) and not _in(day, pauses):
                counted += 1
        return self._due(day)

    def add_days(
        self, start: dt.date, days: int = 0, *, months: int = 0, paused: Iterable[Pause] = ()
    ) -> Due:
        """A natural-day (or month) period from `start`: the days paused after `start` are added,
        and a last day that is a rest day runs to the next working day."""
        pauses = list(paused)
        self.unknown = set()
        day = _add_months(start, months) + dt.timedelta(days=days)
        # each paused day after the start (and up to the moving end) puts the end back a day
        cursor = start
        while cursor < day:
            cursor += ONE_DAY
            if _in(cursor, pauses):
                day += ONE_DAY
        while not self.is_working_day(day):
            day += ONE_DAY
        return self._due(day)

    @property
    def version(self) -> str:
        """What the dates are computed on: stored with every deadline, so that a calendar update
        finds the deadlines to recompute."""
        self._load()
        text = f"chinesecalendar {package_version()}"
        if self._entered_years:
            text += "；录入 " + "、".join(str(y) for y in sorted(self._entered_years))
        return text

    def missing_years(self, years: Iterable[int]) -> list[int]:
        return [year for year in years if not self.is_known(year)]


def _in(day: dt.date, pauses: list[Pause]) -> bool:
    return any(first <= day <= last for first, last in pauses)


def _add_months(day: dt.date, months: int) -> dt.date:
    """The corresponding day `months` later, or that month's last day (民法典 art. 202)."""
    if not months:
        return day
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, month_calendar.monthrange(year, month)[1]))


def missing_now(today: dt.date) -> list[int]:
    """The years deadlines computed today may need and nobody has the holidays of: what the
    system check and the administrator's pages name."""
    return WorkingCalendar().missing_years(years_needed(today))


def years_needed(today: dt.date) -> list[int]:
    """The years whose holidays deadlines computed today may need: this one, and from October
    (when the State Council publishes it) the next."""
    return [today.year, today.year + 1] if today.month >= 10 else [today.year]
