"""Monthly finance: budget against actual, the spending trend, the month's
anomalies, the finance workbook and the fund usage report.

Everything here is pure on ProjectData frames (no paths); the command line
(``xlcollab finance``) reads the workbook and saves what these return.
"""

from xlcollab.core.figures.money import FinanceSummary, month_expenses, monthly_summary
from xlcollab.core.money import month_bounds, month_period, to_fen, yuan

__all__ = [
    "FinanceSummary",
    "monthly_summary",
    "month_expenses",
    "month_period",
    "month_bounds",
    "to_fen",
    "yuan",
]
