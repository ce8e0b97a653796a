"""Quotation marks: where quotes start and end (a quote may run over paragraphs, each reopening
with “), the sentence a clause ends in, and a paragraph that is nothing but one quote."""
from __future__ import annotations

import re

SENTENCE_END = "。！？!?"


def quote_segments(text: str, restarts: frozenset[int] = frozenset()) -> list[tuple[int, int]]:
    """Outermost “…” pairs as (index of “, index of ” or len(text) when unclosed).

    ``restarts``: positions of a “ that reopens a quote running over several paragraphs (each
    paragraph opens with “, only the last closes): they do not nest deeper.
    """
    segments, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "“" and not (depth and i in restarts):
            if depth == 0:
                start = i
            depth += 1
        elif ch == "”" and depth:
            depth -= 1
            if depth == 0:
                segments.append((start, i))
    if depth:
        segments.append((start, len(text)))
    return segments


def inside(position: int, segments: list[tuple[int, int]]) -> bool:
    return any(a < position < b for a, b in segments)


def clause_end(text: str, start: int) -> int:
    """End (after the stop) of the sentence that starts at ``start``; quotes inside do not end it."""
    depth = 0
    for i in range(start, len(text)):
        ch = text[i]
        depth += (ch == "“") - (ch == "”" and depth > 0)
        if depth == 0 and ch in SENTENCE_END:
            return i + 1
    return len(text)


def trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def cut(a: int, b: int, restarts: frozenset[int]) -> list[tuple[int, int]]:
    """A quote's range without the “ that reopen it at each new paragraph."""
    pieces, start = [], a
    for r in sorted(p for p in restarts if a <= p < b):
        pieces.append((start, r))
        start = r + 1
    pieces.append((start, b))
    return [(x, y) for x, y in pieces if y > x]


def whole_quote(text: str) -> tuple[int, int] | None:
    """The inside of a paragraph that is nothing but one quotation (“……。”), else None."""
    stripped = text.strip()
    if not (stripped.startswith("“") and stripped.rstrip("。").endswith("”")):
        return None
    segments = quote_segments(text)
    if len(segments) != 1:
        return None
    a, b = segments[0]
    return a + 1, b


# A short label line over a block (💬居民说, ✅社区回复, 居民心声): the block's own words follow it.
# Serves social-media posts and bulletins that set quotes and replies under such labels.
# (a long-image post's quote card is labelled with a colon: 引语卡：⏎“……”⏎——post　name)
LABEL_LEAD_RE = re.compile(r"^[^\n：:“”。，,]{1,10}[：:]?\n")


def quoted_block(text: str) -> bool:
    """A paragraph that is one quotation, maybe under a short label line (💬居民说⏎“……”)."""
    lead = LABEL_LEAD_RE.match(text.strip())
    return bool(whole_quote(text) or (lead and whole_quote(text.strip()[lead.end():])))


def trailing_quotes(unit: str, said, found=()) -> list:
    """A quotation standing as its own sentence after the paragraph's one speaker's words, with no
    speaker of its own (谭凤英介绍，街道协调了资金。“我们要求施工不能减少绿地。”): theirs. With no
    speaker, after the one person the paragraph names, told as 我 or as whole sentences (82岁的居民胡桂英是大集的“老主顾”。
    “我腿脚不方便……”): theirs too. Serves features that introduce a person, then let them speak."""
    named = list(dict.fromkeys(m.person for m in found if m.person)) if not said else []
    if (len({p.name for p, _ in said}) != 1) if said else len(named) != 1:
        return []
    person, end = (said[-1][0], max(b for _, (_, b) in said)) if said else (named[0], max(m.end for m in found if m.person))
    out = []
    for a, b in quote_segments(unit):
        opens_sentence = a == 0 or unit[a - 1] in "。！？!?\n"
        closes_paragraph = not unit[b + 1:].strip(" \n。")
        if a >= end and opens_sentence and closes_paragraph and b > a + 1 and (said or re.search(r"我|[。！？!?]$", unit[a + 1:b])):
            out.append((person, (a + 1, b)))
    return out


# A quote after a colon whose clause names no speech verb (老秦打开了话匣子：“…”, 他心里有数：“…”,
# 谭立诚拿起一盏灯笼端详了好一会儿，笑着说：“…”) belongs to the last person named in that clause.
CLAUSE_START = "。！？!?\n"
# Whole sentences quoted (“半年攒了520分…。”), not a term or a phrase.
WHOLE_SENTENCES_RE = re.compile(r"“[^”]{6,}?[。！？!?][^”]*”")
DESCRIBED_BY = 24  # characters of description (家住…的72岁) between a quote and who says it
UNNAMED_FIRST_RE = re.compile(r"[员者师]|经理|居民|村民|老人|大爷|大妈|阿姨|书记|主任|负责人|工作人员|有人")


def colon_owner(text: str, a: int, found: list):
    """The last person named in the clause that ends in the colon before the quote at ``a``."""
    before = text[:a].rstrip()
    clause_start = max(before.rfind(c) for c in CLAUSE_START) + 1
    named = [m for m in found if clause_start <= m.start < len(before)]
    # (or a 说 with its comma, after what they do: 她指着自家阳台说，“…”)
    if before.endswith(("：", ":")) or re.search(r"[说道][，,]$", before):
        return named[-1] if named else None
    # (or a comma after a sentence naming one person, before whole sentences of theirs: 她几乎每个
    # 周末都参加值守，“半年攒了520分，…。东西不算多…。” Serves features that drop the 说.)
    # (never when someone unnamed comes first: 一位物业经理告诉记者，他所在公司…，“…”)
    if before.endswith(("，", ",")) and len(named) == 1 and WHOLE_SENTENCES_RE.match(text, a) \
            and not UNNAMED_FIRST_RE.search(text, clause_start, named[0].start):
        return named[0]
    return None


def described_after(text: str, end: int, start: int) -> bool:
    """A mention at ``start`` stands within a description's reach after a quote ending at ``end``,
    with no punctuation between (“……”家住南塘小区12栋的72岁居民王秀英笑着说)."""
    return start <= end + 1 + DESCRIBED_BY and not re.search(r"[，。；！？,;!?“”]", text[end + 1:start])


def reported(text: str, start: int, end: int, quotes) -> tuple[int, int]:
    """The range of reported words from ``start`` to ``end``, up to any of the speaker's own
    ``quotes`` inside it (张桂芳说，听说…有了专人帮忙，“心里一下子就亮堂了”: the quote is said once,
    as a quote), with the full stop that ends its sentence: a speaker's reported sentences read as
    sentences when joined."""
    a, b = trim(text, start, end)
    inner = min([qa for qa, _ in quotes if a < qa < b] + [b])
    while a < inner < b and text[inner - 1] in "“ \n":  # (…专人帮忙，“心里: up to the comma)
        inner -= 1
    return a, inner
