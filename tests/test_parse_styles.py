"""The parser on articles in other news styles (written from the genre alone, tests/data/style_*),
checked field by field against their expected records, plus the tricky cases one at a time."""
import json
import logging
from pathlib import Path

import pytest

from parse_report import report
from rag.mention_grammar import FULL_MENTION_RE
from rag.ingest import IngestError, load_article, parse_article

DATA = Path(__file__).parent / "data"
STYLES = ["style_reported_speech.txt", "style_quote_first.txt", "style_feature_expert.txt", "style_web_page.html",
          # a TV script (speakers named in 字幕 captions) and a WeChat roundup (an introduction that
          # ends in a colon, the quote in the next paragraphs)
          "style_tv_news.txt", "style_wechat_roundup.txt",
          # a press conference (answers after 记者： questions) and a survey feature with an expert
          "style_press_qa.txt", "style_survey_feature.txt"]


@pytest.mark.parametrize("name", STYLES)
def test_each_style_parses_to_its_expected_records(name):
    stem = name.rsplit(".", 1)[0]
    r = report(DATA / name, DATA / f"{stem}_expected.json")
    assert r["problems"] == []
    assert r["speakers_found"] == r["speakers_expected"]
    assert r["fields_right"] == r["fields_total"] and r["quote_ends_exact"] == r["quote_ends_total"]
    assert r["headline"] and r["date"]


def test_web_page_boilerplate_is_dropped():
    expected = json.loads((DATA / "style_web_page_expected.json").read_text("utf-8"))
    text = load_article(DATA / "style_web_page.html").text
    assert expected["must_not_contain"] and not any(s in text for s in expected["must_not_contain"])


def _people(text: str) -> dict:
    article = parse_article(text, "t")
    return {p.name: p for p in article.people}, article


def _turns(article) -> list[tuple[str, str]]:
    """(speaker name, words) of every speaker passage, in reading order."""
    return [(p.speaker.name, article.piece(p.spans)) for p in article.passages if p.kind == "speaker"]


def _said(article) -> dict:
    """Speaker name -> the words of their (last) passage."""
    return {p.speaker.name: article.piece(p.spans) for p in article.passages if p.kind == "speaker"}


def _spoken(text: str, doc_id: str) -> dict:
    """Speaker name -> the words of the last passage held as theirs (roster lines too), parsed once."""
    article = parse_article(text, doc_id)
    return {p.speaker.name: article.piece(p.spans) for p in article.passages if p.speaker}


def _all_spoken(article) -> dict:
    """Speaker name -> the words of every passage held as theirs (roster lines too), joined."""
    said: dict[str, str] = {}
    for p in article.passages:
        if p.speaker:
            said[p.speaker.name] = said.get(p.speaker.name, "") + article.piece(p.spans)
    return said


@pytest.mark.parametrize("mention, street, community", [
    ("南溪区新镇街道罗龙社区党总支书记刘洪", "新镇街道", "罗龙社区"),   # 镇 inside a street's name
    ("绵竹市东镇乡红岩村党支部书记谢长林", "东镇乡", "红岩村"),         # 镇 inside a township's name
    ("中江县南街镇玉泉社区党委书记黄丹", "南街镇", "玉泉社区"),         # 街 inside a town's name
    ("罗江区街口镇柏林村党总支书记何永军", "街口镇", "柏林村"),
    ("宜宾市长宁县翠竹乡青龙村党支部书记杨德明", "翠竹乡", "青龙村"),   # a prefecture city before the county
])
def test_towns_and_streets_with_level_words_inside_their_names(mention, street, community):
    match = FULL_MENTION_RE.search(mention)
    assert (match["street"], match["community"]) == (street, community)


def test_speakers_named_in_captions_and_before_a_colon_clause():
    people, article = _people(
        "【解说】主持议事的，是东湖村党支部书记王勇。\n\n"
        "【同期声】（字幕：海城县西岭镇东湖村党支部书记 王勇）“路是大家商量着修的。”\n\n"
        "【同期声】（字幕：东湖村茶叶种植户 李春）“说话有人听，心里舒坦。”\n\n"
        "【同期声】（字幕：海城县委社会工作部部长 赵平）“关键是让群众参与进来。”\n\n"
        "谈起老人，海城县南坡镇上坪村党支部书记吴英有说不完的话：\n\n“吃饭是老人最犯难的事。”")
    said = _said(article)
    assert said == {"王勇": "路是大家商量着修的。", "李春": "说话有人听，心里舒坦。",
                    "赵平": "关键是让群众参与进来。", "吴英": "吃饭是老人最犯难的事。"}
    assert people["王勇"].community == "东湖村"  # never 是东湖村
    assert people["李春"].title == "茶叶种植户" and people["赵平"].affiliation == "海城县委社会工作部"


def test_an_introduction_followed_by_any_word_is_found_by_the_name_speaking_later():
    people, article = _people(
        "协商调研\n\n海城大学公共管理学院教授方文博长期关注社区治理。据方文博介绍，受访居民多数愿意参与。\n\n"
        "市政府新闻办公室副主任周雅琴主持发布会，市农业农村局二级巡视员孙德明出席。\n\n"
        "记者还见到了村务监督委员会主任黄德福。")
    assert people["方文博"].affiliation == "海城大学公共管理学院" and people["方文博"].quoted
    assert people["周雅琴"].title == "副主任" and people["孙德明"].title == "二级巡视员"
    assert people["黄德福"].community is None and people["黄德福"].affiliation == "村务监督委员会"


def test_people_introduced_with_any_word_after_or_no_title_at_all():
    people, article = _people(
        "加梯调查\n\n78岁的退休教师马淑兰扶着扶手爬上6楼。“一趟下来，腿直打颤。”她说。\n\n"
        "马淑兰所在的单元共12户。住在1楼的杨建国投了反对票。“电梯井一立，厨房就暗了。”杨建国说。\n\n"
        "云川市住房和城乡建设局城市更新处处长高远介绍，全市已加装电梯2386部。\n\n"
        "村会计赵建平还记得通车那天。“路修好了，心气也顺了。”赵建平说。")
    said = _said(article)
    assert said["马淑兰"] == "一趟下来，腿直打颤。" and people["马淑兰"].title == "退休教师"
    assert said["杨建国"] == "电梯井一立，厨房就暗了。" and people["杨建国"].title == ""
    assert people["高远"].street is None  # 城乡 of a bureau's name is no township
    assert people["赵建平"].title == "村会计" and said["赵建平"] == "路修好了，心气也顺了。"


def test_narration_is_about_the_person_its_first_sentence_names():
    people, article = _people(
        "新桥社区的议事会\n\n海城区东门街道新桥社区党委书记孙明说，“大家的事大家商量。”\n\n"
        "孙明的办法并不复杂：大事小事都拿到议事会上商量。东门街道党工委书记周岚把这种做法总结为“一商量”。\n\n"
        "傍晚，周岚和孙明一道去了村东头的茶园，查看灌溉管道。")
    about = [p.about.name if p.about else None for p in article.passages if p.kind == "event"]
    assert about == ["孙明", None]  # two people in the opening sentence: about neither


def test_pronoun_and_name_only_mentions_resolve_to_the_person_introduced():
    people, article = _people(
        "海城区东门街道新桥社区党委书记孙明介绍，社区每周开一次院落会。\n\n"
        "他说，“大家的事大家商量。”\n\n在孙明看来，治理要靠居民自己。\n\n孙明表示，下一步要建食堂。")
    quotes = [article.piece(p.spans) for p in article.passages if p.kind == "speaker"]
    assert all(p.speaker.name == "孙明" for p in article.passages if p.kind == "speaker")
    assert quotes == ["社区每周开一次院落会。", "大家的事大家商量。", "治理要靠居民自己。", "下一步要建食堂。"]
    assert people["孙明"].quoted and people["孙明"].street == "东门街道"


def test_quote_first_and_split_quotes_and_a_bare_quote_paragraph():
    _, article = _people(
        "“院子干净了，人心也齐了。”海城区西门街道柳巷社区党委书记周岚说。\n\n"
        "“我们有12个网格，”周岚表示，“每个网格一名党员。”\n\n“有事找网格员。”\n\n周岚介绍，社区还开了食堂。")
    said = _turns(article)
    assert said == [("周岚", "院子干净了，人心也齐了。"), ("周岚", "我们有12个网格，每个网格一名党员。"),
                    ("周岚", "有事找网格员。"), ("周岚", "社区还开了食堂。")]


def test_multi_paragraph_quote_by_convention_skips_a_caption_between():
    _, article = _people(
        "海城区北门街道桃园社区党委书记钱亮：“第一段还没完。\n\n“第二段接着说。\n\n"
        "居民在院坝里议事。\n\n“第三段说完了。”\n\n记者 王一")
    speech = [p for p in article.passages if p.kind == "speaker"]
    assert len(speech) == 1 and article.piece(speech[0].spans) == "第一段还没完。第二段接着说。第三段说完了。"
    assert any(p.kind == "caption" for p in article.passages)


def test_a_short_tail_that_closes_an_open_quote_is_not_a_caption():
    _, article = _people("海城区南门街道竹林社区党委书记吴青：“我们修了一个\n\n文化院坝，让大家有地方聊天。”")
    speech = next(p for p in article.passages if p.kind == "speaker")
    assert article.piece(speech.spans).endswith("文化院坝，让大家有地方聊天。")


@pytest.mark.parametrize("sentence", [
    "此外，海城区东门街道新桥社区党委书记甲乙、海城区西门街道柳巷社区党支部书记郑丙等也作了交流发言。",
    "参加交流的还有海城区东门街道新桥社区党委书记甲乙、海城区西门街道柳巷社区党支部书记郑丙。",
    "出席活动的有海城区东门街道新桥社区党委书记甲乙、海城区西门街道柳巷社区党支部书记郑丙。",
])
def test_roster_sentences_in_several_forms(sentence):
    people, article = _people(sentence.replace("甲乙", "孔乙"))
    assert {n: p.quoted for n, p in people.items()} == {"孔乙": False, "郑丙": False}
    assert [p.kind for p in article.passages] == ["roster", "roster"]


def test_experts_keep_their_own_title_and_body_never_a_secretary():
    people, _ = _people("海城大学公共管理学院教授冯远认为，“社区要给居民留出空间。”")
    expert = people["冯远"]
    assert (expert.title, expert.affiliation, expert.is_secretary) == ("教授", "海城大学公共管理学院", False)
    assert expert.cite == "冯远（海城大学公共管理学院教授）"


def test_an_article_with_no_speaker_is_indexed_as_passages_with_a_warning(tmp_path, caplog):
    path = tmp_path / "brief.txt"
    path.write_text("社区新建了一个广场\n\n5月1日，海城区东门街道新桥社区新建的文化广场正式开放，居民可以在这里跳舞、下棋。", "utf-8")
    with caplog.at_level(logging.WARNING, logger="rag.ingest"):
        article = load_article(path)
    assert [p.kind for p in article.passages] == ["heading", "event"]
    assert article.headline == "社区新建了一个广场" and article.date == "5月1日"
    assert "no quoted speaker" in caplog.text


@pytest.mark.parametrize("content, reason", [
    ("", "empty"), ("<html><body><nav>首页</nav></body></html>", "no article text")])
def test_unusable_files_are_still_errors(tmp_path, content, reason):
    path = tmp_path / ("page.html" if content else "empty.txt")
    path.write_text(content, "utf-8")
    with pytest.raises(IngestError, match=reason):
        load_article(path)


def test_interview_answers_and_speech_said_when_or_where():
    _, article = _people(
        "记者：社区是怎么做的？\n\n海城区东门街道新桥社区党委书记孙明：我们每周开一次院落会。大家的事大家商量。\n\n"
        "孙明在接受采访时表示，下一步要建食堂。\n\n据孙明介绍，社区已有12支志愿队。")
    said = _turns(article)
    assert said == [("孙明", "我们每周开一次院落会。大家的事大家商量。"), ("孙明", "下一步要建食堂。"),
                    ("孙明", "社区已有12支志愿队。")]


def test_meeting_report_conventions():
    people, article = _people(
        "经验交流会\n\n“过去开会，喇叭喊三遍也来不了一半人。”海城县东岭镇杏花村党总支书记王德顺开门见山。"
        "他介绍说，村里推行“积分超市”。\n\n"
        "县农业农村局派驻双河乡青杠村第一书记赵文博认为，治理离不开产业支撑。\n\n"
        "县民政局副局长孙丽萍表示，今年安排专项资金260万元。她同时指出，部分村台账太多。\n\n"
        "县委常委、组织部部长周明远在总结时充分肯定了各地的探索。他要求，一要抓党建；二要减负。")
    said = {}
    for p in article.passages:
        if p.kind == "speaker":
            said.setdefault(p.speaker.name, []).append(article.piece(p.spans))
    # quote first, then who (no verb of saying), and 介绍说 after a pronoun
    assert said["王德顺"] == ["过去开会，喇叭喊三遍也来不了一半人。村里推行“积分超市”。"]
    # a stationed cadre: found after the sending body, which stays on the record, printed first
    assert people["赵文博"].community == "青杠村" and people["赵文博"].label == "县农业农村局派驻双河乡青杠村第一书记"
    assert said["孙丽萍"] == ["今年安排专项资金260万元。部分村台账太多。"]  # 同时指出; each sentence keeps its full stop
    assert said["周明远"] == ["一要抓党建；二要减负。"]  # 他要求，一要…


def test_diary_conventions():
    people, article = _people(
        "蹲点日记\n\n湖南省常德市武陵区府坪街道青石巷社区党委书记陈秀芬正蹲在巷口。\n\n"
        "网格员吴晓燕翻开随身的小本子。\n\n网格员小吴说：“去年我就调解了二十多次。”\n\n"
        "临走时，陈秀芬告诉我，社区还准备办长者食堂。")
    said = _said(article)
    assert (people["陈秀芬"].district, people["陈秀芬"].street) == ("武陵区", "府坪街道")  # province and city dropped
    assert said["吴晓燕"] == "去年我就调解了二十多次。"  # 小吴 confirms the full name printed before
    assert said["陈秀芬"] == "社区还准备办长者食堂。"  # 告诉我: the reporter is 我


def test_self_told_sections_are_their_tellers_words():
    people, article = _people(
        "身边的好书记\n\n市委组织部启动推选活动，评出100名好书记。\n\n"
        "■ 李春华 | 澄川区望江街道滨河社区党委书记\n\n我们社区是老小区，老人占了四成多。我们在每个楼道成立了“楼道议事会”。\n\n"
        "【吴秀兰：汇水县石桥镇桂溪村党支部书记】\n\n2019年我回村当书记时，村集体收入不到8万元。\n\n"
        "编后：好书记的笔记里，记下的都是身边事。")
    said = _said(article)
    assert said == {"李春华": "我们社区是老小区，老人占了四成多。我们在每个楼道成立了“楼道议事会”。",
                    "吴秀兰": "2019年我回村当书记时，村集体收入不到8万元。"}
    assert people["吴秀兰"].community == "桂溪村" and people["李春华"].street == "望江街道"
    events = [article.piece(p.spans) for p in article.passages if p.kind == "event"]
    assert events[0].startswith("市委组织部") and events[-1].startswith("编后")  # the editor's words stay theirs


def test_commentary_conventions():
    people, article = _people(
        "记者观察：老旧小区物业“弃管”之后，谁来接棒？\n\n"
        "家住枫桥南苑7栋的退休工人老孙说：“楼道灯坏了半个月没人修。”在小区租房的外卖骑手小周则说：“有意见不知道找谁。”\n\n"
        "澜江大学社会学院副教授王静怡长期关注城市基层治理。她认为：“根子在于信息不透明。”\n\n"
        "王教授认为，重要的是让居民从旁观者变成当家人。")
    said = _said(article)
    assert article.headline.startswith("记者观察")  # a headline may ask
    assert said["老孙"] == "楼道灯坏了半个月没人修。" and people["老孙"].title == "退休工人"
    assert said["小周"] == "有意见不知道找谁。" and people["小周"].title == "外卖骑手"
    assert people["王静怡"].title == "副教授"  # 王教授 printed later confirms the name
    # a resident known as 老孙 lends no 小/老 forms (小区 is never 小周's)
    assert all(p.about is None or p.about.name != "小周" for p in article.passages if p.kind == "event")


def test_oral_history_and_roundup_conventions():
    people, article = _people(
        "一个村支书的八年治村账\n\n口述：周建华（临川市青岚县白沙镇桂岭村党支部书记）　整理：本报记者 梁晓雯\n\n"
        "编者按：近日，记者请村党支部书记周建华讲述了这段经历。\n\n一、先把路修通\n\n"
        "2016年3月我回村当支书，第一件事就是挨家挨户走，听到最多的一句话是路太烂。\n\n"
        "二、再把账摊开\n\n我们把每一笔收支都贴在村务公开栏上，村民谁都能看。")
    said = [article.piece(p.spans) for p in article.passages if p.kind == "speaker"]
    assert all(p.speaker.name == "周建华" for p in article.passages if p.kind == "speaker") and len(said) == 2
    assert (people["周建华"].street, people["周建华"].community) == ("白沙镇", "桂岭村")  # never 记者请村
    people, article = _people(
        "治村账\n\n70岁的陈秀英每天早上扫村口那段路，她笑着跟我说：“扫地还能换油。”")
    said = _said(article)
    assert said == {"陈秀英": "扫地还能换油。"}  # a pronoun speaking just after confirms the name
    people, article = _people(
        "各地动态\n\n近期各区县推出一批新举措。\n\n"
        "●【东湖区柳荫街道】柳荫街道投入专项资金680万元改造老旧小区。街道党工委书记韩志明说：“由居民说了算。”")
    assert (people["韩志明"].district, people["韩志明"].street, people["韩志明"].title) == ("东湖区", "柳荫街道", "党工委书记")



def test_a_signed_work_log_is_its_authors_account_and_a_reporters_byline_is_not():
    people, article = _people(
        "扶贫手记\n\n作者：罗文涛（县林业局派驻石门村工作队队长）\n\n5月2日　晴\n"
        "上午去四组看核桃林。我和会计算了笔账，今年能多收两成。\n\n"
        "5月9日　雨\n雨大，没出门，把走访本整理了一遍。")
    assert [(p.speaker.name, article.piece(p.spans)[:6]) for p in article.passages if p.kind == "speaker"] == [
        ("罗文涛", "5月2日　晴"), ("罗文涛", "5月9日　雨")]
    people, article = _people("探访手记\n\n作者：唐悦（本报记者）\n\n我走进村口的小卖部，老板正在算账。")
    assert not [p for p in article.passages if p.kind == "speaker"]


def test_a_quote_after_an_unnamed_speakers_colon_is_not_the_next_sentences_subjects():
    people, article = _people(
        "进村第一天\n\n文书吴海波领着我进村。村口有个晒谷子的老太太看了看我，小声说了一句：“城里来的待不久。”"
        "吴海波说那是刘奶奶，今年八十了。")
    assert "吴海波" not in _said(article)


def test_a_transcripts_turns_are_their_speakers_words():
    people, article = _people(
        "圆桌对话｜网格如何服务好居民\n\n主持人：先请王书记介绍一下，网格是怎么划的？\n\n"
        "王立群（东城区长乐街道党工委书记）：我们按300户左右一个网格，划了126个基础网格。\n\n"
        "我们总结叫“一格一员、一员多能”。\n\n"
        "主持人：罗阿姨，您觉得有变化吗？\n\n"
        "罗桂兰（槐树巷社区居民、3号楼楼栋长）：变化大着呢。以前有事得跑居委会。\n\n"
        "王立群：刚才罗阿姨说的，我们也在改。\n\n"
        "采访结束时，网格员小吴正带着两位居民登记意见。")
    said = _turns(article)
    assert said == [("王立群", "我们按300户左右一个网格，划了126个基础网格。"), ("王立群", "我们总结叫“一格一员、一员多能”。"),
                    ("罗桂兰", "变化大着呢。以前有事得跑居委会。"), ("王立群", "刚才罗阿姨说的，我们也在改。")]
    assert (people["王立群"].street, people["王立群"].title) == ("长乐街道", "党工委书记")
    assert people["罗桂兰"].title == "槐树巷社区居民、3号楼楼栋长"  # a resident's description is their title
    assert [p.kind for p in article.passages][1] == "question"  # the host asks; the host's words answer nothing
    # a diary's quoted lines (陈秀芬：“……”) are no turns: the reporter's next paragraph stays the report's
    people, article = _people("蹲点日记\n\n社区党委书记陈秀芬在巷口。\n\n陈秀芬：“小事办不好，就成了大事。”\n\n"
                              "刘建国：“楼顶要重做防水。”\n\n她带我走进3号楼，我看到天花板上一大片水渍。")
    assert [p.kind for p in article.passages][-1] == "event"


def test_a_turns_role_may_come_first_and_a_segment_heading_is_no_turn():
    people, article = _people(
        "问政实录\n\n【第一环节】短片：新路为啥成了搓衣板？\n\n"
        "主持人 方圆：顾局长，这个项目验收是谁签的字？\n\n"
        "顾明辉（青川区住建局局长）：验收把关不严，我们负有直接责任。\n\n"
        "问政代表 宋婉清（市人大代表）：我想追问一句，类似的问题还有没有？\n\n"
        "[主持人]郑晓岚：这条建议很实在。\n\n"
        "市民代表 曹永福（退休工人）：“街巷长”可不能只挂个牌子。")
    said = {p.speaker.name: article.piece(p.spans) for p in article.passages if p.kind == "speaker"}
    assert said == {"方圆": "顾局长，这个项目验收是谁签的字？", "顾明辉": "验收把关不严，我们负有直接责任。",
                    "宋婉清": "我想追问一句，类似的问题还有没有？", "郑晓岚": "这条建议很实在。",
                    "曹永福": "“街巷长”可不能只挂个牌子。"}
    assert "短片" not in people and people["方圆"].title == "主持人"


# Three more articles written later from the genre alone (an interview, a news brief, a narrative
# feature). Their failures were used to fix classes (interview answers, 老秦-style aliases, colon
# clauses, 据…介绍, names before 今/已/多). What still differs: paths the writer inferred from
# context for people whose own line prints none.
# name: (speakers found, expected, fields right at least) — the interview's 7 wrong fields of 20
# are its resident's and volunteer's inferred paths.
HELDOUT = {"heldout_interview.txt": (4, 4, 13), "heldout_brief.txt": (6, 6, 30), "heldout_feature.txt": (5, 5, 19)}


@pytest.mark.parametrize("name", HELDOUT)
def test_later_articles_in_other_styles(name):
    found, expected, fields = HELDOUT[name]
    r = report(DATA / name, DATA / name.replace(".txt", "_expected.json"))
    assert (r["speakers_found"], r["speakers_expected"]) == (found, expected)
    assert r["quote_ends_exact"] == r["quote_ends_total"]
    assert r["fields_right"] >= fields


def test_a_pronoun_speaks_for_the_person_an_age_introduces():
    _, article = _people("长者食堂\n\n“食堂不只是吃饭的地方。”柳岸社区党委书记郑丽华说。"
                         "今年82岁的居民孙秀英几乎每天都来，她笑着说：“饭菜软和。”")
    assert _said(article) == {"郑丽华": "食堂不只是吃饭的地方。", "孙秀英": "饭菜软和。"}


def test_a_headline_above_its_source_line_and_long_numbered_headings():
    _, article = _people("在“小切口”里做“大文章”——典型案例（第三批）\n来源：滨江民政  2024年5月16日\n\n"
                         "【案例一】云溪区青石街道翠湖社区：“三问三访”让老楼加梯不再“卡壳”\n\n"
                         "翠湖社区是典型的老旧小区集中片区，共有居民楼42栋。")
    assert article.headline == "在“小切口”里做“大文章”——典型案例（第三批）"
    kinds = [(p.kind, article.piece(p.spans)[:6]) for p in article.passages]
    assert kinds == [("heading", "在“小切口”"), ("byline", "来源：滨江民"), ("heading", "【案例一】云"), ("event", "翠湖社区是典")]


def test_a_scene_pieces_speakers_named_by_title_colon_or_by_saying_so():
    people, article = _people(
        "议事会现场\n\n话音刚落，一位中年男子举起了手。他叫高明，住在7栋。\n\n"
        "“我不是反对跳舞。”高明嗓门不大，但语速很快，“我晚上要上班。”\n\n"
        "坐在前排的业委会主任吴德华当场表态：“这个钱该花。”\n\n"
        "社区法律顾问黄志远补充了一点：“要遵守规定的时段和音量。”")
    assert _said(article) == {"高明": "我不是反对跳舞。我晚上要上班。", "吴德华": "这个钱该花。",
                              "黄志远": "要遵守规定的时段和音量。"}
    assert (people["吴德华"].title, people["黄志远"].title) == ("业委会主任", "法律顾问")


def test_a_page_with_one_paragraph_per_line():
    _, article = _people(
        "青岚快讯丨杨家坝村“积分超市”开张\n（青岚县融媒体中心 2024-11-22 09:30 编辑：周敏）\n\n"
        "【石桥镇】杨家坝村：小积分兑出文明新风\n本报讯（记者 胡晓丹）11月18日，杨家坝村积分超市开门。\n"
        "据了解，全村386户中已有291户建立了积分档案。\n"
        "村党支部书记陈德福说：“现在大家都愿意来。”\n\n"
        "【同期声】（字幕：石桥村党支部书记 周立群）\n“修路这件事，前后议了三次。”")
    kinds = [(p.kind, article.piece(p.spans)[:4]) for p in article.passages]
    assert kinds[:5] == [("heading", "青岚快讯"), ("byline", "（青岚县"), ("heading", "【石桥镇"),
                         ("event", "本报讯（"), ("event", "据了解，")]
    assert _said(article) == {"陈德福": "现在大家都愿意来。", "周立群": "修路这件事，前后议了三次。"}
    # a script's cue line is no section heading
    assert not any(p.kind == "heading" and article.piece(p.spans).startswith("【同期声】") for p in article.passages)


def test_answers_minutes_and_script_cues():
    # a 问/答 piece: 答： is the turn of the one the lead says answers, and whom they quote keeps their words
    people, article = _people(
        "澄阳市民政局解读养老补贴办法\n\n近日，市民政局印发《办法》。市民政局养老服务处处长周明远接受采访，对《办法》进行了解读。\n\n"
        "问：哪些老年人可以享受补贴？\n答：补贴对象分为三类：\n一是特困供养家庭中的老年人；\n二是失能老年人。\n\n"
        "问：试点效果怎样？\n答：我们选了12个社区先行试点。青石社区党委书记韩晓梅说：“现在吃完饭顺路就把血压测了。”")
    said = _turns(article)
    assert said == [("周明远", "补贴对象分为三类：\n一是特困供养家庭中的老年人；"), ("周明远", "二是失能老年人。"),
                    ("周明远", "我们选了12个社区先行试点。"), ("韩晓梅", "现在吃完饭顺路就把血压测了。")]
    # an FAQ whose lead asks someone to answer (请…叶晓岚就大家关心的问题作出解答): 答： is theirs
    people, article = _people(
        "志愿者招募启事\n\n社区党委书记王建国表示，欢迎居民踊跃报名。\n\n八、常见问题解答\n我们请项目负责人、望溪社区党委副书记叶晓岚就大家关心的问题作出解答。\n\n"
        "问：上班族可以报名吗？\n答：可以，周末、晚上都行。\n\n问：积分会过期吗？\n答：不会，积分长期有效。")
    assert _turns(article)[-2:] == [("叶晓岚", "可以，周末、晚上都行。"), ("叶晓岚", "不会，积分长期有效。")]
    # minutes: 名字（职务） introduces, and a verb of opinion takes its clause with no comma
    people, article = _people("石桥村村民代表会议纪要\n\n参会人员：郑玉兰（村党总支副书记）、冯志强（村委会副主任）\n\n"
                              "关于收费标准，与会人员意见不一。冯志强认为每餐收费4元比较合适。")
    assert people["冯志强"].title == "村委会副主任" and _said(article) == {"冯志强": "每餐收费4元比较合适。"}
    # a broadcast cue closes its bracket right before who speaks
    _, article = _people("积分小本本\n\n【同期声】杏花村党支部书记 李德厚：细则不是村干部关起门来定的。")
    assert _said(article) == {"李德厚": "细则不是村干部关起门来定的。"}


def test_a_speech_and_signed_letters_are_their_authors_words():
    people, article = _people(
        "以“小积分”撬动“大治理”\n——桐安县青溪镇柳塘村党支部书记 周建华在全县乡村振兴工作会议上的发言\n来源：桐安组工\n\n"
        "尊敬的各位领导：\n\n大家好！我是青溪镇柳塘村党支部书记周建华。\n\n一、定好规矩\n\n我们把积分分为五大类。")
    assert {article.piece(p.spans) for p in article.passages if p.kind == "speaker" and p.speaker.name == "周建华"} \
        == {"尊敬的各位领导：大家好！我是青溪镇柳塘村党支部书记周建华。", "我们把积分分为五大类。"}
    assert (people["周建华"].street, people["周建华"].community) == ("青溪镇", "柳塘村")   # never 我是青溪镇
    people, article = _people(
        "民生来信\n\n编者按：本期选登两封来信，我们请相关部门作了回复。\n\n电梯停运三个月\n\n编辑同志：\n\n我是翠湖花园6栋的业主，电梯坏了三个月。\n\n"
        "读者　刘建军（临江区翠湖花园小区业主）\n\n回复：\n\n刘建军同志：您好！我们5月8日到6栋做了实地查看。\n\n"
        "临江区住建局物业科科长　黄立新\n\n老年食堂关了门\n\n我和老伴住了三十多年，现在只能自己做饭。\n\n一位南湖社区的老住户")
    said = _turns(article)
    assert said == [("刘建军", "编辑同志：我是翠湖花园6栋的业主，电梯坏了三个月。"),
                    ("黄立新", "回复：刘建军同志：您好！我们5月8日到6栋做了实地查看。"),
                    ("一位南湖社区的老住户", "我和老伴住了三十多年，现在只能自己做饭。")]
    assert people["黄立新"].title == "科长" and people["刘建军"].title == "临江区翠湖花园小区业主"


def test_each_script_cue_opens_its_own_paragraph():
    _, article = _people("积分小本本\n\n【字幕】杏花村共有412户1526人，2022年3月起推行积分制管理\n"
                         "【解说】积分怎么挣、怎么扣，村里先后开了9次村民代表会议。\n"
                         "【同期声】杏花村党支部书记 李德厚：细则是大伙儿一条一条商量出来的。")
    assert [article.piece(p.spans)[:4] for p in article.passages if p.kind == "event"] == ["【字幕】", "【解说】"]
    assert _said(article) == {"李德厚": "细则是大伙儿一条一条商量出来的。"}


@pytest.mark.parametrize("top", ["——在全区基层治理工作推进会上的交流发言\n城东街道幸福社区党委书记 王丽华",
                                 "——在全区基层治理工作推进会上的交流发言\n\n城东街道幸福社区党委书记 王丽华"])
def test_a_speech_whose_subtitle_names_no_one_is_its_speakers(top):
    people, article = _people(f"用心用情办好小事\n{top}\n\n各位领导：\n\n我们社区有居民4200户。\n\n"
                              "一、听民声\n\n我们每周三开议事会，一年开了48场。")
    assert article.headline == "用心用情办好小事"
    assert [p.speaker.name for p in article.passages if p.kind == "speaker"] == ["王丽华", "王丽华"]
    assert people["王丽华"].community == "幸福社区"


def test_a_speaker_described_after_the_quote_or_named_again_as_this_judge():
    _, article = _people("十件实事\n\n“现在电梯一按就到。”家住南塘小区12栋的72岁居民王秀英笑着说。\n\n"
                         "在调解员孙德海看来，调解讲究“情理法”结合。这位退休法官说：“调解不是和稀泥。”")
    said = _said(article)
    assert said["王秀英"] == "现在电梯一按就到。" and said["孙德海"].endswith("调解不是和稀泥。")


def test_people_named_by_their_trade_and_no_name_from_lian_dou():
    people, article = _people("驿站\n\n骑手赵磊已经当了一年多网格员。他说，以前觉得社区的事跟自己没关系，“现在也有个落脚的地方”。\n\n"
                              "租户连业主群都进不去，有事只能找网格员。")
    assert "现在也有个落脚的地方" in _said(article)["赵磊"]
    assert "连业" not in people   # 连…都 is "even", not a surname


def test_a_records_fields_are_facts_each_on_their_own():
    _, article = _people("石桥村村民代表会议纪要\n\n发布单位：石桥村村民委员会\n\n会议时间：2025年8月14日上午9:00\n"
                         "会议地点：石桥村党群服务中心二楼会议室\n主持人：吴建华（村党总支书记、村委会主任）")
    kinds = [(p.kind, article.piece(p.spans)[:4]) for p in article.passages if p.kind != "roster"]
    assert kinds == [("heading", "石桥村村"), ("event", "发布单位"), ("event", "会议时间"), ("event", "会议地点"), ("event", "主持人：")]


def test_a_notices_named_values_are_facts_and_a_dated_signature_signs_the_letter():
    people, article = _people(
        "村务公开栏\n\n二、集体经济收支情况公示\n\n（一）收入合计：132.30\n1.土地发包收入：36.80\n2.厂房出租收入：28.50\n\n"
        "四、监督电话\n\n镇纪委：0576-88612203\n县政务服务热线：12345\n\n五、村两委致村民的一封信\n\n"
        "亲爱的乡亲们：新一届班子已经选出来了，我们一定把村里的账管好。\n\n"
        "石桥村党支部书记、村委会主任  许长根\n2026年3月20日")
    pieces = [(p.kind, article.piece(p.spans)) for p in article.passages]
    assert ("event", "1.土地发包收入：36.80") in pieces and ("event", "（一）收入合计：132.30") in pieces
    assert ("event", "县政务服务热线：12345") in pieces      # a field runs on into nothing after it
    assert _said(article) == {"许长根": "亲爱的乡亲们：新一届班子已经选出来了，我们一定把村里的账管好。"}
    assert people["许长根"].title == "党支部书记、村委会主任"


def test_an_election_notice_lists_each_post_and_its_holders():
    people, _ = _people(
        "换届选举结果公示\n\n经确认，当选人员如下：\n\n村民委员会副主任：林秀芬（女，得票1710票）\n"
        "村民委员会委员：许志强（得票1655票）、陈小娟（女，得票1603票）\n\n"
        "同日选举产生村务监督委员会：\n主    任：黄福全（得票1544票）\n委    员：许红梅（女，得票1497票）\n\n"
        "公示期：2026年3月20日至3月26日。")
    assert {n: p.title for n, p in people.items()} == {
        "林秀芬": "村民委员会副主任", "许志强": "村民委员会委员", "陈小娟": "村民委员会委员",
        "黄福全": "村务监督委员会主任", "许红梅": "村务监督委员会委员"}


def test_a_report_read_out_to_its_audience_is_its_speakers_past_the_subheadings():
    _, article = _people(
        "望湖社区党委书记2024年度述职报告\n\n青禾区柳塘街道望湖社区党委书记、居委会主任 沈雅琴\n\n"
        "各位党员、居民代表：一年来，我和班子成员围绕居民关心的事开展工作。\n\n一、履职情况\n\n"
        "（一）抓民生。我们完成了雨污分流管网改造2.3公里。\n\n二、下一步打算\n\n我将重点抓好四件事。")
    said = _turns(article)
    assert [name for name, _ in said] == ["沈雅琴"] * 3 and said[-1][1] == "我将重点抓好四件事。"


def test_a_comment_section_is_each_commenters_words_and_a_trailing_quote_is_the_speakers():
    people, article = _people(
        "停车位“抢”了三年\n\n江岸街道城管办主任谭凤英介绍，街道协调了专项资金。“我们要求施工不能减少绿地总量。”\n\n"
        "“拆地锁是最难的一步。”物业项目经理葛志伟回忆，有的业主很抵触。\n\n"
        "物业经理孙浩坐在最后一排，被点了名。\n\n热门评论\n\n"
        "@梧桐树下的猫\nIP属地：云川\n积分轮换听起来不错，但是没车的住户能分到啥好处？\n赞 156\n\n"
        "@青梧社区（官方）\nIP属地：云川\n回复 @梧桐树下的猫：没有车的住户积累的积分可以兑换生活用品。\n赞 211")
    said = _said(article)
    assert said["梧桐树下的猫"] == "积分轮换听起来不错，但是没车的住户能分到啥好处？"
    assert said["青梧社区（官方）"] == "没有车的住户积累的积分可以兑换生活用品。"      # the reply, without whom it answers
    assert "我们要求施工不能减少绿地总量。" in said["谭凤英"]                       # the quote after her reported words
    assert people["葛志伟"].title == "物业项目经理" and "孙浩" in people                # (not 孙浩坐)


def test_each_person_keeps_the_words_the_article_introduces_them_with():
    people, _ = _people(
        "电梯通了\n\n“现在电梯一按就到，腿脚不好也敢出门了。”家住南塘小区12栋的72岁居民王秀英笑着说。\n\n"
        "社区党委书记刘建明说：“食堂由社区提供场地。”")
    assert people["王秀英"].intro == "家住南塘小区12栋的72岁居民王秀英笑着说"
    assert people["刘建明"].intro == ""   # title and name say all the article says of him


def test_a_numbered_explainers_question_is_no_evidence_and_its_answer_carries_it():
    from rag.chunk import chunk_article

    article = parse_article("一问一答｜养老新政\n\n问3：补贴标准是多少？怎么发放？\n\n"
                            "答：按评估结果分三档，补贴以服务券形式每月1日发放。\n\n问4：怎么申请？\n\n答：向社区居委会提出申请。", "t")
    chunks = chunk_article(article)
    assert [c.kind for c in chunks][1:] == ["question", "event", "question", "event"]
    assert chunks[2].asked == "问3：补贴标准是多少？怎么发放？" and "怎么发放" in chunks[2].context_text


def test_a_person_named_as_taking_a_post_is_recorded():
    people, _ = _people("实施方案\n\n成立领导小组，由望湖街道党工委书记何建平任组长，办事处主任孟立新兼任副组长。")
    assert people["何建平"].title == "党工委书记" and people["孟立新"].title == "办事处主任"


def test_a_hosts_turns_and_a_listeners_call_are_each_theirs():
    text = ("《民生热线》节目实录\n\n主持人：林晓\n嘉宾：河西区民政局局长　马国强\n\n"
            "主持人：听众朋友们好，今天我们请来了马国强局长。我们先接一个电话。\n\n"
            "听众张女士：主持人好，我家老人住5楼，我们想问问助餐点在哪里？\n\n"
            "马国强：张女士您好，我们在每个社区都设了助餐点，我们下周就公布名单。\n\n"
            "尾号2231的听众：我想问问补贴什么时候发？\n\n"
            "马国强：我们这个月底前发到卡上。\n\n"
            "主持人：谢谢马局长！我们下期再见。")
    turns = _turns(parse_article(text, "radio"))
    assert [name for name, _ in turns] == ["林晓", "听众张女士", "马国强", "尾号2231的听众", "马国强", "林晓"]


def test_a_quote_after_the_one_person_a_paragraph_introduces_is_theirs():
    text = ("便民大集回顾\n\n家住枫林苑5栋的82岁居民胡桂英是大集的“老主顾”。“我腿脚不方便，现在在家门口就能理发。”\n\n"
            "在附近上班的居民周子航建议增设路灯。“没想到一个多月路灯就装好了。”\n\n"
            "社区还设了“红色驿站”。")
    turns = _turns(parse_article(text, "fair"))
    assert [name for name, _ in turns] == ["胡桂英", "周子航"]


def test_a_list_its_first_line_announces_is_content_not_a_heading():
    from rag.paragraphs import classify

    assert classify("近年来，杏花岭村先后获得以下荣誉：\n——2018年  省级美丽乡村\n——2021年  全国乡村治理示范村") == "text"


def test_a_report_read_out_is_its_speakers_throughout_first_person_or_not():
    text = ("青枫街道办事处工作报告\n——在青枫街道居民代表大会上 街道办事处主任 沈立航\n（2025年1月16日）\n\n各位代表：\n\n"
            "现在，我代表街道办事处向大会报告工作。\n\n一、工作回顾\n\n一是深化“红色网格”建设。将辖区8个社区划分为126个网格，每格配专职网格员1名。")
    turns = _turns(parse_article(text, "report"))
    assert [name for name, _ in turns] == ["沈立航", "沈立航"] and "126个网格" in turns[-1][1]


def test_a_lists_items_are_content_each_whole():
    from rag.paragraphs import classify, split_units

    assert classify("● 80周岁以上高龄老人21.3万人") == "text" and classify("▶ 为什么出台") == "heading"
    text = "一图读懂\n\n▶ 为什么出台\n● 全市老年人142.6万人\n● 独居老人约9.7万人\n\n▶ 主要目标\n● 建成设施120个"
    assert sum(kind == "text" for kind, _, _ in split_units(text)) >= 3


def test_a_post_of_the_village_with_its_name_left_out_and_an_adverb_before_it():
    match = FULL_MENTION_RE.search("会上，村党总支书记、村委会主任冉德明首先代表两委班子述职")
    assert (match["name"], match["title"], match["community"]) == ("冉德明", "村党总支书记、村委会主任", None)
    match = FULL_MENTION_RE.search("，随后村委会副主任欧阳丽介绍")
    assert (match["name"], match["community"], match["title"]) == ("欧阳丽", None, "村委会副主任")  # no 随后村


def test_reported_sentences_keep_their_full_stops_and_a_verb_inside_one_is_said_once():
    said = _spoken("座谈会\n\n镇党委副书记龙跃新认为，积分兑换要常换常新，他建议县里每年安排专项资金。"
                   "他建议，把积分超市开到每个组。", "reported")
    assert said["龙跃新"] == "积分兑换要常换常新，他建议县里每年安排专项资金。把积分超市开到每个组。"


def test_a_familiar_name_the_report_spells_out_is_that_person():
    said = _spoken("驻村笔记\n\n刘婶拉着我的手说：“屋顶又漏了。”\n\n后来，刘婶——也就是刘翠兰老人——搬进了新房。"
                   "她说：“这回住得踏实。”\n\n老邓全名叫邓志国，他说：“路通了就好。”\n\n"
                   "返乡大学生龚磊来找我。他说：“我想开网店卖茶叶。”后来由龚磊负责网店。", "diary")
    assert said.get("刘翠兰", "").startswith("这回住得踏实") and "刘婶" not in said
    assert "邓志国" in said and "龚磊" in said and "龚磊来" not in said
    said = _spoken("回头看\n\n“月底前完工。”街道城管科科长滕敏承诺：“两周内清理占道摊点。”\n\n"
                   "滕敏告诉记者，摊点已清理17个。", "followup")
    assert "滕敏" in said and "滕敏承" not in said


def test_minutes_call_people_by_surname_and_post_and_a_colon_takes_its_line():
    text = ("联席会议纪要\n\n参会人员：任国峰（鑫安物业项目部经理）、郝丽君（业委会副主任）、"
            "卜文涛（社区居民代表）\n\n二、关于车库渗水\n"
            "任经理介绍：渗水主要因防水层老化。维修约需12万元。\n郝副主任提出：表决宜线上线下结合。\n"
            "卜文涛反映：夜里车库灯不亮。\n")
    article = parse_article(text, "minutes")
    said = _all_spoken(article)
    assert said["任国峰"].startswith("渗水主要因防水层老化。维修约需12万元")  # the whole line, past its full stop
    assert said["郝丽君"].startswith("表决宜") and said["卜文涛"].startswith("夜里车库灯不亮")
    assert not [p for p in article.people if p.name in ("任经理", "郝副主任")]


def test_a_profiles_subtitle_verb_is_no_part_of_the_place():
    match = FULL_MENTION_RE.search("一个社区的十五年\n——记青禾区北关街道桃园社区党委书记严冬梅\n")
    assert (match["district"], match["name"]) == ("青禾区", "严冬梅")
    match = FULL_MENTION_RE.search("——记者整理：石门县青石镇党委书记郑海峰")
    assert match["district"] == "石门县"


def test_a_column_signs_each_first_person_piece_with_a_bracketed_line():
    text = ("【乡音】\n\n编者按：本期刊发两位读者来稿。\n\n————\n\n院坝里的课堂\n\n我退休后在村里办了个课堂，每周六开课。\n\n"
            "（龙德明　退休教师）\n\n————\n\n回村种茶\n\n我2021年回村，先开了院坝会。\n\n（舒晓航　返乡青年）\n")
    said = _all_spoken(parse_article(text, "column"))
    assert said.get("龙德明", "").startswith("我退休后") and said.get("舒晓航", "").startswith("我2021年回村")


def test_one_of_a_family_named_by_their_place_in_it_speaks_as_themselves():
    text = ("一套老宅的心结\n\n口述：饶春兰（某社区人民调解委员会主任）\n\n"
            "补偿款还没到账，家里先吵开了。老大宁国栋认为，当年是他出钱翻修的：“没有我这笔钱，房子早塌了。”\n")
    said = _all_spoken(parse_article(text, "oral"))
    assert "没有我这笔钱" in said.get("宁国栋", "") and "没有我这笔钱" not in said.get("饶春兰", "")


def test_narration_is_about_its_first_sentences_subject_though_someone_else_speaks_after():
    article = parse_article("网格故事\n\n村党总支书记庞国栋介绍了网格的做法。\n\n今年4月，网格员谷小梅在走访中发现独居老人家中电线老化，"
                            "当天联系电工换了线路。庞国栋说：“网格员就是村里的活地图。”\n", "grid")
    events = [p for p in article.passages if p.kind == "event" and "电线老化" in article.piece(p.spans)]
    assert events and events[0].about is not None and events[0].about.name == "谷小梅"


def test_a_sections_author_line_makes_the_section_theirs_up_to_the_next_heading():
    text = ("提案摘编\n\n一、关于老旧小区物业全覆盖的建议\n\n提案人：区政协委员、恒信律师事务所主任　王立峰\n\n"
            "【现状】全区现有老旧小区146个，其中没有物业服务企业的58个，投诉集中。\n\n"
            "二、关于为社区减负的建议\n\n提案人：民盟临澜区委会\n\n【现状】全区社区平均承担各类工作事项87项，挂牌最多的达23块。")
    turns = _turns(parse_article(text, "proposals"))
    assert [name for name, _ in turns] == ["王立峰"] and "146个" in turns[0][1]


@pytest.mark.parametrize("text, name", [
    ("桂园社区党委书记何秀娟扎根社区21年，带领社区总结出“楼栋长+”工作法。", "何秀娟"),
    ("我就请柳岸社区党委书记孟春华牵头，本月内到5栋开一次协调会。", "孟春华"),
    ("北塘社区退休教师邓国平自2019年起带领32名志愿者组成护学岗。", "邓国平"),
    # (who spoke first, and a village group's representative: 代表 alone would be a verb)
    ("第四村民小组代表冉德高第一个举手发言。", "冉德高"),
    # (a village group by its name, and their household after the name)
    ("上坝组村民黎小琴家的院坝成了议事点。", "黎小琴"),
    # (a village's work post: 报账员, 信息员, 专干)
    ("村报账员覃玉兰翻开台账逐项解释。", "覃玉兰"),
])
def test_a_full_mention_followed_by_what_they_do_names_the_person(text, name):
    from rag.attribution import mentions

    assert [m.person.name for m in mentions(text, {}, "d", lambda m: None) if m.person] == [name]


def test_an_age_before_a_name_printed_again_introduces_the_person():
    text = ("记者手记\n\n85岁的潘桂英老人住在五组，儿女都在外省打工。我去她家时，她正坐在门槛上剥玉米。\n\n"
            "“以前一个人住，半夜心慌也没人晓得。”潘桂英拉着我的手，指着墙上一个红色的按钮，“现在一按，小燕就来了。”")
    assert "潘桂英" in {name for name, _ in _turns(parse_article(text, "column"))}


@pytest.mark.parametrize("paragraph, words", [
    ("正如社区党委书记王芳所说，“群众的事没有小事。”", "群众的事没有小事"),
    ("“先把账算清楚。”社区党委书记王芳一边翻着台账一边说。", "先把账算清楚"),
    ("记者见到社区党委书记王芳时，她正在楼道里贴通知。“这个月要开三次议事会。”她说。", "这个月要开三次议事会"),
    ("用社区党委书记王芳的话说，“小事不出楼栋，大事不出社区。”", "小事不出楼栋"),
    ("王芳（桂园社区党委书记）说，今年将新建3个议事点。", "今年将新建3个议事点"),
    ("社区党委书记王芳告诉笔者，今年要新建3个议事点。", "今年要新建3个议事点"),
])
def test_common_ways_of_giving_someones_words_are_theirs(paragraph, words):
    article = parse_article("标题\n\n" + paragraph + "\n\n社区还开了会，居民很满意，大家都说好。", "t")
    assert [(name, said) for name, said in _turns(article) if words in said] and all(
        name == "王芳" for name, _ in _turns(article)), _turns(article)


def test_a_podcasts_guest_list_and_timestamped_turns_make_each_guest_a_speaker():
    text = ("【基层有声】第9期｜楼里的事谁拍板\n\n节目信息\n主播：林夕\n嘉宾：\n"
            "贺春兰　东湖区柳岸街道青石社区党委书记、居委会主任\n陆知远　桐安大学公共管理学院副教授，长期从事社区研究\n\n"
            "[00:00]\n主播 林夕：欢迎收听，先请两位打个招呼。\n\n"
            "贺春兰：大家好，我是贺春兰，在社区干了十一年了。\n\n"
            "[08:30]\n主播 林夕：陆老师，这种议事的短板在哪？\n\n"
            "陆知远：短板嘛，一个是容易变成楼长一个人说了算。")
    people, article = _people(text)
    assert people["贺春兰"].community == "青石社区" and people["陆知远"].title.endswith("副教授")
    assert [name for name, _ in _turns(article)] == ["林夕", "贺春兰", "林夕", "陆知远"]
    from rag.chunk import chunk_article
    # the host's question is searched with the reply it gets, never with the host's next words
    reply = next(c for c in chunk_article(article) if c.speaker and c.speaker.name == "陆知远")
    assert "短板在哪" in reply.context_text
    welcome = next(c for c in chunk_article(article) if c.speaker and c.speaker.name == "贺春兰")
    assert "短板" not in welcome.context_text


def test_chat_screenshots_are_their_posters_words_by_the_name_the_report_resolves():
    text = ("一个业主群如何吵出一份公约\n\n3月11日晚，业主群里出现了一段视频。\n\n"
            "【群聊截图】张阿姨（3栋）：这是谁家的车？人命关天的事！\n\n"
            "【群聊截图】昵称“老陈”：又是外面的车。\n\n"
            "【群聊截图】昵称“橙子妈”：说句公道话，业主自己的车都停不下。\n\n"
            "记者了解到，“张阿姨”是3栋居民张秀芳；“老陈”是11栋的陈国栋。\n\n"
            "【群聊截图】网格员许婷婷：各位邻居，车已挪走。\n\n"
            "## 标题：不是谁的话")
    turns = _turns(parse_article(text, "chat"))
    # an unresolved nickname is cited as printed; a post before a name is the post
    assert [name for name, _ in turns] == ["张秀芳", "陈国栋", "橙子妈", "许婷婷"]
    assert _people(text)[0]["许婷婷"].title == "网格员"


def test_a_quote_before_a_described_resident_is_theirs():
    text = ("食堂开张\n\n6月18日，食堂开业。“儿子在外地，以前懒得开火。”独居老人李福来说。\n\n"
            "为化解低层住户的顾虑，社区推行“一梯一议”。“以前下一趟楼要歇三回。”枫林苑6栋居民宋桂芝说。")
    said = _said(parse_article(text, "d"))
    assert said["李福来"].startswith("儿子在外地") and said["宋桂芝"].startswith("以前下一趟楼")
    assert _people(text)[0]["宋桂芝"].title == "枫林苑6栋居民"


def test_a_short_quote_with_its_speaker_is_no_photo_caption():
    from rag.paragraphs import classify

    assert classify("电梯装好了。“以前下一趟楼要歇三回。”6栋居民宋桂芝说。") == "text"
    assert classify("居民在新装的电梯前合影。") == "caption"


def test_a_post_and_its_holders_listed_in_a_sentence_are_records():
    people, _ = _people("村史馆解说词\n\n大家请看这面展墙，上面列出的历任村党支部书记依次是：孟长林、王成礼、韦德福。\n\n"
                        "2015年，县农业农村局派驻第一书记范志诚进村，带来了新路子。")
    assert people["王成礼"].title.endswith("村党支部书记") and "孟长林" in people
    assert people["范志诚"].title.endswith("第一书记")


@pytest.mark.parametrize("name", ["洪建国", "傅德庆", "赖小梅", "萧德山"])
def test_common_surnames_make_names(name):
    from rag.lexicon import is_name

    assert is_name(name)


def test_a_profiles_section_heading_names_whom_the_section_is_about():
    text = ("记杏花社区网格员团队\n\n这支队伍人不多，事却不少。\n\n二、“铁娘子”刘春燕：调解就是把两边的话都听完\n\n"
            "刘春燕今年44岁，做网格员已经7年。她负责的第三网格是商住混合区。")
    people, article = _people(text)
    assert "刘春燕" in people
    assert any(p.about and p.about.name == "刘春燕" for p in article.passages if p.kind == "event")
    assert "刘" not in _people("会议纪要\n\n二、会议议程：听取汇报\n\n会议议程由办公室拟定。")[0]


@pytest.mark.parametrize("snippet, name, title, affiliation", [
    ("，中心主任邓晓燕坦言，", "邓晓燕", "主任", "中心"),               # the body just described, by its kind
    ("，柳湾镇卫生院院长马志强介绍，", "马志强", "院长", "卫生院"),       # a township health centre
    ("，县民政局副局长孙海涛接过话题说，", "孙海涛", "副局长", "县民政局"),  # takes up the topic
    ("。县人大代表、石桥镇卫生院护士长刘春梅问道。", "刘春梅", "护士长", "卫生院"),
    ("，柳湾镇黄家湾村党总支书记黄建平注意到，", "黄建平", "党总支书记", None),
])
def test_staff_of_a_body_named_by_its_kind_are_introduced(snippet, name, title, affiliation):
    from rag.introductions import introductions

    found = [(m["name"], m["title"], m["affiliation"]) for m in introductions(snippet)]
    assert found == [(name, title, affiliation)]


def test_what_the_report_says_after_a_quote_is_searched_with_it():
    from rag.chunk import chunk_article

    text = ("村规民约\n\n争议最大的是彩礼条款。“规定死一个数，家家情况不一样，硬杠杠不好执行。”村民代表黄德贵当时投了反对票。"
            "村“两委”又回到各组听意见。")
    theirs = [c for c in chunk_article(parse_article(text, "r")) if c.speaker and c.speaker.name == "黄德贵"]
    assert theirs and "投了反对票" in theirs[0].context_text and "投了反对票" not in theirs[0].text


def test_a_memorial_subtitles_verb_is_no_part_of_the_place():
    text = ("他把生命留在了杨家坳\n——追记青峰县石门镇杨家坳村原党支部书记杨树林\n\n"
            "2024年7月16日凌晨，石门镇杨家坳村党支部书记杨树林在组织群众转移途中不幸殉职。")
    assert _people(text)[0]["杨树林"].district == "青峰县"


def test_a_sentences_words_before_a_place_are_no_part_of_its_district():
    text = ("晒晒红黑榜\n\n“黑榜上挂号，见人脸发烧。”这句顺口溜，如今在青溪县柳湾镇石桥村几乎人人会说。\n\n"
            "“红黑榜不是为了让谁难堪。”石桥村党支部书记孙卫东说。")
    assert _people(text)[0]["孙卫东"].district == "青溪县"


def test_a_post_between_a_known_name_and_the_verb_does_not_hide_who_spoke():
    text = ("接待日记录\n\n值班代表：\n马国栋　区人大代表，望湖街道人大工委主任\n\n"
            "代表答复：马国栋代表认为，早市方便了周边居民，关键是疏堵结合。他建议将早市整体迁至闲置停车场。")
    assert "疏堵结合" in _said(parse_article(text, "l"))["马国栋"]


def test_a_village_committees_own_post_after_a_bare_village_names_its_holder():
    people = _people("禁烧通知\n\n咱村成立了4个禁烧巡查组，由村治保主任张铁柱带队，白天黑夜轮流在地头转。")[0]
    assert people["张铁柱"].title == "村治保主任"


def test_names_listed_after_one_post_share_it():
    people = _people("签名仪式\n\n仪式上，党员蔡明远、方静、谭家豪作为首批倡议人签名。")[0]
    assert people["方静"].title == "党员" and people["谭家豪"].title == "党员"


def test_a_numbered_building_before_a_post_is_part_of_it():
    people = _people("签名仪式\n\n仪式上，3栋楼栋长胡秀英、11栋楼栋长宋建国作为首批倡议人签名。")[0]
    assert people["胡秀英"].title == "3栋楼栋长" and people["宋建国"].title == "11栋楼栋长"


@pytest.mark.parametrize("text, name, words", [
    # a name followed by how they took part (全程) is a person, and 他说 is theirs
    ("停车公约\n\n望湖街道城管科科长卢振华全程参与了表决监督。“公约不是法律，但它管用。”他说。", "卢振华", "公约不是法律"),
    # a heading ends a line left unfinished, so a preface signed below it is its signer's
    ("2025年枫林社区十件大事\n\n原创　枫林社区　枫林社区微家园　2025年12月30日 18:06\n\n【写在前面】\n\n"
     "2025年，是枫林社区提速的一年。这一年，我们走访居民4300余户。\n\n"
     "——枫林社区党委书记、居委会主任　陈慧敏\n\nNO.1\n加装电梯12部\n\n4月起，电梯陆续投用。", "陈慧敏", "2025年，是枫林社区提速的一年"),
    # 这位68岁的退休工人说: a plain word for a person speaks as the one just named
    ("停车新规\n\n晚上八点，杉林小区3号楼前，居民傅德庆把车稳稳停进一个刚刷过白线的车位。"
     "“以前这个点回来，转三圈都找不到位置。”这位68岁的退休工人说，现在小区里再也看不到一把地锁了。", "傅德庆", "以前这个点回来"),
    # how someone spoke (哽咽着说) does not hide who spoke
    ("追记\n\n凌晨3时许，他把五组独居老人背到安置点后，又折返去看张有福家。\n\n"
     "“我是被他一步一步背出来的。他把我放下，说还要回去看看老张家。”77岁的村民王德贵哽咽着说。", "王德贵", "我是被他一步一步背出来的"),
    # a quotation whose speaker the next paragraph names (说这番话的，是…) is theirs
    ("追记\n\n九年间，村里新修了3座蓄水池。\n\n“树林书记开会从不超过一个小时，有事就到院坝里说。”\n\n"
     "说这番话的，是驻村第一书记何静。2021年，她从县农业农村局派驻到村里。", "何静", "树林书记开会从不超过一个小时"),
])
def test_whose_words_by_how_the_report_marks_them(text, name, words):
    assert _said(parse_article(text, "t"))[name].startswith(words)


def test_a_quote_announced_with_a_colon_is_its_sentences_subjects():
    people, article = _people(
        "走访慰问\n\n本报讯 县委书记谭立诚来到桐子湾村。肢体残疾的曾小龙靠编竹篮开起了网店。"
        "谭立诚拿起一盏竹灯笼端详了好一会儿，笑着说：“手艺好，路子也对。”曾小龙说，他打算年后招两个徒弟。")
    said = dict(_turns(article))
    assert said.get("谭立诚") == "手艺好，路子也对。", _turns(article)   # the colon's subject, not who comes after
    assert "曾小龙" in said
    assert "小龙" not in people          # the end of 曾小龙 is no one's familiar name


def test_a_quoted_term_the_sentence_runs_on_from_is_no_quote_of_its_own():
    people, article = _people(
        "村两委联席会议纪要\n\n会上，村民代表杨春生认为，“黑榜”直接公布姓名容易伤面子，建议先由组长上门提醒。"
        "韩德旺同意杨春生的意见。")
    said = _said(article)
    assert said.get("杨春生", "").startswith("“黑榜”直接公布姓名"), said   # his reported words, the term inside
    assert "黑榜" not in said.values()


def test_a_papers_masthead_is_not_the_headline():
    text = ("临江晚报 | 2025年4月2日 星期三 | 第05版 · 社区\n\n枫桥街道开出首批“共享菜园”\n\n"
            "本报讯 4月1日，枫桥街道首批共享菜园开园。\n")
    assert parse_article(text, "masthead").headline == "枫桥街道开出首批“共享菜园”"


def test_a_quote_inside_reported_speech_is_said_once():
    # (her first quote makes the second hers too: it is claimed as a quote, and the reported
    # clause around it must not say it again)
    text = ("仪式结束后，居民代表钱玉梅显得格外高兴。“下一趟楼要歇两回。”钱玉梅说，听说楼里要装电梯了，"
            "“心里一下子就亮堂了，就盼着早点用上。”\n")
    said = [p for p in parse_article(text, "inner").passages if p.speaker and p.speaker.name == "钱玉梅"]
    words = "".join(parse_article(text, "inner").piece(p.spans) for p in said)
    assert words.count("心里一下子就亮堂了") == 1
    assert "听说楼里要装电梯了" in words


def test_an_untitled_resident_described_then_speaking_is_a_speaker():
    # (described by what they do, with 的; speaking by a verb right after, or by 她…说，“ after an action)
    text = ("傍晚，记者来到小区东门。\n\n在广场上遛狗的孙慧芳告诉记者，她家住3号楼，狗叫声一响整栋楼都醒。\n\n"
            "住在8号楼的郝立新今年70岁，他指着楼下的空地说，“这块地荒了五年，早该修个凉亭。”\n")
    article = parse_article(text, "described")
    said = {p.speaker.name: article.piece(p.spans) for p in article.passages if p.speaker}
    assert "狗叫声一响整栋楼都醒" in said.get("孙慧芳", "")
    assert "早该修个凉亭" in said.get("郝立新", "")


def test_the_head_of_a_bank_or_a_kindergarten_is_titled():
    text = "签约仪式上，青溪农商银行望湖支行行长钱立平表示，将出资6万元设立邻里微基金。\n"
    speaker = next(p.speaker for p in parse_article(text, "bank").passages if p.speaker)
    assert (speaker.name, speaker.title) == ("钱立平", "行长")


def test_a_resident_by_trade_or_by_a_dropped_say_is_a_speaker():
    text = ("住在3栋的快递员钱志强以前很少下楼。“一开始是为了积分，后来就习惯了。”他笑着说。\n\n"
            "排在前面的孔丽华攥着积分存折。今年以来，她每个周末都去值守，“攒了300分，换了两袋米。觉得自己被看见了。”\n\n"
            "一位不愿具名的保安告诉记者，他所在的小区也试过，“停了半个月，没人管。”\n\n"
            "楼上的方便了，楼下的吃亏了，她说，“这事得商量。”\n")
    article = parse_article(text, "trade")
    said = _all_spoken(article)
    assert "一开始是为了积分" in said.get("钱志强", "")
    assert "攒了300分" in said.get("孔丽华", "")
    assert not any("停了半个月" in words for words in said.values())   # an unnamed guard's, no one's here
    assert "方便了" not in said                                         # 方便 is a word, not a surname's name


def test_what_an_official_requires_is_their_words():
    text = "在烈属家中，县委书记韩振东要求县退役军人事务局把优抚政策落实到位，定期上门了解老人需求。\n"
    said = [parse_article(text, "require").piece(p.spans) for p in parse_article(text, "require").passages
            if p.speaker and p.speaker.name == "韩振东"]
    assert said and "优抚政策落实到位" in said[0]


def test_a_joint_letter_is_in_the_words_of_whoever_wrote_it():
    text = ("【感谢信】\n\n尊敬的东湖社区：\n\n我们是桂苑6号楼的居民。今年3月2日夜里，楼顶水箱漏水，网格员不到半小时就赶到了。\n\n"
            "此致\n敬礼！\n\n桂苑6号楼居民（签名）：\n孟凡英（1单元201室）\n鲁志伟（2单元302室）\n等30户居民\n执笔：鲁志伟\n2025年3月9日\n")
    article = parse_article(text, "joint")
    said = [p for p in article.passages if p.speaker and "水箱漏水" in article.piece(p.spans)]
    assert said and said[0].speaker.name == "鲁志伟"


def test_a_resident_described_by_age_and_kind_speaks_through_a_later_pronoun():
    text = ("东坪社区82岁的独居老人芦秀珍是助餐点的常客。“以前一个人懒得做饭，经常凑合一顿。现在走几步就能吃上热饭。”她说。\n")
    said = _spoken(text, "kind")
    assert "懒得做饭" in said.get("芦秀珍", "") and "常客" not in said   # 常客 is a word, not a name


def test_a_resident_introduced_by_trade_at_a_paragraphs_start_speaks_through_his_pronoun():
    text = ("楼栋长车玉梅等人被称为“主心骨”。\n\n"
            "退休木匠樊长青是“巧手帮帮团”成员，他说：“谁家门窗坏了，群里喊一声，当天就有人上门修。”\n")
    said = _spoken(text, "trade2")
    assert "当天就有人上门修" in said.get("樊长青", "")


def test_no_person_is_read_out_of_a_post_or_a_thing_after_de():
    # (主任曾德明 is no 任曾德; 主管部门 no 管部门; 欧阳帆则 is 欧阳帆 and a word; 的柴棚 no 柴棚)
    text = ("会议由业委会主任曾德明主持，他说：“先表决。”\n\n主管部门负责人随后表态，他说，“马上办。”\n\n"
            "年轻业主欧阳帆则在外地投票，他说：“三分钟就投完了。”\n\n他指着院子里的柴棚，说：“得重搭。”\n")
    names = {p.speaker.name for p in parse_article(text, "posts").passages if p.speaker}
    assert not names & {"任曾德", "管部门", "欧阳帆则", "柴棚"}


def test_a_letters_numbered_points_are_its_writers():
    text = ("【回信】\n\n东湖苑5号楼的各位邻居：\n\n你们好！来信我们收到了，这件事我们做得不够。\n\n"
            "借这次回信，向大家通报几件事：\n一是下月起，社区对全部楼栋的排水管网进行一次排查；\n二是夜巡从每周两次增加到每周三次。\n\n"
            "东湖社区党委书记　滕玉洁\n2025年2月3日\n")
    article = parse_article(text, "reply")
    said = "".join(article.piece(p.spans) for p in article.passages if p.speaker and p.speaker.name == "滕玉洁")
    assert "排水管网进行一次排查" in said and "每周三次" in said


def test_a_quote_split_by_a_described_speaker_is_theirs_on_both_sides():
    text = ("住了40年的老居民苗素芬回忆说：“以前一到冬天水管就冻裂。”\n\n"
            "社区人均居住面积达到24平方米。“我家在六楼，以前下楼得歇三回。”今年75岁的苗素芬逢人就夸，“这辈子没想到能坐上电梯。”\n")
    said = _all_spoken(parse_article(text, "split")).get("苗素芬", "")
    assert "我家在六楼" in said and "坐上电梯" in said


def test_a_speech_collection_headed_name_then_post_gives_each_section_to_its_header():
    text = ("湖滨街道召开网格员经验交流会\n\n11月3日，湖滨街道召开网格员经验交流会，5名网格员作交流发言。\n\n"
            "葛素云（柳岸社区第2网格网格员）\n\n我在网格里干了6年，最管用的是“敲门三问”。\n\n"
            "蒲晓东（杏林社区网格员）\n\n我们网格老人多，我给每户做了一张“爱心联系卡”。\n")
    said = _spoken(text, "panel")
    assert "敲门三问" in said.get("葛素云", "") and "爱心联系卡" in said.get("蒲晓东", "")


def test_a_letter_home_is_its_writers_to_a_sign_off_of_closing_name_and_dated_place():
    text = ("——驻村干部郑海波写给儿子郑小舟的信\n\n亲爱的小舟：\n\n见字如面。\n\n"
            "爸爸到石门村快两年了。村里修通了一条4公里的产业路。\n\n"
            "惦记你的爸爸\n郑海波\n2024年9月2日晚 于石门村\n\n"
            "亲爱的爸爸：\n\n我这次期末考了全班第三。\n\n爱你的儿子\n小舟\n2024年9月9日\n")
    article = parse_article(text, "home")
    said = _all_spoken(article)
    assert "4公里的产业路" in said.get("郑海波", "") and "全班第三" in said.get("郑小舟", "")


def test_a_titled_name_speaks_through_a_pronoun_past_short_quoted_terms():
    # (是个“钉子户”, 做了“邻里通”小程序: a short quoted term between the name and the pronoun)
    text = ("那时我们最头疼的是加装电梯。业主鲁振华起初是个“钉子户”。他在协调会上把茶杯一放：“一楼凭什么让？”"
            "后来他成了电梯协调小组的组长。\n\n"
            "青年党员卜晓峰是一名程序员，他为社区做了“邻里通”小程序，报修不用再跑腿。他说：“我们用手机也能服务邻居。”\n")
    said = _spoken(text, "lecture")
    assert "一楼凭什么让" in said.get("鲁振华", "") and "用手机也能服务邻居" in said.get("卜晓峰", "")


def test_a_quote_is_the_pronouns_who_speaks_with_a_gesture():
    text = ("村党支部书记庞振东今年已是第二届任期。见面第一天，他就拉我去看桥。"
            "“以前过河要蹚水，孩子上学全靠大人背。”他指着新修的石拱桥说。\n")
    said = _spoken(text, "gesture")
    assert "过河要蹚水" in said.get("庞振东", "")


def test_a_resident_introduced_as_someones_kin_speaks():
    text = ("搬迁户郑德胜一家去年搬进了安置点。\n\n"
            "郑德胜的儿媳潘玉兰正在车间里缝手套。“以前在山上，一年挣不到几个钱。”她说，现在一个月能拿三千块。\n")
    said = _spoken(text, "kin")
    assert "一年挣不到几个钱" in said.get("潘玉兰", "")


def test_a_record_labelled_by_role_gives_each_line_to_the_party_its_header_names():
    text = ("调　解　笔　录\n\n时间：2024年5月8日9时\n调解员：廖国华\n"
            "当事人：申请人潘春梅，女，住桂苑小区3栋201室；\n　　　　被申请人车振宇，男，住桂苑小区3栋301室\n\n"
            "调解员：今天就3栋201室漏水一事进行调解。\n\n申请人：我家厨房顶上渗水两个多月了。\n\n"
            "被申请人：我愿意先请人来查一查。\n\n申请人：那就这么办。\n")
    article = parse_article(text, "record")
    said = _all_spoken(article)
    assert "渗水两个多月" in said.get("潘春梅", "") and "先请人来查" in said.get("车振宇", "")
    assert "进行调解" in said.get("廖国华", "") and "申请人" not in said   # a role is no name


def test_a_section_title_over_its_authors_post_and_name_is_their_summary():
    text = ("入户走访记录（选登）\n\n走访对象：聂桂香，女，80岁\n主要诉求：楼道灯坏了。\n\n"
            "工作总结\n青石街道党工委书记　鲍振华\n\n"
            "专项行动开展以来，全街道共走访居民9860户，收集诉求1203件，办结率96.1%。\n")
    said = _spoken(text, "summary")
    assert "走访居民9860户" in said.get("鲍振华", "")


def test_numbered_items_and_common_nouns_are_no_people():
    text = ("马建国（社区党委副书记）：介绍两个备选方案。\n"
            "方案一（错时共享停车）：与学校签订共享协议。\n方案二（单向通行）：主干道改为单向。\n\n"
            "表决结果：\n方案一（错时共享停车）：同意12人，通过；\n方案二（单向通行）：同意9人，通过。\n\n"
            "物业负责推行“一车一证”，业主车辆登记后发证；外来车辆限停2小时。\n")
    names = {p.name for p in parse_article(text, "items").people}
    assert "马建国" in names and not names & {"方案一", "方案二", "车辆"}


def test_a_forms_spaced_out_field_does_not_run_on_into_the_next_record():
    from rag.paragraphs import split_units
    text = ("走访记录（一）\n走访对象：齐桂芳，女，79岁\n主要诉求：楼道灯坏了。\n"
            "走 访 人：黎晓（柳岸社区第2网格网格员）、汪建新（柳岸社区党委书记）\n\n"
            "走访记录（二）\n走访对象：童海，男，41岁\n主要诉求：孩子上学。\n"
            "走 访 人：季明（红星社区第3网格网格员）、俞飞（红星社区居委会副主任）\n")
    units = ["".join(text[a:b] for a, b in spans) for _, spans, _ in split_units(text)]
    assert not any("黎晓" in u and "童海" in u for u in units)


def test_a_numbered_entrys_summary_is_on_its_person_and_its_own_field_is_their_words():
    text = ("附：2024年度“最美志愿者”名单及事迹简介\n\n一、柏玉珍，女，66岁，柳岸社区“银发帮帮团”团长\n\n"
            "事迹简介：退休后组建“银发帮帮团”，6年来结对照顾独居老人71户。\n\n本人感言：“帮人就是帮自己。”\n\n"
            "二、骆志成，男，38岁，区人民医院主治医师\n\n事迹简介：利用业余时间开展急救培训52场。\n")
    article = parse_article(text, "entries")
    said = {p.speaker.name: article.piece(p.spans) for p in article.passages if p.kind == "speaker" and p.speaker}
    about = {p.about.name: article.piece(p.spans) for p in article.passages if p.kind == "event" and p.about}
    assert "帮人就是帮自己" in said.get("柏玉珍", "")
    assert "独居老人71户" in about.get("柏玉珍", "") and "急救培训52场" in about.get("骆志成", "")


def test_a_described_resident_speaks_in_a_quote_after_the_pronouns_sentence():
    text = ("夜里，老乡们围着火塘坐下。\n\n"
            "一直没怎么开口的邝家明这时说了话。他今年29岁，以前在广东一家工厂当班长，现在负责合作社的网店。"
            "“我回来就是冲着电商来的，去年线上卖了40多万元。”\n")
    said = _spoken(text, "fire")
    assert "冲着电商来的" in said.get("邝家明", "")


def test_a_sign_off_line_of_several_post_name_pairs_lists_each_holder():
    text = ("财务公开表\n\n村务监督委员会主任：蓝国庆\n委员：蒲桂芝　庞宝林\n\n"
            "村党支部书记：聂德厚　　　　村委会主任：喻秀兰\n")
    people = {p.name: p.title for p in parse_article(text, "signoff").people}
    assert people.get("喻秀兰") == "村委会主任" and people.get("聂德厚") == "村党支部书记"
    assert {"蒲桂芝", "庞宝林"} <= set(people)


def test_a_name_with_its_honorific_post_after_it_speaks_through_a_later_pronoun():
    text = ("说到村里的主心骨，大家都会想到郝振声老书记。他今年78岁，退休前在县水利局工作，"
            "在村里设了“老郝工作室”，专门调解邻里纠纷。有人问他图什么，他说：“党员没有退休一说。”\n")
    said = _spoken(text, "honorific")
    assert "没有退休一说" in said.get("郝振声", "")


def test_a_dialogue_labelled_by_surname_gives_each_turn_to_the_guest_of_that_surname():
    text = ("本期嘉宾：柳溪街道党工委书记滕永安、江城大学公共管理学院教授蔺雅芳。\n\n"
            "主持人：先请两位谈谈议事会。\n\n滕：我们街道有14个社区，每个社区都建了议事会。\n\n"
            "蔺：我更关心议事规则，谁召集、几个人到场才算数。\n")
    said = _spoken(text, "dialogue")
    assert "每个社区都建了议事会" in said.get("滕永安", "") and "议事规则" in said.get("蔺雅芳", "")


def test_a_post_quotes_residents_under_labels_and_signs_each_with_a_dash_line():
    text = ("📌【本周热点｜楼道灯坏了】\n\n💬居民说\n“我们4栋的楼道灯坏了半个月，晚上下楼只能摸黑。”\n\n"
            "——隋桂香（4栋1单元）\n\n✅社区回复\n网格员骆晓：接到反映当天，我就和物业电工上楼排查，6月19日已全部换好。\n")
    said = _spoken(text, "post")
    assert "楼道灯坏了半个月" in said.get("隋桂香", "") and "上楼排查" in said.get("骆晓", "")


def test_a_long_image_posts_quote_cards_are_their_signers_and_namers_words():
    # a card labelled with a colon, signed by a dash line of post and name
    text = ("【第2屏】\n\n金句：\n“小区的账，要算给每一户听。”\n\n——桃源社区党委书记　龚立伟\n\n"
            # a card that names its speaker above the quote, name and label set apart by a bar
            "【第3屏】\n\n居民卡片\n邵春兰｜9栋3单元居民\n“以前找人修灯要等一个月，现在三天就好。”\n")
    said = _spoken(text, "card")
    assert said.get("龚立伟", "").endswith("要算给每一户听。”") and said.get("邵春兰") == "以前找人修灯要等一个月，现在三天就好。"


def test_two_people_of_one_surname_are_told_apart_by_surname_and_post():
    text = ("出席：甘振华（街道党工委书记）、甘丽娟（社区建设科科长）\n\n"
            "甘科长：上周议定的6项事项，已办结4项。\n\n甘书记：加装电梯要先把一楼的账算清楚。\n")
    said = _spoken(text, "minutes")
    assert "已办结4项" in said.get("甘丽娟", "") and "一楼的账" in said.get("甘振华", "")


def test_a_study_quotes_coded_interviewees_who_are_found_by_their_code():
    from rag.records import EntityIndex
    text = ("二、主要发现\n\n受访者A4（社区党委书记）：“牌子摘了，可手机里的群一个没少。”\n\n"
            "受访者B9（居民，女，70岁）说，她每周去两次社区，“社区就是我们的第二个家”。\n")
    article = parse_article(text, "study")
    said = {p.speaker.name: article.piece(p.spans) for p in article.passages if p.speaker}
    assert "群一个没少" in said.get("受访者A4", "") and "第二个家" in said.get("受访者B9", "")
    people = [p for p in article.people if p.name == "受访者A4"]
    assert [e.value for e in EntityIndex(people).find("A4是怎么说减负的？")] == ["受访者A4"]


def test_a_trial_records_parties_are_bound_in_prose_and_found_by_their_role():
    from rag.records import EntityIndex
    text = ("当天审理的是一起相邻关系纠纷，审判长由桐林人民法庭庭长詹静怡担任；原告裘秀英，61岁，柿子坪村村民；"
            "被告滕长贵，54岁，与原告家一墙之隔。\n\n【庭审现场】\n\n审判长：原告，请陈述你的诉讼请求。\n\n"
            "原告：我要他把排水沟改回原来的样子。\n\n被告：沟是我改的，这我认。\n")
    article = parse_article(text, "trial")
    said = {p.speaker.name: article.piece(p.spans) for p in article.passages if p.speaker}
    assert "诉讼请求" in said.get("詹静怡", "") and "改回原来" in said.get("裘秀英", "") and "这我认" in said.get("滕长贵", "")
    index = EntityIndex(article.people)
    assert [e.value for e in index.find("被告是怎么说的？")] == ["滕长贵"]


def test_a_studio_transcript_labels_each_turn_by_a_known_name_in_brackets():
    text = ("主持人：苗晓\n嘉　宾：祁建明（临川区河埠街道党工委书记）\n\n"
            "【苗晓】观众朋友们，晚上好！先请祁书记谈谈楼道治理。\n\n"
            "【祁建明】去年我们街道接到的12345热线工单一共4327件。\n")
    said = _spoken(text, "studio")
    assert "4327件" in said.get("祁建明", "") and "观众朋友们" in said.get("苗晓", "")


def test_a_field_block_opened_by_its_proposers_line_is_theirs_and_the_reply_is_not():
    text = ("一、关于在老旧小区推行“楼道长”议事机制的建议\n\n"
            "建议人：柴婉清（东湖区城北街道槐荫社区居民，退休教师）\n建议摘要：建议每个单元推选1名楼道长。\n\n"
            "承办单位：市民政局\n采纳答复：“我局已在两个社区先行试点，推选楼道长214名。”\n")
    article = parse_article(text, "proposal")
    said = {p.speaker.name: article.piece(p.spans) for p in article.passages if p.speaker}
    assert "推选1名楼道长" in said.get("柴婉清", "") and "214名" not in said.get("柴婉清", "")


def test_a_q_and_a_in_latin_letters_gives_each_answer_to_the_official_the_lead_names():
    text = ("就新出台的养老服务补贴，记者采访了区民政局养老服务科科长莫文博。\n\n"
            "Q：这次的补贴和过去有什么不同？\n\nA：最大的不同是“补服务不补现金”。\n\n"
            "Q：哪些老人可以申领？\n\nA：户籍在本区、年满80周岁的老人都可以申领。\n")
    said = _all_spoken(parse_article(text, "qa")).get("莫文博", "")
    assert "补服务不补现金" in said and "年满80周岁" in said


def test_a_chat_line_opened_by_a_full_name_is_theirs_but_a_surname_and_post_is_no_stranger():
    text = ("群聊：桂馨社区·幸福邻里群（二）\n\n邵建平（第三网格网格员）：大家周六8点半到党群服务中心集合。\n\n"
            "滕国栋：我那三轮车能装，扫出来的垃圾都往我这儿堆。\n\n邵建平（第三网格网格员）：好的，辛苦滕师傅。\n\n"
            "王书记：我也来。\n")
    said = _spoken(text, "chat")
    assert "三轮车能装" in said.get("滕国栋", "") and "王书记" not in said
