"""What comes after the chosen sentences: the paragraph that says what was done after one that
states the problem, what a colon announces, the reply to a question asked in the material, and
points that run past their passage. Each takes the sentence picker and the passages that follow
the chosen one in reading order (``Retriever.following``)."""
from __future__ import annotations

import re

from rag.chunk import split_sentences
from rag.compose import MAX_ITEMS, POINT_HEAD_CHARS, POINT_RE, Choice, SentencePicker, says_what_was_done
from rag.turns import PUBLIC
from rag.types import Hit
from rag.understand import Question


def read_on(picker: SentencePicker, q: Question, choice: Choice, following: list) -> list[Choice]:
    """A method question whose chosen sentences only state the problem (以前停车难、吵架多):
    reports say what was done in the next paragraph. Read on through the passages after it
    about the same person, up to the first that says what was done; nothing if none does."""
    if q.asks != "method" or q.intent == "who_said":
        return []
    text, subject = choice.hit.chunk.text, choice.hit.chunk.speaker or choice.hit.chunk.about
    told = choice.hit.chunk.speaker is None  # the report's own words: its story goes on past people
    if (subject is None and not told) or any(says_what_was_done(text[a:b]) for a, b in choice.ranges):
        return []
    chosen = "".join(text[a:b] for a, b in choice.ranges)
    named = {e.surface for e in q.entities}
    if told and not any(w in chosen for w in picker.tokenize.content_words(q.focus_text) if w not in named):
        return []  # narration that only names the place asked about states no problem of it
    taken, start = [], choice.hit.chunk.start
    for chunk in following:
        person = chunk.speaker or chunk.about
        if chunk.kind not in ("event", "speaker"):
            break  # a heading or a byline ends the story
        if not told and (person is None or person.name != subject.name):
            break  # the next paragraph is about someone else
        # only what comes after it (a passage around a quote also has pieces before it)
        after = [r for r in split_sentences(chunk.text) if chunk.offset_of(r[1]) > start]
        ranges = tuple(after[:picker.points_end(chunk.text, after, 0, picker.max_sentences)])
        if not ranges:
            continue
        taken.append(Choice(Hit(chunk=chunk, score=choice.hit.score), ranges, 0.0))
        if any(says_what_was_done(chunk.text[a:b]) for a, b in ranges):
            return taken
    return []


def after_colon(picker: SentencePicker, choice: Choice, following: list) -> Choice | None:
    """Chosen words that end in a colon (吴德华当场表态：, 具体措施如下：) announce what comes
    next: the passage right after them, which a quote or a list is parsed into. Serves every
    question whose answer a report introduces before giving it."""
    text = choice.hit.chunk.text
    end = choice.ranges[-1][1]
    if not text[:end].rstrip().endswith(("：", ":")):
        return None
    at = choice.hit.chunk.offset_of(end)
    for chunk in following:
        after = [r for r in split_sentences(chunk.text) if chunk.offset_of(r[1]) > at]
        if after and chunk.offset_of(after[0][0]) - at <= 2:  # right after it: the colon's own
            return Choice(Hit(chunk=chunk, score=choice.hit.score),
                          tuple(after[:picker.points_end(chunk.text, after, 0, picker.max_sentences)]), 0.0)
    return None


def _calls_in(q: Question, choice: Choice) -> bool:
    """A caller described, not named (听众王女士, 尾号0716的听众), telling their trouble: how it
    is to be solved is in the reply, not in the call. Serves method questions on call-in shows."""
    caller = choice.hit.chunk.speaker
    return q.asks == "method" and caller is not None and bool(re.fullmatch(PUBLIC, caller.title)) \
        and caller.title in caller.name


REPLIED_Q = re.compile(r"回答|答复|解答|回复|作答|答的")


def reply_to(picker: SentencePicker, q: Question, choice: Choice, following: list) -> Choice | None:
    """Chosen words that are themselves a question (一楼要是还不签字咋办？, 热线转办后怎么就没了下文？)
    restate what is asked: in a transcript, a hearing or a comment thread the answer is the
    reply that follows. The next passage, by someone else, after them; None if there is none.
    Serves every question whose words a resident or a host asked first."""
    text = choice.hit.chunk.text
    calling = _calls_in(q, choice)
    # (a named person's own rhetorical question, 采光怎么办？, is their answer: their words are asked;
    # who said it asks the asker, unless it asks who answered: 谁回答…, 谁解答的)
    if (q.intent == "who_said" and not REPLIED_Q.search(q.text)) or q.asks_own_words or not (all(
            text[a:b].rstrip("”’」 ").endswith(("？", "?")) for a, b in choice.ranges) or calling):
        return None
    asker = choice.hit.chunk.speaker
    at = choice.hit.chunk.offset_of(choice.ranges[-1][1])
    for chunk in following:
        if chunk.start < at or chunk.kind not in ("speaker", "event") or chunk.doc_id != choice.hit.chunk.doc_id:
            continue
        if chunk.speaker is not None and asker is not None and chunk.speaker.name == asker.name:
            return None  # the asker goes on: no reply yet
        if calling:  # (a long reply: the sentences of it on what is asked)
            return picker.pick(q, [Hit(chunk=chunk, score=choice.hit.score)])
        ranges = split_sentences(chunk.text)
        return Choice(Hit(chunk=chunk, score=choice.hit.score),
                      tuple(ranges[:picker.points_end(chunk.text, ranges, 0, picker.max_sentences)]), 0.0)
    return None


# A list's own first item (1. …, 一是…, 第一，…, 首先): no item comes before it.
FIRST_POINT_RE = re.compile(r"[\s“]*(?:一是|一要|第一[，、,]|其一|首先|[1１][.、．])")


def points_before(q: Question, choice: Choice, preceding: list) -> list[Choice]:
    """哪几类岗位 asked of a list printed one item to a line (1. 结对探访员… ⏎ … ⏎ 5. 活动策划…) whose
    chosen item is not its first: the items before it, back to the first, nearest last. Serves
    enumeration questions on notices, plans and numbered reports."""
    if q.asks != "enumeration" or q.intent == "who_said" or not POINT_RE.match(choice.hit.chunk.text) \
            or FIRST_POINT_RE.match(choice.hit.chunk.text):
        return []
    taken = []
    for chunk in preceding:  # nearest first
        # (the first item may share the list's head paragraph: 本次共招募志愿者80名：⏎1. 结对探访员…)
        headed = re.search(r"[：:]\s*(?=(?:一是|第一|其一|首先|[1１][.、．]))", chunk.text)
        if chunk.doc_id != choice.hit.chunk.doc_id or chunk.kind == "heading" or not (POINT_RE.match(chunk.text) or headed):
            return []  # not a list the chosen item belongs to: nothing before it is added
        taken.append(Choice(Hit(chunk=chunk, score=choice.hit.score), tuple(split_sentences(chunk.text)[:2 if headed else 1]), 0.0))
        if headed or FIRST_POINT_RE.match(chunk.text) or len(taken) >= MAX_ITEMS:
            return taken[::-1]
    return []


def points_after(picker: SentencePicker, q: Question, choice: Choice, following: list) -> list[Choice]:
    """Points that go on past the chosen passage: a list's items printed one to a line after
    its head (（一）收入合计：…⏎1.土地发包收入：…⏎2.…), or a point that closes its passage
    (三是建立“民情恳谈日”制度。) explained in the next one. Serves enumeration and method
    questions on notices, tables and numbered reports."""
    if q.asks not in ("method", "enumeration", "definition") or q.intent == "who_said":
        return []
    text, ranges = choice.hit.chunk.text, split_sentences(choice.hit.chunk.text)
    last = choice.ranges[-1]
    heads_point = last == ranges[-1] and POINT_RE.match(text[slice(*last)]) and last[1] - last[0] <= POINT_HEAD_CHARS
    at = choice.hit.chunk.offset_of(last[1])
    taken = []
    for chunk in following:
        if chunk.start < at:
            continue  # a piece the chosen passage's paragraph holds before its end (a quote inside it)
        if chunk.kind not in ("event", "speaker") or chunk.doc_id != choice.hit.chunk.doc_id:
            break
        first = split_sentences(chunk.text)[:1]
        if POINT_RE.match(chunk.text) and q.asks == "enumeration" and len(taken) < MAX_ITEMS:
            taken.append(Choice(Hit(chunk=chunk, score=choice.hit.score), tuple(first), 0.0))
            continue
        if heads_point and not taken and first and chunk.start - at <= 2:
            taken.append(Choice(Hit(chunk=chunk, score=choice.hit.score), tuple(split_sentences(chunk.text)[:2]), 0.0))
        break
    return taken
