"""SMTP: build multipart text+HTML messages and send them, mapping every failure to a DeliveryError.

Reply mapping: 4xx (and no connection, a timeout, a dropped connection) → DeliveryError(permanent=False), retried
by the outbox with backoff; 5xx → permanent; an authentication failure or a missing password → permanent, with the
reason. `send_message(..., before_end=cb)` calls `cb()` after the whole body has gone out and just before the
end-of-data dot, so the outbox can commit "sending" at the last moment before the server may accept (see outbox.py).
"""

from __future__ import annotations

import hashlib
import re
import smtplib
import ssl
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import format_datetime, parseaddr
from datetime import datetime, timezone
from typing import Callable

from alerts.render import header_text
from monitor.errors import DeliveryError

CRLF = b"\r\n"


def message_id_for(dedupe_key: str, from_addr: str) -> str:
    """Deterministic Message-ID: the same delivery always carries the same id (receivers can collapse repeats)."""
    domain = parseaddr(from_addr)[1].rpartition("@")[2] or "regwatch.invalid"
    return f"<{hashlib.sha256(dedupe_key.encode('utf-8')).hexdigest()[:32]}.regwatch@{domain}>"


def header_value(value: object, limit: int = 180) -> str:
    """Untrusted text for a header: `header_text` (one line, no controls, capped) and no RFC 2047 encoded-word
    opener. Python's header parser decodes "=?utf-8?b?…?=" found in the text a header is set to, and (3.11) writes
    what it decodes to, CR/LF included, into the message: a scraped title "=?utf-8?b?eA0KQmNjOiB2QGV4YW1wbGUuY29t?="
    became a real "Bcc:" header. "=?" becomes "= ?", which no parser reads as an encoded word."""
    return header_text(value, limit).replace("=?", "= ?")


def _address(value: str, display: str | None = None) -> Address:
    name, addr = parseaddr(value)
    user, _, domain = addr.rpartition("@")
    return Address(display_name=header_value(display if display is not None else name, limit=80),
                   username=user, domain=domain)


def build_message(*, from_addr: str, to: str, subject: str, text: str, html: str | None, message_id: str,
                  from_name: str | None = "regwatch", date: datetime | None = None,
                  extra_headers: dict[str, str] | None = None) -> EmailMessage:
    """multipart/alternative (text, then HTML), UTF-8, headers free of CR/LF and control characters."""
    msg = EmailMessage(policy=SMTP_POLICY)
    msg["From"] = _address(from_addr, from_name)
    msg["To"] = _address(to)
    msg["Subject"] = header_value(subject)
    msg["Message-ID"] = message_id
    msg["Date"] = format_datetime(date or datetime.now(timezone.utc))
    msg["Auto-Submitted"] = "auto-generated"
    for k, v in (extra_headers or {}).items():
        msg[k] = header_value(v)
    for k, v in msg.items():  # what the header parser made of each value: still one line, or refuse to build
        if re.search(r"[\x00-\x1f\x7f]", str(v)):
            raise ValueError(f"header {k} would not be one line: {str(v)[:80]!r}")
    # base64 keeps the message 7-bit clean (no 8BITMIME needed) and survives any relay; CJK text inflates least
    msg.set_content(text, subtype="plain", charset="utf-8", cte="base64")
    if html is not None:
        msg.add_alternative(html, subtype="html", charset="utf-8", cte="base64")
    return msg


def _connect(cfg) -> smtplib.SMTP:
    if cfg.security == "ssl":
        return smtplib.SMTP_SSL(cfg.host, cfg.port, timeout=cfg.timeout, context=ssl.create_default_context())
    return smtplib.SMTP(cfg.host, cfg.port, timeout=cfg.timeout)


def _reply(code: int, msg: bytes | str) -> str:
    text = msg.decode("utf-8", "replace") if isinstance(msg, bytes) else str(msg)
    return f"{code} {' '.join(text.split())}"


def _raise_for(code: int, msg, what: str):
    raise DeliveryError(f"{what}: {_reply(code, msg)}", code=code, permanent=500 <= code < 600)


def send_message(cfg, msg: EmailMessage, *, before_end: Callable[[], None] | None = None) -> str:
    """Send one EmailMessage to its To address over `cfg` (SmtpConfig). Returns the server's final reply."""
    sender = parseaddr(str(msg["From"]))[1] or cfg.from_
    rcpt = parseaddr(str(msg["To"]))[1]
    return send_raw(cfg, msg.as_bytes(policy=SMTP_POLICY), sender=sender, rcpt=rcpt, before_end=before_end)


def send_raw(cfg, raw: bytes, *, sender: str, rcpt: str, before_end: Callable[[], None] | None = None) -> str:
    """Send RFC 5322 bytes (CRLF line ends) to one recipient. Returns the server's final reply.

    Raises DeliveryError; `permanent` is True for 5xx, authentication failures and configuration problems.
    """
    password = None
    if cfg.username:
        password = cfg.password()
        if password is None:
            raise DeliveryError(f"smtp.username is set but the environment variable {cfg.password_env or '(none)'} "
                                "named by smtp.password_env is not set", permanent=True)
    try:
        smtp = _connect(cfg)
    except smtplib.SMTPConnectError as exc:
        _raise_for(exc.smtp_code, exc.smtp_error, f"{cfg.host}:{cfg.port} refused the session")
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryError(f"cannot connect to {cfg.host}:{cfg.port}: {exc}", permanent=False) from None
    polite = False  # QUIT only while the dialogue is in step (after a reply); else just close the socket
    try:
        reply = _transaction(smtp, cfg, password, sender, rcpt, raw, before_end)
        polite = True
        return reply
    except DeliveryError as exc:
        polite = exc.code is not None
        raise
    except smtplib.SMTPAuthenticationError as exc:
        polite = True
        raise DeliveryError(f"authentication failed for {cfg.username}: {_reply(exc.smtp_code, exc.smtp_error)}",
                            code=exc.smtp_code, permanent=True) from None
    except smtplib.SMTPNotSupportedError as exc:
        polite = True
        raise DeliveryError(f"{cfg.host}:{cfg.port}: {exc}", permanent=True) from None
    except smtplib.SMTPRecipientsRefused as exc:
        polite = True
        code, m = next(iter(exc.recipients.values()))
        _raise_for(code, m, f"recipient {rcpt} refused")
    except smtplib.SMTPResponseException as exc:
        polite = True
        _raise_for(exc.smtp_code, exc.smtp_error, "server refused")
    except (OSError, smtplib.SMTPException) as exc:  # disconnects, timeouts, TLS failures
        raise DeliveryError(f"connection to {cfg.host}:{cfg.port} failed: {exc.__class__.__name__}: {exc}",
                            permanent=False) from None
    finally:
        try:
            if polite:
                smtp.quit()
            else:
                smtp.close()
        except Exception:  # noqa: BLE001 - the outcome is already decided; a failing QUIT changes nothing
            smtp.close()


def _transaction(smtp: smtplib.SMTP, cfg, password, sender, rcpt, raw: bytes, before_end) -> str:
    smtp.ehlo_or_helo_if_needed()
    if cfg.security == "starttls":
        smtp.starttls(context=ssl.create_default_context())
        smtp.ehlo()
    if cfg.username:
        smtp.login(cfg.username, password)
    code, m = smtp.mail(sender)
    if code != 250:
        smtp.rset()
        _raise_for(code, m, f"sender {sender} refused")
    code, m = smtp.rcpt(rcpt)
    if code not in (250, 251):
        smtp.rset()
        _raise_for(code, m, f"recipient {rcpt} refused")
    # DATA by hand (smtplib.data() has no seam between the body and the final dot)
    code, m = smtp.docmd("data")
    if code != 354:
        _raise_for(code, m, "DATA refused")
    body = smtplib._quote_periods(raw)  # noqa: SLF001 - as SMTP.data(); as_bytes(policy=SMTP) already ends lines CRLF
    if body[-2:] != CRLF:
        body += CRLF
    smtp.send(body)
    if before_end is not None:
        before_end()
    smtp.send(b"." + CRLF)
    code, m = smtp.getreply()
    if code != 250:
        _raise_for(code, m, "message refused")
    return _reply(code, m)
