"""Text normalisation before classification: traditional→simplified, full→half width, stray spaces, clauses.

Offsets matter: evidence spans are cut from the normalised text, so every rule (and every operator phrase) is
passed through the same `normalize_zh` / `normalize_en` before it is compiled.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

from monitor.models import FORMAT_CHARS

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_NON_CJK_RUN = re.compile(f"[^{_CJK}]+")
# One pass over whitespace, by maximal runs (a character-class start lets sre skip ahead); the callback decides from
# the neighbours (lookbehinds on every position are slow). A run with one line break is one piece; in a run with
# k ≥ 2 breaks each piece borders a break, so each becomes "\n".
_WS_RUN = re.compile(r"[ \t\u3000\u00a0\n]+")
_MANY_NL = re.compile(r"\n\s*\n\s*(?:\n\s*)+")

# NFKC maps full-width ASCII to half width but leaves CJK punctuation alone; keep the ideographic brackets
# used in document numbers (〔〕) and map the few remaining variants by hand.
_PUNCT_MAP = {"【": "[", "】": "]", "〖": "[", "〗": "]", "﹝": "〔", "﹞": "〕", "\u2002": " ", "\u2003": " ",
              "\u2009": " ", "\u200b": "", "\ufeff": "", "\u2018": "'", "\u2019": "'", "\r": ""}
# Format characters (bidi overrides, word joiner, zero-width and soft hyphen, tag characters: monitor.models.FORMAT_CHARS)
# are invisible and split words (内\u2060幕交易): dropped in the same pass. Evidence is cut from the normalised text,
# so it stays verbatim in it.
_PUNCT = re.compile("[" + "".join(re.escape(k) for k in _PUNCT_MAP) + FORMAT_CHARS + "]")
# The same class without its characters beyond the BMP (a class holding those is tested item by item, slowly), for
# the usual text that has no such character at all (one range test finds out).
_FORMAT_BMP = re.sub("[\U00010000-\U0010ffff](?:-[\U00010000-\U0010ffff])?", "", FORMAT_CHARS)
_PUNCT_BMP = re.compile("[" + "".join(re.escape(k) for k in _PUNCT_MAP) + _FORMAT_BMP + "]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _punct(m: re.Match[str]) -> str:
    return _PUNCT_MAP.get(m.group(), "")


def _ws_run(m: re.Match[str]) -> str:
    k = m.group().count("\n")
    if k >= 2:
        return "\n" * k
    s = m.string
    a, b = m.span()
    prev = s[a - 1] if a else ""
    nxt = s[b] if b < len(s) else ""
    if k:
        # A single line break between CJK characters is a wrapped line (PDF/HTML extraction); blank lines stay.
        if prev and nxt and prev != "\n" and nxt != "\n" and (_is_cjk(prev) or prev in "，、（“") and (
                _is_cjk(nxt) or nxt in "）”") and not _FIELD_LINE.match(s, b):
            return ""  # (a line that starts a form field, 当事人名称：…, is a new line, not a wrapped one)
        return "\n"
    # Spaces between CJK characters are typesetting (`当 事 人`, `毛 崴`, `第 61 号`), never word breaks.
    if prev and nxt and ((_is_cjk(prev) and (_is_cjk(nxt) or nxt.isdigit())) or (prev.isdigit() and _is_cjk(nxt))):
        return ""
    return " "


# A line that starts a form field (当事人名称：…) or a new paragraph of a decision (经查，… / 根据… / 我局决定…).
_FIELD_LINE = re.compile(r"[\u4e00-\u9fff（）()、]{2,24}[:：]|(?:经查|经审理|经调查|依据|根据|综上|鉴于|当事人|我会|我局|本会|本所|"
                         r"协会决定|[一二三四五六七八九十]+、)")


def _is_cjk(ch: str) -> bool:
    o = ord(ch)
    return 0x3400 <= o <= 0x4DBF or 0x4E00 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _traditional_chars() -> re.Pattern[str]:
    """Characters that opencc's t2s maps to something else: a cheap test whether conversion is needed at all."""
    conv = _t2s()
    block = "".join(chr(c) for c in range(0x4E00, 0xA000))
    out = conv.convert(block)
    if len(out) != len(block):  # phrase-level rewrites changed lengths: fall back to per-char comparison
        trad = [ch for ch in block if conv.convert(ch) != ch]
    else:
        trad = [a for a, b in zip(block, out) if a != b]
    return re.compile("[" + "".join(re.escape(c) for c in trad) + "]")


def detect_lang(title: str, text: str) -> str:
    """'zh' when CJK characters make up a visible share of the text, else 'en'."""
    sample = (title or "") + (text or "")[:2000]
    if not sample:
        return "en"
    if sample.isascii():
        return "en"
    k = max(4, -(-len(sample) // 20))  # zh: at least k CJK characters (4, and a twentieth of the sample)
    if k <= _AT_LEAST_MAX:
        rx = _AT_LEAST.get(k)
        if rx is None:
            rx = _AT_LEAST[k] = re.compile(f"(?:[^{_CJK}]*+[{_CJK}]){{{k}}}")
        return "zh" if rx.match(sample) is not None else "en"  # one pass that stops at the k-th
    n = len(_NON_CJK_RUN.sub("", sample))  # the CJK characters, counted without a string per run
    return "zh" if n >= 4 and n * 20 >= len(sample) else "en"


# detect_lang: k → a pattern matching a text's opening up to its k-th CJK character (k ≤ _AT_LEAST_MAX: a bounded set)
_AT_LEAST: dict[int, re.Pattern[str]] = {}
_AT_LEAST_MAX = 200


def to_simplified(text: str) -> str:
    """繁→简 via opencc, skipped when the text holds no traditional character (the common case)."""
    if _traditional_chars().search(text) is None:
        return text
    return _t2s().convert(text)


def normalize_zh(text: str) -> str:
    """NFKC width folding, format characters dropped, 繁→简, CJK-internal spaces and wrapped lines removed, blank-line
    runs collapsed."""
    if not text:
        return ""
    s = unicodedata.normalize("NFKC", text)
    s = (_PUNCT if _ASTRAL.search(s) else _PUNCT_BMP).sub(_punct, s)
    s = to_simplified(s)
    s = _WS_RUN.sub(_ws_run, s)
    s = _MANY_NL.sub("\n\n", s)
    if "(" in s and _STOCK_QUOTE.search(s):
        s = _STOCK_QUOTE.sub("", s)
    return s.strip()


# A stock quote a news wire inserts after a company's short name, sometimes inside its full name:
# 拓维信息(SZ 002261,收盘价:10.11元)系统股份有限公司.
_STOCK_QUOTE = re.compile(r"\((?:SZ|SH|BJ|HK|sz|sh)\s?\d{5,6}[,;][^()]{0,24}\)|\(\d{6}\.(?:SZ|SH|BJ)[,;][^()]{0,24}\)")


_EN_MAP = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-",
           "\u00a0": " ", "\u200b": "", "\ufeff": "", "\r": ""}
_EN_FIX = re.compile("[" + "".join(_EN_MAP) + FORMAT_CHARS + "]")
_EN_FIX_BMP = re.compile("[" + "".join(_EN_MAP) + _FORMAT_BMP + "]")  # for text without astral characters


def _en_fix(m: re.Match[str]) -> str:
    return _EN_MAP.get(m.group(), "")
_SPACE_RUN = re.compile(r"[ \t]{2,}")
_NBSP_MOJIBAKE = re.compile("\u00c2(?=[\u00a0 ]|$)")


def normalize_en(text: str) -> str:
    """Typographic quotes and dashes to ASCII, format characters dropped, runs of spaces collapsed."""
    if not text:
        return ""
    s = text
    if "&" in s and ";" in s:  # HTML entities left by a scrape (Dewey &amp; LeBoeuf)
        s = html.unescape(s)
    if "\u00c2" in s:  # a no-break space decoded as Latin-1 ("Â\u00a0"): mojibake, not a letter
        s = _NBSP_MOJIBAKE.sub("", s)
    if not s.isascii() or "\r" in s:
        s = (_EN_FIX if _ASTRAL.search(s) else _EN_FIX_BMP).sub(_en_fix, s)
    if "  " in s or "\t" in s:
        s = _SPACE_RUN.sub(" ", s)
    return s.strip()


# Clause boundaries in Chinese decisions: sentence ends, semicolons, and enumerators (一是/二是, (一)/(二),
# 一、/二、, 1./2./1、) which start a new item even mid-line.
# They are found by consuming patterns that start with a character class (sre then skips ahead cheaply instead of
# trying a zero-width match at every offset): a stop cuts after itself, an enumerator before itself.
_ZH_NUM = "一二三四五六七八九十"
_ZH_CUT = re.compile(rf"[。;；!！?？\n]|[{_ZH_NUM}(（0-9](?:(?<=[{_ZH_NUM}])[{_ZH_NUM}]*[是、]|(?<=\()[{_ZH_NUM}]+\)"
                     rf"|(?<=（)[{_ZH_NUM}]+）|(?<=[0-9])(?<![0-9.][0-9])[0-9]?[、.](?![0-9]))")


def split_clauses_zh(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of clauses; empty pieces dropped. Commas do not split: they bind a sanction list."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _ZH_CUT.finditer(text):
        a = m.start()
        if a and text[a] in _ZH_NUM and "\u4e00" <= text[a - 1] <= "\u9fff" and text[a - 1] not in _ZH_NUM:
            continue  # a numeral glued to a word is part of it: 赵六、钱七, 股东之一、, not item 六/一
        cut = a + 1 if text[a] in "。;；!！?？\n" else a
        if cut > pos:
            spans.append((pos, cut))
            pos = cut
    if pos < len(text):
        spans.append((pos, len(text)))
    return [(a, b) for a, b in spans if not text[a:b].isspace()]  # (spans are never empty)


# English sentences end at . ! ? before an upper-case start (also with the SEC scrape's missing space,
# `...penalties.The SEC`, and its `., ` joins), unless the word before the stop is an abbreviation or an initial.
_EN_STOP = re.compile(r"[.!?]+(?=[\"')\]]?(?:,\s*|\s+)?[\"'(\[]?[A-Z0-9])")
_EN_ABBR = frozenset("no nos inc co corp ltd jr sr mr ms mrs dr st v vs al rel llc l.l.c n.a u.s s.a p.c l.p e.g i.e "
                     "jan feb mar apr jun jul aug sep sept oct nov dec gen gov lt col sgt mt ft ave blvd dist cir cal fla "
                     "tex mass n.y d.c ill wash pa va ga ariz nev colo conn mich minn okla ore tenn wis calif".split())


def _initials(word: str) -> bool:
    """Letters joined by dots (t.e, j.p): initials, as in Andrew T.E. Coldicutt, not a sentence's last word."""
    return len(word) >= 3 and len(word) % 2 == 1 and word[1::2] == "." * (len(word) // 2) and word[::2].isalpha()


def split_sentences_en(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of sentences. Cheap: stop characters are found with str.find, each checked with one
    anchored match of _EN_STOP (the same matches as scanning with it), abbreviations checked in Python; leading
    spaces/commas/line breaks of each sentence are skipped as it is cut."""
    out: list[tuple[int, int]] = []
    pos = 0
    n = len(text)
    abbr = _EN_ABBR
    cands: list[int] = []
    find = text.find
    for ch in ".!?":
        i = find(ch)
        while i >= 0:
            cands.append(i)
            i = find(ch, i + 1)
    if "!" in text or "?" in text:
        cands.sort()
    match = _EN_STOP.match
    last = 0
    for a in cands:
        if a < last:
            continue
        m = match(text, a)
        if m is None:
            continue
        b = last = m.end()
        if text[a] == "." and not (a - 6 >= pos and text[a - 6:a].isalpha()):
            # (six letters before the stop: the word is longer than any abbreviation, and no digit)
            sp = text.rfind(" ", pos, a) + 1
            word = text[sp if sp > pos else pos:a]
            if not word.isalpha():
                w = a
                while w > pos and (text[w - 1].isalpha() or text[w - 1] == "."):
                    w -= 1
                word = text[w:a]
            if len(word) < 6:  # no abbreviation is longer than 5 characters
                word = word.lower()
                if (word in abbr or (len(word) == 1 and word.isalpha()) or _initials(word)) and not (
                        len(word) > 1 and b == a + 1 and b + 1 < n and text[b + 1].islower()):
                    continue  # (but `Inc.In its complaint`: the scrape lost the space after a sentence)
            if b < n and text[b].isdigit() and a > 0 and text[a - 1].isdigit():
                continue
        while pos < b and text[pos] in " ,\n":
            pos += 1
        if pos < b:
            out.append((pos, b))
        pos = b
    while pos < n and text[pos] in " ,\n":
        pos += 1
    if pos < n:
        out.append((pos, n))
    return out
