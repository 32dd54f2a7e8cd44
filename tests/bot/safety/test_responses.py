"""What the bot does about a decision: the reviewed responses, fitted to who it is about."""

import pytest

from bot.safety.assessment import Assessment
from bot.safety.policy import next_action
from bot.safety.responses import DoneSoFar, response_plan
from bot.safety.routes import Route, Subject

ASK = "utter_ask_talk_to_duty_worker"


def decision(route, priority=None, subject=Subject.SELF, evidence=(0,)):
    return Assessment(route, priority, subject, (), evidence, ())


@pytest.mark.parametrize(
    "route, priority, subject, first",
    [
        (Route.DANGER, 1, Subject.SELF, "utter_danger_now"),
        (Route.DANGER, 1, Subject.OWN_CHILD, "utter_danger_now_other"),
        (Route.SELF_HARM, 1, Subject.SELF, "utter_self_harm_now"),
        (Route.SELF_HARM, 2, Subject.SELF, "utter_self_harm"),
        (Route.SELF_HARM, 1, Subject.FRIEND, "utter_self_harm_other_now"),
        (Route.SELF_HARM, 2, Subject.FRIEND, "utter_self_harm_other"),
        (Route.DISCLOSURE, 2, Subject.SELF, "utter_disclosure_believe"),
        (Route.DISCLOSURE, 2, Subject.FRIEND, "utter_disclosure_friend"),
        (Route.DISCLOSURE, 2, Subject.OWN_CHILD, "utter_disclosure_parent"),
        (Route.DISCLOSURE, 2, Subject.CHILD_IN_CARE, "utter_disclosure_parent"),
        (Route.DISCLOSURE, 2, Subject.CHILD_AT_WORK, "utter_disclosure_professional"),
    ],
)
def test_an_escalation_is_worded_for_who_it_is_about(route, priority, subject, first):
    plan = response_plan(decision(route, priority, subject), DoneSoFar(), 0)
    assert plan == [first, "action_escalate", ASK]


def test_a_conversation_already_escalated_is_not_told_everything_again():
    done = DoneSoFar(escalated=2)
    same = decision(Route.DISCLOSURE, 2)
    assert response_plan(same, done, 0) == ["action_escalate"]  # new detail: added
    assert response_plan(decision(Route.DISCLOSURE, 2, evidence=(0,)), done, 3) == []  # "ok"
    raised = response_plan(decision(Route.DANGER, 1), done, 0)
    assert raised == ["utter_danger_now", "action_escalate", ASK]
    again = response_plan(decision(Route.DANGER, 1), DoneSoFar(escalated=1), 0)
    assert again == ["utter_danger_now", "action_escalate"]  # danger again: 999 again


def test_the_gentle_check_and_the_concern_routes_are_given_once():
    assert response_plan(decision(Route.CHECK), DoneSoFar(), 0) == ["utter_check_gentle"]
    assert response_plan(decision(Route.CHECK), DoneSoFar(checked=True), 0) == []
    assert response_plan(decision(Route.CHECK_SAFE), DoneSoFar(), 0) == ["utter_check_safe_now"]
    concern = decision(Route.CONCERN, subject=Subject.OWN_CHILD)
    assert response_plan(concern, DoneSoFar(), 0, "parent") == ["utter_concern_route"]
    assert response_plan(concern, DoneSoFar(concern_given=True), 0, "parent") == []
    friend = decision(Route.CONCERN, subject=Subject.FRIEND)
    assert response_plan(friend, DoneSoFar(), 0) == ["utter_concern_friend"]


def test_another_language_is_answered_every_time_and_nothing_else_is_planned():
    assert response_plan(decision(Route.LANGUAGE), DoneSoFar(), 0) == [
        "utter_language_not_supported"
    ]
    assert response_plan(decision(Route.NONE), DoneSoFar(), 0) == []


def test_the_plan_is_followed_step_by_step_and_a_running_form_is_stopped_first():
    plan = ["utter_danger_now", "action_escalate", ASK]
    assert next_action(plan, [], "warning_sign_checker_form") == "action_deactivate_loop"
    assert next_action(plan, ["action_deactivate_loop"], None) == "utter_danger_now"
    assert next_action(plan, ["utter_danger_now", "action_escalate"], None) == ASK
    assert next_action(plan, plan, None) == "action_listen"
    assert next_action(plan, ["utter_greet"], None) == "action_listen"  # never repeats itself
