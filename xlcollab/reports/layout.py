"""Word tables laid out from their content, after the template is filled.

A template cannot know how wide its columns should be: a department's
blocked-task table holds a reason of forty characters one week and none the
next. So once a document is rendered, :func:`fit_tables` gives every table
column widths from what it holds, keeping the table's total width:

- a column is never narrower than its widest unbreakable piece: a header
  (an English one may wrap between its words) or a short value (up to
  ``SHORT`` CJK characters, such as 部门内解决 or 阻塞工作日), a date, an
  amount, a WBS code, a Latin word; so no header, date or code breaks into
  one character per line;
- the room left over goes to the columns whose text is long (a task name,
  a reason, a decision), in proportion to how much more they need;
- a row whose first cell says 合计 / 总计 / Total is a total row: bold;
- no row is split across a page break (``w:cantSplit``), and a table's
  header row stays with its first row (``w:keepNext``; the heading before
  the table keeps with the table by its style);
- a document that ends with a table ends with the empty paragraph Word
  requires after it; :func:`tuck_final_paragraph` makes that paragraph one
  point high, so a table that fills its page does not push it onto a page
  of its own (a blank last page with only the footer).

Widths are estimated from character classes at the table's 9 pt: a CJK or
full-width character is one em, a digit 0.64 em (the width of the serif
font LibreOffice substitutes when the template's is missing), other
characters about 0.6 em, plus the cell's margins. That estimate is
deliberately a little generous.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

__all__ = ["fit_tables", "tuck_final_paragraph", "text_width_mm", "min_width_mm"]

PT_MM = 25.4 / 72
FONT_PT = 9.0
PAD_MM = 5.0  # left + right cell margins, the border and a little room
SHORT = 6  # a value of up to this many CJK characters is kept on one line
SHORT_HEADER = 10  # a header of up to this many is kept on one line
_TWIPS_PER_MM = 1440 / 25.4


@lru_cache(maxsize=4096)
def _char_em(ch: str) -> float:
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 1.0
    if ch in "WMmw@%":
        return 0.9
    if ch.isdigit():
        return 0.64  # as wide as a serif substitute draws them (DejaVu Serif)
    return 0.75 if ch.isupper() or ch in "¥#&" else 0.58


@lru_cache(maxsize=8192)
def text_width_mm(text: str, font_pt: float = FONT_PT) -> float:
    """The width of ``text`` on one line (no margins)."""
    return sum(_char_em(c) for c in text) * font_pt * PT_MM


#: No line break before these (closing punctuation) or after those (opening).
CLOSE = "、，。；：！？）」』》〉】,.;:!?)]}%"
OPEN = "（「『《〈【([{¥$"


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def pieces(text: str) -> list[str]:
    """``text`` cut where a line may break: at spaces and next to a CJK
    character, but never before closing or after opening punctuation, and
    never inside a run of Latin letters, digits and dots (a word, a date, an
    amount, a WBS code such as ``3.1.4`` stays whole with its ``、``)."""
    out, cur = [], ""
    for ch in text:
        if cur:
            a = cur[-1]
            if a.isspace() or ch.isspace():
                brk = True
            else:
                brk = (_wide(a) or _wide(ch)) and ch not in CLOSE and a not in OPEN
            if brk:
                out.append(cur)
                cur = ""
        cur += ch
    if cur:
        out.append(cur)
    return [p for p in (x.strip() for x in out) if p]


@lru_cache(maxsize=8192)
def min_width_mm(text: str, font_pt: float = FONT_PT, short: float = SHORT) -> float:
    """The widest piece of ``text`` that must not break: the whole text when
    it is short, else its widest unbreakable piece (:func:`pieces`)."""
    text = text.strip()
    if not text:
        return 0.0
    if sum(_char_em(c) for c in text) <= short:
        return text_width_mm(text, font_pt)
    return max(text_width_mm(p, font_pt) for p in pieces(text) or [text[0]])


def _cell_texts(tc) -> list[str]:
    return ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in tc.iter(qn("w:p"))]


def _grid(tbl) -> list:
    grid = tbl.find(qn("w:tblGrid"))
    return [] if grid is None else grid.findall(qn("w:gridCol"))


def _rows(tbl):
    for tr in tbl.findall(qn("w:tr")):
        col = 0
        cells = []
        for tc in tr.findall(qn("w:tc")):
            pr = tc.find(qn("w:tcPr"))
            span_el = None if pr is None else pr.find(qn("w:gridSpan"))
            span = int(span_el.get(qn("w:val"))) if span_el is not None else 1
            cells.append((col, span, tc))
            col += span
        yield tr, cells


def _set_tc_width(tc, twips: int) -> None:
    pr = tc.get_or_add_tcPr()
    w = pr.find(qn("w:tcW"))
    if w is None:
        w = OxmlElement("w:tcW")
        pr.insert(0, w)
    w.set(qn("w:w"), str(twips))
    w.set(qn("w:type"), "dxa")


def _cant_split(tr) -> None:
    pr = tr.get_or_add_trPr()
    if pr.find(qn("w:cantSplit")) is None:
        pr.insert(0, OxmlElement("w:cantSplit"))


def widths_for(mins: list[float], wants: list[float], total: float) -> list[float]:
    """Column widths summing to ``total``: what each wants when all fits
    (the room left shared by the square of what they want, so a label
    column stays narrow); else each column's share in proportion to what it
    wants, but never below its minimum (the columns held at their minimum
    are taken out and the rest shared again); the minimums scaled down when
    even they do not fit."""
    n = len(mins)
    wants = [max(w, m, 0.1) for w, m in zip(wants, mins, strict=True)]
    if sum(wants) <= total:  # all fits: the room left goes mostly to the long columns
        extra, weight = total - sum(wants), sum(w * w for w in wants)
        return [w + extra * w * w / weight for w in wants]
    if sum(mins) >= total:
        return [m * total / sum(mins) for m in mins] if sum(mins) else [total / n] * n
    fixed: dict[int, float] = {}
    while True:
        free = [i for i in range(n) if i not in fixed]
        room = total - sum(fixed.values())
        want = sum(wants[i] for i in free)
        share = {i: room * wants[i] / want for i in free}
        short = {i for i in free if share[i] < mins[i]}
        if not short:
            return [fixed.get(i, share.get(i, 0.0)) for i in range(n)]
        fixed.update({i: mins[i] for i in short})


TOTAL_LABELS = frozenset({"合计", "总计", "Total"})


def _bold(tr) -> None:
    """A total row: every run bold."""
    for r in tr.iter(qn("w:r")):
        r.get_or_add_rPr().get_or_add_b()  # python-docx keeps the schema's order


def _keep_with_next(tr) -> None:
    for p in tr.iter(qn("w:p")):
        ppr = p.get_or_add_pPr()
        if ppr.find(qn("w:keepNext")) is None:
            ppr.insert(0, OxmlElement("w:keepNext"))


def fit_table(tbl) -> None:
    """Lay out one ``w:tbl`` element (see the module docstring)."""
    grid = _grid(tbl)
    if not grid:
        return
    n = len(grid)
    total = sum(int(g.get(qn("w:w")) or 0) for g in grid) / _TWIPS_PER_MM
    mins, wants = [PAD_MM] * n, [PAD_MM] * n
    rows = list(_rows(tbl))
    for i, (_, cells) in enumerate(rows):
        bold = 1.18 if i == 0 else 1.06  # the header row is bold
        for col, span, tc in cells:
            if span != 1 or col >= n:
                continue
            for line in _cell_texts(tc):
                # a header keeps whole unless it has words to wrap at (English)
                short = (0 if " " in line.strip() else SHORT_HEADER) if i == 0 else SHORT
                mins[col] = max(mins[col], min_width_mm(line, short=short) * bold + PAD_MM)
                wants[col] = max(wants[col], text_width_mm(line) * bold + PAD_MM)
    if total <= 0:
        return
    widths = widths_for(mins, [min(w, total * 0.6) for w in wants], total)
    twips = [round(w * _TWIPS_PER_MM) for w in widths]
    for g, w in zip(grid, twips, strict=True):
        g.set(qn("w:w"), str(w))
    for i, (tr, cells) in enumerate(rows):
        _cant_split(tr)
        if i and cells and "".join(_cell_texts(cells[0][2])).strip() in TOTAL_LABELS:
            _bold(tr)
        if i < min(2, len(rows) - 1):  # a header stays with the first row
            _keep_with_next(tr)
        for col, span, tc in cells:
            _set_tc_width(tc, sum(twips[col : col + span]))


def fit_tables(document) -> None:
    """Every table of a python-docx ``document`` (nested ones too)."""
    for tbl in list(document.element.body.iter(qn("w:tbl"))):
        fit_table(tbl)


def tuck_final_paragraph(document) -> None:
    """Make the empty paragraph that follows a document's last table one
    point high (no spacing), so that it never starts a page by itself."""
    blocks = [el for el in document.element.body if el.tag in (qn("w:p"), qn("w:tbl"))]
    if len(blocks) < 2 or blocks[-1].tag != qn("w:p") or blocks[-2].tag != qn("w:tbl"):
        return
    p = blocks[-1]
    if "".join(p.itertext()).strip() or p.find(".//" + qn("w:drawing")) is not None:
        return
    ppr = p.get_or_add_pPr()
    spacing = ppr.get_or_add_spacing()  # python-docx keeps the schema's order
    for k, v in (("w:before", "0"), ("w:after", "0"), ("w:line", "20"), ("w:lineRule", "exact")):
        spacing.set(qn(k), v)
    old = ppr.find(qn("w:rPr"))
    if old is not None:
        ppr.remove(old)
    rpr = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "2")
    rpr.append(size)
    later = [el for el in (ppr.find(qn(t)) for t in ("w:sectPr", "w:pPrChange")) if el is not None]
    if later:
        later[0].addprevious(rpr)  # the paragraph mark's run properties come before these
    else:
        ppr.append(rpr)
