"""Explicit registry of source modules. A source is listed here or it does not exist."""

from __future__ import annotations

from types import ModuleType

from scrapers import amac, csrc

REGISTRY: dict[str, ModuleType] = {
    amac.SOURCE.id: amac,
    csrc.SOURCE.id: csrc,
}


def get_scraper(source_id: str) -> ModuleType:
    try:
        return REGISTRY[source_id]
    except KeyError:
        raise KeyError(f"no scraper for source {source_id!r} (have: {', '.join(sorted(REGISTRY))})") from None
