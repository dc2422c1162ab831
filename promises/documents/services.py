"""Every write of the signed medborgarlöfte's stored versions (issue 12).

A period's signed document is frozen at adoption: rendered once, stored with the SHA-256 of its
bytes and the document data it was made from (``PromiseDocument`` version 1). Each amendment
stores the next version, marked "Reviderad <datum>" on its first page and listing every
amendment so far. What is stored is what the public download serves, byte for byte; earlier
versions stay downloadable.

Periods adopted before versions were stored get their version 1 lazily, the first time the
public asks for the document (``latest_promise_document``), from their data as it stands.
"""

import hashlib
import uuid

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import formats
from django.utils.translation import gettext as _

from municipalities import versioning
from promises.documents.builders import promise_document_data, render_promise_pdf
from promises.models import Amendment, PromiseDocument, PromisePeriod


def _long_date(day) -> str:
    return formats.date_format(day, "j F Y")


def amendments_data(period: PromisePeriod) -> list[dict]:
    """The period's amendments as the revised document prints them, oldest first (2 queries)."""
    return [
        {
            "number": amendment.number,
            "applies_from": _long_date(amendment.applies_from),
            "decision_reference": amendment.decision_reference,
            "reason": amendment.reason,
            "changes": [
                {
                    "part": change.part_label,
                    "label": change.label,
                    "before": change.before_text,
                    "after": change.after_text,
                }
                for change in amendment.changes.all()
            ],
        }
        for amendment in period.amendments.order_by("number").prefetch_related("changes")
    ]


@transaction.atomic
def freeze_promise_document(
    period: PromisePeriod, *, by, amendment: Amendment | None = None
) -> PromiseDocument:
    """Render the period's signed document from its data now and store it as the next version.

    Without ``amendment`` it is the document as adopted ("Antaget <datum>"); with one, the
    revision it makes ("Reviderad <datum>", the date the amendment applies from). ``by`` may be
    None for a version stored in retrospect. Side effects: a PDF under ``promises/`` in the
    default storage and one ``PromiseDocument`` row (the file is removed again if the row
    cannot be written); the kommun's cache version is renewed.
    """
    PromisePeriod.objects.select_for_update().filter(pk=period.pk).first()
    version = (period.documents.aggregate(top=Max("version"))["top"] or 0) + 1
    data = promise_document_data(period)
    if amendment is None:
        label = _("Antaget")
        if period.adopted_on:
            label = _("Antaget %(date)s") % {"date": _long_date(period.adopted_on)}
    else:
        label = _("Reviderad %(date)s") % {"date": _long_date(amendment.applies_from)}
        data["revision"] = {
            "label": label,
            "applies_from": _long_date(amendment.applies_from),
            "number": amendment.number,
        }
        data["amendments"] = amendments_data(period)
    pdf = render_promise_pdf(data)
    document = PromiseDocument(
        period=period,
        version=version,
        label=label,
        amendment=amendment,
        sha256=hashlib.sha256(pdf).hexdigest(),
        frozen_data=data,
        created_by=by,
    )
    document.pdf.save(f"{uuid.uuid4()}.pdf", ContentFile(pdf), save=False)
    try:
        document.save()
        versioning.renew_kommun(period.municipality)
    except Exception:
        document.pdf.storage.delete(document.pdf.name)
        raise
    return document


def latest_promise_document(period: PromisePeriod) -> PromiseDocument:
    """The newest stored version of a published period's document (one query); a period
    adopted before versions were kept gets its version 1 stored now (``_backfill``)."""
    document = period.documents.order_by("-version").first()
    return document if document is not None else _backfill(period)


@transaction.atomic
def _backfill(period: PromisePeriod) -> PromiseDocument:
    """Store version 1 of a period that has none, once: a second request waiting on the lock
    finds the first one's version. Side effects: as ``freeze_promise_document``."""
    PromisePeriod.objects.select_for_update().filter(pk=period.pk).first()
    return period.documents.order_by("-version").first() or freeze_promise_document(period, by=None)
