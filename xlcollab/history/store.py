"""The history database: runs, row versions, changes (SQLite, stdlib).

Storage: a snapshot of every tracked row per run, stored as row *versions*
(``row_versions``): a version is valid from the run that first saw it until
the run that saw it change or disappear (``valid_to``; NULL while current).
The snapshot of run R is every version with ``valid_from <= R`` and
(``valid_to`` NULL or ``> R``) (:meth:`History.snapshot`), so a night
where nothing changed costs nothing but its ``runs`` row, and 20,000 tasks
over a year stay small.

Every run is ONE transaction (:meth:`History.run`: ``BEGIN IMMEDIATE`` ...
``COMMIT``): a run killed at any moment leaves the previous state, and two
processes never interleave runs on one database.

Nothing here reads the clock: every date is the run's ``as_of``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from xlcollab.history.migrations import migrate
from xlcollab.history.rows import TRACKED, digest, dumps, keyed_records
from xlcollab.model.dates import to_date

__all__ = ["History", "HistoryError", "Change", "RunInfo", "RunTx", "BLOCKED"]

BLOCKED = "blocked"


class HistoryError(RuntimeError):
    """The history cannot take this run (the message is for the user)."""


@dataclass(frozen=True)
class RunInfo:
    id: int
    as_of: dt.date
    workbook: str | None
    modified_by: str | None


@dataclass(frozen=True)
class Change:
    """One change between two runs: a row added or removed, or one field
    of a row changed (``field``, ``old`` -> ``new``)."""

    sheet: str
    key: str
    kind: str  # added | removed | changed
    field: str | None
    old: Any
    new: Any
    run_id: int
    as_of: dt.date
    modified_by: str | None = None

    def to_dict(self) -> dict:
        return {
            "sheet": self.sheet,
            "key": self.key,
            "kind": self.kind,
            "field": self.field,
            "old": self.old,
            "new": self.new,
            "as_of": self.as_of.isoformat(),
            "modified_by": self.modified_by,
        }


class History:
    """One history database file. Open with :meth:`open` (creates the
    folder and migrates); close it, or use it as a context manager."""

    def __init__(self, conn: sqlite3.Connection, path: Path):
        self.conn = conn
        self.path = path

    @classmethod
    def open(cls, path: str | Path, *, timeout: float = 30.0) -> History:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=timeout, isolation_level=None)
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA synchronous=FULL")
        migrate(conn)
        return cls(conn, path)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------- runs ---
    def runs(self) -> list[RunInfo]:
        return [
            RunInfo(i, to_date(a), w, m)
            for i, a, w, m in self.conn.execute(
                "SELECT id, as_of, workbook, modified_by FROM runs ORDER BY id"
            )
        ]

    def last_run(self) -> RunInfo | None:
        row = self.conn.execute(
            "SELECT id, as_of, workbook, modified_by FROM runs ORDER BY id DESC LIMIT 1"
        ).fetchone()
        return RunInfo(row[0], to_date(row[1]), row[2], row[3]) if row else None

    @contextlib.contextmanager
    def run(
        self, as_of: dt.date, *, workbook: str | None = None, modified_by: str | None = None
    ) -> Iterator[RunTx]:
        """One run as one transaction: everything recorded inside the
        ``with`` block commits together at its end, or not at all.

        A run dated before the last recorded run is refused (history only
        moves forward); the same date again is a new run of that day."""
        as_of = to_date(as_of)
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            last = self.last_run()
            if last is not None and as_of < last.as_of:
                raise HistoryError(
                    f"历史记录已到 {last.as_of}，不能记录更早的 {as_of} / the history already "
                    f"reaches {last.as_of}; a run as of {as_of} would go back in time"
                )
            cur = self.conn.execute(
                "INSERT INTO runs(as_of, workbook, modified_by) VALUES (?, ?, ?)",
                (as_of.isoformat(), workbook, modified_by),
            )
            tx = RunTx(self, RunInfo(cur.lastrowid, as_of, workbook, modified_by))
            yield tx
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise

    # --------------------------------------------------------- snapshots ---
    def snapshot(self, sheet: str, run: int | None = None) -> dict[str, dict]:
        """key -> record of ``sheet`` as run ``run`` (default: the last) saw it."""
        if run is None:
            rows = self.conn.execute(
                "SELECT key, data FROM row_versions WHERE sheet=? AND valid_to IS NULL", (sheet,)
            )
        else:
            rows = self.conn.execute(
                "SELECT key, data FROM row_versions WHERE sheet=? AND valid_from<=? AND "
                "(valid_to IS NULL OR valid_to>?)",
                (sheet, run, run),
            )
        return {k: json.loads(d) for k, d in rows}

    def run_on(self, day: dt.date) -> RunInfo | None:
        """The last run dated on or before ``day``."""
        row = self.conn.execute(
            "SELECT id, as_of, workbook, modified_by FROM runs WHERE "
            "as_of<=? ORDER BY as_of DESC, id DESC LIMIT 1",
            (to_date(day).isoformat(),),
        ).fetchone()
        return RunInfo(row[0], to_date(row[1]), row[2], row[3]) if row else None

    # ------------------------------------------------------------ changes ---
    def changes(
        self,
        *,
        run: int | None = None,
        sheet: str | None = None,
        key: str | None = None,
        field: str | None = None,
        limit: int | None = None,
        newest_first: bool = False,
    ) -> list[Change]:
        """Changes recorded, filtered; oldest first unless ``newest_first``."""
        where, args = [], []
        for col, val in (("c.run_id", run), ("c.sheet", sheet), ("c.key", key), ("c.field", field)):
            if val is not None:
                where.append(f"{col}=?")
                args.append(val)
        sql = (
            "SELECT c.sheet, c.key, c.kind, c.field, c.old, c.new, c.run_id, r.as_of, "
            "r.modified_by FROM changes c JOIN runs r ON r.id=c.run_id"
            + (" WHERE " + " AND ".join(where) if where else "")
            + f" ORDER BY c.run_id {'DESC' if newest_first else 'ASC'}, c.rowid"
            + (f" LIMIT {int(limit)}" if limit else "")
        )
        return [
            Change(
                s,
                k,
                kind,
                f,
                None if o is None else json.loads(o),
                None if n is None else json.loads(n),
                rid,
                to_date(a),
                m,
            )
            for s, k, kind, f, o, n, rid, a, m in self.conn.execute(sql, args)
        ]

    def status_history(self, wbs: str) -> list[tuple[dt.date, Any, Any]]:
        """(date, old status, new status) of a task, oldest first; its first
        appearance shows as (date, None, status)."""
        out = []
        for c in self.changes(sheet="tasks", key=wbs):
            if c.kind == "added":
                out.append((c.as_of, None, (c.new or {}).get("status")))
            elif c.kind == "changed" and c.field == "status":
                out.append((c.as_of, c.old, c.new))
            elif c.kind == "removed":
                out.append((c.as_of, (c.old or {}).get("status"), None))
        return out

    def field_history(self, sheet: str, key: str) -> list[Change]:
        """Who changed what when, for one row: every change, oldest first."""
        return self.changes(sheet=sheet, key=key)

    # ------------------------------------------------------ blocked since ---
    def blocked_since(
        self, tasks: pd.DataFrame | None = None, run: int | None = None
    ) -> dict[str, dt.date]:
        """WBS code -> the date the current blocked streak began, for every
        task the run ``run`` (default: the last) saw as 阻塞.

        The date is the ``as_of`` of the first run of the uninterrupted
        streak of versions with status blocked (a version change that keeps
        the status, e.g. an edited note, does not interrupt it; a day
        without a run does not either, so three days with the machine off
        change nothing). When the streak reaches back to the first time the
        history saw the task (history started while it was already
        blocked), the workbook's own 阻塞开始日期 in ``tasks`` is taken if
        it is earlier."""
        if run is None:
            last = self.last_run()
            if last is None:
                return {}
            run = last.id
        dates = dict(self.conn.execute("SELECT id, as_of FROM runs"))
        versions: dict[str, list[tuple[int, int | None, str | None]]] = {}
        for key, vf, vt, data in self.conn.execute(
            "SELECT key, valid_from, valid_to, data FROM row_versions WHERE sheet='tasks' "
            "AND valid_from<=? ORDER BY key, valid_from",
            (run,),
        ):
            versions.setdefault(key, []).append((vf, vt, json.loads(data).get("status")))
        workbook_since: dict[str, dt.date] = {}
        if tasks is not None and "blocked_since" in tasks and len(tasks):
            keys = [k for k, _, _ in keyed_records("tasks", tasks)]
            for key, v in zip(keys, tasks["blocked_since"].tolist(), strict=False):
                d = to_date(v)
                if d:
                    workbook_since[key] = d
        out: dict[str, dt.date] = {}
        for key, vs in versions.items():
            current = [v for v in vs if v[0] <= run and (v[1] is None or v[1] > run)]
            if not current or current[0][2] != BLOCKED:
                continue
            i = vs.index(current[0])
            start = vs[i][0]
            while i > 0 and vs[i - 1][1] == vs[i][0] and vs[i - 1][2] == BLOCKED:
                i -= 1
                start = vs[i][0]
            since = to_date(dates[start])
            if i == 0 and key in workbook_since and workbook_since[key] < since:
                since = workbook_since[key]
            out[key] = since
        return out

    # --------------------------------------------------------- findings ---
    def findings_of(self, run: int) -> set[str]:
        return {
            r[0]
            for r in self.conn.execute("SELECT fingerprint FROM findings WHERE run_id=?", (run,))
        }

    # ---------------------------------------------------------- pending ---
    def pending(self, workbook: str) -> str | None:
        row = self.conn.execute(
            "SELECT reason FROM pending WHERE workbook=?", (workbook,)
        ).fetchone()
        return row[0] if row else None

    def set_pending(self, workbook: str, run: int, reason: str | None) -> None:
        """Outside a run: remember (reason) or forget (None) a write-back
        still owed to ``workbook``."""
        if reason is None:
            self.conn.execute("DELETE FROM pending WHERE workbook=?", (workbook,))
        else:
            self.conn.execute(
                "INSERT INTO pending(workbook, since_run, reason) VALUES (?,?,?) "
                "ON CONFLICT(workbook) DO UPDATE SET reason=excluded.reason",
                (workbook, run, reason),
            )

    def integrity_ok(self) -> bool:
        return self.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


class RunTx:
    """What one run records, inside its transaction."""

    def __init__(self, history: History, info: RunInfo):
        self.history = history
        self.conn = history.conn
        self.info = info

    @property
    def id(self) -> int:
        return self.info.id

    def snapshot(self, tables: dict[str, pd.DataFrame]) -> list[Change]:
        """Store this run's snapshot of the tracked sheets in ``tables``
        (sheet key -> frame; a tracked sheet that is missing is skipped, not
        taken as emptied) and return what changed since the previous run."""
        out: list[Change] = []
        rid, as_of, who = self.info.id, self.info.as_of, self.info.modified_by
        total = 0
        for sheet in TRACKED:
            frame = tables.get(sheet)
            if frame is None:
                continue
            current = {
                k: (d, json.loads(data))
                for k, d, data in self.conn.execute(
                    "SELECT key, digest, data FROM row_versions WHERE sheet=? AND valid_to IS NULL",
                    (sheet,),
                )
            }
            seen = set()
            changes = []
            inserts = []
            closes = []
            for key, excel_row, record in keyed_records(sheet, frame):
                total += 1
                seen.add(key)
                dg = digest(record)
                old = current.get(key)
                if old is not None and old[0] == dg:
                    continue
                if old is not None:
                    closes.append(key)
                    for f in record:
                        if old[1].get(f) != record[f]:
                            changes.append((sheet, key, "changed", f, old[1].get(f), record[f]))
                else:
                    changes.append((sheet, key, "added", None, None, record))
                inserts.append((sheet, key, rid, excel_row, dg, dumps(record)))
            for key, (_, data) in current.items():
                if key not in seen:
                    closes.append(key)
                    changes.append((sheet, key, "removed", None, data, None))
            self.conn.executemany(
                "UPDATE row_versions SET valid_to=? WHERE sheet=? AND key=? AND valid_to IS NULL",
                [(rid, sheet, k) for k in closes],
            )
            self.conn.executemany(
                "INSERT INTO row_versions(sheet, key, valid_from, excel_row, "
                "digest, data) VALUES (?,?,?,?,?,?)",
                inserts,
            )
            self.conn.executemany(
                "INSERT INTO changes(run_id, sheet, key, kind, field, old, new) "
                "VALUES (?,?,?,?,?,?,?)",
                [
                    (
                        rid,
                        s,
                        k,
                        kind,
                        f,
                        None if o is None else dumps(o),
                        None if n is None else dumps(n),
                    )
                    for s, k, kind, f, o, n in changes
                ],
            )
            out += [Change(s, k, kind, f, o, n, rid, as_of, who) for s, k, kind, f, o, n in changes]
        self.conn.execute("UPDATE runs SET rows=? WHERE id=?", (total, rid))
        return out

    def blocked_since(self, tasks: pd.DataFrame | None = None) -> dict[str, dt.date]:
        return self.history.blocked_since(tasks, run=self.info.id)

    def previous_run(self) -> RunInfo | None:
        row = self.conn.execute(
            "SELECT id, as_of, workbook, modified_by FROM runs WHERE id<? ORDER BY id DESC LIMIT 1",
            (self.info.id,),
        ).fetchone()
        return RunInfo(row[0], to_date(row[1]), row[2], row[3]) if row else None

    def store_findings(self, findings: Iterable) -> list:
        """Store this run's findings; return those the previous run did not
        have (by rule, place and message)."""
        prev = self.previous_run()
        before = self.history.findings_of(prev.id) if prev else set()
        new, rows, seen = [], [], set()
        for f in findings:
            fp = fingerprint(f)
            if fp in seen:
                continue
            seen.add(fp)
            rows.append((self.info.id, fp, f.rule_id, f.severity, f.location, f.message))
            if fp not in before:
                new.append(f)
        self.conn.executemany("INSERT INTO findings VALUES (?,?,?,?,?,?)", rows)
        return new


def fingerprint(f) -> str:
    import hashlib

    return hashlib.sha256(f"{f.rule_id}|{f.location}|{f.message}".encode()).hexdigest()[:24]
