"""Outgoing e-mail: SendGrid when SENDGRID_API_KEY is set, the log otherwise. Never raises."""
from __future__ import annotations

import logging

from flask import current_app

log = logging.getLogger(__name__)


def send_email(to: str, subject: str, text: str) -> bool:
    """Send one plain-text message; True when it was handed over. Failures are logged, not raised."""
    config = current_app.config
    if not config.get("SENDGRID_API_KEY"):
        log.info("email (not sent, no SENDGRID_API_KEY) to=%s subject=%r\n%s", to, subject, text)
        return True
    try:
        from sendgrid import SendGridAPIClient
        from sendgrid.helpers.mail import Mail

        options = {"host": config["SENDGRID_API_HOST"]} if config.get("SENDGRID_API_HOST") else {}
        client = SendGridAPIClient(config["SENDGRID_API_KEY"], **options)
        client.client.timeout = 5  # seconds; a slow provider must not hold a worker
        message = Mail(from_email=config["SENDGRID_FROM_EMAIL"], to_emails=to, subject=subject,
                       plain_text_content=text)
        response = client.send(message)
        if response.status_code >= 300:
            log.error("email to %s failed: SendGrid answered %s", to, response.status_code)
            return False
        log.info("email sent to=%s subject=%r", to, subject)
        return True
    except Exception as exc:  # any provider failure is logged; the caller's request must still succeed
        log.error("email to %s failed: %s: %s", to, type(exc).__name__, exc)
        return False
