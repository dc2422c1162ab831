"""Staff pages for memos: permissions, editing with formsets, preview, finalise, download."""

import hashlib

import pytest
from django.urls import reverse

from promises.models import DecisionMemo, MemoStatus
from tests import factories
from tests.pdf_tools import pages_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _management(prefix, total):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def _edit_post(**overrides):
    data = {
        "title": "Medborgarlöfte mellan polisen och Tranås kommun 2023-2024",
        "recipient": "Kommunstyrelsen",
        "memo_date": "2023-03-24",
        "reference": "KS 2023/0042",
        "department": "Kommunledningsförvaltningen",
        "officer_name": "Martin Palmqvist",
        "officer_title": "Säkerhetssamordnare",
        "officer_phone": "0140-683 13",
        "officer_email": "martin.palmqvist@tranås.se",
        "proposal_heading": "Förvaltningens förslag till beslut",
        "proposal_lead": "",
        "clause_style": "att",
        "summary": "Sammanfattning.",
        "description": "",
        "external_analysis": "",
        "consultation": "",
        "economy": "Finansiering sker inom befintlig ram",
        "follow_up": "",
        **_management("clauses", 2),
        "clauses-0-text": "anta följande medborgarlöften för åren 2023-2024:",
        "clauses-0-items": "öka tryggheten,\narbeta med trafikmiljön.",
        "clauses-1-text": "",
        "clauses-1-items": "",
        **_management("basis", 1),
        "basis-0-text": "Tjänsteutlåtande kommunledningsförvaltningen",
        "basis-0-date": "2023-03-24",
        **_management("distribution", 2),
        "distribution-0-recipient": "Diariet",
        "distribution-1-recipient": "Säkerhetssamordnaren",
        **_management("signatures", 1),
        "signatures-0-name": "Pär Thudeen",
        "signatures-0-title": "Kommundirektör",
    }
    data.update(overrides)
    return data


def test_memo_create_prefills_a_draft_and_redirects_to_edit(client, coordinator):
    period = factories.period()
    client.force_login(coordinator)

    response = client.post(reverse("memos:create", args=[period.pk]))

    memo = period.memos.get()
    assert response.url == reverse("memos:edit", args=[memo.pk])
    assert memo.title == "Medborgarlöfte mellan polisen och Tranås kommun 2023-2024"


def test_memo_edit_saves_fields_and_formset_lists(client, coordinator):
    memo = factories.decision_memo(signatures=[], distribution=[])
    client.force_login(coordinator)

    response = client.post(reverse("memos:edit", args=[memo.pk]), _edit_post(preview="1"))

    memo.refresh_from_db()
    assert response.url == reverse("memos:detail", args=[memo.pk])
    assert memo.clauses == [
        {
            "text": "anta följande medborgarlöften för åren 2023-2024:",
            "items": ["öka tryggheten,", "arbeta med trafikmiljön."],
        }
    ]
    assert memo.basis == [
        {"text": "Tjänsteutlåtande kommunledningsförvaltningen", "date": "2023-03-24"}
    ]
    assert memo.distribution == ["Diariet", "Säkerhetssamordnaren"]
    assert memo.signatures == [{"name": "Pär Thudeen", "title": "Kommundirektör"}]


def test_memo_edit_shows_swedish_errors_and_changes_nothing(client, coordinator):
    memo = factories.decision_memo()
    client.force_login(coordinator)

    response = client.post(
        reverse("memos:edit", args=[memo.pk]),
        _edit_post(title="", **{"basis-0-date": "24 mars", "signatures-0-name": ""}),
    )

    text = response.content.decode()
    assert response.status_code == 200
    assert "Ange ärendemeningen (rubriken)." in text
    assert "Ange datumet som ÅÅÅÅ-MM-DD." in text
    assert "Ange namnet på den som undertecknar." in text
    memo.refresh_from_db()
    assert memo.title == "Medborgarlöfte mellan polisen och Tranås kommun 2023-2024"


def test_memo_detail_previews_the_document_text_and_lists_what_is_missing(client, coordinator):
    memo = factories.decision_memo(reference="", summary="<b>fet</b>")
    client.force_login(coordinator)

    response = client.get(reverse("memos:detail", args=[memo.pk]))

    text = response.content.decode()
    assert "Det här saknas innan tjänsteskrivelsen kan fastställas:" in text
    assert "<li>Diarienummer saknas.</li>" in text
    assert "TJÄNSTESKRIVELSE" in text
    assert "&lt;b&gt;fet&lt;/b&gt;" in text
    assert "Medborgarlöfte mellan polisen och Tranås kommun 2023-2024" in text


def test_memo_finalise_of_an_incomplete_memo_lists_what_is_missing(client, coordinator):
    memo = factories.decision_memo(reference="", recipient="", signatures=[])
    client.force_login(coordinator)

    response = client.post(reverse("memos:finalise", args=[memo.pk]))

    text = response.content.decode()
    assert response.status_code == 200
    assert "Tjänsteskrivelsen kunde inte fastställas:" in text
    for message in ("Diarienummer saknas.", "Mottagare saknas.", "Minst en undertecknare behövs."):
        assert f"<li>{message}</li>" in text
    memo.refresh_from_db()
    assert memo.status == MemoStatus.DRAFT


def test_memo_finalise_then_download_returns_the_stored_pdf(client, coordinator):
    memo = factories.decision_memo()
    client.force_login(coordinator)

    client.post(reverse("memos:finalise", args=[memo.pk]))
    response = client.get(reverse("memos:pdf", args=[memo.pk]))

    memo.refresh_from_db()
    body = b"".join(response.streaming_content)
    assert memo.status == MemoStatus.FINAL
    assert hashlib.sha256(body).hexdigest() == memo.sha256
    assert response["Content-Disposition"] == (
        f'attachment; filename="tjansteskrivelse-tranas-{memo.period.slug}-v1.pdf"'
    )


def test_memo_edit_of_a_final_memo_redirects_and_new_version_makes_a_draft(client, coordinator):
    memo = factories.decision_memo()
    client.force_login(coordinator)
    client.post(reverse("memos:finalise", args=[memo.pk]))

    edit = client.get(reverse("memos:edit", args=[memo.pk]))
    response = client.post(reverse("memos:new_version", args=[memo.pk]))

    draft = DecisionMemo.objects.get(period=memo.period, version=2)
    assert edit.url == reverse("memos:detail", args=[memo.pk])
    assert response.url == reverse("memos:edit", args=[draft.pk])
    assert draft.status == MemoStatus.DRAFT


def test_memo_pdf_of_a_draft_is_rendered_and_marked(client, viewer):
    memo = factories.decision_memo()
    client.force_login(viewer)

    response = client.get(reverse("memos:pdf", args=[memo.pk]))

    assert "TJÄNSTESKRIVELSE – UTKAST" in pages_text(response.content)[0]


def test_memo_pages_are_404_for_another_kommun(client, outsider):
    memo = factories.decision_memo()
    client.force_login(outsider)

    responses = [
        client.get(reverse("memos:detail", args=[memo.pk])),
        client.get(reverse("memos:list", args=[memo.period.pk])),
        client.post(reverse("memos:finalise", args=[memo.pk])),
    ]

    assert [response.status_code for response in responses] == [404, 404, 404]


def test_memo_changes_are_403_for_a_viewer(client, viewer):
    memo = factories.decision_memo()
    client.force_login(viewer)

    responses = [
        client.get(reverse("memos:edit", args=[memo.pk])),
        client.post(reverse("memos:finalise", args=[memo.pk])),
        client.post(reverse("memos:create", args=[memo.period.pk])),
    ]

    assert [response.status_code for response in responses] == [403, 403, 403]
    memo.refresh_from_db()
    assert memo.status == MemoStatus.DRAFT


def test_memo_pages_require_login(client):
    memo = factories.decision_memo()

    response = client.get(reverse("memos:detail", args=[memo.pk]))

    assert response.status_code == 302
    assert response.url.startswith(reverse("site:login"))


@pytest.mark.parametrize("count", [1, 3])
def test_memo_list_query_count(client, coordinator, django_assert_num_queries, count):
    period = factories.period()
    for version in range(1, count):
        _final(period, version)
    factories.decision_memo(period, version=count)
    client.force_login(coordinator)

    with django_assert_num_queries(5):
        response = client.get(reverse("memos:list", args=[period.pk]))

    assert response.content.decode().count('/pdf/">') == count


def _final(period, version):
    user = factories.user()
    return DecisionMemo.objects.create(
        period=period,
        version=version,
        title=f"Version {version}",
        recipient="Kommunstyrelsen",
        reference="KS 1",
        status=MemoStatus.FINAL,
        finalised_at="2023-03-24T10:00:00Z",
        finalised_by=user,
        pdf=f"memos/{version}.pdf",
        sha256="0" * 64,
        frozen_data={},
    )
