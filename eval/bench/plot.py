"""``bench.png``: query latency against corpus size, and the HNSW grid's recall against latency."""
from __future__ import annotations

from pathlib import Path

from eval.bench.common import BUDGET_MS, HNSW_LIMIT_MS, RECALL_TARGET
from eval.bench.markdown import p


def _latency(ax, res: dict) -> None:
    scale = sorted(res["scale"], key=lambda s: s["n"])
    flat = sorted([(r["n"], p(r["flat"]["query_ms"])) for r in res["flat_sizes"]]
                  + [(s["n"], p(s["flat"]["query_ms"])) for s in scale])
    ax.plot([n for n, _ in flat], [ms for _, ms in flat], "o-", label="FAISS flat (1 thread)")
    env = res["environment"]
    ax.plot([s["n"] for s in scale], [p(s["hnsw"]["query_ms"]) for s in scale], "s-",
            label=f"FAISS HNSW (M={env['hnsw_m']}, efSearch={env['hnsw_ef_search']})")
    rec = res["recommendation"]["hnsw"]
    if rec:
        pts = [(r["n"], p(r["query_ms"])) for s in scale for r in s.get("hnsw_grid", [])
               if (r["m"], r["ef_search"]) == (rec["hnsw_m"], rec["hnsw_ef_search"])]
        ax.plot([n for n, _ in pts], [ms for _, ms in pts], "s--",
                label=f"FAISS HNSW, recommended (M={rec['hnsw_m']}, efSearch={rec['hnsw_ef_search']})")
    xs = [s["n"] for s in scale]
    ax.plot(xs, [p(s["bm25"]["query_ms"]) for s in scale], "^-", label="BM25 scores")
    ax.plot(xs, [p(s[f"retriever_{s['default_faiss']}"]["search_ms"]) for s in scale], "D-",
            label="Retriever.search, uncached (default FAISS)")
    if all(s.get("engine") for s in scale):
        ax.plot(xs, [p(s["engine"]["ask_ms"]) for s in scale], "v-", label="engine.ask, uncached")
    for y, text in ((BUDGET_MS, f"{BUDGET_MS:g} ms full path"), (HNSW_LIMIT_MS, f"{HNSW_LIMIT_MS:g} ms FAISS")):
        ax.axhline(y, color="grey", ls=":", lw=1)
        ax.text(xs[0], y * 1.08, text, color="grey", fontsize=8)
    ax.set_ylim(top=BUDGET_MS * 1.6)
    ax.set(xscale="log", yscale="log", xlabel=f"corpus size (chunks; {res['scale_vectors']} vectors)",
           ylabel="p50 latency (ms, log scale)", title=f"Query latency vs corpus size ({res['environment']['cpus']} cores)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7, loc="upper left")


def _grid(ax, res: dict) -> None:
    for s in res["scale"]:
        for m in sorted({r["m"] for r in s.get("hnsw_grid", [])}):
            rows = [r for r in s["hnsw_grid"] if r["m"] == m]
            ax.plot([p(r["query_ms"]) for r in rows], [r["recall_at_10"] for r in rows], "o-",
                    label=f"{s['n']:,} chunks, M={m}")
            for r in rows:
                ax.annotate(str(r["ef_search"]), (p(r["query_ms"]), r["recall_at_10"]), fontsize=6)
    ax.axhline(RECALL_TARGET, color="grey", ls=":", lw=1)
    ax.axvline(HNSW_LIMIT_MS, color="grey", ls=":", lw=1)
    ax.set(xscale="log", xlabel="HNSW search p50 (ms; labels: efSearch)", ylabel="recall@10 vs flat",
           title="HNSW grid: recall against latency")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7, loc="lower right")


def plot(res: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(15, 6))
    _latency(left, res)
    _grid(right, res)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
