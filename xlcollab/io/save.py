"""Saving a workbook that xlcollab built (init, demo, finance output).

The master workbook itself is never round-tripped through openpyxl; this is
only for new files. An existing file is replaced only when asked, never while
Excel has it open, and a backup is kept.
"""

from __future__ import annotations

from pathlib import Path

from xlcollab.io.cached import CachedWorkbook, cached_values, fill_cached_values
from xlcollab.io.safety import SaveError, atomic_write, backup, refuse_if_open
from xlcollab.schema.lang import tr

__all__ = ["SaveError", "save_new_workbook"]


def save_new_workbook(
    wb, path: str | Path, *, overwrite: bool = False, keep: int = 10, lang: str = "zh"
) -> Path:
    """Write the openpyxl workbook ``wb`` to ``path`` atomically."""
    path = Path(path)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise SaveError(
            tr(lang, f"{path.name}: 请使用 .xlsx 扩展名", f"{path.name}: use the .xlsx extension")
        )
    if path.exists():
        if not overwrite:
            raise SaveError(
                tr(
                    lang,
                    f"{path} 已存在；如需覆盖请加 --force（会先备份）",
                    f"{path} exists; use --force to overwrite it (a backup is kept)",
                )
            )
        refuse_if_open(path, lang)
        backup(path, keep)

    def write(tmp):
        wb.save(tmp)
        if not isinstance(wb, CachedWorkbook):
            fill_cached_values(tmp, cached_values(wb))

    atomic_write(path, write)
    return path
