"""Records of people and places: who an article names, where they work, and how a question's
words find them. One JSON form everywhere: ``Record.to_json()`` (pydantic ``model_dump(mode="json")``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

# The record fields a question or a filter can name, most specific first (doc_id: one article).
FIELDS = ("name", "community", "street", "district")
FILTER_FIELDS = FIELDS + ("doc_id",)
# Short forms readers type for a place (``莲花`` for ``莲花社区``): the name without its level word.
PLACE_SUFFIXES = {"community": ("社区", "村", "中心"), "street": ("街道", "镇", "乡"),
                  "district": ("新区", "区", "市", "县")}


# Places written out with their level word (云溪区, 金沙街道, 幸福里小区), coarsest level first,
# and a scope that stands for the whole of one level (全市, 全区, 全镇).
PLACE_LEVELS = {"市": 0, "区": 1, "县": 1, "街道": 2, "镇": 2, "乡": 2, "社区": 3, "村": 3, "小区": 4}
# (超市, 集市, 早市 are markets, not cities; 城区 and 园区 are kinds, below)
LEVEL_WORD_RE = re.compile("街道|社区|小区|(?<![超集早夜菜门股])[市区县镇乡村]")
SCOPE_RE = re.compile("全(街道|社区|[市区县镇乡村])")
# Words of a sentence, never of a place's name (公开栏和村务, 走进社区, 多少个社区, 今年全市).
NOT_IN_NAMES = re.compile(r"[和与及或的个了在是进到把被向从对为各每该这那其哪几多少些里上下走回全年住以我你他她们]")
# Kinds of place, not one place (老旧小区, 城乡社区, 试点村).
PLACE_KIND_RE = re.compile(r"老旧|城乡|试点|示范|城市|农村|基层|周边|辖区|城区|片区|园区|景区|山区|物业|相关|其他|整个|行政|自然|新建|安置|商品房|涉农")


def named_places(text: str) -> list[tuple[str, int]]:
    """(name, level) of each place ``text`` writes out in full: 西河区北关街道 → 西河区, 北关街道."""
    found, last = [], 0
    for m in LEVEL_WORD_RE.finditer(text):
        start = m.start()
        while start > max(last, m.start() - 5) and "\u4e00" <= text[start - 1] <= "\u9fff" \
                and not NOT_IN_NAMES.match(text[start - 1]) and not LEVEL_WORD_RE.match(text[start - 1]):
            start -= 1
        name, last = text[start:m.end()], m.end()
        if m.start() - start >= 2 and not PLACE_KIND_RE.search(name):
            found.append((name, PLACE_LEVELS[m.group()]))
    return found


def scopes(text: str) -> set[int]:
    """The levels a text counts whole (全市 → 0, 全镇 → 2)."""
    return {PLACE_LEVELS[m.group(1)] for m in SCOPE_RE.finditer(text)}


class Record(BaseModel):
    model_config = ConfigDict(frozen=True)

    def to_json(self) -> dict:
        return self.model_dump(mode="json")


# How a stationed cadre's sending body is printed before the place they serve.
SENT_BY = ("派驻", "选派到", "下派到", "派驻到")


class Person(Record):
    """Someone an article names: quoted (``quoted=True``) or only listed in a roster.

    The organisation path is as printed: district (区/市/县), street or town (街道/镇/乡),
    community or village (社区/村/中心). People outside that path (a professor, a bureau
    official) carry their body in ``affiliation`` instead.
    """

    name: str
    title: str
    district: str | None = None
    street: str | None = None
    community: str | None = None  # None for a street-level official
    affiliation: str | None = None  # 四川大学公共管理学院, 市民政局…: not a district→community path
    quoted: bool = True
    doc_id: str = ""
    mention: tuple[int, int] = (0, 0)  # source offsets of "<label><name>", for attribution citations
    intro: str = ""  # the words the article introduces them with, when they say more than title and name

    @property
    def organisation(self) -> str:
        return self.community or self.street or self.affiliation or self.district or ""

    @property
    def is_secretary(self) -> bool:
        return "书记" in self.title

    @property
    def label(self) -> str:
        """``天府新区华阳街道广福社区党总支书记``: how the article introduces the person."""
        places = "".join(p or "" for p in (self.district, self.street, self.community))
        if self.affiliation and self.affiliation.endswith(SENT_BY):  # 县农业农村局派驻双河乡青杠村第一书记
            return f"{self.affiliation}{places}{self.title}"
        return f"{places}{self.affiliation or ''}{self.title}"

    def inside(self, filters: dict[str, str]) -> bool:
        """Whether this person is within every filter (record field -> value)."""
        return all(getattr(self, f, None) == v for f, v in filters.items())

    @property
    def cite(self) -> str:
        """``钱坤（天府新区华阳街道广福社区党总支书记）``: the citation form used in answers."""
        return f"{self.name}（{self.label}）" if self.label else self.name


@dataclass(frozen=True)
class Entity:
    """A record value a question names: ``field`` in FIELDS, ``value`` as in the records."""

    field: str
    value: str
    surface: str  # what the question said

    def matches(self, person: Person | None) -> bool:
        return person is not None and getattr(person, self.field) == self.value


def unique_people(people) -> list[Person]:
    """One record per person per article, in order of first appearance."""
    seen: dict[tuple, Person] = {}
    for p in people:
        key = (p.doc_id, p.name, p.label)
        # A person quoted anywhere counts as quoted, even if a roster line names them first.
        if key not in seen or (p.quoted and not seen[key].quoted):
            seen[key] = p if key not in seen else seen[key].model_copy(update={"quoted": True})
    return list(seen.values())


# An interviewee a study names by code (受访者A3, 访谈对象B2): a person named as printed, whom readers
# may ask after by the code alone (A3). Serves research reports and anonymised surveys.
CODED_NAME_RE = re.compile(r"(?:受访者|访谈对象|受访人)(?P<code>[A-Z]\d{1,3})")


# Bodies whose named head is never their deputy (石桥镇纪委书记 is no 纪委副书记, 区民政局局长 no 副局长):
# an office asked of one is asked strictly. Serves post questions on named organs and bureaus.
ORGANS = ("纪委", "党委", "党工委", "党支部", "党总支", "团委", "妇联", "局", "处", "科", "部", "办", "所", "委员会")


def holding(people, titles, strict: bool, loose=()) -> list:
    """Those holding one of ``titles`` as printed; a post asked in full (``strict``: 党工委书记) is
    never its deputy's, a post asked loosely (书记, 村支书) falls back to anyone whose title holds
    one of ``loose`` (by default the titles themselves: a deputy when no one holds the post)."""
    from rag.lexicon import holds_title

    return [p for p in people if any(holds_title(p.title, t) for t in titles)] or (
        [] if strict else [p for p in people if any(w in p.title for w in (loose or titles))])


class EntityIndex:
    """Every name and place in the records, plus short forms (``莲花`` for ``莲花社区``)."""

    def __init__(self, people: list[Person]):
        self.people_list = unique_people(people)
        self._by_value: dict[tuple[str, str], list[Person]] | None = None
        self._labels: list[tuple[str, Person]] | None = None
        self.surfaces: dict[str, set[tuple[str, str]]] = {}
        for person in self.people_list:
            for field in FIELDS:
                if value := getattr(person, field):
                    self._add(value, field, value)
                    for suffix in PLACE_SUFFIXES.get(field, ()):
                        short = value[: -len(suffix)]
                        if value.endswith(suffix) and len(short) >= 2:
                            self._add(short, field, value)
        self._add_address_forms()
        self._pattern = (
            re.compile("|".join(re.escape(s) for s in sorted(self.surfaces, key=len, reverse=True)))
            if self.surfaces else None
        )

    # The roles a record's parties hold, by which readers ask after them (原告, 被告, 审判长); a
    # job (调解员) asks after a kind of person, not the one the record names.
    PARTY_ROLES = ("原告", "被告", "审判长", "申请人", "被申请人", "当事人", "代理人")
    OFFICIAL_WORDS = ("书记", "主任", "教授", "研究员", "局长", "镇长", "乡长", "区长", "县长", "市长", "处长", "科长",
                      "部长", "所长", "院长", "委员", "干部")

    def _add_address_forms(self) -> None:
        """顾书记, 沈主任, 陆警官: surname and post, for the one person of an article they fit; and
        老秦/小秦, as readers call anyone, when the form is no common word (小区 is no 区 person).
        (Reports print 老刘笑着说 in the frame around quotes, which no chunk keeps: the form is
        not looked up in the text.)"""
        from rag.cutting import names_a_person
        from rag.lexicon import ADDRESS_FORMS, COMPOUND_SURNAMES, KINSHIP_FORMS, TITLE_WORDS, is_name

        forms: dict[tuple[str, str], set[str]] = {}  # (surface, doc) -> names
        for person in self.people_list:
            if code := CODED_NAME_RE.fullmatch(person.name):  # (C2 is 受访者C2)
                forms.setdefault((code["code"], person.doc_id), set()).add(person.name)
            if person.title in self.PARTY_ROLES:  # (被告怎么辩解的: a record's party asked by its role)
                forms.setdefault((person.title, person.doc_id), set()).add(person.name)
            if not 2 <= len(person.name) <= 4:
                continue
            surname = person.name[:2] if person.name[:2] in COMPOUND_SURNAMES else person.name[0]
            # readers call residents by surname and kinship (马奶奶, 杨大爷, 王阿姨), and those in a
            # neighbourhood post too (楼栋长罗桂兰 is 罗阿姨), never an official (王书记 is no 王奶奶)
            if not any(w in person.title for w in self.OFFICIAL_WORDS) and is_name(person.name):
                for kin in KINSHIP_FORMS:
                    forms.setdefault((surname + kin, person.doc_id), set()).add(person.name)
            if not person.title:
                continue
            for address, printed in ADDRESS_FORMS.items():
                if any(p in person.title for p in printed):
                    forms.setdefault((surname + address, person.doc_id), set()).add(person.name)
            # the printed title when short (石副区长, 蒋镇长 of 党委副书记、镇长), or the title word
            # it ends in (孙巡视员 of 二级巡视员)
            for title in person.title.split("、"):
                for word in [title] + [w for w in TITLE_WORDS if title.endswith(w) and w != title]:
                    if 2 <= len(word) <= 3:
                        forms.setdefault((surname + word, person.doc_id), set()).add(person.name)
            for familiar in ("老" + surname, "小" + surname):
                if names_a_person(familiar):
                    forms.setdefault((familiar, person.doc_id), set()).add(person.name)
        printed = set(self.surfaces)  # a name or place the articles print stays what it is
        for (surface, _), names in forms.items():
            # two 王书记 in one report: say neither; one in each of two reports: each, for a doc
            # filter (or the question's own words) to choose between
            if len(names) == 1 and surface not in printed:
                self._add(surface, "name", next(iter(names)))

    def _add(self, surface: str, field: str, value: str) -> None:
        self.surfaces.setdefault(surface, set()).add((field, value))

    @property
    def people(self) -> list[Person]:
        return self.people_list

    def find(self, text: str) -> list[Entity]:
        """Entities named in ``text``, longest match first, in order of appearance."""
        if not self._pattern:
            return []
        from rag.lexicon import NAMED_THING_RE

        found: list[Entity] = []
        for match in self._pattern.finditer(text):
            named_thing = bool(NAMED_THING_RE.match(text, match.end()))
            for field, value in sorted(self.surfaces[match.group()]):
                if named_thing and field in PLACE_SUFFIXES and value != match.group():
                    continue  # 荷风路 is a road, not 荷风社区
                entity = Entity(field, value, match.group())
                if entity not in found:
                    found.append(entity)
        return found

    def _labelled(self) -> list[tuple[str, Person]]:
        if self._labels is None:
            self._labels = [(p.label, p) for p in self.people_list]
        return self._labels

    def unrecorded_place_people(self, body: str, filters: dict[str, str]) -> list[Person] | None:
        """Who may hold an office of a place no record is of (东篱社区, printed only in a list):
        those whose printed label names it, or who have no place recorded at all. Never one
        recorded at another place: 柳塘社区's secretary is no secretary of 东篱社区.
        None when ``body`` writes out no place (多少位社区, 这次社区). Serves post questions about
        a place the report names but records no one of."""
        written = [(n, level) for n, level in named_places(body) if body.endswith(n)]
        if not written or written[0][1] not in (1, 2, 3):  # (a city or a 小区 is no record's field)
            return None
        # (周立群, placed at a street, holds the street's post, never a community's)
        # (nor one whose label prints another place of that level: 石桥村党支部书记 for 杨柳村)
        return [p for label, p in self._labelled()
                if p.inside(filters) and (written[0][0] in label or not any(getattr(p, f) for f in FIELDS[1:])
                                          and not any(lv == written[0][1] for _, lv in named_places(label)))]

    def people_of(self, entity: Entity) -> list[Person]:
        if self._by_value is None:  # (field, value) -> people, built once: questions never walk them all
            self._by_value = {}
            for p in self.people_list:
                for field in FIELDS:
                    if value := getattr(p, field):
                        self._by_value.setdefault((field, value), []).append(p)
        return list(self._by_value.get((entity.field, entity.value), ()))

    def knows(self, field: str, value: str) -> bool:
        return bool(self.people_of(Entity(field, value, value)))

    def within(self, entity: Entity, filters: dict[str, str]) -> bool:
        """Some person is both what ``entity`` names and inside every filter."""
        return any(p.inside(filters) for p in self.people_of(entity))

    def offices(self, text: str, filters: dict[str, str]) -> list[tuple[str, list[Person]]]:
        """Offices ``text`` names by their place or body (石桥镇镇长, 县民政局副局长, 青杠村的第一
        书记), each with the people inside ``filters`` who hold it. A place must be one the records
        know (an unknown place is no office to look up); a body is known by its last three
        characters (民政局, 组织部)."""
        from rag.lexicon import ADDRESS_FORMS, PLACE_WORDS, ROLE_TITLES, TOWN_WORDS, office_re, title_core

        matches = list(office_re().finditer(text))
        roles = [r for r in ROLE_TITLES if r in text and r != "领导"]
        if not matches and not roles:  # most questions name no office: no walk over the people
            return []
        found = []
        for m in matches:
            body, title = m["body"], m["title"]
            if body.endswith(PLACE_WORDS):
                place = next((e for e in self.find(body) if body.endswith(e.surface) and e.field != "name"), None)
                recorded = [p for p in self.people_of(place) if p.inside(filters)] if place else []
                # a place no one is recorded at (a one-community report prints no community in its
                # people's labels, 社区党委书记宋家伟): whoever's label holds the post may be its
                # holder, and the passages tell
                holders = recorded or self.unrecorded_place_people(body, filters)
                if holders is None or not recorded and any(title in p.label for p in holders):
                    continue
            else:  # (杨柳村的村党支部书记: a body of the place the question names, not another's)
                places = [e for e in self.find(text[:m.start()]) if e.field != "name"]
                # (one placed nowhere, 社区党委书记何丽萍 in a one-community report, may hold it)
                holders = [p for label, p in self._labelled() if body[-3:] in label and p.inside(filters)
                           and (not places or any(e.value in label or e.matches(p) for e in places)
                                or not any(getattr(p, f) for f in FIELDS[1:]) and not named_places(label))]
            # the title as asked (党委副书记), else what it asks for (村支书: a 书记)
            wanted = ADDRESS_FORMS.get(title_core(title), (title_core(title),))
            if body.endswith(TOWN_WORDS):  # a town's own officials, never its villages'
                holders = [p for p in holders if p.community is None]
            # (the post as asked, 党工委书记, is never its deputy's; a loose 镇书记 may be the town's deputy)
            # (石桥镇纪委书记: a named organ's head is never its deputy, 纪委副书记)
            holders = holding(holders, [title], strict=title != title_core(title) or body.endswith(ORGANS), loose=wanted)
            found.append((f"{body}{title}", holders))
        # 专家说… / 民警咋讲: a kind of person the report has one of (a 副教授, a 派出所民警)
        for role in roles:
            if not any(role in office for office, _ in found):
                found.append((role, [p for label, p in self._labelled()
                                     if any(t in label for t in ROLE_TITLES[role]) and p.inside(filters)]))
        return found

