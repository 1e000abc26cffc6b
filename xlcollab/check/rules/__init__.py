"""Validation rules: one small module per concern.

Usage::

    from xlcollab.check.rules import run_rules, RULES, RuleContext
    findings = run_rules(data, as_of, cal)          # list[Finding]

``RULES`` maps each rule ID to its :class:`Rule` (default severity, sheet,
description, function). The 参数 sheet can switch rules off (``rules_off``:
comma separated IDs, ``finance.*`` for a group) and change their severity
(``rules_severity``: ``finance.outside_period=提示, risks.review_overdue=错误``;
the severity by key or by its Chinese or English label). An entry there that
names no rule, or no severity, is itself a finding on that 参数 cell.

Modules and what they check:

- ``dates``: planned/actual start before finish, actual dates not after the
  status date, task and milestone dates inside the project period;
- ``status``: 已完成 / 未开始 / 阻塞 / 进行中 consistent with dates, progress
  and the blocked reason;
- ``people``: persons and departments exist, owners belong to their task's
  department, liaisons, the one-of roles, the overview's lead and PM;
- ``approval``: every task approved by the project lead once planning is over;
- ``wbs``: codes unique and well formed, parents and predecessors exist, no
  dependency cycles, no task starting before its predecessor finishes;
- ``summary``: summary rows (WBS rows with children) agree with the rows
  under them (dates, progress, status);
- ``risks``: high risks have a plan and an owner, reviews on time, IDs unique;
- ``finance``: expenses against the budget, amounts, invoices, period, overruns;
- ``milestones``: quality reviews, deliverable acceptance, task references;
- ``departments``: the cross-department KPI weight;
- ``calendar``: years the working-day calendar does not know;
- ``settings``: the two rule settings themselves;
- ``tolerated``: cells the reader understood only by tolerance (a date or a
  number typed as text, full-width digits, a status synonym, a name with a
  stray space), one warning each.
"""

from __future__ import annotations

import datetime as dt

# importing the modules registers their rules, in this order
from xlcollab.check.rules import (
    approval,
    calendar,
    dates,
    departments,
    finance,
    milestones,
    people,
    risks,
    settings,
    status,
    summary,
    tolerated,
    wbs,
)
from xlcollab.check.rules.base import RULES, Rule, RuleContext, SheetMissing, rule
from xlcollab.check.rules.settings import RuleSettings, parse_rule_settings
from xlcollab.core.calendar import WorkCalendar
from xlcollab.model import ProjectData
from xlcollab.model.dates import to_date
from xlcollab.model.findings import ERROR, Finding

#: the modules that hold the rules; importing them registered their rules, in this order
RULE_MODULES = (
    approval,
    calendar,
    dates,
    departments,
    finance,
    milestones,
    people,
    risks,
    settings,
    status,
    summary,
    tolerated,
    wbs,
)

__all__ = [
    "RULE_MODULES",
    "run_rules",
    "RULES",
    "Rule",
    "RuleContext",
    "rule",
    "RuleSettings",
    "parse_rule_settings",
    "rule_catalog",
]


def run_rules(
    data: ProjectData, as_of: dt.date, cal: WorkCalendar, lang: str | None = None
) -> list[Finding]:
    """Every rule the settings leave on, with the settings' severities, on
    ``data`` as of ``as_of``; the findings in rule order, rows ascending
    within a rule. Messages are in ``lang`` (default: the workbook's).

    A rule that fails on data nobody foresaw does not stop the others: it
    gives one ``rules.failed`` error naming the rule."""
    lang = lang or data.lang
    day = to_date(as_of)  # a Timestamp or datetime counts as its date
    if day is None:
        raise TypeError("run_rules needs a status date (as_of)")
    as_of = day
    ctx = RuleContext(data=data, as_of=as_of, cal=cal, lang=lang)
    cfg = parse_rule_settings(data)
    out: list[Finding] = []
    for r in RULES.values():
        if cfg.is_off(r.rule_id):
            continue
        ctx.rule = r
        ctx.severity = cfg.severity.get(r.rule_id, r.severity)
        if data.layout and r.sheet not in data.layout and _needs_sheet(r):
            continue  # its sheet is missing: the reader said so once
        try:
            out.extend(r.func(ctx))
        except SheetMissing:
            continue  # a sheet it needs is missing: the reader said so once
        except Exception as exc:  # noqa: BLE001 - one broken rule must not hide the rest
            ctx.rule = RULES["rules.failed"]
            ctx.severity = ERROR
            out.append(
                ctx.finding(
                    None, None, sheet=r.sheet, rule=r.rule_id, detail=f"{type(exc).__name__}: {exc}"
                )
            )
    return out


def _needs_sheet(r: Rule) -> bool:
    """Rules on the settings and the tolerated entries work without their
    nominal sheet."""
    return not r.rule_id.startswith(("settings.", "values.", "rules.", "calendar."))


def rule_catalog(lang: str = "zh") -> list[dict]:
    """ID, default severity, sheet and description of every rule (for docs
    and the 参数 sheet's notes)."""
    return [
        {
            "rule_id": r.rule_id,
            "severity": r.severity,
            "sheet": r.sheet,
            "description": r.description(lang),
        }
        for r in RULES.values()
    ]
