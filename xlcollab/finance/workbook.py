"""The monthly spending workbook finance pulls: 汇总, 月度趋势, 明细, 异常.

>>> wb = finance_workbook(summary, trend, month_lines, anomalies, project="…", lang="zh")

Returns an openpyxl Workbook; saving is the io layer's job
(:func:`xlcollab.io.save.save_new_workbook`). Sheet names, headers and
labels come from the schema (``FINANCE_SHEETS``, ``FINANCE_LABELS``). Every
text that came from a user is written with :func:`xlcollab.workbook.values.put`,
so an entry like ``=HYPERLINK(...)`` or ``+1`` stays text.

Totals on 汇总 are native ``SUM`` formulas over the detail rows above them;
before a total is written its value is checked to equal the exact sum of
those rows (:class:`TotalMismatch` otherwise), so the formula and the
summary can never disagree.
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.series import SeriesLabel
from openpyxl.styles import Font
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

from xlcollab.core.figures.money import FIGURES, FinanceSummary
from xlcollab.finance.trend import Trend
from xlcollab.io.cached import CachedWorkbook, remember
from xlcollab.model.a1 import col_letter
from xlcollab.schema import (
    FIN_ANOMALIES,
    FIN_DETAIL,
    FIN_SUMMARY,
    FIN_TREND,
    FIRST_DATA_ROW,
    HEADER_ROW,
    NUMBER_FORMATS,
    Sheet,
    T,
    finance_label,
)
from xlcollab.schema.lang import tr
from xlcollab.workbook import formats
from xlcollab.workbook.tables import write_column, write_header
from xlcollab.workbook.values import cell_value, put

__all__ = ["finance_workbook", "TotalMismatch", "SUMMARY_HEADER_ROW"]

SUMMARY_HEADER_ROW = 3  # 汇总: title, period line, then the header
MONEY = NUMBER_FORMATS[T.MONEY]
PERCENT = "0.0%"
TITLE_FONT = Font(bold=True, size=14)


class TotalMismatch(AssertionError):
    """A total that is not the sum of its detail lines (a bug, never data)."""


def _col(sheet: Sheet, key: str) -> int:
    return sheet.keys.index(key) + 1


def _letter(sheet: Sheet, key: str) -> str:
    return col_letter(_col(sheet, key))


def _excel_table(sheet: Sheet, last: int, lang: str, n_cols: int | None = None) -> Table:
    n = n_cols or len(sheet.columns)
    ref = f"A{HEADER_ROW}:{col_letter(n)}{max(last, FIRST_DATA_ROW)}"
    cols = [TableColumn(id=i, name=c.header(lang)) for i, c in enumerate(sheet.columns[:n], 1)]
    return Table(
        displayName=sheet.table,
        name=sheet.table,
        ref=ref,
        autoFilter=AutoFilter(ref=ref),
        tableColumns=cols,
        tableStyleInfo=TableStyleInfo(name=formats.TABLE_STYLE, showRowStripes=True),
    )


# ------------------------------------------------------------------ 汇总 ---
def _remark(row, lang: str) -> str | None:
    parts = []
    if not row["budgeted"]:
        parts.append(finance_label("no_budget", lang))
    if row["over"]:
        parts.append(finance_label("over_budget", lang))
    return tr(lang, "；", "; ").join(parts) or None


def _summary_block(
    ws, start: int, title: str, df: pd.DataFrame, keys: tuple[str, ...], total: dict, lang: str
) -> int:
    """A section title row, one row per record, a total row of SUM formulas.
    Returns the next free row."""
    s = FIN_SUMMARY
    n_cols = len(s.columns)
    cell = ws.cell(start, 1, title)
    cell.font = formats.BOLD
    first = start + 1
    over_fill, warn_fill = formats.fill("over_budget"), formats.fill("warning")
    over_font, warn_font = formats.font("over_budget"), formats.font("warning")
    r = first
    for rec in df.to_dict("records"):
        for key in keys:
            put(ws, r, _col(s, key), cell_value(s.col(key), rec[key], lang))
        for key in FIGURES:
            ws.cell(r, _col(s, key), float(rec[key])).number_format = MONEY
        pct = ws.cell(r, _col(s, "used_pct"), rec["used_pct"])
        pct.number_format = PERCENT
        put(ws, r, _col(s, "remark"), _remark(rec, lang))
        if rec["over"] or not rec["budgeted"]:
            fill, font = (over_fill, over_font) if rec["over"] else (warn_fill, warn_font)
            for c in range(1, n_cols + 1):
                ws.cell(r, c).fill = fill
                ws.cell(r, c).font = font
        r += 1
    last = r - 1
    put(ws, r, _col(s, keys[0]), finance_label("total", lang))
    for key in FIGURES:
        exact = sum(df[key], Decimal("0.00")) if len(df) else Decimal("0.00")
        if exact != total[key]:
            raise TotalMismatch(f"{title}/{key}: lines sum to {exact}, total is {total[key]}")
        letter = _letter(s, key)
        formula = f"=SUM({letter}{first}:{letter}{last})" if last >= first else "=0"
        c = ws.cell(r, _col(s, key), formula)
        c.number_format = MONEY
        remember(ws, c.coordinate, total[key])
    b, t = _letter(s, "budget"), _letter(s, "to_date")
    pct = ws.cell(r, _col(s, "used_pct"), f'=IF(N({b}{r})=0,"",{t}{r}/{b}{r})')
    pct.number_format = PERCENT
    remember(ws, pct.coordinate, total["used_pct"])
    for c in range(1, n_cols + 1):
        ws.cell(r, c).font = formats.BOLD
        ws.cell(r, c).border = formats.GRID
    return r + 2


def _summary_sheet(ws, sm: FinanceSummary, project: str, lang: str) -> dict[str, int]:
    """Writes 汇总; returns the total row of each block (for tests, charts)."""
    s = FIN_SUMMARY
    title = (
        f"{finance_label('report', lang)} — {project}" if project else finance_label("report", lang)
    )
    put(ws, 1, 1, title).font = TITLE_FONT
    sep = tr(lang, "：", ": ")
    to = tr(lang, " 至 ", " to ")
    line = (
        f"{finance_label('month', lang)}{sep}{sm.month}    "
        f"{finance_label('period', lang)}{sep}{sm.first_day}{to}{sm.last_day}"
    )
    if sm.n_month == 0:
        line += "    " + finance_label("no_expenses", lang)
    ws.cell(2, 1, line)
    for i, col in enumerate(s.columns, start=1):
        ws.cell(SUMMARY_HEADER_ROW, i, col.header(lang))
        ws.column_dimensions[col_letter(i)].width = col.width
    formats.style_header_row(ws, len(s.columns), SUMMARY_HEADER_ROW)
    rows = {}
    r = SUMMARY_HEADER_ROW + 1
    for block, df, keys in (
        ("by_department", sm.by_department, ("department",)),
        ("by_category", sm.by_category, ("category",)),
        ("by_line", sm.lines, ("department", "category")),
    ):
        nxt = _summary_block(ws, r, finance_label(block, lang), df, keys, sm.total, lang)
        rows[block] = nxt - 2
        r = nxt
    ws.freeze_panes = ws.cell(SUMMARY_HEADER_ROW + 1, 1)
    formats.print_setup(ws, SUMMARY_HEADER_ROW)
    _budget_chart(ws, sm, rows["by_department"], lang)
    return rows


def _axes(chart) -> None:
    """Whole yuan on the value axis; both axes shown (openpyxl marks them
    deleted unless told, and Excel then draws none)."""
    chart.y_axis.numFmt = '"¥"#,##0'
    chart.y_axis.delete = False
    chart.x_axis.delete = False


def _budget_chart(ws, sm: FinanceSummary, total_row: int, lang: str) -> None:
    n = len(sm.by_department)
    if n == 0:
        return
    s = FIN_SUMMARY
    first = SUMMARY_HEADER_ROW + 2
    last = first + n - 1
    chart = BarChart()
    chart.type = "col"
    chart.title = finance_label("budget_chart", lang)
    chart.y_axis.title = finance_label("amount_axis", lang)
    _axes(chart)
    for key in ("budget", "to_date"):
        c = _col(s, key)
        chart.add_data(
            Reference(ws, min_col=c, min_row=first, max_row=last), titles_from_data=False
        )
        chart.series[-1].tx = SeriesLabel(v=s.col(key).header(lang))
    chart.set_categories(Reference(ws, min_col=_col(s, "department"), min_row=first, max_row=last))
    chart.width, chart.height = 18, 9
    ws.add_chart(chart, f"{col_letter(len(s.columns) + 2)}{SUMMARY_HEADER_ROW + 1}")


# -------------------------------------------------------------- 月度趋势 ---
def _trend_sheet(ws, trend: Trend, lang: str) -> None:
    s = FIN_TREND
    depts = trend.departments
    headers = [s.col("month").header(lang), *depts, s.col("total").header(lang)]
    for i, h in enumerate(headers, start=1):
        put(ws, HEADER_ROW, i, h)
        ws.column_dimensions[col_letter(i)].width = (
            s.col("month").width if i == 1 else max(12, len(str(h)) * 2 + 2)
        )
    formats.style_header_row(ws, len(headers))
    cum = trend.cumulative
    last_dept_col = col_letter(1 + len(depts))
    for r, month in enumerate(trend.months, start=FIRST_DATA_ROW):
        ws.cell(r, 1, month)
        for j, dept in enumerate(depts, start=2):
            ws.cell(r, j, float(cum.at[month, dept])).number_format = MONEY
        total = cum.at[month, "total"]
        exact = sum((cum.at[month, d] for d in depts), Decimal("0.00"))
        if exact != total:
            raise TotalMismatch(f"trend {month}: {exact} != {total}")
        formula = f"=SUM(B{r}:{last_dept_col}{r})" if depts else "=0"
        c = ws.cell(r, len(headers), formula)
        c.number_format = MONEY
        remember(ws, c.coordinate, total)
    ws.freeze_panes = ws.cell(FIRST_DATA_ROW, 2)
    formats.print_setup(ws, HEADER_ROW)
    last = FIRST_DATA_ROW + len(trend.months) - 1
    if depts:
        chart = LineChart()
        chart.title = finance_label("trend_chart", lang)
        chart.y_axis.title = finance_label("amount_axis", lang)
        _axes(chart)
        chart.x_axis.title = s.col("month").header(lang)
        chart.add_data(
            Reference(ws, min_col=2, max_col=1 + len(depts), min_row=HEADER_ROW, max_row=last),
            titles_from_data=True,
        )
        chart.set_categories(Reference(ws, min_col=1, min_row=FIRST_DATA_ROW, max_row=last))
        chart.width, chart.height = 22, 11
        ws.add_chart(chart, f"A{last + 3}")


# ------------------------------------------------------------- 明细 / 异常 ---
def _table_sheet(
    ws, sheet: Sheet, df: pd.DataFrame, lang: str, empty_key: str, empty_label: str
) -> None:
    write_header(ws, sheet, lang)
    n = len(df)
    last = FIRST_DATA_ROW + max(n, 1) - 1
    for i, col in enumerate(sheet.columns, start=1):
        values = df[col.key].tolist() if col.key in df.columns else []
        if n == 0 and col.key == empty_key:
            values = [empty_label]
        write_column(ws, sheet, i, values, last, lang, grey=False)
    ws.add_table(_excel_table(sheet, last, lang))
    ws.freeze_panes = ws.cell(FIRST_DATA_ROW, 1)
    formats.print_setup(ws, HEADER_ROW)


def finance_workbook(
    summary: FinanceSummary,
    trend: Trend,
    month_lines: pd.DataFrame,
    anomalies: pd.DataFrame,
    *,
    project: str = "",
    lang: str | None = None,
) -> Workbook:
    """The finance workbook for one month.

    ``month_lines``: the month's expense lines (the expense frame's rows,
    indexed by ledger row); ``anomalies``: :func:`~.anomalies.month_anomalies`.
    """
    lang = lang or summary.lang
    wb = CachedWorkbook()  # saves the formulas' cached values too
    wb.remove(wb.active)
    for sheet in (FIN_SUMMARY, FIN_TREND, FIN_DETAIL, FIN_ANOMALIES):
        ws = wb.create_sheet(sheet.name(lang))
        if sheet.tab_color:
            ws.sheet_properties.tabColor = sheet.tab_color
    ws_sum, ws_trend, ws_detail, ws_anom = wb.worksheets
    _summary_sheet(ws_sum, summary, project, lang)
    _trend_sheet(ws_trend, trend, lang)
    detail = month_lines.copy()
    detail.insert(0, "source_row", list(month_lines.index))
    _table_sheet(
        ws_detail, FIN_DETAIL, detail, lang, "description", finance_label("no_expenses", lang)
    )
    _table_sheet(
        ws_anom, FIN_ANOMALIES, anomalies, lang, "message", finance_label("no_anomalies", lang)
    )
    wb.active = ws_sum
    wb.calculation.fullCalcOnLoad = True
    wb.properties.title = f"{finance_label('report', lang)} {summary.month}"
    wb.properties.creator = "xlcollab"
    wb.properties.language = tr(lang, "zh-CN", "en-US")
    return wb
