"""The command line: thin over the library.

Each command parses its options, calls the library, prints with rich and
exits with a code that says whether the input was usable. The command line
reads the clock in one place, :func:`xlcollab.cli.common.clock` (``--as-of``
overrides it everywhere; ``nightly --at`` runs on the scheduler's own clock,
:meth:`xlcollab.nightly.scheduler.NightlyScheduler.now`). One module per command
group registers its commands on the app (:data:`COMMAND_MODULES`); the
``xlcollab`` command imports the one its first word names, or all of them
(:func:`load`).
"""

from __future__ import annotations

import gc
import importlib
import os
import sys
import threading

import typer

from xlcollab import __version__
from xlcollab.cli import common
from xlcollab.cli.collector import loading

#: each command and command group -> the module that registers it, in the
#: order the modules register them (the order the help lists the commands in)
REGISTERED_BY = {
    "addin": "addin",
    "check": "checking",
    "report": "documents",
    "fix": "fixing",
    "import": "importing",
    "export": "interchange",
    "finance": "money",
    "split": "packs",
    "merge": "packs",
    "page": "page",
    "portfolio": "page",
    "init": "project",
    "demo": "project",
    "show": "project",
    "baseline": "schedule",
    "nightly": "schedule",
}
#: the modules that register the commands, in that order
COMMAND_MODULES = tuple(dict.fromkeys(REGISTERED_BY.values()))


def load(name: str | None = None) -> common.App:
    """The command line's app with its commands registered: the module of
    the command or group ``name`` alone when it names one (a call whose
    first word names a command builds that one alone, see
    :class:`xlcollab.cli.common.App`), else every module, in order."""
    modules = (REGISTERED_BY[name],) if name in REGISTERED_BY else COMMAND_MODULES
    with loading():
        # the commands work on frames: pandas and numpy (hundreds of thousands
        # of objects that live as long as the process) are made here, with
        # the collector off, whichever module imports them first
        importlib.import_module("pandas")
        for module in modules:
            importlib.import_module(f"xlcollab.cli.{module}")
    return common.app


def __getattr__(name: str):
    if name == "app":  # the whole app: every command registered
        return load()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@common.app.callback(invoke_without_command=True)
def _main(version: bool = typer.Option(False, "--version", help="显示版本 / Show the version.")):
    if version:
        common.console.print(f"xlcollab {__version__}")
        raise typer.Exit()


#: commands that leave nothing for the interpreter's shutdown to do: no
#: thread, no child process, no temporary file, no open database
ENDS_CLEAN = frozenset({"check", "show"})


def main() -> None:
    """The ``xlcollab`` command. The imports above leave most of the
    process's objects in place for good (pandas, numpy, the schema): they
    are made with the cyclic collector off and frozen out of its sight
    (:func:`xlcollab.cli.collector.loading`, when the package is imported;
    again here for whatever came after), so that neither a collection
    during the command nor the last one at exit walks them; what the
    command built is frozen the same way when it ends. Only the module of
    the command named is imported (:func:`load`). A command of
    :data:`ENDS_CLEAN` then ends the process at once (:func:`end_now`)."""
    words = sys.argv[1:2]
    app = load(words[0] if words else None)
    gc.freeze()
    try:
        app()
    except SystemExit as done:
        gc.freeze()
        if words and words[0] in ENDS_CLEAN:
            end_now(done.code)
        raise
    finally:
        gc.freeze()


def end_now(code) -> None:
    """End the process with exit code ``code`` (an int, or None for 0) once
    its output is flushed, without the interpreter's shutdown: tearing down
    pandas, numpy and every module object by object takes longer than many
    a command. Returns (and the normal exit follows) when another thread
    still runs, when the code is no number, or when the output cannot be
    flushed (the normal exit then reports it as it always does)."""
    if threading.active_count() > 1 or not (code is None or isinstance(code, int)):
        return
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return
    os._exit(code or 0)


if __name__ == "__main__":
    main()
