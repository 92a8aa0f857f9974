"""Read RSS and Atom feeds into :class:`kg.records.Article` records.

Fetching (:func:`fetch_feed`, the only part that touches the network) is kept apart from parsing
(:func:`parse_feed`, pure), so the parsing rules are unit-tested on bytes. feedparser does the
parsing; this module decides what counts as a broken feed:

* no answer within the timeout, an HTTP error status, or a refused connection;
* bytes that are not a feed at all, or XML too malformed for feedparser to recover any item;
* bytes that are not valid in the encoding the XML declaration names (a GBK feed declared as
  UTF-8): feedparser would fall back to windows-1252 and return plausible-looking garbage.

A GBK (or any other) feed that declares its encoding correctly is read like a UTF-8 one. The HTTP
``Content-Type`` charset is deliberately not passed on: servers often send ``text/xml`` without a
charset, which RFC 3023 reads as US-ASCII and which would make every non-ASCII feed look wrong;
the XML declaration is what feed writers actually get right.
"""

from __future__ import annotations

import calendar
import hashlib
import http.client
import json
import socket
import ssl
import threading
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import feedparser

from kg import __version__
from kg.errors import ReaderError
from kg.limits import DEFAULT_LIMITS, size
from kg.readers.files import cleanup_rules, clean_title, detect_language, stable_id
from kg.readers.html_text import html_to_paragraphs, squeeze
from kg.records import Article

DEFAULT_TIMEOUT = 30.0
USER_AGENT = f"kg/{__version__} (+feed reader)"
# Content types of an entry's full text, best first (Atom <content type="xhtml|html|text">).
_HTML_TYPES = ("application/xhtml+xml", "text/html")


class _Deadline:
    """The end of one fetch, whatever the server does: every socket the fetch opens is shut down
    when it passes. A per-operation socket timeout alone lets a server that sends a byte of its
    headers or body every few seconds hold the fetch for ever."""

    def __init__(self, seconds: float) -> None:
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def track(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)

    def opener(self) -> urllib.request.OpenerDirector:
        """http(s) only (a redirect to ftp:// or file:// is refused), every connection tracked."""
        deadline = self

        class Http(http.client.HTTPConnection):
            def connect(self) -> None:
                super().connect()
                deadline.track(self.sock)

        class Https(http.client.HTTPSConnection):
            def connect(self) -> None:
                super().connect()
                deadline.track(self.sock)

        class HttpHandler(urllib.request.HTTPHandler):
            def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
                return self.do_open(Http, req)

        class HttpsHandler(urllib.request.HTTPSHandler):
            def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
                return self.do_open(Https, req, context=ssl.create_default_context())

        opener = urllib.request.OpenerDirector()
        for handler in (urllib.request.ProxyHandler(), HttpHandler(), HttpsHandler(),
                        urllib.request.HTTPDefaultErrorHandler(), urllib.request.HTTPRedirectHandler(),
                        urllib.request.HTTPErrorProcessor()):
            opener.add_handler(handler)
        return opener


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already closed


def fetch_feed(url: str, timeout: float = DEFAULT_TIMEOUT, max_bytes: int = DEFAULT_LIMITS.feed_bytes) -> bytes:
    """The feed's bytes, or a ReaderError naming the URL (timeout, HTTP status, network error, size).

    ``timeout`` is the deadline of the whole fetch - connecting, the headers, the body - so a slow
    or trickling server cannot hold an update run. A feed above ``max_bytes`` is refused by its
    Content-Length, or as soon as more arrives, without being read whole.
    """
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT,
                                                   "Accept": "application/rss+xml, application/atom+xml, "
                                                             "application/xml, text/xml;q=0.9, */*;q=0.5"})
    with _Deadline(timeout) as deadline:
        try:
            with deadline.opener().open(request, timeout=timeout) as response:
                declared = response.headers.get("Content-Length")
                if declared and declared.isdigit() and int(declared) > max_bytes:
                    raise _too_big(url, max_bytes)
                chunks, total = [], 0
                while chunk := response.read(65536):
                    chunks.append(chunk)
                    total += len(chunk)
                    if total > max_bytes:
                        raise _too_big(url, max_bytes)
                if deadline.expired:  # the shutdown can look like the end of the body
                    raise TimeoutError
                return b"".join(chunks)
        except ReaderError:
            raise
        except urllib.error.HTTPError as exc:
            raise ReaderError(url, f"HTTP {exc.code} {exc.reason}; the feed server failed, "
                                   "it is tried again on the next run") from exc
        except urllib.error.URLError as exc:
            if deadline.expired or isinstance(exc.reason, TimeoutError):
                raise _timeout(url, timeout) from exc
            raise ReaderError(url, f"cannot fetch the feed ({exc.reason}); check the URL and the network") from exc
        except (OSError, http.client.HTTPException) as exc:
            if deadline.expired or isinstance(exc, TimeoutError):
                raise _timeout(url, timeout) from exc
            raise ReaderError(url, f"the connection broke while reading the feed ({exc!r}); "
                                   "it is tried again on the next run") from exc


def _too_big(url: str, max_bytes: int) -> ReaderError:
    return ReaderError(url, f"the feed is larger than the limit of {size(max_bytes)} "
                            "(limits.feed_bytes in kg.yaml); not read")


def _timeout(url: str, timeout: float) -> ReaderError:
    return ReaderError(url, f"no complete answer within {timeout:g} s (timeout); it is tried again on the next run")


def parse_feed(raw: bytes, url: str) -> list[Article | ReaderError]:
    """An Article per feed item, or a ReaderError for an item that cannot be one (no link, no text).

    Raises ReaderError for the feed as a whole when it is not a feed, is malformed beyond
    recovery, or is mislabelled (see the module docstring).
    """
    parsed = feedparser.parse(raw)
    problem = _feed_problem(parsed)
    if problem:
        raise ReaderError(url, problem)
    source = squeeze(parsed.feed.get("title") or "") or None
    return [_item_article(entry, url, source) for entry in parsed.entries]


def read_feed(url: str, timeout: float = DEFAULT_TIMEOUT,
              max_bytes: int = DEFAULT_LIMITS.feed_bytes) -> list[Article | ReaderError]:
    """Fetch and parse one feed: its items as Articles (or per-item ReaderErrors)."""
    return parse_feed(fetch_feed(url, timeout, max_bytes), url)


def is_feed_url(source: str) -> bool:
    """Whether a source given on the command line or in kg.yaml is a feed URL rather than a folder."""
    return source.startswith(("http://", "https://"))


def _feed_problem(parsed: Any) -> str | None:
    """Why a parse result is not usable as a feed, or None when it is."""
    exc = parsed.get("bozo_exception")
    if isinstance(exc, feedparser.CharacterEncodingOverride):
        return (f"the bytes do not match the encoding the feed declares ({exc}); "
                "the publisher must fix the XML declaration (e.g. encoding=\"GBK\")")
    if parsed.entries:
        return None
    if not parsed.get("version"):
        return "not an RSS or Atom feed (no <rss>, <feed> or <rdf:RDF> root); check the URL"
    if parsed.get("bozo"):
        return f"malformed XML, no item could be read ({exc}); check the URL serves an RSS/Atom feed"
    return None


def _entry_html(entry: Any) -> str:
    """The item's full content when the feed gives it (content:encoded, Atom content), else its summary."""
    contents = entry.get("content") or []
    for wanted in _HTML_TYPES:
        for content in contents:
            if content.get("type") == wanted and content.get("value"):
                return str(content["value"])
    for content in contents:
        if content.get("value"):
            return str(content["value"])
    return str(entry.get("summary") or "")


def _entry_published(entry: Any) -> datetime | None:
    """Publication time: feedparser normalises RSS and Atom dates to a UTC struct_time."""
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    return datetime.fromtimestamp(calendar.timegm(stamp), UTC) if stamp else None


def item_hash(link: str, title: str, published: datetime | None, body: str) -> str:
    """sha256 of what the item says: a feed has no file bytes, and an edited item must count as changed."""
    stamp = published.isoformat() if published else ""
    return hashlib.sha256(f"{link}\x1f{title}\x1f{stamp}\x1f{body}".encode()).hexdigest()


class FeedItemError(ReaderError):
    """A feed item that cannot be an article. ``fetched`` is the item as the feed gave it (its
    fields as JSON): what is kept aside for it, never a file its link may name."""

    def __init__(self, where: str, problem: str, fetched: bytes) -> None:
        super().__init__(where, problem)
        self.fetched = fetched

    def __reduce__(self) -> tuple[type, tuple[str, str, bytes]]:  # type: ignore[override]
        return (FeedItemError, (self.where, self.problem, self.fetched))


def _fetched(entry: Any, url: str) -> bytes:
    """The item's text fields as the feed gave them, as JSON."""
    fields = {key: entry.get(key) for key in ("id", "link", "title", "published", "updated", "summary")}
    fields["content"] = [c.get("value") for c in entry.get("content") or []]
    return json.dumps({"feed": url, **fields}, ensure_ascii=False, indent=1, default=str).encode("utf-8")


def _item_article(entry: Any, url: str, source: str | None) -> Article | ReaderError:
    link = (entry.get("link") or "").strip()
    position = f"{url} (item {entry.get('title') or entry.get('id') or '?'!r})"
    if not link:
        return FeedItemError(position, "item has no <link>, so it has no stable id; it is skipped",
                             _fetched(entry, url))
    rules, _ = cleanup_rules()
    body = _entry_html(entry)
    paragraphs = html_to_paragraphs(body, rules)
    title = clean_title(entry.get("title") or "")
    if paragraphs and title and paragraphs[0] == title:
        paragraphs = paragraphs[1:]
    if not title and not paragraphs:
        return FeedItemError(link, "feed item has no title and no text", _fetched(entry, url))
    text = "\n".join(paragraphs)
    published = _entry_published(entry)
    return Article(
        id=stable_id(link, Path(link)),
        path=link,
        title=title,
        published=published,
        source=source,
        url=link,
        language=detect_language(f"{title}\n{text}"),
        text=text,
        format="feed",
        content_hash=item_hash(link, title, published, body),
    )
