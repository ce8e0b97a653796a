"""The bench's entry point: ``python -m eval.bench [--quick] [--out DIR]`` (see ``eval.bench``)."""
from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
from pathlib import Path

import psutil

from eval.bench import article, hnsw, http_load, request_path, scale
from eval.bench.common import LOAD, ROOT, Interference, article_settings, gold_rows, log, questions
from eval.bench.report import summary, write_report

REAL_VECTOR_BUDGET_S = 240
HEADROOM = 0.02  # recall margin of the second HNSW pick: recall falls as the corpus grows  # embed the scale corpora with the real model when that fits in this time
QUICK = {"sizes": "1000,3000", "flat_sizes": "2000", "reps": 2, "http_scale": 0.1, "cold_runs": 1, "build_runs": 1}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m eval.bench", description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "eval" / "reports")
    parser.add_argument("--sizes", default="1000,10000,100000", help="scale corpus sizes (chunks)")
    parser.add_argument("--flat-sizes", default="2000,5000,20000,30000,50000",
                        help="extra flat-search sizes (prefixes of the largest corpus)")
    parser.add_argument("--grid-min", type=int, default=10_000, help="run the HNSW grid at sizes from this one")
    parser.add_argument("--engine-max", type=int, default=100_000, help="largest size to run engine.ask on")
    parser.add_argument("--vectors", choices=("auto", "real", "random"), default="auto",
                        help="scale corpora: real model vectors, random ones, or real when fast enough")
    parser.add_argument("--reps", type=int, default=5, help="repetitions of the 30 questions on the article")
    parser.add_argument("--http-scale", type=float, default=1.0, help="multiplies the HTTP request counts")
    parser.add_argument("--cold-runs", type=int, default=3, help="cold starts of each command (median)")
    parser.add_argument("--build-runs", type=int, default=3, help="timed article index builds (median)")
    parser.add_argument("--quick", action="store_true", help="small sizes and counts: a check in under a minute")
    parser.add_argument("--report-only", action="store_true", help="rewrite bench.md/png from --out/bench.json")
    parser.add_argument("--build-child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        for key, value in QUICK.items():
            setattr(args, key, value)
        args.grid_min = max(int(s) for s in args.sizes.split(","))
    return args


def environment(settings, embedder) -> dict:
    import faiss

    return {"date": time.strftime("%Y-%m-%d %H:%M"), "cpus": os.cpu_count(),
            "cpu": platform.processor() or platform.machine(), "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
            "python": platform.python_version(), "faiss_threads_default": faiss.omp_get_max_threads(),
            "query_threads": settings.query_threads, "model": embedder.name, "dimension": embedder.dimension,
            "fusion": settings.fusion, "dense_weight": settings.dense_weight, "candidates": settings.candidates,
            "hnsw_min_chunks": settings.hnsw_min_chunks, "hnsw_m": settings.hnsw_m,
            "hnsw_ef_search": settings.hnsw_ef_search}


def run_article(res: dict, tmp: Path, qs: list[dict], args, embedder) -> Path:
    """Build, in-process latency, request path, HTTP load and cold start on the article."""
    from rag.engine import Engine

    index_dir = tmp / "article" / "store"
    res["build"] = article.bench_article_build(index_dir, args.build_runs)
    engine = Engine.load(article_settings(index_dir), embedder)
    res["article"] = article.bench_inprocess(engine, qs, args.reps)
    res["request_path"] = request_path.bench_request_path(engine, qs, max(1, args.reps // 2))
    del engine
    servers = http_load.SERVERS if not args.quick else [("rag", 1), ("bm25", 1)]
    res["http"] = http_load.bench_http(index_dir, qs, args.http_scale, tmp, servers)
    res["cold_start"] = article.bench_cold_start(index_dir, args.cold_runs)
    return index_dir


def run_scale(res: dict, tmp: Path, qs: list[dict], args, embedder, settings) -> None:
    sizes = sorted(int(s) for s in args.sizes.split(",") if s)
    res["embedding"] = article.bench_embedding(embedder, 128 if args.quick else 512, settings.query_threads)
    real = args.vectors == "real" or (args.vectors == "auto" and
                                      res["embedding"]["extrapolated_100k_s"] * sum(sizes) / 100_000
                                      <= REAL_VECTOR_BUDGET_S)
    res["scale_vectors"] = "real" if real else "random"
    texts, queries = scale.query_set(embedder, real)
    res["scale_queries"] = {"n": len(texts), "gold_questions": min(len(texts) // 2, len(gold_rows()))}
    res["scale"], vectors = [], None
    for n in sizes:
        row, vectors = scale.bench_size(n, embedder, settings, qs, queries, real, tmp, n <= args.engine_max,
                                        n >= args.grid_min)
        res["scale"].append(row)
    extra = sorted(int(s) for s in args.flat_sizes.split(",") if s and int(s) < max(sizes))
    res["flat_sizes"] = hnsw.flat_sizes(vectors, queries, settings.candidates, extra, tmp)


def recommend(res: dict) -> dict:
    grid_rows = [r for s in res["scale"] for r in s.get("hnsw_grid", [])]
    flat = res["flat_sizes"] + [{"n": s["n"], "flat": s["flat"]} for s in res["scale"]]
    return {"hnsw": hnsw.choose(grid_rows), "hnsw_headroom": hnsw.choose(grid_rows, HEADROOM),
            "headroom": HEADROOM, "switch": hnsw.switch_point(flat, res["scale"]),
            "vectors": res["scale_vectors"], "rule": {"recall_at_10": hnsw.RECALL_TARGET, "p50_ms": hnsw.HNSW_LIMIT_MS}}


def main(argv: list[str] | None = None) -> dict:
    args = parse_args(argv)
    if args.build_child:
        article.build_child(args.build_child, args.build_runs)
        return {}
    if args.report_only:
        res = json.loads((args.out / "bench.json").read_text("utf-8"))
        res["recommendation"] = recommend(res)
        write_report(res, args.out)
        summary(res, args.out)
        return res
    from rag.embed import load_embedder
    from rag.store import limit_search_threads

    started, interference = time.perf_counter(), Interference()
    with tempfile.TemporaryDirectory(prefix="rag-bench-") as tmpdir:
        tmp = Path(tmpdir)
        os.environ["RAG_FEEDBACK_DB"] = str(tmp / "feedback.sqlite")  # never the project's ratings
        settings = article_settings(tmp / "unused")
        embedder = load_embedder(settings)
        limit_search_threads(settings.query_threads)  # every search as served: one thread per query
        res: dict = {"environment": environment(settings, embedder), "quick": args.quick}
        qs = questions(30)
        res["questions"] = [q["question"] for q in qs]
        run_article(res, tmp, qs, args, embedder)
        run_scale(res, tmp, qs, args, embedder, settings)
    res["recommendation"] = recommend(res)
    res["bench_seconds"] = round(time.perf_counter() - started, 1)
    res["load_average"] = {"samples": LOAD, "max": max((load for _, load in LOAD), default=0.0)}
    res["interference"] = interference.result()
    log("writing the report")
    write_report(res, args.out)
    summary(res, args.out)
    return res
