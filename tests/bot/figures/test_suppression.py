"""Small numbers are hidden, and no total or difference gives one back."""

from __future__ import annotations

import random

import pytest

from bot.figures.suppression import FEWER_THAN_5, NOT_SHOWN, Shown, change, suppress


def test_counts_from_1_to_4_are_fewer_than_5_and_0_and_5_are_shown():
    cells, total = suppress([0, 1, 4, 5, 120])
    assert [c.text for c in cells] == ["0", FEWER_THAN_5, FEWER_THAN_5, "5", "120"]
    assert total is None


def test_a_total_that_would_give_back_a_hidden_cell_hides_the_next_smallest_cell_too():
    # 3 hidden alone: 40 - (20 + 17) would be 3; the 17 is hidden as well
    cells, total = suppress([20, 3, 17], total=40)
    assert [c.text for c in cells] == ["20", FEWER_THAN_5, NOT_SHOWN]
    assert total == Shown(40)


def test_the_second_cell_hidden_is_the_smallest_above_zero():
    cells, _ = suppress([0, 2, 9, 30], total=41)
    assert [c.text for c in cells] == ["0", FEWER_THAN_5, NOT_SHOWN, "30"]


def test_with_only_zeros_beside_it_a_hidden_cell_hides_a_zero():
    cells, total = suppress([0, 6, 0], total=6)
    assert [c.value for c in cells] == [0, 6, 0]  # nothing small: nothing hidden
    cells, total = suppress([0, 3], total=3)
    assert total is not None and total.text == FEWER_THAN_5


def test_a_single_hidden_row_hides_its_total():
    cells, total = suppress([7, 2], total=9)
    assert [c.text for c in cells] == [NOT_SHOWN, FEWER_THAN_5]
    cells, total = suppress([3], total=3)
    assert total is not None and total.text == FEWER_THAN_5
    cells, total = suppress([6], total=6)
    assert total == Shown(6)


def test_two_hidden_cells_protect_each_other_and_need_no_more():
    cells, total = suppress([2, 3, 50], total=55)
    assert [c.text for c in cells] == [FEWER_THAN_5, FEWER_THAN_5, "50"]
    assert total == Shown(55)


@pytest.mark.parametrize("seed", range(200))
def test_no_hidden_cell_can_be_worked_out_from_the_total(seed):
    rng = random.Random(seed)
    counts = [rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 9, 30]) for _ in range(rng.randint(1, 7))]
    cells, total = suppress(counts, total=sum(counts))
    assert total is not None
    for count, cell in zip(counts, cells, strict=True):
        assert cell.value in (None, count)
        if 1 <= count <= 4:
            assert cell.value is None
    if 1 <= sum(counts) <= 4:
        assert total.value is None
    if total.value is not None:
        # total minus the shown cells gives only the sum of two or more hidden ones, or nothing
        assert sum(cell.value is None for cell in cells) != 1


def test_a_change_is_shown_only_when_both_counts_are():
    assert change(Shown(12), Shown(7)) == "+5"
    assert change(Shown(7), Shown(12)) == "-5"
    assert change(Shown(7), Shown(7)) == "no change"
    assert change(Shown(12), Shown(None, FEWER_THAN_5)) == NOT_SHOWN
    assert change(Shown(None, NOT_SHOWN), Shown(12)) == NOT_SHOWN
