"""Forms for onboarding: the text to start from, and the review of what the parser found.

Validation only, with Swedish messages; promises.services checks the rest when the draft is
created and promises.onboarding.review puts its refusals next to these fields.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from municipalities.forms import DateInput
from promises.models import Cadence, TargetKind
from promises.parsing import MAX_BYTES, ParseInputError, extract_text

# A pasted text longer than this is not a medborgarlöfte (the longest in the corpus is ~30 000).
MAX_TEXT_CHARS = 300_000


class StartForm(forms.Form):
    """The kommun, and the text: pasted, or a text PDF, a .docx or a .txt file."""

    municipality = forms.ModelChoiceField(label=_("Kommun"), queryset=None, empty_label=None)
    text = forms.CharField(
        label=_("Klistra in texten"),
        required=False,
        max_length=MAX_TEXT_CHARS,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12, "maxlength": MAX_TEXT_CHARS}),
        help_text=_("Till exempel från kommunens eller polisens webbsida."),
        error_messages={
            "max_length": _(
                "Texten är för lång för ett medborgarlöfte (högst %(limit_value)s tecken)."
            )
        },
    )
    file = forms.FileField(
        label=_("… eller ladda upp en fil"),
        required=False,
        allow_empty_file=True,  # the parser's own message ("Filen är tom.") is clearer
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.docx,.txt,application/pdf,text/plain"}
        ),
        help_text=_(
            "En PDF med text (inte inskannad), en Word-fil (.docx) eller en textfil. Högst 5 MB."
        ),
    )

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities

    def clean(self):
        data = super().clean()
        text, upload = data.get("text") or "", data.get("file")
        if "text" in self.errors or "file" in self.errors:
            return data
        if text.strip() and upload:
            self.add_error("file", _("Klistra in en text eller ladda upp en fil, inte båda."))
        elif upload:
            self._extract("file", upload.read(MAX_BYTES + 1), upload.name)
        elif text.strip():
            self._extract("text", text.encode("utf-8"), "")
        else:
            self.add_error("text", _("Klistra in texten eller välj en fil att ladda upp."))
        return data

    def _extract(self, field, data: bytes, name: str):
        try:
            self.cleaned_data["source_text"] = extract_text(data, name)
        except ParseInputError as error:
            self.add_error(field, str(error))
        self.cleaned_data["source_name"] = name or str(_("inklistrad text"))


# --- Review ------------------------------------------------------------------------------------


class PeriodDraftForm(forms.Form):
    title = forms.CharField(label=_("Rubrik"), max_length=200)
    slug = forms.SlugField(
        label=_("Adress (slug)"), max_length=60, help_text=_("Till exempel 2023-2024.")
    )
    starts_on = forms.DateField(label=_("Gäller från"), widget=DateInput())
    ends_on = forms.DateField(label=_("Gäller till och med"), widget=DateInput())
    police_area = forms.ModelChoiceField(
        label=_("Lokalpolisområde"), queryset=None, required=False, empty_label=_("Inte valt")
    )
    signed_on = forms.DateField(label=_("Undertecknat datum"), required=False, widget=DateInput())
    signed_place = forms.CharField(label=_("Undertecknat på ort"), max_length=100, required=False)

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["police_area"].queryset = municipality.police_areas.all()

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("Slutdatumet kan inte ligga före startdatumet."))
        return data


class PromiseDraftForm(forms.Form):
    title = forms.CharField(
        label=_("Löftet"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )


class ActivityDraftForm(forms.Form):
    description = forms.CharField(label=_("Aktiviteten"), widget=forms.Textarea(attrs={"rows": 3}))
    promise = forms.ChoiceField(label=_("Hör till löfte"), required=False)
    owners = forms.MultipleChoiceField(
        label=_("Ansvariga"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Välj minst en ansvarig organisation.")},
    )
    target_kind = forms.ChoiceField(label=_("Typ av mål"), choices=TargetKind.choices)
    target_quantity = forms.IntegerField(
        label=_("Antal"), required=False, min_value=1, max_value=1_000_000
    )
    unit_singular = forms.CharField(label=_("Enhet (singular)"), max_length=60, required=False)
    unit_plural = forms.CharField(label=_("Enhet (plural)"), max_length=60, required=False)
    cadence = forms.ChoiceField(
        label=_("Per"), choices=[("", "–"), *Cadence.choices], required=False
    )

    def __init__(self, *args, promise_choices, owner_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["promise"].choices = promise_choices
        self.fields["owners"].choices = owner_choices

    def clean(self):
        data = super().clean()
        if data.get("target_kind") == TargetKind.COUNT:
            if not data.get("target_quantity") and "target_quantity" not in self.errors:
                self.add_error("target_quantity", _("Ange målvärdet, minst 1."))
            if not data.get("cadence"):
                self.add_error("cadence", _("Ange vilken period målet gäller."))
            for field in ("unit_singular", "unit_plural"):
                if not data.get(field) and field not in self.errors:
                    self.add_error(field, _("Ange enheten, till exempel trafikkontroll(er)."))
        elif data.get("target_kind"):
            data.update(target_quantity=None, unit_singular="", unit_plural="", cadence="")
        return data


class SignatoryDraftForm(forms.Form):
    name = forms.CharField(label=_("Namn"), max_length=150)
    title = forms.CharField(label=_("Titel"), max_length=200)
    organisation = forms.ChoiceField(label=_("Organisation"))

    def __init__(self, *args, owner_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", "–"), *owner_choices]


def draft_formset(form, count: int):
    """A formset class for exactly the parsed rows: each may be removed, none added."""
    return forms.formset_factory(
        form,
        extra=0,
        can_delete=True,
        max_num=count,
        absolute_max=count,
        validate_max=True,
    )
