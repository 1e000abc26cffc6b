"""The nightly scheduler: several workbooks in one process, on the
``schedule`` library. Which extra jobs a day brings (the weekly report on
the week's first working day, the fund report on the month's first working
day, the risk-review reminder every N weeks) is decided by
:func:`jobs_for_day`, pure; the scheduler's clock is a parameter, so its
timing is tested without waiting.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xlcollab.core.calendar import WorkCalendar
from xlcollab.nightly.outputs import LOG_NAME, append_log, side_dir
from xlcollab.nightly.run import NightlyResult, run_once
from xlcollab.nightly.signals import stop_on_signals
from xlcollab.schema.lang import tr

__all__ = [
    "DAILY",
    "WEEKLY",
    "FINANCE",
    "RISK",
    "jobs_for_day",
    "Book",
    "NightlyScheduler",
    "run_job",
]

DAILY, WEEKLY, FINANCE, RISK = "nightly", "weekly_report", "finance_report", "risk_reminder"


def jobs_for_day(
    day: dt.date,
    cal: WorkCalendar,
    *,
    weekly: bool = True,
    finance: bool = True,
    risk_weeks: int = 2,
    project_start: dt.date | None = None,
) -> list[str]:
    """The jobs a day brings besides the nightly check (pure):

    - the weekly report on the week's first working day, the day of the
      weekly meeting (Monday; Tuesday 2026-04-07 after Qingming), at the
      参数 time, before the 10:00 meeting;
    - the fund report on the first working day of the month (2026-05-06
      after Labour Day, for example);
    - the risk-review reminder on the first working day of every
      ``risk_weeks``-th week counted from the project's first week (0: never)."""
    jobs = [DAILY]
    meeting_day = cal.week_first_workday(day) == day
    if weekly and meeting_day:
        jobs.append(WEEKLY)
    if (
        finance
        and cal.is_workday(day)
        and not cal.workdays_in(day.replace(day=1), day - dt.timedelta(days=1))
    ):
        jobs.append(FINANCE)
    if risk_weeks and meeting_day:
        start = project_start or day
        week0 = start - dt.timedelta(days=start.weekday())
        weeks = (day - week0).days // 7
        if weeks >= 0 and weeks % risk_weeks == 0:
            jobs.append(RISK)
    return jobs


class _Clock:
    """A stand-in for the ``datetime`` module inside ``schedule``, whose
    ``datetime.now()`` returns the injected time."""

    def __init__(self, now: dt.datetime):
        real = dt

        class _DT(real.datetime):
            @classmethod
            def now(cls, tz=None):  # the injected clock
                return now

        self.datetime = _DT
        self.timedelta = real.timedelta
        self.time = real.time
        self.date = real.date
        self.timezone = real.timezone
        self.tzinfo = real.tzinfo


_CLOCK_LOCK = threading.Lock()


@contextlib.contextmanager
def _clock(now: dt.datetime | None):
    import schedule

    if now is None:
        yield
        return
    with _CLOCK_LOCK:
        real = schedule.datetime
        schedule.datetime = _Clock(now)
        try:
            yield
        finally:
            schedule.datetime = real


@dataclass
class Book:
    path: Path
    weekly_time: str | None = "08:00"
    finance: bool = True
    risk_weeks: int = 2
    start: dt.date | None = None
    cal: WorkCalendar | None = None


class NightlyScheduler:
    """Several workbooks in one process, on the ``schedule`` library.

    ``runner(job, book, day)`` does the work (the nightly run, a report, a
    reminder). Every method that consults time takes ``now``: the real
    loop passes the clock, tests pass any time they like."""

    def __init__(
        self,
        books: list[Book],
        at: str,
        runner: Callable[[str, Book, dt.date], Any],
        now: dt.datetime | None = None,
    ):
        import schedule

        if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", at):
            raise ValueError(f"--at: HH:MM, not {at!r}")
        self.books, self.at, self.runner = books, at, runner
        self.scheduler = schedule.Scheduler()
        self.stop = threading.Event()
        self.ran: list[tuple[dt.datetime, str, str]] = []
        self.started: dt.datetime | None = None  # the start of the job running now
        with _clock(now):
            self.scheduler.every().day.at(at).do(self._daily)
            for b in books:
                if b.weekly_time:  # daily; runs on the week's meeting day only
                    self.scheduler.every().day.at(b.weekly_time).do(self._weekly, b)
        self._now: dt.datetime | None = now

    def now(self) -> dt.datetime:
        """The scheduler's clock: the time a test injected, else the machine's. The one place
        the nightly scheduler reads the clock (the ``schedule`` library reads it too, through
        the same injection: :func:`_clock`)."""
        return self._now or dt.datetime.now()

    def _call(self, job: str, book: Book, day: dt.date):
        if self.stop.is_set():
            return
        self.started = self.now()  # when the running job began (its status page says so)
        self.ran.append((self.started, job, str(book.path)))
        self.runner(job, book, day)

    def _daily(self):
        day = self.now().date()
        for b in self.books:
            cal = b.cal or WorkCalendar()
            for job in jobs_for_day(
                day,
                cal,
                weekly=False,
                finance=b.finance,
                risk_weeks=b.risk_weeks,
                project_start=b.start,
            ):
                self._call(job, b, day)

    def _weekly(self, book: Book):
        now = self.now()
        due = dt.time.fromisoformat(book.weekly_time)
        # a run the scheduler catches up on after midnight is not today's
        if now.time() >= due and WEEKLY in jobs_for_day(
            now.date(), book.cal or WorkCalendar(), finance=False, risk_weeks=0
        ):
            self._call(WEEKLY, book, now.date())

    def run_pending(self, now: dt.datetime | None = None) -> None:
        self._now = now
        with _clock(now):
            self.scheduler.run_pending()

    def next_run(self, now: dt.datetime | None = None) -> dt.datetime | None:
        with _clock(now):
            return self.scheduler.next_run

    def idle_seconds(self, now: dt.datetime | None = None) -> float | None:
        with _clock(now):
            return self.scheduler.idle_seconds

    def serve(self, poll: float = 30.0) -> None:
        """Run until SIGTERM/SIGINT. A job in progress finishes (its history
        transaction commits, its write-back is atomic); then the loop ends.
        A second signal abandons the run cleanly: the history transaction
        rolls back and the workbook is left as it was."""
        with stop_on_signals(self.stop):
            while not self.stop.is_set():
                self.run_pending()
                wait = self.idle_seconds()
                self.stop.wait(min(poll, max(1.0, wait if wait is not None else poll)))


_EVERY_WEEKS = {1: "每周", 2: "每两周", 3: "每三周", 4: "每四周"}


def _latest_slippage(path: Path, data, hist, shared: bool, cal: WorkCalendar):
    """The workbook against its most recent baseline, for the weekly report;
    None when there is none or the history cannot be read (the report is
    still written, its slippage section then says no baseline was chosen)."""
    import sqlite3

    from xlcollab.history import HistoryError, workbook_slippage

    try:
        return workbook_slippage(path, data, None, override=hist, shared=shared, cal=cal)
    except (sqlite3.DatabaseError, HistoryError):
        return None


def run_job(
    job: str,
    book: Book,
    day: dt.date,
    *,
    history=(None, False),
    lang: str | None = None,
    echo: Callable | None = None,
    out: Path | None = None,
    generated_at: dt.datetime | None = None,
):
    """One scheduled job for one workbook: the nightly run, the weekly
    report as of ``day`` (against the most recent baseline, when there is
    one), the fund report of the month before ``day``'s (run on a month's
    first working day, it covers the month just ended) or the risk-review
    reminder (to the notification log). Returns the result, the file
    written or the reminder's text.

    A job that fails is reported, never raised, so one workbook cannot stop
    the others: ``echo`` gets a failed :class:`NightlyResult` and an
    ``error`` line goes to the findings log beside the history (an
    unattended scheduler leaves a trace); the job returns None."""
    hist, shared = history
    out = out or book.path.parent / "reports"
    try:
        if job == DAILY:
            r = run_once(
                book.path,
                day,
                history=hist,
                lang=lang,
                shared=shared,
                generated_at=generated_at,
            )
            if echo:
                echo(r)
            return r
        from xlcollab.io import COMMAND_SHEETS, read_workbook

        data = read_workbook(book.path, lang=lang, sheets=COMMAND_SHEETS)
        lg = lang or data.lang
        cal = WorkCalendar.from_holidays(data.tables.get("holidays"))
        if job == WEEKLY:
            from xlcollab.reports import generate

            out.mkdir(parents=True, exist_ok=True)
            return generate(
                "weekly",
                data,
                out,
                as_of=day,
                lang=lg,
                cal=cal,
                base_dir=book.path.parent,
                slip=_latest_slippage(book.path, data, hist, shared, cal),
            )
        if job == FINANCE:
            from xlcollab.core.money import month_period
            from xlcollab.finance.pipeline import monthly_finance
            from xlcollab.io.save import save_new_workbook

            last = day.replace(day=1) - dt.timedelta(days=1)
            mf = monthly_finance(data, month_period(f"{last:%Y-%m}"), day, cal, lg)
            out.mkdir(parents=True, exist_ok=True)
            target = out / mf.filename("xlsx")
            save_new_workbook(mf.workbook(), target, overwrite=True)
            return target
        if job == RISK:
            from xlcollab.history import history_path
            from xlcollab.nightly.notify import NotifyConfig, log_note

            hfile = history_path(book.path, data.setting("history_path"), hist, shared=shared)
            cfg = NotifyConfig.from_env(
                settings=data.settings, log_path=side_dir(hfile) / "notify.log"
            )
            n = book.risk_weeks
            text = tr(
                lg,
                f"【xlcollab】{data.overview.get('name') or book.path.name}：{day} "
                f"请复核《项目风险登记册》（{_EVERY_WEEKS.get(n, f'每{n}周')}一次）",
                f"[xlcollab] {data.overview.get('name') or book.path.name}: {day} "
                f"review the risk register ({'every week' if n == 1 else f'every {n} weeks'})",
            )
            log_note(cfg, text)
            return text
    except Exception as exc:  # noqa: BLE001 - one failing job never stops the scheduler
        from xlcollab.history import history_path

        error = f"{job}: {type(exc).__name__}: {exc}"
        with contextlib.suppress(OSError):
            append_log(
                side_dir(history_path(book.path, None, hist, shared=shared)) / LOG_NAME,
                [
                    {
                        "type": "error",
                        "workbook": book.path.name,
                        "as_of": day.isoformat(),
                        "job": job,
                        "message": error,
                    }
                ],
            )
        if echo:
            echo(NightlyResult(workbook=str(book.path), as_of=day, ok=False, error=error))
    return None
