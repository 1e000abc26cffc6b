"""Documents to PDF with LibreOffice headless, many files in one run.

One ``soffice`` start converts the whole pack (much faster than one start
per file). Uses the same throw-away profile as :mod:`xlcollab.office`.
Slides (.pptx) need LibreOffice Impress (Debian: ``libreoffice-impress``);
a file LibreOffice cannot load is simply missing from the result.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path
from typing import Iterable

from ..office import _PROFILE_XCU, OfficeError, soffice

__all__ = ["to_pdf"]


def to_pdf(paths: Iterable[str | os.PathLike], outdir: str | os.PathLike, *,
           timeout: float = 300) -> dict[Path, Path]:
    """Convert ``paths`` to PDF in ``outdir``; returns {source: pdf} for
    the files converted. Raises OfficeError when LibreOffice is missing or
    converts nothing."""
    exe = soffice()
    if exe is None:
        raise OfficeError("LibreOffice (soffice) is not installed")
    sources = [Path(p).resolve() for p in paths]
    out = Path(outdir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="xlcollab-lo-") as profile:
        user = Path(profile) / "user"
        user.mkdir()
        (user / "registrymodifications.xcu").write_text(_PROFILE_XCU, encoding="utf-8")
        cmd = [exe, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
               "--norestore", "--nolockcheck", "--convert-to", "pdf", "--outdir", str(out),
               *map(str, sources)]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                                  env=dict(os.environ, HOME=profile))
        except subprocess.TimeoutExpired as exc:
            raise OfficeError("LibreOffice timed out converting to PDF") from exc
    done = {s: out / f"{s.stem}.pdf" for s in sources if (out / f"{s.stem}.pdf").exists()}
    if not done:
        raise OfficeError(f"LibreOffice converted nothing: {(proc.stderr or proc.stdout)[:500]}")
    return done
