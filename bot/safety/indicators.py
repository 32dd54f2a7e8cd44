"""The indicators the safety net reads in a message, and what kind of evidence each one is.

A reviewed pattern (``content/safety/patterns.yml``) names one indicator. Indicators are the
facts the conversation-level decision (``bot/safety/assessment.py``) weighs: harm (abuse or
exploitation indicated), risk (a warning sign, weak on its own), urgency (now or imminent),
self-harm, who it is about, who is writing, ages, modifiers that change how the rest is read
(a figure of speech, a story, a general question), and context that counts only beside another
fact (a medicine named, then how many the writer took).
"""

from __future__ import annotations

from enum import Enum


class Kind(str, Enum):
    """What kind of evidence an indicator is."""

    HARM = "harm"
    RISK = "risk"
    URGENCY = "urgency"
    SELF_HARM = "self_harm"
    SUBJECT = "subject"
    WRITER = "writer"
    AGE = "age"
    MODIFIER = "modifier"
    # a fact that counts only beside another: a medicine named, how many the writer took. Not a
    # modifier, which may explain an alarm away (``bot/safety/withdrawal.py``)
    CONTEXT = "context"


INDICATORS: dict[str, Kind] = {
    # harm: abuse or exploitation is indicated (enough to escalate on its own)
    "sexual_abuse": Kind.HARM,
    "sexual_exploitation": Kind.HARM,
    "image_abuse": Kind.HARM,
    "sextortion": Kind.HARM,
    "criminal_exploitation": Kind.HARM,
    "violence": Kind.HARM,
    "threat_to_life": Kind.HARM,
    "threat": Kind.HARM,
    "trafficking": Kind.HARM,
    "spiked": Kind.HARM,
    "abuse_named": Kind.HARM,
    "coerced": Kind.HARM,
    # risk: a warning sign (one alone gets a gentle question, never an escalation)
    "older_person": Kind.RISK,
    "met_online": Kind.RISK,
    "gifts": Kind.RISK,
    "money": Kind.RISK,
    "substances": Kind.RISK,
    "place_to_stay": Kind.RISK,
    "secrecy": Kind.RISK,
    "meet_up": Kind.RISK,
    "image_request": Kind.RISK,
    "images_sent": Kind.RISK,
    "sexual_talk": Kind.RISK,
    "sexual_contact": Kind.RISK,
    "missing": Kind.RISK,
    "picked_up": Kind.RISK,
    "fear": Kind.RISK,
    "control": Kind.RISK,
    "pressure": Kind.RISK,
    "debt": Kind.RISK,
    "unease": Kind.RISK,
    "adult_mention": Kind.RISK,
    "affection": Kind.RISK,
    "child_with_adult": Kind.RISK,
    "taken_somewhere": Kind.RISK,
    "trusted_adult": Kind.RISK,
    "relationship": Kind.RISK,
    "private_contact": Kind.RISK,
    "images_spread": Kind.RISK,
    "media_sent": Kind.RISK,
    # urgency: it is happening now or very soon
    "now": Kind.URGENCY,
    "imminent": Kind.URGENCY,
    "present_threat": Kind.URGENCY,
    "kill_threat": Kind.URGENCY,  # "he is going to kill me", not reported as a threat made
    "held": Kind.URGENCY,
    "weapon": Kind.URGENCY,
    "armed": Kind.URGENCY,  # someone has a weapon with them ("he's got a knife")
    "injury": Kind.URGENCY,
    "missing_now": Kind.URGENCY,
    "help_now": Kind.URGENCY,
    "distress_now": Kind.URGENCY,
    "unsafe_now": Kind.URGENCY,
    "stalked_now": Kind.URGENCY,
    "lost_now": Kind.URGENCY,
    # self-harm and suicide
    "suicidal": Kind.SELF_HARM,
    "suicidal_thoughts": Kind.SELF_HARM,
    "self_harm": Kind.SELF_HARM,
    "overdose": Kind.SELF_HARM,
    # who it is about
    "about_self": Kind.SUBJECT,
    "about_friend": Kind.SUBJECT,
    "about_own_child": Kind.SUBJECT,
    "about_child_in_care": Kind.SUBJECT,
    "about_child_at_work": Kind.SUBJECT,
    "about_other_child": Kind.SUBJECT,
    # who is writing
    "writer_young": Kind.WRITER,
    "writer_parent": Kind.WRITER,
    "writer_carer": Kind.WRITER,
    "writer_professional": Kind.WRITER,
    "writer_business": Kind.WRITER,
    # ages (the pattern captures ``age``, or ``school_year`` for "in year 9")
    "writer_age": Kind.AGE,
    "child_age": Kind.AGE,
    "other_age": Kind.AGE,
    # modifiers
    "figurative": Kind.MODIFIER,
    "fiction": Kind.MODIFIER,
    # "yn y ffilm", "ar roblox": a film, book or game mentioned, not said to be what it was
    "mentions_fiction": Kind.MODIFIER,
    "hypothetical": Kind.MODIFIER,
    "just_asking": Kind.MODIFIER,
    "general_question": Kind.MODIFIER,  # a Welsh question word opening the message ("beth ydy…")
    "safe_now": Kind.MODIFIER,
    "past": Kind.MODIFIER,
    "past_of_someone": Kind.MODIFIER,  # "the man who gave me money last week": who, not when
    "same_age": Kind.MODIFIER,
    "told_at": Kind.MODIFIER,
    "mishap": Kind.MODIFIER,
    "house_rule": Kind.MODIFIER,  # "not till I've done my homework", a brother blocking the door
    "known_visitor": Kind.MODIFIER,
    "innocent_images": Kind.MODIFIER,
    "affectionate_kiss": Kind.MODIFIER,  # "kissed me goodnight", "a kiss on the cheek"
    "writer_waiting": Kind.MODIFIER,  # "dwi'n aros yn y car tu allan": the writer is outside
    "reassured": Kind.MODIFIER,
    "false_alarm": Kind.MODIFIER,  # "false alarm", "sori am y panic": the person's own mistake
    "not_now": Kind.MODIFIER,
    "habitual": Kind.MODIFIER,
    "said_now": Kind.MODIFIER,  # the person said "right now" in so many words
    "home_alone": Kind.MODIFIER,  # "she is home alone": not "she is home" (safe)
    "narrative_now": Kind.MODIFIER,  # "a rŵan mae o'n deud...": what came next, not this moment
    "asks_for_self": Kind.MODIFIER,  # a question that is the asker's own ("is it normal to want…")
    "confirms_self": Kind.MODIFIER,
    "family_care": Kind.MODIFIER,
    "hearsay": Kind.MODIFIER,
    "reported_speech": Kind.MODIFIER,  # "a pupil told me 'he touches me'": the child's words
    "medicine_named": Kind.CONTEXT,  # "paracetamol", "tabledi": which medicine, said on its own
    "took_many": Kind.CONTEXT,  # "i already took like 16": how many the writer took, not of what
}


# Only what happens can be negated ("he never touched me"); how a message is framed cannot.
NEGATABLE = frozenset({Kind.HARM, Kind.RISK, Kind.URGENCY, Kind.SELF_HARM})
# modifiers a negation undoes too: "nobody here is my age"
NEGATABLE_MODIFIERS = frozenset({"same_age", "said_now"})
# Modifiers that explain an alarm away ("it was the postman", "in the game", "till I've done my
# homework", "false alarm", "my baby photos"), not merely dilute it: a later message saying so
# takes an escalation back.
EXPLAINING = frozenset(
    {
        "known_visitor",
        "figurative",
        "family_care",
        "mishap",
        "house_rule",
        "reassured",
        "false_alarm",
        "fiction",
        "mentions_fiction",
        "innocent_images",
    }
)
# A film, book, play or game told or mentioned: it explains a follow-up's alarm, but not the
# message it is in ("I met him on Roblox" is where harm starts).
STORIES = frozenset({"fiction", "mentions_fiction"})
# The explanations that say who someone is (family, a known visitor), not what happened.
SAID_WHO = frozenset({"known_visitor", "family_care"})
# What a Welsh reading can see and the reading as written cannot, so that the reading as written
# does not override it: an explanation, or the writer being the one outside ("dwi'n aros yn y car
# tu allan"), which drops only the words "tu allan" and leaves the rest to be judged.
READ_AWAY_IN_WELSH = EXPLAINING | {"writer_waiting"}


def kind_of(indicator: str) -> Kind:
    """Return the kind of an indicator (``KeyError`` for an unknown name)."""
    return INDICATORS[indicator]


def of_kind(indicators: set[str] | frozenset[str], kind: Kind) -> set[str]:
    """Return the indicators of one kind among ``indicators``."""
    return {name for name in indicators if INDICATORS.get(name) is kind}
