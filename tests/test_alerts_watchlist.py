"""Watchlist matching: every variant the issue lists, table-driven, and each hit says why."""

import pytest

from alerts.watchlist import compile_watchlist, match_entities, norm, strip_suffix
from monitor.config import WatchEntity

ENT = WatchEntity(
    name="上海某某投资管理有限公司",
    aliases=["某某投资", "Moumou Capital"],
    credit_code="91310000MA1FL1AB2C",
    amac_id="P1001234",
    former_names=["Shanghai Moumou Asset Management Co., Ltd."],
)

CASES = [
    # (title, text, respondents, expected method or None, expected matched text)
    ("关于对上海某某投资管理有限公司的纪律处分决定", "", [], "exact", "上海某某投资管理有限公司"),
    ("纪律处分决定书", "当事人：上海某某投资管理有限责任公司（以下简称某某）", [], "exact", "上海某某投资管理有限责任公司"),
    ("纪律处分决定书", "当事人：上海某某投资管理股份有限公司", [], "exact", "上海某某投资管理股份有限公司"),
    ("纪律处分决定书", "当事人：上海某某投资管理（有限合伙）", [], "exact", "上海某某投资管理（有限合伙）"),
    ("纪律处分决定书", "当事人：上海 某某 投资管理 有限公司", [], "exact", "上海 某某 投资管理 有限公司"),
    ("紀律處分決定書", "當事人：上海某某投資管理有限公司", [], "exact", "上海某某投資管理有限公司"),  # 繁体
    ("处分决定", "ＳＨＡＮＧＨＡＩ　ＭＯＵＭＯＵ ＡＳＳＥＴ ＭＡＮＡＧＥＭＥＮＴ ＣＯ．，ＬＴＤ．", [], "alias",
     "ＳＨＡＮＧＨＡＩ　ＭＯＵＭＯＵ ＡＳＳＥＴ ＭＡＮＡＧＥＭＥＮＴ ＣＯ．，ＬＴＤ．"),  # 全角 English former name
    ("处分决定", "Shanghai Moumou Asset Management Limited failed to file", [], "alias",
     "Shanghai Moumou Asset Management Limited"),
    ("处分决定", "the firm, MOUMOU CAPITAL, Inc., was censured", [], "alias", "MOUMOU CAPITAL"),
    ("处分决定", "经查，某某投资存在未备案行为", [], "alias", "某某投资"),
    ("处分决定", "统一社会信用代码：91310000MA1FL1AB2C", [], "code", "91310000MA1FL1AB2C"),
    ("处分决定", "统一社会信用代码：９１３１００００ＭＡ１ＦＬ１ＡＢ２Ｃ", [], "code", "９１３１００００ＭＡ１ＦＬ１ＡＢ２Ｃ"),
    ("处分决定", "登记编号为P1001234的管理人", [], "code", "P1001234"),
    ("处分决定", "", ["上海某某投资管理有限公司"], "exact", "上海某某投资管理有限公司"),
    # invisible characters (word joiner, bidi override) inside a name do not hide it
    ("处分决定", "当事人：上海某某\u2060投资管理\u202e有限公司", [], "exact", "上海某某\u2060投资管理\u202e有限公司"),
    # fuzzy: one character off in a respondent name, and in the title
    ("处分决定", "", ["上海某某投资管里有限公司"], "fuzzy", "上海某某投资管里有限公司"),
    ("关于上海某某投姿管理有限公司的处分", "", [], "fuzzy", None),
    # non-matches
    ("关于对北京华信资产管理有限公司的纪律处分决定", "", [], None, None),
    ("处分决定", "登记编号为P1001235的管理人", [], None, None),
    ("处分决定", "统一社会信用代码：91310000MA1FL1AB2D", [], None, None),
    ("处分决定", "Moumou Capitals Group", [], None, None),  # word boundary
]


@pytest.mark.parametrize("title,text,respondents,method,matched", CASES)
def test_watchlist_variants(title, text, respondents, method, matched):
    hits = match_entities(compile_watchlist([ENT]), title=title, text=text, respondents=respondents, threshold=88)
    if method is None:
        assert hits == []
        return
    assert len(hits) == 1
    hit = hits[0]
    assert hit["entity"] == ENT.name
    assert hit["method"] == method
    assert set(hit) == {"entity", "matched_name", "span", "field", "score", "method"}
    if matched is not None:
        assert hit["matched_name"] == matched
    if hit["span"] is not None:
        source = {"title": title, "text": text}[hit["field"]]
        s, e = hit["span"]
        assert source[s:e] == hit["matched_name"]
    assert (hit["score"] == 100) == (method != "fuzzy")
    if method == "fuzzy":
        assert 88 <= hit["score"] < 100


def test_fuzzy_threshold_is_the_subscriptions():
    ents = compile_watchlist([ENT])
    kw = dict(title="处分决定", text="", respondents=["上海某某投资管里有限公司"])
    assert match_entities(ents, threshold=90, **kw)
    assert match_entities(ents, threshold=99, **kw) == []


def test_plain_string_entries_and_individuals():
    ents = compile_watchlist(["张三", "Acme Ltd"])
    hits = match_entities(ents, title="关于对张三采取市场禁入措施的决定", text="ACME LIMITED was fined", threshold=90)
    assert {(h["entity"], h["method"]) for h in hits} == {("张三", "exact"), ("Acme Ltd", "exact")}


def test_short_core_is_not_matched_alone():
    # "某某有限公司" without its suffix is "某某": too generic to match every 某某 in a text
    hits = match_entities(compile_watchlist(["某某有限公司"]), title="某某证券", text="", threshold=95)
    assert hits == []


@pytest.mark.parametrize("raw,expected", [
    ("上海某某投资管理有限公司", "上海某某投资管理"),
    ("上海某某（有限合伙）", "上海某某"),
    ("Acme Co., Ltd.", "acme"),
    ("ACME Inc.", "acme"),
    ("Acme Company Limited", "acme"),
])
def test_strip_suffix(raw, expected):
    assert strip_suffix(norm(raw)) == expected
