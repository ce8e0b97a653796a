"""The Gradio chat at /ui, driven in Debian's headless Chromium against a real uvicorn server that
serves the real app (the session ``engine`` fixture: the real article, the packaged model)."""
from __future__ import annotations

import html

import pytest

from ui.app import create_app
from ui.browser import ANSWERED, ask_in_page, chromium_path, launch, serve
from ui.chat import EXAMPLES, NO_INDEX, district_choices, respond, speaker_choices
from ui.render import esc

XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def base_url(engine):
    with serve(create_app(engine.settings, engine=engine)) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    try:
        chromium_path()
    except RuntimeError as exc:
        pytest.fail(str(exc), pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


@pytest.fixture()
def page(browser, base_url, engine):
    page = browser.new_page(viewport={"width": 1200, "height": 1000})
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{base_url}/ui/", wait_until="load")
    # The footer is filled by the page-load event, so once it names the model the app is live.
    page.wait_for_function("(m) => (document.querySelector('#rag-footer')?.innerText || '').includes(m)",
                           arg=engine.model, timeout=20_000)
    yield page
    page.close()


def test_question_gets_answer_with_citation(page):
    reply = ask_in_page(page, "吴桂英是哪个村的书记？")
    assert "rag-answer" in reply.get_attribute("class")
    assert "新农村" in reply.locator(".rag-text").inner_text()
    who = reply.locator(".rag-cite .rag-who").first.inner_text()
    assert "吴桂英" in who and "新农村" in who and "新都区" in who, who
    assert "吴桂英" in reply.locator(".rag-cite mark").first.inner_text()
    assert page.locator(".rag-q").last.inner_text() == "吴桂英是哪个村的书记？"


def test_markup_in_question_is_shown_as_text(page):
    reply = ask_in_page(page, XSS)
    page.wait_for_timeout(300)  # give a (wrongly) created <img> time to fail and fire onerror
    assert page.locator(".rag-q").last.text_content() == XSS
    assert XSS in page.locator("#rag-chat").text_content()
    assert page.locator("img[src='x']").count() == 0
    assert page.locator("#rag-chat img").count() == 0
    assert page.dialogs == []
    assert reply.inner_text().strip()  # and the question still got a reply


def test_example_questions_answer_and_abstain(page):
    first = page.locator(".rag-example").first
    label = first.inner_text()
    reply = ask_in_page(page, example=label)
    assert "rag-answer" in reply.get_attribute("class"), reply.inner_text()
    assert reply.locator(".rag-cite").count() >= 1
    assert page.locator(".rag-q").last.inner_text() == label

    reply = ask_in_page(page, example=EXAMPLES[-1][1])  # 莲花社区有多少户居民？
    assert "rag-abstain" in reply.get_attribute("class"), reply.inner_text()
    assert "材料中没有" in reply.locator(".rag-label").inner_text()
    assert page.locator(ANSWERED).count() == 2


# Below: the chat handler itself, without a browser (fast).

def test_follow_up_carries_history(engine):
    _, messages, turns = respond(lambda: engine, "吴桂英是哪个村的书记？", [], [], "", "")
    _, messages, turns = respond(lambda: engine, "她建立了什么工作机制？", messages, turns, "", "")
    assert [t["question"] for t in turns] == ["吴桂英是哪个村的书记？", "她建立了什么工作机制？"]
    assert "411" in messages[-1]["content"] and "吴桂英" in messages[-1]["content"]


def test_errors_are_friendly(engine):
    _, messages, turns = respond(lambda: engine, "   ", [], [], "", "")
    assert "rag-error" in messages[-1]["content"] and turns == []
    _, messages, _ = respond(lambda: engine, "问" * 501, [], [], "", "")
    assert "不超过 500 字" in messages[-1]["content"]
    _, messages, _ = respond(lambda: None, "吴桂英是哪个村的书记？", [], [], "", "")
    assert "make index" in messages[-1]["content"] and esc(NO_INDEX) in messages[-1]["content"]


def test_filters_come_from_speaker_records(engine):
    speakers = engine.people
    assert {v for _, v in district_choices(speakers) if v} == {s.district for s in speakers}
    names = {v for _, v in speaker_choices(speakers, "郫都区") if v}
    assert names == {s.name for s in speakers if s.district == "郫都区"} and names
    _, messages, _ = respond(lambda: engine, "吴桂英是哪个村的书记？", [], [], "", "吴桂英")
    assert "新农村" in messages[-1]["content"]


def test_escape_is_lossless_and_inert():
    text = '<script>alert("x")</script> **粗** $x$ & 1. 吴桂英'
    escaped = esc(text)
    assert "<" not in escaped and "*" not in escaped and "$" not in escaped
    assert html.unescape(escaped) == text
