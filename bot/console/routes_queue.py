"""Console routes for the queue: the page, its JSON and live stream, availability, colleagues."""

from __future__ import annotations

import asyncio
from typing import Any

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.console.sessions import ConsoleSession
from bot.console.web import page_response, record, service, signed_in, stream


@signed_in()
async def queue_page(request: Request, session: ConsoleSession) -> HTTPResponse:
    """Show the queue page (its rows arrive over the stream)."""
    return page_response(
        "queue.html",
        session,
        available="true" if session.available else "false",
        false_alarms=await asyncio.to_thread(service(request).false_alarm_share),
    )


@signed_in(api=True)
async def queue_api(request: Request, session: ConsoleSession) -> HTTPResponse:
    """Return the queue as JSON."""
    return response.json(await asyncio.to_thread(service(request).queue_json, session.role))


@signed_in(api=True)
async def availability(request: Request, session: ConsoleSession) -> HTTPResponse:
    """Mark the worker available or away."""
    body = request.json if isinstance(request.json, dict) else {}
    available = body.get("available") is True
    await asyncio.to_thread(service(request).sessions.set_available, session.user_name, available)
    detail = "available" if available else "away"
    await record(request, session.user_name, "availability", detail=detail)
    return response.json({"available": available})


@signed_in(api=True)
async def queue_events(request: Request, session: ConsoleSession) -> HTTPResponse:
    """Stream the queue whenever it changes."""
    console = service(request)

    async def snapshot() -> Any:
        return await console.snapshots.get(
            ("queue", session.role), lambda: asyncio.to_thread(console.queue_json, session.role)
        )

    return await stream(request, "queue", snapshot)


@signed_in(api=True)
async def workers(request: Request, session: ConsoleSession) -> HTTPResponse:
    """Return the other workers signed in now (to transfer to)."""
    present = await asyncio.to_thread(service(request).sessions.signed_in)
    return response.json(sorted(present - {session.user_name}))


def register(bp: Blueprint) -> None:
    """Add the queue's routes to the console's blueprint."""
    bp.add_route(queue_page, "/queue", methods=["GET"])
    bp.add_route(queue_api, "/api/queue", methods=["GET"])
    bp.add_route(availability, "/api/availability", methods=["POST"])
    bp.add_route(queue_events, "/api/queue/events", methods=["GET"])
    bp.add_route(workers, "/api/users", methods=["GET"])
