"""HTML for the chat bubbles. Every piece of user or corpus text goes through ``esc`` before any
markup of ours is added; each bubble is one HTML block with no blank line, so the chat's markdown
renderer leaves its inside alone. ``esc`` escapes everything ``html.escape`` does, and more."""
from __future__ import annotations

from typing import Callable

from rag.article_view import article_link
from rag.chunk import split_sentences
from rag.types import Answer, Chunk, Citation

TYPE_LABELS = {"attribution": "人物出处", "content": "内容", "list": "名单", "event": "事件", "place": "地点", "abstain": "材料中没有"}
FILTER_LABELS = {"district": "区（市）", "street": "街道", "community": "社区", "speaker": "书记", "name": "书记"}
ROSTER_ONLY = "名单中提到"
# HTML specials and markdown/LaTeX punctuation become character references: the browser shows them
# as the literal characters whether or not a markdown pass runs over the bubble.
_ESCAPES = str.maketrans({ch: f"&#{ord(ch)};" for ch in "&<>\"'\\`*_{}[]()#+-.!|~$="})


def esc(text: str | None) -> str:
    """Escape for HTML (and markdown); newlines become <br>, so a bubble never has a blank line."""
    return "<br>".join((text or "").translate(_ESCAPES).splitlines())


def esc_keep_lines(text: str) -> str:
    """Escaped with newlines as character references: hidden text keeps its lines (copy button)."""
    return (text or "").translate(_ESCAPES).replace("\n", "&#10;")


def question_html(question: str) -> str:
    return f'<div class="rag-q">{esc(question)}</div>'


def thinking_html() -> str:
    """The placeholder while an answer is being found; not a ``rag-reply`` (that is the answer)."""
    return '<div class="rag-thinking"><span class="rag-dots"></span>正在查找资料…</div>'


def notice_html(message: str, kind: str = "error") -> str:
    """A friendly message of ours (error, index missing); ``message`` is escaped too."""
    return f'<div class="rag-reply rag-{kind}"><div class="rag-label">提示</div><div>{esc(message)}</div></div>'


def filters_text(filters: dict | None) -> str:
    """``{"district": "武侯区", "speaker": "向万军"}`` → ``区（市）：武侯区 · 书记：向万军``."""
    return " · ".join(f"{FILTER_LABELS.get(k, k)}：{v}" for k, v in (filters or {}).items() if v)


def chip_html(filters: dict | None) -> str:
    """The active-filter chip above the chat; empty when nothing is filtered."""
    text = filters_text(filters)
    return f'<div class="rag-chip">筛选中 · {esc(text)}</div>' if text else ""


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


def highlighted(text: str, ranges: list[tuple[int, int]]) -> str:
    """``text`` escaped, with each range (overlaps merged) wrapped in <mark>."""
    merged: list[list[int]] = []
    for a, b in sorted(ranges):
        if merged and a < merged[-1][1]:  # overlapping; touching sentences keep their own marks
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    out, at = [], 0
    for a, b in merged:
        out.append(f"{esc(text[at:a])}<mark>{esc(text[a:b])}</mark>")
        at = b
    return "".join(out) + esc(text[at:])


def source_link(doc_id: str, spans: list[tuple[int, int]]) -> str:
    """A link to the article view (``GET /documents/{doc_id}``) with the quoted spans marked and the
    first scrolled into view; opens beside the chat so the conversation stays."""
    if not doc_id:
        return ""
    href = article_link(doc_id, spans)
    return f' <a class="rag-source" href="{esc(href)}" target="_blank" rel="noopener">查看原文</a>'


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


def by_passage(citations: list[Citation]) -> list[list[Citation]]:
    """Citations grouped by the passage (chunk) they quote, in the order of first citation."""
    groups: dict[str, list[Citation]] = {}
    for c in citations:
        groups.setdefault(c.chunk_id or f"#{id(c)}", []).append(c)
    return list(groups.values())


def _card(n: int, who: Citation, body: str, link: str) -> str:
    return (f'<div class="rag-cite"><div class="rag-who">{n}. {who_html(who)}{link}</div>'
            f'<div class="rag-para">{body}</div></div>')


def passage_card(n: int, citations: list[Citation], chunk: Chunk | None) -> str:
    """One card per passage: the paragraph once, every sentence the answer quotes from it marked."""
    first = citations[0]
    link = source_link(first.doc_id, [(c.start, c.end) for c in citations])
    if chunk is None:
        return _card(n, first, "<br>".join(f"<mark>{esc(c.quote)}</mark>" for c in citations), link)
    ranges = [r for c in citations if (r := locate(chunk, c))]
    if not ranges:
        return _card(n, first, "<br>".join(f"<mark>{esc(c.quote)}</mark>" for c in citations), link)
    return _card(n, first, highlighted(chunk.text, ranges), link)


def person_card(n: int, c: Citation, chunk: Chunk | None) -> str:
    """A list answer's card: the person's first quoted sentence, or that they are only on the roster."""
    if chunk is not None and chunk.kind == "speaker" and (sentences := split_sentences(chunk.text)):
        a, b = sentences[0]
        link = source_link(c.doc_id, [(chunk.offset_of(a), chunk.offset_of(b))])
        return _card(n, c, f"<mark>{esc(chunk.text[a:b])}</mark>", link)
    return _card(n, c, f'<span class="rag-roster">{ROSTER_ONLY}</span>：{esc(c.quote)}',
                 source_link(c.doc_id, [(c.start, c.end)]))


def citations_html(answer: Answer, chunk_of: Callable[[str], Chunk | None], heading: str) -> str:
    if not answer.citations:
        return ""
    if answer.answer_type == "list":
        cards = [person_card(i, c, chunk_of(c.chunk_id)) for i, c in enumerate(answer.citations, 1)]
    else:
        cards = [passage_card(i, group, chunk_of(group[0].chunk_id))
                 for i, group in enumerate(by_passage(answer.citations), 1)]
    return f'<div class="rag-cites"><div class="rag-cites-title">{heading}</div>{"".join(cards)}</div>'


def copy_text(answer: Answer) -> str:
    """What the copy button puts on the clipboard: the answer and who said each quoted sentence."""
    lines = [answer.answer]
    if answer.citations and not answer.abstained:
        lines += ["", "来源："]
        for c in answer.citations:
            who = "".join(p for p in (c.speaker, f"（{c.title}）" if c.title and c.speaker else "") if p)
            lines.append(f"- {who or '报道原文'}：{c.quote}")
    return "\n".join(lines)


def tools_html(answer: Answer) -> str:
    """The copy button; its text sits hidden beside it (the script in HEAD copies it)."""
    return (f'<div class="rag-tools"><button type="button" class="rag-copy">复制回答</button>'
            f'<pre class="rag-copy-text" hidden>{esc_keep_lines(copy_text(answer))}</pre></div>')


def answer_html(answer: Answer, chunk_of: Callable[[str], Chunk | None], filters: dict | None = None) -> str:
    label = TYPE_LABELS.get(answer.answer_type, answer.answer_type)
    active = filters_text(filters)
    chip = f'<div class="rag-filter-chip">筛选：{esc(active)}</div>' if active else ""
    if answer.abstained:
        note = (f'<div class="rag-filter-note">当前开启了筛选（{esc(active)}），答案可能在筛选范围之外：'
                f'清除筛选后再问一次。</div>') if active else ""
        return (f'<div class="rag-reply rag-abstain"><div class="rag-label">{TYPE_LABELS["abstain"]}</div>{chip}'
                f'<div class="rag-text">{esc(answer.answer)}</div>{note}'
                f'{citations_html(answer, chunk_of, "最接近的材料")}{tools_html(answer)}</div>')
    return (f'<div class="rag-reply rag-answer"><div class="rag-label">{esc(label)}</div>{chip}'
            f'<div class="rag-text">{esc(answer.answer)}</div>{citations_html(answer, chunk_of, "引用来源")}'
            f'{tools_html(answer)}</div>')


# The page's <head>: our favicon (Gradio's page names none), and the copy button's script, which
# copies the hidden text of the bubble whose button was pressed. One listener on the document,
# because bubbles come and go; the chat strips inline handlers from its HTML, as it should.
HEAD = """
<link rel="icon" type="image/png" href="/favicon.ico">
<script>
document.addEventListener("click", async (event) => {
  const button = event.target.closest && event.target.closest(".rag-copy");
  if (!button) return;
  const text = button.parentElement.querySelector(".rag-copy-text").textContent;
  try {
    await navigator.clipboard.writeText(text);
  } catch (err) {  // plain http on another host has no clipboard API: the old way still works
    const area = document.createElement("textarea");
    area.value = text; area.style.position = "fixed"; area.style.opacity = "0";
    document.body.appendChild(area); area.select(); document.execCommand("copy"); area.remove();
  }
  button.textContent = "已复制";
  setTimeout(() => { button.textContent = "复制回答"; }, 1500);
});
</script>
"""

CSS = """
.rag-q { white-space: normal; }
.rag-reply { border-radius: 8px; padding: 10px 12px; line-height: 1.6; }
.rag-answer { border-left: 4px solid #2f6fde; background: #f3f7ff; }
.rag-abstain { border: 2px dashed #c77700; background: #fff8ec; }
.rag-error, .rag-unavailable { border-left: 4px solid #c0392b; background: #fdf0ef; }
.rag-thinking { color: #666; font-style: italic; }
.rag-dots { display: inline-block; width: 10px; height: 10px; margin-right: 6px; border: 2px solid #999;
            border-top-color: transparent; border-radius: 50%; animation: rag-spin 0.8s linear infinite; }
@keyframes rag-spin { to { transform: rotate(360deg); } }
.rag-label { display: inline-block; font-size: 12px; font-weight: 600; padding: 1px 8px; border-radius: 10px;
             margin-bottom: 6px; background: #2f6fde; color: #fff; }
.rag-abstain .rag-label { background: #c77700; }
.rag-error .rag-label, .rag-unavailable .rag-label { background: #c0392b; }
.rag-chip, .rag-filter-chip { display: inline-block; font-size: 12px; padding: 1px 10px; border-radius: 12px;
                              background: #e8f0fe; color: #1a4fb5; border: 1px solid #b7cdf7; }
.rag-filter-chip { margin: 0 0 6px 8px; }
.rag-filter-note { margin-top: 6px; font-size: 13px; color: #8a5300; }
.rag-cites { margin-top: 10px; border-top: 1px solid #d6dbe6; padding-top: 6px; }
.rag-cites-title { font-size: 12px; color: #555; margin-bottom: 4px; }
.rag-cite { margin: 6px 0; }
.rag-who { font-size: 13px; color: #333; }
.rag-who-name { font-weight: 700; }
.rag-source { margin-left: 8px; font-size: 12px; }
.rag-roster { color: #666; font-style: italic; }
.rag-para { font-size: 13px; color: #444; background: #fff; border: 1px solid #e2e6ee; border-radius: 6px;
            padding: 6px 8px; margin-top: 3px; }
.rag-para mark { background: #ffe36e; color: #000; padding: 0 1px; border-radius: 3px; }
.rag-para mark + mark { margin-left: 4px; }  /* each quoted sentence its own highlight */
.rag-tools { margin-top: 6px; text-align: right; }
.rag-copy-text { display: none !important; }  /* the chat's own pre style would show it */
.rag-copy { font-size: 12px; padding: 1px 10px; border: 1px solid #c5cbd6; border-radius: 6px; background: #fff;
            cursor: pointer; }
#rag-footer { font-size: 12px; color: #666; text-align: center; }
"""
