"""Quotation marks: where quotes start and end (a quote may run over paragraphs, each reopening
with “), the sentence a clause ends in, and a paragraph that is nothing but one quote."""
from __future__ import annotations

SENTENCE_END = "。！？!?"


def quote_segments(text: str, restarts: frozenset[int] = frozenset()) -> list[tuple[int, int]]:
    """Outermost “…” pairs as (index of “, index of ” or len(text) when unclosed).

    ``restarts``: positions of a “ that reopens a quote running over several paragraphs (each
    paragraph opens with “, only the last closes): they do not nest deeper.
    """
    segments, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "“" and not (depth and i in restarts):
            if depth == 0:
                start = i
            depth += 1
        elif ch == "”" and depth:
            depth -= 1
            if depth == 0:
                segments.append((start, i))
    if depth:
        segments.append((start, len(text)))
    return segments


def inside(position: int, segments: list[tuple[int, int]]) -> bool:
    return any(a < position < b for a, b in segments)


def clause_end(text: str, start: int) -> int:
    """End (after the stop) of the sentence that starts at ``start``; quotes inside do not end it."""
    depth = 0
    for i in range(start, len(text)):
        ch = text[i]
        depth += (ch == "“") - (ch == "”" and depth > 0)
        if depth == 0 and ch in SENTENCE_END:
            return i + 1
    return len(text)


def trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def cut(a: int, b: int, restarts: frozenset[int]) -> list[tuple[int, int]]:
    """A quote's range without the “ that reopen it at each new paragraph."""
    pieces, start = [], a
    for r in sorted(p for p in restarts if a <= p < b):
        pieces.append((start, r))
        start = r + 1
    pieces.append((start, b))
    return [(x, y) for x, y in pieces if y > x]


def whole_quote(text: str) -> tuple[int, int] | None:
    """The inside of a paragraph that is nothing but one quotation (“……。”), else None."""
    stripped = text.strip()
    if not (stripped.startswith("“") and stripped.rstrip("。").endswith("”")):
        return None
    segments = quote_segments(text)
    if len(segments) != 1:
        return None
    a, b = segments[0]
    return a + 1, b
