"""How an article's mentions of one event become one event: verb-country compounds (访欧), stages
of one plan, anaphora (此行, 这次会谈) and nominal mentions. Sentences written for these tests."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from kg.extract.pipeline import Tables, extract_article
from kg.records import Article, Event

SCORED = ("MEET", "VISIT", "CALL", "MULTILATERAL")


@pytest.fixture(scope="module")
def tables() -> Tables:
    return Tables.load()


def _events(text: str, tables: Tables, published: str = "2021-03-21") -> list[Event]:
    article = Article(id="t", path="t.md", title="", published=datetime.fromisoformat(published).replace(tzinfo=UTC),
                      source=None, url=None, language="zh", text=text, format="text", content_hash="")
    return [e for e in extract_article(article, tables).events if e.type in SCORED]


def test_a_trip_word_joined_to_its_destination_is_a_trip(tables: Tables) -> None:
    """访欧 is read by the entity layer as the EU; the word is still the verb of a trip there."""
    (visit,) = _events("美国国务卿布林肯下月将访欧。", tables)
    assert visit.type == "VISIT" and {"country:US", "org:eu", "person:antony-blinken"} <= set(visit.participants)


def test_who_travels_is_named_with_each_trip_word(tables: Tables) -> None:
    """Two headlines in one line: Russia's minister goes to China, Blinken to the EU (from
    Washington, not from Beijing)."""
    to_china, to_eu = sorted(_events("北京邀俄外长访华　布林肯将访欧", tables), key=lambda e: "org:eu" in e.participants)
    assert "person:antony-blinken" not in to_china.participants
    assert set(to_eu.participants) == {"country:US", "org:eu", "person:antony-blinken"} and to_eu.place is None


def test_a_trip_to_an_organisation_and_to_its_seat_is_one_trip(tables: Tables) -> None:
    text = "布林肯将访欧。布林肯将于3月25日前往比利时布鲁塞尔，与欧盟官员会面。"
    visits = [e for e in _events(text, tables) if e.type == "VISIT"]
    assert len(visits) == 1 and {"org:eu", "country:BE"} <= set(visits[0].participants)


def test_a_tour_list_leaves_each_leg_its_own_host(tables: Tables) -> None:
    """A trip to the organisation joins the leg reported first; the tour's list of stops later in
    the article gives one visit per other host, not more states for that leg."""
    text = "王毅到访德国。德国之声指，王毅访欧之行引人关注。王毅连访意大利、荷兰、挪威、法国及德国五国。"
    visits = {e.place: set(e.participants) for e in _events(text, tables, "2020-09-02") if e.type == "VISIT"}
    assert {"country:CN", "country:DE", "person:wang-yi"} <= visits["country:DE"]
    assert not visits["country:DE"] & {"country:IT", "country:NL", "country:NO", "country:FR"}
    assert visits["country:IT"] == {"country:CN", "country:IT", "person:wang-yi"}
    assert len(visits) == 5


def test_undated_stages_of_one_plan_are_one_event(tables: Tables) -> None:
    """Planned, then in doubt, then called off: the same people's same trip, never dated."""
    text = ("日本外相表示，习近平的访日行程预计将在秋天举行。然而，习近平的访日计划再添变数。"
            "有议员要求政府取消邀请习近平访日。")
    assert [e.type for e in _events(text, tables, "2020-09-25")] == ["VISIT"]


def test_a_host_receiving_a_guest_is_the_guests_visit(tables: Tables) -> None:
    """接待: the guest came to the host's state, a visit besides the meeting."""
    events = _events("会谈刚结束，印度就接待了日本外相茂木敏充。", tables)
    (visit,) = [e for e in events if e.type == "VISIT"]
    assert set(visit.participants) == {"country:IN", "country:JP", "person:toshimitsu-motegi"}
    assert [e.type for e in events if e.type == "MEET"] == ["MEET"]


def test_an_untensed_headline_takes_the_bodys_planned_status(tables: Tables) -> None:
    """A headline has no tense: its occurred is a default, the body's 将 tells the trip is to come.
    A body that does not say (no tense word) leaves it occurred."""
    def visits(title: str, body: str) -> list[Event]:
        article = Article(id="t", path="t.md", title=title, published=datetime(2020, 8, 6, tzinfo=UTC), source=None,
                          url=None, language="zh", text=body, format="text", content_hash="")
        return [e for e in extract_article(article, tables).events if e.type == "VISIT"]
    (visit,) = visits("美国卫生部长阿扎尔访问台湾", "美国卫生部长阿扎尔将访问台湾。")
    assert visit.status == "planned"
    (visit,) = visits("美国卫生部长阿扎尔访问台湾", "美国卫生部长阿扎尔访问台湾，引起关注。")
    assert visit.status == "occurred"


def test_a_trip_word_naming_its_host_describes_whom_it_precedes(tables: Tables) -> None:
    """访台 takes no object: the phrase after it is its traveller (a headline drops the 的)."""
    (visit,) = _events("王毅威胁访台捷克议长。", tables, "2020-08-31")
    assert set(visit.participants) == {"country:CZ", "country:TW"}
    visits = [e for e in _events("蔡英文会见访台美国卫生部长阿扎尔。", tables, "2020-08-10") if e.type == "VISIT"]
    assert [set(v.participants) for v in visits] == [{"country:TW", "country:US", "person:alex-azar"}]


def test_a_tour_word_names_the_region_of_a_leg_not_a_party(tables: Tables) -> None:
    """访欧 is read as a trip to the EU; pooled with a leg to a state it names only the region."""
    article = Article(id="t", path="t.md", title="王毅访欧引发反面效应", published=datetime(2020, 8, 29, tzinfo=UTC),
                      source=None, url=None, language="zh", text="中国外长王毅周五抵达法国访问。",
                      format="text", content_hash="")
    visits = [e for e in extract_article(article, tables).events if e.type == "VISIT"]
    assert [set(v.participants) for v in visits] == [{"country:CN", "country:FR", "person:wang-yi"}]


def test_a_time_in_office_that_dates_others_talks_takes_no_part(tables: Tables) -> None:
    """拜登上任以来 dates the talks of the officials named after it; with no one else named, the
    first act is the person's own."""
    (talks,) = _events("这是美国总统拜登上任以来，中美高级官员的首次会谈。", tables, "2021-03-18")
    assert "person:joe-biden" not in talks.participants and {"country:CN", "country:US"} <= set(talks.participants)
    (visit,) = _events("美国国务卿布林肯上任以来首次出访日本。", tables, "2021-03-16")
    assert "person:antony-blinken" in visit.participants


def test_who_acts_before_a_meeting_is_not_at_it(tables: Tables) -> None:
    """"在会谈后表示" adds the speaker to the talks reported before; "在会谈前" adds no one."""
    text = "杨洁篪和布林肯3月18日在安克雷奇举行会谈。赵立坚指出，美国在会谈前带节奏。"
    (talks,) = [e for e in _events(text, tables, "2021-03-19") if e.type == "MEET"]
    assert "person:zhao-lijian" not in talks.participants
    text = "杨洁篪和布林肯3月18日在安克雷奇举行会谈。王毅在会谈后表示，会谈是坦诚的。"
    (talks,) = [e for e in _events(text, tables, "2021-03-19") if e.type == "MEET"]
    assert "person:wang-yi" in talks.participants


def test_after_an_organisations_meeting_named_as_a_setting_refers_to_it(tables: Tables) -> None:
    """"会后" after "在…四方安全对话中" is after the Quad's meeting, not the talks reported before."""
    text = ("杨洁篪和布林肯3月18日在安克雷奇举行会谈。"
            "拜登在与日本、印度、澳大利亚领导人举行的四方安全对话中未点名中国，在会后评论中也不乏映射中国的内容。")
    (talks,) = [e for e in _events(text, tables, "2021-03-19") if e.type == "MEET"]
    assert "person:joe-biden" not in talks.participants


def test_a_trip_noun_goes_to_the_place_right_before_it(tables: Tables) -> None:
    """"日本之行" is a trip to Japan, made by whom the sentence names before, not by Japan; not to
    the first state of the sentence."""
    for text in ("蓬佩奥周二结束日本之行。", "蓬佩奥不去南韩，只去日本，周二结束日本之行后即回美国。"):
        (visit,) = _events(text, tables, "2020-10-05")
        assert visit.place == "country:JP" and {"country:JP", "country:US"} <= set(visit.participants), text


def test_who_announces_a_trip_does_not_make_it(tables: Tables) -> None:
    """A person before a word of speech tells of the trip of the one named after it."""
    (visit,) = _events("蓬佩奥宣布美国驻联合国大使克拉夫特将访台。", tables, "2021-01-10")
    assert set(visit.participants) == {"country:TW", "country:US", "person:kelly-craft"}
    (visit,) = _events("王毅称美国国务卿蓬佩奥将访华。", tables, "2021-01-10")
    assert "person:wang-yi" not in visit.participants and "person:mike-pompeo" in visit.participants
    (visit,) = [e for e in _events("王毅再次邀请博雷利访华。", tables, "2021-07-09") if e.type == "VISIT"]
    assert "person:wang-yi" not in visit.participants and "person:josep-borrell" in visit.participants
    (visit,) = [e for e in _events("拜登应邀访华。", tables, "2021-07-09") if e.type == "VISIT"]
    assert "person:joe-biden" in visit.participants


def test_someone_named_to_order_events_in_time_takes_no_part(tables: Tables) -> None:
    """"在X之前" orders a call in time: X is not on it."""
    (call,) = _events("在拜登之前，菅义伟已经与澳大利亚总理莫里森通话。", tables)
    assert "person:joe-biden" not in call.participants


def test_the_counterpart_of_a_meeting_in_a_time_clause_is_at_no_other_meeting(tables: Tables) -> None:
    """"X在与Y会晤之前，在Z会晤了A、B" names two events: X with Y, and X with A and with B. Y is the
    counterpart of the first, never the actor of the second; nor X's partner of a call told first
    the actor of a meeting after it."""
    events = [e for e in _events("美国总统拜登在与普京会晤之前，在日内瓦会晤了瑞士和意大利领导人。", tables) if e.type == "MEET"]
    with_putin = [e for e in events if "person:vladimir-putin" in e.participants]
    assert [sorted(e.participants) for e in with_putin] == [
        ["country:RU", "country:US", "person:joe-biden", "person:vladimir-putin"]]
    others = sorted(sorted(e.participants) for e in events if e not in with_putin)
    assert others == [["country:CH", "country:US", "person:joe-biden"], ["country:IT", "country:US", "person:joe-biden"]]
    (call, meeting) = sorted(_events("王毅同布林肯通电话后，会见了俄罗斯外长拉夫罗夫。", tables), key=lambda e: e.type)
    assert set(meeting.participants) == {"country:CN", "country:RU", "person:sergey-lavrov", "person:wang-yi"}
    assert "person:antony-blinken" in call.participants


def test_an_english_meeting_after_another_is_not_held_with_its_counterpart(tables: Tables) -> None:
    """"X met Y in Geneva after meeting Z in Brussels": Y is the object of the first meeting, not a
    party of the second."""
    article = Article(id="t", path="t.md", title="", published=datetime(2021, 6, 20, tzinfo=UTC), source=None,
                      url=None, language="en", text="Mr Biden met Mr Putin in Geneva after meeting Mrs Merkel in Brussels.",
                      format="text", content_hash="")
    meetings = sorted(sorted(e.participants) for e in extract_article(article, tables).events if e.type == "MEET")
    assert meetings == [["country:DE", "country:US", "person:angela-merkel", "person:joe-biden"],
                        ["country:RU", "country:US", "person:joe-biden", "person:vladimir-putin"]]


def test_a_clause_naming_no_new_counterpart_goes_on_with_both_sides(tables: Tables) -> None:
    """A clause that names only a place, or both sides by one word (两国, 双方), takes the
    counterpart of the meeting before it."""
    (meeting,) = _events("在与默克尔会谈时，马克龙回顾了两国去年在柏林的会谈。", tables)
    assert {"person:emmanuel-macron", "person:angela-merkel"} <= set(meeting.participants)
    events = _events("特鲁多与拜登视频通话，期待今年在渥太华会面。", tables)
    assert all({"country:CA", "country:US"} <= set(e.participants) for e in events)


def test_a_clause_opening_with_its_partner_word_meets_the_actor_named_before(tables: Tables) -> None:
    """"…，王毅下月将访问东京，并与茂木敏充会谈": Motegi is whom the clause names; Wang Yi, named in
    the clause before (not the sentence's subject, the ministry that tells of it), meets him. A
    pronoun before the partner word acts itself."""
    for text, host, partner in [("日本外务省透露称，王毅下月将访问东京，并与茂木敏充会谈。", "country:JP",
                                 "person:toshimitsu-motegi"),
                                ("据韩联社报道，王毅这周将到访首尔，并同韩国外长郑义溶举行会谈。", "country:KR",
                                 "person:chung-eui-yong")]:
        (meeting,) = [e for e in _events(text, tables) if e.type == "MEET"]
        assert set(meeting.participants) >= {"country:CN", host, "person:wang-yi", partner}
    (meeting,) = _events("默克尔表示，她与另两位欧盟领导人在会晤期间向习近平施压。", tables)
    assert "person:angela-merkel" in meeting.participants


def test_a_coordinated_clause_goes_on_at_the_time_of_the_clause_before(tables: Tables) -> None:
    """"王毅计划下月25日抵达罗马，并与迪马约举行会谈": the talks, opened by 并, are of the 25th
    like the arrival, planned as it is."""
    events = _events("王毅计划下月25日抵达罗马，并与意大利外长迪马约举行会谈。", tables, "2021-05-27")
    assert {(e.type, e.start, e.status) for e in events} == {("VISIT", date(2021, 6, 25), "planned"),
                                                             ("MEET", date(2021, 6, 25), "planned")}


def test_travellers_of_two_states_one_after_the_other_make_two_trips(tables: Tables) -> None:
    """"A和B先后访问了首尔" with A and B of two states: two visits, each with its own traveller; one
    traveller "先后" visiting two hosts, or two of one state, stays as it was."""
    visits = _events("美国国务卿布林肯和中国外长王毅先后访问了首尔。", tables)
    assert sorted(sorted(v.participants) for v in visits) == [
        ["country:CN", "country:KR", "person:wang-yi"],
        ["country:KR", "country:US", "person:antony-blinken"]]
    assert len(_events("布林肯先后访问了日本和韩国。", tables)) == 2
    (visit,) = _events("王毅和杨洁篪先后访问了首尔。", tables)
    assert {"person:wang-yi", "person:yang-jiechi"} <= set(visit.participants)


def test_two_events_related_in_one_clause_keep_their_own_parties(tables: Tables) -> None:
    """"A访日延期与四国外长会议有关", "A会见B与北约峰会无关": each event word takes the parties
    on its side of the relation, and what is said of the other (延期) is not said of it."""
    visit, gathering = sorted(_events("王毅访日延期与美日印澳四国外长会议有关。", tables), key=lambda e: e.type, reverse=True)
    assert (visit.type, visit.status) == ("VISIT", "cancelled") and "country:US" not in visit.participants
    assert gathering.status == "occurred" and not {"person:wang-yi", "country:CN"} & set(gathering.participants)
    meeting = next(e for e in _events("拜登会见普京与北约峰会无关。", tables) if e.type == "MEET")
    assert "org:nato" not in meeting.participants


def test_a_leg_named_by_its_order_is_a_visit_there(tables: Tables) -> None:
    """"柏林是…之行的第一站", "访欧的第二站罗马", "作为此行的第一站，王毅在罗马…": the place the
    clause equates with the ordinal stop hosts a visit of the tour's traveller."""
    (visit,) = _events("柏林是布林肯此次欧洲之行的第一站。", tables)
    assert (visit.type, visit.place) == ("VISIT", "place:berlin")
    assert {"country:DE", "country:US", "person:antony-blinken"} <= set(visit.participants)
    assert any(e.type == "VISIT" and "country:IT" in e.participants
               for e in _events("布林肯随后在访欧的第二站罗马举行了记者会。", tables))
    visit = next(e for e in _events("作为此行的第一站，王毅在罗马会见了意大利外长。", tables) if e.type == "VISIT")
    assert {"country:CN", "country:IT", "person:wang-yi"} <= set(visit.participants)


def test_a_trip_named_as_the_setting_is_made_by_who_acts_there(tables: Tables) -> None:
    """"访华期间，拉夫罗夫与王毅举行会谈": the visit and the meeting, Lavrov the traveller of both;
    not the host's minister when the traveller is named before ("王毅…访问荷兰时，外长布洛克…")."""
    visit = next(e for e in _events("访华期间，拉夫罗夫与王毅举行会谈。", tables) if e.type == "VISIT")
    assert set(visit.participants) == {"country:CN", "country:RU", "person:sergey-lavrov"}
    visit = next(e for e in _events("在访问日本期间，王毅会见了菅义伟。", tables) if e.type == "VISIT")
    assert set(visit.participants) == {"country:CN", "country:JP", "person:wang-yi"}


def test_what_would_follow_from_a_condition_is_no_event(tables: Tables) -> None:
    """The condition opens the clause before; the consequence is as hypothetical as it is."""
    assert _events("假如北京在贸易问题上让步，拜登很可能会在秋天会见习近平。", tables) == []
    assert len(_events("北京在贸易问题上让步后，拜登3月20日会见了习近平。", tables)) == 1


def test_who_meets_at_a_gathering_attends_it(tables: Tables) -> None:
    """"X峰会期间，A与B会面": the summit is the setting, A and B are at it."""
    events = _events("3月18日北约峰会期间，法国总统马克龙与土耳其总统埃尔多安会面。", tables)
    (summit,) = [e for e in events if e.type == "MULTILATERAL"]
    assert {"org:nato", "country:FR", "country:TR"} <= set(summit.participants)
    assert [e.type for e in events if e.type == "MEET"] == ["MEET"]


def test_this_trip_refers_back_and_brings_its_days(tables: Tables) -> None:
    """此次访问 names the visit just reported: no second visit, and its days are that visit's."""
    (visit,) = _events("俄罗斯外长拉夫罗夫将访问中国。此次访问定于3月22日至23日。", tables)
    assert (visit.type, str(visit.start), str(visit.end)) == ("VISIT", "2021-03-22", "2021-03-23")
    assert "person:sergey-lavrov" in visit.participants


def test_this_meeting_refers_back_and_brings_its_people(tables: Tables) -> None:
    (talks,) = _events("中美两国外长3月18日举行会谈。美国国务卿布林肯在这次会谈上直言不讳。", tables)
    assert {"country:CN", "country:US", "person:antony-blinken"} <= set(talks.participants)


def test_a_back_reference_keeps_the_checks_of_any_event_word(tables: Tables) -> None:
    """A demonstrative does not lift negation or hypothesis: nothing is reported."""
    assert _events("如果这次会谈取得成果，美方会感到满意。", tables) == []
    assert _events("王毅没有参加这次会谈。", tables) == []


def test_a_pronoun_names_the_traveller_of_the_sentence_before(tables: Tables) -> None:
    """"他…访印": the traveller is whom the sentence before named, not a state named on the way."""
    text = "美国气候特使克里多次强调合作。他也清楚中国的意愿有限，所以在4月6日访印时表示抱有希望。"
    (visit,) = _events(text, tables, "2021-04-14")
    assert {"country:US", "country:IN"} == {p for p in visit.participants if p.startswith("country:")}


def test_a_summit_and_a_ministers_meeting_of_one_organisation_are_two_events(tables: Tables) -> None:
    """A later undated summit mention joins the summit, never the ministers' meeting of May."""
    text = "G7峰会将于6月11日至13日举行。5月的G7外长会议已讨论台海问题。澳大利亚总理莫里森出席G7峰会时提及香港问题。"
    gatherings = {e.trigger: e for e in _events(text, tables, "2021-06-08") if e.type == "MULTILATERAL"}
    assert "country:AU" not in gatherings["外长会议"].participants


def test_a_state_met_on_a_trip_is_no_second_destination(tables: Tables) -> None:
    """"前往越南与北韩领袖举行峰会": one trip, to Vietnam; North Korea is whom he meets there."""
    visits = [e for e in _events("特朗普出发前往越南与北韩领袖金正恩举行第二次峰会。", tables, "2019-02-25")
              if e.type == "VISIT"]
    assert [v.place for v in visits] == ["country:VN"]


def test_a_trip_and_its_destination_describe_their_traveller_through_de(tables: Tables) -> None:
    """"访问中国的北韩领袖": North Korea's leader travelled to China, whoever the clause names before."""
    (visit,) = [e for e in _events("记者拍摄到一列与之前访问中国的北韩领袖金正恩的专列相似的火车。", tables, "2019-02-25")
                if e.type == "VISIT"]
    assert {"country:KP", "country:CN"} == {p for p in visit.participants if p.startswith("country:")}


def test_meeting_an_organisations_ministers_together_is_its_gathering(tables: Tables) -> None:
    (gathering,) = _events("王毅3月19日与东盟的各国外长举行会晤。", tables)
    assert gathering.type == "MULTILATERAL" and "org:asean" in gathering.participants
    assert _events("王毅3月19日与东盟秘书长林玉辉举行会晤。", tables)[0].type == "MEET"


def test_whom_a_gathering_criticises_takes_no_part_in_it(tables: Tables) -> None:
    """批评中俄: China and Russia are what the ministers resolve on, not at the table; they remain
    the objects of the criticism the sentence also reports."""
    text = "5月5日，七国集团外长会议批评中国和俄罗斯。"
    (meeting,) = _events(text, tables, "2021-05-06")
    assert meeting.type == "MULTILATERAL" and not {"country:CN", "country:RU"} & set(meeting.participants)
    article = Article(id="t", path="t.md", title="", published=datetime(2021, 5, 6, tzinfo=UTC), source=None,
                      url=None, language="zh", text=text, format="text", content_hash="")
    (criticism,) = [e for e in extract_article(article, tables).events if e.type == "DISAPPROVE"]
    assert {"country:CN", "country:RU"} <= set(criticism.participants)


def test_an_organisations_members_in_parenthesis_take_part(tables: Tables) -> None:
    """A parenthesis after 成员国 lists the members meeting, not an aside."""
    (meeting,) = _events("七国集团成员国（英国、美国、加拿大、法国、德国、意大利和日本）5月3日首次举行面对面会议。",
                         tables, "2021-05-04")
    assert {"country:CA", "country:IT", "country:JP", "org:g7"} <= set(meeting.participants)


def test_a_level_word_before_a_gathering_word_tells_its_level(tables: Tables) -> None:
    """G7外长峰会 is the foreign ministers' meeting: its word keeps 外长 (kg.records.gathering_level)."""
    (meeting,) = _events("G7外长峰会5月3日在英国登场。", tables, "2021-05-04")
    assert meeting.type == "MULTILATERAL" and meeting.trigger == "外长峰会"


def test_meetings_with_two_counterparts_on_two_days_are_two(tables: Tables) -> None:
    """The foreign ministers' talks on the 24th and the call on the prime minister on the 25th: the
    day's slack of one meeting dated twice does not make them one meeting of three."""
    text = "11月24日，王毅和日本外务大臣茂木敏充在东京举行会谈。周三，王毅礼节性拜访日本首相菅义伟。"
    meetings = sorted((e for e in _events(text, tables, "2020-11-25") if e.type == "MEET"), key=lambda e: e.start)
    assert [set(e.participants) & {"person:toshimitsu-motegi", "person:yoshihide-suga"} for e in meetings] == [
        {"person:toshimitsu-motegi"}, {"person:yoshihide-suga"}]


def test_who_reports_a_gathering_of_an_organisation_takes_no_part_in_it(tables: Tables) -> None:
    """The summit is named by its organisation (a gloss and a level word between): the sentence's
    subject, Taiwan's foreign ministry, only tells of it."""
    (summit,) = _events("台湾外交部发布新闻稿表示，七国集团（G7）领导人峰会于6月13日晚间在英国康沃尔圆满落幕。",
                        tables, "2021-06-14")
    assert "org:g7" in summit.participants and "country:TW" not in summit.participants


def test_who_takes_a_stance_on_a_trip_is_no_traveller_of_it(tables: Tables) -> None:
    """A person before 对 regrets the trip of a compatriot after it: only the latter travels; a
    host welcoming the guest's trip stays its host."""
    (visit,) = _events("布林肯对克拉夫特没能访台表示遗憾。", tables, "2021-01-20")
    assert set(visit.participants) == {"country:US", "country:TW", "person:kelly-craft"}
    (visit,) = _events("习近平对金正恩首次访华表示热烈欢迎。", tables, "2018-03-28")
    assert {"person:kim-jong-un", "person:xi-jinping"} <= set(visit.participants)


def test_a_trip_that_fell_through_for_another_traveller_is_another_trip(tables: Tables) -> None:
    """Same host, other traveller, other outcome: the trip made does not take the traveller of the
    one that did not happen; the trip told again by its own traveller stays one trip."""
    text = "克拉夫特1月13日抵达台湾。布林肯对前任国务卿蓬佩奥没能访台表示遗憾。克拉夫特此前宣布将访问台湾。"
    visits = {e.status: set(e.participants) for e in _events(text, tables, "2021-01-20") if e.type == "VISIT"}
    assert visits == {"occurred": {"country:US", "country:TW", "person:kelly-craft"},
                      "cancelled": {"country:US", "country:TW", "person:mike-pompeo"}}


def test_a_state_a_meetings_topic_phrase_names_takes_no_part(tables: Tables) -> None:
    """A state before a policy noun, after 的 and a modifier, is what the talks are about; the same
    phrase after a criticism names whom it aims at, and one that names the talks' own kind names
    who talks ("东海问题高级别磋商" is China and Japan's)."""
    (talks,) = _events("布林肯与茂木敏充会谈，讨论美国对伊朗的新方针。", tables)
    assert "country:IR" not in talks.participants
    (talks,) = _events("布林肯与茂木敏充会谈时提出俄罗斯的最新方针。", tables)
    assert "country:RU" not in talks.participants and {"country:US", "country:JP"} <= set(talks.participants)
    article = Article(id="t", path="t.md", title="", published=datetime(2021, 5, 4, tzinfo=UTC), source=None, url=None,
                      language="zh", text="布林肯批评俄罗斯的对乌政策。", format="text", content_hash="")
    (criticism,) = [e for e in extract_article(article, tables).events if e.type == "DISAPPROVE"]
    assert "country:RU" in criticism.participants
    (talks,) = _events("中日两国举行东海问题高级别磋商。", tables)
    assert set(talks.participants) == {"country:CN", "country:JP"}


def test_a_topic_phrase_counts_as_one_word_for_what_governs_a_talk(tables: Tables) -> None:
    """希望 governs 磋商 across the topic phrase as across a name: a hoped-for consultation."""
    assert _events("拜登团队希望就对华经贸问题先与欧盟方面进行磋商。", tables) == []


def test_whom_a_gathering_aims_at_does_not_come_back_as_the_subject(tables: Tables) -> None:
    """The first clause names the G7 and whom its communique names; the second, NATO's members:
    neither Russia nor the G7 takes part in NATO's summit, nor Russia in the G7's."""
    g7, nato = sorted(_events("七国集团在峰会公报中点名俄罗斯，北约成员国领袖将在峰会公报中表态。", tables),
                      key=lambda e: "org:nato" in e.participants)
    assert set(g7.participants) == {"org:g7"} and set(nato.participants) == {"org:nato"}
    (summit,) = _events("G7包括加拿大、日本和英国，但欧盟领袖也参加了在康沃尔的峰会。", tables, "2021-06-14")
    assert {"org:g7", "org:eu"} <= set(summit.participants)


def test_this_trip_with_a_trips_measure_word_refers_back(tables: Tables) -> None:
    """这趟 (this trip) refers to the trip just reported, like 此次: its destination word (访欧)
    adds no host to the leg it refers to."""
    text = "王毅8月30日出访法国。王毅在这趟访欧行程中重申希望中国与欧盟达成协议。"
    (visit,) = _events(text, tables, "2020-08-31")
    assert set(visit.participants) == {"country:CN", "country:FR", "person:wang-yi"}


def test_a_spokesperson_speaking_after_a_meeting_is_not_placed_at_it(tables: Tables) -> None:
    """会后 places the people of its sentence at the meeting, but not one who speaks for an office."""
    text = "布林肯与杨洁篪在2月6日通了电话。会后，美国国务院发言人普莱斯表示，双方谈了很久。"
    (call,) = _events(text, tables, "2021-02-07")
    assert "person:ned-price" not in call.participants


def test_a_person_named_for_a_relative_takes_no_part(tables: Tables) -> None:
    """The widow of the late speaker is invited and travels, not he."""
    text = "议长柯佳洛（Jaroslav Kubera）去年病逝。维特齐此次来访获得支持，因此他特别邀请柯佳洛的遗孀参团访台。"
    article = Article(id="t", path="t.md", title="", published=datetime(2020, 8, 14, tzinfo=UTC), source=None,
                      url=None, language="zh", text=text, format="text", content_hash="")
    events = extract_article(article, tables).events
    assert {e.type for e in events} >= {"INVITE", "VISIT"}
    assert all("person:jaroslav-kubera" not in e.participants for e in events)


def test_a_place_telling_the_time_is_no_venue(tables: Tables) -> None:
    """香港时间 is Hong Kong's clock: the talks are where 在 places them, or nowhere said."""
    (talks,) = _events("中美会谈将于香港时间19日在阿拉斯加举行，崔天凯已抵达当地。", tables, "2021-03-18")
    assert talks.place == "place:alaska"
    (talks,) = _events("中美会谈将于香港时间19日举行。", tables, "2021-03-18")
    assert talks.place is None


def test_places_a_stance_word_introduces_are_no_venue(tables: Tables) -> None:
    """对香港、台湾和新疆现状的关注: what the call was about, not where it was held."""
    (call,) = _events("拜登与习近平通电话表达对香港和新疆现状的关注。", tables, "2021-02-11")
    assert call.place is None


def test_a_dateline_opens_its_sentence_but_tells_nothing_of_the_event(tables: Tables) -> None:
    """A dated parenthesis opening a paragraph is the outlet's dateline: it stays in the text of
    the sentence it opens (the evidence a reader quotes holds it), not in the caption before it,
    and its city and day are not the event's. A caption's trailing date in its own paragraph
    still closes the caption."""
    text = ("图为王毅。（2020年8月20日）\n（中央社記者楊明珠東京24日專電）日本外相茂木敏充与来访的中国外交部长王毅在北京举行会谈。")
    article = Article(id="t", path="t.md", title="", published=datetime(2020, 11, 24, tzinfo=UTC), source=None,
                      url=None, language="zh", text=text, format="text", content_hash="")
    (talks,) = [e for e in extract_article(article, tables).events if e.type == "MEET"]
    assert talks.evidence.startswith("（中央社記者楊明珠東京24日專電）日本外相")
    assert talks.place == "place:beijing" and talks.start is None


def test_an_occasion_word_naming_no_one_refers_to_the_event_of_its_type(tables: Tables) -> None:
    """"在会议期间", "该会议的组织者": a gathering word whose clause names no one is the definite
    "the meeting" of the gathering the article reported: its sentence is that event's evidence, no
    event of its own."""
    text = "七国集团外长会议5月3日在伦敦举行。在会议期间，各国代表都坐在透明屏幕后面。该会议的组织者坚持认为没有风险。"
    (gathering,) = _events(text, tables, "2021-05-06")
    assert gathering.type == "MULTILATERAL" and len(gathering.more_evidence) == 2


def test_an_unnamed_reference_gives_no_day_and_names_its_states(tables: Tables) -> None:
    """Its clause's day may be of what is said there, not the event's (the talks stay undated); a
    state it names must be the event's ("继续访问印度" is no part of a visit to China)."""
    (talks,) = _events("中美两国官员举行会谈。3月17日会谈前，环球时报发表社评。", tables, "2021-03-20")
    assert talks.start is None and len(talks.more_evidence) == 1
    (visit,) = _events("俄罗斯外长拉夫罗夫访问中国。后来国防部长继续访问印度。", tables)
    assert visit.more_evidence == ()


def test_a_word_standing_for_a_trip_or_meeting_makes_its_sentence_evidence(tables: Tables) -> None:
    """此行 (this trip), 在会上 (at the meeting) refer to the event the article told: their sentence
    is its evidence, and only the person right before the word is its traveller ("蓬佩奥此行" is
    Pompeo's trip, not the visit told last); 此行为 ("this act") refers to nothing."""
    text = ("蓬佩奥10月6日访问日本。中国外长王毅10月7日访问韩国。台湾外长吴钊燮表示，此行凸显了支持。"
            "蓬佩奥此行将施压韩国。类此行为不可接受。")
    visits = {p: e for e in _events(text, tables, "2020-10-05") for p in e.participants if p.startswith("person:")}
    assert visits["person:wang-yi"].more_evidence == ("台湾外长吴钊燮表示，此行凸显了支持。",)
    assert visits["person:mike-pompeo"].more_evidence == ("蓬佩奥此行将施压韩国。",)
    (summit,) = _events("中欧领导人9月14日举行视频峰会。默克尔在会上表达了关注。", tables, "2020-09-15")
    assert summit.more_evidence == ("默克尔在会上表达了关注。",)


def test_arriving_in_a_state_named_by_its_one_character_is_a_trip(tables: Tables) -> None:
    """抵台 is a trip to Taiwan as 来台 and 赴台 are; 美驻联合国大使 is the United States' envoy
    (驻 after a state's one character, as 驻华); a plan that fell through (计划泡汤) is cancelled."""
    (visit,) = _events("美驻联合国大使将于13日抵台。", tables, "2021-01-12")
    assert {"country:US", "country:TW"} <= set(visit.participants) and visit.status == "planned"
    (visit,) = _events("美驻联合国大使今天访台计划泡汤。", tables, "2021-01-13")
    assert {"country:US", "country:TW"} <= set(visit.participants) and visit.status == "cancelled"


def test_people_of_two_sides_named_together_tell_of_their_meeting(tables: Tables) -> None:
    """"茂木与王毅都同意…" names no event word: it tells what the two did at the meeting the
    article reported between them (its evidence), not at another meeting of their states."""
    text = "日本外相茂木敏充24日与中国外长王毅举行会谈。茂木与王毅都同意要共同推动合作。"
    (talks,) = _events(text, tables, "2020-11-24")
    assert talks.more_evidence == ("茂木与王毅都同意要共同推动合作。",)
    text = "日本首相菅义伟24日与中国国家主席习近平举行会谈。茂木与王毅都同意要共同推动合作。"
    (talks,) = _events(text, tables, "2020-11-24")
    assert talks.more_evidence == ()


def test_an_organisations_officials_acting_together_tell_of_its_gathering(tables: Tables) -> None:
    """"七国集团的外长…讨论", "欧盟领导人还…施压": what an organisation's officials did at its
    gathering the article reported (its evidence); its member states are no officials."""
    text = "七国集团外长会议5月3日在伦敦举行。七国集团的外长定在周一晚上的工作晚餐上讨论伊朗问题。一些七国集团成员国担心经济。"
    (gathering,) = _events(text, tables, "2021-05-03")
    assert gathering.more_evidence == ("七国集团的外长定在周一晚上的工作晚餐上讨论伊朗问题。",)


def test_an_occasion_word_a_pronoun_owns_is_the_trip_told_before(tables: Tables) -> None:
    """"对其访台也有批评": the trip is that of the traveller told before, not of the critics its clause
    names (no new trip of China's to Taiwan in "中方信件指出其访台将伤害…"); 土耳其访问 and 尤其 hold no
    pronoun."""
    text = "美国驻联合国大使克拉夫特13日访台。不过，台湾在野党国民党许多人士对其访台也有批评。中方指出其访台将伤害两国关系。"
    (visit,) = _events(text, tables, "2021-01-13")
    assert visit.participants == ("country:TW", "country:US", "person:kelly-craft")
    assert len(visit.more_evidence) == 2
    (turkey,) = _events("王毅3月24日抵达土耳其访问。", tables)
    assert turkey.type == "VISIT"


def test_a_hope_or_condition_before_a_demonstrative_occasion_still_refers_to_it(tables: Tables) -> None:
    """"希望克拉夫特这次来台能够…", "如果此次会谈卓有成效": the hope and the condition are of what the
    occasion brings; the word still refers to the event told (its evidence, no new event)."""
    text = "美国驻联合国大使克拉夫特13日访台。国民党希望克拉夫特这次来台能够延续台美关系。"
    (visit,) = _events(text, tables, "2021-01-13")
    assert visit.type == "VISIT" and len(visit.more_evidence) == 1
    text = "中美高层官员3月18日在安克雷奇举行会谈。如果此次会谈卓有成效，北京将寻求元首会晤。"
    (talks,) = [e for e in _events(text, tables, "2021-03-18") if e.start is not None]
    assert len(talks.more_evidence) == 1


def test_a_date_in_a_time_clause_dates_that_clause_not_the_event_after_it(tables: Tables) -> None:
    """"X日…后" with a verb between: the day is the act of the time clause (taking office), not the
    call after it; a time clause opened after the date (在…后), one that names a meeting (…后的会议)
    or holds an event word of its own (会晤后发表) keeps the date, as do 随后, 会后 and 前后."""
    (call,) = _events("这是拜登上月20日宣誓就职后，首次与习近平通电话。", tables, "2021-02-11")
    assert call.start is None
    (call,) = _events("德国总理默克尔3月18日与习近平在双方互相制裁两周后通了电话。", tables, "2021-03-20")
    assert call.start is not None and call.start.isoformat() == "2021-03-18"
    (meeting,) = _events("北约3月17日将举行拜登政府上台后的国防部长会议。", tables, "2021-03-15")
    assert meeting.start is not None and meeting.start.isoformat() == "2021-03-17"
    (meeting,) = _events("中美官员3月18日先后抵达并随后举行会谈。", tables, "2021-03-20")
    assert meeting.start is not None and meeting.start.isoformat() == "2021-03-18"


def test_the_day_of_an_announcement_does_not_date_the_trip_it_announces(tables: Tables) -> None:
    """"8月4日宣布他将出访": the day it was said. A past meeting told of at a press conference the
    same day keeps the date, as a speech word far from the date does not take it."""
    (visit,) = _events("美国卫生部长阿札尔8月4日宣布他将在近日访问台湾。", tables, "2020-08-05")
    assert visit.start is None and visit.status == "planned"
    (visit,) = _events("美国卫生部长阿札尔8月4日访问台湾。", tables, "2020-08-05")
    assert visit.start is not None and visit.start.isoformat() == "2020-08-04"
