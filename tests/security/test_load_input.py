"""Attacks on ``kg load`` (issue 18, items 6, 7 and 8): malformed and oversized JSONL lines are
refused one by one with ``file:line: problem`` and kept aside while the good lines load; two loads
at once do not corrupt the graph (they take the update lock, in turn with ``--wait``)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from functools import cache
from pathlib import Path
from typing import Any

import neo4j
import pytest

from kg.config import kg_home
from kg.errors import ConfigError
from kg.extract.pipeline import extract_many
from kg.graph.load import RejectedLine, apply_schema, graph_counts, read_jsonl
from kg.limits import Limits
from kg.lock import hold_lock
from kg.readers import read_articles
from kg.records import Article
from kg.validate import problems

REPO = Path(__file__).resolve().parents[2]
KG = [sys.executable, "-c", "import sys; from kg.cli import main; sys.argv[0] = 'kg'; main()"]


@cache
def sample_lines() -> tuple[dict[str, Any], ...]:
    """The bundled sample, extracted: good lines of the contract."""
    articles = [a for a in read_articles([REPO / "sample" / "articles"]) if isinstance(a, Article)]
    return tuple(ex.to_dict() for ex in extract_many(articles))


def _line(**changes: Any) -> dict[str, Any]:
    """A good line with parts replaced: ``article=``, ``entity=`` (the first), ``event=`` (the first)."""
    line = json.loads(json.dumps(sample_lines()[0]))
    line["article"].update(changes.get("article", {}))
    line["entities"][0].update(changes.get("entity", {}))
    line["events"][0].update(changes.get("event", {}))
    return line


ATTACKS: dict[str, tuple[Any, str]] = {
    "article is a list": ({"article": [1, 2]}, "'article' must be an object"),
    "no article id": ({"article": {"title": "x"}, "entities": [], "events": []}, "article.id must be a non-empty string"),
    "integer article id": (_line(article={"id": 7}), "article.id must be a non-empty string, not a number"),
    "published not a date": (_line(article={"published": "not-a-date"}), "article.published 'not-a-date'"),
    "start 2021-02-30": (_line(event={"start": "2021-02-30"}), "start '2021-02-30' is not an ISO date"),
    "aliases a string": (_line(entity={"aliases": "abc"}), "aliases must be a list of strings, not a string"),
    "integer entity id": (_line(entity={"id": 12}), "id must be a non-empty string, not a number"),
    "unknown entity type": (_line(entity={"type": "Weapon"}), "type must be one of Person"),
    "unknown event type": (_line(event={"type": "INVADE"}), "type 'INVADE' is not an event type"),
    "unknown status": (_line(event={"status": "rumoured"}), "status must be one of occurred"),
    "no status": (_line(event={"status": None}), "status must be one of occurred"),
    "unknown modality": (_line(event={"modality": "maybe"}), "modality must be one of asserted"),
    "participant of no entity": (_line(event={"participants": ["person:nobody"]}), "'person:nobody' are not ids"),
    "1M aliases": (_line(entity={"aliases": ["x"] * 1_000_000}), "aliases has 1000000 items; the limit is 200"),
    "3000 participants": (_line(event={"participants": ["country:CN"] * 3000}),
                          "participants has 3000 items; the limit is 200"),
    "3000 entities": ({**_line(), "entities": [_line()["entities"][0]] * 3000},
                      "'entities' has 3000 items; the limit is 2000"),
    "end before start": (_line(event={"start": "2021-03-02", "end": "2021-03-01"}), "end 2021-03-01 is before start"),
}


@pytest.mark.parametrize("name", ATTACKS)
def test_each_broken_line_is_named_with_its_problem(name: str) -> None:
    line, expected = ATTACKS[name]
    assert any(expected in p for p in problems(line)), problems(line)


def test_limits_come_from_kg_yaml_and_a_bad_one_is_named() -> None:
    assert Limits.from_config({"limits": {"aliases": 5}}).aliases == 5
    assert problems(_line(entity={"aliases": ["a"] * 6}), Limits(aliases=5))
    for bad in ({"aliases": "many"}, {"aliases": 0}, {"alias": 5}):
        with pytest.raises(ConfigError, match="kg.yaml: .*limits"):
            Limits.from_config({"limits": bad})


def test_good_lines_and_the_optional_modality_pass() -> None:
    assert all(problems(line) == [] for line in sample_lines())
    for modality in ("asserted", "speculative", "background"):
        assert problems(_line(event={"modality": modality})) == []


def _kg(*args: str, **popen: Any) -> subprocess.Popen[str]:
    return subprocess.Popen([*KG, *args], cwd=REPO, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            **popen)


def test_deeply_nested_json_is_one_rejected_line(tmp_path: Path) -> None:
    path = tmp_path / "nested.jsonl"
    path.write_text("[" * 100_000 + "]" * 100_000 + "\n" + json.dumps(sample_lines()[0]) + "\n", encoding="utf-8")
    first, second = read_jsonl(path)
    assert isinstance(first, RejectedLine) and "nested too deeply" in str(first) and str(first).startswith(f"{path}:1:")
    assert not isinstance(second, RejectedLine)


def test_kg_load_loads_the_good_lines_and_keeps_the_bad_ones_aside(
        neo4j_driver: neo4j.Driver, clean_db: None, tmp_path: Path) -> None:
    bad = {name: line for name, (line, _) in ATTACKS.items() if name not in ("1M aliases",)}
    good = sample_lines()
    lines = [json.dumps(good[0], ensure_ascii=False), *(json.dumps(b) for b in bad.values()),
             "{not json", *(json.dumps(g, ensure_ascii=False) for g in good[1:])]
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    proc = _kg("load", str(path))
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 1, err
    assert f"{len(bad) + 1} lines rejected" in out
    for number, (name, (_, expected)) in enumerate(((n, ATTACKS[n]) for n in bad), start=2):
        assert f"{path}:{number}: " in err and expected in err, name
    articles, _, _ = neo4j_driver.execute_query("MATCH (a:Article) RETURN count(a) AS n")
    assert articles[0]["n"] == len(good)
    aliases, _, _ = neo4j_driver.execute_query("MATCH (c:Country) UNWIND c.aliases AS a RETURN collect(a) AS a")
    assert not {"a", "b", "c"} & set(aliases[0]["a"])
    kept = [json.loads(x) for x in max((kg_home() / "rejected").glob("*.jsonl"), key=lambda p: p.stat().st_mtime)
            .read_text(encoding="utf-8").splitlines()]
    assert [k["where"] for k in kept] == [f"{path}:{n}" for n in range(2, len(bad) + 3)]
    assert kept[-1]["line"].strip() == "{not json"


def test_an_oversized_line_is_refused_without_being_read_whole(
        neo4j_driver: neo4j.Driver, clean_db: None, tmp_path: Path) -> None:
    config = tmp_path / "kg.yaml"
    config.write_text("limits:\n  line_bytes: 100000\n", encoding="utf-8")
    huge = _line(article={"id": "huge"}, entity={"aliases": ["别名"] * 100_000})
    path = tmp_path / "huge.jsonl"
    path.write_text(json.dumps(huge, ensure_ascii=False) + "\n" + json.dumps(sample_lines()[1]) + "\n",
                    encoding="utf-8")
    proc = _kg("load", str(path), "--config", str(config))
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 1
    assert f"{path}:1: line longer than the limit of 97.7 KB (limits.line_bytes in kg.yaml)" in err
    ids, _, _ = neo4j_driver.execute_query("MATCH (a:Article) RETURN collect(a.id) AS ids")
    assert ids[0]["ids"] == [sample_lines()[1]["article"]["id"]]


def test_a_load_while_another_holds_the_lock_is_refused_with_its_pid_or_waits(
        neo4j_driver: neo4j.Driver, clean_db: None, tmp_path: Path) -> None:
    path = tmp_path / "sample.jsonl"
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in sample_lines()), encoding="utf-8")
    with hold_lock(command="update"):
        refused = _kg("load", str(path))
        _, err = refused.communicate(timeout=120)
        waiting = _kg("load", str(path), "--wait", "60")
        time.sleep(2)
        assert waiting.poll() is None  # still waiting for the lock
    assert refused.returncode == 1
    assert "another kg update is running (pid " in err and "--wait" in err
    out, err = waiting.communicate(timeout=300)
    assert waiting.returncode == 0, err


def test_two_loads_at_once_give_the_graph_of_one(neo4j_driver: neo4j.Driver, clean_db: None, tmp_path: Path) -> None:
    path = tmp_path / "sample.jsonl"
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in sample_lines()), encoding="utf-8")
    apply_schema(neo4j_driver)
    runs = [_kg("load", str(path), "--wait", "120") for _ in range(2)]
    results = [r.communicate(timeout=300) for r in runs]
    assert [r.returncode for r in runs] == [0, 0], [err for _, err in results]
    both = graph_counts(neo4j_driver)
    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n")
    once = _kg("load", str(path))
    once.communicate(timeout=300)
    alone = graph_counts(neo4j_driver)
    both["nodes"].pop("Run"), alone["nodes"].pop("Run")
    assert both == alone
