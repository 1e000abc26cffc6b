"""Notifications: the log file, e-mail through a local SMTP server
(aiosmtpd), and the DingTalk / WeCom / Feishu robot formats against a local
HTTP server on 127.0.0.1. Secrets come from the environment only."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from xlcollab.history.ladder import Escalation
from xlcollab.nightly.notify import NotifyConfig, notify_result, webhook_payload
from xlcollab.nightly.run import NightlyResult

D = dt.date


def result():
    return NightlyResult(
        workbook="p.xlsx",
        as_of=D(2026, 4, 8),
        project="演示项目",
        findings=3,
        errors=1,
        new_escalations=[Escalation("3.3.3", D(2026, 4, 2), "pm", D(2026, 4, 8), "张伟")],
        overdue_by_department={"信息技术部": ["3.3.4", "3.2.3"]},
    )


def test_config_reads_secrets_from_the_environment_only():
    env = {
        "XLCOLLAB_SMTP_HOST": "mail",
        "XLCOLLAB_SMTP_PASSWORD": "pw",
        "XLCOLLAB_WEBHOOK_URL": "http://x/robot?access_token=t",
    }
    settings = {
        "notify_email_to": "pm@corp.cn; lead@corp.cn",
        "webhook_format": "feishu",
        "smtp_password": "from-the-workbook",
    }
    cfg = NotifyConfig.from_env(env, settings)
    assert cfg.smtp_password == "pw" and cfg.smtp_to == ["pm@corp.cn", "lead@corp.cn"]
    assert cfg.webhook_format == "feishu"
    assert "pw" not in repr(cfg) and "access_token" not in repr(cfg)
    assert NotifyConfig.from_env({}, settings).smtp_password is None


def test_log_file(tmp_path):
    cfg = NotifyConfig(log_path=tmp_path / "notify.log")
    assert notify_result(result(), cfg) == []
    text = (tmp_path / "notify.log").read_text("utf-8")
    assert "3.3.3：项目经理协调（2026-04-08）→ 张伟" in text
    assert "信息技术部：2 项（3.3.4、3.2.3）" in text


def test_email_through_a_local_smtp_server(tmp_path):
    from aiosmtpd.controller import Controller

    got = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            got.append(envelope)
            return "250 OK"

    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    ctl = Controller(Handler(), hostname="127.0.0.1", port=port)
    ctl.start()
    try:
        cfg = NotifyConfig.from_env(
            {
                "XLCOLLAB_SMTP_HOST": "127.0.0.1",
                "XLCOLLAB_SMTP_PORT": str(port),
                "XLCOLLAB_SMTP_FROM": "xlcollab@corp.cn",
                "XLCOLLAB_SMTP_TO": "pm@corp.cn",
            },
            log_path=tmp_path / "n.log",
        )
        assert notify_result(result(), cfg) == []
    finally:
        ctl.stop()
    assert len(got) == 1 and got[0].rcpt_tos == ["pm@corp.cn"]
    import email
    from email import policy

    msg = email.message_from_bytes(got[0].content, policy=policy.default)
    assert "演示项目" in msg["Subject"]
    assert "3.3.3：项目经理协调" in msg.get_content()


@pytest.fixture
def robot():
    posts = []

    class H(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            posts.append((self.path, json.loads(body)))
            reply = json.dumps({"errcode": 0, "errmsg": "ok"}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *a):
            pass

    server = HTTPServer(("127.0.0.1", 0), H)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{server.server_port}", posts
    server.shutdown()


@pytest.mark.parametrize("fmt", ["dingtalk", "wecom", "feishu"])
def test_webhook_formats(robot, tmp_path, fmt):
    url, posts = robot
    cfg = NotifyConfig.from_env(
        {
            "XLCOLLAB_WEBHOOK_URL": url + "/robot/send?access_token=abc",
            "XLCOLLAB_WEBHOOK_FORMAT": fmt,
            "XLCOLLAB_WEBHOOK_SECRET": "SECxyz",
        },
        log_path=tmp_path / "n.log",
    )
    assert notify_result(result(), cfg) == []
    path, body = posts[0]
    if fmt == "dingtalk":
        assert body["msgtype"] == "markdown" and "3.3.3" in body["markdown"]["text"]
        q = urllib.parse.parse_qs(urllib.parse.urlparse(path).query)
        assert q["access_token"] == ["abc"]
        ts = q["timestamp"][0]
        want = base64.b64encode(
            hmac.new(b"SECxyz", f"{ts}\nSECxyz".encode(), hashlib.sha256).digest()
        ).decode()
        assert q["sign"] == [want]
    elif fmt == "wecom":
        assert body["msgtype"] == "markdown" and "3.3.3" in body["markdown"]["content"]
    else:
        assert body["msg_type"] == "text" and "3.3.3" in body["content"]["text"]
        assert body["timestamp"] and body["sign"]


def test_payload_signing_is_deterministic_with_a_given_time():
    a = webhook_payload("feishu", "t", "x", secret="s", now=1700000000)
    b = webhook_payload("feishu", "t", "x", secret="s", now=1700000000)
    assert a == b and a[0]["timestamp"] == "1700000000"
    with pytest.raises(ValueError):
        webhook_payload("slack", "t", "x")


def test_a_failing_robot_never_fails_the_run(tmp_path):
    cfg = NotifyConfig(log_path=tmp_path / "n.log", webhook_url="http://127.0.0.1:9/robot?t=secret")
    notes = notify_result(result(), cfg)
    assert len(notes) == 1 and "secret" not in notes[0]
    assert "群机器人通知失败" in (tmp_path / "n.log").read_text("utf-8")
