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

from rag.lexicon import KIN_FORMS, SPEECH_VERBS, TITLE_WORDS
from rag.introductions import introductions
from rag.mention_grammar import BOUNDARY, INTRO_HEAD_RE, PRONOUN_RE, VERB, any_of
from rag.quotes import clause_end, colon_owner, cut, described_after, inside, quote_segments, reported
from rag.records import CODED_NAME_RE, Person

TERM_CHARS = 8
HAN_RE = re.compile(r"[\u4e00-\u9fff]")
SPEECH_AFTER_RE = re.compile(rf"{VERB}(?P<punct>\s*[，,：:]?\s*)")
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


BRACKET_RE = re.compile(r"[（(][^（）()\n]{2,30}[）)]")
BRACKETED_POST_RE = re.compile(rf"[（(][^（）()，。“”]{{2,30}}[）)]|(?:{any_of(TITLE_WORDS)}|代表)(?=[^，。“”]{{0,6}}?(?:{any_of(SPEECH_VERBS)}))")


def _speech(text: str, start: int, end: int, person: Person | None) -> Mention:
    """A mention, with the speech verb (or colon) that follows it, if any."""
    # (…回复 X：: not X's; a 回复 label on the line above, ✅社区回复⏎网格员林晓：…, is over their reply)
    silent = CAST_ABOUT_RE.match(text, end) or re.search(r"回复[ \t\u3000]*\Z", text[max(0, start - 3):start])
    # (受访者A3（社区党委书记）：“…”, 受访者B7（居民，女，68岁）说: a coded interviewee's role, commas and
    # all, between the code and its colon or verb)
    role = person is not None and CODED_NAME_RE.fullmatch(person.name) and BRACKET_RE.match(text, end)
    colon = None if silent else COLON_RE.match(text, end) or CAPTION_CLOSE_RE.match(text, end) or (
        role and COLON_RE.match(text, role.end()))
    if colon:
        direct = text.startswith("“", colon.end())
        return Mention(start, end, person, colon.end(), direct, reports=not direct, colon=not direct)
    # (张伟（区民政局局长）说，…, 许志刚代表当场表示: the post, bracketed or not, between name and verb)
    verb = SPEECH_AFTER_RE.match(text, end) or ((bracket := role or BRACKETED_POST_RE.match(text, end)) and not COLON_RE.match(
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
    # (葛副主任说明：按规定…。车库渗水…建议走正常程序。: a verb and a colon with no quote, as minutes
    # write it, takes the rest of its line)
    return Mention(start, end, person, after, direct, reports=(bool(punct) or opinion) and not direct,
                   colon=punct in ("：", ":") and not direct)


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
        names = re.compile(rf"(?P<name>{any_of(sorted(known, key=len, reverse=True))})")
        for m in names.finditer(text):
            # at a clause boundary, or right after a title (退休教师马淑兰扶着…, found by its later mentions)
            # (a familiar name follows its description: 退休工人老孙说)
            # (or after the description the record was made from: 独居老人李福来说)
            person = known[m["name"]]
            # (or after a description ending in 的 or a word for a person: 散步的陈志远, 独居老人詹桂英;
            # or after whose kin they are: 吴正华的妻子龙秀英)
            if not (_boundary_before(text, m.start()) or _after_title(text, m.start()) or m["name"][0] in "老小"
                    or (m.start() and text[m.start() - 1] in "的人员手者师户主生匠") or KIN_LEAD_RE.search(text, 0, m.start())
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
KIN_LEAD_RE = re.compile(rf"的(?:{any_of(KIN_FORMS)})$")


def _boundary_before(text: str, i: int) -> bool:
    return _BOUNDARY_RE.match(text, i) is not None


def _line_end(text: str, i: int) -> int:
    """A colon's words run to the end of their line (a paragraph's, or one line of minutes)."""
    end = text.find("\n", i)
    return len(text) if end < 0 else end


def _introduced_unnamed(text: str, a: int, after: Mention) -> bool:
    """A quote opened by a colon after an unnamed speaker (一个蹲在牛圈边的老汉…嘀咕了一句：“…”) whose
    next sentence begins with a name saying something else (老杨说那是老张): the quote is the
    described speaker's, not the next sentence's subject's. Serves scene writing and diaries."""
    return text[:a].rstrip().endswith(("：", ":")) and HAN_RE.match(text, after.speech_end) is not None


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
    core = lambda p: "书记" if "书记" in p.title else p.title[-2:]  # noqa: E731
    for surname, persons in by_surname.items():
        if len(persons) == 1 and persons[0].name[0] not in "老小":
            person = persons[0]
            # (a deputy is called by the deputy's post: 钱副主任 for 钱淑珍, 业委会副主任)
            posts = [c for c in (core(person), "副" + core(person)) if c and person.title.endswith(c)] or [core(person)]
            for alias in (f"老{surname}", f"小{surname}") + tuple(f"{surname}{c}" for c in posts if c):
                out[alias] = person
        elif len(persons) > 1:  # (王书记 is 王振华 and 王科长 王丽娟: one surname, told apart by the post)
            posts = [core(p) for p in persons]
            out.update({f"{surname}{c}": p for p, c in zip(persons, posts) if c and posts.count(c) == 1})
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
        after = next((m for m in speaking if m.start == b + 1 and not _introduced_unnamed(text, a, m)), None)
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
            end = _line_end(text, m.speech_end) if m.colon else clause_end(text, m.speech_end)
            a, b = reported(text, m.speech_end, end, claimed)
            # (谢国平认为，…，他建议区财政…支持。: the 建议 inside a reported sentence is said once)
            if b > a and not any(x <= a and b <= y for who, (x, y) in said if who.name == person.name):
                said.append((person, (a, b)))
    return sorted(said, key=lambda s: s[1])
