"""The library entry point shared by the CLI, the HTTP API and the chat UI."""
from __future__ import annotations

import logging
import time
from pathlib import Path

from rag.answer import Answerer
from rag.chunk import chunk_corpus
from rag.config import Settings
from rag.embed import Embedder, load_embedder
from rag.ingest import IngestError, corpus_files, load_corpus
from rag.prompts import Templates
from rag.retrieve import Retriever
from rag.store import (Index, IndexUnavailable, Manifest, build_lock, corpus_checksum, limit_search_threads,
                       load_index, read_manifest, write_index)
from rag.records import Person
from rag.types import Answer, Chunk, Hit
from rag.understand import understand

log = logging.getLogger("rag")


class QuestionError(ValueError):
    """The question itself is unusable (empty, too long)."""


def build_index(settings: Settings, embedder: Embedder | None = None, progress: bool = True) -> Manifest:
    """Parse, chunk, embed and write the corpus; the previous index stays until this succeeds."""
    started = time.perf_counter()
    with build_lock(settings.index_dir):
        files = corpus_files(settings.corpus)
        articles = load_corpus(files)
        chunks = chunk_corpus(articles, settings.chunk_chars)
        embedder = embedder or load_embedder(settings)
        vectors = embedder.embed_documents([c.context_text for c in chunks], settings.embed_batch_size, progress)
        return write_index(settings.index_dir, chunks, vectors, embedder.name, files, settings, started)


def index_is_current(settings: Settings, model: str) -> bool:
    """True when the index exists, was built with ``model`` and from the corpus as it is now."""
    try:
        manifest = read_manifest(settings.index_dir)
        files = corpus_files(settings.corpus)
    except (IndexUnavailable, IngestError):
        return False
    return manifest.model == model and manifest.corpus_sha256 == corpus_checksum(files)


def _titles(index: Index) -> dict[str, str]:
    titles: dict[str, str] = {}
    for chunk in index.chunks:
        if chunk.kind == "heading" and not chunk.text.startswith("#"):
            titles.setdefault(chunk.doc_id, " ".join(chunk.text.split()))
    return titles


def check_question(question: str, limit: int) -> str:
    """The one check of a question's text, for the API, the chat and the CLI alike."""
    question = (question or "").strip()
    if not question:
        raise QuestionError("question is empty")
    if len(question) > limit:
        raise QuestionError(f"question is {len(question)} characters; the limit is {limit}")
    return question


class Engine:
    def __init__(self, settings: Settings, index: Index, embedder: Embedder):
        self.settings = settings
        self.index = index
        self.embedder = embedder
        # One thread per query: a short sentence gains nothing from intra-op parallelism, and
        # concurrent requests on a small machine lose badly to thread oversubscription.
        embedder.limit_threads(settings.query_threads)
        limit_search_threads(settings.query_threads)
        embedder.embed_query("预热")  # the first encode is slow; pay it at start-up, not on a user
        self.retriever = Retriever(index, embedder, settings)
        self._chunk_by_id = {c.id: c for c in index.chunks}
        self.answerer = Answerer(self.retriever, Templates(settings.prompts_dir), index.bm25.tokenizer,
                                 _titles(index), settings)

    @classmethod
    def load(cls, settings: Settings, embedder: Embedder | None = None) -> "Engine":
        embedder = embedder or load_embedder(settings)
        return cls(settings, load_index(settings.index_dir, embedder.name), embedder)

    @property
    def model(self) -> str:
        return self.embedder.name

    @property
    def people(self) -> list[Person]:
        """Everyone the indexed articles name, quoted or listed."""
        return self.retriever.entities.people

    @property
    def chunks(self) -> list[Chunk]:
        return self.index.chunks

    def chunk(self, chunk_id: str) -> Chunk | None:
        return self._chunk_by_id.get(chunk_id)

    @property
    def manifest(self) -> Manifest:
        return self.index.manifest

    def retrieve(self, question: str, history: list[dict] | None = None, top_k: int = 5,
                 mode: str | None = None) -> list[Hit]:
        """The passages retrieval ranks for ``question``, before any answer is composed."""
        q = understand(question, self.retriever.entities, history)
        return self.retriever.search(question, top_k=top_k, entities=q.entities, mode=mode)

    def forget_query_vectors(self) -> None:
        """Drop cached query embeddings, so a measurement pays for its own."""
        if self.retriever.query_vector:
            self.retriever.query_vector.cache_clear()

    def ask(self, question: str, top_k: int | None = None, filters: dict | None = None,
            history: list[dict] | None = None, mode: str | None = None) -> Answer:
        started = time.perf_counter()
        question = check_question(question, self.settings.max_question_chars)
        filters = {k: v for k, v in (filters or {}).items() if v}
        q = understand(question, self.retriever.entities, history, filters)
        parsed = time.perf_counter()
        answer, _ = self.answerer.answer(q, top_k or self.settings.top_k, filters, mode)
        done = time.perf_counter()
        timings = {"understand": (parsed - started) * 1000, "answer": (done - parsed) * 1000,
                   "total": (done - started) * 1000}
        return answer.model_copy(update={"model": self.model,
                                         "timings_ms": {k: round(v, 3) for k, v in timings.items()}})

    def health(self) -> dict:
        """What is loaded, for /health: names only, never the machine's folders (the build is the
        index folder's name, the id that feedback rows record)."""
        m = self.index.manifest
        return {"status": "ok", "model": self.model, "index": {
            "build": self.index.path.name, "model": m.model, "chunks": m.chunk_count, "counts_by_kind": m.counts_by_kind,
            "faiss_index": m.faiss_index, "built_at": m.built_at, "corpus_files": [Path(f).name for f in m.corpus_files],
        }}
