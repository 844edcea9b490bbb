"""The closed vocabulary of violation and sanction ids (monitor/data/taxonomy.yaml, copied from shared/data)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml


@dataclass(frozen=True)
class Taxonomy:
    raw: dict[str, Any]
    violations: dict[str, dict] = field(default_factory=dict)
    sanctions: dict[str, dict] = field(default_factory=dict)

    @property
    def violation_ids(self) -> set[str]:
        return set(self.violations)

    @property
    def sanction_ids(self) -> set[str]:
        return set(self.sanctions)

    def label(self, tid: str, lang: str = "zh") -> str:
        item = self.violations.get(tid) or self.sanctions.get(tid) or {}
        return str(item.get(lang) or item.get("en") or tid)


@lru_cache(maxsize=1)
def load_taxonomy() -> Taxonomy:
    text = resources.files("monitor").joinpath("data/taxonomy.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    return Taxonomy(
        raw=raw,
        violations={v["id"]: v for v in raw["violation_types"]},
        sanctions={s["id"]: s for s in raw["sanction_types"]},
    )
