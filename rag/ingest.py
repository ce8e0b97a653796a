"""Parse a news article into speaker quotes, people named in passing, and plain passages.
``rag.paragraphs`` classes paragraphs by shape (heading, byline, photo caption, text) and joins
the text paragraphs that belong together; ``rag.attribution`` then says whose words each quote or
reported clause is. What no one says stays a plain passage, so an article where no speaker is
found is still indexed and citable by headline.
"""
from __future__ import annotations

import hashlib
import logging
import re
from pathlib import Path

from rag.attribution import Mention, attribute, mentions, person_from
from rag.introductions import introductions, introductions_by_later_speech
from rag.finishing import introduced, listed_only, mark_quoted
from rag.paragraphs import headline_line, split_units
from rag.passages import Article, Passage, sub_spans, trimmed
from rag.placing import complete_places, in_bracketed_place
from rag.quotes import quoted_block, trailing_quotes, whole_quote
from rag.records import Person
from rag.sections import (AUTHOR_LINE_RE, EDITOR_NOTE_RE, ENTRY_HEAD_RE, SALUTATION_RE, authored_block, named_after,
                          opens_letter, parenthesized, posted, profile_subject, quote_card, section_speaker, signer,
                          tells_in_first_person, tells_whole_text, told_after_heading)
from rag.turns import (Turns, feed_owner, field_block_poster, interviewee_of, labelling_names, nicknames, role_holders,
                        turn_speaker)

log = logging.getLogger("rag.ingest")

ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm")
DATE_RE = re.compile(r"(?:\d{4}年)?\d{1,2}月\d{1,2}日")
# A roster is a list of people: introductions fill most of its text (此外，A、B、C等都作了分享).
ROSTER_SHARE = 0.6
# Narrative around quotes is kept as a passage with this many characters of its own (张三说。 has fewer).
MIN_NARRATIVE_CHARS = 10


class IngestError(ValueError):
    """The input cannot become an index; the message says which file and why."""


# An age that opens a clause before the person it describes (。今年82岁的居民孙秀英…).
AGE_LEAD_RE = re.compile(r"(?:^|[，。；：,;:！？!?\n“”])(?:今年|现年|已经)?[0-9一二三四五六七八九十]+多?岁的(?:[\u4e00-\u9fff]{1,4}?)?$")


class _Reader:
    """Walks an article's text units in order, remembering who was named and who spoke last."""

    def __init__(self, text: str, doc_id: str):
        self.text, self.doc_id = text, doc_id
        self.people: dict[str, Person] = {}
        self.introduced: dict[int, Person] = {}  # source offset of an introduction -> its record
        self.last_named: Person | None = None
        self.last_speaker: Person | None = None
        self.entry: Person | None = None  # whom the numbered entry being read is about
        self.quoted: set[str] = set()
        self.roles = role_holders(text, doc_id)  # 主持人 → the host the header names

    def introduce(self, units) -> None:
        """First pass: every full introduction, so later name-only mentions resolve to it."""
        for kind, spans, _ in units:
            if kind == "text":
                unit = "".join(self.text[a:b] for a, b in spans)
                for m in introductions(unit):
                    start = sub_spans(spans, m.start(), m.start() + 1)[0][0]
                    person = person_from(m, self.doc_id, start - m.start())
                    self.introduced[start] = person
                    self.people.setdefault(m["name"], person)  # a later bare name means the first one
        for alias, person in nicknames(self.text, self.doc_id).items():  # (“老陈”是11栋的陈国栋)
            self.people.setdefault(alias, self.people.get(person.name, person))
        for kind, spans, _ in units:  # (二、“铁娘子”刘春燕：…: the person a profile's section is about)
            if kind == "heading" and (subject := profile_subject(self.text[slice(*spans[0])], self.text, self.doc_id)):
                self.people.setdefault(subject.name, subject.model_copy(update={"mention": spans[0]}))
        for kind, spans, _ in units:  # people whose own line says who they are: tellers, turns, 冯志强（村委会副主任）
            if (kind == "heading" or any(tells_whole_text(line) for line in self.text[slice(*spans[0])].splitlines())) \
                    and (teller := self._header(spans)):
                self.people[teller.name] = teller
            turn = kind == "text" and self.turn(spans, strangers=False)[0]  # (the record is made where they are introduced)
            listed = parenthesized(self.text, spans, self.doc_id) + posted(self.text, spans, self.doc_id) \
                if kind != "byline" else []
            for person in ([turn] if turn else []) + listed:
                # A later line that places someone first named by a bare post (网格员周晓彤, then the caption
                # 周晓彤 光明社区第7网格网格员) completes their record: captions, guest lists, 名字（职务） lines.
                if (known := self.people.get(person.name)) is None or (
                        not known.organisation and person.organisation and known.title in person.title):
                    self.people[person.name] = person
        for m in introductions_by_later_speech(self.text, self.people):
            self.people.setdefault(m["name"], person_from(m, self.doc_id))
        for person in labelling_names(self.text, self.doc_id, self.roles):  # (方晓蕾：… on two lines or more)
            self.people.setdefault(person.name, person)

    def _header(self, spans) -> Person | None:
        """The person a section header or 口述 line names, cited at that line."""
        (a, b), *_ = spans
        # (a speech's own line may share its paragraph with the source line or the speaker's line)
        lines = [(a + m.start(), a + m.end()) for m in re.finditer(r"[^\n]+", self.text[a:b])]
        lines = sorted(lines, key=lambda r: not tells_whole_text(self.text[r[0]:r[1]])) if len(lines) > 1 else [(a, b)]
        a, b, person = next(((x, y, p) for x, y in lines if (p := section_speaker(self.text[x:y], self.doc_id))),
                            (a, b, None))
        return person and person.model_copy(update={"mention": (a, b)})

    def teller(self, spans) -> Person | None:
        """The person a section header names, as the article's record of them; a pronoun after it is theirs."""
        person = self._header(spans)
        self.last_named = (person := person and self.people.get(person.name, person)) or self.last_named
        # (a numbered entry's head, 一、王秀琴，女，67岁，…: the report's words under it are on them)
        self.entry = person if person and ENTRY_HEAD_RE.match(self.text, spans[0][0]) else None
        return person

    def turn(self, spans, strangers: bool = True) -> tuple[Person | None, int]:
        """Whose transcript turn this unit opens (the record the article holds for them), and
        where in the unit their words begin (``strangers``: a chat line's bare name counts too)."""
        person, at = turn_speaker("".join(self.text[a:b] for a, b in spans), self.doc_id, {**self.roles, **self.people},
                                  strangers)
        if person is None:
            return None, 0
        return self.people.get(person.name) or person.model_copy(update={"mention": (spans[0][0], spans[0][0] + at)}), at

    def turn_passages(self, spans, restarts, person: Person, at: int) -> list[Passage]:
        """The turn's words as one passage, the people it names in passing (队长陶建新), and the
        words it quotes of someone else (韩晓梅说：“…”) as theirs, the rest staying the turn's."""
        found = self.passages(spans, restarts)
        others = [p for p in found if p.speaker is not None and p.speaker.name != person.name]
        self.quoted.add(person.name)
        unit = "".join(self.text[a:b] for a, b in spans)
        if not any(p.kind == "speaker" for p in others):
            return [Passage("speaker", tuple(sub_spans(spans, *trimmed(unit, at, len(unit)))), person)] + others
        begin = sub_spans(spans, at, at + 1)[0][0] if at < len(unit) else spans[-1][1]
        own = [tuple((max(a, begin), b) for a, b in p.spans if b > begin) for p in found if p not in others]
        return [Passage("speaker", piece, person) for piece in own if piece] + others

    def passages(self, spans, restarts) -> list[Passage]:
        unit = "".join(self.text[a:b] for a, b in spans)
        found = mentions(unit, self.people, self.doc_id,
                         lambda m: self.introduced.get(sub_spans(spans, m.start(), m.start() + 1)[0][0]))
        said = self._said(unit, found, restarts)
        said += trailing_quotes(unit, said, found)
        if not said and len([m for m in found if m.person]) >= 2 and self._is_roster(unit, found):
            return [Passage("roster", tuple(sub_spans(spans, m.start, m.end)), m.person)
                    for m in found if m.person]
        out = self._speech_passages(spans, said)
        # People named in passing (a keynote speaker in an event paragraph) get a record too.
        out += [Passage("roster", tuple(sub_spans(spans, m.start, m.end)), m.person)
                for m in found if m.person and not m.speaks]
        covered = [r for _, r in said] + [(m.start, m.speech_end) for m in found if m.speaks]
        out += self._narrative(spans, unit, covered, _narrated_about(unit, found, {p.name: p for p, _ in said}))
        self.last_speaker = said[-1][0] if said else None
        for m in found:
            self.last_named = m.person or self.last_named
        return out

    def _said(self, unit: str, found: list[Mention], restarts) -> list[tuple[Person, tuple[int, int]]]:
        named_before = self.last_named

        def resolve(m: Mention) -> Person | None:
            """A pronoun means the last person named before it as the subject of a clause
            (老秦和许乐一道…，他… is 老秦), else the last person named at all."""
            before = [x for x in found if x.person and x.start < m.start]
            # (今年82岁的居民孙秀英几乎每天都来，她笑着说: an age before the name still opens the clause)
            subjects = [x for x in before if x.start == 0 or unit[x.start - 1] in "，。；：,;:！？!?\n“”"
                        or AGE_LEAD_RE.search(unit, 0, x.start)]
            return m.person or ((subjects or before)[-1].person if before else named_before)

        said = attribute(unit, found, restarts, resolve)
        if not said and self.last_speaker and not found and (inside := whole_quote(unit)):
            said = [(self.last_speaker, inside)]  # a bare quote paragraph: the speaker goes on
        return said

    def card(self, spans) -> list[Passage]:
        """A quote card's byline and its person's words (rag.sections.quote_card); [] for anything else."""
        if not (card := quote_card(self.text, spans, self.doc_id)):
            return []
        speaker = self.people.get(card[-1].speaker.name, card[-1].speaker)
        self.quoted.add(speaker.name)
        return [card[0], Passage("speaker", card[-1].spans, speaker)]

    def _is_roster(self, unit: str, found: list[Mention]) -> bool:
        named = sum(m.end - m.start for m in found if m.person)
        return named >= ROSTER_SHARE * len(re.sub(r"\s", "", unit))

    def _speech_passages(self, spans, said) -> list[Passage]:
        """One passage per run of one person's words in this unit (a split quote stays whole)."""
        out: list[Passage] = []
        for person, (a, b) in said:
            self.quoted.add(person.name)
            pieces = tuple(sub_spans(spans, a, b))
            if out and out[-1].speaker == person:
                out[-1] = Passage("speaker", out[-1].spans + pieces, person)
            else:
                out.append(Passage("speaker", pieces, person))
        return out

    def _narrative(self, spans, unit: str, covered, about: Person | None) -> list[Passage]:
        """What is left once the speech and its attributions are taken out: the report's own words."""
        keep, position = [], 0
        for a, b in sorted(covered) + [(len(unit), len(unit))]:
            if a > position:
                keep.append((position, a))
            position = max(position, b)
        if not covered:  # nobody speaks here: the whole paragraph is the report's, however short
            keep = [(0, len(unit))] if re.search(r"\w", unit) else []
        pieces = [(a, b) for a, b in keep
                  if not covered or len(re.sub(r"[\s，。,.：:“”‘’、；;]", "", unit[a:b])) >= MIN_NARRATIVE_CHARS]
        spans_out = tuple(s for a, b in pieces for s in sub_spans(spans, *trimmed(unit, a, b)))
        return [Passage("event", spans_out, about=about)] if spans_out else []


def _narrated_about(unit: str, found: list[Mention], speakers: dict[str, Person]) -> Person | None:
    """Whom the report's own words in a paragraph are about: the subject its first sentence opens
    with, who does not speak here (今年4月，网格员吴小梅在走访中发现…。陈国栋说：“…”); else the one
    person who speaks here, else the one it names, else the one its first sentence names
    (老秦的办法…：…。镇党委书记梁振华把这种做法总结为…)."""
    first_end = next((i + 1 for i, ch in enumerate(unit) if ch in "。！？!?"), len(unit))
    opening = list(dict.fromkeys(m.person for m in found if m.person is not None and m.start < first_end))
    if len(opening) == 1 and opening[0].name not in speakers and found[0].person == opening[0]:
        return opening[0]
    if len(speakers) == 1:
        return next(iter(speakers.values()))
    named = list(dict.fromkeys(m.person for m in found if m.person is not None))
    if speakers:
        return None
    return named[0] if len(named) == 1 else opening[0] if len(opening) == 1 else None


def parse_article(text: str, doc_id: str, path: str = "", headline: str = "", date: str = "") -> Article:
    units = split_units(text)
    reader = _Reader(text, doc_id)
    reader.introduce(units)
    passages: list[Passage] = []
    teller = oral = None  # whose self-told section this is (■ 李春华 | …书记); who tells all (口述：周建华（…）)
    feed = feed_owner(text, doc_id, reader.people)  # (记者整理…罗永康的朋友圈: whose dated entries these are)
    authored = False  # whether ``oral`` is a section's author (提案人：…), whose section ends at a heading
    turns = _transcript_turns(text, units, reader)
    signed, letter = [], False  # the report's first-person passages since the last heading (all, after a salutation): a letter to sign
    speech = _read_out(text, units)
    for kind, spans, restarts in units:
        unit = "".join(text[a:b] for a, b in spans)
        note = EDITOR_NOTE_RE.match(unit)
        if signed and (writer := signer(unit, doc_id, text)):  # 读者　刘建军（…业主）: the letter above is theirs
            writer = reader.people.get(writer.name, writer.model_copy(update={"mention": spans[0]}))
            reader.quoted.add(writer.name)
            passages = [Passage("speaker", p.spans, writer) if i in signed else p for i, p in enumerate(passages)]
            passages.append(Passage("byline", tuple(spans)))
            signed = []
            continue
        if kind == "heading" or note:
            teller, signed, letter = reader.teller(spans), [], False
            oral, authored = told_after_heading(teller, unit, note, oral, authored, speech)
        # (a short line of theirs, 我们总结叫“一员多能”。, has a caption's shape but goes on with the turn)
        turn, at = turns.of(kind, unit, spans, lambda: any(p.speaker not in (None, turns.current) for p in
                                                           reader.passages(spans, restarts) if p.kind == "speaker"))
        if turn:
            passages += reader.turn_passages(spans, restarts, turn, at)
            continue
        if any(tells_whole_text(line) for line in unit.splitlines()):
            author = reader.teller(spans)
            if own := authored_block(text, spans, author):  # (建议人：宋婉清（…）⏎建议摘要：…)
                passages += own
                continue
            oral, authored = author, any(AUTHOR_LINE_RE.match(line) for line in unit.splitlines())
            passages.append(Passage("byline", tuple(spans)))
            continue
        if kind == "text" and (card := reader.card(spans)):  # (鲁桂芬｜7栋2单元居民⏎“……”)
            passages += card
            continue
        if kind == "text" and (poster := field_block_poster(unit, doc_id, feed)) is not False:  # (留言人：网友“…”)
            oral, authored = poster and reader.people.get(poster.name, poster), poster is not None
        if kind == "text":
            letter, found = letter or opens_letter(unit), in_bracketed_place(unit, reader.passages(spans, restarts))
            # the teller's own words; a report read out to its audience is its speaker's throughout
            if (told_by := teller or oral) and (tells_in_first_person(unit) or ((speech or authored) and told_by is oral)):
                reader.quoted.add(told_by.name)
                found = [Passage("speaker", p.spans, told_by) if p.kind == "event" else p for p in found]
            elif (tells_in_first_person(unit) or letter or quoted_block(unit)) and not note:  # (“…”⏎——张秀英（3栋）)
                signed += [len(passages) + i for i, p in enumerate(found) if p.kind == "event"]
            elif reader.entry:  # (一、王秀琴，女，67岁… ⏎ 事迹简介：退休后牵头…: on the one the entry is about)
                found = [Passage("event", p.spans, about=reader.entry) if p.kind == "event" and p.about is None else p for p in found]
            passages += found
        else:  # (a letter's short line, 二是夜巡增加到每周三次。, is the writer's too)
            signed += [len(passages)] if letter and kind == "caption" else []
            passages.append(Passage(kind, tuple(spans)))
    headline = headline or next((line for kind, spans, _ in units if kind == "heading" for a, b in spans[:1]
                                 if not text[a:b].startswith("#") and (line := headline_line(text[a:b]))), "")
    return Article(doc_id=doc_id, path=path, text=text, passages=tuple(_finished(text, passages, reader)),
                   headline=headline, date=date or ((m := DATE_RE.search(text)) and m.group()) or "")


def _read_out(text: str, units) -> bool:
    """A speech, an oral account or a report read out: its own line says who tells it all, or its body
    opens by addressing its audience (各位党员、居民代表：)."""
    return any(tells_whole_text(line) for _, spans, _ in units[:4] for line in text[spans[0][0]:spans[-1][1]].splitlines()) \
        or any(SALUTATION_RE.match(text, spans[0][0]) for _, spans, _ in units[:5])


def _transcript_turns(text: str, units, reader: _Reader) -> Turns:
    """A transcript (two turns or more: 王立群（…书记）：…, or a 问/答 piece): whose turn it is."""
    interviewee = interviewee_of(text, [(kind, spans[0][0]) for kind, spans, _ in units], reader.introduced)
    return Turns(reader.turn, interviewee is not None or sum(
        kind == "text" and reader.turn(spans)[0] is not None for kind, spans, _ in units) >= 2, interviewee)


def _finished(text: str, passages: list[Passage], reader: _Reader) -> list[Passage]:
    """Quotations named by the next paragraph, who is quoted, places completed, introductions."""
    passages = named_after(text, passages)  # (“…”⏎说这番话的，是驻村第一书记何静。)
    reader.quoted |= {p.speaker.name for p in passages if p.kind == "speaker"}
    passages = complete_places(text, mark_quoted(passages + listed_only(passages, reader.people), reader.quoted))
    return introduced(text, passages)


# The code that turns articles into passages and chunks: an index built by other code is stale
# even when the corpus is the same (`rag index build --if-stale` after an upgrade rebuilds it).
PARSER_MODULES = ("ingest.py", "passages.py", "finishing.py", "placing.py", "quotes.py", "paragraphs.py", "attribution.py", "sections.py",
                  "turns.py", "chunk.py", "webpage.py", "records.py", "lexicon.py", "introductions.py", "mention_grammar.py",
                  "cutting.py", "bm25.py")


def parser_fingerprint() -> str:
    digest = hashlib.sha256()
    for name in PARSER_MODULES:
        digest.update((Path(__file__).parent / name).read_bytes())
    return digest.hexdigest()


def read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"{path}: cannot read ({exc.strerror})") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError(f"{path}: not UTF-8 text (bad byte at offset {exc.start}); save it as UTF-8") from exc
    if "\0" in text:
        raise IngestError(f"{path}: binary file, not an article")
    return text


def corpus_files(paths: list[Path]) -> list[Path]:
    """Expand files and folders into the articles they name (.txt/.md/.html), in a stable order."""
    files: list[Path] = []
    for path in paths:
        if not path.exists():
            raise IngestError(f"{path}: no such file or folder")
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix.lower() in ARTICLE_SUFFIXES and p.is_file())
            if not found:
                raise IngestError(f"{path}: folder holds no .txt, .md or .html articles")
            files.extend(found)
        else:
            files.append(path)
    return files


def load_article(path: Path) -> Article:
    text = read_text(path)
    headline = date = ""
    if path.suffix.lower() in (".html", ".htm"):
        from rag.webpage import extract

        page = extract(text, str(path))
        text, headline, date = page.text, page.title, page.date
    if not text.strip():
        raise IngestError(f"{path}: file is empty")
    article = parse_article(text, doc_id=path.stem, path=str(path), headline=headline)
    if date and not article.date:
        article = Article(article.doc_id, article.path, article.text, article.passages, article.headline, date)
    if not any(article.piece(p.spans).strip() for p in article.passages):
        raise IngestError(f"{path}: no text to index")
    if not any(p.kind == "speaker" for p in article.passages):
        log.warning("%s: no quoted speaker found; indexed as plain passages, cited by headline", path)
    return article


def load_corpus(paths: list[Path]) -> list[Article]:
    files = corpus_files(paths)
    articles = [load_article(p) for p in files]
    ids = [a.doc_id for a in articles]
    duplicated = sorted({d for d in ids if ids.count(d) > 1})
    if duplicated:
        raise IngestError(f"two articles share the file name {duplicated[0]!r}; rename one")
    return articles
