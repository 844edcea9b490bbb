"""Helpers for crawl tests: in-memory validators and consecutive crawls that remember what they stored."""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType

from monitor.config import SourceConfig
from monitor.context import Context
from monitor.http import HttpClient
from monitor.models import Notice, canonical_url
from monitor.replay import ReplayServer


class MemoryValidators:
    """ETag / Last-Modified per URL, as the Store keeps them."""

    def __init__(self) -> None:
        self.data: dict[str, tuple[str | None, str | None]] = {}

    def get_validators(self, url: str) -> tuple[str | None, str | None] | None:
        return self.data.get(url)

    def set_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        self.data[url] = (etag, last_modified)


class CrawlRun:
    """Consecutive crawls of one scraper sharing known URLs and validators, as consecutive pipeline runs do."""

    def __init__(self, scraper: ModuleType, server: ReplayServer, **cfg: object) -> None:
        self.scraper, self.server, self.cfg = scraper, server, cfg
        self.known: set[str] = set()
        self.validators = MemoryValidators()
        self.warnings: list[str] = []

    def stream(self) -> Iterator[Notice]:
        """Each notice becomes known as soon as it is yielded: the pipeline stores them one by one."""
        scfg = SourceConfig(base_url=self.server.base_url, min_delay=0, **self.cfg)  # type: ignore[arg-type]
        with HttpClient(user_agent="regwatch-test", max_retries=0, backoff=0, validators=self.validators) as client:
            ctx = Context(self.scraper.SOURCE, scfg, client, known=self.known.__contains__,
                          max_pages=scfg.max_pages)
            self.warnings = ctx.warnings
            for n in self.scraper.crawl(ctx):
                self.known.add(canonical_url(n.url))
                yield n
            ctx.commit_validators()

    def crawl(self) -> list[Notice]:
        return list(self.stream())
