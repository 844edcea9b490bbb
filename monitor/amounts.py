"""Money amounts in Chinese and English notices: 五十万元, 一百二十万元, 3,000,000元, 578.99万元, $1.2 million, £22,885,000."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

_DIGIT = {"零": 0, "〇": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3, "四": 4, "肆": 4,
          "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9}
_SMALL = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG = {"万": 10_000, "亿": 100_000_000}
CN_NUM_CHARS = "".join(_DIGIT) + "".join(_SMALL) + "".join(_BIG)
# No real fine, confiscation or penalty comes near this (10^15 yuan or dollars); a figure beyond it is a garbled or
# hostile numeral (400 nines, 亿亿亿…), skipped rather than overflowing float arithmetic.
MAX_AMOUNT = 1e15


def _plausible(v: float) -> bool:
    return math.isfinite(v) and -MAX_AMOUNT <= v <= MAX_AMOUNT


def parse_cn_number(s: str) -> int | None:
    """Chinese numeral to int: 五十 → 50, 一百二十 → 120, 十二 → 12, 三千五百万 → 35000000, 二〇二一 → 2021."""
    s = s.strip()
    if not s or any(ch not in CN_NUM_CHARS for ch in s):
        return None
    if all(ch in _DIGIT for ch in s):  # digit-by-digit form (二〇二一)
        n = 0
        for ch in s:
            n = n * 10 + _DIGIT[ch]
        return n
    total = 0  # sum of completed 亿/万 sections
    section = 0  # value below the current big unit
    digit: int | None = None
    for ch in s:
        if ch in _DIGIT:
            digit = _DIGIT[ch]
        elif ch in _SMALL:
            section += (1 if digit is None else digit) * _SMALL[ch]
            digit = None
        else:  # 万 / 亿
            unit = _BIG[ch]
            section += digit or 0
            digit = None
            if unit == 100_000_000:
                total = (total + section) * unit
            else:
                total += section * unit
            section = 0
    section += digit or 0
    return total + section


def parse_number(s: str) -> float | None:
    """Arabic (with thousands separators) or Chinese numeral; None when not a number or beyond MAX_AMOUNT."""
    s = s.strip().replace(",", "").replace("，", "")
    if not s:
        return None
    try:
        v = float(s)  # 400 digits read as inf, not an error
    except ValueError:
        n = parse_cn_number(s)
        if n is None or n > MAX_AMOUNT:  # a huge int cannot even become a float (OverflowError)
            return None
        v = float(n)
    return v if _plausible(v) else None


def as_number(x: float) -> int | float:
    """Whole amounts as int (500000, not 500000.0); cents kept (21167.05)."""
    if type(x) is float and x.is_integer():  # round(x, 2) of a whole float is x itself
        return int(x)
    r = round(x, 2)
    return int(r) if r == int(r) else r


@dataclass(frozen=True)
class Amount:
    value: int | float
    currency: str
    start: int
    end: int


# 50万元, 五十万元, 3,000,000元, 578.99万元, 1.5亿元, 3千万元, 人民币50万元, 50万 (news style, no 元)
_ZH_AMOUNT = re.compile(
    r"(?:(?P<ar>[0-9][0-9,]*(?:\.[0-9]+)?)\s*(?P<arunit>[十百千]?[万亿]?元|[十百千]?[万亿])"
    r"|(?P<cn>[零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟]+)元)"
    r"(?!股|份|户|笔|手|人|次|个|家|余股)")
_UNIT = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000, "元": 1}


def find_amounts_zh(text: str) -> list[Amount]:
    """Every money amount in (normalised) Chinese text, in yuan."""
    out = []
    for m in _ZH_AMOUNT.finditer(text):
        if m.group("ar") is not None:
            v = parse_number(m.group("ar"))
            mult = 1
            for ch in m.group("arunit"):
                mult *= _UNIT[ch]
        else:
            v = parse_number(m.group("cn"))
            mult = 1
        if v is None or not _plausible(v * mult):
            continue
        out.append(Amount(as_number(v * mult), "CNY", m.start(), m.end()))
    return out


_SYMBOL_CCY = {"$": "USD", "US$": "USD", "USD": "USD", "£": "GBP", "GBP": "GBP", "€": "EUR", "EUR": "EUR",
               "HK$": "HKD", "HKD": "HKD"}
_EN_AMOUNT = re.compile(
    r"(?P<sym>US\$|HK\$|\$|£|€|USD\s?|GBP\s?|EUR\s?|HKD\s?)(?P<num>[0-9][0-9,]*(?:\.[0-9]+)?)"
    r"(?:\s*(?P<scale>million|billion|thousand|mn|bn|m|k)\b)?", re.I)
_SCALE = {"million": 1e6, "mn": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9, "thousand": 1e3, "k": 1e3}
# Figures printed without a currency sign (the FCA scrape drops the pound sign): "a financial penalty of 1,200,000".
_BARE_AMOUNT = re.compile(r"(?P<num>[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]{5,}(?:\.[0-9]+)?)"  # 4 digits: a year
                          r"(?:\s*(?P<scale>million|billion)\b)?")


def _currency(sym: str, default_currency: str) -> str:
    """A bare "$" is the source's own dollar (the SFC writes Hong Kong dollars as "$5 million"); other signs say theirs."""
    sym = sym.strip().upper()
    if sym == "$" and default_currency in ("USD", "HKD"):
        return default_currency
    return _SYMBOL_CCY.get(sym, default_currency)


def find_amounts_en(text: str, *, default_currency: str = "USD") -> list[Amount]:
    """Every amount with a currency sign; values scaled (1.14m → 1140000)."""
    out = []
    for m in _EN_AMOUNT.finditer(text):
        v = parse_number(m.group("num"))
        if v is None:
            continue
        scale = (m.group("scale") or "").lower()
        v *= _SCALE.get(scale, 1.0)
        if not _plausible(v):
            continue
        out.append(Amount(as_number(v), _currency(m.group("sym"), default_currency), m.start(), m.end()))
    return out


def parse_amount_en(s: str, *, default_currency: str = "USD") -> Amount | None:
    """The first amount in s: with a sign, or a bare figure of 4+ digits in the default currency."""
    for m in _EN_AMOUNT.finditer(s):  # find_amounts_en(s)[0], without reading the amounts after it
        v = parse_number(m.group("num"))
        if v is None:
            continue
        scale = m.group("scale")
        if scale:
            v *= _SCALE.get(scale.lower(), 1.0)
        if not _plausible(v):
            continue
        return Amount(as_number(v), _currency(m.group("sym"), default_currency), m.start(), m.end())
    m = _BARE_AMOUNT.search(s)
    if not m:
        return None
    v = parse_number(m.group("num"))
    if v is None:
        return None
    v *= _SCALE.get((m.group("scale") or "").lower(), 1.0)
    if not _plausible(v):
        return None
    return Amount(as_number(v), default_currency, m.start(), m.end())
