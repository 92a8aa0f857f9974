"""How an English sentence is cut into the clauses whose parties an event trigger takes.

Chinese news separates clauses with commas; English uses commas for appositions too ("Turkey's
president, Recep Tayyip Erdogan, called his Russian counterpart, Vladimir Putin"), so a comma
alone does not end an English clause. A clause ends at a semicolon, colon, dash or bracket, and
starts again at a subordinating or coordinating word that opens a new clause with its own subject
("…, and a physical NATO summit will follow", "…, before calling on President Kenyatta",
"…, who …"). The words are in ``schema/english.yaml`` (``clauses``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from kg.errors import SchemaError
from kg.extract.entities import Mention
from kg.schema import load_yaml

if TYPE_CHECKING:
    from kg.extract.events import Trigger


@dataclass(frozen=True)
class PastTense:
    """The words of ``schema/english.yaml`` (events) that tell whether a verb is past (``english_past``)."""

    forms: frozenset[str]  # past forms not ending in -ed: met, held, flew
    not_past_before: frozenset[str]  # a modal, "to" or "be" before a past form: not a past act
    adverbs: frozenset[str]  # words between an auxiliary and its verb ("had already met")
    perfect: frozenset[str]  # have, has, had: a past act unless a modal comes before them
    passive: frozenset[str]  # was, were, been: a participle before "by" is past only after them


@dataclass(frozen=True)
class EnglishPatterns:
    """The English word lists of ``schema/english.yaml`` compiled once: loaded with the event
    lexicon (``EventLexicon.english``), which ``Tables`` carries to the extractors."""

    members: re.Pattern[str]  # "G7 foreign ministers": an organisation's members
    members_of: re.Pattern[str]  # "leaders of the G7": the same, named before the organisation
    owned_thing: re.Pattern[str]  # "the EU's entry requirements": a thing of a party
    met_thing: re.Pattern[str]  # "meeting environmental goals": a thing right after the verb
    clause_break: re.Pattern[str]  # where a new clause with its own subject starts
    fronted: re.Pattern[str]  # a sentence opened by a subordinate clause: "After meeting X, Y flew to Z"
    roles: frozenset[str]  # nouns of office that end an apposition ("X, America's secretary of defence,")
    role_reference: re.Pattern[str]  # "the secretary of state", "the French president": someone named before
    boss: re.Pattern[str]  # after a name: "Mr Biden's climate envoy", "the Biden administration"
    going: frozenset[str]  # verbs of going that need "to" and a destination a few words on ("flew south … to")
    joining: frozenset[str]  # verbs of joining a gathering of leaders ("joining European leaders on screen")
    tense: PastTense  # which verbs are past, and which words before them make them not (english_past)

    @classmethod
    def load(cls) -> EnglishPatterns:
        raw = load_yaml("english.yaml")
        try:
            spec, clauses = raw["events"], raw["clauses"]
            tense = PastTense(*(frozenset(w.lower() for w in spec[k])
                                for k in ("past_forms", "not_past_before", "past_adverbs", "perfect", "passive_past")))
            fronted = _alternatives(clauses["fronted"])
            roles = frozenset(w.lower() for w in raw["names"]["role_nouns"])
            members = _alternatives(spec["members"])
            owned = _alternatives(spec["owned_things"])
            marks = "".join(re.escape(c) for c in clauses["marks"])
            after_comma, anywhere = _alternatives(clauses["after_comma"]), _alternatives(clauses["anywhere"])
        except (KeyError, TypeError) as exc:
            raise SchemaError(f"schema/english.yaml: malformed events or clauses section ({exc!r})") from exc
        return cls(members=re.compile(rf"^\s+(?:[a-z\-]+\s+){{0,2}}(?:{members})\b"),
                   members_of=re.compile(rf"\b(?:{members})\s+of\s+(?:the\s+)?$", re.IGNORECASE),
                   owned_thing=re.compile(rf"[’']s\s+(?:[a-z][\w-]*\s+){{0,3}}?(?:{owned})\b"),
                   met_thing=re.compile(rf"\s+(?:[a-z][\w-]*\s+){{0,2}}?(?:{owned})\b"),
                   clause_break=re.compile(rf"[{marks}]|,\s+(?:{after_comma})\b|\b(?:{anywhere})\b", re.IGNORECASE),
                   fronted=re.compile(rf"^\W*(?:{fronted})\b"), roles=roles,
                   role_reference=re.compile(rf"\b[Tt]he\s+(?:[A-Za-z][\w-]*\s+){{0,2}}?(?:{_alternatives(sorted(roles))})"
                                             rf"(?:\s+of\s+[a-z]+)?\s+(?![A-Z,]|of\s+[A-Z])"),
                   going=frozenset(w.lower() for w in spec["going"]),
                   joining=frozenset(w.lower() for w in spec["joining"]), tense=tense,
                   boss=re.compile(rf"[’']s\s+(?:[a-z][\w-]*\s+){{0,2}}?(?:{_alternatives(sorted(roles))})s?\b"
                                   rf"|(?:[’']s)?[\s-]+(?:{_alternatives(spec['governments'])})\b"))


def _alternatives(words: Sequence[str]) -> str:
    """A regex alternation of ``words``, longest first."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def english_clause(patterns: EnglishPatterns, text: str, at: int) -> tuple[int, int]:
    """Start and end of the clause of ``text`` holding the character at ``at``."""
    begin, end = 0, len(text)
    for b0, b1 in _breaks(patterns, text):
        if b1 <= at:
            begin = b1
        elif b0 > at:
            end = b0
            break
    return begin, end


@lru_cache(maxsize=64)
def _breaks(patterns: EnglishPatterns, text: str) -> tuple[tuple[int, int], ...]:
    """Where the clauses of a sentence break (asked once per trigger of the sentence): at the
    clause words and marks, and after a subordinate clause the sentence opens with."""
    spans = [m.span() for m in patterns.clause_break.finditer(text)]
    fronted = fronted_clause_end(patterns, text)
    if fronted is not None:
        spans.append((fronted, fronted + 1))
    return tuple(sorted(spans))


def names_a_boss(patterns: EnglishPatterns, text: str, end: int) -> bool:
    """Whether the person named up to ``end`` is named for someone who serves them or for their
    government ("Mr Biden's climate envoy, John Kerry, was meeting…", "the Biden administration"):
    the person does not take part."""
    return bool(patterns.boss.match(text, end))


_WORD = re.compile(r"[A-Za-z’']+")


def english_past(tense: PastTense, text: str, begin: int, end: int) -> bool:
    """Whether the trigger at ``begin``..``end`` is a verb in the past tense, so the event occurred
    whatever words of the future stand near it ("He called Mr Putin and warned him of forthcoming
    penalties": "forthcoming" is the penalties'; "Mr Biden, who will fly to Geneva, met Mr Putin"):
    its first word ends in -ed or is a past form (met, held), and no modal, "to" or "be" stands
    before it ("will be hosted", "to be held"), nor before the have of a perfect ("could have met");
    a participle before "by" is past only after was, were or been ("a summit hosted by Britain next
    month" has no tense). A trigger that is a noun ("meeting", "visit") has none either."""
    first = text[begin:end].split(maxsplit=1)[0].lower() if text[begin:end].strip() else ""
    if not (first.endswith("ed") or first in tense.forms):
        return False
    before = [w.lower() for w in _WORD.findall(text[max(0, begin - 60):begin])]
    while before and (before[-1] in tense.adverbs or before[-1].endswith("ly")):
        before.pop()
    if re.match(r"\s+by\b", text[end:]) and first not in ("was", "were"):
        return bool(before) and before[-1] in tense.passive and not _modal_before(tense, before[:-1])
    if before and before[-1] in tense.perfect:
        return not _modal_before(tense, before[:-1])
    return not before or before[-1] not in tense.not_past_before


def _modal_before(tense: PastTense, before: list[str]) -> bool:
    """Whether the words before an auxiliary (adverbs skipped) end with a modal or "to": "could
    have met", "will have been received by", "to have visited"."""
    words = list(before)
    while words and (words[-1] in tense.adverbs or words[-1].endswith("ly") or words[-1] in tense.perfect):
        words.pop()
    return bool(words) and words[-1] in tense.not_past_before


def english_role_reference(patterns: EnglishPatterns, text: str, begin: int, at: int) -> int | None:
    """Where an office named with "the" and no name stands between ``begin`` and ``at`` ("On April
    27th the secretary of state would travel…", "the French president is off again"): like a
    pronoun, it stands for the person named before."""
    found = None
    for m in patterns.role_reference.finditer(text, begin, at):
        found = m.start()
    return found


def fronted_clause_end(patterns: EnglishPatterns, text: str) -> int | None:
    """Where a subordinate clause that opens the sentence ends ("After speaking to Mr Biden, Mr
    Zelensky visited Turkey"; "When Turkey's president, Recep Tayyip Erdogan, called …, he"): its
    first comma that does not open an apposition (a name, or a phrase ending in an office). The
    main clause after it has its own subject, the one the opening clause leaves unsaid."""
    opening = patterns.fronted.match(text)
    if opening is None:
        return None
    commas = [i for i in range(opening.end(), len(text)) if text[i] == ","]
    k = 0
    while k < len(commas):
        if k + 1 < len(commas) and _apposition(patterns, text[commas[k] + 1:commas[k + 1]]):
            k += 2  # both commas of the apposition
            continue
        return commas[k]
    return None


def _apposition(patterns: EnglishPatterns, phrase: str) -> bool:
    """A phrase between two commas that names someone already named: a name ("Recep Tayyip
    Erdogan") or a short phrase ending in an office ("America's secretary of defence")."""
    words = phrase.split()
    if not words or len(words) > _APPOSITION_WORDS:
        return False
    if all(w[:1].isupper() for w in words):
        return True
    tail = [w.lower().rstrip("s") for w in words[-3:]] + [w.lower() for w in words[-3:]]
    return any(w in patterns.roles for w in tail)


_APPOSITION_WORDS = 7  # "the environmental philanthropist Teresa Heinz" is about the longest


def english_event_type(patterns: EnglishPatterns, text: str, trig: Trigger, mentions: Sequence[Mention],
                       remote: bool = False) -> str | None:
    """The type an English trigger gives, read from the words it governs, or None when it
    reports no event:

    - "called" is a call only with a person called right after it ("called his Russian
      counterpart, Vladimir Putin"), and not when a name for them follows ("called Mr Xi “a
      thug”", "called Russia the biggest threat");
    - "a summit meeting" is a meeting, "the ministerial meeting" a ministerial; a meeting held by
      video or phone is a call ("by videoconference");
    - a trip word ending in a preposition ("was in", "flew to") needs its destination right after;
    - a meeting of an organisation's members ("G7 foreign ministers are due to meet", "NATO
      leaders met") is that organisation's MULTILATERAL;
    - a meeting held by video or phone (``remote``, see english_remote) is a call.
    """
    after = [m for m in mentions if m.type in ("Person", "Country", "Organization", "Place")
             and trig.end <= m.begin]
    first = min(after, key=lambda m: m.begin, default=None)
    gap = text[trig.end:first.begin] if first else ""
    if trig.type == "CALL" and first is not None and first.type == "Country":
        first = _titled_person(text, first, mentions)  # the gap stays the one before the title
    not_an_event = _NOT_AN_EVENT.get(trig.type)
    if not_an_event is not None and not_an_event(patterns, text, trig, first, gap):
        return None
    if trig.type in ("MEET", "CALL") and _members_of_organisation(patterns, text, trig, mentions):
        return "MULTILATERAL"
    if trig.type == "MEET" and remote:
        return "CALL"
    return trig.type


def _not_a_call(patterns: EnglishPatterns, text: str, trig: Trigger, first: Mention | None, gap: str) -> bool:
    """"called" with no person called right after it, or with a name given to them."""
    if not trig.word.lower().startswith("call"):
        return False
    if first is None or len(gap) > _CALLEE_GAP or any(q in gap for q in _QUOTES):
        return True
    if trig.word.lower() in ("call", "calling") and gap.strip() and not gap.lstrip().lower().startswith(_POSSESSIVES):
        return True  # "calls to Mr Netanyahu's office", "the call for Mr X": not calling them
    if first.type != "Person" and not gap.lstrip().lower().startswith(_POSSESSIVES) \
            and not (first.type == "Country" and patterns.boss.match(text, first.end)):  # "a call to Turkey's president"
        return True
    return text[first.end:].lstrip(" ’'s").startswith(_NAMING_STARTS)


def _not_a_trip(patterns: EnglishPatterns, text: str, trig: Trigger, first: Mention | None, gap: str) -> bool:
    """"was in", "flew to" without its destination right after; a verb of going alone ("flew
    south, over the Red Sea, to Saudi Arabia", "is off again, this time to Latvia") without "to"
    and a state or place a few words on ("went to war", "the job went to a candidate": none)."""
    word = trig.word.lower()
    if word.endswith((" in", " to", " of")):
        return first is None or gap.strip().lower() not in ("", "the")
    if word in patterns.going:
        return first is None or first.type not in ("Country", "Place") or not _GONE_TO.match(gap)
    return False


_GONE_TO = re.compile(r"^[^.;:!?]{0,60}?\bto\s+(?:the\s+)?$")


def _not_a_meeting(patterns: EnglishPatterns, text: str, trig: Trigger, first: Mention | None, gap: str) -> bool:
    """A thing is met ("meeting environmental goals", "meet the EU's entry requirements"), a host
    word names no guest right after it ("received a letter"), or the
    word belongs to a ministerial ("the WTO's ministerial meeting": the ministerial is the event)."""
    if trig.word.lower() in _RECEIVING and (first is None or first.type != "Person" or len(gap) > _CALLEE_GAP):
        return True  # "received a letter", "welcomed the decision": no guest received
    if trig.word.lower().endswith(" on"):  # "calling on President Kenyatta", not "called on Mr Putin to withdraw"
        return first is None or first.type != "Person" or len(gap) > _CALLEE_GAP \
            or bool(_URGED_TO.match(text, first.end))
    if patterns.met_thing.match(text, trig.end):
        return True
    if trig.word.lower().startswith("met") and _PASSIVE.search(text, 0, trig.begin) and not text.startswith(" by", trig.end):
        return True  # "Will Britain's deadline … be met?", "It was met with laughter"
    if first is not None and gap.strip().lower() in ("", "the") and patterns.owned_thing.match(text, first.end):
        return True
    return bool(_SUMMIT_BEFORE.search(text, 0, trig.begin))


def _not_a_gathering(patterns: EnglishPatterns, text: str, trig: Trigger, first: Mention | None, gap: str) -> bool:
    """"a summit meeting": the meeting is the event, bilateral or not; "joining" is a gathering
    only of leaders or ministers joined ("joining European leaders on screen in Munich"), not
    "joined the EU"."""
    if trig.word.lower() in patterns.joining:
        return not patterns.members.match(" " + _JOINED.sub("", text[trig.end:trig.end + 60]).lstrip())
    return trig.word.lower() == "summit" and text.startswith(" meeting", trig.end)


_JOINED = re.compile(r"^\s*(?:(?:the|his|her|their|fellow|other|world|foreign|[A-Z][\w-]*)\s+){0,3}")


def _titled_person(text: str, state: Mention, mentions: Sequence[Mention]) -> Mention:
    """The person a state opens the title of ("called US Secretary of State Antony Blinken",
    "called Chinese President Xi Jinping"): the one called, named after their office; else the
    state."""
    person = min((m for m in mentions if m.type == "Person" and m.begin >= state.end), key=lambda m: m.begin, default=None)
    if person is not None and _TITLE_WORDS.fullmatch(text, state.end, person.begin):
        return person
    return state


_TITLE_WORDS = re.compile(r"(?:[’']s)?(?:\s+(?:[A-Z][\w-]*|of|for|and))+\s+")  # " Secretary of State ", "’s President "
_NOT_AN_EVENT: dict[str, Callable[[EnglishPatterns, str, Trigger, Mention | None, str], bool]] = {
    "CALL": _not_a_call, "VISIT": _not_a_trip, "MEET": _not_a_meeting, "MULTILATERAL": _not_a_gathering}
_PASSIVE = re.compile(r"\b(?:be|been|being|is|are|was|were)\s+(?:[a-z]+ly\s+)?$", re.IGNORECASE)
_RECEIVING = ("received", "receives", "welcomed", "welcomes")  # host words: a guest must follow
_URGED_TO = re.compile(r"(?:\s+of\s+[A-Z][\w-]*)?(?:,[^,]{1,60},)?\s+(?:to|for)\s")  # "called on X(, …,) to act"
_CALLEE_GAP = 12  # "called his Russian counterpart", "called Mr Xi"
_NAMING_STARTS = ("“", "\"", "‘", "a ", "an ", "the ")
_QUOTES = ("“", "\"", "‘")
_POSSESSIVES = ("his ", "her ", "their ", "its ")
_SUMMIT_BEFORE = re.compile(r"(?:ministerial|leaders’|leaders')\s+$", re.IGNORECASE)
def english_remote(text: str, trig: Trigger, triggers: Sequence[Trigger], remote_words: Sequence[str]) -> bool:
    """Whether the sentence says the event of ``trig`` was held at a distance: a remote word
    ("virtually", "by videoconference") that is not the word of another call of the sentence.
    "In his telephone call to Mr Putin, Mr Biden … proposing a summit meeting": the telephone is
    the call's, the summit proposed is a meeting. A call word after "by" or "via" ("held his
    first summit meeting … by videoconference") says how the meeting was held, not another call."""
    lower = text.lower()
    calls = [(t.begin, t.end) for t in triggers
             if t != trig and t.type == "CALL" and not _MANNER.search(lower, 0, t.begin)]
    return any(not any(b <= m.start() < e for b, e in calls)
               for w in remote_words for m in re.finditer(re.escape(w), lower))


_MANNER = re.compile(r"\b(?:by|via|over)\s+(?:the\s+|a\s+)?$")


def _members_of_organisation(patterns: EnglishPatterns, text: str, trig: Trigger, mentions: Sequence[Mention]) -> bool:
    """An intergovernmental organisation's officials are the subject before the trigger ("NATO
    leaders met", "leaders of the G7 met"), or its other members the ones a member hosts or meets
    ("Mr Raab hosts fellow G7 foreign ministers", "a virtual meeting of fellow G7 leaders")."""
    at = trig.begin
    return any(m.type == "Organization" and m.country is None
               and (m.end <= at and (patterns.members.match(text[m.end:at]) or (
                   _AUXILIARIES.fullmatch(text[m.end:at]) and patterns.members_of.search(text, 0, m.begin)))
                    or trig.end <= m.begin and _FELLOW.match(text, trig.end, m.begin)
                    and patterns.members.match(text[m.end:]))
               for m in mentions)


_AUXILIARIES = re.compile(r"\s*(?:(?:will|would|are|were|is|was|due|to|set|plan|plans|have|has|had|been)\s+){0,3}")
_FELLOW = re.compile(r"\s+(?:of\s+)?fellow\s+$")  # "hosts fellow G7 ministers": the host is one of them
