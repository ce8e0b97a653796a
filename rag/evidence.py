"""Answerability: can this evidence answer the kind of fact the question asks for?

The answerer asks before it quotes anything: a question after a date, a number, a phone number,
a place or a name is answered only by evidence that holds one; otherwise it abstains and says
what the nearest material lacks.
"""
from __future__ import annotations

import re

from rag.lexicon import NUM, QUANTITY, expansions
from rag.understand import Question

PHONE_A = re.compile(r"\d{7,}|\d{3,4}-\d{7,8}|@")
YEAR_A = re.compile(r"\d{4}年")
DATE_A = re.compile(rf"{NUM}月{NUM}日|\d{{4}}年|{NUM}月")


def numbers_in(text: str) -> set[str]:
    return set(re.findall(QUANTITY, text))


def evidence_lacks(q: Question, evidence: str, about_named: bool = False) -> str | None:
    """Why ``evidence`` cannot answer the fact type the question asks for (None if it can).

    ``about_named``: the evidence is the words of a speaker or place the question names, so a
    paraphrased attribute (住户大多 for 安置居民) is given the benefit of the doubt.
    """
    if q.wants == "phone" and not PHONE_A.search(evidence):
        return "其中没有电话号码或联系方式"
    if q.wants in ("date", "year"):
        pattern = YEAR_A if q.wants == "year" else DATE_A
        if not {d for d in pattern.findall(evidence) if d not in q.text}:
            return "其中没有提到相关的年份" if q.wants == "year" else "其中没有提到相关的日期"
    if q.wants == "number":
        pattern = rf"{NUM}{re.escape(q.unit)}{re.escape(q.noun[:2])}" if (q.unit or q.noun) else QUANTITY
        if not any(n for n in re.findall(pattern, evidence) if not numbers_in(n) <= numbers_in(q.text)):
            what = f"{q.unit}{q.noun}" or "数字"
            return f"其中没有给出“多少{what}”这样的数字"
    if q.wants == "place" and (not q.noun or q.noun not in evidence):
        return f"其中没有提到{q.noun or '地点'}"
    if q.wants == "name" and not re.search(r"[‘“][^’”]+[’”]", evidence):
        return "其中没有列出具体名称"
    nouns = (q.noun, *expansions(q.noun))
    if q.wants == "attribute" and not about_named and not any(
        n[i : i + 2] in evidence for n in nouns for i in range(len(n) - 1)
    ):
        return f"其中没有提到“{q.noun}”"
    return None
