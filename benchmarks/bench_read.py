"""How fast does read_workbook read a big master workbook?

Generates a synthetic master workbook (20,000 tasks, 2,000 risks, 100,000
expense lines by default) with openpyxl in write-only mode, headers from the
schema, then prints the median time of ``read_workbook`` next to
python-calamine's raw ``to_python()`` of the same sheets, measured in the
same run.

    python benchmarks/bench_read.py [--tasks N] [--risks N] [--expenses N]
                                    [--runs 3] [--file PATH] [--lang zh|en]

The workbook is written to ``--file`` (default: a temporary folder) and
reused when it already exists there with the same sizes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

import python_calamine as calamine
from openpyxl import Workbook

from xlcollab import schema as S
from xlcollab.io import read_workbook

DEPARTMENTS = ["项目管理部", "财务部", "信息技术部", "质量管理部", "市场部", "生产部"]
PEOPLE = [f"员工{i:03d}" for i in range(60)]
# a consistent project: each person belongs to one department, so that the
# checks find the few problems a real project has, not one per row
HOME = {p: DEPARTMENTS[i % len(DEPARTMENTS)] for i, p in enumerate(PEOPLE)}
STAFF = {d: [p for p in PEOPLE if HOME[p] == d] for d in DEPARTMENTS}
ROLES = ["project_lead", "pm", "quality", "finance", "it_support"]
OVERVIEW = {
    "name": "基准测试项目",
    "goal": "测量速度",
    "start_date": dt.date(2026, 1, 1),
    "end_date": dt.date(2026, 6, 30),
    "project_lead": PEOPLE[0],
    "pm": PEOPLE[1],
    "status_date": dt.date(2026, 4, 1),
}


def _team(lang: str):
    for i, person in enumerate(PEOPLE):
        role = ROLES[i] if i < len(ROLES) else ("liaison" if i < 12 else "member")
        yield {
            "name": person,
            "department": HOME[person],
            "role": S.ROLE.label(role, lang),
            "duty": "",
            "phone": "",
            "email": "",
        }


def _departments(lang: str):
    for d in DEPARTMENTS:
        liaison = next(p for p in STAFF[d] if PEOPLE.index(p) >= len(ROLES))
        yield {"name": d, "director": STAFF[d][0], "liaison": liaison, "kpi_weight": 0.1}


def _budget(lang: str):
    for d in DEPARTMENTS:
        for c in S.EXPENSE_CATEGORY.items:
            yield {"department": d, "category": c.label(lang), "amount": 2_000_000}


def _tasks(n: int, rng: random.Random, lang: str):
    start = dt.date(2026, 3, 2)
    for i in range(n):
        s = start + dt.timedelta(days=rng.randrange(0, 60))
        f = s + dt.timedelta(days=rng.randrange(1, 20))
        status = rng.choice(S.STATUS.items)
        done = status.key == "done"
        yield {
            # groups of 100: the group's own summary row, then its 99 tasks
            "wbs": f"{i // 100 + 1}" + (f".{i % 100}" if i % 100 else ""),
            "name": f"任务{i}",
            "phase": rng.choice(S.PHASE.items).label(lang),
            "department": (dept := rng.choice(DEPARTMENTS)),
            "owner": rng.choice(STAFF[dept]),
            "deliverable": f"交付物{i}",
            "planned_start": s,
            "planned_finish": f,
            "actual_start": s if status.key != "not_started" else None,
            "actual_finish": f if done else None,
            "progress": 1.0 if done else round(rng.random(), 2),
            "status": status.label(lang),
            "predecessors": f"{i // 100 + 1}.{i % 100 - 1}" if i % 100 > 1 else None,
            "blocked_reason": "等待接口" if status.key == "blocked" else None,
            "approved": "是" if rng.random() < 0.8 else None,
            "notes": None,
            # computed columns as Excel's cached values would show them
            "days_late": rng.randrange(0, 5),
            "overdue": "是" if rng.random() < 0.1 else "",
            "due_soon": "",
        }


def _risks(n: int, rng: random.Random, lang: str):
    for i in range(n):
        p, im = rng.randrange(1, 6), rng.randrange(1, 6)
        yield {
            "risk_id": f"R{i + 1:04d}",
            "description": f"风险{i}",
            "category": rng.choice(S.RISK_CATEGORY.items).label(lang),
            "probability": p,
            "impact": im,
            "score": p * im,
            "level": S.RISK_LEVEL.label("high" if p * im >= 15 else "low", lang),
            "owner": rng.choice(PEOPLE),
            "contingency": "预案",
            "status": rng.choice(S.RISK_STATUS.items).label(lang),
            "identified": dt.date(2026, 3, 2) + dt.timedelta(days=rng.randrange(0, 40)),
            "last_review": dt.date(2026, 3, 16),
        }


def _expenses(n: int, rng: random.Random, lang: str):
    for i in range(n):
        yield {
            "date": dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(0, 120)),
            "department": rng.choice(DEPARTMENTS),
            "category": rng.choice(S.EXPENSE_CATEGORY.items).label(lang),
            "amount": round(rng.uniform(10, 50_000), 2),
            "description": f"费用{i}",
            "invoice_no": f"INV{i:07d}",
            "approver": rng.choice(PEOPLE),
            "task": f"{i % 200 // 100 + 1}.{i % 100 + 1}",
        }


def generate(path: Path, tasks: int, risks: int, expenses: int, lang: str = "zh") -> None:
    rng = random.Random(42)
    wb = Workbook(write_only=True)
    for sheet in S.SHEETS.values():
        if sheet.kind is S.Kind.VIEW:
            continue
        ws = wb.create_sheet(sheet.name(lang))
        if sheet.kind is S.Kind.FORM:
            values = OVERVIEW if sheet.key == "overview" else {}
            for col in sheet.columns:
                ws.append([col.header(lang), values.get(col.key, col.default)])
            continue
        if sheet.kind is S.Kind.LISTS:
            ws.append([c.header(lang) for c in sheet.columns])
            continue
        ws.append([c.header(lang) for c in sheet.columns])
        rows = {
            "tasks": _tasks(tasks, rng, lang),
            "risks": _risks(risks, rng, lang),
            "expenses": _expenses(expenses, rng, lang),
            "team": _team(lang),
            "departments": _departments(lang),
            "budget": _budget(lang),
        }.get(sheet.key, ())
        keys = sheet.keys
        for k, rec in enumerate(rows):
            row = [rec.get(key) for key in keys]  # dates get a date format from openpyxl
            if sheet.key == "tasks" and k in (17, tasks // 2, tasks - 3):
                row[keys.index("planned_finish")] = "#N/A"  # openpyxl writes t="e"
            ws.append(row)
    wb.save(path)


def size_args(ap: argparse.ArgumentParser) -> None:
    """The options every benchmark on the generated workbook takes."""
    ap.add_argument("--tasks", type=int, default=20_000)
    ap.add_argument("--risks", type=int, default=2_000)
    ap.add_argument("--expenses", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--file", type=Path, default=None)


def workbook_path(tasks: int, risks: int, expenses: int, lang: str = "zh") -> Path:
    """Where the generated workbook of these sizes is cached between runs."""
    return Path(tempfile.gettempdir()) / (
        f"xlcollab-bench-v3-{tasks}-{risks}-{expenses}-{lang}.xlsx"
    )


def _median_time(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    size_args(ap)
    ap.add_argument("--lang", default="zh", choices=("zh", "en"))
    args = ap.parse_args()

    path = args.file or workbook_path(args.tasks, args.risks, args.expenses, args.lang)
    if not path.exists():
        t = time.perf_counter()
        generate(path, args.tasks, args.risks, args.expenses, args.lang)
        print(f"generated {path} in {time.perf_counter() - t:.1f} s")
    print(
        f"workbook: {path} ({os.path.getsize(path) / 1e6:.1f} MB), "
        f"{args.tasks} tasks, {args.risks} risks, {args.expenses} expenses"
    )

    book = calamine.CalamineWorkbook.from_path(str(path))
    names = book.sheet_names
    book.close()

    def raw():
        wb = calamine.CalamineWorkbook.from_path(str(path))
        for name in names:
            wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
        wb.close()

    def ours():
        return read_workbook(path)

    data = ours()  # warm up (imports, caches) and check
    assert len(data.tables["tasks"]) == args.tasks, len(data.tables["tasks"])
    assert len(data.tables["expenses"]) == args.expenses
    errors = [f for f in data.findings if f.rule_id == "read.error_value"]
    raw_times, ours_times = [], []
    for _ in range(args.runs):  # interleaved, so both see the same machine load
        raw_times.append(_median_time(raw, 1))
        ours_times.append(_median_time(ours, 1))
    raw_t, ours_t = statistics.median(raw_times), statistics.median(ours_times)
    print(
        f"python-calamine to_python(), all {len(names)} sheets: {raw_t:6.2f} s"
        f" (median of {args.runs})"
    )
    print(f"xlcollab read_workbook():                     {ours_t:6.2f} s (median of {args.runs})")
    print(
        f"overhead: {ours_t - raw_t:+.2f} s ({ours_t / raw_t:.2f}x); "
        f"{len(data.findings)} findings, {len(errors)} error values found"
    )


if __name__ == "__main__":
    main()
