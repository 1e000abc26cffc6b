"""A1 references: column letters, cell references and their parts.

>>> col_letter(28), col_index("AB"), cell_ref(12, 2), split_ref("$B$12")
('AB', 28, 'B12', (12, 2))
"""

from __future__ import annotations

import functools
import re

__all__ = ["col_letter", "col_index", "cell_ref", "cell_address", "split_ref"]

_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]+)")


@functools.lru_cache(maxsize=4096)
def col_letter(index: int) -> str:
    """1 -> "A", 27 -> "AA"."""
    if index < 1:
        raise ValueError(f"column index {index} < 1")
    out = ""
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


@functools.lru_cache(maxsize=4096)
def col_index(letters: str) -> int:
    """1-based index of column letters ("A" -> 1, "AA" -> 27)."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def cell_ref(row: int, col: int) -> str:
    """(12, 2) -> "B12"."""
    return f"{col_letter(col)}{row}"


def cell_address(row: int | None, col: int | None) -> str | None:
    """Like :func:`cell_ref`, but None when the row or column is unknown."""
    if not row or not col:
        return None
    return cell_ref(row, col)


def split_ref(ref: str) -> tuple[int, int]:
    """ "B12" -> (12, 2): (row, column), 1-based."""
    m = _REF.fullmatch(ref.strip())
    if m is None:
        raise ValueError(f"not a cell reference: {ref!r}")
    return int(m.group(2)), col_index(m.group(1))
