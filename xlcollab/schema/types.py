"""Layout facts of the master workbook and the column types."""

from __future__ import annotations

from enum import StrEnum

# ---------------------------------------------------------------- layout ----
HEADER_ROW = 1  # tables: header in row 1, data from row 2
FIRST_DATA_ROW = 2
FORM_LABEL_COL = 1  # form sheets: label in column A
FORM_VALUE_COL = 2  # value in column B
FORM_NOTE_COL = 3  # explanation in column C
FORM_FIRST_ROW = 2  # row 1 holds the form's own header
MAX_ROWS = 1_048_576  # Excel's sheet limit
GANTT_WEEKS = 26  # week columns on the Gantt grid while the project dates are not set
GANTT_SPARE_WEEKS = 1  # week columns after the project's last week
WRAP_WIDTH = 20  # text columns at least this wide wrap (descriptions, plans)
HOLIDAY_CAPACITY = 400  # rows of 节假日 the hidden lists sheet mirrors
LIST_RANGE_ROWS = 1000  # how far department/person dropdowns reach


class T(StrEnum):
    """Column types."""

    TEXT = "text"
    DATE = "date"
    INT = "int"
    NUMBER = "number"
    PERCENT = "percent"
    MONEY = "money"
    ENUM = "enum"  # a fixed choice list; stored by key
    CHOICE = "choice"  # an extensible list (lists sheet); stored by label
    PERSON = "person"  # a name from 组织架构
    DEPARTMENT = "department"  # a name from 部门
    REF = "ref"  # one or more task WBS codes
    BOOL = "bool"  # 是/否


NUMBER_FORMATS = {
    T.DATE: "yyyy-mm-dd",
    T.INT: "0",
    T.NUMBER: "#,##0.##",
    T.PERCENT: "0%",
    T.MONEY: '"¥"#,##0.00',
}
