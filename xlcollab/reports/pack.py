"""The document pack: which template, context and charts make each
document, and writing one or all of them.

    from xlcollab.reports import generate, generate_all
    path = generate("weekly", data, "out/", as_of=date(2026, 4, 1))

Each KIND has a context builder (``xlcollab.reports.<module>.build``), a
template ``<KIND>.docx`` (``briefing.pptx``) per language, and optionally
charts. Templates come from ``templates_dir`` (argument), else the 参数
sheet's 报告模板目录 (relative to ``base_dir``, the workbook's folder), else
the built-in ``templates/``.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from xlcollab.core.calendar import WorkCalendar
from xlcollab.core.figures import Figures, figures
from xlcollab.model import ProjectData, is_missing, messages
from xlcollab.model.dates import to_date
from xlcollab.reports import briefing, charter, checklist, delivery, quality, roles, weekly
from xlcollab.reports import closing as summary_report
from xlcollab.reports.charts import GanttBar, gantt, grouped_bars, stacked_bars
from xlcollab.reports.common import fmt_money, more_format, text, wbs_key
from xlcollab.reports.names import report_filename
from xlcollab.reports.render import (
    DocProps,
    Image,
    ReportError,
    SlideTable,
    find_template,
    render_docx,
    render_pptx,
)
from xlcollab.schema import BUDGET, ESCALATIONS, GANTT, MILESTONES, RISKS
from xlcollab.schema.lang import tr

__all__ = [
    "KINDS",
    "Document",
    "generate",
    "generate_all",
    "build_context",
    "templates_dir_for",
    "ReportError",
]


@dataclass(frozen=True)
class Document:
    kind: str
    module: object
    ext: str = "docx"

    @property
    def template(self) -> str:
        return f"{self.kind}.{self.ext}"

    def title(self, lang: str) -> str:
        return tr(lang, *self.module.TITLE)


KINDS: dict[str, Document] = {
    d.kind: d
    for d in (
        Document("charter", charter),
        Document("roles", roles),
        Document("checklist", checklist),
        Document("weekly", weekly),
        Document("quality", quality),
        Document("delivery", delivery),
        Document("summary", summary_report),
        Document("briefing", briefing, "pptx"),
    )
}


def build_context(
    kind: str,
    data: ProjectData,
    as_of: dt.date,
    cal: WorkCalendar | None = None,
    lang: str = "zh",
    findings=None,
    **options,
) -> dict:
    """The plain context of document ``kind`` (no files touched).
    ``options`` may carry ``fig``, the project's Figures as of the
    document's date, so that they are computed once."""
    doc = _doc(kind)
    cal = cal or WorkCalendar.from_holidays(data.tables["holidays"])
    try:
        return doc.module.build(data, as_of, cal, lang, findings=findings, **options)
    except quality.MilestoneNotFound as exc:
        raise ReportError(
            f"没有名为“{exc.name}”的里程碑；现有：{'、'.join(exc.known)}",
            f"No milestone named '{exc.name}'; known: {', '.join(exc.known)}",
        ) from exc
    except ValueError as exc:
        if "month" in str(exc):
            raise ReportError(
                f"月份格式应为 YYYY-MM：{options.get('month')}",
                f"The month must be YYYY-MM: {options.get('month')}",
            ) from exc
        raise


def _doc(kind: str) -> Document:
    if kind not in KINDS:
        raise ReportError(
            f"未知的报告类型：{kind}（可选：{'、'.join(KINDS)}）",
            f"Unknown report kind: {kind} (one of {', '.join(KINDS)})",
        )
    return KINDS[kind]


def templates_dir_for(
    data: ProjectData,
    override: str | os.PathLike | None = None,
    base_dir: str | os.PathLike | None = None,
) -> Path | None:
    """The templates folder: ``override``, else the 参数 sheet's setting
    (relative to ``base_dir``), else None (the built-in folder)."""
    chosen = override or data.setting("templates_dir")
    if chosen is None or (isinstance(chosen, str) and not chosen.strip()):
        return None
    p = Path(str(chosen).strip()).expanduser()
    if not p.is_absolute() and base_dir is not None and not override:
        p = Path(base_dir) / p
    return p


def generate(
    kind: str,
    data: ProjectData,
    out_dir: str | os.PathLike,
    *,
    as_of: dt.date,
    lang: str = "zh",
    templates_dir: str | os.PathLike | None = None,
    base_dir: str | os.PathLike | None = None,
    findings=None,
    cal: WorkCalendar | None = None,
    filename: str | None = None,
    **options,
) -> Path:
    """Write document ``kind`` into ``out_dir``; returns its path.

    ``options``: ``week`` (weekly), ``month`` (briefing), ``milestone``
    (quality). ``findings``: a list of findings (from ``check``) for the
    quality report. Raises ReportError for unknown kinds, missing or
    broken templates and bad options."""
    doc = _doc(kind)
    cal = cal or WorkCalendar.from_holidays(data.tables["holidays"])
    fig = options.pop("fig", None) or _figures_for(kind, data, as_of, cal, options)
    ctx = build_context(kind, data, as_of, cal, lang, findings, fig=fig, **options)
    day = dt.date.fromisoformat(ctx["as_of"])
    if fig is None or fig.as_of != day:
        fig = figures(data, day, cal)
    tpl = find_template(doc.template, lang, templates_dir_for(data, templates_dir, base_dir))
    name = filename or report_filename(
        doc.title(lang),
        ctx["project"]["name"] or tr(lang, "项目", "project"),
        ctx["as_of"],
        doc.ext,
    )
    out = Path(out_dir) / name
    props = DocProps(
        date=day,
        title=f"{doc.title(lang)} · {ctx['project']['name']}",
        subject=doc.title(lang),
        keywords=kind,
    )
    images = charts_for(kind, data, ctx, day, cal, lang, fig)
    if doc.ext == "pptx":
        render_pptx(
            tpl,
            ctx,
            out,
            tables=slide_tables(ctx, lang),
            images=images,
            props=props,
            east_asian_font=tr(lang, "Microsoft YaHei", None),
        )
    else:
        rows = {"annex": ctx["annex_rows"]} if ctx.get("annex") else None
        render_docx(tpl, ctx, out, images=images, props=props, rows=rows)
    return out


def _figures_for(kind: str, data: ProjectData, as_of: dt.date, cal: WorkCalendar, options):
    """The Figures as of the date document ``kind`` reports on (None when
    its options are not understood: the builder then says why)."""
    try:
        if kind == "weekly":
            day = weekly.report_date(data, as_of, options.get("week"))
        elif kind == "briefing":
            day = briefing.report_date(as_of, options.get("month"))[2]
        else:
            day = as_of
    except ValueError:
        return None
    return figures(data, day, cal)


def generate_all(
    data: ProjectData,
    out_dir: str | os.PathLike,
    *,
    as_of: dt.date,
    lang: str = "zh",
    kinds: Iterable[str] | None = None,
    progress: Callable[[str, Path], None] | None = None,
    **kw,
) -> list[Path]:
    """Every document of the pack (or ``kinds``); ``progress(kind, path)``
    is called after each."""
    cal = kw.pop("cal", None) or WorkCalendar.from_holidays(data.tables["holidays"])
    paths = []
    for kind in kinds or KINDS:
        path = generate(kind, data, out_dir, as_of=as_of, lang=lang, cal=cal, **kw)
        paths.append(path)
        if progress:
            progress(kind, path)
    return paths


# ---------------------------------------------------------------- charts ---
GANTT_MAX_ROWS = 70
SLIDE_FONT_SCALE = 2.0  # a chart in half a slide: labels about 12 pt when shown
SLIDE_CHART = {"width_in": 8.4, "height_in": 7.6}  # half a 16:9 slide, at 3/4 size
SLIDE_BUDGET_CHART = {"width_in": 6.4, "height_in": 7.6}  # beside the budget table (38%)
_STATUS_ORDER = ("done", "in_progress", "blocked", "not_started")


def _status_legend(lang: str) -> dict[str, str]:
    from xlcollab.reports.common import status_label

    d = {k: status_label(k, lang) for k in ("not_started", "in_progress", "done", "blocked")}
    d["overdue"] = GANTT.col("overdue").header(lang)
    return d


def gantt_bars(
    data: ProjectData,
    day: dt.date,
    cal: WorkCalendar,
    lang: str,
    max_rows: int = GANTT_MAX_ROWS,
    fig: Figures | None = None,
) -> tuple[list[GanttBar], str]:
    """Bars for the Gantt picture: every work package when they fit, else
    the WBS summary rows down to level 2, else the open work packages
    nearest to ``day``. Returns the bars and a note saying what is shown."""
    f = (fig if fig is not None else figures(data, day, cal)).task_table
    f = f[f["planned_start"].notna() & f["planned_finish"].notna()]
    note = ""
    leaf = f["leaf"].fillna(False).astype(bool)
    rows = f[leaf]
    n = len(rows)
    if n > max_rows:
        summary = f[(f["wbs"].map(text).str.count(r"\.") <= 1) & ~leaf]
        if 0 < len(summary) <= max_rows:
            rows, note = (
                summary,
                tr(
                    lang,
                    f"共{n}项任务，图中为WBS汇总任务",
                    f"{n} tasks; the chart shows WBS summaries",
                ),
            )
        else:
            leaves = rows[rows["status"] != "done"]
            dist = (pd.to_datetime(leaves["planned_finish"]) - pd.Timestamp(day)).abs()
            rows = leaves.loc[dist.sort_values(kind="stable").index[:max_rows]]
            note = tr(
                lang,
                f"共{n}项任务，图中为最临近今天的{len(rows)}项未完成任务",
                f"{n} tasks; the chart shows the {len(rows)} open ones nearest today",
            )
    records = sorted(rows.to_dict("records"), key=lambda r: wbs_key(r["wbs"]))
    bars = []
    for r in records:
        status = text(r["status"]) or "not_started"
        if status not in ("done", "blocked") and bool(r.get("overdue") is True):
            status = "overdue"
        label = f"{text(r['wbs'])} {text(r['name'])}"
        bars.append(
            GanttBar(
                label[:22] + ("…" if len(label) > 22 else ""),
                to_date(r["planned_start"]),
                to_date(r["planned_finish"]),
                status,
                0.0 if is_missing(r.get("progress")) else float(r["progress"]),
            )
        )
    return bars, note


def milestone_marks(data: ProjectData) -> list[tuple[str, dt.date]]:
    ms = data.tables["milestones"]
    return [
        (text(n), to_date(d))
        for n, d in zip(ms["name"], ms["planned_date"], strict=False)
        if not is_missing(n) and not is_missing(d)
    ]


GANTT_PAGE_ROWS = 40  # bars that stay legible on one A4 page
GANTT_WIDTH_IN = 7.0  # drawn near the size it is shown at (165 mm), so labels stay 7 pt


def gantt_image(data, day, cal, lang, width_mm=165, fig=None) -> tuple[Image, str]:
    """The Gantt picture of a Word document: every work package when they
    fit on a page legibly, else the WBS summaries (see :func:`gantt_bars`)."""
    bars, note = gantt_bars(data, day, cal, lang, GANTT_PAGE_ROWS, fig)
    png = gantt(
        bars,
        day,
        milestone_marks(data),
        today_label=tr(lang, "今天", "Today"),
        legend=_status_legend(lang),
        width_in=GANTT_WIDTH_IN,
    )
    return Image(png, width_mm), note


def progress_image(data, day, cal, lang, width_mm=160, font_scale=1.0, fig=None) -> Image:
    """Tasks by status per department (work packages), stacked;
    ``font_scale`` for a chart shown small (a slide)."""
    from xlcollab.reports.common import status_label

    if fig is None:
        fig = figures(data, day, cal)
    depts = [d.name for d in fig.departments]
    series = {}
    colors = {}
    for k in _STATUS_ORDER:
        lab = status_label(k, lang)
        series[lab] = [d.by_status[k] for d in fig.departments]
        colors[lab] = {
            "done": "#70AD47",
            "in_progress": "#2E75B6",
            "blocked": "#C00000",
            "not_started": "#A5A5A5",
        }[k]
    png = stacked_bars(
        depts,
        series,
        colors=colors,
        xlabel=messages.label("tasks_axis", lang),
        font_scale=font_scale,
        **(SLIDE_CHART if font_scale != 1.0 else {}),
    )
    return Image(png, width_mm)


def budget_image(ctx_rows: list[dict], lang, width_mm=160, font_scale=1.0) -> Image:
    """Budget against spending (the 预算 sheet's SUMIFS, as in the tables)
    per department."""
    cats = [r["department"] for r in ctx_rows]
    b, u = messages.label("budget", lang), messages.label("spent", lang)
    png = grouped_bars(
        cats,
        {
            b: [float(r["budget_value"]) for r in ctx_rows],
            u: [float(r["used_value"]) for r in ctx_rows],
        },
        colors={b: "#9DC3E6", u: "#C55A11"},
        ylabel=tr(lang, "元", "CNY"),
        font_scale=font_scale,
        **(SLIDE_BUDGET_CHART if font_scale != 1.0 else {}),
    )
    return Image(png, width_mm)


def charts_for(
    kind: str,
    data: ProjectData,
    ctx: dict,
    day: dt.date,
    cal: WorkCalendar,
    lang: str,
    fig: Figures | None = None,
) -> dict[str, Image]:
    """The pictures a document's template uses, by name (``fig``: the
    figures as of ``day``, computed when not given)."""
    if fig is None:
        fig = figures(data, day, cal)
    if kind == "weekly":
        g, note = gantt_image(data, day, cal, lang, fig=fig)
        ctx["gantt_note"] = note
        return {"gantt": g, "progress": progress_image(data, day, cal, lang, fig=fig)}
    if kind == "charter":
        g, note = gantt_image(data, day, cal, lang, fig=fig)
        ctx["gantt_note"] = note
        return {"gantt": g}
    if kind == "summary":
        return {
            "budget_chart": budget_image(ctx["budget"], lang),
            "progress": progress_image(data, day, cal, lang, fig=fig),
        }
    if kind == "briefing":
        return {
            "progress": progress_image(data, day, cal, lang, 240, SLIDE_FONT_SCALE, fig),
            "budget_chart": budget_image(ctx["budget"], lang, 240, SLIDE_FONT_SCALE),
        }
    return {}


# ---------------------------------------------------------------- slides ---
def slide_tables(ctx: dict, lang: str) -> dict[str, SlideTable]:
    """The briefing's tables (``{{ table:NAME }}`` in the slide template)."""
    none = tr(lang, "无", "None")
    more = more_format(lang)
    z = lambda cols, rows, widths=None, max_rows=10, total=None: SlideTable(  # noqa: E731
        cols, rows, widths, none, max_rows, more, total
    )
    s = ctx["status"]
    status = z(
        [tr(lang, "指标", "Measure"), tr(lang, "数值", "Value")],
        [
            [tr(lang, "总体状态", "Overall"), s["rag_label"]],
            [messages.label("phase", lang), s["phase"]],
            [
                tr(lang, "任务完成", "Tasks done"),
                tr(
                    lang,
                    f"{s['done']} / {s['tasks']}（{s['done_pct']}）",
                    f"{s['done']} / {s['tasks']} ({s['done_pct']})",
                ),
            ],
            [tr(lang, "进行中", "In progress"), str(s["in_progress"])],
            [tr(lang, "阻塞", "Blocked"), str(s["blocked"])],
            [GANTT.col("overdue").header(lang), str(s["overdue"])],
            [
                tr(lang, "预算 / 已支出", "Budget / spent"),
                tr(
                    lang,
                    f"{s['budget']} / {s['used']}（{s['used_pct']}）",
                    f"{s['budget']} / {s['used']} ({s['used_pct']})",
                ),
            ],
        ],
        [1, 2.2],
    )
    milestones = z(
        [
            MILESTONES.col("name").header(lang),
            messages.label("planned", lang),
            messages.label("actual", lang),
            messages.label("state", lang),
        ],
        [[m["name"], m["planned"], m["actual"], m["state"]] for m in ctx["milestones"]],
        [2.2, 1, 1, 1],
        total=ctx.get("milestones_total"),
    )
    level3 = z(
        [
            ESCALATIONS.col("issue").header(lang),
            messages.label("task", lang),
            tr(lang, "提出", "Raised"),
            ESCALATIONS.col("decision").header(lang),
            messages.label("state", lang),
        ],
        [[e["issue"], e["task"], e["raised_on"], e["decision"], e["state"]] for e in ctx["level3"]]
        + [
            [
                tr(
                    lang,
                    f"阻塞{t['blocked_days']}个工作日：{t['name']}"
                    f"（{t['blocked_reason_given'] or '阻塞原因未填写'}）",
                    f"Blocked {t['blocked_days']} working days: {t['name']} "
                    f"({t['blocked_reason_given'] or 'no reason given'})",
                ),
                t["wbs"],
                t["blocked_since"],
                "",
                tr(lang, "待决策", "To decide"),
            ]
            for t in ctx["level3_blocked"]
        ],
        [3, 0.7, 1, 3, 0.8],
        8,
        ctx.get("level3_total"),
    )
    # not a problem on the ladder, but the lead's decision too (README, Figures)
    level3_budget = z(
        [
            tr(
                lang, "预算超支待决策（预算调整须总负责人审批）", "Overspends the lead must approve"
            ),
            messages.label("budget", lang),
            messages.label("spent", lang),
            tr(lang, "超支", "Over by"),
        ],
        [
            [f"{b['department']}/{b['category']}", b["budget"], b["used"], b["over"]]
            for b in ctx["level3_budget"]
        ],
        [3.3, 1.2, 1.2, 1.2],
        4,
    )
    budget = z(
        [
            BUDGET.col("department").header(lang),
            messages.label("budget", lang),
            messages.label("spent", lang),
            tr(lang, "本月支出", "This month"),
            BUDGET.col("used_pct").header(lang),
            tr(lang, "预算外支出", "Unbudgeted"),
        ],
        [
            [r["department"], r["budget"], r["used"], r["month"], r["used_pct"], r["unbudgeted"]]
            for r in ctx["budget"]
        ]
        + [
            [
                ctx["budget_total"]["department"],
                ctx["budget_total"]["budget"],
                ctx["budget_total"]["used"],
                ctx["budget_total"]["month"],
                ctx["budget_total"]["used_pct"],
                fmt_money(ctx["budget_total"]["unbudgeted_value"]),  # always shown
            ]
        ],
        [1.3, 1.25, 1.2, 1.1, 0.7, 1.1],
        12,
    )
    risks = z(
        [
            tr(lang, "编号", "ID"),
            tr(lang, "风险", "Risk"),
            RISKS.col("score").header(lang),
            messages.label("risk_level", lang),
            RISKS.col("owner").header(lang),
            messages.label("contingency", lang),
        ],
        [
            [r["id"], r["description"], r["score"], r["level"], r["owner"], r["contingency"]]
            for r in ctx["risks"]
        ],
        [0.6, 3, 0.6, 0.6, 0.8, 3],
    )
    decisions = z(
        [
            tr(lang, "待决事项", "Decision needed"),
            messages.label("source", lang),
            messages.label("escalation_level", lang),
            tr(lang, "决策人", "Who"),
        ],
        [[d["item"], d["source"], d["level"], d["who"]] for d in ctx["decisions"]],
        [4, 1, 1.2, 0.8],
        8,
        ctx.get("decisions_total"),
    )
    return {
        "status": status,
        "milestones": milestones,
        "level3": level3,
        "level3_budget": level3_budget,
        "budget": budget,
        "risks": risks,
        "decisions": decisions,
    }
