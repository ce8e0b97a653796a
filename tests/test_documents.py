"""The article library over real HTTP (TestClient on the real app, real index, real SQLite job
store), and the library itself: every status of the write routes, safe names, bad files, the
background build and switch, a failed build, and add+remove equal to a fresh build. Servers in
threads and processes, the browser and the CLI are in ``test_documents_live.py`` (slow)."""
from __future__ import annotations

import io
import shutil
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

from conftest import ARTICLE, SECOND_ARTICLE
from rag.api import create_app
from rag.config import PROJECT_ROOT, Settings
from rag.documents import Library
from rag.engine import Engine, build_index
from rag.bm25 import BM25Index
from rag.store import VectorIndex, current_build, read_chunks, read_manifest
from rag.uploads import safe_name

TOKEN = "s3cret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
QUOTE_FIRST = PROJECT_ROOT / "tests" / "data" / "style_quote_first.txt"
WEB_PAGE = PROJECT_ROOT / "tests" / "data" / "style_web_page.html"
NEW_QUESTION, NEW_SPEAKER = "孙晓梅是哪个社区的书记？", "孙晓梅"  # in SECOND_ARTICLE only


def library_settings(folder: Path, **overrides) -> Settings:
    return Settings(corpus=[folder / "corpus"], index_dir=folder / "store", feedback_db=folder / "feedback.sqlite",
                    **overrides)


@pytest.fixture(scope="module")
def base(tmp_path_factory, embedder) -> Path:
    """A corpus folder holding the real article, indexed once; tests work on copies."""
    folder = tmp_path_factory.mktemp("library")
    (folder / "corpus").mkdir()
    shutil.copy(ARTICLE, folder / "corpus")
    build_index(library_settings(folder), embedder, progress=False)
    return folder


def copy_of(base: Path, target: Path) -> Path:
    shutil.copytree(base, target)
    return target


def wait_job(client, job_id: str, timeout: float = 120) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"/jobs/{job_id}").json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} still {job} after {timeout}s")


def upload(client, name: str, data: bytes, headers=AUTH, **params):
    return client.post("/documents", files={"file": (name, data)}, headers=headers, params=params)


@pytest.fixture()
def live(tmp_path, base):
    """A fresh copy of the library served with an admin token; a test may change it."""
    folder = copy_of(base, tmp_path / "live")
    with TestClient(create_app(library_settings(folder, admin_token=TOKEN))) as client:
        client.folder = folder
        yield client


@pytest.fixture(scope="module")
def shared(tmp_path_factory, base):
    """One served copy for the requests that are refused and so change nothing."""
    folder = copy_of(base, tmp_path_factory.mktemp("shared") / "lib")
    with TestClient(create_app(library_settings(folder, admin_token=TOKEN))) as client:
        client.folder = folder
        yield client


# ---- reading ---------------------------------------------------------------------------------------
def test_list_describes_each_article(shared):
    (doc,) = shared.get("/documents").json()
    assert doc["doc_id"] == "chengdu_community_secretaries" and doc["status"] == "indexed"
    assert doc["headline"] == "成都党建引领城乡社区发展治理示范单位公益评选颁奖礼举行" and doc["date"] == "4月12日"
    assert (doc["file"], doc["speakers"], doc["chunks"]) == ("chengdu_community_secretaries.txt", 12, 36)
    assert doc["added_at"] and doc["reason"] is None


def test_article_view_highlights_spans_and_escapes_text(shared):
    engine = shared.app.state.engine
    chunk = next(c for c in engine.chunks if c.speaker and c.speaker.name == "吴桂英")
    page = shared.get(f"/documents/{chunk.doc_id}", params={"hl": [f"{chunk.start}-{chunk.end}", "junk", "9-2"]})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert f'<mark id="hl-0">{chunk.text[:20]}' in page.text and 'id="hl-1"' not in page.text
    assert "<script" not in page.text
    assert shared.get("/documents/nothing").status_code == 404
    listing = shared.get(f"/documents/{chunk.doc_id}", headers={"accept": "application/json"}).json()
    assert listing["doc_id"] == chunk.doc_id and listing["speakers"] == 12


def test_unknown_job_is_404(shared):
    assert shared.get("/jobs/0123456789abcdef").status_code == 404


# ---- who may write ---------------------------------------------------------------------------------
def test_write_routes_are_off_without_a_configured_token(tmp_path, base):
    folder = copy_of(base, tmp_path / "closed")
    with TestClient(create_app(library_settings(folder))) as client:
        for response in (upload(client, "a.txt", SECOND_ARTICLE.read_bytes()),
                         client.delete("/documents/chengdu_community_secretaries", headers=AUTH)):
            assert response.status_code == 403 and "RAG_ADMIN_TOKEN" in response.json()["detail"]
        assert client.get("/documents").status_code == 200
        assert client.post("/ask", json={"question": "吴桂英是哪个村的书记？"}).status_code == 200
    assert sorted(p.name for p in (folder / "corpus").iterdir()) == ["chengdu_community_secretaries.txt"]


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN},
                                     {"Authorization": f"Basic {TOKEN}"}, {"Authorization": f"Bearer {TOKEN}x"}])
def test_missing_or_wrong_token_is_401(shared, headers, caplog):
    caplog.set_level("DEBUG")
    for response in (upload(shared, "a.txt", SECOND_ARTICLE.read_bytes(), headers=headers),
                     shared.delete("/documents/chengdu_community_secretaries", headers=headers)):
        assert response.status_code == 401 and response.headers["www-authenticate"] == "Bearer"
        assert TOKEN not in response.text
    assert TOKEN not in caplog.text


def test_openapi_documents_both_upload_forms(shared):
    paths = shared.get("/openapi.json").json()["paths"]
    assert set(paths["/documents"]["post"]["requestBody"]["content"]) == {"multipart/form-data", "application/json"}
    assert {"/documents", "/documents/{doc_id}", "/jobs/{job_id}"} <= set(paths)


# ---- the library unavailable: /ask keeps answering -------------------------------------------
def test_an_unusable_job_store_is_503_and_ask_still_answers(tmp_path, base):
    folder = copy_of(base, tmp_path / "no-store")
    (folder / "store" / "documents.sqlite").mkdir()  # SQLite cannot open a folder
    with TestClient(create_app(library_settings(folder, admin_token=TOKEN))) as client:
        response = client.get("/documents")
        assert response.status_code == 503 and "library is unavailable" in response.json()["detail"]
        assert upload(client, "a.txt", SECOND_ARTICLE.read_bytes()).status_code == 503
        assert client.post("/ask", json={"question": "吴桂英是哪个村的书记？"}).json()["citations"]


def test_uploads_without_a_corpus_folder_are_503(tmp_path, base):
    folder = copy_of(base, tmp_path / "files-only")
    settings = Settings(corpus=[folder / "corpus" / ARTICLE.name], index_dir=folder / "store",
                        feedback_db=folder / "feedback.sqlite", admin_token=TOKEN)
    with TestClient(create_app(settings)) as client:
        response = upload(client, "a.txt", SECOND_ARTICLE.read_bytes())
        assert response.status_code == 503 and "RAG_CORPUS" in response.json()["detail"]
        assert [d["doc_id"] for d in client.get("/documents").json()] == ["chengdu_community_secretaries"]


# ---- refused uploads ---------------------------------------------------------------------------
def zip_bomb() -> bytes:
    """50 MB of zeros in a zip of about 50 KB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.txt", b"0" * 50_000_000)
    return buffer.getvalue()


@pytest.mark.parametrize("name, data, status, reason", [
    ("big.txt", "书" * 700_000, 413, "limit is 2,097,152"),
    ("empty.txt", b"", 422, "empty"),
    ("blank.txt", b" \n\n\t ", 422, "empty"),
    ("gbk.txt", "社区书记说：“你好。”".encode("gbk"), 422, "not UTF-8"),
    ("nul.txt", "社区\0书记".encode() * 100, 422, "binary"),
    ("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40, 422, "PNG"),
    ("bomb.zip", zip_bomb(), 422, "unsupported file type '.zip'"),
    ("bomb.txt", zip_bomb(), 422, "zip archive"),
    ("menu.html", b"<html><body><nav><a href='/'>home</a></nav></body></html>", 422, "no article text"),
    ("report.pdf", b"%PDF-1.4 ...", 422, "unsupported file type '.pdf'"),
])
def test_bad_files_are_refused_with_the_reason(shared, name, data, status, reason):
    data = data.encode() if isinstance(data, str) else data
    response = upload(shared, name, data)
    assert response.status_code == status, response.text
    assert reason in str(response.json()["detail"])
    assert not list((shared.folder / "store" / "uploads").glob("*/*")), "a refused upload left a staged file"


def test_body_over_the_cap_is_413_before_it_is_read(shared):
    response = shared.post("/documents", content=b"x" * (5 * 2 ** 20), headers={**AUTH, "content-type": "text/plain"})
    assert response.status_code == 413


@pytest.mark.parametrize("body, content_type, fragment", [
    (b'{"name": "a"}', "application/json", "Field required"),
    (b'{"name": "a", "text": 5}', "application/json", "string"),
    (b'{"name": "a", "text": "x", "path": "/etc"}', "application/json", "Extra inputs"),
    (b"not json", "application/json", "JSONDecodeError"),
    (b"text", "text/plain", "multipart/form-data"),
])
def test_malformed_upload_requests(shared, body, content_type, fragment):
    response = shared.post("/documents", content=body, headers={**AUTH, "content-type": content_type})
    assert response.status_code in (415, 422) and fragment in str(response.json()["detail"])


@pytest.mark.parametrize("lines, end, reason", [
    (100_000, "\n", "100,000 lines"),  # 1.3 MB, refused before parsing
    (9_000, "\n\n", "RAG_UPLOAD_MAX_CHUNKS"),  # parsed, then refused for its 9,000 passages
])
def test_line_dumps_are_refused_and_the_server_keeps_answering(shared, lines, end, reason):
    data = "".join(f"第{i}行记录。{end}" for i in range(lines)).encode()
    response = upload(shared, "lines.txt", data)
    assert response.status_code == 422 and reason in str(response.json()["detail"])
    assert shared.post("/ask", json={"question": "吴桂英是哪个村的书记？"}).json()["citations"]


def test_name_collision_is_409(shared):
    response = upload(shared, "chengdu_community_secretaries.txt", SECOND_ARTICLE.read_bytes())
    assert response.status_code == 409 and "replace=true" in response.json()["detail"]


def test_removing_the_last_article_or_an_unknown_one(shared):
    assert shared.delete("/documents/chengdu_community_secretaries", headers=AUTH).status_code == 409
    assert shared.delete("/documents/nothing", headers=AUTH).status_code == 404


@pytest.mark.parametrize("client_name, stored", [
    ("../../etc/passwd", "passwd.txt"), ("..\\..\\windows\\evil.md", "evil.md"), ("/abs/周报 第3期.TXT", "周报_第3期.txt"),
    (".hidden.txt", "hidden.txt"), ("...", "article.txt"), ("a.b.c.html", "a_b_c.html"), ("", "article.txt"),
    ("ｆｕｌｌ.txt", "full.txt"), ("x" * 300 + ".txt", "x" * 80 + ".txt"),
])
def test_safe_names(client_name, stored):
    assert safe_name(client_name) == stored


# ---- accepted uploads ------------------------------------------------------------------------------
def test_upload_is_answerable_without_restart_and_removal_takes_it_back(live):
    assert live.post("/ask", json={"question": NEW_QUESTION}).json()["abstained"]
    response = upload(live, "../../etc/second_article.txt", SECOND_ARTICLE.read_bytes())
    assert response.status_code == 202 and response.headers["location"] == response.json()["status_url"]
    job = wait_job(live, response.json()["job_id"])
    assert job["status"] == "done" and job["stage"] == "done" and job["elapsed_s"] > 0
    assert job["result"]["embedded_chunks"] == job["done"] == job["total"] == 28, "only the new article is embedded"
    assert (live.folder / "corpus" / "second_article.txt").read_bytes() == SECOND_ARTICLE.read_bytes()
    assert not (live.folder / "etc").exists() and not list((live.folder / "store" / "uploads").iterdir())
    answer = live.post("/ask", json={"question": NEW_QUESTION}).json()
    assert answer["citations"][0]["speaker"] == NEW_SPEAKER and answer["citations"][0]["doc_id"] == "second_article"
    docs = {d["doc_id"]: d for d in live.get("/documents").json()}
    assert docs["second_article"]["status"] == "indexed" and docs["second_article"]["speakers"] == 7

    response = live.delete("/documents/second_article", headers=AUTH)
    assert response.status_code == 202 and wait_job(live, response.json()["job_id"])["status"] == "done"
    assert live.post("/ask", json={"question": NEW_QUESTION}).json()["abstained"]
    assert [d["doc_id"] for d in live.get("/documents").json()] == ["chengdu_community_secretaries"]
    assert not (live.folder / "corpus" / "second_article.txt").exists()


def test_json_upload_web_page_and_replace(live):
    response = live.post("/documents", json={"name": "周报", "text": QUOTE_FIRST.read_text("utf-8")}, headers=AUTH)
    assert response.status_code == 202 and response.json()["doc_id"] == "周报"
    assert wait_job(live, response.json()["job_id"])["status"] == "done"
    assert (live.folder / "corpus" / "周报.txt").exists()
    assert upload(live, "周报.html", WEB_PAGE.read_bytes()).status_code == 409
    response = upload(live, "周报.html", WEB_PAGE.read_bytes(), replace="true")
    assert response.status_code == 202 and wait_job(live, response.json()["job_id"])["status"] == "done"
    assert sorted(p.name for p in (live.folder / "corpus").iterdir()) == ["chengdu_community_secretaries.txt", "周报.html"]
    doc = next(d for d in live.get("/documents").json() if d["doc_id"] == "周报")
    assert doc["status"] == "indexed" and doc["headline"].startswith("“邻里夜话”") and doc["file"] == "周报.html"


def test_two_uploads_at_once_are_both_indexed(live):
    jobs = [upload(live, name, path.read_bytes()).json()["job_id"]
            for name, path in (("one.txt", SECOND_ARTICLE), ("two.txt", QUOTE_FIRST))]
    assert upload(live, "one.md", QUOTE_FIRST.read_bytes()).status_code == 409  # queued names count
    assert [wait_job(live, job)["status"] for job in jobs] == ["done", "done"]
    assert {d["doc_id"]: d["status"] for d in live.get("/documents").json()} == {
        "chengdu_community_secretaries": "indexed", "one": "indexed", "two": "indexed"}


def test_failed_build_marks_the_article_and_keeps_the_old_index(tmp_path, base):
    """A configured corpus file that disappears makes the next build fail for real."""
    folder = copy_of(base, tmp_path / "failing")
    extra = folder / "extra.txt"
    shutil.copy(QUOTE_FIRST, extra)
    settings = Settings(corpus=[folder / "corpus", extra], index_dir=folder / "store",
                        feedback_db=folder / "feedback.sqlite", admin_token=TOKEN)
    build_index(settings, progress=False)
    with TestClient(create_app(settings)) as client:
        build = client.get("/health").json()["index"]["build"]
        extra.unlink()
        job = wait_job(client, upload(client, "second_article.txt", SECOND_ARTICLE.read_bytes()).json()["job_id"])
        assert job["status"] == "failed" and "extra.txt: no such file" in job["error"]
        assert str(folder) not in job["error"], "a server path leaked into a public reason"
        doc = next(d for d in client.get("/documents").json() if d["doc_id"] == "second_article")
        assert doc["status"] == "failed" and doc["reason"] == job["error"] and doc["job_id"] == job["id"]
        assert not (folder / "corpus" / "second_article.txt").exists()
        assert not list((folder / "store" / "uploads").iterdir()), "the failed job left its files"
        assert client.get("/health").json()["index"]["build"] == build
        assert client.post("/ask", json={"question": NEW_QUESTION}).json()["abstained"]
        assert client.post("/ask", json={"question": "吴桂英是哪个村的书记？"}).json()["citations"]
        assert client.delete("/documents/second_article", headers=AUTH).json()["status"] == "forgotten"
        assert "second_article" not in [d["doc_id"] for d in client.get("/documents").json()]


@pytest.mark.slow  # waits for the worker's 2 s look at the index folder
def test_a_build_by_another_process_is_served_without_restart(live):
    shutil.copy(SECOND_ARTICLE, live.folder / "corpus")
    build_index(library_settings(live.folder), progress=False)  # what `rag index build` does
    deadline = time.monotonic() + 30
    while live.post("/ask", json={"question": NEW_QUESTION}).json()["abstained"]:
        assert time.monotonic() < deadline, "the server never switched to the new build"
        time.sleep(0.2)


# ---- incremental build ---------------------------------------------------------------------------
def index_state(index_dir: Path) -> dict:
    folder = current_build(index_dir)
    vectors = VectorIndex.load(folder / "vectors.faiss").index
    bm25 = BM25Index.load(folder / "bm25")
    questions = ["孙晓梅说了什么？", "院落党小组", "吴桂英是哪个村的书记？", "三江口"]
    return {"chunks": [c.model_dump() for c in read_chunks(index_dir)],
            "vectors": vectors.reconstruct_n(0, vectors.ntotal), "words": bm25.tokenizer.words,
            "bm25": [bm25.scores(q) for q in questions], "manifest": read_manifest(index_dir)}


def test_add_and_remove_equal_a_fresh_build(tmp_path, embedder):
    folder = tmp_path / "incremental"
    (folder / "corpus").mkdir(parents=True)
    for path in (ARTICLE, QUOTE_FIRST):
        shutil.copy(path, folder / "corpus")
    build_index(library_settings(folder), embedder, progress=False)
    library = Library(library_settings(folder))  # no worker: each job runs in this thread
    added = library.add(SECOND_ARTICLE.name, SECOND_ARTICLE.read_bytes())
    removed = library.remove(QUOTE_FIRST.stem)
    assert (added.status, added.result["embedded_chunks"], removed.status, removed.result["embedded_chunks"]) == (
        "done", 28, "done", 0)

    fresh = tmp_path / "fresh"
    (fresh / "corpus").mkdir(parents=True)
    for path in (ARTICLE, SECOND_ARTICLE):
        shutil.copy(path, fresh / "corpus")
    build_index(library_settings(fresh), embedder, progress=False, reuse=False)

    got, want = index_state(folder / "store"), index_state(fresh / "store")
    assert got["chunks"] == want["chunks"] and len(got["chunks"]) == 64
    assert got["vectors"].dtype == np.float32 and np.array_equal(got["vectors"], want["vectors"])
    assert got["words"] == want["words"]
    assert all(np.array_equal(a, b) for a, b in zip(got["bm25"], want["bm25"]))
    assert got["manifest"].corpus_sha256 == want["manifest"].corpus_sha256
    assert got["manifest"].counts_by_kind == want["manifest"].counts_by_kind
    assert want["manifest"].embedded_chunks == 64
