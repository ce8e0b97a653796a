"""Answers on articles in the styles met later (a meeting report, a reporter's diary, self-told
sections, a profile, an investigation), each class worded apart from the gold questions that found it."""
import pytest


def ask(engine, question, doc):
    return engine.ask(question, filters={"doc_id": doc})


def test_the_events_own_facts_come_from_the_lead(eval_engine):
    assert "便民服务中心" in ask(eval_engine, "会在哪儿开的？", "h13_meeting").answer
    assert "63人" in ask(eval_engine, "一共有多少人参加了座谈会？", "h13_meeting").answer


def test_a_count_of_one_word_is_not_a_count_of_a_longer_one(eval_engine):
    answer = ask(eval_engine, "白鹭社区有几个网格员？", "h13_meeting")  # 第三网格有住户286户 counts no 网格员
    assert answer.abstained


def test_an_office_no_one_holds_is_said_to_be_missing(eval_engine):
    answer = ask(eval_engine, "县司法局局长在会上提了什么？", "h13_meeting")
    assert answer.abstained and "县司法局局长" in answer.abstain_reason
    answer = ask(eval_engine, "县民政局副局长讲了哪些事？", "h13_meeting")
    assert not answer.abstained and answer.citations[0].speaker == "孙丽萍"


def test_a_place_of_another_report_is_not_this_ones(eval_engine):
    answer = ask(eval_engine, "玉泉社区的书记是哪位？", "h13_selfnarrated")  # a namesake community elsewhere
    assert answer.abstained


def test_an_age_bracket_is_no_ones_age(eval_engine):
    assert ask(eval_engine, "李春华多大年纪了？", "h13_selfnarrated").abstained  # 60岁以上老人


def test_which_community_did_it_is_answered_by_whose_words_say_so(eval_engine):
    answer = ask(eval_engine, "“楼道议事会”是哪个社区搞起来的？", "h13_selfnarrated")
    assert [c.speaker for c in answer.citations] == ["李春华"]


def test_now_is_not_answered_by_the_past(eval_engine):
    answer = ask(eval_engine, "柳塘村的集体收入现在一年有多少？", "style_profile")
    assert "86万元" in answer.answer and "不足3万元" not in answer.answer


def test_a_place_named_does_not_hide_the_reports_narration_on_it(eval_engine):
    answer = ask(eval_engine, "青石巷的垃圾分类怎么搞起来的？", "h13_diary")
    assert "积分兑换" in answer.answer


def test_an_impression_asked_is_described_not_named(eval_engine):
    assert not ask(eval_engine, "马奶奶爬一趟6楼是啥滋味？", "style_survey").abstained


def test_numbered_demands_are_kept_together(eval_engine):
    answer = ask(eval_engine, "周明远在总结时提了哪几条要求？", "h13_meeting")
    assert "一要" in answer.answer and "四要" in answer.answer


def test_the_counted_noun_may_open_the_clause(eval_engine):
    assert "0.3元" in ask(eval_engine, "红色物业每平方米一个月收多少物业费？", "style_reported_speech").answer


def test_a_named_persons_reasons_are_in_their_own_words(eval_engine):
    answer = ask(eval_engine, "李海波为什么不肯装电梯？", "h13_diary")
    assert [c.speaker for c in answer.citations] == ["李海波"] and "采光" in answer.answer


def test_the_reports_story_reads_on_from_the_problem_to_what_was_done(eval_engine):
    answer = ask(eval_engine, "3号楼修楼顶的钱是咋凑齐的？", "h13_diary")
    assert "专项维修资金" in answer.answer


def test_words_that_name_the_kind_of_answer_need_no_support(eval_engine):
    answer = ask(eval_engine, "错时停车是怎么安排的？时间和收费呢？", "h13_diary")  # 安排 names what is asked
    assert not answer.abstained and "50元" in answer.answer


def test_the_new_one_is_not_the_former_one(eval_engine):
    answer = ask(eval_engine, "新来的那家物业是哪家公司？", "h14_commentary")
    assert "安居物业" in answer.answer and "恒安" not in answer.answer


def test_a_place_in_the_headline_chooses_the_article_not_passages_naming_it(eval_engine):
    # (a live text from 柳塘街道: the resident who speaks is no 柳塘 record, yet it is 柳塘's meeting)
    answer = eval_engine.ask("柳塘街道这次议事，谁反映老伴下不了楼？", filters={"doc_id": "h22_live"})
    assert not answer.abstained and "孙桂芳" in [c.speaker for c in answer.citations]


def test_a_place_in_the_subtitle_sets_the_report_there_under_a_channels_label(tmp_path, embedder):
    from rag.engine import Engine
    from tests.conftest import _build

    article = tmp_path / "card.txt"
    article.write_text("石塘发布｜长图文\n小楼道撬动大治理\n——石塘街道桃源社区“楼事楼办”见闻\n\n"
                       "【第2屏】\n▶ 楼道堆物由楼长牵头、住户自清。\n\n"
                       "引语卡：\n“小区的账，要算给每一户听。”\n——桃源社区党委书记　龚立伟\n", "utf-8")
    engine = Engine.load(_build(tmp_path, [article], embedder), embedder)
    answer = engine.ask("桃源社区楼道堆物怎么处理？")
    assert "楼长牵头" in answer.answer  # the report's own words on it, not only its secretary's

def test_headings_naming_the_place_do_not_crowd_the_answer_out(tmp_path, embedder):
    from rag.engine import Engine
    from tests.conftest import _build

    headings = "".join(f"【第{i}节】桃溪村农民夜校\n\n" for i in range(1, 10))
    article, other = tmp_path / "class.txt", tmp_path / "other.txt"
    article.write_text("桃溪村农民夜校课堂实录\n\n" + headings +
                       "讲课人说，生活垃圾按“两次四分”处理，先分可腐烂和不可腐烂的。\n", "utf-8")
    # (another report on rubbish, so the village's name is the rare word of the question)
    other.write_text("垃圾分类见闻\n\n" + "".join(f"第{i}个小区的垃圾分类做法各有不同，生活垃圾分类靠居民自觉。\n\n"
                                               for i in range(1, 30)), "utf-8")
    engine = Engine.load(_build(tmp_path, [article, other], embedder), embedder)
    assert "两次四分" in engine.ask("桃溪村的生活垃圾是怎么分类的？", filters={"doc_id": "class"}).answer

def test_who_said_it_tells_who_they_are_as_the_article_introduces_them(eval_engine):
    answer = ask(eval_engine, "谁讲腿脚不好现在也敢出门了？", "h19_review")
    assert "王秀英" in answer.answer and "南塘小区12栋" in answer.answer


def test_a_post_several_people_hold_is_answered_with_each_of_them(eval_engine):
    answer = ask(eval_engine, "节目主持人都是谁？", "h22_wenzheng")
    assert {"方圆", "李哲"} <= {c.speaker for c in answer.citations}


def test_a_leader_named_in_the_reports_words_answers_which_leader(eval_engine):
    answer = ask(eval_engine, "方案印发后哪位领导作了解读？", "h25_plan")
    assert not answer.abstained and "邵雅琴" in answer.answer


def test_a_named_persons_view_is_only_in_their_own_words(eval_engine):
    # 李德华's words on stall fees are not 周立群's view of them
    answer = ask(eval_engine, "周立群对李德华提的少收摊位费建议持什么态度？", "h22_live")
    assert answer.abstained or all(c.speaker == "周立群" for c in answer.citations)


def test_a_post_of_a_named_body_is_held_by_whoever_that_bodys_post_names(eval_engine):
    answer = ask(eval_engine, "石桥村的村务监督委员会主任叫啥？", "h23_notice")
    assert [c.speaker for c in answer.citations] == ["黄福全"]     # not 许长根, the 村委会主任


def test_the_office_of_a_place_no_one_is_recorded_in_is_not_anothers(eval_engine):
    answer = ask(eval_engine, "新河社区书记是谁？", "h22_live")     # 新河 is named; no one of it speaks
    assert answer.abstained and "新河社区" in answer.abstain_reason
    assert not ask(eval_engine, "桂园社区的党委书记是谁？", "h22_live").abstained


@pytest.mark.parametrize("question, doc, phrase", [
    # no record places a resident at 枫林社区; 居民 is a kind of people, not an office to be unheld
    ("枫林社区哪位居民说过去下楼一趟得歇三回？", "h31_yearend", "宋桂芝"),
    # the progress line names no community; its entry's heading (一、枫林社区…管网堵塞) does
    ("枫林那边管网啥时候完工的", "h33_rectify", "7月26日"),
    # an office of a body in a county is held by whoever's label names the body
    ("桐川县民政局的局长叫啥？", "h33_inspection", "郑丽华"),
    # the subject of a memorial is told of, though never quoted
    ("杨树林生前都拿过啥荣誉？", "h34_memorial", "全省脱贫攻坚先进个人"),
    # who someone was is told by the words that introduce them
    ("邓国华原来是干什么的？", "h28_announce", "退休电工"),
    # a TV link-up: 【记者 何昊】我现在是在桃源村… tells the village's facts as the text would
    ("在桃源村，村民做哪些事可以挣积分", "h37_lianxian", "调解邻里矛盾"),
    # 补多少钱 is answered by 财政补助20万元, though no other word of the question stands by it
    ("一部能补多少钱", "h22_live", "20万元"),
    # 律师 in 律师事务所: the body is asked, and the record names it
    ("王立峰是哪家律师事务所的", "h29_proposals", "恒信律师事务所"),
    # her words are about what the words leading into them name (新开设“四点半课堂”…卢美芬说：…)
    ("卢美芬对四点半课堂是啥看法", "h24_duty", "孩子放学有人管了"),
])
def test_answered_where_the_report_tells_it(eval_engine, question, doc, phrase):
    answer = ask(eval_engine, question, doc)
    assert not answer.abstained and phrase in answer.answer


def test_people_listed_by_what_they_did_come_from_the_sentence_that_lists_them(eval_engine):
    # (not the records' list of everyone the report names)
    answer = ask(eval_engine, "审议报告时发言的村民代表都有谁", "h41_jianwei")
    assert "钟立新" in answer.answer and "范婷" not in answer.answer


def test_another_speakers_earlier_turn_leads_into_no_quote(eval_engine):
    # (the paragraph before 孙丽萍's is someone else's: it says nothing of what her words are about)
    chunk = next(c for c in eval_engine.retriever.chunks
                 if c.doc_id == "h13_meeting" and c.speaker is not None and c.speaker.name == "孙丽萍")
    assert eval_engine.retriever.lead_in(chunk, 60) == ""


def test_a_view_of_someone_else_is_one_that_names_them(eval_engine):
    # (韩立新 spoke of the meeting, never of 罗建军's report: no view of it to quote)
    assert ask(eval_engine, "韩立新怎么看罗建军的述职", "h36_shuzhi").abstained
    # (a given name is enough: 玉芬比闺女还亲 is of 刘玉芬)
    answer = ask(eval_engine, "韩桂兰对刘玉芬有啥看法", "h43_tuijian")
    assert "比闺女还亲" in answer.answer and not answer.abstained


@pytest.mark.parametrize("question, doc, speaker", [
    # a letters column: the reader named first asked; the lawyer's words are what is asked
    ("陈建华家楼里装电梯的事，律师建议怎么处理一楼住户？", "h37_lawcolumn", "周启明"),
    # someone's words before the report's: the decision list repeats the proposal
    ("说要在村小厨房开互助食堂的是谁", "h36_yuanba", "向光明"),
    # who answered: the host reads a viewer's question out, the first secretary answers it
    ("猕猴桃有没有打膨大剂，这个问题是谁解答的？", "h39_zhibo", "林嘉树"),
    # a town's discipline commission official is a leader
    ("哪位领导肯定了柳湾监委敢于较真碰硬？", "h41_jianwei", "范婷"),
])
def test_answered_with_the_words_of_the_one_asked_for(eval_engine, question, doc, speaker):
    answer = ask(eval_engine, question, doc)
    assert {c.speaker for c in answer.citations} == {speaker}


def test_a_persons_count_told_by_the_report_is_theirs(eval_engine):
    # 马文涛 has words of his own, but the count is the report's (马文涛…今年已上报14条安全隐患线索)
    answer = ask(eval_engine, "马文涛一共报了几条隐患线索？", "h34_oneday")
    assert "14条" in answer.answer, answer.answer
    # a passage that prints the name gives no fact it does not hold
    assert ask(eval_engine, "马文涛一共领了多少补贴？", "h34_oneday").abstained


def test_a_fact_of_someone_never_quoted_is_told_by_the_report(eval_engine):
    # 黄福全 has no words of his own; the notice prints his votes (主任：黄福全（得票1544票）)
    assert "1544票" in ask(eval_engine, "黄福全一共拿了多少票？", "h23_notice").answer
    # his view is still nowhere: the answer says he is only named
    answer = ask(eval_engine, "黄福全对选举有什么看法？", "h23_notice")
    assert answer.abstained and "只在文中被列名提到" in answer.abstain_reason


def test_people_listed_by_what_they_did_come_from_the_sentence_listing_them(eval_engine):
    # the 考生 are in no record; the broadcast lists them (今年有5名考生：杨佳怡、赵子轩、…)
    answer = ask(eval_engine, "今年村里高考的学生都有谁？", "h38_guangbo")
    assert "杨佳怡" in answer.answer and "王一鸣" in answer.answer, answer.answer


def test_a_view_of_something_is_one_that_says_it(eval_engine):
    # 谭春燕 speaks only of the water pump: no view of the canteen is hers
    answer = ask(eval_engine, "谭春燕对办互助食堂有什么看法？", "h36_yuanba")
    assert answer.abstained and "互助食堂" in answer.abstain_reason
    assert "加压泵" in ask(eval_engine, "谭春燕对加压泵的事是什么看法？", "h36_yuanba").answer


def test_the_words_of_someone_named_with_a_post_but_never_quoted_are_said_to_be_missing(eval_engine):
    # 吴海涛 is printed once (街道城管办吴海涛科长带着抢修队连夜施工) and has no record and no words
    answer = ask(eval_engine, "抢修那晚吴海涛科长讲了些什么？", "h51_ganxiexin")
    assert answer.abstained and "吴海涛" in answer.abstain_reason and answer.citations
    # a kind of person is no post (枫林社区的居民 names no 林社区); a fact asked is not their words
    assert "没有引述其本人" not in ask(eval_engine, "枫林社区的居民对抢修说了什么？", "h51_ganxiexin").answer


def test_a_view_asked_after_the_stance_verb_must_be_of_that_thing(eval_engine):
    # 郑海峰 is quoted, never on the nickname; 廖春燕 speaks of 积分, which 积分制 holds
    assert ask(eval_engine, "郑海峰如何看待“网红书记”的说法？", "h44_pengyouquan").abstained
    answer = ask(eval_engine, "廖春燕咋看积分制的作用", "h40_zhenbaogao")
    assert not answer.abstained and answer.citations[0].speaker == "廖春燕"


def test_the_view_of_a_subject_printed_after_a_post_and_never_quoted_is_said_to_be_missing(eval_engine):
    # 驻村第一书记韦小曼那天到县里开会: printed after a post, never speaking
    answer = ask(eval_engine, "韦小曼怎么看火塘夜话这种做法？", "h57_yehua")
    assert answer.abstained and "韦小曼" in answer.abstain_reason
    # 项目经理何志强告诉记者，…: a speech verb by the name is speech, never "not quoted"
    assert "没有引述其本人" not in ask(eval_engine, "何志强怎么看这次抢修？", "h51_ganxiexin").answer


def test_a_namesake_quoted_in_another_article_does_not_make_this_one_quoted(eval_engine):
    # 柳塘村's 村委会主任杨秀兰 signs the disclosure and never speaks; 岔河村's 杨秀兰 speaks elsewhere
    answer = ask(eval_engine, "杨秀兰在说明会上讲了些什么？", "h56_caiwu")
    assert answer.abstained and "只在文中被列名提到" in answer.abstain_reason
