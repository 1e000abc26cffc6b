"""The blank characters are written out in model.data: they are exactly
Python's spaces (``str.isspace``) and the zero-width characters."""

from __future__ import annotations

import sys

from xlcollab.model.data import BLANK_CHARS

ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"


def test_blank_chars_are_every_space_and_the_zero_width_ones():
    spaces = "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace())
    assert spaces + ZERO_WIDTH == BLANK_CHARS
    assert len(set(BLANK_CHARS)) == len(BLANK_CHARS)
