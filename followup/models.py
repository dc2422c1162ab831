"""Logged follow-up events and deviations. Progress is derived from events, never stored."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from municipalities.models import Organisation
from promises.models import Activity

# A single event records what one party did on one day; more than this is a typing error.
MAX_EVENT_QUANTITY = 1000
PLACE_MAX_LENGTH = 200
SUMMARY_MAX_LENGTH = 500
NOTE_MAX_LENGTH = 2000
REASON_MAX_LENGTH = 500


class EventKind(models.TextChoices):
    DONE = "done", _("Genomfört")
    # Only for activities done on request ("om önskemål uppkommer").
    REQUESTED = "requested", _("Önskemål inkommit")


class FollowUpEventQuerySet(models.QuerySet):
    def counting(self):
        """Events that count towards progress: not retracted."""
        return self.filter(retracted_at__isnull=True)

    def retracted(self):
        return self.filter(retracted_at__isnull=False)


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
    is_demo = models.BooleanField(_("demodata"), default=False)

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


class DeviationReason(models.TextChoices):
    RESOURCES = "resources", _("Resurser och prioriteringar")
    EXTERNAL_EVENT = "external_event", _("Oförutsedd händelse")
    PLANNING = "planning", _("Planering och schemaläggning")
    COOPERATION = "cooperation", _("Samverkan med andra parter")
    CHANGED_SITUATION = "changed_situation", _("Förändrad lägesbild")
    OTHER = "other", _("Annat skäl")


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

    class Meta:
        ordering = ["-bucket_start", "-created_at"]
        verbose_name = _("avvikelse")
        verbose_name_plural = _("avvikelser")
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="deviation_text_required"),
        ]

    def __str__(self):
        return f"{self.activity}: {self.get_reason_display()}"
