"""Digest data: the notices first seen in a window, grouped by regulator then violation type, plus source health.

Window per subscription: from the end of its last sent digest (table `digest_state`) to now, so each notice is in
exactly one digest per subscription; a first digest covers one period (a day, or a week for weekly subscriptions).
`--date` gives that local calendar day instead. Previews (`--out`, `--dry-run`) never move the window.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date as date_cls, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from alerts.match import (SEVERITY_RANK, load_notices, match_subscription, notice_from_row, severity, to_cny,
                          watch_entities)
from alerts.render import clean_text, safe_url
from alerts.watchlist import describe_hit

SOURCE_ORDER = ("csrc", "amac", "nfra", "sse", "szse", "bse", "sec", "finra", "fca", "sfc")
SOURCE_NAMES = {
    "csrc": "中国证监会 CSRC", "amac": "中国证券投资基金业协会 AMAC", "nfra": "国家金融监督管理总局 NFRA",
    "sse": "上海证券交易所 SSE", "szse": "深圳证券交易所 SZSE", "bse": "北京证券交易所 BSE", "sec": "U.S. SEC",
    "finra": "FINRA", "fca": "UK FCA", "sfc": "Hong Kong SFC",
}
MAX_NOTICES_PER_DIGEST = 500  # a backfill must not produce a 50 MB mail; the rest is counted, not listed


def utc(dt: datetime) -> datetime:
    return dt.replace(tzinfo=timezone.utc) if dt.tzinfo is None else dt.astimezone(timezone.utc)


def iso(dt: datetime) -> str:
    return utc(dt).isoformat(timespec="seconds")


def parse_ts(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        return utc(datetime.fromisoformat(str(value).replace("Z", "+00:00")))
    except ValueError:
        return None


def one_line(value: Any, limit: int) -> str:
    """Scraped text for a single-line slot (title, name, evidence): cleaned, whitespace and line breaks folded."""
    return " ".join(clean_text(value, limit * 2).split())[:limit]


def label(tid: str) -> str:
    """Short display label of a taxonomy id: the first Chinese variant ('罚款 / 并处以X万元罚款' → '罚款')."""
    from monitor.taxonomy import load_taxonomy

    return one_line(load_taxonomy().label(tid).split(" / ")[0], 80)


def source_name(sid: str | None) -> str:
    return SOURCE_NAMES.get(sid or "", sid or "?")


# ---------------------------------------------------------------- source health


def source_health(db, cfg, *, now: datetime) -> list[dict]:
    """The digest footer's and ops mails' view of monitor.health (the same data `monitor sources` shows): one dict
    per source that is enabled or has runs. `state`: failing (its last run failed, `consecutive_failures` in a row),
    never_run, silent (no new notice for longer than its expected cadence), or ok."""
    from monitor.health import source_health as health_rows

    tz = ZoneInfo(cfg.timezone) if getattr(cfg, "timezone", None) else timezone.utc
    out = []
    for h in health_rows(db, cfg, now=utc(now), next_runs={}):
        if not (h.enabled or h.last_status is not None):
            continue
        last_run = h.last_finished or h.last_started
        state = ("failing" if h.consecutive_failures else "never_run" if h.last_status is None
                 else "silent" if h.stale else "ok")
        out.append({
            "source": h.source, "name": source_name(h.source), "state": state,
            "last_run": last_run.astimezone(tz).strftime("%Y-%m-%d %H:%M") if last_run else None,
            "last_status": h.last_status, "consecutive_failures": h.consecutive_failures,
            "last_error": clean_text(h.last_error, 300) if h.last_error else None,
            "last_new": h.last_new.astimezone(tz).date().isoformat() if h.last_new else None,
            "silent_days": round(h.silent_days, 1) if h.silent_days is not None else None,
            "cadence_days": float(h.cadence_days) if h.cadence_days else None,
        })
    return out


# ---------------------------------------------------------------- digest data


@dataclass
class Digest:
    subscription: str
    since: datetime
    until: datetime
    timezone: str
    notices: list[dict]  # view dicts, already sanitised
    groups: list[dict]
    health: list[dict]
    total: int
    omitted: int = 0
    filters: list[str] = field(default_factory=list)
    mode: str = "daily"

    @property
    def notice_ids(self) -> list[str]:
        return [n["id"] for n in self.notices]

    def local(self, dt: datetime) -> str:
        return dt.astimezone(ZoneInfo(self.timezone)).strftime("%Y-%m-%d %H:%M")

    def context(self) -> dict:
        return {
            "subscription": self.subscription, "mode": self.mode, "total": self.total, "omitted": self.omitted,
            "since": self.local(self.since), "until": self.local(self.until), "timezone": self.timezone,
            "groups": self.groups, "filters": self.filters,
            "failing": [h for h in self.health if h["state"] == "failing"],
            "silent": [h for h in self.health if h["state"] == "silent"],
            "never_run": [h for h in self.health if h["state"] == "never_run"],
            "healthy": [h for h in self.health if h["state"] == "ok"],
        }

    def without(self, exclude: set[str]) -> "Digest":
        """The same digest minus some notices (already sent to this recipient in another digest)."""
        keep = [n for n in self.notices if n["id"] not in exclude]
        return Digest(self.subscription, self.since, self.until, self.timezone, keep, group_notices(keep),
                      self.health, len(keep) + self.omitted, self.omitted, self.filters, self.mode)


def _money(amount: float | None, currency: str | None) -> str | None:
    if amount is None:
        return None
    cur = (currency or "CNY").upper()
    if cur in ("CNY", "RMB"):
        wan = amount / 10000
        return f"{wan:,.6g} 万元（{amount:,.0f} 元）" if amount >= 10000 else f"{amount:,.0f} 元"
    cny = to_cny(amount, cur)
    return f"{amount:,.0f} {cur}（≈ {cny:,.0f} 元）"


def _evidence(labels: dict, tid: str) -> str:
    ev = (labels.get("evidence") or {}).get(tid)
    if isinstance(ev, list):
        ev = "；".join(str(e.get("text", e)) if isinstance(e, dict) else str(e) for e in ev[:3])
    elif isinstance(ev, dict):
        ev = ev.get("text") or ev.get("span") or json.dumps(ev, ensure_ascii=False)
    return one_line(ev, 300) if ev else ""


def _sanction_detail(notice: dict, labels: dict, sid: str) -> str:
    params = (labels.get("sanction_params") or {}).get(sid) or {}
    if sid == "fine":
        return _money(notice.get("fine_amount"), notice.get("fine_currency")) or ""
    if sid == "confiscation":
        conf = labels.get("confiscation") or {}
        if isinstance(conf, dict) and conf.get("amount") is not None:
            return _money(conf.get("amount"), conf.get("currency")) or ""
        if isinstance(conf, (int, float)):
            return _money(conf, "CNY") or ""
    if isinstance(params, dict) and params:
        parts = []
        for k, v in params.items():
            if k in ("amount", "amount_cny") and isinstance(v, (int, float)):
                parts.append(_money(v, params.get("currency", "CNY")))
            elif k == "months":
                parts.append(f"{v} 个月")
            elif k == "years":
                parts.append(f"{v} 年")
            elif k in ("lifetime",) and v:
                parts.append("终身")
            elif k != "currency":
                parts.append(f"{k}: {v}")
        return clean_text("，".join(p for p in parts if p), 120)
    if isinstance(params, (str, int, float)) and params != "":
        return clean_text(str(params), 120)
    return ""


def notice_view(notice: dict, *, watch_hits: list[dict] | None = None) -> dict:
    """A notice as templates see it: every scraped string cleaned (control/bidi chars, length caps)."""
    labels = notice.get("labels") if isinstance(notice.get("labels"), dict) else {}
    resp = []
    for r in (notice.get("respondents") or [])[:20]:
        name = r.get("name") if isinstance(r, dict) else r
        if name:
            resp.append(one_line(name, 80))
    more = max(0, len(notice.get("respondents") or []) - 20)
    violations = [{"id": v, "label": label(v), "evidence": _evidence(labels, v)}
                  for v in (notice.get("violations") or [])]
    sanctions = [{"id": s, "label": label(s), "detail": _sanction_detail(notice, labels, s),
                  "evidence": _evidence(labels, s)} for s in (notice.get("sanctions") or [])]
    url = safe_url(notice.get("url"))
    text = " ".join((notice.get("text") or "").split())
    return {
        "id": notice["id"],
        "source": notice.get("source") or "",
        "regulator": source_name(notice.get("source")),
        "issuer": one_line(notice.get("issuer") or "", 60),
        "title": one_line(notice.get("title") or "(无标题)", 300),
        "url": url,
        "raw_url": clean_text(notice.get("url") or "", 300),
        "published": clean_text(notice.get("published") or "", 10),
        "doc_number": one_line(notice.get("doc_number") or "", 60),
        "respondents": resp,
        "respondents_more": more,
        "violations": violations,
        "sanctions": sanctions,
        # shown on its own line only when no 'fine' sanction carries it
        "fine": None if "fine" in (notice.get("sanctions") or []) else _money(notice.get("fine_amount"),
                                                                             notice.get("fine_currency")),
        "severity": severity(notice) or "",
        "amended": bool(notice.get("amended")),
        "excerpt": clean_text(text, 240),
        "watch_hits": [clean_text(describe_hit(h), 300) for h in (watch_hits or [])],
        "primary": (notice.get("violations") or ["other"])[0],
    }


def group_notices(views: list[dict]) -> list[dict]:
    """Regulator (source order), then violation type (most notices first); each notice once, under its first label."""
    by_src: dict[str, dict[str, list[dict]]] = {}
    for v in views:
        by_src.setdefault(v["source"], {}).setdefault(v["primary"], []).append(v)
    rank = {s: i for i, s in enumerate(SOURCE_ORDER)}
    groups = []
    for sid in sorted(by_src, key=lambda s: (rank.get(s, 99), s)):
        vio = by_src[sid]
        vgroups = [{"id": vid, "label": label(vid), "count": len(items),
                    "notices": sorted(items, key=lambda n: (n["published"], severity_rank(n["severity"]),
                                                            n["title"]), reverse=True)}
                   for vid, items in vio.items()]
        vgroups.sort(key=lambda g: (-g["count"], g["id"] == "other", g["id"]))
        sanctions: dict[str, int] = {}
        for g in vgroups:
            for n in g["notices"]:
                for s in n["sanctions"]:
                    sanctions[s["label"]] = sanctions.get(s["label"], 0) + 1
        groups.append({"source": sid, "regulator": source_name(sid), "count": sum(g["count"] for g in vgroups),
                       "violations": vgroups,
                       "sanction_counts": sorted(sanctions.items(), key=lambda kv: -kv[1])})
    return groups


def _describe_filters(sub) -> list[str]:
    if sub is None:
        return []
    out = []
    for key in ("sources", "violations", "sanctions", "keywords"):
        if getattr(sub, key):
            out.append(f"{key}: {', '.join(getattr(sub, key))}")
    if sub.severity != "any":
        out.append(f"severity ≥ {sub.severity}")
    if sub.watchlist:
        out.append(f"watchlist: {sub.watchlist if isinstance(sub.watchlist, str) else len(sub.watchlist)}")
    return [clean_text(x, 200) for x in out]


def _notices_in_window(db, since: datetime, until: datetime) -> list[dict]:
    if "notices" not in db.table_names():
        return []
    cols = {c.name for c in db["notices"].columns}
    # prefilter on the string with a day of margin (timestamp formats may differ), exact filter on parsed values
    lo = (since - timedelta(days=1)).date().isoformat()
    hi = (until + timedelta(days=1)).date().isoformat() + "T99"
    where = "first_seen >= ? and first_seen <= ?"
    # notices stored by a silent baseline run never reach anyone (store: alert_state 'baseline')
    if "alert_state" in cols:
        where += " and coalesce(alert_state, '') != 'baseline'"
    if "baseline" in cols:
        where += " and coalesce(baseline, 0) = 0"
    rows = db.query(f"select * from notices where {where} order by first_seen, id", [lo, hi])
    out = []
    for r in rows:
        fs = parse_ts(r.get("first_seen"))
        if fs is not None and since <= fs < until:
            out.append(notice_from_row(r))
    return out


def build_digest(db, cfg, subscription=None, *, since: datetime, until: datetime) -> Digest:
    """Notices first seen in [since, until) matching `subscription` (None: every source), grouped and annotated."""
    since, until = utc(since), utc(until)
    notices = _notices_in_window(db, since, until)
    views = []
    entities = watch_entities(cfg, subscription) if subscription is not None else []
    for n in notices:
        hits: list[dict] = []
        if subscription is not None:
            m = match_subscription(cfg, subscription, n, entities=entities)
            if m is None:
                continue
            hits = m.watch_hits
        views.append(notice_view(n, watch_hits=hits))
    total = len(views)
    omitted = max(0, total - MAX_NOTICES_PER_DIGEST)
    views = views[:MAX_NOTICES_PER_DIGEST]
    tz = cfg.timezone if cfg is not None else "Asia/Shanghai"
    return Digest(
        subscription=subscription.name if subscription is not None else "all sources",
        since=since, until=until, timezone=tz, notices=views, groups=group_notices(views),
        health=source_health(db, cfg, now=until), total=total, omitted=omitted,
        filters=_describe_filters(subscription), mode=subscription.mode if subscription is not None else "daily",
    )


def default_window(db, cfg, sub_name: str, mode: str, *, now: datetime,
                   day: date_cls | None = None) -> tuple[datetime, datetime]:
    """[since, until): the given local day; else from the last sent digest (or one period back) to now."""
    now = utc(now)
    if day is not None:
        tz = ZoneInfo(cfg.timezone)
        start = datetime.combine(day, datetime.min.time(), tzinfo=tz)
        return utc(start), utc(start + timedelta(days=1))
    last = None
    if "digest_state" in db.table_names():
        row = next(iter(db.query("select last_until from digest_state where subscription = ?", [sub_name])), None)
        last = parse_ts(row["last_until"]) if row else None
    if last is None:
        last = now - (timedelta(days=7) if mode == "weekly" else timedelta(days=1))
    return last, now


def severity_rank(s: str) -> int:
    return SEVERITY_RANK.get(s, 0)


def write_digest(out_dir: str | Path, subject: str, text: str, html: str) -> list[Path]:
    """The `monitor digest --out DIR` preview: DIR/digest.html and DIR/digest.txt."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    h, t = out / "digest.html", out / "digest.txt"
    h.write_text(html, encoding="utf-8")
    t.write_text(f"Subject: {subject}\n\n{text}", encoding="utf-8")
    return [h, t]


@dataclass
class RenderedDigest:
    subscription: str
    since: datetime
    until: datetime
    count: int
    subject: str
    text: str
    html: str
    recipients: list[str] = field(default_factory=list)
    queued: list[int] = field(default_factory=list)  # delivery ids
    digest: Digest | None = None


@dataclass
class DigestResult:
    digests: list[RenderedDigest] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    queued: int = 0
    flush: Any = None  # alerts.outbox.FlushResult when send=True
    messages: list[str] = field(default_factory=list)  # one summary line per digest (paths: .written)

    @property
    def exit_code(self) -> int:
        return self.flush.exit_code if self.flush is not None else 0


def _slug(name: str) -> str:
    import re

    s = re.sub(r"[^0-9A-Za-z\u4e00-\u9fff._-]+", "-", name).strip("-.")
    return s or "subscription"


def _select_subscriptions(cfg, name: str | None, *, send: bool) -> list:
    from monitor.errors import ConfigError

    if name is not None:
        for sub in cfg.subscriptions:
            if sub.name == name:
                return [sub]
        known = ", ".join(s.name for s in cfg.subscriptions) or "none configured"
        raise ConfigError([("subscriptions", None, f"no subscription named {name!r} (known: {known})")])
    subs = [s for s in cfg.subscriptions if s.mode in ("daily", "weekly")]
    if not subs and not send:
        return [None]  # preview with nothing configured: one all-sources digest
    return subs


def run_digests(db, cfg, *, date: str | date_cls | None = None, subscription: str | None = None,
                out: str | Path | None = None, send: bool = False, dry_run: bool = False,
                now: datetime | None = None) -> DigestResult:
    """Everything `monitor digest` does: build, render, optionally write previews, queue and send.

    send=True queues one delivery per recipient (minus notices that recipient already got in a digest) and moves
    the subscription's window; previews never move it. dry_run renders only: no files, no rows, no mail.
    """
    from alerts.email import build_message, message_id_for
    from alerts.outbox import already_delivered, ensure_tables, flush_outbox, queue
    from alerts.render import render_digest

    now = utc(now or datetime.now(timezone.utc))
    day = date_cls.fromisoformat(date) if isinstance(date, str) else date
    if not dry_run:
        ensure_tables(db)
    result = DigestResult()
    subs = _select_subscriptions(cfg, subscription, send=send)
    prefix = cfg.digest.subject_prefix
    for sub in subs:
        name = sub.name if sub is not None else "all sources"
        mode = sub.mode if sub is not None else "daily"
        since, until = default_window(db, cfg, name, mode, now=now, day=day)
        dg = build_digest(db, cfg, sub, since=since, until=until)
        subject, text, html = render_digest(dg, subject_prefix=prefix)
        rd = RenderedDigest(name, since, until, dg.total, subject, text, html,
                            list(sub.to) if sub is not None else [], digest=dg)
        result.digests.append(rd)
        result.messages.append(f"{name}: {dg.total} notice(s) first seen {dg.local(since)} – {dg.local(until)}")
        if not send or dry_run or sub is None:
            continue
        for rcpt in sub.to:
            seen = already_delivered(db, rcpt, dg.notice_ids, "digest")
            d_r, s_r, t_r, h_r = dg, subject, text, html
            if seen:
                d_r = dg.without(seen)
                s_r, t_r, h_r = render_digest(d_r, subject_prefix=prefix)
            key = f"digest:{name}:{rcpt.strip().lower()}:{iso(since)}:{iso(until)}"
            mid = message_id_for(key, cfg.smtp.from_)
            msg = build_message(from_addr=cfg.smtp.from_, to=rcpt, subject=s_r, text=t_r, html=h_r, message_id=mid,
                                date=now, extra_headers={"X-Regwatch-Subscription": name})
            did = queue(db, kind="digest", dedupe_key=key, recipient=rcpt, subject=s_r, message=msg.as_bytes(),
                        message_id=mid, notice_ids=d_r.notice_ids, subscription=name, now=now, ledger_kind="digest")
            if did is not None:
                rd.queued.append(did)
                result.queued += 1
        with db.atomic():
            row = next(iter(db.query("select last_until from digest_state where subscription = ?", [name])), None)
            if row is None or (parse_ts(row["last_until"]) or until) <= until:
                db.execute("insert or replace into digest_state (subscription, last_until, last_queued, notices) "
                           "values (?, ?, ?, ?)", [name, iso(until), iso(now), dg.total])
    if out is not None and not dry_run and result.digests:
        out = Path(out)
        if len(result.digests) == 1:
            rd = result.digests[0]
            result.written += write_digest(out, rd.subject, rd.text, rd.html)
        else:
            for rd in result.digests:
                result.written += write_digest(out / _slug(rd.subscription), rd.subject, rd.text, rd.html)
            since = min(rd.since for rd in result.digests)
            dg = build_digest(db, cfg, None, since=since, until=max(rd.until for rd in result.digests))
            result.written += write_digest(out, *render_digest(dg, subject_prefix=prefix))
    if send and not dry_run:
        result.flush = flush_outbox(db, cfg.smtp, now=now)  # its .errors are printed by the CLI
    return result


__all__ = ["DigestResult", "RenderedDigest", "run_digests", "Digest", "build_digest", "default_window", "group_notices", "load_notices", "notice_view",
           "source_health", "write_digest"]
