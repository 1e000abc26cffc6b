"""import mspdi PLAN.xml --into PATH: an MS Project / ProjectLibre plan into the workbook.

Called by :mod:`xlcollab.cli.importing`. Merges by WBS code (milestones by
name), shows every cell that would change (sheet, cell, old, new) and,
with ``--write``, writes them through the safe writer: refused while Excel
has the workbook open or when it changed since it was read, a backup kept,
an atomic replace, only the changed cells touched.
"""

from __future__ import annotations

from pathlib import Path

from rich.table import Table

from xlcollab.cli.common import check_lang, console, err, fail, parse_date, read
from xlcollab.schema import CHANGELOG, FINDINGS
from xlcollab.schema.lang import tr


def run(
    file: Path,
    into: Path,
    *,
    dry_run: bool | None = None,
    parent: str | None = None,
    mapping: list[str] | None = None,
    as_of: str | None = None,
    lang: str | None = None,
) -> None:
    """Preview (the default, and ``--dry-run``) or write (``--write``) the merge."""
    from xlcollab.interchange.merge import merge_edits, merge_plan, table_end_row
    from xlcollab.interchange.mspdi_read import PlanError, read_plan
    from xlcollab.io.writeback import WriteBackError, file_signature, write_back

    lang = lang and check_lang(lang)
    parse_date(as_of)
    ui = lang or "zh"
    if mapping:
        fail(
            tr(
                ui,
                "--map 只用于导入部门任务表（tracker）；MS Project 计划按 WBS 编码合并",
                "--map is for trackers only; an MS Project plan is merged by WBS code",
            )
        )
    try:
        xml = file.read_bytes()
    except OSError as exc:
        fail(tr(ui, f"无法读取 {file}：{exc.strerror or exc}", f"Cannot read {file}: {exc}"))
        return
    if not into.is_file():
        fail(tr(ui, f"{into} 不存在", f"{into} does not exist"))
    signature = file_signature(into)
    data = read(into, lang)
    lang = lang or data.lang
    try:
        plan = read_plan(xml, lang)
    except PlanError as exc:
        fail(f"{file.name}：{exc}")
        return
    result = merge_plan(data, plan, parent=parent.strip() if parent else None, lang=lang)
    edits, notes = merge_edits(data, result)

    preview = result.preview(data, lang)
    if preview:
        table = Table(title=tr(lang, "将要写入的更改", "Changes to write"))
        for sheet, key in (
            (CHANGELOG, "sheet"),
            (FINDINGS, "cell"),
            (CHANGELOG, "old"),
            (CHANGELOG, "new"),
        ):
            table.add_column(sheet.col(key).header(lang))
        for row in preview:
            table.add_row(*row)
        console.print(table)
    added = {k: len(v) for k, v in result.new_rows.items()}
    console.print(
        tr(
            lang,
            f"计划“{plan.title}”：{len(plan.task_rows)} 项任务、{len(plan.milestone_rows)} "
            "个里程碑；"
            f"{len(preview)} 个单元格将更改，新增任务 {added.get('tasks', 0)} 行、里程碑 "
            f"{added.get('milestones', 0)} 行，{result.unchanged} 项任务无变化",
            f"Plan '{plan.title}': {len(plan.task_rows)} tasks, {len(plan.milestone_rows)} "
            f"milestones; {len(preview)} cells change, {added.get('tasks', 0)} task rows and "
            f"{added.get('milestones', 0)} milestone rows added, {result.unchanged} tasks "
            "unchanged",
        )
    )
    if result.missing:
        shown = "、".join(result.missing[:10]) + ("…" if len(result.missing) > 10 else "")
        notes.append(
            tr(
                lang,
                f"工作簿中有 {len(result.missing)} 项任务不在计划中，保留不变：{shown}",
                f"{len(result.missing)} workbook tasks are not in the plan and are kept: {shown}",
            )
        )
    notes = result.notes + notes
    workbook = into.read_bytes()
    for key, rows in result.new_rows.items():
        end = table_end_row(workbook, data.sheet_name(key))
        if end is not None and rows and max(rows) > end:
            notes.append(
                tr(
                    lang,
                    f"“{data.sheet_name(key)}”的表格只到第{end}行，"
                    f"第{end + 1}行以后的新行在表格之外，"
                    "请在 Excel 中把表格向下扩展以带上公式和下拉列表",
                    f"The table on '{data.sheet_name(key)}' ends at row {end}; new rows beyond "
                    "it are outside the table: extend the table in Excel to give them its formulas "
                    "and dropdowns",
                )
            )
    for note in notes:
        err.print(f"[yellow]{note}[/]")

    if not edits:
        console.print(
            tr(lang, "工作簿已与计划一致，无需写入", "The workbook already matches the plan")
        )
        return
    if dry_run is None or dry_run:
        console.print(
            tr(
                lang,
                "这是预览，未写入任何内容；确认无误后加 --write 写入",
                "This is a preview; nothing was written. Add --write to apply it",
            )
        )
        return
    try:
        kept = write_back(
            into,
            edits,
            read_signature=signature,
            keep=int(data.setting("backup_keep")),
            lang=lang,
        )
    except WriteBackError as exc:
        fail(str(exc))
        return
    console.print(
        tr(
            lang,
            f"已写入 {into}（{len(preview)} 个单元格）；原文件备份在 {kept}",
            f"Wrote {into} ({len(preview)} cells); the previous version is kept in {kept}",
        )
    )
