"""The web chat: a Gradio app mounted into the API's FastAPI app at ``/ui`` (one process, one port).

Every question goes through ``rag.api.ask`` and every 👍/👎 through ``rag.api.rate``: the same
functions as ``POST /ask`` and ``POST /feedback``. A question is shown at once with a thinking
bubble (发送 disabled) and answered in a second step, so the page never looks frozen. Filter
choices and two of the example questions come from the loaded engine's people records.
"""
from __future__ import annotations

import logging
from collections import Counter
from types import SimpleNamespace
from typing import Callable

import gradio as gr
from pydantic import ValidationError

from rag.api import MAX_HISTORY_TURNS, AskRequest, FeedbackRequest, ask, rate
from rag.config import Settings
from rag.engine import Engine, QuestionError, check_question
from rag.feedback import Feedback, FeedbackUnavailable, UnknownAnswer
from rag.records import Person
from ui.library import library_tab
from ui.render import CSS, HEAD, answer_html, chip_html, esc, notice_html, question_html, thinking_html

log = logging.getLogger("ui.chat")

ALL = ""  # the dropdown value meaning "no filter"
# One example per answer type; the attribution and list ones are rebuilt from the speaker records.
EXAMPLES = [
    ("人物出处", "吴桂英是哪个村的书记？"),
    ("内容", "莲花社区建了什么广场？"),
    ("名单", "郫都区有哪些书记？"),
    ("事件", "颁奖典礼是哪天举行的？"),
    ("材料中没有", "莲花社区有多少户居民？"),
]
NO_INDEX = "索引尚未建立或无法读取，暂时无法回答。请先在服务器上运行 make index，再刷新本页。"
EMPTY = "请先输入问题。"
TOO_LONG = "问题太长：共 {length} 字，上限是 {limit} 字。请删短一些再发送（输入框里的文字已保留）。"
BAD_FILTER = "筛选条件无效：{detail}"
FAILED = "抱歉，回答这个问题时出了点问题。请换个说法再试一次。"
RATED = {"up": "已记录 👍，谢谢！", "down": "已记录 👎，谢谢！我们会据此改进。"}
NOT_AN_ANSWER = "只有回答可以评价。"
NO_FEEDBACK = "这个页面没有开启评价。"


def example_questions(speakers: list[Person]) -> list[str]:
    """The example questions, with the attribution and list ones built from the speaker records."""
    questions = [q for _, q in EXAMPLES]
    quoted = [s for s in speakers if s.quoted and s.community] or [s for s in speakers if s.community]
    if quoted:
        s = next((s for s in quoted if s.community.endswith("村")), quoted[0])
        questions[0] = f"{s.name}是哪个{'村' if s.community.endswith('村') else '社区'}的书记？"
    if districts := Counter(s.district for s in speakers if s.district):
        questions[2] = f"{districts.most_common(1)[0][0]}有哪些书记？"
    return questions


def district_choices(speakers: list[Person]) -> list[tuple[str, str]]:
    return [("全部区（市）", ALL)] + [(d, d) for d in sorted({s.district for s in speakers if s.district})]


def speaker_choices(speakers: list[Person], district: str = ALL) -> list[tuple[str, str]]:
    chosen = [s for s in speakers if not district or s.district == district]
    names = dict.fromkeys(s.name for s in chosen)  # keeps order, drops repeats
    orgs = {s.name: s.organisation for s in chosen}
    return [("全部书记", ALL)] + [(f"{n}（{orgs[n]}）", n) for n in names]


def chosen_filters(district: str | None, speaker: str | None) -> dict[str, str]:
    return {k: v for k, v in (("district", district), ("speaker", speaker)) if v}


def submit(question, messages: list, limit: int) -> tuple[str, list, str | None, str | None]:
    """Step one of an exchange: (textbox value, chat messages, the question now pending or None,
    a toast to show or None). An empty question adds nothing to the chat (only the toast); a
    too-long one gets a notice that says so and stays in the textbox; a good one is shown at once
    with a thinking bubble."""
    messages = list(messages or [])
    question = question if isinstance(question, str) else ""
    try:
        check_question(question, limit)  # the same check as /ask, before anything is shown
    except QuestionError:
        if not question.strip():
            return question, messages, None, EMPTY
        length = len(question.strip())
        return question, messages + [{"role": "assistant", "content": notice_html(
            TOO_LONG.format(length=length, limit=limit))}], None, None
    return "", messages + [{"role": "user", "content": question_html(question)},
                           {"role": "assistant", "content": thinking_html()}], question, None


def reply(engine: Engine | None, feedback: Feedback | None, question: str, turns: list,
          filters: dict[str, str]) -> tuple[str, dict | None]:
    """The HTML of the answer to ``question`` and the history turn it adds (None for a notice)."""
    if engine is None:
        return notice_html(NO_INDEX, "unavailable"), None
    try:
        request = AskRequest(question=question, history=turns[-MAX_HISTORY_TURNS:], filters=filters)
        answer = ask(engine, request, feedback)
    except QuestionError as exc:  # submit() checked the text; the engine's settings may differ
        return notice_html(str(exc)), None
    except ValidationError as exc:
        return notice_html(BAD_FILTER.format(detail=exc.errors()[0]["msg"])), None
    except Exception:  # the page must answer something, whatever went wrong below
        log.exception("chat question failed: %r", question[:200])
        return notice_html(FAILED), None
    turn = {"question": request.question, "answer": answer.answer, "answer_id": answer.answer_id}
    return answer_html(answer, engine.chunk, filters), turn


def answer_pending(get_engine: Callable[[], Engine | None], feedback: Feedback | None, pending: str | None,
                   messages: list, turns: list, ids: dict, district: str | None, speaker: str | None):
    """Step two: replace the thinking bubble with the answer. Returns (messages, turns, ids, pending)."""
    messages, turns, ids = list(messages or []), list(turns or []), dict(ids or {})
    if pending is None:
        return messages, turns, ids, None
    html, turn = reply(get_engine(), feedback, pending, [{k: t[k] for k in ("question", "answer")} for t in turns],
                       chosen_filters(district, speaker))
    messages[-1] = {"role": "assistant", "content": html}
    if turn is not None:
        turns.append(turn)
        ids[str(len(messages) - 1)] = turn["answer_id"]  # the like event names the message by index
    return messages, turns, ids, None


def respond(get_engine: Callable[[], Engine | None], question: str, messages: list, turns: list,
            district: str | None, speaker: str | None, feedback: Feedback | None = None):
    """Both steps at once (what the page does in two): returns (textbox value, messages, turns)."""
    engine = get_engine()
    limit = engine.settings.max_question_chars if engine else Settings().max_question_chars
    text, messages, pending, _ = submit(question, messages, limit)
    messages, turns, _, _ = answer_pending(get_engine, feedback, pending, messages, turns, {}, district, speaker)
    return text, messages, turns


def rate_message(feedback: Feedback | None, ids: dict, index, liked) -> str:
    """Store a 👍/👎 on the answer at message ``index``; returns what to tell the user."""
    answer_id = (ids or {}).get(str(index[0] if isinstance(index, (list, tuple)) else index))
    if not answer_id or not isinstance(liked, bool):
        return NOT_AN_ANSWER
    if feedback is None:  # a chat mounted without a store (ui.app always passes the API's)
        return NO_FEEDBACK
    rating = "up" if liked else "down"
    try:
        rate(feedback, FeedbackRequest(answer_id=answer_id, rating=rating))
    except UnknownAnswer:
        return "这条回答是服务器重启以前的，无法再评价；请重新提问后再评价。"
    except FeedbackUnavailable as exc:
        log.error("%s", exc)
        return "评价没有保存：反馈数据库暂时不可用，请稍后再试。"
    return RATED[rating]


def _layout() -> SimpleNamespace:
    """The chat's components, top to bottom; the states hold this browser tab's conversation."""
    c = SimpleNamespace(turns=gr.State([]), ids=gr.State({}), pending=gr.State(None))
    with gr.Row():
        c.district = gr.Dropdown(district_choices([]), value=ALL, label="按区（市）筛选（可选）",
                                 elem_id="rag-district", scale=1)
        c.speaker = gr.Dropdown(speaker_choices([]), value=ALL, label="按书记筛选（可选）", elem_id="rag-speaker",
                                scale=1)
    c.chip = gr.HTML("", elem_id="rag-chip")
    c.chatbot = gr.Chatbot(label="对话", elem_id="rag-chat", height=640, sanitize_html=True, latex_delimiters=[],
                           feedback_options=("Like", "Dislike"), buttons=[],
                           placeholder="在下方输入问题，或点一个示例问题。")
    with gr.Row():
        c.question = gr.Textbox(placeholder="输入问题，例如：谁介绍了‘五线工作法’？", show_label=False,
                                elem_id="rag-question", scale=5, max_lines=4)
        c.send = gr.Button("发送", variant="primary", elem_id="rag-send", scale=1)
        c.clear = gr.Button("清空对话", elem_id="rag-clear", scale=1)
    gr.Markdown("**示例问题**（点击直接提问）：")
    with gr.Row():
        c.examples = [gr.Button(q, size="sm", elem_classes=["rag-example"]) for _, q in EXAMPLES]
    c.footer = gr.HTML(elem_id="rag-footer")
    return c


def _wire_questions(c: SimpleNamespace, get_engine: Callable[[], Engine | None], settings: Settings,
                    feedback: Feedback | None) -> None:
    """发送, Enter and the example buttons: show the question, answer it, unlock the buttons.
    清空对话 is locked too while an answer is pending: the answer would bring the old chat back."""
    locks = [c.send, c.clear, *c.examples]

    def ask_step(q, messages, busy, typed: bool):
        if busy is not None:  # a question is still being answered: ignore this one, change nothing
            return gr.skip(), gr.skip(), gr.skip(), *[gr.skip()] * len(locks)
        engine = get_engine()
        limit = (engine.settings if engine else settings).max_question_chars
        text, messages, waiting, toast = submit(q, messages, limit)
        if toast:
            gr.Warning(toast)
        locked = gr.update(interactive=waiting is None)
        # The textbox empties once its question is on its way; an example button keeps its label.
        return text if typed else gr.skip(), messages, waiting, *[locked] * len(locks)

    def answer_step(waiting, messages, history, answer_ids, d, s):
        if waiting is None:  # an ignored click: its copy of the chat may be stale, so write nothing
            return gr.skip(), gr.skip(), gr.skip(), gr.skip()
        return answer_pending(get_engine, feedback, waiting, messages, history, answer_ids, d, s)

    for trigger, source in [(c.send.click, c.question), (c.question.submit, c.question),
                            *[(b.click, b) for b in c.examples]]:
        typed = source is c.question
        # Step one shows the question at once (queued all the same: toasts need the queue); step
        # two answers it; step three unlocks the buttons. Every click reaches step one, which
        # ignores it while a question is pending (the browser's own "once" mode can drop a click
        # made the moment 发送 unlocks).
        trigger(lambda q, m, b, typed=typed: ask_step(q, m, b, typed), inputs=[source, c.chatbot, c.pending],
                outputs=[source, c.chatbot, c.pending, *locks], show_progress="hidden",
                trigger_mode="multiple").then(
            answer_step, inputs=[c.pending, c.chatbot, c.turns, c.ids, c.district, c.speaker],
            outputs=[c.chatbot, c.turns, c.ids, c.pending], show_progress="hidden").then(
            lambda: [gr.update(interactive=True)] * len(locks), outputs=locks, queue=False, show_progress="hidden")


def _wire_controls(c: SimpleNamespace, get_engine: Callable[[], Engine | None], feedback: Feedback | None) -> None:
    """Filters and their chip, 清空对话, and the 👍/👎 under each answer."""

    def on_like(answer_ids, data: gr.LikeData):
        message = rate_message(feedback, answer_ids, data.index, data.liked)
        (gr.Info if message in RATED.values() else gr.Warning)(message)

    def on_district(d):
        engine = get_engine()
        return gr.update(choices=speaker_choices(list(engine.people) if engine else [], d), value=ALL)

    # 清空对话 starts over: history, ratings map and both filters (a kept filter would silently
    # steer the next "他还说了什么？"); the chip disappears with them.
    c.clear.click(lambda: ("", [], [], {}, None, ALL, ALL, ""),
                  outputs=[c.question, c.chatbot, c.turns, c.ids, c.pending, c.district, c.speaker, c.chip],
                  queue=False, show_progress="hidden")
    c.chatbot.clear(lambda: ([], {}), outputs=[c.turns, c.ids])  # the chat's own trash icon forgets too
    c.chatbot.like(on_like, inputs=[c.ids], outputs=None)
    c.district.change(on_district, inputs=c.district, outputs=c.speaker, show_progress="hidden")
    for dropdown in (c.district, c.speaker):
        dropdown.change(lambda d, s: chip_html(chosen_filters(d, s)), inputs=[c.district, c.speaker],
                        outputs=c.chip, show_progress="hidden")


def build_chat(get_engine: Callable[[], Engine | None], settings: Settings, feedback: Feedback | None):
    """The chat's components and events, inside the caller's Blocks (and tab); returns the page-load
    handler and its outputs, for the Blocks to register once."""
    c = _layout()
    _wire_questions(c, get_engine, settings, feedback)
    _wire_controls(c, get_engine, feedback)

    def on_load():
        engine = get_engine()
        people = list(engine.people) if engine else []
        model = f"当前向量模型：{esc(engine.model)}" if engine else "索引未加载：请先运行 make index"
        return (gr.update(choices=district_choices(people), value=ALL),
                gr.update(choices=speaker_choices(people), value=ALL), f"<div>{model}</div>",
                *[gr.update(value=q) for q in example_questions(people)])
    return on_load, [c.district, c.speaker, c.footer, *c.examples]


def build_blocks(get_engine: Callable[[], Engine | None], settings: Settings | None = None,
                 feedback: Feedback | None = None) -> gr.Blocks:
    settings = settings or Settings()
    with gr.Blocks(title="社区书记问答", analytics_enabled=False) as blocks:
        gr.Markdown("## 社区书记问答\n根据新闻报道回答问题，并注明是谁说的、出自哪个社区。")
        with gr.Tabs():
            with gr.Tab("问答", id="chat"):
                on_load, load_outputs = build_chat(get_engine, settings, feedback)
            library_tab(settings)  # 资料库: list, upload, delete (ui.library, issue 14)
        blocks.load(on_load, outputs=load_outputs)
    return blocks


def mount_chat(app, get_engine: Callable[[], Engine | None], settings: Settings | None = None,
               feedback: Feedback | None = None):
    """Mount the chat at ``/ui``; ``get_engine()`` is read per request (None while the index is missing)."""
    theme = gr.themes.Default(font=["Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "sans-serif"],
                              font_mono=["Noto Sans Mono CJK SC", "monospace"])
    return gr.mount_gradio_app(app, build_blocks(get_engine, settings, feedback), path="/ui", css=CSS,
                               theme=theme, head=HEAD, ssr_mode=False, footer_links=[],
                               # Gradio stores an upload before the library sees it: cap it there too.
                               max_file_size=settings.upload_max_bytes if settings else None)
