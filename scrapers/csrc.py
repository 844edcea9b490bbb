"""CSRC 中国证监会 + 派出机构 — 行政处罚决定 / 市场禁入决定 / 行政监管措施 via the searchList JSON API.

Per ../shared/docs/sources.md §2: `GET /searchList/{channelId}?_isJson=true…&page=N` → `data.{total, page, rows,
channelId, channelName, results[]}`; each result carries title/subTitle, a protocol-relative url, publishedTimeStr,
the 文号 in domainMetaList[].resultList[] (key `wh`) and usually the full text in contentHtml.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from monitor.errors import BlockedError, FetchError, NetworkError, ParseError, RegwatchError
from monitor.models import Attachment, Notice, safe_text
from scrapers.base import SourceInfo, clean_text, find_doc_number, html_to_text, parse_date, select_first

if TYPE_CHECKING:
    from monitor.context import Context

SOURCE = SourceInfo(
    id="csrc",
    name="中国证券监督管理委员会",
    issuer="中国证监会",
    base_url="http://www.csrc.gov.cn",
    official_hosts=("www.csrc.gov.cn", "csrc.gov.cn"),
    default_schedule="15 9,13,19 * * *",
    min_delay=5.0,  # R1 grades csrc.gov.cn "单并发、5秒以上间隔"
    expected_cadence_days=7,
    # a WAF/anti-bot HTML page where JSON was expected (JSON bodies are never scanned for markers); 403 is the
    # block R2 reports, and the HTTP layer already treats 403/412 as BlockedError
    block_markers=("请求已中断", "WAF"),
    lang="zh",
)

PAGE_SIZE = 18
HQ = "中国证监会"


@dataclass(frozen=True)
class Channel:
    issuer: str
    name: str


# HQ channels: sources.md §2 (R2 org2id "总部"). 行政执法 29ae08ca… is an umbrella over the others and is left out.
_HQ_CHANNELS = {
    "17d5ff2fe43e488dba825807ae40d63f": "行政处罚决定",
    "3795869930ca4b70bf55469270a6e641": "市场禁入决定",
    "3ff8b60a78ab4c749387d99b9164ec6e": "行政监管措施",
    "0d9699d43e754cca958057f019998a5c": "行政监管措施",
}
# Bureau channels: (行政处罚决定, 市场禁入决定 | None, 行政监管措施 | None) per 派出机构, from R2 =
# yangguo/dbcsrc backend/web_crawler.py `org2id` (stored version @00250fc, same map as @4129c6a cited in sources.md);
# 北京/上海/深圳/广东 处罚 and 北京/上海/深圳 措施 are also quoted in sources.md. None = R2 lists no such channel.
# 新疆's 处罚 id in R2 repeats 山西's (085ed9d1…), a copy-paste slip there: the id is kept for 山西 only, so
# 新疆 penalties are not covered until its real channelId is recorded (getLocalList?channelCode=…).
_BUREAUS: dict[str, tuple[str | None, str | None, str | None]] = {
    "北京": ("53be9cf2273744cda5c5780e0dded972", "8fae491ec565487491e08a1469476df5", "ea82afe8502d46aebea7346f0729dd85"),
    "天津": ("8dce98784326429e9c97515b634723fe", None, "f374ea9e12af484691ef888847fb6615"),
    "河北": ("e838879760e84c668062433e2cdbc389", "03efc68cb7cf4e65a5ee1e4e96d19a69", "4091867fdc664e169267aefc763c6d1d"),
    "山西": ("085ed9d1e1dc437cb9945e961fb2f5a0", "df89d13c12024339b008cb48dd820882", "7de444553c114e0f9dd0b5de7733cf5f"),
    "内蒙古": ("e4f2dbcdd85c4bac9a9e9a6f2d093d19", None, "4c96602a020c4398adfc7123a48f2ee1"),
    "辽宁": ("94cc260b27d2430b8c39c21e4627cf2e", "d1e464deb9ce4cdab2c1b40bede29c40", "58df751f822a42a0acb1abd7471c71f8"),
    "吉林": ("9a3520fd5ea644c2ad6e05acd0a05401", None, "366f3072cbe143bebd533ef37f04eff5"),
    "黑龙江": ("370916bda2524acdb187191fbba13f44", "5ebef8919c8a409fb888701b1887034b", "e41f4e2fc9b34f5bab55489864313654"),
    "上海": ("c8318fc200764e38b30116c2d5f72b4b", "df44b3a122c6406db6e6f1dcd02c90c9", "9ebc4198232e496e8bebf1b1bb1778ef"),
    "江苏": ("b335834574a34e43874ef3dba68d5be5", "920da2d21d444b99829711457b624ab8", "9d6dfc15aa6144c8aea00f9878bdb1ce"),
    "浙江": ("441d2ae10ef240cbbcfca758a73356f2", "183083760abf4395b964a8a8e3038716", "83e130eb74f74d458c81027715955391"),
    "安徽": ("83fb5344bde849ea8973f3715a680a15", "fe3b67dca3a14f908960d6d3a9bcea2b", "5efe954d7f8049128e04a5141fc23da6"),
    "福建": ("3df69151384a46cf8c8d11584cff5e94", "4c9fdc7debfd49218f6fbdfaa804061f", "e0d6aa56b3564735930b1cc078646d49"),
    "江西": ("97691c60bc9a4b96af8b79df53b13b74", None, "9520f36bb312424bbeffb08c4542d83c"),
    "山东": ("3a1acab4996548faa7532b957ebf4f8e", "c73b329b9d114b8b850b789b7dd682b2", "f8979e6c0b544e1992fea51d3c8739e3"),
    "河南": ("9724ed53f22a4333b91c65c349edaf48", "b84c5f0139f346c2a4174f229074dcf3", "92dfd6c412c2470bb93ed753c3404bc4"),
    "湖北": ("f0a7388893fa4c15a2d6482510e2fb31", "ef65fb100c394c049a776d9f55f91540", "5a4e3e893a5f45d3a3f450cb8f96c635"),
    "湖南": ("9182876b7fe841d3a2990998f5b756f3", None, "2f087f7010fb43788a9015f21448447a"),
    "广东": ("02a93424320e46dea2631da827f96174", "45c4bd0b8818479a9a55f7d68ddf1d64", "29a1328dc824498b89eae8e63c38837f"),
    "广西": ("f12807ebb0f948afaf7070627fadad7e", "d5c5271fed23434094bf6ba3b5d4709b", "9b57abde8c1541239b97224e26ba1da3"),
    "海南": ("6d27bb42929c46ae8487a14f41fab43b", "8bbdb3cb7e7c4c729fc28e2420073790", "c42cd21f50b84d16a8614fdf1cc3e478"),
    "重庆": ("febe5cf9074b4ce6a52fd3d34d7a5cba", None, "55dbc14f9bea476bb09743d5f1c8c842"),
    "四川": ("6cd6f0ccbd2f49c6af32878d34c54ae6", "901f0f0751dc4cfb83bc035a332fdc47", "c8ec4969173148c19b6d52afc6500b49"),
    "贵州": ("8bcfadbce6b74f178c37e6eafa9438b0", "bcae0b7fe2e6473aa1d0b4b67f35b808", "7f610f00f3b6435f9e7b730f125db5e6"),
    "云南": ("99481e931fc94d13b8592449acb386a4", "be1b3f4ddb264702b12f2e6795082ef9", "ebb6ce034bb84594a0f0c06fccecde9b"),
    "西藏": ("10f9fd2824c444ffafeaed5192682d55", None, "5860856427aa48a98445caad530c723d"),
    "陕西": ("f0dad1ecc157416ea412e4a0608e04bd", None, "f6c680055f9e43e7addf9493680a6112"),
    "甘肃": ("8e13b6a296324a60bc247a4a8a1df6a6", None, "ab8c66c4e8b24a169ad3b8f93d6d7fab"),
    "青海": ("439a663f89484376be17d4dcae953254", "dcd6e6dc74d94b0fbc46812b9721fc13", "989b26dfc95a4188b64b3f9d4895ddd9"),
    "宁夏": ("45da89683b9d4a4c9657ebc12da2a73c", None, "90ada2ec65a44e3797cbb858e62ba748"),
    "新疆": (None, None, "95e320eada3b4b2a8a0b319f991d392c"),
    "大连": ("fd0d6ccfc90640ec8af49b99d4af14f2", "e69e418d713644018609ebea0ca891b3", "fdf5c88757e04212a6dd66f396b21168"),
    "宁波": ("8e2d5a7bf989489fb9caa99a39bfaa70", "bf62ab47f6d24bfeadfd38847970904e", "fd693136e4cd4936a2ddb2255e5c1257"),
    "厦门": ("0c1b68108fca4de0b240caaa32f901ed", "e2498cacabda4ce19405bbf42de0c973", "e3feac23205440e5b10ed81efa9dd94b"),
    "青岛": ("e3e00f2b72414f1c9ea951eeb010a6cf", "c0cb4dce3ac64e7fa57e20a86ba6c598", "453f88a0ab9642f88908e41ceb78003d"),
    "深圳": ("a3d847e5be4d40a5baaf387be4a56e9b", "e20fe3b27d88473fbfced87a436a577e", "58959eb1bd68458088cac63f46a5fa40"),
}
_KINDS = ("行政处罚决定", "市场禁入决定", "行政监管措施")

CHANNELS: dict[str, Channel] = {cid: Channel(HQ, name) for cid, name in _HQ_CHANNELS.items()}
for _bureau, _ids in _BUREAUS.items():
    for _kind, _cid in zip(_KINDS, _ids):
        if _cid:
            CHANNELS[_cid] = Channel(f"{_bureau}证监局", _kind)
DEFAULT_CHANNELS: tuple[str, ...] = tuple(CHANNELS)


@dataclass
class Item:
    url: str
    title: str
    published: str | None
    doc_number: str | None
    text: str | None  # None: the list lacks the text, fetch the detail page
    channel_name: str
    attachments: list[Attachment] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)


@dataclass
class SearchPage:
    total: int
    page: int
    items: list[Item]
    problems: list[str]  # one line per result skipped as malformed


def list_url(channel_id: str, page: int) -> str:
    return (f"{SOURCE.base_url}/searchList/{channel_id}?_isAgg=true&_isJson=true&_pageSize={PAGE_SIZE}"
            f"&_template=index&_rangeTimeGte=&_channelName=&page={page}")


def official_https(url: str) -> str:
    """Protocol-relative or http CSRC URL → https official URL."""
    u = url.strip()
    if u.startswith("//"):
        return "https:" + u
    if u.startswith("http://"):
        return "https://" + u[len("http://"):]
    return u


def issuer_for(channel_id: str, url: str) -> str:
    """Issuing body of a result: from the channel map, else from the URL's first path segment (`/csrc/` = HQ)."""
    if channel_id in CHANNELS:
        return CHANNELS[channel_id].issuer
    seg = urlsplit(url).path.strip("/").split("/", 1)[0]
    # an unmapped bureau keeps its own path slug so its 文号 never collides with another bureau's
    return HQ if seg in ("", "csrc") else f"证监会派出机构({seg})"


def _dicts(value: Any) -> list[dict[str, Any]]:
    """The objects of a JSON list (anything else in the list, or a non-list, is ignored: the API is not ours)."""
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _meta(result: dict[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for dom in _dicts(result.get("domainMetaList")):
        for kv in _dicts(dom.get("resultList")):
            key, value = kv.get("key"), kv.get("value")
            if isinstance(key, str) and isinstance(value, (str, int, float)) and not isinstance(value, bool):
                if text := clean_text(str(value)):
                    out.setdefault(key, text)
    return out


def _official(raw: str, base: str) -> str | None:
    """Official https URL of a result or attachment link (relative ones joined to `base`); None if unusable."""
    try:
        url = official_https(urljoin(base, raw.strip()))
        if (re.search(r"[\x00-\x1f\x7f]", url) or safe_text(url) != url or not url.startswith("https://")
                or not urlsplit(url).hostname):  # invisible characters: the Notice would strip them (never known)
            return None
    except ValueError:  # "http://[": urljoin / urlsplit raise on a broken authority
        return None
    return url


def _item(r: dict[str, Any], channel_name: str) -> Item:
    raw_url = r.get("url")
    if not isinstance(raw_url, str) or not raw_url.strip():
        raise ValueError("no url")
    url = _official(raw_url, SOURCE.base_url + "/")
    if url is None:
        raise ValueError(f"unusable url {raw_url[:80]!r}")
    host = (urlsplit(url).hostname or "").lower()
    if host != "csrc.gov.cn" and not host.endswith(".csrc.gov.cn"):
        # a notice must live on the regulator's site: it is stored, linked in mails and fetched as the official text
        raise ValueError(f"url off the CSRC site {raw_url[:80]!r}")
    title = clean_text(str(r.get("title") or r.get("subTitle") or "")).replace("\n", " ")
    if not title:
        raise ValueError("no title")
    meta = _meta(r)
    text: str | None = None
    if isinstance(r.get("contentHtml"), str) and r["contentHtml"].strip():
        text = html_to_text(r["contentHtml"]) or None
    if text is None and isinstance(r.get("content"), str) and r["content"].strip():
        text = clean_text(r["content"])
    published = parse_date(r.get("publishedTimeStr")) or parse_date(r.get("publishedTime"))
    attachments = []
    for res in _dicts(r.get("resList")):
        path = res.get("filePath")
        if isinstance(path, str) and path.strip() and (att_url := _official(path, url)) is not None:
            name = clean_text(str(res.get("fileName") or res.get("title") or ""))
            attachments.append(Attachment(url=att_url, name=name))
    doc = meta.get("wh") or (find_doc_number(text) if text else None)
    return Item(url=url, title=title, published=published, doc_number=doc, text=text,
                channel_name=clean_text(str(r.get("channelName") or channel_name)).replace("\n", " "),
                attachments=attachments, meta=meta)


def parse_list(body: str, url: str) -> SearchPage:
    """One searchList JSON page. Structural surprises raise ParseError; one malformed result is a problem line."""
    try:
        doc = json.loads(body, strict=False)  # CSRC puts raw control characters inside strings
    except (ValueError, RecursionError) as exc:  # RecursionError: "[[[[…" nested deeper than the parser goes
        raise ParseError(f"searchList is not JSON: {exc}", url=url) from None
    data = doc.get("data") if isinstance(doc, dict) else None
    if not isinstance(data, dict) or not isinstance(data.get("results"), list):
        raise ParseError("searchList has no data.results list", url=url)
    try:
        total = int(data.get("total") or 0)
        page = int(data.get("page") or 1)
    except (TypeError, ValueError, OverflowError):  # OverflowError: 1e400 is a JSON number (inf)
        raise ParseError("searchList data.total/page are not numbers", url=url) from None
    results = data["results"]
    if not results and total > 0 and page <= 1:
        raise ParseError(f"searchList page 1 is empty but total={total}", url=url)
    items, problems = [], []
    for i, r in enumerate(results):
        try:
            if not isinstance(r, dict):
                raise ValueError("not an object")
            items.append(_item(r, str(data.get("channelName") or "")))
        except ValueError as exc:
            problems.append(f"result {i}: {exc}")
    if results and not items:
        raise ParseError(f"no usable result on the page ({problems[0]})", url=url)
    return SearchPage(total=total, page=page, items=items, problems=problems)


def parse_notice(html: str, url: str) -> str:
    """Body text of a content.shtml detail page."""
    body = select_first(LexborHTMLParser(html), "div.detail-news", ".detail-news", url=url)
    assert body is not None
    text = html_to_text(body)
    if not text:
        raise ParseError("detail page body is empty", url=url)
    return text


# A bare 文号 ("〔2025〕9号") is only unique within its document series: HQ numbers 行政处罚决定书, 市场禁入决定书 and
# 监管措施 separately, so 〔2025〕9号 exists once in each. The series goes into Notice.series (part of the identity);
# the doc number is kept as printed.
SERIES = {"行政处罚决定": "行政处罚决定书", "市场禁入决定": "市场禁入决定书", "行政监管措施": "行政监管措施决定书"}


def _channels(ctx: Context) -> list[str]:
    return list(ctx.config.channels or DEFAULT_CHANNELS)


def _clean_doc(doc: str | None) -> str | None:
    return " ".join(doc.split()) or None if doc else None


def _notice(item: Item, channel_id: str, text: str) -> Notice:
    kind = CHANNELS[channel_id].name if channel_id in CHANNELS else item.channel_name
    return Notice(
        source=SOURCE.id, url=item.url, title=item.title, text=text, published=item.published,
        issuer=issuer_for(channel_id, item.url), channel=channel_id,
        doc_number=_clean_doc(item.doc_number or find_doc_number(text)), series=SERIES.get(kind or "", kind),
        attachments=item.attachments,
        extra={"channelName": item.channel_name, **{k: v for k, v in item.meta.items() if k in ("syh", "wh")}},
    )


def _crawl_channel(ctx: Context, channel_id: str) -> Iterator[Notice]:
    url = list_url(channel_id, 1)
    fetched = ctx.fetch(url, conditional=True)
    if fetched is None:  # 304: the channel is unchanged
        return
    page_no, seen = 1, 0
    while True:
        page = parse_list(fetched.text, url)
        seen += len(page.items) + len(page.problems)
        # decided before yielding: the pipeline stores each notice as it comes, which would make every row "known"
        more = bool(page.items) and seen < page.total and ctx.continue_paging(page_no, [i.url for i in page.items])
        for problem in page.problems:
            ctx.warn(f"csrc {channel_id} page {page_no}: {problem}")
        for item in page.items:
            if item.text is not None:
                # the list carries the text: yield known ones too, so a changed text becomes a revision
                yield _notice(item, channel_id, item.text)
                continue
            if ctx.is_known(item.url):
                continue
            try:
                detail = ctx.fetch(item.url)
                assert detail is not None
                yield _notice(item, channel_id, parse_notice(detail.text, item.url))
            except (BlockedError, NetworkError):
                raise
            except (FetchError, ParseError) as exc:
                ctx.warn(f"csrc {channel_id}: skipped {item.url}: {exc}")
        if not more:
            return
        page_no += 1
        url = list_url(channel_id, page_no)
        fetched = ctx.fetch(url)
        assert fetched is not None


def crawl(ctx: Context) -> Iterator[Notice]:
    """Every channel in turn; one broken channel is warned and the rest still run, then its error is raised."""
    failures: list[RegwatchError] = []
    channels = _channels(ctx)
    for channel_id in channels:
        try:
            yield from _crawl_channel(ctx, channel_id)
        except (BlockedError, NetworkError):
            raise  # the site is refusing us: stop, do not hammer the other channels
        except (FetchError, ParseError) as exc:
            ctx.warn(f"csrc channel {channel_id}: {exc}")
            failures.append(exc)
    structural = [e for e in failures if isinstance(e, ParseError)]
    if structural or (failures and len(failures) == len(channels)):
        raise (structural or failures)[0]
