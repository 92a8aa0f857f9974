"""``kg update`` (one incremental run) and ``kg schedule`` (runs on a cron expression)."""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

import click

from kg.cli.common import config_option, fail
from kg.config import Neo4jSettings, load_config, neo4j_settings
from kg.errors import ConfigError, KgError

if TYPE_CHECKING:
    from kg.update import Sources, UpdateReport, UpdateSettings


def _sources(config: dict[str, object], given: tuple[str, ...], where: str) -> Sources:
    from kg.update import Sources

    sources = Sources.parse(given) if given else Sources.from_config(config, where)
    if not sources:
        raise ConfigError(f"no sources: give folders or feed URLs as arguments, or list them under "
                          f"sources.folders / sources.feeds in {where}")
    return sources


def update_once(neo4j: Neo4jSettings, sources: Sources, settings: UpdateSettings, *, wait: float,
                command: str) -> UpdateReport:
    """Take the update lock, connect, make sure the schema is in place, and run one update."""
    from kg.graph.connect import open_driver
    from kg.graph.load import apply_schema, new_run_id
    from kg.lock import hold_lock
    from kg.pipeline import run_update

    with hold_lock(wait=wait), open_driver(neo4j) as driver:
        apply_schema(driver, neo4j.database)
        return run_update(driver, sources, run_id=new_run_id(), workers=settings.workers,
                          quarantine_dir=settings.quarantine_dir, articles_per_batch=settings.batch_size,
                          feed_timeout=settings.feed_timeout, database=neo4j.database, command=command,
                          limits=settings.limits)


def _print_report(report: UpdateReport) -> None:
    click.echo(report.summary())
    for line in report.errors:
        click.echo(f"warning: {line}", err=True)


@click.command("update")
@click.argument("sources", nargs=-1, metavar="[FOLDER_OR_FEED_URL]...")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Extraction processes (default: update.workers in kg.yaml, else 1).")
@click.option("--batch-size", type=click.IntRange(min=1), default=None,
              help="Articles in the first write transaction; each later one takes twice as many, up to 5x "
                   "(default: update.batch_size, else 200).")
@click.option("--wait", type=click.FloatRange(min=0), default=0, show_default=True,
              help="Seconds to wait when another update holds the lock before giving up.")
@config_option
def update_cmd(sources: tuple[str, ...], workers: int | None, batch_size: int | None, wait: float,
               config_path: str | None) -> None:
    """Bring the graph up to date with folders and feeds (incremental, safe to repeat).

    Sources are the arguments (folders of article files, http(s) feed URLs) or, without
    arguments, the `sources:` of kg.yaml. Only new and changed articles (by id and content hash)
    are extracted and loaded; running it twice in a row changes nothing. Articles that cannot be
    read or extracted are kept aside (a Failed node and a copy in the quarantine folder) and
    tried again next time. Each run is recorded as a Run node and a line of
    ~/.kg/logs/updates.jsonl. Exit code 0 when the run completed (even with articles kept
    aside), 1 when it could not run or was cut off (Neo4j down, another update running).

    Example:

        kg update ../shared/corpus https://example.org/feed.xml --workers 2
    """
    from kg.update import UpdateSettings

    try:
        config = load_config(config_path)
        where = config_path or os.environ.get("KG_CONFIG") or "kg.yaml"
        settings = UpdateSettings.from_config(config, where)
        settings = replace(settings, workers=workers or settings.workers,
                           batch_size=batch_size or settings.batch_size)
        chosen = _sources(config, sources, where)
        report = update_once(neo4j_settings(config), chosen, settings, wait=wait,
                             command="update " + chosen.describe())
    except KgError as exc:
        raise fail(exc) from exc
    _print_report(report)


@click.command("schedule")
@config_option
def schedule_cmd(config_path: str | None) -> None:
    """Keep running and update the graph on the cron expression of kg.yaml (schedule.cron).

    Runs never overlap (one at a time, and the update lock keeps out a manual `kg update`);
    ticks missed while busy or asleep are coalesced into one run. SIGTERM or Ctrl-C stop it
    cleanly: a run in progress finishes first (a second signal exits at once). Prefer the system
    scheduler? See docs/updates.md for the crontab and systemd-timer lines.

    Example:

        kg schedule --config kg.yaml
    """
    from kg.schedule import JOB_ID, build_scheduler, run_scheduler
    from kg.update import UpdateSettings

    try:
        config = load_config(config_path)
        where = config_path or os.environ.get("KG_CONFIG") or "kg.yaml"
        settings = UpdateSettings.from_config(config, where)
        if not settings.cron:
            raise ConfigError(f"{where}: no schedule.cron; add e.g. `schedule: {{cron: \"*/30 * * * *\"}}`")
        sources = _sources(config, (), where)
        neo4j = neo4j_settings(config)

        def job() -> None:
            try:
                _print_report(update_once(neo4j, sources, settings, wait=0, command="schedule " + sources.describe()))
            except KgError as exc:  # reported; the next tick tries again
                click.echo(f"{datetime.now().isoformat(timespec='seconds')} update failed: {exc}", err=True)

        scheduler = build_scheduler(settings.cron, job, misfire_grace_seconds=settings.misfire_grace_seconds,
                                    timezone=settings.timezone)
    except KgError as exc:
        raise fail(exc) from exc

    def on_start() -> None:
        job = scheduler.get_job(JOB_ID)
        click.echo(f"kg schedule: updating {sources.describe()} on '{settings.cron}', next run "
                   f"{job.next_run_time.isoformat() if job else '?'} (pid {os.getpid()}; stop with SIGTERM or Ctrl-C)")
        sys.stdout.flush()

    run_scheduler(scheduler, on_start=on_start, on_stop=lambda name: click.echo(
        f"kg schedule: {name} received, stopping (a running update finishes first)"))
    click.echo("kg schedule: stopped")
