"""`Context`: everything a scraper's crawl(ctx) may use — fetching through base_url, knownness, paging, warnings."""

from __future__ import annotations

import logging
from typing import Any, Callable, Mapping, Protocol
from urllib.parse import parse_qsl, urljoin, urlsplit, urlunsplit

import httpx

from monitor.config import SourceConfig
from monitor.errors import FetchError, ParseError
from monitor.http import Fetched, HttpClient, effective_min_delay, host_key, is_loopback
from monitor.models import canonical_url
from scrapers.base import SourceInfo

__all__ = ["Context", "Fetched", "Recorder"]


class Recorder(Protocol):
    """Receives every raw response of a run (monitor.record.Recorder saves them as fixtures)."""

    def save(self, *, method: str, path: str, query: dict[str, str], status: int, headers: Mapping[str, str],
             body: bytes) -> None: ...


class Context:
    """What crawl(ctx) gets: see docs/architecture.md."""

    def __init__(self, source: SourceInfo, config: SourceConfig, client: HttpClient, *,
                 known: Callable[[str], bool], max_pages: int, backfill: bool = False,
                 log: logging.Logger | None = None, recorder: Recorder | None = None,
                 settled: Callable[[str], bool] | None = None):
        self.source = source
        self.config = config
        self.client = client
        self.max_pages = max_pages
        self.backfill = backfill
        self.log = log or logging.getLogger(f"regwatch.source.{source.id}")
        self.recorder = recorder
        self.warnings: list[str] = []
        self.requests = 0  # HTTP requests made for this context, retries and redirect hops included
        self.pending_validators: dict[str, tuple[str | None, str | None]] = {}
        # A list endpoint's validators are saved only if every record met while crawling it was stored: the
        # endpoint is the last conditional fetch; a warning or an abandoned crawl taints it
        self._endpoint: str | None = None
        self._tainted: set[str] = set()
        self._known = known
        # catching up after a failed/interrupted run: only rows stored before that run may stop the paging
        self._settled = settled
        self._seen: set[str] = set()
        self._official = urlsplit(source.base_url)
        self._base = urlsplit(config.base_url or source.base_url)
        self._official_hosts = {h.lower() for h in source.official_hosts} | {(self._official.hostname or "").lower()}
        self._base_host = (self._base.hostname or "").lower()
        self._base_path = self._base.path.rstrip("/")
        self._replay = config.base_url is not None and is_loopback(self._base_host)
        delay = effective_min_delay(self._base_host, config.min_delay, source.min_delay)
        hosts = {host_key(urlunsplit(self._base))}
        if config.base_url is None:
            hosts |= {h.lower() for h in source.official_hosts}
        for h in hosts:
            client.set_host_policy(h, min_delay=delay, concurrency=config.concurrency)

    # -- URLs

    def absolute(self, url: str) -> str:
        """Official absolute URL: relative and protocol-relative links resolved against the official site."""
        return urljoin(self.source.base_url.rstrip("/") + "/", url.strip())

    def _is_official(self, host: str | None) -> bool:
        return (host or "").lower() in self._official_hosts

    def to_base(self, url: str) -> str:
        """Official URL → the URL actually fetched (through config.base_url); other hosts unchanged."""
        url = self.absolute(url)
        if self.config.base_url is None:
            return url
        parts = urlsplit(url)
        if not self._is_official(parts.hostname):
            return url
        return urlunsplit((self._base.scheme, self._base.netloc, self._base_path + (parts.path or "/"),
                           parts.query, parts.fragment))

    def official_url(self, fetched_url: str) -> str:
        """base_url URL → official URL (other URLs unchanged)."""
        if self.config.base_url is None:
            return fetched_url
        parts = urlsplit(fetched_url)
        if (parts.hostname or "").lower() != self._base_host or parts.port != self._base.port:
            return fetched_url
        path = parts.path
        if self._base_path and path.startswith(self._base_path):
            path = path[len(self._base_path):] or "/"
        return urlunsplit((self._official.scheme, self._official.netloc, path, parts.query, parts.fragment))

    # -- fetching

    def fetch(self, url: str, *, method: str = "GET", params: Any = None, data: Any = None, json: Any = None,
              headers: Mapping[str, str] | None = None, conditional: bool = False) -> Fetched | None:
        """Fetch an official URL through base_url; None when conditional and the server says 304."""
        official = self.absolute(url)
        target = self.to_base(official)
        host = (urlsplit(target).hostname or "").lower()
        if self._replay and host != self._base_host:
            # a loopback replay must never leak to the internet
            raise FetchError(f"refusing to fetch off-replay host {host} while base_url is {self.config.base_url}",
                             url=official)
        merged = {**self.source.extra_headers, **(headers or {})}
        key = str(httpx.URL(official, params=params)) if params else official
        if conditional:
            self._endpoint = key
        before = self.client.stats["requests"]
        try:
            fetched = self.client.request(
                method, target, params=params, data=data, json=json, headers=merged, conditional=conditional,
                cache_key=key, save_validators=False,
                allowed_hosts=self._official_hosts | {self._base_host}, rewrite=self.to_base,
                block_markers=self.source.block_markers,
                on_response=self._record if self.recorder is not None else None)
        finally:
            self.requests += self.client.stats["requests"] - before
        if fetched.status == 304:
            self.log.debug("not modified: %s", official)
            return None
        if method.upper() == "GET" and fetched.status == 200:
            etag, lm = fetched.headers.get("etag"), fetched.headers.get("last-modified")
            if etag or lm:
                # held back until the run succeeded: a 304 after a failed run would hide notices never stored
                self.pending_validators[key] = (etag, lm)
        out = Fetched(url=official, final_url=self.official_url(fetched.final_url), status=fetched.status,
                      headers=fetched.headers, content=fetched.content)
        if "text" in fetched.__dict__:
            out.__dict__["text"] = fetched.__dict__["text"]
        return out

    def commit_validators(self) -> int:
        """Save the ETag/Last-Modified of this run's 200 answers, except for endpoints with a lost record.

        Call after the run's notices are stored. A tainted endpoint keeps its old validators, so the next run
        sees it again (200, not 304) and fetches what was skipped.
        """
        store = self.client.validators
        if store is None:
            return 0
        n = 0
        for key, (etag, lm) in self.pending_validators.items():
            if key in self._tainted:
                continue
            store.set_validators(key, etag, lm)
            n += 1
        self.pending_validators.clear()
        return n

    def abandon_current(self) -> None:
        """The crawl of the current list endpoint did not finish (error, stop signal): keep it re-fetchable."""
        if self._endpoint is not None:
            self._tainted.add(self._endpoint)

    def _record(self, method: str, url: str, status: int, headers: httpx.Headers, body: bytes) -> None:
        assert self.recorder is not None
        parts = urlsplit(self.official_url(url))
        self.recorder.save(method=method, path=parts.path or "/", query=dict(parse_qsl(parts.query,
                           keep_blank_values=True)), status=status, headers=headers, body=body)

    # -- incremental crawling

    def is_known(self, url: str) -> bool:
        """A notice with this canonical URL is already stored."""
        return self._known(canonical_url(self.absolute(url)))

    def continue_paging(self, page_no: int, urls: list[str]) -> bool:
        """After list page `page_no` (1-based): go on unless every row is known, or max_pages is reached.

        The first all-known page is the one page of overlap with what earlier runs stored. When catching up
        after a run that did not finish (`settled` given), a known page stops the paging only if it also holds a
        row stored before that run: the interrupted run stored the top of the list, the rest may still be missing.
        """
        keys = [canonical_url(self.absolute(u)) for u in urls]
        all_known = bool(keys) and all(k in self._seen or self._known(k) for k in keys)
        if all_known and self._settled is not None:
            all_known = any(self._settled(k) for k in keys)
        # rows met earlier in this run count as known on later pages (lists shift while we page)
        self._seen.update(keys)
        if page_no >= self.max_pages:
            return False
        return self.backfill or not all_known

    def warn(self, message: str) -> None:
        """One bad record skipped: counted as failed in the run."""
        self.warnings.append(message)
        self.abandon_current()
        self.log.warning("%s: %s", self.source.id, message)

    # -- helpers

    def pdf_text(self, data: bytes) -> str:
        """Text of every page of a PDF; ParseError on a broken file."""
        import pypdfium2 as pdfium

        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            raise ParseError(f"broken PDF: {exc}") from None
        try:
            pages = []
            for i in range(len(pdf)):
                page = pdf[i]
                textpage = page.get_textpage()
                pages.append(textpage.get_text_range())
                textpage.close()
                page.close()
            return "\n".join(pages).replace("\r\n", "\n")
        finally:
            pdf.close()
