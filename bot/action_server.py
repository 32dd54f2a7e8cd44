"""Start rasa-sdk's action server so that it answers the Rasa server and nobody else.

Actions open escalations, so a forged request to the action server could open a priority-1
escalation. Every request must carry the deployment's shared secret in ``X-Action-Secret``
(``BOT_ACTION_SECRET``, else the key file ``var/action.secret``); the Rasa server sends it with
every call (``endpoints.yml``). Only ``/health`` answers without it, and says nothing else.
"""

from __future__ import annotations

import hmac
import sys
from typing import Any

from rasa_sdk import endpoint
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.keys import action_secret

SECRET_HEADER = "X-Action-Secret"
OPEN_PATHS = frozenset({"/health"})
_rasa_sdk_create_app = endpoint.create_app


def require_secret(secret: str) -> Any:
    """Return request middleware refusing any request without ``secret``."""
    expected = secret.encode("ascii")

    async def check(request: Request) -> HTTPResponse | None:
        if request.path in OPEN_PATHS:
            return None
        sent = request.headers.get(SECRET_HEADER, "").encode("utf-8", "replace")
        if not hmac.compare_digest(sent, expected):
            return response.json({"error": "forbidden"}, status=403)
        return None

    return check


def create_app_requiring_secret(*args: Any, **kwargs: Any) -> Sanic:
    """Create rasa-sdk's app as it does, refusing requests without the shared secret."""
    app = _rasa_sdk_create_app(*args, **kwargs)
    app.register_middleware(require_secret(action_secret()), "request")
    return app


def main() -> None:
    """Run rasa-sdk's CLI (``python -m bot.action_server --actions actions``) with the check."""
    setattr(endpoint, "create_app", create_app_requiring_secret)  # noqa: B010
    from rasa_sdk.__main__ import main as rasa_sdk_main

    sys.argv[0] = "rasa_sdk"
    rasa_sdk_main()


if __name__ == "__main__":
    main()
