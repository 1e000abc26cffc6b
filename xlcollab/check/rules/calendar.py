"""The calendar: dates in years whose holidays neither the calendar package
nor the 节假日 sheet know. Working days there are a Monday-Friday guess, so
one warning names those years and the sheet to complete."""

from __future__ import annotations

import numpy as np

from xlcollab.check.rules.base import RuleContext, join_names, rule
from xlcollab.model.dates import to_dates

# the dates whose working days matter: the schedule and the status date
_DATE_COLS = {
    "tasks": ("planned_start", "planned_finish", "actual_start", "actual_finish"),
    "milestones": ("planned_date", "actual_date"),
}


@rule(
    "calendar.uncovered_years",
    "warning",
    sheet="holidays",
    zh="日期所在年份的节假日安排未知",
    en="Holidays unknown for some years",
)
def uncovered_years(ctx: RuleContext):
    years: set[int] = {ctx.as_of.year}
    for sheet, keys in _DATE_COLS.items():
        df = ctx.table(sheet)
        for key in keys:
            d = to_dates(df[key])
            if d.dtype.kind == "M":  # numpy datetimes: the years at C speed
                days = d.to_numpy()
                days = days[~np.isnat(days)]
                years.update((days.astype("datetime64[Y]").astype(np.int64) + 1970).tolist())
            else:
                years.update(int(y) for y in d.dt.year.dropna().unique())
    for d in ctx.period:
        if d is not None:
            years.add(d.year)
    covered = ctx.cal.covered_years
    missing = sorted(y for y in years if y not in covered)
    if missing:
        yield ctx.finding(
            None,
            "date",
            years=join_names((str(y) for y in missing), ctx.lang),
            holidays=ctx.sheet_name("holidays"),
        )
