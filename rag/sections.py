"""Self-told text: who tells it when no quotation marks say so.

* A series of self-told sections (身边的好书记, 治理笔记): each opens with a header line naming its
  teller, ``■ 李春华 | 澄川区望江街道滨河社区党委书记`` or ``【吴秀兰：汇水县石桥镇桂溪村党支部书记】``
  (name then label, or label then name), and the first-person text under it is that person's.
* An oral history (口述实录): the line ``口述：周建华（…村党支部书记）　整理：本报记者 梁晓雯``
  names the teller of the whole first-person text that follows.
* A transcript, a thread or a message board: whose turn each line is (``rag.turns``).

The editor's or reporter's own words (编后, 编者按, 记者手记) close a teller's text.
"""
from __future__ import annotations

import re

from rag.attribution import person_from
from rag.mention_grammar import CODED_RE, FULL_MENTION_RE
from rag.lexicon import TITLE_WORDS, is_name
from rag.quotes import quote_segments, whole_quote
from rag.paragraphs import SPEAKER_HEADING_RE
from rag.passages import Passage
from rag.records import Person

HEADER_MARKS = "■□●○◆◇▲△★☆▶►◎【】[]"
HEADER_SEPARATOR_RE = re.compile(r"\s*[|｜丨/：:—-]+\s*|\s+")
# 口述：周建华（临川市青岚县白沙镇桂岭村党支部书记）, before who wrote it down (整理/记录/采写)
# (a lecture's 宣讲人：杨秀兰（…党支部副书记） tells its talk the same way)
# (a first-person piece signed by its author with a post, 作者：贺明远（…村第一书记）: a work log, a
# diary, an essay is the author's account; a reporter's byline, 作者：本报记者 X, is not one)
ORAL_RE = re.compile(r"^\s*(?:口述(?:人)?|宣讲人|主讲人|讲述人|作者)\s*[：:]\s*(?P<name>[\u4e00-\u9fff]{2,4})\s*"
                     r"[（(](?P<label>(?![^）)]*(?:记者|通讯员|编辑|实习生))[^）)]{2,40})[）)]")
FIRST_PERSON_RE = re.compile(r"我")
# A speech's own line under its headline: ——…村党支部书记 周建华在全县乡村振兴工作会议上的发言.
# (or with no name, ——在全区基层治理推进会上的交流发言, beside the speaker's own line 某社区党委书记 张某某)
# (a report to a congress may print its date and end at the meeting: ——2025年1月9日在…第五次会议上)
SPEECH_LINE_RE = re.compile(r"^\s*[—－-]*\s*(?:\d{4}年\d{1,2}月\d{1,2}日)?(?P<intro>[^，。；“”\n]{4,50}?)?\s*在[^，。\n]{2,40}?[上中]的?"
                            r"(?:(?:典型|交流|经验|表态|主旨)?(?:发言|讲话|报告|交流材料)|(?<=会议上)|(?<=大会上))\s*$")
# (or the speaker after it: ——在青枫街道第三届居民代表大会第四次会议上 街道办事处主任 沈立航)
SPEECH_LINE_AFTER_RE = re.compile(r"^\s*[—－-]+\s*在[^，。\n]{2,40}?[上中](?:的?(?:发言|讲话|报告))?[ \t\u3000]+"
                                  r"(?P<intro>[^，。；“”\n]{4,40}?)\s*$")
# A section's author line (提案人：区政协委员、恒信律师事务所主任　王立峰): the section under it, up
# to the next heading, is that person's, first person or not (a proposal's 现状 and 建议). A body
# (提案人：民盟临澜区委会) names no one: the section stays the report's.
AUTHOR_LINE_RE = re.compile(r"^\s*(?:提案人|建议人|提议人|报告人|交流人)\s*[：:]\s*(?P<intro>[^\n]{2,50}?)\s*$")
# How a speech or a report read out addresses its audience first (各位党员、居民代表：, 尊敬的各位领导：,
# 同志们：): the speaker the header names tells all of it, past its subheadings.
SALUTATION_RE = re.compile(r"\s*(?:各位[^：:\n。]{1,20}|尊敬的[^：:\n。]{1,20}|同志们|乡亲们)[：:]")
# A letter's salutation (枫林苑7号楼的各位邻居：, 编辑同志：, 尊敬的…：): what follows, to its
# signature, is the writer's, numbered points (一是…；二是…) and all. Serves letters and replies.
# (亲爱的若溪：, 亲爱的爸爸：: a letter home, to family or a friend)
LETTER_OPEN_RE = re.compile(r"\s*(?:[^：:\n。，]{0,16}?各位[^：:\n。]{1,12}|尊敬的[^：:\n。]{1,20}|编辑同志|[^：:\n。，]{2,12}同志们?"
                            r"|亲爱的[^：:\n。，]{1,12})[：:]")


def opens_letter(unit: str) -> bool:
    return bool(LETTER_OPEN_RE.match(unit))


EDITOR_NOTE_RE = re.compile(r"^\s*[【\[]?(?:编后|编者按|编后语|编辑点评|记者手记|短评|点评)")


# A numbered unit inside a community between its name and the post (光明社区第7网格网格员, 3号楼楼栋长):
# part of the post, not of the place. Serves grid workers and building heads in captions and lists.
NUMBERED_UNIT_RE = re.compile(r"(?:(?<=社区)|(?<=小区)|(?<=村))(?P<unit>第?[0-9０-９一二三四五六七八九十]{1,3}(?:网格|号楼|栋|单元|组|片区))")


def labelled_person(label: str, name: str, doc_id: str) -> Person | None:
    m = FULL_MENTION_RE.match(label + name)
    if m and m.end("name") == len(label + name) and m["name"] == name:
        return person_from(m, doc_id, quoted=True)
    if unit := NUMBERED_UNIT_RE.search(label):
        person = labelled_person(label[:unit.start()] + label[unit.end():], name, doc_id)
        return person and person.model_copy(update={"title": unit["unit"] + person.title})
    return None


def posted_person(label: str, name: str, doc_id: str, default: str = "") -> Person:
    """Someone printed with a label (a post, or a description kept as printed): the record its path
    and post make, else the name with the label as its title (``default`` for no label)."""
    return (label and labelled_person(label, name, doc_id)) or Person(name=name, title=label or default, doc_id=doc_id)


def tells_whole_text(line: str) -> bool:
    """An oral history's 口述 line, a speech's own line, or a section's author line: its person tells
    all that follows."""
    return bool(ORAL_RE.match(line) or SPEECH_LINE_RE.match(line) or SPEECH_LINE_AFTER_RE.match(line)
                or AUTHOR_LINE_RE.match(line))


def told_after_heading(teller: Person | None, heading: str, note, oral: Person | None, authored: bool,
                       speech: bool) -> tuple[Person | None, bool]:
    """Who tells the text after a heading (or an editor's note), and whether as a section's author:
    ``teller`` is whom the heading names, ``oral`` who told the text so far."""
    oral, authored = (None, False) if authored else (oral, authored)  # an author's section ends here
    oral = None if note and not note.group().strip().startswith("编者按") else oral  # (编者按 opens, 编后 closes)
    # a speech whose subtitle names no one (——在…会上的发言): its speaker's own line tells it all
    oral = oral or (teller if speech and not note else None)
    # (翠竹社区党委书记 何晓岚：以“三事分流”…: a speaker's heading, the section is their talk)
    # (工作小结⏎东岭街道党工委书记　谢振东: a section title over its author's post and name, their summary)
    lines = heading.strip().splitlines()
    signed = len(lines) >= 2 and teller is not None and AUTHOR_UNDER_TITLE_RE.match(lines[-1].strip()) \
        and lines[-1].strip().endswith(teller.name)
    return (teller, True) if teller and (SPEAKER_HEADING_RE.match(heading) or signed) else (oral, authored)


AUTHOR_UNDER_TITLE_RE = re.compile(r"[\u4e00-\u9fff（）()、]{2,30}[ \u3000]+[\u4e00-\u9fff]{2,4}$")


# A heading that is a name with its post in brackets (唐美华（翠屏社区12幢楼道长）): a collection of
# speeches (发言摘编) or a panel heads each speaker's first-person section so. Under a letter the
# same line signs it; the parser reads it as a signature when first-person text above waits for one.
# (a bracket of years, 1935—2020, is a memorial's heading, not a post)
NAME_LABEL_HEADING_RE = re.compile(r"(?P<name>[\u4e00-\u9fff]{2,3})[（(](?!\d{4})(?P<label>[^（）()]*[\u4e00-\u9fff][^（）()]*)[）)]$")


def authored_block(text: str, spans, author: Person | None) -> list[Passage]:
    """A field block opened by its author's line (建议人：宋婉清（…居民）⏎建议摘要：…⏎): the line a byline,
    the rest of the block the author's; [] for an author line alone, whose section runs on."""
    (a, b), *rest = spans
    line = re.match(r"[^\n]*\n", text[a:b])
    if author is None or rest or not line or not AUTHOR_LINE_RE.match(line.group().rstrip()) or not text[a + line.end():b].strip():
        return []
    return [Passage("byline", ((a, a + line.end() - 1),)), Passage("speaker", ((a + line.end(), b),), author)]


# A quote card (居民卡片①⏎鲁桂芬｜7栋2单元居民⏎“……”): a line of name and label set apart by a bar,
# over a quotation, maybe under a card's own label line. Serves long-image posts and bulletins.
QUOTE_CARD_RE = re.compile(r"(?:[^\n“”]{1,12}\n)?(?P<name>[\u4e00-\u9fff]{2,4})[ \u3000]*[|｜丨][ \u3000]*"
                           r"(?P<label>[^\n“”|｜丨]{2,30})\n(?=“)")


def quote_card(text: str, spans, doc_id: str) -> list[Passage]:
    """A quote card's passages: its heading lines a byline, the quotation under them the named
    person's; [] for anything else."""
    (a, b), *rest = spans
    m = QUOTE_CARD_RE.match(text, a)
    if rest or not m or m.end() >= b or not is_name(m["name"]) or not whole_quote(text[m.end():b].strip()):
        return []
    person = posted_person(m["label"].strip(), m["name"], doc_id)
    quote = text[m.end():b].rstrip()
    return [Passage("byline", ((a, m.end() - 1),)), Passage("speaker", ((m.end() + 1, m.end() + len(quote) - 1),), person)]


def section_speaker(line: str, doc_id: str) -> Person | None:
    """The teller a section header, an oral history's 口述 line or a speech's line names, else None."""
    if (m := ENTRY_HEAD_RE.match(line)) and is_name(m["name"]):  # 一、王秀琴，女，67岁，…团长
        return posted_person(m["label"], m["name"], doc_id)
    if m := ORAL_RE.match(line):
        return labelled_person(m["label"], m["name"], doc_id)
    if m := AUTHOR_LINE_RE.match(line):  # 提案人：区政协委员、恒信律师事务所主任　王立峰
        if (named := NAME_LABEL_HEADING_RE.match(m["intro"].strip())) and is_name(named["name"]):  # 建议人：宋婉清（…）
            return posted_person(named["label"], named["name"], doc_id)
        parts = [p for p in HEADER_SEPARATOR_RE.split(m["intro"].split("、")[-1].strip()) if p]
        return labelled_person(parts[0], parts[1], doc_id) if len(parts) == 2 else None
    if (m := SPEECH_LINE_RE.match(line) or SPEECH_LINE_AFTER_RE.match(line)) and m["intro"]:
        said_by = re.sub(r"\s+", "", m["intro"])
        if (intro := FULL_MENTION_RE.match(said_by)) and intro.end("name") == len(said_by):
            return person_from(intro, doc_id, quoted=True)
    if (m := SPEAKER_HEADING_RE.match(line)) and is_name(m["name"]):  # 翠竹社区党委书记 何晓岚：以“三事分流”…
        return labelled_person(m["label"], m["name"], doc_id) or _titled(m["label"], m["name"], doc_id)
    if (m := NAME_LABEL_HEADING_RE.match(line.strip())) and is_name(m["name"]):  # 唐美华（翠屏社区12幢楼道长）
        return posted_person(m["label"], m["name"], doc_id)
    core = line.strip().strip(HEADER_MARKS).strip()
    parts = [p for p in HEADER_SEPARATOR_RE.split(core) if p]
    if len(parts) != 2:
        return None
    # 李春华 | 滨河社区党委书记, or 滨河社区党委书记 李春华
    return labelled_person(parts[1], parts[0], doc_id) or labelled_person(parts[0], parts[1], doc_id)


# A profile's section heading names whom the section is about (二、“铁娘子”刘春燕：“调解没有窍门…”,
# 三、“数据通”马晓宇：让数据多跑路): an ordinal, maybe an epithet in quotes, the name, then its
# colon or dash. Serves group profiles (人物群像, 最美网格员) where each section tells one person.
PROFILE_HEAD_RE = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}[、.．]|[0-9]{1,2}[、.．]|[【\[])\s*"
                             r"(?:“(?P<epithet>[^”]{1,8})”)?(?P<name>[\u4e00-\u9fff]{2,3})\s*(?:[：:|｜]|——)")


def profile_subject(heading: str, text: str, doc_id: str) -> Person | None:
    """The person a profile's section heading names, when the article names them again."""
    m = PROFILE_HEAD_RE.match(heading)
    if m is None or not is_name(m["name"]) or text.count(m["name"]) < 2:
        return None
    return Person(name=m["name"], title="", doc_id=doc_id)


def tells_in_first_person(text: str) -> bool:
    """Whether the report's own words here (outside quotes) are told by 我/我们."""
    outside = "".join(text[b + 1:a] for (_, b), (a, _) in zip([(0, -1)] + quote_segments(text),
                                                               quote_segments(text) + [(len(text), 0)]))
    return bool(FIRST_PERSON_RE.search(outside))


# A name with its post in brackets after it (参会人员：郑玉兰（村党总支副书记）、冯志强（村委会副主任）;
# 主持人：吴建华（村党总支书记、村委会主任)): minutes and rosters introduce people this way.
# (or after a bracketed field label: 【主持】杨德明（柳湾村党支部书记、村委会主任）)
NAME_THEN_POST_RE = re.compile(r"(?:^|(?<=[：:，,、；;。\s】]))(?P<name>[\u4e00-\u9fff]{2,3})[（(](?P<label>[^（）()，。]{2,30})[）)]")


# A guest or participant list, one person to a line, name then label after a space (嘉宾：/
# 贺春兰　东湖区柳岸街道青石社区党委书记、居委会主任): each line introduces its person. Serves
# programme show notes, meeting attendance lists and panels printed before a transcript.
# (a broadcast's name caption, 【字幕】徐长林 云溪县杨柳镇桃源村党支部书记, is such a line after its cue)
NAME_SPACED_LINE_RE = re.compile(r"^[ \t\u3000]*(?:[【\[［]字幕[】\]］][ \t\u3000]*)?(?P<name>[\u4e00-\u9fff]{2,4})[ \t\u3000]+"
                                 r"(?P<label>[^\s（(：:][^\n：:]{1,60}?)[ \t\u3000]*$", re.M)


# A numbered list entry that opens with who it is about (一、王秀琴，女，67岁，望湖街道柳岸社区“银发帮帮团”
# 团长): a name, sex, age, then the post. Serves lists of honourees, candidates and model workers.
ENTRY_HEAD_RE = re.compile(r"^[ \t\u3000]*(?:[一二三四五六七八九十]{1,3}[、.．]|\d{1,2}[、.．]|[（(][一二三四五六七八九十\d]{1,3}[）)])\s*"
                           r"(?P<name>[\u4e00-\u9fff]{2,4})[，,]\s*[男女][，,]\s*(?:\d{1,3}岁[，,]\s*)?(?P<label>[^\n，,。]{2,40})$", re.M)


def parenthesized(text: str, spans, doc_id: str) -> list[Person]:
    """The people a text unit introduces as 名字（职务）, as a list's 名字　职务 line, or as a
    numbered entry's head (一、王秀琴，女，67岁，…团长), cited at that introduction."""
    out = []
    for a, b in spans:
        out += [Person(name=m["name"], title=(m["label"] or "受访者").split("，")[0], doc_id=doc_id,
                       mention=(m.start(), m.end())) for m in CODED_RE.finditer(text, a, b)]
        for m in ENTRY_HEAD_RE.finditer(text, a, b):
            if is_name(m["name"]):
                person = posted_person(m["label"], m["name"], doc_id)
                out.append(person.model_copy(update={"mention": (m.start("name"), m.end("name"))}))
        for m in [*NAME_THEN_POST_RE.finditer(text, a, b), *NAME_SPACED_LINE_RE.finditer(text, a, b)]:
            # (村党总支书记、村委会主任: the first post places them; a list line runs on after a comma)
            label = re.split(r"[、，,；;]", m["label"])[0]
            if is_name(m["name"]) and (person := labelled_person(label, m["name"], doc_id) or _titled(label, m["name"], doc_id)):
                out.append(person.model_copy(update={"mention": (m.start(), m.end())}))
        out += [person.model_copy(update={"mention": (m.start(), m.end())}) for m in CAST_LINE_RE.finditer(text, a, b)
                if (person := _cast(m, doc_id))]
    return out


# A script's cast list, one role to a line (赵满仓：男，六十二岁，枫林村村民，脾气倔……扮演者：赵德胜):
# each line introduces the role, so its lines in the script (赵满仓：…) are its turns. Serves sketch
# and play scripts, and any cast or character list.
CAST_LINE_RE = re.compile(r"^[ \t\u3000]*(?P<name>[\u4e00-\u9fff]{2,4})[：:]\s*(?:男|女)[，,、](?P<about>[^\n]*)$", re.M)


def _cast(m: re.Match, doc_id: str) -> Person | None:
    if not is_name(m["name"]):
        return None
    parts = [p.strip() for p in re.split(r"[，,、；;]|…+|\.{2,}|扮演者", m["about"])]
    post = next((p for p in parts if any(p.endswith(t) for t in TITLE_WORDS)), "")
    return posted_person(post, m["name"], doc_id, "角色")


# A post and who holds it, one post to a line (村民委员会委员：许志强（得票1655票）、陈小娟（女，…）;
# 主    任：黄福全): election results and rosters printed as a notice.
POST_LINE_RE = re.compile(r"[ \t\u3000]*(?P<post>[\u4e00-\u9fff][\u4e00-\u9fff \u3000]{1,16}?)[ \u3000]*[：:][ \u3000]*(?P<names>[^\n]+)$")
BODY_RE = re.compile(r"[\u4e00-\u9fff]{2,12}?(?:委员会|理事会|领导小组|小组|支部|班子)")
# (委员：刘桂芝　杨宝林: names set apart by a space, as sign-off lines print them, are listed too)
HOLDER_RE = re.compile(r"(?:^|、|(?<=[ \u3000]))\s*(?P<name>[\u4e00-\u9fff]{2,4})(?:[（(][^（）()]*[）)])?(?=、|[ \u3000]|$|\s*$)")


# A sentence that ends by listing a post's holders (历任村党支部书记依次是：孟长林、王成礼、韦德福。):
# each is a holder of it, as in a notice's post line. Serves histories, rosters told in prose.
LISTED_HOLDERS_RE = re.compile(r"(?:^|(?<=[，,。的]))(?P<post>[^的，,。\s]{2,10}?)(?:依次|分别|先后)?(?:是|为|有)[：:]"
                               r"(?P<names>[\u4e00-\u9fff、]{5,60}?)[。；;]?$")


# A line, or one of the post：name pairs a sign-off line sets apart by wide spaces (村党支部书记：周德厚
# 　　　　村委会主任：杨秀兰): each pair lists its own holder.
SIGNED_PAIR_RE = re.compile(r"(?:^|(?<=\n)|(?<=[ \u3000]{2}))[^\n]+?(?=[ \u3000]{2,}[^\s：:]{2,14}[：:]|\n|$)")


def posted(text: str, spans, doc_id: str) -> list[Person]:
    """The people a notice lists under their post, cited at the line that lists them. A bare post
    (主任, 委员) belongs to the body the paragraph last announced (同日选举产生村务监督委员会：)."""
    out = []
    for a, b in spans:
        body = ""
        for line in SIGNED_PAIR_RE.finditer(text[a:b]):
            m = POST_LINE_RE.match(line.group()) or LISTED_HOLDERS_RE.search(line.group())
            if m is None or not (post := re.sub(r"\s", "", m["post"])).endswith(TITLE_WORDS + ("委员",)):
                if line.group().rstrip().endswith(("：", ":")) and (bodies := BODY_RE.findall(
                        re.split(r"产生|成立|选出|组建|设立|公布|如下|确认", line.group())[-1])):
                    body = bodies[-1]
                continue
            holders = [h for h in HOLDER_RE.finditer(m["names"]) if is_name(h["name"])]
            if holders and HOLDER_RE.sub("", m["names"]).strip(" 、\u3000") == "":  # nothing but holders
                title = body + post if post in TITLE_WORDS and body else post
                at = (a + line.start(), a + line.end())
                out += [Person(name=h["name"], title=title, doc_id=doc_id, mention=at) for h in holders]
        out += _sharing_a_post(text, a, b, doc_id)
    return out


# Names listed after one post share it (党员蔡明远、方静、谭家豪作为首批倡议人): the post is printed
# once, before the first. Serves lists of signatories, attendees and volunteers in running text.
SHARED_POST_RE = re.compile(rf"(?<![\u4e00-\u9fff])(?P<post>{'|'.join(sorted(TITLE_WORDS, key=len, reverse=True))})"
                            r"(?P<names>[\u4e00-\u9fff]{2,3}(?:、[\u4e00-\u9fff]{2,3}){1,8})(?=[，,。；;等作\s]|$)")


def _sharing_a_post(text: str, a: int, b: int, doc_id: str) -> list[Person]:
    out = []
    for m in SHARED_POST_RE.finditer(text, a, b):
        names = m["names"].split("、")
        if all(is_name(n) for n in names):
            out += [Person(name=n, title=m["post"], doc_id=doc_id, mention=(m.start(), m.end())) for n in names[1:]]
    return out


def _titled(label: str, name: str, doc_id: str) -> Person | None:
    """名字（驻村第一书记，县农业农村局派驻）: a post the lexicon knows, with no place to read."""
    title = next((t for t in TITLE_WORDS if label.endswith(t)), None)
    return Person(name=name, title=label, doc_id=doc_id) if title else None


# A letter's or a reply's signature, on its own line after the first-person text it signs:
# 读者　刘建军（临江区翠湖花园小区业主）, 临江区住建局物业科科长　黄立新, 一位南湖社区的老住户.
SIGNED_BY_RE = re.compile(r"^(?:(?:读者|来信人|市民|网友|居民)\s*)?(?P<name>[\u4e00-\u9fff]{2,3})\s*(?:[（(](?P<label>[^）)]{2,30})[）)])?$")
ANONYMOUS_RE = re.compile(r"^(?:一位|一名)[\u4e00-\u9fff]{2,16}(?:住户|居民|业主|读者|老人|村民|党员|家长|市民)$")


# A block of signatures with the one who wrote it named (居民（签名）：⏎周桂兰…⏎执笔：刘建平): the
# letter is in the writer's words. Serves joint letters, petitions and proposals.
WRITER_RE = re.compile(r"^\s*(?:执笔人?|起草人?|代笔)[：:]\s*(?P<name>[\u4e00-\u9fff]{2,3})\s*$", re.MULTILINE)


# A personal letter's sign-off, on lines around the name (想你的爸爸⏎林远航⏎2024年5月12日夜 于桂花村):
# the closing line of how the writer stands to the reader, and the date with where it was written.
CLOSING_LINE_RE = re.compile(r"^(?:[\u4e00-\u9fff]{1,8}的[\u4e00-\u9fff]{1,4}|此致|敬礼！?|你的[\u4e00-\u9fff]{1,4})$")
DATED_LINE_RE = re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日[^\n]{0,16}$")


def _signing_line(paragraph: str) -> str:
    """The one line of a sign-off block that can name the writer (the block itself if it is one line)."""
    lines = [x.strip() for x in paragraph.strip().splitlines() if x.strip()]
    rest = [x for x in lines if not CLOSING_LINE_RE.match(x) and not DATED_LINE_RE.match(x)]
    return rest[0] if len(lines) > 1 and len(rest) == 1 and len(lines) <= 3 else paragraph.strip()


def _full_name(given: str, text: str) -> str | None:
    """The full name printed elsewhere (林若溪) for a letter signed by the given name alone (若溪)."""
    return next((m.group() for m in re.finditer(rf"[\u4e00-\u9fff]{re.escape(given)}", text) if is_name(m.group())), None)


# A signature in brackets, name first, parted from the label by a space (（钱晓雯　城关镇枫林社区专职网格员）).
BRACKETED_SIGNATURE_RE = re.compile(r"[（(](?=[^（）()\n]{3,40}[）)])\s*(?P<name>[^\s（）()]+)[ \u3000]+(?P<label>[^（）()\n]*?\S)\s*[）)]")


def signer(paragraph: str, doc_id: str, text: str = "") -> Person | None:
    """Who signs the text above a one-line signature (section headers, with their marks, are none);
    ``text``, the whole article, gives the full name of a writer who signs by the given name."""
    if (m := WRITER_RE.search(paragraph)) and is_name(m["name"]):
        return Person(name=m["name"], title="执笔人", doc_id=doc_id)
    line = _signing_line(paragraph)
    if line != paragraph.strip() and len(line) == 2 and not is_name(line) and (full := _full_name(line, text)):
        return Person(name=full, title="写信人", doc_id=doc_id)
    # (a signature may end with its date: 村党支部书记  许长根⏎2026年3月20日)
    line = re.sub(r"\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$", "", line)
    line = re.sub(r"^[—－-]{1,2}\s*", "", line)  # (a signature set off by a dash: ——读者　王女士)
    # (or in brackets, name first, as a column signs its contributors: （钱晓雯　城关镇枫林社区专职网格员）)
    if (m := BRACKETED_SIGNATURE_RE.fullmatch(line)) and is_name(m["name"]):
        return posted_person(m["label"], m["name"], doc_id)
    if "\n" in line or len(line) > 40 or any(c in line for c in HEADER_MARKS + "|｜丨"):
        return None
    if (m := SIGNED_BY_RE.match(line)) and is_name(m["name"]):
        return posted_person(m["label"] or "", m["name"], doc_id, "读者")
    if ANONYMOUS_RE.match(line):  # an unsigned letter is cited by how its writer describes themself
        return Person(name=line, title="读者", doc_id=doc_id)
    parts = [p for p in HEADER_SEPARATOR_RE.split(line) if p]
    return labelled_person(parts[0], parts[1], doc_id) if len(parts) == 2 and re.search(r"\s", line) else None


# A paragraph that is one quotation, its speaker named by the next (“树林书记开会从不超过一个小时…”⏎
# 说这番话的，是驻村第一书记何静。): the quotation is theirs. Serves features and memorials.
SAID_BY_NEXT_RE = re.compile(r"[”\s]*说(?:这|这番|这句|这些|上面这|以上)?(?:番|句|段|些)?话的[，,]?(?:是|正是|就是)")


def named_after(text: str, passages: list[Passage]) -> list[Passage]:
    """``passages`` with each such quotation given to the person the passage naming them is about."""
    out = list(passages)
    for i, p in enumerate(passages):
        start, end = p.spans[0][0], p.spans[-1][1]
        inside = whole_quote(text[start:end]) if p.kind == "event" and len(p.spans) == 1 else None
        if inside and (m := SAID_BY_NEXT_RE.match(text, end)):
            naming = [x for x in passages if x.about is not None and x.spans[0][0] <= m.end() < x.spans[-1][1]]
            if naming:
                out[i] = Passage("speaker", ((start + inside[0], start + inside[1]),), naming[0].about)
    return out
