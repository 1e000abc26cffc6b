"""The Word 《项目资金使用报告》 (fund usage report): its context and rendering.

:func:`fund_report_context` turns a :class:`~.pipeline.MonthlyFinance` into
the template's fields (narrative, the summary tables, the anomalies, the
finance coordinator from the team sheet as preparer);
:func:`render_fund_report` renders ``templates/<lang>/fund.docx`` (or the
workbook's own templates folder) with the budget-vs-actual chart,
:func:`save_fund_report` writes it safely, :func:`write_fund_report` does
both.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from xlcollab.finance.pipeline import MonthlyFinance
from xlcollab.model import ProjectData
from xlcollab.model.findings import SEVERITY_ORDER
from xlcollab.schema import FIN_ANOMALIES, SEVERITY, finance_label
from xlcollab.schema.lang import tr

__all__ = [
    "fund_report_context",
    "fund_report_chart",
    "render_fund_report",
    "save_fund_report",
    "write_fund_report",
    "TEMPLATE",
]

TEMPLATE = "fund.docx"
# The report stays a few pages however long the ledger: it lists the most
# severe anomalies and names a few budget lines, and says how many more
# there are (the finance workbook's 异常 sheet lists every anomaly).
ANOMALY_LIMIT = 30
NAME_LIMIT = 10


def _money(v: Decimal) -> str:
    return f"¥{v:,.2f}"


def _pct(v) -> str:
    return "—" if v is None else f"{v:.1%}"


def _rows(df, name_key: str, lang: str) -> list[dict]:
    sep = tr(lang, "；", "; ")
    out = []
    for r in df.to_dict("records"):
        remark = ([finance_label("no_budget", lang)] if not r["budgeted"] else []) + (
            [finance_label("over_budget", lang)] if r["over"] else []
        )
        out.append(
            {
                "name": str(r[name_key]),
                "budget": _money(r["budget"]),
                "month": _money(r["month"]),
                "to_date": _money(r["to_date"]),
                "remaining": _money(r["remaining"]),
                "used_pct": _pct(r["used_pct"]),
                "remark": sep.join(remark),
                "budget_value": r["budget"],
                "to_date_value": r["to_date"],
                "over": bool(r["over"]),
                "budgeted": bool(r["budgeted"]),
            }
        )
    return out


def _names(lines, lang: str) -> str:
    """``部门/类别`` of budget lines, the first NAME_LIMIT and how many in all."""
    names = [f"{d}/{c}" for d, c in lines]
    shown = tr(lang, "、", ", ").join(names[:NAME_LIMIT])
    if len(names) <= NAME_LIMIT:
        return shown
    return shown + tr(lang, f"等 {len(names)} 项", f" and {len(names) - NAME_LIMIT} more")


def _listed(anomalies, lang: str) -> tuple[list[dict], dict | None]:
    """The anomalies the report lists (the ANOMALY_LIMIT most severe, in
    ledger order) and the line that says how many more there are."""
    if len(anomalies) <= ANOMALY_LIMIT:
        return anomalies.to_dict("records"), None
    rank = anomalies["severity"].map(lambda s: SEVERITY_ORDER.get(s, 9))
    keep = sorted(rank.sort_values(kind="stable").index[:ANOMALY_LIMIT])
    rest = len(anomalies) - ANOMALY_LIMIT
    report, sheet = finance_label("report", lang), FIN_ANOMALIES.name(lang)
    note = tr(
        lang,
        f"另有 {rest} 条未列出；完整清单见《{report}》工作簿的“{sheet}”工作表",
        f"{rest} more not listed; the {report} workbook's {sheet} sheet lists them all",
    )
    more = dict.fromkeys(("row", "severity", "rule", "date", "department", "amount", "hint"), "")
    return anomalies.loc[keep].to_dict("records"), dict(more, message=note)


def _narrative(mf: MonthlyFinance, lang: str) -> list[str]:
    from xlcollab.reports.common import fmt_month

    sm = mf.summary
    out = []
    if sm.n_month:
        out.append(
            tr(
                lang,
                f"{fmt_month(sm.month, lang)}共发生费用 {sm.n_month} 笔，"
                f"合计 {_money(sm.spent_month)}；"
                f"截至 {sm.last_day} 累计支出 {_money(sm.spent_to_date)}，占总预算 "
                f"{_money(sm.budget)} 的 {_pct(sm.used_pct)}，剩余预算 {_money(sm.remaining)}。",
                f"{sm.n_month} expense lines in {fmt_month(sm.month, lang)}, "
                f"{_money(sm.spent_month)} in total; "
                f"spent to {sm.last_day}: {_money(sm.spent_to_date)}, {_pct(sm.used_pct)} of "
                f"the {_money(sm.budget)} budget, {_money(sm.remaining)} remaining.",
            )
        )
    else:
        out.append(
            tr(
                lang,
                f"{fmt_month(sm.month, lang)}无费用支出；截至 {sm.last_day} 累计支出 "
                f"{_money(sm.spent_to_date)}，占总预算的 {_pct(sm.used_pct)}。",
                f"No expenses in {fmt_month(sm.month, lang)}; spent to {sm.last_day}: "
                f"{_money(sm.spent_to_date)}, {_pct(sm.used_pct)} of the budget.",
            )
        )
    top = sm.by_department[sm.by_department["month"] > 0].sort_values("month", ascending=False)
    if len(top):
        r = top.iloc[0]
        out.append(
            tr(
                lang,
                f"本月支出最多的部门是{r['department']}（{_money(r['month'])}）。",
                f"{r['department']} spent the most this month ({_money(r['month'])}).",
            )
        )
    over = sm.over_budget_lines
    if over:
        names = _names(over, lang)
        out.append(
            tr(
                lang,
                f"超出预算：{names}，请控制支出或提交预算调整申请。",
                f"Over budget: {names}; contain spending or request a budget change.",
            )
        )
    unb = sm.unbudgeted_lines
    if unb:
        names = _names(unb, lang)
        out.append(
            tr(
                lang,
                f"无预算的支出：{names}，请补充预算行或更正部门/费用类别。",
                f"Spending without a budget line: {names}; add the line or correct the entry.",
            )
        )
    n = len(mf.anomalies)
    out.append(
        tr(
            lang,
            f"本月费用异常 {n} 条，详见第五部分。",
            f"{n} anomalies in this month's expenses, see section 5.",
        )
        if n
        else finance_label("no_anomalies", lang) + tr(lang, "。", ".")
    )
    return out


def _finance_coordinator(data: ProjectData) -> str:
    team = data.tables.get("team")
    if team is None or not len(team):
        return ""
    hit = team[team["role"] == "finance"]
    return str(hit["name"].iloc[0]).strip() if len(hit) else ""


def fund_report_context(mf: MonthlyFinance, data: ProjectData, as_of: dt.date) -> dict[str, Any]:
    """The template's fields for one month."""
    from xlcollab.reports.common import base_context, fmt_month

    lang = mf.lang
    sm = mf.summary
    ctx = base_context(data, as_of, lang, finance_label("report", lang))
    total = {k: _money(sm.total[k]) for k in ("budget", "month", "to_date", "remaining")}
    total["used_pct"] = _pct(sm.used_pct)
    anomalies = []
    listed, more = _listed(mf.anomalies, lang)
    for r in listed:
        amount = r["amount"]
        anomalies.append(
            {
                "row": r["source_row"],
                "severity": SEVERITY.label(r["severity"], lang)
                if r["severity"] in SEVERITY.keys
                else str(r["severity"]),
                "rule": r["rule_id"],
                "date": r["date"].date().isoformat()
                if hasattr(r["date"], "date") and r["date"] == r["date"]
                else "",
                "department": "" if r["department"] is None else str(r["department"]),
                "amount": _money(amount) if isinstance(amount, Decimal) else "",
                "message": r["message"],
                "hint": r["hint"],
            }
        )
    if more:
        anomalies.append(more)
    ctx.update(
        {
            "month": sm.month,
            "first_day": sm.first_day.isoformat(),
            "last_day": sm.last_day.isoformat(),
            "prepared_by": _finance_coordinator(data),
            "narrative": _narrative(mf, lang),
            "total": total,
            "month_label": fmt_month(sm.month, lang),
            "departments": _rows(sm.by_department, "department", lang),
            "categories": _rows(sm.by_category, "category", lang),
            "total_row": dict(total, name=finance_label("total", lang), remark=""),
            "anomalies": anomalies,
            "chart_note": finance_label("budget_chart", lang),
        }
    )
    return ctx


def fund_report_chart(ctx: dict, lang: str, width_mm: float = 160):
    """Budget and spending to date per department (grouped bars)."""
    from xlcollab.reports.charts import grouped_bars
    from xlcollab.reports.render import Image
    from xlcollab.schema import FIN_SUMMARY

    rows = ctx["departments"]
    b, s = FIN_SUMMARY.col("budget").header(lang), FIN_SUMMARY.col("to_date").header(lang)
    png = grouped_bars(
        [r["name"] for r in rows],
        {b: [float(r["budget_value"]) for r in rows], s: [float(r["to_date_value"]) for r in rows]},
        colors={b: "#9DC3E6", s: "#C55A11"},
        ylabel=finance_label("amount_axis", lang),
    )
    return Image(png, width_mm)


def _verify_docx(path: Path) -> None:
    with zipfile.ZipFile(path) as z:
        if "word/document.xml" not in z.namelist() or z.testzip() is not None:
            raise ValueError(f"{path.name}: not a Word document")


def render_fund_report(
    mf: MonthlyFinance,
    data: ProjectData,
    as_of: dt.date,
    *,
    templates_dir=None,
    base_dir=None,
) -> bytes:
    """The report's .docx, in memory. Raises ``reports.render.ReportError``
    for a missing or broken template."""
    from xlcollab.reports.pack import templates_dir_for
    from xlcollab.reports.render import DocProps, find_template, render_docx

    lang = mf.lang
    ctx = fund_report_context(mf, data, as_of)
    tpl = find_template(TEMPLATE, lang, templates_dir_for(data, templates_dir, base_dir))
    props = DocProps(
        date=as_of,
        title=f"{finance_label('report', lang)} · {mf.project}",
        subject=finance_label("report", lang),
        keywords=f"finance {mf.month}",
    )
    buf = io.BytesIO()
    render_docx(tpl, ctx, buf, images={"budget_chart": fund_report_chart(ctx, lang)}, props=props)
    return buf.getvalue()


def save_fund_report(content: bytes, path, lang: str, *, overwrite: bool = False) -> Path:
    """Write a rendered report to ``path`` atomically (an existing file is
    replaced only with ``overwrite``, never while open in Word/Excel, and a
    backup is kept). Raises ``io.save.SaveError`` when the file may not be
    replaced."""
    from xlcollab.io.safety import SaveError, atomic_write, backup, refuse_if_open

    path = Path(path)
    if path.exists():
        if not overwrite:
            raise SaveError(
                tr(
                    lang,
                    f"{path} 已存在；如需覆盖请加 --force（会先备份）",
                    f"{path} exists; use --force to overwrite it (a backup is kept)",
                )
            )
        refuse_if_open(path, lang)
        backup(path)
    atomic_write(path, lambda tmp: tmp.write_bytes(content), verify=_verify_docx)
    return path


def write_fund_report(
    mf: MonthlyFinance,
    data: ProjectData,
    as_of: dt.date,
    path,
    *,
    overwrite: bool = False,
    templates_dir=None,
    base_dir=None,
) -> Path:
    """Render the report (:func:`render_fund_report`) and write it to ``path``
    (:func:`save_fund_report`). Raises ``reports.render.ReportError`` for a
    missing or broken template, ``io.save.SaveError`` when the file may not
    be replaced."""
    content = render_fund_report(mf, data, as_of, templates_dir=templates_dir, base_dir=base_dir)
    return save_fund_report(content, path, mf.lang, overwrite=overwrite)
