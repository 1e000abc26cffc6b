"""Approval: once the planning phase is over (the Monday of project week
``planning_weeks + 1``, week 1 being the week of the start date), every task
carries the project lead's approval (《跨部门任务协作清单》 is published
after the lead approves it; tasks added later need approval too)."""

from __future__ import annotations

import pandas as pd

from xlcollab.check.rules.base import RuleContext, rule
from xlcollab.model.dates import iso_date


def planning_over(ctx: RuleContext) -> pd.Timestamp | None:
    """The first day after planning, or None without a start date."""
    start, _ = ctx.period
    if start is None:
        return None
    week1 = start - pd.Timedelta(days=start.weekday())
    return week1 + pd.Timedelta(weeks=ctx.int_setting("planning_weeks"))


@rule(
    "tasks.not_approved",
    "error",
    sheet="tasks",
    zh="计划阶段结束后任务未经总负责人审批",
    en="Task not approved by the project lead after planning",
)
def not_approved(ctx: RuleContext):
    since = planning_over(ctx)
    if since is None or ctx.today < since:
        return
    df = ctx.table("tasks")
    approved = df["approved"].astype("boolean").fillna(False).astype(bool)
    yield from ctx.findings_where(~approved, "approved", since=iso_date(since))
