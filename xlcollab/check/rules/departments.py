"""Departments: cross-department project work counts for at least 10% of
each department's annual KPI (六、考核与激励)."""

from __future__ import annotations

import pandas as pd

from xlcollab.check.rules.base import RuleContext, fmt_pct, rows_where, rule, text

MIN_KPI_WEIGHT = 0.10


@rule(
    "departments.kpi_weight_low",
    "warning",
    sheet="departments",
    zh="跨部门协同考核权重低于10%",
    en="Cross-department KPI weight below 10%",
)
def kpi_weight_low(ctx: RuleContext):
    df = ctx.table("departments")
    w = pd.to_numeric(df["kpi_weight"], errors="coerce").astype("float64")
    for row in rows_where((w.round(6) < MIN_KPI_WEIGHT).fillna(False)):
        yield ctx.finding(
            row,
            "kpi_weight",
            department=text(df.at[row, "name"]),
            value=fmt_pct(w[row]),
            minimum=fmt_pct(MIN_KPI_WEIGHT),
        )
