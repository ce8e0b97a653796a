"""Performance, throughput and scale benchmarks: ``make bench`` = ``python -m eval.bench --out eval/reports``.

Writes ``bench.json`` (every number), ``bench.md`` (tables generated from those numbers) and
``bench.png`` (query latency against corpus size). ``--quick`` runs small sizes in under a minute.

Modules:

* ``common``: paths, statistics, timing, progress log, the question list.
* ``corpus``: synthetic corpora (the article's clauses recombined under invented speakers).
* ``article``: the article's index build (in a child process), ``engine.ask`` in-process, query and
  document embedding speed, and the cold start of ``rag ask`` against ``import torch``.
* ``http_load``: ``/ask`` over real HTTP (uvicorn in a child process, httpx clients), side by side
  with a minimal BM25-only server (``bm25_server``); ``request_path`` splits one request's cost.
* ``scale``: 1k–100k chunk corpora through FAISS, BM25, ``Retriever`` and ``Engine``; ``hnsw``: the
  HNSW parameter grid, recall@10 against flat search, and the settings it recommends.
* ``report`` / ``plot``: the markdown report and the figure.

The bench uses only the library's public surface (``rag.retrieve.fuse``, ``Retriever`` channels,
``Engine``, ``VectorIndex``, ``write_index``) and the default embedding model of ``Settings()``.
"""
import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
