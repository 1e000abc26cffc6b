"""``check`` ends its process as soon as its output is flushed
(:func:`xlcollab.cli.app.end_now`): the whole output still arrives through a
pipe, the exit code says what it always said, and a written workbook is
complete."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile

CLI = [sys.executable, "-m", "xlcollab.cli"]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], capture_output=True, timeout=300)


def test_check_json_arrives_whole_with_its_exit_code(demo_path):
    out = run("check", str(demo_path), "--as-of", "2026-04-01", "--format", "json")
    report = json.loads(out.stdout.decode("utf-8"))  # the last byte arrived too
    assert out.returncode == (0 if report["valid"] else 1)
    assert report["findings"] and report["stats"]["findings"] == len(report["findings"])


def test_check_write_leaves_a_whole_workbook(demo_path, tmp_path):
    path = tmp_path / "master.xlsx"
    shutil.copyfile(demo_path, path)
    out = run("check", str(path), "--as-of", "2026-04-01", "--write")
    assert out.returncode in (0, 1), out.stderr.decode("utf-8", "replace")
    assert "已写回" in out.stdout.decode("utf-8") + out.stderr.decode("utf-8")
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None


def test_a_usage_error_keeps_its_exit_code_and_message(demo_path):
    out = run("check", str(demo_path), "--as-of", "not-a-date")
    assert out.returncode == 2
    assert out.stderr.strip()
