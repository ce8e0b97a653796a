"""Performance, throughput and scale benchmarks: ``make bench`` = ``python -m eval.bench --out eval/reports``.

Writes ``bench.json`` (every number), ``bench.md`` (tables generated from those numbers) and
``bench.png`` (query latency against corpus size). ``--quick`` runs small sizes in under a minute.

Modules:

* ``common``: paths, targets, statistics, timing, progress log, CPU taken by other processes.
* ``corpus``: synthetic corpora (the articles' clauses recombined under invented speakers).
* ``article``: the article's index build (in a child process), ``engine.ask`` in-process, document
  embedding speed, and the cold start of ``rag ask`` against ``import torch``.
* ``request_path``: one ``/ask`` request split into parsing, engine, response encoding, thread-pool
  hops and the whole ASGI app, in-process.
* ``http_load``: ``/ask`` over real HTTP (uvicorn in child processes started by ``ui.server``), with
  one and two workers, side by side with ``bm25_server`` (a minimal BM25-only server); clients from
  ``loadgen``, a light keep-alive HTTP/1.1 load generator.
* ``scale``: 1k–100k chunk corpora through ``write_index``/``load_index``, FAISS, BM25, ``Retriever``
  and ``Engine``; ``hnsw``: the HNSW (M, efSearch) grid, recall@10 against flat search, flat search by
  size, and the settings they recommend.
* ``report``, ``report_scale``, ``markdown``, ``plot``: ``bench.md`` and ``bench.png``.

The bench uses only the library's public surface (``rag.retrieve.fuse``, ``Retriever`` channels,
``Engine``, ``VectorIndex``, ``write_index``) and the default embedding model of ``Settings()``.
"""
import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
