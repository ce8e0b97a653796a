"""The eval script on the public gold set (with the CI floor) and on a gold file it has never seen."""
import json

import pytest

from conftest import EVAL_CORPUS
from rag.config import PROJECT_ROOT
from rag.ingest import load_article
from rag.evaluate import judge, load_gold, run, write_report, GoldItem

GOLD = PROJECT_ROOT / "eval" / "gold.jsonl"
# Floors under today's measured scores (make eval): a regression fails CI; the targets are in the
# README. dev grows with every batch of helper-written articles in a new style, added at its
# intake score (20–84%) and then fixed in part: 76.7% with 5,268 dev items, 1,080 of them new this round
# (77.9% with 4,188). test falls when a harder batch is frozen in (t20 took it from 66.3% to 64.9% on
# unchanged code); it is 66.2% with 1,774 items.
PASS_FLOOR = {"dev": 0.75, "test": 0.63}  # a regression guard: new dev batches come in at their intake scores


@pytest.fixture(scope="module")
def report(eval_engine):
    return run(eval_engine, GOLD, ["hybrid", "bm25", "naive-bm25"])


def test_gold_set_shape():
    items = load_gold(GOLD)
    assert len(items) >= 200 and len({i.doc for i in items}) >= 4
    assert sum(not i.answerable for i in items) >= 0.2 * len(items)
    assert {i.split for i in items} == {"dev", "test"}
    counts = {c: sum(i.category == c for i in items) for c in {i.category for i in items}}
    assert set(counts) >= {"attribution", "content", "event", "roster", "list", "paraphrase", "followup",
                           "comparison", "method", "enumeration", "unanswerable"}
    texts = {p.stem: load_article(p).text for p in EVAL_CORPUS}
    for item in items:
        assert all(k in texts[item.doc] for k in item.keywords), item.id


def test_pass_rate_floors_with_the_default_model(report):
    assert report["model"] == "zh-word-sif-200"
    for split, floor in PASS_FLOOR.items():
        assert report[split]["pass_rate"] >= floor, split
    assert "failures" not in report["test"]  # the frozen split's misses are never reported
    assert all(f["id"] in {i.id for i in load_gold(GOLD) if i.split == "dev"}
               for f in report["modes"]["hybrid"]["failures"])
    assert report["abstention"]["recall"] >= 0.7
    assert report["retrieval"]["recall@3"] >= 0.83  # 0.851 before t20, h48, h49 came in; 0.842 after


def test_beats_the_naive_baseline(report):
    naive = report["modes"]["naive-bm25"]
    assert naive["abstention"]["recall"] == 0  # never abstains
    assert report["pass_rate"] > naive["pass_rate"] + 0.2
    assert report["ratios_vs_naive"]["naive-bm25"] > 1.2


def test_report_files(report, tmp_path):
    md, png = write_report(report, tmp_path)
    assert "| hybrid |" in md.read_text("utf-8") and png.stat().st_size > 10_000
    assert json.loads((tmp_path / "eval.json").read_text("utf-8"))["n"] == report["n"]


def test_runs_on_an_unseen_gold_file(second_engine):
    report = run(second_engine, PROJECT_ROOT / "tests" / "data" / "second_gold.jsonl", ["hybrid"])
    assert report["n"] == 6
    assert report["pass_rate"] >= 5 / 6


def test_judging_rules():
    item = GoldItem(id="x", category="c", question="q", speakers=["甲"], keywords=["乙"])
    assert judge(item, "甲说乙", set(), False)["passed"]
    assert not judge(item, "甲说乙", set(), True)["passed"]  # abstained
    assert not judge(item, "甲说", {"甲"}, False)["passed"]  # keyword missing
    never = GoldItem(id="y", category="unanswerable", question="q", answerable=False)
    assert judge(never, "", set(), True)["passed"] and not judge(never, "随便", set(), False)["passed"]


def test_bad_gold_file(tmp_path):
    path = tmp_path / "g.jsonl"
    path.write_text('{"id": 1}\n', "utf-8")
    with pytest.raises(ValueError, match="g.jsonl:1"):
        load_gold(path)
