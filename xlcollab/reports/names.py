"""Report file names that are safe on Windows, macOS and Linux.

``<文档名>_<project>_<date>.docx``: characters Windows forbids
(``<>:"/\\|?*`` and control characters) are removed, reserved device names
(``CON``, ``NUL``, ``COM1`` ...) get a leading underscore, trailing dots and
spaces go, the name is capped in length (UTF-8 bytes, so Linux's 255-byte
limit holds for Chinese names too) and can never escape its folder.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["safe_component", "report_filename", "MAX_NAME_BYTES"]

MAX_NAME_BYTES = 180  # the whole file name, extension included
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    "CONIN$",
    "CONOUT$",
    *(f"COM{i}" for i in "123456789¹²³"),
    *(f"LPT{i}" for i in "123456789¹²³"),
}


def safe_component(text: str, fallback: str = "_") -> str:
    """One part of a file name: forbidden and control characters removed,
    white space collapsed, no leading/trailing dots or spaces."""
    t = unicodedata.normalize("NFC", str(text))
    t = "".join(ch for ch in t if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn"))
    t = _FORBIDDEN.sub("", t)
    t = re.sub(r"\s+", " ", t).strip(" .")
    return t or fallback


def _cap(text: str, max_bytes: int) -> str:
    while len(text.encode("utf-8")) > max_bytes:
        text = text[:-1]
    return text.rstrip(" .")


def report_filename(
    doc_name: str, project: str, date: str, ext: str, max_bytes: int = MAX_NAME_BYTES
) -> str:
    """``<doc_name>_<project>_<date>.<ext>`` made safe (see the module
    docstring); the project part is shortened first when the name is too
    long."""
    ext = safe_component(ext.lstrip("."), "docx")
    doc = _cap(safe_component(doc_name, "report"), 60)
    day = _cap(safe_component(date, ""), 20)
    tail = (f"_{day}" if day and day != "_" else "") + f".{ext}"
    room = max_bytes - len(doc.encode("utf-8")) - len(tail.encode("utf-8")) - 1
    proj = _cap(safe_component(project, ""), max(room, 0))
    proj = proj if proj and proj != "_" else ""
    stem = f"{doc}_{proj}" if proj else doc
    stem = stem.rstrip(" .")
    if stem.split(".")[0].upper().rstrip(" ") in _RESERVED:
        stem = "_" + stem
    name = stem + tail
    return name
