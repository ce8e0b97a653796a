"""The web chat: a Gradio app mounted into the API's FastAPI app at ``/ui`` (one process, one port).

Every question goes through ``rag.api.ask``, the same function as ``POST /ask``. Filter choices and
two of the example questions come from the loaded engine's speaker records, read at page load.
"""
from __future__ import annotations

import logging
from collections import Counter
from typing import Callable

import gradio as gr
from pydantic import ValidationError

from rag.api import AskRequest, ask
from rag.engine import Engine, QuestionError
from rag.records import Person
from ui.render import CSS, answer_html, esc, notice_html, question_html

log = logging.getLogger("ui.chat")

ALL = ""  # the dropdown value meaning "no filter"
MAX_TURNS = 20  # AskRequest.history holds at most 20 turns
# One example per answer type; the attribution and list ones are rebuilt from the speaker records.
EXAMPLES = [
    ("人物出处", "吴桂英是哪个村的书记？"),
    ("内容", "莲花社区建了什么广场？"),
    ("名单", "郫都区有哪些书记？"),
    ("事件", "颁奖典礼是哪天举行的？"),
    ("材料中没有", "莲花社区有多少户居民？"),
]
NO_INDEX = "索引尚未建立或无法读取，暂时无法回答。请先在服务器上运行 make index，再刷新本页。"
BAD_QUESTION = "请输入一个问题（不超过 {limit} 字）。"
FAILED = "抱歉，回答这个问题时出了点问题。请换个说法再试一次。"

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


def respond(get_engine: Callable[[], Engine | None], question: str, messages: list, turns: list,
            district: str | None, speaker: str | None):
    """One exchange: returns (textbox value, chat messages, history turns)."""
    messages, turns = list(messages or []), list(turns or [])
    question = question if isinstance(question, str) else ""
    if question.strip():
        messages.append({"role": "user", "content": question_html(question)})
    engine = get_engine()
    if engine is None:
        messages.append({"role": "assistant", "content": notice_html(NO_INDEX, "unavailable")})
        return question, messages, turns
    try:
        request = AskRequest(question=question, history=turns[-MAX_TURNS:],
                             filters={"district": district or None, "speaker": speaker or None})
        answer = ask(engine, request)
    except (ValidationError, QuestionError):
        limit = engine.settings.max_question_chars
        messages.append({"role": "assistant", "content": notice_html(BAD_QUESTION.format(limit=limit))})
        return question, messages, turns
    except Exception:  # the page must answer something, whatever went wrong below
        log.exception("chat question failed: %r", question)
        messages.append({"role": "assistant", "content": notice_html(FAILED)})
        return question, messages, turns
    messages.append({"role": "assistant", "content": answer_html(answer, engine.chunk)})
    turns.append({"question": request.question, "answer": answer.answer})
    return "", messages, turns


def build_blocks(get_engine: Callable[[], Engine | None]) -> gr.Blocks:
    with gr.Blocks(title="社区书记问答", analytics_enabled=False) as blocks:
        gr.Markdown("## 社区书记问答\n根据新闻报道回答问题，并注明是谁说的、出自哪个社区。")
        turns = gr.State([])
        with gr.Row():
            district = gr.Dropdown(district_choices([]), value=ALL, label="按区（市）筛选（可选）",
                                   elem_id="rag-district", scale=1)
            speaker = gr.Dropdown(speaker_choices([]), value=ALL, label="按书记筛选（可选）",
                                  elem_id="rag-speaker", scale=1)
        chatbot = gr.Chatbot(label="对话", elem_id="rag-chat", height=640, sanitize_html=True,
                             latex_delimiters=[], feedback_options=None, buttons=[],
                             placeholder="在下方输入问题，或点一个示例问题。")
        with gr.Row():
            question = gr.Textbox(placeholder="输入问题，例如：谁介绍了‘五线工作法’？", show_label=False,
                                  elem_id="rag-question", scale=5, max_lines=4)
            send = gr.Button("发送", variant="primary", elem_id="rag-send", scale=1)
            clear = gr.Button("清空对话", elem_id="rag-clear", scale=1)
        gr.Markdown("**示例问题**（点击直接提问）：")
        with gr.Row():
            examples = [gr.Button(q, size="sm", elem_classes=["rag-example"]) for _, q in EXAMPLES]
        footer = gr.HTML(elem_id="rag-footer")

        def ask_fn(q, messages, history, d, s):
            return respond(get_engine, q, messages, history, d, s)

        def on_load():
            engine = get_engine()
            speakers = list(engine.people) if engine else []
            model = f"当前向量模型：{esc(engine.model)}" if engine else "索引未加载：请先运行 make index"
            return (gr.update(choices=district_choices(speakers), value=ALL),
                    gr.update(choices=speaker_choices(speakers), value=ALL),
                    f"<div>{model}</div>",
                    *[gr.update(value=q) for q in example_questions(speakers)])

        def on_district(d):
            engine = get_engine()
            speakers = list(engine.people) if engine else []
            return gr.update(choices=speaker_choices(speakers, d), value=ALL)

        io = dict(fn=ask_fn, outputs=[question, chatbot, turns])
        send.click(inputs=[question, chatbot, turns, district, speaker], **io)
        question.submit(inputs=[question, chatbot, turns, district, speaker], **io)
        for button in examples:
            button.click(inputs=[button, chatbot, turns, district, speaker], **io)
        clear.click(lambda: ("", [], []), outputs=[question, chatbot, turns])
        chatbot.clear(lambda: [], outputs=turns)  # the chat's own trash icon forgets the history too
        district.change(on_district, inputs=district, outputs=speaker)
        blocks.load(on_load, outputs=[district, speaker, footer, *examples])
    return blocks


def mount_chat(app, get_engine: Callable[[], Engine | None], settings=None):
    """Mount the chat at ``/ui``; ``get_engine()`` is read per request (None while the index is missing)."""
    theme = gr.themes.Default(font=["Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "sans-serif"],
                              font_mono=["Noto Sans Mono CJK SC", "monospace"])
    return gr.mount_gradio_app(app, build_blocks(get_engine), path="/ui", css=CSS, theme=theme,
                               ssr_mode=False, footer_links=[])
