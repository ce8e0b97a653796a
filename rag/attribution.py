"""Who said what: the people a passage introduces, and which words are theirs.

Chinese news reports speech in a handful of conventions, often several in one article:

* ``XX区XX街道XX社区党委书记张三：“……”``            (introduction, colon, quote)
* ``“……”XX区……书记张三说。`` / ``“……，”张三表示，“……”``  (quote first, then who)
* ``张三介绍，……。`` / ``张三说，“……”`` / ``在张三看来，……`` / ``他说，……`` (a pronoun: the last one named)
* a paragraph that is only a quote, after a speaker's quote (the same speaker goes on)

A person is introduced once with organisation path (or body), title and name; later mentions by
name alone resolve to that record. Nothing here knows an article: only the genre's grammar.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from rag.lexicon import (ADDRESS_FORMS, COMPOUND_SURNAMES, KINSHIP_FORMS, ORG_SUFFIXES, PRODUCER_ROLES, SPEECH_VERBS,
                         SURNAMES, TITLE_WORDS)
from rag.cutting import untitled_name
from rag.quotes import clause_end, colon_owner, cut, described_after, inside, quote_segments, reported
from rag.records import SENT_BY, Person

HAN = "\u4e00-\u9fff"


def _any(words) -> str:
    return "|".join(map(re.escape, words))


# A mention starts a clause: after punctuation, a line start, or a word that introduces a person
# in a list or a view (还有…, 在…看来, 家住…的). Without it, "交流的还有宜宾市…" reads 的还有宜宾市 as a district.
# (a script's cue closes its bracket before who speaks: 【同期声】杏花村党支部书记 李德厚：…)
BOUNDARY = ("(?:^|(?<=[，。；：、“”‘’（）()【】\\s,;:！？!?—])" + "".join(
    f"|(?<={w})" for w in ("还有", "包括", "以及", "邀请", "在", "由", "和", "与", "及", "的", "是", "为", "请", "据",
                           "有", "了", "专访", "采访",
                           # a stationed cadre: 县农业农村局派驻双河乡青杠村第一书记赵文博
                           "派驻",
                           # an age before the title: 家住南塘小区12栋的72岁居民王秀英笑着说
                           "岁")) + ")")
# 区→街道/镇/乡→社区/村/中心, each level optional; a prefecture city before a district is dropped.
# 街道 is tried before 镇/乡 and a level may not be followed by another level word, so 新镇街道 is a
# street (not town 新镇 + community 街道…), and 东镇乡 a township, not 东镇 + 乡….
_NOT_ORG = "(?!派出所|研究所|研究院|学院|大学|医院|局|学校)"
# A district (county, county-level city), after its prefecture city if printed, which is dropped.
# A 县委/区委 (the county's party committee) is a body, not the county: 青禾县委社会工作部.
CITY_DISTRICT = (rf"(?:[{HAN}]{{2,3}}?省(?=[{HAN}]{{2,4}}?市))?"  # a province before the city: dropped too
                 rf"(?:[{HAN}]{{2,4}}?市(?=[{HAN}]{{1,5}}?(?<!社)(?:新区|区|县)))?"
                 rf"(?P<district>[{HAN}]{{1,5}}?(?<!社)(?:新区|区|县|市)(?!委))")
_PATH = (
    rf"(?:{CITY_DISTRICT})?"
    # (城乡 is a word of bodies' names: 住房和城乡建设局 is no township; 魏城镇 is a town)
    rf"(?:(?P<street>[{HAN}]{{1,8}}?街道|[{HAN}]{{1,6}}?(?:镇|(?<!城)乡))(?![镇乡]|街道))?"
    # 驻村 (stationed in the village: 驻村第一书记) ends in 村 but names no village.
    # a place name holds no function word (记者还见到了村务监督委员会主任…: no village 记者还见到了村)
    # (nor a verb of asking: 记者请村党支部书记… names no village 记者请村)
    rf"(?P<community>(?:{_NOT_ORG}(?![了的着过还请让叫被把])[{HAN}0-9A-Za-z]){{1,12}}?(?:社区|村|中心)(?<!驻村))?"
)
# A body (学院, 派出所, 民政局…) for people outside the path; never a title's own party-organ
# prefix (the 党委 of 党委书记 is part of the title).
# (a body named by its kind alone, the one just described: 中心主任邓晓燕, 卫生院院长马志强)
_AFFILIATION = (rf"(?:(?!{_any(TITLE_WORDS)})"
                rf"(?P<affiliation>(?:(?:(?!的|还有|了)[{HAN}]){{1,14}}?(?:{_any(ORG_SUFFIXES)})"
                rf"|(?:{_any(s for s in ORG_SUFFIXES if len(s) >= 2)})){{1,3}}?))?")
# A producer is named by what they grow or raise (葡萄种植户, 生猪养殖户): up to three characters
# before the role word belong to the title.
_PRODUCER = rf"[{HAN}]{{1,3}}?(?={_any(PRODUCER_ROLES)})"
_TITLE = rf"(?P<title>(?:{_PRODUCER})?(?:{_any(TITLE_WORDS)})(?:、[{HAN}]{{0,8}}?(?:{_any(TITLE_WORDS)}))*)"
_SURNAME = f"(?:{_any(COMPOUND_SURNAMES)}|[{''.join(sorted(SURNAMES))}])"
_NAME = rf"(?P<name>{_SURNAME}[{HAN}]{{1,2}}?)"
# Between a name and its speech verb: an adverb, or when/where it was said (在接受采访时, 在会上).
# (正如王芳所说: 所 before the verb; 王芳一边翻着台账一边说: what they do while they speak)
_ADVERB = ("(?:在[^，。“”：:]{1,12}?(?:时|上|中)[，,]?)?(?:也|还|则|又|更|就|曾|同时|对记者|向记者|对我|跟我|向我|笑着|感慨地|深有感触地"
           "|所|一边[^，。“”：:]{1,8}?一边|多次|反复|一再|再三"
           "|哽咽着|动情地|激动地|认真地|坚定地|自豪地|红着眼眶|抹着眼泪|叹着气|摇着头|点着头|拍着胸脯)?")  # (how: 哽咽着说)
# (介绍说, 坦言说: a verb of telling before 说 is one act of speech)
# (用王芳的话说，“…”: in their words)
_VERB = rf"{_ADVERB}(?P<verb>{_any(SPEECH_VERBS)}|看来|的话来?说)(?:了|道|说)?"
# What may follow a name: punctuation, a speech verb, or a short function word (作, 对, 等…).
_FOLLOW = (rf"(?=[：:，,、。；;（(）)】\s“”]|{_ADVERB}(?:{_any(SPEECH_VERBS)}|看来)"
           rf"|[等和与及对在也都作是的就为从把带向还则又用今已每曾多有]|一道|主持|出席|参加|陪同|带队|致辞|讲话|接受|解读|正(?=[在带忙和与给帮陪领拿])"
           # (a scene's posture before where: 物业经理孙浩坐在最后一排, 站在台上, 蹲在巷口)
           rf"|[坐站蹲躺靠](?=在|着)"
           # (what they do, told right after the name: 何秀娟扎根社区21年, 请孟春华牵头, 邓国平自2019年起)
           rf"|扎根|牵头|带领|带头|组织|负责|发起|坚持|推动|创办|先后|长期|多年|常年|连续|自(?=\d|[一二]|去年|今年|上世纪)"
           # (how they took part: 科长卢振华全程参与了表决监督, 亲自, 专门, 一直, 主动)
           rf"|全程|亲自|专门|特意|一直|始终|主动|随即|接过|接着|注意到|发现|看到"
           # (a cadre's arrival: 派驻第一书记范志诚进村, 到任, 上任)
           rf"|进村|驻村|到任|上任"
           # (an appositive or a gesture right after the name: 潘桂英老人住在…, 潘桂英拉着我的手)
           rf"|老人|阿姨|大爷|大妈|奶奶|爷爷|大姐|师傅|拉着|握着|指着|笑着|翻开|拿出|掏出"
           # (记者见到王芳时，…: when they were met)
           rf"|时(?=[，,])|一边"
           # (a post taken: 由街道党工委书记何建平任组长, 孟立新兼任办公室主任)
           rf"|(?:兼|担)?任(?=组长|副组长|主任|副主任|队长|会长|理事长|书记|委员|办公室)|$)")
# (Never a character common as a name's last one, such as 刚 or 正: 张志刚介绍 must not read 张志;
# 正 only before what it begins: 邱小雨正带着…; an event report's verbs of attending, 周雅琴主持;
# an interviewee's 接受采访 / 解读.)
# The list words that let a mention start (还有, 邀请…) are not part of it.
# A place never starts with the word that introduces it (主持议事的，是石桥村…书记: not 是石桥村).
# A TV or video caption prints the title and the name apart (党支部书记 周立群): one space may part them.
# A stationed cadre's sending body (县农业农村局派驻双河乡青杠村第一书记): the body they belong to.
_SENDER = rf"(?:(?P<sender>[{HAN}]{{2,12}}?(?:{_any(ORG_SUFFIXES)})(?:{_any(SENT_BY)})))?"
# (after a sending body the place may take 的: 市农业农村局派驻竹园村的驻村工作队队长)
# (nor with the speaker's own 我是…: 我是青溪镇柳塘村党支部书记 is no 我是青溪镇)
_UNIT = rf"(?P<unit>[0-9０-９]{{1,3}}(?:栋|号楼|幢|单元|组|网格))?"  # (3栋楼栋长胡秀英: part of the post)
_MENTION_HEAD = rf"{BOUNDARY}(?!还有|包括|以及|邀请|有|在|是|由|据|我|你){_SENDER}{_PATH}(?(sender)的?|){_AFFILIATION}{_UNIT}{_TITLE}[ \u3000]?"
FULL_MENTION_RE = re.compile(rf"{_MENTION_HEAD}{_NAME}{_FOLLOW}")
# (or a demonstrative and a description standing for the last person named: 这位退休法官说, 这名老党员表示)
PRONOUN_RE = re.compile(rf"{BOUNDARY}(?P<name>[他她](?![们])|这[位名](?:[\u4e00-\u9fff0-9]{{1,8}}?)?(?:法官|党员|书记|主任|老人|志愿者|网格员|居民|村民|教授|专家|干部|老师|民警|调解员|社工|队长|大姐|阿姨|大爷|老兵"
                        # (这位68岁的退休工人说: any plain word for a person)
                        rf"|工人|师傅|大妈|大叔|大哥|医生|村医|业主|司机|妈妈|奶奶|爷爷|小伙|姑娘|店主|老板))(?={_VERB})")
TERM_CHARS = 8
HAN_RE = re.compile(r"[\u4e00-\u9fff]")
SPEECH_AFTER_RE = re.compile(rf"{_VERB}(?P<punct>\s*[，,：:]?\s*)")
COLON_RE = re.compile(r"\s*[：:]\s*")
CAST_ABOUT_RE = re.compile(r"[：:]\s*[男女][，,、]")  # (赵满仓：男，六十二岁…: a cast list's description, no words)
OPINION_VERBS = ("认为", "觉得", "指出", "强调", "坦言", "建议", "提出", "表示", "要求")  # (谭立诚要求县退役军人事务局把…)
# A caption that names the speaker right before their words, as TV and video reports print it:
# 【同期声】（字幕：XX村党支部书记 周立群）“……”. The closing bracket stands where a colon would.
CAPTION_CLOSE_RE = re.compile(r"\s*[）)】]\s*(?=“)")


@dataclass(frozen=True)
class Mention:
    start: int
    end: int  # end of the name
    person: Person | None  # None: a pronoun, resolved by the caller's context
    speech_end: int = -1  # end of the verb (and its punctuation) when one follows; -1 when none
    direct: bool = False  # the verb or colon is followed by an opening “
    reports: bool = False  # verb + comma or colon, no “: reported speech follows (张三介绍，…)
    colon: bool = False  # 张三：… with no quotation marks (an interview's answer): to the paragraph's end

    @property
    def speaks(self) -> bool:
        return self.speech_end >= 0


def person_from(match: re.Match, doc_id: str, offset: int = 0, quoted: bool = False) -> Person:
    return Person(name=match["name"], title=(match.groupdict().get("unit") or "") + (match["title"] or ""), district=match["district"] or None,
                  street=match["street"] or None, community=match["community"] or None,
                  affiliation=match["affiliation"] or match.groupdict().get("sender") or None, quoted=quoted, doc_id=doc_id,
                  mention=(offset + match.start(), offset + match.end("name")))


def introductions(text: str) -> list[re.Match]:
    """Full introductions (organisation, title, name) in ``text``."""
    return list(FULL_MENTION_RE.finditer(text))


# A bare name that speaks (据方文博介绍，/ ”方文博说。): its length is certain there, so its
# introduction may be found even where another word follows it (教授方文博长期关注…).
SPEAKING_NAME_RE = re.compile(rf"(?:^|(?<=[，。；：“”\s据]))(?P<name>{_SURNAME}[{HAN}]{{1,2}})(?={_VERB}[，,：:。“])")
# A titled name whose clause ends in a colon quote (业委会主任吴德华当场表态：“…”, 法律顾问黄志远补充了一点：“…”):
# the quote confirms the name, whatever the clause says between them.
TITLED_COLON_RE = re.compile(rf"(?:{_TITLE})[ \u3000]?(?P<name>{_SURNAME}[{HAN}]{{2}})[^，,。！？；“”\n]{{0,12}}[：:]“")
# A person the report names by saying so (一位中年男子举起了手。他叫高明，住在7栋): a name.
CALLED_RE = re.compile(rf"(?:[他她]叫|名叫)(?P<name>{_SURNAME}[{HAN}]{{1,2}})(?=[，,。；;、])")
# A title and a name with any word after it (退休教师马淑兰扶着…): the name is the one of the
# lengths the article prints again elsewhere (马淑兰所在的3单元).
TITLED_NAME_RE = re.compile(rf"(?:{_TITLE})[ \u3000]?(?P<name>{_SURNAME}[{HAN}]{{2}})")
# (after its description, 退休工人老孙说; never the 老/小 ending a word: 养老, 从小, 最小)
FAMILIAR_SPEAKER_RE = re.compile(rf"(?<![养古苍衰元父从大缩最减弱矮])(?P<name>[老小][{''.join(sorted(SURNAMES))}])"
                                 rf"(?={_VERB}[，,：:。“])")
# Quote first, then who, then what they did (“……”桐坪镇杏花村党总支书记王德顺开门见山。): the
# person introduced right after a closing quote is its speaker, whatever word follows the name.
# Names are taken at three characters, the common length, unless the third starts a verb or an
# adverb (张丽笑着…, 张丽一边…).
AFTER_QUOTE_RE = re.compile(rf"(?<=”){_PATH}{_AFFILIATION}{_TITLE}[ \u3000]?(?P<name>{_SURNAME}[{HAN}](?![一笑也还便又就正边连随说])[{HAN}])")
# Quote first, then a described resident and the name (“……”枫林苑6栋居民宋桂芝说。, “……”独居老人
# 李福来说。): a description no place pattern reads (an estate, a building, 独居) before a word for
# a person is their title. Serves quote-first reports on residents.
DESCRIBED_AFTER_QUOTE_RE = re.compile(
    rf"(?<=”)(?P<desc>[{HAN}\d]{{1,10}}?(?:{_any(TITLE_WORDS + ('老人',) + KINSHIP_FORMS)}))"
    rf"(?P<name>{_SURNAME}[{HAN}]{{1,2}})(?={_VERB}[，,：:。“])")
# A titled or aged name, then within the paragraph a pronoun that speaks (他说, 她笑着对我说, or 他在会上
#拍了桌子：“…”), past short quoted terms (是个“反对派”, 开发了“桂香掌上通”小程序): the pronoun is theirs.
PERSON_THEN_PRONOUN_RE = re.compile(
    rf"(?:(?<=岁的)|(?:{_TITLE}))(?P<name>{_SURNAME}[{HAN}](?![一笑也还便又就正边连随说每在的是则])[{HAN}])"
    rf"(?=(?:[^\n“”]|“[^”\n]{{1,10}}”){{0,80}}[他她](?:[^，。“”\n]{{0,6}}?(?:{_any(SPEECH_VERBS)})|[^，。“”\n]{{0,12}}[：:]“))")
AGED_NAME_RE = re.compile(rf"(?<=岁的)(?P<name>{_SURNAME}[{HAN}]{{2}})")
# A resident described by what they do or where they live, then speaking (在小区里带孩子散步的陈志远
# 告诉记者，… / 住在6号楼的刘桂英今年68岁，她指着阳台说): no title, printed once, still a person.
# Serves scene reporting on untitled residents. (a trade word may stand between: 的外卖骑手赵国庆, 。退休电工邹长庚)
DESCRIBED_SPEAKER_RE = re.compile(
    rf"(?:(?<=的)(?:[{HAN}]{{1,4}}?[手员工师者户生匠人])?|(?:^|(?<=[，。；\n]))[{HAN}]{{1,4}}?[手员工师者户生匠人])(?P<name>{_SURNAME}[{HAN}](?![一笑也还便又就正边连随说每在的是今以则])[{HAN}]?)"
    rf"(?:(?={_VERB}[，,：:。“])|(?=(?:[^\n“”。]|“[^”\n]{{1,10}}”){{0,40}}[，,][他她][^，。“”\n]{{0,12}}?(?:{_any(SPEECH_VERBS)}))"
    rf"|(?=[^\n]{{0,200}}?”[他她][^，。“”\n]{{0,6}}?(?:{_any(SPEECH_VERBS)}))"
    # (…的吴晓丽手里攥着…。她几乎每个周末都参加值守，“半年攒了520分…。”)
    rf"|(?=[^\n]{{0,120}}?[。，][他她][^。“”\n]{{0,40}}[，,]“[^”]{{6,}}?[。！？]))")
INTRO_HEAD_RE = re.compile(rf"{_PATH}{_AFFILIATION}{_TITLE}[ \u3000]?")
_NO_PLACE = "(?P<district>)(?P<street>)(?P<community>)(?P<affiliation>)"
_NO_PATH = _NO_PLACE + "(?P<title>)"


def introductions_by_later_speech(text: str, known) -> list[re.Match]:
    """Introductions the follower check missed, of people the article names again: the title
    and organisation right before that exact name; for someone who speaks but is introduced
    with no title at all (住在1楼的杨建国…“……”杨建国说), the first time the name is printed."""
    names = [m["name"] for m in SPEAKING_NAME_RE.finditer(text)]
    titled = list(TITLED_NAME_RE.finditer(text))
    for m in titled:
        names += [n for n in (m["name"], m["name"][:2]) if text.count(n) >= 2][:1]
    names += [m["name"] for m in AFTER_QUOTE_RE.finditer(text)]
    described = {m["name"]: m["desc"] for m in DESCRIBED_AFTER_QUOTE_RE.finditer(text)}
    names += list(described)
    # (85岁的潘桂英老人住在五组 … 潘桂英拉着我的手: an age before a name printed again introduces it)
    names += [n for m in AGED_NAME_RE.finditer(text) for n in [n for n in (m["name"], m["name"][:2]) if text.count(n) >= 2][:1]]
    # (吴德华 printed once is three characters; 高明 printed again is two)
    colon_named = [([n for n in (m["name"], m["name"][:2]) if text.count(n) >= 2] or [m["name"]])[0]
                   for m in TITLED_COLON_RE.finditer(text)]
    names += colon_named
    # 70岁的陈秀英… / 村民王桂芬… and then 她笑着跟我说: a pronoun speaking later in the same
    # paragraph confirms the person just named
    confirmed = [m["name"] for m in PERSON_THEN_PRONOUN_RE.finditer(text)] + [m["name"] for m in CALLED_RE.finditer(text)]
    confirmed += [m["name"] for m in DESCRIBED_SPEAKER_RE.finditer(text) if len(m["name"]) >= 3 and untitled_name(m["name"])]
    names += confirmed
    # 网格员吴晓燕翻开本子… then 小吴说 / 副教授王静怡… then 王教授认为: the familiar form or the
    # surname and post printed later confirm the full name
    names += [m["name"] for m in titled
              if re.search(rf"[老小]{m['name'][0]}(?![区时学姐哥])|{m['name'][0]}(?:{_any(ADDRESS_FORMS)})", text[m.end():])]
    # a resident known only by a familiar name, who speaks (退休工人老孙说：“…”)
    # (小吴 of a 吴晓燕 introduced in full is that person: the alias resolves it, no record of its own)
    full = list(names) + list(known)
    familiar = [m["name"] for m in FAMILIAR_SPEAKER_RE.finditer(text)  # (曾小龙 holds no 小龙)
                if text[m.start() - 1:m.start()] not in SURNAMES
                and not any(n[0] == m["name"][1] for n in full if n[0] not in "老小")]
    names += familiar
    found = []
    for name in dict.fromkeys(names):
        if name in known or any(name in k or k in name for k in known):
            continue
        intro = re.search(rf"{_MENTION_HEAD}(?P<name>{re.escape(name)})", text)
        # untitled: only a name printed twice or more that speaks (never 有人说, 大家说), or a
        # familiar name that speaks
        if intro is None and name in familiar:  # 退休工人老孙: the description before is their title
            intro = re.search(rf"{_NO_PLACE}(?:(?<=[的，,。：:\s])|^)(?P<title>[{HAN}]{{2,6}}?)(?P<name>{re.escape(name)})",
                              text)
        if intro is None and name in described:  # 枫林苑6栋居民宋桂芝: the description is the title
            intro = re.search(rf"{_NO_PLACE}(?P<title>{re.escape(described[name])})(?P<name>{re.escape(name)})", text)
        if intro is None and name in colon_named:  # 社区法律顾问黄志远…：“: the title printed before the name
            intro = re.search(rf"{_NO_PLACE}{_TITLE}[ \u3000]?(?P<name>{re.escape(name)})", text)
        if intro is None and (text.count(name) >= 2 or name in familiar or name in confirmed) and "们" not in name:
            intro = re.search(rf"{_NO_PATH}(?P<name>{re.escape(name)})", text)
        if intro:
            found.append(intro)
    return found


BRACKETED_POST_RE = re.compile(rf"[（(][^（）()，。“”]{{2,30}}[）)]|(?:{_any(TITLE_WORDS)}|代表)(?=[^，。“”]{{0,6}}?(?:{_any(SPEECH_VERBS)}))")


def _speech(text: str, start: int, end: int, person: Person | None) -> Mention:
    """A mention, with the speech verb (or colon) that follows it, if any."""
    silent = CAST_ABOUT_RE.match(text, end) or text[max(0, start - 3):start].strip().endswith("回复")  # (…回复 X：: not X's)
    colon = None if silent else COLON_RE.match(text, end) or CAPTION_CLOSE_RE.match(text, end)
    if colon:
        direct = text.startswith("“", colon.end())
        return Mention(start, end, person, colon.end(), direct, reports=not direct, colon=not direct)
    # (张伟（区民政局局长）说，…, 许志刚代表当场表示: the post, bracketed or not, between name and verb)
    verb = SPEECH_AFTER_RE.match(text, end) or ((bracket := BRACKETED_POST_RE.match(text, end)) and not COLON_RE.match(
        text, bracket.end()) and SPEECH_AFTER_RE.match(text, bracket.end()))
    if not verb:
        return Mention(start, end, person)
    if verb["verb"] == "看来" and not text[max(0, start - 1):start] == "在":
        return Mention(start, end, person)
    punct, after = verb["punct"].strip(), verb.end()
    direct = text.startswith("“", after) and (bool(punct) or verb["verb"] in ("说", "称", "道"))
    # Reported speech needs its comma or colon (张三介绍，…); "张三分享了“红色物业”" quotes no one,
    # but a verb alone still claims the quote before it (“……”张三说。). A verb of opinion takes
    # its clause with no comma (冯志强认为每餐收费4元比较合适，…), as minutes and reports write it.
    opinion = verb["verb"] in OPINION_VERBS and not text.startswith("“", after)
    return Mention(start, end, person, after, direct, reports=(bool(punct) or opinion) and not direct)


def mentions(text: str, people: dict[str, Person], doc_id: str, introduced=None) -> list[Mention]:
    """Every person named in ``text``: full introductions, known names, and speaking pronouns.
    ``introduced(match)`` gives the record made for a full introduction (two people may share a name)."""
    found: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for m in introductions(text):
        person = (introduced and introduced(m)) or people.get(m["name"]) or person_from(m, doc_id)
        found.append(_speech(text, m.start(), m.end("name"), person))
        taken.append((m.start(), m.end("name")))
    known = {**aliases(people), **people}
    if known:
        # A name the article already gave in full (or its 老秦-style alias) needs no follower check.
        names = re.compile(rf"(?P<name>{_any(sorted(known, key=len, reverse=True))})")
        for m in names.finditer(text):
            # at a clause boundary, or right after a title (退休教师马淑兰扶着…, found by its later mentions)
            # (a familiar name follows its description: 退休工人老孙说)
            # (or after the description the record was made from: 独居老人李福来说)
            person = known[m["name"]]
            # (or after a description ending in 的 or a word for a person: 散步的陈志远, 独居老人詹桂英)
            if not (_boundary_before(text, m.start()) or _after_title(text, m.start()) or m["name"][0] in "老小"
                    or (m.start() and text[m.start() - 1] in "的人员手者师户主生匠")
                    or person.title and text.endswith(person.title, 0, m.start())):
                continue
            if not any(a <= m.start() < b for a, b in taken):
                found.append(_speech(text, m.start(), m.end(), person))
    for m in PRONOUN_RE.finditer(text):
        found.append(_speech(text, m.start(), m.end(), None))
    speaking_pronouns = {m.start for m in found if m.person is None}
    for m in re.finditer(r"[他她](?![们的])", text):  # 他心里有数：“…”: the subject of a colon clause
        if m.start() not in speaking_pronouns:
            found.append(Mention(m.start(), m.end(), None))
    return sorted(found, key=lambda m: m.start)


_BOUNDARY_RE = re.compile(BOUNDARY)


def _boundary_before(text: str, i: int) -> bool:
    return _BOUNDARY_RE.match(text, i) is not None


def _after_title(text: str, i: int) -> bool:
    """A title word ends right before ``i`` (a caption's space may part them)."""
    while i > 0 and text[i - 1] in " \u3000":
        i -= 1
    return text.endswith(TITLE_WORDS, 0, i)


def aliases(people: dict[str, Person]) -> dict[str, Person]:
    """How a report calls someone it introduced: 老秦 / 小秦 / 秦书记 for 秦德山, when no other
    person of the article shares the surname."""
    by_surname: dict[str, list[Person]] = {}
    for person in people.values():
        # (one known only as 老孙 is already called so: no surname to make forms from)
        surname = person.name[1:2] if person.name[0] in "老小" and len(person.name) == 2 else person.name[:1]
        by_surname.setdefault(surname, []).append(person)
    out = {}
    for surname, persons in by_surname.items():
        if len(persons) == 1 and persons[0].name[0] not in "老小":
            person = persons[0]
            core = "书记" if "书记" in person.title else person.title[-2:]
            for alias in (f"老{surname}", f"小{surname}") + ((f"{surname}{core}",) if core else ()):
                out[alias] = person
    return out


def _split_owner(text: str, segments, i: int, found: list[Mention]) -> Mention | None:
    """A quote split by its speaker and how they said it (“我不是反对跳舞。”高明嗓门不大，但语速很快，“我
    晚上要上班。”): the person named right after the first part owns both, when no sentence ends
    between the parts. (a description may come first: ”今年72岁的马凤琴逢人就夸，“…)"""
    def named_between(j: int) -> Mention | None:
        if j < 0 or j + 1 >= len(segments):
            return None
        end, nxt = segments[j][1], segments[j + 1][0]
        m = next((m for m in found if m.person and end < m.start and described_after(text, end, m.start)), None)
        return m if m and not re.search(r"[。！？!?]", text[m.end:nxt]) and text[nxt - 1] in "，,：:" else None
    return named_between(i) or named_between(i - 1)


def attribute(text: str, found: list[Mention], restarts: frozenset[int] = frozenset(),
              resolve=lambda m: m.person) -> list[tuple[Person, tuple[int, int]]]:
    """(person, range) for every quote or reported clause in ``text``, in reading order.

    ``resolve(mention)`` gives the person a mention stands for (the caller resolves 他/她).
    """
    # (杨春生认为，“黑榜”直接公布姓名容易伤面子: a quoted term the sentence runs on from is part of the
    # reported words, no quote of its own)
    quoted = quote_segments(text, restarts)
    terms = {a for a, b in quoted
             if b - a <= TERM_CHARS and not re.search(r"[，。！？；,.!?;]", text[a:b]) and HAN_RE.match(text, b + 1)}
    segments = [(a, b) for a, b in quoted if a not in terms]
    speaking = [m for m in found if m.speaks and not inside(m.start, segments)]
    said: list[tuple[Person, tuple[int, int]]] = []
    claimed: set[tuple[int, int]] = set()
    for i, (a, b) in enumerate(segments):
        # Speaker before the quote (张三：“ / 张三说，“ / 在张三看来，“) or right after it (”张三说).
        before = next((m for m in speaking if m.direct and m.speech_end == a), None)
        after = next((m for m in speaking if m.start == b + 1), None)
        chained = i and segments[i - 1] in claimed and any(m.speech_end == a and m.start == segments[i - 1][1] + 1
                                                            for m in speaking)
        # “……”桐坪镇杏花村党总支书记王德顺开门见山: a full introduction right after the quote is
        # its speaker though no verb of saying follows (quote first, then who and how).
        after = after or next((m for m in found if m.person and m.person.title and m.start > b
                               and INTRO_HEAD_RE.fullmatch(text, b + 1, m.start)), None)
        # “……”家住南塘小区12栋的72岁居民王秀英笑着说。: who says it, after a description of them
        after = after or next((m for m in speaking if b + 1 < m.start and described_after(text, b, m.start)), None)
        # (谭立诚拿起一盏灯笼…笑着说：“…”: a colon's subject owns the quote; ”曾小龙说，他… opens what follows)
        owner = before or colon_owner(text, a, found) or after \
            or (chained and next(m for m in speaking if m.start == segments[i - 1][1] + 1)) or _split_owner(text, segments, i, found)
        if owner and (person := resolve(owner)):
            claimed.add((a, b))
            said += [(person, r) for r in cut(a + 1, b, restarts)]
    quoted_ranges = [(a, b) for a, b in segments]
    for m in speaking:
        if not (m.reports or m.speech_end in terms) or m.speech_end >= len(text):
            continue
        if any(a <= m.speech_end <= b for a, b in quoted_ranges):
            continue
        if (person := resolve(m)) is not None:  # reported speech: to the end of the sentence
            end = len(text) if m.colon else clause_end(text, m.speech_end)
            a, b = reported(text, m.speech_end, end, claimed)
            if b > a:
                said.append((person, (a, b)))
    return sorted(said, key=lambda s: s[1])
