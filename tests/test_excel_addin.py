"""The ribbon add-in, verified structurally (Excel itself is not available
here; README.md has the manual smoke test for Windows)."""

from __future__ import annotations

import copy
import posixpath
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from xlcollab.excel import addin, buttons

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
XSD = SHARED / "schemas" / "customui14.xsd"
COMMITTED = REPO / "workbooks" / addin.ADDIN_NAME

PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
XS = "http://www.w3.org/2001/XMLSchema"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return addin.build_addin(tmp_path_factory.mktemp("addin") / addin.ADDIN_NAME)


# ------------------------------------------------------------- helpers ---
def _q(tag: str) -> str:
    return f"{{{XS}}}{tag}"


def load_customui_schema(path: Path) -> etree.XMLSchema:
    """Microsoft's customui14.xsd, made loadable by lxml: libxml2 rejects
    attributes an extension declares again although its base type already
    has them (directly or through an attribute group). Those repeats are
    removed in memory (an attribute group is inlined minus the repeated
    attribute); every attribute stays allowed exactly once."""
    doc = etree.parse(str(path))
    root = doc.getroot()
    groups = {g.get("name"): g for g in root.findall(_q("attributeGroup"))}
    types = {t.get("name"): t for t in root.findall(_q("complexType"))}

    def flat(name):
        out = []
        for el in groups[name]:
            if el.tag == _q("attribute"):
                out.append(el)
            elif el.tag == _q("attributeGroup") and el.get("ref"):
                out += flat(el.get("ref"))
        return out

    for _ in range(200):
        try:
            return etree.XMLSchema(doc)
        except etree.XMLSchemaParseError as exc:
            m = re.search(r"complex type '(\w+)': Duplicate attribute use '(\w+)'", str(exc))
            if not m or m.group(1) not in types:
                raise
            name, attr = m.groups()
            ext = next(types[name].iter(_q("extension"), _q("restriction")), None)
            ext = types[name] if ext is None else ext
            direct = [a for a in ext.findall(_q("attribute")) if a.get("name") == attr]
            if direct:
                ext.remove(direct[-1])
                continue
            ref = next(
                ag
                for ag in ext.findall(_q("attributeGroup"))
                if ag.get("ref") in groups and attr in {a.get("name") for a in flat(ag.get("ref"))}
            )
            at = list(ext).index(ref)
            ext.remove(ref)
            kept = [a for a in flat(ref.get("ref")) if a.get("name") != attr]
            for i, a in enumerate(kept):
                ext.insert(at + i, copy.deepcopy(a))
    raise AssertionError("customui14.xsd did not load")


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
        return {n: z.read(n) for n in z.namelist()}


def _vba_modules(path: Path) -> dict[str, str]:
    from oletools.olevba import VBA_Parser

    parser = VBA_Parser(str(path))
    try:
        return {Path(name).stem: code for _f, _s, name, code in parser.extract_macros()}
    finally:
        parser.close()


# -------------------------------------------------------------- package ---
def test_package_parts_content_types_and_relationships(built):
    parts = _parts(built)
    assert "customUI/customUI.xml" not in parts
    assert addin.CUSTOMUI_PART in parts

    ct = etree.fromstring(parts["[Content_Types].xml"])
    defaults = {
        d.get("Extension").lower(): d.get("ContentType") for d in ct.findall(f"{{{CT_NS}}}Default")
    }
    overrides = {
        o.get("PartName"): o.get("ContentType") for o in ct.findall(f"{{{CT_NS}}}Override")
    }
    for name in parts:
        if name == "[Content_Types].xml":
            continue
        ext = name.rsplit(".", 1)[-1].lower()
        assert "/" + name in overrides or ext in defaults, f"no content type for {name}"
    for part in overrides:
        assert part.lstrip("/") in parts, f"content type for a missing part {part}"
    assert overrides["/xl/workbook.xml"] == "application/vnd.ms-excel.addin.macroEnabled.main+xml"
    assert overrides["/xl/vbaProject.bin"] == "application/vnd.ms-office.vbaProject"

    # every relationship target exists
    rel_files = [n for n in parts if n.endswith(".rels")]
    assert "_rels/.rels" in rel_files
    for rels in rel_files:
        folder = posixpath.dirname(posixpath.dirname(rels))
        for rel in etree.fromstring(parts[rels]).findall(f"{{{PKG_REL_NS}}}Relationship"):
            if rel.get("TargetMode") == "External":
                continue
            target = posixpath.normpath(posixpath.join(folder, rel.get("Target")))
            assert target in parts, f"{rels}: {rel.get('Target')} is missing"

    root_rels = etree.fromstring(parts["_rels/.rels"])
    ui = [r for r in root_rels if r.get("Type", "").endswith("/ui/extensibility")]
    assert len(ui) == 1
    assert ui[0].get("Type") == addin.UI_REL_TYPE
    assert ui[0].get("Target") == addin.CUSTOMUI_PART
    ids = [r.get("Id") for r in root_rels]
    assert len(ids) == len(set(ids))
    # the template's settings sheet, renamed to the name xlwings' VBA reads
    assert b'name="_xlwings.conf"' in parts["xl/workbook.xml"]


def test_customui_is_valid_against_microsofts_schema(built):
    if not XSD.exists():
        pytest.skip(f"{XSD} is absent (shared/ is expected beside the repository)")
    schema = load_customui_schema(XSD)
    for xml in (_parts(built)[addin.CUSTOMUI_PART], addin.ribbon_xml("en")):
        doc = etree.fromstring(xml)
        assert doc.tag == f"{{{addin.CUSTOMUI_NS}}}customUI"
        schema.assertValid(doc)
    # the schema really checks: an unknown attribute is rejected
    bad = etree.fromstring(addin.ribbon_xml("zh").replace(b'size="large"', b'sise="large"', 1))
    assert not schema.validate(bad)


def test_ribbon_comes_from_the_button_table(built):
    doc = etree.fromstring(_parts(built)[addin.CUSTOMUI_PART])
    ns = {"c": addin.CUSTOMUI_NS}
    groups = doc.findall(".//c:group", ns)
    assert [g.get("label") for g in groups] == ["检查", "报告", "财务", "工具"]
    btns = doc.findall(".//c:button", ns)
    assert [b.get("tag") for b in btns] == [b.tag for b in buttons.BUTTONS]
    actions = {b.get("tag"): b.get("onAction") for b in btns}
    assert actions == {b.tag: b.action for b in buttons.BUTTONS}
    # every button runs a Python command, except the one that ends the warm Python
    assert actions.pop("restart_python") == "OnRestartPython"
    assert set(actions.values()) == {"OnButton"}
    assert all(b.get("imageMso") for b in btns)
    labels = {b.get("tag"): b.get("label") for b in btns}
    assert labels["validate"] == "检查工作簿" and labels["finance"] == "月度资金报告"
    report_tags = [b.get("tag") for b in groups[1].findall("c:button", ns)]
    assert report_tags == [
        "charter",
        "roles",
        "checklist",
        "weekly",
        "quality",
        "delivery",
        "summary",
        "briefing",
    ]
    tool_tags = [b.get("tag") for b in groups[3].findall("c:button", ns)]
    assert tool_tags == ["baseline", "merge_packs", "open_folder", "restart_python", "about"]
    assert labels["baseline"] == "保存基线"
    ids = [e.get("id") for e in doc.iter() if e.get("id")]
    assert len(ids) == len(set(ids))
    en = etree.fromstring(addin.ribbon_xml("en"))
    assert en.find(".//c:group", ns).get("label") == "Check"


# ------------------------------------------------------------------ VBA ---
def test_vba_source_decoded_by_olevba_is_exactly_the_intended_source(built):
    modules = _vba_modules(built)
    assert addin.TEMPLATE_MODULE not in modules
    got = modules[addin.VBA_MODULE].replace("\r\n", "\n").strip("\n")
    want = addin.VBA_SOURCE.replace("\r\n", "\n").strip("\n")
    assert got == want
    assert (
        'RunPython "import xlcollab.excel.ribbon; xlcollab.excel.ribbon.dispatch(\'" & '
        'control.Tag & "\')"' in got
    )
    # the restart button ends xlwings' UDF server with xlwings' own KillPy
    assert "Sub OnRestartPython(control As IRibbonControl)\n    KillPy\nEnd Sub" in got
    assert "Sub KillPy()" in modules["xlwings"]
    # RunPython reads the settings of xlwings.conf sheets and files
    assert 'Public Const PROJECT_NAME As String = "xlwings"' in modules["xlwings"]
    # and, with "Use UDF Server" on, runs the command in the warm UDF server process
    assert 'OPTIMIZED_CONNECTION = GetConfig("USE UDF SERVER", False)' in modules["xlwings"]
    assert 'XLPy.Exec "" & PythonCommand & ""' in modules["xlwings"]
    assert {"ThisWorkbook", "Sheet2", "xlwings", "Dictionary"} <= set(modules)


def test_no_p_code_remains(built):
    from oletools.olevba import VBA_Parser, VBA_Project

    parser = VBA_Parser(str(built))
    try:
        parser.detect_vba_macros()
        ole = parser.ole_subfiles[0].ole_file if parser.ole_file is None else parser.ole_file
        projects = (
            parser.ole_subfiles[0] if parser.ole_file is None else parser
        ).find_vba_projects()
        vba_root, project_path, dir_path = projects[0]
        project = VBA_Project(ole, vba_root, project_path, dir_path, relaxed=False)
        list(project.parse_modules())  # a generator: parse every module
        assert len(project.modules) == 5
        for m in project.modules:  # the source starts at offset 0: nothing before it
            assert m.textoffset == 0, m.name
        stream = ole.openstream(vba_root + "VBA/_VBA_PROJECT").read()
        assert stream == addin.VBA_PROJECT_SOURCE_ONLY == bytes.fromhex("CC61FFFF000100")
    finally:
        parser.close()


def _pcodedmp(path: Path) -> str:
    pytest.importorskip("pcodedmp")
    proc = subprocess.run(
        [sys.executable, "-m", "pcodedmp.pcodedmp", "-d", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return proc.stdout + proc.stderr


def test_pcodedmp_finds_no_p_code(built):
    assert "Line #" not in _pcodedmp(built)


def test_pcodedmp_oracle_sees_p_code_where_there_is_some():
    # xlwings' quickstart.xlsm was saved by Excel and carries compiled p-code
    compiled = addin.template_path().with_name("quickstart.xlsm")
    if not compiled.exists():
        pytest.skip("xlwings ships no compiled quickstart.xlsm")
    assert "Line #" in _pcodedmp(compiled)


# -------------------------------------------------------- reproducibility ---
def _structure(path: Path) -> dict:
    parts = _parts(path)
    from pyopenvba.cfb import CFB

    vba = CFB.from_bytes(parts["xl/vbaProject.bin"])
    return {
        "names": sorted(parts),
        "xml": {n: d for n, d in parts.items() if n.endswith((".xml", ".rels"))},
        "modules": _vba_modules(path),
        "_VBA_PROJECT": vba.get_stream_in_storage("VBA", "_VBA_PROJECT"),
    }


def test_build_is_deterministic(built, tmp_path):
    again = addin.build_addin(tmp_path / "again.xlam")
    assert again.read_bytes() == built.read_bytes()


def test_committed_addin_matches_a_fresh_build(built):
    assert COMMITTED.exists(), "workbooks/xlcollab.xlam is missing: run `xlcollab addin build`"
    assert _structure(COMMITTED) == _structure(built), (
        "workbooks/xlcollab.xlam is stale: run `xlcollab addin build` and commit it"
    )


def test_not_a_template_is_refused(tmp_path, demo_path):
    with pytest.raises(addin.AddinError):
        addin.build_addin(tmp_path / "x.xlam", template=demo_path)


# ------------------------------------------------------------ install ---
def test_install_copies_or_says_where(built, tmp_path, monkeypatch):
    target, copied = addin.install_addin(built, tmp_path / "XLSTART")
    assert copied and target.read_bytes() == built.read_bytes()
    monkeypatch.setattr(addin, "xlstart_dir", lambda: None)
    target, copied = addin.install_addin(built)
    assert not copied and target.name == addin.ADDIN_NAME and "XLSTART" in str(target)
    with pytest.raises(addin.AddinError):
        addin.install_addin(tmp_path / "missing.xlam")


# ---------------------------------------------------------- LibreOffice ---
@pytest.mark.libreoffice
def test_libreoffice_opens_the_addin(built, office, tmp_path):
    """LibreOffice 7 does not pick an import filter for the add-in content
    type by itself, so it is named: the Excel 2007-365 VBA filter. The
    package must load and convert, settings sheet included."""
    out = tmp_path / "out"
    profile = tmp_path / "profile"
    proc = subprocess.run(
        [
            office,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--infilter=Calc MS Excel 2007 VBA XML",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(built),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    converted = out / "xlcollab.xlsx"
    assert converted.exists(), proc.stderr
    import openpyxl

    wb = openpyxl.load_workbook(converted)
    assert wb.sheetnames == ["_xlwings.conf"]
    assert wb["_xlwings.conf"]["A1"].value == "Interpreter_Win"


# -------------------------------------------------------- command line ---
def test_cli_addin_build_and_install(tmp_path):
    from typer.testing import CliRunner

    from xlcollab.cli import app

    runner = CliRunner()
    out = tmp_path / "cli.xlam"
    r = runner.invoke(app, ["addin", "build", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert out.exists() and "已生成加载项" in r.output
    r = runner.invoke(
        app, ["addin", "install", "--source", str(out), "--to", str(tmp_path / "XLSTART")]
    )
    assert r.exit_code == 0, r.output
    assert (tmp_path / "XLSTART" / "xlcollab.xlam").read_bytes() == out.read_bytes()
    r = runner.invoke(app, ["addin", "install", "--source", str(tmp_path / "none.xlam")])
    assert r.exit_code == 2
    r = runner.invoke(app, ["addin", "build", "-o", str(out), "--lang", "fr"])
    assert r.exit_code != 0
