"""Extraction quality on the annotated dev articles, scored by the evaluation's own score.py.

The dev gold (../shared/eval/dev_gold.jsonl) and every gold file of tests/data/gold/ are scored
against a fresh extraction of their articles (found by file name under ../shared/corpus); each
must stay above the floors of quality_floors.yaml, so a regression in recall or precision fails
CI. The contract's rule that every event participant is an entity of its own article is checked
on the whole corpus.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from kg.extract.pipeline import extract_files
from kg.records import ArticleExtraction
from shared_eval import SHARED, eval_script

REPO = Path(__file__).resolve().parents[2]
CORPUS = SHARED / "corpus"
GOLD_FILES = [SHARED / "eval" / "dev_gold.jsonl", *sorted((REPO / "tests" / "data" / "gold").glob("*.jsonl"))]
FLOORS = yaml.safe_load((Path(__file__).parent / "quality_floors.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def corpus_extractions() -> dict[str, ArticleExtraction]:
    """Every corpus article, extracted once, by file name."""
    out = {}
    for x in extract_files([CORPUS]):
        assert isinstance(x, ArticleExtraction), f"unreadable corpus file: {x}"
        out[Path(x.article.path).name] = x
    return out


@pytest.mark.parametrize("gold_file", GOLD_FILES, ids=lambda p: p.name)
def test_scores_stay_above_the_floors(gold_file: Path, corpus_extractions: dict[str, ArticleExtraction]) -> None:
    score = eval_script("score")
    gold = score.load_jsonl(str(gold_file))
    missing = [g["file"] for g in gold if Path(g["file"]).name not in corpus_extractions]
    assert not missing, f"{gold_file}: articles not in {CORPUS}: {missing}"
    preds = [json.loads(json.dumps(corpus_extractions[Path(g["file"]).name].to_dict())) for g in gold]
    result = score.score(gold, preds)
    floors = FLOORS.get(gold_file.name, FLOORS["default"])
    low = {k: round(result[k]["f1"], 3) for k, floor in floors.items() if result[k]["f1"] < floor}
    assert not low, f"{gold_file.name}: F1 below the floors {floors}: {low}"


def test_every_participant_is_an_entity_of_its_article(corpus_extractions: dict[str, ArticleExtraction]) -> None:
    strays = {name: sorted({p for e in x.events for p in e.participants} - {e.id for e in x.entities})
              for name, x in corpus_extractions.items()}
    assert not {k: v for k, v in strays.items() if v}
