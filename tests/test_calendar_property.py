"""The calendar's array counts equal a day-by-day count, on random dates
across 2025-2027 with the real holidays, make-up working days (调休) and
random overrides of the 节假日 sheet."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from xlcollab.core.calendar import WorkCalendar, package_years

LO, HI = dt.date(2025, 1, 1), dt.date(2027, 12, 31)
days = st.dates(min_value=LO, max_value=HI)


def reference_workday(d: dt.date, off: set, work: set) -> bool:
    """One day, the plain way: an override decides its date, then the
    State Council's schedule for the years the package knows, else Monday
    to Friday."""
    weekday = d.weekday() < 5
    if d in off or d in work:
        return (weekday and d not in off) or (not weekday and d in work)
    if d.year in package_years():
        return chinese_calendar.is_workday(d)
    return weekday


def reference_between(a: dt.date, b: dt.date, off: set, work: set) -> int:
    """Working days d with a < d <= b."""
    n, d = 0, a + dt.timedelta(days=1)
    while d <= b:
        n += reference_workday(d, off, work)
        d += dt.timedelta(days=1)
    return n


def calendar(off: set, work: set) -> WorkCalendar:
    rows = [{"date": d, "type": "off"} for d in sorted(off)]
    rows += [{"date": d, "type": "work"} for d in sorted(work - off)]
    return WorkCalendar.from_holidays(pd.DataFrame(rows, columns=["date", "type"]))


overrides = st.tuples(st.sets(days, max_size=4), st.sets(days, max_size=4))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(days, days), min_size=1, max_size=15), overrides)
def test_workdays_between_many_is_the_day_by_day_count(pairs, ov):
    off, work = ov
    work = work - off
    cal = calendar(off, work)
    a = pd.Series([pd.Timestamp(x) for x, _ in pairs])
    b = pd.Series([pd.Timestamp(y) for _, y in pairs])
    got = cal.workdays_between_many(a, b).tolist()
    assert got == [reference_between(x, y, off, work) for x, y in pairs]
    assert [cal.workdays_between(x, y) for x, y in pairs] == got


@settings(max_examples=60, deadline=None)
@given(st.lists(days, min_size=1, max_size=20), overrides)
def test_is_workday_many_is_the_day_by_day_answer(ds, ov):
    off, work = ov
    work = work - off
    cal = calendar(off, work)
    got = cal.is_workday_many(pd.Series([pd.Timestamp(d) for d in ds])).tolist()
    assert got == [reference_workday(d, off, work) for d in ds]


@settings(max_examples=60, deadline=None)
@given(days, st.integers(-300, 300))
def test_add_workdays_steps_over_the_right_days(d, n):
    cal = WorkCalendar()
    got = cal.add_workdays(d, n)
    if n == 0:
        assert got == d
        return
    assert reference_workday(got, set(), set())  # it lands on a working day
    one = dt.timedelta(days=1)
    if n > 0:  # the n-th working day after d
        assert reference_between(d, got, set(), set()) == n
    else:  # the |n|-th working day before d
        assert reference_between(got - one, d - one, set(), set()) == -n
