"""Hostile content (issue 6): scraped strings carrying markup, script URLs, header-injection CR/LF, NUL bytes, bidi
overrides, lone surrogates or 10 MB of text are escaped, stripped or capped on every path: scraper parse → Notice →
store → alert/digest HTML and text → the built mail's bytes. Property-based tests (hypothesis) over the parsers,
the normalisers and the renderer: never a crash other than ParseError, always escaped.

Where each defence lives:
- `monitor.models.Notice.__post_init__` (`safe_text`): NUL and other control characters, bidi embeddings/overrides/
  isolates/marks, zero-width space and BOM dropped, lone surrogates replaced; the title folded to one line and capped
  at MAX_TITLE_CHARS; the text capped at MAX_TEXT_CHARS (`extra["text_truncated_from"]` says so). Responses are
  capped before that by `http.max_bytes` (20 MB).
- `scrapers.base.clean_text` / `html_to_text`: the same characters dropped in parser output; <script>/<style>
  dropped from detail bodies; non-http(s) links never become rows or attachments.
- `alerts.render`: autoescaped HTML templates; `clean_text` / `header_text` (controls, bidi, surrogates, caps);
  `safe_url` (only http(s) links become hrefs); `alerts.email.build_message` puts only `header_text` into headers.
"""

from __future__ import annotations

import dataclasses
import email
import json
import re
import unicodedata
from datetime import date, datetime, timedelta, timezone
from email.policy import default as default_policy
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alerts import render as R
from alerts.digest import Digest, build_digest, group_notices, notice_view
from alerts.email import build_message, header_value, message_id_for, send_message
from alerts.match import notice_from_row
from alerts.render import BIDI, clean_text, header_text, render_alert, render_digest, render_ops
from monitor import amounts as am
from monitor import normalize as nz
from monitor.classify import Classifier
from monitor.config import parse_config
from monitor.errors import ParseError
from monitor.http import decode_body
from monitor.models import MAX_TEXT_CHARS, MAX_TITLE_CHARS, Attachment, Notice, safe_text
from monitor.store import Store
from monitor.taxonomy import load_taxonomy
from scrapers import amac, csrc

FIX = Path(__file__).parent / "fixtures"
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=timezone.utc)
AMAC_URL = "https://www.amac.org.cn/zlgl/jlcf/scfjg/202501/t20250117_26001.html"
CSRC_URL = "https://www.csrc.gov.cn/csrc/c101971/c7600100/content.shtml"
HQ_PENALTIES = "17d5ff2fe43e488dba825807ae40d63f"

SETTINGS = settings(deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow])

SCRIPT = "<script>alert('x')</script>"
IMG = "<img src=x onerror=alert(1)>"
JS_URLS = ["javascript:alert(1)", "JaVaScRiPt:alert(document.cookie)", " javascript:alert(1)", "java\tscript:alert(1)",
           "\x00javascript:alert(1)", "vbscript:msgbox(1)", "data:text/html,<script>alert(1)</script>",
           "https://x.example/\"onmouseover=alert(1)", "https://x.example/'><script>alert(1)</script>",
           "//evil.example/\u202egpj.exe", "mailto:a@b.c", "file:///etc/passwd"]
INJECTIONS = ["罚单\r\nBcc: victim@example.com", "x\nBcc: victim@example.com\n\nforged body", "x\rTo: victim@example.com",
              "x\x85Bcc: victim@example.com", "x\u2028Bcc: victim@example.com", "x\r\n\r\n<html>forged",
              "=?utf-8?q?x?=\r\n Bcc: victim@example.com", "x\x00\r\nBcc: victim@example.com",
              # RFC 2047 encoded words whose payload is CR/LF + a header: Python's header parser decodes them
              "=?utf-8?b?eA0KQmNjOiB2aWN0aW1AZXhhbXBsZS5jb20=?=", "罚单 =?utf-8?q?x=0D=0ABcc=3A_victim@example.com?=",
              "=?utf-8?b?eApCY2M6IHZpY3RpbUBleGFtcGxlLmNvbQoKZm9yZ2Vk?= x"]
BIDI_CHARS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
# every format character (category Cf) of this Python's Unicode: bidi controls, zero-width space/joiners, word joiner,
# soft hyphen, BOM, tag characters …
CF_CHARS = "".join(chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf")
UNSAFE_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff" + re.escape(CF_CHARS) + "]")
TAGS = ("html", "head", "meta", "title", "style", "body", "table", "tbody", "tr", "td", "div", "span", "a", "br", "b",
        "code")
TAG_START_RE = re.compile(r"<(?:!DOCTYPE html>|/?(?:%s)[\s/>])" % "|".join(TAGS), re.I)
VIOLATIONS = sorted(load_taxonomy().violations)
SANCTIONS = sorted(load_taxonomy().sanctions)
FRAGMENTS = [SCRIPT, IMG, "</td></tr></table>", '<a href="javascript:alert(1)">x</a>', "<!--", "-->", "<![CDATA[",
             "<style>body{display:none}</style>", "&amp;", "&lt;b&gt;", "&#0;", "{{ 7*7 }}", "{% raw %}", '"', "'",
             "\r\n", "\r", "\n", "\t", "Bcc: victim@example.com", "\x00", "\x07", "\x1b[31m", "\x85", "\u2028", "\ufeff",
             "\u200b", "\u200d", "\u2060", "\u00ad", "\U000e0041", "\ud800", "\udfff", "=?",
             "=?utf-8?b?QmNjOg==?=", "=?utf-8?b?eA0KQmNjOiB2QGV4YW1wbGUuY29t?=", *BIDI_CHARS, *JS_URLS[:3],
             "当事人：张三", "中国证监会行政处罚决定书〔2026〕12号", "罚款50万元", "https://www.csrc.gov.cn/a.html"]


def _join(parts: list[str]) -> str:
    return "".join(parts)


# any text, biased towards the fragments above (hypothesis' own text() never yields surrogates)
untrusted = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=6).map(_join)


def assert_safe_str(s: str, *, one_line: bool = False) -> None:
    """What may be stored or shown: no control (tab/LF/CR allowed), bidi, zero-width or surrogate characters."""
    assert isinstance(s, str)
    bad = UNSAFE_RE.search(s)
    assert bad is None, (bad.group(), s[:200])
    s.encode("utf-8")
    if one_line:
        assert "\n" not in s and "\r" not in s, s


def assert_http_url(url: str) -> None:
    assert isinstance(url, str) and url.startswith(("http://", "https://")), url
    assert not re.search(r"[\x00-\x1f\x7f]", url), url
    assert urlsplit(url).hostname, url
    assert_safe_str(url)


def assert_date(value: str | None) -> None:
    assert value is None or (len(value) == 10 and date.fromisoformat(value)), value


# ---------------------------------------------------------------- HTML structure checks


class _Doc(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skeleton: list[tuple] = []
        self.attrs: list[tuple[str, str, str | None]] = []
        self.data: list[str] = []

    def handle_starttag(self, tag, attrs):
        # style values come from our CSS (css_inline); which ones exist follows classes, not content
        self.skeleton.append((tag, tuple(sorted(k for k, _ in attrs if k != "style"))))
        self.attrs += [(tag, k, v) for k, v in attrs]

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        self.skeleton.append(("/" + tag,))

    def handle_data(self, data):
        self.data.append(data)


def parse_html(html: str) -> _Doc:
    d = _Doc()
    d.feed(html)
    d.close()
    return d


def assert_safe_html(html: str) -> _Doc:
    low = html.lower()
    assert "<script" not in low and "<img" not in low and "<iframe" not in low
    for m in re.finditer("<", html):  # every "<" opens one of the templates' own tags: no raw user "<"
        assert TAG_START_RE.match(html, m.start()), html[m.start():m.start() + 80]
    doc = parse_html(html)
    assert {t[0].lstrip("/") for t in doc.skeleton} <= set(TAGS)
    for tag, k, v in doc.attrs:
        assert not k.startswith("on") and k != "src", (tag, k, v)
        if k == "href":
            assert re.fullmatch(r"https?://[^\s\"'<>]+", v or "", re.I), v
    assert_safe_str("".join(doc.data))
    return doc


def assert_safe_plain(text: str) -> None:
    assert "\r" not in text
    assert_safe_str(text)


def _twin(value, key: str | None = None):
    """The same rendering context with every string replaced by a harmless one of the same truthiness."""
    if isinstance(value, dict):
        return {k: v if k in ("severity", "state", "source", "id") else _twin(v, k) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_twin(v, key) for v in value)
    if isinstance(value, str):
        return ("https://example.org/x" if key == "url" else "x") if value else ""
    return value


def render_with_twin(fn, **kw):
    """Call a render_* function, capturing the context it renders; also render the harmless twin of that context."""
    seen: dict = {}
    real = R.render

    def spy(name, **ctx):
        seen.update(name=name, ctx=ctx)
        return real(name, **ctx)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(R, "render", spy)
        subject, text, html = fn(**kw)
    _, twin_html = real(seen["name"], **_twin(seen["ctx"]))
    return subject, text, html, twin_html


def assert_same_structure(html: str, twin_html: str) -> None:
    """Hostile strings never add, remove or reshape a tag or attribute compared with harmless ones."""
    assert parse_html(html).skeleton == parse_html(twin_html).skeleton


# ---------------------------------------------------------------- mail checks

BASE_HEADERS = {"from", "to", "subject", "message-id", "date", "auto-submitted", "mime-version", "content-type"}


def build(subject: str, text: str, html: str | None, *, extra: dict[str, str] | None = None,
          from_name: str | None = "regwatch"):
    return build_message(from_addr="regwatch@example.com", to="合规部 <compliance@example.com>", subject=subject,
                         text=text, html=html, message_id=message_id_for("k", "regwatch@example.com"),
                         from_name=from_name, date=NOW, extra_headers=extra)


def assert_mail_round_trip(msg, subject: str, text: str, html: str | None, extra: dict[str, str] | None = None):
    """Parse the built bytes back: exactly our headers (none injected), a one-line Subject, bodies intact."""
    raw = msg.as_bytes()
    head, sep, _ = raw.partition(b"\r\n\r\n")
    assert sep
    names = [ln.split(b":", 1)[0].decode().lower() for ln in head.split(b"\r\n") if ln and ln[:1] not in b" \t"]
    expected = BASE_HEADERS | {k.lower() for k in (extra or {})} | ({"content-transfer-encoding"} if html is None else set())
    assert sorted(names) == sorted(expected), names
    assert b"\r\n\r\n" not in head and not re.search(rb"\r(?!\n)|(?<!\r)\n", head)  # only CRLF line ends
    parsed = email.message_from_bytes(raw, policy=default_policy)
    assert {k.lower() for k in parsed.keys()} == expected
    assert parsed.defects == [] and not parsed.get_all("bcc") and parsed.get_all("to") and len(parsed.get_all("to")) == 1
    assert [a.addr_spec for a in parsed["To"].addresses] == ["compliance@example.com"]
    # whitespace is compared removed: CPython's folder (3.11) adds a space at some folds and loses the one between
    # two adjacent encoded words; cosmetic, unlike a line break, which no header value may contain
    got = str(parsed["Subject"])
    assert "\r" not in got and "\n" not in got
    assert header_value(subject) == header_text(subject).replace("=?", "= ?")
    assert "".join(got.split()) == "".join(header_value(subject).split())
    assert_safe_str(got, one_line=True)
    for k, v in (extra or {}).items():
        assert "".join(str(parsed[k]).split()) == "".join(header_value(v).split())
    plain = parsed.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert plain.rstrip("\n") == text.rstrip("\n")
    if html is not None:
        got_html = parsed.get_body(("html",)).get_content().replace("\r\n", "\n")
        assert got_html.rstrip("\n") == html.rstrip("\n")


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def classifier() -> Classifier:
    return Classifier()


def cfg_for(port: int = 2525):
    return parse_config(f"timezone: Asia/Shanghai\nsmtp: {{host: 127.0.0.1, port: {port}, "
                        "from: regwatch@example.com, timeout: 5}\n")


HOSTILE_TITLE = (f"中国证监会行政处罚决定书（张三）{SCRIPT}{IMG}\r\nBcc: victim@example.com\x00 "
                 "\u202e\u2066moc.live\u2069 \ufeff\u200b")
HOSTILE_TEXT = ("当事人：张三，男，1980年出生。\n<script>alert(1)</script><img src=x onerror=alert(1)>\n"
                "详见 javascript:alert(1) 与 <a href=\"javascript:alert(1)\">链接</a>\n"
                "前文\x00隐藏的内幕交易事实\u202e反向\u2067文字\u2069。\n"
                "依据《证券法》第一百九十一条，我会决定：对张三处以50万元罚款。\ud800")


def hostile_notice(**kw) -> Notice:
    base = dict(source="csrc", url=CSRC_URL, title=HOSTILE_TITLE, text=HOSTILE_TEXT, published="2026-11-25",
                issuer="中国证监会\u202e", channel=HQ_PENALTIES, doc_number="〔2026〕12号\x00", series="行政处罚决定书",
                attachments=[Attachment(url="https://www.csrc.gov.cn/a.pdf\u202e", name="附件\x00\ud800.pdf")],
                extra={"wh": "〔2026〕12号\u202e", "nested": [{"k\x00": "v\udfff"}]})
    base.update(kw)
    return Notice(**base)


# ================================================================ the Notice model: strip and cap once


def test_notice_strips_nul_bidi_controls_and_surrogates_and_folds_the_title():
    n = hostile_notice()
    assert n.title == (f"中国证监会行政处罚决定书（张三）{SCRIPT}{IMG} Bcc: victim@example.com moc.live")
    assert "前文隐藏的内幕交易事实反向文字。" in n.text and n.text.endswith("罚款。\ufffd")
    assert SCRIPT.replace("'x'", "1") in n.text  # markup is kept as text: escaping is the renderer's job
    for s in (n.url, n.text, n.issuer, n.doc_number, n.attachments[0].url, n.attachments[0].name,
              json.dumps(n.extra, ensure_ascii=False)):
        assert_safe_str(s)
    assert_safe_str(n.title, one_line=True)
    assert n.issuer == "中国证监会" and n.doc_number == "〔2026〕12号" and n.extra["nested"] == [{"k": "v\ufffd"}]
    n.identity(), n.content_hash()  # encodable: a lone surrogate used to crash hashing (and the whole run)
    assert dataclasses.replace(n) == n  # idempotent


def test_every_format_character_is_stripped_on_the_way_in_and_out():
    hostile = "内幕" + CF_CHARS + "交易"
    assert safe_text(hostile) == "内幕交易"
    assert clean_text(hostile, 10_000) == header_text(hostile, 10_000) == "内幕交易"


def test_invisible_characters_cannot_hide_a_violation_from_the_classifier(classifier):
    text = "经查，张三利用内幕信息买卖股票，构成内幕交易。我会决定对张三处以50万元罚款。"
    for mark in ("\u202e", "\u2060", "\u200d", "\u00ad", "\U000e0041"):
        n = Notice(source="csrc", url=CSRC_URL, title="行政处罚决定书（张三）",
                   text=text.replace("内幕", "内" + mark + "幕").replace("交易", "交" + mark + "易"))
        assert n.text == text
        assert classifier.classify(n.title, n.text, source="csrc")["violations"] == ["insider_trading"]


def test_control_characters_that_separate_words_become_spaces():
    n = Notice(source="amac", url=AMAC_URL, title="a\x0bb\x0cc\x1fd\x85e", text="x\x1cy\x00z\tw\r\nv")
    assert n.title == "a b c d e" and n.text == "x yz\tw\r\nv"


def test_ten_megabyte_text_is_capped_in_the_model():
    big = ("当事人张三利用内幕信息交易。" + SCRIPT + "\x00\u202e") * (10_000_000 // 45)
    n = Notice(source="csrc", url=CSRC_URL, title="t" * 5000, text=big)
    assert len(n.text) == MAX_TEXT_CHARS and n.text.endswith("characters]")
    assert n.extra["text_truncated_from"] == len(safe_text(big)) > MAX_TEXT_CHARS
    assert len(n.title) == MAX_TITLE_CHARS and n.title.endswith("…")
    again = dataclasses.replace(n)
    assert again.text == n.text and again.extra == n.extra and again.content_hash() == n.content_hash()


# ================================================================ store round trip


def test_store_round_trip_of_a_hostile_notice(classifier):
    n = hostile_notice()
    labels = classifier.classify(n.title, n.text, source="csrc")
    with Store(memory=True) as store:
        nid, outcome = store.upsert_notice(n, labels, now="2026-11-26T02:00:00+00:00")
        assert outcome == "new"
        row = store.get_notice(nid)
        assert (row["title"], row["text"], row["url"], row["doc_number"], row["issuer"]) == (
            n.title, n.text, n.url, n.doc_number, n.issuer)
        assert json.loads(row["extra"]) == n.extra
        assert json.loads(row["attachments"]) == [{"url": "https://www.csrc.gov.cn/a.pdf", "name": "附件\ufffd.pdf"}]
        # the text behind the (former) NUL is searchable: FTS5 and LIKE stopped at a NUL
        assert [r["id"] for r in store.search("隐藏的内幕交易")] == [nid]
        assert [r["id"] for r in store.search("反向")] == [nid]
        assert [r["id"] for r in store.search("<script>")] == [nid]
        # the same hostile page scraped again is the same notice, unchanged
        assert store.upsert_notice(hostile_notice(), labels)[1] == "unchanged"
        assert store.count_notices() == 1


def test_ten_megabyte_text_end_to_end_is_capped_stored_and_rendered_small(classifier):
    big = ("当事人张三利用内幕信息买卖股票。" + SCRIPT + IMG + "\x00\u202e\n") * (10_000_000 // 90)
    body = json.dumps({"data": {"total": 1, "page": 1, "results": [
        {"url": "//www.csrc.gov.cn/csrc/c1/c2/content.shtml", "title": "十兆字节的公告", "content": big,
         "publishedTimeStr": "2026-11-25 10:00:00"}]}}, ensure_ascii=False)
    assert len(body.encode("utf-8")) > 10_000_000
    item = csrc.parse_list(body, csrc.list_url(HQ_PENALTIES, 1)).items[0]
    assert_safe_str(item.text)
    n = csrc._notice(item, HQ_PENALTIES, item.text)
    assert len(n.text) == MAX_TEXT_CHARS and n.extra["text_truncated_from"] > 5_000_000
    labels = classifier.classify(n.title, n.text, source="csrc")
    with Store(memory=True) as store:
        nid, _ = store.upsert_notice(n, labels)
        row = store.get_notice(nid)
        assert row["text"] == n.text and len(row["text"]) == MAX_TEXT_CHARS
        view = notice_view(notice_from_row(row))
    subject, text, html = render_alert(subscription="s", notice=view, filters=[])
    assert len(html) < 100_000 and len(text) < 20_000
    assert_safe_html(html)
    assert_safe_plain(text)
    assert_mail_round_trip(build(subject, text, html), subject, text, html)


# ================================================================ rendering: stored hostile notices → mails


def test_alert_from_a_stored_hostile_notice_is_escaped(classifier):
    n = hostile_notice(url="javascript:alert(1)")
    labels = classifier.classify(n.title, n.text, source="csrc")
    labels["respondents"] = [{"name": IMG + "\u202e张三"}, {"name": "<b onmouseover=alert(1)>李四</b>\x00"}]
    with Store(memory=True) as store:
        nid, _ = store.upsert_notice(n, labels)
        view = notice_view(notice_from_row(store.get_notice(nid)))
    subject, text, html, twin = render_with_twin(render_alert, subscription="监管\u202e<script>", notice=view,
                                                 filters=["keywords: <script>"])
    assert_safe_html(html)
    assert_same_structure(html, twin)
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html or "&lt;script&gt;alert('x')&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;张三" in html
    assert "&lt;b onmouseover=alert(1)&gt;李四&lt;/b&gt;" in html
    assert "javascript:alert(1)" in html  # shown as text at most ...
    assert not any(k == "href" for _, k, _ in parse_html(html).attrs)  # ... never a link (it was the only URL)
    assert_safe_plain(text)
    assert text.split("\n")[0] == subject
    assert f"* 中国证监会行政处罚决定书（张三）{SCRIPT}{IMG} Bcc: victim@example.com moc.live" in text
    assert "\n".join(text.split("\n")[1:]).count("Bcc:") == 1  # only the title's own words, inside a line
    assert_mail_round_trip(build(subject, text, html), subject, text, html)


@pytest.mark.parametrize("url", JS_URLS)
def test_script_and_other_non_http_urls_never_become_hrefs(url):
    view = notice_view({"id": "n", "source": "csrc", "title": "t", "url": url, "text": url})
    assert view["url"] == ""
    _, text, html, twin = render_with_twin(render_alert, subscription="s", notice=view, filters=[])
    doc = assert_safe_html(html)
    assert_same_structure(html, twin)
    assert [v for _, k, v in doc.attrs if k == "href"] == []
    assert_safe_plain(text)


def test_digest_of_stored_hostile_notices_is_escaped(classifier):
    with Store(memory=True) as store:
        for i, n in enumerate([hostile_notice(), hostile_notice(url="JaVaScRiPt:alert(2)", doc_number=None,
                                                                 title=f"{IMG}第二条\r\n\u202e")]):
            labels = classifier.classify(n.title, n.text, source="csrc")
            store.upsert_notice(n, labels, now=f"2026-11-26T0{i + 1}:00:00+00:00")
        run = store.start_run("csrc")
        store.finish_run(run, status="failed", new=0, seen=0, revised=0, failed=1, requests=1, duration=0.1,
                         error=f"ParseError: bad page {SCRIPT}\r\nBcc: v@example.com \u202e (https://x/\x00)")
        dg = build_digest(store.db, cfg_for(), None, since=NOW - timedelta(days=1), until=NOW + timedelta(hours=1))
        assert dg.total == 2
        subject, text, html, twin = render_with_twin(render_digest, digest=dg)
        ops_subject, ops_text, ops_html = render_ops(source=next(h for h in dg.health if h["source"] == "csrc"))
    assert_safe_html(html)
    assert_same_structure(html, twin)
    assert "&lt;script&gt;" in html and "&lt;img src=x onerror=alert(1)&gt;第二条" in html
    assert f'href="{CSRC_URL}"' in html  # an http(s) link still is one
    assert_safe_plain(text)
    assert "ParseError: bad page <script>alert('x')</script>" in text  # the footer's error, cleaned, in plain text
    for s, t, h in ((subject, text, html), (ops_subject, ops_text, ops_html)):
        assert_safe_html(h)
        assert_safe_plain(t)
        extra = {"X-Regwatch-Subscription": "daily\r\nBcc: v@example.com"}
        assert_mail_round_trip(build(s, t, h, extra=extra), s, t, h, extra)


# ================================================================ header injection


@pytest.mark.parametrize("title", INJECTIONS)
def test_crlf_in_a_title_never_adds_a_header(title):
    view = notice_view({"id": "n", "source": "amac", "title": title, "url": AMAC_URL})
    subject, text, html = render_alert(subscription="s", notice=view, filters=[])
    assert "\r" not in subject and "\n" not in subject
    extra = {"X-Regwatch-Subscription": title}
    assert_mail_round_trip(build(subject, text, html, extra=extra, from_name=title), subject, text, html, extra)
    # build_message does not rely on its callers: a raw title as Subject is folded there too
    assert_mail_round_trip(build(title, "body", None), title, "body", None)


def test_injected_recipients_never_receive_the_mail(smtp_sink, smtp_cfg):
    view = notice_view({"id": "n", "source": "amac", "title": INJECTIONS[0], "url": AMAC_URL})
    subject, text, html = render_alert(subscription="s", notice=view, filters=[])
    send_message(smtp_cfg, build(subject, text, html, extra={"X-Regwatch-Subscription": INJECTIONS[1]}))
    (got,) = smtp_sink.wait_for(1)
    assert got.rcpt_tos == ["compliance@example.com"]
    assert got.message["Bcc"] is None and "Bcc: victim@example.com" in got.message["Subject"]
    assert sorted(k.lower() for k in got.message.keys()) == sorted(BASE_HEADERS | {"x-regwatch-subscription"})


# ================================================================ scrapers: hostile pages


def test_amac_hostile_detail_page():
    page = ("<html><head><title>标题-中国证券投资基金业协会</title></head><body>"
            "<div class=\"content-right\"><div class=\"title\"><h3>关于对\u202e某某\x00的纪律处分决定书"
            "<script>alert(1)</script></h3></div></div><div class=\"TRS_Editor\">"
            "<p>当事人：<script>alert('body')</script>张三<img src=x onerror=alert(1)>\u2066</p>"
            "<p><a href=\"javascript:alert(2).pdf\">恶意附件.pdf</a><a href=\" JAVASCRIPT:x.pdf\">b.pdf</a>"
            "<a href=\"http://[broken/a.pdf\">c.pdf</a><a href=\"/zlgl/real.pdf\">决定书.pdf</a></p>"
            "<style>p{display:none}</style><p>NUL\x00字节与\ufeff零宽\u200b字符</p></div></body></html>")
    n = amac.parse_notice(page, AMAC_URL)
    assert n.title == "关于对某某的纪律处分决定书"  # <script> inside the heading is dropped with its text
    assert n.text == "当事人：张三\n恶意附件.pdfb.pdfc.pdf决定书.pdf\nNUL字节与零宽字符"  # link text is text, links are not
    assert [(a.url, a.name) for a in n.attachments] == [("https://www.amac.org.cn/zlgl/real.pdf", "决定书.pdf")]


def test_amac_hostile_list_rows():
    rows = "".join(f'<li><a href="{h}" title="t{i}">x</a><span>2026-01-0{i % 9 + 1}</span></li>'
                   for i, h in enumerate(["javascript:alert(1)", "JAVASCRIPT:alert(1)", "#top", "data:text/html,x",
                                          "http://[::1", "mailto:a@b.c", "/zlgl/jlcf/scfjg/202601/t20260101_1.html",
                                          "\x01javascript:alert(1)"]))
    lp = amac.parse_list(f'<div class="content-right"><div class="c-box"><ul>{rows}</ul></div></div>'
                         "<script>createPageHTML(" + "9" * 5000 + ", 0)</script>", amac.page_url("scfjg", 1))
    assert [r.url for r in lp.rows] == ["https://www.amac.org.cn/zlgl/jlcf/scfjg/202601/t20260101_1.html"]
    assert lp.page_count == 1


def test_csrc_hostile_json():
    results = [
        {"url": "javascript:alert(1)", "title": "a"},
        {"url": "JavaScript://www.csrc.gov.cn/%0aalert(1)", "title": "b"},
        {"url": "//www.csrc.gov.cn/csrc/c1/c2/content.shtml", "title": "T\u0000\u202e<script>\r\nBcc: v@x\ud800",
         "contentHtml": "<p>正文<script>alert(1)</script><img src=x onerror=alert(1)>\u0000\u2066X</p>",
         "channelName": "行政处罚\u0000决定", "domainMetaList": [1, "x", {"resultList": [None, {"key": "wh",
                                                                                          "value": "〔2026〕1号\u202e"}]}],
         "resList": [{"filePath": "javascript:x.pdf"}, {"filePath": "http://[bad"}, 7,
                     {"filePath": "/csrc/a.pdf", "fileName": "附件\u0000\ud800"}],
         "publishedTimeStr": ["2026-01-01"], "publishedTime": 1e300},
        {"url": "/csrc/c3/content.shtml", "title": "relative"},
    ]
    body = json.dumps({"data": {"total": 4, "page": 1, "results": results}})
    page = csrc.parse_list(body, csrc.list_url(HQ_PENALTIES, 1))
    assert [p.split(":")[0] for p in page.problems] == ["result 0", "result 1"]
    hostile, relative = page.items
    assert (hostile.title, hostile.text, hostile.doc_number, hostile.published) == (
        "T<script> Bcc: v@x\ufffd", "正文X", "〔2026〕1号", None)
    assert hostile.channel_name == "行政处罚决定"
    assert [(a.url, a.name) for a in hostile.attachments] == [("https://www.csrc.gov.cn/csrc/a.pdf", "附件\ufffd")]
    assert relative.url == "https://www.csrc.gov.cn/csrc/c3/content.shtml"
    n = csrc._notice(hostile, HQ_PENALTIES, hostile.text)
    n.identity(), n.content_hash()


@pytest.mark.parametrize("body", ["[" * 100_000, '{"data": {"total": 1e400, "results": []}}', "\x00", "",
                                  '{"data": {"total": NaN, "page": 1, "results": []}}', '{"data": []}', "null"])
def test_csrc_structural_garbage_is_a_parse_error(body):
    with pytest.raises(ParseError):
        csrc.parse_list(body, "u")


# ================================================================ property-based: parsers


def assert_amac_list(lp) -> None:
    assert isinstance(lp, amac.ListPage) and lp.rows and isinstance(lp.page_count, int) and lp.page_count >= 1
    for r in lp.rows:
        assert_http_url(r.url)
        assert_safe_str(r.title, one_line=True)
        assert_date(r.published)


def assert_amac_notice(p, url: str) -> None:
    assert isinstance(p, amac.NoticePage)
    assert p.title
    assert_safe_str(p.title, one_line=True)
    assert_safe_str(p.text)
    assert_date(p.published)
    assert p.doc_number is None or (assert_safe_str(p.doc_number, one_line=True) is None and p.doc_number)
    for a in p.attachments:
        assert isinstance(a, Attachment)
        assert_http_url(a.url)
        assert_safe_str(a.name)
    n = Notice(source="amac", url=url, title=p.title, text=p.text, published=p.published, doc_number=p.doc_number,
               attachments=p.attachments)
    n.identity(), n.content_hash()


def assert_csrc_page(page) -> None:
    assert isinstance(page, csrc.SearchPage) and isinstance(page.total, int) and isinstance(page.page, int)
    assert all(isinstance(p, str) for p in page.problems)
    for it in page.items:
        assert_http_url(it.url)
        assert it.url.startswith("https://")
        assert it.title
        assert_safe_str(it.title, one_line=True)
        assert_safe_str(it.channel_name, one_line=True)
        assert_date(it.published)
        assert it.text is None or (it.text and assert_safe_str(it.text) is None)
        assert it.doc_number is None or (it.doc_number and assert_safe_str(it.doc_number) is None)
        for a in it.attachments:
            assert_http_url(a.url)
            assert_safe_str(a.name)
        assert all(isinstance(k, str) and isinstance(v, str) and assert_safe_str(v) is None for k, v in it.meta.items())
        for cid in (HQ_PENALTIES, "not-a-known-channel"):
            n = csrc._notice(it, cid, it.text or "正文")
            n.identity(), n.content_hash()
            assert_safe_str(n.series or "")


def only_parse_errors(fn, *args):
    """fn(*args), or None when it raised ParseError; any other exception fails the test."""
    try:
        return fn(*args)
    except ParseError:
        return None


CONTENT_TYPES = st.sampled_from([None, "text/html", "text/html; charset=utf-8", "text/html; charset=gbk",
                                 "application/json; charset=iso-8859-1", "text/html; charset=bogus-charset"])
HREFS = st.one_of(st.sampled_from(JS_URLS + ["/zlgl/jlcf/scfjg/202601/t20260101_1.html", "t20250101_2.html", "#",
                                             "http://[::1", "//www.amac.org.cn/x.html", "a.pdf", "", " ",
                                             "https://www.amac.org.cn/\x00.pdf"]), untrusted)
DATES = st.one_of(st.sampled_from(["2026-01-05", "2026年1月5日", "2026/13/45", "0000-00-00", "9999-12-31 23:59:59"]),
                  untrusted)


@st.composite
def amac_list_html(draw) -> str:
    rows = draw(st.lists(st.builds(
        lambda h, t, x, d: f'<li><a href="{h}" title="{t}">{x}</a><span>{d}</span></li>', HREFS, untrusted, untrusted,
        DATES), max_size=4))
    count = draw(st.one_of(st.integers(-5, 10**12).map(str), untrusted))
    container = draw(st.sampled_from(['<div class="content-right"><div class="c-box"><ul>', '<div class="list"><ul>',
                                      "<ul>", "<div class=\"content-right\">"]))
    return f"<html><body>{container}{''.join(rows)}</ul></div></div><script>createPageHTML({count}, 0)</script>"


@st.composite
def amac_detail_html(draw) -> str:
    links = "".join(f'<a href="{h}">{t}</a>' for h, t in draw(st.lists(st.tuples(HREFS, untrusted), max_size=3)))
    body = draw(st.sampled_from(["TRS_Editor", "job-infos", "article-content", "nothing"]))
    heading = draw(st.sampled_from(['<div class="content-right"><div class="title"><h3>{}</h3></div></div>',
                                    "<h1>{}</h1>", "<title>{}</title>", "{}"])).format(draw(untrusted))
    meta = f'<meta name="PubDate" content="{draw(DATES)}">'
    nest = draw(st.integers(0, 3000))
    return (f"<html><head>{meta}</head><body>{heading}<div class=\"{body}\">{'<div>' * nest}{draw(untrusted)}"
            f"{links}</div></body></html>")


def _splice(doc: str, cut: int, insert: str) -> str:
    cut = cut % (len(doc) + 1)
    return doc[:cut] + insert + doc[cut:]


def damaged(doc: str):
    """A saved real page with hostile text spliced in at a random place, or cut off at a random place."""
    return st.one_of(st.builds(_splice, st.just(doc), st.integers(0, 10**6), untrusted),
                     st.builds(lambda c: doc[:c], st.integers(0, len(doc))))


AMAC_LIST_FIXTURE = (FIX / "amac/zlgl/jlcf/scfjg/index.html").read_text(encoding="utf-8")
AMAC_DETAIL_FIXTURE = (FIX / "amac/zlgl/jlcf/scfry/202411/t20241108_25891.html").read_text(encoding="utf-8")
CSRC_FIXTURE = next((FIX / "csrc/searchList").rglob("page-1.json")).read_text(encoding="utf-8")


@SETTINGS
@given(html=st.one_of(amac_list_html(), st.text(), untrusted,
                      st.builds(decode_body, st.binary(max_size=300), CONTENT_TYPES),
                      damaged(AMAC_LIST_FIXTURE)))
def test_property_amac_parse_list(html):
    lp = only_parse_errors(amac.parse_list, html, amac.page_url("scfjg", 1))
    if lp is not None:
        assert_amac_list(lp)


@SETTINGS
@given(html=st.one_of(amac_detail_html(), st.text(), untrusted,
                      st.builds(decode_body, st.binary(max_size=300), CONTENT_TYPES),
                      damaged(AMAC_DETAIL_FIXTURE)))
def test_property_amac_parse_notice(html):
    p = only_parse_errors(amac.parse_notice, html, AMAC_URL)
    if p is not None:
        assert_amac_notice(p, AMAC_URL)


json_leaf = st.one_of(st.none(), st.booleans(), st.integers(-2**70, 2**70), st.floats(), untrusted)
json_any = st.recursive(json_leaf, lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=6), c, max_size=3),
                        max_leaves=6)
CSRC_URLS = st.one_of(st.sampled_from(JS_URLS + ["//www.csrc.gov.cn/csrc/c1/c2/content.shtml", "/csrc/c3/content.shtml",
                                                 "http://www.csrc.gov.cn/x.shtml", "http://[::1", "content.shtml", ""]),
                      untrusted, json_any)
kv = st.fixed_dictionaries({}, optional={"key": st.one_of(st.sampled_from(["wh", "syh", "fwrq"]), json_any),
                                         "value": st.one_of(untrusted, json_any)})
result = st.fixed_dictionaries({}, optional={
    "url": CSRC_URLS, "title": st.one_of(untrusted, json_any), "subTitle": untrusted,
    "contentHtml": st.one_of(untrusted, amac_detail_html(), json_any), "content": st.one_of(untrusted, json_any),
    "publishedTimeStr": st.one_of(DATES, json_any), "publishedTime": st.one_of(st.integers(), st.floats(), json_any),
    "channelName": st.one_of(untrusted, json_any),
    "domainMetaList": st.one_of(st.lists(st.one_of(st.fixed_dictionaries(
        {}, optional={"resultList": st.one_of(st.lists(st.one_of(kv, json_any), max_size=3), json_any)}), json_any),
        max_size=2), json_any),
    "resList": st.one_of(st.lists(st.one_of(st.fixed_dictionaries({}, optional={
        "filePath": st.one_of(HREFS, json_any), "fileName": st.one_of(untrusted, json_any),
        "title": untrusted}), json_any), max_size=3), json_any),
})
search_page = st.fixed_dictionaries({}, optional={"data": st.one_of(st.fixed_dictionaries({}, optional={
    "total": st.one_of(st.integers(-3, 10**30), st.floats(), untrusted, json_any),
    "page": st.one_of(st.integers(-3, 10), json_any), "channelName": st.one_of(untrusted, json_any),
    "results": st.one_of(st.lists(st.one_of(result, json_any), max_size=4), json_any)}), json_any)})


@SETTINGS
@given(body=st.one_of(st.builds(lambda d, a: json.dumps(d, ensure_ascii=a), search_page, st.booleans()),
                      st.text(), untrusted, st.builds(decode_body, st.binary(max_size=300), CONTENT_TYPES),
                      damaged(CSRC_FIXTURE)))
def test_property_csrc_parse_list(body):
    page = only_parse_errors(csrc.parse_list, body, csrc.list_url(HQ_PENALTIES, 1))
    if page is not None:
        assert_csrc_page(page)


@SETTINGS
@given(html=st.one_of(st.builds(lambda b, n: f'<div class="detail-news">{"<p><span>" * n}{b}</div>', untrusted,
                                st.integers(0, 3000)),
                      amac_detail_html(), st.text(), st.builds(decode_body, st.binary(max_size=300), CONTENT_TYPES)))
def test_property_csrc_parse_notice(html):
    text = only_parse_errors(csrc.parse_notice, html, CSRC_URL)
    if text is not None:
        assert text
        assert_safe_str(text)


# ================================================================ property-based: normalisers and amounts

NORM_ALPHABET = st.one_of(st.sampled_from(list("中文当事人張三違規罰款 \n\t\r\u3000\u00a0，、（）“”。;；!！?？.,"
                                               "1234567890一二十百千万亿元零〇两壹贰$£€kmMbn【】〖〗﹝﹞\u200b\ufeff"
                                               "\u2002\u2003\u2009\u2018\u2019\u201c\u201d\u2013\u2014\u202e\x00'\"-")
                                          + ["million", "Inc.", "No. ", "U.S.", "一是", "（一）", "1."]),
                          st.characters())
norm_text = st.lists(NORM_ALPHABET, max_size=40).map(_join)


@settings(deadline=None, max_examples=150)
@given(s=norm_text)
def test_property_normalisers_never_crash_and_are_idempotent(s):
    z = nz.normalize_zh(s)
    assert nz.normalize_zh(z) == z and "\r" not in z and z == z.strip()
    e = nz.normalize_en(s)
    assert nz.normalize_en(e) == e and "\r" not in e
    t = nz.to_simplified(s)
    assert nz.to_simplified(t) == t
    assert nz.detect_lang(s, s) in ("zh", "en")
    for split, ok in ((nz.split_clauses_zh, lambda c: c.strip()), (nz.split_sentences_en, lambda c: c[0] not in " ,\n")):
        prev = 0
        for a, b in split(s):  # ordered, disjoint, in range, never empty
            assert prev <= a < b <= len(s) and ok(s[a:b])
            prev = b


@settings(deadline=None, max_examples=150)
@given(s=st.lists(NORM_ALPHABET, max_size=30).map(_join))
def test_property_amounts_never_crash_on_short_text(s):
    for found in (am.find_amounts_zh(s), am.find_amounts_en(s), [a for a in [am.parse_amount_en(s)] if a]):
        for a in found:
            assert isinstance(a.value, (int, float)) and a.value >= 0 and a.value == a.value  # not NaN
            assert 0 <= a.start < a.end <= len(s) and a.currency
    am.parse_cn_number(s)
    am.parse_number(s)


@settings(deadline=None, max_examples=100)
@given(n=st.integers(0, 10**11), prefix=st.sampled_from(["", "人民币", "罚款", "并处"]), commas=st.booleans())
def test_property_amounts_read_back_what_was_written(n, prefix, commas):
    written = f"{n:,}" if commas else str(n)
    assert [a.value for a in am.find_amounts_zh(f"{prefix}{written}元")] == [n]
    assert [a.value for a in am.find_amounts_en(f"a penalty of ${n:,}")] == [n]
    assert [a.value for a in am.find_amounts_zh(f"{prefix}{n}万元")] == [n * 10_000]


@pytest.mark.parametrize("text", ["9" * 400 + "元", "一" * 400 + "元", "一" + "亿" * 60 + "元", "$" + "9" * 400],
                         ids=["400-digits-yuan", "400-cn-digits-yuan", "yi-60-times", "400-digits-usd"])
def test_amounts_survive_numbers_beyond_float_range(text):
    am.find_amounts_zh(text)
    am.find_amounts_en(text)
    am.parse_amount_en(text)


# ================================================================ property-based: the renderer

hit = st.fixed_dictionaries({"entity": untrusted, "matched_name": untrusted, "method": untrusted,
                             "score": st.floats(0, 100), "field": st.sampled_from(["title", "text", "respondents"]),
                             "span": st.one_of(st.none(), st.tuples(st.integers(0, 99), st.integers(0, 99)))})
raw_notice = st.fixed_dictionaries({
    "id": st.text(st.characters(codec="ascii", categories=["L", "N"]), min_size=1, max_size=8),
    "source": st.sampled_from(["csrc", "amac", "sec", "unknown"]),
    "title": untrusted, "text": untrusted, "issuer": untrusted, "doc_number": untrusted, "published": untrusted,
    "url": st.one_of(st.none(), st.sampled_from(JS_URLS + [CSRC_URL, AMAC_URL + "?a=1&b=<2>"]), untrusted),
    "respondents": st.lists(st.one_of(untrusted, st.fixed_dictionaries({"name": untrusted})), max_size=3),
    "violations": st.lists(st.sampled_from(VIOLATIONS), max_size=2, unique=True),
    "sanctions": st.lists(st.sampled_from(SANCTIONS), max_size=2, unique=True),
    "fine_amount": st.one_of(st.none(), st.floats(0, 1e12)),
    "fine_currency": st.sampled_from([None, "CNY", "USD", "GBP"]),
    "amended": st.booleans(),
    "labels": st.fixed_dictionaries({
        "evidence": st.dictionaries(st.sampled_from(VIOLATIONS + SANCTIONS), st.one_of(untrusted, st.lists(untrusted)),
                                    max_size=3),
        "sanction_params": st.dictionaries(st.sampled_from(SANCTIONS), st.one_of(
            untrusted, st.dictionaries(st.sampled_from(["months", "years", "note", "lifetime"]), untrusted,
                                       max_size=2)), max_size=2)}),
})


@SETTINGS
@given(n=raw_notice, sub=untrusted, filters=st.lists(untrusted, max_size=2), hits=st.lists(hit, max_size=2),
       extra=untrusted)
def test_property_alert_render_escapes_any_strings(n, sub, filters, hits, extra):
    view = notice_view(n, watch_hits=hits)
    subject, text, html, twin = render_with_twin(render_alert, subscription=sub, notice=view, filters=filters)
    assert_safe_html(html)
    assert_same_structure(html, twin)
    assert_safe_plain(text)
    assert_safe_str(subject, one_line=True)
    assert text.split("\n")[0] == subject
    assert "\n* " + view["title"] in "\n" + text  # the title, whatever it held, is one line of the text part
    extra_headers = {"X-Regwatch-Subscription": extra}
    assert_mail_round_trip(build(subject, text, html, extra=extra_headers), subject, text, html, extra_headers)


@SETTINGS
@given(notices=st.lists(raw_notice, min_size=0, max_size=3, unique_by=lambda n: n["id"]), sub=untrusted,
       errors=st.lists(untrusted, max_size=2))
def test_property_digest_render_escapes_any_strings(notices, sub, errors):
    views = [notice_view(n) for n in notices]
    health = [{"source": "csrc", "name": "中国证监会 CSRC", "state": "failing", "consecutive_failures": 2,
               "last_error": clean_text(e, 300), "last_run": "2026-11-26 17:00"} for e in errors]
    dg = Digest(sub, NOW - timedelta(days=1), NOW, "Asia/Shanghai", views, group_notices(views), health, len(views),
                filters=[clean_text(f, 200) for f in errors])
    subject, text, html, twin = render_with_twin(render_digest, digest=dg)
    assert_safe_html(html)
    assert_same_structure(html, twin)
    assert_safe_plain(text)
    assert_safe_str(subject, one_line=True)
    assert_mail_round_trip(build(subject, text, html), subject, text, html)


@SETTINGS
@given(value=st.one_of(untrusted, st.text()), limit=st.integers(1, 400))
def test_property_clean_and_header_text(value, limit):
    c, h = clean_text(value, limit), header_text(value, limit)
    assert len(c) <= limit and len(h) <= limit
    assert_safe_str(c)
    assert_safe_str(h, one_line=True)
    assert h == h.strip() and "  " not in h
    assert clean_text(c, limit) == c and header_text(h, limit) == h  # idempotent
    assert not (set(c) | set(h)) & {chr(k) for k in BIDI}
