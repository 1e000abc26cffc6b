"""Report rendering machinery: safe file names, template lookup, template
errors that name the template and the tag, the sandbox, the CLI."""

from __future__ import annotations

import re
import shutil
from pathlib import Path, PureWindowsPath

import pytest
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from xlcollab.io import read_workbook
from xlcollab.reports import ReportError, generate
from xlcollab.reports.names import MAX_NAME_BYTES, report_filename
from xlcollab.reports.render import builtin_templates_dir, find_template, render_docx
from xlcollab.workbook.demo import STATUS_DATE

WINDOWS_FORBIDDEN = set('<>:"/\\|?*')
RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}


@settings(max_examples=300, deadline=None)
@given(
    doc=st.text(max_size=40),
    project=st.text(max_size=400),
    date=st.sampled_from(["2026-04-01", "2026-03", "", "2026/04/01"]),
    ext=st.sampled_from(["docx", ".pptx", "docx "]),
)
def test_report_filenames_are_safe_everywhere(doc, project, date, ext):
    name = report_filename(doc, project, date, ext)
    assert name and not (WINDOWS_FORBIDDEN & set(name))
    assert all(ord(c) >= 32 and ord(c) != 127 for c in name)
    assert name == name.strip() and not name.endswith((".", " "))
    assert len(name.encode("utf-8")) <= MAX_NAME_BYTES
    assert name.split(".")[0].upper().rstrip() not in RESERVED
    assert Path(name).name == name and PureWindowsPath(name).name == name
    assert name not in (".", "..")
    assert name.endswith("." + ext.strip(" .").strip())


def test_report_filename_examples():
    assert (
        report_filename("项目章程", "客户服务数字化平台建设项目", "2026-04-01", "docx")
        == "项目章程_客户服务数字化平台建设项目_2026-04-01.docx"
    )
    assert (
        report_filename("周报", '../..\\a:b*c?"<d>|e', "2026-04-01", "docx")
        == "周报_abcde_2026-04-01.docx"
    )
    assert report_filename("CON", "", "", "docx") == "_CON.docx"
    long = report_filename("周例会进度报告", "长" * 300, "2026-04-01", "docx")
    assert long.startswith("周例会进度报告_长") and long.endswith("_2026-04-01.docx")


@pytest.fixture(scope="module")
def data(demo_path):
    return read_workbook(demo_path)


def _edit_template(src: Path, dst: Path, old: str, new: str) -> Path:
    """A copy of ``src`` with the first paragraph containing ``old`` rewritten."""
    doc = Document(str(src))
    for p in doc.paragraphs:
        if old in p.text:
            text = p.text.replace(old, new)
            for r in p.runs[1:]:
                r.text = ""
            p.runs[0].text = text
            break
    else:
        raise AssertionError(old)
    dst.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(dst))
    return dst


def test_builtin_templates_exist():
    base = builtin_templates_dir()
    for lang in ("zh", "en"):
        for kind in ("charter", "roles", "checklist", "weekly", "quality", "delivery", "summary"):
            assert (base / lang / f"{kind}.docx").is_file()
        assert (base / lang / "briefing.pptx").is_file()


def test_templates_folder_from_settings_and_option(data, tmp_path):
    mine = tmp_path / "mine"
    shutil.copytree(builtin_templates_dir(), mine)
    _edit_template(
        builtin_templates_dir() / "zh" / "roles.docx",
        mine / "zh" / "roles.docx",
        "一、角色与职责",
        "一、本公司的角色与职责",
    )
    path = generate("roles", data, tmp_path / "a", as_of=STATUS_DATE, templates_dir=mine)
    assert "一、本公司的角色与职责" in [p.text for p in Document(str(path)).paragraphs]
    data.settings["templates_dir"] = "mine"  # relative to the workbook's folder
    try:
        path = generate("roles", data, tmp_path / "b", as_of=STATUS_DATE, base_dir=tmp_path)
        assert "一、本公司的角色与职责" in [p.text for p in Document(str(path)).paragraphs]
    finally:
        data.settings["templates_dir"] = None


def test_missing_template_is_a_clear_error(data, tmp_path):
    (tmp_path / "empty" / "zh").mkdir(parents=True)
    with pytest.raises(ReportError) as exc:
        generate("charter", data, tmp_path, as_of=STATUS_DATE, templates_dir=tmp_path / "empty")
    assert "找不到报告模板 charter.docx" in exc.value.text("zh")
    assert "charter.docx not found" in exc.value.text("en")
    with pytest.raises(ReportError, match="不存在"):
        find_template("charter.docx", "zh", tmp_path / "nowhere")


@pytest.mark.parametrize(
    "tag, kind",
    [
        ("{{ project.nmae }}", "未定义的名称"),
        ("{{ project.name( }}", "语法错误"),
        ("{{ project.__class__.__mro__ }}", "不允许的操作"),
    ],
)
def test_template_errors_name_the_template_and_the_tag(tmp_path, tag, kind):
    src = builtin_templates_dir() / "zh" / "delivery.docx"
    bad = _edit_template(src, tmp_path / "bad.docx", "{{ conclusion }}", tag)
    ctx = {
        "project": {"name": "测试", "start": "", "end": "", "sponsor": "", "lead": "", "pm": ""},
        "title": "t",
        "as_of": "2026-04-01",
        "deliverables": [],
        "by_department": [],
        "conclusion": "",
        "pending": [],
        "signatures": [],
    }
    with pytest.raises(ReportError) as exc:
        render_docx(bad, ctx, tmp_path / "out.docx")
    msg = exc.value.text("zh")
    assert "bad.docx" in msg and kind in msg, msg
    assert tag.replace(" }}", "").replace("{{ ", "").split("(")[0].split(".")[0] in msg
    assert re.search(r"\{\{ ?project\.", msg), msg
    assert not (tmp_path / "out.docx").exists()


def test_data_with_markup_characters_stays_text(data, tmp_path):
    data2 = type(data)(**{**data.__dict__, "overview": dict(data.overview, name='A&B <项目> "x"')})
    path = generate("charter", data2, tmp_path, as_of=STATUS_DATE)
    assert 'A&B <项目> "x"' in [p.text for p in Document(str(path)).paragraphs]
    assert path.name == "项目章程_A&B 项目 x_2026-04-01.docx"


def test_cli_report_and_all(demo_path, tmp_path):
    from xlcollab.cli import app

    runner = CliRunner()
    r = runner.invoke(
        app, ["report", "weekly", str(demo_path), "-o", str(tmp_path / "w"), "--week", "5"]
    )
    assert r.exit_code == 0, r.output
    assert (tmp_path / "w" / "周例会进度报告_客户服务数字化平台建设项目_2026-03-30.docx").exists()
    r = runner.invoke(
        app,
        [
            "report",
            "all",
            str(demo_path),
            "-o",
            str(tmp_path / "all"),
            "--as-of",
            "2026-04-01",
            "--lang",
            "en",
        ],
    )
    assert r.exit_code == 0, r.output
    names = sorted(p.name for p in (tmp_path / "all").iterdir())
    assert len(names) == 8 and all(
        n.endswith("_2026-04-01.docx") or n.endswith(".pptx") for n in names
    )
    r = runner.invoke(app, ["report", "nonsense", str(demo_path)])
    assert r.exit_code == 2
    r = runner.invoke(
        app, ["report", "quality", str(demo_path), "-o", str(tmp_path), "--milestone", "没有这个"]
    )
    assert r.exit_code == 2 and "没有这个" in r.output
    r = runner.invoke(
        app,
        [
            "report",
            "charter",
            str(demo_path),
            "-o",
            str(tmp_path),
            "--templates",
            str(tmp_path / "none"),
        ],
    )
    assert r.exit_code == 2 and "模板" in r.output
