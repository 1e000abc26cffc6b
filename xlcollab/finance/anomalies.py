"""The month's anomalies among the expense lines.

The checks themselves are :mod:`xlcollab.check.rules` (the ``finance.*`` rules and
any other rule that points at the expense sheet: duplicate invoices,
department/category without a budget line, dates outside the project
period, amounts that are not positive, unknown persons ...), so ``xlcollab
check`` and the finance report always name the same anomalies. This module
keeps the findings on the month's rows and adds the one check the rules do
not make yet: an expense without an approver (``finance.missing_approver``,
dropped here as soon as a rule of that ID exists).

Only the rules that can name an expense cell are run (:func:`expense_rules`):
the expense sheet's own and the few that look at every sheet (persons,
departments, task references, tolerated entries). The rest never point at
the expense sheet, and on a master of 20,000 tasks they are most of the
work of a check.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pandas as pd

from xlcollab.core.figures.money import month_expenses
from xlcollab.model import ProjectData, present
from xlcollab.model.a1 import cell_address
from xlcollab.model.findings import SEVERITY_ORDER, WARNING, Finding
from xlcollab.schema import EXPENSES, FIN_ANOMALIES
from xlcollab.schema.lang import tr

__all__ = [
    "expense_findings",
    "expense_rules",
    "month_anomalies",
    "missing_approver",
    "MISSING_APPROVER",
]

MISSING_APPROVER = "finance.missing_approver"
# rules whose nominal sheet is another one but that look at the columns of
# every sheet, the expense sheet's too
CROSS_SHEET_RULES = (
    "people.unknown_person",
    "people.unknown_department",
    "refs.unknown_task",
    "values.",
)
_MESSAGES = (  # zh, en: (text, hint)
    ("费用未填写{column}", "请补填审批人；未经审批的费用不得报销"),
    ("The expense has no {column}", "Fill in the approver; unapproved expenses are not paid"),
)


def expense_findings(
    data: ProjectData, as_of: dt.date, cal, lang: str | None = None
) -> list[Finding]:
    """What ``xlcollab check`` finds on the expense sheet: the reader's
    findings and every rule the settings leave on, plus :func:`missing_approver` while no rule
    covers it."""
    from xlcollab.check.rules import RULES, run_rules

    lang = lang or data.lang
    sheet = data.sheet_name("expenses")
    found = [f for f in data.findings if f.sheet == sheet]  # what reading found
    # the other rules switched off the way the 参数 sheet switches rules off
    keep = set(expense_rules())
    off = [str(data.settings.get("rules_off") or ""), *(r for r in RULES if r not in keep)]
    only = replace(data, settings={**data.settings, "rules_off": ",".join(off)})
    found += [f for f in run_rules(only, as_of, cal, lang) if f.sheet == sheet]
    if MISSING_APPROVER not in RULES:
        found += missing_approver(data, lang)
    return found


def expense_rules() -> list[str]:
    """The IDs of the rules that can name a cell of the expense sheet."""
    from xlcollab.check.rules import RULES

    return [
        r.rule_id
        for r in RULES.values()
        if r.sheet == "expenses" or r.rule_id.startswith(CROSS_SHEET_RULES)
    ]


def missing_approver(data: ProjectData, lang: str | None = None) -> list[Finding]:
    """Expense lines with an amount but no approver."""
    lang = lang or data.lang
    ex = data.tables["expenses"]
    sheet = data.sheet_name("expenses")
    lay = data.layout.get("expenses")
    col = EXPENSES.col("approver")
    header = (lay.headers.get("approver") if lay else None) or col.header(lang)
    col_index = (lay.columns.get("approver") if lay else None) or EXPENSES.keys.index(
        "approver"
    ) + 1
    # amounts are looked at on the lines without an approver only (nearly
    # every amount is distinct: the test per distinct value is the cost)
    amounts = ex["amount"][~present(ex["approver"]).to_numpy(dtype=bool)]
    rows = amounts.index[present(amounts).to_numpy(dtype=bool)]
    text, hint = tr(lang, *_MESSAGES)
    return [
        Finding(
            MISSING_APPROVER,
            WARNING,
            sheet,
            int(row),
            header,
            cell_address(int(row), col_index),
            text.format(column=header),
            hint,
        )
        for row in rows
    ]


def month_anomalies(data: ProjectData, month, findings: list[Finding]) -> pd.DataFrame:
    """One row per finding on an expense line dated in ``month``: the
    FIN_ANOMALIES columns (source_row, severity, rule_id, the line's date,
    department, category, amount, invoice, message, hint), by row then
    severity."""
    ex = month_expenses(data.tables["expenses"], month)
    sheet = data.sheet_name("expenses")
    found = pd.DataFrame(
        [
            (f.row, f.severity, f.rule_id, f.message, f.hint)
            for f in findings
            if f.sheet == sheet and f.row is not None
        ],
        columns=["source_row", "severity", "rule_id", "message", "hint"],
    )
    found = found[found["source_row"].isin(ex.index)]
    if not len(found):
        return pd.DataFrame([], columns=FIN_ANOMALIES.keys)
    line = ex.loc[found["source_row"].to_numpy()]
    df = pd.DataFrame(
        {
            k: found[k].to_numpy() if k in found.columns else line[k].to_numpy()
            for k in FIN_ANOMALIES.keys
        }
    )
    sev = df["severity"].map(lambda s: SEVERITY_ORDER.get(s, 9))
    order = pd.DataFrame({"row": df["source_row"], "sev": sev}).sort_values(
        ["row", "sev"], kind="stable"
    )
    return df.loc[order.index].reset_index(drop=True)
