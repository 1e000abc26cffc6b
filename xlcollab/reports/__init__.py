"""The document pack: every document the procedure names, rendered from
editable templates in ``templates/`` (docxtpl for Word, python-pptx for
the monthly briefing).

- one context builder per document (``charter``, ``roles``, ``checklist``,
  ``weekly``, ``quality``, ``delivery``, ``summary_report``, ``briefing``):
  ``build(data, as_of, cal, lang, findings=None, **options) -> dict``, plain
  values only, no files;
- :mod:`.render`: sandboxed template rendering, ReportError, templates lookup;
- :mod:`.charts`: Gantt and bar charts as PNG (drawn on :mod:`.canvas`, in
  the CJK font :mod:`.fonts` finds);
- :mod:`.pack`: which template, context and charts make each KIND, and
  :func:`generate` / :func:`generate_all` to write them;
- :mod:`.names`: Windows-safe file names.
"""

from xlcollab.reports.pack import KINDS, build_context, generate, generate_all, templates_dir_for
from xlcollab.reports.render import ReportError

__all__ = ["KINDS", "build_context", "generate", "generate_all", "templates_dir_for", "ReportError"]
