"""The formula placeholder resolver (xlcollab.workbook.formulas)."""

from __future__ import annotations

import re

import pytest
from openpyxl.utils.cell import get_column_letter

from xlcollab.schema import (
    CHOICE_LISTS,
    DEFINED_NAMES,
    FIRST_DATA_ROW,
    FORM_VALUE_COL,
    GANTT,
    GANTT_BARS,
    GANTT_WEEK_HEADER,
    HEADER_ROW,
    HIGHLIGHTS,
    HOLIDAY_CAPACITY,
    LIST_ITEMS_MAX,
    LIST_RANGE_ROWS,
    SHEETS,
    Computed,
)
from xlcollab.workbook.formulas import bare, resolve
from xlcollab.workbook.layout import col_letter, form_row, week_col

ZH_TASKS = SHEETS["tasks"].zh
EN_TASKS = SHEETS["tasks"].en


def _letter(sheet, key):
    return get_column_letter(SHEETS[sheet].keys.index(key) + 1)


def test_same_row_cell_is_relative():
    f = resolve("{c.planned_finish}", "tasks", 5)
    assert f == f"{_letter('tasks', 'planned_finish')}5"


def test_same_row_cell_in_conditional_format_is_column_absolute():
    f = resolve("{c.status}", "tasks", 2, cond=True)
    assert f == f"${_letter('tasks', 'status')}2"


def test_other_sheet_same_row_quotes_the_sheet_name_in_the_language():
    assert resolve("{o.tasks.wbs}", "gantt", 7) == f"'{ZH_TASKS}'!{_letter('tasks', 'wbs')}7"
    assert resolve("{o.tasks.wbs}", "gantt", 7, "en") == f"'{EN_TASKS}'!{_letter('tasks', 'wbs')}7"


def test_whole_column_is_absolute():
    letter = _letter("expenses", "amount")
    assert resolve("{r.expenses.amount}", "budget", 9) == (
        f"'{SHEETS['expenses'].zh}'!${letter}:${letter}"
    )


def test_form_field_is_its_absolute_value_cell():
    row = form_row("overview", "status_date")
    assert row == 2 + SHEETS["overview"].keys.index("status_date")
    value = get_column_letter(FORM_VALUE_COL)
    assert resolve("{f.overview.status_date}", "tasks", 3) == (
        f"'{SHEETS['overview'].zh}'!${value}${row}"
    )


def test_choice_label_is_quoted_in_the_language():
    assert resolve("{v.status.done}", "tasks", 2) == '"' + CHOICE_LISTS["status"]["done"].zh + '"'
    assert resolve("{v.status.done}", "tasks", 2, "en") == '"Done"'


def test_lists_ranges():
    lists = SHEETS["lists"].zh
    hol = _letter("lists", "holiday_dates")
    assert resolve("{l.holiday_dates}", "tasks", 2) == (
        f"'{lists}'!${hol}${FIRST_DATA_ROW}:${hol}${HOLIDAY_CAPACITY + 1}"
    )
    cat = _letter("lists", "expense_category")  # extensible: LIST_ITEMS_MAX rows
    assert resolve("{l.expense_category}", "tasks", 2) == (
        f"'{lists}'!${cat}${FIRST_DATA_ROW}:${cat}${FIRST_DATA_ROW + LIST_ITEMS_MAX - 1}"
    )
    st = _letter("lists", "status")  # fixed: exactly its items
    assert resolve("{l.status}", "tasks", 2) == (
        f"'{lists}'!${st}${FIRST_DATA_ROW}:"
        f"${st}${FIRST_DATA_ROW + len(CHOICE_LISTS['status'].items) - 1}"
    )


def test_dropdown_range_of_a_table_column():
    assert resolve("{d.team.name}", "tasks", 2) == (
        f"'{SHEETS['team'].zh}'!$A${FIRST_DATA_ROW}:$A${LIST_RANGE_ROWS}"
    )


def test_week_header_and_index():
    first = len(GANTT.columns) + 1
    assert week_col(0) == first
    assert (
        resolve("{w}", "gantt", 2, cond=True, week=0) == f"{get_column_letter(first)}${HEADER_ROW}"
    )
    assert resolve("{w}", "gantt", 2, week=3) == f"{get_column_letter(first + 3)}${HEADER_ROW}"
    assert resolve("7*{k}", "gantt", 1, week=4) == "7*4"
    with pytest.raises(ValueError, match="w"):
        resolve("{w}", "gantt", 2)


@pytest.mark.parametrize(
    "template",
    [
        "{x.tasks.wbs}",
        "{c.nope}",
        "{o.nosheet.wbs}",
        "{v.status.finished}",
        "{l.nolist}",
        "{wd:A|B}",
        "{c}",
        "{f.tasks.wbs}",
    ],
)
def test_unknown_placeholder_raises_naming_it(template):
    with pytest.raises(ValueError) as err:
        resolve(template, "tasks", 2)
    assert template in str(err.value)


def test_a_quote_in_a_sheet_name_or_label_is_doubled():
    from xlcollab.workbook.layout import quote_sheet

    assert quote_sheet("a'b") == "'a''b'"


def test_bare_drops_the_equals_sign():
    assert bare("=A1+1") == "A1+1"
    assert bare("A1") == "A1"


def _all_templates():
    for sheet in SHEETS.values():
        for col in sheet.columns:
            if col.formula:
                yield sheet.key, col.formula, {}
    for t in DEFINED_NAMES.values():
        yield "overview", t, {}
    for hl in HIGHLIGHTS:
        yield hl.sheet, hl.formula, {"cond": True}
    for t, _ in GANTT_BARS:
        yield "gantt", t, {"cond": True, "week": 0}
    yield "gantt", GANTT_WEEK_HEADER, {"week": 0}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_schema_template_resolves(lang):
    for sheet, template, kw in _all_templates():
        out = resolve(template, sheet, 5, lang, **kw)
        assert not re.search(r"\{[a-z]", out), (sheet, template, out)
        assert out.count("(") == out.count(")")


def test_overdue_formula_row_5_references_row_5():
    f = resolve(SHEETS["tasks"].col("overdue").formula, "tasks", 5)
    pf, st = col_letter("tasks", "planned_finish"), col_letter("tasks", "status")
    assert f"{pf}5" in f and f"{st}5" in f
    assert not re.search(rf"\b{pf}(?!5)\d+", f)
    assert SHEETS["tasks"].col("overdue").computed is Computed.EXCEL
