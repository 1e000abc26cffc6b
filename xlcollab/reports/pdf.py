"""Documents to PDF with LibreOffice headless, many files in one run.

One ``soffice`` start converts the whole pack (much faster than one start
per file). Uses the same throw-away profile as :mod:`xlcollab.io.office`.
Slides (.pptx) need LibreOffice Impress (Debian: ``libreoffice-impress``);
a file LibreOffice cannot load is simply missing from the result.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from xlcollab.io.office import OfficeError, convert_many, soffice

__all__ = ["to_pdf"]


def to_pdf(
    paths: Iterable[str | os.PathLike], outdir: str | os.PathLike, *, timeout: float = 300
) -> dict[Path, Path]:
    """Convert ``paths`` to PDF in ``outdir`` in one LibreOffice start
    (:func:`xlcollab.io.office.convert_many`); returns {source: pdf} for the
    files converted, so slides missing for want of Impress do not hide the
    Word documents. Raises OfficeError when LibreOffice is missing or
    converts nothing."""
    sources = [Path(p).resolve() for p in paths]
    try:
        return convert_many(sources, "pdf", outdir, timeout=timeout)
    except OfficeError:
        if soffice() is None:
            raise
        out = Path(outdir).resolve()
        done = {s: out / f"{s.stem}.pdf" for s in sources if (out / f"{s.stem}.pdf").exists()}
        if not done:
            raise
        return done
