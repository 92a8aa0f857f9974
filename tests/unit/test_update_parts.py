"""The pure parts of kg update: the diff, sources and settings from kg.yaml, the lock, the scheduler."""

from __future__ import annotations

import os
import signal
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger

from kg.errors import ConfigError
from kg.lock import LockBusy, hold_lock, lock_path
from kg.records import Article
from kg.schedule import JOB_ID, build_scheduler, run_scheduler
from kg.graph.rows import article_order, publication_order
from kg.records import ArticleExtraction
from kg.update import Sources, UpdateSettings, failed_id, plan_update, read_ahead


def _article(aid: str, content_hash: str) -> Article:
    return Article(id=aid, path=f"/in/{aid}.md", title=aid, published=datetime(2021, 3, 22, tzinfo=UTC),
                   source=None, url=None, language="zh", text="…", format="markdown", content_hash=content_hash)


def test_plan_splits_by_id_and_content_hash() -> None:
    known = {"a": "h1", "b": "h2", "gone": "h9"}
    plan = plan_update([_article("a", "h1"), _article("b", "h2-edited"), _article("c", "h3")], known)
    assert ([a.id for a in plan.new], [a.id for a in plan.changed], [a.id for a in plan.unchanged]) == (
        ["c"], ["b"], ["a"])


def test_articles_are_extracted_in_the_order_their_extractions_are_loaded() -> None:
    """``kg update`` sorts its articles by ``article_order`` and tells the load they are in order:
    the load's own order (``publication_order``) must be the same."""
    articles = [_article(aid, "h") for aid in ("b", "a", "c")]
    late = Article(id="0", path="/in/0.md", title="0", published=datetime(2021, 3, 23, tzinfo=UTC), source=None,
                   url=None, language="zh", text="…", format="markdown", content_hash="h")
    undated = Article(id="z", path="/in/z.md", title="z", published=None, source=None, url=None, language="zh",
                      text="…", format="markdown", content_hash="h")
    articles += [late, undated]
    extractions = [ArticleExtraction(article=a.meta()) for a in articles]
    assert [a.id for a in sorted(articles, key=article_order)] == \
        [ex.article.id for ex in sorted(extractions, key=publication_order)] == ["z", "a", "b", "c", "0"]


def test_read_ahead_gives_the_items_in_order_and_takes_them_without_the_taker() -> None:
    taken: list[int] = []

    def items():  # type: ignore[no-untyped-def]
        for i in range(50):
            taken.append(i)
            yield i

    ahead = read_ahead(items())
    assert next(ahead) == 0
    deadline = time.monotonic() + 5
    while len(taken) < 50 and time.monotonic() < deadline:  # taken on while the taker does something else
        time.sleep(0.01)
    assert len(taken) == 50
    assert list(ahead) == list(range(1, 50))


def test_read_ahead_raises_the_error_of_the_items_and_closes_them_when_stopped() -> None:
    closed: list[bool] = []

    def failing():  # type: ignore[no-untyped-def]
        yield 1
        raise KeyError("a bug in an extractor")

    with pytest.raises(KeyError, match="a bug"):
        list(read_ahead(failing()))

    def endless():  # type: ignore[no-untyped-def]
        try:
            i = 0
            while True:
                yield i
                i += 1
        finally:
            closed.append(True)

    ahead = read_ahead(endless())
    assert next(ahead) == 0
    ahead.close()  # the taker stopped early (a write failed): the thread stops and closes the items
    assert closed == [True]


def test_an_article_loaded_without_hash_counts_as_changed() -> None:
    plan = plan_update([_article("a", "h1")], {"a": None})
    assert [a.id for a in plan.changed] == ["a"]


def test_sources_from_arguments_and_from_config(tmp_path: Path) -> None:
    assert Sources.parse(["../corpus", "https://example.org/rss"]) == Sources(("../corpus",), ("https://example.org/rss",))
    config = {"sources": {"folders": [str(tmp_path)], "feeds": ["http://127.0.0.1:8000/feed.xml"]}}
    assert Sources.from_config(config) == Sources((str(tmp_path),), ("http://127.0.0.1:8000/feed.xml",))
    assert not Sources.from_config({})
    assert Sources.from_config({"sources": {"folders": ["corpus"]}}, "/etc/kg/kg.yaml").folders == ("/etc/kg/corpus",)


@pytest.mark.parametrize(("config", "problem"), [
    ({"sources": ["a"]}, "must be a mapping"),
    ({"sources": {"folders": "a"}}, "sources.folders must be a list"),
    ({"sources": {"feeds": ["/srv/feeds"]}}, "must be http"),
    ({"update": {"workers": "many"}}, "not a number"),
])
def test_bad_config_is_reported_with_the_file(config: dict[str, object], problem: str) -> None:
    with pytest.raises(ConfigError, match=rf"^my\.yaml: .*{problem}"):
        Sources.from_config(config, "my.yaml")
        UpdateSettings.from_config(config, "my.yaml")


def test_settings_defaults_and_values(tmp_path: Path) -> None:
    assert UpdateSettings.from_config({}) == UpdateSettings()
    settings = UpdateSettings.from_config({"update": {"workers": 2, "quarantine_dir": str(tmp_path)},
                                           "schedule": {"cron": "*/30 * * * *", "timezone": "UTC"}})
    assert (settings.workers, settings.quarantine_dir, settings.cron) == (2, tmp_path, "*/30 * * * *")


def test_failed_id_depends_only_on_the_path() -> None:
    assert failed_id("/in/a.md") == failed_id("/in/a.md") != failed_id("/in/b.md")
    assert len(failed_id("https://example.org/a")) == 16


def test_second_holder_of_the_lock_is_told_the_pid(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_HOME", str(tmp_path))
    with hold_lock() as path:
        assert path == lock_path() and path.read_text().split() == [str(os.getpid()), "update"]
        with pytest.raises(LockBusy, match=rf"pid {os.getpid()} holds .*update\.lock.*--wait"), hold_lock():
            pass
        with pytest.raises(LockBusy, match="after waiting 0.3 s"), hold_lock(wait=0.3):
            pass
    with hold_lock():  # released on exit
        pass


def test_scheduler_runs_one_instance_and_coalesces_missed_ticks() -> None:
    scheduler = build_scheduler("*/30 * * * *", lambda: None, misfire_grace_seconds=120, timezone="UTC")
    job = scheduler.get_job(JOB_ID)
    assert (job.max_instances, job.coalesce, job.misfire_grace_time) == (1, True, 120)
    assert str(job.trigger) == "cron[month='*', day='*', day_of_week='*', hour='*', minute='*/30']"


@pytest.mark.parametrize("cron", ["every hour", "61 * * * *", "* * * *"])
def test_a_bad_cron_expression_is_a_config_error(cron: str) -> None:
    with pytest.raises(ConfigError, match="schedule.cron"):
        build_scheduler(cron, lambda: None)


def test_sigterm_stops_the_scheduler_after_the_running_job() -> None:
    scheduler = BlockingScheduler(timezone="UTC")
    runs: list[str] = []

    def job() -> None:
        runs.append("run")
        if len(runs) == 2:
            os.kill(os.getpid(), signal.SIGTERM)

    scheduler.add_job(job, IntervalTrigger(seconds=0.2, timezone="UTC"), max_instances=1, coalesce=True)
    stopped: list[str] = []
    started = time.monotonic()
    run_scheduler(scheduler, on_stop=stopped.append)
    assert stopped == ["SIGTERM"] and runs == ["run", "run"] and time.monotonic() - started < 10
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL  # pytest's own handler is back
