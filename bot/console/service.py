"""What the console does, without the web: the queue as workers see it, and the claim watcher.

The routes (``bot/console/routes_*.py``) turn requests into calls on one :class:`ConsoleService`
built when the server starts, with the stores built once and handed in, so every route and the
background watcher share them. Nothing here knows about Sanic.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from bot.channels.phone_numbers import PhoneVault, mask
from bot.console.accounts import AccountStore
from bot.console.audit import AuditLog
from bot.console.handoff import SMS, WEBCHAT, Handoff, TranscriptLine, wording
from bot.console.sessions import ConsoleSessions
from bot.content.catalogue import cached_catalogue
from bot.content.checks import CANNED_REPLY_PREFIX
from bot.figures.report import FigureReports
from bot.paths import content_dir
from bot.safety.routes import subject_label
from bot.storage.escalation_records import FALSE_ALARM, Escalation, Status
from bot.storage.escalations import EscalationStore
from bot.storage.exits import ExitStore
from bot.storage.held_conversations import held_conversations
from bot.storage.sms import UNSENT_STATUSES, Contact, SmsStore

logger = logging.getLogger(__name__)
DEFAULT_QUIET_SECONDS = 180
FALSE_ALARM_PERIOD = timedelta(days=30)
SYSTEM_ACTOR = "(console)"


def quiet_time() -> timedelta:
    """Return how long a worker may leave a message unanswered (``BOT_CONSOLE_QUIET_SECONDS``)."""
    return timedelta(
        seconds=float(os.environ.get("BOT_CONSOLE_QUIET_SECONDS", DEFAULT_QUIET_SECONDS))
    )


def age_seconds(moment: datetime) -> int:
    """Return how many whole seconds ago ``moment`` was."""
    return int((datetime.now(timezone.utc) - moment).total_seconds())


def line_json(line: TranscriptLine) -> dict[str, Any]:
    """Return a transcript line for the page (text is data, never markup)."""
    return {
        "speaker": line.speaker,
        "text": line.text,
        "at": line.at.isoformat(),
        "worker": line.worker,
        "delivery": line.delivery,
        "indicators": list(line.indicators),
        "message_id": line.message_id,
    }


class SharedSnapshots:
    """One snapshot per key for every open stream within ``ttl`` seconds.

    Each console tab polls twice a second; sharing what they read keeps the database and the
    tracker store from doing the same work once per tab (the bot's turns use them too).
    """

    def __init__(self, ttl: float) -> None:
        """Keep each snapshot for ``ttl`` seconds."""
        self.ttl = ttl
        self._made: dict[tuple[str, ...], tuple[float, asyncio.Future[Any]]] = {}

    async def get(self, key: tuple[str, ...], make: Callable[[], Awaitable[Any]]) -> Any:
        """Return the snapshot for ``key``, made by ``make()`` unless a recent one exists."""
        now = time.monotonic()
        recent = self._made.get(key)
        if recent is None or now - recent[0] >= self.ttl:
            for stale in [k for k, (at, _) in self._made.items() if now - at >= self.ttl]:
                del self._made[stale]
            recent = (now, asyncio.ensure_future(make()))
            self._made[key] = recent
        return await asyncio.shield(recent[1])


@dataclass
class ConsoleService:
    """The console's stores and what it shows and does with them."""

    escalations: EscalationStore
    accounts: AccountStore
    sessions: ConsoleSessions
    audit: AuditLog
    sms: SmsStore
    exits: ExitStore
    vault: PhoneVault
    channels: dict[str, Any] = field(default_factory=dict)  # Rasa input channels by name
    handoff: Handoff | None = None  # None only where no conversation is ever handed over
    reports: FigureReports | None = None  # the Figures page's source (built when it starts)
    quiet: timedelta = field(default_factory=quiet_time)
    snapshots: SharedSnapshots = field(default_factory=lambda: SharedSnapshots(0.5))

    def require_reports(self) -> FigureReports:
        """Return the figures' reports (they exist once the server has started)."""
        if self.reports is None:
            raise RuntimeError("the console's figures are not connected")
        return self.reports

    def require_handoff(self) -> Handoff:
        """Return the handoff to the bot's channels (it exists once the server has started)."""
        if self.handoff is None:
            raise RuntimeError("the console is not connected to the assistant")
        return self.handoff

    # what a worker sees

    def _identifier(self, escalation: Escalation, contact: Contact | None, full: bool) -> str:
        """Return who the person is: masked, or in ``full`` (only ever on an audited request)."""
        if escalation.channel == SMS:
            try:
                number = self.vault.unseal(contact.address_encrypted) if contact else ""
            except Exception:  # a number kept under another key must not hide the queue
                logger.exception("could not read the number of %s", escalation.reference)
                number = ""
            if not number:
                return "•••• ••• •••"
            return number if full else mask(number)
        cid = escalation.conversation_id
        return cid if full else f"{cid[:6]}…"

    def full_identifier(self, escalation: Escalation) -> str:
        """Return the person's number or conversation id in full (supervisors, audited)."""
        sms = escalation.channel == SMS
        contact = self.sms.contact(escalation.conversation_id) if sms else None
        return self._identifier(escalation, contact, full=True)

    def _connection(self, escalation: Escalation, contact: Contact | None) -> dict[str, Any]:
        """Return whether the person can still be reached, as the queue shows it."""
        cid = escalation.conversation_id
        state: dict[str, Any] = {"quick_exited": self.exits.exited_at(cid) is not None}
        if escalation.channel == WEBCHAT:
            webchat = self.channels.get(WEBCHAT)
            state["connected"] = bool(webchat and webchat.connected(cid))
        elif escalation.channel == SMS:
            state["opted_out"] = bool(contact and contact.opted_out)
            state["safe_to_text"] = contact.safe_to_text if contact else None
            outbound = self.sms.outbound_for(cid)
            state["unsent_texts"] = sum(o.status in UNSENT_STATUSES for o in outbound)
        return state

    def escalation_json(self, escalation: Escalation, role: str) -> dict[str, Any]:
        """Return an escalation as the console shows it."""
        sms = escalation.channel == SMS
        contact = self.sms.contact(escalation.conversation_id) if sms else None
        return {
            "reference": escalation.reference,
            "priority": escalation.priority,
            "route": escalation.route,
            "subject": subject_label(escalation.subject),
            "indicators": list(escalation.indicators),
            "evidence_message_ids": list(escalation.evidence_message_ids),
            "channel": escalation.channel,
            "age_seconds": age_seconds(escalation.created_at),
            "created_at": escalation.created_at.isoformat(),
            "status": escalation.status,
            "claimed_by": escalation.claimed_by,
            "outcome": escalation.outcome,
            "consent": escalation.consent,
            "identifier": self._identifier(escalation, contact, full=False),
            **self._connection(escalation, contact),
        }

    def false_alarm_share(self) -> str:
        """Return how many escalations closed in the last 30 days were false alarms."""
        since = datetime.now(timezone.utc) - FALSE_ALARM_PERIOD
        counts = self.escalations.outcome_counts(since)
        closed, false = sum(counts.values()), counts.get(FALSE_ALARM, 0)
        if not closed:
            return "No escalations closed in the last 30 days."
        return (
            f"False alarms in the last 30 days: {false} of {closed} closed escalations "
            f"({round(100 * false / closed)}%)."
        )

    def queue_json(self, role: str) -> list[dict[str, Any]]:
        """Return the queue, most urgent first, then longest waiting."""
        return [self.escalation_json(e, role) for e in self.escalations.queue()]

    def canned_replies(self, channel: str, language: str) -> list[dict[str, str]]:
        """Return the reviewed canned replies, worded for ``channel`` in ``language``."""
        ids = sorted(
            i for i in cached_catalogue(content_dir()).items if i.startswith(CANNED_REPLY_PREFIX)
        )
        return [{"id": item_id, "text": wording(item_id, channel, language)} for item_id in ids]

    # background work

    async def watch_claims(self) -> None:
        """Keep every claimed conversation answered, every few seconds.

        A claim whose worker has signed out, gone idle or been disabled goes back to the queue
        and the bot takes the conversation back (the person is told). A person whose worker has
        gone quiet is told so and offered the 24/7 routes.
        """
        every = max(1.0, min(5.0, self.quiet.total_seconds() / 3))
        while True:
            await asyncio.sleep(every)
            try:
                await self.check_claims()
            except Exception:  # keep watching: one failure must not stop the next check
                logger.exception("checking claimed conversations failed")

    async def check_claims(self) -> None:
        """Release claims nobody is signed in to hold; remind people whose worker is quiet."""
        queue = await asyncio.to_thread(self.escalations.queue)
        held = [e for e in queue if e.status == Status.CLAIMED.value]
        if not held:
            return
        present = await asyncio.to_thread(self.sessions.signed_in)
        for escalation in held:
            try:
                await self.check_claim(escalation, present)
            except Exception:  # one failure must not stop the checks of the others
                logger.exception("checking %s failed", escalation.reference)

    async def check_claim(self, escalation: Escalation, present: set[str]) -> None:
        """Release one claim if its holder is gone, else remind the person if they are quiet."""
        handoff = self.require_handoff()
        holder = escalation.claimed_by or ""
        if holder not in present:
            if await asyncio.to_thread(self.escalations.release, escalation.reference, holder):
                held_conversations().changed()
                await asyncio.to_thread(
                    self.audit.record, SYSTEM_ACTOR, "release", escalation.reference, holder
                )
                await handoff.leave(escalation)
            return
        waiting_since = await handoff.quiet_since(escalation, self.quiet)
        # told once per unanswered message, whichever server process noticed first
        if waiting_since is not None and await asyncio.to_thread(
            self.escalations.mark_reminded, escalation.reference, waiting_since
        ):
            await handoff.remind(escalation)
            logger.warning("Told %s that the worker is quiet", escalation.reference)
