"""What every command shares: the app, the consoles, options, dates, reading."""

from __future__ import annotations

import copy
import sys
from contextlib import AbstractContextManager, nullcontext
from datetime import date, datetime
from pathlib import Path

import typer
import typer.main
from rich.console import Console


class App(typer.Typer):
    """The command line's app. typer turns every registered command into a
    click command (reading its signature and type hints) on every call,
    about half a millisecond each; a call whose first argument names a
    command or a group builds that one alone. Anything else (``--help``,
    ``--version``, an unknown name that earns a suggestion) builds them all,
    as do typer's test runner and :func:`typer.main.get_command`."""

    def __call__(self, *args, **kwargs):
        words = args[0] if args else kwargs.get("args")
        first = (sys.argv[1:] if words is None else list(words))[:1]
        return typer.Typer.__call__(self.only(first[0]) if first else self, *args, **kwargs)

    def only(self, name: str) -> typer.Typer:
        """This app with command or group ``name`` alone (itself when no
        command or group has that name)."""
        for info in self.registered_commands:
            if (info.name or typer.main.get_command_name(info.callback.__name__)) == name:
                one = copy.copy(self)
                one.registered_commands, one.registered_groups = [info], []
                return one
        for group in self.registered_groups:
            if group.name == name:
                one = copy.copy(self)
                one.registered_commands, one.registered_groups = [], [group]
                return one
        return self


app = App(
    name="xlcollab",
    help="跨部门协同项目工作方案 in Excel — 主工作簿、检查、标记与文档。\n\n"
    "The cross-department project procedure in Excel: the master workbook, "
    "checks, flags and documents.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)


def _console(stderr: bool = False) -> Console:
    """A console; its automatic highlighting (numbers, paths, dates in
    colour) only where it shows colours at all: elsewhere (a file, a pipe)
    it would style text that is then written plain. Emoji codes are not
    replaced: a name or a cell holding ":ok:" is printed as written."""
    out = Console(stderr=stderr, emoji=False)
    return out if out.color_system else Console(stderr=stderr, highlight=False, emoji=False)


console = _console()
err = _console(stderr=True)


def busy(text: str) -> AbstractContextManager:
    """A spinner on stderr saying ``text`` while the block runs; none when
    stderr is no terminal (it would draw nothing there)."""
    if not err.is_terminal:
        return nullcontext()
    return err.status(text)


def progress_bar(out: Console):
    """A transient progress bar on ``out`` (rich's ``Progress``), redrawn ten
    times a second on a terminal only: elsewhere nothing is drawn until the
    end, so no thread rebuilds it meanwhile."""
    from rich.progress import Progress

    return Progress(console=out, transient=True, auto_refresh=out.is_terminal)


LangOpt = typer.Option("zh", "--lang", help="zh（中文，默认）或 en (English).")
AsOfOpt = typer.Option(
    None, "--as-of", help="把这一天当作“今天” / Take this date as today (YYYY-MM-DD)."
)


def parse_date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"不是有效日期 / not a date: {text!r} (YYYY-MM-DD)") from None


def check_lang(lang: str) -> str:
    if lang not in ("zh", "en"):
        raise typer.BadParameter("--lang: zh | en")
    return lang


def clock() -> datetime:
    """The date and time now, to the second: the one place the command line
    reads the clock (``--as-of`` and the workbook's status date come first,
    see :func:`resolve_as_of`)."""
    return datetime.now().replace(microsecond=0)


def today() -> date:
    """Today, from :func:`clock`."""
    return clock().date()


def now(as_of: date | None = None) -> datetime:
    """The time now, on ``as_of`` when a day is pinned (so the stamps a
    command writes, such as a pack's split time, follow --as-of)."""
    t = clock()
    return datetime.combine(as_of, t.time()) if as_of else t


def resolve_as_of(option: str | None, data=None) -> date:
    """--as-of, else the workbook's status date, else today."""
    pinned = parse_date(option)
    if pinned:
        return pinned
    if data is not None:
        from xlcollab.model.dates import to_date

        status = to_date(data.overview.get("status_date"), strict=False)
        if status:
            return status
    return today()


def fail(message: str, code: int = 2) -> None:
    err.print(f"[bold red]{message}[/]")
    raise typer.Exit(code)


def read(path: Path, lang: str | None, sheets=None, meanwhile=None, *, findings_rows: bool = True):
    """The workbook read (``sheets``: only those; ``meanwhile``: steps of
    the command's work while its sheets are parsed, see
    :func:`~xlcollab.io.read_workbook`); exit 2 with the message when it
    cannot be. A command that never uses the rows of 检查结果 (the findings
    ``check --write`` writes) says ``findings_rows=False``: the sheet is then
    read by its header alone (:data:`~xlcollab.io.COMMAND_SHEETS`)."""
    from xlcollab.cli.collector import loading

    with loading():
        from xlcollab.io import COMMAND_SHEETS, WorkbookError, read_workbook

    if sheets is None and not findings_rows:
        sheets = COMMAND_SHEETS
    try:
        return read_workbook(path, lang=lang, sheets=sheets, meanwhile=meanwhile)
    except WorkbookError as exc:
        fail(str(exc.finding) if getattr(exc, "finding", None) else str(exc))


def save(wb, path: Path, force: bool) -> None:
    from xlcollab.io.save import SaveError, save_new_workbook

    try:
        save_new_workbook(wb, path, overwrite=force)
    except SaveError as exc:
        fail(str(exc))
