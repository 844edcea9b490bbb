"""pytest fixtures: a real aiosmtpd server on 127.0.0.1 (alerts.smtp_sink.SmtpSink) with scriptable replies."""

from __future__ import annotations

import pytest

from alerts.smtp_sink import SmtpSink, free_port


@pytest.fixture
def smtp_sink():
    """A running sink accepting everything; script faults with fail_next / fail_always / drop_next."""
    with SmtpSink() as sink:
        yield sink


@pytest.fixture
def smtp_auth_sink():
    """A sink that requires AUTH LOGIN/PLAIN as user / s3cret."""
    with SmtpSink(auth=("user", "s3cret")) as sink:
        yield sink


@pytest.fixture
def smtp_cfg(smtp_sink):
    """SmtpConfig pointing at smtp_sink (security none, 5 s timeout)."""
    return smtp_sink.smtp_config()


@pytest.fixture
def closed_port() -> int:
    """A loopback port nothing listens on: connecting is refused."""
    return free_port()
