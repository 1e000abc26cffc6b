"""The WBS: codes unique and well formed (digits separated by dots), every
code's parent present, predecessors present, no dependency cycles (the
finding names the cycle), and no task planned to start before a
predecessor's planned finish (nor started before its actual finish)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from xlcollab.check.rules.base import (
    RuleContext,
    codes_of,
    join_names,
    rule,
    split_codes,
)
from xlcollab.core.graph import cyclic_components
from xlcollab.model.dates import to_dates

_WELL_FORMED = re.compile(r"^\d+(\.\d+)*$")


def codes(ctx: RuleContext) -> pd.Series:
    """The tasks' WBS codes, normalised (NFKC, stripped; '' when empty)."""
    return ctx.cached("wbs_codes", lambda: codes_of(ctx.table("tasks")["wbs"]))


def first_rows(ctx: RuleContext) -> dict[str, int]:
    """code -> the Excel row of its first occurrence."""

    def make():
        c = codes(ctx)
        c = c[c != ""]
        return dict(zip(c[~c.duplicated()], c.index[~c.duplicated()], strict=False))

    return ctx.cached("wbs_first_rows", make)


def predecessor_pairs(ctx: RuleContext) -> pd.DataFrame:
    """One row per (task row, predecessor code as written, normalised)."""

    def make():
        df = ctx.table("tasks")
        preds = df["predecessors"]
        has = preds.notna()
        rows, found = [], []
        for row, value in zip(preds.index[has.to_numpy()], preds[has], strict=False):
            for code in split_codes(value):
                rows.append(row)
                found.append(code)
        return pd.DataFrame(
            {"row": pd.Series(rows, dtype="int64"), "pred": pd.Series(found, dtype=object)}
        )

    return ctx.cached("wbs_pred_pairs", make)


@rule("wbs.duplicate", "error", sheet="tasks", zh="WBS编码重复", en="Duplicate WBS code")
def duplicate(ctx: RuleContext):
    c = codes(ctx)
    first = first_rows(ctx)
    dup = (c != "") & c.duplicated()
    yield from ctx.findings_where(dup, "wbs", value=c, other_row=c[dup].map(first))


def well_formed(ctx: RuleContext) -> pd.Series:
    """Where a task's WBS code is digits separated by dots."""

    def make():
        c = codes(ctx)
        match = _WELL_FORMED.match
        ok = [isinstance(v, str) and match(v) is not None for v in c.tolist()]
        return pd.Series(ok, index=c.index, dtype=bool)

    return ctx.cached("wbs_well_formed", make)


@rule("wbs.malformed", "error", sheet="tasks", zh="WBS编码格式不正确", en="Malformed WBS code")
def malformed(ctx: RuleContext):
    c = codes(ctx)
    yield from ctx.findings_where((c != "") & ~well_formed(ctx), "wbs", value=c)


@rule(
    "wbs.parent_missing",
    "error",
    sheet="tasks",
    zh="WBS上级编码不存在",
    en="Parent WBS code missing",
)
def parent_missing(ctx: RuleContext):
    c = codes(ctx)
    ok = well_formed(ctx) & pd.Series(["." in v for v in c.tolist()], index=c.index, dtype=bool)
    parent = pd.Series(
        [v.rpartition(".")[0] if o else "" for v, o in zip(c.tolist(), ok.tolist(), strict=True)],
        index=c.index,
        dtype=object,
    )
    known = set(first_rows(ctx))
    mask = ok & ~parent.isin(known)
    yield from ctx.findings_where(mask, "wbs", value=c, parent=parent)


@rule(
    "wbs.predecessor_missing",
    "error",
    sheet="tasks",
    zh="前置任务的WBS编码不存在",
    en="Predecessor WBS code does not exist",
)
def predecessor_missing(ctx: RuleContext):
    pairs = predecessor_pairs(ctx)
    if pairs.empty:
        return
    known = set(first_rows(ctx))
    bad = pairs[~pairs["pred"].isin(known)]
    for row, group in bad.groupby("row", sort=True)["pred"]:
        yield ctx.finding(int(row), "predecessors", value=join_names(group, ctx.lang))


def _cycles(edges: dict[str, list[str]]) -> list[list[str]]:
    """One cycle per strongly connected component that has one, as a list
    of codes whose last element equals its first."""
    sccs = cyclic_components(list(edges), lambda code: edges.get(code, ()))
    cycles = []
    for comp in sccs:
        members = set(comp)
        start = min(comp, key=lambda c: tuple(int(p) if p.isdigit() else 0 for p in c.split(".")))
        path, seen = [start], {start: 0}
        node = start
        while True:  # every member has an edge inside the component
            node = next(n for n in edges[node] if n in members)
            if node in seen:
                cycles.append(path[seen[node] :] + [node])
                break
            seen[node] = len(path)
            path.append(node)
    return cycles


@rule(
    "wbs.cycle", "error", sheet="tasks", zh="前置任务形成循环依赖", en="Predecessors form a cycle"
)
def cycle(ctx: RuleContext):
    pairs = predecessor_pairs(ctx)
    if pairs.empty:
        return
    first = first_rows(ctx)
    code_of = {row: code for code, row in first.items()}
    edges: dict[str, list[str]] = {}
    upward = True  # every predecessor on a row above its task's
    for row, pred in zip(pairs["row"].tolist(), pairs["pred"].tolist(), strict=False):
        code = code_of.get(int(row))
        if code is not None and pred in first:
            edges.setdefault(code, []).append(pred)
            upward = upward and first[pred] < row
    if upward:  # the rows are in dependency order: no cycle
        return
    for cyc in _cycles(edges):
        yield ctx.finding(first[cyc[0]], "predecessors", cycle=" → ".join(cyc))


@rule(
    "wbs.starts_before_predecessor",
    "warning",
    sheet="tasks",
    zh="任务开始早于前置任务完成",
    en="Task starts before its predecessor finishes",
)
def starts_before_predecessor(ctx: RuleContext):
    pairs = predecessor_pairs(ctx)
    if pairs.empty:
        return
    df = ctx.table("tasks")
    first = first_rows(ctx)
    pairs = pairs[pairs["pred"].isin(first.keys())]
    if pairs.empty:
        return
    pred = pairs["pred"].to_numpy()
    row = pairs["row"].to_numpy()
    # each pair's task and predecessor by position in the sheet's columns
    at_row = df.index.get_indexer(row)
    at_pred = df.index.get_indexer([first[p] for p in pred.tolist()])
    for start_key, finish_key, template in (
        ("planned_start", "planned_finish", None),
        ("actual_start", "actual_finish", "wbs.started_before_predecessor"),
    ):
        start = _datetimes(df[start_key])[at_row]
        finish = _datetimes(df[finish_key])[at_pred]
        late = ~np.isnat(start) & ~np.isnat(finish) & (start < finish)
        # one finding per task and kind: its first late predecessor
        hits, seen = [], set()
        for i in np.flatnonzero(late).tolist():
            if row[i] not in seen:
                seen.add(row[i])
                hits.append(i)
        yield from ctx.findings_at(
            row[hits].tolist(),
            start_key,
            template=template,
            per_row={
                "value": _iso(start[hits]),
                "pred": pred[hits].tolist(),
                "pred_finish": _iso(finish[hits]),
            },
        )


def _datetimes(s: pd.Series) -> np.ndarray:
    """A date column as a numpy datetime64 array (NaT where empty)."""
    d = to_dates(s).to_numpy()
    return d if d.dtype.kind == "M" else d.astype("datetime64[ns]")


def _iso(days: np.ndarray) -> list[str]:
    """Dates (none missing) as ISO text, as :func:`iso_dates` writes them."""
    return days.astype("datetime64[D]").astype(str).tolist()
