"""Plain records passed between stages: chunks, retrieval hits, citations, answers.
One JSON form everywhere: ``Record.to_json()``."""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from rag.records import Person, Record

ChunkKind = Literal["speaker", "roster", "event", "byline", "caption", "heading", "question"]
AnswerType = Literal["content", "attribution", "event", "list", "place", "abstain"]


class Chunk(Record):
    id: str
    doc_id: str
    kind: ChunkKind
    text: str  # exact source text (pieces joined), what answers quote
    spans: list[tuple[int, int]]  # source offsets of the pieces of ``text``
    speaker: Person | None = None  # who said it (quotes) or who is named (roster)
    # For the report's own words in a speaker's paragraph (改造过程中，社区先后召开…): whom they
    # are about. Never cited as that person's words; lets a question naming them find it.
    about: Person | None = None
    # In an interview, the reporter's question this answer replies to (记者：“说事长廊”是怎么
    # 运转起来的？): the answer is about it even when its own words never repeat it.
    asked: str = ""
    # The verbs the report introduces these words with (建议, 提醒, 强调): what kind of words they
    # are, which a question asks for (方教授提了哪几条建议). Searched, never quoted.
    said_as: str = ""
    # The subheading or date line the passage stands under (【11月4日 小雨】, 一、党员带头): a
    # question may name it (11月4日那天发生了啥). Searched, never quoted.
    section: str = ""

    @property
    def start(self) -> int:
        return self.spans[0][0]

    @property
    def end(self) -> int:
        return self.spans[-1][1]

    @property
    def context_text(self) -> str:
        """What is embedded and BM25-indexed: the quote with who said it (and, in an interview,
        the question it answers) in front."""
        if self.speaker is None:
            return "\n".join(t for t in (self.section, self.asked, self.text) if t)
        s = self.speaker
        section = f"{self.section}\n" if self.section else ""
        return f"{section}{self.asked}{s.label}{s.name}{self.said_as}：{self.text}"

    def offset_of(self, position: int) -> int:
        """Map a position inside ``text`` to an offset in the source file."""
        for start, end in self.spans:
            if position <= end - start:
                return start + position
            position -= end - start
        return self.end

    def summary(self) -> dict:
        s = self.speaker
        return {
            "about": self.about.name if self.about else None,
            "id": self.id,
            "doc_id": self.doc_id,
            "kind": self.kind,
            "speaker": s.name if s else None,
            "title": s.title if s else None,
            "community": s.community if s else None,
            "street": s.street if s else None,
            "district": s.district if s else None,
            "text": self.text,
            "start": self.start,
            "end": self.end,
        }


class Hit(Record):
    chunk: Chunk
    score: float
    bm25_rank: int | None = None
    dense_rank: int | None = None
    entity_match: bool = False


class Citation(Record):
    speaker: str | None
    title: str | None
    community: str | None
    street: str | None
    district: str | None
    quote: str
    start: int
    end: int
    score: float
    chunk_id: str
    doc_id: str = ""


class Answer(Record):
    answer: str
    # Names this answer for POST /feedback; set by rag.api.ask (empty from engine.ask alone).
    answer_id: str = ""
    abstained: bool
    abstain_reason: str | None = None
    answer_type: AnswerType
    citations: list[Citation] = Field(default_factory=list)
    model: str = ""
    timings_ms: dict[str, float] = Field(default_factory=dict)
