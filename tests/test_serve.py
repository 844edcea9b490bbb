"""`monitor serve` as a real process against a loopback replay: crawl, SIGTERM, SIGHUP, SIGKILL.

Only bounded waits (generous, for slow CI); no assertion on how long anything took.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import re
import time
from pathlib import Path
from typing import Callable

import pytest

ROOT = Path(__file__).resolve().parent.parent
CANDIDATES = [ROOT / "tests" / "fixtures" / "amac", ROOT / "tests" / "fixtures" / "csrc",
              ROOT / "monitor" / "demo" / "amac", ROOT / "monitor" / "demo" / "csrc"]
WAIT = 90.0  # seconds: the bound for anything a subprocess must do

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


def _fixture() -> tuple[str, Path]:
    extra = os.environ.get("REGWATCH_TEST_FIXTURE")  # a fixture directory named after its source id
    for d in ([Path(extra)] if extra else []) + CANDIDATES:
        if (d / "manifest.json").exists():
            return d.name, d
    pytest.skip("no replay fixture yet (tests/fixtures/amac or csrc, or monitor/demo/<id>)")


def _wait(pred: Callable[[], object], timeout: float = WAIT, what: str = "condition") -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = pred()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")


def _config(path: Path, *, source: str | None, base_url: str | None, min_delay: float | None = None,
            extra: str = "") -> Path:
    src = ""
    if source:
        src = (f"sources:\n  {source}:\n    schedule: '* * * * *'\n    base_url: {base_url}\n"
               f"    max_pages: 3\n")
        if min_delay is not None:
            src += f"    min_delay: {min_delay}\n"
    path.write_text(f"database: regwatch.db\ntimezone: Asia/Shanghai\njitter: 0\n{src}{extra}", encoding="utf-8")
    return path


class Serve:
    """A `python -m monitor serve` subprocess with its log captured to a file."""

    def __init__(self, config: Path, *args: str):
        self.log_path = config.parent / "serve.log"
        self._log = open(self.log_path, "wb")
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        env.pop("MONITOR_CONFIG", None)
        self.proc = subprocess.Popen([sys.executable, "-m", "monitor", "serve", "--config", str(config), *args],
                                     cwd=config.parent, stdout=self._log, stderr=subprocess.STDOUT, env=env)

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait_log(self, text: str, timeout: float = WAIT) -> None:
        def seen() -> bool:
            if self.proc.poll() is not None and text not in self.log():
                raise AssertionError(f"serve exited ({self.proc.returncode}) before logging {text!r}:\n{self.log()}")
            return text in self.log()

        _wait(seen, timeout, f"{text!r} in the serve log")

    def signal(self, sig: int) -> None:
        self.proc.send_signal(sig)

    def wait_exit(self, timeout: float = WAIT) -> int:
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"serve did not exit within {timeout:.0f}s:\n{self.log()}") from None

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
        self._log.close()


@pytest.fixture
def serve_proc():
    procs: list[Serve] = []

    def start(config: Path, *args: str) -> Serve:
        p = Serve(config, *args)
        procs.append(p)
        return p

    yield start
    for p in procs:
        p.close()


def _q(db: Path, sql: str, params: tuple = ()) -> list[tuple]:
    if not db.exists():
        return []
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    try:
        return conn.execute(sql, params).fetchall()
    except sqlite3.OperationalError:  # tables not created yet
        return []
    finally:
        conn.close()


def _count(db: Path, source: str) -> int:
    rows = _q(db, "select count(*) from notices where source = ?", (source,))
    return rows[0][0] if rows else 0


def _runs(db: Path, source: str) -> list[tuple]:
    return _q(db, "select id, status, finished, new, seen, error from runs where source = ? order by id", (source,))


def _integrity(db: Path) -> str:
    conn = sqlite3.connect(str(db), timeout=30)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def _monitor(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "monitor", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=WAIT * 2)


@pytest.fixture
def reference_count(tmp_path_factory, replay_server) -> Callable[[str, Path], int]:
    """Every notice the fixture holds within max_pages (a backfill: knownness ignored): what an uninterrupted
    first run must store, so what a run after a kill must complete."""

    def count(source: str, fixture: Path) -> int:
        d = tmp_path_factory.mktemp("reference")
        server = replay_server(fixture)
        cfg = _config(d / "config.yaml", source=source, base_url=server.base_url)
        res = _monitor("--config", str(cfg), "run", "--source", source, "--backfill", "--max-pages", "3",
                       "--no-send", cwd=d)
        assert res.returncode == 0, res.stdout + res.stderr
        n = _count(d / "regwatch.db", source)
        assert n > 0
        return n

    return count


def test_serve_crawls_replay_then_stops_on_sigterm(tmp_path, replay_server, serve_proc, reference_count):
    source, fixture = _fixture()
    expected = reference_count(source, fixture)
    server = replay_server(fixture)
    cfg = _config(tmp_path / "config.yaml", source=source, base_url=server.base_url)
    db = tmp_path / "regwatch.db"
    p = serve_proc(cfg, "--run-now")
    p.wait_log("serve started")
    _wait(lambda: any(r[1] in ("ok", "partial") and r[2] for r in _runs(db, source)), what="a finished run")
    assert _count(db, source) == expected, "the first run stores every notice within max_pages"
    # the one line per run, with counts and timing
    assert re.search(rf"{source}: (ok|partial) seen=\d+ new=\d+ .* \d+\.\ds", p.log()), p.log()
    p.signal(signal.SIGTERM)
    assert p.wait_exit() == 0, p.log()
    assert "stopped cleanly" in p.log()
    assert all(r[2] for r in _runs(db, source)), "every runs row finished"
    assert _integrity(db) == "ok"


def test_sigterm_mid_run_finishes_notice_in_hand(tmp_path, replay_server, serve_proc):
    source, fixture = _fixture()
    server = replay_server(fixture)
    # a slow polite crawl (explicit min_delay is honoured even on loopback) so SIGTERM lands mid-run
    cfg = _config(tmp_path / "config.yaml", source=source, base_url=server.base_url, min_delay=0.5)
    db = tmp_path / "regwatch.db"
    p = serve_proc(cfg, "--run-now")
    _wait(lambda: _count(db, source) >= 1, what="the first stored notice")
    p.signal(signal.SIGTERM)
    assert p.wait_exit() == 0, p.log()
    runs = _runs(db, source)
    assert runs and all(r[2] for r in runs), f"runs row left unfinished: {runs}"
    last = runs[-1]
    assert last[1] in ("ok", "partial"), last
    if last[1] == "partial":
        assert "stopped" in (last[5] or ""), last
    assert last[3] == _count(db, source), "every notice counted as new was committed"
    assert _integrity(db) == "ok"


def test_sighup_with_broken_file_keeps_running_config(tmp_path, serve_proc):
    cfg = _config(tmp_path / "config.yaml", source=None, base_url=None,
                  extra="subscriptions:\n  - name: first\n    to: a@example.com\n")
    good = cfg.read_text(encoding="utf-8")
    p = serve_proc(cfg)
    p.wait_log("serve started")
    p.wait_log("job digest:first")

    cfg.write_text("database: regwatch.db\ntimezone: Asia/Shanghai\nbogus: 1\n", encoding="utf-8")
    p.signal(signal.SIGHUP)
    p.wait_log("config reload rejected, keeping the running config")
    p.wait_log(f"{cfg}:3: bogus: unknown key")
    assert p.proc.poll() is None, "a broken file must not stop the service"
    assert "config reloaded" not in p.log()

    cfg.write_text(good + "  - name: second\n    to: b@example.com\n    mode: weekly\n", encoding="utf-8")
    p.signal(signal.SIGHUP)
    p.wait_log("config reloaded")
    p.wait_log("job digest:second")
    assert "added ['digest:second']" in p.log()

    p.signal(signal.SIGTERM)
    assert p.wait_exit() == 0, p.log()


def test_serve_invalid_config_exits_2(tmp_path):
    cfg = tmp_path / "config.yaml"
    cfg.write_text("database: x.db\nsources:\n  amac:\n    schedule: '99 * * * *'\n", encoding="utf-8")
    res = _monitor("serve", "--config", str(cfg), cwd=tmp_path)
    assert res.returncode == 2
    assert f"{cfg}:4: sources.amac.schedule" in res.stderr + res.stdout


def _second_list_pages(fixture: Path) -> list[str]:
    import json

    manifest = json.loads((fixture / "manifest.json").read_text(encoding="utf-8"))
    return [r["path"] for r in manifest["responses"] if re.search(r"/index_1\.s?html?$", r["path"])]


@pytest.mark.parametrize("kill_at", [
    "first-notice",
    "past-page-1",
])
def test_sigkill_mid_run_leaves_sound_db_and_next_run_completes(tmp_path, replay_server, serve_proc,
                                                                 reference_count, kill_at):
    """Killed after the first notice, or after a notice from list page 2 (page 1 then holds only known rows, and
    the next run must still page on to finish the job)."""
    source, fixture = _fixture()
    page2 = _second_list_pages(fixture)
    if kill_at == "past-page-1" and not page2:
        pytest.skip("fixture has no second list page (TRS index_1.html)")
    expected = reference_count(source, fixture)
    server = replay_server(fixture)
    cfg = _config(tmp_path / "config.yaml", source=source, base_url=server.base_url, min_delay=0.5)
    db = tmp_path / "regwatch.db"
    p = serve_proc(cfg, "--run-now")
    if kill_at == "first-notice":
        _wait(lambda: _count(db, source) >= 1, what="the first stored notice")
    else:
        _wait(lambda: any(server.requests_to(x) for x in page2), what="a request for list page 2")
        before = _count(db, source)
        _wait(lambda: _count(db, source) > before, what="a notice from list page 2")
    p.signal(signal.SIGKILL)
    p.wait_exit()
    assert _integrity(db) == "ok"
    killed_at = _count(db, source)
    assert any(r[1] == "running" for r in _runs(db, source)), "the killed run was mid-way"

    # the next run (fast this time) completes the work; the killed run is recorded as interrupted
    _config(cfg, source=source, base_url=server.base_url)
    res = _monitor("--config", str(cfg), "run", "--source", source, "--no-send", cwd=tmp_path)
    assert res.returncode == 0, res.stdout + res.stderr
    assert _integrity(db) == "ok"
    assert _count(db, source) == expected, f"killed at {killed_at}, expected {expected} after the next run"
    runs = _runs(db, source)
    assert runs[0][1] == "failed" and "interrupted" in (runs[0][5] or "")
    assert runs[-1][1] == "ok"
    assert not any(r[1] == "running" for r in runs)


def test_systemd_unit_file():
    text = (ROOT / "deploy" / "regwatch.service").read_text(encoding="utf-8")
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), {})
            continue
        key, _, value = line.partition("=")
        current.setdefault(key, []).append(value)
    svc = sections["Service"]
    assert svc["Type"] == ["simple"]
    assert svc["ExecStart"][0].endswith("monitor --config /etc/regwatch/config.yaml serve")
    assert svc["ExecReload"] == ["/bin/kill -HUP $MAINPID"]
    assert svc["KillSignal"] == ["SIGTERM"]
    assert int(svc["TimeoutStopSec"][0]) >= 60
    assert svc["Restart"] == ["on-failure"]
    assert svc["RestartPreventExitStatus"] == ["2"]  # invalid config: do not loop
    assert svc["User"] == ["regwatch"] and svc["NoNewPrivileges"] == ["yes"]
    assert svc["EnvironmentFile"][0].lstrip("-") == "/etc/regwatch/regwatch.env"
    assert sections["Install"]["WantedBy"] == ["multi-user.target"]
