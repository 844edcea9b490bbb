"""pytest fixtures: a loopback ReplayServer over a fixture directory, torn down after the test."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterator

import pytest

from monitor.replay import ReplayServer

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.fixture
def fixtures_dir() -> Path:
    """tests/fixtures."""
    return FIXTURES


@pytest.fixture
def replay_server() -> Iterator[Callable[..., ReplayServer]]:
    """Factory: replay_server(path) → a started ReplayServer; every one is stopped at teardown."""
    servers: list[ReplayServer] = []

    def start(path: Path | str, **kw: object) -> ReplayServer:
        server = ReplayServer(Path(path), **kw).start()  # type: ignore[arg-type]
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()
