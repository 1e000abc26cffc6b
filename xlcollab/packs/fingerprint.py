"""A row's identity in the master and the fingerprint of its values.

Identity (``row id``): ``k:<key>`` for a sheet with a record key (tasks by
WBS code, risks by risk ID) when the key is filled and unique, else
``r:<Excel row>``. Records hold the *input* columns only, as JSON-able
values (:func:`xlcollab.history.rows.json_value`; text stripped); the
fingerprint is the first 16 hex digits of the SHA-256 of the canonical JSON.
"""

from __future__ import annotations

import hashlib
from collections import Counter

import pandas as pd

from xlcollab.core.figures import summary_mask, wbs_text
from xlcollab.history.rows import dumps, json_value
from xlcollab.schema import PACK_RULES, SHEETS
from xlcollab.schema.lang import tr

__all__ = [
    "display",
    "canonical",
    "input_keys",
    "record",
    "records",
    "fingerprint",
    "row_ids",
    "same",
    "summary_keys",
]


def input_keys(sheet: str) -> list[str]:
    return [c.key for c in SHEETS[sheet].input_columns]


def canonical(v):
    """A value as records hold it: JSON-able, text stripped, empty as None."""
    v = json_value(v)
    if isinstance(v, str):
        v = v.strip()
        return v or None
    if isinstance(v, float):
        return round(v, 9)
    return v


def record(sheet: str, row: pd.Series | dict) -> dict:
    """The input values of one row, canonical."""
    get = row.get
    return {k: canonical(get(k)) for k in input_keys(sheet)}


def records(sheet: str, frame: pd.DataFrame) -> dict[int, dict]:
    """Excel row -> canonical record, for every row of ``frame``."""
    cols = [k for k in input_keys(sheet) if k in frame.columns]
    out = {}
    for row, raw in frame[cols].to_dict("index").items():
        out[int(row)] = {k: canonical(raw.get(k)) for k in input_keys(sheet)}
    return out


def fingerprint(rec: dict) -> str:
    return hashlib.sha256(dumps(rec).encode()).hexdigest()[:16]


def same(a, b) -> bool:
    """Two canonical values are the same entry."""
    return canonical(a) == canonical(b)


def row_ids(sheet: str, frame: pd.DataFrame) -> dict[int, str]:
    """Excel row -> row id for every row of the master's ``frame``."""
    key = SHEETS[sheet].record_key
    if key is None or key not in frame.columns:
        return {int(r): f"r:{int(r)}" for r in frame.index}
    keys = [canonical(v) for v in frame[key]]
    counts = Counter(k for k in keys if k is not None)
    return {
        int(r): (f"k:{k}" if k is not None and counts[k] == 1 else f"r:{int(r)}")
        for r, k in zip(frame.index, keys, strict=True)
    }


def display(sheet: str, key: str | None, value, lang: str) -> str:
    """A value as a person reads it: choice labels, 是/否, ISO dates."""
    v = canonical(value)
    if v is None:
        return ""
    col = SHEETS[sheet].col(key) if key else None
    if col is not None and col.choice_list is not None and col.type.value == "enum":
        try:
            return col.choice_list.label(str(v), lang)
        except KeyError:
            return str(v)
    if isinstance(v, bool):
        return tr(lang, "是" if v else "否", "Yes" if v else "No")
    if col is not None and col.type.value == "percent" and isinstance(v, (int, float)):
        return f"{v:.0%}"
    return str(v)


def summary_keys(sheet: str, *frames: pd.DataFrame) -> set[str]:
    """The record keys (WBS codes) of the summary rows in any of ``frames``:
    the rows whose :attr:`PackRule.rolled_up` columns are computed from the
    rows under them. Empty for a sheet without roll-ups."""
    key = SHEETS[sheet].record_key
    if not PACK_RULES[sheet].rolled_up or not key:
        return set()
    out: set[str] = set()
    for frame in frames:
        if len(frame) and key in frame:
            mask = summary_mask(frame).to_numpy(dtype=bool)
            out |= {c for c in map(wbs_text, frame[key][mask]) if c}
    return out
