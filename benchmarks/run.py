"""The benchmark command: every row of the speed table, as whole processes.

Each row runs an xlcollab command as a user runs it (a fresh process: start
Python, import, read, compute, write) next to a baseline process measured in
the same run, interleaved, several times, and prints the medians, the ratio
and the goal:

- ``check`` and ``report weekly`` on the demo workbook, against
  ``python -c "import pandas"`` (what any pandas tool pays to start);
- ``check --format json``, ``check --write``, ``report weekly`` and
  ``finance --month 2026-03`` on a large master workbook (20,000 tasks,
  2,000 risks, 100,000 expense lines by default), against fastexcel or
  python-calamine reading every sheet of the same file (and, for
  ``--write``, Python copying the package and recompressing every part);
- for information, with no goal: ``check --write`` the next day on the
  large workbook written once already, whose 检查结果 table is then
  replaced row over row (what a project's daily check costs).

It also prints each command's peak memory (the process's maximum resident
set size) and the time it spends importing modules (``python -X
importtime``, top-level imports summed).

The large workbook is generated once (the synthetic data of
``bench_read.py``, written through the project's own workbook builder, so it
has the master's tables, formulas and result sheet) and reused from the
temporary folder.

    python benchmarks/run.py [--runs 5] [--only check-demo,weekly-large]
                             [--tasks N] [--risks N] [--expenses N]
                             [--markdown]

The baselines' own libraries (fastexcel and pyarrow) are installed once into
a folder of their own (``pip install --target``) and put on the baselines'
path only: with pyarrow importable, pandas 3 would store every string column
in Arrow and xlcollab would no longer run as it does on a user's machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2026-04-01"
NEXT_DAY = "2026-04-02"  # the daily check --write after the first
MONTH = "2026-03"
PY = sys.executable
BASELINE_LIBRARIES = ("fastexcel>=0.11,<1", "pyarrow>=15")

# the baselines, as scripts a fresh interpreter runs on the file in argv[1]
IMPORT_PANDAS = "import pandas"
FASTEXCEL_READ = """
import sys, fastexcel
book = fastexcel.read_excel(sys.argv[1])
for name in book.sheet_names:
    book.load_sheet_by_name(name).to_pandas()
"""
CALAMINE_READ = """
import sys, python_calamine
book = python_calamine.CalamineWorkbook.from_path(sys.argv[1])
for name in book.sheet_names:
    book.get_sheet_by_name(name).to_python()
"""
# what any safe write-back pays at least: read every sheet, then write a new
# package with every part recompressed
FASTEXCEL_READ_AND_COPY = (
    FASTEXCEL_READ
    + """
import zipfile
src = zipfile.ZipFile(sys.argv[1])
with zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED) as dst:
    for info in src.infolist():
        dst.writestr(info, src.read(info), compress_type=zipfile.ZIP_DEFLATED)
"""
)


@dataclass
class Row:
    key: str
    work: str
    ours: list[str]
    baseline_name: str
    baseline: list[str]
    goal: float | None  # None: shown for information, no goal set
    # run before each timed run of ours (not timed): e.g. a fresh copy to write to
    prepare: Callable[[], None] | None = None
    times: list[float] = field(default_factory=list)
    base_times: list[float] = field(default_factory=list)
    peak_mib: float = 0.0
    import_s: float = 0.0

    def ratio(self) -> float:
        return statistics.median(self.times) / statistics.median(self.base_times)

    def met(self) -> bool:
        return self.goal is None or self.ratio() <= self.goal

    def goal_text(self) -> str:
        return "—" if self.goal is None else f"≤ {self.goal}×"


def xlcollab(*args: str) -> list[str]:
    """The command as a user runs it: the installed console script."""
    script = Path(PY).with_name("xlcollab")
    head = [str(script)] if script.exists() else [PY, "-m", "xlcollab.cli"]
    return [*head, *args]


# as on a user's machine, where Python keeps its compiled modules (.pyc): a
# development shell that sets PYTHONDONTWRITEBYTECODE would make every run
# compile xlcollab afresh
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run_process(cmd: list[str]) -> tuple[float, float]:
    """Run ``cmd`` to its end; its wall time (s) and peak memory (MiB)."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=CHILD_ENV)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    # check exits 1 when it finds errors: that is a result, not a failure
    if proc.returncode not in (0, 1):
        sys.exit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{err.decode(errors='replace')}")
    return seconds, usage.ru_maxrss / 1024  # Linux: KiB


def import_seconds(cmd: list[str]) -> float:
    """Seconds ``cmd`` spends importing modules (top-level imports summed)."""
    if cmd[0] != PY:
        cmd = [PY, "-m", "xlcollab.cli", *cmd[1:]]
    env = dict(CHILD_ENV, PYTHONPROFILEIMPORTTIME="1")
    err = subprocess.run(cmd, env=env, capture_output=True, text=True).stderr
    total = 0
    for line in err.splitlines():
        parts = line.split("|")
        if len(parts) != 3 or not parts[0].startswith("import time:"):
            continue
        name = parts[2]
        if name.startswith(" ") and not name.startswith("  "):  # a top-level import
            try:
                total += int(parts[1])
            except ValueError:  # the header line
                continue
    return total / 1e6


def in_child(code: str, *args: str) -> str:
    """Run ``code`` in a fresh interpreter and return what it prints.

    The heavy imports stay out of this process: on Linux a child's peak
    memory counts from its parent's at the fork.
    """
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parent))
    done = subprocess.run([PY, "-c", code, *args], env=env, capture_output=True, text=True)
    if done.returncode:
        sys.exit(done.stderr)
    return done.stdout.strip()


GENERATE = """
import sys
from pathlib import Path
from xlcollab.io import read_workbook
from xlcollab.io.save import save_new_workbook
from xlcollab.workbook import build_workbook

out, tasks, risks, expenses = Path(sys.argv[1]), *map(int, sys.argv[2:])
raw = workbook_path(tasks, risks, expenses, "zh")
if not raw.exists():
    generate(raw, tasks, risks, expenses, "zh")
save_new_workbook(build_workbook(read_workbook(raw), "zh"), out)
"""


def baseline_libraries() -> Path:
    """The folder with fastexcel and pyarrow for the baselines (installed once)."""
    folder = Path(tempfile.gettempdir()) / "xlcollab-bench-baselines"
    if not (folder / "fastexcel").exists():
        subprocess.run(
            [PY, "-m", "pip", "install", "--quiet", "--target", str(folder), *BASELINE_LIBRARIES],
            check=True,
        )
    return folder


def large_workbook(tasks: int, risks: int, expenses: int, console: Console) -> Path:
    """The large master workbook, generated once and reused."""
    path = Path(tempfile.gettempdir()) / f"xlcollab-bench-master-v1-{tasks}-{risks}-{expenses}.xlsx"
    if not path.exists():
        with console.status(f"generating {path.name} (once; about a minute)"):
            in_child(GENERATE, str(path), str(tasks), str(risks), str(expenses))
    return path


def rows(demo: Path, large: Path | None, scratch: Path) -> list[Row]:
    """The rows of the table; those on the large workbook only when it is given."""
    out = str(scratch / "out")
    target = scratch / "write.xlsx"
    copy = str(scratch / "copy.xlsx")

    def fresh_copy() -> None:
        shutil.copyfile(large, target)
        shutil.rmtree(scratch / ".xlcollab", ignore_errors=True)  # the backups

    written = scratch / "written.xlsx"  # the large workbook after one check --write

    def fresh_written() -> None:
        if not written.exists():
            shutil.copyfile(large, written)
            run_process(xlcollab("check", str(written), "--as-of", AS_OF, "--write"))
        shutil.copyfile(written, target)
        shutil.rmtree(scratch / ".xlcollab", ignore_errors=True)

    pandas = [PY, "-c", IMPORT_PANDAS]
    on_demo = [
        Row(
            "check-demo",
            "check on the demo",
            xlcollab("check", str(demo), "--as-of", AS_OF),
            'python -c "import pandas"',
            pandas,
            1.3,
        ),
        Row(
            "weekly-demo",
            "report weekly on the demo",
            xlcollab("report", "weekly", str(demo), "--as-of", AS_OF, "-o", out),
            'python -c "import pandas"',
            pandas,
            2.5,
        ),
    ]
    if large is None:
        return on_demo
    base = ["env", f"PYTHONPATH={baseline_libraries()}", PY, "-c"]
    return on_demo + [
        Row("check-json-large", "check --format json, large",
            xlcollab("check", str(large), "--as-of", AS_OF, "--format", "json"),
            "fastexcel, every sheet to pandas", [*base, FASTEXCEL_READ, str(large)], 1.5),
        Row("check-write-large", "check --write, large",
            xlcollab("check", str(target), "--as-of", AS_OF, "--write"),
            "fastexcel read + copy, recompressing every part",
            [*base, FASTEXCEL_READ_AND_COPY, str(large), copy], 1.3, prepare=fresh_copy),
        Row("check-rewrite-large", "check --write the next day, large",
            xlcollab("check", str(target), "--as-of", NEXT_DAY, "--write"),
            "the same, of the workbook written once",
            [*base, FASTEXCEL_READ_AND_COPY, str(written), copy], None, prepare=fresh_written),
        Row("weekly-large", "report weekly, large",
            xlcollab("report", "weekly", str(large), "--as-of", AS_OF, "-o", out),
            "python-calamine, every sheet", [PY, "-c", CALAMINE_READ, str(large)], 2.0),
        Row("finance-large", f"finance --month {MONTH}, large",
            xlcollab("finance", str(large), "--month", MONTH, "--as-of", AS_OF, "-o", out),
            "fastexcel, every sheet to pandas", [*base, FASTEXCEL_READ, str(large)], 1.5),
    ]  # fmt: skip


def measure(row: Row, runs: int) -> None:
    if row.prepare:
        row.prepare()
    run_process(row.ours)  # warm the file cache and .pyc files; not counted
    run_process(row.baseline)
    for _ in range(runs):
        row.base_times.append(run_process(row.baseline)[0])
        if row.prepare:
            row.prepare()
        seconds, peak = run_process(row.ours)
        row.times.append(seconds)
        row.peak_mib = max(row.peak_mib, peak)
    if row.prepare:
        row.prepare()
    row.import_s = import_seconds(row.ours)


def table(done: list[Row], runs: int) -> Table:
    t = Table(title=f"xlcollab benchmarks (medians of {runs} runs, whole processes)")
    for name in ("work", "xlcollab", "baseline", "", "ratio", "goal", "peak MiB", "imports"):
        t.add_column(name, justify="left" if name in ("work", "baseline") else "right")
    for r in done:
        colour = "default" if r.goal is None else "green" if r.met() else "red"
        t.add_row(
            r.work,
            f"{statistics.median(r.times):.2f} s",
            r.baseline_name,
            f"{statistics.median(r.base_times):.2f} s",
            f"[{colour}]{r.ratio():.2f}×[/]",
            r.goal_text(),
            f"{r.peak_mib:.0f}",
            f"{r.import_s:.2f} s",
        )
    return t


def markdown(done: list[Row]) -> str:
    lines = [
        "| work | xlcollab | baseline | baseline time | ratio | goal | peak memory |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in done:
        lines.append(
            f"| `{r.work}` | {statistics.median(r.times):.2f} s | {r.baseline_name} | "
            f"{statistics.median(r.base_times):.2f} s | {r.ratio():.2f}× | {r.goal_text()} | "
            f"{r.peak_mib:.0f} MiB |"
        )
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--only", default="", help="comma-separated row keys")
    ap.add_argument("--tasks", type=int, default=20_000)
    ap.add_argument("--risks", type=int, default=2_000)
    ap.add_argument("--expenses", type=int, default=100_000)
    ap.add_argument("--markdown", action="store_true", help="also print a Markdown table")
    args = ap.parse_args()
    console = Console(width=150)

    name = in_child("from xlcollab.workbook.demo import demo_filename; print(demo_filename('zh'))")
    demo = ROOT / "workbooks" / name
    wanted = {k for k in args.only.split(",") if k}
    large = None
    if not wanted or any(k.endswith("-large") for k in wanted):
        large = large_workbook(args.tasks, args.risks, args.expenses, console)
    with tempfile.TemporaryDirectory(prefix="xlcollab-bench-") as tmp:
        todo = [r for r in rows(demo, large, Path(tmp)) if not wanted or r.key in wanted]
        done = []
        for r in todo:
            with console.status(f"{r.work}: {args.runs} runs against {r.baseline_name}"):
                measure(r, args.runs)
            done.append(r)
            console.print(f"{r.key}: {r.ratio():.2f}× (goal {r.goal_text()})")
    console.print(table(done, args.runs))
    if args.markdown:
        print(markdown(done))
    return 0 if all(r.met() for r in done) else 1


if __name__ == "__main__":
    sys.exit(main())
