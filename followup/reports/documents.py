"""The follow-up report (uppföljningsrapport) of a period for one tertial or one calendar year.

What was promised against what was done, per promise and activity, with status, expected to
date, deviations and a bar chart. The numbers come from ``followup.progress`` (its buckets and
status rules, never reimplemented here), computed *as of* the end of the report's span so that a
report on a past tertial reads the same whenever it is made: events after the span do not count,
and buckets that ended with the span show their outcome.

For an activity whose buckets are shorter than the report (a monthly target in a year report)
the overlapping buckets are summed: promised and done are the sums, expected to date counts
ended buckets in full, and the status is the running bucket's or, when all have ended, Uppnått
only if every one was.

Like the memo, the report is first *data* (plain strings and numbers, JSON-ready, stored as
``frozen_data`` when published) and then HTML and PDF.
"""

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db.models import F, Sum
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from followup.models import Deviation, EventKind, FollowUpEvent, ReportKind
from followup.progress import Status, bucket_key_sql, build_progress, rollup
from promises.documents.builders import long_date, municipality_name, paragraphs
from promises.documents.pdf import html_to_pdf
from promises.models import Activity, PromisePeriod, TargetKind
from promises.targets import target_text

TERTIAL_MONTHS = {1: (1, 4), 2: (5, 8), 3: (9, 12)}


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


def _sums_until(activity_ids, cutoff):
    """One query: counting events up to ``cutoff`` inside their period, per activity/bucket/kind."""
    rows = (
        FollowUpEvent.objects.counting()
        .filter(
            activity_id__in=activity_ids,
            occurred_on__gte=F("activity__period__starts_on"),
            occurred_on__lte=F("activity__period__ends_on"),
        )
        .filter(occurred_on__lte=cutoff)
        .annotate(bucket=bucket_key_sql())
        .values("activity_id", "bucket", "kind")
        .annotate(quantity=Sum("quantity"))
        .order_by()
    )
    sums = defaultdict(dict)
    for row in rows:
        sums[row["activity_id"]][(row["bucket"], row["kind"])] = row["quantity"]
    return sums


def _span_counts(activity_ids, start, end):
    """One query: counting events inside the span, per activity and kind."""
    rows = (
        FollowUpEvent.objects.counting()
        .filter(activity_id__in=activity_ids, occurred_on__gte=start, occurred_on__lte=end)
        .values("activity_id", "kind")
        .annotate(quantity=Sum("quantity"))
        .order_by()
    )
    counts = defaultdict(dict)
    for row in rows:
        counts[row["activity_id"]][row["kind"]] = row["quantity"]
    return counts


def _count_row(at_end, after_end, span, as_of, span_ended):
    """Promised, done, expected and status of a count activity over the report's span.

    ``at_end`` is the activity's progress as of ``as_of`` (the span's last day, or today while
    the span runs); ``after_end`` as of the day after, used for the buckets that end with the
    span, so they show their outcome (Uppnått / Ej uppnått) rather than their last running day.
    """
    closing = {
        bucket.start: bucket
        for bucket in after_end.buckets
        if bucket.end < as_of or (span_ended and bucket.end == as_of)
    }
    buckets = [
        closing.get(bucket.start, bucket)
        for bucket in at_end.buckets
        if bucket.start <= span.end and bucket.end >= span.start
    ]
    target = sum(bucket.target for bucket in buckets)
    done = sum(bucket.done for bucket in buckets)
    expected = 0
    for bucket in buckets:
        if bucket.end <= as_of and bucket.start in closing:
            expected += bucket.target
        elif bucket.expected is not None:
            expected += bucket.expected
    ended = [bucket for bucket in buckets if bucket.start in closing]
    if len(ended) == len(buckets):
        status = (
            buckets[0].status
            if len(buckets) == 1
            else (
                Status.ACHIEVED
                if all(bucket.status == Status.ACHIEVED for bucket in buckets)
                else Status.NOT_ACHIEVED
            )
        )
        expected = None if len(buckets) == 1 else expected
    else:
        current = next(
            (bucket for bucket in buckets if bucket.start <= as_of <= bucket.end), buckets[-1]
        )
        status = current.status
    summary = ""
    if len(buckets) > 1 and ended:
        achieved = sum(bucket.status == Status.ACHIEVED for bucket in ended)
        summary = _("%(achieved)s av %(count)s avslutade delperioder uppnådda") % {
            "achieved": achieved,
            "count": len(ended),
        }
    labels = [bucket.label for bucket in buckets]
    bucket_label = labels[0] if len(labels) == 1 else f"{labels[0]} – {labels[-1]}"
    return {
        "target": target,
        "done": done,
        "expected": expected if expected is not None and status != Status.UPCOMING else None,
        "status": str(status.label),
        "status_key": status.value,
        "bucket_label": bucket_label,
        "summary": summary,
        "bucket_starts": [bucket.start for bucket in buckets],
        "percent": min(100, round(100 * done / target)) if target else 0,
        "expected_percent": min(100, round(100 * expected / target)) if target and expected else 0,
    }


def report_data(period: PromisePeriod, span: ReportSpan, *, comment="", today=None) -> dict:
    """Everything the report prints, worded and formatted, in a fixed number of queries."""
    today = today or timezone.localdate()
    ended = today > span.end
    # Events count up to the span's end (or today while it runs); see _count_row for the day after.
    as_of = span.end if ended else today
    cutoff = as_of
    activities = list(
        Activity.objects.filter(period=period)
        .select_related("period", "promise")
        .prefetch_related("responsible_organisations")
        .order_by("position")
    )
    ids = [activity.pk for activity in activities]
    sums = _sums_until(ids, cutoff)
    in_span = _span_counts(ids, span.start, cutoff)
    deviations = defaultdict(list)
    for deviation in Deviation.objects.filter(activity_id__in=ids).order_by("bucket_start", "pk"):
        deviations[deviation.activity_id].append(deviation)

    rows_by_promise = defaultdict(list)
    progresses = []
    chart = []
    for number, activity in enumerate(activities, start=1):
        activity_sums = sums.get(activity.pk, {})
        progress = build_progress(activity, activity_sums, as_of)
        after_end = build_progress(activity, activity_sums, as_of + timedelta(days=1))
        counts = in_span.get(activity.pk, {})
        row = {
            "number": number,
            "description": activity.description,
            "target_text": target_text(activity),
            "responsible": ", ".join(o.name for o in activity.responsible_organisations.all()),
            "unit": activity.unit_plural,
            "counted": activity.target_kind == TargetKind.COUNT,
            "done_in_span": counts.get(EventKind.DONE, 0),
            "requested_in_span": counts.get(EventKind.REQUESTED, 0),
            "on_request": activity.target_kind == TargetKind.ON_REQUEST,
        }
        if row["counted"]:
            count = _count_row(progress, after_end, span, as_of, ended)
            starts = set(count.pop("bucket_starts"))
            row.update(count)
            status = Status(count["status_key"])
            chart.append(
                {
                    "label": f"{number}. {activity.unit_plural.capitalize()}",
                    "done": count["done"],
                    "target": count["target"],
                    "percent": count["percent"],
                    "expected_percent": count["expected_percent"],
                }
            )
        else:
            status = after_end.status if ended else progress.status
            starts = {period.starts_on}
            row.update({"status": str(status.label), "status_key": status.value})
        progresses.append(status)
        row["deviations"] = [
            {
                "reason": deviation.get_reason_display(),
                "text": deviation.text,
                "bucket_start": long_date(deviation.bucket_start),
            }
            for deviation in deviations[activity.pk]
            if deviation.bucket_start in starts
        ]
        rows_by_promise[activity.promise_id].append(row)

    promises = [
        {"title": promise.title, "rows": rows_by_promise[promise.pk]}
        for promise in period.promises.all()
        if rows_by_promise[promise.pk]
    ]
    if rows_by_promise[None]:
        promises.append({"title": _("Gemensamma aktiviteter"), "rows": rows_by_promise[None]})

    kommun = municipality_name(period.municipality)
    counts = rollup(_StatusOnly(status) for status in progresses)
    return {
        "municipality": kommun,
        "police_area": str(period.police_area) if period.police_area_id else "",
        "period_title": period.title,
        "period_dates": f"{long_date(period.starts_on)} – {long_date(period.ends_on)}",
        "title": _("Uppföljning av %(title)s, %(label)s")
        % {"title": period.title, "label": span.label},
        "span_label": span.label,
        "span_dates": f"{long_date(span.start)} – {long_date(span.end)}",
        "as_of": long_date(cutoff),
        "as_of_iso": cutoff.isoformat(),
        "ended": ended,
        "comment": paragraphs(comment),
        "status_counts": [
            {"status": str(status.label), "key": status.value, "count": count}
            for status, count in counts
        ],
        "activity_count": len(activities),
        "promises": promises,
        "chart": chart,
    }


@dataclass(frozen=True)
class _StatusOnly:
    """``rollup`` counts objects with a ``status``; here each activity's status in the span."""

    status: Status


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
    return html_to_pdf(render_report_html(data, draft=draft))


def published_reports_for(period: PromisePeriod):
    """The period's published reports, newest span first: for its public page (anyone sees)."""
    return period.reports.filter(status="published").order_by("-year", "-tertial", "-version")


def report_filename(report) -> str:
    municipality = report.period.municipality.slug
    span = (
        f"{report.year}" if report.kind == ReportKind.YEAR else f"{report.year}-t{report.tertial}"
    )
    return f"uppfoljning-{municipality}-{report.period.slug}-{span}-v{report.version}.pdf"
