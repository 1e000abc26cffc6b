"""Templates compiled once: a template read back from jinja's bytecode cache
renders as a freshly compiled one, the cache is never asked to compile it
again, and the autoescape setting or an edited template compile afresh."""

from __future__ import annotations

import jinja2
import pytest
from jinja2.sandbox import SandboxedEnvironment

from xlcollab.reports.compiled import CompiledOnce

SOURCE = "<w:t>{{ name }}</w:t>{% for r in rows %}<w:t>{{ r }}</w:t>{% endfor %}"
CONTEXT = {"name": "A & B", "rows": ["<1>", "2"]}


def env(folder, autoescape=True) -> CompiledOnce:
    e = CompiledOnce(undefined=jinja2.StrictUndefined, autoescape=autoescape)
    e.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))
    return e


def test_kept_template_renders_as_a_fresh_one(tmp_path, monkeypatch):
    fresh = SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=True)
    expected = fresh.from_string(SOURCE).render(CONTEXT)
    assert env(tmp_path).from_string(SOURCE).render(CONTEXT) == expected
    assert len(list(tmp_path.iterdir())) == 1

    def no_compile(*args, **kwargs):
        raise AssertionError("compiled again")

    monkeypatch.setattr(CompiledOnce, "compile", no_compile)
    assert env(tmp_path).from_string(SOURCE).render(CONTEXT) == expected
    assert "A &amp; B" in expected and "&lt;1&gt;" in expected


def test_autoescape_and_edits_compile_afresh(tmp_path):
    assert "A & B" in env(tmp_path, autoescape=False).from_string(SOURCE).render(CONTEXT)
    assert "A &amp; B" in env(tmp_path).from_string(SOURCE).render(CONTEXT)
    assert env(tmp_path).from_string(SOURCE + "!").render(CONTEXT).endswith("!")
    assert len(list(tmp_path.iterdir())) == 3


def test_kept_template_still_names_what_is_undefined(tmp_path):
    for _ in range(2):  # compiled, then read back
        with pytest.raises(jinja2.UndefinedError, match="'missing' is undefined"):
            env(tmp_path).from_string("{{ missing }}").render({})


def test_no_cache_compiles_as_before(tmp_path):
    e = CompiledOnce(autoescape=True)
    assert e.bytecode_cache is None
    assert e.from_string(SOURCE).render(CONTEXT) == env(tmp_path).from_string(SOURCE).render(
        CONTEXT
    )
