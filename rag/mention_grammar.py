"""The grammar of a person's mention in Chinese news: the regex pieces for the place path
(district → street/town → community/village), the body, the title, the name and the speech verb
after it, and the full introduction they make (XX区XX街道XX社区党委书记张三).

Shared by the attribution of speech (rag.attribution), the introductions found by later speech
(rag.introductions), section headers (rag.sections) and place completion (rag.placing).
"""
from __future__ import annotations

import re

from rag.lexicon import COMPOUND_SURNAMES, ORG_SUFFIXES, PRODUCER_ROLES, SPEECH_VERBS, SURNAMES, TITLE_WORDS
from rag.records import CODED_NAME_RE, SENT_BY

HAN = "\u4e00-\u9fff"


def any_of(words) -> str:
    return "|".join(map(re.escape, words))


# A mention starts a clause: after punctuation, a line start, or a word that introduces a person
# in a list or a view (还有…, 在…看来, 家住…的). Without it, "交流的还有宜宾市…" reads 的还有宜宾市 as a district.
# (a script's cue closes its bracket before who speaks: 【同期声】杏花村党支部书记 李德厚：…)
BOUNDARY = ("(?:^|(?<=[，。；：、“”‘’（）()【】\\s,;:！？!?—])" + "".join(
    f"|(?<={w})" for w in ("还有", "包括", "以及", "邀请", "在", "由", "和", "与", "及", "的", "是", "为", "请", "据",
                           "有", "了", "专访", "采访",
                           # a profile's subtitle verb: ——追记…, 走近…
                           "追记", "走近",
                           # an adverb opening the clause: 随后村委会副主任刘桂芳
                           "随后", "然后", "接着", "随即", "其后", "此后", "最后", "首先",
                           # a stationed cadre: 县农业农村局派驻双河乡青杠村第一书记赵文博
                           "派驻",
                           # an age before the title: 家住南塘小区12栋的72岁居民王秀英笑着说
                           "岁"))
    # (——记雁湖区东关街道枫林社区党委书记沈秀梅: a profile's subtitle, never 记者)
    + "|(?<=—记)(?!者))")
# 区→街道/镇/乡→社区/村/中心, each level optional; a prefecture city before a district is dropped.
# 街道 is tried before 镇/乡 and a level may not be followed by another level word, so 新镇街道 is a
# street (not town 新镇 + community 街道…), and 东镇乡 a township, not 东镇 + 乡….
NOT_ORG = "(?!派出所|研究所|研究院|学院|大学|医院|局|学校)"
# A district (county, county-level city), after its prefecture city if printed, which is dropped.
# A 县委/区委 (the county's party committee) is a body, not the county: 青禾县委社会工作部.
CITY_DISTRICT = (rf"(?:[{HAN}]{{2,3}}?省(?=[{HAN}]{{2,4}}?市))?"  # a province before the city: dropped too
                 rf"(?:[{HAN}]{{2,4}}?市(?=[{HAN}]{{1,5}}?(?<!社)(?:新区|区|县)))?"
                 rf"(?P<district>[{HAN}]{{1,5}}?(?<!社)(?:新区|区|县|市)(?!委))")
PATH = (
    rf"(?:{CITY_DISTRICT})?"
    # (城乡 is a word of bodies' names: 住房和城乡建设局 is no township; 魏城镇 is a town)
    rf"(?:(?P<street>[{HAN}]{{1,8}}?街道|[{HAN}]{{1,6}}?(?:镇|(?<!城)乡))(?![镇乡]|街道))?"
    # 驻村 (stationed in the village: 驻村第一书记) ends in 村 but names no village.
    # a place name holds no function word (记者还见到了村务监督委员会主任…: no village 记者还见到了村)
    # (nor a verb of asking: 记者请村党支部书记… names no village 记者请村)
    rf"(?P<community>(?:{NOT_ORG}(?![了的着过还请让叫被把])[{HAN}0-9A-Za-z]){{1,12}}?(?:社区|村|中心)(?<!驻村))?"
)
# A body (学院, 派出所, 民政局…) for people outside the path; never a title's own party-organ
# prefix (the 党委 of 党委书记 is part of the title).
# (a body named by its kind alone, the one just described: 中心主任邓晓燕, 卫生院院长马志强)
AFFILIATION = (rf"(?:(?!{any_of(TITLE_WORDS)})"
                rf"(?P<affiliation>(?:(?:(?!的|还有|了)[{HAN}]){{1,14}}?(?:{any_of(ORG_SUFFIXES)})"
                rf"|(?:{any_of(s for s in ORG_SUFFIXES if len(s) >= 2)})){{1,3}}?))?")
# A producer is named by what they grow or raise (葡萄种植户, 生猪养殖户): up to three characters
# before the role word belong to the title.
PRODUCER = rf"[{HAN}]{{1,3}}?(?={any_of(PRODUCER_ROLES)})"
# (a post of "the village" the report is about, its name left out: 村党总支书记周建国, 社区党委书记)
TITLE = rf"(?P<title>(?:(?:村|社区)(?=党))?(?:(?:{PRODUCER})?(?:{any_of(TITLE_WORDS)})|(?<=小组)代表)(?:、[{HAN}]{{0,8}}?(?:{any_of(TITLE_WORDS)}))*)"
SURNAME_CHARS = "".join(sorted(SURNAMES))  # the single-character surnames, as a regex character class's body
SURNAME = f"(?:{any_of(COMPOUND_SURNAMES)}|[{SURNAME_CHARS}])"
NAME = rf"(?P<name>{SURNAME}[{HAN}]{{1,2}}?)"
# Between a name and its speech verb: an adverb, or when/where it was said (在接受采访时, 在会上).
# (正如王芳所说: 所 before the verb; 王芳一边翻着台账一边说: what they do while they speak)
ADVERB = ("(?:在[^，。“”：:]{1,12}?(?:时|上|中)[，,]?)?(?:也|还|则|又|更|就|曾|同时|对记者|向记者|对我|跟我|向我|笑着|感慨地|深有感触地"
           "|所|一边[^，。“”：:]{1,8}?一边|多次|反复|一再|再三"
           "|哽咽着|动情地|激动地|认真地|坚定地|自豪地|红着眼眶|抹着眼泪|叹着气|摇着头|点着头|拍着胸脯"
           # (a gesture with what it points at or holds: 他指着脚下的水泥路说, 她拉着我的手说)
           "|[指拉握牵搀拍摸抚望看][着][^，。“”：:]{1,8}?)?")  # (how: 哽咽着说)
# (介绍说, 坦言说: a verb of telling before 说 is one act of speech)
# (用王芳的话说，“…”: in their words)
VERB = rf"{ADVERB}(?P<verb>{any_of(SPEECH_VERBS)}|看来|的话来?说)(?:了|道|说)?"
# What may follow a name: punctuation, a speech verb, or a short function word (作, 对, 等…).
FOLLOW = (rf"(?=[：:，,、。；;（(）)】\s“”]|{ADVERB}(?:{any_of(SPEECH_VERBS)}|看来)"
           rf"|[等和与及对在也都作是的就为从把带向还则又用今已每曾多有]|一道|主持|出席|参加|陪同|带队|致辞|讲话|接受|解读|正(?=[在带忙和与给帮陪领拿])"
           # (a scene's posture before where: 物业经理孙浩坐在最后一排, 站在台上, 蹲在巷口)
           rf"|[坐站蹲躺靠](?=在|着)"
           # (what they do, told right after the name: 何秀娟扎根社区21年, 请孟春华牵头, 邓国平自2019年起)
           rf"|扎根|牵头|带领|带头|组织|负责|发起|坚持|推动|创办|先后|长期|多年|常年|连续|自(?=\d|[一二]|去年|今年|上世纪)"
           # (who spoke first: 李长根第一个站起来, 首先发言)
           rf"|第一个|首先|率先|最先"
           # (their household: 村民赵秀英家曾因水渠改道与邻组争执)
           rf"|家(?![长属])"
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
SENDER = rf"(?:(?P<sender>[{HAN}]{{2,12}}?(?:{any_of(ORG_SUFFIXES)})(?:{any_of(SENT_BY)})))?"
# (after a sending body the place may take 的: 市农业农村局派驻竹园村的驻村工作队队长)
# (nor with the speaker's own 我是…: 我是青溪镇柳塘村党支部书记 is no 我是青溪镇)
UNIT = rf"(?P<unit>[0-9０-９]{{1,3}}(?:栋|号楼|幢|单元|组|网格)"  # (3栋楼栋长胡秀英: part of the post)
# (a village group's representative: 第三村民小组代表李长根; 代表 alone is a verb, 代表村两委作报告)
UNIT += rf"|第[0-9０-９一二三四五六七八九十]{{1,3}}(?:村民|居民)?小组(?=代表|组长)"
# (or by its name: 下塘组村民赵秀英, 三组组长)
UNIT += rf"|(?![民小])[{HAN}]{{1,3}}?组(?=村民|组长))?"
# (随后村委会副主任刘桂芳: an adverb opening the clause is no part of a place or body)
ADVERB_OPENING = "随后|然后|接着|随即|其后|此后|最后|首先"
MENTION_HEAD = rf"{BOUNDARY}(?!还有|包括|以及|邀请|有|在|是|由|据|我|你|{ADVERB_OPENING}|(?<=—)记(?!者)){SENDER}{PATH}(?(sender)的?|){AFFILIATION}{UNIT}{TITLE}[ \u3000]?"
FULL_MENTION_RE = re.compile(rf"{MENTION_HEAD}{NAME}{FOLLOW}")
# (or a demonstrative and a description standing for the last person named: 这位退休法官说, 这名老党员表示)
PRONOUN_RE = re.compile(rf"{BOUNDARY}(?P<name>[他她](?![们])|这[位名](?:[\u4e00-\u9fff0-9]{{1,8}}?)?(?:法官|党员|书记|主任|老人|志愿者|网格员|居民|村民|教授|专家|干部|老师|民警|调解员|社工|队长|大姐|阿姨|大爷|老兵"
                        # (这位68岁的退休工人说: any plain word for a person)
                        rf"|工人|师傅|大妈|大叔|大哥|医生|村医|业主|司机|妈妈|奶奶|爷爷|小伙|姑娘|店主|老板))(?={VERB})"
                        # (a list entry's own field of words, 本人感言：“…”, 获奖感言：: the one the entry names)
                        rf"|{BOUNDARY}(?P<own>(?:本人|获奖)(?:感言|寄语|心声))(?=\s*[：:])")

INTRO_HEAD_RE = re.compile(rf"{PATH}{AFFILIATION}{TITLE}[ \u3000]?")
NO_PLACE = "(?P<district>)(?P<street>)(?P<community>)(?P<affiliation>)"
NO_PATH = NO_PLACE + "(?P<title>)"

# A coded interviewee as a study quotes them (受访者A3（社区党委书记）：“…”, 受访者B7（居民，女，68岁）说):
# the code, then their role in brackets.
CODED_RE = re.compile(rf"(?P<name>{CODED_NAME_RE.pattern})(?:[（(](?P<label>[^）)\n]{{2,30}})[）)])?")
