"""Create the master workbook from the schema alone (openpyxl).

>>> wb = build_workbook(data)            # ProjectData; lang defaults to data.lang
>>> wb = build_workbook(data, lang="en")

Saving is the io layer's job (:func:`xlcollab.io.save.save_new_workbook`).
"""

from __future__ import annotations

from openpyxl import Workbook

from xlcollab.io.cached import CachedWorkbook
from xlcollab.model import ProjectData
from xlcollab.schema import (
    FORM_NO_HEADER,
    HEADER_ROW,
    LANGS,
    OVERVIEW,
    SETTINGS,
    SHEETS,
    TASKS,
    Kind,
)
from xlcollab.schema.lang import tr
from xlcollab.workbook.cached import computed_values
from xlcollab.workbook.formats import print_setup
from xlcollab.workbook.forms import write_form_sheet
from xlcollab.workbook.gantt import gantt_weeks, write_gantt_sheet
from xlcollab.workbook.layout import body_rows
from xlcollab.workbook.lists import write_lists_sheet
from xlcollab.workbook.names import add_defined_names
from xlcollab.workbook.summary import write_summary_formulas
from xlcollab.workbook.tables import write_table_sheet

__all__ = ["build_workbook"]


def build_workbook(data: ProjectData, lang: str | None = None) -> Workbook:
    """The master workbook for ``data``: every sheet of the schema in order,
    names and headers in ``lang`` (zh or en; default ``data.lang``)."""
    lang = lang or data.lang
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGS)}")
    wb = CachedWorkbook()  # saves the formulas' cached values too
    wb.remove(wb.active)
    forms = {OVERVIEW.key: data.overview, SETTINGS.key: data.settings}
    cached = computed_values(data, lang)
    for sheet in SHEETS.values():
        ws = wb.create_sheet(sheet.name(lang))
        if sheet.tab_color:
            ws.sheet_properties.tabColor = sheet.tab_color
        if sheet.kind is Kind.TABLE:
            write_table_sheet(ws, sheet, data.tables.get(sheet.key), lang, cached.get(sheet.key))
            if sheet.key == TASKS.key:
                write_summary_formulas(ws, data.tables.get(sheet.key), lang)
        elif sheet.kind is Kind.FORM:
            write_form_sheet(ws, sheet, forms.get(sheet.key, {}), lang)
        elif sheet.kind is Kind.VIEW:
            tasks = data.tables.get(TASKS.key)
            weeks = gantt_weeks(data.overview.get("start_date"), data.overview.get("end_date"))
            write_gantt_sheet(
                ws, body_rows(TASKS.key, 0 if tasks is None else len(tasks)), lang, weeks
            )
        elif sheet.kind is Kind.LISTS:
            write_lists_sheet(ws, data.lists, lang)
        if sheet.hidden:
            ws.sheet_state = "hidden"
        else:
            print_setup(ws, 0 if sheet.key in FORM_NO_HEADER else HEADER_ROW)
    add_defined_names(wb, lang)
    _open_on_overview(wb)
    wb.calculation.fullCalcOnLoad = True
    wb.properties.title = str(data.overview.get("name") or OVERVIEW.name(lang))
    wb.properties.creator = "xlcollab"
    wb.properties.language = tr(lang, "zh-CN", "en-US")
    return wb


def _open_on_overview(wb: Workbook) -> None:
    overview = wb.worksheets[list(SHEETS).index(OVERVIEW.key)]
    wb.active = overview
    for ws in wb.worksheets:
        ws.sheet_view.tabSelected = ws is overview
