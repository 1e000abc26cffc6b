"""Render every document of the demo project to PNG pages, and the README's
pictures, through LibreOffice.

    .venv/bin/python scripts/render_pages.py [--out DIR] [--date 2026-04-01 ...]
                                             [--lang zh --lang en] [--dpi 60]
                                             [--docs docs] [--no-pictures]

For each date and language: the demo workbook's eight documents (the
briefing for the date's month, the quality opinion for the default
milestone), the monthly finance workbook and its Word report for the month
before the date (the month of the date when it is the month's last day),
and the master workbook's printed sheets. Each file is converted to PDF with
LibreOffice headless (one start for all files) and every page to PNG with
``pdftoppm``:

    DIR/<date>-<lang>/<file stem>/page-01.png …

so that a person can look at every page as the reader would. Unless
``--no-pictures``, the README's pictures are written to ``docs/`` from the
first date in Chinese: report-weekly.png, report-summary.png (first pages)
and workbook-tasks.png, workbook-gantt.png (the sheets as printed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

from xlcollab.core.calendar import WorkCalendar
from xlcollab.core.money import month_period
from xlcollab.finance.pipeline import monthly_finance
from xlcollab.finance.report import write_fund_report
from xlcollab.io.office import convert_many
from xlcollab.io.save import save_new_workbook
from xlcollab.reports import generate_all
from xlcollab.reports.pdf import to_pdf
from xlcollab.schema import SHEETS
from xlcollab.workbook import build_workbook
from xlcollab.workbook.demo import STATUS_DATE, demo_project

DATES = (STATUS_DATE, dt.date(2026, 4, 30))
SHEETS_PRINTED = ("tasks", "gantt", "risks", "budget", "expenses")
README_DOCS = {"weekly": "report-weekly", "summary": "report-summary"}
README_SHEETS = {"tasks": "workbook-tasks", "gantt": "workbook-gantt"}


def fund_month(day: dt.date) -> str:
    """The month a fund report sent on ``day`` covers: the month of ``day``
    on its last day, else the month before."""
    nxt = day + dt.timedelta(days=1)
    if nxt.month != day.month:
        return f"{day.year}-{day.month:02d}"
    prev = day.replace(day=1) - dt.timedelta(days=1)
    return f"{prev.year}-{prev.month:02d}"


def write_documents(day: dt.date, lang: str, out: Path) -> list[Path]:
    """Every document, the finance pair and the printed sheets for ``day``."""
    data = demo_project(lang)
    cal = WorkCalendar.from_holidays(data.tables["holidays"])
    paths = generate_all(data, out, as_of=day, lang=lang, cal=cal)
    mf = monthly_finance(data, month_period(fund_month(day)), day, cal, lang)
    book = out / mf.filename("xlsx")
    save_new_workbook(mf.workbook(), book, overwrite=True)
    paths += [book, write_fund_report(mf, data, day, out / mf.filename("docx"), overwrite=True)]
    for key in SHEETS_PRINTED:
        paths.append(sheet_only(data, key, lang, out))
    return paths


def sheet_only(data, key: str, lang: str, out: Path) -> Path:
    """A copy of the master workbook with only sheet ``key`` visible (what
    LibreOffice prints of it)."""
    wb = build_workbook(data)
    wanted = SHEETS[key].name(lang)
    for ws in wb.worksheets:
        ws.sheet_state = "visible" if ws.title == wanted else "hidden"
    wb.active = wb.sheetnames.index(wanted)
    path = out / f"master-{key}.xlsx"
    save_new_workbook(wb, path, overwrite=True)
    return path


def pages(pdf: Path, folder: Path, dpi: int) -> list[Path]:
    """Every page of ``pdf`` as folder/page-NN.png."""
    folder.mkdir(parents=True)
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(folder / "page")], check=True)
    return sorted(folder.glob("page-*.png"))


def first_page(pdf: Path, target: Path, dpi: int) -> Path:
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile"]
        + [str(pdf), str(target.with_suffix(""))],
        check=True,
    )
    return target


def render(day: dt.date, lang: str, out: Path, dpi: int) -> dict[str, Path]:
    """Write, convert and rasterise one date and language; returns {file
    stem: its PDF}."""
    work = out / f"{day.isoformat()}-{lang}"
    if work.exists():
        shutil.rmtree(work)
    files = work / "files"
    files.mkdir(parents=True)
    docs = write_documents(day, lang, files)
    office = [p for p in docs if p.suffix in (".docx", ".pptx")]
    books = [p for p in docs if p.suffix == ".xlsx"]
    pdfs = dict(to_pdf(office, work / "pdf"))
    pdfs.update(convert_many(books, "pdf", work / "pdf-xlsx"))
    out_map = {}
    for src, pdf in pdfs.items():
        folder = work / src.name.replace(".", "-")
        n = len(pages(pdf, folder, dpi))
        print(f"{folder}: {n} page(s)")
        out_map[src.stem] = pdf
    return out_map


def readme_pictures(pdfs: dict[str, Path], docs_dir: Path) -> None:
    docs_dir.mkdir(parents=True, exist_ok=True)
    for stem, pdf in pdfs.items():
        kind = stem.split("_")[0]
        for key, name in README_DOCS.items():
            if kind == {"weekly": "周例会进度报告", "summary": "项目总结报告"}[key]:
                print(first_page(pdf, docs_dir / f"{name}.png", 80))
        for key, name in README_SHEETS.items():
            if stem == f"master-{key}":
                print(first_page(pdf, docs_dir / f"{name}.png", 110))


def main(argv: list[str]) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=Path("pages"))
    ap.add_argument("--date", action="append", type=dt.date.fromisoformat)
    ap.add_argument("--lang", action="append", choices=("zh", "en"))
    ap.add_argument("--dpi", type=int, default=60)
    ap.add_argument("--docs", type=Path, default=Path("docs"))
    ap.add_argument("--no-pictures", action="store_true")
    args = ap.parse_args(argv[1:])
    dates = args.date or list(DATES)
    langs = args.lang or ["zh", "en"]
    for i, day in enumerate(dates):
        for lang in langs:
            pdfs = render(day, lang, args.out, args.dpi)
            if i == 0 and lang == "zh" and not args.no_pictures:
                readme_pictures(pdfs, args.docs)


if __name__ == "__main__":
    main(sys.argv)
