"""Welsh harm and its urgency told by facts, without the words for abuse or danger.

Read as the safety net reads Welsh (``tests.bot.safety.test_welsh_patterns.indicators``).
"""

import pytest

from bot.safety.assessment import assess
from bot.safety.evidence import Turn
from bot.safety.signals import read_signals
from tests.bot.safety.test_welsh_patterns import PATTERNS, indicators, welsh


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
        ("dere mas nawr neu ti'n gwbod beth sy'n digwydd", "threat"),
        ("os dwi'n deud wrth rywun fydd o'n llosgi ty ni", "threat"),
        ("cloi fi yn y bathrwm, ffon yn gweithio", "held"),
        ("nath o roi rwbath yn diod fi", "spiked"),
        ("neu bydd e'n rhoi'r rhai erill ar snap", "sextortion"),
        ("fydd o'n postio'r fideo am 9", "imminent"),
        ("fi di meddwi gormod a sdim ffordd adre", "lost_now"),
        ("ma dau ddyn yn trial neud i fi neud pethe fi ddim moyn", "sexual_abuse"),
        ("hogyn tua 13 ar y bws, dyn yn ei ddilyn o", "stalked_now"),
        ("dwi'n mynd i weld cariad fi heno", "meet_up"),
        ("dwi'n mynd i weld cariad fi heno", "relationship"),
        ("mae dyn newydd archebu ystafell gyda merch sy'n edrych tua 13", "place_to_stay"),
        ("fi'n mynd a parseli i dai pobl yn Abertawe ar ôl ysgol", "criminal_exploitation"),
        ("nes i gwrdd â fo ar snap", "met_online"),
        ("ddim yn saff rwan", "unsafe_now"),
        ("deud bod gen i awr i yrru mwy neu ma nhw'n gyrru nhw at mam", "sextortion"),
        ("deud bod gen i awr i yrru mwy", "imminent"),
        ("ma boi 19 yn talu fi ar paypal am lunia", "sexual_exploitation"),
        ("mae car tu allan gyda dau ddyn sy wedi bod yn ei chodi hi o'r blaen", "said_now"),
    ],
)
def test_harm_and_now_told_in_plain_welsh_facts(text, indicator):
    assert indicator in indicators(text)


@pytest.mark.parametrize(
    "text",
    [
        "mam yn deud bo fi ddim yn cael mynd allan heno, mae hi mor annheg",
        "ci ni di rhedeg i ffwrdd eto, ma fe'n cuddio dan y gwely nawr",
        "ma dyn yn y ty gyda cyllell sori, gweud beth sy'n digwydd yn y ffilm o'n i",
        "dwi isio marw 💀 nes i ddisgyn o flaen yr ysgol gyfan yn y gwasanaeth",
        "dw i wedi blino ar bopeth",
        "ges i row gan athro am fod ar fy ffon, mor embarrassing, o'n i jest isio marw",
        "yn y car efo taid, ma'n mynd a fi i gaergybi i ddal y ferry",
        "mae na rywun yn cnocio ar y drws a dwi adra ar ben fy hun o na, nain sy na",
        "ma na ddyn yn fy nilyn i adra o waw na dad di o lol",
        "ma rhywun yn fy nilyn i adre bob dydd, ci bach drws nesa",
        "wi'n styc, ffili mynd mas o'r lle ma, escape room am ben-blwydd Cerys",
        "ma na ddyn yn dilyn hogan adra ac yn ei chloi hi mewn seler, plot y ffilm",
        "dyn yn aros tu fas i'r ysgol, mam di gweud bydde fe'n casglu fi heddi",
    ],
)
def test_a_house_rule_or_a_runaway_pet_in_welsh_is_not_danger(text):
    normalised = welsh(text)
    signals = read_signals(normalised, PATTERNS.matches(normalised), {}, "cy")
    assert not assess([Turn(signals)]).escalates, signals.indicators


def test_a_cover_story_is_not_a_known_visitor():
    # "tell the teachers he's my brother": a man of 25 waiting at the school gate
    text = "boi 25 yn aros wrth giat ysgol i fi. deud wrtha i am ddeud mai fy mrawd i ydi o"
    reading = welsh(text)
    signals = read_signals(reading, PATTERNS.matches(reading), {}, "cy", len(text.split()))
    assert "known_visitor" not in signals.indicators
    assert {"present_threat", "secrecy"} <= set(signals.indicators)
