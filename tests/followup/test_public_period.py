from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from followup.progress import progress_for
from followup.services import correct_event, retract_event
from municipalities.models import OrganisationKind
from promises.models import Cadence, PeriodStatus, TargetKind
from tests import factories

pytestmark = pytest.mark.django_db


def period_url(period):
    return reverse("public:period_detail", args=[period.municipality.slug, period.slug])


def activity_url(activity):
    period = activity.period
    return reverse(
        "public:activity_detail", args=[period.municipality.slug, period.slug, activity.pk]
    )


def test_period_shows_promises_activities_targets_and_progress_in_words(client):
    period = factories.period("0687")
    promise = factories.promise(period, title="Arbeta långsiktigt med trafikmiljön.")
    activity = factories.activity(period, promise_=promise)
    for day in range(1, 14):
        factories.event(activity, date(2024, 3, day))
    factories.activity(period, promise_=promise, target_kind=TargetKind.ONGOING)

    response = client.get(period_url(period))

    text = response.content.decode()
    assert "Arbeta långsiktigt med trafikmiljön." in text
    assert "minst 30 trafikkontroller per år" in text
    assert "13 av 30 trafikkontroller 2024" in text
    assert "Status: <strong>Ej uppnått</strong>" in text
    assert "Lokalpolisområde Höglandet" in text  # responsible
    assert (
        "0 av 1 aktivitet med mål uppnådd · 1 löpande aktivitet med 0 registrerade insatser" in text
    )
    assert '<progress class="bar" max="30" value="13" aria-hidden="true">' in text


def test_period_shows_expected_to_date_for_the_running_bucket(client):
    period = factories.running_period("0687")
    activity = factories.activity(period)
    factories.event(activity, date(period.starts_on.year, 1, 2), quantity=3)
    expected = progress_for([activity])[activity.pk].current.expected

    response = client.get(period_url(period))

    assert f"Förväntat hittills: {expected}" in response.content.decode()


def test_period_lists_earlier_buckets_with_their_outcome(client):
    period = factories.period("0687")
    activity = factories.activity(period, target_quantity=2)
    factories.event(activity, date(2023, 5, 1), quantity=2)

    response = client.get(period_url(period))

    text = response.content.decode()
    assert "1 av 2 avslutade år uppnådda" in text
    assert '<th scope="row">2023</th>' in text


def test_period_links_each_activity_card_to_its_own_page(client):
    period = factories.period("0687")
    first, second = factories.activity(period), factories.activity(period)

    text = client.get(period_url(period)).content.decode()

    for activity in (first, second):
        assert f'<a href="{activity_url(activity)}">{activity.description}</a>' in text


def test_period_lists_earlier_month_buckets_with_their_month_and_outcome(client):
    period = factories.period("0687")
    activity = factories.activity(period, cadence=Cadence.MONTH, target_quantity=2)
    factories.event(activity, date(2023, 5, 3), quantity=2)

    text = client.get(period_url(period)).content.decode()

    assert '<th scope="row">maj 2023</th>\n<td class="num">2</td>\n<td class="num">2</td>' in text
    assert '<td class="status status-achieved">Uppnått</td>' in text
    assert '<th scope="row">juni 2023</th>\n<td class="num">0</td>' in text


def test_period_shows_situation_picture_sources_signatories_and_follow_up(client):
    period = factories.period(
        "0687",
        situation_picture="Otrygghet vid resecentrum.",
        follow_up_text="Följs upp per tertial.",
        signed_place="Tranås",
        signed_on=date(2023, 5, 30),
    )
    factories.situation_source(period, description="Trygghetsmätning 2022")
    factories.signatory(period, factories.municipal_organisation("0687"), name="Beata Allen")

    response = client.get(period_url(period))

    text = response.content.decode()
    assert "Otrygghet vid resecentrum." in text
    assert "Trygghetsmätning: Trygghetsmätning 2022" in text
    assert "Följs upp per tertial." in text
    assert "Tranås, 30 maj 2023" in text
    assert "<strong>Beata Allen</strong>, Kommunstyrelsens ordförande, Tranås kommun" in text


def test_period_shows_retracted_events_as_corrected_with_reason(client):
    period = factories.period_with_work("0687", events=0, status=PeriodStatus.ADOPTED)
    activity = period.activities.get()
    event = factories.event(activity, date(2024, 2, 1), summary="Dubbel")
    retract_event(
        event, by=factories.user(), reason="Registrerad två gånger.", today=date(2024, 2, 2)
    )

    response = client.get(period_url(period))

    text = response.content.decode()
    assert "Rättad: räknas inte" in text
    assert "Skäl: Registrerad två gånger." in text
    assert "0 av 30 trafikkontroller 2024" in text


def test_period_shows_deviations(client):
    period = factories.period_with_work("0687")
    factories.deviation(period.activities.get(), date(2024, 1, 1), text="Resurser till en insats.")

    response = client.get(period_url(period))

    assert "Resurser till en insats." in response.content.decode()


def test_period_never_shows_internal_note_or_who_logged(client):
    period = factories.period_with_work("0687", events=0)
    logger = factories.user("hemlig-loggare")
    factories.event(
        period.activities.get(), date(2024, 2, 1), by=logger, internal_note="INTERN-NOTERING"
    )

    response = client.get(period_url(period))

    text = response.content.decode()
    assert "INTERN-NOTERING" not in text
    assert "hemlig-loggare" not in text


def test_period_with_police_monthly_counts_shows_only_monthly_counts(client):
    period = factories.period("0687", police_monthly_counts_only=True)
    kommun = factories.municipal_organisation("0687")
    activity = factories.activity(period, organisations=[factories.police_organisation(), kommun])
    factories.event(activity, date(2024, 5, 3), quantity=2, place="Hemlig plats", summary="Hemligt")
    factories.event(activity, date(2024, 5, 20), place="Hemlig plats 2")
    factories.event(activity, date(2024, 6, 1), organisation=kommun, place="Torget")

    response = client.get(period_url(period))

    text = response.content.decode()
    assert "Hemlig" not in text
    assert "3 maj 2024" not in text
    assert "Torget" in text  # the kommun's own events stay
    assert '<th scope="row">maj 2024</th><td class="num">3</td>' in text
    assert "4 av 30 trafikkontroller 2024" in text  # police work still counts


def test_period_labels_demo_data(client):
    period = factories.period_with_work("0687", is_demo=True)

    response = client.get(period_url(period))

    assert "Demoexempel" in response.content.decode()


def test_period_shows_embed_snippet_with_absolute_url(client):
    period = factories.period_with_work("0687")

    response = client.get(period_url(period))

    embed = reverse("public:period_embed", args=["tranas", period.slug])
    assert f'&lt;iframe src="http://testserver{embed}"' in response.content.decode()


def test_period_unpublished_is_not_found(client):
    period = factories.period("0687", is_published=False, title="Hemligt utkast")

    response = client.get(period_url(period))

    assert response.status_code == 404
    assert "Sidan finns inte" in response.content.decode()


@pytest.mark.parametrize("path", ["/kommuner/tranas/finns-inte/", "/kommuner/finns-inte/2023/"])
def test_period_unknown_slug_gives_friendly_404(client, path):
    factories.period("0687")

    response = client.get(path)

    assert response.status_code == 404
    assert "Vi hittar inte sidan du letar efter." in response.content.decode()


def test_period_escapes_user_text(client):
    period = factories.period("0687")
    factories.activity(period, description="<script>alert(1)</script>")

    response = client.get(period_url(period))

    text = response.content.decode()
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


@pytest.mark.parametrize("count", [1, 3])
def test_period_query_count_does_not_grow(count, client, django_assert_num_queries):
    period = factories.period_with_work("0687", activities=count, events=count)
    for activity in period.activities.all():
        factories.deviation(activity, date(2024, 1, 1))
        factories.signatory(period, factories.municipal_organisation("0687"))
        factories.situation_source(period)

    # period, promises, activities, organisations, signatories, sources, sums, deviations, events
    # + the data version (the ETag and cache key); no reports, amendments or documents query:
    # the period has none (its has_… annotations say so)
    with django_assert_num_queries(10):
        response = client.get(period_url(period))

    assert response.content.decode().count('class="activity"') == count


@pytest.mark.parametrize("count", [1, 3])
def test_period_with_monthly_counts_query_count_does_not_grow(
    count, client, django_assert_num_queries
):
    period = factories.period_with_work(
        "0687", activities=count, events=count, police_monthly_counts_only=True
    )

    # period, promises, activities, organisations, sums, deviations, events, monthly counts +
    # the data version (ETag, cache key); no signatories, sources, reports, amendments, documents
    with django_assert_num_queries(9):
        client.get(period_url(period))


# --- Activity ---------------------------------------------------------------------------------


def test_activity_shows_every_bucket(client):
    period = factories.period("0687")
    activity = factories.activity(period, target_quantity=4, cadence=Cadence.TERTIAL)
    factories.event(activity, date(2023, 2, 1), quantity=4)

    response = client.get(activity_url(activity))

    text = response.content.decode()
    for label in ["T1 2023", "T2 2023", "T3 2023", "T1 2024", "T2 2024", "T3 2024"]:
        assert f'<th scope="row">{label}</th>' in text
    assert "1 av 6 avslutade tertial uppnådda" in text


def test_activity_marks_the_bucket_of_today_and_none_after_the_period(client):
    running = factories.running_period("0687")
    monthly = factories.activity(running, target_quantity=2, cadence=Cadence.MONTH)
    ended = factories.activity(factories.period("0604"), target_quantity=2, cadence=Cadence.MONTH)
    this_month = timezone.localdate().strftime("%Y-%m")

    running_page = client.get(activity_url(monthly)).content.decode()
    ended_page = client.get(activity_url(ended)).content.decode()

    assert running_page.count('<tr class="current">') == 1
    row = running_page.split('<tr class="current">')[1].split("</tr>")[0]
    assert progress_for([monthly])[monthly.pk].todays_bucket.start.strftime("%Y-%m") == this_month
    assert progress_for([monthly])[monthly.pk].todays_bucket.label in row
    assert '<tr class="current">' not in ended_page


def test_activity_pages_events(client):
    period = factories.period("0687")
    activity = factories.activity(period)
    for day in range(1, 26):
        factories.event(activity, date(2024, 1, day), summary=f"Händelse {day}.")

    first = client.get(activity_url(activity))
    second = client.get(activity_url(activity), {"sida": "2"})

    assert "Händelse 25." in first.content.decode()
    assert "Händelse 5." not in first.content.decode()
    assert "Händelse 5." in second.content.decode()
    assert "25 registrerade händelser" in first.content.decode()


def test_activity_malformed_page_is_ignored_with_note(client):
    activity = factories.period_with_work("0687").activities.get()

    response = client.get(activity_url(activity), {"sida": "<x>"})

    assert response.status_code == 200
    assert "Sidan ”&lt;x&gt;” finns inte. Du ser första sidan i stället." in (
        response.content.decode()
    )


def test_activity_shows_corrections_log_with_public_changes_only(client):
    period = factories.period_with_work("0687", events=0, status=PeriodStatus.ADOPTED)
    activity = period.activities.get()
    editor = factories.user("redaktor-hemlig")
    event = factories.event(activity, date(2024, 2, 1), internal_note="Gammal intern")
    correct_event(
        event,
        by=editor,
        reason="Fel antal angavs.",
        quantity=2,
        internal_note="Ny intern",
        today=date(2024, 12, 1),
    )
    other = factories.event(activity, date(2024, 2, 2))
    retract_event(other, by=editor, reason="Dubbelregistrerad.", today=date(2024, 12, 1))

    response = client.get(activity_url(activity))

    text = response.content.decode()
    assert "Händelsen från 1 februari 2024 ändrades. Skäl: Fel antal angavs." in text
    assert "Antal: 1 → 2" in text
    assert "Händelsen från 2 februari 2024 återkallades. Skäl: Dubbelregistrerad." in text
    assert "Gammal intern" not in text
    assert "Ny intern" not in text
    assert "redaktor-hemlig" not in text


def test_activity_of_another_period_is_not_found(client):
    activity = factories.period_with_work("0687").activities.get()
    other = factories.period_with_work("0687")

    response = client.get(
        reverse("public:activity_detail", args=["tranas", other.slug, activity.pk])
    )

    assert response.status_code == 404


def test_activity_unknown_id_is_not_found(client):
    period = factories.period_with_work("0687")

    response = client.get(reverse("public:activity_detail", args=["tranas", period.slug, 999999]))

    assert response.status_code == 404
    assert "Sidan finns inte" in response.content.decode()


def test_activity_with_police_monthly_counts_hides_police_events_and_corrections(client):
    period = factories.period("0687", police_monthly_counts_only=True, status=PeriodStatus.ADOPTED)
    activity = factories.activity(period)
    event = factories.event(activity, date(2024, 5, 3), place="Hemlig plats")
    retract_event(event, by=factories.user(), reason="Hemligt skäl", today=date(2024, 5, 4))
    factories.event(activity, date(2024, 6, 3), place="Hemlig plats")

    response = client.get(activity_url(activity))

    text = response.content.decode()
    assert "Hemlig" not in text
    assert '<th scope="row">juni 2024</th><td class="num">1</td>' in text
    assert activity.responsible_organisations.get().kind == OrganisationKind.POLICE


@pytest.mark.parametrize("count", [1, 3])
def test_activity_query_count_does_not_grow(count, client, django_assert_num_queries):
    period = factories.period_with_work("0687", events=0, status=PeriodStatus.ADOPTED)
    activity = period.activities.get()
    for day in range(1, count + 1):
        event = factories.event(activity, date(2024, 1, day))
        correct_event(
            event, by=factories.user(), reason="Rättat.", quantity=2, today=date(2025, 1, 1)
        )
        factories.deviation(activity, date(2024, 1, 1))

    # activity, organisations, sums, events count and page, deviations, corrections (2) + the
    # data version (the ETag and cache key); no amendments query: the activity has no changes
    with django_assert_num_queries(9):
        response = client.get(activity_url(activity))

    assert response.content.decode().count('class="event"') == count


def test_activity_without_corrections_or_amendments_skips_their_queries(
    client, django_assert_num_queries
):
    period = factories.period_with_work("0687", events=3, status=PeriodStatus.ADOPTED)
    activity = period.activities.get()

    # activity (with has_corrections / has_amendment_changes), organisations, sums, events count
    # and page, deviations + the data version (the ETag and cache key)
    with django_assert_num_queries(7):
        response = client.get(activity_url(activity))

    assert response.content.decode().count('class="event"') == 3
    assert response.context["corrections"] == []
    assert response.context["amendment_changes"] == []


# --- Kommun -----------------------------------------------------------------------------------


def test_municipality_shows_current_period_first_and_archive_with_outcome(client):
    current = factories.period_with_work("0687", period_=factories.running_period())
    earlier = factories.period_with_work("0687", title="Medborgarlöfte 2021–2022")
    factories.period("0687", is_published=False, title="Hemligt utkast")

    response = client.get(reverse("public:municipality_detail", args=["tranas"]))

    text = response.content.decode()
    assert response.context["current"][0].period == current
    assert [o.period for o in response.context["earlier"]] == [earlier]
    assert text.index(current.title) < text.index("Medborgarlöfte 2021–2022")
    assert "0 av 1 aktivitet med mål uppnådd</p>" in text
    assert "Ej uppnått: <strong>1</strong>" in text
    assert "Hemligt utkast" not in text
    assert "Höglandet" in text  # its police area


def test_municipality_without_periods_says_so(client):
    response = client.get(reverse("public:municipality_detail", args=["aneby"]))

    assert "Aneby har inget medborgarlöfte publicerat här ännu." in response.content.decode()


def test_municipality_unknown_slug_is_friendly_404(client):
    response = client.get("/kommuner/<script>/")

    assert response.status_code == 404
    assert "<script>" not in response.content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_municipality_query_count_does_not_grow(count, client, django_assert_num_queries):
    for _ in range(count):
        factories.period_with_work("0687", activities=count, events=count)

    # kommun (with its latest events' cutoff day), police areas, periods, promises, activities,
    # sums, latest events + the data version (the ETag and cache key)
    with django_assert_num_queries(8):
        response = client.get(reverse("public:municipality_detail", args=["tranas"]))

    assert len(response.context["earlier"]) == count


def test_today_is_used_for_current_period(client):
    today = timezone.localdate()
    period = factories.period("0687", starts_on=today, ends_on=today)

    response = client.get(reverse("public:municipality_detail", args=["tranas"]))

    assert response.context["current"][0].period == period


@pytest.mark.parametrize(
    ("cadence", "english"),
    [
        (Cadence.YEAR, "1 of 2 ended years achieved"),
        (Cadence.TERTIAL, "1 of 6 ended four-month terms achieved"),
        (Cadence.MONTH, "1 of 24 ended months achieved"),
    ],
)
def test_ended_summary_is_translated(cadence, english):
    from django.utils import translation

    activity = factories.activity(factories.period("0687"), target_quantity=1, cadence=cadence)
    factories.event(activity, date(2023, 1, 5))
    progress = progress_for([activity])[activity.pk]

    with translation.override("en"):
        summary = progress.summary

    assert summary == english


def test_period_links_the_promise_pdf(client):
    period = factories.period_with_work("0687")

    response = client.get(period_url(period))

    pdf = reverse("documents:promise_pdf", args=["tranas", period.slug])
    assert f'<a href="{pdf}">Medborgarlöftet som PDF</a>' in response.content.decode()


def test_period_lists_published_reports_but_not_drafts(client, settings, tmp_path):
    from followup.models import ReportKind
    from followup.reports.services import create_report, publish_report

    settings.MEDIA_ROOT = tmp_path
    period = factories.period_with_work("0687")
    editor = factories.user()
    published = publish_report(
        create_report(period, by=editor, kind=ReportKind.YEAR, year=2023), by=editor
    )
    draft = create_report(period, by=editor, kind=ReportKind.YEAR, year=2024)

    response = client.get(period_url(period))

    text = response.content.decode()
    assert "Uppföljningsrapport 2023 (PDF)" in text
    assert reverse("reports:published_pdf", args=["tranas", period.slug, published.pk]) in text
    assert "Uppföljningsrapport 2024" not in text
    assert draft.pk != published.pk
