"""Self-told text: who tells it when no quotation marks say so.

* A series of self-told sections (身边的好书记, 治理笔记): each opens with a header line naming its
  teller, ``■ 李春华 | 澄川区望江街道滨河社区党委书记`` or ``【吴秀兰：汇水县石桥镇桂溪村党支部书记】``
  (name then label, or label then name), and the first-person text under it is that person's.
* An oral history (口述实录): the line ``口述：周建华（…村党支部书记）　整理：本报记者 梁晓雯``
  names the teller of the whole first-person text that follows.
* A transcript (圆桌对话, 访谈实录): each turn opens ``王立群（东城区长乐街道党工委书记）：`` the
  first time and ``王立群：`` after; the words after the colon, and the paragraphs after them up to
  the next turn or the host's question, are that person's.

The editor's or reporter's own words (编后, 编者按, 记者手记) close a teller's text.
"""
from __future__ import annotations

import re

from rag.attribution import FULL_MENTION_RE, person_from, quote_segments
from rag.records import Person

HEADER_MARKS = "■□●○◆◇▲△★☆▶►◎【】[]"
HEADER_SEPARATOR_RE = re.compile(r"\s*[|｜丨/：:—-]+\s*|\s+")
# 口述：周建华（临川市青岚县白沙镇桂岭村党支部书记）, before who wrote it down (整理/记录/采写)
ORAL_RE = re.compile(r"^\s*口述(?:人)?\s*[：:]\s*(?P<name>[\u4e00-\u9fff]{2,4})\s*[（(](?P<label>[^）)]{2,40})[）)]")
FIRST_PERSON_RE = re.compile(r"我")
EDITOR_NOTE_RE = re.compile(r"^\s*[【\[]?(?:编后|编者按|编后语|编辑点评|记者手记|短评|点评)")


def _named(label: str, name: str, doc_id: str) -> Person | None:
    m = FULL_MENTION_RE.match(label + name)
    if m and m.end("name") == len(label + name) and m["name"] == name:
        return person_from(m, doc_id, quoted=True)
    return None


def section_speaker(line: str, doc_id: str) -> Person | None:
    """The teller a section header or an oral history's 口述 line names, else None."""
    if m := ORAL_RE.match(line):
        return _named(m["label"], m["name"], doc_id)
    core = line.strip().strip(HEADER_MARKS).strip()
    parts = [p for p in HEADER_SEPARATOR_RE.split(core) if p]
    if len(parts) != 2:
        return None
    # 李春华 | 滨河社区党委书记, or 滨河社区党委书记 李春华
    return _named(parts[1], parts[0], doc_id) or _named(parts[0], parts[1], doc_id)


def tells_in_first_person(text: str) -> bool:
    """Whether the report's own words here (outside quotes) are told by 我/我们."""
    outside = "".join(text[b + 1:a] for (_, b), (a, _) in zip([(0, -1)] + quote_segments(text),
                                                               quote_segments(text) + [(len(text), 0)]))
    return bool(FIRST_PERSON_RE.search(outside))


# 王立群（东城区长乐街道党工委书记）：… / 王立群：… at the start of a paragraph.
TURN_RE = re.compile(r"^\s*(?P<name>[\u4e00-\u9fff]{2,4})\s*(?:[（(](?P<label>[^）)]{2,40})[）)])?\s*[：:]")


def turn_speaker(paragraph: str, doc_id: str, people: dict[str, Person]) -> tuple[Person | None, int]:
    """The person whose turn a transcript paragraph opens, and where their words begin; (None, 0)
    when it opens none. A bare name must be one the article introduced (背景：, 做法： are no one)."""
    m = TURN_RE.match(paragraph)
    if not m or (not m["label"] and m["name"] not in people):
        return None, 0
    if paragraph[m.end():].lstrip().startswith("“"):  # 陈秀芬：“……” is a quoted line, not a turn
        return None, 0
    if m["name"] in people:
        return people[m["name"]], m.end()
    # (居民、3号楼楼栋长 has no title the parser knows: the description is their title, as printed)
    person = _named(m["label"], m["name"], doc_id) or Person(name=m["name"], title=m["label"], doc_id=doc_id)
    return person.model_copy(update={"mention": (0, m.end())}), m.end()
