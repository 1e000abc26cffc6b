"""The workbook's two languages and the one way to choose between texts.

Chinese is the default: every text xlcollab shows is chosen with :func:`tr`,
which gives the English text only when the language is English.

>>> tr("zh", "合计", "Total"), tr("en", "合计", "Total")
('合计', 'Total')
"""

from __future__ import annotations

from typing import TypeVar

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"

_T = TypeVar("_T")


def tr(lang: str | None, zh: _T, en: _T) -> _T:
    """``en`` when ``lang`` is English, otherwise ``zh`` (the default)."""
    return en if lang == "en" else zh
