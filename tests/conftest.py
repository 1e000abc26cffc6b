"""Shared fixtures: temporary folders, LibreOffice, the demo workbook."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from xlcollab.io.office import soffice


@pytest.fixture(scope="session")
def office() -> str:
    """The soffice executable. Without LibreOffice the test skips, or fails
    when XLCOLLAB_REQUIRE_OFFICE=1 (CI), so CI never passes by skipping."""
    exe = soffice()
    if exe is None:
        if os.environ.get("XLCOLLAB_REQUIRE_OFFICE") == "1":
            pytest.fail("LibreOffice (soffice) is required but not installed")
        pytest.skip("LibreOffice (soffice) is not installed")
    return exe


@pytest.fixture(scope="session")
def demo_path(tmp_path_factory) -> Path:
    """The demo master workbook, built once per test session."""
    from xlcollab.io.save import save_new_workbook
    from xlcollab.workbook import build_workbook
    from xlcollab.workbook.demo import demo_project

    path = tmp_path_factory.mktemp("demo") / "demo.xlsx"
    save_new_workbook(build_workbook(demo_project()), path)
    return path
