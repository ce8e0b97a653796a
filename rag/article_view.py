"""The article view (``GET /documents/{doc_id}``): the whole article as a page, with quoted spans
highlighted, so a reader can check a citation in its context.

Citations carry source offsets (``Citation.start``/``end``) into the text the parser read;
``article_link`` turns them into the page's address, ``#hl-0`` scrolling to the first mark. Every
piece of article text is HTML-escaped; the page has no script.
"""
from __future__ import annotations

import html
from urllib.parse import quote

from rag.documents import Document

MAX_HIGHLIGHTS = 20  # a merged citation card marks a few sentences; more is a crafted URL

STYLE = """
body{font-family:"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;margin:0;background:#f7f7f8;color:#1f2328}
main{max-width:760px;margin:0 auto;padding:24px 20px 80px;background:#fff;min-height:100vh}
h1{font-size:1.4em;line-height:1.4;margin:0 0 8px}
.meta{color:#57606a;font-size:.9em;margin-bottom:20px}
.meta span{margin-right:14px}
.text{white-space:pre-wrap;line-height:1.9;font-size:1.05em}
mark{background:#fff3b0;border-bottom:2px solid #e3b341;padding:1px 0;scroll-margin-top:40vh}
a{color:#0969da}
"""


def article_link(doc_id: str, spans: list[tuple[int, int]] | None = None) -> str:
    """The view's address with ``spans`` (source offsets) highlighted and the first in view."""
    query = "&".join(f"hl={a}-{b}" for a, b in (spans or [])[:MAX_HIGHLIGHTS])
    return f"/documents/{quote(doc_id, safe='')}" + (f"?{query}#hl-0" if query else "")


def parse_highlights(values: list[str], length: int) -> list[tuple[int, int]]:
    """``START-END`` strings to sorted, merged spans inside the text; malformed ones are ignored
    (a stale link still opens the article)."""
    spans = []
    for value in values[:MAX_HIGHLIGHTS]:
        start, _, end = value.partition("-")
        if start.isdigit() and end.isdigit():
            a, b = min(int(start), length), min(int(end), length)
            if b > a:
                spans.append((a, b))
    merged: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def _marked(text: str, spans: list[tuple[int, int]]) -> str:
    out, position = [], 0
    for i, (a, b) in enumerate(spans):
        out.append(html.escape(text[position:a]))
        out.append(f'<mark id="hl-{i}">{html.escape(text[a:b])}</mark>')
        position = b
    out.append(html.escape(text[position:]))
    return "".join(out)


def _page(title: str, body: str) -> str:
    return (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(title)}</title><style>{STYLE}</style></head>"
            f'<body><main><p><a href="/ui/">← 返回问答</a></p>{body}</main></body></html>')


def article_page(doc: Document, text: str, spans: list[tuple[int, int]]) -> str:
    meta = [f"文件：{doc.file}", f"日期：{doc.date}" if doc.date else "", f"发言人：{doc.speakers}",
            f"段落：{doc.chunks}", {"indexed": "已索引", "pending": "索引中", "failed": "失败"}[doc.status]]
    meta_html = "".join(f"<span>{html.escape(m)}</span>" for m in meta if m)
    title = doc.headline or doc.doc_id
    return _page(title, f'<h1>{html.escape(title)}</h1><div class="meta">{meta_html}</div>'
                        f'<div class="text" id="article">{_marked(text, spans)}</div>')


def missing_page(message: str) -> str:
    return _page("未找到文章", f"<h1>未找到文章</h1><p>{html.escape(message)}</p>")
