"""Write the ready-made workbooks in workbooks/ for people without Python.

    .venv/bin/python scripts/make_workbooks.py [OUT_DIR]   # default: workbooks/

- 跨部门协同项目-模板.xlsx / cross-department-project-template.xlsx: the empty
  master workbook (what ``xlcollab init`` writes), holidays prefilled for
  2026;
- the filled demo project (what ``xlcollab demo`` writes).

tests/test_workbooks.py checks that the committed files still match the
schema and the demo, so run this again after changing either.
"""

from __future__ import annotations

import sys
from pathlib import Path

from xlcollab.io.save import save_new_workbook
from xlcollab.workbook import build_workbook
from xlcollab.workbook.blank import blank_project
from xlcollab.workbook.demo import demo_filename, demo_project

TEMPLATE_NAMES = {"zh": "跨部门协同项目-模板.xlsx", "en": "cross-department-project-template.xlsx"}
TEMPLATE_YEARS = range(2026, 2027)


def main(argv: list[str]) -> None:
    out = Path(argv[1] if len(argv) > 1 else Path(__file__).parents[1] / "workbooks")
    for lang, name in TEMPLATE_NAMES.items():
        data = blank_project(lang=lang, years=TEMPLATE_YEARS)
        print(save_new_workbook(build_workbook(data, lang), out / name, overwrite=True))
    print(
        save_new_workbook(
            build_workbook(demo_project("zh")), out / demo_filename("zh"), overwrite=True
        )
    )


if __name__ == "__main__":
    main(sys.argv)
