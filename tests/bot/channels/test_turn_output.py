"""A turn's replies, grouped into few bubbles, through a real Rasa collecting channel."""

import asyncio

from rasa.core.channels.channel import CollectingOutputChannel

from bot.channels.turn_output import TurnOutput, group_turn

YES_NO = [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}]


def test_texts_join_and_quick_replies_close_their_message():
    turn = [
        {"text": "I believe you.", "utter_action": "utter_disclosure_believe"},
        {"text": "Your reference is ABCD-1234.", "utter_action": "utter_escalation_reference"},
        {"text": "Do you want to talk?", "buttons": YES_NO, "utter_action": "utter_ask"},
        {"text": "Afterwards.", "utter_action": "utter_after"},
    ]
    bubbles = group_turn(turn)
    assert [b["text"] for b in bubbles] == [
        "I believe you.\n\nYour reference is ABCD-1234.\n\nDo you want to talk?",
        "Afterwards.",
    ]
    assert bubbles[0]["buttons"] == YES_NO and not bubbles[1].get("buttons")
    assert bubbles[0]["responses"] == [
        "utter_disclosure_believe",
        "utter_escalation_reference",
        "utter_ask",
    ]


def test_urgent_help_is_a_message_of_its_own_and_first_if_it_came_first():
    turn = [
        {"text": "Call 999 now.", "utter_action": "utter_danger_now"},
        {"text": "Reference ABCD-1234.", "utter_action": "utter_escalation_reference"},
        {"text": "A duty worker will read this.", "utter_action": "utter_duty_available"},
    ]
    bubbles = group_turn(turn)
    assert [b["text"] for b in bubbles] == [
        "Call 999 now.",
        "Reference ABCD-1234.\n\nA duty worker will read this.",
    ]


def test_empty_texts_vanish_and_non_text_messages_pass_as_they_came():
    turn = [{"text": ""}, {"custom": {"x": 1}}, {"text": "Hello."}]
    bubbles = group_turn(turn)
    assert [(b.get("custom"), b.get("text")) for b in bubbles] == [
        ({"x": 1}, None),
        (None, "Hello."),
    ]


def test_a_collecting_channel_gets_each_bubble_whole_and_only_at_the_end():
    collector = CollectingOutputChannel()
    turn = TurnOutput(collector)

    async def run():
        await turn.send_response("s1", {"text": "One.\n\nTwo paragraphs."})
        await turn.send_text_with_buttons("s1", "Pick one.", YES_NO)
        assert collector.messages == []  # held until the turn ends
        await turn.flush()
        await turn.send_response("s1", {"text": "Later."})  # after the turn: straight through

    asyncio.run(run())
    assert [m["text"] for m in collector.messages] == [
        "One.\n\nTwo paragraphs.\n\nPick one.",
        "Later.",
    ]
    assert collector.messages[0]["buttons"] == YES_NO
    assert turn.name() == "collector"
