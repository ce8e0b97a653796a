"""Shared fixtures: the real article and an invented second one, indexed once per session with
the real default model (no fakes), and an HTTP client over the real app."""
from __future__ import annotations

import json
import os
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # no test may reach a model hub

import pytest

from rag.config import DEFAULT_MODEL, PROJECT_ROOT, Settings

ARTICLE = PROJECT_ROOT / "index" / "corpus" / "chengdu_community_secretaries.txt"
SECOND_ARTICLE = PROJECT_ROOT / "tests" / "data" / "second_article.txt"
DATA = PROJECT_ROOT / "tests" / "data"
# The gold set's articles (eval/corpus.txt), as `make eval` indexes them.
EVAL_CORPUS = [PROJECT_ROOT / line for line in (PROJECT_ROOT / "eval" / "corpus.txt").read_text("utf-8").split()]
SECOND_EXPECTED = json.loads((PROJECT_ROOT / "tests" / "data" / "second_article_expected.json").read_text("utf-8"))


def make_settings(folder: Path, corpus: list[Path], **overrides) -> Settings:
    return Settings(corpus=corpus, index_dir=folder / "store", embed_model=DEFAULT_MODEL, **overrides)


@pytest.fixture(scope="session")
def embedder():
    from rag.embed import load_embedder

    return load_embedder(Settings())


def _build(folder: Path, corpus: list[Path], embedder) -> Settings:
    from rag.engine import build_index

    settings = make_settings(folder, corpus)
    build_index(settings, embedder, progress=False)
    return settings


@pytest.fixture(scope="session")
def settings(tmp_path_factory, embedder) -> Settings:
    """An index of the real article, built once."""
    return _build(tmp_path_factory.mktemp("article"), [ARTICLE], embedder)


@pytest.fixture(scope="session")
def engine(settings, embedder):
    from rag.engine import Engine

    return Engine.load(settings, embedder)


@pytest.fixture(scope="session")
def eval_engine(tmp_path_factory, embedder):
    from rag.engine import Engine

    return Engine.load(_build(tmp_path_factory.mktemp("eval"), EVAL_CORPUS, embedder), embedder)


@pytest.fixture(scope="session")
def second_engine(tmp_path_factory, embedder):
    from rag.engine import Engine

    return Engine.load(_build(tmp_path_factory.mktemp("second"), [SECOND_ARTICLE], embedder), embedder)


@pytest.fixture(scope="session")
def app(engine):
    from rag.api import create_app

    return create_app(engine.settings, engine=engine)


@pytest.fixture()
def client(app):
    from fastapi.testclient import TestClient

    with TestClient(app) as c:
        yield c
