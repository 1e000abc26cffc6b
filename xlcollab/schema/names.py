"""The Excel defined names the formulas use, and the dropdown sources."""

from __future__ import annotations

from xlcollab.schema.types import T

# ---------------------------------------------------------- defined names ---
# Excel names the formulas use. Values are templates resolved by the builder.
DEFINED_NAMES: dict[str, str] = {
    "xc_today": 'IF({f.overview.status_date}="",TODAY(),{f.overview.status_date})',
    "xc_start": "{f.overview.start_date}",
    "xc_end": "{f.overview.end_date}",
    "xc_week1": "{f.overview.start_date}-WEEKDAY({f.overview.start_date},2)+1",
    "xc_due_soon": "{f.settings.due_soon_days}",
    "xc_esc_pm": "{f.settings.escalation_pm_days}",
    "xc_esc_lead": "{f.settings.escalation_lead_days}",
    "xc_risk_medium": "{f.settings.risk_medium}",
    "xc_risk_high": "{f.settings.risk_high}",
    "xc_review_days": "{f.settings.risk_review_days}",
    "xc_holidays": "{l.holiday_dates}",
    "xc_makeup": "{l.makeup_dates}",
    "xc_departments": "{d.departments.name}",
    "xc_people": "{d.team.name}",
}
# dropdown sources for the types that draw from other sheets
TYPE_SOURCES = {T.DEPARTMENT: "xc_departments", T.PERSON: "xc_people"}
