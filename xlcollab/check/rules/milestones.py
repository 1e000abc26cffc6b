"""Milestones and deliverables.

- A milestone whose date (actual, else planned) has passed needs the quality
  supervisor's review (a review date or a result).
- Deliverables of finished tasks must be accepted. "At closing" is decided
  so: a deliverable of a 已完成 task that is not accepted is flagged once the
  project is in its closing week (the status date on or after the Monday of
  the week holding the project's end date, or later), or once the task has
  been finished for more than :data:`ACCEPT_WITHIN_WORKDAYS` working days
  (its actual finish, else its planned finish) -- so a deliverable does not
  wait unnoticed until week 9.
- Task references on the deliverables, milestones, expenses and escalations
  sheets name existing WBS codes.
"""

from __future__ import annotations

import pandas as pd

from xlcollab.check.rules.base import (
    RuleContext,
    codes_of,
    join_names,
    norm_code,
    rows_where,
    rule,
    split_codes,
    text,
    unknown,
)
from xlcollab.check.rules.wbs import first_rows
from xlcollab.model import present
from xlcollab.model.dates import iso_date, to_dates
from xlcollab.schema import SHEETS, T

ACCEPT_WITHIN_WORKDAYS = 10  # two working weeks after a task is finished


@rule(
    "milestones.no_quality_review",
    "warning",
    sheet="milestones",
    zh="里程碑日期已过但没有质量评审",
    en="Milestone passed without a quality review",
)
def no_quality_review(ctx: RuleContext):
    df = ctx.table("milestones")
    actual, planned = to_dates(df["actual_date"]), to_dates(df["planned_date"])
    when = actual.where(actual.notna(), planned)
    reviewed = to_dates(df["review_date"]).notna() | present(df["review_result"])
    for row in rows_where(when.notna() & (when < ctx.today) & ~reviewed):
        yield ctx.finding(
            row,
            "review_date",
            name=text(df.at[row, "name"]),
            value=iso_date(when[row]),
            as_of=iso_date(ctx.as_of),
        )


def closing_from(ctx: RuleContext) -> pd.Timestamp | None:
    """The Monday of the week holding the project's end date."""
    _, end = ctx.period
    return None if end is None else end - pd.Timedelta(days=end.weekday())


@rule(
    "deliverables.not_accepted",
    "warning",
    sheet="deliverables",
    zh="已完成任务的交付物尚未验收",
    en="Deliverable of a finished task not accepted",
)
def not_accepted(ctx: RuleContext):
    dl, tasks = ctx.table("deliverables"), ctx.table("tasks")
    first = first_rows(ctx)
    task_code = dl["task"].map(norm_code)
    task_row = task_code.map(first)  # NaN when the task does not exist
    known = task_row.notna()
    if not known.any():
        return
    status = tasks["status"]
    finished = to_dates(tasks["actual_finish"])
    finished = finished.where(finished.notna(), to_dates(tasks["planned_finish"]))
    rows = task_row[known].astype("int64")
    done = pd.Series((status.reindex(rows.to_numpy()) == "done").to_numpy(), index=rows.index)
    accepted = dl["accepted"].astype("boolean").fillna(False).astype(bool)
    candidates = done & ~accepted[rows.index]
    if not candidates.any():
        return
    rows = rows[candidates]
    when = pd.Series(finished.reindex(rows.to_numpy()).to_numpy(), index=rows.index)
    start = closing_from(ctx)
    in_closing = start is not None and ctx.today >= start
    waited = ctx.cal.workdays_between_many(when, ctx.as_of)
    for row in rows.index:
        w = waited[row]
        if not (in_closing or (pd.notna(w) and w > ACCEPT_WITHIN_WORKDAYS)):
            continue
        yield ctx.finding(
            int(row),
            "accepted",
            template=None if in_closing else "deliverables.not_accepted_late",
            name=text(dl.at[row, "name"]),
            task=task_code[row],
            finished=iso_date(when[row]),
            days=int(w) if pd.notna(w) else 0,
            limit=ACCEPT_WITHIN_WORKDAYS,
        )


# every task reference on a sheet other than the task checklist
_REF_COLS = [
    (s.key, c.key)
    for s in SHEETS.values()
    if s.key not in ("tasks", "gantt")
    for c in s.columns
    if c.type is T.REF and c.is_input
]


@rule(
    "refs.unknown_task",
    "error",
    sheet="deliverables",
    zh="关联任务的WBS编码不存在",
    en="Task reference names no WBS code",
)
def unknown_task(ctx: RuleContext):
    known = set(first_rows(ctx))
    tasks_sheet = ctx.sheet_name("tasks")
    for sheet, key in _REF_COLS:
        if not SHEETS[sheet].col(key).multiple:  # one code a cell: vectorised
            c = codes_of(ctx.table(sheet)[key])
            yield from ctx.findings_where(
                unknown(c, known), key, sheet=sheet, value=c, tasks=tasks_sheet
            )
            continue
        s = ctx.table(sheet)[key]
        has = present(s)
        for row, value in zip(s.index[has.to_numpy()], s[has], strict=False):
            missing = [c for c in split_codes(value) if c not in known]
            if missing:
                yield ctx.finding(
                    int(row),
                    key,
                    sheet=sheet,
                    value=join_names(missing, ctx.lang),
                    tasks=tasks_sheet,
                )
