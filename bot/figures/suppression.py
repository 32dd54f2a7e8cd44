"""Small numbers are not shown: counts from 1 to 4 are "fewer than 5", and nothing reveals them.

The practice followed is the one the Department for Education's official children's social care
statistics use (and the Government Statistical Service's guidance on disclosure control for
tables): a small count could identify a child, so it is suppressed (primary suppression), and
then enough other cells are suppressed that no sum or difference gives it back (secondary
suppression):

- a count from 1 to 4 is shown as "fewer than 5"; 0 is shown (no one can be identified in it);
- in a table with a total, one suppressed cell could be worked out as the total minus the rest,
  so the next smallest cell is suppressed too (the smallest above 0 if there is one; the total
  if there is no other cell);
- a change between two periods is shown only when both counts are.

A cell suppressed only to protect another says "not shown" (the definitions say why).
"""

from __future__ import annotations

from dataclasses import dataclass

SMALLEST_SHOWN = 5
FEWER_THAN_5 = "fewer than 5"
NOT_SHOWN = "not shown"


@dataclass(frozen=True)
class Shown:
    """A count as the figures show it: the number, or why it is hidden."""

    value: int | None  # None: hidden
    reason: str = ""  # FEWER_THAN_5 (primary) or NOT_SHOWN (secondary)

    @property
    def text(self) -> str:
        """Return what a reader sees."""
        return self.reason if self.value is None else f"{self.value:,}"


def is_small(count: int) -> bool:
    """Return whether ``count`` is suppressed for its own sake (1 to 4)."""
    return 0 < count < SMALLEST_SHOWN


def suppress(counts: list[int], total: int | None = None) -> tuple[list[Shown], Shown | None]:
    """Return ``counts`` (the cells of one table column) and their ``total`` as shown.

    ``total`` is given when the table shows one; without it only primary suppression applies.
    """
    hidden = [is_small(c) for c in counts]
    total_hidden = total is not None and is_small(total)
    reasons = [FEWER_THAN_5 if h else "" for h in hidden]
    total_reason = FEWER_THAN_5 if total_hidden else ""
    if total is not None and not total_hidden:
        while sum(hidden) == 1:
            candidates = [i for i, h in enumerate(hidden) if not h]
            if not candidates:
                total_hidden, total_reason = True, NOT_SHOWN
                break
            # the smallest count that is not 0 (a hidden 0 protects little), else a 0
            smallest = min(candidates, key=lambda i: (counts[i] == 0, counts[i], i))
            hidden[smallest], reasons[smallest] = True, NOT_SHOWN
    cells = [
        Shown(None, r) if h else Shown(c) for c, h, r in zip(counts, hidden, reasons, strict=True)
    ]
    if total is None:
        return cells, None
    return cells, Shown(None, total_reason) if total_hidden else Shown(total)


def change(now: Shown, before: Shown) -> str:
    """Return the change from ``before`` to ``now`` ("+3", "-2", "no change"), or "not shown"."""
    if now.value is None or before.value is None:
        return NOT_SHOWN
    difference = now.value - before.value
    return "no change" if difference == 0 else f"{difference:+,}"
