"""The README's claim: sheet names and headers are written only in the schema.

Every sheet name and column header of :data:`xlcollab.schema.SHEETS`, Chinese and English, may
appear as a string literal only in ``xlcollab/schema/`` and in the message catalogue
(``xlcollab/model/messages.py``). Elsewhere the code takes them from the schema objects
(``TASKS.col("owner").header(lang)``, ``SHEETS["tasks"].name(lang)``) or from the catalogue.

What counts: a whole string literal whose text, stripped, is such a name. Pieces of an
f-string are parts of a sentence and do not count, nor do the names listed in ``__all__``
(Python names such as ``Rule``). Words of file formats and protocols that happen to equal an
English header are listed in ``PROTOCOL`` with the reason.
"""

from __future__ import annotations

import ast
from pathlib import Path

from xlcollab.schema import SHEETS

PACKAGE = Path(__file__).resolve().parents[1] / "xlcollab"
ALLOWED = {PACKAGE / "schema", PACKAGE / "model" / "messages.py"}

#: (module, literal): words of a format or protocol, not the workbook's headers
PROTOCOL = {
    ("io/ooxml.py", "Type"): "the OOXML relationship attribute",
    ("io/writeback.py", "Type"): "the OOXML relationship attribute",
    ("excel/addin.py", "Type"): "the OOXML relationship attribute",
    ("nightly/notify.py", "From"): "the e-mail header",
    ("nightly/notify.py", "To"): "the e-mail header",
    ("interchange/mspdi.py", "Finish"): "an MS Project XML (MSPDI) element",
    ("interchange/mspdi.py", "Milestone"): "an MS Project XML (MSPDI) element",
    ("interchange/mspdi.py", "Name"): "an MS Project XML (MSPDI) element",
    ("interchange/mspdi.py", "Notes"): "an MS Project XML (MSPDI) element",
    ("interchange/mspdi.py", "Resources"): "an MS Project XML (MSPDI) element",
    ("interchange/mspdi.py", "Start"): "an MS Project XML (MSPDI) element",
    ("interchange/mspdi.py", "Task"): "an MS Project XML (MSPDI) element",
    ("interchange/mspdi.py", "Tasks"): "an MS Project XML (MSPDI) element",
    ("interchange/mspdi.py", "Type"): "an MS Project XML (MSPDI) element",
    ("interchange/mspdi_read.py", "Finish"): "an MS Project XML (MSPDI) element",
    ("interchange/mspdi_read.py", "Milestone"): "an MS Project XML (MSPDI) element",
    ("interchange/mspdi_read.py", "Name"): "an MS Project XML (MSPDI) element",
    ("interchange/mspdi_read.py", "Notes"): "an MS Project XML (MSPDI) element",
    ("interchange/mspdi_read.py", "Resources"): "an MS Project XML (MSPDI) element",
    ("interchange/mspdi_read.py", "Start"): "an MS Project XML (MSPDI) element",
    ("interchange/mspdi_read.py", "Task"): "an MS Project XML (MSPDI) element",
    ("interchange/mspdi_read.py", "Tasks"): "an MS Project XML (MSPDI) element",
    ("interchange/mspdi_read.py", "Type"): "an MS Project XML (MSPDI) element",
}


def schema_names() -> dict[str, str]:
    """Every sheet name and header (both languages) -> what it names."""
    names: dict[str, str] = {}
    for sheet in SHEETS.values():
        for text in (sheet.zh, sheet.en):
            names.setdefault(text.strip(), f"sheet {sheet.key}")
        for col in sheet.columns:
            for text in (col.zh, col.en):
                names.setdefault(text.strip(), f"header {sheet.key}.{col.key}")
    return names


def _in_all(tree: ast.AST) -> set[int]:
    """ids of the string constants listed in ``__all__``."""
    ids: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
                ids |= {id(c) for c in ast.walk(node.value) if isinstance(c, ast.Constant)}
    return ids


def literals(source: str, names: dict[str, str]) -> list[tuple[int, str, str]]:
    """(line, literal, what it names) for each schema name written as a literal."""
    tree = ast.parse(source)
    skip = _in_all(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            skip |= {id(v) for v in node.values}
    return [
        (node.lineno, node.value, names[node.value.strip()])
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in skip
        and node.value.strip() in names
    ]


def test_the_check_finds_a_literal_sheet_name_and_header():
    names = schema_names()
    source = (
        "__all__ = ['Tasks']\n"
        "a = '任务清单'\n"
        "b = f'任务清单 {a}'\n"
        "c = x if zh else 'Tasks'\n"
        "d = {'key': ' 责任人 '}\n"
    )
    assert [(line, text) for line, text, _what in literals(source, names)] == [
        (2, "任务清单"),
        (4, "Tasks"),
        (5, " 责任人 "),
    ]


def test_sheet_names_and_headers_are_written_only_in_the_schema():
    names = schema_names()
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if any(path == a or a in path.parents for a in ALLOWED):
            continue
        module = path.relative_to(PACKAGE).as_posix()
        for line, text, what in literals(path.read_text(encoding="utf-8"), names):
            if (module, text) not in PROTOCOL:
                problems.append(f"xlcollab/{module}:{line}: {text!r} is the {what}")
    assert problems == []
