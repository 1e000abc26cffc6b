"""Cell values to typed values, one schema type at a time.

Calamine hands over Python values: ``str``, ``float``, ``bool``, ``date``,
``datetime``, ``time``, ``timedelta`` and ``''`` for an empty cell. Every
column is parsed by its schema type, never guessed, so an entry that cannot
be understood is reported rather than quietly turned into a null.

The parsers work a column at a time: ``parse_column(values, col, ctx)``
returns the parsed values (``None`` where empty or bad) and the positions
of the entries that could not be understood. Each distinct entry of a
column is parsed once and the results are mapped back at C speed, so a
column of a few distinct labels or dates is cheap; dates come out as days
since 1970 until :func:`to_series` makes them ``datetime64[ns]``. What
people really type is accepted:

- dates: real dates, Excel serial numbers, ``2026-03-05``, ``2026/3/5``,
  ``2026.3.5``, ``2026年3月5日``, ``20260305``, full-width digits;
- percentages: ``0.5``, ``50%``, ``50`` (a number above 1 is a percentage
  where a column cannot exceed 100%);
- numbers and money: full-width digits, thousands separators, ``¥``/``￥``,
  ``元``, ``万``/``亿`` (money only);
- yes/no: 是/否, Y/N, yes/no, true/false, √/✓/×, 1/0;
- choices: the Chinese label, the English label or the key;
- stray spaces, including U+3000 and non-breaking spaces, are stripped.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from itertools import repeat
from typing import Any

import numpy as np
import pandas as pd

from xlcollab.model.data import BLANK_CHARS
from xlcollab.schema import CHOICE_LISTS, ChoiceList, Column, T

__all__ = [
    "BAD",
    "Context",
    "ParsedColumn",
    "parse_column",
    "parse_value",
    "to_series",
    "display",
    "out_of_range",
    "show_number",
    "clean",
    "BAD_RULES",
    "PANDAS_DTYPES",
]

BAD_RULES: dict[T, str] = {
    T.DATE: "read.bad_date",
    T.INT: "read.bad_int",
    T.NUMBER: "read.bad_number",
    T.PERCENT: "read.bad_percent",
    T.MONEY: "read.bad_money",
    T.BOOL: "read.bad_bool",
    T.ENUM: "read.bad_choice",
    T.CHOICE: "read.bad_choice",
}

# schema type -> pandas dtype (the table in model/frames.py)
PANDAS_DTYPES: dict[T, str] = {
    T.TEXT: "object",
    T.REF: "object",
    T.PERSON: "object",
    T.DEPARTMENT: "object",
    T.ENUM: "object",
    T.CHOICE: "object",
    T.MONEY: "object",
    T.DATE: "datetime64[ns]",
    T.INT: "Int64",
    T.NUMBER: "Float64",
    T.PERCENT: "Float64",
    T.BOOL: "boolean",
}


class _Bad:
    __slots__ = ()

    def __repr__(self) -> str:
        return "BAD"


BAD: Any = _Bad()  # a parser's answer for an entry it cannot understand

_CENT = Decimal("0.01")
_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
_EXCEL_TO_UNIX = 25569  # Excel serial of 1970-01-01 (1900 date system)
# Dates a project can sensibly hold; also keeps datetime64[ns] in range.
_MIN_DAY = dt.date(1900, 1, 1).toordinal() - _EPOCH_ORDINAL
_MAX_DAY = dt.date(2199, 12, 31).toordinal() - _EPOCH_ORDINAL
_Decimal = Decimal  # a local name for the hot loop
_TEXT_TYPES = frozenset({T.TEXT, T.REF, T.PERSON, T.DEPARTMENT})
_NAT = np.iinfo(np.int64).min
# lookups used as C-speed maps: map(d.get, xs, xs) swaps one value, keeps the rest
_EMPTY_TO_NONE: dict = {"": None}
_NONE_TO_NAT: dict = {None: _NAT}
_NS_PER_DAY = 86_400 * 10**9


def clean(text: str) -> str:
    """``text`` without surrounding whitespace (Unicode spaces, U+3000,
    non-breaking and zero-width spaces included)."""
    return text.strip(BLANK_CHARS)


def _nfkc(text: str) -> str:
    """Full-width digits, letters and signs to their ASCII forms; spaces out."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def display(v) -> str:
    """An entry as the user sees it, for a message."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)
    if isinstance(v, (dt.date, dt.time)):
        return v.isoformat()
    if isinstance(v, dt.timedelta):
        return str(v)
    return clean(str(v))


# ------------------------------------------------------------------ dates ---
_DATE_RE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?"
    r"(?:[T\s]+\d{1,2}[:：]\d{2}(?:[:：]\d{2}(?:\.\d+)?)?)?"
)
_COMPACT_DATE_RE = re.compile(r"(\d{4})(\d{2})(\d{2})")


def _day(y: int, m: int, d: int):
    try:
        n = dt.date(y, m, d).toordinal() - _EPOCH_ORDINAL
    except ValueError:
        return BAD
    return n if _MIN_DAY <= n <= _MAX_DAY else BAD


def date_text(text: str):
    """Days since 1970-01-01 of a date typed as text, None when blank, BAD
    when it is not a date."""
    s = clean(text)
    if not s:
        return None
    s = unicodedata.normalize("NFKC", s).strip()
    m = _DATE_RE.fullmatch(s) or _COMPACT_DATE_RE.fullmatch(s)
    if m is None:
        return BAD
    return _day(int(m.group(1)), int(m.group(2)), int(m.group(3)))


def _serial_day(v: float):
    if v != v or not 1 <= v < 2_958_466:  # NaN, or outside Excel's dates
        return BAD
    n = int(v) - _EXCEL_TO_UNIX
    return n if _MIN_DAY <= n <= _MAX_DAY else BAD


def _date_cell(v):
    t = v.__class__
    if t is dt.date or t is dt.datetime or t is pd.Timestamp:
        n = v.toordinal() - _EPOCH_ORDINAL
        return n if _MIN_DAY <= n <= _MAX_DAY else BAD
    if t is float or t is int:
        return _serial_day(v)
    if t is str:
        return date_text(v)
    return BAD  # bool, time, timedelta


# ---------------------------------------------------------------- numbers ---
_PLAIN_NUM = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_GROUPED_NUM = re.compile(r"[-+]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")


def _number_text(s: str) -> str | None:
    """Normalised numeric text (no spaces, no thousands separators), or None
    when the text is not a plain or thousands-grouped number."""
    if _PLAIN_NUM.fullmatch(s):
        return s
    if _GROUPED_NUM.fullmatch(s):
        return s.replace(",", "")
    return None


def _float_text(text: str):
    s = clean(text)
    if not s:
        return None
    num = _number_text(_nfkc(s))
    if num is None:
        return BAD
    f = float(num)
    return f if f == f and f not in (float("inf"), float("-inf")) else BAD


def _number_cell(v):
    t = v.__class__
    if t is float:
        return v if v == v else BAD
    if t is int:
        return float(v)
    if t is str:
        return _float_text(v)
    return BAD


def _int_cell(v):
    t = v.__class__
    if t is float:
        return int(v) if v.is_integer() else BAD
    if t is int:
        return v
    if t is str:
        f = _float_text(v)
        if f is None or f is BAD:
            return f
        return int(f) if f.is_integer() else BAD
    return BAD


def _percent_cell(v, whole_means_percent: bool = True):
    """A fraction (0.5 for 50%). ``50%`` is always a percentage; a bare
    number above 1 (``50``) is one only in a column that cannot exceed
    100% (``whole_means_percent``), such as % complete. Elsewhere (% of
    budget used) 1.05 is 105%."""
    t = v.__class__
    if t is float or t is int:
        if v != v:
            return BAD
        return v / 100 if whole_means_percent and v > 1 else float(v)
    if t is str:
        s = clean(v)
        if not s:
            return None
        s = _nfkc(s)
        if s.endswith("%"):
            num = _number_text(s[:-1])
            return BAD if num is None else float(num) / 100
        num = _number_text(s)
        if num is None:
            return BAD
        f = float(num)
        return f / 100 if whole_means_percent and f > 1 else f
    return BAD


def _fraction_cell(v):
    return _percent_cell(v, whole_means_percent=False)


_MONEY_PREFIXES = ("¥", "RMB", "CNY", "人民币")
_MONEY_SCALE = {"万": Decimal(10_000), "亿": Decimal(100_000_000)}


def money_text(text: str):
    s = clean(text)
    if not s:
        return None
    s = _nfkc(s)  # ￥ -> ¥, full-width digits and commas -> ASCII
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1]
    if s.startswith("-"):
        negative, s = not negative, s[1:]
    for prefix in _MONEY_PREFIXES:
        if s.upper().startswith(prefix):
            s = s[len(prefix) :]
            break
    if s.startswith("-"):  # ¥-12.00
        negative, s = not negative, s[1:]
    if s.endswith("元"):
        s = s[:-1]
    scale = _MONEY_SCALE.get(s[-1:]) if s else None
    if scale is not None:
        s = s[:-1]
    num = _number_text(s)
    if num is None or num.startswith(("-", "+")):
        return BAD
    try:
        d = Decimal(num)
    except InvalidOperation:
        return BAD
    if not d.is_finite():
        return BAD
    if scale is not None:
        d *= scale
    if negative:
        d = -d
    return d.quantize(_CENT, ROUND_HALF_UP)


def _money_cell(v):
    t = v.__class__
    if t is float:
        if v != v or v in (float("inf"), float("-inf")):
            return BAD
        return Decimal(repr(v)).quantize(_CENT, ROUND_HALF_UP)
    if t is int:
        return Decimal(v).quantize(_CENT)
    if t is str:
        return money_text(v)
    if t is Decimal:
        return v.quantize(_CENT, ROUND_HALF_UP)
    return BAD


# ------------------------------------------------------------------ yes/no ---
_TRUE = {"是", "y", "yes", "true", "t", "√", "✓", "✔", "☑", "1", "对"}
_FALSE = {"否", "n", "no", "false", "f", "×", "✗", "✘", "☒", "0", "不是"}


def _bool_text(text: str):
    s = clean(text)
    if not s:
        return None
    k = _nfkc(s).casefold()
    if k in _TRUE:
        return True
    if k in _FALSE:
        return False
    if k.endswith(".0") and k[:-2] in ("1", "0"):
        return k[0] == "1"
    return BAD


def _bool_cell(v):
    t = v.__class__
    if t is bool:
        return v
    if t is float or t is int:
        return True if v == 1 else False if v == 0 else BAD
    if t is str:
        return _bool_text(v)
    return BAD


# ------------------------------------------------------------------- text ---
def _text_cell(v):
    t = v.__class__
    if t is str:
        return clean(v) or None
    if t is float:
        return display(v)
    if t is bool:
        return "TRUE" if v else "FALSE"
    if t is dt.datetime:
        return v.date().isoformat() if v.time() == dt.time(0) else v.isoformat(" ")
    return display(v) or None


# ---------------------------------------------------------------- choices ---
def _choice_key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split()).casefold()


_ENUM_LOOKUPS: dict[str, dict[str, str]] = {}


def enum_lookup(cl: ChoiceList) -> dict[str, str]:
    """Normalised label (either language) or key -> choice key."""
    table = _ENUM_LOOKUPS.get(cl.key)
    if table is None:
        table = {}
        for item in cl.items:
            for name in (item.key, item.en, item.zh, *item.aliases):
                table.setdefault(_choice_key(name), item.key)
        _ENUM_LOOKUPS[cl.key] = table
    return table


@dataclass
class Context:
    """What parsing needs beyond the cell: the workbook's language (labels
    of extensible lists are stored in it) and the lists sheet's entries."""

    lang: str = "zh"
    lists: dict[str, list[str]] = field(default_factory=dict)
    _choice_tables: dict[str, dict[str, str]] = field(default_factory=dict, repr=False)

    def choice_lookup(self, cl: ChoiceList) -> dict[str, str]:
        """Normalised entry -> stored label, for an extensible list: the
        schema's choices (by either label or key, stored by the label in the
        workbook's language) and the entries of the workbook's lists sheet
        (stored as written there)."""
        table = self._choice_tables.get(cl.key)
        if table is None:
            table = {}
            for item in cl.items:
                label = item.label(self.lang)
                for name in (item.key, item.en, item.zh, *item.aliases):
                    table.setdefault(_choice_key(name), label)
            for entry in self.lists.get(cl.key, ()):
                table.setdefault(_choice_key(entry), entry)
            self._choice_tables[cl.key] = table
        return table


def _lookup_parser(table: dict[str, str]) -> Callable:
    def parse(v):
        if v.__class__ is str:
            s = clean(v)
            if not s:
                return None
            return table.get(_choice_key(s), BAD)
        if v.__class__ is float or v.__class__ is int:
            return table.get(_choice_key(display(v)), BAD)
        return BAD

    return parse


# ---------------------------------------------------------------- columns ---
@dataclass
class ParsedColumn:
    values: list  # parsed values, None where empty or bad (DATE: days since 1970)
    bad: list[int]  # positions of entries that could not be understood


_CELL_PARSERS: dict[T, Callable] = {
    T.DATE: _date_cell,
    T.INT: _int_cell,
    T.NUMBER: _number_cell,
    T.PERCENT: _percent_cell,
    T.MONEY: _money_cell,
    T.BOOL: _bool_cell,
    T.TEXT: _text_cell,
    T.REF: _text_cell,
    T.PERSON: _text_cell,
    T.DEPARTMENT: _text_cell,
}


def cell_parser(col: Column, ctx: Context) -> Callable:
    if col.type is T.ENUM:
        return _lookup_parser(enum_lookup(CHOICE_LISTS[col.choices]))
    if col.type is T.CHOICE:
        return _lookup_parser(ctx.choice_lookup(CHOICE_LISTS[col.choices]))
    if col.type is T.PERCENT and (col.max is None or col.max > 1):
        return _fraction_cell  # may exceed 100%: a number is the fraction itself
    return _CELL_PARSERS[col.type]


def parse_column(values, col: Column, ctx: Context) -> ParsedColumn:
    """Parse one column's cell values by the column's schema type.

    Each distinct entry is parsed once and the results are mapped back at C
    speed, so a long column of repeated dates or labels is cheap."""
    t = col.type
    types = set(map(type, values))
    if t in _TEXT_TYPES:  # text cannot be bad; mostly it is all strings
        if types <= {str}:
            stripped = list(map(str.strip, values, repeat(BLANK_CHARS)))
            # one object per distinct text: a column of a few names takes little memory
            shared = dict(zip(stripped, stripped, strict=True))
            shared.update((k, None) for k in _EMPTY_TO_NONE if k in shared)
            return ParsedColumn(list(map(shared.__getitem__, stripped)), [])
        return ParsedColumn([_text_cell(v) for v in values], [])
    parse = cell_parser(col, ctx)
    if bool in types and len(types - {str}) > 1:
        # True == 1 == 1.0: distinct entries cannot be keyed by value here
        out = [None if v == "" else parse(v) for v in values]
        has_bad = any(r is BAD for r in out)
    else:
        distinct = dict.fromkeys(values)
        table = {}
        if t is T.MONEY and float in types:
            table = _money_floats([v for v in distinct if v.__class__ is float])
        has_bad = False
        for v in (distinct.keys() - table.keys()) if table else distinct:
            r = table[v] = None if v == "" else parse(v)
            if r is BAD:
                has_bad = True
        out = list(map(table.__getitem__, values))
    bad = [i for i, r in enumerate(out) if r is BAD] if has_bad else []
    for i in bad:
        out[i] = None
    return ParsedColumn(out, bad)


def _money_floats(floats: list[float]) -> dict:
    """float -> Decimal to the fen, as Excel shows the number (its shortest
    repr, rounded half up), at C speed. Amounts with at most two decimals
    (nearly all) go through whole cents; the rest through their repr."""
    if not floats:
        return {}
    x = np.asarray(floats, dtype=np.float64) * 100
    cents = np.rint(x)
    whole = (
        np.isfinite(x)
        & (np.abs(x) < 1e15)
        & (np.abs(x - cents) <= 1e-7 * np.maximum(1.0, np.abs(x)))
    )
    table: dict = {}
    if whole.all():
        fast, rest = floats, []
    else:
        fast = [v for v, ok in zip(floats, whole.tolist(), strict=False) if ok]
        rest = [v for v, ok in zip(floats, whole.tolist(), strict=False) if not ok]
        cents = cents[whole]
    table.update(
        zip(
            fast,
            map(_Decimal.scaleb, map(_Decimal, cents.astype(np.int64).tolist()), repeat(-2)),
            strict=False,
        )
    )
    rest = [v for v in rest if v == v and abs(v) != float("inf")]
    if rest:
        table.update(
            zip(
                rest,
                map(
                    _Decimal.quantize,
                    map(_Decimal, map(repr, rest)),
                    repeat(_CENT),
                    repeat(ROUND_HALF_UP),
                ),
                strict=False,
            )
        )
    return table


def parse_value(v, col: Column, ctx: Context):
    """One cell's value as a plain Python value (dates as ``datetime.date``,
    as the demo and blank projects hold them), None when empty, or BAD."""
    if v is None:
        return None
    r = cell_parser(col, ctx)(v)
    if r is BAD or r is None:
        return r
    if col.type is T.DATE:
        return dt.date.fromordinal(r + _EPOCH_ORDINAL)
    return r


def to_series(values: list, col: Column, index) -> pd.Series:
    """A frame column of the pandas type model/frames.py promises for the schema
    type, from parsed values (None where empty)."""
    t = col.type
    if t is T.DATE:
        days = np.fromiter(map(_NONE_TO_NAT.get, values, values), dtype=np.int64, count=len(values))
        ns = np.where(days == _NAT, _NAT, days * _NS_PER_DAY).view("datetime64[ns]")
        return pd.Series(ns, index=index)  # datetime64[ns] as it is
    dtype = _ARRAY_DTYPES.get(t)
    if dtype is None:
        return pd.Series(values, index=index, dtype=object)
    return pd.Series(pd.array(values, dtype=dtype), index=index)


# the nullable types by their dtype objects: a name is looked up anew each time
_ARRAY_DTYPES = {
    t: pd.api.types.pandas_dtype(name)
    for t, name in PANDAS_DTYPES.items()
    if name not in ("object", "datetime64[ns]")
}


def out_of_range(values: list, col: Column) -> list[int]:
    """Positions of parsed values outside the column's min/max."""
    lo, hi = col.min, col.max
    if lo is None and hi is None:
        return []
    if col.type not in (T.INT, T.NUMBER, T.PERCENT, T.MONEY):
        return []
    lo_ = float("-inf") if lo is None else lo
    hi_ = float("inf") if hi is None else hi
    return [i for i, v in enumerate(values) if v is not None and not lo_ <= v <= hi_]


def show_number(v, col: Column) -> str:
    """A parsed number as a message shows it (percentages as percent)."""
    if v is None:
        return ""
    if col.type is T.PERCENT:
        return f"{float(v) * 100:g}%"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)
