"""Every sheet of the master workbook by key, and lookups over them."""

from __future__ import annotations

from collections.abc import Iterable

from xlcollab.schema.columns import Column
from xlcollab.schema.control import (
    BUDGET,
    DELIVERABLES,
    ESCALATIONS,
    EXPENSES,
    HOLIDAYS,
    MEETINGS,
    RISKS,
)
from xlcollab.schema.forms import OVERVIEW, SETTINGS
from xlcollab.schema.plan import DEPARTMENTS, MILESTONES, RESOURCES, TASKS, TEAM
from xlcollab.schema.sheet import Kind, Sheet, norm_header
from xlcollab.schema.types import FORM_FIRST_ROW, T
from xlcollab.schema.views import CHANGELOG, FINDINGS, GANTT, LISTS, XLWINGS_CONF

SHEETS: dict[str, Sheet] = {
    s.key: s
    for s in (
        OVERVIEW,
        TEAM,
        DEPARTMENTS,
        RESOURCES,
        TASKS,
        GANTT,
        MILESTONES,
        RISKS,
        ESCALATIONS,
        BUDGET,
        EXPENSES,
        MEETINGS,
        DELIVERABLES,
        HOLIDAYS,
        SETTINGS,
        FINDINGS,
        CHANGELOG,
        LISTS,
        XLWINGS_CONF,
    )
}
# form sheets: the header of their first row; xlwings.conf has none
FORM_HEADERS = {"zh": ("项目", "内容", "说明"), "en": ("Item", "Value", "Notes")}
FORM_NO_HEADER = ("xlwings_conf",)
LIST_ITEMS_MAX = 100  # rows of an extensible list on the lists sheet


def form_first_row(sheet_key: str) -> int:
    return 1 if sheet_key in FORM_NO_HEADER else FORM_FIRST_ROW


def sheet_by_name(name: str) -> Sheet | None:
    """The sheet a workbook tab names, in either language."""
    n = norm_header(name)
    for s in SHEETS.values():
        if n in (norm_header(s.zh), norm_header(s.en)):
            return s
    return None


def table_sheets() -> Iterable[Sheet]:
    return (s for s in SHEETS.values() if s.kind is Kind.TABLE)


# A lone date outside any sheet (a UDF's date argument): the reader's parser needs a column to
# parse it as, and to name in its messages.
DATE_VALUE = Column("date", "日期", "date", T.DATE)
