"""Console sessions, login throttling and availability, on real SQLite and PostgreSQL."""

from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from bot.console.accounts import AccountStore
from bot.console.sessions import ACCOUNT_FAILURES, ADDRESS_FAILURES, ConsoleSessions

KEY = b"k" * 32


def stores(url, idle=timedelta(minutes=30)):
    accounts = AccountStore(url)
    accounts.add("sam", "duty_worker")
    return accounts, ConsoleSessions(url, idle=idle, key=KEY)


def age_sessions(sessions: ConsoleSessions, by: timedelta) -> None:
    with sessions.engine.begin() as connection:
        connection.execute(
            sa.text("UPDATE console_sessions SET last_seen_at = :at"),
            {"at": datetime.now(timezone.utc) - by},
        )


def test_a_session_is_stored_only_as_a_hash_and_ends_at_logout(database_url):
    _, sessions = stores(database_url)
    token = sessions.start("sam")
    with sessions.engine.begin() as connection:
        stored = connection.execute(sa.text("SELECT token_hash FROM console_sessions")).scalar()
    assert token not in stored
    assert sessions.resolve(token).user_name == "sam"
    sessions.end(token)
    assert sessions.resolve(token) is None


def test_an_idle_session_times_out_and_stays_ended(database_url):
    _, sessions = stores(database_url, idle=timedelta(minutes=5))
    token = sessions.start("sam")
    age_sessions(sessions, timedelta(minutes=4))
    assert sessions.resolve(token) is not None  # activity: the clock restarts
    age_sessions(sessions, timedelta(minutes=6))
    assert sessions.resolve(token) is None
    age_sessions(sessions, timedelta(0))
    assert sessions.resolve(token) is None  # ended, not just idle


def test_listening_for_events_is_not_activity(database_url):
    _, sessions = stores(database_url, idle=timedelta(minutes=5))
    token = sessions.start("sam")
    age_sessions(sessions, timedelta(minutes=4))
    assert sessions.resolve(token, touch=False) is not None
    age_sessions(sessions, timedelta(minutes=6))
    assert sessions.resolve(token, touch=False) is None


def test_disabling_an_account_ends_its_sessions_and_its_availability(database_url):
    accounts, sessions = stores(database_url)
    token = sessions.start("sam")
    sessions.set_available("sam", True)
    assert sessions.someone_available()
    accounts.disable("sam")
    assert sessions.resolve(token) is None
    assert not sessions.someone_available()


def test_available_means_marked_available_with_a_live_session(database_url):
    _, sessions = stores(database_url, idle=timedelta(minutes=5))
    sessions.set_available("sam", True)
    assert not sessions.someone_available()  # not signed in
    token = sessions.start("sam")
    assert sessions.someone_available()
    age_sessions(sessions, timedelta(minutes=6))
    assert not sessions.someone_available()  # gone idle
    age_sessions(sessions, timedelta(0))
    sessions.end(token)
    assert not sessions.someone_available()


def test_one_address_guessing_is_stopped_without_stopping_anyone_else(database_url):
    _, sessions = stores(database_url)
    for n in range(ADDRESS_FAILURES):
        sessions.record_failure(f"name{n}", "203.0.113.9", known_device=False)
    assert sessions.login_wait("sam", "203.0.113.9", known_device=False) > timedelta(minutes=14)
    assert sessions.login_wait("sam", "198.51.100.1", known_device=False) == timedelta(0)
    # behind one proxy address, a worker's own browser still gets in
    assert sessions.login_wait("sam", "203.0.113.9", known_device=True) == timedelta(0)


def test_guessing_one_account_does_not_lock_out_its_owner_browser(database_url):
    _, sessions = stores(database_url)
    for n in range(ACCOUNT_FAILURES):
        sessions.record_failure("Sam", f"203.0.113.{n}", known_device=False)
    assert sessions.login_wait("sam", "198.51.100.1", known_device=False) > timedelta(minutes=14)
    assert sessions.login_wait("sam", "198.51.100.1", known_device=True) == timedelta(0)
    assert sessions.login_wait("alex", "198.51.100.1", known_device=False) == timedelta(0)


def test_failures_are_stored_as_keyed_hashes_and_forgotten_after_the_window(database_url):
    _, sessions = stores(database_url)
    sessions.record_failure("sam", "203.0.113.9", known_device=False)
    with sessions.engine.begin() as connection:
        stored = str(connection.execute(sa.text("SELECT * FROM login_failures")).all())
        assert "sam" not in stored and "203.0.113.9" not in stored
        connection.execute(
            sa.text("UPDATE login_failures SET at = :at"),
            {"at": datetime.now(timezone.utc) - timedelta(minutes=16)},
        )
    assert sessions.login_wait("sam", "203.0.113.9", known_device=False) == timedelta(0)
    sessions.sweep_refusals()
    with sessions.engine.begin() as connection:
        assert connection.execute(sa.text("SELECT COUNT(*) FROM login_failures")).scalar() == 0


def test_a_known_device_cookie_is_signed_for_one_account(database_url):
    _, sessions = stores(database_url)
    cookie = sessions.device_cookie("sam")
    assert sessions.is_known_device("Sam ", cookie)
    assert not sessions.is_known_device("alex", cookie)
    altered = cookie[:-1] + ("1" if cookie.endswith("0") else "0")
    assert not sessions.is_known_device("sam", altered)
    assert not sessions.is_known_device("sam", "")
    assert not sessions.is_known_device("sam", "n\u00e9.sign\u00e9\udcff")  # never a crash


def test_any_cookie_value_is_just_not_a_session(database_url):
    _, sessions = stores(database_url)
    for junk in ("\u00e9\u00e9", "\udcff", "x" * 5000, "a.b.c"):
        assert sessions.resolve(junk) is None


def test_an_attempt_that_succeeds_is_not_counted(database_url):
    _, sessions = stores(database_url)
    for _ in range(ACCOUNT_FAILURES - 1):
        sessions.record_failure("sam", "203.0.113.9", known_device=False)
    sessions.forget_failure(sessions.record_failure("sam", "203.0.113.9", known_device=False))
    assert sessions.login_wait("sam", "198.51.100.1", known_device=False) == timedelta(0)
    sessions.record_failure("sam", "203.0.113.9", known_device=False)
    assert sessions.login_wait("sam", "198.51.100.1", known_device=False) > timedelta(0)


def test_ended_and_idle_sessions_are_deleted_when_the_next_one_starts(database_url):
    _, sessions = stores(database_url, idle=timedelta(minutes=5))
    sessions.end(sessions.start("sam"))
    sessions.start("sam")
    age_sessions(sessions, timedelta(minutes=6))
    live = sessions.start("sam")
    with sessions.engine.begin() as connection:
        assert connection.execute(sa.text("SELECT COUNT(*) FROM console_sessions")).scalar() == 1
    assert sessions.resolve(live) is not None


def test_a_device_cookie_cannot_be_moved_to_an_account_whose_name_ends_another(database_url):
    _, sessions = stores(database_url)
    cookie = sessions.device_cookie("xsam")  # the attacker's own account
    nonce, _, signature = cookie.partition(".")
    forged = f"{nonce}x.{signature}"  # "nonce" + "xsam" == "nonce" + "x" + "sam"
    assert sessions.is_known_device("xsam", cookie)
    assert not sessions.is_known_device("sam", forged)


def test_a_session_ends_after_its_absolute_lifetime_however_busy(database_url):
    _, sessions = stores(database_url)
    token = sessions.start("sam")
    with sessions.engine.begin() as connection:
        connection.execute(
            sa.text("UPDATE console_sessions SET created_at = :at"),
            {"at": datetime.now(timezone.utc) - sessions.lifetime - timedelta(minutes=1)},
        )
    assert sessions.resolve(token) is None


def test_ending_the_other_sessions_keeps_only_this_one(database_url):
    _, sessions = stores(database_url)
    here, there = sessions.start("sam"), sessions.start("sam")
    sessions.end_others("sam", here)
    assert sessions.resolve(here) is not None and sessions.resolve(there) is None


def test_refused_attempts_are_counted_once_per_window_and_summed_when_it_passes(database_url):
    _, sessions = stores(database_url)
    firsts = [sessions.record_refusal("sam", "10.0.0.1") for _ in range(4)]
    assert firsts == [True, False, False, False]
    assert sessions.sweep_refusals() == 0  # the window has not passed
    with sessions.engine.begin() as connection:
        connection.execute(
            sa.text("UPDATE login_failures SET at = :at"),
            {"at": datetime.now(timezone.utc) - timedelta(hours=1)},
        )
    assert sessions.sweep_refusals() == 4
    assert sessions.record_refusal("sam", "10.0.0.1") is True
