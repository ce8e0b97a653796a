"""The ``rag`` commands, run as a user would (a real subprocess), settings redirected by env."""
import json
import os
import subprocess
import sys

import pytest

from conftest import ARTICLE, SECOND_ARTICLE

pytestmark = pytest.mark.slow  # subprocesses, kills, fuzzing and load: `make test` runs them, `-m "not slow"` skips

RAG = [sys.executable, "-m", "rag"]


def run(*args, env):
    return subprocess.run([*RAG, *args], capture_output=True, text=True, env=env, timeout=300)


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "RAG_INDEX_DIR": str(folder / "store"), "RAG_CORPUS": str(ARTICLE)}
    built = run("index", "build", env=env)
    assert built.returncode == 0, built.stderr
    assert "built 36 chunks" in built.stdout
    return env


def test_default_model_builds_offline_without_warnings(env):
    result = run("index", "build", env=env)
    assert result.returncode == 0 and "WARNING" not in result.stderr and "zh-word-sif-200" in result.stdout


def test_if_stale_skips_an_up_to_date_index(env):
    assert "up to date" in run("index", "build", "--if-stale", env=env).stdout


def test_info_reports_manifest_and_active_model(env):
    info = json.loads(run("index", "info", env=env).stdout)
    assert info["active_model"] == info["model"] == "zh-word-sif-200" and info["model_matches"]
    assert info["counts_by_kind"]["speaker"] == 12 and info["counts_by_kind"]["roster"] == 11


def test_chunks_json(env):
    records = json.loads(run("chunks", "--json", env=env).stdout)
    keys = {"id", "kind", "speaker", "title", "community", "street", "district", "text", "start", "end"}
    assert all(keys <= set(r) for r in records)
    qian = next(r for r in records if r["speaker"] == "钱坤")
    assert (qian["kind"], qian["community"], qian["district"]) == ("speaker", "广福社区", "天府新区")
    assert {r["kind"] for r in records} >= {"speaker", "roster", "event", "byline"}


def test_ask_json_matches_the_api_shape(env):
    result = run("ask", "吴桂英是哪个村的书记？", "--json", env=env)
    body = json.loads(result.stdout)
    assert body["answer_type"] == "attribution" and body["citations"][0]["community"] == "新农村"


@pytest.mark.parametrize("args, message", [
    (["index", "build", "--corpus", "/no/such/path"], "no such file"),
    (["ask", ""], "empty"),
])
def test_bad_input_is_one_line_and_nonzero(env, args, message):
    result = run(*args, env=env)
    assert result.returncode == 1
    assert message in result.stderr and result.stderr.strip().startswith("error:")


def test_bad_corpus_leaves_the_previous_index(env, tmp_path):
    before = json.loads(run("index", "info", env=env).stdout)["corpus_sha256"]
    (tmp_path / "gbk.txt").write_bytes("成都社区".encode("gbk"))
    (tmp_path / "empty").mkdir()
    for corpus in (tmp_path / "gbk.txt", tmp_path / "empty"):
        result = run("index", "build", "--corpus", str(corpus), env=env)
        assert result.returncode == 1 and len(result.stderr.strip().splitlines()) <= 2
    assert json.loads(run("index", "info", env=env).stdout)["corpus_sha256"] == before


def test_unloadable_named_model_is_a_clear_error(env):
    result = run("ask", "吴桂英是谁", env={**env, "RAG_EMBED_MODEL": "no-such-org/no-such-model"})
    assert result.returncode == 1 and "error:" in result.stderr


def test_a_second_article_in_a_folder(tmp_path):
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "RAG_INDEX_DIR": str(tmp_path / "store")}
    (tmp_path / "corpus").mkdir()
    for source in (ARTICLE, SECOND_ARTICLE):
        (tmp_path / "corpus" / source.name).write_bytes(source.read_bytes())
    assert run("index", "build", "--corpus", str(tmp_path / "corpus"), env=env).returncode == 0
    body = json.loads(run("ask", "龙门村的书记是谁？", "--json", env=env).stdout)
    assert body["citations"][0]["speaker"] == "赵德芳"
