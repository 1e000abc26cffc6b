"""The workbook builder: read the built workbook back and check its content.

Addresses are derived from the schema (columns are written in schema order),
never typed here.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import openpyxl
import pandas as pd
import pytest
from openpyxl.utils.cell import get_column_letter, range_boundaries

from xlcollab.model import ProjectData
from xlcollab.schema import (
    CHOICE_LISTS,
    DEFINED_NAMES,
    FIRST_DATA_ROW,
    FORM_HEADERS,
    FORM_LABEL_COL,
    FORM_NOTE_COL,
    FORM_VALUE_COL,
    GANTT,
    GANTT_BARS,
    GANTT_WEEKS,
    HEADER_ROW,
    HIGHLIGHTS,
    SHEETS,
    STYLES,
    TYPE_SOURCES,
    Computed,
    Kind,
    T,
    table_sheets,
)
from xlcollab.workbook import build_workbook
from xlcollab.workbook.formulas import resolve
from xlcollab.workbook.gantt import gantt_weeks
from xlcollab.workbook.layout import col_index, col_letter, form_row

STATUS_DATE = dt.date(2026, 4, 8)  # a Wednesday


def _frame(sheet: str, rows: list[dict]) -> pd.DataFrame:
    keys = SHEETS[sheet].keys
    df = pd.DataFrame([{k: r.get(k) for k in keys} for r in rows], columns=keys)
    df.index = range(FIRST_DATA_ROW, FIRST_DATA_ROW + len(df))
    return df


def _d(s: str) -> pd.Timestamp:
    return pd.Timestamp(s)


def small_project(lang: str = "zh") -> ProjectData:
    tasks = _frame(
        "tasks",
        [
            dict(
                wbs="1",
                name="项目启动会",
                phase="kickoff",
                department="项目管理部",
                owner="张三",
                planned_start=_d("2026-03-02"),
                planned_finish=_d("2026-03-06"),
                actual_finish=_d("2026-03-06"),
                progress=1.0,
                status="done",
                approved=True,
            ),
            dict(
                wbs="2",
                name="需求调研",
                phase="planning",
                department="信息技术部",
                owner="李四",
                planned_start=_d("2026-03-09"),
                planned_finish=_d("2026-03-20"),
                progress=0.5,
                status="in_progress",
                approved=False,
                notes="=SUM(A1:A3)",
            ),
            dict(
                wbs="3",
                name="系统对接",
                phase="execution",
                department="信息技术部",
                owner="李四",
                planned_start=_d("2026-03-23"),
                planned_finish=_d("2026-04-10"),
                progress=0.2,
                status="blocked",
                blocked_reason="接口未就绪",
                blocked_since=_d("2026-04-01"),
                escalation="pm",
            ),
            dict(
                wbs="4",
                name="项目总结",
                phase="closing",
                department="项目管理部",
                owner="张三",
                planned_start=_d("2026-04-27"),
                planned_finish=_d("2026-04-30"),
                status="not_started",
            ),
        ],
    )
    risks = _frame(
        "risks",
        [
            dict(
                risk_id="R1",
                description="核心人员离职",
                category="人员变动",
                probability=4,
                impact=4,
                status="open",
                identified=_d("2026-03-02"),
                last_review=_d("2026-03-01"),
            ),
            dict(
                risk_id="R2",
                description="接口延期",
                category="系统对接延迟",
                probability=2,
                impact=3,
                status="monitoring",
                identified=_d("2026-04-01"),
            ),
            dict(
                risk_id="R3",
                description="需求反复",
                category="需求变更",
                probability=3,
                impact=3,
                status="closed",
                identified=_d("2026-03-05"),
            ),
        ],
    )
    budget = _frame(
        "budget",
        [
            dict(department="项目管理部", category="人工", amount=Decimal("10000.00")),
            dict(department="信息技术部", category="软件", amount=Decimal("0.00")),
        ],
    )
    expenses = _frame(
        "expenses",
        [
            dict(
                date=_d("2026-03-10"),
                department="项目管理部",
                category="人工",
                amount=Decimal("3000.00"),
                description="外聘顾问",
                invoice_no="00012345",
            ),
            dict(
                date=_d("2026-03-25"),
                department="项目管理部",
                category="人工",
                amount=Decimal("1500.50"),
                task="2",
            ),
            dict(
                date=_d("2026-03-25"),
                department="信息技术部",
                category="差旅",
                amount=Decimal("800.00"),
            ),
        ],
    )
    team = _frame(
        "team",
        [
            dict(name="张三", department="项目管理部", role="pm", phone="13800138000"),
            dict(name="李四", department="信息技术部", role="liaison"),
        ],
    )
    departments = _frame(
        "departments",
        [
            dict(name="项目管理部", liaison="张三", kpi_weight=0.1),
            dict(name="信息技术部", liaison="李四", kpi_weight=0.15),
        ],
    )
    holidays = _frame(
        "holidays",
        [
            dict(date=_d("2026-04-06"), type="off", name="清明节"),
            dict(date=_d("2026-03-28"), type="work", name="调休（测试）"),
        ],
    )
    meetings = _frame(
        "meetings",
        [
            dict(date=_d("2026-03-09"), type="weekly", attendees="全体", action_done=False),
        ],
    )
    return ProjectData(
        tables=dict(
            tasks=tasks,
            risks=risks,
            budget=budget,
            expenses=expenses,
            team=team,
            departments=departments,
            holidays=holidays,
            meetings=meetings,
        ),
        overview=dict(
            name="协同平台建设项目",
            goal="打通数据",
            start_date=dt.date(2026, 3, 2),
            end_date=dt.date(2026, 4, 30),
            project_lead="王五",
            pm="张三",
            current_phase="execution",
            status_date=STATUS_DATE,
        ),
        settings=dict(due_soon_days=3),
        lists=dict(expense_category=["人工", "差旅", "软件", "咨询"]),
        lang=lang,
    )


@pytest.fixture(scope="module")
def project() -> ProjectData:
    return small_project()


@pytest.fixture(scope="module")
def saved(project, tmp_path_factory):
    path = tmp_path_factory.mktemp("build") / "master.xlsx"
    build_workbook(project).save(path)
    return path


@pytest.fixture(scope="module")
def wb(saved):
    return openpyxl.load_workbook(saved)


def cell(wb, sheet: str, key: str, row: int):
    return wb[SHEETS[sheet].zh].cell(row, col_index(sheet, key))


def data_row(i: int) -> int:
    return FIRST_DATA_ROW + i


# ------------------------------------------------------------------ sheets --
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sheet_names_follow_the_schema_in_order(lang):
    wb = build_workbook(small_project(), lang)
    assert wb.sheetnames == [s.name(lang) for s in SHEETS.values()]


def test_lang_defaults_to_the_projects_language():
    wb = build_workbook(small_project("en"))
    assert wb.sheetnames[0] == SHEETS["overview"].en


def test_unknown_language_is_refused():
    with pytest.raises(ValueError):
        build_workbook(small_project(), "fr")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_headers_per_schema(lang):
    wb = build_workbook(small_project(), lang)
    for sheet in SHEETS.values():
        ws = wb[sheet.name(lang)]
        if sheet.kind in (Kind.TABLE, Kind.VIEW, Kind.LISTS):
            got = [ws.cell(HEADER_ROW, i).value for i in range(1, len(sheet.columns) + 1)]
            assert got == [c.header(lang) for c in sheet.columns], sheet.key
        elif sheet.key == "xlwings_conf":
            assert ws.cell(1, FORM_LABEL_COL).value == sheet.columns[0].header(lang)
        else:
            got = [
                ws.cell(HEADER_ROW, c).value
                for c in (FORM_LABEL_COL, FORM_VALUE_COL, FORM_NOTE_COL)
            ]
            assert got == list(FORM_HEADERS[lang])
            for col in sheet.columns:
                assert ws.cell(form_row(sheet.key, col.key), FORM_LABEL_COL).value == col.header(
                    lang
                )


def test_header_row_is_styled_and_frozen(wb):
    ws = wb[SHEETS["risks"].zh]
    assert ws.cell(HEADER_ROW, 1).fill.fgColor.rgb.endswith(STYLES["header"][0])
    assert ws.cell(HEADER_ROW, 1).font.b
    assert ws.freeze_panes == f"A{FIRST_DATA_ROW}"
    tasks = wb[SHEETS["tasks"].zh]
    assert (
        tasks.freeze_panes == f"{get_column_letter(col_index('tasks', 'name') + 1)}{FIRST_DATA_ROW}"
    )


def test_tables_cover_header_records_and_spare_rows(wb, project):
    for sheet in table_sheets():
        ws = wb[sheet.zh]
        table = ws.tables[sheet.table]
        n = len(project.tables[sheet.key]) if sheet.key in project.tables else 0
        rows = max(1, n + sheet.spare_rows)
        assert table.ref == (
            f"A{HEADER_ROW}:{get_column_letter(len(sheet.columns))}{FIRST_DATA_ROW + rows - 1}"
        ), sheet.key
        assert [c.name for c in table.tableColumns] == [c.header("zh") for c in sheet.columns]
        assert table.autoFilter.ref == table.ref


def test_widths_and_number_formats(wb):
    ws = wb[SHEETS["tasks"].zh]
    for col in SHEETS["tasks"].columns:
        assert ws.column_dimensions[col_letter("tasks", col.key)].width == col.width
    assert cell(wb, "tasks", "planned_finish", data_row(0)).number_format == "yyyy-mm-dd"
    assert cell(wb, "tasks", "progress", data_row(0)).number_format == "0%"
    assert (
        cell(wb, "budget", "amount", data_row(0)).number_format
        == SHEETS["budget"].col("amount").number_format
    )
    # spare rows are formatted too
    last = FIRST_DATA_ROW + 4 + SHEETS["tasks"].spare_rows - 1
    assert cell(wb, "tasks", "planned_start", last).number_format == "yyyy-mm-dd"


# ------------------------------------------------------------------ values --
def test_values_round_trip_by_type(wb):
    assert cell(wb, "tasks", "wbs", data_row(0)).value == "1"
    assert cell(wb, "tasks", "phase", data_row(0)).value == "启动"  # ENUM key -> label
    assert cell(wb, "tasks", "status", data_row(2)).value == "阻塞"
    assert cell(wb, "tasks", "approved", data_row(0)).value == "是"  # BOOL
    assert cell(wb, "tasks", "approved", data_row(1)).value == "否"
    assert cell(wb, "tasks", "approved", data_row(3)).value is None  # None -> empty
    assert cell(wb, "tasks", "planned_finish", data_row(0)).value == dt.datetime(2026, 3, 6)
    assert cell(wb, "tasks", "actual_finish", data_row(1)).value is None  # NaT
    assert cell(wb, "tasks", "progress", data_row(1)).value == 0.5
    assert cell(wb, "budget", "amount", data_row(0)).value == 10000.0  # MONEY Decimal -> float
    assert cell(wb, "expenses", "amount", data_row(1)).value == 1500.5
    assert cell(wb, "expenses", "invoice_no", data_row(0)).value == "00012345"
    assert cell(wb, "risks", "probability", data_row(0)).value == 4
    assert cell(wb, "risks", "category", data_row(0)).value == "人员变动"  # CHOICE label
    assert cell(wb, "team", "phone", data_row(0)).value == "13800138000"
    assert cell(wb, "meetings", "action_done", data_row(0)).value == "否"


def test_text_starting_with_equals_stays_text(wb):
    c = cell(wb, "tasks", "notes", data_row(1))
    assert c.value == "=SUM(A1:A3)"
    assert c.data_type == "s"


def test_python_computed_columns_get_the_frames_values(wb):
    assert cell(wb, "tasks", "blocked_since", data_row(2)).value == dt.datetime(2026, 4, 1)
    assert cell(wb, "tasks", "escalation", data_row(2)).value == "项目经理协调"


def test_english_labels():
    wb = build_workbook(small_project(), "en")
    ws = wb[SHEETS["tasks"].en]
    assert ws.cell(data_row(2), col_index("tasks", "status")).value == "Blocked"
    assert ws.cell(data_row(0), col_index("tasks", "approved")).value == "Yes"


def test_forms_take_values_then_defaults(wb):
    ov = wb[SHEETS["overview"].zh]
    assert ov.cell(form_row("overview", "name"), FORM_VALUE_COL).value == "协同平台建设项目"
    assert ov.cell(form_row("overview", "status_date"), FORM_VALUE_COL).value == dt.datetime(
        2026, 4, 8
    )
    assert ov.cell(form_row("overview", "current_phase"), FORM_VALUE_COL).value == "执行"
    assert (
        ov.cell(form_row("overview", "status_date"), FORM_NOTE_COL).value
        == SHEETS["overview"].col("status_date").note_zh
    )
    st = wb[SHEETS["settings"].zh]
    assert st.cell(form_row("settings", "due_soon_days"), FORM_VALUE_COL).value == 3
    assert (
        st.cell(form_row("settings", "risk_high"), FORM_VALUE_COL).value
        == SHEETS["settings"].col("risk_high").default
    )
    assert st.cell(form_row("settings", "report_lang"), FORM_VALUE_COL).value == "中文"


def test_xlwings_conf_keys_in_a_values_in_b(wb):
    ws = wb["xlwings.conf"]
    assert ws.sheet_state == "hidden"
    conf = {}
    row = 1
    while ws.cell(row, 1).value:
        conf[ws.cell(row, 1).value] = ws.cell(row, 2).value
        row += 1
    expected = {c.header("zh"): c.default for c in SHEETS["xlwings_conf"].columns if c.default}
    assert conf == expected
    assert conf["UDF Modules"] == "xlcollab.excel.udfs"


def test_workbook_properties_and_active_sheet(wb):
    assert wb.properties.title == "协同平台建设项目"
    assert wb.active.title == SHEETS["overview"].zh
    assert wb.calculation.fullCalcOnLoad
    for sheet in SHEETS.values():
        if sheet.tab_color:
            assert wb[sheet.zh].sheet_properties.tabColor.rgb.endswith(sheet.tab_color)


# ---------------------------------------------------------------- formulas --
def test_computed_excel_columns_have_formulas_in_every_row(wb, project):
    ws = wb[SHEETS["tasks"].zh]
    last = FIRST_DATA_ROW + len(project.tables["tasks"]) + SHEETS["tasks"].spare_rows - 1
    for col in SHEETS["tasks"].columns:
        if col.computed is Computed.EXCEL:
            for row in (FIRST_DATA_ROW, last):
                assert ws.cell(row, col_index("tasks", col.key)).value == resolve(
                    col.formula, "tasks", row
                ), (col.key, row)
    assert ws.cell(last + 1, col_index("tasks", "overdue")).value is None


def test_overdue_formula_in_row_5_references_row_5(wb):
    f = cell(wb, "tasks", "overdue", 5).value
    pf = col_letter("tasks", "planned_finish")
    assert f.startswith("=")
    assert f"{pf}5" in f
    assert set(re.findall(rf"\b{pf}(\d+)\b", f)) == {"5"}
    assert '"已完成"' in f and "xc_today" in f


def test_budget_used_sums_the_expense_ledger(wb):
    f = cell(wb, "budget", "used", data_row(0)).value
    amount = col_letter("expenses", "amount")
    assert f"'{SHEETS['expenses'].zh}'!${amount}:${amount}" in f


def test_table_columns_carry_their_calculated_formula(wb):
    table = wb[SHEETS["risks"].zh].tables["tblRisks"]
    by_name = {c.name: c for c in table.tableColumns}
    score = by_name[SHEETS["risks"].col("score").zh].calculatedColumnFormula
    assert score is not None
    assert (
        score.attr_text
        == resolve(SHEETS["risks"].col("score").formula, "risks", FIRST_DATA_ROW)[1:]
    )
    assert by_name[SHEETS["risks"].col("probability").zh].calculatedColumnFormula is None


def test_defined_names_exist_and_resolve(wb):
    assert set(DEFINED_NAMES) <= set(wb.defined_names)
    today = wb.defined_names["xc_today"].attr_text
    row = form_row("overview", "status_date")
    assert f"'{SHEETS['overview'].zh}'!$B${row}" in today
    holidays = wb.defined_names["xc_holidays"]
    dests = list(holidays.destinations)
    assert dests[0][0] == SHEETS["lists"].zh
    assert wb.defined_names["xc_people"].attr_text.startswith(f"'{SHEETS['team'].zh}'!")
    for name in DEFINED_NAMES:
        assert "{" not in wb.defined_names[name].attr_text


# -------------------------------------------------------------- validation --
def _validations(ws):
    out = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            min_col, min_row, max_col, max_row = range_boundaries(rng.coord)
            out[min_col] = (dv, min_row, max_row)
    return out


def test_every_input_column_of_the_task_sheet_is_validated(wb, project):
    ws = wb[SHEETS["tasks"].zh]
    found = _validations(ws)
    last = FIRST_DATA_ROW + len(project.tables["tasks"]) + SHEETS["tasks"].spare_rows - 1
    for col in SHEETS["tasks"].columns:
        i = col_index("tasks", col.key)
        if col.computed:
            assert i not in found, col.key
            continue
        if col.type in (T.TEXT, T.REF) and not col.note("zh"):
            continue
        dv, lo, hi = found[i]
        assert (lo, hi) == (FIRST_DATA_ROW, last), col.key
        if col.type is T.ENUM:
            assert dv.type == "list"
            assert dv.formula1 == resolve("{l." + col.choices + "}", "lists", 0)
            assert dv.errorStyle == "stop"
        elif col.type in TYPE_SOURCES:
            assert (dv.type, dv.formula1) == ("list", TYPE_SOURCES[col.type])
        elif col.type is T.DATE:
            assert dv.type == "date" and dv.errorStyle == "warning"
        elif col.type is T.PERCENT:
            assert (dv.type, dv.formula1, dv.formula2) == ("decimal", "0", "1")
        elif col.type is T.BOOL:
            assert dv.formula1 == resolve("{l.yes_no}", "lists", 0)
    wbs = found[col_index("tasks", "wbs")][0]
    assert wbs.prompt == SHEETS["tasks"].col("wbs").note_zh
    assert wbs.promptTitle == SHEETS["tasks"].col("wbs").zh


def test_int_bounds_and_choice_lists(wb):
    found = _validations(wb[SHEETS["risks"].zh])
    dv = found[col_index("risks", "probability")][0]
    assert (dv.type, dv.operator, dv.formula1, dv.formula2) == ("whole", "between", "1", "5")
    cat = found[col_index("risks", "category")][0]
    assert cat.formula1 == resolve("{l.risk_category}", "lists", 0)
    money = _validations(wb[SHEETS["budget"].zh])[col_index("budget", "amount")][0]
    assert money.type == "decimal"


def test_form_value_cells_are_validated(wb):
    found = {
        next(iter(dv.sqref.ranges)).coord: dv
        for dv in wb[SHEETS["overview"].zh].data_validations.dataValidation
    }
    row = form_row("overview", "pm")
    assert found[f"{get_column_letter(FORM_VALUE_COL)}{row}"].formula1 == TYPE_SOURCES[T.PERSON]
    row = form_row("overview", "start_date")
    assert found[f"{get_column_letter(FORM_VALUE_COL)}{row}"].type == "date"


# ---------------------------------------------------------- protection -----
def test_protection_only_on_sheets_with_computed_columns(wb):
    for sheet in SHEETS.values():
        ws = wb[sheet.zh]
        computed = any(c.computed for c in sheet.columns)
        assert bool(ws.protection.sheet) == computed, sheet.key
        if computed:
            assert not ws.protection.password
            assert ws.protection.sort is False and ws.protection.autoFilter is False
            assert ws.protection.insertRows is False


def test_computed_cells_locked_grey_inputs_unlocked(wb):
    over = cell(wb, "tasks", "overdue", data_row(0))
    assert over.protection.locked
    assert over.fill.fgColor.rgb.endswith(STYLES["computed"][0])
    assert cell(wb, "tasks", "escalation", data_row(5)).protection.locked
    assert not cell(wb, "tasks", "status", data_row(0)).protection.locked
    assert not cell(wb, "tasks", "status", data_row(30)).protection.locked  # spare row


# ------------------------------------------------------------------ lists --
def test_lists_sheet_hidden_with_items_and_holiday_mirrors(wb):
    ws = wb[SHEETS["lists"].zh]
    assert ws.sheet_state == "hidden"
    col = col_index("lists", "status")
    assert [ws.cell(FIRST_DATA_ROW + i, col).value for i in range(4)] == CHOICE_LISTS[
        "status"
    ].labels("zh")
    col = col_index("lists", "expense_category")  # the project's own list
    assert [ws.cell(FIRST_DATA_ROW + i, col).value for i in range(5)] == [
        "人工",
        "差旅",
        "软件",
        "咨询",
        None,
    ]
    assert not ws.cell(FIRST_DATA_ROW + 10, col).protection.locked  # users extend it
    col = col_index("lists", "risk_category")  # defaults
    assert ws.cell(FIRST_DATA_ROW, col).value == CHOICE_LISTS["risk_category"].items[0].zh
    f = ws.cell(FIRST_DATA_ROW + 3, col_index("lists", "holiday_dates")).value
    assert f"'{SHEETS['holidays'].zh}'!{col_letter('holidays', 'date')}{FIRST_DATA_ROW + 3}" in f
    assert ws.cell(401, col_index("lists", "makeup_dates")).value.startswith("=")
    assert ws.cell(402, col_index("lists", "makeup_dates")).value is None


# ------------------------------------------------------ conditional formats --
def _rules(ws):
    return [(str(cf.sqref), r) for cf in ws.conditional_formatting for r in cf.rules]


def test_highlights_present(wb, project):
    for sheet in ("tasks", "risks", "budget", "findings"):
        ws = wb[SHEETS[sheet].zh]
        rules = _rules(ws)
        expected = [h for h in HIGHLIGHTS if h.sheet == sheet]
        assert len(rules) == len(expected), sheet
        formulas = {r.formula[0] for _, r in rules}
        for h in expected:
            assert resolve(h.formula, sheet, FIRST_DATA_ROW, cond=True) in formulas
    tasks = _rules(wb[SHEETS["tasks"].zh])
    blocked = [(ref, r) for ref, r in tasks if '"阻塞"' in r.formula[0]][0]
    last = FIRST_DATA_ROW + len(project.tables["tasks"]) + SHEETS["tasks"].spare_rows - 1
    assert (
        blocked[0] == f"A{FIRST_DATA_ROW}:{get_column_letter(len(SHEETS['tasks'].columns))}{last}"
    )
    assert blocked[1].dxf.fill.fgColor.rgb.endswith(STYLES["blocked"][0])
    assert f"${col_letter('tasks', 'status')}{FIRST_DATA_ROW}" in blocked[1].formula[0]


# ------------------------------------------------------------------- gantt --
def test_gantt_rows_week_grid_and_bars(wb, project):
    ws = wb[SHEETS["gantt"].zh]
    n = len(project.tables["tasks"]) + SHEETS["tasks"].spare_rows
    last = FIRST_DATA_ROW + n - 1
    assert ws.cell(last, 1).value == resolve(GANTT.columns[0].formula, "gantt", last)
    assert ws.cell(last + 1, 1).value is None
    first = len(GANTT.columns) + 1
    assert ws.cell(HEADER_ROW, first).value.startswith("=")
    assert ws.cell(HEADER_ROW, first).number_format == "m/d"
    weeks = gantt_weeks(project.overview["start_date"], project.overview["end_date"])
    start, end = project.overview["start_date"], project.overview["end_date"]
    assert weeks == (end - start).days // 7 + 1 + 1 != GANTT_WEEKS  # the project's, one spare
    assert ws.cell(HEADER_ROW, first + weeks - 1).value.endswith(f"{weeks - 1})")
    assert ws.cell(HEADER_ROW, first + weeks).value is None
    rules = _rules(ws)
    grid = [r for ref, r in rules if ref.startswith(f"{get_column_letter(first)}{FIRST_DATA_ROW}")]
    assert len(grid) == len(GANTT_BARS)
    assert [r.priority for r in grid] == sorted(r.priority for r in grid)
    assert all(r.stopIfTrue for r in grid)
    assert f"{get_column_letter(first)}${HEADER_ROW}" in grid[0].formula[0]
    today = [r for ref, r in rules if ref.startswith(f"{get_column_letter(first)}{HEADER_ROW}")]
    assert today and "xc_today" in today[0].formula[0]
    assert ws.protection.sheet
    assert ws.freeze_panes == f"{get_column_letter(first)}{FIRST_DATA_ROW}"


def test_gantt_weeks_span_the_project():
    assert gantt_weeks(dt.date(2026, 3, 2), dt.date(2026, 4, 30)) == 10  # 9 weeks + 1
    assert gantt_weeks(dt.date(2026, 3, 4), dt.date(2026, 3, 9)) == 3  # Mon Mar 2 .. Mar 9
    assert gantt_weeks(dt.date(2026, 1, 5), dt.date(2026, 12, 31)) == 53
    assert gantt_weeks(None, dt.date(2026, 4, 30)) == GANTT_WEEKS  # no dates yet
    assert gantt_weeks(dt.date(2026, 4, 30), dt.date(2026, 3, 2)) == GANTT_WEEKS


def test_long_text_wraps_with_room_for_it(wb, project):
    ws = wb[SHEETS["risks"].zh]
    risks = project.tables["risks"]
    heads = [cell.value for cell in ws[HEADER_ROW]]
    c = heads.index(SHEETS["risks"].col("description").zh) + 1
    assert ws.cell(FIRST_DATA_ROW, c).alignment.wrap_text
    longest = max(range(len(risks)), key=lambda i: len(str(risks["description"].iloc[i])))
    if len(str(risks["description"].iloc[longest])) > 15:
        assert (ws.row_dimensions[FIRST_DATA_ROW + longest].height or 0) >= 30


def test_findings_sheet_is_an_empty_table(wb):
    ws = wb[SHEETS["findings"].zh]
    assert ws.tables["tblFindings"].ref.startswith("A1:")
    assert ws.cell(FIRST_DATA_ROW, 1).value is None


def test_blank_project_builds():
    wb = build_workbook(ProjectData())
    assert wb.sheetnames[0] == SHEETS["overview"].zh
    ws = wb[SHEETS["tasks"].zh]
    assert ws.tables["tblTasks"].ref.endswith(str(FIRST_DATA_ROW + SHEETS["tasks"].spare_rows - 1))


# ------------------------------------------------------------- LibreOffice --
_ERROR = re.compile(r"^(#(NAME\?|VALUE!|REF!|DIV/0!|N/A|NUM!|NULL!)|Err:\d+)")


@pytest.fixture(scope="module", params=["zh", "en"])
def recalculated(request, office, tmp_path_factory):
    from xlcollab.io.office import recalculate

    lang = request.param
    d = tmp_path_factory.mktemp(f"lo-{lang}")
    src = d / "master.xlsx"
    build_workbook(small_project(lang), lang).save(src)
    out = recalculate(src, d / "out")
    return lang, openpyxl.load_workbook(out, data_only=True)


def _value(wb, lang, sheet, key, row):
    return wb[SHEETS[sheet].name(lang)].cell(row, col_index(sheet, key)).value


@pytest.mark.libreoffice
def test_libreoffice_computes_without_errors(recalculated):
    lang, wb = recalculated
    errors = [
        (ws.title, c.coordinate, c.value)
        for ws in wb
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and _ERROR.match(c.value)
    ]
    assert errors == []


@pytest.mark.libreoffice
def test_libreoffice_task_flags(recalculated):
    lang, wb = recalculated
    yes = CHOICE_LISTS["yes_no"].label("yes", lang)
    v = lambda key, i: _value(wb, lang, "tasks", key, data_row(i))  # noqa: E731
    assert v("days_late", 0) == 0 and v("overdue", 0) in (None, "")
    # planned finish 2026-03-20, today 2026-04-08: 13 weekdays, minus the
    # 04-06 holiday, plus the 03-28 make-up Saturday
    assert v("days_late", 1) == 13
    assert v("overdue", 1) == yes
    assert v("due_soon", 2) == yes  # finish 04-10, two working days ahead
    assert v("overdue", 3) in (None, "") and v("due_soon", 3) in (None, "")
    assert v("days_late", 3) == 0
    assert _value(wb, lang, "tasks", "days_late", data_row(10)) in (None, "")


@pytest.mark.libreoffice
def test_libreoffice_risks_budget_gantt_lists(recalculated):
    lang, wb = recalculated
    r = lambda key, i: _value(wb, lang, "risks", key, data_row(i))  # noqa: E731
    assert (r("score", 0), r("level", 0)) == (16, CHOICE_LISTS["risk_level"].label("high", lang))
    assert (r("score", 1), r("level", 1)) == (6, CHOICE_LISTS["risk_level"].label("low", lang))
    assert (r("score", 2), r("level", 2)) == (9, CHOICE_LISTS["risk_level"].label("medium", lang))
    assert r("review_overdue", 0) == CHOICE_LISTS["yes_no"].label("yes", lang)
    assert r("review_overdue", 1) in (None, "")
    assert r("review_overdue", 2) in (None, "")  # closed
    b = lambda key, i: _value(wb, lang, "budget", key, data_row(i))  # noqa: E731
    assert b("used", 0) == pytest.approx(4500.5)
    assert b("remaining", 0) == pytest.approx(5499.5)
    assert b("used_pct", 0) == pytest.approx(0.45005)
    assert b("used", 1) == 0 and b("used_pct", 1) in (None, "")
    g = wb[SHEETS["gantt"].name(lang)]
    assert g.cell(data_row(1), col_index("gantt", "wbs")).value == "2"
    assert g.cell(data_row(1), col_index("gantt", "overdue")).value == CHOICE_LISTS["yes_no"].label(
        "yes", lang
    )
    week1 = g.cell(HEADER_ROW, len(GANTT.columns) + 1).value
    assert week1 == dt.datetime(2026, 3, 2)
    assert g.cell(HEADER_ROW, len(GANTT.columns) + 2).value == dt.datetime(2026, 3, 9)
    lists = wb[SHEETS["lists"].name(lang)]
    hol = lists.cell(FIRST_DATA_ROW, col_index("lists", "holiday_dates")).value
    assert hol == dt.datetime(2026, 4, 6)
    mk = lists.cell(FIRST_DATA_ROW + 1, col_index("lists", "makeup_dates")).value
    assert mk == dt.datetime(2026, 3, 28)
