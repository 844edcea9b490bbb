"""Classification and extraction: violation and sanction ids with evidence, respondents, fine, doc number, issuer.

Rules are data (monitor/data/rules.yaml plus the taxonomy's signal phrases plus config `classify.extra_phrases`),
compiled once per `Classifier`. Chinese text is normalised first (monitor.normalize), split into clauses; sanctions
are read only where imposed: not in a proposal (拟), an advance notice (事先告知书), an administrative-review decision,
a quoted legal provision, or (English) a sentence where the remedy is sought ("seeks", "would have imposed").
Nothing defaults silently: a notice no violation rule fits gets `other`, with its evidence saying so.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, TextIO

import yaml

from monitor import amounts as am
from monitor import extract as ex
from monitor.rulematch import Hits, Triggers
from monitor.rulematch import _ahocorasick
from monitor.normalize import detect_lang, normalize_en, normalize_zh, split_clauses_zh, split_sentences_en
from monitor.taxonomy import load_taxonomy

# patterns used inside functions, compiled once (a module-level re.sub/search call pays a cache lookup each time)
_ZH_CONFISCATED = re.compile(r"没收[^。;,]{0,10}?(?:违法所得|所得|财产|收入)[^。;,]{0,4}?((?:人民币)?[0-9.,万亿元零〇一二两三四五六七八九十百千]+元)")
_JOINT_SEVERAL = re.compile(r"joint(?:ly)?[- ]and[- ]several")
_LIFETIME = re.compile(r"permanent|lifetime|for life")
_N_YEAR = re.compile(r"\b([0-9]+|one|two|three|four|five|six|seven|eight|nine|ten)[- ]year")
_SCHEME_WORDS = re.compile(r"ponzi|promissory|prime bank|offering fraud")
_REGISTERED_WORDS = re.compile(r"registration statement|prospectus|\bipos?\b|initial public offering|\bs-1\b|registered offering|"
                               r"public offering|shell|sham")
_DISG_OR_INTEREST = re.compile(r"disgorg|interest")
_FIGURE = r"(?:us\$|\$|£|€)\s?[0-9](?:[0-9]|,(?=[0-9]))*(?:\.[0-9]+)?(?:\s*(?:million|billion)\b)?"  # a money figure, lower-cased
# the next figure of a per-payer list: " for Perlstein; $307,510.15"
_FOR_PAYER_NEXT = re.compile(r"\s+for [a-z][^;$]{0,60}?;\s*(?:and\s+)?" + _FIGURE)
# the rest of a figure list closed by "respectively": ", $Y, and $Z, respectively"
_RESPECTIVELY = re.compile(r"(?:,?\s*(?:and\s+)?" + _FIGURE + r")+,?\s+respectively")
_PER_DAY = re.compile(r"\b(?:daily|per day|a day|each day|per diem)\b")
# after "$X in disgorgement": further remedies listed with no amount of their own share the figure
_LUMPED_AFTER = re.compile(r"\s+(?:in\s+)?disgorgement(?: of ill-gotten gains)?,? (?:and )?(?:(?:prejudgment )?interest,? (?:and )?)?"
                           r"(?:a )?(?:civil )?(?:money )?penalt\w*(?![^.;$]{0,12}\$)")
_LUMP_AFTER_KW = re.compile(r"\w*,? (?:and )?(?:prejudgment )?(?:interest|disgorgement)\b(?![^.;$]{0,12}\$)")
_INTEREST_ON = re.compile(r"interest on (?:the |such |that )?$")
_SATISFIED_BY = re.compile(r"satisf\w* (?:in part )?by|credit|offset")
_COMBINED_BEFORE = re.compile(r"(?:disgorgement|prejudgment interest)[^.;$£€]{0,30}?(?:,?\s*and|,)\s*(?:a\s+|the\s+)?$")
_TOTAL_WORD = re.compile(r"total|combined|aggregate")
_PENALTY_AFTER = re.compile(r"\s*(?:in\s+)?(?:civil\s+)?penalt")

__all__ = ["Classifier", "classify", "classify_jsonl", "ClassifyInputError"]

_EVIDENCE_MAX = 160


@dataclass(frozen=True)
class _Cue:
    kind: str
    order: int


class _Ctx:
    """Context cues of one (lower-cased) English text, from its trigger scan: kind → sorted (start, end, order),
    matched on first use of a kind."""

    __slots__ = ("hits", "_groups", "_by_kind")

    def __init__(self, hits: Any):
        self.hits = hits
        self._groups: dict[str, list[int]] | None = None
        self._by_kind: dict[str, list[tuple[int, int, int]]] = {}

    def get(self, kind: str) -> list[tuple[int, int, int]]:
        lst = self._by_kind.get(kind)
        if lst is None:
            groups = self._groups
            if groups is None:  # the cue rules the scan found, by kind (one pass over the hits, not over all cues)
                groups = self._groups = {}
                rules = self.hits.trig.rules
                for ri in self.hits:
                    p = rules[ri][1]
                    if type(p) is _Cue:
                        groups.setdefault(p.kind, []).append(ri)
            lst = []
            hits = self.hits
            rules = hits.trig.rules
            for ri in groups.get(kind, ()):
                order = rules[ri][1].order
                lst.extend((m.start(), m.end(), order) for m in hits.matches(ri))
            lst.sort()
            self._by_kind[kind] = lst
        return lst

    def any(self, kind: str, lo: int, hi: int) -> bool:
        """A cue of this kind lies wholly inside [lo, hi)."""
        lst = self._by_kind.get(kind)
        if lst is None:
            lst = self.get(kind)
        if not lst:
            return False
        # walk from the first cue at or after lo (an index walk, not a copy of the list's tail)
        for i in range(bisect_left(lst, (lo,)), len(lst)):
            a, b, _ = lst[i]
            if a >= hi:
                break
            if b <= hi:
                return True
        return False

    def last_end(self, kind: str, lo: int, hi: int) -> int:
        """End of the last cue of this kind inside [lo, hi), or -1."""
        e = -1
        for a, b, _ in self.get(kind):
            if a >= hi:
                break
            if a >= lo and b <= hi:
                e = b
        return e

    def remedy_cues(self, lo: int, hi: int) -> list[tuple[int, int, str]]:
        """Sought/strong/weak cues inside [lo, hi) as one left-to-right alternation scan would find them: at an
        offset the earliest-listed cue wins, and a cue hides the ones starting inside it."""
        merged = self._by_kind.get("")
        if merged is None:
            merged = sorted((a, o, b, k) for k in ("sought", "strong", "weak") for a, b, o in self.get(k))
            self._by_kind[""] = merged  # type: ignore[assignment]
        out: list[tuple[int, int, str]] = []
        last = -1
        for j in range(bisect_left(merged, (lo,)), len(merged)):
            a, _, b, k = merged[j]
            if a >= hi:
                break
            if b > hi or a < last:
                continue
            out.append((a, b, k))
            last = b if b > a else a + 1
        return out


def _normalize_cells(table: dict[str, str]) -> dict[str, str]:
    """normalize_zh of every header and cell, in one call over the cells joined by a unit separator (which
    normalisation leaves alone); cell by cell if the join does not split back into as many pieces."""
    flat = [s for kv in table.items() for s in kv]
    if not any("\x1f" in s for s in flat):
        parts = normalize_zh("\x1f".join(flat)).split("\x1f")
        if len(parts) == len(flat):
            parts = [p.strip() for p in parts]
            return dict(zip(parts[0::2], parts[1::2]))
    return {normalize_zh(k): normalize_zh(v) for k, v in table.items()}


class ClassifyInputError(ValueError):
    """A JSONL input line could not be read; the message names the line number."""


@dataclass(frozen=True)
class _Rule:
    label: str
    rx: re.Pattern[str]
    sector: str | None = None
    not_sector: str | None = None
    origin: str = "rules"
    weak: bool = False  # a topic phrase (`investment scheme`): labels only a notice no other violation rule fits


@lru_cache(maxsize=1)
def _load_rules() -> dict[str, Any]:
    text = resources.files("monitor").joinpath("data/rules.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def _alt(words: Iterable[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{w})" for w in words))


def _window(text: str, a: int, b: int, lo: int = 0, hi: int | None = None) -> str:
    """Evidence: the clause/sentence [lo, hi) holding the match, trimmed around the match when long."""
    hi = len(text) if hi is None else hi
    if hi - lo <= _EVIDENCE_MAX:
        return text[lo:hi].strip()
    pad = max(0, (_EVIDENCE_MAX - (b - a)) // 2)
    s, e = max(lo, a - pad), min(hi, b + pad)
    return text[s:e].strip()


_AMOUNT_KWS = ("penalt", "fine", "treasury", "disgorg")


def _kw_spans(text: str, spans: list[tuple[int, int]], starts: list[int], kws: tuple[str, ...]) -> list[int]:
    """Indices (ascending) of the ordered, disjoint spans wholly holding one of the keywords: each keyword found in
    the whole text, its span by bisection (no slice of every span)."""
    found: set[int] = set()
    find = text.find
    for kw in kws:
        n = len(kw)
        p = find(kw)
        while p >= 0:
            i = bisect_right(starts, p) - 1
            if i >= 0 and p + n <= spans[i][1]:
                found.add(i)
                if i + 1 >= len(spans):
                    break
                p = find(kw, starts[i + 1])
            else:
                p = find(kw, p + 1)
    return sorted(found)


def _locate(spans: list[tuple[int, int]], starts: list[int], pos: int) -> int:
    """Index of the span containing pos (binary search over span starts)."""
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if starts[mid] <= pos:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _finds(text: str, needles: tuple[str, ...], start: int = 0) -> list[int]:
    """Sorted offsets (at or after start) where any of the needles begins."""
    out: list[int] = []
    find = text.find
    for w in needles:
        i = find(w, start)
        while i >= 0:
            out.append(i)
            i = find(w, i + 1)
    out.sort()
    return out


def _iter_at(rx: re.Pattern[str], text: str, cands: list[int], start: int = 0) -> Iterator[re.Match[str]]:
    """rx.finditer(text, start) when every match of rx can only begin at one of the sorted offsets cands: an
    anchored match at each candidate past the previous match (sre's unanchored search tries every offset, and
    patterns led by alternations or lookbehinds get no fast prefix skip). Matches are never empty here."""
    last = start
    match = rx.match
    for p in cands:
        if p < last:
            continue
        m = match(text, p)
        if m is not None:
            last = m.end()
            yield m


_RANGE = re.compile(r"以上[^。;]{0,16}以下")
_CN_SMALL = r"[0-9]+|[一二两三四五六七八九十]+"
_MONTHS = re.compile(rf"({_CN_SMALL})个月")
_YEARS = re.compile(rf"({_CN_SMALL})年")
_EN_NUM_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                 "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20}


# The comma before a part of a decision addressed to another party: ,对孙丽采取… / ,对相关责任人王某给予…
_PARTY_CUT = re.compile(r",(?=对[^。;,]{1,40}?(?:给予|予以|处以|采取|责令|作出|出具|并处|没收|罚款)"
                        r"|(?:取消|撤销)[^。;,]{1,24}?任职资格|禁止[^。;,]{1,20}?从事)")


def _party_parts(body: str, clauses: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The clauses, each cut before every part addressed to another party (see _PARTY_CUT)."""
    if "," not in body:
        return clauses
    out: list[tuple[int, int]] = []
    for lo, hi in clauses:
        cut = lo
        for m in _PARTY_CUT.finditer(body, lo, hi):
            if m.end() > cut:
                out.append((cut, m.end()))
                cut = m.end()
        out.append((cut, hi))
    return out


def _zh_fine_total(amounts: list[tuple[float, bool]]) -> float:
    """The fine imposed, from the amounts in text order: a total (合计/共计/总计) replaces the amounts before it that it
    sums (对A罚款10万元,对B罚款5万元,合计罚款15万元 → 15万); a total with none before it is one party's own total and
    adds to the others (对甲公司罚款合计120万元;对赵某罚款10万元 → 130万)."""
    value = pending = 0.0
    for a, is_total in amounts:
        if is_total and pending > 0 and a >= pending - 0.5:
            value += a
            pending = 0.0
        else:
            pending += a
    return value + pending


# How the name of a law, rule or guideline ends (a quoted notice title, 《关于注销…的公告》, is not one).
_LAW_TITLE_END = re.compile(r"(?:法|办法|规定|条例|规则|细则|指引|准则|规范|意见|暂行规定)$")


def _drop_breakdowns(body: str, clauses: list[tuple[int, int]], starts: list[int],
                     amounts: list[tuple[float, bool, int]]) -> list[tuple[float, bool]]:
    """Amounts that split an earlier amount of their clause after 其中 (并处以5.58亿元罚款,其中对A处以3.72亿元罚款,对B处以
    1.86亿元罚款) are its breakdown, not more fines: dropped when they add up to no more than it."""
    out: list[tuple[float, bool]] = []
    i = 0
    while i < len(amounts):
        v, tot, pos = amounts[i]
        out.append((v, tot))
        ci = _locate(clauses, starts, pos)
        lo, hi = clauses[ci]
        q = body.find("其中", pos, hi)
        if q < 0 and ci + 1 < len(clauses) and body.startswith("其中", clauses[ci + 1][0]):
            q, hi = clauses[ci + 1]  # (罚款合计50万元。其中,对A罚款30万元,对B罚款20万元)
        if q >= 0:
            j = i + 1
            while j < len(amounts) and q < amounts[j][2] < hi:
                j += 1
            parts = sum(a for a, _, _ in amounts[i + 1:j])
            if j > i + 1 and parts <= v + 0.5:
                i = j
                continue
        i += 1
    return out


_EACH_BEFORE = re.compile(r"\b(?:to each|each (?:agreed|consented|ordered|was ordered|were ordered|must|shall|will|to)|"
                          r"each pay|each of them)\b[^.;$£€]{0,60}$")
_EACH_AFTER = re.compile(r"[0-9](?: (?:million|billion))?(?:,? (?:each|apiece)\b|(?: [a-z-]+){0,3} (?:against|on|from) each(?: of them|"
                         r"(?: of the)? defendants?| respondents?)?\b(?! other))")
_PAYERS_NUM = re.compile(r"\b(both|two|three|four|five|six|seven|eight|nine|ten) (?:of the )?(?:defendants|respondents|"
                         r"individuals|men|women|brothers|executives|officers|traders|brokers|firms|companies|entities)\b")
_PAYER_LIST = re.compile(r"((?:[A-Z][\w.&'-]*(?: [A-Z][\w.&'-]*){0,4})(?:, (?:[A-Z][\w.&'-]*(?: [A-Z][\w.&'-]*){0,4}))*,? "
                         r"and (?:[A-Z][\w.&'-]*(?: [A-Z][\w.&'-]*){0,4}))(?: (?:also |have |had |each |to each |consented |agreed |were |are )|"
                         r",? (?:each|who))")
_LIST_SEP = re.compile(r",? and |, ")
_FIGURE_RX = re.compile(_FIGURE)
_FIGS_BEFORE = re.compile(r"(?:" + _FIGURE + r"\s*(?:,\s*and\s+|,\s*|\s+and\s+))+$")
_RESP_AFTER_KW = re.compile(r",?\s+respectively\b")
# figures of a payer list whose last figure names the remedy: "$X, RST5 to pay a total of $Y, and Koga to pay a total of "
_PAYER_CHAIN = re.compile(r"(?:" + _FIGURE + r",? (?:and )?[a-z0-9][\w.&'-]*(?: [a-z0-9][\w.&'-]*){0,4} to pay "
                          r"(?:a total of |approximately |about )?)+$")
_NAME_LIST = re.compile(r"((?:[A-Z][\w.&'-]*(?: [A-Z][\w.&'-]*){0,4})(?:, (?:[A-Z][\w.&'-]*(?: [A-Z][\w.&'-]*){0,4}))*,? "
                        r"and (?:[A-Z][\w.&'-]*(?: [A-Z][\w.&'-]*){0,4}))\b")
_LIST_STOP = frozenset("the sec securities exchange commission court district judge honorable act rule section u.s. "
                       "united states southern northern eastern western central".split())
_NUM = {"both": 2, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}


def _each_payers(orig: str, low: str, rel: int, prev: str = "") -> int:
    """How many parties pay a penalty stated per head (`to each pay a civil penalty of $160,000`, `$160,000 each`):
    the number word (both / the two defendants) or the names listed (A, B and C) before the payment, or, when the
    payers are a pronoun (`they agreed to pay penalties of $160,000 each`), the names listed in the sentence before
    (`prev`); else 1."""
    nxt = low.find("$", rel + 1)  # a per-head word after the next figure is that figure's (`… plus penalties of $X each`)
    if not (_EACH_BEFORE.search(low, max(0, rel - 80), rel) or _EACH_AFTER.match(low, rel, rel + 40) or
            _EACH_AFTER.search(low, rel, min(len(low), rel + 60, nxt + 1 if nxt > 0 else len(low)))):
        return 1
    head = low[:rel]
    m = None
    for m in _PAYERS_NUM.finditer(head):
        pass
    if m is not None:
        return _NUM[m.group(1)]
    best = None
    for m in _PAYER_LIST.finditer(orig, 0, rel):
        best = m
    if best is None:  # a list of names however it ends (`against Roger Brewer and Marc Lane, holding them ...`)
        best = _last_name_list(orig, rel)
    if best is None and prev and _PRONOUN_PAYERS.search(low, 0, rel):
        best = _last_name_list(prev, len(prev))
        if best is None:  # (the court found that both defendants violated … . It ordered each of them to pay $X)
            words = [w.group(1) for w in _PAYERS_NUM.finditer(prev.lower())]
            if words:
                return _NUM[words[-1]]
    if best is None:
        return 1
    return len(_LIST_SEP.split(best.group(1)))


def _last_name_list(s: str, hi: int) -> re.Match[str] | None:
    """The last "A, B and C" list of capitalised names in s[:hi] that holds no court or agency word."""
    best = None
    for m in _NAME_LIST.finditer(s, 0, hi):
        if not any(w.lower() in _LIST_STOP for w in m.group(1).replace(",", " ").split()):
            best = m
    return best


def _figures_before(lead: re.Match[str] | None, sent: str, pos: int, kind: str, currency: str, taken: set[int],
                    out: list[tuple[float, int, str, str]]) -> None:
    """Add the figures of a list that ends where the figure at pos begins (`$25,000 and $6,500 penalty`; `$A, Y to
    pay a total of $B ... in disgorgement`), each once."""
    for fm in _FIGURE_RX.finditer(sent, lead.start(), pos) if lead else ():
        b2 = am.parse_amount_en(fm.group(0), default_currency=currency)
        if b2 and fm.start() not in taken:
            taken.add(fm.start())
            out.append((float(b2.value), fm.start(), kind, b2.currency))


_PRONOUN_PAYERS = re.compile(r"\b(?:they|them)\b")
# the payer a clause opens with (`Smith agreed to pay a $50,000 penalty`; `…, and Raina agreed to a $50,000 penalty`)
_CLAUSE_OPEN = re.compile(r"(?:^|;|, and |\. )(?=[^;]*$)")
_CAP_WORD = re.compile(r"\b[A-Z][A-Za-z'-]+")
_NOT_PAYER = frozenset("the sec securities exchange commission court district judge honorable final judgment order in "
                       "on under as after before this that these each both he she they it its his her their also "
                       "january february march april may june july august september october november december "
                       "according without".split())


def _payer_key(orig: str, rel: int) -> str | None:
    """Who pays a figure, when its clause opens with a name that is the subject of a paying verb (`Smith agreed to
    pay a $50,000 penalty`; `…, and Raina agreed to a $50,000 penalty`): to tell two parties' equal figures from one
    figure told twice. None when the clause says otherwise (`the Authority hereby imposes …`)."""
    m = _CLAUSE_OPEN.search(orig, 0, rel)
    lo = m.end() if m else 0
    for w in _CAP_WORD.finditer(orig, lo, rel):
        if w.group().lower() not in _NOT_PAYER:
            return w.group().lower() if _PAYER_VERB.match(orig, w.end()) else None
    return None


# a name, then (after more of the name) the verb that makes it the payer
_PAYER_VERB = re.compile(r"(?:[ ,.]+(?:[A-Z][\w.'&-]*|of|and|&))*,?\s+(?:also |each |further |has |have |had |was |were |is |must |"
                         r"shall |will )*(?:agreed|agrees|consented|consents|ordered|pay|paid|pays|to pay)\b")


# Between a remedy and a later "to be determined": a new object the cue governs instead (`consented to permanent
# injunctions, leaving the amounts of their disgorgement ... to be determined`).
_OTHER_OBJECT = re.compile(r"\b(?:leaving|with (?:the )?(?:amounts?|issue|question|determination)|with (?:any )?(?:disgorgement|"
                           r"civil|monetary|money|penalt\w*)|while|but)\b")


_MONEY_LABELS = frozenset({"fine", "confiscation", "restitution", "penalty", "disgorgement"})
_MONEY_WORD = re.compile(r"disgorg|penalt|interest|amounts?\b|monetary|fines?\b")


# a penalty figure owed under a criminal resolution with prosecutors, not to the SEC
_CRIMINAL_RESOLUTION = re.compile(r"[^.;]{0,60}?\b(?:in|under|as part of|pursuant to) (?:a|an|its|the) (?:deferred prosecution|"
                                  r"non-prosecution|plea) agreement|[^.;]{0,40}?\bcriminal (?:penalty|fine)")
_ABUSE_LABELS = frozenset({"insider_trading", "market_manipulation", "unregistered_offering"})
_DETECT_BEFORE = re.compile(r"\b(?:detect\w*|identify\w*|monitor\w*|surveil\w*|suspicio\w*|suspected|risk of|report\w* "
                            r"(?:of )?(?:suspected )?|such as|red flags? of|possible)\b[^.;]{0,60}$")
# an issuer failing to disclose inside information to the public is a disclosure breach, not insider dealing
_DISCLOSE_BEFORE = re.compile(r"\bdisclos\w*(?: of)?(?: the| its)? $|\b(?:was|were|is|constituted|amounted to) $")  # (… was inside
# information: a finding about what the information was, in a disclosure case)
_PARTS_FOLLOW = re.compile(r"(?: (?:pursuant to|under) (?:section|s\.) ?[0-9][0-9A-Za-z()]* of the [A-Za-z ]{1,40}?)?"  # (FCA: s.123)
                           r",? \(?(?:comprising|consisting of|made up of|which (?:comprises|includes)|including)\b")
_FACT_COL = re.compile(r"违规|违法|案由|事实|依据")
_DECISION_COL = re.compile(r"处罚内容|处罚决定|处罚类型|处理决定|处罚措施")
_META_COL = re.compile(r"文号|机关|日期|金额|序号|名称|姓名|当事人")
# a money remedy's own figure just before it ("a $160,000 penalty", "$5,000 in civil penalties") or after it
# ("a penalty of $160,000"); the remedy may be the figure itself (the amounts pass)
_FIGURE_BEFORE = re.compile(r"(?:us\$|\$|£|€)\s?[0-9][0-9,.]*(?:\s*(?:million|billion))?\s*(?:in\s+)?(?:civil\s+)?"
                            r"(?:money\s+|monetary\s+)?(?:penalt\w*\s+)?$")
_FIGURE_AFTER = re.compile(r"(?:\s*\([^)]*\))?\s*(?:of|totaling|totalling|in the amount of|amounting to)?\s*"
                           r"(?:approximately\s+|about\s+)?(?:us\$|\$|£|€)\s?[0-9]")
_AMOUNTS_BEFORE = re.compile(r"\bamounts?\s+$")


def _own_figure(low: str, a: int, s: int, e: int) -> bool:
    return (low[s:s + 1] in ("$", "£", "€") or low.startswith("us$", s) or
            _FIGURE_BEFORE.search(low, max(a, s - 40), s) is not None or _FIGURE_AFTER.match(low, e) is not None)


def _defers_this(label: str, low: str, at: int) -> bool:
    """Does a deferral ("defers the determination of …") at `at` cover this money label? It does when it speaks of
    amounts or of monetary relief in general, or names the label's own remedy."""
    obj = low[at: at + 60]
    if "amount" in obj or "monetary" in obj or "remed" in obj or "relief" in obj:
        return True
    own = {"fine": "penalt", "penalty": "penalt", "confiscation": "disgorg", "disgorgement": "disgorg",
           "restitution": "restitution"}[label]
    return own in obj or not any(w in obj for w in ("penalt", "disgorg", "restitution", "interest"))


def _first_at(cues: list[tuple[int, int, int]], lo: int, hi: int) -> int:
    """Start of the first cue lying wholly inside [lo, hi), else lo."""
    for a, b, _ in cues:
        if a >= lo and b <= hi:
            return a
    return lo


_NOT_AFTER = re.compile(r"(?: against [^.;]{1,40}?)? (?:were|was|is|are|will|would|has|have) not (?:been |be )?"
                        r"(?:assessed|imposed|ordered|awarded|entered)\b")
# "no fine is imposed", "payment of any financial penalty would cause it hardship": no remedy, or a hypothetical one
_NO_BEFORE = re.compile(r"\b(?:no|any)\s+(?:civil\s+|financial\s+)?(?:money\s+|monetary\s+)?$")
_ROUNDED_BEFORE = re.compile(r"\b(?:over|more than|approximately|about|nearly|almost|roughly|some)\s+$")


def _round_figure(v: float) -> bool:
    """A figure of two significant digits, at least 100,000 (1.5 million, 300,000): a summary's rounding."""
    return v >= 100_000 and v == int(v) and len(str(int(v)).rstrip("0")) <= 2


def _rounded_millions(v: float) -> bool:
    """A figure in millions to one decimal (approximately $17.1 million): a rounding when told as approximate."""
    return v >= 1_000_000 and v % 100_000 == 0


def _small_int(s: str) -> int | None:
    if s.isdigit():
        return int(s)
    return am.parse_cn_number(s)


class Classifier:
    """Compiled rules. `extra_phrases`: taxonomy id → additional literal phrases (config classify.extra_phrases)."""

    def __init__(self, extra_phrases: dict[str, list[str]] | None = None):
        rules = _load_rules()
        tax = load_taxonomy()
        self.taxonomy = tax
        self._violation_ids = list(tax.violations)
        self._violation_order = {vid: i for i, vid in enumerate(self._violation_ids)}
        self._sanction_ids = set(tax.sanctions)
        unknown = [k for k in (extra_phrases or {}) if k not in tax.violations and k not in tax.sanctions]
        if unknown:
            raise ValueError(f"classify.extra_phrases: unknown taxonomy id(s) {', '.join(sorted(unknown))}")
        ignore = rules.get("ignore_taxonomy_signals") or {}
        ign_zh = {normalize_zh(s) for s in ignore.get("zh", [])}
        ign_en = {s.lower() for s in ignore.get("en", [])}

        self._zh_v: list[_Rule] = []
        self._en_v: list[_Rule] = []
        for vid, spec in (rules.get("violations") or {}).items():
            self._check_id(vid, violation=True)
            for item in spec.get("zh", []) or []:
                self._zh_v.append(self._rule(vid, item, zh=True))
            for item in spec.get("en", []) or []:
                self._en_v.append(self._rule(vid, item, zh=False))
        for vid, item in tax.violations.items():
            if vid == "other":
                continue
            for s in item.get("zh_signals") or []:
                s = normalize_zh(s)
                if s and s not in ign_zh:
                    self._zh_v.append(_Rule(vid, re.compile(re.escape(s)), origin="taxonomy"))
            for s in item.get("en_signals") or []:
                if s and s.lower() not in ign_en:
                    self._en_v.append(_Rule(vid, re.compile(r"(?<![a-z0-9])" + re.escape(s.lower()) + r"(?![a-z0-9])"),
                                            origin="taxonomy"))

        sanc = rules.get("sanctions") or {}
        self._zh_s: list[_Rule] = []
        self._en_s: list[_Rule] = []
        for sid, pats in (sanc.get("zh") or {}).items():
            self._check_id(sid, violation=False)
            for p in pats:
                self._zh_s.append(self._rule(sid, p, zh=True))
        for sid, pats in (sanc.get("en") or {}).items():
            self._check_id(sid, violation=False)
            for p in pats:
                self._en_s.append(self._rule(sid, p, zh=False))

        for tid, phrases in (extra_phrases or {}).items():
            for ph in phrases:
                if not ph or not ph.strip():
                    continue
                is_zh = re.search(r"[\u4e00-\u9fff]", ph) is not None
                lit = normalize_zh(ph) if is_zh else ph.strip().lower()
                rx = re.compile(re.escape(lit) if is_zh else r"(?<![a-z0-9])" + re.escape(lit) + r"(?![a-z0-9])")
                rule = _Rule(tid, rx, origin="config")
                target = (self._zh_v if is_zh else self._en_v) if tid in tax.violations else (
                    self._zh_s if is_zh else self._en_s)
                target.append(rule)

        self._sectors = {k: _alt(re.escape(normalize_zh(w)) for w in ws) for k, ws in (rules.get("sectors") or {}).items()}
        # the same test in one automaton pass per text: a sector is present iff one of its words occurs
        sector_words: dict[str, list[str]] = {}
        for k, ws in (rules.get("sectors") or {}).items():
            for w in ws:
                sector_words.setdefault(normalize_zh(w), []).append(k)
        self._sector_ac = None
        if _ahocorasick is not None and sector_words and all(sector_words):
            self._sector_ac = _ahocorasick.AhoCorasick(list(sector_words), implementation=_ahocorasick.Implementation.DFA)
            self._sector_of = [frozenset(ks) for ks in sector_words.values()]
        self._sector_issuers = {k: set(v) for k, v in (rules.get("sector_issuers") or {}).items()}
        self._en_hedge = _alt(rules.get("en_hedges") or ["(?!)"])
        self._zh_neg = _alt(normalize_zh(w) for w in rules.get("zh_negations") or ["(?!)"])
        self._selfreg = set(rules.get("self_regulatory_issuers") or [])
        self._sanction_issuer_map = dict(rules.get("sanction_issuer_map") or {})
        self._zh_decision = _alt(normalize_zh(w) for w in rules.get("zh_decision_markers") or ["(?!)"])
        # the same markers as one trigger set: the earliest match of any is where the alternation's search lands
        self._zh_decision_trig = Triggers("zh")
        for w in rules.get("zh_decision_markers") or []:
            self._zh_decision_trig.add(re.compile(normalize_zh(w)), w)
        self._zh_blockers = _alt(list(rules.get("zh_sanction_blockers") or []) + list(rules.get("zh_citation_blockers") or [])
                                 or ["(?!)"])
        self._zh_hard_blockers = _alt(rules.get("zh_sanction_blockers") or ["(?!)"])
        self._zh_citation_blockers = _alt(rules.get("zh_citation_blockers") or ["(?!)"])
        self._zh_doc_blockers = _alt(rules.get("zh_document_blockers") or ["(?!)"])
        self._en_undetermined = _alt(rules.get("en_undetermined_cues") or ["(?!)"])
        self._en_history = _alt(rules.get("en_history_cues") or ["(?!)"])
        weak = {"pay\\b", "paid", "barr(ed|ing)", "\\bbars\\b", "required", "requiring", "prohibit(ed|s|ing)", "including a",
                "liable", "continued", "extended", "issued", "appointment", "suspend(ed|ing)", "revok(ed|ing)"}
        imposed = list(rules.get("en_imposed_cues") or [])
        strong = [w for w in imposed if w not in weak]
        weak_l = [w for w in imposed if w in weak]
        # one scan finds every cue; the group name says which kind (sought first: "would have imposed")
        self._en_cues = re.compile(r"\b(?:(?P<sought>" + "|".join(rules.get("en_sought_cues") or ["(?!)"]) +
                                   r")|(?P<strong>" + "|".join(strong or ["(?!)"]) + r")|(?P<weak>" +
                                   "|".join(weak_l or ["(?!)"]) + "))")
        self._en_self = re.compile("|".join(rules.get("en_self_imposing") or ["(?!)"]))
        self._en_credit_labels = frozenset(rules.get("en_credit_labels") or ())
        self._no_status_issuers = frozenset(rules.get("issuers_without_litigation_stage") or ())
        self._en_crim_sought = re.compile(r"(will|would|may) seek|seeks? to extradite")
        self._en_order = re.compile(r"\border(ed|s|ing)\b[^.;]{0,100}$")
        self._en_not = re.compile(r"\b(not|no|never) (been )?(impos|order|enter|obtain)")
        # One trigger set per language holds violation rules (indices < _n_*_v) then sanction rules: one scan of a
        # text finds the matches of both, keyed by rule index (index order = rule order).
        self._trig: dict[str, Triggers] = {}
        self._nv: dict[str, int] = {}
        for lang, vs, ss in (("zh", self._zh_v, self._zh_s), ("en", self._en_v, self._en_s)):
            tr = Triggers(lang)
            for r in vs + ss:
                tr.add(r.rx, r)
            self._trig[lang] = tr
            self._nv[lang] = len(vs)
            self._nr = getattr(self, "_nr", {})
            self._nr[lang] = len(vs) + len(ss)
        # English context cues join the same scan (after the rules): _Cue(kind, order); `order` is the position of
        # a remedy cue in the one alternation it used to be (sought, then strong, then weak), which decides between
        # cues starting at the same offset.
        tr = self._trig["en"]
        cue_specs: list[tuple[str, str]] = []
        cue_specs += [("sought", c) for c in rules.get("en_sought_cues") or []]
        cue_specs += [("strong", c) for c in strong] + [("weak", c) for c in weak_l]
        self._cue_kinds: dict[str, list[int]] = {}
        for order, (kind, c) in enumerate(cue_specs):
            self._cue_kinds.setdefault(kind, []).append(tr.add(re.compile(r"\b(?:" + c + ")"), _Cue(kind, order)))
        for kind, words in (("hedge", rules.get("en_hedges") or []), ("history", rules.get("en_history_cues") or []),
                            ("prior", rules.get("en_prior_remedy_cues") or []),
                            ("undetermined", rules.get("en_undetermined_cues") or []),
                            ("deferred", rules.get("en_deferred_cues") or []),
                            ("credit", rules.get("en_credit_cues") or []),
                            ("crim_sought", [r"(will|would|may) seek", r"seeks? to extradite",
                                             r"(faces|face|facing) (a )?(maximum|possible|potential|up to)",
                                             r"\b(maximum|up to) (penalty |sentence |term )?(of )?[0-9]"]),
                            ("order", [r"\border(ed|s|ing)\b"]),
                            ("not", [r"\b(not|no|never) (been )?(impos|order|enter|obtain)", r"\binstead of (impos|order)",
                                     r"\bnot (considered it|consider it|think it|appropriate|necessary)\b[^.;]{0,20}\bto impose",
                                     r"\bdismiss(es|ed|ing)? (the )?(sec.?s |commission.?s )?(claims?|request) for"])):
            for w in words:
                self._cue_kinds.setdefault(kind, []).append(tr.add(re.compile(w), _Cue(kind, 0)))

    # -------------------------------------------------------------------------------------------- building
    def _check_id(self, tid: str, *, violation: bool) -> None:
        ok = tid in self.taxonomy.violations if violation else tid in self._sanction_ids
        if not ok:
            raise ValueError(f"rules.yaml: {tid!r} is not a taxonomy {'violation' if violation else 'sanction'} id")

    @staticmethod
    def _rule(label: str, item: Any, *, zh: bool) -> _Rule:
        if isinstance(item, dict):
            pat, sector, not_sector = item["re"], item.get("sector"), item.get("not_sector")
            weak = bool(item.get("weak"))
        else:
            pat, sector, not_sector, weak = item, None, None, False
        return _Rule(label, re.compile(pat), sector, not_sector, weak=weak)

    # -------------------------------------------------------------------------------------------- public
    def classify(self, title: str, text: str, *, source: str | None = None) -> dict[str, Any]:
        title = title or ""
        text = text or ""
        if detect_lang(title, text) == "zh":
            return self._classify_zh(title, text, source)
        return self._classify_en(title, text, source)

    # -------------------------------------------------------------------------------------------- Chinese
    def _classify_zh(self, title: str, text: str, source: str | None) -> dict[str, Any]:
        t = normalize_zh(title)
        x = normalize_zh(text)
        rows = [_normalize_cells(r) for r in ex.parse_table_rows(text)]  # (before NFKC: full-width commas inside
        table = rows[0] if rows else None  # cells must not split them)
        issuer = ex.find_issuer(t, x, source)
        if table and not source:
            issuer = ex.find_issuer(table.get("处理机构", ""), "", None) or issuer
        if table:
            # columns by what their headers say (the regulators' exports name them differently: 违规事实, 主要违法违规行为,
            # 主要违法违规事实(案由), 违法行为类型; 处罚类型, 行政处罚内容, 行政处罚决定); never a number, an authority or a date
            facts = "。".join(v for r in rows for k, v in r.items() if v and _FACT_COL.search(k) and not _META_COL.search(k))
            decisions = ["。".join(v for k, v in r.items() if v and _DECISION_COL.search(k) and not _META_COL.search(k))
                         for r in rows]
            if len(rows) > 1:  # one decision line per row, opened by its party, so each measure pairs with its row's
                body = f"{facts}。\n处罚决定:\n" + "".join(f"{ex.table_party(r)}:{d}。\n" for r, d in zip(rows, decisions) if d)
            else:
                body = f"{facts}。\n处罚决定:{decisions[0]}。" if decisions[0] else f"{facts}。"
        else:
            body = x
        if self._sector_ac is not None:
            of = self._sector_of
            present: set[str] = set()
            for src in (t, body):
                for i, _, _ in self._sector_ac.find_matches_as_indexes(src, overlapping=True):
                    present |= of[i]
            sectors = {k for k in self._sectors if k in present}
        else:
            sectors = {k for k, rx in self._sectors.items() if rx.search(t) or rx.search(body)}
        sectors |= {k for k, iss in self._sector_issuers.items() if issuer in iss}

        clauses = split_clauses_zh(body)
        starts = [a for a, _ in clauses]

        tr, nv = self._trig["zh"], self._nv["zh"]
        hits_body = tr.scan(body)
        hits_title = tr.scan(t)
        violations: dict[str, str] = {}
        for src, hits, is_title in ((body, hits_body, False), (t, hits_title, True)):
            for i in sorted(hits):
                if i >= nv:
                    break
                rule = tr.rules[i][1]
                if rule.label in violations or not self._sector_ok(rule, sectors):
                    continue
                hit = self._zh_find(hits.matches(i), src, None if is_title else clauses, starts)
                if hit:
                    violations[rule.label] = hit

        sanctions, params, fine, confiscation, pairs = self._zh_sanctions(t, body, clauses, starts, issuer, table,
                                                                          hits_title, hits_body)
        respondents = ex.respondents_zh(t, x, sectors, table)
        for r in rows[1:]:  # the other rows' parties (the responsible persons of an institution's case)
            for rec in ex.respondents_zh(t, x, sectors, r):
                if all(rec["name"] != p["name"] for p in respondents):
                    respondents.append(rec)
        self._attach_zh(respondents, pairs, params, sectors)

        # A gatekeeper's case (auditor, sponsor, law firm): the false statements are the client's documents or the
        # gatekeeper's own report, told as the facts of its failure; the client's disclosure breach is not the
        # respondents' (dev csrc-2022-zhongtianguofu labels the sponsor's case intermediary_diligence_failure only)
        firms = [r for r in respondents if r["type"] == "institution"]
        if "intermediary_diligence_failure" in violations and "disclosure_violation" in violations and firms and \
                all(r.get("role") in ("intermediary", "securities_firm") for r in firms):
            del violations["disclosure_violation"]
        if table:  # the body was assembled from cells: evidence quotes the cell, not the joins added around it
            for d in (violations, sanctions):
                for k, ev in d.items():
                    if ev not in x:
                        ev = ev.removeprefix("处罚决定:").strip()
                        if ev not in x and len(rows) > 1 and ":" in ev:  # (a row's decision line: its party, a colon)
                            ev = ev.split(":", 1)[1]
                        d[k] = ev if ev in x else ev.rstrip("。")
        return self._result(violations, sanctions, params, respondents, fine, confiscation,
                            doc_number=ex.find_doc_number(t, x, "zh"), issuer=issuer, status=None, title=t)

    def _sector_ok(self, rule: _Rule, sectors: set[str]) -> bool:
        if rule.sector and rule.sector not in sectors:
            return False
        return not (rule.not_sector and rule.not_sector in sectors)

    def _zh_find(self, matches: Iterable[re.Match[str]], src: str, clauses: list[tuple[int, int]] | None,
                 starts: list[int]) -> str | None:
        for m in matches:
            if clauses:
                lo, hi = clauses[_locate(clauses, starts, m.start())]
            else:
                lo, hi = 0, len(src)
            before = src[max(lo, m.start() - 12): m.start()]
            if self._zh_neg.search(before):
                continue
            if src.rfind("《", lo, m.start()) > src.rfind("》", lo, m.start()):
                close = src.find("》", m.end(), hi)
                if close > 0 and _LAW_TITLE_END.search(src, max(lo, close - 4), close):
                    continue  # inside a cited law (《公开募集证券投资基金销售机构监督管理办法》): its name, not conduct
            return _window(src, m.start(), m.end(), lo, hi)
        return None

    def _zh_blocked(self, body: str, lo: int, s: int) -> bool:
        """A measure at s is not imposed when [lo, s) of its clause holds a blocker (拟, 事先告知, 复议, a quoted
        provision…), or a legal citation that no decision marker (我局决定, 决定:) follows before s."""
        if self._zh_hard_blockers.search(body, lo, s):
            return True
        for c in self._zh_citation_blockers.finditer(body, lo, s):
            if not self._zh_decision.search(body, c.end(), s):
                return True
        return False

    def _zh_sanctions(self, t: str, body: str, clauses: list[tuple[int, int]], starts: list[int], issuer: str | None,
                      table: dict[str, str] | None, hits_title: Hits, hits_body: Hits):
        sanctions: dict[str, str] = {}
        params: dict[str, dict] = {}
        pairs: list[tuple[list[str], str, dict, str]] = []  # (target names, sanction id, params, clause)
        fine_amounts: list[tuple[float, bool, int]] = []  # (amount, is_total, offset in body)
        conf_amounts: list[float] = []
        if self._zh_doc_blockers.search(t) or self._zh_doc_blockers.search(body[:200]):
            return sanctions, params, None, None, pairs
        dh = self._zh_decision_trig.scan(body)
        region = min((m.start() for i in dh for m in [dh.first(i)] if m), default=0)
        selfreg = issuer in self._selfreg

        def record(sid: str, src: str, a: int, b: int, lo: int, hi: int) -> str:
            if selfreg and sid in self._sanction_issuer_map:
                sid = self._sanction_issuer_map[sid]
            sanctions.setdefault(sid, _window(src, a, b, lo, hi))
            return sid

        tr, nv = self._trig["zh"], self._nv["zh"]
        # Title: a decision's title names the measure (关于对X采取出具警示函措施的决定).
        if t and not self._zh_blockers.search(t):
            for i in sorted(hits_title):
                if i < nv:
                    continue
                label = tr.rules[i][1].label
                mm = hits_title.first(i) if label not in ("fine", "no_sanction_case_closed") else None
                if mm:
                    record(label, t, mm.start(), mm.end(), 0, len(t))

        # Parts of a clause addressed to different parties (对A采取…,对B采取…) pair separately; blockers and evidence
        # still read the whole clause.
        parts = _party_parts(body, clauses)
        part_starts = [a for a, _ in parts]
        per_clause: dict[int, list[tuple[str, int]]] = {}
        blocked: dict[int, re.Match[str] | None] = {}
        for ri in sorted(hits_body):
            if ri < nv:
                continue
            rule = tr.rules[ri][1]
            seen_parts: set[int] = set()
            for mm in hits_body.matches(ri):
                if mm.start() < region:
                    continue
                ci = _locate(clauses, starts, mm.start())
                lo, hi = clauses[ci]
                if ci not in blocked:
                    blocked[ci] = _RANGE.search(body, lo, hi)
                if blocked[ci] or self._zh_blocked(body, lo, mm.start()):
                    continue
                if rule.label != "no_sanction_case_closed" and self._zh_neg.search(body, max(lo, mm.start() - 4), mm.start()):
                    continue
                pj = _locate(parts, part_starts, mm.start())
                if pj in seen_parts:
                    continue
                seen_parts.add(pj)
                sid = record(rule.label, body, mm.start(), mm.end(), lo, hi)
                per_clause.setdefault(pj, []).append((sid, mm.end() - parts[pj][0]))
        for ci in sorted(per_clause):
            lo, hi = parts[ci]
            clause = body[lo:hi]
            found_here = per_clause[ci]
            targets = ex.pair_target_names(clause)
            if not targets:  # a list of decisions, one party per line ("某甲公司：…。处分：公开谴责")
                party = ex.line_party(body, lo + min(end for _, end in found_here))  # (the line may open the clause)
                if party:
                    targets = [party]
            for sid, end in found_here:
                p: dict[str, Any] = {}
                tail = clause[end: end + 12]
                head = clause[max(0, end - 30): end + 12]
                if sid == "filing_suspension":
                    mm = _MONTHS.search(tail) or _MONTHS.search(head)
                    if mm and _small_int(mm.group(1)):
                        p["months"] = _small_int(mm.group(1))
                elif sid in ("market_ban", "qualification_revoked_blacklist", "ban_from_office"):
                    if "终身" in head:
                        p["years"] = "lifetime"
                    else:
                        mm = _YEARS.search(head)
                        if mm and _small_int(mm.group(1)):
                            p["years"] = _small_int(mm.group(1))
                if p:
                    params.setdefault(sid, p)
                pairs.append((targets, sid, p, clause))
            if any(s == "fine" for s, _ in found_here):
                fine_amounts.extend((v, tot, lo + rel) for v, tot, rel in self._zh_fine_amounts(clause, len(targets)))
            if any(s == "confiscation" for s, _ in found_here):
                for mm in _ZH_CONFISCATED.finditer(clause):
                    amts = am.find_amounts_zh(mm.group(1))
                    if amts:
                        conf_amounts.append(amts[0].value)
        if "no_sanction_case_closed" in sanctions and len(sanctions) > 1:
            sanctions.pop("no_sanction_case_closed")

        fine = None
        amt_col = next((v for k, v in table.items() if "罚没金额" in k or "罚款金额" in k), "") if table else ""
        if table and "fine" in sanctions and amt_col:  # a dataset's amount column (in 元, or 万元 when its header says so)
            ptype = next((v for k, v in table.items() if k.startswith("处罚类型") or k == "处罚决定"), "")
            v = am.parse_number(amt_col.replace("元", ""))
            if v and "没收" not in ptype and v > 0:
                mult = 1e4 if "万元" in next((k for k in table if "罚没金额" in k or "罚款金额" in k), "") else 1
                fine = {"amount": am.as_number(v * mult), "currency": "CNY"}
        elif fine_amounts:  # the decision's own words (a notice, or a table whose penalty cell states the amounts)
            fine = {"amount": am.as_number(_zh_fine_total(_drop_breakdowns(body, clauses, starts, fine_amounts))),
                    "currency": "CNY"}
        confiscation = {"amount": am.as_number(sum(conf_amounts)), "currency": "CNY"} if conf_amounts else None
        return sanctions, params, fine, confiscation, pairs

    _FINE_AMT = re.compile(
        r"(?P<pre>合计|共计|总计|共|分别|各)?(?:处以?|并处|罚款|处罚款|罚金)(?P<pre3>合计|共计|总计)?(?:人民币)?(?P<amt>[0-9][0-9,.]*\s*[十百千]?[万亿]?元|[" + am.CN_NUM_CHARS + r"]+元)(?:的)?"
        r"|(?P<pre2>合计|共计|总计|共|分别|各)?(?:处以?|并处)?(?:人民币)?(?P<amt2>[0-9][0-9,.]*\s*[十百千]?[万亿]?元?|[" + am.CN_NUM_CHARS + r"]+元)(?:的)?罚款")  # (大写: 壹佰伍拾万元)

    def _zh_fine_amounts(self, clause: str, n_targets: int) -> list[tuple[float, bool, int]]:
        out = []
        seen_spans: set[int] = set()
        for mm in self._FINE_AMT.finditer(clause):
            raw = mm.group("amt") or mm.group("amt2")
            pre = mm.group("pre") or mm.group("pre2") or mm.group("pre3") or ""
            ctx = clause[max(0, mm.start() - 6): mm.start()] + pre
            if raw and not raw.endswith("元") and "万" not in raw:
                continue
            amts = am.find_amounts_zh(raw if raw.endswith("元") else raw + "元")
            if not amts or mm.start() in seen_spans:
                continue
            seen_spans.add(mm.start())
            v = float(amts[0].value)
            is_total = any(w in ctx for w in ("合计", "共计", "总计"))
            if ("分别" in ctx or "各" in pre) and n_targets > 1:
                v *= n_targets
            out.append((v, is_total, mm.start()))
        return out

    @staticmethod
    def _attach_zh(respondents: list[dict], pairs: list[tuple[list[str], str, dict, str]], params: dict[str, dict],
                   sectors: set[str]) -> None:
        """Give each respondent the sanctions of the clauses addressed to it (对A给予警告…;对B…). A clause addressed
        to a named person or firm not found earlier (对实际控制人邢**进行公开谴责) adds that respondent."""
        if not pairs:
            return
        by_name = {r["name"]: r for r in respondents}
        for targets, _, _, clause in pairs:
            for n in targets:
                if n not in by_name and not any(n in full or full in n for full in by_name):
                    rec = ex.party_zh(n, clause, sectors)
                    if rec:
                        respondents.append(rec)
                        by_name[n] = rec
        if not respondents:
            return

        def match(name: str) -> dict | None:
            if name in by_name:
                return by_name[name]
            for full, r in by_name.items():
                if name and (name in full or full in name):
                    return r
            return None

        for targets, sid, p, _ in pairs:
            hits = [r for r in (match(n) for n in targets) if r is not None]
            if not targets or any(n in ("你公司", "公司", "你", "其", "你们", "该公司", "你所", "你单位", "该行", "你行") for n in targets) and not hits:
                hits = [respondents[0]] if len(respondents) == 1 or respondents[0]["type"] == "institution" else []
                if targets and targets[0] == "你们":
                    hits = respondents
            for r in hits:
                lst = r.setdefault("sanctions", [])
                if sid not in lst:
                    lst.append(sid)
                if sid == "filing_suspension" and "months" in p:
                    r["filing_suspension_months"] = p["months"]
                if sid in ("market_ban", "ban_from_office", "qualification_revoked_blacklist") and "years" in p:
                    r["ban_years"] = p["years"]

    # -------------------------------------------------------------------------------------------- English
    def _classify_en(self, title: str, text: str, source: str | None) -> dict[str, Any]:
        t = normalize_en(title)
        x = normalize_en(text)
        xl = x.lower()
        if len(xl) != len(x):  # a few characters change length when lower-cased: fall back char by char
            xl = "".join(c.lower() if len(c.lower()) == 1 else c for c in x)
        tl = t.lower()
        if len(tl) != len(t):
            tl = "".join(c.lower() if len(c.lower()) == 1 else c for c in t)
        sents = split_sentences_en(x)
        starts = [a for a, _ in sents] or [0]
        if not sents:
            sents = [(0, 0)]
        hedge_cache: dict[int, int] = {}
        issuer = ex.find_issuer(t, x, source)

        violations: dict[str, str] = {}
        tr, nv = self._trig["en"], self._nv["en"]
        hits_x = tr.scan(xl)
        hits_t = tr.scan(tl)
        nr = self._nr["en"]
        ctx_x = _Ctx(hits_x)
        weak: dict[str, str] = {}  # labels from topic phrases, used only when nothing else labels the notice
        past: dict[str, str] = {}  # labels read in a sentence about earlier events, likewise only as a last resort
        for ri in sorted(hits_x):
            if ri >= nv:
                break
            rule = tr.rules[ri][1]
            found = weak if rule.weak else violations
            if rule.label in found:
                continue
            for m in hits_x.matches(ri):
                i = _locate(sents, starts, m.start())
                a, b = sents[i]
                if i not in hedge_cache:  # hypotheses do not label; a respondent's earlier history labels last
                    hedge_cache[i] = 1 if ctx_x.any("hedge", a, b) else 2 if ctx_x.any("history", a, b) else 0
                if hedge_cache[i]:
                    if hedge_cache[i] == 2 and not rule.weak:
                        past.setdefault(rule.label, _window(x, m.start(), m.end(), a, b))
                    continue
                if rule.label in _ABUSE_LABELS and (_DETECT_BEFORE.search(xl, max(a, m.start() - 80), m.start()) or
                                                    rule.label == "insider_trading" and
                                                    (_DISCLOSE_BEFORE.search(xl, max(a, m.start() - 30), m.start()) or
                                                     m.start() == a + 4 and xl.startswith("the ", a))):
                    # (a sentence about what "The inside information concerned" describes it, trades nothing)
                    continue  # a firm's controls to detect abuse ("could not detect ... layering or spoofing"), not abuse
                found[rule.label] = _window(x, m.start(), m.end(), a, b)
                break
        for ri in sorted(hits_t):
            if ri >= nv:
                break
            rule = tr.rules[ri][1]
            found = weak if rule.weak else violations
            if rule.label not in found and (tm := hits_t.first(ri)):
                if rule.label == "insider_trading" and _DISCLOSE_BEFORE.search(tl, max(0, tm.start() - 30), tm.start()):
                    continue  # (… culpable of late disclosure of inside information: an issuer's disclosure case)
                found[rule.label] = t
        if not violations:
            violations.update(weak or past)
        self._en_resolve_violations(violations)

        sanctions: dict[str, str] = {}
        fine_hits: list[tuple[float, str, int, bool]] = []
        disg: list[tuple[float, int]] = []
        approx: set[tuple[float, int]] = set()  # (value, sentence) of rounded figures: "more than $1.5 million"
        fine_ev: str | None = None  # the sentence that named an imposed penalty amount
        fine_ev_base = -1
        currency = {"FCA": "GBP", "SFC": "HKD"}.get(issuer or "", "USD")
        units = [(tl, t, [(0, len(t))], -1, hits_t)] if t else []
        units.append((xl, x, sents, 0, hits_x))
        criminal_ctx = self._CRIMINAL_CTX
        for low, orig, spans, base, hits in units:
            sp_starts = [a for a, _ in spans]
            ctx = ctx_x if base >= 0 else _Ctx(hits)
            for ri in sorted(hits):
                if ri < nv:
                    continue
                if ri >= nr:
                    break
                rule = tr.rules[ri][1]
                if rule.label in sanctions:
                    continue
                for m in hits.matches(ri):
                    i = _locate(spans, sp_starts, m.start())
                    a, b = spans[i]
                    mode = self._en_mode(low, a, b, m.start(), m.end(), rule.label, ctx)
                    if mode != "imposed":
                        continue
                    if rule.label == "fine" and _PER_DAY.search(low, max(a, m.start() - 24), min(b, m.end() + 24)):
                        continue  # a coercive per-day contempt sanction is not a fine (taxonomy mapping note)
                    if rule.label == "fine":  # another authority's penalty in another currency is not this one's
                        amt = am.parse_amount_en(low[m.end(): m.end() + 60], default_currency=currency)
                        if amt is not None and amt.currency != currency:
                            continue
                    sanctions.setdefault(rule.label, _window(orig, m.start(), m.end(), a, b))
                    break
            for i in _kw_spans(low, spans, sp_starts, _AMOUNT_KWS):
                a, b = spans[i]
                sent = low[a:b]
                for v, rel, kind, ccy in self._en_amounts(sent, currency):
                    mode = self._en_mode(low, a, b, a + rel, a + rel + 1, kind, ctx)
                    if mode != "imposed":
                        continue
                    if _ROUNDED_BEFORE.search(sent, max(0, rel - 20), rel):
                        approx.add((v, base + i if base >= 0 else -1))
                    if kind == "disgorgement":
                        if ("each" in sent or "apiece" in sent) and "respectively" not in sent and \
                                not _JOINT_SEVERAL.search(sent, max(0, rel - 60), rel + 80):
                            v *= _each_payers(orig[a:b], sent, rel, orig[spans[i - 1][0]:spans[i - 1][1]] if i else "")
                        disg.append((v, base + i if base >= 0 else -1))
                        continue
                    if kind == "fine" and criminal_ctx.search(sent):
                        continue  # criminal fines are a sanction, not the civil penalty total
                    if _CRIMINAL_RESOLUTION.match(sent, rel):
                        continue  # "a $283 million penalty in a deferred prosecution agreement with the DOJ"
                    joint = _JOINT_SEVERAL.search(sent[rel: rel + 80]) is not None
                    if ccy != currency:
                        continue  # another authority's penalty in another currency (an FCA fine in an SEC release)
                    if not joint and ("each" in sent or "apiece" in sent) and "respectively" not in sent[rel: rel + 80] and \
                            not _JOINT_SEVERAL.search(sent, max(0, rel - 60), rel):  # (to pay, jointly and severally, $X)
                        # (not "$X and $Y each, respectively")
                        v *= _each_payers(orig[a:b], sent, rel, orig[spans[i - 1][0]:spans[i - 1][1]] if i else "")
                    fine_hits.append((v, currency, base + i if base >= 0 else -1, joint, _payer_key(orig[a:b], rel)))
                    if fine_ev is None or base >= 0 > fine_ev_base:
                        fine_ev, fine_ev_base = _window(orig, a + rel, a + rel + 1, a, b), base

        if any(h[2] >= 0 for h in fine_hits):  # a title figure is a rounded restatement of the body's
            fine_hits = [h for h in fine_hits if h[2] >= 0]
        if any(i >= 0 for _, i in disg):
            disg = [d for d in disg if d[1] >= 0]
        fine = self._en_total(fine_hits, currency, approx)
        conf = None
        if disg:
            dv = self._en_total([(v, currency, i, False) for v, i in disg], currency, approx)
            conf = dv
        if fine and "fine" not in sanctions:
            sanctions["fine"] = fine_ev or t
        status = self._en_status(tl, xl, issuer)
        sents_for_resp = sents if sents != [(0, 0)] else []
        respondents = ex.respondents_en(t, x, sents_for_resp)
        params: dict[str, dict] = {}
        if "market_ban" in sanctions or "ban_from_office" in sanctions:
            for sid in ("market_ban", "ban_from_office"):
                ev = sanctions.get(sid, "").lower()
                if not ev:
                    continue
                if _LIFETIME.search(ev):
                    params[sid] = {"years": "lifetime"}
                else:
                    mm = _N_YEAR.search(ev)
                    if mm:
                        params[sid] = {"years": int(mm.group(1)) if mm.group(1).isdigit() else _EN_NUM_WORDS[mm.group(1)]}
        return self._result(violations, sanctions, params, respondents, fine, conf,
                            doc_number=ex.find_doc_number(t, x, "en"), issuer=issuer, status=status, title=t)

    @staticmethod
    def _en_resolve_violations(v: dict[str, str]) -> None:
        """Boundary rules between overlapping English ids (taxonomy boundary notes)."""
        # A false registration statement in a registered offering is fraudulent_issuance, not offering_fraud, unless
        # investors were also solicited into a specific scheme (Ponzi etc.), or the offering-fraud evidence is another
        # sale than the registered one (its sentence names no registration statement, prospectus, IPO or S-1)
        if "fraudulent_issuance" in v and "offering_fraud" in v:
            ev = v["offering_fraud"].lower()
            if not _SCHEME_WORDS.search(ev) and (_REGISTERED_WORDS.search(ev) or v["offering_fraud"] == v["fraudulent_issuance"]):
                v.pop("offering_fraud")

    def _en_mode(self, low: str, a: int, b: int, s: int, e: int, label: str, ctx: _Ctx) -> str:
        """imposed / sought / history / undetermined / none, from the cues around a remedy in its sentence."""
        lo = max(a, s - 400)  # the governing verb sits before the remedy in its sentence; bounded for speed
        if ctx.any("history", lo, min(b, e + 40)) or ctx.any("prior", lo, min(b, e + 40)):  # before, around (had been
            # barred) or just after the remedy; a "prior" cue dates a remedy only, the sentence's conduct still labels
            return "history"  # (`an industry bar that the SEC imposed on him in 1971`)
        if label in self._en_credit_labels and ctx.any("credit", a, b):
            return "credit"
        if label in ("criminal_charges_parallel", "imprisonment"):
            if ctx.any("crim_sought", max(lo, s - 40), s):
                return "sought"
            return "imposed"
        last_sought = last_strong = last_any = -1
        for _, ce, kind in ctx.remedy_cues(lo, s):
            if kind == "sought":
                last_sought = ce
            else:
                last_any = ce
                if kind == "strong":
                    last_strong = ce
        clause_end = low.find(";", e, b)
        clause_end = b if clause_end < 0 else clause_end
        # A sought verb governs its whole list of remedies up to the end of its clause (`seeking to have X
        # enjoined, ordered to pay …`); only a new clause (;) with an imposing verb undoes it.
        if last_sought >= 0 and (last_sought >= last_strong or low.find(";", last_sought, s) < 0):
            return "sought"
        deferred = ctx.last_end("deferred", max(lo, s - 160), s)
        if deferred >= 0 and low.find(";", deferred, s) < 0:
            return "undetermined"
        if self._en_self.match(low, s):
            return "imposed"
        own_figure = label in _MONEY_LABELS and _own_figure(low, a, s, e)
        if label in _MONEY_LABELS and not own_figure:
            # money with no figure of its own whose amount the sentence leaves open after it: "orders that
            # disgorgement ... and a civil money penalty be imposed, and defers the determination of the amounts";
            # "orders Banks to pay disgorgement ... and a penalty with the amounts to be determined"
            for ca, cb, _ in ctx.get("deferred"):
                if ca >= clause_end:
                    break
                if ca >= e and _defers_this(label, low, cb) and not _FIGURE_RX.search(low, e, ca):
                    return "undetermined"
            for ca, cb, _ in ctx.get("undetermined"):
                if ca >= clause_end:
                    break
                if ca >= e and _AMOUNTS_BEFORE.search(low, max(e, ca - 16), ca) and not _FIGURE_RX.search(low, e, ca):
                    return "undetermined"
        if not own_figure and ctx.any("undetermined", e, clause_end) and \
                not self._order_governs(low, ctx, max(lo, s - 120), s):
            cue = _first_at(ctx.get("undetermined"), e, clause_end)
            # money left "to be determined" does not hold back an injunction or a bar named before it
            if not _OTHER_OBJECT.search(low, e, cue) and not (
                    label not in _MONEY_LABELS and _MONEY_WORD.search(low, e, cue)):
                return "undetermined"
        if ctx.any("not", max(lo, s - 40), s) or _NOT_AFTER.match(low, e) or (
                label in _MONEY_LABELS and _NO_BEFORE.search(low, max(lo, s - 30), s)):
            return "none"  # (`no penalty was imposed`; `civil penalties were not assessed against the Aguiars`)
        if last_any >= 0:
            return "imposed"
        for _, _, kind in ctx.remedy_cues(e, clause_end)[:1]:
            return "sought" if kind == "sought" else "imposed"
        return "none"

    @staticmethod
    def _order_governs(low: str, ctx: _Ctx, lo: int, s: int) -> bool:
        """`order(ed|s|ing)` in [lo, s) with no sentence or clause stop up to s, at most 100 characters before."""
        for a, b, _ in ctx.get("order"):
            if a >= s:
                break
            if a >= lo and b <= s and s - b <= 100 and low.find(".", b, s) < 0 and low.find(";", b, s) < 0:
                return True
        return False

    _AMT = r"(?:us\$|hk\$|\$|£|€)\s?[0-9](?:[0-9]|,(?=[0-9]))*(?:\.[0-9]+)?(?:\s*(?:million|billion|mn|bn|m)\b)?|[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?(?:\s*(?:million|billion)\b)?"
    _PEN_AFTER = re.compile(
        r"(?P<kw>(?:civil (?:money |monetary )?penalt(?:y|ies)|financial penalty|(?<!criminal )penalt(?:y|ies)|(?<!criminal )\bfine)\b|"
        r"(?<!criminal )\bfined(?: [a-z][^$£€;]{0,120}?)?(?= (?:us\$|hk\$|\$|£|€)))"  # fined $250,000; fined X, Inc. $400,000
        r"(?:\s*\([^)]*\))?\s*(?:of|totaling|totalling|in the amount of|amounting to|equal to|in the sum of)?\s*"
        r"(?:approximately |about |more than |nearly |over |up to )?(?P<amt>" + _AMT + r")"
        r"(?P<more>(?:\s*\([^)]{1,40}\))?(?:(?:\s+(?:against|for|from|on|by) [^$;.]{1,40}?)?\s*(?:,|and|, and)\s*(?:" + _AMT +
        r")(?:\s*\([^)]{1,40}\))?)*)")
    _PEN_BEFORE = re.compile(r"(?P<amt>" + _AMT + r")\s*(?:\([^)]*\)\s*)?(?:in\s+)?(?:civil\s+)?(?:money\s+|monetary\s+)?(?P<kw>penalt(?:y|ies)|fine)\b")
    _TREASURY = re.compile(r"(?P<amt>" + _AMT + r")\s+to be paid to the (?:united states|u\.s\.) treasury")
    _DISG = re.compile(r"disgorg(?:ement|e)\b(?:[^.;$£]{0,60}?)(?P<amt>(?:us\$|\$|£)\s?[0-9](?:[0-9]|,(?=[0-9]))*(?:\.[0-9]+)?(?:\s*(?:million|billion|m)\b)?)"
                       r"|(?P<amt2>(?:us\$|\$|£)\s?[0-9](?:[0-9]|,(?=[0-9]))*(?:\.[0-9]+)?(?:\s*(?:million|billion|m)\b)?)\s+(?:in\s+)?disgorgement\b(?!,? (?:and |plus )?(?:prejudgment|pre-judgment) interest,? and (?!an? (?:us\$|\$|£)))")
    _AMT_RX = re.compile(_AMT)
    _DISG_AT = ("disgorg", "us$", "$", "£")  # every _DISG match begins with one
    _PEN_AFTER_AT = ("civil", "financial penalty", "penalt", "fine")  # every _PEN_AFTER match begins with one

    @classmethod
    def _pen_before_iter(cls, sent: str, cands: list[int], start: int) -> Iterator[re.Match[str]]:
        """_iter_at for _PEN_BEFORE, skipping the digits after a currency sign whose match failed: a grouped number
        starting among them ends where the sign's own number can end, and goes on the same way, so it fails too."""
        last = start
        dead_lo = dead_hi = -1
        n = len(sent)
        match = cls._PEN_BEFORE.match
        for p in cands:
            if p < last or dead_lo <= p < dead_hi:
                continue
            m = match(sent, p)
            if m is not None:
                last = m.end()
                yield m
            elif sent[p] in "$£€":
                q = p + 2 if p + 1 < n and sent[p + 1].isspace() else p + 1
                if q < n and sent[q] in "0123456789":
                    e = q + 1
                    while e < n and sent[e] in "0123456789,":
                        e += 1
                    dead_lo, dead_hi = q, e

    @staticmethod
    def _amt_starts(sent: str, start: int, hi: int) -> list[int]:
        """Sorted offsets in [start, hi) where an _AMT match can begin: a currency sign (us$ two before its $), or
        one to three places before a comma that follows a digit (the grouped-number form)."""
        out: list[int] = []
        find = sent.find
        end = hi + 2
        for sym in ("$",) if sent.isascii() else ("$", "£", "€"):
            i = find(sym, start, end)
            while i >= 0:
                out.append(i)
                if i >= 2 + start and sym == "$" and sent[i - 2] == "u" and sent[i - 1] == "s":
                    out.append(i - 2)
                i = find(sym, i + 1, end)
        i = find(",", start + 1, end)
        while i >= 0:  # the first comma of a grouped number: a digit before it, three after it
            if sent[i - 1] in "0123456789" and sent[i + 1:i + 4].isdigit():
                out += (i - 3, i - 2, i - 1)
            i = find(",", i + 1, end)
        return sorted({p for p in out if start <= p < hi})

    def _en_amounts(self, sent: str, currency: str) -> list[tuple[float, int, str, str]]:
        """(value, offset, kind) for penalty and disgorgement amounts named in one lower-cased sentence."""
        out: list[tuple[float, int, str, str]] = []
        taken: set[int] = set()
        # Each pattern runs only where it can match (cheap str.find gates): a penalty needs its keyword, the
        # treasury form its phrase, disgorgement its word; _PEN_AFTER cannot start before its first keyword.
        runs = []
        f_pen, f_fine = sent.find("penalt"), sent.find("fine")
        if f_pen >= 0 or f_fine >= 0:
            first = f_pen if f_fine < 0 or 0 <= f_pen < f_fine else f_fine  # the first penalty keyword
            # _PEN_AFTER starts at the first of its keywords (only occurrences starting before `first` matter)
            after = first
            for w in ("civil", "financial penalty"):
                i = sent.find(w, 0, first + len(w) - 1)
                if 0 <= i < after:
                    after = i
            runs.append((self._PEN_AFTER, after))
            runs.append((self._PEN_BEFORE, max(0, first - 300)))
        if "treasury" in sent:
            runs.append((self._TREASURY, 0))
        for rx, start in runs:
            # the same matches as rx.finditer(sent, start), tried only where one can begin (see _iter_at)
            if rx is self._PEN_AFTER:
                found = _iter_at(rx, sent, _finds(sent, self._PEN_AFTER_AT, start), start)
            elif rx is self._PEN_BEFORE:
                # a match ends with its keyword: none begins after the last keyword
                last_kw = max(sent.rfind("penalt"), sent.rfind("fine"))
                found = self._pen_before_iter(sent, self._amt_starts(sent, start, last_kw), start)
            else:
                found = rx.finditer(sent, start)
            for m in found:
                pos = m.start("amt")
                if pos in taken:
                    continue
                kw = m.groupdict().get("kw") or "penalty"
                kind = "fine" if kw.strip() == "fine" or kw.startswith("fined") else "penalty"
                # "$125,000 in disgorgement, prejudgment interest and a civil penalty": a combined figure, no penalty.
                if rx is self._PEN_BEFORE and (_DISG_OR_INTEREST.search(sent[m.end("amt"): m.start("kw")]) or
                                               _LUMP_AFTER_KW.match(sent, m.end("kw"))):
                    continue  # "$231,158 in civil penalties, disgorgement and interest": one figure for all
                # "disgorgement and civil penalties totaling $15.5 million": one figure for both, no penalty amount
                if rx is self._PEN_AFTER and _COMBINED_BEFORE.search(sent, max(0, m.start() - 60), m.start()) and (
                        "penalties" in m.group("kw") or _TOTAL_WORD.search(sent, m.end("kw"), m.start("amt"))) and \
                        "$" not in sent[max(0, sent.rfind("disgorg", 0, m.start())): m.start()]:
                    continue  # (not when disgorgement had its own figures: "disgorgement of $X, ... plus prejudgment
                    # interest, and civil penalties of $A, $B and $C, respectively")
                if _PARTS_FOLLOW.match(sent, m.end("amt")):
                    continue  # "a financial penalty of £116,320, comprising disgorgement of £14,220 and a penalty of £102,100"
                a = am.parse_amount_en(m.group("amt"), default_currency=currency)
                if a is None:
                    continue
                taken.add(pos)
                out.append((float(a.value), pos, kind, a.currency))
                if rx is self._PEN_BEFORE and _RESP_AFTER_KW.match(sent, m.end("kw")):
                    # "imposing a $25,000 and $6,500 penalty, respectively": the figures listed before this one
                    _figures_before(_FIGS_BEFORE.search(sent, max(0, pos - 150), pos), sent, pos, kind, currency,
                                    taken, out)
                more = m.groupdict().get("more")
                if more:
                    base = m.start("more")
                    for mm in self._AMT_RX.finditer(more):
                        if base + mm.start() in taken:
                            continue
                        b2 = am.parse_amount_en(mm.group(0), default_currency=currency)
                        if b2:
                            taken.add(base + mm.start())
                            out.append((float(b2.value), base + mm.start(), kind, b2.currency))
        # _DISG.finditer(sent), tried only where a match can begin: its word, or the currency sign of a figure
        for m in (_iter_at(self._DISG, sent, _finds(sent, self._DISG_AT)) if "disgorg" in sent else ()):
            g = "amt" if m.group("amt") else "amt2"
            pos = m.start(g)
            if pos in taken:
                continue
            if g == "amt2" and _LUMPED_AFTER.match(sent, m.end(g)):
                continue  # "$5 million in disgorgement, civil penalties, and interest": one figure for all
            if g == "amt" and "penalt" in sent[m.start(): pos]:
                continue  # "disgorgement, prejudgment interest, and a civil penalty totaling $79,190": one figure for all
            if g == "amt" and (_INTEREST_ON.search(sent, max(0, m.start() - 20), m.start()) or
                               _SATISFIED_BY.search(sent, m.start(), pos)):
                continue  # "interest on the disgorgement of $18,400"; "disgorgement was partially satisfied by … $25,000"
            after = sent[m.end(g): m.end(g) + 30]
            if _PENALTY_AFTER.match(after):
                continue
            a = am.parse_amount_en(m.group(g), default_currency=currency)
            if a:
                taken.add(pos)
                out.append((float(a.value), pos, "disgorgement", a.currency))
                if g == "amt2" and " to pay " in sent:
                    # "ordered Uninvest to pay a total of $4,815,892, RST5 to pay a total of $2,018,765, and Koga to pay a
                    # total of $528,344 in disgorgement": every payer's figure shares the tail
                    _figures_before(_PAYER_CHAIN.search(sent, max(0, pos - 400), pos), sent, pos, "disgorgement",
                                    currency, taken, out)
                # "disgorgement of $1,519,213 and $1,350,734, respectively": one figure per party, all disgorgement
                # (not after "disgorgement and prejudgment interest of $X and $Y, respectively": X, then interest)
                more_end = -1
                if g == "amt" and "respectively" in sent and "interest" not in sent[m.start(): pos]:
                    more = _RESPECTIVELY.match(sent, m.end(g))
                    more_end = more.end() if more else -1
                if more_end < 0 and g == "amt" and ";" in sent:  # "totaling $X for Perlstein; $Y for Swartz; …"
                    end = m.end(g)
                    while (nxt := _FOR_PAYER_NEXT.match(sent, end)) is not None:
                        end = nxt.end()
                    more_end = end if end > m.end(g) else -1
                if more_end > 0:
                    for mm in self._AMT_RX.finditer(sent, m.end(g), more_end):
                        b2 = am.parse_amount_en(mm.group(0), default_currency=currency)
                        if b2 and mm.start() not in taken:
                            taken.add(mm.start())
                            out.append((float(b2.value), mm.start(), "disgorgement", b2.currency))
        return out

    @staticmethod
    def _en_total(hits: list[tuple], currency: str, approx: set[tuple[float, int]]) -> dict | None:
        """Sum of penalties; a figure restated in another sentence (title, summary) or joint-and-several counts once,
        and so does a rounded "more than $1.5 million" (its (value, sentence) in approx) beside an exact figure it
        rounds (1,519,213). Equal figures in different sentences whose clauses open with different payers (Smith's
        $50,000, Raina's $50,000) are different penalties. A hit is (value, currency, sentence, joint[, payer])."""
        if not hits:
            return None
        per_value: dict[float, dict[int, int]] = {}
        payers: dict[float, dict[int, str | None]] = {}
        for h in hits:
            v, _, sent_i, joint = h[:4]
            counts = per_value.setdefault(v, {})
            if joint and counts:
                continue
            counts[sent_i] = counts.get(sent_i, 0) + 1
            payers.setdefault(v, {}).setdefault(sent_i, h[4] if len(h) > 4 else None)
        for v, by_sent in payers.items():
            keys = list(by_sent.values())
            if len(keys) > 1 and None not in keys and len(set(keys)) == len(keys):
                c = per_value[v]  # each sentence its own payer: count every sentence's figures
                per_value[v] = {-2: sum(c.values())}
        if approx and len(per_value) > 1:  # "more than $1.5 million" restates an exact $1,519,213 told elsewhere
            exact = [(w, set(c)) for w, c in per_value.items() if not _round_figure(w)]
            for v in [v for v in per_value if (_round_figure(v) or _rounded_millions(v)) and
                      all((v, i) in approx for i in per_value[v])]:
                if any(v * 0.9 < w < v * 1.1 and not (set(per_value[v]) & s) for w, s in exact):
                    del per_value[v]
        total = sum(v * max(c.values()) for v, c in per_value.items())
        return {"amount": am.as_number(total), "currency": currency}

    _CRIMINAL_CTX = re.compile(r"sentenc|criminal|pleaded guilty|pled guilty|convicted|u\.s\. district judge")
    _CRIMINAL_TITLE = re.compile(r"\b(sentenced|sentence|pleads? guilty|pled guilty|pleaded guilty|indicted|convicted|"
                                 r"guilty verdict|arrested|criminal|criminally|guilty of|found guilty|sentences)\b")

    _SETTLED = ("without admitting or denying", "agreed to settle", "to settle the charges", "to settle these charges",
                "to settle its charges", "to settle their charges", "consented to the entry", "consented to entry",
                "consenting to the entry", "judgment on consent", "judgments on consent", "consent judgment",
                "settled matter", "settled action", "settled administrative", "agreed to pay", "agreed to be",
                "agreed to the entry", "agreed to a judgment", "agreed to lifetime", "stipulation",
                "settles charges", "settle charges", "resolved its case", "settled charges", "by consent",
                "consent final judgment", "consented to a judgment", "consented to judgment", "entered on consent",
                "as part of the settlement", "settles all charges", "partially settle", "settles sec charges",
                "settle sec charges", "settled sec charges", "settle sec action", "settles sec action")
    _JUDGMENT = ("final judgment", "verdict", "summary judgment", "default judgment", "court of appeals",
                 "judgment against", "final order", "judgments against", "resolves the", "contempt order",
                 "held in contempt", "found in contempt", "holding him in contempt", "holding her in contempt",
                 "in civil contempt")
    _CHARGED = ("charg", "complaint", "alleg", "filed")

    _STATUS_ORDER = (("settled", _SETTLED), ("judgment", _JUDGMENT), ("charged", _CHARGED))
    _STATUS_CUES = [c for _, cues in _STATUS_ORDER for c in cues]
    _STATUS_OF = [rank for rank, (_, cues) in enumerate(_STATUS_ORDER) for _ in cues]
    _STATUS_AC = _ahocorasick.AhoCorasick(_STATUS_CUES, implementation=_ahocorasick.Implementation.DFA) if _ahocorasick is not None else None
    _SEEKS_BEFORE = re.compile(r"\b(?:seeks?|seeking|sought|asks?|asking|requests?|requesting|moved for|motion for)\b[^.;]{0,12}$")
    _EARLIER = re.compile(r"\b(?:previously|earlier)\b")

    # a release about enforcing a subpoena (`SEC Seeks Court Enforcement of Agency Subpoenas`, `Court Orders X to
    # Produce Documents to SEC`): no litigation stage
    _SUBPOENA_TITLE = re.compile(r"subpoena|to produce documents")
    # a title naming the SEC's own action beside a criminal event (`SEC Obtains Judgment Against X And X Pleads Guilty`)
    _SEC_ACTION_TITLE = re.compile(r"\bsec (?:obtains|settles|charges|files)\b|\bobtains (?:a |final |partial )?(?:final )?"
                                   r"judgments?\b|\bsettles? (?:sec|charges)\b")
    # a title reporting a court's decision after a contest: an appeal, a trial, summary judgment, a finding of liability,
    # contempt
    _DECIDED_TITLE = re.compile(r"\bcourt of appeals\b|\bappeals court\b|\baffirms\b|\bsummary judgment\b|\bjury\b|"
                                r"\bverdict\b|\bbench trial\b|\bafter (?:a )?trial\b|\bfinds? [^.;]{0,60}\bliable\b|"
                                r"\bfound liable\b|\bin (?:civil )?contempt\b|\bviolating court orders?\b")
    # a release announcing that the SEC dropped its case (`SEC Voluntarily Dismisses Claims Against X`): no stage
    _DISMISSAL_TITLE = re.compile(r"\bdismiss(?:es|ed)? (?:all |its |the )?(?:claims|charges|case|action|complaint)")

    def _en_status(self, tl: str, xl: str, issuer: str | None) -> str | None:
        """settled if a settlement cue occurs (not one another party reached earlier: `two other executives previously
        settled charges`), else judgment, else charged; a criminal-case update or a subpoena enforcement is `other`,
        as is an SEC release with no cue at all (one automaton pass finds the cues)."""
        if issuer in self._no_status_issuers:
            return None
        if self._CRIMINAL_TITLE.search(tl) and not self._SEC_ACTION_TITLE.search(tl) or self._SUBPOENA_TITLE.search(tl) or \
                "subpoena enforcement" in xl[:400] or self._DISMISSAL_TITLE.search(tl):
            return "other"  # (not `SEC Obtains Judgment Against X And X Pleads Guilty`: the SEC half is this case's)
        if self._DECIDED_TITLE.search(tl):
            return "judgment"  # a court's decision on a contested case: co-defendants' earlier settlements are history
        both = tl + "\n" + xl  # no cue holds a line break, so none spans the join
        ranks = self._STATUS_OF
        if self._STATUS_AC is not None:
            found = [(ranks[k], s) for k, s, _ in self._STATUS_AC.find_matches_as_indexes(both, overlapping=True)]
        else:  # pragma: no cover - without ahocorasick_rs
            found = [(ranks[k], m.start()) for k, c in enumerate(self._STATUS_CUES) for m in re.finditer(re.escape(c), both)]
        best = None
        for rank, s in found:
            if best is not None and rank >= best:
                continue
            if rank == 1 and self._SEEKS_BEFORE.search(both, max(0, s - 24), s):
                continue  # "the SEC seeks a final judgment": asked for, not obtained
            if rank == 0:
                start = max(both.rfind(". ", 0, s), both.rfind("\n", 0, s), s - 200)
                stop = both.find(". ", s, s + 60)  # (`Homex settled SEC charges earlier this year`)
                if self._EARLIER.search(both, start, stop if stop >= 0 else s + 60):
                    continue
            best = rank
        if best is None:
            return "other" if issuer == "SEC" else None
        return self._STATUS_ORDER[best][0]

    # -------------------------------------------------------------------------------------------- output
    def _result(self, violations: dict[str, str], sanctions: dict[str, str], params: dict[str, dict],
                respondents: list[dict], fine: dict | None, confiscation: dict | None, *, doc_number: str | None,
                issuer: str | None, status: str | None, title: str) -> dict[str, Any]:
        order = self._violation_order
        vids = sorted(violations, key=lambda v: order.get(v, 999))
        evidence = {k: violations[k] for k in vids}
        if not vids:
            vids = ["other"]
            evidence["other"] = "no violation rule matched: " + (title[:80] or "(untitled)")
        sids = list(sanctions)
        for s in sids:
            evidence[s] = sanctions[s]
        return {
            "violations": vids,
            "sanctions": sids,
            "respondents": respondents,
            "fine": fine,
            "confiscation": confiscation,
            "doc_number": doc_number,
            "issuer": issuer,
            "evidence": evidence,
            "sanction_params": {k: v for k, v in params.items() if k in sanctions},
            "status": status,
        }


_DEFAULT: Classifier | None = None


def default_classifier() -> Classifier:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Classifier()
    return _DEFAULT


def classify(title: str, text: str, *, source: str | None = None) -> dict[str, Any]:
    """Classify one notice with the default rules (see Classifier for operator phrases)."""
    return default_classifier().classify(title, text, source=source)


def classify_jsonl(lines: Iterable[str], out: TextIO, classifier: Classifier | None = None) -> int:
    """JSONL {id,title,text,source?} in → JSONL out, same order, "id" first. Returns the count written.

    A line that is not a JSON object with string title/text raises ClassifyInputError naming its line number;
    blank lines are skipped (they hold no notice), nothing else is dropped.
    """
    clf = classifier or default_classifier()
    n = 0
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ClassifyInputError(f"line {lineno}: not valid JSON ({exc.msg} at column {exc.colno})") from None
        if not isinstance(rec, dict):
            raise ClassifyInputError(f"line {lineno}: expected a JSON object, got {type(rec).__name__}")
        title, text = rec.get("title"), rec.get("text")
        if title is None and text is None:
            raise ClassifyInputError(f"line {lineno}: needs a 'title' or 'text' field")
        if not isinstance(title or "", str) or not isinstance(text or "", str):
            raise ClassifyInputError(f"line {lineno}: 'title' and 'text' must be strings")
        source = rec.get("source")
        res = clf.classify(title or "", text or "", source=source if isinstance(source, str) else None)
        out.write(json.dumps({"id": rec.get("id"), **res}, ensure_ascii=False) + "\n")
        n += 1
    return n
