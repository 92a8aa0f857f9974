"""Which of an entity's names to show: pure functions over the names and aliases the graph stores.

Extraction records every surface form an entity was found under, and some are not names of it:
中美外长 ("the Chinese and US foreign ministers") resolves to Wang Yi but names a pair of
ministers, 中美 is an alias of China and of the United States. Such a form starts with a run of two
or more different one-character country abbreviations (schema/gazetteer/countries.yaml, the same
table the extractor reads compounds with), which no name of one person, state or body does.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from functools import cache

from kg.schema import load_yaml

_HAN = re.compile(r"[\u3400-\u9fff]")


@cache
def country_abbreviations() -> frozenset[str]:
    """The one-character forms of states used in compounds (中, 美, 俄, ...)."""
    return frozenset(load_yaml("gazetteer/countries.yaml").get("abbreviations") or {})


def pair_phrase(alias: str, abbreviations: Collection[str]) -> bool:
    """Whether ``alias`` begins with two or more different country abbreviations (中美, 俄中外长)."""
    run = ""
    for c in alias:
        if c not in abbreviations or c in run:
            break
        run += c
    return len(run) >= 2


def own_aliases(aliases: Sequence[str], abbreviations: Collection[str] | None = None) -> list[str]:
    """The aliases that are names of the entity itself (pair phrases left out), in their order."""
    abbr = country_abbreviations() if abbreviations is None else abbreviations
    return [a for a in aliases if not pair_phrase(a, abbr)]


def native_name(name: str, aliases: Sequence[str], abbreviations: Collection[str] | None = None,
                iso2: str | None = None) -> str:
    """The name as the (mostly Chinese) articles write it: a state's Chinese name from CLDR (its
    aliases include seats and bodies, 中共中央外事工作委员会办公室 for China), else the first own
    alias in Chinese characters that is not a title (俄外长), else the first title, else ``name``
    (the English one)."""
    if iso2 and (chinese := chinese_country_names().get(iso2.upper())):
        return chinese
    chinese_forms = [a for a in own_aliases(aliases, abbreviations) if _HAN.search(a)]
    titles = tuple(titles_zh())
    return next((a for a in chinese_forms if not a.endswith(titles)), chinese_forms[0] if chinese_forms else name)


@cache
def titles_zh() -> frozenset[str]:
    """Chinese role titles (schema/gazetteer/titles.yaml): 俄外长 ends in one, so it describes a
    person by office and is no name of theirs."""
    return frozenset(load_yaml("gazetteer/titles.yaml").get("titles") or {})


@cache
def chinese_country_names() -> dict[str, str]:
    """ISO2 -> the state's name in simplified Chinese (CLDR, the data the gazetteer's countries come from)."""
    from babel import Locale

    return dict(Locale("zh").territories)


def country_name(iso2: str, stored: str | None) -> str:
    """A state's English name: the graph's, else CLDR's (a state only ever named by its code in the
    articles has no name in the graph), else the code."""
    if stored and stored != iso2:
        return stored
    from babel import Locale

    return Locale("en").territories.get(iso2.upper(), iso2)
