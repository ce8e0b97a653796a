"""The scale, HNSW and recommendation sections of ``bench.md``."""
from __future__ import annotations

from eval.bench.common import HNSW_LIMIT_MS, RECALL_TARGET
from eval.bench.markdown import fmt, p, table


def scale_intro(res: dict) -> list[str]:
    env, q = res["environment"], res["scale_queries"]
    real = res["scale_vectors"] == "real"
    vectors = (f"**real vectors**: every chunk embedded with `{env['model']}`" if real else
               f"**random unit vectors** of dimension {env['dimension']} (the model is too slow to embed them here)")
    return ["## Scale: synthetic corpora\n",
            "Each corpus is the article's chunks followed by invented articles in its format: district + street + "
            "community + title + name + ：“quote”, each quote 2–6 clauses recombined from the real articles' speaker "
            "and event paragraphs, about one speaker per 4 chunks. Each invented person's paragraph is parsed by "
            "`rag.ingest.parse_article` and chunked by `rag.chunk` once; their quotes copy that chunk (and its person "
            "record) with new text. The corpus is written by `rag.store.write_index` and read back by `load_index`. "
            f"FAISS holds {vectors}. "
            f"Search queries: {q['n']} ({q['gold_questions']} gold questions, the rest held-out synthetic quotes), "
            f"embedded by the model; FAISS searches ask for the retriever's {env['candidates']} candidates with one "
            "thread, as served, and their latency is the better of two passes over the queries. Recall@10 counts ties with the exact 10th score as hits. The recombined text repeats a "
            "small vocabulary, so BM25 posting lists are denser than real news (BM25 times are pessimistic) and "
            "near-duplicate quotes are common.\n"]


def scale_tables(res: dict) -> list[str]:
    rows = [[s["n"], s["speakers"], s["flat"]["query_ms"]["p50"], s["hnsw"]["query_ms"]["p50"], s["hnsw"]["recall_at_10"],
             s["bm25"]["query_ms"]["p50"], p(s["retriever_flat"]["search_ms"]), p(s["retriever_hnsw"]["search_ms"]),
             p(s["retriever_hnsw"]["search_ms"], "p95"), p(s["retriever_hnsw"]["search_cached_ms"]),
             f"{fmt(p((s.get('engine') or {}).get('ask_ms')))} ({s['default_faiss']})"] for s in res["scale"]]
    env = res["environment"]
    out = ["### Query latency, p50 ms\n",
           table(["chunks", "speakers", "FAISS flat", f"FAISS HNSW (M={env['hnsw_m']}, ef={env['hnsw_ef_search']})",
                  "HNSW recall@10", "BM25 scores", "Retriever.search, flat", "Retriever.search, HNSW",
                  "… HNSW p95", "… HNSW, cached", "engine.ask (default FAISS)"], rows),
           "`Retriever.search` uncached = query embedding + FAISS + BM25 top-50 + fusion + entity lift; `engine.ask` "
           "adds question understanding and answer composition.\n", "### Stages of `Retriever.search` (HNSW), p50 ms\n"]
    rows = []
    for s in res["scale"]:
        r = s["retriever_hnsw"]
        parts = [p(r[k]) for k in ("bm25_channel_ms", "dense_channel_ms", "entities_ms", "fuse_ms")]
        rows.append([s["n"], p(r["search_ms"]), *parts, round(max(p(r["search_ms"]) - sum(parts), 0.0), 3),
                     r["entity_surfaces"]])
    out.append(table(["chunks", "search", "bm25_channel", "dense_channel (embeds)", "entity lookup", "fuse",
                      "rest (lift, sort, hits)", "entity surfaces"], rows))
    rows = [[s["n"], s["generate_s"], s["embed_s"], s["store"]["write_index_s"], s["store"]["load_index_s"],
             s["store"]["disk_mb"], s["hnsw"]["build_s"], s["flat"]["size_mb"], s["hnsw"]["size_mb"],
             s["bm25"]["vocabulary"], s["rss_growth_mb"], (s.get("engine") or {}).get("init_s")] for s in res["scale"]]
    out += ["### Build cost and size\n",
            table(["chunks", "generate s", "embed s", "write_index s (flat + BM25 + records)", "load_index s",
                   "index on disk MB", "HNSW build s", "flat MB", "HNSW MB", "BM25 vocabulary", "RSS growth MB",
                   "Engine init s"], rows)]
    errors = [f"{s['n']:,} chunks: {s['engine']['errors']}" for s in res["scale"] if (s.get("engine") or {}).get("errors")]
    if errors:
        out.append("`engine.ask` raised at scale: " + "; ".join(errors) + "\n")
    return out


def hnsw_section(res: dict) -> list[str]:
    out = ["## HNSW: (M, efSearch) grid, recall@10 against flat search\n",
           f"Searches ask for {res['environment']['candidates']} candidates (the retriever's `candidates`); recall@10 "
           "is over the first 10 of them; `filled` is the share of the candidates returned (an efSearch below the "
           "candidate count returns fewer). Build with both cores.\n"]
    for s in res["scale"]:
        grid = s.get("hnsw_grid")
        if grid:
            out.append(f"At {s['n']:,} chunks (flat: p50 {s['flat']['query_ms']['p50']:.3f} ms, recall 1.0):\n")
            out.append(table(["M", "efSearch", "build s", "p50 ms", "p95 ms", "recall@10", "filled"],
                             [[r["m"], r["ef_search"], r["build_s"], p(r["query_ms"]), p(r["query_ms"], "p95"),
                               r["recall_at_10"], r["candidates_filled"]] for r in grid]))
    env = res["environment"]
    out.append(f"### Exact flat search by corpus size, and HNSW (M={env['hnsw_m']}, efSearch={env['hnsw_ef_search']})\n")
    hnsw_rows = {s["n"]: s["hnsw"] for s in res["scale"]}
    flat = sorted(res["flat_sizes"] + [{"n": s["n"], "flat": s["flat"]} for s in res["scale"]], key=lambda r: r["n"])
    out.append(table(["chunks", "flat p50", "flat p95", "HNSW p50", "HNSW recall@10", "HNSW build s"],
                     [[r["n"], p(r["flat"]["query_ms"]), p(r["flat"]["query_ms"], "p95"),
                       p((hnsw_rows.get(r["n"]) or {}).get("query_ms")), (hnsw_rows.get(r["n"]) or {}).get("recall_at_10"),
                       (hnsw_rows.get(r["n"]) or {}).get("build_s")] for r in flat]))
    out.append(recommendation_text(res))
    return out


def recommendation_text(res: dict) -> str:
    rec, env = res["recommendation"], res["environment"]
    h, sw = rec["hnsw"], rec["switch"]
    lines = ["### Recommendation\n"]
    if h:
        lines.append(f"- **`hnsw_m = {h['hnsw_m']}`, `hnsw_ef_search = {h['hnsw_ef_search']}`** (now {env['hnsw_m']} / "
                     f"{env['hnsw_ef_search']}): the fastest grid setting (smaller graph on a near tie) with recall@10 "
                     f"≥ {RECALL_TARGET} and p50 ≤ {HNSW_LIMIT_MS:g} ms at every grid size "
                     f"({', '.join(f'{n:,}' for n in h['sizes'])} chunks): recall@10 ≥ {h['recall_at_10_min']}, "
                     f"p50 ≤ {h['p50_ms_worst']:.3f} ms.")
        safe = rec.get("hnsw_headroom")
        if safe and (safe["hnsw_m"], safe["hnsw_ef_search"]) != (h["hnsw_m"], h["hnsw_ef_search"]):
            lines.append(f"- With {rec['headroom']} recall to spare (recall falls as the corpus grows): "
                         f"`hnsw_m = {safe['hnsw_m']}`, `hnsw_ef_search = {safe['hnsw_ef_search']}`: recall@10 ≥ "
                         f"{safe['recall_at_10_min']}, p50 ≤ {safe['p50_ms_worst']:.3f} ms.")
    else:
        lines.append(f"- No grid setting reached recall@10 ≥ {RECALL_TARGET} at ≤ {HNSW_LIMIT_MS:g} ms; keep "
                     f"`hnsw_m = {env['hnsw_m']}`, `hnsw_ef_search = {env['hnsw_ef_search']}`.")
    at, value = sw["flat_reaches_limit_at"], sw["recommended_hnsw_min_chunks"]
    if at is None:
        lines.append(f"- `hnsw_min_chunks`: flat search was over {HNSW_LIMIT_MS:g} ms at every size; use HNSW always.")
    else:
        how = "extrapolated linearly beyond the largest size" if sw["extrapolated"] else "interpolated"
        lines.append(f"- **`hnsw_min_chunks = {value:_}`** (now {env['hnsw_min_chunks']:_}): exact flat search "
                     f"(one thread) reaches {HNSW_LIMIT_MS:g} ms p50 at ≈{at:,} chunks ({how}); below that flat is "
                     "exact and fast enough, above it HNSW holds the limit. "
                     + (f"HNSW is faster than flat from {sw['hnsw_faster_from']:,} chunks, but below the switch "
                        f"the saving is under {HNSW_LIMIT_MS:g} ms a search and costs exactness."
                        if sw["hnsw_faster_from"] else "HNSW was not faster than flat at any measured size."))
    if rec["vectors"] != "real":
        lines.append("- Measured on random vectors (HNSW's worst case): rerun with a fast model before changing settings.")
    return "\n".join(lines) + "\n"
