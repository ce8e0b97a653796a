"""Helpers for driving the chat in a real browser (tests and ``python -m ui.screenshot``):
a uvicorn server on a free loopback port in a background thread (``serve``, from ``ui.server``)
and Debian's headless Chromium."""
from __future__ import annotations

import shutil
from pathlib import Path

# The one server helper (ui.server), under the name the browser tests and ui.screenshot use.
from ui.server import serve_in_thread as serve  # noqa: F401

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ANSWERED = ".rag-reply"  # every assistant bubble (answer, abstention, notice) carries this class


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
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    before = page.locator(ANSWERED).count()
    answered = f"document.querySelectorAll({ANSWERED!r}).length > {before}"
    if example is not None:
        page.locator(".rag-example", has_text=example).first.click()
        page.wait_for_function(answered, timeout=timeout_ms)
        return page.locator(ANSWERED).nth(before)
    box = page.locator("#rag-question textarea")
    for attempt in range(3):
        box.fill(question or "")
        page.locator("#rag-send").click()
        try:
            page.wait_for_function(answered, timeout=timeout_ms)
            return page.locator(ANSWERED).nth(before)
        except PlaywrightTimeout:
            # A click lost while Gradio applies an earlier update (seen once in CI, after 清空) leaves
            # the question unsent in the box, or the box emptied by that update with nothing sent:
            # a user would press 发送 again. A question that was sent and is slow fails here.
            if attempt == 2 or page.locator(".rag-q").filter(has_text=question or "").count() > 0:
                raise
    return page.locator(ANSWERED).nth(before)
