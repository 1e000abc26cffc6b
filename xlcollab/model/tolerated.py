"""Tolerated entries: cells the reader understood although they are not
stored as the type their column needs.

The reader accepts what people type (a date typed as text, a number with
full-width digits, a status written "完成" or "Done", a name with a stray
space) and reads it as what it means. Python then computes with the right
value, but the workbook's own formulas see text, and a dropdown or a SUMIFS
sees a name that is not on its list. So each such cell is recorded here, as
what was typed and what it was understood as; the check reports it as a
warning (``xlcollab.check.rules.tolerated``) and ``xlcollab fix`` writes the
understood value into the cell (``xlcollab.io.tidy``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

__all__ = ["Tolerated", "Kind"]


class Kind(StrEnum):
    TEXT_DATE = "text_date"  # "2026/3/27" typed as text in a date column
    TEXT_NUMBER = "text_number"  # "12,500", "50%", "3" typed as text in a number column
    FULL_WIDTH = "full_width"  # full-width digits or signs: "２０２６－０３－２７", "５０％"
    CHOICE_ALIAS = "choice_alias"  # "完成", "Done", " 已完成 " for the label 已完成
    NAME_SPACING = "name_spacing"  # "张 伟", " 张伟" for 张伟 on 组织架构 (or a department)


@dataclass(frozen=True)
class Tolerated:
    """One cell read by tolerance.

    ``value`` is what the cell was understood as, ready to be written: a
    ``datetime.date``, a number (a fraction for percentages, ``Decimal``
    for money), or the exact text (a choice's label in the workbook's
    language, a name as 组织架构 spells it)."""

    sheet: str  # schema key of the sheet
    row: int  # Excel row
    column: str  # schema key of the column
    kind: Kind
    raw: str  # the cell as typed
    value: Any  # what it was understood as
