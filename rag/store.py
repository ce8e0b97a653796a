"""The on-disk index: FAISS vectors, chunk records, BM25 state and a manifest.

Each build goes to a fresh folder under ``builds/``; only when it is complete does ``CURRENT``
(one line naming it) get replaced, atomically. A crashed or failed build leaves the previous
index in service, and a lock keeps two builds from interleaving.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
from filelock import FileLock, Timeout
from pydantic import BaseModel, ValidationError

from rag.bm25 import BM25Index, Tokenizer, user_words
from rag.config import Settings
from rag.types import Chunk

FORMAT_VERSION = 2  # 2: people records carry ``quoted`` and ``affiliation``


class IndexUnavailable(RuntimeError):
    """No usable index: the message says what is wrong and how to rebuild."""


class Manifest(BaseModel):
    format_version: int
    model: str
    dimension: int
    chunk_count: int
    counts_by_kind: dict[str, int]
    corpus_sha256: str
    corpus_files: list[str]
    faiss_index: str
    built_at: str
    build_seconds: float
    # Incremental builds (rag.engine.build_index): vectors are reused per article only when they
    # were embedded in batches of the same size, so the index equals a full rebuild's.
    embed_batch_size: int | None = None
    embedded_chunks: int | None = None  # chunks embedded by this build; the rest were reused
    parser_sha256: str = ""  # rag.ingest.parser_fingerprint(): the code that made the chunks


def _faiss():
    try:
        import faiss
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise IndexUnavailable("faiss is not installed: run `make install` (or `pip install faiss-cpu`)") from exc
    return faiss


class VectorIndex:
    """Inner product over L2-normalised vectors (= cosine). Exact when small, HNSW when large."""

    def __init__(self, index):
        self.index = index

    @classmethod
    def build(cls, vectors: np.ndarray, hnsw_min_chunks: int, hnsw_m: int = 32,
              hnsw_ef_search: int = 128) -> "VectorIndex":
        """Flat below ``hnsw_min_chunks``; above, HNSW with graph degree ``hnsw_m`` and search
        breadth ``hnsw_ef_search`` (Settings documents where the values come from)."""
        faiss = _faiss()
        dim = vectors.shape[1]
        if len(vectors) >= hnsw_min_chunks:
            index = faiss.IndexHNSWFlat(dim, hnsw_m, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efSearch = hnsw_ef_search
        else:
            index = faiss.IndexFlatIP(dim)
        index.add(np.ascontiguousarray(vectors, dtype="float32"))
        return cls(index)

    @property
    def kind(self) -> str:
        return "hnsw" if "HNSW" in type(self.index).__name__ else "flat"

    def set_ef_search(self, ef_search: int) -> None:
        """HNSW search breadth (more recall, slower); flat search is exact and has none to set."""
        if self.kind == "hnsw":
            self.index.hnsw.efSearch = int(ef_search)

    def search(self, vector: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        if _search_threads:
            _faiss().omp_set_num_threads(_search_threads)
        scores, ids = self.index.search(np.asarray(vector, dtype="float32").reshape(1, -1), k)
        keep = ids[0] >= 0
        return scores[0][keep], ids[0][keep]

    def search_among(self, vector: np.ndarray, ids: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Exact inner product over a subset (a filter), best ``k`` first."""
        if len(ids) == 0:
            return np.zeros(0, dtype="float32"), np.zeros(0, dtype=int)
        scores = self.index.reconstruct_batch(ids) @ np.asarray(vector, dtype="float32")
        best = np.argsort(-scores, kind="stable")[:k]
        return scores[best], ids[best]

    def save(self, path: Path) -> None:
        _faiss().write_index(self.index, str(path))

    @classmethod
    def load(cls, path: Path) -> "VectorIndex":
        return cls(_faiss().read_index(str(path)))


_search_threads: int | None = None


def limit_search_threads(threads: int) -> None:
    """FAISS parallelises one query over OpenMP threads; for single queries from several request
    threads that oversubscribes a small machine (make bench: flat search over 20k chunks 15.9 ms
    with the default threads, 1.0 ms with one). OpenMP's setting is per thread, so each search
    applies it in the thread that runs it."""
    global _search_threads
    _search_threads = threads


def corpus_checksum(files: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@dataclass
class Index:
    manifest: Manifest
    chunks: list[Chunk]
    vectors: VectorIndex
    bm25: BM25Index
    path: Path


def _current(index_dir: Path) -> Path:
    pointer = index_dir / "CURRENT"
    if not pointer.exists():
        raise IndexUnavailable(f"no index at {index_dir}: build it with `rag index build` (or `make index`)")
    try:
        name = pointer.read_bytes().decode("utf-8").strip()
    except (OSError, UnicodeDecodeError):
        name = ""
    folder = index_dir / "builds" / name
    # The pointer names one folder directly under builds/, never a path elsewhere.
    if not name or Path(name).name != name or name.startswith(".") or not folder.is_dir():
        raise IndexUnavailable(f"index pointer {pointer} is damaged or names no build; "
                               "rebuild it with `rag index build`")
    return folder


def current_build(index_dir: Path) -> Path:
    """The build folder ``CURRENT`` names (``IndexUnavailable`` when none): a server compares it
    with the build it serves to notice a build made by another process."""
    return _current(index_dir)


def read_manifest(index_dir: Path) -> Manifest:
    folder = _current(index_dir)
    try:
        return Manifest.model_validate_json((folder / "manifest.json").read_text("utf-8"))
    except (OSError, ValueError, ValidationError) as exc:
        raise IndexUnavailable(f"index at {folder} is corrupt (manifest: {exc.__class__.__name__}); "
                               "rebuild it with `rag index build`") from exc


def read_chunks(index_dir: Path) -> list[Chunk]:
    """The chunk records of the current build, without loading vectors or a model."""
    folder = _current(index_dir)
    try:
        return [Chunk.model_validate_json(line) for line in (folder / "chunks.jsonl").read_text("utf-8").splitlines()]
    except (OSError, ValueError) as exc:
        raise IndexUnavailable(f"index at {folder} is corrupt (chunks: {exc.__class__.__name__}); "
                               "rebuild it with `rag index build`") from exc


def load_index(index_dir: Path, model: str) -> Index:
    """Load and check the current index; refuse one built with another embedding model."""
    manifest = read_manifest(index_dir)
    folder = _current(index_dir)
    if manifest.format_version != FORMAT_VERSION:
        raise IndexUnavailable(f"index format {manifest.format_version} is not {FORMAT_VERSION}: "
                               "rebuild it with `rag index build`")
    if manifest.model != model:
        raise IndexUnavailable(
            f"index was built with embedding model {manifest.model!r} but the active model is {model!r}; "
            f"rebuild with `rag index build` or set RAG_EMBED_MODEL={manifest.model}"
        )
    try:
        chunks = read_chunks(index_dir)
        vectors = VectorIndex.load(folder / "vectors.faiss")
        bm25 = BM25Index.load(folder / "bm25")
    except IndexUnavailable:
        raise
    except Exception as exc:  # any damaged file means the same thing to the user
        detail = str(exc).splitlines()[0] if str(exc) else ""
        raise IndexUnavailable(f"index at {folder} is corrupt ({exc.__class__.__name__}: {detail}); "
                               "rebuild it with `rag index build`") from exc
    counts = {len(chunks), manifest.chunk_count, vectors.index.ntotal, bm25.document_count}
    if len(counts) != 1 or vectors.index.d != manifest.dimension:
        raise IndexUnavailable(f"index at {folder} is inconsistent (chunk, vector and BM25 counts differ); "
                               "rebuild it with `rag index build`")
    return Index(manifest, chunks, vectors, bm25, folder)


def write_index(index_dir: Path, chunks: list[Chunk], vectors: np.ndarray, model: str,
                files: list[Path], settings: Settings, started: float,
                embedded_chunks: int | None = None, parser: str = "") -> Manifest:
    """Write a complete build beside the current one, then switch ``CURRENT`` to it."""
    builds = index_dir / "builds"
    builds.mkdir(parents=True, exist_ok=True)
    name = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    tmp = builds / f".{name}.partial"
    tmp.mkdir()
    try:
        vector_index = VectorIndex.build(vectors, settings.hnsw_min_chunks, settings.hnsw_m,
                                         settings.hnsw_ef_search)
        vector_index.save(tmp / "vectors.faiss")
        bm25 = BM25Index.build([c.context_text for c in chunks], Tokenizer(user_words(chunks)),
                               settings.bm25_k1, settings.bm25_b)
        (tmp / "bm25").mkdir()
        bm25.save(tmp / "bm25")
        with open(tmp / "chunks.jsonl", "w", encoding="utf-8") as out:
            out.writelines(c.model_dump_json() + "\n" for c in chunks)
        manifest = Manifest(
            format_version=FORMAT_VERSION, model=model, dimension=int(vectors.shape[1]),
            chunk_count=len(chunks), counts_by_kind=dict(Counter(c.kind for c in chunks)),
            corpus_sha256=corpus_checksum(files), corpus_files=[str(f) for f in files],
            faiss_index=vector_index.kind, built_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
            build_seconds=round(time.perf_counter() - started, 3),
            embed_batch_size=settings.embed_batch_size, embedded_chunks=embedded_chunks, parser_sha256=parser,
        )
        (tmp / "manifest.json").write_text(manifest.model_dump_json(indent=2), "utf-8")
        os.replace(tmp, builds / name)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    pointer = index_dir / f".CURRENT.{os.getpid()}"
    pointer.write_text(name + "\n")
    os.replace(pointer, index_dir / "CURRENT")
    for old in builds.iterdir():  # earlier builds and leftovers of killed ones
        if old.name != name:
            shutil.rmtree(old, ignore_errors=True)
    return manifest


def article_key(model: str, batch_size: int, texts: list[str]) -> str:
    """Names one article's embedding input: the model, the batch size and every chunk's text."""
    digest = hashlib.sha256(f"{model}\0{batch_size}\0".encode())
    for text in texts:
        digest.update(text.encode("utf-8", "surrogatepass") + b"\0")
    return digest.hexdigest()


def stored_vectors(index_dir: Path, model: str, batch_size: int) -> dict[str, np.ndarray]:
    """The current build's vectors per article, keyed by ``article_key``; empty when there is no
    build to reuse (none, damaged, another model or batch size, another format)."""
    try:
        manifest = read_manifest(index_dir)
        if (manifest.format_version, manifest.model, manifest.embed_batch_size) != (FORMAT_VERSION, model, batch_size):
            return {}
        chunks = read_chunks(index_dir)
        index = VectorIndex.load(_current(index_dir) / "vectors.faiss").index
        if index.ntotal != len(chunks):
            return {}
        # Flat and HNSW-flat storage both keep the exact float32 rows.
        vectors = index.reconstruct_n(0, index.ntotal) if len(chunks) else np.zeros((0, index.d), "float32")
    except Exception:  # anything unreadable only means "embed everything again"
        return {}
    stored, start = {}, 0
    for end in range(1, len(chunks) + 1):
        if end == len(chunks) or chunks[end].doc_id != chunks[start].doc_id:
            texts = [c.context_text for c in chunks[start:end]]
            stored[article_key(model, batch_size, texts)] = vectors[start:end]
            start = end
    return stored


def build_lock(index_dir: Path, timeout: float = 600) -> FileLock:
    index_dir.mkdir(parents=True, exist_ok=True)
    return FileLock(str(index_dir / ".build.lock"), timeout=timeout)


__all__ = ["Index", "IndexUnavailable", "Manifest", "Timeout", "build_lock", "load_index",
           "read_chunks", "read_manifest", "write_index", "corpus_checksum", "VectorIndex", "article_key",
           "stored_vectors", "current_build"]
