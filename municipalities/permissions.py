"""Who may do what, by membership (DESIGN §7).

A membership ties a user to an organisation with a role. An organisation *covers* kommuner: a
kommun covers itself, a partner its kommun, a police area every kommun it serves (a police
organisation whose area is unknown is tied to one kommun). Staff see the kommuner their
organisations cover; reporters and editors log for their own organisation's activities there;
editors also edit those kommuner's promises. Superusers may do everything.

These are plain predicates. Views call them and answer 404 for what the user may not see and 403
for an action the user may not take on something visible.
"""

from django.db.models import Q

from municipalities.models import Membership, Municipality, Role

WRITING_ROLES = (Role.REPORTER, Role.EDITOR)


def memberships_of(user):
    """The user's memberships with their organisations (cached on the user for the request)."""
    if not user.is_authenticated:
        return []
    if not hasattr(user, "_membership_cache"):
        user._membership_cache = list(
            Membership.objects.filter(user=user).select_related("organisation")
        )
    return user._membership_cache


def municipalities_covered_by_user(user, roles=None):
    """Kommuner covered by the organisations the user is a member of (optionally by role)."""
    memberships = [m for m in memberships_of(user) if roles is None or m.role in roles]
    organisation_ids = [m.organisation_id for m in memberships]
    return Municipality.objects.filter(
        Q(organisations__pk__in=organisation_ids)
        | Q(police_areas__organisation__pk__in=organisation_ids)
    ).distinct()


def covered_municipality_ids(user, roles=None) -> set[int]:
    """Ids of the kommuner the user's organisations cover, computed once per request."""
    key = f"_covered_{'-'.join(sorted(roles)) if roles else 'all'}"
    if not hasattr(user, key):
        setattr(
            user,
            key,
            set(municipalities_covered_by_user(user, roles).values_list("pk", flat=True)),
        )
    return getattr(user, key)


def is_staff_member(user) -> bool:
    return user.is_authenticated and (user.is_superuser or bool(memberships_of(user)))


def can_view_municipality(user, municipality) -> bool:
    """Staff pages of a kommun: any member of an organisation covering it."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or municipality.pk in covered_municipality_ids(user)


def can_edit_municipality(user, municipality) -> bool:
    """Editing a kommun's periods, promises, activities, memos and reports."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or municipality.pk in covered_municipality_ids(user, (Role.EDITOR,))


def writing_organisation_ids(user) -> set[int]:
    """Organisations the user may log and correct events for (reporter or editor)."""
    return {m.organisation_id for m in memberships_of(user) if m.role in WRITING_ROLES}
