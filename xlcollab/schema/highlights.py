"""Conditional formats: row highlights, their styles, the Gantt bars."""

from __future__ import annotations

from dataclasses import dataclass

from xlcollab.schema.columns import F_IS_SUMMARY, MARKER_SIGN


# ----------------------------------------------------- conditional formats ---
@dataclass(frozen=True)
class Highlight:
    """A conditional format: on ``sheet``, where ``formula`` holds for a
    row, apply ``style`` to the row (or to ``column`` only)."""

    sheet: str
    formula: str  # template; {c.KEY} resolves column-absolute ($H2)
    style: str  # a key of STYLES
    column: str | None = None


STYLES = {  # fill colour, font colour
    "done": ("E2EFDA", "375623"),
    "blocked": ("F8CBAD", "9C0006"),
    "overdue": ("FFC7CE", "9C0006"),
    "due_soon": ("FFEB9C", "9C5700"),
    "risk_high": ("FF7C80", "FFFFFF"),
    "risk_medium": ("FFEB9C", "9C5700"),
    "risk_low": ("C6EFCE", "006100"),
    "over_budget": ("FFC7CE", "9C0006"),
    "error": ("FFC7CE", "9C0006"),
    "warning": ("FFEB9C", "9C5700"),
    "marker": ("F4B084", "833C0B"),  # a flag shows a marker: an input it needs is text
    "bar_planned": ("5B9BD5", "5B9BD5"),
    "bar_done": ("70AD47", "70AD47"),
    "bar_blocked": ("C00000", "C00000"),
    "bar_overdue": ("ED7D31", "ED7D31"),
    "today": ("FFF2CC", "000000"),
    "header": ("1F4E79", "FFFFFF"),
    "computed": ("F2F2F2", "404040"),
    "pack_other": ("EDEDED", "7F7F7F"),  # packs: other departments' rows, locked
    "summary": (None, None),  # bold only (BOLD_STYLES)
}
BOLD_STYLES = frozenset({"summary"})

HIGHLIGHTS: tuple[Highlight, ...] = (
    Highlight("tasks", "{c.status}={v.status.blocked}", "blocked"),
    Highlight("tasks", "{c.overdue}={v.yes_no.yes}", "overdue"),
    Highlight("tasks", "{c.due_soon}={v.yes_no.yes}", "due_soon"),
    Highlight("tasks", "{c.status}={v.status.done}", "done", column="status"),
    Highlight("tasks", F_IS_SUMMARY, "summary"),
    Highlight("gantt", F_IS_SUMMARY, "summary"),
    Highlight("risks", "{c.level}={v.risk_level.high}", "risk_high", column="level"),
    Highlight("risks", "{c.level}={v.risk_level.medium}", "risk_medium", column="level"),
    Highlight("risks", "{c.level}={v.risk_level.low}", "risk_low", column="level"),
    Highlight("risks", "{c.review_overdue}={v.yes_no.yes}", "overdue", column="last_review"),
    Highlight("budget", "AND(ISNUMBER({c.used_pct}),{c.used_pct}>1)", "over_budget"),
    *(
        Highlight(sheet, f'ISNUMBER(FIND("{MARKER_SIGN}",{{c.{col}}}))', "marker", column=col)
        for sheet, col in (
            ("tasks", "days_late"),
            ("tasks", "overdue"),
            ("tasks", "due_soon"),
            ("risks", "score"),
            ("risks", "level"),
            ("risks", "review_overdue"),
            ("budget", "used"),
            ("budget", "remaining"),
            ("budget", "used_pct"),
        )
    ),
    Highlight("findings", "{c.severity}={v.severity.error}", "error", column="severity"),
    Highlight("findings", "{c.severity}={v.severity.warning}", "warning", column="severity"),
)

# The Gantt grid: week columns after the view columns. {w} is the week's
# Monday in the header row (row-absolute), {c.KEY} the row's view cells.
GANTT_WEEK_HEADER = '=IF(xc_start="","",xc_week1+7*{k})'  # empty until the start date is set
GANTT_BARS: tuple[tuple[str, str], ...] = (  # first match wins
    (
        "AND(ISNUMBER({c.planned_start}),ISNUMBER({c.planned_finish}),{w}<={c.planned_finish},{w}+6>={c.planned_start},"
        "{c.status}={v.status.done})",
        "bar_done",
    ),
    (
        "AND(ISNUMBER({c.planned_start}),ISNUMBER({c.planned_finish}),{w}<={c.planned_finish},{w}+6>={c.planned_start},"
        "{c.status}={v.status.blocked})",
        "bar_blocked",
    ),
    (
        "AND(ISNUMBER({c.planned_start}),ISNUMBER({c.planned_finish}),{w}<={c.planned_finish},{w}+6>={c.planned_start},"
        "{c.overdue}={v.yes_no.yes})",
        "bar_overdue",
    ),
    (
        "AND(ISNUMBER({c.planned_start}),ISNUMBER({c.planned_finish}),{w}<={c.planned_finish},{w}+6>={c.planned_start})",
        "bar_planned",
    ),
    ("AND({w}<=xc_today,{w}+6>=xc_today)", "today"),
)
GANTT_WEEK_WIDTH = 4.5
GANTT_WEEK_FORMAT = "m/d"  # number format of the week header dates
# table sheets whose leading columns stay in view when scrolling right:
# frozen through this column (the Gantt freezes all its view columns)
FREEZE_THROUGH = {"tasks": "name"}
