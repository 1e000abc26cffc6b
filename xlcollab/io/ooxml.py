"""The package level of an .xlsx/.xlsm file, for patching parts in place.

An Office Open XML workbook is a zip of parts. Write-back changes a few
parts (one sheet's XML, perhaps ``xl/styles.xml``, a table part,
``xl/workbook.xml``) and copies every other member unchanged: the same
name, the same order, the same compressed bytes (:func:`write_package`
copies the raw deflate stream, so not even a recompression happens).

Everything here works on bytes with small regular expressions: parsing a
20,000-row sheet into a tree and serialising it again would be slower and
would rewrite what it does not understand. Namespace prefixes
(``<x:row>``, as some generators write) are tolerated.
"""

from __future__ import annotations

import os
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from xlcollab.io.zipwriter import Member, ZipWriter
from xlcollab.model.a1 import split_ref

__all__ = [
    "Package",
    "PackageError",
    "part_rels",
    "sheet_parts",
    "table_head",
    "table_span",
    "table_header",
    "table_body",
    "changed_tail",
    "check_well_formed",
    "write_package",
    "raw_member",
    "Deflating",
    "Styles",
    "prefix_of",
    "attr",
    "xml_safe",
    "is_xml_safe",
    "set_attr",
    "del_attr",
    "xml_text",
    "unescape",
    "is_date_format",
]

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
REL_TABLE = "/table"
REL_CALC_CHAIN = "/calcChain"


class PackageError(Exception):
    """The package lacks something write-back needs (a sheet, a table...)."""


# --------------------------------------------------------------- xml bits ---
def prefix_of(xml: bytes, local: bytes) -> bytes:
    """The namespace prefix (with colon, or b"") the part uses for the
    element ``local`` of the main namespace, e.g. b"x:" for ``<x:row>``."""
    m = re.search(rb"<([A-Za-z_][\w.-]*:)?" + local + rb"[\s>/]", xml)
    return (m.group(1) or b"") if m else b""


_ATTR_RES: dict[bytes, re.Pattern] = {}


def attr(attrs: bytes, name: bytes) -> bytes | None:
    """The value of attribute ``name`` in ``attrs`` (raw, not unescaped)."""
    pat = _ATTR_RES.get(name)
    if pat is None:
        pat = _ATTR_RES[name] = re.compile(
            rb"(?:^|\s)" + re.escape(name) + rb"""\s*=\s*(?:"([^"]*)"|'([^']*)')"""
        )
    m = pat.search(attrs)
    if m is None:
        return None
    return m.group(1) if m.group(1) is not None else m.group(2)


_SET_RES: dict[bytes, re.Pattern] = {}


def set_attr(attrs: bytes, name: bytes, value: bytes) -> bytes:
    """``attrs`` (the text between the tag name and ``>``) with ``name`` set."""
    pat = _SET_RES.get(name)
    if pat is None:
        pat = _SET_RES[name] = re.compile(
            rb"(^|\s)(" + re.escape(name) + rb')\s*=\s*("[^"]*"|\'[^\']*\')'
        )
    if pat.search(attrs):
        return pat.sub(lambda m: m.group(1) + name + b'="' + value + b'"', attrs, count=1)
    return attrs.rstrip() + b" " + name + b'="' + value + b'"'


_DEL_RES: dict[bytes, re.Pattern] = {}


def del_attr(attrs: bytes, name: bytes) -> bytes:
    pat = _DEL_RES.get(name)
    if pat is None:
        pat = _DEL_RES[name] = re.compile(
            rb"\s" + re.escape(name) + rb"""\s*=\s*("[^"]*"|'[^']*')"""
        )
    return pat.sub(b"", attrs) if name in attrs else attrs


def xml_text(value: str) -> bytes:
    """Text content escaped for XML (characters XML 1.0 forbids dropped)."""
    import html

    return html.escape(xml_safe(value), quote=True).encode("utf-8")


def unescape(text: str) -> str:
    """XML text or an attribute's value with its character references and
    entities resolved (``html.unescape``). Text without an ``&`` has none:
    then the html module and its table of entities are not even imported."""
    if "&" not in text:
        return text
    import html

    return html.unescape(text)


_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold (control
    characters a cell may carry, U+FFFE, U+FFFF)."""
    return _ILLEGAL_XML.sub("", text)


def is_xml_safe(text: str) -> bool:
    """Whether ``xml_safe(text) == text``, without making the copy."""
    return _ILLEGAL_XML.search(text) is None


_PARSE_CHUNK = 1 << 20


_ROOT_START = re.compile(rb"<(?:[\w.-]+:)?worksheet\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>")
_SHEET_DATA_END = re.compile(rb"</(?:[\w.-]+:)?sheetData>")


def changed_tail(xml: bytes, before: bytes) -> bytes | None:
    """When the worksheet ``xml`` is ``before`` up to the end of its cells
    (``</sheetData>``) and only what follows changed (conditional formats,
    say), the part to parse in its stead: the root's start tag and what
    follows the cells. None when that does not hold, or when the unchanged
    bytes hold anything (``<!``: a comment, CDATA, a DOCTYPE; ``<?`` after
    the root's start) that could hide the end of the cells."""
    end = xml.rfind(b"sheetData>")
    if end == -1:
        return None
    start = xml.rfind(b"</", max(0, end - 40), end)
    if start == -1 or not _SHEET_DATA_END.fullmatch(xml, start, end + 10):
        return None
    cut = end + len(b"sheetData>")
    if len(before) < cut or not xml.startswith(memoryview(before)[:cut]):
        return None
    root = _ROOT_START.search(xml, 0, 4096)
    if root is None or xml.find(b"<!", 0, cut) != -1 or xml.find(b"<?", root.end(), cut) != -1:
        return None
    return root.group(0) + xml[cut:]


def check_well_formed(name: str, xml: bytes, before: bytes | None = None) -> None:
    """Raise PackageError unless ``xml`` is well-formed XML (expat, no
    tree is built; a DOCTYPE is refused).

    ``before`` is the part as the workbook had it: when the patch changed
    only what follows a worksheet's cells (:func:`changed_tail`), only that
    is parsed, after the root's start tag. The bytes before are the
    workbook's own, unchanged, and were read before the patch; a worksheet
    of 50 MB whose marks alone changed is then checked in a moment."""
    from xml.parsers import expat  # writing only: reading never parses with it

    if before is not None:
        xml = changed_tail(xml, before) or xml
    parser = expat.ParserCreate()

    def no_doctype(*_):
        raise PackageError(f"{name}: unexpected DOCTYPE")

    parser.StartDoctypeDeclHandler = no_doctype
    try:
        # Fed in pieces (expat is a streaming parser: the verdict is the
        # same): one Parse call holds the GIL throughout, which would stall
        # a thread deflating the part meanwhile (see writeback.patch_package)
        # each time zlib needs the GIL for its next output block.
        view = memoryview(xml)
        for i in range(0, len(xml), _PARSE_CHUNK):
            parser.Parse(view[i : i + _PARSE_CHUNK], False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise PackageError(f"{name}: not well-formed XML after patching ({exc})") from exc


# --------------------------------------------------------------- package ---
def _resolve(base_dir: str, target: str) -> str:
    if target.startswith("/"):
        return target[1:]
    return posixpath.normpath(posixpath.join(base_dir, target))


def rels_name(part: str) -> str:
    d, f = posixpath.split(part)
    return posixpath.join(d, "_rels", f + ".rels")


_REL = re.compile(rb"<(?:[\w.-]+:)?Relationship\b([^>]*?)/?>")


# ------------------------------------------------------------ part index ---
_TABLE = re.compile(rb"<(?:[\w.-]+:)?table\b([^>]*)>")


def part_rels(read: Callable[[str], bytes], names, part: str) -> list[dict[str, str]]:
    """The relationships of ``part``: dicts with Id, Type and the resolved
    zip member ``Target`` (External targets left as written). ``read``
    gives a member's bytes, ``names`` are the package's members."""
    name = rels_name(part)
    if name not in names:
        return []
    out = []
    base = posixpath.dirname(part)
    for m in _REL.finditer(read(name)):
        a = m.group(1)
        rel = {
            k: unescape((attr(a, k.encode()) or b"").decode("utf-8"))
            for k in ("Id", "Type", "Target", "TargetMode")
        }
        if rel["TargetMode"] != "External":
            rel["Target"] = _resolve(base, rel["Target"])
        out.append(rel)
    return out


def sheet_parts(read: Callable[[str], bytes], names) -> dict[str, str]:
    """Sheet name (as the workbook shows it) -> zip member of its XML, the
    one reader of the workbook's sheet index (write-back and the scan)."""
    targets = {r["Id"]: r["Target"] for r in part_rels(read, names, "xl/workbook.xml")}
    out = {}
    for m in re.finditer(rb"<(?:[\w.-]+:)?sheet\b([^>]*?)/?>", read("xl/workbook.xml")):
        a = m.group(1)
        name = attr(a, b"name")
        rid = attr(a, b"r:id")
        if rid is None:  # any prefix bound to the relationships namespace
            rm = re.search(rb'\s[\w.-]+:id="([^"]*)"', a)
            rid = rm.group(1) if rm else None
        if name is not None and rid is not None:
            target = targets.get(rid.decode("utf-8"))
            if target:
                out[unescape(name.decode("utf-8"))] = target
    return out


def table_head(xml: bytes) -> re.Match | None:
    """The ``<table ...>`` start tag of a table part (group 1: attributes)."""
    return _TABLE.search(xml)


def table_span(head: bytes) -> tuple[int, int, int, int]:
    """(first body row, last row, first column, last column) of a table from
    the attributes of its start tag (its ``ref`` and ``headerRowCount``)."""
    ref = (attr(head, b"ref") or b"").decode()
    a, _, b = ref.partition(":")
    r1, c1 = split_ref(a)
    r2, c2 = split_ref(b or a)
    return r1 + int(attr(head, b"headerRowCount") or 1), r2, c1, c2


_TABLE_COLUMN = re.compile(rb"<(?:[\w.-]+:)?tableColumn\b([^>]*?)/?>")


def table_header(
    read: Callable[[str], bytes], names, sheet_part: str
) -> tuple[int, int, list[str]] | None:
    """(header row, first column, column names) of the one Excel table on
    the worksheet ``sheet_part``, from the table's definition: Excel keeps
    a table's column names equal to its header cells, so the header is
    known without parsing the sheet. None when the sheet has no table or
    several, or its table has no header row or does not add up."""
    tables = [
        r["Target"] for r in part_rels(read, names, sheet_part) if r["Type"].endswith(REL_TABLE)
    ]
    if len(tables) != 1 or tables[0] not in names:
        return None
    xml = read(tables[0])
    m = table_head(xml)
    if m is None or attr(m.group(1), b"headerRowCount") not in (None, b"1"):
        return None
    _first, _last, c1, c2 = table_span(m.group(1))
    row = split_ref((attr(m.group(1), b"ref") or b"").decode().partition(":")[0])[0]
    found = [attr(c.group(1), b"name") for c in _TABLE_COLUMN.finditer(xml, m.end())]
    if len(found) != c2 - c1 + 1 or any(n is None for n in found):
        return None
    return row, c1, [unescape(n.decode("utf-8")) for n in found if n is not None]


@dataclass
class Package:
    """A workbook package read into memory: its bytes and its zip index."""

    data: bytes
    zf: zipfile.ZipFile = field(init=False)

    def __post_init__(self):
        import io

        try:
            self.zf = zipfile.ZipFile(io.BytesIO(self.data))
        except zipfile.BadZipFile as exc:
            raise PackageError(f"not a workbook package: {exc}") from exc
        self.names = set(self.zf.namelist())
        self._cache: dict[str, bytes] = {}

    def read(self, name: str) -> bytes:
        if name not in self._cache:
            try:
                self._cache[name] = self.zf.read(name)
            except KeyError:
                raise PackageError(f"part {name} is missing") from None
        return self._cache[name]

    def rels(self, part: str) -> list[dict[str, str]]:
        """The relationships of ``part`` (see :func:`part_rels`)."""
        return part_rels(self.read, self.names, part)

    def sheet_parts(self) -> dict[str, str]:
        """Sheet name (as the workbook shows it) -> zip member of its XML."""
        return sheet_parts(self.read, self.names)

    def tables_of(self, sheet_part: str) -> list[str]:
        return [r["Target"] for r in self.rels(sheet_part) if r["Type"].endswith(REL_TABLE)]

    @property
    def date1904(self) -> bool:
        m = re.search(rb"<(?:[\w.-]+:)?workbookPr\b([^>]*?)/?>", self.read("xl/workbook.xml"))
        value = attr(m.group(1), b"date1904") if m else None
        return value in (b"1", b"true")

    def calc_chain(self) -> str | None:
        for r in self.rels("xl/workbook.xml"):
            if r["Type"].endswith(REL_CALC_CHAIN):
                return r["Target"]
        return None


# ------------------------------------------------------------- zip write ---
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
_RAW_LIMIT = 0x7FFF0000


def raw_member(pkg: Package, info: zipfile.ZipInfo) -> bytes | None:
    """The compressed bytes of ``info`` as stored, or None when a raw copy
    is not safe (encrypted, zip64-sized, a header that does not add up)."""
    if info.flag_bits & 0x1 or info.compress_size > _RAW_LIMIT or info.file_size > _RAW_LIMIT:
        return None
    start = info.header_offset
    head = pkg.data[start : start + _LOCAL_HEADER.size]
    if len(head) != _LOCAL_HEADER.size or head[:4] != b"PK\x03\x04":
        return None
    fields = _LOCAL_HEADER.unpack(head)
    name_len, extra_len = fields[-2], fields[-1]
    begin = start + _LOCAL_HEADER.size + name_len + extra_len
    raw = pkg.data[begin : begin + info.compress_size]
    return raw if len(raw) == info.compress_size else None


PATCHED_LEVEL = 6  # zlib level of rewritten parts (zipfile's default)
PRECOMPRESS_MIN = 64 * 1024  # smaller parts are not worth a thread


def deflate_part(data: bytes) -> tuple[bytes, int, bytes]:
    """(data, CRC-32, raw deflate stream) of ``data``, exactly the bytes
    ``ZipFile.writestr(..., compresslevel=PATCHED_LEVEL)`` would store.
    zlib releases the GIL while it works, so this can run in a thread
    beside Python work (the well-formedness check) on another core."""
    co = zlib.compressobj(PATCHED_LEVEL, zlib.DEFLATED, -15)
    return data, zlib.crc32(data), co.compress(data) + co.flush()


class Deflating:
    """Patched parts of ``pkg`` deflated (:func:`deflate_part`) on two
    worker threads while the caller goes on patching or checking: zlib
    releases the GIL, so a part deflates on the other core as soon as it is
    final. Only large parts that the package stores deflated are taken."""

    def __init__(self, pkg: Package):
        self.pkg = pkg
        self._pool: Any = None
        self._jobs: dict[str, tuple[bytes, Any]] = {}

    def add(self, name: str, data: bytes) -> None:
        """Start deflating ``data``, the new bytes of part ``name``."""
        if len(data) < PRECOMPRESS_MIN or name not in self.pkg.names:
            return
        if self.pkg.zf.getinfo(name).compress_type != zipfile.ZIP_DEFLATED:
            return
        job = self._jobs.get(name)
        if job is not None and job[0] is data:
            return
        if self._pool is None:
            from concurrent.futures import ThreadPoolExecutor

            self._pool = ThreadPoolExecutor(2, thread_name_prefix="xlcollab-deflate")
        self._jobs[name] = (data, self._pool.submit(deflate_part, data))

    def results(self, parts: dict[str, bytes]) -> dict[str, tuple[bytes, int, bytes]]:
        """Wait for every part started; the results for the very bytes
        ``parts`` holds now (for :func:`write_package`)."""
        out = {}
        try:
            for name, (data, job) in self._jobs.items():
                done = job.result()
                if parts.get(name) is data:
                    out[name] = done
        finally:
            self.close()
        return out

    def close(self) -> None:
        """Stop: no part not yet started is deflated."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)


def write_package(
    pkg: Package,
    target,
    patched: dict[str, bytes],
    removed: frozenset[str] = frozenset(),
    compressed: dict[str, tuple[bytes, int, bytes]] | None = None,
) -> None:
    """Write ``pkg`` to the path or binary file ``target``: members in their
    order, each patched part replaced by its new bytes (same name, date and
    compression), members in ``removed`` left out, every other member's
    compressed bytes copied as they are.

    ``compressed`` may hold :func:`deflate_part` results for patched parts,
    computed ahead; they are used only for the very bytes object in
    ``patched`` and give the same file as compressing here.

    The archive is written by :class:`xlcollab.io.zipwriter.ZipWriter`, the very bytes
    ``zipfile.ZipFile`` would write for these members. A package too large for that (a part
    or the whole over 2 GB, which needs ZIP64 records) is written by ``zipfile`` itself, every
    part compressed again."""
    members = [
        _member(pkg, info, patched, compressed)
        for info in pkg.zf.infolist()
        if info.filename not in removed
    ]
    size = sum(len(m.raw) + 2 * len(m.name.encode("utf-8")) + 100 for m in members)
    if ZipWriter.fits(len(members), size) and all(_small(m) for m in members):
        if isinstance(target, (str, os.PathLike)):
            with open(target, "wb") as fh:
                _write_members(fh, members)
        else:
            _write_members(target, members)
        return
    _write_with_zipfile(pkg, target, patched, removed)


def _write_members(fh, members: list[Member]) -> None:
    writer = ZipWriter(fh)
    for m in members:
        writer.add(m)
    writer.close()


def _small(m: Member) -> bool:
    """A member ``zipfile`` writes without a ZIP64 extra field (its test: 5% slack)."""
    limit = zipfile.ZIP64_LIMIT
    return m.file_size * 1.05 <= limit and len(m.raw) <= limit


def _member(
    pkg: Package,
    info: zipfile.ZipInfo,
    patched: dict[str, bytes],
    compressed: dict[str, tuple[bytes, int, bytes]] | None,
) -> Member:
    """The member ``info`` becomes: a patched part compressed anew (deflate, or stored if it
    was stored), an unchanged one's own compressed bytes, or, where those cannot be copied
    safely, its content compressed anew."""
    name = info.filename
    if name in patched:
        data = patched[name]
        stored = info.compress_type == zipfile.ZIP_STORED
        pre = compressed.get(name) if compressed else None
        if stored:
            crc, raw = zlib.crc32(data), data
        elif pre is not None and pre[0] is data:
            crc, raw = pre[1], pre[2]
        else:
            _data, crc, raw = deflate_part(data)
        return _fresh(info, data, crc, raw, stored)
    raw = raw_member(pkg, info)
    if raw is None:
        data = pkg.zf.read(name)
        stored = info.compress_type == zipfile.ZIP_STORED
        if stored:
            return _fresh(info, data, zlib.crc32(data), data, stored)
        _data, crc, raw = deflate_part(data)
        return _fresh(info, data, crc, raw, stored)
    return Member(
        name=name,
        date_time=info.date_time,
        compress_type=info.compress_type,
        crc=info.CRC,
        file_size=info.file_size,
        raw=raw,
        flag_bits=info.flag_bits & ~0x08 & 0xFFFF,  # sizes are in the header now
        external_attr=info.external_attr,
        create_system=info.create_system,
        create_version=info.create_version,
        extract_version=info.extract_version,
    )


def _fresh(info: zipfile.ZipInfo, data: bytes, crc: int, raw: bytes, stored: bool) -> Member:
    """A member written anew, with the header ``ZipFile.writestr`` gives it: flags 0, the
    default versions, the original's date and attributes (read-write for the owner when it
    had none). Compression is deflate, or none for a part that was stored: an OPC package
    allows only these two."""
    return Member(
        name=info.filename,
        date_time=info.date_time,
        compress_type=zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED,
        crc=crc,
        file_size=len(data),
        raw=raw,
        external_attr=info.external_attr or 0o600 << 16,
        create_system=info.create_system,
    )


def _write_with_zipfile(
    pkg: Package, target, patched: dict[str, bytes], removed: frozenset[str]
) -> None:
    """The same package through ``zipfile``'s public interface (ZIP64 where needed); every
    part is compressed again, its content unchanged."""
    with zipfile.ZipFile(target, "w", allowZip64=True) as out:
        for info in pkg.zf.infolist():
            name = info.filename
            if name in removed:
                continue
            zi = zipfile.ZipInfo(name, info.date_time)
            stored = info.compress_type == zipfile.ZIP_STORED
            zi.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            zi.external_attr = info.external_attr
            zi.create_system = info.create_system
            data = patched[name] if name in patched else pkg.zf.read(name)
            out.writestr(zi, data, compresslevel=PATCHED_LEVEL)


# ---------------------------------------------------------------- styles ---
_BUILTIN_DATE_FORMATS = frozenset(
    {14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 30, 36, 45, 46, 47, 50, 57}
)
DEFAULT_DATE_FORMAT = "yyyy-mm-dd"


def is_date_format(num_fmt_id: int, code: str | None) -> bool:
    if code is None:
        return num_fmt_id in _BUILTIN_DATE_FORMATS
    # strip quoted text, escapes and [colour]/[locale] sections
    bare = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", code)
    return bool(re.search(r"[dmyhs]", bare, re.I)) and "General" not in code


class Styles:
    """``xl/styles.xml`` as bytes, with the few edits write-back makes:
    a date style derived from a cell's style, and differential formats
    (dxf) for conditional formatting. Each addition reuses an identical
    existing entry; the rest of the part stays byte for byte."""

    def __init__(self, xml: bytes):
        self.xml = xml
        self.p = prefix_of(xml, b"styleSheet")
        self.changed = False
        self._xfs: list[bytes] | None = None
        self._fmts: dict[int, str] | None = None
        self._date_styles: dict[tuple[int, str], int] = {}

    # -- sections
    def _section(self, local: bytes) -> re.Match | None:
        p = re.escape(self.p)
        return re.search(
            rb"<" + p + local + rb"\b([^>]*?)(?:/>|>(.*?)</" + p + local + rb">)", self.xml, re.S
        )

    def _items(self, section: re.Match | None, local: bytes) -> list[bytes]:
        if section is None or section.group(2) is None:
            return []
        p = re.escape(self.p)
        pat = re.compile(rb"<" + p + local + rb"\b(?:[^>]*?/>|.*?</" + p + local + rb">)", re.S)
        return pat.findall(section.group(2))

    def _append(
        self, local: bytes, item_local: bytes, item: bytes, after: tuple[bytes, ...]
    ) -> int:
        """Append ``item`` to the section ``local`` (created after the
        first of ``after`` found, when absent); returns its index."""
        sec = self._section(local)
        p = self.p
        if sec is None:
            pos = None
            for name in after:
                prev = self._section(name)
                if prev is not None:
                    pos = prev.end()
                    break
            if pos is None:
                m = re.search(rb"<" + re.escape(p) + rb"styleSheet\b[^>]*>", self.xml)
                pos = m.end()
            block = b"<" + p + local + b' count="1">' + item + b"</" + p + local + b">"
            self.xml = self.xml[:pos] + block + self.xml[pos:]
            self.changed = True
            self._xfs = self._fmts = None
            return 0
        items = self._items(sec, item_local)
        attrs = set_attr(sec.group(1), b"count", str(len(items) + 1).encode())
        body = (sec.group(2) or b"") + item
        new = b"<" + p + local + attrs + b">" + body + b"</" + p + local + b">"
        self.xml = self.xml[: sec.start()] + new + self.xml[sec.end() :]
        self.changed = True
        self._xfs = self._fmts = None
        return len(items)

    # -- number formats and cell styles
    def num_formats(self) -> dict[int, str]:
        if self._fmts is not None:
            return self._fmts
        out = self._fmts = {}
        for item in self._items(self._section(b"numFmts"), b"numFmt"):
            i, code = attr(item, b"numFmtId"), attr(item, b"formatCode")
            if i is not None and code is not None:
                out[int(i)] = unescape(code.decode("utf-8"))
        return out

    def cell_xfs(self) -> list[bytes]:
        if self._xfs is None:
            self._xfs = self._items(self._section(b"cellXfs"), b"xf")
        return self._xfs

    def is_date_style(self, s: int) -> bool:
        xfs = self.cell_xfs()
        if not 0 <= s < len(xfs):
            return False
        fid = int(attr(xfs[s], b"numFmtId") or b"0")
        return is_date_format(fid, self.num_formats().get(fid))

    def _num_fmt_id(self, code: str) -> int:
        fmts = self.num_formats()
        for i, c in fmts.items():
            if c == code:
                return i
        new_id = max([163, *fmts]) + 1
        item = (
            b"<"
            + self.p
            + b'numFmt numFmtId="'
            + str(new_id).encode()
            + b'" formatCode="'
            + xml_text(code)
            + b'"/>'
        )
        self._append(b"numFmts", b"numFmt", item, ())
        return new_id

    def date_style(self, s: int, code: str = DEFAULT_DATE_FORMAT) -> int:
        """A cell style index showing a date: ``s`` itself when it already
        does, else ``s`` with the number format ``code`` (reused or added)."""
        key = (s, code)
        if key not in self._date_styles:
            self._date_styles[key] = self._date_style(s, code)
        return self._date_styles[key]

    def _date_style(self, s: int, code: str) -> int:
        if self.is_date_style(s):
            return s
        fid = str(self._num_fmt_id(code)).encode()
        xfs = self.cell_xfs()
        if not xfs:
            raise PackageError("styles.xml has no cellXfs")
        base = xfs[s] if 0 <= s < len(xfs) else xfs[0]
        m = re.match(rb"<([\w.:-]+)([^>]*?)(/?>)", base)
        attrs = set_attr(m.group(2), b"numFmtId", fid)
        attrs = set_attr(attrs, b"applyNumberFormat", b"1")
        xf = b"<" + m.group(1) + attrs + m.group(3) + base[m.end() :]
        for i, existing in enumerate(xfs):
            if existing == xf:
                return i
        return self._append(b"cellXfs", b"xf", xf, ())

    # -- differential formats
    def dxf(self, fill_rgb: str, font_rgb: str) -> int:
        """Index of a dxf with this solid fill and font colour (ARGB or
        RGB hex), reused when an identical one exists."""
        p = self.p
        argb = [(c if len(c) == 8 else "FF" + c).upper().encode() for c in (font_rgb, fill_rgb)]
        item = (
            b"<"
            + p
            + b"dxf><"
            + p
            + b"font><"
            + p
            + b'color rgb="'
            + argb[0]
            + b'"/></'
            + p
            + b"font><"
            + p
            + b"fill><"
            + p
            + b'patternFill patternType="solid"><'
            + p
            + b'fgColor rgb="'
            + argb[1]
            + b'"/><'
            + p
            + b'bgColor rgb="'
            + argb[1]
            + b'"/></'
            + p
            + b"patternFill></"
            + p
            + b"fill></"
            + p
            + b"dxf>"
        )
        for i, existing in enumerate(self._items(self._section(b"dxfs"), b"dxf")):
            if existing == item:
                return i
        return self._append(b"dxfs", b"dxf", item, (b"cellStyles", b"cellXfs"))


def table_body(raw: bytes, sheet_name: str) -> tuple[int, int] | None:
    """(first, last) body row of the first Excel table on the sheet named
    ``sheet_name`` of the package ``raw`` (bytes); None when it has none."""
    try:
        pkg = Package(raw)
        part = pkg.sheet_parts().get(sheet_name)
        if part is None:
            return None
        for t in pkg.tables_of(part):
            m = table_head(pkg.read(t))
            if m:
                first, last, _, _ = table_span(m.group(1))
                return first, last
    except Exception:  # noqa: BLE001 - an odd package: no free rows, said so by the caller
        return None
    return None
