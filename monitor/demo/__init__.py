"""`monitor demo`: the whole pipeline offline on saved responses bundled in this package.

The saved AMAC and CSRC responses (reconstructed from the documented field names, see tests/fixtures/PROVENANCE.md)
are served on 127.0.0.1; the sources point there; mail goes to a local SMTP sink that writes .eml files.
"""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

import yaml
from rich.console import Console

DEMO_SOURCES = ("amac", "csrc")


def demo_config(out: Path, base_urls: dict[str, str], smtp_port: int) -> dict:
    """The demo's config as a plain dict (written next to the database so later commands can reuse it)."""
    return {
        "database": str((out / "regwatch.db").resolve()),
        "timezone": "Asia/Shanghai",
        "sources": {
            sid: {"enabled": True, "base_url": url, "baseline": "alert", "min_delay": 0, "max_pages": 5}
            for sid, url in base_urls.items()
        },
        "smtp": {"host": "127.0.0.1", "port": smtp_port, "security": "none", "from": "regwatch demo <regwatch@localhost>"},
        "watchlists": {"demo-watch": ["华晨汽车集团控股有限公司", {"name": "浙江晖鸿投资管理有限公司", "aliases": ["晖鸿投资"]}]},
        "subscriptions": [
            {"name": "compliance-daily", "to": ["compliance@example.com"], "mode": "daily"},
            {"name": "watchlist-alerts", "to": ["pm@example.com"], "mode": "instant", "watchlist": "demo-watch"},
            {"name": "private-fund-peers", "to": ["pm@example.com"], "mode": "instant",
             "violations": ["unfiled_product", "false_filing_info", "public_solicitation",
                            "fundraising_unqualified_investors"]},
        ],
        "ops": {"to": ["ops@example.com"]},
    }


def run_demo(out: Path, console: Console) -> int:
    from alerts import run_digests
    from alerts.smtp_sink import SmtpSink
    from monitor.config import parse_config
    from monitor.pipeline import queue_and_send_alerts, run_source
    from monitor.replay import ReplayServer
    from monitor.store import Store

    out = out.resolve()
    for stale in ("regwatch.db", "regwatch.db-wal", "regwatch.db-shm"):
        (out / stale).unlink(missing_ok=True)
    shutil.rmtree(out / "mail", ignore_errors=True)
    shutil.rmtree(out / "digest", ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)
    root = resources.files("monitor").joinpath("demo")
    servers = {sid: ReplayServer(Path(str(root.joinpath(sid)))) for sid in DEMO_SOURCES}
    sink = SmtpSink()
    failed = False
    try:
        for s in servers.values():
            s.start()
        sink.start()
        raw = demo_config(out, {sid: s.base_url for sid, s in servers.items()}, sink.port)
        cfg_file = out / "config.yaml"
        cfg_file.write_text("# written by `monitor demo`; the 127.0.0.1 ports were the demo's own\n"
                            + yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
        cfg = parse_config(cfg_file.read_text(encoding="utf-8"), str(cfg_file))
        console.print(f"[bold]regwatch demo[/] — serving saved AMAC and CSRC responses on 127.0.0.1, "
                      f"SMTP sink on 127.0.0.1:{sink.port}")
        with Store(cfg.db_path()) as store:
            for sid in DEMO_SOURCES:
                r = run_source(cfg, sid, store=store)
                failed |= r.status != "ok"
                console.print(f"  crawl  {r.line()}", markup=False)
            flush = queue_and_send_alerts(cfg, store)
            if flush is not None:
                console.print(f"  alerts sent={flush.sent} retry={flush.retry} failed={flush.failed}", markup=False)
                failed |= bool(flush.exit_code)
            res = run_digests(store.db, cfg, out=out / "digest", send=True)
            for line in res.messages:
                console.print(f"  digest {line}", markup=False)
            failed |= bool(res.exit_code)
            total = store.count_notices()
        mails = sink.save_eml(out / "mail")
    finally:
        sink.stop()
        for s in servers.values():
            s.stop()
    console.print()
    console.print(f"  notices stored : {total}")
    console.print(f"  database       : {cfg.db_path()}")
    console.print(f"  digest (HTML)  : {out / 'digest' / 'digest.html'}")
    console.print(f"  digest (text)  : {out / 'digest' / 'digest.txt'}")
    console.print(f"  mails (.eml)   : {len(mails)} in {out / 'mail'}"
                  + (f" (e.g. {mails[0].name})" if mails else ""))
    console.print(f"  config         : {cfg_file}  (try: monitor --config {cfg_file} sources)")
    return 1 if failed else 0
