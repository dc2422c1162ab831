"""The follow-up report (uppföljningsrapport) of a period for one tertial or one calendar year.

What was promised against what was done, per promise and activity, with status, expected to
date, deviations and a bar chart. Every number and status comes from ``followup.progress`` (its
span summary, ``ActivityProgress.span``); this module only chooses, words and formats them.

A report shows what was known at its cut-off (DESIGN §5): events that happened by the span's end
and were logged by the moment the report is made (published, or previewed now), at the latest by
the end of the 30th day after the span, when late registration closes; deviations written by the
same moment. So a report on a past tertial reads the same whenever it is made.

Like the memo, the report is first *data* (plain strings and numbers, JSON-ready, stored as
``frozen_data`` when published) and then HTML and PDF.
"""

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from followup.headline import headline
from followup.models import Deviation, ReportKind
from followup.progress import SpanProgress, progress_for, rollup
from promises.documents.builders import long_date, municipality_name, paragraphs
from promises.documents.pdf import html_to_pdf
from promises.models import Activity, PromisePeriod, TargetKind
from promises.targets import target_text

TERTIAL_MONTHS = {1: (1, 4), 2: (5, 8), 3: (9, 12)}
# Events dated inside a period may be logged up to 30 days after (DESIGN §5, "efterregistrerad").
LATE_REGISTRATION = timedelta(days=30)


@dataclass(frozen=True)
class ReportSpan:
    """The days a report covers: its calendar year or tertial, clipped to the period."""

    kind: str
    year: int
    tertial: int | None
    start: date
    end: date

    @property
    def label(self) -> str:
        if self.kind == ReportKind.TERTIAL:
            return _("Tertial %(tertial)s %(year)s") % {"tertial": self.tertial, "year": self.year}
        return _("Helår %(year)s") % {"year": self.year}


def _calendar_span(kind, year, tertial) -> tuple[date, date]:
    if kind == ReportKind.TERTIAL:
        first, last = TERTIAL_MONTHS[tertial]
        return date(year, first, 1), date(year, last, calendar.monthrange(year, last)[1])
    return date(year, 1, 1), date(year, 12, 31)


def report_span(
    period: PromisePeriod,
    kind: str,
    year: int,
    tertial: int | None = None,
    *,
    today: date | None = None,
) -> ReportSpan:
    """The span of a report, or ValidationError with a Swedish message when it cannot be made:
    an unknown kind or tertial, a span outside the period, or one that has not begun."""
    today = today or timezone.localdate()
    if kind not in ReportKind.values:
        raise ValidationError(_("Välj helår eller tertial."), code="invalid_kind")
    if kind == ReportKind.TERTIAL and tertial not in TERTIAL_MONTHS:
        raise ValidationError(_("Välj tertial 1, 2 eller 3."), code="invalid_tertial")
    if kind == ReportKind.YEAR:
        tertial = None
    if not isinstance(year, int) or not 1900 <= year <= 9999:
        raise ValidationError(_("Ange ett giltigt år."), code="invalid_year")
    unit_start, unit_end = _calendar_span(kind, year, tertial)
    start, end = max(unit_start, period.starts_on), min(unit_end, period.ends_on)
    label = ReportSpan(kind, year, tertial, start, end).label
    if start > end:
        raise ValidationError(
            _(
                "%(label)s ligger utanför medborgarlöftets period (%(start)s – %(end)s). "
                "Välj ett år eller tertial inom perioden."
            )
            % {
                "label": label,
                "start": long_date(period.starts_on),
                "end": long_date(period.ends_on),
            },
            code="outside_period",
        )
    if start > today:
        raise ValidationError(
            _("%(label)s har inte börjat ännu, så det finns inget att följa upp.")
            % {"label": label},
            code="not_started",
        )
    return ReportSpan(kind, year, tertial, start, end)


def report_cutoff(span: ReportSpan, moment: datetime) -> datetime:
    """The last moment whose registrations a report shows: when it is made (published, or
    previewed now), or the end of the 30th day after its span if that is earlier."""
    closing = datetime.combine(span.end + LATE_REGISTRATION, time.max)
    return min(moment, timezone.make_aware(closing))


def _deviations_by_activity(activity_ids, cutoff) -> dict[int, list[Deviation]]:
    """One query: the activities' deviations written by the cut-off, oldest bucket first."""
    deviations = defaultdict(list)
    written = Deviation.objects.filter(activity_id__in=activity_ids, created_at__lte=cutoff)
    for deviation in written.order_by("bucket_start", "pk"):
        deviations[deviation.activity_id].append(deviation)
    return deviations


def _done_text(progress: SpanProgress) -> str:
    """What was done in the span, in words, for an activity without a number."""
    activity = progress.activity
    if activity.target_kind == TargetKind.ON_REQUEST:
        return _("%(done)s av %(requested)s önskemål") % {
            "done": progress.done,
            "requested": progress.requested,
        }
    if activity.target_kind == TargetKind.MILESTONE:
        if progress.done:
            return _("Genomförd")
        if progress.done_total:
            # Recorded in an earlier span: done, though not in this one.
            return _("Genomförd före %(date)s") % {"date": long_date(progress.start)}
        return _("Inte genomförd")
    return ngettext("%(count)s händelse", "%(count)s händelser", progress.done) % {
        "count": progress.done
    }


def _count_columns(progress: SpanProgress) -> dict:
    """Promised, done and expected over the buckets overlapping the span, worded."""
    labels = [bucket.label for bucket in progress.buckets]
    return {
        "target": progress.target,
        "target_unit": progress.activity.unit_for(progress.target),
        "done": progress.done_in_buckets,
        "expected": progress.expected,
        "bucket_label": labels[0] if len(labels) == 1 else f"{labels[0]} – {labels[-1]}",
        "summary": progress.summary,
        "percent": progress.percent,
        "expected_percent": progress.expected_percent,
    }


def _activity_row(progress: SpanProgress, deviations: list[Deviation]) -> dict:
    """One activity's row, numbered as its period numbers it."""
    activity = progress.activity
    starts = {span.start for span in progress.bucket_spans}
    row = {
        "number": activity.position,
        "description": activity.description,
        "target_text": target_text(activity),
        "responsible": ", ".join(o.name for o in activity.responsible_organisations.all()),
        "unit": activity.unit_plural,
        "counted": activity.target_kind == TargetKind.COUNT,
        "on_request": activity.target_kind == TargetKind.ON_REQUEST,
        "done_in_span": progress.done,
        "requested_in_span": progress.requested,
        "status": str(progress.status.label),
        "status_key": progress.status.value,
        "deviations": [
            {
                "reason": deviation.get_reason_display(),
                "text": deviation.text,
                "bucket_start": long_date(deviation.bucket_start),
            }
            for deviation in deviations
            if deviation.bucket_start in starts
        ],
    }
    row.update(_count_columns(progress) if row["counted"] else {"done_text": _done_text(progress)})
    return row


def _chart_bar(row: dict) -> dict:
    return {
        "label": f"{row['number']}. {row['unit'].capitalize()}",
        **{key: row[key] for key in ("done", "target", "percent", "expected_percent")},
    }


def report_data(
    period: PromisePeriod,
    span: ReportSpan,
    *,
    comment: str = "",
    today: date | None = None,
    at: datetime | None = None,
) -> dict:
    """Everything the report prints, worded and formatted, in a fixed number of queries.

    ``at`` is the moment the report is made (default now: a preview; the publication time when
    published); ``today`` the day its statuses are judged (default: the day of ``at``).
    """
    at = at or timezone.now()
    today = today or timezone.localdate(at)
    cutoff = report_cutoff(span, at)
    activities = list(
        Activity.objects.filter(period=period)
        .select_related("period", "promise")
        .prefetch_related("responsible_organisations")
        .order_by("position")
    )
    progresses = progress_for(
        activities, today=today, logged_by=cutoff, spans=[(span.start, span.end)]
    )
    spans = [progresses[activity.pk].span(span.start, span.end) for activity in activities]
    deviations = _deviations_by_activity([activity.pk for activity in activities], cutoff)

    rows_by_promise = defaultdict(list)
    chart = []
    for progress in spans:
        row = _activity_row(progress, deviations[progress.activity.pk])
        rows_by_promise[progress.activity.promise_id].append(row)
        if row["counted"]:
            chart.append(_chart_bar(row))

    promises = [
        {"title": promise.title, "rows": rows_by_promise[promise.pk]}
        for promise in period.promises.all()
        if rows_by_promise[promise.pk]
    ]
    if rows_by_promise[None]:
        promises.append({"title": _("Gemensamma aktiviteter"), "rows": rows_by_promise[None]})

    as_of = min(span.end, today)
    cutoff_day = timezone.localtime(cutoff).date()
    return {
        "municipality": municipality_name(period.municipality),
        "police_area": str(period.police_area) if period.police_area_id else "",
        "period_title": period.title,
        "period_dates": f"{long_date(period.starts_on)} – {long_date(period.ends_on)}",
        "title": _("Uppföljning av %(title)s, %(label)s")
        % {"title": period.title, "label": span.label},
        "span_label": span.label,
        "span_dates": f"{long_date(span.start)} – {long_date(span.end)}",
        "as_of": long_date(as_of),
        "as_of_iso": as_of.isoformat(),
        "cutoff": long_date(cutoff_day),
        "cutoff_iso": cutoff.isoformat(),
        "ended": today > span.end,
        "comment": paragraphs(comment),
        "headline": str(headline(spans)),
        "status_counts": [
            {"status": str(status.label), "key": status.value, "count": count}
            for status, count in rollup(spans)
        ],
        "activity_count": len(activities),
        "promises": promises,
        "chart": chart,
    }


# --- Chart --------------------------------------------------------------------------------------

BAR_HEIGHT, ROW_HEIGHT, LABEL_WIDTH, BAR_WIDTH, WIDTH = 14, 26, 190, 330, 620


def chart_alt(data: dict) -> str:
    return _(
        "Stapeldiagram: hur stor del av målet som är gjord för varje aktivitet med ett antal "
        "som mål. Samma siffror står i tabellerna."
    )


def chart_description(data: dict) -> str:
    return "; ".join(
        _("%(label)s: %(done)s av %(target)s (%(percent)s %%)")
        % {
            "label": bar["label"],
            "done": bar["done"],
            "target": bar["target"],
            "percent": bar["percent"],
        }
        for bar in data["chart"]
    )


def chart_svg(data: dict) -> str:
    """An SVG bar chart of done against promised, our own markup with every text escaped.

    Each bar is the share of the target done (capped at 100 %), a thin mark shows the expected
    share to date, and the numbers are written beside the bar: the chart never carries
    information alone, and the same numbers are in the tables.
    """
    bars = data["chart"]
    height = ROW_HEIGHT * len(bars) + 34
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-labelledby="chart-title chart-desc" '
        'font-family="Liberation Sans, sans-serif" font-size="11">',
        f'<title id="chart-title">{escape(chart_alt(data))}</title>',
        f'<desc id="chart-desc">{escape(chart_description(data))}</desc>',
    ]
    for index, bar in enumerate(bars):
        y = 8 + index * ROW_HEIGHT
        width = round(BAR_WIDTH * bar["percent"] / 100)
        parts.append(
            f'<text x="0" y="{y + 11}" fill="#000">{escape(_truncate(bar["label"], 30))}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{BAR_WIDTH}" height="{BAR_HEIGHT}" '
            'fill="#e6e9ec" stroke="#8a949e" stroke-width="0.5"/>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width}" height="{BAR_HEIGHT}" '
            'fill="#1f5f8b"/>'
        )
        if bar["expected_percent"]:
            x = LABEL_WIDTH + round(BAR_WIDTH * bar["expected_percent"] / 100)
            parts.append(
                f'<line x1="{x}" y1="{y - 3}" x2="{x}" y2="{y + BAR_HEIGHT + 3}" '
                'stroke="#000" stroke-width="1.5" stroke-dasharray="2 1"/>'
            )
        numbers = _("%(done)s av %(target)s") % {"done": bar["done"], "target": bar["target"]}
        parts.append(
            f'<text x="{LABEL_WIDTH + BAR_WIDTH + 8}" y="{y + 11}" fill="#000">'
            f"{escape(numbers)} ({bar['percent']} %)</text>"
        )
    legend_y = height - 10
    parts.append(
        f'<rect x="{LABEL_WIDTH}" y="{legend_y - 9}" width="10" height="10" fill="#1f5f8b"/>'
        f'<text x="{LABEL_WIDTH + 14}" y="{legend_y}" fill="#000">{escape(_("Gjort"))}</text>'
        f'<line x1="{LABEL_WIDTH + 70}" y1="{legend_y - 11}" x2="{LABEL_WIDTH + 70}" '
        f'y2="{legend_y + 2}" stroke="#000" stroke-width="1.5" stroke-dasharray="2 1"/>'
        f'<text x="{LABEL_WIDTH + 76}" y="{legend_y}" fill="#000">'
        f"{escape(_('Förväntat hittills'))}</text>"
    )
    parts.append("</svg>")
    return "".join(parts)


def chart_markup(data: dict):
    """The chart ready for a template: our own markup (numbers, escaped labels), or ""."""
    # mark_safe is right here: chart_svg escapes every text it inserts (see its docstring).
    return mark_safe(chart_svg(data)) if data["chart"] else ""  # noqa: S308


def _truncate(text, length):
    return text if len(text) <= length else text[: length - 1] + "…"


# --- Rendering ----------------------------------------------------------------------------------


def render_report_html(data: dict, *, draft: bool = False) -> str:
    return render_to_string(
        "documents/report.html",
        {
            "doc": data,
            "draft": draft,
            "chart_svg": chart_markup(data),
        },
    )


def render_report_pdf(data: dict, *, draft: bool = False) -> bytes:
    """The report as PDF: a published (frozen) report is archival PDF/A-2u, a draft PDF/UA-1."""
    return html_to_pdf(render_report_html(data, draft=draft), archival=not draft)


def report_filename(report) -> str:
    municipality = report.period.municipality.slug
    span = (
        f"{report.year}" if report.kind == ReportKind.YEAR else f"{report.year}-t{report.tertial}"
    )
    return f"uppfoljning-{municipality}-{report.period.slug}-{span}-v{report.version}.pdf"
