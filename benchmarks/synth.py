"""A synthetic corpus of any size, built at run time from the real one (nothing of it is committed).

Why synthetic: the development corpus has 621 articles, and the questions of issue 7 (does kg stay
fast and small at 100k articles, years of archive?) need a corpus of that size whose text looks like
what kg will meet. So every synthetic article is real sentences, recombined:

* A *template* article is drawn from the real corpus; each of its sentences is kept or replaced by
  a sentence of another real article of the same language and kind, paragraph structure kept.
* The kind (diplomatic or not) is measured, not assumed: a real article is *quiet* when
  ``extract_article`` finds no event in it, and templates are drawn so that the synthetic corpus
  has the same share of quiet articles (:attr:`CorpusProfile.quiet_share`).
* People, countries and places named in the sentences are swapped for other gazetteer entries of
  the same type (consistently within an article), so the graph gets the breadth of many actors.
* Publication dates are spread uniformly over :data:`YEARS`; the explicit dates in a sentence
  (``2020年9月11日``, ``3月19日``) move with it by the same number of days, so "将于3月22日访华"
  stays a future visit; relative dates (昨天, 本周五) follow the new publication date by themselves.
* Files are written as the corpus writes them - Jekyll posts and RSS-to-Hexo Markdown - so the
  benchmarks read, sniff and parse them like real files.

Article ``i`` of seed ``s`` depends on nothing but (s, i) and the real corpus: the corpus is
deterministic, streams (nothing but the real corpus's sentences is held in memory) and any slice of
it can be regenerated.

Example::

    python benchmarks/synth.py benchmarks/out/corpus-10k --size 10000 --seed 7
"""

from __future__ import annotations

import argparse
import html
import random
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kg.errors import ReaderError
from kg.extract.gazetteer import Gazetteer, is_latin
from kg.extract.pipeline import Tables, extract_article
from kg.readers import read_articles
from kg.readers.text import split_sentences, to_simplified
from kg.records import Article

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"
YEARS = (2015, 2024)  # publication dates fall in these years, inclusive
KEEP_SHARE = 0.5  # share of a template's sentences kept; the rest come from other articles
SWAP_TYPES = ("Person", "Country", "Place")
FILES_PER_FOLDER = 1000
# Explicit Chinese dates with Arabic numerals, with or without the year (the year defaults to the
# publication year, as the extractor reads them).
_ZH_DATE = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日")


@dataclass(frozen=True, slots=True)
class Sentence:
    """A real sentence and the publication day of the article it comes from (dates move with it)."""

    text: str
    published: date | None


@dataclass(frozen=True, slots=True)
class Template:
    """A real article reduced to what a synthetic one copies: language, kind, title, paragraphs."""

    language: str
    quiet: bool
    title: Sentence
    paragraphs: tuple[tuple[Sentence, ...], ...]
    jekyll: bool


@dataclass(frozen=True)
class CorpusProfile:
    """What the generator draws from: templates, sentence pools per (language, quiet) and
    replacement names per (language, type)."""

    templates: tuple[Template, ...]
    pools: dict[tuple[str, bool], tuple[Sentence, ...]]
    names: dict[tuple[str, str], tuple[tuple[str, ...], ...]]  # (language, type) -> aliases per entry
    gazetteer: Gazetteer
    quiet_share: float

    def templates_of(self, quiet: bool) -> tuple[Template, ...]:
        return tuple(t for t in self.templates if t.quiet == quiet)


@dataclass(frozen=True, slots=True)
class SynthFile:
    """One synthetic article file: its path relative to the output folder and its content."""

    name: str
    content: str


def _day(article: Article) -> date | None:
    return article.published.astimezone(UTC).date() if article.published else None


def _template(article: Article, quiet: bool, abbreviations: frozenset[str]) -> Template:
    published = _day(article)
    paragraphs = []
    for paragraph in article.text.split("\n"):
        sentences = tuple(Sentence(paragraph[b:e], published) for b, e in split_sentences(paragraph, abbreviations))
        if sentences:
            paragraphs.append(sentences)
    return Template(language=article.language, quiet=quiet, title=Sentence(article.title, published),
                    paragraphs=tuple(paragraphs), jekyll=article.format != "hexo")


def _names(gazetteer: Gazetteer) -> dict[tuple[str, str], tuple[tuple[str, ...], ...]]:
    """Replacement aliases per language and type; an entry without an alias in a script is left out.
    Chinese aliases are the simplified ones (the scan matches simplified text)."""
    out: dict[tuple[str, str], list[tuple[str, ...]]] = {}
    for entry in gazetteer.entries.values():
        if entry.type not in SWAP_TYPES:
            continue
        forms = (entry.name, *entry.aliases)
        for language, pick in (("en", [f for f in forms if is_latin(f)]),
                               ("zh", [f for f in forms if not is_latin(f) and to_simplified(f) == f])):
            if pick:
                out.setdefault((language, entry.type), []).append(tuple(dict.fromkeys(pick)))
    return {k: tuple(v) for k, v in out.items()}


def profile_corpus(paths: Iterable[str | Path], tables: Tables | None = None) -> CorpusProfile:
    """Read and extract the real corpus once: templates, sentence pools and the quiet share."""
    tables = tables or Tables.load()
    templates = []
    for article in read_articles(paths):
        if isinstance(article, ReaderError):
            continue
        quiet = not extract_article(article, tables).events
        templates.append(_template(article, quiet, tables.sentence_abbreviations))
    if not templates:
        raise ReaderError(", ".join(map(str, paths)), "no readable article to build a synthetic corpus from")
    pools: dict[tuple[str, bool], list[Sentence]] = {}
    for t in templates:
        pools.setdefault((t.language, t.quiet), []).extend(s for p in t.paragraphs for s in p)
    quiet_share = sum(t.quiet for t in templates) / len(templates)
    return CorpusProfile(templates=tuple(templates), pools={k: tuple(v) for k, v in pools.items()},
                         names=_names(tables.gazetteer), gazetteer=tables.gazetteer, quiet_share=quiet_share)


def shift_dates(text: str, days: int, published: date | None) -> str:
    """Move every explicit ``[YYYY年]M月D日`` date by ``days``; a date without a year keeps none
    (it is read against the new publication year). Impossible dates (2月30日) stay as written."""
    if days == 0 or published is None:
        return text

    def move(match: re.Match[str]) -> str:
        year, month, day = match.group(1), int(match.group(2)), int(match.group(3))
        try:
            moved = date(int(year) if year else published.year, month, day) + timedelta(days=days)
        except ValueError:
            return match.group(0)
        return (f"{moved.year}年" if year else "") + f"{moved.month}月{moved.day}日"

    return _ZH_DATE.sub(move, text)


class _Swapper:
    """Consistent name swaps within one article: an entity is replaced by the same other entity
    every time it is named."""

    def __init__(self, profile: CorpusProfile, language: str, rng: random.Random) -> None:
        self.profile, self.language, self.rng = profile, language, rng
        self.chosen: dict[str, str] = {}

    def _replacement(self, entry_id: str, entry_type: str) -> str | None:
        if entry_id not in self.chosen:
            candidates = self.profile.names.get((self.language, entry_type))
            if not candidates:
                return None
            self.chosen[entry_id] = self.rng.choice(self.rng.choice(candidates))
        return self.chosen[entry_id]

    def __call__(self, text: str) -> str:
        simplified = to_simplified(text)
        pieces, last = [], 0
        for match in self.profile.gazetteer.scan(simplified):
            if len(match.entry_ids) != 1 or len(match.key) < 2:
                continue  # blockers, ambiguous keys and one-character forms (美, 中) stay
            entry = self.profile.gazetteer.entries[match.entry_ids[0]]
            new = self._replacement(entry.id, entry.type) if entry.type in SWAP_TYPES else None
            if new is not None:
                pieces += [simplified[last:match.begin], new]
                last = match.end
        return "".join(pieces) + simplified[last:]


ARCHIVE = (date(YEARS[0], 1, 1), date(YEARS[1], 12, 31))  # the default publication days, inclusive


def _published_at(rng: random.Random, days: tuple[date, date]) -> datetime:
    first = datetime.combine(days[0], datetime.min.time(), tzinfo=UTC)
    span = datetime.combine(days[1] + timedelta(days=1), datetime.min.time(), tzinfo=UTC) - first
    return first + timedelta(seconds=rng.randrange(int(span.total_seconds())))


def synth_article(profile: CorpusProfile, seed: int, index: int, days: tuple[date, date] = ARCHIVE) -> SynthFile:
    """Synthetic article ``index`` of corpus ``seed`` (a pure function of both, the profile and the
    publication ``days``, first and last inclusive: a daily update's articles fall in the few days
    after the archive's last, an archive's over years)."""
    rng = random.Random(f"{seed}:{index}")
    quiet = rng.random() < profile.quiet_share
    template = rng.choice(profile.templates_of(quiet) or profile.templates)
    pool = profile.pools[(template.language, template.quiet)]
    published = _published_at(rng, days)
    swap = _Swapper(profile, template.language, rng)

    def render(s: Sentence) -> str:
        days = (published.date() - s.published).days if s.published else 0
        return swap(shift_dates(s.text, days, s.published))

    joiner = " " if template.language == "en" else ""
    paragraphs = [joiner.join(render(s if rng.random() < KEEP_SHARE else rng.choice(pool)) for s in p)
                  for p in template.paragraphs]
    title = render(template.title).replace("\n", " ").strip() or paragraphs[0][:30]
    url = f"https://synthetic.invalid/{seed}/{index}"
    writer = _jekyll if template.jekyll else _hexo
    folder = f"{index // FILES_PER_FOLDER:04d}"
    suffix = "md" if template.jekyll else "txt"  # the reference article's odd .txt, sniffed anyway
    return SynthFile(f"{folder}/syn-{seed}-{index:07d}.{suffix}", writer(title, published, url, paragraphs))


def _yaml_quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _html_body(paragraphs: list[str]) -> str:
    return "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)


def _jekyll(title: str, published: datetime, url: str, paragraphs: list[str]) -> str:
    stamp = int(published.timestamp() * 1000)
    return (f"---\nlayout: post\ntitle: {_yaml_quoted(title)}\n"
            f"date: {published.strftime('%Y-%m-%dT%H:%M:%S.000Z')}\nauthor: Synthetic\nfrom: {url}\n"
            f"tags: [ Synthetic ]\ncategories: [ Synthetic ]\n---\n<!--{stamp}-->\n"
            f"[{title}]({url})\n------\n\n<div>{_html_body(paragraphs)}</div>\n")


def _hexo(title: str, published: datetime, url: str, paragraphs: list[str]) -> str:
    return (f"---\ntitle: {_yaml_quoted(title)}\ncategories: \n    - 传统媒体\n    - Synthetic\n"
            f"author: Synthetic\ncomments: false\ndate: {published.strftime('%a, %d %b %Y %H:%M:%S GMT')}\n"
            f"link: {url}\n---\n\n<div>{_html_body(paragraphs)}</div>\n")


def write_corpus(profile: CorpusProfile, out_dir: str | Path, size: int, seed: int, start: int = 0,
                 days: tuple[date, date] = ARCHIVE) -> Iterator[Path]:
    """Write articles ``start`` .. ``start + size - 1`` under ``out_dir``, yielding each path as it
    is written (one article in memory at a time)."""
    out = Path(out_dir)
    for index in range(start, start + size):
        item = synth_article(profile, seed, index, days)
        path = out / item.name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(item.content, encoding="utf-8")
        yield path


def _day_range(text: str) -> tuple[date, date]:
    first, _, last = text.partition("..")
    days = (date.fromisoformat(first), date.fromisoformat(last or first))
    if days[1] < days[0]:
        raise argparse.ArgumentTypeError(f"{text}: the last day is before the first")
    return days


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Write a synthetic corpus built from the real one.")
    parser.add_argument("out", type=Path, help="folder to write into (benchmarks/out/ is git-ignored)")
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--start", type=int, default=0, help="index of the first article (to extend a corpus)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--published", type=_day_range, default=ARCHIVE, metavar="FIRST..LAST",
                        help="publication days, inclusive (default %s..%s; a daily update: "
                             "2025-01-01..2025-01-03)" % ARCHIVE)
    args = parser.parse_args(argv)
    profile = profile_corpus([args.corpus])
    count = sum(1 for _ in write_corpus(profile, args.out, args.size, args.seed, args.start, args.published))
    print(f"wrote {count} articles to {args.out} (quiet share {profile.quiet_share:.3f})")


if __name__ == "__main__":
    main()
