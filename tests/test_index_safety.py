"""Index safety: a build killed at any point, two builds at once, a failed build and damaged files
never put a half-written index in service, and every unusable index is an ``IndexUnavailable`` that
says to run ``rag index build``. Builds in subprocesses use the real CLI code path and model."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ARTICLE, SECOND_ARTICLE, make_settings
from rag.config import DEFAULT_MODEL, PROJECT_ROOT
from rag.engine import Engine, build_index
from rag.ingest import IngestError
from rag.store import IndexUnavailable, build_lock, load_index, read_manifest

pytestmark = pytest.mark.slow  # subprocesses and kills: `make test` runs them, `-m "not slow"` skips

REBUILD = "rag index build"
QUESTION, SPEAKER = "吴桂英是哪个村的书记？", "吴桂英"

# Runs one build the way `rag index build` does, announcing the stage it has reached on stdout.
# Hooks only observe (or pause, so the parent can kill at a known point); the build itself is real.
# model "real" is the packaged sentence-transformers model; "quick" stands in hashed vectors under
# the same name, for kills inside write_index, where the model plays no part (saves ~4 s of torch
# start-up per build).
DRIVER = r"""
import json, os, sys, time, zlib
from pathlib import Path
import numpy as np
import rag.engine, rag.store
from rag.config import DEFAULT_MODEL, Settings
from rag.embed import Embedder, load_embedder

index_dir, pause_at, model, corpus = Path(sys.argv[1]), sys.argv[2], sys.argv[3], [Path(p) for p in sys.argv[4:]]
settings = Settings(corpus=corpus, index_dir=index_dir, embed_model=DEFAULT_MODEL)

class Hashed(Embedder):
    name, dimension = DEFAULT_MODEL, 200
    def embed_batch(self, texts):
        rows = np.stack([np.random.default_rng(zlib.crc32(t.encode())).standard_normal(200) for t in texts])
        return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype("float32")

embedder = load_embedder(settings) if model == "real" else Hashed()

def say(event, **extra):
    print(json.dumps({"event": event, "t": time.time(), **extra}), flush=True)

batch = embedder.embed_batch
def embed_batch(texts):
    say("embedding")
    if pause_at == "embedding":
        time.sleep(120)
    return batch(texts)
embedder.embed_batch = embed_batch

bm25_build = rag.store.BM25Index.build
def build_bm25(*args, **kwargs):
    say("writing")  # vectors.faiss is already in builds/.<name>.partial
    if pause_at == "writing":
        time.sleep(120)
    return bm25_build(*args, **kwargs)
rag.store.BM25Index.build = build_bm25

replace = os.replace
def os_replace(src, dst):
    replace(src, dst)
    if str(src).endswith(".partial"):
        say("switching")  # the finished build is in builds/, CURRENT still names the old one
        if pause_at == "switching":
            time.sleep(120)
rag.store.os.replace = os_replace

write = rag.engine.write_index
def write_index(*args, **kwargs):
    say("write_start")
    manifest = write(*args, **kwargs)
    say("write_end")
    return manifest
rag.engine.write_index = write_index

say("start")
manifest = rag.engine.build_index(settings, embedder, progress=False)
say("done", manifest=manifest.model_dump())
"""


def start_build(index_dir: Path, corpus: list[Path], pause_at: str = "", model: str = "real") -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", DRIVER, str(index_dir), pause_at or "-", model, *map(str, corpus)],
        cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(PROJECT_ROOT)},
    )


def wait_for(process: subprocess.Popen, event: str, timeout: float = 90) -> list[dict]:
    """Read the driver's events until ``event`` arrives."""
    seen, deadline = [], time.monotonic() + timeout
    for line in process.stdout:
        if line.startswith("{"):
            seen.append(json.loads(line))
            if seen[-1]["event"] == event:
                return seen
        assert time.monotonic() < deadline, f"no {event!r} within {timeout}s: {seen}"
    raise AssertionError(f"build exited before {event!r} (rc {process.wait()}): {seen}\n{process.stderr.read()[-3000:]}")


def finish(process: subprocess.Popen, timeout: float = 120) -> list[dict]:
    out, err = process.communicate(timeout=timeout)
    assert process.returncode == 0, err[-3000:]
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def current_folder(index_dir: Path) -> Path:
    return index_dir / "builds" / (index_dir / "CURRENT").read_text().strip()


def snapshot(index_dir: Path) -> dict:
    folder = current_folder(index_dir)
    return {"CURRENT": (index_dir / "CURRENT").read_text(), "manifest": read_manifest(index_dir),
            "files": {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}}


def assert_serves_the_article(index_dir: Path, embedder, before: dict | None = None) -> None:
    index = load_index(index_dir, DEFAULT_MODEL)
    if before is not None:
        assert snapshot(index_dir) == before
    assert index.manifest.corpus_files == [str(ARTICLE)]
    s = make_settings(index_dir.parent, [ARTICLE])
    assert Engine.load(s, embedder).ask(QUESTION).citations[0].speaker == SPEAKER


def big_corpus(folder: Path, paragraphs: int = 400) -> Path:
    """An article long enough that embedding it takes seconds: the real article's quotes, re-attributed."""
    from rag.chunk import split_sentences
    from rag.ingest import load_article

    article = load_article(ARTICLE)
    sentences = [article.piece(p.spans)[a:b] for p in article.passages if p.kind == "speaker"
                 for a, b in split_sentences(article.piece(p.spans))]
    lines = ["## 社区书记分享先进经验"]
    for i in range(paragraphs):
        quote = "".join(sentences[(i + k) % len(sentences)] for k in range(3))
        lines.append(f"成华区保和街道和美{i}社区党委书记谢琪{'琳玲'[i % 2]}：“{quote}”")
    path = folder / "big.txt"
    path.write_text("\n\n".join(lines) + "\n", "utf-8")
    return path


@pytest.fixture(scope="module")
def base_index(tmp_path_factory, embedder) -> Path:
    s = make_settings(tmp_path_factory.mktemp("base"), [ARTICLE])
    build_index(s, embedder, progress=False)
    return s.index_dir


@pytest.fixture()
def index_dir(base_index, tmp_path) -> Path:
    """A private copy of a finished index of the article."""
    shutil.copytree(base_index, tmp_path / "store")
    return tmp_path / "store"


# ------------------------------------------------------------------ killed builds


@pytest.mark.parametrize("stage", ["embedding", "writing", "switching"])
def test_build_killed_midway_leaves_previous_index_in_service(index_dir, tmp_path, embedder, stage):
    """SIGKILL while embedding, while files are half-written in builds/.<name>.partial, and after the
    new build is complete but before CURRENT names it: the old index is what loads, byte for byte."""
    before = snapshot(index_dir)
    # Killed while the real model embeds; killed inside write_index, where the model plays no part.
    corpus, model = (big_corpus(tmp_path), "real") if stage == "embedding" else (SECOND_ARTICLE, "quick")
    process = start_build(index_dir, [corpus], pause_at=stage, model=model)
    try:
        wait_for(process, stage)
        builds = [p.name for p in (index_dir / "builds").iterdir()]
        if stage == "writing":
            assert any(name.endswith(".partial") for name in builds), builds
        if stage == "switching":
            assert len(builds) == 2, builds  # the old build and the new, complete one
        process.send_signal(signal.SIGKILL)
        assert process.wait(30) == -signal.SIGKILL
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()
    assert_serves_the_article(index_dir, embedder, before)
    # The dead build's lock went with it, and the next build clears what it left behind.
    with build_lock(index_dir, timeout=5):
        pass
    if stage == "embedding":  # nothing was written yet: no leftovers to clear
        return
    build_index(make_settings(index_dir.parent, [ARTICLE]), embedder, progress=False)
    assert [p.name for p in (index_dir / "builds").iterdir()] == [current_folder(index_dir).name]
    assert not list(index_dir.glob(".CURRENT.*"))
    assert load_index(index_dir, DEFAULT_MODEL).manifest.corpus_files == [str(ARTICLE)]


# ------------------------------------------------------------------ concurrent builds


def test_two_builds_at_once_both_finish_one_after_the_other(tmp_path, embedder):
    index_dir = tmp_path / "store"
    first = start_build(index_dir, [ARTICLE])
    second = start_build(index_dir, [SECOND_ARTICLE])
    runs = [finish(first), finish(second)]
    spans = []
    for events in runs:
        times = {e["event"]: e["t"] for e in events}
        embedding = min(e["t"] for e in events if e["event"] == "embedding")
        spans.append((embedding, times["write_end"], events[-1]["manifest"]))
    (a_start, a_end, _), (b_start, b_end, _) = sorted(spans, key=lambda s: s[0])
    assert a_end <= b_start, "the build lock must keep the two builds from interleaving"
    last = max(spans, key=lambda s: s[1])[2]
    # The later build is in service, complete and consistent; the earlier one was cleaned away.
    index = load_index(index_dir, DEFAULT_MODEL)
    assert index.manifest.model_dump() == last
    assert len(index.chunks) == index.manifest.chunk_count == index.vectors.index.ntotal
    assert [p.name for p in (index_dir / "builds").iterdir()] == [index.path.name]
    assert not list(index_dir.glob(".CURRENT.*"))


# ------------------------------------------------------------------ failed builds


def test_failed_builds_leave_previous_index_intact(index_dir, tmp_path, embedder, monkeypatch):
    before = snapshot(index_dir)
    builds = sorted(p.name for p in (index_dir / "builds").iterdir())
    s = make_settings(index_dir.parent, [ARTICLE])

    mixed = tmp_path / "mixed"
    mixed.mkdir()
    shutil.copy(ARTICLE, mixed / "a.txt")
    (mixed / "b.txt").write_bytes(SECOND_ARTICLE.read_text("utf-8").encode("gb18030"))
    with pytest.raises(IngestError, match="UTF-8"):
        build_index(s.model_copy(update={"corpus": [mixed]}), embedder, progress=False)

    class Failing:  # the embedding model dies half way
        name, dimension, calls = DEFAULT_MODEL, 200, 0

        def embed_documents(self, texts, batch_size=32, progress=False):
            raise RuntimeError("model crashed")

    with pytest.raises(RuntimeError, match="model crashed"):
        build_index(s.model_copy(update={"corpus": [SECOND_ARTICLE]}), Failing(), progress=False)

    def disk_full(*args, **kwargs):  # writing the BM25 files fails after vectors.faiss was written
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("rag.store.BM25Index.save", disk_full)
    with pytest.raises(OSError, match="No space"):
        build_index(s.model_copy(update={"corpus": [SECOND_ARTICLE]}), embedder, progress=False)
    monkeypatch.undo()

    assert sorted(p.name for p in (index_dir / "builds").iterdir()) == builds  # no .partial left over
    assert_serves_the_article(index_dir, embedder, before)


# ------------------------------------------------------------------ damaged files


def _truncate(path: Path, size: int | None = None) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2 if size is None else size])


def _edit_manifest(**changes):
    def edit(folder: Path) -> None:
        data = json.loads((folder / "manifest.json").read_text("utf-8"))
        data.update(changes)
        (folder / "manifest.json").write_text(json.dumps(data), "utf-8")
    return edit


def _drop_chunk(folder: Path) -> None:
    lines = (folder / "chunks.jsonl").read_text("utf-8").splitlines(keepends=True)
    (folder / "chunks.jsonl").write_text("".join(lines[:-1]), "utf-8")


DAMAGE = {
    "vectors.faiss truncated to half": lambda f: _truncate(f / "vectors.faiss"),
    "vectors.faiss empty": lambda f: _truncate(f / "vectors.faiss", 0),
    "vectors.faiss missing": lambda f: (f / "vectors.faiss").unlink(),
    "chunks.jsonl garbage bytes": lambda f: (f / "chunks.jsonl").write_bytes(b"\x00\xff garbage \x9c\n" * 3),
    "chunks.jsonl bad json line": lambda f: (f / "chunks.jsonl").write_text(
        (f / "chunks.jsonl").read_text("utf-8") + "{not json\n", "utf-8"),
    "chunks.jsonl wrong records": lambda f: (f / "chunks.jsonl").write_text('{"id": 1}\n' * 34, "utf-8"),
    "chunks.jsonl truncated": lambda f: _truncate(f / "chunks.jsonl"),
    "chunks.jsonl one chunk short": _drop_chunk,
    "manifest.json garbage": lambda f: (f / "manifest.json").write_text("garbage", "utf-8"),
    "manifest.json empty": lambda f: (f / "manifest.json").write_bytes(b""),
    "manifest.json not utf-8": lambda f: (f / "manifest.json").write_bytes(b"\xff\xfe{}"),
    "manifest.json missing a field": lambda f: (f / "manifest.json").write_text('{"format_version": 1}', "utf-8"),
    "manifest.json missing": lambda f: (f / "manifest.json").unlink(),
    "manifest format from the future": _edit_manifest(format_version=99),
    "manifest dimension wrong": _edit_manifest(dimension=512),
    "manifest chunk count wrong": _edit_manifest(chunk_count=7),
    "bm25 folder missing": lambda f: shutil.rmtree(f / "bm25"),
    "bm25 user words garbage": lambda f: (f / "bm25" / "user_words.json").write_text("[oops", "utf-8"),
    "bm25 arrays truncated": lambda f: [_truncate(p) for p in (f / "bm25").glob("*.npy")],
}


@pytest.mark.parametrize("damage", list(DAMAGE), ids=list(DAMAGE))
def test_damaged_index_files_are_index_unavailable(index_dir, damage):
    DAMAGE[damage](current_folder(index_dir))
    with pytest.raises(IndexUnavailable, match=REBUILD):
        load_index(index_dir, DEFAULT_MODEL)


@pytest.mark.parametrize("pointer", [b"", b"no-such-build\n", b"../../etc\n", b"\xff\xfe\x00bad\n"],
                         ids=["empty", "missing build", "outside builds", "not utf-8"])
def test_damaged_current_pointer_is_index_unavailable(index_dir, pointer):
    (index_dir / "CURRENT").write_bytes(pointer)
    with pytest.raises(IndexUnavailable, match=REBUILD):
        load_index(index_dir, DEFAULT_MODEL)


def test_bm25_state_from_another_build_is_refused(index_dir, tmp_path, embedder):
    """Every part of a build must describe the same chunks: BM25 state with another document count
    would score chunks that do not exist (or miss ones that do)."""
    other = make_settings(tmp_path / "other", [SECOND_ARTICLE])
    build_index(other, embedder, progress=False)
    folder = current_folder(index_dir)
    shutil.rmtree(folder / "bm25")
    shutil.copytree(current_folder(other.index_dir) / "bm25", folder / "bm25")
    with pytest.raises(IndexUnavailable, match=REBUILD):
        load_index(index_dir, DEFAULT_MODEL)


def test_index_from_another_model_is_refused(index_dir):
    with pytest.raises(IndexUnavailable, match=REBUILD) as info:
        load_index(index_dir, "BAAI/bge-small-zh-v1.5")
    assert DEFAULT_MODEL in str(info.value)
    _edit_manifest(model="some/other-model")(current_folder(index_dir))
    with pytest.raises(IndexUnavailable, match=REBUILD):
        load_index(index_dir, DEFAULT_MODEL)


def test_api_with_a_damaged_index_answers_503_saying_how_to_rebuild(index_dir):
    from fastapi.testclient import TestClient

    from rag.api import create_app

    _truncate(current_folder(index_dir) / "vectors.faiss")
    app = create_app(make_settings(index_dir.parent, [ARTICLE]))
    with TestClient(app) as client:
        health = client.get("/health")
        ask = client.post("/ask", json={"question": QUESTION})
    assert health.status_code == 503 and REBUILD in health.json()["detail"]
    assert ask.status_code == 503 and REBUILD in ask.json()["detail"]
