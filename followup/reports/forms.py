"""Forms for follow-up reports: choosing the span of a new report, and its comment."""

from django import forms
from django.utils.translation import gettext_lazy as _

from followup.models import NOTE_MAX_LENGTH, ReportKind


class NewReportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Rapporten avser"),
        choices=ReportKind.choices,
        initial=ReportKind.TERTIAL,
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj helår eller tertial.")},
    )
    year = forms.IntegerField(
        label=_("År"),
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": _("Ange året."),
            "invalid": _("Ange året med fyra siffror."),
            "min_value": _("Ange ett år från 2000."),
            "max_value": _("Ange ett år till och med 2100."),
        },
    )
    tertial = forms.TypedChoiceField(
        label=_("Tertial"),
        choices=[
            ("", _("– (helår)")),
            ("1", _("T1 januari–april")),
            ("2", _("T2 maj–augusti")),
            ("3", _("T3 september–december")),
        ],
        coerce=int,
        empty_value=None,
        required=False,
    )
    comment = forms.CharField(
        label=_("Kommentar"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Skrivs ut först i rapporten. Tom rad mellan styckena."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == ReportKind.TERTIAL and not cleaned.get("tertial"):
            self.add_error("tertial", _("Välj vilket tertial rapporten gäller."))
        return cleaned


class ReportCommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Kommentar"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Skrivs ut först i rapporten. Tom rad mellan styckena."),
    )
