"""Answers straight from the records of people and places (``rag.records``): who is X, who is
the secretary of Y, the list or count of the people a report names, who wrote or photographed
it, and the honest answer for a person who is only named, never quoted."""
from __future__ import annotations

import re
from typing import Callable

from rag.chunk import split_sentences
from rag.cutting import untitled_name
from rag.lexicon import BYLINE_PRINTED, PUBLIC_KINDS, SPEECH_VERBS, TITLE_WORDS, holds_title, is_name, title_core
from rag.prompts import Templates
from rag.records import PLACE_SUFFIXES, Person, holding
from rag.retrieve import Retriever
from rag.types import Answer, Chunk, Citation, Hit
from rag.understand import PLACE_LIST_Q, PLACE_WORD_RE, Question


def person_view(p: Person, quote: str = "", intro: str = "") -> dict:
    """A person as the templates show them (``intro``: the sentence the article introduces them in)."""
    return {"name": p.name, "label": p.label, "cite": p.cite, "quoted": p.quoted, "quote": quote, "intro": intro}



def citation(hit: Hit, a: int, b: int) -> Citation:
    """Characters ``a:b`` of a retrieved passage, cited by its speaker (none for the report's words)."""
    c, s = hit.chunk, hit.chunk.speaker
    return Citation(speaker=s and s.name, title=s and s.title, community=s and s.community,
                    street=s and s.street, district=s and s.district, quote=c.text[a:b],
                    start=c.offset_of(a), end=c.offset_of(b), score=hit.score, chunk_id=c.id, doc_id=c.doc_id)


def abstention(templates: Templates, q: Question, reason: str) -> Answer:
    return Answer(answer=templates.render("abstain", reason=reason, question=q.text),
                  abstained=True, abstain_reason=reason, answer_type="abstain")


# A name the question prints with a post before or after it (人民陪审员冯淑兰, 吴海涛科长): a person,
# whether or not the article made a record of them. Serves view questions on people named in passing.
# (a kind of person, 村民 or 居民, is no post: 枫林村的村民 names no 林村的)
_POSTS = "|".join(t for t in TITLE_WORDS if t not in PUBLIC_KINDS)
POSTED_NAME_Q = re.compile(rf"(?:{_POSTS})(?P<before>[\u4e00-\u9fff]{{3}})|(?P<after>[\u4e00-\u9fff]{{3}})(?:{_POSTS})")
SPEECH_VERBS_RE = "|".join(SPEECH_VERBS)
# Words asked of someone (说了什么, 发表了什么意见, 表态了吗), not a fact about them (顾问罗国梁是哪个单位的).
OWN_WORDS_Q = re.compile(r"(?:说|讲|谈)了?(?:什么|啥|些什么|些啥|哪些)|怎么说|发言|意见|表态|评价")


# A post of a named body (村务监督委员会主任, 红白理事会会长, 银发互助队队长).
BODY_POST_RE = re.compile(r"[\u4e00-\u9fff]{2,10}?(?:委员会|理事会|议事会|领导小组|小组|工作队|服务队|互助队|巡逻队)"
                          r"(?:副?主任|副?会长|副?组长|副?队长|委员|理事长)")


# A full date (2025年1月16日, 2024-06-26), the words that say a document was issued on it, and how
# long a header's dateline may be.
DOC_DATE_RE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}")
ISSUED_RE = re.compile(r"发布|印发|发表|刊发|签发|播出|出版|成文")
DATELINE_MAX = 30
# A lead is a passage of some length (a dateline or a one-line field is none); its first two
# sentences say what the report is about.
LEAD_MIN_CHARS = 40
LEAD_SENTENCES = 2


MAX_PLACE_CITATIONS = 10  # a list of places cites where the first ten are printed
# The places printed above one of each kind (a community's district and street, a street's district).
ABOVE = {"community": ("district", "street"), "street": ("district",), "district": ()}


def _above(p: Person, field: str) -> str:
    """The places a person's record prints above their ``field`` (龙泉驿区龙泉街道 above 魏家街社区)."""
    return "".join(getattr(p, f) or "" for f in ABOVE[field])


# What a question asks of a person's background, and how an introduction says it: work before
# or beside the post (一名退休电工, 原是, 曾在), an age (77岁的村民), the body that sent them (县农业农村局
# 派驻). Serves follow-ups and roster questions about people the report introduces in its own words.
BACKGROUND = (
    (re.compile(r"(?:以前|原来|退休前|本职)[是在]?(?:干|做|从事)|职业|干啥工作|什么工作|干什么的|干啥的|做什么的"),
     re.compile(r"退休|原[是在任]|曾[经在任]|是一名|当过|干过|做过")),
    (re.compile(r"(?:今年|现在)?(?:多大了?|多大年纪|几岁|多少岁)(?=[？?。]|$)"),
     re.compile(r"\d{1,3}岁|[二三四五六七八九]十[一二三四五六七八九]?岁")),
    (re.compile(r"哪个单位|什么单位|派下来|派来的|哪派的"), re.compile(r"派驻|选派|下派|[局委办院部厅]派")),
)
# A person the report's own words name this many times is the story's subject, not one named in
# passing (dev sweep 2/3/4: +4/+4/+2 net).
SUBJECT_MENTIONS = 3

# A title word inside a body's name (律师事务所, 医生协会): the body, not the post.
BODY_AFTER_TITLE_RE = re.compile(r"[\u4e00-\u9fff]{2}(?=事务所|协会|学会|工作室)")


FIELD_NAMES = {"district": "区", "street": "街道", "community": "社区", "name": "发言人", "doc_id": "文章"}


class RecordAnswers:
    def __init__(self, retriever: Retriever, templates: Templates, render: Callable):
        self.retriever = retriever
        self.templates = templates
        self.render = render  # how the answerer shows a passage's citations (for a byline)

    @property
    def entities(self):
        return self.retriever.entities

    def contradicts_filters(self, q: Question) -> Answer | None:
        """The question names someone or somewhere the active filters exclude: say so, never
        answer with another person's words."""
        person_filters = {f: v for f, v in q.filters.items() if f != "doc_id"}
        if not person_filters:
            return None
        for e in q.entities:
            if not q.carried and not self.entities.within(e, person_filters):
                shown = "、".join(f"{FIELD_NAMES.get(f, f)}：{v}" for f, v in person_filters.items())
                return abstention(self.templates, q, f"当前筛选条件（{shown}）与问题中的“{e.surface}”不符，"
                                  f"筛选范围内没有关于“{e.surface}”的内容。请清除筛选后再问。")
        return None

    def people_in_scope(self, q: Question) -> tuple[str, list[Person]]:
        scopes = q.named("street") or q.named("district") or q.named("community")
        people = [p for p in self.entities.people if p.inside(q.filters)]
        if re.search(r"书记", q.text):  # "哪些书记" lists secretaries; "哪些人/嘉宾" everyone
            people = [p for p in people if p.is_secretary]
        if not scopes:
            return "", people
        return scopes[0].value, [p for p in people if scopes[0].matches(p)]

    def record_citation(self, p: Person) -> Citation:
        """A person's first quoted sentence when they speak; else where the article names them,
        cited as the words of whoever names them there (周建华's speech naming 妇联主席刘春梅)."""
        chunk = self._first_chunk(p)
        if chunk is not None and chunk.kind == "speaker":
            a, b = split_sentences(chunk.text)[0]
            return citation(Hit(chunk=chunk, score=1.0), a, b)
        if not p.quoted and (named_in := self._named_in_speech(p)):
            return named_in
        return Citation(speaker=p.name, title=p.title, community=p.community, street=p.street,
                        district=p.district, quote=p.label + p.name, start=p.mention[0], end=p.mention[1],
                        score=1.0, chunk_id=chunk.id if chunk else "", doc_id=p.doc_id)

    def _named_in_speech(self, p: Person) -> Citation | None:
        """The sentence of someone's words that names ``p`` with their post, if any."""
        mention = p.label + p.name
        for i in self.retriever.record_ids("doc_id", p.doc_id):
            chunk = self.retriever.chunks[i]
            if chunk.kind == "speaker" and chunk.speaker.name != p.name and mention in chunk.text:
                found = next(((a, b) for a, b in split_sentences(chunk.text) if mention in chunk.text[a:b]), None)
                if found:
                    return citation(Hit(chunk=chunk, score=1.0), *found)
        return None

    def _first_chunk(self, p: Person) -> Chunk | None:
        chunks = [self.retriever.chunks[i] for i in self.retriever.record_ids("name", p.name)]
        mine = [c for c in chunks if c.speaker is not None and c.speaker.doc_id == p.doc_id]
        return next((c for c in mine if c.kind == "speaker"), mine[0] if mine else None)

    def list_answer(self, q: Question, top_k: int | None) -> Answer:
        unknown = [w for w in PLACE_WORD_RE.findall(q.text)
                   if not self.entities.find(w) and not re.search("[哪些的了提到里有在个这那]", w)]
        if unknown and not q.entities:  # 郫都区有哪些书记 in an article about another city
            return abstention(self.templates, q, f"文中没有提到{unknown[0]}。")
        scope, people = self.people_in_scope(q)
        noun = "书记" if "书记" in q.text else "人"
        if q.intent == "count" and not scope:
            people = [p for p in people if p.quoted] or people
        if not people:
            return abstention(self.templates, q, f"文中没有提到{scope or '符合条件'}的{noun}。")
        people = sorted(people, key=lambda p: not p.quoted)  # quoted first, then the roster
        text = self.templates.render("list", people=[person_view(p) for p in people], scope=scope or "文中",
                                     noun=noun, quoted_count=sum(p.quoted for p in people), question=q.text)
        return Answer(answer=text, abstained=False, answer_type="list",
                      citations=[self.record_citation(p) for p in people[:top_k]])

    def record_answer(self, q: Question) -> Answer | None:
        """Who is X / who is the secretary of Y, straight from the records."""
        # (律师 in 律师事务所 is part of a body's name, not a title asked)
        text = BODY_AFTER_TITLE_RE.sub("", q.text)
        asked = [t for t in TITLE_WORDS if t in text and not any(t != u and t in u for u in TITLE_WORDS if u in text)]
        titles = [title_core(t) for t in asked]
        # (a post asked in full, 党工委书记, is never its deputy's; a loose 书记 may be the deputy)
        strict = any(t != title_core(t) for t in asked)
        if q.intent == "person":
            people = [p for e in q.named("name") for p in self.entities.people_of(e) if p.inside(q.filters)]
            # "孙丽萍在哪所大学当教授": a title the person does not hold is not answered with another.
            if people and titles and not any(holds_title(p.title, t) for t in titles for p in people):
                p = people[0]
                answer = abstention(self.templates, q, f"文中{p.cite}的职务是{p.title}，没有提到“{titles[0]}”。")
                return answer.model_copy(update={"citations": [self.record_citation(p)]})
        elif body_post := BODY_POST_RE.search(q.text):
            # 村务监督委员会主任是谁: a post of a named body is held by whoever's label names that body's
            # post (黄福全, 村务监督委员会主任), never by the place's other 主任 (村委会主任)
            # (石桥村村务监督委员会主任: the place before the body is no part of the title as printed)
            post = body_post.group()
            people = next((found for i in range(len(post) - 3) if (found := [
                p for p in self.entities.people if p.inside(q.filters) and post[i:] in p.label])), [])
            if not people:
                return None
        else:
            place = (q.named("community") or q.named("street") or q.named("district"))[:1]
            # (within the filters: 玉泉社区 of the report being read, not a namesake of another)
            people = [p for e in place for p in self.entities.people_of(e) if p.inside(q.filters)]
            if titles:  # 桂花镇的镇长叫啥: only that title answers, the place's own holder first
                people = next((found for pool in ([p for p in people if p.community is None], people)
                               if (found := holding(pool, titles, strict))), [])
                # (桐川县民政局局长: an office of a body in the place, held by whoever's label names the body)
                people = people or [p for _, held in self.entities.offices(q.text, q.filters) for p in held]
                if not people and place and titles[0] not in PUBLIC_KINDS:
                    return abstention(self.templates, q, f"文中没有提到{place[0].value}的{titles[0]}。")
            # The street's own voice: a street-level official before the communities under it.
            people = [p for p in people if p.community is None] or people
        # (a person the records know by name only, 他叫高明, has no post or place to tell: the text does)
        people = [p for p in people if p.title or p.organisation]
        return self._who_they_are(q, people)

    def holders_answer(self, q: Question) -> Answer | None:
        """Who holds a post the report gives several people or one (这期节目的主持人是谁, 评议员都有谁),
        asked with no place or person named: each holder, from the records."""
        if q.entities:
            return None
        m = re.search(r"([\u4e00-\u9fff]{2,6}?)(?:都|分别|各)?(?:是谁|是哪位|是哪几位|叫什么|叫啥|有谁|有哪些人)", q.text)
        if not m:
            return None
        # the post as the question ends it (节目的主持人: 主持人), as the records print it
        # (the longest post anyone holds: 驻村第一书记 is 龚晓玥's, not every 书记's)
        posts = [m.group(1)[i:] for i in range(len(m.group(1)) - 1)]
        inside = [p for p in self.entities.people if p.inside(q.filters) and p.title]
        people = next((held for post in posts if (held := [p for p in inside if p.title.split("、")[-1] == post])), [])
        return self._who_they_are(q, people)

    def background_answer(self, q: Question) -> Answer | None:
        """Who a named person is or was (他以前是干啥工作的, 王德贵多大了, 她从哪个单位派下来的),
        when the words the report introduces them with say it: 志愿服务队队长邓国华是一名退休电工."""
        asked = next((says for pattern, says in BACKGROUND if pattern.search(q.text)), None)
        people = [p for e in q.named("name")[:1] for p in self.entities.people_of(e) if p.inside(q.filters)]
        if asked is None or not people or not people[0].intro:
            return None
        return self._who_they_are(q, people[:1]) if asked.search(people[0].intro.replace(people[0].name, "")) else None

    def _who_they_are(self, q: Question, people: list[Person]) -> Answer | None:
        """Each person as the records and the article's introduction give them; None for no one."""
        if not people:
            return None
        shown = [person_view(p, intro=p.intro) for p in people]
        return Answer(answer=self.templates.render("attribution", people=shown, question=q.text), abstained=False,
                      answer_type="attribution", citations=[self.record_citation(p) for p in people])

    def unheld_office(self, q: Question) -> Answer | None:
        """新河社区的党委书记叫什么 where no record is of 新河社区: the office of a place the records
        hold no one of is not answered with another place's holder."""
        m = re.search(rf"(?<![的个])([\u4e00-\u9fff]{{2,6}}?(?:社区|村|街道|镇|乡))的?({'|'.join(TITLE_WORDS)})"
                      r"(?:是谁|叫什么|叫啥|是哪位)", q.text)
        if not m or q.entities:
            return None
        # (in a one-village report no one's label prints the village: its 村党支部书记 is still it)
        people = self.entities.unrecorded_place_people(m.group(1), q.filters)
        if people is None or any(m.group(2) in p.label for p in people):
            return None
        return abstention(self.templates, q, f"文中没有提到{m.group(1)}的这一职务由谁担任。")

    def not_quoted(self, q: Question) -> Answer | None:
        """A person the question asks about who is only named, never quoted: say exactly that.
        (a namesake quoted in another article is someone else: 杨秀兰 of 柳塘村 is not 岔河村's)"""
        people = [p for e in q.named("name") for p in self.entities.people_of(e) if p.inside(q.filters)]
        if not q.named("name"):
            return self._unrecorded_not_quoted(q)
        if not people or any(p.quoted for p in people):
            return None
        # (the one a profile or a memorial tells of, named again and again in the report's own
        # words, is its subject: what they did is told, though never in their words)
        told = sum(c.text.count(people[0].name) for c in self._doc_chunks(people[0].doc_id) if c.kind == "event")
        if told >= SUBJECT_MENTIONS:
            return None
        p = people[0]
        answer = abstention(self.templates, q, f"{p.cite}只在文中被列名提到，报道没有引述其发言或介绍其做法。")
        return answer.model_copy(update={"citations": [self.record_citation(p)]})

    def told_of(self, q: Question, hits: list[Hit]) -> list[Hit]:
        """The passages that print the name of someone the question names, or are the report's
        words on them (事迹简介 under their entry), held as of them."""
        return [h.model_copy(update={"entity_match": True}) for h in hits if h.chunk.kind != "roster" and any(
            e.value in h.chunk.text or e.matches(h.chunk.about) for e in q.named("name"))]

    def _unrecorded_not_quoted(self, q: Question) -> Answer | None:
        """The view or words asked of someone the question names with a post (范丽萍科长, 人民陪审员
        冯淑兰) whom no record holds: printed in passing (…列席会议, 带着抢修队…), never quoted."""
        if not (q.asks == "stance" or OWN_WORDS_Q.search(q.text)):
            return None
        chunks = self._doc_chunks(q.filters.get("doc_id")) or self.retriever.chunks
        names = [m["before"] or m["after"] for m in POSTED_NAME_Q.finditer(q.text)]
        # (韦小曼对合作社有啥看法: the question's subject, whom the article prints after a post, 驻村第一书记韦小曼)
        if (lead := re.match(r"[\u4e00-\u9fff]{3}", q.text)) and any(re.search(f"(?:{_POSTS}){lead.group()}", c.text) for c in chunks):
            names.append(lead.group())
        for name in names:
            printed = [c for c in chunks if name in c.text] if is_name(name) and untitled_name(name) else []
            # (项目经理何志强告诉记者，…: a speech verb by the name is speech the parse may have missed)
            if printed and not any(c.speaker is not None and c.speaker.name == name for c in chunks) and not any(
                    re.search(f"{name}[^，。“”]{{0,12}}?(?:{SPEECH_VERBS_RE}|[：:]“)", c.text) for c in printed):
                answer = abstention(self.templates, q, f"{name}只在文中被提到，报道没有引述其本人的发言或看法。")
                chunk = printed[0]
                a, b = next(((x, y) for x, y in split_sentences(chunk.text) if name in chunk.text[x:y]), (0, len(chunk.text)))
                return answer.model_copy(update={"citations": [citation(Hit(chunk=chunk, score=1.0), a, b)]})
        return None

    def _doc_chunks(self, doc_id: str | None) -> list[Chunk]:
        """An article's chunks in reading order (none for no article)."""
        return [self.retriever.chunks[i] for i in self.retriever.record_ids("doc_id", doc_id)] if doc_id else []

    def dated_answer(self, q: Question) -> Answer | None:
        """The date a document was issued, from its own lines: one that says so (发布时间：…, …印发,
        播出时间：…), else a date standing alone in its header (（2025年1月16日）, 2024-06-26 18:30
        发表于福建). None when no document is chosen or none of its lines dates it."""
        lines = [(c, m.start(), m.end()) for c in self._doc_chunks(q.filters.get("doc_id"))
                 for m in re.finditer(r"[^\n]+", c.text)]
        dated = [(c, a, b) for c, a, b in lines if DOC_DATE_RE.search(c.text[a:b])]
        said = [x for x in dated if ISSUED_RE.search(x[0].text[x[1]:x[2]])]
        header = [x for x in dated if x[0].kind in ("heading", "byline") or len(x[0].text[x[1]:x[2]]) <= DATELINE_MAX]
        if not (said or header):
            return None
        chunk, a, b = (said or header)[0]
        return self.render(q, chunk, [citation(Hit(chunk=chunk, score=1.0), a, b)])

    def place_answer(self, q: Question) -> Answer | None:
        """Which street, town, district or county a named place lies in, from the records of the
        people placed there (the first whose record prints a place above it)."""
        place = (q.named("community") or q.named("street"))[:1]
        for p in (p for e in place for p in self.entities.people_of(e) if p.inside(q.filters)):
            if within := _above(p, place[0].field):
                quote = p.label + p.name
                text = self.templates.render("place", place=place[0].value, within=within, quote=quote, question=q.text)
                return Answer(answer=text, abstained=False, answer_type="place", citations=[self.record_citation(p)])
        return None

    def gist_answer(self, q: Question) -> Answer | None:
        """What a document is about: the first sentences of its lead, the first passage of the
        report's own words or anyone's after its headline and bylines. The document is the one the
        filters choose, or the only one indexed; None otherwise."""
        chunks = self.retriever.chunks
        only = chunks[0].doc_id if chunks and len(self.retriever.record_ids("doc_id", chunks[0].doc_id)) == len(chunks) else None
        lead = next((c for c in self._doc_chunks(q.filters.get("doc_id") or only) if c.kind in ("event", "speaker")
                     and len(c.text) >= LEAD_MIN_CHARS), None)
        if lead is None:
            return None
        ranges = split_sentences(lead.text)[:LEAD_SENTENCES]
        return self.render(q, lead, [citation(Hit(chunk=lead, score=1.0), a, b) for a, b in ranges])

    def places_answer(self, q: Question) -> Answer | None:
        """The places of the kind asked (社区, 街道, 区) that the records hold, within a place the
        question names, each with those above it; None when the records hold none."""
        kind = PLACE_LIST_Q.search(q.text)["kind"]
        field = next(f for f, kinds in PLACE_SUFFIXES.items() if kind in kinds)
        scope, people = self.people_in_scope(q)
        found: dict[str, Person] = {}
        for p in people:
            if (value := getattr(p, field)) and value.endswith(kind) and value != scope:
                found.setdefault(value, p)
        if not found:
            return None
        places = [{"name": v, "within": _above(p, field)} for v, p in found.items()]
        text = self.templates.render("places", places=places, kind=kind, scope=scope, question=q.text)
        return Answer(answer=text, abstained=False, answer_type="list",
                      citations=[self.record_citation(p) for p in list(found.values())[:MAX_PLACE_CITATIONS]])

    def byline_answer(self, q: Question) -> Answer:
        chunks = [c for c in self.retriever.chunks if c.kind == "byline"
                  and all(v == c.doc_id for f, v in q.filters.items() if f == "doc_id")]
        for chunk in chunks:
            for a, b in ([(m.start(), m.end()) for m in re.finditer(r"[^\n]+", chunk.text)]):
                if any(w in chunk.text[a:b] for w in BYLINE_PRINTED.get(q.role, (q.role,))):
                    hit = Hit(chunk=chunk, score=1.0)
                    return self.render(q, chunk, [citation(hit, a, b)])
        return abstention(self.templates, q, f"报道的署名里没有{q.role}。")
