import re

import yaml

from bot.content.catalogue import load_catalogue
from bot.content.checks import (
    check_content,
    format_report,
    opening_claim_problems,
    readability_grade,
    unexplained_jargon,
)


def errors(findings):
    return [f for f in findings if f.level == "error"]


def edit_item(content_dir, item_id, **changes):
    for path in (content_dir / "responses").glob("*.yml"):
        data = yaml.safe_load(path.read_text())
        for item in data["items"]:
            if item["id"] == item_id:
                item["variants"][0].update(changes)
                path.write_text(yaml.safe_dump(data, sort_keys=False))
                return
    raise AssertionError(item_id)


def test_shipped_content_has_no_errors_and_reports_figures(catalogue):
    findings, figures = check_content(catalogue)
    assert errors(findings) == []
    assert "en/any sms" in figures["utter_greet"]
    assert figures["utter_greet"]["en/any grade"] <= 8
    report = format_report(findings, figures)
    assert "0 errors" in report
    # everything is honestly unreviewed and unverified until a safeguarding reviewer signs it off
    assert any(f.subject == "utter_greet" and "not reviewed" in f.message for f in findings)
    assert any(f.subject == "service:childline" and "never verified" in f.message for f in findings)


def test_long_sms_is_an_error(content_copy):
    edit_item(content_copy, "utter_goodbye", sms="Bye. " * 100)
    findings, _ = check_content(load_catalogue(content_copy))
    assert any(f.subject == "utter_goodbye" and "segments" in f.message for f in errors(findings))


def test_hard_words_for_a_young_person_are_an_error(content_copy):
    hard = (
        "Notwithstanding organisational considerations, multidisciplinary safeguarding "
        "arrangements necessitate comprehensive interagency collaboration."
    )
    edit_item(content_copy, "utter_goodbye", web=hard)
    findings, _ = check_content(load_catalogue(content_copy))
    assert any(
        f.subject == "utter_goodbye" and "reading grade" in f.message for f in errors(findings)
    )


def test_unused_and_missing_content_are_errors(content_copy):
    path = content_copy / "responses" / "conversation.yml"
    data = yaml.safe_load(path.read_text())
    data["items"] = [i for i in data["items"] if i["id"] != "utter_goodbye"]
    extra = {
        "id": "utter_never_used",
        "sources": [],
        "variants": [{"audience": "any", "language": "en", "web": "Hello.", "sms": "Hello."}],
    }
    data["items"].append(extra)
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    findings, _ = check_content(load_catalogue(content_copy))
    subjects = {(f.subject, f.message) for f in errors(findings)}
    assert ("utter_goodbye", "used by the dialogue or actions but not in content/") in subjects
    assert ("utter_never_used", "in content/ but never used") in subjects


def test_quick_reply_to_unknown_intent_is_an_error(content_copy):
    edit_item(content_copy, "utter_goodbye", buttons=[{"title": "Go", "intent": "no_such_intent"}])
    findings, _ = check_content(load_catalogue(content_copy))
    assert any("unknown intent" in f.message for f in errors(findings))


def test_readability_reads_list_lines_as_sentences():
    listed = (
        "In a healthy relationship:\n- you feel safe\n"
        "- you make your own choices\n- no one pushes you"
    )
    assert readability_grade(listed) < 6


def test_claiming_every_listed_service_is_always_open_is_an_error(content_copy):
    """SafeCall is not open all the time, so "they are all open all day and night" is wrong."""
    edit_item(
        content_copy,
        "utter_goodbye",
        web="Call Childline on 0800 1111.\nCall or text SafeCall on 116 000.\n"
        "They are all free and open all day and night.",
    )
    findings, _ = check_content(load_catalogue(content_copy))
    problems = [f.message for f in errors(findings) if f.subject == "utter_goodbye"]
    assert any("SafeCall" in p and "all day and night" in p for p in problems), problems
    assert not any("Childline" in p for p in problems), problems


def test_a_bare_any_time_covers_the_services_of_the_sentence_before(catalogue):
    services = [*catalogue.national_services]
    late = "Help now: Childline 0800 1111, SafeCall 116 000. Free, any time."
    assert any("SafeCall" in p for p in opening_claim_problems(late, services))
    assert opening_claim_problems("Childline: 0800 1111, free, any time.", services) == []
    honest = "SafeCall: call or text 116 000, free. It is not open all the time."
    assert opening_claim_problems(honest, services) == []


def test_the_first_texts_a_new_number_gets_do_not_name_the_subject(catalogue):
    """A locked phone can show the start of a text to whoever holds it."""
    for item_id in ("utter_greet", "utter_sms_help"):
        for audience in (None, "young_person", "parent"):
            text = catalogue.text(item_id, "en", audience, "sms")
            assert not re.search(r"exploit|abuse|sexual|\bCSE\b|groom", text, re.I), (item_id, text)


def test_jargon_in_a_young_persons_text_must_be_explained(content_copy):
    edit_item(content_copy, "utter_goodbye", web="Bye. Your MASH will call about county lines.")
    findings, _ = check_content(load_catalogue(content_copy))
    problems = [f.message for f in errors(findings) if f.subject == "utter_goodbye"]
    assert any("'MASH'" in p for p in problems) and any("'county lines'" in p for p in problems)
    assert unexplained_jargon("The council's safeguarding team (the MASH) will call.") == []
