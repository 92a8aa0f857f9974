"""Person discovery on sentences written for these tests (issue 14's person classes)."""

from __future__ import annotations

from datetime import date

import pytest

from kg.extract.entities import find_mentions
from kg.extract.gazetteer import Gazetteer
from kg.extract.mentions import NameTables

NAMES = NameTables.load()


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


def _people(gaz: Gazetteer, sentence: str) -> dict[str, set[str]]:
    """Each person id found in ``sentence`` with the surfaces it was found by."""
    out: dict[str, set[str]] = {}
    for m in find_mentions(sentence, gaz, NAMES, published=date(2021, 5, 1)):
        if m.type == "Person":
            out.setdefault(m.entity_id, set()).add(m.surface)
    return out


@pytest.mark.parametrize(("sentence", "chinese", "latin"), [
    # a part after a dot is taken whole, whatever its characters
    ("某研究所的研究员马克·朱利诺（Marc Julino）表示，局势紧张。", "马克·朱利诺", "Marc Julino"),
    # an initial between dots and in the gloss
    ("某大学教授戴维·B·雷尔曼(David B. Relmann)说，疫苗有效。", "戴维·B·雷尔曼", "David B. Relmann"),
    # a full-width full stop separates the parts
    ("某基地副部长罗伯特．埃尔德兰（Robert Eldran）曾指出，", "罗伯特．埃尔德兰", "Robert Eldran"),
    # a common noun after the dotted name is its title
    ("某中心主任理查德·魏尔茨博士（Richard Weilz）对记者表示，", "查德·魏尔茨", "Richard Weilz"),
])
def test_a_latin_gloss_joins_the_whole_dotted_name(gaz: Gazetteer, sentence: str, chinese: str,
                                                    latin: str) -> None:
    people = _people(gaz, sentence)
    assert len(people) == 1, people
    assert {chinese, latin} <= next(iter(people.values()))


def test_a_state_name_touched_by_a_dot_is_part_of_a_name(gaz: Gazetteer) -> None:
    found = find_mentions("像理查德·格雷尼尔(Richard Grenill)这样的人。", gaz, NAMES)
    assert not any(m.type == "Country" for m in found)


@pytest.mark.parametrize(("sentence", "latin"), [
    ("曾任该国制裁事务官员的Hanna Ruth Kemali说道，制裁无效。", "Hanna Ruth Kemali"),  # 的 before
    ("下任财政部副部长Adebayo Okonjo本月表示会聚焦安全。", "Adebayo Okonjo"),  # a title before
    ("某智库研究员 Pierre Bondeau批评说，", "Pierre Bondeau"),  # a space between
])
def test_a_latin_name_in_chinese_text_is_a_person(gaz: Gazetteer, sentence: str, latin: str) -> None:
    assert any(latin in surfaces for surfaces in _people(gaz, sentence).values())


@pytest.mark.parametrize("sentence", ["这就是所谓的Trust And Verify原则。", "他接受Seven News Today采访时说，",
                                      "印度Zee News今天报道说，"])
def test_a_latin_phrase_without_a_person_s_marks_is_none(gaz: Gazetteer, sentence: str) -> None:
    assert _people(gaz, sentence) == {}


@pytest.mark.parametrize(("sentence", "name"), [
    ("某国外长艾索柏朗这个月就说过，", "艾索柏朗"),  # a rare character between two of the table's
    ("俄罗斯问题学者格罗津说，局势复杂。", "格罗津"),  # a rare last character before a speech word
    ("北韩特使金英杰（左）与会。", "金英杰"),  # a rare last character before a pause
])
def test_a_transliteration_goes_on_over_one_rare_character(gaz: Gazetteer, sentence: str, name: str) -> None:
    assert any(name in surfaces for surfaces in _people(gaz, sentence).values())


def test_a_rare_character_that_makes_a_word_ends_the_name(gaz: Gazetteer) -> None:
    assert not any("普京总" in x for surfaces in _people(gaz, "俄罗斯总统普京总统府发表声明。").values()
                   for x in surfaces)


@pytest.mark.parametrize(("sentence", "name"), [
    ("国务院多边事务副助卿费罗特进行对谈。", "费罗特"),  # before a verb jieba knows
    ("右为国务院代理次卿培瑞克。", "培瑞克"),  # a first character the table lacks
])
def test_a_transliteration_after_a_role_noun(gaz: Gazetteer, sentence: str, name: str) -> None:
    assert any(name in surfaces for surfaces in _people(gaz, sentence).values())


@pytest.mark.parametrize("sentence", [
    "总统顾问希克斯（Hope Hicks）检测呈阳性。",  # 顾问: a frequent word jieba tags as a name
    "法国外交部向中国大使陈述了对他的全部不满。",  # 陈述 + 了
    "布大使管不了这些了。",  # a name does not end inside a word (管不了)
    "美国总统应定期办理此事。",  # 应定|期
    "国务卿向我们介绍了审查情况。",  # 向|我们
])
def test_words_after_a_title_are_no_name(gaz: Gazetteer, sentence: str) -> None:
    assert not [x for x in _people(gaz, sentence) if x.startswith("person:zh-")]


@pytest.mark.parametrize(("sentence", "name"), [
    ("商务部发言人高峰昨天表示，", "高峰"),  # a frequent word, but a word that follows names comes next
    ("民进党立委王定宇称，此事荒谬。", "王定宇"),  # jieba reads 宇称, yet 称 follows names
    ("副外长马朝旭成热门人选。", "马朝旭"),  # three characters jieba counts as a name
])
def test_names_that_are_also_words(gaz: Gazetteer, sentence: str, name: str) -> None:
    assert any(name in surfaces for surfaces in _people(gaz, sentence).values())


def test_the_notes_on_the_staff_are_no_news(gaz: Gazetteer) -> None:
    from kg.extract.entities import news_part

    text = ("外长王毅会见了来访的客人。\n某某对本文有报道贡献。\n"
            "某某是时报驻北京记者，曾在莫斯科、巴格达报道。欢迎在Twitter上关注她。\n")
    assert news_part(text, gaz.lexicon) == "外长王毅会见了来访的客人。\n"
    assert news_part("没有附注的文章。", gaz.lexicon) == "没有附注的文章。"


@pytest.mark.parametrize(("sentence", "name"), [
    ("决议文递交给副官房长官冈田直人。", "冈田直人"),  # a Japanese surname, no state before the title
    ("前首相福田康男出席了会议。", "福田康男"),
])
def test_a_japanese_surname_after_a_title_starts_a_japanese_name(gaz: Gazetteer, sentence: str, name: str) -> None:
    assert any(name in surfaces for surfaces in _people(gaz, sentence).values())


@pytest.mark.parametrize(("sentence", "name"), [
    ("新任国务卿上任 包道明：台美关系将稳定发展", "包道明"),
    ("罗振川：两岸关系转趋低调", "罗振川"),
])
def test_a_headline_speaker_before_a_colon(gaz: Gazetteer, sentence: str, name: str) -> None:
    assert any(name in surfaces for surfaces in _people(gaz, sentence).values())


@pytest.mark.parametrize("sentence", ["韩网友：这部剧太好看了", "蔡总统：继续推动入联"])
def test_a_word_after_a_surname_before_a_colon_is_no_speaker(gaz: Gazetteer, sentence: str) -> None:
    assert not [x for x in _people(gaz, sentence) if x.startswith("person:zh-")]


def test_a_person_found_before_the_latin_gloss_stays_one_person(gaz: Gazetteer) -> None:
    from kg.extract.entities import ArticleEntities

    article = ArticleEntities(gaz, NAMES, date(2021, 5, 1), "zh")
    article.mentions("彼蒂科菲：制裁是荣誉")
    article.mentions("欧洲议会议员彼蒂科菲（Reinald Petkofer）表示，他不会让步。")
    people = [e for e in article.entities() if e.type == "Person"]
    assert len(people) == 1 and {"彼蒂科菲", "Reinald Petkofer"} <= set(people[0].aliases)
    assert article.current("person:zh-bi-di-ke-fei") == people[0].id


def test_a_space_after_the_dot_keeps_the_name_whole(gaz: Gazetteer) -> None:
    people = _people(gaz, "某学会的高级研究员汤姆· 莱特（Thomas Light）认为，")
    assert list(people.values()) == [{"汤姆· 莱特", "Thomas Light"}]


@pytest.mark.parametrize(("sentence", "chinese", "latin", "country"), [
    # a role noun no title lists (a word ending in a rank character) bounds the name on its left
    ("加拿大海洋渔业署署长惠特曼（Laura Whitman）原订下月访日。", "惠特曼", "Laura Whitman", "CA"),
    # so does 的, which says nothing of the person's state (研究中国问题的…)
    ("代表团成员还包括来自波兰的库恰克（Piotr Kuczak）。", "库恰克", "Piotr Kuczak", None),
])
def test_a_glossed_name_no_table_holds_is_bounded_by_a_role_noun_or_de(
        gaz: Gazetteer, sentence: str, chinese: str, latin: str, country: str | None) -> None:
    """The gloss says where a name ends; a role noun or 的 says where it starts; the state named
    last before a role noun is the person's, so the trip of the person is that state's."""
    found = [m for m in find_mentions(sentence, gaz, NAMES, published=date(2021, 5, 1)) if m.type == "Person"]
    assert {m.surface for m in found} == {chinese, latin}
    assert {m.entity_id for m in found} == {f"person:{latin.lower().replace(' ', '-')}"}
    assert {m.country for m in found} == {country}


def test_a_common_word_before_a_gloss_is_no_name(gaz: Gazetteer) -> None:
    assert _people(gaz, "这是欧盟的绿色协议（European Green Deal）。") == {}


def test_a_post_abroad_is_no_state_of_a_new_person(gaz: Gazetteer) -> None:
    """美国驻荷兰大使: the person serves the state before 驻, not the one posted to."""
    found = find_mentions("加拿大驻秘鲁公使馆参赞长麦克劳（Ian McLaw）表示。", gaz, NAMES, published=date(2021, 5, 1))
    assert {m.country for m in found if m.type == "Person"} <= {None, "CA"}
