"""Build RSS fixture feeds at test time from articles read out of ``../shared/corpus``.

Nothing of the corpus text is committed: tests read real articles with ``kg.readers`` and turn them
into feeds here. Imported by the tests as ``data.feeds.feedgen`` (``tests/`` is on ``sys.path``
because of ``tests/conftest.py``).
"""

from __future__ import annotations

from collections.abc import Iterable
from email.utils import format_datetime
from xml.sax.saxutils import escape

from kg.records import Article


def item_xml(article: Article, *, full_content: bool = True) -> str:
    """One ``<item>``: the body as HTML paragraphs in ``content:encoded`` (or only a summary)."""
    html = "".join(f"<p>{escape(p)}</p>" for p in article.text.splitlines())
    summary = escape(article.text.splitlines()[0] if article.text else article.title)
    parts = [f"<title>{escape(article.title)}</title>", f"<link>{escape(article.url or article.path)}</link>",
             f"<description>{escape(summary)}</description>"]
    if article.published:
        parts.append(f"<pubDate>{format_datetime(article.published)}</pubDate>")
    if full_content:
        parts.append(f"<content:encoded>{escape(html)}</content:encoded>")
    return "<item>" + "".join(parts) + "</item>"


def rss(articles: Iterable[Article], *, title: str = "Fixture Daily", encoding: str = "utf-8",
        declared: str | None = None, full_content: bool = True) -> bytes:
    """An RSS 2.0 feed of ``articles`` encoded in ``encoding`` and declaring ``declared`` (default: the same)."""
    items = "".join(item_xml(a, full_content=full_content) for a in articles)
    text = (f'<?xml version="1.0" encoding="{declared or encoding}"?>\n'
            '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
            f"<channel><title>{escape(title)}</title><link>https://example.org/</link>"
            f"<description>fixture</description>{items}</channel></rss>")
    return text.encode(encoding)
