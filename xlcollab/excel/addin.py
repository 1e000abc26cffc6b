"""Build and install the ribbon add-in ``xlcollab.xlam``.

The add-in starts from xlwings' own ``quickstart_addin_ribbon.xlam`` in the
installed xlwings package (so its ``xlwings`` VBA module, and with it
``RunPython``, matches the installed xlwings version) and changes it:

1. its ribbon module ``RibbonMyAddin`` becomes ``xlcollabRibbon`` holding one
   generic callback, :data:`VBA_SOURCE`::

       Sub OnButton(control As IRibbonControl)
           RunPython "import xlcollab.excel.ribbon; xlcollab.excel.ribbon.dispatch('" & _
               control.Tag & "')"
       End Sub

   written with the pure-Python ``pyOpenVBA`` package; every module is
   rewritten as source only, so no compiled p-code is left;
2. the ``xlwings`` module's ``PROJECT_NAME`` becomes ``xlwings``, so
   ``RunPython`` reads the settings every xlwings user already has: the
   calling workbook's ``xlwings.conf`` sheet (the master workbook has one)
   and ``%USERPROFILE%\\.xlwings\\xlwings.conf``; the template's own
   (inactive) settings sheet is renamed ``_xlwings.conf`` to match;
3. the ``_VBA_PROJECT`` stream is rewritten to ``CC 61 FF FF 00 01 00``, the
   source-only form [MS-OVBA] 2.3.4.1 prescribes for writers (version
   0xFFFF, no performance cache), as in xlwings' shipped templates, so Excel
   compiles the source when it opens the add-in;
4. the ribbon is ``customUI/customUI14.xml`` in the 2009/07 namespace,
   generated from :mod:`xlcollab.excel.buttons`, related from the package
   root with the ``.../2007/relationships/ui/extensibility`` type; the
   template's ``customUI/customUI.xml`` (2006 namespace) is dropped.

Everything else is copied byte for byte. The result is deterministic: the
same xlwings template and button table give the same parts.
"""

from __future__ import annotations

import importlib.util
import io
import os
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path, PureWindowsPath
from xml.sax.saxutils import quoteattr

from xlcollab.excel.buttons import CALLBACK, GROUPS, RESTART_CALLBACK, TAB_ID, TAB_LABEL

__all__ = [
    "build_addin",
    "ribbon_xml",
    "VBA_SOURCE",
    "VBA_MODULE",
    "VBA_PROJECT_SOURCE_ONLY",
    "CUSTOMUI_PART",
    "CUSTOMUI_NS",
    "UI_REL_TYPE",
    "template_path",
    "xlstart_dir",
    "install_addin",
    "AddinError",
    "DEFAULT_OUTPUT",
    "ADDIN_NAME",
]

ADDIN_NAME = "xlcollab.xlam"
DEFAULT_OUTPUT = Path("workbooks") / ADDIN_NAME
TEMPLATE_NAME = "quickstart_addin_ribbon.xlam"
TEMPLATE_MODULE = "RibbonMyAddin"
VBA_MODULE = "xlcollabRibbon"
CUSTOMUI_PART = "customUI/customUI14.xml"
CUSTOMUI_NS = "http://schemas.microsoft.com/office/2009/07/customui"
UI_REL_TYPE = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
VBA_PROJECT_SOURCE_ONLY = bytes.fromhex("CC61FFFF000100")
TEMPLATE_CONF_SHEET = "_myaddin.conf"
CONF_SHEET = "_xlwings.conf"
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)

VBA_SOURCE = (
    f'Attribute VB_Name = "{VBA_MODULE}"\r\n'
    "Option Explicit\r\n"
    "\r\n"
    "' The xlcollab ribbon: each command button calls OnButton, and its tag names the command.\r\n"
    "' Written by `xlcollab addin build`; change xlcollab/excel/buttons.py, not this module.\r\n"
    "\r\n"
    f"Sub {CALLBACK}(control As IRibbonControl)\r\n"
    '    RunPython "import xlcollab.excel.ribbon; xlcollab.excel.ribbon.dispatch(\'" & '
    'control.Tag & "\')"\r\n'
    "End Sub\r\n"
    "\r\n"
    "' With \"Use UDF Server\" on (the master workbook's xlwings.conf sheet), RunPython reuses\r\n"
    "' one warm Python process; KillPy (xlwings' own) ends it, and the next press starts anew.\r\n"
    f"Sub {RESTART_CALLBACK}(control As IRibbonControl)\r\n"
    "    KillPy\r\n"
    "End Sub\r\n"
)


class AddinError(RuntimeError):
    """The add-in could not be built or installed; the message says why."""


# ------------------------------------------------------------- the ribbon ---
def ribbon_xml(lang: str = "zh") -> bytes:
    """customUI14.xml for the button table, labels in ``lang``."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
        f'<customUI xmlns="{CUSTOMUI_NS}">',
        "  <ribbon>",
        "    <tabs>",
        f"      <tab id={quoteattr(TAB_ID)} label={quoteattr(TAB_LABEL[_lang(lang)])}>",
    ]
    for g in GROUPS:
        lines.append(f"        <group id={quoteattr(g.id)} label={quoteattr(g.label(lang))}>")
        for b in g.buttons:
            lines.append(
                f"          <button id={quoteattr(b.control_id)} tag={quoteattr(b.tag)}"
                f" label={quoteattr(b.label(lang))} imageMso={quoteattr(b.image)}"
                f" size={quoteattr(b.size)} screentip={quoteattr(b.label(lang))}"
                f" supertip={quoteattr(b.tip(lang))} onAction={quoteattr(b.action)}/>"
            )
        lines.append("        </group>")
    lines += ["      </tab>", "    </tabs>", "  </ribbon>", "</customUI>", ""]
    return "\n".join(lines).encode("utf-8")


def _lang(lang: str) -> str:
    if lang not in ("zh", "en"):
        raise AddinError(f"language must be zh or en, not {lang!r}")
    return lang


# -------------------------------------------------------------- building ---
def template_path() -> Path:
    """xlwings' ribbon add-in template in the installed xlwings package
    (found without importing xlwings)."""
    spec = importlib.util.find_spec("xlwings")
    if spec is None or not spec.submodule_search_locations:
        raise AddinError("xlwings is not installed (pip install xlwings)")
    path = Path(list(spec.submodule_search_locations)[0]) / TEMPLATE_NAME
    if not path.exists():
        raise AddinError(f"the xlwings package has no {TEMPLATE_NAME} ({path})")
    return path


def build_addin(
    output: str | os.PathLike = DEFAULT_OUTPUT,
    lang: str = "zh",
    template: str | os.PathLike | None = None,
) -> Path:
    """Build the add-in at ``output`` (replacing it atomically) and return
    its path."""
    _lang(lang)
    try:
        from pyopenvba import ExcelFile
        from pyopenvba.cfb import CFB
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise AddinError("building the add-in needs pyOpenVBA (pip install pyOpenVBA)") from exc

    src = Path(template) if template else template_path()
    output = Path(output)
    with tempfile.TemporaryDirectory(prefix="xlcollab-addin-") as tmp:
        work = Path(tmp) / "template.xlam"
        edited = Path(tmp) / "edited.xlam"
        shutil.copyfile(src, work)
        with ExcelFile(str(work)) as book:
            names = book.module_names()
            if TEMPLATE_MODULE not in names or "xlwings" not in names:
                raise AddinError(
                    f"{src.name} is not the xlwings ribbon template (modules: {', '.join(names)})"
                )
            book.vba_project().rename_module(TEMPLATE_MODULE, VBA_MODULE)
            book.set_module(VBA_MODULE, VBA_SOURCE)
            for name in book.module_names():
                if name == VBA_MODULE:
                    continue
                source = book.get_module(name)
                if name == "xlwings":
                    source = _project_name(source)
                # rewriting every module stores it as source only (no p-code)
                book.set_module(name, source)
            book.save(str(edited))
        data = _repackage(edited.read_bytes(), ribbon_xml(lang), CFB)

    output.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".xlcollab.", suffix=".xlam.tmp", dir=output.parent)
    os.close(fd)
    try:
        Path(tmp_name).write_bytes(data)
        with zipfile.ZipFile(tmp_name) as z:
            if z.testzip() is not None:
                raise AddinError("the built add-in failed its zip check")
        os.replace(tmp_name, output)
    finally:
        Path(tmp_name).unlink(missing_ok=True)
    return output


def _project_name(source: str) -> str:
    old = 'Public Const PROJECT_NAME As String = "myaddin"'
    if old not in source:
        raise AddinError(
            'the xlwings VBA module has no PROJECT_NAME "myaddin" line; '
            "this xlwings version's template is not supported"
        )
    return source.replace(old, 'Public Const PROJECT_NAME As String = "xlwings"')


def _repackage(package: bytes, customui: bytes, cfb_class) -> bytes:
    """The package with the new ribbon part, its relationship, the renamed
    settings sheet and the source-only ``_VBA_PROJECT`` stream."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(package)) as zin,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout,
    ):
        names = zin.namelist()
        for info in zin.infolist():
            name = info.filename
            if name.startswith("customUI/"):
                continue  # the 2006 ribbon and anything related to it
            data = zin.read(name)
            if name == "_rels/.rels":
                data = _root_rels(data)
            elif name == "xl/vbaProject.bin":
                data = _source_only(data, cfb_class)
            elif name == "xl/workbook.xml":
                old = f'name="{TEMPLATE_CONF_SHEET}"'.encode()
                if old not in data:
                    raise AddinError(f"the template has no {TEMPLATE_CONF_SHEET} sheet")
                data = data.replace(old, f'name="{CONF_SHEET}"'.encode())
            else:
                zout.writestr(info, data)
                continue
            zout.writestr(_info(name), data)
        if "xl/vbaProject.bin" not in names:
            raise AddinError("the template has no VBA project")
        zout.writestr(_info(CUSTOMUI_PART), customui)
    return out.getvalue()


def _info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o600 << 16
    return info


def _root_rels(data: bytes) -> bytes:
    """The package relationships with the ribbon relationship pointing at
    customUI14.xml (any other ribbon relationship dropped)."""
    from lxml import etree

    ns = "http://schemas.openxmlformats.org/package/2006/relationships"
    root = etree.fromstring(data)
    ids = set()
    for rel in list(root):
        ids.add(rel.get("Id"))
        if rel.get("Type", "").endswith("/ui/extensibility"):
            root.remove(rel)
    n = 1
    while f"rId{n}" in ids:
        n += 1
    new = etree.SubElement(root, f"{{{ns}}}Relationship")
    new.set("Id", f"rId{n}" if "rIdXcRibbon" in ids else "rIdXcRibbon")
    new.set("Type", UI_REL_TYPE)
    new.set("Target", CUSTOMUI_PART)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _source_only(vba_bin: bytes, cfb_class) -> bytes:
    cfb = cfb_class.from_bytes(vba_bin)
    cfb.write_stream_in_storage("VBA", "_VBA_PROJECT", VBA_PROJECT_SOURCE_ONLY)
    data = cfb.to_bytes()
    check = cfb_class.from_bytes(data).get_stream_in_storage("VBA", "_VBA_PROJECT")
    if check != VBA_PROJECT_SOURCE_ONLY:
        raise AddinError("could not write the _VBA_PROJECT stream")
    return data


# ------------------------------------------------------------ installing ---
def xlstart_dir() -> Path | None:
    """Excel's per-user start-up folder on Windows
    (``%APPDATA%\\Microsoft\\Excel\\XLSTART``); None elsewhere."""
    if not sys.platform.startswith("win"):
        return None
    appdata = os.environ.get("APPDATA")
    if not appdata:
        return None
    return Path(appdata) / "Microsoft" / "Excel" / "XLSTART"


def install_addin(
    source: str | os.PathLike, target_dir: str | os.PathLike | None = None, *, dry_run: bool = False
) -> tuple[Path | PureWindowsPath, bool]:
    """Copy the add-in into ``target_dir`` (default: the XLSTART folder).
    Returns (target path, whether it was copied). Off Windows, without a
    ``target_dir``, nothing is copied: the target is where Windows would
    have it."""
    source = Path(source)
    if not source.exists():
        raise AddinError(f"{source} does not exist; run `xlcollab addin build` first")
    folder = Path(target_dir) if target_dir else xlstart_dir()
    if folder is None:
        return PureWindowsPath("%APPDATA%", "Microsoft", "Excel", "XLSTART", ADDIN_NAME), False
    target = folder / ADDIN_NAME
    if dry_run:
        return target, False
    folder.mkdir(parents=True, exist_ok=True)
    try:
        shutil.copyfile(source, target)
    except PermissionError as exc:
        raise AddinError(
            f"cannot write {target}: close Excel (it keeps the add-in open) and retry"
        ) from exc
    return target, True
