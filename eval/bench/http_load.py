"""``/ask`` over real HTTP: uvicorn in a child process (``ui.server.start_server_process``), httpx
async clients on loopback, the real API side by side with the minimal BM25-only server.

Two workloads: **distinct** (every request a new question string, so no query vector is cached)
and **repeated** (30 questions cycled verbatim, as chat users click the same examples).
"""
from __future__ import annotations

import asyncio
import itertools
import os
import sys
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

import psutil

from eval.bench.common import ARTICLE, CLIENTS, ROOT, log, rss_mb, stats, variant
from ui.server import free_port, start_server_process, stop_server_process

APPS = {"rag": "rag.api:create_app", "bm25": "eval.bench.bm25_server:create_app",
        "rag_async": "eval.bench.ask_variants:create_app"}
# (server, uvicorn workers, concurrent clients, workload, requests in the full run)
PLAN = [("rag", 1, 1, "distinct", 150), ("rag", 1, 1, "repeated", 60), ("rag", 1, 8, "distinct", 400),
        ("rag", 1, CLIENTS, "distinct", 800), ("rag", 1, CLIENTS, "repeated", 800),
        ("bm25", 1, 1, "distinct", 150), ("bm25", 1, CLIENTS, "distinct", 800), ("bm25", 1, CLIENTS, "repeated", 800),
        ("rag", 2, CLIENTS, "distinct", 800), ("rag", 2, CLIENTS, "repeated", 800),
        ("rag_async", 1, CLIENTS, "distinct", 800), ("rag_async", 1, CLIENTS, "repeated", 800)]


def server_args(app: str, port: int, workers: int) -> list[str]:
    return [sys.executable, "-m", "uvicorn", APPS[app], "--factory", "--host", "127.0.0.1", "--port", str(port),
            "--log-level", "warning", "--workers", str(workers)]


@contextmanager
def running(app: str, workers: int, index_dir: Path, log_dir: Path) -> Iterator[dict]:
    """One server for the runs that share it; yields its URL, process and start-up time."""
    port = free_port()
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "RAG_INDEX_DIR": str(index_dir), "RAG_CORPUS": str(ARTICLE)}
    t = time.perf_counter()
    proc = start_server_process(server_args(app, port, workers), port, env=env, timeout=180,
                                log_path=log_dir / f"server-{app}-{workers}.log", cwd=ROOT)
    info = {"url": f"http://127.0.0.1:{port}", "proc": psutil.Process(proc.pid),
            "startup_s": round(time.perf_counter() - t, 2)}
    try:
        yield info
    finally:
        stop_server_process(proc)


def body_maker(qs: list[dict], workload: str, start: int) -> Callable[[int], dict]:
    """Request ``i``'s body: question ``i mod len(qs)``, made unique by ``start + i`` when distinct."""
    def body(i: int) -> dict:
        q = qs[i % len(qs)]
        text = variant(q["question"], start + i) if workload == "distinct" else q["question"]
        return {"question": text, "history": q["history"]}
    return body


async def _drive(client, body: Callable[[int], dict], clients: int, total: int, sink: dict) -> None:
    """``total`` requests from ``clients`` coroutines; latencies, server timings and errors go to ``sink``."""
    counter = itertools.count()

    async def worker():
        while (i := next(counter)) < total:
            t = time.perf_counter()
            try:
                r = await client.post("/ask", json=body(i))
                if r.status_code != 200:
                    sink["errors"][f"HTTP {r.status_code}"] += 1
                elif "timings_ms" in (data := r.json()):
                    sink["server_ms"].append(data["timings_ms"]["total"])
            except Exception as exc:  # httpx errors: counted, never fatal
                sink["errors"][type(exc).__name__] += 1
            sink["client_ms"].append((time.perf_counter() - t) * 1000)

    await asyncio.gather(*(worker() for _ in range(clients)))


def _sink() -> dict:
    return {"client_ms": [], "server_ms": [], "errors": Counter()}


async def _load(url: str, body: Callable[[int], dict], clients: int, total: int) -> dict:
    import httpx

    sink = _sink()
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:
        await _drive(client, lambda i: {"question": "预热"}, clients, clients, _sink())  # open the connections
        t0 = time.perf_counter()
        await _drive(client, body, clients, total, sink)
        wall = time.perf_counter() - t0
    return {"requests": total, "errors": sum(sink["errors"].values()), "error_kinds": dict(sink["errors"]),
            "wall_s": round(wall, 3), "req_per_s": round(total / wall, 1),
            "client_ms": stats(sink["client_ms"]), "server_ms": stats(sink["server_ms"])}


def bench_http(index_dir: Path, qs: list[dict], scale: float, log_dir: Path, plan: list[tuple] = PLAN) -> dict:
    """Every run of ``plan`` (request counts times ``scale``), one server per (app, workers)."""
    out: dict = {"servers": {}, "runs": [], "cpus": os.cpu_count(),
                 "note": "uvicorn (h11, asyncio loop) in a child process; httpx async clients on the same machine"}
    order = list(dict.fromkeys((app, workers) for app, workers, *_ in plan))
    start = 10_000  # variant numbers: distinct requests never repeat a string within a server
    for app, workers in order:
        with running(app, workers, index_dir, log_dir) as server:
            info = {"startup_s": server["startup_s"], "rss_start_mb": round(rss_mb(server["proc"]), 1)}
            for _, _, clients, workload, total in [r for r in plan if r[:2] == (app, workers)]:
                total = max(clients * 2, int(total * scale))
                log(f"http: {app} ({workers} worker{'s' * (workers > 1)}), {clients} clients, {total} {workload}")
                row = asyncio.run(_load(server["url"], body_maker(qs, workload, start), clients, total))
                start += total + clients + 1
                out["runs"].append({"server": app, "workers": workers, "clients": clients, "workload": workload, **row})
            info["rss_end_mb"] = round(rss_mb(server["proc"]), 1)
            out["servers"][f"{app}-{workers}"] = info
    return out


def find_run(http: dict, server: str, clients: int, workload: str, workers: int = 1) -> dict | None:
    return next((r for r in http["runs"] if (r["server"], r["clients"], r["workload"], r["workers"])
                 == (server, clients, workload, workers)), None)
