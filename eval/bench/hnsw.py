"""FAISS measurements through ``rag.store.VectorIndex``: build, search latency as served (one thread,
``k`` = the retriever's candidates), recall@10 against exact search, the HNSW (M, efSearch) grid,
the flat→HNSW switch point, and the settings they recommend.

Recall@10 counts a returned chunk as right when its exact score reaches the exact 10th-best score
(ties included): the synthetic corpora hold near-duplicate quotes, and a tie broken the other way
is not a miss.
"""
from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np

from eval.bench.common import HNSW_LIMIT_MS, RECALL_TARGET, log, stats

M_GRID = (16, 32, 48)
EF_GRID = (16, 32, 64, 128, 192, 256)
TIE = 1e-5


def build(vectors: np.ndarray, hnsw: bool, m: int = 32, ef: int = 128) -> tuple:
    """A flat or HNSW ``VectorIndex`` built with every core (searches cap their own thread)."""
    import faiss

    from rag.store import VectorIndex

    faiss.omp_set_num_threads(os.cpu_count() or 1)
    t = time.perf_counter()
    index = VectorIndex.build(vectors, 1 if hnsw else len(vectors) + 1, m, ef)
    return index, time.perf_counter() - t


def exact_kth(vectors: np.ndarray, queries: np.ndarray, k: int = 10) -> np.ndarray:
    """The exact k-th best inner product per query."""
    out = np.empty(len(queries), dtype="float32")
    for start in range(0, len(queries), 64):
        scores = queries[start:start + 64] @ vectors.T
        out[start:start + 64] = -np.partition(-scores, k - 1, axis=1)[:, k - 1]
    return out


def recall_at_10(index, vectors: np.ndarray, queries: np.ndarray, kth: np.ndarray, k: int) -> tuple[float, float]:
    """Recall@10 of the first 10 of a ``k`` search (what the dense channel uses), and the share of
    the ``k`` candidates actually returned (an HNSW search with efSearch < k can return fewer)."""
    hits, filled = [], []
    for q, cut in zip(queries, kth):
        _, ids = index.search(q, k)
        top = ids[:10]
        hits.append(np.count_nonzero(vectors[top] @ q >= cut - TIE) / 10)
        filled.append(len(ids) / k)
    return round(float(np.mean(hits)), 4), round(float(np.mean(filled)), 4)


def latency(index, queries: np.ndarray, k: int, passes: int = 2) -> dict:
    """Per-search milliseconds over every query; of ``passes`` passes the one with the lowest p50 (a
    burst of other work on the machine inflates one pass, not the search)."""
    for q in queries[:5]:
        index.search(q, k)
    best = None
    for _ in range(passes):
        out = []
        for q in queries:
            t = time.perf_counter()
            index.search(q, k)
            out.append((time.perf_counter() - t) * 1000)
        row = stats(out)
        best = row if best is None or row["p50"] < best["p50"] else best
    return {**best, "passes": passes}


def size_mb(index, tmp: Path) -> float:
    path = tmp / f"size-{os.getpid()}.faiss"
    index.save(path)
    mb = path.stat().st_size / 2**20
    path.unlink()
    return round(mb, 2)


def measure(index, build_s: float, vectors, queries, kth, k: int, tmp: Path) -> dict:
    recall, filled = recall_at_10(index, vectors, queries, kth, k)
    return {"kind": index.kind, "build_s": round(build_s, 3), "size_mb": size_mb(index, tmp),
            "query_ms": latency(index, queries, k), "recall_at_10": recall, "candidates_filled": filled}


def grid(n: int, vectors, queries, kth, k: int, tmp: Path, prebuilt: dict | None = None) -> list[dict]:
    """Every (M, efSearch) of the grid at one corpus size; ``prebuilt`` maps M -> (index, build_s)."""
    rows = []
    for m in M_GRID:
        log(f"hnsw grid {n:,}: M={m}")
        index, build_s = (prebuilt or {}).get(m) or build(vectors, True, m)
        for ef in EF_GRID:
            index.set_ef_search(ef)
            recall, filled = recall_at_10(index, vectors, queries, kth, k)
            rows.append({"n": n, "m": m, "ef_search": ef, "build_s": round(build_s, 2), "query_ms": latency(index, queries, k),
                         "recall_at_10": recall, "candidates_filled": filled})
        del index
    return rows


def flat_sizes(vectors, queries, k: int, sizes: list[int], tmp: Path) -> list[dict]:
    """Exact flat search on prefixes of one corpus' vectors: where it stops being cheap."""
    rows = []
    for n in sizes:
        log(f"flat search on the first {n:,} vectors")
        part = np.ascontiguousarray(vectors[:n])
        index, build_s = build(part, False)
        rows.append({"n": n, "flat": {"build_s": round(build_s, 3), "size_mb": size_mb(index, tmp),
                                      "query_ms": latency(index, queries, k)}})
    return rows


def choose(rows: list[dict], margin: float = 0.0) -> dict | None:
    """The fastest (M, efSearch) that meets recall@10 >= target + ``margin`` at <= the latency limit
    (p50) at every measured size where it was tried, preferring the smaller graph on a near tie."""
    by_config: dict[tuple[int, int], list[dict]] = {}
    for r in rows:
        by_config.setdefault((r["m"], r["ef_search"]), []).append(r)
    passing = [(max(r["query_ms"]["p50"] for r in rs), m, ef, rs) for (m, ef), rs in by_config.items()
               if all(r["recall_at_10"] >= RECALL_TARGET + margin and r["query_ms"]["p50"] <= HNSW_LIMIT_MS
                      and r["candidates_filled"] >= 0.999 for r in rs)]
    if not passing:
        return None
    fastest = min(p for p, *_ in passing)
    worst, m, ef, rs = min((p for p in passing if p[0] <= fastest * 1.15), key=lambda p: (p[1], p[0]))
    return {"hnsw_m": m, "hnsw_ef_search": ef, "p50_ms_worst": worst,
            "recall_at_10_min": min(r["recall_at_10"] for r in rs), "sizes": sorted(r["n"] for r in rs)}


def switch_point(flat_points: list[dict], hnsw_points: list[dict]) -> dict:
    """Where flat search (exact, one thread) reaches the latency limit, interpolated between measured
    sizes or extrapolated linearly (flat search is a linear scan) beyond the largest; and from which
    measured size HNSW (``hnsw_points``: n, flat and hnsw rows) stays faster than flat."""
    pts = sorted((p["n"], p["flat"]["query_ms"]["p50"]) for p in flat_points)
    at = next((int(n0 + (n1 - n0) * (HNSW_LIMIT_MS - m0) / max(m1 - m0, 1e-9))
               for (n0, m0), (n1, m1) in zip(pts, pts[1:]) if m0 < HNSW_LIMIT_MS <= m1), None)
    extrapolated = False
    if at is None and pts and pts[-1][1] < HNSW_LIMIT_MS:
        n, ms = pts[-1]
        at, extrapolated = int(n * HNSW_LIMIT_MS / max(ms, 1e-9)), True
    if at is None and pts and pts[0][1] >= HNSW_LIMIT_MS:
        at = pts[0][0]
    hp = sorted(hnsw_points, key=lambda p: p["n"])
    faster = next((p["n"] for i, p in enumerate(hp)
                   if all(q["hnsw"]["query_ms"]["p50"] < q["flat"]["query_ms"]["p50"] for q in hp[i:])), None)
    return {"flat_reaches_limit_at": at, "extrapolated": extrapolated, "hnsw_faster_from": faster,
            "recommended_hnsw_min_chunks": None if at is None else max(10_000, (at // 10_000) * 10_000)}
