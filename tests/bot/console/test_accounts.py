"""Console accounts: one-time passwords, argon2 hashes, roles, disabling."""

import pytest
import sqlalchemy as sa

from bot.console.accounts import AccountError, AccountStore


def store(database_url) -> AccountStore:
    return AccountStore(database_url)


def test_a_new_user_logs_in_with_the_one_time_password_which_is_stored_only_hashed(database_url):
    accounts = store(database_url)
    password = accounts.add("Sam Duty", "duty_worker")
    user = accounts.authenticate("Sam Duty", password)
    assert user is not None and user.role == "duty_worker" and user.must_change_password
    assert accounts.authenticate("Sam Duty", password + "x") is None
    assert accounts.authenticate("Nobody", password) is None
    with accounts.engine.connect() as connection:
        stored = connection.execute(sa.text("SELECT password_hash FROM console_users")).scalar()
    assert password not in stored and stored.startswith("$argon2id$")


def test_changing_the_password_needs_the_old_one_and_a_long_new_one(database_url):
    accounts = store(database_url)
    password = accounts.add("Sam Duty", "duty_worker")
    with pytest.raises(AccountError, match="at least"):
        accounts.change_password("Sam Duty", password, "short")
    with pytest.raises(AccountError, match="not right"):
        accounts.change_password("Sam Duty", "wrong-password-123", "a much longer password")
    accounts.change_password("Sam Duty", password, "a much longer password")
    assert accounts.authenticate("Sam Duty", password) is None
    user = accounts.authenticate("Sam Duty", "a much longer password")
    assert user is not None and not user.must_change_password


def test_roles_names_and_disabling(database_url):
    accounts = store(database_url)
    with pytest.raises(AccountError, match="role"):
        accounts.add("Sam", "janitor")
    with pytest.raises(AccountError, match="name"):
        accounts.add("  ", "admin")
    password = accounts.add("Sam", "supervisor")
    with pytest.raises(AccountError, match="already"):
        accounts.add("Sam", "admin")
    accounts.disable("Sam")
    assert accounts.authenticate("Sam", password) is None
    assert [u.disabled for u in accounts.users()] == [True]
