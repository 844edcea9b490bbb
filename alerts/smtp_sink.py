"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives: for tests and `monitor demo`.

Faults are scripted per SMTP phase: `fail_next("451 4.3.0 try later", phase="data")` answers the next DATA with
that reply, `fail_always("550 5.1.1 no such user", phase="rcpt")` every RCPT, `drop_next(phase="data")` closes the
connection instead of answering; `SmtpSink(auth=("user", "secret"))` requires AUTH (no TLS needed on loopback).
"""

from __future__ import annotations

import email
import socket
import threading
import time
import warnings
from collections import deque
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

PHASES = ("mail", "rcpt", "data")


class _Controller(Controller):
    def factory(self):
        # AUTH without TLS is what a loopback sink wants; aiosmtpd warns about it on every connection
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Requiring AUTH while not requiring TLS")
            return super().factory()


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        return email.message_from_bytes(self.data, policy=default_policy)  # type: ignore[return-value]


@dataclass
class _Fault:
    phase: str
    reply: str | None  # None: drop the connection
    times: int | None  # None: forever


class SinkHandler:
    def __init__(self) -> None:
        self.messages: list[Received] = []
        self.faults: deque[_Fault] = deque()
        self.transactions = 0  # DATA commands seen (accepted or not)
        self.log: list[str] = []
        self.lock = threading.Lock()

    def _fault(self, phase: str) -> _Fault | None:
        with self.lock:
            for f in list(self.faults):
                if f.phase == phase:
                    if f.times is not None:
                        f.times -= 1
                        if f.times <= 0:
                            self.faults.remove(f)
                    return f
        return None

    def _apply(self, server, phase: str) -> str | None:
        f = self._fault(phase)
        if f is None:
            return None
        self.log.append(f"{phase}: {'drop' if f.reply is None else f.reply}")
        if f.reply is None:
            server.transport.close()
            return "421 4.4.2 connection dropped"  # never reaches the client: the transport is closed
        return f.reply

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        reply = self._apply(server, "mail")
        if reply:
            return reply
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        reply = self._apply(server, "rcpt")
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.transactions += 1
        reply = self._apply(server, "data")
        if reply:
            return reply
        with self.lock:
            self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.content)))
        return "250 2.0.0 Ok: queued"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SmtpSink:
    """`with SmtpSink() as sink:` → sink.port, sink.messages, sink.fail_next(...), sink.save_eml(dir)."""

    def __init__(self, *, auth: tuple[str, str] | None = None, host: str = "127.0.0.1",
                 ssl_context=None, tls_context=None) -> None:
        self.handler = SinkHandler()
        self.host = host
        self.auth = auth
        self.ssl_context = ssl_context  # implicit TLS (security: ssl)
        self.tls_context = tls_context  # STARTTLS (security: starttls)
        self.port: int | None = None
        self._controller: Controller | None = None

    # -- lifecycle
    def start(self) -> "SmtpSink":
        kwargs: dict = {}
        if self.auth:
            kwargs.update(auth_required=True, auth_require_tls=self.tls_context is not None,
                          authenticator=self._authenticate)
        if self.tls_context is not None:
            kwargs.update(tls_context=self.tls_context, require_starttls=True)
        last: Exception | None = None
        for _ in range(20):  # a port picked free may be taken before aiosmtpd binds it
            port = free_port()
            ctl = _Controller(self.handler, hostname=self.host, port=port, ssl_context=self.ssl_context,
                             server_hostname="localhost", **kwargs)
            try:
                ctl.start()
            except Exception as exc:  # noqa: BLE001 - retried with another port, re-raised below
                last = exc
                continue
            self._controller, self.port = ctl, port
            return self
        raise RuntimeError(f"could not start the SMTP sink: {last}")

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> "SmtpSink":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def _authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        if isinstance(auth_data, LoginPassword) and self.auth is not None:
            ok = (auth_data.login.decode(), auth_data.password.decode()) == self.auth
            return AuthResult(success=ok, handled=False)
        return AuthResult(success=False, handled=False)

    # -- scripting
    def fail_next(self, reply: str, *, phase: str = "data", times: int = 1) -> None:
        assert phase in PHASES, phase
        self.handler.faults.append(_Fault(phase, reply, times))

    def fail_always(self, reply: str, *, phase: str = "data") -> None:
        assert phase in PHASES, phase
        self.handler.faults.append(_Fault(phase, reply, None))

    def drop_next(self, *, phase: str = "data", times: int = 1) -> None:
        self.handler.faults.append(_Fault(phase, None, times))

    def clear_faults(self) -> None:
        self.handler.faults.clear()

    # -- inspection
    @property
    def messages(self) -> list[Received]:
        return list(self.handler.messages)

    def wait_for(self, n: int, timeout: float = 5.0) -> list[Received]:
        end = time.monotonic() + timeout
        while len(self.handler.messages) < n and time.monotonic() < end:
            time.sleep(0.02)
        return self.messages

    def save_eml(self, out_dir: str | Path) -> list[Path]:
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        paths = []
        for i, m in enumerate(self.messages, 1):
            p = out / f"message-{i:03d}.eml"
            p.write_bytes(m.data)
            paths.append(p)
        return paths

    def smtp_config(self, **overrides):
        """An SmtpConfig pointing at this sink."""
        from monitor.config import SmtpConfig

        data = {"host": self.host, "port": self.port, "security": "none", "from": "regwatch@example.com",
                "timeout": 5.0}
        if self.ssl_context is not None:
            data["security"] = "ssl"
        elif self.tls_context is not None:
            data["security"] = "starttls"
        data.update(overrides)
        return SmtpConfig.model_validate(data)
