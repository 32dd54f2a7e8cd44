"""CSV that is safe to open in a spreadsheet: a text cell that would run as a formula stays text."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """Return ``text`` as a spreadsheet shows it as text (a leading ``'`` before a formula)."""
    return f"'{text}" if text.startswith(FORMULA_START) else text


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """Return CSV with ``header`` then ``rows``; text cells are made safe, numbers kept."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(c) if isinstance(c, str) else c for c in row])
    return out.getvalue()
