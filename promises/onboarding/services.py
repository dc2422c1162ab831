"""The one write of onboarding: a draft period with its promises, activities and signatories,
created from a reviewed parse through the services in promises.services."""

from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from municipalities.models import Organisation, OrganisationKind
from municipalities.services import save_reference_object
from promises import services
from promises.models import PromisePeriod
from promises.onboarding.queries import (
    MUNICIPALITY,
    PARTNER_PREFIX,
    POLICE,
    municipal_organisation_for,
    partner_name,
    partners_of,
    police_organisations_for,
)


class DraftRefused(Exception):
    """Nothing was created. ``errors`` maps ``("period", 0)``, ``("promises", i)``,
    ``("activities", i)`` or ``("signatories", i)`` (indexes into the lists given) to the
    ValidationError for that part."""

    def __init__(self, errors: dict[tuple[str, int], ValidationError]):
        super().__init__(errors)
        self.errors = errors


@dataclass
class DraftActivity:
    description: str
    owners: list[str]  # "police", "municipality", "partner:Name"
    target_kind: str
    promise: int | None = None  # index into the draft's promises; None: cross-cutting
    target_quantity: int | None = None
    unit_singular: str = ""
    unit_plural: str = ""
    cadence: str = ""


@dataclass
class DraftSignatory:
    name: str
    title: str
    organisation: str  # an owner key, as for activities


@dataclass
class Draft:
    """What the editor approved. ``period`` holds the fields ``create_period`` accepts."""

    period: dict
    promises: list[str] = field(default_factory=list)  # titles, in order
    activities: list[DraftActivity] = field(default_factory=list)
    signatories: list[DraftSignatory] = field(default_factory=list)


@transaction.atomic
def create_draft(municipality, *, by, draft: Draft) -> PromisePeriod:
    """Create the draft period of ``draft`` for the kommun, in one transaction.

    Side effects: partner organisations named in the draft that the kommun does not have yet
    (and a police organisation for a kommun that has none) are created; then one period (with
    its partners), its promises, activities with their responsible organisations and
    signatories, each through promises.services with ``by`` as the history user. Raises
    :class:`DraftRefused` with every refusal it met, and then nothing at all is created.
    """
    errors: dict[tuple[str, int], ValidationError] = {}
    owners = _Owners(municipality, draft.period.get("police_area"), by=by)
    keys = {key for a in draft.activities for key in a.owners}
    keys |= {s.organisation for s in draft.signatories}
    try:
        partners = [
            owners.organisation(key) for key in sorted(keys) if key.startswith(PARTNER_PREFIX)
        ]
        period = services.create_period(municipality, by=by, partners=partners, **draft.period)
    except ValidationError as error:
        _refuse({("period", 0): error})
    promises = []
    for index, title in enumerate(draft.promises):
        promises.append(
            _attempt(
                errors,
                ("promises", index),
                services.save_promise,
                period,
                by=by,
                position=index + 1,
                title=title,
            )
        )
    for index, activity in enumerate(draft.activities):
        _attempt(
            errors,
            ("activities", index),
            _save_activity,
            period,
            activity,
            promises,
            owners,
            by=by,
            position=index + 1,
        )
    for index, signatory in enumerate(draft.signatories):
        _attempt(
            errors,
            ("signatories", index),
            _save_signatory,
            period,
            signatory,
            owners,
            by=by,
            position=index + 1,
        )
    if errors:
        _refuse(errors)
    return period


def _attempt(errors, key, save, *args, **kwargs):
    # Each service call is its own savepoint: a refusal rolls back only that part, so every
    # refusal can be reported at once; the whole draft is then rolled back by _refuse.
    try:
        return save(*args, **kwargs)
    except ValidationError as error:
        errors[key] = error
        return None


def _refuse(errors):
    # Raised inside the atomic block, so everything created so far is rolled back.
    raise DraftRefused(errors)


def _save_activity(period, activity: DraftActivity, promises, owners, *, by, position):
    organisations = [owners.organisation(key, field="owners") for key in activity.owners]
    promise = promises[activity.promise] if activity.promise is not None else None
    if activity.promise is not None and promise is None:
        raise ValidationError({"promise": _("Löftet kunde inte sparas; rätta det först.")})
    return services.save_activity(
        period,
        by=by,
        responsible_organisations=organisations,
        promise=promise,
        position=position,
        description=activity.description,
        target_kind=activity.target_kind,
        target_quantity=activity.target_quantity,
        unit_singular=activity.unit_singular,
        unit_plural=activity.unit_plural,
        cadence=activity.cadence,
    )


def _save_signatory(period, signatory: DraftSignatory, owners, *, by, position):
    return services.save_signatory(
        period,
        by=by,
        position=position,
        name=signatory.name,
        title=signatory.title,
        organisation=owners.organisation(signatory.organisation, field="organisation"),
    )


class _Owners:
    """Organisations for owner keys, looked up (or created) once per key."""

    def __init__(self, municipality, police_area, *, by):
        self.municipality = municipality
        self.by = by
        self.police_area = police_area
        self.found: dict[str, Organisation] = {}

    def organisation(self, key: str, field: str = NON_FIELD_ERRORS) -> Organisation:
        if key not in self.found:
            self.found[key] = self._find(key, field)
        return self.found[key]

    def _find(self, key, field):
        if key == POLICE:
            return self._police(field)
        if key == MUNICIPALITY:
            kommun = municipal_organisation_for(self.municipality)
            if kommun is None:
                raise ValidationError({field: _("Kommunen saknas som organisation i portalen.")})
            return kommun
        if key.startswith(PARTNER_PREFIX) and partner_name(key):
            return self._partner(partner_name(key)[:150])
        raise ValidationError({field: _("Okänd organisation: %(key)s.") % {"key": key}})

    def _police(self, field):
        if self.police_area is not None:
            found = Organisation.objects.filter(police_area=self.police_area).first()
            return found or self._create(
                OrganisationKind.POLICE, self.police_area.name, police_area=self.police_area
            )
        police = list(police_organisations_for(self.municipality))
        if len(police) > 1:
            raise ValidationError(
                {field: _("Kommunen har flera lokalpolisområden. Välj ett för medborgarlöftet.")}
            )
        if police:
            return police[0]
        name = _("Polisen i %(kommun)s") % {"kommun": self.municipality.name}
        return self._create(OrganisationKind.POLICE, name, municipality=self.municipality)

    def _partner(self, name):
        existing = partners_of(self.municipality).get(name.lower())
        return existing or self._create(
            OrganisationKind.PARTNER, name, municipality=self.municipality
        )

    def _create(self, kind, name, **links):
        base = slugify(f"{name}-{self.municipality.slug}")[:140] or "organisation"
        slug, number = base, 1
        while Organisation.objects.filter(slug=slug).exists():
            number += 1
            slug = f"{base}-{number}"
        organisation = Organisation(kind=kind, name=name, slug=slug, **links)
        return save_reference_object(organisation, by=self.by)
