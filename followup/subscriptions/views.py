"""Citizens subscribe to a kommun (double opt-in) and unsubscribe with one click; the privacy
page says what is stored. All public, Swedish and English, working without JavaScript."""

from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from followup.subscriptions import services
from followup.subscriptions.forms import SubscribeForm
from municipalities.models import Municipality
from municipalities.site.ratelimit import allow, client_address

PER_ADDRESS_PER_DAY = 3
PER_CLIENT_PER_HOUR = 10


def _within_limits(request, email) -> bool:
    return allow(
        "subscribe-client", client_address(request), limit=PER_CLIENT_PER_HOUR, window_seconds=3600
    ) and allow("subscribe-address", email.lower(), limit=PER_ADDRESS_PER_DAY, window_seconds=86400)


# The form sits on the kommun page, which is cached for everyone (followup.public.caching and
# the proxy), so it carries no CSRF token and the view is exempt. Nothing here acts for a
# signed-in user; forged posts meet the same honeypot, rate limit and (for subscriptions)
# double opt-in as any other.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def subscribe(request, municipality_slug):
    municipality = get_object_or_404(Municipality, slug=municipality_slug)
    form = SubscribeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if form.is_robot():
            return redirect("subscriptions:check_inbox", municipality.slug)
        email = form.cleaned_data["email"]
        if _within_limits(request, email):
            services.subscribe(
                by=request.user, email=email, municipality=municipality, language=get_language()
            )
            return redirect("subscriptions:check_inbox", municipality.slug)
        form.add_error("email", _("För många försök. Vänta en stund och försök igen."))
        status = 429
    return render(
        request,
        "subscriptions/subscribe.html",
        {"municipality": municipality, "form": form},
        status=status,
    )


def check_inbox(request, municipality_slug):
    municipality = get_object_or_404(Municipality, slug=municipality_slug)
    return render(request, "subscriptions/check_inbox.html", {"municipality": municipality})


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    subscription = services.pending_subscription(token)
    if subscription is None:
        return render(request, "subscriptions/link_invalid.html", status=404)
    if request.method == "POST":
        services.confirm_subscription(subscription, by=request.user)
        return render(
            request, "subscriptions/confirmed.html", {"municipality": subscription.municipality}
        )
    return render(request, "subscriptions/confirm.html", {"subscription": subscription})


# RFC 8058: a mail program unsubscribes with a bare POST of "List-Unsubscribe=One-Click" to the
# link in the List-Unsubscribe header; it has no CSRF token. The token in the address is the
# secret, and the only thing the POST can do is delete that one subscription.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    if request.method == "POST":
        services.unsubscribe(token, by=request.user)
        return render(request, "subscriptions/unsubscribed.html")
    subscription = services.subscription_for(token)
    return render(request, "subscriptions/unsubscribe.html", {"subscription": subscription})


def privacy(request):
    return render(request, "subscriptions/privacy.html")
