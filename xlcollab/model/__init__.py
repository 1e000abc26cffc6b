"""The data model: ProjectData, typed frames, findings and bilingual messages.

Everything above the schema works on these; nothing here reads a file.
"""

from xlcollab.model.data import ProjectData, SheetLayout, is_missing, present

__all__ = ["ProjectData", "SheetLayout", "is_missing", "present"]
