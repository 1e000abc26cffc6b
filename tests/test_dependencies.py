"""Every third-party import is declared in pyproject.toml: the package's in ``dependencies``,
the tests' in ``dependencies`` or the ``test`` extra."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _norm(name: str) -> str:
    """A distribution name as PEP 503 compares it."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_name(spec: str) -> str:
    return _norm(re.split(r"[\s<>=!~;\[(]", spec.strip(), maxsplit=1)[0])


def _declared() -> tuple[set[str], set[str]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = {_requirement_name(s) for s in project["dependencies"]}
    test = {_requirement_name(s) for s in project["optional-dependencies"]["test"]}
    return runtime, test


def third_party_imports(folder: Path) -> dict[str, str]:
    """Top-level module -> the first file importing it, for every absolute import in
    ``folder`` that is neither the standard library nor xlcollab."""
    found: dict[str, str] = {}
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in sys.stdlib_module_names or top in ("xlcollab", "__future__"):
                    continue
                found.setdefault(top, str(path.relative_to(ROOT)))
    return found


def _undeclared(folder: Path, allowed: set[str], local: set[str] = frozenset()) -> list[str]:
    dists = importlib.metadata.packages_distributions()
    problems = []
    for module, where in sorted(third_party_imports(folder).items()):
        if module in local:
            continue
        provided = {_norm(d) for d in dists.get(module, [])}
        if not provided:
            problems.append(f"{module} ({where}): no installed distribution provides it")
        elif not provided & allowed:
            problems.append(f"{module} ({where}): from {sorted(provided)}, not declared")
    return problems


def test_the_package_imports_only_declared_dependencies():
    runtime, _test = _declared()
    assert _undeclared(ROOT / "xlcollab", runtime) == []


def test_the_tests_import_only_declared_dependencies():
    runtime, test = _declared()
    local = {path.stem for path in (ROOT / "tests").glob("*.py")}  # conftest, helpers
    assert _undeclared(ROOT / "tests", runtime | test, local) == []


def test_every_declared_dependency_is_installed():
    runtime, test = _declared()
    installed = {_norm(d.metadata["Name"]) for d in importlib.metadata.distributions()}
    assert (runtime | test) - installed == set()
