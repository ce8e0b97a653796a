"""What a question asks for: which records it names, what kind of answer, which fact type.

Rules read the question's wording (谁 / 哪些 / 多少 / 电话…), never a list of known questions.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from rag.lexicon import MEASURE
from rag.records import Entity, EntityIndex

LIST_RE = re.compile(r"哪些|哪几位|哪几个|都有谁|有谁|名单|列出")
PEOPLE_RE = re.compile(r"书记|哪几位|谁|人|干部|代表")
COUNT_RE = re.compile(r"(?:多少|几)(?:位|名|个)(?:社区|村)?(?:党\w{0,2})?书记")
WHO_RE = re.compile(r"谁|哪位|哪一位")
WHO_IS_RE = re.compile(r"是谁|叫什么|是哪位|姓名|名字|谁是|谁担任|负责人")
PERSON_ATTR_RE = re.compile(
    r"职务|职位|身份|头衔|任职|来自|哪个(?:社区|村|街道|镇|乡|区|市|县|单位)|哪里|哪儿|在哪|"
    r"什么(?:职务|单位|社区|村|街道)|是谁|什么书记|哪一级"
)
SAYS_RE = re.compile(r"说|提|讲|谈|介绍|怎么|怎样|如何|为什么|做法|方法|措施|经验|举措|机制|品牌|建立|建了|采取|推行")
PRONOUN_RE = re.compile(r"^(?:那|还)|他|她|它|该|这个|这位|那个|那位|那里|那儿|这里|此|其")
PLACE_PRONOUN_RE = re.compile(r"社区|村|街道|镇|那里|那儿|这里")
STREET_PRONOUN_RE = re.compile(r"街道|镇")

PHONE_Q = re.compile(r"电话|手机|联系方式|号码|邮箱|微信")
YEAR_Q = re.compile(r"哪一?年|年份|成立于|几几年")
DATE_Q = re.compile(r"哪天|哪一天|何时|什么时候|几月|几号|日期|什么时间")
NUMBER_Q = re.compile(rf"(?:多少|几)(?P<unit>[{MEASURE}])?(?P<noun>[\u4e00-\u9fff]{{0,2}})")
PLACE_Q = re.compile(r"在哪个(?P<noun>[\u4e00-\u9fff]{1,3}?)(?:举行|举办|召开|进行)|在哪(?:里|儿)?(?:举行|举办|召开)|地点|地址")
NAME_Q = re.compile(r"叫什么名字|什么名称|名字是什么|名称是什么|叫什么名")
ATTRIBUTE_Q = re.compile(r"的(?P<noun>[\u4e00-\u9fff]{2,4})(?:是|叫)(?:什么|谁|哪)")


@dataclass
class Question:
    text: str
    entities: list[Entity]
    intent: str  # list | count | who_is | person | who_said | search
    wants: str | None = None  # number | date | phone | place | name | attribute
    unit: str = ""
    noun: str = ""
    carried: bool = False  # entities came from the conversation history
    history_quotes: set[str] = field(default_factory=set)

    def named(self, *fields: str) -> list[Entity]:
        return [e for e in self.entities if e.field in fields]


def _fact_type(q: str) -> tuple[str | None, str, str]:
    if PHONE_Q.search(q):
        return "phone", "", ""
    if YEAR_Q.search(q):
        return "year", "", ""
    if DATE_Q.search(q):
        return "date", "", ""
    if m := NUMBER_Q.search(q):
        return "number", m["unit"] or "", m["noun"] or ""
    if m := PLACE_Q.search(q):
        return "place", "", m["noun"] or ""
    if NAME_Q.search(q):
        return "name", "", ""
    if m := ATTRIBUTE_Q.search(q):
        return "attribute", "", m["noun"]
    return None, "", ""


def _carry(question: str, history: list[dict], entities: EntityIndex) -> list[Entity]:
    """Resolve 他 / 这个社区 / 那里 to what the latest earlier turn was about."""
    if not PRONOUN_RE.search(question):
        return []
    if STREET_PRONOUN_RE.search(question) and not re.search(r"社区|村", question):
        prefer = ("street", "community", "name")
    elif PLACE_PRONOUN_RE.search(question):
        prefer = ("community", "street", "name")
    else:
        prefer = ("name", "community", "street")
    for turn in reversed(history):
        found = entities.find(f"{turn.get('answer') or ''} {turn.get('question') or ''}")
        for wanted in prefer:
            picked = [e for e in found if e.field == wanted]
            if picked:
                return picked[:1]
    return []


def understand(text: str, entities: EntityIndex, history: list[dict] | None = None,
               filters: dict[str, str] | None = None) -> Question:
    """``filters`` (record field -> value) count as if the question had named them."""
    history = history or []
    named = entities.find(text)
    named += [Entity(field, value, value) for field, value in (filters or {}).items()
              if Entity(field, value, value) not in named]
    carried = [] if any(e.field in ("name", "community", "street") for e in named) else _carry(text, history, entities)
    wants, unit, noun = _fact_type(text)
    q = Question(text, named + carried, "search", wants, unit, noun, carried=bool(carried),
                 history_quotes={s for t in history for s in re.findall(r"“([^”]+)”", t.get("answer") or "")})
    people, places = q.named("name"), q.named("community", "street", "district")
    if LIST_RE.search(text) and PEOPLE_RE.search(text) and not people and (q.named("district", "street") or not named):
        q.intent = "list"
    elif COUNT_RE.search(text):
        q.intent = "count"
    elif people and PERSON_ATTR_RE.search(text) and not SAYS_RE.search(text):
        q.intent = "person"
    elif not people and places and WHO_IS_RE.search(text) and re.search(r"书记|负责人|带头人", text):
        q.intent = "who_is"
    elif not people and WHO_RE.search(text):
        q.intent = "who_said"
    return q
