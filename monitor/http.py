"""The one HTTP client of a run: politeness, retries, redirect/size caps, conditional GET, decoding, block pages."""

from __future__ import annotations

import codecs
import email.utils
import ipaddress
import json as jsonlib
import logging
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cached_property
from typing import Any, Callable, Iterable, Mapping, Protocol
from urllib.parse import urljoin, urlsplit

import httpx

from monitor.errors import BlockedError, FetchError, NetworkError, ParseError

log = logging.getLogger("regwatch.http")

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
GENERIC_BLOCK_MARKERS = ("502 Bad Gateway", "504 Gateway")
BLOCK_TEXT_LIMIT = 20_000  # a marker outside <title> only counts in a body shorter than this (WAF pages are small)
GB_LABELS = frozenset({"gbk", "gb2312", "gb_2312", "gb_2312-80", "x-gbk", "cp936", "ms936", "euc-cn", "csgb2312",
                       "gb18030", "windows-936", "chinese", "iso-ir-58"})
LATIN1_LABELS = frozenset({"iso-8859-1", "latin-1", "latin1", "l1", "us-ascii", "ascii", "windows-1252", "cp1252"})
_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_\-.]+)""", re.I)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)


class ValidatorStore(Protocol):
    """Where ETag / Last-Modified are kept per URL (the Store implements it)."""

    def get_validators(self, url: str) -> tuple[str | None, str | None] | None: ...

    def set_validators(self, url: str, etag: str | None, last_modified: str | None) -> None: ...


@dataclass
class Fetched:
    """One answered request. At the client level URLs are the fetched ones; Context swaps in official URLs."""

    url: str
    final_url: str
    status: int
    headers: httpx.Headers
    content: bytes

    @cached_property
    def text(self) -> str:
        """Body decoded: BOM → header charset → <meta> → UTF-8 → GB18030."""
        return decode_body(self.content, self.headers.get("content-type"))

    def json(self) -> Any:
        """Parsed JSON; strict=False because CSRC puts raw control characters inside strings."""
        try:
            return jsonlib.loads(self.text, strict=False)
        except ValueError as exc:
            raise ParseError(f"malformed JSON: {exc}", url=self.final_url) from None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


# ---------------------------------------------------------------- decoding


def _norm_charset(label: str | None) -> str | None:
    """Codec name for a declared label; every GB label means GB18030 (a superset: GBK pages use its extra chars)."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in GB_LABELS:
        return "gb18030"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def header_charset(content_type: str | None) -> str | None:
    """The charset parameter of a Content-Type header, normalised."""
    if not content_type:
        return None
    m = re.search(r"charset\s*=\s*[\"']?([^\s;\"']+)", content_type, re.I)
    return _norm_charset(m.group(1)) if m else None


def sniff_charset(content: bytes) -> str | None:
    """Charset declared by <meta charset>, <meta http-equiv content=...charset=> or <?xml encoding> in the first 4 KB."""
    head = content[:4096]
    m = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    return _norm_charset(m.group(1).decode("ascii", "ignore")) if m else None


def decode_body(content: bytes, content_type: str | None) -> str:
    """Decode a body: BOM, header charset, <meta>, strict UTF-8, else GB18030; never plain GBK, never a crash."""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if content.startswith(bom):
            return content[len(bom):].decode(codec, errors="replace")
    declared = header_charset(content_type)
    meta = sniff_charset(content)
    candidates: list[str] = []
    for cs in (declared, meta):
        if cs is None:
            continue
        if cs in {codecs.lookup(x).name for x in LATIN1_LABELS}:
            # servers default to ISO-8859-1 and latin-1 never fails: prefer UTF-8 when the bytes are valid UTF-8
            candidates.append("utf-8")
        candidates.append(cs)
    candidates += ["utf-8", "gb18030"]
    for cs in dict.fromkeys(candidates):
        try:
            return content.decode(cs)
        except (UnicodeDecodeError, LookupError):
            continue
    return content.decode("utf-8", errors="replace")


# ---------------------------------------------------------------- block pages


def _looks_structured(content: bytes, content_type: str | None) -> bool:
    ct = (content_type or "").lower()
    if "json" in ct or "pdf" in ct or "octet-stream" in ct:
        return True
    head = content[:64].lstrip()
    return head[:1] in (b"{", b"[") or head.startswith(b"%PDF")


def _marker_in(marker: str, text: str) -> bool:
    # ASCII markers ("WAF") as whole words, so "SWAFT" or a URL fragment does not count
    if marker.isascii():
        return re.search(rf"(?<![A-Za-z0-9]){re.escape(marker)}(?![A-Za-z0-9])", text) is not None
    return marker in text


def find_block_marker(fetched: Fetched, markers: Iterable[str]) -> str | None:
    """The marker that makes this 200 body an anti-bot page, or None. Long pages count only if it is in <title>."""
    if _looks_structured(fetched.content, fetched.headers.get("content-type")):
        return None
    text = fetched.text
    title_m = _TITLE.search(text[:8192])
    title = title_m.group(1) if title_m else ""
    short = len(text) < BLOCK_TEXT_LIMIT
    for marker in (*markers, *GENERIC_BLOCK_MARKERS):
        if marker and (_marker_in(marker, title) or (short and _marker_in(marker, text))):
            return marker
    return None


# ---------------------------------------------------------------- politeness


def is_loopback(host: str | None) -> bool:
    """127.0.0.0/8, ::1 or localhost."""
    if not host:
        return False
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def effective_min_delay(host: str | None, explicit: float | None, default: float) -> float:
    """Configured delay wins; otherwise the source's default, except zero on loopback (tests, demo, replays)."""
    if explicit is not None:
        return explicit
    return 0.0 if is_loopback(host) else default


@dataclass
class _HostPolicy:
    min_delay: float
    concurrency: int
    semaphore: threading.BoundedSemaphore
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_at: float = float("-inf")


def host_key(url: str | httpx.URL) -> str:
    """host[:port] used to key politeness."""
    u = httpx.URL(str(url))
    return f"{u.host}:{u.port}" if u.port else u.host


# ---------------------------------------------------------------- client


class _Retryable(Exception):
    def __init__(self, reason: str, *, status: int | None = None, retry_after: float | None = None,
                 kind: str = "status"):
        super().__init__(reason)
        self.status = status
        self.retry_after = retry_after
        self.kind = kind  # "status" | "network" | "truncated"


class HttpClient:
    """One httpx.Client per run with the project's politeness and failure rules."""

    def __init__(self, *, user_agent: str, timeout: float = 30.0, max_retries: int = 3, backoff: float = 1.0,
                 max_redirects: int = 5, max_bytes: int = 20_000_000, max_retry_after: float = 120.0,
                 run_budget: float | None = None, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic, validators: ValidatorStore | None = None,
                 transport: httpx.BaseTransport | None = None, verify: bool = True):
        self.user_agent = user_agent
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff = backoff
        self.max_redirects = max_redirects
        self.max_bytes = max_bytes
        self.max_retry_after = max_retry_after
        self.validators = validators
        self._sleep = sleep
        self._clock = clock
        self._deadline: float | None = None
        self.reset_budget(run_budget)
        self._policies: dict[str, _HostPolicy] = {}
        self._policies_lock = threading.Lock()
        self.stats: dict[str, int] = {"requests": 0, "304s": 0, "retries": 0, "bytes": 0}
        self._client = httpx.Client(headers={"User-Agent": user_agent}, timeout=timeout, follow_redirects=False,
                                    transport=transport, verify=verify, trust_env=False)

    @classmethod
    def from_config(cls, http: Any, *, user_agent: str, validators: ValidatorStore | None = None,
                    **overrides: Any) -> HttpClient:
        """Build from monitor.config.HttpConfig."""
        kw: dict[str, Any] = dict(timeout=http.timeout, max_retries=http.max_retries, backoff=http.backoff,
                                  max_redirects=http.max_redirects, max_bytes=http.max_bytes,
                                  max_retry_after=http.max_retry_after, run_budget=http.run_budget)
        kw.update(overrides)
        return cls(user_agent=user_agent, validators=validators, **kw)

    @classmethod
    def for_source(cls, cfg: Any, source: Any, scfg: Any, *, validators: ValidatorStore | None = None,
                   **overrides: Any) -> HttpClient:
        """Client for one source's run (Config, SourceInfo, SourceConfig); Context sets the host politeness."""
        return cls.from_config(cfg.http, user_agent=cfg.user_agent, validators=validators, **overrides)

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def reset_budget(self, seconds: float | None) -> None:
        """Start a new time budget (None: unlimited) counted from now."""
        self._deadline = None if seconds is None else self._clock() + seconds

    def set_host_policy(self, host: str, *, min_delay: float = 0.0, concurrency: int = 1) -> None:
        """Minimum seconds between requests to host (host[:port]) and how many may run at once."""
        with self._policies_lock:
            old = self._policies.get(host)
            pol = _HostPolicy(min_delay, concurrency, threading.BoundedSemaphore(concurrency))
            if old is not None:
                pol.next_at = old.next_at
            self._policies[host] = pol

    def _policy(self, host: str) -> _HostPolicy:
        with self._policies_lock:
            if host not in self._policies:
                self._policies[host] = _HostPolicy(0.0, 1, threading.BoundedSemaphore(1))
            return self._policies[host]

    # -- time

    def _remaining(self, url: str) -> float | None:
        if self._deadline is None:
            return None
        left = self._deadline - self._clock()
        if left <= 0:
            raise FetchError("run time budget exhausted", url=url)
        return left

    def _wait(self, seconds: float, url: str) -> None:
        if seconds <= 0:
            return
        left = self._remaining(url)
        if left is not None and seconds > left:
            raise FetchError(f"run time budget exhausted (would wait {seconds:.1f}s, {left:.1f}s left)", url=url)
        self._sleep(seconds)

    # -- public

    def get(self, url: str, **kw: Any) -> Fetched:
        return self.request("GET", url, **kw)

    def request(self, method: str, url: str, *, params: Any = None, data: Any = None, json: Any = None,
                headers: Mapping[str, str] | None = None, conditional: bool = False, cache_key: str | None = None,
                save_validators: bool = True, allowed_hosts: Iterable[str] = (),
                rewrite: Callable[[str], str] | None = None, block_markers: Iterable[str] = (),
                on_response: Callable[[str, str, int, httpx.Headers, bytes], None] | None = None) -> Fetched:
        """Fetch url following redirects (capped, loop-checked, host-restricted); raise FetchError and subclasses.

        `cache_key` keys the validators (default: the URL with params); `rewrite` maps a redirect target before it is
        followed (official host → base_url); `on_response` sees every raw hop (for recording).
        """
        method = method.upper()
        try:
            first = httpx.URL(url, params=params) if params else httpx.URL(url)
        except httpx.InvalidURL as exc:  # a scraped href with control characters etc.: one bad record, not a crash
            raise FetchError(f"invalid URL {url[:200]!r}: {exc}", url=url[:200]) from None
        if first.scheme not in ("http", "https"):
            raise FetchError(f"refusing a non-http(s) URL {url[:200]!r}", url=url[:200])
        key = cache_key or str(first)
        hdrs = dict(headers or {})
        if conditional and method == "GET" and self.validators is not None:
            v = self.validators.get_validators(key)
            if v:
                etag, last_modified = v
                if etag:
                    hdrs["If-None-Match"] = etag
                if last_modified:
                    hdrs["If-Modified-Since"] = last_modified
        allowed = {h.lower() for h in allowed_hosts} | {first.host.lower()}
        current = first
        seen = {str(current)}
        body_kw: dict[str, Any] = {"data": data, "json": json}
        for hop in range(self.max_redirects + 1):
            status, resp_headers, content = self._send(method, current, hdrs, body_kw)
            if on_response is not None:
                on_response(method, str(current), status, resp_headers, content)
            if status not in REDIRECT_STATUSES or "location" not in resp_headers:
                return self._finish(method, url, current, status, resp_headers, content, key=key,
                                    save=save_validators, markers=block_markers)
            target = urljoin(str(current), resp_headers["location"].strip())
            if rewrite is not None:
                target = rewrite(target)
            try:
                nxt = httpx.URL(target)
            except httpx.InvalidURL as exc:
                raise FetchError(f"redirect to an invalid URL {target[:200]!r}: {exc}", url=url, status=status) from None
            if nxt.scheme not in ("http", "https"):
                raise FetchError(f"redirect to a non-http(s) URL {target!r}", url=url, status=status)
            if nxt.host.lower() not in allowed:
                raise FetchError(f"redirect from host {current.host} to another host {nxt.host} refused",
                                 url=url, status=status)
            if str(nxt) in seen:
                raise FetchError(f"redirect loop at {nxt}", url=url, status=status)
            seen.add(str(nxt))
            if status == 303 or (status in (301, 302) and method == "POST"):
                method, body_kw = "GET", {"data": None, "json": None}
            current = nxt
        raise FetchError(f"more than {self.max_redirects} redirects", url=url)

    # -- internals

    def _finish(self, method: str, url: str, final: httpx.URL, status: int, headers: httpx.Headers, content: bytes,
                *, key: str, save: bool, markers: Iterable[str]) -> Fetched:
        fetched = Fetched(url=url, final_url=str(final), status=status, headers=headers, content=content)
        if status == 304:
            self.stats["304s"] += 1
            return fetched
        if status in (403, 412):
            raise BlockedError(f"HTTP {status}: access refused (anti-bot wall?)", url=url, status=status)
        if status >= 400:
            raise FetchError(f"HTTP {status}", url=url, status=status)
        marker = find_block_marker(fetched, markers) if 200 <= status < 300 else None
        if marker is not None:
            raise BlockedError(f"anti-bot page (contains {marker!r})", url=url, status=status)
        if save and method == "GET" and status == 200 and self.validators is not None:
            etag, lm = headers.get("etag"), headers.get("last-modified")
            if etag or lm:
                self.validators.set_validators(key, etag, lm)
        return fetched

    def _send(self, method: str, url: httpx.URL, headers: dict[str, str],
              body_kw: dict[str, Any]) -> tuple[int, httpx.Headers, bytes]:
        """One hop with retries; returns (status, headers, body) of a non-retryable answer."""
        last: _Retryable | None = None
        for attempt in range(self.max_retries + 1):
            if attempt:
                self.stats["retries"] += 1
                delay = self.backoff * (2 ** (attempt - 1))
                if last is not None and last.retry_after is not None:
                    if last.retry_after > self.max_retry_after:
                        raise FetchError(f"HTTP {last.status}: Retry-After {last.retry_after:.0f}s exceeds the "
                                         f"{self.max_retry_after:.0f}s cap", url=str(url), status=last.status)
                    delay = last.retry_after
                log.debug("retry %d/%d of %s %s in %.1fs (%s)", attempt, self.max_retries, method, url, delay, last)
                self._wait(delay, str(url))
            try:
                return self._attempt(method, url, headers, body_kw)
            except _Retryable as exc:
                last = exc
        assert last is not None
        if last.kind == "network":
            raise NetworkError(f"{last} after {self.max_retries + 1} attempts", url=str(url))
        if last.kind == "truncated":
            raise FetchError(f"{last} after {self.max_retries + 1} attempts", url=str(url))
        if last.retry_after is not None and last.retry_after > self.max_retry_after:
            raise FetchError(f"HTTP {last.status}: Retry-After {last.retry_after:.0f}s exceeds the "
                             f"{self.max_retry_after:.0f}s cap", url=str(url), status=last.status)
        raise FetchError(f"HTTP {last.status} after {self.max_retries + 1} attempts", url=str(url), status=last.status)

    def _attempt(self, method: str, url: httpx.URL, headers: dict[str, str],
                 body_kw: dict[str, Any]) -> tuple[int, httpx.Headers, bytes]:
        pol = self._policy(host_key(url))
        pol.semaphore.acquire()
        try:
            with pol.lock:
                self._wait(pol.next_at - self._clock(), str(url))
                pol.next_at = self._clock() + pol.min_delay
            try:
                return self._exchange(method, url, headers, body_kw)
            finally:
                with pol.lock:
                    # politeness counts from the end of a request, so slow answers do not bunch up requests
                    pol.next_at = max(pol.next_at, self._clock() + pol.min_delay)
        finally:
            pol.semaphore.release()

    def _exchange(self, method: str, url: httpx.URL, headers: dict[str, str],
                  body_kw: dict[str, Any]) -> tuple[int, httpx.Headers, bytes]:
        left = self._remaining(str(url))
        timeout = self.timeout if left is None else min(self.timeout, left)
        request = self._client.build_request(method, url, headers=headers, timeout=timeout, **body_kw)
        self.stats["requests"] += 1
        started = time.monotonic()
        got_headers = False
        try:
            response = self._client.send(request, stream=True)
            got_headers = True
            try:
                status = response.status_code
                declared = response.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > self.max_bytes:
                    raise FetchError(f"response of {int(declared)} bytes exceeds the {self.max_bytes}-byte cap",
                                     url=str(url), status=status)
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise FetchError(f"response exceeds the {self.max_bytes}-byte cap", url=str(url),
                                         status=status)
                    chunks.append(chunk)
                    self._remaining(str(url))
                content = b"".join(chunks)
                # h11 already refuses a short body; this catches transports that do not (compressed: can't tell)
                if (declared and declared.isdigit() and len(content) < int(declared) and method != "HEAD"
                        and status not in (204, 304) and "content-encoding" not in response.headers):
                    raise _Retryable(f"truncated body: {len(content)} of {declared} bytes", kind="truncated")
            finally:
                response.close()
        except httpx.TimeoutException as exc:
            raise _Retryable(f"{type(exc).__name__}: {exc or 'timed out'}", kind="network") from None
        except httpx.NetworkError as exc:
            # a reset after the headers arrived is a cut-off body; before, the host is unreachable
            raise _Retryable(f"{type(exc).__name__}: {exc or 'no detail'}",
                             kind="truncated" if got_headers else "network") from None
        except httpx.RemoteProtocolError as exc:
            raise _Retryable(f"{'truncated body' if got_headers else 'protocol error'}: {exc}",
                             kind="truncated" if got_headers else "network") from None
        except httpx.DecodingError as exc:
            raise FetchError(f"undecodable body: {exc}", url=str(url)) from None
        except httpx.HTTPError as exc:  # invalid URL, unsupported protocol, ...
            raise FetchError(f"{type(exc).__name__}: {exc}", url=str(url)) from None
        self.stats["bytes"] += len(content)
        log.debug("%s %s -> %d (%d bytes, %.2fs)", method, url, status, len(content), time.monotonic() - started)
        if status == 429 or status >= 500:
            raise _Retryable(f"HTTP {status}", status=status,
                             retry_after=parse_retry_after(response.headers.get("retry-after")))
        return status, response.headers, content


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Retry-After as seconds: delta-seconds or an HTTP-date (past dates → 0)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


def url_host(url: str) -> str:
    """Lower-cased host of a URL ('' when none)."""
    return (urlsplit(url).hostname or "").lower()
