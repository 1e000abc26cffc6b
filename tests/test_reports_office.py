"""The document pack through LibreOffice: every document converts to PDF in
one soffice run, and the PDF text carries the Chinese headings (which fails
when no CJK font is installed). Slides need LibreOffice Impress."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from xlcollab.io import read_workbook
from xlcollab.reports import KINDS, generate_all
from xlcollab.reports.pdf import to_pdf
from xlcollab.workbook.demo import STATUS_DATE

HEADINGS = {
    "charter": [
        "项目章程",
        "一、项目目标",
        "三、里程碑",
        "七、各部门资源承诺",
        "客户服务数字化平台建设项目",
    ],
    "roles": ["职责分工说明书", "一、角色与职责", "RACI", "项目总负责人"],
    "checklist": ["跨部门任务协作清单", "二、任务清单（按部门）", "信息技术部", "四、审批"],
    "weekly": ["周例会进度报告", "二、各部门5分钟汇报", "阻塞", "三、问题聚焦", "四、甘特图"],
    "quality": ["质量评估意见", "需求确认完成", "三、评审结论与评估意见", "尚未评审"],
    "delivery": ["项目交付确认书", "一、交付物清单", "四、签字确认"],
    "summary": [
        "项目总结报告",
        "四、部门协同考核",
        "五、协同先锋奖提名",
        "六、约谈名单（延误记录）",
    ],
    "briefing": ["月度高层简报", "状态一览", "待决策事项"],
}


def _squash(text: str) -> str:
    return "".join(text.split())


@pytest.fixture(scope="module")
def converted(office, demo_path, tmp_path_factory):
    """The zh pack and its PDFs, all converted in one soffice run."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    tmp = tmp_path_factory.mktemp("office")
    data = read_workbook(demo_path)
    paths = dict(zip(KINDS, generate_all(data, tmp / "docs", as_of=STATUS_DATE), strict=False))
    pdfs = to_pdf(paths.values(), tmp / "pdf")
    return {k: pdfs.get(p) for k, p in paths.items()}


def _pdf_text(pdf) -> str:
    return _squash(
        subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )


@pytest.mark.libreoffice
def test_word_documents_convert_and_show_chinese(converted):
    for kind, pdf in converted.items():
        if kind == "briefing":
            continue
        assert pdf is not None, f"{kind} did not convert"
        text = _pdf_text(pdf)
        for heading in HEADINGS[kind]:
            assert _squash(heading) in text, (kind, heading)


@pytest.mark.libreoffice
def test_briefing_converts_and_shows_chinese(converted):
    if converted["briefing"] is None:
        if os.environ.get("XLCOLLAB_REQUIRE_OFFICE") == "1":
            pytest.fail("the briefing (.pptx) did not convert: is libreoffice-impress installed?")
        pytest.skip("the briefing (.pptx) needs LibreOffice Impress (libreoffice-impress)")
    text = _pdf_text(converted["briefing"])
    for heading in HEADINGS["briefing"]:
        assert _squash(heading) in text, heading
