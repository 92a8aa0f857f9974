"""Article readers: the real corpus read in place, plus small hand-written edge-case files."""

from __future__ import annotations

import hashlib
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kg.errors import ReaderError
from kg.readers import iter_article_paths, read_article, read_articles, sniff_format
from kg.readers.files import clean_title, parse_date, unquote
from kg.records import Article

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
DATA = Path(__file__).resolve().parents[1] / "data" / "readers"

FOLDERS = {  # folder -> (readable files, sniffed format)
    "seed": (1, "hexo"),
    "zh/rsshub-page": (3, "hexo"),
    "zh/news-beyond-wall": (448, "jekyll"),
    "zh/hkcnews": (90, "hkcnews"),
    "en/news-beyond-wall": (79, "jekyll"),
}


@pytest.fixture(scope="module")
def corpus() -> dict[str, list[Article | ReaderError]]:
    """Every corpus folder read once for the module."""
    return {folder: list(read_articles([CORPUS / folder])) for folder in FOLDERS}


@pytest.mark.parametrize("folder", FOLDERS)
def test_corpus_folder_reads_without_errors(corpus: dict[str, list[Article | ReaderError]],
                                            folder: str) -> None:
    expected_count, expected_format = FOLDERS[folder]
    results = corpus[folder]
    errors = [r for r in results if isinstance(r, ReaderError)]
    assert errors == []
    assert len(results) == expected_count
    assert {a.format for a in results} == {expected_format}  # type: ignore[union-attr]


@pytest.mark.parametrize("folder", FOLDERS)
def test_corpus_texts_are_clean(corpus: dict[str, list[Article | ReaderError]], folder: str) -> None:
    for article in corpus[folder]:
        assert isinstance(article, Article)
        assert article.title and article.text, article.path
        assert article.published is not None and article.published.tzinfo is not None
        assert "<div" not in article.text and "<p>" not in article.text and "<img" not in article.text
        assert "https://" not in article.text and "http://" not in article.text, article.path
        assert all(line == line.strip() and line for line in article.text.split("\n"))


def test_corpus_languages(corpus: dict[str, list[Article | ReaderError]]) -> None:
    for folder, results in corpus.items():
        expected = "en" if folder.startswith("en/") else "zh"
        assert {a.language for a in results} == {expected}  # type: ignore[union-attr]


def test_corpus_ids_are_unique(corpus: dict[str, list[Article | ReaderError]]) -> None:
    ids = [a.id for results in corpus.values() for a in results]  # type: ignore[union-attr]
    assert len(ids) == len(set(ids)) == 621


def test_iter_article_paths_skips_index_and_readme() -> None:
    paths = list(iter_article_paths([CORPUS]))
    assert len(paths) == 621
    assert all(p.name not in ("README.md", "INDEX.csv") for p in paths)
    assert paths == sorted(paths)


def test_seed_article() -> None:
    article = read_article(CORPUS / "seed" / "000_4b9d46ca0c5281cf.txt")
    assert article.title == "对话后中美各有重要动作：北京邀俄外长访华\u3000布林肯将访欧"
    assert article.published == datetime(2021, 3, 21, 11, 31, 1, tzinfo=UTC)
    assert article.published.isoformat() == "2021-03-21T11:31:01+00:00"
    assert article.source == "多维新闻网 - 要闻"
    assert article.format == "hexo" and article.language == "zh"
    assert article.url is None and len(article.id) == 16
    text = article.text
    assert "2020年9月11日，王毅在莫斯科与拉夫罗夫共同会见记者" in text
    assert text.count("杨洁篪在会晤上发表讲话，批评美国干涉中国内政。（AP）") == 1  # alt == caption
    assert "<" not in text and "http" not in text
    assert "点击图集浏览" not in text and "推荐阅读" not in text
    assert text.split("\n")[-1].endswith("但它们都在朝着同一个目标努力。”")


def test_zaobao_adverts_dropped_caption_kept() -> None:
    article = read_article(CORPUS / "zh/rsshub-page/zaobao-2021-03-22-09de24be.md")
    assert article.title == "俄外长今访华 提议中俄增强自主科技创新应对制裁"
    assert article.source == "联合早报 - 即时新闻"
    assert article.text.startswith("俄罗斯外长拉夫罗夫今天将开启访华行程。")
    assert "拉夫罗夫将在中国展开两天访问" in article.text


def test_jekyll_article() -> None:
    article = read_article(CORPUS / "zh/news-beyond-wall/bbc-zh-2020-07-23-1b7ff30d.md")
    assert article.format == "jekyll"
    assert article.title == "少年之死如何触及美国英国特殊关系与外交豁免权漏洞"
    assert article.url == "http://www.bbc.com/zhongwen/simp/uk-53515055"
    assert article.id == hashlib.sha1(article.url.encode()).hexdigest()[:16]
    assert article.source == "BBC"
    assert not article.text.startswith(("<!--", "[", "------"))
    assert "本周，美国国务卿蓬佩奥访问了伦敦" in article.text
    assert "这起车祸非同寻常" in article.text  # a related-story headline is body text the guideline reads


def test_hkcnews_article_keeps_traditional_text() -> None:
    article = read_article(CORPUS / "zh/hkcnews/hkcnews-2017-01-14-b1aa75e9.md")
    assert article.format == "hkcnews"
    assert article.title == "北約前路不明\u3000歐洲心神不定"
    assert article.url == ("https://www.hkcnews.com/article/814/"
                           "%E5%8C%97%E5%A4%A7%E8%A5%BF%E6%B4%8B%E5%85%AC%E7%B4%84%E7%B5%84%E7%B9%94")
    assert article.source == "眾新聞"
    assert article.published == datetime(2017, 1, 14, tzinfo=UTC)
    assert "北約未來前景，端視美國新任總統特朗普的取態" in article.text  # the <figcaption>
    assert "歐洲" in article.text and "欧洲" not in article.text
    assert not article.text.startswith("北約前路不明")  # the "# title" heading is not body text
    assert "月費訂戶" not in article.text and "主筆" not in article.text


def test_economist_article_is_english() -> None:
    article = read_article(CORPUS / "en/news-beyond-wall/economist-en-2020-09-24-d76866a9.md")
    assert article.language == "en"
    assert article.title == "France, as ever, wants to be both European and French"
    paragraphs = article.text.split("\n")
    assert paragraphs[0] == "PARIS"  # the dateline stays: it places the story
    assert paragraphs[1].startswith("THE PANDEMIC has grounded most European leaders.")
    assert "print edition" not in article.text and "■" not in article.text


def test_entities_in_titles_are_unescaped() -> None:
    titles = {a.title for a in read_articles([CORPUS / "en/news-beyond-wall"])}  # type: ignore[union-attr]
    assert "Will Britain's deadline for a trade deal with the EU be met?" in titles


GOOD = {  # fixture -> (format, title, published, source, url, language, text)
    "quote_runs.md": ("hexo", "Ministers meet in Geneva", datetime(2021, 3, 21, 11, 31, 1, tzinfo=UTC),
                      "Test Wire", None, "en",
                      "The two ministers met in Geneva on Sunday & agreed to talk again.\n"
                      "The ministers shake hands.\nTalks will resume in April."),
    "flow_list.md": ("jekyll", "外长通电话", datetime(2021, 1, 5, 8, tzinfo=UTC), "测试通讯社",
                     "https://example.org/news/1", "zh", "两国外长1月5日通电话，就双边关系交换意见。"),
    "bare_title": ("hkcnews", "北約外長會議\u3000討論東歐局勢", datetime(2017, 1, 14, tzinfo=UTC), "眾新聞",
                   "https://news.example.org/article/7", "zh",
                   "會議現場\n北約外長周六在布魯塞爾開會，討論東歐局勢。"),
    "bom_double.txt": ("markdown", 'Envoy visits "Kyiv"', datetime(2020, 7, 1, tzinfo=UTC), None, None,
                       "en", "The envoy arrived on Wednesday."),
    "page.html": ("html", "Summit ends – leaders sign accord", None, None, None, "en",
                  "Summit ends\nLeaders signed an accord on Friday."),
    "plain": ("text", "Foreign ministers hold talks", None, None, None, "en",
              "The foreign ministers of two countries held talks in Oslo on Monday."),
}


@pytest.mark.parametrize("name", GOOD)
def test_fixture_variants(name: str) -> None:
    path = DATA / "good" / name
    article = read_article(path)
    got = (article.format, article.title, article.published, article.source, article.url,
           article.language, article.text)
    assert got == GOOD[name]
    assert sniff_format(path.read_bytes(), path) == GOOD[name][0]
    assert article.path == str(path)


BAD = {  # fixture -> words the problem must contain
    "gbk.txt": ["not UTF-8", "GBK", "iconv -f GBK -t UTF-8"],
    "binary.dat": ["binary file"],
    "unterminated.md": ["never closed", "line 1"],
    "bad_yaml.md": ["invalid YAML", "line 4", "nested: [unclosed"],
    "empty.md": ["empty file"],
    "no_title_no_body.md": ["no title and no body"],
    "bad_date.md": ["date", "next Tuesday"],
}


@pytest.mark.parametrize("name", BAD)
def test_bad_inputs_raise_reader_error(name: str) -> None:
    path = DATA / "bad" / name
    with pytest.raises(ReaderError) as caught:
        read_article(path)
    assert caught.value.where == str(path)
    assert str(path) in str(caught.value)
    for words in BAD[name]:
        assert words in caught.value.problem


def test_missing_file_is_a_reader_error(tmp_path: Path) -> None:
    with pytest.raises(ReaderError, match="cannot read file"):
        read_article(tmp_path / "nope.md")


def test_read_articles_goes_on_after_a_bad_file(tmp_path: Path) -> None:
    for name in ("quote_runs.md", "flow_list.md"):
        shutil.copy(DATA / "good" / name, tmp_path / name)
    shutil.copy(DATA / "bad" / "gbk.txt", tmp_path / "gbk.txt")
    (tmp_path / ".hidden.md").write_text("---\ntitle: hidden\n---\nx\n", encoding="utf-8")
    (tmp_path / "INDEX.csv").write_text("file\n", encoding="utf-8")
    results = list(read_articles([tmp_path]))
    assert [type(r).__name__ for r in results] == ["Article", "ReaderError", "Article"]
    assert results[1].where == str(tmp_path / "gbk.txt")  # type: ignore[union-attr]


def test_read_articles_in_worker_processes_gives_the_same_in_the_same_order(tmp_path: Path) -> None:
    for name in ("quote_runs.md", "flow_list.md"):
        shutil.copy(DATA / "good" / name, tmp_path / name)
    shutil.copy(DATA / "bad" / "gbk.txt", tmp_path / "gbk.txt")
    alone = list(read_articles([tmp_path, CORPUS / "en/news-beyond-wall"]))
    together = list(read_articles([tmp_path, CORPUS / "en/news-beyond-wall"], workers=2))
    assert [a for a in together if not isinstance(a, ReaderError)] == [a for a in alone if not isinstance(a, ReaderError)]
    assert [str(e) for e in together if isinstance(e, ReaderError)] == [str(e) for e in alone if isinstance(e, ReaderError)]
    assert [type(r) for r in together] == [type(r) for r in alone] and len(alone) > 3


def test_file_named_directly_is_always_read(tmp_path: Path) -> None:
    path = tmp_path / "README.md"
    path.write_text("Talks\n\nMinisters met.\n", encoding="utf-8")
    assert list(iter_article_paths([path])) == [path]


@pytest.mark.parametrize(("raw", "expected"), [
    ('"""\'Title\'"""', "Title"),
    ("'\"Title\"'", "Title"),
    ('"A" and "B"', '"A" and "B"'),
    ("Plain", "Plain"),
    ("It's", "It's"),
])
def test_unquote(raw: str, expected: str) -> None:
    assert unquote(raw) == expected


def test_clean_title_unescapes_and_squeezes() -> None:
    assert clean_title("Britain&#x27;s  <b>deal</b>\n") == "Britain's deal"


@pytest.mark.parametrize(("value", "expected"), [
    ("Sun, 21 Mar 2021 11:31:01 GMT", datetime(2021, 3, 21, 11, 31, 1, tzinfo=UTC)),
    ("2020-07-23T20:28:41.000Z", datetime(2020, 7, 23, 20, 28, 41, tzinfo=UTC)),
    ('"2017-01-14"', datetime(2017, 1, 14, tzinfo=UTC)),
    ("2018-09-12 11:45:22", datetime(2018, 9, 12, 11, 45, 22, tzinfo=UTC)),
])
def test_parse_date(value: str, expected: datetime) -> None:
    assert parse_date(value) == expected
