"""Validate a gold JSONL file against the annotation guideline's shape and the article texts.

Checks, per line: valid JSON; required keys and types; published = front-matter date (UTC part);
ISO dates with start <= end (end null iff start null); event type/status from the guideline;
ISO-2-looking country codes; event persons listed in persons; diplomatic iff events; every event's
evidence is a substring of the article text after stripping HTML tags, unescaping entities and
collapsing whitespace; no file annotated twice.

Usage: python3 tests/data/gold/check_gold.py [GOLD_JSONL] [CORPUS_DIR]
"""
from __future__ import annotations

import datetime as dt
import email.utils
import html
import json
import re
import sys
from pathlib import Path

TOP_KEYS = {"file", "published", "diplomatic", "persons", "countries", "organizations", "events"}
PERSON_KEYS = {"zh", "en", "country", "role"}
EVENT_KEYS = {"type", "countries", "orgs", "persons", "start", "end", "place", "status", "evidence"}
TYPES = {"MEET", "VISIT", "CALL", "MULTILATERAL"}
STATUSES = {"occurred", "planned", "cancelled"}
ISO2 = re.compile(r"^[A-Z]{2}$")


def plain_text(raw: str) -> str:
    """Article text as an annotator reads it: tags removed, entities decoded, spaces collapsed.

    Image alt/title attributes are kept (appended) because the guideline asks annotators to read
    captions and alt text, so evidence may be copied from them.
    Tags are removed twice, once replaced by a space (block boundaries) and once by nothing
    (inline tags such as <b> inside a sentence); evidence may match either reading.
    """
    attrs = re.findall(r'\b(?:alt|title)\s*=\s*"([^"]*)"', raw)
    spaced = re.sub(r"<[^>]*>", " ", raw)
    joined = re.sub(r"<[^>]*>", "", raw)
    return re.sub(r"\s+", " ", html.unescape("\n".join([spaced, joined, *attrs])))


def front_matter_date(raw: str) -> str | None:
    """UTC date part of the front-matter `date:` field (ISO or RFC 1123), None if absent."""
    match = re.search(r'^date:\s*["\']?([^"\'\n]+)', raw, re.M)
    if not match:
        return None
    value = match.group(1).strip()
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(dt.timezone.utc)
    return parsed.date().isoformat()


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def find_article(corpus: Path, name: str) -> Path | None:
    hits = [p for p in corpus.rglob(name) if p.is_file()]
    return hits[0] if hits else None


def parse_date(value: object, where: str, errors: list[str]) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        errors.append(f"{where}: date {value!r} is not YYYY-MM-DD")
        return None


def check_object(obj: dict, corpus: Path) -> list[str]:
    errors: list[str] = []
    name = obj.get("file", "?")
    missing = TOP_KEYS - obj.keys()
    if missing:
        return [f"{name}: missing keys {sorted(missing)}"]
    parse_date(obj["published"], f"{name} published", errors)
    article = find_article(corpus, name)
    if article is None:
        return errors + [f"{name}: article not found under {corpus}"]
    raw = article.read_text(encoding="utf-8")
    text = plain_text(raw)
    fm_date = front_matter_date(raw)
    if fm_date and fm_date != obj["published"]:
        errors.append(f"{name}: published {obj['published']} but front matter says {fm_date}")
    for p in obj["persons"]:
        if set(p) != PERSON_KEYS:
            errors.append(f"{name}: person {p} keys {sorted(p)}")
        elif not ISO2.match(str(p["country"])):
            errors.append(f"{name}: person {p['en']} country {p['country']!r}")
    for c in obj["countries"]:
        if not ISO2.match(c):
            errors.append(f"{name}: country {c!r}")
    if len(set(obj["countries"])) != len(obj["countries"]):
        errors.append(f"{name}: duplicate countries")
    for o in obj["organizations"]:
        if set(o) != {"zh", "en"}:
            errors.append(f"{name}: organization {o} keys")
    if obj["diplomatic"] != bool(obj["events"]):
        errors.append(f"{name}: diplomatic={obj['diplomatic']} but {len(obj['events'])} events")
    person_names = {p["en"] for p in obj["persons"]}
    for i, ev in enumerate(obj["events"]):
        where = f"{name} event {i}"
        if set(ev) != EVENT_KEYS:
            errors.append(f"{where}: keys {sorted(ev)}")
            continue
        if ev["type"] not in TYPES:
            errors.append(f"{where}: type {ev['type']!r}")
        if ev["status"] not in STATUSES:
            errors.append(f"{where}: status {ev['status']!r}")
        start = parse_date(ev["start"], where, errors)
        end = parse_date(ev["end"], where, errors)
        if (start is None) != (end is None):
            errors.append(f"{where}: start/end must both be null or both set")
        elif start and end and start > end:
            errors.append(f"{where}: start {start} after end {end}")
        for c in ev["countries"]:
            if not ISO2.match(c):
                errors.append(f"{where}: country {c!r}")
        for person in ev["persons"]:
            if person not in person_names:
                errors.append(f"{where}: person {person!r} not in persons list")
        if not ev["evidence"] or norm(ev["evidence"]) not in text:
            errors.append(f"{where}: evidence not found verbatim: {ev['evidence'][:40]!r}")
    return errors


def main(argv: list[str]) -> int:
    gold = Path(argv[1]) if len(argv) > 1 else Path(__file__).with_name("dev_extra_zh.jsonl")
    corpus = Path(argv[2]) if len(argv) > 2 else Path("/work/shared/corpus")
    errors: list[str] = []
    seen: set[str] = set()
    count = 0
    for n, line in enumerate(gold.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(f"{gold}:{n}: not JSON ({exc})")
            continue
        count += 1
        if obj.get("file") in seen:
            errors.append(f"{gold}:{n}: {obj.get('file')} annotated twice")
        seen.add(obj.get("file"))
        errors.extend(f"{gold}:{n}: {e}" for e in check_object(obj, corpus))
    for e in errors:
        print(e)
    print(f"{count} objects, {len(errors)} problems")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
