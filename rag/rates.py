"""Amounts of money as questions ask them and reports print them: rates asked per item (每户交多少,
每张床位补多少, 人均收入多少), and sums printed without their unit (an account's 191,845.96, a
speaker's 挣了两万一千多).

A total (全县发放慰问资金860万元) or a rate per another item (每餐补贴2元) does not answer a
question about each household or each bed. The evidence check (rag.evidence) asks this module
whether the evidence gives a rate per the item the question names. Serves how-much questions
whose answer must be per household, per person, per bed, per square metre …; a period alone
(每月, 每年) is not an item here: 每月补贴多少 is answered by a monthly sum or a plain one.
"""
from __future__ import annotations

import re

# The items a rate is asked per, each with the forms the evidence may print it in.
# (户 and 家 both count households: 每户 is answered by 每家 and by 户均)
ITEM_FORMS = {
    "户": ("户", "家"),
    "家": ("户", "家"),
    "人": ("人", "位", "名", "个人"),
    "平米": ("平米", "平方米", "平方", "㎡"),
    "平方米": ("平米", "平方米", "平方", "㎡"),
}
# 每户, 每个人, 每一张, 每平方米; then, after 个, the counted noun (每个片区, 每个社区)
# (每月, 每年, 每天, 每次: periods and occasions, not items a total is shared among)
RATE_Q = re.compile(r"(?:每|一)(?:一)?(?:个|位|名)?(?P<item>平方米|平米|[户家人张台间亩床栋套辆所])"
                    r"|每(?:一)?个(?P<noun>[\u4e00-\u9fff]{2})|(?P<avg>[人户])均")
# Periods and occasions (每月, 每次, 每餐): a rate per one of them is no rate per an item.
PERIODS = "月年天日周晚次回季餐顿"


def asked_item(question: str) -> str | None:
    """The item a how-much question asks a rate per (户 for 每户每月交多少), or None."""
    if not re.search(r"多少|几", question):
        return None
    for m in RATE_Q.finditer(question):
        if m["avg"]:
            return m["avg"]
        if m["item"]:
            # (一人/一家 before a verb of taking part is a count, 一家人都来了; only 每 asks a rate then)
            if question[m.start()] == "一" and m["item"] in "人家户":
                continue
            return m["item"]
        if m["noun"] and m["noun"][0] not in PERIODS:
            return m["noun"]
    return None


def gives_rate(item: str, evidence: str) -> bool:
    """Whether the evidence prints a rate per ``item``: 每户, 每家, 户均, 一户, 各户, 1200元/户.
    Households, people and floor area are told apart from totals by their own forms; any other
    item may be printed by another word for it (每台 as 每部电梯, 每个片区 as 每个网格), so a
    rate per any item that is not a period answers it."""
    if item not in ITEM_FORMS:
        return bool(re.search(rf"[每各](?:一)?(?:个|位|名)?[^{PERIODS}\W\d]|一(?:个)?{re.escape(item)}", evidence))
    forms = "|".join(re.escape(f) for f in ITEM_FORMS[item])
    return bool(re.search(rf"(?:每|各|一)(?:一)?(?:个|位|名)?(?:{forms})|(?:{forms})均|/(?:{forms})", evidence))


def rate_lacks(question: str, evidence: str) -> str | None:
    """Why the evidence gives no rate per the asked item (None when it does, or none is asked)."""
    item = asked_item(question)
    if item is None or gives_rate(item, evidence):
        return None
    return f"其中没有给出每{item}的数字"


# An amount as accounts print it, in thousands (191,845.96): money in yuan, the unit in the table's
# header (单位：元) far from the line; a bare decimal (6.50) may be in 万元 and is left alone.
# Serves how-much questions on financial disclosures and budgets.
ACCOUNT_AMOUNT_RE = re.compile(r"(?<![0-9.,])\d{1,3}(?:,\d{3})+(?:\.\d{2})?(?![0-9.,%％元万])")


# A sum said as people say it, with no unit, after a verb of earning or paying (一年就挣了两万一千多,
# 一个月能拿三千多): money too. Serves colloquial income and cost questions.
SPOKEN_SUM_RE = re.compile(r"((?:挣|赚|花|交|拿|收入|补贴)[了到回就能]{0,2})([一二三四五六七八九十两]+[万千](?:[一二三四五六七八九十两][千百]?)?多?)"
                           r"(?![元块万千百零一二三四五六七八九十两])")


def money_printed(text: str) -> str:
    """``text`` with each account amount written as money (191,845.96 → 191845.96元), and each
    spoken sum after a verb of earning or paying (挣了两万一千多 → 挣了两万一千多元)."""
    text = ACCOUNT_AMOUNT_RE.sub(lambda m: m.group().replace(",", "") + "元", text)
    return SPOKEN_SUM_RE.sub(lambda m: m.group(1) + m.group(2) + "元", text)
