"""``kg schedule``: run updates on a cron expression until stopped.

APScheduler 3's BlockingScheduler does the timing. The job is configured so that runs never pile
up: ``max_instances=1`` (a run still going when the next tick comes makes that tick skip),
``coalesce=True`` (ticks missed while the machine slept or the process was busy collapse into one
run), and ``misfire_grace_time`` (a tick noticed late still runs if it is not too late). The
update lock (:mod:`kg.lock`) stops a manual ``kg update`` or a second scheduler from overlapping.

SIGTERM or SIGINT stop it cleanly: no new run starts, and a run in progress is left to finish
(the process exits after it). A second signal exits at once; the next run then completes the
interrupted one, which is safe because updates are crash-safe (see :mod:`kg.update`).
"""

from __future__ import annotations

import signal
from collections.abc import Callable
from types import FrameType

from apscheduler.events import EVENT_SCHEDULER_STARTED, SchedulerEvent
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger

from kg.errors import ConfigError

JOB_ID = "kg-update"


def cron_trigger(cron: str, timezone: str | None = None) -> CronTrigger:
    """The trigger of a five-field crontab expression, or a ConfigError that quotes it."""
    try:
        return CronTrigger.from_crontab(cron, timezone=timezone)
    except (ValueError, LookupError) as exc:  # bad field, or an unknown time zone name
        raise ConfigError(f"schedule.cron {cron!r} (timezone {timezone or 'local'}): {exc}; expected five "
                          "crontab fields, e.g. '*/30 * * * *' for every half hour") from exc


def build_scheduler(cron: str, job: Callable[[], None], *, misfire_grace_seconds: int = 600,
                    timezone: str | None = None) -> BlockingScheduler:
    """A scheduler with ``job`` on ``cron``: one instance at a time, missed ticks coalesced."""
    trigger = cron_trigger(cron, timezone)
    scheduler = BlockingScheduler(timezone=trigger.timezone)
    scheduler.add_job(job, trigger, id=JOB_ID, name="kg update", max_instances=1, coalesce=True,
                      misfire_grace_time=misfire_grace_seconds)
    return scheduler


def run_scheduler(scheduler: BlockingScheduler, *, on_start: Callable[[], None] | None = None,
                  on_stop: Callable[[str], None] | None = None) -> None:
    """Run until SIGTERM/SIGINT; the first signal stops scheduling, a second one exits at once.

    A signal that arrives while the scheduler is still starting is remembered and acted on as soon
    as it has started, so there is no moment in which SIGTERM is lost.
    """
    stop_requested = False

    def stop(signum: int, _frame: FrameType | None) -> None:
        nonlocal stop_requested
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        stop_requested = True
        if on_stop:
            on_stop(signal.Signals(signum).name)
        if scheduler.running:
            scheduler.shutdown(wait=False)

    def started(_event: SchedulerEvent) -> None:
        if stop_requested:
            scheduler.shutdown(wait=False)
        elif on_start:
            on_start()

    scheduler.add_listener(started, EVENT_SCHEDULER_STARTED)
    previous = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        scheduler.start()
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
