from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.services import OpenStatus, contacts_for_channel, help_listing, open_status

UK = ZoneInfo("Europe/London")


def service(catalogue, service_id):
    every = [
        *catalogue.national_services,
        *(s for p in catalogue.profiles.values() for s in p.services),
    ]
    return next(s for s in every if s.id == service_id)


@pytest.fixture(scope="module")
def holidays(catalogue):
    return catalogue.profile("wiltshire").bank_holidays


@pytest.mark.parametrize(
    "when, expected",
    [
        (datetime(2026, 11, 23, 7, 59, tzinfo=UK), OpenStatus.CLOSED),  # Monday before 8am
        (datetime(2026, 11, 23, 8, 0, tzinfo=UK), OpenStatus.OPEN),
        (datetime(2026, 11, 23, 21, 59, tzinfo=UK), OpenStatus.OPEN),
        (datetime(2026, 11, 23, 22, 0, tzinfo=UK), OpenStatus.CLOSED),
        (datetime(2026, 11, 21, 9, 30, tzinfo=UK), OpenStatus.OPEN),  # Saturday
        (datetime(2026, 11, 21, 18, 0, tzinfo=UK), OpenStatus.CLOSED),
    ],
)
def test_nspcc_weekday_and_weekend_hours(catalogue, holidays, when, expected):
    assert open_status(service(catalogue, "nspcc-helpline"), when, holidays) is expected


def test_hours_are_judged_in_uk_time_in_summer(catalogue, holidays):
    nspcc = service(catalogue, "nspcc-helpline")
    # 07:30 UTC on a July Monday is 08:30 BST: open
    assert (
        open_status(nspcc, datetime(2026, 7, 6, 7, 30, tzinfo=timezone.utc), holidays)
        is OpenStatus.OPEN
    )
    # 21:30 UTC is 22:30 BST: closed
    assert (
        open_status(nspcc, datetime(2026, 7, 6, 21, 30, tzinfo=timezone.utc), holidays)
        is OpenStatus.CLOSED
    )


def test_the_mash_is_closed_on_a_bank_holiday_and_the_duty_team_covers_it(catalogue, holidays):
    mash = service(catalogue, "wiltshire-mash")
    duty = service(catalogue, "wiltshire-out-of-hours")
    boxing_day_substitute = datetime(2026, 12, 28, 11, 0, tzinfo=UK)  # a Monday bank holiday
    ordinary_monday = datetime(2026, 11, 23, 11, 0, tzinfo=UK)
    assert open_status(mash, ordinary_monday, holidays) is OpenStatus.OPEN
    assert open_status(duty, ordinary_monday, holidays) is OpenStatus.CLOSED
    assert open_status(mash, boxing_day_substitute, holidays) is OpenStatus.CLOSED
    assert open_status(duty, boxing_day_substitute, holidays) is OpenStatus.OPEN
    # the night after the bank holiday is still covered until 9am
    assert open_status(duty, datetime(2026, 12, 29, 3, 0, tzinfo=UK), holidays) is OpenStatus.OPEN
    assert (
        open_status(duty, datetime(2026, 12, 29, 10, 0, tzinfo=UK), holidays) is OpenStatus.CLOSED
    )


def test_overnight_hours_run_past_midnight(catalogue, holidays):
    duty = service(catalogue, "wiltshire-out-of-hours")
    assert (
        open_status(duty, datetime(2026, 11, 24, 2, 0, tzinfo=UK), holidays) is OpenStatus.OPEN
    )  # Tue
    assert (
        open_status(duty, datetime(2026, 11, 23, 3, 0, tzinfo=UK), holidays) is OpenStatus.OPEN
    )  # Mon
    assert (
        open_status(duty, datetime(2026, 11, 24, 12, 0, tzinfo=UK), holidays) is OpenStatus.CLOSED
    )


def test_meic_closes_at_midnight(catalogue, holidays):
    meic = service(catalogue, "meic")
    assert open_status(meic, datetime(2026, 11, 24, 23, 59, tzinfo=UK), holidays) is OpenStatus.OPEN
    assert (
        open_status(meic, datetime(2026, 11, 25, 0, 30, tzinfo=UK), holidays) is OpenStatus.CLOSED
    )


def test_listing_puts_999_first_then_open_services_before_closed(catalogue):
    profile = catalogue.profile("wiltshire")
    services = catalogue.services_for_profile(profile)
    sunday_night = datetime(2026, 11, 22, 23, 0, tzinfo=UK)
    listing = help_listing(services, "parent", sunday_night, profile.bank_holidays)
    ids = [entry.service.id for entry in listing]
    closed = [entry.status is OpenStatus.CLOSED for entry in listing]
    assert ids[0] == "police-emergency"
    assert any(closed) and closed == sorted(closed)
    assert ids.index("wiltshire-out-of-hours") < ids.index("wiltshire-mash")


def test_the_need_comes_first_then_services_named_for_the_audience(catalogue):
    profile = catalogue.profile("wiltshire")
    services = catalogue.services_for_profile(profile)
    monday = datetime(2026, 11, 23, 11, 0, tzinfo=UK)

    def first(audience, need=None, count=3):
        listing = help_listing(services, audience, monday, profile.bank_holidays, need=need)
        return [entry.service.id for entry in listing[1 : 1 + count]]

    # a parent's usual need is advice as an adult worried about a child
    assert "nspcc-helpline" in first("parent")
    # a business reports: the police and the council, never young people's lines first
    business = first("business")
    assert "police-non-emergency" in business and not {"childline", "shout"} & set(business)
    # after the online blackmail steps, image removal comes first for a young person
    assert first("young_person", need="image_removal", count=2) == ["childline", "ceop"]
    # self-harm: lines that answer it, open now
    assert set(first("young_person", need="self_harm", count=2)) <= {
        "childline",
        "shout",
        "samaritans",
    }


def test_audiences_get_their_own_services(catalogue):
    profile = catalogue.profile("wiltshire")
    services = catalogue.services_for_profile(profile)
    when = datetime(2026, 11, 23, 11, 0, tzinfo=UK)
    young = {
        e.service.id for e in help_listing(services, "young_person", when, profile.bank_holidays)
    }
    parent = {e.service.id for e in help_listing(services, "parent", when, profile.bank_holidays)}
    professional = {
        e.service.id for e in help_listing(services, "professional", when, profile.bank_holidays)
    }
    assert "childline" in young and "nspcc-helpline" not in young
    assert "nspcc-helpline" in parent and "childline" not in parent
    assert "wiltshire-emerald-team" in professional
    assert "police-emergency" in young & parent & professional


def test_welsh_profile_adds_meic_and_england_does_not(catalogue):
    wales = {s.id for s in catalogue.services_for_profile(catalogue.profile("cardiff"))}
    england = {s.id for s in catalogue.services_for_profile(catalogue.profile("wiltshire"))}
    assert "meic" in wales and "cardiff-mash" in wales
    assert "meic" not in england


def test_sms_shows_calls_and_texts_not_web_links(catalogue):
    childline = service(catalogue, "childline")
    assert contacts_for_channel(childline, "sms", "en") == ["Call free on 0800 1111"]
    assert len(contacts_for_channel(childline, "web", "en")) == 2
    ceop = service(catalogue, "ceop")  # web only: still reachable by SMS readers
    assert contacts_for_channel(ceop, "sms", "en") == ["Report at ceop.police.uk"]


def test_bank_holiday_lists_cover_this_year_and_next(catalogue):
    for profile in catalogue.profiles.values():
        assert date(2026, 12, 25) in profile.bank_holidays
        assert date(2027, 12, 27) in profile.bank_holidays
