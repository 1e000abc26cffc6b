"""The project's dates as RFC 5545 calendars (Outlook, DingTalk, Feishu).

:func:`project_calendars` returns one file per audience, so that each person
subscribes only to what concerns them:

- **周例会 (weekly meeting)**: one event on the first working day of every
  week of the project, at the 参数 time (周例会时间, Beijing time), with an
  ``Asia/Shanghai`` VTIMEZONE. The day is the one the nightly job produces
  the weekly report on (:meth:`WorkCalendar.week_first_workday`): Monday, or
  Tuesday 2026-04-07 after the Qingming Monday; a week that is all holiday
  has no meeting.
- **里程碑 (milestones)**: an all-day event per row of 里程碑 on its planned
  date (the actual date, when reached, in the description).
- **one file per owner**: an all-day event on the planned finish of each of
  their tasks (leaf rows of 任务清单; a WBS row with children is a summary
  row, not a task).

Every event has a stable UID (from the project's name and the row's WBS
code, milestone name or week), so importing a newer export updates the
events instead of duplicating them. ``DTSTAMP`` is the ``as_of`` date: the
clock is never read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from xlcollab.core.calendar import WorkCalendar
from xlcollab.core.network import schedule
from xlcollab.model import ProjectData, is_missing
from xlcollab.model.dates import to_date
from xlcollab.schema import STATUS
from xlcollab.schema.lang import tr

TZ = ZoneInfo("Asia/Shanghai")
PRODID = "-//xlcollab//cross-department project//ZH"
_TIME = re.compile(r"^\s*(\d{1,2})[:：](\d{2})\s*(?:[-–—~～至到]\s*(\d{1,2})[:：](\d{2}))?\s*$")
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
_WEEKDAY = {"zh": "一二三四五六日", "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")}


class CalendarExportError(ValueError):
    """A setting the calendars need is unusable; the message is for the user."""


@dataclass(frozen=True)
class MeetingTime:
    start: dt.time
    end: dt.time


def meeting_time(text, lang: str = "zh") -> MeetingTime:
    """``10:00-11:00`` (or ``10:00``, one hour) as a :class:`MeetingTime`."""
    m = _TIME.match(str(text or ""))
    if not m:
        raise CalendarExportError(
            tr(
                lang,
                f"参数“周例会时间”应为 10:00-11:00 这样的时间段：{text!r}",
                f"The setting 'Weekly meeting time' should look like 10:00-11:00: {text!r}",
            )
        )
    try:
        start = dt.time(int(m.group(1)), int(m.group(2)))
        end = (
            dt.time(int(m.group(3)), int(m.group(4)))
            if m.group(3)
            else (dt.datetime.combine(dt.date.min, start) + dt.timedelta(hours=1)).time()
        )
    except ValueError:
        raise CalendarExportError(
            tr(
                lang,
                f"参数“周例会时间”不是有效时间：{text!r}",
                f"The setting 'Weekly meeting time' is not a valid time: {text!r}",
            )
        ) from None
    if end <= start:
        raise CalendarExportError(
            tr(
                lang,
                f"参数“周例会时间”的结束时间应晚于开始时间：{text!r}",
                f"The weekly meeting should end after it starts: {text!r}",
            )
        )
    return MeetingTime(start, end)


def project_key(data: ProjectData) -> str:
    """A short stable key of the project for event UIDs."""
    name = str(data.overview.get("name") or "project")
    return hashlib.sha1(name.encode("utf-8")).hexdigest()[:10]


def safe_filename(text: str) -> str:
    """``text`` without characters a file name cannot hold."""
    cleaned = _UNSAFE.sub("_", str(text)).strip().strip(".")
    return cleaned or "_"


def meeting_days(data: ProjectData, cal: WorkCalendar) -> list[dt.date]:
    """The weekly meeting's days from the project's start to its end."""
    start = to_date(data.overview.get("start_date"))
    end = to_date(data.overview.get("end_date"))
    if start is None or end is None or end < start:
        return []
    out = []
    monday = start - dt.timedelta(days=start.weekday())
    while monday <= end:
        day = cal.week_first_workday(monday)
        if day is not None and start <= day <= end:
            out.append(day)
        monday += dt.timedelta(days=7)
    return out


def _new_calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Asia/Shanghai")
    return cal


def _all_day(uid: str, day: dt.date, summary: str, description: str, stamp: dt.datetime) -> Event:
    ev = Event()
    ev.add("uid", uid)
    ev.add("dtstamp", stamp)
    ev.add("dtstart", day)
    ev.add("dtend", day + dt.timedelta(days=1))
    ev.add("summary", summary)
    if description:
        ev.add("description", description)
    ev.add("transp", "TRANSPARENT")
    return ev


def _lines(*parts: str | None) -> str:
    return "\n".join(p for p in parts if p)


def _text(value) -> str | None:
    return None if is_missing(value) else str(value).strip() or None


def project_calendars(
    data: ProjectData, cal: WorkCalendar, as_of: dt.date, lang: str | None = None
) -> dict[str, bytes]:
    """File name -> .ics bytes: the weekly meeting, the milestones and one
    file per owner (see the module docstring)."""
    lang = lang or data.lang
    key = project_key(data)
    project = str(data.overview.get("name") or "")
    stamp = dt.datetime.combine(as_of, dt.time(0, 0), tzinfo=dt.UTC)
    files: dict[str, Calendar] = {}

    # -- the weekly meeting
    when = meeting_time(data.setting("meeting_time"), lang)
    name = tr(lang, "周例会", "Weekly meeting") + tr(lang, f"：{project}", f": {project}")
    meetings = _new_calendar(name)
    for day in meeting_days(data, cal):
        monday = day - dt.timedelta(days=day.weekday())
        ev = Event()
        iso = day.isocalendar()
        ev.add("uid", f"weekly-{iso.year}-W{iso.week:02d}-{key}@xlcollab")
        ev.add("dtstamp", stamp)
        ev.add("dtstart", dt.datetime.combine(day, when.start, tzinfo=TZ))
        ev.add("dtend", dt.datetime.combine(day, when.end, tzinfo=TZ))
        ev.add("summary", name)
        moved = None
        if day != monday:
            weekday = _WEEKDAY[lang][day.weekday()]
            moved = tr(
                lang,
                f"本周一（{monday.isoformat()}）不是工作日，例会改在周{weekday}",
                f"Monday {monday.isoformat()} is not a working day; the meeting moves to {weekday}",
            )

        ev.add(
            "description",
            _lines(
                tr(
                    lang,
                    "各部门5分钟汇报 + 聚焦问题",
                    "5 minutes per department, then the problems",
                ),
                moved,
            ),
        )
        meetings.add_component(ev)
    if meetings.walk("VEVENT"):
        # the times are Beijing time: describe the zone from the project's
        # start on (China has kept no daylight saving time since 1991)
        meetings.add_missing_timezones(first_date=to_date(data.overview.get("start_date")))
    files[tr(lang, "周例会.ics", "weekly-meeting.ics")] = meetings

    # -- milestones
    ms_cal = _new_calendar(tr(lang, "里程碑：", "Milestones: ") + project)
    frame = data.tables.get("milestones")
    for _, rec in frame.iterrows() if frame is not None else []:
        ms_name, day = _text(rec.get("name")), to_date(rec.get("planned_date"))
        if ms_name is None or day is None:
            continue
        actual = to_date(rec.get("actual_date"))
        digest = hashlib.sha1(ms_name.encode("utf-8")).hexdigest()[:10]
        ms_cal.add_component(
            _all_day(
                f"milestone-{digest}-{key}@xlcollab",
                day,
                tr(lang, "里程碑：", "Milestone: ") + ms_name,
                _lines(
                    tr(lang, f"项目：{project}", f"Project: {project}"),
                    tr(lang, f"关联任务：{rec.get('tasks')}", f"Tasks: {rec.get('tasks')}")
                    if _text(rec.get("tasks"))
                    else None,
                    tr(lang, f"已于 {actual.isoformat()} 达成", f"Reached on {actual.isoformat()}")
                    if actual
                    else None,
                ),
                stamp,
            )
        )
    files[tr(lang, "里程碑.ics", "milestones.ics")] = ms_cal

    # -- each owner's deadlines
    tasks = data.tables["tasks"]
    summary = schedule(tasks, cal).tasks["summary"].fillna(False)
    by_owner: dict[str, Calendar] = {}
    for row, rec in tasks.iterrows():
        owner, code, title = _text(rec.get("owner")), _text(rec.get("wbs")), _text(rec.get("name"))
        finish = to_date(rec.get("planned_finish"))
        if bool(summary.loc[row]) or not (owner and code and title and finish):
            continue
        if owner not in by_owner:
            by_owner[owner] = _new_calendar(
                tr(lang, f"{owner}的任务截止日期：", f"{owner}'s deadlines: ") + project
            )
        status = rec.get("status")
        status_text = STATUS.label(status, lang) if status in STATUS.keys else None
        by_owner[owner].add_component(
            _all_day(
                f"deadline-{code}-{key}@xlcollab",
                finish,
                tr(lang, f"截止：{code} {title}", f"Due: {code} {title}"),
                _lines(
                    tr(lang, f"项目：{project}", f"Project: {project}"),
                    tr(
                        lang,
                        f"交付物：{rec.get('deliverable')}",
                        f"Deliverable: {rec.get('deliverable')}",
                    )
                    if _text(rec.get("deliverable"))
                    else None,
                    tr(lang, f"状态：{status_text}", f"Status: {status_text}")
                    if status_text
                    else None,
                ),
                stamp,
            )
        )
    for owner, owner_cal in by_owner.items():
        stem = safe_filename(owner)
        files[tr(lang, f"截止日期-{stem}.ics", f"deadlines-{stem}.ics")] = owner_cal

    return {fname: c.to_ical() for fname, c in files.items()}


__all__ = [
    "CalendarExportError",
    "MeetingTime",
    "meeting_days",
    "meeting_time",
    "project_calendars",
    "project_key",
    "safe_filename",
]
