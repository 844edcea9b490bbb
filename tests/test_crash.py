"""A few crash trials in CI (bench/crash_trials.py runs ≥ 50): SIGKILL `monitor run` / `monitor digest --send`.

Each trial is real subprocesses against a loopback replay server and SMTP sink: after the kill the database passes
`PRAGMA integrity_check` and holds only complete notices, once each; the next run and send complete; every notice
reaches every recipient exactly once. Seed 1's trials 0, 1 and 4 kill a run mid-crawl (at its 27th stored notice), a
digest mid-send (19 ms after the sink accepted its first mail) and a run while it sends alerts (30 ms after the 23rd).

One kind of loss is documented and reported as xfail, never hidden: the outbox's at-most-once window (a kill between
the COMMIT of 'sending' and the final dot: the row becomes 'unconfirmed' and is never re-sent). Any other loss fails.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = 1
TRIALS = (0, 1, 4)  # of seed 1: a run mid-crawl, a digest mid-send, a run mid-alerts

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


def _bench():
    name = "regwatch_bench_crash_trials"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / "crash_trials.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses resolve their annotations through sys.modules
        spec.loader.exec_module(module)
    return sys.modules[name]


def test_plans_are_reproducible_and_cover_both_victims(tmp_path):
    ct = _bench()
    ref = ct.Reference(fixtures={}, notices={}, order=[], url_to_id={}, expected={}, run_requests=100, run_mails=50,
                       digest_mails=3, nosend_digest_mails=53, run_startup=1.0, run_exit=4.0, digest_exit=2.0,
                       nosend_digest_exit=4.0, workdir=tmp_path)
    plans = [ct.plan_trial(i, SEED, ref) for i in range(50)]
    assert plans == [ct.plan_trial(i, SEED, ref) for i in range(50)]
    assert {p.target for p in plans[:2]} == {"run", "digest"}
    assert {p.anchor for p in plans} == {"time", "http", "notice", "smtp"}
    for p in plans:
        assert p.anchor not in ("http", "notice") or p.target == "run"
        assert 0 <= p.delay <= 4.0
        if p.anchor == "smtp":
            limit = 50 if p.target == "run" else (53 if p.prior_no_send else 3)
            assert 1 <= p.k <= limit


def test_sigkill_trials_lose_and_duplicate_nothing(tmp_path):
    ct = _bench()
    ref = ct.build_reference(tmp_path / "ref")
    plans = [ct.plan_trial(i, SEED, ref) for i in TRIALS]
    assert [(p.target, p.anchor) for p in plans] == [("run", "notice"), ("digest", "smtp"), ("run", "smtp")]
    results = [ct.run_trial(p, ref, tmp_path / f"trial-{p.index}") for p in plans]
    report = "\n".join(r.line() + "".join(f"\n    {n}" for n in r.notes + r.steps_failed) for r in results)
    assert any(r.killed for r in results), report
    for r in results:
        assert r.integrity_failures == 0, report
        assert r.half_rows == 0 and r.order_violations == 0, report
        assert r.dup_notices == 0 and r.unexpected_notices == 0, report
        assert r.dup_mails == 0 and r.unexpected_mails == 0 and r.outbox_mismatches == 0, report
        assert not r.steps_failed, report
        # the only loss allowed is a mail lost in the outbox's at-most-once window, reported as xfail below
        assert not r.lost_notices, report
        assert len(r.lost_mails) == len(r.unconfirmed_lost), report
    if any(r.unconfirmed_lost for r in results):
        pytest.xfail("alerts/outbox: killed between the COMMIT of 'sending' and the final dot, the mail is "
                     "'unconfirmed' and never re-sent (at-most-once by design):\n" + report)
    assert all(r.ok for r in results), report
