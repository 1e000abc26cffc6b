"""Versioned schema migrations of the history database.

Each migration is ``(version, name, statements)``. ``schema_migrations``
lists the versions applied; :func:`migrate` applies the missing ones in
order, each inside its own transaction together with its row in
``schema_migrations``, so a crash leaves the database at a whole version.
A database newer than this code (a version above :data:`LATEST`) is
refused rather than written.

Never edit a migration that has shipped: add the next one.
"""

from __future__ import annotations

import sqlite3

__all__ = ["MIGRATIONS", "LATEST", "migrate", "schema_version", "HistoryVersionError"]


class HistoryVersionError(RuntimeError):
    """The database was written by a newer xlcollab."""


MIGRATIONS: list[tuple[int, str, tuple[str, ...]]] = [
    (
        1,
        "runs, row versions, field changes",
        (
            """CREATE TABLE runs (
               id INTEGER PRIMARY KEY,
               as_of TEXT NOT NULL,            -- ISO date the run took as today
               workbook TEXT,                  -- the workbook's file name
               modified_by TEXT,               -- docProps lastModifiedBy when read
               rows INTEGER NOT NULL DEFAULT 0
           )""",
            "CREATE INDEX runs_as_of ON runs(as_of, id)",
            # one version of one row: valid from run valid_from up to (not
            # including) run valid_to; valid_to NULL = the current version
            """CREATE TABLE row_versions (
               sheet TEXT NOT NULL,
               key TEXT NOT NULL,
               valid_from INTEGER NOT NULL REFERENCES runs(id),
               valid_to INTEGER REFERENCES runs(id),
               excel_row INTEGER,
               digest TEXT NOT NULL,
               data TEXT NOT NULL,             -- JSON object: input columns
               PRIMARY KEY (sheet, key, valid_from)
           )""",
            "CREATE INDEX row_versions_current ON row_versions(sheet, valid_to)",
            """CREATE TABLE changes (
               run_id INTEGER NOT NULL REFERENCES runs(id),
               sheet TEXT NOT NULL,
               key TEXT NOT NULL,
               kind TEXT NOT NULL,             -- added | removed | changed
               field TEXT,                     -- changed: the column key
               old TEXT,                       -- JSON value
               new TEXT
           )""",
            "CREATE INDEX changes_run ON changes(run_id)",
            "CREATE INDEX changes_key ON changes(sheet, key, field)",
        ),
    ),
    (
        2,
        "findings per run, escalations recorded, baselines",
        (
            """CREATE TABLE findings (
               run_id INTEGER NOT NULL REFERENCES runs(id),
               fingerprint TEXT NOT NULL,
               rule_id TEXT, severity TEXT, location TEXT, message TEXT,
               PRIMARY KEY (run_id, fingerprint)
           )""",
            """CREATE TABLE escalations (
               id INTEGER PRIMARY KEY,
               task TEXT NOT NULL,             -- WBS code
               streak_since TEXT NOT NULL,     -- blocked since (ISO date)
               level TEXT NOT NULL,            -- department | pm | lead
               reached_on TEXT NOT NULL,       -- the working day the level was reached
               run_id INTEGER NOT NULL REFERENCES runs(id),
               goes_to TEXT,
               issue TEXT,
               written_run INTEGER,            -- run whose write-back put it in the sheet
               UNIQUE (task, streak_since, level)
           )""",
            """CREATE TABLE baselines (
               name TEXT PRIMARY KEY,
               as_of TEXT NOT NULL,
               workbook TEXT
           )""",
            """CREATE TABLE baseline_tasks (
               baseline TEXT NOT NULL REFERENCES baselines(name) ON DELETE CASCADE,
               wbs TEXT NOT NULL,
               name TEXT, department TEXT,
               planned_start TEXT, planned_finish TEXT,
               PRIMARY KEY (baseline, wbs)
           )""",
            """CREATE TABLE baseline_budget (
               baseline TEXT NOT NULL REFERENCES baselines(name) ON DELETE CASCADE,
               department TEXT, category TEXT, amount TEXT
           )""",
        ),
    ),
    (
        3,
        "pending write-backs",
        (
            """CREATE TABLE pending (
               workbook TEXT PRIMARY KEY,      -- a write-back still owed to this file
               since_run INTEGER NOT NULL,
               reason TEXT
           )""",
        ),
    ),
]
LATEST = MIGRATIONS[-1][0]


def schema_version(conn: sqlite3.Connection) -> int:
    """The highest applied version (0 for a new database)."""
    has = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name='schema_migrations'"
    ).fetchone()
    if not has:
        return 0
    row = conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
    return int(row[0] or 0)


def migrate(conn: sqlite3.Connection, upto: int | None = None) -> list[int]:
    """Apply the migrations the database lacks, in order (up to ``upto``);
    returns the versions applied. ``conn`` must be in autocommit mode
    (``isolation_level=None``)."""
    target = LATEST if upto is None else upto
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        "version INTEGER PRIMARY KEY, name TEXT NOT NULL)"
    )
    current = schema_version(conn)
    if current > LATEST:
        raise HistoryVersionError(
            f"历史数据库版本 {current} 高于本程序支持的 {LATEST}，请升级 xlcollab / "
            f"the history database is version {current}; this xlcollab knows up to {LATEST}"
        )
    applied = []
    for version, name, statements in MIGRATIONS:
        if version <= current or version > target:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            if schema_version(conn) >= version:  # another process got there first
                conn.execute("ROLLBACK")
                continue
            for sql in statements:
                conn.execute(sql)
            conn.execute(
                "INSERT INTO schema_migrations(version, name) VALUES (?, ?)", (version, name)
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        applied.append(version)
    return applied
