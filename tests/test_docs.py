"""The README documents the whole command line: every command, sub-command and option.

Walks the typer app (``typer.main.get_command``) and fails on any command path
(``xlcollab baseline``, ``xlcollab addin build``) or option name (``--as-of``, ``-o``)
that README.md does not mention.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer.main

from xlcollab.cli import app

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _commands(command, path: tuple[str, ...] = ()):
    """(path, command) for the command and every sub-command, depth first. Asked through the
    click API by duck typing: typer may bring its own copy of click, and may register a
    group's sub-commands only when asked."""
    yield path, command
    if hasattr(command, "list_commands"):
        ctx = command.context_class(command, info_name=path[-1] if path else "xlcollab")
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                yield from _commands(sub, (*path, name))


COMMANDS = list(_commands(typer.main.get_command(app)))


def _options(command):
    for param in command.params:
        if param.param_type_name == "option" and not getattr(param, "hidden", False):
            yield from (*param.opts, *param.secondary_opts)


def _section(heading: str) -> str:
    """The README's text under ``## heading`` (up to the next ``## ``)."""
    part = README.split(f"\n## {heading}\n", 1)[1]
    return part.split("\n## ", 1)[0]


CLI_SECTION = _section("The command line")


def _rows(path: tuple[str, ...]) -> list[str]:
    """The rows of the command table that document ``xlcollab <path>`` (first cell)."""
    head = re.compile(rf"^\| `xlcollab {re.escape(' '.join(path))}(?![\w-])")
    return [line for line in CLI_SECTION.splitlines() if head.match(line)]


def _has(text: str, word: str) -> bool:
    """``word`` appears in ``text`` as a word of its own (``-o`` not inside ``--out``)."""
    return re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text) is not None


SUB_PATHS = [p for p, _c in COMMANDS if p and not hasattr(_c, "list_commands")]


@pytest.mark.parametrize("path", SUB_PATHS, ids=" ".join)
def test_every_command_has_its_row_in_the_readme(path):
    assert _rows(path), f"README.md's command table has no row for xlcollab {' '.join(path)}"


@pytest.mark.parametrize(
    "path,option",
    [(p, o) for p, c in COMMANDS for o in _options(c) if o != "--help"],
    ids=lambda v: " ".join(v) if isinstance(v, tuple) else v,
)
def test_every_option_is_in_its_commands_row(path, option):
    """A command's options are in its row of the table; the app's own in the section."""
    where = "\n".join(_rows(path)) if path else CLI_SECTION
    assert _has(where, option), f"README.md: xlcollab {' '.join(path)} does not mention {option}"


def test_the_walk_sees_the_whole_app():
    paths = {" ".join(p) for p, _c in COMMANDS}
    assert {"check", "report", "import", "addin", "addin build"} <= paths
    options = {o for _p, c in COMMANDS for o in _options(c)}
    assert {"--version", "--as-of", "--format", "-o", "--out", "--to"} <= options
