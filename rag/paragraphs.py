"""Paragraphs and their shapes: heading, byline, interviewer's question, photo caption, or text;
and the text paragraphs that belong together (a quote left open goes on in the next paragraph that
continues it, across blank lines and photo captions). Only layout: no one's words are read here.
"""
from __future__ import annotations

import re

from rag.introductions import introductions
from rag.lexicon import SPEECH_VERBS, is_name
from rag.quotes import whole_quote
from rag.types import ChunkKind

# A byline line: a short line that opens with who wrote or photographed it (本报记者 孙雪, 摄影 杨帆,
# （责任编辑：王蕾）); a sentence that only mentions 记者 is not one.
# (or a short line wholly in brackets that names one: （青岚县融媒体中心 2024-11-22 09:30 编辑：周敏）)
# (and the other credits: 撰稿：, 执笔：, 制图：, 整理：, 审核：, 校对：)
CREDITS = r"记者|通讯员|编辑|摄影|来源|作者|撰稿|执笔|制图|整理|审核|校对"
BYLINE_LINE_RE = re.compile(rf"^\s*[（(]?\s*[^\s，,。“”]{{0,12}}?(?:{CREDITS})\s*[:：\s]\s*\S"
                            rf"|^\s*[（(][^（）()“”。]*(?:{CREDITS})\s*[:：][^（）()“”。]*[）)]\s*$")
BYLINE_MAX_CHARS = 40
LEAD_RE = re.compile(r"^\s*\S{0,6}[（(][^）)]*[）)]\s*\S.*[。！？]\s*$")
# 记者：…？ / 问：… / 主持人：… — the interviewer speaking, in a Q&A interview or a roundtable.
# (主持人 asks only with a question mark: 主持人：吴建华（…） in minutes is a field of the record)
# (a numbered explainer's 问1：… / Q3：… asks too)
INTERVIEWER_RE = re.compile(r"^\s*(?:本报)?(?:记者|问|Q)\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})?\s*[：:]|^\s*主持人\s*[：:][^\n]*[？?]")
HEADLINE_MAX_CHARS = 60
# A numbered or bracketed section heading (【案例一】云溪区青石街道翠湖社区：“三问三访”让老楼加梯不再“卡壳”,
# 一、…, （二）…, ■ …) may run past a plain heading's length; it is still no sentence.
# (a broadcast script's cue, 【同期声】/【解说】/【画面】, opens someone's line, not a section)
SCRIPT_CUES = "同期|解说|画面|字幕|录音|现场|旁白|音乐|配音|主持|串词|导语|采访"
# A field of a record (minutes, a notice): one of the names records give their fields.
FIELD_LINE_RE = re.compile(r"\s*(?:会议)?(?:时间|地点|主持人?|参会人员|参加人员|出席人员|列席人员|缺席人员|请假人员|记录人|记录|"
                           r"发布单位|发布日期|发布时间|议题|地址|联系人|联系电话|电话|日期|应到|实到"
                           # (直播时间, 活动地点, 主办单位, 播出平台: any such field with its kind before it)
                           r"|[\u4e00-\u9fff]{1,4}?(?:时间|地点|日期|单位|平台)"
                           # (（一）收入合计：132.30, 1.土地发包收入：36.80, 柳溪镇纪委：0576-886…: a table's
                           # or a notice's named value, numbered or not)
                           r"|(?:[（(][一二三四五六七八九十]+[）)]|\d+[.、．])?[^：:\n。，；]{2,24}?(?=\s*[：:]\s*\d))"
                           r"\s*[：:]\s*\S")
# A form's field label spaced out to align its colons (走 访 人：…, 编　　号：…): a field that opens a
# paragraph is whole, and the next record's title does not run on from it. (Spaced labels inside a
# block, 委    员：…, still join the lines before them.) Serves filled-in forms and record sheets.
SPACED_LABEL_RE = re.compile(r"\s*[\u4e00-\u9fff](?:[ \u3000]+[\u4e00-\u9fff]){1,3}[ \u3000]*[：:]\s*\S")
# A broadcast transcript's speaker label, the role and the name in one bracket before the words
# (【记者 何昊】林雪你好…, 【主持人 林雪】观众朋友们…): it opens a turn, as a cue opens a line, and is
# no byline however short the line. Serves TV and radio transcripts.
LABEL_LINE_RE = re.compile(r"\s*[【\[［][\u4e00-\u9fff]{1,6}[ \u3000]+[\u4e00-\u9fff]{2,4}[】\]］]")
CUE_LINE_RE = re.compile(rf"\s*【(?:{SCRIPT_CUES})|{LABEL_LINE_RE.pattern}")
SECTION_MARK_RE = re.compile(rf"^\s*(?:【(?!{SCRIPT_CUES})[^】]{{1,12}}】|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|[■□◆▲●])")
# A list's item or heading mark at a line's start (● …, ① …, ▶ 为什么出台, 1. …): the line is whole, and
# an item line never finishes the sentence before it. Serves explainers and notices set out as lists.
# (● and ① open an item of content; ■ and ▶ may open a heading as well)
CONTENT_MARKS = "●○•·▪◎✔✅☑"
CONTENT_ITEM_RE = re.compile(rf"\s*(?:[{CONTENT_MARKS}]|[①-⑳])")
ITEM_LINE_RE = re.compile(rf"\s*(?:[{CONTENT_MARKS}■□◆◇▶►▷➤※★☆]|[①-⑳]|\d{{1,2}}[.、．)）](?!\d))")
PARAGRAPH_RE = re.compile(r"[^\n]*\S[^\n]*(?:\n[^\n]*\S[^\n]*)*")
CLOSERS = "”’」』）)》"
SENTENCE_END = "。！？!?…；;"
CAPTION_MAX_CHARS = 40
HEADING_MAX_CHARS = 30
# A speaker's heading over the words they gave (城北街道翠竹社区党委书记 何晓岚：以“三事分流”破解…):
# post, name, colon, the talk's title, on one unfinished line. It heads the section however long.
# Serves excerpted speeches (发言摘登) and panels printed speaker by speaker.
SPEAKER_HEADING_RE = re.compile(r"\s*(?P<label>[\u4e00-\u9fff、（）()]{2,30}?)[ \u3000]+(?P<name>[\u4e00-\u9fff]{2,4})"
                                r"[：:](?P<topic>[^\n。！？!?]{2,40})$")


# A stage direction after a sentence's end (…给我们讲。（掌声）): the sentence has ended. (A name
# in the brackets, …施工。（高建华）, is who answers for a list's item: the list goes on.)
TRAILING_DIRECTION_RE = re.compile(r"[。！？!?][）)”’」]*\s*[（(](?P<note>[^（）()\n]{1,20})[）)]\s*$")


def ends_sentence(text: str) -> bool:
    return text.rstrip().rstrip(CLOSERS)[-1:] in SENTENCE_END or bool(
        (m := TRAILING_DIRECTION_RE.search(text)) and not is_name(m["note"]))


def leads_in(text: str) -> bool:
    """The text ends leading into what follows (他说：, 他介绍，)."""
    return text.rstrip()[-1:] in "：:，,"


def quote_left_open(text: str) -> bool:
    """The paragraph's last double quotation mark opens a quote (it goes on in the next one)."""
    return text.rfind("“") > text.rfind("”")


SAID_AFTER_QUOTE_RE = re.compile(rf"”[^“”。]{{1,16}}?(?:{'|'.join(SPEECH_VERBS)})")


def classify(text: str, first: bool = False) -> ChunkKind | str:
    """heading | byline | question | caption | text (text is parsed further for speech and rosters)."""
    lines = [line.strip() for line in text.splitlines()]
    if INTERVIEWER_RE.match(text):  # an interview's question is no evidence for an answer
        return "question"
    # (本报讯（记者 胡晓丹）11月18日，积分超市开门。 is a lead that opens with its byline: a sentence)
    if any(len(line) <= BYLINE_MAX_CHARS and BYLINE_LINE_RE.match(line) and not LEAD_RE.match(line)
           and not LABEL_LINE_RE.match(line) for line in lines):
        return "byline"
    # (a headline may ask: 老旧小区物业“弃管”之后，谁来接棒？)
    if (first and len(lines) == 1 and len(text) <= HEADLINE_MAX_CHARS
            and (not ends_sentence(text) or text.rstrip().endswith(("？", "?", "！", "!")))
            and not quote_left_open(text)):
        return "heading"  # the headline, even when it names its interviewee
    short_lines = all(len(line) <= HEADING_MAX_CHARS for line in lines) or (
        len(lines) == 1 and len(text) <= HEADLINE_MAX_CHARS and bool(SECTION_MARK_RE.match(text) or SPEAKER_HEADING_RE.match(text)))
    introduces = text.rstrip().endswith(("：", ":", "，", ","))  # 老秦打开了话匣子： leads into a quote
    # (获得以下荣誉：⏎——2018年 省级美丽乡村⏎…: a list its first line announces is content, no heading)
    introduces = introduces or (len(lines) > 1 and lines[0].endswith(("：", ":")) and len(lines[0]) > 8)
    # (a record's field, 会议地点：石桥村党群服务中心, is a fact, never a heading)
    # (● 80周岁以上高龄老人21.3万人, ① 补齐设施短板: a list's item is content, though short and unstopped)
    if text.startswith("#") or (short_lines and not ends_sentence(text) and not quote_left_open(text)
                                and not introduces and not FIELD_LINE_RE.match(text)
                                and not any(CONTENT_ITEM_RE.match(line) for line in lines)):
        return "heading"
    one_line_note = len(lines) == 1 and len(text) <= CAPTION_MAX_CHARS and ends_sentence(text)
    # A photo caption is one short clause (no comma), not somebody's words, names no one in full,
    # and is never told as 我 (我们把积分分为五大类。 is a speech's line).
    # (“以前下一趟楼要歇三回。”6栋居民宋桂芝说。 is a quote and its speaker, however short)
    if (one_line_note and not re.search("[：，,]", text) and whole_quote(text) is None and not first
            and not introductions(text) and "我" not in text and not SAID_AFTER_QUOTE_RE.search(text)):
        return "caption"
    return "text"


def _headline_apart(text: str, paragraphs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A headline printed right above its source line, with no blank line between
    (标题\n来源：滨江民政 2024年5月16日): two paragraphs, the headline and the byline."""
    if not paragraphs:
        return paragraphs
    a, b = paragraphs[0]
    cut = text.find("\n", a, b)
    if cut < 0 or classify(text[a:cut], first=True) != "heading":
        return paragraphs
    rest = next(i for i in range(cut, b) if not text[i].isspace())
    # (a headline over its subtitle, 院落里的“书记夜话”⏎——…侧记, stays one heading when both are short)
    if classify(text[a:b], first=True) == "heading":
        return paragraphs
    return [(a, cut), (rest, b)] + paragraphs[1:]


def _lines_apart(text: str, paragraphs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Pages that put one paragraph on each line, with no blank line between (a news-flash page:
    【石桥镇】…⏎本报讯…。⏎据了解…。): a line that ends a sentence, or a section heading line,
    ends its paragraph. Lines wrapped mid-sentence stay together."""
    out = []
    for a, b in paragraphs:
        start = a
        for line in re.finditer(r"[^\n]+", text[a:b]):
            end = a + line.end()
            content = line.group().strip()
            # (a script's next cue, 【解说】/【同期声】, opens a paragraph, unless the line before leads into it: ，/：;
            # a record's fields, 会议时间：…⏎会议地点：…, are each their own)
            if end < b and content and (ends_sentence(content) or (CUE_LINE_RE.match(text, end) and not leads_in(content))
                                        or (FIELD_LINE_RE.match(content) and FIELD_LINE_RE.match(text, end + 1)) or (
                    SECTION_MARK_RE.match(content) and len(content) <= HEADLINE_MAX_CHARS)):
                out.append((start, end))
                start = next((i for i in range(end, b) if not text[i].isspace()), b)
        out.append((start, b))
    return out


def split_units(text: str) -> list[tuple[str, list[tuple[int, int]], frozenset[int]]]:
    """(kind, spans, restarts) per unit: a paragraph, or text paragraphs joined because a quote
    or a sentence runs on. ``restarts`` are unit-text positions of a “ that reopens the quote."""
    paragraphs = _lines_apart(text, _headline_apart(text, [(m.start(), m.end()) for m in PARAGRAPH_RE.finditer(text)]))
    kinds = [classify(text[a:b], first=i == 0) for i, (a, b) in enumerate(paragraphs)]
    units, used = [], set()
    for i, (a, b) in enumerate(paragraphs):
        if i in used:
            continue
        spans, restarts, length = [(a, b)], set(), b - a
        j = i + 1
        while kinds[i] == "text" and j < len(paragraphs):
            joined = "".join(text[x:y] for x, y in spans)
            # (a record's field, 热线：12345, is whole without a full stop: nothing runs on from it)
            open_quote = quote_left_open(joined)
            broken = not ends_sentence(joined) and not FIELD_LINE_RE.match(joined) and not SPACED_LABEL_RE.match(joined) \
                and not ITEM_LINE_RE.match(joined.rstrip().rsplit("\n", 1)[-1]) \
                and not ITEM_LINE_RE.match(text[paragraphs[j][0]:paragraphs[j][1]])
            if not (open_quote or broken):
                break
            # a photo caption or a page heading inside the quote stays its own passage; a heading
            # ends a sentence left unfinished (a WeChat post's 原创　账号　日期 line before 【写在前面】)
            while j < len(paragraphs) and (kinds[j] == "caption" or kinds[j] == "heading" and open_quote) and not (
                    open_quote and _reopens(text[paragraphs[j][0]:paragraphs[j][1]])):
                j += 1
            if j >= len(paragraphs):
                break
            nxt = text[paragraphs[j][0]:paragraphs[j][1]]
            reopens = open_quote and _reopens(nxt)
            # By convention each paragraph of a long quote opens with “ and only the last closes;
            # a paragraph that closes the open quote, or finishes a broken sentence, goes on too.
            if not (reopens or (open_quote and "”" in nxt) or broken) or kinds[j] not in ("text", "caption") \
                    or (not open_quote and CUE_LINE_RE.match(nxt) and not leads_in(joined)) \
                    or (not open_quote and FIELD_LINE_RE.match(nxt)):  # a cue or a record's field starts a line
                break
            if reopens:
                restarts.add(length)
            spans.append(paragraphs[j])
            length += paragraphs[j][1] - paragraphs[j][0]
            used.add(j)
            j += 1
        units.append((kinds[i], spans, frozenset(restarts)))
    return units


def _reopens(paragraph: str) -> bool:
    """The paragraph goes on with an open quote: it opens with “ and that quote runs on (to its
    end or past it), unlike a caption that only quotes a name (“书记会客厅”书记来支招。)."""
    if not paragraph.startswith("“"):
        return False
    first_close = paragraph.find("”")
    return first_close == -1 or quote_left_open(paragraph) or not paragraph[first_close + 1:].strip("。 \n")


# A paper's masthead over the headline (青溪日报 | 2024年3月22日 星期五 | 第02版): dated, with a
# weekday or a page; the headline is the line after it. Serves newspaper layouts of any paper.
MASTHEAD_RE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日[^\n]*?(?:星期[一二三四五六日天]|第\s*[0-9一二三四五六七八九十]{1,3}\s*版)")


# A subtitle under the headline, set off by a dash (——枫林街道和园社区“一楼一议”工作法见闻).
SUBTITLE_RE = re.compile(r"^\s*[—－]{1,2}(?P<line>[^—－\n][^\n]*)", re.M)


def subtitle_lines(heading: str) -> str:
    return " ".join(m["line"] for m in SUBTITLE_RE.finditer(heading))


def headline_line(heading: str) -> str:
    """The line of a heading that is the article's headline: its first, past a masthead."""
    return next((line.strip() for line in heading.strip().splitlines()
                 if line.strip() and not MASTHEAD_RE.search(line)), "")
