"""Rendering mails: jinja2 templates (alerts/templates/*.html autoescaped, *.txt plain), StrictUndefined, CSS inlined.

Scraped strings are untrusted: `clean_text` drops control and format characters (bidi overrides, zero-width …) and
lone surrogates, and caps the length before a template sees them; autoescape handles markup; `header_text` additionally folds CR/LF so no title can add a header;
`safe_url` only lets http(s) links through.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import css_inline
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from monitor.models import FORMAT_CHARS

# bidi embeddings/overrides/isolates and marks: they can make "evil.com/moc.lagel" read as something else
BIDI = dict.fromkeys(map(ord, "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"), None)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029" + FORMAT_CHARS + "]")
_HEADER_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u0085]+")
# zero-width and other invisible format characters ("pay\u200bpal"): dropped, as monitor.models does on the way in
_FORMAT_RE = re.compile("[" + FORMAT_CHARS + "]+")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")  # lone surrogates (a JSON "\ud800"): not UTF-8, css_inline and mail raise


def _untrusted(value: object, limit: int) -> tuple[str, bool]:
    """str(value), NFC, bidi-free, surrogate-free, pre-cut well past `limit` (a 10 MB text is not normalised whole);
    the flag says whether the pre-cut dropped anything."""
    s = "" if value is None else str(value)
    room = 4 * limit + 64  # the cleaning below removes characters; keep enough to still fill `limit`
    cut = len(s) > room
    if cut:
        s = s[:room]
    s = _SURROGATE_RE.sub("\ufffd", unicodedata.normalize("NFC", s).translate(BIDI)) if not s.isascii() else s
    return s, cut


def clean_text(value: object, limit: int = 4000) -> str:
    """Untrusted text for a body: no control or bidi characters, at most `limit` characters (… when cut)."""
    s, cut = _untrusted(value, limit)
    s = _CONTROL_RE.sub("", s.replace("\r\n", "\n").replace("\r", "\n"))
    return s if len(s) <= limit and not cut else s[: limit - 1].rstrip() + "…"


def header_text(value: object, limit: int = 180) -> str:
    """Untrusted text for a header: one line (CR/LF and every control character become a space), capped."""
    s, cut = _untrusted(value, limit)
    s = " ".join(_HEADER_RE.sub(" ", _FORMAT_RE.sub("", s)).split())
    return s if len(s) <= limit and not cut else s[: limit - 1].rstrip() + "…"


def safe_url(value: object) -> str:
    """An http(s) URL without whitespace or quotes, else '' (no javascript:, data: or mailto: links from scrapes)."""
    s = header_text(value, 2000)
    if not re.match(r"^https?://[^\s\"'<>]+$", s, re.I):
        return ""
    return s


@lru_cache(maxsize=1)
def env() -> Environment:
    e = Environment(
        loader=PackageLoader("alerts", "templates"),
        autoescape=select_autoescape(["html", "htm", "xml"], disabled_extensions=["txt"], default_for_string=True,
                                     default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    e.globals["FONT"] = Markup(FONT_STACK)  # a constant of ours, not scraped: no escaping inside <style>
    return e


FONT_STACK = ("-apple-system, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', "
              "'Noto Sans CJK SC', 'Source Han Sans SC', 'WenQuanYi Micro Hei', Arial, Helvetica, sans-serif")


def inline(html: str) -> str:
    """Move <style> rules into style="" attributes: Gmail and Outlook drop or mangle <style> blocks."""
    return css_inline.inline(html)


def render(name: str, **ctx) -> tuple[str, str]:
    """(text, html) for templates `name`.txt and `name`.html."""
    text = env().get_template(f"{name}.txt").render(**ctx)
    html = inline(env().get_template(f"{name}.html").render(**ctx))
    return text, html


def render_digest(digest, *, subject_prefix: str = "[regwatch]") -> tuple[str, str, str]:
    """(subject, text, html) for a Digest."""
    ctx = digest.context()
    day = digest.until.astimezone(__import__("zoneinfo").ZoneInfo(digest.timezone)).strftime("%Y-%m-%d")
    if digest.total:
        subject = f"{subject_prefix} {digest.subscription}: {digest.total} 条新处分公告 / new notices ({day})"
    else:
        subject = f"{subject_prefix} {digest.subscription}: 无新公告 / nothing new ({day})"
    ctx["subject"] = header_text(subject)
    ctx["subscription"] = clean_text(ctx["subscription"], 120)  # as in alerts: the text part is not escaped
    text, html = render("digest", **ctx)
    return header_text(subject), text, html


def render_alert(*, subscription: str, notice: dict, filters: list[str], subject_prefix: str = "[regwatch]",
                 amended: bool = False) -> tuple[str, str, str]:
    """(subject, text, html) for one instant alert; `notice` is a notice_view dict."""
    kind = "关注名单命中 / watchlist hit" if notice["watch_hits"] else "新处分公告 / new notice"
    subject = header_text(f"{subject_prefix} {kind}: {notice['title']}")
    ctx = {"subject": subject, "subscription": clean_text(subscription, 120), "n": notice,
           "filters": [clean_text(f, 200) for f in filters], "kind": kind}
    text, html = render("alert", **ctx)
    return subject, text, html


def render_ops(*, source: dict, recovered: bool = False, subject_prefix: str = "[regwatch]") -> tuple[str, str, str]:
    """(subject, text, html) for a source-health ops mail; `source` is a source_health dict."""
    if recovered:
        subject = f"{subject_prefix} ops: {source['name']} recovered"
    else:
        subject = f"{subject_prefix} ops: {source['name']} failing ({source['consecutive_failures']} runs)"
    subject = header_text(subject)
    text, html = render("ops", subject=subject, s=source, recovered=recovered)
    return subject, text, html
