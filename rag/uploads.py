"""What an uploaded article must pass before it is queued: a safe file name, a size limit, text
that is not binary and decodes as UTF-8, and a parse that yields an article of sane size.

Every refusal is a ``DocumentError`` carrying the HTTP status the API answers with, so the routes,
the chat's library tab and ``rag documents add`` report the same reason.
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from rag.chunk import chunk_article
from rag.config import Settings
from rag.ingest import ARTICLE_SUFFIXES, Article, IngestError, load_article

# Longer stems are cut: a file name is a label, and some file systems stop at 255 bytes (3 per Han).
MAX_STEM_CHARS = 80
DEFAULT_SUFFIX = ".txt"
# Signatures of the binary files people upload by mistake (or to test us), by their first bytes.
MAGIC = {b"PK\x03\x04": "a zip archive", b"\x1f\x8b": "gzip data", b"%PDF": "a PDF",
         b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image", b"GIF8": "a GIF image",
         b"\xd0\xcf\x11\xe0": "an old Office document", b"7z\xbc\xaf": "a 7z archive",
         b"Rar!": "a RAR archive", b"BZh": "bzip2 data", b"\xfd7zXZ": "xz data", b"\x7fELF": "a program"}
# Text has tabs and newlines; more than 1% other control characters means bytes that merely decode.
MAX_CONTROL_SHARE = 0.01
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# News articles have tens to a few hundred lines. Parsing costs about 50 us a line (5 s for
# 100,000) while holding the interpreter, so a dump of lines is refused before it is parsed.
MAX_LINES = 20_000


class DocumentError(ValueError):
    """A request about the library that cannot be done; ``status`` is the HTTP answer."""

    status = 400

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status or self.status


class TooLarge(DocumentError):
    status = 413


class Unprocessable(DocumentError):
    status = 422


class Conflict(DocumentError):
    status = 409


class NotFound(DocumentError):
    status = 404


def shorten_paths(text: str, roots) -> str:
    """``text`` with every path under one of ``roots`` cut to its file name: reasons are shown to
    anyone who lists the library, and the server's folders are none of their business."""
    for root in roots:
        text = re.sub(re.escape(str(root)) + r"[^\s:'\"]*", lambda m: Path(m.group()).name, text)
    return text


def safe_name(client_name: str | None) -> str:
    """A file name of our own making from the client's: the last path part only (``../../etc/passwd``
    becomes ``passwd.txt``), letters, digits, ``-`` and ``_`` kept, anything else ``_``, no leading
    dot, the suffix lower-cased and ``.txt`` when there is none."""
    base = unicodedata.normalize("NFKC", re.split(r"[\\/]", client_name or "")[-1])
    stem, dot, suffix = base.rpartition(".")
    if not dot or not stem.strip("."):
        stem, suffix = base.replace(".", "_"), ""
    stem = re.sub(r"[^\w-]+", "_", stem).strip("_-.")[:MAX_STEM_CHARS].rstrip("_-.")
    suffix = re.sub(r"[^\w]+", "", suffix).lower()
    return (stem or "article") + (f".{suffix}" if suffix else DEFAULT_SUFFIX)


def check_name(name: str) -> str:
    """``name`` (already safe) when its type is one the parser reads."""
    suffix = Path(name).suffix
    if suffix not in ARTICLE_SUFFIXES:
        raise Unprocessable(f"{name}: unsupported file type {suffix!r}; upload {', '.join(ARTICLE_SUFFIXES)}")
    return name


def check_bytes(name: str, data: bytes, limit: int) -> str:
    """The upload's text, or the reason it is not an article file."""
    if len(data) > limit:
        raise TooLarge(f"{name} is {len(data):,} bytes; the limit is {limit:,} (RAG_UPLOAD_MAX_BYTES)")
    if not data.strip():
        raise Unprocessable(f"{name}: file is empty")
    for magic, kind in MAGIC.items():
        if data.startswith(magic):
            raise Unprocessable(f"{name}: binary file ({kind}), not a text article")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Unprocessable(f"{name}: not UTF-8 text (bad byte at offset {exc.start}); save it as UTF-8") from exc
    if "\0" in text or len(_CONTROL.findall(text)) > MAX_CONTROL_SHARE * len(text):
        raise Unprocessable(f"{name}: binary file (control characters), not a text article")
    if not text.strip():
        raise Unprocessable(f"{name}: file is empty")
    if (lines := text.count("\n")) > MAX_LINES:
        raise Unprocessable(f"{name}: {lines:,} lines; an article may have at most {MAX_LINES:,}")
    return text


def check_article(path: Path, settings: Settings) -> tuple[Article, int]:
    """Parse the staged file as the index build will; the article and its chunk count. Messages
    name the file as uploaded, never the server's staging path."""
    try:
        article = load_article(path)
    except IngestError as exc:
        raise Unprocessable(str(exc).replace(str(path), path.name)) from exc
    chunks = len(chunk_article(article, settings.chunk_chars))
    if chunks == 0:
        raise Unprocessable(f"{path.name}: no article text found")
    if chunks > settings.upload_max_chunks:
        raise Unprocessable(f"{path.name}: {chunks:,} passages; an article may have at most "
                            f"{settings.upload_max_chunks:,} (RAG_UPLOAD_MAX_CHUNKS)")
    return article, chunks
