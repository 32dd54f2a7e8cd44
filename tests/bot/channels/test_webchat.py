"""The web chat channel's secrets, page rendering and headers, without a server."""

import json
import re

import yaml

from bot.channels.webchat import (
    WebChatInput,
    content_security_policy,
    link_hosts,
    script_safe_json,
)
from bot.channels.webchat_sessions import (
    PRESENCE_SECONDS,
    ReceivedMessages,
    SharedPresence,
    SharedReceivedMessages,
    choose_conversation,
    conversation_secret,
    received_messages,
    secret_matches,
)
from bot.runner import free_port

KEY = bytes(range(32))


def test_only_the_issued_secret_opens_a_conversation():
    secret = conversation_secret(KEY, "abc")
    assert secret_matches(KEY, "abc", secret)
    assert not secret_matches(KEY, "abd", secret)
    assert not secret_matches(bytes(32), "abc", secret)
    assert not secret_matches(KEY, "abc", secret[:-1] + "0")
    for conversation_id, claimed in [(None, secret), ("abc", None), (42, secret), ("abc", 7)]:
        assert not secret_matches(KEY, conversation_id, claimed)


def test_json_in_the_page_cannot_close_its_script_element():
    encoded = script_safe_json({"text": "</script><script>alert(1)</script> & more"})
    assert "<" not in encoded and ">" not in encoded and "&" not in encoded
    assert json.loads(encoded)["text"] == "</script><script>alert(1)</script> & more"


def test_the_page_escapes_its_words_and_carries_no_outside_address(content_copy, monkeypatch):
    page_file = content_copy / "web" / "page.yml"
    data = yaml.safe_load(page_file.read_text())
    for text in data["texts"]:
        if text["id"] == "heading":
            text["text"] = '<img src=x onerror="alert(1)">'
    page_file.write_text(yaml.safe_dump(data))
    monkeypatch.setenv("BOT_WEBCHAT_TITLE", "Weather & travel")
    page = WebChatInput().page()
    assert "<img src=x" not in page and "&lt;img src=x" in page
    assert "<title>Weather &amp; travel</title>" in page
    assert "{{" not in page
    # every script and stylesheet is our own; the one link is to the page in the other language
    addresses = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert all(a.startswith("/webchat/") or a == "/webchat?lang=cy" for a in addresses)
    assert "/webchat?lang=cy" in addresses


def test_links_are_allowed_only_to_hosts_named_in_content(catalogue):
    hosts = link_hosts(catalogue)
    assert "www.childline.org.uk" in hosts
    assert all(re.fullmatch(r"[a-z0-9.-]+", host) for host in hosts)


def test_the_policy_allows_nothing_but_our_own_origin():
    policy = content_security_policy("'self'")
    assert "default-src 'none'" in policy and "script-src 'self'" in policy
    assert "unsafe" not in policy and "http" not in policy


def test_a_connection_starts_three_conversations_a_minute_then_stays_in_its_own():
    key, started, previous, ids = b"k" * 32, [], None, []
    for second in range(5):
        previous, _, resumed, started = choose_conversation(key, {}, previous, started, second)
        ids.append((previous, resumed))
    assert [resumed for _, resumed in ids] == [False, False, False, True, True]
    assert ids[3][0] == ids[4][0] == ids[2][0]
    later, _, resumed, _ = choose_conversation(key, {}, previous, started, 200.0)
    assert not resumed and later != previous  # a minute on, a new one may start


async def test_a_message_id_is_taken_once_per_conversation():
    received = ReceivedMessages(keep=2)
    assert await received.first_time("c1", "a") and not await received.first_time("c1", "a")
    assert await received.first_time("c2", "a")  # another conversation's message
    await received.first_time("c1", "b")
    await received.first_time("c1", "c")
    assert await received.first_time("c1", "a")  # forgotten after the latest two


async def test_a_message_resent_to_another_worker_is_taken_once(redis_server):
    workers = [received_messages(redis_server.url) for _ in range(2)]  # two processes' own
    assert isinstance(workers[0], SharedReceivedMessages)
    assert await workers[0].first_time("c1", "a")
    assert not await workers[1].first_time("c1", "a")  # the page reconnected to the other
    assert await workers[1].first_time("c2", "a")


async def test_without_redis_a_message_is_taken_rather_than_lost():
    unreachable = SharedReceivedMessages(f"redis://127.0.0.1:{free_port()}/0")
    assert await unreachable.first_time("c1", "a")


def test_a_page_on_any_worker_shows_as_connected_until_it_leaves_or_its_worker_dies(
    redis_server,
):
    here, there = SharedPresence(redis_server.url), SharedPresence(redis_server.url)
    assert not there.connected("c1")
    here.here("c1", ["sid-a"])
    assert there.connected("c1")  # the console on another worker sees the page
    here.gone("c1", "sid-a")
    assert not there.connected("c1")
    here.here("c1", ["sid-b"], now=1000.0)  # a worker that died said so long ago
    assert not there.connected("c1")
    assert there.connected("c1", now=1000.0 + PRESENCE_SECONDS - 1)


def test_without_redis_a_page_shows_as_not_connected():
    assert not SharedPresence(f"redis://127.0.0.1:{free_port()}/0").connected("c1")
