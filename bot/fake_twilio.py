"""A local fake of the Twilio REST API (Messages resource) and of Twilio's signed callbacks.

Tests and ``bot bench`` point the SMS channel at it (``TWILIO_API_BASE_URL``); nothing in a
running assistant uses it.

It accepts ``POST /2010-04-01/Accounts/{sid}/Messages.json`` with HTTP basic auth, records
every message, can fail the next requests with a 500 or reject a number with a Twilio error
code (21610: the number opted out), and posts a signed status callback for each accepted message.
"""

from __future__ import annotations

import base64
import itertools
import json
import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from twilio.request_validator import RequestValidator

ACCOUNT_SID = "AC" + "0" * 32
AUTH_TOKEN = "test-auth-token-0123456789abcdef"
FROM_NUMBER = "+447700900000"


@dataclass
class FakeTwilio:
    """State of the fake: what was sent, and what should fail next."""

    messages: list[dict[str, str]] = field(default_factory=list)
    fail_next_with_500: int = 0
    rejected: dict[str, int] = field(default_factory=dict)  # number -> Twilio error code
    lock: threading.Lock = field(default_factory=threading.Lock)
    ids: itertools.count = field(default_factory=itertools.count)
    base_url: str = ""

    def sent_to(self, address: str) -> list[str]:
        """Return the bodies sent to ``address``, oldest first."""
        with self.lock:
            return [m["Body"] for m in self.messages if m["To"] == address]


def sign(url: str, fields: dict[str, str]) -> str:
    """Return the X-Twilio-Signature Twilio would send for ``url`` and ``fields``."""
    return RequestValidator(AUTH_TOKEN).compute_signature(url, fields)


def post_signed(url: str, fields: dict[str, str], signature: str | None = None) -> int:
    """POST form ``fields`` to ``url`` signed as Twilio would (or with ``signature``)."""
    data = urllib.parse.urlencode(fields).encode()
    request = urllib.request.Request(url, data=data, method="POST")
    request.add_header("Content-Type", "application/x-www-form-urlencoded")
    if signature is None:
        signature = sign(url, fields)
    if signature:
        request.add_header("X-Twilio-Signature", signature)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def make_handler(state: FakeTwilio) -> type[BaseHTTPRequestHandler]:
    """Return a request handler class serving the fake's Messages resource from ``state``."""
    expected_auth = "Basic " + base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def reply(self, status: int, body: dict) -> None:
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            fields = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
            if self.headers.get("Authorization") != expected_auth:
                self.reply(401, {"code": 20003, "message": "Authenticate", "status": 401})
                return
            if not self.path.endswith(f"/Accounts/{ACCOUNT_SID}/Messages.json"):
                self.reply(404, {"code": 20404, "message": "Not found", "status": 404})
                return
            with state.lock:
                if state.fail_next_with_500:
                    state.fail_next_with_500 -= 1
                    self.reply(500, {"code": 20500, "message": "Internal error", "status": 500})
                    return
                code = state.rejected.get(fields.get("To", ""))
                if code:
                    self.reply(400, {"code": code, "message": "Rejected", "status": 400})
                    return
                sid = f"SM{next(state.ids):032d}"
                state.messages.append({**fields, "Sid": sid})
            self.reply(201, {"sid": sid, "status": "queued", "to": fields.get("To")})
            callback = fields.get("StatusCallback")
            if callback:
                threading.Thread(
                    target=post_signed,
                    args=(callback, {"MessageSid": sid, "MessageStatus": "delivered"}),
                    daemon=True,
                ).start()

    return Handler


def channel_settings(twilio: FakeTwilio, webhook_url: str) -> dict[str, str]:
    """Return the environment that points the assistant's SMS channel at the fake ``twilio``."""
    return {
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_FROM_NUMBER": FROM_NUMBER,
        "TWILIO_API_BASE_URL": twilio.base_url,
        "BOT_SMS_PUBLIC_URL": webhook_url,
    }


def start_fake_twilio() -> tuple[FakeTwilio, ThreadingHTTPServer]:
    """Start the fake on a free loopback port; return its state and server."""
    state = FakeTwilio()
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(state))
    state.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return state, server
