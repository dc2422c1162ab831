"""Forms for editing medborgarlöften: validation only, with Swedish messages.

Rules that need other rows (a free position, a unique slug, events that would lose their
meaning) are checked by promises.services; the views put its errors onto these forms.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from municipalities.forms import DateInput
from municipalities.models import Organisation
from promises.models import (
    Activity,
    PeriodStatus,
    Promise,
    PromisePeriod,
    Signatory,
    SituationSource,
    TargetKind,
)
from promises.services import period_date_errors


class OrganisationMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class PeriodForm(forms.ModelForm):
    partners = OrganisationMultipleChoiceField(
        label=_("Parter"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Samverkansparter utöver kommunen och polisen."),
    )

    class Meta:
        model = PromisePeriod
        fields = [
            "title",
            "slug",
            "starts_on",
            "ends_on",
            "police_area",
            "introduction",
            "situation_picture",
            "follow_up_text",
            "signed_on",
            "signed_place",
            "partners",
            "police_monthly_counts_only",
        ]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "signed_on": DateInput(),
            "introduction": forms.Textarea(attrs={"rows": 4}),
            "situation_picture": forms.Textarea(attrs={"rows": 6}),
            "follow_up_text": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        self.fields["partners"].queryset = Organisation.objects.filter(
            municipality=municipality, kind="partner"
        )
        self.fields["police_area"].queryset = municipality.police_areas.all()

    def clean(self):
        data = super().clean()
        dates = period_date_errors(data.get("starts_on"), data.get("ends_on"))
        for field, message in dates.items():
            self.add_error(field, message)
        return data

    def service_fields(self):
        data = dict(self.cleaned_data)
        partners = data.pop("partners")
        return data, partners


class NewPeriodForm(PeriodForm):
    """A new period: the kommun is chosen among those the editor may edit."""

    municipality_choice = forms.ModelChoiceField(label=_("Kommun"), queryset=None)

    field_order = ["municipality_choice"]

    def __init__(self, *args, municipalities, **kwargs):
        municipalities = list(municipalities)
        data = args[0] if args else kwargs.get("data")
        chosen = municipalities[0]
        if data and data.get("municipality_choice"):
            chosen = next(
                (m for m in municipalities if str(m.pk) == data.get("municipality_choice")),
                chosen,
            )
        super().__init__(*args, municipality=chosen, **kwargs)
        self.fields["municipality_choice"].queryset = type(chosen).objects.filter(
            pk__in=[m.pk for m in municipalities]
        )
        self.fields["municipality_choice"].initial = chosen.pk
        if len(municipalities) == 1:
            self.fields["municipality_choice"].widget = forms.HiddenInput()


class TransitionForm(forms.Form):
    """Move a period one step; adopting needs the date and the decision."""

    to = forms.ChoiceField(choices=PeriodStatus.choices, widget=forms.HiddenInput)
    adopted_on = forms.DateField(label=_("Antaget datum"), required=False, widget=DateInput())
    decision_reference = forms.CharField(
        label=_("Beslut"),
        help_text=_("Till exempel ”KS 2022-12-05 § 201, dnr KS 2022/412”."),
        max_length=100,
        required=False,
    )


class PromiseForm(forms.ModelForm):
    class Meta:
        model = Promise
        fields = ["position", "title", "text", "theme", "target_group"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}


class ActivityForm(forms.ModelForm):
    responsible_organisations = OrganisationMultipleChoiceField(
        label=_("Ansvariga"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Välj minst en ansvarig organisation.")},
    )

    class Meta:
        model = Activity
        fields = [
            "promise",
            "position",
            "description",
            "responsible_organisations",
            "target_kind",
            "target_quantity",
            "unit_singular",
            "unit_plural",
            "cadence",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "target_quantity": _("Bara för mål i antal: minst så många per period för målet."),
            "unit_singular": _("Till exempel ”trafikkontroll”."),
            "unit_plural": _("Till exempel ”trafikkontroller”."),
        }

    def __init__(self, *args, period, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["promise"].queryset = period.promises.all()
        self.fields["promise"].help_text = _("Lämna tomt för en gemensam aktivitet.")
        self.fields["responsible_organisations"].queryset = Organisation.objects.covering(
            period.municipality
        )

    def clean(self):
        data = super().clean()
        if data.get("target_kind") == TargetKind.COUNT:
            if not data.get("target_quantity"):
                self.add_error("target_quantity", _("Ange målvärdet, minst 1."))
            if not data.get("cadence"):
                self.add_error("cadence", _("Ange vilken period målet gäller."))
            for field in ("unit_singular", "unit_plural"):
                if not data.get(field):
                    self.add_error(field, _("Ange enheten, till exempel trafikkontroll(er)."))
        return data

    def _post_clean(self):
        # The target fields that do not belong to the kind are emptied by the service before
        # saving, so the model's target constraint is checked there, not on the raw input.
        if self.cleaned_data.get("target_kind") not in (None, TargetKind.COUNT):
            for field in ("target_quantity", "cadence", "unit_singular", "unit_plural"):
                self.cleaned_data[field] = None if field == "target_quantity" else ""
        super()._post_clean()

    def service_fields(self):
        data = dict(self.cleaned_data)
        organisations = list(data.pop("responsible_organisations"))
        return data, organisations


class SignatoryForm(forms.ModelForm):
    organisation = OrganisationChoiceField(label=_("Organisation"), queryset=None)

    class Meta:
        model = Signatory
        fields = ["position", "name", "title", "organisation"]

    def __init__(self, *args, period, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.covering(period.municipality)


class SourceForm(forms.ModelForm):
    class Meta:
        model = SituationSource
        fields = ["kind", "description"]
