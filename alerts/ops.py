"""Ops alerts: a source failing `ops.failure_threshold` consecutive runs mails `ops.to` (never subscribers),
again every `ops.repeat_hours` while it keeps failing, and once more when it recovers.

State per failing source lives in `ops_state` (failing_since, last_alert, alerts) so repeats survive restarts; the
dedupe key (ops:<source>:<failing_since>:<n>:<rcpt>) makes a re-run of the same check queue nothing new.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from alerts.digest import iso, parse_ts, source_health, utc
from alerts.email import build_message, message_id_for
from alerts.outbox import ensure_tables, queue
from alerts.render import render_ops


@dataclass
class OpsResult:
    failing: list[dict] = field(default_factory=list)  # source_health dicts at or over the threshold
    recovered: list[str] = field(default_factory=list)
    queued: list[int] = field(default_factory=list)


def check_ops(db, cfg, *, now: datetime) -> OpsResult:
    """Queue ops mails for sources over the failure threshold (send them with flush_outbox)."""
    ensure_tables(db)
    now = utc(now)
    res = OpsResult()
    threshold = cfg.ops.failure_threshold
    repeat = timedelta(hours=cfg.ops.repeat_hours)
    health = {h["source"]: h for h in source_health(db, cfg, now=now)}
    state = {r["source"]: r for r in db.query("select * from ops_state")}
    for sid, h in health.items():
        st = state.get(sid)
        if h["consecutive_failures"] >= threshold:
            res.failing.append(h)
            if st is None:
                st = {"source": sid, "failing_since": iso(now), "last_alert": None, "alerts": 0}
                db.execute("insert or ignore into ops_state (source, failing_since, last_alert, alerts) "
                           "values (?, ?, null, 0)", [sid, st["failing_since"]])
            last = parse_ts(st["last_alert"])
            if last is not None and now - last < repeat:
                continue
            if not cfg.ops.to:
                continue
            subject, text, html = render_ops(source=h, subject_prefix=cfg.digest.subject_prefix)
            n = st["alerts"] + 1
            for rcpt in cfg.ops.to:
                key = f"ops:{sid}:{st['failing_since']}:{n}:{rcpt.strip().lower()}"
                did = _queue(db, cfg, key, rcpt, subject, text, html, now)
                if did is not None:
                    res.queued.append(did)
            db.execute("update ops_state set last_alert = ?, alerts = ? where source = ?", [iso(now), n, sid])
        elif st is not None and h["consecutive_failures"] == 0 and h["last_run"] is not None:
            res.recovered.append(sid)
            if st["alerts"] and cfg.ops.to:
                subject, text, html = render_ops(source=h, recovered=True, subject_prefix=cfg.digest.subject_prefix)
                for rcpt in cfg.ops.to:
                    key = f"ops-recovered:{sid}:{st['failing_since']}:{rcpt.strip().lower()}"
                    did = _queue(db, cfg, key, rcpt, subject, text, html, now)
                    if did is not None:
                        res.queued.append(did)
            db.execute("delete from ops_state where source = ?", [sid])
    return res


def _queue(db, cfg, key, rcpt, subject, text, html, now) -> int | None:
    mid = message_id_for(key, cfg.smtp.from_)
    msg = build_message(from_addr=cfg.smtp.from_, to=rcpt, subject=subject, text=text, html=html, message_id=mid,
                        date=now, from_name="regwatch ops")
    return queue(db, kind="ops", dedupe_key=key, recipient=rcpt, subject=subject, message=msg.as_bytes(),
                 message_id=mid, now=now)
