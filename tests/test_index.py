"""Index round trip with the real packaged model, manifest checks, and failed builds."""
import json
import logging

import numpy as np
import pytest

from conftest import ARTICLE, make_settings
from rag.config import DEFAULT_MODEL, Settings
from rag.embed import BGE_ZH_QUERY_PREFIX, load_embedder
from rag.engine import Engine, build_index, index_is_current
from rag.ingest import parser_fingerprint
from rag.ingest import IngestError
from rag.store import IndexUnavailable, load_index, read_manifest


def test_manifest_records_model_counts_and_checksum(settings):
    manifest = read_manifest(settings.index_dir)
    assert manifest.model == DEFAULT_MODEL
    assert manifest.dimension == 200
    assert manifest.counts_by_kind["speaker"] == 12
    assert manifest.counts_by_kind["roster"] == 11
    assert manifest.faiss_index == "flat"
    assert len(manifest.corpus_sha256) == 64
    assert index_is_current(settings, DEFAULT_MODEL)
    assert not index_is_current(settings, "some/other-model")


def test_an_index_made_by_another_parser_version_is_stale(settings, monkeypatch):
    assert read_manifest(settings.index_dir).parser_sha256 == parser_fingerprint()
    monkeypatch.setattr("rag.engine.parser_fingerprint", lambda: "0" * 64)  # as after an upgrade
    assert not index_is_current(settings, DEFAULT_MODEL)


def test_every_module_the_parser_runs_is_in_its_fingerprint():
    # (a module split out of the parser, or one it comes to import, must make old indexes stale too)
    import ast
    from pathlib import Path

    from rag.ingest import PARSER_MODULES
    package = Path(parser_fingerprint.__code__.co_filename).parent
    seen, todo = set(), ["ingest", "chunk", "bm25"]
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            tree = ast.parse((package / f"{name}.py").read_text("utf-8"))
            todo += [n.module.split(".")[1] for n in ast.walk(tree)
                     if isinstance(n, ast.ImportFrom) and n.module and n.module.startswith("rag.")]
    # (types are the records' shape, wordvectors the model's: each has its own check in the manifest)
    assert {f"{name}.py" for name in seen} - {"types.py", "wordvectors.py"} <= set(PARSER_MODULES)


def test_round_trip_search_puts_the_right_speaker_first(engine):
    for question, name in [("莲花社区建了什么广场？", "马腾飞"), ("‘1+3+7’方法是什么", "张奕冰"),
                           ("青创社是谁引导成立的", "钱坤")]:
        hits = engine.retriever.search(question, top_k=3)
        assert hits[0].chunk.speaker.name == name, question


def test_dense_channel_alone_returns_real_vectors(engine):
    vector = engine.embedder.embed_query("社区治理")
    assert vector.shape == (200,) and abs(float(np.linalg.norm(vector)) - 1) < 1e-3
    hits = engine.retriever.search("社区治理", top_k=3, mode="dense")
    assert len(hits) == 3 and all(h.dense_rank for h in hits) and not any(h.bm25_rank for h in hits)


def test_index_built_with_another_model_is_refused(settings):
    with pytest.raises(IndexUnavailable, match="rag index build"):
        load_index(settings.index_dir, "BAAI/bge-small-zh-v1.5")


def test_missing_index_says_how_to_build(tmp_path):
    with pytest.raises(IndexUnavailable, match="rag index build"):
        load_index(tmp_path / "none", DEFAULT_MODEL)


@pytest.fixture()
def own_index(tmp_path, embedder):
    s = make_settings(tmp_path, [ARTICLE])
    build_index(s, embedder, progress=False)
    return s


def test_corrupt_files_are_a_clear_error(own_index):
    folder = own_index.index_dir / "builds" / (own_index.index_dir / "CURRENT").read_text().strip()
    (folder / "chunks.jsonl").write_text("{not json\n")
    with pytest.raises(IndexUnavailable, match="corrupt.*rag index build"):
        load_index(own_index.index_dir, DEFAULT_MODEL)
    (folder / "manifest.json").write_text("garbage")
    with pytest.raises(IndexUnavailable, match="corrupt"):
        read_manifest(own_index.index_dir)


def test_failed_build_keeps_previous_index(own_index, tmp_path, embedder):
    before = read_manifest(own_index.index_dir)
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "a.txt").write_bytes("成都".encode("gbk"))
    for corpus in ([bad], [tmp_path / "missing"], [tmp_path / "bad" / "a.txt"]):
        with pytest.raises(IngestError):
            build_index(own_index.model_copy(update={"corpus": corpus}), embedder, progress=False)
    after = read_manifest(own_index.index_dir)
    assert after == before
    assert Engine.load(own_index, embedder).ask("吴桂英是哪个村的书记？").citations[0].speaker == "吴桂英"


def test_rebuild_replaces_and_cleans_old_builds(own_index, embedder):
    build_index(own_index, embedder, progress=False)
    builds = list((own_index.index_dir / "builds").iterdir())
    assert len(builds) == 1


def test_hnsw_above_threshold(tmp_path, embedder):
    s = make_settings(tmp_path, [ARTICLE], hnsw_min_chunks=10)
    build_index(s, embedder, progress=False)
    engine = Engine.load(s, embedder)
    assert engine.manifest.faiss_index == "hnsw"
    assert engine.retriever.search("莲花社区建了什么广场？")[0].chunk.speaker.name == "马腾飞"


@pytest.mark.slow  # imports sentence-transformers and torch (seconds)
def test_a_named_model_that_cannot_load_is_an_error_never_a_switch(caplog):
    from rag.embed import ModelUnavailable

    with pytest.raises(ModelUnavailable, match="no-such-model-for-tests"):
        load_embedder(Settings(embed_model="no-such-org/no-such-model-for-tests"))


def test_default_model_loads_once_per_process():
    first, second = load_embedder(Settings()), load_embedder(Settings())
    assert first is second and first.name == DEFAULT_MODEL and first.dimension == 200


def test_bge_models_prefix_queries_only(embedder, monkeypatch):
    seen = []
    monkeypatch.setattr(embedder, "query_prefix", BGE_ZH_QUERY_PREFIX)
    monkeypatch.setattr(embedder, "embed_batch", lambda texts: seen.extend(texts) or np.zeros((len(texts), 200), "float32"))
    embedder.embed_query("问题")
    embedder.embed_documents(["文档"])
    assert seen == [BGE_ZH_QUERY_PREFIX + "问题", "文档"]


def test_settings_come_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("RAG_INDEX_DIR", str(tmp_path / "x"))
    monkeypatch.setenv("RAG_CORPUS", f"{tmp_path / 'a.txt'}:{tmp_path / 'b'}")
    monkeypatch.setenv("RAG_TOP_K", "5")
    s = Settings()
    assert s.index_dir == tmp_path / "x" and s.top_k == 5 and len(s.corpus) == 2
    assert s.with_overrides(top_k=None, embed_model="m").embed_model == "m"
