"""Console routes for supervisors' audit log (paged, its views audited, CSV export) and assets."""

from __future__ import annotations

import asyncio
from urllib.parse import urlencode

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.console.accounts import SUPERVISOR_ROLES
from bot.console.pages import PAGES
from bot.console.sessions import ConsoleSession
from bot.console.web import page_response, record, service, signed_in
from bot.spreadsheets import csv_text
from bot.storage.references import parse_reference

DEFAULT_PER_PAGE, MAX_PER_PAGE = 100, 500
ASSETS = {"console.js": "application/javascript", "console.css": "text/css"}


def whole_number(text: str | None, default: int, lowest: int, highest: int) -> int:
    """Return ``text`` as a whole number within bounds, or ``default`` if it is not one."""
    try:
        number = int(text or "")
    except ValueError:
        return default
    return min(max(number, lowest), highest)


@signed_in(roles=SUPERVISOR_ROLES)
async def audit_page(request: Request, session: ConsoleSession) -> HTTPResponse:
    """Show one page of the audit log, newest first, and whether the chain is intact."""
    console = service(request)
    reference = parse_reference(request.args.get("reference", "")) or None
    per_page = whole_number(request.args.get("per_page"), DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)
    number = whole_number(request.args.get("page"), 1, 1, 10**9)
    entries, total = await asyncio.to_thread(console.audit.page, reference, number, per_page)
    pages = max(1, -(-total // per_page))
    problems = await asyncio.to_thread(console.audit.verify)
    await record(request, session.user_name, "view_audit", reference, f"page {number}")

    def query(to_page: int) -> str:
        values = {"page": to_page, "per_page": per_page, "reference": reference or ""}
        return urlencode({k: v for k, v in values.items() if v})

    return page_response(
        "audit.html",
        session,
        entries=entries,
        total=total,
        first_shown=min(total, (number - 1) * per_page + 1),
        last_shown=min(total, number * per_page),
        page_number=number,
        pages=pages,
        query=query,
        reference=reference,
        problems=problems,
    )


@signed_in(roles=SUPERVISOR_ROLES)
async def audit_export(request: Request, session: ConsoleSession) -> HTTPResponse:
    """Download the whole audit log as CSV (audited; formulas kept as text)."""
    console = service(request)
    await record(request, session.user_name, "export", detail="audit log as CSV")
    entries = await asyncio.to_thread(console.audit.entries)
    rows = (
        [e.id, e.at.isoformat(), e.actor, e.action, e.reference or "", e.detail] for e in entries
    )
    text = csv_text(["id", "at", "actor", "action", "reference", "detail"], rows)
    return response.text(
        text,
        content_type="text/csv",
        headers={"Content-Disposition": 'attachment; filename="audit.csv"'},
    )


async def asset(request: Request, name: str) -> HTTPResponse:
    """Serve the console's script and style sheet (nothing else)."""
    if name not in ASSETS:
        return response.text("Not found", status=404)
    return response.text((PAGES / name).read_text(encoding="utf-8"), content_type=ASSETS[name])


def register(bp: Blueprint) -> None:
    """Add the audit routes and the assets to the console's blueprint."""
    bp.add_route(audit_page, "/audit", methods=["GET"])
    bp.add_route(audit_export, "/audit/export", methods=["GET"])
    bp.add_route(asset, "/static/<name>", methods=["GET"])
