"""Keyword channel: jieba tokens scored by bm25s. The same tokenizer, with the same user words,
cuts documents at build time and questions at query time."""
from __future__ import annotations

import json
import logging
import re
from functools import lru_cache
from pathlib import Path

import jieba
import numpy as np

from rag.cutting import new_jieba, new_tagger
from rag.lexicon import FRAME_WORDS, GENERIC_PLACES, QUOTED_TERM_RE, STOPWORDS, WORD_RE, is_content
from rag.types import Chunk

jieba.setLogLevel(logging.WARNING)


def user_words(chunks: list[Chunk]) -> list[str]:
    """Names, places, titles and quoted coinages (‘五线工作法’, ‘1+3+7’) that must stay whole."""
    words: set[str] = set()
    for chunk in chunks:
        if s := chunk.speaker:
            words.update(w for w in (s.name, s.district, s.street, s.community, s.title) if w)
        words.update(QUOTED_TERM_RE.findall(chunk.text))
        words.update(NUMBERED_ITEM_RE.findall(chunk.text))
    return sorted(w for w in words if not any(c.isspace() for c in w))


# A numbered item labelling its line (方案二（…）：, 议题三：): kept whole, so 方案二 is told from 方案三.
NUMBERED_ITEM_RE = re.compile(r"(?:^|(?<=[\s，。；]))([\u4e00-\u9fff]{2}[一二三四五六七八九十])(?=[（(：:])", re.M)


class Tokenizer:
    def __init__(self, words: list[str] = ()):
        self.words = list(words)
        self._jieba = new_jieba()
        for word in self.words:
            self._jieba.add_word(word, freq=200_000)

        # Questions, names and sentences are cut again and again while answering: cut each once.
        self._cut = lru_cache(maxsize=65_536)(self._tokens)
        self._tagger = None
        self.content_words = lru_cache(maxsize=8_192)(self._content_words)

    def __call__(self, text: str) -> list[str]:
        return list(self._cut(text))

    def _tokens(self, text: str) -> tuple[str, ...]:
        tokens = (t.strip().lower() for t in self._jieba.cut_for_search(text))
        return tuple(t for t in tokens if t and t not in STOPWORDS and WORD_RE.search(t))

    def _tagged(self, text: str) -> list[tuple[str, str]]:
        if self._tagger is None:
            self._tagger = new_tagger(self._jieba)
        return [(w.lower(), tag) for w, tag in self._tagger.cut(text) if w.strip()]

    def _content_words(self, text: str) -> frozenset[str]:
        """The words of ``text`` that can carry content (nouns, verbs, adjectives, names), cut once
        without overlaps: what a question asks about, as opposed to how it is phrased."""
        return frozenset(w for w, tag in self._tagged(text) if is_content(w, tag) and w not in STOPWORDS)

    def word_parts(self, text: str) -> frozenset[str]:
        """The content words of ``text`` with the words inside each (积分制 holds 积分), any one of
        which a passage may say it by; a coinage in quotation marks (“网红书记”) only whole."""
        coined = {m.group(1) for m in QUOTED_TERM_RE.finditer(text)}
        rest = QUOTED_TERM_RE.sub(" ", text)
        words = self.content_words(rest)
        return frozenset(coined | words | {p for w in words for p in self(w) if len(p) >= 2})

    def nouns(self, text: str) -> frozenset[str]:
        """The things ``text`` names (nouns, names, words jieba cannot tag): what a question about a
        named person must find in their words, where its verbs may well be paraphrased."""
        return frozenset(w for w, tag in self._tagged(text) if tag[:1] == "n" or tag in ("x", "eng")
                         if is_content(w, tag) and w not in STOPWORDS)

    def place_names(self, text: str) -> list[str]:
        """Place names in ``text`` that jieba's dictionary knows (崇川区, 北京), not kinds of place."""
        return [w for w, tag in self._tagged(text)
                if tag.startswith("ns") and w not in GENERIC_PLACES and w not in FRAME_WORDS and w not in STOPWORDS]


def _bm25s():
    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)  # bm25s sets DEBUG on import
    return bm25s


class BM25Index:
    def __init__(self, tokenizer: Tokenizer, retriever):
        self.tokenizer = tokenizer
        self.retriever = retriever

    @classmethod
    def build(cls, texts: list[str], tokenizer: Tokenizer, k1: float = 1.5, b: float = 0.75) -> "BM25Index":
        """``k1``/``b``: bm25s' documented defaults (Settings.bm25_k1/bm25_b carry the values used)."""
        retriever = _bm25s().BM25(k1=k1, b=b)
        retriever.index([tokenizer(t) for t in texts], show_progress=False)
        return cls(tokenizer, retriever)

    def scores(self, query: str, lexicon=None, expansion_weight: float = 0.5) -> np.ndarray:
        """BM25 score of every chunk for ``query`` (zeros when no token is known).

        With a ``lexicon``, each question word's synonyms found in the index also score, at
        ``expansion_weight`` of the user's own words; documents are never expanded.
        """
        tokens = self.tokenizer(query)
        if not tokens:  # "他说了什么？" has no content word; bm25s cannot score an empty query
            return np.zeros(self.document_count, dtype="float32")
        scores = np.asarray(self.retriever.get_scores(tokens), dtype="float32")
        vocab = self.retriever.vocab_dict
        extra = [w for t in dict.fromkeys(tokens) for w in (lexicon.synonyms(t) if lexicon else ())
                 if w in vocab and w not in tokens]
        if extra:
            scores = scores + expansion_weight * np.asarray(self.retriever.get_scores(extra), dtype="float32")
        return scores

    @property
    def document_count(self) -> int:
        return int(self.retriever.scores["num_docs"])

    def document_frequencies(self) -> dict[str, int]:
        """How many chunks hold each token, read from the BM25 state (no re-tokenizing)."""
        indptr = np.asarray(self.retriever.scores["indptr"])
        return {token: int(indptr[i + 1] - indptr[i]) for token, i in self.retriever.vocab_dict.items()
                if token and i + 1 < len(indptr)}

    def containing(self, token: str) -> np.ndarray:
        """Chunks whose text holds ``token`` as a word (read from the BM25 postings, no scan)."""
        i = self.retriever.vocab_dict.get(token)
        if i is None:
            return np.zeros(0, dtype=int)
        indptr = self.retriever.scores["indptr"]
        return np.asarray(self.retriever.scores["indices"][indptr[i]:indptr[i + 1]], dtype=int)

    def save(self, folder: Path) -> None:
        self.retriever.save(str(folder), show_progress=False)
        (folder / "user_words.json").write_text(json.dumps(self.tokenizer.words, ensure_ascii=False), "utf-8")

    @classmethod
    def load(cls, folder: Path) -> "BM25Index":
        words = json.loads((folder / "user_words.json").read_text("utf-8"))
        return cls(Tokenizer(words), _bm25s().BM25.load(str(folder), show_progress=False))
