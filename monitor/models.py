"""Plain data passed between scrapers, the classifier, the store and alerts."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

# Scraped strings are untrusted. What a Notice may not carry into the store, the classifier or a mail:
# - NUL and the other C0/C1 controls: SQLite's FTS5 tokenizer and LIKE stop at a NUL, so everything after one was
#   unsearchable; the whitespace-like ones (VT, FF, FS..US, NEL) become a space, the rest are dropped;
# - format characters (Unicode category Cf: bidi embeddings/overrides/isolates and marks, zero-width space/joiners,
#   word joiner, soft hyphen, BOM, tag characters): invisible, they reorder what a reader sees ("Trojan Source") and
#   split words, so "内幕\u202e交易" or "内幕\u2060交易" slipped past the classifier and a watchlist name past matching;
# - lone surrogates (JSON "\ud800"): not encodable as UTF-8, so hashing and storing the notice crashed the run.
FORMAT_CHARS = ("\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
                "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
                "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f")  # a regex class body
_CONTROL_SPACE = re.compile("[\x0b\x0c\x1c-\x1f\x85]")
_INVISIBLE = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f" + FORMAT_CHARS + "]")
_SURROGATE = re.compile("[\ud800-\udfff]")
MAX_TITLE_CHARS = 1_000
# The HTTP layer caps a response at http.max_bytes (20 MB); a notice's text is capped here, far above any real
# decision (the longest CSRC decisions are ~100k characters), so a runaway page or PDF extraction cannot put
# megabytes into the store, the FTS index, every revision and the classifier.
MAX_TEXT_CHARS = 1_000_000


def safe_text(value: str) -> str:
    """`value` without control and format (bidi, zero-width …) characters, lone surrogates replaced by U+FFFD (tab,
    LF, CR kept)."""
    if value.isascii() and value.isprintable():
        return value
    s = _CONTROL_SPACE.sub(" ", value)
    s = _INVISIBLE.sub("", s)
    return _SURROGATE.sub("\ufffd", s)


def _safe_any(value: Any) -> Any:
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, dict):
        return {_safe_any(k): _safe_any(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_safe_any(v) for v in value)
    return value


def _cap(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


@dataclass
class Attachment:
    url: str  # official URL
    name: str = ""

    def __post_init__(self) -> None:
        self.url = safe_text(self.url)
        self.name = safe_text(self.name)


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

    def __post_init__(self) -> None:
        """Neutralise hostile scraped strings once, here, for every source (see `safe_text`); cap sizes."""
        self.url = safe_text(self.url)
        self.title = _cap(" ".join(safe_text(self.title).split()), MAX_TITLE_CHARS)  # one line: CR/LF never survive
        text = safe_text(self.text)
        if len(text) > MAX_TEXT_CHARS:  # the result is exactly MAX_TEXT_CHARS long: capping again changes nothing
            self.extra = {**self.extra, "text_truncated_from": len(text)}
            marker = f"\n…[truncated: {len(text):,} characters]"
            text = text[: MAX_TEXT_CHARS - len(marker)] + marker
        self.text = text
        for name in ("published", "issuer", "channel", "doc_number", "series"):
            value = getattr(self, name)
            if isinstance(value, str):
                setattr(self, name, safe_text(value))
        self.extra = _safe_any(self.extra)

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
