"""Issue 12, item 3: the signed document is frozen at adoption, and each amendment stores a
revised version; every version stays downloadable, byte for byte."""

import hashlib
from datetime import date

import pytest
from django.urls import reverse

from municipalities.models import Role
from promises import services
from promises.amendments.services import Changes, amend_period
from promises.models import PeriodStatus, PromiseDocument
from tests import factories
from tests.pdf_tools import normalised, pages_text

pytestmark = pytest.mark.django_db

TRANAS_CHECKS = "Polisen ska genomföra minst trettio (30) trafikkontroller per år."


@pytest.fixture
def editor():
    return factories.member(factories.municipal_organisation("0687"), Role.EDITOR)


@pytest.fixture
def adopted(settings, tmp_path, editor):
    """Tranås 2023–2024 adopted through the service, then published."""
    settings.MEDIA_ROOT = tmp_path
    period = factories.period("0687", slug="2023-2024", is_published=False)
    promise = factories.promise(period, title="Arbeta för en säker trafikmiljö.")
    factories.activity(period, promise_=promise, description=TRANAS_CHECKS, target_quantity=30)
    services.transition_period(
        period,
        by=editor,
        to=PeriodStatus.ADOPTED,
        adopted_on=date(2023, 3, 1),
        decision_reference="KS 2023-03-01 § 12",
        today=date(2023, 3, 2),
    )
    return services.set_published(period, by=editor, published=True)


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def _text(pdf: bytes) -> str:
    return normalised(" ".join(pages_text(pdf)))


def _url(name="documents:promise_pdf", **kwargs):
    return reverse(
        name, kwargs={"municipality_slug": "tranas", "period_slug": "2023-2024", **kwargs}
    )


def _amend(period, editor):
    activity = period.activities.get()
    return amend_period(
        period,
        by=editor,
        reason="Polisens resurser har minskat.",
        applies_from=date(2024, 3, 12),
        decision_reference="KS 2024-03-12 § 45",
        changes=Changes(activities={activity.pk: {"target_quantity": 20}}),
    )


def test_adoption_stores_version_1_with_its_sha256(adopted, editor):
    document = PromiseDocument.objects.get(period=adopted)

    stored = document.pdf.read()
    assert (document.version, document.label, document.created_by) == (
        1,
        "Antaget 1 mars 2023",
        editor,
    )
    assert document.sha256 == hashlib.sha256(stored).hexdigest()
    assert TRANAS_CHECKS in _text(stored)


def test_public_pdf_serves_the_stored_bytes_whose_sha256_is_kept(adopted, client):
    document = PromiseDocument.objects.get(period=adopted)

    served = _body(client.get(_url()))

    assert hashlib.sha256(served).hexdigest() == document.sha256


def test_public_pdf_is_not_rendered_again_when_the_data_changes(adopted, client):
    before = _body(client.get(_url()))
    # Written past the services, as a bug or the admin of old could: the document stays as signed.
    adopted.activities.update(description="Något helt annat.")

    after = _body(client.get(_url()))

    assert after == before
    assert "Något helt annat." not in _text(after)


def test_a_revision_makes_version_2_marked_reviderad_and_keeps_version_1(adopted, editor, client):
    version_1 = _body(client.get(_url()))

    _amend(adopted, editor)
    latest = _body(client.get(_url()))
    first = _body(client.get(_url("documents:promise_pdf_version", version=1)))
    second = _body(client.get(_url("documents:promise_pdf_version", version=2)))

    revised = _text(latest)
    assert latest == second
    assert first == version_1
    assert "Reviderad 12 mars 2024" in revised
    assert "Ändringar sedan antagandet" in revised
    assert "Målvärde: 30 → 20" in revised
    assert "Reviderad" not in _text(first)
    assert PromiseDocument.objects.get(version=2).amendment.number == 1


def test_public_period_page_lists_every_version_with_its_sha256(adopted, editor, client):
    _amend(adopted, editor)

    page = client.get(
        reverse("public:period_detail", args=["tranas", "2023-2024"])
    ).content.decode()

    for document in PromiseDocument.objects.all():
        assert document.sha256 in page
        assert _url("documents:promise_pdf_version", version=document.version) in page
    assert "Version 2: Reviderad 12 mars 2024 (PDF)" in page


def test_a_period_adopted_before_versions_were_kept_gets_version_1_on_first_download(
    settings, tmp_path, client
):
    settings.MEDIA_ROOT = tmp_path
    period = factories.period("0687", slug="2023-2024", status=PeriodStatus.ACTIVE)
    factories.promise(period, title="Öka tryggheten i centrala Tranås.")

    first = _body(client.get(_url()))
    again = _body(client.get(_url()))

    document = PromiseDocument.objects.get(period=period)
    assert (document.version, document.created_by) == (1, None)
    assert first == again
    assert hashlib.sha256(first).hexdigest() == document.sha256


def test_unknown_version_and_unpublished_period_are_404(adopted, editor, client):
    missing = client.get(_url("documents:promise_pdf_version", version=7))
    services.set_published(adopted, by=editor, published=False)
    hidden = client.get(_url())

    assert missing.status_code == 404
    assert hidden.status_code == 404
