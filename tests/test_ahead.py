"""Sheets parsed ahead on worker threads (xlcollab.io.ahead): the reader
reads the same workbook into the same data with workers as without, a
damaged sheet found on a worker reaches the user as a message naming it,
and no file stays open afterwards (the 参数 row limit on the workers:
tests/test_bounds.py)."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import xlcollab.io.read as reader
from xlcollab.io import WorkbookError, read_workbook
from xlcollab.io.ahead import SheetsAhead
from xlcollab.schema import SHEETS


@pytest.fixture
def workers(monkeypatch):
    """Every package, however small, read with the worker threads."""
    monkeypatch.setattr(reader, "PARALLEL_FROM", 0)


def _same(a, b) -> None:
    assert a.lang == b.lang
    assert sorted(a.tables) == sorted(b.tables)
    for key in a.tables:
        pd.testing.assert_frame_equal(a.tables[key], b.tables[key])
    assert a.overview == b.overview and a.settings == b.settings and a.lists == b.lists
    assert [f.to_dict() for f in a.findings] == [f.to_dict() for f in b.findings]
    assert a.tolerated == b.tolerated
    assert {k: vars(v) for k, v in a.layout.items()} == {k: vars(v) for k, v in b.layout.items()}


def test_workers_read_what_one_thread_reads(demo_path, monkeypatch):
    alone = read_workbook(demo_path)
    monkeypatch.setattr(reader, "PARALLEL_FROM", 0)
    with_workers = read_workbook(demo_path)
    assert len(with_workers.tables["tasks"]) == len(alone.tables["tasks"]) > 50
    _same(alone, with_workers)
    _same(read_workbook(Path(demo_path).read_bytes()), with_workers)  # from bytes too


def test_a_workbook_with_mistakes_reads_the_same_with_workers(demo_path, tmp_path, monkeypatch):
    wb = openpyxl.load_workbook(demo_path)
    tasks = wb[SHEETS["tasks"].zh]
    tasks["C5"] = "=1/0"  # an error value: found by the sheet's scan on a worker
    tasks["H6"] = "下周三"  # not a date
    path = tmp_path / "mistakes.xlsx"
    wb.save(path)
    alone = read_workbook(path)
    monkeypatch.setattr(reader, "PARALLEL_FROM", 0)
    with_workers = read_workbook(path)
    _same(alone, with_workers)
    assert any(f.cell == "H6" for f in with_workers.findings)


def test_a_damaged_sheet_on_a_worker_is_named(demo_path, tmp_path, workers):
    src = zipfile.ZipFile(demo_path)
    parts = reader.bounds.check_package(src).parts
    damaged = parts[SHEETS["expenses"].zh]
    path = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == damaged:
                data = data[: len(data) // 2]  # cut in the middle of a row
            out.writestr(info, data)
    src.close()
    with pytest.raises(WorkbookError) as err:
        read_workbook(path)
    assert SHEETS["expenses"].zh in str(err.value)


def _open_files(path: Path) -> int:
    target = str(path.resolve())
    fds = Path("/proc/self/fd")
    return sum(1 for fd in fds.iterdir() if os.path.realpath(fd) == target)


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="needs /proc")
def test_no_file_stays_open(demo_path, tmp_path, workers):
    path = tmp_path / "book.xlsx"
    path.write_bytes(Path(demo_path).read_bytes())
    read_workbook(path)
    assert _open_files(path) == 0
    sheets = SheetsAhead(
        zipfile.ZipFile(path),
        {},
        lambda: reader.calamine.CalamineWorkbook.from_path(str(path)),
        parallel=True,
    )
    sheets.ahead([SHEETS["tasks"].zh, SHEETS["risks"].zh])
    sheets.sheet(SHEETS["tasks"].zh)
    sheets.close()  # the risks sheet's worker, and every workbook it opened, closed too
    assert _open_files(path) == 0


def test_the_callers_work_runs_once_on_the_workers_too(demo_path, workers):
    from xlcollab.finance.pipeline import SHEETS_USED

    calls = []
    data = read_workbook(
        demo_path, sheets=SHEETS_USED, meanwhile=[lambda: calls.append(1), lambda: calls.append(2)]
    )
    assert calls == [1, 2]  # every step, once, in order
    _same(data, read_workbook(demo_path, sheets=SHEETS_USED))


def test_waiting_alone_means_a_worker_is_idle(tmp_path):
    """The reader does the caller's work while it waits for a sheet only
    when fewer sheets than workers are still being parsed."""
    from concurrent.futures import Future

    path = tmp_path / "empty.zip"
    zipfile.ZipFile(path, "w").close()
    sheets = SheetsAhead(zipfile.ZipFile(path), {}, lambda: None, parallel=True)
    first, second = Future(), Future()
    sheets.ahead([])  # no sheet: the pool only
    sheets._jobs.update({"a": first, "b": second})
    assert not sheets.waiting_alone("a")  # the other worker is busy too
    second.set_result(None)
    assert sheets.waiting_alone("a")
    first.set_result(None)
    assert not sheets.waiting_alone("a")  # ready: no wait
    assert not sheets.waiting_alone("c")  # not handed to the workers
    sheets._jobs.clear()
    sheets.close()


def test_the_callers_work_fails_as_its_own(demo_path, workers):
    def boom():
        raise RuntimeError("the caller's own")

    with pytest.raises(RuntimeError, match="caller's own"):
        read_workbook(demo_path, meanwhile=[boom])
