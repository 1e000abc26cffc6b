"""How fast is the safe write-back on a big master workbook?

Generates a synthetic master workbook (20,000 tasks by default, the same
generator as ``bench_read.py``), then writes 20,000 flag cells into the
task sheet (escalation level and blocked-since date, 10,000 rows each) plus
1,000 error marks with :func:`xlcollab.io.writeback.write_back` — lock,
checks, backup, patch, verify (python-calamine reads the sheet back), fsync,
atomic replace — and prints its median time next to baselines measured in
the same run:

- python-calamine reading the task sheet of the same file (``to_python``);
- openpyxl load + edit the same cells + save (once; skip with
  ``--no-openpyxl``), the round trip write-back avoids.

    python benchmarks/bench_writeback.py [--tasks N] [--runs 3] [--file PATH]
                                         [--no-openpyxl]
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import python_calamine as calamine

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_read import generate

from xlcollab import schema as S
from xlcollab.io.ooxml import Package
from xlcollab.io.writeback import SheetEdit, file_signature, patch_package, write_back


def _edits(n_tasks: int, lang: str) -> list[SheetEdit]:
    keys = S.TASKS.keys
    edit = SheetEdit(S.TASKS.name(lang))
    esc = keys.index("escalation") + 1
    since = keys.index("blocked_since") + 1
    levels = [c.label(lang) for c in S.ESCALATION.items]
    half = min(n_tasks, 10_000)
    for i in range(half):
        edit.set(2 + i, esc, levels[i % len(levels)])
        edit.set(2 + n_tasks - 1 - i, since, dt.date(2026, 3, 2) + dt.timedelta(days=i % 40))
    edit.mark([(2 + i * 7, keys.index("status") + 1) for i in range(min(1000, n_tasks // 7))])
    return [edit]


def _median(fn, runs: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tasks", type=int, default=20_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--file", type=Path)
    ap.add_argument("--lang", default="zh")
    ap.add_argument("--no-openpyxl", action="store_true")
    args = ap.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="xlcollab-bench-wb-"))
    src = args.file or folder / f"master-{args.tasks}.xlsx"
    if not src.exists():
        t = time.perf_counter()
        generate(src, args.tasks, 0, 0, args.lang)
        print(
            f"generated {src} ({src.stat().st_size / 1e6:.1f} MB) in "
            f"{time.perf_counter() - t:.1f} s"
        )
    work = folder / "work.xlsx"
    sheet = S.TASKS.name(args.lang)
    edits = _edits(args.tasks, args.lang)
    n_cells = len(edits[0].cells)

    def ours():
        shutil.copyfile(src, work)
        write_back(work, edits, read_signature=file_signature(work), keep=2)

    def patch_only():
        patch_package(Package(src.read_bytes()), edits)

    def read_sheet():
        book = calamine.CalamineWorkbook.from_path(str(src))
        book.get_sheet_by_name(sheet).to_python()

    ours()  # warm up (imports, page cache)
    t_ours, all_ours = _median(ours, args.runs)
    t_patch, _ = _median(patch_only, args.runs)
    t_read, _ = _median(read_sheet, args.runs)
    print(
        f"write_back of {n_cells:,} cells + {len(edits[0].marks['error']):,} marks "
        f"into {args.tasks:,} tasks: median {t_ours:.2f} s "
        f"(runs: {', '.join(f'{x:.2f}' for x in all_ours)})"
    )
    print(f"  of which patching the parts in memory: {t_patch:.2f} s")
    print(f"python-calamine reading the task sheet once: {t_read:.2f} s")
    if not args.no_openpyxl:
        from openpyxl import load_workbook

        t = time.perf_counter()
        wb = load_workbook(src)
        ws = wb[sheet]
        for (r, c), v in edits[0].cells.items():
            ws.cell(r, c, v.value)
        wb.save(folder / "openpyxl.xlsx")
        print(f"openpyxl load + edit + save (once): {time.perf_counter() - t:.1f} s")
    shutil.rmtree(folder, ignore_errors=True) if args.file is None else None


if __name__ == "__main__":
    main()
