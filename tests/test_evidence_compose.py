"""Answerability checks and sentence choice, on in-memory chunks (no index, no server)."""
import pytest

from rag.bm25 import Tokenizer
from rag.compose import SentencePicker
from rag.follow_on import after_colon, points_after, points_before, read_on, reply_to
from rag.config import Settings
from rag.coverage import focus_coverage
from rag.evidence import evidence_lacks
from rag.lexicon import Lexicon
from rag.records import EntityIndex, Person
from rag.types import Chunk, Hit
from rag.understand import understand

SPEAKER = Person(name="孙明", title="党委书记", district="海城区", street="东门街道", community="新桥社区")
RECORDS = EntityIndex([SPEAKER])


def q(text: str, filters=None):
    return understand(text, RECORDS, filters=filters)


def test_no_query_word_straddles_a_name():
    index = EntityIndex([Person(name="田小军", title="村民", doc_id="l")])
    picker = SentencePicker(Tokenizer(), {}, 1.0)
    question = understand("老田租了几亩茶地？", index)
    assert "田租" not in picker.query_tokens(question) and "茶地" in picker.query_tokens(question)


def test_a_post_that_names_who_is_asked_is_no_content_to_look_for():
    picker = SentencePicker(Tokenizer(), {}, 1.0)
    tokens = picker.query_tokens(understand("县委书记点名要推广哪些做法？", EntityIndex([])))
    assert "书记" not in tokens and "推广" in tokens
    assert "书记" in picker.query_tokens(understand("书记的职责有哪些？", EntityIndex([])))


@pytest.mark.parametrize("question, evidence, answers", [
    ("一个月要调解多少纠纷？", "他一个月要调解二十多起纠纷。", True),      # a Chinese numeral with 多 and its measure
    ("社区划了多少个网格？", "我们把社区划成了46个微网格。", True),
    ("社区有多少个网格？", "我们社区是一个老社区。", False),             # 一个 is an article, not a count
    ("新桥社区有多少户居民？", "吸引了600多名年轻居民参与。", False),    # 户 asked, 名 given
    ("书记当了多少年？", "2022年，村里注册了商标。", False),              # a calendar year is no count of years
    ("有多少观众看了直播？", "上百万观众通过网络直播共同见证。", True),
    ("多长时间有人赶到？", "半小时之内，人一定到。", True),
    ("多长时间有人赶到？", "一个电话就有人上门。", False),
    ("孙明多大年纪？", "孙明是新桥社区党委书记。", False),
    ("孙明多大年纪？", "社区60岁以上老人占了四成多。", False),        # an age bracket is no one's age
    ("为这事上门了几趟？", "陈书记前后上门九次。", True),                # 趟 and 次 both count times
    ("街道明年计划开工多少部电梯？", "全市已累计加装电梯2386部。", False),   # done so far is no plan
    ("办酒席花费降了多少？", "全村办酒席平均花费下降了一半多。", True),    # a change, told as a share
    ("办酒席花费降了多少？", "我们成立了红白理事会。", False),
    ("范教授是在哪读的博士？", "云川大学公共管理学院副教授范思远长期关注社区治理。", False),  # a title is no degree
    ("老秦是哪一年入的党？", "2016年，他被乡亲们推选回村任职。", False),
    ("物业收费往后会不会涨？", "物业费按每月每平方米0.35元收取。", False),   # whether it will: no plan said
    ("物业收费往后会不会涨？", "明年物业费标准保持不变。", True),
    ("老秦是哪一年入的党？", "秦德山1998年入党，2016年回村任职。", True),
    # a turn of a named person's life is told, as the word or its kin, or not at all
    ("孙明是哪一年去世的？", "孙明1956年至1978年任村党支部书记。", False),
    ("孙明是哪一年去世的？", "孙明1998年病逝，年仅52岁。", True),
    ("老人过世了家属得在几天内告知社区？", "家属应在情况发生之日起15日内告知社区居委会。", True),  # a procedure, no one's life
    ("街道明年计划开工多少部电梯？", "明年街道计划再开工20部电梯。", True),
    ("搞了管家以后，投诉少了多少件？", "投诉从每月30件降到了8件。", True),   # 以后 after a deed: what followed
    ("每1分能换多少钱的东西？", "每1分可兑换1元日用品。", True),       # the question's 1 counts 分, not 元
    ("47个年轻人里有多少个在做民宿？", "吸引了47名在外青年返乡。", False),  # the question's own 47
    ("每平方米收多少物业费？", "物业费按每平方米每月0.3元收取。", True),   # the noun opens the clause
    ("活动是哪天举行的？", "5月18日，交流会在社区举行。", True),
    ("她们晚上跳到几点？", "晚上从7点跳到8点半，行不行？", True),     # 几点 asks a time of day
    ("她们晚上跳到几点？", "舞蹈队有20多名队员。", False),
    ("食堂晚饭几点开始供应？", "3月18日，幸福食堂正式开门营业。", False),   # a date is no time of day
    ("评上最美庭院加几分？", "评上“最美庭院”一次加10分。", True),         # points are a measure
    ("评上最美庭院加几分？", "评比用时10分钟。", False),                   # minutes are not points
    ("活动是哪天举行的？", "当天，书记们分享了经验。", False),
    ("孙明的电话是多少？", "有事打社区电话就行。", False),
    ("社区组建了多少个学习小组？", "建立12支学习团队。", True),          # 支 counts 小组 when the noun is there
    ("成都有多少个社区？", "第六届社区好书记评选举行。", False),          # an ordinal is no count
    ("成都有多少个社区？", "一批社区和个人受到表彰。", False),            # nor a vague 一批
    ("平台有多少居民注册了？", "9件大事，都是居民在线上议事定下来的。", False),  # 居民 is in another clause
    ("有多少个社区？", "加上7项具体工作来打造社区品牌。", False),        # 7项 counts 工作, not 社区
    ("来了多少名书记？", "40余名街道、社区（村）书记齐聚一堂。", True),
    ("下一期沙龙定在哪天？", "9月16日，第三期沙龙在新桥社区举行。", False),   # the date reported, not the next
    ("下一期沙龙定在哪天？", "下一期将于10月20日走进柳巷村。", True),
    ("议事会一般啥时候开？", "议事会固定在每月第一个周四晚上7点开。", True),  # a recurring time
    ("“红色物业”请的是哪家物业公司？", "小区引入“红色物业”和“书记夜话”，由物业企业托底。", False),  # no company named
    ("“红色物业”请的是哪家物业公司？", "小区引入了海城安居物业服务有限公司。", True),
    ("这个沙龙是哪家单位主办的？", "由海城日报社主办的“书记说”沙龙举行。", True),
    ("下一期在哪个社区办？", "下一期将聚焦社区养老服务。", False),          # 社区 named, no community
    ("下一期在哪个社区办？", "下一期将走进海城区新桥社区。", True),
    ("孙明当了几年书记？", "3年来新增停车位380个。", False),         # a length of time, not of his tenure
    ("孙明当了几年书记？", "孙明在新桥社区当了8年书记。", True),
    ("互助队现在有多少人？", "我们组建了互助队，现在有队员126名。", True),   # the team has the people
    ("互助队现在有多少人？", "我们组建了互助队，现在有5个小组。", False),     # 5个 counts no people
    ("杏林今年有几栋楼装了电梯？", "今年已经有7栋楼完成了电梯加装。", True),
    ("食堂吃一顿要掏几块钱？", "老人每餐只要交3元。", True),
    ("议事厅有多大地方？", "议事厅面积约260平方米。", True),                   # a size question
    ("议事厅有多大地方？", "议事厅设有调解室。", False),
    ("有多少个社区拿了奖？", "近20位社区书记分享了经验。", False),          # 20位 counts people, not 社区
    ("沙龙多久搞一回？", "沙龙今年将每季度举办一次。", True),                # how often
    ("沙龙多久搞一回？", "沙龙于5月18日举办。", False),
    ("义诊跟哪家医院合作？多久搞一次？", "社区和清河区中医院合作，每月开展一次上门义诊。", True),
    ("义诊跟哪家医院合作？多久搞一次？", "社区每月开展一次上门义诊。", False),   # the hospital is not named
    ("交流会是几号开的，在哪开的？", "5月18日，交流会在白塔社区党群服务中心举行。", True),
    ("交流会是几号开的，在哪开的？", "5月18日，交流会举行。", False),
    ("那条机耕道修了多长？", "机耕道全长2.3公里，连着400亩葡萄园。", True),   # a distance
    ("那条机耕道修了多长？", "机耕道修了三个月。", False),
    ("全市社区工作者平均多大岁数？", "社区工作者平均年龄38.6岁。", True),     # an age, not an area
    ("孙明以前一年能挣多少？", "现在两家逢年过节还互相送菜。", False),         # earning is counted in money
    ("孙明以前一年能挣多少？", "他做建材生意一年能挣二十多万元。", True),
    ("这两年回村的年轻人有多少个？", "村里在外打工的年轻人，这两年陆续回来了37个。", True),  # the topic counted
    ("社区有多少个网格员？", "网格员小陈负责第三网格，其中独居老人23位。", False),     # a part of the topic
    ("这是今年第几场议事会？", "这已经是今年召开的第11场议事会。", True),
    ("协议啥时候公示？", "协议文本下周在楼道公示栏贴出来。", True),                     # a time told from now
    ("协议啥时候公示？", "协议文本在楼道公示栏贴出来。", False),
    ("孙明今年多大年纪？", "受访者中18至35岁的仅占19.8%。", False),               # an age bracket from one age to another
    ("网格员一共上报了多少件事？", "网格员共上报各类事件1346件。", True),           # 件 is the measure of 事
    ("志愿者一年总共服务了多少个小时？", "记录服务时长约63万小时。", True),         # hours counted
    ("网格调整前后分别有多少个？", "将42个网格细分为68个。", True),                 # both values asked
    ("孙明干了几年网格员？", "孙明2012年开始做网格员，至今已有12年。", True),       # doing it until now is holding it
    ("加装一部电梯总造价要多少钱？", "每台电梯财政补助20万元。", False),             # a subsidy is no cost
    ("加装一部电梯总造价要多少钱？", "一部电梯总造价约68万元。", True),
    ("报名打什么电话？", "联系人徐晓丽，电话8662 7315转8023。", True),               # a number in groups
    ("徐晓丽的手机号是多少？", "联系人徐晓丽，电话8662 7315转8023。", False),        # a landline is no mobile
    ("康宁服务站的预约电话是多少？", "可拨打区养老服务指导中心热线8726 3310。", False),  # another party's number
    ("互助队眼下有多少成员？", "队里现有队员38名。", True),                           # 多少成员 is no share
    ("还有几栋楼没谈拢？", "社区目前还有9个楼栋处于协商阶段。", True),               # 栋 in the noun 个 counts
    ("积分排到第几名以内能上光荣榜？", "年底积分排前20名的农户评为好人家。", True),     # a rank
    ("那7个小区分别叫什么？", "街道已有7个无物业小区实现了物业全覆盖。", False),       # names asked, none given
    ("那2个小区分别叫什么？", "力争桂香苑、枫林里两个小区再新装8部。", False),        # not written out as places
    ("那2个小区分别叫什么？", "力争桂香苑小区、枫林里小区再新装8部。", True),
    ("网格员一个月工资多少？", "每个网格配备1名专职网格员，另有兼职网格员215人。", False),  # a wage is money
    ("网格员一个月工资多少？", "专职网格员月均收入约3800元。", True),
    ("栏目一共收到多少封信？", "栏目陆续收到读者来信120余封。", True),                 # letters, meals, votes
    ("助餐点每天供多少份饭？", "助餐点每天供餐约180份。", True),
    ("汇编收了多少个案例？", "收录了全市20个老旧院落和农村院坝治理的典型案例。", True),  # the head after 的
    ("志愿队现在有多少人？", "现在队里41个人，最大的78岁。", True),          # 个 before 人 counts people
    ("志愿队现在有多少人？", "现在队里有41个项目。", False),
    ("讲师要招几个人？", "2. 讲师（12名）：每月开设手机课堂。", True),          # 几个人 counts people, as 几人
    ("讲师要招几个人？", "2. 讲师课堂每月开设12次。", False),
    ("家属得在几天之内跟社区说一声？", "老人去世的，家属应在15日内告知社区。", True),  # 日 within a limit is days
    ("家属得在几天之内跟社区说一声？", "老人于3月15日去世。", False),             # a date, not a span of days
    ("孙明干了几年网格员？", "孙明今年44岁，做网格员已经7年。", True),         # doing the job so long already
    ("孙明干了几年网格员？", "孙明今年44岁，小区建成已经7年。", False),
    ("许婷婷是第几网格的网格员？", "许婷婷负责的第3网格覆盖全部14栋楼。", True),  # a numbered unit is an ordinal
    ("许婷婷是第几网格的网格员？", "许婷婷负责的网格覆盖全部14栋楼。", False),
    ("直播一共卖了多少单？", "开播半小时，猕猴桃已经卖出1260单了！", True),        # orders counted as 单
    ("蜂蜜卖出去多少瓶？", "蜂蜜500克一瓶68元。", False),
    ("给多少只狗打了疫苗？", "当天，诊所为42只犬只免费注射了狂犬病疫苗。", True),   # animals counted as 只
    ("书屋现在有多少藏书？", "八年下来，书屋藏书增加到2300余册。", True),   # books counted as 册
    ("漏水的那户住几号房？", "张某住602室，李某住702室。", True),        # a numbered room answers 几号房
    ("漏水的那户住几号房？", "张某和李某是上下楼邻居。", False),
    ("执法队每晚几点到几点驻点？", "执法队员每晚22时30分至次日0时30分驻点巡查。", True),   # a time as notices print it
    ("执法队每晚几点到几点驻点？", "执法队员驻点巡查了2小时。", False),
    ("低保户每家能领多少补助？", "全镇共向312户低保家庭发放补助资金46万元。", False),  # a total is no rate per household
    ("低保户每家能领多少补助？", "312户低保家庭户均领取补助1470元。", True),
    ("护理床位每张给补多少钱？", "对配餐老人每餐补贴3元。", False),             # a rate per meal is no rate per bed
    ("护理床位每张给补多少钱？", "新增护理床位每张一次性补助5000元。", True),
    ("老楼加一台电梯公家补多少？", "每部电梯财政补助20万元。", True),          # another measure word for the item
    ("孙明干了几年网格员？", "孙明扎根网格14年，走遍了每一栋楼。", True),       # rooted in the post so long
    ("这个公众号一年的运营经费有多少？", "公众号开通两年，累计发布文章312篇。", False),  # a measured noun before 多少
    ("这个公众号一年的运营经费有多少？", "公众号每年运营经费约3万元。", True),
    ("街道常住人口一共是多少？", "开办“四点半课堂”14个，服务学生2300余人次。", False),
    ("街道常住人口一共是多少？", "全街道常住人口4.6万人。", True),
    ("这个季度村里一共支出了多少钱？", "　　　支出合计　　　　　　　　　　　　　　126,405.20", True),  # an account's amount
    ("这个季度村里一共支出了多少钱？", "　　　支出合计　　　　　　　　　　　　　　见附表", False),
    ("她在合作社一年能挣多少？", "光在合作社里摘菇、分拣，一年就挣了一万八千多。", True),   # a sum said without its unit
    ("她在合作社一年能挣多少？", "合作社今年新招了一万八千多名会员。", False),
    ("返工是哪天验收通过的？", "施工单位须于2024年7月15日前完成返工，由区住建局组织验收。", False),  # a deadline
    ("返工是哪天验收通过的？", "2024年7月16日，区住建局组织验收，返工通过。", True),
    ("“青禾办”小程序现在有多少注册用户？", "截至目前，小程序注册用户已达43万，日均访问2万人次。", True),  # in 万, no measure
    ("“青禾办”小程序现在有多少注册用户？", "小程序上线以来，群众反映办事更方便了。", False),
])
def test_fact_type_checks(question, evidence, answers):
    assert (evidence_lacks(q(question), evidence) is None) == answers


@pytest.fixture(scope="module")
def lexicon():
    return Lexicon.load(Settings().model_cache_dir)


def test_focus_is_supported_by_the_word_a_synonym_or_a_close_word(lexicon):
    focus = {"年轻人": 3.0, "参与": 2.0}
    text = "引导青年党员参与社区治理。"
    coverage, missing = focus_coverage(focus, set(Tokenizer()(text)), text, lexicon, 0.6)
    assert coverage == 1.0 and missing == []
    coverage, missing = focus_coverage({"毕业": 3.0, "大学": 1.0}, {"学院", "教授"}, "学院教授", lexicon, 0.6)
    assert "毕业" in missing and coverage < 0.34
    # a one-character qualifier before the noun: 新机制 is supported by 三项机制, never 新 alone
    assert focus_coverage({"新机制": 3.0}, {"机制"}, "我们推了三项机制。", lexicon, 0.6) == (1.0, [])
    assert focus_coverage({"新机制": 3.0}, {"新"}, "我们有新办法。", lexicon, 0.6)[0] < 1.0
    # a count named by its measure: 户数 by 612户, 人口 by 2100多口人; never by another measure
    text = "全村共612户、2100多口人。"
    assert focus_coverage({"户数": 2.0, "人口": 2.0}, set(Tokenizer()(text)), text, lexicon, 0.6) == (1.0, [])
    assert "户数" in focus_coverage({"户数": 2.0}, {"老人"}, "村里有老人300名。", lexicon, 0.6)[1]
    # a post asked (什么职务) is supported by a post printed, never by a sentence with none
    assert focus_coverage({"职务": 2.0}, set(), "全名韦小琳，是桃源社区居委会副主任。", lexicon, 0.6)[0] == 1.0
    assert focus_coverage({"职务": 2.0}, set(), "她2019年从一家公司考进社区。", lexicon, 0.6)[0] < 1.0


def _hit(text: str, speaker=SPEAKER) -> Hit:
    chunk = Chunk(id="a#000", doc_id="a", kind="speaker", text=text, spans=[(0, len(text))], speaker=speaker)
    return Hit(chunk=chunk, score=1.0, entity_match=True)


@pytest.fixture(scope="module")
def picker(lexicon):
    return SentencePicker(Tokenizer(), {}, 3.0, lexicon, max_sentences=3)


def test_sentences_in_reading_order_with_the_joining_middle_one(picker):
    text = "我们建了文化广场。广场每晚都有人跳舞。周末还有集市。另外修了停车场。"
    choice = picker.pick(q("社区的文化广场和集市是怎样的？"), [_hit(text)])
    chosen = [text[a:b] for a, b in choice.ranges]
    assert chosen == ["我们建了文化广场。", "广场每晚都有人跳舞。", "周末还有集市。"]


def test_a_method_question_takes_the_sentences_after_the_problem(picker):
    text = "以前停车难、吵架多。后来社区成立了业委会。现在矛盾少了七成。"
    choice = picker.pick(q("停车难、吵架多是怎么解决的？"), [_hit(text)])
    assert [text[a:b] for a, b in choice.ranges][1:] == ["后来社区成立了业委会。", "现在矛盾少了七成。"]


def test_who_did_it_takes_the_sentence_that_names_whom_the_pronoun_stands_for(picker):
    text = "下午，退伍军人庞志军来村委会找我。他说想牵头办一个养羊合作社。我答应帮他跑手续。"
    choice = picker.pick(q("想牵头办养羊合作社的是谁？"), [_hit(text)])
    assert [text[a:b] for a, b in choice.ranges][:2] == ["下午，退伍军人庞志军来村委会找我。", "他说想牵头办一个养羊合作社。"]

def test_synonyms_find_the_sentence_the_words_do_not(picker):
    text = "社区办了读书会。引导青年党员成立社会组织。"
    choice = picker.pick(q("怎么把年轻人组织起来？"), [_hit(text)])
    assert text[slice(*choice.ranges[0])] == "引导青年党员成立社会组织。"


def test_a_term_named_but_not_spelled_out_is_reported(picker):
    text = "街道摸索出一条‘一小三微’社区治理工作法，形成了独具特色的党建品牌。"
    assert picker.unexplained_term(q("‘一小三微’具体包括哪些？"), picker.pick(q("‘一小三微’具体包括哪些？"), [_hit(text)])) == "一小三微"
    listed = "建立‘411’工作机制：一月一走访，一月一盘点。"
    question = q("‘411’工作机制包括哪些？")
    assert picker.unexplained_term(question, picker.pick(question, [_hit(listed)])) is None


@pytest.mark.parametrize("question, phrasing, content", [
    ("这个沙龙多久办一回，下回去哪", {"一回"}, {"沙龙"}),
    ("孙明说得把哪几方拧到一块？", {"一块"}, set()),
    ("东门街道给社区的钱咋花由谁来定？", {"由谁来"}, set()),
])
def test_words_that_only_phrase_a_colloquial_question_are_never_missed(picker, question, phrasing, content):
    asked = q(question)
    tokens = picker.query_tokens(asked, focus=True)
    optional = picker.function_words(asked, tokens)
    assert phrasing <= optional and not (content & optional), (tokens, optional)
    # missing phrasing words do not make the evidence fall short; missing content words do
    focus = {t: 3.0 for t in tokens}
    coverage, missing = focus_coverage(focus, set(), "每季度举办一次沙龙。", None, 0.6, optional)
    assert not (set(missing) & phrasing)


def test_a_long_run_jieba_cannot_cut_is_still_asked_of_the_evidence(picker):
    asked = q("莲" * 50)
    assert picker.function_words(asked, picker.query_tokens(asked, focus=True)) == frozenset()


def test_a_stance_question_takes_the_sentence_of_what_must_be_done(picker):
    text = "我们社区有27个院落。必须把业委会和物业拧成一股绳。去年新增了车位。"
    choice = picker.pick(q("孙明强调了什么？"), [_hit(text)])
    assert text[slice(*choice.ranges[0])] == "必须把业委会和物业拧成一股绳。"


def _chunk(i: int, text: str, speaker=None, about=None) -> Chunk:
    return Chunk(id=f"a#{i:03d}", doc_id="a", kind="speaker" if speaker else "event", text=text,
                 spans=[(i * 100, i * 100 + len(text))], speaker=speaker, about=about)


def test_a_method_question_reads_on_to_the_paragraph_that_says_what_was_done(picker):
    problem = _chunk(0, "以前小区停车难、吵架多。", speaker=SPEAKER)
    middle = _chunk(1, "后来我们想明白了，光靠社区不行。", speaker=SPEAKER)
    done = _chunk(2, "在他的推动下，8个小区成立了业委会。", about=SPEAKER)
    other = _chunk(3, "别的社区成立了议事会。", speaker=Person(name="李四", title="党委书记", community="东城社区"))
    asked = q("新桥社区是怎么解决停车难、吵架多的？")
    choice = picker.pick(asked, [Hit(chunk=problem, score=1.0, entity_match=True)])
    assert [c.hit.chunk.id for c in read_on(picker, asked, choice, [middle, done, other])] == ["a#001", "a#002"]
    # never across to someone else's paragraph, and not for a question that is not about a method
    assert read_on(picker, asked, choice, [other, done]) == []
    assert read_on(picker, q("新桥社区以前有什么问题？"), choice, [middle, done]) == []


def test_reading_on_past_a_quote_takes_the_reports_words_after_it(picker):
    quote = Chunk(id="a#001", doc_id="a", kind="speaker", text="居民白天见不着人。", spans=[(100, 109)], speaker=SPEAKER)
    around = Chunk(id="a#002", doc_id="a", kind="event", text="新小区难题多。为此，社区把活动调到周末。",
                   spans=[(80, 87), (110, 123)], about=SPEAKER)
    asked = q("新桥社区怎么把白天见不着人的居民拉进来？")
    choice = picker.pick(asked, [Hit(chunk=quote, score=1.0, entity_match=True)])
    taken = read_on(picker, asked, choice, [around])
    assert [around.text[a:b] for a, b in taken[0].ranges] == ["为此，社区把活动调到周末。"]


def test_question_words_together_in_the_same_order_pick_the_sentence(picker):
    scattered = _hit("涉及的物业等单位必须派人到场答复，当场答复不了的，一周内回话。")
    together = _hit("物业公司当场承诺新增充电桩120个。")
    choice = picker.pick(q("物业当场答应了啥？"), [scattered, together])  # the scattered one ranks first
    assert choice.hit is together


def test_what_a_person_said_runs_from_their_first_sentence_on_it(picker):
    text = "今年查到飞线充电21处，都劝导拆除了。光靠查不是办法，还是要把充电桩建起来。"
    choice = picker.pick(q("孙明对飞线充电说了啥？"), [_hit(text)])
    assert len(choice.ranges) == 2


def test_a_method_answer_starts_at_the_action_before_the_best_sentence(picker):
    text = "我们坚持党建引领。党员和群众代表组建了骨干队伍；发动能工巧匠讨论院落方案。"
    choice = picker.pick(q("他们发动大伙干了些啥？"), [_hit(text)])
    chosen = [text[a:b] for a, b in choice.ranges]
    assert chosen[0].startswith("党员和群众代表组建了骨干队伍"), chosen


def test_numbered_points_are_one_answer(picker):
    text = ("减负是为了多陪居民。我们主要抓了三件事。一是实行准入管理。二是给考核瘦身。三是推行一表通。"
            "从效果看，走访时间多了。")
    choice = picker.pick(q("减负具体干了哪几件事？"), [_hit(text)])
    chosen = "".join(text[a:b] for a, b in choice.ranges)
    assert "一是" in chosen and "三是推行一表通。" in chosen and "从效果看" not in chosen


def test_an_enumeration_question_prefers_the_passage_that_lists_items(picker):
    # two passages with the same words on the topic: the one that lists the items answers 哪几样
    named = _hit("居民自筹资金十八万元，院子大变样。")
    listed = _hit("居民自筹资金用于加装路灯、修缮雨棚。")
    choice = picker.pick(q("居民自筹资金做了哪几样事？"), [named, listed])
    assert choice.hit is listed, [choice.hit.chunk.text]
    # a question that does not ask for a list keeps the passage its words match best
    assert picker.pick(q("居民自筹资金让院子大变样了吗？"), [named, listed]).hit is named


@pytest.mark.parametrize("question, two", [
    ("物业费收缴率前后差了多少？", True),
    ("村里信访件前后变化有多大？", True),      # 变化有多大 is no size and no age
    ("修路钱村民凑的和县里补的哪个多？", True),
    ("以前和现在一年收入差多少？", True),
    ("种植面积刚起步时和现在分别多少？", True),   # the start and now are two values too
    ("议事厅有多大？", False),
    ("前后开了几次会？", False),              # 前后 here is "in all", no comparison of two values
])
def test_two_values_of_one_thing_are_asked_as_a_change(question, two):
    asked = q(question)
    assert asked.two_values is two
    assert (asked.wants == "change") is two


def test_both_values_of_a_before_and_after_are_quoted(picker):
    before = _chunk(0, "小区物业费十多年未调整，2023年的实际收缴率只有41%。")
    between = _chunk(1, "社区召开了9场楼栋议事会。")
    after = _chunk(2, "截至9月底，物业费收缴率提升至86%，新增停车位64个。")
    asked = q("物业费收缴率前后差了多少？")
    hits = [Hit(chunk=c, score=1.0) for c in (before, between, after)]
    choice = picker.pick(asked, hits)
    other = picker.other_value(asked, choice, hits)
    assert {choice.hit.chunk.id, other.hit.chunk.id} == {"a#000", "a#002"}
    # a year or a span of years is no value; one sentence with both values needs no other
    both = _chunk(3, "以前鲜叶每斤卖8块钱，现在收购价提到每斤13块。")
    one = picker.pick(q("鲜叶收购价前后差多少？"), [Hit(chunk=both, score=1.0), Hit(chunk=after, score=1.0)])
    assert one.hit.chunk.id == "a#003" and picker.other_value(q("鲜叶收购价前后差多少？"), one, [Hit(chunk=after, score=1.0)]) is None
    # a question that sets no two values against each other takes no second sentence
    assert picker.other_value(q("物业费收缴率是多少？"), choice, hits) is None


@pytest.mark.parametrize("question, two", [
    ("路灯当初说装多少盏，最后装了多少盏？", True),     # one count per clause
    ("去年调解了多少起纠纷，今年计划调解多少起？", True),
    ("老章程和新章程分别有多少条？", True),            # two sides, one count each
    ("议事会开了多少次？", False),
    ("一共审了多少张票据，涉及多少钱？", False),        # two facts in two measures
    ("议事会开了几十次，谁主持的？", False),           # a round number, not a second count
    ("和的人口各有多少？", False),                     # a compared part's text, its two names taken out
])
def test_two_counts_asked_side_by_side_want_both_values(question, two):
    assert q(question).two_values is two


def _both_sides(picker, question: str, first: str, second: str, method: str) -> set[str] | None:
    """The passages of the chosen sentence and of the other side the picker's ``method`` adds."""
    asked, hits = q(question), [Hit(chunk=_chunk(i, t), score=1.0) for i, t in enumerate((first, second))]
    choice = picker.pick(asked, hits)
    found = getattr(picker, method)(asked, choice, hits)
    return found and {choice.hit.chunk.id, found.hit.chunk.id}


def test_the_other_count_of_a_plan_and_result_question_is_quoted(picker):
    assert _both_sides(picker, "路灯当初承诺装多少盏，实际装了多少盏？", "街道年初承诺为老旧小区装路灯200盏。",
                       "记者走访发现，到年底只装了80盏。", "other_value") == {"a#000", "a#001"}


@pytest.mark.parametrize("question, evidence, answers", [
    ("他辞职前在哪家公司上班？", "2021年他从外地一家互联网公司辞职回到家乡。", False),   # a kind of company, unnamed
    ("他辞职前在哪家公司上班？", "他原在澜江安居物业服务有限公司上班。", True),
    ("他在哪个部队服役？", "38岁的唐志刚是一名退役军人，在部队服役8年。", False),   # the bare kind says no which
    ("四点半课堂跟哪所小学合作？", "何丽萍联合辖区小学办起了四点半课堂。", False),
    ("四点半课堂跟哪所小学合作？", "何丽萍联合青石小学办起了四点半课堂。", True),
    ("食堂是哪家公司运营的？", "志愿服务时长存入“时间银行”，将来可兑换服务。", False),   # a scheme's quoted name
    # a body of another kind than the one asked is no answer; a 律所 is a 律师事务所, a 学院 a school
    ("食堂是哪家餐饮公司在运营？", "社区利用原幼儿园用房改建食堂，引入专业餐饮企业运营。", False),
    ("答疑的律师是哪家律所的？", "周启明（江州正衡律师事务所合伙人）答疑。", True),
    ("她是哪个学校的学生？", "青石师范学院大三学生韩雨桐也来了。", True),
])
def test_a_named_organisation_answers_which_one(question, evidence, answers):
    assert (evidence_lacks(q(question), evidence) is None) is answers



def test_what_a_thing_cost_is_answered_by_its_investment():
    from rag.lexicon import cost_words

    asked = q("敬老院改扩建总共花了多少钱？")
    evidence = "该项目总投资486万元，新增床位60张。"
    assert evidence_lacks(asked, evidence, ["敬老院", "改扩建"]) is not None   # no word of the question near the sum
    assert evidence_lacks(asked, evidence, ["敬老院", "改扩建", *cost_words(asked.text)]) is None
    assert cost_words("敬老院有多少张床位？") == ()      # only a question after a cost takes them
    assert "资金" not in cost_words("总共花了多少钱？")   # a fund is any sum's
    assert cost_words("改造一共投了多少钱？")               # colloquial for what was spent
    asked = q("老年食堂打算弄在哪，要多少钱？")                       # what it will cost
    assert evidence_lacks(asked, "准备把锅炉房改成长者食堂，申请了15万元改造资金。",
                          ["锅炉房", "食堂", *cost_words(asked.text)]) is None


@pytest.mark.parametrize("question, phrase", [
    ("东南角那两盏路灯最后装好了没？", "装好"),
    ("老张的儿子后来考上大学没？", "考上大学"),
    ("张先生最后在方案上签字了没？", "在方案上签字"),
    ("路灯是谁出钱装的？", ""),               # no outcome asked
])
def test_an_outcome_question_names_what_must_have_come_about(question, phrase):
    from rag.tense import outcome_phrase

    assert outcome_phrase(question) == phrase


def test_which_ones_of_a_counted_kind_the_report_never_names(picker):
    counted = "乡里将认真总结，明年在全乡另外5个村推广。"
    named = "明年在白鹭湾村、青石村推广。"
    asked = q("明年推广的另外5个村是哪几个村？")
    assert picker.unexplained_term(asked, picker.pick(asked, [_hit(counted)])) == "5个村"
    assert picker.unexplained_term(asked, picker.pick(asked, [_hit(named)])) is None
    # the counted kind may come first (另外5个村具体是哪几个)
    asked = q("明年要推广的另外5个村具体是哪几个？")
    assert picker.unexplained_term(asked, picker.pick(asked, [_hit(counted)])) == "5个村"


def test_a_full_name_asked_of_someone_known_only_as_lao_sun():
    from rag.absent import unknown_full_name

    index = EntityIndex([Person(name="老孙", title="退休工人", doc_id="a"),
                         Person(name="吴晓燕", title="网格员", community="新桥社区", doc_id="a")])
    assert unknown_full_name(understand("老孙全名叫啥？", index), index) == "老孙的全名"
    assert unknown_full_name(understand("小吴全名叫什么？", index), index) is None   # 吴晓燕 is her full name
    assert unknown_full_name(understand("老孙说了啥？", index), index) is None


def test_which_points_is_no_time_of_day():
    assert q("周部长最后提了哪几点要求？").wants != "clock" and q("夜话一般晚上几点开始？").wants == "clock"


def test_two_things_side_by_side_are_each_answered(picker):
    plus = _chunk(0, "比如环境卫生每月评一次，评上“最美庭院”一次加10分。")
    minus = _chunk(1, "乱堆乱放、占道晾晒的，一次扣5分。")
    other = _chunk(2, "积分超市每月开放一次。")
    asked = q("评上最美庭院和乱堆乱放分别加减几分？")
    assert asked.things == ("评上最美庭院", "乱堆乱放")
    hits = [Hit(chunk=c, score=1.0) for c in (plus, other, minus)]
    choice = picker.pick(asked, hits)
    assert choice.hit.chunk.id == "a#000" and picker.other_thing(asked, choice, hits).hit.chunk.id == "a#001"
    two = EntityIndex([SPEAKER, Person(name="周岚", title="党支部书记", community="柳巷村")])
    # people are parts, each answered on their own
    assert understand("孙明和周岚分别是怎么发动居民的？", two).things == ()
    # parallel items of one stem (方案二和方案三…各): the second is the item, not the rest of the question
    assert q("议题二和议题三投票表决各有几人赞成？").things == ("议题二", "议题三")


def test_who_said_a_described_speakers_words_takes_the_sentence_that_describes_them(picker):
    text = "一位拄着拐杖的老人慢慢站起来。“我说两句。广场是大家的。我前天差点被倒车的碰着。”"
    chunk = Chunk(id="a#000", doc_id="a", kind="event", text=text, spans=[(0, len(text))])
    choice = picker.pick(q("谁说前天差点被车碰到？"), [Hit(chunk=chunk, score=1.0)])
    chosen = [text[a:b] for a, b in choice.ranges]
    assert chosen[0] == "一位拄着拐杖的老人慢慢站起来。" and "碰着" in chosen[-1]
    # a named speaker's passage needs no introducer, nor does a question that is not who-said
    assert "老人" not in "".join(text[a:b] for a, b in picker.pick(q("前天差点被车碰到是怎么回事？"),
                                                                   [Hit(chunk=chunk, score=1.0)]).ranges)


def test_points_each_with_its_explanation_run_on_to_the_last(picker):
    text = ("为此采取了三项措施。一是重新选定运营方。4月份通过比选确定了新的运营方。二是降低运营成本。"
            "场地改为免费提供。三是扩大服务范围。增加了送餐上门服务。下一步还将继续推进。")
    choice = picker.pick(q("食堂采取了哪些措施？"), [_hit(text)])
    chosen = [text[a:b] for a, b in choice.ranges]
    assert chosen[0] == "为此采取了三项措施。" and chosen[-1] == "增加了送餐上门服务。"


def test_words_ending_in_a_colon_take_what_they_announce(picker):
    intro = Chunk(id="a#001", doc_id="a", kind="event", text="坐在前排的业委会主任当场表态：",
                  spans=[(100, 115)], about=SPEAKER)
    quote = Chunk(id="a#002", doc_id="a", kind="speaker", text="这个钱该花，我回去就开会。",
                  spans=[(116, 129)], speaker=SPEAKER)
    later = Chunk(id="a#003", doc_id="a", kind="event", text="会议持续到晚上九点。", spans=[(200, 210)])
    choice = picker.pick(q("业委会主任什么态度？"), [Hit(chunk=intro, score=1.0)])
    announced = after_colon(picker, choice, [quote, later])
    assert announced.hit.chunk.id == "a#002" and quote.text[slice(*announced.ranges[0])].startswith("这个钱该花")
    # a passage further on is not what the colon announces, and words ending in 。 announce nothing
    assert after_colon(picker, choice, [later]) is None
    assert after_colon(picker, picker.pick(q("会议开到几点？"), [Hit(chunk=later, score=1.0)]), [quote]) is None


def test_points_go_on_past_the_chosen_passage(picker):
    head = _chunk(0, "（一）收入合计：132.30")
    items = [_chunk(1, "1.土地发包收入：36.80"), _chunk(2, "2.厂房出租收入：28.50"), _chunk(3, "公示期为7天。")]
    asked = q("村里收入有哪几块来源？")
    choice = picker.pick(asked, [Hit(chunk=head, score=1.0)])
    assert [c.hit.chunk.id for c in points_after(picker, asked, choice, items)] == ["a#001", "a#002"]
    # a point that only names the measure at its passage's end is explained by the next passage
    named = _chunk(4, "一是推行积分制。二是建立恳谈日制度。")
    words = "班子成员每周四下午轮流到社区接待群众。全年接待群众800人次。"
    explained = Chunk(id="a#005", doc_id="a", kind="event", text=words, spans=[(named.end, named.end + len(words))])
    asked = q("恳谈日制度是怎么安排的？")
    choice = picker.pick(asked, [Hit(chunk=named, score=1.0)])
    assert [c.hit.chunk.id for c in points_after(picker, asked, choice, [explained])] == ["a#005"]
    assert points_after(picker, q("谁建立了恳谈日制度？"), choice, [explained]) == []


def test_an_age_is_the_persons_it_stands_next_to():
    from rag.evidence import age_of

    assert not age_of({"周建华"}, {"陈秀英"}, "70岁的陈秀英每天早上扫村口那段路。", theirs=True)
    assert age_of({"秦德山"}, {"陈秀英"}, "今年58岁的秦德山，村里人都叫他老秦。", theirs=False)
    assert age_of({"王秀英"}, {"赵一帆"}, "家住南塘小区12栋的72岁", theirs=True)      # the report's words on her
    assert not age_of({"王秀英"}, {"赵一帆"}, "家住南塘小区12栋的72岁", theirs=False)  # on no one in particular
    assert not age_of({"王春林"}, set(), "村两委现在7个人，平均年龄从2018年的54岁降到了38岁。", theirs=True)  # a group's


def test_a_question_about_the_past_takes_the_sentence_set_in_the_past(picker):
    text = "竹子就是我们的绿色银行。下一步要把竹编做成品牌。村子过去是出了名的空心村。"
    choice = picker.pick(q("以前碰上啥难题？"), [_hit(text)])
    assert [text[a:b] for a, b in choice.ranges] == ["村子过去是出了名的空心村。"]


def test_two_people_set_side_by_side_by_their_posts_are_each_whose_words_they_are(picker):
    manager = Person(name="孙浩", title="物业经理", doc_id="a")
    chair = Person(name="吴德华", title="业委会主任", doc_id="a")
    first = _chunk(0, "路灯的钱物业可以从公共收益里出，但要业委会同意。", speaker=manager)
    second = _chunk(1, "这个钱该花，我回去就开会。", speaker=chair)
    asked = q("装路灯这事，物业经理和业委会主任分别啥态度？")
    choice = picker.pick(asked, [Hit(chunk=first, score=1.0)])
    other = picker.other_thing(asked, choice, [Hit(chunk=first, score=1.0), Hit(chunk=second, score=0.9)])
    assert other is not None and other.hit.chunk.id == "a#001"   # though 业委会 is in 孙浩's words


def test_a_question_in_the_material_is_answered_by_the_reply_after_it(picker):
    resident = Person(name="孙桂芳", title="居民", doc_id="a")
    secretary = Person(name="林秀梅", title="党委书记", community="桂园社区", doc_id="a")
    asked_there = _chunk(0, "那一楼的王老师要是还不签字咋办？", speaker=resident)
    reply = _chunk(1, "我们请了社区的“老娘舅”调解员上门。", speaker=secretary)
    asked = q("一楼的住户要是不签字，社区打算咋办？")
    choice = picker.pick(asked, [Hit(chunk=asked_there, score=1.0)])
    assert reply_to(picker, asked, choice, [reply]).hit.chunk.id == "a#001"
    assert reply_to(picker, q("谁问一楼不签字咋办？"), choice, [reply]) is None   # who asked it: the question answers


def test_a_method_passage_scores_by_the_problem_and_what_follows_it(picker):
    restated = _chunk(0, "食堂运营成本上涨，运营方提出退出。", speaker=SPEAKER)
    solved = _chunk(1, "二是降低食堂成本。街道把场地改为免费提供，并给予运营补贴。", speaker=SPEAKER)
    asked = q("街道是怎么帮食堂把成本降下来的？")
    choice = picker.pick(asked, [Hit(chunk=restated, score=1.0), Hit(chunk=solved, score=1.0)])
    assert choice.hit.chunk.id == "a#001"


@pytest.mark.parametrize("evidence, answers", [
    ("目前全市已建成长者食堂412个。", False),                 # the whole city's count, not the district's
    ("枫林街道在4个社区建了长者食堂，共9个。", False),         # another place's count
    ("海城区已建成长者食堂37个。", True),
    ("我们这两年建了长者食堂37个。", True),                  # no place named: the speaker's own
    ("全区已建成长者食堂37个。", True),                      # the whole of the level asked
])
def test_a_count_of_a_named_place_is_not_another_places(evidence, answers):
    index = EntityIndex([Person(name="孙明", title="区长", district="海城区")])
    question = understand("海城区有多少个长者食堂？", index)
    assert (evidence_lacks(question, evidence) is None) is answers


def test_named_places_are_written_out_with_their_level():
    from rag.records import named_places, scopes

    assert named_places("西河区北关街道今年在桂园小区试点") == [("西河区", 1), ("北关街道", 2), ("桂园小区", 4)]
    assert named_places("家住柳河街道的老人，以前村里推动辖区老旧小区") == [("柳河街道", 2)]
    assert scopes("目前全市已建成") == {0}
    assert named_places("社区开设“党员积分超市”，每周一次集市") == []  # markets, no cities


@pytest.mark.parametrize("question, answers", [
    ("这期节目是哪天播出的？", False),          # what took place: a time to come is no answer
    ("协议啥时候公示？", True),                  # what is to come: it is
])
def test_a_time_to_come_is_no_date_of_what_took_place(question, answers):
    assert (evidence_lacks(q(question), "本期节目反映的问题，我们将在下周三的回音壁中跟踪报道。") is None) is answers


def test_a_callers_trouble_is_answered_by_the_reply_to_the_call(picker):
    caller = Person(name="听众王女士", title="听众", doc_id="a")
    director = Person(name="卢晓芸", title="办事处主任", street="望湖街道", doc_id="a")
    call = _chunk(0, "一楼两户不签字，说加装电梯挡光、有噪音。拖了快一年了。", speaker=caller)
    reply = _chunk(1, "王女士您好。比如挡光，可以用玻璃幕墙；噪音，可以选用低噪音机型。", speaker=director)
    asked = q("一楼住户嫌加装电梯挡光，街道打算怎么化解？")
    choice = picker.pick(asked, [Hit(chunk=call, score=1.0)])
    answered = reply_to(picker, asked, choice, [reply])
    assert answered.hit.chunk.id == "a#001" and "玻璃幕墙" in "".join(reply.text[a:b] for a, b in answered.ranges)


def test_two_times_side_by_side_are_each_answered(picker):
    assert _both_sides(picker, "1978年和1998年全村人均纯收入分别是多少？", "1978年，全村人均纯收入只有86元，人均口粮不足300斤。",
                       "路通的那一年，也就是1998年，全村人均纯收入首次突破1000元。", "other_thing") == {"a#000", "a#001"}


def test_a_sum_in_kuai_is_money():
    asked = q("社区食堂一顿饭多少钱？")
    assert evidence_lacks(asked, "一荤两素，一顿才12块钱，80岁以上的老人9块。", ["食堂", "一顿"]) is None
    assert evidence_lacks(asked, "门口挂了两块牌子，一顿饭要排队。", ["食堂", "一顿"]) is not None  # two boards are no price


@pytest.mark.parametrize("question, evidence, answers", [
    ("赵一帆是哪个学校的学生？", "青石师范学院大三学生赵一帆说。", True),
    ("护学岗在哪几所学校周边值守？", "每天在青枫小学、北塘小学周边5个路口值守。", True),
    ("他退休前在哪个学校教书？", "他退休前是一名老师。", False),
    ("他哪一年入的党？", "他1985年入了党。", True),
])
def test_a_school_is_said_by_its_own_kind(question, evidence, answers):
    assert (evidence_lacks(q(question), evidence) is None) is answers


@pytest.mark.parametrize("role, evidence, named", [
    ("保安", "我们明天起增派一名夜班保安，晚6点到10点在东门值守。", False),
    ("保安", "物业新聘了夜班保安王建军，晚6点到10点在东门值守。", True),
    ("负责人", "县民政局、县财政局有关负责人陪同视察。", False),
    ("老板", "合作社理事长吴秀兰是从浙江打工返乡的。", True),     # the role asked in other words
])
def test_a_roles_holder_is_named_by_the_role(role, evidence, named):
    from rag.named_things import names_holder

    assert names_holder(role, evidence) is named


@pytest.mark.parametrize("question, evidence, answers", [
    ("张阿姨的老伴今年多大岁数？", "今年70岁的张阿姨独自住在5栋。", False),          # her age, not his
    ("张阿姨的老伴今年多大岁数？", "张阿姨的丈夫今年73岁，腿脚不便。", True),         # 丈夫 is the 老伴
    ("李大爷的女儿叫什么名字？", "李大爷的女儿在外地工作，很少回来。", False),     # named as a relative only
    ("李大爷的女儿叫什么名字？", "李大爷的女儿王丽每周回来一次。", True),
    ("李大爷的孙子在哪上学？", "82岁的李大爷腿脚不便。", False),
])
def test_a_relative_asked_must_be_the_one_told(question, evidence, answers):
    assert (evidence_lacks(q(question), evidence) is None) is answers


@pytest.mark.parametrize("question, evidence, answers", [
    ("长者食堂开起来以后老人们反响怎么样？", "长者食堂计划于9月1日试运行。", False),          # the plan, no outcome
    ("长者食堂开起来以后老人们反响怎么样？", "长者食堂开张一个月，已有60多位老人天天来吃。", True),
    ("活动中心后来按时开放了没有？", "活动中心将于10月底前对居民开放。", False),
    ("书记最后提了哪几点要求？", "下一步要把议事会开到每个小区。", True),            # what was said then
    ("明年打算怎么推广？", "下一步将在全镇推广这个做法。", True),                    # a plan asked for
])
def test_an_outcome_is_not_told_by_the_plan(question, evidence, answers):
    assert (evidence_lacks(q(question), evidence) is None) is answers


@pytest.mark.parametrize("text, listed", [
    ("30多位居民代表、物业公司负责人和社区民警围坐在一起。", True),     # kinds of people
    ("今年有5名考生：杨佳怡、赵子轩、刘梦瑶。", True),                  # names no record holds
    ("就城乡社区发展治理难题、乡村振兴战略等话题分享了经验。", False),   # topics, not people
    ("来自全市的40余名街道、社区（村）书记参加。", False),              # one kind, its places listed
    ("市中医院主治医师韦立新、区司法局科长潘慧、社工站站长冯越受邀担任顾问。", True),  # each a post and a name
    ("卡上印着老人子女、楼栋长和社区医生的电话。", True),                # kin are people too
])
def test_a_list_of_people_is_told_from_a_list_of_things(text, listed):
    from rag.named_things import lists_people
    assert lists_people(text) is listed


@pytest.mark.parametrize("question, evidence, answers", [
    ("视频是哪天发到群里的？", "今年3月，一段视频在业主群里炸了锅。", False),       # a month gives no day
    ("视频是哪天发到群里的？", "3月11日晚上9点多，群里出现了一段视频。", True),
    ("议事会是哪天开的？", "议事会定在每个月月底召开。", False),
    ("慰问是哪天去的？", "2月3日，县领导走访了5户困难群众。", True),
    ("食堂什么时候开的？", "食堂于今年3月开张。", True),                        # 什么时候 takes a month
])
def test_a_day_asked_is_answered_by_a_day(question, evidence, answers):
    assert (evidence_lacks(q(question), evidence) is None) is answers


def test_a_method_question_prefers_the_sentence_that_lays_the_method_out(picker):
    # both tell something done (召开 / 采取); only one says how the matter was handled
    scene = _hit("社区召开议事会，收集居民诉求。")
    method = _hit("社区采取分类的做法，居民诉求分成三类。")
    choice = picker.pick(q("社区对居民诉求用了啥办法？"), [scene, method])
    assert choice.hit is method, [choice.hit.chunk.text]


@pytest.mark.parametrize("question, evidence, answers", [
    ("读书会办了多少期了？", "读书会至今已办32期。", True),                  # 期: sessions held
    ("他记了多少本台账？", "这几年他已经记满了5大本。", True),               # a size word between
    ("她一天走了多少步？", "计步器显示，她这一天走了18000步。", True),
    ("合作社一年分几回红？", "合作社一年只分一次红。", True),                # once is a count of times
    ("合作社一年分几回红？", "合作社成立于一个老社区。", False),             # 一个 is an article
])
def test_counts_in_less_common_measures(question, evidence, answers):
    assert (evidence_lacks(q(question), evidence) is None) is answers


def test_a_list_printed_one_item_a_line_is_given_from_its_first_item(picker):
    head = _chunk(0, "本次共招募志愿者30名：\n1. 探访员（20名）：每周上门一次。")
    items = [_chunk(1, "2. 帮办员（6名）：代购生活用品。"), _chunk(2, "3. 宣传员（4名）：负责推文撰写。")]
    asked = q("这次一共招了哪几类志愿者岗位？")
    choice = picker.pick(asked, [Hit(chunk=items[1], score=1.0)])
    before = points_before(asked, choice, [items[0], head])  # nearest first
    assert [c.hit.chunk.id for c in before] == ["a#000", "a#001"]
    # a question that lists nothing, or an item after something that is no list, takes none
    assert points_before(q("宣传员负责什么？"), choice, [items[0], head]) == []
    assert points_before(asked, choice, [_chunk(5, "报名时间：8月12日。")]) == []


@pytest.mark.parametrize("question, evidence, answers", [
    ("庞立新今年多大年纪？", "业主沈月琴今年70岁，住在8栋。", False),       # her age, and no record of his
    ("庞立新今年多大年纪？", "当选主任的庞立新今年56岁。", True),
    ("王奶奶今年多大岁数了？", "何丽萍今年51岁，是团队里工龄最长的。", False),
    ("她今年多大岁数了？", "87岁的韩桂兰独自住在7栋。", True),              # a pronoun: the history tells
])
def test_an_age_of_someone_no_record_holds_stands_by_their_name(question, evidence, answers):
    assert (evidence_lacks(q(question), evidence) is None) is answers


@pytest.mark.parametrize("question, evidence, counted", [
    ("请假的3名成员分别是谁？", "应到成员35名，实到32名，3名成员因病因事请假。", "3名成员因病因事"),
    ("请假的3名成员分别是谁？", "3名成员请假，分别是委员钟海燕、刘家明和王桂芝。", None),   # named
    ("投弃权票的两位代表是谁？", "赞成39票，反对1票，弃权2票。", None),        # no count of people
])
def test_people_counted_but_never_named_are_no_answer_to_who(question, evidence, counted):
    from rag.named_things import counted_not_named
    assert counted_not_named(question, evidence, set) == counted


def test_the_other_side_of_two_things_gives_the_fact_asked(picker):
    first = _chunk(0, "充电棚由网格员提议，估算8.6万元。")
    named = _chunk(1, "饭堂设备升级得票27票，排名第四，群众呼声很高。")
    priced = _chunk(2, "饭堂设备升级由退休教师提议，估算6.8万元。")
    asked = q("充电棚和饭堂设备升级各要花多少钱？")                # 各 before any verb sets two sides
    assert asked.things == ("充电棚", "饭堂设备升级")
    hits = [Hit(chunk=c, score=1.0) for c in (first, named, priced)]
    other = picker.other_thing(asked, picker.pick(asked, hits[:1]), hits)
    assert other is not None and other.hit.chunk.id == "a#002"   # the sum, not the votes


@pytest.mark.parametrize("question, evidence, answers", [
    ("全县60岁以上老人一共多少？", "河口村60周岁以上老人有312人。", False),       # one village's count
    ("全县60岁以上老人一共多少？", "全县60周岁以上老人8.6万人。", True),
    ("全县60岁以上老人一共多少？", "桐川县60周岁以上老人8.6万人。", True),        # the county by name
])
def test_a_count_of_a_whole_place_is_said_of_the_whole(question, evidence, answers):
    assert (evidence_lacks(q(question), evidence) is None) is answers


def test_a_votes_result_is_its_tally(picker):
    held = _hit("机耕道方案交由现场表决，大家发言踊跃。")
    tally = _hit("机耕道方案现场表决：同意25户，弃权2户。")
    assert picker.pick(q("机耕道方案现场表决结果咋样？"), [held, tally]).hit is tally


def test_what_someone_said_of_nothing_in_particular_is_what_they_say_first(picker):
    words = _hit("基层治理的关键，在于把为民做主变成由民做主。要让群众既是参与者，也是评判者。")
    choice = picker.pick(q("孙明点评时说了啥？"), [words])
    assert words.chunk.text[slice(*choice.ranges[0])].startswith("基层治理的关键")
    # a topic asked is looked for wherever it is said
    choice = picker.pick(q("孙明觉得群众该当什么角色？"), [words])
    assert any("评判者" in words.chunk.text[a:b] for a, b in choice.ranges)


def test_what_came_of_it_outranks_the_problem(picker):
    problem = _hit("双河村撂荒地一度超过400亩，田里长满了草。")
    settled = _hit("土地流转后，双河村撂荒地已全部复耕。")
    assert picker.pick(q("双河撂荒的地后来种上没有？"), [problem, settled]).hit is settled


@pytest.mark.parametrize("question, evidence, answers", [
    # a count of a whole wider place is not one of a place the question writes out, recorded or not
    ("桂苑小区一共有多少户居民？", "今年全区共改造老旧小区43个，惠及居民1.2万户。", False),
    ("桂苑小区一共有多少户居民？", "桂苑小区共有居民560户。", True),
    ("桂苑小区一共有多少户居民？", "小区共有居民560户，其中租户120户。", True),   # the place left unsaid
])
def test_a_count_of_a_wider_whole_is_no_count_of_a_named_place(question, evidence, answers):
    assert (evidence_lacks(q(question), evidence) is None) is answers


@pytest.mark.parametrize("question, evidence, counted", [
    ("那12家共建单位具体都是哪些？", "街道与辖区12家共建单位签订了协议。", "12家共建单位签订"),   # counted, not listed
    ("那3个小区分别叫什么？", "在桂苑、枫林里、东湖3个小区试点。", None),                         # listed by the count
    ("剩下的5件难事都是啥？", "已办结42件，剩下5件正在协调。", "5件正在协调"),
    ("两个网格分别是多少户？", "第一网格320户，第二网格410户。", None),                             # a count asked, not which
    ("那三条约定包括哪些？", "各方达成了三条约定：一是停止收费，已收的全部退还；", None),            # points after a colon
])
def test_things_counted_but_never_listed_are_no_answer_to_which(question, evidence, counted):
    from rag.named_things import counted_not_listed
    assert counted_not_listed(question, evidence) == counted


@pytest.mark.parametrize("question, evidence, elsewhere", [
    ("柳岸社区的党组织书记叫什么名字？", "青石区枫桥街道党工委书记何远东出席。", True),    # a street's, not the community's
    ("柳岸社区的党组织书记叫什么名字？", "柳岸社区党委书记孟雪梅介绍了做法。", False),
    ("柳岸社区的党组织书记叫什么名字？", "社区党委书记孟雪梅介绍了做法。", False),         # placed nowhere: may be theirs
    ("党组织书记叫什么名字？", "青石区枫桥街道党工委书记何远东出席。", False),           # no place asked
])
def test_a_post_holder_printed_at_another_place_is_not_the_one_asked(question, evidence, elsewhere):
    from rag.named_things import held_elsewhere
    assert held_elsewhere(question, "书记", evidence) is elsewhere


@pytest.mark.parametrize("question, evidence, unnamed", [
    ("陪同的县卫健局负责人叫什么？", "县民政局、县卫健局有关负责同志陪同。", True),   # the body's head never named
    ("陪同的县卫健局负责人叫什么？", "县卫健局局长潘立群陪同。", False),
    ("陪同的县卫健局负责人叫什么？", "副县长邝明陪同，县卫健局有关负责同志参加。", True),  # another's name is no answer
])
def test_the_head_of_a_named_body_is_named_after_it(question, evidence, unnamed):
    from rag.named_things import not_the_holder_asked
    assert not_the_holder_asked(question, "负责人", evidence) is unnamed


@pytest.mark.parametrize("question, evidence, label, unnamed", [
    ("她以前在浙江哪个城市打工？", "合作社理事长是从浙江打工返乡的“茶二代”。", "", True),   # the kind, never one of it
    ("她以前在浙江哪个城市打工？", "她在浙江宁波市打了十年工。", "", False),
    ("韩雨桐是哪个专业的学生？", "23名大学生志愿者参与授课。", "", True),
    ("韩雨桐是哪个专业的学生？", "韩雨桐是社会工作专业大三学生。", "", False),
    ("说这话的网格员是哪个网格的？", "红黑榜不点名，只公布楼栋。", "桂香社区第三网格网格员", False),  # the label names it
    ("哪个网格员说的？", "红黑榜不点名。", "", False),                                    # 网格员 is a person, no kind asked
])
def test_which_one_of_a_kind_is_answered_only_by_one_named(question, evidence, label, unnamed):
    from rag.named_things import which_unnamed
    assert (which_unnamed(question, evidence, label, True) is not None) is unnamed


def test_a_value_then_and_a_value_planned_are_two_values_of_one_thing(picker):
    # (去年修了多少，今年计划改造多少公里: two lengths, two times; the past half is no missing plan)
    asked = q("机耕道去年修了多少，今年计划再修多少公里？")
    assert asked.two_values and evidence_lacks(asked, "去年新修机耕道12.5公里。") is None
    done = _chunk(0, "去年新修机耕道12.5公里。")
    plan = _chunk(1, "今年计划再修机耕道8公里。")
    hits = [Hit(chunk=c, score=1.0) for c in (done, plan)]
    choice = picker.pick(asked, hits)
    assert picker.other_value(asked, choice, hits) is not None


def test_a_time_word_before_a_measured_noun_is_no_part_of_it():
    # (合作社去年销售额多少: what is counted is 销售额, not 年销售额)
    assert q("合作社去年销售额多少？").noun == "销售额"
    assert q("这个公众号一年的运营经费有多少？").noun == "运营经费"
