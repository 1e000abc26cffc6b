"""sorted_findings (keys made column by column) orders findings as sorting
by sort_key does, ties kept in their order."""

from __future__ import annotations

import random

from xlcollab.model.findings import Finding, sort_key, sorted_findings


def test_sorted_findings_is_sorted_by_sort_key():
    rng = random.Random(11)
    findings = [
        Finding(
            f"r.{rng.randint(0, 3)}",
            rng.choice(["error", "warning", "info", "other"]),
            rng.choice(["任务清单", "费用", "a"]),
            rng.choice([None, 0, 1, 2, 10]),
            None,
            rng.choice([None, "", "A1", "B2", "A10"]),
            f"m{i}",
        )
        for i in range(500)
    ]
    assert sorted_findings(findings) == sorted(findings, key=sort_key)
    assert [f.message for f in sorted_findings(findings)] == [
        f.message for f in sorted(findings, key=sort_key)
    ]
