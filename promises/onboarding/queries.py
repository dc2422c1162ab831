"""Reads for onboarding: which organisations the parser's owners ("police", "municipality",
"partner:Name") stand for in a kommun. Only editors of the kommun reach these (the views check)."""

from django.db.models import Q
from django.utils.translation import gettext as _

from municipalities.models import Organisation, OrganisationKind

POLICE, MUNICIPALITY, PARTNER_PREFIX = "police", "municipality", "partner:"


def police_organisations_for(municipality):
    """Police organisations working in the kommun: its police areas', or one tied to the kommun."""
    return (
        Organisation.objects.police()
        .filter(Q(police_area__municipalities=municipality) | Q(municipality=municipality))
        .select_related("police_area")
        .distinct()
        .order_by("name")
    )


def municipal_organisation_for(municipality) -> Organisation | None:
    return Organisation.objects.filter(
        kind=OrganisationKind.MUNICIPALITY, municipality=municipality
    ).first()


def partners_of(municipality) -> dict[str, Organisation]:
    """The kommun's partner organisations by lower-case name."""
    partners = Organisation.objects.filter(kind=OrganisationKind.PARTNER, municipality=municipality)
    return {partner.name.lower(): partner for partner in partners}


def partner_name(key: str) -> str:
    return key.removeprefix(PARTNER_PREFIX).strip()


def owner_choices(municipality, partner_names) -> list[tuple[str, str]]:
    """Choices for "who is responsible": the police, the kommun, the named partners (marked when
    the draft will create them) and the kommun's other partners. Three queries."""
    police = list(police_organisations_for(municipality))
    if len(police) == 1:
        police_label = _("Polisen (%(name)s)") % {"name": police[0].name}
    elif not police:
        police_label = _("Polisen (en polisorganisation för kommunen skapas)")
    else:
        police_label = _("Polisen (det valda lokalpolisområdet)")
    kommun = municipal_organisation_for(municipality)
    choices = [(POLICE, police_label), (MUNICIPALITY, kommun.name if kommun else _("Kommunen"))]
    existing = partners_of(municipality)
    seen = set()
    for name in partner_names:
        if name.lower() in seen:
            continue
        seen.add(name.lower())
        if name.lower() in existing:
            choices.append((PARTNER_PREFIX + name, existing[name.lower()].name))
        else:
            choices.append((PARTNER_PREFIX + name, _("%(name)s (ny part skapas)") % {"name": name}))
    for key, partner in sorted(existing.items()):
        if key not in seen:
            choices.append((PARTNER_PREFIX + partner.name, partner.name))
    return choices
