"""Tense: whether evidence speaks of the time a question asks after. A plan answers no question
on what came of it; what took place answers no question on what is to come; how long someone held
a post is told of the holding, not of anything else that lasted."""
from __future__ import annotations

import re

from rag.understand import Question

# A question after the next occasion (下一期在哪天, 下次去哪) is answered only by words about
# what is to come; the date of the event reported is not it. Serves future-event questions.
# (以后 opening a clause is the future; after a deed, 搞了管家以后, it is what followed)
FUTURE_Q = re.compile(r"下一[期次届场回轮]|下[期次届回轮](?!面)|明年|(?:^|(?<=[，,。？?]))以后|将来|今后|下一步|打算|计划|准备|往后|年内")
WILL_Q = re.compile(r"会不会|还会|要不要|能不能|打不打算|是否")
FUTURE_A = re.compile(r"下一[期次届场回轮步]|下[期次届回轮]|明年|将[于在要把走进举]|计划|拟|今后|未来|预计|打算|准备|年内|力争|争取")


# A time still to come (下周三, 明年, 将于5月): no date for what has taken place (这期是哪天播出的).
# Serves date questions about the event reported.
# What took place is asked as 是哪天…的 / 这期 / 上次 / …了 (啥时候开工, 啥时候能修好 ask what is to come).
PAST_Q = re.compile(r"是(?:哪天|哪一天|什么时候|啥时候|几月几[号日]|哪年)[^，。？?]*的[？?]?$|这期|本期|这次|那次|上次|了[？?吗]*$")
WILL_VERB_RE = re.compile(r"能|会|要|将|还")
COMING_DATE_RE = re.compile(r"下(?:周|个?月|半年)|明年|明天|后天")
COMING_BEFORE_RE = re.compile(r"(?:将|将于|将在|要在|计划|预计|拟|准备)[^，。；]{0,4}$")


# (于2024年7月15日前完成: a deadline set, not the day it was done)
DEADLINE_AFTER_RE = re.compile(r"(?:\d{1,2}月)?(?:\d{1,2}[日号])?(?:日|号|月底|年底)?(?:前|之前|以前)(?:完成|办结|完工|到位|落实|整改)")


def to_come(evidence: str, date: re.Match) -> bool:
    return bool(COMING_DATE_RE.match(date.group()) or COMING_BEFORE_RE.search(evidence[max(0, date.start() - 8):date.start()])
                or DEADLINE_AFTER_RE.match(evidence, date.end()))


# How long someone has held a post (当了几年书记, 任职多久) is answered only by a length of time
# said of holding it (任职8年, 当了十年书记), not by 3年来新增停车位. Serves tenure questions.
# (干 only by the year: 抢修前后一共干了多长时间 asks how long a task took, not a tenure)
TENURE_Q = re.compile(r"(?:当|任|担任)了?[^，。？?]{0,6}(?:几年|多少年|多久|多长时间)|干了?[^，。？?]{0,6}(?:几年|多少年)|任职|上任")
# (2012年开始做网格员…至今已有12年: doing the job until now is holding it)
# (做网格员已经7年: doing the job for so long already is holding it)
# (扎根社区21年, 坚守岗位30年: staying rooted in the post so long is holding it)
TENURE_A = re.compile(r"当了?|任职|担任|上任|任上|干了|做了|工作了|从事|至今|做[^，。法]{1,8}已经|扎根|坚守|驻守")


# Whether something came about in the end (路灯最后装好了没, 儿子后来考上大学没): answered only by
# words that say it did or did not, not by the story that led up to it. Serves outcome questions.
OUTCOME_Q = re.compile(r"(?:最后|后来|最终|到底)(?P<what>[^，。？?]{1,12}?)(?:了没有|了没|了吗|没有|没)[？?]?$")


def outcome_phrase(question: str) -> str:
    """What the question asks came about (装好, 在方案上签字), or ''."""
    m = OUTCOME_Q.search(question.strip())
    return m["what"] if m else ""


# 试运行以后反响咋样, 邻里中心后来按时投用没有: what came of something is not told by the plan for it
# (7月1日试运行; 计划10月底前投入使用; 下一步将在全镇推广): evidence whose every clause is a plan,
# with nothing told as done, answers no question after the outcome. Serves questions on results
# that plans, notices and work reports leave untold.
AFTERWARDS_Q = re.compile(r"以后|之后|后来|最终|到底|效果|反响|成效|最后\w{0,10}?(?:有没有|了没|了吗|怎么样|咋样|如何)")
# (周部长最后提了哪几点要求, 落选以后他说了啥: what someone said then, whatever came of it)
SAID_THEN_Q = re.compile(r"说|提|讲|表示|表态|回应|建议|要求|答复")
PLAN_A = re.compile(FUTURE_A.pattern + r"|[0-9０-９一二三四五六七八九十]+月(?:底|中旬|上旬|下旬)?(?:前|以前|之前)|试运行|试行")
DONE_A = re.compile(r"已|了|目前|如今|现在|截至|至今|先后|共|达到|下降|减少|增加")


def only_planned(q: Question, evidence: str) -> bool:
    if not AFTERWARDS_Q.search(q.text) or FUTURE_Q.search(q.text) or SAID_THEN_Q.search(q.text):
        return False
    clauses = [c for c in re.split(r"[，。；;！？!?,]", evidence) if c.strip("“”\"' ")]
    return bool(clauses) and any(PLAN_A.search(c) for c in clauses) and not any(DONE_A.search(c) for c in clauses)


# 荒掉的田后来种上没有, 最后怎么样: what came of something, which the sentence saying it was settled
# tells (已全部复耕) better than the one stating the problem (rag.compose credits it).
OUTCOME_ASK_RE = re.compile(r"(?:后来|最后|最终|到底|现在)[^，。？?]{0,12}?(?:了没有|了没得|了没|了吗|没有|没|咋样|怎么样)[？?]?$")
SETTLED_A = re.compile(r"已(?:经)?|全部|都已|办结|解决了|完成|通了|修好|建成|落实")


# 去年修了多少，今年计划改造多少 / 2024年建了几个，2025年计划建几个: a value then and a value
# planned, set side by side; each half is answered by its own passage, so no one time is required.
PAST_WORD_Q = re.compile(r"去年|前年|上一?年|以前|过去|原来|之前")


def _two_times(question: str) -> bool:
    return bool(PAST_WORD_Q.search(question)) or len(set(re.findall(r"\d{4}年", question))) >= 2


def tense_lacks(q: Question, evidence: str) -> str | None:
    """Why ``evidence`` speaks of another time than the question asks after (None if it does not)."""
    unplanned = FUTURE_Q.search(q.text) and not FUTURE_A.search(evidence) and not _two_times(q.text)
    # 往后会不会涨: whether something will happen is answered only by words on what will
    if unplanned and WILL_Q.search(q.text):
        return "其中没有提到之后会怎样"
    # (明年计划开工多少部: a count of what is done so far is no plan)
    if unplanned and q.wants in ("date", "year", "place", "duration", "number"):
        return "其中没有提到之后的安排"
    if only_planned(q, evidence):
        return "其中只说了打算和安排，没有说后来的结果"
    return None
