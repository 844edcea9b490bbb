"""`monitor serve`: APScheduler 3.x jobs for crawls, digests, the outbox and ops checks; signals; config reload.

Jobs run in a thread pool, so every job opens (and closes) its own SQLite connection. SIGTERM/SIGINT set a stop
event that the pipeline checks after each notice: the notice in hand is committed, the run row finished, then the
scheduler shuts down waiting for running jobs. SIGHUP re-reads config.yaml; an invalid file is logged (key and line)
and the running config stays.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Callable
from zoneinfo import ZoneInfo

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from monitor.config import Config, SourceConfig, load_config
from monitor.errors import ConfigError

log = logging.getLogger("regwatch")

OUTBOX_EVERY = 60  # seconds: instant alerts and delivery retries
OPS_EVERY = 15 * 60  # seconds: source-health checks for the ops channel
RUN_NOW_ENV = "REGWATCH_RUN_NOW"

_CRON_DOW = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]  # crontab numbering: 0 (and 7) = Sunday


# ---------------------------------------------------------------- cron


def _crontab_dow(field_: str) -> str:
    """Crontab day-of-week → APScheduler names. APScheduler 3's from_crontab takes 0 as *Monday* (its issue 286),
    so "1-5" would run Tuesday to Saturday; we expand to explicit names instead."""
    if field_ == "*" or field_ == "?":
        return "*"
    days: set[int] = set()

    def num(tok: str) -> int:
        t = tok.strip().lower()
        if t.isdigit():
            n = int(t)
            if not 0 <= n <= 7:
                raise ValueError(f"day of week {tok!r} is out of range 0-7")
            return n
        if t[:3] in _CRON_DOW and len(t) == 3:
            return _CRON_DOW.index(t)
        raise ValueError(f"invalid day of week {tok!r}")

    for part in field_.split(","):
        base, _, step_s = part.partition("/")
        step = int(step_s) if step_s else 1
        if step < 1:
            raise ValueError(f"invalid step in {part!r}")
        if base == "*":
            lo, hi = 0, 6
        elif "-" in base:
            a, b = base.split("-", 1)
            lo, hi = num(a), num(b)
            if hi == 0 and lo > 0:
                hi = 7  # "5-0" is unusual but means Friday..Sunday
            if lo > hi:
                raise ValueError(f"day-of-week range {base!r} runs backwards")
        else:
            lo = num(base)
            hi = 6 if step_s else lo  # "1/2": from Monday every second day
        days.update(d % 7 for d in range(lo, hi + 1, step))
    if len(days) == 7:
        return "*"
    return ",".join(_CRON_DOW[d] for d in sorted(days, key=lambda d: (d - 1) % 7))  # mon first


def cron_trigger(expr: str, *, timezone: str | Any, jitter: int | None = None) -> CronTrigger:
    """A CronTrigger from a standard 5-field crontab line (Sunday = 0 or 7, as in cron(8))."""
    values = expr.split()
    if len(values) != 5:
        raise ValueError(f"Wrong number of fields; got {len(values)}, expected 5")
    minute, hour, day, month, dow = values
    tz = ZoneInfo(timezone) if isinstance(timezone, str) else timezone
    return CronTrigger(minute=minute, hour=hour, day=day, month=month, day_of_week=_crontab_dow(dow),
                       timezone=tz, jitter=jitter or None)


# ---------------------------------------------------------------- what to schedule


def _registry() -> dict[str, Any]:
    from scrapers import REGISTRY

    return REGISTRY


def source_info(source_id: str) -> Any | None:
    mod = _registry().get(source_id)
    return getattr(mod, "SOURCE", None) if mod is not None else None


def effective_schedule(source_id: str, scfg: SourceConfig) -> str:
    """The source's cron: config.yaml's if written there, else the scraper's default_schedule."""
    if "schedule" in scfg.model_fields_set:
        return scfg.schedule
    info = source_info(source_id)
    return getattr(info, "default_schedule", None) or scfg.schedule


def scheduled_sources(cfg: Config) -> list[str]:
    """Enabled sources that have a scraper (a configured source without one is logged, not scheduled)."""
    reg = _registry()
    out = []
    for sid, scfg in cfg.sources.items():
        if not scfg.enabled:
            continue
        if sid not in reg:
            log.warning("source %s is enabled in config but has no scraper yet: not scheduled", sid)
            continue
        out.append(sid)
    return out


def digest_schedule(cfg: Config, sub: Any) -> str | None:
    if sub.mode == "instant":
        return None
    return sub.schedule or (cfg.digest.weekly_schedule if sub.mode == "weekly" else cfg.digest.schedule)


def next_run_times(cfg: Config, *, now: datetime | None = None) -> dict[str, datetime]:
    """Next scheduled crawl per enabled source (without jitter), for `monitor sources`."""
    tz = ZoneInfo(cfg.timezone)
    now = (now.astimezone(tz) if now else datetime.now(tz)) + timedelta(seconds=1)  # strictly after now
    out: dict[str, datetime] = {}
    for sid in scheduled_sources(cfg):
        trig = cron_trigger(effective_schedule(sid, cfg.sources.get(sid)), timezone=tz)
        nxt = trig.get_next_fire_time(None, now)
        if nxt is not None:
            out[sid] = nxt
    return out


# ---------------------------------------------------------------- jobs


@dataclass
class Runtime:
    """What the jobs share: the current config (swapped on reload), the stop event, the alerts lock."""

    cfg: Config
    config_path: str
    stop: threading.Event = field(default_factory=threading.Event)
    alerts_lock: threading.Lock = field(default_factory=threading.Lock)  # one thread queues/sends at a time
    run_source: Callable[..., Any] | None = None  # injectable for tests; default monitor.pipeline.run_source

    def _open(self) -> Any:
        from monitor.store import Store

        return Store(self.cfg.db_path())

    def crawl(self, source_id: str) -> None:
        if self.stop.is_set():
            return
        cfg = self.cfg
        run = self.run_source
        if run is None:
            from monitor.pipeline import run_source as run
        t0 = time.monotonic()
        try:
            result = run(cfg, source_id, stop=self.stop)  # logs its one line: counts, timing, error
        except Exception:  # the pipeline records source failures itself; this is a bug in it
            log.exception("crawl:%s crashed after %.1fs", source_id, time.monotonic() - t0)
            return
        if getattr(result, "new", 0) or getattr(result, "revised", 0):
            self.flush_outbox()  # instant alerts go out now, not at the next minute tick

    def flush_outbox(self) -> None:
        if self.stop.is_set():
            return
        from monitor.pipeline import queue_and_send_alerts

        if not self.alerts_lock.acquire(blocking=False):
            return  # another thread is on it
        try:
            store = self._open()
            try:
                queue_and_send_alerts(self.cfg, store, send=True)
            finally:
                store.close()
        except Exception:
            log.exception("outbox flush failed")
        finally:
            self.alerts_lock.release()

    def digest(self, name: str) -> None:
        if self.stop.is_set():
            return
        import alerts

        t0 = time.monotonic()
        with self.alerts_lock:
            store = self._open()
            try:
                result = alerts.run_digests(store.db, self.cfg, subscription=name, send=True)
            except Exception:
                log.exception("digest:%s failed after %.1fs", name, time.monotonic() - t0)
                return
            finally:
                store.close()
        log.info("digest:%s done in %.1fs: %s", name, time.monotonic() - t0, result)

    def ops_check(self) -> None:
        if self.stop.is_set():
            return
        from alerts.ops import check_ops

        store = self._open()
        try:
            check_ops(store.db, self.cfg, now=datetime.now(ZoneInfo(self.cfg.timezone)))
        except Exception:
            log.exception("ops check failed")
        finally:
            store.close()


def _add_jobs(scheduler: BaseScheduler, rt: Runtime, *, run_now: bool = False) -> None:
    cfg = rt.cfg
    tz = ZoneInfo(cfg.timezone)
    now = datetime.now(tz)
    # explicit on every job (not only job_defaults): visible before start, and follows a reloaded config
    opts = {"coalesce": True, "max_instances": 1, "misfire_grace_time": cfg.misfire_grace, "replace_existing": True}
    for sid in scheduled_sources(cfg):
        expr = effective_schedule(sid, cfg.sources.get(sid))
        extra = {"next_run_time": now} if run_now else {}
        scheduler.add_job(rt.crawl, cron_trigger(expr, timezone=tz, jitter=cfg.jitter), args=[sid],
                          id=f"crawl:{sid}", name=f"crawl {sid} [{expr}]", **opts, **extra)
    for sub in cfg.subscriptions:
        expr = digest_schedule(cfg, sub)
        if expr is None:
            continue
        scheduler.add_job(rt.digest, cron_trigger(expr, timezone=tz), args=[sub.name], id=f"digest:{sub.name}",
                          name=f"{sub.mode} digest {sub.name} [{expr}]", **opts)
    scheduler.add_job(rt.flush_outbox, IntervalTrigger(seconds=OUTBOX_EVERY, timezone=tz), id="outbox",
                      name="outbox flush", **opts)
    if cfg.ops.to:
        scheduler.add_job(rt.ops_check, IntervalTrigger(seconds=OPS_EVERY, timezone=tz), id="ops",
                          name="ops health check", **opts)


def build_scheduler(cfg: Config, *, config_path: str | Path, blocking: bool = True, run_now: bool = False,
                    runtime: Runtime | None = None) -> BlockingScheduler | BackgroundScheduler:
    """A scheduler (not started) with one job per enabled source, digest, outbox and ops; `.regwatch` = Runtime."""
    rt = runtime or Runtime(cfg=cfg, config_path=str(config_path))
    n_jobs = len(cfg.sources.items()) + len(cfg.subscriptions) + 2
    cls = BlockingScheduler if blocking else BackgroundScheduler
    scheduler = cls(
        timezone=ZoneInfo(cfg.timezone),
        executors={"default": ThreadPoolExecutor(max_workers=max(4, min(n_jobs, 16)))},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": cfg.misfire_grace},
    )
    scheduler.regwatch = rt  # type: ignore[attr-defined]
    _add_jobs(scheduler, rt, run_now=run_now)
    return scheduler


def reschedule(scheduler: BaseScheduler, new_cfg: Config) -> None:
    """Swap the config and replace every job. Running jobs finish on the old config; max_instances still holds."""
    rt: Runtime = scheduler.regwatch  # type: ignore[attr-defined]
    old_ids = {j.id for j in scheduler.get_jobs()}
    rt.cfg = new_cfg
    for job_id in old_ids:
        scheduler.remove_job(job_id)
    _add_jobs(scheduler, rt)
    new_ids = {j.id for j in scheduler.get_jobs()}
    log.info("config reloaded from %s: %d jobs (added %s, removed %s)", rt.config_path, len(new_ids),
             sorted(new_ids - old_ids) or "none", sorted(old_ids - new_ids) or "none")


def describe_jobs(scheduler: BaseScheduler) -> list[str]:
    out = []
    for job in sorted(scheduler.get_jobs(), key=lambda j: j.id):
        nxt = getattr(job, "next_run_time", None)
        if nxt is None and hasattr(job.trigger, "get_next_fire_time"):
            nxt = job.trigger.get_next_fire_time(None, datetime.now(scheduler.timezone))
        out.append(f"{job.id}: {job.name}, next {nxt.isoformat(timespec='seconds') if nxt else 'never'}")
    return out


# ---------------------------------------------------------------- serve


def load_for_serve(path: str | Path) -> Config:
    """load_config with env secrets checked, and a relative database path taken relative to the config file
    (as the CLI does), so systemd's working directory does not matter."""
    cfg = load_config(path, check_env=True)
    if not Path(cfg.database).expanduser().is_absolute():
        cfg.database = str((Path(path).parent / cfg.database).resolve())
    return cfg


def _setup_logging(verbose: bool) -> None:
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO, stream=sys.stderr,
                            format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    reg = logging.getLogger("regwatch")
    if reg.getEffectiveLevel() > logging.INFO:
        # the CLI is quiet without -v; a service logs its one line per run (counts, timing) and its lifecycle
        reg.setLevel(logging.INFO)
    if not verbose:
        logging.getLogger("apscheduler").setLevel(logging.WARNING)  # "Running job ..." twice a minute is noise
        logging.getLogger("httpx").setLevel(logging.WARNING)


def serve(config_path: str | Path | None = None, *, run_now: bool = False, verbose: bool = False) -> int:
    """Run the scheduler until SIGTERM/SIGINT. Returns the exit code (0 clean stop, 2 invalid config)."""
    _setup_logging(verbose)
    path = str(config_path or os.environ.get("MONITOR_CONFIG") or "config.yaml")
    try:
        cfg = load_for_serve(path)
    except ConfigError as exc:
        print(f"invalid config {exc}", file=sys.stderr)
        return 2
    run_now = run_now or os.environ.get(RUN_NOW_ENV, "").lower() in {"1", "true", "yes"}
    scheduler = build_scheduler(cfg, config_path=path, blocking=False, run_now=run_now)
    rt: Runtime = scheduler.regwatch  # type: ignore[attr-defined]

    wake = threading.Event()
    pending: list[str] = []  # signals to handle on the main loop, not inside the handler

    def on_signal(signum: int, _frame: Any) -> None:
        name = signal.Signals(signum).name
        if name in ("SIGTERM", "SIGINT") and rt.stop.is_set():
            # second stop request while draining: the operator means it
            os.write(2, b"regwatch: second stop signal, exiting without waiting\n")
            os._exit(1)
        if name in ("SIGTERM", "SIGINT"):
            rt.stop.set()  # at once: the pipeline sees it after the notice in hand
        pending.append(name)
        wake.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGHUP, on_signal)

    scheduler.start()
    log.info("serve started (pid %d, config %s, timezone %s, database %s)%s", os.getpid(), path, cfg.timezone,
             cfg.db_path(), ": running every source now" if run_now else "")
    for line in describe_jobs(scheduler):
        log.info("job %s", line)

    while True:
        wake.wait(1.0)
        wake.clear()
        while pending:
            sig = pending.pop(0)
            if sig == "SIGHUP":
                _reload(scheduler, path)
                continue
            log.info("%s received: finishing the notice in hand, then stopping", sig)
            t0 = time.monotonic()
            scheduler.shutdown(wait=True)
            log.info("stopped cleanly in %.1fs", time.monotonic() - t0)
            return 0


def _reload(scheduler: BaseScheduler, path: str) -> None:
    try:
        new_cfg = load_for_serve(path)
    except ConfigError as exc:
        for line in str(exc).splitlines():
            log.error("config reload rejected, keeping the running config: %s", line)
        return
    except OSError as exc:
        log.error("config reload failed, keeping the running config: %s", exc)
        return
    reschedule(scheduler, new_cfg)
    for line in describe_jobs(scheduler):
        log.info("job %s", line)
