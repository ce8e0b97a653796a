"""Score the pipeline on a gold Q&A file, per retrieval mode and against a naive baseline.

Each gold item is in the ``dev`` split (failures listed, for tuning) or the frozen ``test`` split
(aggregate scores only: its failures are never reported, so nobody can fit the code to them).
"""
from __future__ import annotations

import json
import statistics
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
from typing import Literal

from pydantic import BaseModel, ValidationError

from rag.bm25 import BM25Index, Tokenizer
from rag.engine import Engine
from rag.ingest import load_article

MODES = ("bm25", "dense", "hybrid")
NAIVE_WINDOW = 150


SPLITS = ("dev", "test")


class GoldItem(BaseModel):
    id: str
    doc: str = ""
    split: Literal["dev", "test"] = "dev"
    category: str
    question: str
    speakers: list[str] = []
    keywords: list[str] = []
    answerable: bool = True
    history: list[dict] = []


def load_gold(path: Path) -> list[GoldItem]:
    items = []
    for n, line in enumerate(Path(path).read_text("utf-8").splitlines(), start=1):
        if line.strip():
            try:
                items.append(GoldItem.model_validate_json(line))
            except ValidationError as exc:
                raise ValueError(f"{path}:{n}: not a gold item ({exc.errors()[0]['msg']})") from exc
    if not items:
        raise ValueError(f"{path}: no gold items")
    return items


def judge(item: GoldItem, answer_text: str, cited: set[str], abstained: bool) -> dict:
    named = {s for s in item.speakers if s in cited or s in answer_text}
    found = [k for k in item.keywords if k in answer_text]
    passed = (not abstained and len(named) == len(item.speakers) and len(found) == len(item.keywords)
              if item.answerable else abstained)
    return {"passed": passed, "speakers_cited": all(s in cited for s in item.speakers),
            "keywords_found": len(found), "abstained": abstained}


def ask_with_history(engine: Engine, item: GoldItem, mode: str | None):
    """Each question is asked about its own article (as a reader with that report open would),
    earlier turns first when it follows up."""
    scope = {"doc_id": item.doc} if item.doc else None
    history = []
    for turn in item.history:
        if turn.get("answer") is None:
            turn = {**turn, "answer": engine.ask(turn["question"], history=history, mode=mode, filters=scope).answer}
        history.append(turn)
    return engine.ask(item.question, history=history, mode=mode, filters=scope), history


def retrieval_rank(engine: Engine, item: GoldItem, history: list[dict], mode: str) -> int | None:
    hits = engine.retrieve(item.question, history, top_k=5, mode=mode,
                           filters={"doc_id": item.doc} if item.doc else None)
    return next((r for r, h in enumerate(hits, 1) if h.chunk.speaker and h.chunk.speaker.name in item.speakers), None)


def summarise(items: list[GoldItem], results: list[dict], latencies: list[float], ranks: list) -> dict:
    by_cat = defaultdict(list)
    for item, r in zip(items, results):
        by_cat[item.category].append(r["passed"])
    answerable = [(i, r) for i, r in zip(items, results) if i.answerable]
    with_speakers = [r for i, r in answerable if i.speakers]
    keywords = sum(len(i.keywords) for i, _ in answerable)
    abstained = [(i, r) for i, r in zip(items, results) if r["abstained"]]
    unanswerable = [i for i in items if not i.answerable]
    lengths = [r["chars"] for i, r in answerable if not r["abstained"]]
    ranked = [r for r in ranks if r != "n/a"]
    return {
        "n": len(items),
        "pass_rate": round(sum(r["passed"] for r in results) / len(items), 4),
        "by_category": {c: round(sum(v) / len(v), 4) for c, v in sorted(by_cat.items())},
        "by_article": _rates(items, results, lambda i: i.doc),
        "speaker_citation_accuracy": round(sum(r["speakers_cited"] for r in with_speakers) / max(len(with_speakers), 1), 4),
        "keyword_recall": round(sum(r["keywords_found"] for _, r in answerable) / max(keywords, 1), 4),
        "abstention": {
            "precision": round(sum(not i.answerable for i, _ in abstained) / len(abstained), 4) if abstained else None,
            "recall": round(sum(r["abstained"] for i, r in zip(items, results) if not i.answerable)
                            / len(unanswerable), 4) if unanswerable else None,
        },
        "retrieval": {
            **{f"recall@{k}": round(sum(r is not None and r <= k for r in ranked) / max(len(ranked), 1), 4) for k in (1, 3, 5)},
            "mrr": round(sum(1 / r for r in ranked if r) / max(len(ranked), 1), 4),
        },
        "median_answer_chars": statistics.median(lengths) if lengths else 0,
        "latency_ms": {"p50": round(float(np.percentile(latencies, 50)), 3), "p95": round(float(np.percentile(latencies, 95)), 3)},
    }


def _rates(items, results, key) -> dict:
    groups = defaultdict(list)
    for item, r in zip(items, results):
        groups[key(item)].append(r["passed"])
    return {k: round(sum(v) / len(v), 4) for k, v in sorted(groups.items())}


def _by_split(items: list[GoldItem], results: list[dict], latencies: list[float], ranks: list,
              failures: list[dict], mode: str) -> dict:
    """The whole set's scores, then each split's; failures only from dev."""
    out = summarise(items, results, latencies, ranks) | {"mode": mode}
    for split in SPLITS:
        picked = [k for k, i in enumerate(items) if i.split == split]
        if picked:
            out[split] = summarise([items[k] for k in picked], [results[k] for k in picked],
                                   [latencies[k] for k in picked], [ranks[k] for k in picked])
    dev_ids = {i.id for i in items if i.split == "dev"}
    out["failures"] = [f for f in failures if f["id"] in dev_ids]
    if "dev" in out and "test" in out:
        out["dev_minus_test_points"] = round(100 * (out["dev"]["pass_rate"] - out["test"]["pass_rate"]), 1)
    return out


def evaluate(engine: Engine, items: list[GoldItem], mode: str = "hybrid") -> dict:
    results, latencies, ranks, failures = [], [], [], []
    engine.forget_query_vectors()  # each mode pays for its own query embeddings
    for item in items:
        started = time.perf_counter()
        answer, history = ask_with_history(engine, item, mode)
        latencies.append((time.perf_counter() - started) * 1000)
        cited = {c.speaker for c in answer.citations if c.speaker}
        result = judge(item, answer.answer, cited, answer.abstained) | {"chars": len(answer.answer)}
        results.append(result)
        ranks.append(retrieval_rank(engine, item, history, mode) if item.answerable and item.speakers else "n/a")
        if not result["passed"]:
            failures.append({"id": item.id, "question": item.question, "answer": answer.answer,
                             "answer_type": answer.answer_type})
    return _by_split(items, results, latencies, ranks, failures, mode)


def naive_baseline(engine: Engine, items: list[GoldItem], channel: str) -> dict:
    """Fixed-size windows of raw text, one channel, top window as the answer, never abstains."""
    windows = [w for doc in sorted({c.doc_id for c in engine.chunks}) for w in _raw_windows(engine, doc)]
    if channel == "bm25":
        index = BM25Index.build(windows, Tokenizer())
        pick = lambda q: int(np.argmax(index.scores(q)))
    else:
        vectors = engine.embedder.embed_documents(windows)
        pick = lambda q: int(np.argmax(vectors @ engine.embedder.embed_query(q)))
    results, latencies = [], []
    for item in items:
        started = time.perf_counter()
        answer = windows[pick(item.question)]
        latencies.append((time.perf_counter() - started) * 1000)
        results.append(judge(item, answer, set(), False) | {"chars": len(answer)})
    return _by_split(items, results, latencies, ["n/a"] * len(items), [], f"naive-{channel}")


def _raw_windows(engine: Engine, doc_id: str) -> list[str]:
    path = next(Path(f) for f in engine.manifest.corpus_files if Path(f).stem == doc_id)
    text = "".join(load_article(path).text.split())  # a web page's extracted text, not its HTML
    return [text[i : i + NAIVE_WINDOW] for i in range(0, len(text), NAIVE_WINDOW)]


# Fusion settings compared on the dev split (score fusion at several dense weights, and RRF).
FUSION_SWEEP = [("weighted", 0.0), ("weighted", 0.15), ("weighted", 0.3), ("weighted", 0.5), ("weighted", 1.0),
                ("rrf", 0.3), ("rrf", 1.0)]


def channel_recall(engine: Engine, items: list[GoldItem]) -> dict[str, float]:
    """Right speaker's passage first, per channel, with no lift from the names in the question:
    what each channel finds on its own (all answerable items that name a speaker)."""
    picked = [i for i in items if i.answerable and i.speakers]
    out = {}
    for mode in MODES:
        engine.forget_query_vectors()
        first = [engine.retrieve(i.question, top_k=1, mode=mode, lift=False,
                                 filters={"doc_id": i.doc} if i.doc else None) for i in picked]
        out[mode] = round(sum(bool(h) and h[0].chunk.speaker is not None and h[0].chunk.speaker.name in i.speakers
                              for h, i in zip(first, picked)) / max(len(picked), 1), 4)
    return out


def fusion_sweep(engine: Engine, items: list[GoldItem]) -> list[dict]:
    """Pass rate and recall@1 on the dev split for each fusion setting (same index and model)."""
    dev = [i for i in items if i.split == "dev"]
    rows = []
    for fusion, weight in FUSION_SWEEP:
        tuned = engine.tuned(fusion=fusion, dense_weight=weight)
        r = evaluate(tuned, dev, "hybrid")
        rows.append({"fusion": fusion, "dense_weight": weight, "pass_rate": r["pass_rate"],
                     "recall@1": r["retrieval"]["recall@1"]})
    return rows


def run(engine: Engine, gold: Path, modes: list[str], sweep: bool = False) -> dict:
    items = load_gold(gold)
    report = {"gold": str(gold), "model": engine.model, "modes": {}}
    for mode in modes:
        report["modes"][mode] = evaluate(engine, items, mode) if mode in MODES else naive_baseline(engine, items, mode.split("-")[1])
    main = report["modes"].get("hybrid") or next(iter(report["modes"].values()))
    report |= {k: main[k] for k in ("n", "pass_rate", "by_category", "by_article", "retrieval", "abstention",
                                     "median_answer_chars", "latency_ms", "speaker_citation_accuracy",
                                     "keyword_recall") + SPLITS + ("dev_minus_test_points",) if k in main}
    if sweep and "hybrid" in modes:
        report["fusion_sweep"] = fusion_sweep(engine, items)
        report["channel_recall_at_1"] = channel_recall(engine, items)
    baselines = [m for m in report["modes"] if m.startswith("naive")]
    report["ratios_vs_naive"] = {
        b: round(main["pass_rate"] / report["modes"][b]["pass_rate"], 2) if report["modes"][b]["pass_rate"] else None
        for b in baselines
    }
    return report


def _pct(v) -> str:
    return "–" if v is None else f"{v:.0%}"


def _mode_table(report: dict) -> list[str]:
    modes = list(report["modes"])
    cats = sorted({c for m in modes for c in report["modes"][m]["by_category"]})
    lines = ["| mode | split | pass | " + " | ".join(cats) + " | recall@1 | MRR | abst. P | abst. R | p50 ms |",
             "|---" * (len(cats) + 8) + "|"]
    for m in modes:
        for split in SPLITS:
            r = report["modes"][m].get(split)
            if r is None:
                continue
            ret = r["retrieval"] if m in MODES else {"recall@1": None, "mrr": None}
            mrr = "–" if ret["mrr"] is None else round(ret["mrr"], 2)
            lines.append(f"| {m} | {split} | **{r['pass_rate']:.1%}** | "
                         + " | ".join(_pct(r["by_category"].get(c)) for c in cats)
                         + f" | {_pct(ret['recall@1'])} | {mrr} | {_pct(r['abstention']['precision'])}"
                         + f" | {_pct(r['abstention']['recall'])} | {r['latency_ms']['p50']} |")
    return lines


def _article_table(report: dict) -> list[str]:
    main = report["modes"].get("hybrid") or next(iter(report["modes"].values()))
    docs = sorted(main["by_article"])
    lines = ["| split | " + " | ".join(docs) + " |", "|---" * (len(docs) + 1) + "|"]
    for split in SPLITS:
        if split in main:
            lines.append(f"| {split} | " + " | ".join(_pct(main[split]["by_article"].get(d)) for d in docs) + " |")
    return lines


def _markdown(report: dict) -> str:
    main = report["modes"].get("hybrid") or next(iter(report["modes"].values()))
    gap = main.get("dev_minus_test_points")
    lines = [f"# Eval: {report['gold']}", "", f"Embedding model: `{report['model']}`, {report['n']} questions "
             f"({', '.join(f'{s} {main[s][chr(110)]}' for s in SPLITS if s in main)}).", ""]
    if gap is not None:
        verdict = "more than 5 points: the code is fitted to dev" if gap > 5 else "within 5 points"
        lines += [f"dev − test (hybrid): **{gap:+.1f} points**, {verdict}.", ""]
    lines += _mode_table(report) + ["", "Per article (hybrid):", ""] + _article_table(report)
    if sweep := report.get("fusion_sweep"):
        lines += ["", "Fusion sweep (dev split, pass rate / recall@1):", "", "| fusion | dense weight | pass | recall@1 |",
                  "|---|---|---|---|"]
        lines += [f"| {row['fusion']} | {row['dense_weight']} | {row['pass_rate']:.1%} | {_pct(row['recall@1'])} |"
                  for row in sweep]
    if channels := report.get("channel_recall_at_1"):
        lines += ["", "Right speaker first, each channel alone, no lift from names in the question (all splits):", "",
                  "| channel | recall@1 |", "|---|---|"] + [f"| {m} | {v:.1%} |" for m, v in channels.items()]
    misses = main.get("failures", [])
    lines += ["", f"Dev-split misses in hybrid mode ({len(misses)}; the test split's are never listed):", ""]
    lines += [f"- `{f['id']}` {f['question']} → {f['answer'][:80].replace(chr(10), ' ')}" for f in misses]
    return "\n".join(lines) + "\n"


def _plot(report: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    main = report["modes"].get("hybrid") or next(iter(report["modes"].values()))
    cats = sorted(main["by_category"])
    fig, ax = plt.subplots(figsize=(11, 4))
    splits = [s for s in SPLITS if s in main]
    width = 0.8 / max(len(splits), 1)
    for k, split in enumerate(splits):
        ax.bar([i + k * width for i in range(len(cats))], [main[split]["by_category"].get(c, 0) for c in cats],
               width, label=f"hybrid {split} ({main[split]['pass_rate']:.0%})")
    ax.set_xticks([i + 0.4 - width / 2 for i in range(len(cats))], cats, rotation=20)
    ax.set_ylabel("pass rate")
    ax.set_ylim(0, 1.05)
    ax.legend(fontsize=8)
    ax.set_title(f"Gold Q&A pass rate by category, dev vs test ({report['model']})")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_report(report: dict, folder: Path) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    md, png = folder / "eval.md", folder / "eval.png"
    md.write_text(_markdown(report), "utf-8")
    _plot(report, png)
    (folder / "eval.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), "utf-8")
    return md, png
