"""After an escalation, more of the person's story is acknowledged, not answered as a topic.

Once a conversation is escalated, a young person often goes on telling: "we were both 15 when i
sent them", "he said everyone would see them". The NLU learned its topics from questions, so it
can place such a statement in one with high confidence, and the person would get the answer to a
question they never asked ("When you call 999, ask for the police"). This policy, ranked above
the rules (and below the safety policy, whose own responses win), sends a statement that the NLU
placed in an information topic to ``action_not_understood``. While the escalation is open that
action says the message was added for the duty worker, with the reference; once it is closed,
or cannot be checked, it answers honestly that it did not understand.

A question still gets its reviewed answer, and so do the topics that fit a statement too:
asking for a person, deleting the chat, who will find out, whose fault it is, what happens next.
"""

from __future__ import annotations

import re
from typing import Any

from rasa.core.policies.policy import PolicyPrediction
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from bot.safety.policy import UntrainedPolicy
from bot.safety.routes import ESCALATION_REFERENCE_SLOT

ACTION_NOT_UNDERSTOOD = "action_not_understood"
# Information topics: every "ask_" intent, and what the NLU could not place in the assistant's.
TOPIC_PREFIX = "ask_"
OUT_OF_SCOPE = "out_of_scope"
# Topics whose answer fits a statement as well as a question ("i want to talk to someone",
# "i dont want my mum to find out", "its my fault", "idk what happens now").
ANSWERED_AS_SAID = frozenset(
    {
        "ask_talk_to_person",
        "ask_delete_conversation",
        "ask_will_they_tell_parents",
        "ask_is_it_my_fault",
        "ask_what_happens_next",
        "ask_what_to_do",
    }
)

# Words that may come before a question's first word: "ok so what happens", "hi can you".
_LEAD_IN = (
    r"^\W*((hi|hiya|hey|hello|ok|okay|k|so|and|but|also|um|umm|erm|well|right|sorry|please|pls|"
    r"plz|then|ah|oh|wait|shwmae|helo|iawn|reit|ac|ond|felly)\W+)*"
)
# A question's first word: a question word, or a verb before its subject ("can i", "is he"), in
# English (with text speak) and in Welsh. "am 15", "was at his" and "dont tell" are statements;
# so is "when he comes round i hide", "what he did": a clause that tells, not a question.
_QUESTION_WORD = (
    r"(what|whats|wat|wot|wut|wht|how|hows|hw|where|wheres|when|who|whos|whose|why|which)"
    r"(?!\W+(i|he|she|they|we|him|her|them|his|their|my)\b)"
)
_VERB = (
    r"(can|cn|could|cud|will|would|wud|should|shud|shall|is|isnt|are|arent|r|am|do|does|did|"
    r"have|has|was|were|may|might|must|wont|cant|wouldnt|shouldnt|couldnt)"
)
_SUBJECT = r"(i|u|you|ya|he|she|they|we|it|there|someone|somebody|anyone|anybody|my|the|this|that)"
_WELSH_QUESTION_WORD = (
    r"(beth|be|sut|shut|ble|lle|pwy|bwy|pam|bam|pryd|faint|pa|oes|ydy|ydi|wyt|ydych|ydan|ydyn|"
    r"fydd|fyddan|fyddi|alla|allai|allwch|allwn|ga|gaf|gai|gawn|ddylwn|ddylai|ddylen|ddylech|"
    r"wnei|wnewch|wnaiff)"
)
OPENS_A_QUESTION = re.compile(
    _LEAD_IN + rf"({_QUESTION_WORD}|{_VERB}\W+{_SUBJECT}|{_WELSH_QUESTION_WORD})\b", re.IGNORECASE
)
# Asking in the middle of a message: "so what do i do now", "tell me how", "dw i isio gwybod".
ASKS_WITHIN = re.compile(
    r"\?|\b(tell me|explain|i want to know|i wanna know|i need to know|want to know|"
    r"need to know|wondering|can i ask|help me|"
    r"(what|how|where|who) (to|do|does|did|should|shall|can|could|will|would|happens|happen|"
    r"now|next)|"
    r"eisiau gwybod|isio gwybod|moyn gwybod|angen gwybod|dweud wrtha i|deud wrtha i|"
    r"esbonio|helpa fi|helpwch fi)\b",
    re.IGNORECASE,
)


def asks_something(text: str) -> bool:
    """Return whether a message asks something: a question or a request to be told."""
    return bool(OPENS_A_QUESTION.match(text) or ASKS_WITHIN.search(text))


def tells_more(intent: str | None, text: str) -> bool:
    """Return whether a message placed in ``intent`` is more of a story, not a question."""
    if intent is None or intent in ANSWERED_AS_SAID:
        return False
    topic = intent.startswith(TOPIC_PREFIX) or intent == OUT_OF_SCOPE
    return topic and not asks_something(text)


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=False
)
class StoryGoesOnPolicy(UntrainedPolicy):
    """In an escalated conversation, send a statement placed in a topic to the acknowledgement.

    It has the safety policy's priority and is listed after it, so the safety policy's own
    responses win.
    """

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        """Predict the acknowledgement for a statement just told in an escalated conversation."""
        probabilities = self._default_predictions(domain)
        message = tracker.latest_message
        if (
            message is not None
            and tracker.latest_action_name == ACTION_LISTEN_NAME
            and tracker.active_loop_name is None
            and tracker.get_slot(ESCALATION_REFERENCE_SLOT)
            and tells_more(message.intent.get("name"), message.text or "")
        ):
            probabilities[domain.index_for_action(ACTION_NOT_UNDERSTOOD)] = 1.0
        return self._prediction(probabilities)
