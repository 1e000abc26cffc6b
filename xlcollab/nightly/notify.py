"""Notifications of a nightly run: a log file, e-mail (SMTP), a group robot.

What is sent (:func:`summary`): the new findings, the new escalations (with
who they go to), the overdue tasks per department and the link to the
status page (the 参数 setting 页面地址, else the page's file path), or the
error when the workbook could not be read.

Where: always the log file (``notify.log`` beside the history, one block
per run); e-mail when ``XLCOLLAB_SMTP_HOST`` is set; a webhook when
``XLCOLLAB_WEBHOOK_URL`` is set. Secrets come from environment variables
only, never from the workbook (anyone who can open a shared workbook could
read them there):

=============================  ==========================================
``XLCOLLAB_SMTP_HOST``         mail server (required for e-mail)
``XLCOLLAB_SMTP_PORT``         port (default 25; 465 with ``ssl``)
``XLCOLLAB_SMTP_SECURITY``     ``none`` (default), ``starttls`` or ``ssl``
``XLCOLLAB_SMTP_USER``         login user (optional)
``XLCOLLAB_SMTP_PASSWORD``     login password (optional)
``XLCOLLAB_SMTP_FROM``         sender (default: the user, else xlcollab@localhost)
``XLCOLLAB_SMTP_TO``           recipients, comma separated (else the 参数
                               setting 通知邮件收件人, which is not a secret)
``XLCOLLAB_WEBHOOK_URL``       the robot's URL, token included
``XLCOLLAB_WEBHOOK_FORMAT``    ``dingtalk``, ``wecom`` or ``feishu`` (else
                               the 参数 setting 群机器人格式; default dingtalk)
``XLCOLLAB_WEBHOOK_SECRET``    signing secret (DingTalk 加签 / Feishu 签名校验)
=============================  ==========================================

Payloads: DingTalk ``{"msgtype": "markdown", "markdown": {"title", "text"}}``
(signed: ``&timestamp=<ms>&sign=<base64 HMAC-SHA256 of "ts\\nsecret">``);
WeCom ``{"msgtype": "markdown", "markdown": {"content"}}``; Feishu
``{"msg_type": "text", "content": {"text"}}`` (signed: ``timestamp`` and
``sign`` = base64 HMAC-SHA256 keyed with ``"ts\\nsecret"`` of nothing).

A notification that fails never fails the run: the failure is written to
the log file and returned as a note.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import smtplib
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from xlcollab.schema.lang import tr

__all__ = [
    "NotifyConfig",
    "summary",
    "webhook_payload",
    "send_email",
    "send_webhook",
    "notify_result",
    "FORMATS",
]

FORMATS = ("dingtalk", "wecom", "feishu")


@dataclass
class NotifyConfig:
    log_path: Path | None = None
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_security: str = "none"
    smtp_user: str | None = None
    smtp_password: str | None = field(default=None, repr=False)
    smtp_from: str | None = None
    smtp_to: list[str] = field(default_factory=list)
    webhook_url: str | None = field(default=None, repr=False)
    webhook_format: str = "dingtalk"
    webhook_secret: str | None = field(default=None, repr=False)
    timeout: float = 10.0

    @classmethod
    def from_env(
        cls,
        env: Mapping[str, str] | None = None,
        settings: Mapping | None = None,
        log_path: Path | None = None,
    ) -> NotifyConfig:
        env = os.environ if env is None else env
        settings = settings or {}

        def get(name):
            v = env.get(name)
            return v.strip() if v and v.strip() else None

        to = get("XLCOLLAB_SMTP_TO") or str(settings.get("notify_email_to") or "")
        fmt = (
            (
                get("XLCOLLAB_WEBHOOK_FORMAT")
                or str(settings.get("webhook_format") or "")
                or "dingtalk"
            )
            .strip()
            .lower()
        )
        security = (get("XLCOLLAB_SMTP_SECURITY") or "none").lower()
        port = get("XLCOLLAB_SMTP_PORT")
        user = get("XLCOLLAB_SMTP_USER")
        return cls(
            log_path=log_path,
            smtp_host=get("XLCOLLAB_SMTP_HOST"),
            smtp_port=int(port) if port else (465 if security == "ssl" else 25),
            smtp_security=security,
            smtp_user=user,
            smtp_password=get("XLCOLLAB_SMTP_PASSWORD"),
            smtp_from=get("XLCOLLAB_SMTP_FROM") or user or "xlcollab@localhost",
            smtp_to=[
                a.strip() for a in to.replace("；", ",").replace(";", ",").split(",") if a.strip()
            ],
            webhook_url=get("XLCOLLAB_WEBHOOK_URL"),
            webhook_format=fmt if fmt in FORMATS else "dingtalk",
            webhook_secret=get("XLCOLLAB_WEBHOOK_SECRET"),
        )


def summary(result, limit: int = 10) -> tuple[str, str]:
    """(title, markdown text) of a nightly result, in its language."""
    from xlcollab.schema import ESCALATION

    name = result.project or Path(result.workbook).name
    title = tr(
        result.lang,
        f"【xlcollab】{name} 夜间检查 {result.as_of}",
        f"[xlcollab] {name}: nightly check {result.as_of}",
    )
    lines = [f"### {title}"]
    if not result.ok:
        lines.append(
            tr(result.lang, "**无法读取工作簿**：", "**Workbook unreadable**: ") + str(result.error)
        )
        return title, "\n\n".join(lines)
    lines.append(
        tr(
            result.lang,
            f"问题 {result.findings} 条（错误 {result.errors}），"
            f"新增 {len(result.new_findings)} 条；变更 {len(result.changes)} 处",
            f"{result.findings} findings ({result.errors} errors), "
            f"{len(result.new_findings)} new; {len(result.changes)} changes",
        )
    )
    fig = result.figures
    if fig:
        levels = tr(result.lang, "，", ", ").join(
            f"{ESCALATION.label(k, result.lang)} {fig['escalation'].get(k, 0)}"
            for k in ESCALATION.keys
        )
        lines.append(
            tr(
                result.lang,
                f"任务 {fig['tasks']} 项：已完成 {fig['done']}，阻塞 {fig['blocked']}，"
                f"逾期 {fig['overdue']}；升级：{levels}",
                f"{fig['tasks']} tasks: {fig['done']} done, {fig['blocked']} blocked, "
                f"{fig['overdue']} overdue; escalations: {levels}",
            )
        )
    if result.new_escalations:
        lines.append(tr(result.lang, "**新的问题升级**", "**New escalations**"))
        for e in result.new_escalations[:limit]:
            lv = ESCALATION.label(e.level, result.lang)
            lines.append(
                tr(
                    result.lang,
                    f"- {e.task}：{lv}（{e.reached_on}）→ {e.goes_to or '—'}",
                    f"- {e.task}: {lv} ({e.reached_on}) → {e.goes_to or '—'}",
                )
            )
    if result.new_findings:
        lines.append(tr(result.lang, "**新增问题**", "**New findings**"))
        for f in result.new_findings[:limit]:
            lines.append(
                tr(result.lang, f"- {f.location}：{f.message}", f"- {f.location}: {f.message}")
            )
        if len(result.new_findings) > limit:
            lines.append(
                tr(
                    result.lang,
                    f"- …… 另有 {len(result.new_findings) - limit} 条",
                    f"- … and {len(result.new_findings) - limit} more",
                )
            )
    if result.overdue_by_department:
        lines.append(tr(result.lang, "**逾期任务（按部门）**", "**Overdue tasks by department**"))
        for dept, tasks in sorted(result.overdue_by_department.items()):
            lines.append(
                tr(
                    result.lang,
                    f"- {dept}：{len(tasks)} 项（{'、'.join(tasks[:limit])}）",
                    f"- {dept}: {len(tasks)} ({', '.join(tasks[:limit])})",
                )
            )
    if result.write_note:
        lines.append(result.write_note)
    link = getattr(result, "page_url", None) or getattr(result, "page", None)
    if link:
        lines.append(tr(result.lang, "**状态页面**：", "**Status page**: ") + link)
    return title, "\n\n".join(lines)


def _plain(markdown: str) -> str:
    return "\n".join(line.lstrip("#").strip().replace("**", "") for line in markdown.split("\n\n"))


def _sign(secret: str, ts: str) -> str:
    return base64.b64encode(
        hmac.new(secret.encode(), f"{ts}\n{secret}".encode(), hashlib.sha256).digest()
    ).decode()


def webhook_payload(
    fmt: str, title: str, text: str, *, secret: str | None = None, now: float | None = None
) -> tuple[dict, dict]:
    """(JSON body, extra query parameters) for a robot ``fmt``. ``now``
    (seconds) is the signing time stamp; only signing reads a clock."""
    now = time.time() if now is None else now
    if fmt == "wecom":
        return {"msgtype": "markdown", "markdown": {"content": text}}, {}
    if fmt == "feishu":
        body = {"msg_type": "text", "content": {"text": _plain(text)}}
        if secret:
            ts = str(int(now))
            key = f"{ts}\n{secret}".encode()
            body["timestamp"] = ts
            body["sign"] = base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
        return body, {}
    if fmt != "dingtalk":
        raise ValueError(f"webhook format: {' | '.join(FORMATS)}, not {fmt!r}")
    query = {}
    if secret:
        ts = str(int(now * 1000))
        query = {"timestamp": ts, "sign": _sign(secret, ts)}
    return {"msgtype": "markdown", "markdown": {"title": title, "text": text}}, query


def send_webhook(cfg: NotifyConfig, title: str, text: str, *, now: float | None = None) -> None:
    body, query = webhook_payload(
        cfg.webhook_format, title, text, secret=cfg.webhook_secret, now=now
    )
    url = cfg.webhook_url
    if query:
        url += ("&" if "?" in url else "?") + urllib.parse.urlencode(query)
    req = urllib.request.Request(
        url,
        data=json.dumps(body, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    with urllib.request.urlopen(req, timeout=cfg.timeout) as resp:  # configured URL
        reply = resp.read()
    try:
        answer = json.loads(reply or b"{}")
    except ValueError:
        return
    code = answer.get("errcode", answer.get("code", answer.get("StatusCode", 0)))
    if code not in (0, None):
        raise RuntimeError(f"webhook answered {code}: {answer.get('errmsg') or answer.get('msg')}")


def send_email(cfg: NotifyConfig, title: str, text: str) -> None:
    msg = EmailMessage()
    msg["Subject"] = title
    msg["From"] = cfg.smtp_from
    msg["To"] = ", ".join(cfg.smtp_to)
    msg.set_content(_plain(text))
    cls = smtplib.SMTP_SSL if cfg.smtp_security == "ssl" else smtplib.SMTP
    with cls(cfg.smtp_host, cfg.smtp_port, timeout=cfg.timeout) as smtp:
        if cfg.smtp_security == "starttls":
            smtp.starttls()
        if cfg.smtp_user and cfg.smtp_password:
            smtp.login(cfg.smtp_user, cfg.smtp_password)
        smtp.send_message(msg)


def log_note(cfg: NotifyConfig, text: str) -> None:
    """Append ``text`` to the notification log (``cfg.log_path``), if there is one."""
    if cfg.log_path is None:
        return
    Path(cfg.log_path).parent.mkdir(parents=True, exist_ok=True)
    with open(cfg.log_path, "a", encoding="utf-8") as fh:
        fh.write(text.rstrip("\n") + "\n\n")


def notify_result(
    result, cfg: NotifyConfig, *, senders: Mapping[str, Callable] | None = None
) -> list[str]:
    """Send a result everywhere ``cfg`` says; returns notes about failures."""
    title, text = summary(result)
    log_note(cfg, _plain(text))
    notes = []
    if cfg.smtp_host and cfg.smtp_to:
        try:
            (senders or {}).get("email", send_email)(cfg, title, text)
        except Exception as exc:  # noqa: BLE001 - a failed notification never fails the run
            notes.append(
                tr(result.lang, "邮件通知失败：", "E-mail notification failed: ") + str(exc)
            )
    if cfg.webhook_url:
        try:
            (senders or {}).get("webhook", send_webhook)(cfg, title, text)
        except Exception as exc:  # noqa: BLE001
            notes.append(
                tr(result.lang, "群机器人通知失败：", "Webhook notification failed: ")
                + type(exc).__name__
                + ": "
                + str(exc).replace(cfg.webhook_url, "<url>")
            )
    for n in notes:
        log_note(cfg, n)
    return notes
