"""Context: official ↔ base_url mapping, fetching through a replay, validators, paging rules, politeness, PDFs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

import httpx
import pytest

from monitor.config import SourceConfig
from monitor.context import Context
from monitor.errors import BlockedError, FetchError, ParseError
from monitor.http import HttpClient
from monitor.replay import ReplayServer
from scrapers.base import SourceInfo

SRC = SourceInfo(id="amac", name="中国证券投资基金业协会", issuer="中国证券投资基金业协会",
                 base_url="https://www.amac.org.cn", official_hosts=("www.amac.org.cn", "amac.org.cn"),
                 min_delay=2.0, block_markers=("请求已中断", "WAF"))
CSRC = SourceInfo(id="csrc", name="证监会", issuer="中国证监会", base_url="http://www.csrc.gov.cn",
                  official_hosts=("www.csrc.gov.cn",), min_delay=5.0)
LIST = "/zlgl/jlcf/scfjg/index.html"


class FakeClock:
    def __init__(self) -> None:
        self.now = 50.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, s: float) -> None:
        self.sleeps.append(round(s, 3))
        self.now += s


class DictValidators(dict):
    def get_validators(self, url: str) -> tuple[str | None, str | None] | None:
        return self.get(url)

    def set_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        self[url] = (etag, last_modified)


def make_ctx(base_url: str | None = "http://127.0.0.1:8765", *, source: SourceInfo = SRC,
             known: Callable[[str], bool] = lambda u: False, max_pages: int = 3, backfill: bool = False,
             client: HttpClient | None = None, settled: Callable[[str], bool] | None = None,
             **cfg: Any) -> Context:
    client = client or HttpClient(user_agent="t", max_retries=0, backoff=0)
    return Context(source, SourceConfig(base_url=base_url, **cfg), client, known=known, max_pages=max_pages,
                   backfill=backfill, settled=settled)


# ---------------------------------------------------------------- URL mapping


@pytest.mark.parametrize("given,fetched", [
    ("https://www.amac.org.cn/zlgl/jlcf/scfjg/index.html", "http://127.0.0.1:8765/zlgl/jlcf/scfjg/index.html"),
    ("http://amac.org.cn/a/b.html?x=1&y=2", "http://127.0.0.1:8765/a/b.html?x=1&y=2"),
    ("//www.amac.org.cn/a.pdf", "http://127.0.0.1:8765/a.pdf"),
    ("/zlgl/jlcf/scfry/index_1.html", "http://127.0.0.1:8765/zlgl/jlcf/scfry/index_1.html"),
    ("https://www.sec.gov/x", "https://www.sec.gov/x"),  # not the source's host: unchanged
])
def test_to_base(given: str, fetched: str) -> None:
    assert make_ctx().to_base(given) == fetched


def test_official_url_maps_back() -> None:
    ctx = make_ctx()
    assert ctx.official_url("http://127.0.0.1:8765/zlgl/a.html?p=2") == "https://www.amac.org.cn/zlgl/a.html?p=2"
    assert ctx.official_url("http://127.0.0.1:9999/zlgl/a.html") == "http://127.0.0.1:9999/zlgl/a.html"
    assert ctx.official_url("https://www.amac.org.cn/x") == "https://www.amac.org.cn/x"


def test_base_url_with_path_prefix_both_ways() -> None:
    ctx = make_ctx("http://127.0.0.1:8765/replay/amac")
    assert ctx.to_base("https://www.amac.org.cn/a/b.html") == "http://127.0.0.1:8765/replay/amac/a/b.html"
    assert ctx.official_url("http://127.0.0.1:8765/replay/amac/a/b.html") == "https://www.amac.org.cn/a/b.html"


def test_no_base_url_means_official_site() -> None:
    ctx = make_ctx(None, source=CSRC)
    assert ctx.to_base("//www.csrc.gov.cn/csrc/c1/content.shtml") == "http://www.csrc.gov.cn/csrc/c1/content.shtml"
    assert ctx.official_url("http://www.csrc.gov.cn/x") == "http://www.csrc.gov.cn/x"


# ---------------------------------------------------------------- fetching through a replay


@pytest.fixture
def site(tmp_path: Path) -> Path:
    body = ('<html><head><meta charset="utf-8"></head><body><ul><li><a href="./202601/t20260105_1.html">'
            "关于对上海某某投资管理有限公司的纪律处分决定书</a></li></ul></body></html>")
    (tmp_path / "list.html").write_text(body, encoding="utf-8")
    responses = [
        {"method": "GET", "path": LIST, "query": {}, "status": 200,
         "headers": {"Content-Type": "text/html; charset=utf-8"}, "file": "list.html"},
        {"method": "GET", "path": "/moved.html", "query": {}, "status": 302,
         "headers": {"Location": "https://www.amac.org.cn" + LIST}, "body": ""},
    ]
    (tmp_path / "manifest.json").write_text(json.dumps({"source": "amac", "responses": responses}), encoding="utf-8")
    return tmp_path


@pytest.fixture
def server(site: Path, replay_server: Callable[..., ReplayServer]) -> ReplayServer:
    return replay_server(site)


def test_fetch_goes_through_base_url_and_reports_official_urls(server: ReplayServer) -> None:
    ctx = make_ctx(server.base_url)
    got = ctx.fetch("https://www.amac.org.cn" + LIST)
    assert got is not None and "上海某某" in got.text
    assert got.url == got.final_url == "https://www.amac.org.cn" + LIST
    assert server.requests[0].target == LIST
    assert ctx.requests == 1


def test_redirect_to_official_host_is_followed_through_base_url(server: ReplayServer) -> None:
    ctx = make_ctx(server.base_url)
    got = ctx.fetch("https://www.amac.org.cn/moved.html")
    assert got is not None and got.final_url == "https://www.amac.org.cn" + LIST
    assert [r.target for r in server.requests] == ["/moved.html", LIST]
    assert ctx.requests == 2


def test_conditional_fetch_304_only_after_commit(server: ReplayServer) -> None:
    store = DictValidators()
    client = HttpClient(user_agent="t", max_retries=0, validators=store)
    ctx = make_ctx(server.base_url, client=client)
    url = "https://www.amac.org.cn" + LIST
    assert ctx.fetch(url, conditional=True) is not None
    assert store == {} and url in ctx.pending_validators  # nothing saved until the run succeeded
    assert ctx.fetch(url, conditional=True) is not None
    assert ctx.commit_validators() == 1 and store[url][0].startswith('"')  # keyed by the official URL
    assert ctx.fetch(url, conditional=True) is None
    assert [r.status for r in server.requests] == [200, 200, 304]


def test_waf_page_raises_blocked_with_source_markers(server: ReplayServer) -> None:
    server.set_fault(None, "waf")
    with pytest.raises(BlockedError):
        make_ctx(server.base_url).fetch("https://www.amac.org.cn" + LIST)


def test_replay_never_leaks_to_other_hosts(server: ReplayServer) -> None:
    with pytest.raises(FetchError, match="off-replay"):
        make_ctx(server.base_url).fetch("https://www.example.com/x")
    assert server.requests == []


def test_recorder_gets_every_raw_response(server: ReplayServer) -> None:
    saved: list[dict[str, Any]] = []

    class Rec:
        def save(self, **kw: Any) -> None:
            saved.append(kw)

    ctx = make_ctx(server.base_url)
    ctx.recorder = Rec()
    ctx.fetch("https://www.amac.org.cn/moved.html?a=1")
    assert [(s["path"], s["query"], s["status"]) for s in saved] == [("/moved.html", {"a": "1"}, 302),
                                                                     (LIST, {}, 200)]
    assert saved[1]["body"].startswith(b"<html>")


def test_json_allows_control_characters_and_reports_malformed() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        body = b'{"t": "a\tb\nc"}' if request.url.path == "/ok" else b'{"t": '
        return httpx.Response(200, headers={"Content-Type": "application/json"}, content=body)

    ctx = make_ctx(client=HttpClient(user_agent="t", transport=httpx.MockTransport(handler)))
    got = ctx.fetch("https://www.amac.org.cn/ok")
    assert got is not None and got.json() == {"t": "a\tb\nc"}
    bad = ctx.fetch("https://www.amac.org.cn/bad")
    assert bad is not None
    with pytest.raises(ParseError):
        bad.json()


# ---------------------------------------------------------------- politeness


def _polite_run(base_url: str | None, **cfg: Any) -> list[float]:
    clock = FakeClock()
    client = HttpClient(user_agent="t", transport=httpx.MockTransport(lambda r: httpx.Response(200, text="ok")),
                        sleep=clock.sleep, clock=clock)
    ctx = make_ctx(base_url, client=client, **cfg)
    for i in range(3):
        ctx.fetch(f"https://www.amac.org.cn/p{i}.html")
    return clock.sleeps


def test_loopback_base_url_has_zero_delay() -> None:
    assert _polite_run("http://127.0.0.1:8765") == []
    assert _polite_run("http://localhost:8765") == []


def test_explicit_min_delay_applies_on_loopback() -> None:
    assert _polite_run("http://127.0.0.1:8765", min_delay=1.5) == [1.5, 1.5]


def test_production_host_uses_source_default_delay() -> None:
    assert _polite_run(None) == [2.0, 2.0]
    assert _polite_run("https://mirror.example.com") == [2.0, 2.0]


# ---------------------------------------------------------------- incremental paging


def test_continue_paging_stops_on_a_fully_known_page() -> None:
    stored = {"https://www.amac.org.cn/a.html", "https://www.amac.org.cn/b.html"}
    ctx = make_ctx(known=stored.__contains__, max_pages=5)
    assert ctx.continue_paging(1, ["https://www.amac.org.cn/new.html", "./a.html"])
    assert not ctx.continue_paging(2, ["/a.html", "http://www.amac.org.cn/b.html"])  # http/https: same notice


def test_continue_paging_stops_at_max_pages() -> None:
    ctx = make_ctx(max_pages=2)
    assert ctx.continue_paging(1, ["/x1.html"])
    assert not ctx.continue_paging(2, ["/x2.html"])


def test_rows_seen_earlier_in_the_run_count_as_known() -> None:
    ctx = make_ctx(max_pages=5)
    assert ctx.continue_paging(1, ["/x1.html", "/x2.html"])
    assert not ctx.continue_paging(2, ["/x2.html", "/x1.html"])  # the list shifted: page 2 repeats page 1


def test_catching_up_pages_past_rows_the_unfinished_run_stored() -> None:
    old = {"https://www.amac.org.cn/o1.html", "https://www.amac.org.cn/o2.html"}
    recent = {"https://www.amac.org.cn/n1.html", "https://www.amac.org.cn/n2.html"}
    ctx = make_ctx(known=(old | recent).__contains__, settled=old.__contains__, max_pages=5)
    assert ctx.continue_paging(1, ["/n1.html", "/n2.html"])  # all known, but only from the interrupted run
    assert ctx.continue_paging(2, ["/lost.html", "/n2.html"])  # what it never reached
    assert not ctx.continue_paging(3, ["/o1.html", "/o2.html"])  # back among rows stored before it


def test_catching_up_still_stops_at_max_pages() -> None:
    ctx = make_ctx(known=lambda u: True, settled=lambda u: False, max_pages=2)
    assert ctx.continue_paging(1, ["/a.html"])
    assert not ctx.continue_paging(2, ["/b.html"])


def test_backfill_ignores_knownness() -> None:
    ctx = make_ctx(known=lambda u: True, max_pages=3, backfill=True)
    assert ctx.continue_paging(1, ["/a.html"]) and ctx.continue_paging(2, ["/a.html"])
    assert not ctx.continue_paging(3, ["/a.html"])


def test_is_known_uses_canonical_official_url() -> None:
    asked: list[str] = []
    ctx = make_ctx(known=lambda u: asked.append(u) or False)
    ctx.is_known("./202601/t1.html#top")
    ctx.is_known("//www.amac.org.cn/x.html")
    assert asked == ["https://www.amac.org.cn/202601/t1.html", "https://www.amac.org.cn/x.html"]


def test_warn_is_collected() -> None:
    ctx = make_ctx()
    ctx.warn("row 3: no date")
    assert ctx.warnings == ["row 3: no date"]


# ---------------------------------------------------------------- PDFs


def minimal_pdf(text: str) -> bytes:
    """A one-page PDF with `text` in Helvetica, with a correct xref table."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def test_pdf_text() -> None:
    assert "Final Notice 2026" in make_ctx().pdf_text(minimal_pdf("Final Notice 2026"))


def test_broken_pdf_is_parse_error() -> None:
    with pytest.raises(ParseError, match="broken PDF"):
        make_ctx().pdf_text(b"%PDF-1.4 this is not really a pdf")
