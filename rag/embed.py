"""Sentence embeddings: the ``Embedder`` interface and the loader.

The default is the packaged Chinese model (``rag.zh_embedder``: numpy only, no network). Any
sentence-transformers model is opt-in by name; one that cannot be loaded is a ``ModelUnavailable``
error, never a silent switch to another model."""
from __future__ import annotations

import logging
import os
import socket
from abc import ABC, abstractmethod
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlparse

import numpy as np
from tqdm import tqdm

from rag.config import DEFAULT_MODEL, Settings

log = logging.getLogger("rag.embed")

# bge retrieval models are trained with this instruction in front of short queries.
BGE_ZH_QUERY_PREFIX = "为这个句子生成表示以用于检索相关文章："


class ModelUnavailable(RuntimeError):
    pass


class Embedder(ABC):
    """``name`` is what the index manifest records; a mismatch at search time is refused."""

    name: str
    dimension: int
    query_prefix: str = ""

    @abstractmethod
    def embed_batch(self, texts: list[str]) -> np.ndarray:
        """L2-normalised float32 vectors, one row per text."""

    def limit_threads(self, threads: int) -> None:
        """Cap the compute threads used per call (no-op for backends without such a knob)."""

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_batch([self.query_prefix + text])[0]

    def embed_documents(self, texts: list[str], batch_size: int = 32, progress: bool = False) -> np.ndarray:
        batches = range(0, len(texts), batch_size)
        if progress:
            batches = tqdm(batches, desc=f"embedding with {self.name}", unit="batch")
        rows = [self.embed_batch(texts[i : i + batch_size]) for i in batches]
        if not rows:
            return np.zeros((0, self.dimension), dtype="float32")
        return np.vstack(rows).astype("float32")


def _import_sentence_transformers():
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise ModelUnavailable(
            "sentence-transformers is not installed: run `make install` "
            "(or `pip install torch==2.13.0 sentence-transformers`)"
        ) from exc
    return SentenceTransformer


class SentenceTransformerEmbedder(Embedder):
    def __init__(self, name: str, location: str | None = None):
        SentenceTransformer = _import_sentence_transformers()
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        target = location or name
        try:  # a local folder, or a hub model already in the cache
            self.model = SentenceTransformer(target, device="cpu", local_files_only=True)
        except Exception as exc:  # hub errors come as OSError, HTTP errors, ValueError...
            if Path(target).exists() or not _hub_reachable():
                raise ModelUnavailable(f"cannot load embedding model {name!r}: {str(exc).splitlines()[0].rstrip('.')}") from exc
            try:
                self.model = SentenceTransformer(target, device="cpu")
            except Exception as exc2:
                raise ModelUnavailable(f"cannot download embedding model {name!r}: {str(exc2).splitlines()[0]}") from exc2
        self.name = name
        self.dimension = int(self.model.get_embedding_dimension())
        self.query_prefix = BGE_ZH_QUERY_PREFIX if "bge" in name.lower() and "zh" in name.lower() else ""

    def limit_threads(self, threads: int) -> None:
        import torch

        torch.set_num_threads(threads)

    def embed_batch(self, texts: list[str]) -> np.ndarray:
        vectors = self.model.encode(
            list(texts), normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )
        return np.asarray(vectors, dtype="float32")


def _hub_reachable(timeout: float = 3.0) -> bool:
    """A quick look before downloading: the hub client otherwise retries for over a minute offline."""
    if os.environ.get("HF_HUB_OFFLINE", "").lower() in ("1", "true", "yes"):
        return False
    host = urlparse(os.environ.get("HF_ENDPOINT", "https://huggingface.co")).hostname or "huggingface.co"
    try:
        socket.create_connection((host, 443), timeout=timeout).close()
        return True
    except OSError:
        return False


def load_embedder(settings: Settings) -> Embedder:
    """The model ``settings.embed_model`` names; a process loads each model once."""
    return _load(settings.embed_model, str(settings.model_cache_dir))


@lru_cache(maxsize=4)
def _load(model: str, cache_dir: str) -> Embedder:
    if model == DEFAULT_MODEL:
        from rag.zh_embedder import ChineseWordEmbedder
        from rag.wordvectors import WordDataUnavailable

        try:
            return ChineseWordEmbedder(Path(cache_dir))
        except WordDataUnavailable as exc:
            raise ModelUnavailable(str(exc)) from exc
    return SentenceTransformerEmbedder(model)
