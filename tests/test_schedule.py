"""Schedule figures: a hand-computed network across Qingming 2026, cycles,
summaries, the demo project, and 20,000 tasks."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from xlcollab.core.calendar import WorkCalendar
from xlcollab.core.network import schedule, split_codes
from xlcollab.model import is_missing
from xlcollab.model.frames import frame
from xlcollab.workbook.demo import STATUS_DATE, demo_project

D = dt.date
CAL = WorkCalendar()  # the package's official 2026 days: Apr 4-6 off (Qingming)


def _task(wbs, ps, pf, preds=None, status="not_started", progress=0.0, af=None, **kw):
    return {
        "wbs": wbs,
        "name": f"任务{wbs}",
        "phase": "execution",
        "department": "信息技术部",
        "owner": "张三",
        "planned_start": ps,
        "planned_finish": pf,
        "predecessors": preds,
        "status": status,
        "progress": progress,
        "actual_finish": af,
        **kw,
    }


def _network(b_progress=0.25):
    """1 (summary) = 1.1 A, 1.2 B, 1.3 C, 1.4 D; 2 E after the whole of 1.

    A Mon 03-30..Wed 04-01 (3 working days), done on 04-01.
    B 04-02..04-08: Thu, Fri, (Qingming Sat-Mon), Tue, Wed = 4 working days.
    C 04-02 (1 day). D 04-09..04-10 (2 days) after B and C. E 04-13 (1 day).
    """
    return frame(
        "tasks",
        [
            {
                "wbs": "1",
                "name": "汇总",
                "phase": "execution",
                "department": "信息技术部",
                "owner": "张三",
                "planned_start": D(2026, 3, 30),
                "planned_finish": D(2026, 4, 10),
                "status": "in_progress",
            },
            _task(
                "1.1", D(2026, 3, 30), D(2026, 4, 1), status="done", progress=1, af=D(2026, 4, 1)
            ),
            _task("1.2", D(2026, 4, 2), D(2026, 4, 8), "1.1", "in_progress", b_progress),
            _task("1.3", D(2026, 4, 2), D(2026, 4, 2), "1.1"),
            _task("1.4", D(2026, 4, 9), D(2026, 4, 10), "1.2，1.3"),  # a full-width comma
            _task("2", D(2026, 4, 13), D(2026, 4, 13), "1"),  # a summary as predecessor
        ],
    )


def _by_wbs(s, tasks):
    out = s.tasks.copy()
    out.index = tasks["wbs"]
    return out


def test_hand_computed_network_across_qingming():
    tasks = _network()
    s = schedule(tasks, CAL, D(2026, 4, 2))
    t = _by_wbs(s, tasks)
    ts = pd.Timestamp
    assert t.loc["1.2", "duration"] == 4  # Apr 4-6 are not working days
    assert t.loc["1.1", "duration"] == 3 and t.loc["1.3", "duration"] == 1
    assert t.loc["1.2", "early_start"] == ts("2026-04-02")
    assert t.loc["1.2", "early_finish"] == ts("2026-04-08")
    assert t.loc["1.4", "early_start"] == ts("2026-04-09")
    assert t.loc["2", "early_start"] == ts("2026-04-13")
    # C can slip until the day before D: Apr 2 -> Apr 8 is 3 working days
    # (Apr 3, 7, 8); without the holiday it would be 4
    assert t.loc["1.3", "late_start"] == ts("2026-04-08")
    assert t.loc["1.3", "total_float"] == 3
    assert not t.loc["1.3", "critical"]
    for code in ("1.1", "1.2", "1.4", "2"):
        assert t.loc[code, "total_float"] == 0, code
        assert t.loc[code, "critical"], code
    assert s.critical_path == ["1.1", "1.2", "1.4", "2"]
    assert s.planned_finish == D(2026, 4, 13)
    # the summary is rolled up, not scheduled
    assert t.loc["1", "summary"] and not t.loc["1.1", "summary"]
    assert t.loc["1", "early_start"] == ts("2026-03-30")
    assert t.loc["1", "early_finish"] == ts("2026-04-10")
    assert t.loc["1", "total_float"] == 0
    assert pd.isna(t.loc["1", "duration"])
    # forecast on Apr 2: B has 3 of 4 days left: Apr 2, 3, 7 -> on plan
    assert t.loc["1.1", "forecast_finish"] == ts("2026-04-01")
    assert t.loc["1.2", "forecast_finish"] == ts("2026-04-07")
    assert s.forecast_finish == D(2026, 4, 13)
    assert s.slip_days == 0
    assert s.excluded == {}


def test_forecast_slips_when_progress_stalls():
    tasks = _network(b_progress=0.25)
    s = schedule(tasks, CAL, D(2026, 4, 9))  # B still at 25% a week later
    t = _by_wbs(s, tasks)
    # B: 3 days from Thu Apr 9: 9, 10, 13; D: 14, 15; E: 16
    assert t.loc["1.2", "forecast_finish"] == pd.Timestamp("2026-04-13")
    assert t.loc["1.4", "forecast_finish"] == pd.Timestamp("2026-04-15")
    assert s.forecast_finish == D(2026, 4, 16)
    assert s.slip_days == 3
    assert CAL.is_workday(s.forecast_finish)


def test_forecast_of_an_open_task_before_a_holiday():
    tasks = frame(
        "tasks", [_task("1", D(2026, 4, 1), D(2026, 4, 3), status="in_progress", progress=0.0)]
    )
    s = schedule(tasks, CAL, D(2026, 4, 3))  # 3 days from Fri Apr 3: 3, 7, 8
    assert s.forecast_finish == D(2026, 4, 8)
    assert s.slip_days == 2  # Apr 7 and 8 after the planned Apr 3


def test_cycles_are_excluded_not_looped():
    tasks = frame(
        "tasks",
        [
            _task("1", D(2026, 3, 2), D(2026, 3, 3), "2"),
            _task("2", D(2026, 3, 4), D(2026, 3, 5), "1"),
            _task("3", D(2026, 3, 6), D(2026, 3, 6), "2"),  # depends on the cycle
            _task("4", D(2026, 3, 2), D(2026, 3, 4), "4"),  # depends on itself
            _task("5", D(2026, 3, 2), D(2026, 3, 9), "9.9"),  # unknown code: ignored
            _task("5", D(2026, 3, 2), D(2026, 3, 9)),  # duplicate code
            _task("6", None, D(2026, 3, 9)),  # no planned start
        ],
    )
    s = schedule(tasks, CAL, D(2026, 3, 4))
    assert s.excluded["1"] == s.excluded["2"] == s.excluded["4"] == "cycle"
    assert s.excluded["3"] == "after_cycle"
    assert s.excluded["6"] == "no_dates"
    assert s.excluded["5 (row 7)"] == "duplicate"
    assert sorted(s.cycle_tasks) == ["1", "2", "4"]
    t = _by_wbs(s, tasks)
    assert t.iloc[4]["early_start"] == pd.Timestamp("2026-03-02")  # task 5 is scheduled
    assert s.critical_path == ["5"]
    assert list(t["excluded"]) == [
        "cycle",
        "cycle",
        "after_cycle",
        "cycle",
        None,
        "duplicate",
        "no_dates",
    ]


def test_a_summary_predecessor_applies_to_its_leaves():
    tasks = frame(
        "tasks",
        [
            _task("1", D(2026, 3, 2), D(2026, 3, 3)),
            {**_task("2", D(2026, 3, 2), D(2026, 3, 6), "1")},  # summary with a predecessor
            _task("2.1", D(2026, 3, 2), D(2026, 3, 2)),
            _task("2.2", D(2026, 3, 2), D(2026, 3, 3), "2.1"),
        ],
    )
    t = _by_wbs(schedule(tasks, CAL, D(2026, 3, 2)), tasks)
    assert t.loc["2.1", "early_start"] == pd.Timestamp("2026-03-04")  # after task 1
    assert t.loc["2.2", "early_finish"] == pd.Timestamp("2026-03-06")
    assert t.loc["2", "early_finish"] == pd.Timestamp("2026-03-06")


def test_split_codes():
    assert split_codes("1.1, 1.2，1.3、1.4;1.5") == ["1.1", "1.2", "1.3", "1.4", "1.5"]
    assert split_codes(None) == [] and split_codes(" ") == []


def test_empty_and_no_as_of():
    empty = frame("tasks", [])
    s = schedule(empty, CAL, D(2026, 4, 1))
    assert s.critical_path == [] and s.forecast_finish is None and len(s.tasks) == 0
    s = schedule(_network(), CAL)
    assert s.planned_finish == D(2026, 4, 13) and s.forecast_finish is None


def test_demo_schedule():
    data = demo_project()
    tasks = data.tables["tasks"]
    cal = WorkCalendar.from_holidays(data.tables["holidays"])
    s = schedule(tasks, cal, STATUS_DATE)
    assert s.excluded == {}
    assert len(s.critical_path) >= 3
    assert s.critical_path[-1].startswith("5.")  # the project ends with closing
    preds = dict(zip(tasks["wbs"], tasks["predecessors"], strict=False))
    for a, b in zip(s.critical_path, s.critical_path[1:], strict=False):
        assert a in split_codes(preds[b]), (a, b)
    t = _by_wbs(s, tasks)
    assert (t.loc[s.critical_path, "total_float"] == 0).all()
    assert s.forecast_finish is not None and cal.is_workday(s.forecast_finish)
    assert s.planned_finish == dt.date(2026, 4, 30)
    assert s.forecast_finish >= s.planned_finish
    assert not cal.uncovered_seen  # the axis margin does not reach into 2027
    # the blocked interface task 3.3.4 (30% of 5 days) needs 4 more: Apr 1, 2, 3, 7
    assert t.loc["3.3.4", "forecast_finish"] == pd.Timestamp("2026-04-07")


def test_twenty_thousand_tasks_are_fast():
    recs = []
    start = D(2026, 3, 2)
    for i in range(20_000):
        g, k = divmod(i, 100)
        s = start + dt.timedelta(days=k % 40)
        recs.append(
            {
                "wbs": f"{g + 1}.{k + 1}",
                "planned_start": s,
                "planned_finish": s + dt.timedelta(days=3),
                "predecessors": f"{g + 1}.{k}" if k else (f"{g}.100" if g else None),
                "status": "in_progress",
                "progress": 0.5,
            }
        )
    tasks = pd.DataFrame(recs, index=pd.RangeIndex(2, 20_002))
    tasks["planned_start"] = pd.to_datetime(tasks["planned_start"])
    tasks["planned_finish"] = pd.to_datetime(tasks["planned_finish"])
    s = schedule(tasks, WorkCalendar(), D(2026, 4, 1))  # speed: benchmarks/bench_check.py
    assert len(s.critical_path) == 20_000  # one long chain


@given(
    st.text(alphabet=st.sampled_from(list("1.2,;，、； \t\u3000\u200bab")), max_size=14)
    | st.none()
    | st.floats(allow_nan=True)
    | st.integers()
)
def test_split_codes_is_the_plain_definition(cell):
    def plain(text):
        if is_missing(text):
            return []
        s = str(text)
        for sep in ("，", "、", ";", "；"):
            s = s.replace(sep, ",")
        return [p.strip() for p in s.split(",") if p.strip()]

    assert split_codes(cell) == plain(cell)
