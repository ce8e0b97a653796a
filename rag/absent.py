"""What the material does not hold: a person, an office or a place the question is about that no
record or passage has. Each check returns how to name what is missing (None when it is there),
so the answerer can say exactly that instead of answering with someone else's words.
"""
from __future__ import annotations

import re

from rag.lexicon import ADDRESS_FORMS, ROLE_TITLES
from rag.mention_grammar import SURNAME_CHARS
from rag.records import EntityIndex
from rag.understand import Question

# An abstention names at most this many missing words, each at most this long: enough to say
# what is missing without echoing a long or hostile question back.
MAX_MISSING_WORDS, MAX_WORD_CHARS = 3, 8
# 顾书记, 社区的王主任: a surname and a post, standing alone (not the 委书记 inside 党委书记).
ADDRESSED_RE = re.compile(rf"(?:^|(?<=[^\u4e00-\u9fff])|(?<=[的和与跟同及问找请]))"
                          rf"(?P<who>[{SURNAME_CHARS}](?:{'|'.join(ADDRESS_FORMS)}))")


def unknown_person(q: Question, entities: EntityIndex) -> str | None:
    """Someone the question addresses by surname and post (顾书记, 王主任) whom no record fits."""
    if q.named("name"):
        return None
    for m in ADDRESSED_RE.finditer(q.text):
        if not entities.find(m["who"]):
            return m["who"]
    return None


def unknown_office(q: Question, entities: EntityIndex) -> str | None:
    """An office the question asks about (县司法局局长讲了啥) that no one in the records holds,
    within the filters."""
    if q.named("name"):
        return None
    return next((office for office, holders in entities.offices(q.text, q.filters)
                 if not holders and office not in ROLE_TITLES), None)  # (专家 unheld: the words may still say)


def unknown_place(q: Question, place_names, known) -> str | None:
    """A place the question is about that no passage mentions (北京朝阳区 in reports on Chengdu),
    whatever else the question shares with it. Only when every place it names is unknown: 四川成都
    about Chengdu is still answered. ``place_names(text)``: the places a text names;
    ``known(place)``: whether a passage mentions it."""
    if q.entities:
        return None
    places = place_names(q.text)
    unknown = [p for p in places if not known(p)]
    return "".join(unknown[:MAX_MISSING_WORDS]) if unknown and len(unknown) == len(places) else None


# A full name asked of someone the report calls only 老孙 or 小吴 (老孙全名叫啥, 网格员小吴全名叫什么).
FULL_NAME_Q = re.compile(r"全名|大名|真名|本名|全称叫")
FAMILIAR_RE = re.compile(rf"[老小][{SURNAME_CHARS}]")


def unknown_full_name(q: Question, entities: EntityIndex) -> str | None:
    """The familiar name whose full name the question asks, when no record gives one."""
    if not FULL_NAME_Q.search(q.text):
        return None
    for m in FAMILIAR_RE.finditer(q.text):
        people = [p for e in entities.find(m.group()) for p in entities.people_of(e)]
        if not any(p.name != m.group() for p in people):
            return f"{m.group()}的全名"
    return None
