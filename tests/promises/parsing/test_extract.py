import html
import io
import json
from pathlib import Path

import pytest
from docx import Document
from weasyprint import HTML

from promises.parsing import MAX_BYTES, ParseInputError, extract_text, parse_file, to_json_dict

CORPUS = Path(__file__).parent / "corpus"

ANEBY_HTML = """
<h1>Medborgarlöfte i Aneby kommun 2023-2024</h1>
<p>Det ska vi åstadkomma genom följande aktiviteter:</p>
<ul>
<li>Polisen ska genomföra minst tio riktade insatser för att upptäcka fler narkotikabrott.</li>
<li>Kommunen ska genomföra två trygghetsvandringar tillsammans med polisen.</li>
</ul>
"""


def _pdf(html: str) -> bytes:
    return HTML(string=html).write_pdf()


def _docx(paragraphs) -> bytes:
    document = Document()
    for text, style in paragraphs:
        document.add_paragraph(text, style=style)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_extract_text_reads_a_text_pdf():
    text = extract_text(_pdf(ANEBY_HTML), "aneby.pdf")

    assert "Medborgarlöfte i Aneby kommun" in text
    assert "• Polisen ska genomföra minst tio riktade insatser" in text


def test_parse_file_parses_a_pdf_into_activities():
    document = parse_file(_pdf(ANEBY_HTML), "aneby.pdf")

    assert document.kommun.value == "Aneby"
    assert (document.starts_on.value.isoformat(), document.ends_on.value.isoformat()) == (
        "2023-01-01",
        "2024-12-31",
    )
    assert [(a.targets.quantity.value, a.targets.owners.value) for a in document.activities()] == [
        (10, ["police"]),
        (2, ["police", "municipality"]),
    ]


def test_parse_file_parses_a_docx_with_list_paragraphs():
    data = _docx(
        [
            ("Medborgarlöfte 2024", "Heading 1"),
            ("Polisen lovar att:", None),
            ("genomföra minst en trafikkontroll per vecka", "List Bullet"),
            ("Kommunen lovar att:", None),
            ("ta fram en handlingsplan senast 30 juni", "List Bullet"),
        ]
    )

    document = parse_file(data, "loften.docx")

    assert [
        (a.text, a.targets.owners.value, a.targets.kind.value) for a in document.activities()
    ] == [
        ("genomföra minst en trafikkontroll per vecka", ["police"], "count"),
        ("ta fram en handlingsplan senast 30 juni", ["municipality"], "milestone"),
    ]


def test_extract_text_refuses_an_empty_file():
    with pytest.raises(ParseInputError, match="^Filen är tom.$"):
        extract_text(b"  \n", "tom.txt")


def test_extract_text_refuses_a_file_that_is_too_large():
    with pytest.raises(
        ParseInputError, match="Filen är för stor. Största tillåtna storlek är 5 MB."
    ):
        extract_text(b"a" * (MAX_BYTES + 1), "stor.txt")


def test_extract_text_refuses_an_unsupported_type():
    with pytest.raises(ParseInputError, match="^Filtypen stöds inte"):
        extract_text(b"PK\x03\x04 data", "loften.xlsx")


def test_extract_text_refuses_a_scanned_pdf_without_text():
    scanned = _pdf('<div style="width: 15cm; height: 20cm; background: #888"></div>')

    with pytest.raises(ParseInputError, match="^PDF-filen innehåller ingen text, bara bilder"):
        extract_text(scanned, "inskannad.pdf")


def test_extract_text_refuses_a_broken_pdf():
    with pytest.raises(ParseInputError, match="^PDF-filen kunde inte läsas"):
        extract_text(b"%PDF-1.7 this is not really a pdf", "trasig.pdf")


def test_extract_text_refuses_a_broken_docx():
    with pytest.raises(ParseInputError, match="^Word-filen kunde inte läsas"):
        extract_text(b"not a zip file", "trasig.docx")


def test_extract_text_refuses_a_pdf_posing_as_text():
    with pytest.raises(ParseInputError, match="rätt filändelse"):
        extract_text(_pdf(ANEBY_HTML), "aneby.txt")


def _seed_as_pdf(name: str) -> bytes:
    """The seed text as a PDF: paragraphs, and its "- " lines as a list."""
    parts, items = [], []
    for line in (CORPUS / f"{name}.txt").read_text(encoding="utf-8").splitlines():
        text = html.escape(line.strip().replace("**", ""))
        if text.startswith("- "):
            items.append(f"<li>{text[2:]}</li>")
            continue
        if items:
            parts.append("<ul>" + "".join(items) + "</ul>")
            items = []
        if text:
            parts.append(f"<p>{text}</p>")
    parts.append("<ul>" + "".join(items) + "</ul>" if items else "")
    return _pdf('<meta charset="utf-8">' + "\n".join(parts))


def test_parse_file_reads_the_aneby_seed_saved_as_pdf_like_its_text():
    expected = json.loads((CORPUS / "aneby-2023-2024.expected.json").read_text(encoding="utf-8"))

    result = to_json_dict(parse_file(_seed_as_pdf("aneby-2023-2024"), "aneby.pdf"))

    assert result == expected
