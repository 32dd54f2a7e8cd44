"""The compiled validator accepts and rejects action-server responses exactly as Rasa does."""

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

from bot.rasa_server import action_result_validator, validate_action_result

VALID = {
    "events": [{"event": "slot", "name": "audience", "value": "parent"}],
    "responses": [{"response": "utter_help_intro"}],
}
INVALID = [
    {"events": [{"event": "slot"}]},  # a slot event without a name
    {"events": [{"event": "no_such_event"}]},
    {"events": "not a list"},
    {"responses": ["not an object"]},
]


def test_valid_responses_pass_both_ways():
    assert validate_action_result(None, VALID) is True
    jsonschema.validate(VALID, RemoteAction.action_response_format_spec())


@pytest.mark.parametrize("result", INVALID)
def test_invalid_responses_are_rejected_like_rasa_does(result):
    with pytest.raises(jsonschema.ValidationError) as ours:
        validate_action_result(None, result)
    with pytest.raises(jsonschema.ValidationError) as theirs:
        jsonschema.validate(result, RemoteAction.action_response_format_spec())
    assert ours.value.message.startswith(theirs.value.message)
    assert "Failed to validate Action server response" in ours.value.message


def test_the_schema_is_checked_once():
    assert action_result_validator() is action_result_validator()
