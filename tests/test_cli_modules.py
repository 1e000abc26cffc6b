"""The ``xlcollab`` command imports only the module of the command it runs:
the table of which module registers which command is right, and a command
run as the console script runs it loads no other command's module."""

from __future__ import annotations

import json
import subprocess
import sys

import typer.main

from xlcollab.cli import app
from xlcollab.cli.app import COMMAND_MODULES, REGISTERED_BY


def test_each_command_and_group_is_registered_by_the_module_the_table_names():
    found = {
        info.name or typer.main.get_command_name(info.callback.__name__): info.callback.__module__
        for info in app.registered_commands
    }
    for group in app.registered_groups:
        found[group.name] = group.typer_instance.registered_commands[0].callback.__module__
    assert found == {name: f"xlcollab.cli.{module}" for name, module in REGISTERED_BY.items()}
    assert set(REGISTERED_BY.values()) == set(COMMAND_MODULES)


SNIPPET = """
import json, sys
from xlcollab.cli import main
sys.modules["xlcollab.cli.app"].end_now = lambda code: None  # to print what it loaded
sys.argv = ["xlcollab", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted(m for m in sys.modules if m.startswith("xlcollab.cli."))))
"""


def test_a_command_loads_only_its_own_module():
    out = subprocess.run(
        [sys.executable, "-c", SNIPPET, "check", "--help"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    loaded = set(json.loads(out.stdout.strip().splitlines()[-1]))
    commands = {f"xlcollab.cli.{m}" for m in COMMAND_MODULES}
    assert loaded & commands == {"xlcollab.cli.checking"}
