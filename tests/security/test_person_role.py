"""A person's ``role`` does not depend on load order (issue 18, item 11): Merkel is "chancellor",
from the gazetteer's dated roles, whichever of two articles - one calling her 总理 read as "prime
minister" - is loaded first; the merge strategy and a first load by the import strategy agree."""

from __future__ import annotations

import neo4j
import pytest

from kg.graph.load import apply_schema, load_extractions
from kg.graph.writer import Strategy, write_extractions
from kg.records import ArticleExtraction, ArticleMeta, Entity
from kg.graph.tables import WriterTables

TABLES = WriterTables.load()

pytestmark = pytest.mark.neo4j


def _article(aid: str, published: str, role: str) -> ArticleExtraction:
    merkel = Entity(id="person:angela-merkel", type="Person", name="Angela Merkel", aliases=("默克尔",),
                    country="DE", role=role)
    return ArticleExtraction(article=ArticleMeta.from_dict({"id": aid, "path": f"{aid}.md", "title": aid,
                                                            "published": published, "language": "zh"}),
                             entities=(merkel,))


CHANCELLOR = _article("a-chancellor", "2021-03-01T00:00:00+00:00", "chancellor")
PRIME_MINISTER = _article("a-prime-minister", "2021-03-02T00:00:00+00:00", "prime minister")


def _roles(driver: neo4j.Driver) -> tuple[str, list[str]]:
    node, _, _ = driver.execute_query("MATCH (p:Person {id: 'person:angela-merkel'}) RETURN p.role AS role")
    edges, _, _ = driver.execute_query("MATCH (:Article)-[m:MENTIONS]->(:Person) RETURN m.role AS role ORDER BY role")
    return node[0]["role"], [r["role"] for r in edges]


@pytest.mark.parametrize("first", list(Strategy), ids=[f"first load by {s}" for s in Strategy])
@pytest.mark.parametrize("order", [(CHANCELLOR, PRIME_MINISTER), (PRIME_MINISTER, CHANCELLOR)],
                         ids=["chancellor first", "prime minister first"])
def test_merkel_is_chancellor_whatever_the_load_order(neo4j_driver: neo4j.Driver, clean_db: None,
                                                      order: tuple[ArticleExtraction, ...], first: Strategy) -> None:
    apply_schema(neo4j_driver)
    write_extractions(neo4j_driver, order[:1], strategy=first, tables=TABLES, run_id="run-0")  # two loads, one article each
    load_extractions(neo4j_driver, order[1:], tables=TABLES, run_id="run-1")
    assert _roles(neo4j_driver) == ("chancellor", ["chancellor", "prime minister"])
