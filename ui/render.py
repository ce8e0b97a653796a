"""HTML for the chat bubbles. Every piece of user or corpus text goes through ``esc`` before any
markup of ours is added; each bubble is one HTML block with no blank line, so the chat's markdown
renderer leaves its inside alone. ``esc`` escapes everything ``html.escape`` does, and more."""
from __future__ import annotations

from typing import Callable

from rag.types import Answer, Chunk, Citation

TYPE_LABELS = {"attribution": "人物出处", "content": "内容", "list": "名单", "event": "事件", "abstain": "材料中没有"}
# HTML specials and markdown/LaTeX punctuation become character references: the browser shows them
# as the literal characters whether or not a markdown pass runs over the bubble.
_ESCAPES = str.maketrans({ch: f"&#{ord(ch)};" for ch in "&<>\"'\\`*_{}[]()#+-.!|~$="})


def esc(text: str | None) -> str:
    """Escape for HTML (and markdown); newlines become <br>, so a bubble never has a blank line."""
    return "<br>".join((text or "").translate(_ESCAPES).splitlines())


def question_html(question: str) -> str:
    return f'<div class="rag-q">{esc(question)}</div>'


def notice_html(message: str, kind: str = "error") -> str:
    """A friendly message of ours (error, index missing); ``message`` is escaped too."""
    return f'<div class="rag-reply rag-{kind}"><div class="rag-label">提示</div><div>{esc(message)}</div></div>'


def locate(chunk: Chunk, citation: Citation) -> tuple[int, int] | None:
    """Where the quoted sentence sits inside the chunk's paragraph."""
    found = chunk.text.find(citation.quote) if citation.quote else -1
    if found >= 0:
        return found, found + len(citation.quote)
    position, start = 0, None  # map the citation's source offsets back through the chunk's spans
    for span_start, span_end in chunk.spans:
        if start is None and span_start <= citation.start <= span_end:
            start = position + citation.start - span_start
        if start is not None and span_start <= citation.end <= span_end:
            end = position + citation.end - span_start
            return (start, end) if end > start else None
        position += span_end - span_start
    return None


def paragraph_html(chunk: Chunk | None, citation: Citation) -> str:
    """The paragraph with the quote wrapped in <mark>; the bare quote when the chunk is unknown."""
    if chunk is None or (where := locate(chunk, citation)) is None:
        return f"<mark>{esc(citation.quote)}</mark>"
    start, end = where
    text = chunk.text
    return f"{esc(text[:start])}<mark>{esc(text[start:end])}</mark>{esc(text[end:])}"


def who_html(c: Citation) -> str:
    if not c.speaker:
        return '<span class="rag-who-name">报道原文</span>'
    place = "".join(p for p in (c.district, c.street) if p)
    org = c.community or c.street or c.district or ""
    parts = [f'<span class="rag-who-name">{esc(c.speaker)}</span>']
    if c.title:
        parts.append(f'<span class="rag-who-title">{esc(c.title)}</span>')
    if org:
        where = f"（{esc(place)}）" if place and c.community else f"（{esc(c.district)}）" if c.district and org != c.district else ""
        parts.append(f'<span class="rag-who-org">{esc(org)}{where}</span>')
    return " · ".join(parts)


def citations_html(answer: Answer, chunk_of: Callable[[str], Chunk | None], heading: str) -> str:
    if not answer.citations:
        return ""
    items = "".join(
        f'<div class="rag-cite"><div class="rag-who">{i}. {who_html(c)}</div>'
        f'<div class="rag-para">{paragraph_html(chunk_of(c.chunk_id), c)}</div></div>'
        for i, c in enumerate(answer.citations, 1)
    )
    return f'<div class="rag-cites"><div class="rag-cites-title">{heading}</div>{items}</div>'


def answer_html(answer: Answer, chunk_of: Callable[[str], Chunk | None]) -> str:
    label = TYPE_LABELS.get(answer.answer_type, answer.answer_type)
    if answer.abstained:
        return (f'<div class="rag-reply rag-abstain"><div class="rag-label">{TYPE_LABELS["abstain"]}</div>'
                f'<div class="rag-text">{esc(answer.answer)}</div>'
                f'{citations_html(answer, chunk_of, "最接近的材料")}</div>')
    return (f'<div class="rag-reply rag-answer"><div class="rag-label">{esc(label)}</div>'
            f'<div class="rag-text">{esc(answer.answer)}</div>{citations_html(answer, chunk_of, "引用来源")}</div>')


CSS = """
.rag-q { white-space: normal; }
.rag-reply { border-radius: 8px; padding: 10px 12px; line-height: 1.6; }
.rag-answer { border-left: 4px solid #2f6fde; background: #f3f7ff; }
.rag-abstain { border: 2px dashed #c77700; background: #fff8ec; }
.rag-error, .rag-unavailable { border-left: 4px solid #c0392b; background: #fdf0ef; }
.rag-label { display: inline-block; font-size: 12px; font-weight: 600; padding: 1px 8px; border-radius: 10px;
             margin-bottom: 6px; background: #2f6fde; color: #fff; }
.rag-abstain .rag-label { background: #c77700; }
.rag-error .rag-label, .rag-unavailable .rag-label { background: #c0392b; }
.rag-cites { margin-top: 10px; border-top: 1px solid #d6dbe6; padding-top: 6px; }
.rag-cites-title { font-size: 12px; color: #555; margin-bottom: 4px; }
.rag-cite { margin: 6px 0; }
.rag-who { font-size: 13px; color: #333; }
.rag-who-name { font-weight: 700; }
.rag-para { font-size: 13px; color: #444; background: #fff; border: 1px solid #e2e6ee; border-radius: 6px;
            padding: 6px 8px; margin-top: 3px; }
.rag-para mark { background: #ffe36e; color: #000; padding: 0 1px; }
#rag-footer { font-size: 12px; color: #666; text-align: center; }
"""
