"""Synthetic corpora of 1k–100k chunks through the real build and query path.

Each size: generate the corpus (``corpus``), embed it with the default model (or, when that model is
too slow to embed 100k chunks in the bench's time, random unit vectors of its dimension), write it
with ``rag.store.write_index`` and load it back, then measure FAISS flat and HNSW (``hnsw``), BM25,
``Retriever.search`` and its stages (``bm25_channel``, ``dense_channel``, entity lookup,
``rag.retrieve.fuse``), and uncached ``engine.ask``.
"""
from __future__ import annotations

import dataclasses
import gc
import statistics
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

from eval.bench import hnsw
from eval.bench.common import ARTICLE, dir_mb, gold_rows, log, rss_mb, stats, timed, unit_vectors
from eval.bench.corpus import held_out_texts, synthetic_chunks


def query_set(embedder, real: bool, n: int = 300) -> tuple[list[str], np.ndarray]:
    """Search queries for recall and FAISS latency: the article's gold questions (at most half), then
    held-out quotes."""
    texts = [r["question"] for r in gold_rows()][: n // 2]
    texts += held_out_texts(max(0, n - len(texts)))
    if not real:
        return texts, unit_vectors(len(texts), embedder.dimension, seed=1)
    return texts, np.vstack([embedder.embed_query(t) for t in texts]).astype("float32")


def corpus_row(n: int) -> tuple[list, dict]:
    gc.collect()
    rss0 = rss_mb()
    t = time.perf_counter()
    chunks = synthetic_chunks(n)
    return chunks, {"n": n, "generate_s": round(time.perf_counter() - t, 2),
                    "speakers": len({(c.speaker.name, c.speaker.label) for c in chunks if c.speaker}),
                    "mean_chars": round(statistics.fmean(len(c.context_text) for c in chunks), 1),
                    "chunks_rss_mb": round(rss_mb() - rss0, 1)}


def embed(chunks, embedder, real: bool) -> tuple[np.ndarray, float]:
    t = time.perf_counter()
    if real:
        vectors = embedder.embed_documents([c.context_text for c in chunks], 256)
    else:
        vectors = unit_vectors(len(chunks), embedder.dimension, seed=len(chunks))
    return vectors, time.perf_counter() - t


def write_and_load(chunks, vectors, embedder, settings, folder: Path) -> tuple:
    """The real writer (flat FAISS: the HNSW variants are built by the bench) and the real loader."""
    from rag.store import load_index, write_index

    flat = settings.model_copy(update={"index_dir": folder, "hnsw_min_chunks": len(chunks) + 1})
    t = time.perf_counter()
    write_index(folder, chunks, vectors, embedder.name, [ARTICLE], flat, time.perf_counter())
    write_s = time.perf_counter() - t
    t = time.perf_counter()
    index = load_index(folder, embedder.name)
    return index, {"write_index_s": round(write_s, 2), "load_index_s": round(time.perf_counter() - t, 2),
                   "disk_mb": round(dir_mb(folder), 2)}


def bm25_row(index, texts: list[str], reps: int) -> dict:
    bm25 = index.bm25
    return {"vocabulary": len(bm25.retriever.vocab_dict), "user_words": len(bm25.tokenizer.words),
            "disk_mb": round(dir_mb(index.path / "bm25"), 2),
            "query_ms": stats(timed(bm25.scores, texts, reps=reps))}


def retriever_row(r, settings, texts: list[str], reps: int) -> dict:
    """``Retriever.search`` uncached and cached, and the stages it is made of (uncached dense)."""
    from rag.retrieve import fuse

    forget = r.query_vector.cache_clear
    row = {"entity_surfaces": len(r.entities.surfaces),
           "search_ms": stats(timed(lambda q: r.search(q, top_k=3), texts, reps=reps, before=forget)),
           "search_cached_ms": stats(timed(lambda q: r.search(q, top_k=3), texts, warm=len(texts))),
           "bm25_channel_ms": stats(timed(lambda q: r.bm25_channel(q, None), texts, reps=reps)),
           "dense_channel_ms": stats(timed(lambda q: r.dense_channel(q, None), texts, reps=reps, before=forget)),
           "entities_ms": stats(timed(r.entities.find, texts, reps=reps))}
    channels = [(r.bm25_channel(q, None), r.dense_channel(q, None)) for q in texts]
    weights = (settings.bm25_weight, settings.dense_weight)
    row["fuse_ms"] = stats(timed(lambda c: fuse(c[0], c[1], weights, settings.fusion, settings.rrf_k), channels))
    return row


def engine_row(engine, qs: list[dict], reps: int) -> dict:
    lat, by_type, sizes, errors = [], defaultdict(list), [], Counter()
    for _ in range(reps):
        for q in qs:
            engine.forget_query_vectors()
            t = time.perf_counter()
            try:
                a = engine.ask(q["question"], history=q["history"])
            except Exception as exc:  # a crash at scale is a result, not a reason to stop
                errors[f"{type(exc).__name__}: {exc}"[:120]] += 1
                continue
            lat.append((time.perf_counter() - t) * 1000)
            by_type[a.answer_type].append(lat[-1])
            sizes.append(len(a.answer))
    return {"ask_ms": stats(lat), "by_answer_type": {k: stats(v) for k, v in by_type.items()},
            "answer_chars_max": max(sizes, default=0), "errors": dict(errors)}


def engine_rows(index, graph, embedder, settings, qs: list[dict], default: str, engine_ok: bool, reps: int) -> dict:
    """An ``Engine`` per FAISS kind: its retriever (as served: with the engine's lexicon) measured
    stage by stage, and ``engine.ask`` on the kind the settings pick for this size."""
    from rag.engine import Engine

    out, texts = {}, [q["question"] for q in qs]
    for kind, idx in (("flat", index), ("hnsw", graph)):
        log(f"scale {len(index.chunks):,}: Engine + Retriever.search, FAISS {kind}")
        t = time.perf_counter()
        engine = Engine(settings, idx, embedder)
        init_s = round(time.perf_counter() - t, 2)
        out[f"retriever_{kind}"] = retriever_row(engine.retriever, settings, texts, reps)
        if kind == default and engine_ok:
            out["engine"] = {"init_s": init_s, **engine_row(engine, qs, reps)}
        del engine
    return out


def faiss_rows(index, vectors, queries, settings, tmp: Path) -> tuple[dict, dict]:
    """Flat (as loaded) and HNSW with the configured M/efSearch: the rows, and the HNSW index."""
    k = settings.candidates
    kth = hnsw.exact_kth(vectors, queries)
    flat = hnsw.measure(index.vectors, 0.0, vectors, queries, kth, k, tmp)
    graph, build_s = hnsw.build(vectors, True, settings.hnsw_m, settings.hnsw_ef_search)
    row = hnsw.measure(graph, build_s, vectors, queries, kth, k, tmp)
    row.update(m=settings.hnsw_m, ef_search=settings.hnsw_ef_search)
    return {"flat": flat, "hnsw": row, "_kth": kth}, {settings.hnsw_m: (graph, build_s)}


def bench_size(n: int, embedder, settings, qs: list[dict], queries: np.ndarray, real: bool, tmp: Path,
               engine_ok: bool, grid: bool) -> tuple[dict, np.ndarray]:
    """Everything at one corpus size; returns the row and the corpus vectors (for the crossover)."""
    log(f"scale {n:,}: corpus")
    rss0 = rss_mb()
    chunks, out = corpus_row(n)
    log(f"scale {n:,}: {'embedding with ' + embedder.name if real else 'random vectors'}")
    vectors, out["embed_s"] = embed(chunks, embedder, real)
    log(f"scale {n:,}: write_index + load_index")
    index, out["store"] = write_and_load(chunks, vectors, embedder, settings, tmp / f"scale-{n}")
    log(f"scale {n:,}: FAISS flat + HNSW (M={settings.hnsw_m}, efSearch={settings.hnsw_ef_search})")
    rows, prebuilt = faiss_rows(index, vectors, queries, settings, tmp)
    kth = rows.pop("_kth")
    out.update(rows)
    texts, reps = [q["question"] for q in qs], 2 if n >= 50_000 else 3
    out["bm25"] = bm25_row(index, texts, reps)
    out["default_faiss"] = "hnsw" if n >= settings.hnsw_min_chunks else "flat"
    graph = dataclasses.replace(index, vectors=prebuilt[settings.hnsw_m][0])
    out.update(engine_rows(index, graph, embedder, settings, qs, out["default_faiss"], engine_ok, reps))
    if grid:
        out["hnsw_grid"] = hnsw.grid(n, vectors, queries, kth, settings.candidates, tmp, prebuilt)
    out["rss_growth_mb"] = round(rss_mb() - rss0, 1)
    del index, graph, prebuilt, chunks
    gc.collect()
    return out, vectors
