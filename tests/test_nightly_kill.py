"""Kill the nightly process at random points (SIGKILL after a random
delay, 30 trials): the history stays a whole run behind or ahead, the
workbook is the old or the new file, never a broken one, no escalation is
written twice, and the next run succeeds."""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from xlcollab.history import History
from xlcollab.io import read_workbook
from xlcollab.workbook import build_workbook
from xlcollab.workbook.demo import demo_project

pytestmark = pytest.mark.slow

TRIALS = 30
LANES = 2


def _consistent(wb, hfile, before_runs):
    with History.open(hfile) as h:
        assert h.integrity_ok()
        runs = len(h.runs())
        assert runs in (before_runs, before_runs + 1)
        # every run is whole: a run row has its findings (the same transaction)
        for r in h.runs():
            assert (
                h.conn.execute("SELECT COUNT(*) FROM findings WHERE run_id=?", (r.id,)).fetchone()[
                    0
                ]
                > 0
            )
    data = read_workbook(wb)  # the old or the new file, readable
    assert not [f for f in data.findings if f.rule_id == "read.missing_sheet"]
    esc = data.tables["escalations"]
    keys = Counter(zip(esc["task"], esc["level"], esc["raised_on"], strict=False))
    assert max(keys.values()) == 1, keys
    return runs


def _nightly(wb, day):
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "xlcollab.cli",
            "nightly",
            str(wb),
            "--once",
            "--as-of",
            day.isoformat(),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )


def _run_length(base) -> float:
    """How long one whole nightly process takes on this machine, so the
    kills land inside a run however fast or busy the machine is."""
    folder = base / "calibrate"
    folder.mkdir()
    wb = folder / "p.xlsx"
    shutil.copy(base / "p.xlsx", wb)
    times = []
    for day in (dt.date(2026, 3, 26), dt.date(2026, 3, 27)):
        start = time.monotonic()
        assert _nightly(wb, day).wait() == 0
        times.append(time.monotonic() - start)
    return min(times)


def _lane(lane, base, trials, seed, length):
    rng = random.Random(seed)
    folder = base / f"lane{lane}"
    folder.mkdir()
    wb = folder / "p.xlsx"
    shutil.copy(base / "p.xlsx", wb)
    hfile = folder / ".xlcollab" / "history.sqlite"
    from xlcollab.nightly.run import run_once

    day = dt.date(2026, 3, 26)
    run_once(wb, day)  # a first, whole night
    runs = 1
    killed_at = []
    for _ in range(trials):
        day += dt.timedelta(days=1)
        proc = _nightly(wb, day)
        delay = rng.uniform(0.05, 0.9) * length
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        killed_at.append((delay, proc.returncode))
        runs = _consistent(wb, hfile, runs)
        r = run_once(wb, day)  # the next run succeeds
        assert r.ok and r.written, (r.error, r.write_note)
        runs = _consistent(wb, hfile, runs)
        with History.open(hfile) as h:
            assert runs == len(h.runs())
    return killed_at


def test_kill_the_nightly_process_at_random_points(tmp_path):
    data = demo_project()
    build_workbook(data).save(tmp_path / "p.xlsx")
    length = _run_length(tmp_path)
    with ThreadPoolExecutor(LANES) as pool:
        futures = [
            pool.submit(_lane, i, tmp_path, TRIALS // LANES, 1000 + i, length) for i in range(LANES)
        ]
        results = [f.result() for f in futures]
    killed = [x for r in results for x in r]
    assert len(killed) == TRIALS
    # most trials were really killed (not finished before the signal)
    assert sum(1 for _, rc in killed if rc == -signal.SIGKILL) >= TRIALS * 0.6
