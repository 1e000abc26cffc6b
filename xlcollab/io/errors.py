"""The reader's one exception: a file it cannot read as a workbook at all."""

from __future__ import annotations

from xlcollab.model.findings import Finding

__all__ = ["WorkbookError"]


class WorkbookError(Exception):
    """The file does not exist, is not a workbook or cannot be opened.

    ``finding`` (rule ``read.not_a_workbook``) carries the message in the
    requested language; ``str(error)`` is that message, never a traceback.
    """

    def __init__(self, finding: Finding):
        super().__init__(str(finding))
        self.finding = finding
