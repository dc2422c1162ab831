"""Amendments (ändringar av medborgarlöftet): the only way an adopted period changes (issue 12).

An editor states what changes, why (required, public), from which date it applies and,
optionally, the decision ("KS 2024-03-12 § 45"). ``plan_amendment`` checks it and says what
would change, field by field, before → after, writing nothing (the staff preview uses it);
``amend_period`` does the same and then applies it in one transaction: the changed rows with
their history entries (user ``by``, the amendment as the change reason), one ``Amendment`` with
its ``AmendmentChange`` rows, each changed target's earlier value in the activity's
``target_history`` (which progress reads: buckets that ended before the amendment applied keep
the target they had), a new stored version of the signed document ("Reviderad <datum>"), and
the kommun's renewed cache version.

What may change: the period's end date; a promise's title and text; an activity's description,
target (kind, quantity, units, cadence) and responsible organisations; the signatories (changed,
added or removed). A refused amendment raises ``ValidationError`` (field → Swedish messages,
``NON_FIELD_ERRORS`` for the rest; the fields of a part are named ``<part>-<id>-<field>``, as the
staff forms' prefixes are) and writes nothing.
"""

import copy
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.db.models import Max, Q
from django.utils import formats
from django.utils.translation import gettext as _

from municipalities import versioning
from municipalities.validation import add_error, locked, raise_if_any
from promises.documents.services import freeze_promise_document
from promises.models import (
    Activity,
    AmendedPart,
    Amendment,
    AmendmentChange,
    Cadence,
    PromisePeriod,
    Signatory,
    TargetKind,
)
from promises.targets import target_text

PROMISE_FIELDS = ("title", "text")
ACTIVITY_FIELDS = (
    "description",
    "target_kind",
    "target_quantity",
    "unit_singular",
    "unit_plural",
    "cadence",
    "responsible_organisations",
)
TARGET_FIELDS = {"target_kind", "target_quantity", "unit_singular", "unit_plural", "cadence"}
SIGNATORY_FIELDS = ("name", "title", "organisation")
DECISION_REFERENCE_MAX_LENGTH = 100


@dataclass
class Changes:
    """What an amendment asks for; a value equal to the stored one is no change.

    ``period``: ``{"ends_on": date}``; ``promises``/``activities``/``signatories``: ``{pk:
    {field: value}}`` (organisations as model instances); ``removed_signatories``: pks;
    ``new_signatories``: ``[{"name": …, "title": …, "organisation": …}]``.
    """

    period: dict = field(default_factory=dict)
    promises: dict = field(default_factory=dict)
    activities: dict = field(default_factory=dict)
    signatories: dict = field(default_factory=dict)
    removed_signatories: list = field(default_factory=list)
    new_signatories: list = field(default_factory=list)


@dataclass
class PlannedChange:
    """One field to change: the record to keep, and the object and value to write."""

    record: AmendmentChange
    target: object = None
    value: object = None


# --- Words for values -----------------------------------------------------------------------


def _label(model, name) -> str:
    text = str(model._meta.get_field(name).verbose_name)
    return text[:1].upper() + text[1:]


def _as_json(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return sorted(item.pk for item in value)
    if hasattr(value, "pk"):
        return value.pk
    return value


def _as_text(model, name, value) -> str:
    if value in (None, ""):
        return ""
    if isinstance(value, date):
        return formats.date_format(value, "j F Y")
    if isinstance(value, list | tuple):
        return ", ".join(sorted(str(getattr(item, "name", item)) for item in value))
    if hasattr(value, "pk"):
        return str(getattr(value, "name", value))
    choices = dict(model._meta.get_field(name).choices or ())
    return str(choices.get(value, value))


def _part_label(part, obj) -> str:
    if part == AmendedPart.PERIOD:
        return _("Perioden")
    if part == AmendedPart.PROMISE:
        return _("Löfte %(number)s") % {"number": obj.position}
    if part == AmendedPart.ACTIVITY:
        short = obj.description if len(obj.description) <= 80 else obj.description[:79] + "…"
        return _("Aktivitet %(number)s (%(text)s)") % {"number": obj.position, "text": short}
    return _("Undertecknare %(name)s") % {"name": obj.name}


def _record(part, obj, name, before, after, model=None, **subject) -> AmendmentChange:
    model = model or type(obj)
    return AmendmentChange(
        part=part,
        part_label=_part_label(part, obj),
        field=name,
        label=_label(model, name),
        before=_as_json(before),
        after=_as_json(after),
        before_text=_as_text(model, name, before),
        after_text=_as_text(model, name, after),
        **subject,
    )


# --- Planning -------------------------------------------------------------------------------


def plan_amendment(
    period: PromisePeriod, *, reason, applies_from, decision_reference="", changes: Changes
) -> list[PlannedChange]:
    """What the amendment would change, field by field (nothing is written).

    Raises ValidationError when the period is a draft (edit it directly), the reason or date is
    missing, the date lies outside the period or before an earlier amendment's, a part belongs
    to another period, a new value breaks a rule of the staff forms, or nothing changes.
    """
    errors = {}
    _check_decision(errors, period, reason, applies_from, decision_reference, changes)
    planned = []
    planned += _plan_period(errors, period, changes.period)
    planned += _plan_parts(errors, period, changes)
    planned += _plan_signatories(errors, period, changes)
    if not errors and not planned:
        add_error(errors, NON_FIELD_ERRORS, _("Ändringen ändrar ingenting. Ändra minst ett fält."))
    raise_if_any(errors)
    return planned


def _check_decision(errors, period, reason, applies_from, decision_reference, changes):
    if not period.is_locked:
        add_error(
            errors,
            NON_FIELD_ERRORS,
            _("Medborgarlöftet är ett utkast. Ändra det direkt, utan en ändring."),
        )
    if not (reason or "").strip():
        add_error(errors, "reason", _("Ange skälet till ändringen. Det visas offentligt."))
    if len(decision_reference or "") > DECISION_REFERENCE_MAX_LENGTH:
        add_error(
            errors,
            "decision_reference",
            _("Beslutet får vara högst %(max)s tecken.") % {"max": DECISION_REFERENCE_MAX_LENGTH},
        )
    if applies_from is None:
        add_error(errors, "applies_from", _("Ange från vilket datum ändringen gäller."))
        return
    ends_on = changes.period.get("ends_on") or period.ends_on
    if not period.starts_on <= applies_from <= ends_on:
        add_error(
            errors,
            "applies_from",
            _("Ändringen måste gälla från en dag inom perioden (%(start)s – %(end)s).")
            % {"start": period.starts_on.isoformat(), "end": ends_on.isoformat()},
        )
    latest = period.amendments.aggregate(latest=Max("applies_from"))["latest"]
    if latest and applies_from < latest:
        add_error(
            errors,
            "applies_from",
            _("Ändringen kan inte gälla från före den förra ändringen (%(date)s).")
            % {"date": latest.isoformat()},
        )


def _plan_period(errors, period, wanted) -> list[PlannedChange]:
    unknown = set(wanted) - {"ends_on"}
    if unknown:
        raise TypeError(f"cannot amend the period's {', '.join(sorted(unknown))}")
    ends_on = wanted.get("ends_on")
    if ends_on is None or ends_on == period.ends_on:
        return []
    if ends_on < period.starts_on:
        add_error(errors, "period-ends_on", _("Slutdatumet kan inte ligga före startdatumet."))
        return []
    outside = period.activities.filter(
        Q(events__occurred_on__lt=period.starts_on) | Q(events__occurred_on__gt=ends_on),
        events__retracted_at__isnull=True,
    )
    if outside.exists():
        add_error(
            errors,
            "period-ends_on",
            _("Det finns loggade händelser efter det nya slutdatumet. Återkalla dem först."),
        )
        return []
    record = _record(AmendedPart.PERIOD, period, "ends_on", period.ends_on, ends_on)
    return [PlannedChange(record, period, ends_on)]


def _parts(period, model, wanted, errors):
    found = {obj.pk: obj for obj in model.objects.filter(period=period, pk__in=list(wanted))}
    for pk in wanted:
        if pk not in found:
            add_error(errors, NON_FIELD_ERRORS, _("En del av ändringen finns inte i löftet."))
    return found


def _plan_parts(errors, period, changes) -> list[PlannedChange]:
    planned = []
    promises = _parts(period, period.promises.model, changes.promises, errors)
    for pk, promise in promises.items():
        for name, value in changes.promises[pk].items():
            if name not in PROMISE_FIELDS:
                raise TypeError(f"cannot amend a promise's {name}")
            value = (value or "").strip()
            if name == "title" and not value:
                add_error(errors, f"promise-{pk}-title", _("Löftet behöver en rubrik."))
            elif value != getattr(promise, name):
                record = _record(AmendedPart.PROMISE, promise, name, getattr(promise, name), value)
                record.promise = promise
                planned.append(PlannedChange(record, promise, value))
    activities = _parts(period, Activity, changes.activities, errors)
    for pk, activity in activities.items():
        planned += _plan_activity(errors, activity, changes.activities[pk])
    return planned


def _count(errors) -> int:
    return sum(len(messages) for messages in errors.values())


def _plan_activity(errors, activity, wanted) -> list[PlannedChange]:
    unknown = set(wanted) - set(ACTIVITY_FIELDS)
    if unknown:
        raise TypeError(f"cannot amend an activity's {', '.join(sorted(unknown))}")
    prefix = f"activity-{activity.pk}-"
    after = copy.copy(activity)
    for name, value in wanted.items():
        if name != "responsible_organisations":
            setattr(after, name, value.strip() if isinstance(value, str) else value)
    if after.target_kind != TargetKind.COUNT:
        after.target_quantity, after.cadence = None, ""
        after.unit_singular = after.unit_plural = ""
    before_count = _count(errors)
    if not (after.description or "").strip():
        add_error(errors, prefix + "description", _("Beskriv aktiviteten."))
    if after.target_kind not in TargetKind.values:
        add_error(errors, prefix + "target_kind", _("Välj en typ av mål i listan."))
    if after.target_kind == TargetKind.COUNT:
        if not after.target_quantity or after.target_quantity < 1:
            add_error(errors, prefix + "target_quantity", _("Ange målvärdet, minst 1."))
        if after.cadence not in Cadence.values:
            add_error(errors, prefix + "cadence", _("Ange vilken period målet gäller."))
        if not after.unit_singular or not after.unit_plural:
            add_error(
                errors,
                prefix + "unit_plural",
                _(
                    "Ange enheten i singular och plural, till exempel trafikkontroll, "
                    "trafikkontroller."
                ),
            )
    if after.target_kind != activity.target_kind and activity.events.exists():
        add_error(
            errors,
            prefix + "target_kind",
            _(
                "Typen av mål kan inte ändras: aktiviteten har loggade händelser som då skulle "
                "tappa sin betydelse. Ändra målvärdet eller perioden för målet i stället."
            ),
        )
    organisations = wanted.get("responsible_organisations")
    if organisations is not None and not list(organisations):
        add_error(errors, prefix + "responsible_organisations", _("Välj minst en ansvarig."))
    if _count(errors) != before_count:
        return []
    planned = []
    for name in ACTIVITY_FIELDS[:-1]:
        old, new = getattr(activity, name), getattr(after, name)
        if old != new:
            record = _record(AmendedPart.ACTIVITY, activity, name, old, new, activity=activity)
            planned.append(PlannedChange(record, activity, new))
    if organisations is not None:
        old = list(activity.responsible_organisations.all())
        if {o.pk for o in old} != {o.pk for o in organisations}:
            name = "responsible_organisations"
            record = _record(
                AmendedPart.ACTIVITY, activity, name, old, list(organisations), activity=activity
            )
            planned.append(PlannedChange(record, activity, list(organisations)))
    return planned


def _plan_signatories(errors, period, changes) -> list[PlannedChange]:
    planned = []
    removed = set(changes.removed_signatories)
    wanted = {**changes.signatories, **{pk: {} for pk in removed - set(changes.signatories)}}
    signatories = _parts(period, Signatory, wanted, errors)
    for pk, signatory in signatories.items():
        if pk in removed:
            record = _record(
                AmendedPart.SIGNATORY,
                signatory,
                "name",
                str(signatory),
                None,
                signatory=signatory,
            )
            record.field, record.label = "removed", _("Togs bort")
            record.before_text = f"{signatory.name}, {signatory.title}"
            planned.append(PlannedChange(record, signatory, None))
            continue
        for name, value in wanted[pk].items():
            if name not in SIGNATORY_FIELDS:
                raise TypeError(f"cannot amend a signatory's {name}")
            value = value.strip() if isinstance(value, str) else value
            if not value:
                add_error(errors, f"signatory-{pk}-{name}", _("Fyll i fältet."))
            elif value != getattr(signatory, name):
                record = _record(
                    AmendedPart.SIGNATORY,
                    signatory,
                    name,
                    getattr(signatory, name),
                    value,
                    signatory=signatory,
                )
                planned.append(PlannedChange(record, signatory, value))
    for index, fields in enumerate(changes.new_signatories):
        name, title = (fields.get("name") or "").strip(), (fields.get("title") or "").strip()
        if not name or not title or fields.get("organisation") is None:
            add_error(
                errors,
                f"new_signatory-{index}-name",
                _("Ange namn, titel och organisation för den nya undertecknaren."),
            )
            continue
        new = Signatory(period=period, name=name, title=title, organisation=fields["organisation"])
        record = _record(AmendedPart.SIGNATORY, new, "name", None, f"{name}, {title}")
        record.field, record.label = "added", _("Lades till")
        planned.append(PlannedChange(record, new, None))
    return planned


# --- Applying -------------------------------------------------------------------------------


@transaction.atomic
def amend_period(
    period: PromisePeriod, *, by, reason, applies_from, decision_reference="", changes: Changes
) -> Amendment:
    """Apply an amendment to an adopted period (see the module docstring for what it writes).

    Refused as ``plan_amendment`` refuses. Side effects: the changed period, promises,
    activities and signatories with history entries by ``by``; one ``Amendment`` and its
    ``AmendmentChange`` rows; the earlier targets in ``Activity.target_history``; the next
    stored version of the signed document (a PDF file); the kommun's cache version renewed.
    """
    period = locked(period, "municipality")
    reason, decision_reference = reason.strip(), (decision_reference or "").strip()
    planned = plan_amendment(
        period,
        reason=reason,
        applies_from=applies_from,
        decision_reference=decision_reference,
        changes=changes,
    )
    number = (period.amendments.aggregate(top=Max("number"))["top"] or 0) + 1
    amendment = Amendment.objects.create(
        period=period,
        number=number,
        applies_from=applies_from,
        reason=reason,
        decision_reference=decision_reference,
        created_by=by,
    )
    history_reason = _("Ändring %(number)s: %(reason)s") % {"number": number, "reason": reason}
    _record_targets(amendment, planned)
    _apply(planned, by, history_reason)
    AmendmentChange.objects.bulk_create(
        _with_amendment(change.record, amendment) for change in planned
    )
    freeze_promise_document(period, by=by, amendment=amendment)
    versioning.renew_kommun(period.municipality)
    return amendment


def _with_amendment(record, amendment):
    record.amendment = amendment
    if record.field == "removed":
        # The signatory's row is gone; the record keeps its name and title as text.
        record.signatory = None
    return record


def _record_targets(amendment, planned):
    """Append the earlier target of each activity whose target changes to its history."""
    touched = {}
    for change in planned:
        if change.record.part == AmendedPart.ACTIVITY and change.record.field in TARGET_FIELDS:
            touched[change.target.pk] = change.target
    for activity in touched.values():
        after = copy.copy(activity)
        for change in planned:
            if change.target is activity and change.record.field in TARGET_FIELDS:
                setattr(after, change.record.field, change.value)
        activity.target_history = [
            *activity.target_history,
            {
                "applies_from": amendment.applies_from.isoformat(),
                "kind": activity.target_kind,
                "quantity": activity.target_quantity,
                "cadence": activity.cadence,
                "quantity_after": after.target_quantity,
                "before_text": target_text(activity),
                "after_text": target_text(after),
                "reason": amendment.reason,
                "decision_reference": amendment.decision_reference,
                "amendment": amendment.pk,
            },
        ]


def _apply(planned, by, history_reason):
    """Write the planned values: each changed row once, with its history entry."""
    rows = {}
    for change in planned:
        record, target = change.record, change.target
        if record.field == "removed":
            target._history_user, target._change_reason = by, history_reason
            target.delete()
        elif record.field == "added":
            top = Signatory.objects.filter(period=target.period).aggregate(top=Max("position"))
            target.position = (top["top"] or 0) + 1
            rows[id(target)] = target
            record.signatory = target
        elif record.field == "responsible_organisations":
            rows[id(target)] = target
            target._organisations = change.value
        else:
            setattr(target, record.field, change.value)
            rows[id(target)] = target
    for row in rows.values():
        row._history_user, row._change_reason = by, history_reason
        row.save()
        if hasattr(row, "_organisations"):
            row.responsible_organisations.set(row._organisations)
