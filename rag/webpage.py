"""Saved news pages: the article's main text, headline and date, without navigation, ads,
sidebars or reader comments (trafilatura), as plain paragraphs for the same parser."""
from __future__ import annotations

from dataclasses import dataclass

from rag.ingest import IngestError


# Less than this is a menu or a stub, not an article (a one-paragraph news brief is ~100).
MIN_ARTICLE_CHARS = 20


@dataclass(frozen=True)
class Page:
    text: str  # paragraphs separated by blank lines
    title: str
    date: str
    author: str


def extract(html: str, source: str = "") -> Page:
    import trafilatura

    # Precision over recall: a sidebar headline or a reader's comment quoted as the article's
    # words would be a wrong citation; comments are never part of the article.
    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, include_tables=False,
                                      favor_precision=True)
    text = getattr(doc, "text", None) or ""
    if len("".join(text.split())) < MIN_ARTICLE_CHARS:
        raise IngestError(f"{source}: no article text found in this HTML page")
    paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
    title = (doc.title or "").strip()
    if title and paragraphs[0] != title:  # the headline leads the text, so passages can cite it
        paragraphs.insert(0, title)
    return Page(text="\n\n".join(paragraphs), title=title, date=doc.date or "",
                author=(doc.author or "").strip())
