"""Promise periods, promises, activities with targets, signatories and the theme taxonomy."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from municipalities.models import Municipality, Organisation, PoliceArea


class Theme(models.Model):
    """A theme of the national taxonomy ("Trafik", "Narkotika och ANDT"), for filtering."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("namn"), max_length=100, unique=True)
    description = models.TextField(_("beskrivning"), blank=True)
    position = models.PositiveSmallIntegerField(_("ordning"), default=0)

    # Issue 12: themes are printed and public; who changed one is kept.
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("tema")
        verbose_name_plural = _("teman")

    def __str__(self):
        return self.name


class PeriodStatus(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    ADOPTED = "adopted", _("Antaget")
    ACTIVE = "active", _("Gällande")
    CONCLUDED = "concluded", _("Avslutat")


def public_period(path: str = "") -> Q:
    """The one rule of what the public may see of a period: it is published.

    ``path`` leads from the queried model to the period (``"period__"`` from an activity). Drafts
    and periods taken down are seen by staff only, and so is everything that hangs below them.
    """
    return Q(**{f"{path}is_published": True})


# Sane dates (issue 12): a period lasts at most five years and lies in this century, so that date
# arithmetic on it (progress, reports) never overflows. The services and forms check the exact
# calendar rule (promises.services.period_date_errors); the database holds a simpler backstop.
MAX_PERIOD_YEARS = 5
# The longest a period may last, counted as days from its first to its last day: five calendar
# years with two leap days (1 January 2024 – 31 December 2028) is 1826.
MAX_PERIOD_DAYS = 5 * 365 + 1
EARLIEST_PERIOD_DAY = date(2000, 1, 1)
LATEST_PERIOD_DAY = date(2099, 12, 31)


class DaysBetween(models.Func):
    """Days from the second date to the first, written in SQL both databases have built in
    (PostgreSQL subtracts dates; SQLite subtracts Julian day numbers), so a check constraint
    that uses it holds outside Django too."""

    arity = 2
    arg_joiner = " - "
    template = "(%(expressions)s)"
    output_field = models.IntegerField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="(julianday(%(expressions)s))",
            arg_joiner=") - julianday(",
            **extra_context,
        )


class PromisePeriodQuerySet(models.QuerySet):
    def public(self):
        """Periods anyone may see, signed in or not: the published ones."""
        return self.filter(public_period())

    def published(self):
        """The same periods as ``public()``, for code outside the public site (the bench)."""
        return self.public()

    def municipalities(self):
        """The kommuner of these periods, each once (``public().municipalities()``: the kommuner
        with something to show, for the sitemap)."""
        return Municipality.objects.filter(pk__in=self.values("municipality_id"))

    def covering(self, day):
        """Periods whose dates include the day."""
        return self.filter(starts_on__lte=day, ends_on__gte=day)


class PromisePeriod(models.Model):
    """One kommun's medborgarlöfte for one period ("Medborgarlöfte 2023–2024")."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="promise_periods",
        verbose_name=_("kommun"),
    )
    police_area = models.ForeignKey(
        PoliceArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="promise_periods",
        verbose_name=_("lokalpolisområde"),
        help_text=_("Lämnas tomt när lokalpolisområdet inte är känt."),
    )
    title = models.CharField(_("rubrik"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=60, help_text=_("Till exempel 2023-2024."))
    starts_on = models.DateField(_("gäller från"))
    ends_on = models.DateField(_("gäller till och med"))
    status = models.CharField(
        _("status"), max_length=20, choices=PeriodStatus.choices, default=PeriodStatus.DRAFT
    )
    adopted_on = models.DateField(_("antaget datum"), null=True, blank=True)
    decision_reference = models.CharField(_("beslutsreferens"), max_length=100, blank=True)
    introduction = models.TextField(_("inledning"), blank=True)
    situation_picture = models.TextField(_("lägesbild"), blank=True)
    follow_up_text = models.TextField(_("uppföljning"), blank=True)
    signed_on = models.DateField(_("undertecknat datum"), null=True, blank=True)
    signed_place = models.CharField(_("undertecknat på ort"), max_length=100, blank=True)
    partners = models.ManyToManyField(
        Organisation, blank=True, related_name="partner_periods", verbose_name=_("parter")
    )
    police_monthly_counts_only = models.BooleanField(
        _("polisens händelser visas bara som antal per månad"),
        default=False,
        help_text=_(
            "Av operativa skäl publiceras då inga datum eller platser för polisens händelser."
        ),
    )
    is_published = models.BooleanField(_("publicerad"), default=False)
    is_demo = models.BooleanField(_("demodata"), default=False)
    previous_period = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next_period",
        verbose_name=_("föregående medborgarlöfte"),
        help_text=_("Det medborgarlöfte som detta förnyar."),
    )

    # Issue 12: the partners are printed in the signed document, so their changes are kept too.
    history = HistoricalRecords(
        m2m_fields=[partners], history_change_reason_field=models.TextField(null=True)
    )
    objects = PromisePeriodQuerySet.as_manager()

    class Meta:
        ordering = ["municipality__name", "-starts_on"]
        verbose_name = _("medborgarlöfte")
        verbose_name_plural = _("medborgarlöften")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "slug"], name="promise_period_unique_slug"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="promise_period_ends_after_start",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(DaysBetween("ends_on", "starts_on"), MAX_PERIOD_DAYS),
                name="promise_period_at_most_five_years",
                violation_error_message=_("Ett medborgarlöfte kan gälla i högst fem år."),
            ),
            models.CheckConstraint(
                condition=Q(starts_on__gte=EARLIEST_PERIOD_DAY, ends_on__lte=LATEST_PERIOD_DAY),
                name="promise_period_sane_dates",
                violation_error_message=_("Datumen måste ligga mellan år 2000 och 2099."),
            ),
            # At most one current period per kommun (promises.services.transition_period
            # concludes an ended one when its successor is activated).
            models.UniqueConstraint(
                fields=["municipality"],
                condition=Q(status=PeriodStatus.ACTIVE),
                name="promise_period_one_active_per_kommun",
                violation_error_message=_("Kommunen har redan ett gällande medborgarlöfte."),
            ),
        ]

    def __str__(self):
        return f"{self.municipality.name}: {self.title}"

    @property
    def is_locked(self) -> bool:
        """Adopted, active or concluded: the promise changes only by an amendment (issue 12)."""
        return self.status != PeriodStatus.DRAFT

    @property
    def is_public(self) -> bool:
        """``public_period()`` for a period already fetched: anyone may see it (it is
        published). The door's ``public_of`` methods read it from fetched periods."""
        return self.is_published

    @property
    def police_monthly_only_in_public(self) -> bool:
        """True when the public sees this period's police events only as sums per month.

        Which events those are is ``FollowUpEvent.objects.public_police_monthly()``; this only
        tells a page whether to show (and fetch) monthly counts at all.
        """
        return self.police_monthly_counts_only


class SourceKind(models.TextChoices):
    SAFETY_SURVEY = "trygghetsmatning", _("Trygghetsmätning")
    CITIZEN_DIALOGUE = "medborgardialog", _("Medborgardialog")
    STAFF_DIALOGUE = "medarbetardialog", _("Medarbetardialog")
    INTELLIGENCE = "underrattelsebild", _("Underrättelsebild")
    CRIME_STATISTICS = "brottsstatistik", _("Brottsstatistik")
    CITIZEN_DIALOGUE_WEB = "medborgardialog_webb", _("Medborgardialog (webb)")
    OTHER = "other", _("Annan källa")


class SituationSource(models.Model):
    """A source the lägesbild rests on (a trygghetsmätning, a medborgardialog, …)."""

    period = models.ForeignKey(
        PromisePeriod, on_delete=models.CASCADE, related_name="sources", verbose_name=_("period")
    )
    kind = models.CharField(_("typ av källa"), max_length=30, choices=SourceKind.choices)
    description = models.CharField(_("beskrivning"), max_length=300, blank=True)

    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        ordering = ["period", "id"]
        verbose_name = _("källa till lägesbilden")
        verbose_name_plural = _("källor till lägesbilden")

    def __str__(self):
        return self.description or self.get_kind_display()


class PromiseQuerySet(models.QuerySet):
    def public(self):
        """Promises anyone may see: those of published periods."""
        return self.filter(public_period("period__"))


class Promise(models.Model):
    """One of the 1–5 promises of a period."""

    period = models.ForeignKey(
        PromisePeriod, on_delete=models.CASCADE, related_name="promises", verbose_name=_("period")
    )
    position = models.PositiveSmallIntegerField(_("ordning"))
    title = models.CharField(_("rubrik"), max_length=300)
    text = models.TextField(_("text"), blank=True)
    theme = models.ForeignKey(
        Theme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="promises",
        verbose_name=_("tema"),
    )
    target_group = models.CharField(_("målgrupp"), max_length=200, blank=True)

    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))
    objects = PromiseQuerySet.as_manager()

    class Meta:
        ordering = ["period", "position"]
        verbose_name = _("löfte")
        verbose_name_plural = _("löften")
        constraints = [
            models.UniqueConstraint(fields=["period", "position"], name="promise_unique_position"),
        ]

    def __str__(self):
        return self.title


class TargetKind(models.TextChoices):
    COUNT = "count", _("Antal")
    MILESTONE = "milestone", _("Genomförs en gång")
    ONGOING = "ongoing", _("Löpande arbete")
    ON_REQUEST = "on_request", _("Vid önskemål")


class Cadence(models.TextChoices):
    PERIOD = "period", _("under perioden")
    YEAR = "year", _("per år")
    TERTIAL = "tertial", _("per tertial")
    MONTH = "month", _("per månad")
    WEEK = "week", _("per vecka")
    DAY = "day", _("per dygn")


class ActivityQuerySet(models.QuerySet):
    def public(self):
        """Activities anyone may see: those of published periods."""
        return self.filter(public_period("period__"))

    def not_public(self):
        """Activities of unpublished periods, which only staff see: the complement of
        ``public()``, and in practice a short list (to exclude from national counts)."""
        return self.exclude(public_period("period__"))


class Activity(models.Model):
    """What a party will do, with a target (DESIGN §4).

    An activity belongs to a period and, unless it is cross-cutting, to one of its promises.
    Only ``count`` activities have a quantity, a unit and a cadence; only a ``milestone`` may
    have a due date ("i januari", "senast 30 juni"), which lies inside the period.
    """

    period = models.ForeignKey(
        PromisePeriod, on_delete=models.CASCADE, related_name="activities", verbose_name=_("period")
    )
    promise = models.ForeignKey(
        Promise,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("löfte"),
    )
    position = models.PositiveSmallIntegerField(_("ordning"))
    description = models.TextField(_("beskrivning"))
    responsible_organisations = models.ManyToManyField(
        Organisation, related_name="activities", verbose_name=_("ansvariga")
    )
    target_kind = models.CharField(_("typ av mål"), max_length=20, choices=TargetKind.choices)
    target_quantity = models.PositiveIntegerField(_("målvärde"), null=True, blank=True)
    unit_singular = models.CharField(_("enhet (singular)"), max_length=60, blank=True)
    unit_plural = models.CharField(_("enhet (plural)"), max_length=60, blank=True)
    cadence = models.CharField(
        _("period för målet"), max_length=20, choices=Cadence.choices, blank=True
    )
    due_on = models.DateField(_("klart senast"), null=True, blank=True)
    # --- Issue 12: the targets in force before each amendment that changed this one's target.
    # Written only by ``promises.services.amend_period`` in the same transaction as the
    # ``AmendmentChange`` rows it summarises, so progress and the activity's card need no query
    # of their own: [{"applies_from": "2024-03-12", "kind": "count", "quantity": 30,
    # "cadence": "year", "before_text": "minst 30 …", "after_text": "minst 20 …",
    # "reason": "…", "amendment": 7}], oldest first.
    target_history = models.JSONField(_("tidigare mål"), default=list, blank=True, editable=False)

    history = HistoricalRecords(
        m2m_fields=[responsible_organisations],
        history_change_reason_field=models.TextField(null=True),
    )
    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["period", "position"]
        verbose_name = _("aktivitet")
        verbose_name_plural = _("aktiviteter")
        constraints = [
            models.UniqueConstraint(fields=["period", "position"], name="activity_unique_position"),
            models.CheckConstraint(
                name="activity_target_matches_kind",
                condition=(
                    Q(
                        target_kind=TargetKind.COUNT,
                        target_quantity__gte=1,
                        cadence__in=Cadence.values,
                    )
                    & ~Q(unit_singular="")
                    & ~Q(unit_plural="")
                )
                | (~Q(target_kind=TargetKind.COUNT) & Q(target_quantity__isnull=True, cadence="")),
            ),
            models.CheckConstraint(
                name="activity_due_on_only_for_milestones",
                condition=Q(due_on__isnull=True) | Q(target_kind=TargetKind.MILESTONE),
            ),
        ]

    def __str__(self):
        return self.description[:80]

    def unit_for(self, quantity):
        """The unit noun for a quantity: "1 trafikkontroll", "30 trafikkontroller"."""
        return self.unit_singular if quantity == 1 else self.unit_plural

    @property
    def target_changes(self) -> list[dict]:
        """The amendments of this activity's target, oldest first, with ``applies_from`` as a
        date: what its card says ("Målet ändrades 12 mars 2024 från 30 till 20: …")."""
        return [
            {
                **entry,
                "applies_from": date.fromisoformat(entry["applies_from"]),
                # Only the number changed: "från 30 till 20" says it all.
                "numbers": entry.get("quantity") is not None
                and entry.get("quantity_after") is not None
                and entry["before_text"].replace(str(entry["quantity"]), "", 1)
                == entry["after_text"].replace(str(entry["quantity_after"]), "", 1),
            }
            for entry in self.target_history
        ]


class Signatory(models.Model):
    """Someone who signs the promise, in the order the signatures appear."""

    period = models.ForeignKey(
        PromisePeriod,
        on_delete=models.CASCADE,
        related_name="signatories",
        verbose_name=_("period"),
    )
    position = models.PositiveSmallIntegerField(_("ordning"))
    name = models.CharField(_("namn"), max_length=150)
    title = models.CharField(_("titel"), max_length=200)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="signatures",
        verbose_name=_("organisation"),
    )

    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        ordering = ["period", "position"]
        verbose_name = _("undertecknare")
        verbose_name_plural = _("undertecknare")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "position"], name="signatory_unique_position"
            ),
        ]

    def __str__(self):
        return f"{self.name}, {self.title}"


# --- Decision memos (tjänsteskrivelser) ----------------------------------------------------------


class MemoStatus(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    FINAL = "final", _("Fastställd")


class ClauseStyle(models.TextChoices):
    ATT = "att", _("Att-satser (”att anta …”)")
    LIST = "list", _("Punktlista (”Medborgarlöftet antas”)")


class DecisionMemo(models.Model):
    """A tjänsteskrivelse to kommunstyrelsen (or an utskott) proposing to adopt a period's promises.

    The lists of the memo are JSON lists, edited through formsets and validated by
    ``promises/memo_forms.py`` and ``promises/memo_services.py``:

    - ``clauses``: ``[{"text": "anta följande medborgarlöften …:", "items": ["…", "…"]}]``
    - ``basis`` (beslutsunderlag): ``[{"text": "Tjänsteutlåtande …", "date": "2023-03-24"}]``,
      the date ISO or empty
    - ``distribution`` (beslutet skickas till): ``["Diariet", "Säkerhetssamordnaren"]``
    - ``signatures``: ``[{"name": "Pär Thudeen", "title": "Kommundirektör"}]``

    A finalised memo is frozen: its PDF is stored with the SHA-256 of its bytes and the data it
    was rendered from, and it never changes again; an edit makes a new version (a draft copy).
    """

    period = models.ForeignKey(
        PromisePeriod,
        on_delete=models.PROTECT,
        related_name="memos",
        verbose_name=_("medborgarlöfte"),
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(
        _("status"), max_length=10, choices=MemoStatus.choices, default=MemoStatus.DRAFT
    )
    department = models.CharField(_("förvaltning"), max_length=150, blank=True)
    officer_name = models.CharField(_("handläggare"), max_length=150, blank=True)
    officer_title = models.CharField(_("handläggarens titel"), max_length=150, blank=True)
    officer_phone = models.CharField(_("telefon"), max_length=40, blank=True)
    officer_email = models.CharField(_("e-post"), max_length=254, blank=True)
    recipient = models.CharField(
        _("mottagare"),
        max_length=150,
        blank=True,
        help_text=_("Kommunstyrelsen, eller ett utskott som Kommunledningsutskottet."),
    )
    memo_date = models.DateField(_("datum"), null=True, blank=True)
    reference = models.CharField(_("diarienummer"), max_length=60, blank=True)
    title = models.CharField(_("ärendemening"), max_length=300)
    proposal_heading = models.CharField(
        _("rubrik för förslaget"), max_length=150, default="Förslag till beslut"
    )
    proposal_lead = models.CharField(
        _("inledning till förslaget"),
        max_length=300,
        blank=True,
        help_text=_("Till exempel ”Kommunledningsutskottets förslag till kommunstyrelsen:”."),
    )
    clause_style = models.CharField(
        _("form för beslutssatserna"),
        max_length=10,
        choices=ClauseStyle.choices,
        default=ClauseStyle.ATT,
    )
    clauses = models.JSONField(_("beslutssatser"), default=list, blank=True)
    summary = models.TextField(_("sammanfattning"), blank=True)
    description = models.TextField(_("beskrivning av ärendet"), blank=True)
    external_analysis = models.TextField(_("omvärldsanalys"), blank=True)
    consultation = models.TextField(_("samråd"), blank=True)
    economy = models.TextField(_("ekonomi"), blank=True)
    follow_up = models.TextField(_("uppföljning"), blank=True)
    basis = models.JSONField(_("beslutsunderlag"), default=list, blank=True)
    distribution = models.JSONField(_("beslutet skickas till"), default=list, blank=True)
    signatures = models.JSONField(_("underskrifter"), default=list, blank=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)
    finalised_at = models.DateTimeField(_("fastställd"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="finalised_memos",
        verbose_name=_("fastställd av"),
    )
    pdf = models.FileField(_("pdf"), upload_to="memos/", blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    frozen_data = models.JSONField(_("underlag för pdf:en"), null=True, blank=True)
    is_demo = models.BooleanField(_("demodata"), default=False)

    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        ordering = ["period", "-version"]
        verbose_name = _("tjänsteskrivelse")
        verbose_name_plural = _("tjänsteskrivelser")
        constraints = [
            models.UniqueConstraint(fields=["period", "version"], name="memo_unique_version"),
            models.UniqueConstraint(
                fields=["period"],
                condition=Q(status=MemoStatus.DRAFT),
                name="memo_one_draft_per_period",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="memo_version_positive"),
            models.CheckConstraint(
                name="memo_final_is_frozen",
                condition=(
                    Q(
                        status=MemoStatus.DRAFT,
                        finalised_at__isnull=True,
                        finalised_by__isnull=True,
                        frozen_data__isnull=True,
                        pdf="",
                        sha256="",
                    )
                    | (
                        Q(
                            status=MemoStatus.FINAL,
                            finalised_at__isnull=False,
                            finalised_by__isnull=False,
                            frozen_data__isnull=False,
                            sha256__regex=r"^[0-9a-f]{64}$",
                        )
                        & ~Q(pdf="")
                        & ~Q(reference="")
                        & ~Q(recipient="")
                    )
                ),
            ),
        ]

    def __str__(self):
        return f"{self.title} (v{self.version})"

    @property
    def is_final(self):
        return self.status == MemoStatus.FINAL


# --- "Tyck till om tryggheten" (issue 14) -------------------------------------------------------

FEEDBACK_TEXT_MAX_LENGTH = 2000
FEEDBACK_PLACE_MAX_LENGTH = 200


class Feedback(models.Model):
    """A citizen's message to a kommun about safety. Never public: the kommun's editors read it
    in their inbox and count it, per theme, as a source of a coming period's lägesbild."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("kommun")
    )
    theme = models.ForeignKey(
        Theme,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback",
        verbose_name=_("tema"),
    )
    text = models.TextField(_("vad"), max_length=FEEDBACK_TEXT_MAX_LENGTH)
    place = models.CharField(_("var"), max_length=FEEDBACK_PLACE_MAX_LENGTH, blank=True)
    email = models.EmailField(_("e-post för svar"), blank=True)
    language = models.CharField(_("språk"), max_length=2, default="sv")
    received_at = models.DateTimeField(_("mottagen"))
    source = models.ForeignKey(
        SituationSource,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback",
        verbose_name=_("räknad i källa"),
    )

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("synpunkt")
        verbose_name_plural = _("synpunkter")
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="feedback_text_required"),
        ]

    def __str__(self):
        return f"{self.municipality}: {self.text[:60]}"


# --- Amendments and the signed document's versions (issue 12) ------------------------------------


class AmendmentQuerySet(models.QuerySet):
    def public(self):
        """Amendments anyone may see: those of published periods (their reasons are public)."""
        return self.filter(public_period("period__"))


class Amendment(models.Model):
    """An ändring av medborgarlöftet: the only way an adopted period changes. What changed is
    in its ``changes`` (before → after per field); why, from when and by whose decision here."""

    period = models.ForeignKey(
        PromisePeriod,
        on_delete=models.PROTECT,
        related_name="amendments",
        verbose_name=_("medborgarlöfte"),
    )
    number = models.PositiveSmallIntegerField(_("nummer"))
    applies_from = models.DateField(_("gäller från"))
    reason = models.TextField(_("skäl"), help_text=_("Visas offentligt."))
    decision_reference = models.CharField(_("beslut"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="amendments",
        verbose_name=_("gjord av"),
    )
    created_at = models.DateTimeField(_("gjord"), default=timezone.now)

    objects = AmendmentQuerySet.as_manager()

    class Meta:
        ordering = ["period", "number"]
        verbose_name = _("ändring av medborgarlöftet")
        verbose_name_plural = _("ändringar av medborgarlöften")
        constraints = [
            models.UniqueConstraint(fields=["period", "number"], name="amendment_unique_number"),
            models.CheckConstraint(condition=~Q(reason=""), name="amendment_reason_required"),
        ]

    def __str__(self):
        return f"{self.period}: ändring {self.number}"

    @cached_property
    def change_list(self) -> list:
        """The changes, in order (prefetch ``changes``, or set this from one joined query)."""
        return list(self.changes.all())


class AmendedPart(models.TextChoices):
    PERIOD = "period", _("Perioden")
    PROMISE = "promise", _("Löfte")
    ACTIVITY = "activity", _("Aktivitet")
    SIGNATORY = "signatory", _("Undertecknare")


class AmendmentChange(models.Model):
    """One field of one part of the period, before → after. ``before``/``after`` hold the stored
    values as JSON (ISO dates, ids); the ``…_text`` fields say them as the public reads them."""

    amendment = models.ForeignKey(
        Amendment, on_delete=models.CASCADE, related_name="changes", verbose_name=_("ändring")
    )
    part = models.CharField(_("del"), max_length=20, choices=AmendedPart.choices)
    promise = models.ForeignKey(
        Promise, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    activity = models.ForeignKey(
        Activity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="amendment_changes",
    )
    signatory = models.ForeignKey(
        Signatory, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    part_label = models.CharField(_("vad"), max_length=300)
    field = models.CharField(_("fält"), max_length=40)
    label = models.CharField(_("fältets namn"), max_length=100)
    before = models.JSONField(_("före"), null=True, blank=True)
    after = models.JSONField(_("efter"), null=True, blank=True)
    before_text = models.TextField(_("före, i text"), blank=True)
    after_text = models.TextField(_("efter, i text"), blank=True)

    class Meta:
        ordering = ["amendment", "id"]
        verbose_name = _("ändrat fält")
        verbose_name_plural = _("ändrade fält")

    def __str__(self):
        return f"{self.part_label}: {self.label}"


class PromiseDocumentQuerySet(models.QuerySet):
    def public(self):
        """Stored versions of the signed document of published periods."""
        return self.filter(public_period("period__"))


class PromiseDocument(models.Model):
    """One stored version of a period's signed medborgarlöfte: v1 frozen at adoption, one more
    per amendment ("Reviderad …"). Served byte for byte, never rendered again."""

    period = models.ForeignKey(
        PromisePeriod,
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("medborgarlöfte"),
    )
    version = models.PositiveSmallIntegerField(_("version"))
    label = models.CharField(_("benämning"), max_length=100)
    amendment = models.OneToOneField(
        Amendment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="document",
        verbose_name=_("ändring"),
    )
    pdf = models.FileField(_("pdf"), upload_to="promises/")
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    frozen_data = models.JSONField(_("underlag för pdf:en"))
    created_at = models.DateTimeField(_("skapad"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("skapad av"),
        help_text=_("Tomt när versionen sparades i efterhand för ett redan antaget löfte."),
    )

    objects = PromiseDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["period", "-version"]
        verbose_name = _("version av medborgarlöftet")
        verbose_name_plural = _("versioner av medborgarlöften")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "version"], name="promise_document_unique_version"
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1, sha256__regex=r"^[0-9a-f]{64}$") & ~Q(pdf=""),
                name="promise_document_is_frozen",
            ),
        ]

    def __str__(self):
        return f"{self.period} v{self.version}"
