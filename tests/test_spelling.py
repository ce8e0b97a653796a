"""Misspelt place names, on an in-memory list of printed words (no index)."""
from rag.spelling import PlaceSpeller

PRINTED = {"桃坪村", "桃坞村", "桃源村", "翠湖社区", "双河村", "栏和村", "进社区", "集体经济"}


def test_a_place_one_sound_away_is_the_printed_one():
    speller = PlaceSpeller(PRINTED)
    assert speller.respell("桃平村集体经济收入涨到多少了") == "桃坪村集体经济收入涨到多少了"  # tao ping cun
    assert speller.respell("翠胡社区装了几部电梯？") == "翠湖社区装了几部电梯？"


def test_nothing_else_is_respelt():
    speller = PlaceSpeller(PRINTED)
    for question in ("桃坪村有多少户？", "全市有多少个社区和村参加？", "桃花村在哪？", "双河镇有几个村？"):
        assert speller.respell(question) == question
    # two printed names equally near and neither sounding the same: no guess
    assert PlaceSpeller({"桃坞村", "桃源村"}).respell("桃林村在哪？") == "桃林村在哪？"


def test_a_place_that_sounds_different_is_another_place():
    assert PlaceSpeller({"南湖社区"}).respell("北湖社区有多少户？") == "北湖社区有多少户？"
