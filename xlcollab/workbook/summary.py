"""Summary rows on 任务清单: their dates, progress and status as native
formulas over the rows under them (the schema's SUMMARY_FORMULAS), so the
workbook rolls them up without Python; the value Python computes
(:func:`xlcollab.core.figures.rollup`) is kept as each cell's cached value.
"""

from __future__ import annotations

import pandas as pd

from xlcollab.core.figures import rollup
from xlcollab.io.cached import remember
from xlcollab.model import is_missing
from xlcollab.schema import FIRST_DATA_ROW, STATUS, SUMMARY_FORMULAS, TASKS
from xlcollab.workbook import formats, layout
from xlcollab.workbook.formulas import resolve

__all__ = ["write_summary_formulas"]


def _shown(key: str, value, lang: str):
    if is_missing(value):
        return None
    if key == "status":
        return STATUS.label(str(value), lang)
    if key == "progress":
        return float(value)
    return pd.Timestamp(value).date()


def write_summary_formulas(ws, tasks: pd.DataFrame | None, lang: str) -> int:
    """Put SUMMARY_FORMULAS into the summary rows of the task sheet ``ws``
    (records in ``tasks`` order from FIRST_DATA_ROW); returns how many rows."""
    if tasks is None or not len(tasks):
        return 0
    roll = rollup(tasks)
    position = {label: n for n, label in enumerate(tasks.index)}
    for label in roll.index:
        row = FIRST_DATA_ROW + position[label]
        for key, template in SUMMARY_FORMULAS.items():
            cell = ws.cell(row, layout.col_index(TASKS.key, key))
            cell.value = resolve(template, TASKS.key, row, lang)
            cell.protection = formats.LOCKED
            remember(ws, cell.coordinate, _shown(key, roll.at[label, key], lang))
    return len(roll)
