"""Atom feeds of follow-ups: the whole country and one kommun.

An entry is one standing public event (never a retracted one, never the internal note or who
logged it), or an amendment of an adopted medborgarlöfte (issue 12: what changed, why, from
when). Police events of periods that publish monthly counts only are left out, as on the pages.
Entry ids are stable: a tag URI made of the event's or the amendment's id.

Summaries are plain text (``<summary type="text">``): place and summary are typed by staff, and
a feed reader must show them as the words they are, never render them as HTML.

An event logged after its period ended says so ("Efterregistrerad" with the day), with the
reason when one was required.
"""

import io

from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import http_date
from django.utils.translation import gettext as _

from followup.public.event_queries import (
    ACTIVITY_MARK,
    KOMMUN_MARK,
    PERIOD_MARK,
    latest_follow_ups,
    long_date,
    url_pattern,
)
from followup.public.queries import latest_amendments
from municipalities.models import Municipality
from promises.models import Amendment

FEED_SIZE = 50


class PlainTextAtom1Feed(Atom1Feed):
    """Atom 1.0 whose entry summaries are declared plain text, not HTML."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class FollowUpFeed(Feed):
    feed_type = PlainTextAtom1Feed

    def __call__(self, request, *args, **kwargs):
        """Django's ``Feed.__call__``, but the XML is written to a buffer and the response gets
        it as one string: written straight into the response, each of a feed's ~1,800 elements
        and texts went through ``HttpResponse.write`` on its own."""
        obj = self.get_object(request, *args, **kwargs)
        feed = self.get_feed(obj, request)
        xml = io.StringIO()
        feed.write(xml, "utf-8")
        response = HttpResponse(xml.getvalue(), content_type=feed.content_type)
        response.headers["Last-Modified"] = http_date(feed.latest_post_date().timestamp())
        return response

    def title(self, obj=None):
        return _("Medborgarlöften: senaste uppföljningarna")

    def subtitle(self, obj=None):
        return _("Vad kommunerna och polisen har gjort av det de lovat.")

    def link(self, obj=None):
        return reverse("public:index")

    def feed_guid(self, obj=None):
        return "tag:medborgarloften,2026:uppfoljningar"

    def items(self, obj=None):
        return _with_amendments(
            latest_follow_ups(limit=FEED_SIZE), latest_amendments(limit=FEED_SIZE)
        )

    def item_title(self, item):
        if isinstance(item, Amendment):
            return _("%(municipality)s: %(title)s ändrades (gäller från %(date)s)") % {
                "municipality": item.period.municipality.name,
                "title": item.period.title,
                "date": long_date(item.applies_from),
            }
        activity = item.activity
        return _("%(municipality)s: %(quantity)s %(unit)s, %(date)s") % {
            "municipality": activity.period.municipality.name,
            "quantity": item.quantity,
            "unit": activity.unit_for(item.quantity) or _("genomförd"),
            "date": long_date(item.occurred_on),
        }

    def item_description(self, item):
        if isinstance(item, Amendment):
            changes = [
                f"{change.part_label}: {change.label}: {change.before_text or '–'} → "
                f"{change.after_text or '–'}"
                for change in item.change_list
            ]
            reference = [_("Beslut: %(ref)s") % {"ref": item.decision_reference}]
            return "\n".join(
                [*changes, _("Skäl: %(reason)s") % {"reason": item.reason}]
                + (reference if item.decision_reference else [])
            )
        parts = [item.activity.description, _("Utfört av: %(name)s") % {"name": item.organisation}]
        if item.place:
            parts.append(_("Plats: %(place)s") % {"place": item.place})
        if item.summary:
            parts.append(item.summary)
        if item.is_late:
            parts.append(
                _("Efterregistrerad %(date)s.")
                % {"date": long_date(timezone.localdate(item.logged_at))}
            )
        if item.late_reason:
            parts.append(
                _("Skäl till registrering i efterhand: %(reason)s") % {"reason": item.late_reason}
            )
        if item.is_demo:
            parts.append(_("Demoexempel"))
        return "\n".join(str(part) for part in parts)

    def item_link(self, item):
        if isinstance(item, Amendment):
            period = item.period
            url = reverse("public:period_detail", args=[period.municipality.slug, period.slug])
            return f"{url}#andring-{item.number}"
        return item.feed_link

    def item_guid(self, item):
        if isinstance(item, Amendment):
            return f"tag:medborgarloften,2026:andring-{item.pk}"
        return f"tag:medborgarloften,2026:handelse-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.created_at if isinstance(item, Amendment) else item.logged_at

    def item_updateddate(self, item):
        return self.item_pubdate(item)

    def item_author_name(self, item):
        if isinstance(item, Amendment):
            return item.period.municipality.name
        return item.organisation.name


class MunicipalityFeed(FollowUpFeed):
    def get_object(self, request, municipality_slug):
        return get_object_or_404(Municipality, slug=municipality_slug)

    def title(self, obj=None):
        return _("Medborgarlöften i %(name)s: senaste uppföljningarna") % {"name": obj.name}

    def link(self, obj=None):
        return reverse("public:municipality_detail", args=[obj.slug])

    def feed_guid(self, obj=None):
        return f"tag:medborgarloften,2026:uppfoljningar-{obj.code}"

    def items(self, obj=None):
        return _with_amendments(
            latest_follow_ups(limit=FEED_SIZE, municipality=obj),
            latest_amendments(limit=FEED_SIZE, municipality=obj),
        )


def _with_amendments(events, amendments) -> list:
    """Events and amendments together, newest first (an event by the day it happened, an
    amendment by the day it was made), at most ``FEED_SIZE``. Each event gets its entry's
    address as ``feed_link`` (one ``reverse()`` for all of them)."""
    events = list(events)
    pattern = url_pattern("public:activity_detail", KOMMUN_MARK, PERIOD_MARK, ACTIVITY_MARK)
    for event in events:
        period = event.activity.period
        url = (
            pattern.replace(KOMMUN_MARK, period.municipality.slug, 1)
            .replace(PERIOD_MARK, period.slug, 1)
            .replace(ACTIVITY_MARK, str(event.activity_id), 1)
        )
        event.feed_link = f"{url}#handelse-{event.pk}"

    def day(item):
        if isinstance(item, Amendment):
            return timezone.localdate(item.created_at)
        return item.occurred_on

    return sorted([*events, *amendments], key=day, reverse=True)[:FEED_SIZE]
