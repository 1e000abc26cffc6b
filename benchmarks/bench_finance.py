"""How long does ``xlcollab finance`` take on a big ledger?

Generates (with ``bench_read.generate``) a master workbook with 100,000
expense lines by default (or takes ``--file``), then measures in one run,
interleaved, medians:

- baselines: python-calamine reading the expense sheet (``to_python()``),
  and, when the ``bench`` extra is installed, fastexcel reading every sheet
  into pandas;
- finance: what the command does between parsing and printing: read the
  workbook, the month's finance (summary, trend, the checks on the expense
  sheet, the month's anomalies), the finance workbook and the Word report,
  each saved; with the time (wall and CPU) of each stage, and the parts of
  the month's finance measured on their own.

    python benchmarks/bench_finance.py [--expenses N] [--tasks N] [--risks N]
                                       [--month 2026-03] [--as-of 2026-04-30]
                                       [--runs 3] [--file PATH] [--no-docx]

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
from xlcollab.core.figures import figures
from xlcollab.core.money import month_period
from xlcollab.finance.anomalies import expense_findings, month_anomalies
from xlcollab.finance.pipeline import monthly_finance
from xlcollab.finance.report import write_fund_report
from xlcollab.finance.trend import spending_trend
from xlcollab.io import read_workbook
from xlcollab.io.save import save_new_workbook

STAGES = ("read", "month's finance", "workbook", "report", "total")


class Clock:
    """Wall and CPU seconds since the last lap."""

    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def lap(self) -> tuple[float, float]:
        wall, cpu = time.perf_counter(), time.process_time()
        out = (wall - self.wall, cpu - self.cpu)
        self.wall, self.cpu = wall, cpu
        return out


def fastexcel_all(path: Path):
    """fastexcel reading every sheet into pandas (None without the bench extra)."""
    try:
        import fastexcel
    except ImportError:
        return None
    reader = fastexcel.read_excel(str(path))
    return sum(len(reader.load_sheet_by_name(n).to_pandas()) for n in reader.sheet_names)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--expenses", type=int, default=100_000)
    ap.add_argument("--tasks", type=int, default=1_000)
    ap.add_argument("--risks", type=int, default=100)
    ap.add_argument("--month", default="2026-03")
    ap.add_argument("--as-of", default="2026-04-30")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--file", type=Path, default=None)
    ap.add_argument("--no-docx", action="store_true")
    args = ap.parse_args()

    path = args.file or workbook_path(args.tasks, args.risks, args.expenses, "zh")
    if not path.exists():
        t = time.perf_counter()
        generate(path, args.tasks, args.risks, args.expenses, "zh")
        print(f"generated {path} in {time.perf_counter() - t:.1f} s")
    print(f"workbook: {path} ({os.path.getsize(path) / 1e6:.1f} MB); month {args.month}")
    out = Path(tempfile.mkdtemp(prefix="xlcollab-bench-fin-"))
    sheet = S.EXPENSES.name("zh")
    day = dt.date.fromisoformat(args.as_of)

    def raw():
        wb = calamine.CalamineWorkbook.from_path(str(path))
        rows = wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        wb.close()
        return len(rows)

    stages: dict[str, list[tuple[float, float]]] = {k: [] for k in STAGES}
    parts: dict[str, list[float]] = {k: [] for k in ("summary", "trend", "checks", "anomalies")}

    def finance():
        clock = Clock()
        data = read_workbook(path)
        laps = [clock.lap()]
        cal = WorkCalendar.from_holidays(data.tables["holidays"])
        mf = monthly_finance(data, args.month, day, cal)
        laps.append(clock.lap())
        save_new_workbook(mf.workbook(), out / mf.filename(), overwrite=True, keep=1)
        laps.append(clock.lap())
        if not args.no_docx:
            write_fund_report(mf, data, day, out / mf.filename("docx"), overwrite=True)
        laps.append(clock.lap())
        laps.append((sum(w for w, _ in laps), sum(c for _, c in laps)))
        for k, v in zip(STAGES, laps, strict=True):
            stages[k].append(v)
        # the parts of the month's finance, each on its own
        p, t = month_period(args.month), time.perf_counter()
        sm = figures(data, day, cal).money_month(p)
        parts["summary"].append(time.perf_counter() - t)
        t = time.perf_counter()
        spending_trend(data.tables["expenses"], p, departments=list(sm.by_department["department"]))
        parts["trend"].append(time.perf_counter() - t)
        t = time.perf_counter()
        found = expense_findings(data, day, cal)
        parts["checks"].append(time.perf_counter() - t)
        t = time.perf_counter()
        month_anomalies(data, p, found)
        parts["anomalies"].append(time.perf_counter() - t)
        return mf

    assert raw() == args.expenses + 1 or args.file
    mf = finance()  # warm up (imports, caches) and check
    for v in (*stages.values(), *parts.values()):
        v.clear()
    raw_times, fx_times = [], []
    for _ in range(args.runs):  # interleaved, so all see the same machine load
        t = time.perf_counter()
        raw()
        raw_times.append(time.perf_counter() - t)
        t = time.perf_counter()
        if fastexcel_all(path) is not None:
            fx_times.append(time.perf_counter() - t)
        finance()

    def med(v):
        return statistics.median(v)

    sm = mf.summary
    print(
        f"month {sm.month}: {sm.n_month} lines in the month, {sm.n_to_date} to date, "
        f"{len(mf.anomalies)} anomalies; spent to date ¥{sm.spent_to_date:,.2f}"
    )
    print(f"python-calamine, expense sheet only:   {med(raw_times):6.2f} s (median of {args.runs})")
    if fx_times:
        print(f"fastexcel, every sheet into pandas:    {med(fx_times):6.2f} s")
    print("xlcollab finance (library work):         wall     cpu")
    for k in STAGES:
        wall, cpu = med([w for w, _ in stages[k]]), med([c for _, c in stages[k]])
        print(f"  {k:<34} {wall:6.2f} s {cpu:6.2f} s")
    for k, v in parts.items():
        print(f"    of the month's finance: {k:<14} {med(v):6.2f} s")
    total = med([w for w, _ in stages["total"]])
    print(f"ratio: {total / med(raw_times):.1f}x the raw ledger read", end="")
    print(f", {total / med(fx_times):.1f}x fastexcel" if fx_times else "")


if __name__ == "__main__":
    main()
