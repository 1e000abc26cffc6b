"""The ready-made workbooks in workbooks/ still match the schema and the demo
(scripts/make_workbooks.py writes them)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from xlcollab.io import read_workbook
from xlcollab.schema import SHEETS, Kind
from xlcollab.workbook.demo import demo_filename, demo_project

FOLDER = Path(__file__).parents[1] / "workbooks"
TEMPLATES = {"zh": "跨部门协同项目-模板.xlsx", "en": "cross-department-project-template.xlsx"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_template_has_every_sheet_and_header_of_the_schema(lang):
    data = read_workbook(FOLDER / TEMPLATES[lang])
    assert data.lang == lang
    assert [f for f in data.findings if f.severity in ("error", "warning")] == []
    for sheet in SHEETS.values():
        if sheet.kind is not Kind.TABLE:
            continue
        layout = data.layout[sheet.key]
        assert layout.name == sheet.name(lang)
        assert [layout.headers[c.key] for c in sheet.columns] == [
            c.header(lang) for c in sheet.columns
        ]
        assert len(data.tables[sheet.key]) == (
            len(data.tables["holidays"]) if sheet.key == "holidays" else 0
        )
    assert len(data.tables["holidays"]) > 20  # 2026's official days off and make-up days


def test_committed_demo_is_the_demo():
    data = read_workbook(FOLDER / demo_filename("zh"))
    assert [f for f in data.findings if f.severity == "error"] == []
    expected = demo_project("zh")
    for sheet in SHEETS.values():
        if sheet.kind is not Kind.TABLE or sheet.key == "findings":
            continue
        keys = [c.key for c in sheet.input_columns]
        pd.testing.assert_frame_equal(
            data.tables[sheet.key][keys].reset_index(drop=True),
            expected.tables[sheet.key][keys].reset_index(drop=True),
            check_dtype=False,
            obj=sheet.key,
        )
