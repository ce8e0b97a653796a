"""A parsed article as plain data: its passages (a speaker's words, the report's narration, a
heading, a byline, a roster line), each as source spans, and the people they belong to."""
from __future__ import annotations

from dataclasses import dataclass

from rag.records import Person
from rag.types import ChunkKind


@dataclass(frozen=True)
class Passage:
    kind: ChunkKind
    spans: tuple[tuple[int, int], ...]
    speaker: Person | None = None
    about: Person | None = None  # narrative in a speaker's paragraph: whom it is about


@dataclass(frozen=True)
class Article:
    doc_id: str
    path: str
    text: str
    passages: tuple[Passage, ...]
    headline: str = ""
    date: str = ""  # the first date the article gives (4月12日), usually the event's

    def piece(self, spans) -> str:
        return "".join(self.text[a:b] for a, b in spans)

    @property
    def people(self) -> list[Person]:
        return [p.speaker for p in self.passages if p.speaker is not None]


def sub_spans(spans, a: int, b: int) -> list[tuple[int, int]]:
    """Source spans covering characters ``a:b`` of the text joined from ``spans``."""
    out, offset = [], 0
    for start, end in spans:
        length = end - start
        lo, hi = max(a, offset), min(b, offset + length)
        if hi > lo:
            out.append((start + lo - offset, start + hi - offset))
        offset += length
    return out


def trimmed(text: str, a: int, b: int) -> tuple[int, int]:
    """Characters ``a:b`` of a narrative piece without the punctuation left from the quotes cut out
    around it."""
    while a < b and (text[a].isspace() or text[a] in "，,。”"):
        a += 1
    while b > a and (text[b - 1].isspace() or text[b - 1] in "“，,"):
        b -= 1
    return a, b
