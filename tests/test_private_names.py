"""No module uses another module's private (``_name``) names: they are made public or moved.

A name is private when it starts with one underscore (dunders such as ``__version__`` are
not). Inside one module anything goes; across modules the AST must show neither
``from m import _name``, ``import m._private`` nor ``m._name`` on an imported module or name.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "xlcollab"


#: the standard library's public names that begin with an underscore, as documented
DOCUMENTED = {
    ("os", "_exit"): "os._exit: end the process without cleanup handlers (cli.app.end_now)",
}


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def private_uses(source: str) -> list[tuple[int, str]]:
    """(line, what) for every use of another module's private name in ``source``."""
    tree = ast.parse(source)
    found: list[tuple[int, str]] = []
    imported: set[str] = set()  # names bound by imports: modules, classes, functions
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if any(_private(part) for part in alias.name.split(".")):
                    found.append((node.lineno, f"import {alias.name}"))
                imported.add(alias.asname or alias.name.split(".")[0])
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if any(_private(part) for part in module.split(".")):
                found.append((node.lineno, f"from {module} import ..."))
            for alias in node.names:
                if _private(alias.name):
                    found.append((node.lineno, f"from {module} import {alias.name}"))
                imported.add(alias.asname or alias.name)
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and _private(node.attr)
            and isinstance(node.value, ast.Name)
            and node.value.id in imported
            and (node.value.id, node.attr) not in DOCUMENTED
        ):
            found.append((node.lineno, f"{node.value.id}.{node.attr}"))
    return found


def test_the_check_finds_each_kind_of_private_use():
    source = (
        "import zipfile\n"
        "from xlcollab import schema\n"
        "from xlcollab.core.figures import _as_date\n"
        "from xlcollab.excel import _xw\n"
        "import xlcollab.excel._xw\n"
        "schema._norm_header('x')\n"
        "zipfile._EndRecData(None)\n"
    )
    assert [line for line, _what in private_uses(source)] == [3, 4, 5, 6, 7]


def test_own_private_names_and_dunders_are_fine():
    source = (
        "from xlcollab import __version__\n"
        "def _helper():\n"
        "    return 1\n"
        "class A:\n"
        "    def _m(self):\n"
        "        return self._x\n"
        "_helper()\n"
    )
    assert private_uses(source) == []


def test_no_module_uses_another_modules_private_names():
    problems = [
        f"{path.relative_to(PACKAGE.parent)}:{line}: {what}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for line, what in private_uses(path.read_text(encoding="utf-8"))
    ]
    assert problems == []


#: private attributes of other libraries' objects the code relies on, with the reason
FOREIGN_PRIVATE = {
    ("reports/render.py", "_element"): "python-pptx: a shape's XML element (no public accessor)",
    ("reports/render.py", "_r"): "python-docx: a run's XML element (no public accessor)",
    ("workbook/formats.py", "_style"): "openpyxl: a cell's whole style, copied as one object",
    ("finance/sheetdata.py", "_get_shared_string_index"): (
        "xlsxwriter: a text's shared-string index, what write_string stores (no public accessor)"
    ),
    ("finance/sheetdata.py", "_get_xf_index"): (
        "xlsxwriter: a format's style index, numbered on first use (no public accessor)"
    ),
}


def foreign_private_attributes(source: str) -> list[tuple[int, str]]:
    """(line, attribute) for every ``obj._name`` where ``obj`` is not ``self`` or ``cls``."""
    return [
        (node.lineno, node.attr)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Attribute)
        and _private(node.attr)
        and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))
        and not (isinstance(node.value, ast.Name) and (node.value.id, node.attr) in DOCUMENTED)
    ]


def test_no_private_attributes_of_other_objects():
    """E.g. the package writer once used ZipFile's ``_writecheck``, ``fp`` and ``_lock``; it
    writes the archive itself now (xlcollab.io.zipwriter)."""
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = path.relative_to(PACKAGE).as_posix()
        for line, attr in foreign_private_attributes(path.read_text(encoding="utf-8")):
            if (module, attr) not in FOREIGN_PRIVATE:
                problems.append(f"xlcollab/{module}:{line}: ._{attr.lstrip('_')}")
    assert problems == []
