"""The command line imports pandas with the cyclic collector paused
(xlcollab.cli.collector.loading): the helper that pauses it
(xlcollab.model.collector) imports no pandas itself, so the pause begins
before pandas is imported, and no full collection walks its objects."""

from __future__ import annotations

import json
import subprocess
import sys

SNIPPET = """
import gc, json, sys
full = []
gc.callbacks.append(lambda phase, info: full.append(1) if phase == "start" and info["generation"] == 2 else None)
import xlcollab.model.collector
before = "pandas" in sys.modules
from xlcollab.cli.app import load
load("check")
print(json.dumps({"pandas_with_the_helper": before, "pandas": "pandas" in sys.modules, "full": len(full)}))
"""


def test_pandas_comes_in_with_the_collector_paused():
    out = subprocess.run(
        [sys.executable, "-c", SNIPPET], capture_output=True, text=True, timeout=300
    )
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen == {"pandas_with_the_helper": False, "pandas": True, "full": 0}, out.stderr
