"""Bar charts drawn on the server as SVG: no script, no third-party code, nothing inline to run.

A chart is the geometry of one table's bars (this period's counts); the template draws it as
``<rect>`` and ``<text>`` elements with classes for colour, so the console's strict CSP holds.
A hidden count draws no bar and says why instead; the table beside the chart has every value.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.figures.tables import Table

WIDTH = 640  # the chart's own units: it scales to the page
LABEL_WIDTH = 230
BAR_SPACE = 300  # the longest bar; its value is written after it
ROW_HEIGHT = 24
BAR_HEIGHT = 16


@dataclass(frozen=True)
class Bar:
    """One bar: where it is, how long, and the label and value written beside it."""

    label: str
    value_text: str
    y: int
    width: int  # 0 for a zero or hidden count

    @property
    def text_x(self) -> int:
        """Return where the value is written: just after the bar."""
        return LABEL_WIDTH + self.width + 6


@dataclass(frozen=True)
class Chart:
    """A horizontal bar chart of one table."""

    key: str
    title: str
    bars: list[Bar]

    @property
    def height(self) -> int:
        """Return the chart's height in its own units."""
        return ROW_HEIGHT * len(self.bars) + 8

    @property
    def width(self) -> int:
        """Return the chart's width in its own units."""
        return WIDTH

    @property
    def bar_x(self) -> int:
        """Return where every bar starts."""
        return LABEL_WIDTH

    @property
    def bar_height(self) -> int:
        """Return each bar's thickness."""
        return BAR_HEIGHT


def bar_chart(table: Table) -> Chart:
    """Return the chart of ``table``'s rows for this period (hidden counts draw no bar)."""
    values = [row.now.value or 0 for row in table.rows]
    longest = max(values, default=0) or 1
    bars = [
        Bar(
            label=_shortened(row.label),
            value_text=row.now.text,
            y=4 + i * ROW_HEIGHT,
            width=round(BAR_SPACE * value / longest),
        )
        for i, (row, value) in enumerate(zip(table.rows, values, strict=True))
    ]
    return Chart(table.key, table.title, bars)


def _shortened(label: str, most: int = 32) -> str:
    """Return a label that fits beside its bar (the table has it in full)."""
    return label if len(label) <= most else label[: most - 1].rstrip() + "…"
