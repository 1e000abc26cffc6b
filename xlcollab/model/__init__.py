"""The data model: ProjectData, typed frames, findings and bilingual messages.

Everything above the schema works on these; nothing here reads a file.

The names below come from :mod:`xlcollab.model.data` when first asked for:
importing a module of this package (``xlcollab.model.collector``, which
pauses the cyclic collector while pandas is imported) must not import
pandas itself.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from xlcollab.model.data import ProjectData, SheetLayout, is_missing, present

__all__ = ["ProjectData", "SheetLayout", "is_missing", "present"]


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from xlcollab.model import data

    value = getattr(data, name)
    globals()[name] = value  # asked for once
    return value
