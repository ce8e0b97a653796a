"""Which sentences of the retrieved passages answer the question, in reading order.

Sentences are scored by the question's words they hold (IDF-weighted; a longer matched span
counts more), with synonyms and words close in meaning counting part-way. A method, enumeration
or definition question also takes the sentences that follow the best one, since a passage states
the problem or names the term first and explains it after.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

from rag.chunk import split_sentences
from rag.evidence import evidence_lacks, measures
from rag.fact_types import count_clauses
from rag.quotes import quote_segments
from rag.tense import OUTCOME_ASK_RE, SETTLED_A
from rag.lexicon import (ACTION_VERBS, AGENT_A_RE, ASKED_HOLDER_RE, FRAME_WORDS, NORMATIVE_RE, NUM, QUOTED_TERM_RE,
                         SOLUTION_RE, TITLE_WORDS)
from rag.types import Hit
from rag.understand import AGENT_WHO_RE, Question

# A 词林 synonym found counts this share of the word itself; a word only close in meaning, its
# similarity times the smaller share, so exact words stay ahead (set on eval/gold.jsonl's dev split).
SYNONYM_CREDIT = 0.8
SIMILAR_CREDIT = 0.4
# A sentence that says what was done, for a method question, counts as one more rare word matched.
METHOD_CREDIT = 0.5
# A list or explanation follows a term: "、" items, a colon, or 包括/即/一是/分别 wording.
SPELLED_OUT_RE = re.compile(r"[:：]|、|包括|即|一是|分别|就是|是指|指的是|主要有|有")

# Two question words this close in a sentence (characters between them), in the question's order,
# count this share of the rarer one once more. Dev sweep (507 items): credit 0.25 → 92.1%, 0.5 → 92.4%,
# 1.0 → 91.9%; distance 2, 4 and 8 all 92.4% at 0.5.
PROXIMITY, PROXIMITY_CREDIT = 4, 0.5
# A question about now (现在一年能收入多少) is not answered by a fact the report sets in the past
# (那时…年收入不足3万元): before-and-after stories give both, the past one first.
# (新来的物业 is not 原物业服务企业: the new one against the former)
NOW_Q_RE = re.compile(r"现在|如今|目前|眼下|当下|新来的|新换的|新引进")
PAST_Q_RE = re.compile(r"以前|过去|原来|当初|起初|那时|那会儿|早先|之前")
PAST_FRAME_RE = re.compile(r"那时|当时|那会儿|以前|过去|原来|曾经|起初|当初|之前|原(?![因则])")
# A sentence that lists items (加装路灯、修缮雨棚和改造下水管网; 一是…二是…) answers a 哪些/哪几样
# question better than one that only names the topic. Serves enumeration questions.
LISTS_ITEMS_RE = re.compile(r"[^、，。；：]{2,}、[^、，。；：]{2,}|一[是要]|其一|第一[，,]")
# 哪几个村 / 哪些小区: which ones, by name, of a counted kind.
# (or the counted kind first: 另外8个社区具体是哪几个, 另外3个社区叫啥)
WHICH_ONES_RE = re.compile(r"哪(?:几|些)[个家所位项条座支]?(?P<noun>村|社区|小区|街道|乡镇|镇|学校|单位|企业|部门)"
                           r"|[个家所座](?P<first>村|社区|小区|街道|乡镇|镇|学校|单位|企业|部门)[^，。？?]{0,6}?"
                           r"(?:哪几个|哪些|叫啥|叫什么|分别是|都是)")
VOTE_Q = re.compile(r"(?:表决|投票|票决|举手)[^，。？?]{0,6}(?:结果|咋样|怎么样|如何|多少)|票数|得票")
TALLY_A = re.compile(r"(?:同意|赞成|反对|弃权)[^，。；、]{0,2}[0-9０-９一二三四五六七八九十]|[0-9０-９]+(?:票|人|户|名)?(?:赞成|同意|反对|弃权)")
# How a report names or lays out a way of doing something (采取…的办法, “三事分流”, 分成三类, 一是).
NAMES_A_METHOD_RE = re.compile(r"采取|采用|实行|分成|分为|的办法|的做法")
# A numbered point of a list spread over sentences (一是…；二是…, 第一，…, 其次…).
# (a leader's demands are numbered 一要…二要… as often as 一是…二是…)
POINT_RE = re.compile(r"[\s“]*(?:[一二三四五六七八九十][是要]|第[一二三四五六七八九十][，、,]|其[一二三四五六][，、,]|首先|其次|再次|最后|[0-9]+[.、．])")
PRONOUN_OPENS_RE = re.compile(r"\s*[他她](?!们)")
TIME_RE = re.compile(r"\d{4}年(?:底|初)?|\d{1,2}月份?")
WINDOW_SHARE = 0.5  # a method passage's next sentence counts this share (dev: 0.25 and 0.5 78.6%, 1.0 78.5%)
MAX_POINTS = 4  # beyond the window: lists in reports run to three or four points, rarely more
# A point that only names the measure (三是建立“民情恳谈日”制度。) is short; an explained one runs on.
POINT_HEAD_CHARS = 24
MAX_ITEMS = 8  # a list printed one item to a line (a notice's accounts) runs longer than a report's points

# A search-mode token across words (要建, 回去 in 下回去哪) is a fragment of phrasing when short;
# a long run jieba cannot cut at all ("莲莲莲…") is not, and stays asked of the evidence.
PHRASE_FRAGMENT = 4


@dataclass(frozen=True)
class Choice:
    hit: Hit
    ranges: tuple[tuple[int, int], ...]  # sentence ranges in the hit's chunk text, reading order
    score: float


class SentencePicker:
    def __init__(self, tokenizer, idf: dict[str, float], default_idf: float, lexicon=None,
                 min_similarity: float = 0.6, max_sentences: int = 3, rank_discount: float = 0.1):
        self.tokenize = tokenizer
        self.idf, self.default_idf = idf, default_idf
        self.lexicon = lexicon
        self.min_similarity = min_similarity
        self.max_sentences = max_sentences
        self.rank_discount = rank_discount
        self._vocabularies: dict = {}

    def vocabulary(self, text: str):
        """The words of a sentence or passage, with their vectors (kept: passages repeat across questions)."""
        found = self._vocabularies.get(text)
        if found is None:
            words = self.tokenize(text)
            found = self.lexicon.vocabulary(words) if self.lexicon is not None else frozenset(words)
            if len(self._vocabularies) > 50_000:
                self._vocabularies.clear()
            self._vocabularies[text] = found
        return found

    def weight(self, token: str) -> float:
        return self.idf.get(token, self.default_idf)

    def query_tokens(self, q: Question, focus: bool = False) -> list[str]:
        """The question's content words, without the people and places it names (and with
        ``focus``, without the words that only frame it: 多大年纪, 怎么, 哪所, 强调)."""
        named = {t for e in q.entities for t in self.tokenize(e.surface)} | {e.surface for e in q.entities}
        text = q.focus_text if focus else q.text
        for surface in sorted({e.surface for e in q.entities}, key=len, reverse=True):
            text = text.replace(surface, " ")  # no word straddles a name (老田租了: not 田租)
        # (区委书记点名要推广哪些经验: a post that names who is asked is no content of the answer)
        text = ASKED_HOLDER_RE.sub(" ", text)
        tokens = self.tokenize(text)
        return [t for t in dict.fromkeys(tokens) if t not in named and t not in FRAME_WORDS
                and not any(e.surface in t for e in q.entities) and t not in q.introductions]

    def function_words(self, q: Question, tokens) -> frozenset[str]:
        """Those of ``tokens`` that lie inside no content word of the question (一回, 回去 in
        办一回，下回去哪): counted when the evidence holds them, never missed when it does not."""
        content = self.tokenize.content_words(q.focus_text)
        return frozenset(t for t in tokens if len(t) <= PHRASE_FRAGMENT and not any(t in w for w in content))

    def sentence_score(self, tokens: list[str], sentence: str) -> float:
        words = self.vocabulary(sentence)
        exact = {t for t in tokens if t in sentence}
        # jieba's search mode yields 颁奖典礼 and also 颁奖, 典礼: count the longest match once.
        exact = {t for t in exact if not any(t != u and t in u for u in exact)}
        score = sum(self.weight(t) * max(len(t), 2) / 2 for t in exact)
        if self.lexicon is None:
            return score
        for t in tokens:
            if t in sentence or any(t in u for u in exact):
                continue
            if any(s in sentence for s in self.lexicon.synonyms(t)):
                score += SYNONYM_CREDIT * self.weight(t)
            elif (sim := self.lexicon.closest(t, words)) >= self.min_similarity:
                score += SIMILAR_CREDIT * sim * self.weight(t)
        return score

    def _fits(self, q: Question, sentence: str) -> float:
        """A sentence holding the kind of fact asked for (a date, a number…) outranks one that only
        shares words; for a method question, one that says what was done outranks one that only
        restates the problem."""
        if q.wants:
            if NOW_Q_RE.search(q.text) and PAST_FRAME_RE.search(sentence) and not NOW_Q_RE.search(sentence):
                return 0.0
            if evidence_lacks(q, sentence) is not None:
                return 0.0
            # 以前鲜叶每斤卖8块钱，现在…每斤13块: both values in one sentence answer a two-value question best
            both = q.two_values and _paired(sentence)
            return self.default_idf * (3 if both else 2)
        if q.asks == "method" and AGENT_WHO_RE.search(q.text) and AGENT_A_RE.search(sentence):
            return self.default_idf * 2 * METHOD_CREDIT  # 靠谁来管: the sentence naming who does it
        if q.asks == "method" and says_what_was_done(sentence):
            # (社区采取“三事分流”的办法, 分成三类: a sentence that names or lays out a way of doing it
            # tells the method more surely than one with any verb of doing)
            return self.default_idf * METHOD_CREDIT * (2 if NAMES_A_METHOD_RE.search(sentence) else 1)
        if q.asks == "enumeration" and LISTS_ITEMS_RE.search(sentence):
            return self.default_idf * METHOD_CREDIT
        if q.asks == "stance" and NORMATIVE_RE.search(sentence):
            return self.default_idf * METHOD_CREDIT
        return 0.0

    def _proximity(self, tokens: list[str], sentence: str) -> float:
        """Question words that stand together in the question and, in the same order, close
        together in the sentence (物业当场答应 ~ 物业公司当场承诺): the sentence says the same
        thing of the same subject, not the words scattered over unrelated clauses."""
        bonus = 0.0
        pairs = [(a, b) for a, b in zip(tokens, tokens[1:]) if a not in b and b not in a]
        for a, b in pairs:
            if a in sentence and b in sentence and re.search(f"{re.escape(a)}.{{0,{PROXIMITY}}}?{re.escape(b)}", sentence):
                bonus += PROXIMITY_CREDIT * min(self.weight(a), self.weight(b))
        return bonus

    def _scored(self, q: Question, tokens: list[str], hit: Hit) -> list[tuple[float, tuple[int, int]]]:
        text = hit.chunk.text
        ranges = [r for r in split_sentences(text) if text[r[0]:r[1]] not in q.history_quotes] or split_sentences(text)
        return [(self.sentence_score(tokens, text[a:b]) + self._fits(q, text[a:b]) + self._proximity(tokens, text[a:b])
                 + self._then(q, text[a:b]) + self._tally(q, text[a:b]), (a, b)) for a, b in ranges]

    def _tally(self, q: Question, sentence: str) -> float:
        """表决结果咋样, 票数是多少: a vote's result is its tally (同意25户，反对0户), not the sentence
        that says a vote was held. Serves vote questions on meetings, elections and councils."""
        return self.default_idf * METHOD_CREDIT * 2 if VOTE_Q.search(q.text) and TALLY_A.search(sentence) else 0.0

    def _then(self, q: Question, sentence: str) -> float:
        """A question about the past (以前碰上啥难题, 原来是什么样) is answered by the sentence the
        report sets in the past (青龙村过去是出了名的“空心村”), over one on plans or the present."""
        if PAST_Q_RE.search(q.text) and PAST_FRAME_RE.search(sentence):
            return self.default_idf * METHOD_CREDIT
        # (荒掉的田后来种上没有: what came of it, 已全部复耕, over the problem, 撂荒地一度超过400亩)
        if OUTCOME_ASK_RE.search(q.text) and SETTLED_A.search(sentence):
            return self.default_idf * METHOD_CREDIT
        return 0.0

    def pick(self, q: Question, hits: list[Hit]) -> Choice:
        """The passage whose best sentence answers best (retrieval rank breaks near-ties), and its sentences."""
        tokens = self.query_tokens(q)
        best = None
        for rank, hit in enumerate(hits):
            scored = self._scored(q, tokens, hit)
            top = self._passage_score(q, scored) * (1 - self.rank_discount * rank)
            if best is None or top > best[0]:
                best = (top, hit, scored)
        top, hit, scored = best
        return Choice(hit, tuple(self._choose(q, hit, scored)), top)

    def _passage_score(self, q: Question, scored) -> float:
        """A passage's best sentence; for a method, with half the next one's, since how something
        was done runs over sentences (the problem, then what was done about it)."""
        values = [s for s, _ in scored]
        if q.asks != "method" or q.intent == "who_said":
            return max(values)
        return max(a + WINDOW_SHARE * b for a, b in zip(values, values[1:] + [0.0]))

    def _choose(self, q: Question, hit: Hit, scored) -> list[tuple[int, int]]:
        ranges = [r for _, r in scored]
        top = max(s for s, _ in scored)
        if top <= 0:
            return ranges[:2]
        # (何静点评时说了啥, 魏红强调了什么: what someone said, asked of nothing in particular, is what
        # they say first, not the sentence a word of speaking happens to match)
        # (强调了什么 asks a stance: what must be done, wherever said, rag.lexicon.NORMATIVE_RE)
        if q.asks_own_words and q.asks != "stance" and hit.chunk.speaker and not q.wants \
                and len(q.entities) == len(q.named("name")) \
                and not [t for t in self.query_tokens(q, focus=True) if len(t) >= 2]:
            return ranges[:self.points_end(hit.chunk.text, ranges, 0, self.max_sentences)]
        # A method, list or definition is explained after the sentence that names it; what a person
        # said on it runs on in their next sentences. Both start at the first sentence on it (never
        # so early that the best one is left out).
        if (q.asks in ("method", "enumeration", "definition") and q.intent != "who_said") or q.asks_own_words:
            best = ranges.index(max(scored)[1])
            text = hit.chunk.text
            # for a method, a sentence before the best one that says what was done is on it too
            # (建立骨干队伍…；…发动能工巧匠), though it shares fewer of the question's words
            first = next(i for i, (s, (a, b)) in enumerate(scored) if s >= 0.5 * top or (
                q.asks == "method" and i < best and s >= 0.25 * top and says_what_was_done(text[a:b])))
            start = max(first, best - self.max_sentences + 1)
            return ranges[start:self.points_end(text, ranges, start, start + self.max_sentences)]
        chosen = sorted(r for s, r in sorted(scored, reverse=True)[:self.max_sentences] if s >= 0.5 * top)
        first, last = ranges.index(chosen[0]), ranges.index(chosen[-1])
        if last - first + 1 <= self.max_sentences:  # keep the sentence that joins two chosen ones
            chosen = ranges[first:last + 1]
        if q.intent == "who_said" and hit.chunk.speaker is None:
            chosen = sorted(set(chosen) | set(_introducer(hit.chunk.text, ranges, chosen[0][0])))
        # (想回村卖蜂蜜的是谁 → 他在深圳做过电商，想回村…: who "he" is, the sentence before says,
        # 返乡青年赵磊来找我。 Serves who-questions on narration that goes on by pronoun.)
        if q.intent == "who_said" and PRONOUN_OPENS_RE.match(hit.chunk.text, chosen[0][0]) \
                and (i := ranges.index(chosen[0])) > 0 and ranges[i - 1] not in chosen:
            chosen = [ranges[i - 1]] + list(chosen)
        return chosen

    def points_end(self, text: str, ranges, start: int, end: int) -> int:
        """Numbered points (一是…二是…三是…) are one answer: a window that reaches the first of
        them, or stops right before one, runs on to the last point (at most MAX_POINTS more).
        A point may be a heading with one sentence explaining it (二是降低运营成本。街道将场地免费
        提供…): then each point takes its explanation, and the last point its own."""
        points = [bool(POINT_RE.match(text[a:b])) for a, b in ranges]
        if not any(points[start:end + 1]):
            return end
        limit = start + self.max_sentences + 2 * MAX_POINTS
        while end < min(len(ranges), limit):
            if points[end]:
                end += 1
            elif end + 1 < len(ranges) and points[end + 1] and any(points[start:end]):
                end += 2  # an explanation between two points, and the point after it
            else:
                break
        # the last point's own explanation, when the points before it had theirs
        if 0 < end < len(ranges) and points[end - 1] and not points[end] and end >= 2 and not points[end - 2] \
                and any(points[start:end - 1]):
            end += 1
        return min(end, len(ranges))

    def other_value(self, q: Question, choice: Choice, hits: list[Hit]) -> Choice | None:
        """A two-value question (收缴率前后差多少) whose chosen sentences give one value: the other
        is often paragraphs away (只有41% … 提升至86%). The sentence of the same article that shares
        the question's words best and gives a quantity not yet quoted; None if none does."""
        text = choice.hit.chunk.text
        chosen = "".join(text[a:b] for a, b in choice.ranges)
        if not q.two_values or _paired(chosen) or not (kinds := set(measures(chosen))):
            return None
        tokens = None
        if len(clauses := count_clauses(q.text)) >= 2:
            # 当初承诺多少个，实际建成多少个: the other value answers the clause the chosen sentences
            # do not (仅建成120个 shares only 建成 with the question, and that is the point)
            words = [self.query_tokens(replace(q, text=c), focus=True) for c in clauses]
            open_clause = min(words, key=lambda ws: sum(t in chosen for t in ws) / max(len(ws), 1))
            tokens = open_clause or None
        return self._best_other(q, choice, hits, lambda sentence: bool(set(measures(sentence)) & kinds), tokens)

    def other_thing(self, q: Question, choice: Choice, hits: list[Hit]) -> Choice | None:
        """Two things set side by side (评上最美庭院和乱堆乱放分别加减几分, 低保家庭和高龄老人家庭补贴
        有啥不一样) whose chosen sentences speak of one: the best sentence of the same article on the other."""
        if all(t.endswith(TITLE_WORDS) for t in q.things) and len(q.things) == 2:
            return self._other_holder(q, choice, hits)
        text = choice.hit.chunk.text
        chosen = "".join(text[a:b] for a, b in choice.ranges)
        sides = [set(self.tokenize.content_words(t)) for t in q.things]
        # each side by its own words (低保特困家庭 / 高龄老人家庭: 家庭 tells neither)
        own = [side - other for side, other in zip(sides, sides[::-1])]
        # two times side by side (1978年和1998年…人均纯收入): each side is its time, the rest is shared
        if all(times := [TIME_RE.findall(t) for t in q.things]):
            own = [set(t) for t in times]
        missing = [words for words in own if words and not any(w in chosen for w in words)]
        if len(missing) != 1:
            return None
        # (充电棚和饭堂设备升级各要花多少钱: the other side's sentence gives the fact asked, however few of
        # the question's other words it shares)
        if q.wants:
            return self._best_other(q, choice, hits, lambda sentence: any(w in sentence for w in missing[0])
                                    and evidence_lacks(q, sentence) is None, self.query_tokens(q, focus=True))
        return self._best_other(q, choice, hits, lambda sentence: any(w in sentence for w in missing[0]))

    def _other_holder(self, q: Question, choice: Choice, hits: list[Hit]) -> Choice | None:
        """Two people set side by side by their posts (物业经理和业委会主任分别啥态度): each side is
        whose passage it is, not which words it holds (孙浩 says 业委会 too). The best passage of
        the holder of the other post."""
        def holds(hit: Hit, post: str) -> bool:
            person = hit.chunk.speaker or hit.chunk.about
            return person is not None and post in person.label

        have = [post for post in q.things if holds(choice.hit, post)]
        if len(have) != 1:
            return None
        other = [h for h in hits if holds(h, next(p for p in q.things if p != have[0]))]
        return self.pick(q, other) if other else None

    def _best_other(self, q: Question, choice: Choice, hits: list[Hit], accept, tokens=None) -> Choice | None:
        """The best other sentence of the article by the question's words, at least half as good as
        the chosen; by ``tokens`` alone when given (the words of a clause the chosen do not answer),
        the nearest of equals first."""
        text = choice.hit.chunk.text
        chosen = "".join(text[a:b] for a, b in choice.ranges)
        need = 0.0
        if not tokens:
            tokens = self.query_tokens(q, focus=True)
            need = 0.5 * max(self.sentence_score(tokens, text[a:b]) for a, b in choice.ranges)
        at = choice.hit.chunk.offset_of(choice.ranges[0][0])
        best, best_key = None, None
        for hit in hits:
            if hit.chunk.doc_id != choice.hit.chunk.doc_id:
                continue
            for a, b in split_sentences(hit.chunk.text):
                sentence = hit.chunk.text[a:b]
                if sentence in chosen or not accept(sentence):
                    continue
                score = self.sentence_score(tokens, sentence)
                if need == 0.0 and not any(t in sentence for t in tokens):
                    continue  # (by a clause's own words: one of them said, not only a word near one)
                key = (score, -abs(hit.chunk.offset_of(a) - at))
                if score > 0 and score >= need and (best_key is None or key > best_key):
                    best, best_key = Choice(hit, ((a, b),), score), key
        return best

    def unexplained_term(self, q: Question, choice: Choice) -> str | None:
        """A term the question asks to spell out that the chosen sentences name but never list."""
        if q.asks not in ("enumeration", "definition"):
            return None
        text = choice.hit.chunk.text
        chosen = [text[a:b] for a, b in choice.ranges]
        terms = QUOTED_TERM_RE.findall(q.text) or [t for t in QUOTED_TERM_RE.findall(" ".join(chosen))
                                                   if t in q.text]
        if len(chosen) != 1:  # sentences after the term's may well spell it out: not flagged
            return None
        # 另外5个村是哪几个: the report counts them (明年在另外5个村推广) but names none
        noun = (m := WHICH_ONES_RE.search(q.text)) and (m["noun"] or m["first"])
        if noun and not re.search(rf"[\u4e00-\u9fff]{{2,8}}{noun}[、和及与]", chosen[0]) \
                and (counted := re.search(rf"{NUM}[个家所位项条座支]?{re.escape(noun)}", chosen[0])):
            return counted.group()
        present = [t for t in terms if t in chosen[0]]
        # One of the asked terms spelled out ("‘411’工作机制:一月一走访…") answers the question.
        if present and not any(SPELLED_OUT_RE.search(chosen[0][chosen[0].index(t) + len(t):]) for t in present):
            return present[0]
        return None


def _introducer(text: str, ranges, start: int) -> list[tuple[int, int]]:
    """Who said it, when the report describes rather than names them (一位拄着拐杖的老人站起来：
    “…我前天差点被碰着。”): the sentence before the quote the chosen one lies in. Serves who-said
    questions about unnamed speakers in scene and feature writing."""
    opened = [a for a, b in quote_segments(text) if a < start <= b]
    if not opened:
        return []
    before = [r for r in ranges if r[0] < opened[0] and text[r[0]:opened[0]].strip("“ ")]
    return before[-1:]


def _paired(text: str) -> bool:
    """Two values in one measure (41% … 86%): both sides of a before-and-after."""
    found = measures(text)
    return len(found) > len(set(found))


def says_what_was_done(sentence: str) -> bool:
    return any(v in sentence for v in ACTION_VERBS) or bool(SOLUTION_RE.search(sentence))


def idf_table(document_frequencies: dict[str, int], n: int) -> tuple[dict[str, float], float]:
    n = max(n, 1)
    return {t: math.log(1 + n / d) for t, d in document_frequencies.items() if d}, math.log(1 + n)
