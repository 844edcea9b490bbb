"""What every source shares: its facts (`SourceInfo`) and small strict helpers for parsers."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SourceInfo:
    id: str  # contract source id: amac, csrc, ...
    name: str  # human name of the regulator
    issuer: str  # default issuing body
    base_url: str  # official site root
    official_hosts: tuple[str, ...]  # hosts whose links are fetched through config.base_url
    default_schedule: str = "0 */2 * * *"
    min_delay: float = 2.0  # seconds between requests to one host in production
    expected_cadence_days: float | None = None  # silent longer than this = stale
    block_markers: tuple[str, ...] = ()  # body substrings of an anti-bot/WAF page served with 200
    lang: str = "zh"
    extra_headers: dict[str, str] = field(default_factory=dict)
