"""How fast is the portfolio of many projects, and how much memory does it take?

Generates ``--projects`` project workbooks (default 200): six variants of
the demo project (different statuses, hence different lights, escalations
and figures) built with the workbook builder and copied under their own
names. Then, measured as whole processes in the same run:

- ours: ``xlcollab portfolio DIR -o OUT`` (a process per core reads the
  workbooks and writes every project's page, then the portfolio page and
  workbook);
- baseline: one Python process reading every sheet of the same files with
  python-calamine (``to_python()``), sequentially.

For each it prints the wall time (median of ``--runs``) and the peak memory:
the largest single process and the peak of all its processes together
(resident set sizes summed, sampled every 20 ms from /proc), and the CPU
time of all its processes (steadier than the wall time on a shared machine).

    python benchmarks/bench_portfolio.py [--projects 200] [--runs 1] [--dir PATH]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from xlcollab.io.save import save_new_workbook
from xlcollab.workbook import build_workbook
from xlcollab.workbook.demo import demo_project

VARIANTS = [
    {},
    {"3.2.2": "blocked", "3.2.3": "blocked"},
    {"3.1.5": "done", "3.2.2": "done", "3.3.4": "done", "3.4.4": "done"},
    {"3.3.4": "in_progress", "3.4.4": "in_progress"},
    {"3.1.3": "blocked"},
    {"3.4.4": "done", "3.3.4": "done"},
]

CALAMINE = """
import sys
from pathlib import Path
import python_calamine as calamine
n = 0
for p in sorted(Path(sys.argv[1]).glob("*.xlsx")):
    wb = calamine.CalamineWorkbook.from_path(str(p))
    for name in wb.sheet_names:
        n += len(wb.get_sheet_by_name(name).to_python())
print(n)
"""


def generate(folder: Path, projects: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    if len(list(folder.glob("*.xlsx"))) == projects:
        return
    sources = []
    for i, changes in enumerate(VARIANTS):
        data = demo_project()
        tasks = data.tables["tasks"]
        for wbs, status in changes.items():
            tasks.loc[tasks.index[tasks["wbs"] == wbs][0], "status"] = status
        data.overview["name"] = f"基准项目 {i + 1}"
        src = folder / f"variant-{i + 1}.src"
        save_new_workbook(build_workbook(data), src.with_suffix(".xlsx"), overwrite=True)
        src.with_suffix(".xlsx").rename(src)
        sources.append(src)
    for k in range(projects):
        shutil.copyfile(sources[k % len(sources)], folder / f"project-{k + 1:03d}.xlsx")
    for s in sources:
        s.unlink()


def _rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _group(pgid: int) -> list[int]:
    out = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
                if int(fields[2]) == pgid:
                    out.append(int(d))
            except (OSError, IndexError, ValueError):
                continue
    return out


def measure(cmd: list[str]) -> tuple[float, float, float, float]:
    """(seconds, largest process MiB, all processes together MiB, CPU seconds
    of all its processes)."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, start_new_session=True)
    peak = 0
    done = threading.Event()

    def sample():
        nonlocal peak
        while not done.is_set():
            peak = max(peak, sum(_rss_kib(p) for p in _group(proc.pid)))
            done.wait(0.02)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    _, status, usage = os.wait4(proc.pid, 0)  # the usage of this command's processes
    elapsed = time.perf_counter() - t
    proc.returncode = rc = os.waitstatus_to_exitcode(status)
    done.set()
    th.join()
    if rc not in (0, 1):
        raise SystemExit(f"{cmd[0]} failed with exit code {rc}")
    largest = usage.ru_maxrss / 1024
    return elapsed, largest, max(peak / 1024, largest), usage.ru_utime + usage.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--projects", type=int, default=200)
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--dir", type=Path, default=None)
    args = ap.parse_args()
    folder = args.dir or Path(tempfile.gettempdir()) / f"xlcollab-bench-portfolio-{args.projects}"
    t = time.perf_counter()
    generate(folder, args.projects)
    print(f"{args.projects} project workbooks in {folder} ({time.perf_counter() - t:.1f} s)")
    exe = Path(sys.executable).with_name("xlcollab")
    results = {"ours": [], "base": []}
    with tempfile.TemporaryDirectory() as out:
        for _ in range(args.runs):
            results["base"].append(measure([sys.executable, "-c", CALAMINE, str(folder)]))
            results["ours"].append(
                measure([str(exe), "portfolio", str(folder), "-o", str(Path(out) / "p")])
            )
        pages = len(list((Path(out) / "p").glob("*/index.html")))
    cores = os.cpu_count()
    for key, label in (
        ("ours", f"xlcollab portfolio ({cores} processes, {pages} pages)"),
        ("base", "python-calamine reads every sheet (1 process)"),
    ):
        secs = statistics.median(r[0] for r in results[key])
        one = max(r[1] for r in results[key])
        total = max(r[2] for r in results[key])
        cpu = statistics.median(r[3] for r in results[key])
        print(
            f"{label:52s} {secs:7.1f} s (CPU {cpu:6.1f} s)   peak: largest process "
            f"{one:5.0f} MiB, all processes {total:5.0f} MiB"
        )
    ours = statistics.median(r[0] for r in results["ours"])
    base = statistics.median(r[0] for r in results["base"])
    print(f"ratio {ours / base:.1f}x; {1000 * ours / args.projects:.0f} ms per project")


if __name__ == "__main__":
    main()
