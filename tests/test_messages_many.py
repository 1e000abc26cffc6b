"""render_many (the templates read once for many findings) gives exactly
what render gives finding by finding, for every template in both languages."""

from __future__ import annotations

import re

import pytest

from xlcollab.model import messages


def _fields(rule_id: str, lang: str) -> list[str]:
    text, hint = messages.MESSAGES[rule_id][lang]
    return sorted(set(re.findall(r"\{(\w+)", text + hint)))


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("rule_id", sorted(messages.MESSAGES))
def test_render_many_is_render_per_row(rule_id: str, lang: str):
    fields = _fields(rule_id, lang)
    own = fields[::2]  # every other field per row, the rest shared, one left unfilled
    shared = {f: f"<{f}>" for f in fields[1::2][:-1]}
    columns = {f: [f"a{f}", None, 3, "{x}"] for f in own}
    texts, hints = messages.render_many(rule_id, lang, 4, columns, **shared)
    for i in range(4):
        row = {f: columns[f][i] for f in own}
        assert (texts[i], hints[i]) == messages.render(rule_id, lang, **shared, **row)


def test_render_many_plain_names_only():
    messages.MESSAGES["_test.attr"] = {"zh": ("{a.real} {b:>4} {{c}} {d!r}", "{e}")}
    try:
        texts, hints = messages.render_many("_test.attr", "zh", 2, {"a": [1, 2]}, b="x", d="y")
        assert texts == ["1    x {c} 'y'", "2    x {c} 'y'"]
        assert hints == ["{e}", "{e}"]
    finally:
        del messages.MESSAGES["_test.attr"]
