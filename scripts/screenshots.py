"""Render the README's pictures of the demo workbook with LibreOffice.

    .venv/bin/python scripts/screenshots.py [docs]

For each sheet shown, a copy of the demo workbook with only that sheet
visible is printed to PDF by LibreOffice headless (which recalculates every
formula), and the first page is turned into a PNG with pdftoppm.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from xlcollab.io.office import convert
from xlcollab.io.save import save_new_workbook
from xlcollab.schema import SHEETS
from xlcollab.workbook import build_workbook
from xlcollab.workbook.demo import demo_project

SHOTS = {"tasks": "workbook-tasks", "gantt": "workbook-gantt"}


def render(sheet_key: str, out: Path, work: Path) -> Path:
    wb = build_workbook(demo_project())
    wanted = SHEETS[sheet_key].name("zh")
    for ws in wb.worksheets:
        ws.sheet_state = "visible" if ws.title == wanted else "hidden"
    wb.active = wb.sheetnames.index(wanted)
    src = work / f"{SHOTS[sheet_key]}.xlsx"
    save_new_workbook(wb, src, overwrite=True)
    pdf = convert(src, "pdf", work)
    target = out / SHOTS[sheet_key]
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "110",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(target),
        ],
        check=True,
    )
    return target.with_suffix(".png")


def main(argv: list[str]) -> None:
    out = Path(argv[1] if len(argv) > 1 else "docs")
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for key in SHOTS:
            print(render(key, out, Path(tmp)))


if __name__ == "__main__":
    main(sys.argv)
