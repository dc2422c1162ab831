"""The tjänsteskrivelse as a PDF: header on every page, sections, att-clauses, Bilaga, tagging."""

import io
from datetime import date

import pdfplumber
import pytest
from django.db import transaction
from pdfminer.pdftypes import resolve1

from followup.demo import loader
from municipalities.models import Role
from promises.documents.builders import memo_data, render_memo_html, render_memo_pdf
from promises.documents.pdf import StaticFilesOnlyFetcher, stylesheet_url
from promises.memos.services import memo_defaults
from promises.models import Cadence, ClauseStyle, DecisionMemo, TargetKind
from tests import factories
from tests.pdf_tools import normalised, page_numbers, pages_text, pdf_facts

# Module-scoped fixtures read the database too: keep these with the other database tests.
pytestmark = pytest.mark.django_db

HEADINGS = [
    "Förvaltningens förslag till beslut",
    "Sammanfattning",
    "Beskrivning av ärendet",
    "Omvärldsanalys",
    "Samråd",
    "Ekonomi",
    "Uppföljning",
    "Beslutsunderlag",
    "Beslutet skickas till",
]
PROMISE_TEXTS = [
    "Öka den upplevda tryggheten i de centrala delarna av Tranås.",
    "Arbeta långsiktigt med trafikmiljön inom Tranås kommun.",
]
LONG_DESCRIPTION = "\n\n".join(
    f"Stycke {number}: Samverkan mellan polis och kommun är en nödvändighet för att det "
    "brottsförebyggande och trygghetsskapande arbetet ska kunna bedrivas effektivt. Löftena "
    "handlar om konkreta aktiviteter som kommunen och polisen tillsammans kommit överens om."
    for number in range(1, 13)
)


def _period_with_promises():
    period = factories.period(title="Medborgarlöfte 2023–2024", introduction="Inledning.")
    first = factories.promise(period, title=PROMISE_TEXTS[0])
    second = factories.promise(period, title=PROMISE_TEXTS[1], theme=None)
    police, kommun = factories.police_organisation(), factories.municipal_organisation()
    factories.activity(
        period,
        promise_=second,
        description="Polisen ska genomföra minst trettio (30) trafikkontroller per år.",
    )
    factories.activity(
        period,
        promise_=first,
        organisations=[kommun],
        target_kind=TargetKind.ONGOING,
        description="Kommunen ska genomföra informationssatsningar.",
    )
    factories.activity(
        period,
        organisations=[kommun, police],
        target_quantity=2,
        cadence=Cadence.TERTIAL,
        unit_singular="trygghetsvandring",
        unit_plural="trygghetsvandringar",
        description="Kommunen ska tillsammans med polisen genomföra trygghetsvandringar.",
    )
    return period


def _full_memo(period):
    return factories.decision_memo(
        period,
        proposal_heading="Förvaltningens förslag till beslut",
        clauses=[
            {
                "text": "anta följande medborgarlöften för åren 2023-2024:",
                "items": [
                    "öka den upplevda tryggheten i de centrala delarna av Tranås,",
                    "arbeta långsiktigt med en säker trafikmiljö inom Tranås kommun.",
                ],
            },
            {"text": "uppdra åt kommundirektören att följa upp löftena.", "items": []},
        ],
        summary="Tranås kommun och polisen formulerar tvååriga medborgarlöften.",
        description=LONG_DESCRIPTION,
        external_analysis="Polismyndigheten tecknar medborgarlöften med i princip alla kommuner.",
        consultation="Samråd har skett med kommunledningsgruppen, KLG, 2023-03-23",
        economy="Finansiering sker inom befintlig ram",
        follow_up="Ärendet följs upp per tertial.",
        basis=[
            {"text": "Tjänsteutlåtande kommunledningsförvaltningen", "date": "2023-03-24"},
            {"text": "Bilaga – medborgarlöften 2023-2024", "date": ""},
        ],
        distribution=["Diariet", "Säkerhetssamordnaren"],
        signatures=[
            {"name": "Pär Thudeen", "title": "Kommundirektör"},
            {"name": "Henrik Nilsson", "title": "Räddningschef"},
        ],
    )


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker):
    """One memo rendered once for the whole module (a render takes most of a second)."""
    with django_db_blocker.unblock(), transaction.atomic():
        data = memo_data(_full_memo(_period_with_promises()))
        transaction.set_rollback(True)
    pdf = render_memo_pdf(data)
    return data, pdf, pages_text(pdf)


def _memo_pages(pages):
    return [page for page in pages if "TJÄNSTESKRIVELSE" in page]


def _attachment_pages(pages):
    return [page for page in pages if "BILAGA" in page]


def test_memo_pdf_prints_the_header_block_on_every_memo_page(rendered):
    _, _, pages = rendered

    memo_pages = _memo_pages(pages)

    assert len(memo_pages) >= 2
    for page in memo_pages:
        for field in ("Tranås kommun", "Kommunledningsförvaltningen", "2023-03-24"):
            assert field in page
        assert "Diarienummer" in page
        assert "KS 2023/0042" in page


def test_memo_pdf_numbers_pages_through_memo_and_bilaga(rendered):
    _, _, pages = rendered
    memo_count = len(_memo_pages(pages))
    attachment_count = len(_attachment_pages(pages))

    numbers = page_numbers(pages)

    assert memo_count >= 2 and attachment_count >= 1
    assert memo_count + attachment_count == len(pages)
    assert numbers == [f"{n} ({len(pages)})" for n in range(1, len(pages) + 1)]


def test_memo_pdf_bilaga_header_carries_bilaga_1_and_the_diarienummer(rendered):
    _, _, pages = rendered

    attachment_pages = _attachment_pages(pages)

    for page in attachment_pages:
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        assert "BILAGA 1" in lines
        assert lines[lines.index("Diarienummer") + 1] == "KS 2023/0042"
        assert "TJÄNSTESKRIVELSE" not in page


def test_memo_pdf_prints_handlaggare_and_mottagare_on_the_first_page(rendered):
    _, _, pages = rendered

    first = pages[0]

    for text in (
        "Handläggare",
        "Martin Palmqvist",
        "Säkerhetssamordnare",
        "0140-683 13",
        "martin.palmqvist@tranås.se",
        "Mottagare",
        "Kommunstyrelsen",
    ):
        assert text in first


def test_memo_pdf_prints_every_section_heading_in_order(rendered):
    _, _, pages = rendered
    text = "\n".join(_memo_pages(pages))

    lines = [line.strip() for line in text.splitlines()]

    positions = [lines.index(heading) for heading in HEADINGS]
    assert positions == sorted(positions)


def test_memo_pdf_prints_the_att_clauses_with_their_items(rendered):
    _, _, pages = rendered

    text = normalised("\n".join(_memo_pages(pages)))

    assert "att anta följande medborgarlöften för åren 2023-2024:" in text
    assert "öka den upplevda tryggheten i de centrala delarna av Tranås," in text
    assert "arbeta långsiktigt med en säker trafikmiljö inom Tranås kommun." in text
    assert "att uppdra åt kommundirektören att följa upp löftena." in text


def test_memo_pdf_prints_beslutsunderlag_with_dates_recipients_and_signatures(rendered):
    _, _, pages = rendered

    text = normalised("\n".join(_memo_pages(pages)))

    assert "Tjänsteutlåtande kommunledningsförvaltningen 2023-03-24" in text
    assert "Bilaga – medborgarlöften 2023-2024" in text
    assert "Diariet Säkerhetssamordnaren" in text
    for name in ("Pär Thudeen", "Kommundirektör", "Henrik Nilsson", "Räddningschef"):
        assert name in text


def test_memo_pdf_attaches_the_promise_document_as_bilaga(rendered):
    _, _, pages = rendered

    text = normalised("\n".join(_attachment_pages(pages)))

    assert "Medborgarlöfte 2023–2024" in text
    for promise in PROMISE_TEXTS:
        assert promise in text
    assert "Polisen ska genomföra minst trettio (30) trafikkontroller per år." in text
    assert "Mål:" not in text


def _xmp_and_intents(pdf: bytes) -> tuple[str, list[dict]]:
    """The XMP metadata packet and the output intents of a PDF's catalog."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        catalog = document.doc.catalog
        xmp = resolve1(catalog["Metadata"]).get_data().decode("utf-8")
        intents = [resolve1(intent) for intent in resolve1(catalog.get("OutputIntents") or [])]
        profiles = [resolve1(intent["DestOutputProfile"]).get_data() for intent in intents]
    return xmp, [
        {"subtype": intent["S"].name, "profile_is_icc": profile[36:40] == b"acsp"}
        for intent, profile in zip(intents, profiles, strict=True)
    ]


def test_final_memo_pdf_is_archival_pdf_a_2u_and_still_tagged(rendered):
    _, pdf, _ = rendered

    xmp, intents = _xmp_and_intents(pdf)
    facts = pdf_facts(pdf)

    assert 'pdfaid:part="2"' in xmp
    assert 'pdfaid:conformance="U"' in xmp
    assert intents == [{"subtype": "GTS_PDFA1", "profile_is_icc": True}]
    assert (facts["lang"], facts["marked"], facts["has_structure"]) == ("sv", True, True)


def test_draft_memo_pdf_is_pdf_ua_1_and_not_archival():
    data = memo_data(factories.decision_memo())

    xmp, _ = _xmp_and_intents(render_memo_pdf(data, draft=True))

    assert "pdfuaid:part" in xmp
    assert "pdfaid:part" not in xmp


@pytest.fixture(scope="module")
def tranas_demo_memo(django_db_setup, django_db_blocker):
    """The Tranås memo and its period as the demo data hold them (seeds 000 and 001)."""
    with django_db_blocker.unblock(), transaction.atomic():
        loader._load_organisations()
        period = loader._load_period(loader.period_data("tranas-2023-2024"), date(2026, 5, 20))
        fields = loader.memo_fields("tranas-2023-2024") | {"reference": "KS 2023/0042"}
        data = memo_data(DecisionMemo.objects.create(period=period, version=1, **fields))
        transaction.set_rollback(True)
    return pages_text(render_memo_pdf(data))


def test_tranas_memo_bilaga_transcribes_the_periods_own_wording(tranas_demo_memo):
    text = normalised("\n".join(_attachment_pages(tranas_demo_memo)))

    for own in (
        "formulerar Tranås kommun och polisen tre stycken medborgarlöften",
        "Aktiviteter",
        "Polisen lovar att genomföra minst femton (15) riktade insatser",
        "Medborgarlöftena kommer att följas upp kontinuerligt och presenteras här.",
    ):
        assert own in text
    for foreign in ("gemensamt arbeta för", "Det ska vi åstadkomma", "Mål:", "Löfte 3"):
        assert foreign not in text


def test_tranas_memo_pages_run_through_into_the_bilaga(tranas_demo_memo):
    memo_count = len(_memo_pages(tranas_demo_memo))

    numbers = page_numbers(tranas_demo_memo)

    total = len(tranas_demo_memo)
    assert numbers[memo_count] == f"{memo_count + 1} ({total})"
    assert "BILAGA 1" in tranas_demo_memo[memo_count]


def test_memo_pdf_is_tagged_with_title_language_and_author(rendered):
    data, pdf, _ = rendered

    facts = pdf_facts(pdf)

    assert facts["title"] == f"Tjänsteskrivelse: {data['title']}"
    assert facts["author"] == "Tranås kommun, Kommunledningsförvaltningen"
    assert facts["lang"] == "sv"
    assert facts["marked"] is True
    assert facts["has_structure"] is True


def test_memo_pdf_embeds_the_shipped_liberation_sans(rendered):
    _, pdf, _ = rendered

    facts = pdf_facts(pdf)

    assert facts["fonts"] == {"Liberation-Sans", "Liberation-Sans-Bold"}


def test_memo_pdf_prints_swedish_characters_as_text(rendered):
    _, _, pages = rendered

    text = "\n".join(pages)

    for word in ("Förvaltningens", "Tranås", "Säkerhetssamordnaren", "Räddningschef", "Ärende"):
        assert word in text


@pytest.mark.django_db
def test_memo_pdf_prints_html_and_css_in_fields_as_text():
    period = factories.period()
    memo = factories.decision_memo(
        period,
        title="Löfte <b>fet</b> & mer",
        summary="</style><h1>Rubrik</h1><script>alert(1)</script>",
        signatures=[{"name": "<i>Namn</i>", "title": "Titel"}],
    )

    pages = pages_text(render_memo_pdf(memo_data(memo)))

    text = normalised("\n".join(pages))
    assert "Löfte <b>fet</b> & mer" in text
    assert "</style><h1>Rubrik</h1><script>alert(1)</script>" in text
    assert "<i>Namn</i>" in text


@pytest.mark.django_db
def test_memo_html_escapes_user_text():
    memo = factories.decision_memo(summary="<b>fet</b>")

    html = render_memo_html(memo_data(memo))

    assert "&lt;b&gt;fet&lt;/b&gt;" in html
    assert "<b>fet</b>" not in html


@pytest.mark.django_db
def test_memo_pdf_in_list_form_prints_the_lead_and_no_att():
    memo = factories.decision_memo(
        recipient="Kommunledningsutskott",
        proposal_lead="Kommunledningsutskottets förslag till kommunstyrelsen:",
        clause_style=ClauseStyle.LIST,
        clauses=[{"text": "Medborgarlöftet 2018 antas", "items": []}],
    )

    text = normalised("\n".join(pages_text(render_memo_pdf(memo_data(memo)))))

    assert (
        "Kommunledningsutskottets förslag till kommunstyrelsen: • Medborgarlöftet 2018 antas"
        in (text)
    )
    assert "att Medborgarlöftet" not in text


@pytest.mark.django_db
def test_memo_defaults_fill_the_att_clause_summary_and_description_from_the_period():
    period = factories.period(
        introduction="Kommunen och polisen lovar tillsammans.",
        situation_picture="Narkotika är ett problem.",
        follow_up_text="Följs upp per tertial.",
    )
    factories.promise(period, title="Öka den upplevda tryggheten i centrala Tranås.")
    factories.promise(period, title="Arbeta långsiktigt med trafikmiljön.")
    factories.situation_source(period, description="Trygghetsmätning 2022")
    editor = factories.member(factories.municipal_organisation(), Role.EDITOR)
    editor.first_name, editor.last_name, editor.email = "Karin", "Holm", "karin@example.org"

    defaults = memo_defaults(period, by=editor, today=date(2023, 3, 24))

    assert defaults["title"] == "Medborgarlöfte mellan polisen och Tranås kommun 2023-2024"
    assert defaults["clauses"] == [
        {
            "text": "anta följande medborgarlöften för åren 2023-2024:",
            "items": [
                "öka den upplevda tryggheten i centrala Tranås",
                "arbeta långsiktigt med trafikmiljön",
            ],
        }
    ]
    assert defaults["summary"] == "Kommunen och polisen lovar tillsammans."
    assert defaults["description"] == (
        "Narkotika är ett problem.\n\nLägesbilden bygger på: Trygghetsmätning 2022."
    )
    assert defaults["follow_up"] == "Följs upp per tertial."
    assert (defaults["officer_name"], defaults["officer_email"]) == (
        "Karin Holm",
        "karin@example.org",
    )
    assert defaults["recipient"] == "Kommunstyrelsen"


def test_fetcher_serves_our_static_files():
    fetcher = StaticFilesOnlyFetcher()

    response = fetcher.fetch(stylesheet_url("fonts/LiberationSans-Regular.ttf"))

    assert response.read(4) == b"\x00\x01\x00\x00"  # a TrueType font


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "https://example.org/static/css/documents.css",
        "http://dokument.invalid/static/css/documents.css",
        stylesheet_url("../../config/settings.py"),
        "https://dokument.invalid/media/memos/x.pdf",
        "data:text/plain,hej",
    ],
)
def test_fetcher_refuses_everything_else(url):
    fetcher = StaticFilesOnlyFetcher()

    with pytest.raises(ValueError):
        fetcher.fetch(url)
