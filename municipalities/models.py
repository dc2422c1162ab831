"""Kommuner, län, polisregioner, lokalpolisområden and the organisations that make promises."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class County(models.Model):
    """A län, keyed by its two-digit SCB code ("06" Jönköpings län)."""

    code = models.CharField(_("länskod"), max_length=2, unique=True)
    name = models.CharField(_("namn"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("län")
        verbose_name_plural = _("län")

    def __str__(self):
        return self.name


class PoliceRegion(models.Model):
    """One of the seven police regions (Stockholm, Öst, Väst, Syd, Mitt, Bergslagen, Nord)."""

    name = models.CharField(_("namn"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("polisregion")
        verbose_name_plural = _("polisregioner")

    def __str__(self):
        return _("Polisregion %(name)s") % {"name": self.name}


class MunicipalityQuerySet(models.QuerySet):
    def with_geography(self):
        return self.select_related("county", "police_region")


class Municipality(models.Model):
    """A kommun, keyed by its four-digit SCB code ("0687" Tranås)."""

    code = models.CharField(_("kommunkod"), max_length=4, unique=True)
    name = models.CharField(_("namn"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("län")
    )
    police_region = models.ForeignKey(
        PoliceRegion,
        on_delete=models.PROTECT,
        related_name="municipalities",
        verbose_name=_("polisregion"),
    )

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("kommun")
        verbose_name_plural = _("kommuner")
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9]{4}$"), name="municipality_code_four_digits"
            ),
        ]

    def __str__(self):
        return self.name


class PoliceArea(models.Model):
    """A lokalpolisområde (LPO). It covers one or more kommuner; a big city has several areas."""

    name = models.CharField(_("namn"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    region = models.ForeignKey(
        PoliceRegion,
        on_delete=models.PROTECT,
        related_name="police_areas",
        verbose_name=_("polisregion"),
    )
    municipalities = models.ManyToManyField(
        Municipality,
        through="PoliceAreaCoverage",
        related_name="police_areas",
        verbose_name=_("kommuner"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("lokalpolisområde")
        verbose_name_plural = _("lokalpolisområden")
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="police_area_unique_name"),
        ]

    def __str__(self):
        return _("Lokalpolisområde %(name)s") % {"name": self.name}


class CoverageConfidence(models.TextChoices):
    VERIFIED = "verified", _("bekräftad")
    PROBABLE = "probable", _("trolig")
    SECONDARY = "secondary", _("andrahandskälla")
    UNVERIFIED = "unverified", _("obekräftad")
    PARTIAL_MUNICIPALITY = "partial-municipality", _("del av kommunen")


class PoliceAreaCoverage(models.Model):
    """That a police area covers a kommun, with how sure we are and where it says so."""

    police_area = models.ForeignKey(PoliceArea, on_delete=models.CASCADE, related_name="coverage")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="police_coverage"
    )
    confidence = models.CharField(_("säkerhet"), max_length=30, choices=CoverageConfidence.choices)
    source = models.CharField(_("källa"), max_length=500, blank=True)
    note = models.TextField(_("anteckning"), blank=True)

    class Meta:
        verbose_name = _("täckning")
        verbose_name_plural = _("täckning")
        constraints = [
            models.UniqueConstraint(
                fields=["police_area", "municipality"], name="police_area_coverage_unique"
            ),
        ]

    def __str__(self):
        return f"{self.police_area.name} – {self.municipality.name}"


class OrganisationKind(models.TextChoices):
    POLICE = "police", _("Polisen")
    MUNICIPALITY = "municipality", _("Kommunen")
    PARTNER = "partner", _("Annan aktör")


class OrganisationQuerySet(models.QuerySet):
    def police(self):
        return self.filter(kind=OrganisationKind.POLICE)

    def covering(self, municipality):
        """Organisations that act in the kommun: its own, its partners, its police."""
        return self.filter(
            Q(municipality=municipality) | Q(police_area__municipalities=municipality)
        ).distinct()


class Organisation(models.Model):
    """A party to a promise: the police (an LPO), a kommun, or a partner such as a housing company.

    A police organisation belongs to a police area; where the area is not known it is tied to the
    kommun it works in instead. A partner always belongs to one kommun.
    """

    kind = models.CharField(_("typ"), max_length=20, choices=OrganisationKind.choices)
    name = models.CharField(_("namn"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=150, unique=True)
    police_area = models.OneToOneField(
        PoliceArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisation",
        verbose_name=_("lokalpolisområde"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("kommun"),
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisationer")
        constraints = [
            models.CheckConstraint(
                name="organisation_kind_matches_links",
                condition=(
                    Q(
                        kind=OrganisationKind.MUNICIPALITY,
                        municipality__isnull=False,
                        police_area__isnull=True,
                    )
                    | Q(
                        kind=OrganisationKind.PARTNER,
                        municipality__isnull=False,
                        police_area__isnull=True,
                    )
                    | (
                        Q(kind=OrganisationKind.POLICE)
                        & (Q(police_area__isnull=False) | Q(municipality__isnull=False))
                    )
                ),
            ),
            models.UniqueConstraint(
                fields=["municipality"],
                condition=Q(kind=OrganisationKind.MUNICIPALITY),
                name="one_organisation_per_municipality",
            ),
        ]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    REPORTER = "reporter", _("Rapportör")
    EDITOR = "editor", _("Redaktör")
    VIEWER = "viewer", _("Läsare")


class Membership(models.Model):
    """Ties a staff user to an organisation with a role (DESIGN §7)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("användare"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("roll"), max_length=20, choices=Role.choices)

    # Ending a membership deletes it; the history keeps who ended it, when and why.
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        ordering = ["organisation__name", "user__username"]
        verbose_name = _("medlemskap")
        verbose_name_plural = _("medlemskap")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="membership_unique_user_organisation"
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"


class DataVersion(models.Model):
    """A counter that writes of portal data move on (``versioning.bump``): one nationally, one
    per kommun, one for the data all kommuner share.

    Public pages answer conditional requests and cache their output keyed on these counters, so
    a write shows at once: it changes the counters in the same transaction as the data.
    """

    scope = models.CharField(_("omfattning"), max_length=120, unique=True)
    counter = models.BigIntegerField(_("version"), default=0)
    changed_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("dataversion")
        verbose_name_plural = _("dataversion")

    def __str__(self):
        return f"{self.scope}: {self.counter}"


# --- Invitations, mail preferences, schedule runs and sent mail (issue 14) ----------------------


class InvitationQuerySet(models.QuerySet):
    def pending(self, now):
        """Neither accepted nor revoked, and not yet expired."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now)


class Invitation(models.Model):
    """An editor's invitation of a person, by e-mail, to an organisation with a role.

    The link carries ``token`` and is valid until ``expires_at`` (7 days); it is used once.
    """

    email = models.EmailField(_("e-postadress"))
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("roll"), max_length=20, choices=Role.choices)
    token = models.CharField(_("nyckel"), max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="invitations_sent",
        verbose_name=_("inbjuden av"),
    )
    created_at = models.DateTimeField(_("skapad"))
    expires_at = models.DateTimeField(_("giltig till"))
    accepted_at = models.DateTimeField(_("accepterad"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_accepted",
        verbose_name=_("accepterad av"),
    )
    revoked_at = models.DateTimeField(_("återkallad"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invitations_revoked",
        verbose_name=_("återkallad av"),
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("inbjudan")
        verbose_name_plural = _("inbjudningar")
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="invitation_expires_after_creation",
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(revoked_at__isnull=True),
                name="invitation_accepted_or_revoked_not_both",
            ),
        ]

    def __str__(self):
        return f"{self.email} → {self.organisation} ({self.get_role_display()})"


class MailLanguage(models.TextChoices):
    SWEDISH = "sv", _("Svenska")
    ENGLISH = "en", _("Engelska")


class MailPreference(models.Model):
    """A staff user's choices about e-mail; a user without a row gets the defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mail_preference",
        verbose_name=_("användare"),
    )
    language = models.CharField(
        _("språk i e-post"), max_length=2, choices=MailLanguage.choices, default="sv"
    )
    reporter_digest = models.BooleanField(
        _("måndagsbrev om mina aktiviteter"),
        default=True,
        help_text=_("Aktiviteter som ligger efter, inte har påbörjats eller snart ska vara klara."),
    )
    editor_digest = models.BooleanField(
        _("måndagsbrev till redaktörer"),
        default=True,
        help_text=_("Uppföljningar som ska göras, perioder som snart löper ut, avvikelser."),
    )
    feedback_mail = models.BooleanField(
        _("e-post när någon tycker till"),
        default=True,
        help_text=_("När en invånare skickar en synpunkt till en kommun du är redaktör för."),
    )

    class Meta:
        verbose_name = _("e-postinställning")
        verbose_name_plural = _("e-postinställningar")

    def __str__(self):
        return str(self.user)


class ScheduledRun(models.Model):
    """That a scheduled job was started for one slot (its planned local time).

    The unique (job, slot) pair is what keeps a slot from running twice: a worker that restarts,
    or a second worker, fails to insert the row and leaves the slot alone.
    """

    job = models.CharField(_("jobb"), max_length=60)
    slot = models.DateTimeField(_("planerad tid"))
    started_at = models.DateTimeField(_("startad"), auto_now_add=True)

    class Meta:
        ordering = ["-slot"]
        verbose_name = _("schemalagd körning")
        verbose_name_plural = _("schemalagda körningar")
        constraints = [
            models.UniqueConstraint(fields=["job", "slot"], name="scheduled_run_unique_slot"),
        ]

    def __str__(self):
        return f"{self.job} @ {self.slot:%Y-%m-%d %H:%M}"


class SentMail(models.Model):
    """A key per message that has been handed to the mail server, so a retried task skips it.

    The key names the kind, the slot or object and the recipient's id, never an address.
    """

    key = models.CharField(_("nyckel"), max_length=200, unique=True)
    sent_at = models.DateTimeField(_("skickat"), auto_now_add=True)

    class Meta:
        verbose_name = _("skickat e-brev")
        verbose_name_plural = _("skickade e-brev")

    def __str__(self):
        return self.key
