"""import: bring rows from another tool into the master workbook.

``xlcollab import FILE --into PATH`` reads a department's own tracker
(.xlsx, .xls, .csv); ``xlcollab import mspdi PLAN.xml --into PATH`` reads
an MS Project / ProjectLibre plan. Each kind lives in its own module with a
``run`` function taking the parsed options; this module only dispatches.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import typer

from xlcollab.cli.common import AsOfOpt, app, fail

# kind -> module under xlcollab.cli that implements it with run(file, into, **options)
IMPORT_KINDS = {"tracker": "xlcollab.cli.import_tracker", "mspdi": "xlcollab.cli.import_mspdi"}
_BY_SUFFIX = {".xml": "mspdi"}


def import_kind(args: list[str]) -> tuple[str, Path]:
    """``[KIND] FILE`` -> (kind, file); without a kind, the file's suffix decides."""
    if len(args) == 2 and args[0] in IMPORT_KINDS:
        return args[0], Path(args[1])
    if len(args) == 1:
        file = Path(args[0])
        return _BY_SUFFIX.get(file.suffix.lower(), "tracker"), file
    raise typer.BadParameter(
        "用法 / usage: xlcollab import [tracker|mspdi] FILE --into PATH", param_hint="ARGS"
    )


@app.command("import")
def import_(
    args: list[str] = typer.Argument(
        ...,
        metavar="[KIND] FILE",
        help="要导入的文件，可在前面写类型 tracker 或 mspdi / The file to import, "
        "optionally after its kind: tracker (a department's own list: .xlsx, .xls, .csv) "
        "or mspdi (MS Project XML).",
    ),
    into: Path = typer.Option(..., "--into", help="主工作簿 / The master workbook to import into."),
    dry_run: bool | None = typer.Option(
        None,
        "--dry-run/--write",
        help="只预览不写入 / Only show what would change (default on a first import).",
    ),
    parent: str | None = typer.Option(
        None, "--parent", help="新任务挂在哪个 WBS 编码下 / The WBS code new tasks go under."
    ),
    mapping: list[str] = typer.Option(
        [],
        "--map",
        help="指定列对应关系，如 --map 责任人=owner"
        " / Map a column by hand, e.g. --map Owner=owner.",
    ),
    as_of: str | None = AsOfOpt,
    lang: str | None = typer.Option(
        None, "--lang", help="zh | en（默认跟随工作簿 / default: the workbook's)."
    ),
):
    """导入其他工具的任务 / Import tasks from a department's tracker or an MS Project plan."""
    kind, file = import_kind(args)
    try:
        module = importlib.import_module(IMPORT_KINDS[kind])
    except ModuleNotFoundError:
        fail(f"此版本不支持导入 {kind} / importing {kind} is not available in this version")
    module.run(file, into, dry_run=dry_run, parent=parent, mapping=mapping, as_of=as_of, lang=lang)
