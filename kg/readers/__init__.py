"""Article readers: files of any supported format -> :class:`kg.records.Article` records."""

from kg.readers.files import iter_article_paths, read_article, read_articles, sniff_format

__all__ = ["iter_article_paths", "read_article", "read_articles", "sniff_format"]
