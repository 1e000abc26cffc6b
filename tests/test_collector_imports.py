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

def seen(phase, info):
    if phase == "start" and info["generation"] == 2:
        full.append(1)

gc.callbacks.append(seen)
import xlcollab.model.collector
before = "pandas" in sys.modules
from xlcollab.cli.app import load
load("check")
after = "pandas" in sys.modules
print(json.dumps({"pandas_with_the_helper": before, "pandas": after, "full": len(full)}))
"""


def test_pandas_comes_in_with_the_collector_paused():
    out = subprocess.run(
        [sys.executable, "-c", SNIPPET], capture_output=True, text=True, timeout=300
    )
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen == {"pandas_with_the_helper": False, "pandas": True, "full": 0}, out.stderr
