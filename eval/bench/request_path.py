"""Where one ``/ask`` request spends its time, in-process (no socket): request parsing and
validation, ``engine.ask``, two ways to encode the answer (FastAPI's ``response_model`` path and
``model_dump_json``), the thread-pool hop a sync FastAPI route pays (twice: the endpoint, then the
response validation), whether ``/ask`` is such a route, and the whole ASGI app. Over HTTP, uvicorn's
HTTP parsing (h11) and the event loop come on top: one client's latency minus the ASGI time.
"""
from __future__ import annotations

import asyncio
import json
import time

from eval.bench.common import log, stats, timed


async def _asgi_post(app, path: str, body: bytes) -> int:
    """One POST straight into the ASGI app; returns the status."""
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
             "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
             "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 80)}
    messages = [{"type": "http.request", "body": body, "more_body": False}]
    status = 0

    async def receive():
        return messages.pop() if messages else {"type": "http.disconnect"}

    async def send(message):
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


async def _asgi_times(app, bodies: list[bytes], reps: int) -> list[float]:
    for body in bodies[:3]:
        await _asgi_post(app, "/ask", body)
    out = []
    for _ in range(reps):
        for body in bodies:
            t = time.perf_counter()
            if await _asgi_post(app, "/ask", body) != 200:
                raise RuntimeError(f"/ask answered an error to {body[:80]!r}")
            out.append((time.perf_counter() - t) * 1000)
    return out


async def _hop_times(n: int) -> list[float]:
    from starlette.concurrency import run_in_threadpool

    out = []
    for _ in range(n):
        t = time.perf_counter()
        await run_in_threadpool(lambda: None)
        out.append((time.perf_counter() - t) * 1000)
    return out


def _fastapi_response(answer) -> bytes:
    """What a ``response_model=Answer`` route does with the returned Answer: dump it, validate the dump
    against the model, serialise in JSON mode, then ``JSONResponse`` encodes it."""
    from rag.types import Answer

    content = Answer.model_validate(answer.model_dump(by_alias=True)).model_dump(mode="json", by_alias=True)
    return json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")


def route_is_async(app, path: str) -> bool | None:
    """True when the app's handler for ``path`` is a coroutine (runs on the event loop, no hop)."""
    import inspect

    endpoint = next((r.endpoint for r in app.routes if getattr(r, "path", None) == path), None)
    return None if endpoint is None else inspect.iscoroutinefunction(endpoint)


def bench_request_path(engine, qs: list[dict], reps: int) -> dict:
    from rag.api import AskRequest, create_app

    log("request path: parsing, validation, engine, response encoding, thread-pool hop, ASGI app")
    bodies = [json.dumps({"question": q["question"], "history": q["history"]}, ensure_ascii=False).encode()
              for q in qs]
    answers = [engine.ask(q["question"], history=q["history"]) for q in qs]
    app = create_app(engine.settings, engine=engine)
    out = {
        "parse_validate_ms": stats(timed(lambda b: AskRequest.model_validate(json.loads(b)), bodies, reps=reps)),
        "engine_ask_cached_ms": stats(timed(lambda q: engine.ask(q["question"], history=q["history"]), qs, reps=reps)),
        "response_model_encode_ms": stats(timed(_fastapi_response, answers, reps=reps)),
        "model_dump_json_ms": stats(timed(lambda a: a.model_dump_json().encode("utf-8"), answers, reps=reps)),
        "threadpool_hop_ms": stats(asyncio.run(_hop_times(200 * reps))),
        "asgi_cached_ms": stats(asyncio.run(_asgi_times(app, bodies, reps))),
        "response_bytes": round(sum(len(a.model_dump_json().encode()) for a in answers) / len(answers)),
        "route_async": route_is_async(app, "/ask"),
    }
    engine.forget_query_vectors()
    return out
