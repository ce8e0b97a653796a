"""Turn parsed passages into chunks: one per quote, long quotes split at sentence ends."""
from __future__ import annotations

import re

from rag.passages import Article, sub_spans
from rag.lexicon import ENDS_SAYING_RE, SPEECH_VERBS, hosts
from rag.types import Chunk

SENTENCE_RE = re.compile(r"[^。！？!?；;]*(?:[。！？!?；;]+[”’」』）)]*|$)")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character ranges of the sentences in ``text``, whitespace trimmed, nothing dropped."""
    ranges = []
    for match in SENTENCE_RE.finditer(text):
        a, b = match.span()
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            ranges.append((a, b))
    return ranges


def _pieces(text: str, max_chars: int) -> list[tuple[int, int]]:
    """Group whole sentences into pieces of at most ``max_chars`` (a longer sentence stands alone)."""
    pieces: list[tuple[int, int]] = []
    for a, b in split_sentences(text):
        if pieces and b - pieces[-1][0] <= max_chars:
            pieces[-1] = (pieces[-1][0], b)
        else:
            pieces.append((a, b))
    return pieces


# A verb of saying right before a piece of someone's words (他建议，“…” / 方文博提醒：…).
LEAD_IN_RE = re.compile(rf"(?P<verb>{'|'.join(SPEECH_VERBS)})(?:说|道)?[，,：:\s“]*$")
LEAD_IN_CHARS = 8
# The clause right after a closing quote, up to its full stop (”村民代表黄德贵当时投了反对票。).
LEAD_OUT_RE = re.compile(r"[”」’]([^“”。！？\n]{2,30})[。！？]")


def said_as(article: Article, spans, speaker=None) -> str:
    """The verbs the report introduces the pieces at ``spans`` with, in order, each once; and
    the clause after a quote that names its speaker (“…”村民代表黄德贵当时投了反对票。): what
    the report says they did with those words is searched with them, never quoted."""
    verbs = [m["verb"] for start, _ in spans
             if (m := LEAD_IN_RE.search(article.text, max(0, start - LEAD_IN_CHARS), start))]
    # (“…”方文博说。 adds nothing to what the label and the verb already say)
    after = [m.group(1) for _, end in spans if speaker is not None
             and (m := LEAD_OUT_RE.match(article.text, end)) and speaker.name in m.group(1)
             and not ENDS_SAYING_RE.search(m.group(1))]
    return "".join(dict.fromkeys(verbs + after))


# A numbered item's lead in a bulletin, a work report or a notice (1．“槐荫长者食堂”运营。…): the words
# quoted in that item are about it, as under a subheading. Serves itemised layouts of any kind.
ITEM_LEAD_RE = re.compile(r"^[ \t\u3000]*(?:[0-9０-９]{1,2}[．.、]|[（(][一二三四五六七八九十0-9]{1,2}[）)])\s*(?P<lead>[^。！？：:，,\n]{2,24})。",
                          re.MULTILINE)


def _item_leads(article: Article) -> list[tuple[int, str]]:
    """The report's own item leads (never one inside someone's words: a speech's points are its own)."""
    spoken = [(a, b) for p in article.passages if p.kind == "speaker" for a, b in p.spans]
    return [(m.start("lead"), " ".join(m["lead"].split())) for m in ITEM_LEAD_RE.finditer(article.text)
            if not any(a <= m.start("lead") < b for a, b in spoken)]


def _under(section: str, leads: list[tuple[int, str]], heading_at: int, start: int) -> str:
    """The section a passage at ``start`` stands under, with the item lead it follows, if any."""
    lead = next((t for at, t in reversed(leads) if heading_at <= at <= start), "")
    return f"{section} {lead}".strip() if lead and lead not in section else section


def chunk_article(article: Article, max_chars: int = 300) -> list[Chunk]:
    chunks: list[Chunk] = []
    leads, heading_at = _item_leads(article), 0
    asked = ""  # the interview question the next answers reply to
    section = ""  # the subheading the next passages stand under (never the headline)
    turn_asked: tuple[str, str] | None = None  # (asker, words): a turn that asks, until they speak again
    for i, passage in enumerate(article.passages):
        text = article.piece(passage.spans)
        if passage.kind == "question":
            asked = text.strip()
        elif passage.kind == "heading":
            asked, section, turn_asked = "", (" ".join(text.split()) if i else ""), None
            heading_at = passage.spans[0][0]
        replies = turn_asked if passage.speaker is not None and turn_asked and passage.speaker.name != turn_asked[0] else None
        if passage.kind == "speaker" and passage.speaker is not None:
            turn_asked = (passage.speaker.name, text.strip()) if _asks(text, passage.speaker) else (
                None if turn_asked and passage.speaker.name == turn_asked[0] else turn_asked)
        pieces = [(0, len(text))] if len(text) <= max_chars else _pieces(text, max_chars)
        for a, b in pieces:
            spans = sub_spans(passage.spans, a, b)
            if not article.piece(spans).strip():
                continue
            chunks.append(
                Chunk(
                    id=f"{article.doc_id}#{len(chunks):03d}",
                    doc_id=article.doc_id,
                    kind=passage.kind,
                    text=article.piece(spans),
                    spans=spans,
                    speaker=passage.speaker,
                    about=passage.about,
                    # (a numbered explainer's 答：… is the report's own words, answering 问3 all the same)
                    asked=(replies[1] if replies else asked) if passage.kind in ("speaker", "event") else "",
                    said_as=said_as(article, spans, passage.speaker) if passage.kind == "speaker" else "",
                    section=(_under(section, leads, heading_at, spans[0][0]) if passage.kind == "speaker" else section)
                    if passage.kind in ("speaker", "event") else "",
                )
            )
    return chunks


# A host's turn that ends asking (主播 林夕：那它的短板在哪？) is answered by the other voices after
# it: they are searched with its words, as an interview's 问 is with its 答. Serves transcripts,
# podcasts, hearings and call-ins, where a reader echoes the host's question rather than the reply.
# (only a host's: anyone else's question in a story is rhetorical as often as not)
MAX_ASKED_CHARS = 120


def _asks(text: str, speaker) -> bool:
    return hosts(speaker.title) and len(text.strip()) <= MAX_ASKED_CHARS \
        and text.rstrip().rstrip("”’」 ").endswith(("？", "?"))


def chunk_corpus(articles: list[Article], max_chars: int = 300) -> list[Chunk]:
    return [chunk for article in articles for chunk in chunk_article(article, max_chars)]
