"""Markup to plain text: HTML (and light Markdown) bodies become one paragraph per line.

Built on the stdlib ``html.parser`` because article bodies are small fragments, often not
well-formed (unclosed ``<p>``), and a tolerant streaming tokenizer is all the job needs: no tree is
built. What counts as an advert or boilerplate is data (``schema/readers.yaml``), handed in as
:class:`CleanupRules`, because it changes with the outlets and must not hide in code.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from kg.errors import SchemaError

# Tags after which a new paragraph starts. Inline tags (<a>, <b>, <span>, <small>...) join their
# text to the surrounding words, which keeps "<span>T</span><small>HE</small>" as "THE".
BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "div", "dl", "dt",
    "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
    "main", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul",
})
# Elements without an end tag: they never open a subtree to skip.
VOID_TAGS = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
})
# Where an image's describing text may sit, best first (Reuters puts captions in aria-label,
# Zaobao in title with an empty alt).
IMAGE_TEXT_ATTRS = ("alt", "title", "aria-label")

# A paragraph this long or longer that the next one merely extends is a repeat, not content.
MIN_REPEAT_CHARS = 8

_INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class CleanupRules:
    """What to leave out of an article body; see ``schema/readers.yaml`` for the meaning of each."""

    drop_tags: frozenset[str] = frozenset({"script", "style"})
    drop_attrs: re.Pattern[str] | None = None
    junk_image_text: re.Pattern[str] | None = None
    strip_phrases: re.Pattern[str] | None = None
    drop_paragraphs: re.Pattern[str] | None = None
    truncate_at: re.Pattern[str] | None = None

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], where: str = "readers.yaml") -> CleanupRules:
        """Build the rules from the ``cleanup`` section of readers.yaml (lists of regexes)."""
        return cls(
            drop_tags=frozenset(data.get("drop_tags") or ("script", "style")),
            drop_attrs=_any_of(data, "drop_attrs", where),
            junk_image_text=_any_of(data, "junk_image_text", where),
            strip_phrases=_any_of(data, "strip_phrases", where),
            drop_paragraphs=_any_of(data, "drop_paragraphs", where),
            truncate_at=_any_of(data, "truncate_at", where),
        )


def _any_of(data: Mapping[str, Any], key: str, where: str) -> re.Pattern[str] | None:
    """One alternation of a rule list, so each list costs a single regex search per paragraph."""
    patterns = list(data.get(key) or ())
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise SchemaError(f"{where}: cleanup.{key}: bad regular expression {pattern!r} ({exc})") from exc
    return re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None


def squeeze(text: str) -> str:
    """Collapse whitespace runs; a run holding a full-width space stays one full-width space.

    CJK text uses U+3000 as a meaningful separator (between a headline's halves), so it survives,
    while newlines and tabs from the HTML source become single ASCII spaces.
    """
    text = _INVISIBLE.sub("", text)
    return _WHITESPACE.sub(lambda m: "\u3000" if "\u3000" in m.group() else " ", text).strip()


class _ParagraphCollector(HTMLParser):
    """Streams an HTML fragment into raw paragraphs, skipping dropped subtrees."""

    def __init__(self, rules: CleanupRules) -> None:
        super().__init__(convert_charrefs=True)
        self.rules = rules
        self.paragraphs: list[str] = []
        self._words: list[str] = []
        self._skip_tag: str | None = None  # the dropped element we are inside of
        self._skip_depth = 0  # nesting of that same tag name, robust to unclosed <p> inside

    def _flush(self) -> None:
        if self._words:
            self.paragraphs.append("".join(self._words))
            self._words = []

    def _dropped(self, tag: str, attrs: list[tuple[str, str | None]]) -> bool:
        if tag in self.rules.drop_tags:
            return True
        pattern = self.rules.drop_attrs
        if pattern is None:
            return False
        return any(name in ("class", "id") and value and pattern.search(value)
                   for name, value in attrs)

    def _image_text(self, attrs: list[tuple[str, str | None]]) -> str | None:
        values = dict(attrs)
        for name in IMAGE_TEXT_ATTRS:
            text = squeeze(values.get(name) or "")
            if text:
                junk = self.rules.junk_image_text
                return None if junk and junk.search(text) else text
        return None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skip_tag is not None:
            self._skip_depth += tag == self._skip_tag
            return
        if self._dropped(tag, attrs):
            if tag not in VOID_TAGS:
                self._skip_tag, self._skip_depth = tag, 1
            return
        if tag in BLOCK_TAGS:
            self._flush()
        if tag == "img":
            text = self._image_text(attrs)
            if text:
                self._flush()
                self.paragraphs.append(text)

    def handle_endtag(self, tag: str) -> None:
        if self._skip_tag is not None:
            if tag == self._skip_tag:
                self._skip_depth -= 1
                if self._skip_depth == 0:
                    self._skip_tag = None
            return
        if tag in BLOCK_TAGS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._skip_tag is None:
            self._words.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def clean_paragraphs(raw: Iterable[str], rules: CleanupRules) -> list[str]:
    """Normalise whitespace, apply the boilerplate rules and drop repeats, in document order.

    Repeats go because they are captions said twice (an image's alt and its ``<figcaption>``,
    Reuters' aria-label and caption) or repeated bylines; a news body never needs the same
    paragraph twice. When a paragraph only extends the one before (a caption repeating the alt
    text plus a photo credit), the longer one replaces it.
    """
    out: list[str] = []
    seen: set[str] = set()
    for paragraph in raw:
        text = squeeze(paragraph)
        if rules.truncate_at and rules.truncate_at.search(text):
            break
        if rules.strip_phrases:
            text = squeeze(rules.strip_phrases.sub("", text))
        if not text or text in seen or (rules.drop_paragraphs and rules.drop_paragraphs.search(text)):
            continue
        seen.add(text)
        if out and len(out[-1]) >= MIN_REPEAT_CHARS and text.startswith(out[-1]):
            out[-1] = text
        else:
            out.append(text)
    return out


def html_to_paragraphs(markup: str, rules: CleanupRules) -> list[str]:
    """The visible paragraphs of an HTML fragment or page, cleaned by ``rules``."""
    collector = _ParagraphCollector(rules)
    collector.feed(markup)
    collector.close()
    return clean_paragraphs(collector.paragraphs, rules)


# --- Markdown ---------------------------------------------------------------------------------
# Markdown bodies (眾新聞) mix Markdown with raw HTML (<figure>). Rather than a second text
# extractor, the Markdown syntax is rewritten to the HTML it stands for and the HTML path does the
# rest, so captions, entities and the cleanup rules behave the same in both.

_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MD_AUTOLINK = re.compile(r"<(?:https?|mailto):[^>\s]*>")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|`)(?=\S)(.+?)(?<=\S)\1")
_MD_HEADING = re.compile(r"^#{1,6}\s+(.*?)(?:\s+#+)?\s*$")
_MD_RULE = re.compile(r"^(?:-{3,}|\*{3,}|_{3,}|={3,})\s*$")
_MD_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_MD_QUOTE = re.compile(r"^\s*>\s?")


def _markdown_inline(line: str) -> str:
    line = _MD_IMAGE.sub(lambda m: f'<img alt="{html.escape(m.group(1))}">', line)
    line = _MD_LINK.sub(r"\1", line)
    line = _MD_AUTOLINK.sub("", line)
    return _MD_EMPHASIS.sub(r"\2", line)


def markdown_to_html(markdown: str) -> str:
    """Rewrite light Markdown (headings, rules, lists, quotes, links, images, emphasis) as HTML.

    Lines of a block are joined as Markdown does; headings, list items and rules stand alone.
    Raw HTML lines pass through untouched.
    """
    parts: list[str] = []
    for line in markdown.splitlines():
        stripped = line.strip()
        if not stripped or _MD_RULE.match(stripped):
            parts.append("<p>")
            continue
        heading = _MD_HEADING.match(stripped)
        if heading:
            parts.append(f"<h2>{_markdown_inline(heading.group(1))}</h2>")
            continue
        if _MD_LIST_ITEM.match(line):
            parts.append(f"<li>{_markdown_inline(_MD_LIST_ITEM.sub('', line))}</li>")
            continue
        parts.append(_markdown_inline(_MD_QUOTE.sub("", line)) + "\n")
    return "".join(parts)
