"""Place names misspelt the way readers type them (桃平村 for 桃坪村, 翠胡社区 for 翠湖社区): a name
the articles never print, one character away from one that they do, with the same kind of place
at its end, that sounds the same (a pinyin keyboard's slip), is read as that one. Nothing else in
a question is changed."""
from __future__ import annotations

import re

from rag.records import NOT_IN_NAMES  # a span holding one of these is no name, printed or asked

PLACE_SUFFIXES = ("社区", "街道", "小区", "村", "镇", "乡")
SUFFIX_RE = re.compile("|".join(PLACE_SUFFIXES))
LONGEST_NAME = 5  # characters before the kind of place


class PlaceSpeller:
    def __init__(self, printed):
        """``printed``: the words the indexed articles print (and the places their records hold)."""
        self.places = frozenset(w for w in printed if w.endswith(PLACE_SUFFIXES) and len(w) >= 3
                                and not NOT_IN_NAMES.search(SUFFIX_RE.sub("", w)))

    def respell(self, question: str) -> str:
        for m in SUFFIX_RE.finditer(question):
            for start in range(max(0, m.start() - LONGEST_NAME), m.start() - 1):
                asked = question[start:m.end()]
                if not re.fullmatch(r"[\u4e00-\u9fff]+", asked) or NOT_IN_NAMES.search(asked[:-len(m.group())]):
                    continue
                if asked in self.places or any(asked in p for p in self.places):
                    break  # printed as asked (or part of a printed name): nothing to respell
                near = [p for p in self.places if len(p) == len(asked) and _one_apart(p, asked, len(m.group()))]
                # (only a name that sounds the same: 北湖社区 one character from 南湖社区 is another place)
                alike = [p for p in near if _sounds_alike(p, asked)]
                if len(alike) == 1:
                    return self.respell(question.replace(asked, alike[0]))
        return question


def _one_apart(printed: str, asked: str, suffix: int) -> bool:
    """One character different, and not in the kind of place (桃平村 ~ 桃坪村, never 桃坪镇)."""
    diff = [i for i, (x, y) in enumerate(zip(printed, asked)) if x != y]
    return len(diff) == 1 and diff[0] < len(asked) - suffix


def _sounds_alike(printed: str, asked: str) -> bool:
    from pypinyin import lazy_pinyin

    return lazy_pinyin(printed) == lazy_pinyin(asked)
