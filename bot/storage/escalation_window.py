"""The minute an escalation raised by one message waits, so the next message can take it back.

Part of :class:`bot.storage.escalations.EscalationStore` (its base class), kept apart so each
module stays readable. An escalation raised by one message alone is committed (and its
reference shown) at once, but kept from the queue for :data:`WITHDRAWAL_WINDOW`: if the person's
next message takes it back ("oh wait, it's the postman"), it is closed as withdrawn and no duty
worker is alarmed; if the next message keeps it, it is queued at once.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot.figures.events import Measure
from bot.storage.escalation_records import (
    WITHDRAWN,
    WITHDRAWN_BY,
    Escalation,
    EscalationRow,
    Status,
    as_escalation,
    figure,
    seconds_since_raised,
)
from bot.storage.figures import add_figures

WITHDRAWAL_WINDOW = timedelta(seconds=60)
WITHDRAWAL_WINDOW_SETTING = "BOT_WITHDRAWAL_WINDOW_SECONDS"  # 0: queue every escalation at once


def withdrawal_window() -> timedelta:
    """Return how long an escalation raised by one message waits before it is queued."""
    configured = os.environ.get(WITHDRAWAL_WINDOW_SETTING, "")
    return timedelta(seconds=float(configured)) if configured else WITHDRAWAL_WINDOW


def in_queue(now: datetime) -> sa.ColumnElement[bool]:
    """Return the condition for an active escalation to be shown to duty workers at ``now``."""
    until = EscalationRow.withdrawable_until
    return sa.or_(until.is_(None), until <= now)


class WithdrawalWindow:
    """Withdrawing and queueing escalations that wait, in the store's database."""

    engine: sa.engine.Engine

    def withdraw(self, conversation_id: str) -> Escalation | None:
        """Close the conversation's escalation as withdrawn, if it is still waiting for that.

        One guarded update: only an open, unclaimed escalation inside its withdrawal window is
        withdrawn, so one a worker could already see is never taken away. Returns the
        escalation withdrawn (or withdrawn already: a message delivered twice), or None.
        """
        now = datetime.now(timezone.utc)
        waiting = [
            EscalationRow.conversation_id == conversation_id,
            EscalationRow.status == Status.OPEN.value,
            EscalationRow.claimed_by.is_(None),
            EscalationRow.withdrawable_until > now,
        ]
        with Session(self.engine) as session, session.begin():
            row = session.execute(sa.select(EscalationRow).where(*waiting)).scalar_one_or_none()
            if (
                row is not None
                and session.execute(
                    sa.update(EscalationRow)
                    .where(EscalationRow.id == row.id, *waiting)
                    .values(
                        status=Status.CLOSED.value,
                        outcome=WITHDRAWN,
                        closed_by=WITHDRAWN_BY,
                        closed_at=now,
                    )
                    .execution_options(synchronize_session=False)
                ).rowcount
            ):
                closed = figure(
                    Measure.ESCALATION_CLOSED,
                    row,
                    now,
                    outcome=WITHDRAWN,
                    seconds=seconds_since_raised(row, now),
                )
                add_figures(session, [closed])
            latest = session.execute(
                sa.select(EscalationRow)
                .where(EscalationRow.conversation_id == conversation_id)
                .order_by(EscalationRow.id.desc())
                .limit(1)
                .execution_options(populate_existing=True)  # as just updated
            ).scalar_one_or_none()
            withdrawn = latest is not None and latest.outcome == WITHDRAWN
            return as_escalation(latest) if withdrawn else None

    def queue_now(self, conversation_id: str) -> None:
        """Put the conversation's waiting escalation in the queue now (the follow-up kept it)."""
        with Session(self.engine) as session, session.begin():
            session.execute(
                sa.update(EscalationRow)
                .where(
                    EscalationRow.conversation_id == conversation_id,
                    EscalationRow.status != Status.CLOSED.value,
                    EscalationRow.withdrawable_until.is_not(None),
                )
                .values(withdrawable_until=None)
            )
