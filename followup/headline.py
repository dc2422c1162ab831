"""The headline of a period, a kommun's card or a report, worded from ``followup.progress``.

Measurable activities (a number to reach, or a milestone) are counted apart from work without a
number, so a period with four ongoing activities never reads "1 av 6 aktiviteter uppnådda":
"1 av 2 aktiviteter med mål uppnådda · 4 löpande aktiviteter med 57 registrerade insatser".
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import ngettext

from followup.progress import ActivityProgress, SpanProgress, Status
from promises.models import TargetKind

MEASURABLE_KINDS = {TargetKind.COUNT, TargetKind.MILESTONE}
# Statuses of something still running: while any is present, "enligt plan" counts as going well.
RUNNING_STATUSES = {Status.ON_TRACK, Status.BEHIND, Status.NOT_STARTED}


@dataclass(frozen=True)
class Headline:
    """Counts behind the headline. ``achieved`` counts Uppnått, ``on_track`` Enligt plan, among
    the ``measurable`` activities; ``ongoing`` and ``on_request`` activities are counted with the
    quantity of work registered for them (``ongoing_done``, ``on_request_done``)."""

    measurable: int = 0
    achieved: int = 0
    on_track: int = 0
    running: bool = False
    upcoming: bool = False
    ongoing: int = 0
    ongoing_done: int = 0
    on_request: int = 0
    on_request_done: int = 0

    @property
    def parts(self) -> list[str]:
        """The headline's sentences, to be joined by " · "; empty without activities."""
        parts = []
        if self.measurable:
            parts.append(self._measurable_text())
        if self.ongoing:
            parts.append(
                ngettext(
                    "%(count)s löpande aktivitet med %(work)s",
                    "%(count)s löpande aktiviteter med %(work)s",
                    self.ongoing,
                )
                % {"count": self.ongoing, "work": _work(self.ongoing_done)}
            )
        if self.on_request:
            parts.append(
                ngettext(
                    "%(count)s aktivitet vid önskemål med %(work)s",
                    "%(count)s aktiviteter vid önskemål med %(work)s",
                    self.on_request,
                )
                % {"count": self.on_request, "work": _work(self.on_request_done)}
            )
        return parts

    def __str__(self) -> str:
        return " · ".join(self.parts)

    def _measurable_text(self) -> str:
        count = self.measurable
        if self.upcoming:
            text = ngettext("%(count)s aktivitet med mål", "%(count)s aktiviteter med mål", count)
            return text % {"count": count}
        if self.running:
            text = ngettext(
                "%(good)s av %(count)s aktivitet med mål uppnådd eller enligt plan",
                "%(good)s av %(count)s aktiviteter med mål uppnådda eller enligt plan",
                count,
            )
            return text % {"good": self.achieved + self.on_track, "count": count}
        text = ngettext(
            "%(good)s av %(count)s aktivitet med mål uppnådd",
            "%(good)s av %(count)s aktiviteter med mål uppnådda",
            count,
        )
        return text % {"good": self.achieved, "count": count}


def _work(quantity: int) -> str:
    return ngettext("%(count)s registrerad insats", "%(count)s registrerade insatser", quantity) % {
        "count": quantity
    }


def headline(progresses: Iterable[ActivityProgress | SpanProgress]) -> Headline:
    """The headline of some activities' progress: of a period as of a day, or of a report's span
    (then the work registered is the work inside the span)."""
    progresses = list(progresses)
    measurable = [p for p in progresses if p.activity.target_kind in MEASURABLE_KINDS]
    by_kind = {TargetKind.ONGOING: [], TargetKind.ON_REQUEST: []}
    for progress in progresses:
        by_kind.get(progress.activity.target_kind, []).append(progress)
    statuses = [progress.status for progress in measurable]
    return Headline(
        measurable=len(measurable),
        achieved=statuses.count(Status.ACHIEVED),
        on_track=statuses.count(Status.ON_TRACK),
        running=any(status in RUNNING_STATUSES for status in statuses),
        upcoming=bool(statuses) and all(status == Status.UPCOMING for status in statuses),
        ongoing=len(by_kind[TargetKind.ONGOING]),
        ongoing_done=sum(_done(p) for p in by_kind[TargetKind.ONGOING]),
        on_request=len(by_kind[TargetKind.ON_REQUEST]),
        on_request_done=sum(_done(p) for p in by_kind[TargetKind.ON_REQUEST]),
    )


def _done(progress: ActivityProgress | SpanProgress) -> int:
    """Work registered: in a report's span, or in the period up to the day of a progress."""
    return progress.done if isinstance(progress, SpanProgress) else progress.done_total
