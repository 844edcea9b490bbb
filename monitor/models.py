"""Plain data passed between scrapers, the classifier, the store and alerts."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Attachment:
    url: str  # official URL
    name: str = ""


@dataclass
class Notice:
    """One disciplinary notice as a scraper yields it (before classification)."""

    source: str  # source id: "amac", "csrc", ...
    url: str  # official canonical URL (never the base_url rewrite)
    title: str
    text: str
    published: str | None = None  # YYYY-MM-DD
    issuer: str | None = None  # issuing body: "中国证监会", "上海证监局", "中国证券投资基金业协会"
    channel: str | None = None  # list/channel the notice came from ("scfjg", a CSRC channelId)
    doc_number: str | None = None  # 文号 as printed, e.g. 中基协处分〔2023〕12号
    # numbering series a bare 文号 belongs to: CSRC HQ numbers 行政处罚决定书, 市场禁入决定书 and 行政监管措施决定书
    # separately, so 〔2025〕9号 exists once in each; part of the identity, not of the printed number
    series: str | None = None
    attachments: list[Attachment] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)  # source-specific metadata kept as JSON

    def identity(self) -> str:
        """Stable id: source + issuer + doc_number when there is one, else the canonical URL."""
        if self.doc_number:
            key = f"{self.source}|{self.issuer or ''}|{self.series or ''}|{normalize_doc_number(self.doc_number)}"
        else:
            key = f"{self.source}|url|{canonical_url(self.url)}"
        return f"{self.source}-{hashlib.sha256(key.encode('utf-8')).hexdigest()[:16]}"

    def content_hash(self) -> str:
        # whitespace is dropped entirely: a re-rendered page (new line breaks, indentation) is not a revision
        body = "\x1f".join(["".join(self.title.split()), "".join(self.text.split())])
        return hashlib.sha256(body.encode("utf-8")).hexdigest()


def normalize_doc_number(doc: str) -> str:
    """Fold bracket and space variants so 〔2021〕3号, [2021]3号 and ［2021］ 3 号 are one key."""
    table = str.maketrans({"[": "〔", "]": "〕", "［": "〔", "］": "〕", "【": "〔", "】": "〕", "(": "〔", ")": "〕",
                           "（": "〔", "）": "〕", "第": None})
    return "".join(doc.translate(table).split())


def canonical_url(url: str) -> str:
    """Scheme-insensitive, fragment-free URL used for identity (http and https are the same notice)."""
    u = url.strip()
    if u.startswith("//"):
        u = "https:" + u
    u = u.split("#", 1)[0]
    if u.startswith("http://"):
        u = "https://" + u[len("http://"):]
    return u
