"""Fast start: each command imports only what it needs. ``check`` runs in a
fresh interpreter and none of the document, chart, workbook-writing or
Excel libraries is loaded; the weekly report loads no slide, spreadsheet or
Excel library, and no chart is drawn through pyplot."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

#: what runs each command and prints the top-level modules it loaded
SNIPPET = """
import json, sys
from xlcollab.cli import app
try:
    app(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)))
"""

#: documents, charts, workbook writers, Excel, calendars, MS Project
HEAVY = (
    "matplotlib",
    "docx",
    "docxtpl",
    "pptx",
    "jinja2",
    "openpyxl",
    "xlsxwriter",
    "PIL",
    "xlwings",
    "icalendar",
    "mpxj",
    "jpype",
    "selenium",
)


def loaded(*args: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", SNIPPET, *args], capture_output=True, text=True, timeout=300
    )
    assert out.stdout.strip(), out.stderr
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def tops(modules: set[str]) -> set[str]:
    return {m.split(".")[0] for m in modules}


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_check_loads_no_document_chart_or_excel_library(demo_path, fmt):
    mods = loaded("check", str(demo_path), "--as-of", "2026-04-01", "--format", fmt)
    assert "xlcollab.check" in mods  # it did run
    assert tops(mods) & set(HEAVY) == set()
    assert not {m for m in mods if m.startswith("xlcollab.reports")}


def test_weekly_report_loads_only_what_it_draws_and_writes(demo_path, tmp_path):
    mods = loaded("report", "weekly", str(demo_path), "--as-of", "2026-04-01", "-o", str(tmp_path))
    assert list(tmp_path.glob("*.docx"))
    assert {"PIL", "docxtpl"} <= tops(mods)
    assert "matplotlib" not in tops(mods)
    assert tops(mods) & {"pptx", "openpyxl", "xlwings", "icalendar", "mpxj", "jpype"} == set()
