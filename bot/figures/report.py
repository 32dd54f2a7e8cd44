"""The figures of a period for people: the console's page, a printable report, and CSV.

All three are made from the same suppressed :class:`~bot.figures.tables.Figures`, so a number
hidden on the page is hidden in the download too.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from bot.console.pages import PAGES, TEMPLATES
from bot.content.catalogue import Catalogue
from bot.figures.charts import Chart, bar_chart
from bot.figures.periods import Period
from bot.figures.suppression import FEWER_THAN_5, NOT_SHOWN, SMALLEST_SHOWN, Shown
from bot.figures.tables import Figures, Row, figure_tables
from bot.spreadsheets import csv_text
from bot.storage.figures import FigureStore

# the tables drawn as charts as well (every table is shown as a table)
CHARTED = (
    "conversations_over_time",
    "conversations_audience",
    "topics",
    "escalations_priority",
    "escalations_category",
)
SUPPRESSION_NOTE = (
    f"Counts from 1 to {SMALLEST_SHOWN - 1} are shown as \u201c{FEWER_THAN_5}\u201d, so that no "
    f"child can be identified; another count is then \u201c{NOT_SHOWN}\u201d where it would let "
    "the small one be worked out from a total. A change is shown only when both counts are. "
    "Times are shown only for groups of 5 escalations or more."
)

WAIT_DEFINITION = (
    "From the moment an escalation was raised (the person was given their reference) to the "
    "first time a duty worker claimed it, and to when it was closed; claims and closes in the "
    "period."
)


def service_names(catalogue: Catalogue) -> dict[str, str]:
    """Return the English names, by id, of the services this deployment's profile lists."""
    return {s.id: s.name["en"] for s in catalogue.services_for_profile(catalogue.profile())}


class FigureReports:
    """The figures of any period, from the figure events and the services' names."""

    def __init__(self, store: FigureStore, catalogue: Catalogue) -> None:
        """Read figure events from ``store``; name services as ``catalogue`` does."""
        self.store = store
        self.names = service_names(catalogue)

    def figures(self, period: Period) -> Figures:
        """Return the figures of ``period``, with the period before it for the trend."""
        previous = period.previous()
        events = self.store.between(previous.first, period.last)
        now = [e for e in events if e.day >= period.first]
        before = [e for e in events if e.day < period.first]
        return figure_tables(period, now, before, self.names)


def charts(figures: Figures) -> dict[str, Chart]:
    """Return the charts drawn beside their tables, by table key."""
    return {t.key: bar_chart(t) for t in figures.tables if t.key in CHARTED}


def _shown(cell: Shown | None) -> object:
    """Return a cell for CSV: its number, the reason it is hidden, or empty."""
    return "" if cell is None else (cell.text if cell.value is None else cell.value)


def _change(row: Row) -> object:
    """Return a change for CSV: a signed number when both counts are shown."""
    if row.before is not None and row.now.value is not None and row.before.value is not None:
        return row.now.value - row.before.value
    return row.change


def as_csv(figures: Figures) -> str:
    """Return the figures as CSV: one line per count, with its definition."""
    header = ["section", "figure", "row", "this period", "previous period", "change", "definition"]
    lines: list[list[object]] = []
    for table in figures.tables:
        rows = [*table.rows, *([table.total] if table.total else [])]
        for row in rows:
            values = [_shown(row.now), _shown(row.before), _change(row)]
            lines.append([table.section, table.title, row.label, *values, table.definition])
    for title, waits in (
        ("Time to a person claiming it", figures.claim_waits),
        ("Time to close", figures.close_times),
    ):
        for wait in waits:
            for name, value in (("median", wait.median), ("90th percentile", wait.slowest_tenth)):
                label = f"{wait.label}: {name} (of {wait.count.text})"
                lines.append(["Escalations", title, label, value, "", "", WAIT_DEFINITION])
    return csv_text(header, lines)


@lru_cache(maxsize=1)
def _console_css() -> str:
    return (PAGES / "console.css").read_text(encoding="utf-8")


def as_html(figures: Figures, made_on: date, inline_css: bool) -> str:
    """Return the printable report (``inline_css``: a file that stands alone, for the CLI)."""
    return TEMPLATES.get_template("figures_report.html").render(
        figures=figures,
        charts=charts(figures),
        suppression_note=SUPPRESSION_NOTE,
        wait_definition=WAIT_DEFINITION,
        made_on=made_on,
        inline_css=_console_css() if inline_css else "",
    )
