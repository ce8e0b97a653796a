"""The word knowledge: 词林 synonyms filtered by the packaged vectors, and what it must never do."""
import re

import pytest

from rag.config import Settings
from rag.lexicon import Lexicon, is_name


@pytest.fixture(scope="module")
def lexicon():
    return Lexicon.load(Settings().model_cache_dir)


def test_synonyms_are_close_members_of_the_same_group(lexicon):
    assert {"青年人", "青年"} <= set(lexicon.synonyms("年轻人"))
    assert "弟子" not in lexicon.synonyms("年轻人")  # same 词林 group, too far in meaning
    assert {"邻居", "邻里"} & set(lexicon.synonyms("街坊"))


@pytest.mark.parametrize("word", ["不", "没有", "没", "无", "三", "两", "第三", "十二"])
def test_negations_and_numbers_are_never_swapped(lexicon, word):
    assert lexicon.synonyms(word) == ()


def test_no_synonym_adds_a_negation_or_a_number(lexicon):
    for word in ("参与", "居民", "满意", "同意", "发展", "一致"):
        for s in lexicon.synonyms(word):  # (如出一辙 holds 一 and counts nothing: an idiom may stay)
            assert s[0] not in "不没无非未" and not re.search(r"[0-9]|^[一二三四五六七八九十百千]+[个位名次]?$", s)


def test_similarity(lexicon):
    assert lexicon.similar("年轻人", "青年") > lexicon.similar("年轻人", "广场") + 0.2
    assert lexicon.similar("参与", "不参与") == 0.0  # a negated word is never close to its opposite
    assert lexicon.closest("年轻人", ["青年", "广场"]) == pytest.approx(lexicon.similar("年轻人", "青年"))
    assert lexicon.closest("没见过的词语xyz", ["青年"]) == 0.0
    # a numeral or negation character inside a word is neither (老百姓, 退休, 特别 keep their neighbours)
    assert lexicon.closest("老百姓", ["群众"]) > 0.6 and lexicon.closest("退休", ["离休"]) > 0.3
    assert lexicon.closest("三个", ["五个"]) == 0.0 and lexicon.closest("不同", ["相同"]) == 0.0


def test_names_start_with_a_surname():
    assert is_name("王芳") and is_name("欧阳晓明") and not is_name("就如") and not is_name("和美")


def test_a_word_the_data_lacks_is_spelt_from_the_pieces_it_has(lexicon):
    assert lexicon.words.vector("老楼") is None and lexicon.vector("老楼") is not None
    assert lexicon.closest("老楼", ["老房子", "广场"]) > lexicon.closest("老楼", ["广场"])
    assert lexicon.vector("没见过的词语xyz") is None  # a long run is no word to spell
