"""A department's own tracker (.xlsx, .xls, .csv) as task checklist rows.

- :func:`read_rows` reads the first sheet of a workbook (python-calamine,
  which reads .xls too) or a CSV file (UTF-8, else GBK/GB18030) as rows of
  cells;
- :func:`find_header` finds the header row anywhere in the first
  :data:`~xlcollab.schema.TRACKER_HEADER_ROWS` rows: the row whose cells
  name the most task columns, by their Chinese or English header or a
  synonym (:data:`~xlcollab.schema.TRACKER_HEADERS`);
- :func:`map_rows` turns each row under it into a task record (status
  synonyms from :data:`~xlcollab.schema.TRACKER_STATUS`, dates, progress),
  with WBS codes numbered under a parent, and lists every row it could not
  map, with the reason.

Everything but :func:`read_rows` is pure.
"""

from __future__ import annotations

import csv
import io
import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine as calamine

from xlcollab.io.parse import BAD, Context, display, parse_value
from xlcollab.schema import TASKS, TRACKER_HEADER_ROWS, TRACKER_HEADERS, TRACKER_STATUS
from xlcollab.schema.lang import tr

__all__ = [
    "TrackerError",
    "read_rows",
    "find_header",
    "Unmapped",
    "Mapped",
    "map_rows",
    "column_for",
]


class TrackerError(ValueError):
    """The file cannot be read as a tracker; the message is for the user."""


def _norm(text) -> str:
    return "".join(unicodedata.normalize("NFKC", str(text)).split()).casefold()


def read_rows(path: str | os.PathLike) -> list[list]:
    """The cells of the tracker's first sheet (or CSV), row by row."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        raw = path.read_bytes()
        for enc in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(enc)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise TrackerError(f"{path.name}：无法识别编码（UTF-8 或 GBK）")
        return [list(r) for r in csv.reader(io.StringIO(text))]
    if suffix not in (".xlsx", ".xlsm", ".xls"):
        raise TrackerError(f"{path.name}：只支持 .xlsx、.xls 和 .csv")
    try:
        book = calamine.CalamineWorkbook.from_path(str(path))
        rows = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception as exc:  # noqa: BLE001 - any unreadable file: a message
        raise TrackerError(f"{path.name}：无法读取（{exc}）") from None
    return [list(r) for r in rows]


def _synonyms() -> dict[str, str]:
    table = {}
    for col in TASKS.input_columns:
        for name in (col.zh, col.en):
            table.setdefault(_norm(name), col.key)
    for key, names in TRACKER_HEADERS.items():
        for name in names:
            table[_norm(name)] = key
    return table


def column_for(header: str, mapping: dict[str, str] | None = None) -> str | None:
    """The task column a tracker header means (``mapping`` first: header ->
    column key, from --map)."""
    if mapping:
        for h, key in mapping.items():
            if _norm(h) == _norm(header):
                return key or None
    return _synonyms().get(_norm(header))


def find_header(rows: list[list], mapping: dict[str, str] | None = None):
    """(index of the header row, {column index: task column key}); the row
    that names the most columns wins, and it must name the task."""
    best = (-1, {})
    for i, row in enumerate(rows[:TRACKER_HEADER_ROWS]):
        found = {}
        for j, cell in enumerate(row):
            key = column_for(display(cell), mapping) if display(cell) else None
            if key and key not in found.values():
                found[j] = key
        if len(found) > len(best[1]):
            best = (i, found)
    if "name" not in best[1].values():
        raise TrackerError("没有找到表头行（需要至少一列任务名称，如“任务”“事项”“Task”）")
    return best


def _status_key(text: str) -> str | None:
    t = _norm(text)
    for key, names in TRACKER_STATUS.items():
        if t in {_norm(n) for n in names}:
            return key
    return TASKS.col("status").choice_list.parse(text)


@dataclass(frozen=True)
class Unmapped:
    row: int  # the tracker's row number (1-based, as the file shows it)
    column: str | None  # the tracker's header
    value: str
    reason: str


@dataclass
class Mapped:
    header_row: int  # 1-based
    columns: dict[str, str]  # tracker header -> task column key
    ignored: list[str]  # tracker headers not mapped
    records: list[dict] = field(default_factory=list)  # task records (keys of TASKS)
    rows: list[int] = field(default_factory=list)  # tracker row of each record
    unmapped: list[Unmapped] = field(default_factory=list)


def _next_code(parent: str, taken: set[str]) -> str:
    n = 1
    while f"{parent}.{n}" in taken:
        n += 1
    return f"{parent}.{n}"


def map_rows(
    rows: list[list],
    *,
    parent: str,
    department: str | None,
    phase: str | None,
    taken: set[str],
    existing_names: set[str] = frozenset(),
    mapping: dict[str, str] | None = None,
    lang: str = "zh",
) -> Mapped:
    """Task records for the rows under the header. Codes are numbered
    ``<parent>.1``, ``.2`` … skipping ``taken``; a row whose task name is in
    ``existing_names`` (already under the parent) is skipped and listed."""
    h, cols = find_header(rows, mapping)
    header = [display(c) for c in rows[h]]
    out = Mapped(
        h + 1,
        {header[j]: k for j, k in cols.items()},
        [t for j, t in enumerate(header) if t and j not in cols],
    )
    ctx = Context(lang=lang)
    taken = set(taken)
    for i, row in enumerate(rows[h + 1 :], start=h + 2):
        cells = {k: (row[j] if j < len(row) else None) for j, k in cols.items()}
        if all(display(v) == "" for v in cells.values()):
            continue
        rec: dict = {"department": department, "phase": phase}
        bad = False
        for key, v in cells.items():
            if display(v) == "":
                continue
            col = TASKS.col(key)
            head = next(t for t, k in out.columns.items() if k == key)
            if key == "status":
                got = _status_key(display(v))
                if got is None:
                    out.unmapped.append(
                        Unmapped(i, head, display(v), tr(lang, "无法识别的状态", "unknown status"))
                    )
                    bad = True
                rec[key] = got
                continue
            got = parse_value(v, col, ctx)
            if got is BAD:
                why = {
                    "date": ("不是日期", "not a date"),
                    "percent": ("不是百分比", "not a percentage"),
                }
                reason = why.get(col.type.value, ("无法识别", "not understood"))[tr(lang, 0, 1)]
                out.unmapped.append(Unmapped(i, head, display(v), reason))
                bad = True
                continue
            rec[key] = got
        if not rec.get("name"):
            out.unmapped.append(Unmapped(i, None, "", tr(lang, "缺少任务名称", "no task name")))
            continue
        if bad:
            continue
        if rec["name"] in existing_names:
            out.unmapped.append(
                Unmapped(
                    i, None, rec["name"], tr(lang, "已导入（同名任务已存在）", "already imported")
                )
            )
            continue
        if not rec.get("status"):
            rec["status"] = "done" if rec.get("progress") == 1 else "not_started"
        rec["wbs"] = _next_code(parent, taken)
        taken.add(rec["wbs"])
        out.records.append(rec)
        out.rows.append(i)
    return out
