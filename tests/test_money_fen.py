"""fen_array on a column of Decimals (whole arrays at once) gives what
to_fen gives amount by amount: fractions of a fen rounded half up, NaN and
infinity invalid, empty cells invalid."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from xlcollab.core.money import fen_array, to_fen


def _by_amount(values):
    fen = [to_fen(v) for v in values]
    return [0 if f is None else f for f in fen], [f is not None for f in fen]


@pytest.mark.parametrize("places", [0, 1, 2, 3])
def test_fen_array_is_to_fen(places: int):
    rng = random.Random(places)
    values = [
        None
        if rng.random() < 0.1
        else Decimal(rng.randint(-(10**9), 10**9)).scaleb(-rng.randint(0, places))
        for _ in range(2000)
    ]
    fen, valid = fen_array(values)
    assert (fen.tolist(), valid.tolist()) == _by_amount(values)


@pytest.mark.parametrize(
    "values",
    [
        [],
        [None],
        [Decimal("-0.00"), Decimal("1E+2"), Decimal("0.005"), Decimal("-0.005")],
        [Decimal("NaN"), Decimal("12.30")],
        [Decimal("Infinity"), None, Decimal("1")],
        [Decimal("1.10"), 2, 2.5, "3.25", True, None],
    ],
)
def test_fen_array_odd_amounts(values):
    fen, valid = fen_array(values)
    assert (fen.tolist(), valid.tolist()) == _by_amount(values)
