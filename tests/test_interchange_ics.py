"""The .ics calendars, parsed back with the icalendar package."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from typer.testing import CliRunner

from xlcollab.cli import app
from xlcollab.core.calendar import WorkCalendar
from xlcollab.interchange.ics import (
    CalendarExportError,
    meeting_days,
    meeting_time,
    project_calendars,
)
from xlcollab.io import read_workbook
from xlcollab.nightly.scheduler import WEEKLY, jobs_for_day
from xlcollab.workbook.demo import demo_project

AS_OF = dt.date(2026, 4, 1)
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(scope="module")
def demo():
    data = demo_project()
    return data, WorkCalendar.from_holidays(data.tables["holidays"])


@pytest.fixture(scope="module")
def files(demo):
    data, cal = demo
    return {name: Calendar.from_ical(b) for name, b in project_calendars(data, cal, AS_OF).items()}


def _events(cal: Calendar) -> list:
    return list(cal.walk("VEVENT"))


def test_every_file_parses_and_uids_are_unique(files):
    assert "周例会.ics" in files and "里程碑.ics" in files
    uids = [str(e["UID"]) for c in files.values() for e in _events(c)]
    assert len(uids) == len(set(uids))
    for c in files.values():
        assert str(c["VERSION"]) == "2.0"
        for e in _events(c):
            assert e.get("DTSTAMP").dt == dt.datetime(2026, 4, 1, tzinfo=dt.UTC)


def test_weekly_meeting_on_the_first_working_day_at_the_settings_time(demo, files):
    data, cal = demo
    meetings = _events(files["周例会.ics"])
    days = [e["DTSTART"].dt for e in meetings]
    assert all(d.tzinfo is not None and d.tzinfo.key == "Asia/Shanghai" for d in days)
    assert all((d.hour, d.minute) == (10, 0) for d in days)
    assert all((e["DTEND"].dt - e["DTSTART"].dt) == dt.timedelta(hours=1) for e in meetings)
    dates = [d.date() for d in days]
    assert dt.date(2026, 4, 6) not in dates  # Qingming Monday
    assert dt.date(2026, 4, 7) in dates  # moved to Tuesday
    assert all(cal.is_workday(d) for d in dates)
    # one meeting a week, from the project's first week to its last
    weeks = [d.isocalendar()[:2] for d in dates]
    assert len(weeks) == len(set(weeks)) == 9
    moved = [e for e in meetings if e["DTSTART"].dt.date() == dt.date(2026, 4, 7)][0]
    assert "2026-04-06" in str(moved["DESCRIPTION"])
    tz = files["周例会.ics"].walk("VTIMEZONE")
    assert [str(t["TZID"]) for t in tz] == ["Asia/Shanghai"]


def test_meeting_days_are_the_nightly_jobs_weekly_days(demo):
    data, cal = demo
    start, end = data.overview["start_date"], data.overview["end_date"]
    nightly = [
        start + dt.timedelta(days=i)
        for i in range((end - start).days + 1)
        if WEEKLY in jobs_for_day(start + dt.timedelta(days=i), cal, finance=False, risk_weeks=0)
    ]
    assert meeting_days(data, cal) == nightly


@settings(max_examples=60, deadline=None)
@given(
    offs=st.lists(st.integers(0, 120), max_size=25),
    works=st.lists(st.integers(0, 120), max_size=6),
)
def test_meeting_days_agree_with_the_nightly_job_on_any_calendar(offs, works):
    data = demo_project()
    base = dt.date(2026, 3, 2)
    rows = [{"date": base + dt.timedelta(days=i), "type": "off"} for i in offs] + [
        {"date": base + dt.timedelta(days=i), "type": "work"} for i in works
    ]
    cal = WorkCalendar.from_holidays(pd.DataFrame(rows, columns=["date", "type"]))
    data.overview = {**data.overview, "start_date": base, "end_date": base + dt.timedelta(120)}
    got = meeting_days(data, cal)
    expected = [
        base + dt.timedelta(days=i)
        for i in range(121)
        if WEEKLY in jobs_for_day(base + dt.timedelta(days=i), cal, finance=False, risk_weeks=0)
    ]
    assert got == expected
    assert all(cal.is_workday(d) for d in got)


def test_milestones_are_all_day_events_on_their_planned_dates(demo, files):
    data, _ = demo
    events = {str(e["SUMMARY"]): e for e in _events(files["里程碑.ics"])}
    ms = data.tables["milestones"]
    assert len(events) == len(ms)
    for _, rec in ms.iterrows():
        e = events[f"里程碑：{rec['name']}"]
        assert e["DTSTART"].dt == rec["planned_date"].date()
        assert not isinstance(e["DTSTART"].dt, dt.datetime)


def test_one_file_per_owner_with_their_deadlines(demo, files):
    data, _ = demo
    tasks = data.tables["tasks"]
    codes = [str(c) for c in tasks["wbs"]]
    leaves = tasks[[not any(o.startswith(c + ".") for o in codes) for c in codes]]
    for owner, mine in leaves.groupby("owner"):
        events = _events(files[f"截止日期-{owner}.ics"])
        got = {str(e["SUMMARY"]).split()[0].removeprefix("截止："): e for e in events}
        assert set(got) == set(mine["wbs"])
        for _, rec in mine.iterrows():
            assert got[rec["wbs"]]["DTSTART"].dt == rec["planned_finish"].date()
    owner_files = [n for n in files if n.startswith("截止日期-")]
    assert len(owner_files) == leaves["owner"].nunique()


def test_uids_are_stable_across_exports(demo):
    data, cal = demo
    a = project_calendars(data, cal, AS_OF)
    b = project_calendars(data, cal, dt.date(2026, 4, 20))

    def uids(files):
        return sorted(
            str(e["UID"]) for v in files.values() for e in Calendar.from_ical(v).walk("VEVENT")
        )

    assert uids(a) == uids(b)


def test_meeting_time_from_settings_and_bad_values():
    assert meeting_time("14:30-15:45").start == dt.time(14, 30)
    assert meeting_time("9:00").end == dt.time(10, 0)
    assert meeting_time("09：00～10：30").end == dt.time(10, 30)
    for bad in ("", "noon", "25:00-26:00", "11:00-10:00"):
        with pytest.raises(CalendarExportError):
            meeting_time(bad)


def test_cli_writes_the_files(demo_path, tmp_path):
    out = tmp_path / "cal"
    result = CliRunner().invoke(
        app, ["export", "ics", str(demo_path), "-o", str(out), "--as-of", "2026-04-01"]
    )
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert "周例会.ics" in names and "里程碑.ics" in names
    for p in out.iterdir():
        Calendar.from_ical(p.read_bytes())
    owners = set(read_workbook(demo_path).tables["tasks"]["owner"].dropna())
    assert {f"截止日期-{o}.ics" for o in owners} <= set(names)


def test_cli_refuses_a_bad_meeting_time(tmp_path):
    from xlcollab.io.save import save_new_workbook
    from xlcollab.workbook import build_workbook

    data = demo_project()
    data.settings = {**data.settings, "meeting_time": "上午"}
    path = tmp_path / "bad.xlsx"
    save_new_workbook(build_workbook(data), path)
    result = CliRunner().invoke(app, ["export", "ics", str(path), "-o", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "周例会时间" in result.output


def test_a_company_shutdown_on_the_holidays_sheet_moves_the_meeting_and_the_plan():
    from xlcollab.interchange.mspdi import calendar_exceptions

    data = demo_project()
    holidays = data.tables["holidays"]
    extra = pd.DataFrame(
        [{"date": pd.Timestamp(2026, 3, 16), "type": "off", "name": "公司停工日", "source": "公司"}]
    )
    data.tables["holidays"] = pd.concat([holidays, extra], ignore_index=True)
    cal = WorkCalendar.from_holidays(data.tables["holidays"])
    days = meeting_days(data, cal)
    assert dt.date(2026, 3, 16) not in days and dt.date(2026, 3, 17) in days
    exceptions = calendar_exceptions(cal, data, range(2026, 2027))
    assert (dt.date(2026, 3, 16), dt.date(2026, 3, 16), False, "公司停工日") in exceptions
