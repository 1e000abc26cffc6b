"""Bounds on any file, checked before a parser sees any of it.

A workbook is a zip package of XML parts. Native parsers trust what a
package declares: python-calamine reserves memory for as many shared strings
as ``<sst uniqueCount>`` says, and for the whole rectangle between a sheet's
first and last cell; a deflate stream can inflate a thousand times. A file
built to exploit that would exhaust memory or abort the process inside the
native code, with no message. So :func:`inspect` looks at the package first,
with Python's own zip reader and bounded reads:

- the zip central directory: the number of parts, each part's and the
  total uncompressed size, and each big part's compression ratio;
- the nesting depth of every small XML part (parsed with a streaming
  parser that only counts);
- the counts that ``xl/sharedStrings.xml`` declares (``count``,
  ``uniqueCount``), against a ceiling and against the part's own size;
- for each sheet the reader will parse (the schema's tables, forms and
  lists, not a view such as the Gantt, which calamine never opens),
  streamed in chunks: the area its
  ``<dimension ref>`` declares, the area its cells really span (last row,
  last column), and the error values (``#N/A`` ...) its cells hold, which
  calamine shows as empty cells (see :mod:`xlcollab.io.scan`). A part that
  inflates beyond its declared size fails its CRC and is refused as damaged.

A file outside the limits raises :class:`Refused` (the reader turns it into
a message naming the file and the reason, exit code 2). :data:`CEILINGS`
are hard: nothing beyond them reaches a parser. The 参数 sheet can set
lower or higher limits for rows per sheet and for the unpacked size, within
those ceilings (:func:`settings_limits`), applied once the settings are read.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass, field, replace
from typing import IO

import numpy as np

from xlcollab.io.scan import ErrorStream, zip_sheet_parts
from xlcollab.model.a1 import col_index, col_letter
from xlcollab.schema import MAX_ROWS, SETTINGS, Kind, sheet_by_name

__all__ = [
    "Limits",
    "CEILINGS",
    "Refused",
    "PackageInfo",
    "inspect",
    "check_package",
    "scan_sheet",
    "parsed",
    "settings_limits",
    "size",
    "widest_column",
]

MiB = 1024 * 1024
CHUNK = 1 * MiB  # parts are streamed in pieces this big
RATIO_FLOOR = 4 * MiB  # a part smaller than this may compress as well as it likes
DEPTH_SCAN_MAX = 8 * MiB  # XML parts up to this size are checked for nesting depth
MAX_COLS = 16_384  # Excel's last column, XFD


@dataclass(frozen=True)
class Limits:
    parts: int  # members of the zip
    part_bytes: int  # one part, uncompressed
    total_bytes: int  # all parts, uncompressed
    ratio: int  # uncompressed / compressed, for parts above RATIO_FLOOR
    rows: int  # the last row of a sheet the reader parses
    cells: int  # rows x columns of such a sheet's area (declared or used)
    strings: int  # shared strings declared
    depth: int  # XML element nesting


# What a hostile package can cost at most: a sheet at the cell ceiling reads
# within about 1 GiB (see README, "读取限制 / reading limits").
CEILINGS = Limits(
    parts=10_000,
    part_bytes=256 * MiB,
    total_bytes=512 * MiB,
    ratio=200,
    rows=MAX_ROWS,
    cells=2_000_000,
    strings=4_000_000,
    depth=128,
)


class Refused(Exception):
    """The package is outside the limits; ``reason`` is a key of
    ``messages.DETAILS``, ``values`` fill its text."""

    def __init__(self, reason: str, **values):
        super().__init__(reason, values)
        self.reason = reason
        self.values = values


@dataclass
class PackageInfo:
    """What :func:`inspect` found: sheet name -> part, the unpacked size,
    the rows each parsed sheet spans, and the error cells of each."""

    parts: dict[str, str] = field(default_factory=dict)
    unpacked: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    errors: dict[str, dict[tuple[int, int], str]] = field(default_factory=dict)
    # part -> its bytes, unpacked for the depth check: the parsed sheets of
    # at most one CHUNK, which :func:`scan_sheet` then scans without
    # unpacking them again
    sheet_bytes: dict[str, bytes] = field(default_factory=dict, repr=False)


def size(n: int) -> str:
    """A byte count for a message: 1.5 GB, 300 MB, 12 KB."""
    for unit, scale in (("GB", 1024**3), ("MB", MiB), ("KB", 1024)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}".replace(".0 ", " ")
    return f"{n} B"


def settings_limits(settings: dict, base: Limits = CEILINGS) -> Limits:
    """``base`` with the 参数 sheet's rows-per-sheet and unpacked-size
    limits (their defaults when blank), never above ``base``."""

    def value(key: str) -> int:
        col = SETTINGS.col(key)
        v = settings.get(key)
        try:
            v = int(v)
        except (TypeError, ValueError):
            v = int(col.default)
        low = int(col.min) if col.min is not None else 1
        return max(low, v)

    return replace(
        base,
        rows=min(base.rows, value("max_sheet_rows")),
        total_bytes=min(base.total_bytes, value("max_unpacked_mb") * MiB),
    )


# ------------------------------------------------------------------ zip ---
def inspect(source: str | IO[bytes], limits: Limits = CEILINGS) -> PackageInfo:
    """Check the package at ``source`` (a path or a binary file object)
    against ``limits``: :func:`check_package`, then :func:`scan_sheet` on
    every sheet the reader parses. Raises :class:`Refused`, or
    ``zipfile.BadZipFile`` when it is not a zip package at all."""
    with zipfile.ZipFile(source) as zf:
        info = check_package(zf, limits)
        for name, part in info.parts.items():
            if parsed(name) and part in zf.NameToInfo:
                info.rows[name], info.errors[name] = scan_sheet(zf, name, part, limits)
        return info


def check_package(zf: zipfile.ZipFile, limits: Limits = CEILINGS) -> PackageInfo:
    """Everything but the sheets' own scans: the central directory, the
    depth (or CRC) of every other XML part, the shared strings' counts, and
    which part holds which sheet. A sheet the reader parses must then pass
    :func:`scan_sheet` before any parser sees it."""
    infos = zf.infolist()
    if len(infos) > limits.parts:
        raise Refused("too_many_parts", count=len(infos), limit=limits.parts)
    total = 0
    for info in infos:
        if info.file_size > limits.part_bytes:
            raise Refused(
                "part_too_big",
                part=info.filename,
                size=size(info.file_size),
                limit=size(limits.part_bytes),
            )
        total += info.file_size
        if total > limits.total_bytes:
            raise Refused("too_big", size=size(total), limit=size(limits.total_bytes))
        if info.file_size > RATIO_FLOOR and info.file_size > limits.ratio * max(
            info.compress_size, 1
        ):
            raise Refused(
                "ratio",
                part=info.filename,
                ratio=info.file_size // max(info.compress_size, 1),
                limit=limits.ratio,
            )
    found = PackageInfo(unpacked=total)
    unpacked = {}
    for item in infos:
        if not _is_xml(item.filename):
            continue
        if item.file_size <= DEPTH_SCAN_MAX:
            data = _check_depth(zf, item.filename, limits.depth)
            if item.file_size <= CHUNK and item.filename.startswith("xl/worksheets/"):
                unpacked[item.filename] = data
        elif not item.filename.startswith("xl/worksheets/"):
            for _chunk in _stream(zf, item.filename):  # its CRC: it inflates as declared
                pass
    found.parts = zip_sheet_parts(zf)
    found.sheet_bytes = {
        part: unpacked[part]
        for name, part in found.parts.items()
        if part in unpacked and parsed(name)
    }
    _check_strings(zf, limits)
    return found


def parsed(sheet_name: str) -> bool:
    """Whether the reader parses the sheet: a schema sheet that is no view."""
    sheet = sheet_by_name(sheet_name)
    return sheet is not None and sheet.kind is not Kind.VIEW


def _is_xml(name: str) -> bool:
    return name.endswith((".xml", ".rels", ".vml"))


def _stream(zf: zipfile.ZipFile, part: str):
    """A part's bytes in chunks; a part that inflates to other bytes than
    it declares (size or CRC) is refused as damaged."""
    try:
        with zf.open(part) as fh:
            while chunk := fh.read(CHUNK):
                yield chunk
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise Refused("damaged", part=part) from exc


# ---------------------------------------------------------------- depth ---
class _TooDeep(Exception):
    pass


def _check_depth(zf: zipfile.ZipFile, part: str, limit: int) -> bytes:
    """Refuse the part if its elements nest deeper than ``limit``; its bytes."""
    try:
        data = zf.read(part)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise Refused("damaged", part=part) from exc
    # no element nests deeper than the part has tags: a small part needs no count
    if data.count(b"<") > limit and _depth_at_most(data) > limit:
        _parse_depth(data, part, limit)
    return data


def _depth_at_most(data: bytes) -> int:
    """An upper bound of the element nesting a parser meets in ``data``,
    from its markup characters alone. It is exact while every ``<`` opens
    markup and every ``>`` closes it: text and attribute values holding a
    ``>``, comments, CDATA and declarations (``<!``) make it give up
    (returns a number above any limit)."""
    if b"<!" in data or data.count(b"<") != data.count(b">"):
        return 1 << 62
    a = np.frombuffer(data, dtype=np.uint8)
    lt = np.flatnonzero(a == ord("<"))  # where each tag opens ...
    gt = np.flatnonzero(a == ord(">"))  # ... and where it closes
    after = a[np.minimum(lt + 1, len(a) - 1)]
    opens = (after != ord("/")) & (after != ord("?"))
    closes = after == ord("/")
    empty = a[np.maximum(gt - 1, 0)] == ord("/")  # <tag/>: opens and closes at once
    net = opens.astype(np.int64) - closes - (opens & empty)
    return int((np.cumsum(net) - net + opens).max(initial=0))


def _parse_depth(data: bytes, part: str, limit: int) -> None:
    from xml.parsers import expat  # only for a part the count above could not bound

    parser = expat.ParserCreate()
    depth = 0

    def start(_name, _attrs):
        nonlocal depth
        depth += 1
        if depth > limit:
            raise _TooDeep

    def end(_name):
        nonlocal depth
        depth -= 1

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(data, True)
    except _TooDeep:
        raise Refused("depth", part=part, limit=limit) from None
    except expat.ExpatError:
        pass  # malformed XML is the parsers' to report, not a bound


# -------------------------------------------------------- shared strings ---
_SST_COUNT = re.compile(rb'\b(count|uniqueCount)="\s*(\d+)\s*"')


def _check_strings(zf: zipfile.ZipFile, limits: Limits) -> None:
    part = next((n for n in zf.NameToInfo if n.lower() == "xl/sharedstrings.xml"), None)
    if part is None:
        return
    with zf.open(part) as fh:
        head = fh.read(4096)
    end = head.find(b">", head.find(b"<sst"))
    tag = head[: end + 1] if end != -1 else head
    part_size = zf.getinfo(part).file_size
    for _attr, digits in _SST_COUNT.findall(tag):
        n = int(digits)
        if n > limits.strings:
            raise Refused("strings", count=n, limit=limits.strings)
        if n > part_size // 4 + 1:  # <si/> takes 5 bytes: the count cannot be true
            raise Refused("strings_absurd", count=n, size=size(part_size))


# ---------------------------------------------------------------- sheets ---
_DIMENSION = re.compile(
    rb'<(?:\w+:)?dimension\s+ref="\$?([A-Z]{1,3})?\$?(\d+)?(?::\$?([A-Z]{1,3})?\$?(\d+)?)?"'
)
_ROW_NUMBER = re.compile(rb"""row\b[^>]*?\br=["'](\d+)["']""")
_BEYOND: dict[int, re.Pattern] = {}


def _ref_beyond(col: int) -> re.Pattern:
    """A cell reference whose column lies beyond column ``col`` (0: any);
    the literal "r=" lets the search skip ahead at C speed. A sheet's
    widest column is found by searching for one beyond the widest so far,
    so a chunk is usually searched once, whatever its number of cells."""
    rx = _BEYOND.get(col)
    if rx is None:
        if col == 0:
            alts = ["[A-Z]{1,3}"]
        elif col < 26:
            alts = [f"[{chr(65 + col)}-Z]", "[A-Z]{2,3}"]
        elif col == 26:
            alts = ["[A-Z]{2,3}"]
        elif col <= 702:  # two letters
            first, second = col_letter(col)
            alts = ["[A-Z]{3}"]
            if first < "Z":
                alts.append(f"[{chr(ord(first) + 1)}-Z][A-Z]")
            if second < "Z":
                alts.append(f"{first}[{chr(ord(second) + 1)}-Z]")
        else:
            raise ValueError(col)
        rx = re.compile(("r=[\"']((?:" + "|".join(alts) + "))[0-9]").encode())
        _BEYOND[col] = rx
    return rx


def widest_column(text: bytes, col: int) -> int:
    """The widest column referenced in ``text``, at least ``col``."""
    pos = 0
    while True:
        m = _ref_beyond(col if col < 702 else 702).search(text, pos)
        if m is None:
            return col
        col = max(col, col_index(m.group(1).decode()))
        pos = m.start()
        if col >= 702:  # beyond ZZ, rare: every three-letter reference
            found = set(re.findall(rb"""r=["']([A-Z]{3})[0-9]""", text[pos:]))
            return max([col, *(col_index(f.decode()) for f in found)])


def scan_sheet(
    zf: zipfile.ZipFile, name: str, part: str, limits: Limits = CEILINGS, data: bytes | None = None
):
    """(rows the sheet spans, its error cells), refusing an area beyond the
    limits, declared or real. ``data``: the part's bytes when they are at
    hand (at most one CHUNK: the one piece streaming would give)."""
    first = True
    last_row = 0
    row_tags = 0
    max_col = 0
    errors = ErrorStream()
    tail = b""
    chunks = _stream(zf, part) if data is None else (data,) if data else ()
    for chunk in chunks:
        if first:
            first = False
            m = _DIMENSION.search(chunk[:65536])
            if m is not None:
                _check_declared(name, m, limits)
        errors.feed(chunk)
        text = tail + chunk
        row_tags += chunk.count(b"<row")
        start = text.rfind(b"<row")
        start = max(start, text.rfind(b":row ", max(start, 0)))  # a prefixed one after it
        if start != -1:
            m = _ROW_NUMBER.search(text, start)
            if m is not None:
                last_row = max(last_row, int(m.group(1)))
        max_col = widest_column(text, max_col)
        tail = text[-256:]
    rows = max(last_row, row_tags)
    cols = max(max_col, 1)
    if rows > limits.rows:
        raise Refused("rows", sheet=name, rows=rows, limit=limits.rows)
    if rows * cols > limits.cells:
        raise Refused(
            "used_area", sheet=name, rows=rows, cols=cols, cells=rows * cols, limit=limits.cells
        )
    return rows, errors.close()


def _check_declared(name: str, m: re.Match, limits: Limits) -> None:
    c1, r1, c2, r2 = (g.decode() if g else None for g in m.groups())
    top = int(r1) if r1 else 1
    bottom = int(r2) if r2 else (MAX_ROWS if c2 and not r2 else top)
    left = col_index(c1) if c1 else 1
    right = col_index(c2) if c2 else (MAX_COLS if r2 and not c2 else left)
    rows = max(bottom - top + 1, 1)
    cols = max(right - left + 1, 1)
    if bottom > limits.rows or rows * cols > limits.cells:
        ref = m.group(0).split(b'"')[1].decode()
        raise Refused("dimension", sheet=name, ref=ref, cells=rows * cols, limit=limits.cells)
