"""How fast is the whole check (read + rules + flags + schedule)?

Uses the synthetic master workbook of ``bench_read.py`` (20,000 tasks, 2,000
risks, 100,000 expense lines by default; generated once and reused) and
prints, measured in the same run, interleaved:

- python-calamine alone reading every sheet (``to_python()``);
- ``read_workbook``;
- ``check`` on what was read (rules, flags, escalation, schedule);
- both together, and the JSON form (``to_dict``).

    python benchmarks/bench_check.py [--tasks N] [--risks N] [--expenses N]
                                     [--runs 3] [--file PATH]

Not a timed test: a later issue tracks these figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

import python_calamine as calamine

sys.path.insert(0, str(Path(__file__).parent))
from bench_read import generate, size_args, workbook_path

from xlcollab.check import check
from xlcollab.io import read_workbook

AS_OF = dt.date(2026, 4, 1)


def _timed(fn):
    t = time.perf_counter()
    result = fn()
    return time.perf_counter() - t, result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    size_args(ap)
    args = ap.parse_args()

    path = args.file or workbook_path(args.tasks, args.risks, args.expenses, "zh")
    if not path.exists():
        seconds, _ = _timed(lambda: generate(path, args.tasks, args.risks, args.expenses, "zh"))
        print(f"generated {path} in {seconds:.1f} s")
    print(
        f"workbook: {path} ({os.path.getsize(path) / 1e6:.1f} MB), "
        f"{args.tasks} tasks, {args.risks} risks, {args.expenses} expenses"
    )

    def raw():
        wb = calamine.CalamineWorkbook.from_path(str(path))
        for name in wb.sheet_names:
            wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
        wb.close()

    data = read_workbook(path)  # warm up imports and caches
    report = check(data, AS_OF)
    times: dict[str, list[float]] = {k: [] for k in ("calamine", "read", "check", "to_dict")}
    for _ in range(args.runs):  # interleaved, so all see the same machine load
        times["calamine"].append(_timed(raw)[0])
        t_read, data = _timed(lambda: read_workbook(path))
        times["read"].append(t_read)
        t_check, report = _timed(lambda data=data: check(data, AS_OF))
        times["check"].append(t_check)
        times["to_dict"].append(_timed(report.to_dict)[0])
    med = {k: statistics.median(v) for k, v in times.items()}
    total = med["read"] + med["check"]
    print(f"python-calamine to_python(), all sheets: {med['calamine']:6.2f} s")
    print(f"read_workbook():                         {med['read']:6.2f} s")
    print(f"check() (rules, flags, schedule):        {med['check']:6.2f} s")
    print(
        f"read + check:                            {total:6.2f} s "
        f"({total / med['calamine']:.2f}x calamine alone)"
    )
    print(f"report.to_dict() (JSON form):            {med['to_dict']:6.2f} s")
    print(
        f"medians of {args.runs} runs; {report.stats['findings']} findings "
        f"({report.stats['by_severity']}), critical path of "
        f"{len(report.schedule.critical_path)} tasks, "
        f"{len(report.schedule.excluded)} tasks outside the network"
    )


if __name__ == "__main__":
    main()
