"""Serve a saved fixture directory (manifest.json) over real HTTP on loopback, with ETag/304 and fault modes.

Stdlib only: it ships in the package for `monitor demo`. See docs/architecture.md for the manifest format and
docs/faults.md for the fault kinds.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import parse_qsl, urlsplit

MAX_SLEEP = 30.0  # every fault sleep is bounded; stop() also cuts them short
FAULT_KINDS = frozenset({
    "status", "connect_timeout", "hang", "read_timeout_mid_body", "truncate", "retry_after", "redirect_loop",
    "redirect_other_host", "gbk_no_charset", "wrong_charset", "malformed", "huge", "waf", "empty_list",
    "layout_change",
})
WAF_PAGE = ("<html><head><meta charset=\"utf-8\"><title>请求已中断</title></head><body>"
            "<h1>请求已中断</h1><p>您的请求可能对网站造成安全威胁，已被WAF拦截。</p>"
            "<p>事件ID: 0a1b2c3d4e5f</p></body></html>").encode("utf-8")
_META_CHARSET = re.compile(rb"<meta[^>]*charset[^>]*>", re.I)


class LoggedRequest(NamedTuple):
    method: str
    target: str  # path + query as requested
    headers: dict[str, str]
    status: int


@dataclass
class Entry:
    """One saved response."""

    method: str
    path: str
    query: dict[str, str]
    status: int
    headers: dict[str, str]
    body: bytes
    data: dict[str, Any] | None = None  # POST form/JSON fields that must match
    last_modified: float = field(default_factory=lambda: float(int(time.time())))

    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:20] + '"'


@dataclass
class Fault:
    kind: str
    params: dict[str, Any]
    remaining: int | None  # None: forever
    served: int = 0


def load_manifest(directory: Path) -> tuple[dict[str, Any], list[Entry]]:
    """Read directory/manifest.json into entries (bodies from `file`, or inline `body` text)."""
    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    try:
        base_time = float(int(datetime.fromisoformat(manifest["recorded"]).timestamp()))
    except (KeyError, TypeError, ValueError):
        base_time = float(int(time.time()))
    entries = []
    for r in manifest.get("responses", []):
        if "file" in r:
            body = (directory / r["file"]).read_bytes()
        else:
            body = str(r.get("body", "")).encode("utf-8")
        entries.append(Entry(method=r.get("method", "GET").upper(), path=r["path"],
                             query={k: str(v) for k, v in (r.get("query") or {}).items()},
                             status=int(r.get("status", 200)), headers=dict(r.get("headers") or {}), body=body,
                             data=r.get("data"),
                             last_modified=base_time))
    return manifest, entries


def _charset(headers: dict[str, str]) -> str:
    ct = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    m = re.search(r"charset=([\w-]+)", ct, re.I)
    return m.group(1) if m else "utf-8"


def _content_type(headers: dict[str, str]) -> str:
    return next((v for k, v in headers.items() if k.lower() == "content-type"), "text/html")


def _is_json(entry: Entry) -> bool:
    return "json" in _content_type(entry.headers).lower() or entry.body.lstrip()[:1] in (b"{", b"[")


def _empty_lists(obj: Any) -> Any:
    if isinstance(obj, list):
        return [] if any(isinstance(x, dict) for x in obj) else obj
    if isinstance(obj, dict):
        return {k: _empty_lists(v) for k, v in obj.items()}
    return obj


def _rename_keys(obj: Any) -> Any:
    if isinstance(obj, list):
        return [_rename_keys(x) for x in obj]
    if isinstance(obj, dict):
        return {f"{k}_v2": _rename_keys(v) for k, v in obj.items()}
    return obj


def _text(entry: Entry) -> str:
    return entry.body.decode(_charset(entry.headers), errors="replace")


def transform_body(entry: Entry, kind: str) -> bytes:
    """Body of `entry` as a content fault rewrites it (empty_list, layout_change, malformed)."""
    if kind == "malformed":
        if _is_json(entry):
            return entry.body[: max(1, len(entry.body) // 2)] + b"\x00\xff{{,]"
        return b"<html><body><div class=\"content-right\"><ul><li><a href=\"" + bytes(range(256)) * 8
    if _is_json(entry):
        data = json.loads(_text(entry), strict=False)
        data = _empty_lists(data) if kind == "empty_list" else _rename_keys(data)
        return json.dumps(data, ensure_ascii=False).encode("utf-8")
    html = _text(entry)
    if kind == "empty_list":
        html = re.sub(r"<li\b.*?</li>", "", html, flags=re.S | re.I)
        html = re.sub(r"<tr\b.*?</tr>", "", html, flags=re.S | re.I)
    else:  # layout_change: every class and id renamed, list items no longer <li>
        html = re.sub(r"""\b(class|id)\s*=\s*(["'])(.*?)\2""",
                      lambda m: f'{m.group(1)}={m.group(2)}{" ".join(c + "-v2" for c in m.group(3).split())}'
                                f"{m.group(2)}", html, flags=re.I | re.S)
        html = re.sub(r"<(/?)li\b", r"<\1div", html, flags=re.I)
    return html.encode(_charset(entry.headers), errors="xmlcharrefreplace")


class ReplayServer:
    """A fixture directory served on loopback; see the module docstring."""

    def __init__(self, directory: Path | str, *, host: str = "127.0.0.1", port: int = 0):
        self.directory = Path(directory)
        self.manifest, self.entries = load_manifest(self.directory)
        self.requests: list[LoggedRequest] = []
        self._faults: dict[str | None, Fault] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._httpd = _Server((host, port), _Handler)
        self._httpd.replay = self

    # -- lifecycle

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> ReplayServer:
        if self._thread is None:
            self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                            name=f"replay-{self.directory.name}", daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> ReplayServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- runtime changes

    def _find(self, method: str, path: str, query: dict[str, str] | None = None) -> Entry | None:
        for e in self.entries:
            if e.method == method and e.path == path and (query is None or e.query == query):
                return e
        return None

    def set_override(self, path: str, *, body: bytes | str | None = None, status: int | None = None,
                     headers: dict[str, str] | None = None, query: dict[str, str] | None = None,
                     method: str = "GET") -> Entry:
        """Change (or add) the response for path [+ exact query]; a changed body gets a new ETag/Last-Modified."""
        with self._lock:
            entry = self._find(method.upper(), path, query)
            if entry is None:
                entry = Entry(method=method.upper(), path=path, query=dict(query or {}), status=200,
                              headers={"Content-Type": "text/html; charset=utf-8"}, body=b"")
                self.entries.insert(0, entry)
            if body is not None:
                entry.body = body.encode("utf-8") if isinstance(body, str) else body
                # Last-Modified has 1 s resolution: step it forward so If-Modified-Since sees the change
                entry.last_modified = max(float(int(time.time())), entry.last_modified + 1)
            if status is not None:
                entry.status = status
            if headers is not None:
                entry.headers.update(headers)
            return entry

    def replace_body(self, path: str, body: bytes | str, *, query: dict[str, str] | None = None) -> Entry:
        """New body for an existing (or new) GET response."""
        return self.set_override(path, body=body, query=query)

    def set_fault(self, path: str | None, kind: str, *, count: int | None = None, **params: Any) -> None:
        """Inject a fault for path (None: every path) for `count` requests (default: status 3, retry_after 1, else all)."""
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r} (have: {', '.join(sorted(FAULT_KINDS))})")
        if count is None and kind == "status":
            count = 3
        if count is None and kind == "retry_after":
            count = 1
        with self._lock:
            self._faults[path] = Fault(kind, params, count)

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def requests_to(self, path: str) -> list[LoggedRequest]:
        """Logged requests whose path (without query) is `path`."""
        return [r for r in self.requests if urlsplit(r.target).path == path]

    # -- used by the handler

    def _take_fault(self, path: str) -> Fault | None:
        with self._lock:
            key: str | None = path if path in self._faults else None
            fault = self._faults.get(key)
            if fault is None:
                return None
            if fault.remaining is not None:
                if fault.remaining <= 0:
                    del self._faults[key]
                    return None
                fault.remaining -= 1
            fault.served += 1
            return fault

    def _match(self, method: str, path: str, query: dict[str, str], payload: dict[str, Any]) -> Entry | None:
        best: tuple[int, Entry] | None = None
        with self._lock:
            for e in self.entries:
                if e.method != method and not (method == "HEAD" and e.method == "GET"):
                    continue
                if e.path != path or any(query.get(k) != v for k, v in e.query.items()):
                    continue
                if e.data and any(str(payload.get(k)) != str(v) for k, v in e.data.items()):
                    continue
                score = len(e.query) + len(e.data or {})
                if best is None or score > best[0]:
                    best = (score, e)
        return best[1] if best else None

    def _log(self, method: str, target: str, headers: dict[str, str], status: int) -> None:
        with self._lock:
            self.requests.append(LoggedRequest(method, target, headers, status))

    def _pause(self, seconds: float) -> None:
        self._stopping.wait(min(float(seconds), MAX_SLEEP))


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    replay: ReplayServer


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes: Nagle + delayed ACK cost 40 ms each
    server: _Server
    _logged = False
    _req_headers: dict[str, str] = {}

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass  # the request log is self.server.replay.requests

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def do_HEAD(self) -> None:
        self._serve("HEAD")

    # -- plumbing

    def _payload(self) -> dict[str, Any]:
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n else b""
        if not raw:
            return {}
        try:
            data = json.loads(raw)
            return data if isinstance(data, dict) else {}
        except ValueError:
            return dict(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))

    def _begin(self, status: int) -> None:
        """Log the request (before any byte goes out, so a client never sees an answer the log lacks), then reply."""
        if not self._logged:
            self._logged = True
            self.server.replay._log(self.command, self.path, self._req_headers, status)
        self.send_response(status)

    def _send(self, status: int, headers: dict[str, str], body: bytes, *, method: str, close: bool = False) -> None:
        self._begin(status)
        lower = {k.lower() for k in headers}
        for k, v in headers.items():
            if k.lower() not in ("content-length", "transfer-encoding", "connection"):
                self.send_header(k, v)
        if "content-type" not in lower and status != 304:
            self.send_header("Content-Type", "text/html; charset=utf-8")
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if method != "HEAD" and status != 304:
            self.wfile.write(body)

    def _serve(self, method: str) -> None:
        replay = self.server.replay
        parts = urlsplit(self.path)
        path, query = parts.path, dict(parse_qsl(parts.query, keep_blank_values=True))
        payload = self._payload() if method == "POST" else {}
        self._req_headers = {k: v for k, v in self.headers.items()}
        self._logged = False
        try:
            fault = replay._take_fault(path)
            entry = replay._match(method, path, query, payload)
            if fault is not None and self._fault(fault, entry, method, path):
                return
            if entry is None:
                self._send(404, {"Content-Type": "text/plain; charset=utf-8"}, b"not in manifest\n", method=method)
                return
            self._answer(entry, method)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            self.close_connection = True  # the client gave up (timeouts, size cap): expected under faults
        finally:
            if not self._logged:
                replay._log(method, self.path, self._req_headers, 0)  # 0: no answer was sent

    def _answer(self, entry: Entry, method: str, *, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> int:
        body = entry.body if body is None else body
        hdrs = dict(entry.headers if headers is None else headers)
        lower = {k.lower(): k for k in hdrs}
        etag = hdrs.get(lower["etag"]) if "etag" in lower else entry.etag()
        last_modified = (hdrs.get(lower["last-modified"]) if "last-modified" in lower
                         else formatdate(entry.last_modified, usegmt=True))
        if 200 <= entry.status < 300 and body is entry.body:
            hdrs.setdefault("ETag", etag)
            hdrs.setdefault("Last-Modified", last_modified)
            if self._not_modified(etag, last_modified):
                self._send(304, {"ETag": etag, "Last-Modified": last_modified}, b"", method=method)
                return 304
        self._send(entry.status, hdrs, body, method=method)
        return entry.status

    def _not_modified(self, etag: str, last_modified: str) -> bool:
        inm = self.headers.get("If-None-Match")
        if inm is not None:  # RFC 9110: If-None-Match wins over If-Modified-Since
            return inm.strip() == "*" or etag in [t.strip() for t in inm.split(",")]
        ims = self.headers.get("If-Modified-Since")
        if ims:
            try:
                return parsedate_to_datetime(last_modified) <= parsedate_to_datetime(ims)
            except (TypeError, ValueError):
                return False
        return False

    def _fault(self, fault: Fault, entry: Entry | None, method: str, path: str) -> int:
        """Act out a fault; return the status sent, or 0 to answer normally afterwards."""
        replay = self.server.replay
        p = fault.params
        kind = fault.kind
        if kind == "status":
            codes = p.get("codes") or [p.get("code", 503)]
            code = int(codes[(fault.served - 1) % len(codes)])
            self._send(code, {"Content-Type": "text/html; charset=utf-8"},
                       f"<html><body><h1>{code} error</h1></body></html>".encode(), method=method)
            return code
        if kind == "retry_after":
            value = str(p.get("date") or int(p.get("seconds", 1)))
            self._send(429, {"Retry-After": value, "Content-Type": "text/plain"}, b"Too Many Requests", method=method)
            return 429
        if kind in ("connect_timeout", "hang"):
            replay._pause(p.get("seconds", 5.0))
            return 0
        if kind == "redirect_loop":
            hop = "1" if "_loop=0" in self.path else "0"
            self._send(302, {"Location": f"{path}?_loop={hop}"}, b"", method=method)
            return 302
        if kind == "redirect_other_host":
            host = p.get("host", "other-host.invalid")
            self._send(302, {"Location": f"http://{host}{path}"}, b"", method=method)
            return 302
        if kind == "waf":
            self._send(200, {"Content-Type": "text/html; charset=utf-8"}, WAF_PAGE, method=method)
            return 200
        if kind == "huge":
            self._huge(int(float(p.get("mb", 50)) * 1024 * 1024), bool(p.get("content_length", True)), method)
            return 200
        if entry is None:
            return 0  # content faults need a saved response; a 404 follows
        if kind in ("read_timeout_mid_body", "truncate"):
            self._begin(entry.status)
            self.send_header("Content-Type", _content_type(entry.headers))
            body = entry.body
            self.send_header("Content-Length", str(len(body) + (0 if kind == "read_timeout_mid_body" else 1)))
            self.send_header("Connection", "close")
            self.close_connection = True
            self.end_headers()
            self.wfile.write(body[: max(1, int(len(body) * float(p.get("fraction", 0.5))))])
            self.wfile.flush()
            if kind == "read_timeout_mid_body":
                replay._pause(p.get("seconds", 5.0))
            return entry.status
        if kind in ("gbk_no_charset", "wrong_charset"):
            text = _text(entry)
            if kind == "gbk_no_charset":
                text = _META_CHARSET.sub(b"", text.encode("utf-8")).decode("utf-8")
            body = text.encode("gbk", errors="xmlcharrefreplace")
            mime = _content_type(entry.headers).split(";")[0].strip()
            ctype = mime if kind == "gbk_no_charset" else f"{mime}; charset=utf-8"
            hdrs = {k: v for k, v in entry.headers.items() if k.lower() != "content-type"}
            return self._answer(entry, method, body=body, headers={**hdrs, "Content-Type": ctype})
        if kind in ("malformed", "empty_list", "layout_change"):
            body = p["body"] if "body" in p else transform_body(entry, kind)
            return self._answer(entry, method, body=body.encode("utf-8") if isinstance(body, str) else body)
        return 0

    def _huge(self, size: int, with_length: bool, method: str) -> None:
        self._begin(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        if with_length:
            self.send_header("Content-Length", str(size))
        else:
            self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Connection", "close")
        self.close_connection = True
        self.end_headers()
        if method == "HEAD":
            return
        chunk = b"<p>" + b"x" * (64 * 1024 - 8) + b"</p>\n"
        sent = 0
        while sent < size and not self.server.replay._stopping.is_set():
            piece = chunk[: size - sent]
            self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n" if not with_length else piece)
            sent += len(piece)
        if not with_length:
            self.wfile.write(b"0\r\n\r\n")
