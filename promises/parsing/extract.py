"""Text from what an editor pastes or uploads: plain text, a text-based PDF, a .docx file.

Every refusal is a :class:`ParseInputError` with a Swedish message for the editor.
"""

import io
import zipfile

from django.utils.translation import gettext as _

MAX_BYTES = 5 * 1024 * 1024
# Fewer letters than this per page means the PDF is scanned images, not text.
_MIN_LETTERS_PER_PAGE = 20


class ParseInputError(ValueError):
    """The input cannot be read as a promise text; ``str(error)`` is a Swedish message."""


def extract_text(data: bytes, filename: str = "") -> str:
    """The text of ``data``; the type follows the file name (``.pdf``, ``.docx``, else text)."""
    if len(data) > MAX_BYTES:
        raise ParseInputError(_("Filen är för stor. Största tillåtna storlek är 5 MB."))
    if not data.strip():
        raise ParseInputError(_("Filen är tom."))
    name = filename.lower()
    if name.endswith(".pdf"):
        text = _pdf_text(data)
    elif name.endswith(".docx"):
        text = _docx_text(data)
    elif name.endswith((".txt", ".md", ".text")) or name in ("", "-"):
        text = _plain_text(data)
    else:
        raise ParseInputError(
            _(
                "Filtypen stöds inte. Klistra in texten eller ladda upp en PDF- eller "
                "Word-fil (.docx)."
            )
        )
    if not text.strip():
        raise ParseInputError(_("Filen innehåller ingen text."))
    return text


def _plain_text(data: bytes) -> str:
    if data[:5] == b"%PDF-" or data[:2] == b"PK":
        raise ParseInputError(
            _("Filen ser ut att vara en PDF- eller Word-fil. Ladda upp den med rätt filändelse.")
        )
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ParseInputError(_("Texten kunde inte läsas. Spara den som UTF-8 och försök igen."))


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        # Layout mode keeps list bullets beside their items and signature columns apart.
        pages = [page.extract_text(extraction_mode="layout") or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, OSError) as error:
        raise ParseInputError(_("PDF-filen kunde inte läsas. Är den skadad?")) from error
    text = "\n\n".join(pages)
    letters = sum(ch.isalpha() for ch in text)
    if letters < _MIN_LETTERS_PER_PAGE * max(1, len(pages)):
        raise ParseInputError(
            _(
                "PDF-filen innehåller ingen text, bara bilder (till exempel en inskannad "
                "sida). Klistra in texten i stället, eller använd en PDF med text."
            )
        )
    return text


def _docx_text(data: bytes) -> str:
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, ValueError, KeyError, OSError) as error:
        raise ParseInputError(
            _("Word-filen kunde inte läsas. Spara den som .docx och försök igen.")
        ) from error
    lines = []
    for paragraph in document.paragraphs:
        style = (paragraph.style.name or "").lower() if paragraph.style is not None else ""
        prefix = "• " if "list" in style else ""
        lines.append(prefix + paragraph.text)
    for table in document.tables:
        for row in table.rows:
            lines.append("   ".join(cell.text for cell in row.cells))
    return "\n".join(lines)
