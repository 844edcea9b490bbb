"""Command line: wires config, pipeline, store and alerts. No logic of its own beyond printing.

Exit codes (CONTRACT): 0 success; 1 a run finished but something failed; 2 bad usage or invalid config.
"""

from __future__ import annotations

import csv
import json
import logging
import os
import sys
from pathlib import Path
from typing import Any, Callable

import click
from rich.console import Console
from rich.table import Table

from monitor.config import Config, config_path, load_config
from monitor.errors import ConfigError, RegwatchError

# piped output (cron mail, CI logs, `| less`) gets wide tables instead of rich's 80-column default
_WIDTH = None if sys.stdout.isatty() or os.environ.get("COLUMNS") else 200
console = Console(highlight=False, soft_wrap=True, width=_WIDTH)
err_console = Console(stderr=True, highlight=False, soft_wrap=True, width=_WIDTH)


def _setup_logging(verbose: int) -> None:
    level = logging.DEBUG if verbose > 1 else logging.INFO if verbose else logging.WARNING
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    logging.getLogger("regwatch.http").setLevel(logging.DEBUG if verbose else logging.WARNING)
    for noisy in ("httpx", "httpcore", "apscheduler.executors", "mail.log"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def config_option(f: Callable) -> Callable:
    """--config on every command (CONTRACT); the group-level one is the default for subcommands."""
    return click.option("--config", "config_file", type=click.Path(dir_okay=False), default=None,
                        help="config file (default: $MONITOR_CONFIG, else ./config.yaml)")(f)


def _config_file(ctx: click.Context, config_file: str | None) -> Path:
    return config_path(config_file or (ctx.obj or {}).get("config_file"))


def _load(ctx: click.Context, config_file: str | None, *, check_env: bool = False) -> Config:
    path = _config_file(ctx, config_file)
    try:
        cfg = load_config(path, check_env=check_env)
    except ConfigError as exc:
        err_console.print(f"[bold red]invalid config[/] {exc}", markup=True)
        raise SystemExit(2) from None
    # a relative database path is relative to the config file, so cron/systemd working dirs don't matter
    if not Path(cfg.database).is_absolute():
        cfg.database = str((path.parent / cfg.database).resolve())
    return cfg


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@config_option
@click.option("-v", "--verbose", count=True, help="-v: log every request; -vv: debug everything")
@click.version_option(package_name="regwatch")
@click.pass_context
def cli(ctx: click.Context, config_file: str | None, verbose: int) -> None:
    """regwatch: regulators' enforcement and disciplinary notices, classified and mailed."""
    ctx.obj = {"config_file": config_file, "verbose": verbose}
    _setup_logging(verbose)


@cli.command()
@config_option
@click.option("--source", "sources", multiple=True, help="source id (repeatable); default: every enabled source")
@click.option("--dry-run", is_flag=True, help="fetch and print parsed notices with labels; write nothing, send nothing")
@click.option("--backfill", is_flag=True, help="page through history up to --max-pages, ignoring what is known")
@click.option("--max-pages", type=click.IntRange(min=1), default=None, help="list pages per source at most")
@click.option("--no-send", is_flag=True, help="store and queue alerts but do not send mail now")
@click.pass_context
def run(ctx: click.Context, config_file: str | None, sources: tuple[str, ...], dry_run: bool, backfill: bool,
        max_pages: int | None, no_send: bool) -> None:
    """One pass over the enabled sources (or the named ones), then exit."""
    from monitor import pipeline
    from scrapers import REGISTRY

    cfg = _load(ctx, config_file)
    ids = list(sources) or pipeline.enabled_sources(cfg)
    unknown = [s for s in ids if s not in REGISTRY]
    if unknown:
        err_console.print(f"unknown source id(s): {', '.join(unknown)} (have: {', '.join(sorted(REGISTRY))})")
        raise SystemExit(2)
    if not ids:
        err_console.print("no enabled sources in the config (sources.<id>.enabled)")
        raise SystemExit(2)
    progress_cm = _progress(backfill and not dry_run)
    with progress_cm as progress:
        results = []
        for sid in ids:
            task = progress.add_task(sid, total=None) if progress else None
            tick = (lambda n, t=task: progress.advance(t)) if progress else None
            results.append(pipeline.run_source(cfg, sid, dry_run=dry_run, backfill=backfill,
                                               max_pages=max_pages or (1 if dry_run and not backfill else None),
                                               progress=tick))
    failed = False
    for r in results:
        if dry_run:
            _print_dry_run(r)
        style = {"ok": "green", "partial": "yellow", "failed": "red"}[r.status]
        console.print(f"[{style}]{r.line()}[/]")
        failed |= r.status != "ok"
    if not dry_run:
        failed |= _after_run(cfg, send=not no_send)
    raise SystemExit(1 if failed else 0)


class _NoProgress:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *a: object) -> None:
        return None


def _progress(wanted: bool) -> Any:
    if wanted and sys.stderr.isatty():
        from rich.progress import Progress, SpinnerColumn, TextColumn, MofNCompleteColumn

        return Progress(SpinnerColumn(), TextColumn("{task.description}"), MofNCompleteColumn(),
                        console=err_console, transient=True)
    return _NoProgress()


def _after_run(cfg: Config, *, send: bool) -> bool:
    """Queue instant alerts for stored notices, check source health, flush the outbox. True if a delivery failed."""
    from monitor.pipeline import queue_and_send_alerts
    from monitor.store import Store

    with Store(cfg.db_path()) as store:
        flush = queue_and_send_alerts(cfg, store, send=send)
    if flush is None:
        return False
    for line in flush.errors:
        err_console.print(f"[red]delivery failed:[/] {line}")
    if flush.sent or flush.failed or flush.retry:
        console.print(f"mail: sent={flush.sent} retry={flush.retry} failed={flush.failed}")
    return bool(flush.exit_code)


def _print_dry_run(r: Any) -> None:
    console.print(f"[bold]{r.source}[/]: {len(r.notices)} notice(s) parsed (dry run: nothing written)")
    for notice, labels, _ in r.notices:
        fine = labels.get("fine")
        console.print(f"  • {notice.published or '????-??-??'}  {notice.title}", markup=False)
        console.print(f"    {notice.url}", markup=False)
        parts = [f"doc={notice.doc_number or labels.get('doc_number') or '-'}",
                 f"violations={','.join(labels.get('violations', []))}",
                 f"sanctions={','.join(labels.get('sanctions', [])) or '-'}"]
        if fine:
            parts.append(f"fine={fine.get('amount')} {fine.get('currency')}")
        names = [x.get("name", "") for x in labels.get("respondents", [])][:5]
        if names:
            parts.append("respondents=" + "、".join(names))
        console.print("    " + "  ".join(parts), markup=False)
    for w in r.warnings:
        console.print(f"  [yellow]warning:[/] {w}")


@cli.command()
@config_option
@click.option("--run-now", is_flag=True, help="crawl every enabled source once at start, then follow the crons")
@click.pass_context
def serve(ctx: click.Context, config_file: str | None, run_now: bool) -> None:
    """The scheduler: each source on its own cron, digests on theirs (SIGTERM stops, SIGHUP reloads)."""
    from monitor.schedule import serve as serve_forever

    path = _config_file(ctx, config_file)
    _load(ctx, config_file)  # fail fast, exit 2, on a bad file
    raise SystemExit(serve_forever(path, run_now=run_now))


@cli.command()
@config_option
@click.option("--date", "date", default=None, help="digest for this day (YYYY-MM-DD, config timezone)")
@click.option("--subscription", default=None, help="only this subscription")
@click.option("--out", type=click.Path(file_okay=False), default=None, help="write digest.html and digest.txt here")
@click.option("--send", is_flag=True, help="send by mail (default: render only)")
@click.option("--dry-run", is_flag=True, help="render and print; send nothing, record nothing")
@click.pass_context
def digest(ctx: click.Context, config_file: str | None, date: str | None, subscription: str | None,
           out: str | None, send: bool, dry_run: bool) -> None:
    """Render (and optionally send) digests: new notices grouped by regulator and violation type."""
    import alerts
    from monitor.store import Store

    cfg = _load(ctx, config_file)
    if subscription and subscription not in {s.name for s in cfg.subscriptions}:
        err_console.print(f"no subscription named {subscription!r} in {_config_file(ctx, config_file)}")
        raise SystemExit(2)
    with Store(cfg.db_path()) as store:
        res = alerts.run_digests(store.db, cfg, date=date, subscription=subscription,
                                 out=Path(out) if out else None, send=send and not dry_run, dry_run=dry_run)
    for line in res.messages:
        console.print(line, markup=False)
    for path in res.written:
        console.print(f"wrote {path}", markup=False)
    if res.flush is not None:
        for line in res.flush.errors:
            err_console.print(f"delivery failed: {line}", markup=False)
        console.print(f"mail: sent={res.flush.sent} retry={res.flush.retry} failed={res.flush.failed}")
    raise SystemExit(res.exit_code)


@cli.command()
@click.argument("file", type=click.File("r", encoding="utf-8"), default="-")
@config_option
@click.pass_context
def classify(ctx: click.Context, file: Any, config_file: str | None) -> None:
    """Classify notices without storing: JSONL in (FILE or stdin), JSONL out."""
    from monitor.classify import Classifier, classify_jsonl

    path = _config_file(ctx, config_file)
    extra = None
    if path.exists():
        extra = _load(ctx, config_file).classify.extra_phrases or None
    try:
        classify_jsonl(file, sys.stdout, classifier=Classifier(extra_phrases=extra))
    except ValueError as exc:
        err_console.print(f"classify: {exc}")
        raise SystemExit(2) from None


@cli.command()
@config_option
@click.pass_context
def sources(ctx: click.Context, config_file: str | None) -> None:
    """One row per source: last run, status, items, consecutive failures, staleness, next run."""
    from monitor.health import render_sources_table, source_health
    from monitor.store import Store

    cfg = _load(ctx, config_file)
    with Store(cfg.db_path()) as store:
        rows = source_health(store.db, cfg)
        render_sources_table(rows, console, cfg=cfg)
        try:
            import alerts

            failed = alerts.deliveries_view(store.db, status="failed")
        except (AttributeError, TypeError):
            failed = []
    if failed:
        console.print(f"[red]{len(failed)} failed deliveries[/] (see `monitor deliveries`)")


@cli.command()
@config_option
@click.option("--status", type=click.Choice(["pending", "sending", "sent", "unconfirmed", "failed", "all"]), default="all")
@click.option("--limit", type=int, default=50)
@click.pass_context
def deliveries(ctx: click.Context, config_file: str | None, status: str, limit: int) -> None:
    """The outbox: every alert and digest mail, its recipient, status and the server's reply."""
    import alerts
    from monitor.store import Store

    cfg = _load(ctx, config_file)
    with Store(cfg.db_path()) as store:
        rows = alerts.deliveries_view(store.db, status=None if status == "all" else status, limit=limit)
    table = Table("id", "kind", "subscription", "to", "status", "attempts", "created", "sent", "last error")
    for r in rows:
        table.add_row(*(str(r.get(k) if r.get(k) is not None else "") for k in
                        ("id", "kind", "subscription", "recipient", "status", "attempts", "created", "sent_at",
                         "last_error")))
    console.print(table)


@cli.command("check-config")
@config_option
@click.pass_context
def check_config(ctx: click.Context, config_file: str | None) -> None:
    """Validate config.yaml (keys, crons, addresses, taxonomy ids, env secrets) and exit."""
    path = _config_file(ctx, config_file)
    cfg = _load(ctx, config_file, check_env=True)
    from scrapers import REGISTRY

    srcs = cfg.sources.items()
    unimplemented = [sid for sid, s in srcs if s.enabled and sid not in REGISTRY]
    console.print(f"{path}: ok — {len(srcs)} source(s) "
                  f"({', '.join(sid for sid, s in srcs if s.enabled) or 'none enabled'}), "
                  f"{len(cfg.subscriptions)} subscription(s), database {cfg.database}", markup=False)
    if unimplemented:
        console.print(f"note: no scraper yet for {', '.join(unimplemented)}; they will be skipped", markup=False)


@cli.command()
@click.argument("source_id")
@config_option
@click.option("--out", type=click.Path(file_okay=False), default="tests/fixtures", show_default=True)
@click.option("--max-pages", type=click.IntRange(min=1), default=1, show_default=True)
@click.pass_context
def record(ctx: click.Context, source_id: str, config_file: str | None, out: str, max_pages: int) -> None:
    """Fetch the live site once and save the raw responses as fixtures for SOURCE_ID."""
    from monitor.record import record_source
    from scrapers import REGISTRY

    if source_id not in REGISTRY:
        err_console.print(f"unknown source id {source_id!r} (have: {', '.join(sorted(REGISTRY))})")
        raise SystemExit(2)
    path = _config_file(ctx, config_file)
    cfg = _load(ctx, config_file) if path.exists() else Config()
    try:
        res = record_source(cfg, source_id, Path(out), max_pages=max_pages)
    except RegwatchError as exc:
        err_console.print(f"record {source_id}: {exc}", markup=False)
        raise SystemExit(1) from None
    console.print(str(res), markup=False)


@cli.command()
@click.argument("query")
@config_option
@click.option("--source", default=None)
@click.option("--limit", type=int, default=20)
@click.pass_context
def search(ctx: click.Context, query: str, config_file: str | None, source: str | None, limit: int) -> None:
    """Full-text search over stored notices (Chinese works; 1–2 characters too)."""
    from monitor.store import Store

    cfg = _load(ctx, config_file)
    with Store(cfg.db_path()) as store:
        rows = store.search(query, limit=limit, source=source)
    table = Table("published", "source", "doc number", "title", "violations", "url")
    for r in rows:
        table.add_row(r["published"] or "", r["source"], r["doc_number"] or "", r["title"],
                      ",".join(json.loads(r["violations"] or "[]")), r["url"])
    console.print(table)
    console.print(f"{len(rows)} result(s)")


EXPORT_FIELDS = ["id", "source", "issuer", "url", "title", "published", "doc_number", "violations", "sanctions",
                 "respondents", "fine_amount", "fine_currency", "amended", "first_seen", "last_seen", "content_hash",
                 "text"]


@cli.command()
@config_option
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="json", show_default=True)
@click.option("--source", default=None)
@click.option("--since", default=None, help="first seen on or after (ISO date)")
@click.option("--out", type=click.File("w", encoding="utf-8"), default="-")
@click.pass_context
def export(ctx: click.Context, config_file: str | None, fmt: str, source: str | None, since: str | None,
           out: Any) -> None:
    """Export stored notices as CSV or JSON (one array)."""
    from monitor.store import Store

    cfg = _load(ctx, config_file)
    with Store(cfg.db_path()) as store:
        rows = [{k: r.get(k) for k in EXPORT_FIELDS} for r in store.iter_notices(source=source, since=since)]
    if fmt == "json":
        for r in rows:
            for k in ("violations", "sanctions", "respondents"):
                r[k] = json.loads(r[k] or "[]")
        json.dump(rows, out, ensure_ascii=False, indent=1)
        out.write("\n")
    else:
        w = csv.DictWriter(out, fieldnames=EXPORT_FIELDS)
        w.writeheader()
        w.writerows(rows)


@cli.command()
@click.option("--out", type=click.Path(file_okay=False), default="demo-out", show_default=True,
              help="where the database, digest and .eml go")
def demo(out: str) -> None:
    """Whole pipeline offline on bundled saved responses: crawl, classify, store, digest, mail to a local sink."""
    from monitor.demo import run_demo

    raise SystemExit(run_demo(Path(out), console))


def main() -> None:
    cli(prog_name="monitor")
