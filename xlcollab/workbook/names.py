"""Workbook-scoped defined names (xc_today, xc_holidays ...)."""

from __future__ import annotations

from openpyxl.workbook.defined_name import DefinedName

from xlcollab.schema import DEFINED_NAMES, OVERVIEW
from xlcollab.workbook.formulas import resolve


def add_defined_names(wb, lang: str) -> dict[str, str]:
    """Add every name of DEFINED_NAMES; returns name -> resolved text."""
    out = {}
    for name, template in DEFINED_NAMES.items():
        # templates only use absolute placeholders, so the row is irrelevant
        text = resolve(template, OVERVIEW.key, 0, lang)
        wb.defined_names[name] = DefinedName(name, attr_text=text)
        out[name] = text
    return out
