"""Tyck till: the public form on each kommun page, and the editors' inbox."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from municipalities.models import Municipality
from municipalities.site.decorators import staff_required
from municipalities.site.ratelimit import allow, client_address
from promises.feedback import queries, services
from promises.feedback.forms import AttachFeedbackForm, FeedbackForm

PER_CLIENT_PER_HOUR = 5


# The form sits on the kommun page, which is cached for everyone (followup.public.caching and
# the proxy), so it carries no CSRF token and the view is exempt. Nothing here acts for a
# signed-in user; forged posts meet the same honeypot, rate limit and (for subscriptions)
# double opt-in as any other.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def feedback_form(request, municipality_slug):
    municipality = get_object_or_404(Municipality, slug=municipality_slug)
    form = FeedbackForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if form.is_robot():
            return redirect("feedback:thanks", municipality.slug)
        if allow(
            "feedback", client_address(request), limit=PER_CLIENT_PER_HOUR, window_seconds=3600
        ):
            data = form.cleaned_data
            services.submit_feedback(
                by=request.user,
                municipality=municipality,
                text=data["text"],
                place=data["place"],
                email=data["email"],
                theme=data["theme"],
                language=get_language(),
            )
            return redirect("feedback:thanks", municipality.slug)
        form.add_error(None, _("För många meddelanden från din adress. Försök igen om en stund."))
        status = 429
    return render(
        request,
        "feedback/feedback_form.html",
        {"municipality": municipality, "form": form},
        status=status,
    )


def thanks(request, municipality_slug):
    municipality = get_object_or_404(Municipality, slug=municipality_slug)
    return render(request, "feedback/thanks.html", {"municipality": municipality})


def _editor_only(request):
    if not queries.inbox_municipalities(request.user).exists():
        raise PermissionDenied


@staff_required
def inbox(request):
    _editor_only(request)
    return render(
        request,
        "feedback/inbox.html",
        {
            "items": queries.inbox_for(request.user)[:200],
            "form": AttachFeedbackForm(periods=queries.draft_periods_for(request.user)),
        },
    )


@require_POST
@staff_required
def attach(request):
    _editor_only(request)
    form = AttachFeedbackForm(request.POST, periods=queries.draft_periods_for(request.user))
    if form.is_valid():
        period = form.cleaned_data["period"]
        try:
            source = services.attach_feedback_to_period(period, by=request.user)
        except ValidationError as error:
            form.add_error("period", error)
        else:
            messages.success(request, _("Inräknat i lägesbilden: %(source)s") % {"source": source})
            return redirect("feedback:inbox")
    return render(
        request,
        "feedback/inbox.html",
        {"items": queries.inbox_for(request.user)[:200], "form": form},
    )
