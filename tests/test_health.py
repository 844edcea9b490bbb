"""Source health from runs rows: hysteresis, parse-failure flag, staleness, item bounds; the rich table."""

from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone

import pytest
import sqlite_utils
from rich.console import Console

from monitor.config import SourceConfig, parse_config
from monitor.health import evaluate, exit_code, render_sources_table, source_health

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=timezone.utc)


def run(status: str, seen: int = 0, new: int = 0, failed: int = 0, error: str | None = None, days_ago: float = 0,
        listed: int | None = None):
    t = (NOW - timedelta(days=days_ago)).isoformat(timespec="seconds")
    return {"source": "amac", "started": t, "finished": t, "status": status, "seen": seen, "new": new,
            "failed": failed, "error": error, "requests": 3, "duration": 1.5, "listed": listed}


def runs(*items):
    """Oldest first in the table below; evaluate() wants newest first."""
    return list(reversed(items))


OK = SourceConfig()
BOUNDED = SourceConfig(min_items=5, max_items=100)

# (id, runs oldest→newest, config, threshold, expected state, consecutive failures, extra assertions)
CASES = [
    ("never-run", [], OK, 3, "never run", 0, {}),
    ("one-ok", [run("ok", 20, 20)], OK, 3, "ok", 0, {"seen": 20, "new": 20}),
    ("one-failure-is-noted-not-failing", [run("ok", 20, 3), run("failed", error="NetworkError: refused")], OK, 3,
     "failed once", 1, {"failing": False}),
    ("two-failures-below-threshold", [run("ok", 20), run("failed", error="x"), run("failed", error="y")], OK, 3,
     "failed", 2, {"failing": False, "last_error": "y"}),
    ("threshold-reached", [run("ok", 20), run("failed"), run("failed"), run("failed", error="BlockedError: WAF")],
     OK, 3, "failing", 3, {"failing": True}),
    ("threshold-one", [run("failed", error="boom")], OK, 1, "failing", 1, {"failing": True}),
    ("recovery-resets-count", [run("failed"), run("failed"), run("failed"), run("ok", 10)], OK, 3, "ok", 0,
     {"failing": False}),
    ("partial-is-not-a-failure", [run("failed"), run("partial", 10, 2, 1, "one bad record")], OK, 3, "partial", 0,
     {"failed": 1}),
    ("running-row-skipped", [run("ok", 10), {**run("running"), "finished": None}], OK, 3, "ok", 0,
     {"running": True}),
    ("quiet-incremental-run-is-fine", [run("ok", 20), run("ok", 0)], OK, 3, "ok", 0, {"parse_failure": False}),
    ("zero-list-rows-after-items", [run("ok", 20, listed=20), run("ok", 0, listed=0)], OK, 3, "parse?", 0,
     {"parse_failure": True}),
    ("zero-items-not-modified-is-fine", [run("ok", 20, listed=20), run("ok", 0, listed=0,
                                                                       error="not modified (304)")], OK, 3, "ok", 0,
     {"parse_failure": False}),
    ("zero-items-first-run-no-flag", [run("ok", 0, listed=0)], OK, 3, "ok", 0, {"parse_failure": False}),
    ("parse-error-after-items", [run("ok", 20), run("failed", error="ParseError: list page has no rows")], OK, 3,
     "parse?", 1, {"parse_failure": True}),
    ("parse-error-in-partial-run", [run("ok", 20), run("partial", 2, 2, 1, error="ParseError: list page has no rows")],
     OK, 3, "parse?", 0, {"parse_failure": True}),
    ("below-min-items", [run("ok", 3, listed=3)], BOUNDED, 3, "bounds", 0,
     {"bounds_violation": "3 list rows seen, fewer than min_items 5"}),
    ("min-items-needs-list-rows", [run("ok", 0)], BOUNDED, 3, "ok", 0, {"bounds_violation": None}),
    ("above-max-items", [run("ok", 500)], BOUNDED, 3, "bounds", 0,
     {"bounds_violation": "500 items seen, more than max_items 100"}),
    ("within-bounds", [run("ok", 50, listed=50)], BOUNDED, 3, "ok", 0, {"bounds_violation": None}),
    ("failed-run-not-checked-for-bounds", [run("ok", 50), run("failed", error="x")], BOUNDED, 3, "failed once", 1,
     {"bounds_violation": None}),
    ("disabled", [run("ok", 5)], SourceConfig(enabled=False), 3, "disabled", 0, {}),
    ("not-configured", [], None, 3, "not configured", 0, {}),
]


@pytest.mark.parametrize(("history", "scfg", "threshold", "state", "consecutive", "extra"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_evaluate(history, scfg, threshold, state, consecutive, extra):
    h = evaluate("amac", runs(*history), scfg=scfg, threshold=threshold, last_new=NOW, now=NOW)
    assert h.state == state, h.problems
    assert h.consecutive_failures == consecutive
    for k, v in extra.items():
        assert getattr(h, k) == v, k
    assert bool(h.problems) == (state not in ("ok", "partial", "never run", "disabled", "not configured"))


@pytest.mark.parametrize(("cadence", "silent_days", "stale"), [
    (7, 3, False), (7, 7.5, True), (7, 30, True), (None, 365, False), (1, 0.5, False), (1, 2, True),
])
def test_stale_when_silent_beyond_cadence(cadence, silent_days, stale):
    scfg = SourceConfig(expected_cadence_days=cadence)
    h = evaluate("amac", [run("ok", 20)], scfg=scfg, last_new=NOW - timedelta(days=silent_days), now=NOW)
    assert h.stale is stale
    assert h.state == ("stale" if stale else "ok")
    if stale:
        assert f"no new notice for {silent_days:.1f} days" in h.problems[0]


def test_cadence_falls_back_to_source_info():
    class Info:
        name = "AMAC"
        expected_cadence_days = 7

    h = evaluate("amac", [run("ok", 20)], scfg=SourceConfig(), info=Info(),
                 last_new=NOW - timedelta(days=10), now=NOW)
    assert h.cadence_days == 7 and h.stale
    # config overrides the scraper's cadence
    h = evaluate("amac", [run("ok", 20)], scfg=SourceConfig(expected_cadence_days=30), info=Info(),
                 last_new=NOW - timedelta(days=10), now=NOW)
    assert h.cadence_days == 30 and not h.stale


def test_stale_with_no_notice_ever_counts_from_first_run():
    history = runs(run("ok", 0, days_ago=20), run("ok", 0, days_ago=1))
    h = evaluate("amac", history, scfg=SourceConfig(expected_cadence_days=7), last_new=None, now=NOW)
    assert h.stale and round(h.silent_days) == 20


def _db_with(rows, notices=()):
    db = sqlite_utils.Database(memory=True)
    db["runs"].create({"id": int, "source": str, "started": str, "finished": str, "status": str, "new": int,
                       "seen": int, "revised": int, "failed": int, "error": str, "requests": int,
                       "duration": float}, pk="id")
    db["notices"].create({"id": str, "source": str, "first_seen": str}, pk="id")
    for r in rows:
        db["runs"].insert({k: v for k, v in r.items() if k != "listed"})  # the real table has no listed (yet)
    for n in notices:
        db["notices"].insert(n)
    return db


CFG = parse_config("""
sources:
  amac:
    schedule: "0 9 * * 1-5"
    expected_cadence_days: 7
  csrc:
    enabled: false
ops:
  failure_threshold: 2
""")


def test_source_health_from_database():
    db = _db_with(
        [{**run("ok", 20, 20, days_ago=3), "source": "amac"},
         {**run("failed", error="NetworkError: refused", days_ago=2), "source": "amac"},
         {**run("failed", error="NetworkError: refused", days_ago=1), "source": "amac"},
         {**run("ok", 5, 1), "source": "csrc"}],
        [{"id": "a1", "source": "amac", "first_seen": (NOW - timedelta(days=3)).isoformat()}],
    )
    rows = {h.source: h for h in source_health(db, CFG, now=NOW, next_runs={"amac": NOW + timedelta(hours=1)})}
    assert set(rows) >= {"amac", "csrc", "sec"}
    amac = rows["amac"]
    assert (amac.state, amac.consecutive_failures, amac.failing, amac.notices) == ("failing", 2, True, 1)
    assert amac.next_run == NOW + timedelta(hours=1)
    assert amac.last_error == "NetworkError: refused"
    assert rows["csrc"].state == "disabled"
    assert rows["sec"].state == "not configured"
    assert exit_code(list(rows.values())) == 1


def test_source_health_on_empty_database():
    db = sqlite_utils.Database(memory=True)
    rows = source_health(db, CFG, now=NOW, next_runs={})
    amac = next(h for h in rows if h.source == "amac")
    assert amac.state == "never run"
    assert exit_code(rows) == 0


def test_render_table_has_one_row_per_configured_source():
    db = _db_with([{**run("ok", 20, 4), "source": "amac"}])
    rows = source_health(db, CFG, now=NOW, next_runs={"amac": datetime(2026, 11, 27, 1, 0, tzinfo=timezone.utc)})
    buf = io.StringIO()
    render_sources_table(rows, Console(file=buf, width=200, color_system=None), timezone_name="Asia/Shanghai")
    out = buf.getvalue()
    assert "amac" in out and "csrc" in out and "sec" not in out
    assert "2026-11-27 09:00" in out  # next run shown in the config's timezone
    assert "disabled" in out


def test_as_dict_is_json_ready():
    import json

    h = evaluate("amac", [run("ok", 1)], scfg=OK, now=NOW)
    d = json.loads(json.dumps(h.as_dict()))
    assert d["state"] == "ok" and d["last_started"].startswith("2026-11-26")
