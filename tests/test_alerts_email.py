"""SMTP delivery against a real aiosmtpd server on 127.0.0.1: the failure-mode table, auth, headers, escaping."""

import email
from email.policy import default as default_policy

import pytest

from alerts.email import build_message, message_id_for, send_message
from alerts.smtp_sink import SmtpSink
from monitor.config import SmtpConfig
from monitor.errors import DeliveryError


def _msg(to="合规部 <compliance@example.com>", subject="测试 subject", text="正文", html="<p>正文</p>"):
    return build_message(from_addr="监管监控 <regwatch@example.com>", to=to, subject=subject, text=text, html=html,
                         message_id=message_id_for("k1", "regwatch@example.com"), from_name="监管监控")


def test_success_multipart_utf8(smtp_sink, smtp_cfg):
    reply = send_message(smtp_cfg, _msg())
    assert reply.startswith("250")
    (got,) = smtp_sink.wait_for(1)
    assert got.rcpt_tos == ["compliance@example.com"]
    assert got.mail_from == "regwatch@example.com"
    m = got.message
    assert m["Subject"] == "测试 subject"
    assert m["From"].addresses[0].display_name == "监管监控"
    assert m["To"].addresses[0].display_name == "合规部"
    assert m.get_content_type() == "multipart/alternative"
    parts = [p.get_content_type() for p in m.iter_parts()]
    assert parts == ["text/plain", "text/html"]
    assert m.get_body(("plain",)).get_content().strip() == "正文"
    assert got.data.isascii()  # 7-bit clean: RFC 2047 headers, base64 bodies
    assert m["Message-ID"] == message_id_for("k1", "regwatch@example.com")


# (name, script on the sink, expected permanent?, expected code, text in the error)
FAILURES = [
    ("421 at DATA", ("fail_next", "421 4.7.0 try again later", "data"), False, 421, "421"),
    ("451 at RCPT", ("fail_next", "451 4.3.0 mailbox busy", "rcpt"), False, 451, "451"),
    ("452 at MAIL", ("fail_next", "452 4.3.1 insufficient storage", "mail"), False, 452, "452"),
    ("550 at RCPT", ("fail_next", "550 5.1.1 no such user", "rcpt"), True, 550, "no such user"),
    ("554 at DATA", ("fail_next", "554 5.7.1 rejected as spam", "data"), True, 554, "rejected as spam"),
    ("dropped at DATA", ("drop_next", None, "data"), False, None, "failed"),
    ("dropped at MAIL", ("drop_next", None, "mail"), False, None, "failed"),
]


@pytest.mark.parametrize("name,script,permanent,code,text", FAILURES, ids=[f[0] for f in FAILURES])
def test_failure_modes(smtp_sink, smtp_cfg, name, script, permanent, code, text):
    action, reply, phase = script
    if action == "fail_next":
        smtp_sink.fail_next(reply, phase=phase)
    else:
        smtp_sink.drop_next(phase=phase)
    with pytest.raises(DeliveryError) as ei:
        send_message(smtp_cfg, _msg())
    assert ei.value.permanent is permanent
    assert ei.value.code == code
    assert text in str(ei.value)
    assert smtp_sink.messages == []
    # the fault was one-shot: the next attempt goes through
    send_message(smtp_cfg, _msg())
    assert len(smtp_sink.wait_for(1)) == 1


def test_connection_refused_is_transient(closed_port):
    cfg = SmtpConfig(host="127.0.0.1", port=closed_port, timeout=2)
    with pytest.raises(DeliveryError) as ei:
        send_message(cfg, _msg())
    assert ei.value.permanent is False
    assert "cannot connect" in str(ei.value)


def test_auth_success(smtp_auth_sink, monkeypatch):
    monkeypatch.setenv("RW_SMTP_PW", "s3cret")
    cfg = smtp_auth_sink.smtp_config(username="user", password_env="RW_SMTP_PW")
    send_message(cfg, _msg())
    assert len(smtp_auth_sink.wait_for(1)) == 1


def test_auth_failure_is_permanent_with_reason(smtp_auth_sink, monkeypatch):
    monkeypatch.setenv("RW_SMTP_PW", "wrong")
    cfg = smtp_auth_sink.smtp_config(username="user", password_env="RW_SMTP_PW")
    with pytest.raises(DeliveryError) as ei:
        send_message(cfg, _msg())
    assert ei.value.permanent is True
    assert ei.value.code == 535
    assert "authentication failed for user" in str(ei.value)
    assert smtp_auth_sink.messages == []


def test_auth_required_but_no_login_is_permanent(smtp_auth_sink):
    with pytest.raises(DeliveryError) as ei:
        send_message(smtp_auth_sink.smtp_config(), _msg())
    assert ei.value.permanent is True
    assert ei.value.code == 530


def test_missing_password_env_is_a_clear_error(smtp_auth_sink, monkeypatch):
    monkeypatch.delenv("RW_NOT_SET", raising=False)
    cfg = smtp_auth_sink.smtp_config(username="user", password_env="RW_NOT_SET")
    with pytest.raises(DeliveryError, match="RW_NOT_SET"):
        send_message(cfg, _msg())


def test_script_and_crlf_in_title_cannot_inject(smtp_sink, smtp_cfg):
    evil = "<script>alert(1)</script>\r\nBcc: victim@example.com\r\n\r\nbody"
    send_message(smtp_cfg, _msg(subject=f"[regwatch] {evil}\u202egnp.exe"))
    (got,) = smtp_sink.wait_for(1)
    assert got.rcpt_tos == ["compliance@example.com"]
    head = got.data.split(b"\r\n\r\n", 1)[0].decode()
    assert "Bcc" not in email.message_from_bytes(got.data, policy=default_policy).keys()
    assert "\nBcc:" not in head
    subj = str(got.message["Subject"]).strip()
    assert "\r" not in subj and "\n" not in subj and "\u202e" not in subj
    assert subj.startswith("[regwatch] <script>alert(1)</script> Bcc: victim@example.com body")


def test_timeout_is_transient():
    import socket
    import threading

    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    port = srv.getsockname()[1]
    conns = []
    t = threading.Thread(target=lambda: conns.append(srv.accept()), daemon=True)
    t.start()  # accepts but never greets
    try:
        with pytest.raises(DeliveryError) as ei:
            send_message(SmtpConfig(host="127.0.0.1", port=port, timeout=0.5), _msg())
        assert ei.value.permanent is False
    finally:
        for c, _ in conns:
            c.close()
        srv.close()


def _tls_contexts(tmp_path):
    import shutil
    import ssl
    import subprocess

    if not shutil.which("openssl"):
        pytest.skip("openssl CLI not available to make a test certificate")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
                    str(cert), "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)
    return ctx, cert


@pytest.mark.parametrize("mode", ["ssl", "starttls"])
def test_tls_modes(tmp_path, monkeypatch, mode):
    ctx, cert = _tls_contexts(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # trust the test certificate, verification stays on
    kwargs = {"ssl_context": ctx} if mode == "ssl" else {"tls_context": ctx}
    with SmtpSink(**kwargs) as sink:
        send_message(sink.smtp_config(), _msg())
        assert len(sink.wait_for(1)) == 1
