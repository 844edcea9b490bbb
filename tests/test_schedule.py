"""The scheduler built from config (not started): jobs, triggers, timezone, jitter, coalescing, reload."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from monitor import schedule
from monitor.config import parse_config
from monitor.schedule import (Runtime, build_scheduler, cron_trigger, effective_schedule, next_run_times,
                              reschedule)

SH = ZoneInfo("Asia/Shanghai")


def _fake_source(sid, default_schedule="0 */2 * * *", cadence=None):
    return SimpleNamespace(SOURCE=SimpleNamespace(id=sid, name=sid.upper(), default_schedule=default_schedule,
                                                  expected_cadence_days=cadence))


@pytest.fixture(autouse=True)
def fake_registry(monkeypatch):
    """The scheduler only needs each scraper's SOURCE facts; keep these tests independent of scraper modules."""
    reg = {"amac": _fake_source("amac", "0 9,17 * * 1-5", 7), "csrc": _fake_source("csrc"),
           "nfra": _fake_source("nfra")}
    monkeypatch.setattr(schedule, "_registry", lambda: reg)
    return reg


CONFIG = """
timezone: Asia/Shanghai
jitter: 45
misfire_grace: 900
sources:
  amac: {}                      # schedule from the scraper: 0 9,17 * * 1-5
  csrc:
    schedule: "*/30 8-20 * * *"
  nfra:
    enabled: false
  sec:
    enabled: true               # configured but no scraper registered: not scheduled
subscriptions:
  - name: compliance
    to: a@example.com
    mode: daily
  - name: weekly-board
    to: b@example.com
    mode: weekly
  - name: custom
    to: c@example.com
    mode: daily
    schedule: "30 7 * * 1"
  - name: pager
    to: d@example.com
    mode: instant
ops:
  to: ops@example.com
digest:
  schedule: "0 18 * * *"
  weekly_schedule: "0 18 * * 5"
"""


@pytest.fixture
def cfg():
    return parse_config(CONFIG)


def _fields(trigger: CronTrigger) -> dict[str, str]:
    return {f.name: str(f) for f in trigger.fields}


def test_jobs_built_from_config(cfg, tmp_path):
    sched = build_scheduler(cfg, config_path=tmp_path / "config.yaml")
    assert isinstance(sched, BlockingScheduler)
    assert not sched.running
    ids = sorted(j.id for j in sched.get_jobs())
    assert ids == ["crawl:amac", "crawl:csrc", "digest:compliance", "digest:custom", "digest:weekly-board",
                   "ops", "outbox"]


def test_crawl_job_options(cfg, tmp_path):
    sched = build_scheduler(cfg, config_path=tmp_path / "config.yaml", blocking=False)
    assert isinstance(sched, BackgroundScheduler)
    assert sched.timezone == SH
    for sid in ("amac", "csrc"):
        job = sched.get_job(f"crawl:{sid}")
        assert job.coalesce is True
        assert job.max_instances == 1
        assert job.misfire_grace_time == 900
        assert isinstance(job.trigger, CronTrigger)
        assert job.trigger.timezone == SH
        assert job.trigger.jitter == 45
        assert job.args == (sid,)
    amac = _fields(sched.get_job("crawl:amac").trigger)
    # crontab 1-5 is Monday..Friday (APScheduler 3's own from_crontab would make it Tuesday..Saturday)
    assert (amac["minute"], amac["hour"], amac["day_of_week"]) == ("0", "9,17", "mon,tue,wed,thu,fri")
    csrc = _fields(sched.get_job("crawl:csrc").trigger)
    assert (csrc["minute"], csrc["hour"], csrc["day_of_week"]) == ("*/30", "8-20", "*")


def test_digest_jobs_follow_mode_and_schedule(cfg, tmp_path):
    sched = build_scheduler(cfg, config_path=tmp_path / "c.yaml")
    daily = _fields(sched.get_job("digest:compliance").trigger)
    weekly = _fields(sched.get_job("digest:weekly-board").trigger)
    custom = _fields(sched.get_job("digest:custom").trigger)
    assert (daily["minute"], daily["hour"], daily["day_of_week"]) == ("0", "18", "*")
    assert (weekly["hour"], weekly["day_of_week"]) == ("18", "fri")
    assert (custom["minute"], custom["hour"], custom["day_of_week"]) == ("30", "7", "mon")
    assert sched.get_job("digest:compliance").args == ("compliance",)
    assert sched.get_job("digest:pager") is None  # instant: sent by the outbox job
    for jid in ("digest:compliance", "digest:weekly-board"):
        job = sched.get_job(jid)
        assert job.trigger.jitter is None and job.coalesce and job.max_instances == 1
        assert job.trigger.timezone == SH


def test_outbox_and_ops_jobs(cfg, tmp_path):
    sched = build_scheduler(cfg, config_path=tmp_path / "c.yaml")
    outbox, ops = sched.get_job("outbox"), sched.get_job("ops")
    assert isinstance(outbox.trigger, IntervalTrigger)
    assert outbox.trigger.interval == timedelta(seconds=60)
    assert isinstance(ops.trigger, IntervalTrigger)
    assert outbox.max_instances == 1 and outbox.coalesce


def test_no_ops_job_without_ops_recipients(tmp_path):
    cfg = parse_config("sources:\n  csrc: {}\n")
    ids = {j.id for j in build_scheduler(cfg, config_path=tmp_path / "c.yaml").get_jobs()}
    assert ids == {"crawl:csrc", "outbox"}


def test_timezone_from_config(tmp_path):
    cfg = parse_config("timezone: Europe/London\njitter: 0\nsources:\n  csrc:\n    schedule: '0 6 * * *'\n")
    sched = build_scheduler(cfg, config_path=tmp_path / "c.yaml")
    job = sched.get_job("crawl:csrc")
    assert job.trigger.timezone == ZoneInfo("Europe/London")
    assert job.trigger.jitter is None  # jitter 0: exact times


def test_run_now_fires_at_start_then_follows_cron(cfg, tmp_path):
    sched = build_scheduler(cfg, config_path=tmp_path / "c.yaml", blocking=False, run_now=True)
    sched.start(paused=True)
    try:
        now = datetime.now(SH)
        for sid in ("amac", "csrc"):
            job = sched.get_job(f"crawl:{sid}")
            assert abs((job.next_run_time - now).total_seconds()) < 30
            assert isinstance(job.trigger, CronTrigger)  # after the first run, the cron again
        assert sched.get_job("digest:compliance").next_run_time > now
    finally:
        sched.shutdown(wait=False)


@pytest.mark.parametrize(("expr", "dow"), [
    ("0 9 * * 1-5", "mon,tue,wed,thu,fri"),
    ("0 9 * * 0", "sun"),
    ("0 9 * * 7", "sun"),
    ("0 9 * * 5-7", "fri,sat,sun"),
    ("0 9 * * */2", "tue,thu,sat,sun"),
    ("0 9 * * mon-fri", "mon,tue,wed,thu,fri"),
    ("0 9 * * 6,0", "sat,sun"),
    ("0 9 * * 0-6", "*"),
    ("0 9 * * *", "*"),
])
def test_crontab_weekdays(expr, dow):
    assert _fields(cron_trigger(expr, timezone="UTC"))["day_of_week"] == dow


@pytest.mark.parametrize("expr", ["0 9 * * 8", "0 9 * * 5-2", "0 9 * *", "61 * * * *", "0 9 * * funday"])
def test_crontab_rejects(expr):
    with pytest.raises(ValueError):
        cron_trigger(expr, timezone="UTC")


def test_config_accepts_sunday_as_7():
    assert parse_config("sources:\n  csrc:\n    schedule: '0 9 * * 7'\n").sources.csrc.schedule == "0 9 * * 7"


def test_effective_schedule(cfg):
    assert effective_schedule("amac", cfg.sources.amac) == "0 9,17 * * 1-5"  # scraper default
    assert effective_schedule("csrc", cfg.sources.csrc) == "*/30 8-20 * * *"  # config wins


def test_next_run_times(cfg):
    now = datetime(2026, 11, 28, 12, 0, tzinfo=SH)  # a Saturday
    nxt = next_run_times(cfg, now=now)
    assert set(nxt) == {"amac", "csrc"}
    assert nxt["amac"] == datetime(2026, 11, 30, 9, 0, tzinfo=SH)  # Monday 09:00
    assert nxt["csrc"] == datetime(2026, 11, 28, 12, 30, tzinfo=SH)


def test_reschedule_replaces_jobs(cfg, tmp_path):
    sched = build_scheduler(cfg, config_path=tmp_path / "c.yaml", blocking=False)
    rt = sched.regwatch
    new = parse_config("""
timezone: Asia/Shanghai
sources:
  amac:
    enabled: false
  csrc:
    schedule: "15 * * * *"
  nfra: {}
subscriptions:
  - name: compliance
    to: a@example.com
""")
    reschedule(sched, new)
    assert rt.cfg is new
    ids = sorted(j.id for j in sched.get_jobs())
    assert ids == ["crawl:csrc", "crawl:nfra", "digest:compliance", "outbox"]
    assert _fields(sched.get_job("crawl:csrc").trigger)["minute"] == "15"


def test_runtime_crawl_uses_current_config_and_respects_stop(cfg, tmp_path):
    calls = []

    def fake_run(c, sid, *, stop):
        calls.append((c, sid, stop))
        return SimpleNamespace(new=0, revised=0)

    rt = Runtime(cfg=cfg, config_path=str(tmp_path / "c.yaml"), run_source=fake_run)
    rt.crawl("amac")
    assert calls == [(cfg, "amac", rt.stop)]
    rt.stop.set()
    rt.crawl("csrc")
    assert len(calls) == 1  # a job that starts after SIGTERM does nothing


def test_runtime_crawl_survives_pipeline_crash(cfg, tmp_path, caplog):
    def boom(c, sid, *, stop):
        raise RuntimeError("bug")

    rt = Runtime(cfg=cfg, config_path=str(tmp_path / "c.yaml"), run_source=boom)
    rt.crawl("amac")
    assert "crawl:amac crashed" in caplog.text


def test_max_instances_one_means_overlapping_run_is_skipped(tmp_path):
    """A source whose run outlasts its interval is not started twice (real scheduler, loopback only)."""
    cfg = parse_config("jitter: 0\nsources:\n  csrc:\n    schedule: '* * * * *'\n")
    started = threading.Event()
    release = threading.Event()
    calls = []

    def slow_run(c, sid, *, stop):
        calls.append(sid)
        started.set()
        release.wait(20)
        return SimpleNamespace(new=0, revised=0)

    rt = Runtime(cfg=cfg, config_path=str(tmp_path / "c.yaml"), run_source=slow_run)
    sched = build_scheduler(cfg, config_path=tmp_path / "c.yaml", blocking=False, runtime=rt)
    sched.remove_job("outbox")
    sched.start()
    try:
        sched.get_job("crawl:csrc").modify(next_run_time=datetime.now(SH))
        assert started.wait(10)
        sched.get_job("crawl:csrc").modify(next_run_time=datetime.now(SH))  # due again while still running
        import time

        time.sleep(1.5)
        assert calls == ["csrc"]
    finally:
        release.set()
        sched.shutdown(wait=True)
