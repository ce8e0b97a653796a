"""`rag serve` as a person starts it (a real process on a real port), its --help, and `make browser`
for someone who is not root."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from rag.config import PROJECT_ROOT

RAG = [sys.executable, "-c", "from ui.cli import app; app()"]  # the installed `rag` entry point


def run_rag(*args, env=None, timeout=60) -> subprocess.CompletedProcess:
    return subprocess.run([*RAG, *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {}), "COLUMNS": "100"})


def test_serve_help_names_the_default_port_and_its_variable():
    out = run_rag("serve", "--help").stdout
    assert "--port PORT" in out and "RAG_PORT" in out and "default 8000" in out
    assert "RAG_HOST" in out and "default 127.0.0.1" in out
    for label in ("<bool>", "<int>", "<str>", "INTEGER", "TEXT"):
        assert label not in out, out
    assert "<bool>" not in run_rag("--help").stdout


def test_port_in_use_is_a_clear_error_at_once():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        started = time.monotonic()
        result = run_rag("serve", "--port", str(port))
        took = time.monotonic() - started
    assert result.returncode == 1
    assert f"port {port} on 127.0.0.1 is already in use" in result.stderr and "--port" in result.stderr
    assert "Traceback" not in result.stderr and "ready" not in result.stdout
    assert took < 10, f"took {took:.1f} s: the port must be checked before the model loads"


@pytest.mark.slow
def test_serve_says_ready_only_once_it_answers(settings, tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "RAG_INDEX_DIR": str(settings.index_dir), "RAG_FEEDBACK_DB": str(tmp_path / "f.sqlite"),
           "RAG_EMBED_MODEL": settings.embed_model, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([*RAG, "serve", "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)
    try:
        lines = []
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line)
            if line.startswith("ready"):
                # The moment the line appears, the server answers: no retry, no wait.
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5) as response:
                    assert response.status == 200
                break
        assert lines and lines[-1].startswith("ready"), (lines, proc.stderr.read() if proc.poll() is not None else "")
        assert f"http://127.0.0.1:{port}/ui/" in lines[-1] and sum(l.startswith("ready") for l in lines) == 1
        assert not any("http://" in l for l in lines[:-1])  # no address printed before it works
    finally:
        proc.terminate()
        proc.wait(15)


def as_nobody():
    """Drop root for a child process, as a developer without sudo would run make."""
    if os.geteuid() == 0:
        os.setgroups([])
        os.setgid(65534)
        os.setuid(65534)


def test_make_browser_without_root_prints_the_one_command_to_run():
    # CHROMIUM names a browser that is not there, so the target must install, which needs root.
    result = subprocess.run(["make", "-s", "browser", "CHROMIUM=rag-test-no-such-browser"], cwd=PROJECT_ROOT,
                            capture_output=True, text=True, timeout=60, preexec_fn=as_nobody)
    if "Permission denied" in result.stderr and "Makefile" in result.stderr:
        pytest.skip("the checkout is not readable by the unprivileged user this test runs make as")
    assert result.returncode != 0
    assert "sudo apt-get update && sudo apt-get install -y chromium fonts-noto-cjk" in result.stderr
    assert "E: " not in result.stderr and "Permission denied" not in result.stderr  # not apt's own error
