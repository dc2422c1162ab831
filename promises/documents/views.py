"""Public downloads of promise documents: the signed medborgarlöfte of a published period.

What is served is a stored version (``PromiseDocument``), byte for byte: the newest one at
``medborgarlofte.pdf``, each earlier one at ``medborgarlofte-v<n>.pdf``. Nothing is rendered per
request, except once for a period adopted before versions were stored (its version 1 is stored
then, see ``promises.documents.services.latest_promise_document``).
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from promises.documents.responses import stored_pdf_response
from promises.documents.services import latest_promise_document
from promises.models import PromisePeriod


def _public_period(municipality_slug, period_slug):
    return get_object_or_404(
        PromisePeriod.objects.public().select_related("municipality", "police_area"),
        municipality__slug=municipality_slug,
        slug=period_slug,
    )


@require_safe
def promise_pdf(request, municipality_slug, period_slug):
    """The signed medborgarlöfte of a published period: its newest stored version."""
    period = _public_period(municipality_slug, period_slug)
    document = latest_promise_document(period)
    filename = f"medborgarlofte-{period.municipality.slug}-{period.slug}.pdf"
    return stored_pdf_response(document.pdf, filename)


@require_safe
def promise_pdf_version(request, municipality_slug, period_slug, version):
    """One stored version of a published period's signed medborgarlöfte; 404 when none."""
    period = _public_period(municipality_slug, period_slug)
    latest = latest_promise_document(period)
    document = (
        latest if latest.version == version else period.documents.filter(version=version).first()
    )
    if document is None:
        raise Http404
    filename = f"medborgarlofte-{period.municipality.slug}-{period.slug}-v{version}.pdf"
    return stored_pdf_response(document.pdf, filename)
