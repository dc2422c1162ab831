"""Tyck till om tryggheten: every write. A citizen's message reaches the kommun's editors (by
mail and in their inbox), is never public, and is counted per theme into a lägesbild source."""

from collections import Counter
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from municipalities import versioning
from municipalities.site.tasks import enqueue_after_commit
from promises.models import Feedback, PeriodStatus, SituationSource, SourceKind

RETENTION = timedelta(days=365)


@transaction.atomic
def submit_feedback(*, by, municipality, text, place="", email="", theme=None, language="sv"):
    """Store a citizen's message. ``by`` is the anonymous visitor (nothing of them is kept but
    what they typed). Side effects: a Feedback row; after commit a task mails the editors."""
    feedback = Feedback.objects.create(
        municipality=municipality,
        text=text.strip(),
        place=place.strip(),
        email=email.strip().lower(),
        theme=theme,
        language=language,
        received_at=timezone.now(),
    )
    from promises.feedback.tasks import notify_editors

    enqueue_after_commit(notify_editors, feedback.pk)
    return feedback


def _description(items) -> str:
    counts = Counter(item.theme.name if item.theme else _("Övrigt") for item in items)
    per_theme = ", ".join(f"{name} {count}" for name, count in sorted(counts.items()))
    first = min(item.received_at for item in items)
    last = max(item.received_at for item in items)
    text = ngettext(
        "Tyck till på webben %(first)s–%(last)s: %(count)s synpunkt (%(themes)s)",
        "Tyck till på webben %(first)s–%(last)s: %(count)s synpunkter (%(themes)s)",
        len(items),
    ) % {
        "first": timezone.localdate(first).isoformat(),
        "last": timezone.localdate(last).isoformat(),
        "count": len(items),
        "themes": per_theme,
    }
    return text[:300]


@transaction.atomic
def attach_feedback_to_period(period, *, by) -> SituationSource:
    """Count the kommun's not yet counted messages as one source of the period's lägesbild, of
    kind "Medborgardialog (webb)", with the number per theme.

    Only a draft's lägesbild can change (adoption locks it). Side effects: a SituationSource,
    the messages point to it, the kommun's data version moves on. Raises ValidationError.
    """
    if period.status != PeriodStatus.DRAFT:
        raise ValidationError(
            _("Lägesbilden är låst när medborgarlöftet är antaget. Välj ett utkast.")
        )
    items = list(
        Feedback.objects.select_for_update(of=("self",))
        .filter(municipality=period.municipality, source__isnull=True)
        .select_related("theme")
    )
    if not items:
        raise ValidationError(_("Det finns inga nya synpunkter att räkna in."))
    source = SituationSource.objects.create(
        period=period, kind=SourceKind.CITIZEN_DIALOGUE_WEB, description=_description(items)
    )
    Feedback.objects.filter(pk__in=[item.pk for item in items]).update(source=source)
    versioning.bump([period.municipality.slug])
    return source


@transaction.atomic
def delete_old_feedback(*, by=None, now=None) -> int:
    """Delete messages older than a year (the privacy page promises it; run daily)."""
    now = now or timezone.now()
    deleted, _counts = Feedback.objects.filter(received_at__lt=now - RETENTION).delete()
    return deleted
