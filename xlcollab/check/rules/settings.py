"""The 参数 sheet's rule settings: which rules are off, which severities
changed; and the findings for entries there that name no rule or severity."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from xlcollab.check.rules.base import RULES, RuleContext, rule
from xlcollab.model import ProjectData
from xlcollab.schema import SEVERITY

_ITEM_SPLIT = re.compile(r"[,，、;；\n]+")
_PAIR = re.compile(r"^\s*([^=:]+?)\s*[=:]\s*(.*?)\s*$")


@dataclass
class RuleSettings:
    off: set[str] = field(default_factory=set)  # rule IDs
    off_prefixes: tuple[str, ...] = ()  # from entries like finance.*
    severity: dict[str, str] = field(default_factory=dict)  # rule ID -> severity key
    problems: list[tuple[str, str, str]] = field(default_factory=list)  # (field, template, entry)

    def is_off(self, rule_id: str) -> bool:
        return rule_id in self.off or rule_id.startswith(self.off_prefixes)


def _text(v) -> str:
    if v is None:
        return ""
    try:
        import pandas as pd

        if pd.isna(v):
            return ""
    except (TypeError, ValueError):
        pass
    return unicodedata.normalize("NFKC", str(v)).strip()


def _items(value) -> list[str]:
    return [i.strip() for i in _ITEM_SPLIT.split(_text(value)) if i.strip()]


def _match(entry: str) -> list[str]:
    """The rule IDs an entry names: one ID, or a group ``prefix.*``."""
    e = entry.strip().casefold()
    if e.endswith("*"):
        prefix = e[:-1]
        return [r for r in RULES if r.casefold().startswith(prefix)] if prefix else []
    return [r for r in RULES if r.casefold() == e]


def parse_rule_settings(data: ProjectData) -> RuleSettings:
    cfg = RuleSettings()
    prefixes = []
    for entry in _items(data.settings.get("rules_off")):
        ids = _match(entry)
        if not ids:
            cfg.problems.append(("rules_off", "settings.unknown_rule", entry))
        elif entry.endswith("*"):
            prefixes.append(entry[:-1].casefold())
            cfg.off.update(ids)
        else:
            cfg.off.update(ids)
    cfg.off_prefixes = tuple(prefixes)
    for entry in _items(data.settings.get("rules_severity")):
        m = _PAIR.match(entry)
        if not m:
            cfg.problems.append(("rules_severity", "settings.bad_severity", entry))
            continue
        ids, sev = _match(m.group(1)), SEVERITY.parse(m.group(2)) if m.group(2) else None
        if not ids:
            cfg.problems.append(("rules_severity", "settings.unknown_rule", m.group(1)))
        elif sev is None:
            cfg.problems.append(("rules_severity", "settings.bad_severity", entry))
        else:
            for r in ids:
                cfg.severity[r] = sev
    return cfg


@rule(
    "settings.unknown_rule",
    "warning",
    sheet="settings",
    zh="参数表中的规则编号不存在",
    en="A rule ID on the settings sheet names no rule",
)
def unknown_rule(ctx: RuleContext):
    yield from _problems(ctx, "settings.unknown_rule")


@rule(
    "settings.bad_severity",
    "warning",
    sheet="settings",
    zh="参数表中的严重程度设置无法识别",
    en="A severity on the settings sheet is not recognised",
)
def bad_severity(ctx: RuleContext):
    yield from _problems(ctx, "settings.bad_severity")


def _problems(ctx: RuleContext, template: str):
    """Findings for the 参数 entries that ``template`` describes."""
    for key, found, entry in parse_rule_settings(ctx.data).problems:
        if found == template:
            yield ctx.finding(None, key, value=entry)


@rule(
    "rules.failed",
    "error",
    sheet="findings",
    zh="某条检查规则未能执行完成",
    en="A check rule could not finish",
)
def _failed(ctx: RuleContext):  # emitted by run_rules itself
    return iter(())
