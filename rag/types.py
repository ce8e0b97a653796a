"""Plain records shared by every stage. One JSON form everywhere: ``model_dump(mode="json")``."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

ChunkKind = Literal["speaker", "roster", "event", "byline", "caption", "heading"]
AnswerType = Literal["content", "attribution", "event", "list", "abstain"]


class Record(BaseModel):
    model_config = ConfigDict(frozen=True)

    def to_json(self) -> dict:
        return self.model_dump(mode="json")


class Speaker(Record):
    """A secretary named in an article, with the organisation path as printed."""

    name: str
    title: str
    district: str
    street: str | None = None
    community: str | None = None  # 社区 / 村 / 中心; None for a street-level official
    kind: Literal["speaker", "roster"] = "speaker"
    doc_id: str = ""
    mention: tuple[int, int] = (0, 0)  # source offsets of "<label><name>", for attribution citations

    @property
    def organisation(self) -> str:
        return self.community or self.street or self.district

    @property
    def cite(self) -> str:
        """``钱坤（天府新区华阳街道广福社区党总支书记）``: the citation form used in answers."""
        return f"{self.name}（{self.label}）"

    @property
    def label(self) -> str:
        """``天府新区华阳街道广福社区党总支书记``: how the article introduces the speaker."""
        return f"{self.district}{self.street or ''}{self.community or ''}{self.title}"


class Chunk(Record):
    id: str
    doc_id: str
    kind: ChunkKind
    text: str  # exact source text (pieces joined), what answers quote
    spans: list[tuple[int, int]]  # source offsets of the pieces of ``text``
    speaker: Speaker | None = None

    @property
    def start(self) -> int:
        return self.spans[0][0]

    @property
    def end(self) -> int:
        return self.spans[-1][1]

    @property
    def context_text(self) -> str:
        """What is embedded and BM25-indexed: the quote with who said it in front."""
        if self.speaker is None:
            return self.text
        s = self.speaker
        return f"{s.label}{s.name}：{self.text}"

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
    abstained: bool
    abstain_reason: str | None = None
    answer_type: AnswerType
    citations: list[Citation] = Field(default_factory=list)
    model: str = ""
    timings_ms: dict[str, float] = Field(default_factory=dict)
