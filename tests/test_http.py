"""HttpClient: retries, Retry-After, redirects, caps, conditional GET, politeness, decoding, block pages."""

from __future__ import annotations

from email.utils import formatdate
from typing import Callable

import httpx
import pytest

from monitor.config import HttpConfig
from monitor.errors import BlockedError, FetchError, NetworkError
from tests.support.crawl import MemoryValidators
from monitor.http import (HttpClient, decode_body, effective_min_delay, is_loopback, parse_retry_after)

UA = "regwatch-test/1 (ops@example.com)"


class FakeClock:
    """Monotonic clock that only moves when the client sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 3))
        self.now += seconds


def make(handler: Callable[[httpx.Request], httpx.Response], clock: FakeClock | None = None,
         **kw: object) -> HttpClient:
    clock = clock or FakeClock()
    opts: dict[str, object] = dict(max_retries=3, backoff=1.0, max_redirects=3, max_bytes=10_000)
    opts.update(kw)
    return HttpClient(user_agent=UA, transport=httpx.MockTransport(handler), sleep=clock.sleep, clock=clock,
                      **opts)  # type: ignore[arg-type]


def sequence(*responses: httpx.Response | Exception) -> tuple[Callable[[httpx.Request], httpx.Response],
                                                               list[httpx.Request]]:
    """Handler answering with the given responses in order (the last one repeats)."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        item = responses[min(len(seen), len(responses) - 1)]
        seen.append(request)
        if isinstance(item, Exception):
            raise item
        if hasattr(item, "_content"):  # a fresh copy: a Response's stream can be read once
            return httpx.Response(item.status_code, headers=item.headers, content=item.content)
        return item

    return handler, seen


def html(body: str, status: int = 200, **headers: str) -> httpx.Response:
    return httpx.Response(status, headers={"Content-Type": "text/html; charset=utf-8", **headers},
                          content=body.encode("utf-8"))


# ---------------------------------------------------------------- retries


def test_retries_503_then_success_with_exponential_backoff() -> None:
    clock = FakeClock()
    handler, seen = sequence(html("busy", 503), html("busy", 502), html("<p>ok</p>"))
    with make(handler, clock) as client:
        got = client.get("https://www.amac.org.cn/x.html")
    assert got.status == 200 and got.text == "<p>ok</p>"
    assert len(seen) == 3
    assert clock.sleeps == [1.0, 2.0]
    assert client.stats["retries"] == 2 and client.stats["requests"] == 3


def test_5xx_burst_longer_than_retries_is_fetch_error() -> None:
    handler, seen = sequence(html("down", 500))
    with make(handler) as client, pytest.raises(FetchError) as err:
        client.get("https://www.amac.org.cn/x.html")
    assert err.value.status == 500 and not isinstance(err.value, NetworkError)
    assert len(seen) == 4


@pytest.mark.parametrize("value,expected", [("7", 7.0), ("0", 0.0)])
def test_429_retry_after_seconds_honoured(value: str, expected: float) -> None:
    clock = FakeClock()
    handler, _ = sequence(html("slow down", 429, **{"Retry-After": value}), html("ok"))
    with make(handler, clock, backoff=0.5) as client:
        assert client.get("https://www.csrc.gov.cn/a").status == 200
    assert clock.sleeps == ([expected] if expected else [])


def test_429_retry_after_http_date_honoured() -> None:
    clock = FakeClock()
    import time

    when = formatdate(time.time() + 30, usegmt=True)
    handler, _ = sequence(html("slow down", 429, **{"Retry-After": when}), html("ok"))
    with make(handler, clock) as client:
        client.get("https://www.csrc.gov.cn/a")
    assert len(clock.sleeps) == 1 and 27 <= clock.sleeps[0] <= 30


def test_retry_after_beyond_cap_is_fetch_error_without_waiting() -> None:
    clock = FakeClock()
    handler, seen = sequence(html("slow down", 429, **{"Retry-After": "3600"}), html("ok"))
    with make(handler, clock, max_retry_after=60) as client, pytest.raises(FetchError, match="Retry-After"):
        client.get("https://www.csrc.gov.cn/a")
    assert clock.sleeps == [] and len(seen) == 1


def test_parse_retry_after_forms() -> None:
    assert parse_retry_after("12") == 12.0
    assert parse_retry_after(None) is None and parse_retry_after("soon") is None
    assert parse_retry_after("Mon, 01 Jan 2001 00:00:00 GMT") == 0.0


def test_connect_errors_become_network_error_after_retries() -> None:
    clock = FakeClock()
    handler, seen = sequence(httpx.ConnectError("refused"))
    with make(handler, clock, max_retries=2) as client, pytest.raises(NetworkError, match="3 attempts"):
        client.get("https://www.amac.org.cn/")
    assert len(seen) == 3 and clock.sleeps == [1.0, 2.0]


def test_timeout_then_success() -> None:
    handler, _ = sequence(httpx.ReadTimeout("slow"), html("ok"))
    with make(handler) as client:
        assert client.get("https://www.amac.org.cn/").status == 200


# ---------------------------------------------------------------- redirects


def test_redirect_followed_and_final_url_reported() -> None:
    handler, seen = sequence(html("", 302, Location="/b.html"), html("ok"))
    with make(handler) as client:
        got = client.get("https://www.amac.org.cn/a.html")
    assert got.final_url == "https://www.amac.org.cn/b.html" and got.url == "https://www.amac.org.cn/a.html"
    assert [str(r.url) for r in seen] == ["https://www.amac.org.cn/a.html", "https://www.amac.org.cn/b.html"]


def test_redirect_cap() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        n = int(request.url.params.get("n", "0"))
        return html("", 302, Location=f"/r?n={n + 1}")

    with make(handler, max_redirects=3) as client, pytest.raises(FetchError, match="more than 3 redirects"):
        client.get("https://www.amac.org.cn/r")


def test_redirect_loop() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return html("", 301, Location="/b" if request.url.path == "/a" else "/a")

    with make(handler, max_redirects=10) as client, pytest.raises(FetchError, match="loop"):
        client.get("https://www.amac.org.cn/a")


def test_redirect_to_other_host_refused_naming_both_hosts() -> None:
    handler, seen = sequence(html("", 302, Location="https://evil.example.net/x"), html("ok"))
    with make(handler) as client, pytest.raises(FetchError) as err:
        client.get("https://www.amac.org.cn/a")
    assert "www.amac.org.cn" in str(err.value) and "evil.example.net" in str(err.value)
    assert len(seen) == 1


def test_redirect_within_source_hosts_allowed() -> None:
    handler, seen = sequence(html("", 302, Location="https://amac.org.cn/x"), html("ok"))
    with make(handler) as client:
        got = client.get("https://www.amac.org.cn/a", allowed_hosts=["www.amac.org.cn", "amac.org.cn"])
    assert got.final_url == "https://amac.org.cn/x"


def test_redirect_to_non_http_scheme_refused() -> None:
    handler, _ = sequence(html("", 302, Location="file:///etc/passwd"))
    with make(handler) as client, pytest.raises(FetchError, match="non-http"):
        client.get("https://www.amac.org.cn/a", allowed_hosts=[""])


def test_303_after_post_becomes_get() -> None:
    handler, seen = sequence(html("", 303, Location="/done"), html("ok"))
    with make(handler) as client:
        client.request("POST", "https://apps.sfc.hk/api", json={"a": 1})
    assert [r.method for r in seen] == ["POST", "GET"]


# ---------------------------------------------------------------- size


def test_declared_content_length_over_cap_refused_before_reading() -> None:
    handler, _ = sequence(httpx.Response(200, headers={"Content-Length": "50000000"}, content=b"x" * 10))
    with make(handler) as client, pytest.raises(FetchError, match="exceeds"):
        client.get("https://www.amac.org.cn/big")


def test_streamed_body_over_cap_aborted() -> None:
    def stream() -> object:
        for _ in range(100):
            yield b"y" * 1000

    handler, _ = sequence(httpx.Response(200, content=stream()))  # chunked, no Content-Length
    with make(handler) as client, pytest.raises(FetchError, match="10000-byte cap"):
        client.get("https://www.amac.org.cn/big")


# ---------------------------------------------------------------- conditional GET


def test_conditional_get_sends_validators_and_returns_304() -> None:
    store = MemoryValidators()
    handler, seen = sequence(html("v1", ETag='"abc"', **{"Last-Modified": "Wed, 01 Jan 2025 00:00:00 GMT"}),
                             httpx.Response(304))
    with make(handler, validators=store) as client:
        first = client.get("https://www.amac.org.cn/list", conditional=True)
        assert first.status == 200
        assert store.data["https://www.amac.org.cn/list"] == ('"abc"', "Wed, 01 Jan 2025 00:00:00 GMT")
        second = client.get("https://www.amac.org.cn/list", conditional=True)
    assert second.status == 304 and second.not_modified
    assert "if-none-match" not in seen[0].headers
    assert seen[1].headers["If-None-Match"] == '"abc"'
    assert seen[1].headers["If-Modified-Since"] == "Wed, 01 Jan 2025 00:00:00 GMT"
    assert client.stats["304s"] == 1


def test_non_conditional_request_sends_no_validators() -> None:
    store = MemoryValidators()
    store.set_validators("https://www.amac.org.cn/list", '"abc"', None)
    handler, seen = sequence(html("v1"))
    with make(handler, validators=store) as client:
        client.get("https://www.amac.org.cn/list")
    assert "if-none-match" not in seen[0].headers


def test_user_agent_sent() -> None:
    handler, seen = sequence(html("ok"))
    with make(handler) as client:
        client.get("https://www.sec.gov/")
    assert seen[0].headers["User-Agent"] == UA


# ---------------------------------------------------------------- politeness and budget


def test_min_delay_between_requests_to_one_host() -> None:
    clock = FakeClock()
    handler, _ = sequence(html("ok"))
    with make(handler, clock) as client:
        client.set_host_policy("www.csrc.gov.cn", min_delay=5.0)
        client.get("https://www.csrc.gov.cn/a")
        clock.now += 1.5  # parsing took a while
        client.get("https://www.csrc.gov.cn/b")
        client.get("https://www.sec.gov/c")  # another host: no wait
    assert clock.sleeps == [3.5]


def test_zero_delay_when_no_policy() -> None:
    clock = FakeClock()
    handler, _ = sequence(html("ok"))
    with make(handler, clock) as client:
        for _ in range(3):
            client.get("http://127.0.0.1:8000/a")
    assert clock.sleeps == []


@pytest.mark.parametrize("host,explicit,default,expected", [
    ("127.0.0.1", None, 5.0, 0.0),
    ("127.3.4.5", None, 5.0, 0.0),
    ("localhost", None, 5.0, 0.0),
    ("::1", None, 5.0, 0.0),
    ("127.0.0.1", 2.0, 5.0, 2.0),
    ("www.csrc.gov.cn", None, 5.0, 5.0),
    ("www.csrc.gov.cn", 0.0, 5.0, 0.0),
    ("10.0.0.1", None, 5.0, 5.0),
])
def test_effective_min_delay(host: str, explicit: float | None, default: float, expected: float) -> None:
    assert effective_min_delay(host, explicit, default) == expected


def test_is_loopback() -> None:
    assert is_loopback("[::1]") and not is_loopback("example.com") and not is_loopback(None)


def test_run_budget_exhausted() -> None:
    clock = FakeClock()
    handler, _ = sequence(html("busy", 503), html("ok"))
    with make(handler, clock, run_budget=10.0, backoff=30.0) as client:
        with pytest.raises(FetchError, match="budget"):
            client.get("https://www.amac.org.cn/a")
        clock.now += 20
        with pytest.raises(FetchError, match="budget"):
            client.get("https://www.amac.org.cn/b")


def test_from_config_uses_http_defaults() -> None:
    client = HttpClient.from_config(HttpConfig(max_retries=1, max_bytes=123), user_agent=UA)
    assert client.max_retries == 1 and client.max_bytes == 123 and client.timeout == 30.0
    client.close()


# ---------------------------------------------------------------- statuses and block pages


@pytest.mark.parametrize("status", [403, 412])
def test_wall_statuses_are_blocked(status: int) -> None:
    handler, seen = sequence(html("forbidden", status))
    with make(handler) as client, pytest.raises(BlockedError):
        client.get("https://www.csrc.gov.cn/a")
    assert len(seen) == 1


def test_404_is_fetch_error_without_retry() -> None:
    handler, seen = sequence(html("nope", 404))
    with make(handler) as client, pytest.raises(FetchError) as err:
        client.get("https://www.csrc.gov.cn/a")
    assert err.value.status == 404 and len(seen) == 1


WAF = "<html><head><title>请求已中断</title></head><body>您的请求已被WAF拦截</body></html>"
LONG_LEGIT = ("<html><head><title>纪律处分决定书</title></head><body>" + "<p>某某公司违反规定。</p>" * 3000
              + "<p>本公司部署了WAF防火墙</p></body></html>")


@pytest.mark.parametrize("body,markers,blocked", [
    (WAF, ("请求已中断", "WAF"), True),
    ("<html><body>blocked by WAF</body></html>", ("WAF",), True),
    ("<html><body><h1>502 Bad Gateway</h1></body></html>", (), True),
    ("<html><head><title>504 Gateway Time-out</title></head><body>nginx</body></html>", (), True),
    (LONG_LEGIT, ("请求已中断", "WAF"), False),
    ("<html><head><title>WAF</title></head><body>" + "x" * 30000 + "</body></html>", ("WAF",), True),
    ("<html><body>SWAFT code notice</body></html>", ("WAF",), False),
    ("<html><body>ordinary list</body></html>", ("请求已中断", "WAF"), False),
])
def test_block_page_detection(body: str, markers: tuple[str, ...], blocked: bool) -> None:
    handler, _ = sequence(html(body))
    with make(handler, max_bytes=1_000_000) as client:
        if blocked:
            with pytest.raises(BlockedError):
                client.get("https://www.amac.org.cn/a", block_markers=markers)
        else:
            assert client.get("https://www.amac.org.cn/a", block_markers=markers).status == 200


def test_json_mentioning_marker_is_not_blocked() -> None:
    handler, _ = sequence(httpx.Response(200, headers={"Content-Type": "application/json"},
                                         content='{"title": "WAF 请求已中断"}'.encode()))
    with make(handler) as client:
        assert client.get("https://www.amac.org.cn/a", block_markers=("WAF", "请求已中断")).json()["title"]


# ---------------------------------------------------------------- decoding

ZH = "中国证券投资基金业协会纪律处分决定书 〔2023〕12号 囧"


@pytest.mark.parametrize("content,ctype,expected", [
    (ZH.encode("utf-8"), "text/html; charset=utf-8", ZH),
    (ZH.encode("utf-8"), "text/html; charset=UTF8", ZH),
    (f'<meta charset="gb2312"><p>{ZH}</p>'.encode("gb18030"), "text/html",
     f'<meta charset="gb2312"><p>{ZH}</p>'),
    (f'<meta http-equiv="Content-Type" content="text/html; charset=GBK"><p>{ZH}</p>'.encode("gb18030"), None,
     f'<meta http-equiv="Content-Type" content="text/html; charset=GBK"><p>{ZH}</p>'),
    (ZH.encode("gbk"), "text/html", ZH),  # no charset anywhere, not UTF-8 → GB18030
    (ZH.encode("gbk"), "text/html; charset=utf-8", ZH),  # mislabelled
    (ZH.encode("utf-8"), "text/html; charset=gbk", ZH),  # mislabelled the other way round
    (ZH.encode("utf-8"), "text/html; charset=ISO-8859-1", ZH),  # server default latin-1 on a UTF-8 page
    (b"\xef\xbb\xbf" + ZH.encode("utf-8"), "text/html; charset=gbk", ZH),  # BOM wins
    ("caf\u00e9".encode("latin-1"), "text/html; charset=iso-8859-1", "caf\u00e9"),
    (b'<?xml version="1.0" encoding="gb2312"?><r>' + "证监会".encode("gbk") + b"</r>", "application/xml",
     '<?xml version="1.0" encoding="gb2312"?><r>证监会</r>'),
    (f'<meta charset="bogus-cs"><p>{ZH}</p>'.encode("utf-8"), "text/html; charset=nonsense",
     f'<meta charset="bogus-cs"><p>{ZH}</p>'),
])
def test_decode_body_table(content: bytes, ctype: str | None, expected: str) -> None:
    assert decode_body(content, ctype) == expected


def test_decode_gb18030_only_characters() -> None:
    # 𠀀 and the euro sign are outside GBK's table: decoding as plain GBK would fail or garble them
    text = "𠀀€证监会行政处罚决定书"
    assert decode_body(text.encode("gb18030"), "text/html; charset=gbk") == text


def test_decode_undecodable_bytes_never_crash() -> None:
    out = decode_body(bytes(range(256)) * 4, "text/html; charset=utf-8")
    assert isinstance(out, str) and out


@pytest.mark.parametrize("ctype,expected", [
    ("text/html; charset=GBK", "gb18030"), ("text/html; charset=gb2312", "gb18030"),
    ('text/html; charset="utf-8"', "utf-8"), ("text/html", None), ("text/html; charset=klingon", None),
])
def test_header_charset_maps_gb_labels_to_gb18030(ctype: str, expected: str | None) -> None:
    from monitor.http import header_charset

    assert header_charset(ctype) == expected


def test_meta_charset_sniffing() -> None:
    from monitor.http import sniff_charset

    assert sniff_charset(b'<html><head><meta charset="GB2312">') == "gb18030"
    assert sniff_charset(b"<meta http-equiv='Content-Type' content='text/html; charset=utf-8'>") == "utf-8"
    assert sniff_charset(b" " * 5000 + b'<meta charset="gbk">') is None  # only the first 4 KB count
