"""Kept dialogue states are Rasa's own, turn after turn, whatever the conversation does."""

import json
import random

import pytest
from rasa.core.policies.rule_policy import RulePolicy
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    BotUttered,
    Event,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.dialogue_states import possible_rule_keys, states_for_tracker_history

FORM = "checker_form"
DOMAIN = Domain.from_dict(
    {
        "intents": ["greet", "ask_grooming", "ask_help", "affirm", "deny"],
        "entities": ["place"],
        "slots": {
            "audience": {
                "type": "categorical",
                "values": ["young_person", "parent"],
                "mappings": [{"type": "custom"}],
            },
            "worried": {"type": "bool", "mappings": [{"type": "custom"}]},
            "note": {"type": "text", "influence_conversation": False, "mappings": []},
        },
        "forms": {FORM: {"required_slots": ["worried"]}},
        "responses": {name: [{"text": name}] for name in ("utter_a", "utter_b", "utter_c")},
        "actions": ["action_check"],
    }
)
ASKINGS = [
    {},
    {"omit_unset_slots": True},
    {
        "ignore_rule_only_turns": True,
        "rule_only_data": {"slots": ["worried"], "active_loops": [FORM]},
    },
    {"omit_unset_slots": True, "ignore_rule_only_turns": True, "rule_only_data": {}},
]


def _some_events(chance: random.Random, now: float) -> list[Event]:
    """A few events of the kinds a turn adds, now and then a rewriting one."""
    kind = chance.random()
    if kind < 0.04:
        return [Restarted(timestamp=now), ActionExecuted("action_listen", timestamp=now)]
    if kind < 0.07:
        return [SessionStarted(timestamp=now), ActionExecuted("action_listen", timestamp=now)]
    if kind < 0.11:
        return [UserUtteranceReverted(timestamp=now)]
    if kind < 0.14:
        return [ActionReverted(timestamp=now)]
    if kind < 0.24:  # a form runs for a turn or two
        return [
            ActionExecuted(FORM, timestamp=now),
            ActiveLoop(FORM, timestamp=now),
            SlotSet("worried", chance.random() < 0.5, timestamp=now),
            ActionExecuted("action_listen", timestamp=now),
        ]
    if kind < 0.28:
        return [ActiveLoop(None, timestamp=now)]
    intent = chance.choice(DOMAIN.intents)
    events: list[Event] = [
        UserUttered(
            f"text {now}",
            intent={"name": intent, "confidence": 0.9},
            entities=[{"entity": "place", "value": "park"}] if chance.random() < 0.2 else [],
            timestamp=now,
        )
    ]
    if chance.random() < 0.3:
        events.append(SlotSet("audience", chance.choice(["young_person", "parent"]), now))
    for _ in range(chance.randint(1, 3)):
        name = chance.choice(["utter_a", "utter_b", "utter_c", "action_check"])
        events.append(ActionExecuted(name, hide_rule_turn=chance.random() < 0.3, timestamp=now))
        events.append(BotUttered(name, timestamp=now))
    events.append(ActionExecuted("action_listen", timestamp=now))
    return events


def _as_stored(sender: str, events: list[Event]) -> DialogueStateTracker:
    """The tracker as a tracker store gives it back: every event decoded from its JSON."""
    dumped = [json.loads(json.dumps(event.as_dict())) for event in events]
    return DialogueStateTracker.from_dict(sender, dumped, DOMAIN.slots)


@pytest.mark.parametrize("seed", range(12))
def test_kept_states_are_rasas_after_every_turn(seed):
    chance = random.Random(seed)
    sender = f"conversation {seed}"
    events: list[Event] = [ActionExecuted("action_listen", timestamp=0.0)]
    for turn in range(1, 60):
        events += _some_events(chance, now=float(turn))
        tracker = _as_stored(sender, events)
        for asking in ASKINGS:
            expected = Domain.states_for_tracker_history(DOMAIN, tracker, **asking)
            got = states_for_tracker_history(DOMAIN, tracker, **asking)
            assert got == expected, (seed, turn, asking)
            for state in got:  # a caller editing the answer cannot change the next one
                for part in state.values():
                    part.clear()


def test_the_same_states_within_a_turn_as_the_tracker_grows():
    tracker = DialogueStateTracker("one turn", DOMAIN.slots)
    for event in _some_events(random.Random(3), now=1.0) * 5:
        tracker.update(event)
        expected = Domain.states_for_tracker_history(DOMAIN, tracker)
        assert states_for_tracker_history(DOMAIN, tracker) == expected


def test_rules_are_matched_as_rasa_matches_them():
    chance = random.Random(7)
    events: list[Event] = [ActionExecuted("action_listen", timestamp=0.0)]
    for turn in range(1, 40):
        events += _some_events(chance, now=float(turn))
    states = Domain.states_for_tracker_history(DOMAIN, _as_stored("rules", events))
    rules = set()
    for _ in range(300):  # windows of the conversation (some from its start), some altered
        end = chance.randint(1, len(states))
        start = 0 if chance.random() < 0.1 else max(0, end - chance.randint(1, 6))
        window = [dict(state) for state in states[start:end]]
        if chance.random() < 0.5:
            window[chance.randrange(len(window))] = {"prev_action": {"action_name": "utter_c"}}
        rules.add(json.dumps(window, sort_keys=True))
    lookup = dict.fromkeys(rules, "utter_a")
    policy = RulePolicy.__new__(RulePolicy)  # the two methods read no configuration
    matched = 0
    for end in range(1, len(states) + 1):
        expected = RulePolicy._get_possible_keys(policy, lookup, states[:end])
        assert possible_rule_keys(policy, lookup, states[:end]) == expected
        matched += bool(expected)
    assert matched > len(states) // 3  # the windows do match, often
