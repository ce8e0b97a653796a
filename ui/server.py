"""Starting a server for tests, the benchmark and browser screenshots: one free-port helper, one
readiness check, one in-thread uvicorn and one child-process server.

A server counts as ready once ``GET /health`` answers 200, or 404 for an app that has no such
route (the port is listening and speaks HTTP). Standard library only, so it loads anywhere ``ui``
does, test dependencies or not.
"""
from __future__ import annotations

import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

__all__ = ["free_port", "port_in_use", "serve_in_thread", "start_server_process", "stop_server_process",
           "wait_until_ready"]


def free_port(host: str = "127.0.0.1") -> int:
    """A port nobody listens on right now (the OS picks it; another process may take it later)."""
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def port_in_use(host: str, port: int) -> bool:
    """True when something accepts TCP connections on ``host:port``."""
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def _answers(base: str) -> int | None:
    """The status ``/health`` answers with, or None while nothing answers."""
    try:
        with urllib.request.urlopen(f"{base}/health", timeout=2) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except (urllib.error.URLError, ConnectionError, OSError):
        return None


def wait_until_ready(base: str, timeout: float, alive: Callable[[], bool] = lambda: True,
                     describe: Callable[[], str] = lambda: "") -> float:
    """Poll ``base``/health until it answers 200 (or 404: no such route); returns the seconds it took.
    Raises RuntimeError when ``alive()`` turns false or ``timeout`` passes; ``describe()`` adds detail."""
    started = time.monotonic()
    status = None
    while True:
        status = _answers(base)
        if status in (200, 404):
            return time.monotonic() - started
        if not alive():
            raise RuntimeError(f"the server for {base} stopped before it answered /health {describe()}".rstrip())
        if time.monotonic() - started > timeout:
            raise RuntimeError(f"the server on {base} did not answer /health within {timeout:.0f} s "
                               f"(last status {status}) {describe()}".rstrip())
        time.sleep(0.05)


@contextmanager
def serve_in_thread(app, host: str = "127.0.0.1", port: int | None = None, timeout: float = 30.0,
                    **config) -> Iterator[str]:
    """Serve ``app`` with uvicorn in a daemon thread; yields the base URL once it is ready.

    The socket is bound here and handed to uvicorn, so no other process can take the port between
    choosing it and listening. ``config`` goes to ``uvicorn.Config`` (e.g. ``timeout_keep_alive``)."""
    import uvicorn

    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port or 0))
    base = f"http://{host}:{sock.getsockname()[1]}"
    options = {"log_level": "warning", "lifespan": "on", **config}
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=sock.getsockname()[1], **options))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="uvicorn", daemon=True)
    thread.start()
    try:
        wait_until_ready(base, timeout, alive=thread.is_alive)
        yield base
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        sock.close()


def start_server_process(args: list[str], port: int, env: dict | None = None, timeout: float = 120.0,
                         host: str = "127.0.0.1", log_path: Path | None = None,
                         cwd: Path | None = None) -> subprocess.Popen:
    """Run ``args`` (a server command that listens on ``host:port``) as a child process and return it
    once it is ready; its output goes to ``log_path`` (or is discarded). Stop it with
    ``stop_server_process``; a server that exits or stays silent is stopped here and reported."""
    if port_in_use(host, port):
        raise RuntimeError(f"port {port} on {host} is already in use")
    out = open(log_path, "w") if log_path else subprocess.DEVNULL
    try:
        proc = subprocess.Popen(args, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
    finally:
        if log_path:
            out.close()
    tail = (lambda: "\n" + Path(log_path).read_text("utf-8", "replace")[-2000:]) if log_path else (lambda: "")
    try:
        wait_until_ready(f"http://{host}:{port}", timeout, alive=lambda: proc.poll() is None, describe=tail)
    except BaseException:
        stop_server_process(proc)
        raise
    return proc


def stop_server_process(proc: subprocess.Popen, timeout: float = 10.0) -> int | None:
    """SIGTERM (uvicorn shuts down gracefully), then SIGKILL after ``timeout``; returns the exit code."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout)
    return proc.returncode
