"""Forms of the staff area: logging, correcting and retracting events, deviations.

They validate the shape of the input (with Django's Swedish messages); the rules that need the
database (dates inside the period, …) live in followup.services, whose ValidationError is put
onto the form with ``municipalities.forms.add_service_errors``. Who may be recorded as the doer
is ``promises.permissions.recordable_organisations``: it gives the forms their choices and the
service its check.
"""

import uuid
from datetime import date

from django import forms
from django.forms.renderers import BaseRenderer, get_default_renderer
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from followup.models import (
    MAX_EVENT_QUANTITY,
    NOTE_MAX_LENGTH,
    PLACE_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    DeviationReason,
    EventKind,
)
from followup.progress import bucket_label, buckets_for
from followup.services import CHANGE_REASON_MAX_LENGTH, Window, logging_window, window_refusal
from municipalities.forms import DateInput
from promises.models import TargetKind
from promises.permissions import recordable_organisations

UNDO_REASON = "Ångrad direkt efter registrering"

# Django's templates of the widgets and the label that QuickRenderer writes itself.
_INPUTS = {f"django/forms/widgets/{kind}.html" for kind in ("text", "number", "date", "hidden")}
_TEXTAREA = "django/forms/widgets/textarea.html"
_LABEL = "django/forms/label.html"


def _attributes(attrs) -> str:
    """Django's ``attrs.html``: `` name="value"``, a bare name for True, nothing for False."""
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


def escape(value) -> str:
    return conditional_escape(value)


class QuickRenderer(BaseRenderer):
    """Renders the plain inputs, text areas and labels of the log form as Django's own templates
    do (same HTML, character for character: tests/staff/test_log_form_rendering.py), in Python.

    A dashboard holds a log form per activity, and a template render per widget and per label
    was half the cost of a row. Everything else (select, radio buttons, errors) goes to
    Django's default renderer.
    """

    def __init__(self):
        self.fallback = get_default_renderer()

    def get_template(self, template_name):
        return self.fallback.get_template(template_name)

    def render(self, template_name, context, request=None):
        if template_name in _INPUTS:
            widget = context["widget"]
            value = widget["value"]
            shown = "" if value is None else f' value="{escape(str(value))}"'
            return mark_safe(  # noqa: S308 — every part escaped above
                f'<input type="{escape(widget["type"])}" name="{escape(widget["name"])}"'
                f"{shown}{_attributes(widget['attrs'])}>"
            )
        if template_name == _TEXTAREA:
            widget = context["widget"]
            text = escape(widget["value"]) if widget["value"] else ""
            return mark_safe(  # noqa: S308 — every part escaped above
                f'<textarea name="{escape(widget["name"])}"{_attributes(widget["attrs"])}>\n'
                f"{text}</textarea>"
            )
        if template_name == _LABEL:
            label = escape(context["label"])
            if not context["use_tag"]:
                return label
            tag = escape(context["tag"])
            return mark_safe(f"<{tag}{_attributes(context['attrs'])}>{label}</{tag}>")  # noqa: S308
        return self.fallback.render(template_name, context, request=request)


class EventFieldsMixin:
    """Shapes the event fields to the activity: no number for what is not counted, a kind only
    for what is done on request, an organisation only when there is a choice.

    The organisation choices come from a list already in memory (the activity's prefetched
    responsible organisations), so a page of many forms costs no query per form.
    """

    def _shape(self, activity, organisations):
        self.activity = activity
        if activity.target_kind != TargetKind.COUNT:
            del self.fields["quantity"]
        if activity.target_kind != TargetKind.ON_REQUEST and "kind" in self.fields:
            del self.fields["kind"]
        self._organisations = {str(organisation.pk): organisation for organisation in organisations}
        if len(organisations) == 1:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].choices = [
                (str(organisation.pk), organisation.name) for organisation in organisations
            ]

    def chosen_organisation(self):
        if "organisation" not in self.fields:
            return next(iter(self._organisations.values()), None)
        return self._organisations.get(self.cleaned_data.get("organisation"))


class EventLogForm(EventFieldsMixin, forms.Form):
    """The one-line log form: quantity 1 and today by default, the rest optional."""

    default_renderer = QuickRenderer

    quantity = forms.IntegerField(
        label=_("Antal"), min_value=1, max_value=MAX_EVENT_QUANTITY, initial=1
    )
    occurred_on = forms.DateField(label=_("Datum"), widget=DateInput())
    kind = forms.ChoiceField(
        label=_("Vad hände?"),
        choices=EventKind.choices,
        initial=EventKind.DONE,
        widget=forms.RadioSelect,
    )
    organisation = forms.ChoiceField(label=_("Utfört av"))
    place = forms.CharField(label=_("Plats"), max_length=PLACE_MAX_LENGTH, required=False)
    summary = forms.CharField(
        label=_("Kort beskrivning"), max_length=SUMMARY_MAX_LENGTH, required=False
    )
    internal_note = forms.CharField(
        label=_("Intern anteckning"),
        help_text=_("Visas bara för personal, aldrig publikt."),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    # A new one with every blank form: the same form sent twice logs once (see log_event).
    submission_token = forms.UUIDField(required=False, initial=uuid.uuid4, widget=forms.HiddenInput)
    # Only when the period's logging window has closed (followup.services.logging_window).
    late_reason = forms.CharField(
        label=_("Varför registreras händelsen i efterhand?"),
        help_text=_(
            "Perioden är avslutad. Skälet visas publikt bredvid händelsen och i rättelseloggen."
        ),
        max_length=CHANGE_REASON_MAX_LENGTH,
        error_messages={"required": _("Ange varför händelsen registreras i efterhand.")},
    )

    def __init__(self, *args, activity, scope, today=None, **kwargs):
        kwargs.setdefault("auto_id", f"log-{activity.pk}-%s")
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.window = logging_window(activity.period, today)
        # Whether this user may log into the period now at all (the service decides the same).
        self.refusal = window_refusal(activity.period, self.window, scope)
        if not self.window.needs_reason or self.refusal:
            del self.fields["late_reason"]
        # After the period, "today" is no longer a date it may hold: suggest none.
        if self.window is Window.OPEN:
            self.fields["occurred_on"].initial = timezone.localdate
        self._shape(activity, recordable_organisations(scope, activity))

    def clean(self):
        cleaned = super().clean()
        if "submission_token" in self.errors:
            # A hidden field: its error would show nowhere, so say it above the form.
            del self.errors["submission_token"]
            self.add_error(None, _("Formuläret känns inte igen. Ladda om sidan och logga igen."))
        if self.refusal:
            message, code = self.refusal
            raise forms.ValidationError(message, code=code)
        return cleaned

    @property
    def is_late(self) -> bool:
        """The period has ended and the window for late logging is open ("efterregistrerad")."""
        return self.window is Window.LATE

    def service_kwargs(self):
        data = self.cleaned_data
        return {
            "occurred_on": data["occurred_on"],
            "quantity": data.get("quantity", 1),
            "organisation": self.chosen_organisation(),
            "place": data["place"],
            "summary": data["summary"],
            "internal_note": data["internal_note"],
            "kind": data.get("kind") or EventKind.DONE,
            "submission_token": data.get("submission_token"),
            "late_reason": data.get("late_reason", ""),
        }


class EventCorrectionForm(EventFieldsMixin, forms.Form):
    """Change an event; the reason is required and kept in its history."""

    quantity = forms.IntegerField(label=_("Antal"), min_value=1, max_value=MAX_EVENT_QUANTITY)
    occurred_on = forms.DateField(label=_("Datum"), widget=DateInput())
    organisation = forms.ChoiceField(label=_("Utfört av"))
    place = forms.CharField(label=_("Plats"), max_length=PLACE_MAX_LENGTH, required=False)
    summary = forms.CharField(
        label=_("Kort beskrivning"), max_length=SUMMARY_MAX_LENGTH, required=False
    )
    internal_note = forms.CharField(
        label=_("Intern anteckning"),
        help_text=_("Visas bara för personal, aldrig publikt."),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reason = forms.CharField(
        label=_("Varför ändras händelsen?"),
        help_text=_(
            "Sparas i händelsens historik. Skälet visas öppet i rättelseloggen på den offentliga "
            "sidan."
        ),
        max_length=CHANGE_REASON_MAX_LENGTH,
        error_messages={"required": _("Ange varför händelsen ändras.")},
    )

    def __init__(self, *args, event, scope, **kwargs):
        initial = {
            "quantity": event.quantity,
            "occurred_on": event.occurred_on,
            "organisation": str(event.organisation_id),
            "place": event.place,
            "summary": event.summary,
            "internal_note": event.internal_note,
        }
        super().__init__(*args, initial=initial, **kwargs)
        organisations = recordable_organisations(scope, event.activity)
        if event.organisation not in organisations:
            organisations.append(event.organisation)
        if len(organisations) == 1:
            # The only choice is the event's own organisation: nothing to change there.
            organisations = [event.organisation]
        self._shape(event.activity, organisations)

    def changes(self):
        data = self.cleaned_data
        changes = {
            field: data[field]
            for field in ("occurred_on", "quantity", "place", "summary", "internal_note")
            if field in self.fields
        }
        if "organisation" in self.fields:
            changes["organisation"] = self.chosen_organisation()
        return changes


class RetractForm(forms.Form):
    reason = forms.CharField(
        label=_("Varför återkallas händelsen?"),
        help_text=_(
            "Händelsen finns kvar i historiken men räknas inte längre. Skälet visas öppet i "
            "rättelseloggen på den offentliga sidan."
        ),
        max_length=CHANGE_REASON_MAX_LENGTH,
        error_messages={"required": _("Ange varför händelsen återkallas.")},
    )


class DeviationForm(forms.Form):
    bucket_start = forms.TypedChoiceField(label=_("Gäller"), coerce=str)
    reason = forms.ChoiceField(label=_("Orsak"), choices=DeviationReason.choices)
    text = forms.CharField(
        label=_("Förklaring"),
        help_text=_("Visas publikt bredvid aktivitetens resultat. Skriv för invånare."),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Skriv en förklaring till avvikelsen.")},
    )

    def __init__(self, *args, activity, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        today = today or timezone.localdate()
        spans = buckets_for(activity)
        self.fields["bucket_start"].choices = [
            (
                span.start.isoformat(),
                f"{bucket_label(activity.cadence, span)} "
                f"({date_format(span.start, 'j F Y')} – {date_format(span.end, 'j F Y')})",
            )
            for span in spans
        ]
        current = next((span for span in spans if span.start <= today <= span.end), None)
        if current is None and spans:
            current = spans[-1] if today > spans[-1].end else spans[0]
        if current is not None:
            self.fields["bucket_start"].initial = current.start.isoformat()

    def clean_bucket_start(self):
        return date.fromisoformat(self.cleaned_data["bucket_start"])


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV-fil"),
        help_text=_(
            "Semikolon- eller kommaavgränsad, från Excel (”CSV (semikolonavgränsad)” eller "
            "”CSV UTF-8”). Högst 1 MB och 2 000 rader."
        ),
        error_messages={
            "required": _("Välj en fil att ladda upp."),
            "empty": _("Filen är tom."),
        },
    )
