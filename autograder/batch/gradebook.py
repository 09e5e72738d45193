"""The gradebook: one SQLite file in the batch's output folder, one row per student and attempt.

Only the batch's main process writes it, one transaction per finished submission, so a batch
killed at any moment (even with SIGKILL) leaves every result it reported committed and none
half-written; WAL mode keeps readers (a dashboard, `sqlite3`) from blocking it. A regrade
replaces the row and first copies the old one into `history`, so nothing is ever lost.

Resume: a row is *current* for an attempt when it was graded (status 'graded') from the same
checksum with the same profile, settings fingerprint and grader version; the batch grades
only attempts without a current row (all of them with `--regrade`). Failed rows (the grader
crashed, hung or lost its worker: no results) are never current, so a re-run retries them.
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

__all__ = ['Gradebook', 'Record', 'SCHEMA_VERSION', 'COLUMNS', 'GRADED', 'FAILED', 'now']

SCHEMA_VERSION = 1
GRADED, FAILED = 'graded', 'failed'

# name, SQL type; the order of the table's columns
COLUMNS = (
    ('assignment', 'TEXT NOT NULL'),      # the assignment's id
    ('student', 'TEXT NOT NULL'),         # Blackboard user name, or the entry's name
    ('attempt', 'TEXT NOT NULL'),         # Blackboard timestamp, '' for a single hand-in
    ('source', 'TEXT NOT NULL'),          # the entry (or entries) in INPUT
    ('checksum', 'TEXT NOT NULL'),        # sha256 of what was handed in (as intake computes it)
    ('profile', 'TEXT NOT NULL'),         # 'quick' | 'full'
    ('settings_fingerprint', 'TEXT NOT NULL'),  # sha256 of the settings files and the data file
    ('grader_version', 'TEXT NOT NULL'),
    ('status', "TEXT NOT NULL CHECK (status IN ('graded', 'failed'))"),
    ('rejected', 'TEXT'),                 # intake's reason when the submission was not accepted
    ('points', 'REAL'), ('max_points', 'REAL'), ('grade', 'REAL'), ('passed', 'INTEGER'),
    ('results_json', 'TEXT'),             # the complete results document (NULL when failed)
    ('error', 'TEXT'),                    # failed: why (timeout, crash, lost worker) and a log tail
    ('timings_json', 'TEXT'),             # the document's step timings plus the batch's wall time
    ('seconds', 'REAL'),                  # wall-clock of the grading (process start to end)
    ('worker', 'TEXT'),                   # 'local' or the Dask worker's address
    ('started', 'TEXT'), ('finished', 'TEXT'),   # UTC ISO-8601
    ('runs', 'INTEGER NOT NULL DEFAULT 1'),      # how often this attempt has been graded
    ('batch', 'INTEGER'),                 # the batches row that committed it
)
NAMES = tuple(name for name, _ in COLUMNS)
KEY = ('assignment', 'student', 'attempt')


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec='milliseconds')


@dataclass
class Record:
    """A row, as committed."""
    assignment: str
    student: str
    attempt: str
    source: str
    checksum: str
    profile: str
    settings_fingerprint: str
    grader_version: str
    status: str
    rejected: str | None = None
    points: float | None = None
    max_points: float | None = None
    grade: float | None = None
    passed: int | None = None
    results_json: str | None = None
    error: str | None = None
    timings_json: str | None = None
    seconds: float | None = None
    worker: str | None = None
    started: str | None = None
    finished: str | None = None
    runs: int = 1
    batch: int | None = None

    @property
    def document(self) -> dict[str, Any] | None:
        return json.loads(self.results_json) if self.results_json else None

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> 'Record':
        return cls(**{name: row[name] for name in NAMES})


class Gradebook:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        self.db.row_factory = sqlite3.Row
        self.db.execute('PRAGMA journal_mode=WAL')
        self.db.execute('PRAGMA synchronous=FULL')
        self.db.execute('PRAGMA foreign_keys=ON')
        self._schema()

    def _schema(self) -> None:
        columns = ',\n  '.join(f'{name} {kind}' for name, kind in COLUMNS)
        history = ',\n  '.join(f'{name} {kind.split(" CHECK")[0]}' for name, kind in COLUMNS)
        with self.transaction():
            self.db.execute('CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)')
            found = self.db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
            if found is not None and int(found[0]) != SCHEMA_VERSION:
                raise RuntimeError(f'{self.path}: gradebook schema {found[0]}, this grader writes '
                                   f'{SCHEMA_VERSION}; use a new output folder')
            self.db.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
            self.db.execute('''CREATE TABLE IF NOT EXISTS batches (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  started TEXT NOT NULL, finished TEXT,
  command TEXT NOT NULL,          -- the options, as JSON
  summary TEXT                    -- counts at the end, as JSON (NULL: interrupted)
)''')
            self.db.execute(f'CREATE TABLE IF NOT EXISTS results (\n  {columns},\n  '
                            f'PRIMARY KEY ({", ".join(KEY)})\n)')
            self.db.execute(f'CREATE TABLE IF NOT EXISTS history (\n  {history},\n  '
                            f'replaced TEXT NOT NULL\n)')

    # ------------------------------------------------------------------ transactions
    def transaction(self):
        db = self.db

        class Transaction:
            def __enter__(self):
                db.execute('BEGIN IMMEDIATE')

            def __exit__(self, kind, value, traceback):
                db.execute('COMMIT' if kind is None else 'ROLLBACK')
                return False
        return Transaction()

    def begin_batch(self, command: dict[str, Any]) -> int:
        with self.transaction():
            cursor = self.db.execute('INSERT INTO batches (started, command) VALUES (?, ?)',
                                     (now(), json.dumps(command, sort_keys=True)))
        return int(cursor.lastrowid)

    def finish_batch(self, batch: int, summary: dict[str, Any]) -> None:
        with self.transaction():
            self.db.execute('UPDATE batches SET finished = ?, summary = ? WHERE id = ?',
                            (now(), json.dumps(summary, sort_keys=True), batch))

    def commit(self, record: Record) -> Record:
        """Store one result atomically; a previous row of the same attempt goes to history."""
        with self.transaction():
            key = (record.assignment, record.student, record.attempt)
            old = self.db.execute(f'SELECT runs FROM results WHERE {_where()}', key).fetchone()
            if old is not None:
                record.runs = int(old['runs']) + 1
                self.db.execute(f'INSERT INTO history ({", ".join(NAMES)}, replaced) '
                                f'SELECT {", ".join(NAMES)}, ? FROM results WHERE {_where()}',
                                (now(), *key))
            values = [getattr(record, name) for name in NAMES]
            self.db.execute(f'INSERT OR REPLACE INTO results ({", ".join(NAMES)}) '
                            f'VALUES ({", ".join("?" * len(NAMES))})', values)
        return record

    # ----------------------------------------------------------------------- reading
    def get(self, assignment: str, student: str, attempt: str) -> Record | None:
        row = self.db.execute(f'SELECT * FROM results WHERE {_where()}', (assignment, student, attempt)).fetchone()
        return Record.from_row(row) if row else None

    def records(self, assignment: str | None = None) -> list[Record]:
        if assignment is None:
            rows = self.db.execute('SELECT * FROM results ORDER BY assignment, student, attempt')
        else:
            rows = self.db.execute('SELECT * FROM results WHERE assignment = ? ORDER BY student, attempt',
                                   (assignment,))
        return [Record.from_row(row) for row in rows]

    def history(self) -> list[dict[str, Any]]:
        return [dict(row) for row in self.db.execute('SELECT * FROM history ORDER BY replaced')]

    def batches(self) -> list[dict[str, Any]]:
        return [dict(row) for row in self.db.execute('SELECT * FROM batches ORDER BY id')]

    @staticmethod
    def is_current(record: Record | None, *, checksum: str, profile: str, fingerprint: str,
                   grader_version: str) -> bool:
        return (record is not None and record.status == GRADED and record.checksum == checksum
                and record.profile == profile and record.settings_fingerprint == fingerprint
                and record.grader_version == grader_version)

    def close(self) -> None:
        self.db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


def _where() -> str:
    return ' AND '.join(f'{name} = ?' for name in KEY)
