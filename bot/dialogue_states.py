"""Dialogue states that cost the same at message 120 as at message 5 (fix 11, ``rasa_server``).

Before each prediction Rasa's policies ask for the state of the conversation before every action
of the session (``Domain.states_for_tracker_history``), and Rasa computes them by replaying the
whole session into a fresh tracker, several times a turn. This keeps, per conversation and way of
asking, the states computed so far and the replayed tracker at their end, and computes only the
states of the events added since. The states are Rasa's own: the loop below is Rasa 3.6.21's, and
the answer is a copy, so a caller that edits it cannot change the next one.

The kept states are used only when the conversation is the kept one (each event compared by the
time it happened) plus new events that Rasa simply appends. A restart, a new session, an undone
action or message, or a form's own turn (which Rasa may fold into the turns before) makes the
whole session be computed again, exactly as Rasa does.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from rasa.core.policies.rule_policy import RulePolicy
from rasa.shared.core.constants import PREVIOUS_ACTION
from rasa.shared.core.domain import Domain, State
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    Event,
    Restarted,
    SessionStarted,
    UserUtteranceReverted,
)
from rasa.shared.core.trackers import DialogueStateTracker

KEPT_HISTORIES = 400  # about two per conversation (rules, and stories)
REWRITING = (Restarted, SessionStarted, ActionReverted, UserUtteranceReverted)


@dataclass
class KnownHistory:
    """The states of a conversation's events so far, and where Rasa's loop stood after them."""

    domain: Domain
    replayed: DialogueStateTracker  # the applied events replayed, as Rasa's loop leaves it
    timestamps: list[float] = field(default_factory=list)  # of every event seen, in order
    loop_names: set[str] = field(default_factory=set)
    states: list[State] = field(default_factory=list)
    last_ml_action: dict[str, Any] | None = None
    turn_was_hidden: bool = False


@dataclass(frozen=True)
class Asking:
    """How the states are asked for (Rasa's arguments)."""

    omit_unset_slots: bool
    ignore_rule_only_turns: bool
    rule_only_data: dict[str, Any] | None


_known: OrderedDict[tuple[str, bool, bool, str], KnownHistory] = OrderedDict()


def states_for_tracker_history(
    self: Domain,
    tracker: DialogueStateTracker,
    omit_unset_slots: bool = False,
    ignore_rule_only_turns: bool = False,
    rule_only_data: dict[str, Any] | None = None,
) -> list[State]:
    """Return Rasa's states for each action of ``tracker``'s history, and its state now."""
    asking = Asking(omit_unset_slots, ignore_rule_only_turns, rule_only_data)
    key = (
        tracker.sender_id,
        omit_unset_slots,
        ignore_rule_only_turns,
        json.dumps(rule_only_data, sort_keys=True, default=str),
    )
    events = list(tracker.events)
    known = _known.pop(key, None)
    if known is None or not _extended(known, self, tracker, events, asking):
        known = _computed_whole(self, tracker, events, asking)
    _known[key] = known
    while len(_known) > KEPT_HISTORIES:
        _known.popitem(last=False)
    states = [_copy(state) for state in known.states]
    now = _step(self, known, known.replayed, False, asking, states, keep=False)
    return states + ([_copy(now)] if now is not None else [])


def _computed_whole(
    domain: Domain, tracker: DialogueStateTracker, events: list[Event], asking: Asking
) -> KnownHistory:
    """Compute the states of the whole session as Rasa does."""
    known = KnownHistory(domain, tracker.init_copy())
    _advance(known, tracker.applied_events(), asking)
    known.timestamps = [event.timestamp for event in events]
    known.loop_names = {e.name for e in events if isinstance(e, ActiveLoop) and e.name}
    return known


def _extended(
    known: KnownHistory,
    domain: Domain,
    tracker: DialogueStateTracker,
    events: list[Event],
    asking: Asking,
) -> bool:
    """Add the states of the events after ``known``'s; False if Rasa would not just append them."""
    seen = len(known.timestamps)
    if known.domain is not domain or len(events) < seen:
        return False
    if [event.timestamp for event in events[:seen]] != known.timestamps:
        return False
    new = events[seen:]
    loops = known.loop_names | {e.name for e in new if isinstance(e, ActiveLoop) and e.name}
    if any(
        isinstance(event, REWRITING)
        or (isinstance(event, ActionExecuted) and event.action_name in loops)
        for event in new
    ):
        return False
    _advance(known, new, asking)
    known.timestamps += [event.timestamp for event in new]
    known.loop_names = loops
    return True


def _advance(known: KnownHistory, events: list[Event], asking: Asking) -> None:
    """Replay ``events``, keeping the state before each action (Rasa's prior trackers)."""
    for event in events:
        if isinstance(event, ActionExecuted):
            state = _step(
                known.domain, known, known.replayed, event.hide_rule_turn, asking, known.states
            )
            if state is not None:
                known.states.append(state)
        known.replayed.update(event)


def _step(
    domain: Domain,
    known: KnownHistory,
    tracker: DialogueStateTracker,
    hide_rule_turn: bool,
    asking: Asking,
    states: list[State],
    keep: bool = True,
) -> State | None:
    """One pass of Rasa 3.6.21's ``states_for_tracker_history`` loop (None: a hidden turn).

    With ``keep`` False the loop's variables in ``known`` are left as they were.
    """
    last_ml_action, turn_was_hidden = known.last_ml_action, known.turn_was_hidden
    if asking.ignore_rule_only_turns:
        if not turn_was_hidden:
            last_ml_action = domain._get_prev_action_sub_state(tracker)
        if not tracker.followup_action and tracker.latest_action_name != tracker.active_loop_name:
            turn_was_hidden = hide_rule_turn
    if keep:
        known.last_ml_action, known.turn_was_hidden = last_ml_action, turn_was_hidden
    if asking.ignore_rule_only_turns and turn_was_hidden:
        return None
    state = domain.get_active_state(tracker, omit_unset_slots=asking.omit_unset_slots)
    if asking.ignore_rule_only_turns:
        domain._remove_rule_only_features(state, asking.rule_only_data)
        if states:
            domain._substitute_rule_only_user_input(state, states[-1])
        if last_ml_action:
            state[PREVIOUS_ACTION] = last_ml_action
    return domain._clean_state(state)


def _copy(state: State) -> State:
    """Copy a state and its parts (a caller may edit the last one's user part)."""
    return {name: dict(part) for name, part in state.items()}


def possible_rule_keys(self: RulePolicy, lookup: dict[str, Any], states: list[State]) -> set[str]:
    """Return Rasa's ``RulePolicy._get_possible_keys``, without reading past the longest rule.

    Rasa tests every rule against every state of the session, newest first, but a rule holds for
    any state further back than its own length (``_is_rule_applicable``), so once every rule left
    is shorter than the states read, the answer cannot change.
    """
    possible = set(lookup)
    for turn, state in enumerate(reversed(states)):
        if all(turn >= len(self._rule_key_to_state(key)) for key in possible):
            break
        possible = {key for key in possible if self._is_rule_applicable(key, turn, state)}
    return possible
