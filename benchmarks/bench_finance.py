"""How long does ``xlcollab finance`` take on a big ledger?

Generates (with ``bench_read.generate``) a master workbook with 100,000
expense lines by default, then measures in one run, interleaved, medians:

- raw: python-calamine reading the expense sheet (``to_python()``), the floor;
- finance: what the command does between parsing and printing: read the
  workbook, summarise the month, find the month's anomalies (the checks),
  build the finance workbook and save it; with the time of each stage.

    python benchmarks/bench_finance.py [--expenses N] [--tasks N] [--risks N]
                                       [--month 2026-03] [--runs 3] [--file PATH]

Not a test: it prints figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import python_calamine as calamine

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_read import generate, workbook_path

from xlcollab import schema as S
from xlcollab.core.calendar import WorkCalendar
from xlcollab.finance.pipeline import monthly_finance
from xlcollab.io import read_workbook
from xlcollab.io.save import save_new_workbook


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--expenses", type=int, default=100_000)
    ap.add_argument("--tasks", type=int, default=1_000)
    ap.add_argument("--risks", type=int, default=100)
    ap.add_argument("--month", default="2026-03")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--file", type=Path, default=None)
    args = ap.parse_args()

    path = args.file or workbook_path(args.tasks, args.risks, args.expenses, "zh")
    if not path.exists():
        t = time.perf_counter()
        generate(path, args.tasks, args.risks, args.expenses, "zh")
        print(f"generated {path} in {time.perf_counter() - t:.1f} s")
    print(
        f"workbook: {path} ({os.path.getsize(path) / 1e6:.1f} MB), {args.expenses} expense "
        f"lines, {args.tasks} tasks, {args.risks} risks; month {args.month}"
    )
    out = Path(tempfile.mkdtemp(prefix="xlcollab-bench-fin-"))
    sheet = S.EXPENSES.name("zh")

    def raw():
        wb = calamine.CalamineWorkbook.from_path(str(path))
        rows = wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        wb.close()
        return len(rows)

    stages: dict[str, list[float]] = {
        k: [] for k in ("read", "summary+anomalies", "workbook", "save", "total")
    }

    def finance():
        t0 = time.perf_counter()
        data = read_workbook(path)
        t1 = time.perf_counter()
        cal = WorkCalendar.from_holidays(data.tables["holidays"])
        mf = monthly_finance(data, args.month, dt.date(2026, 4, 30), cal)
        t2 = time.perf_counter()
        wb = mf.workbook()
        t3 = time.perf_counter()
        save_new_workbook(wb, out / mf.filename(), overwrite=True, keep=1)
        t4 = time.perf_counter()
        for k, v in zip(stages, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t4 - t0), strict=False):
            stages[k].append(v)
        return mf

    assert raw() == args.expenses + 1
    mf = finance()  # warm up (imports, caches) and check
    for v in stages.values():
        v.clear()
    raw_times = []
    for _ in range(args.runs):  # interleaved, so both see the same machine load
        t = time.perf_counter()
        raw()
        raw_times.append(time.perf_counter() - t)
        finance()
    med = {k: statistics.median(v) for k, v in stages.items()}
    raw_t = statistics.median(raw_times)
    sm = mf.summary
    print(
        f"month {sm.month}: {sm.n_month} lines in the month, {sm.n_to_date} to date, "
        f"{len(mf.anomalies)} anomalies; spent to date ¥{sm.spent_to_date:,.2f}"
    )
    print(f"python-calamine, expense sheet only:   {raw_t:6.2f} s (median of {args.runs})")
    print(f"xlcollab finance (library work):       {med['total']:6.2f} s (median of {args.runs})")
    for k in ("read", "summary+anomalies", "workbook", "save"):
        print(f"  {k:<34} {med[k]:6.2f} s")
    print(f"ratio: {med['total'] / raw_t:.1f}x the raw ledger read")


if __name__ == "__main__":
    main()
