"""Reading a master workbook into ProjectData, and saving new workbooks.

``read_workbook(source, lang=None)`` reads a path, bytes or a binary file
object; ``WorkbookError`` is raised only when the file cannot be opened as a
workbook at all (its ``finding`` says why, in the requested language).
``sheets=COMMAND_SHEETS`` reads everything but the rows of the findings the
tool itself writes (for check, the reports, the status page and the like).

Changing an existing workbook: :mod:`xlcollab.io.writeback` (``write_back``
patches only the parts the tool owns; never an openpyxl round trip).
"""

from xlcollab.io.errors import WorkbookError
from xlcollab.io.read import COMMAND_SHEETS, read_workbook

__all__ = ["read_workbook", "WorkbookError", "COMMAND_SHEETS"]
