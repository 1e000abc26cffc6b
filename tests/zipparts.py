"""Changing one member of a workbook package in a test."""

from __future__ import annotations

import zipfile
from pathlib import Path

__all__ = ["rewrite"]


def rewrite(path: Path, name: str, change) -> None:
    """Rewrite one member of a package with ``change(bytes) -> bytes``."""
    with zipfile.ZipFile(path) as z:
        items = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in items:
            out.writestr(info, change(data) if info.filename == name else data)
