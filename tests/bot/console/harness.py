"""The console's routes under Sanic's test client: one browser's cookies, accounts to sign in."""

from __future__ import annotations

import re

from sanic import Sanic

from bot.console.service import ConsoleService

PASSWORD = "a long enough pass phrase"


class Browser:
    """One browser's cookies against the test app."""

    def __init__(self, app: Sanic) -> None:
        self.app = app
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, **kwargs):
        kwargs.setdefault("allow_redirects", False)
        _, reply = getattr(self.app.test_client, method)(
            f"/console{path}", cookies=self.cookies, **kwargs
        )
        for name, value in reply.cookies.items():
            self.cookies[name] = value
        return reply

    def sign_in(self, name: str, password: str):
        form = self.request("get", "/login")
        token = re.search(r'name="csrf" value="([^"]*)"', form.text).group(1)
        return self.request(
            "post", "/login", data={"name": name, "password": password, "csrf": token}
        )

    def csrf(self) -> str:
        page = self.request("get", "/queue")
        return re.search(r'name="csrf" content="([^"]*)"', page.text).group(1)


def account(console: ConsoleService, name: str, role: str = "duty_worker") -> str:
    console.accounts.change_password(name, console.accounts.add(name, role), PASSWORD)
    return name
