"""The last passes over an article's passages, once every unit is read: people a line only lists
get a roster passage, each record says whether the article quotes them, and each person carries
the words the article introduces them with."""
from __future__ import annotations

import re

from rag.lexicon import ENDS_SAYING_RE
from rag.passages import Passage
from rag.records import Person


def listed_only(passages: list[Passage], people: dict[str, Person]) -> list[Passage]:
    """People a line lists under a post (委员：许红梅（得票1497票）) that no passage names: a roster passage there."""
    named = {p.speaker.name for p in passages if p.speaker is not None} | {
        p.about.name for p in passages if p.about is not None}
    return [Passage("roster", (person.mention,), person) for person in people.values()
            if person.name not in named and person.mention and person.mention[1] > person.mention[0]]


# An introduction runs from the start of its clause (after a full stop, a line break or a closing
# quote) to the first pause after the name; shorter than this beyond title and name, it says nothing more.
INTRO_START, INTRO_END, INTRO_MIN_CHARS = "。！？!?\n”", "，,：:“。！？!?\n", 4


def introduced(text: str, passages: list[Passage]) -> list[Passage]:
    """Each person with the words the article introduces them with (家住南塘小区12栋的72岁居民王秀英
    笑着说, 青石师范学院大三学生、志愿者赵一帆说): who they are, for a reader asking who said it."""
    def intro(p: Person | None) -> Person | None:
        if p is None or p.mention[1] <= p.mention[0]:
            return p
        a, b = p.mention
        start = max(text.rfind(c, 0, a) for c in INTRO_START) + 1
        end = min((i for i in (text.find(c, b) for c in INTRO_END) if i >= 0), default=len(text))
        words = text[start:end].strip()
        # (what is told beyond the label, the name and the verb of saying: 社区党委书记刘建明说 tells nothing more)
        told = ENDS_SAYING_RE.sub("", words.replace(p.name, "").replace(p.label, "").replace(p.title, ""))
        return p.model_copy(update={"intro": words}) if p.name in words and len(re.sub(r"\W", "", told)) > INTRO_MIN_CHARS else p

    return [Passage(x.kind, x.spans, intro(x.speaker), intro(x.about)) for x in passages]


def mark_quoted(passages: list[Passage], quoted: set[str]) -> list[Passage]:
    """A person's record says whether the article quotes them anywhere; a person who is quoted
    needs no separate 'named in passing' passage."""
    out, named = [], set()
    for p in passages:
        if p.speaker is None:
            out.append(p if p.about is None else Passage(p.kind, p.spans, about=p.about.model_copy(
                update={"quoted": True})))
            continue
        is_quoted = p.speaker.name in quoted
        if p.kind == "roster" and (is_quoted or p.speaker.name in named):
            continue
        named.add(p.speaker.name)
        out.append(Passage(p.kind, p.spans, p.speaker.model_copy(update={"quoted": is_quoted})))
    return out
