"""CSRC scraper: searchList JSON parser on saved pages, the channel map, then crawl() against the loopback replay."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from monitor.errors import BlockedError, ParseError
from monitor.models import Notice, canonical_url
from monitor.replay import ReplayServer
from tests.support.crawl import CrawlRun
from scrapers import csrc

FIX = Path(__file__).parent / "fixtures" / "csrc"
SITE = "https://www.csrc.gov.cn"
HQ_PEN, HQ_BAN, HQ_MEA, HQ_MEA2 = ("17d5ff2fe43e488dba825807ae40d63f", "3795869930ca4b70bf55469270a6e641",
                                   "3ff8b60a78ab4c749387d99b9164ec6e", "0d9699d43e754cca958057f019998a5c")
SH_PEN = "c8318fc200764e38b30116c2d5f72b4b"
FIXTURE_CHANNELS = [HQ_PEN, HQ_BAN, HQ_MEA, HQ_MEA2, SH_PEN, "53be9cf2273744cda5c5780e0dded972",
                    "9d6dfc15aa6144c8aea00f9878bdb1ce", "29a1328dc824498b89eae8e63c38837f",
                    "83e130eb74f74d458c81027715955391"]


def page(cid: str, n: int = 1) -> csrc.SearchPage:
    return csrc.parse_list((FIX / f"searchList/{cid}/page-{n}.json").read_text(encoding="utf-8"), csrc.list_url(cid, n))


PAGES = {(cid, 1): page(cid) for cid in FIXTURE_CHANNELS} | {(HQ_PEN, 2): page(HQ_PEN, 2)}
ITEMS = [(cid, it) for (cid, _), p in PAGES.items() for it in p.items]
HQ1 = {it.doc_number: it for it in PAGES[HQ_PEN, 1].items}


# ---------------------------------------------------------------- pure parser


def test_list_url() -> None:
    assert csrc.list_url(HQ_PEN, 2) == (
        f"http://www.csrc.gov.cn/searchList/{HQ_PEN}?_isAgg=true&_isJson=true&_pageSize=18&_template=index"
        "&_rangeTimeGte=&_channelName=&page=2")


def test_counts() -> None:
    assert (PAGES[HQ_PEN, 1].total, len(PAGES[HQ_PEN, 1].items)) == (21, 18)
    assert (PAGES[HQ_PEN, 2].page, len(PAGES[HQ_PEN, 2].items)) == (2, 3)
    assert (PAGES[HQ_MEA2, 1].total, PAGES[HQ_MEA2, 1].items) == (0, [])
    assert len(ITEMS) == 31
    assert all(not p.problems for p in PAGES.values())


def test_raw_control_characters_are_accepted() -> None:
    raw = (FIX / f"searchList/{HQ_PEN}/page-1.json").read_text(encoding="utf-8")
    with pytest.raises(json.JSONDecodeError):
        json.loads(raw)  # the saved page really has raw tabs / line breaks inside strings
    assert PAGES[HQ_PEN, 1].items[0].text


def test_first_item_fields() -> None:
    it = PAGES[HQ_PEN, 1].items[0]
    assert it.url == f"{SITE}/csrc/c101971/c7600100/content.shtml"
    assert it.title == "中国证监会行政处罚决定书（虚构甲科技股份有限公司）"
    assert (it.published, it.doc_number, it.channel_name) == ("2025-11-20", "〔2025〕19号", "行政处罚决定")
    assert it.text is not None and it.text.splitlines()[0] == "〔2025〕19号"
    assert it.meta["syh"] == "bm56000001/2025-07600100"


def test_field_fallbacks() -> None:
    assert HQ1["〔2025〕17号"].title == "中国证监会行政处罚决定书（虚构丙科技股份有限公司）"  # title empty: subTitle
    no_meta = PAGES[HQ_PEN, 1].items[5]
    assert (no_meta.meta, no_meta.doc_number) == ({}, "〔2025〕14号")  # no domainMetaList: 文号 from the text head
    assert HQ1["〔2025〕13号"].text and "<p>" not in HQ1["〔2025〕13号"].text  # contentHtml empty: plain content
    assert [(a.url, a.name) for a in HQ1["〔2025〕12号"].attachments] == [
        (f"{SITE}/csrc/c101971/c7600093/files/P020250512123456.pdf", "行政处罚决定书〔2025〕12号.pdf")]


def test_epoch_only_date() -> None:
    it = HQ1["〔2025〕15号"]
    assert it.published == "2025-10-15"


def test_real_gold_items() -> None:
    huachen, mo = PAGES[HQ_PEN, 2].items[1:]
    assert (huachen.doc_number, huachen.published) == ("〔2021〕66号", "2021-09-02")
    assert huachen.title == "中国证监会行政处罚决定书(华晨汽车集团控股有限公司、祁玉民等12名责任主体)"
    assert mo.doc_number == "〔2009〕43号" and "南方汇通" in (mo.text or "")
    js = PAGES["9d6dfc15aa6144c8aea00f9878bdb1ce", 1].items[0]
    assert (js.doc_number, js.published) == ("〔2024〕195号", "2024-11-04")


def test_item_without_text_needs_the_detail_page() -> None:
    ban = PAGES[HQ_BAN, 1].items
    assert [i.text is None for i in ban] == [False, True]
    html = (FIX / "csrc/c101972/c7600187/content.shtml").read_text(encoding="utf-8")
    text = csrc.parse_notice(html, ban[1].url)
    assert text.splitlines()[0] == "〔2025〕7号" and "市场禁入" in text


def test_invariants() -> None:
    for cid, it in ITEMS:
        assert it.url.startswith(SITE + "/") and it.url.endswith("/content.shtml"), it.url
        assert it.title and it.published and date.fromisoformat(it.published)
        assert csrc.issuer_for(cid, it.url) in ("中国证监会", "上海证监局", "北京证监局", "江苏证监局", "广东证监局", "浙江证监局")


@pytest.mark.parametrize("body, match", [
    ('{"data": {"total": 3, "page": 1}}', "data.results"),
    ('{"data": {"total": 3, "page": 1, "results": {}}}', "data.results"),
    ('{"code": 500}', "data.results"),
    ('{"data": {"total": 3, "page": 1, "results": []}}', "empty"),
    ('{"data": {"total": 3, "pa', "not JSON"),
    ("<html><title>维护</title></html>", "not JSON"),
    ('{"data": {"total": 1, "page": 1, "results": [{"title": "x"}]}}', "no usable result"),
])
def test_structural_errors(body: str, match: str) -> None:
    with pytest.raises(ParseError, match=match):
        csrc.parse_list(body, "u")


def test_one_bad_result_is_a_problem_not_a_crash() -> None:
    good = {"title": "t", "url": "//www.csrc.gov.cn/csrc/c1/c2/content.shtml",
            "publishedTimeStr": "2024-01-02 00:00:00", "content": "正文"}
    p = csrc.parse_list(json.dumps({"data": {"total": 2, "page": 1, "results": [good, {"title": "no url"}]}}), "u")
    assert len(p.items) == 1 and p.problems == ["result 1: no url"]


def test_result_off_the_csrc_site_is_a_problem() -> None:
    rows = [{"title": "t", "url": u, "publishedTimeStr": "2024-01-02 00:00:00", "content": "正文"}
            for u in ("//evil.example/x.shtml", "https://csrc.gov.cn.evil.example/a", "//neris.csrc.gov.cn/a.shtml")]
    p = csrc.parse_list(json.dumps({"data": {"total": 3, "page": 1, "results": rows}}), "u")
    assert [i.url for i in p.items] == ["https://neris.csrc.gov.cn/a.shtml"]
    assert p.problems == ["result 0: url off the CSRC site '//evil.example/x.shtml'",
                          "result 1: url off the CSRC site 'https://csrc.gov.cn.evil.example/a'"]


# ---------------------------------------------------------------- channels and identity


def test_series_keeps_bare_doc_numbers_apart() -> None:
    from monitor.models import Notice

    def n(series: str | None, url: str) -> Notice:
        return Notice(source="csrc", url=url, title="t", text="x", issuer="中国证监会", doc_number="〔2025〕7号",
                      series=series)

    pen = n("行政处罚决定书", "https://www.csrc.gov.cn/a")
    ban = n("市场禁入决定书", "https://www.csrc.gov.cn/b")
    assert pen.identity() != ban.identity()
    assert pen.identity() == n("行政处罚决定书", "https://www.csrc.gov.cn/moved").identity()


def test_channel_map() -> None:
    assert {cid: ch.name for cid, ch in csrc.CHANNELS.items() if ch.issuer == "中国证监会"} == {
        HQ_PEN: "行政处罚决定", HQ_BAN: "市场禁入决定", HQ_MEA: "行政监管措施", HQ_MEA2: "行政监管措施"}
    bureaus = {ch.issuer for ch in csrc.CHANNELS.values()} - {"中国证监会"}
    assert len(bureaus) == 36 and "上海证监局" in bureaus and "深圳证监局" in bureaus
    assert all(re.fullmatch(r"[0-9a-f]{32}", cid) for cid in csrc.CHANNELS)
    assert len(csrc.DEFAULT_CHANNELS) == len(set(csrc.DEFAULT_CHANNELS)) == 100
    assert csrc.CHANNELS[SH_PEN] == csrc.Channel("上海证监局", "行政处罚决定")
    assert csrc.CHANNELS["58959eb1bd68458088cac63f46a5fa40"] == csrc.Channel("深圳证监局", "行政监管措施")


def test_issuer_of_an_unmapped_channel() -> None:
    assert csrc.issuer_for("f" * 32, f"{SITE}/csrc/c1/c2/content.shtml") == "中国证监会"
    assert csrc.issuer_for("f" * 32, f"{SITE}/hainan/c1/c2/content.shtml") == "证监会派出机构(hainan)"


def test_same_doc_number_at_two_issuers_is_two_notices() -> None:
    hq = next(it for it in PAGES[HQ_PEN, 2].items if it.doc_number == "〔2021〕66号")
    sh = next(it for it in PAGES[SH_PEN, 1].items if it.doc_number == "〔2021〕66号")
    a, b = csrc._notice(hq, HQ_PEN, hq.text or ""), csrc._notice(sh, SH_PEN, sh.text or "")
    assert (a.issuer, b.issuer) == ("中国证监会", "上海证监局")
    assert a.identity() != b.identity()


# ---------------------------------------------------------------- crawl against the replay server


def Run(server: ReplayServer, **cfg: object) -> CrawlRun:
    return CrawlRun(csrc, server, **cfg)


@pytest.fixture
def server(replay_server: Callable[..., ReplayServer]) -> ReplayServer:
    return replay_server(FIX)


def list_requests(server: ReplayServer, start: int = 0) -> list[str]:
    return [r.target for r in server.requests[start:] if r.target.startswith("/searchList/")]


def test_first_crawl_default_channels(server: ReplayServer) -> None:
    run = Run(server)
    notices = run.crawl()
    assert len(notices) == 31 and run.warnings == []
    assert len({n.identity() for n in notices}) == 31
    # 100 channels' page 1, the HQ penalty channel's page 2, and one detail page (the 禁入 item without text)
    assert len(list_requests(server)) == 101 and len(server.requests) == 102
    for n in notices:
        assert n.source == "csrc" and n.url.startswith(SITE + "/") and n.published
        assert n.issuer == csrc.CHANNELS[n.channel or ""].issuer
    by_doc = {(n.issuer, n.series, n.doc_number): n for n in notices}
    assert by_doc["中国证监会", "行政处罚决定书", "〔2021〕66号"].title.startswith("中国证监会行政处罚决定书(华晨")
    assert by_doc["上海证监局", "行政处罚决定书", "〔2021〕66号"].channel == SH_PEN
    # 〔2025〕7号 and 〔2025〕9号 exist both as HQ penalty and as HQ market-ban numbers: two series, two notices
    assert {("行政处罚决定书", "〔2025〕7号"), ("市场禁入决定书", "〔2025〕7号")} <= {(s, d) for _, s, d in by_doc}
    assert by_doc["广东证监局", "行政监管措施决定书", "监管措施〔2019〕13号"].published == "2019-11-25"
    detail = by_doc["中国证监会", "市场禁入决定书", "〔2025〕7号"]
    assert detail.text.startswith("〔2025〕7号") and detail.extra["channelName"] == "市场禁入决定"


def test_second_crawl_is_one_304_per_channel(server: ReplayServer) -> None:
    run = Run(server)
    run.crawl()
    start = len(server.requests)
    assert run.crawl() == []
    assert len(server.requests) - start == 100 == len(list_requests(server, start))
    assert {r.status for r in server.requests[start:]} == {304}


def test_two_new_notices_on_top(server: ReplayServer) -> None:
    run = Run(server)
    run.crawl()
    doc = json.loads((FIX / f"searchList/{HQ_PEN}/page-1.json").read_text(encoding="utf-8"), strict=False)
    results = doc["data"]["results"]
    new = []
    for k, mid in ((21, 7600102), (20, 7600101)):
        r = json.loads(json.dumps(results[0]))
        r.update(url=f"//www.csrc.gov.cn/csrc/c101971/c{mid}/content.shtml", title=f"中国证监会行政处罚决定书（新{k}）",
                 publishedTimeStr="2025-12-0%d 10:00:00" % (k - 19), manuscriptId=str(mid))
        r["domainMetaList"][0]["resultList"][0]["value"] = f"〔2025〕{k}号"
        new.append(r)
    doc["data"]["results"] = new + results[:16]
    doc["data"]["total"] = 23
    server.replace_body(f"/searchList/{HQ_PEN}", json.dumps(doc, ensure_ascii=False),
                        query={"_isJson": "true", "page": "1"})
    start, known_before = len(server.requests), set(run.known)
    notices = run.crawl()
    assert [n.doc_number for n in notices if canonical_url(n.url) not in known_before] == [
        "〔2025〕21号", "〔2025〕20号"]
    # changed page 1 and the overlap page 2 are yielded whole (the texts ride along, so revisions show); the store
    # finds 19 of them unchanged
    assert len(notices) == 21
    assert len(server.requests) - start <= 100 + 1  # one request per channel plus one page of overlap
    assert len(list_requests(server, start)) == 101


def test_changed_text_is_yielded_again(server: ReplayServer) -> None:
    run = Run(server, channels=[HQ_MEA])
    first = run.crawl()
    raw = (FIX / f"searchList/{HQ_MEA}/page-1.json").read_text(encoding="utf-8")
    server.replace_body(f"/searchList/{HQ_MEA}", raw.replace("未勤勉尽责督促发行人", "未勤勉尽责督促发行人（更正）"),
                        query={"_isJson": "true", "page": "1"})
    second = run.crawl()
    assert len(first) == len(second) == 2
    changed = [n for n in second if "（更正）" in n.text]
    assert len(changed) == 1 and changed[0].identity() in {n.identity() for n in first}
    assert changed[0].content_hash() not in {n.content_hash() for n in first}


def test_channels_option(server: ReplayServer) -> None:
    notices = Run(server, channels=[SH_PEN]).crawl()
    assert [n.doc_number for n in notices] == ["沪证监决〔2024〕12号", "〔2021〕66号"]
    assert {n.issuer for n in notices} == {"上海证监局"}
    assert len(server.requests) == 1


def test_waf_page_surfaces_as_blocked(server: ReplayServer) -> None:
    server.set_fault(None, "waf")
    with pytest.raises(BlockedError):
        Run(server, channels=[HQ_PEN]).crawl()


def test_broken_detail_is_warned_and_skipped(server: ReplayServer) -> None:
    server.set_override("/csrc/c101972/c7600187/content.shtml", status=404)
    run = Run(server, channels=[HQ_BAN])
    assert [n.doc_number for n in run.crawl()] == ["〔2025〕9号"]
    assert len(run.warnings) == 1 and "c7600187" in run.warnings[0]


def test_empty_page_one_fails_after_the_other_channels(server: ReplayServer) -> None:
    server.set_fault(f"/searchList/{HQ_PEN}", "empty_list")
    got: list[Notice] = []
    with pytest.raises(ParseError, match="empty"):
        for n in Run(server, channels=[HQ_PEN, SH_PEN]).stream():
            got.append(n)
    assert {n.issuer for n in got} == {"上海证监局"}


def test_missing_channel_is_a_warning_not_the_end(server: ReplayServer) -> None:
    run = Run(server, channels=["0" * 32, SH_PEN])
    assert len(run.crawl()) == 2
    assert len(run.warnings) == 1 and "0" * 32 in run.warnings[0]


def test_max_pages(server: ReplayServer) -> None:
    assert len(Run(server, channels=[HQ_PEN], max_pages=1).crawl()) == 18
