"""The rules every write to a user's file follows.

- refuse while Excel has the file open (its ``~$name`` owner file exists);
- keep a timestamped backup of what is replaced, and only ``keep`` of them;
- write through a temporary file in the same folder, verify it, then replace
  atomically, so a crash at any moment leaves the old or the new file.

The backup's time stamp is the replaced file's own modification time, so no
clock is read here.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Callable

BACKUP_DIR = ".xlcollab/backups"


class SaveError(Exception):
    """A write was refused or failed; the message is for the user."""


def owner_file(path: Path) -> Path:
    """Excel's lock file for ``path``: ``~$`` plus the name (Excel drops the
    first two characters of long names)."""
    name = path.name
    candidates = [path.with_name("~$" + name)]
    if len(name) > 2:
        candidates.append(path.with_name("~$" + name[2:]))
    for c in candidates:
        if c.exists():
            return c
    return candidates[0]


def is_open_in_excel(path: Path) -> bool:
    return owner_file(Path(path)).exists()


def refuse_if_open(path: Path, lang: str = "zh") -> None:
    if is_open_in_excel(path):
        raise SaveError(
            f"{path.name} 正在被 Excel 打开（存在 {owner_file(path).name}），请关闭后重试"
            if lang == "zh" else
            f"{path.name} is open in Excel ({owner_file(path).name} exists); close it and retry")


def backup(path: Path, keep: int = 10) -> Path | None:
    """Copy ``path`` to ``.xlcollab/backups/<stem>.<mtime>.<suffix>`` beside it;
    prune all but the newest ``keep`` backups of that file."""
    path = Path(path)
    if not path.exists():
        return None
    folder = path.parent / BACKUP_DIR
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y%m%d-%H%M%S")
    target = folder / f"{path.stem}.{stamp}{path.suffix}"
    n = 1
    while target.exists():
        target = folder / f"{path.stem}.{stamp}-{n}{path.suffix}"
        n += 1
    target.write_bytes(path.read_bytes())
    olds = sorted(folder.glob(f"{path.stem}.*{path.suffix}"), key=lambda p: p.stat().st_mtime)
    for old in olds[:-keep] if keep > 0 else []:
        old.unlink(missing_ok=True)
    return target


def verify_xlsx(path: Path) -> None:
    """Raise SaveError unless ``path`` is a complete workbook package."""
    try:
        with zipfile.ZipFile(path) as z:
            bad = z.testzip()
            names = set(z.namelist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise SaveError(f"written file is not a valid workbook: {exc}") from exc
    if bad or "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise SaveError("written file is not a complete workbook")


def atomic_write(path: Path, write: Callable[[Path], None],
                 verify: Callable[[Path], None] = verify_xlsx) -> None:
    """Call ``write(tmp)`` for a temporary file beside ``path``, verify it,
    fsync and atomically replace ``path`` with it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix + ".tmp",
                                    dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        verify(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    finally:
        tmp.unlink(missing_ok=True)


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
