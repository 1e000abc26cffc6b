"""The command line: thin wrappers that parse, call the library, print and exit."""

from xlcollab.cli.collector import loading

with loading():
    from xlcollab.cli.app import app, main

__all__ = ["app", "main"]
