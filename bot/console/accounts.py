"""Console accounts: duty workers, supervisors and admins, with argon2-hashed passwords.

``bot users add NAME --role ROLE`` creates an account with a one-time password that must be
changed at first login. Disabling an account stops it logging in, and every session of it stops
working at once, because each request checks the account (``bot/console/sessions.py``).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timezone

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.storage.database import Base, create_engine
from bot.storage.migrations import migrate

ROLES = ("duty_worker", "supervisor", "admin", "reviewer")
# who may open escalations, the queue and conversations (a reviewer of content may not)
CASEWORK_ROLES = ("duty_worker", "supervisor", "admin")
# who may read the audit log and the figures, and see identifiers in full
SUPERVISOR_ROLES = ("supervisor", "admin")
# who may review content and verify services in the console
REVIEW_ROLES = ("reviewer", "supervisor", "admin")


def home_page(role: str) -> str:
    """Return the page a user of ``role`` starts on (under ``/console``)."""
    return "review" if role not in CASEWORK_ROLES else "queue"


ONE_TIME_PASSWORD_BYTES = 12
MIN_PASSWORD_LENGTH = 12
# A hash to verify against when the name is unknown, so timing does not reveal which names exist.
_HASHER = PasswordHasher()
_UNKNOWN_USER_HASH = _HASHER.hash(secrets.token_urlsafe(16))


class AccountError(ValueError):
    """An account cannot be created or changed as asked."""


class UserRow(Base):
    """The ``console_users`` table."""

    __tablename__ = "console_users"
    id = sa.Column(sa.Integer, primary_key=True)
    name = sa.Column(sa.String(100), nullable=False, unique=True)
    role = sa.Column(sa.String(20), nullable=False)
    password_hash = sa.Column(sa.Text, nullable=False)
    must_change_password = sa.Column(sa.Boolean, nullable=False)
    disabled = sa.Column(sa.Boolean, nullable=False)
    available = sa.Column(sa.Boolean, nullable=False, default=False)  # set in the console
    created_at = sa.Column(sa.DateTime(timezone=True), nullable=False)


@dataclass(frozen=True)
class User:
    """A console account, without its password hash."""

    id: int
    name: str
    role: str
    must_change_password: bool
    disabled: bool


def _user(row: UserRow) -> User:
    return User(row.id, row.name, row.role, row.must_change_password, row.disabled)


def _find(session: Session, name: str) -> UserRow | None:
    query = sa.select(UserRow).where(UserRow.name == name.strip())
    return session.execute(query).scalar_one_or_none()


class AccountStore:
    """Create, check and change console accounts."""

    def __init__(self, url: str | None = None) -> None:
        """Connect to ``url`` (``BOT_DATABASE_URL`` by default) and apply migrations."""
        self.engine = create_engine(url)
        migrate(self.engine)

    def add(self, name: str, role: str) -> str:
        """Create an account; return its one-time password (shown once, never stored)."""
        name = name.strip()
        if not name:
            raise AccountError("a user needs a name")
        if role not in ROLES:
            raise AccountError(f"role must be one of {', '.join(ROLES)}")
        password = secrets.token_urlsafe(ONE_TIME_PASSWORD_BYTES)
        try:
            with Session(self.engine) as session, session.begin():
                session.add(
                    UserRow(
                        name=name,
                        role=role,
                        password_hash=_HASHER.hash(password),
                        must_change_password=True,
                        disabled=False,
                        created_at=datetime.now(timezone.utc),
                    )
                )
        except IntegrityError as error:
            raise AccountError(f"there is already a user called {name!r}") from error
        return password

    def authenticate(self, name: str, password: str) -> User | None:
        """Return the user if the password is right and the account is enabled."""
        with Session(self.engine) as session:
            row = _find(session, name)
            try:
                _HASHER.verify(row.password_hash if row else _UNKNOWN_USER_HASH, password)
            except (VerificationError, InvalidHashError):
                return None
            if row is None or row.disabled:
                return None
            return _user(row)

    def change_password(self, name: str, old: str, new: str) -> None:
        """Change a password after checking the old one; the new one must be long enough."""
        if len(new) < MIN_PASSWORD_LENGTH:
            raise AccountError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
        if new == old:
            raise AccountError("the new password must differ from the old one")
        if self.authenticate(name, old) is None:
            raise AccountError("the current password is not right")
        with Session(self.engine) as session, session.begin():
            row = _find(session, name)
            if row is None:  # removed since authenticating: refuse rather than guess
                raise AccountError(f"there is no user called {name!r}")
            row.password_hash = _HASHER.hash(new)
            row.must_change_password = False

    def disable(self, name: str) -> None:
        """Stop an account from logging in; its sessions stop working at once (see sessions)."""
        with Session(self.engine) as session, session.begin():
            row = _find(session, name)
            if row is None:
                raise AccountError(f"there is no user called {name!r}")
            row.disabled = True

    def users(self) -> list[User]:
        """Return every account, by name."""
        with Session(self.engine) as session:
            rows = session.execute(sa.select(UserRow).order_by(UserRow.name)).scalars()
            return [_user(row) for row in rows]
