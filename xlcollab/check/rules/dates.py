"""Dates: start before finish, actual dates not in the future, dates inside
the project period (the overview's start and end dates)."""

from __future__ import annotations

from xlcollab.check.rules.base import RuleContext, rule
from xlcollab.model.dates import iso_date, to_dates


def _before(ctx: RuleContext, sheet: str, early: str, late: str):
    """Rows where column ``late`` holds a date earlier than column ``early``."""
    df = ctx.table(sheet)
    a, b = to_dates(df[early]), to_dates(df[late])
    mask = a.notna() & b.notna() & (b < a)
    yield from ctx.findings_where(
        mask, late, value=b, other=ctx.header(early, sheet), other_value=a
    )


@rule(
    "overview.end_before_start",
    "error",
    sheet="overview",
    zh="项目结束日期早于开始日期",
    en="The project ends before it starts",
)
def end_before_start(ctx: RuleContext):
    start, end = ctx.period
    if start is not None and end is not None and end < start:
        yield ctx.finding(
            None,
            "end_date",
            value=iso_date(end),
            other=ctx.header("start_date"),
            other_value=iso_date(start),
        )


@rule(
    "tasks.finish_before_start",
    "error",
    sheet="tasks",
    zh="计划完成日期早于计划开始日期",
    en="Planned finish before planned start",
)
def finish_before_start(ctx: RuleContext):
    yield from _before(ctx, "tasks", "planned_start", "planned_finish")


@rule(
    "tasks.actual_finish_before_start",
    "error",
    sheet="tasks",
    zh="实际完成日期早于实际开始日期",
    en="Actual finish before actual start",
)
def actual_finish_before_start(ctx: RuleContext):
    yield from _before(ctx, "tasks", "actual_start", "actual_finish")


@rule(
    "tasks.actual_in_future",
    "error",
    sheet="tasks",
    zh="实际开始/完成日期晚于状态日期",
    en="Actual start or finish after the status date",
)
def actual_in_future(ctx: RuleContext):
    df = ctx.table("tasks")
    for key in ("actual_start", "actual_finish"):
        d = to_dates(df[key])
        yield from ctx.findings_where(
            d.notna() & (d > ctx.today), key, value=d, as_of=iso_date(ctx.as_of)
        )


def _outside(ctx: RuleContext, sheet: str, keys: tuple[str, ...]):
    start, end = ctx.period
    if start is None or end is None or end < start:
        return
    df = ctx.table(sheet)
    for key in keys:
        d = to_dates(df[key])
        mask = d.notna() & ((d < start) | (d > end))
        yield from ctx.findings_where(mask, key, value=d, start=iso_date(start), end=iso_date(end))


@rule(
    "tasks.outside_period",
    "warning",
    sheet="tasks",
    zh="任务计划日期超出项目周期",
    en="Task dates outside the project period",
)
def tasks_outside_period(ctx: RuleContext):
    yield from _outside(ctx, "tasks", ("planned_start", "planned_finish"))


@rule(
    "milestones.outside_period",
    "warning",
    sheet="milestones",
    zh="里程碑日期超出项目周期",
    en="Milestone date outside the project period",
)
def milestones_outside_period(ctx: RuleContext):
    yield from _outside(ctx, "milestones", ("planned_date",))
