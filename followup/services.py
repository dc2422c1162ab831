"""Every write of follow-up data: logging, correcting and retracting events, adding deviations.

Each service runs in one transaction, takes the acting user as the keyword-only argument ``by``
and records it (``logged_by``, ``retracted_by``, ``created_by`` and the history entry's user).

Input is validated *before* anything is written. A service that refuses raises
``django.core.exceptions.ValidationError`` with a dict of field name → Swedish message(s), so a
form can show each message next to its field (``form.add_error(None, error)``); problems that
belong to no single field are under ``NON_FIELD_ERRORS``. A refused call writes nothing: no event,
no deviation, no history row.

Every write also renews the cache version of the activity's kommun
(``municipalities.versioning.renew_kommun``) in the same transaction, as its last step, so the
public pages of that kommun and the national ones show it at once.

Permissions are NOT checked here. Whether ``by`` may log for the activity or correct the event is
decided by the view through ``followup/permissions.py`` before it calls a service; the services
trust their caller on that point and only guard the data, with two exceptions that are both: the
organisation recorded as the doer must be one ``by`` may record
(``promises.permissions.recordable_organisations``, the rule the forms and the import use too),
and once a period's logging window has closed only an editor of its kommun may add or correct
its events (``logging_window``, below).

When events may be logged (DESIGN §5) is ``logging_window``, the one rule that log_event,
correct_event, retract_event, the log forms and the CSV import all follow: not on drafts; not on
adopted periods before they start; during the period as usual; after its last day, events dated
inside it for 30 more days (LATE_LOGGING; shown publicly as "efterregistrerad"); after that, or
once the period is concluded, only by an editor of the kommun, and a new event then needs a
public reason (``late_reason``, shown in the corrections log).
"""

import enum

from django.core.exceptions import NON_FIELD_ERRORS
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from followup.models import (
    LATE_LOGGING,
    MAX_EVENT_QUANTITY,
    NOTE_MAX_LENGTH,
    PLACE_MAX_LENGTH,
    REASON_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    Deviation,
    DeviationReason,
    EventKind,
    FollowUpEvent,
)
from followup.progress import buckets_for
from municipalities import versioning
from municipalities.permissions import as_scope
from municipalities.validation import add_error as _add
from municipalities.validation import locked
from municipalities.validation import raise_if_any as _raise_if_any
from promises.models import PeriodStatus, TargetKind
from promises.permissions import recordable_organisations

# The longest reason a correction or retraction may give.
# (Stored as the history entry's change reason, a text column, so no shorter bound applies.)
CHANGE_REASON_MAX_LENGTH = REASON_MAX_LENGTH

# Target kinds whose events carry no number: each event is one occurrence.
_KINDS_WITHOUT_QUANTITY = {TargetKind.MILESTONE, TargetKind.ONGOING, TargetKind.ON_REQUEST}

# The fields of an event that a correction may change, with the longest text each may hold.
_CORRECTABLE_TEXT_FIELDS = {
    "place": PLACE_MAX_LENGTH,
    "summary": SUMMARY_MAX_LENGTH,
    "internal_note": NOTE_MAX_LENGTH,
}
_CORRECTABLE_FIELDS = {"occurred_on", "quantity", "organisation", *_CORRECTABLE_TEXT_FIELDS}


class AlreadyLogged(Exception):
    """The log form's one-time token was used before: ``event`` is the event it created."""

    def __init__(self, event):
        super().__init__(f"already logged as event {event.pk}")
        self.event = event


# --- When events may be logged ------------------------------------------------------------------


class Window(enum.Enum):
    """Where a period stands for logging on a given day (see ``logging_window``)."""

    DRAFT = "draft"  # not adopted: nothing may be logged
    NOT_STARTED = "not_started"  # adopted, before its first day
    OPEN = "open"  # during the period
    LATE = "late"  # up to LATE_LOGGING after its last day: "efterregistrerad"
    CLOSED = "closed"  # after that, or concluded: an editor of the kommun only, with a reason

    @property
    def needs_reason(self) -> bool:
        """Whether a new event must say why it is logged this late (shown publicly)."""
        return self is Window.CLOSED


def logging_window(period, today=None) -> Window:
    """Where ``period`` stands for logging on ``today`` (default: today's local date): THE rule
    of when events may be added or corrected, used by the services, forms and the import.

    "Concluded" counts only after the period's last day: a period can be concluded only then
    (``promises.services.transition_period``), so on a day inside the period it was running,
    whatever its status is now (the demo loader logs each event as of the day it happened).
    """
    today = today or timezone.localdate()
    if period.status == PeriodStatus.DRAFT:
        return Window.DRAFT
    if today < period.starts_on:
        return Window.NOT_STARTED
    if today <= period.ends_on:
        return Window.OPEN
    if period.status != PeriodStatus.CONCLUDED and today <= late_logging_closes(period):
        return Window.LATE
    return Window.CLOSED


def late_logging_closes(period):
    """The last day events may be logged into the period without an editor and a reason."""
    return period.ends_on + LATE_LOGGING


def may_log_in_window(scope, period, window: Window) -> bool:
    """Whether the user (its StaffScope, or the user) may add or correct events of the period
    in that window: in an open or late window whoever may log for the activity; in a closed one
    only an editor of the period's kommun (or a superuser)."""
    if window in (Window.DRAFT, Window.NOT_STARTED):
        return False
    if window is Window.CLOSED:
        return as_scope(scope).can_edit_municipality_id(period.municipality_id)
    return True


def window_refusal(period, window: Window, scope) -> tuple[str, str] | None:
    """Why the user (its StaffScope, or the user) may not add or correct events of the period in
    ``window``: a Swedish message and a code, or None when it may."""
    if window is Window.DRAFT:
        message = _(
            "Medborgarlöftet är ett utkast. Händelser kan loggas först när det har antagits."
        )
        return message, "draft"
    if window is Window.NOT_STARTED:
        message = _(
            "Medborgarlöftet börjar gälla %(date)s. Händelser kan loggas från den dagen."
        ) % {"date": _swedish_date(period.starts_on)}
        return message, "not_started"
    if may_log_in_window(scope, period, window):
        return None
    if period.status == PeriodStatus.CONCLUDED:
        message = _(
            "Medborgarlöftet är avslutat. Nu kan bara kommunens redaktör lägga till eller ändra "
            "händelser, med ett skäl som visas publikt."
        )
    else:
        message = _(
            "Tiden för efterregistrering gick ut %(date)s. Nu kan bara kommunens redaktör "
            "lägga till eller ändra händelser, med ett skäl som visas publikt."
        ) % {"date": _swedish_date(late_logging_closes(period))}
    return message, "closed"


# --- Services -------------------------------------------------------------------------------------


def log_event(
    activity,
    *,
    by,
    occurred_on,
    organisation,
    quantity=1,
    place="",
    summary="",
    internal_note="",
    kind=EventKind.DONE,
    late_reason="",
    is_demo=False,
    today=None,
    scope=None,
    submission_token=None,
) -> FollowUpEvent:
    """Log that ``organisation`` did ``activity`` on ``occurred_on``, ``quantity`` times.

    Side effects, in one transaction (``_write_event``): creates one FollowUpEvent with
    ``logged_by=by`` and its history entry (user ``by``), and renews the kommun's cache
    version. Surrounding whitespace of place, summary, internal note and late reason is
    stripped. ``late_reason`` is stored only when the period's logging window is closed (it is
    required then); otherwise it is left empty.

    Raises ValidationError (field → Swedish message), writing nothing, when:
    - the period's logging window (``logging_window`` as of ``today``) does not allow ``by`` to
      add an event: a draft, an adopted period that has not started, or a closed window and
      ``by`` is no editor of the kommun; or it is closed and ``late_reason`` is blank or too long;
    - ``occurred_on`` is missing, before the period starts, after it ends or after ``today``
      (default: today's local date);
    - ``quantity`` is not a whole number from 1 to MAX_EVENT_QUANTITY, or is not 1 for an activity
      that is not counted (milestone, ongoing, on request);
    - ``kind`` is unknown, or REQUESTED for an activity that is not done on request;
    - ``organisation`` is missing, or not one ``by`` may record as the doer
      (``promises.permissions.recordable_organisations``; ``scope`` is ``by``'s StaffScope when
      the caller has it at hand, else it is worked out from ``by``);
    - a text is longer than its field allows.

    ``submission_token`` (a UUID from the log form) makes a repeated submit harmless: when an
    event already carries it, nothing is written and AlreadyLogged(that event) is raised. The
    unique column decides, so of two concurrent submits exactly one logs: the insert itself is
    the check (no SELECT first, no savepoint around it). A taken token fails the insert, which
    rolls back the write's own transaction (``_write_event``, atomic); only then is the earlier
    event read, outside it.
    """
    try:
        return _write_event(
            activity,
            by=by,
            occurred_on=occurred_on,
            organisation=organisation,
            quantity=quantity,
            place=place,
            summary=summary,
            internal_note=internal_note,
            kind=kind,
            late_reason=late_reason,
            is_demo=is_demo,
            today=today,
            scope=scope,
            submission_token=submission_token,
        )
    except IntegrityError:
        earlier = None
        if submission_token is not None:
            earlier = FollowUpEvent.objects.filter(submission_token=submission_token).first()
        if earlier is None:
            raise
        raise AlreadyLogged(earlier) from None


@transaction.atomic
def _write_event(
    activity,
    *,
    by,
    occurred_on,
    organisation,
    quantity,
    place,
    summary,
    internal_note,
    kind,
    late_reason,
    is_demo,
    today,
    scope,
    submission_token,
) -> FollowUpEvent:
    """``log_event``'s validation and writes, in one transaction: the event, its history entry
    and the kommun's data version. An IntegrityError (a taken token) rolls all of it back."""
    today = today or timezone.localdate()
    texts = {
        "place": _strip(place),
        "summary": _strip(summary),
        "internal_note": _strip(internal_note),
    }
    window = logging_window(activity.period, today)
    late_reason = _strip(late_reason) if window.needs_reason else ""

    errors = {}
    _check_window(errors, activity.period, window, scope or by)
    if window.needs_reason and not errors:
        _check_reason(
            errors, late_reason, _("Ange varför händelsen registreras i efterhand."), "late_reason"
        )
    _check_date(errors, activity, occurred_on, today)
    _check_quantity(errors, activity, quantity)
    _check_kind(errors, activity, kind)
    _check_organisation(errors, activity, organisation, scope or by)
    for field, text in texts.items():
        _check_length(errors, field, text, _CORRECTABLE_TEXT_FIELDS[field])
    _raise_if_any(errors)

    event = FollowUpEvent(
        activity=activity,
        kind=kind,
        occurred_on=occurred_on,
        quantity=quantity,
        organisation=organisation,
        logged_by=by,
        late_reason=late_reason,
        is_demo=is_demo,
        submission_token=submission_token,
        **texts,
    )
    event._history_user = by
    event.save()
    _renew(activity)
    return event


@transaction.atomic
def correct_event(event, *, by, reason, today=None, scope=None, **changes) -> FollowUpEvent:
    """Change some fields of a logged event, keeping the old version in its history.

    ``changes`` may hold occurred_on, quantity, organisation, place, summary and internal_note;
    only fields whose value actually differs are written, and only those are validated (by the
    same rules as ``log_event``), so a correction of the summary is not refused because, say, the
    activity's responsible organisations have changed since the event was logged.

    Side effects: updates the event and adds one history entry with user ``by`` and
    ``history_change_reason=reason`` (stripped), and renews the kommun's cache version. The event
    is re-read under a row lock, and the fresh, saved instance is returned; the instance passed
    in is left as it was.

    Raises ValidationError, writing nothing, when the period's logging window (as of ``today``)
    does not allow ``by`` to correct its events (see ``log_event``; the correction's reason is
    the public reason a closed window asks for), the event is retracted, the reason is blank or
    longer than CHANGE_REASON_MAX_LENGTH, nothing would change ("Inget har ändrats.") or a
    changed value breaks a rule of ``log_event``. An unknown field name in ``changes`` is a
    programming error and raises TypeError.
    """
    unknown = set(changes) - _CORRECTABLE_FIELDS
    if unknown:
        raise TypeError(f"correct_event() cannot change {', '.join(sorted(unknown))}")
    today = today or timezone.localdate()
    reason = _strip(reason)
    event = locked(event, "activity__period__municipality")
    for field in _CORRECTABLE_TEXT_FIELDS:
        if field in changes:
            changes[field] = _strip(changes[field])
    changed = {field: value for field, value in changes.items() if _differs(event, field, value)}

    errors = {}
    period = event.activity.period
    _check_window(errors, period, logging_window(period, today), scope or by)
    if event.is_retracted:
        _add(errors, NON_FIELD_ERRORS, _("En återkallad händelse kan inte ändras."), "retracted")
    _check_reason(errors, reason, _("Ange varför händelsen ändras."))
    if not changed:
        _add(errors, NON_FIELD_ERRORS, _("Inget har ändrats."), "unchanged")
    activity = event.activity
    if "occurred_on" in changed:
        _check_date(errors, activity, changed["occurred_on"], today)
    if "quantity" in changed:
        _check_quantity(errors, activity, changed["quantity"])
    if "organisation" in changed:
        _check_organisation(errors, activity, changed["organisation"], scope or by)
    for field, max_length in _CORRECTABLE_TEXT_FIELDS.items():
        if field in changed:
            _check_length(errors, field, changed[field], max_length)
    _raise_if_any(errors)

    for field, value in changed.items():
        setattr(event, field, value)
    event._history_user = by
    event._change_reason = reason
    event.save(update_fields=list(changed))
    _renew(activity)
    return event


@transaction.atomic
def retract_event(event, *, by, reason, today=None, scope=None) -> FollowUpEvent:
    """Retract a wrong event: it stays on record but no longer counts towards progress.

    Side effects: sets ``retracted_at`` (now), ``retracted_by=by`` and ``retraction_reason``
    (stripped), adds one history entry with user ``by`` and the reason as its change reason, and
    renews the kommun's cache version. The event is re-read under a row lock, and the fresh,
    saved instance is returned; the instance passed in is left as it was.

    Raises ValidationError, writing nothing, when the period's logging window (as of ``today``)
    does not allow ``by`` to correct its events (see ``log_event``), the reason is blank or
    longer than CHANGE_REASON_MAX_LENGTH, or the event is already retracted.
    """
    today = today or timezone.localdate()
    reason = _strip(reason)
    event = locked(event, "activity__period__municipality")

    errors = {}
    period = event.activity.period
    _check_window(errors, period, logging_window(period, today), scope or by)
    if event.is_retracted:
        _add(errors, NON_FIELD_ERRORS, _("Händelsen är redan återkallad."), "retracted")
    _check_reason(errors, reason, _("Ange varför händelsen återkallas."))
    _raise_if_any(errors)

    event.retracted_at = timezone.now()
    event.retracted_by = by
    event.retraction_reason = reason
    event._history_user = by
    event._change_reason = reason
    event.save(update_fields=["retracted_at", "retracted_by", "retraction_reason"])
    _renew(event.activity)
    return event


@transaction.atomic
def add_deviation(activity, *, by, bucket_start, reason, text, is_demo=False) -> Deviation:
    """Explain publicly why ``activity`` is behind in the bucket that starts on ``bucket_start``.

    Side effects: creates one Deviation with ``created_by=by`` and its history entry (user
    ``by``), and renews the kommun's cache version. Surrounding whitespace of the text is
    stripped.

    Raises ValidationError, writing nothing, when ``bucket_start`` is missing or not the start of
    one of the activity's buckets, ``reason`` is not a DeviationReason, or ``text`` is blank or
    longer than NOTE_MAX_LENGTH.
    """
    text = _strip(text)

    errors = {}
    _check_bucket_start(errors, activity, bucket_start)
    if reason not in DeviationReason.values:
        _add(errors, "reason", _("Välj en av orsakerna i listan."), "invalid_choice")
    if not text:
        _add(errors, "text", _("Skriv en förklaring till avvikelsen."), "required")
    else:
        _check_length(errors, "text", text, NOTE_MAX_LENGTH)
    _raise_if_any(errors)

    deviation = Deviation(
        activity=activity,
        bucket_start=bucket_start,
        reason=reason,
        text=text,
        created_by=by,
        is_demo=is_demo,
    )
    deviation._history_user = by
    deviation.save()
    _renew(activity)
    return deviation


# --- Rules ----------------------------------------------------------------------------------------


def _check_window(errors, period, window, scope):
    refusal = window_refusal(period, window, scope)
    if refusal is not None:
        _add(errors, NON_FIELD_ERRORS, *refusal)


def _check_date(errors, activity, occurred_on, today):
    period = activity.period
    if occurred_on is None:
        _add(errors, "occurred_on", _("Ange vilket datum det hände."), "required")
    elif occurred_on < period.starts_on:
        message = _("Datumet ligger före medborgarlöftets början (%(date)s).") % {
            "date": _swedish_date(period.starts_on)
        }
        _add(errors, "occurred_on", message, "before_period")
    elif occurred_on > period.ends_on:
        message = _("Datumet ligger efter medborgarlöftets slut (%(date)s).") % {
            "date": _swedish_date(period.ends_on)
        }
        _add(errors, "occurred_on", message, "after_period")
    elif occurred_on > today:
        message = _("Datumet ligger i framtiden. Logga bara det som redan har hänt.")
        _add(errors, "occurred_on", message, "future")


def _check_quantity(errors, activity, quantity):
    # bool is an int in Python, but True is not a quantity.
    if not isinstance(quantity, int) or isinstance(quantity, bool):
        _add(errors, "quantity", _("Ange antalet som ett heltal."), "invalid")
    elif quantity < 1:
        _add(errors, "quantity", _("Antalet måste vara minst 1."), "min_value")
    elif quantity > MAX_EVENT_QUANTITY:
        message = _(
            "Antalet kan vara högst %(max)d för en händelse. Kontrollera siffran, eller logga "
            "flera händelser."
        ) % {"max": MAX_EVENT_QUANTITY}
        _add(errors, "quantity", message, "max_value")
    elif activity.target_kind in _KINDS_WITHOUT_QUANTITY and quantity != 1:
        message = _(
            "Den här aktiviteten räknas inte i antal, så antalet ska vara 1. Logga varje "
            "tillfälle som en egen händelse."
        )
        _add(errors, "quantity", message, "not_counted")


def _check_kind(errors, activity, kind):
    if kind not in EventKind.values:
        _add(errors, "kind", _("Välj en giltig typ av händelse."), "invalid_choice")
    elif kind == EventKind.REQUESTED and activity.target_kind != TargetKind.ON_REQUEST:
        message = _("Inkomna önskemål kan bara loggas för aktiviteter som görs vid önskemål.")
        _add(errors, "kind", message, "requested_not_on_request")


def _check_organisation(errors, activity, organisation, scope):
    if organisation is None:
        _add(errors, "organisation", _("Välj vem som utförde aktiviteten."), "required")
    elif not _may_act_for(activity, organisation, scope):
        message = _(
            "%(organisation)s kan inte anges som utförare av den här aktiviteten. Välj en av de "
            "ansvariga organisationer som du får logga för."
        ) % {"organisation": organisation.name}
        _add(errors, "organisation", message, "not_recordable")


def _may_act_for(activity, organisation, scope):
    """Whether the acting user (its StaffScope, or the user) may record the organisation as
    having done the activity: the one rule of promises.permissions.recordable_organisations."""
    return organisation in recordable_organisations(scope, activity)


def _check_bucket_start(errors, activity, bucket_start):
    if bucket_start is None:
        message = _("Ange vilken del av perioden avvikelsen gäller.")
        _add(errors, "bucket_start", message, "required")
        return
    starts = [bucket.start for bucket in buckets_for(activity)]
    if bucket_start not in starts:
        message = _(
            "Dagen är inte början på någon av aktivitetens uppföljningsperioder. Ange den första "
            "dagen i perioden som avvikelsen gäller, till exempel %(first)s."
        ) % {"first": _swedish_date(starts[0])}
        _add(errors, "bucket_start", message, "not_a_bucket_start")


def _check_reason(errors, reason, required_message, field="reason"):
    if not reason:
        _add(errors, field, required_message, "required")
    else:
        _check_length(errors, field, reason, CHANGE_REASON_MAX_LENGTH)


def _check_length(errors, field, text, max_length):
    if len(text) > max_length:
        message = _("Texten får vara högst %(max)d tecken lång (nu %(length)d).") % {
            "max": max_length,
            "length": len(text),
        }
        _add(errors, field, message, "max_length")


# --- Helpers --------------------------------------------------------------------------------------


def _strip(text):
    return (text or "").strip()


def _swedish_date(day):
    return date_format(day, "j F Y")


def _differs(event, field, value):
    if field == "organisation":
        return value is None or value.pk != event.organisation_id
    return getattr(event, field) != value


def _renew(activity):
    """Move the cache version of the activity's kommun on (see municipalities.versioning)."""
    versioning.renew_kommun(activity.period.municipality)
