"""Interchange with the tools around the project.

- :mod:`~xlcollab.interchange.mspdi`: the task checklist as MS Project XML
  (MSPDI), for MS Project and ProjectLibre;
- :mod:`~xlcollab.interchange.mspdi_read` and :mod:`~xlcollab.interchange.merge`:
  an MSPDI plan read back and merged into the workbook by WBS code;
- :mod:`~xlcollab.interchange.ics`: RFC 5545 calendars (milestones, the
  weekly meeting, each owner's deadlines) for Outlook, DingTalk, Feishu;
- :mod:`~xlcollab.interchange.csv`: one sheet as CSV that Excel opens
  correctly and that cannot smuggle formulas.

Everything works on :class:`~xlcollab.model.ProjectData` and a
:class:`~xlcollab.core.calendar.WorkCalendar` and returns bytes or plain
values; the command line writes the files.
"""
