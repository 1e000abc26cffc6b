#!/bin/sh
# Set everything up (a local .venv with the test extras) and run the tests.
# LibreOffice (soffice) and the Noto CJK fonts are needed for the tests that
# recalculate workbooks with a real engine; without them those tests skip,
# unless XLCOLLAB_REQUIRE_OFFICE=1 (as in CI), where they fail instead.
XLCOLLAB_EXTRAS="[test]"
. "$(dirname "$0")/_venv.sh"
.venv/bin/python -m pytest "$@"
