"""Kommuner, län, polisregioner, lokalpolisområden and the organisations that make promises."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


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
