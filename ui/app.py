"""The whole served app: the library's API (``rag.api``) with the Gradio chat mounted at ``/ui``.

This is the composition root: ``ui`` depends on ``rag``, never the reverse.
"""
from __future__ import annotations

from fastapi import FastAPI

from rag.api import create_app as create_api
from rag.config import Settings
from rag.engine import Engine
from ui.chat import mount_chat


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    settings = settings or Settings()
    app = create_api(settings, engine)
    mount_chat(app, lambda: app.state.engine, settings)
    return app
