"""A small HTTP/1.1 load generator on asyncio streams: one keep-alive connection per client, requests
written as bytes, responses read by ``Content-Length``.

Why not httpx: on this 2-core machine an ``httpx.AsyncClient`` spends several milliseconds of CPU per
request (more with 32 connections in its pool), as much as the servers it measures, so the client set
the req/s. This one spends a few hundredths of that, so req/s measures the server.
"""
from __future__ import annotations

import asyncio
import itertools
import json
import re
import time
from collections import Counter
from typing import Callable
from urllib.parse import urlsplit

TOTAL_MS = re.compile(rb'"total":\s*([0-9.eE+-]+)')


class Connection:
    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader = self.writer = None

    async def post(self, path: str, body: bytes) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        self.writer.write(b"POST %s HTTP/1.1\r\nHost: %s:%d\r\nContent-Type: application/json\r\n"
                          b"Content-Length: %d\r\n\r\n%s" % (path.encode(), self.host.encode(), self.port, len(body), body))
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length = re.search(rb"(?im)^content-length:\s*(\d+)", head)
        data = await self.reader.readexactly(int(length.group(1))) if length else b""
        if re.search(rb"(?im)^connection:\s*close", head):
            self.close()
        return status, data

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def _sink() -> dict:
    return {"client_ms": [], "server_ms": [], "errors": Counter()}


async def _drive(conns: list[Connection], body: Callable[[int], dict], total: int, sink: dict) -> None:
    """``total`` POST /ask from every connection in turn; latencies, server timings and errors to ``sink``."""
    counter = itertools.count()

    async def worker(conn: Connection):
        while (i := next(counter)) < total:
            payload = json.dumps(body(i), ensure_ascii=False).encode("utf-8")
            t = time.perf_counter()
            try:
                status, data = await conn.post("/ask", payload)
                if status != 200:
                    sink["errors"][f"HTTP {status}"] += 1
                elif found := TOTAL_MS.search(data):
                    sink["server_ms"].append(float(found.group(1)))
            except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as exc:
                sink["errors"][type(exc).__name__] += 1
                conn.close()
            sink["client_ms"].append((time.perf_counter() - t) * 1000)

    await asyncio.gather(*(worker(c) for c in conns))


async def load(url: str, body: Callable[[int], dict], clients: int, total: int) -> dict:
    """``clients`` connections, warmed with one request each, then ``total`` timed requests."""
    parts = urlsplit(url)
    conns = [Connection(parts.hostname, parts.port) for _ in range(clients)]
    try:
        await _drive(conns, lambda i: {"question": "预热"}, clients, _sink())
        sink = _sink()
        t0 = time.perf_counter()
        await _drive(conns, body, total, sink)
        wall = time.perf_counter() - t0
    finally:
        for conn in conns:
            conn.close()
    return {"requests": total, "errors": sum(sink["errors"].values()), "error_kinds": dict(sink["errors"]),
            "wall_s": round(wall, 3), "req_per_s": round(total / wall, 1), "client_ms": sink["client_ms"],
            "server_ms": sink["server_ms"]}
