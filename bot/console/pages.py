"""The console's pages and what every console response carries: headers and cookies.

Pages are Jinja2 templates in ``bot/console/pages/`` with autoescaping on: every value is
HTML-escaped where it is written, and a value is never read as template text, so a name typed
at sign-in (``{{rows}}``) is shown as it was typed and cannot expand. Cookies are HttpOnly,
SameSite=Strict and limited to ``/console``; ``Secure`` follows the public URL the assistant is
configured with (``BOT_PUBLIC_URL``), never a request's Host header, which a client or a reverse
proxy can set to anything.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from sanic.response import HTTPResponse

from bot.console.accounts import CASEWORK_ROLES, REVIEW_ROLES, SUPERVISOR_ROLES
from bot.console.sessions import ConsoleSession

PAGES = Path(__file__).parent / "pages"
COOKIE_PATH = "/console"
PUBLIC_URL_ENV = "BOT_PUBLIC_URL"
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
PAGE_TITLES = {
    "login.html": "Sign in",
    "password.html": "New password",
    "queue.html": "Queue",
    "conversation.html": "Conversation",
    "audit.html": "Audit log",
    "figures.html": "Figures",
    "caseload.html": "My caseload",
    "review.html": "Review",
    "review_item.html": "Review an item",
    "review_services.html": "Services to verify",
    "review_report.html": "Review report",
    "forbidden.html": "Not available",
    "not_found.html": "Not found",
}
TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(PAGES),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    auto_reload=False,
)
TEMPLATES.globals.update(
    casework_roles=CASEWORK_ROLES, review_roles=REVIEW_ROLES, supervisor_roles=SUPERVISOR_ROLES
)


def render(page: str, session: ConsoleSession | None, **values: Any) -> str:
    """Return ``page`` inside the console's layout (with its navigation when signed in)."""
    csrf = values.pop("csrf", session.csrf_token if session else "")
    return TEMPLATES.get_template(page).render(
        session=session,
        user=session.user_name if session else "",
        role=session.role if session else "",
        csrf=csrf,
        title=PAGE_TITLES[page],
        page_name=page.removesuffix(".html"),
        **values,
    )


def security_headers() -> dict[str, str]:
    """Return the headers every console response carries."""
    return {
        "Content-Security-Policy": CONTENT_SECURITY_POLICY,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-store",
        "X-Frame-Options": "DENY",
        "Cross-Origin-Opener-Policy": "same-origin",
    }


def secure_cookies() -> bool:
    """Return whether cookies are ``Secure``: unless the configured public URL is plain http."""
    return urlsplit(os.environ.get(PUBLIC_URL_ENV, "")).scheme != "http"


def set_cookie(reply: HTTPResponse, name: str, value: str, max_age: int | None = None) -> None:
    """Set a console cookie: HttpOnly, SameSite=Strict, path /console, Secure by configuration."""
    reply.cookies[name] = value
    cookie = reply.cookies[name]
    cookie["httponly"] = True
    cookie["samesite"] = "Strict"
    cookie["path"] = COOKIE_PATH
    cookie["secure"] = secure_cookies()
    if max_age is not None:
        cookie["max-age"] = max_age
