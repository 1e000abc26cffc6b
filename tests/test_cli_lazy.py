"""A call builds only the command its first argument names: that command is
the one the whole app builds (same options, same help), and anything that is
not a command's name builds them all."""

from __future__ import annotations

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from xlcollab.cli import app

FULL = get_command(app)


def describe(cmd) -> list:
    """A command's parameters and help, and its sub-commands', as plain values."""
    params = [(p.name, tuple(p.opts), p.required, repr(p.default)) for p in cmd.params]
    subs = {n: describe(c) for n, c in sorted(getattr(cmd, "commands", {}).items())}
    return [cmd.name, cmd.help, params, subs]


@pytest.mark.parametrize("name", sorted(FULL.commands))
def test_one_command_is_the_one_the_app_builds(name):
    alone = get_command(app.only(name))
    assert list(alone.commands) == [name]
    assert describe(alone.commands[name]) == describe(FULL.commands[name])
    assert [p.name for p in alone.params] == [p.name for p in FULL.params]  # --version


@pytest.mark.parametrize("word", ["--help", "--version", "chek", "x"])
def test_anything_else_builds_them_all(word):
    assert app.only(word) is app


@pytest.mark.parametrize(
    "words", [["check", "--help"], ["check"], ["report", "--bogus"], ["export", "--help"]]
)
def test_help_and_usage_errors_read_as_before(words):
    runner = CliRunner()
    whole = runner.invoke(app, words)
    alone = runner.invoke(app.only(words[0]), words)
    assert (alone.exit_code, alone.output) == (whole.exit_code, whole.output)
    assert whole.output
