"""The registry lists every scraper module, and every module has the documented entry points."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

import scrapers
from monitor.config import SOURCE_IDS
from scrapers import REGISTRY, get_scraper
from scrapers.base import SourceInfo

MODULES = sorted(p.stem for p in Path(scrapers.__file__).parent.glob("*.py") if p.stem not in ("__init__", "base"))


def test_every_scraper_file_is_registered() -> None:
    assert sorted(m.__name__.rsplit(".", 1)[1] for m in REGISTRY.values()) == MODULES


@pytest.mark.parametrize("name", MODULES)
def test_module_shape(name: str) -> None:
    mod = REGISTRY[name]
    assert isinstance(mod.SOURCE, SourceInfo) and mod.SOURCE.id == name
    assert mod.SOURCE.id in SOURCE_IDS
    assert inspect.isgeneratorfunction(mod.crawl) and list(inspect.signature(mod.crawl).parameters) == ["ctx"]
    assert callable(mod.parse_list) and callable(mod.parse_notice)
    assert mod.SOURCE.base_url.startswith(("http://", "https://"))
    assert all("/" not in h and h == h.lower() for h in mod.SOURCE.official_hosts)
    assert mod.SOURCE.base_url.split("/")[2] in mod.SOURCE.official_hosts


def test_get_scraper() -> None:
    assert get_scraper("amac") is REGISTRY["amac"]
    with pytest.raises(KeyError, match="no scraper"):
        get_scraper("nope")
