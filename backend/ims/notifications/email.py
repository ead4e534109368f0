"""Outgoing e-mail: a use case queues it with `outbox.add` (see ims.notifications.outbox); `deliver`
hands one over to SendGrid when SENDGRID_API_KEY is set, or writes it to the log otherwise."""
from __future__ import annotations

import logging

from flask import current_app


log = logging.getLogger(__name__)


class MailNotSent(RuntimeError):
    """The provider did not accept the message; the outbox retries it."""


def has_sendgrid_key(config) -> bool:
    # "unset" is the placeholder Terraform writes into the secret until an operator sets the real key
    return (config.get("SENDGRID_API_KEY") or "").strip() not in ("", "unset")


def warn_if_mail_cannot_be_delivered(config) -> None:
    if config["APP_ENV"] != "development" and not has_sendgrid_key(config):
        log.error("SENDGRID_API_KEY is not set in %s: password-reset links and lock notices cannot be delivered; "
                  "they wait in the outbox and each attempt is logged", config["APP_ENV"])


def deliver(to: str, subject: str, text: str) -> None:
    """Hand one message to the provider now; raises MailNotSent when it is not accepted."""
    config = current_app.config
    if not has_sendgrid_key(config):
        if config["APP_ENV"] != "development":
            # Never the body: it holds live reset links. Kept in the outbox, retried and logged instead.
            raise MailNotSent("SENDGRID_API_KEY is not set: outside development mail goes through SendGrid only")
        log.info("email (not sent, no SENDGRID_API_KEY) to=%s subject=%r\n%s", to, subject, text)
        return
    try:
        from sendgrid import SendGridAPIClient
        from sendgrid.helpers.mail import Mail

        options = {"host": config["SENDGRID_API_HOST"]} if config.get("SENDGRID_API_HOST") else {}
        client = SendGridAPIClient(config["SENDGRID_API_KEY"], **options)
        client.client.timeout = 10  # seconds; only the delivery thread waits for it
        message = Mail(from_email=config["SENDGRID_FROM_EMAIL"], to_emails=to, subject=subject,
                       plain_text_content=text)
        response = client.send(message)
    except Exception as exc:  # any provider failure (HTTP error, timeout, refused connection) is retried
        raise MailNotSent(f"{type(exc).__name__}: {exc}") from exc
    if response.status_code >= 300:
        raise MailNotSent(f"SendGrid answered {response.status_code}")
    log.info("email sent to=%s subject=%r", to, subject)
