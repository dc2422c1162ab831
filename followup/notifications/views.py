"""The staff user's mail preferences: language and which mails to get."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from followup.notifications import services
from followup.notifications.forms import MailPreferenceForm
from municipalities.site.decorators import staff_required
from municipalities.site.mail import preference_of


@staff_required
def preferences(request):
    form = MailPreferenceForm(request.POST or None, instance=preference_of(request.user))
    if request.method == "POST" and form.is_valid():
        services.save_mail_preferences(request.user, by=request.user, **form.cleaned_data)
        messages.success(request, _("Dina inställningar är sparade."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
