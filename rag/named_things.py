"""Whether evidence names the thing a question asks for: a body of the kind asked (哪家律所), a
name the question did not bring (主题叫啥), or the person in a role (那名夜班保安叫什么). Part of
the fact-type checks in ``rag.evidence``."""
from __future__ import annotations

import re

from rag.lexicon import ORG_SUFFIXES, TITLE_WORDS, is_name
from rag.records import LEVEL_WORD_RE, named_places


# A named organisation (XX物业服务有限公司), as opposed to a kind of one (物业企业, 物业公司).
# (a firm of lawyers, an institute, an association, a co-op: 正衡律师事务所, 乡村治理研究中心, 茶叶专业合作社)
ORG_KINDS = ("有限公司|股份公司|集团|公司|医院|银行|学校|大学|学院|小学|中学"
             "|事务所|研究院|研究所|研究中心|协会|学会|合作社|卫生院|派出所|法院|检察院|幼儿园")
ORG_A = re.compile(rf"([\u4e00-\u9fff]{{2,12}}?)(?:{ORG_KINDS})")
# (辖区小学, 周边医院: where a body is, not which one)
WHERE_NOT_WHICH_RE = re.compile(r"(?:辖区|周边|当地|附近|本地|周围|有关|相关|属地|村里|社区)$")
# A newspaper or broadcaster, often a short name (川报, 华西都市报, 德阳日报社).
MEDIA_A = re.compile(r"[\u4e00-\u9fff]{1,8}(?:日报社|日报|晚报|都市报|报社|电视台|广播电台|融媒体中心)|[\u4e00-\u9fff]报(?=[“‘《])")
# Who hosted or guided an event, as reports say it (由宜宾日报社主办): names the organisations.
HOSTED_BY_A = re.compile(r"由[^，。；]{2,40}?(?:主办|承办|指导|举办|发起|组织)")
GENERIC_ORG = re.compile(r"物业|服务|管理|专业|相关|一家|这家|该|引入|引进|由|请|的")


def names_something_new(question: str, evidence: str) -> bool:
    """The evidence names something the question did not (“红色物业” in both names nothing new)."""
    asked = re.sub(r"[^\w]", "", question)
    # (or places it writes out: 桂香苑、枫林里两个小区 names the 小区 asked for)
    return any(re.sub(r"[^\w]", "", m) not in asked for m in re.findall(r"[‘“《]([^’”》]+)[’”》]", evidence)) \
        or any(name not in asked and name.endswith(tuple(LEVEL_WORD_RE.findall(question)) or ("\0",))
               for name, _ in named_places(evidence))


def names_holder(role: str, evidence: str) -> bool:
    """A name printed by the role (保安王强, 王强（保安）): someone in it is named. Where the role is
    not printed (asked as 女老板 of a 理事长), any name printed after a title may be them."""
    if role not in evidence:
        return bool(re.search(rf"(?:{'|'.join(TITLE_WORDS)})([\u4e00-\u9fff]{{2,3}})", evidence))
    for m in re.finditer(re.escape(role), evidence):
        if _name_follows(evidence, m.end()) or re.search(
                r"([\u4e00-\u9fff]{2,3})[（(][^）)]*$", evidence[max(0, m.start() - 8):m.start()]):
            return True
    return False


NAME_AFTER_RE = re.compile(r"[ \u3000、]?([\u4e00-\u9fff]{2,4})")


def _name_follows(text: str, at: int) -> bool:
    """A name is printed right at ``at`` (after a post: 保安王强, 书记、杜明远)."""
    return bool((after := NAME_AFTER_RE.match(text, at)) and any(is_name(after.group(1)[:k]) for k in (3, 2)))


# 望湖社区的党组织书记叫什么: the holder must be of the place the question names; one printed
# with another place before the post (望湖街道党工委书记杜明远) is someone else. Serves name
# questions on a post at a named place.
PLACED_WITHIN = 12  # characters before the post where its place is printed


def held_elsewhere(question: str, role: str, evidence: str) -> bool:
    """Every named holder of ``role`` in the evidence is printed at another place than the one
    the question names before the role (False when it names none, or no holder is named)."""
    asked = [name for name, _ in named_places(question.split(role)[0])]
    holders = [m for m in re.finditer(re.escape(role), evidence) if _name_follows(evidence, m.end())]
    if not asked or not holders:
        return False
    return all((places := named_places(evidence[max(0, m.start() - PLACED_WITHIN):m.start()]))
               and not any(a in p or p in a for a in asked for p, _ in places) for m in holders)


# 陪同的县财政局负责人叫什么: a body asked by name whose head the evidence never names (县民政局、
# 县财政局有关负责同志陪同) has no name to give, whatever other titled names the passage prints.
# Serves name questions on the head of a named body.
BODY_BEFORE_ROLE_RE = re.compile(rf"(?P<body>[\u4e00-\u9fff]{{1,8}}?(?:{'|'.join(ORG_SUFFIXES)}))的?$")
NAMED_AFTER_BODY = 10  # characters between a body and the name printed for its post


def body_head_unnamed(question: str, role: str, evidence: str) -> bool:
    """The question names a body before ``role`` and the evidence prints no name after that body."""
    if role in evidence or not (m := BODY_BEFORE_ROLE_RE.search(question.split(role)[0])):
        return False
    body = m["body"][-3:]  # (县财政局 as 财政局: the body by its last characters)
    return body in evidence and not any(
        any(is_name(after[k:k + n]) for k in range(NAMED_AFTER_BODY) for n in (3, 2) if _after_title(after, k))
        for after in (evidence[i + len(body):i + len(body) + NAMED_AFTER_BODY + 3] for i in _at(evidence, body)))


def not_the_holder_asked(question: str, role: str, evidence: str) -> bool:
    """The evidence's named holders are not of the place or body the question asks the post of."""
    return held_elsewhere(question, role, evidence) or body_head_unnamed(question, role, evidence)


def _at(text: str, word: str) -> list[int]:
    return [m.start() for m in re.finditer(re.escape(word), text)]


def _after_title(text: str, k: int) -> bool:
    return any(text[:k].endswith(t) for t in TITLE_WORDS)


# The kind of body a question asks for (哪家餐饮公司, 哪个律所): a body of another kind is no answer
# (原幼儿园用房 names no 餐饮公司). Short forms as asked: 律所 for a 律师事务所.
# (a 学院 is a school; a 集团 a company; 单位 asks any body)
ASKED_KIND = {"律所": ("事务所",), "企业": ("公司", "集团"), "公司": ("公司", "集团"), "单位": (),
              "学校": ("学校", "学院", "大学", "小学", "中学", "幼儿园"), "大学": ("大学", "学院")}


def _of_asked_kind(question: str, suffix: str) -> bool:
    asked = re.findall(rf"律所|企业|单位|{ORG_KINDS}", question)
    kinds = ASKED_KIND.get(asked[-1], (asked[-1],)) if asked else ()
    return not kinds or any(suffix.endswith(k) for k in kinds)


def names_organisation(question: str, evidence: str) -> bool:
    # (外地一家互联网公司, 某物业公司: a determiner before it makes it a kind of body, unnamed)
    # (“时间银行”, “积分银行”: a scheme's quoted name, no bank)
    named = [m.group(1) for m in ORG_A.finditer(evidence)
             if not (evidence[m.start() - 1:m.start()] in "“‘「" and evidence[m.end():m.end() + 1] in "”’」" and m.start())
             and _of_asked_kind(question, m.group()[len(m.group(1)):])]
    orgs = [m for m in named if len(GENERIC_ORG.sub("", m)) >= 2 and m not in question
            and not re.search(r"[一某这那哪]家|某", m) and not WHERE_NOT_WHICH_RE.search(m)]
    return bool(orgs or HOSTED_BY_A.search(evidence) or MEDIA_A.search(evidence))


def view_misses_whom(q, chunk, context: str) -> str | None:
    """韩立新对罗建军的述职是怎么评价的: a view of someone else is a view that names them, if only by
    the given name (玉芬比闺女还亲 is of 刘玉芬); why the speaker's words are none, or None."""
    objects = [e for e in q.named("name") if chunk.speaker and not e.matches(chunk.speaker)] if q.asks == "stance" else []
    if objects and not any(n in context for e in objects for n in (e.surface, e.value, e.value[-2:] if len(e.value) == 3 else e.value)):
        return f"其中{chunk.speaker.name}的话没有说到{objects[0].surface}"
    return None


# A list of people a report prints without the records' names (居民代表、物业公司负责人和社区民警;
# 杨佳怡、刘梦瑶、王一鸣): items joined by 、和及与, two or more of them a kind of person or a name.
# Serves list questions restricted by what people did (列席的有哪些人, 参加高考的孩子都有谁).
PERSON_KIND_END = re.compile(r"(?:代表|负责人|民警|党员|乡贤|书记|主任|干部|居民|村民|群众|志愿者|骨干|能人|委员|员|长|人|者|师|生"
                             r"|子女|儿女|家属|亲属)$")
# (区人民医院…主任医师罗国梁、区红十字会培训部部长邵文涛: each item a post and a name)
POSTED_NAME_END = re.compile(rf"(?:{'|'.join(TITLE_WORDS)}|[师员长者])(?P<name>[\u4e00-\u9fff]{{2,3}})$")
LIST_RUN_RE = re.compile(r"[\u4e00-\u9fff（）()]+(?:[、和及与][\u4e00-\u9fff（）()]+)+")


def lists_people(text: str) -> bool:
    for run in LIST_RUN_RE.finditer(text):
        items = re.split(r"[、和及与]", run.group())
        people = [i for k, i in enumerate(items) if PERSON_KIND_END.search(i) or (k and is_name(i))
                  or ((m := POSTED_NAME_END.search(i)) and is_name(m["name"]))]
        if len(people) >= 2:
            return True
    return False


# 请假没来的3名成员分别是谁, 投弃权票的两位代表是谁: people a report counts (3名成员因病请假) but
# never names; the count is no answer to who they are. Serves who-questions on counted people.
COUNTED_WHO_RE = re.compile(r"(?P<n>[0-9一二两三四五六七八九十]+)(?P<unit>[名位个户])[^，。？?]{0,10}?"
                            r"(?:分别)?(?:是谁|是哪几位|是哪些人|叫什么|叫啥|有谁|都是谁)")
TITLED_RE = re.compile(rf"(?:{'|'.join(TITLE_WORDS)}|人|员|者)[ \u3000]?(?P<name>[\u4e00-\u9fff]{{2,3}})")


def counted_not_named(question: str, evidence: str, names) -> str | None:
    """The count the evidence gives of the people asked after, when it names none of them (None if it does)."""
    if not (m := COUNTED_WHO_RE.search(question)):
        return None
    counted = re.search(rf"{m['n']}[^，。；0-9]{{0,2}}?{m['unit']}[\u4e00-\u9fff]{{0,6}}", evidence)
    if not counted:
        return None
    # (``names``: the article's people, asked for only when a count stands in the evidence)
    named = any(n in evidence for n in names()) or any(is_name(t["name"]) or is_name(t["name"][:2])
                                                       for t in TITLED_RE.finditer(evidence))
    return None if named else counted.group()


# 那17家爱心商户具体都是哪些店, 17家企业都是哪些公司, 还没办结的那4件难事都是啥: things a report
# counts (辖区17家爱心商户的捐赠) but never lists; the count is no answer to which they are.
# Serves which-ones questions on counted things.
COUNTED_WHICH_RE = re.compile(r"(?P<n>[0-9]+|[一二两三四五六七八九十]+)(?P<unit>[家个件项所条座处只])[^，。？?]{0,12}?"
                              r"(?:哪些|哪几|都是啥|都是什么|是啥|分别是(?!多少|几)|分别叫|叫什么|叫啥)")
# (or numbered points open after a colon: 达成了“四条共识”：一是…；二是…)
LISTED_RE = re.compile(r"[\u4e00-\u9fff”」]{2,}[、；;][\u4e00-\u9fff“「]{2,}|[：:]\s*(?:一是|一要|第一|1[.、．]|①)")


def counted_not_listed(question: str, evidence: str) -> str | None:
    """The count the evidence gives of the things asked after, when the sentence giving it lists
    none of them (None if it does, or if it gives no such count)."""
    if not (m := COUNTED_WHICH_RE.search(question)):
        return None
    counted = re.search(rf"(?<![0-9]){m['n']}{m['unit']}[\u4e00-\u9fff]{{0,6}}", evidence)
    if not counted:
        return None
    opening = max(evidence.rfind(c, 0, counted.start()) for c in "。！？\n") + 1
    closings = [i for i in (evidence.find(c, counted.end()) for c in "。！？\n") if i >= 0]
    sentence = evidence[opening:min(closings) if closings else len(evidence)]
    return None if LISTED_RE.search(sentence) else counted.group()


# 吴秀兰以前在浙江哪个城市打工, 她是哪个专业的学生, 王春兰是哪个组的, 新电梯是哪个品牌的: which one
# of a kind is asked, and an answer prints one by name, with its kind word (杭州市, 社会工作专业, 三组,
# “XX”牌); a sentence that only says the kind (在浙江打工, 3个老旧小区) names none. Serves which-one
# questions on kinds printed with their kind word. (the kind as asked -> how an instance is printed)
# (a kind word inside a longer word is another thing: 哪个网格员, 什么社区治理工作法)
# (not 小区, 社区, 街道: a community is printed as 纺机新村, 锦绣里 as often as with its kind word)
KIND_ASKED_RE = re.compile(r"(?:哪[个家所]|什么|啥)(?P<kind>城市|专业|品牌|网格|方面|组|县|病)"
                           r"(?![员长人治理工作建服管委织])")
KIND_PRINTED = {"专业": r"[\u4e00-\u9fff]{2,10}专业", "品牌": r"[\u4e00-\u9fff]{1,8}(?:品牌|牌)|[“‘][^”’]{2,12}[”’]",
                "网格": r"第?[一二三四五六七八九十0-9]+网格|[\u4e00-\u9fff]{2,4}网格", "方面": r"[\u4e00-\u9fff]{2,8}方面",
                "组": r"[一二三四五六七八九十0-9]+组", "病": r"[\u4e00-\u9fff]{1,6}(?:病|症|癌|炎)"}
KIND_LEVEL = {"城市": "市", "县": "县"}


def kind_unnamed(question: str, evidence: str) -> str | None:
    """The kind asked after when the evidence names no new one of it (None when it does, or when
    the question asks no such kind)."""
    if not (m := KIND_ASKED_RE.search(question)):
        return None
    kind = m["kind"]
    if kind in KIND_LEVEL:
        named = [n for n, _ in named_places(evidence) if n.endswith(KIND_LEVEL[kind]) and n not in question]
    else:
        named = [x for x in re.findall(KIND_PRINTED[kind], evidence) if x not in question]
    return None if named else kind


def which_unnamed(question: str, evidence: str, label: str, searching: bool) -> str | None:
    """Why the evidence names none of the things asked which of: counted but never listed, or a
    kind with no one of it printed (in the evidence or the speaker's label, 桂香社区第三网格网格员);
    None otherwise."""
    if counted := counted_not_listed(question, evidence):
        return f"其中只说了“{counted}”，没有列出是哪些"
    if searching and (kind := kind_unnamed(question, f"{evidence} {label}")):
        return f"其中没有提到是哪个{kind}"
    return None
