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
    ],
)
def test_harm_and_now_told_in_plain_welsh_facts(text, indicator):
    assert indicator in indicators(text)
