"""Phone numbers: never logged, never used as an id, stored only encrypted, shown only masked.

The conversation id of a texter is a keyed hash of their number, so the tracker store, the
escalations and the logs never contain it. The number itself is kept encrypted (Fernet) only so
that replies can be sent. The key comes from ``BOT_SMS_KEY`` or from a key file created on first
run (``var/sms.key``, readable by its owner only).
"""

from __future__ import annotations

import hashlib
import hmac

from cryptography.fernet import Fernet

from bot.keys import load_or_create_key

KEY_ENV_VAR, KEY_FILE_NAME = "BOT_SMS_KEY", "sms.key"
CONVERSATION_PREFIX = "sms-"


class PhoneVault:
    """Turn a number into a conversation id, and keep it encrypted for replies."""

    def __init__(self, key: bytes | None = None) -> None:
        """Use ``key`` (a Fernet key) or the configured one."""
        self._fernet_key = key or load_or_create_key(KEY_ENV_VAR, KEY_FILE_NAME)
        self._fernet = Fernet(self._fernet_key)
        self._hash_key = hashlib.sha256(b"conversation-id" + self._fernet_key).digest()
        self._message_key = hashlib.sha256(b"message-id" + self._fernet_key).digest()

    def conversation_id(self, address: str) -> str:
        """Return the conversation id for ``address`` (a number, or ``whatsapp:+44...``)."""
        digest = hmac.new(self._hash_key, normalise_address(address).encode(), hashlib.sha256)
        return CONVERSATION_PREFIX + digest.hexdigest()[:32]

    def message_key(self, message_sid: str) -> str:
        """Return a keyed hash of a message id: kept for good to refuse replays, never the id."""
        return hmac.new(self._message_key, message_sid.encode(), hashlib.sha256).hexdigest()

    def encrypt(self, address: str) -> str:
        """Return ``address`` encrypted for storage."""
        return self.seal(normalise_address(address))

    def seal(self, text: str) -> str:
        """Return ``text`` encrypted (a number, or a message kept until it is processed)."""
        return self._fernet.encrypt(text.encode()).decode("ascii")

    def unseal(self, token: str) -> str:
        """Return the text sealed as ``token``."""
        return self._fernet.decrypt(token.encode("ascii")).decode()


def normalise_address(address: str) -> str:
    """Return the address without spaces, keeping a ``whatsapp:`` prefix."""
    return "".join(address.split())


def mask(address: str) -> str:
    """Return the address as a duty worker may see it: channel and the last 3 digits only."""
    channel = "WhatsApp " if address.startswith("whatsapp:") else ""
    digits = [c for c in address if c.isdigit()]
    return f"{channel}•••• ••• {''.join(digits[-3:])}" if digits else "••••"
