"""Every write of promise data in the staff area: periods and their status, promises,
activities, signatories, situation-picture sources, publishing and renewing.

Each service runs in one transaction and takes the acting user as the keyword-only ``by``, which
is recorded as the history entry's user where the model keeps history. A refused call raises
``ValidationError`` with a dict of field → Swedish message (``NON_FIELD_ERRORS`` for the rest)
and writes nothing. Permissions are checked by the views (promises/permissions.py), not here.

Every write also renews the cache version of the kommun whose data it changed
(``municipalities.versioning.renew_kommun``), in the same transaction, as its last step.
"""

import calendar
from datetime import date, timedelta

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from municipalities import versioning
from municipalities.models import Municipality
from municipalities.validation import add_error as _add
from municipalities.validation import locked
from municipalities.validation import raise_if_any as _raise_if_any
from promises.documents.services import freeze_promise_document
from promises.models import (
    EARLIEST_PERIOD_DAY,
    LATEST_PERIOD_DAY,
    MAX_PERIOD_YEARS,
    Activity,
    PeriodStatus,
    Promise,
    PromisePeriod,
    Signatory,
    SituationSource,
    TargetKind,
)
from promises.targets import due_on_outside_period_message

# The only moves a period's status may make (DESIGN §3: draft → adopted → active → concluded).
TRANSITIONS = {
    PeriodStatus.DRAFT: PeriodStatus.ADOPTED,
    PeriodStatus.ADOPTED: PeriodStatus.ACTIVE,
    PeriodStatus.ACTIVE: PeriodStatus.CONCLUDED,
}

PERIOD_FIELDS = {
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
    "police_monthly_counts_only",
}


# --- Periods ----------------------------------------------------------------------------------


@transaction.atomic
def create_period(municipality, *, by, partners=(), **fields) -> PromisePeriod:
    """Create a draft period for the kommun. Side effects: one period and its history entry;
    the kommun's cache version is renewed."""
    _check_fields(fields, PERIOD_FIELDS)
    period = PromisePeriod(municipality=municipality, status=PeriodStatus.DRAFT, **fields)
    _check_period(period)
    _save(period, by)
    period.partners.set(partners)
    _renew(period)
    return period


@transaction.atomic
def update_period(period, *, by, partners=None, **fields) -> PromisePeriod:
    """Change a period's texts and dates. Once adopted, only ``police_monthly_counts_only`` (how
    police events are published) may change; anything else printed in the signed document is
    refused: change it by ``promises.amendments.services.amend_period``.
    Side effects: the period and one history entry; the kommun's cache version is renewed."""
    _check_fields(fields, PERIOD_FIELDS)
    period = locked(period, "municipality")
    if period.is_locked:
        _refuse_locked_period_change(period, fields, partners)
    for name, value in fields.items():
        setattr(period, name, value)
    _check_period(period)
    errors = {}
    # Events are followup's, reached here only through the reverse relation's name.
    outside = Activity.objects.filter(
        Q(events__occurred_on__lt=period.starts_on) | Q(events__occurred_on__gt=period.ends_on),
        period=period,
        events__retracted_at__isnull=True,
    )
    if outside.exists():
        _add(
            errors,
            "starts_on",
            _(
                "Det finns loggade händelser utanför de nya datumen. Ändra eller återkalla dem "
                "först."
            ),
        )
    _raise_if_any(errors)
    _save(period, by)
    if partners is not None:
        period.partners.set(partners)
    _renew(period)
    return period


@transaction.atomic
def transition_period(
    period, *, by, to, adopted_on=None, decision_reference="", today=None
) -> PromisePeriod:
    """Move a period one step: draft → adopted (with date and decision reference) → active →
    concluded (only after its last day).

    A kommun has at most one active period (DESIGN §5): a period becomes active only once it
    has started, and while another period of the kommun is active only if that one has ended,
    in which case it is concluded in the same step. Otherwise ValidationError, writing nothing.

    Side effects: the period and one history entry (and the same for a predecessor concluded
    with it); on adoption the signed document is rendered and stored as version 1
    (``PromiseDocument``, a file in the default storage); the kommun's cache version is renewed."""
    today = today or timezone.localdate()
    period = locked(period, "municipality")
    decision_reference = (decision_reference or "").strip()
    errors = {}
    predecessor = None
    if TRANSITIONS.get(period.status) != to:
        _add(
            errors,
            NON_FIELD_ERRORS,
            _("Ett medborgarlöfte med status ”%(status)s” kan inte bli ”%(to)s”.")
            % {"status": period.get_status_display(), "to": PeriodStatus(to).label},
        )
    elif to == PeriodStatus.ADOPTED:
        if adopted_on is None:
            _add(errors, "adopted_on", _("Ange vilket datum medborgarlöftet antogs."))
        elif adopted_on > today:
            _add(errors, "adopted_on", _("Antagningsdatumet kan inte ligga i framtiden."))
        if not decision_reference:
            _add(
                errors,
                "decision_reference",
                _("Ange beslutet, till exempel paragraf och diarienummer."),
            )
    elif to == PeriodStatus.ACTIVE:
        predecessor = _check_activation(errors, period, today)
    elif to == PeriodStatus.CONCLUDED and today <= period.ends_on:
        _add(
            errors,
            NON_FIELD_ERRORS,
            _("Medborgarlöftet kan avslutas först när perioden är slut (efter %(date)s).")
            % {"date": _long_date(period.ends_on)},
        )
    _raise_if_any(errors)
    if predecessor is not None:
        # Concluded first: the database allows one active period per kommun at any moment.
        predecessor.status = PeriodStatus.CONCLUDED
        _save(
            predecessor, by, reason=f"status → {PeriodStatus.CONCLUDED} (ersatt av {period.slug})"
        )
    period.status = to
    if to == PeriodStatus.ADOPTED:
        period.adopted_on = adopted_on
        period.decision_reference = decision_reference
    _save(period, by, reason=f"status → {to}")
    if to == PeriodStatus.ADOPTED:
        # The signed document as adopted, stored once (issue 12): v1 of its versions.
        freeze_promise_document(period, by=by)
    _renew(period)
    return period


def _check_activation(errors, period, today):
    """Refusals of making ``period`` the kommun's current one; returns the active period it
    replaces (one that has ended, to be concluded in the same step), if any."""
    if today < period.starts_on:
        _add(
            errors,
            NON_FIELD_ERRORS,
            _(
                "Medborgarlöftet kan bli gällande först när perioden har börjat "
                "(%(date)s). Till dess är det antaget och visas som kommande."
            )
            % {"date": _long_date(period.starts_on)},
            "not_started",
        )
    # Two activations in one kommun at once act one after the other: the kommun's row is locked.
    Municipality.objects.select_for_update().filter(pk=period.municipality_id).first()
    current = (
        PromisePeriod.objects.select_for_update()
        .filter(municipality=period.municipality, status=PeriodStatus.ACTIVE)
        .exclude(pk=period.pk)
        .first()
    )
    if current is None or current.ends_on < today:
        return current
    _add(
        errors,
        NON_FIELD_ERRORS,
        _(
            "%(kommun)s har redan ett gällande medborgarlöfte, ”%(title)s”, som gäller till och "
            "med %(date)s. Ett nytt kan bli gällande när det har löpt ut; då avslutas det "
            "gamla samtidigt."
        )
        % {
            "kommun": period.municipality.name,
            "title": current.title,
            "date": _long_date(current.ends_on),
        },
        "another_active",
    )
    return None


@transaction.atomic
def set_published(period, *, by, published: bool) -> PromisePeriod:
    """Publish a period to citizens, or take it down. A draft is never published: what citizens
    read must have been adopted. Side effects: the period and one history entry; the kommun's
    cache version is renewed."""
    period = locked(period, "municipality")
    if published and period.status == PeriodStatus.DRAFT:
        raise ValidationError(
            {NON_FIELD_ERRORS: [_("Ett utkast kan inte publiceras. Anta medborgarlöftet först.")]}
        )
    period.is_published = published
    _save(period, by, reason="publicerat" if published else "avpublicerat")
    _renew(period)
    return period


@transaction.atomic
def renew_period(period, *, by) -> PromisePeriod:
    """Prepare the next period from this one: a draft for the following span of equal length
    (2023–2024 → 2025–2026) with copies of the promises, activities (with their responsible
    organisations), sources, partners and texts, linked to this one as ``previous_period``.

    Signatories are not copied: a new promise needs new signatures. Raises ValidationError when
    the period has already been renewed or the kommun already has a period with the new slug.
    Side effects: the new rows and their history entries; the kommun's cache version is renewed.
    """
    period = locked(period, "municipality")
    starts_on, ends_on = following_span(period.starts_on, period.ends_on)
    years = (
        f"{starts_on.year}"
        if starts_on.year == ends_on.year
        else f"{starts_on.year}–{ends_on.year}"
    )
    slug = years.replace("–", "-")
    title = f"Medborgarlöfte {years}"
    errors = {}
    existing = PromisePeriod.objects.filter(previous_period=period).first()
    if existing is not None:
        _add(
            errors,
            NON_FIELD_ERRORS,
            _("Medborgarlöftet är redan förnyat: ”%(title)s”.") % {"title": existing.title},
        )
    elif PromisePeriod.objects.filter(municipality=period.municipality, slug=slug).exists():
        _add(
            errors,
            NON_FIELD_ERRORS,
            _("%(kommun)s har redan ett medborgarlöfte med adressen ”%(slug)s”.")
            % {"kommun": period.municipality.name, "slug": slug},
        )
    _raise_if_any(errors)

    renewed = PromisePeriod(
        municipality=period.municipality,
        police_area=period.police_area,
        title=title,
        slug=slug,
        starts_on=starts_on,
        ends_on=ends_on,
        status=PeriodStatus.DRAFT,
        introduction=period.introduction,
        situation_picture=period.situation_picture,
        follow_up_text=period.follow_up_text,
        police_monthly_counts_only=period.police_monthly_counts_only,
        is_published=False,
        is_demo=period.is_demo,
        previous_period=period,
    )
    _save(renewed, by, reason=f"förnyat från {period.slug}")
    renewed.partners.set(period.partners.all())
    promise_copies = {}
    for promise in period.promises.all():
        copy = Promise(
            period=renewed,
            position=promise.position,
            title=promise.title,
            text=promise.text,
            theme_id=promise.theme_id,
            target_group=promise.target_group,
        )
        _save(copy, by)
        promise_copies[promise.pk] = copy
    for activity in period.activities.prefetch_related("responsible_organisations"):
        copy = Activity(
            period=renewed,
            promise=promise_copies.get(activity.promise_id),
            position=activity.position,
            description=activity.description,
            target_kind=activity.target_kind,
            target_quantity=activity.target_quantity,
            unit_singular=activity.unit_singular,
            unit_plural=activity.unit_plural,
            cadence=activity.cadence,
        )
        _save(copy, by)
        copy.responsible_organisations.set(activity.responsible_organisations.all())
    SituationSource.objects.bulk_create(
        SituationSource(period=renewed, kind=source.kind, description=source.description)
        for source in period.sources.all()
    )
    _renew(renewed)
    return renewed


def following_span(starts_on: date, ends_on: date) -> tuple[date, date]:
    """The span right after [starts_on, ends_on] of the same length in whole months (rounded),
    so two calendar years are followed by the next two calendar years."""
    after = ends_on + timedelta(days=1)
    months = (after.year - starts_on.year) * 12 + after.month - starts_on.month
    if after.day - starts_on.day > 15:
        months += 1
    elif starts_on.day - after.day > 15:
        months -= 1
    months = max(months, 1)
    return after, _add_months(after, months) - timedelta(days=1)


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# --- Promises, activities, signatories, sources ------------------------------------------------


@transaction.atomic
def save_promise(period, *, by, promise=None, **fields) -> Promise:
    """Create (``promise=None``) or change a promise of a draft period (refused once adopted).
    Side effects: the promise and one history entry; its kommun's cache version is renewed."""
    _check_fields(fields, {"position", "title", "text", "theme", "target_group"})
    _refuse_if_locked(period)
    promise = promise or Promise(period=period)
    for name, value in fields.items():
        setattr(promise, name, value)
    _check_position(Promise, period, promise, _("Ett annat löfte har redan plats %(position)s."))
    _save(promise, by)
    _renew(promise.period)
    return promise


ACTIVITY_FIELDS = {
    "promise",
    "position",
    "description",
    "target_kind",
    "target_quantity",
    "unit_singular",
    "unit_plural",
    "cadence",
    "due_on",
}


@transaction.atomic
def save_activity(period, *, by, responsible_organisations, activity=None, **fields) -> Activity:
    """Create (``activity=None``) or change an activity of the period.

    Refused (ValidationError) when the period is adopted (change it by an amendment), the
    position is taken, the promise belongs to another period, no organisation is responsible,
    the target does not fit its kind, a milestone's due date lies outside the period (a due
    date of another kind is emptied), or — in a published period — a change of target kind
    would take the meaning away from events already logged.
    Side effects: the activity, its responsible organisations and history entries; its
    kommun's cache version is renewed.
    """
    _check_fields(fields, ACTIVITY_FIELDS)
    _refuse_if_locked(period)
    if activity is not None:
        activity = locked(activity, "period__municipality")
    old_kind = activity.target_kind if activity is not None else None
    activity = activity or Activity(period=period)
    for name, value in fields.items():
        setattr(activity, name, value)
    if activity.target_kind != TargetKind.COUNT:
        activity.target_quantity, activity.cadence = None, ""
        activity.unit_singular = activity.unit_plural = ""
    if activity.target_kind != TargetKind.MILESTONE:
        activity.due_on = None

    errors = {}
    if activity.due_on and not period.starts_on <= activity.due_on <= period.ends_on:
        _add(errors, "due_on", due_on_outside_period_message(period))
    _check_position(
        Activity, period, activity, _("En annan aktivitet har redan plats %(position)s."), errors
    )
    if activity.promise is not None and activity.promise.period_id != period.pk:
        _add(errors, "promise", _("Löftet hör till ett annat medborgarlöfte."))
    if not list(responsible_organisations):
        _add(errors, "responsible_organisations", _("Välj minst en ansvarig organisation."))
    if activity.target_kind == TargetKind.COUNT:
        if not activity.target_quantity:
            _add(errors, "target_quantity", _("Ange målvärdet, minst 1."))
        if not activity.cadence:
            _add(errors, "cadence", _("Ange vilken period målet gäller."))
        if not activity.unit_singular or not activity.unit_plural:
            _add(
                errors,
                "unit_plural",
                _(
                    "Ange enheten i singular och plural, till exempel trafikkontroll, "
                    "trafikkontroller."
                ),
            )
    if (
        old_kind is not None
        and old_kind != activity.target_kind
        and period.is_published
        and activity.events.exists()
    ):
        _add(
            errors,
            "target_kind",
            _(
                "Typen av mål kan inte ändras: medborgarlöftet är publicerat och aktiviteten har "
                "loggade händelser som då skulle tappa sin betydelse."
            ),
        )
    _raise_if_any(errors)
    _save(activity, by)
    activity.responsible_organisations.set(responsible_organisations)
    _renew(activity.period)
    return activity


@transaction.atomic
def save_signatory(period, *, by, signatory=None, **fields) -> Signatory:
    """Create (``signatory=None``) or change a signatory of a draft period (refused once
    adopted). Side effects: the signatory and one history entry; its kommun's cache version is
    renewed."""
    _check_fields(fields, {"position", "name", "title", "organisation"})
    _refuse_if_locked(period)
    signatory = signatory or Signatory(period=period)
    for name, value in fields.items():
        setattr(signatory, name, value)
    _check_position(
        Signatory, period, signatory, _("En annan undertecknare har redan plats %(position)s.")
    )
    _save(signatory, by)
    _renew(signatory.period)
    return signatory


@transaction.atomic
def delete_signatory(signatory, *, by) -> None:
    """Remove a signatory of a draft period (refused once adopted). Side effects: the row is
    deleted and a deletion history entry with ``by`` kept; its kommun's cache version is
    renewed."""
    period = signatory.period
    _refuse_if_locked(period)
    _delete(signatory, by)
    _renew(period)


@transaction.atomic
def save_source(period, *, by, source=None, **fields) -> SituationSource:
    """Create (``source=None``) or change a source of a draft period's situation picture
    (refused once adopted). Side effects: the source and one history entry; its kommun's cache
    version is renewed."""
    _check_fields(fields, {"kind", "description"})
    _refuse_if_locked(period)
    source = source or SituationSource(period=period)
    for name, value in fields.items():
        setattr(source, name, value)
    _save(source, by)
    _renew(source.period)
    return source


@transaction.atomic
def delete_source(source, *, by) -> None:
    """Remove a source of a draft period's situation picture (refused once adopted). Side
    effects: the row is deleted and a deletion history entry with ``by`` kept; its kommun's
    cache version is renewed."""
    period = source.period
    _refuse_if_locked(period)
    _delete(source, by)
    _renew(period)


# --- Rules and helpers -------------------------------------------------------------------------


def period_date_errors(starts_on, ends_on) -> dict[str, str]:
    """Field → Swedish message for period dates that are not sane (issue 12): the end before the
    start, a day outside 2000–2099 (so never 9999-12-31), or more than five years in all. The
    one rule of PeriodForm and of the services; empty when the dates are fine or missing."""
    errors = {}
    if starts_on and not EARLIEST_PERIOD_DAY <= starts_on <= LATEST_PERIOD_DAY:
        errors["starts_on"] = _("Startdatumet måste ligga mellan år %(first)s och %(last)s.") % {
            "first": EARLIEST_PERIOD_DAY.year,
            "last": LATEST_PERIOD_DAY.year,
        }
    if ends_on and not EARLIEST_PERIOD_DAY <= ends_on <= LATEST_PERIOD_DAY:
        errors["ends_on"] = _("Slutdatumet måste ligga mellan år %(first)s och %(last)s.") % {
            "first": EARLIEST_PERIOD_DAY.year,
            "last": LATEST_PERIOD_DAY.year,
        }
    if starts_on and ends_on and "ends_on" not in errors:
        last_day = _add_months(starts_on, 12 * MAX_PERIOD_YEARS) - timedelta(days=1)
        if ends_on < starts_on:
            errors["ends_on"] = _("Slutdatumet kan inte ligga före startdatumet.")
        elif ends_on > last_day:
            errors["ends_on"] = _(
                "Ett medborgarlöfte kan gälla i högst fem år: från %(start)s till och med %(last)s."
            ) % {"start": _long_date(starts_on), "last": _long_date(last_day)}
    return errors


def _check_period(period):
    errors = {}
    for field, message in period_date_errors(period.starts_on, period.ends_on).items():
        _add(errors, field, message)
    duplicate = PromisePeriod.objects.filter(
        municipality=period.municipality, slug=period.slug
    ).exclude(pk=period.pk)
    if duplicate.exists():
        _add(
            errors,
            "slug",
            _("%(kommun)s har redan ett medborgarlöfte med adressen ”%(slug)s”.")
            % {"kommun": period.municipality.name, "slug": period.slug},
        )
    _raise_if_any(errors)


def _check_position(model, period, instance, message, errors=None):
    own = errors is None
    errors = {} if own else errors
    taken = model.objects.filter(period=period, position=instance.position).exclude(pk=instance.pk)
    if taken.exists():
        _add(errors, "position", message % {"position": instance.position})
    if own:
        _raise_if_any(errors)


def _check_fields(fields, allowed):
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"cannot set {', '.join(sorted(unknown))}")


# --- The adoption lock (issue 12) ---------------------------------------------------------------

# What may still change on an adopted period without an amendment: how police events are
# published. Status, publication, memos and reports have services of their own.
UNLOCKED_PERIOD_FIELDS = {"police_monthly_counts_only"}


def adoption_lock_message() -> str:
    return _(
        "Medborgarlöftet är antaget och låst. Ändra det genom en ändring (amendment) med skäl."
    )


def _refuse_if_locked(period):
    """Refuse any change of a part of an adopted period. Reads the period's status under a row
    lock, so a change and a concurrent adoption act one after the other."""
    if locked(period, "municipality").is_locked:
        raise ValidationError(
            {NON_FIELD_ERRORS: [ValidationError(adoption_lock_message(), code="locked")]}
        )


def _refuse_locked_period_change(period, fields, partners):
    """Refuse a change of an adopted period's locked fields (a value equal to the stored one is
    no change: the staff form sends the locked fields back as they are)."""
    changed = [
        name
        for name, value in fields.items()
        if name not in UNLOCKED_PERIOD_FIELDS and getattr(period, name) != value
    ]
    if partners is not None and {p.pk for p in partners} != set(
        period.partners.values_list("pk", flat=True)
    ):
        changed.append("partners")
    if changed:
        errors = {}
        for name in changed:
            _add(errors, name, adoption_lock_message(), code="locked")
        _raise_if_any(errors)


def _delete(instance, by, reason=None):
    instance._history_user = by
    if reason:
        instance._change_reason = reason
    instance.delete()


def _save(instance, by, reason=None):
    instance._history_user = by
    if reason:
        instance._change_reason = reason
    instance.save()


def _long_date(day):
    return date_format(day, "j F Y")


def _renew(period):
    """Move the cache version of the period's kommun on (see municipalities.versioning)."""
    versioning.renew_kommun(period.municipality)
