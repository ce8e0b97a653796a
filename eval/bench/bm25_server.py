"""The yardstick for ``/ask`` throughput: a minimal BM25-only FastAPI server over the same article.

It tokenises with ``rag.bm25.Tokenizer`` (the article's names kept whole), scores with
``rag.bm25.BM25Index`` and returns the best chunk as JSON: no question understanding, no dense
channel, no answer composition. Served like the real API (uvicorn, a sync route in the thread pool):
``python -m uvicorn eval.bench.bm25_server:create_app --factory --port 8001``.
"""
from __future__ import annotations

import numpy as np
from fastapi import FastAPI
from pydantic import BaseModel

from eval.bench.common import ARTICLE


class Question(BaseModel):
    question: str


def create_app() -> FastAPI:
    from rag.bm25 import BM25Index, Tokenizer, user_words
    from rag.chunk import chunk_article
    from rag.ingest import load_article

    chunks = chunk_article(load_article(ARTICLE))
    index = BM25Index.build([c.context_text for c in chunks], Tokenizer(user_words(chunks)))
    app = FastAPI(title="BM25-only baseline")

    @app.post("/ask")
    def ask(body: Question) -> dict:
        scores = index.scores(body.question)
        best = int(np.argmax(scores))
        return {"score": float(scores[best]), "chunk": chunks[best].summary()}

    @app.get("/health")
    def health() -> dict:
        return {"status": "ok", "chunks": len(chunks)}

    return app
