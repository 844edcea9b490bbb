"""A notices/runs database shaped like monitor.store's, for alerts tests (no dependency on the store)."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import sqlite_utils

from alerts.outbox import migrations


def make_db(path=None) -> sqlite_utils.Database:
    db = sqlite_utils.Database(path) if path else sqlite_utils.Database(memory=True)
    db["notices"].create({
        "id": str, "source": str, "issuer": str, "channel": str, "url": str, "title": str, "published": str,
        "doc_number": str, "text": str, "violations": str, "sanctions": str, "respondents": str,
        "fine_amount": float, "fine_currency": str, "labels": str, "amended": int, "first_seen": str,
        "last_seen": str, "content_hash": str,
    }, pk="id", if_not_exists=True)
    db["runs"].create({
        "id": int, "source": str, "started": str, "finished": str, "status": str, "new": int, "seen": int,
        "failed": int, "error": str, "requests": int,
    }, pk="id", if_not_exists=True)
    migrations.apply(db)
    return db


def ts(s: str) -> str:
    """'2026-11-26 10:00' (UTC) → ISO with offset, as the store writes."""
    return datetime.fromisoformat(s).replace(tzinfo=timezone.utc).isoformat(timespec="seconds")


def add_notice(db, nid: str, *, source="csrc", title="中国证监会行政处罚决定书(某某)", text="", first_seen="2026-11-26 10:00",
               violations=(), sanctions=(), respondents=(), fine=None, currency="CNY", evidence=None,
               published="2026-11-25", doc_number=None, issuer=None, url=None, labels=None) -> str:
    resp = [{"name": r, "type": "institution" if len(r) > 4 else "individual"} if isinstance(r, str) else r
            for r in respondents]
    lab = labels or {"violations": list(violations), "sanctions": list(sanctions), "respondents": resp,
                     "fine": {"amount": fine, "currency": currency} if fine is not None else None,
                     "evidence": evidence or {}}
    db["notices"].insert({
        "id": nid, "source": source, "issuer": issuer or {"csrc": "中国证监会", "amac": "中国证券投资基金业协会"}.get(source, source),
        "channel": None, "url": url or f"https://www.{source}.gov.cn/notice/{nid}.html", "title": title,
        "published": published, "doc_number": doc_number, "text": text, "violations": json.dumps(list(violations)),
        "sanctions": json.dumps(list(sanctions)), "respondents": json.dumps(resp, ensure_ascii=False),
        "fine_amount": fine, "fine_currency": currency if fine is not None else None,
        "labels": json.dumps(lab, ensure_ascii=False), "amended": 0, "first_seen": ts(first_seen),
        "last_seen": ts(first_seen), "content_hash": nid,
    })
    return nid


def add_run(db, source: str, status: str, *, started="2026-11-26 09:00", error=None, new=0) -> None:
    db["runs"].insert({"source": source, "started": ts(started), "finished": ts(started), "status": status,
                       "new": new, "seen": 0, "failed": 0 if status == "ok" else 1, "error": error, "requests": 1})
