"""Render the README's pictures of a department pack and a merge preview.

    .venv/bin/python scripts/pack_pictures.py [docs]

The demo is split for 信息技术部; the pack's 说明 sheet and its task
checklist are printed to PDF by LibreOffice headless and turned into PNGs
with pdftoppm. Then the pack is edited (one own task, one other
department's task) and ``merge --dry-run``'s preview is recorded by rich as
SVG and photographed by headless Chromium.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import openpyxl
from rich import box
from rich.console import Console

import xlcollab.cli.packs as packs_cli
from xlcollab.io.office import convert
from xlcollab.io.save import save_new_workbook
from xlcollab.io.writeback import SheetEdit, write_back
from xlcollab.schema import PACK_GUIDE, PACK_ROW_ID, TASKS
from xlcollab.workbook import build_workbook
from xlcollab.workbook.demo import demo_project
from xlcollab.workbook.layout import col_index

DEPT = "信息技术部"
# a CJK monospace font: a Chinese character is exactly two columns wide
_HTML = (
    '<!DOCTYPE html><html><head><meta charset="utf-8"></head>'
    '<body style="margin:12px;background:#fff">'
    "<pre style=\"font-family:'Noto Sans Mono CJK SC',monospace;font-size:13px;"
    'line-height:1.35;color:#222">{code}</pre></body></html>'
)


def _png(pdf: Path, target: Path, dpi: int) -> Path:
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            str(dpi),
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


def _ascii(table):
    table.box = box.ASCII2
    return table


def _only(pack: Path, sheet: str, work: Path) -> Path:
    wb = openpyxl.load_workbook(pack)
    for ws in wb.worksheets:
        if ws.sheet_state != "veryHidden":
            ws.sheet_state = "visible" if ws.title == sheet else "hidden"
    wb.active = wb.sheetnames.index(sheet)
    out = work / f"only-{len(list(work.glob('only-*')))}.xlsx"
    wb.save(out)
    return out


def main(argv: list[str]) -> None:
    out = Path(argv[1] if len(argv) > 1 else "docs").resolve()
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        master = work / "master.xlsx"
        save_new_workbook(build_workbook(demo_project()), master)
        data = packs_cli.read(master, None)
        day = dt.date(2026, 4, 1)
        (pack,) = packs_cli.write_packs(
            data, work / "packs", [DEPT], day, dt.datetime(2026, 4, 1, 9)
        )
        for sheet, name, dpi in ((PACK_GUIDE.zh, "pack-guide", 80), (TASKS.zh, "pack-tasks", 110)):
            print(_png(convert(_only(pack, sheet, work), "pdf", work), out / name, dpi))

        wb = openpyxl.load_workbook(pack)
        ws = wb[TASKS.zh]
        ids = len(TASKS.columns) + 1
        for r in range(2, ws.max_row + 1):
            if ws.cell(r, ids).value == "k:3.2.3":
                ws.cell(r, col_index("tasks", "progress")).value = 0.9
                ws.cell(r, col_index("tasks", "notes")).value = "接口联调已排期"
            if ws.cell(r, ids).value == "k:3.2.4":
                ws.cell(r, col_index("tasks", "status")).value = "已完成"
            if ws.cell(r, ids).value == "k:1.1":
                ws.cell(r, col_index("tasks", "notes")).value = "改别人的任务"
        new = max(r for r in range(2, ws.max_row + 1) if ws.cell(r, ids).value) + 1
        for key, value in (
            ("wbs", "3.2.3.1"),
            ("name", "接口联调"),
            ("owner", "杨帆"),
            ("planned_start", dt.date(2026, 4, 8)),
            ("planned_finish", dt.date(2026, 4, 10)),
            ("status", "未开始"),
        ):
            ws.cell(new, col_index("tasks", key)).value = value
        assert ws.cell(1, ids).value == PACK_ROW_ID.zh
        wb.save(pack)
        # meanwhile the PM changes 3.2.4 in the master
        edit = SheetEdit.for_sheet(data, "tasks")
        row = int(data.tables["tasks"].index[data.tables["tasks"]["wbs"] == "3.2.4"][0])
        write_back(master, [edit.set(row, "status", "阻塞")])
        console = Console(record=True, width=215)
        packs_cli.console = console
        table = packs_cli.preview_table
        # ASCII rules: box-drawing glyphs are not half-width in the CJK monospace font
        packs_cli.preview_table = lambda *a, **k: _ascii(table(*a, **k))
        packs_cli.merge_one(
            master,
            pack,
            dry_run=True,
            lang="zh",
            day=day + dt.timedelta(1),
            when=dt.datetime(2026, 4, 2, 10),
        )
        page = work / "merge-preview.html"
        page.write_text(console.export_html(inline_styles=True, code_format=_HTML), "utf-8")
        exe = shutil.which("chromium") or shutil.which("chromium-browser") or "chromium"
        subprocess.run(
            [
                exe,
                "--headless",
                "--no-sandbox",
                "--hide-scrollbars",
                f"--screenshot={out / 'merge-preview.png'}",
                "--window-size=1700,330",
                page.as_uri(),
            ],
            check=True,
            capture_output=True,
        )
        print(out / "merge-preview.png")


if __name__ == "__main__":
    main(sys.argv)
