"""Entity recognition in one sentence, person discovery, and within-article coreference.

Order of the rules, each working only on text that no earlier rule claimed:

1. ``Gazetteer.scan``: longest dictionary matches (persons, countries, organisations, places, and
   blockers such as 美元 or 其中 that yield nothing). A government body also counts as a mention of
   its country (美国国务院 -> US). A known transliterated name that runs on into more
   transliteration characters is not that person (马斯 in 马斯克); one that ends a dotted name
   keeps the person (安东尼·布林肯).
2. Country compounds (Chinese only): runs of one-character forms such as 中美 or 美日澳印, counted
   when followed by a context word (关系, 外长 ...) or listed as compounds (countries.yaml).
   A government body counts as a mention of its country (美国国务院 -> US) and so does a place
   (日内瓦 -> CH: the annotation counts states mentioned as locations).
3. Names already seen in the article (ArticleEntities): later short forms resolve (马斯 after
   德国外长马斯(Heiko Maas); Blinken after Antony Blinken).
4. A name followed by a parenthesised Latin name: 拉夫罗夫（Sergey Lavrov）. A Latin name that is a
   gazetteer alias gives that person; otherwise a new person with the Latin name. The dots bound
   the name's parts, so the gloss takes the whole dotted name (马克·朱利安); a person the article
   found earlier by the Chinese name alone takes the gloss's identity (ArticleEntities merges
   them). A glossed name no table holds starts after a role noun no title lists (a word ending
   in a rank character: 美国环保署署长惠勒 (Andrew Wheeler), whose state then is the one opening the
   phrase) or after 的. A Latin name left untranslated (官员的Hagar Hajjar Chemali说道) is a person after a title,
   a rank character or 的, or before a speech word.
5. Title + name: 外长拉夫罗夫, 发言人汪文斌; the title gives the stated role, a country or
   organisation right before it gives the country (俄罗斯外长 -> RU). A Chinese name is a surname
   + one or two characters; the name_end characters (表, 说 ...) end it early, and words jieba's
   dictionary knows as non-names (任期) are not names, nor is a frequent word it tags as a name
   (顾问) unless a speech word or pause follows, nor a name ending inside one of its words (应定|期);
   a common Japanese family name starts a Japanese name (冈田直树); a headline's speaker alone
   before a colon (包道格：…) is a person. English text has its own rules
   (``en_names.py``): titles, appositions, verbs of speech and possessive offices around a run of
   capitalised words ("Secretary of State Antony Blinken", "Clément Beaune, France's Europe
   minister").

Ids of discovered persons: ``person:<slug of the English name>`` when a Latin name is known (so
they meet gazetteer ids), else ``person:zh-<pinyin syllables>`` of the Chinese name
(拉夫罗夫 -> person:zh-la-fu-luo-fu): stable across articles and readable. A discovered
transliteration that sounds like one listed for a known person (维斯特齐尔 for 维斯特奇尔,
勒·德里昂 for 勒德里昂: Gazetteer.sounding_like) is that person.
Bylines (记者 王小明 报道, 摄影：…, 编辑：…) never yield persons, and the notes on the outlet's staff
that close an article (``news_part``: 对本文有报道贡献, a reporter's biography) are not read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache

from kg.extract.en_names import add_english_names
from kg.extract.gazetteer import NAME_DOTS, NOBODY, Gazetteer, GazetteerEntry, Lexicon, Match, slugify, syllables
from kg.extract.jieba_words import WordTags
from kg.extract.mentions import Mention, NameTables, SentenceState
from kg.readers.text import CJK_CHAR, is_latin
from kg.records import Entity

_PAUSES = ("，", "、", "（", "(")
_LATIN_NAME = re.compile(r"[（(]\s*([A-Z][A-Za-z\u00C0-\u024F.'’\- ]{1,60}?)\s*[）)]")
_EN_PARTICLES = {"von", "van", "der", "de", "bin", "al", "la", "le"}
_NAME_SEP = " \u3000\t"


def find_mentions(sentence: str, gazetteer: Gazetteer, names: NameTables, *, published: date | None = None,
                  language: str = "zh") -> list[Mention]:
    """Mentions in one sentence (simplified Chinese or English), without article context.

    A gazetteer person whose role the sentence does not state gets the role held on
    ``published`` (Gazetteer.role_on)."""
    found = _recognise(SentenceState(sentence, gazetteer, names, published), language, {})
    return [_with_known_role(m, gazetteer, published) for m in found]


def _with_known_role(m: Mention, gaz: Gazetteer, published: date | None) -> Mention:
    if m.type != "Person" or m.role is not None or m.entity_id not in gaz.entries:
        return m
    role = gaz.role_on(m.entity_id, published)
    return replace(m, role=role.title) if role else m


class ArticleEntities:
    """Within-article state: feeds sentences in article order, so people discovered early (with a
    title or a Latin name) are recognised later by their short names, and collects the entities."""

    def __init__(self, gazetteer: Gazetteer, names: NameTables, published: date | None, language: str) -> None:
        self._gazetteer = gazetteer
        self._names = names
        self._published = published
        self._language = language
        self._known: dict[str, _Known] = {}  # surface -> id, name, country, acts for
        self._seen: dict[str, _Seen] = {}
        self._untitled: set[str] = set()  # persons the article names (not only by a title)
        self._unnamed: dict[str, str] = {}  # English: last word -> full name of runs not yet known as persons
        self._renamed: dict[str, str] = {}  # id of a person found before their Latin gloss -> the gloss's id

    def mentions(self, sentence: str) -> list[Mention]:
        """Mentions of one sentence; call in the order of the article."""
        found = _recognise(SentenceState(sentence, self._gazetteer, self._names, self._published),
                           self._language, self._known, self._unnamed)
        for m in found:
            self._remember(m, sentence)
        return found

    def include(self, entity_id: str, evidence: str) -> bool:
        """Make a gazetteer entity one of the article's (an organisation a person acts for, named
        only through them); False when the id is neither seen nor in the gazetteer, or is a person
        the article refers to only by a title."""
        if entity_id in self._seen:
            return self._named(entity_id)
        entry = self._gazetteer.entries.get(entity_id)
        if entry is None:
            return False
        self._seen[entity_id] = _Seen(entry.type, None, evidence)
        return True

    def entities(self) -> list[Entity]:
        """Every entity seen so far, with its aliases as written, role, country and first sentence.
        A person the article refers to only by a title (俄罗斯外长) is none: the text names nobody
        (the annotation guideline counts named persons), though the title's state takes part."""
        return [self._entity(eid, seen) for eid, seen in self._seen.items() if self._named(eid)]

    def _named(self, entity_id: str) -> bool:
        return self._seen[entity_id].type != "Person" or entity_id in self._untitled

    def current(self, entity_id: str) -> str:
        """The id an entity has now: a person found before their Latin gloss takes the gloss's."""
        while entity_id in self._renamed:
            entity_id = self._renamed[entity_id]
        return entity_id

    def _merge_earlier(self, m: Mention) -> None:
        """A mention that gives a person known so far by a discovered Chinese name (person:zh-...)
        a new identity (their Latin gloss follows): the earlier person becomes this one."""
        earlier = self._known.get(m.surface)
        if m.type != "Person" or earlier is None or earlier.entity_id == m.entity_id \
                or not earlier.entity_id.startswith("person:zh-") or m.entity_id.startswith("person:zh-"):
            return
        old = earlier.entity_id
        self._renamed[old] = m.entity_id
        gone = self._seen.pop(old, None)
        if gone is not None:
            seen = self._seen.setdefault(m.entity_id, _Seen(m.type, m.name, gone.evidence))
            seen.aliases.extend(a for a in gone.aliases if a not in seen.aliases)
            seen.role = seen.role or gone.role
            if old in self._untitled:
                self._untitled.add(m.entity_id)
        self._known = {k: (replace(v, entity_id=m.entity_id, name=m.name) if v.entity_id == old else v)
                       for k, v in self._known.items()}

    def _remember(self, m: Mention, sentence: str) -> None:
        self._merge_earlier(m)
        seen = self._seen.get(m.entity_id)
        if seen is None:
            seen = self._seen[m.entity_id] = _Seen(m.type, m.name, sentence)
        if m.surface not in seen.aliases:
            seen.aliases.append(m.surface)
        seen.role = seen.role or m.role
        seen.country = seen.country or m.country
        seen.acts_for = seen.acts_for or m.acts_for
        if m.type == "Person" and not m.by_title:
            self._untitled.add(m.entity_id)
        if m.type == "Person":
            for short in _short_forms(m.surface):
                self._known.setdefault(short, _Known(m.entity_id, m.name, seen.country, seen.acts_for))

    def _entity(self, eid: str, seen: _Seen) -> Entity:
        entry = self._gazetteer.entries.get(eid)
        role = seen.role
        if role is None and entry is not None and entry.type == "Person":
            known = self._gazetteer.role_on(eid, self._published)
            role = known.title if known else None
        country = (entry.country if entry else None) or seen.country
        if seen.type == "Person" and seen.acts_for and not seen.acts_for.startswith("country:"):
            country = None  # acts for an organisation: nationality is not representation
        return Entity(id=eid, type=seen.type, name=entry.name if entry else (seen.name or eid),
                      aliases=tuple(seen.aliases), country=None if seen.type == "Country" else country,
                      role=role if seen.type == "Person" else None,
                      iso2=entry.iso2 if entry else None, evidence=seen.evidence)


@dataclass
class _Seen:
    type: str
    name: str | None
    evidence: str
    aliases: list[str] = field(default_factory=list)
    role: str | None = None
    country: str | None = None
    acts_for: str | None = None


@dataclass(slots=True, unsafe_hash=True)  # a value, not frozen: see Mention
class _Known:
    """A person already seen in the article, by the forms a later sentence may use."""

    entity_id: str
    name: str | None
    country: str | None
    acts_for: str | None


@lru_cache(maxsize=4096)
def _short_forms(surface: str) -> tuple[str, ...]:
    """Forms a later sentence may use for a person: the full surface and its last name part
    (约翰·克里 -> 克里, Antony Blinken -> Blinken). Cached: an article names its people again and again."""
    if is_latin(surface):
        parts = surface.split()
        if len(parts) > 1 and len(parts[-1]) > 2:
            return surface, parts[-1]
    else:
        last = re.split(f"[{NAME_DOTS}]", surface)[-1]
        if last != surface and len(last) >= 2:
            return surface, last
    return (surface,)


def _recognise(s: SentenceState, language: str, known: dict[str, _Known],
               unnamed: dict[str, str] | None = None) -> list[Mention]:
    for match in s.gaz.scan(s.text):
        _add_dictionary_match(s, match)
    if language == "zh":
        _add_listed(s)
        _add_compounds(s)
    _add_known(s, known)
    _add_parenthesised(s)
    if language == "zh":
        _add_latin_in_chinese(s)
        _add_zh_titles(s)
        _add_speakers_before_colons(s)
        _add_after_role_nouns(s)
        _add_translit_after_role_nouns(s)
    else:
        add_english_names(s, {} if unnamed is None else unnamed)
    kept = [m for m in s.mentions if m.type != "Person" or not _in_byline(s, m)]
    return sorted(kept, key=lambda m: (m.begin, m.end))


# --- 1. dictionary matches ----------------------------------------------------------------------

def _add_dictionary_match(s: SentenceState, match: Match) -> None:
    if _in_dotted_name(s, match):
        return  # 理查德·格雷内尔 holds no 查德 (Chad): left free for the name rules
    if _inside_words(s, match):
        s.claim(match.begin, match.end)
        return
    for eid in match.entry_ids:
        entry = s.gaz.entries[eid]
        if entry.type == "Person":
            _add_gazetteer_person(s, match, entry)
            continue
        s.claim(match.begin, match.end)
        surface = s.text[match.begin:match.end]
        s.add(Mention(eid, entry.type, match.begin, match.end, surface, country=entry.country,
                      acts_for=entry.part_of))
        if entry.type in ("Organization", "Place") and entry.country:
            s.add(Mention(f"country:{entry.country}", "Country", match.begin, match.end, surface,
                          confidence=0.9 if entry.type == "Organization" else 0.7))
    if not match.entry_ids:
        s.claim(match.begin, match.end)


def _add_gazetteer_person(s: SentenceState, match: Match, entry: GazetteerEntry) -> None:
    begin, end = match.begin, match.end
    if _all_translit(match.key, s.lex):
        after = s.text[end] if end < len(s.text) else ""
        if after and (after in NAME_DOTS or (after in s.lex.translit and after not in s.lex.name_end
                                         and not _is_common_word(s, s.text[end:end + 2]))):
            return  # 马斯 in 马斯克, 米歇尔 in 米歇尔·奥巴马: a longer, different name (not 马克龙夫妇)
        if begin > 1 and s.text[begin - 1] in NAME_DOTS:
            begin = _dotted_start(s.text, begin - 1, s.lex)  # 安东尼·布林肯: same person
        elif begin > 0 and s.text[begin - 1] in s.lex.translit:
            return
    s.claim(begin, end)
    s.add(Mention(entry.id, "Person", begin, end, s.text[begin:end], country=entry.country,
                  acts_for=s.gaz.represents(entry.id, s.published)))


def _inside_words(s: SentenceState, match: Match) -> bool:
    """A two-character state name that the words on both sides split (折中|方案 holds no 中方,
    合法|国家 no 法国, 沿海|地区 no 海地; 乔治亚州 is a US state, not Georgia): no mention of the
    state. A verb + state form (访美, 对日) is left alone: its verb is a word with what precedes."""
    text, b, e = s.text, match.begin, match.end
    state = text.startswith("州", e)
    if not (state or (e - b == 2 and b > 0)):  # the cheap test first: it rules out most matches
        return False
    if not any(s.gaz.entries[eid].type == "Country" for eid in match.entry_ids) or not _all_cjk(match.key):
        return False
    if state:
        return True
    if match.key[1] in s.lex.abbreviations or not _is_common_word(s, text[b - 1:b + 1]):
        return False
    return not _word_starts_at(s.names.word_tags, text, b)  # 这家|中国 is a word break though 家中 is a word


def _in_dotted_name(s: SentenceState, match: Match) -> bool:
    """A state's name that a name's dot touches (理查德·, ·查德) is part of that name: a dot never
    follows or precedes a state's name in running text."""
    text, b, e = s.text, match.begin, match.end
    if not ((e < len(text) and text[e] in NAME_DOTS) or (b > 0 and text[b - 1] in NAME_DOTS)):
        return False  # the cheap test first: most matches touch no dot
    return bool(match.entry_ids) and all(s.gaz.entries[eid].type == "Country" for eid in match.entry_ids)


def _word_starts_at(words: WordTags, text: str, i: int) -> bool:
    """Whether jieba's segmentation of the few characters around ``i`` starts a word there."""
    start = max(0, i - 4)
    at = start
    for word in words.cut(text[start:i + 6]):
        if at >= i:
            return at == i
        at += len(word)
    return True


def _all_translit(word: str, lex: Lexicon) -> bool:
    return all(c in lex.translit or c in NAME_DOTS for c in word)


def _dotted_start(text: str, dot: int, lex: Lexicon) -> int:
    """Start of a dotted transliterated name whose dot is at ``dot`` (约翰·克里 -> index of 约)."""
    i = dot
    while i > 0 and (text[i - 1] in lex.translit or text[i - 1] in NAME_DOTS
                     or (text[i - 1].isupper() and text[i - 1].isascii())):
        i -= 1
    return i if i < dot else dot + 1


# --- 2. country compounds -----------------------------------------------------------------------

_LISTED = re.compile(r"[\u3400-\u9fff](?:、[\u3400-\u9fff]){1,5}")


def _add_listed(s: SentenceState) -> None:
    """One-character states listed with 、 before a context word: 俄、中、印三国外长 (RU, CN, IN),
    美、日、印、澳的四国外长 (the listed form of the compound 美日澳印; 的 may come between), after
    a word boundary (美国和日、韩两国). The last one may have been read as the start of a longer
    name the context word overlaps: 印、中国防部长 is 印 and 中 + 国防部长, not 中国 + 防部长."""
    lex, text = s.lex, s.text
    for m in _LISTED.finditer(text):
        if m.start() > 0 and CJK_CHAR.match(text[m.start() - 1]) and text[m.start() - 1] not in lex.name_end:
            continue  # 欧美、日本: 美 ends a word
        chars = m.group(0).split("、")
        after = m.end() + text.startswith("的", m.end())
        rest = text[after:after + 6]
        last = m.end() - 1
        overlapped = [x for x in s.mentions if x.begin == last and x.end == last + 2 and x.type == "Country"]
        if overlapped and any(text.startswith(w, last + 1) for w in lex.compound_context):
            rest = text[last + 1:last + 7]
        elif not s.free(m.start(), m.end()):
            continue
        if not all(c in lex.abbreviations and lex.abbreviations[c].in_runs for c in chars) \
                or len(set(chars)) < len(chars) or not s.free(m.start(), last) \
                or not any(rest.startswith(w) for w in lex.compound_context):
            continue
        s.mentions = [x for x in s.mentions if x not in overlapped]
        for i, c in enumerate(chars):
            at = m.start() + 2 * i
            s.claim(at, at + 1)
            target = lex.abbreviations[c].target
            eid = target if ":" in target else f"country:{target}"
            s.add(Mention(eid, s.gaz.entries[eid].type, at, at + 1, c, confidence=0.9))


def _add_compounds(s: SentenceState) -> None:
    """Runs of up to four one-character state forms not yet claimed (中美, 美日澳印), each read by
    _add_run."""
    lex, text, taken = s.lex, s.text, s.taken
    found = lex.abbreviation_chars.search(text)
    while found is not None:
        i = after = found.start()
        if taken[i]:
            after = i + 1
        elif text[i] == "日" and i > 0 and text[i - 1] in lex.not_before_ri:
            after = i + 1  # 22日美方 / 今日中美: 日 is "day"
        else:
            j = i
            while j < len(text) and j - i < 4 and not taken[j] and text[j] in lex.abbreviations:
                j += 1
            _add_run(s, i, j)
            after = j
        found = lex.abbreviation_chars.search(text, after)


def _add_run(s: SentenceState, begin: int, end: int) -> None:
    """Add country mentions for the run text[begin:end] if a compound or context word allows."""
    lex, text = s.lex, s.text
    run = text[begin:end]
    rest = text[end:end + 6]
    if run in lex.compounds:
        targets = lex.compounds[run]
    elif len(run) >= 2 and any(rest.startswith(w) for w in lex.compound_context):
        if not all(lex.abbreviations[c].in_runs for c in run) or len(set(run)) < len(run):
            return
        targets = tuple(lex.abbreviations[c].target for c in run)
    elif len(run) == 1 and lex.abbreviations[run].alone and any(
            rest.startswith(w) for w in lex.single_context):
        targets = (lex.abbreviations[run].target,)
    else:
        return
    s.claim(begin, end)
    for target in targets:
        eid = target if ":" in target else f"country:{target}"
        entry = s.gaz.entries[eid]
        s.add(Mention(eid, entry.type, begin, end, run, confidence=0.9))


# --- 3. names seen earlier in the article -------------------------------------------------------

def _add_known(s: SentenceState, known: dict[str, _Known]) -> None:
    for surface in sorted(known, key=len, reverse=True):
        k = known[surface]
        start = s.text.find(surface)
        while start >= 0:
            end = start + len(surface)
            if s.free(start, end) and _bounded(s, start, end, surface):
                s.claim(start, end)
                s.add(Mention(k.entity_id, "Person", start, end, surface, country=k.country,
                              confidence=0.9, name=k.name, acts_for=k.acts_for))
            start = s.text.find(surface, end)


def _bounded(s: SentenceState, begin: int, end: int, surface: str) -> bool:
    """A short name must not be part of a longer word (Latin) or transliteration (Chinese)."""
    text = s.text
    if is_latin(surface):
        before = text[begin - 1] if begin else " "
        after = text[end] if end < len(text) else " "
        return not (before.isalnum() or after.isalnum())
    if not _all_translit(surface, s.lex):
        return True
    before = text[begin - 1] if begin else ""
    after = text[end] if end < len(text) else ""
    # a transliteration character that ends or starts a common word is that word's (宣布|克拉芙特,
    # 蓬佩奥|特别), not a longer name's
    return not (before and before in s.lex.translit and not _frequent(s.names.word_tags, text[begin - 2:begin], s.lex)) \
        and not (after and after in s.lex.translit and not _frequent(s.names.word_tags, text[end:end + 2], s.lex))


# --- 4. name (Latin Name) -----------------------------------------------------------------------

def _add_parenthesised(s: SentenceState) -> None:
    for m in _LATIN_NAME.finditer(s.text):
        latin = " ".join(m.group(1).split())
        paren = m.start()
        while paren > 0 and s.text[paren - 1] in _NAME_SEP:
            paren -= 1  # 亚当斯 (Nigel Adams): a space before the gloss
        ends = _name_ends(s, paren) if _looks_like_person(latin, s.lex) else (paren,)
        existing = next((x for x in s.mentions if x.type == "Person" and x.end in ends), None)
        if existing is not None:
            existing = _glossed(s, existing, latin)
            if s.free(m.start(1), m.end(1)):
                s.claim(m.start(1), m.end(1))
                s.add(replace(existing, begin=m.start(1), end=m.start(1) + len(latin),
                              surface=latin))
            continue
        known = s.gaz.lookup(latin, "Person")
        if not known and not _looks_like_person(latin, s.lex):
            continue
        span = _zh_name_before(s, paren)
        if span is None:
            continue
        begin, paren = span
        if known:
            eid, name, country = known[0].id, None, known[0].country
        else:
            eid, name, country = f"person:{slugify(latin)}", latin, _state_before(s, begin)
        acts_for = s.gaz.represents(eid, s.published) if known else None
        s.claim(begin, paren)
        s.add(Mention(eid, "Person", begin, paren, s.text[begin:paren], country=country,
                      confidence=0.9, name=name, acts_for=acts_for))
        s.add(Mention(eid, "Person", m.start(1), m.start(1) + len(latin), latin, country=country,
                      confidence=0.9, name=name, acts_for=acts_for))


_LATIN_RUN = re.compile(r"(?<![A-Za-z\u00C0-\u024F'’.\-])[A-Z][A-Za-z\u00C0-\u024F'’.\-]*"
                        r"(?: +(?:[A-Z][A-Za-z\u00C0-\u024F'’.\-]*|von|van|der|de|bin|al|la|le))+")


def _add_latin_in_chinese(s: SentenceState) -> None:
    """A Latin name left untranslated in Chinese text (官员的Hagar Hajjar Chemali说道, 副部长Adewale
    Adeyemo本月表示): a run of capitalised words that looks like a person's name, after a title, a
    rank character or 的, or before a word that follows names. A parenthesised run is a gloss (4.)."""
    lex, text = s.lex, s.text
    for m in _LATIN_RUN.finditer(text):
        latin = m.group(0).rstrip(".")
        begin, end = m.start(), m.start() + len(latin)
        before = text[:begin].rstrip(_NAME_SEP)
        if not s.free(begin, end) or before.endswith(("（", "(")) or not _looks_like_person(latin, lex):
            continue
        titled = before.endswith(("的", *lex.rank_endings)) or _ends_with_title(before, lex)
        if not titled and not text[end:].lstrip(_NAME_SEP).startswith(lex.name_followers):
            continue
        known = s.gaz.lookup(latin, "Person")
        eid = known[0].id if known else f"person:{slugify(latin)}"
        s.claim(begin, end)
        s.add(Mention(eid, "Person", begin, end, latin, country=known[0].country if known else None,
                      confidence=0.7, name=None if known else latin,
                      acts_for=s.gaz.represents(eid, s.published) if known else None))


def _ends_with_title(text: str, lex: Lexicon) -> bool:
    return _title_ending_at(text, len(text), lex) is not None


def _title_ending_at(text: str, end: int, lex: Lexicon) -> re.Match[str] | None:
    """The title that ends at ``end`` (外长, 教授), if one does."""
    return next((t for t in _title_pattern(tuple(lex.titles)).finditer(text, max(0, end - 12), end) if t.end() == end),
                None)


def _glossed(s: SentenceState, m: Mention, latin: str) -> Mention:
    """A person known so far only by a Chinese name (彼蒂科菲尔 in a headline) whose Latin gloss
    now follows takes the gloss's identity (the gazetteer's, else one of the Latin name), so
    the article keeps one person; ``ArticleEntities`` merges the earlier one into it."""
    if not m.entity_id.startswith("person:zh-"):
        return m
    known = s.gaz.lookup(latin, "Person")
    if not known and not _looks_like_person(latin, s.lex):
        return m
    eid = known[0].id if known else f"person:{slugify(latin)}"
    glossed = replace(m, entity_id=eid, name=None if known else latin,
                      country=known[0].country if known else m.country,
                      acts_for=s.gaz.represents(eid, s.published) if known else m.acts_for)
    s.mentions = [glossed if x is m else x for x in s.mentions]
    return glossed


def _looks_like_person(latin: str, lex: Lexicon) -> bool:
    words = latin.replace("-", " ").split()
    capitalised = [w for w in words if w not in _EN_PARTICLES]
    return (2 <= len(words) <= 5 and all(w[0].isupper() and not _acronym(w) for w in capitalised)
            and not any(w.strip(".") in lex.non_person_words for w in words))


def _acronym(word: str) -> bool:
    """IFRI, NATO: capitals throughout; an initial (the S. of Philip S. Davidson) is none."""
    return word.isupper() and len(word.strip(".")) > 1


def _name_ends(s: SentenceState, paren: int) -> tuple[int, ...]:
    """Where a name glossed at ``paren`` may end: there, or before a title or a common noun
    (魏茨博士 (Richard Weitz))."""
    ends = [paren]
    trailing = _title_ending_at(s.text, paren, s.lex)
    if trailing is not None:
        ends.append(trailing.start())
    if s.names.word_tags.get(s.text[paren - 2:paren]) == "n":
        ends.append(paren - 2)
    return tuple(ends)


def _zh_name_before(s: SentenceState, end: int) -> tuple[int, int] | None:
    """The Chinese name that ends at ``end`` (or before a title that ends there): a
    transliteration run (with dots), what follows a title, or a Chinese surname + one or two
    characters."""
    trailing = _title_ending_at(s.text, end, s.lex)
    if trailing is not None and trailing.start() < end:
        end = trailing.start()  # 谢淑丽教授 (Susan Shirk): the title after the name is no part of it
    elif s.names.word_tags.get(s.text[end - 2:end]) == "n":
        dotted = _translit_name_before(s, end - 2)
        if dotted and any(c in NAME_DOTS for c in s.text[dotted[0]:dotted[1]]):
            return dotted  # 理查德·魏茨博士 (Richard Weitz): a noun after a dotted name is a title no list holds
    translit, bounded = _translit_name_before(s, end), _bounded_name_before(s, end)
    if bounded is not None and (translit is None or bounded[0] == translit[0] - 1):
        return bounded  # 署长惠特曼: the bound takes the one character no table holds (惠) that ended the run
    return translit or _titled_name_before(s, end)


def _state_before(s: SentenceState, begin: int) -> str | None:
    """The state of a new person named right after a role noun no title lists, from the phrase the
    noun ends (美国环境保护署署长惠勒: US): the state named last before the noun, opening the phrase
    (墨卡托中国研究中心主任, 美国驻荷兰大使: a centre's subject, a post, no nationality), a run of
    Chinese characters of at most a title's length between, no 驻 nor 的 (研究中国问题的: a topic)
    among them; else None. A title the rules read
    (_add_zh_titles) states a person's state after a listed title."""
    if not _after_role_noun(s, begin):
        return None
    before = [m for m in s.mentions if m.end <= begin and m.type in ("Country", "Person")]
    last = max(before, key=lambda m: m.end, default=None)
    if last is None or last.type != "Country":
        return None
    gap = s.text[last.end:begin]
    opens = last.begin == 0 or not CJK_CHAR.match(s.text[last.begin - 1])
    if not opens or len(gap) > _STATE_SPAN or not _all_cjk(gap) or "驻" in gap or "的" in gap:
        return None
    return last.entity_id.split(":", 1)[1]


def _after_role_noun(s: SentenceState, start: int) -> bool:
    """A word ending in a rank character (署长, 次长, 司长) ends right before ``start``."""
    return start >= 2 and s.text[start - 1] in s.lex.rank_endings and s.text[start - 2:start] in s.names.word_tags


_STATE_SPAN = 12  # characters between a state and the name it qualifies (环境保护署署长)


def _bounded_name_before(s: SentenceState, end: int) -> tuple[int, int] | None:
    """A glossed name whose characters no table holds, bounded on its left by a role noun that no
    title lists (美国环保署署长惠勒 (Andrew Wheeler): a word ending in a rank character) or by 的
    (来自匈牙利的库楚克 (Ilhan Kyuchyuk)): the gloss says a name ends here, the bound where it
    starts. The name is two to four characters that hold no word-ending character and are no
    common word nor start with one (a shorter run that is a proper noun may grow to the bound). It
    is preferred to a transliteration run that starts one character later, stopped by a character
    the table lacks."""
    text, lex = s.text, s.lex
    for size in range(2, 5):
        start = end - size
        if start < 2 or not s.free(start, end) or not _all_cjk(text[start:end]):
            return None
        name = text[start:end]
        if any(c in lex.name_end for c in name):
            return None
        if _is_common_word(s, name, proper_ok=True) or _is_common_word(s, name[:2], proper_ok=True):
            return None  # 绿色协议 (European Green Deal), 专家泰勒: words, or a word before the name
        if _is_common_word(s, name):
            continue  # 恰克 (a place's name) in 库恰克: the name may go on to the left
        if _after_role_noun(s, start) or text[start - 1] == "的":
            return start, end
    return None


def _translit_name_before(s: SentenceState, end: int) -> tuple[int, int] | None:
    """A transliterated name ending at ``end``, walked back over its parts. The dots bound a
    part, so a part after a dot is taken whole whatever its characters (马克·朱利安, 理查德·格雷内尔:
    朱 and 格 are no transliteration characters), and so is an initial between dots (戴维·A·雷德曼);
    the first part, which nothing bounds on its left, keeps to transliteration characters but for
    one between two of them (赛义德·里法特)."""
    text, lex = s.text, s.lex
    i = end
    while i > 0 and end - i < 14 and _name_part_char(text, i - 1, end, lex):
        i -= 1
    while i < end and text[i] in NAME_DOTS:
        i += 1
    return (i, end) if end - i >= 2 and s.free(i, end) else None


def _name_part_char(text: str, k: int, end: int, lex: Lexicon) -> bool:
    """Whether ``text[k]`` belongs to the dotted transliterated name that ends at ``end``."""
    c = text[k]
    if c in lex.translit or c in NAME_DOTS or (c in _NAME_SEP and k > 0 and text[k - 1] in NAME_DOTS):
        return True  # 汤姆· 赖特: a space may follow the dot
    if c in lex.name_end or not (CJK_CHAR.match(c) or (c.isascii() and c.isupper())):
        return False
    dotted_part = any(d in text[max(0, k - 4):k] for d in NAME_DOTS) and _all_cjk_or_dots(text[max(0, k - 4):k])
    if c.isascii():
        return k > 0 and text[k - 1] in NAME_DOTS and k + 1 < end and text[k + 1] in NAME_DOTS
    if dotted_part:
        return True
    return 0 < k and text[k - 1] in lex.translit and text[k + 1] in lex.translit \
        and any(d in text[k:end] for d in NAME_DOTS)


def _all_cjk_or_dots(text: str) -> bool:
    return all(CJK_CHAR.match(c) or c in NAME_DOTS for c in text)


def _titled_name_before(s: SentenceState, end: int) -> tuple[int, int] | None:
    text, lex = s.text, s.lex
    titles = list(_title_pattern(tuple(lex.titles)).finditer(text, max(0, end - 12), end))
    titled = [t.end() for t in titles if 2 <= end - t.end() <= 5 and _all_cjk(text[t.end():end])
              and text[t.end()] not in lex.name_end]
    if titled and s.free(titled[-1], end):
        return titled[-1], end  # 国务大臣亚当斯(Nigel Adams): the glossed name is all that follows the title
    for size in (3, 2):
        start = end - size
        if start >= 0 and s.free(start, end) and _is_surname_start(text, start, lex) and _all_cjk(text[start:end]):
            return start, end
    return None


_CJK_RUN = re.compile(f"{CJK_CHAR.pattern}*")  # one regex call instead of one per character: the check runs per match


def _all_cjk(text: str) -> bool:
    return _CJK_RUN.fullmatch(text) is not None


def _is_surname_start(text: str, i: int, lex: Lexicon) -> bool:
    return text[i:i + 2] in lex.surnames or text[i] in lex.surnames


# --- 5. title + name ----------------------------------------------------------------------------

@lru_cache(maxsize=8)
def _title_pattern(titles: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(t) for t in sorted(titles, key=len, reverse=True))
    return re.compile(f"(?:{alternatives})")


def _add_zh_titles(s: SentenceState) -> None:
    lex, text = s.lex, s.text
    for t in _title_pattern(tuple(lex.titles)).finditer(text):
        start = t.end()
        while start < len(text) and text[start] in _NAME_SEP:
            start += 1
        role = lex.titles[t.group(0)]
        index = s.person_at(start)
        party = _title_party(s, t.start(), t.end(), mark=False)
        if index is None:
            japanese = party == "country:JP" or text[start:start + 2] in lex.japanese_surnames
            span = _zh_name_after(s, start, japanese=japanese)
            if span is None:
                _add_role_holders(s, t.start(), t.end(), role)
                continue
            surface = text[span[0]:span[1]]
            s.claim(*span)
            s.add(_zh_person(s, span[0], span[1], 0.8, _zh_display_name(surface, lex)))
            index = len(s.mentions) - 1
        person = s.mentions[index]
        party = _title_party(s, t.start(), t.end(), mark=True)
        country = party.split(":", 1)[1] if party and party.startswith("country:") else None
        s.mentions[index] = replace(person, role=role, country=person.country or country,
                                    acts_for=party if party is not None else person.acts_for)


_SPEAKER = re.compile(r"(?:^|[ \u3000「【])([\u3400-\u9fff·]{2,8})：(?=[^\s：])")


def _add_speakers_before_colons(s: SentenceState) -> None:
    """A headline's speaker: a name alone before a colon at the start of the text or after a space,
    quoting them (布林肯任国务卿 包道格：台湾正面角色将受赏识). The name is a surname and one or two
    characters, or a transliteration, that the colon ends."""
    for m in _SPEAKER.finditer(s.text):
        begin, end = m.start(1), m.end(1)
        if not s.free(begin, end):
            continue
        span = _translit_name_after(s, begin) or _surname_name_after(s, begin)
        surface = s.text[begin:end]
        if span is None or span[1] != end or (len(surface) == 3 and not _all_translit(surface, s.lex)
                                             and _is_common_word(s, surface[1:], proper_ok=True)):
            continue  # 韩网友：, 蔡总统：: a word after a surname is weak evidence of a name here
        s.claim(begin, end)
        s.add(_zh_person(s, begin, end, 0.7, _zh_display_name(surface, s.lex)))


def _add_role_holders(s: SentenceState, title_start: int, title_end: int, role: str) -> None:
    """A title with no name after it, right after the states or organisation it serves, names
    whoever held it on the publication day (俄罗斯外长 -> Lavrov; 中俄外长 -> Wang Yi and Lavrov).
    A former holder (前外长) or a title of no named state is left alone. The holder counts as
    named only when a Latin name glosses the title (德国外长（Heiko Maas）), even misspelt."""
    if s.text.endswith(tuple(s.lex.title_modifiers), 0, title_start):
        return
    gloss = _LATIN_NAME.match(s.text, title_end)
    glossed = gloss is not None and _looks_like_person(gloss.group(1), s.lex)
    prefixes = [m for m in s.mentions if m.end == title_start and m.type in ("Country", "Organization")
                and not m.entity_id.startswith("place:")]
    for prefix in prefixes:
        holder = prefix.entity_id.split(":", 1)[1] if prefix.type == "Country" else prefix.entity_id
        if s.text.endswith(tuple(s.lex.title_modifiers), 0, prefix.begin):
            continue  # 前北约秘书长: a former holder
        person = s.gaz.holder_of(role, holder, s.published)
        if person and not any(m.entity_id == person for m in s.mentions):
            s.add(Mention(person, "Person", prefix.begin, title_end, s.text[prefix.begin:title_end],
                          role=role, country=s.gaz.entry(person).country, confidence=0.7,
                          acts_for=s.gaz.represents(person, s.published), by_title=not glossed))


def _title_party(s: SentenceState, title_start: int, title_end: int, *, mark: bool) -> str | None:
    """The state or organisation (entity id) of the mention right before a title, across
    modifiers (前, 新任) and 驻X forms: 北约秘书长 -> org:nato, 美国国务院发言人 -> country:US.
    A body whose name ends inside the title is that mention too (捷克参议院 in 捷克参议院议长: the
    title 参议院议长 starts inside the body's name), so an unknown name after it (维施特奇尔) gets
    the body's state; not one that holds the whole title (国会议员, read as Japan's Diet, says
    nothing of a Lithuanian member's state). With ``mark`` (a person holds the title) that
    mention is marked as qualifying the title (Mention.qualifies)."""
    end = title_start
    former = False
    for _ in range(3):
        modifier = next((w for w in s.lex.title_modifiers if s.text.endswith(w, 0, end)), None)
        if modifier:
            end -= len(modifier)
            former = former or modifier in s.lex.former_modifiers
        before = s.ending_at(end) or (s.ending_inside(end, title_end) if end == title_start else None)
        former = former or (before is not None and s.text.endswith(s.lex.former_modifiers, 0, before.begin))
        if before is None:
            if end > 0 and s.text[end - 1] == "的":
                end -= 1
                continue
            return None
        if before.surface.startswith("驻"):
            end = before.begin
            continue
        if before.begin > 0 and s.text[before.begin - 1] == "驻":
            end = before.begin - 1  # 美国驻联合国大使: the state that sends, not the body
            continue
        if mark:
            s.mentions = [replace(m, qualifies=True) if (m.begin, m.end) == (before.begin, before.end)
                          and m.type in ("Country", "Organization") else m for m in s.mentions]
        if before.type == "Country":
            return before.entity_id
        if before.country:
            return f"country:{before.country}"
        if former:
            return NOBODY  # 前北约秘书长: a former official of an organisation acts for nobody
        entry = s.gaz.entries.get(before.entity_id)
        return (entry.part_of if entry else None) or before.entity_id
    return None


def _zh_name_after(s: SentenceState, start: int, *, japanese: bool = False) -> tuple[int, int] | None:
    """The span of a name starting at ``start`` right after a title, or None. A Japanese name
    (after a title of Japan) is four characters or three (茂木敏充, 菅义伟), never running into the
    word after it."""
    if start >= len(s.text) or not s.free(start, start + 1):
        return None
    return ((_japanese_name_after(s, start) if japanese else None) or _translit_name_after(s, start)
            or _surname_name_after(s, start))


def _japanese_name_after(s: SentenceState, start: int) -> tuple[int, int] | None:
    for size in (4, 3):
        name = s.text[start:start + size]
        if len(name) == size and s.free(start, start + size) and _all_cjk(name) \
                and not any(c in s.lex.name_end for c in name) and not _is_common_word(s, name) \
                and (name[:2] in s.lex.japanese_surnames or not _is_common_word(s, name[:2])):
            return start, start + size
    return None


def _translit_name_after(s: SentenceState, start: int) -> tuple[int, int] | None:
    text, lex = s.text, s.lex
    end = start
    while end < len(text) and end - start < 12 and s.free(end, end + 1) and (
            text[end] in lex.translit or (text[end] in NAME_DOTS and end > start)
            or (text[end].isascii() and text[end].isupper() and text[end - 1] in NAME_DOTS)
            or _inside_dotted_part(text, start, end, lex)):
        if end - start >= 2 and text[end] in lex.name_end:
            break  # 斯托尔滕贝格提出: 提 starts the next word
        end += 1  # 谢尔盖·V·拉夫罗夫: an initial between dots belongs to the name
    while end > start and text[end - 1] in NAME_DOTS:
        end -= 1
    if end - start >= 2:
        end = _past_rare_character(s, start, end)
    return (start, end) if end - start >= 2 and not _is_common_word(s, text[start:end]) else None


_PAUSE_MARKS = "，。、：；（(」“”！？"


def _past_rare_character(s: SentenceState, start: int, end: int) -> int:
    """The end of a transliteration run that stopped at ``end`` on a character the table lacks: a
    name goes on over one such character between two of the table's (艾索柏恩) or ending the name
    before a word that follows names or a pause (格罗津说, 金英哲（左）), when it makes no word with
    its neighbours (总统, 访问 do)."""
    text, lex, tags = s.text, s.lex, s.names.word_tags
    if end + 1 >= len(text) or not s.free(end, end + 1) or text[end] in lex.name_end \
            or not CJK_CHAR.match(text[end]) or text[end - 1:end + 1] in tags or text[end:end + 2] in tags:
        return end
    if text[end + 1] in lex.translit and text[end + 1] not in lex.name_end:
        after = end + 1
        while after < len(text) and after - start < 8 and text[after] in lex.translit \
                and text[after] not in lex.name_end and s.free(after, after + 1):
            after += 1
        return after
    if text[end + 1] in _PAUSE_MARKS or text.startswith(lex.name_followers, end + 1):
        return end + 1
    return end


def _inside_dotted_part(text: str, start: int, end: int, lex: Lexicon) -> bool:
    """Whether ``text[end]`` continues the part of a dotted name begun just before it: after a dot
    the name goes on whatever its characters (拉吉夫·甘地, 罗伯特·奥布赖恩) for up to four of them."""
    part = text[max(start, end - 3):end]
    return any(d in part for d in NAME_DOTS) and bool(CJK_CHAR.match(text[end])) and text[end] not in lex.name_end


def _surname_name_after(s: SentenceState, start: int) -> tuple[int, int] | None:
    """A Chinese surname and a given name of two characters or one that form no common word."""
    text, lex = s.text, s.lex
    if not _is_surname_start(text, start, lex):
        return None
    surname = 2 if text[start:start + 2] in lex.surnames else 1
    for size in (surname + 2, surname + 1):
        end = start + size
        name = text[start:end]
        if end > len(text) or not s.free(start, end) or not _all_cjk(name):
            continue
        given = name[surname:]
        if any(c in lex.name_end for c in given) or (size == surname + 2 and (
                _is_common_word(s, name[:-1]) or _frequent(s.names.word_tags, name[:-1], lex))):
            continue
        if len(given) == 2 and _is_common_word(s, given, proper_ok=True) and not _ends_name(s, end, name[:-1]):
            continue
        if not _is_common_word(s, name) and _ends_a_word(s, start, end) and (
                not _frequent(s.names.word_tags, name, lex) or text[end:end + 1] in lex.name_end
                or text.startswith((*lex.name_followers, *_PAUSE_MARKS), end)):
            return start, end
    return None


def _ends_a_word(s: SentenceState, start: int, end: int) -> bool:
    """Whether jieba's segmentation of the text from ``start`` (a word start: a title ends there)
    breaks at ``end``: a name does not end inside a word (应定|期, 管不了, 向|我们), unless a word
    that follows names or a pause comes next (王定宇称: jieba reads 宇称 "parity")."""
    at = start
    for word in s.names.word_tags.cut(s.text[start:end + 4]):
        if at >= end:
            break
        at += len(word)
    return at == end or s.text.startswith((*s.lex.name_followers, *_PAUSE_MARKS), end)


def _frequent(words: WordTags, word: str, lex: Lexicon) -> bool:
    """A two-character word jieba's dictionary counts often enough to be a common word whatever its
    tag (顾问 and 陈述 are tagged as names): evidence against a surname + one character being a
    name. Three characters tagged as a name are one (马朝旭 is counted often too)."""
    return len(word) == 2 and words.frequency(word) >= lex.common_word_frequency


def _ends_name(s: SentenceState, end: int, shorter: str) -> bool:
    """A three-character name whose given name is also a word (蔡适应: 适应 "adapt"; 范国威: 国威;
    钟南山) is still the name when the name ends there (a word that follows names, a pause, a
    function word: 蔡适应说, 蔡适应：, 范国威、) and the first two characters are no name of their
    own (李强调 is 李强 + 调) nor end where a name would (金英哲: 哲 is no word start)."""
    tags = s.names.word_tags
    after = s.text[end:end + 1]
    if s.text.startswith(s.lex.name_followers, end):
        return not tags.get(shorter, "").startswith("nr")
    # a pause is weaker evidence: not after a surname that is mostly a function word (曾挑明 "once")
    return after != "" and after in s.lex.name_end and not tags.get(shorter, "").startswith("nr") \
        and not tags.get(shorter[0], "").startswith(("d", "p", "c", "u"))


def _add_after_role_nouns(s: SentenceState) -> None:
    """A Chinese name right after a role noun that no title lists (经济部次长曾文生说): a word
    ending in a rank morpheme (长, 官, 员 ...), then a surname and one or two characters that
    form no word, then a word that follows names (说, 表示; a comma too after a three-character
    name whose surname is no word of its own, unlike 曾 "once" or 向 "towards")."""
    lex, text = s.lex, s.text
    candidates = [m.start() + 1 for m in _rank_then_surname(lex.rank_endings, lex.surnames).finditer(text)]
    tags = s.names.word_tags
    for i in candidates:
        if not s.free(i - 1, i + 1) or text[i - 1:i + 1] in tags or not tags.get(text[i:i + 2], "nr").startswith("nr"):
            continue  # 相关, 任何, 官方: the rank character is inside a word; 许可: a word follows
        surname = 2 if text[i:i + 2] in lex.surnames else 1
        for size in (surname + 2, surname + 1):
            surface = text[i:i + size]
            # 安危, 许可: two characters are often a word jieba lacks, so they need a speech verb
            pauses = () if text[i] in lex.name_end or size == surname + 1 else _PAUSES
            if len(surface) == size and s.free(i, i + size) and _all_cjk(surface) \
                    and not any(c in lex.name_end for c in surface[surname:]) \
                    and not surface[surname:].startswith(lex.byline) \
                    and tags.get(surface, "nr").startswith("nr") and not _all_translit(surface, lex) \
                    and text.startswith((*lex.name_followers, *pauses), i + size):
                break
        else:
            continue
        span = (i, i + size)
        s.claim(*span)
        s.add(_zh_person(s, span[0], span[1], 0.7, _zh_display_name(surface, lex)))


def _add_translit_after_role_nouns(s: SentenceState) -> None:
    """A transliterated name right after a role noun that no title lists (副助卿费特进行,
    次卿培瑞斯。): a run of transliteration characters after a rank morpheme that ends a word
    (not 长达, 委托), itself no common word, up to a word that starts after names or a pause."""
    lex, text, tags = s.lex, s.text, s.names.word_tags
    for rank in _any_char(lex.rank_endings).finditer(text, 0, len(text) - 3):
        r = rank.start()
        if text[r:r + 2] in tags or not s.free(r + 1, r + 3):
            continue
        span = _translit_name_after(s, r + 1) if text[r + 1] in lex.translit else _rare_first(s, r + 1)
        if span is None or span[1] - span[0] > 6 or any(c in NAME_DOTS for c in text[span[0]:span[1]]):
            continue
        after = text[span[1]:span[1] + 1]
        if after and after not in lex.name_end and not text.startswith(lex.name_followers, span[1]) \
                and after not in "。！？" and not _verb_starts_at(s, span[1]):
            continue
        surface = text[span[0]:span[1]]
        s.claim(*span)
        s.add(_zh_person(s, span[0], span[1], 0.7, surface))


def _rare_first(s: SentenceState, start: int) -> tuple[int, int] | None:
    """A transliteration whose first character the table lacks (次卿培瑞斯): two of the table's
    follow it and it makes no word with the next one."""
    text, lex = s.text, s.lex
    if text[start] in lex.name_end or not CJK_CHAR.match(text[start]) or text[start:start + 2] in s.names.word_tags \
            or not all(c in lex.translit and c not in lex.name_end for c in text[start + 1:start + 3]):
        return None
    end = start + 1
    while end < len(text) and end - start < 6 and text[end] in lex.translit and text[end] not in lex.name_end \
            and s.free(end, end + 1):
        end += 1
    return None if _is_common_word(s, text[start:end]) else (start, end)


def _verb_starts_at(s: SentenceState, i: int) -> bool:
    """A verb jieba knows starts at ``i`` (副助卿费特进行对谈: 进行)."""
    return s.names.word_tags.get(s.text[i:i + 2]).startswith("v") and _word_starts_at(s.names.word_tags, s.text, i)


@lru_cache(maxsize=4)
def _any_char(chars: frozenset[str]) -> re.Pattern[str]:
    """Any one of the single characters of ``chars``: a regex finds the few rank characters of a
    sentence faster than a loop over all its characters."""
    singles = "".join(sorted(c for c in chars if len(c) == 1))
    return re.compile(f"[{re.escape(singles)}]" if singles else "(?!)")


@lru_cache(maxsize=4)
def _rank_then_surname(rank_endings: frozenset[str], surnames: frozenset[str]) -> re.Pattern[str]:
    """A rank character followed by the first character of a surname (overlapping matches)."""
    firsts = "".join(sorted({x[0] for x in surnames}))
    return re.compile(f"[{re.escape(''.join(sorted(rank_endings)))}](?=[{re.escape(firsts)}])")


# --- helpers ------------------------------------------------------------------------------------

def _in_byline(s: SentenceState, m: Mention) -> bool:
    """记者 王小明 报道, （摄影：张三）, 编辑：李四 — names of the outlet's staff."""
    before = s.text[max(0, m.begin - 8):m.begin].rstrip(" \u3000：:/（(")
    after = s.text[m.end:m.end + 4].lstrip(" \u3000")
    return before.endswith(_byline_ends(s.lex.byline)) or after.startswith(("报道", "摄", "编辑"))


def news_part(text: str, lexicon: Lexicon) -> str:
    """The article without the notes on its staff that may close it: from the line holding the
    first staff_notes word on (储百亮对本文有报道贡献; a reporter's biography, "他自1989年加入时报，
    曾在莫斯科、巴格达……进行报道", ending 欢迎在Twitter上关注他), the states and people are the
    reporters' past, not the news."""
    found = [i for i in (text.find(w) for w in lexicon.staff_notes) if i >= 0]
    if not found:
        return text
    return text[:text.rfind("\n", 0, min(found)) + 1]


@lru_cache(maxsize=4)
def _byline_ends(byline: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(b.rstrip("/：") for b in byline)


def _zh_person(s: SentenceState, begin: int, end: int, confidence: float, name: str) -> Mention:
    """A person a rule found by a Chinese name the gazetteer does not list: the known person whose
    listed transliteration sounds the same (Gazetteer.sounding_like), else a new one."""
    surface = s.text[begin:end]
    known = s.gaz.sounding_like(surface)
    if known is not None:
        return Mention(known.id, "Person", begin, end, surface, country=known.country, confidence=confidence,
                       acts_for=s.gaz.represents(known.id, s.published))
    return Mention(_zh_person_id(surface), "Person", begin, end, surface, confidence=confidence, name=name)


@lru_cache(maxsize=4096)
def _zh_person_id(surface: str) -> str:
    return "person:zh-" + syllables(surface)


def _zh_display_name(surface: str, lex: Lexicon) -> str:
    """Pinyin name for Chinese names (汪文斌 -> Wang Wenbin); transliterations stay as written."""
    if _all_translit(surface, lex) or not _is_surname_start(surface, 0, lex):
        return surface
    from pypinyin import lazy_pinyin

    size = 2 if surface[:2] in lex.surnames else 1
    family, given = lazy_pinyin(surface[:size]), lazy_pinyin(surface[size:])
    return f"{''.join(family).capitalize()} {''.join(given).capitalize()}"


def _is_common_word(s: SentenceState, word: str, *, proper_ok: bool = False) -> bool:
    """True when jieba's bundled dictionary knows ``word`` as something other than a person name
    (任期, 亚洲): a title followed by such a word is not a title + name. With ``proper_ok`` other
    proper nouns pass too: a given name may be one (解振华's 振华)."""
    tag = s.names.word_tags.get(word)
    if not tag or tag.startswith("nr"):
        return False
    return not (proper_ok and tag.startswith(("ns", "nt", "nz")))
