"""Parsing the real article and an invented one with the same rules."""
from pathlib import Path

import pytest

from conftest import ARTICLE, SECOND_ARTICLE, SECOND_EXPECTED
from rag.chunk import chunk_article
from rag.ingest import IngestError, load_article, load_corpus, parse_article

QUOTED = {
    # name: (title, district, street, community)
    "钱坤": ("党总支书记", "天府新区", "华阳街道", "广福社区"),
    "吴桂英": ("党总支书记", "新都区", "石板滩镇", "新农村"),
    "马腾飞": ("党委书记", "双流区", "西航港街道", "莲花社区"),
    "沈伟": ("党工委副书记", "青白江区", "大弯街道", None),
    "王忠彬": ("党工委副书记、街道办事处主任", "郫都区", "郫筒街道", None),
    "刘仁富": ("党工委副书记", "武侯区", "玉林街道", None),
    "张奕冰": ("党委书记", "金牛区", "人民北路街道", "五丁社区"),
    "向万军": ("党委书记", "武侯区", "玉林街道", "玉林北路社区"),
    "袁超": ("党委书记", "龙泉驿区", "龙泉街道", "魏家街社区"),
    "廖新燕": ("党委书记", "龙泉驿区", "大面街道", "五星社区"),
    "周兴术": ("党总支书记", "温江区", "和盛镇", "土桥村"),
    "胡志强": ("党支部书记", "崇州市", "江源镇", "红土村"),
}
ROSTER = {
    "谢琪琳": "和美社区", "罗华群": "龙华社区", "李燕": "清泉社区", "黄露": "犀牛社区", "张琴": "天府西路社区",
    "叶强": "平安村", "颜泽菊": "高山村", "韩忠": "青杠树村", "古茜": "金东公益服务中心",
}


@pytest.fixture(scope="module")
def article():
    return load_article(ARTICLE)


def test_all_quoted_speakers_with_their_organisation(article):
    quoted = {s.name: (s.title, s.district, s.street, s.community) for s in article.people if s.quoted}
    assert quoted == QUOTED


def test_street_level_speaker_is_organised_by_street(article):
    shen = next(s for s in article.people if s.name == "沈伟")
    assert shen.community is None and shen.organisation == "大弯街道"


def test_roster_sentence_names_nine_more_secretaries(article):
    named = {s.name: s for s in article.people if not s.quoted}
    assert {n: named[n].community for n in ROSTER} == ROSTER
    # the two keynote speakers of the event paragraph are named, with their own bodies, not quoted
    assert {n: named[n].affiliation for n in set(named) - set(ROSTER)} == {
        "姜晓萍": "四川大学公共管理学院", "王有良": "人民医院"}
    gu = next(s for s in article.people if s.name == "古茜")
    assert (gu.district, gu.street) == ("新都区", None)


def _quote_of(article, name):
    passage = next(p for p in article.passages if p.speaker and p.speaker.name == name and p.kind == "speaker")
    return article.piece(passage.spans), passage


def test_quote_cut_by_photo_caption_is_rejoined(article):
    quote, passage = _quote_of(article, "刘仁富")
    assert "都引导进院落，为居民服务".replace("，", ",") in quote
    assert quote.endswith("让大家积极参与到社区活动中来。")
    assert "书记来支招" not in quote  # the caption stays a passage of its own
    assert len(passage.spans) == 2
    assert any(p.kind == "caption" and "书记来支招" in article.piece(p.spans) for p in article.passages)


def test_quote_cut_by_blank_line_is_rejoined(article):
    quote, _ = _quote_of(article, "袁超")
    assert "建立12支学习团队,让他们对社区有更多的认同感" in quote
    assert quote.endswith("参与建设高品质和谐宜居生活社区。")


def test_quotes_keep_inner_quotation_marks(article):
    quote, _ = _quote_of(article, "刘仁富")
    assert "推行了“党建项目认领制”" in quote  # inner “…” does not end the quote


def test_non_speaker_passages(article):
    kinds = {article.piece(p.spans).split()[0]: p.kind for p in article.passages if p.kind != "speaker"}
    assert kinds["华西社区报记者"] == "byline"
    assert kinds["圆桌论坛"] == "heading"
    assert kinds["获奖街道及社区代表上台领奖。"] == "caption"
    events = [article.piece(p.spans) for p in article.passages if p.kind == "event"]
    assert any("4月12日" in e and "姜晓萍" in e for e in events)


def test_every_chunk_is_source_text_with_offsets(article):
    chunks = chunk_article(article, max_chars=300)
    text = article.text
    for chunk in chunks:
        assert chunk.text == "".join(text[a:b] for a, b in chunk.spans)
        assert chunk.text.strip()
        if len(chunk.spans) == 1:
            assert text[chunk.start:chunk.end] == chunk.text
        else:  # a rejoined quote: one source stretch modulo whitespace, or pieces around a caption
            assert all(text[a:b] in text for a, b in chunk.spans)
    yuan = next(c for c in chunks if c.speaker and c.speaker.name == "袁超")
    squeezed = "".join(text[yuan.start:yuan.end].split())
    assert squeezed == "".join(yuan.text.split())


def test_long_quotes_split_at_sentence_ends_keep_speaker(article):
    chunks = chunk_article(article, max_chars=60)
    qian = [c for c in chunks if c.speaker and c.speaker.name == "钱坤"]
    assert len(qian) > 1
    assert all(c.text.endswith(("。", "?", "!", "？", "！", "；", ";")) for c in qian[:-1])
    assert all(c.speaker.community == "广福社区" for c in qian)
    assert "".join(c.text for c in qian) == _quote_of(article, "钱坤")[0]


def test_embedded_text_carries_context_quoted_text_does_not(article):
    chunk = next(c for c in chunk_article(article) if c.speaker and c.speaker.name == "钱坤")
    assert chunk.context_text.startswith("社区书记 分享先进经验\n天府新区华阳街道广福社区党总支书记钱坤：")
    assert "钱坤" not in chunk.text


def test_an_interview_answer_is_found_by_the_question_it_answers():
    article = parse_article(
        "专访新桥社区党委书记孙明\n\n日前，本报记者专访了海城区东门街道新桥社区党委书记孙明，听他讲治理故事。\n\n"
        "记者：“说事长廊”是怎么运转起来的？\n\n孙明：每周三晚上，居民坐下来把烦心事摆到桌面上。\n\n"
        "记者：老人多，有什么考虑？\n\n孙明：我们组建了互助队。", "interview")
    answers = [c for c in chunk_article(article) if c.kind == "speaker"]
    assert [c.asked for c in answers] == ["记者：“说事长廊”是怎么运转起来的？", "记者：老人多，有什么考虑？"]
    assert "运转" in answers[0].context_text and "运转" not in answers[0].text  # never quoted as his words


def _chunks(text: str, kind: str) -> list:
    return [c for c in chunk_article(parse_article(text, "t")) if c.kind == kind]


def test_the_verb_that_introduces_words_is_searched_not_quoted():
    chunks = _chunks("调研\n\n海城大学公共管理学院教授方文博长期关注社区治理。“协商贵在落实。”方文博说。"
                     "他建议，一是议题要接地气；二是结果要有反馈。\n\n方文博还提醒：“别让年轻人缺席。”", "speaker")
    assert [c.said_as for c in chunks] == ["建议", "提醒"]
    assert "方文博建议：" in chunks[0].context_text and "建议" not in chunks[0].text


def test_passages_carry_the_subheading_they_stand_under():
    events = _chunks("青石巷蹲点日记\n\n【11月3日 晴】\n\n早上八点，我来到青石巷，巷口坐着几位老人。\n\n"
                     "【11月4日 小雨】\n\n雨一下，漏水的事就急了，物业师傅爬上了楼顶。", "event")
    assert [c.section for c in events] == ["【11月3日 晴】", "【11月4日 小雨】"]
    assert events[1].context_text.startswith("【11月4日 小雨】") and "11月4日" not in events[1].text


def test_second_invented_article_parses_with_the_same_rules():
    article = load_article(SECOND_ARTICLE)
    parsed = {s.name: s for s in article.people}
    extra = {n: p for n, p in parsed.items() if n not in {e["name"] for e in SECOND_EXPECTED["speakers"]}}
    assert all(p.affiliation and not p.quoted for p in extra.values())  # keynote speakers named in passing
    for expected in SECOND_EXPECTED["speakers"]:
        s = parsed[expected["name"]]
        assert (s.title, s.district, s.street, s.community, "speaker" if s.quoted else "roster") == (
            expected["title"], expected["district"], expected["street"], expected["community"], expected["kind"])
        quote = "".join(article.piece(p.spans) for p in article.passages if p.speaker == s)
        for phrase in expected["quote_contains"]:
            assert phrase in quote
    byline = next(article.piece(p.spans) for p in article.passages if p.kind == "byline")
    assert SECOND_EXPECTED["byline"]["reporter"] in byline


@pytest.mark.parametrize("content, message", [
    (b"\xff\xfe\x00bad", "not UTF-8"),
    (b"", "empty"),
    (b"\x00\x01\x02binary", "binary file"),
])
def test_bad_files_give_a_clear_error(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(IngestError, match=message):
        load_article(path)


def test_missing_path_and_empty_folder(tmp_path):
    with pytest.raises(IngestError, match="no such file"):
        load_corpus([tmp_path / "nope"])
    with pytest.raises(IngestError, match="no .txt, .md or .html"):
        load_corpus([tmp_path])


def test_text_without_final_newline_or_with_crlf():
    text = "成华区保和街道和美社区党委书记谢琪琳：“社区很好。”\r\n\r\n另一段。"
    article = parse_article(text, "crlf")
    assert article.people[0].name == "谢琪琳"
    assert article.piece(article.passages[0].spans) == "社区很好。"


def test_words_quoted_in_a_numbered_item_stand_under_its_lead():
    text = ("社区工作简报\n\n二、民生服务\n\n"
            "1．“邻里互助站”运营。本月服务居民420人次。\n　　居民孔德全说：“修个水龙头都有人上门，省心多了。”\n\n"
            "2．家门口就业服务。举办招聘会1场。\n\n三、议事协商\n\n"
            "19点整，社区书记钱美玲站起来说：“咱们开始。”\n")  # (a heading ends the item; a time is none)
    said = {c.speaker.name: c.section for c in chunk_article(parse_article(text, "items")) if c.kind == "speaker"}
    assert said["孔德全"] == "二、民生服务 “邻里互助站”运营"
    assert said["钱美玲"] == "三、议事协商"
