"""The whole served app: the library's API (``rag.api``) with the Gradio chat mounted at ``/ui``.

This is the composition root: ``ui`` depends on ``rag``, never the reverse.
"""
from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import RedirectResponse

from rag.api import create_app as create_api
from rag.config import Settings
from rag.engine import Engine
from rag.feedback import Feedback
from ui.chat import mount_chat


def create_app(settings: Settings | None = None, engine: Engine | None = None,
               feedback: Feedback | None = None) -> FastAPI:
    settings = settings or Settings()
    app = create_api(settings, engine, feedback)

    @app.get("/", include_in_schema=False)
    def landing():
        """People type the bare address: send them to the chat."""
        return RedirectResponse("/ui/", status_code=307)

    # The chat rates answers in the API's store: one database, one memory of recent answers.
    mount_chat(app, lambda: app.state.engine, settings, app.state.feedback)
    return app
