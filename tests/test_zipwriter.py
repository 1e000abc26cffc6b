"""The package writer: unchanged parts copied as compressed, new parts as ``zipfile`` writes
them, and the archive ``zipfile`` itself would write, through public interfaces only."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pytest

from xlcollab.io import ooxml
from xlcollab.io.ooxml import PATCHED_LEVEL, Package, write_package

WORKBOOKS = sorted(
    p
    for p in (Path(__file__).resolve().parents[1] / "workbooks").iterdir()
    if p.suffix in (".xlsx", ".xlsm", ".xlam")
)


def _stored_bytes(data: bytes, info: zipfile.ZipInfo) -> bytes:
    """The compressed bytes of a member, found through its local header."""
    head = data[info.header_offset : info.header_offset + 30]
    name_len, extra_len = struct.unpack("<2H", head[26:30])
    start = info.header_offset + 30 + name_len + extra_len
    return data[start : start + info.compress_size]


def _zipfile_reference(pkg: Package, parts: dict[str, bytes]) -> bytes:
    """What ``zipfile.writestr`` writes for every member given anew."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in pkg.zf.infolist():
            zi = zipfile.ZipInfo(info.filename, info.date_time)
            zi.compress_type = info.compress_type
            zi.external_attr = info.external_attr
            zi.create_system = info.create_system
            z.writestr(zi, parts[info.filename], compresslevel=PATCHED_LEVEL)
    return out.getvalue()


@pytest.mark.parametrize("path", WORKBOOKS, ids=lambda p: p.name)
def test_unchanged_parts_keep_their_compressed_bytes(path):
    data = path.read_bytes()
    pkg = Package(data)
    first = pkg.zf.infolist()[0].filename
    out = io.BytesIO()
    write_package(pkg, out, {first: pkg.read(first) + b" "})
    new = out.getvalue()
    with zipfile.ZipFile(io.BytesIO(new)) as z:
        assert z.testzip() is None
        assert [i.filename for i in z.infolist()] == pkg.zf.namelist()
        for a, b in zip(pkg.zf.infolist()[1:], z.infolist()[1:], strict=True):
            assert _stored_bytes(new, b) == _stored_bytes(data, a), a.filename
            assert (b.CRC, b.compress_type, b.date_time) == (a.CRC, a.compress_type, a.date_time)
        assert z.read(first) == pkg.read(first) + b" "


@pytest.mark.parametrize("path", WORKBOOKS, ids=lambda p: p.name)
def test_parts_written_anew_are_the_bytes_zipfile_writes(path):
    pkg = Package(path.read_bytes())
    parts = {n: pkg.read(n) + b"<!-- changed -->" for n in pkg.zf.namelist()}
    ahead = {n: ooxml.deflate_part(d) for i, (n, d) in enumerate(parts.items()) if i % 2}
    out = io.BytesIO()
    write_package(pkg, out, parts, compressed=ahead)
    assert out.getvalue() == _zipfile_reference(pkg, parts)


def test_a_package_too_large_for_a_plain_zip_goes_through_zipfile(monkeypatch, tmp_path):
    pkg = Package(WORKBOOKS[0].read_bytes())
    monkeypatch.setattr(ooxml.ZipWriter, "fits", staticmethod(lambda count, size: False))
    target = tmp_path / "big.xlsx"
    gone = pkg.zf.namelist()[-1]
    write_package(pkg, target, {}, removed=frozenset({gone}))
    with zipfile.ZipFile(target) as z:
        assert z.testzip() is None
        assert z.namelist() == [n for n in pkg.zf.namelist() if n != gone]
        assert all(z.read(n) == pkg.read(n) for n in z.namelist())


def test_a_stored_part_stays_stored_and_a_utf8_name_keeps_its_flag():
    src = io.BytesIO()
    with zipfile.ZipFile(src, "w") as z:
        z.writestr("xl/media/图片.png", bytes(range(256)) * 8, compress_type=zipfile.ZIP_STORED)
        z.writestr("xl/a.xml", b"<a/>" * 100, compress_type=zipfile.ZIP_DEFLATED)
    pkg = Package(src.getvalue())
    out = io.BytesIO()
    write_package(pkg, out, {"xl/media/图片.png": b"png"})
    with zipfile.ZipFile(out) as z:
        info = z.getinfo("xl/media/图片.png")
        assert info.compress_type == zipfile.ZIP_STORED and info.flag_bits & 0x800
        assert z.read("xl/media/图片.png") == b"png"
        assert z.read("xl/a.xml") == b"<a/>" * 100
