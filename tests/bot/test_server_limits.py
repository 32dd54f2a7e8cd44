from bot.server_limits import (
    MAX_BODY_BYTES,
    MAX_MESSAGE_CHARS,
    TAIL_CHARS,
    body_limit,
    readable_part,
)


def test_small_routes_get_small_bodies_and_the_rest_the_cap():
    assert body_limit("/console/login") < body_limit("/console/api/queue") < MAX_BODY_BYTES
    assert body_limit("/webhooks/twilio/webhook") < MAX_BODY_BYTES
    assert body_limit("/webchat/") == MAX_BODY_BYTES


def test_an_over_long_message_is_read_by_its_beginning_and_its_end():
    assert readable_part("short") == "short"
    long = "a" * 20_000 + " he is outside now"
    read = readable_part(long)
    assert len(read) <= MAX_MESSAGE_CHARS + 1
    assert read.endswith("he is outside now") and read.startswith("a" * 100)
    assert len(read.split(" ")[-1]) <= TAIL_CHARS
