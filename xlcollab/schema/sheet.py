"""What a sheet is: its kind, names, columns; header matching."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

from xlcollab.schema.columns import Column
from xlcollab.schema.lang import DEFAULT_LANG, tr


# ----------------------------------------------------------------- sheets ---
class Kind(StrEnum):
    TABLE = "table"  # header row + one record per row (an Excel table)
    FORM = "form"  # label / value / note rows
    VIEW = "view"  # built from formulas only (the Gantt)
    LISTS = "lists"  # the hidden sheet feeding dropdowns


@dataclass(frozen=True)
class Sheet:
    key: str
    zh: str
    en: str
    kind: Kind
    columns: tuple[Column, ...]
    table: str | None = None  # Excel table name (ASCII, stable)
    record_key: str | None = None  # column that identifies a row
    hidden: bool = False
    spare_rows: int = 0  # empty rows with formulas/validations ready to fill
    tab_color: str | None = None
    note_zh: str = ""
    note_en: str = ""

    def name(self, lang: str = DEFAULT_LANG) -> str:
        return tr(lang, self.zh, self.en)

    def names(self) -> tuple[str, ...]:
        return (self.zh, self.en)

    def col(self, key: str) -> Column:
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(f"{self.key}.{key}")

    @property
    def keys(self) -> list[str]:
        return [c.key for c in self.columns]

    @property
    def input_columns(self) -> list[Column]:
        return [c for c in self.columns if c.is_input]

    def column_by_header(self, header: str) -> Column | None:
        """The column a header names, in either language (space and case
        ignored)."""
        return self._by_header.get(norm_header(header))

    @cached_property
    def _by_header(self) -> dict[str, Column]:
        """Every form a header may take -> its column (the first column
        wins when two share one)."""
        index: dict[str, Column] = {}
        for c in self.columns:
            for form in (norm_header(c.zh), norm_header(c.en), c.key.casefold()):
                index.setdefault(form, c)
        return index


def norm_header(text: str) -> str:
    """A sheet name or header as compared: NFKC, no whitespace, case-folded."""
    import unicodedata

    return "".join(unicodedata.normalize("NFKC", str(text)).split()).casefold()
