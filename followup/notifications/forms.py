from django import forms

from municipalities.models import MailPreference


class MailPreferenceForm(forms.ModelForm):
    class Meta:
        model = MailPreference
        fields = ["language", "reporter_digest", "editor_digest", "feedback_mail"]
        widgets = {"language": forms.RadioSelect}
