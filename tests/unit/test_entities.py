"""Entity recognition: gazetteer matches, country compounds, person discovery, coreference."""

from __future__ import annotations

import html
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from kg.extract.entities import ArticleEntities, Mention, find_mentions
from kg.extract.gazetteer import Gazetteer, default_schema_dir
from kg.extract.mentions import NameTables
from kg.readers.text import to_simplified

NAMES = NameTables.load()

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SEED = SHARED / "corpus" / "seed" / "000_4b9d46ca0c5281cf.txt"


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


def _without_persons(tmp: Path, *names: str) -> Gazetteer:
    """A gazetteer whose persons.yaml lacks ``names`` (to exercise discovery)."""
    target = tmp / "gazetteer"
    shutil.copytree(default_schema_dir(), target)
    path = target / "persons.yaml"
    kept = [p for p in yaml.safe_load(path.read_text(encoding="utf-8")) if p["name"] not in names]
    path.write_text(yaml.safe_dump(kept, allow_unicode=True), encoding="utf-8")
    return Gazetteer.load(target)


@pytest.fixture(scope="module")
def small_gaz(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    return _without_persons(tmp_path_factory.mktemp("small"), "Sergey Lavrov", "Heiko Maas")


def ids(mentions: list[Mention], type_: str | None = None) -> set[str]:
    return {m.entity_id for m in mentions if type_ is None or m.type == type_}


@pytest.mark.parametrize(("sentence", "expected"), [
    ("中美高层会晤正式开始。", {"country:CN", "country:US"}),
    ("美日澳印四国外长会议", {"country:US", "country:JP", "country:AU", "country:IN"}),
    ("中方对此表示坚决反对", {"country:CN"}),
    ("华府官员透露", {"country:US", "place:washington"}),
    ("台湾与香港", {"country:TW", "country:HK", "place:hong-kong"}),
    ("澳门特区政府", {"country:MO"}),
    ("中俄外长会谈", {"country:CN", "country:RU"}),
    ("中欧投资协定", {"country:CN", "org:eu"}),
    ("日中韩自由贸易区谈判", {"country:JP", "country:CN", "country:KR"}),
    ("3月22日美方宣布", {"country:US"}),
    ("其中一项在中心举行", set()),
    ("美元兑人民币", set()),
    ("中美洲国家", set()),
    ("他参加美日峰会", {"country:US", "country:JP"}),
])
def test_country_forms(gaz: Gazetteer, sentence: str, expected: set[str]) -> None:
    assert ids(find_mentions(sentence, gaz, NAMES)) - ids(find_mentions(sentence, gaz, NAMES), "Person") == expected


def test_government_body_counts_as_its_country(gaz: Gazetteer) -> None:
    found = find_mentions("美国国务院3月19日发表声明", gaz, NAMES)
    assert ids(found) == {"org:state-department", "country:US"}


def test_title_gives_role_and_country(gaz: Gazetteer) -> None:
    [person] = [m for m in find_mentions("俄罗斯外长拉夫罗夫将访华", gaz, NAMES) if m.type == "Person"]
    assert (person.entity_id, person.role, person.country) == (
        "person:sergey-lavrov", "foreign minister", "RU")
    nato = find_mentions("北约秘书长斯托尔滕贝格说", gaz, NAMES)
    assert {(m.entity_id, m.role) for m in nato if m.type == "Person"} == {
        ("person:jens-stoltenberg", "secretary general")}


def test_traditional_text_after_folding(gaz: Gazetteer) -> None:
    sentence = to_simplified("俄羅斯外長拉夫羅夫抵達北京")
    assert {"person:sergey-lavrov", "country:RU", "country:CN"} <= ids(find_mentions(sentence, gaz, NAMES))


def test_known_name_inside_a_longer_name_is_not_that_person(gaz: Gazetteer) -> None:
    assert not ids(find_mentions("马斯克宣布", gaz, NAMES), "Person")  # Musk is not Maas
    found = find_mentions("美国国务卿安东尼·布林肯表示", gaz, NAMES)
    assert [(m.entity_id, m.surface) for m in found if m.type == "Person"] == [
        ("person:antony-blinken", "安东尼·布林肯")]


def test_bylines_are_not_actors(gaz: Gazetteer) -> None:
    assert not ids(find_mentions("（记者 王小明 报道）", gaz, NAMES), "Person")
    assert not ids(find_mentions("摄影：张大伟", gaz, NAMES), "Person")


def test_discovery_from_parenthesised_latin_name(small_gaz: Gazetteer) -> None:
    found = find_mentions("拉夫罗夫（Sergey Lavrov）将于3月22日访华", small_gaz, NAMES)
    people = {(m.entity_id, m.surface) for m in found if m.type == "Person"}
    assert people == {("person:sergey-lavrov", "拉夫罗夫"), ("person:sergey-lavrov", "Sergey Lavrov")}


def test_latin_name_of_a_known_person_joins_that_person(gaz: Gazetteer) -> None:
    found = find_mentions("拜登（Joe Biden）上台后", gaz, NAMES)
    assert ids(found, "Person") == {"person:joe-biden"}


def test_discovery_from_title_and_later_short_mention(small_gaz: Gazetteer) -> None:
    art = ArticleEntities(small_gaz, NAMES, date(2020, 9, 2), "zh")
    first = art.mentions("德国外长马斯（Heiko Maas）周二抵达挪威。")
    later = art.mentions("马斯表示，欧洲不会屈服于威胁。")
    assert {m.entity_id for m in first + later if m.type == "Person"} == {"person:heiko-maas"}
    [maas] = [e for e in art.entities() if e.type == "Person"]
    assert (maas.name, maas.country, maas.role) == ("Heiko Maas", "DE", "foreign minister")
    assert set(maas.aliases) == {"马斯", "Heiko Maas"}


def test_a_short_name_after_a_common_word_ending_in_a_transliteration_character(small_gaz: Gazetteer) -> None:
    """宣布 ends in 布, which transliterations use (布林肯): the name after it is still the name,
    as long as the two characters before it are a common word; 马斯克 stays no Maas."""
    art = ArticleEntities(small_gaz, NAMES, date(2020, 9, 2), "zh")
    art.mentions("德国外长马斯（Heiko Maas）周二抵达挪威。")
    assert {m.entity_id for m in art.mentions("默克尔宣布马斯将访华。") if m.type == "Person"} >= {"person:heiko-maas"}
    assert "person:heiko-maas" not in {m.entity_id for m in art.mentions("马斯克宣布") if m.type == "Person"}


def test_discovered_chinese_name_gets_a_pinyin_id(gaz: Gazetteer) -> None:
    found = find_mentions("台湾中山大学教授郭育仁接受本台采访时说", gaz, NAMES)
    [person] = [m for m in found if m.type == "Person"]
    assert (person.entity_id, person.surface, person.role, person.name) == (
        "person:zh-guo-yu-ren", "郭育仁", "professor", "Guo Yuren")


def test_body_whose_name_ends_inside_the_title_gives_the_state(gaz: Gazetteer) -> None:
    # 参议院议长 is a title that starts inside 捷克参议院: the unknown name after it is Czech
    found = find_mentions("正在台湾访问的捷克参议院议长维施特奇尔说", gaz, NAMES)
    [person] = [m for m in found if m.type == "Person"]
    assert (person.surface, person.role, person.country, person.acts_for) == (
        "维施特奇尔", "senate president", "CZ", "country:CZ")
    # a body listed with the whole title (国会议员, Japan's Diet) says nothing of the member's state
    found = find_mentions("立陶宛的国会议员萨卡利埃内说", gaz, NAMES)
    assert [m.country for m in found if m.type == "Person"] == [None]


def test_unlisted_transliteration_that_sounds_like_a_listed_one(gaz: Gazetteer) -> None:
    # 维斯特齐尔 and the listed 维斯特奇尔 are both wei-si-te-qi-er
    assert gaz.sounding_like("维斯特齐尔").id == "person:milos-vystrcil"
    assert gaz.sounding_like("勒·德里昂").id == "person:jean-yves-le-drian"
    found = find_mentions("捷克参议院议长维斯特齐尔访问台湾", gaz, NAMES)
    assert {(m.entity_id, m.country) for m in found if m.type == "Person"} == {("person:milos-vystrcil", "CZ")}
    assert gaz.sounding_like("王一") is None  # a Chinese name, not a transliteration
    assert gaz.sounding_like("维斯") is None  # too short to tell


def test_title_before_a_common_word_is_not_a_person(gaz: Gazetteer) -> None:
    assert not ids(find_mentions("在总统任期内，发言人表示外长会议将举行", gaz, NAMES), "Person")
    assert not ids(find_mentions("会议长达三天，他委托助手相比之下更谨慎。", gaz, NAMES), "Person")


def test_english_titles_and_surnames(gaz: Gazetteer) -> None:
    art = ArticleEntities(gaz, NAMES, date(2021, 3, 21), "en")
    found = art.mentions("Secretary of State Antony Blinken met Foreign Minister Ana Brnabic.")
    assert {(m.entity_id, m.role) for m in found if m.type == "Person"} == {
        ("person:antony-blinken", "secretary of state"), ("person:ana-brnabic", "foreign minister")}
    later = art.mentions("Brnabic said America was a partner.")
    assert ids(later) == {"person:ana-brnabic", "country:US"}


def _seed_sentences() -> list[str]:
    """The reference article, crudely: tags stripped, alt texts kept, split at 。！？."""
    body = SEED.read_text(encoding="utf-8").split("\n---\n", 1)[1]
    body = re.sub(r'alt="([^"]*)"', r">\1<", body)
    body = html.unescape(re.sub(r"<[^>]+>", "\n", body))
    title = re.search(r"^title: (.*)$", SEED.read_text(encoding="utf-8"), re.M)
    text = to_simplified((title.group(1) if title else "") + "\n" + body)
    return [s for line in text.splitlines() for s in re.split(r"(?<=[。！？])", line) if s.strip()]


def test_reference_article(gaz: Gazetteer) -> None:
    art = ArticleEntities(gaz, NAMES, date(2021, 3, 21), "zh")
    for sentence in _seed_sentences():
        art.mentions(sentence)
    entities = {e.id: e for e in art.entities()}
    persons = {e.name for e in entities.values() if e.type == "Person"}
    assert {"Sergey Lavrov", "Wang Yi", "Yang Jiechi", "Antony Blinken", "Jake Sullivan",
            "Ursula von der Leyen", "Josep Borrell", "Joe Biden"} <= persons
    assert {"country:CN", "country:US", "country:RU", "org:nato", "org:eu"} <= set(entities)
    assert entities["person:sergey-lavrov"].role == "foreign minister"
    assert entities["person:sergey-lavrov"].country == "RU"
    assert entities["country:CN"].iso2 == "CN"
    assert entities["person:cui-tiankai"].role == "ambassador"
    # no stray discoveries: every person is known or named in Latin letters by the article
    assert not [e.id for e in entities.values() if e.id.startswith("person:zh-")]


def test_unstated_role_is_the_one_held_on_the_publication_day(gaz: Gazetteer) -> None:
    [wang] = find_mentions("王毅会见来宾", gaz, NAMES, published=date(2021, 3, 21))
    assert wang.role == "foreign minister"
    [biden] = find_mentions("拜登会见来宾", gaz, NAMES, published=date(2020, 12, 23))
    assert biden.role == "president-elect"


@pytest.mark.parametrize(("sentence", "day", "expected"), [
    ("俄罗斯外长周二抵达北京。", date(2021, 3, 19), {"person:sergey-lavrov"}),
    ("中俄外长下周会晤。", date(2021, 3, 19), {"person:wang-yi", "person:sergey-lavrov"}),
    ("美国国务卿将访问中国。", date(2021, 3, 19), {"person:antony-blinken"}),
    ("美国国务卿将访问中国。", date(2019, 3, 19), {"person:mike-pompeo"}),  # the role on that day
    ("前北约秘书长表示。", date(2020, 10, 8), set()),  # a former holder is nobody in particular
])
def test_title_without_a_name_is_whoever_held_it_then(gaz: Gazetteer, sentence: str, day: date,
                                                       expected: set[str]) -> None:
    assert ids(find_mentions(sentence, gaz, NAMES, published=day), "Person") == expected



@pytest.mark.parametrize(("sentences", "expected"), [
    (["俄罗斯外长周二抵达北京。"], set()),  # a title names nobody: no person of the article
    (["俄罗斯外长周二抵达北京。", "拉夫罗夫表示。"], {"person:sergey-lavrov"}),  # named later
    (["德国外长（Heiko Mass）说。"], {"person:heiko-maas"}),  # a Latin gloss names the holder, even misspelt
])
def test_a_person_of_the_article_is_named(gaz: Gazetteer, sentences: list[str], expected: set[str]) -> None:
    art = ArticleEntities(gaz, NAMES, date(2021, 3, 19), "zh")
    for sentence in sentences:
        art.mentions(sentence)
    assert {e.id for e in art.entities() if e.type == "Person"} == expected
    assert all(art.include(pid, "") for pid in expected)  # event participants follow the entities
    assert expected or not art.include("person:sergey-lavrov", "")


@pytest.mark.parametrize("sentence", ["默克尔明确表示反对。", "马克龙夫妇抵达。"])
def test_a_known_name_before_a_common_word_is_that_person(gaz: Gazetteer, sentence: str) -> None:
    """明确, 夫妇 start with transliteration characters but are words: no longer name 默克尔明."""
    assert ids(find_mentions(sentence, gaz, NAMES), "Person") <= {"person:angela-merkel", "person:emmanuel-macron"}
    assert ids(find_mentions(sentence, gaz, NAMES), "Person")


@pytest.mark.parametrize(("sentence", "expected"), [
    ("德国提出了折中方案。", {"country:DE"}),  # 折中|方案 holds no 中方
    ("沿海地区和内蒙古的情况。", set()),  # no 海地, no 蒙古
    ("美国乔治亚州的选举。", {"country:US"}),  # a US state, not Georgia
    ("这家中国企业被制裁。", {"country:CN"}),  # 家中 is a word, but not here
    ("他曾任驻法国大使馆公使。", {"country:FR"}),
])
def test_a_state_name_inside_other_words_is_none(gaz: Gazetteer, sentence: str, expected: set[str]) -> None:
    assert ids(find_mentions(sentence, gaz, NAMES), "Country") == expected

def _persons(gaz: Gazetteer, sentence: str, day: date = date(2021, 3, 21)) -> list[str]:
    return [m.surface for m in find_mentions(sentence, gaz, NAMES, published=day) if m.type == "Person"]


@pytest.mark.parametrize(("sentence", "name"), [
    ("经济部次长曾文生说，双方将加强合作。", "曾文生"),      # a role noun no title lists
    ("立委蔡适应说，美方应当道歉。", "蔡适应"),              # a given name that is also a verb
    ("英国国务大臣亚当斯(Nigel Adams)表示关切。", "Nigel Adams"),
    ("英国国务大臣温迪 (Wendy Morton)表示关切。", "Wendy Morton"),  # a space before the gloss
    ("土耳其国防工业局局长德米尔等数名官员。", "德米尔"),  # a transliteration after a role noun
    ("民进党籍立委蔡适应：“所以呢？”", "蔡适应"),  # a given name that is a word, before a pause
    ("新民主同盟议员范国威、青年新政梁颂恒等亦有到场。", "范国威"),
    ("印度总理拉吉夫·甘地对中国进行正式访问。", "拉吉夫·甘地"),  # a dotted part goes on (地 is rare in names)
    ("美国前副国务卿温斯顿·洛德表示。", "温斯顿·洛德"),  # 顿 (-ton) is a transliteration character
    ("欧盟贸易执委东布洛夫斯基周一表示。", "东布洛夫斯基"),
])
def test_people_are_discovered_by_their_place_in_the_sentence(gaz: Gazetteer, sentence: str, name: str) -> None:
    assert name in _persons(gaz, sentence)


@pytest.mark.parametrize("sentence", ["有关言论引起相关情况的讨论，", "任何问题都可以谈。", "影响人员安危，"])
def test_words_after_a_rank_character_are_no_people(gaz: Gazetteer, sentence: str) -> None:
    assert _persons(gaz, sentence) == []


def test_listed_one_character_states(gaz: Gazetteer) -> None:
    found = {m.entity_id for m in find_mentions("俄、中、印三国外长举行会晤。", gaz, NAMES) if m.type == "Country"}
    assert found == {"country:RU", "country:CN", "country:IN"}
    found = {m.entity_id for m in find_mentions("印、中国防部长举行会晤。", gaz, NAMES) if m.type == "Country"}
    assert found == {"country:IN", "country:CN"}
    found = {m.entity_id for m in find_mentions("美、日、印、澳的四国外长举行视频会议。", gaz, NAMES) if m.type == "Country"}
    assert found == {"country:US", "country:JP", "country:IN", "country:AU"}
    found = {m.entity_id for m in find_mentions("美国和日、韩两国领导人。", gaz, NAMES) if m.type == "Country"}
    assert found == {"country:US", "country:JP", "country:KR"}


def test_people_act_for_the_office_they_hold(gaz: Gazetteer) -> None:
    """Representation comes from the office on the day, not from nationality."""
    acts = {m.entity_id: m.acts_for for m in find_mentions("北约秘书长斯托尔滕贝格会见冯德莱恩。", gaz, NAMES,
                                                           published=date(2021, 3, 21)) if m.type == "Person"}
    assert acts == {"person:jens-stoltenberg": "org:nato", "person:ursula-von-der-leyen": "org:eu"}
    former = [m for m in find_mentions("前北约秘书长拉斯穆森发表讲话。", gaz, NAMES, published=date(2020, 10, 8))
              if m.type == "Person"]
    assert [m.acts_for for m in former] == [""]  # a former official of NATO acts for nobody
