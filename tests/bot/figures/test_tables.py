"""Figure tables: counted from anonymous events, over a period and the one before."""

from __future__ import annotations

from datetime import date

import pytest

from bot.figures.events import Category, FigureEvent, Measure, category
from bot.figures.periods import Period, buckets, chosen_period, presets
from bot.figures.report import as_csv, as_html
from bot.figures.suppression import FEWER_THAN_5, NOT_SHOWN
from bot.figures.tables import figure_tables, format_duration, wait_rows

NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 30))


def events(measure: Measure, n: int, day: date = date(2026, 11, 10), **values) -> list:
    return [FigureEvent(measure, day, **values) for _ in range(n)]


def table(figures, key):
    return next(t for t in figures.tables if t.key == key)


def shown(t) -> dict[str, tuple[str, str, str]]:
    rows = [*t.rows, *([t.total] if t.total else [])]
    return {r.label: (r.now.text, r.before.text if r.before else "", r.change) for r in rows}


def test_conversations_by_channel_with_the_previous_period_and_the_change():
    now = events(Measure.CONVERSATION, 12, channel="webchat")
    now += events(Measure.CONVERSATION, 6, channel="sms")
    before = events(Measure.CONVERSATION, 9, date(2026, 10, 20), channel="webchat")
    before += events(Measure.CONVERSATION, 2, date(2026, 10, 20), channel="sms")
    figures = figure_tables(NOVEMBER, now, before, {})
    assert figures.previous == Period(date(2026, 10, 2), date(2026, 10, 31))
    assert shown(table(figures, "conversations_channel")) == {
        "Web chat": ("12", NOT_SHOWN, NOT_SHOWN),
        "Text message (SMS)": ("6", FEWER_THAN_5, NOT_SHOWN),
        "Other (REST API)": ("0", "0", "no change"),
        "Total": ("18", "11", "+7"),
    }


def test_a_language_or_audience_is_counted_once_at_its_latest_value():
    now = events(Measure.CONVERSATION_AUDIENCE, 12, audience="unknown")
    # five conversations said later who they were: taken from "not said", added to theirs
    now += events(Measure.CONVERSATION_AUDIENCE, 5, audience="unknown", weight=-1)
    now += events(Measure.CONVERSATION_AUDIENCE, 5, audience="parent")
    figures = figure_tables(NOVEMBER, now, [], {})
    audience = shown(table(figures, "conversations_audience"))
    assert audience["Not said"][0] == "7"
    assert audience["Parent or carer"][0] == "5"
    assert audience["Total"][0] == "12"


def test_topics_and_services_are_labelled_and_services_named_from_the_catalogue():
    now = events(Measure.TOPIC, 7, item="ask_what_is_cse")
    now += events(Measure.HELP_LISTING, 5) + events(Measure.SERVICE_SHOWN, 5, item="childline")
    figures = figure_tables(NOVEMBER, now, [], {"childline": "Childline"})
    assert shown(table(figures, "topics"))["What is cse"][0] == "7"
    services = shown(table(figures, "services"))
    assert services["Lists of services shown"][0] == "5"
    assert services["Childline"][0] == "5"


def test_escalations_by_priority_category_and_outcome():
    now = events(Measure.ESCALATION, 6, priority=1, item="online", staffed="no")
    now += events(Measure.ESCALATION, 5, priority=2, item="offline", staffed="yes")
    now += events(Measure.ESCALATION_CLOSED, 5, priority=1, outcome="false_alarm", seconds=600)
    figures = figure_tables(NOVEMBER, now, [], {})
    priority = shown(table(figures, "escalations_priority"))
    assert priority["Priority 1 (danger now)"][0] == "6"
    assert priority["Priority 2"][0] == "5"
    assert priority["Total"][0] == "11"
    assert shown(table(figures, "escalations_category"))["Online exploitation"][0] == "6"
    assert shown(table(figures, "escalations_staffed"))["Out of hours"][0] == "6"
    closed = shown(table(figures, "escalations_outcome"))
    assert closed["Not a safeguarding concern (false alarm)"][0] == "5"


def test_waiting_times_are_shown_only_for_5_escalations_or_more():
    claims = [
        FigureEvent(Measure.ESCALATION_CLAIMED, date(2026, 11, 3), priority=1, seconds=s)
        for s in (30, 60, 90, 120, 600)
    ]
    claims += [FigureEvent(Measure.ESCALATION_CLAIMED, date(2026, 11, 3), priority=2, seconds=9)]
    first, second, third = wait_rows(claims, Measure.ESCALATION_CLAIMED)
    assert (first.count.text, first.median, first.slowest_tenth) == ("5", "1 min", "10 min")
    assert (second.count.text, second.median) == (FEWER_THAN_5, "not shown")
    assert (third.count.text, third.median) == ("0", "not shown")


@pytest.mark.parametrize(
    ("seconds", "said"),
    [
        (4, "4 s"),
        (59.6, "1 min"),
        (125, "2 min"),
        (3600, "1 h"),
        (3 * 3600 + 300, "3 h 5 min"),
        (50 * 3600, "2 days 2 h"),
    ],
)
def test_durations_read_as_people_say_them(seconds, said):
    assert format_duration(seconds) == said


def test_conversations_over_time_by_day_then_week_then_month():
    assert len(buckets(NOVEMBER)) == 30
    quarter = buckets(Period(date(2026, 10, 1), date(2026, 12, 31)))
    assert quarter[0][2] == "Week of 1 Oct 2026" and quarter[-1][1] == date(2026, 12, 31)
    year = buckets(Period(date(2026, 4, 1), date(2027, 3, 31)))
    assert [label for _, _, label in year][:2] == ["April 2026", "May 2026"] and len(year) == 12
    over_time = table(
        figure_tables(NOVEMBER, events(Measure.CONVERSATION, 6), [], {}), "conversations_over_time"
    )
    assert over_time.rows[9].now.text == "6" and over_time.total.now.text == "6"


def test_a_period_is_chosen_or_refused_with_a_reason():
    today = date(2026, 12, 2)
    assert chosen_period(None, None, today) == (Period(date(2026, 11, 3), today), "")
    assert chosen_period("2026-11-01", "2026-11-30", today) == (NOVEMBER, "")
    for first, last in (("2026-11-30", "2026-11-01"), ("yesterday", "2026-11-01"), ("", "x")):
        period, problem = chosen_period(first, last, today)
        assert problem and period == Period(date(2026, 11, 3), today)
    assert chosen_period("2020-01-01", "2026-11-01", today)[1]
    labels = {label: (first, last) for label, first, last in presets(today)}
    assert labels["Last month"] == (date(2026, 11, 1), date(2026, 11, 30))
    assert labels["Last quarter"] == (date(2026, 7, 1), date(2026, 9, 30))
    assert labels["This financial year so far"] == (date(2026, 4, 1), today)


def test_categories_follow_route_then_indicators():
    assert category("self_harm", ["met_online"]) is Category.SELF_HARM
    assert category("disclosure", ["met_online", "criminal_exploitation"]) is Category.COUNTY_LINES
    assert category("danger", ["missing_now"]) is Category.MISSING
    assert category("disclosure", ["sextortion"]) is Category.ONLINE
    assert category("disclosure", ["sexual_abuse"]) is Category.OFFLINE


def test_the_report_and_csv_show_only_what_the_page_shows():
    now = events(Measure.CONVERSATION, 3, channel="sms") + events(Measure.QUICK_EXIT, 2)
    figures = figure_tables(NOVEMBER, now, [], {})
    csv = as_csv(figures)
    html = as_html(figures, date(2026, 12, 2), inline_css=True)
    for text in (csv, html):
        assert FEWER_THAN_5 in text
        assert "Left by quick exit" in text
    assert ",3," not in csv and ">3<" not in html  # the small count itself appears nowhere
    assert "<script" not in html and "<svg" in html


def test_staffed_hours_follow_the_profiles_duty_service_and_never_raise(monkeypatch):
    from datetime import datetime, timezone

    from bot.figures import events as figure_events

    tuesday_noon = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)
    tuesday_night = datetime(2026, 12, 1, 23, 0, tzinfo=timezone.utc)
    christmas_noon = datetime(2026, 12, 25, 12, 0, tzinfo=timezone.utc)
    figure_events._staffing.cache_clear()
    assert figure_events.staffed_at(tuesday_noon) == "yes"
    assert figure_events.staffed_at(tuesday_night) == "no"
    assert figure_events.staffed_at(christmas_noon) == "no"  # a bank holiday, MASH closed
    monkeypatch.setenv("BOT_LOCAL_PROFILE", "no-such-council")
    figure_events._staffing.cache_clear()
    assert figure_events.staffed_at(tuesday_noon) == "unknown"
    monkeypatch.undo()
    figure_events._staffing.cache_clear()
