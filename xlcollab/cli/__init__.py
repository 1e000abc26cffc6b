"""The command line: thin wrappers that parse, call the library, print and exit.

``app`` is the whole command line (every command registered, see
:func:`xlcollab.cli.app.load`); ``main`` the ``xlcollab`` command, which
imports only the module of the command it runs."""

from xlcollab.cli.collector import loading

with loading():
    from xlcollab.cli.app import load, main

# importing the module xlcollab.cli.app bound its name here: ``app`` is the
# command line's app, its commands registered when it is first asked for
globals().pop("app", None)


def __getattr__(name: str):
    if name == "app":
        return load()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["app", "main"]
