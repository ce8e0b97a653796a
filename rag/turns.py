"""Whose turn each line of a transcript, a thread or a message board is: a speaker's label
(王立群（…书记）：, 【记者 何昊】, 主持人 方圆：), a sound cue, a comment's @nickname, a chat
screenshot's poster, a record's 留言人 field, and a turn that runs on from the line that opened it."""
from __future__ import annotations

import re
from collections import Counter
from typing import Callable

from rag.cutting import names_a_thing, untitled_name
from rag.lexicon import ADDRESS_FORMS, HOST_TITLES, TITLE_WORDS, is_name
from rag.mention_grammar import SURNAME_CHARS
from rag.quotes import whole_quote
from rag.records import Person
from rag.sections import CAST_LINE_RE, EDITOR_NOTE_RE, posted_person, tells_in_first_person


# 王立群（东城区长乐街道党工委书记）：… / 王立群：… at the start of a paragraph; a live text or
# transcript may give the turn's role first ([主持人]郑晓岚：…, 主持人 方圆：…, 问政代表 宋婉清（市人大
# 代表）：…). A role is a word for a person (【第一环节】短片： is a segment's heading, not a turn).
# (a podcast's 主播; a recorded programme's turns may follow a timestamp: [12:05] or 12:05 on its own line)
# (原告, 被告: a court record's parties are roles too)
ROLE = r"[\u4e00-\u9fff]{0,5}(?:人|员|代表|嘉宾|记者|委员|专家|长|主任|书记|居民|市民|村民|网友|群众|老师|律师|主播|原告|被告)"
TIMESTAMP = r"[\[【(（]?\d{1,2}:\d{2}(?::\d{2})?[\]】)）]?"
# (a broadcast script's sound cue before the name, 【同期声】徐长林：…, marks the line as spoken; so does a
# subtitle cue before a named line, 【字幕】⏎邵志刚（…党委书记）：…; and the subtitle itself may stand
# between, 【同期声】⏎（字幕：邵春梅　…广场舞队队长）⏎邵春梅：…)
SOUND_CUE = r"[\[【［](?P<cue>同期声?|采访|录音|现场声?|字幕)[\]】］]\s*(?:[（(]字幕[：:](?P<subtitle>[^）)\n]{2,50})[）)]\s*)?"
TURN_RE = re.compile(rf"^\s*(?:{TIMESTAMP}\s*)?(?:{SOUND_CUE})?(?:[\[【［](?P<role>{ROLE})[\]】］]\s*|(?P<spaced>{ROLE})[ \u3000]+)?"
                     # (a reply's label may print the post after the name: 周启明律师：…, 王立群书记：…)
                     rf"(?P<name>[\u4e00-\u9fff]{{2,4}})(?P<post>{ROLE})?\s*(?:[（(](?P<label>[^）)]{{2,40}})[）)])?\s*[：:]")
# A TV transcript's label holds role and name in one bracket (【记者 何昊】林雪你好…, 【主持人 林雪】…):
# the closing bracket stands where a colon would. Serves broadcast and live-link transcripts.
LABEL_TURN_RE = re.compile(rf"^\s*[\[【［](?P<role>{ROLE})[ \u3000]+(?P<name>[\u4e00-\u9fff]{{2,4}})[\]】］]\s*")


# A comment under a story: @nickname on its own line, its IP line, then the words, which may
# answer another comment (回复 @梧桐树下的猫：…). The nickname is the commenter's name, as printed.
COMMENT_RE = re.compile(r"^\s*@(?P<name>[^\s@：:]{1,24})[ \t]*\n(?:[ \t]*IP属地[：:][^\n]*\n)?"
                        r"[ \t]*(?:回复\s*@[^\s：:]{1,24}\s*[：:])?")


# A transcript's header binds a role to its one holder (主持人：陈一鸣, 主播：林夏): the turns the
# role alone opens (主持人：各位听众朋友…) are that person's. Serves programmes and live texts.
# (a header may space the role out: 主 持 人：程雨桐)
SPACED_HOSTS = "|".join("[ \t\u3000]*".join(title) for title in HOST_TITLES)
ROLE_HOLDER_RE = re.compile(rf"^[ \t\u3000]*(?P<role>{SPACED_HOSTS})[ \t\u3000]*[：:][ \t\u3000]*"
                            r"(?P<name>[\u4e00-\u9fff]{2,3})[ \t\u3000]*$", re.M)
# A role alone in brackets over the words below it (【主持人】⏎各位网友，大家上午好！…): the turn of
# the one the header names for it. Serves online interviews and programme transcripts.
ROLE_LABEL_LINE_RE = re.compile(rf"^\s*[【\[［](?P<role>{'|'.join(HOST_TITLES)})[】\]］][ \t\u3000]*\n")


# A record's header binds a party's role the same way (调解员：杜建华, 物业代表：柯文涛), or prints the
# role right before the name (当事人：申请人易秀兰，女，…；被申请人包志强，男，…): lines the role
# alone opens (申请人：…, 调解员：…) are that person's. Serves mediation, hearing and court records.
# (主持人：邹局长，先请您… is a turn addressing someone: a header's role line ends with the name)
PARTY_RE = re.compile(rf"(?:^|(?<=[：:；;]))[ \t\u3000]*(?P<role>{ROLE})(?:[ \t\u3000]*[：:][ \t\u3000]*"
                      rf"(?P<name>[\u4e00-\u9fff]{{2,3}})(?=[ \t\u3000]*(?:[（(][^）)\n]*[）)])?[ \t\u3000]*$)"
                      rf"|(?P<inline>[\u4e00-\u9fff]{{2,3}})(?=[，,（(]))", re.M)


# (审判长由桐林人民法庭庭长卢静怡担任: a role given in prose, the holder named right before 担任)
SERVED_BY_RE = re.compile(rf"(?P<role>{ROLE})由[^，。；\n]{{0,24}}?(?P<name>[\u4e00-\u9fff]{{2,3}})担任")


def role_holders(text: str, doc_id: str) -> dict[str, Person]:
    """Role → the one person the header gives it (a role given to two people binds no one)."""
    found: dict[str, list[Person]] = {}
    held = [(m["role"], m["name"], m) for m in ROLE_HOLDER_RE.finditer(text)]
    held += [(p["role"], name, p) for p in PARTY_RE.finditer(text) if not re.fullmatch(ROLE, name := p["name"] or p["inline"])]
    held += [(m["role"], m["name"], m) for m in SERVED_BY_RE.finditer(text)]
    for role, name, m in held:
        role = re.sub(r"[ \t\u3000]", "", role)
        if is_name(name):
            found.setdefault(role, []).append(Person(name=name, title=role, doc_id=doc_id, mention=(m.start(), m.end())))
    return {role: people[0] for role, people in found.items() if len({p.name for p in people}) == 1}


# A turn opened by someone described, not named (听众王女士：, 尾号0716的听众：, 网友“老街坊”：):
# a call-in or a comment read out is theirs, never the host's who read it. Serves programmes.
PUBLIC = r"听众|网友|市民|居民|村民|读者|观众|来电者|群众"
# (网友“夜归的老周”：您好！ addresses them: a reply to them, never their words)
DESCRIBED_TURN_RE = re.compile(rf"^\s*(?P<who>(?P<kind>{PUBLIC})(?:[\u4e00-\u9fff]{{1,2}}(?:女士|先生|阿姨|大爷|师傅)|“[^”]{{1,10}}”)"
                               rf"|[^：:\n，。]{{1,10}}的(?P<kind2>{PUBLIC}))\s*[：:](?!\s*(?:您好|你好))")


# A message shown in a report (【群聊截图】网格员许婷婷：…, 【群聊截图】昵称“老陈”：…, 张阿姨（3栋）：…):
# its poster, by the record the article holds for them, else as printed. Only after a tag that
# names a message, so a heading's colon opens no one. Serves chat screenshots, message boards and
# comment walls quoted in features.
MESSAGE_RE = re.compile(r"^\s*[【\[［][^】\]］\n]{0,6}(?:截图|群聊|聊天|留言|评论|消息|私信)[^】\]］\n]{0,4}[】\]］]\s*"
                        r"(?:昵称|网名)?(?P<who>“[^”\n]{1,12}”|[^“：:\n（(\s]{2,16})\s*(?:[（(][^）)\n]{1,20}[）)])?\s*[：:]")
# A nickname the report resolves (“张阿姨”是3栋居民张秀芳, “一颗橙子”则是9栋的年轻妈妈吴晓): the
# posts and words under it are that person's. Serves chat screenshots and comment walls.
NICKNAME_RE = re.compile(r"“(?P<alias>[^”\n]{1,8})”(?:则|就|即|其实)?是(?P<who>[^，。；“”,;\n]{2,20})(?=[，。；,;]|$)", re.M)


def _ending_in_name(who: str, doc_id: str) -> Person | None:
    """The person a description ends by naming (9栋的年轻妈妈吴晓, 网格员许婷婷), the rest their title."""
    name = next((who[-k:] for k in (3, 2) if len(who) > k and is_name(who[-k:])), None)
    if name is None:
        return None
    label = who[:-len(name)].rstrip("的")
    return posted_person(label, name, doc_id)


# A familiar form the report spells out (老张全名叫张守仁, 王婶——也就是王桂芝老人): the words said
# under it are that person's. Serves diaries, features and stories that call villagers as neighbours do.
FAMILIAR_ALIAS_RE = re.compile(rf"(?P<alias>[老小][{SURNAME_CHARS}]|[{SURNAME_CHARS}](?:婶|叔|姨|嫂|伯|大爷|大妈|奶奶|阿姨|大姐|大哥))"
                               rf"(?:全名|大名|本名)?(?:叫|——也就是|，也就是|也就是|就是)(?P<who>[\u4e00-\u9fff]{{2,3}}?)(?=[，。；、—,;]|老人|$)")


def nicknames(text: str, doc_id: str) -> dict[str, Person]:
    """Nickname or familiar form → the named person the report says is behind it."""
    found = {m["alias"]: person for m in NICKNAME_RE.finditer(text) if (person := _ending_in_name(m["who"], doc_id))}
    found |= {m["alias"]: Person(name=m["who"], title="", doc_id=doc_id) for m in FAMILIAR_ALIAS_RE.finditer(text)
              if m["who"][0] in (m["alias"][0], m["alias"][-1]) and is_name(m["who"])}
    return found


def _poster(who: str, people: dict[str, Person], doc_id: str) -> Person:
    who = who.strip("“”")
    if who in people:
        return people[who]
    if known := next((p for name, p in people.items() if len(name) >= 2 and who.endswith(name)), None):
        return known  # (网格员许婷婷, 恒悦物业蔡志刚: a post or firm before a known name)
    # (a nickname no one resolves is the poster, as printed)
    return _ending_in_name(who, doc_id) or Person(name=who, title="网友", doc_id=doc_id)


# A reply under a post (罗永康 回复 柳溪-春梅：已经加上了): the replier's words, never the one replied to.
# Serves comment threads under posts, boards and Moments.
# (the one replied to is on the same line: ✅社区回复⏎网格员林晓：… is a heading over someone's reply)
REPLY_LINE_RE = re.compile(r"^\s*(?P<name>[^\s：:回]{2,12})[ \t\u3000]*回复[ \t\u3000]*@?[^：:\n]{1,16}[ \t\u3000]*[：:]")


# A bare name that labels two or more lines (记者：… ⏎ 方晓蕾：… ⏎ 记者：… ⏎ 方晓蕾：…) is a transcript's
# speaker, introduced or not; a copula line may say who they are (运营者方晓蕾是社区党委宣传委员).
# Serves interviews and dialogues whose lead names the answerer without a title before the name.
BARE_LABEL_RE = re.compile(r"^[ \u3000]*(?P<name>[\u4e00-\u9fff]{2,4})[ \u3000]*[：:](?!“)", re.M)


def labelling_names(text: str, doc_id: str, roles=()) -> list[Person]:
    """The people bare names labelling two lines or more stand for; a role the header binds
    (``roles``: 申请人) is no name, though 申 is a surname."""
    counts = Counter(m["name"] for m in BARE_LABEL_RE.finditer(text) if m["name"] not in roles)
    people = []
    # (王书记, 李教授: a surname and a post are how a dialogue addresses someone already introduced)
    for name in (n for n, k in counts.items() if k >= 2 and is_name(n) and not n.endswith(tuple(ADDRESS_FORMS))):
        said = re.search(rf"{name}是(?P<post>[\u4e00-\u9fff]{{2,20}}?)[，。,；;]", text)
        post = said["post"] if said and re.search(r"(?:员|长|书记|主任|干部|者|师)$", said["post"]) else ""
        people.append(posted_person(post, name, doc_id))
    return people


NAME_TAG_RE = re.compile(r"^\s*[【\[［](?P<name>[\u4e00-\u9fff]{2,4})[】\]］]\s*")
# A dialogue's turn labelled by the speaker's surname alone (钱：…, 罗：…), its guests introduced in
# full before it. Serves dialogue columns and two-person interviews.
SURNAME_LABEL_RE = re.compile(rf"^\s*(?P<surname>[{SURNAME_CHARS}])[：:]")


def turn_speaker(paragraph: str, doc_id: str, people: dict[str, Person], strangers: bool = True) -> tuple[Person | None, int]:
    """The person whose turn a transcript paragraph opens, and where their words begin; (None, 0)
    when it opens none. A bare name must be one the article introduced (背景：, 做法： are no one)."""
    if (c := COMMENT_RE.match(paragraph)) and c.end() < len(paragraph.rstrip()):
        person = people.get(c["name"]) or Person(name=c["name"], title="网友", doc_id=doc_id)
        return person.model_copy(update={"mention": (0, c.end())}), c.end()
    if (reply := REPLY_LINE_RE.match(paragraph)) and reply.end() < len(paragraph.rstrip()):
        return _poster(reply["name"], people, doc_id).model_copy(update={"mention": (0, reply.end())}), reply.end()
    if (msg := MESSAGE_RE.match(paragraph)) and msg.end() < len(paragraph.rstrip()):
        return _poster(msg["who"], people, doc_id).model_copy(update={"mention": (0, msg.end())}), msg.end()
    if (label := ROLE_LABEL_LINE_RE.match(paragraph)) and (holder := people.get(label["role"])):
        return holder, label.end()
    if d := DESCRIBED_TURN_RE.match(paragraph):  # 听众王女士：… is the listener's turn, cited as printed
        return Person(name=d["who"], title=d["kind"] or d["kind2"], doc_id=doc_id, mention=(0, d.end())), d.end()
    if (lab := LABEL_TURN_RE.match(paragraph)) and is_name(lab["name"]) and lab.end() < len(paragraph.rstrip()):
        person = people.get(lab["name"]) or posted_person(lab["role"], lab["name"], doc_id)
        return person.model_copy(update={"mention": (0, lab.end())}), lab.end()
    if CAST_LINE_RE.match(paragraph):  # (赵满仓：男，六十二岁…: the cast list, not the role's line)
        return None, 0
    # (【周建明】林晓你好…: a studio transcript's turn labelled by a known name alone in brackets;
    # 钱：… in a dialogue with 钱永丰: the one guest of that surname)
    tag, one = NAME_TAG_RE.match(paragraph), SURNAME_LABEL_RE.match(paragraph)
    if tag or one:
        records = {p.name: p for p in people.values()}  # (people is keyed by names, aliases and roles)
        if tag and (known := records.get(tag["name"])):
            return known, tag.end()
        if one and len(held := [p for n, p in records.items() if n.startswith(one["surname"])]) == 1:
            return held[0], one.end()
    m = TURN_RE.match(paragraph)
    # (a bare name is a turn when the article introduced it, or when a sound cue marks the line spoken)
    # (方案二（错时共享停车）：…, 车辆（业主）：…: a numbered item or a thing labels a line, no one's turn)
    # (王建军：9栋后面绿化带里有碎玻璃…: a chat line opened by a full three-character name is theirs)
    # (王书记：… is a surname and a post, never a stranger's name)
    chat = strangers and bool(m) and len(m["name"]) == 3 and is_name(m["name"]) and untitled_name(m["name"]) \
        and m["name"][1:] not in TITLE_WORDS + tuple(ADDRESS_FORMS)
    if not m or (not m["label"] and not m["role"] and not m["spaced"] and m["name"] not in people
                 and not ((m["cue"] or m["post"]) and is_name(m["name"])) and not chat) \
            or (m["name"] not in people and names_a_thing(m["name"])):
        return None, 0
    rest = paragraph[m.end():].strip()
    if rest.startswith("“") and whole_quote(rest):  # 陈秀芬：“……” is a quoted line, not a turn
        return None, 0  # (曹永福：“街巷长”可不能只挂个牌子 opens with a quoted term: a turn)
    if m["name"] in people:
        if rest.startswith(people[m["name"]].name) and people[m["name"]].name != m["name"]:
            return None, 0  # 主持人：林晓 is the header binding the role, not the host's turn
        return people[m["name"]], m.end()
    # (居民、3号楼楼栋长 has no title the parser knows: the description is their title, as printed)
    label = m["label"] or m["role"] or m["spaced"] or m["post"] or ""  # (a cue's line may print no post)
    if not label and (m["subtitle"] or "").startswith(m["name"]):  # (its subtitle does: 字幕：冯国栋　退休会计)
        label = m["subtitle"][len(m["name"]):].strip(" \u3000|｜，,")
    person = posted_person(label, m["name"], doc_id)
    return person.model_copy(update={"mention": (0, m.end())}), m.end()


# (A：… under Q：…, as explainers print a Q&A in Latin letters)
ANSWER_RE = re.compile(r"\s*(?:答|A)\s*[：:]")
# A transcript's stage direction, a bracket alone on its line ((掌声), （龙庆华在白板上写下…）).
STAGE_DIRECTION_RE = re.compile(r"[（(][^（）()\n]{1,60}[）)]")
# An item of a list inside a turn (一是…；二是…；（一）…; 1. …): the turn goes on, told as 我 or not.
# (a lecture's parts too: 第一块，红白喜事。… 第二部分，…)
LIST_ITEM_RE = re.compile(r"^\s*(?:[一二三四五六七八九十][是要]|第[一二三四五六七八九十](?:块|部分|个方面|方面|条|点)?[，、,]"
                          r"|[（(][一二三四五六七八九十\d][）)]|\d+[.、．])")
# How a lead names the one who answers a 问/答 piece (接受采访, 对《办法》进行了解读, 回答了记者提问).
# (an FAQ's lead: 请…叶晓岚就大家关心的问题作出解答, 答疑)
INTERVIEWED_RE = re.compile(r"[^。]{0,12}?(?:接受[^。]{0,6}采访|解读|回答|答记者问|作出说明|解答|答疑)")


def interviewee_of(text: str, starts: list[tuple[str, int]], introduced: dict[int, Person]) -> Person | None:
    """Who answers a 问/答 piece (``starts``: each paragraph's kind and source offset;
    ``introduced``: source offset of each full introduction → its record): the person the lead,
    before the first question, says answers; else the one person the lead introduces."""
    first = next((at for kind, at in starts if kind == "question"), None)
    if first is None or not any(ANSWER_RE.match(text, at) for _, at in starts):
        return None
    lead = [(at, p) for at, p in sorted(introduced.items()) if at < first]
    answering = [p for at, p in lead if INTERVIEWED_RE.match(text, text.find(p.name, at) + len(p.name))]
    return (answering or [p for _, p in lead])[0] if answering or len(lead) == 1 else None


# A message board's or a complaint form's poster field (留言人：网友“桂园住户2019”, 来信人：王建国):
# the message under the field block is theirs, up to the next field block (the reply's, 回复单位：…,
# which is the body's) or heading. Serves message boards, hotline work orders and letter forms.
POSTER_FIELD_RE = re.compile(r"^\s*(?:留言人|来信人|投诉人|反映人|发帖人|诉求人|来电人)\s*[：:]\s*(?P<kind>网友|市民|居民|群众)?"
                             r"\s*(?:“(?P<nick>[^”\n]{1,16})”|(?P<name>[\u4e00-\u9fff]{2,4}(?:女士|先生)?))\s*$", re.M)
REPLY_FIELD_RE = re.compile(r"^\s*(?:回复|答复|办理|承办|处理)[\u4e00-\u9fff]{0,4}\s*[：:]")


# A person's own feed compiled in a report (记者整理…党支部书记罗永康的朋友圈, 她的民情日记): each dated
# entry (■ 2023年1月8日　17:42) opens words of theirs, up to the next heading. Serves compiled
# Moments, microblog posts and diaries.
FEED_RE = re.compile(r"(?P<who>[\u4e00-\u9fff]{2,4})的(?:朋友圈|微博|抖音|视频号|民情日记|工作日志|日记)")
ENTRY_RE = re.compile(r"^\s*[■□●◆▲★]?\s*\d{4}年\d{1,2}月\d{1,2}日(?:\s+\d{1,2}[:：]\d{2})?\s*$")
FEED_HEAD_CHARS = 200


def feed_owner(text: str, doc_id: str, people: dict[str, Person]) -> Person | None:
    """Whose feed the report compiles, as its header names them (None for any other report)."""
    m = FEED_RE.search(text[:FEED_HEAD_CHARS])
    name = m and next((m["who"][-k:] for k in (3, 2) if is_name(m["who"][-k:])), None)
    return (people.get(name) or Person(name=name, title="", doc_id=doc_id)) if name else None


def field_block_poster(unit: str, doc_id: str, feed: Person | None = None) -> Person | None | bool:
    """The poster a record's field block names (a Person), None for a reply's block (回复单位：…),
    or False when the unit is neither; a feed's dated entry line is its owner's (``feed``)."""
    if feed is not None and ENTRY_RE.match(unit):
        return feed
    if m := POSTER_FIELD_RE.search(unit):
        return Person(name=m["nick"] or m["name"], title=(m["kind"] or "网友") if m["nick"] else "来信人", doc_id=doc_id)
    return None if REPLY_FIELD_RE.match(unit) else False


# A paragraph whose first line is a sentence (not a poster's name and time, 王姐 19:53).
SENTENCE_LINE_RE = re.compile(r"[^\n]*[。！？!?；;”]\s*(?:\n|$)")


class Turns:
    """Whose turn each paragraph of a transcript is. ``opens(spans)`` gives the person a paragraph's
    own turn line names and where their words start; ``interviewee`` answers the 答： turns."""

    def __init__(self, opens: Callable, transcript: bool, interviewee: Person | None = None):
        self.opens, self.transcript, self.interviewee = opens, transcript, interviewee
        self.current: Person | None = None
        self.block = False  # the current turn's label stood alone on its line: the turn runs on

    def of(self, kind: str, unit: str, spans, others_speak: Callable[[], bool]) -> tuple[Person | None, int]:
        if kind not in ("text", "caption") or EDITOR_NOTE_RE.match(unit):  # a heading, a question, a byline
            # (a stage direction alone, （投影屏幕显示…）, interrupts no one's turn)
            self.current = self.current if STAGE_DIRECTION_RE.fullmatch(unit.strip()) else None
            return None, 0
        if not self.transcript:
            return None, 0
        speaker, at = self.opens(spans)
        if speaker is None and self.interviewee is not None and (m := ANSWER_RE.match(unit)):
            speaker, at = self.interviewee, m.end()
        # The next paragraph goes on with the turn when it still speaks as 我/我们 or is an item of
        # its list, and quotes no one else (a reporter's 采访结束时… after it is the report's own).
        # (a reply whose label stands on a line of its own, 周启明律师：⏎…, runs on to the next
        # heading or turn, as a letters column's answer does)
        goes_on = speaker is None and self.current is not None and (
            tells_in_first_person(unit) or bool(LIST_ITEM_RE.match(unit))
            or (self.block and bool(SENTENCE_LINE_RE.match(unit)))) and not others_speak()
        if speaker is not None:
            self.block = unit[at - 1:at] == "\n" or unit[:at].rstrip().endswith(("：", ":")) and unit[at:at + 1] == "\n"
        self.current = speaker or (self.current if goes_on else None)
        return self.current, at
