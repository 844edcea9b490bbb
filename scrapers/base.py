"""What every source shares: its facts (`SourceInfo`) and small strict helpers for parsers."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from selectolax.lexbor import LexborHTMLParser, LexborNode

from monitor.errors import ParseError
from monitor.models import safe_text


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


# ---------------------------------------------------------------- strict selectors

Node = LexborHTMLParser | LexborNode
CN_TZ = timezone(timedelta(hours=8))  # Chinese regulators publish in +08:00


def select_one(node: Node, css: str, *, url: str | None = None) -> LexborNode:
    """Exactly one match of `css` under `node`; ParseError on none or several."""
    found = node.css(css)
    if len(found) != 1:
        raise ParseError(f"expected exactly one {css!r}, found {len(found)}", url=url)
    return found[0]


def select_first(node: Node, *css: str, url: str | None = None, required: bool = True) -> LexborNode | None:
    """First match of the first selector that matches (fallback chain for redesigns)."""
    for q in css:
        hit = node.css_first(q)
        if hit is not None:
            return hit
    if required:
        raise ParseError(f"none of {', '.join(css)} found", url=url)
    return None


# ---------------------------------------------------------------- text

_BLOCK_TAGS = frozenset({
    "p", "div", "br", "li", "ul", "ol", "tr", "table", "tbody", "thead", "h1", "h2", "h3", "h4", "h5", "h6",
    "section", "article", "blockquote", "pre", "hr", "dd", "dt", "dl", "center", "form", "header", "footer",
})
_DROP_TAGS = ("script", "style", "noscript", "template")


def html_to_text(html: str | Node) -> str:
    """Visible text with one line per paragraph/block; scripts and styles dropped."""
    root = LexborHTMLParser(html) if isinstance(html, str) else html
    tree = root if isinstance(root, LexborHTMLParser) else LexborHTMLParser(root.html or "")
    tree.strip_tags(list(_DROP_TAGS))
    parts: list[str] = []
    start = tree.body or tree.root
    # depth-first with an explicit stack, not recursion: a hostile page nests thousands of tags deep
    stack = [iter(start.iter(include_text=True))] if start is not None else []
    after: list[str] = [""]  # what to emit when the matching iterator is exhausted
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            parts.append(after.pop())
            continue
        tag = child.tag
        if tag == "-text":
            parts.append(child.text_content or "")
        elif tag.startswith("-"):
            continue
        else:
            if tag in _BLOCK_TAGS:
                parts.append("\n")
            stack.append(iter(child.iter(include_text=True)))
            after.append("\n" if tag in _BLOCK_TAGS else " " if tag in ("td", "th") else "")
    return clean_text("".join(parts))


def clean_text(text: str) -> str:
    """Strip each line, fold runs of spaces (incl. nbsp/ideographic), drop blank lines; control, bidi and
    zero-width characters dropped and lone surrogates replaced (monitor.models.safe_text)."""
    lines = (re.sub(r"[ \t\r\f\v\u00a0\u2002\u2003\u3000]+", " ", ln).strip()
             for ln in safe_text(text).split("\n"))
    return "\n".join(ln for ln in lines if ln)


# ---------------------------------------------------------------- dates

_DATE_PATTERNS = (
    re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"),
    re.compile(r"(\d{4})年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"),
    re.compile(r"(\d{4})[/.](\d{1,2})[/.](\d{1,2})"),
)


def _ymd(y: str, m: str, d: str) -> str | None:
    try:
        return date(int(y), int(m), int(d)).isoformat()
    except ValueError:
        return None


def parse_date(value: str | int | float | None) -> str | None:
    """YYYY-MM-DD from 2024-01-05 / 2024年1月5日 / epoch ms (+08:00) / '2024-01-05 10:00:00'; None if not a date."""
    if value is None or isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None  # JSON can hold anything where a date should be
    digits = isinstance(value, str) and value.strip().isdigit() and len(value.strip()) >= 10
    if isinstance(value, (int, float)) or digits:
        try:
            ms = float(value)
            if not ms > 0:  # also NaN
                return None
            return datetime.fromtimestamp(ms / 1000 if ms > 1e11 else ms, CN_TZ).date().isoformat()
        except (OverflowError, OSError, ValueError):  # beyond what a timestamp can be
            return None
    s = value.strip()
    for pat in _DATE_PATTERNS:
        m = pat.fullmatch(s)
        if m:
            return _ymd(*m.groups()[:3])
    return None


def find_date(text: str) -> str | None:
    """First valid date written anywhere in `text`."""
    for pat in _DATE_PATTERNS:
        for m in pat.finditer(text):
            if d := _ymd(*m.groups()[:3]):
                return d
    return None


# ---------------------------------------------------------------- 文号

# Issuer prefix (中基协处分, 沪证监决, 监管措施, 上海证券交易所纪律处分决定书 ...) + bracketed year + number (+ range).
DOC_NUMBER_RE = re.compile(
    r"(?P<prefix>[\u4e00-\u9fff]{0,16})\s*"
    r"[〔\[［【(（]\s*(?P<year>(?:19|20)\d{2})\s*[〕\]］】)）]\s*"
    r"第?\s*(?P<num>\d{1,5}(?:\s*[-—–－~至、]\s*\d{1,5})?)\s*号"
)
# Words that end running prose rather than start a doc number ("...公布的决定书〔2021〕3号").
_PREFIX_CUT_RE = re.compile(r".*(?:编号|文号|字号|号为|的|了|在|于|对|是|为|及|和|与|见|即|称|作出|出具|发布|印发|下发|根据|依据|收到)")


def _trim_prefix(prefix: str) -> str:
    return _PREFIX_CUT_RE.sub("", prefix)


def find_doc_number(text: str, *, head_lines: int = 6) -> str | None:
    """文号 printed at the start of one of the first lines of a decision; None when the head has none.

    Only line starts count: a decision body routinely cites other decisions' numbers ("不服《行政处罚决定书》
    (〔2022〕72号)"), and taking one of those would merge two notices under one identity.
    """
    for line in [ln.strip() for ln in text.splitlines() if ln.strip()][:head_lines]:
        m = DOC_NUMBER_RE.match(line)
        if m and not m.group("prefix").startswith(tuple("不依根据")):
            prefix = _trim_prefix(m.group("prefix"))
            if prefix == m.group("prefix"):
                return " ".join(m.group(0).split())
    return None


def doc_numbers_in(text: str) -> list[str]:
    """Every 文号-looking string anywhere in `text` (prose prefixes trimmed); for titles and metadata."""
    out: list[str] = []
    for m in DOC_NUMBER_RE.finditer(text):
        start = m.start() + len(m.group("prefix")) - len(_trim_prefix(m.group("prefix")))
        out.append(" ".join(text[start:m.end()].split()))
    return out


# ---------------------------------------------------------------- attachments

ATTACHMENT_EXTS = (".pdf", ".doc", ".docx", ".wps", ".xls", ".xlsx", ".zip", ".rar", ".ofd")


def is_attachment(href: str) -> bool:
    return href.split("?", 1)[0].split("#", 1)[0].lower().endswith(ATTACHMENT_EXTS)


def unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
