"""The ``rag`` command: the library's commands (``rag.cli``) plus ``rag serve``, which needs the chat."""
from __future__ import annotations

from typing import Optional

import typer

from rag.cli import app, settings

__all__ = ["app"]


@app.command("serve")
def serve(host: Optional[str] = typer.Option(None, help="interface to listen on [env RAG_HOST; default 127.0.0.1]"),
          port: Optional[int] = typer.Option(None, help="port [env RAG_PORT; default 8000]")):
    """Serve /ask, /health, /docs and the chat at /ui/ in one process."""
    import uvicorn

    from ui.app import create_app

    s = settings(host=host, port=port)
    typer.echo(f"chat: http://{s.host}:{s.port}/ui/   API: http://{s.host}:{s.port}/docs")
    uvicorn.run(create_app(s), host=s.host, port=s.port, log_level="warning")
