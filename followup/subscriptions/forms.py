"""The subscribe form: an address and a honeypot field that people never see."""

from django import forms
from django.utils.translation import gettext_lazy as _


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label=_("Din e-postadress"),
        max_length=254,
        error_messages={
            "required": _("Skriv din e-postadress."),
            "invalid": _("Skriv en hel e-postadress, till exempel namn@exempel.se."),
        },
    )
    # Hidden from people (CSS and aria-hidden); a form that fills it in is a robot's.
    website = forms.CharField(required=False, label=_("Lämna tomt"))

    def is_robot(self) -> bool:
        return bool(self.data.get("website"))
