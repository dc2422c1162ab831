"""The promise document (medborgarlöfte) and the decision memo (tjänsteskrivelse), as data and PDF.

Rendering is two steps. First the database objects become *document data*: a plain dict of
strings, lists and dicts, everything already worded and formatted as it will be printed (dates
as the seeds write them, targets in words). Then a template turns the data into HTML and
WeasyPrint into a PDF. A finalised memo stores exactly that dict (``frozen_data``), so what it
was made from can be shown and the document rendered again long after the period has changed.

All text is inserted by Django templates with autoescaping: HTML or CSS typed into a field is
printed as text, never interpreted.
"""

from django.template.loader import render_to_string
from django.utils import formats
from django.utils.translation import gettext as _

from municipalities.models import Organisation, OrganisationKind
from promises.documents.pdf import html_to_pdf
from promises.models import DecisionMemo, PromisePeriod
from promises.targets import target_text


def years_label(period: PromisePeriod) -> str:
    """ "2023-2024" or "2018", as the seeds write a period in titles and att-clauses."""
    first, last = period.starts_on.year, period.ends_on.year
    return str(first) if first == last else f"{first}-{last}"


def municipality_name(municipality) -> str:
    """The kommun as it names itself ("Tranås kommun", "Region Gotland"), from its organisation."""
    name = (
        Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY, municipality=municipality)
        .values_list("name", flat=True)
        .first()
    )
    return name or _("%(name)s kommun") % {"name": municipality.name}


def iso(day) -> str:
    """Dates in memos are written as the seeds do: 2023-03-24; empty when unknown."""
    return day.isoformat() if day else ""


def long_date(day) -> str:
    return formats.date_format(day, "j F Y") if day else ""


def paragraphs(text: str) -> list[str]:
    """Text split on blank lines into paragraphs (single line breaks stay inside a paragraph)."""
    parts = [part.strip() for part in (text or "").replace("\r\n", "\n").split("\n\n")]
    return [part for part in parts if part]


# --- Promise document -----------------------------------------------------------------------------


def introduction_parts(text: str) -> tuple[list[str], list[dict]]:
    """The introduction as the lead paragraphs before its first heading, then headed sections.

    A paragraph that is one short line without closing punctuation ("Vad är ett medborgarlöfte")
    is a heading in the source text, and is printed as one.
    """
    lead, sections = [], []
    for paragraph in paragraphs(text):
        if _is_heading(paragraph):
            sections.append({"heading": paragraph, "paragraphs": []})
        elif sections:
            sections[-1]["paragraphs"].append(paragraph)
        else:
            lead.append(paragraph)
    return lead, sections


def _is_heading(paragraph: str) -> bool:
    return "\n" not in paragraph and len(paragraph) <= 80 and paragraph[-1] not in ".:;,!?…"


def signing_parties(period: PromisePeriod, signatories, kommun: str) -> list[str]:
    """The parties that still need a line to sign on: every party when nobody is named, and
    a partner (Tranemobostäder) that signs but has no named signatory."""
    named = {signatory.organisation.name for signatory in signatories}
    partners = [o.name for o in period.partners.all() if o.name not in named]
    if signatories:
        return partners
    police = str(period.police_area) if period.police_area_id else _("Polisen")
    return [kommun, police, *partners]


def _parties_line(kommun: str, partners: list[str]) -> str:
    """The parties line: "Mellan polisen, Tranemo kommun och Tranemobostäder"."""
    names = [kommun, *partners]
    if len(names) == 1:
        return _("Mellan polisen och %(parties)s") % {"parties": kommun}
    return _("Mellan polisen, %(parties)s och %(last)s") % {
        "parties": ", ".join(names[:-1]),
        "last": names[-1],
    }


def promise_document_data(period: PromisePeriod, *, target_lines: bool = False) -> dict:
    """Everything the medborgarlöfte document prints, worded and formatted (5 queries).

    Only the period's own wording: its introduction (a heading in it stays a heading), promises,
    activities in the period's order, lägesbild, uppföljning and signatures. A line under each
    activity with its target, responsible parties and promise number is printed only when
    ``target_lines`` is asked for (the signatories never wrote it).
    """
    municipality = period.municipality
    kommun = municipality_name(municipality)
    promises = list(period.promises.all())
    numbers = {promise.pk: number for number, promise in enumerate(promises, start=1)}
    activities = [
        {
            "description": activity.description,
            "target": target_text(activity),
            "responsible": ", ".join(o.name for o in activity.responsible_organisations.all()),
            "promise_number": numbers.get(activity.promise_id),
        }
        for activity in period.activities.select_related("period").prefetch_related(
            "responsible_organisations"
        )
    ]
    signatories = list(period.signatories.select_related("organisation"))
    partners = [organisation.name for organisation in period.partners.all()]
    lead, introduction_sections = introduction_parts(period.introduction)
    return {
        "municipality": kommun,
        "municipality_short": municipality.name,
        "police_area": str(period.police_area) if period.police_area_id else "",
        "title": period.title,
        "document_title": _("%(title)s – %(municipality)s")
        % {
            "title": period.title,
            "municipality": kommun,
        },
        "years": years_label(period),
        "parties": _parties_line(kommun, partners),
        "dates": _("Gäller %(start)s – %(end)s")
        % {"start": long_date(period.starts_on), "end": long_date(period.ends_on)},
        "introduction": lead,
        "introduction_sections": introduction_sections,
        "situation_picture": paragraphs(period.situation_picture),
        "sources": [str(source) for source in period.sources.all()],
        "promises": [
            {
                "number": numbers[promise.pk],
                "title": promise.title,
                "text": paragraphs(promise.text),
            }
            for promise in promises
        ],
        "activities": activities,
        "target_lines": target_lines,
        "follow_up": paragraphs(period.follow_up_text),
        "place_and_date": ", ".join(
            part for part in (period.signed_place, iso(period.signed_on)) if part
        ),
        "signatories": [
            {
                "name": signatory.name,
                "title": signatory.title,
                "organisation": signatory.organisation.name,
            }
            for signatory in signatories
        ],
        # A party without a named signatory still gets a line to sign on.
        "blank_signature_parties": signing_parties(period, signatories, kommun),
    }


def render_promise_html(data: dict) -> str:
    return render_to_string("documents/promise.html", {"doc": data})


def render_promise_pdf(data: dict) -> bytes:
    """The signed medborgarlöfte; it is only ever rendered to be stored, so PDF/A-2u."""
    return html_to_pdf(render_promise_html(data), archival=True)


# --- Decision memo --------------------------------------------------------------------------------


def memo_data(memo: DecisionMemo) -> dict:
    """What the memo PDF prints, with the promise document it carries as Bilaga."""
    period = memo.period
    return {
        "municipality": municipality_name(period.municipality),
        "department": memo.department,
        "document_type": _("TJÄNSTESKRIVELSE"),
        "date": iso(memo.memo_date),
        "reference": memo.reference,
        "officer": {
            "name": memo.officer_name,
            "title": memo.officer_title,
            "phone": memo.officer_phone,
            "email": memo.officer_email,
        },
        "recipient": memo.recipient,
        "title": memo.title,
        "version": memo.version,
        "proposal_heading": memo.proposal_heading,
        "proposal_lead": memo.proposal_lead,
        "clause_style": memo.clause_style,
        "clauses": [
            {"text": clause.get("text", ""), "items": list(clause.get("items", []))}
            for clause in memo.clauses
        ],
        "sections": [
            {"heading": heading, "paragraphs": paragraphs(text)}
            for heading, text in (
                (_("Sammanfattning"), memo.summary),
                (_("Beskrivning av ärendet"), memo.description),
                (_("Omvärldsanalys"), memo.external_analysis),
                (_("Samråd"), memo.consultation),
                (_("Ekonomi"), memo.economy),
                (_("Uppföljning"), memo.follow_up),
            )
            if paragraphs(text)
        ],
        "basis": [
            {"text": item.get("text", ""), "date": item.get("date") or ""} for item in memo.basis
        ],
        "distribution": list(memo.distribution),
        "signatures": [
            {"name": item.get("name", ""), "title": item.get("title", "")}
            for item in memo.signatures
        ],
        "attachment": promise_document_data(period),
    }


def render_memo_html(data: dict, *, draft: bool = False) -> str:
    return render_to_string("documents/memo.html", {"doc": data, "draft": draft})


def render_memo_pdf(data: dict, *, draft: bool = False) -> bytes:
    """The memo followed by its Bilaga (the promise document) as one document, so the page
    numbers run through both ("3 (4)") and the Bilaga's header carries the diarienummer.

    The final memo (what ``finalise_memo`` stores) is archival PDF/A-2u; a draft is PDF/UA-1."""
    return html_to_pdf(render_memo_html(data, draft=draft), archival=not draft)
