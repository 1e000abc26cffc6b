"""The commands read 检查结果 (the findings ``check --write`` writes) by its
header alone (``COMMAND_SHEETS``): where its columns are comes from the
sheet's Excel table, the sheet itself is not parsed, and everything else
read is what a whole read gives."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
import zipfile

import pandas as pd
import pytest
from zipparts import rewrite

from xlcollab.check import check
from xlcollab.io import COMMAND_SHEETS, WorkbookError, read_workbook
from xlcollab.io.plan import write_edits
from xlcollab.io.scan import zip_sheet_parts
from xlcollab.io.writeback import write_back
from xlcollab.schema import FINDINGS


@pytest.fixture
def checked(demo_path, tmp_path):
    """The demo master after ``check --write``: 检查结果 holds its findings."""
    path = tmp_path / "master.xlsx"
    shutil.copyfile(demo_path, path)
    data = read_workbook(path)
    edits, _notes = write_edits(data, check(data, dt.date(2026, 4, 1)))
    write_back(path, edits)
    return path


def findings_part(path) -> str:
    with zipfile.ZipFile(path) as z:
        return zip_sheet_parts(z)[FINDINGS.name("zh")]


def same_but_findings_rows(whole, command) -> None:
    assert len(whole.tables["findings"]) > 5 and command.tables["findings"].empty
    assert list(command.tables["findings"].columns) == list(whole.tables["findings"].columns)
    lay = lambda d: dataclasses.replace(d.layout["findings"], last_row=0)  # noqa: E731
    assert lay(command) == lay(whole) and command.layout["findings"].columns
    for key, frame in whole.tables.items():
        if key != "findings":
            pd.testing.assert_frame_equal(command.tables[key], frame)
    assert {k: v for k, v in command.layout.items() if k != "findings"} == {
        k: v for k, v in whole.layout.items() if k != "findings"
    }
    assert (command.overview, command.settings, command.lists) == (
        whole.overview,
        whole.settings,
        whole.lists,
    )
    assert [str(f) for f in command.findings] == [str(f) for f in whole.findings]


def test_the_commands_read_everything_but_the_findings_rows(checked):
    same_but_findings_rows(read_workbook(checked), read_workbook(checked, sheets=COMMAND_SHEETS))


def test_the_findings_sheet_is_not_parsed(checked):
    """Its part damaged past repair: a whole read is refused, the commands'
    read does not even open it."""
    whole = read_workbook(checked)
    rewrite(checked, findings_part(checked), lambda xml: xml[: len(xml) // 2])
    with pytest.raises(WorkbookError):
        read_workbook(checked)
    command = read_workbook(checked, sheets=COMMAND_SHEETS)
    assert command.layout["findings"].columns == whole.layout["findings"].columns


def test_without_its_table_the_header_is_read_from_the_sheet(checked):
    whole = read_workbook(checked)
    part = findings_part(checked)
    rels = part.replace("worksheets/", "worksheets/_rels/") + ".rels"
    rewrite(checked, rels, lambda xml: re.sub(rb"<Relationship [^>]*/table\"[^>]*/>", b"", xml))
    command = read_workbook(checked, sheets=COMMAND_SHEETS)
    same_but_findings_rows(whole, command)


def test_the_findings_rows_are_read_where_a_command_uses_them(checked, tmp_path):
    """``export csv`` of 检查结果 reads its rows; ``check`` reads its header
    and writes the same findings again."""
    from typer.testing import CliRunner

    from xlcollab.cli import app

    written = len(read_workbook(checked).tables["findings"])
    out = tmp_path / "findings.csv"
    done = CliRunner().invoke(
        app, ["export", "csv", str(checked), FINDINGS.name("zh"), "-o", str(out)]
    )
    assert done.exit_code == 0, done.output
    assert len(out.read_text(encoding="utf-8-sig").splitlines()) == written + 1
    again = CliRunner().invoke(app, ["check", str(checked), "--as-of", "2026-04-01", "--write"])
    assert again.exit_code in (0, 1), again.output
    assert len(read_workbook(checked).tables["findings"]) == written
