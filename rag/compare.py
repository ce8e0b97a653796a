"""Comparisons: "A和B分别…", "A、B各…", "A与B有什么不同" are answered for each named person or
place in turn, each part cited on its own, and shown side by side."""
from __future__ import annotations

import dataclasses

from rag.types import Answer
from rag.understand import PEOPLE_LIST_RE, intent_of


def compare_answer(answerer, q, top_k: int, mode: str | None) -> Answer:
    parts, citations = [], []
    # How the question introduces each person (民警陆海, 五丁社区的张奕冰) names them, it does not
    # ask about them: those words leave every part's question, as the names do.
    labels = [w for e in q.parts if e.field == "name" for p in answerer.entities.people_of(e)
              for w in answerer.tokenize(p.label) if len(w) >= 2]
    for part in q.parts:
        # every part's name leaves the text (the part itself is kept as the entity it is about)
        others = [e.surface for e in q.parts] + [w for w in labels if w in q.text]
        text = q.text
        for surface in sorted(others, key=len, reverse=True):
            text = text.replace(surface, "")
        sub = dataclasses.replace(q, text=text, entities=[part], intent="search",
                                  filters={**q.filters, part.field: part.value})
        sub.intent = intent_of(sub)
        if PEOPLE_LIST_RE.search(q.text) and part.field != "name":  # 郫都区和龙泉驿区各有哪几位书记
            listed = answerer.records.list_answer(dataclasses.replace(sub, entities=[part]), None)
            parts.append({"name": part.value, "quotes": [listed.answer], "cite": "", "missing": ""}
                         if not listed.abstained else {"name": part.value, "quotes": [], "missing": listed.abstain_reason})
            citations += listed.citations
            continue
        if sub.intent in ("person", "who_is") and (record := answerer.records.record_answer(sub)):
            parts.append({"name": part.value, "quotes": [record.answer], "cite": "", "missing": ""})
            citations += record.citations
            continue
        if part.field == "name" and (not_quoted := answerer.records.not_quoted(sub)):
            parts.append({"name": part.value, "quotes": [], "missing": not_quoted.abstain_reason})
            citations += not_quoted.citations
            continue
        hits = answerer.search(sub, top_k, sub.filters, sub.entities, mode, scope=True)
        # 桂花镇 and 石龙村 (a village of it) compared: the town's part is not the village's words
        hits = [h for h in hits if part.matches(h.chunk.speaker or h.chunk.about)
                or not any(o.matches(h.chunk.speaker or h.chunk.about) for o in q.parts if o != part)] or hits
        answer = answerer.text_answer(sub, hits)
        if answer.abstained:
            parts.append({"name": part.value, "quotes": [], "missing": answer.abstain_reason})
            continue
        cite = _cite(answerer, answer)
        parts.append({"name": part.value, "quotes": [c.quote for c in answer.citations], "cite": cite, "missing": ""})
        citations += answer.citations
    if not citations:
        return answerer.abstain(q, "；".join(f"{p['name']}：{p['missing']}" for p in parts))
    text = answerer.templates.render("compare", parts=parts, question=q.text)
    return Answer(answer=text, abstained=False, answer_type="content", citations=citations)


def _cite(answerer, answer: Answer) -> str:
    """The part's citation line: who said it, as the article introduces them (body included)."""
    chunk = answerer.retriever.chunk(answer.citations[0].chunk_id)
    if chunk is not None and chunk.speaker:
        return chunk.speaker.cite
    if chunk is not None and chunk.about:  # the report's words on them, as the event template says it
        return f"据报道《{answerer.titles.get(chunk.doc_id, chunk.doc_id)}》（报道对{chunk.about.cite}所在单位的介绍，非其原话）"
    return "报道原文"
