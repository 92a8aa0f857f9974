"""Gazetteers of persons, countries, organisations and places, and one compiled matcher over them.

The tables are YAML files under ``schema/gazetteer/`` (documented at the top of each file) plus the
CLDR territory names that Babel ships, so the country table never goes stale and is not copied.
``Gazetteer.load`` reads and validates everything once; extractors receive the loaded object as an
argument (nothing is read at import time). ``Gazetteer.scan`` runs one Aho-Corasick pass over a
sentence (``kg.extract.keys``) and keeps the longest non-overlapping matches, so 印度尼西亚 wins over
印度 and the blocker 美元 wins over 美; of two as long, a name wins over a generated verb form (对美国:
美国, not 对美).

Keys are simplified Chinese (traditional aliases are folded with OpenCC, because sentences reach
the recogniser in simplified characters with unchanged offsets) and English exactly as written:
English matching is case-sensitive with word-boundary checks, because lower-cased matching turns
"us", "price" or "trump" into mentions.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from kg.errors import SchemaError
from kg.extract.keys import KeyMatcher
from kg.records import ID_PREFIX_LABELS
from kg.readers.text import is_latin, to_simplified
from kg.schema import load_yaml, schema_dir

_DOT_VARIANTS = ("·", "‧", "•", "・", "∙")
_LATIN_WORD = re.compile(r"[A-Za-z0-9]")


def default_schema_dir() -> Path:
    """The ``gazetteer`` folder of the schema (``$KG_SCHEMA_DIR`` lets an analyst use an extended copy)."""
    return schema_dir() / "gazetteer"


def slugify(text: str) -> str:
    """ASCII slug used in ids: accents dropped, lower case, runs of other characters -> '-'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


NOBODY = ""  # Gazetteer.represents / Mention.acts_for of a former office holder: no party at all


@dataclass(frozen=True, slots=True)
class Role:
    """One dated office: ``start``/``end`` None mean unknown/open (still in office)."""

    title: str
    country: str | None = None
    org: str | None = None
    start: date | None = None
    end: date | None = None

    def holds_on(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    """A known entity. ``country`` is the state a person serves, a place lies in or a body belongs
    to; ``iso2`` is set for countries only; ``kind`` classifies organisations."""

    id: str
    type: str  # Person | Country | Organization | Place
    name: str
    aliases: tuple[str, ...] = ()
    country: str | None = None
    iso2: str | None = None
    roles: tuple[Role, ...] = ()
    kind: str | None = None
    part_of: str | None = None  # the organisation a body belongs to (European Commission -> org:eu)
    within: str | None = None  # the place a place lies in (Anchorage -> place:alaska): one venue, not two


NAME_DOTS = "·‧•・∙．"  # dots between a foreign name's parts; ． (a full-width full stop) in Hong Kong text


@lru_cache(maxsize=4096)  # asked for every unlisted name a rule finds (Gazetteer.sounding_like, person ids)
def syllables(name: str) -> str:
    """A Chinese name's sound as pinyin syllables without tones (拉夫罗夫 -> la-fu-luo-fu), dots dropped."""
    from pypinyin import lazy_pinyin

    return "-".join(slugify(x) for x in lazy_pinyin(re.sub(f"[{NAME_DOTS}]", "", name)) if slugify(x))


@dataclass(slots=True, unsafe_hash=True)  # a value, not frozen: see Mention
class Match:
    """A dictionary hit in a sentence. ``entry_ids`` is empty for blockers (美元, 其中)."""

    begin: int
    end: int
    key: str
    entry_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Abbreviation:
    """A one-character country form (美 -> US); ``target`` is an ISO2 code or an org id (欧)."""

    char: str
    target: str
    alone: bool
    verb: bool
    in_runs: bool


@dataclass(frozen=True)
class Lexicon:
    """Word lists of the recogniser's rules (countries.yaml compounds, titles.yaml)."""

    abbreviations: Mapping[str, Abbreviation]
    compound_context: tuple[str, ...]
    single_context: tuple[str, ...]
    compounds: Mapping[str, tuple[str, ...]]
    not_before_ri: frozenset[str]
    titles: Mapping[str, str]
    english_titles: Mapping[str, str | None]
    title_modifiers: tuple[str, ...]
    former_modifiers: tuple[str, ...]
    rank_endings: frozenset[str]
    name_followers: tuple[str, ...]
    surnames: frozenset[str]
    common_word_frequency: int
    japanese_surnames: frozenset[str]
    name_end: frozenset[str]
    translit: frozenset[str]
    non_person_words: frozenset[str]
    byline: tuple[str, ...]
    staff_notes: tuple[str, ...]

    @cached_property
    def abbreviation_chars(self) -> re.Pattern[str]:
        """Any one-character state form (美, 中): a regex finds the few of a sentence faster than
        a loop over its characters."""
        return re.compile(f"[{re.escape(''.join(sorted(self.abbreviations)))}]" if self.abbreviations else "(?!)")


@dataclass
class Gazetteer:
    """All entries, the alias index and the rule lexicon; build with :meth:`load`.

    Picklable: the key matcher is dropped when pickled and rebuilt on first use, so worker
    processes can receive a loaded gazetteer cheaply.
    """

    entries: dict[str, GazetteerEntry]
    keys: dict[str, tuple[str, ...]]  # match key -> entry ids (() for blockers)
    lexicon: Lexicon
    verb_forms: frozenset[str] = frozenset()  # generated verb + abbreviation keys (访华, 对美): see scan

    @classmethod
    def load(cls, schema_dir: Path | None = None) -> Gazetteer:
        """Read every table under ``schema_dir`` (default: the repository's schema/gazetteer)."""
        folder = schema_dir or default_schema_dir()
        builder = _Builder(folder)
        countries = _read_yaml(folder / "countries.yaml", dict)
        titles = _read_yaml(folder / "titles.yaml", dict)
        builder.add_cldr_countries(countries)
        for name, typ in (("organizations.yaml", "Organization"), ("persons.yaml", "Person"),
                          ("places.yaml", "Place")):
            path = folder / name
            for i, item in enumerate(_read_yaml(path, list)):
                builder.add_item(path, i, item, typ)
        lexicon = _lexicon(folder, countries, titles)
        builder.add_abbreviation_forms(folder / "countries.yaml", countries, lexicon)
        builder.add_blockers(folder / "countries.yaml", countries.get("blockers") or [])
        for entry in builder.entries.values():
            for link, target in (("part_of", entry.part_of), ("within", entry.within)):
                if target and target not in builder.entries:
                    raise SchemaError(f"{builder.sources[entry.id]}: {link} {target!r} is no known id")
        return cls(entries=builder.entries, keys=builder.frozen_keys(), lexicon=lexicon,
                   verb_forms=frozenset(builder.verb_forms))

    def entry(self, entity_id: str) -> GazetteerEntry:
        """The entry with this id; KeyError names the id when it is unknown."""
        try:
            return self.entries[entity_id]
        except KeyError:
            raise KeyError(f"no gazetteer entry with id {entity_id!r}") from None

    def lookup(self, alias: str, type_: str | None = None) -> tuple[GazetteerEntry, ...]:
        """Entries whose alias is exactly ``alias`` (simplified or English), optionally one type."""
        key = alias if is_latin(alias) else to_simplified(alias)
        found = (self.entries[i] for i in self.keys.get(key, ()))
        return tuple(e for e in found if type_ is None or e.type == type_)

    def role_on(self, person_id: str, day: date | None) -> Role | None:
        """The role a person held on ``day``: the first one listed in persons.yaml among those
        held then (list order is priority: Wang Yi is "foreign minister" before "state councilor").
        With no day, the most recently started role; None if they held none on that day."""
        roles = self.entry(person_id).roles
        if day is None:
            return max(roles, key=lambda r: r.start or date.min) if roles else None
        return next((r for r in roles if r.holds_on(day)), None)

    def represents(self, person_id: str, day: date | None) -> str | None:
        """The state or organisation a known person acts for on ``day``, as an entity id.

        Representation comes from the office held, not from nationality: the head of an
        intergovernmental body acts for that body (Stoltenberg -> org:nato), an official of one of
        its institutions for the body it belongs to (von der Leyen -> org:eu), anyone else for the
        state of their office. A former official of an intergovernmental body acts for nobody
        (NOBODY); a former state official, or a person with no dated office, for their country
        (former state officials in the news are mostly told about their time in office)."""
        entry = self.entries.get(person_id)
        if entry is None:
            return None
        role = self.role_on(person_id, day) if day else None
        if role is None:
            last = max(entry.roles, key=lambda r: r.end or date.max) if entry.roles else None
            if day and last and last.end and last.end < day and self._intergovernmental(last.org):
                return NOBODY
            return f"country:{entry.country}" if entry.country else None
        if self._intergovernmental(role.org):
            org = self.entries[role.org]  # type: ignore[index]
            return org.part_of or org.id
        return f"country:{role.country}" if role.country else None

    def _intergovernmental(self, org_id: str | None) -> bool:
        """Whether an organisation belongs to no state (NATO, the European Commission)."""
        org = self.entries.get(org_id) if org_id else None
        return org is not None and org.country is None

    def scan(self, text: str) -> list[Match]:
        """Longest non-overlapping dictionary matches in ``text``, in text order; of two as long, a
        name before a generated verb form (对美国: 美国, not 对美 and a stray 国), else the leftmost."""
        # plain tuples until a hit is chosen: most candidates lose to a longer one (every sentence is scanned)
        candidates: list[tuple[int, bool, int, str, tuple[str, ...]]] = []  # (-length, verb form, begin, key, ids)
        for begin, end, (key, ids, latin) in self._matcher.find(text):
            if latin and not _on_word_boundaries(text, begin, end):
                continue
            candidates.append((begin - end, key in self.verb_forms, begin, key, ids))
        candidates.sort()  # longest first, names before verb forms, then leftmost (one key per span)
        taken = bytearray(len(text))
        chosen = []
        for negative_length, _verb, begin, key, ids in candidates:
            end = begin - negative_length
            if taken.find(1, begin, end) < 0:
                taken[begin:end] = b"\x01" * (end - begin)
                chosen.append((begin, end, key, ids))
        chosen.sort()  # text order (the chosen spans never share a start)
        return [Match(*c) for c in chosen]

    def holder_of(self, title: str, holder: str, day: date | None) -> str | None:
        """The one person who held ``title`` for ``holder`` (an ISO2 code or an organisation id) on
        ``day`` (俄罗斯外长 in March 2021 -> person:sergey-lavrov); None when unknown or ambiguous."""
        if day is None:
            return None
        found = {pid for pid, role in self._role_index.get((title, holder), ()) if role.holds_on(day)}
        return found.pop() if len(found) == 1 else None

    def sounding_like(self, surface: str) -> GazetteerEntry | None:
        """The one known person with a transliterated alias read the same (维斯特齐尔 for 维斯特奇尔,
        both wei-si-te-qi-er): outlets write one foreign name with different characters of one
        sound, so an unlisted transliteration of three characters or more that sounds like a listed
        one is that person. None when no one or more than one person has it, or for a name that is
        not all transliteration characters (王一 is not 王毅)."""
        surface = to_simplified(surface)
        if len(surface) < 3 or not self._translit(surface):
            return None
        found = self._sound_index.get(syllables(surface), set())
        return self.entries[next(iter(found))] if len(found) == 1 else None

    def _translit(self, surface: str) -> bool:
        return all(c in self.lexicon.translit or c in NAME_DOTS for c in surface)

    @cached_property
    def _sound_index(self) -> dict[str, set[str]]:
        index: dict[str, set[str]] = {}
        for e in self.entries.values():
            if e.type == "Person":
                for alias in e.aliases:
                    if not is_latin(alias) and len(alias) >= 3 and self._translit(to_simplified(alias)):
                        index.setdefault(syllables(alias), set()).add(e.id)
        return index

    @cached_property
    def _role_index(self) -> dict[tuple[str, str], list[tuple[str, Role]]]:
        index: dict[tuple[str, str], list[tuple[str, Role]]] = {}
        for e in self.entries.values():
            for role in e.roles if e.type == "Person" else ():
                for holder in filter(None, (role.org, role.country)):
                    index.setdefault((role.title, holder), []).append((e.id, role))
        return index

    @cached_property
    def _matcher(self) -> KeyMatcher[tuple[str, tuple[str, ...], bool]]:
        # Latin keys match on word boundaries only
        return KeyMatcher({key: (key, ids, is_latin(key)) for key, ids in self.keys.items()})

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("_matcher", None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)


def _on_word_boundaries(text: str, begin: int, end: int) -> bool:
    before = text[begin - 1] if begin > 0 else " "
    after = text[end] if end < len(text) else " "
    return not _LATIN_WORD.match(before) and not _LATIN_WORD.match(after)


def _read_yaml(path: Path, expected: type) -> Any:
    data = load_yaml(f"gazetteer/{path.name}", path.parent)
    if not isinstance(data, expected):
        raise SchemaError(f"{path}: top level must be a {expected.__name__}, got {type(data).__name__}")
    return data


def _as_date(value: Any, where: str) -> date | None:
    """YAML gives dates as date objects, years as ints; 'YYYY-MM' strings are accepted too."""
    if value is None or isinstance(value, date):
        return value
    text = str(value)
    for fmt, pad in ((r"\d{4}-\d{2}-\d{2}", ""), (r"\d{4}-\d{2}", "-01"), (r"\d{4}", "-01-01")):
        if re.fullmatch(fmt, text):
            return date.fromisoformat(text + pad)
    raise SchemaError(f"{where}: bad date {value!r} (use YYYY-MM-DD, YYYY-MM or YYYY)")


def _count(table: dict[str, Any], name: str, path: Path) -> int:
    """A whole number of the table; missing, none counts (a count no word reaches)."""
    value = table.get(name, 2 ** 62)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise SchemaError(f"{path}: {name} must be a whole number of 0 or more, got {value!r}")
    return value


def _str_list(value: Any, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
        raise SchemaError(f"{where}: expected a list of names, got {value!r}")
    return [str(v) for v in value]


def _key_variants(alias: str) -> set[str]:
    """Match keys for one alias: simplified form, and every dot spelling of dotted names."""
    if is_latin(alias):
        return {alias}
    simple = to_simplified(alias)
    if not any(d in simple for d in _DOT_VARIANTS):
        return {simple}
    base = re.sub("[" + "".join(_DOT_VARIANTS) + "]", "·", simple)
    return {base.replace("·", d) for d in _DOT_VARIANTS}


class _Builder:
    """Accumulates entries and keys, and reports conflicts with the file they come from."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.entries: dict[str, GazetteerEntry] = {}
        self.sources: dict[str, str] = {}
        self.keys: dict[str, list[str]] = {}
        self.blockers: set[str] = set()
        self.verb_forms: set[str] = set()

    def frozen_keys(self) -> dict[str, tuple[str, ...]]:
        out = {k: tuple(v) for k, v in self.keys.items()}
        out.update({b: () for b in self.blockers})
        return out

    def add_entry(self, entry: GazetteerEntry, where: str, *, strict: bool = True) -> None:
        if entry.id in self.entries:
            raise SchemaError(f"{where}: duplicate id {entry.id!r} (first in {self.sources[entry.id]})")
        self.entries[entry.id] = entry
        self.sources[entry.id] = where
        for alias in entry.aliases:
            self.add_key(alias, entry.id, where, strict=strict)

    def add_key(self, alias: str, entity_id: str, where: str, *, strict: bool = True) -> bool:
        """Index ``alias``; an alias shared by two entries of the same type is a conflict (an
        error for curated data, skipped for generated forms). Returns whether it was added."""
        typ = self.entries[entity_id].type
        added = False
        for key in _key_variants(alias):
            ids = self.keys.setdefault(key, [])
            if entity_id in ids:
                continue
            rival = next((i for i in ids if self.entries[i].type == typ), None)
            if rival is not None:
                if strict:
                    raise SchemaError(f"{where}: alias {alias!r} of {entity_id} is already an alias "
                                      f"of {rival} ({self.sources[rival]}); keep it on one entry")
                continue
            ids.append(entity_id)
            added = True
        return added

    def add_cldr_countries(self, table: dict[str, Any]) -> None:
        import babel

        path = self.folder / "countries.yaml"
        excluded = set(_str_list(table.get("exclude_codes"), f"{path}: exclude_codes"))
        locales = [babel.Locale.parse(x).territories for x in ("zh_Hans_CN", "zh_Hant", "en")]
        names = table.get("names") or {}
        extra = table.get("aliases") or {}
        for code in extra:
            if not isinstance(code, str) or code not in locales[2]:
                raise SchemaError(f"{path}: aliases: {code!r} is not an ISO2 code known to CLDR "
                                  f"(quote codes YAML reads as booleans: \"NO\")")
        for code, english in sorted(locales[2].items()):
            if not re.fullmatch(r"[A-Z]{2}", code) or code in excluded:
                continue
            aliases = [loc[code] for loc in locales if code in loc]
            aliases += _str_list(extra.get(code), f"{path}: aliases.{code}")
            entry = GazetteerEntry(id=f"country:{code}", type="Country",
                                   name=str(names.get(code) or english),
                                   aliases=tuple(dict.fromkeys(aliases)), iso2=code)
            self.add_entry(entry, f"{path} ({code})")

    def add_item(self, path: Path, index: int, item: Any, typ: str) -> None:
        where = f"{path}: item {index + 1}"
        if not isinstance(item, dict) or not item.get("name"):
            raise SchemaError(f"{where}: each item needs at least a name, got {item!r}")
        name = str(item["name"])
        where = f"{where} ({name})"
        prefix = next(p for p, label in ID_PREFIX_LABELS.items() if label == typ)
        entity_id = str(item.get("id") or f"{prefix}:{slugify(name)}")
        if not entity_id.startswith(prefix + ":"):
            raise SchemaError(f"{where}: id {entity_id!r} must start with {prefix!r}:")
        country = item.get("country")
        if country is not None and not re.fullmatch(r"[A-Z]{2}", str(country)):
            raise SchemaError(f"{where}: country {country!r} is not an ISO2 code "
                              f"(quote codes YAML reads as booleans: \"NO\")")
        aliases = _str_list(item.get("aliases"), f"{where}: aliases")
        if typ != "Organization" or is_latin(name):
            aliases.append(name)
        entry = GazetteerEntry(id=entity_id, type=typ, name=name,
                               aliases=tuple(dict.fromkeys(aliases)), country=country,
                               roles=tuple(_roles(item.get("roles"), country, where)),
                               kind=item.get("kind"), part_of=item.get("part_of"),
                               within=item.get("within"))
        self.add_entry(entry, where)

    def add_abbreviation_forms(self, path: Path, table: dict[str, Any], lexicon: Lexicon) -> None:
        """Generated aliases: side forms (中方, 美军) and verb forms (访华, 驻美)."""
        sides = _str_list(table.get("side_suffixes"), f"{path}: side_suffixes")
        verbs = _str_list(table.get("verb_prefixes"), f"{path}: verb_prefixes")
        for abbr in lexicon.abbreviations.values():
            target = _target_id(abbr.target)
            if target not in self.entries:
                raise SchemaError(f"{path}: abbreviation {abbr.char!r} points to unknown {target!r}")
            forms = [abbr.char + s for s in sides] if abbr.in_runs else []
            verb_forms = [v + abbr.char for v in verbs] if abbr.verb else []
            self.verb_forms.update(verb_forms)
            for form in forms + verb_forms:
                self.add_key(form, target, f"{path} (generated {form})", strict=False)
        for compound, targets in lexicon.compounds.items():
            for target in targets:
                if _target_id(target) not in self.entries:
                    raise SchemaError(f"{path}: compound {compound!r} names unknown {target!r}")

    def add_blockers(self, path: Path, words: Iterable[Any]) -> None:
        for word in _str_list(list(words), f"{path}: blockers"):
            key = to_simplified(word)
            if key in self.keys:
                raise SchemaError(f"{path}: blocker {word!r} is also an alias of "
                                  f"{', '.join(self.keys[key])}; remove one of them")
            self.blockers.add(key)


def _target_id(target: str) -> str:
    """Abbreviation/compound targets are ISO2 codes or full entity ids (org:eu)."""
    return target if ":" in target else f"country:{target}"


def _roles(raw: Any, country: str | None, where: str) -> list[Role]:
    roles = []
    for spec in raw or []:
        if not isinstance(spec, list) or not 1 <= len(spec) <= 4:
            raise SchemaError(f"{where}: role {spec!r} must be [title, from, to] or "
                              f"[title, from, to, org-id]")
        title, start, end, org = (list(spec) + [None, None, None])[:4]
        roles.append(Role(title=str(title), country=country, org=org,
                          start=_as_date(start, where), end=_as_date(end, where)))
    return roles


def _lexicon(folder: Path, countries: dict[str, Any], titles: dict[str, Any]) -> Lexicon:
    cpath, tpath = folder / "countries.yaml", folder / "titles.yaml"
    abbreviations = {}
    for char, spec in (countries.get("abbreviations") or {}).items():
        if not isinstance(spec, dict) or "id" not in spec or len(str(char)) != 1:
            raise SchemaError(f"{cpath}: abbreviations.{char}: expected one character mapped to "
                              f"{{id: ISO2, alone: bool, verb: bool}}, got {spec!r}")
        abbreviations[str(char)] = Abbreviation(str(char), str(spec["id"]), bool(spec.get("alone")),
                                                bool(spec.get("verb")),
                                                bool(spec.get("in_runs", True)))
    compounds = {}
    for word, targets in (countries.get("compounds") or {}).items():
        compounds[to_simplified(str(word))] = tuple(_str_list(targets, f"{cpath}: compounds.{word}"))
    title_map = titles.get("titles")
    if not isinstance(title_map, dict) or not title_map:
        raise SchemaError(f"{tpath}: 'titles' must map Chinese titles to English roles")

    def words(table: dict[str, Any], name: str, path: Path) -> list[str]:
        return [to_simplified(w) for w in _str_list(table.get(name), f"{path}: {name}")]

    return Lexicon(
        abbreviations=abbreviations,
        compound_context=tuple(words(countries, "compound_context", cpath)),
        single_context=tuple(words(countries, "single_context", cpath)),
        compounds=compounds,
        not_before_ri=frozenset(words(countries, "not_before_ri", cpath)),
        titles={to_simplified(str(k)): str(v) for k, v in title_map.items()},
        english_titles={str(k): (None if v is None else str(v))
                        for k, v in (titles.get("english_titles") or {}).items()},
        title_modifiers=tuple(words(titles, "title_modifiers", tpath)),
        former_modifiers=tuple(words(titles, "former_modifiers", tpath)),
        rank_endings=frozenset(words(titles, "rank_endings", tpath)),
        name_followers=tuple(words(titles, "name_followers", tpath)),
        surnames=frozenset(words(titles, "surnames", tpath)),
        common_word_frequency=_count(titles, "common_word_frequency", tpath),
        japanese_surnames=frozenset(words(titles, "japanese_surnames", tpath)),
        name_end=frozenset(words(titles, "name_end", tpath)),
        translit=frozenset(to_simplified(str(titles.get("translit") or ""))),
        non_person_words=frozenset(_str_list(titles.get("non_person_words"),
                                             f"{tpath}: non_person_words")),
        byline=tuple(words(titles, "byline", tpath)),
        staff_notes=tuple(words(titles, "staff_notes", tpath)),
    )
