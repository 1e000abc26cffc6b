"""Every output shows the same figures (README, "Figures").

For the demo at a date in each phase and just after the Qingming holiday,
and for generated projects (hypothesis), the outputs are produced, the
figures they print are read back (``show`` and ``check --format json``
through the command line, Word documents with python-docx, the briefing
with python-pptx, the finance workbook with openpyxl ``data_only=True`` and
pandas), and compared with each other and with a computation from the raw
rows written here, independently of :mod:`xlcollab.core.figures`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path
from unittest import mock

import openpyxl
import pandas as pd
import pytest
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pptx import Presentation
from typer.testing import CliRunner

from xlcollab.check import check
from xlcollab.cli import app
from xlcollab.core.calendar import WorkCalendar
from xlcollab.model.frames import frame
from xlcollab.reports import generate_all, pack
from xlcollab.workbook.demo import demo_project

runner = CliRunner()
D = dt.date
ZERO = Decimal("0.00")
LEVELS = ("department", "pm", "lead")

# one date in each phase, and the first working day after 清明 (Apr 4-6)
DEMO_DATES = {
    "kickoff": D(2026, 3, 4),
    "planning": D(2026, 3, 11),
    "execution": D(2026, 4, 1),
    "after_holiday": D(2026, 4, 7),
    "closing": D(2026, 4, 30),
}


# ------------------------------------------------------ from the raw rows ---
def _missing(v) -> bool:
    return v is None or (not isinstance(v, str) and pd.isna(v))


def _day(v) -> dt.date | None:
    return None if _missing(v) else pd.Timestamp(v).date()


def _key(v) -> str | None:
    return None if _missing(v) or not str(v).strip() else str(v).strip().casefold()


def expected(data, day: dt.date, cal: WorkCalendar, month_end: dt.date | None = None) -> dict:
    """The figures, from the rows: tasks are the rows no other WBS code
    extends; an overdue task that is not blocked is not escalated; money to
    ``month_end`` when given, else to ``day``."""
    t = data.tables["tasks"]
    codes = [None if _missing(w) else str(w).strip() for w in t["wbs"]]
    parents = {c for c in codes if c and any(o and o.startswith(c + ".") for o in codes)}
    pm_days = int(data.setting("escalation_pm_days"))
    lead_days = int(data.setting("escalation_lead_days"))
    out = dict.fromkeys(("tasks", "done", "in_progress", "not_started", "blocked", "overdue"), 0)
    items: dict = {}
    rank = {k: i for i, k in enumerate(LEVELS)}
    by_dept: dict = {}
    for code, (_, r) in zip(codes, t.iterrows(), strict=False):
        if code in parents or (code is None and _missing(r["name"])):
            continue
        status = r["status"]
        out["tasks"] += 1
        if status in out:
            out[status] += 1
        dept = by_dept.setdefault(str(r["department"]), {"tasks": 0, "in_progress": 0})
        dept["tasks"] += 1
        dept["in_progress"] += status == "in_progress"
        pf = _day(r["planned_finish"])
        if status != "done" and not _missing(status) and pf and day > pf:
            out["overdue"] += 1
        if status == "blocked":
            since = _day(r["blocked_since"]) or _day(r["actual_start"]) or _day(r["planned_start"])
            since = min(since or day, day)
            n = cal.workdays_between(since, day)
            level = "department" if n <= pm_days else "pm" if n <= lead_days else "lead"
            items[("task", code)] = level
    out["blocked_at"] = {k: sum(v == k for v in items.values()) for k in LEVELS}
    for i, r in data.tables["escalations"].iterrows():
        raised, closed = _day(r["raised_on"]), _day(r["closed_on"])
        if _missing(r["issue"]) or (raised and raised > day) or (closed and closed <= day):
            continue
        task = None if _missing(r["task"]) else str(r["task"]).strip()
        key = ("task", task) if ("task", task) in items else ("row", i)
        if key not in items or rank[r["level"]] > rank[items[key]]:
            items[key] = r["level"]
    out["escalation"] = {k: sum(v == k for v in items.values()) for k in LEVELS}
    out["by_department"] = by_dept

    through = month_end or day
    budget = data.tables["budget"]
    pairs = {
        (_key(d), _key(c)) for d, c in zip(budget["department"], budget["category"], strict=False)
    }
    out["budget"] = sum((a for a in budget["amount"] if not _missing(a)), ZERO)
    spent = month = unbudgeted = ZERO
    first = through.replace(day=1)
    for _, r in data.tables["expenses"].iterrows():
        d, a = _day(r["date"]), r["amount"]
        if d is None or _missing(a) or d > through:
            continue
        spent += a
        month += a if d >= first else ZERO
        if (_key(r["department"]), _key(r["category"])) not in pairs:
            unbudgeted += a
    out.update(spent=spent, month=month, unbudgeted=unbudgeted)

    deliverables = {"total": 0, "accepted": 0, "by_department": {}}
    for _, r in data.tables["deliverables"].iterrows():
        if _missing(r["name"]):
            continue
        ok = not _missing(r["accepted"]) and bool(r["accepted"])
        dept = deliverables["by_department"].setdefault(str(r["department"]).strip(), [0, 0])
        deliverables["total"] += 1
        deliverables["accepted"] += ok
        dept[0] += 1
        dept[1] += ok
    deliverables["pending"] = deliverables["total"] - deliverables["accepted"]
    out["deliverables"] = deliverables
    return out


# ------------------------------------------------------- reading outputs ---
def _money(text: str) -> Decimal:
    return Decimal(text.replace("¥", "").replace(",", "").strip())


def _ints(pattern: str, text: str) -> tuple[int, ...]:
    m = re.search(pattern, text)
    assert m, f"{pattern!r} not in {text[:2000]!r}"
    return tuple(int(g) for g in m.groups())


def _lead(text: str) -> int:
    """The number a cell starts with ("24（37%）" -> 24)."""
    m = re.match(r"\s*(\d+)", text)
    assert m, text
    return int(m.group(1))


def docx_blocks(path: Path) -> list:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    doc = Document(str(path))
    out = []
    for el in doc.element.body.iterchildren():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "p":
            out.append(Paragraph(el, doc).text.strip())
        elif tag == "tbl":
            out.append([[c.text.strip() for c in row.cells] for row in Table(el, doc).rows])
    return out


def docx_text(path: Path) -> str:
    return "\n".join(
        b if isinstance(b, str) else "\n".join(" | ".join(r) for r in b) for b in docx_blocks(path)
    )


def table_with(blocks: list, first_header: str) -> list[list[str]]:
    for b in blocks:
        if isinstance(b, list) and b and b[0] and b[0][0] == first_header:
            return b
    raise AssertionError(f"no table whose header starts with {first_header!r}")


def pptx_tables(path: Path) -> list[list[list[str]]]:
    prs = Presentation(str(path))
    return [
        [[c.text.strip() for c in row.cells] for row in shape.table.rows]
        for slide in prs.slides
        for shape in slide.shapes
        if shape.has_table
    ]


def read_show(path: Path, day: dt.date) -> dict:
    out = runner.invoke(app, ["show", str(path), "--as-of", day.isoformat()])
    assert out.exit_code == 0, out.output
    text = re.sub(r"\s+", " ", out.output)
    n, done, ip, ns, bl = _ints(
        r"任务 (\d+) 项，已完成 (\d+)（\d+%），进行中 (\d+)，\s?未开始 (\d+)，\s?阻塞 (\d+)", text
    )
    (overdue,) = _ints(r"逾期 (\d+)，", text)
    esc = _ints(r"部门内解决 (\d+)，\s?项目经理协调 (\d+)，\s?总负责人决策 (\d+)", text)
    m = re.search(r"预算 / 已支出 ¥([\d,.]+) / ¥([\d,.]+)(?:（含预算外 ¥([\d,.]+)）)?", text)
    assert m, text
    return {
        "tasks": n,
        "done": done,
        "in_progress": ip,
        "not_started": ns,
        "blocked": bl,
        "overdue": overdue,
        "escalation": dict(zip(LEVELS, esc, strict=True)),
        "budget": _money(m.group(1)),
        "spent": _money(m.group(2)),
        "unbudgeted": _money(m.group(3)) if m.group(3) else ZERO,
    }


def read_check_json(path: Path, day: dt.date) -> dict:
    out = runner.invoke(app, ["check", str(path), "--format", "json", "--as-of", day.isoformat()])
    assert out.exit_code in (0, 1), out.output
    return json.loads(out.output)


def from_check(doc: dict) -> dict:
    t, m = doc["flags"]["tasks"], doc["flags"]["money"]
    assert doc["stats"]["tasks"] == t["total"]
    return {
        "tasks": t["total"],
        **{k: t["by_status"][k] for k in ("done", "in_progress", "not_started", "blocked")},
        "overdue": t["overdue"],
        "escalation": t["escalation"],
        "budget": Decimal(m["budget"]),
        "spent": Decimal(m["spent_to_date"]),
        "unbudgeted": Decimal(m["unbudgeted"]),
    }


def read_weekly(path: Path) -> dict:
    bl = docx_blocks(path)
    table = table_with(bl, "任务总数")
    row = dict(zip(table[0], table[1], strict=False))
    text = docx_text(path)
    depts = [
        tuple(int(x) for x in m)
        for m in re.findall(r"共(\d+)项，已完成(\d+)项（\d+%），进行中(\d+)项", text)
    ]
    return {
        "tasks": _lead(row["任务总数"]),
        "done": _lead(row["已完成"]),
        "in_progress": _lead(row["进行中"]),
        "not_started": _lead(row["未开始"]),
        "blocked": _lead(row["阻塞"]),
        "overdue": _lead(row["逾期"]),
        "departments": depts,
    }


def read_summary(path: Path) -> dict:
    text = docx_text(path)
    done, n = _ints(r"任务完成 (\d+) / (\d+)", text)
    total = next(
        r
        for b in docx_blocks(path)
        if isinstance(b, list)
        for r in b
        if r and r[0] == "合计" and r[1].startswith("¥")
    )
    return {
        "tasks": n,
        "done": done,
        "budget": _money(total[1]),
        "spent": _money(total[2]),
        "unbudgeted": _money(total[-1]) if total[-1] else ZERO,
    }


def read_briefing(path: Path) -> dict:
    tables = pptx_tables(path)
    status = dict(r[:2] for r in next(t for t in tables if t[0][0] == "指标"))
    done, n = _ints(r"(\d+) / (\d+)", status["任务完成"])
    budget = next(t for t in tables if t[0][:3] == ["部门", "预算", "已支出"])
    total = dict(zip(budget[0], budget[-1], strict=False))
    assert total["部门"] == "合计"
    return {
        "tasks": n,
        "done": done,
        "in_progress": _lead(status["进行中"]),
        "blocked": _lead(status["阻塞"]),
        "overdue": _lead(status["逾期"]),
        "budget": _money(total["预算"]),
        "spent": _money(total["已支出"]),
        "month": _money(total["本月支出"]),
        "unbudgeted": _money(total["预算外支出"]),
        "unbudgeted_by_department": {r[0]: _money(r[-1]) for r in budget[1:-1] if r[-1]},
    }


def read_delivery(path: Path) -> dict:
    """The 交付确认书's counts: its conclusion, its list and its table by
    department (department -> [deliverables, accepted])."""
    text = docx_text(path)
    m = re.search(r"全部(\d+)项交付物已验收", text)
    if m:
        n, a, p = int(m.group(1)), int(m.group(1)), 0
    else:
        n, a, p = _ints(r"共(\d+)项交付物，已验收(\d+)项，待验收(\d+)项", text)
    blocks = docx_blocks(path)
    listed = table_with(blocks, "序号")
    by = table_with(blocks, "部门")
    assert by[0][:4] == ["部门", "交付物", "已验收", "待验收"], by[0]
    rows = {r[0]: [int(r[1]), int(r[2])] for r in by[1:]}
    assert all(int(r[1]) - int(r[2]) == int(r[3]) for r in by[1:])
    return {
        "total": n,
        "accepted": a,
        "pending": p,
        "listed": len([r for r in listed[1:] if r[0] != "无"]),
        "by_department": rows,
    }


def read_finance_lines(path: Path) -> dict:
    """The finance workbook's department x category block: the spending to
    date of the lines marked 无预算 (total and per department) and the lines
    marked 超出预算."""
    ws = openpyxl.load_workbook(path, data_only=True).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    header = next(r for r in rows if r and r[0] == "部门")
    col = {h: i for i, h in enumerate(header)}
    start = next(i for i, r in enumerate(rows) if r[0] == "按部门和费用类别")
    unbudgeted, by_dept, over = ZERO, {}, set()
    for r in rows[start + 1 :]:
        if r[0] == "合计":
            break
        note = r[col["说明"]] or ""
        if "无预算" in note:
            value = Decimal(str(r[col["累计支出"]])).quantize(Decimal("0.01"))
            unbudgeted += value
            by_dept[r[0]] = by_dept.get(r[0], ZERO) + value
        if "超出预算" in note:
            over.add((r[0], r[1]))
    return {"unbudgeted": unbudgeted, "unbudgeted_by_department": by_dept, "over": over}


def read_page(html: str) -> dict:
    """The status page's key figures (its ``data-figure`` elements)."""
    shown = {
        k: re.sub(r"<[^>]+>", "", v).strip()
        for k, v in re.findall(r'data-figure="(\w+)"[^>]*>(.*?)</', html, flags=re.S)
    }
    return {
        **{k: int(shown[k]) for k in ("tasks", "in_progress", "blocked", "overdue")},
        "blocked_at": {k: int(shown[f"blocked_{k}"]) for k in LEVELS},
        "budget": _money(shown["budget"]),
        "spent": _money(shown["spent"]),
    }


def read_checklist(path: Path) -> int:
    (n,) = _ints(r"(\d+) 项，涉及", docx_text(path))
    return n


def read_finance_xlsx(path: Path) -> dict:
    """The 合计 row of the by-department block, as a reader that does not
    recalculate sees it (openpyxl data_only; pandas agrees)."""
    ws = openpyxl.load_workbook(path, data_only=True).worksheets[0]
    header = next(r for r in ws.iter_rows(values_only=True) if r and r[0] == "部门")
    total = next(r for r in ws.iter_rows(values_only=True) if r and r[0] == "合计")
    row = dict(zip(header, total, strict=False))
    df = pd.read_excel(path, sheet_name=0, header=None, engine="openpyxl")
    pd_total = df[df[0] == "合计"].iloc[0].tolist()
    assert [v for v in pd_total if not pd.isna(v)] == [v for v in total if v is not None]
    for v in total[2:6]:
        assert v is not None, "a total shows blank without recalculation"
    return {
        "budget": Decimal(str(row["预算金额"])).quantize(Decimal("0.01")),
        "month": Decimal(str(row["本月支出"])).quantize(Decimal("0.01")),
        "spent": Decimal(str(row["累计支出"])).quantize(Decimal("0.01")),
    }


def read_fund_report(path: Path) -> dict:
    text = docx_text(path)
    m = re.search(r"合计 ¥([\d,.]+)；截至 \S+ 累计支出 ¥([\d,.]+)，占总预算 ¥([\d,.]+)", text)
    assert m, text[:800]
    return {"month": _money(m.group(1)), "spent": _money(m.group(2)), "budget": _money(m.group(3))}


def _weekly_and_summary_agree(paths: dict, want: dict) -> None:
    """The rendered weekly report (overview and each department's line) and
    summary report print the independent computation's figures."""
    weekly = read_weekly(paths["周例会进度报告"])
    _same(weekly, want, TASK_KEYS)
    per_dept = [(d["tasks"], d["in_progress"]) for d in want["by_department"].values()]
    assert sorted((n, ip) for n, _, ip in weekly["departments"]) == sorted(per_dept)
    summary = read_summary(paths["项目总结报告"])
    _same(summary, want, ("tasks", "done", "budget", "spent", "unbudgeted"))


def _same(a: dict, b: dict, keys) -> None:
    for k in keys:
        assert a[k] == b[k], (k, a[k], b[k])


TASK_KEYS = ("tasks", "done", "in_progress", "not_started", "blocked", "overdue")


# ------------------------------------------------------------------ demo ---
@pytest.fixture(scope="module")
def demo():
    return demo_project()


@pytest.fixture(scope="module")
def cal(demo):
    return WorkCalendar.from_holidays(demo.tables["holidays"])


def test_the_dates_cover_every_phase_and_the_holiday(demo, cal):
    from xlcollab.core.figures import figures

    phases = {k: figures(demo, d, cal).phase for k, d in DEMO_DATES.items()}
    assert phases == {
        "kickoff": "kickoff",
        "planning": "planning",
        "execution": "execution",
        "after_holiday": "execution",
        "closing": "closing",
    }
    after = DEMO_DATES["after_holiday"]
    assert not cal.is_workday(after - dt.timedelta(days=1)) and cal.is_workday(after)


@pytest.mark.parametrize("when", list(DEMO_DATES))
def test_demo_outputs_agree(when, demo, cal, demo_path, tmp_path):
    day = DEMO_DATES[when]
    want = expected(demo, day, cal)
    month_end = (pd.Timestamp(day) + pd.offsets.MonthEnd(0)).date()
    want_month = expected(demo, day, cal, month_end=month_end)

    shown = read_show(demo_path, day)
    _same(shown, want, (*TASK_KEYS, "escalation", "budget", "spent", "unbudgeted"))
    checked = from_check(read_check_json(demo_path, day))
    _same(checked, want, (*TASK_KEYS, "escalation", "budget", "spent", "unbudgeted"))

    findings = list(check(demo, day).findings)
    paths = {
        p.name.split("_")[0]: p
        for p in generate_all(demo, tmp_path, as_of=day, lang="zh", findings=findings)
    }
    assert len(paths) == 8
    _weekly_and_summary_agree(paths, want)
    assert read_checklist(paths["跨部门任务协作清单"]) == want["tasks"]
    roles = table_with(docx_blocks(paths["职责分工说明书"]), "部门")
    col = roles[0].index("任务数")
    counts = {r[0]: int(r[col]) for r in roles[1:]}
    assert {k: v for k, v in counts.items() if v} == {
        k: d["tasks"] for k, d in want["by_department"].items()
    }
    delivery = read_delivery(paths["项目交付确认书"])
    _same(delivery, want["deliverables"], ("total", "accepted", "pending", "by_department"))
    assert delivery["listed"] == want["deliverables"]["total"]
    briefing = read_briefing(paths["月度高层简报"])
    _same(briefing, want, ("tasks", "done", "in_progress", "blocked", "overdue"))
    _same(briefing, want_month, ("budget", "spent", "month", "unbudgeted"))

    # the fund report of the same month shows the briefing's money
    month = day.strftime("%Y-%m")
    out = runner.invoke(
        app,
        ["finance", str(demo_path), "--month", month, "-o", str(tmp_path / "fin")]
        + ["--as-of", day.isoformat()],
    )
    assert out.exit_code == 0, out.output
    xlsx = next((tmp_path / "fin").glob("*.xlsx"))
    docx = next((tmp_path / "fin").glob("*.docx"))
    _same(read_finance_xlsx(xlsx), want_month, ("budget", "month", "spent"))
    _same(read_fund_report(docx), want_month, ("budget", "month", "spent"))
    _same(read_finance_xlsx(xlsx), briefing, ("budget", "month", "spent"))
    # unbudgeted spending: the briefing's money slide shows the fund report's
    _same(read_finance_lines(xlsx), briefing, ("unbudgeted", "unbudgeted_by_department"))


def test_demo_unbudgeted_spending_is_shown_everywhere(demo, cal, demo_path):
    day = DEMO_DATES["closing"]
    want = expected(demo, day, cal)
    assert want["unbudgeted"] == Decimal("3250.80")
    assert read_show(demo_path, day)["unbudgeted"] == want["unbudgeted"]
    assert from_check(read_check_json(demo_path, day))["unbudgeted"] == want["unbudgeted"]


def test_briefing_lead_decisions_agree(demo, cal, tmp_path):
    """On 2026-04-01 the level-3 slide (总负责人决策) and the decisions slide
    agree on what the project lead decides: the ladder's problems (问题升级
    entries, blocked tasks) in the slide's first table, and the budget
    overspends, not problems, in its second table labelled 预算超支待决策;
    the decisions slide lists the same items with their source sheet."""
    from xlcollab.finance.pipeline import monthly_finance
    from xlcollab.io.save import save_new_workbook
    from xlcollab.reports import generate

    day = DEMO_DATES["execution"]
    path = generate("briefing", demo, tmp_path, as_of=day, cal=cal)
    slide = next(
        s
        for s in Presentation(str(path)).slides
        if s.shapes.title is not None and s.shapes.title.text == "需总负责人决策的升级问题"
    )
    problems_t, budget_t = (
        [[c.text.strip() for c in r.cells] for r in sh.table.rows]
        for sh in slide.shapes
        if sh.has_table
    )
    assert problems_t[0][:2] == ["问题", "任务"]
    assert budget_t[0][0].startswith("预算超支待决策")
    problems = [r for r in problems_t[1:] if r[0] != "无"]
    budget = [r for r in budget_t[1:] if r[0] != "无"]
    decisions = next(t for t in pptx_tables(path) if t[0][0] == "待决事项")[1:]
    to_lead: dict = {}
    for r in decisions:
        if r[2] == "总负责人决策":
            to_lead.setdefault(r[1], []).append(r[0])
    assert set(to_lead) <= {"问题升级", "任务清单", "预算"}, to_lead
    # the contradiction of old: a decision for the lead, and the slide said 无
    assert to_lead and (problems or budget)

    # budget overspends: the same lines on both slides and in the fund workbook
    overspent = {tuple(r[0].split("/", 1)) for r in budget}
    decided = {re.match(r"(\S+?)/(\S+?) 超支", i).groups() for i in to_lead.get("预算", [])}
    assert overspent == decided and overspent
    for r in budget:
        assert _money(r[2]) - _money(r[1]) == _money(r[3]) > 0
    mf = monthly_finance(demo, day.strftime("%Y-%m"), day, cal, findings=[])
    xlsx = save_new_workbook(mf.workbook(), tmp_path / "fin.xlsx")
    assert read_finance_lines(xlsx)["over"] == overspent

    # problems: each open one at the lead's level is on the level-3 slide
    open_problems = {r[0] for r in problems if r[-1] in ("处理中", "待决策")}
    for item in to_lead.get("问题升级", []):
        assert item in open_problems, item
    blocked = {r[1] for r in problems if r[0].startswith("阻塞")}
    for item in to_lead.get("任务清单", []):
        assert re.match(r"阻塞任务 (\S+) ", item).group(1) in blocked, item
    lead = expected(demo, day, cal)["escalation"]["lead"]
    assert (lead == 0) == (not open_problems)


# ------------------------------------------------------ cached values ---
def test_cached_values_equal_libreoffice(office, demo_path, tmp_path):
    """Every formula cell xlcollab writes on the table sheets (computed
    columns, summary rows) carries a cached value equal to what LibreOffice
    computes on a full recalculation."""
    from xlcollab.io.office import recalculate
    from xlcollab.schema import SHEETS

    again = recalculate(demo_path, tmp_path)
    ours = openpyxl.load_workbook(demo_path, data_only=True)
    theirs = openpyxl.load_workbook(again, data_only=True)
    formulas = openpyxl.load_workbook(demo_path)
    compared = shown = 0
    for key in ("tasks", "risks", "budget"):
        title = SHEETS[key].name("zh")
        for row in formulas[title].iter_rows():
            for c in row:
                if not (isinstance(c.value, str) and c.value.startswith("=")):
                    continue
                a = ours[title][c.coordinate].value
                b = theirs[title][c.coordinate].value
                compared += 1
                shown += a not in ("", None)
                assert _norm(a) == _norm(b), (title, c.coordinate, a, b)
    assert compared > 600 and shown > 200


def _norm(v):
    if v in ("", None):
        return None
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, (int, float)):
        return round(float(v), 6)
    return v


def test_finance_totals_cached_and_equal_libreoffice(office, demo_path, tmp_path):
    from xlcollab.io.office import recalculate

    out = runner.invoke(
        app, ["finance", str(demo_path), "--month", "2026-03", "-o", str(tmp_path), "--no-docx"]
    )
    assert out.exit_code == 0, out.output
    path = next(tmp_path.glob("*.xlsx"))
    ours = openpyxl.load_workbook(path, data_only=True)
    theirs = openpyxl.load_workbook(recalculate(path, tmp_path / "lo"), data_only=True)
    formulas = openpyxl.load_workbook(path)
    n = 0
    for ws in formulas.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value.startswith("="):
                    a, b = ours[ws.title][c.coordinate].value, theirs[ws.title][c.coordinate].value
                    assert a is not None or b in ("", None), (ws.title, c.coordinate)
                    assert _norm(a) == _norm(b), (ws.title, c.coordinate, a, b)
                    n += 1
    assert n >= 10
    assert formulas.calculation.fullCalcOnLoad


# ------------------------------------------------------- generated projects ---
DEPTS = ("项目管理部", "信息技术部", "市场部", "销售部")
CATS = ("人工", "软件", "差旅")
STATUSES = ("not_started", "in_progress", "done", "blocked")
START = D(2026, 3, 2)


@st.composite
def projects(draw):
    """A random WBS tree (summary rows with random typed values), statuses,
    blocked dates, escalations, a budget and expenses across months
    (some on lines without a budget)."""
    day = START + dt.timedelta(days=draw(st.integers(0, 70)))
    tasks = []

    def leaf_or_tree(code: str, depth: int):
        kids = draw(st.integers(0, 3)) if depth < 3 else 0
        a = START + dt.timedelta(days=draw(st.integers(0, 50)))
        b = a + dt.timedelta(days=draw(st.integers(0, 15)))
        status = draw(st.sampled_from(STATUSES))
        rec = {
            "wbs": code,
            "name": f"任务{code}",
            "phase": draw(st.sampled_from(("kickoff", "planning", "execution", "closing"))),
            "department": draw(st.sampled_from(DEPTS)),
            "owner": "张伟",
            "planned_start": a,
            "planned_finish": b,
            "status": status,
            "progress": draw(st.sampled_from((0.0, 0.3, 0.5, 1.0))),
        }
        if status in ("in_progress", "done", "blocked"):
            rec["actual_start"] = a
        if status == "done":
            rec["actual_finish"] = b + dt.timedelta(days=draw(st.integers(-2, 6)))
        if status == "blocked" and draw(st.booleans()):
            rec["blocked_since"] = a + dt.timedelta(days=draw(st.integers(0, 20)))
        tasks.append(rec)
        for k in range(1, kids + 1):
            leaf_or_tree(f"{code}.{k}", depth + 1)

    for top in range(1, draw(st.integers(1, 3)) + 1):
        leaf_or_tree(str(top), 1)
    leaves = [
        t["wbs"] for t in tasks if not any(o["wbs"].startswith(t["wbs"] + ".") for o in tasks)
    ]
    esc = [
        {
            "issue": f"问题{i}",
            "task": draw(st.sampled_from([None, *leaves])),
            "level": draw(st.sampled_from(LEVELS)),
            "raised_on": START + dt.timedelta(days=draw(st.integers(0, 60))),
            "closed_on": draw(
                st.sampled_from([None, START + dt.timedelta(days=draw(st.integers(0, 70)))])
            ),
        }
        for i in range(draw(st.integers(0, 3)))
    ]
    budget = [
        {"department": d, "category": c, "amount": Decimal(draw(st.integers(1, 500))) * 100}
        for d in DEPTS[:3]
        for c in CATS[:2]
    ]
    expenses = [
        {
            "date": D(2026, 2, 20) + dt.timedelta(days=draw(st.integers(0, 100))),
            "department": draw(st.sampled_from(DEPTS)),
            "category": draw(st.sampled_from(CATS)),
            "amount": Decimal(draw(st.integers(1, 10_000_000))) / 100,
        }
        for _ in range(draw(st.integers(0, 12)))
    ]
    return day, tasks, esc, budget, expenses


_BASE = demo_project()  # people, departments, holidays, settings
GENERATED_KINDS = ("weekly", "summary", "briefing")


def _pixel_png() -> bytes:
    """A one-pixel white PNG."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff"))
        + chunk(b"IEND", b"")
    )


def _blank_charts(kind, data, ctx, day, cal, lang, fig=None) -> dict:
    """The documents' pictures as a blank pixel each: the figures are in
    the text and the tables, and drawing 100 projects' charts is slow."""
    from xlcollab.reports.render import Image

    ctx.setdefault("gantt_note", "")
    return {n: Image(_pixel_png(), 10) for n in ("gantt", "progress", "budget_chart")}


def _project(tasks, esc, budget, expenses):
    data = dataclasses.replace(_BASE, tables=dict(_BASE.tables), findings=[])
    data.tables["tasks"] = frame("tasks", tasks)
    data.tables["escalations"] = frame("escalations", esc)
    data.tables["budget"] = frame("budget", budget)
    data.tables["expenses"] = frame("expenses", expenses)
    return data


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(projects())
def test_generated_projects_agree(tmp_path_factory, project):
    from xlcollab.finance.pipeline import monthly_finance
    from xlcollab.io.save import save_new_workbook
    from xlcollab.page import PageOptions, write_page

    day, tasks, esc, budget, expenses = project
    data = _project(tasks, esc, budget, expenses)
    cal = WorkCalendar.from_holidays(data.tables["holidays"])
    want = expected(data, day, cal)

    report = check(data, day)
    checked = from_check(json.loads(json.dumps(report.to_dict(), default=str)))
    _same(checked, want, (*TASK_KEYS, "escalation", "budget", "spent", "unbudgeted"))

    # the documents rendered (charts left out: they print no figure) and read back
    out = tmp_path_factory.mktemp("gen")
    month_end = (pd.Timestamp(day) + pd.offsets.MonthEnd(0)).date()
    want_month = expected(data, day, cal, month_end=month_end)
    with mock.patch.object(pack, "charts_for", _blank_charts):
        paths = {
            p.name.split("_")[0]: p
            for p in generate_all(
                data, out, as_of=day, lang="zh", kinds=GENERATED_KINDS, findings=[], cal=cal
            )
        }
    _weekly_and_summary_agree(paths, want)
    briefing = read_briefing(paths["月度高层简报"])
    _same(briefing, want, ("tasks", "done", "in_progress", "blocked", "overdue"))
    _same(briefing, want_month, ("budget", "spent", "month", "unbudgeted"))

    # show, through the command line, on the same rows
    with mock.patch("xlcollab.cli.project.read", return_value=data):
        shown = read_show(out / "生成的项目.xlsx", day)
    _same(shown, want, (*TASK_KEYS, "escalation", "budget", "spent", "unbudgeted"))

    # the status page
    page, _ = write_page(data, out / "page", day, PageOptions(), cal)
    shown = read_page(page.read_text("utf-8"))
    _same(shown, want, ("tasks", "in_progress", "blocked", "overdue", "blocked_at"))
    _same(shown, want, ("budget", "spent"))

    mf = monthly_finance(data, day.strftime("%Y-%m"), day, cal, findings=[])
    xlsx = save_new_workbook(mf.workbook(), out / "fin.xlsx")
    _same(read_finance_xlsx(xlsx), want_month, ("budget", "month", "spent"))
