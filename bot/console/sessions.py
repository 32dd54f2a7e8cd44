"""Console sign-in: sessions that time out when idle, login throttling, and availability.

- A session is a random token in an HttpOnly cookie; only its SHA-256 is stored. Each session
  has its own CSRF token. A session ends at logout, after ``idle_timeout`` without a request,
  and as soon as its account is disabled.
- Failed logins are throttled per address (``ADDRESS_FAILURES`` in ``FAILURE_WINDOW``) and per
  account (``ACCOUNT_FAILURES``). So that an attacker cannot lock a team out by guessing their
  passwords, the per-account limit does not apply to a browser that has signed in to that
  account before (it carries a signed "known device" cookie). Addresses and names are stored
  only as keyed hashes, and failures are deleted once they are older than the window.
- A worker who marks themselves available counts as available only while they have a live
  session; the bot's "is someone available now" wording follows :meth:`someone_available`.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from sqlalchemy.orm import Session, declarative_base

from bot.console.accounts import UserRow
from bot.keys import load_or_create_key
from bot.storage.database import as_utc, create_engine
from bot.storage.migrations import migrate

Base = declarative_base()
DEFAULT_IDLE_MINUTES = 30
FAILURE_WINDOW = timedelta(minutes=15)
ADDRESS_FAILURES = 20
ACCOUNT_FAILURES = 5
KEY_ENV_VAR, KEY_FILE_NAME = "BOT_CONSOLE_KEY", "console.key"


def idle_timeout() -> timedelta:
    """Return how long a console session may sit idle (``BOT_CONSOLE_IDLE_MINUTES``)."""
    return timedelta(
        minutes=float(os.environ.get("BOT_CONSOLE_IDLE_MINUTES", DEFAULT_IDLE_MINUTES))
    )


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _bytes(text: str) -> bytes:
    """Return ``text`` as bytes, whatever a client put in a cookie or header."""
    return text.encode("utf-8", "replace")


def _digest(token: str) -> str:
    return hashlib.sha256(_bytes(token)).hexdigest()


class SessionRow(Base):  # type: ignore[valid-type,misc]
    """The ``console_sessions`` table (migration 6)."""

    __tablename__ = "console_sessions"
    id = sa.Column(sa.Integer, primary_key=True)
    token_hash = sa.Column(sa.String(64), nullable=False, unique=True)
    user_name = sa.Column(sa.String(100), nullable=False)
    csrf_token = sa.Column(sa.String(64), nullable=False)
    created_at = sa.Column(sa.DateTime(timezone=True), nullable=False)
    last_seen_at = sa.Column(sa.DateTime(timezone=True), nullable=False)
    ended_at = sa.Column(sa.DateTime(timezone=True), nullable=True)


class FailureRow(Base):  # type: ignore[valid-type,misc]
    """The ``login_failures`` table (migration 6)."""

    __tablename__ = "login_failures"
    id = sa.Column(sa.Integer, primary_key=True)
    account_key = sa.Column(sa.String(64), nullable=False)
    address_key = sa.Column(sa.String(64), nullable=False)
    known_device = sa.Column(sa.Boolean, nullable=False)
    at = sa.Column(sa.DateTime(timezone=True), nullable=False)


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
            if now - as_utc(row.last_seen_at) > self.idle:
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
        nonce = secrets.token_urlsafe(12)
        return f"{nonce}.{self._keyed('device', nonce + user_name.strip().lower())}"

    def is_known_device(self, user_name: str, cookie: str) -> bool:
        """Return whether ``cookie`` is a known-device value this deployment gave ``user_name``."""
        nonce, _, signature = cookie.partition(".")
        expected = self._keyed("device", nonce + user_name.strip().lower())
        return bool(nonce) and hmac.compare_digest(_bytes(signature), _bytes(expected))

    def login_wait(self, user_name: str, address: str, known_device: bool) -> timedelta:
        """Return how long this address must wait before trying ``user_name`` (zero: go ahead)."""
        now = _now()
        account_key = self._keyed("account", user_name.strip().lower())
        address_key = self._keyed("address", address)
        with Session(self.engine) as session, session.begin():
            session.execute(sa.delete(FailureRow).where(FailureRow.at < now - FAILURE_WINDOW))
            by_address = self._failure_times(session, FailureRow.address_key == address_key)
            by_account = self._failure_times(
                session, FailureRow.account_key == account_key, FailureRow.known_device.is_(False)
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

    def record_failure(self, user_name: str, address: str, known_device: bool) -> int:
        """Record a failed login (as keyed hashes of the name and the address); return its id."""
        row = FailureRow(
            account_key=self._keyed("account", user_name.strip().lower()),
            address_key=self._keyed("address", address),
            known_device=known_device,
            at=_now(),
        )
        with Session(self.engine) as session, session.begin():
            session.add(row)
            session.flush()
            return int(row.id)

    def forget_failure(self, failure_id: int) -> None:
        """Remove a recorded attempt that turned out to succeed."""
        with Session(self.engine) as session, session.begin():
            session.execute(sa.delete(FailureRow).where(FailureRow.id == failure_id))
