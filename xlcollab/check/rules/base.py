"""The rule registry, the context every rule receives, and small helpers.

A rule is a function that takes a :class:`RuleContext` and yields
:class:`~xlcollab.model.findings.Finding` objects. It is registered with the
:func:`rule` decorator under an ID such as ``tasks.finish_before_start``; the
ID is also the key of its message template in :mod:`xlcollab.model.messages`.

Rules work on the typed frames of :class:`~xlcollab.model.ProjectData` (the
reader has already reported wrong types, missing required cells and values
outside their lists or ranges). They compute a boolean mask with pandas and
only loop over the offending rows to make findings, so a workbook of 20,000
tasks and 100,000 expense lines is checked in a fraction of a second.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import repeat
from typing import cast

import numpy as np
import pandas as pd

from xlcollab.core.calendar import WorkCalendar
from xlcollab.model import ProjectData, is_missing, messages, present
from xlcollab.model.a1 import cell_address, col_letter
from xlcollab.model.dates import iso_dates, to_date
from xlcollab.model.findings import ERROR, INFO, WARNING, Finding
from xlcollab.schema import FORM_VALUE_COL, HEADER_ROW, SHEETS, Kind, form_first_row
from xlcollab.schema.lang import tr

__all__ = [
    "SheetMissing",
    "Rule",
    "RULES",
    "rule",
    "RuleContext",
    "fmt_pct",
    "fmt_money",
    "split_codes",
    "join_names",
    "SEVERITIES",
]

SEVERITIES = (ERROR, WARNING, INFO)


class SheetMissing(Exception):
    """A rule asked for a table sheet the workbook does not have: the rule
    is skipped (the reader already said the sheet is missing), so no
    finding ever names a cell of a sheet that does not exist."""


@dataclass(frozen=True)
class Rule:
    rule_id: str
    severity: str  # the default: error / warning / info
    sheet: str  # the schema key of the sheet the rule mainly looks at
    description_zh: str
    description_en: str
    func: Callable[[RuleContext], Iterable[Finding]]

    def description(self, lang: str = "zh") -> str:
        return tr(lang, self.description_zh, self.description_en)


RULES: dict[str, Rule] = {}


def rule(rule_id: str, severity: str, *, sheet: str, zh: str = "", en: str = ""):
    """Register the decorated function as rule ``rule_id``. ``zh``/``en``
    describe it (default: the function's docstring, first line)."""
    if severity not in SEVERITIES:
        raise ValueError(f"{rule_id}: unknown severity {severity!r}")
    if sheet not in SHEETS:
        raise ValueError(f"{rule_id}: unknown sheet {sheet!r}")

    def register(func):
        if rule_id in RULES:
            raise ValueError(f"rule {rule_id} registered twice")
        if rule_id not in messages.MESSAGES:
            raise ValueError(f"rule {rule_id} has no message template")
        doc = (func.__doc__ or "").strip().splitlines()
        RULES[rule_id] = Rule(
            rule_id,
            severity,
            sheet,
            zh or (doc[0] if doc else rule_id),
            en or (doc[1].strip() if len(doc) > 1 else rule_id),
            func,
        )
        return func

    return register


# ------------------------------------------------------------------ values ---
def clean(s: pd.Series) -> pd.Series:
    """A text column as stripped str ('' where empty), vectorised."""
    return per_unique(s, lambda v: v.strip() if isinstance(v, str) else text(v))


#: a column this short is quicker to walk in Python than through pandas
SHORT_COLUMN = 2000


def per_unique(s: pd.Series, func) -> pd.Series:
    """``func`` applied once per distinct value (empty cells give ''); on a
    column of text only whose values are mostly distinct (codes, invoice
    numbers), to each value: the functions used cost less than finding the
    distinct values; on a short column of text with empty cells, the
    distinct values are found with a dict (quicker there than
    ``pd.factorize``, slower on a long one)."""
    values = s.tolist()
    types = set(map(type, values))
    if len(set(values[:1000])) * 2 > min(len(values), 1000) and types == {str}:
        return pd.Series(list(map(func, values)), index=s.index, dtype=object)
    if len(values) <= SHORT_COLUMN and s.dtype == object and types <= {str, type(None)}:
        done: dict[str, str] = {}
        out = [
            "" if v is None else done[v] if v in done else done.setdefault(v, func(v))
            for v in values
        ]
        return pd.Series(out, index=s.index, dtype=object)
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    mapped = np.array([func(u) for u in uniques] + [""], dtype=object)
    return pd.Series(mapped[codes], index=s.index, dtype=object)


def unknown(s: pd.Series, known) -> pd.Series:
    """Where the text column ``s`` (stripped, '' where empty: :func:`clean`,
    :func:`codes_of`) holds a value not in ``known``: ``(s != "") &
    ~s.isin(known)``, a cell at a time (quicker so on a sheet's column)."""
    return pd.Series([v != "" and v not in known for v in s.tolist()], index=s.index, dtype=bool)


def text(v) -> str:
    """A cell's value as stripped text ('' for empty)."""
    return "" if is_missing(v) else str(v).strip()


def fmt_pct(v) -> str:
    if is_missing(v):
        return ""
    return f"{float(v) * 100:.0f}%"


def fmt_money(v) -> str:
    if v is None or v is pd.NA:
        return ""
    return f"¥{Decimal(v):,.2f}"


_SPLIT = re.compile(r"[,，、;；\s]+")


def split_codes(value) -> list[str]:
    """A REF cell's codes: comma (also ，、; and space) separated, NFKC
    normalised (so full-width digits and dots count)."""
    if isinstance(value, str) and value.isascii():  # NFKC changes no ASCII text
        t = value.strip()
        if t.replace(".", "").isalnum():  # one code, nothing to split
            return [t]
    else:
        t = unicodedata.normalize("NFKC", text(value))
    return [c for c in _SPLIT.split(t) if c]


def norm_code(value) -> str:
    """A code as typed, NFKC normalised (full-width digits and dots count)
    and stripped; '' when empty."""
    if isinstance(value, str) and value.isascii():
        return value.strip()
    return unicodedata.normalize("NFKC", text(value)).strip()


def codes_of(s: pd.Series) -> pd.Series:
    """:func:`norm_code` for a whole column, vectorised (a column of text
    only: its ASCII codes stripped in place of a call each)."""
    values = s.tolist()
    if set(map(type, values)) == {str}:
        if "".join(values).isascii():  # NFKC changes no ASCII text: each stripped, in C
            codes = list(map(str.strip, values))
        else:
            codes = [v.strip() if v.isascii() else norm_code(v) for v in values]
        return pd.Series(codes, index=s.index, dtype=object)
    return per_unique(s, norm_code)


def join_names(names: Iterable[str], lang: str) -> str:
    return messages.LIST_JOIN.get(lang, "', '").join(str(n) for n in names)


# the types of a column whose values float() turns into what pd.to_numeric gives
_FLOATABLE = frozenset({Decimal, float, type(None)})


def as_float(s: pd.Series) -> pd.Series:
    """A money/number column as float64 (NaN where empty or not a number)."""
    if s.dtype == object and len(s):
        values = s.tolist()
        types = set(map(type, values))
        if types <= _FLOATABLE:  # amounts: numpy calls float() on each, quicker than to_numeric
            try:
                return pd.Series(np.array(values, dtype=np.float64), index=s.index, name=s.name)
            except (ValueError, OverflowError):  # a signalling NaN: as to_numeric coerces it
                pass
        if {bool, str} & types:
            s = s.map(lambda v: None if isinstance(v, (bool, str)) else v)
    return pd.to_numeric(s, errors="coerce").astype("float64")


# ----------------------------------------------------------------- context ---
#: where a finding is: (sheet name, header, column letter, sheet kind)
_Where = tuple[str, str | None, str | None, Kind]


@dataclass
class RuleContext:
    """What a rule sees: the project, the status date, the calendar, the
    message language, and helpers that turn a row and a column key into a
    finding naming sheet, row, column and cell."""

    data: ProjectData
    as_of: dt.date
    cal: WorkCalendar
    lang: str
    rule: Rule | None = None  # the rule being run; see `current`
    severity: str | None = None  # the current rule's effective severity
    _tables: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)
    _cache: dict[object, object] = field(default_factory=dict, repr=False)

    @property
    def current(self) -> Rule:
        """The rule being run (run_rules sets it before calling the rule)."""
        if self.rule is None:
            raise RuntimeError("no rule is running")
        return self.rule

    # -- data
    def table(self, key: str) -> pd.DataFrame:
        """The typed frame of table sheet ``key``, with every schema column
        (an empty frame when the data has none)."""
        if self.data.layout and key not in self.data.layout:
            raise SheetMissing(key)  # read from a workbook that lacks the sheet
        if key not in self._tables:
            from xlcollab.model.frames import empty_frame

            df = self.data.tables.get(key)
            if df is None:
                df = empty_frame(key)
            missing = [c for c in SHEETS[key].keys if c not in df.columns]
            if missing:
                df = df.copy()
                empty = empty_frame(key)
                for c in missing:
                    df[c] = pd.Series([None] * len(df), index=df.index, dtype=empty[c].dtype)
            self._tables[key] = df
        return self._tables[key]

    def text(self, sheet: str, key: str) -> pd.Series:
        """Column ``key`` of table ``sheet`` as stripped text ('' where
        empty), computed once per run."""
        return self.cached(("text", sheet, key), lambda: clean(self.table(sheet)[key]))

    def number(self, sheet: str, key: str) -> pd.Series:
        """Column ``key`` of table ``sheet`` as float64 (:func:`as_float`),
        computed once per run."""
        return self.cached(("number", sheet, key), lambda: as_float(self.table(sheet)[key]))

    def filled(self, sheet: str, key: str) -> pd.Series:
        """Where column ``key`` of table ``sheet`` holds something."""
        s = self.table(sheet)[key]
        if s.dtype != object:
            return present(s)
        return self.text(sheet, key) != ""

    def setting(self, key: str):
        return self.data.setting(key)

    def int_setting(self, key: str) -> int:
        return self.data.int_setting(key)

    def overview(self, key: str):
        return self.data.overview.get(key)

    @property
    def period(self) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
        """The project's start and end dates from the overview."""
        s, e = (
            to_date(_safe(self.overview("start_date"))),
            to_date(_safe(self.overview("end_date"))),
        )
        return (pd.Timestamp(s) if s else None, pd.Timestamp(e) if e else None)

    @property
    def today(self) -> pd.Timestamp:
        return pd.Timestamp(self.as_of)

    def cached(self, key, make: Callable[[], object]):
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    # -- where things are
    def sheet_name(self, sheet: str) -> str:
        return self.data.sheet_name(sheet)

    def header(self, column_key: str, sheet: str | None = None) -> str:
        """A column's header as the workbook shows it (else the schema's in
        the workbook's language)."""
        sheet = sheet or self.current.sheet
        lay = self.data.layout.get(sheet)
        if lay and column_key in lay.headers:
            return lay.headers[column_key]
        return SHEETS[sheet].col(column_key).header(self.data.lang)

    def col_index(self, column_key: str, sheet: str | None = None) -> int | None:
        sheet = sheet or self.current.sheet
        s = SHEETS[sheet]
        lay = self.data.layout.get(sheet)
        if s.kind is Kind.FORM:
            return FORM_VALUE_COL
        if lay is not None:
            return lay.columns.get(column_key)
        return s.keys.index(column_key) + 1 if column_key in s.keys else None

    def form_row(self, column_key: str, sheet: str) -> int | None:
        lay = self.data.layout.get(sheet)
        if lay is not None:
            return lay.rows.get(column_key)
        return form_first_row(sheet) + SHEETS[sheet].keys.index(column_key)

    def address(self, row: int | None, column_key: str | None, sheet: str | None = None) -> str:
        """``任务清单!H12`` for a row and a column key."""
        sheet = sheet or self.current.sheet
        cell = cell_address(row, self.col_index(column_key, sheet)) if column_key else None
        return f"{self.sheet_name(sheet)}!{cell or row}"

    # -- findings
    def _where(self, sheet: str, column_key: str | None) -> _Where:
        """(sheet name, header, column letter, sheet kind), cached."""

        def where() -> _Where:
            header = self.header(column_key, sheet) if column_key else None
            col = self.col_index(column_key, sheet) if column_key else None
            letter = col_letter(col) if col else None
            return (self.sheet_name(sheet), header, letter, SHEETS[sheet].kind)

        return cast(_Where, self.cached(("where", sheet, column_key), where))

    def finding(
        self,
        row: int | None,
        column_key: str | None,
        *,
        sheet: str | None = None,
        template: str | None = None,
        **values,
    ) -> Finding:
        """A finding of the current rule at ``row`` (an Excel row; for a
        form sheet None means the field's own row) and column ``column_key``,
        from the message template ``template`` (default: the rule's ID)
        filled with ``values``; ``{column}`` is the column's header and
        ``{sheet}`` the sheet's name.

        A row of None on a table sheet with a column names the header cell.
        """
        rule = self.current
        sheet = sheet or rule.sheet
        name, header, letter, kind = self._where(sheet, column_key)
        if row is None and column_key:
            row = self.form_row(column_key, sheet) if kind is Kind.FORM else HEADER_ROW
        msg, hint = messages.render(
            template or rule.rule_id, self.lang, column=header, sheet=name, **values
        )
        cell = f"{letter}{row}" if letter and row else None
        return Finding(
            rule.rule_id, self.severity or rule.severity, name, row, header, cell, msg, hint
        )

    def findings_where(
        self,
        mask: pd.Series,
        column_key: str | None,
        *,
        sheet: str | None = None,
        template: str | None = None,
        **values,
    ) -> Iterator[Finding]:
        """One finding per row where ``mask`` holds. A value given as a
        Series (aligned with the mask) is taken row by row -- date columns
        as ISO text; anything else is the same for every row."""
        m = mask.to_numpy(dtype=bool)
        if not m.any():
            return
        idx = mask.index[m]
        per_row, same = {}, {}
        for k, v in values.items():
            if isinstance(v, pd.Series):
                sub = v.reindex(idx)
                if pd.api.types.is_datetime64_any_dtype(sub.dtype):
                    sub = iso_dates(sub)
                per_row[k] = sub.tolist()
            else:
                same[k] = v
        yield from self.findings_at(
            idx.tolist(), column_key, sheet=sheet, template=template, per_row=per_row, **same
        )

    def findings_at(
        self,
        rows: list,
        column_key: str | None,
        *,
        sheet: str | None = None,
        template: str | None = None,
        per_row: dict[str, list] | None = None,
        **same,
    ) -> list[Finding]:
        """One finding per Excel row of ``rows`` (what :meth:`finding` gives
        for each), the message's values from ``per_row`` (key -> one value
        per row) and ``same``; the place and the template are looked up
        once for all of them."""
        if not rows:
            return []
        rule = self.current
        sheet = sheet or rule.sheet
        name, header, letter, _kind = self._where(sheet, column_key)
        severity = self.severity or rule.severity
        texts, hints = messages.render_many(
            template or rule.rule_id,
            self.lang,
            len(rows),
            per_row,
            column=header,
            sheet=name,
            **same,
        )
        n = len(rows)
        excel_rows = list(map(int, rows))
        cells = [f"{letter}{r}" if r else None for r in excel_rows] if letter else [None] * n
        fixed = (repeat(rule.rule_id, n), repeat(severity, n), repeat(name, n))
        return list(map(Finding, *fixed, excel_rows, repeat(header, n), cells, texts, hints))


def _safe(v):
    try:
        return v if not pd.isna(v) else None
    except (TypeError, ValueError):
        return v


def rows_where(mask: pd.Series) -> Iterator[int]:
    """The Excel rows (frame index) where ``mask`` is true."""
    return iter(mask.index[mask.to_numpy(dtype=bool)].tolist())
