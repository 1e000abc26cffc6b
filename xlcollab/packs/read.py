"""A returned pack back into frames: the ordinary reader, plus the hidden
row identities and the pack's identity sheet (python-calamine)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import python_calamine as calamine

from xlcollab.core.figures import wbs_text
from xlcollab.io import read_workbook
from xlcollab.io.parse import display
from xlcollab.model import ProjectData
from xlcollab.packs.fingerprint import summary_keys
from xlcollab.schema import (
    HEADER_ROW,
    PACK_IDENTITY_KEYS,
    PACK_INFO,
    PACK_ROW_ID,
    PACK_RULES,
    SHEETS,
    Computed,
)
from xlcollab.schema.lang import tr

__all__ = ["Pack", "PackError", "read_pack", "pack_from_plan"]


class PackError(ValueError):
    """The file is not a department pack; the message is for the user."""


@dataclass
class Pack:
    """What a returned pack holds, as pure data."""

    identity: dict[str, str]
    frames: dict[str, pd.DataFrame]  # sheet -> rows as the pack holds them (pack rows)
    ids: dict[str, dict[int, str]]  # sheet -> pack row -> row id ("" for a new row)
    base: dict[str, dict[str, dict]]  # sheet -> row id -> values at the split
    name: str = ""  # the file's name
    data: ProjectData | None = field(default=None, repr=False)
    # sheet -> pack row -> {computed column: the constant typed over its formula}
    overwritten: dict[str, dict[int, dict[str, object]]] = field(default_factory=dict)

    @property
    def department(self) -> str:
        return self.identity.get("department", "")


def pack_from_plan(plan, frames: dict[str, pd.DataFrame] | None = None, name: str = "") -> Pack:
    """The pack a split plan makes, as if returned unchanged (or with
    ``frames`` replacing the plan's rows; a frame may carry its row ids in a
    ``pack_row`` column). For the pure merge tests."""
    out_frames, out_ids = {}, {}
    for sheet in PACK_RULES:
        frame = plan.data.tables[sheet] if frames is None or sheet not in frames else frames[sheet]
        if PACK_ROW_ID.key in frame.columns:
            ids = {int(r): (v or "") for r, v in frame[PACK_ROW_ID.key].items()}
            frame = frame.drop(columns=[PACK_ROW_ID.key])
        else:
            ids = {int(r): i for r, i in zip(frame.index, plan.ids[sheet], strict=False)}
        out_frames[sheet], out_ids[sheet] = frame, ids
    return Pack(dict(plan.identity), out_frames, out_ids, plan.base, name, plan.data)


def read_pack(path: str | os.PathLike, lang: str = "zh") -> Pack:
    """Read the pack at ``path``. Raises :class:`PackError` when it has no
    pack identity, and ``WorkbookError`` when it is no workbook at all."""
    path = Path(path)
    data = read_workbook(path, lang=lang)
    book = calamine.CalamineWorkbook.from_path(str(path))
    try:
        names = set(book.sheet_names)
        info_name = next((n for n in PACK_INFO.names() if n in names), None)
        if info_name is None:
            from xlcollab.model import messages

            raise PackError(messages.render("merge.not_a_pack", lang, value=path.name)[0])
        identity, base = _info(book.get_sheet_by_name(info_name).to_python())
        ids = {}
        for sheet in PACK_RULES:
            name = data.layout[sheet].name if sheet in data.layout else None
            rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False) if name else []
            ids[sheet] = _row_ids(rows, data.tables[sheet].index)
    finally:
        book.close()
    if identity.get("format") is None:
        raise PackError(
            tr(lang, f"{path.name} 的回传标识已损坏", f"{path.name}: damaged pack identity")
        )
    frames = {s: data.tables[s] for s in PACK_RULES}
    return Pack(identity, frames, ids, base, path.name, data, _overwritten(path, data, base))


def _overwritten(
    path: Path, data: ProjectData, base: dict[str, dict[str, dict]]
) -> dict[str, dict[int, dict[str, object]]]:
    """Formula cells of the pack's records that now hold a constant (a
    liaison unprotected the sheet and typed over them): the computed
    columns, and a summary row's rolled-up columns (summary rows as split,
    from ``base``). Packs are small, so openpyxl reads the formulas."""
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=False)
    out: dict[str, dict[int, dict[str, object]]] = {}
    try:
        for sheet in PACK_RULES:
            lay = data.layout.get(sheet)
            computed = [c.key for c in SHEETS[sheet].columns if c.computed is Computed.EXCEL]
            if lay is None or not computed or lay.name not in wb.sheetnames:
                continue
            ws = wb[lay.name]
            frame = data.tables[sheet]
            summary = _summary_rows(sheet, frame, base.get(sheet, {}))
            for row, values in enumerate(ws.iter_rows(min_row=1, values_only=True), start=1):
                if row not in frame.index:
                    continue
                rolled = PACK_RULES[sheet].rolled_up if row in summary else ()
                for key in (*computed, *rolled):
                    j = lay.columns.get(key)
                    v = values[j - 1] if j and j - 1 < len(values) else None
                    if not (isinstance(v, str) and v.startswith("=")):
                        out.setdefault(sheet, {}).setdefault(row, {})[key] = v
    finally:
        wb.close()
    return out


def _summary_rows(sheet: str, frame: pd.DataFrame, base: dict[str, dict]) -> set[int]:
    """The pack rows that were summary rows when the pack was split."""
    key = SHEETS[sheet].record_key
    if not PACK_RULES[sheet].rolled_up or not key or not base or key not in frame:
        return set()
    codes = summary_keys(sheet, pd.DataFrame(list(base.values())))
    return {int(r) for r, v in frame[key].items() if wbs_text(v) in codes}


def _info(rows: list[list]) -> tuple[dict[str, str], dict[str, dict[str, dict]]]:
    identity: dict[str, str] = {}
    base: dict[str, dict[str, dict]] = {s: {} for s in PACK_RULES}
    for row in rows[HEADER_ROW:]:
        key, sheet, value = (display(v) if i < len(row) else "" for i, v in enumerate(row[:3]))
        if not key:
            continue
        if not sheet:
            if key in PACK_IDENTITY_KEYS:
                identity[key] = value
        elif sheet in base:
            try:
                base[sheet][key] = json.loads(value)
            except ValueError:
                continue
    return identity, base


def _row_ids(rows: list[list], index: pd.Index) -> dict[int, str]:
    """Excel row -> the hidden row id, for the rows the reader kept."""
    if not rows:
        return {int(r): "" for r in index}
    header = [display(v) for v in rows[HEADER_ROW - 1]]
    j = next((i for i, h in enumerate(header) if h in (PACK_ROW_ID.zh, PACK_ROW_ID.en)), None)
    out = {}
    for r in index:
        r = int(r)
        row = rows[r - 1] if r - 1 < len(rows) else []
        out[r] = display(row[j]) if j is not None and j < len(row) else ""
    return out
