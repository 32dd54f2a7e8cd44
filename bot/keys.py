"""Secret keys kept by the deployment: from an environment variable or a private key file."""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.fernet import Fernet

from bot.paths import var_dir


def load_or_create_key(env_var: str, file_name: str, path: Path | None = None) -> bytes:
    """Return the key in ``env_var``, else in the key file, created (0600) on first use.

    Keys are Fernet keys (url-safe base64 of 32 random bytes), usable as HMAC keys too.
    """
    configured = os.environ.get(env_var, "")
    if configured:
        return configured.encode("ascii")
    path = path or var_dir() / file_name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it first: use theirs
            return path.read_bytes().strip()
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(Fernet.generate_key())
    return path.read_bytes().strip()


ACTION_SECRET_ENV_VAR, ACTION_SECRET_FILE_NAME = "BOT_ACTION_SECRET", "action.secret"


def action_secret() -> str:
    """Return the secret the Rasa server sends the action server (``bot/action_server.py``)."""
    return load_or_create_key(ACTION_SECRET_ENV_VAR, ACTION_SECRET_FILE_NAME).decode("ascii")
