"""A duty worker (or supervisor) using the console's HTTP interface, as its pages do."""

from __future__ import annotations

import itertools
import json
import re

import requests

from bot.console.accounts import AccountStore

NAMES = (f"worker{n}" for n in itertools.count(1))
NEW_PASSWORD = "a long enough pass phrase"


def form_token(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]*)"', html).group(1)


class ConsoleClient:
    """One signed-in console user with their own cookie jar."""

    def __init__(self, base: str, name: str, password: str) -> None:
        self.base = base
        self.name = name
        self.password = password
        self.http = requests.Session()
        self.csrf = ""

    @classmethod
    def new_user(
        cls, base: str, accounts: AccountStore, role: str = "duty_worker"
    ) -> ConsoleClient:
        """Create an account and sign in with it, changing the one-time password first."""
        name = next(NAMES) + role
        client = cls(base, name, accounts.add(name, role))
        assert client.login().headers["location"] == "/console/password"
        page = client.http.get(f"{base}/password")
        reply = client.http.post(
            f"{base}/password",
            data={
                "old": client.password,
                "new": NEW_PASSWORD,
                "confirm": NEW_PASSWORD,
                "csrf": form_token(page.text),
            },
            allow_redirects=False,
        )
        assert reply.headers["location"] == "/console/queue", reply.text
        client.password = NEW_PASSWORD
        client.refresh_csrf()
        return client

    def login(self, password: str | None = None) -> requests.Response:
        page = self.http.get(f"{self.base}/login")
        return self.http.post(
            f"{self.base}/login",
            data={
                "name": self.name,
                "password": password or self.password,
                "csrf": form_token(page.text),
            },
            allow_redirects=False,
        )

    def refresh_csrf(self) -> None:
        page = self.http.get(f"{self.base}/queue")
        self.csrf = re.search(r'name="csrf" content="([^"]*)"', page.text).group(1)

    def get(self, path: str) -> requests.Response:
        return self.http.get(f"{self.base}{path}", allow_redirects=False)

    def post(self, path: str, body: dict | None = None, csrf: bool = True) -> requests.Response:
        headers = {"X-CSRF-Token": self.csrf} if csrf else {}
        return self.http.post(f"{self.base}{path}", json=body or {}, headers=headers)

    def queue(self) -> list[dict]:
        return self.get("/api/queue").json()

    def conversation(self, reference: str) -> dict:
        """Return the first snapshot of the conversation's live event stream."""
        url = f"{self.base}/api/conversations/{reference}/events"
        with self.http.get(url, stream=True, timeout=10) as stream:
            for line in stream.iter_lines():
                if line.startswith(b"data:"):
                    return json.loads(line[5:])
        raise AssertionError("the event stream ended without data")
