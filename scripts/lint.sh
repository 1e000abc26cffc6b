#!/bin/sh
# The lint step (run by .ci/run before the tests, and by the pre-commit hooks):
# ruff, ruff's formatter, mypy on the typed layers, and the import-layer contracts.
XLCOLLAB_EXTRAS="[test]"
. "$(dirname "$0")/_venv.sh"
set -x
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
.venv/bin/lint-imports
