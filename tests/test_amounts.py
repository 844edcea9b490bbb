"""monitor.amounts: Chinese numerals, 万元/亿元 units, English amounts with scales and currencies."""

import pytest

from monitor.amounts import find_amounts_en, find_amounts_zh, parse_amount_en, parse_cn_number


@pytest.mark.parametrize("s, n", [
    ("五十", 50), ("一百二十", 120), ("十二", 12), ("三千五百万", 35_000_000), ("两亿三千万", 230_000_000),
    ("二〇二一", 2021), ("一千零五", 1005), ("十", 10), ("伍拾", 50), ("abc", None), ("", None),
])
def test_parse_cn_number(s, n):
    assert parse_cn_number(s) == n


@pytest.mark.parametrize("text, values", [
    ("处以五十万元罚款", [500_000]),
    ("并处一百二十万元罚款", [1_200_000]),
    ("罚款3,000,000元", [3_000_000]),
    ("没收违法所得578.99万元", [5_789_900]),
    ("罚没金额1.5亿元", [150_000_000]),
    ("罚款3千万元", [30_000_000]),
    ("罚款50万", [500_000]),                      # news style without 元
    ("累计买入43,298,547股", []),                  # shares are not money
    ("实际盈利合计20,702,846.4元", [20_702_846.4]),
    ("对A处以10万元罚款,对B处以5万元罚款", [100_000, 50_000]),
])
def test_find_amounts_zh(text, values):
    assert [a.value for a in find_amounts_zh(text)] == values


@pytest.mark.parametrize("text, values", [
    ("a civil penalty of $80,000", [(80_000, "USD")]),
    ("civil penalties of $1.14m (firm) and $500,000 (principal)", [(1_140_000, "USD"), (500_000, "USD")]),
    ("a financial penalty of £22,885,000", [(22_885_000, "GBP")]),
    ("nearly $17.9 million to settle", [(17_900_000, "USD")]),
    ("disgorgement of $21,167.05", [(21_167.05, "USD")]),
])
def test_find_amounts_en(text, values):
    assert [(a.value, a.currency) for a in find_amounts_en(text)] == values


def test_bare_figure_takes_the_default_currency():
    a = parse_amount_en("a financial penalty of 1,200,000; and", default_currency="GBP")
    assert (a.value, a.currency) == (1_200_000, "GBP")
    assert parse_amount_en("in 2016 the firm", default_currency="GBP") is None


@pytest.mark.parametrize("text", ["9" * 400 + "元", "一" * 400 + "元", "一" + "亿" * 60 + "元", "$" + "9" * 400,
                                  "9" * 400, "$9" + "9" * 20 + " billion", "2" * 17 + "元"])
def test_numerals_beyond_any_real_amount_are_skipped(text):
    assert find_amounts_zh(text) == []
    assert find_amounts_en(text) == []
    assert parse_amount_en(text) is None


def test_largest_plausible_amount_is_still_read():
    assert [a.value for a in find_amounts_zh("罚款9000亿元")] == [900_000_000_000]
    assert parse_amount_en("a penalty of $950 billion").value == 950_000_000_000


def test_classify_skips_an_overflowing_fine():
    from monitor.classify import Classifier

    out = Classifier().classify("行政处罚决定书", "对张三处以" + "一" * 400 + "元罚款。")
    assert out["fine"] is None
    assert "fine" in out["sanctions"]
