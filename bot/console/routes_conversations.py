"""Console routes for one escalation: look up, view, claim, reply, note, transfer, close, reopen.

Every action is audited. Only the worker holding a claim may reply; a reply is checked against
the escalation as it is just before sending, since it may have been closed or moved since.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.console.accounts import SUPERVISOR_ROLES
from bot.console.pages import COOKIE_PATH
from bot.console.service import ConsoleService, line_json
from bot.console.sessions import ConsoleSession
from bot.console.web import Handler, page_response, record, service, signed_in, stream
from bot.storage.escalation_records import OUTCOMES, Escalation, EscalationError, Status
from bot.storage.held_conversations import held_conversations
from bot.storage.references import parse_reference

MAX_REPLY_CHARS = 1600
MAX_NOTE_CHARS = 4000


async def find(console: ConsoleService, reference: str) -> Escalation | None:
    """Return the escalation with ``reference`` (any case), or None."""
    return await asyncio.to_thread(console.escalations.get, reference.upper())


@signed_in()
async def lookup(request: Request, session: ConsoleSession) -> HTTPResponse:
    """Go to the escalation with the reference typed, however it was typed."""
    reference = parse_reference(request.args.get("reference", ""))
    if reference is None or await find(service(request), reference) is None:
        return page_response("not_found.html", session, status=404)
    return response.redirect(f"{COOKIE_PATH}/conversations/{reference}")


@signed_in()
async def conversation_page(
    request: Request, session: ConsoleSession, reference: str
) -> HTTPResponse:
    """Show one escalation's page (its transcript arrives over the stream)."""
    escalation = await find(service(request), reference)
    if escalation is None:
        return page_response("not_found.html", session, status=404)
    return page_response(
        "conversation.html", session, reference=escalation.reference, outcomes=OUTCOMES
    )


async def conversation_json(
    console: ConsoleService, escalation: Escalation, session: ConsoleSession
) -> dict[str, Any]:
    """Return what the conversation page shows: the escalation, transcript, notes, replies."""
    handoff, cid = console.require_handoff(), escalation.conversation_id
    lines = await console.snapshots.get(("transcript", cid), lambda: handoff.transcript(cid))
    notes = await asyncio.to_thread(console.escalations.notes, escalation.reference)
    language = await handoff.language(cid)
    return {
        "escalation": await asyncio.to_thread(console.escalation_json, escalation, session.role),
        "language": language,
        "lines": [line_json(line) for line in lines],
        "notes": [
            {"author": n.author, "text": n.text, "at": n.created_at.isoformat()} for n in notes
        ],
        "canned": console.canned_replies(escalation.channel, language),
        "you": session.user_name,
    }


@signed_in(api=True)
async def conversation_events(
    request: Request, session: ConsoleSession, reference: str
) -> HTTPResponse:
    """Stream one escalation's page data whenever it changes (the view is audited)."""
    console = service(request)
    escalation = await find(console, reference)
    if escalation is None:
        return response.json({"error": "not_found"}, status=404)
    await record(request, session.user_name, "view_transcript", escalation.reference)

    async def snapshot() -> Any:
        latest = await find(console, reference)
        data = await conversation_json(console, latest or escalation, session)
        data["escalation"].pop("age_seconds")
        return data

    return await stream(request, "conversation", snapshot)


@dataclass(frozen=True)
class Act:
    """One worker's action on one escalation: who, on what, with which request body."""

    request: Request
    session: ConsoleSession
    console: ConsoleService
    escalation: Escalation
    body: dict[str, Any]

    @property
    def reference(self) -> str:
        """Return the escalation's reference."""
        return self.escalation.reference

    def record(self, action: str, detail: str = "") -> Awaitable[int]:
        """Audit ``action`` on this escalation by this worker."""
        return record(self.request, self.session.user_name, action, self.reference, detail)


def escalation_action(run: Callable[[Act], Awaitable[dict[str, Any]]]) -> Handler:
    """Return a signed-in API route running ``run`` on the escalation in the path.

    An unknown reference is a 404; an action the escalation's state refuses is a 409 with the
    reason.
    """

    @signed_in(api=True)
    @wraps(run)
    async def handler(request: Request, session: ConsoleSession, reference: str) -> HTTPResponse:
        console = service(request)
        escalation = await find(console, reference)
        if escalation is None:
            return response.json({"error": "not_found"}, status=404)
        body = request.json if isinstance(request.json, dict) else {}
        try:
            return response.json(await run(Act(request, session, console, escalation, body)))
        except EscalationError as error:
            return response.json({"error": str(error)}, status=409)

    return handler


@escalation_action
async def claim(act: Act) -> dict[str, Any]:
    """Claim an escalation and take the conversation over from the bot."""
    won, holder = await asyncio.to_thread(
        act.console.escalations.claim, act.reference, act.session.user_name
    )
    if not won:
        return {"won": False, "holder": holder}
    held_conversations().changed()
    await act.record("claim")
    delivery = await act.console.require_handoff().join(act.escalation)
    return {"won": True, "holder": holder, "delivery": delivery}


def require_holder(escalation: Escalation, session: ConsoleSession) -> None:
    """Refuse unless ``session``'s worker holds the claim on ``escalation``."""
    if escalation.status != Status.CLAIMED.value or escalation.claimed_by != session.user_name:
        raise EscalationError("claim this conversation before replying")


def reply_text(
    console: ConsoleService, escalation: Escalation, body: dict[str, Any], language: str
) -> tuple[str, str]:
    """Return ``(text, audit detail)`` of a reply: a canned reply (in ``language``) or free text."""
    canned_id = str(body.get("canned") or "")
    if canned_id:
        canned = {c["id"]: c["text"] for c in console.canned_replies(escalation.channel, language)}
        if canned_id not in canned:
            raise EscalationError("there is no such canned reply")
        return canned[canned_id], f"canned reply {canned_id}"
    text = str(body.get("text") or "").strip()
    if not text:
        raise EscalationError("write a reply first")
    if len(text) > MAX_REPLY_CHARS:
        raise EscalationError(f"a reply can be at most {MAX_REPLY_CHARS} characters")
    return text, f"free text, {len(text)} characters"


@escalation_action
async def reply(act: Act) -> dict[str, Any]:
    """Send the holder's reply through the person's channel."""
    language = await act.console.require_handoff().language(act.escalation.conversation_id)
    text, detail = reply_text(act.console, act.escalation, act.body, language)
    # read just before sending: it may have been closed or moved since the request came
    latest = await find(act.console, act.reference)
    require_holder(latest or act.escalation, act.session)
    handoff = act.console.require_handoff()
    delivery = await handoff.reply(act.escalation, act.session.user_name, text)
    await act.record("reply", f"{detail}; {delivery}")
    return {"delivery": delivery}


@escalation_action
async def note(act: Act) -> dict[str, Any]:
    """Add a private note (never sent to the person)."""
    text = str(act.body.get("text") or "").strip()
    if not text or len(text) > MAX_NOTE_CHARS:
        raise EscalationError(f"a note needs 1 to {MAX_NOTE_CHARS} characters")
    await asyncio.to_thread(
        act.console.escalations.add_note, act.reference, act.session.user_name, text
    )
    await act.record("note")
    return {"noted": True}


@escalation_action
async def transfer(act: Act) -> dict[str, Any]:
    """Hand a claimed escalation to another worker who is signed in now."""
    target = str(act.body.get("to") or "").strip()
    present = await asyncio.to_thread(act.console.sessions.signed_in)
    if target not in present or target == act.session.user_name:
        raise EscalationError("choose another worker who is signed in now")
    holder = None if act.session.role in SUPERVISOR_ROLES else act.session.user_name
    await asyncio.to_thread(act.console.escalations.transfer, act.reference, holder, target)
    await act.record("transfer", f"to {target}")
    return {"holder": target}


@escalation_action
async def close(act: Act) -> dict[str, Any]:
    """Close an escalation with an outcome and hand the conversation back to the bot."""
    outcome = str(act.body.get("outcome") or "")
    supervisor = act.session.role in SUPERVISOR_ROLES
    closed, was = await asyncio.to_thread(
        act.console.escalations.close, act.reference, act.session.user_name, outcome, supervisor
    )
    held_conversations().changed()
    await act.record("close", outcome)
    delivery = None
    if was == Status.CLAIMED.value:
        delivery = await act.console.require_handoff().leave(closed)
    return {"status": closed.status, "outcome": outcome, "delivery": delivery}


@escalation_action
async def reopen(act: Act) -> dict[str, Any]:
    """Reopen a closed escalation."""
    reopened = await asyncio.to_thread(act.console.escalations.reopen, act.reference)
    await act.record("reopen")
    return {"status": reopened.status}


@signed_in(roles=SUPERVISOR_ROLES, api=True)
async def identifier(request: Request, session: ConsoleSession, reference: str) -> HTTPResponse:
    """Show a supervisor the person's number (or conversation id) in full; audited."""
    console = service(request)
    escalation = await find(console, reference)
    if escalation is None:
        return response.json({"error": "not_found"}, status=404)
    await record(request, session.user_name, "view_identifier", escalation.reference)
    full = await asyncio.to_thread(console.full_identifier, escalation)
    return response.json({"identifier": full})


def register(bp: Blueprint) -> None:
    """Add one escalation's routes to the console's blueprint."""
    bp.add_route(lookup, "/lookup", methods=["GET"])
    bp.add_route(conversation_page, "/conversations/<reference>", methods=["GET"])
    bp.add_route(conversation_events, "/api/conversations/<reference>/events", methods=["GET"])
    for handler in (claim, reply, note, transfer, close, reopen, identifier):
        path = f"/api/conversations/<reference>/{handler.__name__}"
        bp.add_route(handler, path, methods=["POST"], name=f"conversation_{handler.__name__}")
