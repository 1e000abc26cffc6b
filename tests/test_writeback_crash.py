"""Crash safety: a writer killed at any moment leaves the old or the new file.

Each trial forks a child that runs ``write_back`` and kills it with SIGKILL
(no clean-up handlers run, as when the power goes):

- at a random Python line: the child counts trace events and kills itself
  at event k, k drawn uniformly over the events a whole write takes (every
  other trial over its last 5%: verification, fsync, replace), so the kill
  lands anywhere, including inside zipfile, the backup and the replace;
- after a random delay: the parent kills the child 0..T ms after it starts,
  T the time a whole write takes.

Afterwards the workbook is byte for byte either the old or the new version,
python-calamine reads it, and a later write cleans up what the killed one
left and succeeds.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import multiprocessing as mp
import os
import random
import shutil
import signal
import sys
import time
from pathlib import Path

import pytest
import python_calamine as calamine

from xlcollab.io.safety import BACKUP_DIR
from xlcollab.io.writeback import SheetEdit, write_back
from xlcollab.schema import FINDINGS, TASKS

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL")

TRACE_TRIALS = 30
TIMER_TRIALS = 30


def _edits() -> list[SheetEdit]:
    tasks = SheetEdit(TASKS.name("zh"))
    for row in range(2, 60):
        tasks.set(row, "U", "项目经理协调" if row % 2 else None)
        tasks.set(row, "T", dt.date(2026, 3, 2) + dt.timedelta(days=row % 9))
    tasks.mark([(r, 12) for r in range(3, 40, 3)], "error")
    findings = SheetEdit(FINDINGS.name("zh")).replace_table(
        [
            [
                "错误",
                f"rule.{i}",
                "任务清单",
                i,
                "状态",
                f"L{i}",
                "问题",
                "建议",
                dt.date(2026, 3, 10),
            ]
            for i in range(40)
        ]
    )
    return [tasks, findings]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _run_child(path: Path, kill_at: int | None, count_file: Path | None) -> None:
    """Child body: write, optionally killing itself at trace event kill_at."""
    count = 0

    def tracer(frame, event, arg):
        nonlocal count
        count += 1
        if kill_at is not None and count >= kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
        return tracer

    try:
        if kill_at is not None or count_file is not None:
            sys.settrace(tracer)
        write_back(path, _edits(), keep=3)
        sys.settrace(None)
        if count_file is not None:
            count_file.write_text(str(count))
        os._exit(0)
    except BaseException:  # noqa: BLE001 - a child must never return into pytest
        os._exit(3)


def _fork(path: Path, kill_at: int | None = None, count_file: Path | None = None):
    proc = mp.get_context("fork").Process(target=_run_child, args=(path, kill_at, count_file))
    proc.start()
    return proc


def _check(path: Path, old: str, new: str) -> str:
    sha = _sha(path)
    assert sha in (old, new), "the workbook is neither the old nor the new version"
    book = calamine.CalamineWorkbook.from_path(str(path))
    rows = book.get_sheet_by_name(TASKS.name("zh")).to_python()
    assert rows[0][0] == TASKS.columns[0].zh
    return "new" if sha == new else "old"


def test_killed_writer_leaves_old_or_new_file(tmp_path, demo_path):
    path = tmp_path / "master.xlsx"
    shutil.copyfile(demo_path, path)
    old_bytes = path.read_bytes()
    old = _sha(path)

    # the new version, and how long / how many trace events a write takes
    probe = tmp_path / "probe" / "master.xlsx"
    probe.parent.mkdir()
    shutil.copyfile(demo_path, probe)
    t = time.monotonic()
    proc = _fork(probe, None, tmp_path / "count")
    proc.join(60)
    assert proc.exitcode == 0
    traced_events = int((tmp_path / "count").read_text())
    shutil.copyfile(demo_path, probe)
    t = time.monotonic()
    proc = _fork(probe)
    proc.join(60)
    duration = time.monotonic() - t
    assert proc.exitcode == 0
    new = _sha(probe)
    assert new != old

    rng = random.Random(20260309)
    outcomes = {"old": 0, "new": 0}
    for trial in range(TRACE_TRIALS):
        path.write_bytes(old_bytes)
        # half anywhere, half in the last 5% (verify, fsync, replace, clean-up)
        low = 1 if trial % 2 else int(traced_events * 0.95)
        proc = _fork(path, kill_at=rng.randint(low, traced_events))
        proc.join(60)
        assert proc.exitcode in (-signal.SIGKILL, 0)
        outcomes[_check(path, old, new)] += 1
    for _ in range(TIMER_TRIALS):
        path.write_bytes(old_bytes)
        proc = _fork(path)
        time.sleep(rng.uniform(0, duration * 1.2))
        if proc.is_alive():
            os.kill(proc.pid, signal.SIGKILL)
        proc.join(60)
        assert proc.exitcode in (-signal.SIGKILL, 0)
        outcomes[_check(path, old, new)] += 1
    print("outcomes", outcomes, "trace events", traced_events, f"write {duration:.3f} s")
    assert outcomes["old"] > 0 and outcomes["new"] > 0, outcomes

    # a later write cleans up after the killed ones and succeeds
    path.write_bytes(old_bytes)
    write_back(path, _edits(), keep=3)
    assert _sha(path) == new
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []
    assert not list((tmp_path / BACKUP_DIR).glob("*.partial"))
    assert len(list((tmp_path / BACKUP_DIR).glob("master.*.xlsx"))) <= 3
