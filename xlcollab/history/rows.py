"""Rows of the tracked sheets as keyed, JSON-able records.

Tracked sheets and their keys (:data:`TRACKED`): tasks by WBS code, risks
by risk ID, expense lines by invoice number. Only *input* columns are kept
(the computed ones are the tool's own output, not a user's change).

Keys:

- the key column's text, stripped (``"3.2.1"``, ``"R05"``);
- a second, third ... row with the same key (a duplicated invoice) gets
  ``"<key>#2"``, ``"<key>#3"`` in sheet order;
- a row whose key cell is empty is keyed by its content: ``"h:"`` and the
  first 16 hex digits of the SHA-256 of its canonical JSON (sorted keys,
  ISO dates, money as text). Identical keyless rows get ``#2`` ... So a
  keyless row that is edited shows as one removed and one added row:
  without a key nothing else can tell that it is the same row. It does not
  move when rows are inserted above it, which a row number would.

Values: dates as ISO text, money (Decimal) as text with two places, numbers
as int/float, booleans as bool, empty as None.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pandas as pd

from xlcollab.schema import SHEETS

__all__ = ["TRACKED", "json_value", "keyed_records", "digest", "dumps"]

TRACKED: dict[str, str] = {"tasks": "wbs", "risks": "risk_id", "expenses": "invoice_no"}


def json_value(v: Any) -> Any:
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    if isinstance(v, pd.Timestamp):
        return v.date().isoformat() if v == v.normalize() else v.isoformat()
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time() else v.isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, Decimal):
        return f"{v:.2f}"
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):  # numpy scalars
        v = v.item()
        if isinstance(v, float) and math.isnan(v):
            return None
    if isinstance(v, (bool, int, str)):
        return v
    if isinstance(v, float):
        return int(v) if v.is_integer() else v
    return str(v)


def dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def digest(record: dict) -> str:
    return hashlib.sha256(dumps(record).encode()).hexdigest()


def keyed_records(sheet: str, frame: pd.DataFrame) -> Iterator[tuple[str, int, dict]]:
    """(key, Excel row, record) for every row of a tracked sheet's frame."""
    key_col = TRACKED[sheet]
    cols = [c.key for c in SHEETS[sheet].input_columns if c.key in frame.columns]
    seen: dict[str, int] = {}
    rows = frame[cols].to_dict("index") if len(frame) else {}
    for excel_row, raw in rows.items():
        record = {k: json_value(raw[k]) for k in cols}
        base = record.get(key_col)
        base = str(base).strip() if base not in (None, "") else ""
        if not base:
            base = "h:" + digest(record)[:16]
        n = seen.get(base, 0) + 1
        seen[base] = n
        yield (base if n == 1 else f"{base}#{n}"), int(excel_row), record
