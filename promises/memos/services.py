"""Every write of decision memos: create from a period, edit, finalise, start a new version.

Each service runs in one transaction, takes the acting user as the keyword-only argument ``by``
and records it in the memo's history (and, when finalising, in ``finalised_by``). A service that
refuses raises ``django.core.exceptions.ValidationError`` with Swedish messages and writes
nothing. Permissions are checked by the views (``promises.permissions.get_period_for_editor``).

A finalised memo is immutable: ``update_memo`` refuses it and ``new_memo_version`` makes a draft
copy with the next version number. Its PDF is stored once, with the SHA-256 of its bytes and the
document data it was rendered from, and it is what every later download returns.

Every write renews the cache version of the memo's kommun (``municipalities.versioning``) in the
same transaction, as its last step.
"""

import hashlib
import uuid

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from municipalities import versioning
from municipalities.validation import locked
from promises.documents.builders import memo_data, municipality_name, render_memo_pdf, years_label
from promises.models import ClauseStyle, DecisionMemo, MemoStatus, PromisePeriod

# The fields update_memo may change; the lists are validated by _check_lists.
EDITABLE_FIELDS = {
    "department",
    "officer_name",
    "officer_title",
    "officer_phone",
    "officer_email",
    "recipient",
    "memo_date",
    "reference",
    "title",
    "proposal_heading",
    "proposal_lead",
    "clause_style",
    "clauses",
    "summary",
    "description",
    "external_analysis",
    "consultation",
    "economy",
    "follow_up",
    "basis",
    "distribution",
    "signatures",
}
_TEXT_FIELDS = EDITABLE_FIELDS - {"memo_date", "clauses", "basis", "distribution", "signatures"}


def _lower_first(text: str) -> str:
    text = text.strip().rstrip(".")
    return text[:1].lower() + text[1:]


def memo_defaults(period: PromisePeriod, *, by, today=None) -> dict:
    """A new memo's fields, filled from the period as far as it tells (DESIGN §8).

    The att-clause adopts the promises by name and years; the summary is the period's
    introduction; the description its situation picture; the follow-up its follow-up plan. The
    handläggare is the acting user. Nothing the period does not say is invented: diarienummer,
    förvaltning and signatures are left for the editor.
    """
    today = today or timezone.localdate()
    years = years_label(period)
    municipality = municipality_name(period.municipality)
    promises = list(period.promises.all())
    several_years = period.starts_on.year != period.ends_on.year
    clause = (
        _("anta följande medborgarlöften för åren %(years)s:")
        if several_years
        else _("anta följande medborgarlöften för året %(years)s:")
    ) % {"years": years}
    situation = period.situation_picture.strip()
    sources = ", ".join(str(source) for source in period.sources.all())
    if situation and sources:
        situation += "\n\n" + _("Lägesbilden bygger på: %(sources)s.") % {"sources": sources}
    return {
        "officer_name": by.get_full_name() or by.get_username(),
        "officer_email": by.email,
        "recipient": _("Kommunstyrelsen"),
        "memo_date": today,
        "title": _("Medborgarlöfte mellan polisen och %(municipality)s %(years)s")
        % {"municipality": municipality, "years": years},
        "proposal_heading": _("Förslag till beslut"),
        "clause_style": ClauseStyle.ATT,
        "clauses": [
            {"text": clause, "items": [_lower_first(promise.title) for promise in promises]}
        ],
        "summary": period.introduction.strip(),
        "description": situation,
        "follow_up": period.follow_up_text.strip(),
        "basis": [
            {"text": _("Tjänsteskrivelse"), "date": today.isoformat()},
            {"text": _("Bilaga – medborgarlöften %(years)s") % {"years": years}, "date": ""},
        ],
        "distribution": [_("Diariet")],
        "signatures": [],
    }


@transaction.atomic
def create_memo_from_period(period: PromisePeriod, *, by, today=None) -> DecisionMemo:
    """Start a draft memo for the period, pre-filled by ``memo_defaults``.

    Its version follows the period's latest memo. Raises ValidationError when the period already
    has a draft (there is one draft at a time; edit that one). Side effects: one memo and its
    history entry; the kommun's cache version is renewed.
    """
    PromisePeriod.objects.select_for_update().get(pk=period.pk)
    if period.memos.filter(status=MemoStatus.DRAFT).exists():
        raise ValidationError(
            _("Det finns redan ett utkast till tjänsteskrivelse för det här medborgarlöftet."),
            code="draft_exists",
        )
    latest = period.memos.aggregate(latest=Max("version"))["latest"] or 0
    memo = DecisionMemo(
        period=period, version=latest + 1, **memo_defaults(period, by=by, today=today)
    )
    memo._history_user = by
    memo.save()
    versioning.renew_kommun(period.municipality)
    return memo


@transaction.atomic
def update_memo(memo: DecisionMemo, *, by, **changes) -> DecisionMemo:
    """Change fields of a draft memo; returns the fresh, saved memo.

    Raises ValidationError, writing nothing, when the memo is finalised (make a new version
    instead) or a list is malformed. An unknown field is a programming error (TypeError).
    Side effects: the memo and one history entry; the kommun's cache version is renewed.
    """
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"update_memo() cannot change {', '.join(sorted(unknown))}")
    memo = locked(memo, "period__municipality")
    if memo.is_final:
        raise ValidationError(
            _("En fastställd tjänsteskrivelse kan inte ändras. Skapa en ny version."),
            code="final",
        )
    for field in _TEXT_FIELDS & set(changes):
        changes[field] = (changes[field] or "").strip()
    errors = {}
    _check_lists(errors, changes)
    if "title" in changes and not changes["title"]:
        errors.setdefault("title", []).append(_("Ange ärendemeningen (rubriken)."))
    if errors:
        raise ValidationError(errors)
    for field, value in changes.items():
        setattr(memo, field, value)
    memo._history_user = by
    memo.save()
    versioning.renew_kommun(memo.period.municipality)
    return memo


def missing_for_finalise(memo: DecisionMemo) -> list[str]:
    """What the format requires that the memo lacks, in Swedish; empty when it may be finalised."""
    missing = []
    if not memo.reference.strip():
        missing.append(_("Diarienummer saknas."))
    if not memo.recipient.strip():
        missing.append(_("Mottagare saknas."))
    if not memo.memo_date:
        missing.append(_("Datum saknas."))
    if not memo.title.strip():
        missing.append(_("Ärendemening (rubrik) saknas."))
    if not any(clause.get("text", "").strip() for clause in memo.clauses):
        missing.append(_("Minst en beslutssats (att-sats) behövs."))
    if not any(signature.get("name", "").strip() for signature in memo.signatures):
        missing.append(_("Minst en undertecknare behövs."))
    return missing


@transaction.atomic
def finalise_memo(memo: DecisionMemo, *, by) -> DecisionMemo:
    """Freeze a draft memo: render its PDF once and store it with its SHA-256 and data.

    Side effects: writes ``memos/<uuid>.pdf`` to the default storage, sets status final,
    ``finalised_at``/``finalised_by``, ``sha256`` and ``frozen_data`` (the document data the PDF
    was made from, including the promise document attached as Bilaga), adds a history entry and
    renews the kommun's cache version.

    Raises ValidationError, writing nothing, when the memo is already final or lacks a field the
    format requires (diarienummer, mottagare, datum, rubrik, an att-clause, a signatory); the
    messages list every missing field.
    """
    memo = (
        DecisionMemo.objects.select_for_update(of=("self",))
        .select_related("period__municipality")
        .get(pk=memo.pk)
    )
    if memo.is_final:
        raise ValidationError(_("Tjänsteskrivelsen är redan fastställd."), code="final")
    missing = missing_for_finalise(memo)
    if missing:
        raise ValidationError({NON_FIELD_ERRORS: missing})

    data = memo_data(memo)
    pdf = render_memo_pdf(data)
    memo.pdf.save(f"{uuid.uuid4()}.pdf", ContentFile(pdf), save=False)
    memo.sha256 = pdf_sha256(pdf)
    memo.frozen_data = data
    memo.status = MemoStatus.FINAL
    memo.finalised_at = timezone.now()
    memo.finalised_by = by
    memo._history_user = by
    memo._change_reason = _("Fastställd")
    try:
        memo.save()
        versioning.renew_kommun(memo.period.municipality)
    except Exception:
        # No stored PDF without its row.
        memo.pdf.storage.delete(memo.pdf.name)
        raise
    return memo


@transaction.atomic
def new_memo_version(memo: DecisionMemo, *, by) -> DecisionMemo:
    """A draft copy of a finalised memo with the next version number, to edit.

    The finalised memo and its PDF stay as they are. Raises ValidationError when the memo is not
    final or the period already has a draft. Side effects: one memo and its history entry; the
    kommun's cache version is renewed.
    """
    memo = DecisionMemo.objects.select_for_update().get(pk=memo.pk)
    if not memo.is_final:
        raise ValidationError(_("Bara en fastställd tjänsteskrivelse får en ny version."))
    period = PromisePeriod.objects.select_for_update().get(pk=memo.period_id)
    if period.memos.filter(status=MemoStatus.DRAFT).exists():
        raise ValidationError(
            _("Det finns redan ett utkast till tjänsteskrivelse för det här medborgarlöftet."),
            code="draft_exists",
        )
    latest = period.memos.aggregate(latest=Max("version"))["latest"]
    copy = DecisionMemo(
        period=period,
        version=latest + 1,
        is_demo=memo.is_demo,
        **{field: getattr(memo, field) for field in EDITABLE_FIELDS},
    )
    copy._history_user = by
    copy.save()
    versioning.renew_kommun(period.municipality)
    return copy


def pdf_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- Validation of the JSON lists ---------------------------------------------------------------


def _check_lists(errors, changes):
    def fail(field, message):
        errors.setdefault(field, []).append(message)

    if "clause_style" in changes and changes["clause_style"] not in ClauseStyle.values:
        fail("clause_style", _("Välj en av formerna i listan."))
    if "clauses" in changes:
        clauses = changes["clauses"]
        if not isinstance(clauses, list) or not all(
            isinstance(clause, dict)
            and isinstance(clause.get("text"), str)
            and isinstance(clause.get("items", []), list)
            and all(isinstance(item, str) for item in clause.get("items", []))
            for clause in clauses
        ):
            fail("clauses", _("Beslutssatserna har fel form."))
    if "basis" in changes:
        basis = changes["basis"]
        if not isinstance(basis, list) or not all(
            isinstance(item, dict)
            and isinstance(item.get("text"), str)
            and isinstance(item.get("date", ""), str)
            for item in basis
        ):
            fail("basis", _("Beslutsunderlaget har fel form."))
    if "distribution" in changes:
        distribution = changes["distribution"]
        if not isinstance(distribution, list) or not all(
            isinstance(item, str) for item in distribution
        ):
            fail("distribution", _("Mottagarna av beslutet har fel form."))
    if "signatures" in changes:
        signatures = changes["signatures"]
        if not isinstance(signatures, list) or not all(
            isinstance(item, dict)
            and isinstance(item.get("name"), str)
            and isinstance(item.get("title", ""), str)
            for item in signatures
        ):
            fail("signatures", _("Underskrifterna har fel form."))
