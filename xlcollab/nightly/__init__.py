"""The nightly job: check every workbook, record history, escalate, notify."""
