"""Templated, extractive answers: the article's own sentences, each cited by speaker, title and
community, or an honest abstention that says what was found and what it lacks."""
from __future__ import annotations

import math
import re

from rag.bm25 import Tokenizer
from rag.chunk import split_sentences
from rag.prompts import Templates
from rag.config import Settings
from rag.evidence import evidence_lacks
from rag.lexicon import QUOTED_TERM_RE, expansions
from rag.records import Person
from rag.retrieve import Retriever
from rag.types import Answer, Chunk, Citation, Hit
from rag.understand import PRONOUN_RE, Question

# Questions that ask what a quoted term is or holds: the sentence after the term usually says.
ELABORATE_RE = re.compile(r"具体|是什么|指什么|什么意思|包括|哪些|怎么|如何|内容")


class Answerer:
    def __init__(self, retriever: Retriever, templates: Templates, tokenizer: Tokenizer,
                 titles: dict[str, str], settings: Settings):
        self.retriever = retriever
        self.templates = templates
        self.tokenize = tokenizer
        self.titles = titles  # doc_id -> headline, for citing event passages
        self.min_coverage = settings.min_coverage
        self.max_sentences = settings.max_sentences
        self.rank_discount = settings.rank_discount
        n = max(len(retriever.chunks), 1)
        self.idf = {t: math.log(1 + n / d) for t, d in retriever.document_frequencies().items() if d}
        self.default_idf = math.log(1 + n)

    # ---- structured questions: answered from the speaker records --------------------------
    def people_in_scope(self, q: Question) -> tuple[str, list[Person]]:
        scopes = q.named("street") or q.named("district")
        people = self.retriever.entities.people
        if not scopes:
            return "各区（市）", people
        return scopes[0].value, [s for s in people if scopes[0].matches(s)]

    def _person(self, s: Person, quote: str = "") -> dict:
        return {"name": s.name, "label": s.label, "cite": s.cite, "quoted": s.quoted, "quote": quote}

    def _record_citation(self, s: Person) -> Citation:
        return Citation(speaker=s.name, title=s.title, community=s.community, street=s.street,
                        district=s.district, quote=s.label + s.name, start=s.mention[0],
                        end=s.mention[1], score=1.0, chunk_id=self._chunk_id(s), doc_id=s.doc_id)

    def _chunk_id(self, s: Person) -> str:
        chunks = self.retriever.chunks
        return next((chunks[i].id for i in self.retriever.record_ids("name", s.name) if chunks[i].speaker == s), "")

    def list_answer(self, q: Question) -> Answer:
        scope, people = self.people_in_scope(q)
        if q.intent == "count" and not q.named("street", "district"):
            people = [s for s in people if s.quoted] or people
        if not people:
            return self.abstain(q, f"文中没有{scope}的书记。")
        people = sorted(people, key=lambda s: not s.quoted)  # quoted first, then the roster
        text = self.templates.render(
            "list", people=[self._person(s) for s in people], scope=scope, question=q.text,
            quoted_count=sum(s.quoted for s in people),
        )
        return Answer(answer=text, abstained=False, answer_type="list",
                      citations=[self._record_citation(s) for s in people])

    def record_answer(self, q: Question) -> Answer | None:
        """Who is X / who is the secretary of Y, straight from the records."""
        if q.intent == "person":
            people = [s for e in q.named("name") for s in self.retriever.entities.people_of(e)]
        else:
            place = (q.named("community") or q.named("street"))[:1]
            people = [s for e in place for s in self.retriever.entities.people_of(e)]
            street_level = [s for s in people if s.community is None]
            people = street_level or people
        if not people:
            return None
        text = self.templates.render("attribution", people=[self._person(s) for s in people], question=q.text)
        return Answer(answer=text, abstained=False, answer_type="attribution",
                      citations=[self._record_citation(s) for s in people])

    # ---- questions answered from text ----------------------------------------------------
    def _sentence_score(self, tokens: list[str], sentence: str) -> float:
        matched = {t for t in tokens if t in sentence}
        # jieba's search mode yields 颁奖典礼 and also 颁奖, 典礼: count the longest match once.
        matched = {t for t in matched if not any(t != u and t in u for u in matched)}
        # A longer matched span (‘五线工作法’) is more specific than two short common ones.
        return sum(self.idf.get(t, self.default_idf) * max(len(t), 2) / 2 for t in matched)

    def coverage(self, question: str, text: str) -> float:
        """Share (by IDF) of the question's words that ``text`` contains, a synonym counting for its word."""
        tokens = set(self.tokenize(question))
        weight = {t: self.idf.get(t, self.default_idf) for t in tokens}
        found = sum(w for t, w in weight.items() if any(s in text for s in (t, *expansions(t))))
        return found / sum(weight.values()) if weight else 1.0

    def _fits(self, q: Question, sentence: str) -> float:
        """A sentence holding the kind of fact asked for (a date, a number…) outranks one that only shares words."""
        return self.default_idf * 2 if q.wants and evidence_lacks(q, sentence) is None else 0.0

    def pick_sentences(self, q: Question, hits: list[Hit]) -> tuple[Hit, list[tuple[int, int]]]:
        entity_tokens = {t for e in q.entities for t in self.tokenize(e.surface)}
        tokens = [t for t in self.tokenize.query(q.text) if t not in entity_tokens]
        best: tuple[float, Hit, list] | None = None
        # A question that names a speaker or place is answered from that speaker's words only.
        hits = [h for h in hits if h.entity_match] or hits
        for rank, hit in enumerate(hits):
            ranges = [r for r in split_sentences(hit.chunk.text)
                      if hit.chunk.text[r[0]:r[1]] not in q.history_quotes] or split_sentences(hit.chunk.text)
            scored = [(self._sentence_score(tokens, hit.chunk.text[a:b]) + self._fits(q, hit.chunk.text[a:b]), (a, b))
                      for a, b in ranges]
            # Sentence evidence decides; the retrieval rank only breaks near-ties.
            top = max(s for s, _ in scored) * (1 - self.rank_discount * rank)
            if best is None or top > best[0]:
                best = (top, hit, scored)
        top, hit, scored = best
        if top <= 0:
            return hit, [r for _, r in scored[:2]]
        top = max(s for s, _ in scored)
        chosen = sorted(r for s, r in sorted(scored, reverse=True)[:self.max_sentences] if s >= 0.5 * top)
        # A sentence that names a quoted term the question asks about (‘三式三有’) is usually
        # explained by the sentence after it.
        asked = set(QUOTED_TERM_RE.findall(q.text)) if ELABORATE_RE.search(q.text) else set()
        last = chosen[-1]
        following = [r for _, r in scored if r[0] >= last[1]]
        if len(chosen) < self.max_sentences and following and any(t in hit.chunk.text[last[0]:last[1]] for t in asked):
            chosen.append(following[0])
        return hit, chosen

    def _citation(self, hit: Hit, a: int, b: int) -> Citation:
        c, s = hit.chunk, hit.chunk.speaker
        return Citation(speaker=s and s.name, title=s and s.title, community=s and s.community,
                        street=s and s.street, district=s and s.district, quote=c.text[a:b],
                        start=c.offset_of(a), end=c.offset_of(b), score=hit.score, chunk_id=c.id, doc_id=c.doc_id)

    def text_answer(self, q: Question, hits: list[Hit], filtered: bool = False) -> Answer:
        if not filtered and not q.entities and not self.tokenize(q.text):
            if PRONOUN_RE.search(q.text):
                return self.abstain(q, "问题里的“他/她/这个”指谁不清楚：请写出书记、社区或村的名字，或先问一个关于他们的问题。")
            return self.abstain(q, "问题里没有可以检索的内容词。")
        if not hits:
            return self.abstain(q, "检索不到与问题相关的段落。")
        hit, ranges = self.pick_sentences(q, hits)
        chunk: Chunk = hit.chunk
        evidence = " ".join(chunk.text[a:b] for a, b in ranges)
        nearest = f"最接近的材料是{chunk.speaker.cite if chunk.speaker else '活动报道'}的一段话（“{evidence[:40]}…”），"
        named = hit.entity_match or filtered  # the user pointed at this speaker or place
        if lacks := evidence_lacks(q, evidence, about_named=named):
            return self.abstain(q, nearest + lacks + "。")
        if not named and self.coverage(q.text, chunk.context_text) < self.min_coverage:
            missing = [t for t in self.tokenize(q.text) if t not in chunk.context_text][:3]
            return self.abstain(q, nearest + f"但其中没有提到“{'、'.join(missing)}”。")
        citations = [self._citation(hit, a, b) for a, b in ranges]
        quotes = [{"quote": c.quote, "cite": chunk.speaker.cite if chunk.speaker else ""} for c in citations]
        if chunk.speaker is None:
            text = self.templates.render("event", citations=quotes, source=self.titles.get(chunk.doc_id, chunk.doc_id),
                                         question=q.text)
            return Answer(answer=text, abstained=False, answer_type="event", citations=citations)
        if q.intent == "who_said":
            person = self._person(chunk.speaker, "".join(c["quote"] for c in quotes))
            text = self.templates.render("attribution", people=[person], question=q.text)
            return Answer(answer=text, abstained=False, answer_type="attribution", citations=citations)
        text = self.templates.render("content", citations=quotes, question=q.text)
        return Answer(answer=text, abstained=False, answer_type="content", citations=citations)

    def abstain(self, q: Question, reason: str) -> Answer:
        return Answer(answer=self.templates.render("abstain", reason=reason, question=q.text),
                      abstained=True, abstain_reason=reason, answer_type="abstain")

    def answer(self, q: Question, top_k: int, filters: dict | None = None, mode: str | None = None) -> tuple[Answer, list[Hit]]:
        if q.intent == "list":
            return self.list_answer(q), []
        if q.intent in ("person", "who_is") and (answer := self.record_answer(q)):
            return answer, []
        hits = self.retriever.search(q.text, top_k=top_k * 3 if q.wants else top_k, filters=filters,
                                     entities=q.entities, mode=mode)
        if q.wants:  # a question after a date or a number prefers passages that hold one
            hits = sorted(hits, key=lambda h: (h.entity_match, evidence_lacks(q, h.chunk.text) is None),
                          reverse=True)[:top_k]
        answer = self.text_answer(q, hits, filtered=bool(filters))
        if q.intent == "count" and answer.abstained:
            # The article states no such number: count the secretaries in the records instead.
            return self.list_answer(q), hits
        return answer, hits
