"""Building and sending the portal's e-mail.

Every message is rendered from one template under ``templates/email/`` that holds three
partials: ``subject``, ``text`` (plain text) and ``html`` (the body, wrapped in
``email/layout.html``). It is rendered in the recipient's language (Swedish, or English for
those who chose it) and carries From, Reply-To, Date and Message-ID; messages to subscribers
also carry List-Unsubscribe and List-Unsubscribe-Post (RFC 8058 one-click).

Sending happens in tasks run by the worker, never in a request. ``send_once`` records a key per
message, so a task that is retried after a failure does not send the same message twice.
"""

import logging
from email.utils import formatdate, make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends import console
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation

from municipalities.models import MailPreference, SentMail

logger = logging.getLogger(__name__)

CONSOLE_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "municipalities.site.mail.ReadableConsoleBackend",
}


class ReadableConsoleBackend(console.EmailBackend):
    """Development: print each message's headers and its plain text as written, not encoded,
    so a link in it can be copied from the terminal into a browser."""

    def write_message(self, message):
        encoded = message.message()
        shown = ("From", "To", "Reply-To", "Subject", "Date", "Message-ID", "List-Unsubscribe")
        headers = "".join(f"{name}: {encoded[name]}\n" for name in shown if encoded[name])
        self.stream.write(f"{headers}\n{message.body}\n{'-' * 79}\n")


def absolute_url(path: str) -> str:
    """A link for a message: the site's address (settings.SITE_URL) and the path."""
    return f"{settings.SITE_URL}{path}"


def language_of(user) -> str:
    """The language the staff user chose for e-mail (Swedish unless they chose English)."""
    try:
        return user.mail_preference.language
    except MailPreference.DoesNotExist:
        return settings.LANGUAGE_CODE


def preference_of(user) -> MailPreference:
    """The user's mail preferences, or the defaults (not saved) when they never chose."""
    try:
        return user.mail_preference
    except MailPreference.DoesNotExist:
        return MailPreference(user=user)


def _message_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def build_message(
    template: str,
    context: dict,
    *,
    to: list[str],
    language: str = "sv",
    reply_to: str | None = None,
    unsubscribe_url: str | None = None,
) -> EmailMultiAlternatives:
    """The message ``email/<template>.html`` renders for ``context``, in ``language``."""
    name = f"email/{template}.html"
    context = {"site_url": settings.SITE_URL, "language": language, **context}
    with translation.override(language):
        subject = " ".join(render_to_string(f"{name}#subject", context).split())
        text = render_to_string(f"{name}#text", context).strip() + "\n"
        body = render_to_string(f"{name}#html", context)
        html = render_to_string("email/layout.html", {**context, "subject": subject, "body": body})
    headers = {
        "Date": formatdate(localtime=True),
        "Message-ID": make_msgid(domain=_message_domain()),
    }
    if unsubscribe_url:
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        reply_to=[reply_to or settings.EMAIL_REPLY_TO],
        headers=headers,
    )
    message.attach_alternative(html, "text/html")
    return message


def send_once(key: str, message: EmailMultiAlternatives) -> bool:
    """Send the message unless one with the same key was sent before; True if it was sent now.

    Side effects: writes a SentMail row and hands the message to the mail server. The row is
    written first and removed again if sending fails, so a retry sends it then.
    """
    try:
        with transaction.atomic():
            record = SentMail.objects.create(key=key)
    except IntegrityError:
        return False
    try:
        message.send()
    except Exception:
        record.delete()
        raise
    return True


def demo_mail_allowed() -> bool:
    """Mail about demo data goes to the console in development, never to a real mailbox."""
    mailers = getattr(settings, "MAILERS", {})
    return mailers.get("default", {}).get("BACKEND") in CONSOLE_BACKENDS
