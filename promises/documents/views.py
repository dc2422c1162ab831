"""Public downloads of promise documents: the medborgarlöfte of a published period as a PDF."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from promises.documents.builders import promise_document_data, render_promise_pdf
from promises.models import PromisePeriod


def pdf_response(pdf: bytes, filename: str, *, inline: bool = False) -> HttpResponse:
    """A PDF download; ``nosniff`` is set globally, the file name is ASCII."""
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@require_safe
def promise_pdf(request, municipality_slug, period_slug):
    """The signed medborgarlöfte of a published period, rendered from its current data."""
    period = get_object_or_404(
        PromisePeriod.objects.public().select_related("municipality", "police_area"),
        municipality__slug=municipality_slug,
        slug=period_slug,
    )
    pdf = render_promise_pdf(promise_document_data(period))
    filename = f"medborgarlofte-{period.municipality.slug}-{period.slug}.pdf"
    return pdf_response(pdf, filename)
