"""Gazetteer loading, validation, role look-up and the longest-match scanner."""

from __future__ import annotations

import pickle
import shutil
from datetime import date
from pathlib import Path

import pytest

from kg.errors import SchemaError
from kg.extract.gazetteer import Gazetteer, default_schema_dir, slugify


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


def hits(gaz: Gazetteer, text: str) -> list[tuple[str, tuple[str, ...]]]:
    return [(text[m.begin:m.end], m.entry_ids) for m in gaz.scan(text)]


def test_countries_come_from_cldr_with_news_aliases(gaz: Gazetteer) -> None:
    cn = gaz.entry("country:CN")
    assert (cn.type, cn.name, cn.iso2) == ("Country", "China", "CN")
    assert {"中国", "中國", "China", "中方"} <= set(cn.aliases) | {"中方"}
    assert gaz.entry("country:HK").name == "Hong Kong"
    assert "country:EU" not in gaz.entries  # the EU is an organisation
    assert gaz.lookup("北韓", "Country")[0].id == "country:KP"  # zh_Hant CLDR name, folded


def test_tables_are_broad(gaz: Gazetteer) -> None:
    counts = {t: sum(e.type == t for e in gaz.entries.values())
              for t in ("Person", "Country", "Organization", "Place")}
    assert counts["Person"] >= 250 and counts["Organization"] >= 150
    assert counts["Place"] >= 120 and counts["Country"] >= 240


@pytest.mark.parametrize(("person", "day", "title"), [
    ("person:sergey-lavrov", date(2021, 3, 21), "foreign minister"),
    ("person:wang-yi", date(2021, 3, 21), "foreign minister"),
    ("person:joe-biden", date(2020, 12, 23), "president-elect"),
    ("person:joe-biden", date(2021, 6, 15), "president"),
    ("person:mike-pompeo", date(2021, 6, 15), None),
    ("person:jens-stoltenberg", date(2021, 3, 21), "secretary general"),
])
def test_role_on_publication_day(gaz: Gazetteer, person: str, day: date, title: str | None) -> None:
    role = gaz.role_on(person, day)
    assert (role.title if role else None) == title


def test_role_knows_its_organisation(gaz: Gazetteer) -> None:
    role = gaz.role_on("person:jens-stoltenberg", date(2021, 3, 21))
    assert role is not None and role.org == "org:nato" and role.country == "NO"


@pytest.mark.parametrize(("text", "expected"), [
    ("印度尼西亚总统", [("印度尼西亚", ("country:ID",))]),
    ("澳门特区", [("澳门特区", ("country:MO",))]),
    ("美元汇率", [("美元", ())]),
    ("美国国务院发表声明", [("美国国务院", ("org:state-department",))]),
    ("北京邀请", [("北京", ("country:CN", "place:beijing"))]),
])
def test_scan_keeps_longest_matches(gaz: Gazetteer, text: str, expected: list) -> None:
    assert hits(gaz, text) == expected


def test_a_name_wins_over_a_verb_form_as_long(gaz: Gazetteer) -> None:
    """对美国 is 对 and the name 美国, not the verb form 对美 and a stray 国; alone, 访华 stays a form."""
    assert hits(gaz, "他对美国表示不满")[0] == ("美国", ("country:US",))
    assert hits(gaz, "布林肯将对朝鲜政策作出调整")[-1] == ("朝鲜", ("country:KP",))
    assert hits(gaz, "王毅访华")[-1] == ("访华", ("country:CN",))


def test_english_is_case_sensitive_on_word_boundaries(gaz: Gazetteer) -> None:
    assert [k for k, _ in hits(gaz, "Let us trump the USA and Russia's Trumpet")] == ["USA", "Russia"]
    assert hits(gaz, "the U.S. and China") == [("U.S.", ("country:US",)), ("China", ("country:CN",))]


def test_pickled_gazetteer_rebuilds_its_matcher(gaz: Gazetteer) -> None:
    copy = pickle.loads(pickle.dumps(gaz))
    assert hits(copy, "拉夫罗夫访华") == hits(gaz, "拉夫罗夫访华")


def test_slugify_drops_accents() -> None:
    assert slugify("Miloš Vystrčil") == "milos-vystrcil"
    assert slugify("Ursula von der Leyen") == "ursula-von-der-leyen"


@pytest.fixture
def schema_copy(tmp_path: Path) -> Path:
    target = tmp_path / "gazetteer"
    shutil.copytree(default_schema_dir(), target)
    return target


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_conflicting_alias_is_reported_with_its_file(schema_copy: Path) -> None:
    _append(schema_copy / "persons.yaml", "- {name: Someone Else, country: RU, aliases: [拉夫罗夫]}\n")
    with pytest.raises(SchemaError, match=r"persons.yaml.*拉夫罗夫.*person:sergey-lavrov"):
        Gazetteer.load(schema_copy)


def test_bad_country_code_is_reported(schema_copy: Path) -> None:
    _append(schema_copy / "places.yaml", "- {name: Nowhere, country: Narnia, aliases: [无处]}\n")
    with pytest.raises(SchemaError, match=r"places.yaml: item \d+ \(Nowhere\).*ISO2"):
        Gazetteer.load(schema_copy)


def test_bad_date_and_bad_yaml_are_reported(schema_copy: Path) -> None:
    _append(schema_copy / "persons.yaml",
            "- {name: Ann Example, country: GB, roles: [[minister, last spring, null]]}\n")
    with pytest.raises(SchemaError, match="Ann Example.*bad date"):
        Gazetteer.load(schema_copy)
    (schema_copy / "persons.yaml").write_text("- [unclosed\n", encoding="utf-8")
    with pytest.raises(SchemaError, match="persons.yaml: not valid YAML"):
        Gazetteer.load(schema_copy)


def test_missing_table_lists_what_was_found(schema_copy: Path) -> None:
    (schema_copy / "titles.yaml").unlink()
    with pytest.raises(SchemaError, match="titles.yaml: required table not found.*countries.yaml"):
        Gazetteer.load(schema_copy)


def test_blocker_that_is_an_alias_is_a_conflict(schema_copy: Path) -> None:
    path = schema_copy / "countries.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("blockers: [美元,", "blockers: [美国, 美元,"),
                    encoding="utf-8")
    with pytest.raises(SchemaError, match="blocker '美国' is also an alias of country:US"):
        Gazetteer.load(schema_copy)
