"""Delete conversations once they must no longer be kept.

What the privacy wording promises: a conversation with no safety concern is deleted 30 days
after its last message. A conversation with an escalation, or one that quoted a reference, is
kept for the council's safeguarding record. ``bot run`` purges at start and every hour.
"""

from __future__ import annotations

import time

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
    """Delete conversations idle for ``days`` with no escalation; count them.

    Their events go, and with them what else is kept about them: quick exits and SMS records
    (the encrypted number, message ids and sent messages).
    """
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
        for sender in to_delete:
            connection.execute(sa.text("DELETE FROM events WHERE sender_id = :s"), {"s": sender})
    ExitStore(engine=escalations.engine).forget(set(to_delete))
    sms = SmsStore(engine=escalations.engine)
    for conversation_id in to_delete:
        sms.forget_contact(conversation_id)
    return len(to_delete)
