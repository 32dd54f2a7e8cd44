"""The console on real stores in a temporary database, served by Sanic's test client."""

from __future__ import annotations

import itertools

import pytest
from cryptography.fernet import Fernet
from sanic import Sanic
from sanic_testing import TestManager

from bot.channels.phone_numbers import PhoneVault
from bot.console.accounts import AccountStore
from bot.console.app import console_blueprint
from bot.console.audit import AuditLog
from bot.console.service import ConsoleService
from bot.console.sessions import ConsoleSessions
from bot.storage.escalations import EscalationStore
from bot.storage.exits import ExitStore
from bot.storage.sms import SmsStore

APPS = itertools.count()


@pytest.fixture()
def console(database_url, monkeypatch) -> ConsoleService:
    monkeypatch.setenv("BOT_PUBLIC_URL", "http://127.0.0.1")
    url = database_url
    service = ConsoleService(
        escalations=EscalationStore(url),
        accounts=AccountStore(url),
        sessions=ConsoleSessions(url, key=b"k" * 32),
        audit=AuditLog(url),
        sms=SmsStore(url),
        exits=ExitStore(url),
        vault=PhoneVault(Fernet.generate_key()),
    )
    return service


@pytest.fixture()
def app(console) -> Sanic:
    app = Sanic(f"console_test_{next(APPS)}")
    TestManager(app)
    app.blueprint(console_blueprint(), url_prefix="/console")
    app.ctx.console = console
    return app
