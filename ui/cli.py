"""The ``rag`` command: the library's commands (``rag.cli``) plus ``rag serve``, which needs the chat."""
from __future__ import annotations

import errno
import socket
from typing import Optional

import typer

from rag.cli import app, fail, settings
from rag.config import Settings

__all__ = ["app"]

DEFAULTS = Settings.model_fields


def listening_socket(host: str, port: int) -> socket.socket:
    """Bind ``host:port`` now, before the model loads: a port in use fails at once, and nothing
    can take the port between this check and the server listening (uvicorn gets this socket)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a just-closed server's port is free
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise OSError(f"port {port} on {host} is already in use (another `rag serve`?): stop that "
                          "server, or choose another port with --port or RAG_PORT") from exc
        raise OSError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    return sock


def browsable(host: str) -> str:
    """The address to print: a wildcard interface is reached through the loopback one."""
    return {"0.0.0.0": "127.0.0.1", "::": "[::1]", "": "127.0.0.1"}.get(host, f"[{host}]" if ":" in host else host)


@app.command("serve")
def serve(host: Optional[str] = typer.Option(
              None, metavar="HOST", help=f"interface to listen on [env RAG_HOST; default {DEFAULTS['host'].default}]"),
          port: Optional[int] = typer.Option(
              None, metavar="PORT", help=f"port to listen on [env RAG_PORT; default {DEFAULTS['port'].default}]")):
    """Serve /ask, /feedback, /health, /docs and the chat at /ui/ in one process.

    Prints a "ready" line with the chat's address once the server accepts connections."""
    s = settings(host=host, port=port)
    try:
        sock = listening_socket(s.host, s.port)
    except OSError as exc:
        fail(exc)
    import uvicorn

    from ui.app import create_app

    base = f"http://{browsable(s.host)}:{sock.getsockname()[1]}"
    typer.echo(f"loading the index and the model from {s.index_dir.name}/ …")
    application = create_app(s)

    class Server(uvicorn.Server):
        async def startup(self, sockets=None):
            await super().startup(sockets)
            if self.started:  # listening now: only then is the address worth printing
                if application.state.engine is None:
                    typer.echo(f"warning: no index loaded, /ask answers 503: {application.state.unavailable}", err=True)
                typer.echo(f"ready: chat {base}/ui/   API {base}/docs")

    Server(uvicorn.Config(application, log_level="warning")).run(sockets=[sock])
