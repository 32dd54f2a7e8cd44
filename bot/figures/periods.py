"""Periods the figures cover: a first and a last day, the period before, and chart buckets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot.services import UK_TIME

DAYS_BY_DAY = 31  # up to this many days, a chart has a bar a day; then a week, then a month
DAYS_BY_WEEK = 183


@dataclass(frozen=True)
class Period:
    """The days from ``first`` to ``last``, both included."""

    first: date
    last: date

    def __post_init__(self) -> None:
        """Refuse a period that ends before it begins."""
        if self.last < self.first:
            raise ValueError("a period cannot end before it begins")

    @property
    def days(self) -> int:
        """Return how many days the period has."""
        return (self.last - self.first).days + 1

    def previous(self) -> Period:
        """Return the period of the same length just before this one (the trend's baseline)."""
        last = self.first - timedelta(days=1)
        return Period(last - timedelta(days=self.days - 1), last)

    def bounds(self) -> tuple[datetime, datetime]:
        """Return when the period begins and ends: UK midnight before and after it."""
        after = self.last + timedelta(days=1)
        return (
            datetime.combine(self.first, time(), UK_TIME),
            datetime.combine(after, time(), UK_TIME),
        )

    @property
    def label(self) -> str:
        """Return the period as people read it: "1 Oct 2026 to 31 Dec 2026"."""
        return f"{_day(self.first)} to {_day(self.last)}"


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def buckets(period: Period) -> list[tuple[date, date, str]]:
    """Return the chart's spans of ``period``: days, weeks (from its first day) or months."""
    if period.days <= DAYS_BY_WEEK:
        step = 1 if period.days <= DAYS_BY_DAY else 7
        spans = []
        first = period.first
        while first <= period.last:
            last = min(first + timedelta(days=step - 1), period.last)
            spans.append((first, last, _day(first) if step == 1 else f"Week of {_day(first)}"))
            first = last + timedelta(days=1)
        return spans
    spans, first = [], period.first
    while first <= period.last:
        next_month = (first.replace(day=1) + timedelta(days=32)).replace(day=1)
        last = min(next_month - timedelta(days=1), period.last)
        spans.append((first, last, f"{first:%B %Y}"))
        first = last + timedelta(days=1)
    return spans


LONGEST_DAYS = 3 * 366  # a longer period is refused: a scrutiny report covers up to three years
DEFAULT_DAYS = 30


def _quarter_start(day: date) -> date:
    return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)


def _financial_year_start(day: date) -> date:
    return date(day.year if day.month >= 4 else day.year - 1, 4, 1)


def presets(today: date) -> list[tuple[str, date, date]]:
    """Return the periods people usually ask for, as (label, first day, last day)."""
    month_start = today.replace(day=1)
    last_month_end = month_start - timedelta(days=1)
    quarter = _quarter_start(today)
    last_quarter = _quarter_start(quarter - timedelta(days=1))
    year = _financial_year_start(today)
    return [
        ("Last 7 days", today - timedelta(days=6), today),
        ("Last 30 days", today - timedelta(days=29), today),
        ("Last month", last_month_end.replace(day=1), last_month_end),
        ("This quarter so far", quarter, today),
        ("Last quarter", last_quarter, quarter - timedelta(days=1)),
        ("This financial year so far", year, today),
    ]


def chosen_period(first: str | None, last: str | None, today: date) -> tuple[Period, str]:
    """Return the period asked for, or the last 30 days and what was wrong with the request."""
    default = Period(today - timedelta(days=DEFAULT_DAYS - 1), today)
    if not first and not last:
        return default, ""
    try:
        period = Period(date.fromisoformat(first or ""), date.fromisoformat(last or ""))
    except ValueError:
        return default, "Choose a first and a last day (the last not before the first)."
    if period.days > LONGEST_DAYS:
        return default, "Choose a period of three years or less."
    return period, ""
