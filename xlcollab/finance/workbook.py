"""The monthly spending workbook finance pulls: 汇总, 月度趋势, 明细, 异常.

>>> wb = finance_workbook(summary, trend, month_lines, anomalies, project="…", lang="zh")
>>> wb.save("项目资金使用报告_….xlsx")

:func:`finance_workbook` checks the figures and returns a
:class:`FinanceWorkbook`; its ``save`` writes the file in one pass with
xlsxwriter (saving atomically, with a backup, is the io layer's job:
:func:`xlcollab.io.save.save_new_workbook`). Sheet names, headers and labels
come from the schema (``FINANCE_SHEETS``, ``FINANCE_LABELS``). Every text
that came from a user is written as text: an entry like ``=HYPERLINK(...)``,
``+1`` or ``#VALUE!`` gets a quote prefix and never becomes a formula or an
error (:func:`xlcollab.workbook.values.stays_text`).

Totals on 汇总 and 月度趋势 are native ``SUM`` formulas over the rows they
add up, written with the value Python computed as their cached value, so
pandas and ``openpyxl`` with ``data_only=True`` see the totals; the workbook
still recalculates on open. Before anything is written every total is
checked to equal the exact sum of its rows (:class:`TotalMismatch`
otherwise), so the formula and the summary can never disagree.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd

from xlcollab.core.figures.money import FIGURES, FinanceSummary
from xlcollab.finance import styles
from xlcollab.finance.cells import fit_money, header_row, table_sheet, write_value
from xlcollab.finance.sheetdata import ColumnSheet
from xlcollab.finance.styles import Formats
from xlcollab.finance.trend import Trend
from xlcollab.model.a1 import col_letter
from xlcollab.model.collector import collector_paused
from xlcollab.schema import (
    FIN_ANOMALIES,
    FIN_DETAIL,
    FIN_SUMMARY,
    FIN_TREND,
    FIRST_DATA_ROW,
    HEADER_ROW,
    Sheet,
    finance_label,
)
from xlcollab.schema.lang import tr
from xlcollab.workbook.values import cell_value

__all__ = ["finance_workbook", "FinanceWorkbook", "TotalMismatch", "SUMMARY_HEADER_ROW"]

SUMMARY_HEADER_ROW = 3  # 汇总: title, period line, then the header
BLOCKS = (  # 汇总's blocks: label key, summary frame attribute, key columns
    ("by_department", "by_department", ("department",)),
    ("by_category", "by_category", ("category",)),
    ("by_line", "lines", ("department", "category")),
)


class TotalMismatch(AssertionError):
    """A total that is not the sum of its detail lines (a bug, never data)."""


def _col(sheet: Sheet, key: str) -> int:
    return sheet.keys.index(key) + 1


def _letter(sheet: Sheet, key: str) -> str:
    return col_letter(_col(sheet, key))


def _px(cm: float) -> int:
    return round(cm / 2.54 * 96)


def _total(ws, row: int, col: int, formula: str, fmt, value) -> None:
    """A formula with the value Python computed as its cached value."""
    cached = "" if value is None else float(value)
    ws.write_formula(row - 1, col - 1, formula, fmt, cached)


# ------------------------------------------------------------ the totals ---
def _check_totals(sm: FinanceSummary, trend: Trend, lang: str) -> None:
    """Every total equals the exact sum of the rows above it."""
    for block, attr, _ in BLOCKS:
        df = getattr(sm, attr)
        for key in FIGURES:
            exact = sum(df[key], Decimal("0.00")) if len(df) else Decimal("0.00")
            if exact != sm.total[key]:
                raise TotalMismatch(
                    f"{finance_label(block, lang)}/{key}: lines sum to {exact}, "
                    f"total is {sm.total[key]}"
                )
    cum = trend.cumulative
    for month in trend.months:
        exact = sum((cum.at[month, d] for d in trend.departments), Decimal("0.00"))
        if exact != cum.at[month, "total"]:
            raise TotalMismatch(f"trend {month}: {exact} != {cum.at[month, 'total']}")


# ------------------------------------------------------------------ 汇总 ---
def _remark(row, lang: str) -> str | None:
    parts = []
    if not row["budgeted"]:
        parts.append(finance_label("no_budget", lang))
    if row["over"]:
        parts.append(finance_label("over_budget", lang))
    return tr(lang, "；", "; ").join(parts) or None


def _summary_block(
    ws, F: Formats, start: int, title: str, df: pd.DataFrame, keys: tuple[str, ...], sm, lang
) -> int:
    """A section title row, one row per record, a total row of SUM formulas.
    Returns the next free row."""
    s = FIN_SUMMARY
    ws.write_string(start - 1, 0, title, F(styles.BOLD))
    first = start + 1
    r = first
    money, pct = {"num_format": styles.MONEY}, {"num_format": styles.PERCENT}
    for rec in df.to_dict("records"):
        mark = (
            styles.style("over_budget")
            if rec["over"]
            else (styles.style("warning") if not rec["budgeted"] else None)
        )
        cells = {key: (cell_value(s.col(key), rec[key], lang), mark) for key in keys}
        cells.update({key: (float(rec[key]), {**money, **(mark or {})}) for key in FIGURES})
        cells["used_pct"] = (rec["used_pct"], {**pct, **(mark or {})})
        cells["remark"] = (_remark(rec, lang), mark)
        for i, col in enumerate(s.columns, start=1):
            value, props = cells.get(col.key, (None, mark))
            write_value(ws, r, i, value, F(props), F(props, quote_prefix=True))
        r += 1
    last = r - 1
    total = styles.TOTAL
    cells = {keys[0]: finance_label("total", lang)}
    for i, col in enumerate(s.columns, start=1):
        if col.key in FIGURES:
            letter = _letter(s, col.key)
            formula = f"=SUM({letter}{first}:{letter}{last})" if last >= first else "=0"
            _total(ws, r, i, formula, F(total, money), sm.total[col.key])
        elif col.key == "used_pct":
            b, t = _letter(s, "budget"), _letter(s, "to_date")
            formula = f'=IF(N({b}{r})=0,"",{t}{r}/{b}{r})'
            _total(ws, r, i, formula, F(total, pct), sm.total["used_pct"])
        else:
            write_value(ws, r, i, cells.get(col.key), F(total), F(total, quote_prefix=True))
    return r + 2


def _summary_sheet(book, ws, F: Formats, sm: FinanceSummary, project: str, lang: str) -> None:
    s = FIN_SUMMARY
    title = (
        f"{finance_label('report', lang)} — {project}" if project else finance_label("report", lang)
    )
    write_value(ws, 1, 1, title, F(styles.TITLE), F(styles.TITLE, quote_prefix=True))
    sep = tr(lang, "：", ": ")
    to = tr(lang, " 至 ", " to ")
    line = (
        f"{finance_label('month', lang)}{sep}{sm.month}    "
        f"{finance_label('period', lang)}{sep}{sm.first_day}{to}{sm.last_day}"
    )
    if sm.n_month == 0:
        line += "    " + finance_label("no_expenses", lang)
    ws.write_string(1, 0, line)
    rows = [getattr(sm, attr) for _, attr, _ in BLOCKS]
    widths = [
        fit_money(c.width, [v for df in rows for v in df[c.key]], sm.total[c.key])
        if c.key in FIGURES
        else c.width
        for c in s.columns
    ]
    header_row(ws, F, [c.header(lang) for c in s.columns], widths, SUMMARY_HEADER_ROW)
    r = SUMMARY_HEADER_ROW + 1
    for block, attr, keys in BLOCKS:
        r = _summary_block(ws, F, r, finance_label(block, lang), getattr(sm, attr), keys, sm, lang)
    ws.freeze_panes(SUMMARY_HEADER_ROW, 0)
    styles.print_setup(ws, SUMMARY_HEADER_ROW)
    _budget_chart(book, ws, sm, lang)


def _axes(chart, lang: str) -> None:
    """Whole yuan on the value axis."""
    chart.set_y_axis({"name": finance_label("amount_axis", lang), "num_format": '"¥"#,##0'})


def _budget_chart(book, ws, sm: FinanceSummary, lang: str) -> None:
    n = len(sm.by_department)
    if n == 0:
        return
    s = FIN_SUMMARY
    first = SUMMARY_HEADER_ROW + 1  # 0-based: the row after the block title
    last = first + n - 1
    dept = _col(s, "department") - 1
    chart = book.add_chart({"type": "column"})
    for key in ("budget", "to_date"):
        c = _col(s, key) - 1
        chart.add_series(
            {
                "name": s.col(key).header(lang),
                "values": [ws.name, first, c, last, c],
                "categories": [ws.name, first, dept, last, dept],
            }
        )
    chart.set_title({"name": finance_label("budget_chart", lang)})
    _axes(chart, lang)
    chart.set_size({"width": _px(18), "height": _px(9)})
    ws.insert_chart(SUMMARY_HEADER_ROW, len(s.columns) + 1, chart)
    styles.chart_columns(ws, len(s.columns))


# -------------------------------------------------------------- 月度趋势 ---
def _trend_sheet(book, ws, F: Formats, trend: Trend, lang: str) -> None:
    s = FIN_TREND
    depts = trend.departments
    headers = [s.col("month").header(lang), *depts, s.col("total").header(lang)]
    widths = [s.col("month").width] + [
        fit_money(max(12, len(str(h)) * 2 + 2), trend.cumulative[key])
        for h, key in zip(headers[1:], [*depts, "total"], strict=True)
    ]
    header_row(ws, F, headers, widths, HEADER_ROW)
    money = F({"num_format": styles.MONEY})
    cum = trend.cumulative
    last_dept_col = col_letter(1 + len(depts))
    for r, month in enumerate(trend.months, start=FIRST_DATA_ROW):
        ws.write_string(r - 1, 0, month)
        for j, dept in enumerate(depts, start=1):
            ws.write_number(r - 1, j, float(cum.at[month, dept]), money)
        formula = f"=SUM(B{r}:{last_dept_col}{r})" if depts else "=0"
        _total(ws, r, len(headers), formula, money, cum.at[month, "total"])
    ws.freeze_panes(FIRST_DATA_ROW - 1, 1)
    styles.print_setup(ws, HEADER_ROW)
    last = FIRST_DATA_ROW + len(trend.months) - 1
    if depts:
        chart = book.add_chart({"type": "line"})
        for j in range(1, len(depts) + 1):
            chart.add_series(
                {
                    "name": [ws.name, HEADER_ROW - 1, j],
                    "values": [ws.name, FIRST_DATA_ROW - 1, j, last - 1, j],
                    "categories": [ws.name, FIRST_DATA_ROW - 1, 0, last - 1, 0],
                }
            )
        chart.set_title({"name": finance_label("trend_chart", lang)})
        _axes(chart, lang)
        chart.set_x_axis({"name": s.col("month").header(lang)})
        chart.set_size({"width": _px(22), "height": _px(11)})
        ws.insert_chart(last + 2, 0, chart)
        styles.chart_columns(ws, len(headers))


# ------------------------------------------------------------- the book ---
class FinanceWorkbook:
    """The finance workbook of one month, ready to be written: ``save(path)``
    writes the whole file in one pass (cached values included)."""

    def __init__(
        self,
        summary: FinanceSummary,
        trend: Trend,
        month_lines: pd.DataFrame,
        anomalies: pd.DataFrame,
        project: str,
        lang: str,
    ) -> None:
        _check_totals(summary, trend, lang)
        self.summary, self.trend = summary, trend
        self.month_lines, self.anomalies = month_lines, anomalies
        self.project, self.lang = project, lang

    def save(self, filename: str | Path) -> None:
        # the writer makes a few small objects per cell, none of them in a
        # cycle: the cyclic collector would only rescan the whole project's
        # frames again and again meanwhile
        with collector_paused():
            self._write(filename)

    def _write(self, filename: str | Path) -> None:
        from xlcollab.finance.book import ColumnBook

        lang, sm = self.lang, self.summary
        book = ColumnBook(
            str(filename),
            {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False},
        )
        F = Formats(book)
        sheets = {}
        for sheet in (FIN_SUMMARY, FIN_TREND, FIN_DETAIL, FIN_ANOMALIES):
            ws = sheets[sheet.key] = book.add_worksheet(sheet.name(lang), ColumnSheet)
            if sheet.tab_color:
                ws.set_tab_color(f"#{sheet.tab_color}")
        _summary_sheet(book, sheets[FIN_SUMMARY.key], F, sm, self.project, lang)
        _trend_sheet(book, sheets[FIN_TREND.key], F, self.trend, lang)
        detail = self.month_lines.copy()
        detail.insert(0, "source_row", list(self.month_lines.index))
        for sheet, df, key, label in (
            (FIN_DETAIL, detail, "description", "no_expenses"),
            (FIN_ANOMALIES, self.anomalies, "message", "no_anomalies"),
        ):
            table_sheet(sheets[sheet.key], F, sheet, df, lang, key, finance_label(label, lang))
        book.set_properties(
            {"title": f"{finance_label('report', lang)} {sm.month}", "author": "xlcollab"}
        )
        book.close()
        for ws in sheets.values():
            ws.free()


def finance_workbook(
    summary: FinanceSummary,
    trend: Trend,
    month_lines: pd.DataFrame,
    anomalies: pd.DataFrame,
    *,
    project: str = "",
    lang: str | None = None,
) -> FinanceWorkbook:
    """The finance workbook for one month.

    ``month_lines``: the month's expense lines (the expense frame's rows,
    indexed by ledger row); ``anomalies``: :func:`~.anomalies.month_anomalies`.
    Raises :class:`TotalMismatch` when a total is not the sum of its rows.
    """
    return FinanceWorkbook(summary, trend, month_lines, anomalies, project, lang or summary.lang)
