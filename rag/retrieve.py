"""Hybrid retrieval: BM25 and FAISS ranks fused, with the speaker records steering both.

The fallback embedding model reads Chinese poorly, so fusion is rank-based with BM25 weighted
above dense (``make eval`` compares the channels); a chunk whose speaker, community, street or
district the question names is lifted above the rest.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from rag.config import Settings
from rag.embed import Embedder
from rag.store import Index
from rag.types import Chunk, Hit, Speaker

FIELDS = ("name", "community", "street", "district")
SUFFIXES = {"community": ("社区", "村", "中心"), "street": ("街道", "镇", "乡"), "district": ("新区", "区", "市", "县")}


@dataclass(frozen=True)
class Entity:
    field: str  # one of FIELDS
    value: str  # canonical form, as in the speaker records
    surface: str  # what the question said

    def matches(self, speaker: Speaker | None) -> bool:
        return speaker is not None and getattr(speaker, self.field) == self.value


class EntityIndex:
    """Every name and place in the speaker records, plus short forms (``莲花`` for ``莲花社区``)."""

    def __init__(self, speakers: list[Speaker]):
        self.speakers = speakers
        self.surfaces: dict[str, set[tuple[str, str]]] = {}
        for s in speakers:
            for field in FIELDS:
                value = getattr(s, field)
                if not value:
                    continue
                self.surfaces.setdefault(value, set()).add((field, value))
                for suffix in SUFFIXES.get(field, ()):
                    short = value[: -len(suffix)]
                    if value.endswith(suffix) and len(short) >= 2:
                        self.surfaces.setdefault(short, set()).add((field, value))
        self._pattern = (
            re.compile("|".join(re.escape(s) for s in sorted(self.surfaces, key=len, reverse=True)))
            if self.surfaces else None
        )

    def find(self, text: str) -> list[Entity]:
        """Entities named in ``text``, longest match first, in order of appearance."""
        if not self._pattern:
            return []
        found: list[Entity] = []
        for match in self._pattern.finditer(text):
            for field, value in sorted(self.surfaces[match.group()]):
                entity = Entity(field, value, match.group())
                if entity not in found:
                    found.append(entity)
        return found

    def people(self, entity: Entity) -> list[Speaker]:
        return [s for s in self.speakers if entity.matches(s)]


class Retriever:
    def __init__(self, index: Index, embedder: Embedder | None, settings: Settings):
        self.index = index
        self.chunks: list[Chunk] = index.chunks
        self.embedder = embedder
        self.settings = settings
        self.entities = EntityIndex(unique_speakers(self.chunks))
        by_record: dict[tuple[str, str], list[int]] = {}
        for i, chunk in enumerate(self.chunks):
            for field in FIELDS:
                if chunk.speaker is not None and (value := getattr(chunk.speaker, field)):
                    by_record.setdefault((field, value), []).append(i)
        self._by_record = {key: np.array(ids, dtype=int) for key, ids in by_record.items()}
        # Chat users click the same example questions again and again; their vectors are reused.
        self.query_vector = lru_cache(maxsize=4096)(embedder.embed_query) if embedder else None

    def record_ids(self, field: str, value: str) -> np.ndarray:
        """Chunks whose speaker record has ``field == value`` (precomputed: no loop per query)."""
        return self._by_record.get((field, value), np.zeros(0, dtype=int))

    def _allowed(self, filters: dict[str, str] | None) -> np.ndarray | None:
        """Mask of chunks the filters allow; None when nothing is filtered."""
        mask = None
        for field, value in (filters or {}).items():
            if value:
                ids = np.zeros(len(self.chunks), dtype=bool)
                ids[self.record_ids(field, value)] = True
                mask = ids if mask is None else mask & ids
        return mask

    def bm25_channel(self, question: str, allowed: np.ndarray | None) -> dict[int, float]:
        """Chunk -> BM25 score, best first, for the top candidates with any matching word."""
        scores = self.index.bm25.scores(question)
        if allowed is not None:
            scores = np.where(allowed, scores, 0.0)
        positive = np.flatnonzero(scores > 0)
        k = self.settings.candidates
        if len(positive) > k:  # top k without sorting every chunk; ties go to the earlier chunk
            cut = -np.partition(-scores[positive], k - 1)[k - 1]
            above, tied = positive[scores[positive] > cut], positive[scores[positive] == cut]
            positive = np.concatenate([above, tied[: k - len(above)]])
        order = positive[np.lexsort((positive, -scores[positive]))]
        return {int(i): float(scores[i]) for i in order}

    def dense_channel(self, question: str, allowed: np.ndarray | None) -> dict[int, float]:
        """Chunk -> cosine similarity, best first."""
        if self.embedder is None:
            return {}
        k = min(self.settings.candidates, len(self.chunks))
        vector = self.query_vector(question)
        if allowed is None:
            scores, ids = self.index.vectors.search(vector, k)
        else:  # exact scores over the allowed chunks only
            scores, ids = self.index.vectors.search_among(vector, np.flatnonzero(allowed), k)
        return {int(i): float(v) for v, i in zip(scores, ids)}

    def search(self, question: str, top_k: int = 3, filters: dict[str, str] | None = None,
               entities: list[Entity] | None = None, mode: str | None = None) -> list[Hit]:
        mode = mode or self.settings.retrieval_mode
        allowed = self._allowed(filters)
        bm25 = self.bm25_channel(question, allowed) if mode in ("bm25", "hybrid") else {}
        dense = self.dense_channel(question, allowed) if mode in ("dense", "hybrid") else {}
        fused = self._fuse(bm25, dense, mode)
        bm25_rank, dense_rank = ({i: r for r, i in enumerate(ch, 1)} for ch in (bm25, dense))
        entities = self.entities.find(question) if entities is None else entities
        named: set[int] = set()
        for e in entities:
            named.update(int(i) for i in self.record_ids(e.field, e.value) if allowed is None or allowed[i])
        for i in sorted(named):
            fused.setdefault(i, 0.0)
        best = sorted(fused, key=lambda i: (i in named, fused[i]), reverse=True)[:top_k]
        return [
            Hit(chunk=self.chunks[i], score=round(float(fused[i]), 6), bm25_rank=bm25_rank.get(i),
                dense_rank=dense_rank.get(i), entity_match=i in named)
            for i in best
        ]

    def _fuse(self, bm25: dict[int, float], dense: dict[int, float], mode: str) -> dict[int, float]:
        s = self.settings
        wb, wd = (s.bm25_weight, s.dense_weight) if mode == "hybrid" else (1.0, 1.0)
        fused: dict[int, float] = {}
        for channel, weight in ((bm25, wb), (dense, wd)):
            if s.fusion == "rrf":
                contributions = {i: 1 / (s.rrf_k + r) for r, i in enumerate(channel, 1)}
            else:
                # weighted: scores scaled to [0, 1] within the channel, so a confident BM25 match
                # keeps its margin instead of being flattened into a rank
                lo, hi = min(channel.values(), default=0.0), max(channel.values(), default=0.0)
                contributions = {i: (v - lo) / (hi - lo) if hi > lo else 1.0 for i, v in channel.items()}
            for i, value in contributions.items():
                fused[i] = fused.get(i, 0.0) + weight * value
        return fused


def unique_speakers(chunks: list[Chunk]) -> list[Speaker]:
    seen: dict[tuple, Speaker] = {}
    for chunk in chunks:
        if chunk.speaker is not None:
            seen.setdefault((chunk.speaker.doc_id, chunk.speaker.name, chunk.speaker.label), chunk.speaker)
    return list(seen.values())
