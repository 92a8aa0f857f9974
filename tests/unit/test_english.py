"""English articles: people from titles, appositions and speech; events from English clauses."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from kg.extract.en_events import english_clause, english_past
from kg.extract.entities import ArticleEntities
from kg.extract.gazetteer import Gazetteer
from kg.extract.mentions import NameTables
from kg.extract.pipeline import Tables, extract_article
from kg.records import Article, ArticleExtraction


NAMES = NameTables.load()


@pytest.fixture(scope="module")
def tables() -> Tables:
    return Tables.load()


def _people(gaz: Gazetteer, *sentences: str) -> dict[str, tuple[str | None, str | None, tuple[str, ...]]]:
    """id -> (role, country, aliases) of the persons an English article of these sentences names."""
    art = ArticleEntities(gaz, NAMES, date(2021, 4, 20), "en")
    for s in sentences:
        art.mentions(s)
    return {e.id: (e.role, e.country, e.aliases) for e in art.entities() if e.type == "Person"}


def _extract(text: str, tables: Tables, published: str = "2021-04-20") -> ArticleExtraction:
    article = Article(id="a1", path="en.md", title="", published=datetime.fromisoformat(published).replace(tzinfo=UTC),
                      source=None, url=None, language="en", text=text, format="text", content_hash="")
    return extract_article(article, tables)


def _events(ex: ArticleExtraction, type_: str) -> list:
    return [e for e in ex.events if e.type == type_]


# Names the gazetteer does not know exercise discovery; known ones check that the written form stays.

def test_apposition_names_office_and_state(tables: Tables) -> None:
    people = _people(tables.gazetteer, "Clémence Durand, France’s Europe minister, said the bloc was united.")
    assert people["person:clemence-durand"][:2] == ("minister", "FR")


def test_office_before_the_name_and_particles(tables: Tables) -> None:
    people = _people(tables.gazetteer, "Saudi Arabia’s foreign minister, Faisal bin Farhan, will miss him.",
                     "Belarus’s opposition leader, Olga Kovalkova, met officials.",
                     "Muhammad bin Salman, Saudi Arabia’s crown prince, called.")
    assert people["person:faisal-bin-farhan"][:2] == ("foreign minister", "SA")
    assert people["person:olga-kovalkova"][:2] == ("leader", "BY")
    assert "Muhammad bin Salman" in people["person:mohammed-bin-salman"][2]


def test_experts_quoted_are_persons(tables: Tables) -> None:
    people = _people(tables.gazetteer,
                     "The sanctions were “a rare constant”, says Adam M. Smith of Gibson Dunn, a law firm.",
                     "“It is relief,” says Andreas Nick, a German MP.",
                     "Sanctions are growing, says Emil Dall of the Royal United Services Institute (RUSI), a think-tank.")
    assert {"person:adam-m-smith", "person:andreas-nick", "person:emil-dall"} <= set(people)
    assert people["person:andreas-nick"][1] == "DE"
    assert not any("institute" in pid for pid in people)


def test_title_gives_role_and_later_mentions_resolve(tables: Tables) -> None:
    people = _people(tables.gazetteer, "President Ilham Aliyev of Azerbaijan spoke first.",
                     "Nikol Pashinyan, Armenia’s prime minister, signed.", "Mr Pashinyan’s critics were furious.")
    assert people["person:nikol-pashinyan"][1] == "AM"
    assert len([p for p in people if "pashinyan" in p]) == 1
    assert any("aliyev" in p for p in people)


def test_known_person_taken_whole_as_written(tables: Tables) -> None:
    people = _people(tables.gazetteer, "Enter Binyamin Netanyahu, Israel’s prime minister, who is no fan.",
                     "Japan’s new prime minister, Suga Yoshihide, hopes for calm.")
    assert "Binyamin Netanyahu" in people["person:benjamin-netanyahu"][2]
    assert "Suga Yoshihide" in people["person:yoshihide-suga"][2]
    assert not any(p.startswith("person:enter") for p in people)


def test_ships_organisations_and_unmarked_names_are_not_persons(tables: Tables) -> None:
    assert tables.gazetteer.lookup("Charles de Gaulle", "Person")  # the president, known: the ship is not him
    people = _people(tables.gazetteer, "France sent the Charles de Gaulle, its aircraft carrier, to the Gulf.",
                     "The Carnegie Endowment for International Peace, a think-tank, disagrees.",
                     "Deb Haaland will be the first Native American cabinet secretary.")
    assert people == {}


def test_a_later_title_makes_an_earlier_full_name_a_person(tables: Tables) -> None:
    people = _people(tables.gazetteer, "Deb Haaland will be the first Native American cabinet secretary.",
                     "Ms Haaland, for example, might have faced a tougher road.")
    assert "person:deb-haaland" in people


def test_call_between_leaders_with_appositions(tables: Tables) -> None:
    ex = _extract("On November 7th, Turkey’s president, Recep Tayyip Erdogan, called his Russian counterpart, "
                  "Vladimir Putin.", tables, "2020-11-12")
    (call,) = _events(ex, "CALL")
    assert {"country:TR", "country:RU"} <= set(call.participants) and call.start == date(2020, 11, 7)


def test_called_as_naming_is_no_call(tables: Tables) -> None:
    ex = _extract("Mr Biden has since called Mr Xi “a thug”. He called such threats “reckless”.", tables)
    assert not _events(ex, "CALL")


def test_presence_is_a_visit_only_with_a_destination(tables: Tables) -> None:
    ex = _extract("The attack occurred as Lloyd Austin, America’s secretary of defence, was in Israel.", tables)
    (visit,) = _events(ex, "VISIT")
    assert {"country:US", "country:IL"} <= set(visit.participants)
    ex = _extract("That commitment was in effect annulled by the revolution in Armenia.", tables)
    assert not _events(ex, "VISIT")


def test_members_of_an_organisation_meeting_is_its_summit(tables: Tables) -> None:
    ex = _extract("In London on May 3rd-5th G7 foreign ministers are due to meet in person.", tables)
    (summit,) = _events(ex, "MULTILATERAL")
    assert "org:g7" in summit.participants
    assert (summit.start, summit.end, summit.status) == (date(2021, 5, 3), date(2021, 5, 5), "planned")


def test_modifier_words_match_whole_words(tables: Tables) -> None:
    ex = _extract("The French city mayor met Wang Yi in Beijing on Monday.", tables)
    assert _events(ex, "MEET")


def test_speculation_is_planned_with_lower_confidence(tables: Tables) -> None:
    ex = _extract("Joe Biden may meet Vladimir Putin in Geneva.", tables)
    (meeting,) = _events(ex, "MEET")
    assert (meeting.status, meeting.modality) == ("planned", "speculative")
    assert meeting.to_dict()["modality"] == "speculative"
    sure = _events(_extract("Joe Biden will meet Vladimir Putin in Geneva.", tables), "MEET")
    assert sure[0].modality == "asserted" and sure[0].confidence > meeting.confidence


def test_negated_meeting_is_no_event(tables: Tables) -> None:
    assert not _events(_extract("Joe Biden did not meet Vladimir Putin.", tables), "MEET")


def test_english_clause_keeps_appositions_and_cuts_at_clause_words(tables: Tables) -> None:
    text = "Turkey’s president, Recep Tayyip Erdogan, called Putin; and a NATO summit will follow, while Biden waits."
    assert english_clause(tables.lexicon.english, text, text.index("called")) == (0, text.index(";"))
    begin, end = english_clause(tables.lexicon.english, text, text.index("summit"))
    assert text[begin:end].strip() == "and a NATO summit will follow"


def test_a_city_in_a_treaty_name_is_no_mention_of_its_state(tables: Tables) -> None:
    art = ArticleEntities(tables.gazetteer, tables.names, date(2021, 4, 20), "en")
    found = art.mentions("America rejoined the Paris agreement after a strike in the Gulf of Oman.")
    assert {m.entity_id for m in found if m.type == "Country"} == {"country:US"}


def test_naming_and_host_nouns_are_no_events(tables: Tables) -> None:
    ex = _extract("Mr Biden recently called Russia the biggest threat. He made his first trip to Saudi Arabia, "
                  "where his hosts feted him.", tables)
    assert not _events(ex, "CALL") and not _events(ex, "MEET")


def test_a_summit_meeting_by_video_is_one_call(tables: Tables) -> None:
    ex = _extract("In February Joe Biden held his first summit meeting as president, with Justin Trudeau of Canada, "
                  "by videoconference.", tables)
    assert [e.type for e in ex.events if e.type in ("MEET", "CALL")] == ["CALL"]


def test_a_summit_named_by_its_host_is_kept(tables: Tables) -> None:
    ex = _extract("Mr Biden has convened a climate summit, to be held remotely, on April 22nd.", tables, "2021-02-18")
    (summit,) = _events(ex, "MULTILATERAL")
    assert (summit.start, summit.status) == (date(2021, 4, 22), "planned")
    assert not _events(_extract("Mr Pence’s function is purely ministerial.", tables), "MULTILATERAL")


def test_meeting_a_requirement_is_no_meeting(tables: Tables) -> None:
    assert not _events(_extract("Scotland should meet the EU’s core entry requirements.", tables), "MEET")
    assert _events(_extract("Joe Biden met the EU’s leaders in Brussels.", tables), "MEET")
    assert not _events(_extract("Aid could depend on Brazil meeting environmental goals set by America.", tables), "MEET")


def test_experts_named_with_their_body_and_bodies_named_alone(tables: Tables) -> None:
    people = _people(tables.gazetteer, "Daria Kaleniuk of AntAC, an anti-graft group in Kyiv, hopes for more.",
                     "Anna Kowalska, who heads the Polish Institute, disagrees.",
                     "Climate Action Tracker, a policy group, reckons that it is too little.")
    assert set(people) == {"person:daria-kaleniuk", "person:anna-kowalska"}


def test_a_call_word_is_the_remote_word_of_that_call_only(tables: Tables) -> None:
    ex = _extract("In her phone call to Emmanuel Macron, Angela Merkel proposed a meeting in Berlin next month.", tables)
    assert sorted(e.type for e in ex.events if e.type in ("MEET", "CALL")) == ["CALL", "MEET"]
    ex = _extract("Boris Johnson will travel virtually to Kenya, meeting President Uhuru Kenyatta.", tables)
    assert [e.type for e in ex.events if e.type in ("MEET", "CALL")] == ["CALL"]


def test_an_opening_subordinate_clause_ends_at_its_comma(tables: Tables) -> None:
    ex = _extract("After speaking to Olaf Scholz, Pedro Sánchez visited Morocco.", tables)
    (visit,) = _events(ex, "VISIT")
    (call,) = _events(ex, "CALL")
    assert {"country:ES", "country:MA"} <= set(visit.participants)
    assert "country:MA" not in call.participants and {"country:DE", "country:ES"} <= set(call.participants)
    text = "When Turkey’s president, Recep Tayyip Erdogan, called Vladimir Putin, he asked for help."
    assert english_clause(tables.lexicon.english, text, text.index("called"))[1] == text.index(", he")


def test_a_member_hosting_fellow_members_is_their_gathering(tables: Tables) -> None:
    ex = _extract("Dominic Raab hosts fellow G7 foreign ministers in London on May 3rd.", tables)
    (summit,) = [e for e in ex.events if e.type in ("MEET", "MULTILATERAL")]
    assert summit.type == "MULTILATERAL" and "org:g7" in summit.participants


def test_a_pronoun_or_an_office_named_with_the_stands_for_the_person_before(tables: Tables) -> None:
    for second in ("He met President Muhammadu Buhari of Nigeria.",
                   "The foreign secretary met President Muhammadu Buhari of Nigeria."):
        ex = _extract("James Cleverly, Britain’s foreign secretary, flew to Africa on Monday. " + second, tables)
        (meeting,) = _events(ex, "MEET")
        assert {"country:NG", "person:muhammadu-buhari"} <= set(meeting.participants)
        assert any(p.startswith("person:james-cleverly") for p in meeting.participants)
    ex = _extract("Donald Trump spoke on Monday. The emir of Qatar met Muhammad bin Salman.", tables)
    (meeting,) = _events(ex, "MEET")
    assert "person:donald-trump" not in meeting.participants


def test_a_person_named_for_their_envoy_or_government_takes_no_part(tables: Tables) -> None:
    ex = _extract("Mr Biden’s climate envoy, John Kerry, was meeting Xie Zhenhua in Shanghai.", tables)
    (meeting,) = _events(ex, "MEET")
    assert "person:joe-biden" not in meeting.participants and "person:john-kerry" in meeting.participants
    ex = _extract("The Biden administration held talks with Russia in Geneva.", tables)
    assert all("person:joe-biden" not in e.participants for e in ex.events)
    ex = _extract("Mr Biden’s first summit meeting was with Justin Trudeau.", tables)
    assert "person:joe-biden" in _events(ex, "MEET")[0].participants


def test_paying_a_call_on_someone_after_the_subject_met_another(tables: Tables) -> None:
    ex = _extract("James Cleverly, Britain’s foreign secretary, arrived in Africa. On April 12th the foreign secretary "
                  "met President Muhammadu Buhari of Nigeria, before calling on President Uhuru Kenyatta of Kenya.",
                  tables)
    meetings = {frozenset(p for p in e.participants if p.startswith("country:")): e for e in _events(ex, "MEET")}
    kenya = meetings[frozenset({"country:GB", "country:KE"})]
    assert kenya.start == date(2021, 4, 12) and "person:muhammadu-buhari" not in kenya.participants
    assert not _events(_extract("Joe Biden called on Vladimir Putin to withdraw his troops.", tables), "MEET")


def test_a_habit_named_after_the_verb_is_no_event(tables: Tables) -> None:
    assert not _events(_extract("Xi Jinping, whom Joe Biden met many times as vice-president, is no friend.", tables),
                       "MEET")


def test_a_conference_joined_on_screen_is_a_conference(tables: Tables) -> None:
    ex = _extract("Joe Biden spoke by video at the Munich Security Conference in Germany.", tables)
    assert [e.type for e in ex.events if e.type in ("CALL", "MULTILATERAL")] == ["MULTILATERAL"]


def test_one_meeting_phrase_is_one_event(tables: Tables) -> None:
    ex = _extract("In February Iran rejected the idea of face-to-face talks with the Americans.", tables)
    assert [e.status for e in _events(ex, "MEET")] == ["cancelled"]


def test_the_subject_after_an_opening_clause_ends_at_its_verb(tables: Tables) -> None:
    ex = _extract("After their meeting in Tokyo, the ministers issued a condemnation of China and Russia.", tables)
    assert all("country:CN" not in e.participants for e in ex.events)


def test_a_call_to_a_states_leader_and_a_passive_met(tables: Tables) -> None:
    ex = _extract("Mr Macron applauded the decision in a call to Turkey’s president.", tables)
    (call,) = _events(ex, "CALL")
    assert {"country:FR", "country:TR"} <= set(call.participants)
    assert not _events(_extract("This is a call to action for Europe.", tables), "CALL")
    assert not _events(_extract("Will Britain's deadline for a trade deal with the EU be met?", tables), "MEET")
    assert _events(_extract("Joe Biden was met by Xi Jinping at the airport in Beijing.", tables), "MEET")


def test_a_month_of_last_or_next_year() -> None:
    from kg.extract.dates import find_dates, load_vocabulary
    found = find_dates("He spoke at the Munich Security Conference in February last year.", date(2020, 11, 8),
                       load_vocabulary())
    assert [(d.period_start, d.period_end) for d in found] == [(date(2019, 2, 1), date(2019, 2, 28))]
    found = find_dates("The summit is due in November next year.", date(2020, 10, 22), load_vocabulary())
    assert [d.period_start for d in found] == [date(2021, 11, 1)]


def test_a_verb_of_going_with_its_destination_a_few_words_on(tables: Tables) -> None:
    ex = _extract("Emmanuel Macron spoke in Paris. On September 28th the French president is off again, this time "
                  "to Latvia.", tables, "2020-09-24")
    (visit,) = _events(ex, "VISIT")
    assert {"country:FR", "country:LV", "person:emmanuel-macron"} <= set(visit.participants)
    for text in ("Azerbaijan went to war.", "The job went to a candidate from Singapore.",
                 "Mr Blinken went to high-school in France."):
        assert not _events(_extract(text, tables), "VISIT")
    ex = _extract("Antony Blinken met Wang Yi. The Chinese foreign minister then flew to Tokyo.", tables)
    assert all("person:antony-blinken" not in v.participants for v in _events(ex, "VISIT"))


def test_to_call_someone_and_to_meet_their_counterparts(tables: Tables) -> None:
    ex = _extract("Joe Biden spoke to reporters. He waited a week to call King Salman of Saudi Arabia.", tables)
    (call,) = _events(ex, "CALL")
    assert {"country:US", "country:SA"} <= set(call.participants)
    assert not _events(_extract("Crowds were calling Mr Pashinyan a traitor.", tables), "CALL")
    ex = _extract("America’s secretaries of state and defence went to meet their counterparts in Tokyo.", tables)
    assert _events(ex, "MEET")
    assert not _events(_extract("Brazil must meet their targets.", tables), "MEET")


def test_a_plural_names_a_kind_of_event_not_one(tables: Tables) -> None:
    ex = _extract("Since 2016 Mr Erdogan has held more face-to-face meetings with Mr Putin than with anyone. "
                  "John Kerry was a habitué of international climate conferences.", tables)
    assert not [e for e in ex.events if e.type in ("MEET", "MULTILATERAL")]


def test_a_participle_after_a_comma_opens_a_clause(tables: Tables) -> None:
    ex = _extract("Joe Biden’s team refuse to meet Britain’s diplomats, citing the contact of Michael Flynn with "
                  "a Russian ambassador, Sergey Kislyak.", tables)
    assert [sorted(p for p in e.participants if p.startswith("country:")) for e in _events(ex, "MEET")] \
        == [["country:GB", "country:US"]]


def test_a_trip_splits_over_the_states_listed_together_only(tables: Tables) -> None:
    ex = _extract("Sergey Lavrov’s visit to China follows the Alaska talks.", tables)
    assert [sorted(p for p in v.participants if p.startswith("country:")) for v in _events(ex, "VISIT")] \
        == [["country:CN", "country:RU"]]
    ex = _extract("Emmanuel Macron will travel to Latvia and Lithuania.", tables)
    assert len(_events(ex, "VISIT")) == 2


def test_meeting_a_list_of_states_is_one_meeting_each(tables: Tables) -> None:
    ex = _extract("Antony Blinken met Japanese and South Korean officials in Tokyo and Seoul.", tables)
    assert sorted(sorted(p for p in e.participants if p.startswith("country:")) for e in _events(ex, "MEET")) \
        == [["country:JP", "country:US"], ["country:KR", "country:US"]]


def test_a_trip_in_an_opening_clause_is_the_main_subjects(tables: Tables) -> None:
    ex = _extract("Antony Blinken flew to Tokyo. During his visit to Seoul, Lloyd Austin met President Moon Jae-in.",
                  tables)
    (seoul,) = [v for v in _events(ex, "VISIT") if "country:KR" in v.participants]
    assert "person:lloyd-austin" in seoul.participants and "person:antony-blinken" not in seoul.participants


def test_leaders_of_an_organisation_who_will_meet_and_a_call_by_telephone(tables: Tables) -> None:
    ex = _extract("Leaders of the G7 will meet in Cornwall in June.", tables)
    assert [e.type for e in ex.events if e.type in ("MEET", "MULTILATERAL")] == ["MULTILATERAL"]
    ex = _extract("Joe Biden discussed Ukraine with Emmanuel Macron by telephone.", tables)
    (call,) = _events(ex, "CALL")
    assert "country:UA" not in call.participants and {"country:US", "country:FR"} <= set(call.participants)


def test_yet_to_meet_is_no_meeting(tables: Tables) -> None:
    assert not _events(_extract("Xi Jinping has yet to meet Joe Biden.", tables), "MEET")


def test_an_office_stands_only_for_one_who_may_hold_it(tables: Tables) -> None:
    ex = _extract("King Salman spoke. Then the Saudi foreign minister denied that any meeting with Benjamin Netanyahu "
                  "had occurred.", tables)
    assert all("person:salman-bin-abdulaziz" not in e.participants and not any("salman" in p for p in e.participants)
               for e in ex.events)


def test_joining_leaders_is_a_gathering_and_joining_a_body_is_not(tables: Tables) -> None:
    ex = _extract("Joe Biden joined G7 leaders in Cornwall.", tables)
    assert [e.type for e in ex.events if e.type in ("MEET", "MULTILATERAL")] == ["MULTILATERAL"]
    assert not _extract("Britain joined the EU in 1973.", tables).events


def test_a_verb_in_the_past_occurred_whatever_future_word_follows(tables: Tables) -> None:
    """The tense of an English trigger that is a verb is its own: "phoned … about upcoming talks"
    occurred (the talks are upcoming, not the call); a modal, "to" or "be" before the verb, or a
    participle before "by" with no was/were, leaves the tense to the clause's words."""
    past = _events(_extract("Emmanuel Macron phoned Olaf Scholz about the upcoming European summit.", tables), "CALL")
    assert [(e.status, e.modality) for e in past] == [("occurred", "asserted")]
    later = _events(_extract("Emmanuel Macron will be received by Olaf Scholz in Berlin.", tables), "MEET")
    assert [e.status for e in later] == ["planned"]
    maybe = _events(_extract("Emmanuel Macron could have met Olaf Scholz in Berlin.", tables), "MEET")
    assert [e.status for e in maybe] == ["planned"]
    perfect = _events(_extract("Emmanuel Macron has already met Olaf Scholz, who proposed a summit.", tables), "MEET")
    assert [(e.status, e.modality) for e in perfect] == [("occurred", "asserted")]


def test_english_past_reads_the_verb_and_the_words_before_it(tables: Tables) -> None:
    tense = tables.lexicon.english.tense
    text = "A summit hosted by Spain next year; it was hosted by Spain; Mr Sánchez hosted Mr Costa; to be held"
    first, second, third = (text.index("hosted", i) for i in (0, 20, 50))
    assert not english_past(tense, text, first, first + 6)
    assert english_past(tense, text, second, second + 6)
    assert english_past(tense, text, third, third + 6)
    held = text.index("held")
    assert not english_past(tense, text, held, held + 4)
    assert not english_past(tense, "a visit", 2, 7)


def test_office_of_a_named_person_gives_their_state(tables: Tables) -> None:
    """"X, Mr Macron's adviser": the office serves the possessor, so its holder acts for their state."""
    people = _people(tables.gazetteer, "Lucien Marchetti, Mr Macron’s diplomatic adviser, flew home.",
                     "Greta Holmqvist, Joe Biden’s new trade envoy, said little.",
                     "Ravi Chandran, an expert on Mr Putin’s circle, was unsure.")
    assert people["person:lucien-marchetti"][1] == "FR"
    assert people["person:greta-holmqvist"][1] == "US"
    assert people["person:ravi-chandran"][1] is None  # the possessor after "on" is a subject, not a boss


def test_office_no_title_lists_before_a_name(tables: Tables) -> None:
    """A capitalised office ending in an office noun is a title: "Fisheries Administrator X"."""
    people = _people(tables.gazetteer, "Fisheries Administrator Marta Kolsrud opened the talks.",
                     "Later Norway’s Fisheries Secretary Odd Brekke spoke.",
                     "Harbour Street Terje Lund is closed.")
    assert people["person:marta-kolsrud"][0] == "fisheries administrator"
    assert people["person:odd-brekke"][:2] == ("fisheries secretary", "NO")
    assert not any("lund" in p for p in people)  # no office noun: no title


def test_given_names_stop_at_an_office_noun(tables: Tables) -> None:
    people = _people(tables.gazetteer, "US Trade Representative Katherine Tai flew in.")
    assert people["person:katherine-tai"][2] == ("Katherine Tai",)


def test_call_to_a_person_named_after_their_state_and_office(tables: Tables) -> None:
    """"called US Secretary of State X": the state opens the callee's title; "called China a
    rival" still names, not calls."""
    for text in ("Ukraine’s foreign minister called US Secretary of State Antony Blinken on Monday.",
                 "Mr Zelensky called Russia’s President Vladimir Putin on Monday."):
        calls = _events(_extract(text, tables), "CALL")
        assert len(calls) == 1 and "country:UA" in calls[0].participants and len(calls[0].participants) >= 3, text
    assert not _events(_extract("Mr Zelensky called Russia a menace.", tables), "CALL")


def test_namesake_of_a_known_person_is_another_person(tables: Tables) -> None:
    """Another given name before a known family name is a relative or namesake; a spelling or
    short form of the person's own given name, or a headline word, is not."""
    people = _people(tables.gazetteer, "Joe Biden spoke.", "Later Jill Biden and Tony Blinken arrived.",
                     "Vaclav Hruska-Berg, a Czech senator, spoke.", "Then Ilona Hruska-Berg spoke.",
                     "Watching Joe Biden closely.")
    assert "Jill Biden" not in people["person:joe-biden"][2] and "person:jill-biden" in people
    assert "Tony Blinken" in people["person:antony-blinken"][2]
    assert "person:ilona-hruska-berg" in people and "Ilona Hruska-Berg" not in people["person:vaclav-hruska-berg"][2]
    assert "Watching Joe Biden" not in people["person:joe-biden"][2]


def test_state_opening_the_office_before_a_name(tables: Tables) -> None:
    """"the US secretary of state, X", "a Russian ambassador, X": the state opens the office."""
    people = _people(tables.gazetteer, "Yesterday the US secretary of state, Jon Smithers, spoke.",
                     "He met a Russian ambassador, Oleg Tarakanov, in Vienna.")
    assert people["person:jon-smithers"][:2] == ("secretary of state", "US")
    assert people["person:oleg-tarakanov"][1] == "RU"


def test_hyphenated_office_is_one_role(tables: Tables) -> None:
    people = _people(tables.gazetteer, "Harriet Vole, the attorney-general, disagreed.")
    assert people["person:harriet-vole"][0] == "attorney-general"


def test_pronoun_stands_for_the_person_of_its_sex(tables: Tables) -> None:
    """"She" after a sentence whose subject the article calls Mr is the woman named in it; with
    no one of the pronoun's sex, nobody."""
    ex = _extract("Mr Biden praised Angela Merkel on Monday. She then flew to Ukraine on Tuesday.", tables)
    assert [v.participants for v in _events(ex, "VISIT")] == [("country:DE", "country:UA", "person:angela-merkel")]
    ex = _extract("Ms Merkel praised Ms Harris on Monday. He then flew to Ukraine on Tuesday.", tables)
    assert not any("person:angela-merkel" in v.participants for v in _events(ex, "VISIT"))
    ex = _extract("Joe Biden praised Vladimir Putin on Monday. He then flew to Ukraine on Tuesday.", tables)
    assert "person:joe-biden" in _events(ex, "VISIT")[0].participants  # the subject, as before
