"""People and departments: every person named is on the team sheet, every
department on the 部门 sheet; task owners belong to the task's department;
each department with tasks has a liaison from that department; the roles
the procedure names once (项目总负责人, 项目经理) exist exactly once, the
quality supervisor and the finance coordinator at least once; the
overview's lead and PM are the team's."""

from __future__ import annotations

from xlcollab.check.rules.base import RuleContext, clean, rows_where, rule, text, unknown
from xlcollab.schema import ROLE, SHEETS, Kind, T

# which person / department columns are checked, sheet by sheet (all of the
# schema's PERSON and DEPARTMENT columns on table and form sheets)
_PERSON_COLS = [
    (s.key, c.key)
    for s in SHEETS.values()
    if s.kind in (Kind.TABLE, Kind.FORM)
    for c in s.columns
    if c.type is T.PERSON and c.is_input
]
_DEPT_COLS = [
    (s.key, c.key)
    for s in SHEETS.values()
    if s.kind is Kind.TABLE
    for c in s.columns
    if c.type is T.DEPARTMENT and c.is_input
]


_clean = clean


def team_members(ctx: RuleContext) -> dict[str, str]:
    """name -> department (the first row of a name wins)."""

    def make():
        team = ctx.table("team")
        out: dict[str, str] = {}
        for name, dept in zip(_clean(team["name"]), _clean(team["department"]), strict=False):
            if name and name not in out:
                out[name] = dept
        return out

    return ctx.cached("team_members", make)


def departments(ctx: RuleContext) -> set[str]:
    return ctx.cached(
        "departments", lambda: {d for d in _clean(ctx.table("departments")["name"]) if d}
    )


@rule(
    "people.unknown_person",
    "error",
    sheet="team",
    zh="人员不在组织架构表中",
    en="Person not on the team sheet",
)
def unknown_person(ctx: RuleContext):
    members = team_members(ctx)
    team_sheet = ctx.sheet_name("team")
    for sheet, key in _PERSON_COLS:
        if SHEETS[sheet].kind is Kind.FORM:
            value = text(
                ctx.data.overview.get(key) if sheet == "overview" else ctx.data.settings.get(key)
            )
            if value and value not in members:
                yield ctx.finding(None, key, sheet=sheet, value=value, team=team_sheet)
            continue
        s = ctx.text(sheet, key)
        yield from ctx.findings_where(
            unknown(s, members), key, sheet=sheet, value=s, team=team_sheet
        )


@rule(
    "people.unknown_department",
    "error",
    sheet="departments",
    zh="部门不在部门表中",
    en="Department not on the departments sheet",
)
def unknown_department(ctx: RuleContext):
    known = departments(ctx)
    dept_sheet = ctx.sheet_name("departments")
    for sheet, key in _DEPT_COLS:
        s = ctx.text(sheet, key)
        yield from ctx.findings_where(
            unknown(s, known), key, sheet=sheet, value=s, departments=dept_sheet
        )


@rule(
    "tasks.owner_not_in_department",
    "error",
    sheet="tasks",
    zh="责任人不属于任务的负责部门",
    en="Owner not in the task's department",
)
def owner_not_in_department(ctx: RuleContext):
    members = team_members(ctx)
    df = ctx.table("tasks")
    owner, dept = _clean(df["owner"]), _clean(df["department"])
    owner_dept = owner.map(members)  # NaN for unknown people (their own rule)
    mask = owner_dept.notna() & (dept != "") & (owner_dept != dept)
    yield from ctx.findings_where(mask, "owner", value=owner, department=dept, actual=owner_dept)


@rule(
    "departments.no_liaison",
    "error",
    sheet="departments",
    zh="有任务的部门没有对接人，或对接人不是本部门成员",
    en="A department with tasks has no liaison from its own staff",
)
def no_liaison(ctx: RuleContext):
    members = team_members(ctx)
    tasks = ctx.table("tasks")
    with_tasks = set(_clean(tasks["department"])) - {""}
    df = ctx.table("departments")
    names, liaisons = _clean(df["name"]), _clean(df["liaison"])
    for row, name, liaison in zip(df.index, names, liaisons, strict=False):
        if name not in with_tasks:
            continue
        if not liaison:
            yield ctx.finding(row, "liaison", department=name)
        elif liaison in members and members[liaison] != name:
            yield ctx.finding(
                row,
                "liaison",
                template="departments.liaison_elsewhere",
                department=name,
                value=liaison,
                actual=members[liaison],
            )


_ONCE = ("project_lead", "pm")
_AT_LEAST_ONCE = ("quality", "finance")


@rule(
    "team.role_count",
    "error",
    sheet="team",
    zh="项目总负责人、项目经理须各有且仅有一人；质量监督员、财务协调员须至少一人",
    en="Exactly one project lead and PM; at least one quality supervisor and finance coordinator",
)
def role_count(ctx: RuleContext):
    df = ctx.table("team")
    role = df["role"]
    names = _clean(df["name"])
    for key in _ONCE + _AT_LEAST_ONCE:
        rows = list(rows_where((role == key).fillna(False).astype(bool)))
        label = ROLE.label(key, ctx.data.lang)
        if not rows:
            yield ctx.finding(None, "role", role=label)
        elif key in _ONCE and len(rows) > 1:
            first = rows[0]
            for row in rows[1:]:
                yield ctx.finding(
                    row,
                    "role",
                    template="team.role_twice",
                    role=label,
                    value=names[row],
                    other=names[first],
                    other_row=first,
                )


@rule(
    "overview.role_mismatch",
    "error",
    sheet="overview",
    zh="项目概况中的总负责人/项目经理与组织架构不一致",
    en="The overview's project lead or PM differs from the team sheet",
)
def role_mismatch(ctx: RuleContext):
    df = ctx.table("team")
    names = _clean(df["name"])
    team_sheet = ctx.sheet_name("team")
    for key in _ONCE:
        holders = [n for n in names[(df["role"] == key).fillna(False).astype(bool)] if n]
        value = text(ctx.data.overview.get(key))
        if len(holders) != 1 or not value:
            continue  # no one, or several: team.role_count says so
        if value != holders[0]:
            yield ctx.finding(
                None,
                key,
                value=value,
                expected=holders[0],
                team=team_sheet,
                role=ROLE.label(key, ctx.data.lang),
            )
