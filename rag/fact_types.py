"""Which kind of fact a question asks for (a date, a time of day, a number and what it counts, a
duration, an age, a place, an organisation, a name, a change or two values set against each other),
read from its wording; the evidence check (rag.evidence) asks the same of the passages."""
from __future__ import annotations

import re

from rag.lexicon import KIN_FORMS, MEASURE, PEOPLE_MEASURES, PERSON_WORDS

# A number to call (电话是多少, 打什么电话, 手机号, 联系方式), not a call made (几位听众打进了电话, 接了多少个电话).
PHONE_Q = re.compile(r"(?:电话|手机|热线)(?:号码|号)?(?:是|为)?(?:多少|几号|啥|什么)|手机号|电话号|联系方式|联系电话|号码|邮箱|微信号"
                     r"|(?:打|拨|拨打)(?:什么|啥|哪个)(?:电话|热线|号)")
# 多大 asks an age only about a person (钱坤多大, 多大了), not 多大比例 / 多大规模.
# (上年纪的人, 上了年纪, 上了岁数的老人, 岁数大的: the elderly, not an age asked)
AGE_Q = re.compile(r"多大(?:了|年纪|岁数)?(?=[？?。]|$)|(?<!上了)(?<!上)年纪(?!大)|(?<!上了)(?<!上)岁数(?!大)|年龄|几岁|多少岁|出生")
YEAR_Q = re.compile(r"哪一?年|哪几年|年份|成立于|几几年")
# (几号楼, 几号院, 几号窗口: which numbered building or counter, not a date)
DATE_Q = re.compile(r"哪天|哪一天|哪几天|哪几个?月|何时|什么时候|啥时候|几月|几号(?!楼|栋|院|单元|门|线|房|窗口|床|车道|地块)|日期|什么时间|啥时间|哪一日")
# 几点 asks the time of day, answered by 8点半 (not by a date, nor a count of 点; 哪几点要求 lists points)
CLOCK_Q = re.compile(r"(?<![哪这那])几点(?:钟)?(?!要求|意见|建议|做法|经验|体会)")
# 这几年/近几个月 name a period (these years), they do not ask how long.
# (哪几天 asks which days: dates, not how long)
DURATION_Q = re.compile(r"多长时间|多久|多少天|(?<![这那近前头哪])几(?:天|分钟|个小时|个月|年)|多少分钟|多少小时|多长|多少年")
# How long a road, a canal or a corridor is (机耕道修了多长, 路有多长): a distance, not a time.
LENGTH_Q = re.compile(r"[路道桥河渠线廊街巷沟管墙堤][^，。？?]{0,5}多长(?!时间)|多少(?:公里|米|千米)|多远")
# 几 after 哪 asks which ones (哪几个), after 那/这 points at ones (那几个小区), after 近/前 names a
# period or the first few (近几个月, 前几个): none asks how many.
# (多少件事 counts 件: the measure, then what it counts)
NUMBER_Q = re.compile(rf"(?:多少|(?<![哪那这近前])几)(?P<unit>[{MEASURE}处起辆场块件]?)(?P<noun>[\u4e00-\u9fff]{{0,4}})")
# How big a place is (有多大地方, 面积多大, 占地多少): a number with its area. Serves size questions.
SIZE_Q = re.compile(r"多大(?:的)?(?:地方|面积|地儿|场地|空间|地盘)|面积(?:有)?多大|占地(?:多少|多大)|多少平(?:方米?|米)?")
PLACE_Q = re.compile(r"在哪个(?P<noun>[\u4e00-\u9fff]{1,3}?)(?:举行|举办|召开|进行|开|办)|在哪(?:里|儿)?(?:举行|举办|召开|开|办)|地点|地址|在什么地方|在啥地方")
# (几号房, 几号楼, 住几楼: which numbered room, building or floor, answered by 602室, 8栋, 5楼)
ORDINAL_Q = re.compile(r"第几[回次期届个轮批场]?|几号(?:房|室|楼|院|单元)|住几楼|几单元")
# 降了多少 / 少了多少 (no measure after it): asks a change, answered by a share, a multiple or a
# from-to (下降了一半多, 从61%提到了93%).
CHANGE_Q = re.compile(rf"(?:降|涨|增|减|提高|提升|下降|上升|增长|减少|少|多|省)了?多少(?![{MEASURE}钱])")
# One quantity set against another (收缴率前后差多少, 上访次数前后比咋样, 村民凑的和县里补的哪个多,
# 信访件变化有多大): answered by both values, from one sentence or two. Serves before-and-after
# and which-is-more questions (变化有多大 is no size, 哪个多 no list; 调整前后分别有多少个 asks both).
# (刚起步时和现在, 一开始跟目前: the start and now are two values too)
TWO_VALUES_Q = re.compile(r"前后(?:差|比|对比|相比|变化|相差|分别|各|有(?:啥|什么)(?:变化|不同|区别))"
                          r"|(?:以前|原来|过去|当初|那时|刚开始|一开始|最初|起初|刚起步时?|起步时|刚办的时候|刚成立时)(?:的时候)?[和跟与](?:现在|如今|目前)"
                          r"|变化(?:有)?多大|差(?:了|距)?(?:多少|多大|有多大)|哪个(?:更)?[多少高低大]|哪边\w{0,3}[多少]")
# (多少成员, 几成员: members counted, no share)
RATIO_Q = re.compile(r"比例|比重|百分之几|占多少|几成(?![员本果绩立])|多少成(?![员本果绩立])|覆盖率|率\w{0,3}(?:多少|几)")  # (收缴率到多少了)
# The name of a thing (主题叫啥, 品牌叫什么): answered by a quoted or titled name, not a person.
# Which organisation (哪家物业公司, 哪个单位主办): answered by a named one, not a kind of one.
# (啥 as often as 什么: 那家物业公司叫啥名字)
# (哪个部队, 哪所小学, 哪个外卖平台: a named one, not the bare kind: 在部队服役8年 says no which)
# (哪个电台, 哪家报社: a newspaper or broadcaster by name)
ORG_Q = re.compile(r"哪家|哪所|哪个(?:公司|企业|单位|机构|部队|学校|小学|中学|大学|医院|银行|平台|外卖平台|电台|电视台|报社|媒体|报纸)"
                   r"|(?:什么|啥)(?:公司|企业|单位|机构)|(?:公司|企业|单位|机构)叫(?:什么|啥)")
# What someone in a role is called (那名夜班保安叫什么, 财政局负责人叫什么名字): a person's name,
# printed by the role. Serves questions after an unnamed role holder.
# (孙桂英的女儿叫什么: a relative is a person too)
PERSON_NAME_Q = re.compile(rf"(?P<who>{'|'.join((*PERSON_WORDS, *KIN_FORMS))})(?:的名字)?(?:叫什么|叫啥|叫什么名字|姓什么|名字是什么)")
# (那7个小区分别叫什么: the names of the ones counted)
NAME_Q = re.compile(r"叫(?:什么|啥)名|(?:什么|啥)名称|(?:名字|名称)(?:是|叫)(?:什么|啥)|(?:分别|都|各)叫(?:什么|啥)|"
                    r"(?:主题|名称|名字|题目|口号|品牌|称号|标题|商标)\w{0,2}(?:叫|是)(?:什么|啥)")


# 多久搞一次 / 多长时间开一回 ask how often (每月, 每周三): a recurring time, not a length.
FREQUENCY_Q = re.compile(r"(?:多久|多长时间|隔多久)\w{0,4}?[一1][次回趟]")
# A question word in a clause: two such clauses (哪家医院合作的？多久搞一次？) ask two facts.
ASKS_RE = re.compile(r"多少|(?<![那这])几|哪|谁|什么|啥|怎么|咋|如何|多久|多大|多长|吗")


# Two quantities asked side by side, each in a clause of its own (当初承诺多少个，实际建成多少个;
# 去年修了多少，今年计划改造多少公里) or of two sides at once (老村规和新村规分别有多少条, 刚办的时候
# 和现在各有多少书): the answer gives both values, whatever words set the two sides apart. Serves
# plan-and-result, then-and-now and this-and-that counts.
COUNT_ASK_RE = re.compile(rf"多少|(?<![那这])几(?=[{MEASURE}十百千万天周]|分钟|小时)|多久|多长时间")
SIDES_ASK_RE = re.compile(r"[^，。？?和与跟\s]{2}[和与跟][^，。？?和与跟]{1,14}?(?:分别|各自?)[^，。？?]{0,6}?(?:多少|几|多久|多长)")


def count_clauses(q: str) -> list[str]:
    """The clauses of a question that each ask a quantity (当初承诺多少个 / 实际建成多少个)."""
    return [c for c in re.split(r"[，,；;？?。]", APPROX_JI_RE.sub("数", q)) if COUNT_ASK_RE.search(c)]


def asks_two_quantities(q: str) -> bool:
    clauses = count_clauses(q)
    # (多少张票据，涉及多少钱: two counts in two measures are two facts, not two values of one)
    units = {m[1] for c in clauses if (m := re.search(rf"(?:多少|几)([{MEASURE}钱])", c))}
    return (len(clauses) >= 2 and len(units) <= 1) or bool(SIDES_ASK_RE.search(APPROX_JI_RE.sub("数", q)))


def more_fact_types(q: str, first: str) -> tuple[tuple[str, str, str], ...]:
    """The facts other than ``first`` a question asks in clauses of its own (哪家医院合作的？
    多久搞一次？; 几号开的，在哪开的): the evidence must give each of them too."""
    found = [fact_type(c) for c in re.split(r"[？?，,；;。]", q) if ASKS_RE.search(APPROX_JI_RE.sub("数", c))]
    # (去年修了多少，今年计划修多少公里: a bare 多少 beside a length asks the same measure, printed once)
    same = ("number", "", "") if first in ("length", "duration", "ratio") else None
    return tuple(dict.fromkeys(t for t in found if t[0] and t[0] != first and t != same))


# 几十年 / 十几个 / 几百户 are round numbers in what is quoted (管不了几十年), not how-many asks,
# when the question asks something else too (谁说…几十年).
APPROX_JI_RE = re.compile(r"(?<=[十百千])几|几(?=[十百千万])")


def _without_round_numbers(q: str) -> str:
    masked = APPROX_JI_RE.sub("数", q)
    return masked if masked != q and ASKS_RE.search(masked) else q


# 其他几个委员各管什么, 那几个小区叫啥: 几 points at some ones when its clause asks something else
# of them (a what, a which, a who, a how); it does not ask how many.
# (几点, 几号, 几月, 几岁 ask a time or an age whatever follows: only 几 before a measure of things or people)
POINTING_JI_RE = re.compile(r"几(?=[个位名家项条栋户所座支][^，,。？?；;]*?(?:什么|啥|哪|谁|怎么|咋|如何))")


def fact_type(q: str) -> tuple[str | None, str, str]:
    """(wants, unit, noun): the kind of fact the question is after, if any."""
    q = POINTING_JI_RE.sub("数", _without_round_numbers(q))
    if TWO_VALUES_Q.search(q):
        return "change", "", ""
    if FREQUENCY_Q.search(q):
        return "frequency", "", ""
    if LENGTH_Q.search(q):
        return "length", "", ""
    if PHONE_Q.search(q):
        return "phone", "", ""
    if SIZE_Q.search(q):
        return "number", "", "面积"
    if AGE_Q.search(q):
        return "age", "", ""
    if CLOCK_Q.search(q):
        return "clock", "", ""
    if YEAR_Q.search(q):
        return "year", "", ""
    if DATE_Q.search(q):
        return "date", "", ""
    if m := DURATION_Q.search(q):  # 几年 is answered in years, 几天 in days
        unit = next((u for u in ("分钟", "小时", "天", "个月", "年") if u in m.group()), "")
        return "duration", unit, ""
    if ORDINAL_Q.search(q):
        return "ordinal", "", ""
    if CHANGE_Q.search(q):
        return "change", "", ""
    if RATIO_Q.search(q):
        return "ratio", "", ""
    if m := NUMBER_Q.search(q):
        return "number", *_counted(q, m)
    if m := PLACE_Q.search(q):
        return "place", "", m["noun"] or ""
    if ORG_Q.search(q):
        return "org", "", ""
    if m := PERSON_NAME_Q.search(q):
        return "person_name", "", m["who"]
    if NAME_Q.search(q):
        return "name", "", ""
    return None, "", ""


# Verbs of attending an event (多少人参会/出席/到场): counted by the report's number of people present.
# (多少人去吃, 多少人来办, 多少人投了赞成: people doing something, counted as people)
ATTENDING_RE = re.compile(r"(?:参会|参加|出席|到场|与会|到会|参与|报名|[去来][\u4e00-\u9fff]{1,2}|就餐|签字|投票|赞成|同意|反对|受益)"
                          r"(?:了|过)?(?:的)?")
MONEY_VERB_RE = re.compile(r"挣|赚|收入|花了|花费|投入|补贴|补了|拨了|出资|筹|凑|掏")


MEMBERS_RE = re.compile(r"成员|人员|会员|队员|组员|职工|员工")


MONEY_NOUN_RE = re.compile(r"工资|薪酬|薪水|收入|租金|奖金")
# Nouns of a measured amount (经费, 预算, 人口, 播放量, 满意度, 营业额): the evidence must count that,
# not any number near the place. Serves how-much questions ending in 多少 with the noun before it.
# (去年销售额: the time word's 年 is not the noun's: 销售额)
MEASURED_NOUN_RE = re.compile(r"(?<![去今明前本上每])[\u4e00-\u9fff]{1,3}(?:[量率额度]|经费|预算|投资|人口|产值|资金|成本|收益)$")
# What stands between the counted noun and 多少 (工资大概是多少, 每月能拿多少).
ASKED_BEFORE_TAIL = r"(?:大概|大约|大致|一共|总共|共|总|现在|目前|每个?月|一个月|一年|每年|平均|能|要|得|是|有|拿|发|为|达到?|到)+$"


def _counted(q: str, m: re.Match) -> tuple[str, str]:
    """(unit, noun) a 多少/几 question counts: 多少钱 counts 元; in 几个没物业管的小区 the noun is
    the head after the last 的 (小区), not the first characters (没物业管)."""
    unit, rest = m["unit"] or "", re.split(r"[，,。？?！!、]", q[m.end("unit"):])[0]
    if rest.startswith("钱"):
        return "元", "钱"
    if unit == "个" and re.match(r"人(?!家|次)", rest):  # 招几个人: people, counted as 几人 (10名)
        return "人", ""
    # 一年能挣多少, 补贴了多少: earning or spending is counted in money
    if not unit and not re.sub(r"[了吗呢啊呀吧]", "", rest) and MONEY_VERB_RE.search(q[:m.start()]):
        return "元", ""
    before = re.split(r"[，,。？?！!、的]", q[:m.start()])[-1]  # the clause before 多少
    # 网格员一个月工资多少, 物业费一平米收多少: a sum of money named right before 多少
    if not unit and not re.sub(r"[了吗呢啊呀吧？?]", "", rest) and MONEY_NOUN_RE.search(
            re.sub(ASKED_BEFORE_TAIL, "", before)[-3:]):
        return "元", ""
    if unit and not re.sub(r"[了吗呢啊呀吧]", "", rest):  # 充电桩有几个: the counted noun comes first
        # 老院子已经改完多少个: the noun stands before the adverb that opens what was done to it
        before = re.split(r"已经|已", before)[0] or before
        if unit in PEOPLE_MEASURES:  # 互助队现在有多少人: the team has the people; people are what is counted
            return unit, ""
        # (网格分别有多少户, 各自有几个: 分别 and 各自 set parts side by side, they count nothing)
        return unit, re.sub(r"(?:分别|各自|各)?(?:现在|目前|一共|总共|共|总|都|还)?(?:有|是)?$", "", before)[-4:]
    head = rest.rsplit("的", 1)[-1] if "的" in rest else rest
    head = re.split(r"[了吗呢啊呀吧是有在]", head)[0]
    if not unit and MEMBERS_RE.fullmatch(head):  # 有多少成员: a count of people, as 多少人
        return "人", ""
    if unit and unit in PEOPLE_MEASURES and ATTENDING_RE.fullmatch(head):  # 多少人参会: the event's count of people
        return unit, ""
    # 运营经费有多少, 常住人口一共是多少, 播放量是多少: a measured amount named right before 多少
    if not unit and not head and (named := MEASURED_NOUN_RE.search(re.sub(ASKED_BEFORE_TAIL, "", before))):
        return "", named.group()[-4:]
    return unit, head[:4]
