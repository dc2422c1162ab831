"""The medborgarlöfte document: grouped activities, signatures, and its public PDF download."""

import io
from datetime import date

import pdfplumber
import pytest
from django.db import transaction
from django.urls import reverse
from pdfminer.pdftypes import resolve1

from followup.demo import loader
from municipalities.models import PoliceArea
from promises.documents.builders import (
    promise_document_data,
    render_promise_html,
    render_promise_pdf,
)
from promises.models import TargetKind
from tests import factories
from tests.pdf_tools import normalised, page_numbers, pages_text, pdf_facts

pytestmark = pytest.mark.django_db

POLICE_ACTIVITY = "Polisen ska genomföra minst trettio (30) trafikkontroller per år."
KOMMUN_ACTIVITY = "Kommunen ska genomföra informationssatsningar om langning."
JOINT_ACTIVITY = "Kommunen lovar att tillsammans med polisen genomföra krogkontroller."


def _signed_period():
    period = factories.period(
        municipality_code="0604",
        title="Medborgarlöfte 2023–2024",
        introduction="Aneby kommun och Polisen formulerar tre årliga medborgarlöften.",
        situation_picture="Narkotika är ett problem i Aneby.",
        follow_up_text="Medborgarlöftena följs upp kontinuerligt.",
        signed_place="Aneby",
        signed_on=date(2023, 5, 30),
        police_area=PoliceArea.objects.get(name="Höglandet"),
    )
    traffic = factories.promise(period, title="Arbeta långsiktigt med en säker trafikmiljö.")
    drugs = factories.promise(period, title="Öka upptäckten av narkotikabruk bland unga.")
    police, kommun = factories.police_organisation(), factories.municipal_organisation("0604")
    factories.activity(period, promise_=traffic, description=POLICE_ACTIVITY)
    factories.activity(
        period,
        promise_=drugs,
        organisations=[kommun],
        target_kind=TargetKind.ONGOING,
        description=KOMMUN_ACTIVITY,
    )
    factories.activity(
        period,
        organisations=[kommun, police],
        target_kind=TargetKind.MILESTONE,
        description=JOINT_ACTIVITY,
    )
    factories.signatory(period, kommun, name="Beata Allen", title="Kommunstyrelsens ordförande")
    factories.signatory(period, police, name="Mathias Ljung", title="Tf Lokalpolisområdeschef")
    return period


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        data = promise_document_data(_signed_period())
        transaction.set_rollback(True)
    pdf = render_promise_pdf(data)
    return data, pdf, pages_text(pdf)


def test_promise_document_lists_activities_in_the_periods_order(rendered):
    data, _, _ = rendered

    descriptions = [activity["description"] for activity in data["activities"]]

    assert descriptions == [POLICE_ACTIVITY, KOMMUN_ACTIVITY, JOINT_ACTIVITY]


def test_promise_pdf_prints_title_situation_promises_activities_and_follow_up(rendered):
    _, _, pages = rendered

    text = normalised("\n".join(pages))

    for expected in (
        "Medborgarlöfte 2023–2024",
        "Gäller 1 januari 2023 – 31 december 2024",
        "Lägesbild",
        "Narkotika är ett problem i Aneby.",
        "1. Arbeta långsiktigt med en säker trafikmiljö.",
        "2. Öka upptäckten av narkotikabruk bland unga.",
        POLICE_ACTIVITY,
        KOMMUN_ACTIVITY,
        JOINT_ACTIVITY,
        "Uppföljning",
        "Medborgarlöftena följs upp kontinuerligt.",
    ):
        assert expected in text


def test_promise_pdf_adds_no_stock_phrases_or_target_lines_by_default(rendered):
    _, _, pages = rendered

    text = normalised("\n".join(pages))

    for added in (
        "gemensamt arbeta för",
        "Det ska vi åstadkomma",
        "Mål:",
        "Löfte 1",
        "Ansvariga:",
        "Det här gör",
    ):
        assert added not in text


def test_promise_pdf_prints_target_lines_when_the_editor_asks_for_them():
    period = _signed_period()

    pages = pages_text(render_promise_pdf(promise_document_data(period, target_lines=True)))

    text = normalised("\n".join(pages))
    assert (
        "Mål: minst 30 trafikkontroller per år · Ansvariga: Lokalpolisområde Höglandet · Löfte 1"
        in text
    )


def test_promise_document_prints_a_heading_line_of_the_introduction_as_a_heading():
    period = factories.period(
        introduction="Aneby kommun och Polisen formulerar tre löften.\n\n"
        "Vad är ett medborgarlöfte\n\n"
        "Samverkan mellan polis och kommun är en nödvändighet.\n\n"
        "Löftena handlar om konkreta aktiviteter."
    )

    data = promise_document_data(period)

    assert data["introduction"] == ["Aneby kommun och Polisen formulerar tre löften."]
    assert data["introduction_sections"] == [
        {
            "heading": "Vad är ett medborgarlöfte",
            "paragraphs": [
                "Samverkan mellan polis och kommun är en nödvändighet.",
                "Löftena handlar om konkreta aktiviteter.",
            ],
        }
    ]
    assert "<h2>Vad är ett medborgarlöfte</h2>" in render_promise_html(data)


def test_promise_document_shows_a_signing_partner_as_a_party():
    period = factories.period(municipality_code="1452")
    partner = factories.partner_organisation("Tranemobostäder")
    period.partners.add(partner)

    data = promise_document_data(period)
    text = normalised("\n".join(pages_text(render_promise_pdf(data))))

    assert data["blank_signature_parties"] == ["Tranemo kommun", "Polisen", "Tranemobostäder"]
    assert "Mellan polisen, Tranemo kommun och Tranemobostäder" in text
    assert "Namnförtydligande Tranemobostäder" in text


def test_promise_document_gives_a_partner_without_a_named_signatory_its_own_line():
    period = _signed_period()
    period.partners.add(factories.partner_organisation("Anebybostäder"))

    data = promise_document_data(period)

    assert [s["name"] for s in data["signatories"]] == ["Beata Allen", "Mathias Ljung"]
    assert data["blank_signature_parties"] == ["Anebybostäder"]


def _pdfplumber_pages(pdf: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return [normalised(page.extract_text() or "") for page in document.pages]


@pytest.fixture(scope="module")
def aneby_demo_data(django_db_setup, django_db_blocker):
    """The Aneby promise of the demo data (seed 002), with and without target lines."""
    with django_db_blocker.unblock(), transaction.atomic():
        loader._load_organisations()
        period = loader._load_period(loader.period_data("aneby-2023-2024"), date(2026, 5, 20))
        data = promise_document_data(period), promise_document_data(period, target_lines=True)
        transaction.set_rollback(True)
    return data


@pytest.fixture(scope="module")
def aneby_demo_pages(aneby_demo_data):
    return _pdfplumber_pages(render_promise_pdf(aneby_demo_data[0]))


def _signature_page(pages):
    return next(page for page in pages if "Beata Allen" in page)


def test_aneby_promise_pdf_keeps_the_signatures_with_the_text_before_them(aneby_demo_pages):
    signature_page = _signature_page(aneby_demo_pages)

    before_signatures = signature_page.split("Aneby, 2023-05-30")[0]

    assert "presenteras på polisens webbplats, polisen.se." in before_signatures
    assert "Mathias Ljung" in signature_page


def test_aneby_promise_pdf_with_target_lines_carries_the_follow_up_to_the_signatures(
    aneby_demo_data,
):
    # With target lines the text ends near a page's foot, where the signatures alone used to
    # be pushed onto a page of their own.
    pages = _pdfplumber_pages(render_promise_pdf(aneby_demo_data[1]))

    before_signatures = _signature_page(pages).split("Aneby, 2023-05-30")[0]

    assert len(pages) == 3
    assert "Uppföljning Medborgarlöftena kommer att följas upp kontinuerligt" in before_signatures


def test_aneby_promise_pdf_transcribes_the_seeds_wording_and_headings(aneby_demo_pages):
    text = " ".join(aneby_demo_pages)

    assert "Vad är ett medborgarlöfte Samverkan mellan polis och kommun" in text
    assert "Kommunen ska aktivt arbeta för en hög skolnärvaro." in text
    assert "Det ska vi åstadkomma" not in text
    assert "Mål:" not in text


def test_promise_pdf_ends_with_place_date_and_signatures(rendered):
    _, _, pages = rendered

    last = normalised(pages[-1])

    assert "Aneby, 2023-05-30" in last
    for expected in (
        "Beata Allen",
        "Kommunstyrelsens ordförande",
        "Aneby kommun",
        "Mathias Ljung",
        "Tf Lokalpolisområdeschef",
    ):
        assert expected in last


def test_promise_pdf_numbers_every_page_and_is_tagged(rendered):
    _, pdf, pages = rendered

    facts = pdf_facts(pdf)

    assert page_numbers(pages) == [f"{n} ({len(pages)})" for n in range(1, len(pages) + 1)]
    assert facts["title"] == "Medborgarlöfte 2023–2024 – Aneby kommun"
    assert (facts["lang"], facts["marked"], facts["has_structure"]) == ("sv", True, True)
    assert facts["author"] == "Aneby kommun, Lokalpolisområde Höglandet"


def test_signed_promise_pdf_is_archival_pdf_a_2u(rendered):
    _, pdf, _ = rendered

    with pdfplumber.open(io.BytesIO(pdf)) as document:
        catalog = document.doc.catalog
        xmp = resolve1(catalog["Metadata"]).get_data().decode("utf-8")
        intents = [resolve1(intent)["S"].name for intent in resolve1(catalog["OutputIntents"])]

    assert 'pdfaid:part="2"' in xmp
    assert 'pdfaid:conformance="U"' in xmp
    assert intents == ["GTS_PDFA1"]


def test_promise_document_without_signatories_has_blank_lines_for_each_party():
    period = factories.period()

    data = promise_document_data(period)

    assert data["signatories"] == []
    assert data["blank_signature_parties"] == ["Tranås kommun", "Polisen"]


def test_public_promise_pdf_downloads_a_published_period(client):
    period = factories.period(title="Medborgarlöfte 2023–2024")
    factories.promise(period, title="Öka den upplevda tryggheten i centrala Tranås.")
    url = reverse(
        "documents:promise_pdf",
        kwargs={"municipality_slug": "tranas", "period_slug": period.slug},
    )

    response = client.get(url)

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="medborgarlofte-tranas-{period.slug}.pdf"'
    )
    assert "Öka den upplevda tryggheten i centrala Tranås." in normalised(
        " ".join(pages_text(b"".join(response.streaming_content)))
    )


def test_public_promise_pdf_is_404_for_an_unpublished_period(client):
    period = factories.period(is_published=False)

    response = client.get(
        reverse(
            "documents:promise_pdf",
            kwargs={"municipality_slug": "tranas", "period_slug": period.slug},
        )
    )

    assert response.status_code == 404


def test_public_promise_pdf_is_404_under_another_kommun(client):
    period = factories.period()

    response = client.get(
        reverse(
            "documents:promise_pdf",
            kwargs={"municipality_slug": "aneby", "period_slug": period.slug},
        )
    )

    assert response.status_code == 404
