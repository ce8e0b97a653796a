"""Templated, extractive answers: the article's own sentences, each cited by speaker, title and
community, or an honest abstention that says what was found and what it lacks.

Dispatch follows what the question asks (``rag.understand``): people lists and counts and
"who is" come from the records; a comparison is answered part by part; everything else from
retrieved passages, after the answerability checks (``rag.evidence``).
"""
from __future__ import annotations

import functools
import math
import re
from dataclasses import replace

from rag.absent import MAX_MISSING_WORDS, MAX_WORD_CHARS, unknown_full_name, unknown_office, unknown_person, unknown_place
from rag.bm25 import Tokenizer
from rag.compose import MAX_ITEMS, SentencePicker, idf_table
from rag.config import Settings
from rag.follow_on import after_colon, points_after, points_before, read_on, reply_to
from rag.coverage import focus_coverage
from rag.evidence import age_of, evidence_lacks
from rag.tense import outcome_phrase
from rag.named_things import counted_not_named, lists_people, names_holder, not_the_holder_asked, view_misses_whom, which_unnamed
from rag.lexicon import ROLE_TITLES, TITLE_WORDS, cost_words, hosts
from rag.prompts import Templates
from rag.records import Entity
from rag.record_answers import RecordAnswers, abstention, citation, person_view
from rag.retrieve import Retriever
from rag.types import Answer, Chunk, Citation, Hit
from rag.understand import PERSON_NOUN, PRONOUN_RE, SAYS_RE, WHICH_PLACE_RE, WHOSE_PRONOUN_RE, Question

# The words a list question names people by (书记, 代表, 哪些人): no restriction of who is listed.
PERSON_NOUN_RE = re.compile(rf"{PERSON_NOUN}|人员|人们|哪些人")
PLACE_END = r"(?:街道|社区|镇|乡|村)$"
# (not 花/投: what was spent is a cost, asked after by its own words, rag.lexicon.cost_words)
MONEY_VERB_Q = re.compile(r"(?P<verb>[补收交发挣赚赔罚付奖给])(?:了|给|要|能|得|上|出)?多少(?:钱|元|块)")
LEAD_IN_CHARS = 60  # the end of the narration before a quote: the sentence that leads into it
DOMAIN_SHARE = 0.25  # a word in this share of all passages is the corpus's subject, not a question's focus
HEADING_ROOM = 8  # passages drawn beyond top_k for the headings and questions dropped (dev: 4, 8, 12 alike)


def _reports(chunk: Chunk) -> bool:
    """The report's own words: its narration, or a reporter's or host's turn in a transcript."""
    return chunk.speaker is None or hosts(chunk.speaker.title)


class Answerer:
    def __init__(self, retriever: Retriever, templates: Templates, tokenizer: Tokenizer,
                 titles: dict[str, str], settings: Settings, lexicon=None, subtitles: dict[str, str] | None = None):
        self.retriever, self.templates, self.tokenize = retriever, templates, tokenizer
        self.titles, self.subtitles = titles, subtitles or {}  # doc_id -> headline (cited), its subtitles
        self.settings, self.lexicon = settings, lexicon
        idf, default_idf = idf_table(retriever.document_frequencies(), len(retriever.chunks))
        self.vocabulary = frozenset(idf)  # every word of every passage
        self.domain_idf = math.log(1 + 1 / DOMAIN_SHARE)
        self.picker = SentencePicker(tokenizer, idf, default_idf, lexicon, settings.focus_similarity,
                                     settings.max_sentences, settings.rank_discount)
        self.records = RecordAnswers(retriever, templates, self._render)

    @property
    def entities(self):
        return self.retriever.entities

    def _mentioned(self, place: str) -> bool:
        # (桃坪 asked for 桃坪村: a place's short form is the start of the word the passages hold)
        return any(t in self.vocabulary or t in self._word_starts for t in self.tokenize(place))

    @functools.cached_property
    def _word_starts(self) -> frozenset[str]:
        return frozenset(w[:k] for w in self.vocabulary if len(w) >= 3 for k in range(2, len(w)))

    # ---- answers from passages ---------------------------------------------------------------
    def focus(self, q: Question) -> dict[str, float]:
        """The question's words the evidence must support: not the names or how the question
        introduces them, not the frame words, and not the corpus's own subject words (found in a quarter or more of all passages,
        like 社区 here: they tell no passage from another)."""
        return {t: w for t in self.picker.query_tokens(q, focus=True) if (w := self.picker.weight(t)) > self.domain_idf}

    def _about_named(self, q: Question, hits: list[Hit]) -> list[Hit]:
        """A question that names a person or community is answered from their passages only; a
        district or street named as the scope of an event fact (顺庆区这次交流会是哪天) is not a
        subject, so when their passages lack the fact the event's own passages stay in."""
        subjects = q.named("name") or q.named("community") or q.named("street")  # the most specific
        # A passage is about them when it is theirs, or when the report's own words name the place
        # (11月7日晚，莲池社区议事厅里…: the event facts of a named community).
        named = [h for h in hits if (h.entity_match and any(e.matches(h.chunk.speaker or h.chunk.about)
                                                               for e in subjects))
                 # (or the heading it stands under names it: 一、枫林社区雨污管网堵塞 ⏎ 整改进度：…)
                 # (a reporter or host telling on camera, 【记者 何昊】我现在是在桃源村…, reports as the text does)
                 or (_reports(h.chunk) and any(e.field != "name" and (e.value in h.chunk.text or e.value in h.chunk.section)
                                               for e in subjects))
                 or self._set_in(h.chunk.doc_id, subjects)]
        if not named:
            return hits  # a district is where things happen, not whom the question is about
        if q.asks_own_words:
            # whose view is asked: the first person named (周立群对李德华的建议是什么态度: 周立群's, not
            # 李德华's words); a view is only in their own words, never the report's about them
            subject = q.speaker_asked or min(q.named("name"), key=lambda e: q.text.find(e.surface), default=None)
            own = [h for h in named if h.chunk.speaker is not None and (subject is None or subject.matches(h.chunk.speaker))]
            if own or (q.asks == "stance" and subject is not None):
                return own
        if q.wants and not any(evidence_lacks(q, h.chunk.text) is None for h in named):
            if not q.named("name", "community"):
                return hits
            if people := q.named("name"):  # others tell a person's facts too (镇长: 曾凡宇…带动87户): by full name
                return named + [h for h in hits if h not in named and any(e.value in h.chunk.text for e in people)]
            # a community's facts may stand in the report's own words on it, never those on another
            # community (白塔社区有4860户 for 滨江社区)
            docs = {h.chunk.doc_id for h in named}
            return [h for h in hits if h in named or (
                h.chunk.speaker is None and h.chunk.kind != "roster" and h.chunk.doc_id in docs
                and (h.chunk.about is None or not (h.chunk.about.community or h.chunk.about.street)))]
        return named

    def _set_in(self, doc_id: str, subjects) -> bool:
        """A place the article's headline names (“柳塘议事厅”开议啦), or the subtitle under a channel's
        label (青溪发布｜长图文⏎…⏎——枫林街道和园社区…见闻), is where the whole report happens: naming it
        chooses the article, not the passages that repeat its name."""
        headline = self.titles.get(doc_id, "") + " " + self.subtitles.get(doc_id, "")
        # (the headline may print the short form: 柳塘议事厅 for 柳塘街道)
        return any(e.field != "name" and (e.surface in headline or re.sub(PLACE_END, "", e.value) in headline)
                   for e in subjects)

    def _variants(self, title: str):
        """Synonyms that share a character with a role word (教师 for 老师, not 主任 for 负责人)."""
        return [s for s in self._synonyms(title) if set(s) & set(title)]

    def _synonyms(self, word: str):
        return self.lexicon.synonyms(word) if self.lexicon else ()

    def count_context(self, q: Question) -> list[str]:
        """Content words of a 多少 question, one of which must stand near the quantity; with
        their synonyms (在外青年 answers 在外打拼的年轻人)."""
        words = [w for w in self.focus(q) if len(w) >= 2]
        # (政府每部给补多少钱, 每平米收多少钱: the verb that gives or takes the money names the sum,
        # 财政补助20万元, 收费标准0.35元, though one character long)
        verb = [m["verb"]] if (m := MONEY_VERB_Q.search(q.text)) and not cost_words(q.text) else []
        return words + verb + list(cost_words(q.text)) + [s for w in words for s in self._synonyms(w)]

    def names_noun(self, q: Question):
        """Whether a clause names what a 多少 question counts, as the word or a synonym (多少个老院子
        is counted by 老旧院落改造412个). Not a merely related word: 物业 is near 车位 in meaning,
        but 30多位物业负责人 is no count of 车位."""
        words = [t for t in self.tokenize(q.noun) if len(t) >= 2] or [q.noun[:2]]
        # the whole word, not a part of it: a count of 网格 is no count of 网格员
        words = [t for t in words if not any(t != u and t in u for u in words)]
        forms = words + [s for w in words for s in self._synonyms(w)]
        return lambda clause: any(f in clause for f in forms)

    def _lacks(self, q: Question, chunk: Chunk, evidence: str, named: bool = False) -> str | None:
        # Money is counted in everything (收入, 经费, 销售额): which sum is asked must be said near it.
        money = q.wants == "number" and q.unit == "元"
        if lacks := evidence_lacks(q, evidence, self.count_context(q) if money else (), self.names_noun(q)):
            return lacks
        # 那名夜班保安叫什么: a role's holder named by the role, unless the passage is of someone in
        # that role, or the question asks who said it (说…的那位居民叫啥: the speaker is the answer)
        person = chunk.speaker or chunk.about
        if q.wants == "person_name" and not (person and q.noun in person.label) and not SAYS_RE.search(q.text) \
                and (not names_holder(q.noun, evidence) or not_the_holder_asked(q.text, q.noun, evidence)):
            return f"其中没有提到这位{q.noun}的名字"
        if q.wants == "age" and (asked := q.named("name")):
            names = {e.surface for e in asked} | {e.value for e in asked}
            others = {p.name for p in self.entities.people if p.doc_id == chunk.doc_id and p.name not in names}
            theirs = any(e.matches(chunk.speaker or chunk.about) for e in asked)
            if not age_of(names, others, evidence, theirs):
                return f"其中没有提到{asked[0].surface}的年龄"
        # 路灯最后装好了没: each word cut of what came about (通过 too, cut as a preposition), or a 词林 synonym, must be said
        for word in dict.fromkeys([*self.tokenize(done := outcome_phrase(q.text)), *sorted(self.tokenize.content_words(done))]):
            if word not in evidence and not any(s in evidence for s in self._synonyms(word)):
                return f"其中没有提到“{word[:MAX_WORD_CHARS]}”"
        if (chunk.speaker is None or q.intent != "who_said") and (counted := counted_not_named(
                q.text, evidence, lambda: {p.name for p in self.entities.people if p.doc_id == chunk.doc_id})):
            return f"其中只说了“{counted}”，没有说是谁"
        if unnamed := which_unnamed(q.text, evidence, person.label if person else "", q.intent == "search"):
            return unnamed
        if q.intent in ("who_said", "who_is") and (other := self._role_lacks(q, chunk, evidence)):
            return other
        context = chunk.context_text
        if named and q.asks_own_words and chunk.speaker:
            # (卢美芬怎么评价四点半课堂: her words are about what the sentence leading into them names)
            context += "\n" + self.retriever.lead_in(chunk, LEAD_IN_CHARS)
        if unnamed := view_misses_whom(q, chunk, context):
            return unnamed
        words = self.picker.vocabulary(context)
        # (对物业费涨价的态度: a view of that, with one of its words said, or a synonym: a merely close
        # word is no evidence here, 物业管理 is near 物业费 and says nothing of a rise)
        # (nor of the report's own subject, which its headline names: 钱国华对夜话咋评价)
        if (of := self.tokenize.word_parts(q.view_object)) and not any(
                w in context + self.titles.get(chunk.doc_id, "") or any(s in context for s in self._synonyms(w)) for w in of):
            return f"其中没有说到“{q.view_object.strip()[:MAX_WORD_CHARS]}”"
        focus = self.focus(q)
        optional = self.picker.function_words(q, focus)
        if named:
            # Passages of a person or place the question names are the right place to look; their
            # words may say what was done otherwise (抱怨/吐槽, 拉起/建立): there the question's verbs
            # count when found and are never missed; the things it names (首付, 大学) must be found.
            nouns = self.tokenize.nouns(q.focus_text)
            optional |= {t for t in focus if not any(t in n for n in nouns)}
        coverage, missing = focus_coverage(focus, words, context, self.lexicon,
                                           self.settings.focus_similarity, optional)
        needed = self.settings.min_named_coverage if named else self.settings.min_coverage
        if coverage < needed:
            shown = list(dict.fromkeys(w[:MAX_WORD_CHARS] for w in missing))[:MAX_MISSING_WORDS]
            return f"但其中没有提到“{'、'.join(shown)}”"
        return None

    def _role_lacks(self, q: Question, chunk: Chunk, evidence: str) -> str | None:
        """Why the passage is no answer to a who-question naming a role ("X部长是谁"), or None."""
        # (the role asked stands by the who-word, as printed or a synonym, 指导老师 for 指导教师: 成都市委组织部
        # 部长是谁, 哪位书记说…; 把网格员比成五根手指头的是谁 asks who said it, of whatever role)
        for title in TITLE_WORDS:
            if re.search(rf"{title}(?:是谁|是哪位|叫啥|叫什么)|(?:哪位|哪个|那位|那个|谁是){title}", q.text) \
                    and not any(t in chunk.context_text for t in (title, *self._variants(title))):
                return f"其中没有提到“{title}”"
        # (the report's words on no one in particular may name them: 副主任邵雅琴就方案作了解读)
        people = [chunk.speaker or chunk.about] if (chunk.speaker or chunk.about) else [
            p for p in self.entities.people if p.doc_id == chunk.doc_id and p.name in evidence]
        for role, titles in ROLE_TITLES.items():  # 哪位领导讲话了: a community secretary is none
            if f"位{role}" in q.text and not any(t in p.label for p in people for t in titles):
                return f"其中说话的人不是{role}"
        return None

    def text_answer(self, q: Question, hits: list[Hit]) -> Answer:
        # (这个社区还有什么做法, 他说了啥, asked first: whom it means, nothing before tells)
        if not q.entities and not q.filters and (not self.tokenize(q.text) or WHOSE_PRONOUN_RE.search(q.text)):
            if PRONOUN_RE.search(q.text):
                return self.abstain(q, "问题里的“他/她/这个”指谁不清楚：请写出书记、社区或村的名字，或先问一个关于他们的问题。")
            return self.abstain(q, "问题里没有可以检索的内容词。")
        if not hits:
            return self.abstain(q, "检索不到与问题相关的段落。")
        hits = self._about_named(q, hits)
        if not hits:  # a named person's view the passages found never give in their own words
            return self.abstain(q, f"文中没有引述{q.named('name')[0].surface}本人对此的看法。")
        choice = self.picker.pick(q, hits)
        chunk = choice.hit.chunk
        evidence = " ".join(chunk.text[a:b] for a, b in choice.ranges)
        who = chunk.speaker.cite if chunk.speaker else "报道原文"
        nearest = f"最接近的材料是{who}的一段话（“{evidence[:40]}…”），"
        if lacks := self._lacks(q, chunk, evidence, named=choice.hit.entity_match):
            return self.abstain(q, nearest + lacks + "。")
        citations = [citation(choice.hit, a, b) for a, b in choice.ranges]
        if term := self.picker.unexplained_term(q, choice):
            reason = f"报道提到了“{term}”，但没有具体说明它包括哪些内容或指什么。"
            return self.abstain(q, reason).model_copy(update={"citations": citations})
        reply = reply_to(self.picker, q, choice, self.retriever.following(chunk, n=4))
        if reply and q.intent == "who_said":  # 谁回答的: the one who replied, in their words
            choice, chunk, reply = reply, reply.hit.chunk, None
            citations = [citation(choice.hit, a, b) for a, b in choice.ranges]
        more = [reply] if reply else (read_on(self.picker, q, choice, self.retriever.following(chunk))
                                      or points_after(self.picker, q, choice, self.retriever.following(chunk, n=MAX_ITEMS)))
        more = points_before(q, choice, self.retriever.preceding(chunk, n=MAX_ITEMS)) + more
        # (the other value may stand in a passage the search did not rank: 8．卢卫华　506票 in a notice's list)
        article = hits + [Hit(chunk=self.retriever.chunks[i], score=0.0) for i in self.retriever.record_ids(
            "doc_id", chunk.doc_id)] if not more and (q.two_values or q.things) else hits
        if not more and (other := self.picker.other_value(q, choice, article) or self.picker.other_thing(q, choice, article)):
            if other.hit.chunk.id == chunk.id:  # the other value in the same passage: one quote run
                citations = [citation(choice.hit, a, b) for a, b in sorted(choice.ranges + other.ranges)]
            else:
                more = [other]
        more += [announced for c in [choice] + more if (announced := after_colon(
            self.picker, c, self.retriever.following(c.hit.chunk))) and all(m.hit.chunk.id != announced.hit.chunk.id for m in more)]
        parts = [(chunk, citations)] + [(m.hit.chunk, [citation(m.hit, a, b) for a, b in m.ranges]) for m in more]
        return self._render_parts(q, sorted(parts, key=lambda p: (p[0].doc_id, p[0].start)))

    def listed_by_text(self, q: Question, mode: str | None) -> Answer | None:
        """People a list question restricts by what they did (参与起草村规的还有哪些人, 历任村支书都有谁,
        哪几位委员联名提的): the sentence that lists them, when one names two or more of the
        article's people; the records' list of everyone in scope otherwise."""
        if not {w for w in self.focus(q) if not PERSON_NOUN_RE.fullmatch(w)}:
            return None
        asked = replace(q, intent="search", asks="enumeration")
        answer = self.text_answer(asked, self.search(asked, self.settings.top_k, q.filters, q.entities, mode))
        # (any record's name: 委员赵明德、孙丽娟、马永强 may introduce only the first as this report's)
        named = {p.name for p in self.entities.people if any(p.name in c.quote for c in answer.citations)}
        # (or a list of kinds of people, or of names no record holds: 居民代表、物业公司负责人和社区民警)
        listed = any(lists_people(c.quote) for c in answer.citations)
        return None if answer.abstained or (len(named) < 2 and not listed) else answer

    def _render_parts(self, q: Question, parts: list[tuple[Chunk, list[Citation]]]) -> Answer:
        """Passages in reading order; one speaker's consecutive passages under one citation."""
        merged: list[tuple[Chunk, list[Citation]]] = []
        for chunk, citations in parts:
            last = merged[-1][0] if merged else None
            if last is not None and last.speaker and chunk.speaker and last.speaker.name == chunk.speaker.name:
                merged[-1] = (last, merged[-1][1] + citations)
            else:
                merged.append((chunk, citations))
        answers = [self._render(q, chunk, citations) for chunk, citations in merged]
        if len(answers) == 1:
            return answers[0]
        return answers[0].model_copy(update={"answer": "\n".join(a.answer for a in answers),
                                             "citations": [c for a in answers for c in a.citations]})

    def _render(self, q: Question, chunk: Chunk, citations: list[Citation]) -> Answer:
        quotes = [{"quote": c.quote, "cite": chunk.speaker.cite if chunk.speaker else ""} for c in citations]
        if chunk.speaker is None:
            text = self.templates.render("event", citations=quotes, source=self.titles.get(chunk.doc_id, chunk.doc_id),
                                         about=chunk.about.cite if chunk.about else "", question=q.text)
            return Answer(answer=text, abstained=False, answer_type="event", citations=citations)
        if q.intent == "who_said":
            quote = "".join(c["quote"] for c in quotes)
            intro = chunk.speaker.intro
            person = person_view(chunk.speaker, quote, intro if intro and intro not in quote else "")
            text = self.templates.render("attribution", people=[person], question=q.text)
            return Answer(answer=text, abstained=False, answer_type="attribution", citations=citations)
        text = self.templates.render("content", citations=quotes, question=q.text)
        return Answer(answer=text, abstained=False, answer_type="content", citations=citations)

    def abstain(self, q: Question, reason: str) -> Answer:
        return abstention(self.templates, q, reason)

    # ---- dispatch ---------------------------------------------------------------------------------
    def search(self, q: Question, top_k: int, filters: dict, entities: list[Entity], mode: str | None,
               scope: bool = False) -> list[Hit]:
        """``scope``: the place named is where to look (a comparison's part), lifted above all."""
        # The records a question is about are lifted in the ranking; a district only scopes it.
        subjects = [e for e in entities if e.field != "district"] if any(e.field != "district" for e in entities) \
            else ([] if (q.wants or q.asks) and not q.carried else entities)
        # (a place the question names is not lifted; one the filters or history supply is)
        hits = self.retriever.search(q.text, top_k=(top_k * 3 if q.wants else top_k) + HEADING_ROOM, filters=filters,
                                     entities=subjects, mode=mode, lift_places=scope or q.carried)
        # A page heading is a few words of layout, an interviewer's question no evidence: never answers
        # (nor crowds the passages out: a place named in every heading of a report set there).
        hits = [h for h in hits if h.chunk.kind not in ("heading", "question")][:top_k * 3 if q.wants else top_k]
        if WHICH_PLACE_RE.search(q.text) and not subjects:  # the place is a speaker's: their passages first
            hits = sorted(hits, key=lambda h: (h.chunk.speaker or h.chunk.about) is None)
        if q.intent == "who_said" and SAYS_RE.search(q.text):  # 提出…的是谁: someone's words before the report's
            hits = sorted(hits, key=lambda h: h.chunk.speaker is None)
        if q.asks:  # a photo caption names what is shown; how it was done is told in the text
            hits = sorted(hits, key=lambda h: h.chunk.kind == "caption")
        if q.wants:  # a question after a date or a number prefers passages that hold one
            # (a two-value question keeps the wider pool: its other value may lie paragraphs away)
            hits = sorted(hits, key=lambda h: evidence_lacks(q, h.chunk.text) is None,
                          reverse=True)[:top_k * 3 if q.two_values else top_k]
        if q.wants and not subjects and q.intent != "count":
            # 会是在哪开的 / 一共多少人参会: the event's own facts are in the report's lead, which a
            # question of two or three words may not retrieve; the sentence scores then choose.
            # (A count of the article's people has its own order: narration, then the records.)
            found = {h.chunk.id for h in hits}
            hits += [Hit(chunk=c, score=0.0) for c in self.retriever.leads({h.chunk.doc_id for h in hits})
                     if c.id not in found and evidence_lacks(q, c.text) is None]
        return hits

    def answer(self, q: Question, top_k: int | None, mode: str | None = None) -> tuple[Answer, list[Hit]]:
        """``top_k``: citations for a list (everyone when None) and passages searched otherwise."""
        listed, top_k = top_k, top_k or self.settings.top_k
        if contradiction := self.records.contradicts_filters(q):
            return contradiction, []
        missing = unknown_place(q, self.tokenize.place_names, self._mentioned) or unknown_person(q, self.entities) \
            or unknown_office(q, self.entities) or unknown_full_name(q, self.entities)
        if missing:
            return self.abstain(q, f"文中没有提到{missing}。"), []
        if q.intent == "compare":
            from rag.compare import compare_answer

            return compare_answer(self, q, top_k, mode), []
        if q.intent == "byline":
            return self.records.byline_answer(q), []
        if q.intent == "dated" and (answer := self.records.dated_answer(q)):
            return answer, []
        if q.intent == "place" and (answer := self.records.place_answer(q)):
            return answer, []
        if q.intent == "gist" and (answer := self.records.gist_answer(q)):
            return answer, []
        if q.intent == "places" and (answer := self.records.places_answer(q)):
            return answer, []
        if q.intent == "list":
            return self.listed_by_text(q, mode) or self.records.list_answer(q, listed), []
        if q.intent in ("person", "who_is") and (answer := self.records.record_answer(q)):
            return answer, []
        if q.intent in ("person", "search") and (answer := self.records.background_answer(q)):
            return answer, []
        if q.intent in ("who_said", "who_is") and (answer := self.records.holders_answer(q)):
            return answer, []
        if answer := self.records.unheld_office(q):
            return answer, []
        if (SAYS_RE.search(q.text) or q.asks or q.intent == "search") and (answer := self.records.not_quoted(q)):
            # (他得了多少票, 他退休前是干啥的: a fact of someone never quoted may be told of them by
            # the report or by others, in the passages that print their name, held as of them; their words cannot)
            told = [] if q.asks_own_words else self.records.told_of(q, self.search(q, top_k, q.filters, q.entities, mode))
            found = self.text_answer(q, told) if told else answer
            return (answer, []) if found.abstained else (found, told)
        if q.intent == "who_said" and q.named("name"):  # 谁夸周书记: anyone's words but his own
            hits = [h for h in self.search(q, top_k + 2, q.filters, q.named("community", "street", "district"), mode)
                    if not any(e.matches(h.chunk.speaker) for e in q.named("name"))][:top_k]
        else:
            hits = self.search(q, top_k, q.filters, q.entities, mode)
        answer = self.text_answer(q, hits)
        if q.intent == "count" and answer.abstained:
            # 会上来了多少个书记: the report's own count of those present (62名…书记齐聚一堂) is
            # in its narration, which a search on the question's words may rank low.
            # A count scoped to a place (郫都区有几位书记) takes only narration that names it.
            stated = [Hit(chunk=c, score=0.0) for c in self.retriever.holding(q.noun, q.filters)
                      if c.speaker is None and evidence_lacks(q, c.text) is None
                      and all(e.value in c.text or e.surface in c.text for e in q.entities)][:top_k] if q.noun else []
            if stated:
                return self.text_answer(q, stated), stated
            # The article states no such number: count the people in the records instead.
            return self.records.list_answer(q, listed), hits
        return answer, hits
