"""Intent sets: reading, refusing unknown intents, accuracy and the misses shown for tuning."""

import pytest

from bot.nlu.intent_evaluation import (
    LabelledQuestion,
    accuracy,
    confusions,
    domain_intents,
    is_intent_set,
    read_intent_set,
)


def test_an_intent_set_is_told_from_a_safety_set_by_its_header(tmp_path):
    intents = tmp_path / "cy_intents.csv"
    intents.write_text("text,intent\nbe ydy cse,ask_what_is_cse\n", encoding="utf-8")
    routes = tmp_path / "cy_safety.csv"
    routes.write_text("text,route\nhelo,other\n", encoding="utf-8")
    conversations = tmp_path / "cy_conversations.jsonl"
    conversations.write_text('{"turns": ["helo"], "expected": "none"}\n', encoding="utf-8")
    assert is_intent_set(intents)
    assert not is_intent_set(routes)
    assert not is_intent_set(conversations)


def test_reading_a_set_refuses_an_intent_the_assistant_does_not_have(tmp_path):
    path = tmp_path / "set.csv"
    path.write_text(
        'text,intent\n"be ydy cse, plis",ask_what_is_cse\nhelo,ask_horoscope\n', encoding="utf-8"
    )
    with pytest.raises(ValueError, match="ask_horoscope"):
        read_intent_set(path, domain_intents())
    rows = read_intent_set(path)
    assert rows[0] == LabelledQuestion("be ydy cse, plis", "ask_what_is_cse")


def test_the_domain_intents_include_the_questions_and_the_language_choice():
    intents = domain_intents()
    assert {"ask_what_is_cse", "choose_welsh", "choose_english", "greet"} <= intents


def test_accuracy_counts_a_fallback_as_not_understood():
    questions = [
        LabelledQuestion("helo", "greet"),
        LabelledQuestion("be ydy cse", "ask_what_is_cse"),
        LabelledQuestion("pwy sy'n gweld hwn", "ask_privacy"),
        LabelledQuestion("diolch", "thank"),
    ]
    predicted = ["greet", "ask_what_is_cse", "nlu_fallback", "greet"]
    assert accuracy(questions, predicted) == 0.5
    lines = confusions(questions, predicted)
    assert "MISS [ask_privacy] read as nlu_fallback: pwy sy'n gweld hwn" in lines
    assert "CONFUSED 1x: thank read as greet" in lines
    assert accuracy([], []) == 1.0
