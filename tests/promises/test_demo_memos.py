"""The demo memos transcribe seeds 000 (Tranås, draft) and 004 (Tyresö, finalised)."""

from io import StringIO

import pytest
from django.core.management import call_command

from followup.demo.loader import load_demo_memos
from promises.documents.builders import memo_data, render_memo_pdf
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


def test_load_demo_tranas_memo_keeps_the_seed_wording():
    # Sentences copied by hand from seed 000, the Tranås tjänsteskrivelse.
    seed_sentences = [
        "Med utgångspunkt i tidigare tecknad samverkansöverenskommelse och mot bakgrund av "
        "aktuell lägesbild, formulerar Tranås kommun och polisen tvååriga medborgarlöften som "
        "börjar gälla från och med undertecknandet.",
        "Polismyndigheten tecknar medborgarlöften med i princip alla landets kommuner.",
        "Samråd har skett med kommunledningsgruppen, KLG, 2023-03-23",
        "Finansiering sker inom befintlig ram",
    ]
    call_command("load_demo", "--today", "2026-05-20", stdout=StringIO())
    memo = DecisionMemo.objects.get(period__municipality__code="0687")

    text = normalised(" ".join(pages_text(render_memo_pdf(memo_data(memo)))))

    assert [sentence for sentence in seed_sentences if sentence not in text] == []
