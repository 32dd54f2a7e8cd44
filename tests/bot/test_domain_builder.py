"""The generated responses must give exactly one wording for every audience and channel."""

import pytest
from rasa.core.nlg.generator import ResponseVariationFilter

from bot.content.domain_builder import SMS_OUTPUT_CHANNEL, build_responses, quick_reply_payload
from bot.content.schema import AUDIENCES


@pytest.mark.parametrize("audience", [None, *AUDIENCES])
@pytest.mark.parametrize("channel", ["rest", "socketio", SMS_OUTPUT_CHANNEL])
def test_exactly_one_variation_matches_and_it_is_the_content_text(catalogue, audience, channel):
    responses = build_responses(catalogue)
    selector = ResponseVariationFilter(responses)
    kind = "sms" if channel == SMS_OUTPUT_CHANNEL else "web"
    for name in responses:
        matches = selector.responses_for_utter_action(
            name, channel, {"audience": audience, "language": "en"}
        )
        assert len(matches) == 1, (name, audience, channel)
        expected = catalogue.item(name).variant_for("en", audience)
        assert matches[0]["text"] == expected.text(kind)


def test_an_unexpected_slot_value_still_gets_the_default_wording(catalogue):
    responses = build_responses(catalogue)
    selector = ResponseVariationFilter(responses)
    matches = selector.responses_for_utter_action("utter_what_is_cse", "rest", {"audience": "x"})
    assert [m["text"] for m in matches] == [
        catalogue.item("utter_what_is_cse").variant_for("en", None).web
    ]


def test_fragments_are_not_responses_and_buttons_use_quick_reply_payloads(catalogue):
    responses = build_responses(catalogue)
    assert not [name for name in responses if not name.startswith("utter_")]
    buttons = [
        b for variations in responses.values() for v in variations for b in v.get("buttons", [])
    ]
    assert buttons
    assert all(b["payload"].startswith(quick_reply_payload("")) for b in buttons)
