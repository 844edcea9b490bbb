"""Instant alerts: queue one mail per (matching notice × recipient) in the run that stored the notice.

Instant subscriptions alert on any match. A daily/weekly subscription with a watchlist also alerts at once on a
watchlist hit (`watchlist_instant`, default true: "a watchlist hit is mailed in the run that stored the notice");
the notice still appears in its digest, which is a different kind of delivery. Quiet hours defer the send (the row's
next_attempt), never the queuing.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from alerts.digest import notice_view, utc
from alerts.email import build_message, message_id_for
from alerts.match import load_notices, match_subscription, watch_entities
from alerts.outbox import already_delivered, ensure_tables, queue
from alerts.render import render_alert


def quiet_until(now: datetime, quiet_hours: str | None, tz: str) -> datetime | None:
    """End of the quiet period `now` falls in ("22:00-07:00", local time), else None."""
    if not quiet_hours:
        return None
    start_s, end_s = quiet_hours.split("-")
    start, end = time.fromisoformat(start_s), time.fromisoformat(end_s)
    local = utc(now).astimezone(ZoneInfo(tz))
    t = local.time().replace(tzinfo=None)
    if start == end:
        return None
    inside = (start <= t < end) if start < end else (t >= start or t < end)
    if not inside:
        return None
    end_dt = datetime.combine(local.date(), end, tzinfo=ZoneInfo(tz))
    if end_dt <= local:
        end_dt = datetime.combine(local.date() + timedelta(days=1), end, tzinfo=ZoneInfo(tz))
    return utc(end_dt)


def _instant_wanted(sub) -> str | None:
    if sub.mode == "instant":
        return "all"
    if getattr(sub, "watchlist_instant", True) and sub.watchlist:
        return "watchlist"
    return None


def dispatch(db, cfg, new_notice_ids: list[str], *, now: datetime) -> list[int]:
    """Queue instant alerts for newly stored notices; returns the new delivery ids (send with flush_outbox)."""
    ensure_tables(db)
    if not new_notice_ids:
        return []
    notices = load_notices(db, list(new_notice_ids))
    queued: list[int] = []
    for sub in cfg.subscriptions:
        wanted = _instant_wanted(sub)
        if wanted is None:
            continue
        entities = watch_entities(cfg, sub)
        not_before = quiet_until(now, sub.quiet_hours, cfg.timezone) or now
        for n in notices:
            m = match_subscription(cfg, sub, n, entities=entities)
            if m is None or (wanted == "watchlist" and not m.watch_hits):
                continue
            view = notice_view(n, watch_hits=m.watch_hits)
            subject, text, html = render_alert(subscription=sub.name, notice=view, filters=m.filters,
                                               subject_prefix=cfg.digest.subject_prefix)
            for rcpt in sub.to:
                if already_delivered(db, rcpt, [n["id"]], "alert"):
                    continue
                key = f"alert:{rcpt.strip().lower()}:{n['id']}"
                mid = message_id_for(key, cfg.smtp.from_)
                msg = build_message(from_addr=cfg.smtp.from_, to=rcpt, subject=subject, text=text, html=html,
                                    message_id=mid, date=now,
                                    extra_headers={"X-Regwatch-Subscription": sub.name})
                did = queue(db, kind="alert", dedupe_key=key, recipient=rcpt, subject=subject,
                            message=msg.as_bytes(), message_id=mid, notice_ids=[n["id"]], subscription=sub.name,
                            not_before=not_before, now=now, ledger_kind="alert")
                if did is not None:
                    queued.append(did)
    return queued
