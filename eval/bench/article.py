"""The article: index build (in a child process, so memory peaks are the build's own), ``engine.ask``
in-process, embedding speed, and the cold start of ``rag ask`` against ``python -c "import torch"``."""
from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

from eval.bench.common import (ARTICLE, COLD_START_QUESTION, ROOT, article_settings, dir_mb, log, rss_mb, stats,
                               timed)
from eval.bench.corpus import synthetic_chunks

HEAVY_MODULES = ("torch", "sentence_transformers", "transformers", "gradio", "faiss", "bm25s", "jieba", "fastapi")


# ---------------------------------------------------------------- index build (child process)
def build_child(index_dir: str, runs: int = 3) -> None:
    """Run in a fresh interpreter (``--build-child``): stage timings, then ``runs`` timed builds."""
    from rag.chunk import chunk_corpus
    from rag.embed import load_embedder
    from rag.engine import build_index
    from rag.ingest import corpus_files, load_corpus
    from rag.store import write_index

    out: dict = {"rss_start_mb": rss_mb()}
    t = time.perf_counter()
    settings = article_settings(Path(index_dir))
    embedder = load_embedder(settings)
    out.update(model=embedder.name, dimension=embedder.dimension, model_load_s=time.perf_counter() - t,
               rss_after_model_mb=rss_mb())
    started = time.perf_counter()  # the same calls build_index makes, stage by stage
    files = corpus_files(settings.corpus)
    chunks = chunk_corpus(load_corpus(files), settings.chunk_chars)
    t1 = time.perf_counter()
    vectors = embedder.embed_documents([c.context_text for c in chunks], settings.embed_batch_size)
    t2 = time.perf_counter()
    write_index(settings.index_dir, chunks, vectors, embedder.name, files, settings, started)
    out["stages_s"] = {"parse_chunk": t1 - started, "embed": t2 - t1, "write": time.perf_counter() - t2}
    builds = []
    for i in range(runs):  # the build is short: the median of a few, each into an empty folder (a full build)
        t = time.perf_counter()
        manifest = build_index(settings.model_copy(update={"index_dir": Path(f"{index_dir}-{i}")}), embedder,
                               progress=False)
        builds.append(time.perf_counter() - t)
    out.update(build_s=statistics.median(builds), build_runs_s=builds,
               peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    out.update(chunks=manifest.chunk_count, faiss_index=manifest.faiss_index,
               index_disk_mb=dir_mb(Path(index_dir) / "builds"),
               heavy_modules=[m for m in HEAVY_MODULES if m in sys.modules])
    print("BUILD_RESULT " + json.dumps(out))


def bench_article_build(index_dir: Path, runs: int) -> dict:
    log("article: index build in a child process")
    args = [sys.executable, "-m", "eval.bench", "--build-child", str(index_dir), "--build-runs", str(runs)]
    proc = subprocess.run(args, capture_output=True,
                          text=True, timeout=600, cwd=ROOT, env={**os.environ, "HF_HUB_OFFLINE": "1"})
    line = next((x for x in proc.stdout.splitlines() if x.startswith("BUILD_RESULT ")), None)
    if proc.returncode or line is None:
        raise RuntimeError(f"build child failed ({proc.returncode}): {proc.stderr[-2000:]}")
    r = json.loads(line.removeprefix("BUILD_RESULT "))
    r["chunks_per_s"] = r["chunks"] / r["build_s"]
    r["embed_chunks_per_s"] = r["chunks"] / max(r["stages_s"]["embed"], 1e-9)
    return r


# ---------------------------------------------------------------- engine.ask in-process
def bench_inprocess(engine, qs: list[dict], reps: int) -> dict:
    """Uncached = query vectors forgotten before every question, so each pays its embedding."""
    log(f"article: engine.ask x {len(qs) * reps} uncached + {len(qs) * 2} cached")
    by_type: dict[str, list[float]] = defaultdict(list)
    stages: dict[str, list[float]] = defaultdict(list)
    for q in qs[:3]:
        engine.ask(q["question"], history=q["history"])
    cold = []
    for _ in range(reps):
        for q in qs:
            engine.forget_query_vectors()
            t = time.perf_counter()
            a = engine.ask(q["question"], history=q["history"])
            ms = (time.perf_counter() - t) * 1000
            cold.append(ms)
            by_type[a.answer_type].append(ms)
            for k, v in a.timings_ms.items():
                stages[k].append(v)
    warm = timed(lambda q: engine.ask(q["question"], history=q["history"]), qs, reps=2, warm=len(qs))
    emb = timed(engine.embedder.embed_query, [q["question"] for q in qs], reps=2)
    return {"ask_ms": stats(cold), "ask_warm_ms": stats(warm),
            "by_answer_type": {k: stats(v) for k, v in sorted(by_type.items())},
            "stages_ms": {k: stats(v) for k, v in stages.items()}, "embed_query_ms": stats(emb)}


# ---------------------------------------------------------------- document embedding throughput
def bench_embedding(embedder, n: int, query_threads: int) -> dict:
    """Documents are embedded by ``rag index build``, with all cores; the engine caps queries at
    ``query_threads``, so lift the cap for this measurement and set it back after."""
    log(f"embedding: {n} synthetic chunks with {embedder.name}")
    texts = [c.context_text for c in synthetic_chunks(n, seed=7, with_article=False)]
    embedder.limit_threads(os.cpu_count() or 1)
    try:
        embedder.embed_documents(texts[:32], 32)
        t = time.perf_counter()
        embedder.embed_documents(texts, 32)
        s = time.perf_counter() - t
    finally:
        embedder.limit_threads(query_threads)
    rate = len(texts) / s
    return {"model": embedder.name, "dimension": embedder.dimension, "chunks": len(texts), "seconds": round(s, 3),
            "chunks_per_s": round(rate, 1), "mean_chars": round(statistics.fmean(len(x) for x in texts), 1),
            "extrapolated_100k_s": round(100_000 / rate, 1)}


# ---------------------------------------------------------------- cold start
def _wall(args: list[str], env: dict) -> tuple[float, subprocess.CompletedProcess]:
    t = time.perf_counter()
    proc = subprocess.run(args, capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    return time.perf_counter() - t, proc


PROFILE = """
import json, sys, time
t0 = time.perf_counter()
import jieba
loads = []
initialize = jieba.Tokenizer.initialize
def timed(self, *args, **kwargs):  # jieba loads its dictionary once per Tokenizer instance
    fresh, t = not self.initialized, time.perf_counter()
    result = initialize(self, *args, **kwargs)
    if fresh and self.initialized:
        loads.append(time.perf_counter() - t)
    return result
jieba.Tokenizer.initialize = timed
from ui.cli import app
t1 = time.perf_counter()
try:
    app(["ask", sys.argv[1]], standalone_mode=False)
finally:
    done = time.perf_counter()
    print("COLD " + json.dumps({"import_cli_s": t1 - t0, "command_s": done - t1, "jieba_loads_s": loads,
                                "modules": [m for m in sys.argv[2].split(",") if m in sys.modules]}))
"""


def _cold_profile(env: dict) -> dict:
    """One ``rag ask`` run in-process in a child: import time, command time, jieba dictionary loads and
    which heavy modules it imported."""
    _, proc = _wall([sys.executable, "-c", PROFILE, COLD_START_QUESTION, ",".join(HEAVY_MODULES)], env)
    line = next((x for x in proc.stdout.splitlines() if x.startswith("COLD ")), None)
    if line is None:
        return {"error": proc.stderr[-500:]}
    out = json.loads(line.removeprefix("COLD "))
    return {"import_cli_s": round(out["import_cli_s"], 3), "command_s": round(out["command_s"], 3),
            "jieba_dictionary_loads": len(out["jieba_loads_s"]), "jieba_load_s": round(sum(out["jieba_loads_s"]), 3),
            "modules": out["modules"]}


def bench_cold_start(index_dir: Path, runs: int = 3) -> dict:
    """Wall time of ``rag ask`` from a cold interpreter (the index is built) against ``import torch``."""
    log(f"cold start: rag ask vs python -c 'import torch', {runs} runs each")
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "RAG_INDEX_DIR": str(index_dir), "RAG_CORPUS": str(ARTICLE)}
    rag = str(Path(sys.executable).parent / "rag")
    commands = {"rag_ask": [rag, "ask", COLD_START_QUESTION], "import_torch": [sys.executable, "-c", "import torch"],
                "python": [sys.executable, "-c", "pass"]}
    out: dict = {"question": COLD_START_QUESTION}
    for name, args in commands.items():
        times, answer = [], ""
        for _ in range(runs):
            seconds, proc = _wall(args, env)
            if proc.returncode:
                raise RuntimeError(f"{' '.join(args)} failed ({proc.returncode}): {proc.stderr[-1000:]}")
            times.append(seconds)
            answer = proc.stdout.strip()
        out[name] = {"median_s": round(statistics.median(times), 3), "runs_s": [round(t, 3) for t in times]}
        if name == "rag_ask":
            out["answer"] = answer[:200]
    out["ratio"] = round(out["rag_ask"]["median_s"] / out["import_torch"]["median_s"], 2)
    out["profile"] = _cold_profile(env)
    return out
