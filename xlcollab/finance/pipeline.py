"""One month's finance, end to end on ProjectData: the summary, the trend,
the month's lines and anomalies, and the file name."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from xlcollab.core.figures import ROLLUP_COLUMNS, figures
from xlcollab.core.figures.money import FinanceSummary, month_expenses
from xlcollab.core.money import month_period
from xlcollab.finance.anomalies import expense_findings, month_anomalies
from xlcollab.finance.trend import Trend, spending_trend
from xlcollab.model import ProjectData
from xlcollab.model.findings import Finding
from xlcollab.schema import finance_label

__all__ = ["MonthlyFinance", "monthly_finance", "finance_filename", "SHEETS_USED"]

#: the sheets a month's finance (the workbook and the Word report) uses: the
#: ledger and the budget; the team, the departments and the tasks' WBS codes
#: that the expense lines name (what their checks look up); the tasks' phases
#: and planned starts (the report's project phase; summary rows take theirs
#: from the rows under them, so the rolled-up columns are read too); the
#: overview (the project, its period, its start week) and the holidays (the
#: working-day calendar). The settings and the lists are always read. The
#: rest of the master holds nothing the finance outputs show: ``xlcollab
#: finance`` reads only these (see :func:`xlcollab.io.read_workbook`).
SHEETS_USED: dict[str, tuple[str, ...] | None] = {
    "overview": None,
    "team": None,
    "departments": None,
    "tasks": ("wbs", "phase", *ROLLUP_COLUMNS),
    "budget": None,
    "expenses": None,
    "holidays": None,
}


@dataclass
class MonthlyFinance:
    project: str
    month: str
    lang: str
    summary: FinanceSummary
    trend: Trend
    lines: pd.DataFrame  # the month's expense lines (ledger rows as index)
    anomalies: pd.DataFrame  # FIN_ANOMALIES columns
    findings: list[Finding]  # every finding on the expense sheet (all months)

    def workbook(self):
        from xlcollab.finance.workbook import finance_workbook

        return finance_workbook(
            self.summary,
            self.trend,
            self.lines,
            self.anomalies,
            project=self.project,
            lang=self.lang,
        )

    def filename(self, ext: str = "xlsx") -> str:
        return finance_filename(self.project, self.month, self.lang, ext)


def monthly_finance(
    data: ProjectData,
    month,
    as_of: dt.date,
    cal,
    lang: str | None = None,
    findings: list[Finding] | None = None,
) -> MonthlyFinance:
    """Everything the finance workbook and report show for ``month``.
    ``findings``: the expense sheet's findings when the caller already has
    them (default: :func:`~.anomalies.expense_findings`)."""
    lang = lang or data.lang
    p = month_period(month)
    expenses = data.tables["expenses"]
    summary = figures(data, as_of, cal).money_month(p, lang)  # to the month's end
    trend = spending_trend(
        expenses, p, lang, departments=summary.by_department["department"].tolist()
    )
    if findings is None:
        findings = expense_findings(data, as_of, cal, lang)
    return MonthlyFinance(
        project=str(data.overview.get("name") or "").strip(),
        month=summary.month,
        lang=lang,
        summary=summary,
        trend=trend,
        lines=month_expenses(expenses, p),
        anomalies=month_anomalies(data, p, findings),
        findings=findings,
    )


def finance_filename(project: str, month: str, lang: str = "zh", ext: str = "xlsx") -> str:
    """``项目资金使用报告_<project>_<YYYY-MM>.xlsx`` (en:
    ``fund-usage-report_<project>_<YYYY-MM>.xlsx``), safe on Windows."""
    from xlcollab.reports.names import report_filename

    return report_filename(finance_label("file_stem", lang), project, month, ext)
