"""``rag documents list|add|remove``: the article library from a shell, through the same library as
``POST``/``DELETE /documents`` (``rag.documents``). No token: the command runs as the owner of the
files. A change is built at once, in this process; a server on the same index switches to it
within seconds (``Library.follow``)."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from rag.cli import EXPECTED, dump, fail, settings

documents_app = typer.Typer(help="List, add and remove the articles of the index.", no_args_is_help=True,
                            rich_markup_mode=None)
INDEX_DIR = typer.Option(None, "--index-dir", help="the index folder [env RAG_INDEX_DIR]")


def _library(index_dir: Optional[Path]):
    from rag.documents import Library

    library = Library(settings(index_dir=index_dir))
    for job_id in library.recover():  # uploads a stopped server had queued: built here, not lost
        library.run(job_id)
    return library


def _report(job) -> None:
    from rag.documents import DocumentError

    if job.status == "failed":
        fail(DocumentError(f"{job.kind} {job.doc_id} failed: {job.error}"))
    result = job.result or {}
    typer.echo(f"{'added' if job.kind == 'add' else 'removed'} {job.doc_id}: index of {result.get('chunks')} chunks "
               f"({result.get('embedded_chunks')} embedded, the rest reused) in {result.get('build_seconds')}s")


@documents_app.command("list")
def documents_list(as_json: bool = typer.Option(False, "--json"), index_dir: Optional[Path] = INDEX_DIR):
    """Every article: status (indexed, pending, failed), headline, speakers and chunks."""
    try:
        docs = _library(index_dir).documents()
    except EXPECTED as exc:  # DocumentError is a ValueError
        fail(exc)
    if as_json:
        return dump([d.model_dump() for d in docs])
    for d in docs:
        reason = f"  ({d.reason})" if d.reason else ""
        typer.echo(f"{d.doc_id:<32} {d.status:<8} {d.speakers:>3} speakers {d.chunks:>4} chunks  {d.headline}{reason}")


@documents_app.command("add")
def documents_add(file: Path = typer.Argument(..., help=".txt, .md or .html article"),
                  replace: bool = typer.Option(False, "--replace", help="replace an article of the same name"),
                  index_dir: Optional[Path] = INDEX_DIR):
    """Copy an article into the corpus folder (under a safe name) and rebuild the index."""
    try:
        data = file.read_bytes()
        library = _library(index_dir)
        job = library.add(file.name, data, replace=replace)
    except EXPECTED as exc:  # DocumentError is a ValueError
        fail(exc)
    _report(job)


@documents_app.command("remove")
def documents_remove(doc_id: str = typer.Argument(..., help="as `rag documents list` shows it"),
                     index_dir: Optional[Path] = INDEX_DIR):
    """Take an article out of the corpus folder and rebuild the index without it."""
    try:
        job = _library(index_dir).remove(doc_id)
    except EXPECTED as exc:  # DocumentError is a ValueError
        fail(exc)
    if job is None:
        typer.echo(f"forgot the failed upload {doc_id}")
    else:
        _report(job)
