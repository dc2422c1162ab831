"""Onboarding an existing medborgarlöfte: paste or upload, review beside the source, create."""

import html
import io
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from weasyprint import HTML

from municipalities.models import Organisation, OrganisationKind, Role
from promises.models import Activity, PeriodStatus, Promise, PromisePeriod, Signatory, TargetKind
from promises.onboarding.evidence import highlight
from promises.onboarding.services import (
    Draft,
    DraftActivity,
    DraftRefused,
    create_draft,
)
from promises.parsing import Field
from tests import factories

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).parent / "parsing" / "corpus"
START = reverse("onboarding:start")


def _corpus(name):
    return (CORPUS / f"{name}.txt").read_text(encoding="utf-8")


class _FormValues(HTMLParser):
    """What a browser would submit from the review form: every field's current value."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, list[str]] = {}
        self._select = self._textarea = None
        self._first_option = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name", "")
        if tag == "input" and re.match(r"(period|promises|activities|signatories)-", name):
            if a.get("type") != "checkbox":
                self.values.setdefault(name, []).append(a.get("value", ""))
            elif "checked" in a:
                self.values.setdefault(name, []).append(a.get("value", "on"))
        elif tag == "select":
            self._select, self._first_option = name, None
        elif tag == "option" and self._select:
            if self._first_option is None:
                self._first_option = a.get("value", "")
            if "selected" in a:
                self.values.setdefault(self._select, []).append(a.get("value", ""))
        elif tag == "textarea":
            self._textarea = name
            self.values[name] = [""]

    def handle_endtag(self, tag):
        if tag == "select":
            if self._select not in self.values:
                self.values[self._select] = [self._first_option or ""]
            self._select = None
        elif tag == "textarea":
            # Browsers drop the newline right after <textarea>.
            self.values[self._textarea] = [self.values[self._textarea][0].removeprefix("\n")]
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea][0] += data


def form_values(response) -> dict[str, list[str]]:
    parser = _FormValues()
    parser.feed(response.content.decode())
    return parser.values


def start(client, municipality_code="0687", **data):
    kommun = factories.municipality(municipality_code)
    return client.post(START, {"municipality": kommun.pk, **data})


def reviewed(client, text, municipality_code="0687"):
    """Paste the text and open its review page."""
    response = start(client, municipality_code, text=text)
    assert response.status_code == 302, response.content.decode()[:2000]
    return response.url, client.get(response.url)


def seed_as_pdf(name: str) -> bytes:
    """The seed text saved as a PDF: paragraphs, and its "- " lines as a list."""
    parts, items = ['<meta charset="utf-8">'], []
    for line in _corpus(name).splitlines():
        text = html.escape(line.strip().replace("**", ""))
        if text.startswith("- "):
            items.append(f"<li>{text[2:]}</li>")
            continue
        if items:
            parts.append("<ul>" + "".join(items) + "</ul>")
            items = []
        if text:
            parts.append(f"<p>{text}</p>")
    if items:
        parts.append("<ul>" + "".join(items) + "</ul>")
    return HTML(string="\n".join(parts)).write_pdf()


def targets(period):
    return [
        (a.target_kind, a.target_quantity, a.unit_singular, a.unit_plural, a.cadence)
        for a in period.activities.order_by("position")
    ]


@pytest.fixture
def aneby_editor(db):
    return factories.member(factories.municipal_organisation("0604"), Role.EDITOR, "aneby")


# --- the whole way through ---------------------------------------------------------------------


def test_period_create_page_links_to_starting_from_a_text(client, coordinator):
    client.force_login(coordinator)

    response = client.get(reverse("promises:period_create"))

    assert f'href="{START}"' in response.content.decode()


def test_onboarding_tranas_text_creates_the_draft_with_its_six_activities(client, coordinator):
    client.force_login(coordinator)
    url, page = reviewed(client, _corpus("tranas-2023-2024"))
    values = form_values(page)
    values["activities-1-cadence"] = ["year"]  # the editor corrects one field

    response = client.post(url, values)

    period = PromisePeriod.objects.get()
    assert response.url == reverse("promises:period_detail", args=[period.pk])
    assert (period.municipality.name, period.status, period.title, period.slug) == (
        "Tranås",
        PeriodStatus.DRAFT,
        "Medborgarlöfte 2023–2024",
        "2023-2024",
    )
    assert (period.starts_on, period.ends_on) == (date(2023, 1, 1), date(2024, 12, 31))
    assert targets(period) == [
        (TargetKind.COUNT, 30, "trafikkontroll", "trafikkontroller", "year"),
        (TargetKind.COUNT, 15, "riktad insats", "riktade insatser", "year"),
        (TargetKind.ONGOING, None, "", "", ""),
        (TargetKind.ONGOING, None, "", "", ""),
        (TargetKind.ONGOING, None, "", "", ""),
        (TargetKind.ONGOING, None, "", "", ""),
    ]
    first = period.activities.get(position=1)
    assert first.description == (
        "Polisen ska i kommunen, i syfte att bidra till en säker trafikmiljö, genomföra minst "
        "trettio (30) trafikkontroller per år."
    )
    assert [o.name for o in first.responsible_organisations.all()] == ["Lokalpolisområde Höglandet"]
    krog = period.activities.get(position=4)
    assert sorted(o.name for o in krog.responsible_organisations.all()) == [
        "Lokalpolisområde Höglandet",
        "Tranås kommun",
    ]
    assert [p.title for p in period.promises.order_by("position")] == [
        "Att öka upptäckten av narkotikabrott, främst bland personer i åldern 21 år och yngre, "
        "med syfte att minska bruket av narkotika.",
        "Öka den upplevda tryggheten i de centrala delarna av Tranås.",
        "Arbeta långsiktigt med trafikmiljön inom Tranås kommun.",
    ]
    assert period.police_area.name == "Höglandet"


def test_onboarding_aneby_seed_as_pdf_creates_the_draft_with_signatories(client, aneby_editor):
    client.force_login(aneby_editor)
    kommun = factories.municipality("0604")
    upload = SimpleUploadedFile("aneby.pdf", seed_as_pdf("aneby-2023-2024"), "application/pdf")
    response = client.post(START, {"municipality": kommun.pk, "file": upload})
    page = client.get(response.url)
    values = form_values(page)
    values["promises-0-title"] = ["Öka polisens tillgänglighet och service."]

    response = client.post(response.url, values)

    period = PromisePeriod.objects.get(municipality=kommun)
    assert response.url == reverse("promises:period_detail", args=[period.pk])
    assert targets(period) == [
        (TargetKind.ONGOING, None, "", "", ""),
        (TargetKind.MILESTONE, None, "", "", ""),
        (TargetKind.ONGOING, None, "", "", ""),
        (TargetKind.COUNT, 10, "riktad insats", "riktade insatser", "year"),
        (TargetKind.ONGOING, None, "", "", ""),
        (TargetKind.COUNT, 2, "trygghetsvandring", "trygghetsvandringar", "year"),
        (TargetKind.ONGOING, None, "", "", ""),
        (TargetKind.ONGOING, None, "", "", ""),
        (TargetKind.ONGOING, None, "", "", ""),
        (TargetKind.COUNT, 4, "samverkansmöte", "samverkansmöten", "year"),
    ]
    assert period.promises.get(position=1).title == "Öka polisens tillgänglighet och service."
    assert [
        (s.name, s.title, s.organisation.name) for s in period.signatories.order_by("position")
    ] == [
        ("Beata Allen", "Kommunstyrelsens ordförande", "Aneby kommun"),
        ("Mathias Ljung", "Tf Lokalpolisområdeschef", "Lokalpolisområde Höglandet"),
    ]
    assert (period.signed_on, period.signed_place) == (date(2023, 5, 30), "Aneby")


def test_onboarding_tranemo_creates_its_partner_and_police_once(client):
    editor = factories.member(factories.municipal_organisation("1452"), Role.EDITOR, "tranemo")
    client.force_login(editor)
    url, page = reviewed(client, _corpus("tranemo-2021-2022"), "1452")

    client.post(url, form_values(page))

    period = PromisePeriod.objects.get(municipality__code="1452")
    partner = Organisation.objects.get(kind=OrganisationKind.PARTNER, name="Tranemobostäder")
    assert partner.municipality.code == "1452"
    assert list(period.partners.all()) == [partner]
    assert sorted(o.kind for o in period.activities.get().responsible_organisations.all()) == [
        "municipality",
        "partner",
        "police",
    ]
    police = Organisation.objects.get(kind=OrganisationKind.POLICE, municipality__code="1452")
    assert police.name == "Polisen i Tranemo"


def test_onboarding_reuses_an_existing_partner_by_name(client):
    existing = factories.partner_organisation("Tranemobostäder", "1452")
    editor = factories.member(factories.municipal_organisation("1452"), Role.EDITOR, "tranemo")
    client.force_login(editor)
    url, page = reviewed(client, _corpus("tranemo-2021-2022"), "1452")

    client.post(url, form_values(page))

    period = PromisePeriod.objects.get(municipality__code="1452")
    assert list(period.partners.all()) == [existing]
    assert Organisation.objects.filter(kind=OrganisationKind.PARTNER).count() == 1


# --- the review page ---------------------------------------------------------------------------


def test_review_shows_each_field_beside_its_source_with_the_words_marked(client, coordinator):
    client.force_login(coordinator)

    _url, page = reviewed(client, _corpus("tranas-2023-2024"))

    content = page.content.decode()
    assert (
        "Polisen ska i kommunen, i syfte att bidra till en säker trafikmiljö, genomföra minst "
        "<mark>trettio (30)</mark> trafikkontroller per år." in content
    )
    assert "genomföra minst trettio (30) trafikkontroller <mark>per år</mark>." in content
    # "15 riktade insatser" names no time frame: the default cadence has no source to show.
    assert re.search(
        r'id="id_activities-1-cadence".*?</td>\s*<td><span class="muted">Inte angivet i texten',
        content,
        re.S,
    )
    assert PromisePeriod.objects.count() == 0


def test_review_shows_the_quality_hints(client, coordinator):
    client.force_login(coordinator)

    _url, page = reviewed(client, _corpus("tranas-2023-2024"))

    content = page.content.decode()
    assert content.count("Inte mätbar – lägg till ett antal?") == 4
    assert content.count("Antal utan tidsram") == 1
    assert content.count("Löfte utan aktiviteter") == 3


def test_review_flags_fields_the_parser_is_unsure_of(client, coordinator):
    client.force_login(coordinator)

    _url, page = reviewed(client, _corpus("tranas-2023-2024"))

    # Only the last activity's owners ("Återkommande samverkansmöten mellan kommunen och
    # polisen") are a guess.
    content = page.content.decode()
    assert content.count("Kontrollera</span>") == 1
    flagged = content.index("Kontrollera</span>")
    assert content.rindex("<legend>", 0, flagged) == content.index("<legend>Aktivitet 6</legend>")


def test_review_hint_goes_when_the_editor_links_an_activity_to_the_promise(client, coordinator):
    client.force_login(coordinator)
    url, page = reviewed(client, _corpus("tranas-2023-2024"))
    values = form_values(page)
    values["activities-0-promise"] = ["2"]
    values["activities-0-description"] = [""]  # an error keeps the review page open

    response = client.post(url, values)

    assert response.content.decode().count("Löfte utan aktiviteter") == 2


def test_highlight_escapes_the_text_around_and_inside_the_mark():
    text = 'Före. Polisen <b>ska</b> göra "fem" & mer. Efter.'
    field = Field(5, sentence_span=(6, 42), span=(30, 35))

    result = highlight(text, field)

    assert result == ("Polisen &lt;b&gt;ska&lt;/b&gt; göra <mark>&quot;fem&quot;</mark> &amp; mer.")


def test_review_escapes_html_in_the_pasted_text(client, coordinator):
    client.force_login(coordinator)
    text = (
        "Medborgarlöfte 2025\n\nPolisen lovar att:\n"
        "- genomföra minst 5 <script>alert(1)</script> kontroller per år\n"
    )

    _url, page = reviewed(client, text)

    content = page.content.decode()
    assert "<script>alert(1)" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert "<mark>5</mark>" in content


# --- bad input ---------------------------------------------------------------------------------


def _scanned_pdf():
    return HTML(
        string='<div style="width: 15cm; height: 20cm; background: #888"></div>'
    ).write_pdf()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": "   "}, "Klistra in texten eller välj en fil att ladda upp."),
        ({"file": ("tom.pdf", b"")}, "Filen är tom."),
        ({"file": ("loften.xlsx", b"PK\x03\x04 not a promise")}, "Filtypen stöds inte."),
        ({"file": ("inskannad.pdf", None)}, "bara bilder"),
        ({"file": ("trasig.docx", b"not a zip file")}, "Word-filen kunde inte läsas."),
        ({"text": "Polisen lovar.", "file": ("a.txt", b"Text")}, "inte båda"),
    ],
    ids=["empty-text", "empty-file", "wrong-type", "scanned-pdf", "broken-docx", "both"],
)
def test_start_refuses_bad_input_with_a_swedish_message(client, coordinator, data, message):
    client.force_login(coordinator)
    if "file" in data:
        name, content = data["file"]
        data["file"] = SimpleUploadedFile(name, _scanned_pdf() if content is None else content)

    response = start(client, **data)

    assert response.status_code == 200
    assert message in html.unescape(response.content.decode())
    assert 'class="errorlist"' in response.content.decode()
    assert "onboarding_sources" not in client.session


def test_start_refuses_a_file_over_five_megabytes(client, coordinator):
    client.force_login(coordinator)
    upload = SimpleUploadedFile("stor.txt", b"Polisen lovar. " * 400_000)

    response = start(client, file=upload)

    assert "Filen är för stor. Största tillåtna storlek är 5 MB." in response.content.decode()


def test_review_refuses_an_invalid_activity_and_creates_nothing(client, coordinator):
    client.force_login(coordinator)
    url, page = reviewed(client, _corpus("tranas-2023-2024"))
    values = form_values(page)
    values["activities-0-target_quantity"] = [""]
    organisations = Organisation.objects.count()

    response = client.post(url, values)

    content = response.content.decode()
    assert response.status_code == 200
    assert "Utkastet är inte skapat." in content
    assert re.search(r'id="id_activities-0-target_quantity_error"><li>Ange målvärdet', content)
    assert (PromisePeriod.objects.count(), Promise.objects.count(), Activity.objects.count()) == (
        0,
        0,
        0,
    )
    assert Organisation.objects.count() == organisations


def test_review_shows_a_service_refusal_next_to_the_field(client, coordinator):
    factories.period("0687", slug="2023-2024")
    client.force_login(coordinator)
    url, page = reviewed(client, _corpus("tranas-2023-2024"))

    response = client.post(url, form_values(page))

    assert re.search(
        r'id="id_period-slug_error"><li>Tranås har redan ett medborgarlöfte med adressen',
        response.content.decode(),
    )
    assert PromisePeriod.objects.count() == 1


def test_review_refuses_a_tampered_owner_without_a_500(client, coordinator):
    client.force_login(coordinator)
    url, page = reviewed(client, _corpus("tranas-2023-2024"))
    values = form_values(page)
    values["activities-2-owners"] = ["partner:<b>Hackers</b>"]

    response = client.post(url, values)

    assert response.status_code == 200
    assert re.search(
        r'id="id_activities-2-owners_error"><li>Välj ett giltigt', response.content.decode()
    )
    assert PromisePeriod.objects.count() == 0


def test_create_draft_rolls_back_everything_when_one_activity_is_refused(coordinator):
    kommun = factories.municipality("0687")
    draft = Draft(
        period={
            "title": "Medborgarlöfte 2025",
            "slug": "2025",
            "starts_on": date(2025, 1, 1),
            "ends_on": date(2025, 12, 31),
        },
        promises=["Trygg trafik"],
        activities=[
            DraftActivity("Tranåsbostäder ska städa.", ["partner:Tranåsbostäder"], "ongoing", 0),
            # A count without a unit: refused by promises.services.save_activity.
            DraftActivity(
                "Polisen ska kontrollera.",
                ["police"],
                "count",
                0,
                target_quantity=3,
                cadence="year",
            ),
        ],
    )

    with pytest.raises(DraftRefused) as refused:
        create_draft(kommun, by=coordinator, draft=draft)

    assert list(refused.value.errors) == [("activities", 1)]
    assert "unit_plural" in refused.value.errors[("activities", 1)].message_dict
    assert (PromisePeriod.objects.count(), Promise.objects.count(), Activity.objects.count()) == (
        0,
        0,
        0,
    )
    assert not Organisation.objects.filter(name="Tranåsbostäder").exists()
    assert Signatory.objects.count() == 0


def test_review_of_a_forgotten_text_goes_back_to_the_start(client, coordinator):
    client.force_login(coordinator)

    response = client.get(reverse("onboarding:review", args=["finns-inte"]))

    assert response.url == START


# --- permissions -------------------------------------------------------------------------------


def test_start_is_403_for_a_viewer(client, viewer):
    client.force_login(viewer)

    response = client.get(START)

    assert response.status_code == 403


def test_start_is_403_for_a_reporter(client, police_reporter):
    client.force_login(police_reporter)

    response = client.get(START)

    assert response.status_code == 403


def test_start_sends_an_anonymous_visitor_to_the_login(client):
    response = client.get(START)

    assert response.url.startswith(reverse("site:login"))


def test_start_is_404_for_a_kommun_the_editor_does_not_cover(client, outsider):
    client.force_login(outsider)

    response = start(client, "0687", text=_corpus("tranas-2023-2024"))

    assert response.status_code == 404
    assert "onboarding_sources" not in client.session


def test_start_is_403_for_a_kommun_the_editor_only_reads(client, aneby_editor):
    from municipalities.models import Membership

    Membership.objects.create(
        user=aneby_editor, organisation=factories.municipal_organisation("0687"), role=Role.VIEWER
    )
    client.force_login(aneby_editor)

    response = start(client, "0687", text=_corpus("tranas-2023-2024"))

    assert response.status_code == 403


def test_start_offers_only_the_kommuner_the_editor_edits(client, aneby_editor):
    client.force_login(aneby_editor)

    response = client.get(START)

    field = response.context["form"].fields["municipality"]
    assert [m.name for m in field.queryset] == ["Aneby"]


def test_review_is_404_once_the_editor_no_longer_covers_the_kommun(client, coordinator):
    client.force_login(coordinator)
    url, _page = reviewed(client, _corpus("tranas-2023-2024"))
    coordinator.memberships.update(organisation=factories.municipal_organisation("0138"))

    response = client.get(url)

    assert response.status_code == 404


def test_review_post_without_csrf_token_is_refused(coordinator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    kommun = factories.municipality("0687")

    response = client.post(START, {"municipality": kommun.pk, "text": "Polisen lovar."})

    assert response.status_code == 403
    assert "onboarding_sources" not in client.session


def test_onboarding_reads_a_docx_upload(client, coordinator):
    from docx import Document

    document = Document()
    document.add_paragraph("Medborgarlöfte 2025", style="Heading 1")
    document.add_paragraph("Polisen lovar att:")
    document.add_paragraph("genomföra minst en trafikkontroll per vecka", style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)
    client.force_login(coordinator)

    response = start(client, file=SimpleUploadedFile("loften.docx", buffer.getvalue()))
    page = client.get(response.url)

    values = form_values(page)
    assert values["activities-0-description"] == ["genomföra minst en trafikkontroll per vecka"]
    assert (values["activities-0-target_quantity"], values["activities-0-cadence"]) == (
        ["1"],
        ["week"],
    )
    assert "Det här lästes ut ur loften.docx." in page.content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_review_page_query_count_does_not_grow_with_activities(
    client, coordinator, django_assert_num_queries, count
):
    items = "\n".join(f"- genomföra minst {n + 2} trafikkontroller per år" for n in range(count))
    client.force_login(coordinator)
    url, _page = reviewed(client, f"Medborgarlöfte 2025\n\nPolisen lovar att:\n{items}\n")

    with django_assert_num_queries(9):
        response = client.get(url)

    assert len(response.context["activity_parts"]) == count


@pytest.mark.parametrize("total", ["x", "99"])
def test_review_refuses_a_tampered_formset_without_a_500(client, coordinator, total):
    client.force_login(coordinator)
    url, page = reviewed(client, _corpus("tranas-2023-2024"))
    values = form_values(page)
    values["activities-TOTAL_FORMS"] = [total]

    response = client.post(url, values)

    assert response.status_code == 200
    assert "Utkastet är inte skapat." in response.content.decode()
    assert PromisePeriod.objects.count() == 0
