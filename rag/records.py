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


class Record(BaseModel):
    model_config = ConfigDict(frozen=True)

    def to_json(self) -> dict:
        return self.model_dump(mode="json")


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

    @property
    def organisation(self) -> str:
        return self.community or self.street or self.affiliation or self.district or ""

    @property
    def is_secretary(self) -> bool:
        return "书记" in self.title

    @property
    def label(self) -> str:
        """``天府新区华阳街道广福社区党总支书记``: how the article introduces the person."""
        return "".join(p or "" for p in (self.district, self.street, self.community, self.affiliation, self.title))

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


class EntityIndex:
    """Every name and place in the records, plus short forms (``莲花`` for ``莲花社区``)."""

    def __init__(self, people: list[Person], texts: dict[str, str] | None = None):
        """``texts``: each article's text (doc_id -> text), where a feature calls someone 老秦."""
        self.people_list = unique_people(people)
        self.surfaces: dict[str, set[tuple[str, str]]] = {}
        for person in self.people_list:
            for field in FIELDS:
                if value := getattr(person, field):
                    self._add(value, field, value)
                    for suffix in PLACE_SUFFIXES.get(field, ()):
                        short = value[: -len(suffix)]
                        if value.endswith(suffix) and len(short) >= 2:
                            self._add(short, field, value)
        self._add_address_forms(texts or {})
        self._pattern = (
            re.compile("|".join(re.escape(s) for s in sorted(self.surfaces, key=len, reverse=True)))
            if self.surfaces else None
        )

    def _add_address_forms(self, texts: dict[str, str]) -> None:
        """顾书记, 沈主任, 陆警官: surname and post, for the one person of an article they fit; and
        老秦/小秦 where the article itself calls them so (never made up: 小区 is no 区 person)."""
        from rag.lexicon import ADDRESS_FORMS, COMPOUND_SURNAMES, KINSHIP_FORMS, TITLE_WORDS, names_a_person

        forms: dict[tuple[str, str], set[str]] = {}  # (surface, doc) -> names
        for person in self.people_list:
            if not person.title or not 2 <= len(person.name) <= 4:
                continue
            surname = person.name[:2] if person.name[:2] in COMPOUND_SURNAMES else person.name[0]
            for address, printed in ADDRESS_FORMS.items():
                if any(p in person.title for p in printed):
                    forms.setdefault((surname + address, person.doc_id), set()).add(person.name)
            # the printed title when short (石副区长, 蒋镇长 of 党委副书记、镇长), or the title word
            # it ends in (孙巡视员 of 二级巡视员)
            for title in person.title.split("、"):
                for word in [title] + [w for w in TITLE_WORDS if title.endswith(w) and w != title]:
                    if 2 <= len(word) <= 3:
                        forms.setdefault((surname + word, person.doc_id), set()).add(person.name)
            # readers call residents by surname and kinship (马奶奶, 杨大爷, 王阿姨)
            if not any(w in person.title for w in ("书记", "长", "主任", "教授", "研究员", "员")):
                for kin in KINSHIP_FORMS:
                    forms.setdefault((surname + kin, person.doc_id), set()).add(person.name)
            for familiar in ("老" + surname, "小" + surname):
                if familiar in texts.get(person.doc_id, "") and names_a_person(familiar):
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
        found: list[Entity] = []
        for match in self._pattern.finditer(text):
            for field, value in sorted(self.surfaces[match.group()]):
                entity = Entity(field, value, match.group())
                if entity not in found:
                    found.append(entity)
        return found

    def people_of(self, entity: Entity) -> list[Person]:
        return [p for p in self.people_list if entity.matches(p)]

    def knows(self, field: str, value: str) -> bool:
        return any(getattr(p, field) == value for p in self.people_list)

    def within(self, entity: Entity, filters: dict[str, str]) -> bool:
        """Some person is both what ``entity`` names and inside every filter."""
        return any(entity.matches(p) and all(getattr(p, f, None) == v for f, v in filters.items())
                   for p in self.people_list)
