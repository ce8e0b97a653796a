"""The library entry point shared by the CLI, the HTTP API and the chat UI."""
from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Callable

import numpy as np
from tqdm import tqdm

from rag.answer import Answerer
from rag.chunk import chunk_corpus
from rag.config import Settings
from rag.embed import Embedder, load_embedder
from rag.ingest import IngestError, corpus_files, load_corpus, parser_fingerprint
from rag.prompts import Templates
from rag.paragraphs import headline_line, subtitle_lines
from rag.spelling import PlaceSpeller
from rag.retrieve import Retriever
from rag.store import (Index, IndexUnavailable, Manifest, article_key, build_lock, corpus_checksum,
                       limit_search_threads, load_index, read_manifest, stored_vectors, write_index)
from rag.lexicon import Lexicon
from rag.records import Person
from rag.types import Answer, Chunk, Hit
from rag.understand import understand

log = logging.getLogger("rag")


# Answers kept per engine for repeated questions (a few MB at most).
ANSWER_CACHE_SIZE = 4096


class QuestionError(ValueError):
    """The question itself is unusable (empty, too long)."""


# A build reports its stage ("parsing", "embedding", "writing") with chunks done / to do.
Report = Callable[[str, int, int], None]


def build_index(settings: Settings, embedder: Embedder | None = None, progress: bool = True,
                reuse: bool = True, report: Report | None = None) -> Manifest:
    """Parse, chunk, embed and write the corpus; the previous index stays until this succeeds."""
    with build_lock(settings.index_dir):
        return build_index_locked(settings, embedder, progress, reuse, report)


def build_index_locked(settings: Settings, embedder: Embedder | None = None, progress: bool = True,
                       reuse: bool = True, report: Report | None = None) -> Manifest:
    """``build_index`` for a caller that already holds ``build_lock`` (``rag.documents`` changes the
    corpus under the same lock). With ``reuse``, articles whose chunks are unchanged keep their
    stored vectors and only the others are embedded."""
    started = time.perf_counter()
    report = report or (lambda stage, done, total: None)
    report("parsing", 0, 0)
    files = corpus_files(settings.corpus)
    articles = load_corpus(files)
    chunks = chunk_corpus(articles, settings.chunk_chars)
    embedder = embedder or load_embedder(settings)
    stored = stored_vectors(settings.index_dir, embedder.name, settings.embed_batch_size) if reuse else {}
    vectors, embedded = embed_articles(chunks, embedder, settings.embed_batch_size, stored, progress, report)
    report("writing", embedded, embedded)
    return write_index(settings.index_dir, chunks, vectors, embedder.name, files, settings, started, embedded,
                       parser_fingerprint())


def embed_articles(chunks: list[Chunk], embedder: Embedder, batch_size: int, stored: dict[str, np.ndarray],
                   progress: bool = False, report: Report | None = None) -> tuple[np.ndarray, int]:
    """Vectors for ``chunks`` (grouped by article, in order) and how many were embedded anew.

    Each article is embedded in batches of its own: a vector must not depend on which other
    articles shared its batch (padding and BLAS blocking change the last bits), or an incremental
    build could not equal a full one. ``stored`` (from ``stored_vectors``) supplies unchanged ones."""
    groups: list[list[Chunk]] = []
    for chunk in chunks:
        if groups and groups[-1][0].doc_id == chunk.doc_id:
            groups[-1].append(chunk)
        else:
            groups.append([chunk])
    texts = [[c.context_text for c in group] for group in groups]
    keys = [article_key(embedder.name, batch_size, t) for t in texts]
    todo = [i for i, key in enumerate(keys) if key not in stored]
    total, done = sum(len(texts[i]) for i in todo), 0
    parts: dict[int, np.ndarray] = {i: stored[key] for i, key in enumerate(keys) if key in stored}
    for i in tqdm(todo, desc=f"embedding with {embedder.name}", unit="article", disable=not progress):
        if report:
            report("embedding", done, total)
        parts[i] = embedder.embed_documents(texts[i], batch_size)
        done += len(texts[i])
    if report:
        report("embedding", done, total)
    if not groups:
        return np.zeros((0, embedder.dimension), dtype="float32"), 0
    return np.vstack([parts[i] for i in range(len(groups))]).astype("float32"), total


def index_is_current(settings: Settings, model: str) -> bool:
    """True when the index exists, was built with ``model``, from the corpus as it is now and by
    this version of the parser."""
    try:
        manifest = read_manifest(settings.index_dir)
        files = corpus_files(settings.corpus)
    except (IndexUnavailable, IngestError):
        return False
    return (manifest.model == model and manifest.corpus_sha256 == corpus_checksum(files)
            and manifest.parser_sha256 == parser_fingerprint())


def _titles(index: Index) -> dict[str, str]:
    titles: dict[str, str] = {}
    for chunk in index.chunks:
        if chunk.kind == "heading" and not chunk.text.startswith("#") and (line := headline_line(chunk.text)):
            titles.setdefault(chunk.doc_id, line)
    return titles


def _subtitles(index: Index) -> dict[str, str]:
    """The subtitles of each article's first heading."""
    subtitles: dict[str, str] = {}
    for chunk in index.chunks:
        if chunk.kind == "heading":
            subtitles.setdefault(chunk.doc_id, subtitle_lines(chunk.text))
    return subtitles


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
        lexicon = Lexicon.load(settings.model_cache_dir)
        self.retriever = Retriever(index, embedder, settings, lexicon)
        self._answers: dict[tuple, Answer] = {}  # per index: a new build gets a new engine
        self.answerer = Answerer(self.retriever, Templates(settings.prompts_dir), index.bm25.tokenizer,
                                 _titles(index), settings, lexicon, _subtitles(index))
        self.speller = PlaceSpeller(self.answerer.vocabulary | {
            value for found in self.retriever.entities.surfaces.values() for _, value in found})

    @classmethod
    def load(cls, settings: Settings, embedder: Embedder | None = None) -> "Engine":
        embedder = embedder or load_embedder(settings)
        return cls(settings, load_index(settings.index_dir, embedder.name), embedder)

    def tuned(self, **overrides) -> "Engine":
        """The same index and model with other retrieval settings (for sweeps and comparisons)."""
        return Engine(self.settings.model_copy(update=overrides), self.index, self.embedder)

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
        return self.retriever.chunk(chunk_id)

    @property
    def manifest(self) -> Manifest:
        return self.index.manifest

    def retrieve(self, question: str, history: list[dict] | None = None, top_k: int = 5,
                 mode: str | None = None, filters: dict[str, str] | None = None, lift: bool = True) -> list[Hit]:
        """The passages retrieval ranks for ``question``, before any answer is composed.
        ``lift=False`` ranks by the channels alone, without lifting the records the question names."""
        q = understand(self.speller.respell(question), self.retriever.entities, history, filters)
        return self.retriever.search(q.text, top_k=top_k, filters=q.filters, entities=q.entities if lift else [],
                                     mode=mode)

    def forget_query_vectors(self) -> None:
        """Drop cached query embeddings and answers, so a measurement pays for its own."""
        self._answers.clear()
        if self.retriever.query_vector:
            self.retriever.query_vector.cache_clear()

    def ask(self, question: str, top_k: int | None = None, filters: dict | None = None,
            history: list[dict] | None = None, mode: str | None = None) -> Answer:
        started = time.perf_counter()
        question = check_question(question, self.settings.max_question_chars)
        filters = {k: v for k, v in (filters or {}).items() if v}
        # Chat users click the same examples and ask the same questions: an index answers the same
        # question (with the same history, filters and top_k) the same way, so keep the answer.
        key = (question, top_k, mode, tuple(sorted(filters.items())),
               tuple((t.get("question"), t.get("answer")) for t in history or ()))
        if (cached := self._answers.get(key)) is not None:
            return cached.model_copy(update={"timings_ms": {"total": round((time.perf_counter() - started) * 1000, 3),
                                                            "cached": 1.0}})
        q = understand(self.speller.respell(question), self.retriever.entities, history, filters)
        parsed = time.perf_counter()
        answer, _ = self.answerer.answer(q, top_k, mode)
        done = time.perf_counter()
        timings = {"understand": (parsed - started) * 1000, "answer": (done - parsed) * 1000,
                   "total": (done - started) * 1000}
        answer = answer.model_copy(update={"model": self.model,
                                           "timings_ms": {k: round(v, 3) for k, v in timings.items()}})
        if len(self._answers) >= ANSWER_CACHE_SIZE:
            try:  # oldest first (dicts keep insertion order); another request may have evicted it
                self._answers.pop(next(iter(self._answers)))
            except (KeyError, RuntimeError, StopIteration):
                pass
        self._answers[key] = answer
        return answer

    def health(self) -> dict:
        """What is loaded, for /health: names only, never the machine's folders (the build is the
        index folder's name, the id that feedback rows record)."""
        m = self.index.manifest
        return {"status": "ok", "model": self.model, "index": {
            "build": self.index.path.name, "model": m.model, "chunks": m.chunk_count, "counts_by_kind": m.counts_by_kind,
            "faiss_index": m.faiss_index, "built_at": m.built_at, "corpus_files": [Path(f).name for f in m.corpus_files],
        }}
