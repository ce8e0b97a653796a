"""Where the people an article names stand, when their own line leaves it out: a roundup item's
bracketed place, or the path the article prints before their community elsewhere."""
from __future__ import annotations

import re

from rag.mention_grammar import BOUNDARY, CITY_DISTRICT
from rag.lexicon import TOWN_WORDS
from rag.passages import Passage
from rag.records import NOT_IN_NAMES


# A roundup item opens with the place it is about (●【东湖区柳荫街道】…街道党工委书记韩志明说): the
# people it names stand in that place, though their own line says only 街道.
BRACKET_PLACE_RE = re.compile(rf"^[\s●■◆▲★]*【(?:{CITY_DISTRICT})?(?P<street>[\u4e00-\u9fff]{{1,8}}?(?:街道|镇|乡))?】")


def in_bracketed_place(unit: str, passages: list[Passage]) -> list[Passage]:
    m = BRACKET_PLACE_RE.match(unit)
    if not m or not (m["district"] or m["street"]):
        return passages
    out = []
    for p in passages:
        s = p.speaker
        if s is not None and not s.district and (s.street in (None, m["street"])):
            update = {"district": m["district"], "street": s.street or m["street"]}
            level = next((w for w in TOWN_WORDS if s.affiliation and s.affiliation.startswith(w)), None)
            if level and m["street"] and not s.community:
                # 街道党工委书记 of that street: the body is the street's own (its 党工委书记)
                update |= {"affiliation": None, "title": s.affiliation[len(level):] + s.title}
            p = Passage(p.kind, p.spans, s.model_copy(update=update), p.about)
        out.append(p)
    return out


def complete_places(text: str, passages: list[Passage]) -> list[Passage]:
    """A person introduced from the street or community down (桂香社区居委会主任某某) takes the
    district and street the article itself prints before that place elsewhere (东岚区松溪街道桂香社区)."""
    out = []
    for p in passages:
        s = p.speaker
        place = s and (s.community or s.street)
        if s is not None and place and s.district is None:
            # (a memorial's or a feature's subtitle verb is no part of the place: ——追记青峰县石门镇…)
            found = re.search(rf"{BOUNDARY}(?:追记|追忆|缅怀|走近|记(?!者))?{CITY_DISTRICT}"
                              rf"(?P<street>[\u4e00-\u9fff]{{1,8}}?(?:街道|镇|乡))?{re.escape(place)}", text)
            # (这句顺口溜，如今在青溪县…: a sentence's words before the place are no part of its name)
            district = found and NOT_IN_NAMES.split(found["district"])[-1]
            if found and len(district) >= 2 and (s.street is None or found["street"] in (None, s.street)):
                update = {"district": district, "street": s.street or found["street"]}
                p = Passage(p.kind, p.spans, s.model_copy(update=update), p.about)
        out.append(p)
    return out
