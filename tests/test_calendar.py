"""The Chinese working-day calendar, on real 2025/2026 dates."""

from __future__ import annotations

import datetime as dt
import random

import chinese_calendar
import numpy as np
import pandas as pd
import pytest

from xlcollab.core.calendar import (
    CalendarCoverageError,
    WorkCalendar,
    default_holiday_years,
    official_holiday_rows,
    package_years,
)
from xlcollab.model.frames import frame

D = dt.date


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return WorkCalendar()


# ------------------------------------------------------------ National Day ---
def test_national_day_2025(cal):
    for day in range(1, 9):
        assert not cal.is_workday(D(2025, 10, day)), day
    assert cal.is_workday(D(2025, 9, 28))  # Sunday, make-up workday
    assert cal.is_workday(D(2025, 10, 11))  # Saturday, make-up workday
    assert not cal.is_workday(D(2025, 10, 12))  # an ordinary Sunday
    assert cal.is_workday(D(2025, 10, 9))


def test_national_day_2025_counts(cal):
    # Fri Sep 26 -> Fri Oct 10: Sun 28, Mon 29, Tue 30, Thu Oct 9, Fri Oct 10
    assert cal.workdays_between(D(2025, 9, 26), D(2025, 10, 10)) == 5
    assert cal.workdays_between(D(2025, 9, 30), D(2025, 10, 9)) == 1
    assert cal.workdays_between(D(2025, 9, 30), D(2025, 10, 8)) == 0
    assert cal.workdays_between(D(2025, 10, 10), D(2025, 10, 11)) == 1


def test_national_day_2025_add(cal):
    assert cal.add_workdays(D(2025, 9, 30), 1) == D(2025, 10, 9)
    assert cal.add_workdays(D(2025, 9, 30), 2) == D(2025, 10, 10)
    assert cal.add_workdays(D(2025, 9, 30), 3) == D(2025, 10, 11)
    assert cal.add_workdays(D(2025, 9, 26), 1) == D(2025, 9, 28)
    assert cal.add_workdays(D(2025, 10, 9), -1) == D(2025, 9, 30)
    assert cal.add_workdays(D(2025, 9, 29), -1) == D(2025, 9, 28)
    assert cal.add_workdays(D(2025, 9, 28), -1) == D(2025, 9, 26)
    # from inside the holiday
    assert cal.add_workdays(D(2025, 10, 3), 1) == D(2025, 10, 9)
    assert cal.add_workdays(D(2025, 10, 3), -1) == D(2025, 9, 30)
    assert cal.add_workdays(D(2025, 10, 3), 0) == D(2025, 10, 3)


# ---------------------------------------------------------------- 2026 -------
def test_qingming_2026(cal):
    for day in (4, 5, 6):
        assert not cal.is_workday(D(2026, 4, day))
    assert cal.is_workday(D(2026, 4, 3)) and cal.is_workday(D(2026, 4, 7))
    assert cal.add_workdays(D(2026, 4, 3), 1) == D(2026, 4, 7)
    assert cal.workdays_between(D(2026, 4, 3), D(2026, 4, 7)) == 1
    assert cal.workdays_between(D(2026, 4, 1), D(2026, 4, 7)) == 3


def test_labour_day_2026(cal):
    for day in range(1, 6):
        assert not cal.is_workday(D(2026, 5, day))
    assert cal.is_workday(D(2026, 5, 9))  # Saturday make-up workday
    assert not cal.is_workday(D(2026, 5, 10))
    # Thu Apr 30 -> Mon May 11: May 6, 7, 8, 9 (Sat), 11
    assert cal.workdays_between(D(2026, 4, 30), D(2026, 5, 11)) == 5
    assert cal.add_workdays(D(2026, 4, 30), 1) == D(2026, 5, 6)
    assert cal.add_workdays(D(2026, 5, 8), 1) == D(2026, 5, 9)
    assert cal.add_workdays(D(2026, 5, 11), -1) == D(2026, 5, 9)
    assert cal.add_workdays(D(2026, 5, 6), -1) == D(2026, 4, 30)


def test_spring_festival_2026(cal):
    # the package's own word first: these are its make-up workdays
    assert chinese_calendar.is_workday(D(2026, 2, 14))
    assert chinese_calendar.is_workday(D(2026, 2, 28))
    assert cal.is_workday(D(2026, 2, 14)) and cal.is_workday(D(2026, 2, 28))
    for day in range(15, 24):
        assert not cal.is_workday(D(2026, 2, day))
    assert cal.workdays_between(D(2026, 2, 13), D(2026, 2, 24)) == 2  # Sat 14, Tue 24
    assert cal.add_workdays(D(2026, 2, 13), 1) == D(2026, 2, 14)
    assert cal.add_workdays(D(2026, 2, 14), 1) == D(2026, 2, 24)
    assert cal.add_workdays(D(2026, 2, 24), -1) == D(2026, 2, 14)


def test_demo_project_period(cal):
    # March 2026: 22 weekdays; April: 22 weekdays less Qingming Monday
    assert cal.workdays_between(D(2026, 3, 1), D(2026, 3, 31)) == 22
    assert cal.workdays_between(D(2026, 3, 31), D(2026, 4, 30)) == 21
    assert cal.workdays_between(D(2026, 3, 1), D(2026, 4, 30)) == 43
    assert len(cal.workdays_in(D(2026, 3, 2), D(2026, 4, 30))) == 43


def test_between_edge_cases(cal):
    a = D(2026, 3, 10)
    assert cal.workdays_between(a, a) == 0
    assert cal.workdays_between(D(2026, 3, 20), D(2026, 3, 10)) == 0  # b < a
    assert cal.workdays_between(D(2026, 3, 13), D(2026, 3, 15)) == 0  # Fri -> Sun
    assert cal.workdays_between(D(2026, 3, 14), D(2026, 3, 16)) == 1  # Sat -> Mon
    assert cal.workdays_between(pd.Timestamp("2026-03-13"), dt.datetime(2026, 3, 16, 9)) == 1


def test_add_then_count_roundtrip(cal):
    rng = random.Random(7)
    start = D(2024, 12, 1)
    for _ in range(400):
        d = start + dt.timedelta(days=rng.randrange(730))
        n = rng.randrange(0, 40)
        assert cal.workdays_between(d, cal.add_workdays(d, n)) == n
        back = cal.add_workdays(d, -n - 1)
        assert cal.workdays_between(back, d) in (n + 1, n)  # d itself counts when it works
        assert cal.is_workday(back)


def test_agrees_with_the_package_everywhere(cal):
    years = package_years()
    day, last = D(years.start, 1, 1), D(years.stop - 1, 12, 31)
    dates = pd.Series(pd.date_range(day, last, freq="D"))
    ours = cal.is_workday_many(dates)
    theirs = [chinese_calendar.is_workday(d.date()) for d in dates]
    assert list(ours) == theirs


# ------------------------------------------------------------ overrides -----
def test_overrides_company_shutdown_and_extra_workday():
    overrides = frame(
        "holidays",
        [
            {"date": D(2026, 3, 9), "type": "off", "name": "公司停工日", "source": "公司"},
            {"date": D(2026, 3, 14), "type": "work", "name": "公司加班日", "source": "公司"},
        ],
    )
    cal = WorkCalendar.from_holidays(overrides)
    assert not cal.is_workday(D(2026, 3, 9))  # a Monday, shut down
    assert cal.is_workday(D(2026, 3, 14))  # a Saturday, worked
    # Fri Mar 6 -> Mon Mar 16: without overrides 6 (9-13, 16); -Mon 9, +Sat 14
    assert WorkCalendar().workdays_between(D(2026, 3, 6), D(2026, 3, 16)) == 6
    assert cal.workdays_between(D(2026, 3, 6), D(2026, 3, 16)) == 6
    assert cal.workdays_between(D(2026, 3, 6), D(2026, 3, 13)) == 4
    assert cal.add_workdays(D(2026, 3, 6), 1) == D(2026, 3, 10)
    assert cal.add_workdays(D(2026, 3, 13), 1) == D(2026, 3, 14)
    # the package's days stay as they were
    assert not cal.is_workday(D(2026, 4, 6))


def test_override_decides_its_date_like_the_formula():
    # the sheet says Qingming Monday is worked (the 'off' row was changed)
    cal = WorkCalendar(frame("holidays", [{"date": D(2026, 4, 6), "type": "work"}]))
    assert cal.is_workday(D(2026, 4, 6))
    # 'work' on a weekday / 'off' on a weekend change nothing (the formula's rule)
    cal = WorkCalendar(
        frame(
            "holidays",
            [{"date": D(2026, 3, 11), "type": "work"}, {"date": D(2026, 3, 15), "type": "off"}],
        )
    )
    assert cal.is_workday(D(2026, 3, 11)) and not cal.is_workday(D(2026, 3, 15))


def test_overrides_accept_labels_strings_and_blank_rows():
    df = pd.DataFrame(
        {"date": [D(2026, 3, 9), None, "2026-03-14"], "type": ["off", "work", "work"]}
    )
    cal = WorkCalendar(df)
    assert not cal.is_workday(D(2026, 3, 9)) and cal.is_workday(D(2026, 3, 14))
    assert WorkCalendar(frame("holidays", [])).is_workday(D(2026, 3, 9))
    assert WorkCalendar(None).is_workday(D(2026, 3, 9))


# ------------------------------------------------------------- coverage -----
def test_2027_gives_a_coverage_warning():
    cal = WorkCalendar()
    assert 2026 in cal.covered_years and 2027 not in cal.covered_years
    assert cal.coverage_warnings([D(2026, 5, 1)]) == []
    warnings = cal.coverage_warnings(
        [
            D(2026, 12, 30),
            D(2027, 1, 4),
            None,
            pd.NaT,
            np.datetime64("NaT"),
            pd.Timestamp("2027-02-01"),
        ]
    )
    assert len(warnings) == 1 and "2027" in warnings[0] and "节假日" in warnings[0]
    assert "2027" in cal.coverage_warnings([D(2027, 1, 4)], lang="en")[0]
    # a calculation that touches 2027 is remembered, never a silent guess
    cal.workdays_between(D(2026, 12, 30), D(2027, 1, 5))
    assert cal.uncovered_seen == {2027}
    assert len(cal.coverage_warnings()) == 1
    # until the holidays are added, 2027 is counted Monday to Friday
    assert cal.is_workday(D(2027, 1, 1))


def test_overrides_cover_a_year():
    rows = [
        {"date": D(2027, 1, 1), "type": "off", "name": "元旦", "source": "国务院"},
        {"date": D(2027, 2, 6), "type": "work", "name": "春节调休上班", "source": "国务院"},
    ]
    cal = WorkCalendar(frame("holidays", rows))
    assert 2027 in cal.covered_years
    assert cal.coverage_warnings([D(2027, 1, 4)]) == []
    assert not cal.is_workday(D(2027, 1, 1))
    assert cal.is_workday(D(2027, 2, 6))
    assert cal.uncovered_seen == set()


def test_strict_calendar_raises_outside_coverage():
    cal = WorkCalendar(strict=True)
    with pytest.raises(CalendarCoverageError):
        cal.is_workday(D(2027, 3, 1))
    with pytest.raises(CalendarCoverageError):
        cal.workdays_between_many(pd.Series([D(2026, 3, 1)]), D(2027, 3, 1))


def test_default_holiday_years():
    assert list(default_holiday_years(D(2026, 11, 27))) == [2026]
    assert list(default_holiday_years(D(2025, 1, 1))) == [2025, 2026]
    assert list(default_holiday_years(D(2030, 1, 1))) == []


# ------------------------------------------------------ official rows -------
def test_official_holiday_rows_2026():
    rows = official_holiday_rows(D(2026, 1, 1), D(2026, 12, 31))
    assert list(rows.columns) == ["date", "type", "name", "source"]
    assert str(rows["date"].dtype) == "datetime64[ns]"
    assert rows["date"].is_monotonic_increasing
    by_date = {r.date.date(): r for r in rows.itertuples()}
    assert by_date[D(2026, 4, 5)].name == "清明节" and by_date[D(2026, 4, 5)].type == "off"
    assert by_date[D(2026, 5, 1)].name == "劳动节"
    assert by_date[D(2026, 10, 1)].name == "国庆节"
    assert by_date[D(2026, 9, 25)].name == "中秋节"
    assert by_date[D(2026, 5, 9)].type == "work" and "劳动节" in by_date[D(2026, 5, 9)].name
    assert by_date[D(2026, 2, 14)].type == "work"
    assert set(rows["source"]) == {"国务院"}
    assert set(rows["type"]) == {"off", "work"}
    assert not rows["name"].str.contains("[A-Za-z]").any()  # all Chinese
    en = official_holiday_rows(D(2026, 4, 1), D(2026, 4, 30), lang="en")
    assert list(en["name"]) == ["Qingming Festival"] * 3
    assert set(en["source"]) == {"State Council"}


def test_official_rows_alone_reproduce_the_package():
    """A calendar that sees only the prefilled sheet (as the workbook's
    formulas do) equals the package's calendar on those years."""
    rows = official_holiday_rows(D(2025, 1, 1), D(2026, 12, 31))
    sheet_only = WorkCalendar(rows, use_package=False)
    full = WorkCalendar()
    dates = pd.Series(pd.date_range("2025-01-01", "2026-12-31", freq="D"))
    assert list(sheet_only.is_workday_many(dates)) == list(full.is_workday_many(dates))


def _excel_workdays(a: dt.date, b: dt.date, rows: pd.DataFrame) -> int:
    """schema.workdays_expr evaluated by hand: NETWORKDAYS(a+1, b, off dates)
    + COUNTIFS(weekend make-up dates, > a, <= b)."""
    if not b > a:
        return 0
    off = {d.date() for d, t in zip(rows["date"], rows["type"], strict=False) if t == "off"}
    makeup = {
        d.date()
        for d, t in zip(rows["date"], rows["type"], strict=False)
        if t == "work" and d.weekday() > 4
    }
    n, d = 0, a + dt.timedelta(days=1)
    while d <= b:
        if d.weekday() < 5 and d not in off:
            n += 1
        d += dt.timedelta(days=1)
    return n + sum(1 for m in makeup if a < m <= b)


def test_workdays_between_is_the_formula_definition():
    rows = official_holiday_rows(D(2025, 1, 1), D(2026, 12, 31))
    cal = WorkCalendar(rows)
    rng = random.Random(11)
    for _ in range(300):
        a = D(2025, 1, 1) + dt.timedelta(days=rng.randrange(700))
        b = a + dt.timedelta(days=rng.randrange(-10, 60))
        assert cal.workdays_between(a, b) == _excel_workdays(a, b, rows), (a, b)


# ------------------------------------------------------------ vectorised -----
def test_vectorised_matches_scalar(cal):
    rng = random.Random(3)
    a = [D(2025, 6, 1) + dt.timedelta(days=rng.randrange(500)) for _ in range(300)]
    b = [x + dt.timedelta(days=rng.randrange(-20, 80)) for x in a]
    a[5] = None
    b[9] = None
    sa = pd.Series(pd.to_datetime(pd.Series(a, dtype=object)).values, index=range(10, 310))
    sb = pd.Series(pd.to_datetime(pd.Series(b, dtype=object)).values, index=range(10, 310))
    got = cal.workdays_between_many(sa, sb)
    assert str(got.dtype) == "Int64" and list(got.index) == list(range(10, 310))
    for i, (x, y) in enumerate(zip(a, b, strict=False)):
        if x is None or y is None:
            assert got.iloc[i] is pd.NA
        else:
            assert got.iloc[i] == cal.workdays_between(x, y)
    # one side a scalar, object columns of dates
    one = cal.workdays_between_many(pd.Series(a, dtype=object), D(2026, 4, 1))
    assert one.iloc[0] == cal.workdays_between(a[0], D(2026, 4, 1))
    assert one.iloc[5] is pd.NA


def test_vectorised_counts_20k_tasks(cal):
    rng = np.random.default_rng(1)
    base = np.datetime64("2025-01-01")
    pf = pd.Series(base + rng.integers(0, 700, 20_000).astype("timedelta64[D]"))
    pf = pf.astype("datetime64[ns]")
    late = cal.workdays_between_many(pf, D(2026, 4, 1))  # speed: benchmarks/, not here
    assert len(late) == 20_000
    for i in rng.integers(0, 20_000, 50):
        assert late.iloc[i] == cal.workdays_between(pf.iloc[i].date(), D(2026, 4, 1))
