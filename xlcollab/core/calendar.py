"""Working days on the Chinese calendar.

A working day is a weekday that is not a public holiday, or a weekend day
that is an official make-up workday (调休上班). The official days come from
the ``chinese_calendar`` package (pip ``chinesecalendar``), which knows the
State Council's schedule for a fixed range of years (2004-2026 in 1.11);
the 节假日 sheet adds overrides (company shutdowns, extra workdays, and the
schedule of a year the package does not know yet).

How the two combine, per date:

- a date listed in the overrides is decided by the overrides alone, with the
  rule the workbook formulas use (:func:`xlcollab.schema.workdays_expr`): a
  weekday is off when an ``off`` row names it; a weekend day works when a
  ``work`` row names it. (So ``work`` on a weekday and ``off`` on a weekend
  change nothing.)
- any other date is decided by the package when it knows the year, else by
  Monday-Friday, and that year is reported by :meth:`WorkCalendar.coverage_warnings`
  (and remembered in :attr:`WorkCalendar.uncovered_seen`), never silently.

Because ``xlcollab init`` prefills the 节假日 sheet with the package's rows,
the workbook's NETWORKDAYS formulas and this class agree. A calendar built
with ``use_package=False`` sees only the sheet, exactly like the formulas
(useful when the sheet is known to be the whole truth).

``workdays_between(a, b)`` counts the working days d with a < d <= b (0 when
b <= a): the definition :func:`xlcollab.schema.workdays_expr` writes as an
Excel formula. The vectorised forms work on a sorted array of working-day
numbers with :func:`numpy.searchsorted`, so 20,000 tasks take milliseconds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import numpy as np
import pandas as pd

from xlcollab.model.dates import to_date, to_dates
from xlcollab.schema import HOLIDAYS
from xlcollab.schema.lang import tr

try:  # the package is a declared dependency; keep import errors readable
    import chinese_calendar as _cc
    from chinese_calendar import constants as _ccc
except ImportError as exc:  # pragma: no cover - the dependency is declared
    raise ImportError(
        "xlcollab needs the 'chinesecalendar' package (pip install chinesecalendar)"
    ) from exc

__all__ = [
    "WorkCalendar",
    "CalendarCoverageError",
    "HOLIDAY_NAMES_ZH",
    "HOLIDAY_NAMES_EN",
    "package_years",
    "official_holiday_rows",
    "default_holiday_years",
]

_EPOCH = dt.date(1970, 1, 1)
_NAT = np.iinfo(np.int64).min  # day-number stand-in for a missing date

# The package's English holiday names, in Chinese and English as the 节假日
# sheet shows them.
HOLIDAY_NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}
HOLIDAY_NAMES_EN = {
    "New Year's Day": "New Year's Day",
    "Spring Festival": "Spring Festival",
    "Tomb-sweeping Day": "Qingming Festival",
    "Labour Day": "Labour Day",
    "Dragon Boat Festival": "Dragon Boat Festival",
    "National Day": "National Day",
    "Mid-autumn Festival": "Mid-Autumn Festival",
    "Anti-Fascist 70th Day": "Victory Day (70th anniversary)",
}
_MAKEUP_SUFFIX = ("调休上班", "make-up workday")  # zh, en
_SOURCE = ("国务院", "State Council")  # zh, en


class CalendarCoverageError(ValueError):
    """A date falls in a year neither the package nor the overrides cover
    (raised only by a calendar built with ``strict=True``)."""


def package_years() -> range:
    """The years the installed ``chinese_calendar`` knows."""
    years = [d.year for d in _ccc.holidays]
    return range(min(years), max(years) + 1)


def default_holiday_years(today: dt.date) -> range:
    """Years to prefill on a new workbook's 节假日 sheet: this year and the
    next, as far as the package knows them (the caller passes ``today``)."""
    known = package_years()
    first, last = max(today.year, known.start), min(today.year + 1, known.stop - 1)
    return range(first, last + 1) if first <= last else range(0)


def _dn(d: dt.date) -> int:
    return (d - _EPOCH).days


def _from_dn(n: int) -> dt.date:
    return _EPOCH + dt.timedelta(days=int(n))


def _day_numbers(values) -> np.ndarray:
    """int64 day numbers of a Series/array/list of dates; missing -> _NAT."""
    s = (
        values
        if isinstance(values, pd.Series)
        else pd.Series(
            values if isinstance(values, np.ndarray) else list(values),
            dtype=None if isinstance(values, np.ndarray) else object,
        )
    )
    if not pd.api.types.is_datetime64_any_dtype(s.dtype):
        s = to_dates(s)
    arr = s.to_numpy().astype("datetime64[D]")
    out = arr.astype(np.int64)
    out[np.isnat(arr)] = _NAT
    return out


class WorkCalendar:
    """Working days: the package's official schedule plus the 节假日 overrides.

    ``overrides`` is a frame shaped like the holidays sheet (columns ``date``
    and ``type`` with keys ``off`` / ``work``; other columns ignored).
    """

    def __init__(
        self,
        overrides: pd.DataFrame | None = None,
        *,
        use_package: bool = True,
        strict: bool = False,
    ):
        self.use_package = use_package
        self.strict = strict
        self._off: set[dt.date] = set()
        self._work: set[dt.date] = set()
        if overrides is not None and len(overrides):
            for d, kind in zip(overrides["date"], overrides["type"], strict=False):
                day = to_date(d)
                if day is None or kind is None or (not isinstance(kind, str) and pd.isna(kind)):
                    continue
                kind = str(kind).strip()
                if kind == "off":
                    self._off.add(day)
                elif kind == "work":
                    self._work.add(day)
        self._overridden = self._off | self._work
        self._package_years = package_years() if use_package else range(0)
        # years the overrides cover: at least one 'off' row in the year
        self._override_years = frozenset(d.year for d in self._off)
        self.uncovered_seen: set[int] = set()
        self._lo = self._hi = 0
        self._wd = np.empty(0, dtype=np.int64)
        self._ensure(_dn(dt.date(2000, 1, 1)), _dn(dt.date(2030, 12, 31)))

    # ------------------------------------------------------------ building --
    @classmethod
    def from_holidays(cls, holidays: pd.DataFrame | None = None, **kw) -> WorkCalendar:
        """A calendar from the 节假日 sheet's frame (the usual way)."""
        return cls(holidays, **kw)

    def _ensure(self, lo: int, hi: int) -> None:
        """Make the working-day array cover day numbers [lo, hi]."""
        if self._wd.size and lo >= self._lo and hi <= self._hi:
            return
        lo = min(lo, self._lo) if self._wd.size else lo
        hi = max(hi, self._hi) if self._wd.size else hi
        lo -= 366
        hi += 366
        days = np.arange(lo, hi + 1, dtype=np.int64)
        weekday = (days + 3) % 7 < 5  # 1970-01-01 was a Thursday
        work = weekday.copy()
        if len(self._package_years):
            for source, value in ((_ccc.holidays, False), (_ccc.workdays, True)):
                nums = np.fromiter((_dn(d) for d in source), dtype=np.int64)
                nums = nums[(nums >= lo) & (nums <= hi)]
                work[nums - lo] = value
        if self._overridden:
            for d in self._overridden:
                n = _dn(d)
                if lo <= n <= hi:
                    wk = bool(weekday[n - lo])
                    work[n - lo] = (wk and d not in self._off) or (not wk and d in self._work)
        self._lo, self._hi = lo, hi
        self._wd = days[work]

    def _decide(self, d: dt.date) -> bool:
        weekday = d.weekday() < 5
        if d in self._overridden:
            return (weekday and d not in self._off) or (not weekday and d in self._work)
        if d.year in self._package_years:
            return _cc.is_workday(d)
        return weekday

    # ------------------------------------------------------------ coverage --
    @property
    def covered_years(self) -> frozenset[int]:
        """Years whose holidays are known: the package's and those with at
        least one 'off' row in the overrides."""
        return frozenset(self._package_years) | self._override_years

    def is_covered(self, d) -> bool:
        day = to_date(d)
        return day is None or day.year in self.covered_years

    def uncovered_years(self, dates: Iterable) -> list[int]:
        """The years among ``dates`` (missing values ignored) that neither the
        package nor the overrides cover, sorted."""
        years = set()
        for d in dates:
            day = to_date(d)
            if day is not None and day.year not in self.covered_years:
                years.add(day.year)
        return sorted(years)

    def coverage_warnings(self, dates: Iterable = (), lang: str = "zh") -> list[str]:
        """One message per year that ``dates`` (plus any year a calculation
        already touched) reach but nobody covers: its working days are a
        Monday-Friday guess until the 节假日 sheet lists its holidays."""
        years = sorted(set(self.uncovered_years(dates)) | self.uncovered_seen)
        return [
            tr(
                lang,
                f"{y}年的法定节假日未知（日历组件只包含{self._span()}），"
                f"该年按周一至周五计算工作日；请在“{HOLIDAYS.zh}”表补充{y}年的放假和调休安排",
                f"Public holidays for {y} are unknown (the calendar package covers "
                f"{self._span()}); working days in {y} are counted Monday-Friday. Add {y}'s "
                f"holidays and make-up workdays to the {HOLIDAYS.en} sheet",
            )
            for y in years
        ]

    def _span(self) -> str:
        r = self._package_years
        return f"{r.start}-{r.stop - 1}" if len(r) else "-"

    def _touch(self, *days: dt.date) -> None:
        for d in days:
            if d.year not in self.covered_years:
                if self.strict:
                    raise CalendarCoverageError(
                        f"no holiday data for {d.year}; add it to the holidays sheet"
                    )
                self.uncovered_seen.add(d.year)

    def _touch_numbers(self, numbers: np.ndarray) -> None:
        valid = numbers[numbers != _NAT]
        if not valid.size:
            return
        years = np.unique(valid.astype("datetime64[D]").astype("datetime64[Y]").astype(int) + 1970)
        for y in years:
            self._touch(dt.date(int(y), 1, 1))

    # ------------------------------------------------------------- scalars --
    def is_workday(self, d) -> bool:
        day = to_date(d)
        if day is None:
            raise ValueError("is_workday needs a date")
        self._touch(day)
        return self._decide(day)

    def workdays_between(self, a, b) -> int:
        """Working days d with a < d <= b; 0 when b <= a."""
        da, db = to_date(a), to_date(b)
        if da is None or db is None:
            raise ValueError("workdays_between needs two dates")
        if db <= da:
            return 0
        self._touch(da, db)
        na, nb = _dn(da), _dn(db)
        self._ensure(na, nb)
        return int(np.searchsorted(self._wd, nb, "right") - np.searchsorted(self._wd, na, "right"))

    def add_workdays(self, d, n: int) -> dt.date:
        """The n-th working day after ``d`` (before it when n < 0); ``d``
        itself when n == 0. So ``workdays_between(d, add_workdays(d, n)) == n``
        for n >= 0."""
        day = to_date(d)
        if day is None:
            raise ValueError("add_workdays needs a date")
        n = int(n)
        if n == 0:
            return day
        nd = _dn(day)
        # working days are at least 2/7 of all days; make room for n of them
        span = abs(n) * 4 + 30
        self._ensure(nd - (span if n < 0 else 0), nd + (span if n > 0 else 0))
        if n > 0:
            i = int(np.searchsorted(self._wd, nd, "right")) + n - 1
        else:
            i = int(np.searchsorted(self._wd, nd, "left")) + n
        result = _from_dn(int(self._wd[i]))
        self._touch(day, result)
        return result

    def next_workday(self, d) -> dt.date:
        return self.add_workdays(d, 1)

    def week_first_workday(self, d) -> dt.date | None:
        """The first working day of the week (Monday to Sunday) that holds
        ``d``; None when the whole week is off. The weekly meeting's day:
        Monday, or Tuesday 2026-04-07 after the Qingming Monday."""
        day = to_date(d)
        if day is None:
            raise ValueError("week_first_workday needs a date")
        monday = day - dt.timedelta(days=day.weekday())
        days = self.workdays_in(monday, monday + dt.timedelta(days=6))
        return days[0] if days else None

    def workdays_in(self, start, end) -> list[dt.date]:
        """The working days in [start, end]."""
        ds, de = to_date(start), to_date(end)
        if ds is None or de is None:
            raise TypeError(f"workdays_in needs two dates, not {start!r} and {end!r}")
        if de < ds:
            return []
        self._touch(ds, de)
        ns, ne = _dn(ds), _dn(de)
        self._ensure(ns, ne)
        lo = np.searchsorted(self._wd, ns, "left")
        hi = np.searchsorted(self._wd, ne, "right")
        return [_from_dn(int(x)) for x in self._wd[lo:hi]]

    # ---------------------------------------------------------- vectorised --
    def workdays_between_many(self, a, b) -> pd.Series:
        """Element-wise :meth:`workdays_between` for Series/arrays of dates
        (either side may be one scalar date). Missing dates give <NA>.
        Returns an Int64 Series (index from ``a`` or ``b`` when a Series)."""
        index = (
            a.index if isinstance(a, pd.Series) else (b.index if isinstance(b, pd.Series) else None)
        )
        na_, nb_ = self._numbers(a), self._numbers(b)
        na_, nb_ = np.broadcast_arrays(na_, nb_)
        missing = (na_ == _NAT) | (nb_ == _NAT)
        valid = ~missing
        out = np.zeros(na_.shape, dtype=np.int64)
        if valid.any():
            va, vb = na_[valid], nb_[valid]
            self._touch_numbers(np.concatenate([va, vb]))
            self._ensure(int(min(va.min(), vb.min())), int(max(va.max(), vb.max())))
            counts = np.searchsorted(self._wd, vb, "right") - np.searchsorted(self._wd, va, "right")
            out[valid] = np.where(vb > va, counts, 0)
        result = pd.array(out, dtype="Int64")
        result[missing] = pd.NA
        return pd.Series(result, index=index)

    def is_workday_many(self, dates) -> pd.Series:
        """Element-wise :meth:`is_workday`; missing dates give <NA>."""
        index = dates.index if isinstance(dates, pd.Series) else None
        nums = self._numbers(dates)
        missing = nums == _NAT
        out = np.zeros(nums.shape, dtype=bool)
        if (~missing).any():
            v = nums[~missing]
            self._touch_numbers(v)
            self._ensure(int(v.min()), int(v.max()))
            pos = np.searchsorted(self._wd, v, "left")
            pos = np.minimum(pos, self._wd.size - 1)
            out[~missing] = self._wd[pos] == v
        result = pd.array(out, dtype="boolean")
        result[missing] = pd.NA
        return pd.Series(result, index=index)

    @staticmethod
    def _numbers(values) -> np.ndarray:
        if isinstance(values, (pd.Series, pd.Index, np.ndarray, list, tuple)):
            return _day_numbers(values)
        day = to_date(values)
        return np.array([_NAT if day is None else _dn(day)], dtype=np.int64)


def official_holiday_rows(start, end, lang: str = "zh") -> pd.DataFrame:
    """The State Council's holidays ('off', weekends inside a holiday
    included) and make-up workdays ('work') in [start, end], as a frame
    shaped like the 节假日 sheet (schema ``holidays`` columns), sorted by
    date. Only years the package knows are listed; see
    :func:`package_years`."""
    from xlcollab.model.frames import frame

    ds, de = to_date(start), to_date(end)
    names = tr(lang, HOLIDAY_NAMES_ZH, HOLIDAY_NAMES_EN)
    source = tr(lang, *_SOURCE)
    suffix = tr(lang, *_MAKEUP_SUFFIX)
    records = []
    for d, name in _ccc.holidays.items():
        if ds <= d <= de:
            records.append(
                {"date": d, "type": "off", "name": names.get(name, name), "source": source}
            )
    for d, name in _ccc.workdays.items():
        if ds <= d <= de:
            label = names.get(name, name)
            label = tr(lang, f"{label}{suffix}", f"{label} {suffix}")
            records.append({"date": d, "type": "work", "name": label, "source": source})
    records.sort(key=lambda r: r["date"])
    return frame("holidays", records)
