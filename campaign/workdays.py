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
from collections.abc import Iterable
from dataclasses import dataclass, field

import chinese_calendar

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
        return f"系统尚无 {years} 年的法定节假日和调休安排，该期限暂按周末推算，可能不准确。"


def package_years() -> range:
    """The years the installed chinesecalendar knows."""
    years = {day.year for day in chinese_calendar.holidays}
    return range(min(years), max(years) + 1)


@dataclass
class WorkingCalendar:
    """Reads each year's data once; one instance serves a whole recomputation."""

    _entered: dict[int, dict[dt.date, bool] | None] = field(default_factory=dict)
    unknown: set[int] = field(default_factory=set)  # years met so far without data

    def _entered_year(self, year: int) -> dict[dt.date, bool] | None:
        if year not in self._entered:
            from campaign.models import HolidayDate, HolidayYear

            if HolidayYear.objects.filter(year=year).exists():
                self._entered[year] = {
                    d.date: d.kind == HolidayDate.Kind.WORKDAY
                    for d in HolidayDate.objects.filter(year__year=year)
                }
            else:
                self._entered[year] = None
        return self._entered[year]

    def is_known(self, year: int) -> bool:
        return year in package_years() or self._entered_year(year) is not None

    def is_working_day(self, day: dt.date) -> bool:
        if day.year in package_years():
            return chinese_calendar.is_workday(day)
        entered = self._entered_year(day.year)
        if entered is None:
            self.unknown.add(day.year)
            return day.weekday() < 5
        return entered.get(day, day.weekday() < 5)

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


def years_needed(today: dt.date) -> list[int]:
    """The years whose holidays deadlines computed today may need: this one, and from October
    (when the State Council publishes it) the next."""
    return [today.year, today.year + 1] if today.month >= 10 else [today.year]
