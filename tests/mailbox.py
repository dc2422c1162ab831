"""A real SMTP server for the e-mail tests: aiosmtpd on a free loopback port.

Import the fixture into a test module (``from tests.mailbox import mailbox_fixture``); tests
ask for ``mailbox``. It points the default mailer at the server and returns a list that fills
with each arriving message, parsed by the ``email`` package. ``drain_tasks()`` runs the queued
tasks the way the worker does (django-tasks-db's worker in batch mode); a test first lets the
on-commit hooks run (``django_capture_on_commit_callbacks(execute=True)``), which is where
services enqueue.
"""

import email
import socket
import time
from email import policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from django.db import transaction
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


class Inbox(list):
    """The messages the server received, oldest first."""

    def wait_for(self, count: int, timeout: float = 5.0) -> "Inbox":
        deadline = time.monotonic() + timeout
        while len(self) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self

    def to(self, address: str) -> list[EmailMessage]:
        return [message for message in self if address in message["To"]]


class _Handler:
    def __init__(self, inbox: Inbox):
        self.inbox = inbox

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=policy.default)
        message.envelope_recipients = list(envelope.rcpt_tos)
        self.inbox.append(message)
        return "250 Message accepted"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(name="mailbox")
def mailbox_fixture(settings):
    inbox = Inbox()
    controller = Controller(_Handler(inbox), hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 5},
        }
    }
    settings.SITE_URL = "https://medborgarloften.example"
    settings.DEFAULT_FROM_EMAIL = "Medborgarlöften <noreply@medborgarloften.example>"
    settings.EMAIL_REPLY_TO = "kontakt@medborgarloften.example"
    yield inbox
    controller.stop()


def drain_tasks() -> None:
    """Run every queued task that is due, one by one, through the worker's own ``run_task``
    (which records success or failure), until none is left.

    The worker's loop itself is not used: it calls ``close_old_connections()``, which closes
    the connection a test holds open in its transaction on PostgreSQL.
    """
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    while True:
        with transaction.atomic():
            result = DBTaskResult.objects.ready().get_locked()
            if result is None:
                return
            result.claim(worker.worker_id)
        worker.run_task(result)


def parts(message: EmailMessage) -> tuple[str, str]:
    """The plain-text and HTML bodies of a message."""
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, html
