"""MSPDI export read back by a real reader: MPXJ (the library behind
ProjectLibre and many MS Project importers), through its Python package.

MPXJ needs a Java runtime. Without one the tests skip, or fail when
XLCOLLAB_REQUIRE_OFFICE=1 (CI), so CI never passes by skipping."""

from __future__ import annotations

import datetime as dt
import os
import shutil

import pytest

from xlcollab.core.calendar import WorkCalendar
from xlcollab.core.network import split_codes
from xlcollab.interchange.mspdi import write_mspdi
from xlcollab.io import read_workbook
from xlcollab.schema import MILESTONES, PHASE, STATUS, TASKS


@pytest.fixture(scope="module")
def mpxj():
    """MPXJ's universal reader, in a JVM started once for the test run."""
    if shutil.which("java") is None:
        if os.environ.get("XLCOLLAB_REQUIRE_OFFICE") == "1":
            pytest.fail("a Java runtime is required for MPXJ but not installed")
        pytest.skip("no Java runtime for MPXJ")
    import jpype
    import mpxj  # noqa: F401  (puts MPXJ's jars on the class path)

    if not jpype.isJVMStarted():
        jpype.startJVM()
    return jpype.JClass("org.mpxj.reader.UniversalProjectReader")


def java(name: str):
    """A Java class by its full name (the JVM is started by the ``mpxj`` fixture)."""
    import jpype

    return jpype.JClass(name)


@pytest.fixture(scope="module")
def demo(demo_path):
    data = read_workbook(demo_path)
    cal = WorkCalendar.from_holidays(data.tables["holidays"])
    return data, cal


@pytest.fixture(scope="module")
def plan_path(demo, tmp_path_factory):
    data, cal = demo
    export = write_mspdi(data, cal)
    assert export.warnings == []
    path = tmp_path_factory.mktemp("mspdi") / "plan.xml"
    path.write_bytes(export.xml)
    return path


@pytest.fixture(scope="module")
def project(plan_path, mpxj):
    return mpxj().read(str(plan_path))


def _date(value) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(str(value)[:10])


def _tasks(project, sheet_name: str) -> list:
    return [t for t in project.getTasks() if str(t.getText(7)) == sheet_name]


def test_mpxj_reads_the_same_77_rows_summary_and_leaf(demo, project):
    data, _ = demo
    tasks = data.tables["tasks"]
    codes = [str(c) for c in tasks["wbs"]]
    got = _tasks(project, TASKS.zh)
    assert len(codes) == 77
    assert sorted(str(t.getWBS()) for t in got) == sorted(codes)
    by_code = {str(t.getWBS()): t for t in got}
    for _, rec in tasks.iterrows():
        code = str(rec["wbs"])
        t = by_code[code]
        parts = code.split(".")
        ancestors = [".".join(parts[:k]) for k in range(1, len(parts))]
        has_children = any(c.startswith(code + ".") for c in codes)
        assert str(t.getName()) == rec["name"], code
        assert int(t.getOutlineLevel()) == 1 + sum(a in codes for a in ancestors), code
        assert bool(t.getSummary()) == has_children, code
        assert _date(t.getStart()) == rec["planned_start"].date(), code
        assert _date(t.getFinish()) == rec["planned_finish"].date(), code
        actual_start = rec["actual_start"]
        assert _date(t.getActualStart()) == (
            None if actual_start is None or str(actual_start) == "NaT" else actual_start.date()
        ), code
        # MSPDI holds whole percents (a summary row's roll-up is a fraction)
        assert float(t.getPercentageComplete()) == pytest.approx(rec["progress"] * 100, abs=0.5), (
            code
        )
        assert str(t.getText(1)) == PHASE.label(rec["phase"]), code
        assert str(t.getText(2)) == rec["department"], code
        assert str(t.getText(4)) == STATUS.label(rec["status"]), code
    summaries = sum(bool(t.getSummary()) for t in got)
    assert 0 < summaries < 77  # both kinds are there


def test_durations_are_working_days_on_the_chinese_calendar(demo, project):
    data, cal = demo
    by_code = {str(t.getWBS()): t for t in _tasks(project, TASKS.zh)}
    for _, rec in data.tables["tasks"].iterrows():
        t = by_code[str(rec["wbs"])]
        days = len(cal.workdays_in(rec["planned_start"], rec["planned_finish"]))
        duration = t.getDuration()
        assert str(duration.getUnits()) == "d"
        assert float(duration.getDuration()) == days, rec["wbs"]


def test_links_are_the_predecessors_finish_to_start(demo, project):
    data, _ = demo
    by_code = {str(t.getWBS()): t for t in _tasks(project, TASKS.zh)}
    n = 0
    for _, rec in data.tables["tasks"].iterrows():
        t = by_code[str(rec["wbs"])]
        links = list(t.getPredecessors())
        assert [str(r.getPredecessorTask().getWBS()) for r in links] == split_codes(
            rec["predecessors"]
        ), rec["wbs"]
        for r in links:
            assert str(r.getType()) == "FS"
            assert float(r.getLag().getDuration()) == 0
        n += len(links)
    assert n > 50


def test_owners_are_resources_assigned_to_their_tasks(demo, project):
    data, _ = demo
    tasks = data.tables["tasks"]
    codes = [str(c) for c in tasks["wbs"]]
    leaves = tasks[[not any(c2.startswith(c + ".") for c2 in codes) for c in codes]]
    resources = {str(r.getName()): r for r in project.getResources() if r.getName() is not None}
    assert set(resources) == set(leaves["owner"])
    team = data.tables["team"].set_index("name")
    for name, r in resources.items():
        assert str(r.getGroup()) == team.at[name, "department"]
        assert str(r.getEmailAddress()) == team.at[name, "email"]
    by_code = {str(t.getWBS()): t for t in _tasks(project, TASKS.zh)}
    for _, rec in leaves.iterrows():
        assigned = [
            str(a.getResource().getName()) for a in by_code[rec["wbs"]].getResourceAssignments()
        ]
        assert assigned == [rec["owner"]], rec["wbs"]


def test_milestones_are_milestone_tasks_linked_to_their_tasks(demo, project):
    data, _ = demo
    got = {str(t.getName()): t for t in _tasks(project, MILESTONES.zh)}
    ms = data.tables["milestones"]
    assert set(got) == set(ms["name"])
    for _, rec in ms.iterrows():
        t = got[rec["name"]]
        assert bool(t.getMilestone())
        assert float(t.getDuration().getDuration()) == 0
        assert _date(t.getFinish()) == rec["planned_date"].date()
        preds = [str(r.getPredecessorTask().getWBS()) for r in t.getPredecessors()]
        assert preds == split_codes(rec["tasks"])


def test_calendar_exceptions_are_the_2026_holidays_and_makeup_days(demo, project):
    data, _ = demo
    calendar = project.getDefaultCalendar()
    off, work = set(), set()
    for e in calendar.getCalendarExceptions():
        day, last = _date(e.getFromDate()), _date(e.getToDate())
        while day <= last:
            (work if e.getWorking() else off).add(day)
            day += dt.timedelta(days=1)
    holidays = data.tables["holidays"]
    kinds = list(zip(holidays["date"], holidays["type"], strict=True))
    sheet_off = {d.date() for d, k in kinds if k == "off"}
    sheet_work = {d.date() for d, k in kinds if k == "work"}
    assert {d for d in off if d.year == 2026} == {d for d in sheet_off if d.year == 2026}
    assert {d for d in work if d.year == 2026} == {d for d in sheet_work if d.year == 2026}
    # and MPXJ's own working-day logic agrees: Qingming Monday off, a make-up Saturday on
    LocalDate = java("java.time.LocalDate")
    assert not calendar.isWorkingDate(LocalDate.of(2026, 4, 6))
    assert calendar.isWorkingDate(LocalDate.of(2026, 4, 7))
    assert calendar.isWorkingDate(LocalDate.of(2026, 2, 28))  # Saturday, 春节调休上班
    assert not calendar.isWorkingDate(LocalDate.of(2026, 3, 7))  # an ordinary Saturday


def test_hostile_text_is_escaped_and_read_back(demo, mpxj, tmp_path):
    data, cal = demo
    data = type(data)(**{**data.__dict__, "tables": dict(data.tables)})
    tasks = data.tables["tasks"].copy()
    first = tasks.index[1]
    tasks.at[first, "name"] = "<script>&\"'</Task>\x01"
    tasks.at[first, "notes"] = "]]><Task><UID>999</UID></Task>"
    data.tables["tasks"] = tasks
    path = tmp_path / "hostile.xml"
    path.write_bytes(write_mspdi(data, cal).xml)
    project = mpxj().read(str(path))
    got = {str(t.getWBS()): t for t in _tasks(project, TASKS.zh)}
    t = got[str(tasks.at[first, "wbs"])]
    assert str(t.getName()) == "<script>&\"'</Task>"  # the control character dropped
    assert str(t.getNotes()) == "]]><Task><UID>999</UID></Task>"
    assert len(got) == 77


# The schema's xsd:sequence orders (mspdi_pj12.xsd, as documented in "Project
# Elements and XML Structure" and its Task, Calendar, Resource, Assignment and
# ExtendedAttribute pages), restricted to the elements around those we write.
# MS Project drops an element that is out of order without a word.
ORDER = {
    "Project": "SaveVersion UID Name Title Subject Category Company Manager Author CreationDate "
    "Revision LastSaved ScheduleFromStart StartDate FinishDate FYStartDate CriticalSlackLimit "
    "CurrencyDigits CurrencySymbol CurrencyCode CurrencySymbolPosition CalendarUID "
    "DefaultStartTime DefaultFinishTime MinutesPerDay MinutesPerWeek DaysPerMonth "
    "DefaultTaskType DefaultFixedCostAccrual DefaultStandardRate DefaultOvertimeRate "
    "DurationFormat WorkFormat EditableActualCosts HonorConstraints EarnedValueMethod "
    "InsertedProjectsLikeSummary MultipleCriticalPaths NewTasksEffortDriven NewTasksEstimated "
    "SplitsInProgressTasks SpreadActualCost SpreadPercentComplete TaskUpdatesResource "
    "FiscalYearStart WeekStartDay MoveCompletedEndsBack MoveRemainingStartsBack "
    "MoveRemainingStartsForward MoveCompletedEndsForward BaselineForEarnedValue "
    "AutoAddNewResourcesAndTasks StatusDate CurrentDate OutlineCodes WBSMasks "
    "ExtendedAttributes Calendars Tasks Resources Assignments",
    "Task": "UID ID Name Type IsNull CreateDate Contact WBS WBSLevel OutlineNumber OutlineLevel "
    "Priority Start Finish Duration DurationFormat Work Stop Resume ResumeValid EffortDriven "
    "Recurring OverAllocated Estimated Milestone Summary Critical IsSubproject "
    "IsSubprojectReadOnly SubprojectName ExternalTask ExternalTaskProject EarlyStart "
    "EarlyFinish LateStart LateFinish StartVariance FinishVariance WorkVariance FreeSlack "
    "TotalSlack FixedCost FixedCostAccrual PercentComplete PercentWorkComplete Cost "
    "OvertimeCost OvertimeWork ActualStart ActualFinish ActualDuration ActualCost "
    "ActualOvertimeCost ActualWork ActualOvertimeWork RegularWork RemainingDuration "
    "RemainingCost RemainingWork RemainingOvertimeCost RemainingOvertimeWork ACWP CV "
    "ConstraintType CalendarUID ConstraintDate Deadline LevelAssignments LevelingCanSplit "
    "LevelingDelay LevelingDelayFormat PreLeveledStart PreLeveledFinish Hyperlink "
    "HyperlinkAddress HyperlinkSubAddress IgnoreResourceCalendar Notes HideBar Rollup BCWS "
    "BCWP PhysicalPercentComplete EarnedValueMethod PredecessorLink ActualWorkProtected "
    "ActualOvertimeWorkProtected ExtendedAttribute",
    "PredecessorLink": "PredecessorUID Type CrossProject CrossProjectName LinkLag LagFormat",
    "Calendar": "UID Name IsBaseCalendar BaseCalendarUID WeekDays Exceptions WorkWeeks",
    "WeekDay": "DayType DayWorking TimePeriod WorkingTimes",
    "Exception": "EnteredByOccurrences TimePeriod Occurrences Name Type Period DaysOfWeek "
    "MonthItem MonthPosition Month MonthDay DayWorking WorkingTimes",
    "Resource": "UID ID Name Type IsNull Initials Phonetics NTAccount MaterialLabel Code Group "
    "WorkGroup EmailAddress Hyperlink HyperlinkAddress HyperlinkSubAddress MaxUnits",
    "Assignment": "UID TaskUID ResourceUID PercentWorkComplete ActualCost ActualFinish "
    "ActualOvertimeCost ActualOvertimeWork ActualStart ActualWork ACWP Confirmed Cost "
    "CostRateTable CostVariance CV Delay Finish FinishVariance Hyperlink HyperlinkAddress "
    "HyperlinkSubAddress WorkVariance HasFixedRateUnits FixedMaterial LevelingDelay "
    "LevelingDelayFormat LinkedFields Milestone Notes Overallocated OvertimeCost OvertimeWork "
    "RegularWork RemainingCost RemainingOvertimeCost RemainingOvertimeWork RemainingWork "
    "ResponsePending Start Stop Resume StartVariance Units UpdateNeeded VAC Work",
}


def test_elements_follow_the_schema_order(demo):
    import xml.etree.ElementTree as ET

    from xlcollab.interchange.mspdi import NS

    data, cal = demo
    root = ET.fromstring(write_mspdi(data, cal).xml)
    checked = 0
    for el in root.iter():
        tag = el.tag.removeprefix(f"{{{NS}}}")
        parent_of_attrs = tag == "ExtendedAttribute" and el.find(f"{{{NS}}}FieldName") is not None
        order = ORDER.get(tag)
        if order is None or parent_of_attrs:
            continue
        names = order.split()
        children = [c.tag.removeprefix(f"{{{NS}}}") for c in el]
        assert all(c in names for c in children), (tag, set(children) - set(names))
        positions = [names.index(c) for c in children]
        assert positions == sorted(positions), (tag, children)
        checked += 1
    assert checked > 250  # every task, link, resource, assignment, exception


def test_a_plan_edited_and_saved_by_mpxj_merges_back(demo, plan_path, mpxj, tmp_path):
    """MPXJ's MSPDI writer stands in for MS Project saving the plan: saved as
    it is, the plan changes nothing; edited (a name, a finish, % complete),
    exactly those cells change."""
    MSPDIWriter = java("org.mpxj.mspdi.MSPDIWriter")
    from xlcollab.interchange.merge import merge_plan
    from xlcollab.interchange.mspdi_read import read_plan

    data, _ = demo
    project = mpxj().read(str(plan_path))  # its own copy: this test edits it
    same = tmp_path / "same.xml"
    MSPDIWriter().write(project, str(same))
    result = merge_plan(data, read_plan(same.read_bytes()))
    assert result.changes == [] and result.unchanged == 77 and not result.new_rows

    LocalDateTime = java("java.time.LocalDateTime")
    task = {str(t.getWBS()): t for t in _tasks(project, TASKS.zh)}["3.2.2"]
    task.setName("市场需求调研（补充）")
    task.setPercentageComplete(java("java.lang.Integer").valueOf(75))
    task.setFinish(LocalDateTime.of(2026, 3, 25, 17, 0))
    edited = tmp_path / "edited.xml"
    MSPDIWriter().write(project, str(edited))
    result = merge_plan(data, read_plan(edited.read_bytes()))
    changed = {
        (c.column, c.new if not hasattr(c.new, "isoformat") else c.new.isoformat())
        for c in result.changes
    }
    row = int(data.tables["tasks"].index[data.tables["tasks"]["wbs"] == "3.2.2"][0])
    assert {c.row for c in result.changes} == {row}
    assert changed == {
        ("name", "市场需求调研（补充）"),
        ("progress", 0.75),
        ("planned_finish", "2026-03-25"),
    }
