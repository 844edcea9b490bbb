"""Alerts: subscriptions and watchlists (match, watchlist), instant alerts (instant), digests (digest, render),
SMTP (email), the outbox with exactly-once bookkeeping (outbox), ops alerts (ops), a local SMTP sink (smtp_sink).

The pipeline calls, after storing a run's notices:
    after_run(db, cfg, new_ids, now=now)   # dispatch + check_ops + flush_outbox → FlushResult
The CLI calls run_digests(...), flush_outbox(...), deliveries_view(...).
"""

from __future__ import annotations

from datetime import datetime

from alerts.digest import DigestResult, build_digest, run_digests, source_health, write_digest
from alerts.email import build_message, send_message, send_raw
from alerts.instant import dispatch, quiet_until
from alerts.match import match_subscription, severity
from alerts.ops import check_ops
from alerts.outbox import FlushResult, deliveries_view, flush_outbox, migrations, requeue
from alerts.render import render_digest
from alerts.watchlist import match_entities


def after_run(db, cfg, new_notice_ids: list[str], *, now: datetime, send: bool = True) -> FlushResult:
    """Queue instant alerts for the run's new (non-baseline) notices and ops alerts, then send what is due."""
    dispatch(db, cfg, new_notice_ids, now=now)
    check_ops(db, cfg, now=now)
    return flush_outbox(db, cfg.smtp, now=now) if send else FlushResult()


__all__ = [
    "DigestResult", "FlushResult", "after_run", "build_digest", "build_message", "check_ops", "deliveries_view",
    "dispatch", "flush_outbox", "match_entities", "match_subscription", "migrations", "quiet_until", "render_digest",
    "requeue", "run_digests", "send_message", "send_raw", "severity", "source_health", "write_digest",
]
