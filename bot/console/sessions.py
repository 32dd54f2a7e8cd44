"""Console sign-in: sessions that time out when idle, login throttling, and availability.

- A session is a random token in an HttpOnly cookie; only its SHA-256 is stored. Each session
  has its own CSRF token. A session ends at logout, after ``idle_timeout`` without a request,
  and as soon as its account is disabled.
- A session also ends ``lifetime`` after it started (``BOT_CONSOLE_MAX_SESSION_HOURS``),
  however busy, and every other session of an account ends when its password is changed.
- Failed logins are throttled per address (``ADDRESS_FAILURES`` in ``FAILURE_WINDOW``) and per
  account (``ACCOUNT_FAILURES``). So that an attacker cannot lock a team out by guessing their
  passwords, the per-account limit does not apply to a browser that has signed in to that
  account before (it carries a "known device" cookie signed over its nonce and the name, kept
  apart). Attempts refused while throttled are counted, not checked: the first of a window is
  audited and the rest are summed into one entry when the window has passed. Addresses and
  names are stored only as keyed hashes, and attempts are deleted once older than the window.
- A worker who marks themselves available counts as available only while they have a live
  session; the bot's "is someone available now" wording follows :meth:`someone_available`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot.console.accounts import UserRow
from bot.keys import load_or_create_key
from bot.storage.database import Base, as_utc, create_engine
from bot.storage.migrations import migrate

DEFAULT_IDLE_MINUTES = 30
DEFAULT_MAX_SESSION_HOURS = 12
FAILURE_WINDOW = timedelta(minutes=15)
ADDRESS_FAILURES = 20
ACCOUNT_FAILURES = 5
SIGN_IN, PASSWORD_CHANGE = "sign-in", "password-change"
DEVICE_NONCE = re.compile(r"[0-9a-f]{24}")
KEY_ENV_VAR, KEY_FILE_NAME = "BOT_CONSOLE_KEY", "console.key"


def idle_timeout() -> timedelta:
    """Return how long a console session may sit idle (``BOT_CONSOLE_IDLE_MINUTES``)."""
    return timedelta(
        minutes=float(os.environ.get("BOT_CONSOLE_IDLE_MINUTES", DEFAULT_IDLE_MINUTES))
    )


def session_lifetime() -> timedelta:
    """Return how long a console session may last at most (``BOT_CONSOLE_MAX_SESSION_HOURS``)."""
    return timedelta(
        hours=float(os.environ.get("BOT_CONSOLE_MAX_SESSION_HOURS", DEFAULT_MAX_SESSION_HOURS))
    )


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _bytes(text: str) -> bytes:
    """Return ``text`` as bytes, whatever a client put in a cookie or header."""
    return text.encode("utf-8", "replace")


def _digest(token: str) -> str:
    return hashlib.sha256(_bytes(token)).hexdigest()


class SessionRow(Base):
    """The ``console_sessions`` table (migration 6)."""

    __tablename__ = "console_sessions"
    id = sa.Column(sa.Integer, primary_key=True)
    token_hash = sa.Column(sa.String(64), nullable=False, unique=True)
    user_name = sa.Column(sa.String(100), nullable=False)
    csrf_token = sa.Column(sa.String(64), nullable=False)
    created_at = sa.Column(sa.DateTime(timezone=True), nullable=False)
    last_seen_at = sa.Column(sa.DateTime(timezone=True), nullable=False)
    ended_at = sa.Column(sa.DateTime(timezone=True), nullable=True)


class FailureRow(Base):
    """The ``login_failures`` table (migration 6)."""

    __tablename__ = "login_failures"
    id = sa.Column(sa.Integer, primary_key=True)
    account_key = sa.Column(sa.String(64), nullable=False)
    address_key = sa.Column(sa.String(64), nullable=False)
    known_device = sa.Column(sa.Boolean, nullable=False)
    at = sa.Column(sa.DateTime(timezone=True), nullable=False)
    refused = sa.Column(sa.Boolean, nullable=False, default=False)  # migration 8


@dataclass(frozen=True)
class ConsoleSession:
    """A signed-in worker, as each request sees them."""

    user_name: str
    role: str
    must_change_password: bool
    available: bool
    csrf_token: str


class ConsoleSessions:
    """Start, check and end console sessions; throttle logins; track availability."""

    def __init__(
        self, url: str | None = None, idle: timedelta | None = None, key: bytes | None = None
    ) -> None:
        """Connect to ``url`` (``BOT_DATABASE_URL`` by default) and apply migrations."""
        self.engine = create_engine(url)
        migrate(self.engine)
        self.idle = idle or idle_timeout()
        self.lifetime = session_lifetime()
        self._key = key or load_or_create_key(KEY_ENV_VAR, KEY_FILE_NAME)

    def _keyed(self, purpose: str, value: str) -> str:
        return hmac.new(self._key, _bytes(f"{purpose}:{value}"), hashlib.sha256).hexdigest()

    # sessions

    def start(self, user_name: str) -> str:
        """Start a session for ``user_name``; return its token (for the cookie only).

        Sessions that have ended or gone idle are deleted here: the audit log, not this table,
        is the record of who signed in when.
        """
        token, now = secrets.token_urlsafe(32), _now()
        with Session(self.engine) as session, session.begin():
            session.execute(
                sa.delete(SessionRow).where(
                    sa.or_(
                        SessionRow.ended_at.is_not(None), SessionRow.last_seen_at < now - self.idle
                    )
                )
            )
            session.add(
                SessionRow(
                    token_hash=_digest(token),
                    user_name=user_name,
                    csrf_token=secrets.token_urlsafe(32),
                    created_at=now,
                    last_seen_at=now,
                )
            )
        return token

    def resolve(self, token: str, touch: bool = True) -> ConsoleSession | None:
        """Return the live session for ``token``; ``touch`` counts this request as activity."""
        if not token:
            return None
        now = _now()
        with Session(self.engine) as session, session.begin():
            found = session.execute(
                sa.select(SessionRow, UserRow.role, UserRow.must_change_password, UserRow.available)
                .join(UserRow, UserRow.name == SessionRow.user_name)
                .where(
                    SessionRow.token_hash == _digest(token),
                    SessionRow.ended_at.is_(None),
                    UserRow.disabled.is_(False),
                )
            ).first()
            if found is None:
                return None
            row, role, must_change, available = found
            too_old = now - as_utc(row.created_at) > self.lifetime
            if too_old or now - as_utc(row.last_seen_at) > self.idle:
                row.ended_at = now
                return None
            if touch:
                row.last_seen_at = now
            return ConsoleSession(
                row.user_name, role, bool(must_change), bool(available), row.csrf_token
            )

    def end(self, token: str) -> None:
        """End the session for ``token`` (logout)."""
        with Session(self.engine) as session, session.begin():
            session.execute(
                sa.update(SessionRow)
                .where(SessionRow.token_hash == _digest(token), SessionRow.ended_at.is_(None))
                .values(ended_at=_now())
            )

    def end_others(self, user_name: str, keep_token: str) -> None:
        """End every session of ``user_name`` except the one for ``keep_token``."""
        with Session(self.engine) as session, session.begin():
            session.execute(
                sa.update(SessionRow)
                .where(
                    SessionRow.user_name == user_name,
                    SessionRow.token_hash != _digest(keep_token),
                    SessionRow.ended_at.is_(None),
                )
                .values(ended_at=_now())
            )

    # availability

    def set_available(self, user_name: str, available: bool) -> None:
        """Mark a worker available or away."""
        with Session(self.engine) as session, session.begin():
            session.execute(
                sa.update(UserRow).where(UserRow.name == user_name).values(available=available)
            )

    def signed_in(self) -> set[str]:
        """Return the workers with a session active within the idle time (accounts enabled)."""
        query = (
            sa.select(SessionRow.user_name)
            .join(UserRow, UserRow.name == SessionRow.user_name)
            .where(
                UserRow.disabled.is_(False),
                SessionRow.ended_at.is_(None),
                SessionRow.last_seen_at >= _now() - self.idle,
            )
        )
        with Session(self.engine) as session:
            return set(session.execute(query).scalars())

    def someone_available(self) -> bool:
        """Return whether a worker marked available has a session active within the idle time."""
        query = sa.select(UserRow.name).where(UserRow.available.is_(True))
        with Session(self.engine) as session:
            marked = set(session.execute(query).scalars())
        return bool(marked & self.signed_in())

    # throttling

    def device_cookie(self, user_name: str) -> str:
        """Return the signed "known device" value given to a browser after it signs in."""
        nonce = secrets.token_hex(12)
        return f"{nonce}.{self._device_signature(nonce, user_name)}"

    def _device_signature(self, nonce: str, user_name: str) -> str:
        # nonce and name as a JSON pair: no split of one string can be read as another pair
        return self._keyed("device", json.dumps([nonce, user_name.strip().lower()]))

    def is_known_device(self, user_name: str, cookie: str) -> bool:
        """Return whether ``cookie`` is a known-device value this deployment gave ``user_name``."""
        nonce, _, signature = cookie.partition(".")
        if not DEVICE_NONCE.fullmatch(nonce):
            return False
        expected = self._device_signature(nonce, user_name)
        return hmac.compare_digest(_bytes(signature), _bytes(expected))

    def _account_key(self, user_name: str, purpose: str) -> str:
        return self._keyed(f"account:{purpose}", user_name.strip().lower())

    def login_wait(
        self, user_name: str, address: str, known_device: bool, purpose: str = SIGN_IN
    ) -> timedelta:
        """Return how long this address must wait before trying ``user_name`` (zero: go ahead).

        ``purpose`` keeps sign-in and the password-change form's current password apart.
        """
        now = _now()
        account_key = self._account_key(user_name, purpose)
        address_key = self._keyed("address", address)
        with Session(self.engine) as session, session.begin():
            checked = sa.and_(FailureRow.refused.is_(False), FailureRow.at >= now - FAILURE_WINDOW)
            by_address = self._failure_times(
                session, checked, FailureRow.address_key == address_key
            )
            by_account = self._failure_times(
                session,
                checked,
                FailureRow.account_key == account_key,
                FailureRow.known_device.is_(False),
            )
        waits = [timedelta(0)]
        if not known_device and len(by_address) >= ADDRESS_FAILURES:
            waits.append(by_address[-ADDRESS_FAILURES] + FAILURE_WINDOW - now)
        if not known_device and len(by_account) >= ACCOUNT_FAILURES:
            waits.append(by_account[-ACCOUNT_FAILURES] + FAILURE_WINDOW - now)
        return max(waits)

    @staticmethod
    def _failure_times(session: Session, *conditions: sa.sql.ColumnElement) -> list[datetime]:
        query = sa.select(FailureRow.at).where(*conditions).order_by(FailureRow.at)
        return [as_utc(at) for at in session.execute(query).scalars()]

    def record_failure(
        self, user_name: str, address: str, known_device: bool, purpose: str = SIGN_IN
    ) -> int:
        """Record a failed attempt (keyed hashes of the name and the address); return its id."""
        row = FailureRow(
            account_key=self._account_key(user_name, purpose),
            address_key=self._keyed("address", address),
            known_device=known_device,
            at=_now(),
        )
        with Session(self.engine) as session, session.begin():
            session.add(row)
            session.flush()
            return int(row.id)

    def record_refusal(self, user_name: str, address: str) -> bool:
        """Count an attempt refused while throttled; return whether it is the window's first.

        The first is audited; the rest are summed by :meth:`sweep_refusals` once the window has
        passed, so a flood of attempts cannot flood the audit log.
        """
        now = _now()
        account_key = self._account_key(user_name, SIGN_IN)
        address_key = self._keyed("address", address)
        with Session(self.engine) as session, session.begin():
            earlier = session.execute(
                sa.select(sa.func.count(FailureRow.id)).where(
                    FailureRow.refused.is_(True),
                    FailureRow.at >= now - FAILURE_WINDOW,
                    sa.or_(
                        FailureRow.account_key == account_key,
                        FailureRow.address_key == address_key,
                    ),
                )
            ).scalar_one()
            session.add(
                FailureRow(
                    account_key=account_key,
                    address_key=address_key,
                    known_device=False,
                    at=now,
                    refused=True,
                )
            )
        return earlier == 0

    def sweep_refusals(self) -> int:
        """Delete attempts older than the window; return how many refused ones were among them."""
        cutoff = _now() - FAILURE_WINDOW
        with Session(self.engine) as session, session.begin():
            refused = session.execute(
                sa.select(sa.func.count(FailureRow.id)).where(
                    FailureRow.at < cutoff, FailureRow.refused.is_(True)
                )
            ).scalar_one()
            session.execute(sa.delete(FailureRow).where(FailureRow.at < cutoff))
        return int(refused)

    def forget_failure(self, failure_id: int) -> None:
        """Remove a recorded attempt that turned out to succeed."""
        with Session(self.engine) as session, session.begin():
            session.execute(sa.delete(FailureRow).where(FailureRow.id == failure_id))
