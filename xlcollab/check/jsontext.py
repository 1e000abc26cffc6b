"""JSON text for a check report: exactly ``json.dumps(obj, ensure_ascii=False,
indent=2)``, made fast.

With ``indent`` set, the standard library encodes in pure Python, value by
value; a report of 36,000 findings and 20,000 tasks holds about a million
values. Here every list of flat records (dicts of plain values: the
findings, the computed columns, the schedule's tasks) goes through the C
encoder in one call, with the indented separators; the rest (a few small
dicts) is laid out as the standard encoder lays it out. The text is the
same, byte for byte (a property test compares them).
"""

from __future__ import annotations

import json
from itertools import chain
from typing import Any

__all__ = ["json_text"]

_SCALARS = {str, int, float, bool, type(None)}
_STEP = "  "


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
    if isinstance(obj, dict):
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
