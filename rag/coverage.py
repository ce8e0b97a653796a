"""Focus coverage: how much of what a question is about (its own content words, weighted) the
evidence supports, as the word, a 词林 synonym or a word close in meaning. The other half of
answerability beside the fact-type checks in ``rag.evidence``."""
from __future__ import annotations


import re

from rag.lexicon import TITLE_WORDS

# Characters that only qualify the noun after them (新机制, 老院子, 大项目): the noun is what is asked.
QUALIFIERS = "新老大小好"
# A count named by its measure (户数, 人数, 票数, 人口) is supported by a quantity in that measure
# (486户, 1730多口人, 得票1497票). Serves how-many questions that name the count, not the thing.
COUNT_OF = {"人口": "人口名位", "人数": "人名位"}
COUNTED = r"[0-9０-９一二三四五六七八九十百千万两]+(?:\.[0-9]+)?(?:多|余|来)?万?"
# The words that ask for someone's post rather than name one.
POST_ASKED = ("职务", "职位", "岗位", "身份")


def counts_of(word: str) -> str:
    """The measures a count noun is given in ('' when the word is none)."""
    return COUNT_OF.get(word) or (word[0] if len(word) == 2 and word[1] == "数" and word[0] not in "多少人" else "")


def focus_coverage(focus: dict[str, float], evidence_words, evidence: str, lexicon,
                   min_similarity: float, optional=frozenset()) -> tuple[float, list[str]]:
    """(IDF-weighted share of the focus words the evidence supports, the unsupported words).

    ``focus``: question word -> weight. A word is supported when the evidence holds it, one of
    its synonyms, or a word at least ``min_similarity`` close in meaning; a long word also when
    both its halves are (干部队伍: 干部 and 队伍), never by one half alone (大学 is not 大学毕业).
    ``optional``: function words (一回, 一块) that count when supported and are never missing.
    """
    if not focus:
        return 1.0, []

    def supported(word: str) -> bool:
        if word in evidence or ((measures := counts_of(word)) and re.search(f"{COUNTED}[{measures}]", evidence)):
            return True
        # (王晓琳是什么职务: a post asked is supported by a post printed, 居委会副主任)
        if word in POST_ASKED and any(t in evidence for t in TITLE_WORDS):
            return True
        if lexicon is None:
            return False
        return any(s in evidence for s in lexicon.synonyms(word)) or (
            lexicon.closest(word, evidence_words) >= min_similarity)

    # 建了 is 建: a verb's aspect particle is not what is asked about; one character alone says little.
    focus = {w.rstrip("了过着"): v for w, v in focus.items() if len(w.rstrip("了过着")) >= 2} or {"": 0.0}
    if "" in focus:
        return 1.0, []
    def halves_supported(word: str) -> bool:  # 干部队伍 = 干部 + 队伍, each found on its own
        # 新机制, 老院子: a one-character qualifier before a noun the evidence holds
        if len(word) == 3:
            return word[0] in QUALIFIERS and supported(word[1:])
        return any(supported(word[:i]) and supported(word[i:]) for i in range(2, len(word) - 1))

    longest = [w for w in focus if not any(w != v and w in v for v in focus)]
    found, total, missing = 0.0, 0.0, []
    for word in longest:
        parts = [p for p in focus if p != word and p in word]
        if supported(word) or (parts and all(supported(p) for p in parts)) or (
                len(word) >= 3 and halves_supported(word)):
            found += focus[word]
        elif word in optional:
            continue
        else:
            missing.append(word)
        total += focus[word]
    return (found / total if total else 1.0), missing
