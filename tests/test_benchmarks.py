"""The benchmark command runs and prints its table (the figures themselves
are for people: a timed test would only measure the CI machine's load)."""

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

RUN = Path(__file__).resolve().parents[1] / "benchmarks" / "run.py"


@pytest.mark.slow
def test_benchmark_command_prints_the_demo_rows():
    done = subprocess.run(
        [sys.executable, str(RUN), "--only", "check-demo,weekly-demo", "--runs", "1", "--markdown"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode in (0, 1), done.stderr  # 1: a goal missed on this machine
    table = [line for line in done.stdout.splitlines() if line.startswith("| `")]
    assert [line.split("|")[1].strip() for line in table] == [
        "`check on the demo`",
        "`report weekly on the demo`",
    ]
    for line in table:
        cells = [c.strip() for c in line.split("|")[1:-1]]
        ours, base, ratio = (float(cells[i].split()[0].rstrip("×")) for i in (1, 3, 4))
        assert ours > 0 and base > 0
        assert ratio == pytest.approx(ours / base, rel=0.05)
        assert cells[6].endswith("MiB") and float(cells[6].split()[0]) > 50  # pandas alone


def test_import_time_is_summed_over_top_level_imports():
    spec = importlib.util.spec_from_file_location("benchmark_run", RUN)
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = bench  # its dataclasses look their module up
    spec.loader.exec_module(bench)
    seconds = bench.import_seconds([sys.executable, "-c", "import json"])
    assert 0 < seconds < 5
