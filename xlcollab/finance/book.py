"""An xlsxwriter workbook that writes its shared strings a part at a time.

xlsxwriter writes the shared strings part one ``<si>`` element at a time,
running each text through its escapes (control characters, ``_xHHHH_``,
``&``, ``<``, ``>``) and its whitespace test: on the 50,000 distinct texts
of a month's expense lines that is a third of writing the finance workbook.
:class:`ColumnBook` writes a text that none of these concern (nearly all)
as it is and hands any other to xlsxwriter's own code, so the part is the
same, byte for byte (``tests/test_finance_sheetdata.py`` checks it against
xlsxwriter itself).
"""

from __future__ import annotations

import re

from xlsxwriter import Workbook
from xlsxwriter.packager import Packager
from xlsxwriter.sharedstrings import SharedStrings, SharedStringTable

__all__ = ["ColumnBook"]

# what makes xlsxwriter change a text or its <t> element: leading or trailing
# whitespace (xml:space="preserve", xlsxwriter's own two patterns), an
# _xHHHH_ look-alike or a control character (escaped), a non-character, an
# XML special character (escaped; a rich string starts with "<r>")
_NOT_PLAIN = re.compile(r"^\s|\s$|_x[0-9a-fA-F]{4}_|[\x00-\x08\x0b-\x1f&<>\ufffe\uffff]")


class _SharedStrings(SharedStrings):
    def write_part(self, filename, table: SharedStringTable) -> None:
        """The shared strings part of ``table`` into ``filename`` (a path or
        a text buffer, as the packager hands it)."""
        self.string_table = table
        self._set_xml_writer(filename)
        self._assemble_xml_file()

    def _write_sst_strings(self) -> None:
        write = self.fh.write
        plain: list[str] = []
        search = _NOT_PLAIN.search
        for text in self.string_table.string_array:
            if search(text) is None:
                plain.append(text)
                continue
            if plain:
                write("".join([f"<si><t>{t}</t></si>" for t in plain]))
                plain = []
            self._write_si(text)
        if plain:
            write("".join([f"<si><t>{t}</t></si>" for t in plain]))


class _Packager(Packager):
    def _write_shared_strings_file(self) -> None:
        table = self.workbook.str_table
        if table.count:
            _SharedStrings().write_part(self._filename("xl/sharedStrings.xml"), table)


class ColumnBook(Workbook):
    """``xlsxwriter.Workbook`` with the shared strings part written in bulk
    (the same bytes)."""

    def _get_packager(self) -> Packager:
        return _Packager()
