"""The font the charts draw text with: one with Chinese glyphs.

:func:`cjk_font_file` looks for the usual CJK sans-serif fonts where each
system keeps them (Noto Sans CJK on Linux, Microsoft YaHei / SimHei /
DengXian on Windows, PingFang / Heiti on macOS), picks the Simplified
Chinese face of a font collection (.ttc) by its family name, and only when
none is found asks fontconfig (``fc-match :lang=zh-cn``). The answer is kept
for the process. :func:`font` opens it at a size in pixels; without any CJK
font, Pillow's own font is used (Chinese then shows as boxes).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

__all__ = ["cjk_font_file", "font", "FAMILIES"]

#: family names, the most wanted first
FAMILIES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Microsoft YaHei",
    "DengXian",
    "SimHei",
    "PingFang SC",
    "Heiti SC",
    "Hiragino Sans GB",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
)
#: where those families' files are installed, by system
_LINUX = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",  # Debian, Ubuntu
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",  # Arch
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",  # Fedora
    "/usr/share/fonts/opentype/source-han-sans/SourceHanSans-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)
_WINDOWS = ("msyh.ttc", "msyh.ttf", "Deng.ttf", "simhei.ttf")
_MACOS = (
    "/System/Library/Fonts/PingFang.ttc",
    "/System/Library/Fonts/STHeiti Light.ttc",
    "/System/Library/Fonts/Hiragino Sans GB.ttc",
)
_MAX_FACES = 16  # faces tried in one collection


def _candidates() -> list[Path]:
    windir = os.environ.get("WINDIR") or os.environ.get("SYSTEMROOT")
    paths = [Path(p) for p in _LINUX + _MACOS]
    if windir:
        paths += [Path(windir, "Fonts", name) for name in _WINDOWS]
    local = os.environ.get("LOCALAPPDATA")
    if local:
        paths += [Path(local, "Microsoft", "Windows", "Fonts", name) for name in _WINDOWS]
    return [p for p in paths if p.is_file()]


def _face(path: Path) -> tuple[str, int] | None:
    """The index of the most wanted family's face in ``path`` (0 when the
    file holds none of them, or None when Pillow cannot open it)."""
    best: tuple[int, int] | None = None
    for index in range(_MAX_FACES):
        try:
            family = ImageFont.truetype(str(path), 10, index=index).getname()[0]
        except OSError:
            break
        rank = FAMILIES.index(family) if family in FAMILIES else len(FAMILIES)
        if best is None or rank < best[0]:
            best = (rank, index)
    return None if best is None else (str(path), best[1])


def _fontconfig() -> tuple[str, int] | None:
    if not shutil.which("fc-match"):
        return None
    try:
        out = subprocess.run(
            ["fc-match", "-f", "%{file}\t%{index}", ":lang=zh-cn"],
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    file, _, index = out.partition("\t")
    return (file, int(index or 0)) if file and Path(file).is_file() else None


@lru_cache(maxsize=1)
def cjk_font_file() -> tuple[str, int] | None:
    """The file and face index of an installed font with Chinese glyphs,
    or None when there is none."""
    for path in _candidates():
        found = _face(path)
        if found:
            return found
    return _fontconfig()


@lru_cache(maxsize=32)
def font(size_px: int) -> ImageFont.FreeTypeFont:
    """The CJK font at ``size_px`` pixels (Pillow's own font without one)."""
    found = cjk_font_file()
    if found:
        try:
            return ImageFont.truetype(found[0], size_px, index=found[1])
        except OSError:
            pass
    return ImageFont.load_default(size_px)  # type: ignore[return-value]
