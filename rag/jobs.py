"""Upload and removal jobs, and what the library knows of each article, in SQLite next to the index.

A job's state outlives the process that ran it: a server killed mid-build restarts, finds the
job still ``running`` and reports it ``failed`` (``rag.documents.Library.recover``). Each call
opens its own short connection (WAL mode), so request threads and the build worker never share one.
"""
from __future__ import annotations

import json
import os
import sqlite3
import time
import uuid
from contextlib import closing
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, computed_field

SCHEMA_VERSION = 1
SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, doc_id TEXT NOT NULL, file TEXT NOT NULL,
    status TEXT NOT NULL, stage TEXT NOT NULL, done INTEGER NOT NULL DEFAULT 0,
    total INTEGER NOT NULL DEFAULT 0, created_at REAL NOT NULL, started_at REAL, finished_at REAL,
    error TEXT, result TEXT, replace INTEGER NOT NULL DEFAULT 0, owner_pid INTEGER NOT NULL,
    plan TEXT, summary TEXT);
CREATE INDEX IF NOT EXISTS jobs_doc ON jobs (doc_id, created_at);
CREATE TABLE IF NOT EXISTS articles (
    doc_id TEXT PRIMARY KEY, file TEXT NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
    summary TEXT NOT NULL, added_at REAL NOT NULL);
"""
PUBLIC = ("id", "kind", "doc_id", "file", "status", "stage", "done", "total", "created_at",
          "started_at", "finished_at", "error", "result")


class Job(BaseModel):
    """One upload (``add``) or removal, as ``GET /jobs/{id}`` reports it."""

    model_config = ConfigDict(frozen=True)

    id: str
    kind: Literal["add", "remove"]
    doc_id: str
    file: str
    status: Literal["queued", "running", "done", "failed"]
    stage: str  # queued, waiting for the index lock, parsing, embedding, writing, loading, done, failed
    done: int = 0  # chunks embedded so far in this build
    total: int = 0  # chunks this build embeds (unchanged articles reuse their vectors)
    created_at: float
    started_at: float | None = None
    finished_at: float | None = None
    error: str | None = None
    result: dict | None = None

    @computed_field
    @property
    def elapsed_s(self) -> float:
        """Seconds since the job was queued: until now while it runs, until its end once finished."""
        return round((self.finished_at or time.time()) - self.created_at, 3)

    @property
    def finished(self) -> bool:
        return self.status in ("done", "failed")


class JobStore:
    def __init__(self, path: Path):
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as db, db:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise RuntimeError(f"{path} has schema {version}, newer than this program's {SCHEMA_VERSION}")
            db.executescript(SCHEMA)  # version 1 is the first; later versions migrate from here
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA journal_mode=WAL")
        return db

    def _one(self, sql: str, args=()) -> sqlite3.Row | None:
        with closing(self._connect()) as db:
            return db.execute(sql, args).fetchone()

    def _all(self, sql: str, args=()) -> list[sqlite3.Row]:
        with closing(self._connect()) as db:
            return db.execute(sql, args).fetchall()

    def _write(self, sql: str, args=()) -> None:
        with closing(self._connect()) as db:
            db.execute(sql, args)

    # ---- jobs -----------------------------------------------------------------------------------
    def create(self, kind: str, doc_id: str, file: str, summary: dict | None = None, replace: bool = False,
               job_id: str | None = None) -> Job:
        job_id = job_id or uuid.uuid4().hex
        self._write("INSERT INTO jobs (id, kind, doc_id, file, status, stage, created_at, replace, owner_pid, "
                    "summary) VALUES (?, ?, ?, ?, 'queued', 'queued', ?, ?, ?, ?)",
                    (job_id, kind, doc_id, file, time.time(), int(replace), os.getpid(), _dump(summary)))
        return self.get(job_id)

    def get(self, job_id: str) -> Job | None:
        row = self._one("SELECT * FROM jobs WHERE id = ?", (job_id,))
        return _job(row) if row else None

    def update(self, job_id: str, **fields) -> None:
        """Set columns of a job; ``result``, ``plan`` and ``summary`` are stored as JSON."""
        for key in ("result", "plan", "summary"):
            if key in fields:
                fields[key] = _dump(fields[key])
        columns = ", ".join(f"{key} = ?" for key in fields)
        self._write(f"UPDATE jobs SET {columns} WHERE id = ?", (*fields.values(), job_id))

    def detail(self, job_id: str) -> dict:
        """The private columns: ``plan`` (file moves), ``summary``, ``replace``, ``owner_pid``."""
        row = self._one("SELECT plan, summary, replace, owner_pid FROM jobs WHERE id = ?", (job_id,))
        return {"plan": _load(row["plan"]) or [], "summary": _load(row["summary"]) or {},
                "replace": bool(row["replace"]), "owner_pid": row["owner_pid"]}

    def unfinished(self) -> list[Job]:
        return [_job(r) for r in self._all("SELECT * FROM jobs WHERE status IN ('queued', 'running') "
                                           "ORDER BY created_at")]

    def latest(self) -> dict[str, tuple[Job, dict]]:
        """Each article's most recent job, with the summary of what it uploaded."""
        rows = self._all("SELECT * FROM jobs ORDER BY created_at, rowid")
        return {r["doc_id"]: (_job(r), _load(r["summary"]) or {}) for r in rows}

    def dismiss(self, doc_id: str) -> int:
        """Forget an article's failed uploads (it never reached the corpus); how many were dropped."""
        with closing(self._connect()) as db:
            return db.execute("DELETE FROM jobs WHERE doc_id = ? AND kind = 'add' AND status = 'failed'",
                              (doc_id,)).rowcount

    # ---- what each article in the corpus holds (parsed once per file version) ----------------
    def article(self, doc_id: str) -> sqlite3.Row | None:
        return self._one("SELECT * FROM articles WHERE doc_id = ?", (doc_id,))

    def articles(self) -> dict[str, sqlite3.Row]:
        return {r["doc_id"]: r for r in self._all("SELECT * FROM articles")}

    def remember(self, doc_id: str, file: str, size: int, mtime_ns: int, summary: dict,
                 added_at: float | None = None) -> None:
        previous = self.article(doc_id)
        added = added_at or (previous["added_at"] if previous else time.time())
        self._write("INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?, ?, ?)",
                    (doc_id, file, size, mtime_ns, _dump(summary), added))

    def forget(self, doc_id: str) -> None:
        self._write("DELETE FROM articles WHERE doc_id = ?", (doc_id,))


def _dump(value) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def _load(text: str | None):
    return None if text is None else json.loads(text)


def _job(row: sqlite3.Row) -> Job:
    data = {key: row[key] for key in PUBLIC}
    data["result"] = _load(data["result"])
    return Job(**data)
