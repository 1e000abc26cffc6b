"""The check: every rule over a project, as a report with ``valid``,
``stats`` and ``findings`` (see :mod:`xlcollab.check.pipeline`)."""

from xlcollab.check.pipeline import JSON_SCHEMA_ID, SEVERITIES, CheckReport, check, rule_matches

__all__ = ["JSON_SCHEMA_ID", "SEVERITIES", "CheckReport", "check", "rule_matches"]
