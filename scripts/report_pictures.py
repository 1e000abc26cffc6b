"""Render the first pages of two demo documents to PNG for the README.

    .venv/bin/python scripts/report_pictures.py [OUT_DIR]   # default: docs/

Writes the demo project's document pack (status date 2026-04-01), converts
the weekly report and the summary report to PDF with LibreOffice and renders
their first pages with pdftoppm: docs/report-weekly.png, docs/report-summary.png.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from xlcollab.reports import generate
from xlcollab.reports.pdf import to_pdf
from xlcollab.workbook.demo import STATUS_DATE, demo_project

PICTURES = {"weekly": "report-weekly", "summary": "report-summary"}


def main(argv: list[str]) -> None:
    out = Path(argv[1] if len(argv) > 1 else "docs")
    out.mkdir(parents=True, exist_ok=True)
    data = demo_project()
    with tempfile.TemporaryDirectory() as tmp:
        docs = {k: generate(k, data, Path(tmp), as_of=STATUS_DATE) for k in PICTURES}
        pdfs = to_pdf(docs.values(), Path(tmp) / "pdf")
        for kind, name in PICTURES.items():
            target = out / name
            subprocess.run(
                [
                    "pdftoppm",
                    "-png",
                    "-r",
                    "80",
                    "-f",
                    "1",
                    "-l",
                    "1",
                    "-singlefile",
                    str(pdfs[docs[kind]]),
                    str(target),
                ],
                check=True,
            )
            print(target.with_suffix(".png"))


if __name__ == "__main__":
    main(sys.argv)
