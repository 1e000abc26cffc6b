"""Kill the nightly run at chosen points (SIGKILL at the k-th Python call of
the run, 30 trials): the history stays a whole run behind or ahead, the
workbook is the old or the new file, never a broken one, no escalation is
written twice, and the next run succeeds.

As in the write-back crash test, each trial forks a child that runs the
nightly run and counts the calls it makes (``sys.settrace``); at call k it
kills itself with SIGKILL (no clean-up handlers run, as when the power
goes). k is drawn with a fixed seed over the calls a whole run makes (every
other trial over its last 10%: the history commit, the write-back and the
side files), so the points are the same on every machine, however fast or
busy, and no timer decides where a kill lands.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import os
import random
import shutil
import signal
import sys
from collections import Counter
from pathlib import Path

import pytest

from xlcollab.history import History
from xlcollab.io import read_workbook
from xlcollab.nightly.run import run_once
from xlcollab.workbook import build_workbook
from xlcollab.workbook.demo import demo_project

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL"),
]

TRIALS = 30


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


def _run_child(wb: Path, day: dt.date, kill_at: int | None, count_file: Path | None) -> None:
    """Child body: one nightly run, killing itself at its kill_at-th call."""
    count = 0

    def tracer(frame, event, arg):  # called once per Python call: no line events
        nonlocal count
        count += 1
        if kill_at is not None and count >= kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

    try:
        sys.settrace(tracer)
        r = run_once(wb, day)
        sys.settrace(None)
        if count_file is not None:
            count_file.write_text(str(count))
        os._exit(0 if r.ok else 4)
    except BaseException:  # noqa: BLE001 - a child must never return into pytest
        os._exit(3)


def _fork(wb: Path, day: dt.date, kill_at: int | None = None, count_file: Path | None = None):
    ctx = mp.get_context("fork")
    proc = ctx.Process(target=_run_child, args=(wb, day, kill_at, count_file))
    proc.start()
    proc.join(300)
    return proc.exitcode


def test_kill_the_nightly_run_at_chosen_points(tmp_path):
    data = demo_project()
    build_workbook(data).save(tmp_path / "p.xlsx")
    wb = tmp_path / "p.xlsx"
    hfile = tmp_path / ".xlcollab" / "history.sqlite"
    day = dt.date(2026, 3, 26)
    run_once(wb, day)  # a first, whole night

    # how many calls a whole run makes (on a copy, the next night)
    probe = tmp_path / "probe"
    probe.mkdir()
    shutil.copy(wb, probe / "p.xlsx")
    shutil.copytree(tmp_path / ".xlcollab", probe / ".xlcollab")
    assert _fork(probe / "p.xlsx", day + dt.timedelta(days=1), None, tmp_path / "count") == 0
    calls = int((tmp_path / "count").read_text())
    assert calls > 1000

    rng = random.Random(20260326)
    runs = 1
    exits = Counter()
    for trial in range(TRIALS):
        day += dt.timedelta(days=1)
        low = 1 if trial % 2 else int(calls * 0.9)
        code = _fork(wb, day, kill_at=rng.randint(low, calls))
        assert code in (-signal.SIGKILL, 0), code
        exits[code] += 1
        runs = _consistent(wb, hfile, runs)
        r = run_once(wb, day)  # the next run succeeds
        assert r.ok and r.written, (r.error, r.write_note)
        runs = _consistent(wb, hfile, runs)
        with History.open(hfile) as h:
            assert runs == len(h.runs())
    # the trials were really killed (a later night may make a few more calls)
    assert exits[-signal.SIGKILL] >= TRIALS * 0.8, exits
