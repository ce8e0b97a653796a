"""Parse a news article into speaker quotes, roster mentions and plain passages.

The rules describe the genre, not one article: a speaker paragraph opens with the organisation
path, title and name (``天府新区华阳街道广福社区党总支书记钱坤：“…``); a paragraph that stops
mid-sentence continues in the next paragraph that is not a photo caption or heading.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rag.records import Person
from rag.types import ChunkKind

HAN = "\u4e00-\u9fff"
ORG_PATH = (
    rf"(?P<district>[{HAN}]{{1,6}}?(?:新区|区|市|县))"
    rf"(?P<street>[{HAN}]{{1,8}}?(?:街道|镇|乡))?"
    rf"(?P<community>[{HAN}0-9A-Za-z]{{1,12}}?(?:社区|村|中心))?"
)
TITLE = (
    r"(?P<title>(?:(?:党工委|党委|党总支|党支部|党组|总支|支部)?副?书记|(?:社区居委会|居委会|村委会)?副?主任)"
    rf"(?:、[{HAN}]{{2,12}}?(?:主任|镇长|乡长|主席))?)"
)
NAME = rf"(?P<name>[{HAN}·]{{2,4}})"
SPEAKER_RE = re.compile(rf"^{ORG_PATH}{TITLE}{NAME}\s*[:：]\s*“", re.MULTILINE)
# A roster item stands alone in a list: not glued to the Han text before it, followed by a separator.
ROSTER_ITEM_RE = re.compile(rf"(?<![{HAN}]){ORG_PATH}{TITLE}{NAME}(?=[、，,；;和及等。]|$)")
BYLINE_LINE_RE = re.compile(r"^\s*(?:\S*记者|摄影|通讯员|编辑)\s+\S")
PARAGRAPH_RE = re.compile(r"[^\n]*\S[^\n]*(?:\n[^\n]*\S[^\n]*)*")
SENTENCE_END = "。！？!?”…」』）)"
CAPTION_MAX_CHARS = 40
HEADING_MAX_CHARS = 30


class IngestError(ValueError):
    """The input cannot become an index; the message says which file and why."""


@dataclass(frozen=True)
class Passage:
    kind: ChunkKind
    spans: tuple[tuple[int, int], ...]
    speaker: Person | None = None


@dataclass(frozen=True)
class Article:
    doc_id: str
    path: str
    text: str
    passages: tuple[Passage, ...]

    def piece(self, spans) -> str:
        return "".join(self.text[a:b] for a, b in spans)

    @property
    def people(self) -> list[Person]:
        return [p.speaker for p in self.passages if p.speaker is not None]


def read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"{path}: cannot read ({exc.strerror})") from exc
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError(f"{path}: not UTF-8 text (bad byte at offset {exc.start}); save it as UTF-8") from exc


def corpus_files(paths: list[Path]) -> list[Path]:
    """Expand files and folders into the ``.txt``/``.md`` articles they name, in a stable order."""
    files: list[Path] = []
    for path in paths:
        if not path.exists():
            raise IngestError(f"{path}: no such file or folder")
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix in {".txt", ".md"} and p.is_file())
            if not found:
                raise IngestError(f"{path}: folder holds no .txt or .md articles")
            files.extend(found)
        else:
            files.append(path)
    return files


def _person(match: re.Match, quoted: bool, doc_id: str) -> Person:
    return Person(
        name=match["name"], title=match["title"], district=match["district"],
        street=match["street"], community=match["community"], quoted=quoted, doc_id=doc_id,
        mention=(match.start(), match.end("name")),
    )


def _ends_sentence(text: str) -> bool:
    return text.rstrip()[-1:] in SENTENCE_END


def _classify(text: str) -> ChunkKind:
    lines = [line.strip() for line in text.splitlines()]
    if SPEAKER_RE.match(text):
        return "speaker"
    if any(BYLINE_LINE_RE.match(line) for line in lines):
        return "byline"
    if len(ROSTER_ITEM_RE.findall(text)) >= 2:
        return "roster"
    if text.startswith("#") or (
        all(len(line) <= HEADING_MAX_CHARS for line in lines) and not _ends_sentence(text)
    ):
        return "heading"
    if len(lines) == 1 and len(text) <= CAPTION_MAX_CHARS and _ends_sentence(text) and "：" not in text:
        return "caption"
    return "event"


def _paragraphs(text: str) -> list[tuple[int, int, ChunkKind]]:
    return [(m.start(), m.end(), _classify(m.group())) for m in PARAGRAPH_RE.finditer(text)]


def _quote_spans(text: str, spans: list[tuple[int, int]], opening: int) -> tuple[tuple[int, int], ...]:
    """The quote without its outer quotation marks: from after the opening “ to before the last ”."""
    spans = [(opening, spans[0][1])] + spans[1:]
    last_start, last_end = spans[-1]
    closing = text.rfind("”", last_start, last_end)
    if closing != -1 and text[closing:last_end].strip() == "”":
        spans[-1] = (last_start, closing)
    return tuple((a, b) for a, b in spans if b > a)


def parse_article(text: str, doc_id: str, path: str = "") -> Article:
    paragraphs = _paragraphs(text)
    passages: list[Passage] = []
    used: set[int] = set()
    for i, (start, end, kind) in enumerate(paragraphs):
        if i in used:
            continue
        spans = [(start, end)]
        # A quote cut mid-sentence (by a photo caption or a stray blank line) goes on in the next
        # paragraph that is ordinary text; captions and headings in between stay separate passages.
        j = i + 1
        while kind in ("speaker", "event") and not _ends_sentence(text[spans[-1][0]:spans[-1][1]]):
            while j < len(paragraphs) and paragraphs[j][2] in ("caption", "heading"):
                j += 1
            if j >= len(paragraphs) or paragraphs[j][2] not in ("event",):
                break
            spans.append(paragraphs[j][:2])
            used.add(j)
            j += 1
        if kind == "speaker":
            match = SPEAKER_RE.match(text, start)
            quote = _quote_spans(text, spans, match.end())
            if "".join(text[a:b] for a, b in quote).strip():
                passages.append(Passage("speaker", quote, _person(match, True, doc_id)))
            else:  # “” says nothing: keep who was named, as the roster does
                mention = ((match.start(), match.end("name")),)
                passages.append(Passage("roster", mention, _person(match, False, doc_id)))
        elif kind == "roster":
            for match in ROSTER_ITEM_RE.finditer(text, start, end):
                passages.append(Passage("roster", ((match.start(), match.end()),), _person(match, False, doc_id)))
        else:
            passages.append(Passage(kind, tuple(spans)))
    return Article(doc_id=doc_id, path=path, text=text, passages=tuple(passages))


def load_article(path: Path) -> Article:
    text = read_text(path)
    if not text.strip():
        raise IngestError(f"{path}: file is empty")
    article = parse_article(text, doc_id=path.stem, path=str(path))
    if not any(p.kind == "speaker" for p in article.passages):
        raise IngestError(
            f"{path}: no speaker paragraphs found (expected lines like "
            "'XX区XX街道XX社区党委书记某某：“…”')"
        )
    return article


def load_corpus(paths: list[Path]) -> list[Article]:
    files = corpus_files(paths)
    articles = [load_article(p) for p in files]
    ids = [a.doc_id for a in articles]
    duplicated = sorted({d for d in ids if ids.count(d) > 1})
    if duplicated:
        raise IngestError(f"two articles share the file name {duplicated[0]!r}; rename one")
    return articles
