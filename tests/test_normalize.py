"""monitor.normalize: 繁→简, width folding, CJK-internal spaces, clause and sentence splitting."""

import pytest

from monitor.normalize import detect_lang, normalize_en, normalize_zh, split_clauses_zh, split_sentences_en


@pytest.mark.parametrize("raw, expected", [
    ("当 事 人：毛 崴，男", "当事人:毛崴,男"),                           # typesetting spaces, full-width punctuation
    ("深交所下發關于對匯納科技的監管函", "深交所下发关于对汇纳科技的监管函"),  # traditional → simplified
    ("创业板监管函〔2024〕第 61 号", "创业板监管函〔2024〕第61号"),          # digits spaced from CJK
    ("股票交易异常波\n动公告", "股票交易异常波动公告"),                      # a wrapped line is joined
    ("一是违规。\n\n二是违规。", "一是违规。\n\n二是违规。"),                  # blank lines stay
    ("罚款５０万元（人民币）", "罚款50万元(人民币)"),                        # full-width digits and brackets
    ("", ""),
])
def test_normalize_zh(raw, expected):
    assert normalize_zh(raw) == expected


def test_normalize_en_quotes_and_spaces():
    assert normalize_en("the SEC\u2019s  \u201ccase\u201d \u2014 settled") == "the SEC's \"case\" - settled"


@pytest.mark.parametrize("title, text, lang", [
    ("关于对某公司采取出具警示函措施的决定", "", "zh"),
    ("SEC Charges Adviser", "The Commission charged an adviser with fraud.", "en"),
    ("", "The SEC filed charges against 上海某某 Ltd. in federal court for running an offering fraud." * 3, "en"),
])
def test_detect_lang(title, text, lang):
    assert detect_lang(title, text) == lang


def test_split_clauses_zh_on_enumerators_and_semicolons():
    text = "一是未履行谨慎勤勉义务。二是未合理履行信息披露义务;(一)对A给予警告,并处以50万元罚款;1、对B进行公开谴责。2.对C"
    pieces = [text[a:b] for a, b in split_clauses_zh(text)]
    assert pieces == ["一是未履行谨慎勤勉义务。", "二是未合理履行信息披露义务;", "(一)对A给予警告,并处以50万元罚款;",
                      "1、对B进行公开谴责。", "2.对C"]


def test_split_clauses_keeps_decimals_and_article_numbers():
    text = "成交数量占申报量的0.38%,违反第5.1.1条。"
    assert [text[a:b] for a, b in split_clauses_zh(text)] == [text]


def test_split_sentences_en_abbreviations_and_missing_spaces():
    text = ("The SEC charged Mr. Smith of Acme Inc. with fraud. The complaint seeks penalties.The court entered "
            "judgment. See Litigation Release No. 23031 (June 26, 2014). J. Doe paid $1.5 million.")
    got = [text[a:b] for a, b in split_sentences_en(text)]
    assert got == ["The SEC charged Mr. Smith of Acme Inc. with fraud.", "The complaint seeks penalties.",
                   "The court entered judgment.", "See Litigation Release No. 23031 (June 26, 2014).",
                   "J. Doe paid $1.5 million."]


def test_split_sentences_en_initials_and_a_lost_space_after_a_suffix():
    # letters joined by dots are initials (T.E., M.B.A.), not a sentence's end; a suffix's stop followed straight
    # by a word (the scrape lost the space: `Inc.In its complaint`) still ends the sentence
    text = ("The SEC sued Andrew T.E. Coldicutt and H.J. Heinz Company. He has an M.B.A. from Yale. The CEO of "
            "AVEO Pharmaceuticals, Inc.In its complaint the SEC alleged fraud. The SEC sued Ronald A. Fossum, "
            "Jr.According to the complaint he lied.")
    got = [text[a:b] for a, b in split_sentences_en(text)]
    assert got == ["The SEC sued Andrew T.E. Coldicutt and H.J. Heinz Company.", "He has an M.B.A. from Yale.",
                   "The CEO of AVEO Pharmaceuticals, Inc.", "In its complaint the SEC alleged fraud.",
                   "The SEC sued Ronald A. Fossum, Jr.", "According to the complaint he lied."]


@pytest.mark.parametrize("ch", ["\u202e", "\u2060", "\u200d", "\u00ad", "\u2066", "\U000e0041", "\u200b", "\ufeff"])
def test_format_characters_are_dropped_in_both_normalisers(ch):
    assert normalize_zh(f"内幕{ch}交易") == "内幕交易"
    assert normalize_en(f"insider{ch} trad{ch}ing") == "insider trading"


def test_format_characters_do_not_hide_a_violation_and_evidence_stays_verbatim():
    from monitor.classify import classify

    title, text = "行政处罚决定书", "经查,当事人从事内\u2060幕交易,违反《证券法》第五十条。"
    out = classify(title, text)
    assert "insider_trading" in out["violations"]
    assert out["evidence"]["insider_trading"] in normalize_zh(text)
    out = classify("SEC Charges Trader", "The SEC charged John Doe with in\u202esider trad\u00ading in Acme stock.")
    assert "insider_trading" in out["violations"]
    assert out["evidence"]["insider_trading"] in normalize_en(
        "The SEC charged John Doe with in\u202esider trad\u00ading in Acme stock.")
