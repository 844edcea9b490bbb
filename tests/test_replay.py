"""ReplayServer: manifest matching, ETag/304, runtime overrides, and every fault kind as the client sees it."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Callable

import httpx
import pytest

from monitor.errors import BlockedError, FetchError, NetworkError, ParseError
from monitor.http import HttpClient
from monitor.replay import FAULT_KINDS, ReplayServer, load_manifest

LIST_HTML = """<html><head><meta charset="utf-8"><title>受处分机构</title></head><body>
<div class="content-right"><div class="c-box"><ul>
<li><a href="./202601/t20260105_1.html">关于对上海某某投资管理有限公司的纪律处分决定书</a><span>2026-01-05</span></li>
<li><a href="./202512/t20251220_2.html">关于对北京某某基金销售有限公司的纪律处分决定书</a><span>2025-12-20</span></li>
</ul></div></div><script>createPageHTML(3, 0, "index", "html");</script></body></html>"""
JSON_PAGE = {"data": {"total": 2, "page": 1, "results": [
    {"title": "中国证监会行政处罚决定书（张某）", "url": "//www.csrc.gov.cn/csrc/c101971/c1/content.shtml"},
    {"title": "中国证监会市场禁入决定书（李某）", "url": "//www.csrc.gov.cn/csrc/c101972/c2/content.shtml"}]}}
RESPONSES = [
    {"method": "GET", "path": "/zlgl/jlcf/scfjg/index.html", "query": {}, "status": 200,
     "headers": {"Content-Type": "text/html; charset=utf-8"}, "file": "list.html"},
    {"method": "GET", "path": "/searchList/abc", "query": {"_isJson": "true"}, "status": 200,
     "headers": {"Content-Type": "application/json; charset=utf-8"}, "file": "p1.json"},
    {"method": "GET", "path": "/searchList/abc", "query": {"_isJson": "true", "page": "2"}, "status": 200,
     "headers": {"Content-Type": "application/json; charset=utf-8"}, "body": '{"data": {"results": []}}'},
    {"method": "GET", "path": "/old.html", "query": {}, "status": 301,
     "headers": {"Location": "/zlgl/jlcf/scfjg/index.html"}, "body": ""},
    {"method": "POST", "path": "/api/news/search", "query": {}, "status": 200, "data": {"year": 2026},
     "headers": {"Content-Type": "application/json"}, "body": '{"items": [1]}'},
]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "list.html").write_text(LIST_HTML, encoding="utf-8")
    (tmp_path / "p1.json").write_text(json.dumps(JSON_PAGE, ensure_ascii=False), encoding="utf-8")
    manifest = {"source": "test", "recorded": "2026-11-26T10:00:00+08:00", "reconstructed": True,
                "responses": RESPONSES}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    return tmp_path


@pytest.fixture
def server(site: Path, replay_server: Callable[..., ReplayServer]) -> ReplayServer:
    return replay_server(site)


def client(**kw: object) -> HttpClient:
    opts: dict[str, object] = dict(timeout=5.0, max_retries=0, backoff=0.0, max_bytes=1_000_000)
    opts.update(kw)
    return HttpClient(user_agent="regwatch-test", **opts)  # type: ignore[arg-type]


LIST = "/zlgl/jlcf/scfjg/index.html"


# ---------------------------------------------------------------- serving


def test_serves_manifest_and_logs_requests(server: ReplayServer) -> None:
    with client() as c:
        got = c.get(server.base_url + LIST)
        missing = httpx.get(server.base_url + "/nope.html")
    assert got.status == 200 and "上海某某投资管理有限公司" in got.text
    assert got.headers["ETag"].startswith('"') and "GMT" in got.headers["Last-Modified"]
    assert missing.status_code == 404
    assert [(r.method, r.target, r.status) for r in server.requests] == [("GET", LIST, 200), ("GET", "/nope.html", 404)]
    assert server.requests[0].headers["User-Agent"] == "regwatch-test"


def test_query_matching_prefers_most_specific_and_ignores_extra_params(server: ReplayServer) -> None:
    with client() as c:
        p1 = c.get(server.base_url + "/searchList/abc", params={"_isJson": "true", "_pageSize": "18"}).json()
        p2 = c.get(server.base_url + "/searchList/abc", params={"_isJson": "true", "page": "2"}).json()
    assert len(p1["data"]["results"]) == 2 and p2["data"]["results"] == []
    assert httpx.get(server.base_url + "/searchList/abc").status_code == 404  # a listed parameter is missing


def test_post_body_matching(server: ReplayServer) -> None:
    assert httpx.post(server.base_url + "/api/news/search", json={"year": 2026, "lang": "EN"}).json() == {"items": [1]}
    assert httpx.post(server.base_url + "/api/news/search", json={"year": 2025}).status_code == 404


def test_redirect_entry(server: ReplayServer) -> None:
    with client() as c:
        got = c.get(server.base_url + "/old.html")
    assert got.final_url == server.base_url + LIST


def test_etag_and_last_modified_304(server: ReplayServer) -> None:
    first = httpx.get(server.base_url + LIST)
    etag, lm = first.headers["ETag"], first.headers["Last-Modified"]
    assert httpx.get(server.base_url + LIST, headers={"If-None-Match": etag}).status_code == 304
    assert httpx.get(server.base_url + LIST, headers={"If-Modified-Since": lm}).status_code == 304
    assert httpx.get(server.base_url + LIST, headers={"If-None-Match": '"other"'}).status_code == 200
    old = "Mon, 01 Jan 2001 00:00:00 GMT"
    assert httpx.get(server.base_url + LIST, headers={"If-Modified-Since": old}).status_code == 200


def test_replace_body_changes_validators(server: ReplayServer) -> None:
    first = httpx.get(server.base_url + LIST)
    server.replace_body(LIST, LIST_HTML.replace("<ul>", "<ul><li><a href='./x.html'>新的决定书</a></li>"))
    again = httpx.get(server.base_url + LIST, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200 and "新的决定书" in again.text
    assert again.headers["ETag"] != first.headers["ETag"]
    assert httpx.get(server.base_url + LIST,
                     headers={"If-Modified-Since": first.headers["Last-Modified"]}).status_code == 200


def test_set_override_adds_a_path_and_status(server: ReplayServer) -> None:
    server.set_override("/new.html", body="<p>新</p>")
    assert httpx.get(server.base_url + "/new.html").text == "<p>新</p>"
    server.set_override(LIST, status=410)
    assert httpx.get(server.base_url + LIST).status_code == 410


def test_stop_releases_the_port(site: Path) -> None:
    with ReplayServer(site) as srv:
        url = srv.base_url
        assert httpx.get(url + LIST).status_code == 200
    with pytest.raises(httpx.ConnectError):
        httpx.get(url + LIST, timeout=1)


def test_manifest_loader_reads_recorded_time(site: Path) -> None:
    manifest, entries = load_manifest(site)
    assert manifest["reconstructed"] is True and len(entries) == len(RESPONSES)
    assert entries[0].last_modified == 1795658400.0  # 2026-11-26T10:00:00+08:00


def test_unknown_fault_kind_rejected(server: ReplayServer) -> None:
    with pytest.raises(ValueError, match="unknown fault"):
        server.set_fault(None, "gremlins")


# ---------------------------------------------------------------- faults, as the client sees them


def test_fault_status_burst_then_normal(server: ReplayServer) -> None:
    server.set_fault(LIST, "status", codes=[500, 502, 503], count=3)
    with client(max_retries=3) as c:
        assert c.get(server.base_url + LIST).status == 200
    assert [r.status for r in server.requests] == [500, 502, 503, 200]


def test_fault_status_longer_than_retries_fails(server: ReplayServer) -> None:
    server.set_fault(LIST, "status", code=503, count=5)
    with client(max_retries=2) as c, pytest.raises(FetchError) as err:
        c.get(server.base_url + LIST)
    assert err.value.status == 503


@pytest.mark.parametrize("kind", ["hang", "connect_timeout"])
def test_fault_hang_is_network_error(server: ReplayServer, kind: str) -> None:
    server.set_fault(LIST, kind, seconds=3)
    started = time.monotonic()
    with client(timeout=0.3, max_retries=1) as c, pytest.raises(NetworkError, match="Timeout"):
        c.get(server.base_url + LIST)
    assert time.monotonic() - started < 2.5


def test_fault_hang_once_then_recovers(server: ReplayServer) -> None:
    server.set_fault(LIST, "hang", seconds=2, count=1)
    with client(timeout=0.3, max_retries=1) as c:
        assert c.get(server.base_url + LIST).status == 200


def test_fault_read_timeout_mid_body(server: ReplayServer) -> None:
    server.set_fault(LIST, "read_timeout_mid_body", seconds=3)
    with client(timeout=0.3, max_retries=1) as c, pytest.raises(NetworkError, match="ReadTimeout"):
        c.get(server.base_url + LIST)


def test_fault_truncate_is_fetch_error_after_retries(server: ReplayServer) -> None:
    server.set_fault(LIST, "truncate")
    with client(max_retries=2) as c, pytest.raises(FetchError, match="truncated|incomplete|peer closed") as err:
        c.get(server.base_url + LIST)
    assert not isinstance(err.value, NetworkError)
    assert len(server.requests) == 3


def test_fault_retry_after_honoured(server: ReplayServer) -> None:
    sleeps: list[float] = []
    server.set_fault(LIST, "retry_after", seconds=4, count=2)
    with client(max_retries=3, sleep=sleeps.append) as c:
        assert c.get(server.base_url + LIST).status == 200
    assert sleeps == [4.0, 4.0]
    assert [r.status for r in server.requests] == [429, 429, 200]


def test_fault_retry_after_over_cap(server: ReplayServer) -> None:
    server.set_fault(LIST, "retry_after", seconds=600, count=1)
    with client(max_retries=3, max_retry_after=60, sleep=lambda s: None) as c, pytest.raises(FetchError):
        c.get(server.base_url + LIST)


def test_fault_redirect_loop(server: ReplayServer) -> None:
    server.set_fault(LIST, "redirect_loop")
    with client(max_redirects=10) as c, pytest.raises(FetchError, match="loop"):
        c.get(server.base_url + LIST)


def test_fault_redirect_other_host(server: ReplayServer) -> None:
    server.set_fault(LIST, "redirect_other_host", host="phish.example.org")
    with client() as c, pytest.raises(FetchError, match="phish.example.org"):
        c.get(server.base_url + LIST)
    assert len(server.requests) == 1  # the other host is never contacted


@pytest.mark.parametrize("kind", ["gbk_no_charset", "wrong_charset"])
def test_fault_charsets_still_decode(server: ReplayServer, kind: str) -> None:
    server.set_fault(None, kind)
    with client() as c:
        got = c.get(server.base_url + LIST)
        data = c.get(server.base_url + "/searchList/abc?_isJson=true").json()
    assert "上海某某投资管理有限公司" in got.text
    assert got.content != LIST_HTML.encode("utf-8")  # really re-encoded
    ctype = got.headers["Content-Type"]
    assert ("charset" not in ctype) if kind == "gbk_no_charset" else ("utf-8" in ctype)
    assert data["data"]["results"][0]["title"] == "中国证监会行政处罚决定书（张某）"


def test_fault_malformed(server: ReplayServer) -> None:
    server.set_fault(None, "malformed")
    with client() as c:
        page = c.get(server.base_url + LIST)
        js = c.get(server.base_url + "/searchList/abc?_isJson=true")
    assert isinstance(page.text, str) and "c-box" not in page.text
    with pytest.raises(ParseError, match="malformed JSON"):
        js.json()


@pytest.mark.parametrize("content_length", [True, False])
def test_fault_huge_body_aborted_at_cap(server: ReplayServer, content_length: bool) -> None:
    server.set_fault(LIST, "huge", mb=50, content_length=content_length)
    started = time.monotonic()
    with client(max_bytes=2_000_000) as c, pytest.raises(FetchError, match="cap"):
        c.get(server.base_url + LIST)
    assert time.monotonic() - started < 5


def test_fault_waf_page_blocked(server: ReplayServer) -> None:
    server.set_fault(LIST, "waf")
    with client() as c, pytest.raises(BlockedError, match="请求已中断"):
        c.get(server.base_url + LIST, block_markers=("请求已中断", "WAF"))


def test_fault_empty_list(server: ReplayServer) -> None:
    server.set_fault(None, "empty_list")
    with client() as c:
        page = c.get(server.base_url + LIST).text
        data = c.get(server.base_url + "/searchList/abc?_isJson=true").json()
    assert "<li" not in page and "createPageHTML" in page
    assert data["data"]["results"] == [] and data["data"]["total"] == 2


def test_fault_layout_change(server: ReplayServer) -> None:
    server.set_fault(None, "layout_change")
    with client() as c:
        page = c.get(server.base_url + LIST).text
        data = c.get(server.base_url + "/searchList/abc?_isJson=true").json()
    assert 'class="content-right"' not in page and 'class="content-right-v2"' in page and "<li" not in page
    assert "data" not in data and "results_v2" in data["data_v2"]


def test_clear_faults(server: ReplayServer) -> None:
    server.set_fault(None, "waf")
    server.clear_faults()
    with client() as c:
        assert "上海" in c.get(server.base_url + LIST, block_markers=("WAF",)).text


def test_every_fault_kind_is_tested() -> None:
    tested = {"status", "connect_timeout", "hang", "read_timeout_mid_body", "truncate", "retry_after",
              "redirect_loop", "redirect_other_host", "gbk_no_charset", "wrong_charset", "malformed", "huge", "waf",
              "empty_list", "layout_change"}
    assert tested == set(FAULT_KINDS)


# ---------------------------------------------------------------- recording (monitor record) round trip


def _fake_scraper(server_paths: list[str]) -> object:
    import types

    from scrapers.base import SourceInfo

    def crawl(ctx: object) -> object:
        for p in server_paths:
            got = ctx.fetch("https://www.amac.org.cn" + p)  # type: ignore[attr-defined]
            yield got.url

    return types.SimpleNamespace(
        SOURCE=SourceInfo(id="amac", name="t", issuer="t", base_url="https://www.amac.org.cn",
                          official_hosts=("www.amac.org.cn",)), crawl=crawl)


def test_record_then_replay_round_trip(server: ReplayServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       replay_server: Callable[..., ReplayServer]) -> None:
    import scrapers
    from monitor.config import Config
    from monitor.record import record_source

    paths = [LIST, "/searchList/abc?_isJson=true&page=2", "/old.html"]
    monkeypatch.setattr(scrapers, "get_scraper", lambda sid: _fake_scraper(paths))
    cfg = Config.model_validate({"sources": {"amac": {"base_url": server.base_url}}})
    res = record_source(cfg, "amac", tmp_path / "out")
    assert res.notices == 3 and res.responses == 3 and res.error is None  # redirect hop kept, LIST once
    manifest = json.loads((tmp_path / "out" / "amac" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["reconstructed"] is False and manifest["source"] == "amac" and manifest["recorded"]
    assert {(r["path"], r["status"]) for r in manifest["responses"]} == {
        (LIST, 200), ("/searchList/abc", 200), ("/old.html", 301)}
    again = replay_server(tmp_path / "out" / "amac")
    assert httpx.get(again.base_url + LIST).content == LIST_HTML.encode("utf-8")
    page2 = httpx.get(again.base_url + "/searchList/abc?_isJson=true&page=2")
    assert page2.json() == {"data": {"results": []}} and "json" in page2.headers["Content-Type"]
    assert httpx.get(again.base_url + "/old.html").headers["Location"] == LIST


def test_record_network_error_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    import scrapers
    from monitor.config import Config
    from monitor.record import record_source

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setattr(scrapers, "get_scraper", lambda sid: _fake_scraper([LIST]))
    cfg = Config.model_validate({"http": {"max_retries": 0}, "sources": {"amac": {"base_url": f"http://127.0.0.1:{port}"}}})
    with pytest.raises(NetworkError) as err:
        record_source(cfg, "amac", tmp_path / "out")
    assert "\n" not in str(err.value) and f"127.0.0.1:{port}" in str(err.value)
    assert not (tmp_path / "out" / "amac" / "manifest.json").exists()


@pytest.mark.parametrize("method,path,query,ctype,expected", [
    ("GET", "/zlgl/jlcf/scfjg/index.html", {}, "text/html", "zlgl/jlcf/scfjg/index.html"),
    ("GET", "/a/", {}, "text/html", "a/index.html"),
    ("GET", "/searchList/abc", {"page": "1"}, "application/json", None),
    ("GET", "/../../etc/passwd", {}, None, None),
])
def test_recorded_file_names(method: str, path: str, query: dict[str, str], ctype: str | None,
                             expected: str | None) -> None:
    from monitor.record import file_name

    name = file_name(method, path, query, ctype)
    if expected:
        assert name == expected
    assert ".." not in name and not name.startswith("/")
    if query:
        assert name.startswith("searchList/abc__") and name.endswith(".json")
