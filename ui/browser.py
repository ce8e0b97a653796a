"""Helpers for driving the chat in a real browser (tests and ``python -m ui.screenshot``):
a uvicorn server on a free loopback port in a background thread, and Debian's headless Chromium."""
from __future__ import annotations

import shutil
import socket
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import uvicorn

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ANSWERED = ".rag-reply"  # every assistant bubble (answer, abstention, notice) carries this class


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(app, timeout: float = 30.0):
    """Run ``app`` with uvicorn in a daemon thread; yields the base URL once /health answers."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, name="ui-uvicorn", daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{base}/health", timeout=2) as response:
                if response.status == 200:
                    break
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError(f"the server on {base} did not answer /health within {timeout:.0f} s")
        time.sleep(0.1)
    try:
        yield base
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def chromium_path() -> str:
    """Debian's Chromium; a clear error (never a download) when it is missing."""
    if CHROMIUM.exists():
        return str(CHROMIUM)
    found = shutil.which("chromium")
    if found:
        return found
    raise RuntimeError("Chromium is not installed at /usr/bin/chromium. Install it with "
                       "`apt-get install -y chromium` (or `make browser`); this project never downloads browsers.")


def launch(playwright):
    return playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)


def ask_in_page(page, question: str | None = None, example: str | None = None, timeout_ms: int = 20_000):
    """Type ``question`` and press 发送 (or click the example button labelled ``example``);
    returns the new assistant bubble's locator once it has appeared."""
    before = page.locator(ANSWERED).count()
    if example is not None:
        page.locator(".rag-example", has_text=example).first.click()
    else:
        page.locator("#rag-question textarea").fill(question or "")
        page.locator("#rag-send").click()
    page.wait_for_function(f"document.querySelectorAll({ANSWERED!r}).length > {before}", timeout=timeout_ms)
    return page.locator(ANSWERED).nth(before)
