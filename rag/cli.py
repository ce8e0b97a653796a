"""``rag``: thin commands over the library. Each checks its input, calls one function, prints.

``ui.cli`` adds ``rag serve`` (the chat lives in ``ui``) and is the installed entry point."""
from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Optional

import typer

from rag.config import Settings
from rag.embed import ModelUnavailable
from rag.ingest import IngestError
from rag.store import IndexUnavailable

# Plain help (rich_markup_mode=None): typer's rich help labels every option with its Python type
# (`--help <bool>`) and drops [bracketed] help text as markup.
app = typer.Typer(help="Question answering over Chinese news that always says who said it.", no_args_is_help=True,
                  rich_markup_mode=None)
index_app = typer.Typer(help="Build and inspect the index.", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(index_app, name="index")
feedback_app = typer.Typer(help="Ratings of answers (👍/👎 in the chat, POST /feedback).", no_args_is_help=True,
                           rich_markup_mode=None)
app.add_typer(feedback_app, name="feedback")

EXPECTED = (IngestError, IndexUnavailable, ModelUnavailable, ValueError, OSError)


def settings(**overrides) -> Settings:
    return Settings().with_overrides(**overrides)


def fail(exc: Exception) -> None:
    typer.echo(f"error: {exc}", err=True)
    raise typer.Exit(1)


def dump(data) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


@app.callback()
def main(verbose: bool = typer.Option(False, "--verbose", "-v")):
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")


@index_app.command("build")
def index_build(
    corpus: Optional[list[Path]] = typer.Option(None, "--corpus", help="article file or folder (repeatable)"),
    model: Optional[str] = typer.Option(None, "--model", help="sentence-transformers model name or local folder"),
    index_dir: Optional[Path] = typer.Option(None, "--index-dir"),
    if_stale: bool = typer.Option(False, "--if-stale", help="skip when the index matches the corpus and model"),
):
    """Parse, chunk and embed the corpus into a new index (the old one stays until this succeeds)."""
    from rag.embed import load_embedder
    from rag.engine import build_index, index_is_current
    from rag.ingest import corpus_files

    s = settings(corpus=corpus or None, embed_model=model, index_dir=index_dir)
    try:
        corpus_files(s.corpus)  # a wrong path fails before the model takes seconds to load
        embedder = load_embedder(s)
        if if_stale and index_is_current(s, embedder.name):
            typer.echo(f"index is up to date ({s.index_dir})")
            return
        manifest = build_index(s, embedder, progress=sys.stderr.isatty())
    except EXPECTED as exc:
        fail(exc)
    typer.echo(f"built {manifest.chunk_count} chunks {manifest.counts_by_kind} with {manifest.model} "
               f"({manifest.faiss_index}) in {manifest.build_seconds}s -> {s.index_dir}")


@index_app.command("info")
def index_info(index_dir: Optional[Path] = typer.Option(None, "--index-dir"),
               model: Optional[str] = typer.Option(None, "--model")):
    """The manifest, the active embedding model and whether they agree."""
    from rag.embed import load_embedder
    from rag.store import read_manifest

    s = settings(index_dir=index_dir, embed_model=model)
    try:
        manifest = read_manifest(s.index_dir)
        active = load_embedder(s).name
    except EXPECTED as exc:
        fail(exc)
    dump({"index_dir": str(s.index_dir), "active_model": active, "model_matches": active == manifest.model,
          **manifest.model_dump()})


@app.command("chunks")
def chunks(as_json: bool = typer.Option(False, "--json"), index_dir: Optional[Path] = typer.Option(None, "--index-dir")):
    """The chunk records of the current index."""
    from rag.store import read_chunks

    try:
        records = read_chunks(settings(index_dir=index_dir).index_dir)
    except EXPECTED as exc:
        fail(exc)
    if as_json:
        return dump([c.summary() for c in records])
    for c in records:
        typer.echo(f"{c.id}  {c.kind:<8} {c.speaker.cite if c.speaker else ''} {c.text[:60]!r}")


@app.command("ask")
def ask(question: str, as_json: bool = typer.Option(False, "--json"),
        top_k: Optional[int] = typer.Option(None, min=1, max=10, help="citations for list answers [default RAG_TOP_K]"),
        district: Optional[str] = None, street: Optional[str] = None, community: Optional[str] = None,
        speaker: Optional[str] = None,
        history: Optional[Path] = typer.Option(None, "--history", help='JSON file: [{"question": …, "answer": …}], '
                                               "at most 20 turns, as in POST /ask")):
    """Answer one question, the same way ``POST /ask`` does."""
    from pydantic import ValidationError

    from rag.api import AskRequest, ask as ask_library
    from rag.engine import Engine, QuestionError, check_question

    s = settings()
    try:
        check_question(question, s.max_question_chars)  # before the model loads: a typo fails at once
        turns = json.loads(history.read_text("utf-8")) if history else []
        request = AskRequest(question=question, top_k=top_k, history=turns, filters={
            "district": district, "street": street, "community": community, "speaker": speaker})
        answer = ask_library(Engine.load(s), request)
    except ValidationError as exc:
        fail(ValueError(f"{'.'.join(map(str, exc.errors()[0]['loc']))}: {exc.errors()[0]['msg']}"))
    except (QuestionError, json.JSONDecodeError, *EXPECTED) as exc:
        fail(exc)
    if as_json:
        return dump(answer.to_json())
    typer.echo(answer.answer)


@app.command("eval")
def evaluate(gold: Path = typer.Option(Path("eval/gold.jsonl"), "--gold"), as_json: bool = typer.Option(False, "--json"),
             mode: str = typer.Option("all", "--mode", help="bm25 | dense | hybrid | all"),
             report_dir: Optional[Path] = typer.Option(None, "--report-dir", help="write eval.md/eval.png here")):
    """Score answers on a gold Q&A file; ``all`` adds every channel and the naive baselines."""
    from rag.engine import Engine
    from rag.evaluate import MODES, run, write_report

    if mode not in (*MODES, "all"):
        fail(ValueError(f"--mode must be one of bm25, dense, hybrid, all (got {mode!r})"))
    modes = ["hybrid", "bm25", "dense", "naive-bm25", "naive-dense"] if mode == "all" else [mode]
    try:
        report = run(Engine.load(settings()), gold, modes, sweep=mode == "all")
    except EXPECTED as exc:
        fail(exc)
    if report_dir:
        write_report(report, report_dir)
    if as_json:
        return dump({k: v for k, v in report.items() if k != "modes"} | {"modes": {
            m: {k: v for k, v in r.items() if k != "failures"} for m, r in report["modes"].items()}})
    for m, r in report["modes"].items():
        splits = "  ".join(f"{s} {r[s]['pass_rate']:.1%}" for s in ("dev", "test") if s in r)
        typer.echo(f"{m:<12} pass {r['pass_rate']:.1%}  ({splits})")
    for b, ratio in report["ratios_vs_naive"].items():
        typer.echo(f"hybrid / {b}: {ratio}x pass rate")


@feedback_app.command("export")
def feedback_export(rating: Optional[str] = typer.Option(None, "--rating", metavar="up|down", help="only this rating"),
                    jsonl: bool = typer.Option(False, "--jsonl", help="one gold-set candidate per line: the fields of "
                                               "eval/gold.jsonl plus a review object (answer, rating, comment)"),
                    db: Optional[Path] = typer.Option(None, "--db", help="the feedback database; env RAG_FEEDBACK_DB")):
    """Rated answers, oldest first, as candidates for eval/gold.jsonl: review each before adding it."""
    from rag.feedback import Feedback, FeedbackError, FeedbackUnavailable, gold_candidate

    try:
        rows = list(Feedback(settings(feedback_db=db).feedback_db).rows(rating))
    except (FeedbackError, FeedbackUnavailable) as exc:
        fail(exc)
    for row in rows:
        if jsonl:
            typer.echo(json.dumps(gold_candidate(row), ensure_ascii=False))
        else:
            note = f"  # {row['comment']}" if row["comment"] else ""
            typer.echo(f"{'👍' if row['rating'] == 'up' else '👎'} {row['question']}  ->  {row['answer'][:60]!r}{note}")
    if not rows:
        typer.echo("no ratings stored yet", err=True)


from rag.cli_documents import documents_app  # noqa: E402  (needs the helpers above)

app.add_typer(documents_app, name="documents")
