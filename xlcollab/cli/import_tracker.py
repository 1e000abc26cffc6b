"""import tracker: a department's own tracker into the task checklist.

Called by ``xlcollab import FILE --into PATH`` (:mod:`xlcollab.cli.importing`).
Shows how the tracker's columns map and every row it could not map, then
writes the new tasks (numbered under ``--parent``) into the checklist's
empty rows through the safe writer. The first run on a file is a preview;
run the same command again (or add ``--write``) to write.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from rich.table import Table

from xlcollab.cli.common import check_lang, console, fail
from xlcollab.schema.lang import tr

__all__ = ["run", "parse_mapping"]

_SEEN = ".xlcollab/imports.json"  # previews already shown, beside the master


def parse_mapping(items: list[str]) -> dict[str, str]:
    """``--map 负责人=owner`` -> {"负责人": "owner"}; the column may be a task
    column's key or header; an empty right side ignores the column."""
    from xlcollab.schema import TASKS

    out = {}
    for item in items:
        head, sep, key = item.partition("=")
        if not sep or not head.strip():
            fail(f"--map 应写成 列名=字段，如 --map 责任人=owner：{item!r}")
        key = key.strip()
        if key:
            col = TASKS.column_by_header(key)
            if col is None or not col.is_input:
                fail(f"--map：任务清单没有字段“{key}” / no task column {key!r}")
            key = col.key
        out[head.strip()] = key
    return out


def _seen_file(into: Path) -> Path:
    return into.parent / _SEEN


def _token(file: Path, into: Path, parent: str, mapping: dict) -> str:
    h = hashlib.sha256(file.read_bytes())
    h.update(json.dumps([str(into.resolve()), parent, sorted(mapping.items())]).encode())
    return h.hexdigest()[:16]


def _seen(into: Path) -> set[str]:
    try:
        return set(json.loads(_seen_file(into).read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return set()


def _remember(into: Path, token: str) -> None:
    path = _seen_file(into)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(sorted(_seen(into) | {token})), encoding="utf-8")


def run(file, into, *, dry_run=None, parent=None, mapping=(), as_of=None, lang=None):
    from xlcollab.intake.tracker import TrackerError, map_rows, read_rows
    from xlcollab.io import WorkbookError, read_workbook
    from xlcollab.io.safety import SaveError
    from xlcollab.io.writeback import SheetEdit, file_signature, write_back
    from xlcollab.model import messages
    from xlcollab.packs.apply import free_rows
    from xlcollab.packs.fingerprint import display
    from xlcollab.schema import TASKS
    from xlcollab.workbook.values import cell_value

    file, into = Path(file), Path(into)
    lang = lang and check_lang(lang)
    maps = parse_mapping(list(mapping))
    if not file.is_file():
        fail(f"{file} 不存在 / does not exist")
    try:
        sig = file_signature(into)
        raw = into.read_bytes()
        master = read_workbook(raw, lang=lang)
    except (OSError, WorkbookError) as exc:
        fail(str(getattr(exc, "finding", None) or exc))
    lang = lang or master.lang
    tasks = master.tables["tasks"]
    codes = {str(w).strip() for w in tasks["wbs"] if w}
    if not parent:
        fail(
            tr(
                lang,
                "请用 --parent 指定新任务挂在哪个WBS编码下，如 --parent 3.2",
                "Say which WBS code the new tasks go under with --parent, e.g. --parent 3.2",
            )
        )
    hit = tasks[[str(w).strip() == parent for w in tasks["wbs"]]]
    if not len(hit):
        fail(f"任务清单中没有WBS编码“{parent}” / no task {parent!r} in the checklist")
    prow = hit.iloc[0]
    under = {
        str(n)
        for w, n in zip(tasks["wbs"], tasks["name"], strict=True)
        if str(w).startswith(parent + ".") and n
    }
    try:
        rows = read_rows(file)
        mapped = map_rows(
            rows,
            parent=parent,
            department=prow["department"],
            phase=prow["phase"],
            taken=codes,
            existing_names=under,
            mapping=maps,
            lang=lang,
        )
    except TrackerError as exc:
        fail(str(exc))

    head = Table(
        title=tr(lang, "列对应关系（第 %d 行为表头）", "Column mapping (header on row %d)")
        % mapped.header_row
    )
    head.add_column(tr(lang, "跟踪表的列", "Tracker column"))
    head.add_column(tr(lang, "任务清单的列", "Task column"))
    for h, key in mapped.columns.items():
        head.add_row(h, TASKS.col(key).header(master.lang))
    for h in mapped.ignored:
        head.add_row(h, tr(lang, "[dim]（忽略）[/]", "[dim](ignored)[/]"))
    console.print(head)
    rows_t = Table(title=tr(lang, "将导入的任务", "Tasks to import"))
    for k in ("wbs", "name", "owner", "planned_start", "planned_finish", "progress", "status"):
        rows_t.add_column(TASKS.col(k).header(lang))
    for rec in mapped.records:
        rows_t.add_row(
            *(
                display("tasks", k, rec.get(k), lang)
                for k in (
                    "wbs",
                    "name",
                    "owner",
                    "planned_start",
                    "planned_finish",
                    "progress",
                    "status",
                )
            )
        )
    console.print(rows_t)
    if mapped.unmapped:
        bad = Table(title=tr(lang, "无法导入的行", "Rows not imported"))
        for key in ("row", "column", "value", "reason"):
            bad.add_column(messages.label(f"import_{key}", lang))
        for u in mapped.unmapped:
            bad.add_row(str(u.row), u.column or "", u.value, u.reason)
        console.print(bad)

    token = _token(file, into, parent, maps)
    if dry_run is None:
        dry_run = token not in _seen(into)
    if dry_run:
        _remember(into, token)
        console.print(
            tr(
                lang,
                "预览：未写入任何内容。确认无误后再次运行同一命令（或加 --write）即写入。",
                "Preview: nothing written. Run the same command again (or add --write) to write.",
            )
        )
        return
    free = free_rows(master, raw, "tasks")
    if len(free) < len(mapped.records):
        fail(
            tr(
                lang,
                f"任务清单只剩 {len(free)} 个空行，需要 {len(mapped.records)} 行；"
                "请在表格末尾插入空行",
                f"The task table has {len(free)} empty rows, {len(mapped.records)} needed",
            )
        )
    edit = SheetEdit.for_sheet(master, "tasks")
    for row, rec in zip(free, mapped.records, strict=False):
        for key, value in rec.items():
            if key in master.layout["tasks"].columns and value is not None:
                edit.set(row, key, cell_value(TASKS.col(key), value, master.lang))
    if edit.cells:
        try:
            write_back(into, [edit], read_signature=sig, lang=lang)
        except SaveError as exc:
            fail(str(exc))
    console.print(
        tr(
            lang,
            f"已导入 {len(mapped.records)} 项任务到 {into.name}（{parent} 之下）",
            f"Imported {len(mapped.records)} tasks into {into.name} (under {parent})",
        )
    )
