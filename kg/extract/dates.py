"""Find date expressions in one sentence and resolve them against the article's publication date.

News rarely writes full dates: 周五, 22日, 3月22日至23日, 上月, "last Tuesday". Event dates in the
graph come from these, so each expression is resolved to calendar days when the text and the
publication date make that unambiguous, and left ``None`` otherwise -- a day is never invented.

Resolution rules (the ones a reader of the output needs to know):

* Missing year (3月22日) or month (22日): the candidate nearest the publication date, among the
  previous, same and next year (or month); on a tie the earlier one. "12月30日" in an article of
  2021-01-02 is 2020-12-30.
* Bare weekday (周五, "on Friday"): the most recent such day on or before publication, or the first
  on or after it when the sentence carries a future marker (将于, 即将, "will" ... see
  ``future_markers`` in schema/dates.yaml). Chinese outlets use a bare weekday for the last or the
  coming few days, and a Monday article's 周四 is the past Thursday, so "same calendar week" is wrong.
* 本周五 / 上周三 / 下周一: that weekday of the shifted Monday-to-Sunday week. English "last Tuesday"
  is the most recent Tuesday before publication, "next Tuesday" the first after it.
* 下周 / 上月 / 去年 / 2018年 / 3月: week, month or year precision: ``start`` is ``None`` and the
  period is given in ``period_start``/``period_end``.
* 当天 / 次日: reported with day precision and no date (they depend on another event).
* A weekday beside an explicit date (周五（3月19日）, "Friday April 16th") gives one mention; the
  explicit date wins over the computed one.

The vocabulary (weekday names, relative words, connectors ...) is data in schema/dates.yaml; the
regular expressions built from it are compiled once per loaded vocabulary.
"""

from __future__ import annotations

import calendar
import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from kg.errors import SchemaError
from kg.schema import SAFE_LOADER, schema_dir


_TEN = (
    "十"  # the tens marker of Chinese numerals (二十三), grammar rather than vocabulary
)


@dataclass(frozen=True, slots=True)
class DateMention:
    """One date expression in a sentence, resolved as far as the text allows.

    ``start``/``end`` are the first and last day (equal for one day) and stay ``None`` when the
    expression names no day (下周, 上月, 2018年) or cannot be resolved. For week/month/year
    precision, ``period_start``/``period_end`` bound the named period; for day precision they are
    ``None``. ``sentence[begin:stop] == text``.
    """

    start: date | None
    end: date | None
    begin: int
    stop: int
    text: str
    precision: str  # "day" | "week" | "month" | "year"
    period_start: date | None = None
    period_end: date | None = None


@dataclass(frozen=True, slots=True, eq=False)
class Vocabulary:
    """The loaded date vocabulary and the patterns compiled from it.

    Identity-hashed (``eq=False``) so that one loaded vocabulary is one cache entry.
    """

    tables: Mapping[str, Any]
    zh_pattern: re.Pattern[str]  # Chinese expressions and numeric dates (2020-09-11)
    en_pattern: re.Pattern[str]  # English expressions
    future: re.Pattern[str]
    clause_break: re.Pattern[str]
    count_before: re.Pattern[str]
    count_after: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class _Atom:
    """A mention before merging, with the fields the text stated explicitly (year, month, day).

    The explicit fields let a range's second half inherit from the first (3月22日至23日) and let an
    explicit date win over a weekday in the same brackets.
    """

    mention: DateMention
    fields: tuple[int | None, int | None, int | None] = (None, None, None)
    weekday: int | None = (
        None  # ISO weekday (Monday = 0) when the expression is a weekday
    )

    @property
    def rank(self) -> int:
        return sum(f is not None for f in self.fields)


# --------------------------------------------------------------------------- loading


def published_date(published: datetime | None) -> date | None:
    """The publication date the resolver works from: the UTC date part, as the gold annotation uses.

    Naive datetimes are taken as they are.
    """
    if published is None:
        return None
    if published.tzinfo is not None:
        published = published.astimezone(UTC)
    return published.date()


@functools.cache
def load_vocabulary(path: Path | None = None) -> Vocabulary:
    """Read and compile schema/dates.yaml (or ``path``) once per process."""
    path = path or schema_dir() / "dates.yaml"
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except OSError as exc:
        raise SchemaError(f"{path}: cannot read the date vocabulary ({exc})") from exc
    except yaml.YAMLError as exc:
        raise SchemaError(f"{path}: not valid YAML ({exc})") from exc
    if not isinstance(raw, dict):
        raise SchemaError(f"{path}: expected a mapping of tables at the top level")
    return build_vocabulary(raw, where=str(path))


_REQUIRED = (
    "zh_digits",
    "day_suffixes",
    "bare_day_suffixes",
    "weekday_prefixes",
    "weekday_names_zh",
    "weekday_not_before",
    "weekday_not_after",
    "weekday_names_en",
    "period_shifts_zh",
    "measure_words_zh",
    "relative_years_zh",
    "period_suffixes_zh",
    "period_suffix_not_before",
    "relative_days",
    "unresolved_days",
    "day_word_not_before",
    "not_dates",
    "day_count_before",
    "day_count_after",
    "range_connectors",
    "list_connectors",
    "open_brackets",
    "close_brackets",
    "months_en",
    "date_prepositions_en",
    "weekday_modifiers_en",
    "period_shifts_en",
    "period_units_en",
    "future_markers",
    "clause_breaks",
)


def build_vocabulary(
    tables: Mapping[str, Any], where: str = "<vocabulary>"
) -> Vocabulary:
    """Compile a vocabulary given as a mapping of tables (the parsed schema/dates.yaml)."""
    missing = [name for name in _REQUIRED if name not in tables]
    if missing:
        raise SchemaError(f"{where}: missing date tables {', '.join(missing)}")
    for name in _REQUIRED:
        words = [w for w in tables[name] if not isinstance(w, str)]
        if words:  # YAML 1.1 reads a bare on/no/yes as a boolean
            raise SchemaError(
                f"{where}: table {name} has non-text entries {words!r}; quote them"
            )
    t = tables
    return Vocabulary(
        tables=t,
        zh_pattern=re.compile(_zh_pattern(t)),
        en_pattern=re.compile(_en_pattern(t)),
        future=re.compile(rf"(?i:{_alt(t['future_markers'])})"),
        clause_break=re.compile(_alt(t["clause_breaks"])),
        count_before=re.compile(rf"(?:{_alt(t['day_count_before'])})$"),
        count_after=re.compile(_alt(t["day_count_after"])),
    )


def _alt(words: Iterable[str]) -> str:
    """A regex alternation of literal words, longest first so that 上个月 wins over 上."""
    return "|".join(
        re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w))
    )


def _cls(chars: Iterable[str]) -> str:
    return "[" + "".join(re.escape(c) for c in sorted(set(chars))) + "]"


def _guarded(branches: list[str], first_chars: str) -> str:
    """One alternation over ``branches``, each ending in an empty ``K_<kind>`` group.

    The empty group closes last in its branch, so ``match.lastgroup`` names the branch that
    matched. The leading one-character lookahead is the cheap pre-check: most positions of a
    sentence fail on it at once instead of trying every branch (about 15 times faster).
    """
    return rf"(?={first_chars})(?:{'|'.join(branches)})"


def _zh_pattern(t: Mapping[str, Any]) -> str:
    """Chinese expressions and numeric dates. Order matters: longer shapes first."""
    digits: Mapping[str, int] = t["zh_digits"]
    zd = _cls(digits)  # all Chinese digits, for years written digit by digit (二〇二一)
    z19 = _cls(c for c, v in digits.items() if 1 <= v <= 9)
    year = rf"\d{{4}}|{zd}{{4}}"
    month = rf"[01]?\d|{_TEN}{z19}?|{z19}"
    day = rf"[0-3]?\d|{z19}?{_TEN}{z19}?|{z19}"
    numstart = rf"(?<![\d.{''.join(digits)}{_TEN}百千万萬亿億几幾])"
    shift = _alt(t["period_shifts_zh"])
    measure = f"(?:{_alt(t['measure_words_zh'])})?"
    sep = _alt(
        c for c in [*t["range_connectors"], *t["list_connectors"]] if not c.isalpha()
    )
    dsuf = _alt(t["day_suffixes"])
    psuf = rf"(?:(?:{_alt(t['period_suffixes_zh'])})(?!{_cls(t['period_suffix_not_before'])}))"
    ryear = _alt(t["relative_years_zh"])
    wpre = _alt(t["weekday_prefixes"])
    zh_days = [w for w in t["relative_days"] if not w.isascii()]
    day_word = (
        rf"(?:{_alt(w for w in zh_days if not w.endswith('日'))})"
        rf"|(?:{_alt(w for w in zh_days if w.endswith('日'))})(?!{_cls(t['day_word_not_before'])})"
    )
    branches = [
        rf"(?P<nd>{_alt(t['not_dates'])})(?P<K_skip>)",
        (
            rf"{numstart}(?:(?P<y>{year})年|(?P<ry>{ryear}))?(?:(?P<m>{month})月|(?P<rms>{shift}){measure}月)"
            rf"(?:(?P<d>{day})(?:(?P<dsep>{sep})(?P<d2>{day}))?(?P<dsuf>{dsuf})|{psuf})?(?P<K_zhdate>)"
        ),
        rf"{numstart}(?:(?P<y2>{year})年|(?P<ry2>{ryear})){psuf}?(?P<K_zhyear>)",
        (
            rf"(?:(?P<ws>{shift}){measure}|(?<!{_cls(t['weekday_not_after'])}))(?:{wpre})"
            rf"(?P<wn>{_cls(t['weekday_names_zh'])})(?!{_cls(t['weekday_not_before'])})(?P<K_zhweekday>)"
        ),
        rf"(?P<wks>{shift}){measure}(?:{wpre}){psuf}?(?P<K_zhweek>)",
        rf"(?P<rd>{day_word})(?P<K_zhrelday>)",
        rf"(?P<ud>{_alt(t['unresolved_days'])})(?P<K_unresolved>)",
        rf"{numstart}(?P<dd>{day})(?:(?P<ddsep>{sep})(?P<dd2>{day}))?(?P<ddsuf>{dsuf})(?P<K_zhday>)",
        r"(?<![\d.])(?P<iy>(?:19|20)\d\d)(?P<isep>[-/.])(?P<im>[01]?\d)(?P=isep)(?P<id>[0-3]?\d)(?![\d.]?\d)(?P<K_iso>)",
    ]
    words = [
        *t["not_dates"],
        *t["period_shifts_zh"],
        *t["weekday_prefixes"],
        *t["relative_years_zh"],
        *t["unresolved_days"],
        *zh_days,
    ]
    first = {w[0] for w in words} | set(digits) | {_TEN}
    return _guarded(branches, rf"[\d{''.join(sorted(first))}]")


def _en_pattern(t: Mapping[str, Any]) -> str:
    """English expressions. Month and weekday names are matched capitalised only ("may" is a verb)."""
    months = _alt(t["months_en"])
    full_months = _alt(m for m in t["months_en"] if len(m) > 3 or m == "May")
    weekdays = _alt(w.capitalize() for w in t["weekday_names_en"])
    preps = _alt(t["date_prepositions_en"])
    wmods = _alt([*t["weekday_modifiers_en"], *t["date_prepositions_en"]])
    en_sep = rf"\s*(?:{_alt(c for c in t['range_connectors'] if c.isascii())})\s*"
    ordinal = r"(?:st|nd|rd|th)?"
    en_year = r"(?:19|20)\d\d(?!\d)"
    en_days = [w for w in t["relative_days"] if w.isascii()]
    branches = [
        (
            rf"\b(?P<em>{months})\.?\s+(?P<ed>[0-3]?\d){ordinal}(?:{en_sep}(?P<ed2>[0-3]?\d){ordinal})?"
            rf"(?:,?\s+(?P<ey>{en_year}))?(?![\d:])(?P<K_mdy>)"
        ),
        (
            rf"(?<![\d.])(?P<fd>[0-3]?\d){ordinal}(?:\s*[-–—]\s*(?P<fd2>[0-3]?\d){ordinal})?\s+(?:of\s+)?"
            rf"(?P<fm>{months})\b\.?(?:,?\s+(?P<fy>{en_year}))?(?P<K_dmy>)"
        ),
        rf"\b(?P<gm>{months})\.?,?\s+(?P<gy>{en_year})(?P<K_my>)",
        rf"\b(?i:{preps})[\s-]+(?P<hm>{full_months})\b(?!\.?,?\s*\d)(?P<K_inmonth>)",
        rf"\b(?P<ep>(?i:{wmods}))\s+(?P<ew>{weekdays})\b(?P<K_enweekday>)",
        rf"\b(?P<er>(?i:{_alt(en_days)}))\b(?!['’]s)(?P<K_enrelday>)",
        rf"\b(?P<eps>(?i:{_alt(t['period_shifts_en'])}))\s+(?P<epu>(?i:{_alt(t['period_units_en'])}))\b(?P<K_enperiod>)",
        rf"\b(?i:{preps})\s+(?P<yy>{en_year})(?![-–/]\d)(?P<K_enyear>)",
    ]
    insensitive = [
        *t["date_prepositions_en"],
        *t["weekday_modifiers_en"],
        *en_days,
        *t["period_shifts_en"],
    ]
    first = {w[0] for w in t["months_en"]} | {
        c for w in insensitive for c in (w[0].lower(), w[0].upper())
    }
    return _guarded(branches, rf"[\d{''.join(sorted(first))}]")


# --------------------------------------------------------------------------- normalisation


@functools.cache
def _nfkc_table() -> dict[int, str]:
    """NFKC for the characters it maps to exactly one other character (３ -> 3, ～ -> ~).

    Restricting to one-to-one mappings keeps every offset of the normalised text valid in the
    original sentence.
    """
    table: dict[int, str] = {}
    for cp in range(0x2000, 0x10000):
        if 0xD800 <= cp < 0xE000:
            continue
        ch = chr(cp)
        mapped = unicodedata.normalize("NFKC", ch)
        if len(mapped) == 1 and mapped != ch:
            table[cp] = mapped
    return table


def _normalise(sentence: str) -> str:
    return sentence if sentence.isascii() else sentence.translate(_nfkc_table())


# --------------------------------------------------------------------------- calendar helpers


def _zh_int(text: str, digits: Mapping[str, int]) -> int:
    """The value of an Arabic or Chinese numeral: 22, 二十二, 十一, 二〇二一 (digit by digit)."""
    if text.isdigit() and text.isascii():
        return int(text)
    if _TEN in text:
        tens, _, units = text.partition(_TEN)
        return (digits[tens] if tens else 1) * 10 + (digits[units] if units else 0)
    value = 0
    for char in text:
        value = value * 10 + digits[char]
    return value


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _add_months(year: int, month: int, shift: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + shift
    return index // 12, index % 12 + 1


def _month_period(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _nearest(
    candidates: Iterable[tuple[date, date]], published: date
) -> tuple[date, date] | None:
    """The candidate period nearest the publication date; on a tie the earlier one."""

    def distance(period: tuple[date, date]) -> tuple[int, date]:
        first, last = period
        gap = (
            (first - published).days
            if first > published
            else max(0, (published - last).days)
        )
        return gap, first

    return min(candidates, key=distance, default=None)


def _resolve_md(month: int, day: int, published: date | None) -> date | None:
    if published is None:
        return None
    days = (
        _safe_date(y, month, day)
        for y in (published.year - 1, published.year, published.year + 1)
    )
    best = _nearest(((d, d) for d in days if d is not None), published)
    return best[0] if best else None


def _resolve_d(day: int, published: date | None) -> date | None:
    if published is None:
        return None
    months = (_add_months(published.year, published.month, k) for k in (-1, 0, 1))
    days = (_safe_date(y, m, day) for y, m in months)
    best = _nearest(((d, d) for d in days if d is not None), published)
    return best[0] if best else None


def _resolve_m(month: int, published: date | None) -> tuple[date, date] | None:
    if published is None or not 1 <= month <= 12:
        return None
    years = (published.year - 1, published.year, published.year + 1)
    return _nearest((_month_period(y, month) for y in years), published)


def _week_monday(published: date, shift: int) -> date:
    return published - timedelta(days=published.weekday()) + timedelta(weeks=shift)


def _bare_weekday(weekday: int, published: date, future: bool) -> date:
    """Most recent such weekday on or before publication, or the first on or after it."""
    if future:
        return published + timedelta(days=(weekday - published.weekday()) % 7)
    return published - timedelta(days=(published.weekday() - weekday) % 7)


# --------------------------------------------------------------------------- mention builders


def _day(
    begin: int, stop: int, sentence: str, start: date | None, end: date | None = None
) -> DateMention:
    return DateMention(
        start,
        end if end is not None else start,
        begin,
        stop,
        sentence[begin:stop],
        "day",
    )


def _period(
    begin: int,
    stop: int,
    sentence: str,
    precision: str,
    period: tuple[date, date] | None,
) -> DateMention:
    first, last = period if period else (None, None)
    return DateMention(
        None, None, begin, stop, sentence[begin:stop], precision, first, last
    )


class _Context:
    """Everything a branch handler needs besides its match; the future-marker test runs at most once."""

    __slots__ = ("published", "sentence", "text", "vocab")

    def __init__(
        self, sentence: str, text: str, published: date | None, vocab: Vocabulary
    ) -> None:
        self.sentence = sentence
        self.text = text
        self.published = published
        self.vocab = vocab

    @property
    def tables(self) -> Mapping[str, Any]:
        return self.vocab.tables

    def future(self, at: int) -> bool:
        """Does the clause around offset ``at`` carry a future marker (将于, will ...)?

        The clause, not the sentence: "热火队即将……，央视周五宣布" is a past Friday.
        """
        breaks = self.vocab.clause_break
        start = max((m.end() for m in breaks.finditer(self.text, 0, at)), default=0)
        found = breaks.search(self.text, at)
        return (
            self.vocab.future.search(
                self.text, start, found.start() if found else len(self.text)
            )
            is not None
        )

    def num(self, raw: str) -> int:
        return _zh_int(raw, self.tables["zh_digits"])

    def shifted(self, days: int) -> date | None:
        return None if self.published is None else self.published + timedelta(days=days)


def _day_after(anchor: date, day: int) -> date | None:
    """The day ``day`` that ends a range starting at ``anchor``: this month, or the next when smaller.

    3月30日至2日 ends on 4月2日; 2月1日至31日 is invalid rather than stretched to 3月31日.
    """
    if day >= anchor.day:
        return _safe_date(anchor.year, anchor.month, day)
    return _safe_date(*_add_months(anchor.year, anchor.month, 1), day)


def _calendar_day(
    ctx: _Context,
    year: int | None,
    month: int | None,
    day: int,
    relative: tuple[int, int] | None,
) -> tuple[date | None, bool]:
    """Resolve day ``day``; returns (date or None, valid). Invalid dates (2月30日) are not valid.

    ``relative`` is a (year, month) already known from 上月/本月; without it a missing year or
    month is chosen nearest the publication date.
    """
    if relative is not None:
        found = _safe_date(*relative, day)
        return found, found is not None
    if year is not None and month is not None:
        found = _safe_date(year, month, day)
        return found, found is not None
    if month is not None:
        if (
            _safe_date(2000, month, day) is None
        ):  # 2000 is a leap year: only impossible days fail
            return None, False
        return _resolve_md(month, day, ctx.published), True
    if not 1 <= day <= 31:
        return None, False
    return _resolve_d(day, ctx.published), True


def _with_second_day(
    ctx: _Context, begin: int, stop: int, start: date | None, day2: int | None
) -> DateMention | None:
    """A one-day mention, or a range when the expression lists a second day (22、23日 / 22至25日)."""
    if day2 is None or start is None:
        return _day(begin, stop, ctx.sentence, start)
    end = _day_after(start, day2)
    return None if end is None else _day(begin, stop, ctx.sentence, start, end)


def _zh_date(m: re.Match[str], ctx: _Context) -> _Atom | None:
    """3月22日 / 2021年3月22日至23日 / 二〇二一年三月二十二日 / 今年3月 / 上月20日 / 3月底."""
    begin, stop = m.span()
    pub = ctx.published
    year = ctx.num(m["y"]) if m["y"] else None
    if m["ry"] is not None and pub is not None:
        year = pub.year + ctx.tables["relative_years_zh"][m["ry"]]
    month = ctx.num(m["m"]) if m["m"] else None
    if month is not None and not 1 <= month <= 12:
        return None
    relative: tuple[int, int] | None = None
    if m["rms"] is not None and pub is not None:
        relative = _add_months(
            pub.year, pub.month, ctx.tables["period_shifts_zh"][m["rms"]]
        )
    fields = (
        ctx.num(m["y"]) if m["y"] else None,
        month,
        ctx.num(m["d"]) if m["d"] else None,
    )
    if m["d"] is None:
        if relative is not None:
            period: tuple[date, date] | None = _month_period(*relative)
        elif month is not None:
            period = (
                _month_period(year, month)
                if year is not None
                else _resolve_m(month, pub)
            )
        else:
            period = None
        return _Atom(_period(begin, stop, ctx.sentence, "month", period), fields)
    if m["ry"] is not None and year is None:  # 去年3月22日 without a publication date
        return _Atom(_day(begin, stop, ctx.sentence, None), fields)
    start, valid = _calendar_day(ctx, year, month, fields[2] or 0, relative)
    if not valid:
        return None
    mention = _with_second_day(
        ctx, begin, stop, start, ctx.num(m["d2"]) if m["d2"] else None
    )
    return None if mention is None else _Atom(mention, fields)


def _zh_year(m: re.Match[str], ctx: _Context) -> _Atom | None:
    """2018年 / 二〇一八年 / 去年 / 今年底."""
    begin, stop = m.span()
    if m["y2"]:
        year: int | None = ctx.num(m["y2"])
    elif ctx.published is not None:
        year = ctx.published.year + ctx.tables["relative_years_zh"][m["ry2"]]
    else:
        year = None
    if year is not None and not 1 <= year <= 9999:
        return None
    period = (date(year, 1, 1), date(year, 12, 31)) if year is not None else None
    return _Atom(
        _period(begin, stop, ctx.sentence, "year", period),
        (year if m["y2"] else None, None, None),
    )


def _zh_weekday(m: re.Match[str], ctx: _Context) -> _Atom:
    """周五 / 星期五 / 礼拜五 / 週五 / 本周五 / 上周三 / 下个星期一."""
    weekday = ctx.tables["weekday_names_zh"][m["wn"]]
    pub = ctx.published
    if pub is None:
        day = None
    elif m["ws"] is not None:
        day = _week_monday(pub, ctx.tables["period_shifts_zh"][m["ws"]]) + timedelta(
            days=weekday
        )
    else:
        day = _bare_weekday(weekday, pub, ctx.future(m.start()))
    return _Atom(_day(*m.span(), ctx.sentence, day), weekday=weekday)


def _week_period(ctx: _Context, shift: int) -> tuple[date, date] | None:
    if ctx.published is None:
        return None
    monday = _week_monday(ctx.published, shift)
    return monday, monday + timedelta(days=6)


def _zh_week(m: re.Match[str], ctx: _Context) -> _Atom:
    """本周 / 上周 / 下星期 / 上个礼拜 / 上周末."""
    shift = ctx.tables["period_shifts_zh"][m["wks"]]
    return _Atom(_period(*m.span(), ctx.sentence, "week", _week_period(ctx, shift)))


def _relative_day(m: re.Match[str], ctx: _Context) -> _Atom:
    """今天 / 昨晚 / 前日 / today / yesterday (the matched word, in either pattern)."""
    word = m[0].lower()
    return _Atom(
        _day(*m.span(), ctx.sentence, ctx.shifted(ctx.tables["relative_days"][word]))
    )


def _unresolved(m: re.Match[str], ctx: _Context) -> _Atom:
    """当天 / 次日: a day, but relative to another event, so no date."""
    return _Atom(_day(*m.span(), ctx.sentence, None))


def _zh_day(m: re.Match[str], ctx: _Context) -> _Atom | None:
    """22日 / 二十三日 / 19日至20日 / 22、23日 -- a day of the month nearest the publication date.

    Rejected when it looks like a count of days (停加关税90日, 15日内), has a 号 suffix (19号 names
    buildings and spacecraft), or is a one-character Chinese numeral (一日, 三日 are durations).
    """
    begin, stop = m.span()
    raw = m["dd"]
    if (
        m["ddsuf"] not in ctx.tables["bare_day_suffixes"]
        or (len(raw) == 1 and not raw.isascii())
        or ctx.vocab.count_before.search(ctx.text, max(0, begin - 2), begin)
        or ctx.vocab.count_after.match(ctx.text, stop)
    ):
        return None
    day = ctx.num(raw)
    start, valid = _calendar_day(ctx, None, None, day, None)
    if not valid:
        return None
    mention = _with_second_day(
        ctx, begin, stop, start, ctx.num(m["dd2"]) if m["dd2"] else None
    )
    return None if mention is None else _Atom(mention, (None, None, day))


def _iso(m: re.Match[str], ctx: _Context) -> _Atom | None:
    """2020-09-11 / 2020/9/11."""
    found = _safe_date(int(m["iy"]), int(m["im"]), int(m["id"]))
    if found is None:
        return None
    return _Atom(
        _day(*m.span(), ctx.sentence, found), (found.year, found.month, found.day)
    )


def _en_day(
    m: re.Match[str],
    ctx: _Context,
    month_key: str,
    day_key: str,
    day2_key: str,
    year_key: str,
) -> _Atom | None:
    """Shared by "March 22, 2021" / "March 22-23" and "22 March 2021" / "22-23 March"."""
    month = ctx.tables["months_en"][m[month_key]]
    day = int(m[day_key])
    year = int(m[year_key]) if m[year_key] else None
    start, valid = _calendar_day(ctx, year, month, day, None)
    if not valid:
        return None
    mention = _with_second_day(
        ctx, *m.span(), start, int(m[day2_key]) if m[day2_key] else None
    )
    return None if mention is None else _Atom(mention, (year, month, day))


def _en_mdy(m: re.Match[str], ctx: _Context) -> _Atom | None:
    return _en_day(m, ctx, "em", "ed", "ed2", "ey")


def _en_dmy(m: re.Match[str], ctx: _Context) -> _Atom | None:
    return _en_day(m, ctx, "fm", "fd", "fd2", "fy")


def _en_month_year(m: re.Match[str], ctx: _Context) -> _Atom:
    """March 2021."""
    month, year = ctx.tables["months_en"][m["gm"]], int(m["gy"])
    return _Atom(
        _period(*m.span(), ctx.sentence, "month", _month_period(year, month)),
        (year, month, None),
    )


def _en_in_month(m: re.Match[str], ctx: _Context) -> _Atom:
    """ "in March", "early March": the month only, nearest the publication date."""
    month = ctx.tables["months_en"][m["hm"]]
    begin, stop = m.span("hm")
    return _Atom(
        _period(begin, stop, ctx.sentence, "month", _resolve_m(month, ctx.published)),
        (None, month, None),
    )


def _en_weekday(m: re.Match[str], ctx: _Context) -> _Atom:
    """ "on Friday" (bare rule), "last Tuesday", "next Monday", "this Friday"."""
    weekday = ctx.tables["weekday_names_en"][m["ew"].lower()]
    modifier = ctx.tables["weekday_modifiers_en"].get(m["ep"].lower())
    pub = ctx.published
    if pub is None:
        day = None
    elif modifier is None:
        day = _bare_weekday(weekday, pub, ctx.future(m.start()))
    elif modifier == 0:
        day = _week_monday(pub, 0) + timedelta(days=weekday)
    elif modifier < 0:
        day = pub - timedelta(days=(pub.weekday() - weekday - 1) % 7 + 1)
    else:
        day = pub + timedelta(days=(weekday - pub.weekday() - 1) % 7 + 1)
    return _Atom(_day(*m.span(), ctx.sentence, day), weekday=weekday)


def _en_period(m: re.Match[str], ctx: _Context) -> _Atom:
    """this week / last month / next year."""
    shift = ctx.tables["period_shifts_en"][m["eps"].lower()]
    unit = ctx.tables["period_units_en"][m["epu"].lower()]
    pub = ctx.published
    period: tuple[date, date] | None
    if pub is None:
        period = None
    elif unit == "week":
        period = _week_period(ctx, shift)
    elif unit == "month":
        period = _month_period(*_add_months(pub.year, pub.month, shift))
    else:
        period = date(pub.year + shift, 1, 1), date(pub.year + shift, 12, 31)
    return _Atom(_period(*m.span(), ctx.sentence, unit, period))


def _en_year(m: re.Match[str], ctx: _Context) -> _Atom:
    """ "in 2018": the year only (the preposition keeps counts like "2018 votes" out)."""
    year = int(m["yy"])
    begin, stop = m.span("yy")
    period = date(year, 1, 1), date(year, 12, 31)
    return _Atom(_period(begin, stop, ctx.sentence, "year", period), (year, None, None))


_HANDLERS = {
    "K_zhdate": _zh_date,
    "K_zhyear": _zh_year,
    "K_zhweekday": _zh_weekday,
    "K_zhweek": _zh_week,
    "K_zhrelday": _relative_day,
    "K_unresolved": _unresolved,
    "K_zhday": _zh_day,
    "K_iso": _iso,
    "K_mdy": _en_mdy,
    "K_dmy": _en_dmy,
    "K_my": _en_month_year,
    "K_inmonth": _en_in_month,
    "K_enweekday": _en_weekday,
    "K_enrelday": _relative_day,
    "K_enperiod": _en_period,
    "K_enyear": _en_year,
}


# --------------------------------------------------------------------------- merging


def _bracketed(first: _Atom, second: _Atom, ctx: _Context) -> _Atom | None:
    """周五（3月19日） / 25日（星期四） / "Friday, April 16th": one day written twice, one mention.

    The more explicit of the two (more stated fields) gives the date.
    """
    a, b = first.mention, second.mention
    if (
        a.precision != "day"
        or b.precision != "day"
        or a.start != a.end
        or b.start != b.end
    ):
        return None
    gap = ctx.text[a.stop : b.begin].strip()
    if gap in ctx.tables["open_brackets"]:
        rest = ctx.text[b.stop : b.stop + 3]
        closing = rest.lstrip()
        if not closing or closing[0] not in ctx.tables["close_brackets"]:
            return None
        stop = b.stop + len(rest) - len(closing) + 1
    elif first.weekday is not None and gap in ("", ",") and second.rank >= 2:
        stop = b.stop
    else:
        return None
    winner, loser = (second, first) if second.rank > first.rank else (first, second)
    if winner.mention.start is None:
        winner = loser
    text = ctx.sentence[a.begin : stop]
    return _Atom(
        replace(winner.mention, begin=a.begin, stop=stop, text=text), winner.fields
    )


def _second_day(first: DateMention, second: _Atom) -> tuple[date, date] | None:
    """The days of a range's second half, read after the first half (至23日 after 3月22日)."""
    year, month, day = second.fields
    b = second.mention
    if (
        first.end is not None and second.weekday is not None and second.rank == 0
    ):  # 周五至周日
        start = first.end + timedelta(days=(second.weekday - first.end.weekday()) % 7)
        return start, start
    if first.end is None or day is None or year is not None:
        return (b.start, b.end) if b.start is not None and b.end is not None else None
    if month is None:
        found = _day_after(first.end, day)
    else:
        found = _safe_date(first.end.year, month, day)
        if found is None or found < first.end:
            found = _safe_date(first.end.year + 1, month, day)
    if found is None:
        return None
    length = (
        (b.end - b.start) if b.start is not None and b.end is not None else timedelta(0)
    )
    return found, found + length


def _second_period(first: DateMention, second: _Atom) -> tuple[date, date] | None:
    """The period of a range's second half: 3月至5月 puts 5月 in the year of (or after) 3月."""
    year, month, _ = second.fields
    b = second.mention
    if (
        first.period_end is not None
        and second.mention.precision == "month"
        and month
        and year is None
    ):
        period = _month_period(first.period_end.year, month)
        if period[0] < first.period_start:  # type: ignore[operator]
            period = _month_period(first.period_end.year + 1, month)
        return period
    return (
        (b.period_start, b.period_end)
        if b.period_start is not None and b.period_end is not None
        else None
    )


def _ranged(first: _Atom, second: _Atom, ctx: _Context) -> _Atom | None:
    """3月22日至23日 / 3月30日至4月2日 / 上周五至前日 / March 22 to 25 / 3月至5月."""
    a, b = first.mention, second.mention
    gap = ctx.text[a.stop : b.begin].strip().lower()
    if a.precision != b.precision:
        return None
    if gap in ctx.tables["list_connectors"]:
        # 3月22、23日 / 18日、19日 is one stay; 2018年、2019年 or 3月1日、4月15日 are separate dates.
        if (
            a.precision != "day"
            or second.fields[0] is not None
            or second.fields[1] is not None
        ):
            return None
    elif gap not in ctx.tables["range_connectors"]:
        return None
    text = ctx.sentence[a.begin : b.stop]
    if a.precision == "day":
        days = _second_day(a, second)
        if a.start is None or days is None or days[1] < a.start:
            return None
        merged = DateMention(a.start, days[1], a.begin, b.stop, text, "day")
    else:
        period = _second_period(a, second)
        if a.period_start is None or period is None or period[1] < a.period_start:
            return None
        merged = DateMention(
            None, None, a.begin, b.stop, text, a.precision, a.period_start, period[1]
        )
    return _Atom(merged, first.fields)


def _merge(atoms: list[_Atom], ctx: _Context) -> list[_Atom]:
    """Join neighbours: first a weekday with its bracketed date, then the halves of ranges.

    Two passes, so that 周五（6月11日）至周日（6月13日） pairs each weekday with its own date before
    the range is built.
    """
    for join in (_bracketed, _ranged):
        merged: list[_Atom] = []
        for atom in atoms:
            joined = join(merged[-1], atom, ctx) if merged else None
            if joined is not None:
                merged[-1] = joined
            else:
                merged.append(atom)
        atoms = merged
    return atoms


# --------------------------------------------------------------------------- entry point


def find_dates(
    sentence: str, published: date | None, vocab: Vocabulary | None = None
) -> list[DateMention]:
    """All date expressions of ``sentence``, in order, resolved against ``published``.

    ``vocab`` defaults to schema/dates.yaml (loaded once). Never raises on odd text: what does not
    parse as a valid date is skipped. There is no separate pre-check pass: each pattern opens with
    a one-character lookahead (a digit, a Chinese numeral or the first letter of a date word), so a
    sentence without dates costs two fast scans (about 10 µs for 50 characters).
    """
    vocab = vocab or load_vocabulary()
    text = _normalise(sentence)
    ctx = _Context(sentence, text, published, vocab)
    atoms, en_atoms = _scan(vocab.zh_pattern, ctx), _scan(vocab.en_pattern, ctx)
    if en_atoms:
        atoms = _without_overlaps(sorted([*atoms, *en_atoms], key=_position))
    return [atom.mention for atom in _merge(atoms, ctx)] if atoms else []


def _scan(pattern: re.Pattern[str], ctx: _Context) -> list[_Atom]:
    atoms = []
    for match in pattern.finditer(ctx.text):
        handler = _HANDLERS.get(match.lastgroup or "")
        atom = handler(match, ctx) if handler is not None else None
        if atom is not None:
            atoms.append(atom)
    return atoms


def _position(atom: _Atom) -> tuple[int, int]:
    return atom.mention.begin, -atom.mention.stop


def _without_overlaps(atoms: list[_Atom]) -> list[_Atom]:
    """Keep the first (then the longest) of overlapping Chinese and English matches."""
    kept: list[_Atom] = []
    for atom in atoms:
        if not kept or atom.mention.begin >= kept[-1].mention.stop:
            kept.append(atom)
    return kept
