"""Feed parsing (kg.readers.feeds.parse_feed), on feeds built at test time from corpus articles."""

from __future__ import annotations

from itertools import islice
from pathlib import Path

import pytest
from data.feeds.feedgen import rss

from kg.errors import ReaderError
from kg.readers import read_articles
from kg.readers.feeds import is_feed_url, parse_feed
from kg.readers.files import stable_id
from kg.records import Article

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
URL = "http://127.0.0.1:1/feed.xml"


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    """Five simplified-Chinese corpus articles that GBK can encode (for the encoding tests)."""
    found = (a for a in read_articles([CORPUS / "zh" / "news-beyond-wall"])
             if isinstance(a, Article) and a.url and _gbk_ok(a))
    return list(islice(found, 5))


def _gbk_ok(article: Article) -> bool:
    try:
        (article.title + article.text).encode("gbk")
    except UnicodeEncodeError:
        return False
    return True


def _only_articles(items: list[Article | ReaderError]) -> list[Article]:
    assert all(isinstance(i, Article) for i in items), [str(i) for i in items if isinstance(i, ReaderError)]
    return [i for i in items if isinstance(i, Article)]


def test_items_become_articles_with_the_file_readers_id_and_full_text(articles: list[Article]) -> None:
    read = _only_articles(parse_feed(rss(articles, title="Fixture Daily"), URL))
    assert [a.id for a in read] == [stable_id(a.url, Path(a.path)) for a in articles] == [a.id for a in articles]
    for got, want in zip(read, articles, strict=True):
        assert (got.title, got.text, got.published, got.url) == (want.title, want.text, want.published, want.url)
        assert (got.format, got.source, got.language) == ("feed", "Fixture Daily", "zh")


def test_without_full_content_the_summary_is_the_text(articles: list[Article]) -> None:
    read = _only_articles(parse_feed(rss(articles[:1], full_content=False), URL))
    assert read[0].text == articles[0].text.splitlines()[0]


def test_content_hash_is_stable_and_follows_the_text(articles: list[Article]) -> None:
    first = _only_articles(parse_feed(rss(articles[:2]), URL))
    again = _only_articles(parse_feed(rss(articles[:2]), URL))
    edited = articles[0].__class__(**{**{f: getattr(articles[0], f) for f in articles[0].__slots__},
                                      "text": articles[0].text + "\n更正：日期有误。"})
    changed = _only_articles(parse_feed(rss([edited, articles[1]]), URL))
    assert [a.content_hash for a in first] == [a.content_hash for a in again]
    assert changed[0].content_hash != first[0].content_hash and changed[1].content_hash == first[1].content_hash


@pytest.mark.parametrize("declared", ["GBK", "gb2312", "GB18030"])
def test_a_gbk_feed_that_declares_it_is_read_like_utf8(articles: list[Article], declared: str) -> None:
    utf8 = _only_articles(parse_feed(rss(articles), URL))
    gbk = _only_articles(parse_feed(rss(articles, encoding="gbk", declared=declared), URL))
    assert [(a.id, a.title, a.text) for a in gbk] == [(a.id, a.title, a.text) for a in utf8]


def test_a_gbk_feed_declared_as_utf8_is_reported_naming_the_url(articles: list[Article]) -> None:
    with pytest.raises(ReaderError, match=r"^http://127\.0\.0\.1:1/feed\.xml: .*declare") as caught:
        parse_feed(rss(articles, encoding="gbk", declared="UTF-8"), URL)
    assert caught.value.where == URL


@pytest.mark.parametrize(("raw", "problem"), [
    (b'<rss version="2.0"><channel><title>x</title><ite', "malformed XML"),
    (b"\x00\x01garbage<<<", "not an RSS or Atom feed"),
    (b"<!doctype html><html><body><p>Not found</p></body></html>", "not an RSS or Atom feed"),
])
def test_what_is_not_a_feed_is_reported(raw: bytes, problem: str) -> None:
    with pytest.raises(ReaderError, match=problem):
        parse_feed(raw, URL)


def test_items_feedparser_recovers_from_slightly_broken_xml_are_kept() -> None:
    raw = (b'<rss version="2.0"><channel><title>x</title><item><title>Talks & more</title>'
           b"<link>https://example.org/1</link><description>Ministers met.</description></item></channel></rss>")
    (item,) = _only_articles(parse_feed(raw, URL))
    assert (item.title, item.text) == ("Talks & more", "Ministers met.")


def test_an_empty_feed_is_no_error() -> None:
    assert parse_feed(rss([]), URL) == []


def test_an_item_without_link_is_an_item_error_not_a_feed_error(articles: list[Article]) -> None:
    raw = rss(articles[:2]).replace(f"<link>{articles[0].url}</link>".encode(), b"", 1)
    items = parse_feed(raw, URL)
    assert isinstance(items[0], ReaderError) and "no <link>" in str(items[0])
    assert isinstance(items[1], Article) and items[1].id == articles[1].id


def test_atom_content_is_preferred_over_the_summary() -> None:
    raw = b"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
    <title>Atom Daily</title><id>urn:x</id><updated>2021-03-22T08:00:00Z</updated>
    <entry><title>Wang Yi meets Sergey Lavrov</title><link href="https://example.org/a1"/><id>urn:a1</id>
    <updated>2021-03-22T08:00:00Z</updated><summary>Short.</summary>
    <content type="html">&lt;p&gt;The two ministers met in Guilin on 22 March.&lt;/p&gt;&lt;p&gt;They talked.&lt;/p&gt;</content>
    </entry></feed>"""
    (item,) = _only_articles(parse_feed(raw, URL))
    assert item.text == "The two ministers met in Guilin on 22 March.\nThey talked."
    assert (item.source, item.language, item.published.isoformat()) == ("Atom Daily", "en", "2021-03-22T08:00:00+00:00")


def test_feed_urls_are_told_from_folders() -> None:
    assert is_feed_url("https://example.org/rss") and is_feed_url("http://127.0.0.1:8000/a.xml")
    assert not is_feed_url("../shared/corpus") and not is_feed_url("/srv/http-archive")
