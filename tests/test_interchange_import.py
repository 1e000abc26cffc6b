"""Workbook -> MSPDI -> workbook: the merge by WBS code and the safe write."""

from __future__ import annotations

import datetime as dt
import shutil
import xml.etree.ElementTree as ET

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from xlcollab.cli import app
from xlcollab.core.calendar import WorkCalendar
from xlcollab.core.figures import ROLLUP_COLUMNS, rollup, summary_mask
from xlcollab.interchange.merge import TASK_KEYS, merge_plan
from xlcollab.interchange.mspdi import NS, write_mspdi
from xlcollab.interchange.mspdi_read import PlanError, read_plan
from xlcollab.io import read_workbook
from xlcollab.io.save import save_new_workbook
from xlcollab.model import ProjectData
from xlcollab.model.frames import frame
from xlcollab.workbook import build_workbook
from xlcollab.workbook.demo import demo_project

Q = f"{{{NS}}}"


def _export(path) -> bytes:
    data = read_workbook(path)
    return write_mspdi(data, WorkCalendar.from_holidays(data.tables["holidays"])).xml


def _invoke(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.fixture()
def master(demo_path, tmp_path):
    path = tmp_path / "master.xlsx"
    shutil.copy(demo_path, path)
    return path


def test_round_trip_changes_nothing(master, tmp_path):
    plan = tmp_path / "plan.xml"
    plan.write_bytes(_export(master))
    before = master.read_bytes()
    result = _invoke("import", "mspdi", plan, "--into", master, "--write")
    assert result.exit_code == 0, result.output
    assert "无需写入" in result.output
    assert master.read_bytes() == before


def test_round_trip_restores_every_task_field(demo_path, tmp_path):
    """Export the demo, scramble every field the plan carries in a copy of
    the workbook, import the plan: the copy's task rows equal the demo's."""
    plan = tmp_path / "plan.xml"
    plan.write_bytes(_export(demo_path))
    data = demo_project()
    tasks = data.tables["tasks"].copy()
    tasks["name"] = tasks["name"] + "（旧）"
    tasks["phase"] = "closing"
    tasks["department"] = "财务部"
    tasks["owner"] = "徐慧"
    tasks["deliverable"] = "待定"
    tasks["planned_start"] = tasks["planned_start"] - pd.Timedelta(days=7)
    tasks["planned_finish"] = tasks["planned_finish"] + pd.Timedelta(days=3)
    tasks["actual_start"] = pd.NaT
    tasks["actual_finish"] = pd.NaT
    tasks["progress"] = 0.5
    tasks["status"] = "blocked"
    tasks["predecessors"] = None
    tasks["blocked_reason"] = "等待"
    tasks["approved"] = False
    tasks["notes"] = "x"
    data.tables["tasks"] = tasks
    scrambled = tmp_path / "scrambled.xlsx"
    save_new_workbook(build_workbook(data), scrambled)

    result = _invoke("import", plan, "--into", scrambled, "--write")
    assert result.exit_code == 0, result.output
    got = read_workbook(scrambled).tables["tasks"]
    want = read_workbook(demo_path).tables["tasks"]
    keys = ["wbs", *TASK_KEYS]
    # a summary row's dates, progress and status are formulas over its tasks
    # (README, "Figures"): the import leaves them to the formulas, which
    # Excel recalculates on open; their roll-up from the restored tasks is
    # the demo's
    summary = summary_mask(want)
    leaf_keys = [k for k in keys if k not in ROLLUP_COLUMNS]
    pd.testing.assert_frame_equal(got[leaf_keys], want[leaf_keys], check_dtype=False)
    pd.testing.assert_frame_equal(
        got.loc[~summary, keys], want.loc[~summary, keys], check_dtype=False
    )
    roll = rollup(got)
    for key in ROLLUP_COLUMNS:
        assert [str(v)[:10] for v in roll[key]] == [str(v)[:10] for v in want.loc[summary, key]], (
            key
        )
    # a second import finds nothing to change
    again = _invoke("import", plan, "--into", scrambled, "--write")
    assert "无需写入" in again.output


def _edit_plan(xml: bytes) -> bytes:
    ET.register_namespace("", NS)
    root = ET.fromstring(xml)
    tasks = root.find(f"{Q}Tasks")
    by_wbs = {t.findtext(f"{Q}WBS"): t for t in tasks}
    by_wbs["3.2.1"].find(f"{Q}Name").text = "需求调研（扩大范围）"
    by_wbs["3.2.1"].find(f"{Q}Finish").text = "2026-03-27T17:00:00"
    by_wbs["3.2.1"].find(f"{Q}PercentComplete").text = "60"
    # a new task under 3.2, after 3.2.1, with a two-day lag
    new = ET.SubElement(tasks, f"{Q}Task")
    for tag, text in (
        ("UID", "900"),
        ("ID", "900"),
        ("Name", "补充调研<客服一线>"),
        ("WBS", "3.2.9"),
        ("OutlineLevel", "3"),
        ("Start", "2026-03-30T08:00:00"),
        ("Finish", "2026-04-01T17:00:00"),
        ("PercentComplete", "0"),
    ):
        ET.SubElement(new, f"{Q}{tag}").text = text
    link = ET.SubElement(new, f"{Q}PredecessorLink")
    for tag, text in (("PredecessorUID", by_wbs["3.2.1"].findtext(f"{Q}UID")), ("Type", "1")):
        ET.SubElement(link, f"{Q}{tag}").text = text
    ET.SubElement(link, f"{Q}LinkLag").text = str(2 * 4800)
    ET.SubElement(link, f"{Q}LagFormat").text = "7"
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def test_preview_then_write_an_edited_plan(master, tmp_path):
    plan = tmp_path / "edited.xml"
    plan.write_bytes(_edit_plan(_export(master)))
    before = master.read_bytes()
    preview = _invoke("import", "mspdi", plan, "--into", master)
    assert preview.exit_code == 0, preview.output
    assert master.read_bytes() == before  # a preview writes nothing
    assert "需求调研（扩大范围）" in preview.output and "预览" in preview.output
    assert "滞后2天" in "".join(preview.output.split())

    result = _invoke("import", "mspdi", plan, "--into", master, "--write")
    assert result.exit_code == 0, result.output
    data = read_workbook(master)
    tasks = data.tables["tasks"].set_index("wbs")
    assert tasks.at["3.2.1", "name"] == "需求调研（扩大范围）"
    assert tasks.at["3.2.1", "planned_finish"].date() == dt.date(2026, 3, 27)
    assert tasks.at["3.2.1", "progress"] == pytest.approx(0.6)
    new = tasks.loc["3.2.9"]
    assert new["name"] == "补充调研<客服一线>"
    assert new["predecessors"] == "3.2.1"
    assert new["status"] == "not_started"
    assert new["phase"] == tasks.at["3.2", "phase"]  # taken from its parent row
    assert new["department"] == tasks.at["3.2", "department"]
    assert len(tasks) == 78
    assert list((master.parent / ".xlcollab" / "backups").iterdir())


def test_refuses_while_open_in_excel(master, tmp_path):
    plan = tmp_path / "edited.xml"
    plan.write_bytes(_edit_plan(_export(master)))
    owner = master.parent / f"~${master.name}"
    owner.write_text("x")
    before = master.read_bytes()
    result = _invoke("import", "mspdi", plan, "--into", master, "--write")
    assert result.exit_code == 2
    assert "Excel" in result.output
    assert master.read_bytes() == before


def test_plan_from_another_tool_without_custom_fields(master, tmp_path):
    """A plan saved by MS Project for one department's part (under WBS 3.3):
    WBS, names, dates, % complete, resources; nothing else is touched."""
    xml = f"""<?xml version="1.0" encoding="UTF-8"?>
<Project xmlns="{NS}"><Title>部门计划</Title>
<Tasks>
 <Task><UID>0</UID><ID>0</ID><Name>部门计划</Name><OutlineLevel>0</OutlineLevel></Task>
 <Task><UID>1</UID><ID>1</ID><Name>接口开发</Name><WBS>1</WBS><OutlineLevel>1</OutlineLevel>
   <Start>2026-04-08T08:00:00</Start><Finish>2026-04-10T17:00:00</Finish>
   <PercentComplete>50</PercentComplete></Task>
 <Task><UID>2</UID><ID>2</ID><Name>联调准备</Name><WBS>9</WBS><OutlineLevel>1</OutlineLevel>
   <Start>2026-04-13T08:00:00</Start><Finish>2026-04-14T17:00:00</Finish>
   <PercentComplete>0</PercentComplete>
   <PredecessorLink><PredecessorUID>1</PredecessorUID><Type>3</Type></PredecessorLink></Task>
</Tasks>
<Resources><Resource><UID>1</UID><ID>1</ID><Name>高远</Name></Resource></Resources>
<Assignments><Assignment><UID>1</UID><TaskUID>1</TaskUID><ResourceUID>1</ResourceUID>
 <Units>1</Units></Assignment>
 <Assignment><UID>2</UID><TaskUID>2</TaskUID><ResourceUID>1</ResourceUID>
 <Units>1</Units></Assignment></Assignments>
</Project>""".encode()
    plan = tmp_path / "dept.xml"
    plan.write_bytes(xml)
    demo = demo_project().tables["tasks"].set_index("wbs")
    assert "3.3.1" in demo.index and "3.3.9" not in demo.index
    result = _invoke("import", "mspdi", plan, "--into", master, "--parent", "3.3", "--write")
    assert result.exit_code == 0, result.output
    assert "SS" in result.output  # a start-to-start link is named, written as finish-to-start
    tasks = read_workbook(master).tables["tasks"].set_index("wbs")
    row = tasks.loc["3.3.1"]
    assert row["name"] == "接口开发" and row["owner"] == "高远"
    assert row["progress"] == pytest.approx(0.5)
    assert row["planned_start"].date() == dt.date(2026, 4, 8)
    assert row["deliverable"] == demo.at["3.3.1", "deliverable"]  # not carried: untouched
    assert row["status"] == demo.at["3.3.1", "status"]
    assert row["phase"] == demo.at["3.3.1", "phase"]
    new = tasks.loc["3.3.9"]
    assert new["predecessors"] == "3.3.1"
    assert new["department"] == demo.at["3.3", "department"]
    assert new["owner"] == "高远"
    # the rest of the workbook is as it was
    others = [c for c in demo.index if not c.startswith("3.3.")]
    pd.testing.assert_frame_equal(
        tasks.loc[others, list(TASK_KEYS)], demo.loc[others, list(TASK_KEYS)], check_dtype=False
    )


def test_bad_files_are_refused_with_a_message(master, tmp_path):
    for content, words in (
        (b"not xml at all", "XML"),
        (b"<Other/>", "MSPDI"),
        (
            b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            b'<Project xmlns="http://schemas.microsoft.com/project"><Title>&e;</Title></Project>',
            "XML",
        ),
    ):
        plan = tmp_path / "bad.xml"
        plan.write_bytes(content)
        result = _invoke("import", "mspdi", plan, "--into", master, "--write")
        assert result.exit_code == 2, result.output
        assert words in result.output
        assert "Traceback" not in result.output
    with pytest.raises(PlanError):
        read_plan(b"<Project/>")


def test_map_is_refused_for_a_plan(master, tmp_path):
    plan = tmp_path / "plan.xml"
    plan.write_bytes(_export(master))
    result = _invoke("import", "mspdi", plan, "--into", master, "--map", "a=b")
    assert result.exit_code == 2


# -------------------------------------------------------------- property ---
_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("<>&\"'\n"),
    min_size=1,
    max_size=12,
).filter(lambda s: s.strip() == s and s.strip())
_day = st.dates(dt.date(2026, 1, 5), dt.date(2026, 12, 20))


@st.composite
def _projects(draw):
    n_top = draw(st.integers(1, 4))
    codes = []
    for i in range(1, n_top + 1):
        codes.append(str(i))
        for j in range(1, draw(st.integers(0, 3)) + 1):
            codes.append(f"{i}.{j}")
            for k in range(1, draw(st.integers(0, 2)) + 1):
                codes.append(f"{i}.{j}.{k}")
    records = []
    for n, code in enumerate(codes):
        start = draw(_day)
        finish = start + dt.timedelta(days=draw(st.integers(0, 20)))
        earlier = codes[:n]
        records.append(
            {
                "wbs": code,
                "name": draw(_text),
                "phase": draw(st.sampled_from(["kickoff", "planning", "execution", "closing"])),
                "department": draw(st.sampled_from(["项目管理部", "信息技术部", "财务部"])),
                "owner": draw(st.sampled_from(["张伟", "赵敏", "高远"])),
                "deliverable": draw(st.none() | _text),
                "planned_start": start,
                "planned_finish": finish,
                "actual_start": draw(st.none() | st.just(start)),
                "actual_finish": draw(st.none() | st.just(finish)),
                "progress": draw(st.none() | st.integers(0, 100).map(lambda p: p / 100)),
                "status": draw(st.sampled_from(["not_started", "in_progress", "done", "blocked"])),
                "predecessors": ",".join(
                    draw(st.lists(st.sampled_from(earlier), unique=True, max_size=3))
                )
                if earlier
                else None,
                "blocked_reason": draw(st.none() | _text),
                "approved": draw(st.none() | st.booleans()),
                "notes": draw(st.none() | _text),
            }
        )
    data = ProjectData(
        tables={
            "tasks": frame("tasks", records),
            "milestones": frame("milestones", []),
            "holidays": frame("holidays", []),
            "team": frame("team", []),
        },
        overview={"name": draw(_text)},
    )
    return data


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_projects())
def test_any_project_survives_the_round_trip(data):
    cal = WorkCalendar()
    plan = read_plan(write_mspdi(data, cal).xml)
    result = merge_plan(data, plan)
    assert [(c.row, c.column, c.old, c.new) for c in result.changes] == []
    assert result.unchanged == len(data.tables["tasks"])
    assert not result.new_rows


def test_new_rows_beyond_the_table_are_named(master, tmp_path):
    tasks = "".join(
        f"<Task><UID>{i}</UID><ID>{i}</ID><Name>新任务{i}</Name><WBS>9.{i}</WBS>"
        f"<Start>2026-04-20T08:00:00</Start><Finish>2026-04-21T17:00:00</Finish></Task>"
        for i in range(1, 61)
    )
    plan = tmp_path / "many.xml"
    plan.write_text(f'<Project xmlns="{NS}"><Tasks>{tasks}</Tasks></Project>', encoding="utf-8")
    result = _invoke("import", "mspdi", plan, "--into", master)
    assert result.exit_code == 0, result.output
    flat = "".join(result.output.split())
    assert "新增任务60行" in flat
    assert "表格只到第" in flat and "扩展" in flat
