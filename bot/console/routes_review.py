"""Console routes for safeguarding review: the Review list, one item, services, the report.

Reviewers (and supervisors and admins) approve wording or request changes with a comment, and
verify services or flag them; each decision is written to ``content/reviews.yml`` by the same
code as ``bot content review`` and is audited. A duty worker is refused every page here.
"""

from __future__ import annotations

import asyncio
from datetime import date
from urllib.parse import quote, urlencode

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.console.accounts import REVIEW_ROLES
from bot.console.pages import COOKIE_PATH
from bot.console.reviewing import (
    entries,
    filtered,
    progress,
    renderings,
    service_rows,
    sources_of,
    usages,
)
from bot.console.sessions import ConsoleSession
from bot.console.web import page_response, record, signed_in
from bot.content.catalogue import Catalogue, current_catalogue
from bot.content.review_keys import review_keys, split_review_key
from bot.content.reviews import (
    APPROVED,
    CHANGES_REQUESTED,
    FLAGGED,
    VERIFIED,
    ReviewState,
    changes_since_review,
    record_reviews,
    verify_service,
)
from bot.content.schema import ContentError
from bot.paths import content_dir
from bot.services import uk_now

MAX_COMMENT, MAX_ROLE = 2000, 100
FILTERS = ("state", "topic", "audience", "language")


def _catalogue() -> Catalogue:
    return current_catalogue(content_dir())


def _reviewer(session: ConsoleSession, form: dict[str, str]) -> str:
    """Return "Name, role" for the record: the account's name and the role the reviewer gave."""
    role = " ".join(form.get("role", "").split())[:MAX_ROLE]
    return f"{session.user_name}, {role}"


def _form(request: Request) -> dict[str, str]:
    return {k: str(v[0]) for k, v in (request.form or {}).items() if v}


@signed_in(roles=REVIEW_ROLES)
async def review_list(request: Request, session: ConsoleSession) -> HTTPResponse:
    """List what needs review, filtered by state, topic, audience and language."""
    catalogue = await asyncio.to_thread(_catalogue)
    profile = catalogue.profile()
    chosen = {name: request.args.get(name, "") for name in FILTERS}
    listed = entries(catalogue, profile)
    shown = filtered(listed, **chosen)
    await record(request, session.user_name, "view_review", detail=urlencode(chosen))
    return page_response(
        "review.html",
        session,
        profile=profile,
        progress=progress(catalogue, profile, uk_now().date()),
        entries=shown,
        total=len(listed),
        chosen=chosen,
        states=[state.value for state in ReviewState],
        topics=sorted({e.topic for e in listed}),
        audiences=sorted({a for e in listed for a in e.audiences}),
        languages=sorted({lang for e in listed for lang in e.languages}),
        quote=quote,
    )


@signed_in(roles=REVIEW_ROLES)
async def review_item(request: Request, session: ConsoleSession, key: str) -> HTTPResponse:
    """Show one item as people would see it, and take a decision on it (audited)."""
    catalogue = await asyncio.to_thread(_catalogue)
    states = {e.key: e for e in entries(catalogue, catalogue.profile())}
    entry = states.get(key)
    if entry is None:
        return page_response("not_found.html", session, status=404)
    message, status = "", 200
    if request.method == "POST":
        form = _form(request)
        decision = form.get("decision", "")
        comment = form.get("comment", "")[:MAX_COMMENT]
        try:
            await asyncio.to_thread(
                record_reviews,
                catalogue,
                [key],
                _reviewer(session, form),
                uk_now().date(),
                decision,
                comment,
            )
        except (ContentError, OSError) as error:  # OSError: content/ cannot be written
            message, status = f"Not recorded: {error}.", 400
        else:
            await record(request, session.user_name, "content_review", detail=f"{key}: {decision}")
            return response.redirect(f"{COOKIE_PATH}/review/items/{quote(key)}?recorded={decision}")
    item_id, language = split_review_key(key)
    item = catalogue.items.get(item_id)
    return page_response(
        "review_item.html",
        session,
        status=status,
        entry=entry,
        item=item,
        renderings=renderings(item, language) if item else [],
        other_languages=sorted(k for k in review_keys(item) if k != key) if item else [],
        sources=sources_of(catalogue, item) if item else [],
        usages=usages(item_id) if item else [],
        changes=(
            changes_since_review(catalogue, key)
            if item and entry.state is ReviewState.CHANGED
            else []
        ),
        record=catalogue.reviews.get(key),
        details=_details(catalogue, key),
        message=message or _recorded(request.args.get("recorded", "")),
        approved=APPROVED,
        changes_requested=CHANGES_REQUESTED,
    )


def _recorded(decision: str) -> str:
    return {
        APPROVED: "Approved: your review is recorded.",
        CHANGES_REQUESTED: "Changes requested: your comment is recorded.",
        VERIFIED: "Verified: your check is recorded.",
        FLAGGED: "Flagged: your comment is recorded.",
    }.get(decision, "")


def _details(catalogue: Catalogue, key: str) -> list[tuple[str, str]]:
    """Return what a reviewer reads of a pattern, a page line or a service (not wording)."""
    kind, _, name = key.partition(":")
    if kind == "safety":
        pattern = next(p for p in catalogue.safety_patterns if p.id == name)
        return [("Indicator", pattern.indicator), ("Pattern", pattern.regex)]
    if kind == "page":
        text = next(t for t in catalogue.page_texts if t.id == name)
        return [("English", text.text), ("Welsh", text.cy)]
    if kind == "service":
        service = next(
            s for s in catalogue.services_for_profile(catalogue.profile()) if s.id == name
        )
        return [
            ("Name", service.name.get("en", "")),
            ("For", service.purpose.get("en", "")),
            ("Contacts", "; ".join(c.value for c in service.contacts)),
            ("Hours", service.hours_text.get("en", "")),
            ("Who it is for", ", ".join(service.audiences)),
            ("Source", service.source_url or "none given"),
        ]
    return []


@signed_in(roles=REVIEW_ROLES)
async def review_services(request: Request, session: ConsoleSession) -> HTTPResponse:
    """List the profile's services with their contacts, source and verification; verify one."""
    catalogue = await asyncio.to_thread(_catalogue)
    message, status = _recorded(request.args.get("recorded", "")), 200
    if request.method == "POST":
        form = _form(request)
        service_id, decision = form.get("service", ""), form.get("decision", "")
        try:
            await asyncio.to_thread(
                verify_service,
                catalogue,
                service_id,
                _reviewer(session, form),
                uk_now().date(),
                decision,
                form.get("comment", "")[:MAX_COMMENT],
            )
        except (ContentError, OSError) as error:  # OSError: content/ cannot be written
            message, status = f"Not recorded: {error}.", 400
        else:
            detail = f"{service_id}: {decision}"
            await record(request, session.user_name, "service_verification", detail=detail)
            return response.redirect(f"{COOKIE_PATH}/review/services?recorded={decision}")
    profile = catalogue.profile()
    return page_response(
        "review_services.html",
        session,
        status=status,
        profile=profile,
        rows=service_rows(catalogue, profile, uk_now().date()),
        message=message,
        verified=VERIFIED,
        flagged=FLAGGED,
    )


@signed_in(roles=REVIEW_ROLES)
async def review_report(request: Request, session: ConsoleSession) -> HTTPResponse:
    """Show the printable review report: who reviewed and verified what, when, with comments."""
    catalogue = await asyncio.to_thread(_catalogue)
    profile = catalogue.profile()
    await record(request, session.user_name, "view_review", detail="report")
    return page_response(
        "review_report.html",
        session,
        profile=profile,
        progress=progress(catalogue, profile, uk_now().date()),
        reviews=sorted(catalogue.reviews.items()),
        verifications=sorted(catalogue.verifications.items()),
        made_on=date.today(),
    )


def register(bp: Blueprint) -> None:
    """Add the review routes to the console's blueprint."""
    bp.add_route(review_list, "/review", methods=["GET"])
    bp.add_route(review_item, "/review/items/<key>", methods=["GET", "POST"])
    bp.add_route(review_services, "/review/services", methods=["GET", "POST"])
    bp.add_route(review_report, "/review/report", methods=["GET"])
