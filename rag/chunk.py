"""Turn parsed passages into chunks: one per quote, long quotes split at sentence ends."""
from __future__ import annotations

import re

from rag.ingest import Article, sub_spans
from rag.types import Chunk

SENTENCE_RE = re.compile(r"[^。！？!?；;]*(?:[。！？!?；;]+[”’」』）)]*|$)")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character ranges of the sentences in ``text``, whitespace trimmed, nothing dropped."""
    ranges = []
    for match in SENTENCE_RE.finditer(text):
        a, b = match.span()
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            ranges.append((a, b))
    return ranges


def _pieces(text: str, max_chars: int) -> list[tuple[int, int]]:
    """Group whole sentences into pieces of at most ``max_chars`` (a longer sentence stands alone)."""
    pieces: list[tuple[int, int]] = []
    for a, b in split_sentences(text):
        if pieces and b - pieces[-1][0] <= max_chars:
            pieces[-1] = (pieces[-1][0], b)
        else:
            pieces.append((a, b))
    return pieces


def chunk_article(article: Article, max_chars: int = 300) -> list[Chunk]:
    chunks: list[Chunk] = []
    asked = ""  # the interview question the next answers reply to
    for passage in article.passages:
        text = article.piece(passage.spans)
        if passage.kind == "question":
            asked = text.strip()
        elif passage.kind == "heading":
            asked = ""
        pieces = [(0, len(text))] if len(text) <= max_chars else _pieces(text, max_chars)
        for a, b in pieces:
            spans = sub_spans(passage.spans, a, b)
            if not article.piece(spans).strip():
                continue
            chunks.append(
                Chunk(
                    id=f"{article.doc_id}#{len(chunks):03d}",
                    doc_id=article.doc_id,
                    kind=passage.kind,
                    text=article.piece(spans),
                    spans=spans,
                    speaker=passage.speaker,
                    about=passage.about,
                    asked=asked if passage.kind == "speaker" else "",
                )
            )
    return chunks


def chunk_corpus(articles: list[Article], max_chars: int = 300) -> list[Chunk]:
    return [chunk for article in articles for chunk in chunk_article(article, max_chars)]
