#!/usr/bin/env python
"""Performance, throughput and scale benchmarks: ``make bench`` = ``python eval/bench.py --out eval/reports``.

Writes ``bench.json`` (every number), ``bench.md`` (tables, targets, ratios) and ``bench.png``
(query latency against corpus size). Bounded to about five minutes on 2 CPU cores:

* the article: index build throughput and peak memory (in a child process, so the peak is the
  build's own); ``engine.ask`` in-process; ``/ask`` over real HTTP (uvicorn in a child process,
  httpx on loopback) sequentially and with 1, 8 and 32 concurrent clients;
* the real embedding model's throughput on ~500 synthetic chunks, extrapolated to 100k;
* synthetic corpora of 1k / 10k / 100k chunks made from the article's own sentences under invented
  speakers and communities (parsed with ``rag.ingest``, chunked with ``rag.chunk``). Embedding 100k
  chunks on 2 CPUs takes hours, so FAISS holds **random unit vectors** of the model's dimension
  (384) there; BM25, the entity index and fusion see the real synthetic text, and every question is
  embedded by the real model, so the full query path is real apart from the corpus vectors.
  Extra FAISS-only sizes locate the flat/HNSW latency crossover.

The retriever caches query vectors (repeated chat questions). "Cold" numbers clear that cache before
every question (or, over HTTP, make every question distinct with trailing punctuation), so they
include the query embedding; "warm" numbers repeat identical questions.
"""
from __future__ import annotations

import argparse
import asyncio
import gc
import itertools
import json
import os
import platform
import random
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import psutil  # noqa: E402

from rag.config import PACKAGED_MODEL, Settings  # noqa: E402

ARTICLE = ROOT / "index" / "corpus" / "chengdu_community_secretaries.txt"
GOLD = ROOT / "eval" / "gold.jsonl"
DIM = 384
K = 50  # candidates per channel, as Settings.candidates
BUDGET_MS = 30.0  # full query path at 100k chunks
TARGETS = {"article_p50_ms": 10.0, "scale_p50_ms": BUDGET_MS, "clients": 32}
PROC = psutil.Process()
LOAD: list[tuple[str, float]] = []


# ---------------------------------------------------------------- helpers
def stats(values: list[float]) -> dict:
    v = sorted(values)
    if not v:
        return {"n": 0, "p50": None, "p95": None, "p99": None, "mean": None, "max": None}
    pick = lambda q: v[min(len(v) - 1, int(round(q * (len(v) - 1))))]  # noqa: E731
    return {"n": len(v), "p50": round(statistics.median(v), 3), "p95": round(pick(0.95), 3),
            "p99": round(pick(0.99), 3), "mean": round(statistics.fmean(v), 3), "max": round(v[-1], 3)}


def timed(fn, items, reps: int = 1, warm: int = 2, before=None) -> list[float]:
    """Milliseconds of ``fn(item)`` over ``items`` x ``reps`` after ``warm`` untimed calls;
    ``before()`` (untimed) runs before each call, e.g. to clear a cache."""
    for item in list(items)[:warm]:
        fn(item)
    out = []
    for _ in range(reps):
        for item in items:
            if before:
                before()
            t = time.perf_counter()
            fn(item)
            out.append((time.perf_counter() - t) * 1000)
    return out


def cache_clearer(retriever):
    """Clears the retriever's query-vector cache (if this version has one)."""
    return getattr(getattr(retriever, "query_vector", None), "cache_clear", None) or (lambda: None)


def rss_mb(proc: psutil.Process = PROC) -> float:
    return proc.memory_info().rss / 2**20


def dir_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file()) / 2**20


def log(msg: str) -> None:
    """Progress line; also samples the load average, since other work on the box skews timings."""
    load = os.getloadavg()[0]
    LOAD.append((msg, round(load, 2)))
    print(f"[bench {time.strftime('%H:%M:%S')} load {load:.1f}] {msg}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def questions(n: int = 30) -> list[dict]:
    """A fixed, varied list: round-robin over the gold categories, in file order."""
    rows = [json.loads(line) for line in GOLD.read_text("utf-8").splitlines() if line.strip()]
    by_cat: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_cat[r["category"]].append(r)
    picked = [r for group in itertools.zip_longest(*by_cat.values()) for r in group if r]
    return [{"question": r["question"], "history": r.get("history") or [], "category": r["category"]}
            for r in picked[:n]]


PUNCT = "?？!！."


def variant(question: str, i: int) -> str:
    """``question`` with the i-th distinct run of trailing punctuation: same words, new cache key."""
    suffix = ""
    while i:
        i, d = divmod(i - 1, len(PUNCT))
        suffix += PUNCT[d]
    return question + suffix


def unit_vectors(n: int, seed: int) -> np.ndarray:
    x = np.random.default_rng(seed).standard_normal((n, DIM), dtype=np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    return x


# ---------------------------------------------------------------- synthetic corpus
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱尹薛段雷侯史陶黎贺顾毛郝龚邵钱严覃戴莫孔向汤"
GIVEN = "伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂英华玉兰萍红鹏飞坤琳燕露琴茜忠菊泽兴术冰富彬晨宇浩然欣怡涵梓轩思远嘉豪雨桐"
# Place syllables avoid the suffix characters (区市县街道镇乡社村中心新) so every invented name parses back whole.
PLACE = "锦青金武成龙泉驿白温双流郫彭邛崇简蒲邑堂津源宁安和丰福祥瑞云山水河桥林花石柳桂梅荷松竹兰春秋晨光明德仁义礼信永长乐康平盛兴隆东南西北"
TITLES = ("党委书记", "党总支书记", "党支部书记", "社区居委会主任", "党委副书记")


def article_sentences() -> list[str]:
    from rag.chunk import split_sentences
    from rag.ingest import load_article

    article = load_article(ARTICLE)
    out = []
    for p in article.passages:
        if p.kind in ("speaker", "event"):
            text = article.piece(p.spans)
            out.extend(text[a:b] for a, b in split_sentences(text))
    return out


def synthetic_chunks(n: int, seed: int = 0, with_article: bool = True) -> list:
    """``n`` chunks: the real article's, then invented articles whose speaker paragraphs
    (district + street + community + title + name + ：“quote”) recombine the article's sentences.
    About one invented speaker per 4 chunks and one community per 10, so names recur as in news."""
    from rag.chunk import chunk_article
    from rag.ingest import load_article, parse_article

    rng = random.Random(seed)
    sentences = article_sentences()
    word = lambda k: "".join(rng.choice(PLACE) for _ in range(k))  # noqa: E731
    districts = [word(2) + rng.choice("区区县市") for _ in range(30)]
    streets = [(rng.choice(districts), word(rng.randint(2, 3)) + rng.choice(("街道", "街道", "镇")))
               for _ in range(max(10, n // 50))]
    communities = [(street, word(rng.randint(2, 3)) + rng.choice(("社区", "社区", "村")))
                   for street in (rng.choice(streets) for _ in range(max(20, n // 10)))]
    people = [(rng.choice(communities), rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2))),
               rng.choice(TITLES)) for _ in range(max(40, n // 4))]
    chunks = list(chunk_article(load_article(ARTICLE))) if with_article else []
    doc = 0
    while len(chunks) < n:
        paragraphs = [f"## 第{doc + 1}期 社区书记分享先进经验"]
        for _ in range(200):
            ((district, street), community), name, title = rng.choice(people)
            quote = "".join(rng.choice(sentences) for _ in range(rng.randint(1, 4)))
            paragraphs.append(f"{district}{street}{community}{title}{name}：“{quote}”")
        text = "\n\n".join(paragraphs) + "\n"
        chunks.extend(chunk_article(parse_article(text, f"synthetic{doc:05d}", f"synthetic{doc:05d}.txt")))
        doc += 1
    return chunks[:n]


# ---------------------------------------------------------------- article: build (child process)
def build_child(index_dir: str) -> None:
    """Run in a fresh interpreter: stage timings, a timed build, then a traced one for the heap peak."""
    import torch
    import tracemalloc

    from rag.chunk import chunk_corpus
    from rag.embed import load_embedder
    from rag.engine import build_index
    from rag.ingest import corpus_files, load_corpus
    from rag.store import write_index

    out: dict = {"rss_start_mb": rss_mb()}
    t = time.perf_counter()
    settings = Settings(corpus=[ARTICLE], index_dir=Path(index_dir), embed_model=PACKAGED_MODEL)
    embedder = load_embedder(settings)
    out["model_load_s"] = time.perf_counter() - t
    out["rss_after_model_mb"] = rss_mb()
    out["torch_threads"] = torch.get_num_threads()
    started = time.perf_counter()  # the same calls build_index makes, stage by stage
    files = corpus_files(settings.corpus)
    chunks = chunk_corpus(load_corpus(files), settings.chunk_chars)
    t1 = time.perf_counter()
    vectors = embedder.embed_documents([c.context_text for c in chunks], settings.embed_batch_size)
    t2 = time.perf_counter()
    write_index(settings.index_dir, chunks, vectors, embedder.name, files, settings.hnsw_min_chunks, started)
    t3 = time.perf_counter()
    out["stages_s"] = {"parse_chunk": t1 - started, "embed": t2 - t1, "write": t3 - t2}
    t = time.perf_counter()
    manifest = build_index(settings, embedder, progress=False)
    out["build_s"] = time.perf_counter() - t
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tracemalloc.start()
    build_index(settings, embedder, progress=False)
    out["tracemalloc_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    out["chunks"] = manifest.chunk_count
    out["index_disk_mb"] = dir_mb(Path(index_dir) / "builds")
    print("BUILD_RESULT " + json.dumps(out))


def bench_article_build(index_dir: Path) -> dict:
    log("article: index build in a child process")
    proc = subprocess.run([sys.executable, __file__, "--build-child", str(index_dir)], capture_output=True,
                          text=True, timeout=300, cwd=ROOT, env={**os.environ, "HF_HUB_OFFLINE": "1"})
    line = next((l for l in proc.stdout.splitlines() if l.startswith("BUILD_RESULT ")), None)
    if proc.returncode or line is None:
        raise RuntimeError(f"build child failed ({proc.returncode}): {proc.stderr[-2000:]}")
    r = json.loads(line.removeprefix("BUILD_RESULT "))
    r["chunks_per_s"] = r["chunks"] / r["build_s"]
    r["embed_chunks_per_s"] = r["chunks"] / r["stages_s"]["embed"]
    return r


# ---------------------------------------------------------------- article: in-process latency
def bench_inprocess(engine, qs: list[dict], reps: int) -> dict:
    log(f"article: engine.ask x {len(qs) * reps} cold + {len(qs) * 2} warm")
    clear = cache_clearer(engine.retriever)
    by_type: dict[str, list[float]] = defaultdict(list)
    stages: dict[str, list[float]] = defaultdict(list)
    for q in qs[:3]:
        engine.ask(q["question"], history=q["history"])
    cold = []
    for _ in range(reps):
        for q in qs:
            clear()
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


# ---------------------------------------------------------------- article: HTTP
SERVER = """
import sys, uvicorn
from pathlib import Path
from rag.api import create_app
from rag.config import Settings, PACKAGED_MODEL
s = Settings(corpus=[Path(sys.argv[1])], index_dir=Path(sys.argv[2]), embed_model=PACKAGED_MODEL)
uvicorn.run(create_app(s, with_ui=False), host="127.0.0.1", port=int(sys.argv[3]), log_level="warning")
"""


def _body(q: dict, i: int | None) -> dict:
    return {"question": q["question"] if i is None else variant(q["question"], i), "history": q["history"]}


async def _load(url: str, qs: list[dict], concurrency: int, total: int, offset: int | None) -> dict:
    """``total`` requests from ``concurrency`` clients; ``offset`` None repeats the questions
    verbatim (warm cache), otherwise request i asks variant ``offset + i`` (every one distinct)."""
    import httpx

    latencies: list[float] = []
    server_ms: list[float] = []
    errors: Counter = Counter()
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:
        async def worker(counter, count, record):
            while (i := next(counter)) < count:
                q = qs[i % len(qs)]
                t = time.perf_counter()
                try:
                    cold = record and offset is not None
                    r = await client.post("/ask", json=_body(q, offset + i if cold else None))
                    if r.status_code == 200:
                        if record:
                            server_ms.append(r.json()["timings_ms"]["total"])
                    else:
                        errors[f"HTTP {r.status_code}"] += 1
                except httpx.HTTPError as exc:
                    errors[type(exc).__name__] += 1
                if record:
                    latencies.append((time.perf_counter() - t) * 1000)

        warm_up = itertools.count()  # open the connections
        await asyncio.gather(*(worker(warm_up, concurrency, False) for _ in range(concurrency)))
        counter = itertools.count()
        t0 = time.perf_counter()
        await asyncio.gather(*(worker(counter, total, True) for _ in range(concurrency)))
        wall = time.perf_counter() - t0
    return {"concurrency": concurrency, "requests": total, "cache": "warm" if offset is None else "cold",
            "errors": sum(errors.values()), "error_kinds": dict(errors), "wall_s": round(wall, 3),
            "req_per_s": round(total / wall, 1), "client_ms": stats(latencies), "server_ms": stats(server_ms)}


def bench_http(index_dir: Path, qs: list[dict], levels: dict[int, int], reps: int) -> dict:
    import httpx

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = index_dir.parent / "server.log"
    with open(log_path, "w") as log_file:
        server = subprocess.Popen([sys.executable, "-c", SERVER, str(ARTICLE), str(index_dir), str(port)], cwd=ROOT,
                                  stdout=log_file, stderr=subprocess.STDOUT, env={**os.environ, "HF_HUB_OFFLINE": "1"})
    out: dict = {"server": "uvicorn, 1 worker, app without the chat UI, loopback"}
    offset = 10_000  # variant numbers used so far: every cold request is a new question string
    try:
        t = time.perf_counter()
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"server exited: {log_path.read_text()[-2000:]}")
            try:
                if httpx.get(url + "/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.perf_counter() - t > 120:
                raise RuntimeError("server did not start in 120 s")
            time.sleep(0.2)
        out["startup_s"] = round(time.perf_counter() - t, 2)
        sproc = psutil.Process(server.pid)
        out["server_rss_start_mb"] = round(rss_mb(sproc), 1)
        log(f"http: sequential /ask x {len(qs) * reps} cold + {len(qs) * 2} warm")
        with httpx.Client(base_url=url, timeout=60) as client:
            client.post("/ask", json=_body(qs[0], 1))
            for cache in ("cold", "warm"):
                lat, server_ms, errors = [], [], 0
                if cache == "warm":
                    for q in qs:
                        client.post("/ask", json=_body(q, None))
                for rep in range(reps if cache == "cold" else 2):
                    for q in qs:
                        offset += 1
                        t = time.perf_counter()
                        r = client.post("/ask", json=_body(q, offset if cache == "cold" else None))
                        lat.append((time.perf_counter() - t) * 1000)
                        if r.status_code == 200:
                            server_ms.append(r.json()["timings_ms"]["total"])
                        else:
                            errors += 1
                out[f"sequential_{cache}"] = {"client_ms": stats(lat), "server_ms": stats(server_ms), "errors": errors}
        out["throughput"] = []
        for concurrency, total in levels.items():
            log(f"http: {total} cold requests at concurrency {concurrency}")
            out["throughput"].append(asyncio.run(_load(url, qs, concurrency, total, offset)))
            offset += total + concurrency
        log(f"http: {levels[max(levels)]} warm requests at concurrency {max(levels)}")
        out["throughput"].append(asyncio.run(_load(url, qs, max(levels), levels[max(levels)], None)))
        out["server_rss_end_mb"] = round(rss_mb(sproc), 1)
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
    return out


# ---------------------------------------------------------------- embedding throughput
def bench_embedding(embedder, n: int) -> dict:
    """Documents are embedded by `rag index build`, a process with torch's default threads (= cores);
    the engine caps query threads, so set them back for this measurement."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(os.cpu_count() or 1)
    log(f"embedding: {n} synthetic chunks with the real model, {torch.get_num_threads()} torch threads")
    try:
        texts = [c.context_text for c in synthetic_chunks(n, seed=7, with_article=False)]
        embedder.embed_documents(texts[:32], 32)
        t = time.perf_counter()
        embedder.embed_documents(texts, 32)
        s = time.perf_counter() - t
    finally:
        torch.set_num_threads(threads)
    rate = len(texts) / s
    return {"chunks": len(texts), "seconds": round(s, 2), "chunks_per_s": round(rate, 1),
            "torch_threads": os.cpu_count(), "mean_chars": round(statistics.fmean(len(x) for x in texts), 1),
            "extrapolated_100k_s": round(100_000 / rate)}


# ---------------------------------------------------------------- FAISS
OMP_SIZES = (20_000, 100_000)
OMP_DEFAULT: int | None = None  # faiss's OpenMP threads before anything here changed them (set in main)


def raw_search(index, vector: np.ndarray, k: int):
    """The FAISS call itself, under whatever OpenMP setting this thread has (``VectorIndex.search``
    may set its own thread cap first, which would hide the default this bench compares against)."""
    scores, ids = index.index.search(np.asarray(vector, dtype="float32").reshape(1, -1), k)
    return scores[0], ids[0]


def serving_threads(index, queries: np.ndarray, per_run: int = 160) -> list[dict]:
    """Flat search as the server runs it: from pool threads (FastAPI runs /ask in a thread pool),
    1 or 8 at a time, with faiss's default OpenMP threads and with ``omp_set_num_threads(1)``
    called in each worker (OpenMP's thread count is per calling thread, so setting it once in the
    main thread does not reach the workers)."""
    import faiss
    from concurrent.futures import ThreadPoolExecutor

    rows = []
    for omp in ("default", 1):
        def one(i: int) -> float:
            if omp == 1:
                faiss.omp_set_num_threads(1)
            t = time.perf_counter()
            raw_search(index, queries[i % len(queries)], K)
            return (time.perf_counter() - t) * 1000

        for concurrency in (1, 8):
            with ThreadPoolExecutor(concurrency) as pool:
                list(pool.map(one, range(concurrency * 2)))  # start the workers
                t = time.perf_counter()
                lat = list(pool.map(one, range(per_run)))
                wall = time.perf_counter() - t
            rows.append({"omp_threads": omp, "concurrency": concurrency, "query_ms": stats(lat),
                         "queries_per_s": round(per_run / wall)})
    return rows


def faiss_point(n: int, vectors: np.ndarray, queries: np.ndarray, tmp: Path, ef_sweep: bool) -> dict:
    import faiss

    from rag.store import VectorIndex

    out: dict = {"n": n, "_indexes": {}}
    truth = None
    previous = faiss.omp_get_max_threads()  # 1 in this thread once an Engine was built here
    faiss.omp_set_num_threads(OMP_DEFAULT or previous)  # builds and "default" rows: faiss's own default
    try:
        _faiss_kinds(n, vectors, queries, tmp, ef_sweep, out)
    finally:
        faiss.omp_set_num_threads(previous)
    return out


def _faiss_kinds(n: int, vectors: np.ndarray, queries: np.ndarray, tmp: Path, ef_sweep: bool, out: dict) -> None:
    import faiss

    from rag.store import VectorIndex

    truth = None
    for kind, threshold in (("flat", n + 1), ("hnsw", 1)):
        t = time.perf_counter()
        index = VectorIndex.build(vectors, threshold)
        build_s = time.perf_counter() - t
        assert index.kind == kind
        path = tmp / f"{kind}-{n}.faiss"
        index.save(path)
        row = {"build_s": round(build_s, 3), "vectors_per_s": round(n / max(build_s, 1e-9)),
               "disk_mb": round(path.stat().st_size / 2**20, 2),
               "memory_mb": round(faiss.serialize_index(index.index).nbytes / 2**20, 2)}
        path.unlink()
        row["query_ms"] = stats(timed(lambda q: raw_search(index, q, K), queries))
        threads = faiss.omp_get_max_threads()
        faiss.omp_set_num_threads(1)
        try:
            row["query_ms_1thread"] = stats(timed(lambda q: raw_search(index, q, K), queries))
        finally:
            faiss.omp_set_num_threads(threads)
        ids = [raw_search(index, q, 10)[1] for q in queries[:100]]
        if kind == "flat" and n in OMP_SIZES:
            row["serving_threads"] = serving_threads(index, queries)
        if kind == "flat":
            truth = ids
        else:
            recall = lambda got: round(float(np.mean([len(set(a) & set(b)) / 10 for a, b in zip(got, truth)])), 3)  # noqa: E731
            row["recall_at_10"] = recall(ids)
            row["ef_search"] = int(index.index.hnsw.efSearch)
            if ef_sweep:
                default = index.index.hnsw.efSearch
                row["ef_sweep"] = []
                for ef in (64, 128, 256):
                    index.index.hnsw.efSearch = ef
                    lat = stats(timed(lambda q: raw_search(index, q, K), queries[:150]))
                    row["ef_sweep"].append({"ef_search": ef, "query_ms": lat,
                                            "recall_at_10": recall([raw_search(index, q, 10)[1] for q in queries[:100]])})
                index.index.hnsw.efSearch = default
        out[kind] = row
        out["_indexes"][kind] = index


# ---------------------------------------------------------------- scale
def entity_chunk_ids(chunks) -> dict:
    from rag.retrieve import FIELDS

    ids: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, c in enumerate(chunks):
        if c.speaker is not None:
            for field in FIELDS:
                if value := getattr(c.speaker, field):
                    ids[(field, value)].append(i)
    return ids


def vectorised_search(retriever, ids_by_entity: dict, question: str, top_k: int = 3) -> list[str]:
    """What ``Retriever.search`` computes (no filters), without Python loops over every chunk:
    exact top-k BM25 candidates by partition (ties broken by chunk order, like the stable argsort),
    and entity-lifted chunks from a precomputed (field, value) -> chunk ids map. Same fusion."""
    s = retriever.settings
    scores = retriever.index.bm25.scores(question)
    positive = np.flatnonzero(scores > 0)
    if len(positive) > s.candidates:
        cut = -np.partition(-scores[positive], s.candidates - 1)[s.candidates - 1]
        above, tied = positive[scores[positive] > cut], positive[scores[positive] == cut]
        positive = np.concatenate([above, tied[: s.candidates - len(above)]])
    order = positive[np.lexsort((positive, -scores[positive]))]
    bm25 = {int(i): float(scores[i]) for i in order}
    query = getattr(retriever, "query_vector", None) or retriever.embedder.embed_query
    d_scores, d_ids = retriever.index.vectors.search(query(question), min(s.candidates, len(retriever.chunks)))
    dense = {int(i): float(v) for v, i in zip(d_scores, d_ids)}
    fused = retriever._fuse(bm25, dense, "hybrid")
    named: set[int] = set()
    for e in retriever.entities.find(question):
        named.update(ids_by_entity.get((e.field, e.value), ()))
    for i in sorted(named):  # chunk order, as the loop it replaces
        fused.setdefault(i, 0.0)
    best = sorted(fused, key=lambda i: (i in named, fused[i]), reverse=True)[:top_k]
    return [retriever.chunks[i].id for i in best]


def bench_scale(n: int, embedder, qs: list[dict], tmp: Path, engine_ok: bool, reps: int) -> dict:
    from rag.bm25 import BM25Index, Tokenizer, user_words
    from rag.engine import Engine
    from rag.retrieve import Retriever
    from rag.store import Index, Manifest

    log(f"scale {n:,}: corpus")
    gc.collect()
    rss0 = rss_mb()
    t = time.perf_counter()
    chunks = synthetic_chunks(n)
    out: dict = {"n": n, "generate_s": round(time.perf_counter() - t, 2),
                 "speakers": len({(c.speaker.name, c.speaker.label) for c in chunks if c.speaker}),
                 "mean_chars": round(statistics.fmean(len(c.context_text) for c in chunks), 1),
                 "chunks_rss_mb": round(rss_mb() - rss0, 1)}
    log(f"scale {n:,}: faiss flat + hnsw (random vectors)")
    fp = faiss_point(n, unit_vectors(n, seed=n), unit_vectors(300, seed=1), tmp, ef_sweep=n >= 20_000)
    indexes = fp.pop("_indexes")
    out.update({"flat": fp["flat"], "hnsw": fp["hnsw"]})

    log(f"scale {n:,}: bm25")
    rss1 = rss_mb()
    t = time.perf_counter()
    tokenizer = Tokenizer(user_words(chunks))
    bm25 = BM25Index.build([c.context_text for c in chunks], tokenizer)
    build_s = time.perf_counter() - t
    folder = tmp / f"bm25-{n}"
    folder.mkdir()
    bm25.save(folder)
    arrays = sum(getattr(v, "nbytes", 0) for v in bm25.retriever.scores.values())
    texts = [q["question"] for q in qs]
    out["bm25"] = {"build_s": round(build_s, 2), "chunks_per_s": round(n / build_s), "user_words": len(tokenizer.words),
                   "vocabulary": len(bm25.retriever.vocab_dict), "disk_mb": round(dir_mb(folder), 2),
                   "memory_mb": round(arrays / 2**20, 2), "rss_growth_mb": round(rss_mb() - rss1, 1),
                   "query_ms": stats(timed(bm25.scores, texts, reps=reps)),
                   "tokenize_ms": stats(timed(tokenizer.query, texts, reps=reps))}
    shutil.rmtree(folder)
    out["embed_query_ms"] = stats(timed(embedder.embed_query, texts, reps=reps))

    settings = Settings(corpus=[ARTICLE], index_dir=tmp / "unused", embed_model=PACKAGED_MODEL)
    default_kind = "hnsw" if n >= settings.hnsw_min_chunks else "flat"
    out["default_faiss"] = default_kind
    ids_by_entity = entity_chunk_ids(chunks)

    def index_of(kind: str) -> Index:
        manifest = Manifest(format_version=1, model=embedder.name, dimension=DIM, chunk_count=n,
                            counts_by_kind=dict(Counter(c.kind for c in chunks)), corpus_sha256="0" * 64,
                            corpus_files=[], faiss_index=kind, built_at="", build_seconds=0.0)
        return Index(manifest, chunks, indexes[kind], bm25, tmp)

    for kind in ("flat", "hnsw"):
        log(f"scale {n:,}: Retriever.search, faiss {kind} (real query embedding + FAISS + BM25 + fusion)")
        t = time.perf_counter()
        retriever = Retriever(index_of(kind), embedder, settings)
        init_s = time.perf_counter() - t
        clear = cache_clearer(retriever)
        row = {"init_s": round(init_s, 2), "entity_surfaces": len(retriever.entities.surfaces),
               "search_ms": stats(timed(lambda q: retriever.search(q, top_k=3), texts, reps=reps, before=clear)),
               "search_warm_ms": stats(timed(lambda q: retriever.search(q, top_k=3), texts, reps=1, warm=len(texts))),
               "entity_find_ms": stats(timed(retriever.entities.find, texts, reps=reps))}
        try:  # the same result without per-chunk Python loops: evidence for the suggested fix
            agree = sum(vectorised_search(retriever, ids_by_entity, q) == [h.chunk.id for h in retriever.search(q, top_k=3)]
                        for q in texts)
            row["vectorised_ms"] = stats(timed(lambda q: vectorised_search(retriever, ids_by_entity, q), texts,
                                               reps=reps, before=clear))
            row["vectorised_same_top3"] = f"{agree}/{len(texts)}"
        except Exception as exc:  # fusion internals changed: report, do not fail the bench
            row["vectorised_error"] = f"{type(exc).__name__}: {exc}"
        out[f"retriever_{kind}"] = row
        del retriever
    if engine_ok:
        log(f"scale {n:,}: engine.ask, faiss {default_kind} (understand + retrieve + answer)")
        t = time.perf_counter()
        engine = Engine(settings, index_of(default_kind), embedder)
        init_s = time.perf_counter() - t
        clear = cache_clearer(engine.retriever)
        lat, by_type, sizes, errors = [], defaultdict(list), [], Counter()
        for _ in range(reps):
            for q in qs:
                clear()
                t = time.perf_counter()
                try:
                    a = engine.ask(q["question"], history=q["history"])
                except Exception as exc:  # a crash at scale is a result, not a reason to stop
                    errors[f"{type(exc).__name__}: {exc}"[:120]] += 1
                    continue
                ms = (time.perf_counter() - t) * 1000
                lat.append(ms)
                by_type[a.answer_type].append(ms)
                sizes.append(len(a.answer))
        out["engine"] = {"init_s": round(init_s, 2), "ask_ms": stats(lat),
                         "by_answer_type": {k: stats(v) for k, v in sorted(by_type.items())},
                         "answer_chars_max": max(sizes, default=0), "errors": dict(errors)}
        del engine
    out["rss_total_growth_mb"] = round(rss_mb() - rss0, 1)
    del indexes, bm25, chunks
    gc.collect()
    return out


def bench_crossover(sizes: list[int], tmp: Path) -> list[dict]:
    rows = []
    for n in sizes:
        log(f"crossover: faiss flat vs hnsw at {n:,}")
        p = faiss_point(n, unit_vectors(n, seed=n), unit_vectors(300, seed=1), tmp, ef_sweep=n >= 20_000)
        p.pop("_indexes")
        rows.append(p)
        gc.collect()
    return rows


# ---------------------------------------------------------------- recommendation
def crossover_size(points: list[dict], key: str) -> int | None:
    """Smallest measured size from which HNSW stays faster than flat (p50)."""
    points = sorted(points, key=lambda p: p["n"])
    for i, p in enumerate(points):
        if all(q["hnsw"]["query_ms"]["p50"] < q["flat"][key]["p50"] for q in points[i:]):
            return p["n"]
    return None


def size_where(points: list[dict], key: str, limit_ms: float) -> int | None:
    """Chunks at which flat's p50 reaches ``limit_ms``, interpolated linearly between measured sizes."""
    points = sorted(points, key=lambda p: p["n"])
    prev = None
    for p in points:
        ms = p["flat"][key]["p50"]
        if ms >= limit_ms:
            if prev is None:
                return p["n"]
            (n0, m0), n1 = prev, p["n"]
            return int(n0 + (n1 - n0) * (limit_ms - m0) / max(ms - m0, 1e-9))
        prev = (p["n"], ms)
    return None


def recommend(points: list[dict]) -> dict:
    """The rule: exact flat search until it costs 10% of the 30 ms full-path budget (3 ms p50), HNSW
    beyond. Below that HNSW saves under 3 ms a query and gives up exactness; above it flat grows
    linearly with the corpus (and holds the memory bus for the whole scan) while HNSW stays flat.
    Evaluated for flat search with one OpenMP thread (what serving should use, see serving_threads)
    and with faiss's default threads."""
    limit = BUDGET_MS * 0.10
    at = size_where(points, "query_ms", limit)
    at1 = size_where(points, "query_ms_1thread", limit)
    rounded = lambda n: None if n is None else max(10_000, int(round(n / 10_000)) * 10_000)  # noqa: E731
    return {"rule": f"switch to HNSW where flat p50 reaches {limit:.0f} ms (10% of the {BUDGET_MS:.0f} ms budget)",
            "crossover_default_threads": crossover_size(points, "query_ms"),
            "crossover_1_thread": crossover_size(points, "query_ms_1thread"),
            "flat_reaches_limit_at": at, "flat_1thread_reaches_limit_at": at1,
            "recommended_hnsw_min_chunks": rounded(at1), "recommended_if_default_openmp": rounded(at)}


def recommendation_text(rec: dict, res: dict) -> str:
    value, current = rec["recommended_hnsw_min_chunks"], res["environment"]["hnsw_min_chunks"]
    fallback = rec["recommended_if_default_openmp"]
    pts = {pt["n"]: pt for pt in res["crossover"]}
    lines = []
    if value is None:
        lines.append(f"**Recommendation: keep `hnsw_min_chunks = {current:_}`**: single-threaded flat never reached "
                     f"{BUDGET_MS * 0.1:.0f} ms p50 in this run.")
    else:
        lines.append(f"**Recommendation: {'keep' if value == current else 'set'} `hnsw_min_chunks = {value:_}`"
                     f"{'' if value == current else f' (now {current:_})'}, together with one OpenMP thread per FAISS "
                     f"query** — by the rule, single-threaded flat reaches {BUDGET_MS * 0.1:.0f} ms at "
                     f"≈{fmt(rec['flat_1thread_reaches_limit_at'])} chunks.")
    lines.append(f"Without that cap (faiss's default OpenMP threads) flat reached the limit at "
                 f"≈{fmt(rec['flat_reaches_limit_at'])} chunks in this run, i.e. threshold {fmt(fallback)}; that number "
                 "moves with the load on the box, because a single query split over an OpenMP team waits at the "
                 "team's barrier whenever the cores are busy — and concurrent requests keep them busy (the serving "
                 "table above).")
    lines.append(f"The pure latency crossover is lower (HNSW is faster from {fmt(rec['crossover_default_threads'])} "
                 "chunks), but below the threshold the saving is under ~3 ms against an ~8 ms query embedding, and "
                 "HNSW's results are approximate (recall column: random vectors are HNSW's worst case; real embeddings "
                 "cluster and fare much better, but that could not be measured without embedding 100k chunks).")
    sweep = next((pt["hnsw"]["ef_sweep"] for _, pt in sorted(pts.items(), reverse=True) if pt["hnsw"].get("ef_sweep")), None)
    if sweep:
        lines.append("Above the threshold efSearch trades latency for recall (largest size: "
                     + ", ".join(f"ef {r['ef_search']}: {r['query_ms']['p50']:.2f} ms, recall@10 {r['recall_at_10']}" for r in sweep)
                     + "); the dense channel only breaks ties behind BM25 here (dense_weight "
                     f"{res['environment']['dense_weight']}), so answers are insensitive to it.")
    return " ".join(lines)


def findings(res: dict) -> list[str]:
    out = []
    for s in res["scale"]:
        r = s["retriever_hnsw"]
        parts = s["embed_query_ms"]["p50"] + s["hnsw"]["query_ms"]["p50"] + s["bm25"]["query_ms"]["p50"] + r["entity_find_ms"]["p50"]
        rest = r["search_ms"]["p50"] - parts
        if s["n"] >= 10_000 and rest > 0.3 * r["search_ms"]["p50"]:
            fast = r.get("vectorised_ms", {}).get("p50")
            out.append(
                f"At {s['n']:,} chunks {rest:.0f} ms of the {r['search_ms']['p50']:.0f} ms full query path (cold, HNSW) is "
                "Python iterating over every chunk in `Retriever.search`: `[i for i in np.argsort(-scores) if scores[i] > 0 "
                "and allowed[i]]` in the BM25 channel and the `for i, chunk in enumerate(self.chunks)` entity lift. "
                + (f"The same top-3 computed with `np.partition` candidates and a precomputed (field, value) → chunk ids map "
                   f"takes {fast:.1f} ms (same top-3 on {r['vectorised_same_top3']} questions)." if fast else ""))
        e = s.get("engine")
        if e and e.get("errors"):
            out.append(f"engine.ask raised at {s['n']:,} chunks: {e['errors']}")
        if e and s["n"] >= 100_000 and e["init_s"] > 10:
            out.append(f"Building an Engine over {s['n']:,} chunks takes {e['init_s']:.0f} s (the answerer re-tokenizes every "
                       "chunk for its IDF table): server start-up at this size is dominated by it.")
        if e and e["answer_chars_max"] > 5000:
            out.append(f"At {s['n']:,} chunks the longest answer is {e['answer_chars_max']:,} characters.")
    for q in res["crossover"]:
        rows = {(r["omp_threads"], r["concurrency"]): r for r in q["flat"].get("serving_threads", [])}
        if rows:
            d1, s1, d8, s8 = rows[("default", 1)], rows[(1, 1)], rows[("default", 8)], rows[(1, 8)]
            out.append(
                f"Flat search over {q['n']:,} chunks from worker threads: p50 {d1['query_ms']['p50']:.1f} ms alone and "
                f"{d8['query_ms']['p50']:.1f} ms with 8 in flight ({d8['queries_per_s']} q/s) with faiss's default OpenMP "
                f"threads, against {s1['query_ms']['p50']:.1f} / {s8['query_ms']['p50']:.1f} ms ({s8['queries_per_s']} q/s) "
                "with one thread per query. The cap must be set in the thread that searches (first thing in "
                "`VectorIndex.search`: it is per thread and costs nothing), not once at start-up.")
    for t in (res.get("http") or {}).get("throughput", []):
        if t["errors"]:
            out.append(f"{t['errors']} errors at concurrency {t['concurrency']} ({t['cache']}): {t['error_kinds']}")
    return out


# ---------------------------------------------------------------- report
def fmt(x, digits: int = 2) -> str:
    if x is None:
        return "–"
    if isinstance(x, bool):
        return str(x)
    if isinstance(x, float):
        return f"{x:,.{digits}f}"
    if isinstance(x, int):
        return f"{x:,}"
    return str(x)


def table(header: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(fmt(c) for c in r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def p(d: dict, key: str = "p50"):
    return (d or {}).get(key)


def ef_default(res: dict):
    return next((q["hnsw"].get("ef_search") for q in res["crossover"] if q["hnsw"].get("ef_search")), "?")


def verdict(ok: bool) -> str:
    return "✅ met" if ok else "❌ missed"


def verdict_pair(in_process: bool, over_http: bool) -> str:
    if in_process == over_http:
        return verdict(in_process)
    return "⚠️ borderline: " + ("met in-process, missed over HTTP" if in_process else "met over HTTP only")


def write_report(res: dict, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench.json").write_text(json.dumps(res, ensure_ascii=False, indent=2), "utf-8")
    env, art, http, b, e = res["environment"], res["article"], res["http"], res["build"], res["embedding"]
    sc = {s["n"]: s for s in res["scale"]}
    big = sc[max(sc)] if sc else None
    md: list[str] = ["# Benchmarks (`make bench`)\n"]
    md.append(f"Run {env['date']} on {env['cpus']} CPU cores ({env['cpu']}, {env['ram_gb']} GB), Python {env['python']}, "
              f"faiss OpenMP threads {env['faiss_threads']}, engine query threads (torch) {env['query_threads']}; "
              f"embedding model `{env['model']}` (dimension {DIM}); fusion `{env['fusion']}`; "
              f"total bench time {res['bench_seconds']:.0f} s.\n")
    md.append(f"1-minute load average during the run: max {res['load_average']['max']} (samples in bench.json). The "
              f"{env['cpus']} cores are shared with other work; a load above {env['cpus']} means other processes "
              "competed for the CPU and inflated these numbers.\n")
    md.append("Latencies are milliseconds. **Cold** = the retriever's query-vector cache is cleared before each "
              "question (over HTTP: every question is made distinct with trailing punctuation), so the query "
              "embedding is paid; **warm** = identical questions repeated. \"Server-side\" is the engine's own "
              "`timings_ms.total`; client-side adds HTTP, JSON and the event loop.\n")

    md.append("## Targets\n")
    rows = [["server-side p50 on the article ≤ 10 ms (cold)",
             f"{p(art['ask_ms']):.2f} ms in-process; {p(http['sequential_cold']['server_ms']):.2f} ms server-side over HTTP "
             f"(warm: {p(art['ask_warm_ms']):.2f} ms)",
             verdict_pair(p(art["ask_ms"]) <= TARGETS["article_p50_ms"],
                          p(http["sequential_cold"]["server_ms"]) <= TARGETS["article_p50_ms"])]]
    if big:
        kind = big["default_faiss"]
        full = p(big[f"retriever_{kind}"]["search_ms"])
        fast = p(big[f"retriever_{kind}"].get("vectorised_ms"))
        rows.append([f"full query path p50 at {big['n']:,} chunks ≤ 30 ms (cold: query embedding + FAISS + BM25 + fusion)",
                     f"{full:.1f} ms with `Retriever.search` (FAISS {kind}, the default at this size)"
                     + (f"; {fast:.1f} ms with the per-chunk loops vectorised (see Findings)"
                        if fast and full > 1.3 * fast else ""),
                     verdict(full <= BUDGET_MS)])
        if "engine" in big:
            rows.append([f"`engine.ask` p50 at {big['n']:,} chunks (cold; informational)",
                         f"{p(big['engine']['ask_ms']):.1f} ms", ""])
    for t in http["throughput"]:
        if t["concurrency"] == TARGETS["clients"]:
            rows.append([f"{t['concurrency']} concurrent clients, zero errors ({t['cache']})",
                         f"{t['errors']} errors in {t['requests']} requests, {t['req_per_s']} req/s",
                         verdict(t["errors"] == 0)])
    md.append(table(["target", "measured", ""], rows))

    md.append("## The article: index build\n")
    md.append(f"A child process with the packaged model builds the {b['chunks']}-chunk article index "
              f"(torch threads {b['torch_threads']}); loading the model ({b['model_load_s']:.1f} s) is excluded.\n")
    md.append(table(["measure", "value"], [
        ["build_index wall time", f"{b['build_s']:.2f} s"],
        ["build throughput", f"{b['chunks_per_s']:.1f} chunks/s"],
        ["stage: parse + chunk", f"{b['stages_s']['parse_chunk'] * 1000:.1f} ms"],
        ["stage: embed", f"{b['stages_s']['embed'] * 1000:.0f} ms ({b['embed_chunks_per_s']:.1f} chunks/s)"],
        ["stage: write (FAISS + BM25 + chunk records + manifest)", f"{b['stages_s']['write'] * 1000:.0f} ms"],
        ["peak RSS of the build process (model included)", f"{b['peak_rss_mb']:.0f} MB"],
        ["RSS at start / after loading the model", f"{b['rss_start_mb']:.0f} MB / {b['rss_after_model_mb']:.0f} MB"],
        ["tracemalloc peak during build_index (Python heap only)", f"{b['tracemalloc_peak_mb']:.1f} MB"],
        ["index on disk", f"{b['index_disk_mb']:.2f} MB"],
    ]))
    md.append(f"Real-model embedding throughput on {e['chunks']} synthetic chunks (mean {e['mean_chars']} characters, "
              f"batch 32, {e['torch_threads']} torch threads): **{e['chunks_per_s']} chunks/s**, so embedding 100k chunks "
              f"would take ≈{e['extrapolated_100k_s'] / 60:.0f} min here — why the scale runs use random vectors. "
              "Embedding is >95% of build time at every size.\n")

    md.append("## The article: `/ask` latency\n")
    rows = [["engine.ask in-process, cold", art["ask_ms"]], ["engine.ask in-process, warm", art["ask_warm_ms"]],
            ["HTTP 1 client, client-side, cold", http["sequential_cold"]["client_ms"]],
            ["HTTP 1 client, server-side, cold", http["sequential_cold"]["server_ms"]],
            ["HTTP 1 client, client-side, warm", http["sequential_warm"]["client_ms"]],
            ["HTTP 1 client, server-side, warm", http["sequential_warm"]["server_ms"]],
            ["query embedding alone (1 torch thread)", art["embed_query_ms"]]]
    md.append(table(["path", "n", "p50", "p95", "max"], [[name, d["n"], d["p50"], d["p95"], d["max"]] for name, d in rows]))
    md.append("By answer type (in-process, cold):\n")
    md.append(table(["answer type", "n", "p50", "p95"],
                    [[k, v["n"], v["p50"], v["p95"]] for k, v in art["by_answer_type"].items()]))
    cold = http["sequential_cold"]
    md.append(f"HTTP overhead: client p50 / server p50 = {p(cold['client_ms']) / p(cold['server_ms']):.2f}× "
              f"(+{p(cold['client_ms']) - p(cold['server_ms']):.2f} ms). Server start-up (model + index load, warm-up "
              f"query) {http['startup_s']} s.\n")
    md.append("### Throughput (uvicorn, 1 worker, loopback, httpx async clients)\n")
    base = http["throughput"][0]["req_per_s"]
    md.append(table(["clients", "cache", "requests", "errors", "req/s", "× 1 client", "client p50", "client p95",
                     "server p50", "server p95"],
                    [[t["concurrency"], t["cache"], t["requests"], t["errors"], t["req_per_s"], f"{t['req_per_s'] / base:.2f}×",
                      p(t["client_ms"]), p(t["client_ms"], "p95"), p(t["server_ms"]), p(t["server_ms"], "p95")]
                     for t in http["throughput"]]))
    md.append(f"Server RSS {http['server_rss_start_mb']} MB before the load, {http['server_rss_end_mb']} MB after "
              "(thread pool stacks, per-thread allocator arenas and the query-vector cache). Client and server share the "
              "2 cores, so req/s is a floor for a dedicated server. FastAPI runs the sync `/ask` handler in a thread "
              "pool, so concurrent cold requests embed in parallel on 2 cores: the server-side time of each grows with "
              "the number in flight while throughput stays CPU-bound at about cores / embedding time.\n")

    md.append("## Scale: synthetic corpora\n")
    md.append("Corpora recombine the article's sentences under invented speakers, streets and communities (about one "
              "speaker per 4 chunks), parsed by `rag.ingest.parse_article` and chunked by `rag.chunk`; the article's own "
              "chunks are included so the gold questions have answers. **FAISS holds random unit vectors (dimension 384), "
              "not model embeddings**; FAISS-only rows use random query vectors too, the retriever and engine rows embed "
              "the real question with the real model. HNSW recall is measured against flat on the same random data — "
              "HNSW's worst case; real embeddings cluster and usually reach much higher recall. The synthetic text reuses "
              "a small vocabulary, so BM25 posting lists are denser than real news: BM25 numbers are pessimistic.\n")
    md.append("### Query latency, p50 ms\n")
    rows = []
    for s in res["scale"]:
        rows.append([s["n"], s["speakers"], s["flat"]["query_ms"]["p50"], s["flat"]["query_ms_1thread"]["p50"],
                     s["hnsw"]["query_ms"]["p50"], s["hnsw"]["recall_at_10"], s["bm25"]["query_ms"]["p50"],
                     s["embed_query_ms"]["p50"], p(s["retriever_flat"]["search_ms"]), p(s["retriever_hnsw"]["search_ms"]),
                     p(s["retriever_hnsw"]["search_ms"], "p95"), p(s["retriever_hnsw"]["search_warm_ms"]),
                     p(s["retriever_hnsw"].get("vectorised_ms")), p((s.get("engine") or {}).get("ask_ms"))])
    md.append(table(["chunks", "speakers", "FAISS flat", "flat, 1 thread", "FAISS HNSW", "HNSW recall@10",
                     "BM25 scores", "query embedding", "retriever, flat", "retriever, HNSW", "retriever, HNSW p95",
                     "retriever, HNSW, warm", "retriever vectorised (what-if)", "engine.ask (default FAISS)"], rows))
    md.append("\"retriever\" = `Retriever.search` (cold) = query embedding + FAISS top-50 + BM25 top-50 + fusion + entity "
              "lift: the full query path. `engine.ask` adds question understanding and answer selection. "
              "\"vectorised\" computes the same top-3 without per-chunk Python loops (Findings).\n")
    md.append("### Where the full query path goes (HNSW, cold), p50 ms\n")
    rows = []
    for s in res["scale"]:
        r = s["retriever_hnsw"]
        parts = s["embed_query_ms"]["p50"] + s["hnsw"]["query_ms"]["p50"] + s["bm25"]["query_ms"]["p50"] + r["entity_find_ms"]["p50"]
        rows.append([s["n"], p(r["search_ms"]), s["embed_query_ms"]["p50"], s["hnsw"]["query_ms"]["p50"],
                     s["bm25"]["query_ms"]["p50"], r["entity_find_ms"]["p50"], round(max(p(r["search_ms"]) - parts, 0.0), 2),
                     f"{max(p(r['search_ms']) - parts, 0.0) / p(r['search_ms']):.0%}", r["entity_surfaces"]])
    md.append(table(["chunks", "Retriever.search", "query embedding", "FAISS HNSW", "BM25 scores", "entity regex",
                     "rest (per-chunk Python loops)", "rest share", "entity surfaces"], rows))
    md.append("### Build cost and size\n")
    rows = [[s["n"], s["flat"]["build_s"], s["hnsw"]["build_s"], s["bm25"]["build_s"], s["bm25"]["chunks_per_s"],
             s["flat"]["memory_mb"], s["hnsw"]["memory_mb"], f"{s['hnsw']['memory_mb'] / s['flat']['memory_mb']:.2f}×",
             s["flat"]["disk_mb"], s["hnsw"]["disk_mb"], s["bm25"]["memory_mb"], s["bm25"]["disk_mb"],
             s["bm25"]["vocabulary"], s["chunks_rss_mb"], (s.get("engine") or {}).get("init_s")] for s in res["scale"]]
    md.append(table(["chunks", "flat build s", "HNSW build s", "BM25 build s", "BM25 chunks/s", "flat MB (RAM)",
                     "HNSW MB (RAM)", "HNSW/flat", "flat MB (disk)", "HNSW MB (disk)", "BM25 MB (RAM arrays)",
                     "BM25 MB (disk)", "BM25 vocabulary", "chunk records, RSS MB", "Engine init s"], rows))
    if 100_000 in sc:
        s = sc[100_000]
        md.append(f"Extrapolated full build of 100k chunks with the real model here: embedding ≈{100_000 / e['chunks_per_s'] / 60:.0f} min "
                  f"+ BM25 {s['bm25']['build_s']:.0f} s + HNSW {s['hnsw']['build_s']:.0f} s.\n")

    md.append("## Flat vs HNSW crossover\n")
    md.append(table(["chunks", "flat p50", "flat p95", "flat p50, 1 thread", "HNSW p50", "flat / HNSW", "HNSW recall@10",
                     "HNSW build s", "HNSW memory / flat"],
                    [[q["n"], q["flat"]["query_ms"]["p50"], q["flat"]["query_ms"]["p95"], q["flat"]["query_ms_1thread"]["p50"],
                      q["hnsw"]["query_ms"]["p50"], f"{q['flat']['query_ms']['p50'] / q['hnsw']['query_ms']['p50']:.1f}×",
                      q["hnsw"]["recall_at_10"], q["hnsw"]["build_s"], f"{q['hnsw']['memory_mb'] / q['flat']['memory_mb']:.2f}×"]
                     for q in res["crossover"]]))
    sweeps = [(q["n"], r) for q in res["crossover"] for r in q["hnsw"].get("ef_sweep", [])]
    if sweeps:
        md.append(f"HNSW efSearch sweep (M=32; `VectorIndex.build` sets efSearch={ef_default(res)}):\n")
        md.append(table(["chunks", "efSearch", "p50 ms", "p95 ms", "recall@10 (random vectors)"],
                        [[n, r["ef_search"], r["query_ms"]["p50"], r["query_ms"]["p95"], r["recall_at_10"]] for n, r in sweeps]))
    serving = [(q["n"], r) for q in res["crossover"] for r in q["flat"].get("serving_threads", [])]
    if serving:
        md.append("### Flat search from server worker threads\n")
        md.append("FastAPI runs `/ask` in a thread pool, and OpenMP's thread count is per calling thread, so a "
                  "`faiss.omp_set_num_threads(1)` made once at start-up sets the main thread only (a request thread "
                  "inherits it only incidentally: when faiss binds to torch's OpenMP runtime and torch has run in "
                  "that thread). Flat search from pool threads, 1 or 8 at a time:\n")
        md.append(table(["chunks", "OpenMP threads per query", "concurrent", "p50 ms", "p95 ms", "queries/s"],
                        [[n, r["omp_threads"], r["concurrency"], r["query_ms"]["p50"], r["query_ms"]["p95"], r["queries_per_s"]]
                         for n, r in serving]))
    rec = res["recommendation"]
    md.append(f"Rule: {rec['rule']}. HNSW is faster than flat from {fmt(rec['crossover_default_threads'])} chunks "
              f"(default OpenMP threads) / {fmt(rec['crossover_1_thread'])} (one thread); flat reaches the limit at "
              f"≈{fmt(rec['flat_reaches_limit_at'])} chunks (≈{fmt(rec['flat_1thread_reaches_limit_at'])} with one thread).\n")
    md.append(res["recommendation_text"] + "\n")
    if res.get("findings"):
        md.append("## Findings\n")
        md.extend(f"- {f}" for f in res["findings"])
        md.append("")
    (out / "bench.md").write_text("\n".join(md), "utf-8")
    plot(res, out / "bench.png")


def plot(res: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(12, 6))
    cross = sorted(res["crossover"], key=lambda q: q["n"])
    xs = [q["n"] for q in cross]
    ax.plot(xs, [q["flat"]["query_ms"]["p50"] for q in cross], "o-", label="FAISS flat (IndexFlatIP)")
    ax.plot(xs, [q["flat"]["query_ms_1thread"]["p50"] for q in cross], "o--", label="FAISS flat, 1 OpenMP thread")
    ax.plot(xs, [q["hnsw"]["query_ms"]["p50"] for q in cross], "s-", label=f"FAISS HNSW (M=32, efSearch={ef_default(res)})")
    scale = sorted(res["scale"], key=lambda s: s["n"])
    sx = [s["n"] for s in scale]
    ax.plot(sx, [s["bm25"]["query_ms"]["p50"] for s in scale], "^-", label="BM25 scores (bm25s, jieba query)")
    ax.plot(sx, [p(s["retriever_flat"]["search_ms"]) for s in scale], "D-", label="full path: Retriever.search, flat (cold)")
    ax.plot(sx, [p(s["retriever_hnsw"]["search_ms"]) for s in scale], "D--", label="full path: Retriever.search, HNSW (cold)")
    if all(p(s["retriever_hnsw"].get("vectorised_ms")) for s in scale):
        ax.plot(sx, [p(s["retriever_hnsw"]["vectorised_ms"]) for s in scale], "P:", label="full path, loops vectorised (what-if)")
    if all(p((s.get("engine") or {}).get("ask_ms")) for s in scale):
        ax.plot(sx, [p(s["engine"]["ask_ms"]) for s in scale], "v-", label="engine.ask, default FAISS (cold)")
    ax.axhline(BUDGET_MS, color="grey", ls=":", lw=1)
    ax.text(xs[0], BUDGET_MS * 1.08, "30 ms target", color="grey", fontsize=8)
    ax.axvline(res["environment"]["hnsw_min_chunks"], color="grey", ls="-.", lw=0.8)
    ax.text(res["environment"]["hnsw_min_chunks"] * 1.03, min(q["flat"]["query_ms"]["p50"] for q in cross),
            "hnsw_min_chunks (config)", color="grey", fontsize=8, rotation=90, va="bottom")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("corpus size (chunks; FAISS rows on random 384-d unit vectors)")
    ax.set_ylabel("query latency p50 (ms, log scale)")
    ax.set_title(f"Query latency vs corpus size ({res['environment']['cpus']} CPU cores)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def summary(res: dict, out: Path) -> None:
    art, http, b = res["article"], res["http"], res["build"]
    print("\n== bench summary ==")
    print(f"article engine.ask p50/p95 cold {p(art['ask_ms']):.2f}/{p(art['ask_ms'], 'p95'):.2f} ms, "
          f"warm {p(art['ask_warm_ms']):.2f}/{p(art['ask_warm_ms'], 'p95'):.2f} ms (target p50 <= 10)")
    c = http["sequential_cold"]
    print(f"article HTTP cold: client p50/p95 {p(c['client_ms']):.2f}/{p(c['client_ms'], 'p95'):.2f} ms, "
          f"server-side p50 {p(c['server_ms']):.2f} ms")
    for t in http["throughput"]:
        print(f"  {t['concurrency']:>2} clients ({t['cache']}): {t['req_per_s']} req/s, {t['errors']} errors, "
              f"client p50/p95 {p(t['client_ms'])}/{p(t['client_ms'], 'p95')} ms")
    print(f"build: {b['chunks']} chunks in {b['build_s']:.2f} s ({b['chunks_per_s']:.1f} chunks/s), peak RSS "
          f"{b['peak_rss_mb']:.0f} MB; embedding {res['embedding']['chunks_per_s']} chunks/s")
    for s in res["scale"]:
        r = s[f"retriever_{s['default_faiss']}"]
        print(f"{s['n']:>7,} chunks: flat {s['flat']['query_ms']['p50']:.2f} / hnsw {s['hnsw']['query_ms']['p50']:.2f} ms "
              f"(recall@10 {s['hnsw']['recall_at_10']}), bm25 {s['bm25']['query_ms']['p50']:.2f} ms, full path "
              f"{p(r['search_ms']):.1f} ms ({s['default_faiss']}; vectorised {fmt(p(r.get('vectorised_ms')))}), "
              f"engine.ask {fmt(p((s.get('engine') or {}).get('ask_ms')))} ms")
    print(f"recommendation: {json.dumps(res['recommendation'])}")
    print(f"reports: {out / 'bench.md'}, {out / 'bench.png'}, {out / 'bench.json'} "
          f"({res['bench_seconds']:.0f} s, max load {res['load_average']['max']})")


# ---------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "eval" / "reports")
    parser.add_argument("--sizes", default="1000,10000,100000", help="scale corpus sizes (chunks)")
    parser.add_argument("--crossover", default="2000,5000,20000,30000,50000", help="extra FAISS-only sizes")
    parser.add_argument("--engine-max", type=int, default=100_000, help="largest size to run engine.ask on")
    parser.add_argument("--reps", type=int, default=5, help="repetitions of the 30 questions on the article")
    parser.add_argument("--quick", action="store_true", help="small sizes and counts: a smoke test")
    parser.add_argument("--report-only", action="store_true", help="rewrite bench.md/png from --out/bench.json")
    parser.add_argument("--build-child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.build_child:
        build_child(args.build_child)
        return {}
    if args.report_only:
        res = json.loads((args.out / "bench.json").read_text("utf-8"))
        res["recommendation"] = recommend(res["crossover"])
        res["recommendation_text"] = recommendation_text(res["recommendation"], res)
        res["findings"] = findings(res)
        write_report(res, args.out)
        summary(res, args.out)
        return res
    if args.quick:
        args.sizes, args.crossover, args.reps = "1000,3000", "2000", 2
    sizes = sorted(int(s) for s in args.sizes.split(",") if s)
    extra = [int(s) for s in args.crossover.split(",") if s and int(s) not in sizes]
    levels = {1: 150, 8: 400, 32: 800} if not args.quick else {1: 30, 8: 60, 32: 120}

    import faiss

    from rag.embed import load_embedder
    from rag.engine import Engine

    global OMP_DEFAULT
    OMP_DEFAULT = faiss.omp_get_max_threads()
    started = time.perf_counter()
    defaults = Settings(embed_model=PACKAGED_MODEL)
    res: dict = {"environment": {
        "date": time.strftime("%Y-%m-%d %H:%M"), "cpus": os.cpu_count(), "cpu": platform.processor() or platform.machine(),
        "ram_gb": round(psutil.virtual_memory().total / 2**30, 1), "python": platform.python_version(),
        "faiss_threads": OMP_DEFAULT, "query_threads": getattr(defaults, "query_threads", "default"),
        "model": PACKAGED_MODEL, "fusion": defaults.fusion, "dense_weight": defaults.dense_weight,
        "hnsw_min_chunks": defaults.hnsw_min_chunks}}
    qs = questions(30)
    res["questions"] = [q["question"] for q in qs]
    with tempfile.TemporaryDirectory(prefix="rag-bench-") as tmpdir:
        tmp = Path(tmpdir)
        index_dir = tmp / "article" / "store"
        res["build"] = bench_article_build(index_dir)
        settings = Settings(corpus=[ARTICLE], index_dir=index_dir, embed_model=PACKAGED_MODEL)
        embedder = load_embedder(settings)
        engine = Engine.load(settings, embedder)
        res["article"] = bench_inprocess(engine, qs, args.reps)
        del engine
        res["http"] = bench_http(index_dir, qs, levels, args.reps)
        res["embedding"] = bench_embedding(embedder, 128 if args.quick else 512)
        res["scale"] = [bench_scale(n, embedder, qs, tmp, n <= args.engine_max, reps=2 if n >= 50_000 else 3)
                        for n in sizes]
        points = [{"n": s["n"], "flat": s["flat"], "hnsw": s["hnsw"]} for s in res["scale"]]
        res["crossover"] = sorted(points + bench_crossover(extra, tmp), key=lambda q: q["n"])
    res["recommendation"] = recommend(res["crossover"])
    res["recommendation_text"] = recommendation_text(res["recommendation"], res)
    res["findings"] = findings(res)
    res["bench_seconds"] = round(time.perf_counter() - started, 1)
    res["load_average"] = {"samples": LOAD, "max": max((l for _, l in LOAD), default=0.0)}
    write_report(res, args.out)
    summary(res, args.out)
    return res


if __name__ == "__main__":
    main()
