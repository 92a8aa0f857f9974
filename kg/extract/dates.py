"""Find date expressions in one sentence and resolve them against the article's publication date.

News rarely writes full dates: 周五, 22日, 3月22日至23日, 上月, "last Tuesday". Event dates in the
graph come from these, so each expression is resolved to calendar days when the text and the
publication date make that unambiguous, and left ``None`` otherwise -- a day is never invented.

Resolution rules (the ones a reader of the output needs to know):

* Missing year (3月22日) or month (22日): the candidate nearest the publication date, among the
  previous, same and next year (or month); on a tie the earlier one. "12月30日" in an article of
  2021-01-02 is 2020-12-30. Tense moves a month-day: after a future marker earlier in its clause
  (将于3月8日) it is the first one not long past, right after a past marker (已于) the last one not
  ahead (``future_horizon_days``/``past_horizon_days`` in schema/dates.yaml).
* Two-digit years before a month (15年3月2日, 九八年四月): the century that puts them at most
  ``two_digit_year_ahead`` years after publication.
* Bare weekday (周五, "on Friday"): the most recent such day on or before publication, or the first
  on or after it when the sentence carries a future marker (将于, 即将, "will" ... see
  ``future_markers`` in schema/dates.yaml). Chinese outlets use a bare weekday for the last or the
  coming few days, and a Monday article's 周四 is the past Thursday, so "same calendar week" is wrong.
* 本周五 / 上周三 / 下周一 / 上上周 / 下下周一: that weekday of the shifted Monday-to-Sunday week.
  English "last Tuesday" is the most recent Tuesday before publication, "next Tuesday" the first
  after it.
* 下周 / 上月 / 去年 / 2018年 / 3月 / 2019年1-5月 / 2018至2020年 / 三年前 / 一周前: week, month or
  year precision: ``start`` is ``None`` and the period is given in ``period_start``/``period_end``.
* Ranges and lists: 3月22日至23日, 1月3日至2月10日, 2014年11月到去年3月 (去年 from publication),
  9月10号、11号和12号 (days that follow each other are one range; other listed days stay separate
  and keep the first one's month).
* 次日 / 前一天 / 当天 / 同年 / 当月 / 三天后 / "two days later": counted from the time named last
  before them in the sentence, else from the caller's ``reference`` (the sentence before), else
  (Chinese words only) from publication. Inside a clause they count from an event the text names
  but does not date (特朗普卸任前一天, 访德当日, 上任两周后): no date; right after the clause's
  subject (华春莹翌日表示, 与拜登两天后通话: the names the caller gives) they count from the time
  named before them or the caller's ``reference``, never from publication. Years and months back
  (三年前, "seven years ago") are from publication; forward (两年后) only from a year named before
  them.
* Partly understood or ambiguous forms give no day: 上上上周, 前前天, 9·11事件, a phone number's
  20210322, 数日后 (a day, no date), 15年 alone (a duration).
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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from kg.errors import SchemaError
from kg.readers.text import CJK_CHAR
from kg.schema import load_yaml, schema_dir


_TEN = (
    "十"  # the tens marker of Chinese numerals (二十三), grammar rather than vocabulary
)


@dataclass(slots=True, unsafe_hash=True)  # a value, not frozen: see kg.extract.mentions.Mention
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
class DateVocabulary:
    """The loaded date vocabulary and the patterns compiled from it.

    Identity-hashed (``eq=False``) so that one loaded vocabulary is one cache entry.
    """

    tables: Mapping[str, Any]
    zh_pattern: re.Pattern[str]  # Chinese expressions and numeric dates (2020-09-11)
    en_pattern: re.Pattern[str]  # English expressions
    future: re.Pattern[str]
    past: re.Pattern[str]
    clause_break: re.Pattern[str]
    count_before: re.Pattern[str]
    count_after: re.Pattern[str]
    after_day_connector: re.Pattern[str]  # 10号、| 九号到| : a listed or ranged day follows
    offset_lead_in: re.Pattern[str]  # what may open a clause before an offset (在, 他 ...)
    offset_break: re.Pattern[str]  # the clause breaks after which an offset may stand
    subject_joiner: re.Pattern[str]  # 与 / 同 ...: joins a party to a subject before its time
    not_compact: re.Pattern[str]  # 电话 / 编号 ...: the words before an 8-digit number that is no date
    running_day: re.Pattern[str]  # 进入第三天: the day named is the Nth of an event that began before


@dataclass(frozen=True, slots=True)
class _Reference:
    """An expression counted from a time named elsewhere: ``amount`` days, months or years from
    the anchor, the time mentioned last before it in the sentence. Without one, ``fallback`` says
    where it counts from: "reference" (the caller's reference, else publication), "story" (the
    caller's reference only: "two days later", "the previous day" are never told from
    publication), or "none" (两年后, from an event the text does not date). "now" ignores the sentence ("three years
    ago" is from publication whatever came before); "adjacent" takes only a date right before it
    (周日当天), "dom" is a day of the month after a date of the sentence ("October 11th ... on the
    16th")."""

    unit: str  # "day" | "week" | "month" | "year"
    amount: int
    fallback: str = "reference"


_Anchor = tuple[date, date, str]  # the first and last day of a mention, and its precision


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
    shifted: bool = False  # a weekday of a named week (上周三): not read after a range's first half
    reference: _Reference | None = None  # 次日, 当月, 三天后: resolved from what was just mentioned

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


def load_vocabulary(folder: Path | None = None) -> DateVocabulary:
    """Read and compile ``dates.yaml`` of the schema (or of ``folder``)."""
    where = (folder or schema_dir()) / "dates.yaml"
    return build_vocabulary(load_yaml("dates.yaml", folder), where=str(where))


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
    "reference_days",
    "reference_years_zh",
    "reference_months_zh",
    "shift_not_after",
    "week_not_before",
    "day_word_not_after",
    "offset_units_zh",
    "offset_directions_zh",
    "count_numerals_zh",
    "vague_counts",
    "offset_not_before",
    "offset_lead_ins",
    "offset_subject_joiners",
    "offset_clause_breaks",
    "counts_en",
    "offset_units_en",
    "offset_directions_en",
    "offset_from_publication_en",
    "past_markers",
    "dotted_date_marks",
    "bare_date_followers",
    "quote_marks",
    "compact_date_not_after",
    "bare_day_not_before",
    "ordinal_day_prepositions_en",
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
    "future_marker_negations",
    "reference_word_not_after",
    "clause_breaks",
    "running_day_markers_zh",
)
_NUMBERS = ("two_digit_year_ahead", "future_horizon_days", "past_horizon_days")


def build_vocabulary(
    tables: Mapping[str, Any], where: str = "<vocabulary>"
) -> DateVocabulary:
    """Compile a vocabulary given as a mapping of tables (the parsed schema/dates.yaml)."""
    missing = [name for name in (*_REQUIRED, *_NUMBERS) if name not in tables]
    if missing:
        raise SchemaError(f"{where}: missing date tables {', '.join(missing)}")
    for name in _REQUIRED:
        words = [w for w in tables[name] if not isinstance(w, str)]
        if words:  # YAML 1.1 reads a bare on/no/yes as a boolean
            raise SchemaError(
                f"{where}: table {name} has non-text entries {words!r}; quote them"
            )
    for name in _NUMBERS:
        if not isinstance(tables[name], int) or tables[name] < 0:
            raise SchemaError(f"{where}: {name} must be a whole number of at least 0")
    t = tables
    connectors = _alt([*t["range_connectors"], *t["list_connectors"]])
    return DateVocabulary(
        tables=t,
        zh_pattern=re.compile(_zh_pattern(t)),
        en_pattern=re.compile(_en_pattern(t)),
        future=re.compile(
            "".join(f"(?<!{re.escape(w)})" for w in t["future_marker_negations"])
            + rf"(?:{_alt(w for w in t['future_markers'] if not w.isascii())}"
            + rf"|(?i:\b(?:{_alt(w for w in t['future_markers'] if w.isascii())})\b))"
        ),
        past=re.compile(rf"(?:{_alt(t['past_markers'])})\s*$"),
        clause_break=re.compile(_alt(t["clause_breaks"])),
        count_before=re.compile(rf"(?:{_alt(t['day_count_before'])})$"),
        count_after=re.compile(_alt(t["day_count_after"])),
        after_day_connector=re.compile(
            rf"(?:{_alt(t['day_suffixes'])})\s*(?:{connectors})\s*$"
        ),
        offset_lead_in=re.compile(rf"(?i:{_alt(t['offset_lead_ins'])})"),
        offset_break=re.compile(_alt(t["offset_clause_breaks"])),
        subject_joiner=re.compile(_alt(t["offset_subject_joiners"])),
        not_compact=re.compile(rf"(?i:{_alt(t['compact_date_not_after'])})\W{{0,2}}$"),
        running_day=re.compile(
            rf"(?:{_alt(t['running_day_markers_zh'])})(?P<n>\d{{1,2}}|{_cls([*t['zh_digits'], _TEN])}{{1,3}})"
            rf"(?:{_alt(t['offset_units_zh'])})"
        ),
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
    sentence fail on it at once instead of trying every branch.
    """
    return rf"(?={first_chars})(?:{'|'.join(branches)})"


def _zh_day_word(words: list[str], not_after: Iterable[str], not_before: Iterable[str]) -> str:
    """A day word (今天, 次日); one ending in 日 not before the characters that make it part of a
    longer word."""
    return (
        rf"(?<!{_cls(not_after)})(?:(?:{_alt(w for w in words if not w.endswith('日'))})"
        rf"|(?:{_alt(w for w in words if w.endswith('日'))})(?!{_cls(not_before)}))"
    )


def _zh_offset(t: Mapping[str, Any], digits: Mapping[str, int], z19: str, counts: list[str]) -> str:
    """三天后, 两周前, 3个月后: a count, a unit and a direction."""
    zh_count = rf"{z19}?{_TEN}{z19}?|{z19}|{_alt(c for c in counts if not c.isascii())}"
    units = t["offset_units_zh"]
    # 三日后 is three days later, but 3日后 the 3rd or three days: ASCII counts take no 日 unit
    return (
        rf"(?<![\d{''.join(digits)}{_TEN}百千万萬第每])(?:(?P<oc>{zh_count})(?P<ou>{_alt(units)})"
        rf"|(?P<oc2>\d{{1,3}})(?P<ou2>{_alt(u for u in units if u != '日')}))"
        rf"(?P<odir>{_alt(t['offset_directions_zh'])})(?!{_cls(t['offset_not_before'])})"
    )


def _zh_pattern(t: Mapping[str, Any]) -> str:
    """Chinese expressions and numeric dates. Order matters: longer shapes first."""
    digits: Mapping[str, int] = t["zh_digits"]
    zd = _cls(digits)  # all Chinese digits, for years written digit by digit (二〇二一)
    z19 = _cls(c for c, v in digits.items() if 1 <= v <= 9)
    # a two-digit year (15年3月, 九八年四月) only here, before a month: alone 15年 is a duration
    year = rf"\d{{4}}|{zd}{{4}}|\d{{2}}|{zd}{{2}}"
    month = rf"1[0-2]|0?[1-9]|{_TEN}[一二]?|{z19}"
    day = rf"[0-3]?\d|{z19}?{_TEN}{z19}?|{z19}"
    numstart = rf"(?<![\d.{''.join(digits)}{_TEN}百千万萬亿億几幾])"
    shift = rf"(?<!{_cls(t['shift_not_after'])})(?:{_alt(t['period_shifts_zh'])})"
    measure = f"(?:{_alt(t['measure_words_zh'])})?"
    sep = _alt(  # 19至23日 as 22、23日; not the English words (to, and)
        c for c in [*t["range_connectors"], *t["list_connectors"]] if not c.isascii() or not c.isalpha()
    )
    rsep = _alt(c for c in t["range_connectors"] if not c.isascii() or not c.isalpha())
    dsuf = _alt(t["day_suffixes"])
    psuf = rf"(?:(?:{_alt(t['period_suffixes_zh'])})(?!{_cls(t['period_suffix_not_before'])}))"
    ryear = _alt(t["relative_years_zh"])
    wpre = _alt(t["weekday_prefixes"])
    zh_days = [w for w in t["relative_days"] if not w.isascii()]
    zh_refs = [w for w in t["reference_days"] if not w.isascii()]
    day_word = _zh_day_word(zh_days, t["day_word_not_after"], t["day_word_not_before"])
    ref_word = _zh_day_word(zh_refs, t["reference_word_not_after"], t["day_word_not_before"])
    bare_day_stop = _cls([*"0123456789", *digits, _TEN, *t["bare_day_not_before"]])
    counts = [*t["count_numerals_zh"], *t["vague_counts"]]
    offset = _zh_offset(t, digits, z19, counts)
    branches = [
        rf"(?P<nd>{_alt(t['not_dates'])})(?P<K_skip>)",
        rf"{offset}(?P<K_offset>)",
        (
            rf"(?<![\d.])(?P<ya>(?:19|20)\d\d)\.(?P<ma>1[0-2]|0?[1-9])(?P<ymsep>{rsep})"
            rf"(?P<yb>(?:19|20)\d\d)\.(?P<mb>1[0-2]|0?[1-9])(?![\d.])(?P<K_ymrange>)"
        ),
        rf"{numstart}(?P<yr1>\d{{4}})(?P<yrsep>{rsep})(?P<yr2>\d{{4}})年(?P<K_yearrange>)",
        (
            rf"{numstart}(?:(?P<y>{year})年|(?P<ry>{ryear}))?"
            rf"(?:(?P<m>{month})(?:(?P<msep>{rsep})(?P<m2>{month}))?月|(?P<rms>{shift}){measure}月)"
            rf"(?:(?P<d>{day})(?:(?P<dsep>{sep})(?P<d2>{day}))?(?P<dsuf>{dsuf})|{psuf}"
            rf"|(?P<bd>{day})(?!{bare_day_stop}))?(?P<K_zhdate>)"
        ),
        rf"{numstart}(?:(?P<y2>\d{{4}}|{zd}{{4}})年|(?P<ry2>{ryear})){psuf}?(?P<K_zhyear>)",
        rf"(?P<rfy>{_alt(t['reference_years_zh'])})(?P<K_refyear>)",
        rf"(?P<rfm>{_alt(t['reference_months_zh'])}){psuf}?(?P<K_refmonth>)",
        (
            rf"(?:(?P<ws>{shift}){measure}|(?<!{_cls([*t['weekday_not_after'], *t['shift_not_after']])}))"
            rf"(?:{wpre})(?P<wn>{_cls(t['weekday_names_zh'])})(?!{_cls(t['weekday_not_before'])})(?P<K_zhweekday>)"
        ),
        rf"(?P<wks>{shift}){measure}(?:{wpre})(?!{_cls(t['week_not_before'])}){psuf}?(?P<K_zhweek>)",
        rf"(?P<rd>{day_word})(?P<K_zhrelday>)",
        rf"(?P<rf>{ref_word})(?P<K_refday>)",
        rf"{numstart}(?P<dd>{day})(?:(?P<ddsep>{sep})(?P<dd2>{day}))?(?P<ddsuf>{dsuf})(?P<K_zhday>)",
        r"(?<![\d.])(?P<iy>(?:19|20)\d\d)(?P<isep>[-/.])(?P<im>[01]?\d)(?P=isep)(?P<id>[0-3]?\d)(?![\d.]?\d)(?P<K_iso>)",
        (
            rf"{numstart}(?P<pm>1[0-2]|0?[1-9])(?:{_alt(t['dotted_date_marks'])})"
            rf"(?P<pd>[12]\d|3[01]|0?[1-9])(?![\d.])(?P<K_dotted>)"
        ),
        (
            r"(?<![0-9A-Za-z.\-/#=&_])(?P<cy>(?:19|20)\d\d)(?P<cm>0[1-9]|1[0-2])(?P<cd>0[1-9]|[12]\d|3[01])"
            r"(?![0-9A-Za-z.\-/%号號_])(?P<K_compact>)"
        ),
    ]
    words = [
        *t["not_dates"],
        *t["period_shifts_zh"],
        *t["weekday_prefixes"],
        *t["relative_years_zh"],
        *t["reference_years_zh"],
        *t["reference_months_zh"],
        *zh_days,
        *zh_refs,
        *counts,
    ]
    first = {w[0] for w in words if not w.isascii()} | set(digits) | {_TEN}
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
    en_refs = [w for w in t["reference_days"] if w.isascii()]
    en_vague = [w for w in t["vague_counts"] if w.isascii()]
    year_shift = rf"(?i:{_alt(t['period_shifts_en'])})\s+(?i:year)\b"  # "February last year"
    branches = [
        (
            rf"\b(?P<em>{months})\.?\s+(?P<ed>[0-3]?\d){ordinal}(?:{en_sep}(?P<ed2>[0-3]?\d){ordinal})?"
            rf"(?:,?\s+(?P<ey>{en_year}))?(?![\d:])(?P<K_mdy>)"
        ),
        (
            rf"(?<![\d.])(?P<fd>[0-3]?\d){ordinal}(?:{en_sep}(?P<fd2>[0-3]?\d){ordinal})?\s+(?:of\s+)?"
            rf"(?P<fm>{months})\b\.?(?:,?\s+(?P<fy>{en_year}))?(?P<K_dmy>)"
        ),
        (
            rf"\b(?i:between)\s+(?:(?P<bd>[0-3]?\d){ordinal}\s+and\s+(?P<bd2>[0-3]?\d){ordinal}\s+(?:of\s+)?"
            rf"(?P<bm>{months})\b\.?|(?P<bm2>{months})\.?\s+(?P<bd3>[0-3]?\d){ordinal}\s+and\s+"
            rf"(?P<bd4>[0-3]?\d){ordinal}\b)(?:,?\s+(?P<by>{en_year}))?(?P<K_between>)"
        ),
        rf"\b(?P<gm>{months})\.?,?\s+(?P<gy>{en_year})(?P<K_my>)",
        rf"\b(?i:{preps})[\s-]+(?P<hm>{full_months})\b(?!\.?,?\s*\d)(?!\s+{year_shift})(?P<K_inmonth>)",
        rf"\b(?P<sm>{full_months})\s+(?P<ss>{year_shift})(?P<K_enmonthshift>)",
        rf"\b(?P<ep>(?i:{wmods}))\s+(?P<ew>{weekdays})\b(?P<K_enweekday>)",
        rf"\b(?P<er>(?i:{_alt(en_days)}))\b(?!['’]s)(?P<K_enrelday>)",
        rf"\b(?P<erf>(?i:{_alt(en_refs)}))\b(?!['’]s)(?P<K_enrefday>)",
        (
            rf"\b(?P<eoc>(?i:{_alt([*t['counts_en'], *en_vague])})|\d{{1,3}})\s+(?P<eou>(?i:{_alt(t['offset_units_en'])}))"
            rf"\s+(?P<eod>(?i:{_alt(t['offset_directions_en'])}))\b(?P<K_enoffset>)"
        ),
        (
            rf"\b(?i:{_alt(t['ordinal_day_prepositions_en'])})\s+the\s+(?P<od>[0-3]?\d)(?:st|nd|rd|th)\b"
            rf"(?!\s*[A-Za-z\d])(?P<K_enordinal>)"
        ),
        rf"\b(?P<eps>(?i:{_alt(t['period_shifts_en'])}))\s+(?P<epu>(?i:{_alt(t['period_units_en'])}))\b(?P<K_enperiod>)",
        rf"\b(?i:{preps})\s+(?P<yy>{en_year})(?![-–/]\d)(?P<K_enyear>)",
    ]
    insensitive = [
        *t["date_prepositions_en"],
        *t["weekday_modifiers_en"],
        *en_days,
        *en_refs,
        *en_vague,
        *t["counts_en"],
        *t["period_shifts_en"],
        "between",
    ]
    first = {w[0] for w in t["months_en"]} | {
        c for w in insensitive for c in (w[0].lower(), w[0].upper())
    }
    # every English shape starts a word: a letter inside a word is no start ("Tuesday" is tried
    # once, not at its u, e, s, d, a and y)
    return _guarded(branches, rf"\d|\b[{''.join(sorted(first))}]")


# --------------------------------------------------------------------------- normalisation


@functools.cache
def _nfkc() -> tuple[re.Pattern[str], dict[str, str]]:
    """NFKC for the characters it maps to exactly one other character (３ -> 3, ～ -> ~), and a
    pattern of those characters.

    Restricting to one-to-one mappings keeps every offset of the normalised text valid in the
    original sentence. The pattern finds the few characters of a sentence to replace (fewer than
    two on average): ``str.translate`` looks every character up in the table, three times slower.
    """
    table: dict[str, str] = {}
    for cp in range(0x2000, 0x10000):
        if 0xD800 <= cp < 0xE000:
            continue
        ch = chr(cp)
        mapped = unicodedata.normalize("NFKC", ch)
        if len(mapped) == 1 and mapped != ch:
            table[ch] = mapped
    return re.compile(f"[{''.join(re.escape(c) for c in sorted(table))}]"), table


def _normalise(sentence: str) -> str:
    if sentence.isascii():
        return sentence
    pattern, table = _nfkc()
    return pattern.sub(lambda m: table[m.group()], sentence)


# --------------------------------------------------------------------------- calendar helpers


@dataclass(frozen=True, slots=True)
class Tense:
    """What the clause of an expression says about its time: a future or a past marker."""

    future: bool = False
    past: bool = False
    horizon: int = 0  # days on the other side of publication a marked date may still fall


_NO_TENSE = Tense()


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


def _tensed(
    candidates: Iterable[tuple[date, date]], published: date, tense: Tense
) -> tuple[date, date] | None:
    """The candidate period the tense points to: after a future marker the first one not over by
    publication, after a past marker the last one begun by then (either within the horizon on the
    other side of publication), otherwise the nearest."""
    periods = list(candidates)
    if tense.future:
        since = published - timedelta(days=tense.horizon)
        return min((p for p in periods if p[1] >= since), default=None)
    if tense.past:
        soon = published + timedelta(days=tense.horizon)
        return max((p for p in periods if p[0] <= soon), default=None)
    return _nearest(periods, published)


def _resolve_md(
    month: int, day: int, published: date | None, tense: Tense
) -> date | None:
    if published is None:
        return None
    days = (
        _safe_date(y, month, day)
        for y in (published.year - 1, published.year, published.year + 1)
    )
    best = _tensed(((d, d) for d in days if d is not None), published, tense)
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

    __slots__ = ("names", "published", "reference", "sentence", "text", "vocab")

    def __init__(
        self,
        sentence: str,
        text: str,
        published: date | None,
        vocab: DateVocabulary,
        reference: _Anchor | None = None,
        names: Sequence[tuple[int, int]] = (),
    ) -> None:
        self.sentence = sentence
        self.text = text
        self.published = published
        self.vocab = vocab
        self.reference = reference
        self.names = names

    @property
    def tables(self) -> Mapping[str, Any]:
        return self.vocab.tables

    def clause_start(self, at: int) -> int:
        return max(
            (m.end() for m in self.vocab.clause_break.finditer(self.text, 0, at)),
            default=0,
        )

    def future(self, at: int) -> bool:
        """Does the clause around offset ``at`` carry a future marker (将于, will ...)?

        The clause, not the sentence: "热火队即将……，央视周五宣布" is a past Friday.
        """
        start = self.clause_start(at)
        found = self.vocab.clause_break.search(self.text, at)
        return (
            self.vocab.future.search(
                self.text, start, found.start() if found else len(self.text)
            )
            is not None
        )

    def tense(self, at: int) -> Tense:
        """The tense of the expression at ``at``: a future marker before it in its clause
        (将于3月8日; one after it qualifies a later verb: 8月4日宣布他将……), or a past marker right
        before it (已于3月8日; 欧盟已表示……10月31日前 is not past)."""
        if self.vocab.future.search(self.text, self.clause_start(at), at):
            return Tense(future=True, horizon=self.tables["future_horizon_days"])
        if self.vocab.past.search(self.text, self.clause_start(at), at):  # ends at the date
            return Tense(past=True, horizon=self.tables["past_horizon_days"])
        return _NO_TENSE

    def _lead(self, start: int, at: int) -> str:
        return self.text[start:at].strip(" \u3000\"“”「」")

    def _offset_clause(self, at: int) -> int:
        return max(
            (m.end() for m in self.vocab.offset_break.finditer(self.text, 0, at)), default=0
        )

    def opens_clause(self, at: int) -> bool:
        """Is offset ``at`` the start of its clause, but for a lead-in (在, 他 ...)?

        An offset inside a clause (上任两周后) counts from an event the text does not date.
        """
        lead = self._lead(self._offset_clause(at), at)
        return not lead or self.vocab.offset_lead_in.fullmatch(lead) is not None

    def after_subject(self, at: int) -> bool:
        """Does offset ``at`` follow its clause's subject (华春莹翌日表示, 与拜登两天后通话)?

        The subject is a run of the names the caller gave, ending right before ``at``, with before
        it nothing, a lead-in or a joining word (与). A verb or any other word before the names
        (会见布林肯两天后, 上任两周后) makes the offset count from an event the text does not date.
        """
        start = self._offset_clause(at)
        end = at
        for begin, stop in sorted(self.names, reverse=True):
            if begin < start or stop > end or self.text[stop:end].strip():
                continue
            end = begin
        if end == at:
            return False
        lead = self._lead(start, end)
        vocab = self.vocab
        return not lead or any(p.fullmatch(lead) for p in (vocab.offset_lead_in, vocab.subject_joiner))

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
    at: int,
) -> tuple[date | None, bool]:
    """Resolve day ``day``; returns (date or None, valid). Invalid dates (2月30日) are not valid.

    ``relative`` is a (year, month) already known from 上月/本月; without it a missing year is
    chosen by the tense of the clause at ``at`` (see :meth:`_Context.tense`) and a missing month
    nearest the publication date.
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
        return _resolve_md(month, day, ctx.published, ctx.tense(at)), True
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


def _two_digit_year(value: int, published: date | None, ahead: int) -> int | None:
    """15年 -> 2015, 98年 -> 1998: the century that puts the year at most ``ahead`` years after
    publication; unknown without a publication date."""
    if published is None:
        return None
    year = published.year // 100 * 100 + value
    return year if year <= published.year + ahead else year - 100


def _zh_date(m: re.Match[str], ctx: _Context) -> _Atom | None:
    """3月22日 / 2021年3月22日至23日 / 二〇二一年三月二十二日 / 今年3月 / 上月20日 / 3月底 / 15年3月2日
    / 2019年1-5月 / 四月十三."""
    begin, stop = m.span()
    pub = ctx.published
    year = _zh_date_year(m, ctx)
    if m["y"] and year is None:  # the year is stated but not known: no day rather than a guess
        return _Atom(_day(begin, stop, ctx.sentence, None))
    month = ctx.num(m["m"]) if m["m"] else None
    if month is not None and not 1 <= month <= 12:
        return None
    relative: tuple[int, int] | None = None
    if m["rms"] is not None and pub is not None:
        relative = _add_months(
            pub.year, pub.month, ctx.tables["period_shifts_zh"][m["rms"]]
        )
    if m["bd"] and not _may_end_date(ctx, stop):
        return None
    raw_day = m["d"] or m["bd"]
    fields = (year, month, ctx.num(raw_day) if raw_day else None)
    if m["m2"]:
        return _month_range(m, ctx, year, month or 0, ctx.num(m["m2"]), fields)
    if raw_day is None:
        return _Atom(_period(begin, stop, ctx.sentence, "month", _zh_month(year, month, relative, pub)), fields)
    if m["ry"] is not None and year is None:  # 去年3月22日 without a publication date
        return _Atom(_day(begin, stop, ctx.sentence, None), fields)
    start, valid = _calendar_day(ctx, year, month, fields[2] or 0, relative, begin)
    if not valid:
        return None
    mention = _with_second_day(
        ctx, begin, stop, start, ctx.num(m["d2"]) if m["d2"] else None
    )
    return None if mention is None else _Atom(mention, fields)


def _zh_date_year(m: re.Match[str], ctx: _Context) -> int | None:
    """The year of a Chinese date: written (2021年, 二〇二一年, 15年: the century nearest
    publication) or relative to publication (今年, 去年); None when not stated or not known."""
    if m["y"]:
        year = ctx.num(m["y"])
        if len(m["y"]) == 2:
            return _two_digit_year(year, ctx.published, ctx.tables["two_digit_year_ahead"])
        return year
    if m["ry"] is not None and ctx.published is not None:
        return ctx.published.year + ctx.tables["relative_years_zh"][m["ry"]]
    return None


def _zh_month(year: int | None, month: int | None, relative: tuple[int, int] | None,
              pub: date | None) -> tuple[date, date] | None:
    """The period of a month named without a day: shifted from publication (上月), of the year
    stated, or the nearest one (3月)."""
    if relative is not None:
        return _month_period(*relative)
    if month is None:
        return None
    return _month_period(year, month) if year is not None else _resolve_m(month, pub)


def _month_range(
    m: re.Match[str],
    ctx: _Context,
    year: int | None,
    first: int,
    last: int,
    fields: tuple[int | None, int | None, int | None],
) -> _Atom | None:
    """2019年1-5月 / 3至5月: months of one year (a day after it, 1-5月3日, is not understood)."""
    if m["d"] or m["bd"] or not 1 <= first < last <= 12:
        return None
    begin, stop = m.span()
    if year is None:
        found = _resolve_m(first, ctx.published)
        year = found[0].year if found else None
    period = (
        (date(year, first, 1), _month_period(year, last)[1]) if year is not None else None
    )
    return _Atom(_period(begin, stop, ctx.sentence, "month", period), fields)


def _year_range(m: re.Match[str], ctx: _Context) -> _Atom | None:
    """2018至2020年 / 2018-2020年: the years from the first to the last."""
    first, last = int(m["yr1"]), int(m["yr2"])
    if not 1 <= first <= last:
        return None
    period = date(first, 1, 1), date(last, 12, 31)
    return _Atom(_period(*m.span(), ctx.sentence, "year", period), (first, None, None))


def _year_month_range(m: re.Match[str], ctx: _Context) -> _Atom | None:
    """1999.08-2002.02: from the first month to the last."""
    start = _month_period(int(m["ya"]), int(m["ma"]))[0]
    end = _month_period(int(m["yb"]), int(m["mb"]))[1]
    if end < start:
        return None
    return _Atom(
        _period(*m.span(), ctx.sentence, "month", (start, end)),
        (start.year, start.month, None),
    )


def _dotted(m: re.Match[str], ctx: _Context) -> _Atom | None:
    """3·22: a month and day, unless it names something (“9·11”, 9·11事件)."""
    begin, stop = m.span()
    quotes = ctx.tables["quote_marks"]
    after = ctx.text[stop : stop + 1]
    if (begin and ctx.text[begin - 1] in quotes) or after in quotes:
        return None
    if not _may_end_date(ctx, stop):
        return None
    month, day = int(m["pm"]), int(m["pd"])
    start, valid = _calendar_day(ctx, None, month, day, None, begin)
    return _Atom(_day(begin, stop, ctx.sentence, start), (None, month, day)) if valid else None


def _may_end_date(ctx: _Context, stop: int) -> bool:
    """Can a date written without 日/号 (3·22, 四月十三) end at ``stop``? Not before a Chinese
    character other than a few that follow dates (晚, 起, 举 ...): 今年3月四國, 9·11事件."""
    after = ctx.text[stop : stop + 1]
    return not after or not CJK_CHAR.match(after) or after in ctx.tables["bare_date_followers"]


def _compact(m: re.Match[str], ctx: _Context) -> _Atom | None:
    """20210322: eight digits that are a valid date, not a phone, document or order number and
    not after publication (by more than a year)."""
    begin = m.start()
    if ctx.vocab.not_compact.search(ctx.text, max(0, begin - 8), begin):
        return None
    found = _safe_date(int(m["cy"]), int(m["cm"]), int(m["cd"]))
    pub = ctx.published
    if found is None or (pub is not None and found.year > pub.year + 1):
        return None
    return _Atom(_day(*m.span(), ctx.sentence, found), (found.year, found.month, found.day))


def _offset(m: re.Match[str], ctx: _Context) -> _Atom | None:
    """20天后 / 三年前 / 4个星期之后 / 数日后: a count of units before or after a day.

    Days and weeks count from the reference day, months and years from publication. A vague count
    (数, 几) gives the mention without a date; an offset inside its clause (上任两周后) none.
    """
    raw, unit_word = (m["oc"], m["ou"]) if m["oc"] else (m["oc2"], m["ou2"])
    tables = ctx.tables
    unit = tables["offset_units_zh"][unit_word]
    numerals = tables["count_numerals_zh"]
    count: int | None
    if raw in tables["vague_counts"]:
        count = None
    else:
        count = numerals[raw] if raw in numerals else ctx.num(raw)
    fallback = None
    if not ctx.opens_clause(m.start()):
        if not ctx.after_subject(m.start()) or unit != "day":
            return None  # counted from an event the text does not date: no time at all
        fallback = "story"  # 与拜登两天后通话: from the day named before, never from publication
    direction = tables["offset_directions_zh"][m["odir"]]
    return _offset_atom(m.span(), ctx, unit, None if count is None else direction * count, fallback)


def _en_offset(m: re.Match[str], ctx: _Context) -> _Atom:
    """ "two days later" (from the reference day), "three years ago" (from publication)."""
    tables = ctx.tables
    raw = m["eoc"].lower()
    count = int(raw) if raw.isdigit() else tables["counts_en"].get(raw)
    unit = tables["offset_units_en"][m["eou"].lower()]
    word = m["eod"].lower()
    amount = None if count is None else tables["offset_directions_en"][word] * count
    if word in tables["offset_from_publication_en"]:
        fallback = "now"
    else:  # "four years earlier", "two days later": told from a time of the story, never from now
        fallback = "story" if unit in ("day", "week") else "none"
    return _offset_atom(m.span(), ctx, unit, amount, fallback)


def _offset_atom(
    span: tuple[int, int],
    ctx: _Context,
    unit: str,
    amount: int | None,
    fallback: str | None = None,
) -> _Atom:
    """The mention of an offset of ``amount`` units (None: not known), waiting for its anchor;
    weeks, months and years keep their precision (一周前 is the calendar week of the day seven days
    before, not that day: "a week ago" is approximate). Without a time before it
    in the sentence, days count from the reference day, months and years back from publication
    (三年前) but not forward (两年后 counts from an event the text does not date). Years and months
    back are always from publication (三年前 is "three years ago", whatever year the sentence
    named), forward only from a time of the same precision named before them in the sentence
    (1973年……两年后; not 7月8日……50年后). Days and weeks count from the day just named: news
    tells 两天前 from its story's day, which the publication date (UTC) often is not."""
    mention = (
        _day(*span, ctx.sentence, None)
        if unit == "day"
        else _period(*span, ctx.sentence, unit, None)
    )
    if amount is None:
        return _Atom(mention)
    if fallback is None:
        fallback = "reference" if unit in ("day", "week") else "now" if amount < 0 else "none"
    return _Atom(mention, reference=_Reference(unit, amount, fallback))


def _reference_word(m: re.Match[str], ctx: _Context) -> _Atom:
    """次日 / 前一天 / 当天 / "the next day": a day from the reference day.

    A Chinese one inside its clause counts from an event, not from a day named before: the same
    day (王毅访德当日) only from a time named earlier in the sentence (22日当天, 周日当天), another
    day only from the date right before it (特朗普卸任前一天 is not the day before 1月19日).
    """
    word = m[0] if m[0] in ctx.tables["reference_days"] else m[0].lower()
    amount = ctx.tables["reference_days"][word]
    fallback = "reference" if m.lastgroup == "K_refday" else "story"  # "the previous day"
    if m.lastgroup == "K_refday" and not ctx.opens_clause(m.start()):
        fallback = "story" if ctx.after_subject(m.start()) else "none" if amount == 0 else "adjacent"
    return _Atom(
        _day(*m.span(), ctx.sentence, None), reference=_Reference("day", amount, fallback)
    )


def _reference_year(m: re.Match[str], ctx: _Context) -> _Atom:
    """这一年 / 次年 / 上一年: a year from the reference day's."""
    return _Atom(
        _period(*m.span(), ctx.sentence, "year", None),
        reference=_Reference("year", ctx.tables["reference_years_zh"][m["rfy"]]),
    )


def _reference_month(m: re.Match[str], ctx: _Context) -> _Atom:
    """当月 / 次月: a month from the reference day's."""
    return _Atom(
        _period(*m.span(), ctx.sentence, "month", None),
        reference=_Reference("month", ctx.tables["reference_months_zh"][m["rfm"]]),
    )


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
    return _Atom(
        _day(*m.span(), ctx.sentence, day), weekday=weekday, shifted=m["ws"] is not None
    )


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


def _zh_day(m: re.Match[str], ctx: _Context) -> _Atom | None:
    """22日 / 二十三日 / 19日至20日 / 22、23日 -- a day of the month nearest the publication date.

    Rejected when it looks like a count of days (停加关税90日, 15日内), has a 号 suffix (19号 names
    buildings and spacecraft), or is a one-character Chinese numeral (一日, 三日 are durations) --
    unless it continues a list or range of days (10号、11号和12号 / 九号到十五号).
    """
    begin, stop = m.span()
    raw = m["dd"]
    continues = ctx.vocab.after_day_connector.search(ctx.text, max(0, begin - 6), begin)
    if not continues and (
        m["ddsuf"] not in ctx.tables["bare_day_suffixes"]
        or (len(raw) == 1 and not raw.isascii())
    ):
        return None
    if ctx.vocab.count_before.search(
        ctx.text, max(0, begin - 2), begin
    ) or ctx.vocab.count_after.match(ctx.text, stop):
        return None
    day = ctx.num(raw)
    start, valid = _calendar_day(ctx, None, None, day, None, begin)
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
    start, valid = _calendar_day(ctx, year, month, day, None, m.start())
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


def _en_between(m: re.Match[str], ctx: _Context) -> _Atom | None:
    """ "between 22 and 25 March" / "between March 22 and 25"."""
    if m["bm"]:
        return _en_day(m, ctx, "bm", "bd", "bd2", "by")
    return _en_day(m, ctx, "bm2", "bd3", "bd4", "by")


def _en_ordinal(m: re.Match[str], ctx: _Context) -> _Atom | None:
    """ "on the 18th": a day of the month nearest publication."""
    day = int(m["od"])
    start, valid = _calendar_day(ctx, None, None, day, None, m.start())
    if not valid:
        return None
    return _Atom(
        _day(*m.span(), ctx.sentence, start), (None, None, day), reference=_Reference("day", day, "dom")
    )


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


def _en_month_shifted(m: re.Match[str], ctx: _Context) -> _Atom:
    """ "February last year", "November next year": the month of the year named from publication."""
    month = ctx.tables["months_en"][m["sm"]]
    shift = ctx.tables["period_shifts_en"][m["ss"].split()[0].lower()]
    year = ctx.published.year + shift if ctx.published else None
    period = _month_period(year, month) if year else None
    return _Atom(_period(*m.span(), ctx.sentence, "month", period), (year, month, None))


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
    "K_offset": _offset,
    "K_ymrange": _year_month_range,
    "K_yearrange": _year_range,
    "K_refyear": _reference_year,
    "K_refmonth": _reference_month,
    "K_refday": _reference_word,
    "K_dotted": _dotted,
    "K_compact": _compact,
    "K_between": _en_between,
    "K_enrefday": _reference_word,
    "K_enoffset": _en_offset,
    "K_enordinal": _en_ordinal,
    "K_zhday": _zh_day,
    "K_iso": _iso,
    "K_mdy": _en_mdy,
    "K_dmy": _en_dmy,
    "K_my": _en_month_year,
    "K_inmonth": _en_in_month,
    "K_enmonthshift": _en_month_shifted,
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
        first.end is not None
        and second.weekday is not None
        and second.rank == 0
        and not second.shifted
    ):  # 周五至周日 (上周三到本周二 names its own week)
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


def _ranged(first: _Atom, second: _Atom, ctx: _Context) -> list[_Atom] | None:
    """3月22日至23日 / 3月30日至4月2日 / 上周五至前日 / March 22 to 25 / 3月至5月, and lists of
    days (9月10号、11号和12号: one range when the days follow each other, else separate days that
    keep the first one's month and year). Returns what replaces the pair, or None."""
    a, b = first.mention, second.mention
    gap = ctx.text[a.stop : b.begin].strip().lower()
    if a.precision != b.precision:
        return None
    listed = gap in ctx.tables["list_connectors"]
    if listed:
        # 2018年、2019年 or 3月1日、4月15日 are separate dates, and so is 3月5日和周五
        if a.precision != "day" or second.fields[2] is None or second.rank > 1:
            return None
    elif gap not in ctx.tables["range_connectors"]:
        return None
    text = ctx.sentence[a.begin : b.stop]
    if a.precision == "day":
        days = _second_day(a, second)
        if a.start is None or a.end is None or days is None or days[1] < a.start:
            return None
        if listed and days[0] - a.end != timedelta(days=1):
            if days[0] <= a.end:
                return None
            return [first, _Atom(replace(b, start=days[0], end=days[1]), second.fields)]
        merged = DateMention(a.start, days[1], a.begin, b.stop, text, "day")
    else:
        period = _second_period(a, second)
        if a.period_start is None or period is None or period[1] < a.period_start:
            return None
        merged = DateMention(
            None, None, a.begin, b.stop, text, a.precision, a.period_start, period[1]
        )
    return [_Atom(merged, first.fields)]


def _bracketed_pair(first: _Atom, second: _Atom, ctx: _Context) -> list[_Atom] | None:
    joined = _bracketed(first, second, ctx)
    return None if joined is None else [joined]


def _merge(atoms: list[_Atom], ctx: _Context) -> list[_Atom]:
    """Join neighbours: first a weekday with its bracketed date, then the halves of ranges.

    Two passes, so that 周五（6月11日）至周日（6月13日） pairs each weekday with its own date before
    the range is built.
    """
    for join in (_bracketed_pair, _ranged):
        merged: list[_Atom] = []
        for atom in atoms:
            joined = join(merged[-1], atom, ctx) if merged else None
            if joined is not None:
                merged[-1:] = joined
            else:
                merged.append(atom)
        atoms = merged
    return atoms


def _resolved(atom: _Atom, anchor: _Anchor | None) -> _Atom:
    """A reference-dependent atom (次日, 当月, 三天后) resolved from ``anchor``. A later time counts
    from the anchor's last day, an earlier one from its first; the same day, month or year only
    when the anchor lies within one; a day only from a day (2019年5月……次日 is not known)."""
    assert atom.reference is not None
    unit, amount = atom.reference.unit, atom.reference.amount
    mention = atom.mention
    if anchor is None:
        return _Atom(mention)
    first, last, precision = anchor
    base = last if amount > 0 else first
    coarse = {"day": 0, "week": 1, "month": 2, "year": 3}
    if coarse[precision] > coarse[unit] - (unit == "week") or (
        atom.reference.fallback == "none" and amount and precision != unit
    ) or (
        amount == 0
        and (
            (unit == "day" and first != last)
            or (unit == "month" and (first.year, first.month) != (last.year, last.month))
            or (unit == "year" and first.year != last.year)
        )
    ):
        return _Atom(mention)
    try:
        if unit == "day":
            day = base + timedelta(days=amount)
            return _Atom(replace(mention, start=day, end=day))
        if unit == "week":
            day = base + timedelta(weeks=amount)
            start = day - timedelta(days=day.weekday())
            return _Atom(replace(mention, period_start=start, period_end=start + timedelta(days=6)))
        if unit == "month":
            start, end = _month_period(*_add_months(base.year, base.month, amount))
        else:
            start, end = date(base.year + amount, 1, 1), date(base.year + amount, 12, 31)
    except (OverflowError, ValueError):  # beyond the calendar: no date
        return _Atom(mention)
    return _Atom(replace(mention, period_start=start, period_end=end))


def _anchor_of(mention: DateMention) -> _Anchor | None:
    if mention.start is not None and mention.end is not None:
        return mention.start, mention.end, mention.precision
    if mention.period_start is not None and mention.period_end is not None:
        return mention.period_start, mention.period_end, mention.precision
    return None


def _with_references(atoms: list[_Atom], ctx: _Context) -> list[_Atom]:
    """Resolve 次日 / 当月 / 三天后 from the time mentioned last before them in the sentence, else
    as their fallback says (the caller's reference, publication, or nothing)."""
    pub = ctx.published
    published = (pub, pub, "day") if pub is not None else None
    fallbacks = {"reference": ctx.reference or published, "story": ctx.reference, "now": published}
    anchor: _Anchor | None = None
    stop = -1  # where the last mention with a time ends
    out = []
    for atom in atoms:
        ref = atom.reference
        if ref is not None:
            if ref.fallback == "dom":
                atom = _day_of_month(atom, anchor)
            else:
                adjacent = not ctx.text[stop : atom.mention.begin].strip()
                if ref.fallback == "now":
                    use = published
                elif anchor is not None and (ref.fallback != "adjacent" or adjacent):
                    use = anchor
                else:
                    use = fallbacks.get(ref.fallback)
                atom = _resolved(atom, use)
        found = _anchor_of(atom.mention)
        if found is not None:
            anchor, stop = found, atom.mention.stop
        out.append(atom)
    return out


def _day_of_month(atom: _Atom, anchor: _Anchor | None) -> _Atom:
    """ "on the 16th" after "October 11th" in the same sentence: that month's (or the next) day;
    with no day named before, the day nearest publication it already has."""
    assert atom.reference is not None
    if anchor is None or anchor[2] != "day":
        return _Atom(atom.mention, atom.fields)
    day = _day_after(anchor[1], atom.reference.amount)
    return _Atom(replace(atom.mention, start=day, end=day), atom.fields)


# --------------------------------------------------------------------------- entry point


def find_dates(
    sentence: str,
    published: date | None,
    vocab: DateVocabulary,
    *,
    reference: date | DateMention | None = None,
    names: Sequence[tuple[int, int]] = (),
) -> list[DateMention]:
    """All date expressions of ``sentence``, in order, resolved against ``published``.

    ``reference`` is the day (or the mention: a range, a month, a year) just named in the article,
    from which 次日 / 前一天 / 当天 / 三天后 / 同年 / "two days later" count when the sentence names
    no time before them; it defaults to ``published`` (see :func:`reference_after`).
    ``names`` are the (begin, end) offsets of the names of the sentence (persons, organisations,
    countries): a relative day right after a clause's subject (华春莹翌日表示) counts from the day
    named before it or from ``reference``, where one inside a clause otherwise gives no date.
    ``vocab`` is the compiled ``dates.yaml`` (:func:`load_vocabulary`). Never raises on odd text: what does not
    parse as a valid date is skipped. Each pattern opens with a one-character lookahead (a digit,
    a Chinese numeral or the first letter of a date word), and the English one runs only on text
    with a Latin letter, so a sentence without dates costs one or two fast scans.
    """
    text = _normalise(sentence)
    anchor = (
        (reference, reference, "day")
        if isinstance(reference, date)
        else _anchor_of(reference) if reference is not None else None
    )
    ctx = _Context(sentence, text, published, vocab, anchor, names)
    atoms = _scan(vocab.zh_pattern, ctx)
    # every English shape has a Latin letter: most Chinese sentences skip the English scan
    en_atoms = _scan(vocab.en_pattern, ctx) if _LATIN.search(text) else []
    if en_atoms:
        atoms = _without_overlaps(sorted([*atoms, *en_atoms], key=_position))
    if not atoms:
        return []
    atoms = _merge(atoms, ctx)
    if any(atom.reference is not None for atom in atoms):
        atoms = _with_references(atoms, ctx)
    return _running_since([atom.mention for atom in atoms], ctx)


def _running_since(mentions: list[DateMention], ctx: _Context) -> list[DateMention]:
    """A day the text then calls the Nth day of something ("欧盟峰会周日进入第三日", "周日，…谈判
    进入第三天"): that event ran from N-1 days before it to that day. The day is the last one named
    before the words, at most one clause break before them."""
    out = list(mentions)
    for m in ctx.vocab.running_day.finditer(ctx.text):
        if ctx.vocab.tables["offset_units_zh"].get(ctx.text[m.end("n"):m.end()]) != "day":
            continue
        before = [i for i, d in enumerate(out) if d.stop <= m.start()]
        i = before[-1] if before else None
        day = out[i] if i is not None else None
        if day is None or day.precision != "day" or day.start is None or day.start != day.end \
                or len(ctx.vocab.clause_break.findall(ctx.text, day.stop, m.start())) > 1:
            continue
        n = _zh_int(m.group("n"), ctx.vocab.tables["zh_digits"])
        if 2 <= n <= 31:
            out[i] = replace(day, start=day.start - timedelta(days=n - 1))
            out = [d for d in out if not m.start() <= d.begin < m.end()]  # 进入第二天 counts days, no "next day"
    return out


def reference_after(mentions: Iterable[DateMention]) -> DateMention | None:
    """The reference for the sentence after ``mentions``: the last mention that names a time (a
    day, a week, a month, a year), else None (pass it to that sentence's :func:`find_dates`).

    Only the sentence just before counts: a day named several sentences earlier ("拜登周三将在日内瓦
    与普京会面" ... "在前一天的G7峰会闭幕式上") is rarely the day the text goes on from, and
    publication is the better default.
    """
    for m in reversed(list(mentions)):
        if _anchor_of(m) is not None:
            return m
    return None


_LATIN = re.compile("[A-Za-z]")


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
