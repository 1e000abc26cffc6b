"""Bounds on any file (xlcollab.io.bounds): the limits themselves, the 参数
settings within the hard ceilings, and the error cells found on the way.
The hostile packages run through the command line in tests/test_corpus.py."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

import xlcollab.io.read as reader
from xlcollab.io import WorkbookError, read_workbook
from xlcollab.io.bounds import CEILINGS, MiB, Refused, inspect, settings_limits, size
from xlcollab.io.scan import ErrorStream, error_cells
from xlcollab.schema import SHEETS


def test_sizes_read_as_people_write_them():
    assert size(3 * 1024**3) == "3 GB"
    assert size(1536 * MiB) == "1.5 GB"
    assert size(300 * MiB) == "300 MB"
    assert size(12 * 1024) == "12 KB"
    assert size(5) == "5 B"


def test_settings_tune_within_the_ceilings():
    default = settings_limits({})
    assert default.rows == SHEETS["settings"].col("max_sheet_rows").default
    assert default.total_bytes == SHEETS["settings"].col("max_unpacked_mb").default * MiB
    high = settings_limits({"max_sheet_rows": 5_000_000, "max_unpacked_mb": 100_000})
    assert high.rows == CEILINGS.rows and high.total_bytes == CEILINGS.total_bytes
    low = settings_limits({"max_sheet_rows": 10, "max_unpacked_mb": "x"})
    assert low.rows == SHEETS["settings"].col("max_sheet_rows").min
    assert low.total_bytes == default.total_bytes
    assert low.cells == CEILINGS.cells  # not tunable


@pytest.mark.parametrize("workers", [False, True], ids=["one thread", "worker threads"])
def test_the_settings_row_limit_refuses_before_the_big_sheet_is_parsed(
    demo_path, tmp_path, monkeypatch, workers
):
    if workers:  # the sheets read after the settings are checked on the workers
        monkeypatch.setattr(reader, "PARALLEL_FROM", 0)
    wb = openpyxl.load_workbook(demo_path)
    ws = wb[SHEETS["settings"].zh]
    for r in range(1, ws.max_row + 1):
        if ws.cell(r, 1).value == SHEETS["settings"].col("max_sheet_rows").zh:
            ws.cell(r, 2).value = 1000
    tasks = wb[SHEETS["tasks"].zh]
    tasks.cell(1500, 2).value = "远处的一行"
    path = tmp_path / "rows.xlsx"
    wb.save(path)
    with pytest.raises(WorkbookError) as err:
        read_workbook(path)
    text = str(err.value)
    assert text.startswith("rows.xlsx：拒绝读取") and "1500" in text and "1000" in text
    assert "单表行数上限" in text
    with pytest.raises(WorkbookError) as err:
        read_workbook(path, lang="en")
    assert "Refused" in str(err.value) and "row 1500" in str(err.value)


def _package(parts: dict[str, bytes]) -> io.BytesIO:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    buf.seek(0)
    return buf


_BOOK = (
    b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    b'<sheets><sheet name="\xe4\xbb\xbb\xe5\x8a\xa1\xe6\xb8\x85\xe5\x8d\x95" sheetId="1" '
    b'r:id="rId1"/></sheets></workbook>'
)
_RELS = (
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)


def _sheet(body: bytes, dimension: bytes = b"A1") -> dict[str, bytes]:
    return {
        "xl/workbook.xml": _BOOK,
        "xl/_rels/workbook.xml.rels": _RELS,
        "xl/worksheets/sheet1.xml": b'<worksheet><dimension ref="'
        + dimension
        + b'"/><sheetData>'
        + body
        + b"</sheetData></worksheet>",
    }


def test_a_sheet_is_measured_by_its_cells_and_its_declared_range():
    rows = b"".join(b'<row r="%d"><c r="C%d"><v>1</v></c></row>' % (r, r) for r in range(1, 301))
    info = inspect(_package(_sheet(rows, b"A1:C300")))
    assert info.rows == {"任务清单": 300}
    for dimension, reason in ((b"A1:XFD1048576", "dimension"), (b"A1:Z", "dimension")):
        with pytest.raises(Refused) as err:
            inspect(_package(_sheet(rows, dimension)))
        assert err.value.reason == reason
    far = rows + b'<row r="900000"><c r="AZ900000"><v>1</v></c></row>'
    with pytest.raises(Refused) as err:
        inspect(_package(_sheet(far)))
    assert err.value.reason == "used_area" and err.value.values["cols"] == 52


def test_error_cells_are_found_across_chunk_boundaries():
    xml = b"".join(
        b'<row r="%d"><c r="A%d"><v>1</v></c><c r="B%d" t="e"><v>#N/A</v></c></row>' % (r, r, r)
        for r in range(1, 2001)
    )
    whole = error_cells(xml)
    assert len(whole) == 2000
    for step in (7, 64, 1000):
        stream = ErrorStream()
        for i in range(0, len(xml), step):
            stream.feed(xml[i : i + step])
        assert stream.close() == whole, step
