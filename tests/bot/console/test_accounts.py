"""Console accounts: one-time passwords, argon2 hashes, roles, disabling."""

import sqlite3

import pytest

from bot.console.accounts import AccountError, AccountStore


def store(tmp_path) -> AccountStore:
    return AccountStore(f"sqlite:///{tmp_path / 'a.db'}")


def test_a_new_user_logs_in_with_the_one_time_password_which_is_stored_only_hashed(tmp_path):
    accounts = store(tmp_path)
    password = accounts.add("Sam Duty", "duty_worker")
    user = accounts.authenticate("Sam Duty", password)
    assert user is not None and user.role == "duty_worker" and user.must_change_password
    assert accounts.authenticate("Sam Duty", password + "x") is None
    assert accounts.authenticate("Nobody", password) is None
    with sqlite3.connect(tmp_path / "a.db") as connection:
        stored = connection.execute("SELECT password_hash FROM console_users").fetchone()[0]
    assert password not in stored and stored.startswith("$argon2id$")


def test_changing_the_password_needs_the_old_one_and_a_long_new_one(tmp_path):
    accounts = store(tmp_path)
    password = accounts.add("Sam Duty", "duty_worker")
    with pytest.raises(AccountError, match="at least"):
        accounts.change_password("Sam Duty", password, "short")
    with pytest.raises(AccountError, match="not right"):
        accounts.change_password("Sam Duty", "wrong-password-123", "a much longer password")
    accounts.change_password("Sam Duty", password, "a much longer password")
    assert accounts.authenticate("Sam Duty", password) is None
    user = accounts.authenticate("Sam Duty", "a much longer password")
    assert user is not None and not user.must_change_password


def test_roles_names_and_disabling(tmp_path):
    accounts = store(tmp_path)
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
