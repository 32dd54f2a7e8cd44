"""Welsh self-harm and its warning signs, told in the writer's own words, and the injuries and
threats that share their words ("torri fy ngarddwrn" is a broken wrist).

Read as the safety net reads Welsh (``tests.bot.safety.test_welsh_patterns.indicators``).
"""

import pytest

from tests.bot.safety.test_welsh_patterns import indicators


@pytest.mark.parametrize(
    "text, indicator",
    [
        ("sai moyn dihuno bore fory", "suicidal_thoughts"),
        ("ddim yn rhoi fyny, jyst di blino bod yn fyw", "suicidal_thoughts"),
        ("Jyst isio i bob dim orffen.", "suicidal_thoughts"),
        ("Sai'n gweld pwynt mewn dim byd rhagor", "suicidal_thoughts"),
        ("teimlo na ddylwn i di cael fy ngeni o gwbl", "suicidal_thoughts"),
        ("wedi ysgrifennu 'fydda i ddim yma flwyddyn nesa'", "suicidal_thoughts"),
        ("rhoi xbox fi i brawd bach heddiw. fydda i ddim angan o", "suicidal_thoughts"),
        ("Sai'n meddwl bydda i'n dod nôl i'w nôl e", "suicidal_thoughts"),
        ("cwpwl o bils ar ol gan nain, dwi di cadw nhw", "suicidal_thoughts"),
        ("tua 40 o dabledi wedi'u cuddio mewn hosan", "suicidal_thoughts"),
        ("Dwi di sgwennu be dwi isio yn angladd fi", "suicidal_thoughts"),
        ("yn dweud nad oes ganddi hi ddyfodol", "suicidal_thoughts"),
        ("hanes chwilio yn llawn 'sut i glymu cwlwm'", "suicidal_thoughts"),
        ("'fydd dim ots gan neb pan fydda i wedi mynd'", "suicidal_thoughts"),
        ("gweud taw dyma'r tro ola bydde fe'n fy ngweld i", "suicidal_thoughts"),
        ("mae hi'n ffarwelio â'i ffrindiau i gyd", "suicidal"),
        ("hogyn di postio 'bye everyone' ar insta", "suicidal"),
        ("wedi deud mai heno ydi ei 'noson ola'", "suicidal"),
        ("nodyn yn ei bag ysgol yn dweud sori wrthon ni i gyd", "suicidal"),
        ("'sori am bob dim, caru ti'", "suicidal"),
        ("bo fe moyn camu o flaen y tren", "suicidal"),
        ("ma creithia ar braich fi'n dangos yn PE", "self_harm"),
        ("linellau bach syth ar gluniau un o'r bechgyn", "self_harm"),
        ("torri ar coesa fi rwan", "self_harm"),
        ("fi'n torri bob nos nawr a ma fe'n mynd yn waeth", "self_harm"),
        ("dwi di llyncu pacad cyfa o paracetamol tua hannar awr yn ol", "overdose"),
        ("sgrapio croen fi efo compass", "self_harm"),
        ("lafnau o finiwr pensil o dan y fatres", "self_harm"),
        ("llais yn deud wrthi am frifo ei hun", "self_harm"),
        ("dwi'n haeddu teimlo'n sal", "self_harm"),
        ("wedi cymryd rhywbeth ond wnaiff hi ddim dweud be. Mae hi'n gysglyd", "overdose"),
    ],
)
def test_welsh_self_harm_and_its_warning_signs_told_in_own_words(text, indicator):
    assert indicator in indicators(text)


@pytest.mark.parametrize(
    "text",
    [
        "dwi di torri fy ngarddwrn yn chwarae rygbi",  # "torri": broke, not cut
        "nath y gath grafu fy mraich i gyd",
        "Mae fy merch wedi brifo ei hun yn y gymnasteg",
        "ma'r bois di deud neith nhw dorri fy nghoesa i",
        "ffrind fi di cymryd rhywbeth nath y dynion roi iddi a dydy hi ddim yn deffro",
    ],
)
def test_welsh_injuries_and_threats_are_not_read_as_self_harm(text):
    assert not indicators(text) & {"self_harm", "overdose"}


def test_cutting_hair_every_day_is_not_self_harm():
    assert "self_harm" not in indicators("dwi'n torri gwallt bob dydd yn y salon")


def test_cutting_yourself_shaving_is_a_mishap():
    assert "mishap" in indicators("shafio coesa fi am y tro cynta a nes i dorri fy hun bach")


def test_who_would_miss_me_is_a_thought_of_suicide_and_a_laugh_after_wanting_to_die_is_not():
    assert "suicidal_thoughts" in indicators("pwy sy'n mynd i miss fi eniwe")
    assert "figurative" in indicators("nath dad ddawnsio o flaen pawb, dwi isio marw omg")
