"""The status page and the portfolio: content equals core/figures, every
workbook text is escaped, nothing private is published, the nightly run
writes the page and its notifications link to it."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from html import unescape
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from xlcollab.cli.app import app
from xlcollab.core import figures as F
from xlcollab.core.calendar import WorkCalendar
from xlcollab.io import read_workbook
from xlcollab.io.save import save_new_workbook
from xlcollab.page import PageOptions, write_page
from xlcollab.page.svg_gantt import GanttRow, gantt_svg
from xlcollab.page.view import page_context
from xlcollab.reports.common import fmt_money, fmt_pct
from xlcollab.workbook import build_workbook
from xlcollab.workbook.demo import demo_project

AS_OF = dt.date(2026, 4, 1)
HOSTILE = '<script>window.__xss=1</script>"><img src=x onerror="window.__xss=2">'
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
runner = CliRunner()


def figures_shown(html: str) -> dict[str, str]:
    """data-figure key -> the text shown."""
    return {
        k: re.sub(r"<[^>]+>", "", v).strip()
        for k, v in re.findall(r'data-figure="([\w]+)"[^>]*>(.*?)</', html, flags=re.S)
    }


def expected(fig: F.StatusFigures) -> dict[str, str]:
    return {
        "progress": fmt_pct(fig.progress),
        "tasks": str(fig.tasks),
        "in_progress": str(fig.in_progress),
        "blocked": str(fig.blocked),
        "overdue": str(fig.overdue),
        "due_soon": str(fig.due_soon),
        "risks_high": str(fig.risks_high),
        "spent": fmt_money(fig.spent),
        "spent_total": fmt_money(fig.spent),
        "budget": fmt_money(fig.budget),
        "milestones": f"{fig.milestones_reached}/{fig.milestones}",
        **{f"blocked_{lv}": str(n) for lv, n in fig.blocked_at.items()},
    }


def hostile_project(email_in_reason: bool = True):
    data = demo_project()
    tasks = data.tables["tasks"]
    i = tasks.index[tasks["wbs"] == "3.3.4"][0]
    tasks.loc[i, "name"] = HOSTILE
    if email_in_reason:
        tasks.loc[i, "blocked_reason"] = "供应商未回复，联系 vendor.contact@supplier.example"
    risks = data.tables["risks"]
    risks.loc[risks.index[0], "description"] = "<b>bold</b> & <svg onload=alert(1)>"
    return data


def test_demo_page_shows_core_figures(tmp_path):
    data = demo_project()
    cal = WorkCalendar.from_holidays(data.tables["holidays"])
    target, ctx = write_page(data, tmp_path, AS_OF, PageOptions())
    html = target.read_text("utf-8")
    fig = F.status_figures(data, AS_OF, cal)
    assert ctx["figures"] == fig
    shown = figures_shown(html)
    for key, value in expected(fig).items():
        assert shown[key] == value, key
    # leaf tasks only: summary rows never count
    assert fig.tasks == int(F.leaf_mask(data.tables["tasks"].dropna(subset=["wbs"])).sum())
    assert fig.tasks == fig.done + fig.in_progress + fig.blocked + fig.not_started
    assert shown["light"] == {"green": "绿灯", "yellow": "黄灯", "red": "红灯"}[fig.light]
    # escalations: the blocked tasks, each at its level, with who decides
    assert sum(fig.blocked_at.values()) == fig.blocked
    assert "3.3.4" in html and "项目经理协调" in html
    assert "2026-04-01" in html


def test_page_in_english(tmp_path):
    target, _ = write_page(demo_project(), tmp_path, AS_OF, PageOptions(lang="en"))
    html = target.read_text("utf-8")
    assert '<html lang="en">' in html
    assert "Key figures" in html and "Blocked and overdue tasks" in html
    assert "关键数字" not in html


def test_workbook_text_is_escaped(tmp_path):
    target, _ = write_page(hostile_project(), tmp_path, AS_OF, PageOptions())
    html = target.read_text("utf-8")
    assert html.count("<script") == 1  # the page's own script only
    assert "<img" not in html and "<svg onload" not in html and "<b>bold" not in html
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;svg onload=alert(1)&gt;" in html
    # the page's own script is the only one the policy allows
    assert re.search(r"script-src 'sha256-[A-Za-z0-9+/=]+'", unescape(html))


def test_nothing_loads_from_the_network(tmp_path):
    target, _ = write_page(demo_project(), tmp_path, AS_OF, PageOptions())
    html = target.read_text("utf-8")
    refs = re.findall(r'(?:src|href)="([^"]*)"', html)
    assert all(not re.match(r"[a-z]+:", r) for r in refs), refs
    assert "<link" not in html and "@import" not in html and "url(" not in html
    assert "default-src 'none'" in unescape(html)


def test_no_paths_emails_or_secrets(tmp_path, monkeypatch):
    monkeypatch.setenv("XLCOLLAB_WEBHOOK_URL", "https://robot.example/send?access_token=TOKEN4711")
    monkeypatch.setenv("XLCOLLAB_WEBHOOK_SECRET", "SEC-SIGNING-0815")
    monkeypatch.setenv("XLCOLLAB_SMTP_PASSWORD", "hunter2-password")
    folder = tmp_path / "机密项目文件夹"
    folder.mkdir()
    book = folder / "主工作簿.xlsx"
    save_new_workbook(build_workbook(hostile_project()), book)
    out = tmp_path / "out"
    result = runner.invoke(app, ["page", str(book), "-o", str(out), "--as-of", "2026-04-01"])
    assert result.exit_code == 0, result.output
    html = (out / "index.html").read_text("utf-8")
    for private in (str(tmp_path), "机密项目文件夹", "主工作簿", str(Path.home()), "/tmp/"):
        assert private not in html
    for secret in ("TOKEN4711", "SEC-SIGNING-0815", "hunter2-password", "robot.example"):
        assert secret not in html
    assert not EMAIL.search(html)
    assert "vendor.contact" not in html and "供应商未回复，联系 […]" in html


def test_emails_shown_when_settings_allow(tmp_path):
    data = hostile_project()
    target, _ = write_page(data, tmp_path, AS_OF, PageOptions(show_email=True))
    assert "vendor.contact@supplier.example" in target.read_text("utf-8")


def test_gantt_draws_brackets_bars_milestones_and_today():
    data = demo_project()
    cal = WorkCalendar.from_holidays(data.tables["holidays"])
    tasks = F.task_status(data, AS_OF, cal)
    svg = page_context(data, AS_OF, cal, PageOptions())["gantt"]
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    brackets = root.findall(f"{ns}path[@class='g-bracket']")
    bars = root.findall(f"{ns}rect")
    diamonds = root.findall(f"{ns}path[@class='g-ms']")
    assert len(brackets) == int((~tasks["leaf"]).sum())
    assert len(bars) == int(tasks["leaf"].sum())
    assert len(diamonds) == len(F.milestone_status(data, AS_OF))
    today = root.findall(f"{ns}line[@class='g-today']")
    assert len(today) == 1
    assert "状态日期 2026-04-01" in svg


XML_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"),
    min_size=1,
    max_size=30,
)


@settings(max_examples=60, deadline=None)
@given(st.lists(XML_TEXT, min_size=1, max_size=6), XML_TEXT)
def test_gantt_svg_is_well_formed_for_any_text(names, milestone):
    rows = [
        GanttRow(str(i), n, dt.date(2026, 3, 2), dt.date(2026, 3, 6 + i), "in_progress", i == 0)
        for i, n in enumerate(names)
    ]
    svg = gantt_svg(rows, [(milestone, dt.date(2026, 3, 9))], AS_OF, title="t", today_label="x")
    root = ET.fromstring(svg)  # well-formed: every text escaped
    titles = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}title")]
    for i, n in enumerate(names):
        assert f"{i} {n}" in titles  # shown as the text it is
    assert f"{milestone} 2026-03-09" in titles


def test_changes_since_last_run_and_notification_link(tmp_path, monkeypatch):
    from xlcollab.nightly.notify import summary
    from xlcollab.nightly.run import run_once

    monkeypatch.delenv("XLCOLLAB_WEBHOOK_URL", raising=False)
    monkeypatch.delenv("XLCOLLAB_SMTP_HOST", raising=False)
    before = demo_project()
    tasks = before.tables["tasks"]
    tasks.loc[tasks.index[tasks["wbs"] == "3.1.1"][0], "status"] = "in_progress"
    book = tmp_path / "项目.xlsx"
    save_new_workbook(build_workbook(before), book)
    first = run_once(book, dt.date(2026, 3, 31), write=False)
    assert first.page and Path(first.page).is_file()
    assert "首次夜间检查（2026-03-31）" in Path(first.page).read_text("utf-8")
    after = demo_project()
    after.settings["page_url"] = "https://intranet.example/projects/crm/"
    save_new_workbook(build_workbook(after), book, overwrite=True)
    second = run_once(book, AS_OF, write=False, generated_at=dt.datetime(2026, 4, 1, 2, 0))
    html = Path(second.page).read_text("utf-8")
    assert Path(second.page).parent == book.parent / ".xlcollab" / "page"
    changed = [c for c in second.changes if c.key == "3.1.1" and c.field == "status"]
    assert changed, second.changes
    row = re.search(
        r"<tr><td>任务清单</td><td>3\.1\.1 客户服务现状调研</td><td>修改</td>(.*?)</tr>", html
    )
    assert "2026-04-01 与上次检查（2026-03-31）相比" in html
    assert row and "状态" in row.group(1) and "进行中" in row.group(1) and "已完成" in row.group(1)
    assert "2026-04-01 02:00" in html
    assert second.page_url == "https://intranet.example/projects/crm/"
    title, text = summary(second)
    assert "**状态页面**：https://intranet.example/projects/crm/" in text
    _, text_first = summary(first)
    assert first.page in text_first  # no URL set: the page's path
    log = (book.parent / ".xlcollab" / "notify.log").read_text("utf-8")
    assert "状态页面：https://intranet.example/projects/crm/" in log
    # xlcollab page reads the same history beside the workbook (or --history)
    out = tmp_path / "cli"
    assert runner.invoke(app, ["page", str(book), "-o", str(out)]).exit_code == 0
    assert re.search(
        r"<td>3\.1\.1 [^<]*</td><td>修改</td>", (out / "index.html").read_text("utf-8")
    )
    other = ["--history", str(tmp_path / "none.sqlite")]
    assert runner.invoke(app, ["page", str(book), "-o", str(out), *other]).exit_code == 0
    assert "尚无历史记录" in (out / "index.html").read_text("utf-8")
    assert not (tmp_path / "none.sqlite").exists()  # reading never creates a history


def test_page_folder_from_settings(tmp_path):
    from xlcollab.nightly.run import run_once

    data = demo_project()
    data.settings["page_dir"] = "发布/crm"
    book = tmp_path / "p.xlsx"
    save_new_workbook(build_workbook(data), book)
    r = run_once(book, AS_OF, write=False)
    assert Path(r.page) == tmp_path / "发布" / "crm" / "index.html"


def _portfolio_books(folder: Path) -> list[Path]:
    folder.mkdir()
    paths = []
    for i, status in enumerate(["blocked", "done", None]):
        data = demo_project()
        data.overview["name"] = f"项目{i} <i>"
        if status:
            t = data.tables["tasks"]
            t.loc[t.index[t["wbs"] == "3.2.2"][0], "status"] = status
        p = folder / f"p{i}.xlsx"
        save_new_workbook(build_workbook(data), p)
        paths.append(p)
    (folder / "坏的.xlsx").write_bytes(b"not a workbook")
    (folder / "~$p0.xlsx").write_bytes(b"owner file")
    return paths


def test_portfolio_rows_pages_and_workbook(tmp_path):
    from openpyxl import load_workbook

    paths = _portfolio_books(tmp_path / "books")
    out = tmp_path / "portfolio"
    result = runner.invoke(
        app, ["portfolio", str(tmp_path / "books"), "-o", str(out), "--workers", "2"]
    )
    assert result.exit_code == 1, result.output  # one unreadable workbook, the rest done
    html = (out / "index.html").read_text("utf-8")
    assert "坏的.xlsx" in html and "无法读取" in html
    assert str(tmp_path) not in html
    assert "项目0 &lt;i&gt;" in html
    for p in paths:
        page = out / p.stem / "index.html"
        assert page.is_file()
        assert f'href="{p.stem}/index.html"' in html
        assert 'href="../index.html"' in page.read_text("utf-8")
    xlsx = next(out.glob("项目组合_*.xlsx"))
    ws = load_workbook(xlsx).active
    header = [c.value for c in ws[1]]
    assert header[:3] == ["项目", "灯号", "阶段"]
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in ws.iter_rows(2, values_only=True)}
    assert len(rows) == 4
    assert "读取" in str(rows["坏的.xlsx"]["无法读取的原因"]) or rows["坏的.xlsx"]["无法读取的原因"]
    for i, p in enumerate(paths):
        data = read_workbook(p)
        cal = WorkCalendar.from_holidays(data.tables["holidays"])
        fig = F.status_figures(data, AS_OF, cal)
        row = rows[f"项目{i} <i>"]
        assert row["逾期"] == fig.overdue
        assert row["阻塞·总负责人决策"] == fig.blocked_at["lead"]
        assert row["阻塞·项目经理协调"] == fig.blocked_at["pm"]
        assert abs(row["进度"] - fig.progress) < 1e-9
        assert abs(row["已支出"] - float(fig.spent)) < 0.005
        assert row["灯号"] == {"green": "绿灯", "yellow": "黄灯", "red": "红灯"}[fig.light]
        assert row["状态页面"] == f"{p.stem}/index.html"
    assert not (out / "~$p0").exists()


def test_portfolio_from_a_list_file(tmp_path, demo_path):
    listing = tmp_path / "projects.txt"
    listing.write_text(f"# our projects\n{demo_path}\nmissing.xlsx\n", "utf-8")
    out = tmp_path / "o"
    result = runner.invoke(app, ["portfolio", str(listing), "-o", str(out), "--lang", "en"])
    assert result.exit_code == 1, result.output
    html = (out / "index.html").read_text("utf-8")
    assert "missing.xlsx" in html and "Could not be read" in html
    assert next(out.glob("Portfolio_*.xlsx"))


def test_light_rule():
    from decimal import Decimal

    zero = {"department": 0, "pm": 0, "lead": 0}
    assert F.traffic_light(zero, 0, 10, 0, Decimal(100), Decimal(50)) == ("green", ())
    assert F.traffic_light({**zero, "pm": 1}, 0, 10, 0, Decimal(100), Decimal(50))[0] == "yellow"
    assert F.traffic_light(zero, 1, 10, 0, Decimal(100), Decimal(50))[0] == "yellow"
    assert F.traffic_light(zero, 3, 10, 0, Decimal(100), Decimal(50))[0] == "red"
    assert F.traffic_light({**zero, "lead": 1}, 0, 10, 0, Decimal(100), Decimal(50))[0] == "red"
    assert F.traffic_light(zero, 0, 10, 0, Decimal(100), Decimal(101))[0] == "red"
    assert F.traffic_light(zero, 0, 10, 0, Decimal(100), Decimal(95))[0] == "yellow"
    assert F.traffic_light(zero, 0, 10, 1, Decimal(100), Decimal(50))[0] == "yellow"


def test_demo_writes_its_page(tmp_path):
    result = runner.invoke(app, ["demo", str(tmp_path), "--as-of", "2026-04-01"])
    assert result.exit_code == 0, result.output
    html = (tmp_path / "状态页面" / "index.html").read_text("utf-8")
    assert "客户服务数字化平台建设项目" in html
    assert str(tmp_path) not in html


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_help(lang):
    for cmd in ("page", "portfolio"):
        r = runner.invoke(app, [cmd, "--help"])
        assert r.exit_code == 0 and "--out" in r.output


def test_email_setting_in_the_workbook(tmp_path):
    data = hostile_project()
    data.settings["page_show_email"] = True
    book = tmp_path / "p.xlsx"
    save_new_workbook(build_workbook(data), book)
    assert read_workbook(book).setting("page_show_email") is True
    out = tmp_path / "out"
    result = runner.invoke(app, ["page", str(book), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "vendor.contact@supplier.example" in (out / "index.html").read_text("utf-8")


def test_unreadable_workbook_is_a_message(tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"nope")
    result = runner.invoke(app, ["page", str(bad), "-o", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


_CAL = WorkCalendar.from_holidays(demo_project().tables["holidays"])


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.sampled_from(["not_started", "in_progress", "done", "blocked"]), min_size=77, max_size=77
    ),
    st.integers(0, 30),
)
def test_status_figures_hold_for_any_statuses(statuses, day):
    data = demo_project()
    tasks = data.tables["tasks"]
    tasks["status"] = statuses[: len(tasks)] + ["done"] * max(0, len(tasks) - len(statuses))
    as_of = dt.date(2026, 3, 16) + dt.timedelta(days=day)
    t = F.task_status(data, as_of, _CAL)
    fig = F.status_figures(data, as_of, _CAL, t)
    leaves = t[t["leaf"]]
    assert fig.tasks == len(leaves) == fig.done + fig.in_progress + fig.blocked + fig.not_started
    assert sum(fig.blocked_at.values()) == fig.blocked  # every blocked task is on the ladder
    assert fig.overdue == int(
        (
            (leaves["status"] != "done")
            & (pd.to_datetime(leaves["planned_finish"]) < pd.Timestamp(as_of))
        ).sum()
    )
    red = (
        fig.blocked_at["lead"] > 0
        or fig.spent > fig.budget
        or (fig.tasks - fig.done and fig.overdue / (fig.tasks - fig.done) > 0.2)
    )
    assert (fig.light == "red") == bool(red)
    if not red:
        yellow = fig.blocked_at["pm"] or fig.overdue or fig.risks_high_no_plan
        assert (fig.light == "yellow") == bool(yellow or fig.spent > fig.budget * Decimal("0.9"))


def test_an_empty_project_has_a_page(tmp_path):
    from xlcollab.workbook.blank import blank_project

    target, ctx = write_page(blank_project(), tmp_path, AS_OF, PageOptions())
    html = target.read_text("utf-8")
    assert ctx["figures"].tasks == 0 and ctx["figures"].light == "green"
    assert "没有阻塞或逾期的任务" in html and "未命名项目" in html


def test_the_scheduler_s_nightly_job_writes_the_page(tmp_path, demo_path):
    import shutil

    from xlcollab.nightly.scheduler import DAILY, Book, run_job

    book = tmp_path / "p.xlsx"
    shutil.copy(demo_path, book)
    result = run_job(DAILY, Book(book), AS_OF)
    assert result.ok and Path(result.page) == tmp_path / ".xlcollab" / "page" / "index.html"
    html = Path(result.page).read_text("utf-8")
    assert "首次夜间检查（2026-04-01）" in html  # a first run lists no 125 "added" rows


def test_most_urgent_problems_first_and_capped(tmp_path, monkeypatch):
    import xlcollab.page.view as view

    monkeypatch.setattr(view, "PROBLEMS_SHOWN", 3)
    day = dt.date(2026, 4, 30)
    target, ctx = write_page(demo_project(), tmp_path, day, PageOptions())
    shown = ctx["problems"]
    assert [p["status_key"] for p in shown[:2]] == ["blocked", "blocked"]
    t = F.task_status(demo_project(), day, _CAL)
    leaves = t[t["leaf"]]
    assert len(shown) == 3
    assert ctx["problems_total"] == int(((leaves["status"] == "blocked") | leaves["overdue"]).sum())
    assert "列出最紧急的 3 项，共" in target.read_text("utf-8")
