"""Run-level fault table: every replay fault kind against a whole `pipeline.run_source` + alert send.

For each row of SCENARIOS, against the loopback replay of tests/fixtures/<source> and a real SMTP sink:

1. a clean baseline run (stored silently, no mail);
2. two new notices appear at the top of the list (replace_body) and the fault is injected on the list endpoint or on
   a new notice's detail page; a run + `queue_and_send_alerts`;
3. the fault is cleared; a clean run + send.

Asserted for every row: the faulty run ends; its `runs` row has the expected status (ok / partial / failed) and an
error naming the cause; nothing stored before is lost, changed or duplicated; a failed/partial run leaves no
validator that would turn the next list fetch into a 304; the clean run stores the two new notices exactly once; every
new notice is mailed exactly once per recipient over both runs and nothing else is mailed.

Sleeps (backoff, Retry-After) go through HttpClient's injectable `sleep` and are recorded, not slept; timeouts are
real but small (http.timeout 0.5 s). `python bench/fault_table.py` prints the same table as markdown (docs/faults.md).
"""

from __future__ import annotations

import contextlib
import json
import re
import tracemalloc
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import pytest

from alerts.email import message_id_for
from alerts.smtp_sink import SmtpSink
from monitor import pipeline
from monitor.config import Config, parse_config
from monitor.http import HttpClient
from monitor.replay import ReplayServer
from monitor.store import Store
from scrapers import amac, csrc

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
HQ_PEN = "17d5ff2fe43e488dba825807ae40d63f"
RECIPIENTS = ("alice@example.com", "bob@example.com")

# list endpoint (path, query of page 1) and the new notices' detail pages, per source
AMAC_LIST = "/zlgl/jlcf/scfjg/index.html"
AMAC_NEW = [("/zlgl/jlcf/scfjg/202512/t20251202_27002.html", "纪律处分决定书（虚构新乙私募基金管理有限公司）", "中基协处分〔2025〕52号"),
            ("/zlgl/jlcf/scfjg/202512/t20251201_27001.html", "纪律处分决定书（虚构新甲私募基金管理有限公司）", "中基协处分〔2025〕51号")]
CSRC_LIST = f"/searchList/{HQ_PEN}"
CSRC_NEW = [("/csrc/c101971/c7700002/content.shtml", "中国证监会行政处罚决定书（虚构新乙股份有限公司）", "〔2025〕32号"),
            ("/csrc/c101971/c7700001/content.shtml", "中国证监会行政处罚决定书（虚构新甲股份有限公司）", "〔2025〕31号")]
LIST_PATH = {"amac": AMAC_LIST, "csrc": CSRC_LIST}
NEW = {"amac": AMAC_NEW, "csrc": CSRC_NEW}
HUGE_MB = 50


@dataclass(frozen=True)
class Scenario:
    source: str
    target: str  # "list": the list endpoint (page 1; csrc: every page) | "detail": the 2nd new notice's page
    kind: str
    params: dict[str, Any] = field(default_factory=dict)
    count: int | None = None  # requests the fault lasts (None: until cleared)
    expect: str = "failed"  # status of the faulty run
    reason: str = ""  # regex the runs.error must match (case-insensitive); "" for ok runs
    label: str = ""

    @property
    def id(self) -> str:
        return f"{self.source}-{self.target}-{self.label or self.kind}"


def _both(target: str, kind: str, *, expect: str, reason: str = "", label: str = "", count: int | None = None,
          **params: Any) -> list[Scenario]:
    return [Scenario(src, target, kind, params, count, expect, reason, label) for src in ("amac", "csrc")]


SCENARIOS: list[Scenario] = [
    *_both("list", "status", codes=[500, 502, 503], count=3, expect="ok", label="5xx burst (recovers)"),
    *_both("list", "status", codes=[500, 502, 503], count=1000, expect="failed", reason=r"HTTP 50[0-3] after 4 attempts",
           label="5xx persistent"),
    *_both("list", "connect_timeout", seconds=3, count=1, expect="ok", label="timeout (recovers)"),
    *_both("list", "connect_timeout", seconds=3, expect="failed", reason=r"NetworkError.*timed? ?out|NetworkError.*Timeout",
           label="connect timeout"),
    *_both("list", "read_timeout_mid_body", seconds=3, expect="failed", reason=r"NetworkError.*(Timeout|timed out)"),
    *_both("list", "truncate", expect="failed", reason=r"truncated body"),
    *_both("list", "retry_after", seconds=7, count=1, expect="ok", label="429 Retry-After 7s"),
    *_both("list", "retry_after", seconds=600, count=1, expect="failed", reason=r"Retry-After 600s exceeds",
           label="429 Retry-After 600s"),
    *_both("list", "redirect_loop", expect="failed", reason=r"redirect loop"),
    *_both("list", "redirect_other_host", host="evil.example", expect="failed", reason=r"another host evil\.example"),
    *_both("list", "gbk_no_charset", expect="ok"),
    *_both("list", "wrong_charset", expect="ok"),
    *_both("list", "malformed", expect="failed", reason=r"ParseError.*(no rows|not JSON)"),
    *_both("list", "huge", mb=HUGE_MB, content_length=True, expect="failed", reason=r"exceeds the 20000000-byte cap",
           label="50 MB body (Content-Length)"),
    *_both("list", "huge", mb=HUGE_MB, content_length=False, expect="failed", reason=r"exceeds the 20000000-byte cap",
           label="50 MB body (chunked)"),
    *_both("list", "waf", expect="failed", reason=r"BlockedError"),
    *_both("list", "empty_list", expect="failed", reason=r"ParseError.*(no rows|empty)"),
    *_both("list", "layout_change", expect="failed", reason=r"ParseError"),
    # a fault on one notice's detail page: the other new notice is stored, the run is partial, the next run catches up
    *_both("detail", "status", codes=[503], count=1000, expect="partial", reason=r"HTTP 503 after 4 attempts",
           label="5xx persistent"),
    *_both("detail", "connect_timeout", seconds=3, expect="partial", reason=r"NetworkError", label="connect timeout"),
    *_both("detail", "truncate", expect="partial", reason=r"truncated body"),
    *_both("detail", "redirect_other_host", host="evil.example", expect="partial", reason=r"another host"),
    *_both("detail", "gbk_no_charset", expect="ok"),
    *_both("detail", "malformed", expect="partial", reason=r"skipped .*none of .* found"),
    *_both("detail", "huge", mb=HUGE_MB, content_length=False, expect="partial", reason=r"byte cap",
           label="50 MB body (chunked)"),
    *_both("detail", "waf", expect="partial", reason=r"BlockedError"),
    *_both("detail", "layout_change", expect="partial", reason=r"skipped"),
]


# ---------------------------------------------------------------- environment


@contextlib.contextmanager
def recorded_sleep() -> Iterator[list[float]]:
    """Every HttpClient built by the pipeline records its sleeps instead of sleeping (backoff, Retry-After)."""
    slept: list[float] = []
    original = HttpClient.__dict__["for_source"]

    def for_source(cls: type[HttpClient], *a: Any, **kw: Any) -> HttpClient:
        kw.setdefault("sleep", slept.append)
        return original.__func__(cls, *a, **kw)

    HttpClient.for_source = classmethod(for_source)  # type: ignore[method-assign,assignment]
    try:
        yield slept
    finally:
        HttpClient.for_source = original  # type: ignore[method-assign]


def make_config(tmp: Path, source: str, base_url: str, smtp: SmtpSink) -> Config:
    extra = f"    channels: [{HQ_PEN}]\n" if source == "csrc" else "    lists: [scfjg, scfry]\n"
    text = f"""
database: {tmp / 'regwatch.db'}
timezone: Asia/Shanghai
http:
  timeout: 0.5
  max_retries: 3
  backoff: 1.0
sources:
  {source}:
    base_url: {base_url}
    min_delay: 0
    max_pages: 5
{extra}smtp:
  host: 127.0.0.1
  port: {smtp.port}
  from: regwatch@example.com
  timeout: 5
subscriptions:
  - name: everything
    to: [{', '.join(RECIPIENTS)}]
    mode: instant
"""
    return parse_config(text, str(tmp / "config.yaml"))


def amac_detail(title: str, doc: str, day: str) -> str:
    return f"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="PubDate" content="2025-12-{day} 10:00"><title>{title}-中国证券投资基金业协会</title></head><body>
<div class="main w1200"><div class="content-right"><div class="title"><h3>{title}</h3></div>
<div class="TRS_Editor"><p>中国证券投资基金业协会纪律处分决定书</p><p>{doc}</p>
<p>当事人：{title[7:-1]}，住所地虚构市虚构区。</p><p>经查，当事人存在向不合格投资者募集资金的违规行为。</p>
<p>协会决定：对当事人公开谴责，并暂停受理其私募基金产品备案六个月。</p><p>（测试用虚构示例）</p>
<p>中国证券投资基金业协会</p><p>2025年12月{int(day)}日</p></div></div></div></body></html>"""


def csrc_detail(title: str, doc: str) -> str:
    return f"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{title}_中国证券监督管理委员会</title>
</head><body><div class="content"><div class="detail-title"><h2>{title}</h2></div><div class="detail-news">
<p>{doc}</p><p>当事人：{title[13:-1]}，住所：虚构省虚构市。</p><p>经查明，当事人存在信息披露违法违规的违法事实。</p>
<p>我会决定：对当事人责令改正，给予警告，并处以200万元罚款。</p><p>（测试用虚构示例）</p></div></div></body></html>"""


def add_new_notices(server: ReplayServer, source: str) -> list[str]:
    """Two new notices at the top of the list (detail pages served too); returns their official URLs."""
    if source == "amac":
        path = FIXTURES / "amac" / "zlgl/jlcf/scfjg/index.html"
        html = path.read_text(encoding="utf-8")
        rows = ""
        for i, (p, title, doc) in enumerate(AMAC_NEW):
            day = p.split("_")[0][-2:]
            server.set_override(p, body=amac_detail(title, doc, day))
            rows += (f'<li><a href=".{p.removeprefix("/zlgl/jlcf/scfjg")}" target="_blank" title="{title}">{title}'
                     f"</a><span>2025-12-{day}</span></li>\n")
        html = html.replace("<ul>\n        <li><a href=\"./202501", "<ul>\n" + rows + "        <li><a href=\"./202501", 1)
        assert rows in html
        server.replace_body(AMAC_LIST, html)
        return ["https://www.amac.org.cn" + p for p, _, _ in AMAC_NEW]
    doc = json.loads((FIXTURES / "csrc" / f"searchList/{HQ_PEN}/page-1.json").read_text(encoding="utf-8"),
                     strict=False)
    results = doc["data"]["results"]
    new = []
    for p, title, wh in CSRC_NEW:
        server.set_override(p, body=csrc_detail(title, wh))
        r = {k: v for k, v in json.loads(json.dumps(results[0])).items() if k not in ("content", "contentHtml")}
        mid = p.split("/")[3][1:]
        r.update(url="//www.csrc.gov.cn" + p, title=title, subTitle=title, manuscriptId=mid,
                 publishedTimeStr="2025-12-0%s 10:00:00" % wh[-3])
        r["domainMetaList"][0]["resultList"][0]["value"] = wh
        new.append(r)
    doc["data"]["results"] = new + results
    doc["data"]["total"] += len(new)
    server.replace_body(CSRC_LIST, json.dumps(doc, ensure_ascii=False), query={"_isJson": "true", "page": "1"})
    return ["https://www.csrc.gov.cn" + p for p, _, _ in CSRC_NEW]


# ---------------------------------------------------------------- checks


def snapshot(store: Store) -> dict[str, tuple[str, str, str]]:
    return {r["id"]: (r["title"], r["text"], r["content_hash"])
            for r in store.db.query("select id, title, text, content_hash from notices")}


def check_store(store: Store, before: dict[str, tuple[str, str, str]]) -> None:
    """Nothing stored before is lost or changed; no duplicate ids or (source, url_key)."""
    now = snapshot(store)
    lost = set(before) - set(now)
    assert not lost, f"notices lost: {sorted(lost)}"
    changed = [nid for nid in before if now[nid] != before[nid]]
    assert not changed, f"stored notices changed: {changed}"
    n = store.count_notices()
    (urls,) = store.db.execute("select count(distinct source || ' ' || url_key) from notices").fetchone()
    assert urls == n == len(now), f"duplicates: {n} rows, {urls} distinct (source, url_key)"
    assert store.db.execute("pragma integrity_check").fetchone()[0] == "ok"


def mail_counts(sink: SmtpSink, cfg: Config, ids: list[str]) -> tuple[Counter, list[str]]:
    """(recipient, notice id) → number of messages received; and the Message-IDs nobody expected."""
    expected = {message_id_for(f"alert:{r}:{nid}", cfg.smtp.from_): (r, nid) for r in RECIPIENTS for nid in ids}
    counts: Counter = Counter()
    unexpected = []
    for m in sink.messages:
        mid = str(m.message["Message-ID"]).strip()
        if mid in expected:
            counts[expected[mid]] += 1
            assert expected[mid][0] in m.rcpt_tos
        else:
            unexpected.append(f"{mid} {m.message['Subject']}")
    return counts, unexpected


def short(error: str | None, n: int = 90) -> str:
    if not error:
        return ""
    e = re.sub(r"https?://127\.0\.0\.1:\d+", "", " ".join(error.split()))
    e = re.sub(r"https?://www\.(amac\.org|csrc\.gov)\.cn", "", e)
    return e if len(e) <= n else e[: n - 1] + "…"


@dataclass
class Outcome:
    scenario: Scenario
    status: str
    error: str | None
    new_faulty: int
    new_clean: int
    clean_status: str
    mails: int
    retried_sleeps: list[float]
    list_304_after: bool
    peak_mb: float | None = None

    def row(self) -> str:
        s = self.scenario
        caught = f"+{self.new_clean}" if self.new_clean else "—"
        peak = f" (peak {self.peak_mb:.0f} MB)" if self.peak_mb is not None else ""
        return (f"| {s.source} | {s.target} | {s.label or s.kind} | {self.status} | {short(self.error)}{peak} | "
                f"{self.new_faulty} | {caught} ({self.clean_status}) | {self.mails} (1 per notice × recipient) |")


TABLE_HEAD = ("| source | fault on | fault | faulty run | recorded reason | new in faulty run | next clean run | "
              "alerts mailed |\n|---|---|---|---|---|---|---|---|")


def run_scenario(s: Scenario, tmp: Path) -> Outcome:
    """Baseline, faulty run, clean run; asserts the invariants (see the module docstring)."""
    tmp.mkdir(parents=True, exist_ok=True)
    with SmtpSink() as sink, ReplayServer(FIXTURES / s.source) as server, recorded_sleep() as slept:
        cfg = make_config(tmp, s.source, server.base_url, sink)
        with Store(cfg.database) as store:
            base = pipeline.run_source(cfg, s.source, store=store)
            assert base.status == "ok" and base.new > 0 and base.baseline, base.line()
            pipeline.queue_and_send_alerts(cfg, store)
            assert sink.messages == [], "a silent baseline mailed"
            before = snapshot(store)

            new_urls = add_new_notices(server, s.source)
            target = LIST_PATH[s.source] if s.target == "list" else NEW[s.source][1][0]
            server.set_fault(target, s.kind, count=s.count, **s.params)
            fault = server._faults[target]
            slept.clear()
            traced = s.kind == "huge"
            if traced:
                tracemalloc.start()
            try:
                faulty = pipeline.run_source(cfg, s.source, store=store)
                peak = tracemalloc.get_traced_memory()[1] / 1e6 if traced else None
            finally:
                if traced:
                    tracemalloc.stop()
            faulty_sleeps = list(slept)
            pipeline.queue_and_send_alerts(cfg, store)
            assert fault.served > 0, f"the fault on {target} was never hit"

            run = store.last_runs(s.source, 1)[0]
            assert (run["status"], run["error"]) == (faulty.status, faulty.error)
            assert faulty.status == s.expect, f"{s.id}: {faulty.line()}"
            if s.expect == "ok":
                assert not faulty.error and faulty.new == 2
            else:
                assert faulty.error and re.search(s.reason, faulty.error, re.I | re.S), \
                    f"{s.id}: reason {s.reason!r} not in {faulty.error!r}"
            if peak is not None:
                assert peak < 0.8 * HUGE_MB, f"{peak:.0f} MB traced while refusing a {HUGE_MB} MB body: buffered?"
            check_store(store, before)

            # a failed or partial run must not have saved the new list's validators: the next fetch is a 200
            list_key = amac.page_url("scfjg", 1) if s.source == "amac" else csrc.list_url(HQ_PEN, 1)
            saved = store.get_validators(list_key)
            list_entry = server._find("GET", LIST_PATH[s.source], None if s.source == "amac"
                                      else {"_isJson": "true", "page": "1"})
            assert list_entry is not None
            poisoned = saved is not None and saved[0] == list_entry.etag()
            if faulty.status != "ok":
                assert not poisoned, f"{s.id}: a {faulty.status} run saved the list's new ETag"

            server.clear_faults()
            mark = len(server.requests)
            clean = pipeline.run_source(cfg, s.source, store=store)
            pipeline.queue_and_send_alerts(cfg, store)
            assert clean.status == "ok", clean.line()
            list_304 = any(r.status == 304 for r in server.requests[mark:]
                           if r.target.split("?")[0] == LIST_PATH[s.source])
            assert faulty.new + clean.new == 2, (faulty.line(), clean.line())
            check_store(store, before)
            new_ids = [r["id"] for r in store.db.query(
                f"select id from notices where url in ({','.join('?' * len(new_urls))})", new_urls)]
            assert len(new_ids) == 2, f"new notices stored: {new_ids}"
            assert store.count_notices() == len(before) + 2
            for nid in new_ids:
                n = store.get_notice(nid)
                assert n is not None and n["title"] in {t for _, t, _ in NEW[s.source]}, n and n["title"]
                assert any(doc in (n["doc_number"] or "") for _, _, doc in NEW[s.source])

            counts, unexpected = mail_counts(sink, cfg, new_ids)
            assert not unexpected, f"unexpected mail: {unexpected}"
            want = {(r, nid): 1 for r in RECIPIENTS for nid in new_ids}
            assert dict(counts) == want, f"alerts lost or doubled: {dict(counts)}"
            if s.kind == "retry_after" and s.expect == "ok":
                assert float(s.params["seconds"]) in faulty_sleeps, faulty_sleeps
    return Outcome(s, faulty.status, faulty.error, faulty.new, clean.new, clean.status, sum(counts.values()),
                   faulty_sleeps, list_304, peak)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.id for s in SCENARIOS])
def test_fault(scenario: Scenario, tmp_path: Path) -> None:
    run_scenario(scenario, tmp_path)


def test_every_fault_kind_is_in_the_table() -> None:
    from monitor.replay import FAULT_KINDS

    assert FAULT_KINDS - {"hang"} <= {s.kind for s in SCENARIOS}  # hang is connect_timeout's alias


def test_fault_on_page_two_after_new_rows_on_page_one_is_caught_up(tmp_path: Path) -> None:
    """Seven new notices: six fill list page 1, the seventh is on page 2, whose fetch fails (503 persistent)."""
    with SmtpSink() as sink, ReplayServer(FIXTURES / "amac") as server, recorded_sleep():
        cfg = make_config(tmp_path, "amac", server.base_url, sink)
        with Store(cfg.database) as store:
            assert pipeline.run_source(cfg, "amac", store=store).status == "ok"
            page1 = (FIXTURES / "amac" / "zlgl/jlcf/scfjg/index.html").read_text(encoding="utf-8")
            page2 = (FIXTURES / "amac" / "zlgl/jlcf/scfjg/index_1.html").read_text(encoding="utf-8")
            rows = []
            for k in range(7):
                p = f"/zlgl/jlcf/scfjg/202512/t202512{10 + k:02d}_2710{k}.html"
                title = f"纪律处分决定书（虚构新{k}投资管理有限公司）"
                server.set_override(p, body=amac_detail(title, f"中基协处分〔2025〕6{k}号", f"{10 + k:02d}"))
                rows.append(f'<li><a href=".{p.removeprefix("/zlgl/jlcf/scfjg")}" title="{title}">{title}</a>'
                            f"<span>2025-12-{10 + k:02d}</span></li>")
            ul1 = re.search(r"<ul>\s*<li><a href=\"\./2025.*?</ul>", page1, re.S)
            ul2 = re.search(r"<ul>\s*<li>.*?</ul>", page2[page2.index("c-box"):], re.S)
            assert ul1 and ul2
            old1 = re.findall(r"<li>.*?</li>", ul1.group(0))
            server.replace_body(AMAC_LIST, page1.replace(ul1.group(0), "<ul>" + "".join(rows[:6]) + "</ul>"))
            server.replace_body("/zlgl/jlcf/scfjg/index_1.html", page2.replace(
                ul2.group(0), "<ul>" + rows[6] + "".join(old1) + "".join(re.findall(r"<li>.*?</li>", ul2.group(0)))
                + "</ul>"))
            server.set_fault("/zlgl/jlcf/scfjg/index_1.html", "status", codes=[503], count=1000)
            faulty = pipeline.run_source(cfg, "amac", store=store)
            assert faulty.status == "partial" and faulty.new == 6, faulty.line()
            server.clear_faults()
            clean = pipeline.run_source(cfg, "amac", store=store)
            assert clean.status == "ok"
            assert faulty.new + clean.new == 7, f"the seventh notice was missed: {clean.line()}"
