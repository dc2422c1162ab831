"""Forms for editing a decision memo: its fields, and formsets for its four lists."""

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from promises.models import DecisionMemo

TEXT_MAX = 1000


class MemoForm(forms.ModelForm):
    class Meta:
        model = DecisionMemo
        fields = [
            "title",
            "recipient",
            "memo_date",
            "reference",
            "department",
            "officer_name",
            "officer_title",
            "officer_phone",
            "officer_email",
            "proposal_heading",
            "proposal_lead",
            "clause_style",
            "summary",
            "description",
            "external_analysis",
            "consultation",
            "economy",
            "follow_up",
        ]
        widgets = {
            "memo_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "summary": forms.Textarea(attrs={"rows": 4}),
            "description": forms.Textarea(attrs={"rows": 10}),
            "external_analysis": forms.Textarea(attrs={"rows": 3}),
            "consultation": forms.Textarea(attrs={"rows": 2}),
            "economy": forms.Textarea(attrs={"rows": 2}),
            "follow_up": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "description": _("Tom rad mellan styckena."),
            "reference": _("Krävs för att fastställa."),
            "recipient": _("Kommunstyrelsen, eller ett utskott. Krävs för att fastställa."),
        }
        # The handläggare's address is printed in the memo: it must be one that can be written to.
        field_classes = {"officer_email": forms.EmailField}
        error_messages = {
            "title": {"required": _("Ange ärendemeningen (rubriken).")},
            "memo_date": {"invalid": _("Ange datumet som ÅÅÅÅ-MM-DD.")},
            "officer_email": {
                "invalid": _("Ange en giltig e-postadress, till exempel namn@kommun.se.")
            },
        }


class ClauseForm(forms.Form):
    text = forms.CharField(
        label=_("Beslutssats"),
        max_length=TEXT_MAX,
        required=False,
        help_text=_("Utan ”att”, som skrivs ut framför: ”anta följande medborgarlöften …”."),
    )
    items = forms.CharField(
        label=_("Punkter under satsen"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("En punkt per rad."),
    )

    def as_item(self):
        text = self.cleaned_data.get("text", "").strip()
        items = [
            line.strip() for line in self.cleaned_data.get("items", "").splitlines() if line.strip()
        ]
        if not text and not items:
            return None
        return {"text": text, "items": items}

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("text", "").strip() and cleaned.get("items", "").strip():
            self.add_error("text", _("Skriv satsen som punkterna hör till."))
        return cleaned


class BasisForm(forms.Form):
    text = forms.CharField(label=_("Handling"), max_length=TEXT_MAX, required=False)
    date = forms.DateField(
        label=_("Datum"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Ange datumet som ÅÅÅÅ-MM-DD.")},
    )

    def as_item(self):
        text = self.cleaned_data.get("text", "").strip()
        day = self.cleaned_data.get("date")
        if not text:
            return None
        return {"text": text, "date": day.isoformat() if day else ""}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("date") and not cleaned.get("text", "").strip():
            self.add_error("text", _("Ange vilken handling datumet gäller."))
        return cleaned


class DistributionForm(forms.Form):
    recipient = forms.CharField(label=_("Mottagare av beslutet"), max_length=200, required=False)

    def as_item(self):
        return self.cleaned_data.get("recipient", "").strip() or None


class SignatureForm(forms.Form):
    name = forms.CharField(label=_("Namn"), max_length=150, required=False)
    title = forms.CharField(label=_("Titel"), max_length=200, required=False)

    def as_item(self):
        name = self.cleaned_data.get("name", "").strip()
        title = self.cleaned_data.get("title", "").strip()
        if not name and not title:
            return None
        return {"name": name, "title": title}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("title", "").strip() and not cleaned.get("name", "").strip():
            self.add_error("name", _("Ange namnet på den som undertecknar."))
        return cleaned


LIST_FORMSETS = {
    "clauses": formset_factory(ClauseForm, extra=1, can_delete=True, max_num=20),
    "basis": formset_factory(BasisForm, extra=1, can_delete=True, max_num=30),
    "distribution": formset_factory(DistributionForm, extra=1, can_delete=True, max_num=30),
    "signatures": formset_factory(SignatureForm, extra=1, can_delete=True, max_num=10),
}


def initial_for(memo, name):
    """A list of the memo as initial data of its formset."""
    if name == "clauses":
        return [
            {"text": clause.get("text", ""), "items": "\n".join(clause.get("items", []))}
            for clause in memo.clauses
        ]
    if name == "basis":
        return [
            {"text": item.get("text", ""), "date": item.get("date") or None} for item in memo.basis
        ]
    if name == "distribution":
        return [{"recipient": recipient} for recipient in memo.distribution]
    return [dict(signature) for signature in memo.signatures]


def list_formsets(memo, data=None):
    return {
        name: formset(data, initial=initial_for(memo, name), prefix=name)
        for name, formset in LIST_FORMSETS.items()
    }


def formset_values(formset):
    """The formset's items in order, without deleted or empty rows."""
    values = []
    for form in formset.forms:
        if formset.can_delete and formset._should_delete_form(form):
            continue
        item = form.as_item()
        if item is not None:
            values.append(item)
    return values
