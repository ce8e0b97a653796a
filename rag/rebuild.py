"""Running a library job: change the corpus folder, build under the index lock, load the new
index and switch the served engine to it, or put everything back. And, after a crash, settling
the jobs a stopped process left.

A job's file moves (its ``plan``) are written to the job store before the first move, so
``recover`` can undo exactly what a killed process did. Whether a killed build had already
switched the index is read from the index itself: its manifest's corpus checksum matches the
corpus folder only if the build finished with the moved files in place.
"""
from __future__ import annotations

import logging
import os
import shutil
import time
from pathlib import Path
from typing import TYPE_CHECKING

from rag.engine import Engine, build_index_locked
from rag.ingest import IngestError, corpus_files
from rag.jobs import Job
from rag.store import IndexUnavailable, Manifest, build_lock, corpus_checksum, read_manifest
from rag.uploads import Conflict, DocumentError, NotFound, shorten_paths

if TYPE_CHECKING:
    from rag.documents import Library

log = logging.getLogger("rag.documents")
# Progress goes to SQLite at most this often; stage changes are always written.
PROGRESS_SECONDS = 0.25
INTERRUPTED = "the server stopped during this build; the previous index stayed in service. Upload it again."


def _move(src: Path, dst: Path) -> None:
    """Move a file; across file systems, copy beside the target first so it appears whole."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.replace(src, dst)
    except OSError:
        partial = dst.with_name(f".{dst.name}.partial")  # not an article suffix: no build reads it
        shutil.copy2(src, partial)
        os.replace(partial, dst)
        src.unlink()


def _undo(plan: list[list[str]]) -> None:
    """Reverse the moves of a plan that were made (any prefix of it); safe to repeat."""
    for src, dst in reversed(plan):
        if Path(dst).exists() and not Path(src).exists():
            _move(Path(dst), Path(src))


def run_job(library: Library, job_id: str) -> Job:
    """Run one job to its end in this thread: change the corpus, build, load, switch."""
    job = library.job(job_id)
    if job.finished:
        return job
    library.jobs.update(job_id, status="running", stage="waiting for the index lock", started_at=time.time())
    try:
        with build_lock(library.settings.index_dir):
            manifest = _change_and_build(library, job)
    except Exception as exc:
        reason = _reason(library, exc)
        log.warning("document job %s (%s %s) failed: %s", job_id, job.kind, job.doc_id, reason)
        library.jobs.update(job_id, status="failed", stage="failed", error=reason, finished_at=time.time())
        _discard(library, job_id)
        return library.job(job_id)
    if job.kind == "add":
        path = library.folder() / job.file
        stat = path.stat()
        library.jobs.remember(job.doc_id, job.file, stat.st_size, stat.st_mtime_ns,
                              library.jobs.detail(job_id)["summary"], added_at=time.time())
    else:
        library.jobs.forget(job.doc_id)
    result = {"chunks": manifest.chunk_count, "embedded_chunks": manifest.embedded_chunks,
              "build_seconds": manifest.build_seconds, "built_at": manifest.built_at}
    library.jobs.update(job_id, status="done", stage="done", result=result, finished_at=time.time())
    shutil.rmtree(library.staging / job_id, ignore_errors=True)
    return library.job(job_id)


def _discard(library: Library, job_id: str) -> None:
    """Delete a failed job's folder, unless an old version of an article is still parked there
    (the undo did not finish): that file is the user's, never ours to delete."""
    plan = library.jobs.detail(job_id)["plan"]
    if all(Path(src).exists() for src, _ in plan if not src.startswith(str(library.staging))):
        shutil.rmtree(library.staging / job_id, ignore_errors=True)


def _reason(library: Library, exc: Exception) -> str:
    """The error for the job's reader: our own errors as they are, others with their type; any
    server path shortened to its file name (the listing is public)."""
    text = str(exc) if isinstance(exc, (DocumentError, IngestError, IndexUnavailable)) else (
        f"{exc.__class__.__name__}: {exc}")
    return shorten_paths(text, library.roots)


def _plan(library: Library, job: Job) -> list[list[str]]:
    """The file moves of a job, in order: old versions out to the job's folder, the new one in."""
    work, folder = library.staging / job.id, library.folder()
    existing = library.corpus().get(job.doc_id)
    if job.kind == "remove":
        if existing is None:
            raise NotFound(f"no article {job.doc_id!r}")
        return [[str(existing), str(work / "removed" / existing.name)]]
    if existing is not None and not library.jobs.detail(job.id)["replace"]:
        raise Conflict(f"an article named {job.doc_id!r} already exists; send replace=true to replace it")
    if existing is not None and not existing.is_relative_to(folder):
        raise Conflict(f"{existing.name} is outside the upload folder; replace it there")
    old = [[str(existing), str(work / "old" / existing.name)]] if existing is not None else []
    return old + [[str(work / job.file), str(folder / job.file)]]


def _change_and_build(library: Library, job: Job) -> Manifest:
    """Move the files, build, load the new index and switch to it; on any failure put the
    files back and, if the new build was already current, rebuild the old corpus over it."""
    plan, built = _plan(library, job), None
    library.jobs.update(job.id, plan=plan, stage="parsing")  # written before any file moves
    try:
        for src, dst in plan:
            _move(Path(src), Path(dst))
        built = build_index_locked(library.settings, library.embedder(), progress=False, reuse=library.reuse,
                                   report=_reporter(library, job.id))
        library.jobs.update(job.id, stage="loading")
        engine = Engine.load(library.settings, library.embedder())
    except BaseException:
        _undo(plan)
        if built is not None:  # the index on disk must match the corpus again (reuse: no embedding)
            build_index_locked(library.settings, library.embedder(), progress=False)
        raise
    library.set_engine(engine)
    return built


def _reporter(library: Library, job_id: str):
    last = {"stage": None, "at": 0.0}

    def report(stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if stage != last["stage"] or now - last["at"] >= PROGRESS_SECONDS or done == total:
            library.jobs.update(job_id, stage=stage, done=done, total=total)
            last.update(stage=stage, at=now)
    return report


def recover(library: Library) -> list[str]:
    """Settle jobs a stopped process left: a build it was running is undone (or, if it had
    already switched the index, completed) and ``failed``; queued ones are returned to rerun."""
    requeue = []
    for job in library.jobs.unfinished():
        detail = library.jobs.detail(job.id)
        if detail["owner_pid"] != os.getpid() and _alive(detail["owner_pid"]):
            continue  # another live process (a CLI beside the server) is running it
        if job.status == "queued":
            library.jobs.update(job.id, owner_pid=os.getpid())
            requeue.append(job.id)
            continue
        with build_lock(library.settings.index_dir):
            if detail["plan"] and _index_matches_corpus(library):  # killed after the switch
                library.jobs.update(job.id, status="done", stage="done", finished_at=time.time())
                shutil.rmtree(library.staging / job.id, ignore_errors=True)
                continue
            _undo(detail["plan"])
        library.jobs.update(job.id, status="failed", stage="failed", error=INTERRUPTED, finished_at=time.time())
        _discard(library, job.id)
    return requeue


def _index_matches_corpus(library: Library) -> bool:
    try:
        files = corpus_files(library.settings.corpus)
        return read_manifest(library.settings.index_dir).corpus_sha256 == corpus_checksum(files)
    except (IndexUnavailable, IngestError):
        return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
