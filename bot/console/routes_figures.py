"""Console routes for the Figures page and its report, and each worker's own caseload.

The Figures page and its report are for supervisors and admins (managers and councillors); a
duty worker is refused them and sees only their own caseload. Every view and download is written
to the audit log with the period it covered.
"""

from __future__ import annotations

import asyncio
import statistics
from datetime import date

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.console.accounts import SUPERVISOR_ROLES
from bot.console.sessions import ConsoleSession
from bot.console.web import page_response, record, service, signed_in
from bot.figures.definitions import CLOSE_OUTCOMES
from bot.figures.periods import Period, chosen_period, presets
from bot.figures.report import SUPPRESSION_NOTE, WAIT_DEFINITION, as_csv, as_html, charts
from bot.figures.tables import format_duration
from bot.services import uk_now

FORMATS = ("html", "csv")


def period_asked(request: Request) -> tuple[Period, str, date]:
    """Return the period a request asks for (or the default, with what was wrong), and today."""
    today = uk_now().date()
    period, problem = chosen_period(request.args.get("from"), request.args.get("to"), today)
    return period, problem, today


@signed_in(roles=SUPERVISOR_ROLES)
async def figures_page(request: Request, session: ConsoleSession) -> HTTPResponse:
    """Show the figures of the period chosen (the last 30 days by default)."""
    period, problem, today = period_asked(request)
    figures = await asyncio.to_thread(service(request).require_reports().figures, period)
    await record(request, session.user_name, "view_figures", detail=period.label)
    return page_response(
        "figures.html",
        session,
        status=400 if problem else 200,
        figures=figures,
        charts=charts(figures),
        presets=presets(today),
        problem=problem,
        suppression_note=SUPPRESSION_NOTE,
        wait_definition=WAIT_DEFINITION,
    )


@signed_in(roles=SUPERVISOR_ROLES)
async def figures_report(request: Request, session: ConsoleSession) -> HTTPResponse:
    """Return the period's report: a printable page (``format=html``) or a CSV download."""
    period, problem, today = period_asked(request)
    wanted = request.args.get("format", "html")
    if problem or wanted not in FORMATS:
        return response.text(problem or "format must be html or csv", status=400)
    figures = await asyncio.to_thread(service(request).require_reports().figures, period)
    await record(request, session.user_name, "figures_report", detail=f"{wanted}, {period.label}")
    if wanted == "csv":
        name = f"figures-{period.first.isoformat()}-to-{period.last.isoformat()}.csv"
        return response.text(
            as_csv(figures),
            content_type="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
    return response.html(as_html(figures, today, inline_css=False))


@signed_in()
async def caseload_page(request: Request, session: ConsoleSession) -> HTTPResponse:
    """Show the signed-in worker's own caseload: what they closed in the period, what they hold."""
    period, problem, today = period_asked(request)
    since, until = period.bounds()
    caseload = await asyncio.to_thread(
        service(request).escalations.caseload, session.user_name, since, until
    )
    await record(request, session.user_name, "view_caseload", detail=period.label)
    closes = sorted(caseload.seconds_to_close)
    return page_response(
        "caseload.html",
        session,
        status=400 if problem else 200,
        period=period,
        presets=presets(today),
        problem=problem,
        outcomes=[(label, caseload.closed.get(key, 0)) for key, label in CLOSE_OUTCOMES.items()],
        closed=sum(caseload.closed.values()),
        median=format_duration(statistics.median(closes)) if closes else "none closed",
        holding=caseload.holding,
    )


def register(bp: Blueprint) -> None:
    """Add the figures routes and the caseload page to the console's blueprint."""
    bp.add_route(figures_page, "/figures", methods=["GET"])
    bp.add_route(figures_report, "/figures/report", methods=["GET"])
    bp.add_route(caseload_page, "/caseload", methods=["GET"])
