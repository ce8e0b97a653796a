"""``/ask`` over real HTTP: uvicorn in child processes (``ui.server.start_server_process``), clients
from ``loadgen`` on loopback, the real API side by side with the minimal BM25-only server.

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
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Callable, Iterator

import psutil

from eval.bench import loadgen
from eval.bench.common import ARTICLE, CLIENTS, ROOT, cpu_s, log, rss_mb, stats, variant
from ui.server import free_port, start_server_process, stop_server_process

APPS = {"rag": "rag.api:create_app", "bm25": "eval.bench.bm25_server:create_app"}
SERVERS = [("rag", 1), ("bm25", 1), ("rag", 2)]  # (app, uvicorn workers)
# Latency runs, once each: (app, workers, concurrent clients, workload, requests in the full run).
LATENCY = [("rag", 1, 1, "distinct", 150), ("rag", 1, 1, "repeated", 60), ("bm25", 1, 1, "distinct", 150),
           ("rag", 1, 8, "distinct", 400)]
# Throughput at CLIENTS clients: every server and workload, interleaved, ROUNDS times; the best round
# is reported (the others are kept), so a burst of other work on the box hits every server alike.
THROUGHPUT_REQUESTS, ROUNDS = 400, 2


def server_args(app: str, port: int, workers: int) -> list[str]:
    return [sys.executable, "-m", "uvicorn", APPS[app], "--factory", "--host", "127.0.0.1", "--port", str(port),
            "--log-level", "warning", "--workers", str(workers)]


def tree_rss_mb(proc: psutil.Process) -> float:
    """RSS of a server and its worker processes."""
    return rss_mb(proc) + sum(rss_mb(child) for child in proc.children(recursive=True))


@contextmanager
def running(app: str, workers: int, index_dir: Path, log_dir: Path) -> Iterator[dict]:
    """One server for the runs that share it; yields its URL, process and start-up time."""
    port = free_port()
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "RAG_INDEX_DIR": str(index_dir), "RAG_CORPUS": str(ARTICLE)}
    t = time.perf_counter()
    proc = start_server_process(server_args(app, port, workers), port, env=env, timeout=180,
                                log_path=log_dir / f"server-{app}-{workers}.log", cwd=ROOT)
    info = {"url": f"http://127.0.0.1:{port}", "proc": psutil.Process(proc.pid), "next": 10_000,
            "startup_s": round(time.perf_counter() - t, 2)}
    info["rss_start_mb"] = round(tree_rss_mb(info["proc"]), 1)
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


def _load(url: str, body: Callable[[int], dict], clients: int, total: int) -> dict:
    row = asyncio.run(loadgen.load(url, body, clients, total))
    return {**row, "client_ms": stats(row["client_ms"]), "server_ms": stats(row["server_ms"])}


async def _httpx_load(url: str, body: Callable[[int], dict], clients: int, total: int) -> dict:
    """The same load from ``httpx.AsyncClient`` (what the tests use): how much CPU that client needs."""
    import httpx

    counter, errors = itertools.count(), Counter()
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:
        async def worker():
            while (i := next(counter)) < total:
                r = await client.post("/ask", json=body(i))
                errors[r.status_code] += r.status_code != 200

        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        wall = time.perf_counter() - t0
    return {"requests": total, "errors": sum(errors.values()), "req_per_s": round(total / wall, 1)}


def client_check(up: dict, qs: list[dict], total: int) -> list[dict]:
    """``httpx.AsyncClient`` (what the earlier bench used) against this bench's load generator, at
    CLIENTS clients: CPU per request on each side, and ``/ask`` uncached as the earlier bench saw it."""
    rows = []
    for app, workload, client in (("bm25", "repeated", "httpx"), ("bm25", "repeated", "loadgen"),
                                  ("rag", "distinct", "httpx")):
        server = up[app, 1]
        log(f"http: load generator check, {client} -> {app} ({workload})")
        client0, server0 = cpu_s(), cpu_s(server["proc"], tree=True)
        run = _httpx_load if client == "httpx" else loadgen.load
        row = asyncio.run(run(server["url"], body_maker(qs, workload, server["next"]), CLIENTS, total))
        server["next"] += total + 1
        rows.append({"server": app, "workload": workload, "client": client, "req_per_s": row["req_per_s"],
                     "errors": row["errors"], "client_cpu_ms_per_request": round((cpu_s() - client0) * 1000 / total, 3),
                     "server_cpu_ms_per_request": round((cpu_s(server["proc"], tree=True) - server0) * 1000 / total, 3)})
    return rows


def _run(server: dict, qs: list[dict], key: tuple, clients: int, workload: str, total: int) -> dict:
    """One load run; also the CPU the clients (this process) and the server spent per request."""
    app, workers = key
    log(f"http: {app} ({workers} worker{'s' * (workers > 1)}), {clients} clients, {total} {workload}")
    client0, server0 = cpu_s(), cpu_s(server["proc"], tree=True)
    row = _load(server["url"], body_maker(qs, workload, server["next"]), clients, total)
    n = total + clients  # the connection warm-up requests count too
    cpu = {"client_cpu_ms_per_request": round((cpu_s() - client0) * 1000 / n, 3),
           "server_cpu_ms_per_request": round((cpu_s(server["proc"], tree=True) - server0) * 1000 / n, 3)}
    server["next"] += total + 1  # distinct requests never repeat a string within a server
    return {"server": app, "workers": workers, "clients": clients, "workload": workload, **row, **cpu}


def _best(rounds: list[dict]) -> dict:
    best = max(rounds, key=lambda r: r["req_per_s"])
    return {**best, "rounds_req_per_s": [r["req_per_s"] for r in rounds],
            "errors": sum(r["errors"] for r in rounds)}


def bench_http(index_dir: Path, qs: list[dict], scale: float, log_dir: Path, servers=SERVERS) -> dict:
    """The latency runs, then the interleaved throughput rounds; request counts times ``scale``."""
    out: dict = {"servers": {}, "runs": [], "cpus": os.cpu_count(), "rounds": ROUNDS,
                 "note": "uvicorn (h11, asyncio loop) in child processes; keep-alive clients (`eval/bench/loadgen.py`) "
                         "on the same machine"}
    count = lambda n, clients: max(clients * 2, int(n * scale))  # noqa: E731
    with ExitStack() as stack:
        up = {key: stack.enter_context(running(*key, index_dir, log_dir)) for key in servers}
        for app, workers, clients, workload, total in LATENCY:
            if (app, workers) in up:
                out["runs"].append(_run(up[app, workers], qs, (app, workers), clients, workload, count(total, clients)))
        rounds: dict[tuple, list[dict]] = {}
        for i in range(ROUNDS):
            for workload in ("distinct", "repeated"):
                for key in servers[i % 2:] + servers[:i % 2]:  # alternate who goes first
                    row = _run(up[key], qs, key, CLIENTS, workload, count(THROUGHPUT_REQUESTS, CLIENTS))
                    rounds.setdefault((*key, workload), []).append(row)
        out["runs"] += [_best(rs) for rs in rounds.values()]
        if ("bm25", 1) in up and ("rag", 1) in up:
            out["client_check"] = client_check(up, qs, count(THROUGHPUT_REQUESTS, CLIENTS))
        for (app, workers), server in up.items():
            out["servers"][f"{app}-{workers}"] = {"startup_s": server["startup_s"], "rss_start_mb": server["rss_start_mb"],
                                                  "rss_end_mb": round(tree_rss_mb(server["proc"]), 1)}
    return out


def find_run(http: dict, server: str, clients: int, workload: str, workers: int = 1) -> dict | None:
    return next((r for r in http["runs"] if (r["server"], r["clients"], r["workload"], r["workers"])
                 == (server, clients, workload, workers)), None)
