"""SQLite store (sqlite-utils): notices with revisions, runs, HTTP validators, full-text search.

Every notice is committed on its own, so a crash loses at most the notice in hand. Alerts are queued from
`notices.alert_state = 'pending'`, which survives a crash between storing a notice and queuing its alerts.
"""

from __future__ import annotations

import json
import os
import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator, Literal

import sqlite_utils
from sqlite_utils.migrations import Migrations

from monitor.models import Notice, canonical_url

UpsertOutcome = Literal["new", "revised", "unchanged"]

migrations = Migrations("regwatch")


def utcnow() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@migrations()
def m001_initial(db: sqlite_utils.Database) -> None:
    db["notices"].create(
        {
            "id": str, "source": str, "issuer": str, "channel": str, "url": str, "url_key": str,
            "title": str, "published": str, "doc_number": str, "text": str,
            "violations": str, "sanctions": str, "respondents": str,
            "fine_amount": float, "fine_currency": str, "labels": str,
            "attachments": str, "extra": str,
            "first_seen": str, "last_seen": str, "content_hash": str,
            "amended": int, "revision_count": int, "alert_state": str, "run_id": int,
        },
        pk="id",
        not_null={"source", "url", "title", "first_seen", "last_seen", "content_hash"},
        defaults={"amended": 0, "revision_count": 0, "alert_state": "pending"},
    )
    db["notices"].create_index(["url_key"])
    db["notices"].create_index(["source", "first_seen"])
    db["notices"].create_index(["alert_state"])
    db["revisions"].create(
        {"id": int, "notice_id": str, "content_hash": str, "title": str, "text": str, "labels": str,
         "replaced_at": str, "run_id": int},
        pk="id", foreign_keys=[("notice_id", "notices", "id")],
    )
    db["revisions"].create_index(["notice_id"])
    db["runs"].create(
        {"id": int, "source": str, "started": str, "finished": str, "status": str, "new": int, "seen": int,
         "revised": int, "failed": int, "error": str, "requests": int, "duration": float, "baseline": int,
         "backfill": int, "pid": int},
        pk="id", defaults={"new": 0, "seen": 0, "revised": 0, "failed": 0, "requests": 0},
    )
    db["runs"].create_index(["source", "started"])
    db["http_cache"].create({"url": str, "etag": str, "last_modified": str, "updated": str}, pk="url")
    db["notices"].enable_fts(["title", "text"], tokenize="trigram", create_triggers=True)


def _apply_all(db: sqlite_utils.Database) -> None:
    migrations.apply(db)
    from alerts.outbox import migrations as alert_migrations  # alerts owns its own tables

    alert_migrations.apply(db)


class Store:
    """One connection to the regwatch database. Open one per thread (APScheduler jobs run in a pool)."""

    def __init__(self, path: str | Path | None = None, *, memory: bool = False, readonly: bool = False):
        self.path = None if memory or path is None else Path(path)
        if self.path is None:
            self.db = sqlite_utils.Database(memory=True)
        else:
            new_file = not self.path.exists()
            if new_file and not readonly:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                # the database holds recipients and watchlists: owner-only from the first byte
                fd = os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600)
                os.close(fd)
            if readonly:
                conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=30)
            else:
                conn = sqlite3.connect(str(self.path), timeout=30)
            self.db = sqlite_utils.Database(conn)
            if not readonly:
                self.db.execute("PRAGMA journal_mode=WAL")
                self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self.db.execute("PRAGMA busy_timeout=30000")
        if not readonly:
            _apply_all(self.db)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ notices

    def known_url(self, url: str) -> bool:
        if "notices" not in self.db.table_names():
            return False
        row = self.db.execute("select 1 from notices where url_key = ? limit 1", [canonical_url(url)]).fetchone()
        return row is not None

    def catch_up_floor(self, source: str, before_run: int) -> int | None:
        """First run of the unfinished streak before `before_run`: the id of the earliest run since the last ok one,
        or None when the previous run of the source ended ok (or there was none).

        A failed, partial or interrupted run may have stored the top of a list and lost the rest; the next run
        must not stop at list rows that streak stored, only at rows stored before it (see Context.continue_paging).
        """
        last_ok = self.db.execute("select max(id) from runs where source = ? and id < ? and status = 'ok'",
                                  [source, before_run]).fetchone()[0]
        row = self.db.execute("select min(id) from runs where source = ? and id < ? and id > ?",
                              [source, before_run, last_ok or 0]).fetchone()
        return row[0] if row else None

    def stored_before_run(self, url: str, run_id: int) -> bool:
        """A notice with this URL was stored (or last revised) by a run before `run_id`."""
        row = self.db.execute("select run_id from notices where url_key = ? limit 1", [canonical_url(url)]).fetchone()
        return row is not None and (row[0] is None or row[0] < run_id)

    def get_notice(self, notice_id: str) -> dict[str, Any] | None:
        rows = list(self.db.query("select * from notices where id = ?", [notice_id]))
        return rows[0] if rows else None

    def upsert_notice(self, notice: Notice, labels: dict[str, Any], *, run_id: int | None = None,
                      baseline: bool = False, now: str | None = None) -> tuple[str, UpsertOutcome]:
        """Insert a new notice, record a revision of a changed one, or touch last_seen. Commits."""
        now = now or utcnow()
        nid = notice.identity()
        chash = notice.content_hash()
        fine = labels.get("fine") or {}
        row = {
            "id": nid, "source": notice.source, "issuer": notice.issuer, "channel": notice.channel,
            "url": notice.url, "url_key": canonical_url(notice.url), "title": notice.title,
            "published": notice.published, "doc_number": notice.doc_number or labels.get("doc_number"),
            "text": notice.text,
            "violations": json.dumps(labels.get("violations", []), ensure_ascii=False),
            "sanctions": json.dumps(labels.get("sanctions", []), ensure_ascii=False),
            "respondents": json.dumps(labels.get("respondents", []), ensure_ascii=False),
            "fine_amount": fine.get("amount"), "fine_currency": fine.get("currency"),
            "labels": json.dumps(labels, ensure_ascii=False),
            "attachments": json.dumps([a.__dict__ for a in notice.attachments], ensure_ascii=False),
            "extra": json.dumps(notice.extra, ensure_ascii=False, default=str),
            "last_seen": now, "content_hash": chash, "run_id": run_id,
        }
        with self.db.conn:
            old = self.db.execute("select content_hash, title, text, labels, revision_count from notices where id = ?",
                                  [nid]).fetchone()
            if old is None:
                row.update(first_seen=now, amended=0, revision_count=0,
                           alert_state="baseline" if baseline else "pending")
                self.db["notices"].insert(row)
                return nid, "new"
            if old[0] == chash:
                self.db.execute("update notices set last_seen = ? where id = ?", [now, nid])
                return nid, "unchanged"
            self.db["revisions"].insert({
                "notice_id": nid, "content_hash": old[0], "title": old[1], "text": old[2], "labels": old[3],
                "replaced_at": now, "run_id": run_id,
            })
            row.update(amended=1, revision_count=(old[4] or 0) + 1)
            self.db["notices"].update(nid, row)
            return nid, "revised"

    def pending_alerts(self) -> list[str]:
        return [r[0] for r in self.db.execute(
            "select id from notices where alert_state = 'pending' order by first_seen, id").fetchall()]

    def mark_alerted(self, ids: list[str]) -> None:
        with self.db.conn:
            self.db.conn.executemany("update notices set alert_state = 'done' where id = ?", [(i,) for i in ids])

    def revisions(self, notice_id: str) -> list[dict[str, Any]]:
        return list(self.db.query("select * from revisions where notice_id = ? order by id", [notice_id]))

    def count_notices(self, source: str | None = None) -> int:
        if source:
            return self.db.execute("select count(*) from notices where source = ?", [source]).fetchone()[0]
        return self.db.execute("select count(*) from notices").fetchone()[0]

    def search(self, query: str, *, limit: int = 50, source: str | None = None) -> list[dict[str, Any]]:
        """Full-text search: FTS5 trigram for 3+ characters, LIKE for 1–2 (trigram cannot match those)."""
        q = query.strip()
        if not q:
            return []
        where_src = " and n.source = :source" if source else ""
        params: dict[str, Any] = {"limit": limit, "source": source}
        if len(q) >= 3:
            params["q"] = '"' + q.replace('"', '""') + '"'
            sql = ("select n.* from notices_fts f join notices n on n.rowid = f.rowid "
                   f"where notices_fts match :q{where_src} order by n.published desc, n.first_seen desc limit :limit")
        else:
            params["q"] = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            sql = ("select n.* from notices n where (n.title like :q escape '\\' or n.text like :q escape '\\')"
                   f"{where_src} order by n.published desc, n.first_seen desc limit :limit")
        return list(self.db.query(sql, params))

    def iter_notices(self, *, source: str | None = None, since: str | None = None) -> Iterator[dict[str, Any]]:
        clauses, params = [], []
        if source:
            clauses.append("source = ?")
            params.append(source)
        if since:
            clauses.append("first_seen >= ?")
            params.append(since)
        where = (" where " + " and ".join(clauses)) if clauses else ""
        yield from self.db.query(f"select * from notices{where} order by published desc, first_seen desc", params)

    # ------------------------------------------------------------------ runs

    def start_run(self, source: str, *, baseline: bool = False, backfill: bool = False) -> int:
        with self.db.conn:
            # a run left 'running' by a killed process never finished: say so instead of leaving it open
            self.db.execute(
                "update runs set status = 'failed', error = 'interrupted (process ended before the run finished)', "
                "finished = coalesce(finished, ?) where source = ? and status = 'running'", [utcnow(), source])
            return self.db["runs"].insert({
                "source": source, "started": utcnow(), "status": "running", "baseline": int(baseline),
                "backfill": int(backfill), "pid": os.getpid(),
            }).last_pk

    def finish_run(self, run_id: int, *, status: str, new: int, seen: int, revised: int, failed: int,
                   error: str | None, requests: int, duration: float) -> None:
        with self.db.conn:
            self.db["runs"].update(run_id, {
                "finished": utcnow(), "status": status, "new": new, "seen": seen, "revised": revised,
                "failed": failed, "error": error, "requests": requests, "duration": round(duration, 3),
            })

    def has_completed_run(self, source: str) -> bool:
        row = self.db.execute(
            "select 1 from runs where source = ? and status in ('ok', 'partial') limit 1", [source]).fetchone()
        return row is not None

    def last_runs(self, source: str, n: int = 10) -> list[dict[str, Any]]:
        return list(self.db.query("select * from runs where source = ? order by id desc limit ?", [source, n]))

    # ------------------------------------------------------------------ HTTP validators (conditional GET)

    def get_validators(self, url: str) -> tuple[str | None, str | None] | None:
        row = self.db.execute("select etag, last_modified from http_cache where url = ?", [url]).fetchone()
        return (row[0], row[1]) if row else None

    def set_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        with self.db.conn:
            self.db["http_cache"].upsert(
                {"url": url, "etag": etag, "last_modified": last_modified, "updated": utcnow()}, pk="url")


def notice_row_labels(row: dict[str, Any]) -> dict[str, Any]:
    """The stored classify output of a notices row."""
    try:
        return json.loads(row.get("labels") or "{}")
    except json.JSONDecodeError:
        return {}
