"""Cutting Chinese text into words: jieba tokenizers on one shared dictionary, and its
part-of-speech table. What the words mean lives in ``rag.lexicon``."""
from __future__ import annotations

import logging
from functools import lru_cache


@lru_cache(maxsize=1)
def _default_dictionary() -> tuple[dict, int]:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    base = jieba.Tokenizer()
    base.check_initialized()
    return base.FREQ, base.total


def new_jieba() -> "jieba.Tokenizer":
    """A private jieba tokenizer on the default dictionary, loaded once per process: each caller
    may add its own words (names, coinages) without moving anyone else's cuts."""
    import jieba

    freq, total = _default_dictionary()
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ, tokenizer.total, tokenizer.initialized = dict(freq), total, True
    return tokenizer


@lru_cache(maxsize=1)
def _tagger_template():
    import jieba.posseg

    return jieba.posseg.POSTokenizer(new_jieba())


def names_a_person(familiar: str) -> bool:
    """老秦 / 小何 read as a person: no common word (小区, 老师, 小时 are words whose second
    character is also a surname), or one the dictionary tags as a name (老王, 老李)."""
    tag = _tagger_template().word_tag_tab.get(familiar)
    return tag is None or tag in ("nr", "nz", "t")  # 老周 is tagged a time word


def plain_word(word: str) -> bool:
    """A word the dictionary tags as an adjective, verb, adverb or function word (方便, 以前): no
    name starts with one (楼上的方便了 names no 方便了)."""
    tag = _tagger_template().word_tag_tab.get(word)
    return tag is not None and tag[0] in "avdcpurmq"


def untitled_name(word: str) -> bool:
    """A name printed with no title before it may be this word: none that starts with a plain word
    (方便了), and no two-character word the dictionary holds (常客, though tagged a name)."""
    return names_a_person(word) and not plain_word(word[:2]) and not (
        len(word) == 2 and word in _tagger_template().word_tag_tab)


COMMON_NOUN_FREQ = 1000  # jieba's count above which a two-character noun is a thing, not a name


def names_a_thing(label: str) -> bool:
    """A word after a title or before a line's colon that is a thing, not a person, though it starts
    with a surname: a numbered item (方案二, 议题三: a word and a numeral) or a common noun (车辆)."""
    table = _tagger_template().word_tag_tab
    if len(label) >= 3 and label[-1] in "一二三四五六七八九十" and label[:-1] in table:
        return True
    # (a common noun: 车辆, 方向; a rarer word may be someone's name, 方圆, 陆海)
    return len(label) == 2 and table.get(label) == "n" and _default_dictionary()[0].get(label, 0) >= COMMON_NOUN_FREQ


def new_tagger(tokenizer) -> "jieba.posseg.POSTokenizer":
    """A part-of-speech cutter over ``tokenizer`` (its user words kept, tagged "x"); the tag
    table is read once per process."""
    import jieba.posseg

    tagger = jieba.posseg.POSTokenizer.__new__(jieba.posseg.POSTokenizer)
    tagger.tokenizer, tagger.word_tag_tab = tokenizer, _tagger_template().word_tag_tab
    return tagger
