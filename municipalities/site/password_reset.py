"""Password reset by e-mail: Django's own views and token, Swedish templates, sent by a task.

The form does not send in the request: it enqueues ``send_password_reset`` after commit, and
the task makes the link (a fresh token for the user's current state) and mails it in the
user's language. Requests are rate-limited per client address; the answer is always the same
page, whether or not the address belongs to an account.
"""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.shortcuts import redirect
from django.tasks import task
from django.urls import reverse, reverse_lazy
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from municipalities.site.mail import absolute_url, build_message, language_of, send_once
from municipalities.site.ratelimit import allow, client_address
from municipalities.site.tasks import enqueue_after_commit, retried

RESET_LIMIT_PER_HOUR = 5


class QueuedPasswordResetForm(PasswordResetForm):
    def send_mail(self, *args, **kwargs):
        """Called by ``save()`` once per active user with the address: queue the mail."""
        context = args[2] if len(args) > 2 else kwargs["context"]
        enqueue_after_commit(send_password_reset, context["user"].pk, secrets.token_hex(8))


@task
@retried
def send_password_reset(user_pk: int, request_id: str) -> bool:
    """Mail a reset link to the user; once per request (``request_id`` names the request)."""
    user = get_user_model().objects.filter(pk=user_pk, is_active=True).first()
    if user is None or not user.email:
        return False
    link = reverse(
        "site:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    message = build_message(
        "password_reset",
        {"user": user, "reset_url": absolute_url(link)},
        to=[user.email],
        language=language_of(user),
    )
    return send_once(f"password-reset:{user.pk}:{request_id}", message)


_password_reset = auth_views.PasswordResetView.as_view(
    form_class=QueuedPasswordResetForm,
    template_name="registration/password_reset_form.html",
    success_url=reverse_lazy("site:password_reset_done"),
)


def password_reset(request):
    """Django's view behind a rate limit per client address."""
    if request.method == "POST" and not allow(
        "password-reset", client_address(request), limit=RESET_LIMIT_PER_HOUR, window_seconds=3600
    ):
        return redirect("site:password_reset_done")
    return _password_reset(request)


password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="registration/password_reset_done.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="registration/password_reset_confirm.html",
    success_url=reverse_lazy("site:password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="registration/password_reset_complete.html"
)
