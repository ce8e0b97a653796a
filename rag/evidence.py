"""Answerability: can this evidence answer what the question asks?

Two checks, asked before anything is quoted:

* the fact type: a question after a date, a number, a duration, an age, a phone number, a place
  or a name is answered only by evidence that holds one;
* the focus: the question's own content words (not the people or places it names: naming
  someone is not evidence) must be found in the evidence, as the word, a 词林 synonym, or a
  word close to it in meaning (``rag.coverage``).
"""
from __future__ import annotations

import re
from dataclasses import replace

from rag.lexicon import KIN_FORMS, NUM, PEOPLE_MEASURES, QUANTITY, TIMES_MEASURES, cost_words, is_name
from rag.named_things import names_holder, names_organisation, names_something_new
from rag.rates import money_printed, rate_lacks
from rag.records import LEVEL_WORD_RE, PLACE_LEVELS, named_places, scopes
from rag.tense import FUTURE_Q, PAST_Q, TENURE_A, TENURE_Q, WILL_VERB_RE, tense_lacks, to_come
from rag.understand import Question

# (8662 7315转8023: a number printed in groups, with its extension)
PHONE_A = re.compile(r"\d{7,}|\d{3,4}-\d{7,8}|\d{3,4}[ \u3000-]\d{4}(?:[ -]?\d{4})?|@")
YEAR_A = re.compile(r"\d{4}年")
# A date, or the time of a recurring event (每月第一个周四晚上7点): both answer 啥时候开.
# (or a time told from now: 下周贴出来, 这个月底前, 明年上半年, 年底前)
DATE_A = re.compile(rf"{NUM}月{NUM}日|\d{{4}}年|{NUM}月|{NUM}日|每(?:个)?[月周年]|(?:周|星期)[一二三四五六日天]|{NUM}点"
                    r"|下(?:周|个?月|半年)|(?:这个?|本)(?:月|周)底?|月底|年底|明年(?:上半年|下半年|年底|初)?|明天|后天|今年(?:底|内)")
# 哪天开的, 几号: a day is asked, which a month or a year does not give (今年3月 for 3月11日晚上): a day,
# a weekday, a holiday or a day told from now answers it.
DAY_Q = re.compile(r"哪天|哪一天|哪一日|几号(?!楼|栋|院|单元|门|线|房|窗口|床|车道|地块)|几月几[日号]")
DAY_A = re.compile(rf"{NUM}[日号]|(?:周|星期|礼拜)[一二三四五六日天]|[今昨前明后当]天|当日|当晚"
                   r"|除夕|春节|元旦|元宵|端午|中秋|国庆|重阳|(?:正月|腊月)?初[一二三四五六七八九十]")
# A length of time (半小时, 3年, 每季度); a calendar year (2022年) is not one.
DURATION_A = re.compile(r"(?:半|(?<![0-9])[0-9]{1,3}(?:\.[0-9])?|[一二三四五六七八九十百两几]+)(?:多)?(?:个)?"
                        r"(?:小时|分钟|天|日|周|星期|个月|月|年|季度|时辰)(?:之内|以内|内)?|每(?:个)?(?:季度|年|周|星期)")
# (第几名 / 排到第几名以内: a rank, 第3名 or 前20名)
# (第3网格, 第五村民小组: a numbered unit is an ordinal too)
ORDINAL_A = re.compile(rf"第{NUM}(?:[期届次回轮批个场名位组号栋]|网格|小组|村民小组|片区)|前{NUM}[名位]"
                       r"|\d{1,4}(?:号楼|号院|号房|室|单元|楼(?!道|下|上|房))")  # (602室, 5号楼, 5楼; 14栋 may count)
RATIO_A = re.compile(rf"[0-9０-９.]+[%％]|百分之{NUM}|{NUM}成|{NUM}分之{NUM}")
# Where an event took place: 在…举行/举办/召开, or a venue word.
PLACE_A = re.compile(r"在[^，。,；;]{2,30}?(?:举行|举办|召开|开展|进行|开讲)|(?:中心|广场|礼堂|会议室|议事厅|大厅|酒店|会场)")
# (60岁以上老人 is a bracket of ages that describes a group, no one's age)
# (18至35岁的 is a bracket too, from one age to another)
AGE_A = re.compile(rf"(?<![至到~～—\-0-9０-９一二三四五六七八九十百千万两]){NUM}岁(?!以上|以下|及以上|及以下)|年过{NUM}|{NUM}后")
# "二十多起纠纷", "163个", "40余名", "1.2万", "六成", "上百万观众", "二十几件", "加10分" (points, not 分钟),
# "63万小时" (hours of service counted), "4大本" (a size word between), "办了47期", "走了21360步", and a count
# in ten-thousands after its noun, "注册用户已达86万": a quantity.
AMOUNT_A = re.compile(
    rf"(?:[0-9０-９]+(?:\.[0-9]+)?|[一二三四五六七八九十百千两]+几?)(?:多|余|来)?[万亿]?[大小整]?"
    rf"(?:小时|[{re.escape('个位户名人支届年次项条家所座间元倍处起辆场件批平方米栋幢盏亩吨部趟回遍期步页张本册桌斤棵台块封份票单箱袋瓶只卷头')}]|%|％|成|分(?!钟|之))"
    rf"|(?:上|近|数|逾|超过?)[十百千万亿]{{1,2}}|[0-9]+(?:\.[0-9]+)?[万亿](?![0-9元块万亿\u4e00-\u9fff])")


# An age said of a group (平均年龄, 年龄最大的, 最小的): no one person's age.
GROUP_AGE_RE = re.compile(r"平均|年龄最大|年龄最小|最大的|最小的|年龄结构")
# How near a name an age must stand to be that person's (58岁的秦德山, 秦德山今年58岁, 老秦，58岁).
AGE_NEAR = 10


def age_of(names, others, evidence: str, theirs: bool) -> bool:
    """Whether ``evidence`` gives the age of the person called any of ``names``: an age next to
    one of them, or, in a passage of theirs (their words, the report's words on them), an age next
    to no one else (``others``: the names of everyone else). 70岁的陈秀英 in a question about
    周建华 is someone else's age. Serves age questions about a named person."""
    for m in AGE_A.finditer(evidence):
        near = evidence[max(0, m.start() - AGE_NEAR):m.end() + AGE_NEAR]
        if GROUP_AGE_RE.search(re.split(r"[，。；,;！？]", evidence[max(0, m.start() - 2 * AGE_NEAR):m.start()])[-1]):
            continue  # 平均年龄从54岁降到了38岁: a group's age, no one's
        if any(n in near for n in names):
            return True
        if theirs and not any(n in near for n in others):
            return True
    return False


def numbers_in(text: str) -> set[str]:
    return set(re.findall(QUANTITY, text))


def quantities(text: str) -> set[str]:
    """The amounts and shares a text gives (41%, 96万元, 二十几件), as written."""
    return set(AMOUNT_A.findall(text)) | set(RATIO_A.findall(text))


def measures(text: str) -> list[str]:
    """The measure of each distinct quantity in a text (% for 41%, 元 for 96万元): two values of one
    thing are given in one measure (8块钱 … 13块), a price and a share are not two values of one thing."""
    # (2023年, 十多年: a time, which sets the scene of a value rather than being one)
    # (41.5公里 and 30公里: two lengths of road are two values of one thing too)
    return [m for amount in quantities(text) | set(LENGTH_A.findall(text)) if (m := amount.rstrip("多余来")[-1:]) != "年"]


# Measure words that say nothing of what is counted (3个, 5位): the counted noun must stand by.
GENERIC_MEASURES = "个位名人"
NEAR = 12  # characters around a quantity for the question's context words (收入, 经费)
NOUN_NEAR = 6  # characters before a quantity that may name what it counts (老旧院落改造412个)
# After a quantity its noun phrase runs to the first preposition or light verb: 40余名街道、社区（村）
# 书记 counts 书记, but 7项具体工作来打造社区品牌 counts no 社区.
NOUN_PHRASE_END = re.compile(r"[来把被让将向对从以是为给用]")
CLAUSE_END = "，。；;！？!?,"


def _clause_around(evidence: str, start: int, end: int) -> str:
    """The clause holding a quantity, at most NEAR characters either side: 辖区有32个院落、4860户居民
    counts 院落 and 居民, but 9件大事，都是居民在线上议事 counts no 居民."""
    a = max(0, start - NEAR)
    b = min(len(evidence), end + NEAR)
    before = evidence[a:start]
    cut = max(before.rfind(c) for c in CLAUSE_END)
    after = evidence[end:b]
    stops = [i for i in (after.find(c) for c in CLAUSE_END) if i >= 0]
    return before[cut + 1:] + evidence[start:end] + after[:min(stops) if stops else len(after)]


def _asked_places(q: Question) -> tuple[set[str], int | None]:
    """The forms of the places a question counts in that the records know (云溪区, 云溪), and the
    finest level among them. (A place no record holds may be misspelt: it decides nothing; one
    carried from the conversation is the topic, not the place counted in: 街道打算推广到多少个社区.)"""
    if q.carried:
        return set(), None
    named = [(e.value, PLACE_LEVELS[m.group()]) for e in q.entities
             if e.field != "name" and (m := LEVEL_WORD_RE.search(e.value[-2:]))]
    forms = {f for name, _ in named for f in (name, LEVEL_WORD_RE.sub("", name)) if len(f) >= 2}
    # (a count in a sentence about a person the question names is theirs, wherever they work:
    # 杏花村和陈晓燕负责的网格分别有多少户)
    forms |= {f for e in q.entities for f in (e.surface, e.value)}
    return forms, max((level for _, level in named), default=None)


COARSE_LEVEL = PLACE_LEVELS["街道"]
# A sum given to or earned by someone (财政每台补助20万元, 月收入高出1500元) is no cost of the thing
# it stands beside. Serves cost questions (总造价要多少钱, 花了多少钱).
NOT_A_COST_RE = re.compile(r"(?:补助|补贴|奖补|奖励|收入|增收|分红|工资|月薪|降低|节省|省下)了?[约近达]?$")


def _of_another_place(asked: tuple[set[str], int | None], sentence: str) -> bool:
    """A count in a sentence about another place than the question's: 全市已建成…416个 does not
    count 云溪区's, 北关街道…装了14部 not 纺机社区's. Serves how-many questions about a named place."""
    forms, level = asked
    if level is None or any(f in sentence for f in forms):
        return False
    # (社区, 村, 小区 follow verbs and kinds too often, 认领社区项目: only coarser places name one)
    return any(s != level for s in scopes(sentence)) or any(lv <= COARSE_LEVEL for _, lv in named_places(sentence))


# 全县60岁以上老人有多少: a count of the whole county is said of it (全县, 桐川县), not of one of its
# villages (河口村60周岁以上老人有312人). Serves how-many questions on a whole place.
WHOLE_Q = re.compile(r"全(县|市|区|镇|乡|村|街道|省)")


def _not_the_whole(question: str, sentence: str) -> bool:
    if not (m := WHOLE_Q.search(question)):
        return False
    level = m.group(1)
    return f"全{level}" not in sentence and not any(name.endswith(level) for name, _ in named_places(sentence))


# 槐树里小区一共有多少户: a count of a whole wider place (今年全区…惠及居民1.2万户) is not one of
# the place the question writes out, even where no record holds that place. Serves how-many
# questions on one named place.
def _whole_of_wider(written: list[tuple[str, int]], sentence: str) -> bool:
    if not written or any(name in sentence or name[:-1] in sentence for name, _ in written):
        return False
    finest = max(level for _, level in written)
    return any(level < finest for level in scopes(sentence))


def _sentence_around(text: str, start: int, end: int) -> str:
    opening = max(text.rfind(c, 0, start) for c in "。！？!?\n")
    closings = [i for i in (text.find(c, end) for c in "。！？!?\n") if i >= 0]
    return text[opening + 1:min(closings) if closings else len(text)]


def _beside(evidence: str, m: re.Match, near: str, measure: str) -> str:
    """The words that may name what a quantity counts: the noun next to it (47名在外青年, 老旧院落
    改造412个), not anywhere in the clause (7项具体工作来打造社区品牌 counts no 社区)."""
    amount = m.group()
    at = near.index(amount) + len(amount)
    after = NOUN_PHRASE_END.split(near[at:at + NEAR], 1)[0]
    beside = near[max(0, at - len(amount) - NOUN_NEAR):at] + after
    # or it opens the clause as its subject (物业费按每平方米每月0.3元收取)
    beside += "|" + near[:NOUN_NEAR]
    # or it heads a long noun phrase after its modifiers (20个老旧院落和农村院坝治理的典型案例)
    rest = re.split(f"[{CLAUSE_END}]", evidence[m.end():m.end() + 3 * NEAR], maxsplit=1)[0]
    if "的" in rest:
        beside += "|" + NOUN_PHRASE_END.split(rest.rsplit("的", 1)[1], 1)[0][:NOUN_NEAR]
    # or, when the quantity ends its clause with a bare measure (年轻人，这两年陆续回来了37个),
    # the sentence's topic before it is what is counted
    # (其中独居老人23位 counts a part of the topic, not the topic)
    if not after.strip() and measure in GENERIC_MEASURES + "位名" and not near.startswith("其中"):
        opening = evidence[:m.start()]
        beside += "|" + opening[max(opening.rfind(c) for c in "。！？!?") + 1:]
    return beside


def _counts(q: Question, evidence: str, context=(), names_noun=None) -> bool:
    """The evidence gives a quantity of what the question counts (not one the question brought).
    ``context``: the question's own content words; one of them must stand near the quantity, so
    "产业路花了多少钱" is not answered by "集体经济收入突破了40万元". ``names_noun(clause)``: whether
    a clause names the counted noun (the answerer's lexicon knows 老院子 is 老旧院落); by default
    the noun's first two characters."""
    names_noun = names_noun or (lambda clause: q.noun[:2] in clause or q.noun[-2:] in clause)
    evidence = money_printed(evidence) if q.unit == "元" else evidence  # (收入合计　191,845.96 in a table)
    asked, cost = _asked_places(q), bool(cost_words(q.text))
    written = named_places(q.text)
    for m in AMOUNT_A.finditer(evidence):
        amount = m.group()
        counted = numbers_in(amount)
        # the question's own number is no answer, unless it counts something else (每1分换多少钱: 1元)
        unit_of = amount.rstrip("多余来万亿")[-1:]
        own = counted and counted <= numbers_in(q.text) and (unit_of in q.text or unit_of in GENERIC_MEASURES)
        if amount in q.text or own or YEAR_A.fullmatch(amount) \
                or (re.fullmatch(r"一\w", amount) and not (q.unit in TIMES_MEASURES and amount[1] in TIMES_MEASURES)) \
                or evidence[m.start() - 1:m.start()] == "第":
            # 一个老社区, 一批集体: an article or a vague amount (but 一年只取一次 answers 取几回);
            # 第六届: an ordinal; none is a count
            continue  # the question's own number, or a calendar year (2022年) rather than a count
        near = _clause_around(evidence, m.start(), m.end())
        if context and not any(w in near for w in context):
            continue
        sentence = _sentence_around(evidence, m.start(), m.end())
        if _of_another_place(asked, sentence) or _not_the_whole(q.text, sentence) \
                or _whole_of_wider(written, sentence):
            continue
        if cost and NOT_A_COST_RE.search(evidence[max(0, m.start() - NOUN_NEAR):m.start()]):
            continue
        measure = amount.rstrip("多余来万亿")[-1:]
        if q.unit and q.unit in PEOPLE_MEASURES and not q.noun:  # 互助队有多少人: a count of people
            # (队里41个人: 个 before 人 counts people too)
            if measure in PEOPLE_MEASURES or measure == "个" and evidence.startswith("人", m.end()):
                return True
            continue
        if q.unit and q.unit not in GENERIC_MEASURES:  # 多少户: only a count of 户 answers it
            # (几栋楼 is counted by 9个楼栋 too: the asked measure in the noun a generic one counts)
            # (12块钱 is money as spoken: 块 with 钱 after it is 元)
            if q.unit in amount or (q.unit in TIMES_MEASURES and measure in TIMES_MEASURES) or (
                    q.unit == "元" and measure == "块" and evidence.startswith("钱", m.end())) or (
                    measure in GENERIC_MEASURES and q.unit in evidence[m.end():m.end() + 2]):
                return True
            continue
        # 20位/62名 count people, never places or things (多少个社区拿了奖 is no 近20位社区书记)
        if measure in "位名" and re.search(r"社区|村|街道|镇|乡|小区|院落|单位|项目", q.noun) \
                and not re.search(r"书记|人|干部|代表|员|者|民|主任", q.noun):
            continue
        specific = q.unit and measure not in GENERIC_MEASURES and amount[:1] not in "上近数逾超"
        # 多少个小组 is answered by 12支学习团队 only when the counted noun is there (第六届 is no count of 社区)
        beside = _beside(evidence, m, near, measure)
        if (not q.noun and not specific) or (q.noun and names_noun(beside)):
            return True
    return False


# Whose number is asked (康宁社区养老服务站的预约电话, 徐晓丽的个人手机号): the number must be printed
# after that party's name (within PHONE_NEAR characters), and a 手机 is a mobile's eleven digits.
PHONE_OWNER_Q = re.compile(r"([\u4e00-\u9fff]{2,12}?)的[\u4e00-\u9fff]{0,4}?(?:电话|热线|手机|联系方式)")
MOBILE_A = re.compile(r"1[3-9]\d{9}")
PHONE_NEAR = 40


def _phone_of(question: str, evidence: str, number: re.Match) -> bool:
    if "手机" in question and not MOBILE_A.fullmatch(re.sub(r"[ \u3000-]", "", number.group())):
        return False
    owner = PHONE_OWNER_Q.search(question)
    name = owner and re.sub(r"^(?:联系人|那个|这个)", "", owner.group(1))
    return not name or len(name) < 2 or name[:2] in evidence[max(0, number.start() - PHONE_NEAR):number.start()]


def evidence_lacks(q: Question, evidence: str, context=(), names_noun=None) -> str | None:
    """Why ``evidence`` cannot answer the fact types the question asks for (None if it can)."""
    for wants, unit, noun in q.also_wants:  # 几号开的，在哪开的: each fact asked must be there
        if lacks := _lacks(replace(q, wants=wants, unit=unit, noun=noun, also_wants=()), evidence):
            return lacks
    return _lacks(q, evidence, context, names_noun)


# A change told without a count (下降了一半多, 翻了一番, 提高到九成).
CHANGE_A = re.compile(rf"一半|过半|大半|近半|翻了?一?番|{NUM}倍|[降提增减升]到")
# A time of day (晚上8点半, 9:00, 十点钟).
# (or as notices print it: 22时30分, 19时许)
CLOCK_A = re.compile(rf"{NUM}点(?:半|钟|[0-9]+分)?|\d{{1,2}}[:：]\d{{2}}|(?<![小])\d{{1,2}}时(?:\d{{1,2}}分|许|半)?")
# A distance (全长2.3公里, 1800米, 三里路).
LENGTH_A = re.compile(rf"(?:[0-9]+(?:\.[0-9]+)?|{NUM})(?:多|余)?(?:公里|千米|米|里)")
# How often something happens (每季度举办一次, 每月15日, 一年两次): answers 多久搞一次.
FREQUENCY_A = re.compile(r"每(?:个)?(?:[月周年天晚]|季度|半年|星期)|[一每][年月周]\w?[一两三四五六七八九十几]次|定期")


# A person's life before or beside the post (在哪读的博士, 退休前在哪个学校教书, 哪一年入的党,
# 老家在哪): named exactly or not at all; a near word (教授 for 博士) is someone's title, not it.
# (and the turns of a named person's life the report may not tell: 哪一年去世的, 退休前, 调到哪去了)
LIFE_TURNS = ("去世", "逝世", "离世", "过世", "退休", "调到", "调走", "调任")
BIOGRAPHY_RE = re.compile(r"博士|硕士|学历|毕业|学校|入\w?党|党龄|老家|籍贯|出生|" + "|".join(LIFE_TURNS))
# How the evidence says each, when not as the question does: 入党 as 入了党; a school by its own
# kind (青石师范学院, 东湖区第二实验小学). Serves 哪个学校 / 跟学校 questions.
BIOGRAPHY_SAID = {"入": r"入\w?党", "学校": r"学校|小学|中学|大学|学院|幼儿园|高校|职校|技校",
                  **dict.fromkeys(("去世", "逝世", "离世", "过世"), r"去世|逝世|离世|过世|病逝|牺牲|故去"),
                  **dict.fromkeys(("调到", "调走", "调任"), r"调到|调走|调任|调往|调离")}


# 刘女士的老伴多大, 孙桂英的女儿叫什么: what is asked is the relative's, not the named person's. The
# evidence must name the relative, an age must stand by them, a name must be printed with them.
# Serves questions on family members, common in profiles, visits and case stories.
KIN_RE = re.compile(rf"(?:的|[他她]|家)(?P<kin>{'|'.join(sorted(KIN_FORMS, key=len, reverse=True))})")
KIN_NAME_Q = re.compile(r"叫(?:什么|啥)|名字|姓(?:什么|啥)")


# 庞立新今年多大年纪, 王奶奶多大岁数: someone no record holds, asked by name or by a familiar form,
# has an age only where one stands by that name (沈月琴今年70岁 is hers). Serves age questions on
# people a notice or a story names in passing.
AGE_SUBJECT_RE = re.compile(r"(?P<who>[\u4e00-\u9fff]{2,4}?)(?:今年|现在|目前|已经)?有?(?:多大|几岁|多少岁|的年龄|年纪|岁数)")


def _unrecorded_age_lacks(q: Question, evidence: str) -> str | None:
    if q.wants != "age" or q.named("name") or not (m := AGE_SUBJECT_RE.search(q.text)):
        return None
    forms = {f for f in (m["who"][-3:], m["who"][-2:]) if is_name(f)}
    if forms and not age_of(forms, set(), evidence, theirs=False):
        return f"其中没有提到{max(forms, key=len)}的年龄"
    return None


def _relative_lacks(q: Question, evidence: str) -> str | None:
    if not (m := KIN_RE.search(q.text)):
        return None
    kin, forms = m["kin"], KIN_FORMS[m["kin"]]
    spots = [x.start() for f in forms for x in re.finditer(f, evidence)]
    if not spots:
        return f"其中没有提到{kin}"
    if q.wants == "age" and not any(AGE_A.search(evidence[max(0, i - AGE_NEAR):i + AGE_NEAR]) for i in spots):
        return f"其中没有提到{kin}的年龄"
    if KIN_NAME_Q.search(q.text) and not any(names_holder(f, evidence) for f in forms if f in evidence):
        return f"其中没有提到{kin}的名字"
    return None


def _biography_lacks(q: Question, evidence: str) -> str | None:
    asked = q.text
    for e in q.entities:  # (退休老张头 is a name as printed, not a retirement asked about)
        asked = asked.replace(e.surface, " ")
    for m in BIOGRAPHY_RE.finditer(asked):
        if m.group() in LIFE_TURNS and not q.named("name"):
            continue  # (老人过世了家属得几天内说一声: a procedure, no one's life)
        word = "入" if m.group().startswith("入") else m.group()
        if not re.search(BIOGRAPHY_SAID.get(word, re.escape(word)), evidence):
            return f"其中没有提到“{m.group()}”"
    return None


def _lacks(q: Question, evidence: str, context=(), names_noun=None) -> str | None:
    if lacks := (tense_lacks(q, evidence) or _relative_lacks(q, evidence) or _unrecorded_age_lacks(q, evidence)
                 or _biography_lacks(q, evidence)):
        return lacks
    if q.wants == "change" and not (CHANGE_A.search(evidence) or RATIO_A.search(evidence) or AMOUNT_A.search(evidence)):
        return "其中没有提到变化了多少"
    if q.wants == "clock" and not CLOCK_A.search(evidence):
        return "其中没有提到几点"
    if q.wants == "length" and not LENGTH_A.search(evidence):
        return "其中没有提到长度"
    if q.wants == "frequency" and not FREQUENCY_A.search(evidence):
        return "其中没有提到多久一次"
    if q.wants == "phone" and not any(_phone_of(q.text, evidence, m) for m in PHONE_A.finditer(evidence)):
        return "其中没有电话号码或联系方式"
    if q.wants == "age" and not AGE_A.search(evidence):
        return "其中没有提到年龄"
    if q.wants == "date" and DAY_Q.search(q.text) and not DAY_A.search(evidence):
        return "其中没有提到是哪一天"
    if q.wants in ("date", "year"):
        pattern = YEAR_A if q.wants == "year" else DATE_A
        past = bool(PAST_Q.search(q.text)) and not FUTURE_Q.search(q.text) and not WILL_VERB_RE.search(q.text)
        if not {d.group() for d in pattern.finditer(evidence) if d.group() not in q.text
                and not (past and to_come(evidence, d))}:
            return "其中没有提到相关的年份" if q.wants == "year" else "其中没有提到相关的日期"
    # (15日内 is fifteen days; a bare 15日 is a date)
    durations = [re.sub(r"日(?=之内|以内|内)", "天", d) for d in DURATION_A.findall(evidence)]
    if q.wants == "duration" and not any(q.unit in d for d in durations):
        return "其中没有提到时长"
    if q.wants == "duration" and TENURE_Q.search(q.text) and not any(
            TENURE_A.search(_clause_around(evidence, m.start(), m.end())) for m in DURATION_A.finditer(evidence)):
        return "其中没有提到任职多久"
    if q.wants == "number" and (lacks := rate_lacks(q.text, evidence)):
        return lacks
    if q.wants == "number" and not _counts(q, evidence, context, names_noun):
        what = f"{q.unit}{q.noun}" or "数字"
        return f"其中没有给出“多少{what[:8]}”这样的数字"
    # 在哪个社区办 is answered by 在/走进/到 a named one (走进江北社区), not by 社区养老服务.
    venue = re.search(rf"(?:在|走进|来到|到|于|赴)[\u4e00-\u9fff]{{1,12}}{re.escape(q.noun)}", evidence) if q.noun else None
    if q.wants == "place" and ((q.noun and not venue) or (not q.noun and not PLACE_A.search(evidence))):
        return f"其中没有提到在哪个{q.noun}" if q.noun else "其中没有提到地点"
    if q.wants == "ordinal" and not ORDINAL_A.search(evidence):
        return "其中没有提到是第几次"
    if q.wants == "ratio" and not RATIO_A.search(evidence):
        return "其中没有给出比例"
    if q.wants == "name" and not names_something_new(q.text, evidence):
        return "其中没有列出具体名称"
    if q.wants == "org" and not names_organisation(q.text, evidence):
        return "其中没有提到具体是哪家单位"
    return None
