"""The article library: list, add and remove articles. Each change is a job that rebuilds the
index in the background and switches the served engine without a restart.

- One worker thread per index folder runs the jobs in order, so two uploads are queued, not lost.
- A job changes the corpus folder and builds under ``build_lock``, the lock of ``rag index build``,
  with the same build code (``build_index_locked``, incremental: unchanged articles keep their
  vectors). If anything fails, the corpus is put back and the old index keeps serving.
- The engine is swapped by one assignment (``set_engine``); requests already running hold the old
  one and finish on it.
- Job state lives in SQLite next to the index (``rag.jobs``), so a server killed mid-build finds
  the job on restart, puts the corpus back and reports the job ``failed``.

The API (``rag.api_documents``), the chat's library tab and ``rag documents`` all call this module.
"""
from __future__ import annotations

import json
import logging
import queue
import shutil
import threading
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Literal

from pydantic import BaseModel, ConfigDict

from rag.config import Settings
from rag.embed import Embedder, load_embedder
from rag.engine import Engine
from rag.chunk import chunk_article
from rag.ingest import ARTICLE_SUFFIXES, Article, IngestError, corpus_files, load_article, read_text
from rag.jobs import Job, JobStore
from rag.rebuild import recover, run_job
from rag.store import IndexUnavailable, current_build, read_manifest
from rag.uploads import (Conflict, DocumentError, NotFound, check_article, check_bytes,
                         check_name, safe_name, shorten_paths)

log = logging.getLogger("rag.documents")
# How often an idle worker looks for a build made by another process (`rag index build`, the CLI).
FOLLOW_SECONDS = 2.0


class Document(BaseModel):
    """One article as ``GET /documents`` lists it."""

    model_config = ConfigDict(frozen=True)

    doc_id: str
    headline: str
    date: str | None = None
    file: str
    speakers: int  # people quoted in it
    chunks: int
    added_at: str | None = None  # ISO 8601, UTC
    status: Literal["indexed", "pending", "failed"]
    reason: str | None = None
    job_id: str | None = None  # the job that is changing it, or the one that last failed


def describe(article: Article, chunks: int) -> dict:
    """What the listing shows of an article: headline, date, quoted people, chunk count."""
    return {"headline": article.headline or "", "date": article.date or None,
            "speakers": len({p.name for p in article.people if p.quoted}), "chunks": chunks}


def summarize(path: Path, settings: Settings) -> dict:
    """``describe`` for an article file, parsed as the build parses it."""
    article = load_article(path)
    return describe(article, len(chunk_article(article, settings.chunk_chars)))


def _iso(seconds: float | None) -> str | None:
    return datetime.fromtimestamp(seconds, timezone.utc).isoformat(timespec="seconds") if seconds else None


class Library:
    def __init__(self, settings: Settings, reuse: bool = True):
        self.settings = settings
        self.reuse = reuse  # False: every build embeds the whole corpus (for comparisons)
        self.jobs = JobStore(settings.index_dir / "documents.sqlite")
        self.staging = settings.index_dir / "uploads"
        self.get_engine: Callable[[], Engine | None] = lambda: None
        self.set_engine: Callable[[Engine], None] = lambda engine: None
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._submit = threading.Lock()  # a name checked free stays free until its job is recorded

    @property
    def roots(self) -> tuple[Path, ...]:
        """The server folders a public message must not show."""
        return (self.staging, self.settings.index_dir, *self.settings.corpus)

    def connect(self, get_engine: Callable[[], Engine | None], set_engine: Callable[[Engine], None]) -> None:
        """Where the served engine is read and where a new one is put."""
        self.get_engine, self.set_engine = get_engine, set_engine

    # ---- reading ---------------------------------------------------------------------------------
    def folder(self) -> Path:
        """The corpus folder uploads go to: the first folder in ``Settings.corpus``."""
        for path in self.settings.corpus:
            if path.is_dir() or (not path.exists() and not path.suffix):
                return path
        raise DocumentError("uploads need a corpus folder: set RAG_CORPUS to a folder", 503)

    def corpus(self) -> dict[str, Path]:
        """doc_id → file, for every article the next build reads."""
        files: list[Path] = []
        for path in self.settings.corpus:
            try:
                files.extend(corpus_files([path]))
            except IngestError:  # an empty or missing folder holds no articles yet
                pass
        return {path.stem: path for path in files}

    def _indexed(self) -> set[str]:
        try:
            return {Path(f).stem for f in read_manifest(self.settings.index_dir).corpus_files}
        except IndexUnavailable:
            return set()

    def _summary(self, doc_id: str, path: Path, known: dict) -> tuple[dict, float | None]:
        """What the file holds, parsed once per version of it (size and mtime) and remembered."""
        stat = path.stat()
        row = known.get(doc_id)
        if row and (row["file"], row["size"], row["mtime_ns"]) == (path.name, stat.st_size, stat.st_mtime_ns):
            return json.loads(row["summary"]), row["added_at"]
        try:
            summary = summarize(path, self.settings)
        except IngestError as exc:
            summary = {"headline": "", "speakers": 0, "chunks": 0, "error": shorten_paths(str(exc), self.roots)}
        self.jobs.remember(doc_id, path.name, stat.st_size, stat.st_mtime_ns, summary)
        return summary, self.jobs.article(doc_id)["added_at"]

    def documents(self) -> list[Document]:
        corpus, indexed, latest, known = self.corpus(), self._indexed(), self.jobs.latest(), self.jobs.articles()
        docs = [self._in_corpus(doc_id, path, doc_id in indexed, latest.get(doc_id), known)
                for doc_id, path in sorted(corpus.items())]
        for doc_id, (job, summary) in sorted(latest.items()):
            if doc_id in corpus or job.kind != "add" or job.status == "done":
                continue
            status = "failed" if job.status == "failed" else "pending"
            docs.append(Document(doc_id=doc_id, file=job.file, headline=summary.get("headline", ""),
                                 date=summary.get("date"), speakers=summary.get("speakers", 0),
                                 chunks=summary.get("chunks", 0), added_at=_iso(job.created_at),
                                 status=status, reason=job.error if status == "failed" else f"upload {job.stage}",
                                 job_id=job.id))
        return docs

    def _in_corpus(self, doc_id: str, path: Path, indexed: bool, latest: tuple[Job, dict] | None,
                   known: dict) -> Document:
        summary, added = self._summary(doc_id, path, known)
        status, reason, job_id = ("indexed", None, None) if indexed else (
            "pending", "in the corpus folder but not indexed yet: run `rag index build`", None)
        if summary.get("error"):
            status, reason = "failed", summary["error"]
        if latest:
            job = latest[0]
            if not job.finished:
                status, reason, job_id = "pending", f"{'upload' if job.kind == 'add' else 'removal'} {job.stage}", job.id
            elif job.status == "failed":
                reason, job_id = f"last {'upload' if job.kind == 'add' else 'removal'} failed: {job.error}", job.id
        return Document(doc_id=doc_id, file=path.name, headline=summary.get("headline", ""),
                        date=summary.get("date"), speakers=summary.get("speakers", 0),
                        chunks=summary.get("chunks", 0), added_at=_iso(added), status=status,
                        reason=reason, job_id=job_id)

    def document(self, doc_id: str) -> Document:
        for doc in self.documents():
            if doc.doc_id == doc_id:
                return doc
        raise NotFound(f"no article {doc_id!r}")

    def article_text(self, doc_id: str) -> tuple[Document, str]:
        """The article and the text its chunks' offsets refer to (the extracted text of a web page)."""
        doc, path = self.document(doc_id), self.corpus().get(doc_id)
        if path is None:
            raise NotFound(f"article {doc_id!r} is not in the corpus ({doc.status}: {doc.reason})")
        try:
            return doc, load_article(path).text
        except IngestError:
            return doc, read_text(path)

    def job(self, job_id: str) -> Job:
        job = self.jobs.get(job_id)
        if job is None:
            raise NotFound(f"no job {job_id!r}")
        return job

    # ---- writing ---------------------------------------------------------------------------------
    def add_text(self, name: str, text: str, replace: bool = False) -> Job:
        """An article given as text (the JSON upload); ``name`` without a known suffix gets ``.txt``."""
        if Path(name or "").suffix.lower() not in ARTICLE_SUFFIXES:
            name = f"{name}.txt"
        return self.add(name, text.encode("utf-8"), replace)

    def add(self, name: str, data: bytes, replace: bool = False) -> Job:
        """Check an uploaded file and queue it; ``DocumentError`` says why one is refused."""
        name = check_name(safe_name(name))
        check_bytes(name, data, self.settings.upload_max_bytes)
        folder, job_id = self.folder(), uuid.uuid4().hex
        staged = self.staging / job_id / name
        staged.parent.mkdir(parents=True)
        try:
            staged.write_bytes(data)
            summary = describe(*check_article(staged, self.settings))
            with self._submit:
                self._check_free(staged.stem, folder, replace)
                job = self.jobs.create("add", staged.stem, name, summary, replace, job_id)
        except BaseException:
            shutil.rmtree(staged.parent, ignore_errors=True)
            raise
        return self._enqueue(job.id)

    def _check_free(self, doc_id: str, folder: Path, replace: bool) -> None:
        existing = self.corpus().get(doc_id)
        pending = any(j.kind == "add" and j.doc_id == doc_id for j in self.jobs.unfinished())
        if existing is not None and not existing.is_relative_to(folder):
            raise Conflict(f"{existing.name} is configured in RAG_CORPUS outside the upload folder; "
                           "replace or remove it there")
        if (existing is not None or pending) and not replace:
            raise Conflict(f"an article named {doc_id!r} already exists or is queued; "
                           "send replace=true to replace it")

    def remove(self, doc_id: str) -> Job | None:
        """Queue the removal of an article; None when it was only a failed upload, now forgotten."""
        with self._submit:
            corpus, unfinished = self.corpus(), self.jobs.unfinished()
            if doc_id not in corpus and not any(j.doc_id == doc_id for j in unfinished):
                if self.jobs.dismiss(doc_id):
                    return None
                raise NotFound(f"no article {doc_id!r}")
            if doc_id in corpus and not corpus[doc_id].is_relative_to(self.folder()):
                raise Conflict(f"{corpus[doc_id].name} is configured in RAG_CORPUS outside the upload "
                               "folder; remove it there")
            removing = {j.doc_id for j in unfinished if j.kind == "remove"} | {doc_id}
            adding = any(j.kind == "add" for j in unfinished)
            if not adding and not set(corpus) - removing:
                raise Conflict("the last article cannot be removed: the index needs at least one")
            file = corpus[doc_id].name if doc_id in corpus else doc_id
            job = self.jobs.create("remove", doc_id, file)
        return self._enqueue(job.id)

    # ---- running jobs ----------------------------------------------------------------------------
    def _enqueue(self, job_id: str) -> Job:
        if self._thread is None:  # no worker (the CLI): the caller runs the job and waits here
            return self.run(job_id)
        self._queue.put(job_id)
        return self.job(job_id)

    def start(self) -> None:
        """Recover jobs a stopped process left, then start the worker (once)."""
        if self._thread is not None:
            return
        requeue = self.recover()
        self._thread = threading.Thread(target=self._work, name="rag-documents", daemon=True)
        self._thread.start()
        for job_id in requeue:
            self._queue.put(job_id)

    def stop(self, timeout: float = 30) -> None:
        thread, self._thread = self._thread, None
        if thread is not None:
            self._queue.put(None)
            thread.join(timeout)

    def wait(self, job_id: str, timeout: float = 600) -> Job:
        deadline = time.monotonic() + timeout
        while not (job := self.job(job_id)).finished and time.monotonic() < deadline:
            time.sleep(0.05)
        return job

    def _work(self) -> None:
        while True:
            try:
                job_id = self._queue.get(timeout=FOLLOW_SECONDS)
            except queue.Empty:
                self.follow()
                continue
            if job_id is None:
                return
            try:
                self.run(job_id)
            except Exception as exc:  # the worker must outlive any one job, and the job must end
                log.exception("document job %s failed unexpectedly", job_id)
                self.jobs.update(job_id, status="failed", stage="failed", finished_at=time.time(),
                                 error=f"internal error ({exc.__class__.__name__}); see the server log")

    def follow(self) -> None:
        """Serve a build another process made (``rag index build`` or ``rag documents`` beside us)."""
        engine = self.get_engine()
        try:
            if engine is not None and current_build(self.settings.index_dir).resolve() == engine.index.path.resolve():
                return
            self.set_engine(Engine.load(self.settings, self.embedder()))
        except Exception as exc:  # keep serving what we have; say why once per change
            if engine is not None:
                log.debug("not switching to the index on disk: %s", exc)

    def run(self, job_id: str) -> Job:
        """Run one job to its end in this thread (``rag.rebuild.run_job``)."""
        return run_job(self, job_id)

    def recover(self) -> list[str]:
        """Settle the jobs a stopped process left (``rag.rebuild.recover``); queued ones to rerun."""
        return recover(self)

    def embedder(self) -> Embedder:
        engine = self.get_engine()
        if engine is not None and engine.model == self.settings.embed_model:
            return engine.embedder
        return load_embedder(self.settings)

_libraries: dict[Path, Library] = {}
_registry = threading.Lock()


def library_for(settings: Settings) -> Library:
    """The process's one library for ``settings.index_dir``: one worker per index, however many
    apps or tabs use it."""
    key = settings.index_dir.resolve()
    with _registry:
        library = _libraries.get(key)
        if library is None or library.settings != settings:
            library = _libraries[key] = Library(settings)
        return library


def release_library(library: Library) -> None:
    """Drop a stopped library from the registry, so a restarted app gets a fresh one."""
    with _registry:
        key = library.settings.index_dir.resolve()
        if _libraries.get(key) is library:
            del _libraries[key]


def check_admin(settings: Settings, authorization: str | None) -> None:
    """The write routes' check of ``Authorization: Bearer <token>``, in constant time."""
    import hmac

    token = settings.admin_token.get_secret_value() if settings.admin_token else ""
    if not token:
        raise DocumentError("changing the library is disabled: set RAG_ADMIN_TOKEN to a secret and restart "
                            "the server, then send it as 'Authorization: Bearer <token>'", 403)
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise DocumentError("missing or wrong admin token (Authorization: Bearer <RAG_ADMIN_TOKEN>)", 401)
