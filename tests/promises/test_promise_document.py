"""The medborgarlöfte document: grouped activities, signatures, and its public PDF download."""

from datetime import date

import pytest
from django.db import transaction
from django.urls import reverse

from municipalities.models import PoliceArea
from promises.documents.builders import POLICE, TOGETHER, promise_document_data, render_promise_pdf
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


def test_promise_document_groups_activities_by_who_does_them(rendered):
    data, _, _ = rendered

    groups = {
        group["heading"]: [a["description"] for a in group["activities"]]
        for group in data["groups"]
    }

    assert groups == {
        "Det här gör polisen": [POLICE_ACTIVITY],
        "Det här gör kommunen": [KOMMUN_ACTIVITY],
        "Det här gör vi tillsammans": [JOINT_ACTIVITY],
    }
    assert [group["key"] for group in data["groups"]][0] == POLICE
    assert data["groups"][-1]["key"] == TOGETHER


def test_promise_pdf_prints_title_situation_promises_activities_and_follow_up(rendered):
    _, _, pages = rendered

    text = normalised("\n".join(pages))

    for expected in (
        "Medborgarlöfte 2023–2024",
        "Gäller 1 januari 2023 – 31 december 2024",
        "Lägesbild",
        "Narkotika är ett problem i Aneby.",
        "Polisen och kommunen lovar att gemensamt arbeta för:",
        "1. Arbeta långsiktigt med en säker trafikmiljö.",
        "2. Öka upptäckten av narkotikabruk bland unga.",
        POLICE_ACTIVITY,
        "Mål: minst 30 trafikkontroller per år",
        KOMMUN_ACTIVITY,
        JOINT_ACTIVITY,
        "Uppföljning",
        "Medborgarlöftena följs upp kontinuerligt.",
    ):
        assert expected in text


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
