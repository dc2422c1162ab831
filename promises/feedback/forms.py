"""Forms of "Tyck till": validation only, Swedish messages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from promises.models import FEEDBACK_PLACE_MAX_LENGTH, FEEDBACK_TEXT_MAX_LENGTH, Theme


class FeedbackForm(forms.Form):
    text = forms.CharField(
        label=_("Vad vill du berätta?"),
        max_length=FEEDBACK_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Till exempel en plats där du känner dig otrygg, och när."),
        error_messages={
            "required": _("Skriv vad du vill berätta."),
            "max_length": _("Håll dig till högst %(limit_value)d tecken."),
        },
    )
    place = forms.CharField(
        label=_("Var? (valfritt)"),
        max_length=FEEDBACK_PLACE_MAX_LENGTH,
        required=False,
        error_messages={"max_length": _("Håll dig till högst %(limit_value)d tecken.")},
    )
    theme = forms.ModelChoiceField(
        label=_("Vad gäller det? (valfritt)"),
        queryset=Theme.objects.all(),
        required=False,
        empty_label=_("Vet inte / annat"),
        error_messages={"invalid_choice": _("Välj ett av alternativen.")},
    )
    email = forms.EmailField(
        label=_("Din e-post, om du vill ha svar (valfritt)"),
        required=False,
        error_messages={"invalid": _("Skriv en hel e-postadress, till exempel namn@exempel.se.")},
    )
    website = forms.CharField(required=False, label=_("Lämna tomt"))

    def is_robot(self) -> bool:
        return bool(self.data.get("website"))


class AttachFeedbackForm(forms.Form):
    period = forms.ModelChoiceField(
        label=_("Räkna in i lägesbilden för"),
        queryset=None,
        empty_label=None,
        error_messages={"invalid_choice": _("Välj ett medborgarlöfte i listan.")},
    )

    def __init__(self, *args, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = periods
