"""AMAC scraper: pure parsers on the saved pages, then crawl() against the loopback replay of tests/fixtures/amac."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from monitor.errors import BlockedError, ParseError
from monitor.models import Notice
from monitor.replay import ReplayServer
from tests.support.crawl import CrawlRun
from scrapers import amac

FIX = Path(__file__).parent / "fixtures" / "amac"
SITE = "https://www.amac.org.cn"


def read(rel: str) -> str:
    return (FIX / rel).read_text(encoding="utf-8")


SCFJG_1 = amac.parse_list(read("zlgl/jlcf/scfjg/index.html"), amac.page_url("scfjg", 1))
SCFJG_2 = amac.parse_list(read("zlgl/jlcf/scfjg/index_1.html"), amac.page_url("scfjg", 2))
SCFRY_1 = amac.parse_list(read("zlgl/jlcf/scfry/index.html"), amac.page_url("scfry", 1))
ALL_ROWS = SCFJG_1.rows + SCFJG_2.rows + SCFRY_1.rows
DETAILS = {r.url: amac.parse_notice(read(r.url.removeprefix(SITE + "/")), r.url) for r in ALL_ROWS}


# ---------------------------------------------------------------- pure parsers


def test_page_urls() -> None:
    assert amac.page_url("scfjg", 1) == f"{SITE}/zlgl/jlcf/scfjg/index.html"
    assert amac.page_url("scfjg", 2) == f"{SITE}/zlgl/jlcf/scfjg/index_1.html"
    assert amac.page_url("scfry", 3) == f"{SITE}/zlgl/jlcf/scfry/index_2.html"


def test_list_counts() -> None:
    assert (len(SCFJG_1.rows), SCFJG_1.page_count) == (6, 2)
    assert (len(SCFJG_2.rows), SCFJG_2.page_count) == (4, 2)
    assert (len(SCFRY_1.rows), SCFRY_1.page_count) == (3, 1)


def test_list_row_fields() -> None:
    first = SCFJG_1.rows[0]
    assert first.url == f"{SITE}/zlgl/jlcf/scfjg/202501/t20250117_26001.html"
    assert first.title == "纪律处分决定书（深圳XX）"
    assert first.published == "2025-01-17"
    # this row has no <span> date: the date comes from the t20220930_ URL
    assert SCFJG_1.rows[5].published == "2022-09-30"
    assert SCFRY_1.rows[1].title == "纪律处分决定书（李某）"


def test_list_invariants() -> None:
    assert len({r.url for r in ALL_ROWS}) == 13
    for r in ALL_ROWS:
        assert re.fullmatch(rf"{SITE}/zlgl/jlcf/scf(jg|ry)/\d{{6}}/t\d{{8}}_\d+\.html", r.url), r.url
        assert r.published and date.fromisoformat(r.published)
        assert r.title.startswith("纪律处分决定书")


def test_detail_fields() -> None:
    n = DETAILS[f"{SITE}/zlgl/jlcf/scfjg/202411/t20241108_25890.html"]
    assert n.title == "纪律处分决定书（虚构甲私募基金管理有限公司）"
    assert n.doc_number == "中基协处分〔2024〕41号"
    assert n.published == "2024-11-08"
    assert n.text.splitlines()[:2] == ["中国证券投资基金业协会纪律处分决定书", "中基协处分〔2024〕41号"]
    assert "发布时间" not in n.text and "_hmt" not in n.text
    assert n.attachments == []


def test_detail_real_text_without_doc_number() -> None:
    n = DETAILS[f"{SITE}/zlgl/jlcf/scfjg/202302/t20230221_24101.html"]  # gold amac-2023-02-shangshi
    assert n.doc_number is None
    assert n.text.splitlines()[0] == "上海世*资产管理有限公司"
    assert "取消会员资格,暂停受理其私募基金产品备案十二个月。" in n.text


def test_detail_pdf_only() -> None:
    n = DETAILS[f"{SITE}/zlgl/jlcf/scfjg/202501/t20250117_26001.html"]
    assert n.text.startswith("详见附件")
    assert [a.url for a in n.attachments] == [f"{SITE}/zlgl/jlcf/scfjg/202501/P020250117389021.pdf"]
    assert n.doc_number is None


def test_detail_invariants() -> None:
    for url, n in DETAILS.items():
        assert n.title and n.text, url
        assert n.published and date.fromisoformat(n.published)


def test_zero_rows_is_parse_error() -> None:
    html = read("zlgl/jlcf/scfjg/index.html")
    empty = re.sub(r"<li><a href=\"\./.*?</li>", "", html, flags=re.S)
    with pytest.raises(ParseError, match="no rows"):
        amac.parse_list(empty, amac.page_url("scfjg", 1))


def test_block_page_is_not_an_empty_list() -> None:
    waf = "<html><head><title>请求已中断</title></head><body><h1>请求已中断</h1></body></html>"
    with pytest.raises(ParseError):
        amac.parse_list(waf, amac.page_url("scfjg", 1))


def test_fallback_containers_and_title() -> None:
    html = ('<html><head><title>决定书（某）-中国证券投资基金业协会</title></head><body>'
            '<div class="list"><ul><li><a href="./202001/t20200102_1.html">决定书（某）</a> 2020-01-02</li></ul></div>'
            '<div class="article-content"><p>中基协处分〔2020〕1号</p><p>正文</p></div></body></html>')
    lp = amac.parse_list(html, amac.page_url("scfry", 1))
    assert [(r.url, r.published) for r in lp.rows] == [
        (f"{SITE}/zlgl/jlcf/scfry/202001/t20200102_1.html", "2020-01-02")]
    assert lp.page_count == 1
    n = amac.parse_notice(html, lp.rows[0].url)
    assert (n.title, n.doc_number, n.text) == ("决定书（某）", "中基协处分〔2020〕1号", "中基协处分〔2020〕1号\n正文")


def test_detail_without_body_is_parse_error() -> None:
    with pytest.raises(ParseError):
        amac.parse_notice("<html><body><h1>x</h1></body></html>", f"{SITE}/x.html")


# ---------------------------------------------------------------- crawl against the replay server


def Run(server: ReplayServer, **cfg: object) -> CrawlRun:
    return CrawlRun(amac, server, **cfg)


@pytest.fixture
def server(replay_server: Callable[..., ReplayServer]) -> ReplayServer:
    return replay_server(FIX)


def paths(server: ReplayServer, start: int = 0) -> list[str]:
    return [r.target.split("?", 1)[0] for r in server.requests[start:]]


def test_first_crawl(server: ReplayServer) -> None:
    notices = Run(server).crawl()
    assert len(notices) == 13
    assert {n.url for n in notices} == set(DETAILS)
    for n in notices:
        assert n.source == "amac" and n.issuer == "中国证券投资基金业协会"
        assert n.url.startswith(SITE + "/") and n.published and date.fromisoformat(n.published)
        assert n.channel in ("scfjg", "scfry")
    by_url = {n.url: n for n in notices}
    pdf = by_url[f"{SITE}/zlgl/jlcf/scfjg/202501/t20250117_26001.html"]  # body only "详见附件": text from the PDF
    assert pdf.doc_number == "中基协处分〔2025〕2号"
    assert "一是管理未备案的私募基金。" in pdf.text and "详见附件" not in pdf.text
    assert by_url[f"{SITE}/zlgl/jlcf/scfry/202411/t20241108_25891.html"].doc_number == "中基协处分〔2024〕42号"
    assert sum(n.doc_number is None for n in notices) == 1  # the real 上海世* text carries no 文号
    # 3 list pages + 13 detail pages + 1 PDF, nothing else
    assert len(server.requests) == 17
    assert sum(p.endswith((".pdf",)) for p in paths(server)) == 1


def test_second_crawl_is_one_conditional_request_per_list(server: ReplayServer) -> None:
    run = Run(server)
    run.crawl()
    start = len(server.requests)
    assert run.crawl() == []
    assert paths(server, start) == ["/zlgl/jlcf/scfjg/index.html", "/zlgl/jlcf/scfry/index.html"]
    assert [r.status for r in server.requests[start:]] == [304, 304]


def test_two_new_notices_on_top(server: ReplayServer) -> None:
    run = Run(server)
    run.crawl()
    html = read("zlgl/jlcf/scfjg/index.html")
    new_rows = "".join(
        f'<li><a href="./202512/t202512{d}_{i}.html" title="纪律处分决定书（新{i}）">纪律处分决定书（新{i}）</a>'
        f"<span>2025-12-{d}</span></li>\n" for d, i in (("05", 27002), ("01", 27001)))
    page1 = html.replace("<ul>\n        <li>", "<ul>\n" + new_rows + "<li>", 1)
    server.replace_body("/zlgl/jlcf/scfjg/index.html", page1)
    for d, i in (("05", 27002), ("01", 27001)):
        body = read("zlgl/jlcf/scfjg/202411/t20241108_25890.html").replace("中基协处分〔2024〕41号", f"中基协处分〔2025〕{i}号")
        server.set_override(f"/zlgl/jlcf/scfjg/202512/t202512{d}_{i}.html", body=body)
    start = len(server.requests)
    notices = run.crawl()
    assert [n.doc_number for n in notices] == ["中基协处分〔2025〕27002号", "中基协处分〔2025〕27001号"]
    assert [n.published for n in notices] == ["2025-12-05", "2025-12-01"]
    lists = [p for p in paths(server, start) if "/index" in p]
    details = [p for p in paths(server, start) if "/index" not in p]
    assert len(lists) <= 2 + 1  # one request per list, plus at most one page of overlap
    assert len(details) == 2


def test_waf_page_surfaces_as_blocked(server: ReplayServer) -> None:
    server.set_fault(None, "waf")
    with pytest.raises(BlockedError):
        Run(server).crawl()


def test_broken_detail_is_warned_and_skipped(server: ReplayServer) -> None:
    server.set_override("/zlgl/jlcf/scfjg/202406/t20240621_25512.html", status=404)
    run = Run(server)
    notices = run.crawl()
    assert len(notices) == 12
    assert len(run.warnings) == 1 and "t20240621_25512" in run.warnings[0]


def test_garbled_detail_is_warned_and_skipped(server: ReplayServer) -> None:
    server.set_override("/zlgl/jlcf/scfry/202403/t20240329_25201.html", body="<html><body><p>维护中</p></body></html>")
    run = Run(server)
    assert len(run.crawl()) == 12 and len(run.warnings) == 1


def test_empty_list_page_fails_the_run_after_the_other_list(server: ReplayServer) -> None:
    server.set_fault("/zlgl/jlcf/scfjg/index.html", "empty_list")
    seen: list[Notice] = []
    with pytest.raises(ParseError):
        for n in Run(server).stream():
            seen.append(n)
    assert {n.channel for n in seen} == {"scfry"} and len(seen) == 3


def test_lists_option(server: ReplayServer) -> None:
    notices = Run(server, lists=["scfry"]).crawl()
    assert len(notices) == 3 and {n.channel for n in notices} == {"scfry"}


def test_max_pages_stops_paging(server: ReplayServer) -> None:
    notices = Run(server, max_pages=1).crawl()
    assert len(notices) == 9  # 6 + 3: index_1.html of scfjg is never asked for
    assert "/zlgl/jlcf/scfjg/index_1.html" not in paths(server)


# ---------------------------------------------------------------- shared helpers (scrapers/base.py), table-driven

from scrapers import base  # noqa: E402


@pytest.mark.parametrize("value, want", [
    ("2024-01-05", "2024-01-05"), ("2024-1-5", "2024-01-05"), ("2024年1月5日", "2024-01-05"),
    ("2024年 1 月 5 日", "2024-01-05"), ("2024-01-05 10:00:00", "2024-01-05"), ("2024/01/05", "2024-01-05"),
    (1704384000000, "2024-01-05"), ("1704384000000", "2024-01-05"), (1704384000, "2024-01-05"),
    (1704398400000, "2024-01-05"),  # 2024-01-04 20:00 UTC is already the 5th in Beijing: epoch ms read in +08:00
    ("2024-02-30", None), ("", None), (None, None), ("发布时间：2024-01-05", None), (0, None),
])
def test_parse_date(value: object, want: str | None) -> None:
    assert base.parse_date(value) == want  # type: ignore[arg-type]


@pytest.mark.parametrize("text, want", [
    ("中基协处分〔2023〕12号\n当事人：", "中基协处分〔2023〕12号"),
    ("中国证监会行政处罚决定书\n〔2021〕66号", "〔2021〕66号"),
    ("沪证监决〔2024〕12号", "沪证监决〔2024〕12号"),
    ("监管措施〔2019〕13号", "监管措施〔2019〕13号"),
    ("[2021]3号", "[2021]3号"),
    ("创业板监管函〔2024〕第 61 号", "创业板监管函〔2024〕第 61 号"),
    ("〔2025〕66—76号", "〔2025〕66—76号"),
    ("上海证券交易所纪律处分决定书〔2021〕152号", "上海证券交易所纪律处分决定书〔2021〕152号"),
    # a decision citing another decision's number must not take that number as its own
    ("申请人不服被申请人《行政处罚决定书》(〔2022〕72号,以下简称《处罚决定》)", None),
    ("网站近日公布的行政监管措施决定书(监管措施〔2019〕13号)显示", None),
    ("根据〔2020〕5号文", None),
    ("当事人：某公司\n罚款100万元。", None),
])
def test_find_doc_number(text: str, want: str | None) -> None:
    assert base.find_doc_number(text) == want


def test_doc_numbers_in_trims_prose() -> None:
    assert base.doc_numbers_in("网站近日公布的行政监管措施决定书(监管措施〔2019〕13号)与编号〔2025〕66—76号") == [
        "监管措施〔2019〕13号", "〔2025〕66—76号"]


def test_html_to_text_keeps_paragraphs_drops_scripts() -> None:
    html = ("<div><style>p{}</style><script>var x=1;</script><p>第一段 <b>加粗</b></p><p>&nbsp;\u3000第二段</p>"
            "甲<br>乙<table><tr><td>名称</td><td>文号</td></tr></table></div>")
    assert base.html_to_text(html) == "第一段 加粗\n第二段\n甲\n乙\n名称 文号"


def test_select_one_and_first() -> None:
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser("<div class=a>1</div><div class=a>2</div><p>x</p>")
    assert base.select_one(tree, "p").text() == "x"
    with pytest.raises(ParseError, match="found 2"):
        base.select_one(tree, "div.a")
    with pytest.raises(ParseError, match="found 0"):
        base.select_one(tree, "span")
    assert base.select_first(tree, "span", "div.a").text() == "1"  # type: ignore[union-attr]
    assert base.select_first(tree, "span", required=False) is None
    with pytest.raises(ParseError):
        base.select_first(tree, "span", "em")
