"""Upload → answerable: how long an uploaded article takes until a question about it is answered
and cited, with the incremental build (unchanged articles keep their vectors) and with a full
rebuild, at corpora of 1, 100 and 1,000 articles.

The corpus is the real article plus invented ones in its format (``eval.bench.corpus``: varied
speakers and places, quotes recombined from real clauses, 30 speaker paragraphs each). The
upload is ``tests/data/second_article.txt``. The time runs from ``Library.add`` (checks, staging,
the build under the index lock, loading the new index, the switch) to the first answer that cites
the new article's speaker: what a client sees, less HTTP and the polling interval.

    python -m eval.bench.documents [--sizes 1,100,1000] [--out eval/reports]

``measure_sizes(sizes, work_folder)`` is what ``eval.bench.run`` can call (rows as written to
``documents.json``).
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import tempfile
import time
from pathlib import Path

from eval.bench.common import ARTICLE, ROOT
from eval.bench.corpus import GIVEN, PLACE, SURNAMES, TITLES, quote

UPLOAD = ROOT / "tests" / "data" / "second_article.txt"
QUESTION, SPEAKER = "孙晓梅是哪个社区的书记？", "孙晓梅"  # only the uploaded article names her
PARAGRAPHS = 30  # speaker paragraphs per invented article: a long news report


def invented_article(rng: random.Random, number: int) -> str:
    word = lambda k: "".join(rng.choice(PLACE) for _ in range(k))  # noqa: E731
    district = word(2) + rng.choice("区县市")
    paragraphs = [f"## 第{number}期 社区书记分享先进经验", f"第{number}期颁奖典礼现场，社区书记们分享了经验。"]
    for _ in range(PARAGRAPHS):
        street = word(2) + rng.choice(("街道", "镇"))
        community = word(2) + rng.choice(("社区", "村"))
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))
        paragraphs.append(f"{district}{street}{community}{rng.choice(TITLES)}{name}：“{quote(rng)}”")
    return "\n\n".join(paragraphs) + "\n"


def make_corpus(folder: Path, articles: int, seed: int = 0) -> None:
    """The real article and ``articles - 1`` invented ones in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(ARTICLE, folder)
    rng = random.Random(seed)
    for number in range(1, articles):
        (folder / f"invented-{number:05d}.txt").write_text(invented_article(rng, number), "utf-8")


def prepare(articles: int, folder: Path, model: str | None = None):
    """A corpus of ``articles`` articles in ``folder``, fully indexed, and a library serving it."""
    from rag.config import Settings
    from rag.documents import Library
    from rag.engine import Engine, build_index

    settings = Settings(corpus=[folder / "corpus"], index_dir=folder / "store",
                        feedback_db=folder / "feedback.sqlite").with_overrides(embed_model=model)
    make_corpus(folder / "corpus", articles)
    build_index(settings, progress=False)
    served = [Engine.load(settings)]
    library = Library(settings)  # no worker: add() runs the job in this thread
    library.connect(lambda: served[0], lambda engine: served.__setitem__(0, engine))
    return library, served


def measure(library, served: list, full: bool) -> dict:
    """One upload, timed until a question about it is answered with its speaker; then removed."""
    library.reuse = not full
    started = time.perf_counter()
    job = library.add(UPLOAD.name, UPLOAD.read_bytes())
    answer = served[0].ask(QUESTION)
    seconds = time.perf_counter() - started
    if job.status != "done" or not answer.citations or answer.citations[0].speaker != SPEAKER:
        raise RuntimeError(f"the upload did not become answerable: {job.error or answer.answer}")
    library.reuse = True
    library.remove(UPLOAD.stem)  # back to the measured corpus (untimed)
    return {"mode": "full" if full else "incremental", "seconds": round(seconds, 2),
            "build_seconds": job.result["build_seconds"], "chunks": job.result["chunks"],
            "embedded_chunks": job.result["embedded_chunks"]}


def measure_sizes(sizes: list[int], work: Path, reps: int = 3, model: str | None = None) -> list[dict]:
    """The median of ``reps`` uploads per corpus size and mode (``model``: RAG_EMBED_MODEL's default)."""
    rows = []
    for size in sizes:
        library, served = prepare(size, work / f"corpus-{size}", model)
        for full in (False, True):
            runs = sorted((measure(library, served, full) for _ in range(reps)), key=lambda r: r["seconds"])
            rows.append({"articles": size, **runs[len(runs) // 2], "runs_s": [r["seconds"] for r in runs],
                         "model": library.embedder().name})
            print(json.dumps(rows[-1]), flush=True)
    return rows


NOTE = ("Each row is the median of the runs listed, in one warm process (the server's case). Most of an\n"
        "incremental build at 1,000 articles is parsing every article and re-tokenizing every chunk for\n"
        "BM25; only embedding is skipped for unchanged articles. A full rebuild in a warm process also\n"
        "profits from the model's token cache, so a cold `rag index build` takes longer than its row.\n")


def markdown(rows: list[dict]) -> str:
    lines = ["| articles | chunks | mode | upload → answerable (s), median | runs (s) | build (s) | chunks embedded |",
             "|---:|---:|---|---:|---|---:|---:|"]
    lines += [f"| {r['articles']:,} | {r['chunks']:,} | {r['mode']} | {r['seconds']} | "
              f"{', '.join(map(str, r['runs_s']))} | {r['build_seconds']} | {r['embedded_chunks']:,} |" for r in rows]
    return "\n".join(lines) + "\n\n" + NOTE


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m eval.bench.documents", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,100,1000", help="corpus sizes in articles")
    parser.add_argument("--reps", type=int, default=3, help="uploads per size and mode (the median is reported)")
    parser.add_argument("--model", help="embedding model (a sentence-transformers folder, say); default RAG_EMBED_MODEL")
    parser.add_argument("--out", type=Path, default=ROOT / "eval" / "reports")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-documents-") as work:
        rows = measure_sizes([int(s) for s in args.sizes.split(",") if s], Path(work), args.reps, args.model)
    args.out.mkdir(parents=True, exist_ok=True)
    name = "documents" if not args.model else f"documents-{Path(args.model).name}"
    (args.out / f"{name}.json").write_text(json.dumps(rows, indent=2), "utf-8")
    (args.out / f"{name}.md").write_text(f"# Upload → answerable ({rows[0]['model']})\n\n" + markdown(rows), "utf-8")
    print(markdown(rows))


if __name__ == "__main__":
    main()
