import itertools

from bot.storage.references import ALPHABET, check_character, new_reference, parse_reference


def test_references_use_no_look_alikes_and_carry_a_valid_check():
    for _ in range(200):
        reference = new_reference()
        assert len(reference) == 9 and reference[4] == "-"
        assert not set(reference.replace("-", "")) & set("01OIL")
        assert parse_reference(reference) == reference


def test_references_are_random_not_sequential():
    assert len({new_reference() for _ in range(500)}) == 500


def test_every_single_character_error_is_caught():
    code = "K7MQ4XP"
    full = code + check_character(code)
    for position, char in itertools.product(range(8), ALPHABET):
        if full[position] != char:
            typo = full[:position] + char + full[position + 1 :]
            assert parse_reference(typo) is None, typo


def test_every_swap_of_neighbours_in_the_random_part_is_caught():
    code = "K7MQ4XP"
    full = code + check_character(code)
    for position in range(6):
        swapped = full[:position] + full[position + 1] + full[position] + full[position + 2 :]
        if swapped != full:
            assert parse_reference(swapped) is None, swapped


def test_quoted_references_are_found_in_any_case_and_spacing():
    reference = new_reference()
    loose = reference.lower().replace("-", " ")
    assert parse_reference(f"my number is {loose} thanks") == reference
    assert parse_reference("call me on 07700 900123") is None
