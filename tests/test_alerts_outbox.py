"""Outbox: dedupe, ledger, retries with backoff, failures, crash windows (exactly once after restart), quiet hours.

Every test talks to a real aiosmtpd server on 127.0.0.1 (tests/support/smtp_fixture.py)."""

import json
import subprocess
import sys
import textwrap
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

import alerts
from alerts import outbox
from alerts.instant import dispatch, quiet_until
from alerts.outbox import deliveries_view, flush_outbox
from monitor.config import parse_config
from tests.support.alert_db import add_notice, make_db

NOW = datetime(2026, 11, 26, 4, 0, tzinfo=timezone.utc)  # 12:00 in Asia/Shanghai
REPO = Path(__file__).resolve().parents[1]


def make_cfg(port: int, subs: str = "", extra: str = ""):
    return parse_config(textwrap.dedent(f"""
        timezone: Asia/Shanghai
        smtp: {{host: 127.0.0.1, port: {port}, from: "监管监控 <regwatch@example.com>", timeout: 5}}
        subscriptions:
          - {{name: 即时, to: [a@example.com], mode: instant}}
        """) + textwrap.indent(textwrap.dedent(subs), "  ") + textwrap.dedent(extra))


class Crash(BaseException):
    """Stands for the process dying (not an Exception: nothing may catch it)."""


@pytest.fixture
def db():
    d = make_db()
    add_notice(d, "n1", title="关于对上海某某投资管理有限公司采取出具警示函措施的决定", text="当事人：上海某某投资管理有限公司",
               violations=["unfiled_product"], sanctions=["warning_letter"], respondents=["上海某某投资管理有限公司"],
               first_seen="2026-11-26 03:59")
    return d


def rows(db):
    return list(db.query("select * from deliveries order by id"))


def test_alert_sent_once_and_marked_after_acceptance(db, smtp_sink):
    cfg = make_cfg(smtp_sink.port)
    assert len(dispatch(db, cfg, ["n1"], now=NOW)) == 1
    assert dispatch(db, cfg, ["n1"], now=NOW) == []  # a re-run queues nothing
    r = flush_outbox(db, cfg.smtp, now=NOW)
    assert (r.sent, r.retry, r.failed, r.exit_code) == (1, 0, 0, 0)
    assert flush_outbox(db, cfg.smtp, now=NOW + timedelta(hours=1)).sent == 0
    (got,) = smtp_sink.wait_for(1)
    (row,) = rows(db)
    assert row["status"] == "sent" and row["sent_at"] and row["attempts"] == 1
    assert got.message["Message-ID"] == row["message_id"]
    assert "上海某某投资管理有限公司" in got.message.get_body(("plain",)).get_content()


def test_same_recipient_in_two_subscriptions_gets_one_alert(db, smtp_sink):
    cfg = make_cfg(smtp_sink.port, """\
          - {name: second, to: [A@Example.com], mode: instant, violations: [unfiled_product]}
        """)
    dispatch(db, cfg, ["n1"], now=NOW)
    flush_outbox(db, cfg.smtp, now=NOW)
    assert len(smtp_sink.wait_for(1)) == 1
    assert [r["notice_id"] for r in db.query("select * from notice_ledger")] == ["n1"]


def test_filters_and_watchlist_instant(db, smtp_sink):
    cfg = make_cfg(smtp_sink.port, """\
          - {name: no-match, to: [b@example.com], mode: instant, sources: [amac]}
          - {name: daily-plain, to: [c@example.com], mode: daily}
          - {name: daily-watch, to: [d@example.com], mode: daily, watchlist: [上海某某投资管理有限责任公司]}
        """)
    dispatch(db, cfg, ["n1"], now=NOW)
    assert sorted(r["recipient"] for r in rows(db)) == ["a@example.com", "d@example.com"]
    flush_outbox(db, cfg.smtp, now=NOW)
    watch = [m for m in smtp_sink.wait_for(2) if m.rcpt_tos == ["d@example.com"]][0].message
    assert "watchlist hit" in watch["Subject"]
    body = watch.get_body(("plain",)).get_content()
    assert "上海某某投资管理有限责任公司 ← “上海某某投资管理有限公司” (exact, score 100" in body


@pytest.mark.parametrize("reply,phase", [("421 4.7.0 busy, try later", "data"), ("451 4.3.0 greylisted", "rcpt")])
def test_4xx_then_success_is_sent_once_after_backoff(db, smtp_sink, reply, phase):
    cfg = make_cfg(smtp_sink.port)
    dispatch(db, cfg, ["n1"], now=NOW)
    smtp_sink.fail_next(reply, phase=phase)
    r = flush_outbox(db, cfg.smtp, now=NOW)
    assert (r.sent, r.retry, r.failed, r.exit_code) == (0, 1, 0, 1)
    (row,) = rows(db)
    assert row["status"] == "pending" and row["last_code"] == int(reply[:3]) and reply[4:] in row["last_error"]
    assert row["next_attempt"] == (NOW + timedelta(seconds=60)).isoformat()
    assert flush_outbox(db, cfg.smtp, now=NOW + timedelta(seconds=30)).sent == 0  # not due yet
    r = flush_outbox(db, cfg.smtp, now=NOW + timedelta(seconds=61))
    assert (r.sent, r.retry, r.exit_code) == (1, 0, 0)
    assert len(smtp_sink.wait_for(1)) == 1
    assert rows(db)[0]["attempts"] == 2


def test_550_is_failed_with_the_reply_and_not_retried(db, smtp_sink):
    cfg = make_cfg(smtp_sink.port)
    dispatch(db, cfg, ["n1"], now=NOW)
    smtp_sink.fail_always("550 5.1.1 <a@example.com>: no such user", phase="rcpt")
    r = flush_outbox(db, cfg.smtp, now=NOW)
    assert (r.sent, r.retry, r.failed, r.exit_code) == (0, 0, 1, 1)
    assert "no such user" in r.errors[0]
    (v,) = deliveries_view(db)
    assert v["status"] == "failed" and v["last_code"] == 550 and "no such user" in v["last_error"]
    smtp_sink.clear_faults()
    assert flush_outbox(db, cfg.smtp, now=NOW + timedelta(days=3)).sent == 0
    assert smtp_sink.messages == []


def test_connection_refused_then_server_up(db, smtp_sink, closed_port):
    down = make_cfg(closed_port)
    dispatch(db, down, ["n1"], now=NOW)
    r = flush_outbox(db, down.smtp, now=NOW)
    assert (r.sent, r.retry, r.exit_code) == (0, 1, 1)
    assert "cannot connect" in rows(db)[0]["last_error"]
    up = make_cfg(smtp_sink.port)
    assert flush_outbox(db, up.smtp, now=NOW + timedelta(minutes=2)).sent == 1
    assert len(smtp_sink.wait_for(1)) == 1


def test_auth_failure_is_failed(db, smtp_auth_sink, monkeypatch):
    monkeypatch.setenv("RW_PW", "nope")
    cfg = make_cfg(smtp_auth_sink.port)
    dispatch(db, cfg, ["n1"], now=NOW)
    smtp = cfg.smtp.model_copy(update={"username": "user", "password_env": "RW_PW"})
    r = flush_outbox(db, smtp, now=NOW)
    assert r.failed == 1 and "authentication failed" in rows(db)[0]["last_error"]


def test_4xx_forever_gives_up(db, smtp_sink):
    cfg = make_cfg(smtp_sink.port)
    dispatch(db, cfg, ["n1"], now=NOW)
    smtp_sink.fail_always("451 4.3.0 later", phase="data")
    t = NOW
    for _ in range(outbox.MAX_ATTEMPTS):
        flush_outbox(db, cfg.smtp, now=t)
        t += timedelta(days=1)
    (row,) = rows(db)
    assert row["status"] == "failed" and "gave up after" in row["last_error"]


def test_crash_between_acceptance_and_mark_is_exactly_once(db, smtp_sink, monkeypatch):
    cfg = make_cfg(smtp_sink.port)
    dispatch(db, cfg, ["n1"], now=NOW)

    def crash(*a, **k):
        raise Crash()

    monkeypatch.setattr(outbox, "_mark_sent", crash)
    with pytest.raises(Crash):
        flush_outbox(db, cfg.smtp, now=NOW)
    assert len(smtp_sink.wait_for(1)) == 1  # the server accepted it
    assert rows(db)[0]["status"] == "sending"
    monkeypatch.undo()  # "restart"
    r = flush_outbox(db, cfg.smtp, now=NOW + timedelta(minutes=5))
    assert (r.sent, r.unconfirmed, r.exit_code) == (0, 1, 0)
    assert flush_outbox(db, cfg.smtp, now=NOW + timedelta(days=1)).sent == 0
    assert len(smtp_sink.messages) == 1  # exactly once
    (v,) = deliveries_view(db)
    assert v["status"] == "unconfirmed" and "assumed delivered" in v["last_error"]
    assert dispatch(db, cfg, ["n1"], now=NOW + timedelta(days=1)) == []  # and never queued again


def test_process_killed_after_acceptance_is_exactly_once(tmp_path, smtp_sink):
    path = tmp_path / "rw.db"
    db = make_db(str(path))
    add_notice(db, "n1", title="关于对张三采取市场禁入措施的决定", sanctions=["market_ban"], first_seen="2026-11-26 03:59")
    cfg = make_cfg(smtp_sink.port)
    dispatch(db, cfg, ["n1"], now=NOW)
    db.close()
    script = textwrap.dedent(f"""
        import os, sqlite_utils
        from datetime import datetime, timezone
        from alerts import outbox
        from monitor.config import SmtpConfig
        outbox._mark_sent = lambda *a, **k: os._exit(137)   # the process dies right after the server's 250
        db = sqlite_utils.Database({str(path)!r})
        outbox.flush_outbox(db, SmtpConfig(host="127.0.0.1", port={smtp_sink.port}),
                            now=datetime(2026, 11, 26, 4, tzinfo=timezone.utc))
        """)
    proc = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, timeout=60)
    assert proc.returncode == 137, proc.stderr.decode()
    assert len(smtp_sink.wait_for(1)) == 1
    import sqlite_utils

    db = sqlite_utils.Database(str(path))
    r = flush_outbox(db, cfg.smtp, now=NOW + timedelta(minutes=1))
    assert (r.sent, r.unconfirmed) == (0, 1)
    assert len(smtp_sink.messages) == 1


def test_crash_before_the_end_of_data_sends_once_after_restart(db, smtp_sink, monkeypatch):
    cfg = make_cfg(smtp_sink.port)
    dispatch(db, cfg, ["n1"], now=NOW)
    import alerts.email as em

    real = em._transaction

    def crash_mid_body(smtp, cfg_, password, sender, rcpt, raw, before_end):
        smtp.ehlo_or_helo_if_needed()
        smtp.mail(sender)
        smtp.rcpt(rcpt)
        smtp.docmd("data")
        smtp.send(raw[: len(raw) // 2])  # half the body on the wire, then the process dies
        raise Crash()

    monkeypatch.setattr(em, "_transaction", crash_mid_body)
    with pytest.raises(Crash):
        flush_outbox(db, cfg.smtp, now=NOW)
    assert rows(db)[0]["status"] == "claimed"
    monkeypatch.setattr(em, "_transaction", real)
    r = flush_outbox(db, cfg.smtp, now=NOW + timedelta(minutes=1))
    assert (r.sent, r.unconfirmed) == (1, 0)
    msgs = smtp_sink.wait_for(1)
    assert len(msgs) == 1 and msgs[0].message["Message-ID"] == rows(db)[0]["message_id"]


def test_unconfirmed_can_be_requeued_by_an_operator(db, smtp_sink, monkeypatch):
    cfg = make_cfg(smtp_sink.port)
    dispatch(db, cfg, ["n1"], now=NOW)

    def commit_then_die(db_, row_id, token):
        db_.execute("update deliveries set status = 'sending' where id = ?", [row_id])
        raise Crash()  # dies between the 'sending' commit and the final dot: the one window that loses a mail

    monkeypatch.setattr(outbox, "_mark_sending", commit_then_die)
    with pytest.raises(Crash):
        flush_outbox(db, cfg.smtp, now=NOW)
    monkeypatch.undo()
    assert flush_outbox(db, cfg.smtp, now=NOW).unconfirmed == 1
    assert smtp_sink.messages == []
    assert alerts.requeue(db, rows(db)[0]["id"], now=NOW)
    assert flush_outbox(db, cfg.smtp, now=NOW).sent == 1
    assert len(smtp_sink.wait_for(1)) == 1


def test_dropped_connection_after_data_is_retried(db, smtp_sink):
    cfg = make_cfg(smtp_sink.port)
    dispatch(db, cfg, ["n1"], now=NOW)
    smtp_sink.drop_next(phase="data")
    r = flush_outbox(db, cfg.smtp, now=NOW)
    assert r.retry == 1 and rows(db)[0]["status"] == "pending"
    assert flush_outbox(db, cfg.smtp, now=NOW + timedelta(minutes=2)).sent == 1
    assert len(smtp_sink.wait_for(1)) == 1


@pytest.mark.parametrize("local_now,quiet,deferred_to", [
    ("23:30", "22:00-07:00", "07:00"),
    ("06:59", "22:00-07:00", "07:00"),
    ("12:00", "22:00-07:00", None),
    ("13:00", "12:30-14:00", "14:00"),
    ("14:00", "12:30-14:00", None),
])
def test_quiet_until(local_now, quiet, deferred_to):
    from zoneinfo import ZoneInfo

    tz = ZoneInfo("Asia/Shanghai")
    now = datetime.fromisoformat(f"2026-11-26T{local_now}").replace(tzinfo=tz)
    got = quiet_until(now, quiet, "Asia/Shanghai")
    if deferred_to is None:
        assert got is None
    else:
        local = got.astimezone(tz)
        assert local.strftime("%H:%M") == deferred_to and local > now and local - now < timedelta(hours=24)


def test_quiet_hours_defer_the_send_not_the_queuing(db, smtp_sink):
    cfg = make_cfg(smtp_sink.port, """\
          - {name: night, to: [n@example.com], mode: instant, quiet_hours: "22:00-07:00"}
        """)
    night = datetime(2026, 11, 26, 15, 30, tzinfo=timezone.utc)  # 23:30 in Shanghai
    dispatch(db, cfg, ["n1"], now=night)
    assert {r["recipient"] for r in rows(db)} == {"a@example.com", "n@example.com"}
    flush_outbox(db, cfg.smtp, now=night)
    assert [m.rcpt_tos for m in smtp_sink.wait_for(1)] == [["a@example.com"]]
    assert flush_outbox(db, cfg.smtp, now=datetime(2026, 11, 26, 22, 59, tzinfo=timezone.utc)).sent == 0
    assert flush_outbox(db, cfg.smtp, now=datetime(2026, 11, 26, 23, 0, tzinfo=timezone.utc)).sent == 1  # 07:00
    assert len(smtp_sink.wait_for(2)) == 2


def test_deliveries_view_columns(db, smtp_sink):
    cfg = make_cfg(smtp_sink.port)
    dispatch(db, cfg, ["n1"], now=NOW)
    (v,) = deliveries_view(db)
    assert {"id", "created", "kind", "subscription", "recipient", "subject", "status", "attempts", "next_attempt",
            "sent_at", "last_code", "last_error", "notices"} <= set(v)
    assert v["kind"] == "alert" and v["notices"] == 1 and v["status"] == "pending"
    assert json.loads(next(db.query("select notice_ids from deliveries"))["notice_ids"]) == ["n1"]


def test_migrations_are_idempotent_and_named():
    import sqlite_utils

    d = sqlite_utils.Database(memory=True)
    outbox.migrations.apply(d)
    outbox.migrations.apply(d)
    assert {"deliveries", "notice_ledger", "digest_state", "ops_state"} <= set(d.table_names())
    assert outbox.migrations.name == "regwatch-alerts"
