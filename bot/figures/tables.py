"""The figures of a period: each table counted from the anonymous events, with its definition.

:func:`figure_tables` turns a period's events (and the previous period's, for the trend) into
tables whose cells are already suppressed (``bot/figures/suppression.py``): nothing downstream
(the console page, the report, the CSV) ever sees a raw small count.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from bot.figures.definitions import PRIORITIES, SPECS, Spec, label_of, priority_of
from bot.figures.events import FigureEvent, Measure
from bot.figures.periods import Period, buckets
from bot.figures.suppression import SMALLEST_SHOWN, Shown, change, suppress


@dataclass(frozen=True)
class Row:
    """One row of a table as shown."""

    label: str
    now: Shown
    before: Shown | None
    change: str


@dataclass(frozen=True)
class Table:
    """One table as shown: rows, its total if it has one, and what it counts."""

    key: str
    section: str
    title: str
    definition: str
    rows: list[Row]
    total: Row | None
    compared: bool = True  # has a previous-period column


def _counts(events: Sequence[FigureEvent], spec: Spec) -> Counter[str]:
    counts: Counter[str] = Counter()
    for event in events:
        if event.measure in spec.measures:
            counts[spec.split(event)] += event.weight
    return counts


def _rows(spec: Spec, now: Counter[str], before: Counter[str]) -> list[str]:
    """Return the table's row keys: the known ones in order, then others by count."""
    others = sorted((set(now) | set(before)) - set(spec.labels), key=lambda k: (-now[k], k))
    return [*spec.labels, *others]


def counted_table(
    spec: Spec, now_events: Sequence[FigureEvent], before_events: Sequence[FigureEvent]
) -> Table:
    """Return one table of counts for the period and the one before, suppressed."""
    now, before = _counts(now_events, spec), _counts(before_events, spec)
    keys = _rows(spec, now, before)
    now_cells, now_total = suppress(
        [now[k] for k in keys], sum(now.values()) if spec.total else None
    )
    before_cells, before_total = suppress(
        [before[k] for k in keys], sum(before.values()) if spec.total else None
    )
    rows = [
        Row(spec.labels.get(k) or label_of(k), n, b, change(n, b))
        for k, n, b in zip(keys, now_cells, before_cells, strict=True)
    ]
    total = None
    if now_total is not None and before_total is not None:
        total = Row("Total", now_total, before_total, change(now_total, before_total))
    return Table(spec.key, spec.section, spec.title, spec.definition, rows, total)


def by_day_table(period: Period, events: Sequence[FigureEvent]) -> Table:
    """Return conversations by day (by week or month over a longer period): a chart's data."""
    spans = buckets(period)
    counts = [0] * len(spans)
    for event in events:
        if event.measure is Measure.CONVERSATION:
            index = next(
                i for i, (first, last, _) in enumerate(spans) if first <= event.day <= last
            )
            counts[index] += event.weight
    cells, total = suppress(counts, sum(counts))
    rows = [Row(label, cell, None, "") for (_, _, label), cell in zip(spans, cells, strict=True)]
    assert total is not None
    return Table(
        "conversations_over_time",
        "Conversations",
        "Conversations over time",
        "Conversations that began each day (each week or month in a longer period).",
        rows,
        Row("Total", total, None, ""),
        compared=False,
    )


def format_duration(seconds: float) -> str:
    """Return a duration as people say it: "45 s", "12 min", "3 h 5 min", "2 days 4 h"."""
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    minutes = whole // 60
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} days {hours} h" if hours else f"{days} days"


@dataclass(frozen=True)
class WaitRow:
    """How long escalations of one priority waited, as shown."""

    label: str
    count: Shown
    median: str
    slowest_tenth: str  # the 90th percentile


def _waits(values: list[float], label: str) -> WaitRow:
    count = suppress([len(values)])[0][0]
    if len(values) < SMALLEST_SHOWN:
        return WaitRow(label, count, "not shown", "not shown")
    ordered = sorted(values)
    ninetieth = ordered[max(0, -(-9 * len(ordered) // 10) - 1)]
    return WaitRow(
        label, count, format_duration(statistics.median(ordered)), format_duration(ninetieth)
    )


def wait_rows(events: Sequence[FigureEvent], measure: Measure) -> list[WaitRow]:
    """Return each priority's count, median and 90th percentile of ``measure``'s seconds.

    Figures from fewer than 5 escalations are not shown.
    """
    by_priority: dict[str, list[float]] = {key: [] for key in PRIORITIES}
    for event in events:
        if event.measure is measure and event.seconds is not None:
            by_priority.setdefault(priority_of(event), []).append(event.seconds)
    return [_waits(values, PRIORITIES.get(key, key)) for key, values in by_priority.items()]


@dataclass(frozen=True)
class Figures:
    """Everything the Figures page and the report show for a period."""

    period: Period
    previous: Period
    tables: list[Table]
    claim_waits: list[WaitRow]
    close_times: list[WaitRow]


def figure_tables(
    period: Period,
    now_events: Sequence[FigureEvent],
    before_events: Sequence[FigureEvent],
    service_names: dict[str, str],
) -> Figures:
    """Return the period's figures, suppressed, with the previous period's for the trend."""
    tables = [by_day_table(period, now_events)]
    for spec in SPECS:
        if spec.key == "services":
            spec = Spec(**{**spec.__dict__, "labels": {**spec.labels, **service_names}})
        tables.append(counted_table(spec, now_events, before_events))
    return Figures(
        period,
        period.previous(),
        tables,
        wait_rows(now_events, Measure.ESCALATION_CLAIMED),
        wait_rows(now_events, Measure.ESCALATION_CLOSED),
    )
