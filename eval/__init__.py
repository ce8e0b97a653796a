"""Evaluation and benchmarks: ``eval/gold.jsonl`` (``make eval``) and the ``eval.bench`` package
(``make bench``). Run from the repository root, e.g. ``python -m eval.bench --quick``."""
