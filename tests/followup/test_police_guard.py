"""The police operational guard (issue 12, item 7): where police publish only monthly counts, only
completed months are published. The running month's count, and progress including it, reach
public pages, feeds and open data once the month has ended; pages never contradict themselves."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from followup.models import ActivityYearTotal, FollowUpEvent
from followup.progress import progress_for, public_progress_for
from followup.public import queries
from promises.models import Cadence, PeriodStatus
from tests import factories

pytestmark = pytest.mark.django_db

# A fixed day for the queryset tests: June 2024 is the running month.
TODAY = date(2024, 6, 15)


def _guarded(code="0604", **fields):
    """A published Aneby period whose police publish monthly counts only."""
    fields.setdefault("status", PeriodStatus.ADOPTED)
    return factories.period(code, police_monthly_counts_only=True, **fields)


def _yearly(period, target=30):
    return factories.activity(period, target_quantity=target, cadence=Cadence.YEAR)


# --- The public querysets -----------------------------------------------------------------------


def test_public_police_monthly_leaves_out_the_running_month():
    activity = _yearly(_guarded())
    factories.event(activity, date(2024, 5, 31), 2)
    factories.event(activity, date(2024, 6, 1), 3)

    rows = FollowUpEvent.objects.public_police_monthly(today=TODAY)
    ended = FollowUpEvent.objects.public_police_monthly(today=date(2024, 7, 1))

    assert [(row["month"], row["quantity"]) for row in rows] == [(5, 2)]
    assert [(row["month"], row["quantity"]) for row in ended] == [(5, 2), (6, 3)]


def test_public_in_sums_holds_back_only_the_running_months_guarded_police_events():
    guarded = _yearly(_guarded())
    factories.event(guarded, date(2024, 5, 31), 2)
    factories.event(guarded, date(2024, 6, 1), 3)
    both = factories.activity(
        _guarded("0687"),
        organisations=[factories.police_organisation(), factories.municipal_organisation()],
    )
    factories.event(both, date(2024, 6, 2), 5, organisation=factories.municipal_organisation())
    ordinary = _yearly(factories.period("0138", status=PeriodStatus.ADOPTED))
    factories.event(ordinary, date(2024, 6, 3), 7)

    quantities = sorted(
        FollowUpEvent.objects.public_in_sums(TODAY).values_list("quantity", flat=True)
    )

    assert quantities == [2, 5, 7]


def test_public_progress_leaves_out_the_running_month_staff_progress_does_not():
    activity = _yearly(_guarded())
    factories.event(activity, date(2024, 5, 31), 2)
    factories.event(activity, date(2024, 6, 1), 3)
    activity = type(activity).objects.select_related("period").get(pk=activity.pk)

    public = public_progress_for([activity], today=TODAY)[activity.pk]
    staff = progress_for([activity], today=TODAY)[activity.pk]
    next_month = public_progress_for([activity], today=date(2024, 7, 1))[activity.pk]

    assert (public.done_total, public.current.done) == (2, 2)
    assert staff.done_total == 5
    assert next_month.done_total == 5


# --- The pages, feeds and open data, today ------------------------------------------------------


@pytest.fixture
def guarded_today():
    """A running guarded Aneby period with police events last month and this month."""
    today = timezone.localdate()
    period = _guarded(starts_on=date(today.year - 1, 1, 1), ends_on=date(today.year, 12, 31))
    activity = _yearly(period)
    last_month = today.replace(day=1) - timedelta(days=1)
    factories.event(activity, last_month, 4, place="Hemlig plats förra månaden")
    factories.event(activity, today, 9, place="Hemlig plats i dag")
    return activity, last_month


def test_activity_page_shows_ended_months_only_and_never_says_nothing_is_logged(
    client, guarded_today
):
    activity, last_month = guarded_today
    period = activity.period
    url = reverse("public:activity_detail", args=["aneby", period.slug, activity.pk])

    text = client.get(url).content.decode()

    assert f'<th scope="row">{_month_name(last_month)}</th><td class="num">4</td>' in text
    assert '<td class="num">9</td>' not in text
    assert "Inga händelser är registrerade ännu." not in text
    assert "Polisens insatser redovisas ovan som antal per månad." in text
    assert "Antalet för innevarande månad visas när månaden är slut" in text
    assert "Hemlig plats" not in text


def test_period_page_progress_and_text_leave_out_the_running_month(client, guarded_today):
    activity, _ = guarded_today
    period = activity.period

    text = client.get(reverse("public:period_detail", args=["aneby", period.slug])).content.decode()

    assert "Inga händelser är registrerade ännu." not in text
    assert "under varje aktivitet, när månaden är slut." in text
    assert "Hemlig plats" not in text
    page = queries.period_page(
        queries.period_for_page().get(pk=period.pk), today=timezone.localdate()
    )
    card = page.sections[0][1][0]
    assert card.progress.done_total == 4
    assert [count.quantity for count in card.monthly_counts] == [4]


def test_open_data_publishes_ended_months_and_progress_without_the_running_month(
    client, guarded_today
):
    activity, last_month = guarded_today

    monthly = _csv(client.get(reverse("public:download", args=["manadsantal", "csv"])))
    activities = _csv(client.get(reverse("public:download", args=["aktiviteter", "csv"])))
    events = _csv(client.get(reverse("public:download", args=["handelser", "csv"])))

    assert [(row["manad"], row["antal"]) for row in monthly] == [
        (last_month.strftime("%Y-%m"), "4")
    ]
    totals = [row["utfort_totalt"] for row in activities if row["aktivitet_id"] == str(activity.pk)]
    assert totals == ["4"]
    assert events == []


def test_index_counts_leave_out_the_running_months_guarded_police_events(guarded_today):
    activity, last_month = guarded_today
    today = timezone.localdate()

    counts = queries.national_counts(today=today)

    # Only this calendar year's events count on the index; last month may be last year.
    assert counts.follow_ups_this_year == (1 if last_month.year == today.year else 0)


def test_feed_lists_no_guarded_police_event(client, guarded_today):
    feed = client.get(reverse("public:feed")).content.decode()

    assert "Hemlig plats" not in feed
    assert "<entry>" not in feed


def _csv(response):
    text = b"".join(response.streaming_content).decode("utf-8").removeprefix("\ufeff")
    return list(csv.DictReader(io.StringIO(text)))


def _month_name(day):
    from django.utils import formats

    return formats.date_format(day, "F Y")


def test_yearly_totals_give_the_same_public_sums_as_the_events():
    guarded = _yearly(_guarded())
    factories.event(guarded, date(2024, 5, 31), 2)
    factories.event(guarded, date(2024, 6, 1), 3)
    both = factories.activity(
        _guarded("0687"),
        organisations=[factories.police_organisation(), factories.municipal_organisation()],
    )
    factories.event(both, date(2024, 6, 2), 5, organisation=factories.municipal_organisation())
    factories.event(_yearly(factories.period("1452", is_published=False)), date(2024, 6, 3), 11)
    ordinary = _yearly(factories.period("0138", status=PeriodStatus.ADOPTED))
    factories.event(ordinary, date(2024, 6, 3), 7)
    in_sums = FollowUpEvent.objects.public_in_sums(TODAY).counting().filter(occurred_on__year=2024)

    count = ActivityYearTotal.objects.public_event_count(2024, TODAY)
    by_activity = ActivityYearTotal.objects.public_sums_by(("activity",), 2024, TODAY)

    assert sorted(in_sums.values_list("quantity", flat=True)) == [2, 5, 7]
    assert count == in_sums.count() == 3
    assert by_activity == [
        {"activity": ordinary.pk, "quantity": 7, "events": 1},
        {"activity": both.pk, "quantity": 5, "events": 1},
        {"activity": guarded.pk, "quantity": 2, "events": 1},
    ]
