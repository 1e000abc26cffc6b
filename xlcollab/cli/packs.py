"""split and merge: department packs out of the master and back in."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer
from rich.table import Table

from xlcollab.cli.common import (
    AsOfOpt,
    app,
    check_lang,
    console,
    fail,
    now,
    parse_date,
    progress_bar,
    read,
    resolve_as_of,
    save,
)
from xlcollab.schema.lang import tr

__all__ = ["split", "merge", "merge_one", "preview_table", "default_due"]


def default_due(day: dt.date) -> dt.date:
    """When a pack is due back by default: the Friday after the split (a
    week later when the split is on a Friday), before Monday's meeting."""
    return day + dt.timedelta(days=(4 - day.weekday()) % 7 or 7)


def write_packs(
    data,
    directory: Path,
    departments,
    day: dt.date,
    stamp: dt.datetime,
    *,
    due: dt.date | None = None,
    lang: str | None = None,
    force: bool = True,
) -> list[Path]:
    """Write the packs of ``departments`` into ``directory``; returns their paths."""
    from xlcollab.packs.build import build_pack
    from xlcollab.packs.split import pack_filename, split_plan

    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for dept in departments:
        plan = split_plan(data, dept, stamp.isoformat(timespec="seconds"))
        wb = build_pack(plan, due or default_due(day), lang or data.lang)
        path = directory / pack_filename(plan.identity["project"], dept, day)
        save(wb, path, force)
        written.append(path)
    return written


@app.command()
def split(
    path: Path = typer.Argument(..., help="主工作簿 / The master workbook."),
    out: Path = typer.Option(..., "-o", "--out", help="部门文件的输出目录 / Folder for the packs."),
    departments: list[str] = typer.Option(
        [],
        "--departments",
        "-d",
        help="只拆分这些部门（可重复或逗号分隔）/ Only these departments "
        "(repeat or comma separate).",
    ),
    due: str | None = typer.Option(
        None, "--due", help="要求发回的日期 / When the packs are due back (default: next Friday)."
    ),
    as_of: str | None = AsOfOpt,
    lang: str | None = typer.Option(
        None, "--lang", help="zh | en（默认跟随工作簿 / default: the workbook's)."
    ),
    force: bool = typer.Option(
        True, "--force/--no-force", help="覆盖同名部门文件 / Overwrite packs of the same name."
    ),
):
    """拆分部门文件：每个部门一个工作簿，只能改本部门的行 / One workbook per department.

    Each pack is editable only in the department's own rows."""
    from xlcollab.packs.split import pack_departments

    lang = lang and check_lang(lang)
    due_day = parse_date(due)
    data = read(path, lang)
    lang = lang or data.lang
    day = resolve_as_of(as_of, data)
    known = pack_departments(data)
    wanted = [
        d.strip() for item in departments for d in item.replace("，", ",").split(",") if d.strip()
    ]
    unknown = [d for d in wanted if d not in known]
    if unknown:
        sep = tr(lang, "、", ", ")
        fail(
            tr(lang, "没有这些部门的任务、风险、费用或待办：", "No rows belong to: ")
            + sep.join(unknown)
            + tr(lang, "；可选：", "; choose from: ")
            + sep.join(known)
        )
    chosen = wanted or known
    stamp = now(day)
    written = []
    with progress_bar(console) as progress:
        task = progress.add_task(tr(lang, "拆分 / split", "split"), total=len(chosen))
        for dept in chosen:
            written += write_packs(data, out, [dept], day, stamp, due=due_day, lang=lang)
            progress.advance(task)
    for p in written:
        console.print(tr(lang, "已生成部门文件：", "Pack written: ") + str(p))


def preview_table(plan, placed, lang: str, title: str, layout=None) -> Table:
    """Every accepted change and every conflict: sheet, cell, old, new.
    ``layout`` (the master's ``data.layout``) places the conflicts' cells."""
    from xlcollab.model import messages
    from xlcollab.model.a1 import col_letter
    from xlcollab.packs.fingerprint import display
    from xlcollab.schema import SHEETS

    t = Table(title=title, show_lines=False)
    for key in ("result", "sheet", "cell", "record", "field", "old", "new", "master", "note"):
        t.add_column(messages.label(f"merge_{key}", lang))
    for c in placed.cells:
        t.add_row(
            "[green]" + (tr(lang, "新增", "added") if c.added else tr(lang, "接受", "accepted")),
            SHEETS[c.sheet].name(lang),
            c.cell,
            c.record,
            SHEETS[c.sheet].col(c.column).header(lang),
            c.old,
            c.new,
            "",
            "",
        )
    for k in plan.conflicts + placed.conflicts:
        cell = ""
        found = layout.get(k.sheet) if layout else None
        if k.row is not None and k.column and found and k.column in found.columns:
            cell = f"{col_letter(found.columns[k.column])}{k.row}"
        t.add_row(
            "[red]" + tr(lang, "冲突", "conflict"),
            SHEETS[k.sheet].name(lang),
            cell,
            k.record,
            SHEETS[k.sheet].col(k.column).header(lang) if k.column else "",
            display(k.sheet, k.column, k.old, lang),
            display(k.sheet, k.column, k.new, lang),
            display(k.sheet, k.column, k.master, lang),
            k.message(lang),
        )
    return t


def merge_one(
    path: Path,
    pack_path: Path,
    *,
    dry_run: bool,
    lang: str | None,
    day: dt.date | None,
    when: dt.datetime | None = None,
    show: bool = True,
):
    """Merge one pack into the master at ``path``; returns (plan, placed,
    written). Raises the reader's, the pack reader's or the writer's errors."""
    from xlcollab.io import read_workbook
    from xlcollab.io.writeback import file_signature, write_back
    from xlcollab.packs.apply import merge_edits, merged_splits
    from xlcollab.packs.merge import merge_plan
    from xlcollab.packs.read import read_pack

    sig = file_signature(path)
    raw = path.read_bytes()
    master = read_workbook(raw, lang=lang)
    lang = lang or master.lang
    pack = read_pack(pack_path, lang)
    plan = merge_plan(master, pack, merged_splits(master))
    when = when or now(day)
    placed = merge_edits(
        master,
        raw,
        plan,
        pack_file=pack_path.name,
        split_at=pack.identity.get("split_at", ""),
        when=when,
        lang=lang,
    )
    if show:
        title = tr(
            lang,
            f"{pack_path.name}（{pack.department}）合并预览",
            f"{pack_path.name} ({pack.department}): merge preview",
        )
        if placed.cells or plan.conflicts or placed.conflicts:
            console.print(preview_table(plan, placed, lang, title, master.layout))
        else:
            console.print(
                tr(
                    lang,
                    f"{pack_path.name}：没有需要合并的修改",
                    f"{pack_path.name}: nothing to merge",
                )
            )
    written = False
    if not dry_run and placed.edits:
        keep = master.setting("backup_keep")
        write_back(
            path,
            placed.edits,
            read_signature=sig,
            lang=lang,
            keep=int(keep) if isinstance(keep, int) and keep > 0 else 10,
        )
        written = True
    return plan, placed, written


@app.command()
def merge(
    path: Path = typer.Argument(..., help="主工作簿 / The master workbook."),
    packs: list[Path] = typer.Argument(..., help="部门发回的文件 / The returned department packs."),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="只预览，不写入 / Only show what would change."
    ),
    as_of: str | None = AsOfOpt,
    lang: str | None = typer.Option(
        None, "--lang", help="zh | en（默认跟随工作簿 / default: the workbook's)."
    ),
):
    """合并部门回传，列出所有冲突 / Merge returned department packs.

    Each department's own changes are accepted; every conflict is listed, never applied."""
    from xlcollab.io.errors import WorkbookError
    from xlcollab.io.safety import SaveError
    from xlcollab.packs.read import PackError

    lang = lang and check_lang(lang)
    day = parse_date(as_of)
    conflicts = 0
    for pack_path in packs:
        try:
            plan, placed, written = merge_one(path, pack_path, dry_run=dry_run, lang=lang, day=day)
        except (WorkbookError, PackError) as exc:
            finding = getattr(exc, "finding", None)
            fail(str(finding) if finding else str(exc))
        except SaveError as exc:
            fail(str(exc))
        conflicts += len(plan.conflicts) + len(placed.conflicts)
        n = len(placed.cells)
        k = len(plan.conflicts) + len(placed.conflicts)
        if written:
            console.print(
                tr(
                    lang,
                    f"已合并 {pack_path.name}：写入 {n} 个单元格，冲突 {k} 项（未应用）",
                    f"Merged {pack_path.name}: {n} cells written, {k} conflicts (not applied)",
                )
            )
        elif dry_run:
            console.print(
                tr(
                    lang,
                    f"预览 {pack_path.name}：将写入 {n} 个单元格，冲突 {k} 项；未写入任何内容",
                    f"Preview of {pack_path.name}: {n} cells to write, {k} conflicts; "
                    "nothing written",
                )
            )
    raise typer.Exit(1 if conflicts else 0)
