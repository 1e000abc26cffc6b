"""Cell styles the builder applies, from the schema's STYLES table."""

from __future__ import annotations

from copy import copy

from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.worksheet.protection import SheetProtection

from xlcollab.schema import BOLD_STYLES, HEADER_ROW, STYLES

TABLE_STYLE = "TableStyleMedium2"
GRID_COLOUR = "D9D9D9"
HEADER_HEIGHT = 30

UNLOCKED = Protection(locked=False)
LOCKED = Protection(locked=True)
WRAP_CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")
WRAP_TOP = Alignment(wrap_text=True, vertical="top")  # long text in a table column
BOLD = Font(bold=True)
_thin = Side(style="thin", color=GRID_COLOUR)
GRID = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)


def fill(style: str) -> PatternFill:
    colour = STYLES[style][0]
    return PatternFill(fill_type="solid", start_color=colour, end_color=colour)


def font(style: str, **kw) -> Font:
    return Font(color=STYLES[style][1], **kw)


def style_header(cell) -> None:
    cell.fill = fill("header")
    cell.font = font("header", bold=True)
    cell.alignment = WRAP_CENTER


def style_header_row(ws, n_cols: int, row: int = HEADER_ROW) -> None:
    for col in range(1, n_cols + 1):
        style_header(ws.cell(row, col))
    ws.row_dimensions[row].height = HEADER_HEIGHT


def style_computed(cell) -> None:
    cell.fill = fill("computed")
    cell.font = font("computed")
    cell.protection = LOCKED


def copy_style(source, target) -> None:
    """Give ``target`` the style of ``source`` (one style record shared, much
    faster than assigning fill, font and protection cell by cell). A quote
    prefix stays the target's own."""
    quote = target.quotePrefix
    target._style = copy(source._style)
    if quote != target.quotePrefix:
        target.quotePrefix = quote


def rule(formula: str, style: str, *, stop: bool = False) -> FormulaRule:
    """A conditional format rule drawing ``style`` where ``formula`` holds
    (no fill for a style without a fill colour; bold for BOLD_STYLES)."""
    colour, text = STYLES[style]
    return FormulaRule(
        formula=[formula],
        fill=fill(style) if colour else None,
        font=Font(color=text, bold=True if style in BOLD_STYLES else None),
        stopIfTrue=stop,
    )


def protect(ws) -> None:
    """Protect a sheet without a password: formulas can't be overwritten by
    accident, but sorting, filtering, formatting rows and columns and
    inserting rows stay allowed, and Review > Unprotect Sheet needs no
    password."""
    ws.protection = SheetProtection(
        sheet=True,
        objects=False,
        scenarios=False,
        formatCells=True,
        formatColumns=False,
        formatRows=False,
        insertColumns=True,
        insertRows=False,
        insertHyperlinks=True,
        deleteColumns=True,
        deleteRows=True,
        selectLockedCells=False,
        selectUnlockedCells=False,
        sort=False,
        autoFilter=False,
        pivotTables=True,
    )


def print_setup(ws, title_rows: int = HEADER_ROW) -> None:
    """A4 landscape, fit to one page wide, the header rows repeated on every
    printed page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    if title_rows:
        ws.print_title_rows = f"1:{title_rows}"
