"""Safe write-back: only the owned cells change, everything else survives.

The user's workbook is the demo master plus what people add in Excel:
their own sheet, conditional formats, a comment, a defined name, a chart,
an image, data validations in the Excel 2010 ``extLst`` block, cached
formula results, shared strings and VBA. Untouched parts are compared byte
for byte as zip members; touched sheets cell by cell.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
import python_calamine as calamine
from openpyxl import load_workbook
from zipparts import rewrite

from xlcollab.io import read_workbook
from xlcollab.io.safety import backups_of
from xlcollab.io.writeback import (
    CellValue,
    SheetEdit,
    WriteBack,
    WriteBackError,
    file_signature,
    write_back,
)
from xlcollab.schema import FINDINGS, TASKS

TASKS_ZH = TASKS.name("zh")
FINDINGS_ZH = FINDINGS.name("zh")
TASKS_PART = "xl/worksheets/sheet5.xml"
FINDINGS_PART = "xl/worksheets/sheet16.xml"

EXT_DV = (
    '<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
    'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
    '<x14:dataValidations count="1" '
    'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
    '<x14:dataValidation type="list" allowBlank="1" showInputMessage="1" showErrorMessage="1">'
    "<x14:formula1><xm:f>'用户表'!$A$2:$A$4</xm:f></x14:formula1>"
    "<xm:sqref>P2:P30</xm:sqref></x14:dataValidation></x14:dataValidations></ext></extLst>"
)


# ------------------------------------------------------------- helpers ---
def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def add_member(path: Path, name: str, data: bytes) -> None:
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr(name, data)


def changed_parts(before: Path, after: Path) -> set[str]:
    a, b = members(before), members(after)
    assert list(a) == list(b) or set(a) == set(b)
    return {n for n in a if a[n] != b.get(n)}


def png_bytes() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buf, "PNG")
    return buf.getvalue()


def grid(path: Path, sheet: str) -> dict[tuple[int, int], tuple]:
    """(row, col) -> (value, number format, fill colour, font colour) of
    every cell openpyxl sees on ``sheet``."""
    wb = load_workbook(path)
    ws = wb[sheet]
    out = {}
    for row in ws.iter_rows():
        for c in row:
            out[(c.row, c.column)] = (
                c.value,
                c.number_format,
                c.fill.fgColor.rgb,
                c.font.color.rgb if c.font.color else None,
                c.protection.locked,
            )
    return out


def calamine_rows(path: Path, sheet: str) -> list[list]:
    book = calamine.CalamineWorkbook.from_path(str(path))
    return book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)


def to_shared_strings(path: Path) -> None:
    """Turn every inline string into a shared string, as Excel saves them."""
    strings: list[str] = []
    index: dict[str, int] = {}
    pat = re.compile(
        rb'(<c\b[^>]*?) t="inlineStr"([^>]*)><is><t(?: [^>]*)?>(.*?)</t></is></c>', re.S
    )

    def repl(m):
        text = m.group(3).decode()
        if text not in index:
            index[text] = len(strings)
            strings.append(text)
        return (
            m.group(1) + b' t="s"' + m.group(2) + b"><v>" + str(index[text]).encode() + b"</v></c>"
        )

    data = members(path)
    for name in list(data):
        if name.startswith("xl/worksheets/sheet"):
            data[name] = pat.sub(repl, data[name])
    sst = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{len(strings)}" uniqueCount="{len(strings)}">'
        + "".join(f"<si><t>{s}</t></si>" for s in strings)
        + "</sst>"
    ).encode()
    data["xl/sharedStrings.xml"] = sst
    data["[Content_Types].xml"] = data["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    data["xl/_rels/workbook.xml.rels"] = data["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Type="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml" '
        b'Id="rIdSst"/></Relationships>',
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, blob in data.items():
            z.writestr(name, blob)


def cache_formula_values(path: Path) -> None:
    """Give formula cells a cached result, as a file Excel saved has."""
    rewrite(path, TASKS_PART, lambda x: x.replace(b"</f><v></v>", b"</f><v>0</v>"))


@pytest.fixture(scope="session")
def user_book(tmp_path_factory, demo_path) -> Path:
    """The demo master with a user's additions, saved like Excel would."""
    folder = tmp_path_factory.mktemp("user")
    path = folder / "master.xlsx"
    from openpyxl.chart import BarChart, Reference
    from openpyxl.comments import Comment
    from openpyxl.drawing.image import Image
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import PatternFill
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = load_workbook(demo_path)
    mine = wb.create_sheet("用户表")
    mine.append(["部门", "数量"])
    for i, d in enumerate(["甲", "乙", "丙"], start=1):
        mine.append([d, i * 10])
    chart = BarChart()
    chart.add_data(Reference(mine, min_col=2, min_row=1, max_row=4), titles_from_data=True)
    mine.add_chart(chart, "D2")
    png = folder / "dot.png"
    png.write_bytes(png_bytes())
    mine.add_image(Image(str(png)), "D20")
    dv = DataValidation(type="whole", operator="between", formula1="0", formula2="100")
    mine.add_data_validation(dv)
    dv.add("B2:B4")
    tasks = wb[TASKS_ZH]
    tasks["B3"].comment = Comment("请先确认范围", "张伟")
    tasks.conditional_formatting.add(
        "K2:K30",
        CellIsRule(
            operator="lessThan", formula=["0.5"], fill=PatternFill("solid", start_color="FFDDEBF7")
        ),
    )
    tasks["P4"].fill = PatternFill("solid", start_color="FFFFFF00")
    wb.defined_names["用户区域"] = DefinedName("用户区域", attr_text="'用户表'!$A$1:$B$4")
    wb.save(path)
    # what openpyxl cannot write: x14 validations in extLst, cached results
    rewrite(
        path, TASKS_PART, lambda x: x.replace(b"</worksheet>", EXT_DV.encode() + b"</worksheet>")
    )
    cache_formula_values(path)
    return path


@pytest.fixture
def book(tmp_path, user_book) -> Path:
    path = tmp_path / "master.xlsx"
    shutil.copyfile(user_book, path)
    return path


def _python_columns(path: Path) -> SheetEdit:
    data = read_workbook(path)
    edit = SheetEdit.for_sheet(data, "tasks")
    rows = list(data.table("tasks").index[:6])
    for k, row in enumerate(rows):
        edit.set(row, "escalation", ["部门内解决", "项目经理协调", None][k % 3])
        edit.set(row, "blocked_since", dt.date(2026, 3, 9) if k % 2 else None)
    edit.mark([(rows[0], "status"), (rows[1], "owner")], "error")
    edit.mark([(rows[2], "planned_finish")], "warning")
    return edit


def _findings_rows(n: int) -> list[list]:
    return [
        [
            "错误" if i % 2 else "警告",
            f"rule.{i}",
            TASKS_ZH,
            i + 2,
            "状态",
            f"L{i + 2}",
            f"问题 {i}",
            "处理建议",
            dt.date(2026, 3, 10),
        ]
        for i in range(n)
    ]


# --------------------------------------------------------------- tests ---
OWNED = {TASKS_PART, FINDINGS_PART, "xl/tables/table13.xml", "xl/styles.xml", "xl/workbook.xml"}


def test_only_owned_parts_change_and_every_other_part_is_byte_identical(book, tmp_path):
    before = tmp_path / "before.xlsx"
    shutil.copyfile(book, before)
    findings = SheetEdit(FINDINGS_ZH).replace_table(_findings_rows(5))
    write_back(book, [_python_columns(book), findings])
    changed = changed_parts(before, book)
    assert changed <= OWNED
    assert {TASKS_PART, FINDINGS_PART, "xl/tables/table13.xml"} <= changed
    with zipfile.ZipFile(before) as a, zipfile.ZipFile(book) as b:
        assert [i.filename for i in a.infolist()] == [i.filename for i in b.infolist()]
        for x, y in zip(a.infolist(), b.infolist(), strict=False):
            if x.filename not in changed:  # raw copy: same compressed stream
                assert (x.CRC, x.compress_size, x.compress_type) == (
                    y.CRC,
                    y.compress_size,
                    y.compress_type,
                )


def test_touched_sheet_changes_only_in_owned_cells(book, tmp_path):
    before = tmp_path / "before.xlsx"
    shutil.copyfile(book, before)
    edit = _python_columns(book)
    write_back(book, [edit])
    old, new = grid(before, TASKS_ZH), grid(book, TASKS_ZH)
    owned = set(edit.cells)
    for key in set(old) | set(new):
        if key in owned:
            continue
        assert old.get(key) == new.get(key), key
    # the owned cells read back as written (calamine and openpyxl)
    rows = calamine_rows(book, TASKS_ZH)
    for (r, c), v in edit.cells.items():
        got = rows[r - 1][c - 1] if r <= len(rows) and c <= len(rows[r - 1]) else ""
        assert got == ("" if v.kind == "empty" else v.value), (r, c)
        assert new[(r, c)][4] == old[(r, c)][4]  # protection kept
    for (r, c), v in edit.cells.items():
        if v.kind == "date":
            assert new[(r, c)][1] == old[(r, c)][1] == "yyyy-mm-dd"


@pytest.mark.parametrize(
    "kind",
    [
        "extlst_validation",
        "conditional_format",
        "comment",
        "defined_name",
        "chart_and_image",
        "other_sheets",
        "cached_values",
        "cell_styles",
    ],
)
def test_user_content_survives(book, tmp_path, kind):
    before = tmp_path / "before.xlsx"
    shutil.copyfile(book, before)
    write_back(
        book, [_python_columns(book), SheetEdit(FINDINGS_ZH).replace_table(_findings_rows(3))]
    )
    old, new = members(before), members(book)
    if kind == "extlst_validation":
        assert EXT_DV.encode() in new[TASKS_PART]
        assert new[TASKS_PART].count(b"<dataValidation ") == old[TASKS_PART].count(
            b"<dataValidation "
        )
        dvs = lambda x: re.search(rb"<dataValidations.*?</dataValidations>", x, re.S).group(0)  # noqa: E731
        assert dvs(new[TASKS_PART]) == dvs(old[TASKS_PART])
    elif kind == "conditional_format":

        def user_cf(x):
            blocks = re.findall(rb"<conditionalFormatting\b.*?</conditionalFormatting>", x, re.S)
            return [re.sub(rb'priority="\d+"', b"", b) for b in blocks if b"xlcollab:" not in b]

        assert user_cf(new[TASKS_PART]) == user_cf(old[TASKS_PART])
        assert any(b"lessThan" in b for b in user_cf(new[TASKS_PART]))
        # their order of precedence is unchanged
        prio = lambda x: [int(p) for p in re.findall(rb'priority="(\d+)"', x)]  # noqa: E731
        old_p = prio(old[TASKS_PART])
        new_p = [
            p
            for p, b in zip(
                prio(new[TASKS_PART]),
                re.findall(rb"<cfRule\b.*?</cfRule>", new[TASKS_PART], re.S),
                strict=False,
            )
            if b"xlcollab:" not in b
        ]
        assert sorted(range(len(old_p)), key=old_p.__getitem__) == sorted(
            range(len(new_p)), key=new_p.__getitem__
        )
    elif kind == "comment":
        comments = [n for n in old if "comments" in n]
        assert comments and all(old[n] == new[n] for n in comments)
        assert b"<legacyDrawing" in new[TASKS_PART]
        assert load_workbook(book)[TASKS_ZH]["B3"].comment.text == "请先确认范围"
    elif kind == "defined_name":
        names = lambda x: re.search(rb"<definedNames>.*?</definedNames>", x, re.S).group(0)  # noqa: E731
        assert names(new["xl/workbook.xml"]) == names(old["xl/workbook.xml"])
        assert "用户区域" in load_workbook(book).defined_names
    elif kind == "chart_and_image":
        parts = [n for n in old if n.startswith(("xl/charts/", "xl/drawings/", "xl/media/"))]
        assert any(n.startswith("xl/charts/") for n in parts)
        assert any(n.startswith("xl/media/") for n in parts)
        assert all(old[n] == new[n] for n in parts)
    elif kind == "other_sheets":
        sheets = [n for n in old if n.startswith("xl/worksheets/") and n not in OWNED]
        assert len(sheets) >= 18
        assert all(old[n] == new[n] for n in sheets)
        assert calamine_rows(book, "用户表") == calamine_rows(before, "用户表")
    elif kind == "cached_values":
        assert new[TASKS_PART].count(b"</f><v>0</v>") == old[TASKS_PART].count(b"</f><v>0</v>")
        assert old[TASKS_PART].count(b"</f><v>0</v>") > 100
    elif kind == "cell_styles":
        ws_old, ws_new = load_workbook(before)[TASKS_ZH], load_workbook(book)[TASKS_ZH]
        assert ws_new["P4"].fill.fgColor.rgb == ws_old["P4"].fill.fgColor.rgb == "FFFFFF00"
        assert ws_new.freeze_panes == ws_old.freeze_panes
        assert ws_new.protection.sheet


def test_shared_strings_stay_intact(book, tmp_path):
    to_shared_strings(book)
    before = tmp_path / "before.xlsx"
    shutil.copyfile(book, before)
    edit = _python_columns(book)
    write_back(book, [edit])
    assert members(book)["xl/sharedStrings.xml"] == members(before)["xl/sharedStrings.xml"]
    old, new = calamine_rows(before, TASKS_ZH), calamine_rows(book, TASKS_ZH)
    for r, row in enumerate(new, start=1):
        for c, value in enumerate(row, start=1):
            if (r, c) not in edit.cells:
                assert value == (old[r - 1][c - 1] if r <= len(old) else ""), (r, c)


def test_findings_table_grows_then_shrinks(book, tmp_path, office):
    from xlcollab.io.office import recalculate

    write_back(book, [SheetEdit(FINDINGS_ZH).replace_table(_findings_rows(5))])
    table = members(book)["xl/tables/table13.xml"]
    assert b'ref="A1:I6"' in table and b'<autoFilter ref="A1:I6"' in table
    assert len(calamine_rows(book, FINDINGS_ZH)) == 6

    write_back(book, [SheetEdit(FINDINGS_ZH).replace_table(_findings_rows(2))])
    table = members(book)["xl/tables/table13.xml"]
    assert b'ref="A1:I3"' in table and b'<autoFilter ref="A1:I3"' in table
    rows = calamine_rows(book, FINDINGS_ZH)
    assert len(rows) == 3 and rows[2][1] == "rule.1" and rows[1][8] == dt.date(2026, 3, 10)
    sheet = members(book)[FINDINGS_PART]
    assert b'r="A4"' not in sheet and b'r="A6"' not in sheet
    # styles of the new rows come from the first body row; ranges follow the table
    ws = load_workbook(book)[FINDINGS_ZH]
    assert ws["I3"].number_format == ws["I2"].number_format == "yyyy-mm-dd"
    assert b'<conditionalFormatting sqref="A2:A3"' in sheet
    assert b'<dataValidation sqref="I2:I3"' in sheet
    # LibreOffice opens it and sees the same rows
    out = recalculate(book, tmp_path / "lo")
    lo = calamine_rows(out, FINDINGS_ZH)
    assert [r[1] for r in lo[1:3]] == ["rule.0", "rule.1"]
    assert len([r for r in lo if any(v not in ("", None) for v in r)]) == 3


def test_empty_findings_keep_one_body_row(book):
    write_back(book, [SheetEdit(FINDINGS_ZH).replace_table(_findings_rows(4))])
    write_back(book, [SheetEdit(FINDINGS_ZH).replace_table([])])
    assert b'ref="A1:I2"' in members(book)["xl/tables/table13.xml"]
    assert calamine_rows(book, FINDINGS_ZH)[1:] in ([], [[""] * 9])


def test_findings_rows_by_column_key(book):
    data = read_workbook(book)
    edit = SheetEdit.for_sheet(data, "findings").replace_table(
        [{"rule_id": "x.y", "message": "消息", "row": 7}]
    )
    write_back(book, [edit])
    row = calamine_rows(book, FINDINGS_ZH)[1]
    assert row[1] == "x.y" and row[6] == "消息" and row[3] == 7 and row[0] == ""


def test_marks_are_replaced_and_cleared(book):
    data = read_workbook(book)
    first = SheetEdit.for_sheet(data, "tasks").mark(["L3", "L4", "L5", "M9"], "error")
    first.mark(["K3"], "警告")
    write_back(book, [first])
    xml = members(book)[TASKS_PART]
    assert b'sqref="L3:L5 M9"' in xml and b'sqref="K3"' in xml
    styles = members(book)["xl/styles.xml"]
    n_dxf = styles.count(b"<dxf>")
    write_back(book, [SheetEdit.for_sheet(data, "tasks").mark(["C7"], "error")])
    xml = members(book)[TASKS_PART]
    assert xml.count(b"xlcollab:") == 1 and b'sqref="C7"' in xml
    assert members(book)["xl/styles.xml"].count(b"<dxf>") == n_dxf  # dxf reused
    write_back(book, [SheetEdit.for_sheet(data, "tasks").clear_marks()])
    xml = members(book)[TASKS_PART]
    assert b"xlcollab:" not in xml and b"lessThan" in xml


def test_values_of_every_kind(book):
    edit = SheetEdit(TASKS_ZH)
    edit.set(300, "P", "  text with spaces & <angle> ")
    edit.set(300, "Q", 3.25).set(301, "Q", 7).set(302, "P", True)
    edit.set(303, "P", dt.datetime(2026, 3, 9, 14, 30)).set(304, 16, dt.date(2026, 1, 1))
    edit.set(305, "P", CellValue.text("=SUM(A1:A3)"))
    write_back(book, [edit])
    rows = calamine_rows(book, TASKS_ZH)
    assert rows[299][15] == "  text with spaces & <angle> "
    assert rows[299][16] == 3.25 and rows[300][16] == 7 and rows[301][15] is True
    assert rows[302][15] == dt.datetime(2026, 3, 9, 14, 30)
    assert rows[303][15] == dt.date(2026, 1, 1)
    assert rows[304][15] == "=SUM(A1:A3)"
    xml = members(book)[TASKS_PART]
    assert b"<f>SUM(A1:A3)" not in xml
    assert b'<dimension ref="A1:U305"/>' in xml


def test_empty_keeps_the_cell_style(book):
    edit = SheetEdit(TASKS_ZH).set(3, "P", None)
    before = grid(book, TASKS_ZH)[(3, 16)]
    write_back(book, [edit])
    after = grid(book, TASKS_ZH)[(3, 16)]
    assert after[0] is None and after[1:] == before[1:]


def test_formula_cells_are_never_overwritten_unless_asked(book):
    before = book.read_bytes()
    with pytest.raises(WriteBackError, match="公式"):
        write_back(book, [SheetEdit(TASKS_ZH).set(3, "Q", 5)])
    assert book.read_bytes() == before
    write_back(book, [SheetEdit(TASKS_ZH, overwrite_formulas=True).set(3, "Q", 5)])
    ws = load_workbook(book)[TASKS_ZH]
    assert ws["Q3"].value == 5 and str(ws["Q4"].value).startswith("=")


def test_refuses_when_open_in_excel(book):
    before = book.read_bytes()
    lock = book.with_name("~$" + book.name)
    lock.write_bytes(b"owner")
    with pytest.raises(WriteBackError, match="正在被 Excel 打开"):
        write_back(book, [SheetEdit(TASKS_ZH).set(3, "P", "x")])
    with pytest.raises(WriteBackError, match="open in Excel"):
        write_back(book, [SheetEdit(TASKS_ZH).set(3, "P", "x")], lang="en")
    assert book.read_bytes() == before
    assert backups_of(book) == []


def test_refuses_when_changed_since_read(book):
    sig = file_signature(book)
    write_back(book, [SheetEdit(TASKS_ZH).set(3, "P", "someone else")])  # another save
    current = book.read_bytes()
    with pytest.raises(WriteBackError, match="已被修改"):
        write_back(book, [SheetEdit(TASKS_ZH).set(3, "P", "mine")], read_signature=sig)
    assert book.read_bytes() == current
    write_back(book, [SheetEdit(TASKS_ZH).set(3, "P", "mine")], read_signature=file_signature(book))


def test_backups_are_kept_and_pruned(book):
    versions = []
    for k in range(4):
        versions.append(book.read_bytes())
        kept = write_back(book, [SheetEdit(TASKS_ZH).set(3, "P", f"v{k}")], keep=2)
        assert kept.read_bytes() == versions[-1]
    kept = backups_of(book)
    assert len(kept) == 2
    assert [p.read_bytes() for p in kept] == versions[-2:]


def test_unknown_sheet_and_bad_input_give_clear_messages(book):
    with pytest.raises(WriteBackError, match="没有工作表"):
        write_back(book, [SheetEdit("不存在").set(1, 1, "x")])
    with pytest.raises(WriteBackError, match="no table"):
        write_back(book, [SheetEdit("xlwings.conf").replace_table([])], lang="en")
    with pytest.raises(WriteBackError, match=".xlsx"):
        write_back(book.with_suffix(".csv"), [])
    with pytest.raises(ValueError):
        SheetEdit(TASKS_ZH).mark(["A1"], "fatal")


def test_xlsm_keeps_vba_and_its_content_type(tmp_path):
    import xlwings

    src = Path(xlwings.__file__).parent / "quickstart.xlsm"
    path = tmp_path / "book.xlsm"
    shutil.copyfile(src, path)
    before = members(path)
    sheet = load_workbook(path).sheetnames[0]
    edit = WriteBack(sheet).set(2, 1, "写回").set(2, 2, 42).set(3, 1, dt.date(2026, 5, 1))
    edit.mark(["A2"], "error")
    write_back(path, [edit])
    after = members(path)
    assert after["xl/vbaProject.bin"] == before["xl/vbaProject.bin"]
    assert after["[Content_Types].xml"] == before["[Content_Types].xml"]
    assert b"macroEnabled" in after["[Content_Types].xml"]
    assert after["xl/sharedStrings.xml"] == before["xl/sharedStrings.xml"]
    changed = {n for n in before if before[n] != after[n]}
    assert changed <= {"xl/worksheets/sheet1.xml", "xl/styles.xml", "xl/workbook.xml"}
    rows = calamine_rows(path, sheet)
    assert rows[1][:2] == ["写回", 42] and rows[2][0] == dt.date(2026, 5, 1)
    wb = load_workbook(path, keep_vba=True)
    assert wb.vba_archive is not None


def test_demo_as_xlsm(tmp_path, demo_path):
    """The master saved as .xlsm with a VBA project: VBA and content type stay."""
    import xlwings

    vba = zipfile.ZipFile(Path(xlwings.__file__).parent / "quickstart.xlsm").read(
        "xl/vbaProject.bin"
    )
    path = tmp_path / "master.xlsm"
    shutil.copyfile(demo_path, path)
    rewrite(
        path,
        "[Content_Types].xml",
        lambda x: x.replace(
            b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml"
        ).replace(
            b"</Types>",
            b'<Default Extension="bin" ContentType="application/vnd.ms-office.'
            b'vbaProject"/></Types>',
        ),
    )
    rewrite(
        path,
        "xl/_rels/workbook.xml.rels",
        lambda x: x.replace(
            b"</Relationships>",
            b'<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/'
            b'office/2006/relationships/vbaProject" Target="vbaProject.bin"/></Relationships>',
        ),
    )
    add_member(path, "xl/vbaProject.bin", vba)
    before = members(path)
    data = read_workbook(path)
    write_back(path, [_python_columns(path)], read_signature=None)
    after = members(path)
    assert after["xl/vbaProject.bin"] == vba
    assert after["[Content_Types].xml"] == before["[Content_Types].xml"]
    assert data.lang == "zh"


def test_plain_values_convert():
    import numpy as np
    import pandas as pd

    assert CellValue.of(None).kind == CellValue.of(float("nan")).kind == "empty"
    assert CellValue.of(pd.NaT).kind == CellValue.of(pd.NA).kind == CellValue.of("").kind == "empty"
    assert CellValue.of(np.int64(3)) == CellValue.number(3)
    assert CellValue.of(np.bool_(True)) == CellValue.boolean(True)
    assert CellValue.of(pd.Timestamp("2026-03-09")).kind == "date"
    assert CellValue.of(dt.date(2026, 3, 9)).serial() == 46090
    assert CellValue.of(dt.date(2026, 3, 9)).serial(date1904=True) == 46090 - 1462
    with pytest.raises(ValueError):
        CellValue.number(float("inf"))


@pytest.mark.parametrize("member", ["xl/theme/theme1.xml", TASKS_PART])
def test_a_written_file_whose_members_are_not_as_meant_is_refused(book, monkeypatch, member):
    """The read-back refuses a file in which a copied member's stored bytes
    or a patched part's content are not what was meant; the workbook is
    left as it was and no temporary file stays."""
    import xlcollab.io.writeback as writeback

    real = writeback.write_package
    before = book.read_bytes()

    def damaged(pkg, target, patched, removed=frozenset(), compressed=None):
        if member in patched:  # the patched part written with one more row than meant
            patched = {
                **patched,
                member: patched[member].replace(b"</sheetData>", b'<row r="9999"/></sheetData>'),
            }
            compressed = None
        real(pkg, target, patched, removed, compressed)
        if member not in patched:  # one byte of the copied member's stored data changed
            with zipfile.ZipFile(target) as z:
                info = z.getinfo(member)
            data = bytearray(Path(target).read_bytes())
            at = info.header_offset + 30 + len(info.filename.encode()) + info.compress_size // 2
            data[at] ^= 0xFF
            Path(target).write_bytes(bytes(data))

    monkeypatch.setattr(writeback, "write_package", damaged)
    with pytest.raises(WriteBackError, match="verification failed|not a valid workbook"):
        write_back(book, [_python_columns(book)], lang="en")
    assert book.read_bytes() == before
    assert not [p for p in book.parent.iterdir() if p.name.endswith(".tmp")]


def test_mark_styles_are_made_in_the_order_the_edits_use_them(book):
    """A sheet that changes only its marks is patched first (its part then
    deflates while the others are patched), yet the styles part gets the
    marks' styles in the order the edits name them: the warning's first
    here, as the task sheet's edit, listed first, uses it."""
    from xlcollab.schema import RISKS, STYLES

    data = read_workbook(book)
    tasks = SheetEdit.for_sheet(data, "tasks").set(3, "P", "x").mark(["K3"], "warning")
    risks = SheetEdit.for_sheet(data, "risks").mark(["C3"], "error")
    before = members(book)["xl/styles.xml"].count(b"<dxf>")
    write_back(book, [tasks, risks])
    styles = members(book)["xl/styles.xml"]
    dxfs = re.findall(rb"<dxf>.*?</dxf>", styles, re.S)[before:]
    fill = lambda key: STYLES[key][0].upper().encode()  # noqa: E731
    assert len(dxfs) == 2 and fill("warning") in dxfs[0] and fill("error") in dxfs[1]
    risks_xml = members(book)[_part_of(book, RISKS.name("zh"))]
    assert f'dxfId="{before + 1}"'.encode() in risks_xml
    assert f'dxfId="{before}"'.encode() in members(book)[TASKS_PART]


def _part_of(book: Path, sheet: str) -> str:
    from xlcollab.io.scan import zip_sheet_parts

    with zipfile.ZipFile(book) as z:
        return zip_sheet_parts(z)[sheet]


def test_a_table_given_column_by_column_is_the_table_given_row_by_row(book):
    data = read_workbook(book)
    columns = {
        "severity": ["错误", "警告", "错误"],
        "rule_id": ["a.b", "a.b", "c.d"],
        "row": [7, None, 7],
        "message": ["一", "", "三"],
        "checked_on": [dt.date(2026, 4, 1)] * 3,
    }
    rows = [
        dict(zip(columns, values, strict=True)) for values in zip(*columns.values(), strict=True)
    ]
    by_rows = SheetEdit.for_sheet(data, "findings").replace_table(rows)
    by_columns = SheetEdit.for_sheet(data, "findings").replace_table_columns(columns, 3)
    assert by_columns.table_rows == by_rows.table_rows and len(by_rows.table_rows) == 3
    assert SheetEdit.for_sheet(data, "findings").replace_table_columns({}, 2).table_rows == [{}, {}]
    with pytest.raises(ValueError, match="rule_id"):
        SheetEdit.for_sheet(data, "findings").replace_table_columns({"rule_id": ["x"]}, 2)
    write_back(book, [by_columns])
    got = calamine_rows(book, FINDINGS_ZH)
    assert [r[1] for r in got[1:4]] == ["a.b", "a.b", "c.d"] and got[2][6] == ""
