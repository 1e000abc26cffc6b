"""The rules every write to a user's file follows.

- refuse while Excel has the file open (its ``~$name`` owner file exists);
- keep a timestamped backup of what is replaced, and only ``keep`` of them;
- write through a temporary file in the same folder, verify it, then replace
  atomically, so a crash at any moment leaves the old or the new file;
- one writer at a time (:func:`write_lock`), which also makes it safe to
  delete the temporary files a killed writer left (:func:`remove_stale_temps`).

Changing an existing workbook goes through :mod:`xlcollab.io.writeback`,
which follows these rules and patches only the parts it owns.

The backup's time stamp is the replaced file's own modification time, so no
clock is read here.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import time
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from xlcollab.schema.lang import tr

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
            tr(
                lang,
                f"{path.name} 正在被 Excel 打开（存在 {owner_file(path).name}），请关闭后重试",
                f"{path.name} is open in Excel ({owner_file(path).name} exists);"
                " close it and retry",
            )
        )


def backup(path: Path, keep: int = 10, data: bytes | None = None) -> Path | None:
    """Copy ``path`` to ``.xlcollab/backups/<stem>.<mtime>.<suffix>`` beside it;
    prune all but the newest ``keep`` backups of that file.

    ``data``, when given, is the content to keep (the bytes the caller read
    and is about to replace). The copy is written through a temporary file
    and renamed, so a crash never leaves a half-written backup behind."""
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
    content = path.read_bytes() if data is None else data
    partial = folder / f".{target.name}.partial"
    partial.write_bytes(content)
    os.replace(partial, target)
    if keep > 0:
        for old in backups_of(path)[:-keep]:
            old.unlink(missing_ok=True)
    return target


def backups_of(path: Path) -> list[Path]:
    """The backups kept of ``path``, oldest first."""
    path = Path(path)
    folder = path.parent / BACKUP_DIR
    if not folder.is_dir():
        return []
    pattern = re.compile(re.escape(path.stem) + r"\.\d{8}-\d{6}(?:-\d+)?" + re.escape(path.suffix))
    found = [p for p in folder.iterdir() if pattern.fullmatch(p.name)]
    return sorted(found, key=lambda p: (p.stat().st_mtime_ns, p.name))


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


def temp_prefix(path: Path) -> tuple[str, str]:
    """Prefix and suffix of the temporary files :func:`atomic_write` uses
    beside ``path``."""
    return f".{path.stem}.", path.suffix + ".tmp"


def atomic_write(
    path: Path,
    write: Callable[[Path], None],
    verify: Callable[[Path], None] = verify_xlsx,
    before_replace: Callable[[], None] | None = None,
) -> None:
    """Call ``write(tmp)`` for a temporary file beside ``path``, verify it,
    fsync and atomically replace ``path`` with it. ``before_replace`` runs
    last, just before the replace, and may raise to call it off."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    prefix, suffix = temp_prefix(path)
    fd, tmp_name = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        verify(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp, _mode_for(path))
        if before_replace is not None:
            before_replace()
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    finally:
        tmp.unlink(missing_ok=True)


def _mode_for(path: Path) -> int:
    """The permissions the written file gets: those of the file it replaces,
    else what a newly created file gets under the process umask (mkstemp's
    own 0600 would lock other users of a shared folder out)."""
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def remove_stale_temps(path: Path) -> list[Path]:
    """Delete temporary files a killed writer left beside ``path``. Call it
    only while holding :func:`write_lock` for ``path``."""
    path = Path(path)
    prefix, suffix = temp_prefix(path)
    gone = []
    for p in path.parent.glob(glob_escape(prefix) + "*" + glob_escape(suffix)):
        if p.is_file() and len(p.name) > len(prefix) + len(suffix):
            p.unlink(missing_ok=True)
            gone.append(p)
    folder = path.parent / BACKUP_DIR
    if folder.is_dir():
        for p in folder.glob(glob_escape(f".{path.stem}.") + "*.partial"):
            p.unlink(missing_ok=True)
            gone.append(p)
    return gone


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


@contextlib.contextmanager
def write_lock(path: Path, timeout: float = 10.0, lang: str = "zh"):
    """Hold an exclusive lock for writing ``path`` (a lock file in
    ``.xlcollab/`` beside it), so two xlcollab processes never write the
    same workbook at once. The operating system releases the lock when the
    process dies, so a killed writer never leaves it stuck."""
    path = Path(path)
    folder = path.parent / BACKUP_DIR.split("/")[0]
    folder.mkdir(parents=True, exist_ok=True)
    fh = open(folder / f"{path.name}.lock", "a+b")  # noqa: SIM115 - held until released below
    try:
        deadline = time.monotonic() + timeout
        while not _try_lock(fh):
            if time.monotonic() > deadline:
                raise SaveError(
                    tr(
                        lang,
                        f"{path.name} 正在被另一个 xlcollab 进程写入，请稍后重试",
                        f"another xlcollab process is writing {path.name}; retry later",
                    )
                )
            time.sleep(0.05)
        try:
            yield
        finally:
            _unlock(fh)
    finally:
        fh.close()


def _try_lock(fh) -> bool:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        try:
            fh.seek(0)
            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False


def _unlock(fh) -> None:
    try:
        import fcntl
    except ImportError:
        import msvcrt

        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)
        return
    fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
