"""The command line: help everywhere, init, demo, show, clear errors."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from xlcollab.cli import app
from xlcollab.io import read_workbook
from xlcollab.schema import SHEETS, STATUS, TASKS
from xlcollab.workbook.demo import demo_filename

runner = CliRunner()


def _commands():
    return sorted(get_command(app).commands)


def test_every_command_has_help():
    out = runner.invoke(app, ["--help"])
    assert out.exit_code == 0
    for name in _commands():
        assert name in out.output
        sub = runner.invoke(app, [name, "--help"])
        assert sub.exit_code == 0, name
        assert "Usage" in sub.output and "--help" in sub.output


def test_commands_that_depend_on_today_take_as_of():
    for name in ("init", "demo", "show"):
        assert "--as-of" in runner.invoke(app, [name, "--help"]).output


def test_init_writes_a_workbook_that_reads_back_clean(tmp_path):
    path = tmp_path / "项目.xlsx"
    out = runner.invoke(app, ["init", str(path), "--start", "2026-03-02"])
    assert out.exit_code == 0, out.output
    data = read_workbook(path)
    assert data.lang == "zh"
    # an empty project only lacks what the PM must fill in on the overview
    errors = [f for f in data.findings if f.severity == "error"]
    assert errors and {(f.rule_id, f.sheet) for f in errors} == {
        ("read.required", SHEETS["overview"].zh)
    }
    assert {f.column for f in errors} == {
        c.zh for c in SHEETS["overview"].columns if c.required and c.key != "start_date"
    }
    assert data.overview["start_date"] in (dt.date(2026, 3, 2), dt.datetime(2026, 3, 2))
    assert len(data.tables["tasks"]) == 0
    # the holiday sheet is prefilled for the start year: Qingming 2026
    hol = data.tables["holidays"]
    assert dt.datetime(2026, 4, 6) in set(hol["date"])


def test_init_in_english(tmp_path):
    path = tmp_path / "project.xlsx"
    assert runner.invoke(app, ["init", str(path), "--lang", "en"]).exit_code == 0
    data = read_workbook(path)
    assert data.lang == "en"
    assert data.layout["tasks"].name == SHEETS["tasks"].en


def test_init_never_overwrites_without_force_and_keeps_a_backup(tmp_path):
    path = tmp_path / "p.xlsx"
    assert runner.invoke(app, ["init", str(path)]).exit_code == 0
    before = path.read_bytes()
    out = runner.invoke(app, ["init", str(path)])
    assert out.exit_code == 2
    assert "--force" in out.output
    assert path.read_bytes() == before
    assert runner.invoke(app, ["init", str(path), "--force"]).exit_code == 0
    backups = list((tmp_path / ".xlcollab" / "backups").glob("p.*.xlsx"))
    assert len(backups) == 1 and backups[0].read_bytes() == before


def test_init_refuses_while_excel_has_the_file_open(tmp_path):
    path = tmp_path / "p.xlsx"
    assert runner.invoke(app, ["init", str(path)]).exit_code == 0
    (tmp_path / "~$p.xlsx").write_bytes(b"owner")
    out = runner.invoke(app, ["init", str(path), "--force"])
    assert out.exit_code == 2
    assert "Excel" in out.output


def test_demo_writes_the_workbook_and_prints_its_summary(tmp_path):
    out = runner.invoke(app, ["demo", str(tmp_path)])
    assert out.exit_code == 0, out.output
    path = tmp_path / demo_filename("zh")
    assert path.exists()
    text = out.output
    assert "客户服务数字化平台建设项目" in text
    assert "2026-04-01" in text  # the status date, not today
    # the status table shows every status label and the totals row
    for label in STATUS.labels("zh"):
        assert label in text
    assert "合计" in text
    data = read_workbook(path)
    n = len(_leaves(data.tables["tasks"]))  # tasks: summary rows are not counted
    assert re.search(rf"合计\s*│.*│\s*{n}\s*│", text)
    # and the packs of two departments, ready to hand out
    packs = sorted(p.name for p in (tmp_path / "packs").glob("*.xlsx"))
    assert packs == [
        "客户服务数字化平台建设项目_信息技术部_2026-04-01.xlsx",
        "客户服务数字化平台建设项目_财务部_2026-04-01.xlsx",
    ]


def _leaves(tasks):
    """The rows no other WBS code extends (README, "Figures")."""
    codes = [str(w) for w in tasks["wbs"]]
    parents = {c for c in codes for o in codes if o.startswith(c + ".")}
    return tasks[[c not in parents for c in codes]]


def test_show_counts_match_the_workbook(tmp_path):
    runner.invoke(app, ["demo", str(tmp_path)])
    path = tmp_path / demo_filename("zh")
    data = read_workbook(path)
    tasks = _leaves(data.tables["tasks"])
    out = runner.invoke(app, ["show", str(path), "--lang", "en", "--as-of", "2026-04-01"])
    assert out.exit_code == 0, out.output
    blocked = int((tasks["status"] == "blocked").sum())
    done = int((tasks["status"] == "done").sum())
    assert f"{len(tasks)}, done {done}" in out.output
    assert f"blocked {blocked}" in out.output
    assert TASKS.col("department").en in out.output


def test_show_pins_today_with_as_of(tmp_path):
    runner.invoke(app, ["demo", str(tmp_path)])
    path = tmp_path / demo_filename("zh")
    early = runner.invoke(app, ["show", str(path), "--as-of", "2026-03-02"]).output
    late = runner.invoke(app, ["show", str(path), "--as-of", "2026-04-20"]).output
    assert "2026-03-02" in early and "2026-04-20" in late
    overdue = lambda text: int(re.search(r"逾期 (\d+)", text).group(1))  # noqa: E731
    assert overdue(early) < overdue(late)


@pytest.mark.parametrize("content", [b"", b"not a workbook", b"PK\x03\x04broken"])
def test_unreadable_files_give_one_clear_message(tmp_path, content):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(content)
    out = runner.invoke(app, ["show", str(path)])
    assert out.exit_code == 2
    assert "Traceback" not in out.output
    assert "bad.xlsx" in out.output or "无法打开" in out.output


def test_missing_file(tmp_path):
    out = runner.invoke(app, ["show", str(tmp_path / "nope.xlsx")])
    assert out.exit_code == 2
    assert "Traceback" not in out.output


def test_bad_as_of_is_a_usage_error(tmp_path):
    out = runner.invoke(app, ["show", str(tmp_path / "x.xlsx"), "--as-of", "2026-13-01"])
    assert out.exit_code == 2
    assert "2026-13-01" in out.output


def test_written_files_get_normal_permissions(tmp_path):
    import os
    import stat

    path = tmp_path / "p.xlsx"
    old = os.umask(0o022)
    try:
        assert runner.invoke(app, ["init", str(path)]).exit_code == 0
        assert stat.S_IMODE(path.stat().st_mode) == 0o644
        path.chmod(0o664)
        assert runner.invoke(app, ["init", str(path), "--force"]).exit_code == 0
        assert stat.S_IMODE(path.stat().st_mode) == 0o664
    finally:
        os.umask(old)


def test_text_is_printed_as_written_never_as_emoji(tmp_path):
    """A name holding an emoji code (":ok:") is printed as written, not as 🆗."""
    out = runner.invoke(app, ["show", str(tmp_path / "周报:ok:.xlsx")])
    assert out.exit_code == 2
    assert ":ok:" in out.output and "🆗" not in out.output
