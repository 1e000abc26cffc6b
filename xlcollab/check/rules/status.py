"""Task status consistent with dates, progress and the blocked reason:
已完成 needs an actual finish and 100%; 未开始 has no progress and no
actual start; 阻塞 names its reason; 进行中 has an actual start."""

from __future__ import annotations

import pandas as pd

from xlcollab.check.rules.base import RuleContext, rule
from xlcollab.model import present
from xlcollab.model.dates import to_dates
from xlcollab.schema import STATUS
from xlcollab.schema.lang import tr


def _status(ctx: RuleContext, key: str) -> pd.Series:
    return (ctx.table("tasks")["status"] == key).fillna(False).astype(bool)


def _label(ctx: RuleContext, key: str) -> str:
    return STATUS.label(key, ctx.data.lang)


def _pct_text(p: pd.Series) -> pd.Series:
    """Progress as '60%' text ('' where empty)."""
    out = (p * 100).round(0).astype("Int64").astype(str) + "%"
    return out.where(p.notna(), "").astype(object)


def _progress(ctx: RuleContext) -> pd.Series:
    return pd.to_numeric(ctx.table("tasks")["progress"], errors="coerce").astype("float64")


@rule(
    "tasks.done_without_finish",
    "error",
    sheet="tasks",
    zh="已完成的任务没有实际完成日期",
    en="Done task without an actual finish",
)
def done_without_finish(ctx: RuleContext):
    df = ctx.table("tasks")
    yield from ctx.findings_where(
        _status(ctx, "done") & to_dates(df["actual_finish"]).isna(),
        "actual_finish",
        status=_label(ctx, "done"),
    )


@rule(
    "tasks.done_not_complete",
    "error",
    sheet="tasks",
    zh="已完成的任务完成比例不是100%",
    en="Done task not at 100%",
)
def done_not_complete(ctx: RuleContext):
    p = _progress(ctx)
    mask = _status(ctx, "done") & ~(p.round(6) == 1.0).fillna(False)
    empty = tr(ctx.lang, "空白", "empty")
    shown = _pct_text(p).where(p.notna(), empty)
    yield from ctx.findings_where(mask, "progress", status=_label(ctx, "done"), value=shown)


@rule(
    "tasks.not_started_with_progress",
    "warning",
    sheet="tasks",
    zh="未开始的任务已有完成比例或实际开始日期",
    en="Not-started task with progress or an actual start",
)
def not_started_with_progress(ctx: RuleContext):
    df = ctx.table("tasks")
    ns = _status(ctx, "not_started")
    p = _progress(ctx)
    started = to_dates(df["actual_start"])
    progressed = (p > 0).fillna(False).astype(bool)
    yield from ctx.findings_where(
        ns & progressed, "progress", status=_label(ctx, "not_started"), value=_pct_text(p)
    )
    yield from ctx.findings_where(
        ns & ~progressed & started.notna(),
        "actual_start",
        template="tasks.not_started_with_start",
        status=_label(ctx, "not_started"),
        value=started,
    )


@rule(
    "tasks.blocked_without_reason",
    "error",
    sheet="tasks",
    zh="阻塞的任务没有填写阻塞原因",
    en="Blocked task without a reason",
)
def blocked_without_reason(ctx: RuleContext):
    df = ctx.table("tasks")
    yield from ctx.findings_where(
        _status(ctx, "blocked") & ~present(df["blocked_reason"]),
        "blocked_reason",
        status=_label(ctx, "blocked"),
    )


@rule(
    "tasks.in_progress_without_start",
    "info",
    sheet="tasks",
    zh="进行中的任务没有实际开始日期",
    en="In-progress task without an actual start",
)
def in_progress_without_start(ctx: RuleContext):
    df = ctx.table("tasks")
    yield from ctx.findings_where(
        _status(ctx, "in_progress") & to_dates(df["actual_start"]).isna(),
        "actual_start",
        status=_label(ctx, "in_progress"),
    )
