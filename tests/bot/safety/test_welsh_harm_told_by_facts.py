"""Welsh harm and its urgency told by facts, without the words for abuse or danger.

Read as the safety net reads Welsh (``tests.bot.safety.test_welsh_patterns.indicators``).
"""

import pytest

from tests.bot.safety.test_welsh_patterns import indicators


@pytest.mark.parametrize(
    "text, indicator",
    [
        ("nhw di rhoi fi yng nghefn car", "now"),
        ("dim syniad lle da ni'n mynd", "lost_now"),
        ("ma nhw'n ffilmio fi", "image_request"),
        (
            "ma'r hogia hŷn yn neud ni gadw cyllyll a drygs yn bagia ysgol ni",
            "criminal_exploitation",
        ),
        ("mae o wastad yn deud 'paid deud wrth neb, ti'n sbesial' wedyn", "sexual_talk"),
        ("mae'r car arian sy'n ei godi fo tu allan i'r siop", "picked_up"),
        ("fe ddywedodd ei fod yn gorfod cwrdd â boi o Lundain", "meet_up"),
        ("ma boi o tiktok yn yrru presantau i fi", "adult_mention"),
    ],
)
def test_harm_and_now_told_in_plain_welsh_facts(text, indicator):
    assert indicator in indicators(text)
