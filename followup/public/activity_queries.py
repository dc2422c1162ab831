"""Reads for a public activity page: the activity, its events, its corrections log and the
amendments' changes to it, in fixed query counts.

Like ``followup.public.queries``, everything here reads through the public door; lists under the
activity (fetched through ``Activity.objects.public()`` with its period) use the door's
``public_of()`` forms, which read the period's rules from the fetched period.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from followup.models import FollowUpEvent
from followup.public.event_queries import EventRow, event_rows
from promises.models import Activity, Amendment, AmendmentChange

# History entries of an event that its activity's corrections log may show: edits, and events
# added after the logging window closed (those carry a late reason).
CORRECTION_ENTRIES = Q(history_type="~") | (Q(history_type="+") & ~Q(late_reason=""))


def activity_for_page():
    """Activities of published periods with their period, kommun, promise and theme, each
    annotated ``has_corrections`` and ``has_amendment_changes``: whether it has any entry that
    ``corrections_of`` or ``amendment_changes_of`` might show (usually not, and then the page
    skips those queries; when so, they still decide what is public)."""
    changed = FollowUpEvent.history.model.objects.filter(activity_id=OuterRef("pk")).filter(
        CORRECTION_ENTRIES
    )
    return (
        Activity.objects.public()
        .select_related("period__municipality__county", "period__police_area", "promise__theme")
        .prefetch_related("responsible_organisations")
        .annotate(
            has_corrections=Exists(changed),
            has_amendment_changes=Exists(AmendmentChange.objects.filter(activity=OuterRef("pk"))),
        )
    )


def activity_events(activity):
    """All public events of one activity (fetched with its period), standing and retracted,
    newest first, each with its organisation (``activity_event_rows`` gives them their
    activity)."""
    return (
        FollowUpEvent.objects.public_of([activity])
        .select_related("organisation")
        .order_by("-occurred_on", "-logged_at", "-id")
    )


def activity_event_rows(events, activity) -> list[EventRow]:
    """``event_rows`` of events from ``activity_events(activity)``, each given that activity
    (no join to activity, period or kommun)."""
    events = list(events)
    for event in events:
        event.activity = activity
    return event_rows(events)


@dataclass
class Correction:
    """A public entry of an activity's corrections log: what changed in an event, and why."""

    event_id: int
    changed_at: object
    occurred_on: date
    retracted: bool
    reason: str
    changes: list[tuple[str, object, object]] = field(default_factory=list)
    # Added after the period's logging window closed, by an editor, with a public reason.
    added_late: bool = False


PUBLIC_EVENT_FIELDS = {
    "occurred_on": _("datum"),
    "quantity": _("antal"),
    "organisation_id": _("utfört av"),
    "place": _("plats"),
    "summary": _("sammanfattning"),
}


# What a history entry of an event holds that the public never sees.
HISTORY_PRIVATE_FIELDS = ("internal_note", "logged_by", "history_user")


def corrections_of(activity, *, limit: int = 50) -> list[Correction]:
    """The public corrections log of an activity: edits, retractions and events added after the
    period's logging window had closed (with the reason given), newest first.

    Two queries (none for an activity from ``activity_for_page()`` without such entries): the
    changed and late-added history entries of the activity's public events (through
    ``FollowUpEvent.objects.public_of()``, so police events of monthly-only periods never), then
    the earlier versions of those events to show what changed. Only public fields are compared and
    selected; the internal note, who logged the event and who changed it never are.
    """
    if not getattr(activity, "has_corrections", True):
        return []
    history = FollowUpEvent.history.model
    public = FollowUpEvent.objects.public_of([activity]).values("pk")
    changed = list(
        history.objects.filter(CORRECTION_ENTRIES, activity_id=activity.pk)
        .filter(id__in=public)
        .select_related("organisation")
        .defer(*HISTORY_PRIVATE_FIELDS)
        .order_by("-history_date", "-history_id")[:limit]
    )
    if not changed:
        return []
    versions = defaultdict(list)
    for version in (
        history.objects.filter(id__in={entry.id for entry in changed})
        .select_related("organisation")
        .defer(*HISTORY_PRIVATE_FIELDS)
        .order_by("history_date", "history_id")
    ):
        versions[version.id].append(version)
    corrections = []
    for entry in changed:
        if entry.history_type == "+":
            corrections.append(
                Correction(
                    event_id=entry.id,
                    changed_at=entry.history_date,
                    occurred_on=entry.occurred_on,
                    retracted=False,
                    reason=entry.late_reason,
                    added_late=True,
                )
            )
            continue
        earlier = [v for v in versions[entry.id] if v.history_id < entry.history_id]
        previous = earlier[-1] if earlier else None
        retracted = entry.retracted_at is not None and (
            previous is None or previous.retracted_at is None
        )
        changes = []
        if previous is not None and not retracted:
            for name, label in PUBLIC_EVENT_FIELDS.items():
                before, after = getattr(previous, name), getattr(entry, name)
                if before != after:
                    if name == "organisation_id":
                        before, after = previous.organisation.name, entry.organisation.name
                    changes.append((label, before, after))
        corrections.append(
            Correction(
                event_id=entry.id,
                changed_at=entry.history_date,
                occurred_on=entry.occurred_on,
                retracted=retracted,
                reason=entry.retraction_reason
                if retracted
                else (entry.history_change_reason or ""),
                changes=changes,
            )
        )
    return corrections


def amendment_changes_of(activity) -> list[AmendmentChange]:
    """The public changes made to one activity by amendments, newest first (one query, none
    for an activity from ``activity_for_page()`` without amendment changes)."""
    if not getattr(activity, "has_amendment_changes", True):
        return []
    return list(
        AmendmentChange.objects.filter(activity=activity, amendment__in=Amendment.objects.public())
        .select_related("amendment")
        .order_by("-amendment__number", "id")
    )
