"""The synthetic corpus generator of benchmarks/ (issue 7): deterministic, readable by kg, realistic."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from benchmarks.synth import (
    ARCHIVE,
    YEARS,
    CorpusProfile,
    profile_corpus,
    shift_dates,
    synth_article,
    write_corpus,
)
from kg.errors import ReaderError
from kg.readers import read_articles

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"


@pytest.fixture(scope="module")
def profile() -> CorpusProfile:
    hkc = sorted((CORPUS / "zh" / "hkcnews").iterdir())[:6]
    english = sorted((CORPUS / "en" / "news-beyond-wall").iterdir())[:4]
    return profile_corpus([CORPUS / "seed", CORPUS / "zh" / "rsshub-page", *hkc, *english])


def test_same_seed_same_articles_other_seed_others(profile: CorpusProfile) -> None:
    first = [synth_article(profile, 7, i) for i in range(20)]
    assert first == [synth_article(profile, 7, i) for i in range(20)]
    assert [a.content for a in first] != [synth_article(profile, 8, i).content for i in range(20)]


def test_written_files_read_back_as_articles_spread_over_years(profile: CorpusProfile, tmp_path: Path) -> None:
    paths = list(write_corpus(profile, tmp_path, size=40, seed=3))
    articles = list(read_articles([tmp_path]))
    assert len(paths) == len(articles) == 40
    assert not [a for a in articles if isinstance(a, ReaderError)]
    assert len({a.id for a in articles}) == 40  # type: ignore[union-attr]
    years = {a.published.year for a in articles}  # type: ignore[union-attr]
    assert years <= set(range(YEARS[0], YEARS[1] + 1)) and len(years) >= 4
    assert {a.format for a in articles} <= {"jekyll", "hexo"}  # type: ignore[union-attr]


def test_quiet_share_is_measured_from_the_extractor(profile: CorpusProfile) -> None:
    assert profile.quiet_share == sum(t.quiet for t in profile.templates) / len(profile.templates)
    assert 0 < profile.quiet_share < 1  # the hkcnews opinion pieces have no event


def test_names_are_swapped_from_the_gazetteer(profile: CorpusProfile) -> None:
    texts = "".join(synth_article(profile, 1, i).content for i in range(60))
    persons = {alias for aliases in profile.names[("zh", "Person")] for alias in aliases}
    assert len({p for p in persons if p in texts}) > 10


@pytest.mark.parametrize(("text", "days", "expected"), [
    ("2020年9月11日，王毅在莫斯科", 3, "2020年9月14日，王毅在莫斯科"),
    ("将于3月22日至23日访华", 365, "将于3月22日至23日访华"),  # 2021 -> 2022: same days, no year written
    ("12月31日举行", 1, "1月1日举行"),
    ("2月30日", 5, "2月30日"),
])
def test_explicit_dates_move_with_the_sentence(text: str, days: int, expected: str) -> None:
    assert shift_dates(text, days, date(2021, 3, 21)) == expected


def test_publication_days_can_be_a_few_days_after_the_archive(profile: CorpusProfile, tmp_path: Path) -> None:
    days = (date(2025, 1, 1), date(2025, 1, 3))
    list(write_corpus(profile, tmp_path, size=30, seed=7, start=200000, days=days))
    articles = list(read_articles([tmp_path]))
    assert len(articles) == 30
    assert {a.published.date() for a in articles} <= {date(2025, 1, d) for d in (1, 2, 3)}  # type: ignore[union-attr]
    spread = synth_article(profile, 7, 200000)
    daily = synth_article(profile, 7, 200000, days)
    assert daily.name == spread.name and daily.content != spread.content
    assert synth_article(profile, 7, 5, ARCHIVE) == synth_article(profile, 7, 5)
