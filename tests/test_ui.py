"""The Gradio chat at /ui, driven in Debian's headless Chromium against a real uvicorn server that
serves the real app (the session ``engine`` fixture: the real article, the packaged model); then
the chat's handlers and HTML without a browser (fast)."""
from __future__ import annotations

import html
import re
import sqlite3
import time

import pytest
from fastapi.testclient import TestClient

from rag.api import AskRequest, ask
from rag.feedback import Feedback
from rag.types import Answer, Citation
from ui.app import create_app
from ui.browser import ANSWERED, ask_in_page, chromium_path, launch, serve
from ui.chat import (EMPTY, EXAMPLES, NO_FEEDBACK, NO_INDEX, NOT_AN_ANSWER, RATED, answer_pending, district_choices,
                     rate_message, respond, speaker_choices, submit)
from ui.render import ROSTER_ONLY, answer_html, by_passage, esc

XSS = "<img src=x onerror=alert(1)>"
FOLLOW_UP = [("钱坤是哪个社区的书记？", None), ("他还说了什么？", None)]


class SlowEngine:
    """The real engine, answering after a pause: long enough to see what the page does meanwhile."""

    def __init__(self, engine, delay: float):
        self._engine, self._delay = engine, delay

    def __getattr__(self, name):
        return getattr(self._engine, name)

    def ask(self, *args, **kwargs):
        time.sleep(self._delay)
        return self._engine.ask(*args, **kwargs)


@pytest.fixture(scope="module")
def feedback_db(tmp_path_factory):
    return tmp_path_factory.mktemp("feedback") / "feedback.sqlite"


@pytest.fixture(scope="module")
def base_url(engine, feedback_db):
    with serve(create_app(engine.settings, engine=engine, feedback=Feedback(feedback_db))) as base:
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


def open_chat(browser, base_url, engine, **context):
    page = browser.new_context(viewport={"width": 1200, "height": 1000}, **context).new_page()
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    # The footer is filled by the page-load event, so once it names the model the app is live. On a
    # loaded machine that event is now and then lost (seen once in a fresh-clone run): reload once,
    # as a user would, before failing.
    footer = "(m) => (document.querySelector('#rag-footer')?.innerText || '').includes(m)"
    from playwright.sync_api import TimeoutError as PageTimeout

    page.goto(f"{base_url}/ui/", wait_until="load")
    try:
        page.wait_for_function(footer, arg=engine.model, timeout=20_000)
    except PageTimeout:
        page.reload(wait_until="load")
        page.wait_for_function(footer, arg=engine.model, timeout=30_000)
    return page


@pytest.fixture()
def page(browser, base_url, engine):
    page = open_chat(browser, base_url, engine)
    yield page
    page.context.close()


def choose(page, elem_id: str, label: str, tries: int = 3) -> None:
    """Pick ``label`` in a Gradio dropdown, as a person does: open it, click the option. A dropdown
    whose options another one just narrowed (the speakers of the district chosen) may still be
    redrawing when clicked; a person clicks again, and so does this."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(tries):
        page.locator(f"#{elem_id} input").click()
        try:
            # (a list redrawn while it is open is "not stable": give up on this click and try again)
            page.locator("ul[role=listbox] li", has_text=label).first.click(timeout=5_000)
            page.wait_for_function("([id, v]) => document.querySelector(`#${id} input`).value.startsWith(v)",
                                   arg=[elem_id, label], timeout=5_000)
            break
        except PlaywrightTimeout:
            page.keyboard.press("Escape")  # close the list the missed click left open
            if attempt == tries - 1:
                raise
    if page.locator("ul[role=listbox]").count():
        page.keyboard.press("Escape")  # a list left open covers the send button


def chip_text(page) -> str:
    chips = page.locator("#rag-chip .rag-chip")
    return chips.inner_text().strip() if chips.count() else ""



@pytest.mark.slow
def test_question_gets_answer_with_citation(page, engine):
    reply = ask_in_page(page, "吴桂英是哪个村的书记？")
    assert "rag-answer" in reply.get_attribute("class")
    assert "新农村" in reply.locator(".rag-text").inner_text()
    who = reply.locator(".rag-cite .rag-who").first.inner_text()
    assert "吴桂英" in who and "新农村" in who and "新都区" in who, who
    quoted = {c.quote for c in engine.ask("吴桂英是哪个村的书记？").citations}
    assert reply.locator(".rag-cite mark").first.inner_text() in quoted
    assert page.locator(".rag-q").last.inner_text() == "吴桂英是哪个村的书记？"


@pytest.mark.slow
def test_markup_in_question_is_shown_as_text(page):
    reply = ask_in_page(page, XSS)
    page.wait_for_timeout(300)  # give a (wrongly) created <img> time to fail and fire onerror
    assert page.locator(".rag-q").last.text_content() == XSS
    assert XSS in page.locator("#rag-chat").text_content()
    assert page.locator("img[src='x']").count() == 0
    assert page.locator("#rag-chat img").count() == 0
    assert page.dialogs == []
    assert reply.inner_text().strip()  # and the question still got a reply


@pytest.mark.slow
def test_example_questions_answer_and_abstain(page):
    first = page.locator(".rag-example").first
    label = first.inner_text()
    reply = ask_in_page(page, example=label)
    assert "rag-answer" in reply.get_attribute("class"), reply.inner_text()
    assert reply.locator(".rag-cite").count() >= 1
    assert page.locator(".rag-q").last.inner_text() == label
    page.wait_for_function("!document.querySelector('#rag-send').disabled", timeout=5_000)
    assert first.inner_text() == label  # the button keeps its question for another click

    reply = ask_in_page(page, example=EXAMPLES[-1][1])  # 莲花社区有多少户居民？
    assert "rag-abstain" in reply.get_attribute("class"), reply.inner_text()
    assert "材料中没有" in reply.locator(".rag-label").inner_text()
    assert page.locator(ANSWERED).count() == 2


@pytest.mark.slow
def test_question_shows_at_once_with_a_thinking_state_and_send_disabled(browser, engine, tmp_path):
    app = create_app(engine.settings, engine=SlowEngine(engine, delay=3.0), feedback=Feedback(tmp_path / "f.sqlite"))
    with serve(app) as base:
        page = open_chat(browser, base, engine)
        page.locator("#rag-question textarea").fill("吴桂英是哪个村的书记？")
        page.locator("#rag-send").click()
        # Well before the engine answers (it takes three seconds): the question, the thinking bubble,
        # 发送 disabled.
        page.wait_for_selector(".rag-q", timeout=1_500)
        assert page.locator(".rag-q").inner_text() == "吴桂英是哪个村的书记？"
        assert page.locator(".rag-thinking").is_visible() and page.locator(ANSWERED).count() == 0
        assert page.locator("#rag-send").is_disabled() and page.locator("#rag-clear").is_disabled()
        assert page.locator("#rag-question textarea").input_value() == ""
        # Enter with another question meanwhile is ignored, and that question stays in the box.
        page.locator("#rag-question textarea").fill("莲花社区建了什么广场？")
        page.locator("#rag-question textarea").press("Enter")
        page.wait_for_selector(ANSWERED, timeout=10_000)
        assert page.locator(".rag-thinking").count() == 0
        page.wait_for_function("!document.querySelector('#rag-send').disabled", timeout=5_000)
        page.wait_for_timeout(500)
        assert page.locator(".rag-q").count() == 1 and page.locator(ANSWERED).count() == 1
        assert page.locator("#rag-question textarea").input_value() == "莲花社区建了什么广场？"
        page.context.close()


@pytest.mark.slow
def test_empty_submit_adds_nothing_and_a_too_long_question_says_so(page, engine):
    page.locator("#rag-question textarea").fill("   ")
    page.locator("#rag-send").click()
    page.get_by_text(EMPTY).first.wait_for(timeout=5_000)  # a toast, outside the chat
    assert page.locator("#rag-chat .rag-q, #rag-chat .rag-reply, #rag-chat .rag-thinking").count() == 0

    limit = engine.settings.max_question_chars
    long_question = "问" * (limit + 100)
    page.locator("#rag-question textarea").fill(long_question)
    notice = page.locator(".rag-error").first
    # a press made while Gradio still applies the empty-question toast can be dropped (seen once
    # in a full run under load): press again, as a user would; a notice that never comes still fails
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    for attempt in range(3):
        page.locator("#rag-send").click()
        try:
            notice.wait_for(timeout=5_000)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
    assert f"共 {limit + 100} 字" in notice.inner_text() and f"上限是 {limit} 字" in notice.inner_text()
    assert EMPTY not in notice.inner_text()
    assert page.locator("#rag-question textarea").input_value() == long_question  # kept, to shorten
    assert page.locator(".rag-q").count() == 0


@pytest.mark.slow
def test_filter_shows_a_chip_and_an_abstention_under_it_says_so(page):
    assert chip_text(page) == ""
    choose(page, "rag-district", "武侯区")
    page.wait_for_function("(document.querySelector('#rag-chip .rag-chip')?.innerText || '').includes('武侯区')",
                           timeout=5_000)
    # 莲花社区 is in 双流区: under 武侯区 the answer is an abstention that names the filter, not a
    # confident quote from someone in 武侯区.
    reply = ask_in_page(page, "莲花社区建了什么广场？")
    assert "rag-abstain" in reply.get_attribute("class") and "向万军" not in reply.inner_text()
    assert "武侯区" in reply.locator(".rag-filter-chip").inner_text()
    note = reply.locator(".rag-filter-note").inner_text()
    assert "筛选" in note and "武侯区" in note and "清除筛选" in note
    # The event itself belongs to no district: the filter does not hide it.
    reply = ask_in_page(page, "颁奖典礼是哪天举行的？")
    assert "rag-answer" in reply.get_attribute("class") and "4月12日" in reply.locator(".rag-text").inner_text()


@pytest.mark.slow
def test_clear_resets_the_history_and_the_filters(page):
    # (the speaker first: choosing a district redraws the speaker list, a race with the next click)
    choose(page, "rag-speaker", "向万军")
    choose(page, "rag-district", "武侯区")
    reply = ask_in_page(page, "向万军说了什么？")
    assert "向万军" in reply.inner_text()
    page.locator("#rag-clear").click()
    # (Gradio resets the dropdowns in a second round trip: on a loaded 2-core machine that took over 5 s)
    page.wait_for_function("document.querySelector('#rag-district input').value === '全部区（市）'", timeout=15_000)
    assert page.locator("#rag-speaker input").input_value() == "全部书记"
    assert chip_text(page) == "" and page.locator("#rag-chat .rag-q").count() == 0
    page.wait_for_function("!document.querySelector('#rag-send').disabled", timeout=10_000)
    # No history and no filter left to say who "他" is.
    reply = ask_in_page(page, "他还说了什么？", timeout_ms=60_000)
    assert "向万军" not in reply.inner_text() and reply.locator(".rag-filter-chip").count() == 0


@pytest.mark.slow
def test_one_card_per_passage_marks_every_quoted_sentence(page, engine):
    ask_in_page(page, FOLLOW_UP[0][0])
    reply = ask_in_page(page, FOLLOW_UP[1][0])
    first = engine.ask(FOLLOW_UP[0][0])
    expected = engine.ask(FOLLOW_UP[1][0], history=[{"question": FOLLOW_UP[0][0], "answer": first.answer}])
    groups = by_passage(expected.citations)
    assert len(expected.citations) >= 2 and len(groups) < len(expected.citations)  # the case the issue saw
    cards = reply.locator(".rag-cite")
    assert cards.count() == len(groups)
    for card, group in zip(cards.all(), groups):
        marks = [m.inner_text() for m in card.locator("mark").all()]
        assert marks == [c.quote for c in group]
        assert card.locator(".rag-para").inner_text().count(group[0].quote[:10]) == 1  # the paragraph once


@pytest.mark.slow
def test_district_list_cards_show_a_first_quote_or_the_roster(page, engine):
    reply = ask_in_page(page, "郫都区有哪些书记？")
    people = {p.name: p for p in engine.people if p.district == "郫都区"}
    cards = reply.locator(".rag-cite").all()
    assert len(cards) == len(people) and len(people) >= 3
    for card in cards:
        name = card.locator(".rag-who-name").inner_text()
        body = card.locator(".rag-para").inner_text()
        if people[name].quoted:
            quote = card.locator("mark").inner_text()
            assert quote.endswith(("。", "！", "？", "”")) and people[name].label + name not in quote
        else:
            assert body.startswith(ROSTER_ONLY)


@pytest.mark.slow
def test_citation_opens_the_article_view_at_the_quote(page):
    reply = ask_in_page(page, "莲花社区建了什么广场？")
    link = reply.locator(".rag-cite a.rag-source").first
    assert link.get_attribute("target") == "_blank"
    assert re.fullmatch(r"/documents/[^?#]+\?hl=\d+-\d+(&hl=\d+-\d+)*#hl-0", link.get_attribute("href"))
    quote = reply.locator(".rag-cite mark").first.inner_text()
    with page.context.expect_page() as opened:
        link.click()
    article = opened.value
    article.wait_for_load_state()
    assert article.locator("mark#hl-0").inner_text() == quote
    assert article.locator("body").inner_text().count(quote) == 1  # the whole article, quote in place


@pytest.mark.slow
def test_copy_button_copies_the_answer_and_its_sources(browser, base_url, engine):
    page = open_chat(browser, base_url, engine, permissions=["clipboard-read", "clipboard-write"])
    reply = ask_in_page(page, "吴桂英是哪个村的书记？")
    reply.locator(".rag-copy").click()
    page.wait_for_function("document.querySelector('.rag-copy').innerText === '已复制'", timeout=5_000)
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith(reply.locator(".rag-text").inner_text().splitlines()[0])
    assert "来源：" in copied and "吴桂英" in copied.split("来源：")[1]
    assert "<" not in copied  # text, not the bubble's HTML
    page.context.close()


@pytest.mark.slow
def test_thumbs_store_a_rating(page, feedback_db):
    reply = ask_in_page(page, "吴桂英是哪个村的书记？")
    page.locator("#rag-chat button[aria-label='Dislike']").last.click()
    page.get_by_text(RATED["down"]).first.wait_for(timeout=5_000)
    with sqlite3.connect(feedback_db) as conn:
        stored = conn.execute("SELECT question, rating, answer FROM feedback ORDER BY rated_at DESC, rowid DESC").fetchone()
    assert stored[:2] == ("吴桂英是哪个村的书记？", "down")
    assert stored[2].splitlines()[0] in reply.locator(".rag-text").inner_text()


@pytest.mark.slow
def test_api_docs_render_without_the_internet(browser, base_url):
    page = browser.new_page()
    outside = []

    def only_local(route):
        if route.request.url.startswith(base_url):
            return route.continue_()
        outside.append(route.request.url)
        return route.abort()

    page.route("**/*", only_local)
    page.goto(f"{base_url}/docs", wait_until="load")
    page.locator(".opblock", has_text="/ask").first.wait_for(timeout=10_000)
    assert page.locator(".opblock", has_text="/feedback").count() >= 1
    assert outside == []
    page.close()


# Below: the server routes and the chat's handlers and HTML, without a browser (fast).

@pytest.fixture(scope="module")
def app_client(engine, feedback_db):
    with TestClient(create_app(engine.settings, engine=engine, feedback=Feedback(feedback_db))) as client:
        yield client


def test_landing_page_redirects_to_the_chat_and_there_is_a_favicon(app_client):
    response = app_client.get("/", follow_redirects=False)
    assert response.status_code == 307 and response.headers["location"] == "/ui/"
    icon = app_client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"] == "image/png"
    assert icon.content.startswith(b"\x89PNG")


def test_docs_page_loads_nothing_from_outside(app_client):
    page = app_client.get("/docs").text
    assert not re.search(r"(src|href)=[\"']?https?://", page)
    for asset in re.findall(r"(?:src|href)=[\"']([^\"']+\.(?:js|css))", page):
        assert app_client.get(asset).status_code == 200, asset


def test_follow_up_carries_history(engine):
    _, messages, turns = respond(lambda: engine, "吴桂英是哪个村的书记？", [], [], "", "")
    _, messages, turns = respond(lambda: engine, "她建立了什么工作机制？", messages, turns, "", "")
    assert [t["question"] for t in turns] == ["吴桂英是哪个村的书记？", "她建立了什么工作机制？"]
    assert "411" in messages[-1]["content"] and "吴桂英" in messages[-1]["content"]


def test_empty_adds_nothing_and_too_long_is_its_own_message(engine):
    text, messages, pending, toast = submit("   ", [], 500)
    assert (messages, pending, toast) == ([], None, EMPTY)
    text, messages, pending, toast = submit("问" * 600, [], 500)
    assert pending is None and toast is None and text == "问" * 600 and len(messages) == 1
    assert "共 600 字" in messages[0]["content"] and "上限是 500 字" in messages[0]["content"]
    _, messages, pending, _ = submit("吴桂英是谁？", [], 500)
    assert pending == "吴桂英是谁？" and "rag-thinking" in messages[-1]["content"]
    _, messages, _ = respond(lambda: None, "吴桂英是哪个村的书记？", [], [], "", "")
    assert "make index" in messages[-1]["content"] and esc(NO_INDEX) in messages[-1]["content"]


def test_filters_come_from_speaker_records(engine):
    speakers = engine.people
    assert {v for _, v in district_choices(speakers) if v} == {s.district for s in speakers if s.district}
    names = {v for _, v in speaker_choices(speakers, "郫都区") if v}
    assert names == {s.name for s in speakers if s.district == "郫都区"} and names
    _, messages, _ = respond(lambda: engine, "吴桂英是哪个村的书记？", [], [], "", "吴桂英")
    assert "新农村" in messages[-1]["content"]


def test_chat_thumbs_rate_through_the_api_function(engine, tmp_path):
    store = Feedback(tmp_path / "f.sqlite")
    _, messages, pending, _ = submit("吴桂英是哪个村的书记？", [], 500)
    messages, turns, ids, _ = answer_pending(lambda: engine, store, pending, messages, [], {}, "", "")
    [(index, answer_id)] = ids.items()
    assert int(index) == len(messages) - 1 and turns[-1]["answer_id"] == answer_id
    assert rate_message(store, ids, int(index), True) == RATED["up"]
    assert rate_message(store, ids, 0, True) == NOT_AN_ANSWER  # the question bubble
    assert rate_message(None, ids, int(index), False) == NO_FEEDBACK
    with sqlite3.connect(store.path) as conn:
        assert conn.execute("SELECT answer_id, rating FROM feedback").fetchall() == [(answer_id, "up")]


def cite(quote: str, chunk_id: str, start: int) -> Citation:
    return Citation(speaker="钱坤", title="党总支书记", community="广福社区", street="华阳街道", district="天府新区",
                    quote=quote, start=start, end=start + len(quote), score=1.0, chunk_id=chunk_id, doc_id="doc")


def test_citations_from_one_passage_make_one_card(engine):
    chunk = next(c for c in engine.chunks if c.kind == "speaker" and c.text.count("。") >= 3)
    sentences = [s + "。" for s in chunk.text.split("。")[:2]]
    answer = Answer(answer="…", abstained=False, answer_type="content", citations=[
        cite(sentences[0], chunk.id, chunk.start), cite(sentences[1], chunk.id, chunk.start + len(sentences[0]))])
    bubble = answer_html(answer, engine.chunk)
    cards = bubble.split('class="rag-tools"')[0]  # the copy button's hidden text repeats the quotes
    assert cards.count('class="rag-cite"') == 1 and cards.count("<mark>") == 2
    assert cards.count(esc(sentences[0])) == 1
    [href] = re.findall(r'href="([^"]+)"', bubble)
    assert html.unescape(href).count("hl=") == 2  # both spans marked in the article view


def test_abstention_under_a_filter_says_the_filter_is_on(engine):
    answer = Answer(answer="材料中没有找到这个问题的答案。", abstained=True, answer_type="abstain")
    bubble = html.unescape(answer_html(answer, engine.chunk, {"district": "武侯区"}))
    assert "当前开启了筛选（区（市）：武侯区）" in bubble and "清除筛选" in bubble
    assert "筛选" not in html.unescape(answer_html(answer, engine.chunk, {}))


def test_escape_is_lossless_and_inert():
    text = '<script>alert("x")</script> **粗** $x$ & 1. 吴桂英'
    escaped = esc(text)
    assert "<" not in escaped and "*" not in escaped and "$" not in escaped
    assert html.unescape(escaped) == text


def test_chat_and_api_answer_alike(engine):
    """The chat's answer is the API's answer: same text, same citations (ids differ per answer)."""
    answer = ask(engine, AskRequest(question="莲花社区建了什么广场？"))
    _, messages, _ = respond(lambda: engine, "莲花社区建了什么广场？", [], [], "", "")
    assert esc(answer.answer) in messages[-1]["content"]


def test_only_gradios_pandas_deprecations_are_silenced():
    """pyproject's filterwarnings ignores the pandas deprecations raised in gradio.queueing only."""
    import warnings

    with warnings.catch_warnings(record=True) as caught:  # keeps the filters pytest set from pyproject
        for module in ("gradio.queueing", "rag.elsewhere"):
            warnings.warn_explicit("copy keyword is deprecated", DeprecationWarning, f"{module}.py", 1,
                                   module=module, registry={})
    assert [w.filename for w in caught] == ["rag.elsewhere.py"]
