"""End to end through the pipeline and a real store, against the loopback replay of tests/fixtures/<source>/.

What issue 2 asks: a second run against unchanged responses makes one request per list endpoint (304) and stores
nothing; two notices added at the top of a list are found with at most one more list request plus their detail
pages; a changed text becomes a revision; a skipped record is fetched again on the next run.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from monitor.config import Config
from monitor.pipeline import queue_and_send_alerts, run_source
from monitor.store import Store

FIX = Path(__file__).parent / "fixtures"
HQ_MEA = "3ff8b60a78ab4c749387d99b9164ec6e"


def make_cfg(tmp_path: Path, base_urls: dict[str, str], **source_extra: dict) -> Config:
    sources = {sid: {"base_url": url, "min_delay": 0, **source_extra.get(sid, {})} for sid, url in base_urls.items()}
    return Config.model_validate({
        "database": str(tmp_path / "r.db"),
        "http": {"backoff": 0.01, "max_retries": 1, "timeout": 5},
        "sources": sources,
    })


def list_requests(server, start: int = 0) -> list:
    return [r for r in server.requests[start:] if "/index" in r.target or r.target.startswith("/searchList/")]


@pytest.fixture
def amac(replay_server, tmp_path):
    server = replay_server(FIX / "amac")
    cfg = make_cfg(tmp_path, {"amac": server.base_url})
    store = Store(cfg.db_path())
    yield server, cfg, store
    store.close()


def test_amac_first_run_is_a_silent_baseline_then_304s(amac):
    server, cfg, store = amac
    first = run_source(cfg, "amac", store=store)
    assert first.status == "ok" and first.baseline
    assert first.new == first.seen == store.count_notices("amac") == 13
    assert store.pending_alerts() == []  # baseline: nobody is alerted about history
    run = store.last_runs("amac")[0]
    assert (run["status"], run["new"], run["seen"], run["requests"]) == ("ok", 13, 13, first.requests)

    start = len(server.requests)
    second = run_source(cfg, "amac", store=store)
    assert (second.status, second.new, second.seen, second.baseline) == ("ok", 0, 0, False)
    assert second.requests == 2  # one per list endpoint (scfjg, scfry)
    assert [r.status for r in server.requests[start:]] == [304, 304]
    assert store.count_notices() == 13


def test_amac_two_new_notices_cost_one_list_request_and_their_details(amac):
    server, cfg, store = amac
    run_source(cfg, "amac", store=store)
    html = (FIX / "amac/zlgl/jlcf/scfjg/index.html").read_text(encoding="utf-8")
    rows = "".join(f'<li><a href="./202512/t202512{d}_{i}.html">纪律处分决定书（新{i}）</a><span>2025-12-{d}</span></li>\n'
                   for d, i in (("05", 27002), ("01", 27001)))
    server.replace_body("/zlgl/jlcf/scfjg/index.html", html.replace("<ul>\n        <li>", "<ul>\n" + rows + "<li>", 1))
    template = (FIX / "amac/zlgl/jlcf/scfjg/202411/t20241108_25890.html").read_text(encoding="utf-8")
    for d, i in (("05", 27002), ("01", 27001)):
        server.set_override(f"/zlgl/jlcf/scfjg/202512/t202512{d}_{i}.html",
                            body=template.replace("中基协处分〔2024〕41号", f"中基协处分〔2025〕{i}号"))
    start = len(server.requests)
    res = run_source(cfg, "amac", store=store)
    assert (res.status, res.new) == ("ok", 2)
    # steady state is 2 list requests (both 304); now: scfjg page 1 (200) + page 2 (overlap) + scfry (304)
    assert len(list_requests(server, start)) <= 2 + 1
    assert len(server.requests) - start - len(list_requests(server, start)) == 2  # the two detail pages
    assert store.count_notices() == 15
    assert len(store.pending_alerts()) == 2  # after the baseline, new notices alert
    assert run_source(cfg, "amac", store=store).new == 0


def test_amac_skipped_detail_is_fetched_on_the_next_run(amac):
    server, cfg, store = amac
    broken = "/zlgl/jlcf/scfjg/202406/t20240621_25512.html"
    server.set_override(broken, status=404)
    first = run_source(cfg, "amac", store=store)
    assert first.status == "partial" and first.failed == 1 and "t20240621_25512" in first.error
    assert store.count_notices() == 12
    server.set_override(broken, status=200, body=(FIX / "amac" / broken.lstrip("/")).read_bytes())
    start = len(server.requests)
    second = run_source(cfg, "amac", store=store)
    # the list with the skipped record kept no validators: fetched again (200); the clean one answers 304
    assert second.status == "ok" and second.new == 1
    statuses = {r.target.split("?")[0]: r.status for r in list_requests(server, start)}
    assert statuses["/zlgl/jlcf/scfjg/index.html"] == 200 and statuses["/zlgl/jlcf/scfry/index.html"] == 304
    assert store.count_notices() == 13


def test_csrc_changed_text_is_a_revision(replay_server, tmp_path):
    server = replay_server(FIX / "csrc")
    cfg = make_cfg(tmp_path, {"csrc": server.base_url}, csrc={"channels": [HQ_MEA]})
    with Store(cfg.db_path()) as store:
        first = run_source(cfg, "csrc", store=store)
        assert (first.status, first.new, first.requests) == ("ok", 2, 1)
        raw = (FIX / f"csrc/searchList/{HQ_MEA}/page-1.json").read_text(encoding="utf-8")
        assert "未勤勉尽责督促发行人" in raw
        server.replace_body(f"/searchList/{HQ_MEA}", raw.replace("未勤勉尽责督促发行人", "未勤勉尽责督促发行人（更正）"),
                            query={"_isJson": "true", "page": "1"})
        second = run_source(cfg, "csrc", store=store)
        assert (second.new, second.revised) == (0, 1)
        assert store.count_notices() == 2
        row = next(r for r in store.iter_notices() if r["amended"])
        assert "（更正）" in row["text"]
        [rev] = store.revisions(row["id"])
        assert "（更正）" not in rev["text"] and "未勤勉尽责督促发行人" in rev["text"]


def test_dry_run_writes_nothing(replay_server, tmp_path):
    server = replay_server(FIX / "amac")
    cfg = make_cfg(tmp_path, {"amac": server.base_url})
    res = run_source(cfg, "amac", dry_run=True, max_pages=1)
    assert res.status == "ok" and res.notices and res.new == 0
    assert all(labels["violations"] for _, labels, _ in res.notices)
    assert not cfg.db_path().exists()


def test_failed_source_leaves_a_runs_row_and_other_sources_run(replay_server, tmp_path):
    amac_server = replay_server(FIX / "amac")
    csrc_server = replay_server(FIX / "csrc")
    amac_server.set_fault(None, "waf")
    cfg = make_cfg(tmp_path, {"amac": amac_server.base_url, "csrc": csrc_server.base_url},
                   csrc={"channels": [HQ_MEA]})
    from monitor.pipeline import run_sources

    with Store(cfg.db_path()) as store:
        results = {r.source: r for r in run_sources(cfg, ["amac", "csrc"], store=store)}
        assert results["amac"].status == "failed" and "Blocked" in results["amac"].error
        assert results["csrc"].status == "ok" and results["csrc"].new == 2
        assert store.last_runs("amac")[0]["status"] == "failed"
        assert store.count_notices("amac") == 0


def test_alert_queue_survives_between_store_and_dispatch(replay_server, tmp_path):
    """Notices stored but not yet dispatched (a crash in between) are dispatched by the next run, once."""
    server = replay_server(FIX / "csrc")
    cfg = make_cfg(tmp_path, {"csrc": server.base_url}, csrc={"channels": [HQ_MEA], "baseline": "alert"})
    cfg = Config.model_validate({**cfg.model_dump(by_alias=True, exclude_none=True),
                                 "subscriptions": [{"name": "all", "to": ["a@example.com"], "mode": "instant"}]})
    with Store(cfg.db_path()) as store:
        run_source(cfg, "csrc", store=store)
        assert len(store.pending_alerts()) == 2
        queue_and_send_alerts(cfg, store, send=False)
        queue_and_send_alerts(cfg, store, send=False)  # a repeat queues nothing more
        assert store.pending_alerts() == []
        rows = list(store.db.query("select * from deliveries"))
        assert len(rows) >= 1
        ids = [json.loads(r["notice_ids"]) if isinstance(r["notice_ids"], str) else r["notice_ids"] for r in rows]
        flat = [i for group in ids for i in group]
        assert len(flat) == len(set(flat)) == 2
