"""`monitor record ID`: crawl the live site once and save every raw response as a replayable fixture directory."""

from __future__ import annotations

import hashlib
import json
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Mapping
from urllib.parse import urlencode

from monitor.config import Config, SourceConfig
from monitor.errors import NetworkError

log = logging.getLogger("regwatch.record")
KEPT_HEADERS = ("content-type", "location", "retry-after", "content-disposition")  # the replay adds the rest


@dataclass
class RecordResult:
    source: str
    directory: Path
    responses: int
    notices: int
    error: str | None = None

    def __str__(self) -> str:
        tail = f"; stopped early: {self.error}" if self.error else ""
        return (f"{self.source}: {self.responses} responses, {self.notices} notices saved under "
                f"{self.directory}{tail}")


@dataclass
class Recorder:
    """Collects raw responses and writes them with manifest.json (the ReplayServer's format)."""

    directory: Path
    source: str
    responses: list[dict[str, Any]] = field(default_factory=list)

    def save(self, *, method: str, path: str, query: dict[str, str], status: int, headers: Mapping[str, str],
             body: bytes) -> None:
        """Write the body now (a later crash keeps it) and remember its manifest entry."""
        name = file_name(method, path, query, headers.get("content-type"))
        target = self.directory / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
        entry = {"method": method, "path": path, "query": query, "status": status,
                 "headers": {k.title(): v for k, v in headers.items() if k.lower() in KEPT_HEADERS},
                 "file": name}
        # one entry per request: a page fetched twice keeps its last answer
        self.responses = [r for r in self.responses
                          if (r["method"], r["path"], r["query"]) != (method, path, query)] + [entry]

    def write_manifest(self) -> Path:
        path = self.directory / "manifest.json"
        self.directory.mkdir(parents=True, exist_ok=True)
        manifest = {"source": self.source, "recorded": datetime.now().astimezone().isoformat(timespec="seconds"),
                    "reconstructed": False, "responses": self.responses}
        path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        return path


def file_name(method: str, path: str, query: dict[str, str], content_type: str | None) -> str:
    """Relative file name for a response: its URL path, plus a short hash of the query and method."""
    clean = re.sub(r"[^\w.\-/]", "_", path.lstrip("/")).replace("..", "_") or "index"
    if clean.endswith("/"):
        clean += "index"
    if query or method != "GET":
        digest = hashlib.sha256(f"{method} {urlencode(sorted(query.items()))}".encode()).hexdigest()[:10]
        stem, dot, ext = clean.rpartition(".")
        clean = f"{stem}__{digest}.{ext}" if dot and "/" not in ext else f"{clean}__{digest}"
    if "." not in clean.rsplit("/", 1)[-1]:
        ct = (content_type or "").lower()
        clean += ".json" if "json" in ct else ".pdf" if "pdf" in ct else ".html"
    return clean


def record_source(cfg: Config, source_id: str, out_dir: Path, *, max_pages: int = 1) -> RecordResult:
    """Crawl source_id live (config base_url) and save raw responses + manifest under out_dir/source_id/."""
    from monitor.context import Context
    from monitor.http import HttpClient
    from scrapers import get_scraper

    scraper = get_scraper(source_id)
    scfg = cfg.sources.get(source_id) or SourceConfig()
    recorder = Recorder(Path(out_dir) / source_id, source_id)
    notices = 0
    error: str | None = None
    with HttpClient.for_source(cfg, scraper.SOURCE, scfg) as client:
        ctx = Context(scraper.SOURCE, scfg, client, known=lambda url: False, max_pages=max_pages,
                      recorder=recorder)
        try:
            for _ in scraper.crawl(ctx):
                notices += 1
        except NetworkError as exc:
            if not recorder.responses:
                raise NetworkError(f"cannot reach {scfg.base_url or scraper.SOURCE.base_url}: "
                                   f"{str(exc).splitlines()[0]}") from None
            error = str(exc).splitlines()[0]
        except Exception as exc:  # keep what was fetched: a failing parser is exactly when a recording helps
            if not recorder.responses:
                raise
            error = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
            log.warning("%s: crawl stopped: %s", source_id, error)
    recorder.write_manifest()
    return RecordResult(source_id, recorder.directory, len(recorder.responses), notices, error)
