"""What the review page shows beside each field: the source sentence with the words the value came
from highlighted, and the quality hints an editor should see before creating the draft."""

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from promises.models import TargetKind
from promises.parsing import Field


def highlight(text: str, field: Field | None) -> SafeString:
    """The field's source sentence from ``text``, escaped, with its words in ``<mark>``.

    Empty when the value has no source (a default, or nothing found). Offsets are into ``text``
    (the parsed document's text); the words may reach past the sentence, so the excerpt covers
    both.
    """
    if field is None or field.sentence_span is None:
        return mark_safe("")
    start, end = field.sentence_span
    if field.span is None:
        return escape(text[start:end].strip())
    words_start, words_end = field.span
    start, end = min(start, words_start), max(end, words_end)
    before, words, after = (
        text[start:words_start],
        text[words_start:words_end],
        text[words_end:end],
    )
    return format_html("{}<mark>{}</mark>{}", before.lstrip(), words, after.rstrip())


def activity_hints(values: dict, cadence_evidence: Field | None) -> list[str]:
    """Hints for one activity from its current values (as parsed, or as the editor changed them).

    ``values`` holds ``target_kind``, ``target_quantity`` and ``cadence`` as strings or ``None``;
    ``cadence_evidence`` is the parsed cadence, whose value without a source is only a default.
    """
    kind = values.get("target_kind") or ""
    quantity, cadence = values.get("target_quantity"), values.get("cadence") or ""
    hints = []
    if kind == TargetKind.ONGOING or (kind == TargetKind.COUNT and not quantity):
        hints.append(_("Inte mätbar – lägg till ett antal?"))
    if kind == TargetKind.COUNT and quantity and _without_time_frame(cadence, cadence_evidence):
        hints.append(
            _("Antal utan tidsram – ange om målet gäller per år, per månad eller hela perioden.")
        )
    return hints


def _without_time_frame(cadence: str, evidence: Field | None) -> bool:
    if not cadence:
        return True
    # The parser's default ("under perioden" when the text names none) still needs a look.
    return evidence is not None and evidence.span is None and cadence == evidence.value


def promise_hints(activity_count: int) -> list[str]:
    if activity_count == 0:
        return [_("Löfte utan aktiviteter – koppla en aktivitet till löftet, eller ta bort det.")]
    return []
