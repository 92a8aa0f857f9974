"""What the entity recognisers share: the ``Mention`` record, the tables of name finding beyond
the gazetteer (jieba's word tags, the English name words) and the working state of one sentence.

Chinese rules (``entities.py``) and English rules (``en_names.py``) both work on a
``SentenceState``; keeping it here lets each import it without importing the other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from kg.errors import SchemaError
from kg.extract.gazetteer import Gazetteer, Lexicon
from kg.extract.jieba_words import WordTags
from kg.schema import load_yaml


@dataclass(slots=True, unsafe_hash=True)
class Mention:
    """One mention of an entity in a sentence (offsets into that sentence). A value: never changed
    once made (``dataclasses.replace`` makes another), hashed and compared by its fields. Not
    ``frozen``: a frozen dataclass sets each field through ``object.__setattr__``, which made
    creating one four times as slow, and every sentence creates several (the same for the other
    records of the recognisers' inner loops: ``Match``, ``Trigger``, ``SentenceFacts``,
    ``DateMention``, ``_Known``, ``_Token``)."""

    entity_id: str
    type: str
    begin: int
    end: int
    surface: str
    role: str | None = None  # role stated in the text (外长 -> "foreign minister"), else the
    # gazetteer role on the publication date (find_mentions; ArticleEntities fills it in entities())
    country: str | None = None  # ISO2 the person acts for (gazetteer or text prefix)
    confidence: float = 1.0
    name: str | None = None  # English/display name of a discovered person (None: gazetteer name)
    acts_for: str | None = None  # entity id of the state or organisation a person acts for (the
    # title in the text: 北约秘书长 -> org:nato, else the gazetteer office on the publication day),
    # or the organisation a body is part of (欧盟委员会 -> org:eu); NOBODY for a former office holder
    qualifies: bool = False  # a state or body named only as the prefix of a person's title
    # (北约秘书长斯托尔滕贝格): it takes part through that person, or not at all
    by_title: bool = False  # a person named by no name, only by a title whose holder that day is
    # known (俄罗斯外长 -> Lavrov): not one of the article's named persons unless a name follows


@dataclass(frozen=True)
class EnglishNames:
    """The word lists of ``schema/english.yaml`` (``names``) that the rules consult."""

    role_nouns: frozenset[str]
    speech_verbs: tuple[str, ...]
    person_verbs: tuple[str, ...]
    relative_role_verbs: frozenset[str]
    body_nouns: frozenset[str]
    openers: frozenset[str]
    particles: frozenset[str]
    not_names: frozenset[str]
    not_after: tuple[str, ...]
    apposition_openers: frozenset[str]
    place_in_name: re.Pattern[str]  # after a place: "Paris agreement"
    place_in_name_before: re.Pattern[str]  # before a state: "Gulf of Oman"
    country_not_after: re.Pattern[str]  # "an expert on Russia": Russia is no state of theirs
    title_sex: dict[str, str]  # "Mr" -> "m", "Ms" -> "f"
    pronoun_sex: dict[str, str]  # "he" -> "m", "her" -> "f"

    def is_role(self, word: str) -> bool:
        """An office or profession noun ("ministers" and "prime-minister" count too)."""
        for part in word.lower().strip("’'").split("-"):
            singular = (part[:-1] if part.endswith("s") else part[:-3] + "man" if part.endswith("men") else part)
            if part in self.role_nouns or singular in self.role_nouns:
                return True
        return False


def load_english_names() -> EnglishNames:
    """The English name lexicon (``names`` of ``schema/english.yaml``)."""
    raw = load_yaml("english.yaml")
    try:
        names = raw["names"]
        for key, words in names.items():
            if not all(isinstance(w, str) for w in words):  # YAML reads a bare On or No as a boolean
                raise TypeError(f"names.{key}: every entry must be a string (quote it)")
        return EnglishNames(role_nouns=frozenset(w.lower() for w in names["role_nouns"]),
                            speech_verbs=tuple(names["speech_verbs"]), person_verbs=tuple(names["person_verbs"]),
                            relative_role_verbs=frozenset(names["relative_role_verbs"]),
                            body_nouns=frozenset(names["body_nouns"]),
                            openers=frozenset(names["openers"]),
                            particles=frozenset(names["particles"]), not_names=frozenset(names["not_names"]),
                            not_after=tuple(names["not_after"]),
                            apposition_openers=frozenset(names["apposition_openers"]),
                            place_in_name=_words_at(names["place_in_name_after"], start=True),
                            place_in_name_before=_words_at(names["place_in_name_before"], start=False),
                            country_not_after=_words_at(names["country_not_after"], start=False),
                            title_sex=_sexes(names["male_titles"], names["female_titles"]),
                            pronoun_sex=_sexes(names["male_pronouns"], names["female_pronouns"]))
    except (KeyError, TypeError) as exc:
        raise SchemaError(f"schema/english.yaml: malformed names section ({exc!r})") from exc


def _sexes(male: list[str], female: list[str]) -> dict[str, str]:
    return {**{w: "m" for w in male}, **{w: "f" for w in female}}


def _words_at(words: list[str], *, start: bool) -> re.Pattern[str]:
    """Any of ``words`` (case-insensitive) opening a text (start) or ending it."""
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    if start:
        return re.compile(rf"\s*(?:{alternatives})(?![\w-])", re.IGNORECASE)
    return re.compile(rf"(?<![\w-])(?:{alternatives})\s+$", re.IGNORECASE)


@dataclass(frozen=True)
class NameTables:
    """The tables name finding reads besides the gazetteer."""

    word_tags: WordTags
    english: EnglishNames

    @classmethod
    def load(cls) -> NameTables:
        return cls(word_tags=WordTags(), english=load_english_names())


class SentenceState:
    """Working state for one sentence: the text, claimed characters and mentions so far."""

    def __init__(self, text: str, gazetteer: Gazetteer, names: NameTables, published: date | None = None) -> None:
        self.text = text
        self.gaz = gazetteer
        self.names = names
        self.published = published
        self.lex: Lexicon = gazetteer.lexicon
        self.taken = bytearray(len(text))
        self.mentions: list[Mention] = []

    def free(self, begin: int, end: int) -> bool:
        return 0 <= begin < end <= len(self.text) and not any(self.taken[begin:end])

    def claim(self, begin: int, end: int) -> None:
        self.taken[begin:end] = b"\x01" * (end - begin)

    def add(self, m: Mention) -> None:
        self.mentions.append(m)

    def person_at(self, begin: int) -> int | None:
        return next((i for i, m in enumerate(self.mentions)
                     if m.type == "Person" and m.begin == begin), None)

    def ending_at(self, end: int) -> Mention | None:
        return next((m for m in self.mentions if m.end == end and m.type in ("Country", "Organization")
                     and not m.entity_id.startswith("place:")), None)

    def ending_inside(self, begin: int, end: int) -> Mention | None:
        """The state or body named from before ``begin`` to a point inside begin..end."""
        return next((m for m in self.mentions if m.begin < begin < m.end < end and m.type in ("Country", "Organization")
                     and not m.entity_id.startswith("place:")), None)
