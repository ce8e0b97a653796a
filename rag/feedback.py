"""Ratings of answers (👍/👎), stored in SQLite for people to turn into gold questions.

``rag.api.ask`` gives every answer an ``answer_id`` and hands it to ``Feedback.remember``; a rating
(``POST /feedback``, the chat's thumbs, both through ``Feedback.record``) looks the answer up and
stores it whole: question, history, filters, answer, citations, model, index build, rating, time.

Answers are remembered in memory only (the last ``REMEMBERED_ANSWERS``), so ``/ask`` never waits on
the disk and keeps answering when the database is locked or read-only; an answer from before a
restart cannot be rated (404). The database is opened per write in WAL mode with a busy timeout,
which lets many writers queue instead of failing; its schema version is SQLite's ``user_version``
and ``MIGRATIONS`` brings an older file forward, one transaction for all steps.
"""
from __future__ import annotations

import json
import sqlite3
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from rag.types import Answer

RATINGS = ("up", "down")
MAX_COMMENT_CHARS = 2000
# Enough for a day of busy chat on one server; older answers can no longer be rated.
REMEMBERED_ANSWERS = 10_000
# How long a write waits for another writer (or a program holding the file) before giving up.
BUSY_TIMEOUT_S = 5.0

# Step N brings a database at user_version N-1 to N. Never edit a released step: append a new one.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (  # 1: one row per rated answer; rating it again replaces the rating and comment.
        """CREATE TABLE feedback (
            answer_id   TEXT PRIMARY KEY,
            rating      TEXT NOT NULL CHECK (rating IN ('up', 'down')),
            comment     TEXT,
            question    TEXT NOT NULL,
            history     TEXT NOT NULL,   -- JSON list of {question, answer}
            filters     TEXT NOT NULL,   -- JSON object
            answer      TEXT NOT NULL,
            answer_type TEXT NOT NULL,
            abstained   INTEGER NOT NULL,
            citations   TEXT NOT NULL,   -- JSON list, as in the /ask response
            model       TEXT NOT NULL,
            index_build TEXT NOT NULL,
            asked_at    TEXT NOT NULL,
            rated_at    TEXT NOT NULL
        )""",
        "CREATE INDEX feedback_by_rating ON feedback (rating, rated_at)",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)


class FeedbackError(ValueError):
    """The rating itself is unusable (unknown rating, comment too long): a 422."""


class UnknownAnswer(LookupError):
    """No remembered answer has this id: a 404."""


class FeedbackUnavailable(RuntimeError):
    """The database cannot be written (locked, read-only, damaged, too new): a 503."""


@dataclass(frozen=True)
class Asked:
    """What was asked and answered, kept until the answer is rated or forgotten."""
    question: str
    history: list[dict]
    filters: dict
    answer: Answer
    index_build: str
    asked_at: str


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def check_rating(rating: str, comment: str | None) -> None:
    """The one check of a rating, for the API, the chat and the CLI alike."""
    if rating not in RATINGS:
        raise FeedbackError(f"rating must be 'up' or 'down' (got {str(rating)[:20]!r})")
    if comment is not None and len(comment) > MAX_COMMENT_CHARS:
        raise FeedbackError(f"comment is {len(comment)} characters; the limit is {MAX_COMMENT_CHARS}")


def _unavailable(path: Path, exc: Exception) -> FeedbackUnavailable:
    """A message that says what is wrong with the file, naming it without the machine's folders."""
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        why = "is locked by another program"
    elif "readonly" in text or "read-only" in text:
        why = "is read-only"
    elif "not a database" in text or "malformed" in text:
        why = "is not a readable SQLite database"
    else:
        why = f"cannot be opened ({exc})"
    return FeedbackUnavailable(f"the rating was not saved: the feedback database {path.name} {why}. "
                               "Answers still work; fix the file or set RAG_FEEDBACK_DB, then rate again.")


def migrate(conn: sqlite3.Connection, migrations: tuple[tuple[str, ...], ...] = MIGRATIONS) -> int:
    """Bring the schema to ``len(migrations)`` in one transaction; returns the version found.
    A database newer than this program is refused rather than written in a shape it does not know."""
    conn.execute("BEGIN IMMEDIATE")  # one migrator at a time; the others see its result
    try:
        found = conn.execute("PRAGMA user_version").fetchone()[0]
        if found > len(migrations):
            raise FeedbackUnavailable(f"the feedback database has schema version {found}, newer than this "
                                      f"program's {len(migrations)}: upgrade rag-secretaries to write to it")
        for version in range(found + 1, len(migrations) + 1):
            for statement in migrations[version - 1]:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version}")
        conn.execute("COMMIT")
        return found
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


class Feedback:
    def __init__(self, path: Path, remembered: int = REMEMBERED_ANSWERS, busy_timeout_s: float = BUSY_TIMEOUT_S):
        self.path = Path(path)
        self.remembered = remembered
        self.busy_timeout_s = busy_timeout_s
        self._asked: OrderedDict[str, Asked] = OrderedDict()
        self._lock = threading.Lock()
        self._setup_lock = threading.Lock()  # (the first connections' WAL switch and migration)
        self._migrated = False

    def remember(self, answer: Answer, question: str, history: list[dict], filters: dict, index_build: str) -> None:
        asked = Asked(question, history, filters, answer, index_build, _now())
        with self._lock:
            self._asked[answer.answer_id] = asked
            while len(self._asked) > self.remembered:
                self._asked.popitem(last=False)

    def asked(self, answer_id: str) -> Asked:
        with self._lock:
            found = self._asked.get(answer_id)
        if found is None:
            raise UnknownAnswer(f"no answer with answer_id {answer_id[:64]!r}: ratings are accepted for the last "
                                f"{self.remembered} answers of this server run; ask the question again to rate it")
        return found

    def connect(self) -> sqlite3.Connection:
        """A connection in WAL mode with the schema current; FeedbackUnavailable when that fails."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=self.busy_timeout_s, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise _unavailable(self.path, exc) from exc
        try:
            # readers never block the writer, nor it them; WAL is kept in the file, and switching to it
            # takes a lock a busy writer may hold, so a connection only switches when it is not set yet.
            # The switch and the migration run one thread at a time: two first writers that both start
            # them can each hold the lock the other needs, and SQLite then answers "locked" at once
            # instead of waiting (a 503 for one of 32 simultaneous first ratings, twice in CI-like runs).
            if not self._migrated or conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                with self._setup_lock:
                    if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                        conn.execute("PRAGMA journal_mode=WAL")
                    if not self._migrated:
                        migrate(conn)
                        self._migrated = True
            return conn
        except BaseException as exc:
            conn.close()
            if isinstance(exc, sqlite3.Error):
                raise _unavailable(self.path, exc) from exc
            raise

    def record(self, answer_id: str, rating: str, comment: str | None = None) -> dict:
        """Store a rating of a remembered answer; rating it again replaces the earlier rating."""
        check_rating(rating, comment)
        asked = self.asked(answer_id)
        a = asked.answer
        row = {
            "answer_id": answer_id, "rating": rating, "comment": comment, "question": asked.question,
            "history": json.dumps(asked.history, ensure_ascii=False),
            "filters": json.dumps(asked.filters, ensure_ascii=False), "answer": a.answer,
            "answer_type": a.answer_type, "abstained": int(a.abstained),
            "citations": json.dumps([c.to_json() for c in a.citations], ensure_ascii=False),
            "model": a.model, "index_build": asked.index_build, "asked_at": asked.asked_at, "rated_at": _now(),
        }
        columns = ", ".join(row)
        conn = self.connect()
        try:
            conn.execute(f"INSERT INTO feedback ({columns}) VALUES ({', '.join(':' + c for c in row)}) "
                         "ON CONFLICT (answer_id) DO UPDATE SET rating = excluded.rating, "
                         "comment = excluded.comment, rated_at = excluded.rated_at", row)
        except sqlite3.Error as exc:
            raise _unavailable(self.path, exc) from exc
        finally:
            conn.close()
        return {"answer_id": answer_id, "rating": rating, "rated_at": row["rated_at"]}

    def rows(self, rating: str | None = None) -> Iterator[dict]:
        """Stored ratings, oldest first; only ``rating`` ('up'/'down') when given."""
        if rating is not None and rating not in RATINGS:
            raise FeedbackError(f"rating must be 'up' or 'down' (got {rating!r})")
        if not self.path.exists():
            return
        conn = self.connect()
        conn.row_factory = sqlite3.Row
        try:
            query = "SELECT * FROM feedback" + (" WHERE rating = ?" if rating else "") + " ORDER BY rated_at, rowid"
            for row in conn.execute(query, (rating,) if rating else ()):
                yield {**dict(row), **{k: json.loads(row[k]) for k in ("history", "filters", "citations")},
                       "abstained": bool(row["abstained"])}
        except sqlite3.Error as exc:
            raise _unavailable(self.path, exc) from exc
        finally:
            conn.close()


def gold_candidate(row: dict) -> dict:
    """A stored rating as a draft line of eval/gold.jsonl (``rag.evaluate.GoldItem`` reads it), with
    what a reviewer needs beside it: the answer given, its rating and comment."""
    speakers = list(dict.fromkeys(c["speaker"] for c in row["citations"] if c.get("speaker")))
    return {
        "id": f"fb-{row['answer_id'][:8]}", "category": "feedback", "question": row["question"],
        "speakers": speakers, "keywords": [], "answerable": not row["abstained"], "history": row["history"],
        "review": {"rating": row["rating"], "comment": row["comment"], "answer": row["answer"],
                   "answer_type": row["answer_type"], "filters": row["filters"], "model": row["model"],
                   "index_build": row["index_build"], "rated_at": row["rated_at"]},
    }
