"""The Monday staff digests, sent by the schedule (settings.SCHEDULE["staff_digests"])."""

from datetime import datetime

from django.tasks import task
from django.urls import reverse

from followup.notifications.digests import digest_recipients, editor_digest, reporter_digest
from municipalities.models import Role
from municipalities.site.mail import (
    absolute_url,
    build_message,
    demo_mail_allowed,
    language_of,
    preference_of,
    send_once,
)
from municipalities.site.tasks import retried


def _send(user, template, context, key) -> bool:
    context = {
        **context,
        "user": user,
        "preferences_url": absolute_url(reverse("notifications:preferences")),
    }
    message = build_message(template, context, to=[user.email], language=language_of(user))
    return send_once(key, message)


def send_reporter_digests(now: datetime, slot: str, include_demo: bool) -> int:
    sent = 0
    for user in digest_recipients(Role.REPORTER):
        if not preference_of(user).reporter_digest:
            continue
        items = reporter_digest(user, now=now, include_demo=include_demo)
        if items:
            sent += _send(
                user, "reporter_digest", {"items": items}, f"reporter-digest:{slot}:{user.pk}"
            )
    return sent


def send_editor_digests(now: datetime, slot: str, include_demo: bool) -> int:
    sent = 0
    for user in digest_recipients(Role.EDITOR):
        if not preference_of(user).editor_digest:
            continue
        periods = editor_digest(user, now=now, include_demo=include_demo)
        if periods:
            sent += _send(
                user, "editor_digest", {"periods": periods}, f"editor-digest:{slot}:{user.pk}"
            )
    return sent


@task
@retried
def send_staff_digests(slot: str) -> int:
    """Each reporter's and editor's digest for the slot; a retry skips those already sent."""
    now = datetime.fromisoformat(slot)
    include_demo = demo_mail_allowed()
    return send_reporter_digests(now, slot, include_demo) + send_editor_digests(
        now, slot, include_demo
    )
