"""JSON text for a check report: exactly ``json.dumps(obj, ensure_ascii=False,
indent=2)``, made fast.

With ``indent`` set, the standard library encodes in pure Python, value by
value; a report of 36,000 findings and 20,000 tasks holds about a million
values. Here a list of flat records held as columns (:class:`Records`: the
findings, the computed columns, the schedule's tasks) is encoded column by
column and laid out in one join, and any other list of flat records (dicts
of plain values) goes through the C encoder in one call, with the indented
separators; the rest (a few small dicts) is laid out as the standard
encoder lays it out. The text is the same, byte for byte (property tests
compare them).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from itertools import chain, repeat
from typing import Any

__all__ = ["json_text", "Records", "plain"]

_NONE = type(None)
_SCALARS = {str, int, float, bool, _NONE}
_STEP = "  "
_ENCODE_STR = json.encoder.encode_basestring  # the C function ensure_ascii=False uses
_BOOLS = {True: "true", False: "false", None: "null"}


class Records:
    """A list of flat records held as columns: ``keys`` and, per key, one
    list of plain values (str, int, float, bool or None), all of one length.
    :func:`json_text` writes it as the list of dicts :meth:`dicts` gives,
    without making the dicts."""

    __slots__ = ("keys", "columns")

    def __init__(self, keys: Sequence[str], columns: Sequence[list]) -> None:
        if len(keys) != len(columns) or len({len(c) for c in columns}) > 1:
            raise ValueError("Records: one column of one length per key")
        self.keys = tuple(keys)
        self.columns = tuple(columns)

    def __len__(self) -> int:
        return len(self.columns[0]) if self.columns else 0

    def dicts(self) -> list[dict[str, Any]]:
        """The records as a list of dicts."""
        keys = self.keys
        return [dict(zip(keys, row, strict=True)) for row in zip(*self.columns, strict=True)]


def plain(obj: Any) -> Any:
    """``obj`` with every :class:`Records` in its dicts and lists made a
    list of dicts (plain JSON values)."""
    if isinstance(obj, Records):
        return obj.dicts()
    if isinstance(obj, dict):
        return {k: plain(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [plain(v) for v in obj]
    return obj


def json_text(obj: Any) -> str:
    """``json.dumps(obj, ensure_ascii=False, indent=2)``."""
    out: list[str] = []
    _encode(obj, 0, out)
    return "".join(out)


def _scalar(v: Any) -> str:
    return json.dumps(v, ensure_ascii=False)


def _key(k: Any) -> str:
    if isinstance(k, str):
        return _scalar(k)
    # the standard encoder's key conversion (and its TypeError for others)
    return json.dumps({k: 0}, ensure_ascii=False)[1:-4]


def _encode(obj: Any, level: int, out: list[str]) -> None:
    if isinstance(obj, Records):
        if len(obj) and obj.keys:
            out.extend(_columns_text(obj, level))
        else:
            _encode(obj.dicts(), level, out)
    elif isinstance(obj, dict):
        if not obj:
            out.append("{}")
            return
        inner = "\n" + _STEP * (level + 1)
        out.append("{")
        first = True
        for k, v in obj.items():
            out.append(inner if first else "," + inner)
            first = False
            out.append(_key(k) + ": ")
            _encode(v, level + 1, out)
        out.append("\n" + _STEP * level + "}")
    elif isinstance(obj, (list, tuple)):
        if not obj:
            out.append("[]")
            return
        if _records(obj):
            out.extend(_record_list(obj, level))
            return
        inner = "\n" + _STEP * (level + 1)
        out.append("[")
        first = True
        for v in obj:
            out.append(inner if first else "," + inner)
            first = False
            _encode(v, level + 1, out)
        out.append("\n" + _STEP * level + "]")
    else:
        out.append(_scalar(obj))


def _records(items) -> bool:
    """Every item a non-empty dict with string keys and plain values of
    exact built-in types (so the C encoder writes what the Python one would)."""
    if set(map(type, items)) != {dict} or not all(items):
        return False
    keys = set(map(type, chain.from_iterable(items)))
    values = set(map(type, chain.from_iterable(map(dict.values, items))))
    return keys == {str} and values <= _SCALARS


def _record_list(items, level: int) -> list[str]:
    """A list of flat records at ``level``, as pieces of text: one
    C-encoder call with the records' item separator, then the braces
    between records moved onto their own lines. A literal newline only
    occurs between items (JSON escapes it inside strings), so ``},\\n`` is
    always a record's end. The long middle piece is not joined to the short
    ends here: each join would copy it whole (tens of megabytes)."""
    item = "\n" + _STEP * (level + 1)  # where a record's braces go
    field = item + _STEP  # where its fields go
    text = json.dumps(items, ensure_ascii=False, separators=("," + field, ": "))
    # text is [{f,<field>f},<field>{f ...}]
    body = text[2:-2].replace("}," + field + "{", item + "}," + item + "{" + field)
    return ["[" + item + "{" + field, body, item + "}\n" + _STEP * level + "]"]


def _column_text(values: list) -> list[str]:
    """Each value of a column as the standard encoder writes it."""
    types = set(map(type, values))
    if types <= {str, _NONE}:
        if len(set(values[:256])) < 64:  # few distinct texts (ids, sheets, hints): each once
            text = {v: "null" if v is None else _ENCODE_STR(v) for v in set(values)}
            return list(map(text.__getitem__, values))
        if _NONE in types:
            return [_ENCODE_STR(v) if v is not None else "null" for v in values]
        return list(map(_ENCODE_STR, values))
    if types <= {int, _NONE}:  # exact ints (a bool is not one)
        return ["null" if v is None else int.__repr__(v) for v in values]
    if types <= {bool, _NONE}:
        return list(map(_BOOLS.__getitem__, values))
    return [_scalar(v) for v in values]  # floats, mixed types (and the standard's errors)


def _columns_text(records: Records, level: int) -> list[str]:
    """A non-empty :class:`Records` with keys at ``level``, as pieces of
    text: each column encoded, then every record's pieces (the separators
    before each field, the value) joined in one go."""
    item = "\n" + _STEP * (level + 1)  # where a record's braces go
    field = item + _STEP  # where its fields go
    heads = [field + _key(k) + ": " for k in records.keys]
    # before the first field: the record's brace, after a comma but the first time
    opening = chain((item + "{" + heads[0],), repeat("," + item + "{" + heads[0]))
    pieces: list = [opening, _column_text(records.columns[0])]
    for head, column in zip(heads[1:], records.columns[1:], strict=True):
        pieces += (repeat("," + head), _column_text(column))
    pieces.append(repeat(item + "}"))
    body = "".join(chain.from_iterable(zip(*pieces, strict=False)))  # as long as the columns
    return ["[", body, "\n" + _STEP * level + "]"]
