"""Read a master workbook into ProjectData.

Sheets are found by name and columns by header, in Chinese or English, never
by position: columns may come in any order and users may insert their own.
Values are read with python-calamine and parsed by their schema type
(:mod:`xlcollab.io.parse`); error values are taken from the sheet XML
(:mod:`xlcollab.io.scan`), since calamine shows them as empty cells.

Whatever cannot be understood becomes a finding naming sheet, row, column
and cell, in the requested language. Only a file that cannot be opened as a
workbook at all raises (:class:`WorkbookError`).
"""

from __future__ import annotations

import io
import os
import zipfile
import zlib
from collections.abc import Callable, Collection, Iterable, Mapping
from itertools import compress, repeat
from operator import is_not
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd
import python_calamine as calamine

from xlcollab.io import bounds
from xlcollab.io.ahead import PARALLEL_FROM, SheetsAhead
from xlcollab.io.errors import WorkbookError
from xlcollab.io.ooxml import table_header
from xlcollab.io.parse import (
    BAD,
    BAD_RULES,
    Context,
    clean,
    display,
    out_of_range,
    parse_column,
    parse_value,
    show_number,
    to_series,
)
from xlcollab.io.tolerance import column_tolerance, judge, match_names
from xlcollab.model import ProjectData, SheetLayout, is_missing, messages
from xlcollab.model.collector import collector_paused
from xlcollab.model.findings import ERROR, INFO, WARNING, Finding, make
from xlcollab.model.tolerated import Tolerated
from xlcollab.schema import (
    CHOICE_LISTS,
    DEFAULT_LANG,
    FINDINGS,
    FIRST_DATA_ROW,
    FORM_LABEL_COL,
    FORM_VALUE_COL,
    HEADER_ROW,
    LISTS,
    SHEETS,
    Column,
    Kind,
    Sheet,
    T,
    sheet_by_name,
)
from xlcollab.schema.lang import tr

__all__ = [
    "read_workbook",
    "parse_rows",
    "parse_columns",
    "WorkbookError",
    "detect_lang",
    "OPTIONAL_SHEETS",
    "COMMAND_SHEETS",
]

Source = str | os.PathLike | bytes | bytearray | memoryview | IO[bytes]

# Sheets a workbook may lack without a finding: xlcollab writes or rebuilds
# them, or they only serve Excel.
OPTIONAL_SHEETS = frozenset({"findings", "changelog", "gantt", "lists", "xlwings_conf"})
HEADER_SEARCH_ROWS = 10  # a table's header may sit this far down

#: ``sheets=`` for what never reads back the findings ``check --write``
#: writes (see :func:`read_workbook`): every sheet whole, but of 检查结果
#: only where its columns are. After a check of a large project it holds a
#: row per finding, tens of thousands, that check, the reports, the status
#: page, the schedule and the nightly job would otherwise parse every time.
#: What may use its rows (an export of it, the ribbon's tidy-up, the
#: library's default) reads it whole.
COMMAND_SHEETS: dict[str, frozenset[str] | None] = {
    s.key: (frozenset() if s.key == FINDINGS.key else None)
    for s in SHEETS.values()
    if s.kind in (Kind.TABLE, Kind.FORM)
}


def read_workbook(
    source: Source,
    lang: str | None = None,
    *,
    sheets: Collection[str] | Mapping[str, Collection[str] | None] | None = None,
    meanwhile: Iterable[Callable[[], object]] | None = None,
) -> ProjectData:
    """Read a master workbook (.xlsx/.xlsm; a path, its bytes or a binary
    file object) into :class:`ProjectData`.

    ``lang`` is the language of the findings' messages; None takes the
    workbook's own (Chinese sheet names: "zh", English: "en"), which is
    always ``data.lang``. Raises :class:`WorkbookError` only when the file
    cannot be opened as a workbook at all.

    ``sheets``: the keys of the table and form sheets to read (default:
    all), for a command that uses only those; a mapping may name a table's
    columns to read (None: all of them), the others staying empty (a row is
    a record when one of those holds something); an empty collection
    reads the table's header alone (its layout), from the sheet's Excel
    table definition when it has one, without parsing the sheet
    (:data:`COMMAND_SHEETS` does so for 检查结果). The settings and the lists
    are always read whole. Another sheet the workbook has is found but not
    parsed: its layout names it, its frame (or form) is empty, and nothing
    is checked or found in it; a sheet the workbook lacks is reported as
    always.

    ``meanwhile``: the caller's own work that needs nothing read (say,
    importing what it uses next), in steps, each called once on the calling
    thread: while it would wait for a sheet that a worker thread is still
    parsing with the other worker idle (a core is free then), as long as
    that lasts; the steps left once every sheet is read.
    """
    book, label, info = _open(source, lang or DEFAULT_LANG)
    try:
        # a big sheet is a million short-lived Python objects and no cycles
        with collector_paused():
            reader = _Reader(book, label, lang, info, sheets, meanwhile)
            if not reader.names:  # none of the schema's sheets: not ours at all
                raise WorkbookError(
                    make(
                        "read.not_master",
                        ERROR,
                        reader.lang,
                        sheet=label,
                        expected=SHEETS["tasks"].name(reader.lang),
                    )
                )
            return reader.read()
    except MemoryError:
        raise _refuse(label, lang or DEFAULT_LANG, "memory") from None
    finally:
        book.close()


# ------------------------------------------------------------------ open ---
def _fail(label: str, lang: str, key: str, **values) -> WorkbookError:
    finding = make(
        "read.not_a_workbook", ERROR, lang, sheet=label, detail=messages.detail(key, lang, **values)
    )
    return WorkbookError(finding)


def _refuse(label: str, lang: str, key: str, **values) -> WorkbookError:
    finding = make(
        "read.refused", ERROR, lang, sheet=label, detail=messages.detail(key, lang, **values)
    )
    return WorkbookError(finding)


def _check(source, label: str, lang: str) -> tuple[zipfile.ZipFile, bounds.PackageInfo]:
    """The package opened and checked against the hard ceilings before any
    parser sees it (:mod:`xlcollab.io.bounds`); its sheets are checked
    one by one before they are parsed (:mod:`xlcollab.io.ahead`)."""
    zf = None
    checked = False
    try:
        zf = zipfile.ZipFile(source)
        info = bounds.check_package(zf)
        checked = True
        return zf, info
    except bounds.Refused as exc:
        raise _refuse(label, lang, exc.reason, **exc.values) from None
    except MemoryError:
        raise _refuse(label, lang, "memory") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError):
        raise _fail(label, lang, _not_a_zip_reason(source)) from None
    except PermissionError:
        raise _fail(label, lang, "no_access") from None
    except OSError:
        raise _fail(label, lang, "not_a_workbook") from None
    finally:
        if zf is not None and not checked:
            zf.close()


def _within_settings(settings: dict, info: bounds.PackageInfo, label: str, lang: str):
    """The 参数 sheet's limits (rows per sheet, unpacked size), within the
    hard ceilings the package was first checked against; the sheets read
    so far (``info.rows``) are held to them here, the others as they are
    scanned."""
    limits = bounds.settings_limits(settings)
    if info.unpacked > limits.total_bytes:
        raise _refuse(
            label,
            lang,
            "too_big",
            size=bounds.size(info.unpacked),
            limit=bounds.size(limits.total_bytes),
        )
    for name, rows in info.rows.items():
        if rows > limits.rows:
            raise _refuse(label, lang, "rows", sheet=name, rows=rows, limit=limits.rows)
    return limits


def _open(source: Source, lang: str):
    if isinstance(source, (bytes, bytearray, memoryview)):
        return _open_bytes(bytes(source), tr(lang, "工作簿", "workbook"), lang)
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        label = path.name or str(path)
        if not path.exists():
            raise _fail(label, lang, "not_found")
        if path.is_dir():
            raise _fail(label, lang, "is_directory")
        try:
            if path.stat().st_size == 0:
                raise _fail(label, lang, "empty")
            zf, info = _check(str(path), label, lang)
        except WorkbookError:
            raise
        except PermissionError:
            raise _fail(label, lang, "no_access") from None
        except OSError:
            raise _fail(label, lang, "not_a_workbook") from None
        return _sheets(
            zf, info, lambda: calamine.CalamineWorkbook.from_path(str(path)), label, lang
        )
    if hasattr(source, "read"):
        name = getattr(source, "name", None)
        label = (
            Path(name).name if isinstance(name, str) and name else tr(lang, "工作簿", "workbook")
        )
        data = source.read()
        if not isinstance(data, (bytes, bytearray)):
            raise TypeError("read_workbook needs a binary file object")
        return _open_bytes(bytes(data), label, lang)
    raise TypeError(f"read_workbook cannot read a {type(source).__name__}")


def _open_bytes(data: bytes, label: str, lang: str):
    if not data:
        raise _fail(label, lang, "empty")
    zf, info = _check(io.BytesIO(data), label, lang)
    return _sheets(
        zf, info, lambda: calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)), label, lang
    )


def _sheets(zf: zipfile.ZipFile, info: bounds.PackageInfo, open_book, label: str, lang: str):
    """The checked package's sheets, to be parsed ahead (in parallel when
    the package is big enough to gain by it), and the package's facts."""
    try:
        sheets = SheetsAhead(
            zf,
            info.parts,
            open_book,
            parallel=info.unpacked >= PARALLEL_FROM,
            sheet_bytes=info.sheet_bytes,
        )
    except calamine.PasswordError:
        zf.close()
        raise _fail(label, lang, "encrypted") from None
    except (KeyboardInterrupt, SystemExit):
        zf.close()
        raise
    except BaseException:  # noqa: BLE001 - anything calamine cannot open, a panic too
        zf.close()
        raise _fail(label, lang, "not_a_workbook") from None
    return sheets, label, info


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # also what an encrypted .xlsx is


_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")


def _not_a_zip_reason(source) -> str:
    """Why a file that is no zip package is not read: an encrypted .xlsx
    (an OLE file with an EncryptionInfo stream), another OLE file (an old
    .xls), or not a workbook at all. Nothing parses it."""
    try:
        if isinstance(source, str):
            with open(source, "rb") as fh:
                head = fh.read(1 << 20)
        else:
            source.seek(0)
            head = source.read(1 << 20)
    except OSError:
        return "not_a_workbook"
    if head[:8] != _OLE_MAGIC:
        return "not_a_workbook"
    return "encrypted" if _ENCRYPTION_INFO in head else "legacy_format"


# ---------------------------------------------------------------- detect ---
def detect_lang(sheet_names: Iterable[str]) -> str:
    """The workbook's language from its sheet names (Chinese or English
    names of schema sheets); the default when neither is recognised."""
    from xlcollab.schema import norm_header

    zh = en = 0
    for name in sheet_names:
        sheet = sheet_by_name(name)
        if sheet is None or sheet.zh == sheet.en:
            continue
        n = norm_header(name)
        if n == norm_header(sheet.zh):
            zh += 1
        elif n == norm_header(sheet.en):
            en += 1
    if en > zh:
        return "en"
    if zh > en:
        return "zh"
    return DEFAULT_LANG


# ---------------------------------------------------------------- reader ---
class _Reader:
    def __init__(
        self,
        sheets: SheetsAhead,
        label: str,
        lang: str | None,
        info: bounds.PackageInfo,
        wanted: Collection[str] | Mapping[str, Collection[str] | None] | None = None,
        meanwhile: Iterable[Callable[[], object]] | None = None,
    ):
        self.info = info
        self.meanwhile = None if meanwhile is None else iter(meanwhile)
        self.all_ahead = False  # every sheet to read handed to the workers
        # sheet key -> the column keys to read (None: all)
        self.wanted: dict[str, frozenset[str] | None] | None = None
        if wanted is not None:
            columns = wanted if isinstance(wanted, Mapping) else dict.fromkeys(wanted)
            self.wanted = {k: None if c is None else frozenset(c) for k, c in columns.items()}
            self.wanted.update({"settings": None, LISTS.key: None})
        self.sheets = sheets
        self.headers: dict[str, list[list]] = {}  # see _headers_from_tables
        self.label = label
        book = sheets.book
        names = [m.name for m in book.sheets_metadata if m.typ == calamine.SheetTypeEnum.WorkSheet]
        self.wb_lang = detect_lang(names)
        self.lang = lang or self.wb_lang  # messages
        self.names: dict[str, str] = {}  # sheet key -> tab name as found
        self.findings: list[Finding] = []
        self.tolerated: list[Tolerated] = []
        for name in names:
            sheet = sheet_by_name(name)
            if sheet is None:
                continue
            if sheet.key in self.names:
                self.findings.append(
                    make(
                        "read.duplicate_sheet",
                        WARNING,
                        self.lang,
                        sheet=name,
                        value=name,
                        expected=self.names[sheet.key],
                    )
                )
            else:
                self.names[sheet.key] = name
        self.ctx = Context(lang=self.wb_lang)

    # -- helpers
    def _rows(self, name: str) -> tuple[list[list], dict[tuple[int, int], str]]:
        """A sheet's cells, row by row, and its error cells (checked against
        the bounds before it was parsed)."""
        while self.all_ahead and self.sheets.waiting_alone(name) and self._step():
            pass  # the caller's work while a core is free (its errors are its own)
        try:
            sheet, rows, errors = self.sheets.sheet(name)
            self.info.rows[name] = rows
            return sheet.to_python(skip_empty_area=False), errors
        except bounds.Refused as exc:
            raise _refuse(self.label, self.lang, exc.reason, **exc.values) from None
        except MemoryError:
            raise _refuse(self.label, self.lang, "memory") from None
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException:  # noqa: BLE001 - a damaged part, or a panic in calamine
            raise _fail(self.label, self.lang, "bad_sheet", sheet=name) from None

    def _finding(
        self, rule: str, severity: str, sheet: str, row=None, col_index=None, column=None, **values
    ) -> Finding:
        return make(
            rule,
            severity,
            self.lang,
            sheet=sheet,
            row=row,
            column=column,
            col_index=col_index,
            **values,
        )

    # -- the whole book
    def read(self) -> ProjectData:
        data = ProjectData(lang=self.wb_lang, findings=self.findings, tolerated=self.tolerated)
        # the lists and the settings first: the settings' limits apply
        # before any other sheet is parsed
        settings_name = self.names.get("settings")
        self.sheets.ahead(n for n in (self.names.get(LISTS.key), settings_name) if n)
        data.lists = self._read_lists()
        self.ctx.lists = data.lists
        early = self._read_form(SHEETS["settings"], settings_name) if settings_name else None
        limits = _within_settings(early[0] if early else {}, self.info, self.label, self.lang)
        self.headers = self._headers_from_tables()
        self.sheets.ahead(
            (
                self.names[s.key]
                for s in SHEETS.values()
                if s.key in self.names
                and s.kind in (Kind.TABLE, Kind.FORM)
                and self._wants(s)
                and s.key not in self.headers
            ),
            limits,
        )
        self.all_ahead = True
        for sheet in SHEETS.values():
            name = self.names.get(sheet.key)
            if name is not None and not self._wants(sheet):  # found, not parsed
                _unread(data, sheet, name)
                continue
            if sheet.kind is Kind.LISTS:
                if name:
                    data.layout[sheet.key] = self._lists_layout
                continue
            if name is None:
                if sheet.key not in OPTIONAL_SHEETS:
                    expected = sheet.name(self.wb_lang)
                    self.findings.append(
                        self._finding("read.missing_sheet", ERROR, expected, expected=expected)
                    )
                _empty(data, sheet)
                continue
            if sheet.kind is Kind.TABLE:
                frame, layout = self._read_table(sheet, name)
                data.tables[sheet.key] = frame
                data.layout[sheet.key] = layout
            elif sheet.kind is Kind.FORM:
                values, layout = (
                    early if sheet.key == "settings" and early else self._read_form(sheet, name)
                )
                data.layout[sheet.key] = layout
                if sheet.key == "overview":
                    data.overview = values
                elif sheet.key == "settings":
                    data.settings = values
            else:  # a view: nothing to read, but say where it is
                data.layout[sheet.key] = SheetLayout(name=name)
        overview_layout = data.layout.get("overview")
        match_names(
            data.tables,
            self.tolerated,
            data.overview,
            overview_layout.rows if overview_layout else None,
        )
        self.tolerated.sort(key=lambda x: (x.sheet, x.row, x.column))
        _fill_rollups(data, self.wanted.get("tasks") if self.wanted else None)
        while self._step():  # what is left of the caller's work
            pass
        return data

    def _step(self) -> bool:
        """The next step of the caller's work; False when none is left."""
        step = next(self.meanwhile, None) if self.meanwhile is not None else None
        if step is None:
            self.meanwhile = None
            return False
        step()
        return True

    def _headers_from_tables(self) -> dict[str, list[list]]:
        """Sheet key -> its header as the rows of cells it spans, for each
        table of which the caller wants no column: from the definition of
        the sheet's Excel table (:func:`~xlcollab.io.ooxml.table_header`),
        so that the sheet is not parsed at all. A sheet whose table does
        not give it is parsed as any other."""
        out: dict[str, list[list]] = {}
        for key, columns in (self.wanted or {}).items():
            sheet, name = SHEETS.get(key), self.names.get(key)
            if columns is None or columns or sheet is None or sheet.kind is not Kind.TABLE:
                continue
            if name is None:
                continue
            zf, part = self.sheets.zf, self.sheets.parts.get(name)
            try:
                found = None if part is None else table_header(zf.read, zf.NameToInfo, part)
            except (KeyError, ValueError, zipfile.BadZipFile, zlib.error):
                found = None  # the sheet is parsed, and what is wrong is reported as usual
            if found is not None and found[0] <= HEADER_SEARCH_ROWS:
                row, first, names = found
                out[key] = [[] for _ in range(row - 1)] + [[""] * (first - 1) + names]
        return out

    def _wants(self, sheet: Sheet) -> bool:
        """Whether ``sheet`` is read (views are never parsed)."""
        return self.wanted is None or sheet.key in self.wanted or sheet.kind is Kind.VIEW

    # -- lists
    def _read_lists(self) -> dict[str, list[str]]:
        lists = {cl.key: cl.labels(self.wb_lang) for cl in CHOICE_LISTS.values() if cl.extensible}
        name = self.names.get(LISTS.key)
        self._lists_layout = SheetLayout(name=name or LISTS.name(self.wb_lang))
        if name is None:
            return lists
        rows, _errors = self._rows(name)
        h, found, _ = _find_header(LISTS, rows)
        lay = self._lists_layout
        for key, (j, text) in found.items():
            lay.columns[key] = j + 1
            lay.headers[key] = text
            if key not in lists:
                continue
            entries: list[str] = []
            for row in rows[h + 1 :]:
                v = row[j] if j < len(row) else ""
                text_v = display(v)
                if text_v and text_v not in entries:
                    entries.append(text_v)
            if entries:
                lists[key] = entries
        lay.last_row = len(rows)
        return lists

    # -- tables
    def _read_table(self, sheet: Sheet, name: str) -> tuple[pd.DataFrame, SheetLayout]:
        header = self.headers.get(sheet.key)
        rows, errors = (header, {}) if header is not None else self._rows(name)
        h, found, header_findings = _find_header(sheet, rows)
        header_row = h + 1  # Excel row
        layout = SheetLayout(name=name)
        out: list[tuple] = []  # (row, col, Finding) for ordering

        for j, text in header_findings.get("unknown", []):
            out.append(
                (
                    header_row,
                    j + 1,
                    self._finding("read.unknown_column", INFO, name, header_row, j + 1, value=text),
                )
            )
        for j, text, key in header_findings.get("duplicate", []):
            out.append(
                (
                    header_row,
                    j + 1,
                    self._finding(
                        "read.duplicate_column",
                        WARNING,
                        name,
                        header_row,
                        j + 1,
                        column=text,
                        expected=found[key][1],
                    ),
                )
            )
        missing = [c for c in sheet.columns if c.required and c.is_input and c.key not in found]
        if missing:  # one finding for the sheet, naming the headers as this sheet spells them
            join = messages.LIST_JOIN.get(self.lang, "', '")
            hdr_lang = _header_lang(sheet, found, self.wb_lang)
            out.append(
                (
                    header_row,
                    0,
                    self._finding(
                        "read.missing_column",
                        ERROR,
                        name,
                        header_row,
                        expected=join.join(c.header(hdr_lang) for c in missing),
                    ),
                )
            )

        for key, (j, text) in found.items():
            layout.columns[key] = j + 1
            layout.headers[key] = text

        n = max(len(rows) - header_row, 0)
        # the body by column; the row lists go before any cell is parsed
        by_col = list(zip(*rows[header_row:], strict=False)) if n else []
        del rows
        out.sort(key=lambda t: (t[0], t[1]))
        self.findings.extend(f for _, _, f in out)
        read = self.wanted.get(sheet.key) if self.wanted else None
        frame, found_in_rows = parse_columns(
            sheet,
            name,
            found if read is None else {k: v for k, v in found.items() if k in read},
            by_col,
            n,
            header_row + 1,
            self.ctx,
            lang=self.lang,
            wb_lang=self.wb_lang,
            errors=errors,
            tolerated=self.tolerated,
        )
        self.findings.extend(found_in_rows)
        layout.last_row = int(frame.index[-1]) if len(frame) else header_row
        return frame, layout

    def _bad(self, col: Column, name: str, row: int, j: int, header: str, raw) -> Finding:
        return _bad(col, name, row, j, header, raw, self.ctx, self.lang, self.wb_lang)

    # -- forms
    def _read_form(self, sheet: Sheet, name: str) -> tuple[dict[str, Any], SheetLayout]:
        rows, errors = self._rows(name)
        layout = SheetLayout(name=name)
        values: dict[str, Any] = {c.key: None for c in sheet.columns}
        li, vi = FORM_LABEL_COL - 1, FORM_VALUE_COL - 1
        out: list[Finding] = []
        pending_required: list[tuple[Column, int, str]] = []
        any_value = False
        for r, row in enumerate(rows):
            label = display(row[li]) if li < len(row) else ""
            if not label:
                continue
            col = _column_for(sheet, label)
            if col is None or col.key in layout.rows:
                continue
            excel_row = r + 1
            layout.rows[col.key] = excel_row
            layout.columns[col.key] = FORM_VALUE_COL
            layout.headers[col.key] = label
            layout.last_row = max(layout.last_row, excel_row)
            raw = row[vi] if vi < len(row) else ""
            error = errors.get((excel_row, FORM_VALUE_COL))
            if error is not None:
                any_value = True
                if col.is_input:
                    out.append(
                        self._finding(
                            "read.error_value",
                            ERROR,
                            name,
                            excel_row,
                            FORM_VALUE_COL,
                            column=label,
                            value=error,
                        )
                    )
                continue
            if is_missing(raw):
                if col.required and col.default is None and col.is_input:
                    pending_required.append((col, excel_row, label))
                continue
            any_value = True
            value = parse_value(raw, col, self.ctx)
            if value is BAD:
                if col.is_input:
                    out.append(self._bad(col, name, excel_row, FORM_VALUE_COL, label, raw))
                    if col.type is T.CHOICE:
                        values[col.key] = display(raw)
                continue
            values[col.key] = value
            verdict = judge(raw, value, col, self.wb_lang) if col.is_input else None
            if verdict is not None:
                kind, understood = verdict
                self.tolerated.append(
                    Tolerated(sheet.key, excel_row, col.key, kind, raw, understood)
                )
                if kind.value == "name_spacing":
                    values[col.key] = understood
            if col.is_input and out_of_range([value], col):
                out.append(
                    self._finding(
                        "read.out_of_range",
                        ERROR,
                        name,
                        excel_row,
                        FORM_VALUE_COL,
                        column=label,
                        value=show_number(value, col),
                        low=show_number(col.min, col),
                        high=show_number(col.max, col),
                    )
                )
        if any_value:  # an untouched form is not filled in yet, not wrong
            for _col, excel_row, label in pending_required:
                out.append(
                    self._finding(
                        "read.required", ERROR, name, excel_row, FORM_VALUE_COL, column=label
                    )
                )
        for col in sheet.columns:
            if col.required and col.default is None and col.key not in layout.rows:
                out.append(
                    self._finding(
                        "read.missing_field", ERROR, name, expected=col.header(self.wb_lang)
                    )
                )
        out.sort(key=lambda f: (f.row or 0, f.cell or ""))
        self.findings.extend(out)
        return values, layout


# ---------------------------------------------------------------- header ---
_HEADER_CACHE: dict[tuple[str, str], Column | None] = {}


def _bad(
    col: Column, sheet: str, row: int, j: int, header: str, raw, ctx: Context, lang, wb_lang
) -> Finding:
    """The finding for a value a column cannot take."""
    rule = BAD_RULES[col.type]
    severity = WARNING if col.type is T.CHOICE else ERROR
    values = {"value": display(raw)}
    if rule == "read.bad_choice":
        cl = CHOICE_LISTS[col.choices]
        allowed = (ctx.lists.get(cl.key) if cl.extensible else None) or cl.labels(wb_lang)
        values["allowed"] = tr(lang, "、", ", ").join(allowed)
    return make(rule, severity, lang, sheet=sheet, row=row, column=header, col_index=j, **values)


def parse_rows(
    sheet: Sheet,
    name: str,
    found: dict[str, tuple[int, str]],
    data: list[list],
    first: int,
    ctx: Context,
    *,
    lang: str,
    wb_lang: str,
    errors: dict[tuple[int, int], str] | None = None,
    tolerated: list | None = None,
) -> tuple[pd.DataFrame, list[Finding]]:
    """The reader's row parser: the records of a table sheet's body rows.

    ``found`` maps a column key to its (0-based position, header as found);
    ``data`` are the rows below the header, the first one on Excel row
    ``first``; ``errors`` the (row, column) -> error value cells of the
    sheet. A row is a record when an input cell holds something. Returns
    the typed frame (indexed by Excel row) and the findings about its cells
    (bad and out-of-range values, error values, required cells left empty),
    ordered by row and column; ``lang`` is the messages' language,
    ``wb_lang`` the workbook's; ``tolerated`` collects the entries read in
    spite of their form (see :func:`column_tolerance`). The UDFs validate one
    row with it too.
    """
    n = len(data)
    by_col = list(zip(*data, strict=False)) if n else []
    return parse_columns(
        sheet,
        name,
        found,
        by_col,
        n,
        first,
        ctx,
        lang=lang,
        wb_lang=wb_lang,
        errors=errors,
        tolerated=tolerated,
    )


def parse_columns(
    sheet: Sheet,
    name: str,
    found: dict[str, tuple[int, str]],
    by_col: list[tuple],
    n: int,
    first: int,
    ctx: Context,
    *,
    lang: str,
    wb_lang: str,
    errors: dict[tuple[int, int], str] | None = None,
    tolerated: list | None = None,
) -> tuple[pd.DataFrame, list[Finding]]:
    """:func:`parse_rows` on the body given by column: ``by_col[j]`` the
    ``n`` cells of sheet column j + 1 (a column beyond ``by_col`` is empty)."""
    empty_col = ("",) * n
    out: list[tuple] = []  # (row, col, Finding) for ordering

    def finding(rule: str, severity: str, row, col_index, column=None, **values) -> Finding:
        return make(
            rule,
            severity,
            lang,
            sheet=name,
            row=row,
            column=column,
            col_index=col_index,
            **values,
        )

    parsed: dict[str, Any] = {}
    nonempty = np.zeros(n, dtype=bool)  # a row is a record if an input cell is filled
    filled: dict[str, np.ndarray] = {}  # input column -> which cells hold a value
    input_cols = {}
    for key, (j, _text) in found.items():
        col = sheet.col(key)
        values = by_col[j] if j < len(by_col) else empty_col
        pc = parse_column(values, col, ctx)
        parsed[key] = (pc, values)
        if col.is_input:
            input_cols[j + 1] = key
            mask = np.fromiter(map(is_not, pc.values, repeat(None)), dtype=bool, count=n)
            mask[pc.bad] = True
            filled[key] = mask
            nonempty |= mask
    cell_errors: dict[str, dict[int, str]] = {}
    for (r, c), text in (errors or {}).items():
        key = input_cols.get(c)
        if key is None or r < first or r >= first + n:
            continue
        cell_errors.setdefault(key, {})[r - first] = text
        nonempty[r - first] = True
        filled[key][r - first] = True  # not empty: it holds an error

    keep = np.flatnonzero(nonempty).tolist()
    keep_set = set(keep) if len(keep) != n else None

    def kept(positions: Iterable[int]) -> Iterable[int]:
        return positions if keep_set is None else (i for i in positions if i in keep_set)

    rolled_up = _summary_rows(sheet.key, parsed, n)
    # findings, input columns only: computed ones are recomputed by Python
    for key, (pc, raw) in parsed.items():
        col = sheet.col(key)
        if not col.is_input:
            continue
        j = found[key][0] + 1
        header = found[key][1]
        errs = cell_errors.get(key, {})
        for i, text in errs.items():
            out.append(
                (
                    first + i,
                    j,
                    finding("read.error_value", ERROR, first + i, j, column=header, value=text),
                )
            )
        for i in kept(pc.bad):
            out.append(
                (first + i, j, _bad(col, name, first + i, j, header, raw[i], ctx, lang, wb_lang))
            )
            if col.type is T.CHOICE:  # a user's own entry is kept as written
                pc.values[i] = display(raw[i])
        for i in kept(out_of_range(pc.values, col)):
            out.append(
                (
                    first + i,
                    j,
                    finding(
                        "read.out_of_range",
                        ERROR,
                        first + i,
                        j,
                        column=header,
                        value=show_number(pc.values[i], col),
                        low=show_number(col.min, col),
                        high=show_number(col.max, col),
                    ),
                )
            )
        if col.required:
            empty = nonempty & ~filled[key]
            if key in rolled_up:  # a summary row's formula fills it
                empty &= ~rolled_up[key]
            for i in np.flatnonzero(empty).tolist():
                out.append(
                    (first + i, j, finding("read.required", ERROR, first + i, j, column=header))
                )

    out.sort(key=lambda t: (t[0], t[1]))
    if tolerated is not None:
        for key, (pc, raw) in parsed.items():
            col = sheet.col(key)
            if not col.is_input:
                continue
            bad = set(pc.bad)
            positions = [i for i in keep if i not in bad] if bad else keep
            for i, kind, typed, value in column_tolerance(raw, pc.values, col, wb_lang, positions):
                tolerated.append(Tolerated(sheet.key, first + i, key, kind, typed, value))

    if not keep:
        index = pd.RangeIndex(first, first)
    elif keep[-1] - keep[0] + 1 == len(keep):  # contiguous rows
        index = pd.RangeIndex(first + keep[0], first + keep[-1] + 1)
    else:
        index = pd.Index([first + i for i in keep], dtype="int64")
    columns = {}
    for col in sheet.columns:
        if col.key in parsed:
            values = parsed[col.key][0].values
            if keep_set is not None:
                values = [values[i] for i in keep]
        else:
            values = [None] * len(keep)
        columns[col.key] = to_series(values, col, index)
    return pd.DataFrame(columns, index=index), [f for _, _, f in out]


def _column_for(sheet: Sheet, text: str) -> Column | None:
    key = (sheet.key, text)
    if key not in _HEADER_CACHE:
        _HEADER_CACHE[key] = sheet.column_by_header(text)
    return _HEADER_CACHE[key]


def _find_header(sheet: Sheet, rows: list[list]):
    """The header row (0-based) of a table sheet: the row among the first
    few that names the most schema columns (the schema's header row when
    none does); its columns key -> (0-based index, header as found); and
    the unknown and duplicate headers."""
    best, best_score = HEADER_ROW - 1, 0
    for r, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        keys = set()
        for v in row:
            if v.__class__ is str and v.strip():
                col = _column_for(sheet, clean(v))
                if col is not None:
                    keys.add(col.key)
        if len(keys) > best_score:
            best, best_score = r, len(keys)
    found: dict[str, tuple[int, str]] = {}
    notes: dict[str, list] = {"unknown": [], "duplicate": []}
    row = rows[best] if best < len(rows) else []
    for j, v in enumerate(row):
        text = display(v)
        if not text:
            continue
        col = _column_for(sheet, text)
        if col is None:
            notes["unknown"].append((j, text))
        elif col.key in found:
            notes["duplicate"].append((j, text, col.key))
        else:
            found[col.key] = (j, text)
    return best, found, notes


def _header_lang(sheet: Sheet, found: dict[str, tuple[int, str]], default: str) -> str:
    """The language a sheet's headers are written in (they may differ from
    the sheet names')."""
    from xlcollab.schema import norm_header

    votes = {"zh": 0, "en": 0}
    for key, (_j, text) in found.items():
        col, n = sheet.col(key), norm_header(text)
        if col.zh != col.en:
            if n == norm_header(col.zh):
                votes["zh"] += 1
            elif n == norm_header(col.en):
                votes["en"] += 1
    if votes["zh"] == votes["en"]:
        return default
    return max(votes, key=votes.get)


def _empty(data: ProjectData, sheet: Sheet) -> None:
    """An empty frame (or form) for ``sheet``."""
    if sheet.kind is Kind.TABLE:
        data.tables[sheet.key] = empty_frame(sheet)
    elif sheet.key == "overview":
        data.overview = {c.key: None for c in sheet.columns}
    elif sheet.key == "settings":
        data.settings = {c.key: None for c in sheet.columns}


def _unread(data: ProjectData, sheet: Sheet, name: str) -> None:
    """A sheet the workbook has but the caller did not ask for: where it
    is, and no rows."""
    data.layout[sheet.key] = SheetLayout(name=name)
    _empty(data, sheet)


def empty_frame(sheet: Sheet) -> pd.DataFrame:
    """An empty frame with every schema column of a table sheet, typed."""
    index = pd.RangeIndex(FIRST_DATA_ROW, FIRST_DATA_ROW)
    return pd.DataFrame({c.key: to_series([], c, index) for c in sheet.columns}, index=index)


def _summary_rows(sheet_key: str, parsed: dict, n: int) -> dict[str, np.ndarray]:
    """On 任务清单: for each column a summary row rolls up (SUMMARY_FORMULAS),
    which rows are summary rows (another row's WBS code extends theirs). An
    empty cell there is filled by the row's formula, not missing."""
    from xlcollab.schema import SUMMARY_FORMULAS, TASKS

    if sheet_key != TASKS.key or "wbs" not in parsed:
        return {}
    codes = [None if v is None else str(v).strip() for v in parsed["wbs"][0].values]
    prefixes = {".".join(c.split(".")[:k]) for c in codes if c for k in range(1, c.count(".") + 1)}
    mask = np.fromiter((c is not None and c in prefixes for c in codes), dtype=bool, count=n)
    return dict.fromkeys(SUMMARY_FORMULAS, mask) if mask.any() else {}


def _fill_rollups(data: ProjectData, read: frozenset[str] | None = None) -> None:
    """A summary row's rolled-up cells are formulas; in a file saved by a
    tool that does not keep cached values (openpyxl, some converters) they
    read as empty. Such a cell gets what its formula computes
    (:func:`xlcollab.core.figures.rollup`), so nothing downstream sees a
    summary row without dates or status. ``read``: the task columns read
    (None: all); the roll-up needs the WBS codes and every rolled-up column."""
    from xlcollab.core.figures import ROLLUP_COLUMNS, rollup, summary_mask

    if read is not None and not read >= {"wbs", *ROLLUP_COLUMNS}:
        return
    t = data.tables.get("tasks")
    if t is None or not len(t) or "wbs" not in t:
        return
    summary = summary_mask(t).to_numpy()
    keys = [key for key in ROLLUP_COLUMNS if key in t]
    if not any(
        any(map(is_missing, compress(t[key].tolist(), summary))) for key in keys
    ):  # by position: .loc would look each summary row up by its label
        return  # every summary row holds its formulas' cached values
    roll = rollup(t)
    for key in ROLLUP_COLUMNS:
        if key not in t:
            continue
        # the roll-up's rows are the summary rows, in order
        typed = compress(t[key].tolist(), summary)
        empty = np.fromiter(map(is_missing, typed), bool, len(roll))
        fill = empty & ~np.fromiter(map(is_missing, roll[key].tolist()), bool, len(roll))
        if fill.any():
            t.loc[roll.index[fill], key] = roll[key].to_numpy()[fill]
