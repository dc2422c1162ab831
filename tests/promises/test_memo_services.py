"""Creating, editing, finalising and versioning memos; a finalised memo never changes."""

import hashlib
from datetime import date

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction

from municipalities.models import Role
from promises.memos.services import (
    create_memo_from_period,
    finalise_memo,
    missing_for_finalise,
    new_memo_version,
    update_memo,
)
from promises.models import DecisionMemo, MemoStatus
from tests import factories
from tests.pdf_tools import normalised, pages_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def editor():
    return factories.member(factories.municipal_organisation(), Role.EDITOR)


def _period():
    period = factories.period()
    factories.promise(period, title="Öka den upplevda tryggheten i centrala Tranås.")
    return period


def test_create_memo_from_period_makes_a_prefilled_draft(editor):
    period = _period()

    memo = create_memo_from_period(period, by=editor, today=date(2023, 3, 24))

    assert (memo.version, memo.status, memo.memo_date) == (1, MemoStatus.DRAFT, date(2023, 3, 24))
    assert memo.clauses[0]["items"] == ["öka den upplevda tryggheten i centrala Tranås"]
    assert memo.history.get().history_user == editor


def test_create_memo_from_period_refuses_a_second_draft(editor):
    period = _period()
    create_memo_from_period(period, by=editor)

    with pytest.raises(ValidationError) as error:
        create_memo_from_period(period, by=editor)

    assert error.value.messages == [
        "Det finns redan ett utkast till tjänsteskrivelse för det här medborgarlöftet."
    ]
    assert period.memos.count() == 1


def test_update_memo_changes_fields_and_records_the_editor(editor):
    memo = factories.decision_memo()

    updated = update_memo(memo, by=editor, reference="  KS 2023/7 ", distribution=["Diariet"])

    assert (updated.reference, updated.distribution) == ("KS 2023/7", ["Diariet"])
    assert updated.history.latest().history_user == editor


def test_update_memo_refuses_malformed_lists(editor):
    memo = factories.decision_memo()

    with pytest.raises(ValidationError) as error:
        update_memo(memo, by=editor, clauses=[{"items": "inte en lista"}])

    assert error.value.message_dict == {"clauses": ["Beslutssatserna har fel form."]}


def test_missing_for_finalise_lists_every_required_field():
    memo = factories.decision_memo(reference="", recipient=" ", clauses=[], signatures=[])

    missing = missing_for_finalise(memo)

    assert missing == [
        "Diarienummer saknas.",
        "Mottagare saknas.",
        "Minst en beslutssats (att-sats) behövs.",
        "Minst en undertecknare behövs.",
    ]


def test_finalise_memo_refuses_an_incomplete_memo_and_writes_nothing(editor, media_root):
    memo = factories.decision_memo(reference="", signatures=[{"name": " ", "title": "Chef"}])

    with pytest.raises(ValidationError) as error:
        finalise_memo(memo, by=editor)

    assert error.value.message_dict == {
        NON_FIELD_ERRORS: ["Diarienummer saknas.", "Minst en undertecknare behövs."]
    }
    memo.refresh_from_db()
    assert (memo.status, memo.sha256, memo.pdf.name) == (MemoStatus.DRAFT, "", "")
    assert list(media_root.rglob("*.pdf")) == []


def test_finalise_memo_stores_the_pdf_with_its_hash_and_data(editor):
    memo = factories.decision_memo()

    final = finalise_memo(memo, by=editor)

    stored = final.pdf.open("rb").read()
    assert final.status == MemoStatus.FINAL
    assert final.pdf.name.startswith("memos/") and final.pdf.name.endswith(".pdf")
    assert final.sha256 == hashlib.sha256(stored).hexdigest()
    assert final.finalised_by == editor
    assert final.frozen_data["reference"] == "KS 2023/0042"
    assert final.frozen_data["attachment"]["title"] == memo.period.title
    assert "KS 2023/0042" in pages_text(stored)[0]


def test_finalised_memo_bytes_and_hash_never_change_after_the_period_is_edited(editor):
    period = _period()
    memo = finalise_memo(factories.decision_memo(period), by=editor)
    before = memo.pdf.open("rb").read()

    period.title = "Ett helt annat namn"
    period.save()
    promise = period.promises.get()
    promise.title = "Ett ändrat löfte"
    promise.save()
    memo.refresh_from_db()

    after = memo.pdf.open("rb").read()
    assert after == before
    assert hashlib.sha256(after).hexdigest() == memo.sha256
    assert "Ett ändrat löfte" not in normalised(" ".join(pages_text(after)))
    assert memo.frozen_data["attachment"]["promises"][0]["title"] == (
        "Öka den upplevda tryggheten i centrala Tranås."
    )


def test_update_memo_refuses_a_finalised_memo(editor):
    memo = finalise_memo(factories.decision_memo(), by=editor)

    with pytest.raises(ValidationError) as error:
        update_memo(memo, by=editor, title="Ny rubrik")

    assert error.value.messages == [
        "En fastställd tjänsteskrivelse kan inte ändras. Skapa en ny version."
    ]
    memo.refresh_from_db()
    assert memo.title == "Medborgarlöfte mellan polisen och Tranås kommun 2023-2024"


def test_finalise_memo_refuses_a_finalised_memo(editor):
    memo = finalise_memo(factories.decision_memo(), by=editor)
    sha = memo.sha256

    with pytest.raises(ValidationError):
        finalise_memo(memo, by=editor)

    memo.refresh_from_db()
    assert memo.sha256 == sha


def test_new_memo_version_copies_a_finalised_memo_as_the_next_draft(editor):
    final = finalise_memo(factories.decision_memo(), by=editor)

    draft = new_memo_version(final, by=editor)

    assert (draft.version, draft.status) == (2, MemoStatus.DRAFT)
    assert (draft.title, draft.clauses, draft.signatures) == (
        final.title,
        final.clauses,
        final.signatures,
    )
    assert (draft.pdf.name, draft.sha256, draft.frozen_data) == ("", "", None)
    final.refresh_from_db()
    assert final.status == MemoStatus.FINAL


def test_new_memo_version_refuses_when_a_draft_exists(editor):
    final = finalise_memo(factories.decision_memo(), by=editor)
    new_memo_version(final, by=editor)

    with pytest.raises(ValidationError):
        new_memo_version(final, by=editor)

    assert final.period.memos.count() == 2


def test_database_refuses_a_final_memo_without_its_pdf():
    memo = factories.decision_memo()

    with pytest.raises(IntegrityError), transaction.atomic():
        DecisionMemo.objects.filter(pk=memo.pk).update(status=MemoStatus.FINAL)


def test_database_refuses_two_drafts_for_one_period():
    memo = factories.decision_memo()

    with pytest.raises(IntegrityError), transaction.atomic():
        factories.decision_memo(memo.period, version=2)
