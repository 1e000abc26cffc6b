"""Sheets parsed ahead of the reader, on worker threads.

The reader (:mod:`xlcollab.io.read`) takes a workbook's sheets one after
the other: python-calamine parses a sheet's XML into cells, then the reader
turns the cells into typed columns. python-calamine releases the GIL while
it parses, so on a machine with two cores the next sheets can be parsed
while the reader works on the one before. :class:`SheetsAhead` does that:

- :meth:`SheetsAhead.ahead` hands it the sheets the reader will ask for, in
  that order. For each, a worker thread first checks the sheet's part
  against the ceilings (:func:`xlcollab.io.bounds.scan_sheet`) and its rows
  against the limit given (the 参数 sheet's, once it is read), and only then lets
  python-calamine parse it. No parser sees a part before its check, as when
  everything ran on one thread.
- :meth:`SheetsAhead.sheet` returns a sheet's parsed cells, its rows and its
  error cells, waiting for its worker when needed; whatever the check or
  the parser raised is raised here, on the reader's thread.

Each worker opens its own ``CalamineWorkbook`` (one must not be used by two
threads at once). A small package is read on the calling thread alone
(``parallel=False``): there, threads would cost more than they save.
"""

from __future__ import annotations

import contextlib
import threading
import zipfile
from collections.abc import Callable, Iterable
from typing import Any

from xlcollab.io.bounds import CEILINGS, Limits, MiB, Refused, parsed, scan_sheet

__all__ = ["SheetsAhead", "PARALLEL_FROM", "WORKERS"]

PARALLEL_FROM = 4 * MiB  # unpacked size from which the workers pay for themselves
WORKERS = 2

Parsed = tuple[Any, int, dict[tuple[int, int], str]]  # sheet, rows, error cells


class SheetsAhead:
    """The sheets of one package, checked and parsed ahead (see the module
    docstring). ``open_book`` opens the package with python-calamine;
    ``parts`` maps sheet names to their zip members."""

    def __init__(
        self,
        zf: zipfile.ZipFile,
        parts: dict[str, str],
        open_book: Callable[[], Any],
        *,
        parallel: bool = False,
        sheet_bytes: dict[str, bytes] | None = None,
    ):
        self.zf = zf
        self.parts = parts
        # parts unpacked already (io.bounds.PackageInfo.sheet_bytes): scanned
        # from these, each let go once scanned
        self.sheet_bytes = sheet_bytes if sheet_bytes is not None else {}
        self.open_book = open_book
        self.book = open_book()  # the calling thread's
        self._local = threading.local()
        self._books = [self.book]  # every one opened, to close them all
        self._pool: Any = None
        self._jobs: dict[str, Any] = {}
        self._taken: set[str] = set()  # the sheets handed out by :meth:`sheet`
        self.parallel = parallel

    def ahead(self, names: Iterable[str], limits: Limits = CEILINGS) -> None:
        """Start checking and parsing ``names``, in this order, on the
        workers (nothing happens before :meth:`sheet` without workers)."""
        if not self.parallel:
            for name in names:
                self._jobs.setdefault(name, limits)
            return
        if self._pool is None:
            from concurrent.futures import ThreadPoolExecutor

            self._pool = ThreadPoolExecutor(WORKERS, thread_name_prefix="xlcollab-sheet")
        for name in names:
            if name not in self._jobs and name not in self._taken:
                self._jobs[name] = self._pool.submit(self._job, name, limits, None)

    def waiting_alone(self, name: str) -> bool:
        """Whether :meth:`sheet` would wait for ``name`` while it is the only
        sheet being parsed (a worker, and a core, are idle)."""
        job = self._jobs.get(name)
        if job is None or isinstance(job, Limits) or job.done():
            return False
        unfinished = [j for j in self._jobs.values() if not isinstance(j, Limits) and not j.done()]
        return len(unfinished) < WORKERS

    def sheet(self, name: str) -> Parsed:
        """The sheet ``name`` parsed: (calamine sheet, rows it spans, error
        cells), after its check; raises what the check or the parser raised."""
        job = self._jobs.pop(name, CEILINGS)
        self._taken.add(name)
        if isinstance(job, Limits):
            return self._job(name, job, self.book)
        return job.result()

    def _job(self, name: str, limits: Limits, book: Any) -> Parsed:
        rows, errors = 0, {}
        part = self.parts.get(name)
        if parsed(name) and part is not None and part in self.zf.NameToInfo:
            data = self.sheet_bytes.pop(part, None)
            rows, errors = scan_sheet(self.zf, name, part, data=data)  # the ceilings
            if rows > limits.rows:  # the 参数 sheet's limit
                raise Refused("rows", sheet=name, rows=rows, limit=limits.rows)
        if book is None:  # a worker's own
            book = getattr(self._local, "book", None)
            if book is None:
                book = self._local.book = self.open_book()
                self._books.append(book)
        return book.get_sheet_by_name(name), rows, errors

    def close(self) -> None:
        """Stop the workers (a sheet being parsed is finished first), then
        close every calamine workbook and the package: no file stays open
        (Windows would refuse to replace it)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
        for book in self._books:
            with contextlib.suppress(Exception):  # already closed is fine
                book.close()
        self.zf.close()
