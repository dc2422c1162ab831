"""The demo memos transcribe seeds 000 (Tranås, draft) and 004 (Tyresö, finalised)."""

from io import StringIO

import pytest
from django.core.management import call_command

from followup.demo.loader import load_demo_memos
from promises.models import DecisionMemo, MemoStatus
from tests.pdf_tools import normalised, pages_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_load_demo_writes_the_seed_memos_once():
    call_command("load_demo", "--today", "2026-05-20", stdout=StringIO())
    load_demo_memos()  # again: nothing doubles

    tranas = DecisionMemo.objects.get(period__municipality__code="0687")
    tyreso = DecisionMemo.objects.get(period__municipality__code="0138")
    assert (tranas.status, tranas.reference, tranas.officer_name) == (
        MemoStatus.DRAFT,
        "",
        "Martin Palmqvist",
    )
    assert tranas.signatures == [
        {"name": "Pär Thudeen", "title": "Kommundirektör"},
        {"name": "Henrik Nilsson", "title": "Räddningschef"},
    ]
    assert (tyreso.status, tyreso.reference, tyreso.recipient) == (
        MemoStatus.FINAL,
        "2017/KS 0393 30",
        "Kommunledningsutskott",
    )
    text = normalised(" ".join(pages_text(tyreso.pdf.open("rb").read())))
    assert (
        "Kommunledningsutskottets förslag till kommunstyrelsen: • Medborgarlöftet 2018 antas"
        in (text)
    )
    assert "Klicka här" not in text
