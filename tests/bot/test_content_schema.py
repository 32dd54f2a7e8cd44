from pathlib import Path

import pytest
import yaml

from bot.content.catalogue import load_catalogue
from bot.content.review_keys import review_keys
from bot.content.schema import AUDIENCES, ContentError, parse_item

FILE = Path("test.yml")


def item(**overrides):
    raw = {
        "id": "utter_x",
        "sources": [],
        "variants": [{"audience": "any", "language": "en", "web": "Hello.", "sms": "Hi."}],
    }
    raw.update(overrides)
    return raw


def test_a_valid_item_parses():
    parsed = parse_item(item(), FILE)
    assert parsed.variant_for("en", None).web == "Hello."
    assert parsed.is_response


@pytest.mark.parametrize(
    "variants, message",
    [
        ([{"audience": "parent", "language": "en", "web": "a", "sms": "b"}], "'any' variant"),
        ([{"audience": "any", "language": "fr", "web": "a", "sms": "b"}], "language"),
        ([{"audience": "any", "language": "en", "web": "", "sms": "b"}], "non-empty"),
        ([{"audience": "teacher", "language": "en", "web": "a", "sms": "b"}], "unknown audience"),
        (
            [
                {"audience": "any", "language": "en", "web": "a", "sms": "b"},
                {"audience": ["parent", "parent"], "language": "en", "web": "a", "sms": "b"},
            ],
            "twice",
        ),
    ],
)
def test_malformed_items_are_rejected_with_a_reason(variants, message):
    with pytest.raises(ContentError, match=message):
        parse_item(item(variants=variants), FILE)


def test_welsh_is_admitted_alongside_english():
    variants = [
        {"audience": "any", "language": "en", "web": "Hello.", "sms": "Hi."},
        {"audience": "any", "language": "cy", "web": "Helo.", "sms": "Helo."},
    ]
    parsed = parse_item(item(variants=variants), FILE)
    assert parsed.variant_for("cy", "parent").web == "Helo."
    assert parsed.variant_for("en", "parent").web == "Hello."


def test_an_edit_changes_the_fingerprint_of_its_language_only():
    variants = [
        {"audience": "any", "language": "en", "web": "Hello.", "sms": "Hi."},
        {"audience": "any", "language": "cy", "web": "Helo.", "sms": "Helo."},
    ]
    before = review_keys(parse_item(item(variants=variants), FILE))
    assert set(before) == {"utter_x", "utter_x@cy"}
    variants[1]["web"] = "Shwmae."
    after = review_keys(parse_item(item(variants=variants), FILE))
    changed = {key for key in before if before[key] != after[key]}
    assert len(changed) == 1 and next(iter(changed)).endswith("@cy")
    with_source = review_keys(parse_item(item(variants=variants, sources=["x"]), FILE))
    assert all(with_source[key] != after[key] for key in after)


def test_unknown_source_is_rejected(content_copy):
    path = content_copy / "responses" / "conversation.yml"
    data = yaml.safe_load(path.read_text())
    data["items"][0]["sources"] = ["no-such-source"]
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(ContentError, match="unknown sources"):
        load_catalogue(content_copy)


def test_the_shipped_content_loads_with_every_audience_resolvable(catalogue):
    assert len(catalogue.items) > 40
    for content_item in catalogue.items.values():
        for audience in (None, *AUDIENCES):
            variant = content_item.variant_for("en", audience)
            assert variant.web and variant.sms


def test_both_sample_profiles_ship_and_are_marked_as_samples(catalogue):
    assert {"wiltshire", "cardiff"} <= set(catalogue.profiles)
    for profile in catalogue.profiles.values():
        assert profile.sample
        sample_services = [s for s in profile.services if s.sample]
        assert sample_services, profile.id
        assert all(not s.is_verified() for s in sample_services)
        for service in sample_services:
            # Ofcom's drama range never reaches a real person
            assert all(
                c.value.startswith("01632960") for c in service.contacts if c.type == "phone"
            )
