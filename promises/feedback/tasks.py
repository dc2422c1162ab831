"""Background tasks of "Tyck till": the mail to the kommun's editors and the yearly deletion."""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.tasks import task
from django.urls import reverse

from municipalities.models import OrganisationKind, Role
from municipalities.site.mail import (
    absolute_url,
    build_message,
    language_of,
    preference_of,
    send_once,
)
from municipalities.site.tasks import retried
from promises.feedback import services
from promises.models import Feedback


def editors_of(municipality):
    """Active editors of the kommun's own organisation, with their mail preferences."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__role=Role.EDITOR,
            memberships__organisation__kind=OrganisationKind.MUNICIPALITY,
            memberships__organisation__municipality=municipality,
        )
        .exclude(email="")
        .select_related("mail_preference")
        .distinct()
    )


@task
@retried
def notify_editors(feedback_pk: int) -> int:
    """Mail the message to each editor who has not switched it off; replies go to the citizen
    when they left an address. Returns how many were sent now."""
    feedback = (
        Feedback.objects.select_related("municipality", "theme").filter(pk=feedback_pk).first()
    )
    if feedback is None:
        return 0
    inbox_url = absolute_url(reverse("feedback:inbox"))
    sent = 0
    for editor in editors_of(feedback.municipality):
        if not preference_of(editor).feedback_mail:
            continue
        message = build_message(
            "feedback",
            {"feedback": feedback, "inbox_url": inbox_url},
            to=[editor.email],
            language=language_of(editor),
            reply_to=feedback.email or None,
        )
        sent += send_once(f"feedback:{feedback.pk}:{editor.pk}", message)
    return sent


@task
@retried
def delete_old_feedback(slot: str) -> int:
    """Scheduled daily: messages are kept a year."""
    return services.delete_old_feedback(now=datetime.fromisoformat(slot))
