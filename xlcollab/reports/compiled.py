"""Templates compiled once, not on every run.

docxtpl hands each part of a Word template (the body, every header and
footer) to jinja as one string, and jinja compiles it to Python on every
call: some 40 ms for a report, each time the same. :class:`CompiledOnce`
keeps the compiled code in jinja's bytecode cache (a folder of the user's
own in the temporary directory, see :class:`jinja2.FileSystemBytecodeCache`),
under the template's checksum, jinja's version and the autoescape setting,
so an edited template, another jinja or another setting compiles afresh. The
cache is an optimisation only: when the folder cannot be made or written,
templates are compiled as before.
"""

from __future__ import annotations

import hashlib
from contextlib import suppress
from functools import lru_cache
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

__all__ = ["CompiledOnce", "bytecode_cache"]


@lru_cache(maxsize=1)
def bytecode_cache() -> jinja2.BytecodeCache | None:
    """jinja's cache in its default folder (None when it cannot be used)."""
    try:
        return jinja2.FileSystemBytecodeCache()
    except (OSError, RuntimeError):  # no temporary folder, or one not the user's own
        return None


class CompiledOnce(SandboxedEnvironment):
    """The sandboxed environment, its ``from_string`` templates kept in
    :attr:`bytecode_cache` when one is set."""

    def from_string(self, source, globals=None, template_class=None) -> Any:
        cache = self.bytecode_cache
        if cache is None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        digest = hashlib.sha256(source.encode("utf-8")).hexdigest()
        name = f"xlcollab:{jinja2.__version__}:{self.autoescape!r}:{digest}"
        bucket = cache.get_bucket(self, name, None, source)
        if bucket.code is None:
            bucket.code = self.compile(source)
            with suppress(OSError):  # a full or read-only disk: compiled, not kept
                cache.set_bucket(bucket)
        cls = template_class or self.template_class
        return cls.from_code(self, bucket.code, self.make_globals(globals), None)
