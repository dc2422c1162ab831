"""Demo staff accounts and the organisations of the seed documents that reference data lacks.

The accounts are the fixed personas of DESIGN §7 and STYLE.md (a police reporter, a coordinator,
a partner reporter, a viewer, an outsider from another kommun) plus a superuser. Their names are
invented: none of them is one of the real people named in the seed documents. Demo accounts are
created here and nowhere else, and only by ``manage.py load_demo``; ``migrate`` alone creates none.

Everything is matched on natural keys (username, organisation slug), so loading twice changes
nothing.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction

from municipalities.models import (
    Membership,
    Municipality,
    Organisation,
    OrganisationKind,
    Role,
)

# One password for every demo account; `make run` prints it with the logins.
DEMO_PASSWORD = "demo-losen-2026"
DEMO_EMAIL_DOMAIN = "example.org"

TRANAS, ANEBY, TRANEMO, TYRESO = "0687", "0604", "1452", "0138"

# Organisations named in the Tranemo seed (003) that the reference data does not hold: the police
# area of Tranemo is not known, so its police is tied to the kommun (the model allows that).
TRANEMO_POLICE_SLUG = "polisen-tranemo"
TRANEMOBOSTADER_SLUG = "tranemobostader"
SEED_ORGANISATIONS = [
    {
        "slug": TRANEMO_POLICE_SLUG,
        "kind": OrganisationKind.POLICE,
        "name": "Polisen i Tranemo",
        "municipality_code": TRANEMO,
    },
    {
        "slug": TRANEMOBOSTADER_SLUG,
        "kind": OrganisationKind.PARTNER,
        "name": "Tranemobostäder",
        "municipality_code": TRANEMO,
    },
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    # How the organisation is found: ("police_area", "Höglandet"), ("municipality", "0687") or
    # ("slug", "tranemobostader"); None for the superuser.
    organisation: tuple[str, str] | None = None
    role: str = ""
    description: str = ""
    is_superuser: bool = False


DEMO_USERS = [
    DemoUser(
        "polis.hoglandet",
        "Johan",
        "Lindberg",
        ("police_area", "Höglandet"),
        Role.REPORTER,
        "kommunpolis, loggar polisens aktiviteter",
    ),
    DemoUser(
        "samordnare.tranas",
        "Karin",
        "Holm",
        ("municipality", TRANAS),
        Role.EDITOR,
        "trygghetssamordnare, redigerar Tranås medborgarlöften",
    ),
    DemoUser(
        "tranemobostader",
        "Sara",
        "Åberg",
        ("slug", TRANEMOBOSTADER_SLUG),
        Role.REPORTER,
        "partner, loggar Tranemobostäders aktiviteter",
    ),
    DemoUser(
        "lasare.tranas",
        "Erik",
        "Sandberg",
        ("municipality", TRANAS),
        Role.VIEWER,
        "läser personalsidorna för Tranås",
    ),
    DemoUser(
        "samordnare.tyreso",
        "Lena",
        "Ström",
        ("municipality", TYRESO),
        Role.EDITOR,
        "redaktör i en annan kommun (ser inte Tranås personaldata)",
    ),
    # Aneby kommun is responsible for several activities of its seed promise; its demo events
    # are logged by someone of the kommun, as they would be in real use.
    DemoUser(
        "samordnare.aneby",
        "Maria",
        "Ek",
        ("municipality", ANEBY),
        Role.EDITOR,
        "trygghetssamordnare, loggar Aneby kommuns aktiviteter",
    ),
    DemoUser(
        "admin",
        "Admin",
        "Demo",
        None,
        "",
        "superanvändare, Django-admin",
        is_superuser=True,
    ),
]

DEMO_USERNAMES = [user.username for user in DEMO_USERS]


@transaction.atomic
def load_seed_organisations() -> dict[str, Organisation]:
    """Create or update the organisations of the seeds that reference data lacks, by slug."""
    organisations = {}
    for spec in SEED_ORGANISATIONS:
        organisations[spec["slug"]], _ = Organisation.objects.update_or_create(
            slug=spec["slug"],
            defaults={
                "kind": spec["kind"],
                "name": spec["name"],
                "municipality": Municipality.objects.get(code=spec["municipality_code"]),
                "police_area": None,
            },
        )
    return organisations


def _organisation(lookup: tuple[str, str]) -> Organisation:
    field, value = lookup
    if field == "police_area":
        return Organisation.objects.get(kind=OrganisationKind.POLICE, police_area__name=value)
    if field == "municipality":
        return Organisation.objects.get(
            kind=OrganisationKind.MUNICIPALITY, municipality__code=value
        )
    return Organisation.objects.get(slug=value)


def _demo_password_hash(User) -> str:
    """One hash of the demo password for every demo account.

    Hashing is deliberately slow (seconds per account with Django's default PBKDF2), so it is
    done at most once per load: an existing demo account's hash is reused when it still matches
    the password, which also keeps a second load from changing anything.
    """
    hashes = set(
        User.objects.filter(username__in=DEMO_USERNAMES).values_list("password", flat=True)
    )
    for existing in hashes:
        if existing and check_password(DEMO_PASSWORD, existing):
            return existing
    return make_password(DEMO_PASSWORD)


@transaction.atomic
def load_demo_users() -> dict[str, object]:
    """Create or update the demo accounts and their memberships; returns users by username.

    A demo account ends up with exactly the membership listed here, and the shared password.
    """
    load_seed_organisations()
    User = get_user_model()
    password_hash = _demo_password_hash(User)
    users = {}
    for spec in DEMO_USERS:
        user, _ = User.objects.update_or_create(
            username=spec.username,
            defaults={
                "first_name": spec.first_name,
                "last_name": spec.last_name,
                "email": f"{spec.username}@{DEMO_EMAIL_DOMAIN}",
                "is_active": True,
                "is_staff": spec.is_superuser,
                "is_superuser": spec.is_superuser,
            },
        )
        if user.password != password_hash:
            user.password = password_hash
            user.save(update_fields=["password"])
        if spec.organisation is None:
            user.memberships.all().delete()
        else:
            organisation = _organisation(spec.organisation)
            user.memberships.exclude(organisation=organisation).delete()
            Membership.objects.update_or_create(
                user=user, organisation=organisation, defaults={"role": spec.role}
            )
        users[spec.username] = user
    return users


def logins_table() -> list[dict[str, str]]:
    """Rows for printing: username, role, organisation, password (all demo accounts)."""
    rows = []
    for spec in DEMO_USERS:
        if spec.is_superuser:
            role, organisation = "Superanvändare", "–"
        else:
            role = Role(spec.role).label
            organisation = _organisation(spec.organisation).name
        rows.append(
            {
                "username": spec.username,
                "role": str(role),
                "organisation": organisation,
                "password": DEMO_PASSWORD,
                "description": spec.description,
            }
        )
    return rows
