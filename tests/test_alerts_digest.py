"""Digests: grouping, labels with evidence, 'nothing new', windows (each notice in exactly one digest), health
footer, previews, and what the HTML may not contain."""

import re
import textwrap
from datetime import datetime, timedelta, timezone

import pytest

from alerts.digest import build_digest, run_digests
from alerts.render import render_digest
from monitor.config import parse_config
from monitor.errors import ConfigError
from tests.support.alert_db import add_notice, add_run, make_db

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=timezone.utc)  # 18:00 Asia/Shanghai


def cfg_for(port=2525, subs="", sources=""):
    return parse_config(textwrap.dedent(f"""
        timezone: Asia/Shanghai
        smtp: {{host: 127.0.0.1, port: {port}, from: regwatch@example.com, timeout: 5}}
        """) + textwrap.dedent(sources) + ("subscriptions:\n" + textwrap.indent(textwrap.dedent(subs), "  ")
                                           if subs else ""))


@pytest.fixture
def db():
    d = make_db()
    add_notice(d, "c1", title="中国证监会行政处罚决定书（张三）", doc_number="〔2026〕12号", violations=["insider_trading"],
               sanctions=["fine", "confiscation"], respondents=["张三"], fine=1_200_000,
               evidence={"insider_trading": "利用内幕信息买入“某某股份”", "fine": "并处以120万元罚款"},
               labels={"evidence": {"insider_trading": "利用内幕信息买入“某某股份”"},
                       "confiscation": {"amount": 350000, "currency": "CNY"}}, first_seen="2026-11-26 02:00")
    add_notice(d, "c2", title="中国证监会行政处罚决定书（李四）", violations=["insider_trading"], sanctions=["fine"],
               respondents=["李四"], fine=300000, first_seen="2026-11-26 03:00")
    add_notice(d, "c3", title="关于对某某股份有限公司采取出具警示函措施的决定", issuer="上海证监局",
               violations=["disclosure_violation"], sanctions=["warning_letter"], respondents=["某某股份有限公司"],
               first_seen="2026-11-26 04:00")
    add_notice(d, "a1", source="amac", title="关于对北京某某基金管理有限公司的纪律处分决定书",
               violations=["unfiled_product", "public_solicitation"], sanctions=["filing_suspension"],
               respondents=["北京某某基金管理有限公司"], evidence={"unfiled_product": "募集完成后未向协会备案"},
               labels={"evidence": {"unfiled_product": "募集完成后未向协会备案"},
                       "sanction_params": {"filing_suspension": {"months": 6}}}, first_seen="2026-11-26 05:00")
    add_notice(d, "old", title="旧公告", violations=["other"], first_seen="2026-11-20 05:00")
    add_run(d, "csrc", "ok", started="2026-11-26 09:00")
    return d


def test_grouped_by_regulator_then_violation(db):
    dg = build_digest(db, cfg_for(), None, since=NOW - timedelta(days=1), until=NOW)
    assert dg.total == 4
    shape = [(g["source"], g["count"], [(v["id"], v["count"]) for v in g["violations"]]) for g in dg.groups]
    assert shape == [("csrc", 3, [("insider_trading", 2), ("disclosure_violation", 1)]),
                     ("amac", 1, [("unfiled_product", 1)])]
    c1 = dg.groups[0]["violations"][0]["notices"][0]
    assert c1["id"] == "c1" and c1["doc_number"] == "〔2026〕12号" and c1["respondents"] == ["张三"]
    assert c1["url"] == "https://www.csrc.gov.cn/notice/c1.html"
    assert c1["severity"] == "high"  # fine ≥ 1,000,000 CNY
    subject, text, html = render_digest(dg)
    assert "4 条新处分公告" in subject
    for s in ("中国证监会 CSRC", "内幕交易", "120 万元（1,200,000 元）", "35 万元（350,000 元）", "利用内幕信息买入“某某股份”",
              "6 个月", "募集完成后未向协会备案", "https://www.csrc.gov.cn/notice/c1.html", "〔2026〕12号", "上海证监局"):
        assert s in text, s
    assert "利用内幕信息买入“某某股份”" in html and 'href="https://www.csrc.gov.cn/notice/c1.html"' in html
    assert text.index("中国证监会 CSRC") < text.index("中国证券投资基金业协会 AMAC")
    assert "旧公告" not in text


def test_nothing_new_says_since_when(db):
    since = datetime(2026, 11, 27, 10, 0, tzinfo=timezone.utc)
    dg = build_digest(db, cfg_for(), None, since=since, until=since + timedelta(days=1))
    subject, text, html = render_digest(dg)
    assert dg.total == 0
    assert "nothing new" in subject
    assert "No new notices since 2026-11-27 18:00" in text and "自 2026-11-27 18:00 以来没有新的处分公告" in text
    assert "No new notices since 2026-11-27 18:00" in html
    assert "Source health" in text and "中国证监会 CSRC" in text  # the footer is there on empty days too


def test_subscription_filters_apply(db):
    cfg = cfg_for(subs="""\
        - {name: amac-only, to: x@example.com, sources: [amac]}
        - {name: severe, to: y@example.com, severity: high}
        - {name: kw, to: z@example.com, keywords: [警示函]}
        """)
    got = {s.name: [n["id"] for n in build_digest(db, cfg, s, since=NOW - timedelta(days=1), until=NOW).notices]
           for s in cfg.subscriptions}
    assert got == {"amac-only": ["a1"], "severe": ["c1"], "kw": ["c3"]}


def test_window_moves_only_when_sent_so_each_notice_is_in_one_digest(db, smtp_sink):
    cfg = cfg_for(smtp_sink.port, subs="- {name: daily, to: [d@example.com], mode: daily}\n")
    preview = run_digests(db, cfg, now=NOW)
    assert preview.digests[0].count == 4 and "digest_state" in db.table_names()
    assert list(db.query("select * from digest_state")) == []  # a preview does not move the window
    first = run_digests(db, cfg, send=True, now=NOW)
    assert first.digests[0].count == 4 and first.flush.sent == 1 and first.exit_code == 0
    add_notice(db, "late", title="迟到的公告", violations=["other"], first_seen="2026-11-26 10:00")  # == until: next one
    second = run_digests(db, cfg, send=True, now=NOW + timedelta(days=1))
    assert [n["id"] for n in second.digests[0].digest.notices] == ["late"]
    third = run_digests(db, cfg, send=True, now=NOW + timedelta(days=2))
    assert third.digests[0].count == 0
    msgs = smtp_sink.wait_for(3)
    assert [m.message["Subject"].split(": ", 1)[1] for m in msgs] == [
        "4 条新处分公告 / new notices (2026-11-26)", "1 条新处分公告 / new notices (2026-11-27)",
        "无新公告 / nothing new (2026-11-28)"]


def test_a_notice_reaches_a_recipient_in_one_digest_only(db, smtp_sink):
    cfg = cfg_for(smtp_sink.port, subs="""\
        - {name: all, to: [same@example.com, other@example.com], mode: daily}
        - {name: csrc, to: [same@example.com], mode: daily, sources: [csrc]}
        """)
    run_digests(db, cfg, send=True, now=NOW)
    by_rcpt = {}
    for m in smtp_sink.wait_for(3):
        by_rcpt.setdefault(m.rcpt_tos[0], []).append(m.message.get_body(("plain",)).get_content())
    assert len(by_rcpt["same@example.com"]) == 2
    assert sum("中国证监会行政处罚决定书（张三）" in body for body in by_rcpt["same@example.com"]) == 1
    assert "中国证监会行政处罚决定书（张三）" in by_rcpt["other@example.com"][0]


def test_date_gives_that_local_day(db):
    res = run_digests(db, cfg_for(), date="2026-11-20", now=NOW)
    assert [n["id"] for n in res.digests[0].digest.notices] == ["old"]


def test_no_subscriptions_preview_writes_all_sources(db, tmp_path):
    res = run_digests(db, cfg_for(), out=tmp_path, now=NOW)
    assert sorted(p.name for p in res.written) == ["digest.html", "digest.txt"]
    html = (tmp_path / "digest.html").read_text(encoding="utf-8")
    assert "all sources" in html and "中国证监会行政处罚决定书（张三）" in html


def test_several_subscriptions_preview(db, tmp_path):
    cfg = cfg_for(subs="""\
        - {name: 甲, to: x@example.com}
        - {name: b, to: y@example.com, mode: weekly}
        """)
    res = run_digests(db, cfg, out=tmp_path, now=NOW)
    names = sorted(str(p.relative_to(tmp_path)) for p in res.written)
    assert names == ["b/digest.html", "b/digest.txt", "digest.html", "digest.txt", "甲/digest.html", "甲/digest.txt"]
    assert res.digests[1].count == 5  # weekly: first window is a week, includes 'old'


def test_dry_run_writes_and_records_nothing(db, tmp_path):
    cfg = cfg_for(subs="- {name: d, to: x@example.com}\n")
    res = run_digests(db, cfg, out=tmp_path, send=True, dry_run=True, now=NOW)
    assert res.digests[0].count == 4 and res.written == [] and res.flush is None
    assert list(tmp_path.iterdir()) == []
    assert list(db.query("select * from deliveries")) == []


def test_unknown_subscription_is_a_config_error(db):
    with pytest.raises(ConfigError, match="no subscription named 'nope'"):
        run_digests(db, cfg_for(), subscription="nope", now=NOW)


def test_health_footer_failing_and_silent(db):
    add_run(db, "amac", "failed", started="2026-11-26 08:00", error="BlockedError: WAF page (请求已中断)")
    add_run(db, "amac", "failed", started="2026-11-26 09:00", error="BlockedError: WAF page (请求已中断)")
    add_notice(db, "s1", source="sse", title="上交所纪律处分", published="2026-10-01", first_seen="2026-10-01 01:00")
    add_run(db, "sse", "ok", started="2026-11-26 09:00")
    cfg = cfg_for(sources="""\
        sources:
          sse: {expected_cadence_days: 10}
          csrc: {}
        """)
    _, text, html = render_digest(build_digest(db, cfg, None, since=NOW - timedelta(days=1), until=NOW))
    assert "✗ 中国证券投资基金业协会 AMAC: 连续 2 次抓取失败 / failing — BlockedError: WAF page (请求已中断)" in text
    assert re.search(r"⚠ 上海证券交易所 SSE: 5\d\.\d 天无新公告 \(通常 ≤ 10\.0 天\)", text)
    assert "✓ 中国证监会 CSRC" in text
    assert "连续 2 次抓取失败" in html


def test_untrusted_strings_are_escaped_and_cleaned(db):
    add_notice(db, "x", title="<script>alert('x')</script>\r\nBcc: v@example.com \u202eevil\u0007",
               text="正文" * 5000, respondents=['<img src=x onerror=alert(1)>'], violations=["other"],
               url="javascript:alert(1)", first_seen="2026-11-26 06:00")
    dg = build_digest(db, cfg_for(), None, since=NOW - timedelta(days=1), until=NOW)
    subject, text, html = render_digest(dg)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "href=\"javascript" not in html.lower()  # shown as text at most, never a link
    assert "\u202e" not in html and "\u202e" not in text and "\x07" not in text
    assert "<script>alert('x')</script> Bcc: v@example.com evil" in text  # plain text keeps it, on one line
    assert len(html) < 200_000


def test_html_is_mail_client_safe(db):
    _, _, html = render_digest(build_digest(db, cfg_for(), None, since=NOW - timedelta(days=1), until=NOW))
    low = html.lower()
    assert "<style" not in low  # inlined by css_inline
    assert "flex" not in low and "grid" not in low and "position:" not in low.replace(" ", "")
    assert "<link" not in low and "<script" not in low and "@import" not in low
    assert not re.search(r"""src=["']?https?:""", low)  # no external assets
    assert 'style="' in html and "<table" in low and 'role="presentation"' in low
    assert "Microsoft YaHei" in html and "PingFang SC" in html  # CJK-safe font stack
    assert '<meta charset="utf-8">' in low


def test_silent_baseline_notices_are_not_in_digests(db):
    db["notices"].add_column("alert_state", str)
    db.execute("update notices set alert_state = 'baseline' where id = 'c3'")
    db.execute("update notices set alert_state = 'done' where id != 'c3'")
    dg = build_digest(db, cfg_for(), None, since=NOW - timedelta(days=1), until=NOW)
    assert sorted(dg.notice_ids) == ["a1", "c1", "c2"]
