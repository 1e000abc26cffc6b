"""What a nightly run writes besides the history: the rows of the 变更记录
and 问题升级 sheets, and the side files beside the history database (the
findings log ``findings.jsonl`` of JSON lines, the run's result as JSON).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from xlcollab.io.ooxml import table_body
from xlcollab.model.dates import to_date
from xlcollab.schema import ESCALATION, ESCALATIONS, SHEETS, Column
from xlcollab.schema.lang import tr

__all__ = [
    "LOG_NAME",
    "CHANGELOG_ROWS",
    "side_dir",
    "changelog_rows",
    "escalation_issue",
    "escalation_rows",
    "write_text_atomic",
    "append_log",
    "read_log",
]

LOG_NAME = "findings.jsonl"
CHANGELOG_ROWS = 500  # newest changes kept on the 变更记录 sheet
_CHANGE_LABEL = {
    "added": ("新增", "Added"),
    "removed": ("删除", "Removed"),
    "changed": ("修改", "Changed"),
}


def side_dir(history_file: Path) -> Path:
    """Where the side outputs go: the history database's folder."""
    return Path(history_file).parent


def _display(sheet: str, key: str | None, value, lang: str) -> str | None:
    """A stored value as the workbook would show it."""
    if value is None:
        return None
    if isinstance(value, dict):  # a whole row (added/removed): its name
        for k in ("name", "description"):
            if value.get(k):
                return str(value[k])
        return None
    col: Column | None = None
    try:
        col = SHEETS[sheet].col(key) if key else None
    except KeyError:
        col = None
    if col is not None and col.choice_list is not None and col.type.value == "enum":
        try:
            return col.choice_list.label(str(value), lang)
        except KeyError:
            return str(value)
    if isinstance(value, bool):
        return tr(lang, "是" if value else "否", "Yes" if value else "No")
    return str(value)


def changelog_rows(changes: Iterable, lang: str, sheet_names: dict[str, str]) -> list[dict]:
    """Rows of the 变更记录 sheet, in the order given."""
    rows = []
    for c in changes:
        field_header = None
        if c.field:
            try:
                field_header = SHEETS[c.sheet].col(c.field).header(lang)
            except KeyError:
                field_header = c.field
        rows.append(
            {
                "date": c.as_of,
                "sheet": sheet_names.get(c.sheet, SHEETS[c.sheet].name(lang)),
                "record": c.key,
                "change": tr(lang, *_CHANGE_LABEL[c.kind]),
                "field": field_header,
                "old": _display(c.sheet, c.field, c.old, lang),
                "new": _display(c.sheet, c.field, c.new, lang),
                "modified_by": c.modified_by,
            }
        )
    return rows


def escalation_issue(wbs: str, name: str | None, since: dt.date, level: str, lang: str) -> str:
    label = ESCALATION.label(level, lang)
    return tr(
        lang,
        f"任务 {wbs}{' ' + name if name else ''} 自 {since.isoformat()} 起阻塞，升级至“{label}”",
        f"Task {wbs}{' ' + name if name else ''} blocked since {since.isoformat()}: "
        f"escalated to '{label}'",
    )


def escalation_rows(
    data, raw: bytes, pending: list, lang: str
) -> tuple[dict[int, dict], list[int], list[int], str | None]:
    """Where the pending escalations go on 问题升级: (row -> values, ids
    written now, ids already in the sheet, a note when some do not fit).

    An escalation whose (task, level, raised on) row is already in the sheet
    (a previous write-back whose bookkeeping was interrupted) is not added
    again. New rows go into the table's empty rows after its last used row."""
    frame = data.tables.get("escalations")
    layout = data.layout.get("escalations")
    if frame is None or layout is None:
        return (
            {},
            [],
            [],
            tr(
                lang,
                f"工作簿没有“{ESCALATIONS.zh}”工作表，升级记录未写入",
                f"The workbook has no {ESCALATIONS.en} sheet; escalations not written",
            ),
        )
    present = set()
    for t, lv, on in zip(frame["task"], frame["level"], frame["raised_on"], strict=False):
        d = to_date(on) if on is not None and not pd.isna(on) else None
        present.add((str(t).strip() if t is not None else None, lv, d))
    already = [e.id for e in pending if (e.task, e.level, e.reached_on) in present]
    todo = [e for e in pending if e.id not in already]
    if not todo:
        return {}, [], already, None
    body = table_body(raw, layout.name)
    used = max([int(i) for i in frame.index] or [0])
    free = [] if body is None else list(range(max(body[0], used + 1), body[1] + 1))
    rows, ids = {}, []
    for row, e in zip(free, todo, strict=False):
        rows[row] = {
            "issue": e.issue,
            "task": e.task,
            "level": ESCALATION.label(e.level, data.lang),
            "raised_on": e.reached_on,
            "goes_to": e.goes_to,
        }
        ids.append(e.id)
    note = None
    if len(todo) > len(free):
        note = tr(
            lang,
            f"“{ESCALATIONS.zh}”表格已无空行，还有 {len(todo) - len(free)} 条升级记录待写入；"
            "请在表格末尾插入空行",
            f"The {ESCALATIONS.en} table has no empty rows left; {len(todo) - len(free)} "
            "escalations wait to be written. Add empty rows at the table's end",
        )
    return rows, ids, already, note


def write_text_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def append_log(path: Path, records: list[dict]) -> None:
    """Append JSON lines in one write (a reader skips a torn last line)."""
    if not records:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "".join(json.dumps(r, ensure_ascii=False, default=str) + "\n" for r in records)
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())


def read_log(path: Path) -> list[dict]:
    out = []
    if not Path(path).exists():
        return out
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        try:
            out.append(json.loads(line))
        except ValueError:
            continue  # a line torn by a crash
    return out
