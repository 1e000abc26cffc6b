"""Rendering the status page and the portfolio page to one HTML file each.

The templates (``assets/*.html.j2``) render in a sandboxed Jinja
environment with autoescaping on, so every text from a workbook is printed
as text (a task called ``<script>`` shows those characters). The style
sheet and the script are inlined; a Content-Security-Policy allows nothing
from the network and only the page's own script (by its hash), so even a
text that escaped escaping could not run or load anything.
"""

from __future__ import annotations

import base64
import hashlib
import os
import tempfile
from functools import cache
from importlib import resources
from pathlib import Path

from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from xlcollab.page.svg_gantt import COLOURS
from xlcollab.reports.common import status_label
from xlcollab.schema.lang import tr

__all__ = ["render", "write_html"]


def _asset(name: str) -> str:
    return resources.files("xlcollab.page").joinpath("assets", name).read_text("utf-8")


@cache
def _template(name: str):
    """A template compiled once per process (the portfolio renders hundreds)."""
    env = SandboxedEnvironment(autoescape=True, undefined=StrictUndefined, trim_blocks=True)
    return env.from_string(_asset(name))


def _csp(js: str) -> str:
    digest = base64.b64encode(hashlib.sha256(js.encode("utf-8")).digest()).decode()
    return (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        f"script-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"
    )


def render(template: str, context: dict) -> str:
    """``template`` (a file in ``assets``) with ``context``; the page's
    language is ``context["lang"]``."""
    lang = context["lang"]
    js = _asset("page.js")  # small; read each time so the hash always matches
    return _template(template).render(
        **{k: v for k, v in context.items() if k != "gantt"},
        gantt=Markup(context.get("gantt", "")),  # built escaped by svg_gantt
        css=Markup(_asset("page.css")),
        js=Markup(js),
        csp=_csp(js),
        L=lambda zh, en: tr(lang, zh, en),
        legend=[(status_label(k, lang), c) for k, c in COLOURS.items()],
    )


def write_html(html: str, target: Path) -> Path:
    """Write ``html`` to ``target`` atomically (a reader of a published
    folder never sees half a page)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".page-", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(html)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
