"""The weekly subscriber digest of a kommun, as a pure function of the week it covers.

What a subscriber gets is what the public pages show (followup.public's door): standing events
of published periods, without police events of periods that publish monthly counts only, and
published follow-up reports. Demo data only where demo mail is allowed (the console).
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.urls import reverse

from followup.models import FollowUpEvent, FollowUpReport
from municipalities.site.mail import absolute_url

EVENTS_LISTED = 20


@dataclass
class KommunWeek:
    municipality: object
    since: datetime
    until: datetime
    events: list = field(default_factory=list)
    event_count: int = 0
    reports: list = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.event_count and not self.reports


def kommun_week(municipality, *, since: datetime, until: datetime, include_demo=False):
    """What became public about the kommun between ``since`` and ``until`` (logged or
    published in that span): the newest events (at most 20, with the total) and the reports."""
    events = (
        FollowUpEvent.objects.public()
        .counting()
        .filter(
            activity__period__municipality=municipality,
            logged_at__gte=since,
            logged_at__lt=until,
        )
        .select_related("activity__period")
        .order_by("-occurred_on", "-logged_at")
    )
    reports = (
        FollowUpReport.objects.published()
        .filter(
            period__municipality=municipality,
            published_at__gte=since,
            published_at__lt=until,
        )
        .select_related("period")
    )
    if not include_demo:
        events = events.filter(is_demo=False, activity__period__is_demo=False)
        reports = reports.filter(period__is_demo=False)
    listed = list(events[:EVENTS_LISTED])
    for event in listed:
        period = event.activity.period
        event.page_url = absolute_url(
            reverse("public:period_detail", args=[municipality.slug, period.slug])
        )
    return KommunWeek(
        municipality=municipality,
        since=since,
        until=until,
        events=listed,
        event_count=events.count() if len(listed) == EVENTS_LISTED else len(listed),
        reports=list(reports),
    )
