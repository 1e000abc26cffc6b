"""LibreOffice headless: recalculate a workbook, convert a document.

Used by the tests (a real spreadsheet engine checks our formulas), by the
docs (screenshots) and by the reports (PDF). Each call runs ``soffice`` in a
private, throw-away user profile that tells Calc to recalculate every formula
when it loads an Excel file, so cached values never hide a formula's result.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path

_RECALC_ON_LOAD = (
    '<item oor:path="/org.openoffice.Office.Calc/Formula/Load">'
    '<prop oor:name="{mode}" oor:op="fuse"><value>0</value></prop></item>'
)
_PROFILE_XCU = f"""<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
{_RECALC_ON_LOAD.format(mode="OOXMLRecalcMode")}
{_RECALC_ON_LOAD.format(mode="ODFRecalcMode")}
</oor:items>
"""


class OfficeError(RuntimeError):
    """LibreOffice is missing or failed to convert a file."""


def soffice() -> str | None:
    """The soffice executable, or None when LibreOffice is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(
    src: str | os.PathLike, fmt: str, outdir: str | os.PathLike, *, timeout: float = 180
) -> Path:
    """Convert ``src`` with LibreOffice headless to ``fmt`` (e.g. ``xlsx``,
    ``pdf``) in ``outdir``; formulas are recalculated on load. Returns the
    path written."""
    src = Path(src).resolve()
    return convert_many([src], fmt, outdir, timeout=timeout)[src]


def convert_many(
    sources: Iterable[str | os.PathLike],
    fmt: str,
    outdir: str | os.PathLike,
    *,
    timeout: float = 300,
    infilter: str | None = None,
) -> dict[Path, Path]:
    """Convert several files in one LibreOffice start (much faster than one
    start each); returns {source: converted file}. Raises OfficeError when
    LibreOffice is missing or any file was not converted."""
    exe = soffice()
    if exe is None:
        raise OfficeError("LibreOffice (soffice) is not installed")
    srcs = [Path(p).resolve() for p in sources]
    outdir = Path(outdir).resolve()
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="xlcollab-lo-") as profile:
        user = Path(profile) / "user"
        user.mkdir()
        (user / "registrymodifications.xcu").write_text(_PROFILE_XCU, encoding="utf-8")
        cmd = [
            exe,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
        ]
        if infilter:
            cmd.append(f"--infilter={infilter}")
        cmd += ["--convert-to", fmt, "--outdir", str(outdir), *map(str, srcs)]
        env = dict(os.environ, HOME=profile)
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
        except subprocess.TimeoutExpired as exc:
            raise OfficeError(f"LibreOffice timed out converting {len(srcs)} file(s)") from exc
    ext = fmt.split(":")[0]
    done = {s: outdir / f"{s.stem}.{ext}" for s in srcs}
    missing = [s.name for s, t in done.items() if not t.exists()]
    if proc.returncode != 0 or missing:
        raise OfficeError(
            f"LibreOffice could not convert {', '.join(missing) or 'the files'}: "
            f"{(proc.stderr or proc.stdout).strip()[:500]}"
        )
    return done


def recalculate(src: str | os.PathLike, outdir: str | os.PathLike) -> Path:
    """A copy of the workbook ``src`` as LibreOffice saves it after a full
    recalculation: its cached values are LibreOffice's results."""
    return convert(src, "xlsx", outdir)
