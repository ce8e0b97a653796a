"""What a question asks for, before who it names: a person, a list of people, a count, a
comparison, a method, an enumeration, a definition, or a fact of a given type (number, date,
duration, age, place, name, phone). Then which records it names, or carries from the history.

Rules read the question's wording (谁 / 哪些 / 多少 / 怎么…), never a list of known questions.
"""
from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, field

from rag.fact_types import (AGE_Q, CLOCK_Q, DATE_Q, DURATION_Q, NAME_Q, NUMBER_Q, ORDINAL_Q, PHONE_Q,
                             PLACE_Q, RATIO_Q, TWO_VALUES_Q, YEAR_Q, asks_two_quantities, fact_type,
                             more_fact_types)
from rag.lexicon import BYLINE_ROLES, PUBLIC_KINDS, QUOTED_TERM_RE, ROLE_TITLES, SETTING_RE, SPEECH_VERBS, TITLE_WORDS
from rag.records import FIELDS, Entity, EntityIndex

PERSON_NOUN = r"(?:书记|人|干部|代表|嘉宾|专家|领导|负责人|主任|学者)"
# A list of people: 哪些书记 / 哪几位 / 有谁; "哪些话题" or "哪几个俱乐部" lists things, not people;
# 有谁说到… asks who said it.
PEOPLE_LIST_RE = re.compile(rf"(?:哪些|哪几个|哪几名)(?:社区|村|街道|镇)?(?:的)?{PERSON_NOUN}|哪几位|都有谁|有谁(?![说提讲谈])|名单|列出.*{PERSON_NOUN}")
# What a thing is made of (每个网格配了哪些人, 议事会由哪些人组成): its parts, as the text spells them
# out, not the article's list of people. Serves enumeration questions phrased with 哪些人.
# (评议小组都有哪些人, 理事会里是哪些人: a body's members, as the text spells them out)
COMPOSITION_RE = re.compile(r"配了?|配备|组成|构成|包括|包含|吸纳|选了?|选出"
                            r"|(?:小组|队|委员会|理事会|议事会|班子|团队)(?:里|中)?(?:都|主要)?(?:有|是)(?:哪些人|谁)"
                            # (都请了哪些人来, 由哪些人来担任: whom a body invites or a role is given to;
                            # 哪些人参加了 stays a list of the people who came)
                            r"|(?:请了?|邀请了?|担任)[^，。？?]{0,6}(?:哪些人|哪几类|都有谁|有谁)|由哪些人"
                            # (村委会委员有哪几个人, 班子成员都是谁: who a body's seats went to)
                            r"|(?:委员|成员|队员|组员|会员)(?:都|主要|分别)?(?:有|是|包括)(?:哪些|哪几|谁)"
                            # (哪几类人, 哪些方面的人: kinds of people, as the text names them)
                            r"|哪(?:几|些)(?:类|种|方面的?)人")
# (哪几个人 lists them: no count)
PEOPLE_COUNT_RE = re.compile(rf"(?:多少|(?<!哪)几)(?:位|名|个)(?:社区|村|街道)?(?:党\w{{0,2}})?{PERSON_NOUN}")
# Comparison: the question asks the same thing of each of several named people or places.
# (各 after two named parts is "each", whatever verb follows: 刘春燕和何丽萍各干了几年; not 各位, 各村)
COMPARE_RE = re.compile(r"分别|各自|各(?![位种类级界地村社小部单])|有什么不同|有何不同|有什么区别|区别|不同之处|相比|对比|比较")
# (换些啥, 买了些什么: some things, listed)
# (哪三不, 哪两条: which ones of a number the text names)
ENUMERATION_RE = re.compile(r"哪几[个种项条类支样方件点块步招处道]|哪[两二三四五六七八九十](?!位|名|人|个人)|些(?:啥|什么)|包括哪些|包括什么|包含哪些|有哪些|指哪些|指哪几|是哪几|都有什么|有什么(?!不同|区别)|具体是|分别是|哪些")
# 咋说的/怎么看 ask for someone's words or view, not for how something was done (怎么说通/说服
# is how someone was persuaded: a method).
METHOD_RE = re.compile(r"(?:怎么|怎样|如何|咋)(?!说(?![通服动])|讲|谈|评|看|想|认为)|(?:什么|啥|哪些)\w{0,2}?(?:办法|方法|措施|做法|举措|招|法子|经验|工作法|门道|路子)|靠啥|(?:做|干|搞)了(?:些|点)?(?:什么|啥)")
DEFINITION_RE = re.compile(r"是什么|指什么|什么意思|啥意思|是啥|指的是")
# How something stands (他妈现在咋样, 效果怎么样了, 志愿者是啥情况, 这是咋回事): a state, told by
# the facts about it, neither a method (怎样才能调动 goes on to a verb) nor a term to define.
STATE_RE = re.compile(r"(?:怎么|咋|怎)样(?:了|呢|啊)?[？?]?$|如何了|(?:啥|什么)情况|(?:咋|怎么)回事")
# (哪个 asks who as spoken in the southwest, 提出…的是哪个, and before a kind of person: 哪个村民)
WHO_RE = re.compile(rf"谁|哪位|哪一位|(?:的|是)哪个(?=[？?。！!]?$)|哪个(?={'|'.join(PUBLIC_KINDS)}|人|老人)")
# 搞“楼道议事会”的是哪个社区: which place did it, answered by whose words say it (their record's place).
WHICH_PLACE_RE = re.compile(r"哪个(?:社区|村|街道|镇|乡)|哪(?:个)?(?:社区|村)的")
# 谁 as the one who acts inside what is asked (靠谁来管, 由谁来定, 找谁帮忙): the question is about
# how something is done, not about who said it. Serves agent questions in any article.
# (谁来管, 谁来出钱: who will do it, inside what is asked; 谁来说 still asks who said it)
AGENT_WHO_RE = re.compile(r"(?:靠|由|找|给|让|跟|向|请|归|交给|派)谁|谁来(?!说|讲|谈)")
# What someone stresses or thinks (强调了什么, 怎么看): answered by their statements of what must
# be done or matters (要, 必须, 关键), not by a fact. Serves stance questions with no topic word.
# (怎么评价, 有啥感受: a judgement asked of someone is their view too)
STANCE_RE = re.compile(r"强调|认为|觉得|看法|观点|怎么看|咋看|如何看|主张|呼吁|态度|(?:怎么|咋|如何|怎样)评价|评价(?:如何|怎样|咋样)|感受|心得|体会|感悟"
                       r"|对[^，。？?]{2,16}?(?:有|发表了?|提了?)(?:什么|啥|哪些)意见|对[^，。？?]{2,16}?满(?:不满)?意")
# Why someone did or thinks something (李海波为啥不同意); 为啥事 asks what the matter was.
# What a view is asked of (黄振宇对物业费涨价是什么态度, 她对这次议事会怎么看): after 对 / 关于 / 就,
# before the stance words.
# (or after the stance verb: 郑海峰怎么看“网红书记”这个叫法, 她如何看待积分制)
VIEW_OBJECT_RE = re.compile(r"(?:对|关于|就)(?P<obj>[^，。？?]{2,16}?)(?:是|有|的(?:看法|态度|评价)|怎么|咋|如何|怎样|持|什么|发表|满(?:不满)?意)"
                            r"|(?:怎么|咋|如何|怎样)看(?:待)?(?P<after>[^，。？?]{2,16})[？?]?$")
REASON_RE = re.compile(r"为啥(?!事)|为什么(?!事)|凭啥|咋就")
WHO_IS_RE = re.compile(r"是谁|叫什么|叫啥|是哪位|姓名|名字|谁是|谁担任|负责人|谁当")
# 住几号楼, 住哪栋: where someone lives is part of how the report describes them (3号楼楼栋长)
RESIDENCE = r"住(?:在)?(?:几号|几栋|哪栋|哪幢)"
PERSON_ATTR_RE = re.compile(
    # (在哪读的博士, 在哪出生 ask a past the records do not hold; 在哪儿上班 a workplace, which the
    # report's words on them tell, not the post it introduces them by)
    rf"职务|职位|身份|头衔|任职|担任(?:什么|啥|何|哪)|来自|{RESIDENCE}|哪个(?:社区|村|街道|镇|乡|区|市|县|单位)|(?:哪里|哪儿|在哪)(?![儿里]?(?:读|上学|毕业|出生|长大|念|学|上班|打工|干活))"
    # (哪里不行, 哪里做得不够: which part of something, not where someone is)
    r"(?!不|没|做得|有问题|需要|欠)|"
    # 是干啥的 / 做什么的 ask for an occupation; 去干啥 asks what was done there (an event).
    r"什么(?:职务|单位|社区|村|街道)|是谁|什么书记|哪一级|什么身份|(?:干|做)(?:什么|啥)的|是(?:干|做)(?:什么|啥)"
    # (王立峰是哪家律所的: the body a named person belongs to is in how the report introduces them)
    # (not what a body did: 是哪家公司装的, 是哪所大学毕业的)
    r"|是哪[家所](?=(?:律所|律师事务所|公司|单位|医院|学校|大学|学院|机构|银行|企业)的[？?]?$)"
)
SAYS_RE = re.compile(r"说|提|讲|谈|介绍|怎么|怎样|如何|为什么|做法|方法|措施|经验|举措|机制|品牌|建立|建了|采取|推行|分享|觉得|认为|看法|观点|怎么看|关键|建议")
TITLE_RE = re.compile("|".join(TITLE_WORDS))
PRONOUN_RE = re.compile(r"^(?:那|还)|他|她|它|该|这个|这位|那个|那位|那里|那儿|这里|此|其")
# A pronoun for a person or a place (not 这次, 这个办法: the article's own event and things).
WHOSE_PRONOUN_RE = re.compile(r"[他她](?!们)|这位|那位|(?:这个|该|那个)(?:社区|村|街道|镇|乡|人|书记)|那里|那儿")
PLACE_PRONOUN_RE = re.compile(r"社区|村|街道|镇|那里|那儿|这里")
STREET_PRONOUN_RE = re.compile(r"街道|镇")

# A和B分别/各/有啥不一样 of two things: each side's words must be answered for.
# (各 before any verb: 各拿了多少票, 各要花多少钱)
THINGS_RE = re.compile(r"(?P<a>[^，。？?和与跟]{2,12})(?:和|与|跟)(?P<b>[^，。？?和与跟]{2,14}?)(?:[，,][^。？?]{0,12}?)?"
                       r"(?:分别|各自|各(?![个位级种类项])[\u4e00-\u9fff]|有(?:啥|什么)(?:不一样|不同|区别)|差别|相比|哪个)")


# The words that frame a question (what kind of answer, which fact type, the act of saying) are
# not what it is about: they are left out of the words the evidence must hold.
# (and the acts of speaking at a meeting a question names: 评议时追问, 点评, 批评, 回应: how the words
# were given, not what they are about)
SPEECH_ACTS = ("评议", "点评", "追问", "提问", "发问", "质询", "询问", "批评", "回应", "答复", "表扬", "称赞", "夸")
SPEECH_VERB_RE = re.compile("|".join(sorted(SPEECH_VERBS + SPEECH_ACTS, key=len, reverse=True)))
WHICH_RE = re.compile(r"哪[个所位家种类些里儿]|什么样|什么")


def frame_free(text: str) -> str:
    """The question without its frame: 钱坤多大年纪 → 钱坤, 何静是哪所大学毕业的 → 何静是大学毕业的."""
    for pattern in (SETTING_RE, STATE_RE, PHONE_Q, TWO_VALUES_Q, CLOCK_Q, AGE_Q, YEAR_Q, DATE_Q, DURATION_Q, ORDINAL_Q, RATIO_Q, NUMBER_Q, PLACE_Q, NAME_Q, METHOD_RE,
                    ENUMERATION_RE, DEFINITION_RE, WHO_IS_RE, COMPARE_RE, SPEECH_VERB_RE, STANCE_RE, WHICH_RE):
        text = pattern.sub(" ", text)
    return text


@dataclass
class Question:
    text: str
    entities: list[Entity]
    intent: str = "search"  # list | count | who_is | person | who_said | compare | byline | dated | gist | place | places | search
    asks: str = ""  # method | enumeration | definition | stance | "" : what kind of content answers it
    wants: str | None = None  # number | change | date | clock | year | duration | frequency | length | age | phone | place | name | org
    unit: str = ""
    noun: str = ""
    role: str = ""  # byline role (记者 / 摄影) for intent "byline"
    carried: bool = False  # entities came from the conversation history
    history_quotes: set[str] = field(default_factory=set)
    # How the article introduces the people the question names (宜宾学院…教授): when the question
    # repeats it (宜宾学院的何静教授), that names them and is no content to look for.
    introductions: str = ""
    filters: dict[str, str] = field(default_factory=dict)
    also_wants: tuple[tuple[str, str, str], ...] = ()  # (wants, unit, noun) of the question's other clauses

    @property
    def asks_own_words(self) -> bool:
        """What a named person said or thinks (陆海说了啥, 钱国华咋评价): their quotes answer it,
        not the report's words about them."""
        # (李海波为啥不同意: a named person's reasons are in their own words, as their views are)
        return bool(self.named("name")) and (self.asks == "stance" or bool(SPEECH_VERB_RE.search(self.text))
                                             or bool(REASON_RE.search(self.text)) or self.speaker_asked is not None)

    @property
    def speaker_asked(self) -> Entity | None:
        """The kind of person the question has speak (律师建议…), resolved to the report's one such
        person: their words are asked, whoever else it names."""
        return next((e for e in self.named("name") if e.surface in ROLE_TITLES), None)

    @property
    def view_object(self) -> str:
        """What a stance question asks a view of, without the people it names ('' if none)."""
        m = VIEW_OBJECT_RE.search(self.text) if self.asks == "stance" else None
        obj = m and (m["obj"] or m["after"])
        if not obj or re.match(r"[这那此其它他她]", obj):  # (对这事咋看: what 这事 is, the passages found tell)
            return ""
        return functools.reduce(lambda t, e: t.replace(e.surface, " "), self.entities, obj)

    @property
    def things(self) -> tuple[str, ...]:
        """Two things (not people or places) set side by side: 评上最美庭院 / 乱堆乱放 in
        评上最美庭院和乱堆乱放分别加减几分; () otherwise."""
        if not (m := THINGS_RE.search(self.text)) or len(self.parts) >= 2:
            return ()
        a, b = m["a"], m["b"]  # (方案二和方案三举手表决各有几人同意: parallel items of one stem, as long)
        return (a, b[:len(a)] if len(os.path.commonprefix([a, b])) >= 2 else b)

    @property
    def two_values(self) -> bool:
        """Whether it sets two values of one thing against each other (before and after, which is more)."""
        if self.wants == "change":
            return bool(TWO_VALUES_Q.search(self.text))
        return self.wants in ("number", "duration", "ratio", "length") and asks_two_quantities(self.text)

    @property
    def focus_text(self) -> str:
        return frame_free(self.text)

    def named(self, *fields: str) -> list[Entity]:
        return [e for e in self.entities if e.field in fields]

    @property
    def parts(self) -> list[Entity]:
        """The people (or else places of one level) a comparison asks about, one answer each."""
        people = self.named("name")
        if len(people) >= 2:
            return people
        for level in ("community", "street", "district"):
            places = [e for e in self.named(level) if e.surface in self.text]
            if len(places) >= 2:
                return places
        # 青龙村…和南岸街道…分别: places of different levels, in the order asked
        places = sorted((e for e in self.named("community", "street") if e.surface in self.text),
                        key=lambda e: self.text.index(e.surface))
        return places if len(places) >= 2 and len({e.surface for e in places}) == len(places) else []


def asked_content(q: str) -> str:
    if STANCE_RE.search(q):
        return "stance"
    if STATE_RE.search(q):
        return ""
    if METHOD_RE.search(q) or AGENT_WHO_RE.search(q):  # 靠谁来管 asks how it is arranged
        return "method"
    if ENUMERATION_RE.search(q):
        return "enumeration"
    if DEFINITION_RE.search(q):
        return "definition"
    return ""


def byline_role(q: str) -> str:
    """The byline role a "who wrote / who photographed" question asks for ('' if none)."""
    # The role word stands by the who-word (谁拍的照片, 记者是谁), never inside another word
    # (拍板: to decide); a question that wants a date or number of the reporter's visit
    # (记者是哪天去的) is not asking who wrote it (the caller passes no fact type then).
    who = r"谁|哪位|叫什么|叫啥|名字|署名"  # (整理出的清单是哪几项 asks what, not who)
    for role, words in BYLINE_ROLES.items():
        word = "|".join(re.escape(w) for w in words)
        # (记者跟谁跑的巷子 / 记者见了谁: whom the reporter met, not who the reporter is)
        if re.search(rf"(?:{word})(?!板|手|卖|照顾|跟|和|与|同|见|去|找|问|采访).{{0,6}}(?:{who})|"
                     rf"(?:{who}).{{0,6}}(?:{word})(?!板|手|卖)", q):
            return role
    return ""


def _carry(question: str, history: list[dict], entities: EntityIndex, filters: dict[str, str]) -> list[Entity]:
    """Resolve 他 / 这个社区 / 那里 to what the latest earlier turn was about, within the filters."""
    if not PRONOUN_RE.search(question):
        return []
    if re.search(r"[他她](?!们)", question):  # 他对村里的变化咋看: the person is the subject
        prefer = ("name", "community", "street")
    elif STREET_PRONOUN_RE.search(question) and not re.search(r"社区|村", question):
        prefer = ("street", "community", "name")
    elif PLACE_PRONOUN_RE.search(question):
        prefer = ("community", "street", "name")
    else:
        prefer = ("name", "community", "street")
    for turn in reversed(history):
        answer, before = turn.get("answer") or "", turn.get("question") or ""
        # The one person the last question itself named (潘桂英老人住在哪个组？ → 她的儿女在哪里？)
        # is whom 他/她 means, whoever the answer cited for the words on them; unless it asked
        # after someone else (陈建国家楼里那位老人叫啥？ → 她多大了: the one the answer names).
        asked = [e for e in entities.find(before) if e.field == "name" and entities.within(e, filters)]
        someone_else = bool(WHO_RE.search(before) or WHO_IS_RE.search(before))
        if prefer[0] == "name" and len({e.value for e in asked}) == 1 and not someone_else:
            return asked[:1]
        # Whom the last answer cited (after its ——) comes before names inside the quoted words.
        cited = answer.rsplit("——", 1)[-1] if "——" in answer else ""
        found = [e for e in entities.find(f"{cited} {answer} {before}") if entities.within(e, filters)]
        if someone_else:
            found = [e for e in found if e.value not in {a.value for a in asked}] or found
        for wanted in prefer:
            picked = [e for e in found if e.field == wanted]
            if picked:
                return picked[:1]
    return []


# "还有什么做法", "别的呢": the reader wants what the last answers did not show. Without such a
# word (为什么选在这个时间), the sentence already shown may well be the answer again.
MORE_RE = re.compile(r"还有|还[做说讲提干]|另外|其他|其它|别的|此外|除了|再")


# When the document itself was issued (这篇一问一答是哪天发的, 这份述职报告是哪天做的, 发布时间):
# its header or dateline says, not the dates of what it reports. Serves questions on the document.
DOC_DATE_Q = re.compile(r"(?:这篇|这份|这期|本期|本文|这条|这则)[^？?，,。]{0,14}(?:哪天|哪一天|什么时候|啥时候|几号|几月几[号日])"
                        r"[^？?，,。]{0,3}(?:发|印|做|写|播|出|下发|签|刊)|(?:发布|印发|发表|刊发|签发)(?:时间|日期)")


# What the document is about (这篇报道主要讲了什么, 这份通知说的是啥): its lead says, under its headline.
GIST_Q = re.compile(r"(?:这篇|这份|本文|这则|这条|这期|文章|报道)[^？?，,。]{0,6}(?:主要)?(?:讲|说|写|介绍|报道|是)(?:了|的)?"
                    r"(?:什么|啥|些什么|些啥|哪些内容|什么内容|什么事)|主要内容")


# Which places the report names (文章里提到了哪些社区, 武侯区有哪几个社区): the records' places of
# that kind, within the place named. Serves roster questions on places.
# (the kind ends the question: 推广到了哪些社区 and 有哪几个社区参加了试点 ask the text, not the records)
PLACE_LIST_Q = re.compile(r"(?:提到|涉及|出现|有|包括)了?(?:哪些|哪几个|几个)(?P<kind>社区|村|街道|镇|乡|区|县)[呢啊呀]?[？?]?$")


# Which larger place a named one lies in (枫林村归哪个县哪个镇管, 玉林北路社区属于哪个街道, 魏家街社区在
# 哪个区): the records print each place with those above it. Serves roster questions on places.
PLACE_PARENT_Q = re.compile(r"(?:属于|归|隶属|是|在)(?:哪个|哪|什么)(?:区|县|市|街道|镇|乡)|(?:哪个|哪)(?:区|县|市|街道|镇|乡)(?:的|管)")


# A place name as readers write it (郫都区, 玉林街道, 莲花社区): a scope, never a predicate.
PLACE_WORD_RE = re.compile(r"[\u4e00-\u9fff]{1,6}?(?:新区|区|县|市|街道|镇|乡|社区|村)")


def intent_of(q: Question) -> str:
    text, people = q.text, q.named("name")
    places = q.named("community", "street", "district")
    # (柳荫街道和石门乡，哪边钱多: two values of two places, each part answered)
    if len(q.parts) >= 2 and (COMPARE_RE.search(text) or q.two_values or (len(people) >= 2 and _joined(text, people))):
        return "compare"
    if q.role:
        return "byline"
    if DOC_DATE_Q.search(text):
        return "dated"
    if GIST_Q.search(text) and not people:  # (贾永明对这份公约是什么态度 asks his view, not the gist)
        return "gist"
    if not people and PLACE_LIST_Q.search(text):
        return "places"
    if places and not people and PLACE_PARENT_Q.search(text):
        return "place"
    # "“三联+”联系的是哪些人" asks what a named thing covers, not for the article's list of people.
    if PEOPLE_LIST_RE.search(text) and not people and not QUOTED_TERM_RE.search(text) \
            and not COMPOSITION_RE.search(text):
        return "list"
    if PEOPLE_COUNT_RE.search(text) and not people:
        return "count"
    # 当书记前是做什么的 asks the records; 多大岁数 (a fact type) is no field of them
    # 当书记之前是干啥的 asks a past the records do not hold: the text must say it.
    if people and PERSON_ATTR_RE.search(text) and not SAYS_RE.search(text) and q.wants in (None, "name", "org") \
            and not re.search(r"之前|以前|原来|过去|早年|当\w{1,6}前|退休前|来\w{0,4}前|本职|主业", text):
        return "person"
    # "X的书记是谁": the title asked for stands right by the who-word (not 交流会的主题叫啥 in a
    # question that also says 书记 somewhere).
    if not people and places and re.search(rf"(?:{TITLE_RE.pattern}|支书|带头人|一把手)\w{{0,3}}(?:{WHO_IS_RE.pattern})|"
                                           rf"(?:{WHO_IS_RE.pattern})\w{{0,10}}(?:{TITLE_RE.pattern}|支书|带头人|一把手)", text):
        return "who_is"
    if WHO_RE.search(text) and not AGENT_WHO_RE.search(text) and (not people or _object_of_who(q)):
        return "who_said"
    return "search"


def _joined(text: str, people: list[Entity]) -> bool:
    """Two people named side by side (孙明和周岚…, 孙明、周岚…) are asked about each; 陈书记为李海波…
    names one as the other's object."""
    spots = sorted((text.find(e.surface), e.surface) for e in people if e.surface in text)
    return any(re.fullmatch(r"[和与跟同及、，,]|还有|以及", text[a + len(x):b])
               for (a, x), (b, _) in zip(spots, spots[1:]))


SAID_OF_RE = re.compile(r"[^，。？?]{0,6}?(?:说|讲|提到|夸|称赞|评价)[^？?]+的(?:人|那位|那个人)?(?:是谁|是哪位|是哪一位)")


def _object_of_who(q: Question) -> bool:
    """谁夸周书记干事有韧劲: the person named after the who-word and its verb is whom the words
    are about, not who said them (谁和周书记一起… names a companion: not this)."""
    who = WHO_RE.search(q.text)
    firsts = [q.text.find(e.surface) for e in q.named("name") if e.surface in q.text]
    # (说杨树林开会从不超过一个小时的是谁: the person is inside the words asked about, who-word last)
    return bool(firsts) and (who.end() < min(firsts) and not re.match(r"[和与跟同陪]", q.text[who.end():])
                             or bool(SAID_OF_RE.match(q.text)) and min(firsts) < who.start())


# A kind of person (律师, 专家) as the one who speaks: before a verb of saying or advising, never a
# word inside quotation marks (“律师说法”开栏以来 names a column) nor a kind asked about (调解员都是些什么人).
SPEAKS_AS_RE = re.compile(r"(?:们)?(?:也|还|都)?(?:说|讲|谈|建议|认为|觉得|提醒|表示|解释|让|对|咋|怎么|如何|怎样|给出|提出|指出)")


def _speaks_as(text: str, role: str) -> bool:
    bare = re.sub(r"“[^”]*”|‘[^’]*’|《[^》]*》", "", text)
    return any(SPEAKS_AS_RE.match(bare, m.end()) for m in re.finditer(re.escape(role), bare))


def understand(text: str, entities: EntityIndex, history: list[dict] | None = None,
               filters: dict[str, str] | None = None) -> Question:
    """``filters`` (record field -> value) narrow the search, kept apart from what the question names."""
    history, filters = history or [], {k: v for k, v in (filters or {}).items() if v}
    named = entities.find(text)
    if "doc_id" in filters:  # in one article, a short form matching a place of another article is noise
        named = [e for e in named if entities.within(e, {"doc_id": filters["doc_id"]})]
    # 县民政局副局长说了啥: the one who holds that office (who holds it is asked by 是谁: the records say;
    # 收入归谁, 有事找谁 hold a whom inside what is asked)
    if not WHO_RE.search(re.sub(r"[归找给向跟]谁", "", text)) and not WHO_IS_RE.search(text):
        speaking = [Entity("name", holders[0].name, office) for office, holders in entities.offices(text, filters)
                    if len(holders) == 1 and (office not in ROLE_TITLES or _speaks_as(text, office))]
        # (王女士这种情况，律师建议…: a kind of person who gives the words asked is their speaker,
        # whoever else the question names; they come first, as whose words are asked)
        named = [e for e in speaking if e.surface in ROLE_TITLES] + named if any(e.field == "name" for e in named) \
            else named + speaking
    has_subject = any(e.field in ("name", "community", "street") for e in named)
    carried = [] if has_subject else _carry(text, history, entities, filters)
    if not named and not carried:  # a question naming no one is about the person or place filtered on
        carried = [Entity(f, v, v) for f, v in filters.items() if f in FIELDS]
    wants, unit, noun = fact_type(text)
    also_wants = more_fact_types(text, wants) if wants else ()
    q = Question(text, named + carried, wants=wants, unit=unit, noun=noun, carried=bool(carried), also_wants=also_wants,
                 asks=asked_content(text), role="" if wants else byline_role(text), filters=filters,
                 history_quotes={s for t in history for s in re.findall(r"“([^”]+)”", t.get("answer") or "")}
                 if MORE_RE.search(text) else set())
    # 吵了几轮还定不下来，街道咋办: the number sets the scene; what is asked comes last (a method)
    numbers = [x.start() for x in NUMBER_Q.finditer(text)]
    if q.asks == "method" and wants and numbers and (m := METHOD_RE.search(text)) and max(numbers) < m.start():
        q.wants, q.unit, q.noun = None, "", ""
    if q.asks == "enumeration" and wants == "number" and re.search(r"哪几|哪些", text):
        q.wants = None  # 哪几个俱乐部 lists them; it does not ask how many
    if q.named("name") and re.search(RESIDENCE, text):
        q.wants, q.unit, q.noun = None, "", ""  # a building's number is no count
    if wants == "age" and not q.named("name") and not re.search(r"[他她岁]|年纪|年龄", text) and "多大" in text:
        q.wants, q.unit, q.noun = "number", "", "面积"  # 议事厅有多大 asks a size, not an age
    q.introductions = "".join(p.label for e in q.named("name") for p in entities.people_of(e))
    q.intent = intent_of(q)
    # 提出把名字和电话贴到巷口的是谁: a fact type inside what was said describes the words; the
    # question asks who said them
    if q.intent == "who_said" and q.wants in ("phone", "number", "date", "place", "duration"):
        q.wants, q.unit, q.noun = None, "", ""
    return q
