"""Parser accuracy against an expected-records file: speakers found, fields right, exact quote spans.
Used by tests/test_parse_styles.py and printed by ``python tests/parse_report.py`` for the note."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from rag.ingest import load_article

TRAIL = "。！？!?，,”’\"' \n"
FIELDS = ("title", "district", "street", "community", "organisation")


def spans_of(article, name: str) -> list[str]:
    return [article.text[a:b] for p in article.passages if p.kind == "speaker" and p.speaker.name == name
            for a, b in p.spans]


def field_value(person, field: str):
    if field == "organisation":
        return person.affiliation
    return getattr(person, field)


def organisation_matches(person, expected) -> bool:
    if expected is None:
        return person.affiliation is None
    return bool(person.affiliation) and person.affiliation in expected and expected in person.label


def report(article_path: Path, expected_path: Path) -> dict:
    article = load_article(article_path)
    expected = json.loads(expected_path.read_text("utf-8"))
    people = {p.name: p for p in article.people}
    found = fields_right = fields_total = quotes_exact = quotes_total = 0
    problems = []
    for e in expected["speakers"]:
        person = people.get(e["name"])
        quoted = e["kind"] == "speaker"
        if person is None or person.quoted != quoted:
            problems.append(f"{e['name']}: {'missing' if person is None else 'quoted' if person.quoted else 'not quoted'}")
            fields_total += len(FIELDS)
            quotes_total += len(e["quote_starts"]) + len(e["quote_ends"])
            continue
        found += 1
        for field in FIELDS:
            fields_total += 1
            ok = (organisation_matches(person, e.get(field)) if field == "organisation"
                  else field_value(person, field) == e.get(field)
                  # a body named after its district (德阳市民政局): the district may be read either way
                  or (field == "district" and e.get(field) is None and person.affiliation
                      and (e.get("organisation") or "").startswith(person.district or "-")))
            fields_right += ok
            if not ok:
                problems.append(f"{e['name']}.{field}: {field_value(person, field)!r} != {e.get(field)!r}")
        texts = [t.strip().lstrip("“") for t in spans_of(article, e["name"])]
        for start in e["quote_starts"]:
            quotes_total += 1
            ok = any(t.startswith(start.strip(TRAIL)) for t in texts)
            quotes_exact += ok
            if not ok:
                problems.append(f"{e['name']}: no quote starts {start!r}")
        for end in e["quote_ends"]:
            quotes_total += 1
            ok = any(t.rstrip(TRAIL).endswith(end.rstrip(TRAIL)) for t in texts)
            quotes_exact += ok
            if not ok:
                problems.append(f"{e['name']}: no quote ends {end!r}")
    return {"article": article_path.name, "speakers_found": found, "speakers_expected": len(expected["speakers"]),
            "fields_right": fields_right, "fields_total": fields_total, "quote_ends_exact": quotes_exact,
            "quote_ends_total": quotes_total, "headline": article.headline == expected.get("headline", article.headline),
            "date": article.date == (expected.get("event_date") or article.date), "problems": problems}


if __name__ == "__main__":
    data = Path(__file__).parent / "data"
    for stem in sys.argv[1:] or ["style_reported_speech", "style_quote_first", "style_feature_expert", "style_web_page"]:
        source = next(p for p in data.glob(stem + ".*") if not p.name.endswith("_expected.json"))
        r = report(source, data / f"{stem}_expected.json")
        print(json.dumps(r, ensure_ascii=False, indent=1))
