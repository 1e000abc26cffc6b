# Sourced by the scripts: make .venv with xlcollab installed (idempotent).
# Set XLCOLLAB_EXTRAS (e.g. "[test]") before sourcing to add extras.
set -eu
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
extras=${XLCOLLAB_EXTRAS:-}
stamp=".venv/.xlcollab-installed$extras"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e ".$extras"
  touch "$stamp"
fi
