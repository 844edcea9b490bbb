"""One pass over a source: crawl → classify → store → queue alerts. One failing source never stops the others."""

from __future__ import annotations

import logging
import threading
import time
import traceback
from datetime import datetime, timezone
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from monitor.config import Config, SourceConfig
from monitor.errors import RegwatchError
from monitor.models import Notice
from monitor.store import Store

log = logging.getLogger("regwatch")


@dataclass
class RunResult:
    source: str
    status: str  # ok | partial | failed
    new: int = 0
    seen: int = 0
    revised: int = 0
    failed: int = 0
    error: str | None = None
    requests: int = 0
    duration: float = 0.0
    baseline: bool = False
    notices: list[tuple[Notice, dict[str, Any], str]] = field(default_factory=list)  # (notice, labels, outcome)
    warnings: list[str] = field(default_factory=list)
    new_ids: list[str] = field(default_factory=list)

    def line(self) -> str:
        base = (f"{self.source}: {self.status} seen={self.seen} new={self.new} revised={self.revised} "
                f"failed={self.failed} requests={self.requests} {self.duration:.1f}s")
        if self.baseline:
            base += " (baseline: stored silently)"
        return base + (f" error: {self.error}" if self.error else "")


def source_config(cfg: Config, source_id: str) -> SourceConfig:
    return cfg.sources.get(source_id) or SourceConfig()


def enabled_sources(cfg: Config) -> list[str]:
    from scrapers import REGISTRY

    return [sid for sid, scfg in cfg.sources.items() if scfg.enabled and sid in REGISTRY]


def open_store(cfg: Config, db_path: str | Path | None = None) -> Store:
    return Store(db_path or cfg.db_path())


def make_classifier(cfg: Config) -> Any:
    from monitor.classify import Classifier

    return Classifier(extra_phrases=cfg.classify.extra_phrases or None)


def run_source(cfg: Config, source_id: str, *, store: Store | None = None, db_path: str | Path | None = None,
               dry_run: bool = False, backfill: bool = False, max_pages: int | None = None,
               stop: threading.Event | None = None, progress: Callable[[Notice], None] | None = None,
               classifier: Any = None) -> RunResult:
    """Crawl one source once. Never raises for a source failure: the result (and a runs row) says what happened."""
    from monitor.context import Context
    from monitor.http import HttpClient
    from scrapers import get_scraper

    scraper = get_scraper(source_id)
    scfg = source_config(cfg, source_id)
    classifier = classifier or make_classifier(cfg)
    own_store = store is None and not dry_run
    if own_store:
        store = open_store(cfg, db_path)
    started = time.monotonic()
    baseline = False
    run_id = None
    if not dry_run:
        assert store is not None
        baseline = scfg.baseline == "silent" and not store.has_completed_run(source_id)
        run_id = store.start_run(source_id, baseline=baseline, backfill=backfill)
    result = RunResult(source=source_id, status="ok", baseline=baseline)
    pages = max_pages or scfg.max_pages
    known: Callable[[str], bool] = (lambda url: False) if dry_run else store.known_url  # type: ignore[union-attr]
    settled: Callable[[str], bool] | None = None
    floor = None if dry_run else store.catch_up_floor(source_id, run_id)  # type: ignore[union-attr,arg-type]
    if floor is not None:
        log.info("%s: catching up after run %d did not finish cleanly", source_id, floor)
        settled = lambda url: store.stored_before_run(url, floor)  # type: ignore[union-attr]  # noqa: E731
    client = HttpClient.for_source(cfg, scraper.SOURCE, scfg, validators=None if dry_run else store)
    ctx = Context(scraper.SOURCE, scfg, client, known=known, max_pages=pages, backfill=backfill,
                  log=logging.getLogger(f"regwatch.{source_id}"), settled=settled)
    try:
        with client:
            for notice in scraper.crawl(ctx):
                result.seen += 1
                try:
                    labels = classifier.classify(notice.title, notice.text, source=source_id)
                except Exception as exc:  # a classifier bug must not lose the notice: store it unlabelled
                    log.exception("%s: classify failed for %s", source_id, notice.url)
                    ctx.warn(f"classify failed for {notice.url}: {exc!r}")
                    labels = {"violations": ["other"], "sanctions": [], "respondents": [], "fine": None,
                              "evidence": {}, "error": repr(exc)}
                if dry_run:
                    result.notices.append((notice, labels, "dry-run"))
                else:
                    nid, outcome = store.upsert_notice(notice, labels, run_id=run_id, baseline=baseline)  # type: ignore[union-attr]
                    if outcome == "new":
                        result.new += 1
                        result.new_ids.append(nid)
                    elif outcome == "revised":
                        result.revised += 1
                    result.notices.append((notice, labels, outcome))
                if progress:
                    progress(notice)
                if stop is not None and stop.is_set():
                    ctx.abandon_current()
                    result.error = "stopped by signal after the notice in hand"
                    result.status = "partial"
                    break
    except RegwatchError as exc:
        ctx.abandon_current()
        result.status = "failed"
        result.error = f"{type(exc).__name__}: {exc}"
    except Exception as exc:  # a scraper bug: record it with its place, keep the other sources going
        ctx.abandon_current()
        result.status = "failed"
        tb = traceback.extract_tb(exc.__traceback__)[-1]
        result.error = f"{type(exc).__name__}: {exc} (at {Path(tb.filename).name}:{tb.lineno})"
        log.exception("%s: unexpected error", source_id)
    result.warnings = list(ctx.warnings)
    result.failed = len(ctx.warnings)
    result.requests = ctx.requests
    if result.status == "ok" and result.failed:
        result.status = "partial"
        result.error = result.error or "; ".join(ctx.warnings[:3])
    if result.status == "failed" and (result.new or result.revised):
        result.status = "partial"  # what was stored before the failure is kept; the next run catches up
    if not dry_run:
        # validators (ETag/Last-Modified) of list endpoints crawled cleanly are saved now that their notices are
        # stored; an endpoint with a skipped record or an abandoned crawl is fetched again next run, never a 304
        ctx.commit_validators()
    result.duration = time.monotonic() - started
    if not dry_run:
        store.finish_run(run_id, status=result.status, new=result.new, seen=result.seen,  # type: ignore[union-attr,arg-type]
                         revised=result.revised, failed=result.failed, error=result.error,
                         requests=result.requests, duration=result.duration)
        if own_store:
            store.close()  # type: ignore[union-attr]
    log.info(result.line())
    return result


def run_sources(cfg: Config, ids: list[str] | None = None, **kw: Any) -> list[RunResult]:
    """Run the named sources (default: every enabled one), one after another."""
    ids = ids or enabled_sources(cfg)
    results = []
    for sid in ids:
        results.append(run_source(cfg, sid, **kw))
        stop = kw.get("stop")
        if stop is not None and stop.is_set():
            break
    return results


def queue_and_send_alerts(cfg: Config, store: Store, *, send: bool = True, now: datetime | None = None) -> Any:
    """Queue instant alerts for every notice still pending (crash-safe), check source health, flush the outbox.

    Notices are marked alerted only after their outbox rows exist; a crash in between re-queues them on the next
    run, and the outbox's unique dedupe keys make that a no-op.
    """
    import alerts

    now = now or datetime.now(timezone.utc)
    pending = store.pending_alerts()
    if pending:
        alerts.dispatch(store.db, cfg, pending, now=now)
        store.mark_alerted(pending)
    alerts.check_ops(store.db, cfg, now=now)
    return alerts.flush_outbox(store.db, cfg.smtp, now=now) if send else None
