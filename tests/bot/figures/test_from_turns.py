"""The figure events a turn stands for, counted from the events the tracker store saves."""

from __future__ import annotations

import time

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.figures.events import FigureEvent, Measure
from bot.figures.from_turns import turn_figures

DOMAIN = Domain.from_dict(
    {
        "intents": ["greet", "ask_what_is_cse", "identify_parent", "choose_welsh"],
        "slots": {
            "language": {"type": "any", "initial_value": "en", "mappings": [{"type": "custom"}]},
            "audience": {"type": "any", "mappings": [{"type": "custom"}]},
            "services_shown": {"type": "any", "mappings": [{"type": "custom"}]},
            "sign_gifts": {"type": "any", "mappings": [{"type": "custom"}]},
        },
    }
)


def said(intent: str, at: float) -> UserUttered:
    return UserUttered(
        "…", {"name": intent, "confidence": 1.0}, input_channel="webchat", timestamp=at
    )


class Conversation:
    """A tracker whose turns are saved one at a time, as the tracker store sees them."""

    def __init__(self) -> None:
        self.tracker = DialogueStateTracker.from_events("someone", [], DOMAIN.slots)
        self.saved = 0

    def turn(self, *events) -> list[FigureEvent]:
        for event in events:
            self.tracker.update(event)
        new = list(self.tracker.events)[self.saved :]
        self.saved = len(self.tracker.events)
        return turn_figures(self.tracker, new, "wiltshire")


def counted(figures: list[FigureEvent]) -> list[tuple[str, str, int]]:
    return [(f.measure.value, f.item or f.language or f.audience, f.weight) for f in figures]


def test_a_conversation_is_counted_at_its_first_message_with_its_channel_and_language():
    now = time.time()
    talk = Conversation()
    first = talk.turn(
        ActionExecuted("action_session_start"),
        SessionStarted(),
        ActionExecuted("action_listen"),
        said("greet", now),
    )
    assert {f.measure for f in first} == {
        Measure.CONVERSATION,
        Measure.CONVERSATION_LANGUAGE,
        Measure.CONVERSATION_AUDIENCE,
    }
    assert all(f.channel == "webchat" and f.profile == "wiltshire" for f in first)
    assert {(f.language, f.audience) for f in first} == {("en", "unknown")}
    assert talk.turn(ActionExecuted("utter_greet"), ActionExecuted("action_listen")) == []
    assert talk.turn(said("greet", now + 5)) == []  # the second message is not a new conversation


def test_a_change_of_language_or_audience_moves_the_conversation_not_adds_one():
    now = time.time()
    talk = Conversation()
    talk.turn(SessionStarted(), said("greet", now))
    moved = talk.turn(said("choose_welsh", now + 1), SlotSet("language", "cy"))
    assert counted(moved) == [
        ("conversation_language", "en", -1),
        ("conversation_language", "cy", 1),
    ]
    moved = talk.turn(said("identify_parent", now + 2), SlotSet("audience", "parent"))
    assert [(f.audience, f.weight) for f in moved] == [("unknown", -1), ("parent", 1)]
    assert talk.turn(said("identify_parent", now + 3), SlotSet("audience", "parent")) == []


def test_topics_checker_signs_and_services_shown_are_counted_without_text():
    now = time.time()
    talk = Conversation()
    talk.turn(SessionStarted(), said("greet", now))
    figures = talk.turn(
        said("ask_what_is_cse", now + 1),
        ActiveLoop("warning_sign_checker_form"),
        SlotSet("sign_gifts", "yes"),
        SlotSet("services_shown", ["childline", "wiltshire-mash"]),
    )
    assert counted(figures) == [
        ("topic", "ask_what_is_cse", 1),
        ("checker", "en", 1),
        ("checker_sign", "gifts", 1),
        ("help_listing", "en", 1),
        ("service_shown", "childline", 1),
        ("service_shown", "wiltshire-mash", 1),
    ]
    assert not any("…" in str(vars(f).values()) for f in figures)


def test_a_new_session_is_a_new_conversation():
    now = time.time()
    talk = Conversation()
    talk.turn(SessionStarted(), said("greet", now))
    again = talk.turn(
        ActionExecuted("action_session_start"),
        SessionStarted(),
        SlotSet("language", "en"),
        said("greet", now + 7200),
    )
    assert Measure.CONVERSATION in {f.measure for f in again}
