"""One sheet of the workbook as CSV for other systems.

- **Encoding**: UTF-8 with a byte order mark by default, so that Excel opens
  Chinese text correctly on a double click; ``gbk`` for systems that expect
  the Windows Chinese code page (a character GBK cannot hold is refused with
  the cell named, never replaced silently).
- **Formula injection neutralised** (OWASP "CSV Injection"): a text cell
  that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
  written with a leading apostrophe, so a spreadsheet shows it as text and
  never evaluates it. Numbers, dates and percentages are values the tool
  writes itself and are left as they are (``-5`` stays the number -5).
- **Values** as a person reads them: dates ``2026-03-05``, choices by their
  label (in the workbook's language or ``lang``), booleans 是/否,
  percentages ``50%``, money as plain numbers with two decimals. The flags
  the workbook computes with formulas (延误工作日, 风险值, 已使用, ...) are
  computed by :mod:`xlcollab.core.flags` as of ``as_of``, never taken from
  cached cell values.
- **Sheets**: any table sheet, named in Chinese or English or by its schema
  key (``任务清单``, ``Tasks``, ``tasks``); form sheets (项目概况, 参数) as
  two columns, item and value.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pandas as pd

from xlcollab.core import flags
from xlcollab.core.calendar import WorkCalendar
from xlcollab.model import ProjectData, is_missing
from xlcollab.model.dates import to_date
from xlcollab.schema import FORM_HEADERS, SHEETS, YES_NO, Column, Kind, Sheet, T, sheet_by_name
from xlcollab.schema.lang import tr

ENCODINGS = {"utf-8": "utf-8-sig", "utf-8-sig": "utf-8-sig", "gbk": "gbk"}
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


class CsvExportError(ValueError):
    """The sheet cannot be exported as asked; the message is for the user."""


def neutralise(text: str) -> str:
    """``text`` made safe for a spreadsheet: a leading apostrophe when it
    starts with a character that would make it a formula."""
    return "'" + text if text.startswith(DANGEROUS) else text


def resolve_sheet(name: str, lang: str = "zh") -> Sheet:
    """The schema sheet ``name`` names: Chinese or English name, or key."""
    text = str(name).strip()
    sheet = SHEETS.get(text) or sheet_by_name(text)
    if sheet is None or sheet.kind in (Kind.VIEW, Kind.LISTS) or sheet.key == "xlwings_conf":
        usable = [s for s in SHEETS.values() if s.kind in (Kind.TABLE, Kind.FORM)]
        usable = [s for s in usable if s.key != "xlwings_conf"]
        names = "、".join(s.name(lang) for s in usable)
        raise CsvExportError(
            tr(
                lang,
                f"没有可导出的工作表“{text}”；可选：{names}",
                f"No sheet '{text}' to export; choose one of: {', '.join(s.en for s in usable)}",
            )
        )
    return sheet


def _computed(data: ProjectData, sheet: Sheet, as_of: dt.date, cal: WorkCalendar) -> pd.DataFrame:
    """The sheet's formula columns as :mod:`xlcollab.core.flags` computes them."""
    frame = data.tables[sheet.key]
    if sheet.key == "tasks":
        return flags.task_flags(frame, as_of, cal, int(data.setting("due_soon_days")))
    if sheet.key == "risks":
        return flags.risk_flags(
            frame,
            as_of,
            int(data.setting("risk_medium")),
            int(data.setting("risk_high")),
            int(data.setting("risk_review_days")),
        )
    if sheet.key == "budget":
        return flags.budget_used(frame, data.tables["expenses"])
    return pd.DataFrame(index=frame.index)


def cell_text(col: Column, value, lang: str) -> str:
    """One value as the CSV cell holds it (see the module docstring)."""
    if is_missing(value):
        return ""
    t = col.type
    if t is T.DATE:
        day = to_date(value) if not isinstance(value, str) else None
        return day.isoformat() if day else neutralise(str(value))
    if t is T.BOOL:
        if isinstance(value, str):
            return neutralise(value)
        return YES_NO.label("yes" if bool(value) else "no", lang)
    if t is T.PERCENT:
        if isinstance(value, str):
            return neutralise(value)
        return f"{round(float(value) * 100, 2):g}%"
    if t is T.MONEY:
        if isinstance(value, (Decimal, int, float)):
            return f"{Decimal(str(value)).quantize(Decimal('0.01'))}"
        return neutralise(str(value))
    if t in (T.INT, T.NUMBER):
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            f = float(value)
            return str(int(f)) if f.is_integer() else repr(f)
        return neutralise(str(value))
    if t is T.ENUM and col.choice_list is not None and value in col.choice_list.keys:
        return neutralise(col.choice_list.label(value, lang))
    return neutralise(str(value))


def _rows(data: ProjectData, sheet: Sheet, lang: str, as_of, cal) -> list[list[str]]:
    if sheet.kind is Kind.FORM:
        values = data.overview if sheet.key == "overview" else data.settings
        rows = [list(FORM_HEADERS[lang][:2])]
        for col in sheet.columns:
            rows.append([col.header(lang), cell_text(col, values.get(col.key), lang)])
        return rows
    frame = data.tables[sheet.key]
    computed = _computed(data, sheet, as_of, cal)
    rows = [[c.header(lang) for c in sheet.columns]]
    for idx in frame.index:
        row = []
        for col in sheet.columns:
            source = computed if col.key in computed.columns else frame
            value = source.at[idx, col.key] if col.key in source.columns else None
            row.append(cell_text(col, value, lang))
        rows.append(row)
    return rows


def sheet_csv(
    data: ProjectData,
    sheet_name: str,
    *,
    as_of: dt.date,
    cal: WorkCalendar,
    encoding: str = "utf-8",
    lang: str | None = None,
) -> bytes:
    """The sheet ``sheet_name`` as CSV bytes in ``encoding`` (``utf-8``,
    written with a BOM, or ``gbk``)."""
    lang = lang or data.lang
    enc = ENCODINGS.get(encoding.strip().lower())
    if enc is None:
        raise CsvExportError(
            tr(
                lang,
                f"不支持的编码 {encoding}；可选 utf-8 或 gbk",
                f"Unsupported encoding {encoding}; use utf-8 or gbk",
            )
        )
    sheet = resolve_sheet(sheet_name, lang)
    rows = _rows(data, sheet, lang, as_of, cal)
    if enc == "gbk":
        frame = data.tables.get(sheet.key)
        index = list(frame.index) if frame is not None and sheet.kind is Kind.TABLE else []
        for i, row in enumerate(rows):
            for j, text in enumerate(row):
                try:
                    text.encode("gbk")
                except UnicodeEncodeError as exc:
                    where = f"第{index[i - 1]}行" if i and index else f"第{i + 1}行"
                    bad = text[exc.start : exc.end]
                    raise CsvExportError(
                        tr(
                            lang,
                            f"{sheet.name(lang)}{where}“{rows[0][j]}”含有 GBK "
                            f"无法表示的字符“{bad}”；"
                            "请改用 UTF-8 导出",
                            f"{sheet.name(lang)} row {index[i - 1] if i and index else i + 1}, "
                            f"'{rows[0][j]}' holds '{bad}', which GBK cannot encode; export as "
                            "UTF-8",
                        )
                    ) from None
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerows(rows)
    return buf.getvalue().encode(enc)


__all__ = ["CsvExportError", "DANGEROUS", "cell_text", "neutralise", "resolve_sheet", "sheet_csv"]
