"""Keyword channel: jieba tokens scored by bm25s. The same tokenizer, with the same user words,
cuts documents at build time and questions at query time."""
from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import jieba
import numpy as np

from rag.types import Chunk

jieba.setLogLevel(logging.WARNING)

# Function words and question words: they say what kind of answer is wanted, not what it is about.
STOPWORDS = frozenset(
    "的 了 是 在 和 与 及 或 等 都 也 就 又 有 没有 吗 呢 吧 啊 么 什么 哪 哪个 哪些 哪里 哪儿 哪位 谁 怎么 怎样 "
    "如何 为什么 为何 多少 几 几个 个 位 这 那 这个 那个 这位 该 其 他 她 它 他们 她们 我们 你 您 我 还 说 说了 "
    "讲 谈 提到 提出 介绍 表示 一个 之 以 为 把 让 被 对 从 上 中 里 呀 请问 请 一下 做 做了 有何 啥 "
    "这篇 报道 文章 文中 本文 材料 具体 分别 主要".split()
)
# News-genre vocabulary a reader uses for what a byline or event notice says another way.
QUERY_SYNONYMS = {
    "照片": ("摄影",), "拍": ("摄影",), "拍摄": ("摄影",), "摄影师": ("摄影",),
    "作者": ("记者",), "写": ("记者",), "撰稿": ("记者",),
    "主办方": ("主办",), "承办": ("主办",), "指导单位": ("指导",), "演讲者": ("演讲",),
}
QUOTED_TERM_RE = re.compile(r"[‘“「]([^’”」]{2,10})[’”」]")
WORD_RE = re.compile(r"[\w+]")


def user_words(chunks: list[Chunk]) -> list[str]:
    """Names, places, titles and quoted coinages (‘五线工作法’, ‘1+3+7’) that must stay whole."""
    words: set[str] = set()
    for chunk in chunks:
        if s := chunk.speaker:
            words.update(w for w in (s.name, s.district, s.street, s.community, s.title) if w)
        words.update(QUOTED_TERM_RE.findall(chunk.text))
    return sorted(w for w in words if not any(c.isspace() for c in w))


class Tokenizer:
    def __init__(self, words: list[str] = ()):
        self.words = list(words)
        self._jieba = jieba.Tokenizer()
        for word in self.words:
            self._jieba.add_word(word, freq=200_000)

    def __call__(self, text: str) -> list[str]:
        tokens = (t.strip().lower() for t in self._jieba.cut_for_search(text))
        return [t for t in tokens if t and t not in STOPWORDS and WORD_RE.search(t)]

    def query(self, text: str) -> list[str]:
        """Question tokens plus genre synonyms; documents are never expanded."""
        tokens = self(text)
        return tokens + [s for t in tokens for s in QUERY_SYNONYMS.get(t, ())]


def _bm25s():
    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)  # bm25s sets DEBUG on import
    return bm25s


class BM25Index:
    def __init__(self, tokenizer: Tokenizer, retriever):
        self.tokenizer = tokenizer
        self.retriever = retriever

    @classmethod
    def build(cls, texts: list[str], tokenizer: Tokenizer) -> "BM25Index":
        retriever = _bm25s().BM25()
        retriever.index([tokenizer(t) for t in texts], show_progress=False)
        return cls(tokenizer, retriever)

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every chunk for ``query`` (zeros when no token is known)."""
        tokens = self.tokenizer.query(query)
        if not tokens:  # "他说了什么？" has no content word; bm25s cannot score an empty query
            return np.zeros(self.document_count, dtype="float32")
        return np.asarray(self.retriever.get_scores(tokens), dtype="float32")

    @property
    def document_count(self) -> int:
        return int(self.retriever.scores["num_docs"])

    def document_frequencies(self) -> dict[str, int]:
        """How many chunks hold each token, read from the BM25 state (no re-tokenizing)."""
        indptr = np.asarray(self.retriever.scores["indptr"])
        return {token: int(indptr[i + 1] - indptr[i]) for token, i in self.retriever.vocab_dict.items()
                if token and i + 1 < len(indptr)}

    def save(self, folder: Path) -> None:
        self.retriever.save(str(folder), show_progress=False)
        (folder / "user_words.json").write_text(json.dumps(self.tokenizer.words, ensure_ascii=False), "utf-8")

    @classmethod
    def load(cls, folder: Path) -> "BM25Index":
        words = json.loads((folder / "user_words.json").read_text("utf-8"))
        return cls(Tokenizer(words), _bm25s().BM25.load(str(folder), show_progress=False))
