"""Read article files of any format into :class:`kg.records.Article` records.

The format is sniffed from the content, never from the file name: the corpus holds Hexo posts
named ``.txt``, Jekyll posts, 眾新聞 Markdown, and files may come with any extension or none.
Everything that makes a file unreadable is a :class:`kg.errors.ReaderError` naming the file and
saying what to do, so a batch run can report it and go on.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from functools import cache
from itertools import islice, repeat
from pathlib import Path
from typing import Any

import yaml

from kg.errors import ReaderError
from kg.limits import DEFAULT_LIMITS, size
from kg.readers.html_text import CleanupRules, html_to_paragraphs, markdown_to_html, squeeze
from kg.records import Article
from kg.schema import load_yaml, schema_dir

FORMATS = ("hexo", "jekyll", "hkcnews", "markdown", "html", "text")
FILES_PER_TASK = 32  # files a reading process takes at a time (amortises the round trip)

# File names and extensions that are never articles: corpus indexes, READMEs, data dumps, images.
NON_ARTICLE_NAMES = frozenset({"readme.md", "index.csv"})
NON_ARTICLE_SUFFIXES = frozenset({
    ".csv", ".json", ".jsonl", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".ico", ".pdf",
    ".gz", ".zip", ".tar", ".enc", ".pyc",
})

_FENCE = "---"
_FRONT_MATTER_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:")
_RFC1123 = re.compile(r"^(?:[A-Z][a-z]{2},\s*)?\d{1,2}\s+[A-Z][a-z]{2}\s+\d{4}\b")
_JEKYLL_HEAD = re.compile(r"\A\s*<!--\s*\d+\s*-->[ \t]*\n(?:\s*\[.*\]\(.*\)[ \t]*\n\s*-{3,}[ \t]*\n)?")
_EPOCH_COMMENT = re.compile(r"\A\s*<!--\s*\d+\s*-->")
_HTML_PAGE = re.compile(r"\A\s*(?:<!doctype html|<html\b|<head\b|<body\b)", re.IGNORECASE)
_HTML_TAG = re.compile(r"</?(?:p|div|br|span|a|img|figure|h[1-6]|li|ul|blockquote|table)\b",
                       re.IGNORECASE)
_HTML_TITLE = re.compile(r"<title[^>]*>(.*?)</title>|<h1[^>]*>(.*?)</h1>", re.IGNORECASE | re.DOTALL)
_ANY_TAG = re.compile(r"<[^>]*>")
_WAYBACK = re.compile(r"^https?://web\.archive\.org/web/[^/]+/(https?://.+)$")
_QUOTES = "\"'"
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")
_LATIN = re.compile(r"[A-Za-z]")
_GB_SAMPLE_BYTES = 4096
# Unicode's control characters (category Cc) but the whitespace ones: \t \n \v \f \r.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")

# Front matter keys holding the article's source URL, best first: 眾新聞's ``url`` is a Wayback
# copy of ``original_url``; Jekyll posts keep it in ``from``.
URL_FIELDS = ("original_url", "from", "link", "source_url", "url")
# Front matter keys naming the outlet in generic Markdown, best first.
SOURCE_FIELDS = ("source", "publisher", "author")


@dataclass(frozen=True, slots=True)
class _Document:
    """A decoded file split into its front matter (None when it has none) and body."""

    text: str
    meta: dict[str, Any] | None
    meta_keys: frozenset[str]
    body: str
    body_line: int  # 1-based line of the body's first line, for messages


# --- decoding ---------------------------------------------------------------------------------

def _decode(raw: bytes, where: str) -> str:
    """UTF-8 (with or without BOM) or a ReaderError that says what the bytes look like instead."""
    if not raw.strip():
        raise ReaderError(where, "empty file")
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise ReaderError(where, "UTF-16 text, not UTF-8; convert it with `iconv -f UTF-16 -t UTF-8`")
    if b"\x00" in raw:
        raise ReaderError(where, "binary file (contains NUL bytes), not an article text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReaderError(where, _not_utf8_problem(raw, exc)) from exc


def _not_utf8_problem(raw: bytes, exc: UnicodeDecodeError) -> str:
    """Name the likely encoding so the fix can be given; GB18030 is reported, never guessed.

    Decoding GBK silently would be unsafe: Big5 and Latin-1 bytes often decode as GB18030 too,
    so a wrong guess would turn an article into plausible-looking garbage.
    """
    sample = raw[:_GB_SAMPLE_BYTES]
    for codec, label, iconv in (("gb18030", "GBK/GB18030", "GBK"), ("big5", "Big5", "BIG5")):
        try:
            decoded = sample.decode(codec)
        except UnicodeDecodeError:
            continue
        if len(_CJK.findall(decoded)) >= 2:
            return (f"not UTF-8 (looks like {label}); convert it with "
                    f"`iconv -f {iconv} -t UTF-8 <file> > <file>.utf8`")
    return f"not UTF-8 (invalid byte 0x{raw[exc.start]:02x} at offset {exc.start}); save it as UTF-8"


def _looks_binary(text: str) -> bool:
    """Control characters other than whitespace mean a non-text file that happens to be UTF-8."""
    return len(_CONTROL.findall(text, 0, _GB_SAMPLE_BYTES)) > 8


# --- front matter -----------------------------------------------------------------------------

def _split(text: str, where: str) -> _Document:
    """Separate a leading ``---`` front matter block from the body."""
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    if start == len(lines) or lines[start].strip() != _FENCE:
        return _Document(text, None, frozenset(), text, 1)
    end = next((i for i in range(start + 1, len(lines)) if lines[i].strip() in (_FENCE, "...")), None)
    if end is None:
        raise ReaderError(where, f"front matter opened with '---' on line {start + 1} is never "
                                 "closed; add a '---' line after the last field")
    block = lines[start + 1:end]
    keys = frozenset(m.group(1) for line in block if (m := _FRONT_MATTER_KEY.match(line)))
    meta = _parse_front_matter("".join(block), start + 2, where)
    return _Document(text, meta, keys, "".join(lines[end + 1:]), end + 2)


def _parse_front_matter(block: str, first_line: int, where: str) -> dict[str, Any]:
    """YAML, or when YAML refuses odd quoting, an unambiguous line-based ``key: value`` reading."""
    try:
        data = yaml.load(block, Loader=_YAML_LOADER)  # noqa: S506 - a BaseLoader: strings only
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = first_line + mark.line if mark is not None else first_line
        problem = getattr(exc, "problem", None) or str(exc)
        try:
            return _parse_lines(block, first_line)
        except ValueError as ambiguity:
            text = block.splitlines()[line - first_line] if mark is not None else ""
            raise ReaderError(where, f"invalid YAML front matter at line {line} ({problem}): "
                                     f"{text.strip()!r}; a line-by-line reading fails too "
                                     f"({ambiguity})") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ReaderError(where, f"front matter at line {first_line} is not a list of 'key: value' fields")
    return data


_YAML_LOADER: type = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
_LINE_FIELD = re.compile(r"^([A-Za-z_][\w-]*):(?:[ \t]+(.*?))?[ \t]*$")
_LINE_ITEM = re.compile(r"^[ \t]*-[ \t]+(.*?)[ \t]*$")


def _parse_lines(block: str, first_line: int) -> dict[str, Any]:
    """Read ``key: value`` lines, ``- item`` lists and ``[a, b]`` flow lists; ValueError otherwise.

    Only used when YAML fails: a title like ``"""'Title'"""`` is not YAML but its meaning is plain.
    Anything this reading cannot place for sure (a repeated key, a continuation line) is an error
    naming the file line.
    """
    data: dict[str, Any] = {}
    open_list: str | None = None  # the key whose "- item" lines follow
    for number, line in enumerate(block.splitlines(), start=first_line):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        field = _LINE_FIELD.match(line)
        item = _LINE_ITEM.match(line)
        if field:
            key, value = field.group(1), field.group(2) or ""
            if key in data:
                raise ValueError(f"line {number}: field {key!r} is given twice")
            data[key] = _line_value(value)
            open_list = key if not value else None
        elif item and open_list is not None:
            data[open_list] = [*(data[open_list] or []), _strip_pair(item.group(1))]
        else:
            raise ValueError(f"line {number}: not a 'key: value' field")
    return data


def _line_value(value: str) -> str | list[str]:
    if value.startswith("[") and value.endswith("]"):
        return [_strip_pair(v.strip()) for v in value[1:-1].split(",") if v.strip()]
    return _strip_pair(value)


def _strip_pair(value: str) -> str:
    """Remove the one pair of quotes a YAML scalar would have had."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in _QUOTES:
        return value[1:-1]
    return value


def unquote(value: str) -> str:
    """Strip mirrored runs of quotes around a title: ``"""'Title'"""`` and ``'"T"'`` give the text.

    A run is stripped only when the inside holds no more of those quote marks, so a title that
    merely starts and ends with quoted words (``"A" and "B"``) is left alone.
    """
    match = re.fullmatch(r"([\"']+)(.*?)([\"']+)", value, flags=re.DOTALL)
    if not match:
        return value
    lead, inner, trail = match.groups()
    if lead != trail[::-1] or any(q in inner for q in set(lead)):
        return value
    return inner


# --- field values -----------------------------------------------------------------------------

def _text_field(meta: dict[str, Any], key: str, where: str) -> str | None:
    value = meta.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ReaderError(where, f"front matter field {key!r} should be text, not {type(value).__name__}")
    return value


def clean_title(value: str) -> str:
    """Title text without wrapping quotes, tags or entities, whitespace squeezed."""
    return squeeze(html.unescape(_ANY_TAG.sub("", unquote(value.strip()))))


def parse_date(value: str) -> datetime:
    """RFC 1123 (``Sun, 21 Mar 2021 11:31:01 GMT``) or ISO 8601 (``...Z``, date only) -> aware.

    A date without a time zone is taken as UTC, the zone the feeds write in.
    """
    value = unquote(value.strip())
    try:
        parsed = parsedate_to_datetime(value) if _RFC1123.match(value) else datetime.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"unrecognised date {value!r} (expected RFC 1123 or ISO 8601)") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _published(meta: dict[str, Any], where: str) -> datetime | None:
    value = _text_field(meta, "date", where)
    if value is None:
        return None
    try:
        return parse_date(value)
    except ValueError as exc:
        raise ReaderError(where, f"front matter field 'date': {exc}") from exc


def _source_url(meta: dict[str, Any], where: str) -> str | None:
    for key in URL_FIELDS:
        value = _text_field(meta, key, where)
        if value:
            wayback = _WAYBACK.match(value.strip())
            return wayback.group(1) if wayback else value.strip()
    return None


def detect_language(text: str) -> str:
    """``zh`` when CJK characters are at least a tenth of the letters, else ``en``.

    A tenth, not a half: Chinese articles quote many Latin names (``拉夫罗夫（Sergey Lavrov）``),
    and one CJK character carries about as much as a whole Latin word.
    """
    cjk = len(_CJK.findall(text))
    latin = len(_LATIN.findall(text))
    return "zh" if cjk and cjk * 10 >= cjk + latin else "en"


# --- sniffing ---------------------------------------------------------------------------------

def _sniff(doc: _Document) -> str:
    keys = doc.meta_keys
    if doc.meta is not None or keys:
        if ("layout" in keys and "from" in keys) or _EPOCH_COMMENT.match(doc.body):
            return "jekyll"
        if ("url" in keys or "original_url" in keys) and "category" in keys:
            return "hkcnews"
        date = (doc.meta or {}).get("date")
        if ("categories" in keys and isinstance(date, str) and _RFC1123.match(unquote(date.strip()))
                and doc.body.lstrip().lower().startswith("<div")):
            return "hexo"
        return "markdown"
    if _HTML_PAGE.match(doc.text) or len(_HTML_TAG.findall(doc.text[:_GB_SAMPLE_BYTES])) >= 3:
        return "html"
    return "text"


def _load(raw: bytes, where: str) -> _Document:
    text = _decode(raw, where)
    if _looks_binary(text):
        raise ReaderError(where, "binary file (control characters), not an article text")
    return _split(text, where)


def sniff_format(raw: bytes, path: str | Path) -> str:
    """The format of an article file, judged by its content (``path`` only names it in errors).

    One of :data:`FORMATS`: ``hexo`` (RSS-to-Hexo: RFC 1123 date, categories, HTML body in a
    ``<div>``), ``jekyll`` (``layout`` + ``from``, body opening with ``<!--epoch-ms-->``),
    ``hkcnews`` (``url``/``original_url`` + ``category``), ``markdown`` (any other front matter),
    ``html`` (a bare page) or ``text``. Raises ReaderError when the bytes are not readable text.
    """
    return _sniff(_load(raw, str(path)))


# --- bodies -----------------------------------------------------------------------------------

@cache
def cleanup_rules() -> tuple[CleanupRules, dict[str, Any]]:
    """The cleanup rules and per-format settings of schema/readers.yaml (read once; feeds use them too)."""
    data = load_yaml("readers.yaml")
    where = str(schema_dir() / "readers.yaml")
    return CleanupRules.from_mapping(data.get("cleanup") or {}, where), data.get("formats") or {}


def _jekyll_body(body: str, rules: CleanupRules) -> list[str]:
    """Drop the ``<!--epoch-->`` marker and the ``[title](url)`` + ``------`` heading first."""
    return html_to_paragraphs(_JEKYLL_HEAD.sub("", body, count=1), rules)


def _markdown_body(body: str, rules: CleanupRules) -> list[str]:
    return html_to_paragraphs(markdown_to_html(body), rules)


BODY_READERS: dict[str, Callable[[str, CleanupRules], list[str]]] = {
    "hexo": html_to_paragraphs,
    "jekyll": _jekyll_body,
    "hkcnews": _markdown_body,
    "markdown": _markdown_body,
    "html": html_to_paragraphs,
}


def _title_and_paragraphs(fmt: str, doc: _Document, where: str) -> tuple[str | None, list[str]]:
    rules, _ = cleanup_rules()
    if fmt == "text":
        lines = [squeeze(line) for line in doc.body.splitlines()]
        lines = [line for line in lines if line]
        return (lines[0] if lines else None), lines[1:]
    paragraphs = BODY_READERS[fmt](doc.body, rules)
    if fmt == "html":
        found = _HTML_TITLE.search(doc.body)
        title = next((g for g in found.groups() if g), None) if found else None
        return (clean_title(title) if title else None), paragraphs
    raw_title = _text_field(doc.meta or {}, "title", where)
    title = clean_title(raw_title) if raw_title else None
    if paragraphs and title and paragraphs[0] == title:  # the body repeats the title as a heading
        paragraphs = paragraphs[1:]
    return title, paragraphs


def _source(fmt: str, meta: dict[str, Any], where: str) -> str | None:
    _, formats = cleanup_rules()
    fixed = (formats.get(fmt) or {}).get("source")
    if fixed:
        return str(fixed)
    fields = ("author",) if fmt in ("hexo", "jekyll") else SOURCE_FIELDS
    value = next((v for key in fields if (v := _text_field(meta, key, where))), None)
    return squeeze(unquote(value)) if value else None


def stable_id(url: str | None, path: Path) -> str:
    """16 hex digits of SHA-1 of the source URL, else of the file name (not its content).

    The URL identifies the article wherever it is stored; the file name is the fallback that
    still survives edits of the text, so a corrected article keeps its id.
    """
    return hashlib.sha1((url or path.name).encode("utf-8")).hexdigest()[:16]


def article_from_bytes(raw: bytes, path: Path) -> Article:
    """Build the Article of one file's bytes; ReaderError when they are not a readable article."""
    where = str(path)
    doc = _load(raw, where)
    fmt = _sniff(doc)
    meta = doc.meta or {}
    title, paragraphs = _title_and_paragraphs(fmt, doc, where)
    if not title and not paragraphs:
        raise ReaderError(where, f"no title and no body text found (read as {fmt})")
    text = "\n".join(paragraphs)
    url = _source_url(meta, where)
    return Article(
        id=stable_id(url, path),
        path=where,
        title=title or "",
        published=_published(meta, where),
        source=_source(fmt, meta, where),
        url=url,
        language=detect_language(f"{title or ''}\n{text}"),
        text=text,
        format=fmt,
        content_hash=hashlib.sha256(raw).hexdigest(),
    )


def read_article(path: str | Path, max_bytes: int = DEFAULT_LIMITS.article_bytes) -> Article:
    """Read one article file of any supported format (see :func:`sniff_format`).

    A file above ``max_bytes`` is refused without being read whole (at most one byte more is
    read: a size reported by ``stat`` can be wrong or grow while the file is read), and so is
    anything but a regular file (a FIFO would block the run, a device never end)."""
    path = Path(path)
    too_big = ReaderError(str(path), f"file larger than the limit of {size(max_bytes)} per article "
                                     "(limits.article_bytes in kg.yaml); not read")
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise ReaderError(str(path), "not a regular file (a device, FIFO or socket); skipped")
        if info.st_size > max_bytes:
            raise too_big
        with path.open("rb") as fh:
            raw = fh.read(max_bytes + 1)
    except OSError as exc:
        raise ReaderError(str(path), f"cannot read file ({exc.strerror or exc})") from exc
    if len(raw) > max_bytes:
        raise too_big
    return article_from_bytes(raw, path)


# --- many files -------------------------------------------------------------------------------

def _is_candidate(path: Path) -> bool:
    name = path.name.lower()
    return (not name.startswith(".") and name not in NON_ARTICLE_NAMES
            and path.suffix.lower() not in NON_ARTICLE_SUFFIXES)


def inside(path: Path, folder: Path) -> bool:
    """Whether ``path``, its symbolic links followed, lies in ``folder`` (also resolved)."""
    try:
        return path.resolve(strict=True).is_relative_to(folder.resolve(strict=True))
    except (OSError, RuntimeError):  # a dangling link or a loop
        return False


def _folder_entries(paths: Iterable[str | Path]) -> Iterator[Path | ReaderError]:
    """The article files under ``paths`` (see :func:`iter_article_paths`), and a ReaderError for
    each symbolic link in a folder that leads outside it: a link to /etc/passwd dropped into a
    watched folder must not make its target an article (links given on the command line, and
    links inside the folder, are followed: the user chose them)."""
    for given in paths:
        path = Path(given)
        if not path.is_dir():
            yield path
            continue
        for child in sorted(path.rglob("*")):
            relative = child.relative_to(path).parts
            if any(part.startswith(".") for part in relative):
                continue
            if child.is_symlink() and not inside(child, path):
                yield ReaderError(str(child), f"symbolic link to {os.readlink(child)}, outside {path}; not followed")
            elif child.is_file() and _is_candidate(child):
                yield child


def iter_article_paths(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Article files under ``paths``: files given directly, folders walked recursively.

    A file named directly is always yielded (the caller asked for it). Inside folders, files are
    visited in sorted order and hidden files and folders are skipped, as are files that are
    clearly not articles: ``README.md``, ``INDEX.csv`` and data or image files by extension
    (``.csv``, ``.json``, ``.jsonl``, ``.png``, ``.jpg``...), and symbolic links leading out of the
    folder (``read_articles`` reports those). Anything else is tried as an article, whatever its
    extension, because the formats are sniffed from the content.
    """
    return (p for p in _folder_entries(paths) if isinstance(p, Path))


def read_articles(paths: Iterable[str | Path], max_bytes: int = DEFAULT_LIMITS.article_bytes,
                  workers: int = 1) -> Iterator[Article | ReaderError]:
    """An Article per readable file, the ReaderError for each unreadable one, in the order of the
    files; never stops early. With ``workers`` > 1 the files are read in that many processes:
    ``kg update`` reads every file of its folders before it extracts any (to know which are new and
    in what order to load them), and removing the markup is most of a file's reading."""
    entries = _folder_entries(paths)
    if workers <= 1:
        yield from _read_entries(entries, max_bytes)
        return
    chunks = iter(lambda: list(islice(entries, FILES_PER_TASK)), [])
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for read in pool.map(_read_entries_in_worker, chunks, repeat(max_bytes)):
            yield from read


def _read_entries(entries: Iterable[Path | ReaderError], max_bytes: int) -> Iterator[Article | ReaderError]:
    for path in entries:
        if isinstance(path, ReaderError):
            yield path
            continue
        try:
            yield read_article(path, max_bytes)
        except ReaderError as exc:
            yield exc


def _read_entries_in_worker(entries: list[Path | ReaderError], max_bytes: int) -> list[Article | ReaderError]:
    return list(_read_entries(entries, max_bytes))
