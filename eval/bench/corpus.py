"""Synthetic corpora for the scale runs: invented articles in the article's own format.

Each invented speaker paragraph is district + street + community + title + name + ：“quote”, and
each quote recombines 2–6 clauses cut from the speaker and event paragraphs of the real articles
(``index/corpus`` and the test articles in ``tests/data``). Recombined clauses, rather than whole
sentences, keep the texts (and so their embeddings) varied. Every invented person's paragraph goes
through the real parser and chunker (``rag.ingest.parse_article``, ``rag.chunk.chunk_article``).
"""
from __future__ import annotations

import random
import re
from functools import lru_cache
from pathlib import Path

from eval.bench.common import ARTICLE, ROOT

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱尹薛段雷侯史陶黎贺顾毛郝龚邵钱严覃戴莫孔向汤"
GIVEN = "伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂英华玉兰萍红鹏飞坤琳燕露琴茜忠菊泽兴术冰富彬晨宇浩然欣怡涵梓轩思远嘉豪雨桐"
# Place syllables avoid the suffix characters (区市县街道镇乡社村中心新) so every invented name parses back whole.
PLACE = "锦青金武成龙泉驿白温双流郫彭邛崇简蒲邑堂津源宁安和丰福祥瑞云山水河桥林花石柳桂梅荷松竹兰春秋晨光明德仁义礼信永长乐康平盛兴隆东南西北"
TITLES = ("党委书记", "党总支书记", "党支部书记", "社区居委会主任", "党委副书记")
CLAUSE_SPLIT = re.compile(r"[，。；！？、：“”‘’,;!?]")
PARAGRAPHS_PER_DOC = 200


def source_files() -> list[Path]:
    return sorted((ROOT / "index" / "corpus").glob("*.txt")) + sorted((ROOT / "tests" / "data").glob("*.txt"))


@lru_cache(maxsize=1)
def clauses() -> tuple[str, ...]:
    """Distinct clauses (4+ characters) of the speaker and event paragraphs of every parsable source."""
    from rag.ingest import IngestError, load_article

    found: dict[str, None] = {}
    for path in source_files():
        try:
            article = load_article(path)
        except IngestError:  # a source the parser refuses contributes nothing
            continue
        for p in article.passages:
            if p.kind in ("speaker", "event"):
                for clause in CLAUSE_SPLIT.split(article.piece(p.spans)):
                    if len(clause := clause.strip()) >= 4:
                        found.setdefault(clause)
    return tuple(found)


def quote(rng: random.Random) -> str:
    return "，".join(rng.choice(clauses()) for _ in range(rng.randint(2, 6))) + "。"


def _people(rng: random.Random, n: int) -> list[tuple[str, str, str, str, str]]:
    """About one speaker per 4 chunks and one community per 10, so names recur as in news."""
    word = lambda k: "".join(rng.choice(PLACE) for _ in range(k))  # noqa: E731
    districts = [word(2) + rng.choice("区区县市") for _ in range(30)]
    streets = [(rng.choice(districts), word(rng.randint(2, 3)) + rng.choice(("街道", "街道", "镇")))
               for _ in range(max(10, n // 50))]
    communities = [(*rng.choice(streets), word(rng.randint(2, 3)) + rng.choice(("社区", "社区", "村")))
                   for _ in range(max(20, n // 10))]
    return [(*rng.choice(communities), rng.choice(TITLES),
             rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2))))
            for _ in range(max(40, n // 4))]


def _templates(rng: random.Random, people: list[tuple], seed: int) -> list:
    """Every invented person's paragraph, parsed and chunked by the real ingest code: one speaker chunk
    (with its parsed person record) per person, and the documents' heading chunks."""
    from rag.chunk import chunk_article
    from rag.ingest import parse_article

    out = []
    for start in range(0, len(people), PARAGRAPHS_PER_DOC):
        paragraphs = ["## 社区书记分享先进经验"]
        for district, street, community, title, name in people[start:start + PARAGRAPHS_PER_DOC]:
            paragraphs.append(f"{district}{street}{community}{title}{name}：“{quote(rng)}”")
        doc = f"people{seed:02d}-{start:06d}"
        out.extend(chunk_article(parse_article("\n\n".join(paragraphs) + "\n", doc, f"{doc}.txt")))
    return out


def synthetic_chunks(n: int, seed: int = 0, with_article: bool = True) -> list:
    """``n`` chunks: the real article's (so gold questions have answers), then invented articles of
    ``PARAGRAPHS_PER_DOC`` quotes each. Each invented person is parsed once (``_templates``); their
    quotes are copies of that parsed chunk with new text, so a 100k corpus parses 25k paragraphs."""
    from rag.chunk import chunk_article
    from rag.ingest import load_article

    rng = random.Random(seed)
    templates = _templates(rng, _people(rng, n), seed)
    speakers = [c for c in templates if c.kind == "speaker" and c.speaker is not None]
    heading = next(c for c in templates if c.kind == "heading")
    chunks = list(chunk_article(load_article(ARTICLE))) if with_article else []
    doc = 0
    while len(chunks) < n:
        doc_id = f"synthetic{seed:02d}-{doc:05d}"
        title = f"## 第{doc + 1}期 社区书记分享先进经验"
        chunks.append(heading.model_copy(update={"id": f"{doc_id}#000", "doc_id": doc_id, "text": title,
                                                 "spans": [(0, len(title))]}))
        for i in range(1, PARAGRAPHS_PER_DOC + 1):
            text = quote(rng)
            chunks.append(rng.choice(speakers).model_copy(update={
                "id": f"{doc_id}#{i:03d}", "doc_id": doc_id, "text": text, "spans": [(0, len(text))]}))
        doc += 1
    return chunks[:n]


def held_out_texts(n: int, seed: int = 99) -> list[str]:
    """Quotes from the same distribution that no corpus holds: search queries for recall."""
    rng = random.Random(seed)
    return [quote(rng) for _ in range(n)]
