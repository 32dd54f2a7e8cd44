"""Delete conversations once they must no longer be kept.

What the privacy wording promises: a conversation with no safety concern is deleted 30 days
after its last message. A conversation with an escalation, or one that quoted a reference, is
kept for the council's safeguarding record. ``bot run`` purges at start and every hour.
"""

from __future__ import annotations

import time
from collections.abc import Collection

import sqlalchemy as sa

from bot.storage.escalations import EscalationStore
from bot.storage.exits import ExitStore
from bot.storage.sms import SmsStore

RETENTION_DAYS = 30


def purge_conversations(
    tracker_engine: sa.engine.Engine,
    escalations: EscalationStore,
    days: int = RETENTION_DAYS,
    now: float | None = None,
) -> int:
    """Delete conversations idle for ``days`` that are not a safeguarding record; count them."""
    cutoff = (now if now is not None else time.time()) - days * 86400
    keep = escalations.conversations_to_keep()
    with tracker_engine.begin() as connection:
        if not sa.inspect(connection).has_table("events"):
            return 0
        idle = connection.execute(
            sa.text(
                "SELECT sender_id FROM events GROUP BY sender_id HAVING MAX(timestamp) < :cutoff"
            ),
            {"cutoff": cutoff},
        ).scalars()
        to_delete = [sender for sender in idle if sender not in keep]
    forget_conversations(tracker_engine, escalations.engine, to_delete)
    return len(to_delete)


def forget_conversations(
    tracker_engine: sa.engine.Engine,
    database_engine: sa.engine.Engine,
    conversation_ids: Collection[str],
) -> None:
    """Delete everything kept about these conversations (retention, or a request to delete).

    Their events, and with them their quick exits and SMS records (the encrypted number,
    message ids, sent messages and their statuses). Escalations are never deleted here.
    """
    if not conversation_ids:
        return
    with tracker_engine.begin() as connection:
        if sa.inspect(connection).has_table("events"):
            for conversation_id in conversation_ids:
                connection.execute(
                    sa.text("DELETE FROM events WHERE sender_id = :s"), {"s": conversation_id}
                )
    ExitStore(engine=database_engine).forget(set(conversation_ids))
    sms = SmsStore(engine=database_engine)
    for conversation_id in conversation_ids:
        sms.forget_contact(conversation_id)
