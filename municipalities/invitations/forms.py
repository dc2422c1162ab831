"""Forms of the invitations: validation only, Swedish messages."""

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from municipalities.models import Role


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-postadress"),
        error_messages={"required": _("Skriv personens e-postadress.")},
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=None,
        empty_label=None,
        error_messages={"invalid_choice": _("Välj en organisation i listan.")},
    )
    role = forms.ChoiceField(
        label=_("Roll"),
        choices=Role.choices,
        initial=Role.REPORTER,
        help_text=_(
            "Rapportör: registrerar vad som görs. Redaktör: dessutom medborgarlöften, "
            "rapporter och inbjudningar. Läsare: ser personalsidorna."
        ),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class AcceptInvitationForm(forms.Form):
    """The password the invited person chooses, checked by the site's password rules."""

    password1 = forms.CharField(
        label=_("Välj lösenord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Minst åtta tecken, inte bara siffror och inte ett vanligt lösenord."),
    )
    password2 = forms.CharField(
        label=_("Upprepa lösenordet"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("Lösenorden är inte lika."))
        elif first:
            try:
                password_validation.validate_password(first)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class EndMembershipForm(forms.Form):
    reason = forms.CharField(label=_("Skäl (valfritt)"), max_length=300, required=False)
