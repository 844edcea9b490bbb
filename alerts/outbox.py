"""The outbox: every mail (alert, digest or ops × recipient) is a `deliveries` row, sent by `flush_outbox`.

Guarantees and how they are kept
--------------------------------
* One row per delivery: `dedupe_key` is UNIQUE (alert:<rcpt>:<notice>, digest:<sub>:<rcpt>:<since>:<until>,
  ops:<source>:<since>:<n>:<rcpt>), so re-running a pipeline or a digest never queues a second mail.
* No notice reaches the same recipient twice, ever: `notice_ledger` has PRIMARY KEY (recipient, notice_id, kind)
  and is written in the same transaction as the delivery row that carries the notice. An alert whose
  (recipient, notice, 'alert') is in the ledger is not queued; a digest leaves out the notices already in the
  recipient's ledger for 'digest'. The ledger is never cleared, also not when a delivery fails for good.
* The message is rendered once, at queue time, and stored as bytes with a Message-ID derived from the dedupe key
  (alerts.email.message_id_for): every attempt sends the identical message, so a receiving system that collapses
  repeated Message-IDs (Gmail, most archives) would collapse any repeat too.
* Marked sent only after the server's 250 for the end of data.

States: pending → claimed → sending → sent | pending (4xx, retry with backoff) | failed (5xx, auth, gave up)
                                    → unconfirmed (crash recovery, see below)

The crash window
----------------
SMTP has no two-phase commit: between the server's 250 and our COMMIT of 'sent' a crash loses the knowledge that the
server accepted (RFC 1047). We shrink the ambiguous window to the end-of-data itself and resolve it towards "never
twice":

1. `claimed` (an atomic UPDATE ... WHERE status='pending', so two flushers never send the same row) is taken before
   connecting. A claim whose owner is gone (dead pid on this host, or a finished flush in this process, or older than
   STALE_CLAIM elsewhere) is put back to `pending`: the server never saw the final dot, so nothing was delivered and
   the next run sends it once. This covers crashes while connecting, authenticating, in MAIL/RCPT, and while the
   body is being transmitted (a server discards a transaction whose connection drops before the dot).
2. Right before the final "." is written (the whole body is already on the wire), the row becomes `sending` and is
   committed (alerts.email's `before_end` hook).
3. The server's 250 → `sent`. A 4xx/5xx reply, a timeout or a dropped connection after the dot are answers we did
   observe: they go back to `pending` (4xx, timeout, disconnect: the server did not say 250) or to `failed` (5xx).
4. A row found in `sending` whose owner is gone means we crashed after sending the dot and before recording the
   answer: almost always after the server accepted (the gap between writing five bytes and the COMMIT of step 2 is
   microseconds, as long as no WAL checkpoint runs inside it: flush_outbox turns the automatic checkpoint off and
   checkpoints between deliveries; the rest of the window is the server's processing and our commit). It becomes `unconfirmed`:
   treated as delivered (never re-sent automatically, so no recipient gets it twice), and listed by
   `deliveries_view` / `monitor deliveries` with the reason, so an operator can check the recipient's mailbox and
   re-queue by hand (`requeue(db, id)`) in the rare case it did not arrive. At-most-once for this one window is
   the deliberate choice: a compliance team can live with a visible "unconfirmed" line far better than with
   duplicate alerts after every restart, which is the complaint users of similar tools have.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Iterable

from sqlite_utils.migrations import Migrations

from monitor.errors import DeliveryError

migrations = Migrations("regwatch-alerts")

BACKOFF_SECONDS = (60, 300, 900, 3600, 4 * 3600, 12 * 3600)
MAX_ATTEMPTS = 8  # about two days of 4xx replies, then failed
STALE_CLAIM = timedelta(hours=1)  # a claim from another host older than this is abandoned

_ACTIVE: set[str] = set()  # claim tokens of flushes running in this process
_ACTIVE_LOCK = threading.Lock()
_HOST = socket.gethostname()


@migrations()
def m001_deliveries(db):
    db.execute("""
        create table if not exists deliveries (
            id integer primary key,
            dedupe_key text not null unique,
            kind text not null,                      -- alert | digest | ops
            subscription text,
            recipient text not null,
            notice_ids text not null default '[]',   -- JSON array
            subject text not null,
            message_id text not null,
            message blob not null,                   -- RFC 5322 bytes, frozen at queue time
            status text not null default 'pending',  -- pending|claimed|sending|sent|unconfirmed|failed
            attempts integer not null default 0,
            created text not null,
            next_attempt text not null,              -- not before: quiet hours, backoff
            claimed_by text,
            claimed_at text,
            sent_at text,
            last_code integer,
            last_error text,
            server_reply text
        )""")
    db.execute("create index if not exists deliveries_status on deliveries (status, next_attempt)")
    db.execute("""
        create table if not exists notice_ledger (
            recipient text not null,
            notice_id text not null,
            kind text not null,                      -- alert | digest
            delivery_id integer not null,
            created text not null,
            primary key (recipient, notice_id, kind)
        )""")
    db.execute("""
        create table if not exists digest_state (
            subscription text primary key,
            last_until text not null,                -- end of the window of the last queued digest (UTC ISO)
            last_queued text not null,
            notices integer not null default 0
        )""")
    db.execute("""
        create table if not exists ops_state (
            source text primary key,
            failing_since text not null,
            last_alert text,
            alerts integer not null default 0
        )""")


def ensure_tables(db) -> None:
    """Apply this package's migrations (the Store does it in its constructor; tests and tools may call this)."""
    migrations.apply(db)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _iso(dt: datetime) -> str:
    dt = dt.replace(tzinfo=timezone.utc) if dt.tzinfo is None else dt.astimezone(timezone.utc)
    return dt.isoformat(timespec="seconds")


def _parse(value: str | None) -> datetime | None:
    if not value:
        return None
    dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return dt.replace(tzinfo=timezone.utc) if dt.tzinfo is None else dt


def norm_recipient(addr: str) -> str:
    return addr.strip().lower()


# ---------------------------------------------------------------- queueing


def already_delivered(db, recipient: str, notice_ids: Iterable[str], kind: str) -> set[str]:
    ids = list(notice_ids)
    if not ids:
        return set()
    found: set[str] = set()
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        marks = ",".join("?" * len(chunk))
        found |= {r["notice_id"] for r in db.query(
            f"select notice_id from notice_ledger where recipient = ? and kind = ? and notice_id in ({marks})",
            [norm_recipient(recipient), kind, *chunk])}
    return found


def queue(db, *, kind: str, dedupe_key: str, recipient: str, subject: str, message: bytes, message_id: str,
          notice_ids: list[str] | None = None, subscription: str | None = None, not_before: datetime | None = None,
          now: datetime, ledger_kind: str | None = None) -> int | None:
    """Insert one delivery (and its ledger entries) atomically. None when the dedupe key or, for an alert, the
    ledger says it was already queued."""
    notice_ids = notice_ids or []
    rcpt = norm_recipient(recipient)
    with db.atomic():
        if ledger_kind == "alert" and already_delivered(db, rcpt, notice_ids, "alert"):
            return None
        cur = db.execute(
            """insert or ignore into deliveries (dedupe_key, kind, subscription, recipient, notice_ids, subject,
                   message_id, message, status, attempts, created, next_attempt)
               values (?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)""",
            [dedupe_key, kind, subscription, rcpt, json.dumps(notice_ids), subject, message_id, message, _iso(now),
             _iso(not_before or now)])
        if cur.rowcount != 1:
            return None
        did = cur.lastrowid
        if ledger_kind:
            for nid in notice_ids:
                db.execute("insert or ignore into notice_ledger (recipient, notice_id, kind, delivery_id, created) "
                           "values (?, ?, ?, ?, ?)", [rcpt, nid, ledger_kind, did, _iso(now)])
        return did


# ---------------------------------------------------------------- sending


@dataclass
class FlushResult:
    sent: int = 0
    retry: int = 0
    failed: int = 0
    unconfirmed: int = 0  # recovered from a crash after the end of data: assumed delivered, never re-sent
    errors: list[str] = field(default_factory=list)  # one line per retry / failure, with the server's reply

    @property
    def exit_code(self) -> int:
        """1 when a delivery was refused or could not be made in this flush (CONTRACT: something failed)."""
        return 1 if (self.failed or self.retry) else 0

    def __add__(self, other: "FlushResult") -> "FlushResult":
        return FlushResult(self.sent + other.sent, self.retry + other.retry, self.failed + other.failed,
                           self.unconfirmed + other.unconfirmed, self.errors + other.errors)


def _owner_gone(claimed_by: str | None, claimed_at: str | None, now: datetime) -> bool:
    if not claimed_by:
        return True
    host, _, rest = claimed_by.partition(":")
    pid_s, _, token = rest.partition(":")
    if host == _HOST:
        pid = int(pid_s) if pid_s.isdigit() else -1
        if pid == os.getpid():
            with _ACTIVE_LOCK:
                return token not in _ACTIVE
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
        return False
    at = _parse(claimed_at)
    return at is None or now - at > STALE_CLAIM


def recover(db, *, now: datetime) -> int:
    """Resolve rows left by a crashed flush: claimed → pending; sending → unconfirmed (see module docstring).

    Returns the number of rows that became unconfirmed."""
    n = 0
    for row in list(db.query("select id, status, claimed_by, claimed_at from deliveries "
                             "where status in ('claimed', 'sending')")):
        if not _owner_gone(row["claimed_by"], row["claimed_at"], now):
            continue
        if row["status"] == "claimed":
            db.execute("update deliveries set status = 'pending', claimed_by = null, claimed_at = null "
                       "where id = ? and status = 'claimed'", [row["id"]])
            continue
        else:
            db.execute("update deliveries set status = 'unconfirmed', claimed_by = null, last_error = ? "
                       "where id = ? and status = 'sending'",
                       ["interrupted after the end of data was sent (claimed by "
                        f"{row['claimed_by']} at {row['claimed_at']}); assumed delivered, not re-sent", row["id"]])
        n += 1
    return n


def _mark_sent(db, row_id: int, reply: str, now: datetime) -> None:
    db.execute("update deliveries set status = 'sent', sent_at = ?, server_reply = ?, claimed_by = null, "
               "last_error = null where id = ?", [_iso(now), reply, row_id])


def _mark_sending(db, row_id: int, token: str) -> None:
    db.execute("update deliveries set status = 'sending' where id = ? and claimed_by = ?", [row_id, token])


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=BACKOFF_SECONDS[min(max(attempts, 1), len(BACKOFF_SECONDS)) - 1])


def flush_outbox(db, smtp_cfg, *, now: datetime | None = None, limit: int | None = None,
                 kinds: Iterable[str] | None = None) -> FlushResult:
    """Send every due pending delivery once; 4xx → retry later with backoff; 5xx → failed with the reply."""
    now = now or utcnow()
    ensure_tables(db)
    result = FlushResult()
    result.unconfirmed += recover(db, now=now)
    token = uuid.uuid4().hex
    owner = f"{_HOST}:{os.getpid()}:{token}"
    # SQLite's automatic WAL checkpoint runs inside whichever commit crosses its threshold: inside the
    # 'sending' update it would stretch the crash window from microseconds to tens of milliseconds. It is
    # switched off while flushing and run between deliveries instead, outside any window.
    autocheckpoint = db.execute("pragma wal_autocheckpoint").fetchone()[0]
    db.execute("pragma wal_autocheckpoint = 0")
    with _ACTIVE_LOCK:
        _ACTIVE.add(token)
    try:
        sql = "select id from deliveries where status = 'pending' and next_attempt <= ?"
        params: list = [_iso(now)]
        if kinds:
            kinds = list(kinds)
            sql += f" and kind in ({','.join('?' * len(kinds))})"
            params += kinds
        sql += " order by next_attempt, id"
        if limit:
            sql += f" limit {int(limit)}"
        for rid in [r["id"] for r in db.query(sql, params)]:
            cur = db.execute("update deliveries set status = 'claimed', claimed_by = ?, claimed_at = ?, "
                             "attempts = attempts + 1 where id = ? and status = 'pending'", [owner, _iso(now), rid])
            if cur.rowcount != 1:
                continue  # another flusher took it
            row = next(iter(db.query("select * from deliveries where id = ?", [rid])))
            _send_one(db, smtp_cfg, row, owner, now, result)
            db.execute("pragma wal_checkpoint(PASSIVE)")
    finally:
        db.execute(f"pragma wal_autocheckpoint = {int(autocheckpoint)}")
        with _ACTIVE_LOCK:
            _ACTIVE.discard(token)
    return result


def _send_one(db, smtp_cfg, row: dict, owner: str, now: datetime, result: FlushResult) -> None:
    from email.utils import parseaddr

    from alerts.email import send_raw

    try:
        reply = send_raw(smtp_cfg, row["message"], sender=parseaddr(smtp_cfg.from_)[1] or smtp_cfg.from_, rcpt=row["recipient"],
                         before_end=lambda: _mark_sending(db, row["id"], owner))
    except DeliveryError as exc:
        attempts = row["attempts"]
        if exc.permanent or attempts >= MAX_ATTEMPTS:
            reason = str(exc) if exc.permanent else f"gave up after {attempts} attempts: {exc}"
            db.execute("update deliveries set status = 'failed', last_code = ?, last_error = ?, claimed_by = null "
                       "where id = ?", [exc.code, reason, row["id"]])
            result.failed += 1
            result.errors.append(f"delivery {row['id']} to {row['recipient']} failed: {reason}")
        else:
            nxt = now + _backoff(attempts)
            db.execute("update deliveries set status = 'pending', last_code = ?, last_error = ?, next_attempt = ?, "
                       "claimed_by = null, claimed_at = null where id = ?",
                       [exc.code, str(exc), _iso(nxt), row["id"]])
            result.retry += 1
            result.errors.append(f"delivery {row['id']} to {row['recipient']} will be retried at {_iso(nxt)}: {exc}")
        return
    _mark_sent(db, row["id"], reply, now)
    result.sent += 1


def requeue(db, delivery_id: int, *, now: datetime | None = None) -> bool:
    """Operator action: send an `unconfirmed` or `failed` delivery again (the ledger is not consulted)."""
    cur = db.execute("update deliveries set status = 'pending', next_attempt = ?, claimed_by = null "
                     "where id = ? and status in ('unconfirmed', 'failed')", [_iso(now or utcnow()), delivery_id])
    return cur.rowcount == 1


# ---------------------------------------------------------------- views


VIEW_COLUMNS = ("id", "created", "kind", "subscription", "recipient", "subject", "status", "attempts", "next_attempt",
                "sent_at", "last_code", "last_error", "message_id")


def deliveries_view(db, *, limit: int = 100, status: str | None = None) -> list[dict]:
    """Newest deliveries first, without the message bytes: rows for `monitor deliveries`."""
    if "deliveries" not in db.table_names():
        return []
    cols = ", ".join(VIEW_COLUMNS)
    where, params = "", []
    if status:
        where, params = "where status = ?", [status]
    rows = db.query(f"select {cols}, json_array_length(notice_ids) as notices from deliveries {where} "
                    f"order by id desc limit {int(limit)}", params)
    return [dict(r) for r in rows]


def delivery_counts(db) -> dict[str, int]:
    if "deliveries" not in db.table_names():
        return {}
    return {r["status"]: r["n"] for r in db.query("select status, count(*) n from deliveries group by status")}
