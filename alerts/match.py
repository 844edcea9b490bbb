"""Subscription filters and watchlist matching over stored notices.

A notice matches a subscription when every non-empty filter matches: sources any-of, violations any-of, sanctions
any-of, severity at least the subscription's, keywords any-of (in title or text, normalised like watchlist names),
watchlist any entity. Severity comes from the sanctions through the SEVERITY table below (data, not if-chains).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from alerts.watchlist import compile_watchlist, match_entities, norm

SEVERITY_RANK = {"low": 1, "medium": 2, "high": 3}

# sanction id -> severity. A fine is medium, high from FINE_HIGH_CNY (CNY-equivalent) upwards.
SEVERITY: dict[str, str] = {
    "market_ban": "high",
    "registration_revoked": "high",
    "license_revoked": "high",
    "membership_revoked": "high",
    "qualification_revoked_blacklist": "high",
    "ban_from_office": "high",
    "imprisonment": "high",
    "criminal_charges_parallel": "high",
    "asset_freeze": "high",
    "public_censure": "medium",
    "filing_suspension": "medium",
    "fine": "medium",
    "confiscation": "medium",
    "admin_warning": "medium",
    "business_restriction": "medium",
    "deregistration": "medium",
    "not_accepting_filings_from_person": "medium",
    "cease_and_desist": "medium",
    "restitution": "medium",
    "internal_criticism": "low",
    "written_warning_selfreg": "low",
    "warning_letter": "low",
    "regulatory_interview": "low",
    "order_to_correct": "low",
    "amac_required_correction": "low",
    "integrity_record": "low",
    "undertaking": "low",
    "no_sanction_case_closed": "low",
}
FINE_HIGH_CNY = 1_000_000
# rough CNY value of one unit; only used to rank severity and to show a CNY equivalent, never stored
CNY_PER = {"CNY": 1.0, "RMB": 1.0, "USD": 7.2, "HKD": 0.92, "EUR": 7.8, "GBP": 9.1, "JPY": 0.048}

JSON_COLUMNS = ("violations", "sanctions", "respondents", "labels")


def notice_from_row(row: dict) -> dict:
    """A `notices` row with its JSON columns decoded (tolerant of NULLs and of columns a store may lack)."""
    n = dict(row)
    for col in JSON_COLUMNS:
        v = n.get(col)
        if isinstance(v, str):
            try:
                n[col] = json.loads(v)
            except ValueError:
                n[col] = [] if col != "labels" else {}
        elif v is None:
            n[col] = {} if col == "labels" else []
    return n


def load_notices(db, ids: list[str]) -> list[dict]:
    out = []
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        marks = ",".join("?" * len(chunk))
        out += [notice_from_row(r) for r in db.query(f"select * from notices where id in ({marks})", chunk)]
    order = {nid: k for k, nid in enumerate(ids)}
    return sorted(out, key=lambda n: order.get(n["id"], 0))


def to_cny(amount: float | None, currency: str | None) -> float | None:
    if amount is None:
        return None
    return float(amount) * CNY_PER.get((currency or "CNY").upper(), 1.0)


def severity(notice: dict) -> str | None:
    """'high' | 'medium' | 'low' from the sanctions imposed, None when there is none."""
    best = 0
    for s in notice.get("sanctions") or []:
        best = max(best, SEVERITY_RANK.get(SEVERITY.get(s, "low"), 1))
    cny = to_cny(notice.get("fine_amount"), notice.get("fine_currency"))
    if cny is not None and cny >= FINE_HIGH_CNY:
        best = 3
    return {0: None, 1: "low", 2: "medium", 3: "high"}[best]


def watch_entities(cfg, sub) -> list:
    """The subscription's watchlist: a named `watchlists` entry, or inline names / entities."""
    items = cfg.watchlists.get(sub.watchlist, []) if isinstance(sub.watchlist, str) else sub.watchlist
    return compile_watchlist(items)


@dataclass
class Match:
    subscription: str
    notice_id: str
    filters: list[str] = field(default_factory=list)  # which filters were set and held, e.g. "violations: insider_trading"
    watch_hits: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"subscription": self.subscription, "notice_id": self.notice_id, "filters": self.filters,
                "watch_hits": self.watch_hits}


def match_subscription(cfg, sub, notice: dict, *, entities: list | None = None) -> Match | None:
    """The Match when every non-empty filter of `sub` holds for `notice`, else None."""
    m = Match(sub.name, notice["id"])
    if sub.sources:
        if notice.get("source") not in sub.sources:
            return None
        m.filters.append(f"source: {notice.get('source')}")
    for key in ("violations", "sanctions"):
        wanted = getattr(sub, key)
        if wanted:
            common = [x for x in notice.get(key) or [] if x in wanted]
            if not common:
                return None
            m.filters.append(f"{key}: {', '.join(common)}")
    if sub.severity != "any":
        sev = severity(notice)
        if sev is None or SEVERITY_RANK[sev] < SEVERITY_RANK[sub.severity]:
            return None
        m.filters.append(f"severity: {sev}")
    if sub.keywords:
        hay = norm(notice.get("title") or "") + "\n" + norm(notice.get("text") or "")
        found = [k for k in sub.keywords if norm(k) and norm(k) in hay]
        if not found:
            return None
        m.filters.append(f"keywords: {', '.join(found)}")
    ents = entities if entities is not None else watch_entities(cfg, sub)
    if ents:
        m.watch_hits = match_entities(ents, title=notice.get("title") or "", text=notice.get("text") or "",
                                      respondents=notice.get("respondents") or [],
                                      threshold=sub.fuzzy_threshold)
        if not m.watch_hits:
            return None
    return m
