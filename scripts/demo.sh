#!/bin/sh
# Set everything up (a local .venv) and run the demo: a filled nine-week
# cross-department project in xlcollab-demo/.
. "$(dirname "$0")/_venv.sh"
.venv/bin/xlcollab demo "${1:-xlcollab-demo}"
