"""Render a digest in headless Chromium (Debian's /usr/bin/chromium) and check the screenshot shows the notices.

Two renders of the same page, with and without the notices: the one with notices must show one blue card bar per
notice (counted as separate vertical runs of the bar colour), many more content rows, and the dark header in both
(so a blank or failed render fails). Chromium missing: FAIL when CI=true, skip locally.
"""

import os
import shutil
import struct
import subprocess
import zlib
from datetime import datetime, timedelta, timezone

import pytest

from alerts.digest import build_digest, write_digest
from alerts.render import render_digest
from monitor.config import parse_config
from tests.support.alert_db import add_notice, add_run, make_db

CHROMIUM = "/usr/bin/chromium"
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=timezone.utc)
BAR = (0x2B, 0x6C, 0xB0)  # the card bar colour in alerts/templates/_macros.html
HEAD = (0x1F, 0x29, 0x37)  # the header background
BACKGROUND = {(0xF3, 0xF4, 0xF6), (0xFF, 0xFF, 0xFF), (0xF8, 0xFA, 0xFC)}


def chromium() -> str:
    path = shutil.which("chromium") or (CHROMIUM if os.path.exists(CHROMIUM) else None)
    if path is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("chromium is not installed (apt-get install -y chromium); the screenshot test must run in CI")
        pytest.skip("chromium not installed (apt-get install -y chromium)")
    return path


def screenshot(html_path, png_path, profile) -> None:
    cmd = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--hide-scrollbars", "--force-device-scale-factor=1", f"--user-data-dir={profile}",
           f"--screenshot={png_path}", "--window-size=1000,1400", html_path.as_uri()]
    proc = subprocess.run(cmd, capture_output=True, timeout=120)
    assert png_path.exists(), f"chromium wrote no screenshot: {proc.stderr.decode(errors='replace')[-2000:]}"


def read_png(path) -> tuple[int, int, list[bytes]]:
    """Minimal PNG decoder (8-bit RGB/RGBA, not interlaced): width, height, rows of RGB(A) bytes."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, []
    while pos < len(data):
        n, typ = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        pos += 12 + n
        if typ == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and ctype in (2, 6) and interlace == 0, (depth, ctype, interlace)
        elif typ == b"IDAT":
            idat.append(body)
        elif typ == b"IEND":
            break
    raw = zlib.decompress(b"".join(idat))
    bpp = 3 if ctype == 2 else 4
    stride = w * bpp
    lo = int.from_bytes(b"\x7f" * stride, "big")
    hi = int.from_bytes(b"\x80" * stride, "big")
    rows, prev = [], bytes(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        cur = raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)]
        if f == 0:
            out = cur
        elif f == 2:  # Up: bytewise add without carries, done on whole rows as integers
            a, b = int.from_bytes(cur, "big"), int.from_bytes(prev, "big")
            out = (((a & lo) + (b & lo)) ^ ((a ^ b) & hi)).to_bytes(stride, "big")
        else:
            o = bytearray(cur)
            for i in range(stride):
                left = o[i - bpp] if i >= bpp else 0
                up = prev[i]
                if f == 1:
                    o[i] = (o[i] + left) & 0xFF
                elif f == 3:
                    o[i] = (o[i] + ((left + up) >> 1)) & 0xFF
                else:
                    ul = prev[i - bpp] if i >= bpp else 0
                    p = left + up - ul
                    pa, pb, pc = abs(p - left), abs(p - up), abs(p - ul)
                    o[i] = (o[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else ul)) & 0xFF
            out = bytes(o)
        rows.append(out)
        prev = out
    return w, h, [bytes(r[i] for i in range(len(r)) if i % bpp < 3) if bpp == 4 else r for r in rows]


def analyse(path) -> dict:
    w, h, rows = read_png(path)
    px = lambda r, x: tuple(r[3 * x:3 * x + 3])  # noqa: E731
    content_rows = sum(1 for r in rows if any(px(r, x) not in BACKGROUND for x in range(0, w, 2)))
    bar_cols: dict[int, int] = {}
    head = 0
    for r in rows:
        for x in range(w):
            p = px(r, x)
            if p == BAR:
                bar_cols[x] = bar_cols.get(x, 0) + 1
            elif p == HEAD:
                head += 1
    runs = 0
    if bar_cols:
        x = max(bar_cols, key=bar_cols.get)  # the column of the card bars
        length = 0
        for r in rows + [b""]:
            if r and px(r, x) == BAR:
                length += 1
                continue
            runs += length >= 20  # a card is taller than 20 px; stray pixels of the colour are not cards
            length = 0
    return {"size": (w, h), "content_rows": content_rows, "bar_runs": runs, "head": head}


def test_digest_screenshot_shows_the_notices(tmp_path):
    chromium()
    db = make_db()
    titles = ["中国证监会行政处罚决定书（张三）", "关于对上海某某投资管理有限公司采取出具警示函措施的决定",
              "关于对北京某某基金管理有限公司的纪律处分决定书", "<script>document.body.innerHTML=''</script>"]
    for i, t in enumerate(titles):
        add_notice(db, f"n{i}", source="csrc" if i < 2 else "amac", title=t, violations=["insider_trading"],
                   sanctions=["fine"], fine=100000 * (i + 1), respondents=["张三"], first_seen="2026-11-26 05:00",
                   evidence={"insider_trading": "利用内幕信息"})
    add_run(db, "csrc", "ok")
    cfg = parse_config("timezone: Asia/Shanghai\nsources: {csrc: {}, amac: {}}\n")
    full = build_digest(db, cfg, None, since=NOW - timedelta(days=1), until=NOW)
    empty = build_digest(db, cfg, None, since=NOW + timedelta(days=1), until=NOW + timedelta(days=2))
    assert full.total == 4 and empty.total == 0
    results = {}
    for name, dg in (("full", full), ("empty", empty)):
        out = tmp_path / name
        write_digest(out, *render_digest(dg))
        png = tmp_path / f"{name}.png"
        screenshot(out / "digest.html", png, tmp_path / f"profile-{name}")
        results[name] = analyse(png)
    full_r, empty_r = results["full"], results["empty"]
    assert full_r["size"] == (1000, 1400)
    assert empty_r["head"] > 10_000 and full_r["head"] > 10_000  # the header was painted: not a blank page
    assert empty_r["bar_runs"] == 0
    assert full_r["bar_runs"] == 4, full_r  # one card per notice, the <script> title included (escaped, inert)
    assert full_r["content_rows"] > empty_r["content_rows"] + 300, results
