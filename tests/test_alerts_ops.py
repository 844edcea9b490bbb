"""Ops alerts: N consecutive failures mail ops.to only, repeat every repeat_hours until fixed, then 'recovered'."""

import textwrap
from datetime import datetime, timedelta, timezone

from alerts.ops import check_ops
from alerts.outbox import flush_outbox
from monitor.config import parse_config
from tests.support.alert_db import add_run, make_db

T0 = datetime(2026, 11, 26, 10, 0, tzinfo=timezone.utc)


def cfg_for(port, threshold=3):
    return parse_config(textwrap.dedent(f"""
        smtp: {{host: 127.0.0.1, port: {port}, from: regwatch@example.com, timeout: 5}}
        sources: {{amac: {{}}, csrc: {{}}}}
        subscriptions:
          - {{name: business, to: [biz@example.com], mode: instant}}
        ops: {{to: [ops@example.com], failure_threshold: {threshold}, repeat_hours: 24}}
        """))


def run(db, cfg, now):
    check_ops(db, cfg, now=now)
    return flush_outbox(db, cfg.smtp, now=now)


def test_threshold_repeat_and_recovery(smtp_sink):
    db = make_db()
    cfg = cfg_for(smtp_sink.port)
    add_run(db, "csrc", "ok", started="2026-11-26 01:00")
    for h in (1, 2):
        add_run(db, "amac", "failed", started=f"2026-11-26 0{h}:00", error="BlockedError: WAF")
    assert run(db, cfg, T0).sent == 0  # two failures: below the threshold
    add_run(db, "amac", "failed", started="2026-11-26 03:00", error="BlockedError: WAF")
    assert run(db, cfg, T0).sent == 1
    assert run(db, cfg, T0 + timedelta(hours=1)).sent == 0  # not again within repeat_hours
    add_run(db, "amac", "failed", started="2026-11-27 03:00", error="BlockedError: WAF")
    assert run(db, cfg, T0 + timedelta(hours=24)).sent == 1  # repeated daily while failing
    add_run(db, "amac", "ok", started="2026-11-27 05:00")
    assert run(db, cfg, T0 + timedelta(hours=25)).sent == 1  # recovered
    assert run(db, cfg, T0 + timedelta(hours=60)).sent == 0
    msgs = smtp_sink.wait_for(3)
    assert {r for m in msgs for r in m.rcpt_tos} == {"ops@example.com"}  # never the business recipients
    subjects = [m.message["Subject"] for m in msgs]
    assert subjects[0] == "[regwatch] ops: 中国证券投资基金业协会 AMAC failing (3 runs)"
    assert subjects[1] == "[regwatch] ops: 中国证券投资基金业协会 AMAC failing (4 runs)"
    assert subjects[2] == "[regwatch] ops: 中国证券投资基金业协会 AMAC recovered"
    assert "BlockedError: WAF" in msgs[0].message.get_body(("plain",)).get_content()


def test_partial_runs_are_not_failures(smtp_sink):
    db = make_db()
    cfg = cfg_for(smtp_sink.port, threshold=1)
    add_run(db, "csrc", "partial", error="one detail page failed")
    assert run(db, cfg, T0).sent == 0


def test_no_ops_recipients_still_reports(smtp_sink):
    db = make_db()
    cfg = cfg_for(smtp_sink.port, threshold=1).model_copy(update={"ops": parse_config("ops: {failure_threshold: 1}").ops})
    add_run(db, "csrc", "failed", error="NetworkError")
    res = check_ops(db, cfg, now=T0)
    assert [h["source"] for h in res.failing] == ["csrc"] and res.queued == []
