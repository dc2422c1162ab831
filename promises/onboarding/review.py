"""The review page's forms, filled from a parsed document, each field with its evidence.

``Review(document, municipality, data)`` builds the period form and the promise, activity and
signatory formsets (initial values from the parse; ``data`` when the editor posts corrections),
gives the template one row per field (the field, its source sentence with the words
highlighted, whether it needs checking) and turns valid forms into a ``services.Draft``.
"""

from dataclasses import dataclass, field

from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from municipalities.forms import add_service_errors
from promises.models import TargetKind
from promises.onboarding import evidence
from promises.onboarding.forms import (
    ActivityDraftForm,
    PeriodDraftForm,
    PromiseDraftForm,
    SignatoryDraftForm,
    draft_formset,
)
from promises.onboarding.queries import MUNICIPALITY, PARTNER_PREFIX, POLICE, owner_choices
from promises.onboarding.services import Draft, DraftActivity, DraftRefused, DraftSignatory
from promises.parsing import Field, ParsedDocument


@dataclass
class Row:
    field: object  # a BoundField
    source: SafeString
    check: bool  # the parser is unsure: "Kontrollera"
    parsed: bool = True  # False for fields the parser does not read (the period's slug)


@dataclass
class Part:
    """One form of the review (the period, a promise, an activity, a signatory)."""

    form: object
    rows: list[Row]
    hints: list[str] = field(default_factory=list)


class Review:
    def __init__(self, document: ParsedDocument, municipality, data=None):
        self.document = document
        self.municipality = municipality
        promises = [p for p in document.promises if p.title.value]
        self._promises = promises
        self._activities = [
            (a, promises.index(p) if p in promises else None)
            for p in document.promises
            for a in p.activities
        ]
        owners = owner_choices(municipality, self._partner_names())
        # "partner:Tranemobostäder" and "partner:tranemobostäder" are one choice.
        self._owner_keys = {key.lower(): key for key, _label in owners}
        self.period_form = PeriodDraftForm(
            data, prefix="period", municipality=municipality, initial=self._period_initial()
        )
        self.promise_formset = draft_formset(PromiseDraftForm, len(promises))(
            data, prefix="promises", initial=[{"title": p.title.value} for p in promises]
        )
        promise_choices = [("", _("Gemensam aktivitet (inget löfte)"))] + [
            (
                str(i),
                _("Löfte %(number)s: %(title)s")
                % {"number": i + 1, "title": Truncator(p.title.value).chars(50)},
            )
            for i, p in enumerate(promises)
        ]
        self.activity_formset = draft_formset(ActivityDraftForm, len(self._activities))(
            data,
            prefix="activities",
            initial=[self._activity_initial(a, p) for a, p in self._activities],
            form_kwargs={"promise_choices": promise_choices, "owner_choices": owners},
        )
        self.signatory_formset = draft_formset(SignatoryDraftForm, len(document.signatories))(
            data,
            prefix="signatories",
            initial=[self._signatory_initial(s) for s in document.signatories],
            form_kwargs={"owner_choices": owners},
        )

    # --- initial values from the parse ---

    def _period_initial(self):
        d = self.document
        starts_on, ends_on = d.starts_on.value, d.ends_on.value
        years = ""
        if starts_on and ends_on:
            years = (
                f"{starts_on.year}"
                if starts_on.year == ends_on.year
                else f"{starts_on.year}–{ends_on.year}"
            )
        areas = list(self.municipality.police_areas.all())
        return {
            "title": f"Medborgarlöfte {years}".strip(),
            "slug": years.replace("–", "-"),
            "starts_on": starts_on,
            "ends_on": ends_on,
            "police_area": areas[0].pk if len(areas) == 1 else None,
            "signed_on": d.signed_on.value,
            "signed_place": d.signed_place.value or "",
        }

    def _activity_initial(self, activity, promise_index):
        t = activity.targets
        counted = t.kind.value == TargetKind.COUNT
        return {
            "description": activity.text,
            "promise": "" if promise_index is None else str(promise_index),
            "owners": [self._owner_keys.get(key.lower(), key) for key in t.owners.value],
            "target_kind": t.kind.value,
            "target_quantity": t.quantity.value if counted else None,
            "unit_singular": t.unit_singular.value if counted else "",
            "unit_plural": t.unit_plural.value if counted else "",
            "cadence": t.cadence.value if counted else "",
        }

    def _signatory_initial(self, signatory):
        key = _owner_key(signatory.organisation.value)
        return {
            "name": signatory.name.value or "",
            "title": signatory.title.value or "",
            "organisation": self._owner_keys.get(key.lower(), key),
        }

    def _partner_names(self):
        keys = [key for a, _p in self._activities for key in a.targets.owners.value]
        keys += [_owner_key(s.organisation.value) for s in self.document.signatories]
        return [key.removeprefix(PARTNER_PREFIX) for key in keys if key.startswith(PARTNER_PREFIX)]

    # --- what the template shows ---

    def period_part(self) -> Part:
        d = self.document
        sources = {
            "starts_on": d.starts_on,
            "ends_on": d.ends_on,
            "signed_on": d.signed_on,
            "signed_place": d.signed_place,
        }
        part = Part(self.period_form, self._rows(self.period_form, sources))
        for name in ("starts_on", "ends_on"):
            if sources[name].value is None:
                part.rows[list(self.period_form.fields).index(name)].check = True
        kommun = d.kommun.value
        if kommun and kommun.lower() != self.municipality.name.lower():
            part.hints.append(
                _("Texten verkar gälla %(text)s, men du valde %(chosen)s.")
                % {"text": kommun, "chosen": self.municipality.name}
            )
        if not self._activities:
            part.hints.append(_("Inga aktiviteter hittades i texten. Lägg till dem efteråt."))
        return part

    def promise_parts(self) -> list[Part]:
        chosen = [
            form["promise"].value() for form in self.activity_formset.forms if not _deleted(form)
        ]
        parts = []
        for index, (form, promise) in enumerate(
            zip(self.promise_formset.forms, self._promises, strict=False)
        ):
            part = Part(form, self._rows(form, {"title": promise.title}))
            part.hints = evidence.promise_hints(chosen.count(str(index)))
            parts.append(part)
        return parts

    def activity_parts(self) -> list[Part]:
        parts = []
        for form, (activity, _p) in zip(
            self.activity_formset.forms, self._activities, strict=False
        ):
            t = activity.targets
            whole = Field(activity.text, activity.text, activity.span, activity.span)
            sources = {
                "description": whole,
                "owners": t.owners,
                "target_kind": t.kind,
                "target_quantity": t.quantity,
                "unit_singular": t.unit_singular,
                "unit_plural": t.unit_plural,
                "cadence": t.cadence,
            }
            values = {name: form[name].value() for name in ("target_kind", "target_quantity")}
            values["cadence"] = form["cadence"].value()
            part = Part(form, self._rows(form, sources), evidence.activity_hints(values, t.cadence))
            parts.append(part)
        return parts

    def signatory_parts(self) -> list[Part]:
        return [
            Part(
                form,
                self._rows(
                    form,
                    {"name": s.name, "title": s.title, "organisation": s.organisation},
                ),
            )
            for form, s in zip(
                self.signatory_formset.forms, self.document.signatories, strict=False
            )
        ]

    def _rows(self, form, sources: dict[str, Field]) -> list[Row]:
        rows = []
        for name in form.fields:
            if name == "DELETE":
                continue
            source = sources.get(name)
            # A value with no words to point at is the parser's default: no source to show.
            shown = source if source is not None and source.span is not None else None
            rows.append(
                Row(
                    form[name],
                    evidence.highlight(self.document.text, shown),
                    source is not None and not source.confident,
                    parsed=name in sources,
                )
            )
        return rows

    # --- validation and the draft ---

    def formsets(self):
        return [self.promise_formset, self.activity_formset, self.signatory_formset]

    def is_valid(self) -> bool:
        # Every form is validated (no short cut), so every error shows at once.
        results = [self.period_form.is_valid()] + [fs.is_valid() for fs in self.formsets()]
        valid = all(results)
        if valid:
            valid = self._check_promise_links()
        return valid

    def _check_promise_links(self) -> bool:
        removed = {str(i) for i, form in enumerate(self.promise_formset.forms) if _deleted(form)}
        ok = True
        for form in self._kept(self.activity_formset):
            if form.cleaned_data.get("promise") in removed:
                form.add_error(
                    "promise",
                    _("Löftet tas inte med. Välj ett annat löfte eller gemensam aktivitet."),
                )
                ok = False
        return ok

    def draft(self) -> Draft:
        """The reviewed draft; only after ``is_valid()``."""
        kept_promises = [
            i for i, form in enumerate(self.promise_formset.forms) if not _deleted(form)
        ]
        position = {str(index): n for n, index in enumerate(kept_promises)}
        period = dict(self.period_form.cleaned_data)
        period["signed_place"] = period["signed_place"] or ""
        return Draft(
            period=period,
            promises=[self.promise_formset.forms[i].cleaned_data["title"] for i in kept_promises],
            activities=[
                DraftActivity(
                    description=form.cleaned_data["description"],
                    owners=list(form.cleaned_data["owners"]),
                    target_kind=form.cleaned_data["target_kind"],
                    promise=position.get(form.cleaned_data["promise"]),
                    target_quantity=form.cleaned_data["target_quantity"],
                    unit_singular=form.cleaned_data["unit_singular"],
                    unit_plural=form.cleaned_data["unit_plural"],
                    cadence=form.cleaned_data["cadence"],
                )
                for form in self._kept(self.activity_formset)
            ],
            signatories=[
                DraftSignatory(
                    name=form.cleaned_data["name"],
                    title=form.cleaned_data["title"],
                    organisation=form.cleaned_data["organisation"],
                )
                for form in self._kept(self.signatory_formset)
            ],
        )

    def add_refusal(self, refused: DraftRefused) -> None:
        """Put the service's refusals next to the fields of the forms they belong to."""
        kept = {
            "period": [self.period_form],
            "promises": self._kept(self.promise_formset),
            "activities": self._kept(self.activity_formset),
            "signatories": self._kept(self.signatory_formset),
        }
        for (part, index), error in refused.errors.items():
            add_service_errors(kept[part][index], error)

    @property
    def has_errors(self) -> bool:
        """Whether the posted review has errors (never for the first, unbound, page)."""
        if not self.period_form.is_bound:
            return False
        results = [self.period_form.is_valid()] + [fs.is_valid() for fs in self.formsets()]
        return not all(results)

    @staticmethod
    def _kept(formset):
        return [form for form in formset.forms if not _deleted(form)]


def _deleted(form) -> bool:
    if form.is_bound and hasattr(form, "cleaned_data"):
        return bool(form.cleaned_data.get("DELETE"))
    return bool(form["DELETE"].value()) if form.is_bound else False


def _owner_key(organisation: str | None) -> str:
    """The owner key for a signatory's organisation as written ("Lokalpolisområde Höglandet",
    "Aneby kommun", "Tranemobostäder")."""
    if not organisation:
        return ""
    lowered = organisation.lower()
    if "polis" in lowered:
        return POLICE
    if "kommun" in lowered or lowered.startswith("region "):
        return MUNICIPALITY
    return PARTNER_PREFIX + organisation
