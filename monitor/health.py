"""Source health as data, computed from the `runs` and `notices` tables (never from log lines).

Per source: the last finished run (status, seen/new/failed, error), consecutive failures with hysteresis
(`ops.failure_threshold` in a row = failing; one failure is only noted), a parse-failure flag (a list that used to
have rows and now yields none), staleness (no new notice for longer than the expected cadence) and min/max item
bounds. `problems` holds one human sentence per thing wrong; `state` sums it up in one word.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any
from zoneinfo import ZoneInfo

from monitor.config import SOURCE_IDS, Config, SourceConfig

HISTORY = 50  # runs looked at per source
NOT_MODIFIED_MARKERS = ("not modified", "304")  # a run whose page 1 answered 304 legitimately sees nothing
ZERO_ROW_MARKERS = ("ParseError", "no rows")  # scrapers raise ParseError on a list page without rows


def _listed(run: dict[str, Any]) -> int | None:
    """List rows the run saw, known or not (runs.listed), when the pipeline records it. `seen` counts only the
    notices a run yielded, and an incremental run yields none when nothing is new, so it cannot stand in."""
    value = run.get("listed")
    return None if value is None else int(value)


@dataclass
class SourceHealth:
    source: str
    name: str = ""
    configured: bool = False
    enabled: bool = False
    schedule: str | None = None
    next_run: datetime | None = None
    last_started: datetime | None = None
    last_finished: datetime | None = None
    last_status: str | None = None  # ok | partial | failed | running
    seen: int = 0
    new: int = 0
    failed: int = 0
    last_error: str | None = None
    duration: float | None = None
    running: bool = False
    consecutive_failures: int = 0
    failing: bool = False  # consecutive_failures >= threshold
    last_success: datetime | None = None
    parse_failure: bool = False  # zero items from a list that had items before
    cadence_days: float | None = None
    last_new: datetime | None = None  # newest first_seen of a stored notice
    silent_days: float | None = None
    stale: bool = False
    bounds_violation: str | None = None
    notices: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def state(self) -> str:
        if not self.configured:
            return "not configured"
        if not self.enabled:
            return "disabled"
        if self.last_status is None:
            return "running" if self.running else "never run"
        if self.failing:
            return "failing"
        if self.parse_failure:
            return "parse?"
        if self.stale:
            return "stale"
        if self.bounds_violation:
            return "bounds"
        if self.last_status == "failed":
            return "failed once" if self.consecutive_failures == 1 else "failed"
        return self.last_status  # ok | partial

    @property
    def healthy(self) -> bool:
        return self.state in ("ok", "partial", "disabled", "not configured", "never run", "running")

    def as_dict(self) -> dict[str, Any]:
        d = {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in self.__dict__.items()}
        d["state"] = self.state
        return d


def _ts(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


def _not_modified(run: dict[str, Any]) -> bool:
    err = (run.get("error") or "").lower()
    return any(m in err for m in NOT_MODIFIED_MARKERS)


def _info(source_id: str) -> Any | None:
    try:
        from scrapers import REGISTRY
    except ImportError:
        return None
    mod = REGISTRY.get(source_id)
    return getattr(mod, "SOURCE", None) if mod else None


def _has_table(db: Any, name: str) -> bool:
    return db.execute("select 1 from sqlite_master where type = 'table' and name = ?", [name]).fetchone() is not None


def evaluate(source_id: str, runs: list[dict[str, Any]], *, scfg: SourceConfig | None, info: Any = None,
             last_new: datetime | None = None, notices: int = 0, threshold: int = 3,
             now: datetime) -> SourceHealth:
    """Health of one source from its runs, newest first. Pure: the table-driven tests call this directly."""
    h = SourceHealth(source=source_id, name=getattr(info, "name", "") or source_id, configured=scfg is not None,
                     enabled=bool(scfg and scfg.enabled), notices=notices, last_new=last_new)
    h.cadence_days = (scfg.expected_cadence_days if scfg and scfg.expected_cadence_days else None) or \
        getattr(info, "expected_cadence_days", None)
    h.running = bool(runs) and runs[0].get("status") == "running"
    finished = [r for r in runs if r.get("status") in ("ok", "partial", "failed")]
    if finished:
        last = finished[0]
        h.last_started, h.last_finished = _ts(last.get("started")), _ts(last.get("finished"))
        h.last_status = last["status"]
        h.seen, h.new, h.failed = int(last.get("seen") or 0), int(last.get("new") or 0), int(last.get("failed") or 0)
        h.last_error = last.get("error")
        h.duration = last.get("duration")
    for r in finished:
        if r["status"] != "failed":
            break
        h.consecutive_failures += 1
    ok_runs = [r for r in finished if r["status"] in ("ok", "partial")]
    if ok_runs:
        h.last_success = _ts(ok_runs[0].get("finished") or ok_runs[0].get("started"))
    h.failing = h.consecutive_failures >= threshold

    if finished:
        last = finished[0]
        if h.consecutive_failures:
            msg = f"{h.consecutive_failures} failed run(s) in a row"
            if h.failing:
                msg += f" (threshold {threshold})"
            h.problems.append(f"{msg}: {h.last_error or 'no error recorded'}")
        # zero items where there used to be items: a redesign or a block page parsed as "nothing new"
        listed = _listed(last)
        had_items = any(int(r.get("seen") or 0) > 0 or (_listed(r) or 0) > 0 for r in finished[1:])
        zero_listed = listed == 0 and last["status"] != "failed" and not _not_modified(last)
        zero_parse = any(m in (h.last_error or "") for m in ZERO_ROW_MARKERS)
        if had_items and (zero_listed or zero_parse):
            h.parse_failure = True
            h.problems.append("zero items from a list that had items before: the page structure may have changed")
        counted = last["status"] != "failed" and not _not_modified(last)
        if counted and scfg is not None:
            # min_items needs the list rows (a quiet incremental run yields nothing); max_items also catches a
            # run that suddenly takes everything for new (URL churn)
            if scfg.min_items is not None and listed is not None and listed < scfg.min_items:
                h.bounds_violation = f"{listed} list rows seen, fewer than min_items {scfg.min_items}"
            elif scfg.max_items is not None and max(h.seen, listed or 0) > scfg.max_items:
                h.bounds_violation = f"{max(h.seen, listed or 0)} items seen, more than max_items {scfg.max_items}"
            if h.bounds_violation:
                h.problems.append(h.bounds_violation)

    if h.cadence_days and h.enabled:
        # silent since the newest stored notice; with none stored yet, since the first run
        since = last_new or (_ts(runs[-1].get("started")) if runs else None)
        if since is not None:
            h.silent_days = max(0.0, (now - since).total_seconds() / 86400)
            if h.silent_days > h.cadence_days:
                h.stale = True
                h.problems.append(f"no new notice for {h.silent_days:.1f} days (expected every "
                                  f"{h.cadence_days:g} days)")
    return h


def source_health(db: Any, cfg: Config, *, now: datetime | None = None,
                  next_runs: dict[str, datetime] | None = None) -> list[SourceHealth]:
    """One SourceHealth per source id (configured or not). `db` is a sqlite_utils.Database (Store.db)."""
    now = now or datetime.now(timezone.utc)
    if now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    if next_runs is None:
        try:
            from monitor.schedule import next_run_times

            next_runs = next_run_times(cfg, now=now)
        except ImportError:
            next_runs = {}
    have_runs, have_notices = _has_table(db, "runs"), _has_table(db, "notices")
    rows = []
    for sid in SOURCE_IDS:
        scfg = cfg.sources.get(sid)
        info = _info(sid)
        runs: list[dict[str, Any]] = []
        if have_runs:
            runs = list(db.query("select * from runs where source = ? order by id desc limit ?", [sid, HISTORY]))
        last_new, count = None, 0
        if have_notices:
            r = db.execute("select max(first_seen), count(*) from notices where source = ?", [sid]).fetchone()
            last_new, count = _ts(r[0]), int(r[1] or 0)
        h = evaluate(sid, runs, scfg=scfg, info=info, last_new=last_new, notices=count,
                     threshold=cfg.ops.failure_threshold, now=now)
        if scfg is not None:
            try:
                from monitor.schedule import effective_schedule

                h.schedule = effective_schedule(sid, scfg) if info is not None else scfg.schedule
            except ImportError:
                h.schedule = scfg.schedule
        h.next_run = next_runs.get(sid)
        if h.enabled and info is None:
            h.problems.append("enabled in config but no scraper is registered for it")
        rows.append(h)
    return rows


# ---------------------------------------------------------------- table

_STYLE = {"ok": "green", "partial": "yellow", "failed once": "yellow", "failed": "red", "failing": "bold red",
          "parse?": "bold red", "stale": "magenta", "bounds": "magenta", "never run": "dim", "running": "cyan",
          "disabled": "dim", "not configured": "dim"}


def _local(dt: datetime | None, tz: ZoneInfo | None) -> str:
    if dt is None:
        return "-"
    return (dt.astimezone(tz) if tz else dt).strftime("%Y-%m-%d %H:%M")


def render_sources_table(rows: list[SourceHealth], console: Any, *, cfg: Config | None = None,
                         timezone_name: str | None = None, show_unconfigured: bool = False) -> None:
    """Print the health rows as a rich table (times in the config's timezone)."""
    from rich.table import Table

    timezone_name = timezone_name or (cfg.timezone if cfg is not None else None)
    tz = ZoneInfo(timezone_name) if timezone_name else None
    table = Table(title="regwatch sources", show_lines=False)
    for col, kw in (("source", {"style": "bold"}), ("state", {}), ("last run", {}), ("seen", {"justify": "right"}),
                    ("new", {"justify": "right"}), ("failed", {"justify": "right"}),
                    ("fails in a row", {"justify": "right"}), ("last new notice", {}), ("next run", {}),
                    ("problems", {"overflow": "fold"})):
        table.add_column(col, **kw)
    for h in rows:
        if not h.configured and not show_unconfigured:
            continue
        state = h.state
        table.add_row(
            h.source, f"[{_STYLE.get(state, 'white')}]{state}[/]",
            _local(h.last_started, tz) + (f" ({h.duration:.0f}s)" if h.duration is not None else ""),
            str(h.seen) if h.last_status else "-", str(h.new) if h.last_status else "-",
            str(h.failed) if h.last_status else "-", str(h.consecutive_failures),
            _local(h.last_new, tz) + (f" ({h.silent_days:.0f}d)" if h.silent_days is not None else ""),
            _local(h.next_run, tz), "; ".join(h.problems) or "",
        )
    console.print(table)


def exit_code(rows: list[SourceHealth]) -> int:
    """0 when every enabled source is healthy, 1 otherwise (for `monitor sources` in scripts)."""
    return 0 if all(h.healthy for h in rows if h.enabled) else 1
