"""Introductions of people the article names: the full ones (organisation, title, name) and
those only later speech reveals (a bare name that speaks, a described resident whose pronoun speaks,
a familiar 老孙 who speaks). Used by the parser (rag.ingest) to build the article's records.
"""
from __future__ import annotations

import re

from rag.cutting import names_a_thing, untitled_name
from rag.lexicon import ADDRESS_FORMS, KIN_FORMS, KINSHIP_FORMS, SPEECH_VERBS, SURNAMES, TITLE_WORDS
from rag.mention_grammar import (AFFILIATION, FULL_MENTION_RE, HAN, MENTION_HEAD, NO_PATH, NO_PLACE, PATH, SURNAME, SURNAME_CHARS,
                                 TITLE, VERB, any_of)


def introductions(text: str) -> list[re.Match]:
    """Full introductions (organisation, title, name) in ``text``; a thing after a title (业主车辆,
    居民方案二) is no one."""
    return [m for m in FULL_MENTION_RE.finditer(text) if not names_a_thing(m["name"])]


# Someone named by their place in a family (老大邢国强, 邢家老二邢国民, 小妹邢秀珍, 大儿子王强).
KIN_NAMED_RE = re.compile(rf"(?P<kin>老[大二三四幺]|小妹|小弟|大姐|二姐|大哥|二哥|[大小]?儿子|[大小]?女儿|老伴)"
                          rf"(?P<name>{SURNAME}[{HAN}]{{1,2}})")
# A verb of saying and the pause or quote after it: the name before it speaks there.
SPEAKS = rf"{VERB}[，,：:。“]"
SPEAKS_RE = re.compile(SPEAKS)
# What follows a surname in how a report calls someone by post (沈经理, 钱副主任, 孔书记).
POST_FORMS = frozenset(TITLE_WORDS) | frozenset(ADDRESS_FORMS) | {"副" + form for form in ADDRESS_FORMS}
# A bare name that speaks (据方文博介绍，/ ”方文博说。): its length is certain there, so its
# introduction may be found even where another word follows it (教授方文博长期关注…).
SPEAKING_NAME_RE = re.compile(rf"(?:^|(?<=[，。；：“”\s据]))(?P<name>{SURNAME}[{HAN}]{{1,2}})(?={SPEAKS})")
# A titled name whose clause ends in a colon quote (业委会主任吴德华当场表态：“…”, 法律顾问黄志远补充了一点：“…”):
# the quote confirms the name, whatever the clause says between them.
TITLED_COLON_RE = re.compile(rf"(?:{TITLE})[ \u3000]?(?P<name>{SURNAME}[{HAN}]{{2}})[^，,。！？；“”\n]{{0,12}}[：:]“")
# A person the report names by saying so (一位中年男子举起了手。他叫高明，住在7栋): a name.
# (or says who a familiar name is: 王婶——也就是王桂芝老人——拉着她的手)
CALLED_RE = re.compile(rf"(?:[他她]叫|名叫|也就是)(?P<name>{SURNAME}[{HAN}]{{1,2}}?)(?=[，,。；;、—]|老人)")
# A title and a name with any word after it (退休教师马淑兰扶着…): the name is the one of the
# lengths the article prints again elsewhere (马淑兰所在的3单元).
TITLED_NAME_RE = re.compile(rf"(?:{TITLE})[ \u3000]?(?P<name>{SURNAME}[{HAN}]{{2}})")
# (after its description, 退休工人老孙说; never the 老/小 ending a word: 养老, 从小, 最小)
FAMILIAR_SPEAKER_RE = re.compile(rf"(?<![养古苍衰元父从大缩最减弱矮])(?P<name>[老小][{SURNAME_CHARS}])(?={SPEAKS})")
# Quote first, then who, then what they did (“……”桐坪镇杏花村党总支书记王德顺开门见山。): the
# person introduced right after a closing quote is its speaker, whatever word follows the name.
# Names are taken at three characters, the common length, unless the third starts a verb or an
# adverb (张丽笑着…, 张丽一边…).
AFTER_QUOTE_RE = re.compile(rf"(?<=”){PATH}{AFFILIATION}{TITLE}[ \u3000]?(?P<name>{SURNAME}[{HAN}](?![一笑也还便又就正边连随说])[{HAN}])")
# Quote first, then a described resident and the name (“……”枫林苑6栋居民宋桂芝说。, “……”独居老人
# 李福来说。): a description no place pattern reads (an estate, a building, 独居) before a word for
# a person is their title. Serves quote-first reports on residents.
DESCRIBED_AFTER_QUOTE_RE = re.compile(
    rf"(?<=”)(?P<desc>[{HAN}\d]{{1,10}}?(?:{any_of(TITLE_WORDS + ('老人',) + KINSHIP_FORMS)}))"
    rf"(?P<name>{SURNAME}[{HAN}]{{1,2}})(?={SPEAKS})")
# A titled or aged name, then within the paragraph a pronoun that speaks (他说, 她笑着对我说, or 他在会上
#拍了桌子：“…”), past short quoted terms (是个“反对派”, 开发了“桂香掌上通”小程序): the pronoun is theirs.
PERSON_THEN_PRONOUN_RE = re.compile(
    rf"(?:(?<=岁的)|(?:{TITLE}))(?P<name>{SURNAME}[{HAN}](?![一笑也还便又就正边连随说每在的是则])[{HAN}])"
    rf"(?=(?:[^\n“”]|“[^”\n]{{1,10}}”){{0,80}}[他她](?:[^，。“”\n]{{0,6}}?(?:{any_of(SPEECH_VERBS)})|[^，。“”\n]{{0,12}}[：:]“))")
# A name with its post after it (大家都会想到马文清老书记。他今年76岁，…有人问他图什么，他说：“…”),
# then a pronoun that speaks within the paragraph: the pronoun is theirs. Serves features and lectures
# that name a veteran by name and honorific post.
NAME_THEN_POST_SPEAKS_RE = re.compile(
    rf"(?P<name>{SURNAME}(?![委副党])[{HAN}](?![镇乡村区县市所社苑])[{HAN}])"
    rf"(?=老?(?:书记|主任|队长|组长|会长|所长|站长|科长|局长|院长|校长|老师|师傅)[，。、；！]"
    rf"(?:[^\n“”]|“[^”\n]{{1,10}}”){{0,120}}[他她](?:[^，。“”\n]{{0,6}}?(?:{any_of(SPEECH_VERBS)})|[^，。“”\n]{{0,12}}[：:]“))")
AGED_NAME_RE = re.compile(rf"(?<=岁的)(?P<name>{SURNAME}[{HAN}]{{2}})")
# A resident described by what they do or where they live, then speaking (在小区里带孩子散步的陈志远
# 告诉记者，… / 住在6号楼的刘桂英今年68岁，她指着阳台说): no title, printed once, still a person.
# Serves scene reporting on untitled residents. (a trade word may stand between: 的外卖骑手赵国庆, 。退休电工邹长庚;
# or a kin word: 吴正华的妻子龙秀英)
DESCRIBED_SPEAKER_RE = re.compile(
    rf"(?:(?<=的)(?:[{HAN}]{{1,4}}?[手员工师者户生匠人]|{any_of(KIN_FORMS)})?|(?:^|(?<=[，。；\n]))[{HAN}]{{1,4}}?[手员工师者户生匠人])(?P<name>{SURNAME}[{HAN}](?![一笑也还便又就正边连随说每在的是今以则])[{HAN}]?)"
    rf"(?:(?={SPEAKS})|(?=(?:[^\n“”。]|“[^”\n]{{1,10}}”){{0,40}}[，,][他她][^，。“”\n]{{0,12}}?(?:{any_of(SPEECH_VERBS)}))"
    rf"|(?=[^\n]{{0,200}}?”[他她][^，。“”\n]{{0,6}}?(?:{any_of(SPEECH_VERBS)}))"
    # (…的吴晓丽手里攥着…。她几乎每个周末都参加值守，“半年攒了520分…。”)
    # (一直没怎么说话的罗家旺这时开了口。他今年31岁，…现在负责网店和直播。“我回来就是…。”: the pronoun's
    # sentence ends before the quote)
    rf"|(?=[^\n]{{0,120}}?[。，][他她][^。“”\n]{{0,60}}[，,。]“[^”]{{6,}}?[。！？]))")


# The first character of a verb or a function word that may follow a two-character name (赵磊来找我,
# 邵敏承诺, 李强把…): a three-character reading ending in one may be the name and the verb's start.
VERB_STARTS = "来去到找给把和跟带让对向从在说问笑也就都又还便才承认"


def _printed_twice(name: str, text: str) -> str | None:
    """The name at three characters or at two, whichever the article prints twice or more (三 first)."""
    return next((n for n in (name, name[:2]) if text.count(n) >= 2), None)


def _as_printed_again(name: str, text: str) -> str:
    """A name read at three characters before a verb (返乡青年赵磊来找我, 科长邵敏承诺：) is the two
    the article prints again, when it prints those alone and the three only once (邢国强 and 邢国民
    share 邢国, and are two names)."""
    if len(name) < 3 or name[2] not in VERB_STARTS or text.count(name) >= 2 or text.count(name[:2]) < 2:
        return name
    return name[:2]


def introductions_by_later_speech(text: str, known) -> list[re.Match]:
    """Introductions the follower check missed, of people the article names again: the title
    and organisation right before that exact name; for someone who speaks but is introduced
    with no title at all (住在1楼的杨建国…“……”杨建国说), the first time the name is printed."""
    names = [m["name"] for m in SPEAKING_NAME_RE.finditer(text)]
    titled = list(TITLED_NAME_RE.finditer(text))
    names += [n for m in titled if (n := _printed_twice(m["name"], text))]
    names += [_as_printed_again(m["name"], text) for m in AFTER_QUOTE_RE.finditer(text)]
    described = {m["name"]: m["desc"] for m in DESCRIBED_AFTER_QUOTE_RE.finditer(text)}
    # (老大邢国强认为…, 小妹邢秀珍…: one of a family by their place in it, printed again or speaking)
    described |= {name: m["kin"] for m in KIN_NAMED_RE.finditer(text)
                  if text.count(name := _as_printed_again(m["name"], text)) >= 2 or SPEAKS_RE.match(text, m.end())}
    names += list(described)
    # (85岁的潘桂英老人住在五组 … 潘桂英拉着我的手: an age before a name printed again introduces it)
    names += [n for m in AGED_NAME_RE.finditer(text) if (n := _printed_twice(m["name"], text))]
    # (吴德华 printed once is three characters; 高明 printed again is two)
    colon_named = [_printed_twice(m["name"], text) or m["name"] for m in TITLED_COLON_RE.finditer(text)]
    names += colon_named
    # 70岁的陈秀英… / 村民王桂芬… and then 她笑着跟我说: a pronoun speaking later in the same
    # paragraph confirms the person just named
    # (返乡青年赵磊来找我: read at three characters, the name is the two the article prints again)
    confirmed = [_as_printed_again(m["name"], text) for m in PERSON_THEN_PRONOUN_RE.finditer(text)] \
        + [m["name"] for m in CALLED_RE.finditer(text)]
    confirmed += [m["name"] for m in NAME_THEN_POST_SPEAKS_RE.finditer(text) if untitled_name(m["name"])]
    confirmed += [m["name"] for m in DESCRIBED_SPEAKER_RE.finditer(text) if len(m["name"]) >= 3 and untitled_name(m["name"])]
    names += confirmed
    # 网格员吴晓燕翻开本子… then 小吴说 / 副教授王静怡… then 王教授认为: the familiar form or the
    # surname and post printed later confirm the full name
    names += [m["name"] for m in titled
              if re.search(rf"[老小]{m['name'][0]}(?![区时学姐哥])|{m['name'][0]}(?:{any_of(ADDRESS_FORMS)})", text[m.end():])]
    # a resident known only by a familiar name, who speaks (退休工人老孙说：“…”)
    # (小吴 of a 吴晓燕 introduced in full is that person: the alias resolves it, no record of its own)
    full = list(names) + list(known)
    familiar = [m["name"] for m in FAMILIAR_SPEAKER_RE.finditer(text)  # (曾小龙 holds no 小龙)
                if text[m.start() - 1:m.start()] not in SURNAMES
                and not any(n[0] == m["name"][1] for n in full if n[0] not in "老小")]
    names += familiar
    found = []
    for name in dict.fromkeys(names):
        if name in known or any(name in k or k in name for k in known) or names_a_thing(name):
            continue  # (业主车辆登记 … 外来车辆: a thing after a title, printed twice, is still no one)
        if name[1:] in POST_FORMS and any(k[:1] == name[0] for k in known):
            continue  # (沈经理介绍：… of a 沈建军 introduced: a surname and a post, the alias finds them)
        intro = re.search(rf"{MENTION_HEAD}(?P<name>{re.escape(name)})", text)
        # untitled: only a name printed twice or more that speaks (never 有人说, 大家说), or a
        # familiar name that speaks
        if intro is None and name in familiar:  # 退休工人老孙: the description before is their title
            intro = re.search(rf"{NO_PLACE}(?:(?<=[的，,。：:\s])|^)(?P<title>[{HAN}]{{2,6}}?)(?P<name>{re.escape(name)})",
                              text)
        if intro is None and name in described:  # 枫林苑6栋居民宋桂芝: the description is the title
            intro = re.search(rf"{NO_PLACE}(?P<title>{re.escape(described[name])})(?P<name>{re.escape(name)})", text)
        if intro is None and name in colon_named:  # 社区法律顾问黄志远…：“: the title printed before the name
            intro = re.search(rf"{NO_PLACE}{TITLE}[ \u3000]?(?P<name>{re.escape(name)})", text)
        if intro is None and (text.count(name) >= 2 or name in familiar or name in confirmed) and "们" not in name:
            intro = re.search(rf"{NO_PATH}(?P<name>{re.escape(name)})", text)
        if intro:
            found.append(intro)
    return found
