"""Patching one worksheet part's XML in place.

Only the rows that get an edit are parsed and rebuilt; every other byte of
the part is copied as it was. Cells keep their column order within a row
and rows their order within ``sheetData``; new rows and cells are inserted
where they belong. A cell's style (``s``) is kept unless a date needs a date
format; ``<dimension>`` grows to cover what was written.

Formula cells are never rewritten unless the caller says so
(``overwrite_formulas``); the master cell of a shared formula and cells
inside an array formula are refused even then.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import NamedTuple

from xlcollab.io.ooxml import attr, del_attr, set_attr
from xlcollab.model.a1 import cell_ref, col_index, col_letter, split_ref

_ROW_NUM = re.compile(rb'(?:^|\s)r\s*=\s*"([0-9]+)"')
_CELL_COL = re.compile(rb'(?:^|\s)r\s*=\s*"\$?([A-Za-z]{1,3})\$?[0-9]+"')

__all__ = ["SheetXml", "REMOVE", "Rendered", "SheetPatchError", "MARK_MARKER"]

# The attributes of a cell as Excel and the usual writers give them: its
# position (as cell_ref writes it), maybe a style, maybe a type, nothing else.
_PLAIN_CELL = re.compile(rb'( r="[A-Z]{1,3}[1-9][0-9]*")( s="([0-9]+)")?(?: t="[a-zA-Z]+")?')

_R_KEYS: dict[int, bytes] = {}  # column -> b' r="<letters>', the start of a cell's position
LOCATE_FROM = 3  # edits in a row from which one pass over its cells finds them faster

MARK_MARKER = b"xlcollab:"  # in the formula of every conditional format the tool owns

# after <sheetData>, these may follow a worksheet's conditional formats
_AFTER_CF = (
    b"dataValidations",
    b"hyperlinks",
    b"printOptions",
    b"pageMargins",
    b"pageSetup",
    b"headerFooter",
    b"rowBreaks",
    b"colBreaks",
    b"customProperties",
    b"cellWatches",
    b"ignoredErrors",
    b"smartTags",
    b"drawing",
    b"legacyDrawing",
    b"legacyDrawingHF",
    b"drawingHF",
    b"picture",
    b"oleObjects",
    b"controls",
    b"webPublishItems",
    b"tableParts",
    b"extLst",
)


def _plain_head(position: bytes, style: bytes | None, rendered: Rendered) -> bytes:
    """The attributes of a plain cell (:data:`_PLAIN_CELL`: its position,
    its style as written or None) rewritten to hold ``rendered``: the
    position, the style (the rendered one, 0 dropping it; else the cell's
    own), then the rendered type; the cell's old type goes."""
    s = rendered.s
    if s is None:
        head = position + style if style else position
    elif s:
        head = position + b' s="' + str(s).encode() + b'"'
    else:
        head = position
    if rendered.t is not None:
        head += b' t="' + rendered.t + b'"'
    return head


def _col_key(col: int) -> bytes:
    """`` r="<letters>``: the start of a cell's position attribute."""
    key = _R_KEYS.get(col)
    if key is None:
        key = _R_KEYS[col] = b' r="' + col_letter(col).encode()
    return key


class SheetPatchError(Exception):
    """An edit the sheet cannot take safely; ``cells`` names the places."""

    def __init__(self, kind: str, cells: list[str]):
        super().__init__(f"{kind}: {', '.join(cells[:10])}")
        self.kind = kind
        self.cells = cells


class _Remove:
    def __repr__(self):
        return "REMOVE"


REMOVE = _Remove()  # an edit that deletes the cell element altogether


class Rendered(NamedTuple):
    """A cell's new content: type attribute (None for a number or an
    empty cell), inner XML, and style index (None keeps the cell's)."""

    t: bytes | None
    inner: bytes
    s: int | None = None


# render(value, old_style) -> Rendered; old_style is None for a new cell
Render = Callable[[object, "int | None"], Rendered]


class SheetXml:
    def __init__(self, xml: bytes, name: str = "sheet"):
        self.xml = xml
        self.name = name
        m = re.search(rb"<([A-Za-z_][\w.-]*:)?worksheet[\s>]", xml)
        self.p = (m.group(1) or b"") if m else b""
        p = re.escape(self.p)
        self._cell_re = re.compile(rb"<" + p + rb"c\b([^>]*?)(?:/>|>(.*?)</" + p + rb"c>)", re.S)
        self._f_any = re.compile(rb"<" + p + rb"f[\s>/]")
        self._f_open = b"<" + self.p + b"f"  # what every formula's start tag begins with
        # a cell with _PLAIN_CELL's attributes, whole: group 4 is its content
        self._plain_cell = re.compile(
            rb"<" + p + rb"c" + _PLAIN_CELL.pattern + rb"(?:/>|>(.*?)</" + p + rb"c>)", re.S
        )
        self._f_tag = re.compile(rb"<" + p + rb"f\b([^>]*?)/?>")
        self.removed_formulas: list[str] = []
        self._heads: dict[bytes, tuple[int | None, bytes]] = {}  # see _new_row_head
        self._found: tuple[bytes, tuple[int, int, int, int]] | None = None  # see _sheet_data

    # ------------------------------------------------------------- reading
    def _sheet_data(self) -> tuple[int, int, int, int]:
        """(start of <sheetData>, start of its content, end of content,
        end of </sheetData>); content empty for <sheetData/>."""
        xml = self.xml
        if self._found is not None and self._found[0] is xml:
            return self._found[1]
        p = re.escape(self.p)
        m = re.search(rb"<" + p + rb"sheetData\b[^>]*?(/?)>", xml)
        if m is None:
            raise SheetPatchError("no sheetData", [self.name])
        if m.group(1):
            found = m.start(), m.end(), m.end(), m.end()
        else:
            end = xml.find(b"</" + self.p + b"sheetData>", m.end())
            found = m.start(), m.end(), end, end + len(b"</" + self.p + b"sheetData>")
        self._found = (xml, found)  # until the XML changes
        return found

    def rows(self):
        """(row number, attrs, inner or None, start, end) of every row."""
        _, start, end, _ = self._sheet_data()
        xml = self.xml
        open_tag = b"<" + self.p + b"row"
        close_tag = b"</" + self.p + b"row>"
        n_open = len(open_tag)
        current = 0
        pos = start
        while True:
            i = xml.find(open_tag, pos, end)
            if i == -1:
                return
            if xml[i + n_open : i + n_open + 1] not in (b" ", b">", b"/", b"\t", b"\n", b"\r"):
                pos = i + n_open
                continue
            j = xml.find(b">", i)
            head = xml[i + n_open : j]
            if head.endswith(b"/"):
                attrs, inner, stop = head[:-1], None, j + 1
            else:
                k = xml.find(close_tag, j)
                if k == -1:
                    raise SheetPatchError("unclosed row", [self.name])
                attrs, inner, stop = head, xml[j + 1 : k], k + len(close_tag)
            r = _ROW_NUM.search(attrs)
            current = int(r.group(1)) if r is not None else current + 1
            yield current, attrs, inner, i, stop
            pos = stop

    def cells_of(self, inner: bytes | None):
        """(column, attrs, inner, whole element or None when its position
        is implicit) of the cells of a row's inner XML."""
        out = []
        col = 0
        for m in self._cell_re.finditer(inner or b""):
            r = _CELL_COL.search(m.group(1))
            if r is not None:
                col = col_index(r.group(1).decode())
                out.append((col, m.group(1), m.group(2), m.group(0)))
            else:
                col += 1
                out.append((col, m.group(1), m.group(2), None))
        return out

    def row_info(self, row: int) -> tuple[bytes, dict[int, int]] | None:
        """A row's attributes and its cells' styles (column -> s)."""
        for r, attrs, inner, _, _ in self.rows():
            if r == row:
                styles = {c: int(attr(a, b"s") or 0) for c, a, _, _ in self.cells_of(inner)}
                return attrs, styles
            if r > row:
                break
        return None

    def col_styles(self) -> dict[int, int]:
        """Column -> the style a <col> element gives it."""
        p = re.escape(self.p)
        out = {}
        m = re.search(rb"<" + p + rb"cols>(.*?)</" + p + rb"cols>", self.xml, re.S)
        if m:
            for c in re.finditer(rb"<" + p + rb"col\b([^>]*?)/?>", m.group(1)):
                s = attr(c.group(1), b"style")
                lo, hi = attr(c.group(1), b"min"), attr(c.group(1), b"max")
                if s is not None and lo and hi:
                    for k in range(int(lo), min(int(hi), 16384) + 1):
                        out[k] = int(s)
        return out

    def _array_ranges(self) -> list[tuple[int, int, int, int]]:
        out = []
        if b'"array"' not in self.xml:
            return out
        p = re.escape(self.p)
        for m in re.finditer(rb"<" + p + rb"f\b([^>]*?)>", self.xml):
            if attr(m.group(1), b"t") == b"array":
                ref = attr(m.group(1), b"ref")
                if ref:
                    a, _, b = ref.decode().partition(":")
                    r1, c1 = split_ref(a)
                    r2, c2 = split_ref(b or a)
                    out.append((r1, c1, r2, c2))
        return out

    # ------------------------------------------------------------- writing
    def set_cells(
        self,
        edits: dict[int, dict[int, object]],
        render: Render,
        *,
        overwrite_formulas: bool = False,
        new_row_attrs: dict[int, bytes] | None = None,
        new_cell_styles: dict[int, dict[int, int]] | None = None,
    ) -> None:
        """Apply ``edits`` (row -> column -> value or REMOVE). ``render``
        turns a value into a cell's content. New rows get
        ``new_row_attrs[row]`` (without r/spans) when given. A cell the
        sheet lacks, in a new row or in one it has, takes the style
        ``new_cell_styles[row]`` (column -> style) gives its column, when
        it gives one, whatever the row's or the column's."""
        if not edits:
            return
        new_row_attrs = new_row_attrs or {}
        new_cell_styles = new_cell_styles or {}
        arrays = self._array_ranges()
        col_styles = self._col_styles = self.col_styles()
        refused: dict[str, list[str]] = {}
        s0, c_start, c_end, _ = self._sheet_data()
        pending = sorted(edits)
        out: list[bytes] = []
        pos = c_start
        i = 0
        for r, attrs, inner, start, end in self.rows():
            if i < len(pending) and pending[i] < r:  # rows the sheet lacks, before r
                out.append(self.xml[pos:start])
                pos = start
                j = i
                while j < len(pending) and pending[j] < r:
                    j += 1
                out.append(
                    self._new_rows(
                        pending[i:j], edits, render, col_styles, new_row_attrs, new_cell_styles
                    )
                )
                i = j
            if i < len(pending) and pending[i] == r:
                out.append(self.xml[pos:start])
                out.append(
                    self._patch_row(
                        r,
                        attrs,
                        inner,
                        edits[r],
                        render,
                        col_styles,
                        new_cell_styles.get(r),
                        overwrite_formulas,
                        arrays,
                        refused,
                    )
                )
                pos = end
                i += 1
            if i >= len(pending):
                break
        out.append(self.xml[pos:c_end])
        out.append(
            self._new_rows(pending[i:], edits, render, col_styles, new_row_attrs, new_cell_styles)
        )
        if refused:
            kind, cells = next(iter(refused.items()))
            raise SheetPatchError(kind, cells)
        body = b"".join(out)
        head = self.xml[:c_start]
        tail = self.xml[c_end:]
        if c_start == c_end and self.xml[s0:c_start].endswith(b"/>"):  # <sheetData/>
            open_tag = self.xml[s0:c_start][:-2].rstrip() + b">"
            head = self.xml[:s0] + open_tag
            tail = b"</" + self.p + b"sheetData>" + self.xml[c_start:]
        self.xml = head + body + tail
        self._grow_dimension(edits)

    def _refused(
        self,
        row: int,
        col: int,
        inner: bytes | None,
        arrays,
        overwrite_formulas: bool,
        refused: dict[str, list[str]],
    ) -> bool:
        """Whether the cell may not be written: inside an array formula, a
        shared formula's master, or a formula when ``overwrite_formulas`` is
        off (recorded in ``refused`` by reason). A formula that may be
        overwritten is remembered in ``removed_formulas``."""
        if arrays and any(r1 <= row <= r2 and c1 <= col <= c2 for r1, c1, r2, c2 in arrays):
            refused.setdefault("array formula", []).append(cell_ref(row, col))
            return True
        if inner and self._f_any.search(inner):
            ref = cell_ref(row, col)
            f = self._f_tag.search(inner)
            if f and attr(f.group(1), b"t") == b"shared" and attr(f.group(1), b"ref"):
                refused.setdefault("shared formula", []).append(ref)
                return True
            if not overwrite_formulas:
                refused.setdefault("formula", []).append(ref)
                return True
            self.removed_formulas.append(ref)
        return False

    def _new_cell(self, row: int, col: int, value, style: int | None, render) -> bytes:
        """A cell that was not in the row: the value rendered, taking the
        row's or the column's style when the value brings none."""
        rendered = render(value, style)
        return self._bare_cell_xml(_col_key(col) + str(row).encode() + b'"', rendered, style)

    def _bare_cell_xml(self, pos: bytes, rendered: Rendered, style: int | None) -> bytes:
        """A new cell (no attributes of its own) at ``pos`` (`` r="B12"``):
        the rendered style, else ``style``; what :meth:`_cell_xml` gives for
        a cell without attributes, built without parsing any."""
        return b"<" + self.p + b"c" + pos + self._cell_tail(rendered, style)

    def _cell_tail(self, rendered: Rendered, style: int | None) -> bytes:
        """What follows a new cell's position: its style (the rendered one,
        else ``style``) and type attributes, then its content and end."""
        s = rendered.s if rendered.s is not None else style
        attrs = b' s="' + str(s).encode() + b'"' if s else b""
        if rendered.t is not None:
            attrs += b' t="' + rendered.t + b'"'
        if not rendered.inner:
            return attrs + b"/>"
        return attrs + b">" + rendered.inner + b"</" + self.p + b"c>"

    def _cell_xml(self, row: int, col: int, attrs: bytes, rendered: Rendered) -> bytes:
        if attrs:  # a new cell has none
            attrs = del_attr(del_attr(del_attr(del_attr(attrs, b"t"), b"vm"), b"cm"), b"r")
            attrs = b' r="' + cell_ref(row, col).encode() + b'"' + attrs.rstrip()
        else:
            attrs = b' r="' + cell_ref(row, col).encode() + b'"'
        if rendered.s is not None:
            attrs = (
                set_attr(attrs, b"s", str(rendered.s).encode())
                if rendered.s
                else del_attr(attrs, b"s")
            )
        if rendered.t is not None:
            attrs += b' t="' + rendered.t + b'"'
        return self._element(attrs, rendered.inner)

    def _plain_cell_xml(self, plain: re.Match, rendered: Rendered) -> bytes:
        """What :meth:`_cell_xml` makes of a cell whose attributes are
        :data:`_PLAIN_CELL` (its position found as the very reference
        :func:`cell_ref` gives), built from the match without parsing."""
        return self._element(_plain_head(plain.group(1), plain.group(2), rendered), rendered.inner)

    def _element(self, attrs: bytes, inner: bytes) -> bytes:
        """A ``<c>`` element with ``attrs`` holding ``inner`` (empty: self-closed)."""
        p = self.p
        if not inner:
            return b"<" + p + b"c" + attrs + b"/>"
        return b"<" + p + b"c" + attrs + b">" + inner + b"</" + p + b"c>"

    def _new_rows(
        self,
        rows: Sequence[int],
        edits: dict[int, dict[int, object]],
        render: Render,
        col_styles: dict[int, int],
        new_row_attrs: dict[int, bytes],
        new_cell_styles: dict[int, dict[int, int]],
    ) -> bytes:
        """Rows the sheet does not have, in one go (a table's new body):
        each cell as :meth:`_bare_cell_xml` makes it, its style from
        ``new_cell_styles[row]``, else the row's own, else the column's."""
        p = self.p
        open_c = b"<" + p + b"c"
        prefixes: dict[int, bytes] = {}  # col -> <c r="B
        out = []
        for row in rows:
            cells = edits[row]
            row_style, attrs = self._new_row_head(new_row_attrs.get(row, b""))
            cell_styles = new_cell_styles.get(row) or {}
            suffix = str(row).encode() + b'"'
            parts = []
            for col in sorted(cells):
                value = cells[col]
                if value is REMOVE:
                    continue
                style = cell_styles.get(col)
                if style is None:
                    style = row_style if row_style is not None else col_styles.get(col)
                prefix = prefixes.get(col)
                if prefix is None:
                    prefix = prefixes[col] = open_c + _col_key(col)
                parts.append(prefix + suffix + self._cell_tail(render(value, style), style))
            if parts:
                out.append(
                    b"<"
                    + p
                    + b'row r="'
                    + suffix
                    + (b" " + attrs if attrs else b"")
                    + b">"
                    + b"".join(parts)
                    + b"</"
                    + p
                    + b"row>"
                )
        return b"".join(out)

    def _new_row_head(self, row_attrs: bytes) -> tuple[int | None, bytes]:
        """(the row's own style when it has a custom format, its attributes
        without r and spans), once per distinct attributes."""
        heads = self._heads
        head = heads.get(row_attrs)
        if head is None:
            row_style = None
            if attr(row_attrs, b"customFormat") in (b"1", b"true"):
                row_style = int(attr(row_attrs, b"s") or 0)
            attrs = del_attr(del_attr(row_attrs, b"r"), b"spans").strip()
            head = heads[row_attrs] = (row_style, attrs)
        return head

    def _patch_row(
        self,
        row,
        attrs,
        inner,
        edits,
        render,
        col_styles,
        cell_styles,
        overwrite_formulas,
        arrays,
        refused,
    ) -> bytes:
        """A row the sheet has, with ``edits``; a cell it lacks takes the
        style ``cell_styles`` (column -> style, or None) gives, else the
        row's own, else the column's."""
        cell_styles = cell_styles or {}
        fast = self._patch_row_fast(
            row, attrs, inner, edits, render, cell_styles, overwrite_formulas, arrays, refused
        )
        if fast is not None:
            return fast
        p = self.p
        cells = self.cells_of(inner)
        rest = self._cell_re.sub(b"", inner or b"").strip()  # a row's own extLst, if any
        by_col = {c: (a, i, w) for c, a, i, w in cells}
        row_style = None
        if attr(attrs, b"customFormat") in (b"1", b"true"):
            row_style = int(attr(attrs, b"s") or 0)
        out = []
        for col in sorted(set(by_col) | set(edits)):
            if col not in edits:
                a, i, whole = by_col[col]
                out.append(whole if whole is not None else self._keep_cell(row, col, a, i))
                continue
            value = edits[col]
            inner_now = by_col[col][1] if col in by_col else None
            if self._refused(row, col, inner_now, arrays, overwrite_formulas, refused):
                continue
            if col in by_col:
                a, i, _ = by_col[col]
                if value is REMOVE:
                    continue
                old_s = int(attr(a, b"s") or 0)
                out.append(self._cell_xml(row, col, a, render(value, old_s)))
            else:
                if value is REMOVE:
                    continue
                style = cell_styles.get(col)
                if style is None:
                    style = row_style if row_style is not None else col_styles.get(col)
                out.append(self._new_cell(row, col, value, style, render))
        attrs = self._spans(attrs, edits)
        if not out and not rest:
            meaningful = del_attr(del_attr(attrs, b"r"), b"spans").strip()
            if not meaningful:
                return b""
            return b"<" + p + b"row" + attrs + b"/>"
        return b"<" + p + b"row" + attrs + b">" + b"".join(out) + rest + b"</" + p + b"row>"

    def _patch_row_fast(
        self, row, attrs, inner, edits, render, cell_styles, overwrite_formulas, arrays, refused
    ) -> bytes | None:
        """Patch a row whose edited cells all exist with explicit positions,
        without looking at its other cells; None when that does not hold."""
        if not inner:
            return None
        if len(edits) >= LOCATE_FROM and not arrays:
            whole = self._rewrite_row(attrs, inner, edits, str(row).encode() + b'"', render)
            if whole is not None:
                return whole
        found = []
        appended = []
        tag = b"<" + self.p + b"c"
        suffix = str(row).encode() + b'"'
        last_col = None
        located = self._locate(inner, edits, suffix) if len(edits) >= LOCATE_FROM else {}
        for col, value in edits.items():
            if value is REMOVE:
                return None
            hit = located.get(col)
            if hit is not None:
                found.append(hit)
                continue
            key = _col_key(col)
            pos = inner.find(key + suffix)
            if pos == -1:
                if last_col is None:
                    last_col = self._last_col(inner, tag)
                if last_col is None or col <= last_col:
                    return None
                appended.append(col)
                continue
            start = inner.rfind(tag, 0, pos)
            if (
                start == -1
                or b">" in inner[start:pos]
                or inner[start + len(tag) : start + len(tag) + 1] not in (b" ", b"\t", b"\n", b"\r")
            ):
                return None
            m = self._cell_re.match(inner, start)
            if m is None:
                return None
            found.append((start, m.end(), col, m.group(1), m.group(2)))
        found.sort()
        out = []
        pos = 0
        f_open = self._f_open
        for start, end, col, a, i in found:
            # a cell that may hold a formula, or any cell when the sheet has
            # array formulas, is looked at closely
            if (arrays or (i and f_open in i)) and self._refused(
                row, col, i, arrays, overwrite_formulas, refused
            ):
                continue
            out.append(inner[pos:start])
            plain = _PLAIN_CELL.fullmatch(a)
            if plain is None:
                cell = self._cell_xml(row, col, a, render(edits[col], int(attr(a, b"s") or 0)))
            else:
                cell = self._plain_cell_xml(plain, render(edits[col], int(plain.group(3) or 0)))
            out.append(cell)
            pos = end
        out.append(inner[pos:])
        row_style = None
        if b"customFormat" in attrs and attr(attrs, b"customFormat") in (b"1", b"true"):
            row_style = int(attr(attrs, b"s") or 0)
        for col in sorted(appended):
            style = cell_styles.get(col)
            if style is None:
                style = row_style if row_style is not None else self._col_styles.get(col)
            out.append(self._new_cell(row, col, edits[col], style, render))
        return self._row_xml(attrs, edits, out)

    def _row_xml(self, attrs: bytes, edits, cells: list[bytes]) -> bytes:
        """A row the sheet has, with its attributes (spans grown to cover
        ``edits``) and ``cells``, its new inner XML in pieces."""
        p = self.p
        return (
            b"<"
            + p
            + b"row"
            + self._spans(attrs, edits)
            + b">"
            + b"".join(cells)
            + b"</"
            + p
            + b"row>"
        )

    def _rewrite_row(self, attrs, inner, edits, suffix: bytes, render) -> bytes | None:
        """A row whose every cell is rewritten, in one pass: when it holds
        nothing but plain cells (:data:`_PLAIN_CELL`, no formula) of the
        edited columns, each once, what :meth:`_patch_row_fast` makes of it;
        else None."""
        keys = {_col_key(col) + suffix: col for col in edits}
        f_open = self._f_open
        out = []
        pos = 0
        for m in self._plain_cell.finditer(inner):
            position, style, s, content = m.groups()
            col = keys.pop(position, None)
            if m.start() != pos or col is None or (content and f_open in content):
                return None
            value = edits[col]
            if value is REMOVE:
                return None
            rendered = render(value, int(s or 0))
            out.append(self._element(_plain_head(position, style, rendered), rendered.inner))
            pos = m.end()
        if keys or pos != len(inner):
            return None
        return self._row_xml(attrs, edits, out)

    def _locate(
        self, inner: bytes, cols, suffix: bytes
    ) -> dict[int, tuple[int, int, int, bytes, bytes | None]]:
        """The cells of ``cols`` in a row's inner XML, found in one pass over
        the row's cells (a table row rewritten whole): column -> (start,
        end, column, attributes, inner), as :meth:`_patch_row_fast` finds
        each. Empty (each is then searched for) unless every cell has its
        position as its first attribute and none is there twice."""
        keys = {_col_key(col) + suffix: col for col in cols}
        out: dict[int, tuple[int, int, int, bytes, bytes | None]] = {}
        for m in self._cell_re.finditer(inner):
            a = m.group(1)
            if not a.startswith(b' r="'):
                return {}
            col = keys.get(a[: a.find(b'"', 4) + 1])
            if col is not None:
                if col in out:
                    return {}
                out[col] = (m.start(), m.end(), col, a, m.group(2))
        return out

    def _last_col(self, inner: bytes, tag: bytes) -> int | None:
        """Column of a row's last cell, when the row holds nothing but
        cells with explicit positions after it."""
        start = inner.rfind(tag + b" ")
        if start == -1 or b"extLst" in inner:
            return None
        m = self._cell_re.match(inner, start)
        if m is None or inner[m.end() :].strip():
            return None
        r = _CELL_COL.search(m.group(1))
        return col_index(r.group(1).decode()) if r else None

    def _keep_cell(self, row: int, col: int, a: bytes, inner: bytes | None) -> bytes:
        if attr(a, b"r") is None:  # make an implicit position explicit
            a = b' r="' + cell_ref(row, col).encode() + b'"' + a
        p = self.p
        if inner is None:
            return b"<" + p + b"c" + a.rstrip() + b"/>"
        return b"<" + p + b"c" + a + b">" + inner + b"</" + p + b"c>"

    @staticmethod
    def _spans(attrs: bytes, edits: dict[int, object]) -> bytes:
        spans = attr(attrs, b"spans") if b"spans" in attrs else None
        if spans is None:
            return attrs
        try:
            lo, hi = (int(x) for x in spans.split(b":"))
        except ValueError:
            return del_attr(attrs, b"spans")
        cols = [c for c, v in edits.items() if v is not REMOVE]
        if cols and (min(cols) < lo or max(cols) > hi):
            lo, hi = min(lo, *cols), max(hi, *cols)
            return set_attr(attrs, b"spans", f"{lo}:{hi}".encode())
        return attrs

    def _grow_dimension(self, edits: dict[int, dict[int, object]]) -> None:
        rows: list[int] = []
        cols: set[int] = set()
        for r, row in edits.items():
            written = [c for c, v in row.items() if v is not REMOVE]
            if written:
                rows.append(r)
                cols.update(written)
        if not rows:
            return
        p = re.escape(self.p)
        m = re.search(rb"<" + p + rb"dimension\b([^>]*?)/>", self.xml)
        if m is None:
            return
        ref = (attr(m.group(1), b"ref") or b"A1").decode()
        a, _, b = ref.partition(":")
        try:
            r1, c1 = split_ref(a)
            r2, c2 = split_ref(b or a)
        except ValueError:
            return
        nr1, nc1 = min(r1, *rows), min(c1, *cols)
        nr2, nc2 = max(r2, *rows), max(c2, *cols)
        if (nr1, nc1, nr2, nc2) == (r1, c1, r2, c2):
            return
        new = cell_ref(nr1, nc1) + ("" if (nr1, nc1) == (nr2, nc2) else ":" + cell_ref(nr2, nc2))
        attrs = set_attr(m.group(1), b"ref", new.encode())
        self.xml = (
            self.xml[: m.start()]
            + b"<"
            + self.p
            + b"dimension"
            + attrs
            + b"/>"
            + self.xml[m.end() :]
        )

    # ------------------------------------------------- conditional formats
    def _tail_start(self) -> int:
        """Where the elements after sheetData begin."""
        return self._sheet_data()[3]

    def _cf_blocks(self):
        p = re.escape(self.p)
        return list(
            re.compile(
                rb"<" + p + rb"conditionalFormatting\b[^>]*>.*?</" + p + rb"conditionalFormatting>",
                re.S,
            ).finditer(self.xml, self._tail_start())
        )

    def replace_marks(self, blocks: list[tuple[str, int]]) -> None:
        """Replace the tool's own conditional formats by ``blocks``: one per
        (sqref, dxf index), in order of precedence. The user's conditional
        formats stay as they are, except that their priorities move down
        when the tool's rules need the top places (order kept)."""
        for m in reversed(self._cf_blocks()):
            block = m.group(0)
            if MARK_MARKER in block and (b'"xlcollab:' in block or b"&quot;xlcollab:" in block):
                self.xml = self.xml[: m.start()] + self.xml[m.end() :]
        if not blocks:
            return
        n = len(blocks)
        prio = re.compile(rb"(<(?:[\w.-]+:)?cfRule\b[^>]*?\bpriority=\")(\d+)(\")")
        tail = self._tail_start()
        existing = [int(x.group(2)) for x in prio.finditer(self.xml, tail)]
        if existing and min(existing) <= n:
            shift = n - min(existing) + 1
            self.xml = self.xml[:tail] + prio.sub(
                lambda x: x.group(1) + str(int(x.group(2)) + shift).encode() + x.group(3),
                self.xml[tail:],
            )
        p = self.p
        new = []
        for k, (sqref, dxf) in enumerate(blocks, start=1):
            kind = b"mark" + str(k).encode()
            new.append(
                b"<"
                + p
                + b'conditionalFormatting sqref="'
                + sqref.encode()
                + b'"><'
                + p
                + b'cfRule type="expression" dxfId="'
                + str(dxf).encode()
                + b'" priority="'
                + str(k).encode()
                + b'" stopIfTrue="1"><'
                + p
                + b"formula>&quot;"
                + MARK_MARKER
                + kind
                + b"&quot;&lt;&gt;&quot;&quot;</"
                + p
                + b"formula></"
                + p
                + b"cfRule></"
                + p
                + b"conditionalFormatting>"
            )
        self._insert(b"".join(new))

    def _insert(self, block: bytes) -> None:
        """Insert ``block`` where conditional formats belong: before the
        first existing one, else before the first element that must follow."""
        cfs = self._cf_blocks()
        if cfs:
            pos = cfs[0].start()
        else:
            _, _, _, pos = self._sheet_data()
            p = re.escape(self.p)
            best = None
            for local in _AFTER_CF:
                m = re.compile(rb"<" + p + local + rb"[\s>/]").search(self.xml, pos)
                if m is not None and (best is None or m.start() < best):
                    best = m.start()
            if best is None:
                best = self.xml.rfind(b"</" + self.p + b"worksheet>")
            pos = best
        self.xml = self.xml[:pos] + block + self.xml[pos:]

    # -------------------------------------------------------- table resize
    def resize_ranges(self, c1: int, c2: int, first: int, old_last: int, new_last: int) -> None:
        """Conditional formats and data validations that covered exactly a
        table's old body rows (``first``..``old_last``, inside columns
        ``c1``..``c2``) follow the table to ``new_last``, as Excel does when
        a table is resized. Other ranges stay."""
        if old_last == new_last:
            return

        def fix(sqref: bytes) -> bytes:
            out = []
            for part in sqref.split():
                a, _, b = part.decode().partition(":")
                try:
                    r1, k1 = split_ref(a)
                    r2, k2 = split_ref(b or a)
                except ValueError:
                    out.append(part)
                    continue
                if r1 == first and r2 == old_last and c1 <= k1 <= k2 <= c2:
                    end = cell_ref(new_last, k2)
                    start = cell_ref(r1, k1)
                    out.append((start if start == end else f"{start}:{end}").encode())
                else:
                    out.append(part)
            return b" ".join(out)

        attr_re = re.compile(
            rb"(<(?:[\w.-]+:)?(?:conditionalFormatting|dataValidation)\b[^>]*?"
            rb"\bsqref=\")([^\"]*)(\")"
        )
        xm_re = re.compile(rb"(<(?:[\w.-]+:)?sqref>)([^<]*)(</(?:[\w.-]+:)?sqref>)")
        tail = self._tail_start()
        rest = attr_re.sub(lambda m: m.group(1) + fix(m.group(2)) + m.group(3), self.xml[tail:])
        rest = xm_re.sub(lambda m: m.group(1) + fix(m.group(2)) + m.group(3), rest)
        self.xml = self.xml[:tail] + rest


def sqref_of(cells) -> str:
    """A compact sqref for (row, column) cells: runs of rows in a column
    become ranges ("C5:C9 D2")."""
    by_col: dict[int, list[int]] = {}
    for r, c in cells:
        by_col.setdefault(c, []).append(r)
    out = []
    for c in sorted(by_col):
        rows = sorted(set(by_col[c]))
        start = prev = rows[0]
        for r in rows[1:] + [None]:
            if r is not None and r == prev + 1:
                prev = r
                continue
            a, b = f"{col_letter(c)}{start}", f"{col_letter(c)}{prev}"
            out.append(a if a == b else f"{a}:{b}")
            if r is not None:
                start = prev = r
    return " ".join(out)


__all__ += ["sqref_of", "col_index"]
