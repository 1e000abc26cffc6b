"""Tolerated is not silent: one warning per cell the reader understood only
by tolerance (``ProjectData.tolerated``, see :mod:`xlcollab.model.tolerated`).

Python reads "2026/3/27" typed as text as the date it means; the sheet's
own formulas cannot, so the workbook and Python would disagree without a
word. Each warning names the cell, what was understood, what it means for
the sheet, and the fix (``xlcollab fix``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from xlcollab.check.rules.base import RuleContext, fmt_money, fmt_pct, rule
from xlcollab.model.dates import iso_date
from xlcollab.model.tolerated import Kind, Tolerated
from xlcollab.schema import SHEETS, T
from xlcollab.schema import Kind as SheetKind

__all__ = ["understood_text"]


def understood_text(item: Tolerated) -> str:
    """The understood value as a message shows it."""
    v = item.value
    if isinstance(v, dt.date):
        return iso_date(v)
    try:
        col = SHEETS[item.sheet].col(item.column)
    except KeyError:
        col = None
    if col is not None and col.type is T.PERCENT:
        return fmt_pct(v)
    if isinstance(v, Decimal):
        return fmt_money(v)
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _findings(ctx: RuleContext, kinds: tuple[Kind, ...]):
    for item in ctx.data.tolerated:
        if item.kind not in kinds:
            continue
        form = SHEETS[item.sheet].kind is SheetKind.FORM
        yield ctx.finding(
            None if form else item.row,
            item.column,
            sheet=item.sheet,
            value=item.raw,
            understood=understood_text(item),
        )


@rule(
    "values.text_date",
    "warning",
    sheet="tasks",
    zh="日期以文本形式输入：已按日期读取，但表格公式无法计算",
    en="A date typed as text: read as a date, but the sheet's formulas cannot use it",
)
def text_date(ctx: RuleContext):
    yield from _findings(ctx, (Kind.TEXT_DATE,))


@rule(
    "values.text_number",
    "warning",
    sheet="tasks",
    zh="数字或百分比以文本形式输入：已按数字读取，但表格公式无法计算",
    en="A number or percentage typed as text: read as a number, but formulas cannot use it",
)
def text_number(ctx: RuleContext):
    yield from _findings(ctx, (Kind.TEXT_NUMBER,))


@rule(
    "values.full_width",
    "warning",
    sheet="tasks",
    zh="日期或数字含全角字符：已读取，但表格公式无法计算",
    en="A date or number with full-width characters: read, but formulas cannot use it",
)
def full_width(ctx: RuleContext):
    yield from _findings(ctx, (Kind.FULL_WIDTH,))


@rule(
    "values.choice_alias",
    "warning",
    sheet="tasks",
    zh="选项写成了同义词或英文：已按标准选项读取，但公式和下拉列表不认",
    en="A choice written as a synonym or in the other language: read, but formulas do not know it",
)
def choice_alias(ctx: RuleContext):
    yield from _findings(ctx, (Kind.CHOICE_ALIAS,))


@rule(
    "values.name_spacing",
    "warning",
    sheet="team",
    zh="人名或部门名多了空格：已按组织架构中的名称读取",
    en="A name with stray spaces: read as the name on the team sheet",
)
def name_spacing(ctx: RuleContext):
    yield from _findings(ctx, (Kind.NAME_SPACING,))
