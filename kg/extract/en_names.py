"""People in English news: names found from how English prose introduces a person.

English marks a person by the words around a run of capitalised words, not by the name itself, so
a run is a person when one of these says so (``schema/english.yaml`` holds the words):

- a title before it: "President Ilham Aliyev", "Mr Macron", "Sheikh Tamim bin Hamad";
- an apposition after it naming an office or profession: "Clément Beaune, France's Europe
  minister", "Mikhail Khodorkovsky, its owner"; or before it: "Japan's new prime minister, Suga
  Yoshihide";
- a verb of speech next to it: "says Adam M. Smith of Gibson Dunn", "argues Dino Patti Djalal";
- a possessive before an office: "Bernie Sanders's foreign-policy adviser".

A new person needs two name words (particles such as bin, al-, de, van, von stand between them);
a single word after a title is only a later mention of someone already known (``entities.py``
resolves "Mr Erdogan" to the Recep Tayyip Erdogan seen before). A run after "the" or a
vessel word is a thing ("the Charles de Gaulle"), and one holding a word of an organisation or a
place is not a person. A known person's name is taken whole as written ("Binyamin Netanyahu",
"Suga Yoshihide" family name first), so the written form stays an alias, unless the given name
written is none of theirs ("Melania Trump": a namesake, a person of their own). The person's state
comes from the country the apposition or the title names ("Israel's prime minister" -> IL, "a
German MP" -> DE, "the US secretary of state, X" -> US) or from the named person whose office it
is ("Mr Macron's Europe minister" -> FR). A capitalised office no title lists, ending in an office
noun, is a title too ("Health Secretary Alex Azar").

The titles also tell a person's sex (Mr, Ms), which the pipeline asks before letting "he" or "she"
stand for the subject of the sentence before (``pronoun_referent``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from functools import lru_cache

from kg.extract.gazetteer import GazetteerEntry, slugify
from kg.extract.mentions import EnglishNames, Mention, SentenceState

_WORD = re.compile(r"[^\W\d_][\w’'\-.]*")
_POSSESSIVE = ("’s", "'s", "’", "'")
_HYPHEN_PARTICLE = re.compile(r"^(?:al|el|ad|an|ar|as|ash|at|az|ud|ul)-[A-Z]")
_INITIAL = re.compile(r"^[A-Z]\.$")
_APPOSITION_END = re.compile(r"[,;:.()\[\]—–“”\"!?]")
_MAX_APPOSITION_WORDS = 12
_SAME_GIVEN_NAME = 0.6  # letters two spellings of one given name share (Binyamin, Benjamin: 0.75; Jill, Joe: 0.29)
_LONGEST_TITLE = 40  # characters searched before a name for its title
_RELATIVE = ("who", "whom", "whose", "which", "that", "where", "when")
_INSERTED = re.compile(r",[^,.;:“”\"()]{1,80},")
_OF_BODY = re.compile(r"\s+(?:of|at|from)\s+(?:the\s+)?(?:[A-Z][\w’'&.\-]*(?:\s+(?:of|for|and|on)?\s*)?){1,8}")


@dataclass(slots=True, unsafe_hash=True)  # a value, not frozen: see kg.extract.mentions.Mention
class _Token:
    begin: int
    end: int  # without a possessive ending
    word: str
    possessive: bool


@lru_cache(maxsize=4)
def _name_words(particles: frozenset[str]) -> re.Pattern[str]:
    """Only the words a name can hold (capitalised words, particles): most of a sentence is
    skipped by the regex engine instead of looked at word by word."""
    alternatives = "|".join(re.escape(p) for p in sorted(particles, key=len, reverse=True))
    return re.compile(rf"(?<![\w’'\-.])(?:[A-Z\u00C0-\u00DE][\w’'\-.]*|(?:{alternatives})(?![\w’'\-.])"
                      rf"|[a-z]{{1,3}}-[A-Z][\w’'\-.]*)")


def _tokens(text: str, pattern: re.Pattern[str] = _WORD) -> list[_Token]:
    out = []
    for m in pattern.finditer(text):
        word, begin = m.group(0), m.start()
        possessive = False
        for ending in _POSSESSIVE:
            if word.endswith(ending) and len(word) > len(ending):
                word, possessive = word[:-len(ending)], True
                break
        if word.endswith(".") and not _INITIAL.match(word):
            word = word.rstrip(".")
        out.append(_Token(begin, begin + len(word), word, possessive))
    return out


def add_english_names(s: SentenceState, unnamed: dict[str, str]) -> None:
    """Titles, appositions and speech around names in one English sentence (``s`` is the
    sentence state of ``entities.py``: gazetteer and earlier matches are already claimed).

    ``unnamed`` carries across the sentences of one article the full names nothing marked as a
    person yet, by last word: a later "Ms Haaland" makes the earlier "Deb Haaland" a person."""
    lex = s.names.english
    _drop_places_in_names(s, lex)
    tokens = _tokens(s.text, _name_words(lex.particles))
    _complete_known(s, tokens, lex)
    for run in _runs(s, tokens, lex):
        _add_run(s, run, lex, unnamed)


def _drop_places_in_names(s: SentenceState, lex: EnglishNames) -> None:
    """"the Paris agreement", "the Gulf of Oman": the state is not mentioned as an actor or a
    location, so neither the place nor its state is kept (their span stays claimed)."""
    drop = {(m.begin, m.end) for m in s.mentions if m.type in ("Place", "Country")
            and (lex.place_in_name.match(s.text, m.end)
                 or lex.place_in_name_before.search(s.text, max(0, m.begin - 12), m.begin))}
    if drop:
        s.mentions[:] = [m for m in s.mentions if (m.begin, m.end) not in drop or m.type not in ("Place", "Country")]


def _capitalised(t: _Token, lex: EnglishNames) -> bool:
    w = t.word
    return (w[0].isupper() and not (len(w) > 1 and w.isupper() and not _INITIAL.match(w))) \
        or bool(_HYPHEN_PARTICLE.match(w))


def _runs(s: SentenceState, tokens: list[_Token], lex: EnglishNames) -> list[list[_Token]]:
    """Runs of free capitalised words joined by single spaces (particles inside), cut after a
    possessive."""
    runs: list[list[_Token]] = []
    current: list[_Token] = []

    def close() -> None:
        while current and current[-1].word in lex.particles:
            current.pop()
        if current:
            runs.append(current.copy())
        current.clear()

    for t in tokens:
        if not s.free(t.begin, t.end):
            close()
            continue
        joined = bool(current) and s.text[current[-1].end:t.begin] == " " and not current[-1].possessive
        if not joined:
            close()
        if _capitalised(t, lex) or (current and t.word in lex.particles):
            current.append(t)
        else:
            close()
    close()
    return runs


@lru_cache(maxsize=8)
def _title_words(titles: tuple[str, ...]) -> tuple[re.Pattern[str], frozenset[str]]:
    """A pattern for a title ending a text ("… Prime Minister "), and the titles' first words."""
    alternatives = "|".join(re.escape(t) for t in sorted(titles, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])({alternatives})\.?[ \u00a0]+$"), frozenset(t.split()[0] for t in titles)


def _title_before(s: SentenceState, at: int) -> tuple[str, str | None] | None:
    """The English title ending right before ``at`` ("Prime Minister " before "Boris"), if any:
    the title as written and the role it names."""
    pattern, _ = _title_words(tuple(s.lex.english_titles))
    m = pattern.search(s.text, max(0, at - _LONGEST_TITLE), at)
    return (m.group(0).rstrip(), s.lex.english_titles[m.group(1)]) if m else None


def _country_in(s: SentenceState, begin: int, end: int) -> str | None:
    """The first state named in ``text[begin:end]`` (an apposition: "Israel's prime minister",
    "a German MP"), not one after a preposition ("an expert on Russia")."""
    after_preposition = s.names.english.country_not_after
    for m in sorted(s.mentions, key=lambda m: m.begin):
        if m.end <= begin or m.begin >= end:
            continue
        title = _title_before(s, m.begin) if m.type == "Person" else None
        at = m.begin - len(title[0]) - 1 if title else m.begin  # "an expert on Mr Putin's circle"
        if after_preposition.search(s.text, max(0, at - 12), at):
            continue
        if m.type == "Country":
            return m.entity_id.split(":", 1)[1]
        if m.type == "Person" and s.text.startswith(_POSSESSIVE, m.end):
            return _state_of(s, m)
    return None


def _state_of(s: SentenceState, person: Mention) -> str | None:
    """The state of a person named as the holder of someone's office ("Clément Beaune, Mr
    Macron's Europe minister", "Mr Trump's secretary of state, Mike Pompeo"): the one the
    office serves, so the one its holder acts for. The possessor is a mention of this article
    (its state from the text) or of the gazetteer."""
    if person.country:
        return person.country
    entry = s.gaz.entries.get(person.entity_id)
    return entry.country if entry else None


def _full_role(s: SentenceState, begin: int, end: int, noun: str) -> str:
    """The longest office title of ``titles.yaml`` in ``text[begin:end]`` ("prime minister"
    rather than "minister"), else the office noun found there."""
    phrase = s.text[begin:end].lower()
    for role in _roles(tuple(r for r in s.lex.english_titles.values() if r)):
        i = phrase.find(role)
        if i >= 0 and (i == 0 or not _in_word(phrase[i - 1])) and not _in_word(phrase[i + len(role):i + len(role) + 1]):
            return role
    return noun.lower()


def _in_word(char: str) -> bool:
    """A letter or a hyphen: "general" in "attorney-general" is no office of its own."""
    return char.isalpha() or char == "-"


@lru_cache(maxsize=4)
def _roles(roles: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted(set(roles), key=len, reverse=True))


def _apposition_after(s: SentenceState, end: int, lex: EnglishNames) -> tuple[int, int, str] | None:
    """", a fellow at …" / ", Israel's prime minister": the span and the office noun it names."""
    text = s.text
    if not text.startswith(", ", end):
        return None
    begin = end + 2
    stop = _APPOSITION_END.search(text, begin)
    phrase_end = stop.start() if stop else len(text)
    words = _tokens(text[begin:phrase_end])
    if not words or len(words) > _MAX_APPOSITION_WORDS:
        return None
    first = words[0]
    if not first.possessive and _names_a_body(text[begin:phrase_end], lex):
        return None  # "Gibson Dunn, a law firm": a body, whatever it does
    if first.word.lower() == "who" and len(words) > 1 and words[1].word in lex.relative_role_verbs:
        return begin, phrase_end, ""  # ", who heads the NKVD": someone holding an office
    if first.word.lower() in _RELATIVE:
        if len(words) < 3 or words[1].word not in ("is", "was"):
            return None  # ", who used to work with …": a relative clause says what, not who
        words = words[2:]  # ", who was Barack Obama's special climate envoy": an apposition
        first = words[0]  # ", who used to work with …": a relative clause says what, not who
    opens_apposition = (first.word in lex.apposition_openers or lex.is_role(first.word)
                        or any(w.possessive for w in words[:3])
                        or any(m.begin == begin + first.begin and m.type == "Country" for m in s.mentions)
                        or (len(words) > 1 and words[1].word[0].islower()))
    if not opens_apposition:
        return None  # "Jake Sullivan, Antony Blinken and …": a list, not an apposition
    role = next((w.word for w in words[:6] if lex.is_role(w.word)), None)
    return (begin, phrase_end, role) if role else None


def _names_a_body(phrase: str, lex: EnglishNames) -> bool:
    """Whether an apposition names an organisation ("a policy group", "a think-tank in Tokyo")."""
    words = [w.word.lower() for w in _tokens(phrase)[:5]]
    for w in words:
        if w in lex.body_nouns or any(part in lex.body_nouns for part in w.split("-")):
            return True
        if lex.is_role(w):
            return False  # "head of the group": the office comes first
    return False


_BEFORE_NAME = re.compile(r"((?:[\w’'\-]+ ){0,5}[\w’'\-]+),? $")


def _role_before(s: SentenceState, begin: int, lex: EnglishNames) -> tuple[int, str] | None:
    """"Japan's new prime minister, X", "his propagandist-in-chief, X": an office noun among the
    last three lower-case words before the name; returns where the phrase starts (at a
    possessive such as "Japan's", else at its first lower-case word)."""
    m = _BEFORE_NAME.search(s.text, max(0, begin - 80), begin)
    if m is None:
        return None
    words = _tokens(m.group(1))
    phrase: list[_Token] = []
    for w in reversed(words):
        if w.word[0].islower() and not w.possessive:
            phrase.insert(0, w)
            continue
        if w.possessive:
            phrase.insert(0, w)
        break
    tail = [w for w in phrase[-3:] if w.word[0].islower()]
    role = next((w.word for w in reversed(tail) if lex.is_role(w.word)), None)
    if role is None:
        return None
    return m.start(1) + phrase[0].begin, role


def _state_before(s: SentenceState, at: int) -> str | None:
    """The state opening an office phrase that starts at ``at`` ("the US secretary of state, X",
    "a Russian ambassador, X": a state's name is no lower-case word of the phrase)."""
    for m in s.mentions:
        if m.type == "Country" and m.end <= at and not s.text[m.end:at].strip():
            return m.entity_id.split(":", 1)[1]
    return None


def _speech_next_to(s: SentenceState, begin: int, end: int, lex: EnglishNames) -> bool:
    """"says X", "according to X", "X says" (the verb right beside the name), or a verb that
    takes a person: "met Nikol Pashinyan"."""
    before, after = _verb_patterns(lex.speech_verbs, lex.person_verbs)
    at = end
    of_body = _OF_BODY.match(s.text, at)  # "Judd Devermont of the Centre for … says"
    at = of_body.end() if of_body else at
    inserted = _INSERTED.match(s.text, at)  # "Daria Kaleniuk of AntAC, an anti-graft group, hopes"
    if inserted:
        if not of_body and _names_a_body(inserted.group(0), lex):
            return False  # "Climate Action Tracker, a policy group, reckons"
        at = inserted.end()
    return bool(before.search(s.text, max(0, begin - 24), begin) or after.match(s.text, at))


@lru_cache(maxsize=4)
def _verb_patterns(speech: tuple[str, ...], person: tuple[str, ...]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Verbs right before a name (speech or meeting) and verbs of speech right after it."""
    def alternatives(words: tuple[str, ...]) -> str:
        return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
    return (re.compile(rf"(?<![\w-])(?:{alternatives(speech + person)})[ ,]*$", re.IGNORECASE),
            re.compile(rf"[ ,]*(?:{alternatives(speech)})(?![\w-])", re.IGNORECASE))


def _possessive_office(s: SentenceState, last: _Token, lex: EnglishNames) -> str | None:
    """"Bernie Sanders's foreign-policy adviser": the office the possessive is followed by."""
    if not last.possessive:
        return None
    after = _tokens(s.text[last.end:last.end + 40])[:3]
    for w in after:
        if not w.word[0].islower():
            return None
        if lex.is_role(w.word):
            return w.word
    return None


def _thing_before(s: SentenceState, begin: int, lex: EnglishNames) -> bool:
    head = s.text[:begin].rstrip().lower()
    return any(head.endswith(w) and (len(head) == len(w) or not head[-len(w) - 1].isalpha()) for w in lex.not_after)


def _add_run(s: SentenceState, run: list[_Token], lex: EnglishNames, unnamed: dict[str, str]) -> None:
    """A run of capitalised words made a person when something marks it as one: a title, a role
    before it, an apposition, a possessive office or a verb of speech."""
    titles = _title_words(tuple(s.lex.english_titles))[1]
    title, run = _title_of_run(s, run)
    run = _trimmed_run(run, lex, titles, titled=title is not None)
    words = [t for t in run if t.word not in lex.particles]
    if title is not None and len(words) == 1 and words[0].word in unnamed:
        full = unnamed.pop(words[0].word)
        s.claim(run[0].begin, run[0].end)
        s.add(_mention(f"person:{slugify(full)}", run[0].begin, run[0].end, run[0].word, title[1], None, full))
        return
    if len(words) < 2 or any(t.word in lex.not_names or t.word in s.lex.non_person_words
                             or t.word in titles for t in run):
        return
    begin, end = run[0].begin, run[-1].end
    name = s.text[begin:end]
    if s.gaz.lookup(name) or _thing_before(s, begin, lex):
        return
    marked = _role_and_country(s, run, title, lex)
    if marked is None:
        if len(words) <= 3:
            unnamed[words[-1].word] = name
        return
    s.claim(begin, end)
    s.add(_mention(f"person:{slugify(name)}", begin, end, name, marked[0], marked[1], name))


def _title_of_run(s: SentenceState, run: list[_Token]) -> tuple[tuple[str, str | None] | None, list[_Token]]:
    """A title inside the run ("Prime Minister Boris Johnson") or right before it, and the run
    from the name on."""
    for i in range(len(run)):
        found = _title_before(s, run[i].begin)
        if found:
            return found, run[i:]
    return _office_title(s, run)


def _office_title(s: SentenceState, run: list[_Token]) -> tuple[tuple[str, str | None] | None, list[_Token]]:
    """A capitalised office no title lists, ending in an office noun right before a name of
    two words or more ("Health Secretary Alex Azar", "Administrator Andrew Wheeler", "Senate
    Majority Leader X"): the office as written is the title, lower-cased its role."""
    lex = s.names.english
    for i in range(len(run) - 3, -1, -1):
        if run[i].possessive or not lex.is_role(run[i].word):
            continue
        first = 0
        while first < i and (run[first].word in lex.openers or run[first].possessive):
            first += 1
        names = [t for t in run[i + 1:] if t.word not in lex.particles]
        if len(names) < 2 or s.text[run[i].end] != " ":
            return None, run
        title = s.text[run[first].begin:run[i].end]
        return (title, title.lower()), run[i + 1:]
    return None, run


def _trimmed_run(run: list[_Token], lex: EnglishNames, titles: frozenset[str], *, titled: bool) -> list[_Token]:
    """The run without the sentence openers and title words it starts with (unless a title was
    found) and the non-name words it ends with."""
    while run and not titled and (run[0].word in lex.openers or run[0].word in lex.not_names or run[0].word in titles):
        run = run[1:]
    while run and run[-1].word in lex.not_names and not run[-1].possessive:
        run = run[:-1]
    return run


def _role_and_country(s: SentenceState, run: list[_Token], title: tuple[str, str | None] | None,
                      lex: EnglishNames) -> tuple[str | None, str | None] | None:
    """The role and state of the person the run names, from what marks it as a person; None when
    nothing does."""
    begin, end = run[0].begin, run[-1].end
    role = title[1] if title else None
    country = None
    apposition = None if run[-1].possessive else _apposition_after(s, end, lex)
    before = _role_before(s, begin, lex) if title is None else None
    office = _possessive_office(s, run[-1], lex)
    if before:
        role = _full_role(s, before[0], begin, before[1])
        country = _state_before(s, before[0]) or _country_in(s, before[0], begin)
    elif apposition:
        role = role or _full_role(s, apposition[0], apposition[1], apposition[2]) or None
        country = _country_in(s, apposition[0], apposition[1])
    elif title is None and office is None and not _speech_next_to(s, begin, end, lex):
        return None
    if title is not None and country is None:
        country = _country_in(s, max(0, begin - len(title[0]) - 20), begin - len(title[0]))
    return role, country


def _mention(eid: str, begin: int, end: int, surface: str, role: str | None, country: str | None,
             name: str) -> Mention:
    return Mention(eid, "Person", begin, end, surface, role=role, country=country, confidence=0.8, name=name)


def _complete_known(s: SentenceState, tokens: list[_Token], lex: EnglishNames) -> None:
    """A known person's name as written in full ("Binyamin Netanyahu" where the gazetteer knows
    Netanyahu; "Suga Yoshihide", family name first) and the title before it ("President X")."""
    titles = _title_words(tuple(s.lex.english_titles))[1]
    things = [m for m in s.mentions if m.type == "Person" and m.surface[:1].isascii() and _thing_before(s, m.begin, lex)
              and not s.text[m.end:m.end + 2].strip(" ,.;:’'s")]
    if things:  # "the Charles de Gaulle, France's aircraft carrier" (not "the Biden administration")
        s.mentions[:] = [m for m in s.mentions if m not in things]
    for index, m in enumerate(s.mentions):
        if m.type == "Person" and m.surface[:1].isascii():
            s.mentions[index] = _completed(s, m, tokens, lex, titles)


def _completed(s: SentenceState, m: Mention, tokens: list[_Token], lex: EnglishNames,
               titles: frozenset[str]) -> Mention:
    """``m`` grown by the given names before it and the part of its gazetteer name after it, with
    the title before it."""
    entry = s.gaz.entries.get(m.entity_id)
    name_words = set(entry.name.split()) if entry else set()
    begin = _given_names_before(s, m.begin, tokens, lex, titles)
    begin, namesake = _own_given_names(s, m, begin, tokens, entry)
    end = m.end
    after = next((t for t in tokens if t.begin == end + 1), None)
    if after is not None and after.word in name_words and s.text[end] == " " and s.free(after.begin, after.end):
        end = after.end
    title = _title_before(s, begin)
    if (begin, end) != (m.begin, m.end):
        s.claim(begin, end)
    country = m.country
    if title is not None and country is None:
        country = _country_in(s, max(0, begin - len(title[0]) - 20), begin - len(title[0]))
    if namesake:  # "Melania Trump" is not Donald Trump: another person of the same family name
        name = s.text[begin:end]
        return _mention(f"person:{slugify(name)}", begin, end, name, title[1] if title else None,
                        country if title else None, name)
    return replace(m, begin=begin, end=end, surface=s.text[begin:end],
                   role=(title[1] if title and title[1] else m.role), country=country)


def _own_given_names(s: SentenceState, m: Mention, begin: int, tokens: list[_Token],
                     entry: GazetteerEntry | None) -> tuple[int, bool]:
    """Where a known person's name starts among the capitalised words grown before their mention
    (``begin``), and whether those words name someone else of the same family name (the person
    known from the gazetteer or named in full earlier in the article). A mention
    that starts with the first word of the person's name needs none ("Tracking Joe Biden": a
    headline's verb); grown words start at the first that may be the person's given name, in
    another spelling or a short form ("Binyamin", "Muhammad", "Tony" Blinken); when none may be
    ("Melania Trump", "Asma Assad", "Ben Harris"), the words name a namesake."""
    full = (entry.name, *entry.aliases) if entry else (m.name,) if m.name else ()
    names = [a.lower().split() for a in full if " " in a and a.isascii()]
    if begin == m.begin or not names:
        return begin, False
    firsts = {n[0] for n in names}
    if m.surface.split()[0].lower() in firsts:
        return m.begin, False
    given = {w for n in names for w in n[1:-1]}  # "Javad" of Mohammad Javad Zarif
    grown = [t for t in tokens if begin <= t.begin < m.begin]
    for t in grown:
        if t.word.lower() in given or any(_same_given_name(t.word.lower(), f) for f in firsts):
            return t.begin, False
    return grown[-1].begin, True  # one given name: the words before it may open the sentence


def _same_given_name(a: str, b: str) -> bool:
    """Whether two given names may be one in two spellings (Binyamin, Benjamin; Sergei, Sergey)
    or a name and its short form (Tony, Antony): the same initial and mostly the same letters, or
    one ending the other (not Jill and Joe, nor Hillary and Bill; nicknames such as Bill for William are the
    gazetteer's aliases)."""
    return a.endswith(b) or b.endswith(a) or (a[0] == b[0] and SequenceMatcher(None, a, b).ratio() >= _SAME_GIVEN_NAME)


def _given_names_before(s: SentenceState, begin: int, tokens: list[_Token], lex: EnglishNames,
                        titles: frozenset[str]) -> int:
    """Where the name that ends with a known person's mention at ``begin`` starts: capitalised
    free words right before it that are no opener, title, office noun ("Trade Representative
    Katherine Tai") or other word that is never a name."""
    before = [t for t in tokens if t.end <= begin]
    while before:
        t = before[-1]
        if (s.text[t.end:begin] != " " or t.possessive or not s.free(t.begin, t.end) or not _capitalised(t, lex)
                or t.word in lex.openers or t.word in lex.not_names or t.word in titles
                or t.word in s.lex.non_person_words or lex.is_role(t.word) or _title_before(s, begin) is not None):
            break
        begin = t.begin
        before.pop()
    return begin


_TITLE_ENDING = re.compile(r"([A-Z][a-z]+)\.?[ \u00a0]+$")
_PRONOUN = re.compile(r"(?<![\w’'-])([Hh]e|[Hh]is|[Hh]im|[Ss]he|[Hh]er|[Hh]ers)(?![\w’'-])")


def sexes_named(text: str, mentions: list[Mention] | tuple[Mention, ...], lex: EnglishNames) -> dict[str, str]:
    """The sex of the persons of a sentence that a title before their name tells ("Mr Biden",
    "Ms Harris", "Queen Elizabeth"), by entity id."""
    out = {}
    for m in mentions:
        title = _TITLE_ENDING.search(text, max(0, m.begin - 12), m.begin) if m.type == "Person" else None
        if title and title.group(1) in lex.title_sex:
            out[m.entity_id] = lex.title_sex[title.group(1)]
    return out


def pronoun_referent(previous: list[Mention], text: str, sexes: dict[str, str], lex: EnglishNames) -> Mention | None:
    """Whom the first personal pronoun of an English sentence stands for among the persons of the
    sentence before (``previous``, in order): its subject, the first named, unless the article has
    told that person's sex and it is not the pronoun's ("Ms Harris met Mr Putin. He said…"); then
    the first named whose sex is the pronoun's or untold, and nobody when none is."""
    if not previous:
        return None
    pronoun = _PRONOUN.search(text)
    sex = lex.pronoun_sex.get(pronoun.group(1).lower()) if pronoun else None
    if sex is None or sexes.get(previous[0].entity_id, sex) == sex:
        return previous[0]
    told = [m for m in previous if sexes.get(m.entity_id) == sex]
    return (told or [m for m in previous if m.entity_id not in sexes] or [None])[0]
