"""Rendering: Word templates (docxtpl) and slide templates (python-pptx).

General on purpose (the finance summaries reuse it):

- :func:`render_docx` renders any docxtpl ``.docx`` template with a plain
  context, optional chart pictures (PNG bytes, inserted as InlineImage where
  the template says ``{{ name }}``) and fixed document properties.
- :func:`render_pptx` fills a ``.pptx`` template: ``{{ ... }}`` in any text
  is rendered; a shape whose whole text is ``{{ table:NAME }}`` or
  ``{{ image:NAME }}`` is replaced, at its position and size, by that table
  or picture.
- :func:`find_template` locates ``<dir>/<lang>/<name>`` (or ``<dir>/<name>``)
  in a user's folder or the built-in ``templates/``.

Templates are rendered in a :class:`jinja2.sandbox.SandboxedEnvironment`
with ``StrictUndefined`` and autoescaping, so a template can only read the
context, a misspelt name is an error, and text such as ``<`` or ``&`` in
the data cannot break the document. Every template problem raises
:class:`ReportError` naming the template file and the offending tag.

Output is deterministic: document properties (created, modified, author,
revision) come from the caller (the report date), and the zip entries get
fixed timestamps, so the same workbook and date give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from xlcollab.reports.compiled import CompiledOnce, bytecode_cache
from xlcollab.schema.lang import tr

__all__ = [
    "ReportError",
    "Image",
    "DocProps",
    "render_docx",
    "render_pptx",
    "find_template",
    "builtin_templates_dir",
    "jinja_env",
    "normalize_zip",
    "fill_rows",
]

Out = str | os.PathLike | IO[bytes]


class ReportError(Exception):
    """A report could not be made; the message is in Chinese and English."""

    def __init__(self, zh: str, en: str | None = None):
        self.zh, self.en = zh, en or zh
        super().__init__(f"{self.zh} / {self.en}" if en and en != zh else zh)

    def text(self, lang: str = "zh") -> str:
        return tr(lang, self.zh, self.en)


@dataclass(frozen=True)
class Image:
    """A picture for a template: PNG (or JPEG) bytes and its width in mm
    (height follows the aspect ratio unless given)."""

    data: bytes
    width_mm: float = 160
    height_mm: float | None = None


@dataclass(frozen=True)
class DocProps:
    """Document properties written into the file (no hidden clock)."""

    date: dt.date
    title: str = ""
    subject: str = ""
    author: str = "xlcollab"
    keywords: str = ""


# ------------------------------------------------------------- templates ---
def builtin_templates_dir() -> Path:
    """The templates shipped with xlcollab: ``templates/`` next to the
    package (a source checkout or an editable install)."""
    here = Path(__file__).resolve().parent
    for cand in (here.parent.parent / "templates", here.parent / "templates"):
        if cand.is_dir():
            return cand
    return here.parent.parent / "templates"


def find_template(
    name: str, lang: str = "zh", templates_dir: str | os.PathLike | None = None
) -> Path:
    """``<dir>/<lang>/<name>``, else ``<dir>/<name>``; ``dir`` is
    ``templates_dir`` when given, else the built-in folder. A missing file
    raises ReportError listing where it looked."""
    base = Path(templates_dir).expanduser() if templates_dir else builtin_templates_dir()
    tried = [base / lang / name, base / name]
    for p in tried:
        if p.is_file():
            return p
    where = "、".join(str(p) for p in tried)
    if not base.is_dir():
        raise ReportError(f"报告模板目录不存在：{base}", f"Templates folder not found: {base}")
    raise ReportError(
        f"找不到报告模板 {name}（查找了：{where}）",
        f"Report template {name} not found (looked in: {', '.join(map(str, tried))})",
    )


def jinja_env(keep_compiled: bool = False) -> SandboxedEnvironment:
    """The sandboxed environment every template is rendered in;
    ``keep_compiled``: its templates compiled once and kept for later runs
    (:mod:`xlcollab.reports.compiled`, for a Word template's few large parts)."""
    env = CompiledOnce(
        undefined=jinja2.StrictUndefined, autoescape=True, keep_trailing_newline=True
    )
    if keep_compiled:
        env.bytecode_cache = bytecode_cache()
    return env


# ------------------------------------------------------------------ docx ---
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)


def _template_line(exc: BaseException) -> int | None:
    lineno = getattr(exc, "lineno", None)
    if lineno:
        return lineno
    tb = exc.__traceback__
    found = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            found = tb.tb_lineno
        tb = tb.tb_next
    return found


def _tags_near(source: str | None, lineno: int | None) -> list[str]:
    if not source or not lineno:
        return []
    lines = source.splitlines()
    if not 0 < lineno <= len(lines):
        return []
    return [re.sub(r"<[^>]+>", "", t) for t in _TAG.findall(lines[lineno - 1])]


def _template_error(path: Path, exc: BaseException, source: str | None) -> ReportError:
    tags = _tags_near(source, _template_line(exc))
    detail = str(getattr(exc, "message", None) or exc)
    if isinstance(exc, jinja2.UndefinedError):
        m = re.search(r"'([^']+)' is undefined|has no attribute '([^']+)'", detail)
        name = next((g for g in (m.groups() if m else ()) if g), None)
        if name:
            named = [t for t in tags if name in t]
            tags = named or tags
    tag = tags[0] if tags else ""
    where = f"{path.name}" + (f" {tag}" if tag else "")
    kind_zh = {
        "TemplateSyntaxError": "语法错误",
        "UndefinedError": "未定义的名称",
        "SecurityError": "不允许的操作",
    }.get(type(exc).__name__, "错误")
    return ReportError(
        f"报告模板 {where} 有{kind_zh}：{detail}",
        f"Report template {where}: {type(exc).__name__}: {detail}",
    )


def render_docx(
    template: str | os.PathLike,
    context: Mapping[str, Any],
    out: Out,
    *,
    images: Mapping[str, Image] | None = None,
    props: DocProps | None = None,
    rows: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
) -> Path | None:
    """Render the docxtpl template ``template`` with ``context`` into
    ``out`` (a path or a binary stream). ``images`` become InlineImage
    values under their names; ``rows`` fill the tables whose row holds
    ``[[name.field]]`` cells (:func:`fill_rows`). Returns the path written
    (None for a stream). Raises ReportError for a missing or broken
    template."""
    from docx.shared import Mm
    from docxtpl import DocxTemplate, InlineImage

    from xlcollab.reports.layout import fit_tables, tuck_final_paragraph

    path = Path(template)
    if not path.is_file():
        raise ReportError(f"找不到报告模板：{path}", f"Report template not found: {path}")
    try:
        tpl = DocxTemplate(str(path))
        tpl.render_init()
        tpl.get_docx()
    except Exception as exc:  # whatever fails to open is not a docx file
        raise ReportError(
            f"报告模板 {path.name} 不是有效的 Word 文档：{exc}",
            f"Report template {path.name} is not a valid Word document: {exc}",
        ) from exc
    ctx = dict(context)
    for name, img in (images or {}).items():
        ctx[name] = InlineImage(
            tpl,
            io.BytesIO(img.data),
            width=Mm(img.width_mm),
            height=Mm(img.height_mm) if img.height_mm else None,
        )
    env = jinja_env(keep_compiled=True)
    try:
        tpl.render(ctx, jinja_env=env, autoescape=True)
    except (jinja2.TemplateError, TypeError, ValueError, AttributeError, KeyError) as exc:
        try:
            source = re.sub(r"<w:p([ >])", r"\n<w:p\1", tpl.patch_xml(tpl.get_xml()))
        except Exception:  # noqa: BLE001 # pragma: no cover - diagnostics only
            source = None
        raise _template_error(path, exc, source) from exc
    fill_rows(tpl.docx, rows or {})
    fit_tables(tpl.docx)
    tuck_final_paragraph(tpl.docx)
    if props is not None:
        _core_props(tpl.docx.core_properties, props)
    buf = io.BytesIO()
    tpl.save(buf)
    return _write(normalize_zip(buf.getvalue(), props.date if props else None), out)


_ROW_FIELD = re.compile(r"\[\[([A-Za-z_]\w*)\.([A-Za-z_]\w*)\]\]")


def fill_rows(document, rows: Mapping[str, Sequence[Mapping[str, Any]]]) -> None:
    """Fill the large tables of a rendered python-docx ``document``: a table
    row whose cells hold ``[[name.field]]`` is cloned (its XML deep-copied)
    once per record of ``rows[name]`` with each ``[[name.field]]`` replaced
    by the record's text, then removed. A table of thousands of rows is
    made in one pass, without a Jinja loop over paragraphs. Rows of a name
    not in ``rows`` are left alone."""
    from copy import deepcopy

    from docx.oxml.ns import qn

    w_t, w_p, space = qn("w:t"), qn("w:p"), "{http://www.w3.org/XML/1998/namespace}space"
    for row in list(document.element.body.iter(qn("w:tr"))):
        for p in row.iter(w_p):
            ts = list(p.iter(w_t))
            joined = "".join(t.text or "" for t in ts)
            if _ROW_FIELD.search(joined):  # a field split over runs is joined into the first
                ts[0].text = joined
                for t in ts[1:]:
                    t.text = ""
        texts = list(row.iter(w_t))
        # (index of the w:t among the row's, its text with fields)
        slots = [(i, t.text) for i, t in enumerate(texts) if t.text and _ROW_FIELD.search(t.text)]
        names = {m.group(1) for _, src in slots for m in _ROW_FIELD.finditer(src)}
        if len(names) != 1 or next(iter(names)) not in rows:
            continue
        records = rows[next(iter(names))]
        anchor = row
        for rec in records:
            new = deepcopy(row)
            ts = list(new.iter(w_t))
            for i, src in slots:
                value = _ROW_FIELD.sub(lambda m, r=rec: str(r.get(m.group(2), "")), src)
                ts[i].text = value
                if value != value.strip():
                    ts[i].set(space, "preserve")
            anchor.addnext(new)
            anchor = new
        row.getparent().remove(row)


def _core_props(core, props: DocProps) -> None:
    """Document properties from the report date, never the clock (python-docx
    and python-pptx name them alike)."""
    stamp = dt.datetime.combine(props.date, dt.time(0, 0))
    core.created = stamp
    core.modified = stamp
    core.last_printed = stamp
    core.revision = 1
    core.author = props.author
    core.last_modified_by = props.author
    core.title = props.title
    core.subject = props.subject
    core.keywords = props.keywords
    core.comments = ""


def _write(data: bytes, out: Out) -> Path | None:
    if hasattr(out, "write"):
        out.write(data)  # type: ignore[union-attr]
        return None
    path = Path(out)  # type: ignore[arg-type]
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return path


def normalize_zip(data: bytes, date: dt.date | None = None) -> bytes:
    """The same zip with fixed entry timestamps (``date``, else 1980-01-01)
    and permissions, so equal content gives equal bytes."""
    stamp = (max(date.year, 1980), date.month, date.day, 0, 0, 0) if date else (1980, 1, 1, 0, 0, 0)
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=stamp)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            zi.create_system = 0
            dst.writestr(zi, src.read(info.filename))
    return buf.getvalue()


# ------------------------------------------------------------------ pptx ---
_BLOCK = re.compile(r"^\s*\{\{\s*(table|image)\s*:\s*([A-Za-z_]\w*)\s*\}\}\s*$")


@dataclass
class SlideTable:
    """A table for a slide: header labels, rows of text, optional column
    widths (relative) and a note shown when there are no rows. ``total``:
    how many rows there are in all when ``rows`` holds only the first ones
    (the last row then counts the rest)."""

    columns: list[str]
    rows: list[list[str]]
    widths: list[float] | None = None
    empty: str = "无"
    max_rows: int = 12
    more: str = "……另有 {n} 项"
    total: int | None = None


def render_pptx(
    template: str | os.PathLike,
    context: Mapping[str, Any],
    out: Out,
    *,
    tables: Mapping[str, SlideTable] | None = None,
    images: Mapping[str, Image] | None = None,
    props: DocProps | None = None,
    east_asian_font: str | None = None,
) -> Path | None:
    """Fill the slide template ``template`` (see the module docstring) and
    write it to ``out``. Raises ReportError naming the template and tag."""
    from pptx import Presentation

    path = Path(template)
    if not path.is_file():
        raise ReportError(f"找不到报告模板：{path}", f"Report template not found: {path}")
    try:
        prs = Presentation(str(path))
    except Exception as exc:  # whatever fails to open is not a pptx file
        raise ReportError(
            f"报告模板 {path.name} 不是有效的 PowerPoint 文件：{exc}",
            f"Report template {path.name} is not a valid PowerPoint file: {exc}",
        ) from exc
    env = jinja_env()
    env.autoescape = False  # text frames are not markup
    tables, images = dict(tables or {}), dict(images or {})
    for slide in prs.slides:
        for shape in list(slide.shapes):
            if not shape.has_text_frame:
                continue
            whole = shape.text_frame.text
            m = _BLOCK.match(whole)
            if m:
                kind, name = m.groups()
                _replace_block(slide, shape, kind, name, tables, images, path, east_asian_font)
                continue
            for para in shape.text_frame.paragraphs:
                src = "".join(r.text for r in para.runs)
                if "{{" not in src and "{%" not in src:
                    continue
                try:
                    rendered = env.from_string(src).render(context)
                except (
                    jinja2.TemplateError,
                    TypeError,
                    ValueError,
                    AttributeError,
                    KeyError,
                ) as exc:
                    raise _template_error(path, exc, src) from exc
                para.runs[0].text = rendered
                for r in para.runs[1:]:
                    r.text = ""
    if props is not None:
        _core_props(prs.core_properties, props)
    buf = io.BytesIO()
    prs.save(buf)
    return _write(normalize_zip(buf.getvalue(), props.date if props else None), out)


def _replace_block(slide, shape, kind, name, tables, images, path: Path, ea_font) -> None:
    x, y, w, h = shape.left, shape.top, shape.width, shape.height
    if kind == "image":
        if name not in images:
            raise ReportError(
                f"报告模板 {path.name} {{{{ image:{name} }}}}：没有名为 {name} 的图表",
                f"Report template {path.name} {{{{ image:{name} }}}}: no picture named {name}",
            )
        img = images[name]
        pic = slide.shapes.add_picture(io.BytesIO(img.data), x, y)
        scale = min(w / pic.width, h / pic.height)
        pic.width, pic.height = int(pic.width * scale), int(pic.height * scale)
        pic.left, pic.top = x + (w - pic.width) // 2, y + (h - pic.height) // 2
    else:
        if name not in tables:
            raise ReportError(
                f"报告模板 {path.name} {{{{ table:{name} }}}}：没有名为 {name} 的表格",
                f"Report template {path.name} {{{{ table:{name} }}}}: no table named {name}",
            )
        _add_table(slide, tables[name], x, y, w, h, ea_font)
    shape._element.getparent().remove(shape._element)


def _lines(value: str, width_emu: int, size_pt: float) -> int:
    """Lines ``value`` takes in a slide table cell ``width_emu`` wide."""
    from pptx.util import Inches

    from xlcollab.reports.layout import text_width_mm

    usable_mm = max((width_emu - 2 * Inches(0.1)) / 36000, 1.0)
    n = 0
    for para in str(value).split("\n") or [""]:
        w = text_width_mm(para, size_pt) * 1.05
        n += max(1, -(-int(w * 1000) // int(usable_mm * 1000)))
    return n


def _unbroken(rows: list[list[str]], widths: list[int], size_pt: float) -> bool:
    """True when no amount, date or word is wider than its column."""
    from pptx.util import Inches

    from xlcollab.reports.layout import min_width_mm

    return all(
        min_width_mm(str(v), size_pt, short=0) * 1.05 <= (w - 2 * Inches(0.1)) / 36000
        for r in rows
        for v, w in zip(r, widths, strict=False)
    )


def _row_heights(rows: list[list[str]], widths: list[int], size_pt: float) -> list[int]:
    from pptx.util import Inches, Pt

    return [
        int(max(_lines(v, w, size_pt) for v, w in zip(r, widths, strict=False)) * Pt(size_pt * 1.4))
        + 2 * Inches(0.05)
        + Pt(2)
        for r in rows
    ]


SLIDE_SIZES = (14, 12, 11, 10)  # table font sizes tried, largest first (pt)


def _add_table(slide, spec: SlideTable, x, y, w, h, ea_font) -> None:
    """A table that fits its box: the largest font size whose wrapped rows
    fit the height (never clipped text), else 10 pt with the rows that fit
    and a "…另有 n 项" row."""
    from pptx.util import Pt

    n_cols = len(spec.columns)
    weights = spec.widths or [1] * n_cols
    widths = [int(w * k / sum(weights)) for k in weights]
    pad = [""] * (n_cols - 1)
    rows = spec.rows[: spec.max_rows]
    extra = max(len(spec.rows) if spec.total is None else spec.total, len(spec.rows)) - len(rows)

    def body_of(kept: list[list[str]], more: int) -> list[list[str]]:
        body = kept or [[spec.empty, *pad]]
        return body + ([[spec.more.format(n=more), *pad]] if more > 0 else [])

    size = SLIDE_SIZES[-1]
    for cand in SLIDE_SIZES:
        table = [spec.columns, *body_of(rows, extra)]
        if sum(_row_heights(table, widths, cand)) <= h and _unbroken(table, widths, cand):
            size = cand
            break
    else:
        while rows and sum(_row_heights([spec.columns, *body_of(rows, extra)], widths, size)) > h:
            rows, extra = rows[:-1], extra + 1
    body = body_of(rows, extra)
    heights = _row_heights([spec.columns, *body], widths, size)
    gt = slide.shapes.add_table(len(body) + 1, n_cols, x, y, w, sum(heights))
    table = gt.table
    for i, col in enumerate(table.columns):
        col.width = widths[i]
    for r, values in enumerate([spec.columns, *body]):
        table.rows[r].height = heights[r]
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.text = str(value)
            for p in cell.text_frame.paragraphs:
                for run in p.runs:
                    run.font.size = Pt(size)
                    run.font.bold = r == 0
                    if ea_font:
                        set_east_asian_font(run, ea_font)


def set_east_asian_font(run, name: str) -> None:
    """Set a pptx run's East Asian typeface (``a:ea``)."""
    from pptx.oxml.ns import qn

    rpr = run._r.get_or_add_rPr()
    ea = rpr.find(qn("a:ea"))
    if ea is None:
        ea = rpr.makeelement(qn("a:ea"), {})
        latin = rpr.find(qn("a:latin"))
        if latin is not None:
            latin.addnext(ea)
        else:
            rpr.append(ea)
    ea.set("typeface", name)
