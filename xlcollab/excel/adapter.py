"""Workbook adapters: how a ribbon command reads the workbook, writes its
results back and talks to the user.

:class:`WorkbookAdapter` is the interface; there are two implementations:

- :class:`FileAdapter` for the command line and the tests: a workbook file on disk, no
  Excel involved (it was once called ``OpenpyxlAdapter``, though it never used openpyxl),
  read with the reader (:func:`xlcollab.io.read_workbook`) and written with
  the safe writer (:func:`xlcollab.io.writeback.write_back`: backup, atomic
  replace, refusal while Excel has the file open). The master workbook is
  never round-tripped through openpyxl (openpyxl drops the parts it does
  not model, such as Excel's extLst validations); messages are
  collected in :attr:`FileAdapter.messages`.
- :class:`XlwingsAdapter` for Excel on Windows: the calling book
  (``xw.Book.caller()``). It reads the *live* workbook, unsaved edits
  included, by saving a copy (``Workbook.SaveCopyAs``, which leaves the
  open book, its name and its saved state alone) and reading that copy
  with the same reader; it writes results into the open book's cells (the
  user saves as usual) and reports through the status bar and a message
  box. This and :mod:`xlcollab.excel.udfs` are the only modules that use
  xlwings.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from xlcollab.model import ProjectData
from xlcollab.schema.lang import tr

__all__ = ["WorkbookAdapter", "FileAdapter", "XlwingsAdapter"]


@runtime_checkable
class WorkbookAdapter(Protocol):
    """What a ribbon command needs from "the workbook"."""

    @property
    def path(self) -> Path | None:
        """The workbook's file (None for a book never saved)."""

    def read(self, lang: str | None = None) -> ProjectData:
        """The workbook as ProjectData (as it is now, for a live book)."""

    def apply(self, edits: Sequence[Any], lang: str = "zh", keep: int = 10) -> str | None:
        """Write :class:`xlcollab.io.writeback.SheetEdit` edits back; returns
        a note for the user (e.g. where the backup went) or None."""

    def status(self, text: str) -> None:
        """A short progress/result line (Excel's status bar)."""

    def alert(self, text: str, title: str = "xlcollab") -> None:
        """A message the user must see (a message box in Excel)."""

    def open_folder(self, folder: Path) -> None:
        """Show ``folder`` to the user (Explorer on Windows)."""


# ----------------------------------------------------------------- file ---
class FileAdapter:
    """A workbook file on disk, read and written without Excel (the reader and the safe
    writer): the command line's and the tests' adapter."""

    def __init__(self, path: str | os.PathLike, *, open_folders: bool = False):
        self._path = Path(path)
        self._signature = None
        self.open_folders = open_folders
        self.messages: list[tuple[str, str]] = []  # (kind, text): status / alert / folder

    @property
    def path(self) -> Path:
        return self._path

    def read(self, lang: str | None = None) -> ProjectData:
        from xlcollab.io import read_workbook
        from xlcollab.io.writeback import file_signature

        self._signature = file_signature(self._path)  # before reading: detects changes
        return read_workbook(self._path, lang=lang)

    def apply(self, edits: Sequence[Any], lang: str = "zh", keep: int = 10) -> str | None:
        from xlcollab.io.writeback import write_back

        backup = write_back(self._path, edits, read_signature=self._signature, lang=lang, keep=keep)
        self._signature = None  # the file changed: read again before another write
        if not backup:
            return None
        return tr(lang, f"备份：{backup}", f"Backup: {backup}")

    def status(self, text: str) -> None:
        self.messages.append(("status", text))

    def alert(self, text: str, title: str = "xlcollab") -> None:
        self.messages.append(("alert", text))

    def open_folder(self, folder: Path) -> None:
        self.messages.append(("folder", str(folder)))
        if self.open_folders:
            _show_folder(folder)

    # for tests and the command line
    @property
    def alerts(self) -> list[str]:
        return [t for k, t in self.messages if k == "alert"]


def _show_folder(folder: Path) -> None:
    if sys.platform.startswith("win"):
        os.startfile(str(folder))  # type: ignore[attr-defined]
    elif sys.platform == "darwin":
        subprocess.Popen(["open", str(folder)])
    else:
        subprocess.Popen(["xdg-open", str(folder)])


# -------------------------------------------------------------- xlwings ---
class XlwingsAdapter:  # pragma: no cover - needs Excel (see README, manual smoke test)
    """The open Excel workbook a ribbon button was clicked in."""

    def __init__(self, book):
        self.book = book

    @classmethod
    def caller(cls) -> XlwingsAdapter:
        from xlcollab.excel.xlwings_shim import AVAILABLE, xw

        if not AVAILABLE:
            raise RuntimeError("xlwings is not available")
        return cls(xw.Book.caller())

    @property
    def path(self) -> Path | None:
        full = self.book.fullname
        if not full or "://" in full or not os.path.isabs(full):
            # never saved, or a SharePoint/OneDrive URL xlwings could not map
            return None
        return Path(full)

    def read(self, lang: str | None = None) -> ProjectData:
        from xlcollab.io import read_workbook

        suffix = Path(self.book.name).suffix or ".xlsx"
        if suffix.lower() not in (".xlsx", ".xlsm"):
            suffix = ".xlsx"
        with tempfile.TemporaryDirectory(prefix="xlcollab-live-") as tmp:
            copy = Path(tmp) / f"live{suffix}"
            self.book.api.SaveCopyAs(str(copy))  # the live values, unsaved ones included
            return read_workbook(copy, lang=lang)

    def apply(self, edits: Sequence[Any], lang: str = "zh", keep: int = 10) -> str | None:
        app = self.book.app
        screen = app.screen_updating
        app.screen_updating = False
        try:
            for edit in edits:
                self._apply_one(edit)
        finally:
            app.screen_updating = screen
        return tr(
            lang,
            "结果已写入打开的工作簿，请保存",
            "Results written into the open workbook; save it to keep them",
        )

    def _apply_one(self, edit) -> None:
        sheet = self.book.sheets[edit.sheet_name]
        for (row, col), value in edit.cells.items():
            if not edit.overwrite_formulas and sheet.range((row, col)).has_formula:
                continue  # the workbook's own formula stays, as in the file writer
            sheet.range((row, col)).value = _plain(value)
        if edit.table_rows is not None:
            self._replace_table(sheet, edit)
        if edit.marks is not None:
            self._marks(sheet, edit.marks)

    def _replace_table(self, sheet, edit) -> None:
        tables = sheet.api.ListObjects
        if tables.Count == 0:
            return
        table = tables(1)
        if edit.table_name:
            for i in range(1, tables.Count + 1):
                if tables(i).Name == edit.table_name:
                    table = tables(i)
        header = table.HeaderRowRange
        first_row, first_col = header.Row, header.Column
        ncols = header.Columns.Count
        if table.DataBodyRange is not None:
            table.DataBodyRange.ClearContents()
        rows = []
        for r in edit.table_rows:
            line = [None] * ncols
            for c, v in r.items():
                j = (-c - 1) if c < 0 else (c - first_col)
                if 0 <= j < ncols:
                    line[j] = _plain(v)
            rows.append(line)
        n = max(1, len(rows))
        table.Resize(
            sheet.range((first_row, first_col), (first_row + n, first_col + ncols - 1)).api
        )
        if rows:
            sheet.range((first_row + 1, first_col)).value = rows

    def _marks(self, sheet, marks) -> None:
        colours = {"error": (255, 199, 206), "warning": (255, 235, 156)}
        for severity, cells in marks.items():
            for r, c in cells:
                sheet.range((r, c)).color = colours.get(severity)

    def status(self, text: str) -> None:
        self.book.app.status_bar = text

    def alert(self, text: str, title: str = "xlcollab") -> None:
        self.book.app.alert(text, title=title)

    def open_folder(self, folder: Path) -> None:
        _show_folder(folder)


def _plain(value) -> Any:
    """A writer CellValue as a plain value for xlwings."""
    kind = getattr(value, "kind", None)
    if kind is None:
        return value
    if kind == "empty":
        return None
    if (
        kind == "date"
        and isinstance(value.value, dt.date)
        and not isinstance(value.value, dt.datetime)
    ):
        v = value.value
        return dt.datetime(v.year, v.month, v.day)
    return value.value
