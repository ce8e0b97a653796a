"""Question understanding on small in-memory records: what is asked, before who is named."""
import pytest

from rag.records import Entity, EntityIndex, Person
from rag.understand import frame_free, understand

PEOPLE = [
    Person(name="孙明", title="党委书记", district="海城区", street="东门街道", community="新桥社区", doc_id="a"),
    Person(name="周岚", title="党支部书记", district="海城区", street="西门街道", community="柳巷村", doc_id="a"),
    Person(name="冯远", title="教授", affiliation="海城大学公共管理学院", doc_id="a"),
    Person(name="郑丙", title="党委书记", district="山城区", street="北门街道", community="桃园社区", quoted=False, doc_id="a"),
]


@pytest.fixture(scope="module")
def records():
    return EntityIndex(PEOPLE)


@pytest.mark.parametrize("question, intent, asks, wants", [
    ("孙明和周岚分别是怎么发动居民的？", "compare", "method", None),     # two people, distributive
    ("新桥社区与柳巷村有什么不同？", "compare", "", None),                # two places
    ("海城区和山城区各有哪几位书记？", "compare", "", None),   # a list per place
    ("新桥社区和柳巷村各开了几场议事会？", "compare", "", "number"),   # 各 before any verb: each of the two
    ("海城区有哪些书记？", "list", "enumeration", None),
    ("论坛上讨论了哪些话题？", "search", "enumeration", None),          # things, not people
    ("青年社下面有哪几个俱乐部？", "search", "enumeration", None),       # 哪几个 lists, not counts
    ("“三联+”联系的是哪些人？", "search", "enumeration", None),         # what a named thing covers
    ("新桥社区每个网格里都配了哪些人？", "search", "enumeration", None),  # what a thing is made of
    ("评议小组都有哪些人？", "search", "enumeration", None),              # a body's members
    ("说到停车，孙明和周岚各自咋说的？", "compare", "", None),          # their words, not a method
    ("孙明是咋把居民发动起来的？", "search", "method", None),
    ("哪些人参加了交流会？", "list", "enumeration", None),              # but those present are people
    ("一共有几位书记发言？", "count", "", "number"),
    ("新桥社区有多少户居民？", "search", "", "number"),
    ("活动是哪天举行的？", "search", "", "date"),
    ("多长时间能赶到？", "search", "", "duration"),
    ("孙明今年多大年纪？", "search", "", "age"),
    ("孙明的电话是多少？", "search", "", "phone"),
    ("孙明是哪个社区的？", "person", "", None),
    ("新桥社区的书记是谁？", "who_is", "", None),
    ("谁是新桥社区的党委书记？", "who_is", "", None),
    ("海城这次书记交流会的主题叫啥？", "search", "", "name"),          # a thing's name, not a person
    ("下一期沙龙定在哪天？", "search", "", "date"),
    ("谁提出了院落议事？", "who_said", "", None),
    ("这篇报道的照片是谁拍的？", "byline", "", None),
    ("柳巷村怎样调动村民的积极性？", "search", "method", None),
    ("‘红色管家’是什么意思？", "search", "definition", None),
    ("新桥社区的院子平时靠谁来管？", "search", "method", None),       # 谁 acts inside the answer
    ("钱咋花由谁来定？", "search", "method", None),
    ("孙明强调了什么？", "search", "stance", None),                    # what someone stresses
    ("新桥社区搞了什么特色做法？", "search", "method", None),
    ("冯远怎么看院落议事？", "search", "stance", None),
    ("孙明说他家老人现在咋样了", "search", "", None),                  # a state, not a method
    ("“时间银行”志愿者是啥情况？", "search", "", None),                 # a state, not a definition
    ("柳巷村怎样才能调动村民？", "search", "method", None),            # 怎样 going on to a verb
    ("提出把名字和电话贴到巷口的是谁？", "who_said", "", None),        # the phone is in the words, not asked
    ("新一届村委会委员有哪几个人？", "search", "enumeration", None),     # a body's seats, not the list or a count
    ("孙明在村里担任什么？", "person", "", None),                       # a post, from the records
    ("两个村分别用的啥工作法？", "search", "method", None),               # a named way of working
    ("孙明住几号楼？", "person", "", None),                             # a building's number: no date, no count
    ("巡逻队队员主要是哪些人？", "search", "enumeration", None),        # a body's members
    ("那晚来开会的都有哪几类人？", "search", "enumeration", None),       # kinds of people
    ("积分超市能换些啥", "search", "enumeration", None),                 # some things, listed
    ("共享车位出了刮蹭谁来管？", "search", "method", None),              # who will do it, not who said it
    ("几号窗口能办？", "search", "", "number"),                        # a counter's number, no date
    ("孙明对这次培训怎么评价的？", "search", "stance", None),              # a judgement asked is a view
    ("议事会都请了哪些人来？", "search", "enumeration", None),           # whom a body invites, as the text names them
    ("兼职网格员一般由哪些人来担任？", "search", "enumeration", None),   # whom a role is given to
    ("新桥社区有哪些人参加了这次交流？", "list", "enumeration", None),   # the people who came
    ("有几位听众打进了电话？", "search", "", "number"),                # a call made, not a number to call
    ("热线电话是多少？", "search", "", "phone"),
    ("报名打什么电话？", "search", "", "phone"),
    ("这是哪个电台的节目？", "search", "", "org"),                     # a broadcaster by name
    ("这篇报道主要讲了什么？", "gist", "", None),
    ("孙明对这份方案是什么态度？", "search", "stance", None),           # his view, not the document's gist
    ("孙明对调解纠纷有啥心得？", "search", "stance", None),             # what one has learnt is a view
    ("物业新增的那名夜班保安叫什么？", "search", "", "person_name"),     # a role's holder, by name
    ("说孙明开会从不超过一个小时的是谁？", "who_said", "", None),        # he is inside the words asked about
    ("镇里定的“三不”原则是哪三不？", "search", "enumeration", None),    # which ones of a number named
])
def test_intent_comes_from_what_is_asked(records, question, intent, asks, wants):
    q = understand(question, records)
    assert (q.intent, q.asks, q.wants) == (intent, asks, wants)


def test_named_records_and_short_place_forms(records):
    q = understand("新桥有几个网格？", records)
    assert [(e.field, e.value) for e in q.entities] == [("community", "新桥社区")]
    assert understand("孙明和冯远怎么看？", records).parts == [Entity("name", "孙明", "孙明"), Entity("name", "冯远", "冯远")]


def test_pronouns_carry_the_last_answer_and_stay_inside_the_filter(records):
    history = [{"question": "新桥社区的书记是谁？", "answer": "孙明是海城区东门街道新桥社区党委书记。"}]
    q = understand("他还说了什么？", records, history)
    assert q.carried and [e.value for e in q.entities] == ["孙明"]
    outside = understand("他还说了什么？", records, history, {"district": "山城区"})
    assert "孙明" not in [e.value for e in outside.entities]


def test_a_filter_is_the_subject_of_a_question_that_names_no_one(records):
    q = understand("他是哪个村的？", records, filters={"name": "周岚"})
    assert q.intent == "person" and [e.value for e in q.entities] == ["周岚"]


def test_frame_words_are_not_what_the_question_is_about():
    assert "年纪" not in frame_free("孙明多大年纪？") and "孙明" in frame_free("孙明多大年纪？")
    assert "哪所" not in frame_free("冯远是哪所大学毕业的？") and "毕业" in frame_free("冯远是哪所大学毕业的？")
    assert "强调" not in frame_free("孙明强调了什么？")
    # where or when the words were said is their setting, not what they are about
    assert "调研" not in frame_free("韦国华在石门调研时指出了什么？") and "石门" not in frame_free("韦国华在石门强调了啥？")
    # (acts of speaking at a meeting name how the words were given: 评议时追问, 点评)
    assert "追问" not in frame_free("评议时是谁追问积分超市的？") and "评议" not in frame_free("孙明点评时评议了啥")


@pytest.mark.parametrize("question, intent", [
    ("提议在村小厨房开食堂的是哪个", "who_said"),      # 哪个 asks who, as spoken in the southwest
    ("反映水管子没水的是哪个村民？", "who_said"),      # before a kind of person
    ("新桥社区的食堂开在哪个小区？", "search"),        # before a place it asks which place
])
def test_which_one_asks_who_of_people_only(records, question, intent):
    assert understand(question, records).intent == intent


@pytest.mark.parametrize("question, intent", [
    ("冯远是哪家律所的？", "person"),          # the body a named person belongs to: their record
    ("冯远是哪所大学毕业的？", "search"),      # a past the records do not hold
    ("孙明那栋楼的电梯是哪家公司装的？", "search"),  # what a body did
])
def test_which_body_a_named_person_belongs_to_is_asked_of_the_records(records, question, intent):
    assert understand(question, records).intent == intent


def test_which_part_is_no_where_and_a_meeting_remark_is_the_persons_words(records):
    q = understand("孙明批评新桥社区台账哪里不行？", records)
    assert q.intent == "search" and q.asks_own_words


def test_how_the_article_introduces_a_named_person_is_kept_apart(records):
    q = understand("海城大学的冯远教授觉得院落议事关键在哪？", records)
    assert "海城大学公共管理学院教授" in q.introductions and "觉得" not in frame_free(q.text)


def test_shown_sentences_are_skipped_only_when_the_reader_asks_for_more(records):
    history = [{"question": "新桥社区怎么做的？", "answer": "“我们建了文化广场。”——孙明"}]
    assert understand("孙明还有什么做法？", records, history).history_quotes == {"我们建了文化广场。"}
    assert understand("为什么建在这里？", records, history).history_quotes == set()


def test_what_a_named_person_said_asks_for_their_own_words(records):
    assert understand("孙明对院落议事说了啥？", records).asks_own_words
    assert not understand("新桥社区对院落议事说了啥？", records).asks_own_words


def test_people_addressed_by_surname_and_post():
    index = EntityIndex([Person(name="顾文静", title="党委书记", community="莲池社区", doc_id="w"),
                         Person(name="陆海", title="社区民警", doc_id="w"),
                         Person(name="王一", title="党委书记", doc_id="x"), Person(name="王二", title="党委书记", doc_id="x")])
    q = understand("顾书记和陆警官各自说了啥？", index)
    assert [e.value for e in q.parts] == ["顾文静", "陆海"] and q.intent == "compare"
    assert understand("王书记说了啥？", index).entities == []  # two 王书记 in one report: neither
    printed = EntityIndex([Person(name="石磊", title="副区长", doc_id="b"), Person(name="蒋红", title="党委副书记、镇长", doc_id="t"),
                           Person(name="孙德明", title="二级巡视员", doc_id="p")])
    assert [e.value for e in understand("石副区长和蒋镇长各自讲了啥？", printed).entities] == ["石磊", "蒋红"]
    assert [e.value for e in understand("孙巡视员说了啥？", printed).entities] == ["孙德明"]
    residents = EntityIndex([Person(name="马淑兰", title="退休教师", doc_id="s"), Person(name="许文斌", title="党委书记", doc_id="s")])
    assert [e.value for e in understand("马奶奶爬一趟楼是啥感觉？", residents).entities] == ["马淑兰"]
    assert understand("许大爷说了啥？", residents).entities == []  # a secretary is no 大爷 to readers
    # a neighbourhood post, or no post printed at all, keeps the kinship forms
    neighbours = EntityIndex([Person(name="罗桂兰", title="楼栋长", doc_id="n"), Person(name="周桂兰", title="", doc_id="n")])
    assert [e.value for e in understand("罗阿姨是怎么当好楼栋长的？", neighbours).entities] == ["罗桂兰"]
    assert [e.value for e in understand("周奶奶家平时谁来照看？", neighbours).entities] == ["周桂兰"]


def test_a_familiar_name_is_the_one_person_of_that_surname():
    people = [Person(name="秦德山", title="党支部书记", community="桃坞村", doc_id="f"),
              Person(name="区明", title="居民", doc_id="f"), Person(name="刘福贵", title="村委会主任", doc_id="f"),
              Person(name="刘芳", title="网格员", doc_id="g")]
    index = EntityIndex(people)
    assert [e.value for e in understand("老秦今年多大岁数了？", index).entities] == ["秦德山"]
    # 老刘 of report f is 刘福贵 (the 刘 of report g is another report's person)
    assert [e.value for e in understand("老刘是哪个村的？", index, filters={"doc_id": "f"}).entities] == ["刘福贵"]
    assert understand("小区停车怎么办？", index).entities == []  # 小区 is a word, never 区明


def test_the_same_address_in_two_reports_is_each_reports_own_person():
    index = EntityIndex([Person(name="蒋红", title="党委副书记、镇长", doc_id="tv"),
                         Person(name="蒋晓芸", title="党委书记", community="桂香社区", doc_id="brief")])
    assert [e.value for e in understand("蒋书记多大岁数？", index, filters={"doc_id": "brief"}).entities] == ["蒋晓芸"]
    assert [e.value for e in understand("蒋书记多大岁数？", index, filters={"doc_id": "tv"}).entities] == ["蒋红"]


def test_places_of_different_levels_are_compared_part_by_part(records):
    q = understand("柳巷村去年的收入和东门街道今年的经费分别是多少？", records)
    assert [e.value for e in q.parts] == ["柳巷村", "东门街道"] and q.intent == "compare"


def test_a_named_persons_age_is_a_fact_type_not_a_record_field(records):
    assert understand("孙明今年多大岁数？当书记前是做什么的？", records).intent == "search"
    assert understand("冯远是哪个单位的？", records).intent == "person"


@pytest.mark.parametrize("question, intent", [
    ("孙明是干啥的？", "person"),                  # an occupation
    ("孙明是在哪读的博士？", "search"),            # where he studied: a past, not his post
    ("谁夸孙明干事有韧劲？", "who_said"),          # 孙明 is whom the words are about
    ("谁和孙明一起去了茶园？", "search"),          # a companion, not a speaker
    ("孙明在哪工作？", "person"),
    ("孙明在哪儿上班？", "search"),                # a resident's job: the report's words tell it
    ("孙明本职是干啥的？", "search"),              # the job behind the post
    ("孙明当书记之前是干啥的？", "search"),        # a past the records do not hold
    ("孙明是做什么的？", "person"),
    ("傍晚孙明跟谁一块去了茶园？去干啥？", "search"),  # what was done there: an event
])
def test_what_is_asked_about_a_named_person(records, question, intent):
    assert understand(question, records).intent == intent


@pytest.mark.parametrize("question, role", [
    ("这篇报道的照片是谁拍的？", "摄影"),
    ("记者是谁？", "记者"),
    ("这篇稿子是谁写的？", "记者"),
    ("说以前定事全靠两委拍板的是哪位？", ""),   # 拍板 decides; nobody photographed anything
    ("因为扣分跑去村委会拍桌子的是谁？", ""),    # nor does 拍桌子
    ("现场照片谁拍了？", "摄影"),
    ("记者是哪天去石桥村的？", ""),             # the date of a visit, not who wrote it
    ("这张图是谁制作的？", "制图"),             # the other credits a report prints
    ("这份实录是谁整理的？", "整理"),
    ("解说词是谁执笔的？", "记者"),
    ("整理出的问题清单是哪几项？", ""),         # what was compiled, not who compiled it
])
def test_byline_questions_ask_who_wrote_or_photographed(records, question, role):
    assert understand(question, records).role == role


@pytest.mark.parametrize("question, wants", [
    ("义诊多久搞一次？", "frequency"),                  # how often: a recurring time
    ("义诊跟哪家医院合作？多久搞一次？", "frequency"),    # two facts asked at once: the other in also_wants
    ("孙明当了几年书记？", "duration"),
    ("议事会开了多长时间？", "duration"),
    ("新桥社区这几年推出了哪些做法？", None),   # 这几年: a period, not a length asked for
    ("近几个月社区办了什么事？", None),
    ("居民吵了几轮还定不下来，街道咋办？", None),       # the number sets the scene; a method is asked
    ("路修了多长？", "length"),
    ("业委会组织书面表决是哪几天？", "date"),        # which days: dates, not how long
    ("他当村支书是哪几年？", "year"),
    ("家属得在几天之内跟社区说一声？", "duration"),
])
def test_a_period_named_is_not_a_length_asked_for(records, question, wants):
    assert understand(question, records).wants == wants


@pytest.mark.parametrize("question, intent, asks, wants, unit, noun", [
    ("谁说补偿款管得了一时、管不了几十年？", "who_said", "", None, "", ""),  # 几十年 is a round number
    ("这事拖了十几年，社区咋办的？", "search", "method", None, "", ""),
    ("有谁说到要给村干部减负？", "who_said", "", None, "", ""),           # 有谁说 asks who said it
    ("柳荫上年纪的人多吗？60岁往上的占多少？", "search", "", "ratio", "", ""),  # 上年纪: the elderly
    ("上了岁数的老人占多大比重？", "search", "", "ratio", "", ""),          # 上了岁数: the elderly too
    ("其他几个委员各管什么？", "search", "", None, "", ""),                 # 几 points at them: no count
    ("几个委员当选了？", "search", "", "number", "个", "委员当选"),
    ("几点开始，在哪集合？", "search", "", "clock", "", ""),                # a time asked, whatever follows
    ("滨河是怎么说通低层住户的？", "search", "method", None, "", ""),      # 说通: persuaded, a method
    ("那家物业公司叫啥名字？", "search", "", "org", "", ""),
    ("活动的主题叫啥名字？", "search", "", "name", "", ""),
    ("到现在一共装了几部电梯？", "search", "", "number", "部", "电梯"),
    ("一共多少人参会？", "search", "", "number", "人", ""),                # those attending are counted
    ("每天大概有多少人去吃？", "search", "", "number", "人", ""),          # people doing something
    ("办酒席的花费降了多少？", "search", "", "change", "", ""),         # a change, not a sum of money
    ("那天记者跟谁跑的巷子？", "search", "method", None, "", ""),       # whom the reporter met: no byline
    ("现在物业费收缴率到多少了？", "search", "", "ratio", "", ""),
    ("杨书记记了多少页笔记？", "search", "", "number", "页", "笔记"),
    ("孙明为周岚的事上门了几趟？", "search", "", "number", "趟", "事上门了"),  # one person the other's object
    ("两个社区的网格分别有多少户？", "search", "", "number", "户", "网格"),  # 分别 is not what is counted
])
def test_round_numbers_and_colloquial_asks(records, question, intent, asks, wants, unit, noun):
    q = understand(question, records)
    assert (q.intent, q.asks, q.wants) == (intent, asks, wants)
    if wants == "number":
        assert (q.unit, q.noun) == (unit, noun)


@pytest.mark.parametrize("question, speaker", [
    ("律师对停门禁卡催费咋看？", "周启明"),                  # the report's one lawyer speaks
    ("王女士这种情况，律师建议怎么办？", "周启明"),            # whoever else the question names
    ("律师说这笔收入到底归谁？", "周启明"),                    # a whom inside what is asked
    ("“律师说法”栏目收到多少条留言？", None),                 # a column's name, inside quotes
    ("调解员都是些什么人？", None),                            # a kind asked about, not who speaks
])
def test_a_kind_of_person_who_speaks_is_the_reports_one_such_person(question, speaker):
    index = EntityIndex([Person(name="周启明", title="律师", affiliation="正衡律师事务所", doc_id="m"),
                         Person(name="王女士", title="读者", doc_id="m"),
                         Person(name="马德胜", title="调解员", doc_id="m")])
    q = understand(question, index)
    assert (q.speaker_asked.value if q.speaker_asked else None) == speaker


def test_an_office_named_by_its_body_or_place_is_its_holder():
    index = EntityIndex([Person(name="孙丽萍", title="副局长", affiliation="县民政局", doc_id="m"),
                         Person(name="李国栋", title="党委副书记", street="桐坪镇", doc_id="m"),
                         Person(name="王德顺", title="党总支书记", street="桐坪镇", community="杏花村", doc_id="m")])
    assert [e.value for e in understand("县民政局副局长说了啥？", index).named("name")] == ["孙丽萍"]
    # the town's own official before its village's; the title as asked before what it asks for
    assert [e.value for e in understand("桐坪镇书记咋说的？", index).named("name")] == ["李国栋"]
    assert [e.value for e in understand("桐坪镇那个副书记咋说的？", index).named("name")] == ["李国栋"]
    assert [e.value for e in understand("杏花村的书记讲了啥", index).named("name")] == ["王德顺"]
    # no one holds it: nobody is named (the answerer says the material has no such person)
    assert understand("县司法局局长讲了啥？", index).named("name") == []
    village_only = EntityIndex([Person(name="王德顺", title="党总支书记", street="桐坪镇", community="杏花村", doc_id="m")])
    assert understand("桐坪镇书记讲了啥？", village_only).named("name") == []  # a village's is no town's
    assert understand("那个上台演讲的医院院长说了啥？", index).named("name") == []
    # a title that names its level asks for that level only (a county's 县委书记 is no village's 书记)
    county = EntityIndex([Person(name="王德顺", title="党总支书记", district="青岚县", street="桐坪镇",
                                 community="杏花村", doc_id="m")])
    assert county.offices("青岚县的县委书记是谁？", {}) == [("青岚县县委书记", [])]
    assert index.offices("县司法局局长讲了啥？", {}) == [("县司法局局长", [])]
    assert index.offices("来开会的书记来自哪里", {}) == []  # 来开会 is no body
    experts = EntityIndex([Person(name="范思远", title="副教授", affiliation="云川大学公共管理学院", doc_id="s"),
                           Person(name="许文斌", title="党委书记", community="桂苑社区", doc_id="s")])
    assert [e.value for e in understand("专家说维护费咋解决？", experts).named("name")] == ["范思远"]


def test_he_is_the_person_though_the_question_also_says_village():
    index = EntityIndex([Person(name="何文才", title="村民", community="竹园村", doc_id="l"),
                         Person(name="杨德明", title="党支部书记", community="竹园村", doc_id="l")])
    history = [{"question": "何文才多大年纪？", "answer": "“72岁的村民何文才坐在长椅上。”——据报道《竹园村的这一年》"}]
    q = understand("他现在对村里的变化咋看？", index, history)
    assert [(e.field, e.value) for e in q.entities] == [("name", "何文才")]


def test_a_road_or_market_named_after_a_place_is_not_the_place():
    from rag.records import EntityIndex, Person

    records = EntityIndex([Person(name="何振宇", title="党委书记", community="荷风社区")])
    assert not [e for e in records.find("荷风路晚上能停车吗") if e.field == "community"]
    assert not [e for e in records.find("荷风菜市场门口谁管") if e.field == "community"]
    # (a residential compound named after it is no community either: 荷风苑业委会)
    assert not [e for e in records.find("荷风苑业委会主任是谁") if e.field == "community"]
    assert [e.value for e in records.find("荷风的停车难咋解决") if e.field == "community"] == ["荷风社区"]
    assert [e.value for e in records.find("荷风社区路灯坏了") if e.field == "community"] == ["荷风社区"]


def test_a_post_asked_in_full_is_never_its_deputys():
    from rag.lexicon import holds_title

    assert holds_title("党工委书记", "书记") and not holds_title("党工委副书记", "书记")
    assert holds_title("党委副书记", "副书记")
    index = EntityIndex([Person(name="邵雅琴", title="党工委副书记", street="望湖街道", doc_id="m")])
    assert index.offices("望湖街道党工委书记是谁？", {}) == [("望湖街道党工委书记", [])]   # unheld, not the deputy
    assert [p.name for _, held in index.offices("望湖街道书记说了啥？", {}) for p in held] == ["邵雅琴"]  # loosely asked


def test_a_pronoun_means_the_one_person_the_last_question_named(records):
    history = [{"question": "孙明住在哪个小区？", "answer": "“孙明住在新桥小区五栋。”\n——据报道（报道对周岚所在单位的介绍，非其原话）"}]
    assert [e.value for e in understand("他的儿女在哪里？", records, history).named("name")] == ["孙明"]
    # unless it asked after someone else: then the one the answer names is meant
    history = [{"question": "孙明家隔壁的那位网格员叫啥？", "answer": "“网格员周岚每天都来。”\n——据报道"}]
    assert [e.value for e in understand("她今年多大了？", records, history).named("name")] == ["周岚"]


def test_the_office_of_a_place_no_record_is_of_is_no_other_places():
    index = EntityIndex([Person(name="吴桂芬", title="党委书记", community="柳塘社区", doc_id="p"),
                         Person(name="吴长松", title="村委会主任", doc_id="v")])
    # 东篱社区 is printed in the report, but no one is recorded there: 柳塘社区's secretary is not theirs
    assert index.offices("东篱社区的党委书记是谁？", {}) == [("东篱社区党委书记", [])]
    # someone recorded at no place may hold it (a one-village report's labels print no village):
    # not decided here, the passages tell
    assert index.offices("石门坎村的村委会主任是谁", {}) == []
    assert index.offices("这次社区书记交流会是哪天开的", {}) == []  # 次社区 writes out no place


def test_a_community_no_one_is_recorded_at_may_be_held_by_an_unplaced_holder():
    index = EntityIndex([Person(name="宋家伟", title="党委书记", doc_id="g"),
                         Person(name="何敏", title="居民", community="枫林苑社区", doc_id="other")])
    # 枫林苑社区 is known (from another report); in this one 社区党委书记宋家伟 is printed with no
    # community: not decided here, the passages tell
    assert index.offices("枫林苑社区党委书记是谁", {"doc_id": "g"}) == []


@pytest.mark.parametrize("question, intro, told", [
    ("他以前是干啥工作的？", "志愿服务队队长邓国华是一名退休电工", True),
    ("他以前是干啥工作的？", "志愿服务队队长邓国华", False),             # the introduction does not say
    ("他今年多大了？", "77岁的村民王德贵哽咽着说", True),
    ("他家房子有多大面积？", "77岁的村民王德贵哽咽着说", False),          # a size, not an age
])
def test_a_persons_background_is_asked_of_their_introduction(question, intro, told):
    from rag.record_answers import BACKGROUND

    asked = next((says for pattern, says in BACKGROUND if pattern.search(question)), None)
    assert (asked is not None and bool(asked.search(intro))) is told


@pytest.mark.parametrize("question, view_of", [
    ("孙明对物业费涨价是什么态度？", "物业费涨价"),
    ("孙明对这事咋看？", ""),                 # what 这事 is, the passages tell
    ("孙明说了什么？", ""),                   # no view asked
    ("孙明对停车收费有什么意见？", "停车收费"),  # an opinion of a thing is a view of it
    ("孙明对处理结果满不满意？", "处理结果"),
])
def test_what_a_view_is_asked_of(records, question, view_of):
    assert understand(question, records).view_object.strip() == view_of


def test_a_body_of_a_named_place_is_held_there_or_by_someone_placed_nowhere():
    index = EntityIndex([Person(name="覃玉兰", title="党支部书记", community="石桥村", doc_id="z"),
                         Person(name="杨德厚", title="村民", community="杨柳村", doc_id="z"),
                         Person(name="何丽萍", title="社区党委书记", doc_id="y"),
                         Person(name="吴敏", title="居民", community="桂苑社区", doc_id="y")])
    # 杨柳村的村党支部: 石桥村's branch secretary holds no post of 杨柳村
    assert [(o, [p.name for p in held]) for o, held in index.offices("杨柳村的村党支部书记叫什么？", {"doc_id": "z"})] \
        == [("村党支部书记", [])]
    # one printed with no place at all may hold the named place's post
    assert [p.name for _, held in index.offices("桂苑社区的社区党委书记是谁？", {"doc_id": "y"}) for p in held] == ["何丽萍"]


def test_a_named_organs_head_is_never_its_deputy():
    index = EntityIndex([Person(name="范婷", title="纪委副书记", street="石桥镇", doc_id="j")])
    assert [p.name for _, held in index.offices("石桥镇纪委书记是谁？", {"doc_id": "j"}) for p in held] == []
    assert [p.name for _, held in index.offices("石桥镇纪委副书记是谁？", {"doc_id": "j"}) for p in held] == ["范婷"]
    bureau = EntityIndex([Person(name="钟海涛", title="副局长", affiliation="区民政局", doc_id="b")])
    assert [p.name for _, held in bureau.offices("区民政局局长咋评价的？", {"doc_id": "b"}) for p in held] == []
