"""AMAC 中国证券投资基金业协会 — 纪律处分 (受处分机构 / 受处分人员), static TRS-CMS HTML lists + detail pages.

Structure per ../shared/docs/sources.md §1 (R1 discovery.py): list pages index.html, index_1.html, …; page count in
`createPageHTML(N, …)`; rows `.content-right .c-box li > a[href]` with a date in the li; detail body `.TRS_Editor`;
many decisions are only an attached PDF.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from monitor.errors import BlockedError, ConfigError, FetchError, NetworkError, ParseError, RegwatchError
from monitor.models import Attachment, Notice, safe_text
from scrapers.base import (
    SourceInfo,
    clean_text,
    find_date,
    find_doc_number,
    html_to_text,
    is_attachment,
    select_first,
)

if TYPE_CHECKING:
    from monitor.context import Context

SOURCE = SourceInfo(
    id="amac",
    name="中国证券投资基金业协会",
    issuer="中国证券投资基金业协会",
    base_url="https://www.amac.org.cn",
    official_hosts=("www.amac.org.cn", "amac.org.cn"),
    default_schedule="30 8,12,18 * * *",
    min_delay=2.0,
    expected_cadence_days=14,
    block_markers=("请求已中断", "WAF"),
    lang="zh",
)

LISTS: dict[str, tuple[str, str]] = {  # list id -> (path under the site root, human name)
    "scfjg": ("/zlgl/jlcf/scfjg/", "受处分机构"),
    "scfry": ("/zlgl/jlcf/scfry/", "受处分人员"),
}
ROW_CONTAINERS = (".content-right .c-box", ".content-right", ".list-r", ".list")
TITLE_SELECTORS = (".content-right .title h3", "h1")
BODY_SELECTORS = (".TRS_Editor", ".job-infos", ".article-content")
PAGE_COUNT_RE = re.compile(r"createPageHTML\(\s*(\d{1,9})\s*,")  # bounded: int() of 5000 digits raises
URL_DATE_RE = re.compile(r"t(\d{4})(\d{2})(\d{2})_\d+\.html?$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
SHORT_BODY = 120  # characters: a body this short ("详见附件") is a cover for the attached decision


@dataclass(frozen=True)
class ListRow:
    url: str
    title: str
    published: str | None


@dataclass(frozen=True)
class ListPage:
    rows: list[ListRow]
    page_count: int


@dataclass
class NoticePage:
    title: str
    text: str
    published: str | None
    doc_number: str | None
    attachments: list[Attachment] = field(default_factory=list)


def page_url(list_id: str, page_no: int) -> str:
    """Official URL of 1-based list page `page_no` (TRS-CMS: index.html, index_1.html, index_2.html …)."""
    path = LISTS[list_id][0]
    name = "index.html" if page_no == 1 else f"index_{page_no - 1}.html"
    return f"{SOURCE.base_url}{path}{name}"


def date_from_url(url: str) -> str | None:
    m = URL_DATE_RE.search(url.split("?", 1)[0])
    return find_date(f"{m.group(1)}-{m.group(2)}-{m.group(3)}") if m else None


def _absolute(base: str, href: str) -> str | None:
    """Official absolute http(s) URL of `href`, or None for garbage (other schemes, control characters, no host,
    an unparseable authority such as "http://[" that makes urljoin raise; bidi or zero-width characters, which the
    Notice would strip, so the stored URL would never equal the listed one and the row would never be known)."""
    try:
        url = urljoin(base, href)
        ok = (url.startswith(("http://", "https://")) and not _CONTROL.search(url) and safe_text(url) == url
              and bool(urlsplit(url).hostname))
    except ValueError:
        return None
    return url if ok else None


def parse_list(html: str, page_url: str) -> ListPage:
    """Rows of one list page (official absolute URLs) and the total page count."""
    tree = LexborHTMLParser(html)
    box = select_first(tree, *ROW_CONTAINERS, url=page_url)
    assert box is not None
    rows: list[ListRow] = []
    for li in box.css("li"):
        a = li.css_first("a[href]")
        if a is None:
            continue
        href = (a.attributes.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "#")):
            continue
        url = _absolute(page_url, href)
        if url is None:
            continue  # garbage (a cut-off page, binary junk): never a row, so a broken page stays a ParseError
        title = clean_text(a.attributes.get("title") or a.text(deep=True)).replace("\n", " ")
        span = li.css_first("span")
        published = find_date(span.text(deep=True)) if span is not None else None
        rows.append(ListRow(url=url, title=title, published=published or find_date(li.text(deep=True))
                            or date_from_url(url)))
    if not rows:
        raise ParseError("list page has no rows (redesign or block page?)", url=page_url)
    m = PAGE_COUNT_RE.search(html)
    return ListPage(rows=rows, page_count=max(1, int(m.group(1))) if m else 1)


def parse_notice(html: str, url: str) -> NoticePage:
    """Title, body text, 文号 and attachments of a detail page."""
    tree = LexborHTMLParser(html)
    tree.strip_tags(["script", "style", "noscript", "template"])  # never part of a title, body or link text
    body = select_first(tree, *BODY_SELECTORS, url=url)
    assert body is not None
    heading = select_first(tree, *TITLE_SELECTORS, url=url, required=False)
    title = clean_text(heading.text(deep=True)) if heading is not None else ""
    if not title:
        t = tree.css_first("title")
        title = clean_text(t.text()).split("-中国证券投资基金业协会")[0].strip() if t is not None else ""
    if not title:
        raise ParseError("detail page has no title", url=url)
    attachments = []
    for a in body.css("a[href]"):
        href = (a.attributes.get("href") or "").strip()
        if is_attachment(href) and (att_url := _absolute(url, href)) is not None:
            attachments.append(Attachment(url=att_url, name=clean_text(a.text(deep=True))))
    text = html_to_text(body)
    meta = tree.css_first('meta[name="PubDate"]')
    published = find_date(meta.attributes.get("content") or "") if meta is not None else None
    return NoticePage(title=" ".join(title.split()), text=text, doc_number=find_doc_number(text),
                      published=published or date_from_url(url), attachments=attachments)


def _lists(ctx: Context) -> list[str]:
    wanted = ctx.config.lists or list(LISTS)
    unknown = [x for x in wanted if x not in LISTS]
    if unknown:
        msg = f"unknown list {', '.join(unknown)} (known: {', '.join(LISTS)})"
        raise ConfigError([("sources.amac.lists", None, msg)])
    return wanted


def _notice(ctx: Context, row: ListRow, list_id: str) -> Notice:
    fetched = ctx.fetch(row.url)
    assert fetched is not None
    page = parse_notice(fetched.text, row.url)
    text = page.text
    pdfs = [a for a in page.attachments if a.url.lower().split("?", 1)[0].endswith(".pdf")]
    if len(text) < SHORT_BODY and pdfs and ctx.config.fetch_attachments:
        att = ctx.fetch(pdfs[0].url)
        assert att is not None
        extracted = clean_text(ctx.pdf_text(att.content))
        if extracted:
            text = extracted
    return Notice(
        source=SOURCE.id, url=row.url, title=page.title or row.title, text=text,
        published=row.published or page.published, issuer=SOURCE.issuer, channel=list_id,
        doc_number=find_doc_number(text) or page.doc_number, attachments=page.attachments,
        extra={"list": LISTS[list_id][1], "list_title": row.title},
    )


def _crawl_list(ctx: Context, list_id: str) -> Iterator[Notice]:
    url = page_url(list_id, 1)
    fetched = ctx.fetch(url, conditional=True)
    if fetched is None:  # 304: the list is unchanged since the last run
        return
    page_no = 1
    while True:
        listing = parse_list(fetched.text, url)
        # decided before yielding: the pipeline stores each notice as it comes, which would make every row "known"
        more = page_no < listing.page_count and ctx.continue_paging(page_no, [r.url for r in listing.rows])
        for row in listing.rows:
            if ctx.is_known(row.url):
                continue
            try:
                yield _notice(ctx, row, list_id)
            except (BlockedError, NetworkError):
                raise  # the site is refusing us: the run failed, not one record
            except (FetchError, ParseError) as exc:
                ctx.warn(f"amac {list_id}: skipped {row.url}: {exc}")
        if not more:
            return
        page_no += 1
        url = page_url(list_id, page_no)
        fetched = ctx.fetch(url)
        assert fetched is not None


def crawl(ctx: Context) -> Iterator[Notice]:
    """Each list in turn; a broken list is warned, the other still runs, then the first error is raised."""
    failures: list[RegwatchError] = []
    for list_id in _lists(ctx):
        try:
            yield from _crawl_list(ctx, list_id)
        except (BlockedError, NetworkError):
            raise
        except (FetchError, ParseError) as exc:
            ctx.warn(f"amac {list_id}: {exc}")
            failures.append(exc)
    if failures:
        raise failures[0]
