"""A new, empty project: what ``xlcollab init`` writes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import pandas as pd

from xlcollab.core.calendar import official_holiday_rows, package_years
from xlcollab.model import ProjectData
from xlcollab.model.frames import empty_frame, index_rows
from xlcollab.schema import CHOICE_LISTS, OVERVIEW, SETTINGS, table_sheets

__all__ = ["blank_project", "default_settings", "default_lists"]


def default_settings(lang: str = "zh") -> dict[str, Any]:
    """The 参数 sheet's defaults (report language follows ``lang``)."""
    settings = {c.key: c.default for c in SETTINGS.columns}
    settings["report_lang"] = lang
    return settings


def default_lists(lang: str = "zh") -> dict[str, list[str]]:
    """The extensible dropdown lists with their built-in labels in ``lang``."""
    return {cl.key: cl.labels(lang) for cl in CHOICE_LISTS.values() if cl.extensible}


def blank_project(
    lang: str = "zh", start: dt.date | None = None, years: Iterable[int] | None = None
) -> ProjectData:
    """An empty project as ``xlcollab init`` writes it.

    Every table sheet is an empty typed frame; settings are the schema
    defaults; the overview is empty except ``start_date`` when given; the
    节假日 sheet is prefilled with the official holidays and make-up workdays
    of ``years`` (those the calendar package knows). No clock is read: when
    ``years`` is None the years come from ``start`` (its year and the next),
    and with neither the holiday sheet stays empty.
    """
    tables = {s.key: empty_frame(s.key) for s in table_sheets()}
    if years is None and start is not None:
        years = range(start.year, start.year + 2)
    if years is not None:
        known = package_years()
        wanted = sorted(y for y in years if y in known)
        if wanted:
            tables["holidays"] = official_holiday_rows(
                dt.date(wanted[0], 1, 1), dt.date(wanted[-1], 12, 31), lang
            )
            tables["holidays"] = _reindex(
                tables["holidays"][tables["holidays"]["date"].dt.year.isin(wanted)]
            )
    overview = {c.key: None for c in OVERVIEW.columns}
    if start is not None:
        overview["start_date"] = start
    return ProjectData(
        tables=tables,
        overview=overview,
        settings=default_settings(lang),
        lists=default_lists(lang),
        lang=lang,
    )


def _reindex(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    df.index = index_rows(len(df))
    return df
