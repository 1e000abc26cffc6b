"""Write a zip archive from members whose compressed bytes are already known.

:func:`xlcollab.io.ooxml.write_package` copies a workbook's unchanged parts byte for byte:
their deflate streams go into the new package as they are, never decompressed and compressed
again. The standard library's :class:`zipfile.ZipFile` cannot take a compressed stream through
its public interface, so this module writes the archive itself (APPNOTE.TXT: a local header
and the stored bytes per member, then the central directory and its end record), with the very
header layout ``ZipFile`` writes, so a package written here is the one ``ZipFile`` would write.

Only archives that need no ZIP64 records are written here (every size and offset below
:data:`zipfile.ZIP64_LIMIT`, fewer than 65,535 members): :meth:`ZipWriter.fits` tells, and
the caller lets ``ZipFile`` write anything larger.
"""

from __future__ import annotations

import struct
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

__all__ = ["Member", "ZipWriter", "ZIP_VERSION"]

ZIP_VERSION = 20  # "version needed to extract" and "made by" of a plain deflate member

_LOCAL = struct.Struct("<4s2B4HL2L2H")  # local file header
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")  # central directory file header
_END = struct.Struct("<4s4H2LH")  # end of central directory record
_UTF8 = 0x800  # general purpose flag: the name is UTF-8
_MAX_MEMBERS = 0xFFFF


@dataclass(frozen=True)
class Member:
    """One archive member: its header fields and its compressed bytes."""

    name: str
    date_time: tuple[int, int, int, int, int, int]
    compress_type: int
    crc: int
    file_size: int
    raw: bytes  # the compressed (or stored) bytes, exactly as they go into the archive
    flag_bits: int = 0
    external_attr: int = 0
    create_system: int = 3
    create_version: int = ZIP_VERSION
    extract_version: int = ZIP_VERSION

    def encoded_name(self) -> tuple[bytes, int]:
        """The name's bytes and the flags that go with them (ASCII, else UTF-8)."""
        try:
            return self.name.encode("ascii"), self.flag_bits
        except UnicodeEncodeError:
            return self.name.encode("utf-8"), self.flag_bits | _UTF8

    def dos_time(self) -> tuple[int, int]:
        y, mo, d, h, mi, s = self.date_time
        return (h << 11 | mi << 5 | s // 2), ((y - 1980) << 9 | mo << 5 | d)


class ZipWriter:
    """Members written one after another to a binary file, then the directory."""

    def __init__(self, fh: BinaryIO):
        self.fh = fh
        self.offset = 0
        self.entries: list[tuple[Member, int]] = []  # member, offset of its local header

    @staticmethod
    def fits(members_count: int, total_bytes: int) -> bool:
        """Whether an archive of this many members and about this many bytes (compressed data,
        names and headers) needs no ZIP64 record."""
        return members_count < _MAX_MEMBERS and total_bytes < zipfile.ZIP64_LIMIT

    def add(self, m: Member) -> None:
        name, flags = m.encoded_name()
        time, date = m.dos_time()
        head = _LOCAL.pack(
            b"PK\x03\x04",
            m.extract_version,
            0,  # reserved
            flags,
            m.compress_type,
            time,
            date,
            m.crc,
            len(m.raw),
            m.file_size,
            len(name),
            0,  # no extra field
        )
        self.entries.append((m, self.offset))
        self._write(head + name)
        self._write(m.raw)

    def close(self) -> None:
        start = self.offset
        for m, header_offset in self.entries:
            name, flags = m.encoded_name()
            time, date = m.dos_time()
            self._write(
                _CENTRAL.pack(
                    b"PK\x01\x02",
                    m.create_version,
                    m.create_system,
                    m.extract_version,
                    0,  # reserved
                    flags,
                    m.compress_type,
                    time,
                    date,
                    m.crc,
                    len(m.raw),
                    m.file_size,
                    len(name),
                    0,  # extra field
                    0,  # comment
                    0,  # disk number
                    0,  # internal attributes
                    m.external_attr,
                    header_offset,
                )
                + name
            )
        size = self.offset - start
        count = len(self.entries)
        self._write(_END.pack(b"PK\x05\x06", 0, 0, count, count, size, start, 0))

    def _write(self, data: bytes) -> None:
        self.fh.write(data)
        self.offset += len(data)
