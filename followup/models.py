"""Logged follow-up events and deviations. Progress is derived from events, never stored."""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Count, F, Func, Q, Subquery, Sum
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from municipalities.models import Municipality, Organisation, OrganisationKind
from promises.models import Activity, PromisePeriod, public_period

# A single event records what one party did on one day; more than this is a typing error.
MAX_EVENT_QUANTITY = 1000
PLACE_MAX_LENGTH = 200
SUMMARY_MAX_LENGTH = 500
NOTE_MAX_LENGTH = 2000
REASON_MAX_LENGTH = 500
# After a period's last day, events dated inside it may still be logged for this long: they are
# shown publicly as "efterregistrerad" with their logging date (DESIGN §5).
LATE_LOGGING = timedelta(days=30)


class EventKind(models.TextChoices):
    DONE = "done", _("Genomfört")
    # Only for activities done on request ("om önskemål uppkommer").
    REQUESTED = "requested", _("Önskemål inkommit")


# Police events of a period whose police publish only monthly counts (for operational reasons):
# the public sees them summed per month, never one by one (no date, no place, no summary).
POLICE_MONTHLY_ONLY = Q(
    activity__period__police_monthly_counts_only=True, organisation__kind=OrganisationKind.POLICE
)


def first_unpublished_police_day(today: date | None = None) -> date:
    """The police monthly guard: only completed months are published, so police events of
    monthly-only periods dated from this day (the first of the running month) on are held back
    from everything public (counts, sums, progress) until the month has ended."""
    return (today or timezone.localdate()).replace(day=1)


def _running_police_month(today: date | None, events=None):
    """Police events of monthly-only periods in the running month: ``POLICE_MONTHLY_ONLY`` from
    ``first_unpublished_police_day``, found through the short list of monthly-only activities.
    The public sums leave these out by id, so that national sums still read the events alone,
    joining nothing: the id is in the events' indexes, the organisation is not, and asking for it
    sent PostgreSQL to the table for every event."""
    events = FollowUpEvent.objects.all() if events is None else events
    return events.filter(
        occurred_on__gte=first_unpublished_police_day(today),
        activity__in=Activity.objects.filter(period__police_monthly_counts_only=True).values("pk"),
        organisation__in=Organisation.objects.filter(kind=OrganisationKind.POLICE).values("pk"),
    )


def _public_activity_ids(activities) -> tuple[list[int], list[int]]:
    """Of activities fetched with their period: the ids of those of published periods, and
    among them those whose police publish monthly counts only (``POLICE_MONTHLY_ONLY``)."""
    shown = [a for a in activities if a.period.is_public]
    monthly = [a.pk for a in shown if a.period.police_monthly_only_in_public]
    return [a.pk for a in shown], monthly


class FollowUpEventQuerySet(models.QuerySet):
    def counting(self):
        """Events that count towards progress: not retracted."""
        return self.filter(retracted_at__isnull=True)

    def retracted(self):
        return self.filter(retracted_at__isnull=False)

    def public(self):
        """Events anyone may see one by one: those of published periods, except police events
        of a period whose police publish only monthly counts (see ``public_police_monthly``).

        Retracted events are included (pages show them as corrected, with the public reason);
        chain ``counting()`` for standing events only. The internal note and who logged the
        event are never selected.
        """
        return (
            self.filter(public_period("activity__period__"))
            .exclude(POLICE_MONTHLY_ONLY)
            .defer("internal_note", "logged_by")
        )

    def public_police_monthly(self, *fields, today: date | None = None):
        """The police events the public may see only as monthly counts, already summed.

        Standing events of published periods whose police publish only monthly counts, inside
        the period (as for progress) and in a month that has ended by ``today`` (default: today;
        the running month is published once it is over), grouped by activity, year and month
        (plus ``fields``, e.g. the kommun's code): rows with ``quantity`` (the sum) and
        ``events`` (how many), ordered by activity and month. No row carries a date, a place or
        a summary.
        """
        return (
            self.counting()
            .filter(
                public_period("activity__period__"),
                POLICE_MONTHLY_ONLY,
                occurred_on__gte=F("activity__period__starts_on"),
                occurred_on__lte=F("activity__period__ends_on"),
                occurred_on__lt=first_unpublished_police_day(today),
            )
            .annotate(year=ExtractYear("occurred_on"), month=ExtractMonth("occurred_on"))
            .values("activity_id", *fields, "year", "month")
            .annotate(quantity=Sum("quantity"), events=Count("id"))
            .order_by("activity_id", "year", "month")
        )

    def public_in_sums(self, today: date | None = None):
        """Events whose quantities the public may see summed (national counts, theme totals,
        public progress): those of published periods, police events of monthly-only periods
        included, since a total shows no date or place, but only for months that have ended by
        ``today`` (default: today), as the monthly counts. Never list these one by one: that is
        ``public()``.

        Written as "not of an unpublished period": those activities are a short list, so
        PostgreSQL counts straight from the ``event_latest_counting`` index instead of joining
        every event to its period.
        """
        return self.exclude(activity__in=Activity.objects.not_public().values("pk")).exclude(
            pk__in=_running_police_month(today).values("pk")
        )

    def held_back_from_sums(self, today: date | None = None):
        """The standing events that ``ActivityYearTotal`` rows count but the public sums leave
        out: police events of published monthly-only periods in the running month (a short
        list, read through the monthly-only activities)."""
        public = self.exclude(activity__in=Activity.objects.not_public().values("pk"))
        return _running_police_month(today, public.counting())

    def public_of(self, activities):
        """``public()`` for the events of activities already fetched with their period (an
        activity page, a period's own lists): the same events of those activities, with the
        period's two rules read from the fetched periods instead of joined in, so the query
        reads the events by their activity index and plans no join to activity and period."""
        shown, monthly = _public_activity_ids(activities)
        events = self.filter(activity_id__in=shown)
        if monthly:
            police = Q(organisation__kind=OrganisationKind.POLICE)
            events = events.exclude(Q(activity_id__in=monthly) & police)
        return events.defer("internal_note", "logged_by")

    def public_in_sums_of(self, activities, today: date | None = None):
        """``public_in_sums(today)`` for the events of activities already fetched with their
        period (one period's page): the same events of those activities, the two exclusions
        read from the fetched periods, so there is no subquery to plan (for national sums, where
        the activities are thousands, ``public_in_sums`` is the cheaper form)."""
        shown, monthly = _public_activity_ids(activities)
        events = self.filter(activity_id__in=shown)
        if monthly:
            police = Organisation.objects.filter(kind=OrganisationKind.POLICE).values("pk")
            running = Q(occurred_on__gte=first_unpublished_police_day(today))
            events = events.exclude(
                Q(activity_id__in=monthly) & running & Q(organisation__in=police)
            )
        return events


class FollowUpEvent(models.Model):
    """One logged occurrence of an activity: "trafikkontroll, 12 maj, 1 st".

    Events are never deleted. A wrong one is retracted with a reason and stays in the record.
    """

    activity = models.ForeignKey(
        Activity, on_delete=models.PROTECT, related_name="events", verbose_name=_("aktivitet")
    )
    kind = models.CharField(
        _("typ"), max_length=20, choices=EventKind.choices, default=EventKind.DONE
    )
    occurred_on = models.DateField(_("datum"))
    quantity = models.PositiveIntegerField(_("antal"), default=1)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("utfört av"),
    )
    place = models.CharField(_("plats"), max_length=PLACE_MAX_LENGTH, blank=True)
    summary = models.CharField(_("sammanfattning"), max_length=SUMMARY_MAX_LENGTH, blank=True)
    internal_note = models.TextField(_("intern anteckning"), max_length=NOTE_MAX_LENGTH, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="logged_events",
        verbose_name=_("loggad av"),
    )
    logged_at = models.DateTimeField(_("loggad"), auto_now_add=True)
    retracted_at = models.DateTimeField(_("återkallad"), null=True, blank=True)
    retracted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="retracted_events",
        verbose_name=_("återkallad av"),
    )
    retraction_reason = models.CharField(
        _("skäl till återkallelse"), max_length=REASON_MAX_LENGTH, blank=True
    )
    # Required (by followup.services) when the event is logged after the late-logging window
    # closed or the period was concluded; shown publicly in the corrections log.
    late_reason = models.CharField(
        _("skäl till registrering i efterhand"), max_length=REASON_MAX_LENGTH, blank=True
    )
    is_demo = models.BooleanField(_("demodata"), default=False)
    # The one-time token of the log form that created the event: the same form sent twice (a
    # double click, a retried request) finds it taken and logs nothing more. Unique, so two
    # concurrent submits cannot both win.
    submission_token = models.UUIDField(
        _("formulärets engångsnyckel"), null=True, blank=True, unique=True, editable=False
    )

    # Change reasons are retraction and correction reasons: as long as the reason field allows.
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))
    objects = FollowUpEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("händelse")
        verbose_name_plural = _("händelser")
        indexes = [
            models.Index(fields=["activity", "occurred_on"], name="event_activity_date"),
            models.Index(fields=["-logged_at"], name="event_logged_at"),
            # "The latest follow-ups" (index, feeds, kommun page) walk this newest first and
            # stop after a page; the year's national count reads it without the table.
            models.Index(
                fields=["-occurred_on", "-logged_at", "-id", "activity"],
                condition=Q(retracted_at__isnull=True),
                name="event_latest_counting",
            ),
            # Sums over many activities' standing events (a theme's totals), read from the
            # index alone, one activity at a time. Quantity and id are key columns rather than
            # INCLUDE ones only because SQLite (tests, development) has no INCLUDE.
            models.Index(
                fields=["activity", "occurred_on", "quantity", "id"],
                condition=Q(retracted_at__isnull=True),
                name="event_counting_covering",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1, quantity__lte=MAX_EVENT_QUANTITY),
                name="event_quantity_in_range",
            ),
            models.CheckConstraint(
                condition=(
                    Q(retracted_at__isnull=True, retracted_by__isnull=True, retraction_reason="")
                    | (
                        Q(retracted_at__isnull=False, retracted_by__isnull=False)
                        & ~Q(retraction_reason="")
                    )
                ),
                name="event_retraction_complete",
            ),
        ]

    def __str__(self):
        return f"{self.occurred_on}: {self.quantity} × {self.activity}"

    @property
    def is_retracted(self):
        return self.retracted_at is not None

    @property
    def is_late(self) -> bool:
        """Logged after its period's last day: shown publicly as "efterregistrerad" with the
        logging date. Reads ``activity.period`` (select it with the event)."""
        return timezone.localdate(self.logged_at) > self.activity.period.ends_on


class ActivityYearTotalQuerySet(models.QuerySet):
    def public_in_sums(self):
        """Totals of activities of published periods: what ``FollowUpEvent.objects
        .public_in_sums()`` sums, but for the police events of monthly-only periods in the running
        month, which the totals cannot tell apart (``FollowUpEvent.objects.held_back_from_sums``
        gives those, to subtract)."""
        return self.exclude(activity__in=Activity.objects.not_public().values("pk"))

    def public_event_count(self, year: int, today: date | None = None) -> int:
        """How many standing events of ``year`` the public sums count: the same number as
        ``FollowUpEvent.objects.public_in_sums(today).counting()`` of that year, in one query
        over a few thousand totals rather than a year's events (the running month's held-back
        police events, a short list, subtracted in the same query)."""
        held_back = (
            FollowUpEvent.objects.held_back_from_sums(today)
            .filter(occurred_on__year=year)
            .order_by()
            .values(n=Func(F("id"), function="COUNT"))
        )
        counted = self.public_in_sums().filter(year=year)
        return counted.aggregate(n=Coalesce(Sum("events"), 0) - Subquery(held_back))["n"]

    def public_sums_by(self, fields, year: int, today: date | None = None, **filters) -> list:
        """The public sums of ``year``'s standing events grouped by ``fields`` (paths from the
        event's side, such as ``activity__unit_plural``), as ``{**fields, "quantity": …,
        "events": …}`` for the groups with events, by largest quantity: what grouping
        ``FollowUpEvent.objects.public_in_sums(today).counting()`` of that year gives. One query:
        the totals, and the running month's held-back police events negated, in one UNION ALL.
        """
        counted = (
            self.public_in_sums()
            .filter(year=year, **filters)
            .values(*fields)
            .annotate(summed=Sum("quantity"), counted=Sum("events"))
            .order_by()
        )
        held_back = (
            FollowUpEvent.objects.held_back_from_sums(today)
            .filter(occurred_on__year=year, **filters)
            .values(*fields)
            .annotate(summed=-Sum("quantity"), counted=-Count("id"))
            .order_by()
        )
        groups = {}
        for row in counted.union(held_back, all=True):
            group = groups.setdefault(tuple(row[f] for f in fields), [0, 0])
            group[0] += row["summed"]
            group[1] += row["counted"]
        rows = [
            {**dict(zip(fields, key, strict=True)), "quantity": quantity, "events": events}
            for key, (quantity, events) in groups.items()
            if events
        ]
        return sorted(rows, key=lambda row: (-row["quantity"], *(row[f] for f in fields)))


class ActivityYearTotal(models.Model):
    """The standing (non-retracted) events of one activity in one calendar year: how many, and
    their quantities summed. National figures (the index's follow-ups this year, a theme's
    totals) add up a few thousand of these rows instead of counting a year's ~90k events.

    Kept by the database itself: triggers on the event table (migration 0009) apply every
    insert, update and delete of an event in the same statement, so no path that writes events
    (services, import, demo data, the generator, a restore) can forget it. The application
    never writes it (but for the scale generator's reset, which removes its own activities'
    rows); rows whose events were all retracted stay, at zero. Not in backups: loading the
    events rebuilds it. ``tests/followup/test_year_totals.py`` holds it to the events.
    """

    activity = models.ForeignKey(
        Activity,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,  # the unique (year, activity) index serves
        related_name="year_totals",
        verbose_name=_("aktivitet"),
    )
    # Plain (not Positive) integers: PostgreSQL checks a CHECK constraint on the row an upsert
    # proposes, before it finds the conflict, and the triggers upsert negative changes.
    year = models.SmallIntegerField(_("år"))
    events = models.IntegerField(_("händelser"))
    quantity = models.BigIntegerField(_("antal"))

    objects = ActivityYearTotalQuerySet.as_manager()

    class Meta:
        verbose_name = _("årssumma för aktivitet")
        verbose_name_plural = _("årssummor för aktiviteter")
        constraints = [
            models.UniqueConstraint(fields=["year", "activity"], name="activity_year_total_unique")
        ]

    def __str__(self):
        return f"{self.year}: {self.events} × {self.activity_id}"


class DeviationReason(models.TextChoices):
    RESOURCES = "resources", _("Resurser och prioriteringar")
    EXTERNAL_EVENT = "external_event", _("Oförutsedd händelse")
    PLANNING = "planning", _("Planering och schemaläggning")
    COOPERATION = "cooperation", _("Samverkan med andra parter")
    CHANGED_SITUATION = "changed_situation", _("Förändrad lägesbild")
    OTHER = "other", _("Annat skäl")


class DeviationQuerySet(models.QuerySet):
    def public(self):
        """Deviations anyone may see: those of activities of published periods (a deviation
        explains publicly why an activity is behind; who wrote it is never shown)."""
        return self.filter(public_period("activity__period__"))

    def public_of(self, activities):
        """``public()`` for the deviations of activities already fetched with their period: the
        same deviations of those activities, with no join to activity and period."""
        shown, _ = _public_activity_ids(activities)
        return self.filter(activity_id__in=shown)


class Deviation(models.Model):
    """Why an activity is behind in one bucket; shown publicly beside its progress."""

    activity = models.ForeignKey(
        Activity, on_delete=models.PROTECT, related_name="deviations", verbose_name=_("aktivitet")
    )
    bucket_start = models.DateField(
        _("gäller perioden som börjar"),
        help_text=_("Första dagen i den del av perioden (år, tertial, månad) avvikelsen gäller."),
    )
    reason = models.CharField(_("orsak"), max_length=30, choices=DeviationReason.choices)
    text = models.TextField(_("förklaring"), max_length=NOTE_MAX_LENGTH)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="deviations",
        verbose_name=_("skriven av"),
    )
    created_at = models.DateTimeField(_("skriven"), auto_now_add=True)
    is_demo = models.BooleanField(_("demodata"), default=False)

    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))
    objects = DeviationQuerySet.as_manager()

    class Meta:
        ordering = ["-bucket_start", "-created_at"]
        verbose_name = _("avvikelse")
        verbose_name_plural = _("avvikelser")
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="deviation_text_required"),
        ]

    def __str__(self):
        return f"{self.activity}: {self.get_reason_display()}"


class ReportKind(models.TextChoices):
    YEAR = "year", _("År")
    TERTIAL = "tertial", _("Tertial")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    PUBLISHED = "published", _("Publicerad")


class FollowUpReportQuerySet(models.QuerySet):
    def published(self):
        """Reports anyone may download: published reports of published periods. Drafts are
        seen by staff only, and so are the reports of a period taken down."""
        return self.frozen().filter(public_period("period__"))

    def frozen(self):
        """Reports published (frozen) by their editors, whether or not their period is public
        now: what the staff pages count as done."""
        return self.filter(status=ReportStatus.PUBLISHED)


class FollowUpReport(models.Model):
    """An uppföljningsrapport of a period for one tertial or one calendar year.

    A draft holds the choice of span and the editor's comment; the numbers are computed when it
    is shown. Publishing freezes it: the PDF is stored with its SHA-256 and the data it was made
    from, and it is listed on the period's public page. A published report never changes; a
    corrected one is a new version.
    """

    period = models.ForeignKey(
        PromisePeriod,
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name=_("medborgarlöfte"),
    )
    kind = models.CharField(_("avser"), max_length=10, choices=ReportKind.choices)
    year = models.PositiveSmallIntegerField(_("år"))
    tertial = models.PositiveSmallIntegerField(_("tertial"), null=True, blank=True)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    comment = models.TextField(_("kommentar"), max_length=NOTE_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="created_reports",
        verbose_name=_("skapad av"),
    )
    published_at = models.DateTimeField(_("publicerad"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="published_reports",
        verbose_name=_("publicerad av"),
    )
    pdf = models.FileField(_("pdf"), upload_to="reports/", blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    frozen_data = models.JSONField(_("underlag för pdf:en"), null=True, blank=True)

    # Issue 12: the editor's comment is printed and public; its changes and who made them stay.
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))
    objects = FollowUpReportQuerySet.as_manager()

    class Meta:
        ordering = ["period", "-year", "-tertial", "-version"]
        verbose_name = _("uppföljningsrapport")
        verbose_name_plural = _("uppföljningsrapporter")
        constraints = [
            models.CheckConstraint(
                name="report_tertial_matches_kind",
                condition=Q(kind=ReportKind.YEAR, tertial__isnull=True)
                | Q(kind=ReportKind.TERTIAL, tertial__gte=1, tertial__lte=3),
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="report_version_positive"),
            # Two conditional constraints rather than nulls_distinct, which SQLite lacks.
            models.UniqueConstraint(
                fields=["period", "year", "version"],
                condition=Q(kind=ReportKind.YEAR),
                name="report_unique_year_version",
            ),
            models.UniqueConstraint(
                fields=["period", "year", "tertial", "version"],
                condition=Q(kind=ReportKind.TERTIAL),
                name="report_unique_tertial_version",
            ),
            models.CheckConstraint(
                name="report_published_is_frozen",
                condition=(
                    Q(
                        status=ReportStatus.DRAFT,
                        published_at__isnull=True,
                        published_by__isnull=True,
                        frozen_data__isnull=True,
                        pdf="",
                        sha256="",
                    )
                    | (
                        Q(
                            status=ReportStatus.PUBLISHED,
                            published_at__isnull=False,
                            published_by__isnull=False,
                            frozen_data__isnull=False,
                            sha256__regex=r"^[0-9a-f]{64}$",
                        )
                        & ~Q(pdf="")
                    )
                ),
            ),
        ]

    def __str__(self):
        return f"{self.period}: {self.span_label} (v{self.version})"

    @property
    def is_published(self):
        return self.status == ReportStatus.PUBLISHED

    @property
    def span_label(self):
        if self.kind == ReportKind.TERTIAL:
            return _("Tertial %(tertial)s %(year)s") % {"tertial": self.tertial, "year": self.year}
        return _("Helår %(year)s") % {"year": self.year}


class Subscription(models.Model):
    """A citizen's e-mail subscription to one kommun's follow-ups (issue 14).

    Nothing else is stored: no name, no tracking. Unconfirmed rows are deleted after 48 hours;
    unsubscribing deletes the row. ``language`` is the language of the page the citizen used.
    """

    email = models.EmailField(_("e-postadress"))
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="subscriptions",
        verbose_name=_("kommun"),
    )
    token = models.CharField(_("nyckel"), max_length=64, unique=True)
    language = models.CharField(_("språk"), max_length=2, default="sv")
    created_at = models.DateTimeField(_("anmäld"))
    confirmed_at = models.DateTimeField(_("bekräftad"), null=True, blank=True)

    class Meta:
        ordering = ["municipality", "email"]
        verbose_name = _("prenumeration")
        verbose_name_plural = _("prenumerationer")
        constraints = [
            models.UniqueConstraint(
                fields=["email", "municipality"], name="subscription_unique_address"
            ),
        ]

    def __str__(self):
        return f"{self.municipality}: {self.email}"
