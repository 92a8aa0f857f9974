"""Event extraction: the facts of the reference article, and the rules that keep events honest."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from kg.errors import SchemaError
from kg.extract.events import EventLexicon
from kg.extract.pipeline import Tables, extract_article
from kg.readers import read_article
from kg.records import Article, ArticleExtraction, Event
from kg.schema import load_yaml

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
REFERENCE = SHARED / "corpus" / "seed" / "000_4b9d46ca0c5281cf.txt"


@pytest.fixture(scope="session")
def tables() -> Tables:
    return Tables.load()


@pytest.fixture(scope="session")
def reference(tables: Tables) -> ArticleExtraction:
    return extract_article(read_article(REFERENCE), tables)


def _events(ex: ArticleExtraction, type_: str, *participants: str) -> list[Event]:
    return [e for e in ex.events if e.type == type_ and set(participants) <= set(e.participants)]


def _one(ex: ArticleExtraction, type_: str, *participants: str) -> Event:
    found = _events(ex, type_, *participants)
    assert len(found) == 1, f"expected one {type_} with {participants}, got {[e.to_dict() for e in found]}"
    return found[0]


def test_lavrov_planned_visit_to_china(reference: ArticleExtraction) -> None:
    visit = _one(reference, "VISIT", "person:sergey-lavrov", "country:RU", "country:CN")
    assert (visit.start, visit.end, visit.status) == (date(2021, 3, 22), date(2021, 3, 23), "planned")


def test_nato_foreign_ministers_meeting_in_brussels_with_blinken(reference: ArticleExtraction) -> None:
    """3月23日至24日 are the ministerial's days; the 22-25 of the same sentence are the trip's."""
    summit = _one(reference, "MULTILATERAL", "org:nato", "person:antony-blinken")
    assert (summit.start, summit.end, summit.status) == (date(2021, 3, 23), date(2021, 3, 24), "planned")
    assert summit.place == "place:brussels"
    assert "country:BE" not in summit.participants  # the venue's country does not take part


def test_officials_of_organisations_act_for_them(reference: ArticleExtraction) -> None:
    """Stoltenberg acts for NATO and von der Leyen for the EU: their nationality is no party."""
    _one(reference, "MEET", "person:antony-blinken", "person:jens-stoltenberg", "org:nato")
    _one(reference, "MEET", "person:ursula-von-der-leyen", "person:josep-borrell", "org:eu")
    parties = {p for e in reference.events for p in e.participants}
    assert not parties & {"country:NO", "country:DE", "country:ES"}
    people = {e.id: e for e in reference.entities}
    assert people["person:jens-stoltenberg"].country is None


def test_blinken_meets_von_der_leyen_and_borrell(reference: ArticleExtraction) -> None:
    meeting = _one(reference, "MEET", "person:antony-blinken", "person:ursula-von-der-leyen", "person:josep-borrell")
    assert meeting.status == "planned"


def test_china_us_talks_in_anchorage(reference: ArticleExtraction) -> None:
    """Blinken and Sullivan are named only in the captions around the talks ("…离开了会议室")."""
    talks = _one(reference, "MEET", "country:CN", "country:US", "person:yang-jiechi", "person:wang-yi",
                 "person:antony-blinken", "person:jake-sullivan")
    assert (talks.start, talks.end, talks.status) == (date(2021, 3, 18), date(2021, 3, 19), "occurred")
    assert talks.place == "place:anchorage"


def test_wang_yi_and_lavrov_in_moscow(reference: ArticleExtraction) -> None:
    meetings = _events(reference, "MEET", "person:wang-yi", "person:sergey-lavrov", "country:CN", "country:RU")
    moscow = [m for m in meetings if m.place == "place:moscow"]
    assert [(m.start, m.end, m.status) for m in moscow] == [(date(2020, 9, 11), date(2020, 9, 11), "occurred")]


def test_foreign_ministers_named_by_title_only(reference: ArticleExtraction) -> None:
    """中俄外长下周会晤: the dated roles say who the two foreign ministers were in March 2021."""
    meetings = _events(reference, "MEET", "person:wang-yi", "person:sergey-lavrov")
    assert (date(2021, 3, 22), "planned") in {(m.start, m.status) for m in meetings}


def test_one_event_per_real_world_event(reference: ArticleExtraction) -> None:
    """The Anchorage talks are mentioned in eight sentences; Lavrov's visit in four. Wang Yi's
    trip to Moscow of September 2020 ("王毅在莫斯科与拉夫罗夫共同会见记者") is another visit."""
    assert len(_events(reference, "MEET", "country:CN", "country:US")) == 1
    assert len(_events(reference, "VISIT", "country:RU", "country:CN", "person:sergey-lavrov")) == 1
    moscow = _events(reference, "VISIT", "country:RU", "country:CN", "person:wang-yi")
    assert [(v.start, v.modality) for v in moscow] == [(date(2020, 9, 11), "background")]


def _article(text: str, published: str = "2021-03-21", language: str = "zh") -> Article:
    return Article(id="t", path="t.md", title="", published=datetime.fromisoformat(published).replace(tzinfo=UTC),
                   source=None, url=None, language=language, text=text, format="text", content_hash="")


@pytest.mark.parametrize("text", [
    "意大利总理孔切没有会晤王毅。",          # negated
    "如果拜登与普京会面，",                  # hypothetical
    "会晤之后，中美将各自与自己的友好伙伴磋商。",  # each with their own partners
    "中国过去20年举行过多次中欧峰会。",        # habitual
    "央视记者专访了王毅。",                   # an interview is no visit
    "欧盟驻中国大使郁白在北京举行的一次能源论坛上表示。",  # a forum is where people speak
    "习近平致电祝贺卢卡申科当选白俄罗斯总统。",    # a telegram of congratulation is no call
    "中国两名驻澳使馆官员先后召见了一名澳大利亚记者。",  # a journalist is no party
    "中国宣布制裁欧洲议会议员及学者。",          # 会议 across the edge of a name is no event word
    "波兰军队在拉脱维亚参加北约冬季演习。",        # an organisation's exercise is no gathering
    "西方国家在联合国举行活动，声讨中国。",        # nor is an event held at the UN
    "但是拜登至今还没有与中国国家主席习近平通电话。",  # a negation before the verb phrase governs it
    "在布鲁塞尔这头，据报没有欧盟官员与蓬佩奥会面。",  # however long the names inside it
])
def test_no_event_is_invented(tables: Tables, text: str) -> None:
    scored = [e for e in extract_article(_article(text), tables).events
              if e.type in ("MEET", "VISIT", "CALL", "MULTILATERAL")]
    assert scored == []


def test_speculation_is_a_planned_event_of_lower_confidence(tables: Tables) -> None:
    ex = extract_article(_article("据传拜登可能与普京会面。"), tables)
    (meeting,) = [e for e in ex.events if e.type == "MEET"]
    assert (meeting.status, meeting.modality) == ("planned", "speculative")
    assert meeting.confidence < 0.6


def test_background_keeps_its_own_time_and_people(tables: Tables) -> None:
    text = ("王毅3月18日在安克雷奇与布林肯举行会谈。时任美国国务卿蓬佩奥去年6月曾与杨洁篪会谈。"
            "双方会谈持续了两天。")
    ex = extract_article(_article(text), tables)
    current = _one(ex, "MEET", "person:wang-yi", "person:antony-blinken")
    assert current.modality == "asserted" and "person:mike-pompeo" not in current.participants
    past = _one(ex, "MEET", "person:mike-pompeo")
    assert past.modality == "background" and past.start != current.start


def test_remote_meetings_are_calls_between_two_and_multilateral_among_more(tables: Tables) -> None:
    ex = extract_article(_article("蔡英文14日透过视讯方式与美国驻联合国大使克拉芙特会谈。", "2021-01-15"), tables)
    assert [e.type for e in ex.events] == ["CALL"]
    ex = extract_article(_article("王毅21日与巴基斯坦、阿富汗外长举行视频会谈。", "2021-06-22"), tables)
    assert [e.type for e in ex.events] == ["MULTILATERAL"]


def test_an_organisations_ministerial_is_multilateral(tables: Tables) -> None:
    ex = extract_article(_article("布林肯3月23日出席北约外长会议。"), tables)
    summit = _one(ex, "MULTILATERAL", "org:nato", "person:antony-blinken")
    assert summit.start == date(2021, 3, 23)


def test_topic_states_take_no_part(tables: Tables) -> None:
    ex = extract_article(_article("中美两国外长3月18日举行会谈，讨论了伊朗问题。"), tables)
    talks = _one(ex, "MEET", "country:CN", "country:US")
    assert "country:IR" not in talks.participants


def test_whom_a_gathering_speaks_of_takes_no_part(tables: Tables) -> None:
    """A state after a word of speech or verdict that follows the gathering word is what it says."""
    for text in ("北约峰会公报将首度指出中国构成系统性挑战。", "北约峰会称中国会构成战略威胁。",
                 "北约峰会呼吁中国停止威胁邻国。"):
        summit = _one(extract_article(_article(text, "2021-06-15"), tables), "MULTILATERAL", "org:nato")
        assert "country:CN" not in summit.participants, text
    ex = extract_article(_article("中国国家主席习近平出席二十国集团峰会，并表示支持多边主义。"), tables)
    assert "country:CN" in _one(ex, "MULTILATERAL", "org:g20").participants


def test_a_gathering_is_not_taken_part_in_by_whom_it_discusses(tables: Tables) -> None:
    """A list of states ending in a topic phrase (缅甸、朝鲜和其他话题), a state after a word of
    attack (攻击伊朗的核计划), a state speaking through its embassy in another state, and one the
    sentence says was not invited, wherever it names it, take no part in a gathering; a state
    invited to it and a mission to the organisation holding it do."""
    for text, outsider, org in (("东盟峰会期间的缅甸、朝鲜和其他话题引人关注。", "country:MM", "org:asean"),
                                ("东盟峰会期间的缅甸、朝鲜和其他话题引人关注。", "country:KP", "org:asean"),
                                ("七国集团峰会公报攻击伊朗的核计划。", "country:IR", "org:g7"),
                                ("伊朗驻法国大使馆发言人在北约峰会前夕发表声明。", "country:IR", "org:nato"),
                                ("俄罗斯没有被邀请，但俄罗斯在二十国集团峰会上成了焦点。", "country:RU", "org:g20")):
        summit = _one(extract_article(_article(text, "2021-06-15"), tables), "MULTILATERAL", org)
        assert outsider not in summit.participants, text
    ex = extract_article(_article("英国邀请了印度和韩国出席七国集团峰会。"), tables)
    assert {"country:IN", "country:KR"} <= set(_one(ex, "MULTILATERAL", "org:g7").participants)
    ex = extract_article(_article("俄罗斯常驻联合国代表在安理会会议上发言。"), tables)
    assert "country:RU" in _one(ex, "MULTILATERAL", "org:unsc").participants


def test_what_a_frame_of_discussion_holds_is_discussed(tables: Tables) -> None:
    """就…讨论/磋商/交换意见: the states inside the frame are discussed; a partner word ends the
    frame (就…同拉夫罗夫磋商 meets Lavrov), and who discusses stands before it."""
    ex = extract_article(_article("北约国防部长会议将就中俄威胁进行广泛的讨论。"), tables)
    assert not {"country:CN", "country:RU"} & set(_one(ex, "MULTILATERAL", "org:nato").participants)
    assert _events(extract_article(_article("北约应就中俄进行更密切的磋商。"), tables), "MEET") == []
    ex = extract_article(_article("王毅就两国关系同拉夫罗夫磋商。"), tables)
    _one(ex, "MEET", "person:wang-yi", "person:sergey-lavrov")
    ex = extract_article(_article("中国和俄罗斯外长举行会谈，就阿富汗局势交换意见。"), tables)
    assert "country:AF" not in _one(ex, "MEET", "country:CN", "country:RU").participants


def test_a_plural_pronoun_stands_for_no_one_person(tables: Tables) -> None:
    """他们 is a group: the person named last before it (here a topic) does not join the event;
    他 is that person."""
    text = "学者说，美欧对普京为首政府的评价已经统一。我认为他们在七国集团峰会上达成了共识。"
    assert "person:vladimir-putin" not in _one(extract_article(_article(text), tables), "MULTILATERAL", "org:g7").participants
    ex = extract_article(_article("拜登抵达英国。他将出席七国集团峰会。"), tables)
    assert "person:joe-biden" in _one(ex, "MULTILATERAL", "org:g7").participants


def test_a_summit_named_by_its_organisation_is_the_summit(tables: Tables) -> None:
    """七国集团峰会 and 二十国集团峰会 are aliases of the G7 and the G20: the summit word ending
    the name still reports the gathering, with or without a verb of attending before it; a talks
    word ending a name stays the name (四方会谈: the Quad)."""
    ex = extract_article(_article("七国集团峰会6月11日在英国康沃尔举行。", "2021-06-14"), tables)
    assert _one(ex, "MULTILATERAL", "org:g7").start == date(2021, 6, 11)
    ex = extract_article(_article("习近平出席二十国集团峰会并发表讲话。"), tables)
    assert {"country:CN", "person:xi-jinping"} <= set(_one(ex, "MULTILATERAL", "org:g20").participants)
    assert not _events(extract_article(_article("美日印澳四方会谈机制受到关注。"), tables), "MULTILATERAL")


def test_a_standing_mechanism_is_no_meeting(tables: Tables) -> None:
    """会晤机制 and 建立…对话 name a mechanism; 建立合作展开磋商 holds the talks."""
    for text in ("自2003年成立中印边界问题特别代表会晤机制以来，双方确定了路线图。", "中欧决定建立中欧环境与气候高层对话。"):
        assert not _events(extract_article(_article(text, "2020-09-16"), tables), "MEET"), text
    ex = extract_article(_article("美韩可能就两国建立合作展开磋商。", "2021-05-19"), tables)
    assert _events(ex, "MEET", "country:KR", "country:US")


def test_a_meeting_with_a_list_of_states_is_one_meeting_each(tables: Tables) -> None:
    ex = extract_article(_article("而法国、荷兰和挪威的政府首脑同王毅举行了会面。", "2020-09-02"), tables)
    pairs = {frozenset(p for p in e.participants if p.startswith("country:")) for e in ex.events if e.type == "MEET"}
    assert pairs == {frozenset({"country:CN", c}) for c in ("country:FR", "country:NL", "country:NO")}


def test_a_visit_to_several_states_is_one_visit_each(tables: Tables) -> None:
    ex = extract_article(_article("美国气候特使克里本月访问了阿联酋、印度和孟加拉国。", "2021-04-15"), tables)
    hosts = {e.place for e in ex.events if e.type == "VISIT"}
    assert hosts == {"country:AE", "country:IN", "country:BD"}


def test_bilateral_summit_is_a_meeting_and_a_video_summit_a_call(tables: Tables) -> None:
    ex = extract_article(_article("美国总统拜登与韩国总统文在寅5月21日举行首脑峰会。", "2021-05-25"), tables)
    assert [(e.type, e.start) for e in ex.events if e.type != "STATEMENT"] == [("MEET", date(2021, 5, 21))]
    ex = extract_article(_article("中国国家主席习近平与法国总统马克龙12月9日举行视频峰会。", "2020-12-10"), tables)
    assert [e.type for e in ex.events] == ["CALL"]


def test_relative_dates_and_status(tables: Tables) -> None:
    ex = extract_article(_article("拜登将于周三在日内瓦会见俄罗斯总统普京。", "2021-06-15"), tables)
    meeting = _one(ex, "MEET", "person:joe-biden", "person:vladimir-putin")
    assert (meeting.start, meeting.status, meeting.place) == (date(2021, 6, 16), "planned", "place:geneva")


def test_cancelled_meeting(tables: Tables) -> None:
    ex = extract_article(_article("欧盟贸易委员东布罗夫斯基斯与中国副总理刘鹤的会谈原定于周二举行，但被推迟。",
                                  "2020-12-23"), tables)
    assert [e.status for e in ex.events if e.type == "MEET"] == ["cancelled"]


def test_english_meeting(tables: Tables) -> None:
    text = "Secretary of State Antony Blinken met NATO Secretary General Jens Stoltenberg in Brussels on Tuesday."
    ex = extract_article(_article(text, "2021-03-24", "en"), tables)
    meeting = _one(ex, "MEET", "person:antony-blinken", "person:jens-stoltenberg")
    assert meeting.start == date(2021, 3, 23)


def test_an_interview_is_no_visit(tables: Tables) -> None:
    assert extract_article(_article("王毅接受美国之音访问时表示，中美应当合作。"), tables).events == ()


def test_a_modifier_governs_its_own_verb(tables: Tables) -> None:
    """希望 governs both verbs joined by 并; 每年 governs the summit, not a later, separate meeting."""
    assert not [e for e in extract_article(_article("拜登希望访问中国并会见习近平。"), tables).events
                if e.type in ("VISIT", "MEET")]
    ex = extract_article(_article("中美每年举行峰会，3月18日王毅在安克雷奇会见布林肯。"), tables)
    assert _one(ex, "MEET", "person:wang-yi", "person:antony-blinken").start == date(2021, 3, 18)


def test_days_counted_from_the_event_just_mentioned(tables: Tables) -> None:
    ex = extract_article(_article("拜登3月18日会见了菅义伟。当天，拜登还与文在寅通电话。次日，王毅会见拉夫罗夫。"), tables)
    assert _one(ex, "CALL", "person:moon-jae-in").start == date(2021, 3, 18)
    assert _one(ex, "MEET", "person:sergey-lavrov").start == date(2021, 3, 19)


def test_a_captions_trailing_date_dates_its_sentence(tables: Tables) -> None:
    ex = extract_article(_article("王毅与茂木敏充举行会谈。（2021年3月14日）另一段内容。"), tables)
    assert _one(ex, "MEET", "person:wang-yi", "person:toshimitsu-motegi").start == date(2021, 3, 14)


def test_the_place_is_the_events_own_not_the_datelines(tables: Tables) -> None:
    ex = extract_article(_article("路透布鲁塞尔3月19日 - 王毅3月18日在安克雷奇与布林肯举行会谈。", "2021-03-19"), tables)
    assert _one(ex, "MEET", "person:wang-yi", "person:antony-blinken").place == "place:anchorage"


def test_a_lexicon_without_its_scoring_weights_is_a_clear_error() -> None:
    raw = load_yaml("events.yaml")
    broken = {k: v for k, v in raw.items() if k != "scoring"}
    with pytest.raises(SchemaError, match="events.yaml"):
        EventLexicon.load(broken)
    with pytest.raises(SchemaError, match="events.yaml"):
        EventLexicon.load({**raw, "scoring": {**raw["scoring"], "confidence": {"base": 0.5}}})


def test_a_meeting_word_naming_a_time_refers_back(tables: Tables) -> None:
    text = "日本首相菅义伟25日与中国国家主席习近平通电话。菅义伟在会谈后对日本记者表示，习近平在会谈中表达了愿望。"
    ex = extract_article(_article(text, "2020-09-26"), tables)
    assert [e.type for e in ex.events if e.type in ("MEET", "CALL")] == ["CALL"]
    ex = extract_article(_article("王毅和日本外务大臣茂木敏充24日在会谈后举行联合记者会。", "2020-11-25"), tables)
    assert _one(ex, "MEET", "country:CN", "country:JP").start == date(2020, 11, 24)


def test_a_summits_venue_state_takes_no_part_unless_it_hosts_an_organisation(tables: Tables) -> None:
    ex = extract_article(_article("美国总统特朗普与朝鲜领导人金正恩12日在新加坡举行峰会。", "2018-06-13"), tables)
    summit = _one(ex, "MEET", "country:US", "country:KP")
    assert "country:SG" not in summit.participants and summit.start == date(2018, 6, 12)
    ex = extract_article(_article("特朗普早前在加拿大G7峰会上呼吁重新接纳俄罗斯。", "2018-07-16"), tables)
    _one(ex, "MULTILATERAL", "org:g7", "country:CA")


def test_summoning_an_envoy_is_a_meeting(tables: Tables) -> None:
    ex = extract_article(_article("捷克外交部31日召见中国驻捷克大使。", "2020-09-01"), tables)
    assert _one(ex, "MEET", "country:CZ", "country:CN").start == date(2020, 8, 31)


def test_a_call_with_a_list_of_leaders_is_one_call_each(tables: Tables) -> None:
    text = "菅义伟已经先后与澳大利亚总理莫里森、美国总统特朗普及韩国总统文在寅进行通话。"
    ex = extract_article(_article(text, "2020-09-25"), tables)
    pairs = {frozenset(p for p in e.participants if p.startswith("country:")) for e in ex.events if e.type == "CALL"}
    assert pairs == {frozenset({"country:JP", c}) for c in ("country:AU", "country:US", "country:KR")}


def _scored(text: str, tables: Tables, published: str = "2021-03-21", language: str = "zh") -> set[tuple[str, frozenset[str]]]:
    """The scored events of a text: type and states or organisations taking part."""
    ex = extract_article(_article(text, published, language), tables)
    return {(e.type, frozenset(p for p in e.participants if not p.startswith("person:"))) for e in ex.events
            if e.type in ("MEET", "VISIT", "CALL", "MULTILATERAL")}


def _pair(type_: str, *ids: str) -> tuple[str, frozenset[str]]:
    return type_, frozenset(ids)


def test_a_trip_takes_the_stops_named_after_it_and_meets_its_hosts(tables: Tables) -> None:
    text = "3月15日，美国国务卿布林肯首次外访，选择日本为第一站，紧接着是韩国，并与双方举办“2+2会谈”。"
    us, jp, kr = "country:US", "country:JP", "country:KR"
    assert _scored(text, tables) == {_pair("VISIT", us, jp), _pair("VISIT", us, kr), _pair("MEET", us, jp),
                                     _pair("MEET", us, kr)}


def test_a_clause_naming_nobody_goes_on_with_the_clause_before(tables: Tables) -> None:
    text = "布林肯还与英国、德国及法国外长，也就是所谓的“欧三”召开视频会议。"
    assert _scored(text, tables) == {_pair("MULTILATERAL", "country:US", "country:GB", "country:DE", "country:FR")}


def test_an_added_meeting_takes_the_day_just_reported_and_stays_apart(tables: Tables) -> None:
    text = "美国总统特朗普与俄罗斯总统普京周一在赫尔辛基举行峰会。俄罗斯外长拉夫罗夫，亦与美国国务卿蓬佩奥会谈。"
    ex = extract_article(_article(text, "2018-07-16"), tables)
    summit = _one(ex, "MEET", "person:donald-trump", "person:vladimir-putin")
    talks = _one(ex, "MEET", "person:sergey-lavrov", "person:mike-pompeo")
    assert summit.start == talks.start == date(2018, 7, 16) and summit.id != talks.id


def test_an_added_meeting_set_before_another_act_does_not_take_its_day(tables: Tables) -> None:
    text = "普京周三抵达北京，与习近平举行会谈。在访华前，普京也与莫迪进行了会晤。"
    ex = extract_article(_article(text, "2019-06-07"), tables)
    earlier = _one(ex, "MEET", "person:vladimir-putin", "person:narendra-modi")
    assert earlier.start is None  # before the trip, not on its day


@pytest.mark.parametrize("text", [
    "中国外长王毅28日对法国进行正式访问。",
    "王毅对法国进行了为期两天的访问。",
])
def test_a_host_put_before_the_trip_word_by_dui_jinxing_is_where_it_goes(tables: Tables, text: str) -> None:
    ex = extract_article(_article(text, "2020-08-29"), tables)
    assert [(e.type, set(e.participants)) for e in ex.events] == \
        [("VISIT", {"country:CN", "country:FR", "person:wang-yi"})]


def test_a_trip_described_through_dui_jinxing_de_is_its_travellers(tables: Tables) -> None:
    ex = extract_article(_article("马克龙28日会见对法国进行正式访问的王毅。", "2020-08-29"), tables)
    visit = _one(ex, "VISIT", "country:CN", "country:FR")
    assert "person:wang-yi" in visit.participants and "person:emmanuel-macron" not in visit.participants


def test_a_background_visit_dates_no_talks_of_today(tables: Tables) -> None:
    text = "1988年12月19日至23日，印度总理拉吉夫·甘地访问中国。中印外交官举行磋商。"
    ex = extract_article(_article(text, "2020-09-10"), tables)
    talks = _one(ex, "MEET", "country:CN", "country:IN")
    assert talks.start is None


@pytest.mark.parametrize(("text", "published", "expected"), [
    # an organisation as a body on screen: its leaders or ministers, or its name alone as a party
    ("中国国家主席习近平9月14日与欧盟领导人进行视频会晤。", "2020-09-16", "MULTILATERAL"),
    ("2020年9月14日中欧领导人举行视频峰会。", "2020-09-17", "MULTILATERAL"),
    ("美国国务卿周三在与东南亚国家联盟（ASEAN）外交部长举行的视频会议上表示，拒绝中国的主张。", "2020-09-10", "MULTILATERAL"),
    # one official speaks for it: named, or the holder of a single office
    ("欧盟外交与安全政策高级代表博雷利8日与中国国务委员兼外交部长王毅举行视频会议。", "2021-02-09", "CALL"),
    ("习近平同联合国秘书长举行视频会晤。", "2021-01-15", "CALL"),
    # on the telephone it is a call, whoever is on the line
    ("英国首相约翰逊与欧盟领导人通电话。", "2020-12-10", "CALL"),
    ("中国领导人与欧盟领袖通话。", "2021-05-10", "CALL"),
])
def test_an_organisation_on_screen_as_a_body_holds_its_gathering(tables: Tables, text: str, published: str,
                                                                  expected: str) -> None:
    ex = extract_article(_article(text, published), tables)
    assert [e.type for e in ex.events if e.type in ("MEET", "CALL", "MULTILATERAL")] == [expected]


@pytest.mark.parametrize(("text", "expected"), [
    # two persons of two sides on the line: their call, whatever else the clause names
    ("北约秘书长斯托尔滕贝格通过视频会议与岸田举行了会晤。", {_pair("CALL", "org:nato", "country:JP")}),
    ("这是上月美日首脑会谈后中日外长首次通电话。", {_pair("CALL", "country:CN", "country:JP")}),
    ("马克龙通过视频会议与莫迪举行了会晤。", {_pair("CALL", "country:FR", "country:IN")}),
    # a list of states between them meets together
    ("马克龙与德国、意大利及西班牙外长召开视频会议。",
     {_pair("MULTILATERAL", "country:FR", "country:DE", "country:IT", "country:ES")}),
])
def test_a_talk_at_a_distance_of_two_persons_is_their_call(tables: Tables, text: str,
                                                          expected: set[tuple[str, frozenset[str]]]) -> None:
    assert _scored(text, tables, "2021-04-20") == expected


def test_pairs_named_as_one_word_meet_each_on_their_own(tables: Tables) -> None:
    us, jp, kr, kp = "country:US", "country:JP", "country:KR", "country:KP"
    assert _scored("日前举行的美日、美韩领袖峰会都在联合宣言提及台海。", tables) == {_pair("MEET", us, jp), _pair("MEET", us, kr)}
    assert _scored("特朗普在河内感谢越南作为美朝第二次峰会的东道主。", tables, "2019-02-27") >= {_pair("MEET", us, kp)}
    assert not any(t == "MULTILATERAL" for t, _ in _scored("特朗普在河内感谢越南作为美朝第二次峰会的东道主。", tables))


def test_a_list_of_dated_events_is_one_clause_each(tables: Tables) -> None:
    text = "4月日本首相菅义伟与美国总统拜登双边峰会、5月日本与欧洲联盟视讯领袖峰会的联合声明都提及台海。"
    assert _scored(text, tables, "2021-06-08") == {_pair("MEET", "country:JP", "country:US"), _pair("CALL", "country:JP", "org:eu")}


def test_an_organisation_attended_stands_for_its_gathering(tables: Tables) -> None:
    assert _scored("拜登首次以美国总统身份参加G7。", tables) == {_pair("MULTILATERAL", "country:US", "org:g7")}


def test_a_meeting_in_a_city_of_the_other_side_is_a_visit_too(tables: Tables) -> None:
    us, gb = "country:US", "country:GB"
    assert _scored("克里在伦敦会见了英国外交大臣。", tables) == {_pair("MEET", us, gb), _pair("VISIT", us, gb)}


def test_the_possibility_of_a_meeting_is_no_meeting(tables: Tables) -> None:
    assert _scored("他们将讨论布林肯和王毅会晤的可能性。", tables) == set()


def test_english_hosts_and_members_of_an_organisation(tables: Tables) -> None:
    assert _scored("Xi Jinping received Vladimir Putin in Beijing on Friday.", tables, language="en") \
        == {_pair("MEET", "country:CN", "country:RU")}
    assert _scored("Leaders of the G7 met in Cornwall on Friday.", tables, language="en") == {_pair("MULTILATERAL", "org:g7")}
    assert _scored("The ministry received a long letter from Joe Biden.", tables, language="en") == set()


@pytest.mark.parametrize(("text", "language"), [
    ("卢森堡外交大臣阿塞尔伯恩说，他不愿在这个时候和蓬佩奥会面。", "zh"),
    ("德国总理默克尔拒绝会见王毅。", "zh"),
    ("法国总统马克龙未能与王毅会面。", "zh"),
    ("那么，蓬佩奥的访欧行程为什么遭到卢森堡和欧盟拒见呢？", "zh"),  # 遭到 parts refuser from refused
    ("Angela Merkel refused to meet with Wang Yi.", "en"),
])
def test_a_refused_or_failed_meeting_is_cancelled(tables: Tables, text: str, language: str) -> None:
    """A meeting one side refused or that failed to happen was sought: the guideline's gold gives
    it as a cancelled meeting, never an occurred one (a plain negation gives none, see above)."""
    ex = extract_article(_article(text, language=language), tables)
    talks = [e for e in ex.events if e.type in ("MEET", "CALL", "MULTILATERAL")]  # 访欧行程 is a trip of its own
    assert [(e.type, e.status) for e in talks] == [("MEET", "cancelled")]


def test_an_intended_trip_that_came_to_nothing_is_cancelled(tables: Tables) -> None:
    """"想访问…，但行程没能落实": the wish alone is no event, the failed trip is a cancelled one."""
    failed = extract_article(_article("杨洁篪想访问华盛顿与拜登政府修补关系，但行程没能落实。"), tables)
    visits = [e for e in failed.events if e.type == "VISIT"]
    assert [(e.status, set(e.participants)) for e in visits] == [
        ("cancelled", {"person:yang-jiechi", "country:CN", "country:US"})]
    wished = extract_article(_article("杨洁篪想访问华盛顿。"), tables)
    assert not [e for e in wished.events if e.type == "VISIT"]


def test_a_host_receiving_an_official_meets_them(tables: Tables) -> None:
    """接待 (receiving a visitor) is a meeting of host and guest, as "received" is in English."""
    ex = extract_article(_article("特朗普今年二月在白宫接待中国国务院副总理刘鹤。"), tables)
    meeting = _one(ex, "MEET", "person:donald-trump", "person:liu-he")
    assert {"country:US", "country:CN"} <= set(meeting.participants)


def test_a_trip_word_describing_someone_names_the_traveller(tables: Tables) -> None:
    """"访美的蔡英文": Tsai made the trip, not the host named before it; "到访的X" keeps its host."""
    ex = extract_article(_article("布林肯曾在国务院内接待访美的蔡英文。"), tables)
    visit = _one(ex, "VISIT", "person:tsai-ing-wen")
    assert set(visit.participants) == {"person:tsai-ing-wen", "country:TW", "country:US"}
    hosted = extract_article(_article("王毅周二在北京与到访的巴拿马副总统会谈。"), tables)
    assert {"country:CN", "country:PA"} <= set(_one(hosted, "VISIT").participants)


def test_two_foreign_ministers_talks_are_a_meeting_not_their_gathering(tables: Tables) -> None:
    """外长会|会谈: the talks word that begins on the gathering word's last character wins."""
    ex = extract_article(_article("王毅3日与韩国外长郑义溶举行外长会谈。中俄外长会晤在桂林举行。", "2021-04-04"), tables)
    pairs = {frozenset(p for p in e.participants if p.startswith("country:")) for e in ex.events if e.type == "MEET"}
    assert pairs == {frozenset({"country:CN", "country:KR"}), frozenset({"country:CN", "country:RU"})}
    assert not [e for e in ex.events if e.type == "MULTILATERAL"]
    ex = extract_article(_article("布林肯3月23日出席北约外长会。"), tables)
    assert [e.type for e in ex.events] == ["MULTILATERAL"]


def test_a_trip_takes_no_meetings_day(tables: Tables) -> None:
    """An undated follow-up trip ("也…访华") does not take the day of the meeting just reported."""
    text = "拉夫罗夫17日在莫斯科与以色列外长举行会谈。季志业看来，美国施压似乎也构成了拉夫罗夫访华的一大背景。"
    visit = _one(extract_article(_article(text, "2021-03-22"), tables), "VISIT", "person:sergey-lavrov")
    assert visit.start is None


def test_an_organisations_officials_meeting_one_another_hold_its_gathering(tables: Tables) -> None:
    ex = extract_article(_article("七国集团外长本星期在伦敦会晤，主要讨论气候变化。", "2021-05-05"), tables)
    assert [(e.type, e.place) for e in ex.events] == [("MULTILATERAL", "place:london")]
    ex = extract_article(_article("北约秘书长斯托尔滕贝格与拜登会晤。", "2021-05-05"), tables)
    assert [e.type for e in ex.events] == ["MEET"]


def test_coming_to_a_state_named_by_one_character_is_a_trip_there(tables: Tables) -> None:
    ex = extract_article(_article("即将来台的美国驻联合国大使，也在纽约与台湾驻纽约办事处代表会面。", "2021-01-13"), tables)
    (visit,) = [e for e in ex.events if e.type == "VISIT"]
    assert (visit.place, visit.status) == ("country:TW", "planned")
    assert {"country:US", "country:TW"} <= set(visit.participants)


def test_a_trip_its_traveller_could_not_make_is_cancelled_one_refused_is_none(tables: Tables) -> None:
    ex = extract_article(_article("由于克拉夫特未能访台，蔡英文改以视讯与她会谈。", "2021-01-14"), tables)
    (visit,) = [e for e in ex.events if e.type == "VISIT"]
    assert (visit.place, visit.status) == ("country:TW", "cancelled")
    assert not [e for e in extract_article(_article("王毅拒绝访台。", "2021-01-14"), tables).events if e.type == "VISIT"]


def test_a_trip_word_naming_its_host_lists_more_hosts_only_right_after_it(tables: Tables) -> None:
    ex = extract_article(_article("捷克参议院议长访台背后的美中台外交角力", "2020-08-27"), tables)
    assert [(e.type, e.place) for e in ex.events] == [("VISIT", "country:TW")]


def test_what_follows_a_meeting_is_no_part_of_it(tables: Tables) -> None:
    """"在G7的会议后飞往乌克兰首都基辅": Kyiv is no venue of the G7 meeting, Ukraine no party."""
    ex = extract_article(_article("布林肯在G7的会议后飞往乌克兰首都基辅。", "2021-05-06"), tables)
    (summit,) = [e for e in ex.events if e.type == "MULTILATERAL"]
    assert summit.place is None and "country:UA" not in summit.participants


def test_a_meeting_of_the_traveller_with_the_hosts_is_a_sentence_of_the_visit_too(tables: Tables) -> None:
    text = "王毅28日抵达法国进行正式访问。法国总统马克龙28日在爱丽舍宫会见王毅。"
    ex = extract_article(_article(text, "2020-08-29"), tables)
    (visit,) = [e for e in ex.events if e.type == "VISIT"]
    (meeting,) = [e for e in ex.events if e.type == "MEET"]
    assert meeting.evidence in visit.more_evidence and "person:emmanuel-macron" not in visit.participants


def test_a_meeting_told_more_fully_than_its_trip_keeps_its_sentences(tables: Tables) -> None:
    """An article telling the talks in three sentences and the trip in one reports the talks: the
    trip is their frame, and the talks' sentences are not the trip's (else a trip made for one
    meeting holds every sentence of it, as many as the meeting) - but for one naming the trip by
    a trip word."""
    text = ("印度外长苏杰生5日在北京同中国外长王毅举行会谈。王毅在会谈中表示，中印两国是近邻。"
            "王毅与苏杰生同意加强边境沟通，欢迎苏杰生此后再来访问。这是苏杰生今年首次访华。")
    ex = extract_article(_article(text, "2021-06-06"), tables)
    (meeting,) = [e for e in ex.events if e.type == "MEET"]
    (visit,) = [e for e in ex.events if e.type == "VISIT"]
    assert meeting.more_evidence == ("王毅在会谈中表示，中印两国是近邻。", "王毅与苏杰生同意加强边境沟通，欢迎苏杰生此后再来访问。")
    assert visit.more_evidence == ("这是苏杰生今年首次访华。", "王毅与苏杰生同意加强边境沟通，欢迎苏杰生此后再来访问。")


def test_a_trip_told_more_fully_than_a_meeting_on_it_holds_the_meetings_sentence(tables: Tables) -> None:
    """The trip told in two sentences, the talks in one: the talks are a part of the trip the
    article reports."""
    text = "王毅28日抵达法国进行正式访问。这是王毅此次欧洲之行的第四站。法国总统马克龙28日在爱丽舍宫会见王毅。"
    ex = extract_article(_article(text, "2020-08-29"), tables)
    (visit,) = [e for e in ex.events if e.type == "VISIT"]
    (meeting,) = [e for e in ex.events if e.type == "MEET"]
    assert meeting.evidence in visit.more_evidence


def test_a_meeting_of_a_gatherings_parties_is_a_sentence_of_the_gathering_too(tables: Tables) -> None:
    text = "习近平14日与欧盟领导人举行中欧峰会。默克尔表示，她与另两位欧盟领导人在会晤期间向习近平施压。"
    ex = extract_article(_article(text, "2020-09-16"), tables)
    (summit,) = [e for e in ex.events if e.type == "MULTILATERAL"]
    (meeting,) = [e for e in ex.events if e.type == "MEET"]
    assert meeting.evidence in summit.more_evidence


@pytest.mark.parametrize("text, traveller, days", [
    ("外交部宣布，泰国总理巴育应李克强邀请，于5月10日至12日访华。", "country:TH", (date(2021, 5, 10), date(2021, 5, 12))),
    ("新华社报道，泰国总理巴育于5月10日至12日，应国务院总理李克强邀请访华。", "country:TH",
     (date(2021, 5, 10), date(2021, 5, 12))),
])
def test_the_inviter_inside_an_invitation_frame_is_no_traveller(tables: Tables, text: str, traveller: str,
                                                                 days: tuple[date, date]) -> None:
    """"X应Y邀请…访华": Y hosts the trip, the traveller X stands before the frame, even when a speaker
    opens the sentence and the trip's own clause names no one."""
    ex = extract_article(_article(text, "2021-05-01"), tables)
    (visit,) = [e for e in ex.events if e.type == "VISIT"]
    assert traveller in visit.participants and "country:CN" in visit.participants
    assert (visit.start, visit.end) == days


def test_should_is_no_frame_of_invitation(tables: Tables) -> None:
    """应 "should" before a verb names no inviter: whom the invitation is for still travels."""
    ex = extract_article(_article("日本政府应正式取消邀请习近平访日。", "2020-03-01"), tables)
    (visit,) = [e for e in ex.events if e.type == "VISIT"]
    assert "person:xi-jinping" in visit.participants


def test_persons_listed_before_a_trip_word_who_each_went_make_a_trip_each(tables: Tables) -> None:
    """"A和B先后访问日本": A's trip and B's trip, each with their own state; without the word of
    separate acts only the one nearest the trip word travels."""
    ex = extract_article(_article("拉夫罗夫和布林肯先后访问日本。", "2021-04-01"), tables)
    assert sorted(e.participants for e in ex.events if e.type == "VISIT") == [
        ("country:JP", "country:RU", "person:sergey-lavrov"), ("country:JP", "country:US", "person:antony-blinken")]
    ex = extract_article(_article("拉夫罗夫和王毅访问日本。", "2021-04-01"), tables)
    assert [e.participants for e in ex.events if e.type == "VISIT"] == [("country:CN", "country:JP", "person:wang-yi")]


def test_one_going_along_joins_the_trip_the_article_told(tables: Tables) -> None:
    """"也将随团来访" names no host: a reference that adds its person to the trip told before that
    names its traveller, of no day of its own."""
    text = "泰国总理巴育将于5月10日至12日访华。另外，泰国商务部长朱林（Jurin Laksanawisit）也将随团来访。"
    ex = extract_article(_article(text, "2021-05-01"), tables)
    (visit,) = [e for e in ex.events if e.type == "VISIT"]
    assert {"person:prayut-chan-o-cha", "person:jurin-laksanawisit"} <= set(visit.participants)
    assert (visit.start, visit.end) == (date(2021, 5, 10), date(2021, 5, 12))


def test_a_sentence_naming_its_dated_event_again_tells_of_one_event(tables: Tables) -> None:
    """An undated mention of the type of a dated one in the same sentence is that event again
    ("…10月6日在北京举行会谈，…这场外长会谈显示…"), however long before publication it was: the day
    the sentence gives is its day, not none."""
    text = "巴西、南非、印度三国外长5月4日在北京举行会谈，三国外长会谈就是要展现合作的姿态。"
    ex = extract_article(_article(text, "2021-07-20"), tables)
    assert [(e.type, e.start) for e in ex.events] == [("MULTILATERAL", date(2021, 5, 4))]


@pytest.mark.parametrize("type_, text, window", [
    ("VISIT", "这是1972年中日建交以来日本外相首次访华。", None),  # the year dates the ties, not the visit
    ("VISIT", "这是加拿大外长今年2月就职来首次访问日本。", None),
    ("CALL", "这是日本外相上月就职后首次与韩国外长通电话。", None),  # 后 with a first time after it
    ("SANCTION", "这将是欧盟2015年对俄罗斯实施制裁以来，首次针对俄罗斯的制裁。", None),  # the period's act is of its own
    ("MEET", "巴西和南非今年3月举行卢拉上任以来首次峰会。", (date(2021, 3, 1), date(2021, 3, 31))),  # the holding's date
    ("VISIT", "法国总统马克龙今年3月自上任以来首次出访德国。", (date(2021, 3, 1), date(2021, 3, 31))),  # the period opens at 上任
    ("MEET", "日本外相上月与韩国外长会晤后发表了联合声明。", (date(2021, 3, 1), date(2021, 3, 31))),  # no first time: one occasion
    ("MEET", "Antony Blinken met Wang Yi in Rome for the first time since the summit in March.", None),
    ("MEET", "Antony Blinken met Wang Yi in Rome, the first time since March.", None),
    ("MEET", "Antony Blinken met Wang Yi in Rome in March.", (date(2021, 3, 1), date(2021, 3, 31))),
])
def test_a_date_opening_a_period_dates_no_event_told_outside_it(tables: Tables, type_: str, text: str,
                                                                  window: tuple[date, date] | None) -> None:
    """A date that opens a period ("since": 以来, 来首次, 后…首次, since) dates the period's start or
    the act it runs from, not the event the sentence reports as the first within it; a holding verb
    or a word opening the period after the date leaves the date to the event (the act inside the
    phrase, 实施制裁 of 2015, is an event of its own: background)."""
    ex = extract_article(_article(text, "2021-04-03", "en" if text.isascii() else "zh"), tables)
    told = [(e.start, e.window) for e in ex.events if e.type == type_ and e.modality != "background"]
    assert told == [(None, window)]


def test_the_event_a_period_runs_from_keeps_its_date(tables: Tables) -> None:
    """"自去年5月普京访印以来，…访问印度": the date dates the visit inside the phrase (background),
    the visit told after it gets none, nor the person named in the phrase."""
    ex = extract_article(_article("印度外长是自去年5月俄罗斯总统普京访印以来，访问印度的最高级别俄国官员。",
                                  "2021-04-03"), tables)
    assert sorted(((e.window or (None,))[0] is not None, e.modality) for e in ex.events) == [
        (False, "asserted"), (True, "background")]
    visit = next(e for e in ex.events if e.modality == "asserted")
    assert "person:vladimir-putin" not in visit.participants  # named in the phrase: of the act it names


def test_a_first_time_after_the_event_word_closes_no_period(tables: Tables) -> None:
    """后 closes a period only with a first-time word between it and the event word, which it then
    tells of ("会晤后…首度会谈"); "会晤后发表的联合声明首次提及台湾" is one occasion: the first time
    is the mention of Taiwan, the statement keeps the month of the meeting."""
    ex = extract_article(_article("日本外相上月与韩国外长会晤后发表的联合声明首次提及台湾。", "2021-04-03"), tables)
    assert [e.window for e in ex.events if e.type == "STATEMENT"] == [(date(2021, 3, 1), date(2021, 3, 31))]
