"""The task checklist as MS Project XML (MSPDI, ``mspdi_pj12.xsd``).

What the file holds, and where each workbook field goes:

==================  ==========================================================
workbook            MSPDI
==================  ==========================================================
WBS编码              ``Task/WBS``; the outline (``OutlineLevel``,
                    ``OutlineNumber``) follows the codes: a WBS row with
                    children is a summary task (``Summary`` 1)
任务名称              ``Task/Name``
计划开始/计划完成       ``Start``/``Finish`` (08:00 and 17:00); a "start no
                    earlier than" constraint on the planned start, as the
                    schedule module reads it
duration            working days on the project calendar, planned start to
                    planned finish both included (``Duration`` in hours of
                    8-hour days, ``DurationFormat`` 7 = days)
实际开始/实际完成       ``ActualStart``/``ActualFinish``
完成比例              ``PercentComplete`` (0-100); 已完成 without a figure is 100
前置任务              ``PredecessorLink``: finish-to-start (``Type`` 1); the
                    lag in working days when a link carries one
责任人                a work resource (``Resources``, with the 组织架构
                    department as ``Group`` and the e-mail) assigned to each
                    leaf task (``Assignments``), and ``Contact`` on every task
备注                  ``Notes``
阶段, 负责部门, 交付物,   the task custom fields Text1-Text6, named in the
状态, 阻塞原因, 审批     file's ``ExtendedAttributes``
里程碑 sheet          a milestone task per row (``Milestone`` 1, zero
                    duration) after the WBS, linked from its 关联任务;
                    Text7 names the sheet a task comes from
节假日 and the         the project calendar: Monday-Friday 08:00-12:00 and
package's schedule    13:00-17:00, each holiday a non-working exception and
                    each make-up workday a working exception
==================  ==========================================================

Element order follows the schema's sequences (MS Project ignores an element
out of order). The XML is built with :mod:`xml.etree.ElementTree`, so every
text from the workbook is escaped by the serializer.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

import pandas as pd

from xlcollab.core.calendar import WorkCalendar, official_holiday_rows
from xlcollab.core.network import schedule, split_codes, wbs_key
from xlcollab.io.ooxml import xml_safe
from xlcollab.model import ProjectData, is_missing
from xlcollab.model.dates import to_date
from xlcollab.schema import MILESTONES, PHASE, STATUS, TASKS, YES_NO
from xlcollab.schema.lang import tr

NS = "http://schemas.microsoft.com/project"
DAY_START = dt.time(8, 0)
DAY_FINISH = dt.time(17, 0)
WORKING_TIMES = ((dt.time(8, 0), dt.time(12, 0)), (dt.time(13, 0), dt.time(17, 0)))
HOURS_PER_DAY = 8
DAYS_FORMAT = 7  # DurationFormat / LagFormat: days
LINK_FS = 1  # PredecessorLink/Type: 0 FF, 1 FS, 2 SF, 3 SS
CONSTRAINT_ASAP = 0
CONSTRAINT_SNET = 4  # start no earlier than
CALENDAR_UID = 1

# Task custom fields: (schema sheet, column key) -> (MSPDI field id, field name)
CUSTOM_FIELDS: dict[str, tuple[int, str]] = {
    "phase": (188743731, "Text1"),
    "department": (188743734, "Text2"),
    "deliverable": (188743737, "Text3"),
    "status": (188743740, "Text4"),
    "blocked_reason": (188743743, "Text5"),
    "approved": (188743746, "Text6"),
    "sheet": (188743747, "Text7"),
}
_SHEET_ALIAS = {"zh": "来源工作表", "en": "Source sheet"}


def _ms(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _sub(parent: ET.Element, tag: str, text=None) -> ET.Element:
    el = ET.SubElement(parent, _ms(tag))
    if text is not None:
        el.text = _text(text)
    return el


def _text(value) -> str:
    """Element text: booleans 0/1, ISO date-times; characters XML 1.0 cannot
    hold (control characters a cell may carry) are dropped."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S")
    return xml_safe(str(value))


def at(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time)


def hours(n: float) -> str:
    """An MSPDI duration (``PT16H0M0S``) of ``n`` hours."""
    whole = int(n)
    minutes = int(round((n - whole) * 60))
    return f"PT{whole}H{minutes}M0S"


def _clean(value) -> str | None:
    if is_missing(value):
        return None
    return str(value).strip() or None


@dataclass
class MspdiExport:
    """The file and what could not be carried (messages in the user's language)."""

    xml: bytes
    tasks: int = 0  # task rows written from 任务清单
    milestones: int = 0
    resources: int = 0
    links: int = 0
    exceptions: int = 0
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Row:
    uid: int
    wbs: str
    name: str
    level: int
    outline: str
    summary: bool
    start: dt.date | None
    finish: dt.date | None
    record: dict
    sheet: str = "tasks"


def custom_label(key: str, lang: str) -> str:
    """The name a custom field carries in the file (the workbook header)."""
    if key == "sheet":
        return _SHEET_ALIAS[lang]
    return TASKS.col(key).header(lang)


def field_value(key: str, value, lang: str) -> str | None:
    """A task field as the text its custom field holds."""
    if is_missing(value):
        return None
    if key == "phase":
        return PHASE.label(value, lang) if value in PHASE.keys else str(value)
    if key == "status":
        return STATUS.label(value, lang) if value in STATUS.keys else str(value)
    if key == "approved":
        return YES_NO.label("yes" if bool(value) else "no", lang)
    return str(value).strip() or None


def _outline(tasks: pd.DataFrame, cal: WorkCalendar, lang: str, warnings: list[str]) -> list[_Row]:
    """The WBS rows in outline order with their level, number and summary flag."""
    summary = schedule(tasks, cal).tasks["summary"].fillna(False)
    records = []
    seen: set[str] = set()
    for row, rec in tasks.iterrows():
        code, name = _clean(rec.get("wbs")), _clean(rec.get("name"))
        if code is None or name is None:
            warnings.append(
                tr(
                    lang,
                    f"{TASKS.name(lang)}第{row}行没有WBS编码或任务名称，未导出",
                    f"{TASKS.name(lang)} row {row} has no WBS code or name; not exported",
                )
            )
            continue
        if code in seen:
            warnings.append(
                tr(
                    lang,
                    f"{TASKS.name(lang)}第{row}行：WBS编码 {code} 重复，未导出",
                    f"{TASKS.name(lang)} row {row}: WBS code {code} is repeated; not exported",
                )
            )
            continue
        seen.add(code)
        records.append((code, name, bool(summary.loc[row]), dict(rec)))
    records.sort(key=lambda r: wbs_key(r[0]))
    codes = {r[0] for r in records}
    out: list[_Row] = []
    numbers: dict[str, str] = {}  # code -> outline number
    children: dict[str | None, int] = {}
    for code, name, is_summary, rec in records:
        parts = code.split(".")
        parent = next(
            (
                ".".join(parts[:k])
                for k in range(len(parts) - 1, 0, -1)
                if ".".join(parts[:k]) in codes
            ),
            None,
        )
        children[parent] = children.get(parent, 0) + 1
        number = f"{numbers[parent]}.{children[parent]}" if parent else str(children[parent])
        numbers[code] = number
        out.append(
            _Row(
                uid=len(out) + 1,
                wbs=code,
                name=name,
                level=number.count(".") + 1,
                outline=number,
                summary=is_summary,
                start=to_date(rec.get("planned_start")),
                finish=to_date(rec.get("planned_finish")),
                record=rec,
            )
        )
    # a summary row without dates spans its children
    for r in out:
        if r.summary and (r.start is None or r.finish is None):
            kids = [k for k in out if k.wbs.startswith(r.wbs + ".")]
            starts = [k.start for k in kids if k.start]
            finishes = [k.finish for k in kids if k.finish]
            r.start = r.start or (min(starts) if starts else None)
            r.finish = r.finish or (max(finishes) if finishes else None)
    return out


def _milestone_rows(data: ProjectData, first_uid: int, lang: str, warnings) -> list[_Row]:
    frame = data.tables.get("milestones")
    out: list[_Row] = []
    if frame is None:
        return out
    for row, rec in frame.iterrows():
        name, day = _clean(rec.get("name")), to_date(rec.get("planned_date"))
        if name is None or day is None:
            warnings.append(
                tr(
                    lang,
                    f"{MILESTONES.name(lang)}第{row}行没有名称或计划日期，未导出",
                    f"{MILESTONES.name(lang)} row {row} has no name or planned date; not exported",
                )
            )
            continue
        n = len(out) + 1
        out.append(
            _Row(
                uid=first_uid + n - 1,
                wbs=f"M{n}",
                name=name,
                level=1,
                outline="",
                summary=False,
                start=day,
                finish=day,
                record=dict(rec),
                sheet="milestones",
            )
        )
    return out


def _people(data: ProjectData) -> dict[str, dict]:
    team = data.tables.get("team")
    out: dict[str, dict] = {}
    if team is None:
        return out
    for _, rec in team.iterrows():
        name = _clean(rec.get("name"))
        if name and name not in out:
            out[name] = {
                "department": _clean(rec.get("department")),
                "email": _clean(rec.get("email")),
            }
    return out


def calendar_exceptions(
    cal: WorkCalendar, data: ProjectData, years: range, lang: str = "zh"
) -> list[tuple[dt.date, dt.date, bool, str]]:
    """The project calendar's exceptions in ``years``: (first day, last day,
    working, name), consecutive days of one kind and name joined. A weekday
    the calendar has off is a non-working exception (a holiday's weekend
    days too, so that the holiday reads as one block); a weekend day it has
    working is a working exception (调休上班)."""
    if not len(years):
        return []
    first, last = dt.date(years.start, 1, 1), dt.date(years.stop - 1, 12, 31)
    names: dict[dt.date, str] = {}
    listed_off: set[dt.date] = set()
    official = official_holiday_rows(first, last, lang)
    sheet = data.tables.get("holidays")
    for frame in (official, sheet):
        if frame is None:
            continue
        for _, rec in frame.iterrows():
            day = to_date(rec.get("date"))
            if day is None or not first <= day <= last:
                continue
            name = _clean(rec.get("name"))
            if name:
                names[day] = name
            if rec.get("type") == "off":
                listed_off.add(day)
    workdays = set(cal.workdays_in(first, last))
    days: list[tuple[dt.date, bool, str]] = []
    day = first
    while day <= last:
        weekday = day.weekday() < 5
        works = day in workdays
        if weekday and not works:
            days.append((day, False, names.get(day, "")))
        elif not weekday and works:
            days.append((day, True, names.get(day, "")))
        elif not weekday and day in listed_off and not works:
            days.append((day, False, names.get(day, "")))
        day += dt.timedelta(days=1)
    out: list[tuple[dt.date, dt.date, bool, str]] = []
    for d, working, name in days:
        if out:
            a, b, w, n = out[-1]
            if w == working and n == name and d == b + dt.timedelta(days=1):
                out[-1] = (a, d, w, n)
                continue
        out.append((d, d, working, name))
    default = {"zh": ("非工作日", "调休上班"), "en": ("Non-working day", "Make-up workday")}[lang]
    return [(a, b, w, n or default[1 if w else 0]) for a, b, w, n in out]


def _working_times(parent: ET.Element) -> None:
    wts = _sub(parent, "WorkingTimes")
    for start, finish in WORKING_TIMES:
        wt = _sub(wts, "WorkingTime")
        _sub(wt, "FromTime", start)
        _sub(wt, "ToTime", finish)


def _calendar(root: ET.Element, exceptions, lang: str) -> None:
    cals = _sub(root, "Calendars")
    c = _sub(cals, "Calendar")
    _sub(c, "UID", CALENDAR_UID)
    _sub(c, "Name", tr(lang, "中国工作日历", "China working calendar"))
    _sub(c, "IsBaseCalendar", True)
    _sub(c, "BaseCalendarUID", -1)
    weekdays = _sub(c, "WeekDays")
    for day_type in range(1, 8):  # 1 Sunday ... 7 Saturday
        wd = _sub(weekdays, "WeekDay")
        _sub(wd, "DayType", day_type)
        working = day_type not in (1, 7)
        _sub(wd, "DayWorking", working)
        if working:
            _working_times(wd)
    exc = _sub(c, "Exceptions")
    for first, last, working, name in exceptions:
        e = _sub(exc, "Exception")
        _sub(e, "EnteredByOccurrences", False)
        tp = _sub(e, "TimePeriod")
        _sub(tp, "FromDate", at(first, dt.time(0, 0)))
        _sub(tp, "ToDate", at(last, dt.time(23, 59)))
        _sub(e, "Occurrences", 1)
        _sub(e, "Name", name[:512])
        _sub(e, "Type", 1)  # daily
        _sub(e, "DayWorking", working)
        if working:
            _working_times(e)


def _duration_days(cal: WorkCalendar, start: dt.date | None, finish: dt.date | None) -> int | None:
    if start is None or finish is None:
        return None
    return cal.workdays_between(start - dt.timedelta(days=1), finish)


def write_mspdi(
    data: ProjectData,
    cal: WorkCalendar,
    *,
    lang: str | None = None,
    lags: dict[tuple[str, str], int] | None = None,
) -> MspdiExport:
    """The project as MSPDI bytes (see the module docstring).

    ``lags`` optionally gives a lag in working days per (predecessor WBS,
    successor WBS) link; the workbook's 前置任务 column names codes only,
    so links exported from it have no lag."""
    lang = lang or data.lang
    lags = lags or {}
    warnings: list[str] = []
    tasks = data.tables["tasks"]
    rows = _outline(tasks, cal, lang, warnings)
    milestones = _milestone_rows(data, len(rows) + 1, lang, warnings)
    uid_of = {r.wbs: r.uid for r in rows}
    people = _people(data)

    dates = [d for r in rows + milestones for d in (r.start, r.finish) if d]
    start = to_date(data.overview.get("start_date")) or (min(dates) if dates else None)
    finish = to_date(data.overview.get("end_date")) or (max(dates) if dates else None)
    years = (
        range(min(dates + [start]).year, max(dates + [finish]).year + 1)
        if start and finish
        else range(0)
    )
    exceptions = calendar_exceptions(cal, data, years, lang)

    ET.register_namespace("", NS)
    root = ET.Element(_ms("Project"))
    _sub(root, "SaveVersion", 14)
    title = _clean(data.overview.get("name")) or ""
    _sub(root, "Name", f"{title}.xml" if title else "project.xml")
    _sub(root, "Title", title)
    if _clean(data.overview.get("pm")):
        _sub(root, "Manager", _clean(data.overview.get("pm")))
    _sub(root, "ScheduleFromStart", True)
    if start:
        _sub(root, "StartDate", at(start, DAY_START))
    if finish:
        _sub(root, "FinishDate", at(finish, DAY_FINISH))
    _sub(root, "CurrencyDigits", 2)
    _sub(root, "CurrencySymbol", "¥")
    _sub(root, "CurrencyCode", "CNY")
    _sub(root, "CalendarUID", CALENDAR_UID)
    _sub(root, "DefaultStartTime", DAY_START)
    _sub(root, "DefaultFinishTime", DAY_FINISH)
    _sub(root, "MinutesPerDay", HOURS_PER_DAY * 60)
    _sub(root, "MinutesPerWeek", HOURS_PER_DAY * 60 * 5)
    _sub(root, "DaysPerMonth", 20)
    _sub(root, "DurationFormat", DAYS_FORMAT)
    _sub(root, "WeekStartDay", 1)  # Monday
    status_date = to_date(data.overview.get("status_date"))
    if status_date:
        _sub(root, "StatusDate", at(status_date, DAY_FINISH))

    ext = _sub(root, "ExtendedAttributes")
    for key, (fid, fname) in CUSTOM_FIELDS.items():
        ea = _sub(ext, "ExtendedAttribute")
        _sub(ea, "FieldID", fid)
        _sub(ea, "FieldName", fname)
        _sub(ea, "Alias", custom_label(key, lang))

    _calendar(root, exceptions, lang)

    owners: list[str] = []
    links = 0
    tasks_el = _sub(root, "Tasks")
    for r in rows + milestones:
        rec = r.record
        is_ms = r.sheet == "milestones"
        days = 0 if is_ms else _duration_days(cal, r.start, r.finish)
        t = _sub(tasks_el, "Task")
        _sub(t, "UID", r.uid)
        _sub(t, "ID", r.uid)
        _sub(t, "Name", r.name)
        _sub(t, "Type", 1)  # fixed duration
        _sub(t, "IsNull", False)
        owner = None if is_ms else _clean(rec.get("owner"))
        if owner:
            _sub(t, "Contact", owner)
        _sub(t, "WBS", r.wbs)
        _sub(t, "OutlineNumber", r.outline or str(r.uid))
        _sub(t, "OutlineLevel", r.level)
        _sub(t, "Priority", 500)
        if r.start:
            _sub(t, "Start", at(r.start, DAY_FINISH if is_ms else DAY_START))
        if r.finish:
            _sub(t, "Finish", at(r.finish, DAY_FINISH))
        if days is not None:
            _sub(t, "Duration", hours(days * HOURS_PER_DAY))
            _sub(t, "DurationFormat", DAYS_FORMAT)
        if owner and not r.summary and days:
            _sub(t, "Work", hours(days * HOURS_PER_DAY))
        _sub(t, "Milestone", is_ms or days == 0)
        _sub(t, "Summary", r.summary)
        pct = _percent(rec, is_ms)
        if pct is not None:
            _sub(t, "PercentComplete", pct)
        actual_start = to_date(rec.get("actual_date" if is_ms else "actual_start"))
        actual_finish = to_date(rec.get("actual_date" if is_ms else "actual_finish"))
        if actual_start:
            _sub(t, "ActualStart", at(actual_start, DAY_FINISH if is_ms else DAY_START))
        if actual_finish:
            _sub(t, "ActualFinish", at(actual_finish, DAY_FINISH))
        if r.summary or not r.start:
            _sub(t, "ConstraintType", CONSTRAINT_ASAP)
        else:
            _sub(t, "ConstraintType", CONSTRAINT_SNET)
            _sub(t, "ConstraintDate", at(r.start, DAY_START))
        notes = _clean(rec.get("notes")) if not is_ms else _clean(rec.get("opinion"))
        if notes:
            _sub(t, "Notes", notes)
        pred_text = rec.get("tasks" if is_ms else "predecessors")
        for code in split_codes(pred_text):
            if code not in uid_of:
                sheet = MILESTONES if is_ms else TASKS
                warnings.append(
                    tr(
                        lang,
                        f"{sheet.name(lang)}“{r.name}”的前置任务 {code} 不存在，该关联未导出",
                        f"{sheet.name(lang)} '{r.name}': predecessor {code} does not exist; "
                        "link not exported",
                    )
                )
                continue
            link = _sub(t, "PredecessorLink")
            _sub(link, "PredecessorUID", uid_of[code])
            _sub(link, "Type", LINK_FS)
            _sub(link, "CrossProject", False)
            lag = int(lags.get((code, r.wbs), 0))
            _sub(link, "LinkLag", lag * HOURS_PER_DAY * 60 * 10)  # tenths of a minute
            _sub(link, "LagFormat", DAYS_FORMAT)
            links += 1
        for key, (fid, _) in CUSTOM_FIELDS.items():
            value = (
                (MILESTONES if is_ms else TASKS).name(lang)
                if key == "sheet"
                else (None if is_ms else field_value(key, rec.get(key), lang))
            )
            if value is not None:
                ea = _sub(t, "ExtendedAttribute")
                _sub(ea, "FieldID", fid)
                _sub(ea, "Value", value)
        if owner and not r.summary and owner not in owners:
            owners.append(owner)

    res_uid = {name: i + 1 for i, name in enumerate(owners)}
    res_el = _sub(root, "Resources")
    for name, uid in res_uid.items():
        person = people.get(name, {})
        res = _sub(res_el, "Resource")
        _sub(res, "UID", uid)
        _sub(res, "ID", uid)
        _sub(res, "Name", name)
        _sub(res, "Type", 1)  # work
        _sub(res, "IsNull", False)
        if person.get("department"):
            _sub(res, "Group", person["department"])
        if person.get("email"):
            _sub(res, "EmailAddress", person["email"])
        _sub(res, "MaxUnits", "1.00")

    asg_el = _sub(root, "Assignments")
    n = 0
    for r in rows:
        owner = _clean(r.record.get("owner"))
        if r.summary or not owner:
            continue
        days = _duration_days(cal, r.start, r.finish) or 0
        n += 1
        a = _sub(asg_el, "Assignment")
        _sub(a, "UID", n)
        _sub(a, "TaskUID", r.uid)
        _sub(a, "ResourceUID", res_uid[owner])
        pct = _percent(r.record, False)
        if pct is not None:
            _sub(a, "PercentWorkComplete", pct)
        af, ast = to_date(r.record.get("actual_finish")), to_date(r.record.get("actual_start"))
        if af:
            _sub(a, "ActualFinish", at(af, DAY_FINISH))
        if ast:
            _sub(a, "ActualStart", at(ast, DAY_START))
        if r.finish:
            _sub(a, "Finish", at(r.finish, DAY_FINISH))
        if r.start:
            _sub(a, "Start", at(r.start, DAY_START))
        _sub(a, "Units", 1)
        _sub(a, "Work", hours(days * HOURS_PER_DAY))

    ET.indent(root)
    xml = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return MspdiExport(
        xml=xml,
        tasks=len(rows),
        milestones=len(milestones),
        resources=len(res_uid),
        links=links,
        exceptions=len(exceptions),
        warnings=warnings,
    )


def _percent(rec: dict, is_milestone: bool) -> int | None:
    if is_milestone:
        return 100 if to_date(rec.get("actual_date")) else 0
    progress = rec.get("progress")
    if not is_missing(progress):
        return max(0, min(100, int(round(float(progress) * 100))))
    if rec.get("status") == "done":
        return 100
    return None


__all__ = [
    "CUSTOM_FIELDS",
    "MspdiExport",
    "NS",
    "calendar_exceptions",
    "custom_label",
    "field_value",
    "write_mspdi",
]
