"""The command line: thin over the library.

Each command parses its options, calls the library, prints with rich and
exits with a code that says whether the input was usable. The command line
reads the clock in one place, :func:`xlcollab.cli.common.clock` (``--as-of``
overrides it everywhere; ``nightly --at`` runs on the scheduler's own clock,
:meth:`xlcollab.nightly.scheduler.NightlyScheduler.now`). One module per command
group registers its commands on ``app``.
"""

from __future__ import annotations

import gc

import typer

from xlcollab import __version__
from xlcollab.cli import (  # noqa: F401  (each module registers its commands)
    addin,
    checking,
    documents,
    fixing,
    importing,
    interchange,
    money,
    packs,
    page,
    project,
    schedule,
)
from xlcollab.cli.common import app, console


@app.callback(invoke_without_command=True)
def _main(version: bool = typer.Option(False, "--version", help="显示版本 / Show the version.")):
    if version:
        console.print(f"xlcollab {__version__}")
        raise typer.Exit()


def main() -> None:
    """The ``xlcollab`` command. The imports above leave most of the
    process's objects in place for good (pandas, numpy, the schema): they
    are made with the cyclic collector off and frozen out of its sight
    (:func:`xlcollab.cli.collector.loading`, when the package is imported;
    again here for whatever came after), so that neither a collection
    during the command nor the last one at exit walks them; what the
    command built is frozen the same way when it ends."""
    gc.freeze()
    try:
        app()
    finally:
        gc.freeze()


if __name__ == "__main__":
    main()
