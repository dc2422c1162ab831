"""Progress rules from real promises (issue 12, item 9): whole weeks, milestone due dates and a
headline that counts measurable activities apart from ongoing work."""

from datetime import date, datetime, time, timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation

from followup.headline import headline
from followup.models import FollowUpEvent, ReportKind
from followup.progress import Status, progress_for
from followup.reports.documents import report_data, report_span
from followup.templatetags.progress import milestone_sentence
from promises.forms import ActivityForm
from promises.models import Activity, Cadence, PromisePeriod, TargetKind
from promises.services import save_activity
from promises.targets import target_text
from tests import factories

pytestmark = pytest.mark.django_db


def _moment(*day):
    return timezone.make_aware(datetime.combine(date(*day), time(12)))


def progress_of(activity, today):
    return progress_for([activity], today=today)[activity.pk]


def _days(start, end, weekdays):
    day = start
    while day <= end:
        if day.weekday() in weekdays:
            yield day
        day += timedelta(days=1)


# --- Per week: whole weeks ------------------------------------------------------------------------


def test_week_target_every_friday_and_saturday_of_2018_is_achieved_against_104():
    period = factories.period("0138", starts_on=date(2018, 1, 1), ends_on=date(2018, 12, 31))
    activity = factories.activity(
        period,
        description="Förstärkt närvaro alla fredags- och lördagskvällar.",
        target_quantity=2,
        cadence=Cadence.WEEK,
        unit_singular="kväll",
        unit_plural="kvällar",
    )
    for day in _days(date(2018, 1, 1), date(2018, 12, 31), weekdays={4, 5}):
        factories.event(activity, day)

    progress = progress_of(activity, today=date(2019, 1, 15))

    assert [(b.target, b.done, b.status) for b in progress.buckets] == [(104, 104, Status.ACHIEVED)]
    assert progress.status == Status.ACHIEVED


def test_week_target_one_per_week_is_52_a_year_also_in_a_leap_year():
    period = factories.period(starts_on=date(2023, 1, 1), ends_on=date(2024, 12, 31))
    activity = factories.activity(period, target_quantity=1, cadence=Cadence.WEEK)

    progress = progress_of(activity, today=date(2023, 3, 1))

    assert [(b.label, b.target) for b in progress.buckets] == [("2023", 52), ("2024", 52)]


def test_week_target_of_a_partial_year_counts_the_whole_weeks_inside_it():
    period = factories.period(starts_on=date(2024, 3, 15), ends_on=date(2025, 2, 20))
    activity = factories.activity(period, target_quantity=2, cadence=Cadence.WEEK)

    progress = progress_of(activity, today=date(2024, 4, 1))

    # 15 March–31 December 2024: 292 days, 41 whole weeks; 1 January–20 February 2025: 51 days,
    # 7 whole weeks. Two per week.
    assert [(b.label, b.target) for b in progress.buckets] == [("2024", 82), ("2025", 14)]


def test_week_expected_to_date_counts_the_whole_weeks_elapsed():
    period = factories.period("0138", starts_on=date(2018, 1, 1), ends_on=date(2018, 12, 31))
    activity = factories.activity(period, target_quantity=2, cadence=Cadence.WEEK)
    factories.event(activity, date(2018, 1, 5))
    factories.event(activity, date(2018, 1, 6))

    progress = progress_of(activity, today=date(2018, 1, 13))

    # 13 days have passed: one whole week, so two evenings were expected, and two were done.
    assert progress.current.expected == 2
    assert progress.status == Status.ON_TRACK


# --- Milestones with a due date ------------------------------------------------------------------


def _milestone(due_on=date(2024, 1, 31), done_on=None):
    period = factories.period(starts_on=date(2024, 1, 1), ends_on=date(2025, 12, 31))
    activity = factories.activity(
        period,
        target_kind=TargetKind.MILESTONE,
        description="Genomför i januari gemensamma dialogmöten.",
        due_on=due_on,
    )
    if done_on:
        factories.event(activity, done_on)
    return activity


@pytest.mark.parametrize(
    ("done_on", "today", "status", "sentence"),
    [
        (
            None,
            date(2024, 1, 20),
            Status.NOT_STARTED,
            "Inte genomförd ännu, planerat senast 31 januari 2024",
        ),
        (
            None,
            date(2024, 1, 31),
            Status.NOT_STARTED,
            "Inte genomförd ännu, planerat senast 31 januari 2024",
        ),
        (None, date(2024, 2, 1), Status.BEHIND, "Försenad: planerat senast 31 januari 2024"),
        (date(2024, 1, 14), date(2024, 3, 1), Status.ACHIEVED, "Uppnått 14 januari 2024"),
        (
            date(2024, 3, 3),
            date(2024, 4, 1),
            Status.ACHIEVED,
            "Uppnått 3 mars 2024 (planerat senast 31 januari)",
        ),
        (None, date(2026, 1, 10), Status.NOT_ACHIEVED, "Inte genomförd"),
    ],
    ids=["before-due", "on-due-day", "after-due", "done-early", "done-late", "period-over"],
)
def test_milestone_with_due_date_status_and_sentence_at_chosen_dates(
    done_on, today, status, sentence
):
    activity = _milestone(done_on=done_on)

    progress = progress_of(activity, today=today)

    assert progress.status == status
    with translation.override("sv"):
        assert milestone_sentence(progress) == sentence


def test_milestone_done_on_is_the_first_counting_event_that_did_it():
    activity = _milestone(done_on=date(2024, 2, 10))
    factories.event(
        activity,
        date(2024, 2, 5),
        retracted_at=timezone.now(),
        retracted_by=factories.user(),
        retraction_reason="Fel dag.",
    )
    factories.event(activity, date(2024, 6, 1))

    progress = progress_of(activity, today=date(2024, 7, 1))

    assert progress.done_on == date(2024, 2, 10)


def test_milestone_without_due_date_stays_not_started_while_the_period_runs():
    activity = _milestone(due_on=None)

    progress = progress_of(activity, today=date(2025, 11, 1))

    assert progress.status == Status.NOT_STARTED


def test_milestone_in_a_report_span_after_its_due_date_is_behind():
    activity = _milestone()
    start, end = date(2024, 1, 1), date(2024, 4, 30)

    span = progress_for([activity], today=date(2024, 6, 1), spans=[(start, end)])[activity.pk].span(
        start, end
    )

    assert span.status == Status.BEHIND


def test_milestone_target_text_names_its_due_date():
    activity = _milestone()

    with translation.override("sv"):
        text = target_text(activity)

    assert text == "genomförs en gång, senast 31 januari 2024"


# --- The due date in the staff form and the service ---------------------------------------------


def _form_data(period, **fields):
    data = {
        "position": 1,
        "description": "Genomför i januari gemensamma dialogmöten.",
        "responsible_organisations": [factories.police_organisation().pk],
        "target_kind": TargetKind.MILESTONE,
    }
    data.update(fields)
    return data


def test_activity_form_accepts_a_due_date_inside_the_period():
    period = factories.period(starts_on=date(2024, 1, 1), ends_on=date(2025, 12, 31))
    form = ActivityForm(_form_data(period, due_on="2024-01-31"), period=period)

    valid = form.is_valid()

    assert valid, form.errors
    assert form.cleaned_data["due_on"] == date(2024, 1, 31)


def test_activity_form_refuses_a_due_date_outside_the_period_next_to_the_field():
    period = factories.period(starts_on=date(2024, 1, 1), ends_on=date(2025, 12, 31))
    form = ActivityForm(_form_data(period, due_on="2026-01-31"), period=period)

    with translation.override("sv"):
        valid = form.is_valid()

    assert not valid
    assert form.errors["due_on"] == [
        "Datumet måste ligga inom perioden, 1 januari 2024 – 31 december 2025."
    ]


def test_activity_form_refuses_a_due_date_on_a_count_activity():
    period = factories.period(starts_on=date(2024, 1, 1), ends_on=date(2025, 12, 31))
    data = _form_data(
        period,
        target_kind=TargetKind.COUNT,
        target_quantity=30,
        cadence=Cadence.YEAR,
        unit_singular="trafikkontroll",
        unit_plural="trafikkontroller",
        due_on="2024-06-30",
    )
    form = ActivityForm(data, period=period)

    with translation.override("sv"):
        valid = form.is_valid()

    assert not valid
    assert form.errors["due_on"] == [
        "Bara en aktivitet som genomförs en gång kan ha ett datum då den ska vara klar."
    ]


def test_save_activity_refuses_a_due_date_outside_the_period_and_writes_nothing():
    period = factories.period(starts_on=date(2024, 1, 1), ends_on=date(2025, 12, 31))

    with pytest.raises(ValidationError) as refused:
        save_activity(
            period,
            by=factories.user(),
            responsible_organisations=[factories.police_organisation()],
            position=1,
            description="Genomför i januari gemensamma dialogmöten.",
            target_kind=TargetKind.MILESTONE,
            due_on=date(2023, 12, 31),
        )

    assert list(refused.value.error_dict) == ["due_on"]
    assert period.activities.count() == 0


def test_save_activity_empties_the_due_date_of_a_count_activity():
    period = factories.period(starts_on=date(2024, 1, 1), ends_on=date(2025, 12, 31))

    saved = save_activity(
        period,
        by=factories.user(),
        responsible_organisations=[factories.police_organisation()],
        position=1,
        description="Polisen genomför trafikkontroller.",
        target_kind=TargetKind.COUNT,
        target_quantity=30,
        cadence=Cadence.YEAR,
        unit_singular="trafikkontroll",
        unit_plural="trafikkontroller",
        due_on=date(2024, 6, 30),
    )

    saved.refresh_from_db()
    assert saved.due_on is None


def test_staff_activity_create_saves_a_milestone_due_date(client, coordinator):
    period = factories.period("0687", status="draft")
    client.force_login(coordinator)

    client.post(
        reverse("promises:activity_create", args=[period.pk]),
        _form_data(period, due_on="2023-01-31"),
    )

    activity = Activity.objects.get()
    assert (activity.target_kind, activity.due_on) == (TargetKind.MILESTONE, date(2023, 1, 31))


def test_staff_activity_create_with_due_date_outside_the_period_shows_it_by_the_field(
    client, coordinator
):
    period = factories.period("0687", status="draft")
    client.force_login(coordinator)

    response = client.post(
        reverse("promises:activity_create", args=[period.pk]),
        _form_data(period, due_on="2025-01-31"),
    )

    assert response.status_code == 200
    assert "Datumet måste ligga inom perioden, 1 januari 2023 – 31 december 2024." in (
        response.content.decode()
    )
    assert Activity.objects.count() == 0


# --- The headline -------------------------------------------------------------------------------


def _concluded_tranas_period():
    """Tranås 2023–2024 as published (seed 001): two activities with a number, four without;
    with the demo's follow-up (traffic checks 31 in 2023 and 22 in 2024, 17 of 15 operations)."""
    period = factories.period(
        starts_on=date(2023, 1, 1), ends_on=date(2024, 12, 31), status="concluded"
    )
    traffic = factories.activity(period, target_quantity=30, cadence=Cadence.YEAR)
    operations = factories.activity(
        period,
        target_quantity=15,
        cadence=Cadence.PERIOD,
        unit_singular="riktad insats",
        unit_plural="riktade insatser",
    )
    factories.event(traffic, date(2023, 5, 1), quantity=31)
    factories.event(traffic, date(2024, 5, 1), quantity=22)
    factories.event(operations, date(2023, 9, 1), quantity=17)
    for quantity in (8, 6, 4, 3):
        ongoing = factories.activity(period, target_kind=TargetKind.ONGOING)
        factories.event(ongoing, date(2024, 3, 1), quantity=quantity)
    return period


def test_headline_of_the_concluded_tranas_period_counts_measurable_apart_from_ongoing():
    period = _concluded_tranas_period()
    progresses = progress_for(period.activities.select_related("period"), today=date(2025, 3, 1))

    with translation.override("sv"):
        text = str(headline(progresses.values()))

    assert text == (
        "1 av 2 aktiviteter med mål uppnådda · 4 löpande aktiviteter med 21 registrerade insatser"
    )


def test_headline_of_a_running_period_counts_on_track_as_going_well_in_the_singular():
    period = factories.period(starts_on=date(2024, 1, 1), ends_on=date(2025, 12, 31))
    traffic = factories.activity(period, target_quantity=12, cadence=Cadence.YEAR)
    factories.event(traffic, date(2024, 2, 1), quantity=3)
    ongoing = factories.activity(period, target_kind=TargetKind.ONGOING)
    factories.event(ongoing, date(2024, 2, 1))
    factories.activity(period, target_kind=TargetKind.ON_REQUEST)
    progresses = progress_for(period.activities.select_related("period"), today=date(2024, 3, 1))

    with translation.override("sv"):
        text = str(headline(progresses.values()))

    assert text == (
        "1 av 1 aktivitet med mål uppnådd eller enligt plan · 1 löpande aktivitet med 1 "
        "registrerad insats · 1 aktivitet vid önskemål med 0 registrerade insatser"
    )


def test_headline_of_a_period_not_yet_begun_only_counts_its_activities():
    period = factories.period(starts_on=date(2027, 1, 1), ends_on=date(2028, 12, 31))
    factories.activity(period)
    factories.activity(period, target_kind=TargetKind.MILESTONE)
    progresses = progress_for(period.activities.select_related("period"), today=date(2026, 6, 1))

    with translation.override("sv"):
        text = str(headline(progresses.values()))

    assert text == "2 aktiviteter med mål"


def test_report_headline_counts_measurable_apart_from_ongoing_work_in_its_span():
    period = _concluded_tranas_period()
    FollowUpEvent.objects.filter(activity__period=period).update(logged_at=_moment(2024, 12, 31))
    span = report_span(period, ReportKind.YEAR, 2024, today=date(2025, 3, 1))
    at = _moment(2025, 3, 1)

    with translation.override("sv"):
        data = report_data(period, span, at=at)

    assert data["headline"] == (
        "1 av 2 aktiviteter med mål uppnådda · 4 löpande aktiviteter med 21 registrerade insatser"
    )


def test_public_period_page_shows_the_headline_of_the_concluded_tranas_period(client):
    period = _concluded_tranas_period()

    response = client.get(reverse("public:period_detail", args=["tranas", period.slug]))

    text = response.content.decode()
    headline_text = (
        "1 av 2 aktiviteter med mål uppnådda · 4 löpande aktiviteter med 21 registrerade insatser"
    )
    assert f'<p class="summary-sentence">{headline_text}</p>' in text
    assert f"har kommit. {headline_text}." in text  # the page's description
    assert "1 av 6" not in text


def test_public_period_page_shows_when_a_milestone_was_done_late(client):
    activity = _milestone(done_on=date(2024, 3, 3))
    period = activity.period

    response = client.get(reverse("public:period_detail", args=["tranas", period.slug]))

    text = response.content.decode()
    assert "Uppnått 3 mars 2024 (planerat senast 31 januari)" in text
    assert "genomförs en gång, senast 31 januari 2024" in text


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
def test_public_page_of_the_demo_tranas_2023_2024_shows_the_new_headline(client):
    call_command("load_demo", "--today", "2026-05-20", stdout=StringIO())
    period = PromisePeriod.objects.get(municipality__code="0687", slug="2023-2024")

    response = client.get(reverse("public:period_detail", args=["tranas", period.slug]))

    text = response.content.decode()
    assert (
        '<p class="summary-sentence">1 av 2 aktiviteter med mål uppnådda · '
        "4 löpande aktiviteter med 26 registrerade insatser</p>"
    ) in text
    assert "1 av 6" not in text


def test_english_period_page_translates_the_headline(client):
    period = _concluded_tranas_period()

    response = client.get(f"/en/kommuner/tranas/{period.slug}/")

    text = response.content.decode()
    assert (
        '<p class="summary-sentence">1 of 2 activities with a target achieved · '
        "4 ongoing activities with 21 recorded efforts</p>"
    ) in text


def test_how_we_count_states_whole_weeks_due_dates_and_the_headline(client):
    response = client.get(reverse("public:how_we_count"))

    text = response.content.decode()
    assert "”minst en per vecka” blir 52 per år och ”två per vecka” blir 104" in text
    assert "(planerat senast 31 januari)" in text
    assert "därefter Efter plan, som vi visar som försenad" in text
    assert (
        "”3 av 6 aktiviteter med mål uppnådda · 4 löpande aktiviteter med 57 registrerade insatser”"
    ) in text
    assert "5 av 9 aktiviteter uppnådda eller enligt plan" not in text
