"""Console routes for signing in, changing the password and signing out.

Sign-in is throttled per address and per account (``bot/console/sessions.py``); an attempt
refused while throttled is counted, the first of a window audited and the rest summed into one
entry later. The password form's current password is throttled and audited the same way, and a
changed password ends the account's other sessions.
"""

from __future__ import annotations

import asyncio
import os
from datetime import timedelta

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.console.accounts import ROLES, AccountError, home_page
from bot.console.pages import COOKIE_PATH, render, set_cookie
from bot.console.service import SYSTEM_ACTOR
from bot.console.sessions import PASSWORD_CHANGE, ConsoleSession
from bot.console.web import (
    DEVICE_COOKIE,
    LOGIN_COOKIE,
    SESSION_COOKIE,
    client_address,
    csrf_ok,
    current,
    page_response,
    record,
    service,
    signed_in,
)

MAX_NAME_CHARS, MAX_PASSWORD_CHARS = 100, 1000
DEVICE_COOKIE_SECONDS = 365 * 24 * 3600


def login_form(message: str, status: int) -> HTTPResponse:
    """Return the sign-in page with a fresh form token (in the page and its cookie)."""
    token = os.urandom(24).hex()
    reply = response.html(render("login.html", None, csrf=token, message=message), status=status)
    set_cookie(reply, LOGIN_COOKIE, token)
    return reply


def minutes(wait: timedelta) -> int:
    """Return a wait in whole minutes, at least one."""
    return max(1, round(wait.total_seconds() / 60))


async def home(request: Request) -> HTTPResponse:
    """Send the console's root to the signed-in user's first page (the queue, or reviews)."""
    session = await current(request, touch=False)
    return response.redirect(f"{COOKIE_PATH}/{home_page(session.role) if session else 'login'}")


async def login_page(request: Request) -> HTTPResponse:
    """Show the sign-in form."""
    return login_form("", 200)


async def summarise_refusals(request: Request) -> None:
    """Write one audit entry for the refused attempts of windows that have passed."""
    refused = await asyncio.to_thread(service(request).sessions.sweep_refusals)
    if refused:
        detail = f"{refused} sign-in attempt(s) refused while throttled"
        await record(request, SYSTEM_ACTOR, "login_throttled", detail=detail)


async def login(request: Request) -> HTTPResponse:
    """Check a name and password; start a session, or say why not."""
    console, form = service(request), request.form or {}
    name = (form.get("name") or "").strip()[:MAX_NAME_CHARS]
    password = (form.get("password") or "")[:MAX_PASSWORD_CHARS]
    token = request.cookies.get(LOGIN_COOKIE, "")
    if not token or form.get("csrf") != token:
        return login_form("The sign-in form expired. Please try again.", 403)
    await summarise_refusals(request)
    address = client_address(request)
    known = console.sessions.is_known_device(name, request.cookies.get(DEVICE_COOKIE, ""))
    wait = await asyncio.to_thread(console.sessions.login_wait, name, address, known)
    if wait > timedelta(0):
        if await asyncio.to_thread(console.sessions.record_refusal, name, address):
            detail = "throttled: further attempts in this window are counted, not listed"
            await record(request, name or "(blank)", "login_throttled", detail=detail)
        return login_form(f"Too many failed sign-ins. Try again in {minutes(wait)} minute(s).", 429)
    # counted as a failure before the (slow) check, so parallel guesses meet the limit too
    attempt = await asyncio.to_thread(console.sessions.record_failure, name, address, known)
    user = await asyncio.to_thread(console.accounts.authenticate, name, password)
    if user is None:
        await record(request, name or "(blank)", "login_failed")
        return login_form("That name and password do not match an active account.", 401)
    await asyncio.to_thread(console.sessions.forget_failure, attempt)
    session_token = await asyncio.to_thread(console.sessions.start, user.name)
    await record(request, user.name, "login")
    target = "password" if user.must_change_password else home_page(user.role)
    reply = response.redirect(f"{COOKIE_PATH}/{target}")
    set_cookie(reply, SESSION_COOKIE, session_token)
    set_cookie(
        reply, DEVICE_COOKIE, console.sessions.device_cookie(user.name), DEVICE_COOKIE_SECONDS
    )
    set_cookie(reply, LOGIN_COOKIE, "", max_age=0)
    return reply


async def password(request: Request) -> HTTPResponse:
    """Show the password form, or change the password (throttled, audited)."""
    session = await current(request)
    if session is None:
        return response.redirect(f"{COOKIE_PATH}/login")
    if request.method == "GET":
        return page_response("password.html", session, message="")
    if not csrf_ok(request, session):
        return page_response("password.html", session, status=403, message="The form expired.")
    return await change_password(request, session)


async def change_password(request: Request, session: ConsoleSession) -> HTTPResponse:
    """Change the signed-in worker's password and end their other sessions."""
    console, form = service(request), request.form or {}
    name, address = session.user_name, client_address(request)
    new = (form.get("new") or "")[:MAX_PASSWORD_CHARS]
    if new != (form.get("confirm") or "")[:MAX_PASSWORD_CHARS]:
        return page_response(
            "password.html", session, status=400, message="The new passwords differ."
        )
    wait = await asyncio.to_thread(
        console.sessions.login_wait, name, address, False, PASSWORD_CHANGE
    )
    if wait > timedelta(0):
        message = f"Too many wrong current passwords. Try again in {minutes(wait)} minute(s)."
        return page_response("password.html", session, status=429, message=message)
    old = (form.get("old") or "")[:MAX_PASSWORD_CHARS]
    if await asyncio.to_thread(console.accounts.authenticate, name, old) is None:
        await asyncio.to_thread(
            console.sessions.record_failure, name, address, False, PASSWORD_CHANGE
        )
        await record(request, name, "password_failed", detail="wrong current password")
        return page_response(
            "password.html", session, status=400, message="The current password is not right."
        )
    try:
        await asyncio.to_thread(console.accounts.change_password, name, old, new)
    except AccountError as error:
        return page_response(
            "password.html", session, status=400, message=str(error).capitalize() + "."
        )
    keep = request.cookies.get(SESSION_COOKIE, "")
    await asyncio.to_thread(console.sessions.end_others, name, keep)
    await record(request, name, "password_changed", detail="other sessions ended")
    return response.redirect(f"{COOKIE_PATH}/{home_page(session.role)}")


@signed_in(roles=ROLES, before_password=True)
async def logout(request: Request, session: ConsoleSession) -> HTTPResponse:
    """End the session and mark the worker away."""
    console = service(request)
    await asyncio.to_thread(console.sessions.set_available, session.user_name, False)
    await asyncio.to_thread(console.sessions.end, request.cookies.get(SESSION_COOKIE, ""))
    await record(request, session.user_name, "logout")
    reply = response.redirect(f"{COOKIE_PATH}/login")
    set_cookie(reply, SESSION_COOKIE, "", max_age=0)
    return reply


def register(bp: Blueprint) -> None:
    """Add the sign-in routes to the console's blueprint."""
    bp.add_route(home, "/", methods=["GET"])
    bp.add_route(login_page, "/login", methods=["GET"])
    bp.add_route(login, "/login", methods=["POST"])
    bp.add_route(password, "/password", methods=["GET", "POST"])
    bp.add_route(logout, "/logout", methods=["POST"])
