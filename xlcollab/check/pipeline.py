"""The check pipeline: findings, flags and schedule for one ProjectData.

``check(data, as_of, lang=None)`` runs everything between reading and
writing back, and returns a :class:`CheckReport`:

- the reader's findings (``data.findings``) and the validation rules'
  (:func:`xlcollab.check.rules.run_rules`), minus the rules switched off, sorted
  worst first (:func:`xlcollab.model.findings.sort_key`);
- the flags: task flags (days late, overdue, due soon), blocked since and
  escalation level (:mod:`xlcollab.core.escalation`), risk score/level/review,
  budget used, and the schedule figures (:mod:`xlcollab.core.network`);
- the columns xlcollab writes back to the task checklist
  (:attr:`CheckReport.columns`: blocked_since, escalation, days_late);
- deterministic statistics (no timings, no clock).

No paths, no Excel: the command line, the nightly job and the ribbon all
call this. :meth:`CheckReport.to_dict` gives the stable JSON form described
in ``docs/check-json.md`` (schema ``docs/check.schema.json``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from operator import is_
from typing import Any

import pandas as pd

from xlcollab.check.jsontext import Records, json_text, plain
from xlcollab.core import flags
from xlcollab.core.calendar import WorkCalendar
from xlcollab.core.escalation import escalations
from xlcollab.core.figures import Figures, figures, summary_mask
from xlcollab.core.network import Schedule, schedule
from xlcollab.model import ProjectData, is_missing, present
from xlcollab.model.collector import collector_paused
from xlcollab.model.data import BLANK_CHARS
from xlcollab.model.dates import iso_date, to_date
from xlcollab.model.findings import (
    ERROR,
    INFO,
    WARNING,
    Finding,
    finding_columns,
    sort_order,
)
from xlcollab.schema import SEVERITY

__all__ = ["check", "CheckReport", "JSON_SCHEMA_ID", "rule_matches"]

JSON_SCHEMA_ID = "xlcollab.check/1"
SEVERITIES = (ERROR, WARNING, INFO)
WRITE_COLUMNS = ("blocked_since", "escalation", "days_late")
# the keys of the JSON records, in their order (docs/check-json.md)
FINDING_KEYS = (
    "rule_id",
    "severity",
    "severity_label",
    "sheet",
    "row",
    "column",
    "cell",
    "location",
    "message",
    "hint",
)
COMPUTED_KEYS = ("row", "wbs", "days_late", "overdue", "due_soon", "blocked_since", "escalation")
SCHEDULE_KEYS = (
    "row",
    "wbs",
    "summary",
    "duration",
    "early_start",
    "early_finish",
    "late_start",
    "late_finish",
    "total_float",
    "critical",
    "forecast_finish",
)


def rule_matches(rule_id: str, patterns: Iterable[str]) -> bool:
    """True when ``rule_id`` is one of ``patterns`` or lies under one
    (``tasks`` matches ``tasks.finish_before_start``)."""
    for p in patterns:
        p = p.strip()
        if p and (rule_id == p or rule_id.startswith(p.rstrip(".") + ".")):
            return True
    return False


@dataclass
class CheckReport:
    """What :func:`check` found and computed. The flags (``task_flags``,
    ``escalation``, ``columns``, ``risk_flags``, ``budget``) are computed
    from ``data`` when first read, each once: the table the command line
    prints shows none of them (it shows the figures)."""

    as_of: dt.date
    lang: str
    findings: list[Finding]
    stats: dict[str, Any]
    schedule: Schedule
    project: dict[str, Any] = field(default_factory=dict)
    tasks: pd.DataFrame | None = None  # the input tasks (wbs, department ...)
    budget_lines: pd.DataFrame | None = None
    calendar_warnings: list[str] = field(default_factory=list)
    rules_off: list[str] = field(default_factory=list)
    figures: Figures | None = None
    # the findings column by column, as check() made them (see finding_columns)
    _columns: tuple[tuple[Finding, ...], dict[str, list]] | None = field(
        default=None, repr=False, compare=False
    )
    data: ProjectData | None = field(default=None, repr=False)
    cal: WorkCalendar | None = field(default=None, repr=False)

    def _source(self) -> tuple[ProjectData, WorkCalendar]:
        if self.data is None or self.cal is None:
            raise ValueError("a CheckReport without its data: build it with check()")
        return self.data, self.cal

    @cached_property
    def task_flags(self) -> pd.DataFrame:
        """days_late, overdue, due_soon per task row (:func:`flags.task_flags`)."""
        data, cal = self._source()
        tasks = data.tables["tasks"]
        return flags.task_flags(tasks, self.as_of, cal, data.int_setting("due_soon_days"))

    @cached_property
    def escalation(self) -> pd.DataFrame:
        """Blocked since, days blocked and the ladder level per task row;
        summary rows are not tasks: they have no level."""
        data, cal = self._source()
        tasks = data.tables["tasks"]
        pm_days = data.int_setting("escalation_pm_days")
        lead_days = data.int_setting("escalation_lead_days")
        esc = escalations(
            tasks, self.as_of, cal, pm_days, lead_days, days_late=self.task_flags["days_late"]
        )
        esc["escalation"] = esc["escalation"].where(~summary_mask(tasks), None)
        return esc

    @cached_property
    def columns(self) -> pd.DataFrame:
        """:data:`WRITE_COLUMNS`, index = task rows."""
        esc, tf = self.escalation, self.task_flags
        return pd.DataFrame(
            {
                "blocked_since": esc["blocked_since"],
                "escalation": esc["escalation"],
                "days_late": tf["days_late"],
            },
            index=tf.index,
        )

    @cached_property
    def risk_flags(self) -> pd.DataFrame:
        """score, level, review_overdue per risk row (:func:`flags.risk_flags`, once)."""
        if self.figures is None:
            raise ValueError("a CheckReport without figures: build it with check()")
        return self.figures.risk_table[["score", "level", "review_overdue"]]

    @cached_property
    def budget(self) -> pd.DataFrame:
        """used, remaining, used_pct per budget line (:func:`flags.budget_used`)."""
        data, _cal = self._source()
        return flags.budget_used(data.tables["budget"], data.tables["expenses"])

    @property
    def valid(self) -> bool:
        return not any(f.severity == ERROR for f in self.findings)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    def finding_columns(self) -> dict[str, list]:
        """The findings column by column
        (:func:`xlcollab.model.findings.finding_columns`): those check()
        made while the findings are still the ones it found."""
        made = self._columns
        if made is not None:
            found, columns = made
            if len(found) == len(self.findings) and all(map(is_, found, self.findings)):
                return columns
        return finding_columns(self.findings)

    def to_dict(self) -> dict[str, Any]:
        """The report as plain JSON values (see docs/check-json.md)."""
        return plain(self._document())

    def to_json(self, extra: dict[str, Any] | None = None) -> str:
        """:meth:`to_dict` (plus ``extra`` keys at the end) as the indented
        JSON text ``json.dumps(..., ensure_ascii=False, indent=2)`` gives,
        made without the standard library's slow indented encoder (and
        without a dict per finding or task: their lists are written from
        columns)."""
        with collector_paused():
            d = self._document()
            d.update(extra or {})
            return json_text(d)

    def _document(self) -> dict[str, Any]:
        """:meth:`to_dict` with the long lists of records (findings, computed
        columns, the schedule's tasks) as :class:`Records`."""
        return {
            "schema": JSON_SCHEMA_ID,
            "valid": self.valid,
            "as_of": self.as_of.isoformat(),
            "lang": self.lang,
            "project": dict(self.project),
            "stats": self.stats,
            "findings": _finding_records(self.finding_columns(), self.lang),
            "flags": self._flags_dict(),
            "computed": self._computed_records(),
            "schedule": self._schedule_dict(),
            "calendar_warnings": list(self.calendar_warnings),
        }

    # -- pieces of to_dict
    def _flags_dict(self) -> dict[str, Any]:
        fig = self.figures
        if fig is None:
            raise ValueError("a CheckReport without figures: build it with check()")
        lines = []
        bl = self.budget_lines
        if bl is not None:
            for i in bl.index:
                pct = self.budget.at[i, "used_pct"]
                lines.append(
                    {
                        "row": int(i),
                        "department": _text(bl.at[i, "department"]),
                        "category": _text(bl.at[i, "category"]),
                        "amount": _money(bl.at[i, "amount"]),
                        "used": _money(self.budget.at[i, "used"]),
                        "remaining": _money(self.budget.at[i, "remaining"]),
                        "used_pct": None if pd.isna(pct) else round(float(pct), 6),
                        "over_budget": bool(not pd.isna(pct) and float(pct) > 1),
                    }
                )
        money = fig.money
        return {
            "tasks": {
                "total": fig.total,
                "summary_rows": len(fig.summary_rows),
                "by_status": dict(fig.by_status),
                "overdue": fig.overdue,
                "due_soon": fig.due_soon,
                "blocked": fig.blocked,
                "escalation": dict(fig.escalations),
                "blocked_by_level": dict(fig.blocked_by_level),
                "phase": fig.phase,
            },
            "risks": {k: fig.risks[k] for k in ("high", "medium", "low", "review_overdue")},
            "money": {
                "budget": _money(money.budget),
                "spent_month": _money(money.spent_month),
                "spent_to_date": _money(money.spent_to_date),
                "unbudgeted": _money(fig.unbudgeted),
            },
            "budget": lines,
        }

    def _computed_records(self) -> Records:
        idx = self.columns.index
        wbs = (
            self.tasks["wbs"]
            if self.tasks is not None
            else pd.Series(None, index=idx, dtype=object)
        )
        tf, c = self.task_flags, self.columns
        return Records(
            COMPUTED_KEYS,
            [
                _rows(idx),
                _list(wbs, _text),
                _list(c["days_late"], _int),
                _list(tf["overdue"], _bool),
                _list(tf["due_soon"], _bool),
                _list(c["blocked_since"], _iso),
                _list(c["escalation"], _text),
            ],
        )

    def _schedule_dict(self) -> dict[str, Any]:
        d = self.schedule.to_dict()
        st = self.schedule.tasks
        wbs = (
            self.tasks["wbs"]
            if self.tasks is not None
            else pd.Series(None, index=st.index, dtype=object)
        )
        keep = st["early_start"].notna().to_numpy()
        st, wbs = st[keep], wbs[keep]
        d["tasks"] = Records(
            SCHEDULE_KEYS,
            [
                _rows(st.index),
                _list(wbs, _text),
                _list(st["summary"], _bool),
                _list(st["duration"], _int),
                _list(st["early_start"], _iso),
                _list(st["early_finish"], _iso),
                _list(st["late_start"], _iso),
                _list(st["late_finish"], _iso),
                _list(st["total_float"], _int),
                _list(st["critical"], _bool),
                _list(st["forecast_finish"], _iso),
            ],
        )
        return d


def _rows(index: pd.Index) -> list[int]:
    """The Excel rows of a frame's index as Python ints."""
    if pd.api.types.is_integer_dtype(index.dtype):
        return index.tolist()
    return [int(r) for r in index.tolist()]


def _list(s: pd.Series, conv) -> list:
    """A column as a list of JSON values: ``conv`` of each value; datetime
    columns as ISO dates, and the numbers and booleans of a typed column
    (empty as None) converted without asking whether each is empty."""
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        text = s.dt.strftime("%Y-%m-%d").tolist()
        return [None if na else t for t, na in zip(text, s.isna().tolist(), strict=True)]
    numeric = pd.api.types.is_numeric_dtype(s.dtype) or pd.api.types.is_bool_dtype(s.dtype)
    if numeric and conv in _PLAIN:
        plain = _PLAIN[conv]
        values = s.to_numpy(dtype=object, na_value=None).tolist()
        return [None if v is None or v != v else plain(v) for v in values]
    values = s.tolist()
    if conv is _text and set(map(type, values)) <= {str, type(None)}:  # is_missing, inline
        return [None if v is None or not v.strip(BLANK_CHARS) else v for v in values]
    return [conv(v) for v in values]


# ------------------------------------------------------------------ json ---
def _finding_records(columns: dict[str, list], lang: str) -> Records:
    """The findings (given column by column) as JSON records."""
    labels = {k: SEVERITY.label(k, lang) for k in set(columns["severity"])}
    named = {"severity_label": list(map(labels.__getitem__, columns["severity"]))}
    return Records(FINDING_KEYS, [named[k] if k in named else columns[k] for k in FINDING_KEYS])


def _text(v) -> str | None:
    return None if is_missing(v) else str(v)


def _int(v) -> int | None:
    return None if is_missing(v) else int(v)


def _bool(v) -> bool | None:
    return None if is_missing(v) else bool(v)


def _iso(v) -> str | None:
    """A date for JSON: ISO text, or null when empty or not a date."""
    return iso_date(v, strict=False) or None


# the plain conversion of a present value of a typed (not object) column
_PLAIN = {_text: str, _int: int, _bool: bool}


def _money(v) -> str | None:
    if is_missing(v):
        return None
    if isinstance(v, Decimal):
        return f"{v:.2f}"
    try:
        return f"{Decimal(str(v)):.2f}"
    except Exception:  # noqa: BLE001 - not a number: leave it out
        return None


# ---------------------------------------------------------------- check ---
def _run_rules(data: ProjectData, as_of: dt.date, cal: WorkCalendar, lang: str):
    from xlcollab.check.rules import run_rules  # lazily: the rules package is large

    return list(run_rules(data, as_of, cal, lang))


def check(
    data: ProjectData,
    as_of: dt.date,
    lang: str | None = None,
    *,
    rules_off: Iterable[str] = (),
    cal: WorkCalendar | None = None,
    run_rules: bool = True,
) -> CheckReport:
    """Validate and compute everything for ``data`` as of ``as_of``.

    ``lang`` is the language of the rules' messages (default: the
    workbook's); the reader's findings keep the language they were read
    in. ``rules_off`` switches rule ids (or whole groups: ``finance``
    switches off ``finance.*``) off. ``run_rules=False`` keeps only the
    reader's findings (for callers that only want the flags).
    """
    day = to_date(as_of)  # a Timestamp or datetime counts as its date
    if day is None:
        raise TypeError("check needs a status date (as_of)")
    as_of = day
    lang = lang or data.lang
    off = [r.strip() for r in rules_off if r and r.strip()]
    if cal is None:
        cal = WorkCalendar.from_holidays(data.tables.get("holidays"))
    with collector_paused():
        return _check(data, as_of, lang, off, cal, run_rules)


def _check(
    data: ProjectData,
    as_of: dt.date,
    lang: str,
    off: list[str],
    cal: WorkCalendar,
    run_rules: bool,
) -> CheckReport:
    tasks = data.tables["tasks"]
    findings = list(data.findings)
    if run_rules:
        findings += _run_rules(data, as_of, cal, lang)
    if off:
        findings = [f for f in findings if not rule_matches(f.rule_id, off)]
    # worst first (sorted_findings), the findings looked at once: column by column
    found = finding_columns(findings)
    order = sort_order(found["severity"], found["sheet"], found["row"], found["cell"])
    findings = list(map(findings.__getitem__, order))
    found = {k: list(map(v.__getitem__, order)) for k, v in found.items()}

    sched = schedule(tasks, cal, as_of)
    fig = figures(data, as_of, cal)

    stats = _stats(data, found, as_of, off, fig)
    project = {
        "name": _text(data.overview.get("name")),
        "start": _iso(data.overview.get("start_date")),
        "end": _iso(data.overview.get("end_date")),
    }
    return CheckReport(
        as_of=as_of,
        lang=lang,
        findings=findings,
        stats=stats,
        schedule=sched,
        project=project,
        tasks=tasks,
        budget_lines=data.tables["budget"],
        calendar_warnings=cal.coverage_warnings(lang=lang),
        rules_off=off,
        figures=fig,
        _columns=(tuple(findings), found),
        data=data,
        cal=cal,
    )


def _by_department(data: ProjectData, sheets: list[str], rows: list) -> dict[str, int]:
    """The findings on task rows counted by the task's department (rows
    without one left out), from the findings' sheets and rows."""
    task_sheet = data.sheet_name("tasks")
    on_tasks = [r for s, r in zip(sheets, rows, strict=True) if r is not None and s == task_sheet]
    dept = data.tables["tasks"]["department"]
    has = present(dept).to_numpy(dtype=bool)
    if not on_tasks or not has.any():
        return {}
    # task row -> its department; a finding's row that names no task gives NaN
    names = pd.Series([str(d) for d in dept[has].tolist()], index=dept.index[has], dtype=object)
    names = names[~names.index.duplicated(keep="last")]  # a row named twice: its last entry
    counts = names.reindex(pd.Index(on_tasks, dtype="int64")).value_counts(dropna=True)
    return dict(zip(counts.index.tolist(), counts.tolist(), strict=True))


def _stats(
    data: ProjectData, columns: dict[str, list], as_of: dt.date, off: list[str], fig: Figures
) -> dict[str, Any]:
    """The statistics of the findings (given column by column) and the data."""
    sev = Counter(columns["severity"])
    by_sheet = Counter(columns["sheet"])
    by_rule = Counter(columns["rule_id"])
    by_dept = _by_department(data, columns["sheet"], columns["row"])
    return {
        "findings": len(columns["rule_id"]),
        "by_severity": {s: int(sev.get(s, 0)) for s in SEVERITIES},
        "by_sheet": {k: by_sheet[k] for k in sorted(by_sheet)},
        "by_department": {k: by_dept[k] for k in sorted(by_dept)},
        "by_rule": {k: by_rule[k] for k in sorted(by_rule)},
        "tasks": fig.total,
        "summary_rows": len(fig.summary_rows),
        "risks": int(len(data.tables["risks"])),
        "expenses": int(len(data.tables["expenses"])),
        "as_of": as_of.isoformat(),
        "rules_off": sorted(off),
    }
