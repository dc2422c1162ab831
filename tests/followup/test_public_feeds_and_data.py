import csv
import io
import json
import xml.etree.ElementTree as ET
from datetime import date

import pytest
from django.urls import reverse

from followup.public.opendata import DATASETS_BY_SLUG
from followup.services import retract_event
from promises.models import PeriodStatus
from tests import factories

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def atom(response):
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def body(response):
    return b"".join(response.streaming_content).decode("utf-8")


def csv_rows(response):
    text = body(response)
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


# --- Atom -------------------------------------------------------------------------------------


def test_feed_is_valid_atom_with_one_entry_per_standing_public_event(client):
    period = factories.period_with_work("0687", events=0, status=PeriodStatus.ADOPTED)
    activity = period.activities.get()
    kept = factories.event(activity, date(2024, 3, 1), summary="Kontroll vid torget.")
    retracted = factories.event(activity, date(2024, 3, 2), summary="Fel")
    retract_event(retracted, by=factories.user(), reason="Dubbel.", today=date(2024, 3, 3))
    hidden = factories.period_with_work("0604", is_published=False).activities.get()
    factories.event(hidden, date(2024, 3, 3), summary="Opublicerad")

    feed = atom(client.get(reverse("public:feed")))

    assert feed.tag == f"{ATOM}feed"
    assert feed.find(f"{ATOM}id").text == "tag:medborgarloften,2026:uppfoljningar"
    assert feed.find(f"{ATOM}updated").text
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 1
    entry = entries[0]
    assert entry.find(f"{ATOM}id").text == f"tag:medborgarloften,2026:handelse-{kept.pk}"
    assert entry.find(f"{ATOM}title").text == "Tranås: 1 trafikkontroll, 1 mars 2024"
    assert entry.find(f"{ATOM}updated").text.startswith(kept.logged_at.strftime("%Y-%m-%d"))
    assert entry.find(f"{ATOM}link").get("href").endswith(f"#handelse-{kept.pk}")
    assert "Kontroll vid torget." in entry.find(f"{ATOM}summary").text


def test_municipality_feed_has_only_that_kommun(client):
    tranas = factories.period_with_work("0687").activities.get()
    factories.period_with_work("0604")

    feed = atom(client.get(reverse("public:municipality_feed", args=["tranas"])))

    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text.split(":")[0] for e in entries] == ["Tranås"]
    assert entries[0].find(f"{ATOM}id").text.endswith(f"-{tranas.events.get().pk}")


def test_feed_leaves_out_police_events_of_monthly_count_periods(client):
    period = factories.period("0687", police_monthly_counts_only=True)
    kommun = factories.municipal_organisation("0687")
    activity = factories.activity(period, organisations=[factories.police_organisation(), kommun])
    factories.event(activity, date(2024, 3, 1), place="Hemlig plats")
    factories.event(activity, date(2024, 3, 2), organisation=kommun, place="Torget")

    response = client.get(reverse("public:feed"))

    text = response.content.decode()
    assert "Hemlig plats" not in text
    assert "Torget" in text


def test_feed_never_carries_internal_note(client):
    activity = factories.period_with_work("0687", events=0).activities.get()
    factories.event(activity, date(2024, 3, 1), internal_note="INTERN", by=factories.user("vem"))

    response = client.get(reverse("public:feed"))

    assert "INTERN" not in response.content.decode()
    assert ">vem<" not in response.content.decode()


def test_municipality_feed_unknown_kommun_is_404(client):
    response = client.get("/kommuner/finns-inte/uppfoljningar.atom")

    assert response.status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_feed_query_count_does_not_grow(count, client, django_assert_num_queries):
    for code in ["0687", "0604", "1452"][:count]:
        factories.period_with_work(code, activities=count, events=count)

    # events, amendments (issue 12; their changes only when there are some)
    # + the data version (the ETag and cache key)
    with django_assert_num_queries(3):
        response = client.get(reverse("public:feed"))

    assert len(atom(response).findall(f"{ATOM}entry")) == count**3


# --- Open data --------------------------------------------------------------------------------


def test_activities_csv_has_documented_columns_target_and_progress(client):
    period = factories.period_with_work("0687", events=0)
    activity = period.activities.get()
    factories.event(activity, date(2024, 3, 1), quantity=13)

    response = client.get(reverse("public:download", args=["aktiviteter", "csv"]))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "aktiviteter.csv" in response["Content-Disposition"]
    rows = csv_rows(response)
    assert list(rows[0]) == [field.name for field in DATASETS_BY_SLUG["aktiviteter"].fields]
    row = rows[0]
    assert row["aktivitet_id"] == str(activity.pk)
    assert row["kommun_kod"] == "0687"
    assert row["period"] == period.slug
    assert row["mal_i_ord"] == "minst 30 trafikkontroller per år"
    assert row["malvarde"] == "30"
    assert row["aktuellt_mal"] == "30"
    assert row["aktuellt_utfort"] == "13"
    assert row["status"] == "not_achieved"
    assert row["status_text"] == "Ej uppnått"
    assert row["ansvariga"] == "Lokalpolisområde Höglandet"
    assert row["demo"] == "false"


@pytest.mark.parametrize("dataset", sorted(DATASETS_BY_SLUG))
def test_every_dataset_csv_header_matches_the_data_page(client, dataset):
    factories.period_with_work("0687", police_monthly_counts_only=True)

    response = client.get(reverse("public:download", args=[dataset, "csv"]))
    page = client.get(reverse("public:data")).content.decode()

    header = next(csv.reader(io.StringIO(body(response).removeprefix("\ufeff"))))
    assert header == [field.name for field in DATASETS_BY_SLUG[dataset].fields]
    for name in header:
        assert f"<code>{name}</code>" in page


def test_events_data_has_public_fields_only_and_respects_monthly_counts(client):
    open_period = factories.period_with_work("0687", events=0)
    factories.event(
        open_period.activities.get(),
        date(2024, 3, 1),
        place="Torget",
        summary="Kontroll.",
        internal_note="INTERN",
    )
    secret = factories.period_with_work("0604", events=0, police_monthly_counts_only=True)
    factories.event(secret.activities.get(), date(2024, 3, 1), place="Hemlig plats", quantity=4)

    events = client.get(reverse("public:download", args=["handelser", "json"]))
    monthly = client.get(reverse("public:download", args=["manadsantal", "csv"]))

    data = json.loads(body(events))
    assert data["licens"] == "CC0-1.0"
    assert data["falt"] == [field.name for field in DATASETS_BY_SLUG["handelser"].fields]
    assert [(r["plats"], r["sammanfattning"]) for r in data["rader"]] == [("Torget", "Kontroll.")]
    assert "INTERN" not in body(client.get(reverse("public:download", args=["handelser", "csv"])))
    assert [(r["kommun_kod"], r["manad"], r["antal"]) for r in csv_rows(monthly)] == [
        ("0604", "2024-03", "4")
    ]


def test_municipality_download_has_only_that_kommun(client):
    factories.period_with_work("0687")
    factories.period_with_work("0604")

    response = client.get(
        reverse("public:municipality_download", args=["tranas", "perioder", "json"])
    )

    data = json.loads(body(response))
    assert data["kommun_kod"] == "0687"
    assert [row["kommun_kod"] for row in data["rader"]] == ["0687"]


def test_downloads_leave_out_unpublished_periods(client):
    factories.period_with_work("0687", is_published=False)

    response = client.get(reverse("public:download", args=["perioder", "csv"]))

    assert csv_rows(response) == []


@pytest.mark.parametrize(
    "path", ["/data/finns-inte.csv", "/data/perioder.xml", "/kommuner/finns-inte/data/perioder.csv"]
)
def test_download_unknown_dataset_format_or_kommun_is_404(client, path):
    response = client.get(path)

    assert response.status_code == 404


def test_data_page_documents_licence_and_identifiers(client):
    response = client.get(reverse("public:data"))

    text = response.content.decode()
    assert "Data publiceras under CC0 1.0" in text
    assert "kommunkoden hos SCB" in text
    assert "<code>aktivitet_id</code>" in text


def test_open_data_values_are_swedish_also_from_english_pages(client):
    factories.period_with_work("0687")

    response = client.get("/en/data/aktiviteter.csv")

    row = csv_rows(response)[0]
    assert row["mal_i_ord"] == "minst 30 trafikkontroller per år"
    assert row["status_text"] == "Ej uppnått"


def test_events_csv_neutralises_formulas_typed_by_staff(client):
    period = factories.period("0687")
    activity = factories.activity(period)
    factories.event(activity, date(2023, 3, 1), summary='=HYPERLINK("http://x")')

    response = client.get(reverse("public:download", args=["handelser", "csv"]))

    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert '\'=HYPERLINK(""http://x"")' in text
    assert ",=HYPERLINK" not in text
