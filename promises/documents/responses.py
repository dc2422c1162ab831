"""Responses for documents that are first drafts and then frozen: a memo, a follow-up report.

A frozen document is served as its stored bytes, unchanged forever; a draft is rendered now and
named as a draft. One helper for every such download, so they all behave the same.
"""

from collections.abc import Callable

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponse


def pdf_response(pdf: bytes, filename: str, *, inline: bool = False) -> HttpResponse:
    """A PDF download; ``nosniff`` is set globally, the file name is ASCII."""
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def stored_pdf_response(stored: FieldFile, filename: str) -> FileResponse:
    """The stored PDF of a frozen document, as a download under ``filename``."""
    return FileResponse(
        stored.open("rb"),
        as_attachment=True,
        filename=filename,
        content_type="application/pdf",
    )


def frozen_or_draft_pdf(
    *, frozen: bool, stored: FieldFile, filename: str, render_draft: Callable[[], bytes]
) -> HttpResponse:
    """The stored bytes of a frozen document, or a draft rendered now as ``…-utkast.pdf``.

    ``render_draft`` is called only for a draft; whatever it raises reaches the view.
    """
    if frozen:
        return stored_pdf_response(stored, filename)
    return pdf_response(render_draft(), filename.removesuffix(".pdf") + "-utkast.pdf")
