"""The risk register: high risks (score from the 参数 thresholds, as
:func:`xlcollab.core.flags.risk_flags` computes it) have a contingency plan and
an owner; reviews are no older than the cadence (``risk_review_days``,
calendar days; closed risks excepted); risk IDs are unique."""

from __future__ import annotations

import pandas as pd

from xlcollab.check.rules.base import RuleContext, norm_code, rows_where, rule
from xlcollab.core import flags
from xlcollab.model import present
from xlcollab.model.dates import iso_date


def risk_flags(ctx: RuleContext) -> pd.DataFrame:
    return ctx.cached(
        "risk_flags",
        lambda: flags.risk_flags(
            ctx.table("risks"),
            ctx.as_of,
            ctx.int_setting("risk_medium"),
            ctx.int_setting("risk_high"),
            ctx.int_setting("risk_review_days"),
        ),
    )


def _high_open(ctx: RuleContext) -> pd.Series:
    df = ctx.table("risks")
    high = (risk_flags(ctx)["level"] == "high").fillna(False).astype(bool)
    return high & ~(df["status"] == "closed").fillna(False).astype(bool)


@rule(
    "risks.high_without_plan",
    "error",
    sheet="risks",
    zh="高风险没有应急预案",
    en="High risk without a contingency plan",
)
def high_without_plan(ctx: RuleContext):
    df = ctx.table("risks")
    score = risk_flags(ctx)["score"]
    for row in rows_where(_high_open(ctx) & ~present(df["contingency"])):
        yield ctx.finding(
            row, "contingency", risk=norm_code(df.at[row, "risk_id"]), score=score[row]
        )


@rule(
    "risks.high_without_owner",
    "error",
    sheet="risks",
    zh="高风险没有责任人",
    en="High risk without an owner",
)
def high_without_owner(ctx: RuleContext):
    df = ctx.table("risks")
    score = risk_flags(ctx)["score"]
    for row in rows_where(_high_open(ctx) & ~present(df["owner"])):
        yield ctx.finding(row, "owner", risk=norm_code(df.at[row, "risk_id"]), score=score[row])


@rule(
    "risks.review_overdue",
    "warning",
    sheet="risks",
    zh="风险复核超过复核周期",
    en="Risk review older than the cadence",
)
def review_overdue(ctx: RuleContext):
    df = ctx.table("risks")
    overdue = risk_flags(ctx)["review_overdue"].fillna(False).astype(bool)
    sub = df[overdue.to_numpy(dtype=bool)]
    # reviewed risks (key False) and risks never reviewed (key True): rows and values
    rows: dict[bool, list[int]] = {False: [], True: []}
    values: dict[bool, dict[str, list]] = {k: {"risk": [], "value": [], "age": []} for k in rows}
    for row, last, identified, risk in zip(
        sub.index, sub["last_review"], sub["identified"], sub["risk_id"], strict=True
    ):
        never = not pd.notna(last)
        ref = identified if never else last
        rows[never].append(row)
        values[never]["risk"].append(norm_code(risk))
        values[never]["value"].append(iso_date(ref))
        values[never]["age"].append((ctx.today - pd.Timestamp(ref)).days)
    found = []
    for never in (False, True):
        found += ctx.findings_at(
            rows[never],
            "last_review",
            template="risks.never_reviewed" if never else None,
            per_row=values[never],
            days=ctx.int_setting("risk_review_days"),
            identified=ctx.header("identified"),
        )
    yield from sorted(found, key=lambda f: f.row or 0)


@rule("risks.duplicate_id", "error", sheet="risks", zh="风险编号重复", en="Duplicate risk ID")
def duplicate_id(ctx: RuleContext):
    ids = ctx.table("risks")["risk_id"].map(norm_code)
    ids_cf = ids.str.casefold()
    dup = (ids != "") & ids_cf.duplicated()
    first: dict[str, int] = {}
    for row, key in zip(ids.index, ids_cf, strict=False):
        first.setdefault(key, row)
    for row in rows_where(dup):
        yield ctx.finding(row, "risk_id", value=ids[row], other_row=first[ids_cf[row]])
