"""The README's claim: the clock is read in one documented place per entry point.

An AST scan of xlcollab/ finds every call that reads the clock as a date or a time of day
(``date.today()``, ``datetime.now()``, ``time.time()``, ``pd.Timestamp("now")`` ...) and
asserts each is in one of the places the README's "Time" section lists. Durations
(``time.monotonic()``) and a file's own modification time are not clock reads.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "xlcollab"
README = (ROOT / "README.md").read_text(encoding="utf-8")

#: (module, function) -> the entry point whose clock it is; each is listed in the README
CLOCKS = {
    ("xlcollab.cli.common", "clock"): "the command line",
    ("xlcollab.nightly.scheduler", "NightlyScheduler.now"): "the nightly scheduler (--at)",
    ("xlcollab.excel.ribbon", "_Run.clock"): "a ribbon button",
    ("xlcollab.excel.udfs", "today"): "a worksheet function called without as_of",
    ("xlcollab.nightly.notify", "webhook_payload"): "a robot webhook's signature time stamp",
}

_DATE_READS = {"today", "now", "utcnow"}  # date.today(), datetime.now(), Timestamp.now() ...
_TIME_READS = {"time", "time_ns", "localtime", "gmtime", "ctime", "asctime"}  # time.*()
_TEXT_READS = {"now", "today"}  # pd.Timestamp("now"), pd.to_datetime("today"), np.datetime64


def _is_clock_read(call: ast.Call) -> bool:
    f = call.func
    if isinstance(f, ast.Attribute):
        receiver = f.value
        if isinstance(receiver, ast.Name) and receiver.id == "self":
            return False  # a method of the object's own (the scheduler's now())
        if f.attr in _DATE_READS and not call.args:
            return True
        if isinstance(receiver, ast.Name) and receiver.id == "time" and f.attr in _TIME_READS:
            return not call.args  # time.localtime(seconds) converts, it does not read
        if f.attr in ("formatdate", "localtime") and not call.args:
            return True  # email.utils
    name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", None)
    if name in ("Timestamp", "to_datetime", "datetime64") and call.args:
        first = call.args[0]
        return isinstance(first, ast.Constant) and first.value in _TEXT_READS
    return False


def clock_reads(source: str) -> list[tuple[int, str]]:
    """(line, enclosing function's qualified name) of every clock read in ``source``."""
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST, scope: tuple[str, ...]) -> None:
        for child in ast.iter_child_nodes(node):
            inner = scope
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                inner = (*scope, child.name)
            if isinstance(child, ast.Call) and _is_clock_read(child):
                found.append((child.lineno, ".".join(scope)))
            visit(child, inner)

    visit(ast.parse(source), ())
    return found


def test_the_scan_finds_each_kind_of_clock_read():
    source = (
        "import time, datetime as dt, pandas as pd\n"
        "def a():\n"
        "    return dt.date.today()\n"
        "class B:\n"
        "    def c(self):\n"
        "        return dt.datetime.now(), self.now(), time.monotonic()\n"
        "def d():\n"
        "    return time.time(), pd.Timestamp('now'), pd.Timestamp('2026-03-02')\n"
    )
    assert clock_reads(source) == [(3, "a"), (6, "B.c"), (8, "d"), (8, "d")]


def test_the_clock_is_read_only_in_the_documented_places():
    seen = set()
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for line, function in clock_reads(path.read_text(encoding="utf-8")):
            if (module, function) in CLOCKS:
                seen.add((module, function))
            else:
                problems.append(f"{path.relative_to(ROOT)}:{line} ({function or 'module'})")
    assert problems == [], "the clock is read outside the documented places"
    assert seen == set(CLOCKS), "a documented place no longer reads the clock: update the list"


def test_each_entry_point_reads_the_clock_in_one_place():
    reads: dict[tuple[str, str], int] = {}
    for module, function in CLOCKS:
        path = ROOT / (module.replace(".", "/") + ".py")
        n = sum(f == function for _line, f in clock_reads(path.read_text(encoding="utf-8")))
        reads[(module, function)] = n
    assert all(n == 1 for n in reads.values()), reads


def test_the_readme_lists_every_place():
    for module, function in CLOCKS:
        assert f"{module}.{function}" in README, f"README.md does not list {module}.{function}"
