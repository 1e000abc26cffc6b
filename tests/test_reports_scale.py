"""Reports that scale, read back: on a project with many tasks the weekly
report lists at most N rows per table (the 参数 sheet's 报告每表最多行数), the
most urgent ones, counts the rest in "另有 K 项未列出", and its annex
(``--annex``) lists every task; the demo's tables are never shortened."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest
from docx import Document

from xlcollab.core.calendar import WorkCalendar
from xlcollab.core.figures import figures
from xlcollab.core.network import wbs_key
from xlcollab.reports import build_context, generate
from xlcollab.workbook.demo import STATUS_DATE, demo_project

N = 10
DEPT = "信息技术部"
SECTIONS = {"上周以来完成", "本周到期", "进行中", "阻塞", "逾期"}
MORE = re.compile(r"^另有 (\d+) 项未列出，见(附件|完整清单)$")


def _task(wbs: str, finish: dt.date, status: str, **kw) -> dict:
    start = finish - dt.timedelta(days=5)
    return {
        "wbs": wbs,
        "name": f"批量任务 {wbs}",
        "phase": "execution",
        "department": DEPT,
        "owner": "李明辉",
        "deliverable": "接口说明",
        "planned_start": pd.Timestamp(start),
        "planned_finish": pd.Timestamp(finish),
        "actual_start": pd.Timestamp(start),
        "progress": 0.5 if status != "not_started" else 0.0,
        "status": status,
        "approved": True,
        **kw,
    }


@pytest.fixture(scope="module")
def many():
    """The demo with 90 more tasks for one department: 40 overdue (1 to 20
    working days late), 15 blocked, 35 in progress due after the week."""
    data = demo_project("zh")
    rows = []
    for i in range(40):
        rows.append(
            _task(f"8.1.{i + 1}", dt.date(2026, 3, 31) - dt.timedelta(days=i), "in_progress")
        )
    for i in range(15):
        since = pd.Timestamp(dt.date(2026, 3, 30) - dt.timedelta(days=i))
        rows.append(
            _task(
                f"8.2.{i + 1}",
                dt.date(2026, 4, 20) + dt.timedelta(days=i),
                "blocked",
                blocked_reason="等待外部接口",
                blocked_since=since,
            )
        )
    for i in range(35):
        rows.append(
            _task(f"8.3.{i + 1}", dt.date(2026, 4, 13) + dt.timedelta(days=i), "in_progress")
        )
    tasks = data.tables["tasks"]
    extra = pd.DataFrame(rows).reindex(columns=tasks.columns)
    data.tables["tasks"] = pd.concat(
        [tasks, extra.astype(tasks.dtypes.to_dict())], ignore_index=True
    )
    data.settings["report_rows"] = N
    return data


def _weekly_sections(path) -> dict:
    """{(department, section): (heading count, table rows without the header,
    the "另有 K 项" count or 0, where the rest is)} and the annex rows, read
    from the document."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    doc = Document(str(path))
    out, annex = {}, None
    dept = key = None
    in_annex = False
    for el in doc.element.body.iterchildren():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "p":
            p = Paragraph(el, doc)
            text, style = p.text.strip(), p.style.name
            if style == "Heading 1":
                dept = key = None
                in_annex = text.startswith("附件")
            elif style == "Heading 2":
                m = re.match(r"^(.+?)（对接人", text)
                dept, key = (m.group(1) if m else None), None
            elif style == "Heading 3" and dept:
                m = re.match(r"^(.+?)（(\d+)）$", text)
                key = (dept, m.group(1)) if m and m.group(1) in SECTIONS else None
                if key:
                    out[key] = [int(m.group(2)), None, 0, ""]
            elif key and MORE.match(text):
                out[key][2:] = [int(MORE.match(text).group(1)), MORE.match(text).group(2)]
        elif tag == "tbl":
            rows = [[c.text.strip() for c in r.cells] for r in Table(el, doc).rows]
            if in_annex:
                annex = rows
            elif key and out[key][1] is None:
                out[key][1] = rows[1:]
    return {k: tuple(v) for k, v in out.items()}, annex


def _urgent_order(frame: pd.DataFrame) -> list[str]:
    """WBS codes most urgent first: blocked, most days late, nearest due."""
    recs = frame.to_dict("records")
    recs.sort(
        key=lambda r: (
            r["status"] != "blocked",
            -(0 if pd.isna(r["days_late"]) else int(r["days_late"])),
            r["planned_finish"],
            wbs_key(r["wbs"]),
        )
    )
    return [r["wbs"] for r in recs]


def test_weekly_lists_the_n_most_urgent_and_counts_the_rest(many, tmp_path):
    path = generate("weekly", many, tmp_path, as_of=STATUS_DATE)
    sections, annex = _weekly_sections(path)
    assert annex is None  # no annex unless asked
    fig = figures(many, STATUS_DATE, WorkCalendar.from_holidays(many.tables["holidays"]))
    leaves = fig.tasks
    mine = leaves[leaves["department"] == DEPT]
    overdue = mine[mine["overdue"].fillna(False).astype(bool)]
    blocked = mine[mine["status"] == "blocked"]
    assert len(overdue) > N and len(blocked) > N
    for (dept, section), (count, rows, more, _) in sections.items():
        assert len(rows) <= N, (dept, section)
        assert more == count - len(rows), (dept, section)
    count, rows, more, _ = sections[(DEPT, "逾期")]
    assert count == len(overdue) and more == len(overdue) - N
    shown = [r[0] for r in rows]
    assert set(shown) == set(_urgent_order(overdue)[:N])
    assert shown == sorted(shown, key=wbs_key)  # listed in WBS order
    assert "3.3.4" in shown  # blocked and overdue comes first
    count, rows, more, _ = sections[(DEPT, "阻塞")]
    assert (count, len(rows), more) == (len(blocked), N, len(blocked) - N)
    assert {r[0] for r in rows} == set(_urgent_order(blocked)[:N])
    text = "\n".join(p.text for p in Document(str(path)).paragraphs)
    assert f"另有 {len(overdue) - N} 项未列出，见完整清单" in text


def test_weekly_annex_lists_every_task_of_the_sections(many, tmp_path):
    path = generate("weekly", many, tmp_path, as_of=STATUS_DATE, annex=True)
    sections, annex = _weekly_sections(path)
    assert annex is not None
    head, body = annex[0], annex[1:]
    assert head[:3] == ["部门", "类别", "WBS"]
    assert len(body) == sum(count for count, *_ in sections.values())
    listed = {(r[0], r[1], r[2]) for r in body}
    assert len(listed) == len(body)
    ctx = build_context("weekly", many, STATUS_DATE, annex=True)
    assert ctx["annex_count"] == len(body)
    for (dept, section), (count, *_) in sections.items():
        assert sum(1 for r in body if r[0] == dept and r[1] == section) == count
    added = {f"8.{a}.{b}" for a, n in ((1, 40), (2, 15), (3, 35)) for b in range(1, n + 1)}
    assert added <= {r[2] for r in body if r[0] == DEPT}
    doc_text = "\n".join(p.text for p in Document(str(path)).paragraphs)
    assert re.search(r"另有 \d+ 项未列出，见附件", doc_text)
    shortened = [where for _, _, more, where in sections.values() if more]
    assert shortened and set(shortened) == {"附件"}


def test_briefing_lists_at_most_n_and_counts_all(many):
    ctx = build_context("briefing", many, STATUS_DATE)
    assert len(ctx["level3_blocked"]) <= N and len(ctx["decisions"]) <= N
    assert ctx["decisions_total"] >= len(ctx["decisions"])
    assert ctx["level3_total"] >= len(ctx["level3"]) + len(ctx["level3_blocked"])


def test_the_demo_is_never_shortened():
    data = demo_project("zh")
    ctx = build_context("weekly", data, STATUS_DATE)
    for g in ctx["departments"]:
        for k in ("done_recent", "due_week", "in_progress", "blocked", "overdue"):
            assert len(g[k]) == g[k + "_count"] and g[k + "_more"] == ""
    assert not any(ctx[k] for k in ("risks_more", "decisions_more", "actions_more"))
    assert not any(lv["more"] for lv in ctx["escalation_levels"])
    brief = build_context("briefing", data, STATUS_DATE)
    assert len(brief["decisions"]) == brief["decisions_total"]
    assert len(brief["level3"]) + len(brief["level3_blocked"]) == brief["level3_total"]
