"""Ratings of answers: POST /feedback over real HTTP into a real SQLite file, the schema and its
migrations, a locked / read-only / damaged database, 32 concurrent writers, and the export."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rag.api import create_app
from rag.evaluate import GoldItem
from rag.feedback import (MAX_COMMENT_CHARS, MIGRATIONS, SCHEMA_VERSION, Feedback, FeedbackError,
                          FeedbackUnavailable, UnknownAnswer, migrate)
from rag.types import Answer, Citation

QUESTION = "钱坤是哪个社区的书记？"


@pytest.fixture()
def db(tmp_path) -> Path:
    return tmp_path / "feedback.sqlite"


@pytest.fixture()
def client(engine, db):
    with TestClient(create_app(engine.settings, engine=engine, feedback=Feedback(db, busy_timeout_s=0.3))) as c:
        yield c


def ask(client, question=QUESTION, **body) -> dict:
    response = client.post("/ask", json={"question": question, **body})
    assert response.status_code == 200, response.text
    return response.json()


def rows(path: Path) -> list[dict]:
    with sqlite3.connect(path) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute("SELECT * FROM feedback ORDER BY rowid")]


def made_answer(answer_id: str = "a1") -> Answer:
    cite = Citation(speaker="钱坤", title="书记", community="广福社区", street=None, district=None, quote="话",
                    start=0, end=1, score=1.0, chunk_id="d#001", doc_id="d")
    return Answer(answer="答", answer_id=answer_id, abstained=False, answer_type="content", citations=[cite], model="m")


# ------------------------------------------------------------------ the HTTP route


def test_each_answer_has_its_own_answer_id(client):
    first, second = ask(client), ask(client)
    assert len(first["answer_id"]) == 32 and first["answer_id"] != second["answer_id"]


def test_rating_stores_the_whole_exchange(client, db, engine):
    history = [{"question": "吴桂英是哪个村的书记？", "answer": "新农村"}]
    answer = ask(client, history=history, filters={"district": "天府新区"})
    response = client.post("/feedback", json={"answer_id": answer["answer_id"], "rating": "down", "comment": "太短"})
    assert response.status_code == 200, response.text
    assert response.json()["rating"] == "down" and response.json()["rated_at"]
    [row] = rows(db)
    assert (row["question"], row["rating"], row["comment"]) == (QUESTION, "down", "太短")
    assert json.loads(row["history"]) == history and json.loads(row["filters"]) == {"district": "天府新区"}
    assert row["answer"] == answer["answer"] and json.loads(row["citations"]) == answer["citations"]
    assert row["model"] == engine.model and row["index_build"] == engine.health()["index"]["build"]
    assert row["asked_at"] and row["rated_at"] and row["answer_type"] == answer["answer_type"]


def test_rating_again_replaces_the_rating(client, db):
    answer_id = ask(client)["answer_id"]
    for rating in ("up", "down", "up"):
        assert client.post("/feedback", json={"answer_id": answer_id, "rating": rating}).status_code == 200
    assert [(r["answer_id"], r["rating"]) for r in rows(db)] == [(answer_id, "up")]


def test_unknown_answer_is_404_and_stores_nothing(client, db):
    response = client.post("/feedback", json={"answer_id": "0" * 32, "rating": "up"})
    assert response.status_code == 404 and "ask the question again" in response.json()["detail"]
    assert not db.exists()


@pytest.mark.parametrize("body, fragment", [
    ({"rating": "meh"}, "'up' or 'down'"),
    ({"rating": "UP"}, "'up' or 'down'"),
    ({"rating": None}, "'up' or 'down'"),
    ({"rating": "up", "comment": "评" * (MAX_COMMENT_CHARS + 1)}, "at most 2000 characters"),
    ({"rating": "up", "comment": 5}, "string"),
    ({"rating": "up", "stars": 5}, "Extra inputs"),
    ({}, "Field required"),
])
def test_bad_ratings_are_422_and_store_nothing(client, db, body, fragment):
    answer_id = ask(client)["answer_id"]
    response = client.post("/feedback", json={"answer_id": answer_id, **body})
    assert response.status_code == 422
    assert fragment in str(response.json()["detail"])
    assert len(response.text) < 1200  # a 2,001-character comment is not echoed back whole
    assert not db.exists()


def test_comment_of_exactly_the_limit_is_kept(client, db):
    answer_id = ask(client)["answer_id"]
    comment = "评" * MAX_COMMENT_CHARS
    assert client.post("/feedback", json={"answer_id": answer_id, "rating": "up", "comment": comment}).status_code == 200
    assert rows(db)[0]["comment"] == comment


def test_missing_answer_id_is_422(client):
    response = client.post("/feedback", json={"answer_id": "", "rating": "up"})
    assert response.status_code == 422 and "answer_id" in str(response.json()["detail"])


# ------------------------------------------------------------------ a database that cannot be written


@contextmanager
def locked(path: Path):
    """Another program holding the write lock, as a backup tool or a hung writer would."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        conn.execute("ROLLBACK")
        conn.close()


@contextmanager
def read_only(path: Path):
    """A file this process cannot write: chmod for a normal user; root ignores modes, so there the
    file is made immutable (chattr +i, which binds root too)."""
    if os.geteuid() != 0:
        path.chmod(0o444)
        path.parent.chmod(0o555)
        try:
            yield
        finally:
            path.parent.chmod(0o755)
            path.chmod(0o644)
        return
    for extra in ("-wal", "-shm"):
        Path(f"{path}{extra}").unlink(missing_ok=True)
    if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not supported here, and root can write any file")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def test_locked_database_is_503_and_ask_keeps_working(client, db):
    first = ask(client)["answer_id"]
    assert client.post("/feedback", json={"answer_id": first, "rating": "up"}).status_code == 200
    answer_id = ask(client)["answer_id"]
    with locked(db):
        response = client.post("/feedback", json={"answer_id": answer_id, "rating": "down"})
        assert response.status_code == 503
        assert "locked" in response.json()["detail"] and "feedback.sqlite" in response.json()["detail"]
        assert str(db.parent) not in response.text  # the file's name, not the machine's folders
        assert ask(client)["answer_id"]
    # Nothing was half-written, and the same rating goes through once the lock is gone.
    assert [r["answer_id"] for r in rows(db)] == [first]
    assert client.post("/feedback", json={"answer_id": answer_id, "rating": "down"}).status_code == 200


def test_read_only_database_is_503_and_ask_keeps_working(client, db):
    first = ask(client)["answer_id"]
    assert client.post("/feedback", json={"answer_id": first, "rating": "up"}).status_code == 200
    answer_id = ask(client)["answer_id"]
    with read_only(db):
        response = client.post("/feedback", json={"answer_id": answer_id, "rating": "down"})
        assert response.status_code == 503, response.text
        assert "read-only" in response.json()["detail"]
        assert ask(client)["answer_id"]
    assert [r["answer_id"] for r in rows(db)] == [first]


def test_damaged_database_is_503(client, db):
    db.write_bytes(b"this is not a database file" * 100)
    answer_id = ask(client)["answer_id"]
    response = client.post("/feedback", json={"answer_id": answer_id, "rating": "up"})
    assert response.status_code == 503 and "not a readable SQLite database" in response.json()["detail"]


# ------------------------------------------------------------------ schema and migrations


def test_new_database_is_wal_at_the_current_schema_version(db):
    store = Feedback(db)
    store.remember(made_answer(), "问", [], {}, "build-1")
    store.record("a1", "up")
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == len(MIGRATIONS)


def test_migration_brings_an_older_database_forward_and_keeps_its_rows(db):
    store = Feedback(db)
    store.remember(made_answer(), "问", [], {}, "build-1")
    store.record("a1", "down", "旧的评价")
    later = MIGRATIONS + (("ALTER TABLE feedback ADD COLUMN reviewed INTEGER NOT NULL DEFAULT 0",),)
    with sqlite3.connect(db, isolation_level=None) as conn:
        assert migrate(conn, later) == SCHEMA_VERSION
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
        assert conn.execute("SELECT comment, reviewed FROM feedback").fetchall() == [("旧的评价", 0)]
        assert migrate(conn, later) == SCHEMA_VERSION + 1  # already current: nothing runs twice


def test_a_failing_migration_changes_nothing(db):
    with sqlite3.connect(db, isolation_level=None) as conn:
        broken = MIGRATIONS + (("CREATE TABLE half_done (x)", "THIS IS NOT SQL"),)
        with pytest.raises(sqlite3.OperationalError):
            migrate(conn, broken)
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 0
        assert conn.execute("SELECT name FROM sqlite_master").fetchall() == []


def test_a_database_from_a_newer_program_is_refused(db):
    with sqlite3.connect(db) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    store = Feedback(db)
    store.remember(made_answer(), "问", [], {}, "build-1")
    with pytest.raises(FeedbackUnavailable, match="newer than this program"):
        store.record("a1", "up")


def test_library_checks_match_the_route(db):
    store = Feedback(db)
    store.remember(made_answer(), "问", [], {}, "b")
    with pytest.raises(FeedbackError):
        store.record("a1", "meh")
    with pytest.raises(FeedbackError):
        store.record("a1", "up", "x" * (MAX_COMMENT_CHARS + 1))
    with pytest.raises(UnknownAnswer):
        store.record("nope", "up")
    assert not db.exists()


def test_only_the_most_recent_answers_are_remembered(db):
    store = Feedback(db, remembered=3)
    for n in range(5):
        store.remember(made_answer(f"a{n}"), "问", [], {}, "b")
    with pytest.raises(UnknownAnswer):
        store.asked("a1")
    assert store.asked("a4").question == "问"


# ------------------------------------------------------------------ many writers at once


@pytest.mark.slow  # a live server and 32 threads: about 6 s
def test_32_concurrent_clients_lose_no_rating(engine, db):
    """32 threads, each with its own HTTP connection to a live server, ask and rate at once."""
    import httpx

    from ui.browser import serve  # the one in-thread uvicorn helper (ui.server)

    clients, per_client = 32, 4
    app = create_app(engine.settings, engine=engine, feedback=Feedback(db))
    errors: list[str] = []
    expected: dict[str, str] = {}
    start = threading.Barrier(clients)

    def client_thread(n: int):
        with httpx.Client(base_url=base, timeout=60) as http:
            mine = [http.post("/ask", json={"question": QUESTION}).json()["answer_id"] for _ in range(per_client)]
            start.wait()  # every thread writes at the same moment
            for k, answer_id in enumerate(mine):
                rating = "up" if (n + k) % 2 else "down"
                response = http.post("/feedback", json={"answer_id": answer_id, "rating": rating, "comment": f"{n}-{k}"})
                if response.status_code != 200:
                    errors.append(f"{response.status_code} {response.text[:200]}")
                expected[answer_id] = rating

    with serve(app) as base:
        threads = [threading.Thread(target=client_thread, args=(n,)) for n in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
    assert errors == []
    stored = {r["answer_id"]: r["rating"] for r in rows(db)}
    assert len(stored) == clients * per_client and stored == expected


# ------------------------------------------------------------------ export for the gold set


def rag_cli(*args, db: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "RAG_FEEDBACK_DB": str(db)}
    return subprocess.run([sys.executable, "-m", "rag", *args], capture_output=True, text=True, env=env, timeout=60)


def test_export_prints_gold_candidates(client, db):
    liked, disliked = ask(client), ask(client, "郫都区有哪些书记？")
    client.post("/feedback", json={"answer_id": liked["answer_id"], "rating": "up"})
    client.post("/feedback", json={"answer_id": disliked["answer_id"], "rating": "down", "comment": "少了一位"})

    result = rag_cli("feedback", "export", "--rating", "down", "--jsonl", db=db)
    assert result.returncode == 0, result.stderr
    [line] = result.stdout.splitlines()
    item = json.loads(line)
    gold = GoldItem.model_validate(item)  # the lines are eval/gold.jsonl items, ready to review
    assert gold.question == "郫都区有哪些书记？" and gold.answerable
    assert gold.speakers == list(dict.fromkeys(c["speaker"] for c in disliked["citations"]))
    assert item["review"]["comment"] == "少了一位" and item["review"]["answer"] == disliked["answer"]

    everything = rag_cli("feedback", "export", "--jsonl", db=db)
    assert [json.loads(x)["question"] for x in everything.stdout.splitlines()] == [QUESTION, "郫都区有哪些书记？"]


def test_export_refuses_an_unknown_rating_and_an_empty_store_says_so(tmp_path):
    result = rag_cli("feedback", "export", "--rating", "sideways", db=tmp_path / "f.sqlite")
    assert result.returncode == 1 and "'up' or 'down'" in result.stderr
    result = rag_cli("feedback", "export", "--jsonl", db=tmp_path / "f.sqlite")
    assert result.returncode == 0 and result.stdout == "" and "no ratings" in result.stderr
    assert not (tmp_path / "f.sqlite").exists()  # exporting never creates the database


@pytest.mark.slow  # 300 fresh databases, 16 threads each: about 4 s
def test_simultaneous_first_connections_to_a_new_database_are_never_locked(tmp_path):
    """The first writers of a new file switch it to WAL and migrate it one at a time; when two did it
    at once SQLite could answer "locked" without waiting (about 2 in 100 fresh files with 16 threads)."""
    from rag.feedback import FeedbackUnavailable

    locked = 0
    for n in range(300):
        store, barrier, errors = Feedback(tmp_path / f"f{n}.sqlite"), threading.Barrier(16), []

        def first_connection():
            barrier.wait()
            try:
                store.connect().close()
            except FeedbackUnavailable as exc:
                errors.append(exc)

        threads = [threading.Thread(target=first_connection) for _ in range(16)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        locked += bool(errors)
    assert locked == 0
