"""addin build|install: the Excel ribbon add-in."""

from __future__ import annotations

from pathlib import Path

import typer

from xlcollab.cli.common import app, check_lang, console, fail
from xlcollab.schema.lang import tr

addin_app = typer.Typer(
    help="Excel 功能区加载项 / The Excel ribbon add-in (xlcollab.xlam).", no_args_is_help=True
)
app.add_typer(addin_app, name="addin")


@addin_app.command("build")
def addin_build(
    output: Path = typer.Option(
        Path("workbooks/xlcollab.xlam"),
        "-o",
        "--output",
        help="加载项路径 / Where to write the add-in.",
    ),
    lang: str = typer.Option("zh", "--lang", help="功能区语言 / Ribbon labels: zh | en."),
):
    """由 xlwings 模板生成加载项 / Build the add-in from xlwings' ribbon template."""
    from xlcollab.excel.addin import AddinError, build_addin

    lang = check_lang(lang)
    try:
        path = build_addin(output, lang)
    except (AddinError, OSError) as exc:
        fail(tr(lang, "无法生成加载项：", "Could not build the add-in: ") + str(exc))
        return
    console.print(tr(lang, "已生成加载项：", "Add-in written: ") + str(path))


@addin_app.command("install")
def addin_install(
    source: Path = typer.Option(
        Path("workbooks/xlcollab.xlam"), "--source", help="要安装的加载项 / The add-in to install."
    ),
    target: Path | None = typer.Option(
        None,
        "--to",
        help="目标文件夹（默认 Excel 的 XLSTART）/ Target folder (default: Excel's XLSTART).",
    ),
):
    """把加载项复制到 Excel 的启动文件夹 / Copy the add-in to Excel's XLSTART folder (Windows)."""
    from xlcollab.excel.addin import AddinError, install_addin

    try:
        path, copied = install_addin(source, target)
    except (AddinError, OSError) as exc:
        fail(f"无法安装加载项 / could not install the add-in: {exc}")
        return
    if copied:
        console.print(
            f"已安装 / installed: {path}\n"
            "重新启动 Excel 后出现“协同项目”选项卡 / restart Excel to see the xlcollab tab."
        )
    else:
        console.print(
            f"这里不是 Windows，未复制任何文件。在 Windows 上会把 {source} 复制到 {path}\n"
            f"Not on Windows: nothing copied. On Windows this copies {source} to {path}"
        )
