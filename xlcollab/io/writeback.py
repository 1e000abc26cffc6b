"""Safe write-back into a user's workbook: patch the parts the tool owns.

Every command that changes an existing master workbook (``check --write``,
the nightly job, a ribbon button) goes through :func:`write_back`::

    from xlcollab.io.writeback import SheetEdit, write_back, file_signature

    sig = file_signature(path)            # take it BEFORE reading the file
    data = read_workbook(path)
    ...
    tasks = SheetEdit.for_sheet(data, "tasks")      # or SheetEdit("任务清单")
    tasks.set(12, "escalation", "项目经理协调")      # row, column key/letters/index, value
    tasks.set(12, "blocked_since", date(2026, 3, 9))
    tasks.mark([(12, 8)], "error")                  # red fill on 任务清单!H12
    tasks.mark(["K20"], "warning")                  # yellow fill
    found = SheetEdit.for_sheet(data, "findings")
    found.replace_table([{"severity": "错误", "rule_id": "...", ...}, ...])
    backup = write_back(path, [tasks, found], read_signature=sig)

What it does, in this order:

1. takes a lock (two xlcollab processes never write one file at once) and
   removes temporary files a killed writer left;
2. refuses, with a message in ``lang``, when Excel has the file open (its
   ``~$`` owner file) or when the file changed since ``read_signature``
   was taken;
3. patches, in memory, only the parts the edits need: the edited sheets'
   XML, ``xl/styles.xml`` when a date style or a mark colour is new, the
   table part whose body was replaced, and ``xl/workbook.xml`` to set
   ``fullCalcOnLoad`` (see below). Every other member of the package is
   copied unchanged: same name, same order, same compressed bytes. Charts,
   images, comments, VBA (``.xlsm`` keeps its content type), shared
   strings, defined names and other sheets are never parsed;
4. keeps a timestamped backup (``.xlcollab/backups``, the newest ``keep``);
5. writes a temporary file beside the workbook, re-opens it (zip CRCs,
   every patched part well-formed, python-calamine reads each edited sheet
   and every written cell reads back as written), fsyncs it, checks once
   more that nobody changed or opened the file meanwhile, and replaces the
   workbook atomically. A crash at any moment leaves the old or the new
   file.

Values (:class:`CellValue`): text is written as an inline string (the shared
string table is left alone, so every other cell keeps its string), numbers
as numbers, dates as serial numbers (1900 or 1904 system, as the workbook
says) with a date format (the cell's own when it already shows dates, else
its style plus ``yyyy-mm-dd``), booleans as booleans, and empty clears the
value but keeps the cell's style. Plain Python values are converted by
:meth:`CellValue.of`.

Formulas: a cell holding a formula is never overwritten unless the edit
says ``overwrite_formulas=True``; then its formula goes and, when the
workbook has a calculation chain, ``xl/calcChain.xml`` is dropped (Excel
rebuilds it). A shared formula's master cell and array formula cells are
refused even then.

Recalculation: when cell values change, ``fullCalcOnLoad="1"`` is set on
``<calcPr>`` in ``xl/workbook.xml`` (one attribute; the rest of the part
is kept byte for byte), so Excel recomputes formulas that depend on the
written cells instead of showing stale cached results. Pass
``recalc=False`` to leave ``workbook.xml`` untouched.

Marks: :meth:`SheetEdit.mark` colours offending cells with conditional
formats the tool owns, one block per severity (red for errors, yellow for
warnings, from ``schema.STYLES``), recognisable by the marker
``"xlcollab:mark…"<>""`` in their formula. Each write that marks a sheet
replaces the tool's blocks there (marking nothing clears them: use
:meth:`SheetEdit.clear_marks`); the user's own conditional formats and cell
styles stay, though their priorities may be moved down together (order
kept) so the marks win over a row colour.

Tables: :meth:`SheetEdit.replace_table` writes N rows under the header of
an Excel table, clears the rows it no longer covers, sets the table's
``ref`` and its autoFilter to exactly the new rows (one empty row when N is
0: Excel tables need a body row), and stretches the conditional formats
and data validations that covered exactly the old body, as Excel does.
New rows take the first body row's cell styles and row attributes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import math
import os
import queue
import re
import threading
import zipfile
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from numbers import Integral, Real
from pathlib import Path
from typing import Any, NamedTuple

from xlcollab.io.ooxml import (
    DEFAULT_DATE_FORMAT,
    Deflating,
    Package,
    PackageError,
    Styles,
    attr,
    check_well_formed,
    is_xml_safe,
    raw_member,
    rels_name,
    set_attr,
    table_head,
    table_span,
    write_package,
    xml_safe,
    xml_text,
)
from xlcollab.io.safety import (
    SaveError,
    atomic_write,
    backup,
    owner_file,
    remove_stale_temps,
    write_lock,
)
from xlcollab.io.sheetxml import REMOVE, Rendered, SheetPatchError, SheetXml, sqref_of
from xlcollab.model.a1 import cell_ref, col_index, split_ref
from xlcollab.model.collector import collector_paused
from xlcollab.schema import STYLES
from xlcollab.schema.lang import tr

__all__ = [
    "CellValue",
    "SheetEdit",
    "WriteBack",
    "WriteBackError",
    "FileSignature",
    "file_signature",
    "write_back",
    "patch_package",
    "MARK_STYLES",
]

MARK_STYLES = {"error": "error", "warning": "warning"}  # severity -> a key of STYLES
_SEVERITY_ALIASES = {"error": "error", "错误": "error", "warning": "warning", "警告": "warning"}
MAX_TEXT = 32767  # Excel's limit for one cell


class WriteBackError(SaveError):
    """The write-back was refused or failed; nothing was changed. The
    message is for the user, in the language asked for."""


# ------------------------------------------------------------ signature ---
class FileSignature(NamedTuple):
    size: int
    mtime_ns: int
    sha256: str


def file_signature(path: str | os.PathLike) -> FileSignature:
    """Size, modification time and SHA-256 of the file at ``path``.

    Take it *before* reading the workbook and pass it to
    :func:`write_back` as ``read_signature``: if anyone saved the file in
    between, the write-back refuses instead of overwriting their work."""
    path = Path(path)
    data = path.read_bytes()
    st = path.stat()
    return FileSignature(len(data), st.st_mtime_ns, hashlib.sha256(data).hexdigest())


def _changed(then: Sequence, size: int, sha: str) -> bool:
    then = FileSignature(*then)
    return then.size != size or then.sha256 != sha


# ---------------------------------------------------------------- values ---
_EPOCH_1900 = dt.datetime(1899, 12, 30)
_EPOCH_1904 = dt.datetime(1904, 1, 1)


@dataclass(frozen=True)
class CellValue:
    """One cell's new value. Build it with the class methods, or let
    :meth:`of` convert a plain Python value."""

    kind: str  # "text" | "number" | "date" | "bool" | "empty"
    value: Any = None
    number_format: str | None = None  # dates: used when the cell shows no date yet

    @classmethod
    def text(cls, value: str) -> CellValue:
        return cls("text", str(value))

    @classmethod
    def number(cls, value: float | int | Decimal) -> CellValue:
        if isinstance(value, Decimal):
            value = float(value)
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"not a finite number: {value!r}")
        return cls("number", value)

    @classmethod
    def date(cls, value: dt.date | dt.datetime, number_format: str | None = None) -> CellValue:
        if hasattr(value, "to_pydatetime"):  # pandas Timestamp
            value = value.to_pydatetime()
        return cls("date", value, number_format)

    @classmethod
    def boolean(cls, value: bool) -> CellValue:
        return cls("bool", bool(value))

    @classmethod
    def empty(cls) -> CellValue:
        return cls("empty")

    @classmethod
    def of(cls, value: Any) -> CellValue:
        """None, NaN, NaT, pd.NA and "" -> empty; bool -> bool; numbers
        (int, float, Decimal, numpy) -> number; date, datetime, Timestamp
        -> date; anything else -> its text."""
        t = type(value)
        if t is str:  # the common cases first: a table of findings is mostly text
            return cls("text", value) if value else cls("empty")
        if t is int:
            return cls("number", value)
        if t is CellValue:
            return value
        if isinstance(value, CellValue):
            return value
        if value is None or (isinstance(value, str) and value == ""):
            return cls.empty()
        try:
            import pandas as pd

            if (
                value is pd.NaT
                or value is pd.NA
                or (isinstance(value, float) and math.isnan(value))
            ):
                return cls.empty()
            if isinstance(value, pd.Timestamp):
                return cls.date(value.to_pydatetime())
        except ImportError:  # pragma: no cover - pandas is a dependency
            pass
        if isinstance(value, bool) or _is_numpy_bool(value):
            return cls.boolean(bool(value))
        if isinstance(value, (dt.date, dt.datetime)):
            return cls.date(value)
        if isinstance(value, (Integral, Real, Decimal)):
            if isinstance(value, Real) and not isinstance(value, Integral):
                value = float(value)
                if math.isnan(value):
                    return cls.empty()
            return cls.number(int(value) if isinstance(value, Integral) else value)
        return cls.text(str(value))

    def serial(self, date1904: bool = False) -> float:
        v = self.value
        if not isinstance(v, dt.datetime):
            v = dt.datetime(v.year, v.month, v.day)
        if v.tzinfo is not None:
            v = v.replace(tzinfo=None)
        delta = v - (_EPOCH_1904 if date1904 else _EPOCH_1900)
        return delta.days + delta.seconds / 86400 + delta.microseconds / 86400e6

    def expected(self) -> Any:
        """What a reader sees in the cell afterwards (for verification)."""
        if self.kind == "text":
            return xml_safe(self.value)
        if self.kind == "empty":
            return ""
        return self.value


def value_converter() -> Callable[[Any], CellValue]:
    """:meth:`CellValue.of`, remembering what it made for the values a
    column repeats (a table of findings repeats its severity, rule, sheet
    and hint in every row): text, whole numbers and None, by type and
    value. CellValue is frozen, so cells may share one."""
    memo: dict[tuple[type, Any], CellValue] = {}

    def convert(value: Any) -> CellValue:
        t = type(value)
        if t is str or t is int or value is None:
            out = memo.get((t, value))
            if out is None:
                out = memo[(t, value)] = CellValue.of(value)
            return out
        return CellValue.of(value)

    return convert


def _is_numpy_bool(value) -> bool:
    try:
        import numpy as np
    except ImportError:  # pragma: no cover - numpy comes with pandas
        return False
    return isinstance(value, np.bool_)


def _number_text(value) -> bytes:
    if isinstance(value, int):
        return str(value).encode()
    r = repr(float(value))
    if r.endswith(".0"):
        r = r[:-2]
    return r.encode()


# ----------------------------------------------------------------- edits ---
ColumnRef = int | str


@dataclass
class SheetEdit:
    """What to change on one sheet: cells, a table's body, marks.

    ``sheet_name`` is the tab's name as the workbook shows it
    (``data.sheet_name(key)`` or ``data.layout[key].name``). With a
    ``layout`` (see :meth:`for_sheet`) columns may be given by schema key;
    otherwise by 1-based index or letters."""

    sheet_name: str
    layout: Any = None  # model.SheetLayout, to name columns by key
    overwrite_formulas: bool = False
    cells: dict[tuple[int, int], CellValue] = field(default_factory=dict)
    table_rows: list[dict[int, CellValue]] | None = None
    table_name: str | None = None
    marks: dict[str, set[tuple[int, int]]] | None = None

    @classmethod
    def for_sheet(cls, data, key: str, **kw) -> SheetEdit:
        """An edit of the schema sheet ``key`` of ProjectData ``data``,
        using the sheet name and column positions the reader found."""
        layout = data.layout.get(key)
        return cls(data.sheet_name(key), layout=layout, **kw)

    def column(self, column: ColumnRef) -> int:
        """1-based column index of a schema key, letters or index."""
        if isinstance(column, bool):
            raise TypeError("a column is a key, letters or an index")
        if isinstance(column, Integral):
            if not 1 <= int(column) <= 16384:
                raise ValueError(f"column {column} out of range")
            return int(column)
        if self.layout is not None and column in self.layout.columns:
            return self.layout.columns[column]
        if re.fullmatch(r"[A-Za-z]{1,3}", column):
            return col_index(column)
        raise KeyError(f"{self.sheet_name}: no column {column!r}")

    def set(self, row: int, column: ColumnRef, value: Any) -> SheetEdit:
        """Set one cell (1-based row)."""
        if row < 1 or row > 1_048_576:
            raise ValueError(f"row {row} out of range")
        self.cells[(int(row), self.column(column))] = CellValue.of(value)
        return self

    def set_column(self, column: ColumnRef, values: Mapping[int, Any]) -> SheetEdit:
        """Set one column for many rows: ``values`` maps row -> value (a
        pandas Series indexed by Excel row works)."""
        c = self.column(column)
        convert = value_converter()
        for row, value in values.items():
            self.cells[(int(row), c)] = convert(value)
        return self

    def replace_table(
        self, rows: Iterable[Sequence[Any] | Mapping[ColumnRef, Any]], *, table: str | None = None
    ) -> SheetEdit:
        """Replace the body of the sheet's Excel table (``table`` names it
        when the sheet has several) by ``rows``: each a sequence of values
        in the table's column order, or a mapping column -> value (keys,
        letters or indexes, absolute on the sheet). Missing values are
        written empty."""
        out = []
        columns: dict[Any, int] = {}  # the same few keys in every row

        def column(k) -> int:
            c = columns.get(k)
            if c is None:
                c = columns[k] = self.column(k)
            return c

        convert = value_converter()
        for row in rows:
            if isinstance(row, Mapping):
                out.append({column(k): convert(v) for k, v in row.items()})
            else:
                out.append({-(i + 1): convert(v) for i, v in enumerate(row)})
        self.table_rows = out
        self.table_name = table
        return self

    def replace_table_columns(
        self, columns: Mapping[ColumnRef, Sequence[Any]], rows: int, *, table: str | None = None
    ) -> SheetEdit:
        """:meth:`replace_table` by ``rows`` rows given column by column:
        ``columns`` maps a column (key, letters or index) to its ``rows``
        values, top down. The same edit as the rows as mappings, each
        value converted once per distinct text or whole number."""
        convert = value_converter()
        where = [self.column(k) for k in columns]
        for k, values in columns.items():
            if len(values) != rows:
                raise ValueError(f"column {k!r} has {len(values)} values, not {rows}")
        if not where:
            self.table_rows = [{} for _ in range(rows)]
        else:
            converted = [list(map(convert, values)) for values in columns.values()]
            rows_of = zip(*converted, strict=True)
            self.table_rows = [dict(zip(where, row, strict=True)) for row in rows_of]
        self.table_name = table
        return self

    def mark(
        self, cells: Iterable[tuple[int, ColumnRef] | str], severity: str = "error"
    ) -> SheetEdit:
        """Colour ``cells`` ((row, column) or "B12") by severity: "error"
        (red) or "warning" (yellow); 错误/警告 work too. A cell marked as
        both shows as an error."""
        sev = _SEVERITY_ALIASES.get(str(severity).strip().lower())
        if sev is None:
            raise ValueError(f"unknown severity {severity!r}; use error or warning")
        if self.marks is None:
            self.marks = {"error": set(), "warning": set()}
        for cell in cells:
            if isinstance(cell, str):
                r, c = split_ref(cell)
            else:
                r, c = int(cell[0]), self.column(cell[1])
            self.marks[sev].add((r, c))
        return self

    def clear_marks(self) -> SheetEdit:
        """Remove the tool's marks from the sheet (a clean check)."""
        if self.marks is None:
            self.marks = {"error": set(), "warning": set()}
        return self


WriteBack = SheetEdit  # the same class under the name the issue uses


# ------------------------------------------------------------- patching ---
@dataclass
class Patch:
    """The parts a set of edits changes, ready to write."""

    parts: dict[str, bytes]
    removed: frozenset[str]
    written: dict[str, dict[tuple[int, int], CellValue]]  # sheet -> cells written
    # name -> ooxml.deflate_part(parts[name]), for large parts, computed while checking
    compressed: dict[str, tuple[bytes, int, bytes]] = field(default_factory=dict)


def patch_package(
    pkg: Package, edits: Sequence[SheetEdit], *, recalc: bool = True, lang: str = "zh"
) -> Patch:
    """Apply ``edits`` to the parts of ``pkg`` in memory (no file is
    touched). Raises WriteBackError when an edit cannot be made safely.
    The large patched parts are deflated for the writer on two threads
    meanwhile (:class:`~xlcollab.io.ooxml.Deflating`)."""
    deflating = Deflating(pkg)
    try:
        return _patch(pkg, edits, recalc, lang, deflating)
    except BaseException:
        deflating.close()
        raise


def _patch(
    pkg: Package, edits: Sequence[SheetEdit], recalc: bool, lang: str, deflating: Deflating
) -> Patch:
    sheets = pkg.sheet_parts()
    styles_part = _styles_part(pkg)
    styles = Styles(pkg.read(styles_part)) if styles_part else None
    date1904 = pkg.date1904
    parts: dict[str, bytes] = {}
    removed: set[str] = set()
    written: dict[str, dict[tuple[int, int], CellValue]] = {}
    values_changed = False
    formulas_removed = False

    memo: dict[tuple, Rendered] = {}  # flag columns repeat a few values many times

    def render(value, old_s: int | None) -> Rendered:
        key = _memo_key(value, old_s)
        if key is None:
            return _render(value, old_s, styles, date1904, lang)
        out = memo.get(key)
        if out is None:
            out = memo[key] = _render(value, old_s, styles, date1904, lang)
        return out

    dxfs = _mark_styles(edits, styles, lang)
    for edit in _patch_order(edits):
        part = sheets.get(edit.sheet_name)
        if part is None:
            raise WriteBackError(
                tr(
                    lang,
                    f"工作簿中没有工作表“{edit.sheet_name}”",
                    f"the workbook has no sheet {edit.sheet_name!r}",
                )
            )
        sheet = SheetXml(parts.get(part) or pkg.read(part), edit.sheet_name)
        cells: dict[int, dict[int, Any]] = {}
        new_row_attrs: dict[int, bytes] = {}
        new_cell_styles: dict[int, dict[int, int]] = {}
        if edit.table_rows is not None:
            tpart, txml, resize = _table_body(
                pkg, parts, part, sheet, edit, cells, (new_row_attrs, new_cell_styles), lang
            )
            parts[tpart] = txml
        for (r, c), v in edit.cells.items():
            cells.setdefault(r, {})[c] = v
        if cells:
            if any(v is not REMOVE for row in cells.values() for v in row.values()):
                values_changed = True
            try:
                sheet.set_cells(
                    cells,
                    render,
                    overwrite_formulas=edit.overwrite_formulas,
                    new_row_attrs=new_row_attrs,
                    new_cell_styles=new_cell_styles,
                )
            except SheetPatchError as exc:
                raise WriteBackError(_refusal(edit.sheet_name, exc, lang)) from None
            formulas_removed |= bool(sheet.removed_formulas)
            target = written.setdefault(edit.sheet_name, {})
            for r, row in cells.items():
                for c, v in row.items():
                    target[(r, c)] = CellValue.empty() if v is REMOVE else v
        if edit.table_rows is not None and resize:
            sheet.resize_ranges(*resize)
        if edit.marks is not None:
            blocks = [
                (sqref_of(found), dxfs[sev]) for sev, found in _marks_by_severity(edit) if found
            ]
            sheet.replace_marks(blocks)
        if sheet.xml != pkg.read(part):
            parts[part] = sheet.xml
            deflating.add(part, sheet.xml)  # on another core, while the next sheet is patched
        elif part in parts:
            del parts[part]
    if styles is not None and styles.changed:
        parts[styles_part] = styles.xml
    if formulas_removed:
        chain = pkg.calc_chain()
        if chain and chain in pkg.names:
            removed.add(chain)
            parts.update(_drop_calc_chain(pkg, chain))
    if values_changed and recalc:
        wb = _full_calc_on_load(pkg.read("xl/workbook.xml"))
        if wb is not None:
            parts["xl/workbook.xml"] = wb
    # Every large part is deflated on the worker threads (a sheet's as soon
    # as it was patched) while expat checks every part here.
    for name, xml in parts.items():
        deflating.add(name, xml)
    sheet_members = set(sheets.values())
    for name, xml in parts.items():
        try:
            before = pkg.read(name) if name in sheet_members else None
            check_well_formed(name, xml, before)
        except PackageError as exc:
            raise WriteBackError(str(exc)) from None
    return Patch(parts, frozenset(removed), written, deflating.results(parts))


def _marks_by_severity(edit: SheetEdit) -> list[tuple[str, set[tuple[int, int]]]]:
    """The edit's marks by severity, worst first; a cell marked as both is an error."""
    assert edit.marks is not None
    errors = edit.marks["error"]
    return [("error", errors), ("warning", edit.marks["warning"] - errors)]


def _mark_styles(edits: Sequence[SheetEdit], styles: Styles | None, lang: str) -> dict[str, int]:
    """Severity -> the index of its mark's differential style, each made in
    the styles part as the edits, in their order, first use it (the part is
    then the same whatever order the sheets are patched in)."""
    out: dict[str, int] = {}
    for edit in edits:
        if edit.marks is None:
            continue
        if styles is None:
            raise WriteBackError(
                tr(lang, "工作簿缺少样式部件 styles.xml", "the workbook has no styles part")
            )
        for sev, found in _marks_by_severity(edit):
            if found and sev not in out:
                fill, font = STYLES[MARK_STYLES[sev]]
                out[sev] = styles.dxf(fill, font)
    return out


def _patch_order(edits: Sequence[SheetEdit]) -> list[SheetEdit]:
    """The edits in the order to patch them: first those of sheets that
    change only their marks (quick to patch, but a large part to deflate,
    which then runs on the other core while the other sheets are patched),
    then the rest in their order. A sheet with several edits keeps them
    together, in their order."""
    count: dict[str, int] = {}
    for edit in edits:
        count[edit.sheet_name] = count.get(edit.sheet_name, 0) + 1

    def marks_only(edit: SheetEdit) -> bool:
        return count[edit.sheet_name] == 1 and not edit.cells and edit.table_rows is None

    return [e for e in edits if marks_only(e)] + [e for e in edits if not marks_only(e)]


def _styles_part(pkg: Package) -> str | None:
    for r in pkg.rels("xl/workbook.xml"):
        if r["Type"].endswith("/styles"):
            return r["Target"] if r["Target"] in pkg.names else None
    return "xl/styles.xml" if "xl/styles.xml" in pkg.names else None


def _refusal(sheet: str, exc: SheetPatchError, lang: str) -> str:
    where = "、".join(f"{sheet}!{c}" for c in exc.cells[:5]) + ("…" if len(exc.cells) > 5 else "")
    where_en = ", ".join(f"{sheet}!{c}" for c in exc.cells[:5]) + (
        "…" if len(exc.cells) > 5 else ""
    )
    if exc.kind == "formula":
        return tr(
            lang,
            f"{where}：单元格含有公式，未写入（公式不会被覆盖）",
            f"{where_en}: the cell holds a formula; nothing was written "
            "(formulas are never overwritten)",
        )
    if exc.kind in ("shared formula", "array formula"):
        return tr(
            lang,
            f"{where}：单元格属于共享公式或数组公式，无法安全写入",
            f"{where_en}: the cell belongs to a shared or array formula and cannot "
            "be written safely",
        )
    return tr(lang, f"工作表“{sheet}”无法写入：{exc}", f"sheet {sheet!r} cannot be written: {exc}")


def _memo_key(value: CellValue, old_s: int | None) -> tuple | None:
    """A key under which ``_render`` gives the same result, or None. Only
    text (its rendering ignores the style) and naive dates (keyed by exact
    type, format and style) are memoised: equal numbers such as 0.0 and
    -0.0 render differently, and aware datetimes equal as instants may not
    be equal as wall-clock times."""
    if value.kind == "text" and type(value.value) is str:
        return ("text", value.value)
    if value.kind == "date" and getattr(value.value, "tzinfo", None) is None:
        return ("date", type(value.value), value.value, value.number_format, old_s)
    return None


def _render(
    value: CellValue, old_s: int | None, styles: Styles | None, date1904: bool, lang: str
) -> Rendered:
    k = value.kind
    if k == "empty":
        return Rendered(None, b"")
    if k == "text":
        text = xml_safe(value.value)
        if len(text) > MAX_TEXT:
            raise WriteBackError(
                tr(
                    lang,
                    f"文本超过 Excel 单元格上限 {MAX_TEXT} 个字符",
                    f"text longer than Excel's {MAX_TEXT} characters per cell",
                )
            )
        space = b' xml:space="preserve"' if text != text.strip() or "\n" in text else b""
        return Rendered(b"inlineStr", b"<is><t" + space + b">" + xml_text(text) + b"</t></is>")
    if k == "number":
        return Rendered(None, b"<v>" + _number_text(value.value) + b"</v>")
    if k == "bool":
        return Rendered(b"b", b"<v>" + (b"1" if value.value else b"0") + b"</v>")
    if k == "date":
        serial = value.serial(date1904)
        if serial < 0:
            raise WriteBackError(
                tr(
                    lang,
                    f"日期 {value.value} 早于 Excel 可表示的范围",
                    f"date {value.value} is before what Excel can show",
                )
            )
        s = None
        if styles is not None:
            fmt = value.number_format or (
                "yyyy-mm-dd hh:mm"
                if isinstance(value.value, dt.datetime) and value.value.time() != dt.time()
                else DEFAULT_DATE_FORMAT
            )
            new_s = styles.date_style(old_s or 0, fmt)
            s = new_s if new_s != (old_s or 0) else None
        return Rendered(None, b"<v>" + _number_text(round(serial, 10)) + b"</v>", s)
    raise ValueError(f"unknown value kind {k!r}")


def _table_body(
    pkg: Package,
    parts: dict[str, bytes],
    sheet_part: str,
    sheet: SheetXml,
    edit: SheetEdit,
    cells: dict,
    new_rows: tuple[dict, dict],
    lang: str,
):
    """Fill ``cells`` with the edits that replace a table's body, and
    ``new_rows`` (row attributes, cell styles) with what the rows the sheet
    does not have yet take from the first body row; returns (table part,
    its new XML, the range resize for the sheet)."""
    new_row_attrs, new_cell_styles = new_rows
    tables = pkg.tables_of(sheet_part)
    chosen = None
    for t in tables:
        xml = parts.get(t) or pkg.read(t)
        m = table_head(xml)
        if m is None:
            continue
        names = {attr(m.group(1), b"name"), attr(m.group(1), b"displayName")}
        if edit.table_name is None or edit.table_name.encode() in names:
            if chosen is not None and edit.table_name is None:
                raise WriteBackError(
                    tr(
                        lang,
                        f"工作表“{edit.sheet_name}”有多个表格，请指定表格名称",
                        f"sheet {edit.sheet_name!r} has several tables; name the one to replace",
                    )
                )
            chosen = (t, xml, m)
    if chosen is None:
        raise WriteBackError(
            tr(
                lang,
                f"工作表“{edit.sheet_name}”中没有找到表格",
                f"no table found on sheet {edit.sheet_name!r}",
            )
        )
    tpart, txml, m = chosen
    head = m.group(1)
    if int(attr(head, b"totalsRowCount") or 0) > 0:
        raise WriteBackError(
            tr(
                lang,
                f"工作表“{edit.sheet_name}”的表格带汇总行，无法替换表体",
                f"the table on {edit.sheet_name!r} has a totals row; its body cannot be replaced",
            )
        )
    ref = (attr(head, b"ref") or b"").decode()
    a = ref.partition(":")[0]
    first, old_last, c1, c2 = table_span(head)
    n = len(edit.table_rows)
    new_last = first + max(n, 1) - 1
    template = sheet.row_info(first)
    row_attrs, styles_by_col = template if template else (b"", {})
    row_attrs = re.sub(rb'\s(?:r|spans)="[^"]*"', b"", row_attrs)
    width = c2 - c1 + 1
    empty = CellValue.empty()
    for i in range(max(n, 1)):
        values = edit.table_rows[i] if i < n else {}
        row = first + i
        target = cells.setdefault(row, {})
        for k, v in values.items():
            col = c1 - k - 1 if k < 0 else k
            if k < 0 and -k > width:
                raise WriteBackError(
                    tr(
                        lang,
                        f"第 {i + 1} 行的值多于表格的 {width} 列",
                        f"row {i + 1} has more values than the table's {width} columns",
                    )
                )
            if not c1 <= col <= c2:
                raise WriteBackError(
                    tr(
                        lang,
                        f"第 {col} 列不在表格范围 {ref} 内",
                        f"column {col} is outside the table {ref}",
                    )
                )
            target[col] = v
        for col in range(c1, c2 + 1):
            target.setdefault(col, empty)
        new_row_attrs[row] = row_attrs
    for row in range(new_last + 1, old_last + 1):
        cells.setdefault(row, {}).update({col: REMOVE for col in range(c1, c2 + 1)})
    _template_styles(cells, styles_by_col, first, new_last, new_cell_styles)
    new_ref = f"{a}:{cell_ref(new_last, c2)}".encode()
    new_head = set_attr(head, b"ref", new_ref)
    txml = txml[: m.start(1)] + new_head + txml[m.end(1) :]
    txml = re.sub(
        rb"(<(?:[\w.-]+:)?autoFilter\b[^>]*?\bref=\")[^\"]*(\")",
        lambda x: x.group(1) + new_ref + x.group(2),
        txml,
        count=1,
    )
    body_ref = f"{cell_ref(first, c1)}:{cell_ref(new_last, c2)}".encode()
    txml = re.sub(
        rb"(<(?:[\w.-]+:)?sortState\b[^>]*?\bref=\")[^\"]*(\")",
        lambda x: x.group(1) + body_ref + x.group(2),
        txml,
    )
    return tpart, txml, (c1, c2, first, old_last, new_last)


def _template_styles(cells, styles_by_col, first, new_last, new_cell_styles: dict) -> None:
    """Cells of the table's body rows after the first that the sheet lacks
    (all of a new row's, and any an old row lacks) start with the style
    the first body row (the template) has in their column
    (``new_cell_styles``, for :meth:`SheetXml.set_cells`)."""
    styled = {c: s for c, s in styles_by_col.items() if s}
    if not styled:
        return
    for r in range(first + 1, new_last + 1):
        if cells.get(r):
            new_cell_styles[r] = styled


def _drop_calc_chain(pkg: Package, chain: str) -> dict[str, bytes]:
    out = {}
    ct = pkg.read("[Content_Types].xml")
    new_ct = re.sub(
        rb"<(?:[\w.-]+:)?Override\b[^>]*?PartName=\"/" + re.escape(chain.encode()) + rb"\"[^>]*/>",
        b"",
        ct,
    )
    if new_ct != ct:
        out["[Content_Types].xml"] = new_ct
    rels = rels_name("xl/workbook.xml")
    rx = pkg.read(rels)
    new_rx = re.sub(rb"<(?:[\w.-]+:)?Relationship\b[^>]*?/calcChain\"[^>]*/>", b"", rx)
    if new_rx != rx:
        out[rels] = new_rx
    return out


_CALC_AFTER = (
    b"oleSize",
    b"customWorkbookViews",
    b"pivotCaches",
    b"smartTagPr",
    b"smartTagTypes",
    b"webPublishing",
    b"fileRecoveryPr",
    b"webPublishObjects",
    b"extLst",
)


def _full_calc_on_load(xml: bytes) -> bytes | None:
    """workbook.xml with fullCalcOnLoad="1", or None when it already is."""
    m = re.search(rb"<([\w.-]+:)?calcPr\b([^>]*?)(/?)>", xml)
    if m is not None:
        if attr(m.group(2), b"fullCalcOnLoad") in (b"1", b"true"):
            return None
        attrs = set_attr(m.group(2), b"fullCalcOnLoad", b"1")
        return (
            xml[: m.start()]
            + b"<"
            + (m.group(1) or b"")
            + b"calcPr"
            + attrs
            + m.group(3)
            + b">"
            + xml[m.end() :]
        )
    root = re.search(rb"<([\w.-]+:)?workbook[\s>]", xml)
    p = (root.group(1) or b"") if root else b""
    pos = None
    for local in _CALC_AFTER:
        found = re.search(rb"<" + re.escape(p) + local + rb"[\s>/]", xml)
        if found is not None and (pos is None or found.start() < pos):
            pos = found.start()
    if pos is None:
        pos = xml.rfind(b"</" + p + b"workbook>")
    return xml[:pos] + b"<" + p + b'calcPr fullCalcOnLoad="1"/>' + xml[pos:]


# ---------------------------------------------------------------- verify ---
def _verify(tmp: Path, pkg: Package, patch: Patch, lang: str) -> None:
    """Re-open the written file: its members as meant (:func:`_stored_as_meant`),
    and python-calamine reading back every written cell. calamine parses
    the sheets (native code, GIL released), each on a thread of its own,
    while the members are checked here; all must pass. A failure is
    reported as the first sheet (in the order written) met it."""
    import python_calamine as calamine

    sheets: dict[str, list] = {}
    failures: dict[str, BaseException] = {}
    done: queue.SimpleQueue[str] = queue.SimpleQueue()  # sheets read back, as they finish

    def read_back(sheet: str) -> None:
        try:
            book = calamine.CalamineWorkbook.from_path(str(tmp))
        except Exception as exc:  # noqa: BLE001 - anything calamine cannot open
            failures[sheet] = WriteBackError(
                tr(
                    lang,
                    f"写入的文件无法打开：{exc}",
                    f"the written file cannot be opened: {exc}",
                )
            )
            done.put(sheet)
            return
        try:
            sheets[sheet] = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller
            failures[sheet] = exc
        finally:
            with contextlib.suppress(Exception):  # already closed is fine
                book.close()
            done.put(sheet)

    readers = [
        threading.Thread(target=read_back, args=(sheet,), name="xlcollab-verify", daemon=True)
        for sheet in patch.written
    ]
    for reader in readers:
        reader.start()
    mismatches: dict[str, WriteBackError | None] = {}
    try:
        _stored_as_meant(tmp, pkg, patch, lang)
        for _ in readers:  # a sheet's cells compared while the others are still parsed
            sheet = done.get()
            if sheet in sheets:
                mismatches[sheet] = _mismatch(sheet, sheets.pop(sheet), patch.written[sheet], lang)
    finally:
        for reader in readers:
            reader.join()
    for sheet in patch.written:
        if sheet in failures:
            raise failures[sheet]
    for sheet in patch.written:
        mismatch = mismatches.get(sheet)
        if mismatch is not None:
            raise mismatch


def _mismatch(
    sheet: str, rows: list[list], cells: dict[tuple[int, int], CellValue], lang: str
) -> WriteBackError | None:
    """The first written cell of ``sheet`` whose value read back (``rows``,
    from python-calamine) is not what was written, as the error to raise."""
    for (r, c), v in cells.items():
        got = rows[r - 1][c - 1] if r <= len(rows) and c <= len(rows[r - 1]) else ""
        if v.kind == "text" and got == v.value and is_xml_safe(got):
            continue  # most cells: what _same finds, in fewer steps
        if not _same(v, got):
            return WriteBackError(
                tr(
                    lang,
                    f"写入校验失败：{sheet}!{cell_ref(r, c)} 读回 {got!r}，应为 {v.expected()!r}",
                    f"verification failed: {sheet}!{cell_ref(r, c)} reads {got!r}, "
                    f"expected {v.expected()!r}",
                )
            )
    return None


def _stored_as_meant(tmp: Path, pkg: Package, patch: Patch, lang: str) -> None:
    """The written package holds the workbook's members in their order, less
    those removed, and every patched part; each patched part inflates (its
    CRC checked) to what was meant; every other member has the workbook's
    compression, sizes, CRC and very stored bytes (a raw copy; compared as
    stored, not inflated), else inflates to the same content. Raises
    WriteBackError naming the first that does not."""

    def failed(name: str) -> WriteBackError:
        return WriteBackError(tr(lang, f"写入校验失败：{name}", f"verification failed for {name}"))

    try:
        new = Package(tmp.read_bytes())
        infos = new.zf.infolist()
        names = [i.filename for i in infos]
        if names != [i.filename for i in pkg.zf.infolist() if i.filename not in patch.removed]:
            raise failed(tmp.name)
        missing = patch.parts.keys() - set(names)
        if missing:
            raise failed(min(missing))
        for info in infos:
            name = info.filename
            if name in patch.parts:
                same = new.zf.read(name) == patch.parts[name]
            else:
                old = pkg.zf.getinfo(name)
                raw = raw_member(new, info)
                same = (info.CRC, info.file_size) == (old.CRC, old.file_size) and (
                    (
                        raw is not None
                        and (info.compress_type, info.compress_size)
                        == (old.compress_type, old.compress_size)
                        and raw == raw_member(pkg, old)
                    )
                    or new.zf.read(name) == pkg.read(name)
                )
            if not same:
                raise failed(name)
    except (PackageError, zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
        raise WriteBackError(
            tr(
                lang,
                f"写入的文件不是完整的工作簿：{exc}",
                f"the written file is not a valid workbook: {exc}",
            )
        ) from None


def _same(v: CellValue, got: Any) -> bool:
    want = v.expected()
    if v.kind == "text":
        return got == want
    if v.kind == "empty":
        return got in ("", None)
    if v.kind == "bool":
        return got is want or got == want
    if v.kind == "number":
        return (
            isinstance(got, (int, float))
            and not isinstance(got, bool)
            and math.isclose(got, float(want), rel_tol=1e-12, abs_tol=1e-12)
        )
    if v.kind == "date":
        if isinstance(got, dt.datetime):
            w = (
                want
                if isinstance(want, dt.datetime)
                else dt.datetime(want.year, want.month, want.day)
            )
            return abs((got - w.replace(tzinfo=None)).total_seconds()) < 0.01
        if isinstance(got, dt.date):
            return got == (want.date() if isinstance(want, dt.datetime) else want)
        return isinstance(got, (int, float))  # shown as a number: still the serial
    return False


# ----------------------------------------------------------------- write ---
def write_back(
    path: str | os.PathLike,
    edits: Sequence[SheetEdit],
    *,
    read_signature: Sequence | None = None,
    keep: int = 10,
    lang: str = "zh",
    recalc: bool = True,
) -> Path:
    """Apply ``edits`` to the workbook at ``path`` safely (see the module
    docstring); returns the backup kept of the previous version.

    Raises :class:`WriteBackError` (a :class:`SaveError`) with a message in
    ``lang`` when the write is refused or fails; the workbook is then
    unchanged."""
    path = Path(path)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise WriteBackError(
            tr(
                lang,
                f"{path.name}：只能写回 .xlsx 或 .xlsm 工作簿",
                f"{path.name}: only .xlsx and .xlsm workbooks can be written",
            )
        )
    if not path.is_file():
        raise WriteBackError(tr(lang, f"{path} 不存在", f"{path} does not exist"))
    # the patch and its verification make many short-lived objects and no
    # cycles: full collections meanwhile would walk them, and all the
    # caller holds (a read workbook), over and over
    with write_lock(path, lang=lang), collector_paused():
        remove_stale_temps(path)
        _refuse_if_open(path, lang)
        data = path.read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        if read_signature is not None and _changed(read_signature, len(data), sha):
            raise WriteBackError(_changed_message(path, lang))
        try:
            pkg = Package(data)
            patch = patch_package(pkg, edits, recalc=recalc, lang=lang)
        except PackageError as exc:
            raise WriteBackError(
                tr(lang, f"{path.name} 无法写回：{exc}", f"{path.name} cannot be written: {exc}")
            ) from None
        kept = backup(path, keep, data=data)

        def still_ours() -> None:
            _refuse_if_open(path, lang)
            now = path.read_bytes()
            if len(now) != len(data) or hashlib.sha256(now).hexdigest() != sha:
                raise WriteBackError(_changed_message(path, lang))

        try:
            atomic_write(
                path,
                lambda tmp: write_package(pkg, tmp, patch.parts, patch.removed, patch.compressed),
                verify=lambda tmp: _verify(tmp, pkg, patch, lang),
                before_replace=still_ours,
            )
        except WriteBackError:
            raise
        except SaveError as exc:
            raise WriteBackError(str(exc)) from None
        except OSError as exc:
            raise WriteBackError(
                tr(lang, f"{path.name} 写入失败：{exc}", f"writing {path.name} failed: {exc}")
            ) from None
        return kept


def _refuse_if_open(path: Path, lang: str) -> None:
    lock = owner_file(path)
    if lock.exists():
        raise WriteBackError(
            tr(
                lang,
                f"{path.name} 正在被 Excel 打开（存在 {lock.name}），请关闭后重试；未写入任何内容",
                f"{path.name} is open in Excel ({lock.name} exists); close it and retry. "
                "Nothing was written",
            )
        )


def _changed_message(path: Path, lang: str) -> str:
    return tr(
        lang,
        f"{path.name} 在读取后已被修改，为避免覆盖他人的修改，未写入；请重新运行",
        f"{path.name} changed on disk since it was read; nothing was written, "
        "so nobody's changes are lost. Run the command again",
    )
