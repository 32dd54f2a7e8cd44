"""Welsh words read in their radical form, whatever mutation they came in."""

from bot.safety.welsh import dictionary_headwords, known_welsh_words, radical_form, read_as_radicals

KNOWN = frozenset({"treisio", "lladd", "tad", "cyllell", "brifo", "mam", "bam", "ofn", "gwaith"})


def test_soft_nasal_and_aspirate_mutations_are_undone():
    for mutated in ("dreisio", "nhreisio", "threisio"):
        assert radical_form(mutated, KNOWN) == "treisio"
    assert radical_form("ladd", KNOWN) == "lladd"
    assert radical_form("nhad", KNOWN) == "tad"
    assert radical_form("nghyllell", KNOWN) == "cyllell"
    assert radical_form("mrifo", KNOWN) == "brifo"
    assert radical_form("hofn", KNOWN) == "ofn"  # h- before a vowel
    assert radical_form("waith", KNOWN) == "gwaith"  # soft mutation drops g


def test_known_words_loanwords_and_ambiguous_forms_are_left_alone():
    assert radical_form("lladd", KNOWN) == "lladd"
    assert radical_form("creepy", KNOWN) == "creepy"
    assert radical_form("fam", KNOWN) == "fam"  # mam or bam: cannot tell, so unchanged


def test_a_message_is_read_word_by_word():
    assert read_as_radicals("mae o am fy nhreisio", KNOWN) == "mae o am fy treisio"


def test_the_welsh_dictionary_is_installed_and_training_words_join_it():
    headwords = dictionary_headwords()
    assert len(headwords) > 10_000 and "treisio" in headwords
    assert "sendio" in known_welsh_words(["nath o sendio pics"])
