"""Word knowledge: which words carry no content, which spans are quoted coinages, and which
words mean the same. Every stage that compares words asks here."""
from __future__ import annotations

import re

# Function words and question words: they say what kind of answer is wanted, not what it is about.
STOPWORDS = frozenset(
    "的 了 是 在 和 与 及 或 等 都 也 就 又 有 没有 吗 呢 吧 啊 么 什么 哪 哪个 哪些 哪里 哪儿 哪位 谁 怎么 怎样 "
    "如何 为什么 为何 多少 几 几个 个 位 这 那 这个 那个 这位 该 其 他 她 它 他们 她们 我们 你 您 我 还 说 说了 "
    "讲 谈 提到 提出 介绍 表示 一个 之 以 为 把 让 被 对 从 上 中 里 呀 请问 请 一下 做 做了 有何 啥 "
    "这篇 报道 文章 文中 本文 材料 具体 分别 主要".split()
)
# News-genre vocabulary a reader uses for what a byline or event notice says another way.
_GENRE_SYNONYMS = {
    "照片": ("摄影",), "拍": ("摄影",), "拍摄": ("摄影",), "摄影师": ("摄影",),
    "作者": ("记者",), "写": ("记者",), "撰稿": ("记者",),
    "主办方": ("主办",), "承办": ("主办",), "指导单位": ("指导",), "演讲者": ("演讲",),
}
# A coinage the article puts in quotation marks (‘五线工作法’, “三联+”), kept whole by the tokenizer.
QUOTED_TERM_RE = re.compile(r"[‘“「]([^’”」]{2,10})[’”」]")
# Numerals and the measure words that make them a quantity (三个, 12支, 两千户).
NUM = r"[0-9０-９一二三四五六七八九十百千万两]+"
MEASURE = "个位户名人支届年次项条家所座间元万亿倍"
# A bare Chinese numeral is usually part of a word (两委, 一起); it counts only before a measure word.
QUANTITY = rf"[0-9０-９]+|[一二三四五六七八九十百千万两]+(?=[{MEASURE}])"
# A token that holds at least one letter, digit or Han character (not bare punctuation).
WORD_RE = re.compile(r"[\w+]")


def expansions(word: str) -> tuple[str, ...]:
    """Words a question's ``word`` may appear as in the article (never the word itself)."""
    return _GENRE_SYNONYMS.get(word, ())
