"""Issue 16's public polish: the index's status filter, /data/, the Excel CSV, dates, plurals,
the empty kommun page, police areas and the stylesheet's hyphenation and print rules."""

import csv
import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from followup.templatetags.progress import short_date
from municipalities.models import PoliceArea, PoliceAreaCoverage
from municipalities.reference import load_police_areas
from promises.models import Cadence, PeriodStatus, TargetKind
from tests import factories

pytestmark = pytest.mark.django_db


def names_listed(response):
    return [municipality.name for municipality in response.context["page"].object_list]


def milestone_period(code, *, done=False, overdue=False):
    """A running period with one milestone: done, overdue (Efter plan) or not yet due."""
    period = factories.running_period(code)
    today = timezone.localdate()
    activity = factories.activity(
        period,
        target_kind=TargetKind.MILESTONE,
        due_on=today - timedelta(days=1) if overdue else None,
    )
    if done:
        factories.event(activity, today)
    return period


# --- The index's status filter --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "expected"),
    [("behind", ["Tranås"]), ("on_track", ["Tranemo"]), ("achieved", ["Eksjö"])],
)
def test_index_status_filter_lists_kommuner_whose_current_period_has_that_status(
    client, status, expected
):
    milestone_period("0687", overdue=True)
    milestone_period("0686", done=True)
    milestone_period("1452")

    response = client.get(reverse("public:index"), {"status": status})

    assert names_listed(response) == expected
    assert f'<option value="{status}" selected>' in response.content.decode()


def test_index_status_filter_ignores_ongoing_work_and_unpublished_periods(client):
    ongoing = factories.running_period("0687")
    factories.activity(ongoing, target_kind=TargetKind.ONGOING)
    draft = factories.running_period("0686", is_published=False)
    factories.activity(draft, target_kind=TargetKind.MILESTONE, due_on=date(2000, 1, 1))

    responses = [
        client.get(reverse("public:index"), {"status": status})
        for status in ("behind", "on_track", "achieved")
    ]

    assert [names_listed(response) for response in responses] == [[], [], []]


def test_index_unknown_status_is_ignored_with_a_note(client):
    response = client.get(reverse("public:index"), {"status": "bra"})

    assert response.context["page"].paginator.count == 290
    assert "Vi hittade inte läget du valde" in response.content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_index_status_filter_query_count_does_not_grow(count, client, django_assert_num_queries):
    for code in ["0687", "0686", "1452"][:count]:
        factories.period_with_work(
            code, activities=count, events=count, period_=factories.running_period(code)
        )

    # the index's 9 + the filter's periods, their activities and the progress sums
    # (one event in January of a yearly target of 30: each kommun is behind)
    with django_assert_num_queries(12):
        response = client.get(reverse("public:index"), {"status": "behind"})

    assert len(names_listed(response)) == count


# --- /data/ and the Excel CSV ---------------------------------------------------------------------


def test_data_page_shows_the_address_pattern_with_its_placeholders(client):
    response = client.get(reverse("public:data"))

    text = response.content.decode()
    assert "<code>/kommuner/&lt;kortnamn&gt;/data/&lt;dataset&gt;.csv</code>" in text
    assert "/kommuner//data/.csv" not in text


def test_data_page_offers_the_semicolon_csv_for_excel(client):
    response = client.get(reverse("public:data"))

    text = response.content.decode()
    assert 'href="/data/aktiviteter-excel.csv"' in text
    assert "semikolon mellan fälten" in text


def test_excel_csv_is_the_csv_separated_by_semicolons_with_a_bom(client):
    factories.period_with_work("0687", activities=2, events=1)
    comma = client.get(reverse("public:download", args=["aktiviteter", "csv"]))
    comma_text = b"".join(comma.streaming_content).decode("utf-8")

    response = client.get(reverse("public:download", args=["aktiviteter-excel", "csv"]))

    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert rows == list(csv.reader(io.StringIO(comma_text.removeprefix("\ufeff"))))
    assert len(rows) == 3
    assert response["Content-Disposition"] == (
        'attachment; filename="medborgarloften-sverige-aktiviteter-excel.csv"'
    )


def test_excel_suffix_on_json_or_an_unknown_dataset_is_not_found(client):
    json_response = client.get(reverse("public:download", args=["aktiviteter-excel", "json"]))
    unknown = client.get(reverse("public:download", args=["okant-excel", "csv"]))

    assert (json_response.status_code, unknown.status_code) == (404, 404)


# --- Dates and plurals ----------------------------------------------------------------------------


def test_short_date_keeps_swedish_month_names_in_lower_case():
    with translation.override("sv"):
        swedish = short_date(date(2023, 5, 30))
    with translation.override("en"):
        english = short_date(date(2023, 5, 30))

    assert (swedish, english) == ("30 maj", "30 May")


def test_activity_page_shows_a_partial_bucket_with_lower_case_months(client):
    period = factories.period("0687", starts_on=date(2023, 5, 30), ends_on=date(2024, 12, 31))
    activity = factories.activity(period, cadence=Cadence.YEAR)

    response = client.get(
        reverse("public:activity_detail", args=["tranas", period.slug, activity.pk])
    )

    text = response.content.decode()
    assert "(30 maj–31 dec)" in text
    assert "Maj" not in text


def test_activity_page_uses_the_singular_for_a_target_of_one(client):
    period = factories.running_period("0687")
    activity = factories.activity(
        period,
        target_quantity=1,
        cadence=Cadence.PERIOD,
        unit_singular="krogkontroll",
        unit_plural="krogkontroller",
    )

    response = client.get(
        reverse("public:activity_detail", args=["tranas", period.slug, activity.pk])
    )

    text = response.content.decode()
    assert "0 av 1 krogkontroll under perioden" in text
    assert "av 1 krogkontroller" not in text


def test_staff_dashboard_uses_the_singular_for_a_target_of_one(client):
    period = factories.running_period("0687", status=PeriodStatus.ACTIVE)
    factories.activity(
        period,
        target_quantity=1,
        cadence=Cadence.PERIOD,
        unit_singular="krogkontroll",
        unit_plural="krogkontroller",
    )
    client.force_login(factories.member(factories.police_organisation()))

    response = client.get(reverse("staff:dashboard"))

    text = " ".join(response.content.decode().split())
    assert "0 av 1 krogkontroll under perioden" in text
    assert "av 1 krogkontroller" not in text


# --- An empty kommun page -------------------------------------------------------------------------


def test_empty_kommun_page_explains_medborgarlöften_and_links_police_area_and_neighbours(client):
    factories.period("1441")  # Lerum, same län as Ale, has a published period

    response = client.get(reverse("public:municipality_detail", args=["ale"]))

    text = response.content.decode()
    assert "Vad är ett medborgarlöfte?" in text
    assert "Lokalpolisområde Kungälv-Ale" in text
    assert "https://" not in text  # the portal links to no other site
    neighbours = response.context["neighbours"]
    assert neighbours[0].name == "Kungälv"
    assert neighbours[0].same_police_area
    assert [n.name for n in neighbours if n.has_promise] == ["Lerum"]
    assert 'href="/kommuner/kungalv/"' in text
    assert "Gällande medborgarlöfte" not in text


def test_kommun_page_with_a_period_has_no_empty_page_text(client):
    factories.running_period("0687")

    response = client.get(reverse("public:municipality_detail", args=["tranas"]))

    text = response.content.decode()
    assert "Gällande medborgarlöfte" in text
    assert "Vad är ett medborgarlöfte?" not in text


# --- Police areas ---------------------------------------------------------------------------------


def test_kommun_without_a_known_police_area_says_uppgift_saknas(client):
    response = client.get(reverse("public:municipality_detail", args=["ydre"]))

    text = response.content.decode()
    assert "<dt>Lokalpolisområde</dt><dd>uppgift saknas</dd>" in text
    assert "Inte känt" not in text


def test_extended_police_areas_are_loaded_with_confidence_and_source():
    coverage = PoliceAreaCoverage.objects.select_related("police_area").get(
        municipality__code="1784"
    )

    assert PoliceAreaCoverage.objects.values("municipality").distinct().count() == 260
    assert coverage.police_area.name == "Arvika"
    assert coverage.confidence == "secondary"
    assert coverage.source.startswith("https://arvikamagasinet.se/")


def test_police_area_loader_is_idempotent():
    from municipalities.models import Municipality, Organisation, PoliceRegion

    before = (PoliceArea.objects.count(), PoliceAreaCoverage.objects.count())

    load_police_areas(PoliceRegion, PoliceArea, PoliceAreaCoverage, Municipality, Organisation)

    assert (PoliceArea.objects.count(), PoliceAreaCoverage.objects.count()) == before


# --- The stylesheet -------------------------------------------------------------------------------

CSS = Path(settings.BASE_DIR) / "static" / "css" / "portal.css"


def test_stylesheet_hyphenates_main_text_and_prints_bars_as_text():
    css = CSS.read_text(encoding="utf-8")
    print_rules = css[css.index("@media print") :]

    assert "hyphens: auto;" in css
    assert "progress {\n    display: none !important;" in print_rules
