"""Random edit scripts across several department packs (pure frames).

Each script edits the packs of three departments: their own rows in
editable columns (allowed), other departments' rows and locked columns
(forbidden), deletes and re-sorts rows and adds tasks under their own
parents, while the master is edited concurrently. After every pack is
merged, each allowed change is in the master exactly once, nothing
forbidden is, and merging the same packs again changes nothing.
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xlcollab.packs.fingerprint import canonical, row_ids
from xlcollab.packs.merge import apply_to_frames, merge_plan
from xlcollab.packs.read import pack_from_plan
from xlcollab.packs.split import split_plan
from xlcollab.schema import PACK_ROW_ID, PACK_RULES
from xlcollab.workbook.demo import demo_project

DEPTS = ("信息技术部", "财务部", "客户服务部")
PEOPLE = {"信息技术部": "高远", "财务部": "徐慧", "客户服务部": "郑雅琴"}  # one of each
EDITS = {  # sheet -> (editable column, its values), (locked column, its values)
    "tasks": (("notes", ["甲", "乙", "丙"]), ("name", ["改名A", "改名B"])),
    "risks": (("contingency", ["预案一", "预案二"]), ("category", ["其他"])),
    "expenses": (("description", ["摘要一", "摘要二"]), ("department", ["市场部"])),
    "meetings": (("action_done", [True, False]), ("action_item", ["新待办"])),
}


@pytest.fixture(scope="module")
def master():
    return demo_project()


@pytest.fixture(scope="module")
def plans(master):
    return {d: split_plan(master, d, "2026-04-01T09:00:00") for d in DEPTS}


op = st.tuples(
    st.sampled_from(["own", "other", "locked", "master", "new", "delete", "resort"]),
    st.sampled_from(DEPTS),
    st.sampled_from(sorted(PACK_RULES)),
    st.integers(0, 10_000),
    st.integers(0, 10_000),
)


@settings(
    max_examples=220, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(script=st.lists(op, min_size=1, max_size=14))
def test_every_allowed_change_once_and_nothing_forbidden(master, plans, script):
    m = master
    # the master's row of each pack row id
    mids = {s: {i: r for r, i in row_ids(s, m.tables[s]).items()} for s in PACK_RULES}
    frames = {d: {s: p.data.tables[s].copy() for s in PACK_RULES} for d, p in plans.items()}
    for d, p in plans.items():
        for s in PACK_RULES:
            frames[d][s][PACK_ROW_ID.key] = p.ids[s]
    mtables = {s: m.tables[s].copy() for s in PACK_RULES}
    allowed: dict[tuple, object] = {}  # (sheet, master row, column) -> value
    forbidden: set[tuple] = set()  # (sheet, master row, column)
    touched_master: set[tuple] = set()  # (sheet, master row)
    deleted: set[tuple] = set()  # (dept, sheet, id)
    new_rows: list[tuple[str, dict]] = []  # (sheet, values) added in the packs
    edited: dict[tuple, dict] = {}  # (dept, sheet, id) -> {column: value}

    for kind, dept, sheet, a, b in script:
        f = frames[dept][sheet]
        plan = plans[dept]
        own_ids = [i for i, o in zip(plan.ids[sheet], plan.own[sheet], strict=True) if o]
        other_ids = [i for i, o in zip(plan.ids[sheet], plan.own[sheet], strict=True) if not o]
        (ecol, evals), (lcol, lvals) = EDITS[sheet]
        if kind in ("own", "locked", "other"):
            ids = other_ids if kind == "other" else own_ids
            ids = [i for i in ids if (dept, sheet, i) not in deleted]
            if not ids:
                continue
            rid = ids[a % len(ids)]
            col, vals = (lcol, lvals) if kind == "locked" else (ecol, evals)
            value = vals[b % len(vals)]
            prow = f.index[f[PACK_ROW_ID.key] == rid][0]
            f[col] = f[col].astype(object)
            f.at[prow, col] = value
            edited.setdefault((dept, sheet, rid), {})[col] = value
        elif kind == "master":
            rows = list(mtables[sheet].index)
            row = rows[a % len(rows)]
            col = EDITS[sheet][0][0]
            value = "主改" if col != "action_done" else True
            mtables[sheet][col] = mtables[sheet][col].astype(object)
            if canonical(mtables[sheet].at[row, col]) != canonical(value):
                touched_master.add((sheet, row))  # an edit that keeps the value changes nothing
            mtables[sheet].at[row, col] = value
        elif kind == "delete":
            ids = [i for i in own_ids if (dept, sheet, i) not in deleted]
            if not ids:
                continue
            rid = ids[a % len(ids)]
            frames[dept][sheet] = f[f[PACK_ROW_ID.key] != rid]
            deleted.add((dept, sheet, rid))
        elif kind == "resort":
            order = list(f.index)
            k = a % max(len(order), 1)
            order = order[k:] + order[:k]
            frames[dept][sheet] = f.loc[order[::-1] if b % 2 else order]
        elif kind == "new":
            n = len(new_rows)
            person = PEOPLE[dept]
            if sheet == "tasks":
                parents = [i[2:] for i in own_ids]
                if not parents:
                    continue
                values = dict(
                    wbs=f"{parents[a % len(parents)]}.{90 + n}",
                    name="新任务",
                    owner=person,
                    status="not_started",
                )
                if b % 2:  # an empty department means the pack's own
                    values["department"] = dept
            elif sheet == "risks":
                values = dict(
                    risk_id=f"RN{n}",
                    description="新风险",
                    category="其他",
                    probability=2,
                    impact=3,
                    status="open",
                    identified=pd.Timestamp(2026, 4, 1),
                    owner=person,
                )
            elif sheet == "expenses":
                values = dict(
                    date=pd.Timestamp(2026, 4, 1),
                    department=dept,
                    category="其他",
                    amount=Decimal("12.30"),
                    description=f"新费用{n}",
                )
            else:  # action items come from the meetings: a pack cannot add them
                values = dict(action_item=f"新待办{n}", action_owner=person)
            new_rows.append((sheet, values))
            rec = {c: None for c in f.columns}
            rec.update(values)
            rec[PACK_ROW_ID.key] = ""
            add = pd.DataFrame([rec], index=[int(f.index.max()) + 1 if len(f) else 2])
            frames[dept][sheet] = pd.concat([f.astype(object), add.astype(object)])

    # what each edit should do
    for (dept, sheet, rid), cols in edited.items():
        if (dept, sheet, rid) in deleted:
            continue
        row = mids[sheet][rid]
        own = rid in [
            i for i, o in zip(plans[dept].ids[sheet], plans[dept].own[sheet], strict=True) if o
        ]
        base = plans[dept].base[sheet][rid]
        for col, value in cols.items():
            if canonical(value) == base[col]:
                continue
            ok = own and col in PACK_RULES[sheet].editable and (sheet, row) not in touched_master
            if ok:
                allowed[(sheet, row, col)] = value
            else:
                forbidden.add((sheet, row, col))

    from xlcollab.model import ProjectData

    current = ProjectData(
        tables={**m.tables, **mtables},
        overview=m.overview,
        settings=m.settings,
        lists=m.lists,
        lang=m.lang,
    )
    before = {s: current.tables[s].copy() for s in PACK_RULES}
    packs = {d: pack_from_plan(plans[d], frames[d]) for d in DEPTS}
    applied: list = []
    for d in DEPTS:
        plan = merge_plan(current, packs[d])
        applied += [(c.sheet, c.row, c.column) for c in plan.changes]
        current = apply_to_frames(current, plan)

    # allowed: applied exactly once, with the pack's value
    assert len(applied) == len(set(applied))
    for (sheet, row, col), value in allowed.items():
        assert (sheet, row, col) in applied
        assert canonical(current.tables[sheet].at[row, col]) == canonical(value)
    # forbidden: the master keeps its own value
    for sheet, row, col in forbidden:
        if (sheet, row, col) in allowed:
            continue  # another pack (the owner's) set it, allowed there
        assert (sheet, row, col) not in applied
        assert canonical(current.tables[sheet].at[row, col]) == canonical(
            before[sheet].at[row, col]
        )
    # nothing else changed
    assert set(applied) <= set(allowed)
    # new rows: each exactly once, in the pack's department; none on 会议纪要
    for sheet, values in new_rows:
        key = {"tasks": "wbs", "risks": "risk_id", "expenses": "description"}.get(sheet)
        found = list(current.tables[sheet][key or "action_item"].astype(object))
        assert found.count(values[key or "action_item"]) == (1 if key else 0)
    # deleted rows are still in the master
    for _dept, sheet, rid in deleted:
        assert mids[sheet][rid] in current.tables[sheet].index
    # merging the same packs again changes nothing
    for d in DEPTS:
        again = merge_plan(current, packs[d])
        assert again.empty, (again.changes, again.new_rows)
