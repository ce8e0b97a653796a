"""Save a screenshot of a real exchange in the chat: ``python -m ui.screenshot [--out docs/chat.png]``.

By default: the district filter 武侯区 (its chip shows) and a comparison of two of its secretaries,
whose answer cites two sentences of each one's paragraph (one card per paragraph, both marked).
Needs the built index (``make index``) and Chromium at /usr/bin/chromium; uses ``Settings()`` defaults.
"""
from __future__ import annotations

import argparse
import os
from pathlib import Path

from rag.config import PROJECT_ROOT

QUESTIONS = ["刘仁富和向万军分别说了什么？"]
DISTRICT = "武侯区"


def choose(page, elem_id: str, label: str) -> None:
    """Pick ``label`` in a Gradio dropdown the way a person does: open it, click the option."""
    page.locator(f"#{elem_id} input").click()
    page.locator("ul[role=listbox] li", has_text=label).first.click()
    page.wait_for_function("([id, v]) => document.querySelector(`#${id} input`).value.startsWith(v)",
                           arg=[elem_id, label], timeout=5_000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "docs" / "chat.png")
    parser.add_argument("--district", default=DISTRICT, help="filter to choose first ('' for none)")
    parser.add_argument("questions", nargs="*", default=QUESTIONS)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    from playwright.sync_api import sync_playwright

    from ui.app import create_app
    from rag.config import Settings
    from rag.engine import Engine
    from ui.browser import ask_in_page, launch, serve

    engine = Engine.load(Settings())
    with serve(create_app(engine.settings, engine=engine)) as base, sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 1200, "height": 1120}, device_scale_factor=1)
        page.goto(f"{base}/ui/", wait_until="load")
        page.wait_for_function("(m) => (document.querySelector('#rag-footer')?.innerText || '').includes(m)",
                               arg=engine.model, timeout=20_000)
        if args.district:
            choose(page, "rag-district", args.district)
        for question in args.questions:
            ask_in_page(page, question)
        page.wait_for_timeout(500)  # let the chat finish scrolling
        args.out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(args.out), full_page=True)
        browser.close()
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
