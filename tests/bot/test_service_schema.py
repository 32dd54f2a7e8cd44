from datetime import date, time
from pathlib import Path

import pytest

from bot.content.schema import ContentError
from bot.content.service_schema import parse_profile, parse_service

FILE = Path("services.yml")


def service(**overrides):
    raw = {
        "id": "helpline",
        "name": {"en": "Helpline", "cy": "Llinell gymorth"},
        "purpose": {"en": "Someone to talk to."},
        "contacts": [{"type": "phone", "value": "0800", "display": {"en": "Call 0800"}}],
        "hours": [{"days": ["mon", "fri"], "open": "09:00", "close": "24:00"}],
        "hours_text": {"en": "Weekdays."},
        "audiences": ["any"],
        "verified_on": date(2026, 1, 5),
    }
    raw.update(overrides)
    return raw


def profile(**overrides):
    raw = {
        "id": "somewhere",
        "council": {"en": "Somewhere Council"},
        "nation": "wales",
        "bank_holidays": [date(2026, 12, 25)],
        "services": [service()],
    }
    raw.update(overrides)
    return raw


def test_a_valid_service_parses_with_its_hours_and_contacts():
    parsed = parse_service(service(), FILE)
    assert parsed.name == {"en": "Helpline", "cy": "Llinell gymorth"}
    assert [c.display["en"] for c in parsed.contacts] == ["Call 0800"]
    assert parsed.hours[0].days == (0, 4)
    assert parsed.hours[0].opens == time(9, 0)
    assert parsed.hours[0].closes_minutes == 24 * 60
    assert parsed.is_verified() and not parsed.always_open and parsed.hours_known


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"phone": "0800"}, "unknown keys"),
        ({"contacts": []}, "needs contacts"),
        ({"contacts": [{"type": "fax", "value": "1", "display": {"en": "x"}}]}, "type must be"),
        ({"hours": []}, "hours: always, unknown or a list"),
        ({"hours": [{"days": ["monday"], "open": "09:00", "close": "17:00"}]}, "bad days"),
        ({"hours": [{"days": ["mon"], "open": "9am", "close": "17:00"}]}, "use HH:MM"),
        ({"hours": [{"days": ["mon"], "open": "25:00", "close": "17:00"}]}, "not a time"),
        ({"name": {"cy": "Llinell"}}, "needs an 'en' text"),
        ({"hours": [{"days": ["mon"], "open": "09:00", "close": "24:30"}]}, "after 24:00"),
        ({"name": {"en": "Helpline", "fr": "Ligne"}}, "unknown language"),
        ({"audiences": ["teachers"]}, "audiences must list"),
        ({"needs": ["shopping"]}, "needs: some of"),
        ({"verified_on": "last week"}, "verified_on"),
    ],
)
def test_a_malformed_service_is_refused_naming_the_file_and_service(overrides, message):
    with pytest.raises(ContentError, match=message) as refused:
        parse_service(service(**overrides), FILE)
    assert "services.yml:helpline" in str(refused.value)


def test_always_and_unknown_hours_need_no_list():
    assert parse_service(service(hours="always"), FILE).always_open
    assert not parse_service(service(hours="unknown"), FILE).hours_known


def test_a_profile_parses_its_services_and_settings():
    parsed = parse_profile(profile(welsh_first=True, staffed_by="helpline"), FILE)
    assert parsed.nation == "wales" and parsed.welsh_first and parsed.staffed_by == "helpline"
    assert [s.id for s in parsed.services] == ["helpline"]


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"nation": "scotland"}, "nation must be"),
        ({"services": []}, "needs services"),
        ({"staffed_by": "nobody"}, "staffed_by must name"),
        ({"welsh_first": "yes"}, "welsh_first"),
        ({"bank_holidays": ["25 December"]}, "bank_holidays must be"),
        ({"mayor": "x"}, "unknown keys"),
    ],
)
def test_a_malformed_profile_is_refused(overrides, message):
    with pytest.raises(ContentError, match=message):
        parse_profile(profile(**overrides), FILE)
