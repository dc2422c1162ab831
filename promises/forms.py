"""Forms for editing medborgarlöften: validation only, with Swedish messages.

Rules that need other rows (a free position, a unique slug, events that would lose their
meaning) are checked by promises.services; the views put its errors onto these forms.
"""

from django import forms
from django.utils import formats
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
from promises.targets import due_on_outside_period_message


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

    def __init__(self, *args, municipality, locked=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        self.fields["partners"].queryset = Organisation.objects.filter(
            municipality=municipality, kind="partner"
        )
        self.fields["police_area"].queryset = municipality.police_areas.all()
        if locked:
            # Adopted: what was signed is shown, not editable (it changes by an amendment).
            for name, field in self.fields.items():
                if name != "police_monthly_counts_only":
                    field.disabled = True

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

    def clean(self):
        cleaned = super().clean()
        if "to" in self.errors:
            # A hidden field's error would show nowhere: say it above the form instead.
            del self.errors["to"]
            self.add_error(
                None, _("Okänd status. Gå tillbaka till medborgarlöftet och försök igen.")
            )
        return cleaned


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
            "due_on",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "due_on": DateInput()}
        help_texts = {
            "due_on": _(
                "Bara för aktiviteter som genomförs en gång, till exempel ”senast 30 juni”. "
                "Lämna tomt om löftet inte anger något datum."
            ),
            "target_quantity": _("Bara för mål i antal: minst så många per period för målet."),
            "unit_singular": _("Till exempel ”trafikkontroll”."),
            "unit_plural": _("Till exempel ”trafikkontroller”."),
        }

    def __init__(self, *args, period, **kwargs):
        super().__init__(*args, **kwargs)
        self.period = period
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
        self._clean_due_on(data)
        return data

    def _clean_due_on(self, data):
        due_on = data.get("due_on")
        if not due_on:
            return
        if data.get("target_kind") != TargetKind.MILESTONE:
            self.add_error(
                "due_on",
                _("Bara en aktivitet som genomförs en gång kan ha ett datum då den ska vara klar."),
            )
        elif not self.period.starts_on <= due_on <= self.period.ends_on:
            self.add_error("due_on", due_on_outside_period_message(self.period))

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


# --- Amendments (issue 12) ------------------------------------------------------------------------

NEW_SIGNATORY = "new_signatory-0"


class AmendmentForm(forms.Form):
    """Why, from when and by whose decision: the part of an amendment that is about itself."""

    reason = forms.CharField(
        label=_("Skäl"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Visas offentligt, tillsammans med vad som ändras."),
        error_messages={"required": _("Ange skälet till ändringen. Det visas offentligt.")},
    )
    applies_from = forms.DateField(
        label=_("Gäller från"),
        widget=DateInput(),
        error_messages={"required": _("Ange från vilket datum ändringen gäller.")},
        help_text=_("Delar av perioden som slutade före detta datum behåller sitt tidigare mål."),
    )
    decision_reference = forms.CharField(
        label=_("Beslut"),
        max_length=100,
        required=False,
        help_text=_("Valfritt, till exempel ”KS 2024-03-12 § 45”."),
    )


def amendment_parts(period) -> list[tuple[str, str]]:
    """What an amendment of the period may change, as (key, label) for the first step's list."""
    ends_on = formats.date_format(period.ends_on, "j F Y")
    parts = [("period", _("Periodens slutdatum (nu %(date)s)") % {"date": ends_on})]
    parts += [
        (
            f"promise-{promise.pk}",
            _("Löfte %(n)s: %(title)s") % {"n": promise.position, "title": promise.title},
        )
        for promise in period.promises.all()
    ]
    parts += [
        (
            f"activity-{activity.pk}",
            _("Aktivitet %(n)s: %(text)s") % {"n": activity.position, "text": activity.description},
        )
        for activity in period.activities.all()
    ]
    parts += [
        (f"signatory-{signatory.pk}", _("Undertecknare: %(name)s") % {"name": signatory.name})
        for signatory in period.signatories.all()
    ]
    parts.append((NEW_SIGNATORY, _("Lägg till en undertecknare")))
    return parts


class AmendmentPartsForm(forms.Form):
    """The first step: pick what changes (a GET form, so it works without JavaScript)."""

    delar = forms.MultipleChoiceField(
        label=_("Vad ändras?"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Välj minst en del som ändras.")},
    )

    def __init__(self, *args, period, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delar"].choices = amendment_parts(period)


class AmendPeriodForm(forms.Form):
    ends_on = forms.DateField(label=_("Gäller till och med"), widget=DateInput())


class AmendPromiseForm(forms.Form):
    title = forms.CharField(label=_("Rubrik"), max_length=300)
    text = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class AmendActivityForm(forms.Form):
    description = forms.CharField(label=_("Beskrivning"), widget=forms.Textarea(attrs={"rows": 3}))
    target_kind = forms.ChoiceField(label=_("Typ av mål"), choices=TargetKind.choices)
    target_quantity = forms.IntegerField(label=_("Målvärde"), min_value=1, required=False)
    unit_singular = forms.CharField(label=_("Enhet (singular)"), max_length=60, required=False)
    unit_plural = forms.CharField(label=_("Enhet (plural)"), max_length=60, required=False)
    cadence = forms.ChoiceField(
        label=_("Period för målet"),
        choices=[("", "—"), *Activity._meta.get_field("cadence").choices],
        required=False,
    )
    responsible_organisations = OrganisationMultipleChoiceField(
        label=_("Ansvariga"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Välj minst en ansvarig organisation.")},
    )

    def __init__(self, *args, period, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_organisations"].queryset = Organisation.objects.covering(
            period.municipality
        )


class AmendSignatoryForm(forms.Form):
    name = forms.CharField(label=_("Namn"), max_length=150)
    title = forms.CharField(label=_("Titel"), max_length=200)
    organisation = OrganisationChoiceField(label=_("Organisation"), queryset=None)
    remove = forms.BooleanField(label=_("Ta bort undertecknaren"), required=False)

    def __init__(self, *args, period, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.covering(period.municipality)


class NewSignatoryForm(AmendSignatoryForm):
    remove = None


def amendment_part_forms(period, keys, data=None) -> list[tuple[str, str, forms.Form]]:
    """One form per chosen part, prefixed with its key (``activity-12``), filled from the stored
    values; keys that name nothing of the period are left out. (key, heading, form)."""
    labels = dict(amendment_parts(period))
    promises = {f"promise-{p.pk}": p for p in period.promises.all()}
    activities = {f"activity-{a.pk}": a for a in period.activities.all()}
    signatories = {f"signatory-{s.pk}": s for s in period.signatories.all()}
    forms_ = []
    for key in dict.fromkeys(keys):
        if key == "period":
            form = AmendPeriodForm(data, prefix=key, initial={"ends_on": period.ends_on})
        elif key in promises:
            promise = promises[key]
            initial = {"title": promise.title, "text": promise.text}
            form = AmendPromiseForm(data, prefix=key, initial=initial)
        elif key in activities:
            form = AmendActivityForm(
                data, prefix=key, period=period, initial=_activity_initial(activities[key])
            )
        elif key in signatories:
            signatory = signatories[key]
            initial = {
                "name": signatory.name,
                "title": signatory.title,
                "organisation": signatory.organisation_id,
            }
            form = AmendSignatoryForm(data, prefix=key, period=period, initial=initial)
        elif key == NEW_SIGNATORY:
            form = NewSignatoryForm(data, prefix=key, period=period)
        else:
            continue
        forms_.append((key, labels[key], form))
    return forms_


def _activity_initial(activity):
    return {
        "description": activity.description,
        "target_kind": activity.target_kind,
        "target_quantity": activity.target_quantity,
        "unit_singular": activity.unit_singular,
        "unit_plural": activity.unit_plural,
        "cadence": activity.cadence,
        "responsible_organisations": [o.pk for o in activity.responsible_organisations.all()],
    }


def amendment_changes(part_forms):
    """The valid part forms as the ``Changes`` that ``amend_period`` takes."""
    from promises.amendments.services import Changes

    changes = Changes()
    for key, _heading, form in part_forms:
        data = dict(form.cleaned_data)
        if key == "period":
            changes.period = data
        elif key == NEW_SIGNATORY:
            changes.new_signatories.append(data)
        else:
            part, pk = key.split("-", 1)
            pk = int(pk)
            if part == "promise":
                changes.promises[pk] = data
            elif part == "activity":
                data["responsible_organisations"] = list(data["responsible_organisations"])
                data["target_quantity"] = data["target_quantity"] or None
                changes.activities[pk] = data
            elif data.pop("remove"):
                changes.removed_signatories.append(pk)
            else:
                changes.signatories[pk] = data
    return changes


def add_amendment_errors(form, part_forms, error):
    """A refused amendment's errors next to the fields they name (``activity-12-cadence``), the
    rest above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    by_prefix = {key: part_form for key, _heading, part_form in part_forms}
    for name, errors in error.error_dict.items():
        prefix, _sep, field = name.rpartition("-")
        part_form = by_prefix.get(prefix)
        if part_form is not None and field in part_form.fields:
            part_form.add_error(field, errors)
        elif name in form.fields:
            form.add_error(name, errors)
        else:
            form.add_error(None, errors)
