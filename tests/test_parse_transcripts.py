"""Transcripts, letters, boards, scripts and feeds (TV link-ups, letters columns, message boards,
sketch scripts, compiled Moments): who speaks each line, by the labels, cues, captions, fields and
headings such layouts print."""
import pytest

from rag.ingest import parse_article

LINK_UP = ("清江新闻（晚间版）\n播出时间：2024年11月8日 19:30\n\n"
           "【演播室】\n【主持人 林雪】观众朋友们，晚上好。今天我们连线在云溪县杨柳镇桃源村的记者何昊。\n\n"
           "【连线一】云溪县杨柳镇桃源村\n【字幕】记者 何昊 发自云溪县杨柳镇桃源村\n"
           "【记者 何昊】林雪你好。我现在是在桃源村的“积分超市”门口，村民打扫庭院都能挣积分。\n"
           "【字幕】徐长林 云溪县杨柳镇桃源村党支部书记\n"
           "【同期声】徐长林：我们村有386户、1420人。去年3月开始搞积分制。\n"
           "【字幕】杨秀英 桃源村村民\n"
           "【同期声】杨秀英：换了一桶油，一共用了68分。\n"
           "【记者 何昊】我身边的是第7网格的网格员周晓彤。\n"
           "【字幕】周晓彤 桃源村第7网格网格员\n"
           "【同期声】周晓彤：我的网格有居民412户。\n")


def _said(article) -> dict:
    return {p.speaker.name: article.piece(p.spans) for p in article.passages if p.kind == "speaker"}


def _pairs(text: str, kinds: tuple[str, ...] | None = ("speaker",)) -> list[tuple[str | None, str]]:
    """(speaker, words) of each passage of the given kinds (every passage for None), parsed once."""
    article = parse_article(text, "t")
    return [(p.speaker and p.speaker.name, article.piece(p.spans)) for p in article.passages
            if kinds is None or p.kind in kinds]


def test_a_label_holding_role_and_name_opens_that_persons_turn_not_a_byline():
    said = _said(parse_article(LINK_UP, "t"))
    assert said["林雪"].startswith("观众朋友们")
    assert said["何昊"].startswith("我身边的是")  # (his last turn)


def test_a_sound_cue_marks_a_named_line_as_spoken():
    # (no caption introduced 王德发: the cue alone tells the line is his)
    text = "修路记\n\n【解说】今年，石桥村修通了2.3公里的生产路。\n【同期声】王德发：以前下雨天出不了门，现在好了。\n"
    assert _said(parse_article(text, "t"))["王德发"].startswith("以前下雨天")


def test_a_subtitle_line_between_the_cue_and_the_named_line_gives_the_post():
    text = ("调查\n\n【解说】业主们对收费有意见。\n\n【同期声】\n（字幕：尹振东　滨河社区党委书记）\n"
            "尹振东：我们先请第三方把账查清楚。\n")
    article = parse_article(text, "t")
    assert _said(article)["尹振东"].startswith("我们先请第三方")
    person = next(p for p in article.people if p.name == "尹振东")
    assert (person.community, person.title) == ("滨河社区", "党委书记")


def test_a_class_transcripts_lecture_runs_on_past_stage_directions_and_its_parts():
    text = ("农民夜校课堂实录\n\n【主讲】覃立军（青山镇副镇长）\n【主持】龙玉华（白岩村党支部书记）\n\n"
            "龙玉华：今天讲新村规。下面请覃镇长讲。（掌声）\n\n覃立军：大家晚上好。今天讲两块。\n\n"
            "（屏幕显示“酒席、环境”）\n\n第一块，酒席。婚宴不超过20桌。\n\n第二块，环境。垃圾分两次四分。\n\n"
            "龙玉华：有问题的举手。\n")
    article = parse_article(text, "t")
    turns = [(p.speaker.name, article.piece(p.spans)[:3]) for p in article.passages if p.kind == "speaker"]
    assert turns == [("龙玉华", "今天讲"), ("覃立军", "大家晚"), ("覃立军", "第一块"), ("覃立军", "第二块"), ("龙玉华", "有问题")]
    host = next(p for p in article.people if p.name == "龙玉华")
    assert (host.community, host.title) == ("白岩村", "党支部书记")


def test_a_role_alone_in_brackets_opens_the_turn_of_the_one_the_header_names():
    text = ("书记在线访谈实录\n\n访谈嘉宾：\n温丽萍　柳溪社区党委书记\n主 持 人：侯晓川\n\n"
            "【主持人】\n各位网友好！柳溪社区有居民3100户。\n\n网友“老街坊”：楼道灯坏了找谁？\n\n"
            "温丽萍：扫单元门口的二维码就能找到网格员。\n")
    assert _pairs(text)[0] == ("侯晓川", "各位网友好！柳溪社区有居民3100户。")

def test_a_name_caption_introduces_its_person_with_the_post():
    people = {p.name: p for p in parse_article(LINK_UP, "t").people}
    assert people["徐长林"].community == "桃源村" and people["徐长林"].title == "党支部书记"


def test_a_later_caption_places_someone_first_named_by_a_bare_post():
    # (网格员周晓彤 in passing, then 周晓彤 桃源村第7网格网格员: a numbered grid is part of the post)
    people = {p.name: p for p in parse_article(LINK_UP, "t").people}
    assert people["周晓彤"].community == "桃源村" and people["周晓彤"].title == "第7网格网格员"


LETTERS = ("律师说法\n\n【来信一】\n编辑同志：\n我住在枫林苑小区。楼道灯坏了快两个月，我今年的物业费就一直没交。\n"
           "——读者　王女士\n\n周启明律师：\n王女士的心情可以理解，但拒交物业费并不可取。\n"
           "同时，物业公司也有维修养护的义务。\n\n【来信二】\n我家住槐荫里社区12号楼，一楼两户反对加装电梯。\n"
           "——槐荫里社区居民　陈建华\n\n周启明律师：\n加装电梯一般以单元为单位表决。\n")


def test_a_signature_set_off_by_a_dash_signs_the_letter_above():
    assert _said(parse_article(LETTERS, "t"))["王女士"].startswith("编辑同志")


def test_a_reply_labelled_name_then_post_is_that_persons_and_runs_to_the_next_heading():
    passages = _pairs(LETTERS, kinds=None)
    assert ("周启明", "同时，物业公司也有维修养护的义务。") in passages


EXCERPTS = ("经验交流会发言摘登\n\n　　9月12日，全县基层治理工作经验交流会在县委党校召开。\n\n"
            "城北街道翠竹社区党委书记 何晓岚：以“三事分流”破解居民急难愁盼\n\n"
            "　　翠竹社区是典型的老旧小区集中区，有居民3800余户。\n"
            "　　2022年起，我们探索“三事分流”工作法。\n\n"
            "城北街道金桥社区专职网格员 邓雪梅：用心做好网格里的每件小事\n\n"
            "　　去年冬天，我在走访时发现独居老人家门口的报纸两天没人拿。\n")


def test_a_speakers_heading_over_their_talk_makes_the_whole_section_theirs():
    said = _pairs(EXCERPTS)
    # (the section's first paragraph says no 我, and is still the talk)
    assert ("何晓岚", "翠竹社区是典型的老旧小区集中区，有居民3800余户。") in said
    assert any(name == "邓雪梅" and words.startswith("去年冬天") for name, words in said)  # (a post with 专职 before it)


BOARD = ("领导留言板\n\n【留言一】\n留言标题：柳岸路路灯坏了快两个月\n留言人：网友“夜归的老周”\n留言时间：2024-10-12 22:41\n"
         "留言内容：\n柳岸路有十几盏路灯从8月底开始就不亮了。\n\n回复单位：澄湖区城市管理局\n回复时间：2024-10-18 16:05\n回复内容：\n"
         "网友“夜归的老周”：您好！您反映的问题收悉。路灯管理所已更换电缆620米。\n")


def test_a_message_boards_poster_field_makes_the_message_theirs_and_the_reply_the_bodys():
    article = parse_article(BOARD, "t")
    said = _said(article)
    assert "十几盏路灯" in said["夜归的老周"]
    # (the reply addresses the poster, 网友“…”：您好！, and is no words of theirs)
    assert not any("620米" in words for words in said.values())


SKETCH = ("普法小品《一堵墙》\n\n人物表\n赵满仓：男，六十二岁，枫林村村民，脾气倔……扮演者：赵德胜（枫林村四组村民）\n"
          "钱桂香：女，五十八岁，赵满仓的邻居……扮演者：孙秀英（枫林村妇联主席）\n\n【幕启。赵满仓挽着袖子砌墙。】\n\n"
          "赵满仓：开春儿子要回来盖新房，这院墙得先立起来。\n钱桂香：哎哎哎！你这墙咋砌到我家窗户根底下来了？\n")


def test_a_scripts_cast_list_introduces_its_roles_and_their_lines_are_theirs():
    article = parse_article(SKETCH, "t")
    said = _said(article)
    assert said["钱桂香"].startswith("哎哎哎") and said["赵满仓"].startswith("开春")
    # (the cast list describes the roles: none of its lines is a role's words)
    assert not any(words.startswith(("男", "女")) for words in said.values())
    assert {p.name: p.title for p in article.people}["赵满仓"] == "村民"


def test_no_line_of_a_real_cast_list_is_a_roles_words():
    from pathlib import Path

    text = (Path(__file__).parent / "data" / "h43_xiaopin.txt").read_text("utf-8")
    article = parse_article(text, "h43_xiaopin")
    assert not any(article.piece(p.spans).startswith(("男，", "女，")) for p in article.passages if p.kind == "speaker")


@pytest.mark.parametrize("text, name, words", [
    # a report to a congress is its speaker's, named on the line under its dated subtitle
    (("白沙镇人民政府工作报告（摘要）\n——2025年1月9日在白沙镇第十八届人民代表大会第五次会议上\n镇长　林国栋\n\n"
      "各位代表：\n现在，我代表镇人民政府向大会报告工作。\n\n2024年工作回顾\n\n"
      "（一）产业发展提质增效。田园综合体一期建成开园，全年接待游客18.5万人次。\n"),
      "林国栋", "（一）产业发展提质增效。田园综合体一期建成开园，全年接待游客18.5万人次。"),
    # a lecture's speaker line (宣讲人：…) tells the talk across its subheadings
    (("【百姓宣讲】板凳一摆，大事小事都好商量\n\n宣讲人：杨秀兰（白鹭镇枫林村党支部副书记）\n\n各位乡亲、各位朋友：\n"
      "大家好！我叫杨秀兰，今天给大家讲讲院坝会。\n\n一、扛着板凳进院坝\n枫林村有486户、1730多口人，散落在7个村民小组。\n"),
      "杨秀兰", "枫林村有486户、1730多口人，散落在7个村民小组。"),
    # a reply under a post (罗永康 回复 X：…) is the replier's, not the one replied to
    (("一年的朋友圈\n\n■ 2023年1月8日　17:42\n今天给全村63户独居老人每户送一桶油。\n"
      "评论：\n柳溪-春梅：我家隔壁周奶奶在不在名单上？\n\n罗永康 回复 柳溪-春梅：已经加上了，明天我亲自送过去。\n\n"
      "■ 2023年2月21日　21:05\n跟大家报个账。\n\n罗永康 回复 大军：先不用大家掏钱。\n"),
      "罗永康", "已经加上了，明天我亲自送过去。"),
    # a compiled feed's dated entries are its owner's words
    (("一年217条朋友圈里的柳溪村\n——记者整理柳溪村党支部书记罗永康的朋友圈\n\n本报记者　唐知秋\n\n"
      "■ 2023年4月3日　09:16\n“积分超市”今天开张了！参加环境整治都能挣积分。\n\n"
      "■ 2023年5月16日　18:30\n漫水桥的事有眉目了！今天跟镇里一起到县交通局汇报，局里答应列入明年计划。\n"),
      "罗永康", "漫水桥的事有眉目了！今天跟镇里一起到县交通局汇报，局里答应列入明年计划。"),
])
def test_whose_words_by_how_the_layout_marks_them(text, name, words):
    assert (name, words) in _pairs(text)


def test_a_bare_name_labelling_an_interviews_answers_is_its_speaker():
    text = ("社区抖音号观察\n\n本报记者 柯敏\n\n账号的运营者方晓蕾是社区党委宣传委员，今年31岁。\n\n"
            "记者：为什么要自己做抖音号？\n方晓蕾：以前发通知靠贴公告，很多年轻人根本不看。\n\n"
            "记者：最难的是什么？\n方晓蕾：是有人在评论区骂。\n\n"
            "王书记：这段是别人的话。\n\n记者：还有吗？\n王书记：没有了。\n")
    article = parse_article(text, "iv")
    said = {article.piece(p.spans).strip()[:6]: p.speaker.name for p in article.passages if p.speaker}
    assert said.get("以前发通知靠") == "方晓蕾" and said.get("是有人在评论") == "方晓蕾"
    assert next(p for p in article.people if p.name == "方晓蕾").title == "社区党委宣传委员"
    assert "王书记" not in {p.name for p in article.people}  # a surname and a post address someone known


def test_a_subtitle_cue_before_a_named_line_marks_it_spoken():
    text = ("社区抖音号观察\n\n本报记者 柯敏\n\n■视频一：《老楼加装电梯》\n\n【字幕】\n邵志刚（桂香社区党委书记）："
            "7号楼一共6层、12户，最难的不是钱。\n\n【字幕】\n覃秀英（21号楼居民）：一下雨家里就得摆上四五个盆。\n")
    article = parse_article(text, "sub")
    said = _said(article)
    assert said == {"邵志刚": "7号楼一共6层、12户，最难的不是钱。", "覃秀英": "一下雨家里就得摆上四五个盆。"}, said
