"""Watchlist matching: entity names and their variants found in a notice, each hit saying why it matched.

Variants handled: aliases / short names, English former names, 统一社会信用代码 (18 chars), AMAC manager
registration numbers (P10xxxxx); full-width/half-width, traditional/simplified (OpenCC t2s), spaces, case, and
company-suffix variants (有限公司 / 有限责任公司 / 股份有限公司 / （有限合伙） / Ltd / Limited / Inc.). Anything else is
left to rapidfuzz against the respondent names and the title, above the subscription's threshold.

A hit is a dict: {entity, matched_name, span: [start, end] | None, field: title|text|respondents, score, method}
with method one of exact | alias | code | fuzzy; `span` indexes the ORIGINAL string of `field`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable

from rapidfuzz import fuzz

from monitor.models import safe_text

# Longest first: the first suffix that ends a name is removed (repeatedly, so "Co., Ltd." loses both).
CN_SUFFIXES = (
    "股份有限公司", "有限责任公司", "有限公司", "(有限合伙)", "(普通合伙)", "有限合伙", "合伙企业", "股份公司", "公司",
)
EN_SUFFIXES = (
    "co.,ltd.", "co.,ltd", "co.ltd.", "co.ltd", "company limited", "limited", "ltd.", "ltd", "incorporated", "inc.",
    "inc", "corporation", "corp.", "corp", "co.", "llc", "l.l.c.", "llp", "l.p.", "lp", "plc", "company", "co",
)
CREDIT_CODE_RE = re.compile(r"(?<![0-9A-Z])[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}(?![0-9A-Z])")
AMAC_ID_RE = re.compile(r"(?<![0-9A-Z])P\d{7}(?!\d)")
MIN_CORE_CJK = 4  # a suffix-stripped core shorter than this (e.g. "某某") is too generic to match on its own
MIN_CORE_LATIN = 3  # with word boundaries: 'acme' matches 'ACME LIMITED', not 'acmes'

_SPACE_LIKE = set(" \t\r\n\u3000\u00a0·•・")


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=65536)
def _fold_char(ch: str) -> str:
    """One original character → its normalised form ('' for spaces, separators and invisible characters)."""
    if ch in _SPACE_LIKE or ch.isspace() or not safe_text(ch):
        return ""
    s = unicodedata.normalize("NFKC", ch)
    if any("\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff" for c in s):
        s = _t2s().convert(s)
    s = s.lower()
    # fold every bracket to ( ) so （有限合伙） == (有限合伙) == 【有限合伙】
    return s.translate(str.maketrans("[]【】〔〕{}", "()()()()")).replace(" ", "")


def fold(text: str) -> tuple[str, list[int]]:
    """Normalised text plus, for each of its characters, the index of the original character it came from."""
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        f = _fold_char(ch)
        out.append(f)
        index.extend([i] * len(f))
    return "".join(out), index


def norm(text: str) -> str:
    return fold(text)[0]


def strip_suffix(folded: str) -> str:
    """Remove company-form suffixes from a folded name (repeatedly: 'abc co.,ltd.' → 'abc')."""
    changed = True
    s = folded.rstrip(".,")
    while changed:
        changed = False
        for suf in CN_SUFFIXES + EN_SUFFIXES:
            f = suf.replace(" ", "")
            if s.endswith(f) and len(s) > len(f):
                s = s[: -len(f)].rstrip(".,")
                changed = True
                break
    return s


def _is_latin(s: str) -> bool:
    return bool(s) and all(ord(c) < 0x3000 for c in s)


def _core_ok(core: str) -> bool:
    return len(core) >= (MIN_CORE_LATIN if _is_latin(core) else MIN_CORE_CJK)


@dataclass
class Entity:
    """A watchlist entry compiled for matching."""

    name: str
    names: list[tuple[str, str]] = field(default_factory=list)  # (original name, method: exact|alias)
    codes: list[str] = field(default_factory=list)  # credit code / AMAC id, upper-case

    @classmethod
    def from_config(cls, item: Any) -> "Entity":
        if isinstance(item, str):
            return cls(name=item, names=[(item, "exact")])
        names = [(item.name, "exact")] + [(a, "alias") for a in item.aliases] + [(f, "alias") for f in item.former_names]
        codes = [c.strip().upper() for c in (item.credit_code, item.amac_id) if c and c.strip()]
        return cls(name=item.name, names=names, codes=codes)


def compile_watchlist(items: Iterable[Any]) -> list[Entity]:
    return [Entity.from_config(i) for i in items]


def _boundary_ok(text: str, start: int, end: int) -> bool:
    """Latin names must not match inside a longer word ('Apex' in 'Apexes'); CJK has no word boundaries."""
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    first, last = text[start], text[end - 1]
    if first.isascii() and first.isalnum() and before.isascii() and before.isalnum():
        return False
    if last.isascii() and last.isalnum() and after.isascii() and after.isalnum():
        return False
    return True


def _find(needle: str, hay_folded: str, hay_index: list[int], hay: str) -> tuple[int, int] | None:
    """Span in the original haystack of the first boundary-respecting occurrence of a folded needle."""
    if not needle:
        return None
    pos = hay_folded.find(needle)
    while pos >= 0:
        start = hay_index[pos]
        end = hay_index[pos + len(needle) - 1] + 1
        if _boundary_ok(hay, start, end):
            return start, end
        pos = hay_folded.find(needle, pos + 1)
    return None


def _codes_in(text: str) -> list[tuple[str, int, int]]:
    t = unicodedata.normalize("NFKC", text).upper()  # NFKC of ASCII-range chars keeps length for digits/letters
    if len(t) != len(text):
        t = "".join(unicodedata.normalize("NFKC", c).upper()[:1] or c for c in text)
    found = [(m.group(), m.start(), m.end()) for m in CREDIT_CODE_RE.finditer(t)]
    found += [(m.group(), m.start(), m.end()) for m in AMAC_ID_RE.finditer(t)]
    return found


def match_entities(
    entities: list[Entity],
    *,
    title: str,
    text: str,
    respondents: list[dict] | list[str] | None = None,
    threshold: float = 90.0,
) -> list[dict]:
    """Every entity that appears in the notice, best evidence first per entity (one hit per entity)."""
    title = title or ""
    text = text or ""
    resp_names = [r.get("name", "") if isinstance(r, dict) else str(r) for r in (respondents or [])]
    resp_names = [r for r in resp_names if r]
    fields = {"title": (title, *fold(title)), "text": (text, *fold(text))}
    codes = {f: _codes_in(raw) for f, (raw, _, _) in fields.items()}
    hits: list[dict] = []
    for ent in entities:
        hit = _match_one(ent, fields, codes, resp_names, threshold)
        if hit:
            hits.append(hit)
    return hits


def _extend_suffix(raw: str, folded: str, index: list[int], span: tuple[int, int], fpos_end: int) -> tuple[int, int]:
    """A core match followed by a company suffix ("…管理" + "有限责任公司") reports the whole name."""
    rest = folded[fpos_end:]
    lead = len(rest) - len(rest.lstrip(".,"))
    for suf in CN_SUFFIXES + EN_SUFFIXES:
        f = suf.replace(" ", "")
        if rest[lead:].startswith(f):
            end = index[fpos_end + lead + len(f) - 1] + 1
            if _boundary_ok(raw, span[0], end):
                return span[0], end
    return span


def _find_core(needle: str, raw: str, folded: str, index: list[int]) -> tuple[int, int] | None:
    pos = folded.find(needle)
    while pos >= 0:
        start, end = index[pos], index[pos + len(needle) - 1] + 1
        if _boundary_ok(raw, start, end):
            return _extend_suffix(raw, folded, index, (start, end), pos + len(needle))
        pos = folded.find(needle, pos + 1)
    return None


def _match_one(ent: Entity, fields: dict, codes: dict, resp_names: list[str], threshold: float) -> dict | None:
    # 1. registration codes: unambiguous
    for code in ent.codes:
        for fname in ("title", "text"):
            for found, s, e in codes[fname]:
                if found == code:
                    return _hit(ent, fields[fname][0][s:e], [s, e], fname, 100.0, "code")
    # 2. each name (main name first, then aliases and former names): whole, then without its company suffix
    for name, method in ent.names:
        n = norm(name)
        core = strip_suffix(n)
        for fname in ("title", "text"):
            raw, folded, index = fields[fname]
            span = _find(n, folded, index, raw)
            if span is None and core != n and _core_ok(core):
                span = _find_core(core, raw, folded, index)
            if span:
                return _hit(ent, raw[span[0]:span[1]], list(span), fname, 100.0, method)
        for r in resp_names:
            rn = norm(r)
            if rn == n or (_core_ok(core) and strip_suffix(rn) == core):
                return _hit(ent, r, None, "respondents", 100.0, method)
    # 3. fuzzy: respondent names (whole-name ratio), then the title (best partial alignment); the better of the
    #    name with and without its suffix, so a typo and a different company form do not add up
    best: dict | None = None
    for name, _method in ent.names:
        n = norm(name)
        forms = [f for f in dict.fromkeys([n, strip_suffix(n)]) if len(f) >= 3]
        for r in resp_names:
            rn = norm(r)
            score = max([fuzz.ratio(n, rn)] + [fuzz.ratio(f, strip_suffix(rn)) for f in forms[1:]], default=0)
            if score >= threshold and (best is None or score > best["score"]):
                best = _hit(ent, r, None, "respondents", round(score, 1), "fuzzy")
        raw, folded, index = fields["title"]
        for f in forms:
            if not folded:
                break
            al = fuzz.partial_ratio_alignment(f, folded, score_cutoff=threshold)
            if al is not None and al.score >= threshold and al.dest_end > al.dest_start:
                s, e = index[al.dest_start], index[al.dest_end - 1] + 1
                if best is None or al.score > best["score"]:
                    best = _hit(ent, raw[s:e], [s, e], "title", round(al.score, 1), "fuzzy")
    return best


def _hit(ent: Entity, matched: str, span: list[int] | None, fname: str, score: float, method: str) -> dict:
    return {"entity": ent.name, "matched_name": matched, "span": span, "field": fname, "score": score,
            "method": method}


def describe_hit(hit: dict) -> str:
    """One line for mails: why this notice matched the watchlist."""
    where = {"title": "标题", "text": "正文", "respondents": "当事人"}.get(hit["field"], hit["field"])
    span = f" @{hit['span'][0]}-{hit['span'][1]}" if hit.get("span") else ""
    return (f"{hit['entity']} ← “{hit['matched_name']}” ({hit['method']}, score {hit['score']:g}, "
            f"{where}{span})")
